#!/usr/bin/python3
"""Concurrent clients against dynemu built with ThreadSanitizer.

    /usr/bin/python3 tests/stress/run.py BINARY [SECONDS]

Starts BINARY (build/tsan/dynemu) on a free port of 127.0.0.1 with
--namespaces and the example fixtures, so the databases of several namespaces
share the values of one seed, and ThreadSanitizer writing any report under
build/stress/. CLIENTS threads, each with keep-alive connections in three
namespaces, then send a fixed-seed mix for SECONDS (default 12): table
changes, item writes and reads on overlapping keys, paged Query and Scan,
batches, transactions, TTL, tags, the control API (reset, snapshots, clock,
fixture loads) and association calls.

Each check counts as a test: every request is answered (no 5xx, no dropped
connection); every kind of request is sent and answered; SIGTERM ends the
server with status 0; ThreadSanitizer reports nothing. Ends with the plain
line `N passed, M failed` and exits 1 if anything failed."""

import collections
import glob
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REPORTS = os.path.join(ROOT, "build", "stress")
CLIENTS = 6
NAMESPACES = ["AKIDSTRESSA", "AKIDSTRESSB", "AKIDSTRESSC"]
TABLES = ["st0", "st1"]
START_DEADLINE_S = 30    # ThreadSanitizer makes start-up slow
STOP_DEADLINE_S = 30


def S(x):
    return {"S": str(x)}


def N(x):
    return {"N": str(x)}


# ---- one client ---------------------------------------------------------------

class Client:
    """Keep-alive connections in three namespaces, and a tally of answers."""

    def __init__(self, port, seed):
        self.port = port
        self.rng = random.Random(seed)
        self.conns = {ns: self.connect() for ns in NAMESPACES}
        self.ns = NAMESPACES[0]
        self.answers = collections.Counter()   # kind -> answered requests
        self.failures = []                      # (kind, what went wrong)

    def connect(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def send(self, kind, path, body, headers):
        conn = self.conns[self.ns]
        headers = dict(headers, **{"X-Amz-Date": "20260101T000000Z"}, Authorization="AWS4-HMAC-SHA256 Credential=%s/20260101/us-east-1/dynamodb/"
                                              "aws4_request, SignedHeaders=host, Signature=0" % self.ns)
        try:
            conn.request("POST" if body is not None else "GET", path,
                         body=json.dumps(body) if body is not None else None, headers=headers)
            resp = conn.getresponse()
            text = resp.read()
        except (OSError, http.client.HTTPException) as e:
            self.conns[self.ns] = self.connect()
            self.failures.append((kind, "no answer: %r" % e))
            return None
        if resp.status >= 500:
            self.failures.append((kind, "%d %s" % (resp.status, text[:200])))
            return None
        self.answers[kind] += 1
        return json.loads(text) if resp.status == 200 and text else None

    def ddb(self, op, body):
        return self.send(op, "/", body, {"X-Amz-Target": "DynamoDB_20120810." + op,
                                         "Content-Type": "application/x-amz-json-1.0"})

    def control(self, kind, path, body=None):
        return self.send(kind, "/_dynemu/" + path, body, {"Content-Type": "application/json"})

    # ---- the mix ----

    def key(self):
        return {"pk": S("p%d" % self.rng.randrange(4)), "sk": N(self.rng.randrange(6))}

    def item(self):
        item = self.key()
        item.update(g=S("g%d" % self.rng.randrange(3)), v=N(self.rng.randrange(100)),
                    tags={"SS": ["a", "b%d" % self.rng.randrange(3)]}, exp=N(1767225600 + self.rng.randrange(-60, 600)),
                    **{"a%d" % self.rng.randrange(200): S("named")})   # new attribute names as well
        return item

    def create_table(self, name):
        self.ddb("CreateTable", {
            "TableName": name, "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                     {"AttributeName": "sk", "AttributeType": "N"},
                                     {"AttributeName": "g", "AttributeType": "S"}],
            "GlobalSecondaryIndexes": [{"IndexName": "byg", "Projection": {"ProjectionType": "ALL"},
                                        "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}]}]})

    def paged(self, op, body, pages=5):
        for _ in range(pages):
            page = self.ddb(op, body)
            if not page or "LastEvaluatedKey" not in page:
                return
            body = dict(body, ExclusiveStartKey=page["LastEvaluatedKey"])

    def one_request(self):
        r, table = self.rng, self.rng.choice(TABLES)
        self.ns = r.choice(NAMESPACES)
        kind = r.choices(list(MIX), weights=list(MIX.values()))[0]
        if kind == "table":
            if r.random() < 0.5:
                self.create_table(table)
            else:
                self.ddb("DeleteTable", {"TableName": table})
        elif kind == "put":
            self.ddb("PutItem", {"TableName": table, "Item": self.item(), "ReturnValues": "ALL_OLD"})
        elif kind == "update":
            self.ddb("UpdateItem", {"TableName": table, "Key": self.key(), "ReturnValues": "ALL_NEW",
                                    "UpdateExpression": "SET v = if_not_exists(v, :z) + :one ADD tags :t",
                                    "ExpressionAttributeValues": {":z": N(0), ":one": N(1), ":t": {"SS": ["c"]}}})
        elif kind == "delete":
            self.ddb("DeleteItem", {"TableName": table, "Key": self.key(), "ReturnValues": "ALL_OLD"})
        elif kind == "get":
            self.ddb("GetItem", {"TableName": r.choice([table, "users"]), "Key": self.key()})
        elif kind == "query":
            self.paged("Query", {"TableName": table, "Limit": 2, "KeyConditionExpression": "pk = :p",
                                 "ExpressionAttributeValues": {":p": S("p%d" % r.randrange(4))}})
            self.paged("Query", {"TableName": table, "IndexName": "byg", "Limit": 3,
                                 "KeyConditionExpression": "g = :g", "ExpressionAttributeValues": {":g": S("g1")}})
        elif kind == "scan":
            self.paged("Scan", {"TableName": r.choice([table, "posts"]), "Limit": 4, "Segment": r.randrange(2),
                                "TotalSegments": 2})
        elif kind == "batch":
            keys = list({json.dumps(self.key(), sort_keys=True) for _ in range(4)})
            self.ddb("BatchWriteItem", {"RequestItems": {table: [
                {"PutRequest": {"Item": dict(self.item(), **json.loads(k))}} for k in keys]}})
            self.ddb("BatchGetItem", {"RequestItems": {table: {"Keys": [json.loads(k) for k in keys]}}})
        elif kind == "transaction":
            self.ddb("TransactWriteItems", {"TransactItems": [
                {"Put": {"TableName": table, "Item": dict(self.item(), pk=S("tx"), sk=N(1))}},
                {"Update": {"TableName": "users", "Key": {"id": S(r.choice(["alice", "bob"]))},
                            "UpdateExpression": "SET visits = if_not_exists(visits, :z) + :one",
                            "ExpressionAttributeValues": {":z": N(0), ":one": N(1)}}}]})
            self.ddb("TransactGetItems", {"TransactItems": [{"Get": {"TableName": table, "Key": self.key()}}]})
        elif kind == "partiql":
            # The same few statement texts from every client: the parsed-statement cache is shared.
            key = self.key()
            self.ddb("ExecuteStatement", {"Statement": 'SELECT * FROM "%s" WHERE pk = ?' % table,
                                          "Parameters": [key["pk"]], "Limit": 2})
            self.ddb("ExecuteStatement", {"Statement": 'UPDATE "%s" SET v = 1 WHERE pk = ? AND sk = ?' % table,
                                          "Parameters": [key["pk"], key["sk"]]})
            self.ddb("BatchExecuteStatement", {"Statements": [
                {"Statement": 'SELECT * FROM "%s" WHERE pk = ? AND sk = ?' % table, "Parameters": [key["pk"], key["sk"]]}]})
            self.ddb("ExecuteTransaction", {"TransactStatements": [
                {"Statement": 'DELETE FROM "%s" WHERE pk = ? AND sk = ?' % table, "Parameters": [key["pk"], key["sk"]]}]})
        elif kind == "ttl_and_tags":
            self.ddb("UpdateTimeToLive", {"TableName": table, "TimeToLiveSpecification": {
                "AttributeName": "exp", "Enabled": r.random() < 0.5}})
            self.ddb("TagResource", {"ResourceArn": "arn:aws:dynamodb:us-east-1:000000000000:table/" + table,
                                     "Tags": [{"Key": "k%d" % r.randrange(3), "Value": "v"}]})
        elif kind == "state":
            path = r.choice(["reset", "snapshots/s%d" % r.randrange(2), "snapshots/s%d/restore" % r.randrange(2)])
            self.control("control " + path.split("/")[0], path, {})
        elif kind == "clock":
            self.control("clock", "clock", {"advance_seconds": r.randrange(0, 120)})
        elif kind == "fixtures":
            n = r.randrange(100)
            self.control("fixtures", "fixtures", {"items": {"posts": [{"id": S("fx-%d" % n), "title": S("t")}]}})
        elif kind == "associations":
            self.control("associations", "associations/call", {
                "op": r.choice(["add", "list", "ids", "size"]), "table": "users", "id": r.choice(["alice", "bob"]),
                "association": "posts", "ids": ["post-%d" % r.randrange(1, 4)]})


MIX = {"table": 3, "put": 15, "update": 10, "delete": 5, "get": 12, "query": 8, "scan": 6, "batch": 5,
       "transaction": 5, "partiql": 5, "ttl_and_tags": 3, "state": 3, "clock": 2, "fixtures": 2, "associations": 6}


def run_client(client, until):
    for table in TABLES:
        for ns in NAMESPACES:
            client.ns = ns
            client.create_table(table)
    while time.time() < until:
        client.one_request()


# ---- the server ---------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(binary, port):
    for old in glob.glob(os.path.join(REPORTS, "tsan*")):
        os.remove(old)
    env = dict(os.environ, TSAN_OPTIONS="halt_on_error=0 log_path=%s" % os.path.join(REPORTS, "tsan"))
    server = subprocess.Popen([binary, "--host", "127.0.0.1", "--port", str(port), "--namespaces",
                               "--fixtures", os.path.join(ROOT, "fixtures", "examples")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    deadline = time.time() + START_DEADLINE_S
    while time.time() < deadline and server.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    server.wait()
    sys.exit("stress: %s did not start listening within %d s" % (binary, START_DEADLINE_S))


def stop(server):
    server.terminate()
    try:
        return server.wait(STOP_DEADLINE_S)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
        return "no exit within %d s" % STOP_DEADLINE_S


def main(argv):
    binary = argv[1]
    seconds = float(argv[2]) if len(argv) > 2 else 12
    os.makedirs(REPORTS, exist_ok=True)
    port = free_port()
    server = start(binary, port)
    clients = [Client(port, seed) for seed in range(CLIENTS)]
    until = time.time() + seconds
    threads = [threading.Thread(target=run_client, args=(c, until)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    status = stop(server)

    answers = sum((c.answers for c in clients), collections.Counter())
    failures = [f for c in clients for f in c.failures]
    reports = sorted(glob.glob(os.path.join(REPORTS, "tsan*")))
    sent_kinds = {"DeleteTable", "PutItem", "UpdateItem", "DeleteItem", "GetItem", "Query", "Scan",
                  "BatchWriteItem", "BatchGetItem", "TransactWriteItems", "TransactGetItems", "UpdateTimeToLive",
                  "TagResource", "ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction", "control reset", "control snapshots", "clock", "fixtures", "associations"}
    checks = [
        ("every request answered (%d answers, none 5xx or dropped)" % sum(answers.values()), not failures,
         "\n".join("  %s: %s" % f for f in failures[:20])),
        ("every kind of request sent and answered", sent_kinds <= set(answers),
         "  never answered: %s" % ", ".join(sorted(sent_kinds - set(answers)))),
        ("SIGTERM ends the server with status 0", status == 0, "  ended with: %s" % status),
        ("ThreadSanitizer reports nothing", not reports,
         "".join(open(r).read()[:3000] for r in reports[:2])),
    ]
    failed = 0
    for name, good, detail in checks:
        print("stress: %s ... %s" % (name, "ok" if good else "FAIL"))
        if not good:
            failed += 1
            print(detail)
    print("  answers by kind: %s" % ", ".join("%s %d" % kv for kv in sorted(answers.items())))
    print("%d passed, %d failed" % (len(checks) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
