#!/usr/bin/python3
"""Creates the benchmark table on a running server and fills it over plain HTTP.

Works against anything that speaks the DynamoDB JSON protocol (dynemu,
dynalite), using only the standard library so a fresh Debian needs no boto3.

The item layout is shared with bench/inproc.c and bench/wrk/common.lua; keep
the three in step:
  item i:  pk = "p%05d" % (i // PER_PARTITION)    partition key (S)
           sk = "s%05d" % (i % PER_PARTITION)     sort key (S)
           n  = i                                  a Number
           payload = 170 chars, ALPHABET[(i + j) % 64] for j in 0..169
  DynamoDB item size: 8 + 8 + ~4 + 177 ≈ 197 bytes.

Usage: seed.py --port PORT [--items N] [--check]
  --check  after loading, asserts that GetItem, Query (Limit 25) and
           Scan (Limit 100) answer with the expected items, so a benchmark
           never measures a server that is answering with errors.
"""
import argparse
import http.client
import json
import sys
import time

TABLE = "bench"
PER_PARTITION = 100
PAYLOAD_LEN = 170
ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"

HEADERS = {
    "Content-Type": "application/x-amz-json-1.0",
    # Any signature is accepted by the emulators; dynalite insists on a date.
    "Authorization": "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20260101/us-east-1/"
                     "dynamodb/aws4_request, SignedHeaders=host, Signature=0",
    "X-Amz-Date": "20260101T000000Z",
}


class Client:
    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(self, op, body):
        headers = dict(HEADERS, **{"X-Amz-Target": "DynamoDB_20120810." + op})
        self.conn.request("POST", "/", json.dumps(body), headers)
        resp = self.conn.getresponse()
        data = resp.read()
        try:
            parsed = json.loads(data) if data else {}
        except ValueError:
            parsed = {"raw": data[:200].decode("latin-1")}
        return resp.status, parsed

    def ok(self, op, body):
        status, parsed = self.call(op, body)
        if status != 200:
            sys.exit("seed: %s answered %d: %s" % (op, status, json.dumps(parsed)[:300]))
        return parsed


def key(i):
    return {"pk": {"S": "p%05d" % (i // PER_PARTITION)},
            "sk": {"S": "s%05d" % (i % PER_PARTITION)}}


def item(i):
    payload = "".join(ALPHABET[(i + j) % 64] for j in range(PAYLOAD_LEN))
    return dict(key(i), n={"N": str(i)}, payload={"S": payload})


def table_definition(name):
    """The CreateTable request of a table keyed as the benchmark's: pk (S) and sk (S)."""
    return {
        "TableName": name,
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                 {"AttributeName": "sk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                      {"AttributeName": "sk", "KeyType": "RANGE"}],
        "BillingMode": "PAY_PER_REQUEST",
    }


def create_table(c):
    status, parsed = c.call("CreateTable", table_definition(TABLE))
    if status != 200:
        sys.exit("seed: CreateTable answered %d: %s" % (status, json.dumps(parsed)[:300]))
    # dynalite keeps a new table CREATING for a moment; writes fail until ACTIVE.
    deadline = time.time() + 10
    while time.time() < deadline:
        table = c.ok("DescribeTable", {"TableName": TABLE}).get("Table", {})
        if table.get("TableStatus", "ACTIVE") == "ACTIVE":
            return
        time.sleep(0.02)
    sys.exit("seed: table never became ACTIVE")


def load(c, count):
    for start in range(0, count, 25):
        requests = [{"PutRequest": {"Item": item(i)}}
                    for i in range(start, min(start + 25, count))]
        pending = {TABLE: requests}
        while pending:
            pending = c.ok("BatchWriteItem", {"RequestItems": pending}).get("UnprocessedItems") or {}


def check(c, count):
    probe = count // 2
    got = c.ok("GetItem", {"TableName": TABLE, "Key": key(probe)}).get("Item")
    if got != item(probe):
        sys.exit("seed: GetItem returned %s" % json.dumps(got)[:300])
    q = c.ok("Query", {"TableName": TABLE, "Limit": 25,
                       "KeyConditionExpression": "pk = :p",
                       "ExpressionAttributeValues": {":p": key(probe)["pk"]}})
    if q.get("Count") != 25 or len(q.get("Items", [])) != 25:
        sys.exit("seed: Query Limit 25 returned Count %s" % q.get("Count"))
    s = c.ok("Scan", {"TableName": TABLE, "Limit": 100})
    if s.get("Count") != 100 or len(s.get("Items", [])) != 100:
        sys.exit("seed: Scan Limit 100 returned Count %s" % s.get("Count"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--items", type=int, default=10000)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()

    c = Client(args.port)
    t0 = time.monotonic()
    create_table(c)
    load(c, args.items)
    elapsed = time.monotonic() - t0
    if args.check:
        check(c, args.items)
    print("seeded %d items in %.1f s" % (args.items, elapsed))


if __name__ == "__main__":
    main()
