#!/usr/bin/env python3
"""Regenerates glossary/data/vi-syllable-freq.tsv, the reference frequencies
of Vietnamese syllables that term mining compares a corpus against.

Source: the Vietnamese word list of the `wordfreq` package by Robyn Speer
(https://github.com/rspeer/wordfreq), whose data is licensed CC BY-SA 4.0.
The output is a derived work under the same licence.

Usage: python3 tools/build_vi_syllable_freq.py [OUTPUT]
Installs wordfreq with pip if it is missing.
"""
import subprocess
import sys
from pathlib import Path

try:
    import wordfreq
except ImportError:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", "wordfreq==3.1.1"])
    import wordfreq

LIMIT = 20000

out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "glossary/data/vi-syllable-freq.tsv"
rows = []
for word in wordfreq.top_n_list("vi", LIMIT, wordlist="best"):
    # wordfreq's Vietnamese list is tokenised into syllables; keep only
    # single alphabetic syllables (no digits, punctuation or spaces).
    if " " in word or not word.isalpha():
        continue
    zipf = wordfreq.zipf_frequency(word, "vi", wordlist="best")
    rows.append((word, round(zipf * 100)))

with out.open("w", encoding="utf-8") as f:
    f.write("# Vietnamese syllable frequencies, Zipf scale x 100 (log10 of frequency per billion words, x 100).\n")
    f.write(f"# Derived from wordfreq {getattr(wordfreq, '__version__', '3.1.1')} (Robyn Speer et al.), data licensed CC BY-SA 4.0;\n")
    f.write("# this file is distributed under CC BY-SA 4.0. Regenerate: python3 tools/build_vi_syllable_freq.py\n")
    for word, z in rows:
        f.write(f"{word}\t{z}\n")
print(f"wrote {len(rows)} syllables to {out}", file=sys.stderr)
