#!/usr/bin/env bash
# Regenerates glossary/data/vi-word-freq.tsv: how often each Vietnamese word
# of two or more syllables occurs in a sample of Vietnamese Wikipedia, as
# segmented by the project's own segmenter (glossary::text::segment), for
# the miner's word-level baseline (glossary/src/mining/refdata.rs).
#
#   tools/build_vi_word_freq.sh [MIN_COUNT] [OUTPUT]
#
# MIN_COUNT (default 2, as bundled) is the least count kept; the miner takes a word
# missing from the list as rarer than that. Rerun it whenever the
# segmenter's lexicon or model changes (tools/train_segment_model.sh), so the
# list matches the words the miner sees.
#
# Source text: tools/viwiki.sh (github.com/undertheseanlp/corpus.viwiki,
# 7,878 articles of Vietnamese Wikipedia). Wikipedia's text is by its
# contributors under CC BY-SA; the counts derived from it are distributed
# under CC BY-SA 4.0 with that attribution.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MIN=${1:-2}
OUT=${2:-$ROOT/glossary/data/vi-word-freq.tsv}
TEXT=$("$ROOT/tools/viwiki.sh")
cd "$ROOT"
cargo build --release --locked -p glossary --example word_freq >&2
{
  echo "# Vietnamese words of two or more syllables with their counts (normalised keys),"
  echo "# segmented by glossary::text::segment in a sample of Vietnamese Wikipedia"
  echo "# (github.com/undertheseanlp/corpus.viwiki, 7,878 articles). Text by Wikipedia's"
  echo "# contributors, CC BY-SA; this file is distributed under CC BY-SA 4.0."
  echo "# Regenerate: tools/build_vi_word_freq.sh $MIN"
  "$ROOT/target/release/examples/word_freq" "$MIN" < "$TEXT"
} > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "wrote $OUT ($(wc -l < "$OUT") lines, $(wc -c < "$OUT") bytes)" >&2
