"""FilterExpression on Query and Scan: applied after the page is read (Count
against ScannedCount, Limit counting items read, LastEvaluatedKey), Select
COUNT and SPECIFIC_ATTRIBUTES with projections, refusals, and
boto3.dynamodb.conditions (Key, Attr) through the resource API."""

from decimal import Decimal

import boto3
from boto3.dynamodb.conditions import Attr, Key
from botocore.config import Config

from helpers import ACCESS_KEY, ENDPOINT, REGION, SECRET_KEY, VALIDATION, WireTestCase, create_table, n, s




def sort_keys(resp):
    return [int(i["sk"]["N"]) for i in resp.get("Items", [])]


class FilterTestCase(WireTestCase):
    """Partition "p" holds sk 1..10 (x = sk, parity, a nested m.v); partition
    "q" holds three more items."""

    def setUp(self):
        super().setUp()
        self.table = create_table(self.ddb, hash_key=("pk", "S"), range_key=("sk", "N"))
        for i in range(1, 11):
            self.ddb.put_item(TableName=self.table, Item={
                "pk": s("p"), "sk": n(i), "x": n(i), "parity": s("even" if i % 2 == 0 else "odd"),
                "m": {"M": {"v": n(i * 10)}}, "tags": {"SS": ["t%d" % i, "all"]}})
        for i in range(1, 4):
            self.ddb.put_item(TableName=self.table, Item={"pk": s("q"), "sk": n(i), "x": n(100 + i)})

    def query(self, filter_expr=None, values=None, **kwargs):
        args = dict(TableName=self.table, KeyConditionExpression="pk = :p", **kwargs)
        vals = {":p": s("p")}
        vals.update(values or {})
        args["ExpressionAttributeValues"] = vals
        if filter_expr is not None:
            args["FilterExpression"] = filter_expr
        return self.ddb.query(**args)

    def scan(self, filter_expr=None, values=None, **kwargs):
        args = dict(TableName=self.table, **kwargs)
        if values:
            args["ExpressionAttributeValues"] = values
        if filter_expr is not None:
            args["FilterExpression"] = filter_expr
        return self.ddb.scan(**args)


class QueryFilterTest(FilterTestCase):

    def test_count_and_scanned_count(self):
        resp = self.query("x > :five", {":five": n(5)})
        self.assertEqual(sort_keys(resp), [6, 7, 8, 9, 10])
        self.assertEqual(resp["Count"], 5)
        self.assertEqual(resp["ScannedCount"], 10)
        self.assertNotIn("LastEvaluatedKey", resp)

    def test_limit_counts_items_read_not_items_matched(self):
        resp = self.query("parity = :e", {":e": s("even")}, Limit=4)
        self.assertEqual(sort_keys(resp), [2, 4])
        self.assertEqual(resp["Count"], 2)
        self.assertEqual(resp["ScannedCount"], 4)
        self.assertEqual(resp["LastEvaluatedKey"], {"pk": s("p"), "sk": n(4)})

        resp = self.query("parity = :e", {":e": s("even")}, Limit=4, ExclusiveStartKey=resp["LastEvaluatedKey"])
        self.assertEqual(sort_keys(resp), [6, 8])
        self.assertEqual(resp["ScannedCount"], 4)
        self.assertEqual(resp["LastEvaluatedKey"], {"pk": s("p"), "sk": n(8)})

        resp = self.query("parity = :e", {":e": s("even")}, Limit=4, ExclusiveStartKey=resp["LastEvaluatedKey"])
        self.assertEqual(sort_keys(resp), [10])
        self.assertEqual(resp["Count"], 1)
        self.assertEqual(resp["ScannedCount"], 2)
        self.assertNotIn("LastEvaluatedKey", resp)

    def test_a_page_with_no_match_still_has_a_last_evaluated_key(self):
        resp = self.query("x > :eight", {":eight": n(8)}, Limit=3)
        self.assertEqual(resp["Items"], [])
        self.assertEqual(resp["Count"], 0)
        self.assertEqual(resp["ScannedCount"], 3)
        self.assertEqual(resp["LastEvaluatedKey"], {"pk": s("p"), "sk": n(3)})

    def test_descending_with_limit_and_filter(self):
        resp = self.query("parity = :o", {":o": s("odd")}, Limit=3, ScanIndexForward=False)
        self.assertEqual(sort_keys(resp), [9])
        self.assertEqual(resp["ScannedCount"], 3)
        self.assertEqual(resp["LastEvaluatedKey"], {"pk": s("p"), "sk": n(8)})

    def test_filter_with_sort_key_condition(self):
        resp = self.ddb.query(TableName=self.table, KeyConditionExpression="pk = :p AND sk BETWEEN :lo AND :hi",
                              FilterExpression="parity = :o",
                              ExpressionAttributeValues={":p": s("p"), ":lo": n(3), ":hi": n(7), ":o": s("odd")})
        self.assertEqual(sort_keys(resp), [3, 5, 7])
        self.assertEqual(resp["ScannedCount"], 5)

    def test_functions_and_nested_paths(self):
        cases = [
            ("m.v >= :v", {":v": n(80)}, [8, 9, 10]),
            ("contains(tags, :t)", {":t": s("t3")}, [3]),
            ("begins_with(parity, :b) AND x < :v", {":b": s("ev"), ":v": n(5)}, [2, 4]),
            ("attribute_not_exists(nothing) AND x IN (:a, :b)", {":a": n(1), ":b": n(10)}, [1, 10]),
            ("size(parity) = :four", {":four": n(4)}, [2, 4, 6, 8, 10]),
            ("attribute_type(m, :t) AND NOT (x BETWEEN :lo AND :hi)",
             {":t": s("M"), ":lo": n(2), ":hi": n(9)}, [1, 10]),
            ("x = :none", {":none": n(42)}, []),
        ]
        for expr, values, expected in cases:
            with self.subTest(filter=expr):
                resp = self.query(expr, values)
                self.assertEqual(sort_keys(resp), expected)
                self.assertEqual(resp["Count"], len(expected))
                self.assertEqual(resp["ScannedCount"], 10)

    def test_filter_with_names(self):
        resp = self.query("#p = :e AND #m.#v > :v", {":e": s("odd"), ":v": n(50)},
                          ExpressionAttributeNames={"#p": "parity", "#m": "m", "#v": "v"})
        self.assertEqual(sort_keys(resp), [7, 9])

    def test_filter_on_a_key_attribute_is_refused(self):
        for attr in ("sk", "pk"):
            with self.subTest(attr=attr):
                self.assertError(VALIDATION, self.query, "#k > :v", {":v": n(1) if attr == "sk" else s("a")},
                                 ExpressionAttributeNames={"#k": attr},
                                 message="Filter Expression can only contain non-primary key attributes: "
                                         "Primary key attribute: %s" % attr)

    def test_filter_refusals(self):
        self.assertError(VALIDATION, self.query, "x > :nope", {":v": n(1)},
                         message="Invalid FilterExpression: An expression attribute value used in expression is not "
                                 "defined; attribute value: :nope")
        self.assertError(VALIDATION, self.query, "x > :v", {":v": n(1), ":extra": n(2)},
                         message="Value provided in ExpressionAttributeValues unused in expressions: keys: {:extra}")
        self.assertError(VALIDATION, self.query, "x >", {},
                         contains="Invalid FilterExpression: Syntax error; token: ")
        self.assertError(VALIDATION, self.query, "size(x)", {},
                         message="Invalid FilterExpression: The function is not allowed to be used this way in an "
                                 "expression; function: size")
        self.assertError(VALIDATION, self.query, "", {},
                         message="Invalid FilterExpression: The expression can not be empty;")
        self.assertError(VALIDATION, self.query, "name = :v", {":v": n(1)},
                         message="Invalid FilterExpression: Attribute name is a reserved keyword; "
                                 "reserved keyword: name")


class ScanFilterTest(FilterTestCase):

    def test_count_and_scanned_count(self):
        resp = self.scan("x >= :v", {":v": n(9)}, ConsistentRead=True)
        self.assertEqual(sorted(int(i["x"]["N"]) for i in resp["Items"]), [9, 10, 101, 102, 103])
        self.assertEqual(resp["Count"], 5)
        self.assertEqual(resp["ScannedCount"], 13)
        self.assertNotIn("LastEvaluatedKey", resp)

    def test_scan_may_filter_on_key_attributes(self):
        resp = self.scan("pk = :q AND sk > :one", {":q": s("q"), ":one": n(1)})
        self.assertEqual(sorted(sort_keys(resp)), [2, 3])
        self.assertEqual(resp["ScannedCount"], 13)

    def test_limit_counts_items_read(self):
        total, scanned, pages, start = [], 0, 0, None
        while True:
            args = {"Limit": 5}
            if start:
                args["ExclusiveStartKey"] = start
            resp = self.scan("parity = :o", {":o": s("odd")}, **args)
            pages += 1
            self.assertLessEqual(resp["ScannedCount"], 5)
            self.assertEqual(resp["Count"], len(resp["Items"]))
            if resp["ScannedCount"] == 5 and pages < 3:
                self.assertIn("LastEvaluatedKey", resp)
            total.extend(int(i["x"]["N"]) for i in resp["Items"])
            scanned += resp["ScannedCount"]
            start = resp.get("LastEvaluatedKey")
            if not start:
                break
            self.assertLess(pages, 10)
        self.assertEqual(sorted(total), [1, 3, 5, 7, 9])
        self.assertEqual(scanned, 13)
        self.assertEqual(pages, 3)

    def test_select_count(self):
        resp = self.scan("attribute_exists(parity)", Select="COUNT")
        self.assertNotIn("Items", resp)
        self.assertEqual(resp["Count"], 10)
        self.assertEqual(resp["ScannedCount"], 13)

    def test_projection_with_filter_on_an_unprojected_attribute(self):
        resp = self.scan("parity = :e AND x < :v", {":e": s("even"), ":v": n(5)},
                         ProjectionExpression="m.v, tags", Select="SPECIFIC_ATTRIBUTES")
        got = sorted(resp["Items"], key=lambda i: int(i["m"]["M"]["v"]["N"]))
        self.assertEqual([set(i) for i in got], [{"m", "tags"}, {"m", "tags"}])
        self.assertEqual(got[0]["m"], {"M": {"v": n(20)}})
        self.assertEqual(sorted(got[1]["tags"]["SS"]), ["all", "t4"])

    def test_scan_filter_refusals(self):
        self.assertError(VALIDATION, self.scan, "x > :v", None,
                         message="Invalid FilterExpression: An expression attribute value used in expression is not "
                                 "defined; attribute value: :v")
        self.assertError(VALIDATION, self.scan, "attribute_exists(x)" + " " * 4078, None,
                         message="Invalid FilterExpression: Expression size has exceeded the maximum allowed size; "
                                 "expression size: 4097")


class SelectTest(FilterTestCase):

    def test_select_count_with_a_filter(self):
        resp = self.query("x > :v", {":v": n(7)}, Select="COUNT")
        self.assertNotIn("Items", resp)
        self.assertEqual(resp["Count"], 3)
        self.assertEqual(resp["ScannedCount"], 10)

    def test_select_count_with_limit(self):
        resp = self.query("x > :v", {":v": n(2)}, Select="COUNT", Limit=4)
        self.assertNotIn("Items", resp)
        self.assertEqual(resp["Count"], 2)
        self.assertEqual(resp["ScannedCount"], 4)
        self.assertEqual(resp["LastEvaluatedKey"], {"pk": s("p"), "sk": n(4)})

    def test_specific_attributes_with_a_projection(self):
        resp = self.query("x <= :v", {":v": n(2)}, Select="SPECIFIC_ATTRIBUTES",
                          ProjectionExpression="sk, #m.v", ExpressionAttributeNames={"#m": "m"})
        self.assertEqual(resp["Items"], [{"sk": n(1), "m": {"M": {"v": n(10)}}},
                                         {"sk": n(2), "m": {"M": {"v": n(20)}}}])
        self.assertEqual(resp["ScannedCount"], 10)

    def test_projection_alone_means_specific_attributes(self):
        resp = self.query("x = :v", {":v": n(3)}, ProjectionExpression="parity")
        self.assertEqual(resp["Items"], [{"parity": s("odd")}])

    def test_all_attributes(self):
        resp = self.query("x = :v", {":v": n(3)}, Select="ALL_ATTRIBUTES")
        self.assertEqual(set(resp["Items"][0]), {"pk", "sk", "x", "parity", "m", "tags"})

    def test_select_conflicts_are_refused(self):
        self.assertError(VALIDATION, self.query, None, None, Select="COUNT", ProjectionExpression="x",
                         contains="Cannot specify the ProjectionExpression when choosing to get only the Count")
        self.assertError(VALIDATION, self.query, None, None, Select="ALL_ATTRIBUTES", ProjectionExpression="x",
                         contains="Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES")
        self.assertError(VALIDATION, self.scan, None, None, Select="COUNT", ProjectionExpression="x",
                         contains="Cannot specify the ProjectionExpression when choosing to get only the Count")


class ResourceConditionsTest(WireTestCase):
    """boto3.dynamodb.conditions through boto3.resource('dynamodb').Table(...)."""

    def setUp(self):
        super().setUp()
        name = create_table(self.ddb, hash_key=("pk", "S"), range_key=("sk", "S"))
        resource = boto3.resource("dynamodb", endpoint_url=ENDPOINT, region_name=REGION,
                                  aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
                                  config=Config(retries={"max_attempts": 1}))
        self.table = resource.Table(name)
        with self.table.batch_writer() as batch:
            for i in range(1, 6):
                batch.put_item(Item={"pk": "user#1", "sk": "order#%03d" % i, "amount": Decimal(i),
                                     "status": "open" if i % 2 else "closed", "tags": {"t%d" % i, "all"},
                                     "detail": {"weight": Decimal("%d.5" % i), "name": "item %d" % i}})
            batch.put_item(Item={"pk": "user#1", "sk": "profile", "name": "Ada"})
            batch.put_item(Item={"pk": "user#2", "sk": "order#001", "amount": Decimal(99)})

    def orders(self, resp):
        return [i["sk"] for i in resp["Items"]]

    def test_query_with_key_and_attr(self):
        resp = self.table.query(KeyConditionExpression=Key("pk").eq("user#1") & Key("sk").begins_with("order#"),
                                FilterExpression=Attr("amount").gt(2))
        self.assertEqual(self.orders(resp), ["order#003", "order#004", "order#005"])
        self.assertEqual(resp["Count"], 3)
        self.assertEqual(resp["ScannedCount"], 5)
        self.assertEqual(resp["Items"][0]["amount"], Decimal(3))
        self.assertEqual(resp["Items"][0]["tags"], {"t3", "all"})

    def test_key_conditions(self):
        cases = [
            (Key("pk").eq("user#1"), 6),
            (Key("pk").eq("user#1") & Key("sk").between("order#002", "order#004"), 3),
            (Key("pk").eq("user#1") & Key("sk").gt("order#004"), 2),
            (Key("pk").eq("user#1") & Key("sk").gte("order#004"), 3),
            (Key("pk").eq("user#1") & Key("sk").lt("order#002"), 1),
            (Key("pk").eq("user#1") & Key("sk").lte("order#002"), 2),
            (Key("pk").eq("user#1") & Key("sk").eq("profile"), 1),
            (Key("pk").eq("user#2"), 1),
        ]
        for condition, count in cases:
            with self.subTest(condition=condition.get_expression()):
                self.assertEqual(self.table.query(KeyConditionExpression=condition)["Count"], count)

    def test_attr_conditions(self):
        key = Key("pk").eq("user#1") & Key("sk").begins_with("order#")
        cases = [
            (Attr("status").eq("open"), ["order#001", "order#003", "order#005"]),
            (Attr("status").ne("open"), ["order#002", "order#004"]),
            (Attr("amount").lt(2) | Attr("amount").gte(5), ["order#001", "order#005"]),
            (Attr("amount").lte(2) & Attr("status").eq("closed"), ["order#002"]),
            (~Attr("status").eq("open"), ["order#002", "order#004"]),
            (Attr("amount").between(2, 3), ["order#002", "order#003"]),
            (Attr("amount").is_in([1, 4, 7]), ["order#001", "order#004"]),
            (Attr("tags").contains("t2"), ["order#002"]),
            (Attr("detail.name").begins_with("item 4"), ["order#004"]),
            (Attr("detail.weight").gt(Decimal("3.4")), ["order#003", "order#004", "order#005"]),
            (Attr("status").size().eq(6), ["order#002", "order#004"]),
            (Attr("tags").attribute_type("SS") & Attr("amount").exists(), ["order#001", "order#002", "order#003",
                                                                          "order#004", "order#005"]),
            (Attr("name").not_exists(), ["order#001", "order#002", "order#003", "order#004", "order#005"]),
        ]
        for condition, expected in cases:
            with self.subTest(condition=condition.get_expression()):
                resp = self.table.query(KeyConditionExpression=key, FilterExpression=condition)
                self.assertEqual(self.orders(resp), expected)
                self.assertEqual(resp["ScannedCount"], 5)

    def test_scan_with_attr(self):
        resp = self.table.scan(FilterExpression=Attr("amount").gte(5) | Attr("name").exists())
        self.assertEqual(sorted((i["pk"], i["sk"]) for i in resp["Items"]),
                         [("user#1", "order#005"), ("user#1", "profile"), ("user#2", "order#001")])
        self.assertEqual(resp["ScannedCount"], 7)

    def test_query_with_limit_and_projection(self):
        resp = self.table.query(KeyConditionExpression=Key("pk").eq("user#1"), FilterExpression=Attr("amount").gt(1),
                                ProjectionExpression="sk, amount", Limit=3)
        self.assertEqual(resp["Items"], [{"sk": "order#002", "amount": Decimal(2)},
                                         {"sk": "order#003", "amount": Decimal(3)}])
        self.assertEqual(resp["ScannedCount"], 3)
        self.assertEqual(resp["LastEvaluatedKey"], {"pk": "user#1", "sk": "order#003"})

    def test_conditional_writes_through_the_resource(self):
        self.table.update_item(Key={"pk": "user#1", "sk": "order#001"}, UpdateExpression="SET amount = amount + :d",
                               ConditionExpression=Attr("status").eq("open"),
                               ExpressionAttributeValues={":d": Decimal("0.5")})
        got = self.table.get_item(Key={"pk": "user#1", "sk": "order#001"})["Item"]
        self.assertEqual(got["amount"], Decimal("1.5"))
        with self.assertRaises(self.table.meta.client.exceptions.ConditionalCheckFailedException):
            self.table.delete_item(Key={"pk": "user#1", "sk": "order#002"}, ConditionExpression=Attr("status").eq("open"))
        self.assertIn("Item", self.table.get_item(Key={"pk": "user#1", "sk": "order#002"}))
