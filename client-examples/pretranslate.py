#!/usr/bin/env python3
"""Pre-translate a Vietnamese plain-text file sentence by sentence through
the glossary server's /api/v1/suggest/batch, standard library only.

    python3 client-examples/pretranslate.py FILE [--base-url URL] [--src vi] [--tgt en] [--threshold 70]

For each sentence it prints the best TM suggestion with its score (the
adapted target when only numbers, dates or glossary terms differ) and the
glossary terms found with their approved English. Sentence splitting here is
deliberately simple (the server's own splitter is used by its mining and
alignment features); one sentence per line in FILE gives full control.
"""
import argparse
import json
import os
import re
import sys
import urllib.error
import urllib.request

BATCH = 200


def sentences(text):
    """Lines, then sentence ends (. ! ? followed by space and a capital)."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        parts = re.split(r"(?<=[.!?])\s+(?=[A-ZÀ-Ỹ\"“])", line)
        out.extend(p.strip() for p in parts if p.strip())
    return out


def post(url, body, api_key=None):
    headers = {"Content-Type": "application/json"}
    if api_key:
        headers["Authorization"] = "Bearer " + api_key
    req = urllib.request.Request(url, data=json.dumps(body).encode("utf-8"), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return json.loads(resp.read())
    except urllib.error.HTTPError as e:
        err = json.loads(e.read() or b"{}")
        sys.exit(f"server error {e.code} {err.get('code')}: {err.get('message')}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("--base-url", default=os.environ.get("BASE_URL", "http://127.0.0.1:8080"))
    ap.add_argument("--src", default="vi")
    ap.add_argument("--tgt", default="en")
    ap.add_argument("--threshold", type=float, default=70)
    args = ap.parse_args()

    with open(args.file, encoding="utf-8") as f:
        todo = sentences(f.read())
    url = args.base_url.rstrip("/") + "/api/v1/suggest/batch"
    translated = 0
    for start in range(0, len(todo), BATCH):
        chunk = todo[start : start + BATCH]
        body = {"sentences": chunk, "src": args.src, "tgt": args.tgt, "threshold": args.threshold, "limit": 1}
        for n, result in enumerate(post(url, body, os.environ.get("API_KEY"))["results"], start + 1):
            print(f"[{n}] {result['text']}")
            if result["matches"]:
                best = result["matches"][0]
                target = best["adapted"]["target"] if "adapted" in best else best["unit"]["target"]
                how = " adapted" if "adapted" in best else ""
                print(f"    TM {best['score']:.1f}%{how}: {target}")
                translated += 1
            else:
                print("    TM: no match")
            for term in result["terms"]:
                concept = term["concepts"][0]
                english = ", ".join(t["text"] for t in concept["targets"]) or "(no English yet)"
                print(f"    term: {term['text']} = {english}")
            for warning in result["warnings"]:
                print(f"    warning: {warning}")
    print(f"{translated}/{len(todo)} sentences have a TM suggestion")


if __name__ == "__main__":
    main()
