#!/usr/bin/env bash
# A five-minute tour of the glossary server with curl.
#   BASE_URL  server address (default http://127.0.0.1:8080)
#   API_KEY   sent as a bearer token when the server requires one for writes
set -euo pipefail
BASE="${BASE_URL:-http://127.0.0.1:8080}"
AUTH=()
if [ -n "${API_KEY:-}" ]; then AUTH=(-H "Authorization: Bearer $API_KEY"); fi

echo "== health"
curl -fsS "$BASE/api/v1/health"; echo

echo "== lookup typed without diacritics: huu nghi vi dai"
curl -fsS --get "$BASE/api/v1/lookup" \
  --data-urlencode "q=huu nghi vi dai" --data-urlencode "src=vi" --data-urlencode "tgt=en" --data-urlencode "limit=3"
echo

echo "== lookup in the other tone-mark spelling: hoà bình"
curl -fsS --get "$BASE/api/v1/lookup" --data-urlencode "q=hoà bình" --data-urlencode "src=vi" --data-urlencode "tgt=en" --data-urlencode "limit=1"
echo

echo "== create a concept"
created=$(curl -fsS -X POST "$BASE/api/v1/concepts" -H "Content-Type: application/json" ${AUTH[@]+"${AUTH[@]}"} --data-binary @- <<'JSON'
{
  "subject_field": "economy and cooperation",
  "note": "Example entry created by client-examples/curl.sh",
  "terms": [
    {"lang": "vi", "text": "hành lang kinh tế", "status": "preferred", "part_of_speech": "noun"},
    {"lang": "en", "text": "economic corridor", "status": "preferred", "part_of_speech": "noun"}
  ]
}
JSON
)
echo "$created"
id=$(printf '%s' "$created" | grep -o '"id":"[^"]*"' | head -n1 | cut -d'"' -f4)
echo "created id: $id"

echo "== find it without diacritics"
curl -fsS --get "$BASE/api/v1/lookup" --data-urlencode "q=hanh lang kinh te" --data-urlencode "src=vi" --data-urlencode "tgt=en" --data-urlencode "limit=1"
echo

echo "== a bad request gets a JSON error with a stable code"
curl -sS --get "$BASE/api/v1/lookup" --data-urlencode "q=x" --data-urlencode "src=english_US"
echo

echo "== delete it"
curl -fsS -X DELETE ${AUTH[@]+"${AUTH[@]}"} -o /dev/null -w "HTTP %{http_code}\n" "$BASE/api/v1/concepts/$id"

echo "== download the whole glossary as TBX-Basic (TBX v3) for a CAT tool"
out_dir=$(mktemp -d)
trap 'rm -rf "$out_dir"' EXIT
# -D - prints the response headers: Content-Type and the suggested file name.
curl -fsS -D - -o "$out_dir/glossary.tbx" "$BASE/api/v1/export?format=tbx" | grep -i -E '^(content-type|content-disposition):'
echo "downloaded glossary.tbx: $(grep -c '<conceptEntry ' "$out_dir/glossary.tbx") concept entries, $(wc -c < "$out_dir/glossary.tbx") bytes"
# OmegaT and translate-toolkit read TBX 2008: ask for format=tbx-martif, optionally one language pair.
curl -fsS -o "$out_dir/omegat.tbx" "$BASE/api/v1/export?format=tbx-martif&src=vi&tgt=en&status=preferred"
echo "downloaded omegat.tbx: $(grep -c '<termEntry ' "$out_dir/omegat.tbx") term entries"

echo "== concordance: how was 'hợp tác toàn diện' translated before?"
# Two TM units to search (deleted again below).
units=$(curl -fsS -X POST "$BASE/api/v1/tm/units/bulk" -H "Content-Type: application/json" ${AUTH[@]+"${AUTH[@]}"} --data-binary @- <<'JSON'
{"units": [
  {"src": "vi", "tgt": "en", "source": "Hai nước nhất trí thúc đẩy hợp tác toàn diện.",
   "target": "The two countries agreed to promote comprehensive cooperation."},
  {"src": "vi", "tgt": "en", "source": "Hai bên tiếp tục trao đổi ý kiến.",
   "target": "The two sides continued to exchange views."}
]}
JSON
)
# Whole words, diacritics optional; each hit carries the phrase's character spans.
curl -fsS --get "$BASE/api/v1/tm/concordance" \
  --data-urlencode "q=hop tac toan dien" --data-urlencode "src=vi" --data-urlencode "tgt=en" --data-urlencode "limit=5"
echo
# "tiếp" is not a whole word in "tiếp tục": no hit.
curl -fsS --get "$BASE/api/v1/tm/concordance" --data-urlencode "q=tiếp" --data-urlencode "src=vi" --data-urlencode "tgt=en"
echo
for uid in $(printf '%s' "$units" | grep -o '"ids":\[[0-9,]*\]' | grep -o '[0-9]\+'); do
  curl -fsS -X DELETE ${AUTH[@]+"${AUTH[@]}"} -o /dev/null "$BASE/api/v1/tm/units/$uid"
done
echo "concordance example units deleted"
