#!/usr/bin/env bash
# Runs every benchmark of the project and its peers on the same data and
# prints one comparison table. See README, section "Performance".
#
#   tools/bench/run.sh [--no-1m] [--no-pg] [--no-http] [--startup-1m]
#
# --startup-1m also builds a sled store with the 1M concepts (several
# minutes, about 1.3 GB) and measures Glossary::open and lookup on it.
#
# Installs what it needs (Debian: wrk, postgresql, postgresql-contrib,
# python3-venv; PyPI into target/bench-venv: rapidfuzz, numpy, psycopg),
# generates the data with ../shared/bench/gen_data.py and gen_tm.py into
# target/bench-data, builds in release mode, runs glossary-bench, the peer
# scripts (from a copy under target/bench-peers, since shared/ is read-only)
# and wrk against a real `glossary-server serve` on loopback, then
# target/bench-results/report.md. Needs root for apt-get and the private
# PostgreSQL cluster (run as the postgres user).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SHARED="$(cd "$ROOT/.." && pwd)/shared/bench"
WITH_1M=1 WITH_PG=1 WITH_HTTP=1 STARTUP_1M=0
for arg in "$@"; do
  case "$arg" in
    --no-1m) WITH_1M=0 ;;
    --no-pg) WITH_PG=0 ;;
    --no-http) WITH_HTTP=0 ;;
    --startup-1m) STARTUP_1M=1 ;;
    *) echo "usage: $0 [--no-1m] [--no-pg] [--no-http] [--startup-1m]" >&2; exit 2 ;;
  esac
done
if [ ! -f "$SHARED/gen_data.py" ]; then
  echo "error: $SHARED/gen_data.py not found; the benchmarks need shared/ next to the repository root (../shared)" >&2
  exit 1
fi
T="$ROOT/target"
DATA="$T/bench-data" RES="$T/bench-results" PEERS="$T/bench-peers" VENV="$T/bench-venv"
mkdir -p "$DATA" "$RES" "$PEERS"
log() { printf '\n== %s\n' "$*" >&2; }

log "system packages"
need=()
command -v wrk >/dev/null || need+=(wrk)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql postgresql-contrib)
ls /usr/share/postgresql/*/extension/pg_trgm.control >/dev/null 2>&1 || need+=(postgresql-contrib)
python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi

log "python peers' packages in $VENV"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -c 'import rapidfuzz, numpy, psycopg' 2>/dev/null \
  || "$VENV/bin/pip" install -q rapidfuzz numpy "psycopg[binary]"

log "data in $DATA"
export ANCHOR_DATA="$DATA" ANCHOR_RESULTS="$RES"
[ -f "$DATA/terms.txt" ] || python3 "$SHARED/gen_data.py"
[ -f "$DATA/tm/segments.txt" ] || python3 "$SHARED/gen_tm.py"
ONE_M=()
if [ "$WITH_1M" = 1 ]; then
  [ -f "$DATA/1m/terms.txt" ] || ANCHOR_DATA="$DATA/1m" python3 "$SHARED/gen_data.py" --terms 1000000
  ONE_M=(--data-1m "$DATA/1m")
fi

log "release build"
(cd "$ROOT" && cargo build --release --locked -p bench -p server)

log "ours: glossary-bench"
"$T/release/glossary-bench" --data "$DATA" "${ONE_M[@]}" --store "$DATA/store-200k" --out "$RES/ours.json" >/dev/null

if [ "$STARTUP_1M" = 1 ] && [ "$WITH_1M" = 1 ]; then
  log "ours: start-up and lookup on a 1M-concept store"
  "$T/release/glossary-bench" --data "$DATA" --data-1m "$DATA/1m" --store "$DATA/store-200k" \
    --store-1m "$DATA/store-1m" --only startup-1m --out "$RES/ours-startup-1m.json" >/dev/null
fi

log "peers (scripts copied from $SHARED)"
cp "$SHARED"/*.py "$SHARED/pg.sh" "$PEERS/"
ln -sfn "$DATA" "$PEERS/data"
(cd "$PEERS" && "$VENV/bin/python" bench_rapidfuzz.py ratio_fold >/dev/null)
# Word-level brute force of the TM, on the first 100 queries (about 0.1 s each).
(cd "$PEERS" && "$VENV/bin/python" bench_tm_rapidfuzz.py lev_word --limit 100 >/dev/null)
if [ "$WITH_PG" = 1 ]; then
  PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  sed -i "s|^PGBIN=.*|PGBIN=$PGBIN|" "$PEERS/pg.sh"
  bash "$PEERS/pg.sh" destroy >/dev/null 2>&1 || true
  trap 'bash "$PEERS/pg.sh" stop >/dev/null 2>&1 || true' EXIT
  bash "$PEERS/pg.sh" init
  (cd "$PEERS" && "$VENV/bin/python" bench_pg.py load >/dev/null && "$VENV/bin/python" bench_pg.py run sim_fold_t05 >/dev/null)
  bash "$PEERS/pg.sh" stop >/dev/null
fi

if [ "$WITH_HTTP" = 1 ]; then
  log "HTTP: wrk against glossary-server on loopback"
  PORT=18471
  RUST_LOG=warn "$T/release/glossary-server" serve --data-dir "$DATA/store-200k" --bind "127.0.0.1:$PORT" --no-seed \
    >"$RES/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 240); do
    curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break
    kill -0 "$SERVER" 2>/dev/null || { echo "error: the server exited; see $RES/server.log" >&2; exit 1; }
    sleep 0.5
  done
  # Warm-up: the page cache and the segmentation lexicon are loaded by the
  # first requests, which is start-up cost, not per request.
  curl -sf "http://127.0.0.1:$PORT/api/v1/lookup?q=huu%20nghi&src=vi&tgt=en" >/dev/null
  curl -sf -H 'Content-Type: application/json' -d '{"text":"hữu nghị","src":"vi","tgt":"en"}' \
    "http://127.0.0.1:$PORT/api/v1/suggest" >/dev/null
  BENCH_QUERIES="$DATA/queries.tsv" wrk -t2 -c64 -d10s --latency -s "$ROOT/tools/bench/lookup.lua" \
    "http://127.0.0.1:$PORT" >"$RES/wrk_lookup.txt"
  BENCH_QUERIES="$DATA/tm/queries.tsv" wrk -t2 -c64 -d10s --latency -s "$ROOT/tools/bench/suggest.lua" \
    "http://127.0.0.1:$PORT" >"$RES/wrk_suggest.txt"
  kill "$SERVER"
  wait "$SERVER" 2>/dev/null || true
fi

log "report"
"$VENV/bin/python" "$ROOT/tools/bench/report.py" "$RES" | tee "$RES/report.md"
