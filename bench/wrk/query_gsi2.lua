-- Query of the first 25 items of a partition of the GSI "by_gh" (g and h
-- HASH, n RANGE, projection ALL: a two-attribute partition key) of table
-- "bench_gsi2", seeded by bench/seed_more.py: the 100 index partitions of
-- query_gsi.lua, each now named by two attributes ("g00".."g49" and "h0",
-- "h1"). A different index partition each request. Same request as
-- bench/inproc.c's "Query on a 2-attribute-key GSI" row.
operation = "Query"
dofile("bench/wrk/common.lua")

function body(i)
   local part = math.floor(i / PER_PARTITION) % 100
   return '{"TableName":"bench_gsi2","IndexName":"by_gh","Limit":25,'
      .. '"KeyConditionExpression":"g = :g AND h = :h",'
      .. string.format('"ExpressionAttributeValues":{":g":{"S":"g%02d"},":h":{"S":"h%d"}}}',
                       math.floor(part / 2), part % 2)
end
