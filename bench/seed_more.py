#!/usr/bin/python3
"""Seeds a running dynemu, after bench/seed.py, for the HTTP benchmarks of the
expression, index, transaction and association issues, and checks each of
their requests once, so that a benchmark never times an error.

What it adds (the layouts of bench/inproc.c's rows of the same names):
  table "bench_gsi": the items of seed.py's "bench" (--items of them) plus
      g = "g%02d" % (i % 100), with a GSI "by_g" (g HASH, n RANGE, projection
      ALL): 100 index partitions of 100 items;
  table "bench_gsi2": the same items and index partitions, the GSI "by_gh"
      keyed by two attributes, g = "g%02d" % (i % 100 // 2) and
      h = "h%d" % (i % 2), then n (a two-attribute partition key);
  tables "users" and "posts" (id S HASH), user "bob" and 1,000 posts
      "post-0000".. with a title and a number, the association users has_many
      posts declared over the control API (POST /_dynemu/associations), and
      the 1,000 posts added to bob (POST /_dynemu/associations/call, op add);
  the second round's: users has_and_belongs_to_many liked (those posts,
      which keep users_ids), and tables "channels" (news) and
      "subscriptions" with 1,000 users "user-0000".. subscribed to news
      through channels has_many subscribers, through: subscriptions,
      source: user (1,000 join records).

What it checks, with the exact requests of bench/wrk/{update,query_filter,
query_gsi,query_gsi2,tx,assoc_list,habtm_add,through_list}.lua: a 200 and the expected answer, and for the
writes their effect (the UpdateItem check is undone afterwards).

dynemu only: dynalite has neither transactions nor the control API.

Usage: seed_more.py --port PORT [--items N]     (N as given to seed.py)
"""
import argparse
import json
import sys
import time

sys.dont_write_bytecode = True   # no __pycache__ in bench/ from importing seed.py
from seed import PER_PARTITION, TABLE, Client, item, key

CHILDREN = 1000
TX_KINDS = "PUCPUPUCPU"


def control(c, path, body):
    """POST /_dynemu/PATH; exits unless it answers 200."""
    c.conn.request("POST", "/_dynemu/" + path, json.dumps(body), {"Content-Type": "application/json"})
    resp = c.conn.getresponse()
    data = resp.read()
    if resp.status != 200:
        sys.exit("seed_more: POST /_dynemu/%s answered %d: %s" % (path, resp.status, data[:300]))
    return json.loads(data)


def fail(what, got):
    sys.exit("seed_more: %s; got %s" % (what, json.dumps(got)[:300]))


def batch_write(c, table, items):
    for start in range(0, len(items), 25):
        pending = {table: [{"PutRequest": {"Item": it}} for it in items[start:start + 25]]}
        while pending:
            pending = c.ok("BatchWriteItem", {"RequestItems": pending}).get("UnprocessedItems") or {}


def seed_gsi(c, count):
    c.ok("CreateTable", {
        "TableName": "bench_gsi",
        "AttributeDefinitions": [{"AttributeName": a, "AttributeType": t}
                                 for a, t in (("pk", "S"), ("sk", "S"), ("g", "S"), ("n", "N"))],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                      {"AttributeName": "sk", "KeyType": "RANGE"}],
        "GlobalSecondaryIndexes": [{
            "IndexName": "by_g",
            "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"},
                          {"AttributeName": "n", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "ALL"}}],
        "BillingMode": "PAY_PER_REQUEST",
    })
    batch_write(c, "bench_gsi", [dict(item(i), g={"S": "g%02d" % (i % 100)}) for i in range(count)])


def seed_gsi2(c, count):
    """bench_gsi2: bench_gsi's items and index partitions, the GSI's partition
    key made of two attributes, g and h (query_gsi2.lua)."""
    c.ok("CreateTable", {
        "TableName": "bench_gsi2",
        "AttributeDefinitions": [{"AttributeName": a, "AttributeType": t}
                                 for a, t in (("pk", "S"), ("sk", "S"), ("g", "S"), ("h", "S"), ("n", "N"))],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                      {"AttributeName": "sk", "KeyType": "RANGE"}],
        "GlobalSecondaryIndexes": [{
            "IndexName": "by_gh",
            "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"},
                          {"AttributeName": "h", "KeyType": "HASH"},
                          {"AttributeName": "n", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "ALL"}}],
        "BillingMode": "PAY_PER_REQUEST",
    })
    batch_write(c, "bench_gsi2", [dict(item(i), g={"S": "g%02d" % (i % 100 // 2)}, h={"S": "h%d" % (i % 2)})
                                  for i in range(count)])


def seed_stream(c, count):
    """bench_stream: bench's layout and items, with a NEW_AND_OLD_IMAGES stream (put_stream.lua)."""
    c.ok("CreateTable", {
        "TableName": "bench_stream",
        "AttributeDefinitions": [{"AttributeName": a, "AttributeType": "S"} for a in ("pk", "sk")],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "BillingMode": "PAY_PER_REQUEST",
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    })
    batch_write(c, "bench_stream", [item(i) for i in range(count)])


def create_id_tables(c, *names):
    """Tables keyed by a String id, as associations want them."""
    for t in names:
        c.ok("CreateTable", {"TableName": t,
                             "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                             "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
                             "BillingMode": "PAY_PER_REQUEST"})


def seed_assoc(c):
    create_id_tables(c, "users", "posts")
    c.ok("PutItem", {"TableName": "users", "Item": {"id": {"S": "bob"}}})
    c.ok("PutItem", {"TableName": "users", "Item": {"id": {"S": "carol"}}})  # assoc_add.lua's other owner
    ids = ["post-%04d" % n for n in range(CHILDREN)]
    batch_write(c, "posts", [{"id": {"S": i}, "title": {"S": "a title of some length"},
                              "stars": {"N": str(n % 5)}} for n, i in enumerate(ids)])
    control(c, "associations", {"table": "users", "has_many": "posts"})
    added = control(c, "associations/call",
                    {"op": "add", "table": "users", "id": "bob", "association": "posts", "ids": ids})
    if added.get("ids") != ids:
        fail("add did not answer the 1,000 ids", added)


def seed_second_round(c):
    create_id_tables(c, "channels", "subscriptions")
    c.ok("PutItem", {"TableName": "channels", "Item": {"id": {"S": "news"}}})
    users = ["user-%04d" % n for n in range(CHILDREN)]
    batch_write(c, "users", [{"id": {"S": u}, "name": {"S": "a name of some length"}} for u in users])
    control(c, "associations", {"declarations": [
        {"table": "users", "has_and_belongs_to_many": "liked", "target": "posts"},
        {"table": "channels", "has_many": "subscriptions"},
        {"table": "subscriptions", "belongs_to": "user"},
        {"table": "channels", "has_many": "subscribers", "through": "subscriptions", "source": "user"}]})
    added = control(c, "associations/call", {"op": "add", "table": "channels", "id": "news",
                                             "association": "subscribers", "ids": users})
    if added.get("ids") != users:
        fail("the through add did not answer the 1,000 users", added)


def check_second_round(c):
    # through_list.lua
    listed = control(c, "associations/call", {"op": "list", "table": "channels", "id": "news",
                                              "association": "subscribers"})
    items = listed.get("items", [])
    if len(items) != CHILDREN or items[-1].get("id") != {"S": "user-%04d" % (CHILDREN - 1)}:
        fail("through list did not answer the 1,000 users", {"items": len(items)})
    # habtm_add.lua: add the 1,000 posts to bob's liked, then disassociate_all
    ids = ["post-%04d" % n for n in range(CHILDREN)]
    for op, want in (("add", ids), ("disassociate_all", [])):
        body = {"op": op, "table": "users", "id": "bob", "association": "liked"}
        if op == "add":
            body["ids"] = ids
        got = control(c, "associations/call", body)
        if got.get("ids") != want:
            fail("habtm %s did not answer %d ids" % (op, len(want)), {"ids": len(got.get("ids", []))})


def check(c, count):
    probe = count // 2 + 7       # not the first item of a partition
    p = probe // PER_PARTITION

    # update.lua; then undone, so "bench" keeps seed.py's items.
    def n_of(i):
        return c.ok("GetItem", {"TableName": TABLE, "Key": key(i)}).get("Item", {}).get("n")
    update = {"TableName": TABLE, "Key": key(probe), "UpdateExpression": "SET n = n + :d",
              "ExpressionAttributeValues": {":d": {"N": "1"}}}
    got = c.ok("UpdateItem", update)
    if got != {} or n_of(probe) != {"N": str(probe + 1)}:
        fail("UpdateItem SET n = n + :d did not add 1", got)
    update["ExpressionAttributeValues"][":d"] = {"N": "-1"}
    c.ok("UpdateItem", update)
    if n_of(probe) != {"N": str(probe)}:
        fail("UpdateItem did not undo", n_of(probe))

    # query_filter.lua
    q = c.ok("Query", {"TableName": TABLE, "Limit": 25, "KeyConditionExpression": "pk = :p",
                       "FilterExpression": "n >= :lo",
                       "ExpressionAttributeValues": {":p": key(probe)["pk"],
                                                     ":lo": {"N": str(p * PER_PARTITION + 13)}}})
    if q.get("Count") != 12 or len(q.get("Items", [])) != 12 or q.get("ScannedCount") != 25 \
            or "LastEvaluatedKey" not in q:
        fail("filtered Query Limit 25 did not answer Count 12, ScannedCount 25 and a LastEvaluatedKey",
             {k: v for k, v in q.items() if k != "Items"})

    # query_gsi.lua
    g = "g%02d" % (p % 100)
    q = c.ok("Query", {"TableName": "bench_gsi", "IndexName": "by_g", "Limit": 25,
                       "KeyConditionExpression": "g = :g",
                       "ExpressionAttributeValues": {":g": {"S": g}}})
    items = q.get("Items", [])
    last = q.get("LastEvaluatedKey", {})
    if q.get("Count") != 25 or len(items) != 25 or set(last) != {"pk", "sk", "g", "n"} \
            or any(it.get("g") != {"S": g} for it in items):
        fail("GSI Query Limit 25 did not answer 25 items of %s and a LastEvaluatedKey of both keys" % g,
             {k: v for k, v in q.items() if k != "Items"})

    # query_gsi2.lua
    part = p % 100
    g, h = "g%02d" % (part // 2), "h%d" % (part % 2)
    q = c.ok("Query", {"TableName": "bench_gsi2", "IndexName": "by_gh", "Limit": 25,
                       "KeyConditionExpression": "g = :g AND h = :h",
                       "ExpressionAttributeValues": {":g": {"S": g}, ":h": {"S": h}}})
    items = q.get("Items", [])
    last = q.get("LastEvaluatedKey", {})
    if q.get("Count") != 25 or len(items) != 25 or set(last) != {"pk", "sk", "g", "h", "n"} \
            or any(it.get("g") != {"S": g} or it.get("h") != {"S": h} for it in items):
        fail("two-attribute-key GSI Query Limit 25 did not answer 25 items of (%s, %s) and a LastEvaluatedKey "
             "of every key attribute" % (g, h), {k: v for k, v in q.items() if k != "Items"})

    # tx.lua, request 0: items (a * 7919) % count, a = 0..9
    actions, updated = [], []
    for a, kind in enumerate(TX_KINDS):
        k = (a * 7919) % count
        if kind == "P":
            actions.append({"Put": {"TableName": TABLE, "Item": item(k)}})
        elif kind == "U":
            updated.append(k)
            actions.append({"Update": {
                "TableName": TABLE, "Key": key(k), "UpdateExpression": "SET #s = :s ADD #c :one",
                "ConditionExpression": "attribute_exists(pk)",
                "ExpressionAttributeNames": {"#s": "state", "#c": "count"},
                "ExpressionAttributeValues": {":s": {"S": "seen"}, ":one": {"N": "1"}}}})
        else:
            actions.append({"ConditionCheck": {
                "TableName": TABLE, "Key": key(k),
                "ConditionExpression": "attribute_exists(pk) AND size(payload) > :z",
                "ExpressionAttributeValues": {":z": {"N": "0"}}}})
    got = c.ok("TransactWriteItems", {"TransactItems": actions})
    after = c.ok("GetItem", {"TableName": TABLE, "Key": key(updated[0])}).get("Item", {})
    if got != {} or after.get("state") != {"S": "seen"}:
        fail("TransactWriteItems did not apply its Update", after)

    # assoc_list.lua
    listed = control(c, "associations/call", {"op": "list", "table": "users", "id": "bob", "association": "posts"})
    items = listed.get("items", [])
    if len(items) != CHILDREN or any(it.get("user_id") != {"S": "bob"} for it in items):
        fail("list did not answer 1,000 posts of bob", {"items": len(items)})

    # assoc_add.lua: carol takes all 1,000 posts from bob, then bob takes them back
    ids = ["post-%04d" % n for n in range(CHILDREN)]
    for owner, other in (("carol", "bob"), ("bob", "carol")):
        moved = control(c, "associations/call",
                        {"op": "add", "table": "users", "id": owner, "association": "posts", "ids": ids})
        left = control(c, "associations/call", {"op": "size", "table": "users", "id": other, "association": "posts"})
        if moved.get("ids") != ids or left.get("size") != 0:
            fail("add did not move the 1,000 posts to %s" % owner, {"moved": len(moved.get("ids", [])), "left": left})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--items", type=int, default=10000)
    args = ap.parse_args()

    c = Client(args.port)
    t0 = time.monotonic()
    seed_gsi(c, args.items)
    seed_gsi2(c, args.items)
    seed_stream(c, args.items)
    seed_assoc(c)
    seed_second_round(c)
    elapsed = time.monotonic() - t0
    check(c, args.items)
    check_second_round(c)
    print("seeded %d items with a GSI and an owner of %d children in %.1f s, requests checked"
          % (args.items, CHILDREN, elapsed))


if __name__ == "__main__":
    main()
