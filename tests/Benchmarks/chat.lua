-- wrk script for tests/Benchmarks/bench.sh: POST a fixed JSON body (a chat completion, or an Anthropic
-- message for the direct-messages path) with fixed headers.
--
-- Environment (set by bench.sh):
--   BENCH_BODY_FILE  path of the JSON request body
--   BENCH_HEADERS    extra request headers, "Name: value" pairs separated by "|"
--
-- done() prints one machine-readable line that bench.sh parses:
--   BENCH_RESULT requests=N duration_us=N rps=F p50_us=N p90_us=N p99_us=N max_us=N
--                err_connect=N err_read=N err_write=N err_status=N err_timeout=N

local function read_file(path)
  local f = assert(io.open(path, "rb"), "cannot open BENCH_BODY_FILE " .. tostring(path))
  local s = f:read("*a")
  f:close()
  return s
end

wrk.method = "POST"
wrk.body = read_file(os.getenv("BENCH_BODY_FILE"))
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"

local extra = os.getenv("BENCH_HEADERS") or ""
for pair in string.gmatch(extra, "[^|]+") do
  local name, value = string.match(pair, "^%s*([^:]-)%s*:%s*(.-)%s*$")
  if name and name ~= "" then
    wrk.headers[name] = value
  end
end

function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_us=%d rps=%.2f p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
    "err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    summary.requests, summary.duration, summary.requests / secs,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
