#!/usr/bin/env bash
# Throughput and change-feed lag of one and of two servers sharing one
# PostgreSQL database (issue 14, step 3):
#
#   tools/bench/replicas.sh [--concepts N] [--tm N] [--seconds S]
#
# Builds (release) a sled store with N concepts (default 20,000) and N TM
# units (default 10,000) from ../shared/bench's generated data, starts a
# private PostgreSQL cluster (initdb in a temporary directory, loopback,
# fsync on, as in production), copies the store into it with copy-store,
# then runs tools/bench/mixed.lua (70% lookup / 20% suggest / 10% concept
# create) for S seconds (default 20):
#   1. against one server (wrk -t2 -c32);
#   2. against two servers on the same database (two wrk -t1 -c16, one per
#      server, at the same time).
# During each run a probe samples every server's health feed lag (changes
# not yet applied) five times a second and, with two servers, creates a
# concept on one and times until a lookup on the other finds it.
# Prints one table; raw outputs in $OUT (default target/bench-results/replicas).
# The cluster and the temporary directory are removed on exit.
# BENCH_DATA points at an existing generated data directory (terms.txt,
# queries.tsv, tm/) instead of target/bench-data.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SHARED="$(cd "$ROOT/.." && pwd)/shared/bench"
CONCEPTS=20000 TM=10000 SECONDS_=20
while [ $# -gt 0 ]; do
  case "$1" in
    --concepts) CONCEPTS=$2; shift 2 ;;
    --tm) TM=$2; shift 2 ;;
    --seconds) SECONDS_=$2; shift 2 ;;
    *) echo "usage: $0 [--concepts N] [--tm N] [--seconds S]" >&2; exit 2 ;;
  esac
done
T="$ROOT/target"
DATA="${BENCH_DATA:-$T/bench-data}"
OUT="${OUT:-$T/bench-results/replicas}"
mkdir -p "$OUT"
command -v wrk >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
if [ ! -f "$DATA/terms.txt" ] || [ ! -f "$DATA/tm/segments.txt" ]; then
  [ -f "$SHARED/gen_data.py" ] || { echo "error: $SHARED/gen_data.py not found (needs ../shared)" >&2; exit 1; }
  ANCHOR_DATA="$DATA" python3 "$SHARED/gen_data.py"
  ANCHOR_DATA="$DATA" python3 "$SHARED/gen_tm.py"
fi
PGBIN="${GLOSSARY_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)}"
[ -x "$PGBIN/initdb" ] || { echo "error: PostgreSQL not found (install postgresql or set GLOSSARY_PG_BIN)" >&2; exit 1; }

(cd "$ROOT" && cargo build --release --locked -p bench -p server)
SERVER_BIN="$T/release/glossary-server"

WORK="$(mktemp -d /tmp/glossary-replicas.XXXXXX)"
PIDS=()
aspg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -d "$WORK/pg/data" ] && aspg "$PGBIN/pg_ctl" -D "$WORK/pg/data" stop -m immediate >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# Data: the first N terms and units, a sled store built from them.
mkdir -p "$WORK/data/tm"
head -n "$CONCEPTS" "$DATA/terms.txt" >"$WORK/data/terms.txt"
cp "$DATA/queries.tsv" "$WORK/data/queries.tsv"
head -n "$TM" "$DATA/tm/segments.txt" >"$WORK/data/tm/segments.txt"
cp "$DATA/tm/queries.tsv" "$WORK/data/tm/queries.tsv"
"$T/release/glossary-bench" --data "$WORK/data" --store "$WORK/sled" --only build --out /dev/null >/dev/null

# A private cluster: loopback TCP, socket in its directory, fsync on.
PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$WORK/pg"
[ "$(id -u)" = 0 ] && { chown postgres: "$WORK/pg"; chmod o+x "$WORK"; }
aspg "$PGBIN/initdb" -D "$WORK/pg/data" -U postgres -A trust -E UTF8 --locale=C >/dev/null
aspg "$PGBIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/log" -w \
  -o "-p $PGPORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c max_connections=100 -c shared_buffers=256MB" start >/dev/null
psql_() { aspg "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -qtA "$@"; }
psql_ -d postgres -c "CREATE DATABASE glossary"
URL="postgres://postgres@127.0.0.1:$PGPORT/glossary"
start=$(date +%s.%N)
"$SERVER_BIN" copy-store --from "$WORK/sled" --to "$URL" >"$OUT/copy-store.txt"
copy_s=$(python3 -c "import time; print(f'{time.time()-$start:.1f}')")
psql_ -d glossary -c "VACUUM ANALYZE"
records=$(psql_ -d glossary -c "SELECT count(*) FROM kv")
kv_bytes=$(psql_ -d glossary -c "SELECT pg_total_relation_size('kv')")
db_bytes=$(psql_ -d glossary -c "SELECT pg_database_size('glossary')")
# Per tree (codes as in docs/scale-out.md): records and mean key + value bytes.
psql_ -d glossary -F ' ' -c "SELECT tree, count(*), round(avg(pg_column_size(k) + pg_column_size(v))) \
  FROM kv GROUP BY tree ORDER BY tree" >"$OUT/trees.txt"

# serve PORT LOG: starts a server on the database, prints its pid once it answers.
serve() {
  RUST_LOG=warn "$SERVER_BIN" serve --store "$URL" --bind "127.0.0.1:$1" --no-seed >"$2" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:$1/api/v1/health" >/dev/null && { echo "$pid"; return; }
    kill -0 "$pid" 2>/dev/null || { echo "error: the server exited; see $2" >&2; exit 1; }
    sleep 0.1
  done
  echo "error: the server did not answer; see $2" >&2
  exit 1
}
rss() { awk '/^VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }

# probe SECONDS OUT PORT...: samples health feed lag of every server five
# times a second; with two servers, also creates a concept on the first
# every second and times until a lookup on the second finds it.
probe() {
  python3 - "$@" <<'PY'
import json, sys, time, urllib.request, urllib.parse
seconds, out, ports = float(sys.argv[1]), sys.argv[2], sys.argv[3:]
def get(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
        return json.load(r)
def post(port, path, body):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", json.dumps(body).encode(),
                                 {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status
lags, visible, n = [], [], 0
end = time.time() + seconds
next_probe = time.time() + 1
while time.time() < end:
    for p in ports:
        lags.append(get(p, "/api/v1/health")["feed"]["lag"])
    if len(ports) > 1 and time.time() >= next_probe:
        n += 1
        word = f"phép đo độ trễ {int(time.time())} {n}"
        post(ports[0], "/api/v1/concepts", {"terms": [{"lang": "vi", "text": word}, {"lang": "en", "text": f"lag probe {n}"}]})
        t0 = time.time()
        q = "/api/v1/lookup?src=vi&tgt=en&limit=1&q=" + urllib.parse.quote(word)
        while time.time() - t0 < 5:
            hits = get(ports[1], q)["hits"]
            if hits and hits[0]["targets"][0]["text"] == f"lag probe {n}":
                break
            time.sleep(0.005)
        visible.append((time.time() - t0) * 1000)
        next_probe = time.time() + 1
    time.sleep(0.2)
lags.sort(); visible.sort()
pct = lambda xs, q: xs[min(len(xs) - 1, int(q * len(xs)))] if xs else float("nan")
with open(out, "w") as f:
    json.dump({"lag_mean": sum(lags) / len(lags), "lag_p99": pct(lags, 0.99), "lag_max": lags[-1],
               "visible_ms_p50": pct(visible, 0.5), "visible_ms_max": visible[-1] if visible else float("nan"),
               "probes": len(visible)}, f)
PY
}
field() { python3 -c "import json,sys; print(round(json.load(open(sys.argv[1]))[sys.argv[2]], 1))" "$1" "$2"; }
wrk_rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
wrk_p99() { awk '$1=="99%" {print $2}' "$1"; }
export BENCH_QUERIES="$WORK/data/queries.tsv" BENCH_TM_QUERIES="$WORK/data/tm/queries.tsv"

# Memory: a server on an empty database, then on the loaded one (RSS
# right after start, before any request).
URL_LOADED="$URL"
psql_ -d postgres -c "CREATE DATABASE empty"
URL="postgres://postgres@127.0.0.1:$PGPORT/empty"
E=$(serve 18480 "$OUT/server-empty.log")
empty_rss=$(rss "$E")
kill "$E"
URL="$URL_LOADED"

# 1. One server.
t0=$(date +%s.%N)
A=$(serve 18481 "$OUT/server-a.log")
open_s=$(python3 -c "import time; print(f'{time.time()-$t0:.1f}')")
start_rss=$(rss "$A")
wrk -t2 -c32 -d5s -s "$ROOT/tools/bench/mixed.lua" http://127.0.0.1:18481 >/dev/null # warm-up
BENCH_RUN="one$$" wrk -t2 -c32 -d"${SECONDS_}s" --latency -s "$ROOT/tools/bench/mixed.lua" \
  http://127.0.0.1:18481 >"$OUT/one.txt" &
W=$!
probe "$SECONDS_" "$OUT/one-probe.json" 18481
wait "$W"
one_rss=$(rss "$A")

# 2. Two servers on the same database, each driven by its own wrk.
B=$(serve 18482 "$OUT/server-b.log")
wrk -t1 -c16 -d5s -s "$ROOT/tools/bench/mixed.lua" http://127.0.0.1:18482 >/dev/null # warm-up
BENCH_RUN="twoa$$" wrk -t1 -c16 -d"${SECONDS_}s" --latency -s "$ROOT/tools/bench/mixed.lua" \
  http://127.0.0.1:18481 >"$OUT/two-a.txt" &
WA=$!
BENCH_RUN="twob$$" wrk -t1 -c16 -d"${SECONDS_}s" --latency -s "$ROOT/tools/bench/mixed.lua" \
  http://127.0.0.1:18482 >"$OUT/two-b.txt" &
WB=$!
probe "$SECONDS_" "$OUT/two-probe.json" 18481 18482
wait "$WA" "$WB"
two_rps=$(python3 -c "print(round($(wrk_rps "$OUT/two-a.txt") + $(wrk_rps "$OUT/two-b.txt"), 1))")
concepts=$(curl -sf http://127.0.0.1:18481/api/v1/health | python3 -c 'import json,sys; print(json.load(sys.stdin)["concepts"])')

{
  echo "data: $CONCEPTS concepts + $TM TM units; $records kv records, kv table $((kv_bytes / 1024 / 1024)) MB" \
    "($((kv_bytes / records)) B/record), database $((db_bytes / 1024 / 1024)) MB; copy-store ${copy_s} s;" \
    "server start to first answer ${open_s} s"
  echo "server RSS right after start: empty database ${empty_rss} MB, loaded ${start_rss} MB"
  echo "per tree (tree records mean-bytes): $(tr '\n' ';' <"$OUT/trees.txt")"
  echo "mixed load (70% lookup / 20% suggest / 10% create), ${SECONDS_} s, release build, PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') fsync on"
  echo
  echo "| servers | req/s | p99 | feed lag mean / p99 / max (changes) | create on A → lookup on B (p50 / max) | RSS per server |"
  echo "|---------|------:|----:|------------------------------------:|--------------------------------------:|---------------:|"
  echo "| 1 | $(wrk_rps "$OUT/one.txt") | $(wrk_p99 "$OUT/one.txt") |" \
    "$(field "$OUT/one-probe.json" lag_mean) / $(field "$OUT/one-probe.json" lag_p99) / $(field "$OUT/one-probe.json" lag_max) | – | ${one_rss} MB |"
  echo "| 2 | $two_rps ($(wrk_rps "$OUT/two-a.txt") + $(wrk_rps "$OUT/two-b.txt")) | $(wrk_p99 "$OUT/two-a.txt") / $(wrk_p99 "$OUT/two-b.txt") |" \
    "$(field "$OUT/two-probe.json" lag_mean) / $(field "$OUT/two-probe.json" lag_p99) / $(field "$OUT/two-probe.json" lag_max) |" \
    "$(field "$OUT/two-probe.json" visible_ms_p50) / $(field "$OUT/two-probe.json" visible_ms_max) ms ($(field "$OUT/two-probe.json" probes) probes) |" \
    "$(rss "$A") / $(rss "$B") MB |"
  echo
  echo "concepts at the end: $concepts; non-2xx: one $(awk '/Non-2xx/ {print $5}' "$OUT/one.txt")," \
    "two $(awk '/Non-2xx/ {print $5}' "$OUT/two-a.txt") + $(awk '/Non-2xx/ {print $5}' "$OUT/two-b.txt")"
} | tee "$OUT/summary.txt"
