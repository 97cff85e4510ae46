#!/usr/bin/env python3
"""Regenerates glossary/data/vi-syllable-pairs.tsv: statistics of adjacent
syllable pairs in unlabelled Vietnamese text, for the word segmenter
(glossary/src/text/segment.rs), which uses them for pairs its lexicon lacks.

Sources (raw text only, no segmentation; docs/segmentation.md):
- a plain-text sample of Vietnamese Wikipedia (7,878 articles, via
  github.com/undertheseanlp/corpus.viwiki; `tools/viwiki.sh` prints its
  path). Text by Wikipedia's contributors, licensed CC BY-SA.
- the Vietnamese reference side of NTREX-128 (Microsoft, newstest2019
  translated into 128 languages; https://github.com/MicrosoftTranslator/NTREX,
  CC BY-SA 4.0), 1,997 news sentences (`tools/ntrex.sh`).

Text is cut into runs of letter-only syllables at punctuation, digits and
symbols; syllables are lowercased (NFC). For every pair of adjacent
syllables seen at least --min-count times we write:
  count  how often the pair occurs;
  pmi    pointwise mutual information, log(c(ab) * N / (c(a) * c(b))) in
         nats, N the number of syllables;
  left   how many distinct syllables stand right before the pair (the start
         of a run counts as one more), its left accessor variety;
  right  the same after the pair.
A pair that is a word tends to have many different neighbours on both
sides; two syllables of a longer word have few on the side of the rest of
it. The output is a derived work of Wikipedia and NTREX under CC BY-SA.

--exclude GOLD.conllu (repeatable) drops every line of raw text that shares
a run of 8 syllables with a sentence of GOLD, so that a test set's text is
never counted; the number of lines dropped goes to stderr.

Usage: python3 tools/build_segment_pairs.py [--min-count N] [--exclude GOLD.conllu]... RAW.txt...
       > glossary/data/vi-syllable-pairs.tsv
"""
import collections
import math
import re
import sys
import unicodedata

MIN_COUNT = 8
WINDOW = 8
PIECE = re.compile(r"\w+|[^\w\s]")


def runs(line):
    """Runs of adjacent letter-only syllables of a line."""
    current = []
    for piece in PIECE.findall(unicodedata.normalize("NFC", line)):
        if piece.isalpha():
            current.append(piece.lower())
        else:
            if current:
                yield current
            current = []
    if current:
        yield current


def windows(line):
    """The line's runs of WINDOW syllables (ignoring punctuation), joined."""
    syllables = [s for run in runs(line) for s in run]
    return {" ".join(syllables[i:i + WINDOW]) for i in range(len(syllables) - WINDOW + 1)}


def gold_windows(path):
    """Windows of every sentence (its words joined by spaces) of a CoNLL-U file."""
    found, words = set(), []
    for line in open(path, encoding="utf-8"):
        cols = line.rstrip("\n").split("\t")
        if len(cols) == 10 and cols[0].isdigit():
            words.append(cols[1])
        elif not line.strip() and words:
            found |= windows(" ".join(words))
            words = []
    if words:
        found |= windows(" ".join(words))
    return found


def main():
    args = sys.argv[1:]
    min_count, excluded = MIN_COUNT, set()
    while len(args) >= 2 and args[0] in ("--min-count", "--exclude"):
        if args[0] == "--min-count":
            min_count = int(args[1])
        else:
            excluded |= gold_windows(args[1])
        args = args[2:]
    if not args:
        sys.exit(__doc__)
    ids = {}
    unigrams = collections.Counter()
    bigrams = collections.Counter()
    # Syllable id sequence, runs separated by BOUNDARY, for the neighbours.
    sequence = []
    BOUNDARY = 0
    lines = dropped = 0
    for path in args:
        for line in open(path, encoding="utf-8"):
            if excluded and windows(line) & excluded:
                dropped += 1
                continue
            lines += 1
            for run in runs(line):
                coded = [ids.setdefault(s, len(ids) + 1) for s in run]
                unigrams.update(coded)
                bigrams.update(zip(coded, coded[1:]))
                sequence.append(BOUNDARY)
                sequence.extend(coded)
    sequence.append(BOUNDARY)
    kept = {pair for pair, c in bigrams.items() if c >= min_count}
    # Distinct left and right neighbours of each kept pair.
    left, right = collections.Counter(), collections.Counter()
    seen_left, seen_right = set(), set()
    for x, a, b in zip(sequence, sequence[1:], sequence[2:]):
        if (a, b) in kept and (x, a, b) not in seen_left:
            seen_left.add((x, a, b))
            left[(a, b)] += 1
        if (x, a) in kept and (x, a, b) not in seen_right:
            seen_right.add((x, a, b))
            right[(x, a)] += 1
    names = {i: s for s, i in ids.items()}
    total = sum(unigrams.values())
    out = sys.stdout
    out.write("# Adjacent syllable pairs of unlabelled Vietnamese text: syllables<TAB>count<TAB>PMI (nats)"
              "<TAB>distinct left neighbours<TAB>distinct right neighbours.\n")
    out.write(f"# Counted on {lines} lines ({total} syllables) of Vietnamese Wikipedia (by Wikipedia's contributors,\n")
    out.write("# CC BY-SA; sample of github.com/undertheseanlp/corpus.viwiki) and of the Vietnamese side of\n")
    out.write("# NTREX-128 (Microsoft, https://github.com/MicrosoftTranslator/NTREX, CC BY-SA 4.0); pairs seen\n")
    out.write(f"# at least {min_count} times. This file is distributed under CC BY-SA 4.0 with attribution to\n")
    out.write("# those authors. Regenerate: tools/build_segment_pairs.py (docs/segmentation.md).\n")
    rows = []
    for (a, b) in kept:
        c = bigrams[(a, b)]
        pmi = math.log(c * total / (unigrams[a] * unigrams[b]))
        rows.append((-c, names[a], names[b], pmi, left[(a, b)], right[(a, b)]))
    for c, a, b, pmi, lv, rv in sorted(rows):
        out.write(f"{a} {b}\t{-c}\t{pmi:.2f}\t{lv}\t{rv}\n")
    print(f"{len(rows)} pairs from {total} syllables of {lines} lines ({dropped} lines dropped: "
          "they share 8 syllables with an excluded sentence)", file=sys.stderr)


if __name__ == "__main__":
    main()
