#!/usr/bin/env bash
# Makes a plain-text sample of Vietnamese Wikipedia available to the data
# scripts and prints the path of one UTF-8 file holding it (one paragraph
# per line, wiki section headings "== … ==" dropped).
#
#   VIWIKI=$(tools/viwiki.sh)
#
# Source: github.com/undertheseanlp/corpus.viwiki (7,878 articles of
# Vietnamese Wikipedia, crawled in 2017, about 85 MB). Wikipedia's text is
# licensed CC BY-SA (3.0 and 4.0); statistics derived from it and shipped
# with this project are under CC BY-SA with attribution to Wikipedia's
# contributors (docs/segmentation.md). The text itself never enters the
# repository.
#
# It uses $VIWIKI_DIR (default ~/.cache/glossary-viwiki) when the file is
# there, and otherwise writes it there from a local git copy of the
# repository ($VIWIKI_GIT, a bare or normal git directory) or from a clone
# over the network.
set -euo pipefail
DIR=${VIWIKI_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/glossary-viwiki}
OUT=$DIR/viwiki.txt
if [ ! -s "$OUT" ]; then
  mkdir -p "$DIR"
  git_dir=${VIWIKI_GIT:-/work/.mirror/undertheseanlp+corpus.viwiki/repo/.git}
  if [ ! -d "$git_dir" ]; then
    git_dir=$DIR/clone.git
    [ -d "$git_dir" ] || git clone -q --bare --depth 1 https://github.com/undertheseanlp/corpus.viwiki "$git_dir" >&2
  fi
  # Articles in path order; blank lines and section headings dropped.
  git --git-dir="$git_dir" ls-tree -r -z --name-only HEAD viwiki/ \
    | while IFS= read -r -d '' f; do git --git-dir="$git_dir" show "HEAD:$f"; echo; done \
    | grep -v -e '^[[:space:]]*$' -e '^[[:space:]]*==.*==[[:space:]]*$' > "$OUT.tmp"
  mv "$OUT.tmp" "$OUT"
fi
echo "$OUT"
