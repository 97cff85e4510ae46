#!/usr/bin/env bash
# Opens an XLIFF 1.2 file in a throw-away OmegaT console-mode project and
# checks what OmegaT (Debian `omegat`, 3.6) makes of it.
#
#   tools/omegat_xliff_check.sh FILE.xlf EXPECTED_SEGMENTS [SRC TGT]
#
# Prints OmegaT's project statistics and exits non-zero when OmegaT fails
# to load the file, counts another number of segments, or does not write
# the translated document back. Note what OmegaT 3.6's own XLIFF filter
# does: it translates the text of each <target> (it expects targets that
# are copies of the source, as Okapi prepares them), keeps <source>,
# <alt-trans> and <note> as they are, skips units without a <target>, and
# does not import existing targets as translations. EXPECTED_SEGMENTS is
# therefore the number of units with a non-empty target.
set -euo pipefail
file=$1
expected=$2
src=${3:-vi}
tgt=${4:-en}
command -v omegat >/dev/null || { echo "omegat is not installed (apt-get install omegat)" >&2; exit 2; }
project=$(mktemp -d)
trap 'rm -rf "$project"' EXIT
mkdir -p "$project"/{source,target,tm,glossary,dictionary,omegat,config}
cp "$file" "$project/source/"
cat > "$project/omegat.project" <<XML
<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <source_dir_excludes/>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>$src</source_lang>
    <target_lang>$tgt</target_lang>
    <source_tok>org.omegat.tokenizer.DefaultTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
    <sentence_seg>false</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
XML
if ! timeout 180 omegat --mode=console-translate --config-dir="$project/config" \
    --disable-project-locking --no-team "$project" >"$project/run.log" 2>&1; then
  cat "$project/run.log" >&2
  echo "OmegaT failed on $file" >&2
  exit 1
fi
stats="$project/omegat/project_stats.txt"
[ -f "$stats" ] || { cat "$project/run.log" >&2; echo "no project statistics written" >&2; exit 1; }
sed -n '1,9p' "$stats"
total=$(awk -F'\t' '/^Total:/ {gsub(/ /, "", $2); print $2}' "$stats")
name=$(basename "$file")
[ -s "$project/target/$name" ] || { echo "OmegaT wrote no translated $name" >&2; exit 1; }
if [ "$total" != "$expected" ]; then
  echo "OmegaT counted $total segments in $name, expected $expected" >&2
  exit 1
fi
echo "OmegaT loaded $name: $total segments, translated document written"
