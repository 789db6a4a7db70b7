-- The association layer's `add` of 1,000 children, through the control API
-- (POST /_dynemu/associations/call). Requests alternate between users "bob"
-- and "carol", so each one moves all 1,000 posts from the other owner: the
-- full work of linking them (both owners' sets and each post's user_id), not
-- a repeat of links already there. Seeded by bench/seed_more.py; runs after
-- assoc_list.lua, which wants bob as the owner.
path = "/_dynemu/associations/call"
dofile("bench/wrk/common.lua")

local ids = {}
for n = 0, 999 do ids[#ids + 1] = string.format('"post-%04d"', n) end
local IDS = table.concat(ids, ",")
local ADD = {
   [0] = '{"op":"add","table":"users","id":"bob","association":"posts","ids":[' .. IDS .. ']}',
   [1] = '{"op":"add","table":"users","id":"carol","association":"posts","ids":[' .. IDS .. ']}',
}

function body(i)
   return ADD[counter % 2]
end
