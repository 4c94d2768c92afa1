-- GETs a page or calendar file reached by a guest's token: each request uses
-- a random guest's token from tokens.txt in PATH_TEMPLATE ("%s" = token), so
-- the load spreads over guests as real traffic does.
local tokens = {}
for line in io.lines(os.getenv("TOKENS_FILE") or "tokens.txt") do
  tokens[#tokens + 1] = line
end
local template = os.getenv("PATH_TEMPLATE") or "/i/%s"

request = function()
  return wrk.format("GET", string.format(template, tokens[math.random(#tokens)]))
end

-- Run from the repository's root, as bench/run.sh does.
dofile("bench/per_thread_seed.lua")
