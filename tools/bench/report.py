#!/usr/bin/env python3
"""Prints the comparison table (Markdown) from the results of run.sh.

Usage: report.py RESULTS_DIR   (ours.json, the peers' JSON files, wrk_*.txt)
"""
import json
import os
import re
import sys

RES = sys.argv[1]
CLASSES = ["nodiac", "typo", "swap", "nodiac_typo", "all"]


def load(name):
    path = os.path.join(RES, name)
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def fmt(x, digits=3):
    return "—" if x is None else f"{x:.{digits}f}".rstrip("0").rstrip(".") if isinstance(x, float) else str(x)


def recall(r):
    if not r:
        return "—"
    return " / ".join(fmt(r.get(c)) for c in CLASSES)


def ratio(peer, ours):
    if peer is None or not ours:
        return "—"
    return f"{peer / ours:.0f}×"


ours = load("ours.json") or {}
rf = load("rapidfuzz_ratio_fold.json")
pg = load("pg_sim_fold_t05.json")
pg_load = load("pg_load.json")
tm_rf = load("tm_rapidfuzz_lev_word.json")

rows = []
lk = ours.get("lookup_200k", {})
ix = ours.get("index_200k", {})
ours_mean = lk.get("cpu_ms_mean")
print("## Glossary lookup, 200k terms, 1,000 queries (CPU ms per query; recall@5 nodiac / typo / swap / nodiac_typo / all)\n")
print("| engine | p50 | p99 | mean | recall@5 | index build | memory | our speed-up (mean) |")
print("|---|---|---|---|---|---|---|---|")
print(f"| **ours**: `Glossary::lookup` (index + scoring + store reads) | {fmt(lk.get('cpu_ms_p50'))} | {fmt(lk.get('cpu_ms_p99'))} "
      f"| {fmt(ours_mean)} | {recall(lk.get('recall@5'))} | {fmt(ix.get('build_cpu_s'))} s CPU "
      f"({ix.get('indexed_terms', '—')} terms, vi + en) | {fmt(ix.get('rss_growth_mb'), 0)} MB RSS | — |")
print(f"| ours: `lookup::rank` on the index alone | {fmt(ix.get('cpu_ms_p50'))} | {fmt(ix.get('cpu_ms_p99'))} "
      f"| {fmt(ix.get('cpu_ms_mean'))} | {recall(ix.get('recall@5'))} | | | — |")
if rf:
    print(f"| RapidFuzz `process.extract`, `fuzz.ratio` on folded strings ({rf.get('rapidfuzz_version', '')}) | — | — "
          f"| {fmt(rf['cpu_ms_per_query'])} | {recall(rf['recall@5'])} | none | — | **{ratio(rf['cpu_ms_per_query'], ours_mean)}** |")
if pg:
    build = f"{fmt(pg_load['gin_fold_build_s'])} s (GIN, wall)" if pg_load else "—"
    mem = f"{pg_load['gin_fold_bytes'] / 1048576:.0f} MB GIN" if pg_load else "—"
    print(f"| PostgreSQL pg_trgm GIN, folded column, threshold 0.5 (backend CPU) | — | — "
          f"| {fmt(pg['backend_cpu_ms_per_query'])} | {recall(pg['recall@5'])} | {build} | {mem} "
          f"| **{ratio(pg['backend_cpu_ms_per_query'], ours_mean)}** |")

m = ours.get("index_1m")
if m:
    print("\n## Glossary lookup, 1M terms (index + ranking in process, no store)\n")
    print("| p50 | p99 | mean | recall@5 | index build | memory (RSS growth) | MB per million terms |")
    print("|---|---|---|---|---|---|---|")
    print(f"| {fmt(m['cpu_ms_p50'])} | {fmt(m['cpu_ms_p99'])} | {fmt(m['cpu_ms_mean'])} | {recall(m['recall@5'])} "
          f"| {fmt(m['build_cpu_s'])} s CPU ({m['indexed_terms']} terms) | {fmt(m['rss_growth_mb'], 0)} MB "
          f"| {fmt(m['mb_per_million_terms'], 0)} |")

big = load("ours-startup-1m.json")
if big and "startup_1m" in big:
    s1, l1 = big["startup_1m"], big["lookup_1m"]
    print(f"\nWith a 1M-concept store: `Glossary::open` {fmt(s1['open_cpu_s'])} s CPU ({fmt(s1['open_wall_s'])} s wall), "
          f"RSS +{fmt(s1['rss_growth_mb'], 0)} MB; `Glossary::lookup` p50 {fmt(l1['cpu_ms_p50'])} ms, "
          f"p99 {fmt(l1['cpu_ms_p99'])} ms, recall@5 {recall(l1['recall@5'])}.")

st = ours.get("startup_200k")
if st:
    print(f"\nStart-up (`Glossary::open`: read {st['concepts']} concepts and 100k TM units from sled, build all indexes): "
          f"{fmt(st['open_cpu_s'])} s CPU, {fmt(st['open_wall_s'])} s wall.")

tm = ours.get("tm_100k")
if tm:
    print("\n## TM fuzzy matching, 100k segments, threshold 70 (CPU ms per query)\n")
    print("| engine | p50 | p99 | mean | near recall | missed vs brute force (all / ≥ 80%) | speed-up |")
    print("|---|---|---|---|---|---|---|")
    i, b = tm["index"], tm["brute_force"]
    print(f"| **ours**: `TmIndex::search` (500 queries) | {fmt(i['cpu_ms_p50'])} | {fmt(i['cpu_ms_p99'])} | {fmt(i['cpu_ms_mean'])} "
          f"| {fmt(tm['recall_near'])} | {tm['missed']} / {tm['missed_ge_80']} of {tm['brute_force_matches']} "
          f"(first {tm['brute_force_queries']} queries) | — |")
    print(f"| ours, brute force `TmIndex::search_brute_force` (first {tm['brute_force_queries']}) | {fmt(b['cpu_ms_p50'])} "
          f"| {fmt(b['cpu_ms_p99'])} | {fmt(b['cpu_ms_mean'])} | | | **{fmt(tm['speedup'], 0)}×** (same queries) |")
    if tm_rf:
        print(f"| RapidFuzz word-level Levenshtein brute force ({tm_rf['n_queries']} queries) | — | — "
              f"| {fmt(tm_rf['cpu_ms_per_query'])} | {fmt(tm_rf['recall_near'])} | | **{ratio(tm_rf['cpu_ms_per_query'], i['cpu_ms_mean'])}** |")
    sg = ours.get("suggest_100k")
    if sg:
        print(f"| ours, `Glossary::suggest` (matches + adapted targets + recognised terms) | {fmt(sg['cpu_ms_p50'])} "
              f"| {fmt(sg['cpu_ms_p99'])} | {fmt(sg['cpu_ms_mean'])} | | | |")
    tmm = ours.get("tm_matches_100k")
    if tmm:
        print(f"| ours, whole API path `Glossary::tm_matches` (store reads, CAT score, diff) | {fmt(tmm['cpu_ms_p50'])} "
              f"| {fmt(tmm['cpu_ms_p99'])} | {fmt(tmm['cpu_ms_mean'])} | | | |")

rc = ours.get("recognition_200k")
if rc:
    print("\n## Term recognition, 200k concepts (sentences with two embedded terms)\n")
    print("| path | p50 ms | p99 ms | sentences / CPU second | embedded terms found |")
    print("|---|---|---|---|---|")
    ft = rc["find_terms"]
    print(f"| `Glossary::find_terms` (tokens, term-key probes, word edges, marks check) | {fmt(ft['cpu_ms_p50'])} | {fmt(ft['cpu_ms_p99'])} "
          f"| **{rc['find_terms_sentences_per_cpu_second']:.0f}** | {fmt(rc['embedded_terms_found'])} |")
    print(f"| `Glossary::recognize` (+ concepts read from the store, equivalents) | {fmt(rc['cpu_ms_p50'])} | {fmt(rc['cpu_ms_p99'])} "
          f"| {rc['sentences_per_cpu_second']:.0f} | |")
    print(f"\nFirst call (nothing is built on the request path): {fmt(rc['first_call_cpu_s'])} s CPU.")


def wrk(name):
    path = os.path.join(RES, name)
    if not os.path.exists(path):
        return None
    text = open(path, encoding="utf-8").read()
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    p50 = re.search(r"^\s+50%\s+(\S+)", text, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", text, re.M)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return {"rps": rps.group(1) if rps else "—", "p50": p50.group(1) if p50 else "—",
            "p99": p99.group(1) if p99 else "—", "errors": errors.group(1) if errors else "0"}


lw, sw = wrk("wrk_lookup.txt"), wrk("wrk_suggest.txt")
if lw or sw:
    print("\n## HTTP (wrk -t2 -c64 -d10s on loopback, 200k concepts + 100k TM units, server on the same 2 cores)\n")
    print("| route | req/s | p50 | p99 | non-2xx |")
    print("|---|---|---|---|---|")
    for route, w in [("GET /api/v1/lookup", lw), ("POST /api/v1/suggest", sw)]:
        if w:
            print(f"| {route} | {w['rps']} | {w['p50']} | {w['p99']} | {w['errors']} |")
