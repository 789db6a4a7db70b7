#!/usr/bin/python3
"""The wall time of a test suite against a running server: TESTS tests, each
putting the database back to its seeded state, then making 10 mixed requests
(Put, Get, Update, Query, Delete, Scan) over one keep-alive connection, as a
suite's tests would, one after another.

The seeded state is one table of SEED_ITEMS items. How a test gets it back:
  --reset     POST /_dynemu/reset (dynemu started with --fixtures of the
              document --write-fixture gives)
  --recreate  DeleteTable, CreateTable, then the seed items again: what a
              suite does against a server without a reset (dynalite)
Every answer is checked, so a server answering errors never gets a time.

Usage: suite.py --port PORT (--reset | --recreate) [--tests N] [--max-seconds S]
       suite.py --write-fixture PATH
Prints "SUITE tests=N seconds=S"; a run stopped by --max-seconds reports the
tests it finished and their time (run.sh scales it to N).
"""
import argparse
import http.client
import json
import sys
import time

import seed  # bench/seed.py, beside this file

TABLE = "suite"
SEED_ITEMS = 20
REQUESTS_PER_TEST = 10
HEADERS = {
    "Content-Type": "application/x-amz-json-1.0",
    "Authorization": "AWS4-HMAC-SHA256 Credential=AKIDSUITE/20260101/us-east-1/"
                     "dynamodb/aws4_request, SignedHeaders=host, Signature=0",
    "X-Amz-Date": "20260101T000000Z",
}
CREATE_TABLE = seed.table_definition(TABLE)
# How long a table may take to appear or go (dynalite's are asynchronous).
TABLE_WAIT_SECONDS = 10


def item(user, n):
    return {"pk": {"S": "user-%d" % user}, "sk": {"S": "order-%03d" % n},
            "amount": {"N": str(n * 7)}, "state": {"S": "open"}}


def seed_items():
    return [item(i % 4, i) for i in range(SEED_ITEMS)]


class Server:
    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def post(self, path, headers, body):
        self.conn.request("POST", path, body, headers)
        resp = self.conn.getresponse()
        return resp.status, resp.read()

    def call(self, op, body, expect=200):
        headers = dict(HEADERS, **{"X-Amz-Target": "DynamoDB_20120810." + op})
        status, data = self.post("/", headers, json.dumps(body))
        if status != expect:
            sys.exit("suite: %s answered %d: %s" % (op, status, data[:300]))
        return json.loads(data) if data else {}


def wait_for_table(s, present):
    deadline = time.monotonic() + TABLE_WAIT_SECONDS
    while time.monotonic() < deadline:
        headers = dict(HEADERS, **{"X-Amz-Target": "DynamoDB_20120810.DescribeTable"})
        status, data = s.post("/", headers, json.dumps({"TableName": TABLE}))
        if not present and status == 400 and b"ResourceNotFoundException" in data:
            return
        if present and status == 200 and json.loads(data)["Table"].get("TableStatus") == "ACTIVE":
            return
        time.sleep(0.001)
    sys.exit("suite: table %s never %s" % (TABLE, "became ACTIVE" if present else "went away"))


def recreate(s):
    s.call("DeleteTable", {"TableName": TABLE})
    wait_for_table(s, False)
    create(s)


def create(s):
    s.call("CreateTable", CREATE_TABLE)
    wait_for_table(s, True)
    s.call("BatchWriteItem", {"RequestItems": {TABLE: [{"PutRequest": {"Item": i}} for i in seed_items()]}})


def reset(s):
    status, data = s.post("/_dynemu/reset", {}, b"")
    if status != 200:
        sys.exit("suite: reset answered %d: %s" % (status, data[:300]))


def one_test(s, t):
    """The 10 requests of test t, each answer checked against the seeded state."""
    user = "user-%d" % (t % 4)
    new = {"pk": {"S": user}, "sk": {"S": "order-new"}, "amount": {"N": "5"}, "state": {"S": "open"}}
    key = {"pk": {"S": user}, "sk": {"S": "order-new"}}
    s.call("PutItem", {"TableName": TABLE, "Item": new, "ConditionExpression": "attribute_not_exists(pk)"})
    got = s.call("GetItem", {"TableName": TABLE, "Key": key})
    assert got["Item"]["amount"] == {"N": "5"}, got
    s.call("UpdateItem", {"TableName": TABLE, "Key": key, "UpdateExpression": "SET amount = amount + :d",
                          "ExpressionAttributeValues": {":d": {"N": "1"}}})
    q = s.call("Query", {"TableName": TABLE, "KeyConditionExpression": "pk = :p",
                         "ExpressionAttributeValues": {":p": {"S": user}}})
    assert q["Count"] == SEED_ITEMS // 4 + 1, q["Count"]   # the seeded orders and the new one: no test leaks into the next
    s.call("PutItem", {"TableName": TABLE, "Item": dict(new, sk={"S": "order-other"})})
    s.call("DeleteItem", {"TableName": TABLE, "Key": key})
    gone = s.call("GetItem", {"TableName": TABLE, "Key": key})
    assert "Item" not in gone, gone
    s.call("UpdateItem", {"TableName": TABLE, "Key": {"pk": {"S": user}, "sk": {"S": "order-%03d" % (t % 4)}},
                          "UpdateExpression": "SET #s = :s", "ExpressionAttributeNames": {"#s": "state"},
                          "ExpressionAttributeValues": {":s": {"S": "shipped"}}})
    scan = s.call("Scan", {"TableName": TABLE, "FilterExpression": "#s = :s",
                           "ExpressionAttributeNames": {"#s": "state"},
                           "ExpressionAttributeValues": {":s": {"S": "shipped"}}})
    assert scan["Count"] == 1, scan["Count"]
    s.call("GetItem", {"TableName": TABLE, "Key": {"pk": {"S": user}, "sk": {"S": "order-other"}}})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int)
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--reset", action="store_true")
    mode.add_argument("--recreate", action="store_true")
    ap.add_argument("--tests", type=int, default=1000)
    ap.add_argument("--max-seconds", type=float, default=120)
    ap.add_argument("--write-fixture")
    args = ap.parse_args()
    if args.write_fixture:
        with open(args.write_fixture, "w") as f:
            json.dump({"tables": [CREATE_TABLE], "items": {TABLE: seed_items()}}, f)
        return
    if not args.port or not (args.reset or args.recreate):
        sys.exit("suite: --port and --reset or --recreate needed")
    s = Server(args.port)
    start_over = reset if args.reset else recreate
    if args.recreate:
        create(s)
    start = time.monotonic()
    done = 0
    while done < args.tests and time.monotonic() - start < args.max_seconds:
        start_over(s)
        one_test(s, done)
        done += 1
    print("SUITE tests=%d seconds=%.3f requests_per_test=%d" % (done, time.monotonic() - start, REQUESTS_PER_TEST))


if __name__ == "__main__":
    main()
