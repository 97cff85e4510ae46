#!/usr/bin/env bash
# Equivalents on real news pairs: for each term of tools/data/ntrex-equivalents.tsv
# (30 terms of the Vietnamese news, with the English that renders them
# there), ranks the English candidates over the NTREX-128 sentence pairs and
# prints where an accepted English comes; the last line counts the terms
# whose right English is proposed first. See docs/alignment.md.
#
#   tools/equivalents_eval.sh
#
# NTREX-128 (Federmann et al., 2022; github.com/MicrosoftTranslator/NTREX,
# CC BY-SA 4.0) is the WMT19 English news test set (1,997 sentences of 123
# articles) with professional translations; its Vietnamese file is
# line-aligned with the English source, so line pairs are the sentence
# pairs. The corpus never enters the repository: the script reads
# newstest2019-ref.vie.txt and newstest2019-src.eng.txt from $NTREX_DIR, or
# from a local git copy ($NTREX_GIT, a bare or normal git directory), or
# clones the repository over the network into $HOME/.cache/glossary-ntrex.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-1}

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
VI=NTREX-128/newstest2019-ref.vie.txt
EN=NTREX-128/newstest2019-src.eng.txt
if [ -n "${NTREX_DIR:-}" ]; then
  cp "$NTREX_DIR/$(basename $VI)" "$WORK/vi.raw"; cp "$NTREX_DIR/$(basename $EN)" "$WORK/en.raw"
else
  GIT=${NTREX_GIT:-/work/.mirror/MicrosoftTranslator+NTREX/repo}
  if [ ! -d "$GIT" ]; then
    GIT=$HOME/.cache/glossary-ntrex
    [ -d "$GIT" ] || git clone --quiet --bare https://github.com/MicrosoftTranslator/NTREX "$GIT"
  fi
  git --git-dir="$GIT" show "HEAD:$VI" > "$WORK/vi.raw" 2>/dev/null || git -C "$GIT" show "HEAD:$VI" > "$WORK/vi.raw"
  git --git-dir="$GIT" show "HEAD:$EN" > "$WORK/en.raw" 2>/dev/null || git -C "$GIT" show "HEAD:$EN" > "$WORK/en.raw"
fi
# The files have Windows line ends.
tr -d '\r' < "$WORK/vi.raw" > "$WORK/vi.txt"
tr -d '\r' < "$WORK/en.raw" > "$WORK/en.txt"
[ "$(wc -l < "$WORK/vi.txt")" = "$(wc -l < "$WORK/en.txt")" ] || { echo "NTREX: line counts differ" >&2; exit 1; }
paste "$WORK/vi.txt" "$WORK/en.txt" > "$WORK/pairs.tsv"

cargo build --release -q -p glossary --example equivalents_eval
target/release/examples/equivalents_eval "$WORK/pairs.tsv" tools/data/ntrex-equivalents.tsv
