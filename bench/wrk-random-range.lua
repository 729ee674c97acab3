-- wrk script: every request is a GET with one random `Range: bytes=a-b` of BLOCK bytes inside a file of SIZE bytes.
-- Counts the answers that are 206 with exactly BLOCK bytes of body, and prints them at the end.
--
--   wrk -t2 -c16 -d10s -s bench/wrk-random-range.lua http://127.0.0.1:PORT/file -- SIZE [BLOCK]
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  size = tonumber(args[1]) or error("wrk-random-range.lua: pass the file size after --")
  block = tonumber(args[2] or "65536")
  if size < block then block = size end
  math.randomseed(os.time() * 7919 + id * 104729)
  ok, bad = 0, 0
end

function request()
  local offset = math.floor(math.random() * (size - block + 1))
  return wrk.format("GET", nil, { ["Range"] = string.format("bytes=%d-%d", offset, offset + block - 1) })
end

function response(status, headers, body)
  if status == 206 and #body == block then ok = ok + 1 else bad = bad + 1 end
end

function done(summary, latency, requests)
  local total_ok, total_bad = 0, 0
  for _, thread in ipairs(threads) do
    total_ok = total_ok + thread:get("ok")
    total_bad = total_bad + thread:get("bad")
  end
  io.write(string.format("ranges_ok=%d ranges_bad=%d p50_ms=%.2f p99_ms=%.2f\n",
    total_ok, total_bad, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
