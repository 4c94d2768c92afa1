-- Many distinct guests answering: each request uses a random guest's token
-- from tokens.txt and alternates yes / no / maybe so answers really change.
local tokens = {}
for line in io.lines(os.getenv("TOKENS_FILE") or "tokens.txt") do
  tokens[#tokens + 1] = line
end
local answers = { "yes", "no", "maybe" }
local counter = 0

-- Each wrk thread has its own Lua state, whose random numbers start from
-- the same seed: without this, the threads would send the same guests'
-- answers in the same order, two at once for each guest, not the many
-- distinct guests this run is meant to be.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("seed", threads)
end
function init(args)
  math.randomseed(seed or 0)
end

wrk.method = "PUT"
wrk.headers["Content-Type"] = "application/json"

request = function()
  counter = counter + 1
  local token = tokens[math.random(#tokens)]
  local body = '{"answer":"' .. answers[(counter % 3) + 1] .. '","comment":"bench"}'
  return wrk.format(nil, "/api/v1/invitations/" .. token .. "/answer", nil, body)
end

-- Count answers that were not 200 so a broken run cannot pass as fast.
local failures = 0
response = function(status)
  if status ~= 200 then failures = failures + 1 end
end

done = function(summary)
  io.write(string.format("non-2xx-or-errors: %d\n", summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
