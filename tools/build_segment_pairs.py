#!/usr/bin/env python3
"""Regenerates glossary/data/vi-syllable-pairs.tsv: statistics of adjacent
syllable pairs in unlabelled Vietnamese text, for the word segmenter
(glossary/src/text/segment.rs), which uses them for pairs its lexicon lacks.

Source: the Vietnamese reference side of NTREX-128 (Microsoft, newstest2019
translated into 128 languages; https://github.com/MicrosoftTranslator/NTREX,
licensed CC BY-SA 4.0), 1,997 news sentences. Only raw text is read: no
segmentation. Text is cut into runs of letter-only syllables at punctuation,
digits and symbols; syllables are lowercased (NFC). For every pair of
adjacent syllables seen at least MIN_COUNT times we write its count and its
pointwise mutual information, log(c(ab) * N / (c(a) * c(b))) in nats, with N
the number of syllables. The output is a derived work of NTREX under CC BY-SA
4.0.

Usage: python3 tools/build_segment_pairs.py RAW.txt... > glossary/data/vi-syllable-pairs.tsv
(e.g. git show HEAD:NTREX-128/newstest2019-ref.vie.txt of the NTREX repository)
"""
import collections
import math
import re
import sys
import unicodedata

MIN_COUNT = 2


def runs(line):
    """Runs of adjacent letter-only syllables of a line."""
    current = []
    for piece in re.findall(r"\w+|[^\w\s]", unicodedata.normalize("NFC", line)):
        if piece.isalpha():
            current.append(piece.lower())
        else:
            if current:
                yield current
            current = []
    if current:
        yield current


def main():
    paths = sys.argv[1:]
    if not paths:
        sys.exit(__doc__)
    unigrams = collections.Counter()
    bigrams = collections.Counter()
    lines = 0
    for path in paths:
        for line in open(path, encoding="utf-8"):
            lines += 1
            for run in runs(line):
                unigrams.update(run)
                bigrams.update(zip(run, run[1:]))
    total = sum(unigrams.values())
    out = sys.stdout
    out.write("# Adjacent syllable pairs of unlabelled Vietnamese text: syllables<TAB>count<TAB>PMI (nats).\n")
    out.write(f"# Counted on {lines} sentences ({total} syllables) of the Vietnamese side of NTREX-128\n")
    out.write("# (Microsoft, https://github.com/MicrosoftTranslator/NTREX, CC BY-SA 4.0); this file is\n")
    out.write("# distributed under CC BY-SA 4.0. Regenerate: tools/build_segment_pairs.py\n")
    rows = []
    for (a, b), c in bigrams.items():
        if c >= MIN_COUNT:
            pmi = math.log(c * total / (unigrams[a] * unigrams[b]))
            rows.append((-c, a, b, pmi))
    for c, a, b, pmi in sorted(rows):
        out.write(f"{a} {b}\t{-c}\t{pmi:.2f}\n")
    print(f"{len(rows)} pairs from {total} syllables", file=sys.stderr)


if __name__ == "__main__":
    main()
