-- wrk script for the ProxyGate benchmark: POSTs BENCH_BODY with the headers in BENCH_HEADERS ("Name: value" pairs
-- separated by "|"), optionally paced to a fixed rate, and prints one JSON line of results (latencies in µs).
-- Usage: wrk -t1 -cC -dD -s post.lua URL -- RATE   (RATE 0 = as fast as possible)

local rate = 0
local connections = 1

function init(args)
  rate = tonumber(args[1] or "0") or 0
  connections = tonumber(args[2] or "1") or 1
  wrk.method = "POST"
  wrk.body = os.getenv("BENCH_BODY") or "{}"
  wrk.headers["Content-Type"] = "application/json"
  local headers = os.getenv("BENCH_HEADERS") or ""
  for pair in string.gmatch(headers, "[^|]+") do
    local name, value = string.match(pair, "^%s*([^:]+):%s*(.-)%s*$")
    if name then
      wrk.headers[name] = value
    end
  end
end

-- Each connection waits connections/rate seconds between requests, so C connections together send about RATE/s.
function delay()
  if rate > 0 then
    return math.floor(connections * 1000 / rate)
  end
  return 0
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"socket_errors":%d,"status_errors":%d,"timeouts":%d,' ..
    '"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d,"mean":%.1f}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max, latency.mean))
end
