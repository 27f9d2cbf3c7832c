-- wrk script for benchmarks/newsroom_day.py: readers choose pages with a Zipf-like popularity
-- and every response is counted by the cache layer that answered it.
--
-- NEWSROOM_DAY_URLS names a file of "<weight> <path>" lines. Each request draws a path with
-- probability proportional to its weight (binary search over the cumulative weights: wrk has
-- no weighted choice of its own). The layer comes from the headers the stack sets:
--   Varnish's X-Cache (deploy/varnish.vcl: HIT or HIT-STALE is Varnish), nginx's
--   X-Cache-Status (a micro-cache, in the design before Varnish), and X-Newsroom-Layer, which
--   newsroom_day.py's gunicorn adds (app cache or rendered); a response with none of them
--   came from nginx itself (a file it served).
-- done() prints one "LAYER <name>=<count>" line per layer, "STATUS <code>=<count>" per status,
-- then a RESULT line like benchmarks/wrk_report.lua's.

local paths, cumulative, total = {}, {}, 0
for line in io.lines(os.getenv("NEWSROOM_DAY_URLS")) do
  local weight, path = line:match("^(%S+) (%S+)$")
  total = total + tonumber(weight)
  paths[#paths + 1] = path
  cumulative[#cumulative + 1] = total
end

local threads = {}

function setup(thread)
  thread:set("number", #threads + 1)
  threads[#threads + 1] = thread
end

function init(args)
  -- "number" is set by setup() in this thread's own Lua state; each thread draws its own
  -- sequence, the same one from run to run.
  math.randomseed(tonumber(os.getenv("NEWSROOM_DAY_SEED") or "1") * 1000 + number)
  counts = {}
end

function request()
  local wanted = math.random() * total
  local low, high = 1, #cumulative
  while low < high do
    local middle = math.floor((low + high) / 2)
    if cumulative[middle] < wanted then
      low = middle + 1
    else
      high = middle
    end
  end
  return wrk.format("GET", paths[low])
end

local MICRO_CACHE_HITS = { HIT = true, STALE = true, UPDATING = true, REVALIDATED = true }

function response(status, headers, body)
  local varnish, micro, app
  for name, value in pairs(headers) do
    local lower = string.lower(name)
    if lower == "x-cache" then
      varnish = value
    elseif lower == "x-cache-status" then
      micro = value
    elseif lower == "x-newsroom-layer" then
      app = value
    end
  end
  local layer
  if varnish and string.sub(varnish, 1, 3) == "HIT" then
    layer = "varnish"
  elseif micro and MICRO_CACHE_HITS[micro] then
    layer = "micro-cache"
  elseif app then
    layer = app
  elseif varnish or micro then
    layer = "backend (untagged)"
  else
    layer = "nginx file"
  end
  counts["LAYER " .. layer] = (counts["LAYER " .. layer] or 0) + 1
  counts["STATUS " .. status] = (counts["STATUS " .. status] or 0) + 1
end

function done(summary, latency, requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    for key, count in pairs(thread:get("counts")) do
      merged[key] = (merged[key] or 0) + count
    end
  end
  for key, count in pairs(merged) do
    io.write(string.format("%s=%d\n", key, count))
  end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT rps=%.1f p50=%.3f p95=%.3f p99=%.3f requests=%d errors=%d non2xx=%d\n",
    summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
