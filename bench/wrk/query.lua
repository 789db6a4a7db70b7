-- Query of the first 25 items of a partition (every partition holds 100),
-- a different partition each request.
operation = "Query"
dofile("bench/wrk/common.lua")

function body(i)
   return '{"TableName":"' .. TABLE .. '","Limit":25,'
      .. '"KeyConditionExpression":"pk = :p",'
      .. '"ExpressionAttributeValues":{":p":' .. partition_json(i) .. '}}'
end
