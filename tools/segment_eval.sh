#!/usr/bin/env bash
# Word-level precision, recall and F1 of glossary's word segmentation and of
# pyvi on the same gold-segmented sentences, in one run, for each test file.
#
#   tools/segment_eval.sh GOLD.conllu [GOLD2.conllu ...]
#   e.g. tools/segment_eval.sh vi_vtb-ud-test.conllu vi_tuecl-ud-test.conllu
#
# The treebanks are not part of this project and this script fetches
# nothing: bring the Universal Dependencies Vietnamese VTB repository (CC
# BY-SA 4.0) and pass its test split, which the segmenter's data was not
# built from; UD Vietnamese TueCL (CC BY-SA 4.0, subtitles and talks, test
# split only) is a second set that neither segmenter was trained on (pyvi's
# training data may include VTB's sentences, see docs/segmentation.md).
# pyvi (PyPI) is installed into a virtualenv under target/pyvi-venv if it
# is not there yet. Both segmenters get each sentence as its gold words
# joined by spaces; glossary's segment_eval example scores both with the
# same code. The speed line is printed once, for the first file.
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: $0 GOLD.conllu [GOLD2.conllu ...]" >&2; exit 1; }
GOLDS=()
for g in "$@"; do
  [ -f "$g" ] || { echo "$g: no such file" >&2; exit 1; }
  GOLDS+=("$(realpath "$g")")
done
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
  "$EVAL" "$GOLD" --other pyvi "$WORK/pyvi.txt" $SPEED
  SPEED=
  echo
done
