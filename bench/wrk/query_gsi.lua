-- Query of the first 25 items of a partition of the GSI "by_g" (g HASH,
-- n RANGE, projection ALL) of table "bench_gsi", seeded by bench/seed_more.py:
-- 100 index partitions "g00".."g99" of 100 items. A different index partition
-- each request. Same request as bench/inproc.c's "Query on a GSI" row.
operation = "Query"
dofile("bench/wrk/common.lua")

function body(i)
   return '{"TableName":"bench_gsi","IndexName":"by_g","Limit":25,'
      .. '"KeyConditionExpression":"g = :g",'
      .. string.format('"ExpressionAttributeValues":{":g":{"S":"g%02d"}}}',
                       math.floor(i / PER_PARTITION) % 100)
end
