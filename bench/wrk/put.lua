-- PutItem that overwrites one seeded item with an identical-layout item, a
-- different key each request, so the table keeps its size during the run.
operation = "PutItem"
dofile("bench/wrk/common.lua")

function body(i)
   return string.format('{"TableName":"%s","Item":{"pk":{"S":"p%05d"},"sk":{"S":"s%05d"},'
                        .. '"n":{"N":"%d"},"payload":{"S":"%s"}}}',
                        TABLE, math.floor(i / PER_PARTITION), i % PER_PARTITION, i, payload(i))
end
