#!/usr/bin/env python3
"""Adapted targets on real news: no adapted target keeps a number the query changed.

    tools/adapt_check.sh        (builds the server, fetches NTREX-128, runs this)

Reads NTREX-128's line-aligned Vietnamese and English news sentences, writes
them as a TMX file, imports it into a fresh data directory, and for every
Vietnamese sentence holding a whole number (seeded choice) changes that
number and asks `glossary-server suggest --json` for suggestions. For each
query whose own unit comes back it checks the adapted target: it must not
keep the old number where the stored English had it, and must hold the new
one; otherwise no adapted target may be offered, and the refusal must say
why (`not_adapted.reason`). Prints the counts and every violation; exits 1
if there is one.
"""
import json
import random
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from xml.sax.saxutils import escape

server, ntrex = sys.argv[1], Path(sys.argv[2])
vi = (ntrex / "newstest2019-ref.vie.txt").read_text(encoding="utf-8").replace("\r", "").split("\n")
en = (ntrex / "newstest2019-src.eng.txt").read_text(encoding="utf-8").replace("\r", "").split("\n")
pairs = [(v.strip(), e.strip()) for v, e in zip(vi, en) if v.strip() and e.strip()]

def whole(n):
    """A number standing alone: not part of a longer number or a decimal."""
    return r"(?<![\d.,])" + re.escape(n) + r"(?![\d]|[.,]\d)"

rng = random.Random(7)
queries = []
for v, e in pairs:
    nums = [n for n in re.findall(r"(?<![\d.,])\d+(?![\d]|[.,]\d)", v)]
    if not nums:
        continue
    old = rng.choice(nums)
    new = str(int(old) + rng.choice([1, 2, 3, 7, 11]))
    queries.append({"q": re.sub(whole(old), new, v, count=1), "old": old, "new": new, "src": v, "tgt": e})

with tempfile.TemporaryDirectory() as work:
    tmx = Path(work) / "ntrex.tmx"
    with tmx.open("w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="adapt_check" '
                'creationtoolversion="1" segtype="sentence" o-tmf="none" adminlang="en" srclang="vi" '
                'datatype="plaintext"/><body>\n')
        for v, e in pairs:
            f.write(f'<tu><tuv xml:lang="vi"><seg>{escape(v)}</seg></tuv>'
                    f'<tuv xml:lang="en"><seg>{escape(e)}</seg></tuv></tu>\n')
        f.write("</body></tmx>\n")
    data = str(Path(work) / "data")
    subprocess.run([server, "import", "--data-dir", data, "--create", str(tmx)], check=True, capture_output=True)
    out = subprocess.run([server, "suggest", "--data-dir", data, "--src", "vi", "--tgt", "en", "--json",
                          "--limit", "1"], input="\n".join(q["q"] for q in queries) + "\n",
                         check=True, capture_output=True, text=True).stdout
results = [json.loads(line) for line in out.splitlines()]
assert len(results) == len(queries), (len(results), len(queries))

counts, reasons, violations = Counter(), Counter(), []
for q, r in zip(queries, results):
    match = next((m for m in r["matches"] if m["unit"]["source"] == q["src"]), None)
    if match is None:
        counts["own unit not returned"] += 1
        continue
    counts["matched"] += 1
    adapted = match.get("adapted")
    if not adapted:
        reason = (match.get("not_adapted") or {}).get("reason")
        reasons[reason] += 1
        if not reason:
            violations.append(("refused without a reason", q["q"]))
        continue
    counts["adapted"] += 1
    target = adapted["target"]
    in_stored = len(re.findall(whole(q["old"]), q["tgt"]))
    if in_stored and len(re.findall(whole(q["old"]), target)) > len(re.findall(whole(q["old"]), q["q"])):
        violations.append(("kept the old number", q["q"], target, q["old"], q["new"]))
    if in_stored and not re.findall(whole(q["new"]), target):
        violations.append(("lacks the new number", q["q"], target, q["old"], q["new"]))

print(f"{len(pairs)} TM units, {len(queries)} queries with one number changed")
print(", ".join(f"{k}: {v}" for k, v in counts.items()))
print("not adapted, by reason: " + ", ".join(f"{k}: {v}" for k, v in reasons.items()))
print(f"violations: {len(violations)}")
for v in violations:
    print("  ", v)
sys.exit(1 if violations else 0)
