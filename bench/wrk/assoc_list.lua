-- The association layer's `list` of an owner with 1,000 children, through
-- the control API (POST /_dynemu/associations/call): users "bob" has_many
-- posts, seeded by bench/seed_more.py. The answer is ~100 KB. Same request as
-- bench/inproc.c's "assoc list (1,000 items)" row.
path = "/_dynemu/associations/call"
dofile("bench/wrk/common.lua")

local LIST = '{"op":"list","table":"users","id":"bob","association":"posts"}'

function body(i)
   return LIST
end
