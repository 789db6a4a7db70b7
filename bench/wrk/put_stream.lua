-- PutItem as put.lua, on "bench_stream": the same items in a table with a
-- NEW_AND_OLD_IMAGES stream (bench/seed_more.py). Its n counts requests, so
-- every Put changes the item and appends a record (a Put of an identical item
-- appends none). make bench sets its req/s beside put.lua's.
dofile("bench/wrk/put.lua")
TABLE = "bench_stream"
sent = 0

function body(i)
   sent = sent + 1
   return string.format('{"TableName":"%s","Item":{"pk":{"S":"p%05d"},"sk":{"S":"s%05d"},'
                        .. '"n":{"N":"%d"},"payload":{"S":"%s"}}}',
                        TABLE, math.floor(i / PER_PARTITION), i % PER_PARTITION, i + items * sent, payload(i))
end
