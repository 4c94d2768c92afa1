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

-- Each wrk thread has its own Lua state, whose random numbers start from
-- the same seed: without this, the threads would ask for the same tokens in
-- the same order, two requests at once for each page not yet seen.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("seed", threads)
end
function init(args)
  math.randomseed(seed or 0)
end
