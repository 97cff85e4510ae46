#!/usr/bin/env bash
# Checks with OmegaT itself (Debian `omegat`, 3.6) that a default export
# never offers a deprecated term: a glossary with "Tổng Bí thư" =
# "General Secretary" (preferred) and "Secretary General" (deprecated) is
# exported as TBX 2008 and as TSV (`glossary.utf8`) into the glossary folder
# of a console-mode OmegaT project, read back with OmegaT's own glossary
# readers (GlossaryCheck.java), and the entries are compared.
#
# OmegaT's console modes (console-translate, console-stats ...) never print
# glossary hits, so the readers are called directly, inside a loaded
# console project (the TBX reader needs the project's languages).
#
#   tools/omegat_glossary_check.sh [path/to/glossary-server]
# Needs: omegat (apt-get install -y omegat), javac (default-jdk-headless).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${1:-$ROOT/target/debug/glossary-server}"
JAR=/usr/share/omegat/OmegaT.jar
if [ ! -f "$JAR" ] || ! command -v javac >/dev/null; then
  echo "skip: needs Debian's omegat ($JAR) and javac" >&2
  [ "${CI:-}" = true ] && exit 1
  exit 0
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
P="$WORK/project"
mkdir -p "$P/source" "$P/target" "$P/tm" "$P/glossary" "$P/omegat" "$WORK/classes"
cat > "$P/omegat.project" <<'XML'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>vi</source_lang>
    <target_lang>en</target_lang>
    <source_tok>org.omegat.tokenizer.DefaultTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.DefaultTokenizer</target_tok>
    <sentence_seg>false</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
XML
printf 'Tổng Bí thư tiếp Đại sứ Lào.\n' > "$P/source/statement.txt"
cat > "$WORK/glossary.csv" <<'CSV'
concept_id,lang,term,status
gs,vi,Tổng Bí thư,preferred
gs,en,General Secretary,preferred
gs,en,Secretary General,deprecated
CSV
"$BIN" import --data-dir "$WORK/data" --create "$WORK/glossary.csv" >/dev/null
"$BIN" export --data-dir "$WORK/data" --format tbx-martif --src vi --tgt en "$P/glossary/glossary.tbx"
"$BIN" export --data-dir "$WORK/data" --format tsv "$P/glossary/glossary.utf8"
"$BIN" export --data-dir "$WORK/data" --format tbx-martif --src vi --tgt en --include-deprecated "$WORK/all.tbx"
javac -nowarn -cp "$JAR" -d "$WORK/classes" "$ROOT/tools/omegat/GlossaryCheck.java"
read_back() { java -Djava.awt.headless=true -cp "$JAR:$WORK/classes" GlossaryCheck "$P" "$@" 2>"$WORK/java.log"; }
default=$(read_back "$P/glossary/glossary.tbx" "$P/glossary/glossary.utf8")
echo "OmegaT reads from the default exports:"
echo "$default"
fail=0
for f in glossary.tbx glossary.utf8; do
  if ! grep -q "^$f	Tổng Bí thư	General Secretary" <<<"$default"; then
    echo "FAIL: OmegaT does not offer General Secretary from $f" >&2; fail=1
  fi
done
if grep -q "Secretary General" <<<"$default"; then
  echo "FAIL: OmegaT offers the deprecated Secretary General" >&2; fail=1
fi
# The control: with --include-deprecated OmegaT does see the term, so the
# check above can fail.
all=$(read_back "$WORK/all.tbx")
if ! grep -q "Secretary General" <<<"$all"; then
  echo "FAIL: the control export with --include-deprecated was not read: $all" >&2
  cat "$WORK/java.log" >&2; fail=1
fi
[ "$fail" = 0 ] && echo "ok: the deprecated term is not offered by default"
exit "$fail"
