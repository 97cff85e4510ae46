#!/usr/bin/env bash
# Makes NTREX-128 (Microsoft, CC BY-SA 4.0; Federmann, Kocmi and Xin, 2022:
# the WMT19 English news test set, 1,997 sentences of 123 stories, with
# professional translations) available to the evaluation scripts, and
# prints the directory that holds newstest2019-ref.vie.txt,
# newstest2019-src.eng.txt, DOCUMENT_IDS.tsv and LICENSE.md.
#
#   NTREX_DIR=$(tools/ntrex.sh)
#
# It uses $NTREX_DIR (default ~/.cache/glossary-ntrex) when the files are
# there, and otherwise writes them there from a local git copy of
# github.com/MicrosoftTranslator/NTREX ($NTREX_GIT, a bare or normal git
# directory) or from a clone over the network. The corpus never enters the
# repository.
set -euo pipefail
DIR=${NTREX_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/glossary-ntrex}
FILES=(NTREX-128/newstest2019-ref.vie.txt NTREX-128/newstest2019-src.eng.txt DOCUMENT_IDS.tsv LICENSE.md)
missing=0
for f in "${FILES[@]}"; do [ -s "$DIR/$(basename "$f")" ] || missing=1; done
if [ "$missing" = 1 ]; then
  mkdir -p "$DIR"
  git_dir=${NTREX_GIT:-/work/.mirror/MicrosoftTranslator+NTREX/repo}
  if [ ! -d "$git_dir" ]; then
    git_dir=$DIR/clone.git
    [ -d "$git_dir" ] || git clone -q --bare --depth 1 https://github.com/MicrosoftTranslator/NTREX "$git_dir" >&2
  fi
  for f in "${FILES[@]}"; do
    git --git-dir="$git_dir" show "HEAD:$f" > "$DIR/$(basename "$f")" 2>/dev/null \
      || git -C "$git_dir" show "HEAD:$f" > "$DIR/$(basename "$f")"
  done
fi
echo "$DIR"
