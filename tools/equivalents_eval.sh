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
# pairs. The corpus never enters the repository: tools/ntrex.sh finds or
# fetches it ($NTREX_DIR, $NTREX_GIT).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-1}

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
NTREX_DIR=$(tools/ntrex.sh)
cp "$NTREX_DIR/newstest2019-ref.vie.txt" "$WORK/vi.raw"
cp "$NTREX_DIR/newstest2019-src.eng.txt" "$WORK/en.raw"
# The files have Windows line ends.
tr -d '\r' < "$WORK/vi.raw" > "$WORK/vi.txt"
tr -d '\r' < "$WORK/en.raw" > "$WORK/en.txt"
[ "$(wc -l < "$WORK/vi.txt")" = "$(wc -l < "$WORK/en.txt")" ] || { echo "NTREX: line counts differ" >&2; exit 1; }
paste "$WORK/vi.txt" "$WORK/en.txt" > "$WORK/pairs.tsv"

cargo build --release -q -p glossary --example equivalents_eval
target/release/examples/equivalents_eval "$WORK/pairs.tsv" tools/data/ntrex-equivalents.tsv
