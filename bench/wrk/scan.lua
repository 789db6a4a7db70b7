-- Scan of the first 100 items of the table, as a client's first page.
operation = "Scan"
dofile("bench/wrk/common.lua")

function body(i)
   return '{"TableName":"' .. TABLE .. '","Limit":100}'
end
