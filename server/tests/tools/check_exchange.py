#!/usr/bin/env python3
"""Reads exported files with translate-toolkit, the library behind many
localisation tools, and checks that it sees the expected term pairs.

Usage: check_exchange.py SPEC.json

SPEC lists files and the (source, target) pairs each must yield:
  {"tbx": [{"path": "...", "pairs": [["hòa bình", "peace"], ...]}],
   "tmx": [{"path": "...", "pairs": [[...]]}]}
Every expected pair must be among the units translate-toolkit reads, and
the number of units must equal the number of pairs. Prints one line per
file; exits 1 on the first mismatch.
"""
import json
import sys

from translate.storage import tbx, tmx


def units(store):
    return [(str(u.source), str(u.target)) for u in store.units if not u.isheader()]


def check(kind, reader, entry):
    got = units(reader.parsefile(entry["path"]))
    want = [tuple(p) for p in entry["pairs"]]
    missing = [p for p in want if p not in got]
    if missing or len(got) != len(want):
        print(f"{kind} {entry['path']}: read {len(got)} units {got[:5]}..., "
              f"expected {len(want)}; missing {missing[:5]}")
        sys.exit(1)
    print(f"ok {kind} {entry['path']}: {len(got)} pairs")


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        spec = json.load(f)
    for entry in spec.get("tbx", []):
        check("tbx", tbx.tbxfile, entry)
    for entry in spec.get("tmx", []):
        check("tmx", tmx.tmxfile, entry)


if __name__ == "__main__":
    main()
