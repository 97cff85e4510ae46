#!/usr/bin/env python3
"""Regenerates glossary/data/vi-words.tsv, the lexicon of the Vietnamese word
segmenter (glossary/src/text/segment.rs).

Source: gold-segmented CoNLL-U files, the sentences of the Universal
Dependencies Vietnamese VTB treebank
(https://github.com/UniversalDependencies/UD_Vietnamese-VTB, licensed CC
BY-SA 4.0; docs/segmentation.md lists the files used), whose tokens are
gold-segmented words: a token whose FORM holds spaces is a multi-syllable
word. We count every word (lowercased, NFC) and mark words that are mostly
proper names (N) and nouns that often stand right before a name (T, titles
and class nouns such as "tỉnh"). tools/segment_supplement.txt (hand-written
for this project) adds common news and diplomatic words the small treebank
lacks, with a count of 2. tools/segment_dictionary.txt (two-syllable words
of English Wiktionary, CC BY-SA 4.0) marks its words W, with the count the
treebank gives them (0 when it has none: such a row is no lattice word, only
a feature of the boundary model), unless the sentences read write the word
as two words more often than as one (their convention wins), or
tools/segment_dictionary_exclude.txt lists it. The output is a derived work of the
treebank and of Wiktionary, distributed under CC BY-SA 4.0. Only the files
given are read.

Usage: python3 tools/build_segment_lexicon.py [--out OUTPUT] [--sources "NAMES"] [--dictionary FILE|none] FILE.conllu...
(--sources: the names of the original files, for the header, when FILE is
a concatenation of them; --dictionary: another word list instead of
tools/segment_dictionary.txt, or none)
(tools/train_segment_model.sh runs it; it also builds lexicons of parts
of the training sentences for the boundary model's training).
"""
import collections
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUPPLEMENT_COUNT = 2
TITLE_MIN = 2


def sentences(path):
    """Yields sentences as lists of (FORM, UPOS)."""
    current = []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line:
            if current:
                yield current
                current = []
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) == 10 and cols[0].isdigit():
            current.append((cols[1], cols[3]))
    if current:
        yield current


def key(form):
    return " ".join(unicodedata.normalize("NFC", form).lower().split())


def is_wordlike(k):
    # Letters only (syllables separated by spaces); numbers and punctuation
    # are handled by rules in the segmenter.
    return all(part.isalpha() for part in k.split())


def word_list(path):
    """Yields (key, rest) for each line of a word list: the key of the text
    before the first tab, and what follows it; blank lines and lines
    starting with "#" are skipped."""
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.strip() and not line.startswith("#"):
            word, _, rest = line.partition("\t")
            yield key(word), rest


def main():
    args = sys.argv[1:]
    out = ROOT / "glossary/data/vi-words.tsv"
    sources = None
    dictionary = ROOT / "tools/segment_dictionary.txt"
    while len(args) >= 2 and args[0] in ("--out", "--sources", "--dictionary"):
        if args[0] == "--out":
            out = Path(args[1])
        elif args[0] == "--dictionary":
            dictionary = None if args[1] == "none" else Path(args[1])
        else:
            sources = args[1].strip()
        args = args[2:]
    if not args:
        sys.exit(__doc__)
    count = collections.Counter()
    names = collections.Counter()
    nouns = collections.Counter()
    before_name = collections.Counter()
    n_sentences = 0
    split = collections.Counter()
    for sent in (s for path in args for s in sentences(path)):
        n_sentences += 1
        keys = [key(form) for form, _ in sent]
        for i, (k, (form, upos)) in enumerate(zip(keys, sent)):
            # Two one-syllable words in a row: how often the sentences
            # write that pair as two words.
            if i + 1 < len(sent) and " " not in k and " " not in keys[i + 1]:
                split[k + " " + keys[i + 1]] += 1
            if not is_wordlike(k):
                continue
            count[k] += 1
            if upos == "PROPN":
                names[k] += 1
            if upos == "NOUN":
                nouns[k] += 1
                if i + 1 < len(sent) and sent[i + 1][1] == "PROPN":
                    before_name[k] += 1
    titles = {k for k, c in before_name.items() if c >= TITLE_MIN and nouns[k] * 2 > count[k]}
    listed = set()
    for k, flag in word_list(ROOT / "tools/segment_supplement.txt"):
        listed.add(k)
        count[k] = max(count[k], SUPPLEMENT_COUNT)
        if flag.strip() == "T":
            titles.add(k)
    in_dictionary = set()
    excluded = {k for k, _ in word_list(ROOT / "tools/segment_dictionary_exclude.txt")}
    for k, _ in word_list(dictionary) if dictionary else ():
        # The treebank's convention wins: a word it writes as two words
        # more often than as one is no dictionary word here.
        if is_wordlike(k) and len(k.split()) >= 2 and split[k] <= count[k] and k not in excluded:
            in_dictionary.add(k)
            count.setdefault(k, 0)
    rows = []
    for k, c in sorted(count.items(), key=lambda kc: (-kc[1], kc[0])):
        flag = "T" if k in titles else ("N" if names[k] * 2 > c else "")
        flag += "S" if k in listed else ""
        flag += "W" if k in in_dictionary else ""
        rows.append(f"{k}\t{c}\t{flag}".rstrip("\t"))
    with out.open("w", encoding="utf-8") as f:
        f.write("# Vietnamese words for word segmentation: word<TAB>count[<TAB>flag], flags N = mostly a proper name,\n")
        f.write("# S = in the hand-written supplement, T = title or class noun that stands before names, W = in the dictionary\n")
        f.write("# (count 0: not in the treebank). Counted on sentences of the Universal Dependencies Vietnamese VTB treebank\n")
        f.write("# (CC BY-SA 4.0; files below), plus tools/segment_supplement.txt; dictionary: tools/segment_dictionary.txt\n")
        f.write("# (English Wiktionary's two-syllable Vietnamese words, by Wiktionary's contributors, CC BY-SA 4.0);\n")
        f.write("# this file is distributed under CC BY-SA 4.0.\n")
        names = sources or " ".join(Path(a).name for a in args)
        f.write(f"# Regenerate: tools/train_segment_model.sh (build_segment_lexicon.py {names}: {n_sentences} sentences)\n")
        for row in rows:
            f.write(row + "\n")
    print(f"wrote {len(rows)} words to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
