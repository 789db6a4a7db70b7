"""Global secondary indexes with multi-attribute keys (up to 4 HASH and up to
4 RANGE attributes), through boto3: CreateTable and UpdateTable with AWS's
KeySchema rules, DescribeTable, sparse index maintenance, writes refused for
a wrongly typed key attribute, Query with the key conditions AWS allows (every
partition attribute with =, a leading run of the sort attributes, only the
last with a range) and its errors for the others, sort order over several
attributes, pagination with LastEvaluatedKey carrying every key attribute,
projections, filters, capacity, and the state API (dump, load, snapshots)."""

import json

from helpers import VALIDATION, WireTestCase, aws, create_table, raw_request, table_name


def S(v):
    return {"S": v}


def N(v):
    return {"N": str(v)}


def defs(*pairs):
    return [{"AttributeName": n, "AttributeType": t} for n, t in pairs]


def keys(hashes, ranges=()):
    return ([{"AttributeName": n, "KeyType": "HASH"} for n in hashes] +
            [{"AttributeName": n, "KeyType": "RANGE"} for n in ranges])


def gsi(name, hashes, ranges=(), projection="ALL", non_key=None):
    proj = {"ProjectionType": projection}
    if non_key:
        proj["NonKeyAttributes"] = non_key
    return {"IndexName": name, "KeySchema": keys(hashes, ranges), "Projection": proj}


class CreateTest(WireTestCase):
    """CreateTable and UpdateTable: what AWS accepts and how it refuses the rest."""

    def create(self, index_keys, attrs, **extra):
        return self.ddb.create_table(
            TableName=table_name("mk"), KeySchema=keys(["p"]), BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=defs(("p", "S"), *attrs),
            GlobalSecondaryIndexes=[{"IndexName": "gsi", "KeySchema": index_keys,
                                     "Projection": {"ProjectionType": "ALL"}}], **extra)

    def refused(self, index_keys, attrs, message):
        self.assertError(VALIDATION, self.create, index_keys, attrs, message=message)

    def test_four_hash_and_four_range_attributes_are_described_in_order(self):
        names = ["a", "b", "c", "d", "e", "f", "g", "h"]
        desc = self.create(keys(names[:4], names[4:]), [(n, "S") for n in names])["TableDescription"]
        self.assertEqual(desc["GlobalSecondaryIndexes"][0]["KeySchema"], keys(names[:4], names[4:]))
        again = self.ddb.describe_table(TableName=desc["TableName"])["Table"]
        self.assertEqual(again["GlobalSecondaryIndexes"][0]["KeySchema"], keys(names[:4], names[4:]))

    def test_two_hash_attributes_without_a_range(self):
        desc = self.create(keys(["a", "b"]), [("a", "S"), ("b", "N")])["TableDescription"]
        self.assertEqual(desc["GlobalSecondaryIndexes"][0]["KeySchema"], keys(["a", "b"]))

    def test_a_fifth_hash_attribute_is_refused(self):
        names = ["a", "b", "c", "d", "e"]
        self.refused(keys(names), [(n, "S") for n in names],
                     "One or more parameter values were invalid: The KeySchema exceeds the maximum allowed number "
                     "of HASH key attributes")

    def test_a_fifth_range_attribute_is_refused(self):
        names = ["a", "b", "c", "d", "e"]
        self.refused(keys(["h"], names), [("h", "S")] + [(n, "S") for n in names],
                     "One or more parameter values were invalid: The KeySchema exceeds the maximum allowed number "
                     "of RANGE key attributes")

    def test_hash_after_range_is_refused(self):
        self.refused(keys(["a"], ["b"]) + keys(["c"]), [("a", "S"), ("b", "S"), ("c", "S")],
                     "One or more parameter values were invalid: All HASH key attributes must precede RANGE key "
                     "attributes in the KeySchema")

    def test_range_first_is_refused(self):
        self.refused(keys([], ["a", "b"]), [("a", "S"), ("b", "S")],
                     "Invalid KeySchema: The first KeySchemaElement is not a HASH key type")

    def test_an_attribute_named_twice_is_refused(self):
        self.refused(keys(["a", "a"]), [("a", "S")], "Attribute Name is duplicated: a")
        self.refused(keys(["a", "b"], ["a"]), [("a", "S"), ("b", "S")],
                     "The KeySchema contains multiple key attributes with the same name")

    def test_an_undefined_key_attribute_is_named_with_all_keys(self):
        self.refused(keys(["a", "b"], ["c"]), [("a", "S"), ("c", "S")],
                     "One or more parameter values were invalid: Some index key attributes are not defined in "
                     "AttributeDefinitions. Keys: [a, b, c], AttributeDefinitions: [p, a, c]")

    def test_tables_and_local_indexes_keep_one_hash_and_one_range(self):
        self.assertError(VALIDATION, self.ddb.create_table, TableName=table_name("mk"),
                         KeySchema=keys(["p", "q"]), AttributeDefinitions=defs(("p", "S"), ("q", "S")),
                         BillingMode="PAY_PER_REQUEST",
                         message="Invalid KeySchema: The second KeySchemaElement is not a RANGE key type")
        self.assertError(VALIDATION, self.ddb.create_table, TableName=table_name("mk"),
                         KeySchema=keys(["p"], ["s"]), AttributeDefinitions=defs(("p", "S"), ("s", "S"), ("l", "S")),
                         BillingMode="PAY_PER_REQUEST",
                         LocalSecondaryIndexes=[gsi("lsi", ["p"], ["s", "l"])],
                         contains="Member must have length less than or equal to 2")

    def test_update_table_creates_and_backfills_a_multi_attribute_index(self):
        name = create_table(self.ddb, hash_key=("p", "S"))
        self.ddb.put_item(TableName=name, Item={"p": S("1"), "t": S("x"), "r": S("eu"), "n": N(2)})
        self.ddb.put_item(TableName=name, Item={"p": S("2"), "t": S("x"), "n": N(1)})   # no r: not indexed
        desc = self.ddb.update_table(
            TableName=name, AttributeDefinitions=defs(("t", "S"), ("r", "S"), ("n", "N")),
            GlobalSecondaryIndexUpdates=[{"Create": gsi("gsi", ["t", "r"], ["n"])}])["TableDescription"]
        self.assertEqual(desc["GlobalSecondaryIndexes"][0]["KeySchema"], keys(["t", "r"], ["n"]))
        got = self.ddb.query(TableName=name, IndexName="gsi", KeyConditionExpression="t = :t AND r = :r",
                             ExpressionAttributeValues={":t": S("x"), ":r": S("eu")})
        self.assertEqual([i["p"]["S"] for i in got["Items"]], ["1"])

    def test_update_table_refuses_what_create_table_refuses(self):
        name = create_table(self.ddb, hash_key=("p", "S"))
        self.assertError(VALIDATION, self.ddb.update_table, TableName=name,
                         AttributeDefinitions=defs(("a", "S"), ("b", "S")),
                         GlobalSecondaryIndexUpdates=[{"Create": gsi("gsi", [], ["a"]) | {
                             "KeySchema": keys([], ["a"]) + keys(["b"])}}],
                         message="Invalid KeySchema: The first KeySchemaElement is not a HASH key type")
        names = ["a", "b", "c", "d", "e"]
        self.assertError(VALIDATION, self.ddb.update_table, TableName=name,
                         AttributeDefinitions=defs(*[(n, "S") for n in names]),
                         GlobalSecondaryIndexUpdates=[{"Create": gsi("gsi", names)}],
                         contains="exceeds the maximum allowed number of HASH key attributes")
        self.assertNotIn("GlobalSecondaryIndexes", self.ddb.describe_table(TableName=name)["Table"])


class MultiKeyTestCase(WireTestCase):
    """A table {p S} with GSI "gsi": partition (t S, r S), sort (n N, b S), ALL;
    and GSI "keys": partition (t S, r S), KEYS_ONLY."""

    def setUp(self):
        super().setUp()
        self.table = create_table(
            self.ddb, hash_key=("p", "S"),
            AttributeDefinitions=defs(("p", "S"), ("t", "S"), ("r", "S"), ("n", "N"), ("b", "S")),
            GlobalSecondaryIndexes=[gsi("gsi", ["t", "r"], ["n", "b"]), gsi("keys", ["t", "r"], projection="KEYS_ONLY")])

    def put(self, p, **attrs):
        item = {"p": S(p)}
        for k, v in attrs.items():
            item[k] = N(v) if isinstance(v, int) else S(v)
        self.ddb.put_item(TableName=self.table, Item=item)

    def query(self, expr, index="gsi", **values):
        args = dict(TableName=self.table, IndexName=index, KeyConditionExpression=expr)
        if values:
            args["ExpressionAttributeValues"] = {":" + k: N(v) if isinstance(v, int) else S(v)
                                                 for k, v in values.items()}
        return self.ddb.query(**args)

    def ids(self, expr, **values):
        return [i["p"]["S"] for i in self.query(expr, **values)["Items"]]


class MaintenanceTest(MultiKeyTestCase):

    def test_an_item_missing_any_key_attribute_is_not_indexed(self):
        self.put("full", t="x", r="eu", n=1, b="a")
        self.put("no-r", t="x", n=1, b="a")
        self.put("no-b", t="x", r="eu", n=1)
        self.assertEqual(self.ids("t = :t AND r = :r", t="x", r="eu"), ["full"])
        self.assertEqual(sorted(i["p"]["S"] for i in self.ddb.scan(TableName=self.table, IndexName="keys")["Items"]),
                         ["full", "no-b"])

    def test_updates_move_items_in_and_out(self):
        self.put("a", t="x", r="eu", n=1)
        self.ddb.update_item(TableName=self.table, Key={"p": S("a")}, UpdateExpression="SET b = :b",
                             ExpressionAttributeValues={":b": S("z")})
        self.assertEqual(self.ids("t = :t AND r = :r", t="x", r="eu"), ["a"])
        self.ddb.update_item(TableName=self.table, Key={"p": S("a")}, UpdateExpression="SET r = :r",
                             ExpressionAttributeValues={":r": S("us")})
        self.assertEqual(self.ids("t = :t AND r = :r", t="x", r="eu"), [])
        self.assertEqual(self.ids("t = :t AND r = :r", t="x", r="us"), ["a"])
        self.ddb.delete_item(TableName=self.table, Key={"p": S("a")})
        self.assertEqual(self.ids("t = :t AND r = :r", t="x", r="us"), [])

    def test_a_wrongly_typed_key_attribute_refuses_the_write(self):
        self.assertError(VALIDATION, self.ddb.put_item, TableName=self.table,
                         Item={"p": S("a"), "t": S("x"), "r": S("eu"), "n": S("one")},
                         message="One or more parameter values were invalid: Type mismatch for Index Key n "
                                 "Expected: N Actual: S IndexName: gsi")
        self.assertError(VALIDATION, self.ddb.put_item, TableName=self.table,
                         Item={"p": S("a"), "t": S("x"), "r": S("")},
                         contains="cannot contain an empty string value. IndexName: gsi, IndexKey: r")
        self.assertNotIn("Item", self.ddb.get_item(TableName=self.table, Key={"p": S("a")}))

    def test_describe_table_counts_the_index(self):
        self.put("a", t="x", r="eu", n=1, b="a")
        self.put("b", t="x", r="eu")
        desc = self.ddb.describe_table(TableName=self.table)["Table"]
        counts = {g["IndexName"]: g["ItemCount"] for g in desc["GlobalSecondaryIndexes"]}
        self.assertEqual(counts, {"gsi": 1, "keys": 2})


class QueryTest(MultiKeyTestCase):

    def setUp(self):
        super().setUp()
        for p, t, r, n, b in [("1", "x", "eu", 2, "b"), ("2", "x", "eu", 2, "a"), ("3", "x", "eu", 10, "a"),
                              ("4", "x", "eu", 1, "c"), ("5", "x", "us", 2, "a"), ("6", "y", "eu", 2, "a")]:
            self.put(p, t=t, r=r, n=n, b=b)

    def test_every_partition_attribute_selects_one_partition_in_sort_order(self):
        # Ordered by n numerically, then by b.
        self.assertEqual(self.ids("t = :t AND r = :r", t="x", r="eu"), ["4", "2", "1", "3"])
        self.assertEqual(self.ids("r = :r AND t = :t", t="x", r="us"), ["5"])
        got = self.ddb.query(TableName=self.table, IndexName="gsi", KeyConditionExpression="t = :t AND r = :r",
                             ExpressionAttributeValues={":t": S("x"), ":r": S("eu")}, ScanIndexForward=False)
        self.assertEqual([i["p"]["S"] for i in got["Items"]], ["3", "1", "2", "4"])

    def test_a_leading_sort_attribute_with_equality_or_a_range(self):
        self.assertEqual(self.ids("t = :t AND r = :r AND n = :n", t="x", r="eu", n=2), ["2", "1"])
        self.assertEqual(self.ids("t = :t AND r = :r AND n > :n", t="x", r="eu", n=1), ["2", "1", "3"])
        self.assertEqual(self.ids("t = :t AND r = :r AND n BETWEEN :lo AND :hi", t="x", r="eu", lo=2, hi=9),
                         ["2", "1"])

    def test_the_last_sort_attribute_takes_the_range(self):
        self.assertEqual(self.ids("t = :t AND r = :r AND n = :n AND b = :b", t="x", r="eu", n=2, b="b"), ["1"])
        self.assertEqual(self.ids("t = :t AND r = :r AND n = :n AND b >= :b", t="x", r="eu", n=2, b="b"), ["1"])
        self.assertEqual(self.ids("t = :t AND r = :r AND n = :n AND b < :b", t="x", r="eu", n=2, b="b"), ["2"])
        self.assertEqual(self.ids("t = :t AND r = :r AND n = :n AND begins_with(b, :b)", t="x", r="eu", n=2, b="a"),
                         ["2"])
        got = self.ddb.query(TableName=self.table, IndexName="gsi", ScanIndexForward=False,
                             KeyConditionExpression="t = :t AND r = :r AND n = :n AND b <= :b",
                             ExpressionAttributeValues={":t": S("x"), ":r": S("eu"), ":n": N(2), ":b": S("z")})
        self.assertEqual([i["p"]["S"] for i in got["Items"]], ["1", "2"])

    # AWS's texts: the RANGE one as AWS answers it; of the HASH one only the start
    # is known ("HASH key attributes x must have equality conditions"), the rest
    # follows the RANGE text (store/expr_key.c).
    def hash_refusal(self, names):
        return "HASH key attributes %s must have equality conditions specified in the query" % names

    def range_refusal(self, names, present):
        return ("RANGE key attributes %s must have equality conditions specified in the query because a "
                "condition is present on key attribute %s" % (names, present))

    def test_a_missing_partition_attribute_is_refused(self):
        self.assertError(VALIDATION, self.query, "t = :t", t="x", message=self.hash_refusal("r"))
        self.assertError(VALIDATION, self.query, "r = :r AND n = :n", r="eu", n=2, message=self.hash_refusal("t"))

    def test_a_range_on_a_partition_attribute_is_refused(self):
        self.assertError(VALIDATION, self.query, "t = :t AND r > :r", t="x", r="eu", message=self.hash_refusal("r"))
        self.assertError(VALIDATION, self.query, "t = :t AND begins_with(r, :r)", t="x", r="eu",
                         message=self.hash_refusal("r"))
        self.assertError(VALIDATION, self.query, "t BETWEEN :lo AND :hi AND r = :r", lo="a", hi="z", r="eu",
                         message=self.hash_refusal("t"))

    def test_skipping_a_sort_attribute_is_refused(self):
        self.assertError(VALIDATION, self.query, "t = :t AND r = :r AND b = :b", t="x", r="eu", b="a",
                         message=self.range_refusal("n", "b"))
        self.assertError(VALIDATION, self.query, "t = :t AND r = :r AND begins_with(b, :b)", t="x", r="eu", b="a",
                         message=self.range_refusal("n", "b"))

    def test_a_condition_after_a_range_is_refused(self):
        self.assertError(VALIDATION, self.query, "t = :t AND r = :r AND n > :n AND b = :b", t="x", r="eu", n=1,
                         b="a", message=self.range_refusal("n", "b"))
        self.assertError(VALIDATION, self.query, "b = :b AND t = :t AND n BETWEEN :lo AND :hi AND r = :r", t="x",
                         r="eu", lo=1, hi=3, b="a", message=self.range_refusal("n", "b"))

    def test_legacy_key_conditions_are_refused_alike(self):
        def conditions(**ops):
            return {k: {"ComparisonOperator": op, "AttributeValueList": [N(2) if k == "n" else S("a")]}
                    for k, op in ops.items()}
        self.assertError(VALIDATION, self.ddb.query, TableName=self.table, IndexName="gsi",
                         KeyConditions=conditions(t="EQ", r="GT"), message=self.hash_refusal("r"))
        self.assertError(VALIDATION, self.ddb.query, TableName=self.table, IndexName="gsi",
                         KeyConditions=conditions(t="EQ", r="EQ", b="GE"), message=self.range_refusal("n", "b"))

    def test_several_lacking_attributes_are_named_together(self):
        hashes, ranges = ["h1", "h2", "h3", "h4"], ["r1", "r2", "r3", "r4"]
        table = create_table(self.ddb, hash_key=("p", "S"),
                             AttributeDefinitions=defs(("p", "S"), *[(n, "S") for n in hashes + ranges]),
                             GlobalSecondaryIndexes=[gsi("wide", hashes, ranges)])

        def query(expr):
            return self.ddb.query(TableName=table, IndexName="wide", KeyConditionExpression=expr,
                                  ExpressionAttributeValues={":v": S("v")})
        self.assertError(VALIDATION, query, "h1 = :v AND h3 = :v", message=self.hash_refusal("h2, h4"))
        every_hash = " AND ".join("%s = :v" % h for h in hashes)
        self.assertEqual(query(every_hash + " AND r1 = :v AND r2 = :v AND r3 > :v")["Count"], 0)
        self.assertError(VALIDATION, query, every_hash + " AND r1 > :v AND r4 = :v",
                         message=self.range_refusal("r1, r2, r3", "r4"))

    def test_a_condition_on_another_attribute_is_refused(self):
        self.assertError(VALIDATION, self.query, "t = :t AND r = :r AND z = :z", t="x", r="eu", z="a",
                         message="Query condition missed key schema element: n")

    def test_the_cli_reports_the_refusal(self):
        proc = aws("query", "--table-name", self.table, "--index-name", "gsi", "--key-condition-expression",
                   "t = :t AND r = :r AND b = :b", "--expression-attribute-values",
                   json.dumps({":t": S("x"), ":r": S("eu"), ":b": S("a")}))
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("ValidationException", proc.stderr)
        self.assertIn(self.range_refusal("n", "b"), proc.stderr)

    def test_a_value_of_the_wrong_type_is_refused(self):
        self.assertError(VALIDATION, self.query, "t = :t AND r = :r AND n = :n", t="x", r="eu", n="two",
                         message="One or more parameter values were invalid: Condition parameter type does not "
                                 "match schema type")

    def test_legacy_key_conditions(self):
        got = self.ddb.query(TableName=self.table, IndexName="gsi", KeyConditions={
            "t": {"ComparisonOperator": "EQ", "AttributeValueList": [S("x")]},
            "r": {"ComparisonOperator": "EQ", "AttributeValueList": [S("eu")]},
            "n": {"ComparisonOperator": "GE", "AttributeValueList": [N(2)]}})
        self.assertEqual([i["p"]["S"] for i in got["Items"]], ["2", "1", "3"])

    def test_a_filter_on_any_key_attribute_is_refused(self):
        for attr in ["r", "b"]:
            self.assertError(VALIDATION, self.ddb.query, TableName=self.table, IndexName="gsi",
                             KeyConditionExpression="t = :t AND r = :r", FilterExpression="%s = :v" % attr,
                             ExpressionAttributeValues={":t": S("x"), ":r": S("eu"), ":v": S("a")},
                             message="Filter Expression can only contain non-primary key attributes: "
                                     "Primary key attribute: %s" % attr)

    def test_pages_carry_every_key_attribute_and_resume(self):
        seen, start, pages = [], None, 0
        while True:
            args = dict(TableName=self.table, IndexName="gsi", KeyConditionExpression="t = :t AND r = :r",
                        ExpressionAttributeValues={":t": S("x"), ":r": S("eu")}, Limit=1)
            if start:
                args["ExclusiveStartKey"] = start
            page = self.ddb.query(**args)
            seen += [i["p"]["S"] for i in page["Items"]]
            start = page.get("LastEvaluatedKey")
            pages += 1
            if start:
                self.assertEqual(sorted(start), ["b", "n", "p", "r", "t"])
            if not start or pages > 10:
                break
        self.assertEqual(seen, ["4", "2", "1", "3"])

    def test_a_start_key_without_every_index_key_attribute_is_refused(self):
        self.assertError(VALIDATION, self.ddb.query, TableName=self.table, IndexName="gsi",
                         KeyConditionExpression="t = :t AND r = :r",
                         ExpressionAttributeValues={":t": S("x"), ":r": S("eu")},
                         ExclusiveStartKey={"p": S("1"), "t": S("x"), "r": S("eu"), "n": N(2)},
                         message="The provided starting key is invalid")

    def test_keys_only_projection_and_unprojected_attributes(self):
        self.put("7", t="z", r="eu", extra="hidden")
        got = self.query("t = :t AND r = :r", index="keys", t="z", r="eu")
        self.assertEqual(got["Items"], [{"p": S("7"), "t": S("z"), "r": S("eu")}])
        self.assertError(VALIDATION, self.ddb.query, TableName=self.table, IndexName="keys",
                         KeyConditionExpression="t = :t AND r = :r", ProjectionExpression="extra",
                         ExpressionAttributeValues={":t": S("z"), ":r": S("eu")},
                         message="One or more parameter values were invalid: Global secondary index keys does not "
                                 "project attribute extra")

    def test_count_and_consumed_capacity(self):
        got = self.ddb.query(TableName=self.table, IndexName="gsi", Select="COUNT", ReturnConsumedCapacity="INDEXES",
                             KeyConditionExpression="t = :t AND r = :r",
                             ExpressionAttributeValues={":t": S("x"), ":r": S("eu")})
        self.assertEqual((got["Count"], got["ScannedCount"]), (4, 4))
        self.assertIn("gsi", got["ConsumedCapacity"]["GlobalSecondaryIndexes"])


class StateTest(MultiKeyTestCase):
    """The control API: a dump keeps the multi-attribute key schema, loading it
    rebuilds the index, snapshots keep and restore it."""

    def test_dump_then_load_under_another_name_rebuilds_the_index(self):
        self.put("1", t="x", r="eu", n=1, b="a")
        dump = json.loads(raw_request(method="GET", path="/_dynemu/fixtures").body)
        entry = next(t for t in dump["tables"] if t["TableName"] == self.table)
        self.assertEqual(entry["GlobalSecondaryIndexes"][0]["KeySchema"], keys(["t", "r"], ["n", "b"]))
        copy = table_name("mk-copy")
        entry["TableName"] = copy
        doc = {"tables": [entry], "items": {copy: dump["items"][self.table]}}
        answer = raw_request(method="POST", path="/_dynemu/fixtures", body=doc)
        self.assertEqual(answer.status, 200, answer.body)
        got = self.ddb.query(TableName=copy, IndexName="gsi", KeyConditionExpression="t = :t AND r = :r AND n = :n",
                             ExpressionAttributeValues={":t": S("x"), ":r": S("eu"), ":n": N(1)})
        self.assertEqual([i["p"]["S"] for i in got["Items"]], ["1"])

    def test_a_snapshot_restores_the_index(self):
        self.put("1", t="x", r="eu", n=1, b="a")
        snap = "mk-" + self.table
        self.assertEqual(raw_request(method="POST", path="/_dynemu/snapshots/" + snap).status, 200)
        self.put("2", t="x", r="eu", n=2, b="a")
        self.assertEqual(self.ids("t = :t AND r = :r", t="x", r="eu"), ["1", "2"])
        self.assertEqual(raw_request(method="POST", path="/_dynemu/snapshots/%s/restore" % snap).status, 200)
        self.assertEqual(self.ids("t = :t AND r = :r", t="x", r="eu"), ["1"])
