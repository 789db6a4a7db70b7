-- PutItem that overwrites one seeded item with an identical-layout item, a
-- different key each request, so the table keeps its size during the run.
operation = "PutItem"
dofile("bench/wrk/common.lua")

-- The payload depends only on i % 64 (see bench/seed.py); build the 64
-- variants once so the load generator spends its time sending, not building.
local payloads = {}
for r = 0, 63 do
   local chars = {}
   for j = 0, PAYLOAD_LEN - 1 do
      local c = (r + j) % 64 + 1
      chars[#chars + 1] = ALPHABET:sub(c, c)
   end
   payloads[r] = table.concat(chars)
end

function body(i)
   return string.format('{"TableName":"%s","Item":{"pk":{"S":"p%05d"},"sk":{"S":"s%05d"},'
                        .. '"n":{"N":"%d"},"payload":{"S":"%s"}}}',
                        TABLE, math.floor(i / PER_PARTITION), i % PER_PARTITION, i, payloads[i % 64])
end
