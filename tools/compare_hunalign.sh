#!/usr/bin/env bash
# Compares glossary's sentence aligner with hunalign on our gold documents,
# on NTREX-128 news and on IWSLT'15 TED transcripts, and on the conditions
# derived from them (10% of the sentences deleted on
# the Vietnamese side, on the English side, on both, and every document
# concatenated into one pair), then prints this aligner's confidence
# calibration. One run, one table: see docs/alignment.md.
#
#   tools/compare_hunalign.sh [/path/to/hunalign]
#   COMPARE_SETS="news" tools/compare_hunalign.sh   # some of: ours news ted
#
# The TED tables are text we did not write either: the IWSLT'15
# English–Vietnamese sets (TED talk transcripts and their Vietnamese
# translations, Moses-tokenised; TED's licence is CC BY-NC-ND 4.0, research
# use): tst2012 (1,553 line pairs) is the dev set the defaults were chosen
# on, tst2013 (1,268) the test set. They never enter the repository: the
# script reads them from $IWSLT_DIR (tst2012.* and tst2013.*), or unpacks
# them into $HOME/.cache/glossary-iwslt15 from a local git copy of
# github.com/stefan-it/nmt-en-vi ($IWSLT_GIT) or, failing that, downloads
# them from the Stanford NLP group's copy. Documents are 40 consecutive
# line pairs (see `align_eval report --parallel`).
#
# The news tables: NTREX-128 (Microsoft, CC BY-SA 4.0; Federmann et al.,
# "NTREX-128 -- News Test References for MT Evaluation of 128 Languages",
# SUMEval 2022): the English WMT19 newstest (1,997 lines, 123 news
# documents) with a professional Vietnamese translation, line for line.
# The script reads newstest2019-ref.vie.txt, newstest2019-src.eng.txt and
# DOCUMENT_IDS.tsv from $NTREX_DIR, or writes them there from a local git
# copy of github.com/MicrosoftTranslator/NTREX ($NTREX_GIT) or a clone over
# the network; they never enter the repository. One document per document
# id (`align_eval ... --ntrex DIR dev|test`): the 1st, 3rd, 5th, ...
# document are the dev set (62), the 2nd, 4th, ... the test set (61). Lines
# are not re-split, except that a line the splitter cuts in two on one side
# becomes a gold 1-2 / 2-1 link (more sentences: the pair is left out), as
# for TED.
#
# "glossary" aligns each document on its own (`align`, what /align does
# with `use_tm: false` or an empty translation memory); "glossary-tm" does
# the same with a word translation table learned from a translation memory
# (`align_with`, what /align does by default): for each document, the gold
# sentence pairs of every other document of the set (leave-one-out), plus a
# background bitext — for tst2013 the tst2012 pairs, and for both TED sets
# the IWSLT'15 training set (capped at 50,000 pairs) when it could be
# fetched, and for the NTREX test documents the gold pairs of the NTREX dev
# documents (NTREX dev: leave-one-out only); the concatenated documents
# hold every document, so they get the background bitext only (none for
# our documents and NTREX dev);
# "glossary-corpus" aligns the documents of one condition and draw together
# (`align_corpus`), sharing one learned word translation table.
#
# hunalign is not part of this project and never enters the repository.
# Without an argument the script uses $HUNALIGN_HOME/hunalign (default
# ~/.cache/glossary-hunalign) and builds it there when it is missing, from
# a local git copy of github.com/danielvarga/hunalign ($HUNALIGN_GIT, a bare
# or normal git directory) or, failing that, from a clone over the network.
#
# Both aligners get the same sentences (glossary's splitter, one per line);
# hunalign gets them as lowercase tokens separated by spaces, with an empty
# dictionary (its default use; `-realign` and the starter glossary as its
# dictionary scored lower in earlier runs, see docs/alignment.md). Every
# output is scored by the same scorer (glossary::align::eval) against the
# gold links.
set -euo pipefail

cd "$(dirname "$0")/.."
export CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-1}

build_hunalign() {
  local home=$1 src
  src=$(mktemp -d)
  mkdir -p "$home"
  local git_dir=${HUNALIGN_GIT:-/work/.mirror/danielvarga+hunalign/repo}
  if [ -d "$git_dir" ]; then
    git --git-dir="$git_dir" archive HEAD src | tar -x -C "$src"
  else
    git clone -q --depth 1 https://github.com/danielvarga/hunalign "$src/clone"
    mv "$src/clone/src" "$src/src"
  fi
  echo "building hunalign in $home (from ${git_dir})" >&2
  make -s -C "$src/src/hunalign" > "$home/build.log" 2>&1
  cp "$src/src/hunalign/hunalign" "$home/hunalign"
  rm -rf "$src"
}

if [ $# -ge 1 ]; then
  HUNALIGN=$1
else
  HUNALIGN_HOME=${HUNALIGN_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/glossary-hunalign}
  HUNALIGN=$HUNALIGN_HOME/hunalign
  [ -x "$HUNALIGN" ] || build_hunalign "$HUNALIGN_HOME"
fi
[ -x "$HUNALIGN" ] || { echo "$HUNALIGN is not an executable" >&2; exit 1; }
HUNALIGN=$(realpath "$HUNALIGN")

fetch_iwslt() {
  local home=$1
  mkdir -p "$home"
  local git_dir=${IWSLT_GIT:-/work/.mirror/stefan-it+nmt-en-vi/repo}
  if [ -d "$git_dir" ]; then
    git --git-dir="$git_dir" show HEAD:data/test-2013-en-vi.tgz | tar -xz -C "$home"
    git --git-dir="$git_dir" show HEAD:data/dev-2012-en-vi.tgz | tar -xz -C "$home"
  else
    local url=https://nlp.stanford.edu/projects/nmt/data/iwslt15.en-vi set lang
    for set in tst2012 tst2013; do
      for lang in vi en; do curl -sSfL -o "$home/$set.$lang" "$url/$set.$lang"; done
    done
  fi
}

# The IWSLT'15 training set (133k TED line pairs, same licence), for the
# TM condition only; optional: the git copy holds it as an absent large
# file, and the download may be unreachable.
fetch_iwslt_train() {
  local home=$1
  local git_dir=${IWSLT_GIT:-/work/.mirror/stefan-it+nmt-en-vi/repo}
  if [ -d "$git_dir" ] && git --git-dir="$git_dir" cat-file -e HEAD:data/train-en-vi.tgz 2> /dev/null; then
    git --git-dir="$git_dir" show HEAD:data/train-en-vi.tgz 2> /dev/null | tar -xz -C "$home" 2> /dev/null || true
  fi
  if [ ! -s "$home/train.vi" ]; then
    local url=https://nlp.stanford.edu/projects/nmt/data/iwslt15.en-vi lang
    for lang in vi en; do curl -sSfL --max-time 120 -o "$home/train.$lang" "$url/train.$lang" 2> /dev/null || rm -f "$home/train.$lang"; done
  fi
}

# NTREX-128 (news): see tools/ntrex.sh.
NTREX_DIR=$(tools/ntrex.sh)

IWSLT_DIR=${IWSLT_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/glossary-iwslt15}
for f in tst2012.vi tst2012.en tst2013.vi tst2013.en; do
  [ -s "$IWSLT_DIR/$f" ] || { fetch_iwslt "$IWSLT_DIR"; break; }
done

[ -s "$IWSLT_DIR/train.vi" ] && [ -s "$IWSLT_DIR/train.en" ] || fetch_iwslt_train "$IWSLT_DIR"
TRAIN=()
if [ -s "$IWSLT_DIR/train.vi" ] && [ -s "$IWSLT_DIR/train.en" ]; then
  TRAIN=(--tm-extra "$IWSLT_DIR/train.vi" "$IWSLT_DIR/train.en")
  echo "background bitext: IWSLT'15 train (first 50,000 pairs)"
else
  echo "background bitext: IWSLT'15 train could not be fetched; TED test gets tst2012 as its background, dev none"
fi

cargo build --release -q -p glossary --example align_eval
EVAL=target/release/examples/align_eval
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

: > "$WORK/null.dic"

# Ladder (rungs "i<TAB>j<TAB>score") to links ("i,i+1<TAB>j" with "-" for empty).
ladder_to_links() {
  awk -F'\t' 'NR > 1 {
      s = ""; for (i = ps; i < $1; i++) s = s (s == "" ? "" : ",") i
      t = ""; for (j = pt; j < $2; j++) t = t (t == "" ? "" : ",") j
      if (s != "" || t != "") print (s == "" ? "-" : s) "\t" (t == "" ? "-" : t)
    }
    { ps = $1; pt = $2 }' "$1"
}

systems="glossary glossary-tm glossary-corpus hunalign"

# compare TITLE DIR [TM-LINKS ARGS...]: aligns every document under
# DIR/CONDITION-SEED/NAME with every system and prints the table.
compare() {
  local title=$1 root=$2 dir cond out sys start
  shift 2
  declare -A total secs
  # glossary-tm: every document with its leave-one-out TM table.
  start=$(date +%s%N)
  "$EVAL" tm-links "$root" "$@"
  secs[glossary-tm]=$(( $(date +%s%N) - start ))
  # glossary-corpus: every condition and draw aligned as one corpus.
  for dir in "$root"/*/; do
    start=$(date +%s%N)
    "$EVAL" corpus-links "${dir%/}"
    secs[glossary-corpus]=$(( ${secs[glossary-corpus]:-0} + $(date +%s%N) - start ))
  done
  for dir in "$root"/*/*/; do
    dir=${dir%/}
    [ -f "$dir/vi.txt" ] || continue
    cond=$(basename "$(dirname "$dir")")
    cond=${cond%-*}
    out=$dir.out
    mkdir -p "$out"
    "$EVAL" sentences "$dir/vi.txt" --tokens > "$out/vi.tok"
    "$EVAL" sentences "$dir/en.txt" --tokens > "$out/en.tok"
    start=$(date +%s%N)
    "$EVAL" links "$dir/vi.txt" "$dir/en.txt" > "$out/glossary.links"
    secs[glossary]=$(( ${secs[glossary]:-0} + $(date +%s%N) - start ))
    # hunalign writes translate.txt into its working directory: keep it out of the repo.
    start=$(date +%s%N)
    (cd "$out" && "$HUNALIGN" "$WORK/null.dic" "$out/vi.tok" "$out/en.tok" > "$out/hun.ladder" 2> /dev/null)
    secs[hunalign]=$(( ${secs[hunalign]:-0} + $(date +%s%N) - start ))
    ladder_to_links "$out/hun.ladder" > "$out/hunalign.links"
    cp "$out/corpus.links" "$out/glossary-corpus.links"
    cp "$out/tm.links" "$out/glossary-tm.links"
    for sys in $systems; do
      read -r lc lp lg pc pp pg _ < <("$EVAL" score "$dir/gold.tsv" "$out/$sys.links")
      read -r a b c d e g <<< "${total[$cond/$sys]:-0 0 0 0 0 0}"
      total[$cond/$sys]="$((a + lc)) $((b + lp)) $((c + lg)) $((d + pc)) $((e + pp)) $((g + pg))"
    done
  done

  echo "$title: link and pair scores per condition (micro-average over documents and deletion draws):"
  printf '%-10s %-16s %6s %6s %6s   %6s %6s %6s\n' condition system P R F1 pairP pairR pairF1
  for cond in clean del-vi del-en del-both concat; do
    for sys in $systems; do
      read -r a b c d e g <<< "${total[$cond/$sys]}"
      awk -v cond="$cond" -v s="$sys" -v a="$a" -v b="$b" -v c="$c" -v d="$d" -v e="$e" -v g="$g" 'BEGIN {
        p = a / b; r = a / c; f = 2 * p * r / (p + r); pp = d / e; pr = d / g; pf = 2 * pp * pr / (pp + pr)
        printf "%-10s %-16s %6.3f %6.3f %6.3f   %6.3f %6.3f %6.3f\n", cond, s, p, r, f, pp, pr, pf }'
    done
  done
  for sys in $systems; do
    # Wall time per system, process start-up included (one process per document).
    awk -v s="$sys" -v ns="${secs[$sys]}" 'BEGIN { printf "%s: %.2f s in all\n", s, ns / 1e9 }'
  done
  echo
}

DEV=(--parallel "$IWSLT_DIR/tst2012.vi" "$IWSLT_DIR/tst2012.en")
TEST=(--parallel "$IWSLT_DIR/tst2013.vi" "$IWSLT_DIR/tst2013.en")
# The background of the test set: tst2012, then the training set if any.
TEST_BACKGROUND="$WORK/test-background"
cat "$IWSLT_DIR/tst2012.vi" ${TRAIN[1]:+"${TRAIN[1]}"} > "$TEST_BACKGROUND.vi"
cat "$IWSLT_DIR/tst2012.en" ${TRAIN[2]:+"${TRAIN[2]}"} > "$TEST_BACKGROUND.en"
TEST_TM=(--tm-extra "$TEST_BACKGROUND.vi" "$TEST_BACKGROUND.en")

NEWS_DEV=(--ntrex "$NTREX_DIR" dev)
NEWS_TEST=(--ntrex "$NTREX_DIR" test)
# The background of the news test set: the gold pairs of the dev documents.
"$EVAL" gold-pairs "$WORK/ntrex-dev" "${NEWS_DEV[@]}"
NEWS_TM=(--tm-extra "$WORK/ntrex-dev.vi" "$WORK/ntrex-dev.en")
# $COMPARE_SETS picks the tables (default all three: "ours news ted").
SETS=" ${COMPARE_SETS:-ours news ted} "
if [[ $SETS == *" ours "* ]]; then
  "$EVAL" write-conditions "$WORK/ours"
  compare "Our documents (hand-written)" "$WORK/ours"
fi
if [[ $SETS == *" news "* ]]; then
"$EVAL" write-conditions "$WORK/news-dev" "${NEWS_DEV[@]}"
compare "NTREX-128 news, dev documents (1st, 3rd, 5th, ...: the news choices were made on them)" "$WORK/news-dev" "${NEWS_DEV[@]}"
"$EVAL" write-conditions "$WORK/news-test" "${NEWS_TEST[@]}"
compare "NTREX-128 news, test documents (2nd, 4th, ...)" "$WORK/news-test" "${NEWS_TEST[@]}" "${NEWS_TM[@]}"
fi
if [[ $SETS == *" ted "* ]]; then
"$EVAL" write-conditions "$WORK/dev" "${DEV[@]}"
compare "IWSLT'15 tst2012 (TED, dev set: the defaults were chosen on it)" "$WORK/dev" "${DEV[@]}" "${TRAIN[@]}"
"$EVAL" write-conditions "$WORK/iwslt" "${TEST[@]}"
compare "IWSLT'15 tst2013 (TED, test set)" "$WORK/iwslt" "${TEST[@]}" "${TEST_TM[@]}"
fi

for mode in "" --tm --corpus; do
  if [[ $SETS == *" ours "* ]]; then
  echo "glossary's own report${mode:+ ($mode)}, with confidence calibration, on our documents:"
  "$EVAL" report $mode
  echo
  fi
  if [[ $SETS == *" news "* ]]; then
  echo "glossary's own report${mode:+ ($mode)} on NTREX-128 dev:"
  "$EVAL" report "${NEWS_DEV[@]}" $mode
  echo
  echo "glossary's own report${mode:+ ($mode)} on NTREX-128 test:"
  if [ "$mode" = --tm ]; then
    "$EVAL" report "${NEWS_TEST[@]}" --tm "${NEWS_TM[@]}"
  else
    "$EVAL" report "${NEWS_TEST[@]}" $mode
  fi
  echo
  fi
  [[ $SETS == *" ted "* ]] || continue
  echo "glossary's own report${mode:+ ($mode)} on IWSLT'15 tst2012:"
  if [ "$mode" = --tm ]; then
    "$EVAL" report "${DEV[@]}" --tm "${TRAIN[@]}"
  else
    "$EVAL" report "${DEV[@]}" $mode
  fi
  echo
  echo "glossary's own report${mode:+ ($mode)} on IWSLT'15 tst2013:"
  if [ "$mode" = --tm ]; then
    "$EVAL" report "${TEST[@]}" --tm "${TEST_TM[@]}"
  else
    "$EVAL" report "${TEST[@]}" $mode
  fi
  echo
done
