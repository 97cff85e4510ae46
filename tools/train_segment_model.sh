#!/usr/bin/env bash
# Rebuilds the word segmenter's data from gold-segmented CoNLL-U files (the
# Universal Dependencies Vietnamese VTB treebank, CC BY-SA 4.0): the
# lexicon glossary/data/vi-words.tsv and the boundary model
# glossary/data/vi-segment-model.bin, from every sentence of the files given.
#
#   tools/train_segment_model.sh FILE.conllu...                   # writes both files
#   tools/train_segment_model.sh --out DIR FILE.conllu...         # writes DIR/vi-words.tsv and DIR/vi-segment-model.bin
#   tools/train_segment_model.sh --exclude GOLD.conllu ... FILE...  # drops training sentences whose text is in GOLD
#   tools/train_segment_model.sh --check DEV.conllu FILE.conllu...  # trains on the FILEs, scores DEV, writes nothing
#   tools/train_segment_model.sh --lexicon-only OTHER.conllu ... FILE...  # OTHER's words go into the lexicon, its gaps train nothing
#   PAIRS=PAIRS.tsv tools/train_segment_model.sh ...               # with that syllable-pair table, not the bundled one
#   SEGMENT_TRAIN_SEED=N tools/train_segment_model.sh --check ...   # another order of training gaps (default 0, as bundled)
#   DICTIONARY=FILE|none tools/train_segment_model.sh ...           # another word list than tools/segment_dictionary.txt, or none
#
# The treebank is not part of this project and this script fetches nothing
# (bring https://github.com/UniversalDependencies/UD_Vietnamese-VTB first;
# docs/segmentation.md lists the files the bundled data was built from).
# tools/segment_eval.sh calls it with --out and --exclude to train a
# held-out model for a test set that the bundled data was built from.
#
# Every lexicon built here marks the words of tools/segment_dictionary.txt
# (English Wiktionary's two-syllable Vietnamese words, CC BY-SA 4.0) with W,
# and the model learns how far to trust them. The list is the same for the
# training parts and for new text, so it needs no jackknife.
#
# Training sentences are cut into five parts; the model learns each part's
# gaps with a lexicon built from the other four (plus the hand-written
# supplement), so its lexicon features see training sentences the way
# they will see new text. See docs/segmentation.md.
#
# A --lexicon-only file adds its words to every one of those lexicons and
# to the bundled one, but none of its gaps is a training example: for a
# file whose segmentation conventions differ from the rest (the narrative
# vi_vtb-ud-dev-1.conllu writes "ông ta", "như thế", "cảm thấy" as two
# words where VTB's other files mostly join them), so that its words are
# known without its conventions teaching the boundary model.
set -euo pipefail

usage="usage: $0 [--check DEV.conllu | --out DIR] [--exclude GOLD.conllu]... [--lexicon-only OTHER.conllu]... FILE.conllu..."
CHECK=
OUT=glossary/data
EXCLUDES=()
LEXICON_ONLY=()
while [ $# -gt 0 ]; do
  case "$1" in
    --check) CHECK=$(realpath "${2:?$usage}"); shift 2 ;;
    --out) mkdir -p "${2:?$usage}"; OUT=$(realpath "$2"); shift 2 ;;
    --exclude) EXCLUDES+=("$(realpath "${2:?$usage}")"); shift 2 ;;
    --lexicon-only) LEXICON_ONLY+=("$(realpath "${2:?$usage}")"); shift 2 ;;
    --*) echo "$usage" >&2; exit 1 ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || { echo "$usage" >&2; exit 1; }
SOURCES=()
for f in "$@"; do SOURCES+=("$(realpath "$f")"); done
EPOCHS=${EPOCHS:-8}
# DICTIONARY (a word list, or "none") is read from where the caller stands.
if [ -n "${DICTIONARY:-}" ] && [ "$DICTIONARY" != none ]; then DICTIONARY=$(realpath "$DICTIONARY"); fi
cd "$(dirname "$0")/.."

CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-1} cargo build --release -q -p glossary --example segment_train
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# All training sentences in one file (minus any whose text is a sentence of
# an excluded file; a sentence starting with a lowercase letter, as in
# some of the treebank's extra files, gets a capital, as in running text),
# and a round-robin split into five parts, each with the rest of the
# sentences; the sentences of lexicon-only files, treated the same way, in
# another.
EXCLUDE_LIST=$(printf '%s\n' "${EXCLUDES[@]+"${EXCLUDES[@]}"}")
LEXICON_ONLY_LIST=$(printf '%s\n' "${LEXICON_ONLY[@]+"${LEXICON_ONLY[@]}"}")
python3 - "$WORK" "$EXCLUDE_LIST" "$LEXICON_ONLY_LIST" "${SOURCES[@]}" <<'PY'
import sys
work, paths = sys.argv[1], sys.argv[4:]
excludes, lexicon_only = ([p for p in arg.split("\n") if p] for arg in sys.argv[2:4])

def blocks_of(path):
    block = []
    for line in open(path, encoding="utf-8"):
        block.append(line)
        if not line.strip():
            if any(not l.startswith("#") and l.strip() for l in block):
                yield block
            block = []
    if any(not l.startswith("#") and l.strip() for l in block):
        yield block + ["\n"]

def words(block):
    return [l.split("\t")[1] for l in block if not l.startswith("#") and l.count("\t") == 9 and l.split("\t")[0].isdigit()]

excluded = {" ".join(words(b)) for p in excludes for b in blocks_of(p)}
dropped = 0

def kept(paths):
    global dropped
    out = []
    for path in paths:
        for block in blocks_of(path):
            if " ".join(words(block)) in excluded:
                dropped += 1
                continue
            for i, line in enumerate(block):
                cols = line.split("\t")
                if not line.startswith("#") and len(cols) == 10 and cols[0].isdigit():
                    if cols[0] == "1" and cols[1][:1].islower():
                        cols[1] = cols[1][0].upper() + cols[1][1:]
                        block[i] = "\t".join(cols)
                    break
            out.append("".join(block))
    return out

blocks, extra = kept(paths), kept(lexicon_only)
print(f"{len(blocks)} training sentences, {len(extra)} for the lexicon only ({dropped} dropped: in an excluded file)", file=sys.stderr)
with open(f"{work}/all.conllu", "w", encoding="utf-8") as f:
    f.writelines(blocks)
with open(f"{work}/lexicon-only.conllu", "w", encoding="utf-8") as f:
    f.writelines(extra)
for k in range(5):
    with open(f"{work}/part{k}.conllu", "w", encoding="utf-8") as part, \
         open(f"{work}/rest{k}.conllu", "w", encoding="utf-8") as rest:
        for i, b in enumerate(blocks):
            (part if i % 5 == k else rest).write(b)
PY
ARGS=()
# PAIRS=FILE: score with that table of syllable pairs instead of the bundled one.
[ -z "${PAIRS:-}" ] || ARGS+=(--pairs "$(realpath "$PAIRS")")
for k in 0 1 2 3 4; do
  python3 tools/build_segment_lexicon.py --out "$WORK/lex$k.tsv" --dictionary "${DICTIONARY:-tools/segment_dictionary.txt}" "$WORK/rest$k.conllu" "$WORK/lexicon-only.conllu"
  ARGS+=(--fold "$WORK/lex$k.tsv" "$WORK/part$k.conllu")
done

NAMES=$(for f in "${SOURCES[@]}"; do basename "$f"; done | tr '\n' ' ')
[ ${#LEXICON_ONLY[@]} -eq 0 ] || NAMES="$NAMES+ for the lexicon only: $(for f in "${LEXICON_ONLY[@]}"; do basename "$f"; done | tr '\n' ' ')"
if [ -n "$CHECK" ]; then
  python3 tools/build_segment_lexicon.py --out "$WORK/lex.tsv" --dictionary "${DICTIONARY:-tools/segment_dictionary.txt}" --sources "$NAMES" "$WORK/all.conllu" "$WORK/lexicon-only.conllu"
  target/release/examples/segment_train "${ARGS[@]}" --eval "$WORK/lex.tsv" "$CHECK" --epochs "$EPOCHS"
else
  python3 tools/build_segment_lexicon.py --out "$OUT/vi-words.tsv" --dictionary "${DICTIONARY:-tools/segment_dictionary.txt}" --sources "$NAMES" "$WORK/all.conllu" "$WORK/lexicon-only.conllu"
  target/release/examples/segment_train "${ARGS[@]}" --epochs "$EPOCHS" --out "$OUT/vi-segment-model.bin"
fi
