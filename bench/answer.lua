-- Many distinct guests answering: each request uses a random guest's token
-- from tokens.txt and alternates yes / no / maybe so answers really change.
local tokens = {}
for line in io.lines(os.getenv("TOKENS_FILE") or "tokens.txt") do
  tokens[#tokens + 1] = line
end
local answers = { "yes", "no", "maybe" }
local counter = 0

-- Run from the repository's root, as bench/run.sh does.
dofile("bench/per_thread_seed.lua")

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
