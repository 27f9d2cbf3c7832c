-- wrk script: readers spread over the front page, article pages and searches.
-- The paths come from loadtest/paths.txt (written by loadtest/run.py), one per line.
local paths = {}
for line in io.lines(os.getenv("LOAD_PATHS") or "loadtest/paths.txt") do
  paths[#paths + 1] = line
end
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
