#!/usr/bin/env bash
# Rebuilds the word segmenter's data from the Universal Dependencies
# Vietnamese VTB treebank (CC BY-SA 4.0): the lexicon
# glossary/data/vi-words.tsv and the boundary model
# glossary/data/vi-segment-model.bin, both from the train and dev splits.
#
#   tools/train_segment_model.sh TRAIN.conllu DEV.conllu          # writes both files
#   tools/train_segment_model.sh --check TRAIN.conllu DEV.conllu  # trains on train, scores dev, writes nothing
#
# The treebank is not part of this project and this script fetches nothing
# (bring https://github.com/UniversalDependencies/UD_Vietnamese-VTB first).
# The test split is never read here: score it with tools/segment_eval.sh.
#
# Training sentences are cut into five parts; the model learns each part's
# gaps with a lexicon built from the other four (plus the hand-written
# supplement), so its lexicon features see training sentences the way
# they will see new text. See docs/segmentation.md.
set -euo pipefail

CHECK=0
if [ "${1:-}" = "--check" ]; then CHECK=1; shift; fi
TRAIN=${1:?usage: $0 [--check] TRAIN.conllu DEV.conllu}
DEV=${2:?usage: $0 [--check] TRAIN.conllu DEV.conllu}
EPOCHS=${EPOCHS:-8}
TRAIN=$(realpath "$TRAIN"); DEV=$(realpath "$DEV")
cd "$(dirname "$0")/.."

CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-1} cargo build --release -q -p glossary --example segment_train
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

if [ "$CHECK" = 1 ]; then SOURCES=("$TRAIN"); else SOURCES=("$TRAIN" "$DEV"); fi
# Round-robin split of the sentences into five parts, and for each part the
# rest of the sentences.
python3 - "$WORK" "${SOURCES[@]}" <<'PY'
import sys
work, paths = sys.argv[1], sys.argv[2:]
blocks = []
for path in paths:
    block = []
    for line in open(path, encoding="utf-8"):
        block.append(line)
        if not line.strip():
            if any(not l.startswith("#") and l.strip() for l in block):
                blocks.append("".join(block))
            block = []
    if any(not l.startswith("#") and l.strip() for l in block):
        blocks.append("".join(block) + "\n")
for k in range(5):
    with open(f"{work}/part{k}.conllu", "w", encoding="utf-8") as part, \
         open(f"{work}/rest{k}.conllu", "w", encoding="utf-8") as rest:
        for i, b in enumerate(blocks):
            (part if i % 5 == k else rest).write(b)
PY
ARGS=()
for k in 0 1 2 3 4; do
  python3 tools/build_segment_lexicon.py --out "$WORK/lex$k.tsv" "$WORK/rest$k.conllu"
  ARGS+=(--fold "$WORK/lex$k.tsv" "$WORK/part$k.conllu")
done

if [ "$CHECK" = 1 ]; then
  python3 tools/build_segment_lexicon.py --out "$WORK/lex.tsv" "$TRAIN"
  target/release/examples/segment_train "${ARGS[@]}" --eval "$WORK/lex.tsv" "$DEV" --epochs "$EPOCHS"
else
  python3 tools/build_segment_lexicon.py "$TRAIN" "$DEV"
  target/release/examples/segment_train "${ARGS[@]}" --epochs "$EPOCHS" --out glossary/data/vi-segment-model.bin
fi
