-- wrk script: GET /api/v1/lookup, cycling through the benchmark queries
-- (first column of the file named by BENCH_QUERIES), URL-encoded.
local queries = {}
for line in io.lines(os.getenv("BENCH_QUERIES")) do
  queries[#queries + 1] = line:match("^([^\t]*)")
end
local i = 0

local function encode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

request = function()
  i = i % #queries + 1
  return wrk.format("GET", "/api/v1/lookup?src=vi&tgt=en&limit=5&q=" .. encode(queries[i]))
end
