-- has_and_belongs_to_many: users "bob" liked the 1,000 posts, through the
-- control API (POST /_dynemu/associations/call). Requests alternate between
-- add of all 1,000 ids and disassociate_all, so each one edits bob's
-- liked_ids and every post's users_ids (an add of links already there would
-- change nothing; disassociate_all, unlike disassociate of the ids, is never
-- refused when another connection's request came first). Seeded by
-- bench/seed_more.py, which leaves the posts unliked.
path = "/_dynemu/associations/call"
dofile("bench/wrk/common.lua")

local ids = {}
for n = 0, 999 do ids[#ids + 1] = string.format('"post-%04d"', n) end
local IDS = table.concat(ids, ",")
local CALL = {
   [0] = '{"op":"add","table":"users","id":"bob","association":"liked","ids":[' .. IDS .. ']}',
   [1] = '{"op":"disassociate_all","table":"users","id":"bob","association":"liked"}',
}

function body(i)
   return CALL[counter % 2]
end
