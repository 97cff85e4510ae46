#!/usr/bin/env bash
# Word-level precision, recall and F1 of glossary's word segmentation and of
# pyvi on the same gold-segmented sentences, in one run, for each test file.
#
#   tools/segment_eval.sh GOLD.conllu [GOLD2.conllu ...] [--heldout [--lexicon-only OTHER.conllu]... TRAIN.conllu ...]
#   e.g. tools/segment_eval.sh vi_vtb-ud-test.conllu vi_tuecl-ud-test.conllu \
#          --heldout --lexicon-only not-to-release/vi_vtb-ud-dev-1.conllu vi_vtb-ud-train.conllu \
#          vi_vtb-ud-dev.conllu not-to-release/{NewTest,SA-Hotel-50,SA-Restaurant-50}.conllu
#
# The treebanks are not part of this project and this script fetches
# nothing: bring the Universal Dependencies Vietnamese VTB repository (CC
# BY-SA 4.0) and UD Vietnamese TueCL (CC BY-SA 4.0, subtitles and talks,
# test split only), a set that no training step here reads and that pyvi
# was not trained on either (pyvi's training data may include VTB's
# sentences, see docs/segmentation.md).
#
# Lines labelled "glossary" score the bundled lexicon and model, which are
# built from every VTB sentence, test split included: on VTB test they
# measure nothing but memory. With --heldout, the script first trains a
# second lexicon and model on the TRAIN files given, without any sentence
# of the GOLD files (tools/train_segment_model.sh --exclude), and lines
# labelled "held-out" score that one: the fair figure on VTB test.
# --lexicon-only files are passed on to the training script (their words
# go into the lexicon, their gaps do not train the model), as the bundled
# data is built.
#
# pyvi (PyPI) is installed into a virtualenv under target/pyvi-venv if it
# is not there yet. Every segmenter gets each sentence as its gold words
# joined by spaces; glossary's segment_eval example scores all of them with
# the same code. The speed line (bundled data) is printed once, for the
# first file.
set -euo pipefail

usage="usage: $0 GOLD.conllu [GOLD2.conllu ...] [--heldout [--lexicon-only OTHER.conllu]... TRAIN.conllu ...]"
GOLDS=()
while [ $# -gt 0 ] && [ "$1" != --heldout ]; do
  [ -f "$1" ] || { echo "$1: no such file" >&2; exit 1; }
  GOLDS+=("$(realpath "$1")")
  shift
done
[ ${#GOLDS[@]} -ge 1 ] || { echo "$usage" >&2; exit 1; }
HELDOUT=()
LEXICON_ONLY=()
if [ "${1:-}" = --heldout ]; then
  shift
  while [ "${1:-}" = --lexicon-only ]; do
    [ -f "${2:-}" ] || { echo "$usage" >&2; exit 1; }
    LEXICON_ONLY+=(--lexicon-only "$(realpath "$2")")
    shift 2
  done
  [ $# -ge 1 ] || { echo "$usage" >&2; exit 1; }
  for f in "$@"; do HELDOUT+=("$(realpath "$f")"); done
fi
cd "$(dirname "$0")/.."

VENV=target/pyvi-venv
if ! "$VENV/bin/python" -c 'import pyvi' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet pyvi
fi

CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-1} cargo build --release -q -p glossary --example segment_eval
EVAL=target/release/examples/segment_eval
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

DATA=()
if [ ${#HELDOUT[@]} -gt 0 ]; then
  EXCLUDE=()
  for GOLD in "${GOLDS[@]}"; do EXCLUDE+=(--exclude "$GOLD"); done
  echo "held-out = lexicon and model trained here on: $(for f in "${HELDOUT[@]}"; do basename "$f"; done | tr '\n' ' ')"
  [ ${#LEXICON_ONLY[@]} -eq 0 ] || echo "           (lexicon only: $(for f in "${LEXICON_ONLY[@]}"; do [ "$f" = --lexicon-only ] || basename "$f"; done | tr '\n' ' '))"
  echo "           minus the sentences of every test file below"
  tools/train_segment_model.sh --out "$WORK/heldout" "${EXCLUDE[@]}" "${LEXICON_ONLY[@]+"${LEXICON_ONLY[@]}"}" "${HELDOUT[@]}" 2>&1 | grep 'training sentences'
  DATA=(--data held-out "$WORK/heldout")
fi
echo "glossary = the bundled lexicon and model ($(sed -n 's/^# Regenerate: .*build_segment_lexicon.py \(.*\))$/\1/p' glossary/data/vi-words.tsv))"
echo

SPEED=--speed
for GOLD in "${GOLDS[@]}"; do
  "$EVAL" sentences "$GOLD" > "$WORK/sentences.txt"
  "$VENV/bin/python" - "$WORK/sentences.txt" "$WORK/pyvi.txt" <<'PY'
import sys
from pyvi import ViTokenizer
with open(sys.argv[1], encoding="utf-8") as src, open(sys.argv[2], "w", encoding="utf-8") as out:
    for line in src:
        out.write(ViTokenizer.tokenize(line.rstrip("\n")) + "\n")
PY
  "$EVAL" "$GOLD" "${DATA[@]+"${DATA[@]}"}" --other pyvi "$WORK/pyvi.txt" $SPEED
  SPEED=
  echo
done
