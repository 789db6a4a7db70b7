-- Query of the first 25 items of a partition with a FilterExpression that
-- keeps 12 of them (n >= the 14th item's n): Count 12, ScannedCount 25.
-- A different partition each request. Same request as bench/inproc.c's
-- "Query + filter (Limit 25)" row; checked once by bench/seed_more.py.
operation = "Query"
dofile("bench/wrk/common.lua")

function body(i)
   local p = math.floor(i / PER_PARTITION)
   return '{"TableName":"' .. TABLE .. '","Limit":25,'
      .. '"KeyConditionExpression":"pk = :p",'
      .. '"FilterExpression":"n >= :lo",'
      .. '"ExpressionAttributeValues":{":p":' .. partition_json(i) .. ','
      .. '":lo":{"N":"' .. (p * PER_PARTITION + 13) .. '"}}}'
end
