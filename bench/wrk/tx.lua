-- TransactWriteItems of 10 actions on 10 scattered seeded items: 4 Puts (the
-- seeded item again), 4 Updates (SET + ADD, ConditionExpression
-- attribute_exists) and 2 ConditionChecks, in the order P U C P U P U C P U.
-- Same request as bench/inproc.c's "TransactWriteItems (10)" row and
-- bench/tx_bench.c's "mixed"; checked once by bench/seed_more.py.
--
-- A request is ~3 KB: 1,000 of them (10,000 actions, every item once) are
-- built in init, so the load generator spends its time sending, not building.
operation = "TransactWriteItems"
dofile("bench/wrk/common.lua")

local ACTIONS = 10
local KINDS = "PUCPUPUCPU"
local PREBUILT = 1000

function item_json(k)
   return string.format('{"pk":{"S":"p%05d"},"sk":{"S":"s%05d"},"n":{"N":"%d"},"payload":{"S":"%s"}}',
                        math.floor(k / PER_PARTITION), k % PER_PARTITION, k, payload(k))
end

-- Request i: actions on items ((i * 10 + a) * 7919) % items, a = 0..9, all distinct.
function body(i)
   local parts = {}
   for a = 0, ACTIONS - 1 do
      local k = ((i * ACTIONS + a) * 7919) % items
      local kind = KINDS:sub(a + 1, a + 1)
      if kind == "P" then
         parts[#parts + 1] = '{"Put":{"TableName":"' .. TABLE .. '","Item":' .. item_json(k) .. '}}'
      elseif kind == "U" then
         parts[#parts + 1] = '{"Update":{"TableName":"' .. TABLE .. '","Key":' .. key_json(k) .. ','
            .. '"UpdateExpression":"SET #s = :s ADD #c :one",'
            .. '"ConditionExpression":"attribute_exists(pk)",'
            .. '"ExpressionAttributeNames":{"#s":"state","#c":"count"},'
            .. '"ExpressionAttributeValues":{":s":{"S":"seen"},":one":{"N":"1"}}}}'
      else
         parts[#parts + 1] = '{"ConditionCheck":{"TableName":"' .. TABLE .. '","Key":' .. key_json(k) .. ','
            .. '"ConditionExpression":"attribute_exists(pk) AND size(payload) > :z",'
            .. '"ExpressionAttributeValues":{":z":{"N":"0"}}}}'
      end
   end
   return '{"TransactItems":[' .. table.concat(parts, ",") .. ']}'
end

local requests = nil
local common_init = init
function init(args)
   common_init(args)
   requests = {}
   for r = 0, PREBUILT - 1 do
      requests[r] = wrk.format(nil, nil, nil, body(r))
   end
end

function request()
   counter = counter + 1
   return requests[(counter * 7919) % PREBUILT]
end
