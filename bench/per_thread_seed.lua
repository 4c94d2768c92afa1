-- Loaded by the request scripts (dofile): each wrk thread has its own Lua
-- state, whose random numbers start from the same seed. Without a seed of
-- its own, each thread would draw the same guests in the same order, two
-- requests at once for each guest: every page not yet seen rendered twice,
-- every answer sent twice, not the many distinct guests a run is meant to be.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("seed", threads)
end
function init(args)
  math.randomseed(seed or 0)
end
