-- wrk script for scripts/bench.sh: POSTs one fixed request body, prints one parseable summary line.
--   BENCH_BODY  file holding the request body (JSON)
--   BENCH_PATH  request path, e.g. /v2/models/add/infer
--   BENCH_MAX   stop after this many requests per wrk thread (0: only the duration bounds the run)
--   BENCH_ACCEPT  optional Accept header, e.g. application/octet-stream for the raw result bytes
-- The request is built once (wrk.format) and returned as is; there is no response() callback, so wrk
-- never copies a response body into Lua. Non-2xx/3xx answers count as errors (status).
local body_file = os.getenv("BENCH_BODY")
local path = os.getenv("BENCH_PATH")
local max_requests = tonumber(os.getenv("BENCH_MAX") or "0")
local accept = os.getenv("BENCH_ACCEPT")

local f = assert(io.open(body_file, "rb"))
local body = f:read("*a")
f:close()

local req = nil
local sent = 0

init = function(args)
  local headers = {["Content-Type"] = "application/json"}
  if accept and accept ~= "" then
    headers["Accept"] = accept
  end
  req = wrk.format("POST", path, headers, body)
end

request = function()
  sent = sent + 1
  if max_requests > 0 and sent > max_requests then
    wrk.thread:stop()
  end
  return req
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK requests=%d duration_us=%d connect=%d read=%d write=%d status=%d timeout=%d"
      .. " p50=%d p90=%d p99=%d max=%d mean=%.1f\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
