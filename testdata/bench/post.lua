-- wrk script for the ProxyGate benchmark: POSTs BENCH_BODY with the headers in BENCH_HEADERS ("Name: value" pairs
-- separated by "|"), optionally paced to a fixed rate, and prints one JSON line of results (latencies in µs).
-- Usage: wrk -t1 -cC -dD -s post.lua URL -- RATE   (RATE 0 = as fast as possible)

local rate = 0

function init(args)
  rate = tonumber(args[1] or "0") or 0
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

-- A fixed-rate schedule shared by all connections: slots 1/RATE apart, each request takes the next free slot. Without
-- it, connections released together would fire in lockstep bursts of C requests, measuring queueing, not the gateway.
-- wrk's Lua has no sub-second clock, so LuaJIT's FFI asks the kernel for the monotonic one.
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock_id, bench_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local timespec = ffi.new("bench_timespec")
local next_slot_ms = nil

local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
  return tonumber(timespec.tv_sec) * 1000 + tonumber(timespec.tv_nsec) / 1e6
end

function delay()
  if rate <= 0 then
    return 0
  end
  local now = now_ms()
  if next_slot_ms == nil or next_slot_ms < now then
    next_slot_ms = now -- behind schedule (every connection was busy): start afresh rather than burst to catch up
  end
  local wait = next_slot_ms - now
  next_slot_ms = next_slot_ms + 1000 / rate
  return math.floor(wait + 0.5)
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
