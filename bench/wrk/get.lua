-- GetItem of one seeded item, a different key each request.
operation = "GetItem"
dofile("bench/wrk/common.lua")

function body(i)
   return '{"TableName":"' .. TABLE .. '","Key":' .. key_json(i) .. '}'
end
