-- Prints one machine-readable line after a wrk run: requests/s and latency percentiles (ms).
-- With WRK_PATHS set (paths separated by "|"), each request takes the next path in turn.
local paths = {}
local counter = 0
for path in string.gmatch(os.getenv("WRK_PATHS") or "", "[^|]+") do
  paths[#paths + 1] = path
end

request = function()
  if #paths == 0 then
    return wrk.format(nil)
  end
  counter = counter + 1
  return wrk.format(nil, paths[(counter % #paths) + 1])
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT rps=%.1f p50=%.3f p95=%.3f p99=%.3f requests=%d errors=%d non2xx=%d\n",
    summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
