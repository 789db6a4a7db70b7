-- UpdateItem of one seeded item, SET with arithmetic (n = n + 1), no
-- ReturnValues; a different key each request. Same request as bench/inproc.c's
-- "UpdateItem (SET n = n + 1)" row; checked once by bench/seed_more.py.
operation = "UpdateItem"
dofile("bench/wrk/common.lua")

function body(i)
   return '{"TableName":"' .. TABLE .. '","Key":' .. key_json(i) .. ','
      .. '"UpdateExpression":"SET n = n + :d",'
      .. '"ExpressionAttributeValues":{":d":{"N":"1"}}}'
end
