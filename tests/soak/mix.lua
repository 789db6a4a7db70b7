-- tests/soak/mix.lua — the request mix of the soak test (tests/soak/run.py):
-- every operation, in four namespaces, with resets and snapshots between.
--
-- Each wrk thread builds its requests once in init() from a fixed seed, then
-- sends them in a shuffled cycle. Answers of 5xx, and every answer's status
-- class, are counted per thread and written by done() as one line:
--   SOAKSTAT requests=N s2xx=N s4xx=N s5xx=N sockerr=N
-- 4xx answers are expected (a failed condition, a missing snapshot, a
-- conflicting transaction); 5xx answers and socket errors fail the soak.

TABLE = "soak"
PARTITIONS, PER_PARTITION = 20, 10
NAMESPACES = {"AKIDSOAK0", "AKIDSOAK1", "AKIDSOAK2", "AKIDSOAK3"}

local threads = {}
function setup(thread) threads[#threads + 1] = thread end

local function key(p, s)
   return string.format('{"pk":{"S":"p%02d"},"sk":{"S":"s%02d"}}', p, s)
end

local function item(p, s, n)
   return string.format('{"pk":{"S":"p%02d"},"sk":{"S":"s%02d"},"g":{"S":"g%d"},"n":{"N":"%d"},'
                        .. '"body":{"S":"%s"},"tags":{"SS":["a","b%d"]}}', p, s, n % 5, n, string.rep("x", 100 + n % 50), n % 3)
end

-- One DynamoDB request: {operation, body}; one control request: {method, path, body}.
local function api(op, body) return {op = op, body = body} end
local function control(method, path, body) return {method = method, path = path, body = body or ""} end

local function requests_for(r)
   local p, s, n = r % PARTITIONS, (r * 7) % PER_PARTITION, r
   local t = '"TableName":"' .. TABLE .. '"'
   return {
      api("GetItem", '{' .. t .. ',"Key":' .. key(p, s) .. '}'),
      api("GetItem", '{' .. t .. ',"Key":' .. key(p, s) .. ',"ProjectionExpression":"pk, n, tags","ConsistentRead":true}'),
      api("PutItem", '{' .. t .. ',"Item":' .. item(p, s, n) .. ',"ReturnValues":"ALL_OLD"}'),
      api("PutItem", '{' .. t .. ',"Item":' .. item(p, s, n) .. ',"ConditionExpression":"attribute_not_exists(pk)"}'),
      api("UpdateItem", '{' .. t .. ',"Key":' .. key(p, s) .. ',"UpdateExpression":"ADD n :one SET #b = :b",'
          .. '"ExpressionAttributeNames":{"#b":"body"},"ExpressionAttributeValues":{":one":{"N":"1"},":b":{"S":"u' .. n .. '"}},'
          .. '"ReturnValues":"UPDATED_NEW"}'),
      api("DeleteItem", '{' .. t .. ',"Key":' .. key((p + 3) % PARTITIONS, s) .. ',"ReturnValues":"ALL_OLD"}'),
      api("Query", '{' .. t .. ',"KeyConditionExpression":"pk = :p AND sk > :s","ExpressionAttributeValues":'
          .. '{":p":{"S":"p' .. string.format("%02d", p) .. '"},":s":{"S":"s03"}},"Limit":5}'),
      api("Query", '{' .. t .. ',"IndexName":"by_g","KeyConditionExpression":"g = :g","FilterExpression":"n > :z",'
          .. '"ExpressionAttributeValues":{":g":{"S":"g' .. (n % 5) .. '"},":z":{"N":"3"}},"Limit":10}'),
      api("Scan", '{' .. t .. ',"Limit":25,"FilterExpression":"contains(tags, :a)","ExpressionAttributeValues":{":a":{"S":"a"}}}'),
      api("BatchGetItem", '{"RequestItems":{"' .. TABLE .. '":{"Keys":[' .. key(p, 1) .. ',' .. key(p, 2) .. ']}}}'),
      api("BatchWriteItem", '{"RequestItems":{"' .. TABLE .. '":[{"PutRequest":{"Item":' .. item(p, 4, n) .. '}},'
          .. '{"DeleteRequest":{"Key":' .. key(p, 5) .. '}}]}}'),
      api("TransactWriteItems", '{"TransactItems":[{"Put":{' .. t .. ',"Item":' .. item(p, 6, n) .. '}},'
          .. '{"Update":{' .. t .. ',"Key":' .. key(p, 7) .. ',"UpdateExpression":"SET n = :n",'
          .. '"ExpressionAttributeValues":{":n":{"N":"' .. n .. '"}}}}]}'),
      api("TransactGetItems", '{"TransactItems":[{"Get":{' .. t .. ',"Key":' .. key(p, 6) .. '}},{"Get":{' .. t .. ',"Key":' .. key(p, 7) .. '}}]}'),
      api("ExecuteStatement", '{"Statement":"SELECT * FROM \\"' .. TABLE .. '\\" WHERE pk = ?","Parameters":[{"S":"p'
          .. string.format("%02d", p) .. '"}]}'),
      api("ExecuteStatement", '{"Statement":"UPDATE \\"' .. TABLE .. '\\" SET n = n + 1 WHERE pk = ? AND sk = ?",'
          .. '"Parameters":[{"S":"p' .. string.format("%02d", p) .. '"},{"S":"s01"}]}'),
      api("DescribeTable", '{' .. t .. '}'),
      api("ListTables", '{}'),
      api("ListStreams", '{' .. t .. '}'),
      api("TagResource", '{"ResourceArn":"arn:aws:dynamodb:us-east-1:000000000000:table/' .. TABLE .. '","Tags":[{"Key":"k' .. (n % 4) .. '","Value":"v"}]}'),
      control("POST", "/_dynemu/associations/call", '{"op":"list","table":"users","id":"bob","association":"posts"}'),
      control("POST", "/_dynemu/associations/call", '{"op":"size","table":"posts","id":"post-1","association":"comments"}'),
      control("POST", "/_dynemu/snapshots/s" .. (n % 3)),
      control("POST", "/_dynemu/snapshots/s" .. (n % 3) .. "/restore"),
      control("POST", "/_dynemu/reset"),
   }
end

local built, next_request = {}, 1
counts = {requests = 0, s2xx = 0, s4xx = 0, s5xx = 0}

function init(args)
   math.randomseed(tonumber(args[1] or "1") + #threads)
   local all = {}
   for r = 0, 199 do
      local ns = NAMESPACES[r % #NAMESPACES + 1]
      local auth = "AWS4-HMAC-SHA256 Credential=" .. ns .. "/20260101/us-east-1/dynamodb/aws4_request, "
                   .. "SignedHeaders=host, Signature=0"
      for i, q in ipairs(requests_for(r)) do
         -- Resets and snapshots are rarer than the rest: one round in ten of each namespace.
         if not q.path or q.path:find("associations") or math.floor(r / #NAMESPACES) % 10 == 0 then
            local headers = {["Authorization"] = auth, ["X-Amz-Date"] = "20260101T000000Z",
                             ["Content-Type"] = "application/x-amz-json-1.0"}
            if q.op then headers["X-Amz-Target"] = "DynamoDB_20120810." .. q.op end
            all[#all + 1] = wrk.format(q.method or "POST", q.path or "/", headers, q.body)
         end
      end
   end
   for i = #all, 2, -1 do
      local j = math.random(i)
      all[i], all[j] = all[j], all[i]
   end
   built = all
end

function request()
   local r = built[next_request]
   next_request = next_request % #built + 1
   return r
end

function response(status, headers, body)
   counts.requests = counts.requests + 1
   if status >= 500 then counts.s5xx = counts.s5xx + 1
   elseif status >= 400 then counts.s4xx = counts.s4xx + 1
   else counts.s2xx = counts.s2xx + 1 end
end

function done(summary, latency, requests)
   local total = {requests = 0, s2xx = 0, s4xx = 0, s5xx = 0}
   for _, t in ipairs(threads) do
      local c = t:get("counts")
      for k, v in pairs(total) do total[k] = v + c[k] end
   end
   local e = summary.errors
   io.write(string.format("SOAKSTAT requests=%d s2xx=%d s4xx=%d s5xx=%d sockerr=%d rps=%.0f p99_us=%d\n",
                          total.requests, total.s2xx, total.s4xx, total.s5xx,
                          e.connect + e.read + e.write + e.timeout, summary.requests / (summary.duration / 1e6),
                          latency:percentile(99)))
end
