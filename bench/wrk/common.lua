-- Shared by the per-operation wrk scripts: headers, the item layout of
-- bench/seed.py, a request counter and one machine-readable result line.
-- wrk must be started from the repository root (bench/run.sh does), since the
-- scripts load this file by that relative path.
--
-- wrk embeds LuaJIT (Lua 5.1): no // operator, hence math.floor.
-- Script arguments (after wrk's "--"): the number of seeded items, default 10000.
--
-- A script sets `operation` (the X-Amz-Target operation) before loading this
-- file, or instead `path` for a control API route (no X-Amz-Target then).

TABLE = "bench"
PER_PARTITION = 100
PAYLOAD_LEN = 170
ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"

items = 10000
counter = 0

function init(args)
   if args[1] then items = tonumber(args[1]) end
   -- Each wrk thread has its own Lua state; start threads at different
   -- places so two threads do not walk the same keys in step.
   counter = math.random(0, items - 1)
   wrk.method = "POST"
   wrk.path = path or "/"
   wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
   if operation then
      wrk.headers["X-Amz-Target"] = "DynamoDB_20120810." .. operation
   end
   wrk.headers["X-Amz-Date"] = "20260101T000000Z"
   wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20260101/"
      .. "us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0"
end

-- Walks all items in a scattered order (7919 is prime, so coprime with any
-- item count that is a multiple of 100): consecutive requests hit unrelated
-- keys, and no single item is served hot from a cache.
function next_index()
   counter = counter + 1
   return (counter * 7919) % items
end

function key_json(i)
   return string.format('{"pk":{"S":"p%05d"},"sk":{"S":"s%05d"}}',
                        math.floor(i / PER_PARTITION), i % PER_PARTITION)
end

function partition_json(i)
   return string.format('{"S":"p%05d"}', math.floor(i / PER_PARTITION))
end

-- The seeded payload of item i (see bench/seed.py); it depends only on
-- i % 64, so the 64 variants are built once, on first use.
local payloads = nil
function payload(i)
   if not payloads then
      payloads = {}
      for r = 0, 63 do
         local chars = {}
         for j = 0, PAYLOAD_LEN - 1 do
            local c = (r + j) % 64 + 1
            chars[#chars + 1] = ALPHABET:sub(c, c)
         end
         payloads[r] = table.concat(chars)
      end
   end
   return payloads[i % 64]
end

function request()
   return wrk.format(nil, nil, nil, body(next_index()))
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "WRKSTAT requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d non2xx=%d sockerr=%d\n",
      summary.requests, summary.duration,
      summary.requests / (summary.duration / 1e6),
      latency:percentile(50), latency:percentile(99),
      e.status, e.connect + e.read + e.write + e.timeout))
end
