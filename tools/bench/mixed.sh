#!/usr/bin/env bash
# A team's mixed load against a real server on loopback, and memory across
# repeated bursts (issue 10's benchmark):
#
#   tools/bench/mixed.sh [--concepts N] [--tm N] [--bursts N] [--seconds S]
#
# Builds (once) a store with N concepts (default 50,000) and a TM (default
# 20,000 units) from ../shared/bench's generated data, copies it, starts
# `glossary-server serve` on it, then runs wrk -t2 -c32 with
# tools/bench/mixed.lua (70% lookup / 20% suggest / 10% concept create)
# for S seconds (default 20), N bursts (default 3) with a 10 s pause
# between them, sampling the server's RSS every second. For the ratio the
# same wrk settings run lookups alone first (the baseline of this run).
# Prints one summary table; raw outputs in target/bench-results/mixed/.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SHARED="$(cd "$ROOT/.." && pwd)/shared/bench"
CONCEPTS=50000 TM=20000 BURSTS=3 SECONDS_=20
while [ $# -gt 0 ]; do
  case "$1" in
    --concepts) CONCEPTS=$2; shift 2 ;;
    --tm) TM=$2; shift 2 ;;
    --bursts) BURSTS=$2; shift 2 ;;
    --seconds) SECONDS_=$2; shift 2 ;;
    *) echo "usage: $0 [--concepts N] [--tm N] [--bursts N] [--seconds S]" >&2; exit 2 ;;
  esac
done
T="$ROOT/target" DATA="$ROOT/target/bench-data"
RES="$T/bench-results/mixed"
MIX="$DATA/mixed-$CONCEPTS-$TM"
mkdir -p "$RES" "$MIX/tm"
command -v wrk >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
if [ ! -f "$DATA/terms.txt" ] || [ ! -f "$DATA/tm/segments.txt" ]; then
  [ -f "$SHARED/gen_data.py" ] || { echo "error: $SHARED/gen_data.py not found (needs ../shared)" >&2; exit 1; }
  ANCHOR_DATA="$DATA" python3 "$SHARED/gen_data.py"
  ANCHOR_DATA="$DATA" python3 "$SHARED/gen_tm.py"
fi
head -n "$CONCEPTS" "$DATA/terms.txt" >"$MIX/terms.txt"
cp "$DATA/queries.tsv" "$MIX/queries.tsv"
head -n "$TM" "$DATA/tm/segments.txt" >"$MIX/tm/segments.txt"
cp "$DATA/tm/queries.tsv" "$MIX/tm/queries.tsv"

(cd "$ROOT" && cargo build --release --locked -p bench -p server)
"$T/release/glossary-bench" --data "$MIX" --store "$MIX/store" --only build --out /dev/null >/dev/null
STORE="$RES/store"
rm -rf "$STORE" && cp -r "$MIX/store" "$STORE"

PORT=18473
RUST_LOG=warn "$T/release/glossary-server" serve --data-dir "$STORE" --bind "127.0.0.1:$PORT" --no-seed \
  >"$RES/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do
  curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break
  kill -0 "$SERVER" 2>/dev/null || { echo "error: the server exited; see $RES/server.log" >&2; exit 1; }
  sleep 0.5
done
rss() { awk '/^VmRSS/ {printf "%.0f", $2/1024}' "/proc/$SERVER/status"; }
sample() { # sample RSS every second while wrk runs: sample FILE PID
  while kill -0 "$2" 2>/dev/null; do echo "$(date +%s) $(rss)" >>"$1"; sleep 1; done
}
export BENCH_QUERIES="$MIX/queries.tsv" BENCH_TM_QUERIES="$MIX/tm/queries.tsv"
echo "start RSS $(rss) MB" | tee "$RES/summary.txt"
# Warm-up (page cache, first allocations), not measured.
wrk -t2 -c32 -d5s -s "$ROOT/tools/bench/lookup.lua" "http://127.0.0.1:$PORT" >/dev/null
wrk -t2 -c32 -d"${SECONDS_}s" --latency -s "$ROOT/tools/bench/lookup.lua" "http://127.0.0.1:$PORT" >"$RES/lookup.txt"
base=$(awk '/Requests\/sec/ {print $2}' "$RES/lookup.txt")
echo "lookup only (baseline): $base req/s, p99 $(awk '$1=="99%" {print $2}' "$RES/lookup.txt"), RSS $(rss) MB" | tee -a "$RES/summary.txt"
: >"$RES/rss.txt"
for b in $(seq 1 "$BURSTS"); do
  BENCH_RUN="r$$-$b" wrk -t2 -c32 -d"${SECONDS_}s" --latency -s "$ROOT/tools/bench/mixed.lua" \
    "http://127.0.0.1:$PORT" >"$RES/burst$b.txt" &
  W=$!
  sample "$RES/rss.txt" "$W" &
  wait "$W"
  rps=$(awk '/Requests\/sec/ {print $2}' "$RES/burst$b.txt")
  p99=$(awk '$1=="99%" {print $2}' "$RES/burst$b.txt")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$RES/burst$b.txt")
  ratio=$(python3 -c "print(f'{$rps/$base:.2f}')")
  echo "burst $b: $rps req/s (x$ratio of lookup-only), p99 $p99, non-2xx ${non2xx:-0}, RSS after $(rss) MB" | tee -a "$RES/summary.txt"
  sleep 10
  echo "  after 10 s idle: RSS $(rss) MB" | tee -a "$RES/summary.txt"
done
echo "concepts now: $(curl -sf "http://127.0.0.1:$PORT/api/v1/health" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("concepts", d))')" | tee -a "$RES/summary.txt"
