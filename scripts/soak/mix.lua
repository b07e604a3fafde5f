-- The soak's request mix for wrk: valid and invalid requests by weight, each with a unique id.
-- Every invalid kind keeps the connection open (a 4xx JSON answer, keep-alive), so connection
-- churn does not hide in the numbers. Client-side status counts come out in done().

local INFER = "/v2/models/add/infer"
local JSON = { ["Content-Type"] = "application/json" }
local A = '{"name":"a","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}'
local B = '{"name":"b","shape":[1,4],"datatype":"FP32","data":[5,6,7,8]}'
-- 1, 2, 3, 4, 5, 6, 7, 8 as little-endian FP32
local FLOATS = "\0\0\128\63\0\0\0\64\0\0\64\64\0\0\128\64\0\0\160\64\0\0\192\64\0\0\224\64\0\0\0\65"
local SIZED = '"datatype":"FP32","parameters":{"binary_data_size":16}}'

local function req(id, inputs, more)
  return '{"id":"' .. id .. '","inputs":[' .. inputs .. ']' .. (more or "") .. '}'
end

local function binary(id, extra)
  local j = '{"id":"' .. id .. '","inputs":[{"name":"a","shape":[1,4],' .. SIZED
      .. ',{"name":"b","shape":[1,4],' .. SIZED .. ']}'
  return "POST", INFER, { ["Content-Type"] = "application/octet-stream",
      ["Inference-Header-Content-Length"] = tostring(#j) }, j .. FLOATS .. (extra or "")
end

-- name, weight, function(id) -> method, path, headers, body
local kinds = {
  { "valid_json", 50, function(id) return "POST", INFER, JSON, req(id, A .. "," .. B) end },
  { "valid_binary", 10, function(id) return binary(id) end },
  { "ready", 4, function(id) return "GET", "/v2/health/ready", {}, nil end },
  { "model_metadata", 2, function(id) return "GET", "/v2/models/add", {}, nil end },
  { "malformed_json", 4, function(id) return "POST", INFER, JSON, '{"id":"' .. id .. '","inputs":[' end },
  { "wrong_shape", 4, function(id) return "POST", INFER, JSON, req(id, A:gsub("%[1,4%]", "[2,2]") .. "," .. B) end },
  { "data_length", 3, function(id) return "POST", INFER, JSON, req(id, A:gsub("1,2,3,4", "1,2,3") .. "," .. B) end },
  { "unknown_input", 3, function(id) return "POST", INFER, JSON, req(id, A .. "," .. B:gsub('"b"', '"c"')) end },
  { "missing_input", 2, function(id) return "POST", INFER, JSON, req(id, A) end },
  { "nan_literal", 2, function(id) return "POST", INFER, JSON, req(id, A:gsub("1,2", "NaN,2") .. "," .. B) end },
  { "bad_id", 2, function(id) return "POST", INFER, JSON, req("bad id " .. id, A .. "," .. B) end },
  { "unknown_model", 3, function(id) return "POST", "/v2/models/nope/infer", JSON, req(id, A .. "," .. B) end },
  { "wrong_content_type", 3, function(id) return "POST", INFER, { ["Content-Type"] = "text/plain" }, req(id, A .. "," .. B) end },
  { "wrong_method", 2, function(id) return "GET", INFER, {}, nil end },
  { "pin_mismatch", 2, function(id) return "POST", INFER, JSON, req(id, A .. "," .. B, ',"parameters":{"model_sha256":"' .. string.rep("0", 64) .. '"}') end },
  { "binary_leftover", 2, function(id) return binary(id, "\0\0\0\0") end },
  { "unknown_path", 2, function(id) return "GET", "/v2/nowhere", {}, nil end },
}

local total = 0
for _, k in ipairs(kinds) do total = total + k[2] end

local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

local counter = 0
statuses = {}
sent = {}

function init(args)
  math.randomseed(1234 + tid)
end

function request()
  counter = counter + 1
  local r = math.random(total)
  for _, k in ipairs(kinds) do
    r = r - k[2]
    if r <= 0 then
      sent[k[1]] = (sent[k[1]] or 0) + 1
      local method, path, headers, body = k[3]("soak-" .. tid .. "-" .. counter)
      return wrk.format(method, path, headers, body)
    end
  end
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local st, kinds_sent = {}, {}
  for _, t in ipairs(threads) do
    for s, n in pairs(t:get("statuses")) do st[s] = (st[s] or 0) + n end
    for k, n in pairs(t:get("sent")) do kinds_sent[k] = (kinds_sent[k] or 0) + n end
  end
  local e = summary.errors
  io.write(string.format("SOAK requests=%d duration_s=%.1f rps=%.1f\n", summary.requests,
      summary.duration / 1e6, summary.requests / (summary.duration / 1e6)))
  io.write(string.format("SOAK socket_errors connect=%d read=%d write=%d timeout=%d\n",
      e.connect, e.read, e.write, e.timeout))
  for _, p in ipairs({ 50, 90, 99, 99.9 }) do
    io.write(string.format("SOAK latency_ms p%s=%.2f\n", tostring(p), latency:percentile(p) / 1000))
  end
  io.write(string.format("SOAK latency_ms max=%.2f\n", latency.max / 1000))
  local keys = {}
  for s in pairs(st) do table.insert(keys, s) end
  table.sort(keys)
  for _, s in ipairs(keys) do io.write(string.format("SOAK status %d %d\n", s, st[s])) end
  for _, k in ipairs(kinds) do
    io.write(string.format("SOAK sent %s %d\n", k[1], kinds_sent[k[1]] or 0))
  end
end
