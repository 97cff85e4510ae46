-- wrk script: a team's mixed load. Of every 10 requests, 7 are lookups
-- (GET /api/v1/lookup, queries from BENCH_QUERIES), 2 are suggestions
-- (POST /api/v1/suggest, sentences from BENCH_TM_QUERIES) and 1 creates a
-- concept (POST /api/v1/concepts with a term no other request uses, so
-- every create is a real write). BENCH_KEY, when set, is sent as a bearer
-- token. Each wrk thread has its own Lua state; `setup` numbers them so
-- the created terms stay unique across threads.
local function first_column(path)
  local out = {}
  for line in io.lines(path) do
    out[#out + 1] = line:match("^([^\t]*)")
  end
  return out
end

local lookups = first_column(os.getenv("BENCH_QUERIES"))
local sentences = first_column(os.getenv("BENCH_TM_QUERIES"))
local key = os.getenv("BENCH_KEY")
local run = os.getenv("BENCH_RUN") or tostring(os.time())

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local function encode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local function json_string(s)
  return '"' .. s:gsub('[%c"\\]', function(c) return string.format("\\u%04x", string.byte(c)) end) .. '"'
end

local n, li, si, created = 0, 0, 0, 0
local json_headers = { ["Content-Type"] = "application/json" }
local get_headers = {}
if key then
  json_headers["Authorization"] = "Bearer " .. key
  get_headers["Authorization"] = "Bearer " .. key
end

request = function()
  n = n + 1
  local slot = n % 10
  if slot < 7 then
    li = li % #lookups + 1
    return wrk.format("GET", "/api/v1/lookup?src=vi&tgt=en&limit=5&q=" .. encode(lookups[li]), get_headers)
  elseif slot < 9 then
    si = si % #sentences + 1
    local body = '{"text":' .. json_string(sentences[si]) .. ',"src":"vi","tgt":"en","threshold":70,"limit":5}'
    return wrk.format("POST", "/api/v1/suggest", json_headers, body)
  else
    created = created + 1
    local term = string.format("thuật ngữ thử %s %d %d", run, tid or 0, created)
    local body = '{"subject_field":"bench","terms":[{"lang":"vi","text":' .. json_string(term)
      .. ',"status":"preferred"},{"lang":"en","text":' .. json_string("bench term " .. run .. " " .. (tid or 0) .. " " .. created)
      .. ',"status":"preferred"}]}'
    return wrk.format("POST", "/api/v1/concepts", json_headers, body)
  end
end

done = function(summary, latency, requests)
  io.write(string.format("mixed: %d requests, %.1f req/s, p50 %.2f ms, p99 %.2f ms, errors %d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
