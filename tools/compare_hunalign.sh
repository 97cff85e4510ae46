#!/usr/bin/env bash
# Compares glossary's sentence aligner with hunalign on the gold documents.
#
#   tools/compare_hunalign.sh /path/to/hunalign [GOLD_DIR]
#
# hunalign is not part of this project: build it yourself from its public
# source, outside this repository, and pass the binary's path. This script
# neither fetches nor builds it, and the test suite does not run it.
#
# Both aligners get the same sentences (glossary's splitter); hunalign gets
# them as lowercase tokens separated by spaces. hunalign runs three ways:
# with an empty dictionary, with an empty dictionary and -realign (it then
# builds a dictionary from a first pass), and with the starter glossary as
# its dictionary ("english @ vietnamese" lines). Every output is scored by
# the same scorer (glossary::align::eval) against gold.tsv.
set -euo pipefail

HUNALIGN=${1:?usage: $0 /path/to/hunalign [GOLD_DIR]}
cd "$(dirname "$0")/.."
GOLD=${2:-glossary/tests/data/align}
[ -x "$HUNALIGN" ] || { echo "$HUNALIGN is not an executable" >&2; exit 1; }

cargo build --release -q -p glossary --example align_eval
EVAL=target/release/examples/align_eval
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

: > "$WORK/null.dic"
"$EVAL" dictionary > "$WORK/starter.dic"

# Ladder (rungs "i<TAB>j<TAB>score") to links ("i,i+1<TAB>j" with "-" for empty).
ladder_to_links() {
  awk -F'\t' 'NR > 1 {
      s = ""; for (i = ps; i < $1; i++) s = s (s == "" ? "" : ",") i
      t = ""; for (j = pt; j < $2; j++) t = t (t == "" ? "" : ",") j
      if (s != "" || t != "") print (s == "" ? "-" : s) "\t" (t == "" ? "-" : t)
    }
    { ps = $1; pt = $2 }' "$1"
}

# Our aligner's links, from `glossary-server align --json` (starter glossary
# as anchors, default options).
our_links() {
  cargo run --release -q -p server -- align --json "$1/vi.txt" "$1/en.txt" |
    python3 -c '
import json, sys
for l in json.load(sys.stdin)["links"]:
    side = lambda r: ",".join(str(i) for i in range(r["start"], r["end"])) or "-"
    print(side(l["src"]) + "\t" + side(l["tgt"]))'
}

systems="glossary hunalign hunalign-realign hunalign-starter-dict"
declare -A total
printf '%-28s %-24s %6s %6s %6s   %6s %6s %6s\n' document system P R F1 pairP pairR pairF1
for doc in "$GOLD"/*/; do
  doc=${doc%/}
  name=$(basename "$doc")
  "$EVAL" sentences "$doc/vi.txt" --tokens > "$WORK/$name.vi"
  "$EVAL" sentences "$doc/en.txt" --tokens > "$WORK/$name.en"
  our_links "$doc" > "$WORK/$name.glossary.links"
  "$HUNALIGN" "$WORK/null.dic" "$WORK/$name.vi" "$WORK/$name.en" > "$WORK/$name.hun.ladder" 2> /dev/null
  "$HUNALIGN" -realign "$WORK/null.dic" "$WORK/$name.vi" "$WORK/$name.en" > "$WORK/$name.hunre.ladder" 2> /dev/null
  "$HUNALIGN" "$WORK/starter.dic" "$WORK/$name.vi" "$WORK/$name.en" > "$WORK/$name.hundict.ladder" 2> /dev/null
  ladder_to_links "$WORK/$name.hun.ladder" > "$WORK/$name.hunalign.links"
  ladder_to_links "$WORK/$name.hunre.ladder" > "$WORK/$name.hunalign-realign.links"
  ladder_to_links "$WORK/$name.hundict.ladder" > "$WORK/$name.hunalign-starter-dict.links"
  for sys in $systems; do
    read -r lc lp lg pc pp pg p r f pp_ pr pf < <("$EVAL" score "$doc/gold.tsv" "$WORK/$name.$sys.links")
    printf '%-28s %-24s %6.3f %6.3f %6.3f   %6.3f %6.3f %6.3f\n' "$name" "$sys" "$p" "$r" "$f" "$pp_" "$pr" "$pf"
    read -r a b c d e g <<< "${total[$sys]:-0 0 0 0 0 0}"
    total[$sys]="$((a + lc)) $((b + lp)) $((c + lg)) $((d + pc)) $((e + pp)) $((g + pg))"
  done
done
echo
echo "all documents (micro-average):"
for sys in $systems; do
  read -r a b c d e g <<< "${total[$sys]}"
  awk -v s="$sys" -v a="$a" -v b="$b" -v c="$c" -v d="$d" -v e="$e" -v g="$g" 'BEGIN {
    p = a / b; r = a / c; f = 2 * p * r / (p + r); pp = d / e; pr = d / g; pf = 2 * pp * pr / (pp + pr)
    printf "%-28s %-24s %6.3f %6.3f %6.3f   %6.3f %6.3f %6.3f\n", "all", s, p, r, f, pp, pr, pf }'
done
