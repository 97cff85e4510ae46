-- wrk script: POST /api/v1/suggest with a JSON body, cycling through the
-- TM benchmark queries (first column of the file named by BENCH_QUERIES).
local queries = {}
for line in io.lines(os.getenv("BENCH_QUERIES")) do
  queries[#queries + 1] = line:match("^([^\t]*)")
end
local i = 0

local function json_string(s)
  return '"' .. s:gsub('[%c"\\]', function(c) return string.format("\\u%04x", string.byte(c)) end) .. '"'
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

request = function()
  i = i % #queries + 1
  local body = '{"text":' .. json_string(queries[i]) .. ',"src":"vi","tgt":"en","threshold":70,"limit":5}'
  return wrk.format(nil, "/api/v1/suggest", nil, body)
end
