#!/usr/bin/env bash
# Word-level precision, recall and F1 of glossary's word segmentation and of
# pyvi on the same gold-segmented sentences, in one run.
#
#   tools/segment_eval.sh PATH/TO/vi_vtb-ud-test.conllu
#
# The treebank is not part of this project and this script fetches nothing:
# bring the Universal Dependencies Vietnamese VTB repository yourself (CC
# BY-SA 4.0) and pass its test split, which the segmenter's lexicon was not
# built from. pyvi (PyPI) is installed into a virtualenv under
# target/pyvi-venv if it is not there yet. Both segmenters get each
# sentence as its gold words joined by spaces; glossary's segment_eval
# example scores both with the same code (see docs/segmentation.md).
set -euo pipefail

GOLD=${1:?usage: $0 PATH/TO/vi_vtb-ud-test.conllu}
[ -f "$GOLD" ] || { echo "$GOLD: no such file" >&2; exit 1; }
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

"$EVAL" sentences "$GOLD" > "$WORK/sentences.txt"
"$VENV/bin/python" - "$WORK/sentences.txt" "$WORK/pyvi.txt" <<'PY'
import sys
from pyvi import ViTokenizer
with open(sys.argv[1], encoding="utf-8") as src, open(sys.argv[2], "w", encoding="utf-8") as out:
    for line in src:
        out.write(ViTokenizer.tokenize(line.rstrip("\n")) + "\n")
PY
"$EVAL" "$GOLD" --other pyvi "$WORK/pyvi.txt" --speed
