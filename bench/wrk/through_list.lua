-- has_many :through: the `list` of channel "news"'s 1,000 subscribers, read
-- through 1,000 join records (subscriptions), through the control API (POST
-- /_dynemu/associations/call). Seeded by bench/seed_more.py. Same request
-- as bench/inproc.c's "through list (1,000 joins)" row.
path = "/_dynemu/associations/call"
dofile("bench/wrk/common.lua")

local LIST = '{"op":"list","table":"channels","id":"news","association":"subscribers"}'

function body(i)
   return LIST
end
