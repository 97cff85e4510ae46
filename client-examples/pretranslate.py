#!/usr/bin/env python3
"""Pre-translate an XLIFF file (1.2 or 2.x) from the glossary server's translation memory.

    python3 client-examples/pretranslate.py FILE.xlf [--output OUT.xlf] [--base-url URL]
        [--threshold 100] [--src vi] [--tgt en] [--overwrite] [--api-key KEY]

Sends the file to POST /api/v1/pretranslate, writes the filled file (to
OUT, default FILE with ".pretranslated" before its extension) and prints
the report the server puts in the X-Pretranslate-Report header: how many
segments were filled from exact and fuzzy matches, offered candidates only,
had no match, or were already translated, with their words. Standard
library only.
"""
import argparse
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

CLASSES = [
    ("exact", "exact matches (filled)"),
    ("fuzzy", "fuzzy matches (filled, to review)"),
    ("candidate", "candidates only"),
    ("none", "no match"),
    ("kept", "already translated"),
    ("skipped", "not for translation"),
]


def pretranslate(base_url, path, params, api_key=None):
    """The filled file and the report, or exits with the server's error."""
    with open(path, "rb") as f:
        body = f.read()
    query = urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
    url = base_url.rstrip("/") + "/api/v1/pretranslate" + ("?" + query if query else "")
    headers = {"Content-Type": "application/xliff+xml"}
    if api_key:
        headers["Authorization"] = "Bearer " + api_key
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=300) as resp:
            return resp.read(), json.loads(resp.headers["X-Pretranslate-Report"])
    except urllib.error.HTTPError as e:
        err = json.loads(e.read() or b"{}")
        sys.exit(f"server error {e.code} {err.get('code')}: {err.get('message')}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("--output", help="where to write the filled file")
    ap.add_argument("--base-url", default=os.environ.get("BASE_URL", "http://127.0.0.1:8080"))
    ap.add_argument("--threshold", type=float, help="lowest match %% that fills a target (server default 100)")
    ap.add_argument("--src", help="source language (default: the file's)")
    ap.add_argument("--tgt", help="target language (default: the file's)")
    ap.add_argument("--overwrite", action="store_true", help="replace targets already there")
    ap.add_argument("--api-key", default=os.environ.get("GLOSSARY_API_KEY"))
    args = ap.parse_args()

    params = {"threshold": args.threshold, "src": args.src, "tgt": args.tgt}
    if args.overwrite:
        params["overwrite"] = "true"
    document, report = pretranslate(args.base_url, args.file, params, args.api_key)
    stem, ext = os.path.splitext(args.file)
    output = args.output or f"{stem}.pretranslated{ext or '.xlf'}"
    with open(output, "wb") as f:
        f.write(document)

    print(f"{args.file}: XLIFF {report['version']}, {report['segments']} segments -> {output}")
    for key, label in CLASSES:
        c = report[key]
        print(f"  {label:<34} {c['segments']:>5} segments {c['words']:>7} words")
    if report["codes_not_placed"]:
        print(f"  {report['codes_not_placed']} matches left as candidates: their inline codes could not be placed")
    print(f"  {report['glossary_notes']} glossary notes")
    translatable = sum(report[k]["words"] for k in ("exact", "fuzzy", "candidate", "none"))
    filled = report["exact"]["words"] + report["fuzzy"]["words"]
    if translatable:
        print(f"  {100 * filled / translatable:.0f}% of the words to translate are pre-translated")


if __name__ == "__main__":
    main()
