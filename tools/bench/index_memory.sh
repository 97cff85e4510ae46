#!/usr/bin/env bash
# Lookup-index memory before/after and 1M start-up, in one run on the same
# data: `--only index` with the BEFORE binary, then with the AFTER binary,
# then `--only startup-1m` with the AFTER binary, each in a fresh process.
#
#   tools/bench/index_memory.sh BEFORE_BIN AFTER_BIN DATA_1M STORE_1M OUT_DIR
#
# DATA_1M holds terms.txt and queries.tsv of the 1M data and a tm/ (the
# bench reads it at start); STORE_1M is the 1M store (built by the first
# startup-1m run when missing). Prints one summary line per run; the full
# JSON reports go to OUT_DIR.
set -euo pipefail
before=$1 after=$2 data=$3 store1m=$4 out=$5
mkdir -p "$out"
summary() {
  python3 - "$1" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
for name, v in r.items():
    if not isinstance(v, dict):
        continue
    keys = ["indexed_terms", "rss_growth_mb", "mb_per_million_terms", "heap_mb_estimate", "build_cpu_s", "build_wall_s"]
    print(name, {k: v[k] for k in keys if k in v})
EOF
}
for which in before after; do
  bin=$before
  [ "$which" = after ] && bin=$after
  "$bin" --data "$data" --store "$out/store-unused" --out "$out/index-$which.json" --only index > /dev/null
  echo "index, $which ($bin):"
  summary "$out/index-$which.json"
done
"$after" --data "$data" --data-1m "$data" --store "$out/store-unused" --store-1m "$store1m" \
  --out "$out/startup-1m.json" --only startup-1m > /dev/null
echo "startup-1m (after):"
cat "$out/startup-1m.json"
