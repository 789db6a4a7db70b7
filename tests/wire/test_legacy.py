"""The legacy parameters older clients and ORMs still send: AttributeUpdates,
Expected with ConditionalOperator, KeyConditions, QueryFilter, ScanFilter and
AttributesToGet; and the refusal of mixing them with expressions."""


from helpers import (VALIDATION, OneItemTestCase, WireTestCase, create_table, n, normalise_sets, raw_request, s,
                     snapshot)

CONDITION_FAILED = "ConditionalCheckFailedException"
FAILED_MESSAGE = "The conditional request failed"
MIXED = "Can not use both expression and non-expression parameters in the same request: "
INVALID = "One or more parameter values were invalid: "
NAME_LENGTH = INVALID + "Attribute name must be 1 to 65535 bytes long"





ITEM = {
    "pk": s("doc"),
    "num": n(5),
    "str": s("hello"),
    "ss": {"SS": ["a", "b"]},
    "ns": {"NS": ["1", "2"]},
    "lst": {"L": [s("x"), n(1)]},
}
KEY = {"pk": s("doc")}


class LegacyTestCase(OneItemTestCase):
    ITEM, KEY = ITEM, KEY

    def item(self):
        return normalise_sets(self.ddb.get_item(TableName=self.table, Key=KEY, ConsistentRead=True)["Item"])

    def updates(self, updates, **kwargs):
        return self.ddb.update_item(TableName=self.table, Key=kwargs.pop("key", KEY), AttributeUpdates=updates,
                                    **kwargs)

    def refused(self, call, message=None, contains=None, code=VALIDATION, **kwargs):
        self.assertError(code, call, TableName=self.table, message=message, contains=contains, **kwargs)
        self.assertUnchanged()


class AttributeUpdatesTest(LegacyTestCase):

    def test_put_and_the_default_action(self):
        self.updates({"str": {"Action": "PUT", "Value": s("new")}, "extra": {"Value": {"BOOL": True}}})
        got = self.item()
        self.assertEqual(got["str"], s("new"))
        self.assertEqual(got["extra"], {"BOOL": True})
        self.assertEqual(got["num"], n(5))

    def test_add_numbers(self):
        self.updates({"num": {"Action": "ADD", "Value": n("0.1")}, "fresh": {"Action": "ADD", "Value": n("-2")}})
        got = self.item()
        self.assertEqual(got["num"], n("5.1"))
        self.assertEqual(got["fresh"], n("-2"))

    def test_add_sets(self):
        self.updates({"ss": {"Action": "ADD", "Value": {"SS": ["b", "c"]}},
                      "newns": {"Action": "ADD", "Value": {"NS": ["7"]}}})
        got = self.item()
        self.assertEqual(got["ss"], {"SS": ["a", "b", "c"]})
        self.assertEqual(got["newns"], {"NS": ["7"]})

    def test_add_lists_appends(self):
        before = self.item()["lst"]["L"]
        self.updates({"lst": {"Action": "ADD", "Value": {"L": [s("y")]}}, "num": {"Action": "ADD", "Value": n(1)},
                      "fresh": {"Action": "ADD", "Value": {"L": [s("z")]}}})
        got = self.item()
        self.assertEqual(got["lst"], {"L": before + [s("y")]})
        self.assertEqual(got["fresh"], {"L": [s("z")]})  # a missing list is created
        self.assertEqual(got["num"], n(6))

    def test_delete_without_a_value_removes_the_attribute(self):
        self.updates({"str": {"Action": "DELETE"}, "nothing": {"Action": "DELETE"}})
        got = self.item()
        self.assertNotIn("str", got)
        self.assertNotIn("nothing", got)

    def test_delete_with_a_value_removes_set_elements(self):
        self.updates({"ss": {"Action": "DELETE", "Value": {"SS": ["a", "zz"]}},
                      "ns": {"Action": "DELETE", "Value": {"NS": ["1", "2"]}}})
        got = self.item()
        self.assertEqual(got["ss"], {"SS": ["b"]})
        self.assertNotIn("ns", got)  # emptied, so gone

    def test_update_of_a_missing_item_creates_it(self):
        key = {"pk": s("new")}
        resp = self.updates({"cnt": {"Action": "ADD", "Value": n(1)}, "str": {"Action": "DELETE"}},
                            key=key, ReturnValues="ALL_NEW")
        self.assertEqual(resp["Attributes"], {"pk": s("new"), "cnt": n(1)})
        self.assertItem(self.table, key, {"pk": s("new"), "cnt": n(1)})

    def test_return_values(self):
        resp = self.updates({"num": {"Action": "ADD", "Value": n(1)}, "str": {"Action": "DELETE"},
                             "added": {"Value": s("A")}}, ReturnValues="UPDATED_OLD")
        self.assertEqual(resp["Attributes"], {"num": n(5), "str": s("hello")})
        resp = self.updates({"num": {"Action": "ADD", "Value": n(1)}, "added": {"Value": s("B")}},
                            ReturnValues="UPDATED_NEW")
        self.assertEqual(resp["Attributes"], {"num": n(7), "added": s("B")})

    def test_a_list_with_no_action_is_put_not_appended(self):
        # Without an Action the default is PUT, so the list replaces the old one.
        self.updates({"lst": {"Value": {"L": [s("only")]}}})
        self.assertEqual(self.item()["lst"], {"L": [s("only")]})

    def test_a_list_with_a_null_action_is_put(self):
        resp = raw_request("UpdateItem", {"TableName": self.table, "Key": KEY,
                                          "AttributeUpdates": {"lst": {"Action": None, "Value": {"L": []}}}})
        self.assertEqual(resp.status, 200, resp.body)
        self.assertEqual(self.item()["lst"], {"L": []})

    def test_with_expected(self):
        self.updates({"num": {"Action": "ADD", "Value": n(1)}}, Expected={"num": {"Value": n(5)}})
        self.assertEqual(self.item()["num"], n(6))
        self.before = snapshot(self.ddb, self.table)
        self.refused(self.ddb.update_item, code=CONDITION_FAILED, message=FAILED_MESSAGE, Key=KEY,
                     AttributeUpdates={"num": {"Action": "ADD", "Value": n(1)}}, Expected={"num": {"Value": n(5)}})

    def test_refusals(self):
        cases = [
            ({"str": {"Action": "PUT"}},
             INVALID + "Only DELETE action is allowed when no attribute value is specified"),
            ({"str": {"Action": "ADD"}},
             INVALID + "Only DELETE action is allowed when no attribute value is specified"),
            ({"str": {"Action": "DELETE", "Value": s("hello")}},
             INVALID + "DELETE action with value is not supported for the type S"),
            ({"num": {"Action": "DELETE", "Value": n(5)}},
             INVALID + "DELETE action with value is not supported for the type N"),
            ({"str": {"Action": "ADD", "Value": s("x")}},
             INVALID + "ADD action is not supported for the type S"),
            ({"pk": {"Action": "PUT", "Value": s("other")}},
             INVALID + "Cannot update attribute pk. This attribute is part of the key"),
        ]
        for updates, message in cases:
            with self.subTest(updates=updates):
                self.refused(self.ddb.update_item, message=message, Key=KEY, AttributeUpdates=updates)

    def test_attribute_names_of_1_to_65535_bytes(self):
        longest = "n" * 65535
        self.updates({longest: {"Value": s("v")}})
        self.assertEqual(self.item()[longest], s("v"))
        self.before = snapshot(self.ddb, self.table)
        for name in ("", "n" * 65536):
            with self.subTest(length=len(name)):
                resp = raw_request("UpdateItem", {"TableName": self.table, "Key": KEY,
                                                  "AttributeUpdates": {name: {"Value": s("x")}}})
                self.assertEqual(resp.status, 400)
                self.assertEqual(resp.json()["message"], NAME_LENGTH)
                self.assertUnchanged()

    def test_type_mismatch_at_run_time(self):
        self.refused(self.ddb.update_item, contains="Type mismatch", Key=KEY,
                     AttributeUpdates={"str": {"Action": "ADD", "Value": n(1)}})
        self.refused(self.ddb.update_item, contains="Type mismatch", Key=KEY,
                     AttributeUpdates={"ss": {"Action": "ADD", "Value": {"NS": ["1"]}}})

    def test_mixing_with_update_expression(self):
        self.refused(self.ddb.update_item, Key=KEY, AttributeUpdates={"str": {"Action": "DELETE"}},
                     UpdateExpression="REMOVE num",
                     message=MIXED + "Non-expression parameters: {AttributeUpdates} "
                                     "Expression parameters: {UpdateExpression}")


class ExpectedTest(LegacyTestCase):

    def holds(self, expected, operator=None):
        """Whether Expected holds on ITEM, by a conditional legacy UpdateItem."""
        args = dict(TableName=self.table, Key=KEY, Expected=expected,
                    AttributeUpdates={"probe": {"Action": "PUT", "Value": s("hit")}})
        if operator:
            args["ConditionalOperator"] = operator
        try:
            self.ddb.update_item(**args)
        except self.ddb.exceptions.ConditionalCheckFailedException as e:
            self.assertEqual(e.response["Error"]["Message"], FAILED_MESSAGE)
            self.assertUnchanged()
            return False
        self.assertEqual(self.item()["probe"], s("hit"))
        self.ddb.put_item(TableName=self.table, Item=ITEM)
        return True

    def check(self, cases):
        for expected, truth in cases:
            with self.subTest(expected=expected):
                self.assertEqual(self.holds(expected), truth)

    def test_many_conditions_are_not_held_to_the_expression_size_limit(self):
        # 300 clauses rewrite to more than 4 KB of expression; the legacy form has no such limit.
        self.assertTrue(self.holds({"absent%03d" % i: {"Exists": False} for i in range(300)}))
        self.assertFalse(self.holds(dict({"absent%03d" % i: {"Exists": False} for i in range(300)},
                                         num={"Exists": False})))

    def test_value_and_exists(self):
        self.check([
            ({"num": {"Value": n(5)}}, True),
            ({"num": {"Value": n("5.0")}}, True),
            ({"num": {"Value": n(6)}}, False),
            ({"num": {"Value": s("5")}}, False),
            ({"num": {"Exists": True, "Value": n(5)}}, True),
            ({"num": {"Exists": True, "Value": n(4)}}, False),
            ({"nothing": {"Exists": False}}, True),
            ({"num": {"Exists": False}}, False),
            ({"nothing": {"Value": n(5)}}, False),
            ({"ss": {"Value": {"SS": ["b", "a"]}}}, True),
        ])

    def test_comparison_operators(self):
        def cond(op, *values):
            c = {"ComparisonOperator": op}
            if values:
                c["AttributeValueList"] = list(values)
            return c
        self.check([
            ({"num": cond("EQ", n(5))}, True),
            ({"num": cond("EQ", n(4))}, False),
            ({"num": cond("NE", n(4))}, True),
            ({"num": cond("NE", n(5))}, False),
            ({"num": cond("LT", n(10))}, True),
            ({"num": cond("LT", n(5))}, False),
            ({"num": cond("LE", n(5))}, True),
            ({"num": cond("GT", n(4))}, True),
            ({"num": cond("GT", n(5))}, False),
            ({"num": cond("GE", n(5))}, True),
            ({"num": cond("GE", n(6))}, False),
            ({"str": cond("LT", s("help"))}, True),
            ({"num": cond("BETWEEN", n(1), n(5))}, True),
            ({"num": cond("BETWEEN", n(6), n(9))}, False),
            ({"num": cond("IN", n(1), n(5))}, True),
            ({"num": cond("IN", n(1), n(2))}, False),
            ({"str": cond("BEGINS_WITH", s("he"))}, True),
            ({"str": cond("BEGINS_WITH", s("lo"))}, False),
            ({"str": cond("CONTAINS", s("ll"))}, True),
            ({"ss": cond("CONTAINS", s("a"))}, True),
            ({"ns": cond("CONTAINS", n(3))}, False),
            ({"str": cond("NOT_CONTAINS", s("zz"))}, True),
            ({"ss": cond("NOT_CONTAINS", s("a"))}, False),
            ({"nothing": cond("NULL")}, True),
            ({"num": cond("NULL")}, False),
            ({"num": cond("NOT_NULL")}, True),
            ({"nothing": cond("NOT_NULL")}, False),
            ({"nothing": cond("GT", n(1))}, False),
        ])

    def test_conditional_operator(self):
        both = {"num": {"Value": n(5)}, "str": {"Value": s("nope")}}
        self.assertFalse(self.holds(both))
        self.assertFalse(self.holds(both, "AND"))
        self.assertTrue(self.holds(both, "OR"))
        neither = {"num": {"Value": n(6)}, "str": {"Value": s("nope")}}
        self.assertFalse(self.holds(neither, "OR"))
        self.assertTrue(self.holds({"num": {"Value": n(5)}, "str": {"Value": s("hello")}}, "AND"))

    def test_on_put_and_delete(self):
        self.refused(self.ddb.put_item, code=CONDITION_FAILED, message=FAILED_MESSAGE,
                     Item={"pk": s("doc")}, Expected={"pk": {"Exists": False}})
        self.ddb.put_item(TableName=self.table, Item={"pk": s("other")}, Expected={"pk": {"Exists": False}})
        self.assertItem(self.table, {"pk": s("other")}, {"pk": s("other")})
        self.before = snapshot(self.ddb, self.table)
        self.refused(self.ddb.delete_item, code=CONDITION_FAILED, message=FAILED_MESSAGE, Key=KEY,
                     Expected={"num": {"ComparisonOperator": "GT", "AttributeValueList": [n(5)]}})
        self.ddb.delete_item(TableName=self.table, Key=KEY,
                             Expected={"num": {"ComparisonOperator": "GE", "AttributeValueList": [n(5)]}})
        self.assertNoItem(self.table, KEY)

    def test_refusals(self):
        cases = [
            ({"num": {"Exists": True}}, INVALID + "Value must be provided when Exists is true for Attribute: num"),
            ({"num": {"Exists": False, "Value": n(5)}},
             INVALID + "Value cannot be used when Exists is false for Attribute: num"),
            ({"num": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [n(1)]}},
             INVALID + "Invalid number of argument(s) for the BETWEEN ComparisonOperator"),
            ({"num": {"ComparisonOperator": "NULL", "AttributeValueList": [n(1)]}},
             INVALID + "Invalid number of argument(s) for the NULL ComparisonOperator"),
            ({"num": {"ComparisonOperator": "EQ", "AttributeValueList": [n(1)], "Exists": True}},
             INVALID + "Exists and ComparisonOperator cannot be used together for Attribute: num"),
            ({"num": {"ComparisonOperator": "EQ"}},
             INVALID + "Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: num"),
            ({"num": {"AttributeValueList": [n(1)]}},
             INVALID + "AttributeValueList can only be used with a ComparisonOperator for Attribute: num"),
        ]
        for expected, message in cases:
            with self.subTest(expected=expected):
                self.refused(self.ddb.put_item, message=message, Item={"pk": s("doc")}, Expected=expected)

    def test_mixing_with_expressions(self):
        self.refused(self.ddb.put_item, Item={"pk": s("doc")}, Expected={"num": {"Value": n(5)}},
                     ConditionExpression="attribute_exists(num)",
                     message=MIXED + "Non-expression parameters: {Expected} Expression parameters: "
                                     "{ConditionExpression}")
        self.refused(self.ddb.delete_item, Key=KEY, Expected={"num": {"Value": n(5)}},
                     ConditionExpression="attribute_exists(num)",
                     message=MIXED + "Non-expression parameters: {Expected} Expression parameters: "
                                     "{ConditionExpression}")
        self.refused(self.ddb.update_item, Key=KEY, Expected={"num": {"Value": n(5)}},
                     UpdateExpression="REMOVE str",
                     message=MIXED + "Non-expression parameters: {Expected} Expression parameters: "
                                     "{UpdateExpression}")


class LegacyReadTest(WireTestCase):
    """Partition "p" holds sk 1..6 with x = sk and parity; partition "q" one item."""

    def setUp(self):
        super().setUp()
        self.table = create_table(self.ddb, hash_key=("pk", "S"), range_key=("sk", "N"))
        for i in range(1, 7):
            self.ddb.put_item(TableName=self.table, Item={
                "pk": s("p"), "sk": n(i), "x": n(i), "parity": s("even" if i % 2 == 0 else "odd"),
                "tags": {"SS": ["t%d" % i]}})
        self.ddb.put_item(TableName=self.table, Item={"pk": s("q"), "sk": n(1), "x": n(100)})

    def query(self, **kwargs):
        args = dict(TableName=self.table, **kwargs)
        args.setdefault("KeyConditions", {"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [s("p")]}})
        return self.ddb.query(**args)

    @staticmethod
    def sks(resp):
        return [int(i["sk"]["N"]) for i in resp.get("Items", [])]

    def test_key_conditions(self):
        pk = {"ComparisonOperator": "EQ", "AttributeValueList": [s("p")]}
        cases = [
            (None, [1, 2, 3, 4, 5, 6]),
            ({"ComparisonOperator": "BETWEEN", "AttributeValueList": [n(2), n(4)]}, [2, 3, 4]),
            ({"ComparisonOperator": "GT", "AttributeValueList": [n(4)]}, [5, 6]),
            ({"ComparisonOperator": "LE", "AttributeValueList": [n(2)]}, [1, 2]),
            ({"ComparisonOperator": "EQ", "AttributeValueList": [n(3)]}, [3]),
        ]
        for sk, expected in cases:
            with self.subTest(sk=sk):
                conditions = {"pk": pk}
                if sk:
                    conditions["sk"] = sk
                self.assertEqual(self.sks(self.query(KeyConditions=conditions)), expected)

    def test_query_filter(self):
        resp = self.query(QueryFilter={"parity": {"ComparisonOperator": "EQ", "AttributeValueList": [s("odd")]}})
        self.assertEqual(self.sks(resp), [1, 3, 5])
        self.assertEqual(resp["Count"], 3)
        self.assertEqual(resp["ScannedCount"], 6)

    def test_query_filter_with_conditional_operator_and_limit(self):
        qf = {"x": {"ComparisonOperator": "LT", "AttributeValueList": [n(2)]},
              "tags": {"ComparisonOperator": "CONTAINS", "AttributeValueList": [s("t3")]}}
        resp = self.query(QueryFilter=qf, ConditionalOperator="OR")
        self.assertEqual(self.sks(resp), [1, 3])
        resp = self.query(QueryFilter=qf, ConditionalOperator="AND")
        self.assertEqual(self.sks(resp), [])
        resp = self.query(QueryFilter=qf, ConditionalOperator="OR", Limit=2)
        self.assertEqual(self.sks(resp), [1])
        self.assertEqual(resp["ScannedCount"], 2)
        self.assertEqual(resp["LastEvaluatedKey"], {"pk": s("p"), "sk": n(2)})

    def test_attributes_to_get_and_select_count(self):
        resp = self.query(AttributesToGet=["x", "parity"],
                          QueryFilter={"x": {"ComparisonOperator": "GE", "AttributeValueList": [n(5)]}})
        self.assertEqual(resp["Items"], [{"x": n(5), "parity": s("odd")}, {"x": n(6), "parity": s("even")}])
        resp = self.query(Select="COUNT",
                          QueryFilter={"x": {"ComparisonOperator": "GE", "AttributeValueList": [n(5)]}})
        self.assertNotIn("Items", resp)
        self.assertEqual((resp["Count"], resp["ScannedCount"]), (2, 6))

    def test_scan_filter(self):
        cases = [
            ({"x": {"ComparisonOperator": "GT", "AttributeValueList": [n(4)]}}, None, [5, 6, 100]),
            ({"parity": {"ComparisonOperator": "NULL"}}, None, [100]),
            ({"parity": {"ComparisonOperator": "NOT_NULL"},
              "x": {"ComparisonOperator": "IN", "AttributeValueList": [n(2), n(100), n(4)]}}, "AND", [2, 4]),
            ({"parity": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [s("ev")]},
              "x": {"ComparisonOperator": "EQ", "AttributeValueList": [n(1)]}}, "OR", [1, 2, 4, 6]),
            ({"tags": {"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [s("t1")]},
              "parity": {"ComparisonOperator": "NE", "AttributeValueList": [s("even")]},
              "x": {"ComparisonOperator": "LT", "AttributeValueList": [n(100)]}}, "AND", [3, 5]),
        ]
        for scan_filter, operator, expected in cases:
            with self.subTest(scan_filter=scan_filter, operator=operator):
                args = dict(TableName=self.table, ScanFilter=scan_filter)
                if operator:
                    args["ConditionalOperator"] = operator
                resp = self.ddb.scan(**args)
                self.assertEqual(sorted(int(i["x"]["N"]) for i in resp["Items"]), expected)
                self.assertEqual(resp["ScannedCount"], 7)

    def test_query_filter_on_a_key_attribute_is_refused(self):
        self.assertError(VALIDATION, self.query,
                         QueryFilter={"sk": {"ComparisonOperator": "GT", "AttributeValueList": [n(1)]}},
                         message="QueryFilter can only contain non-primary key attributes: Primary key attribute: sk")

    def test_legacy_refusals(self):
        cases = [
            ({"x": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [n(1)]}},
             INVALID + "Invalid number of argument(s) for the BETWEEN ComparisonOperator"),
            ({"x": {"ComparisonOperator": "LT", "AttributeValueList": [{"SS": ["a"]}]}},
             INVALID + "ComparisonOperator LT is not valid for SS AttributeValue type"),
            ({"x": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [n(5), n(1)]}},
             "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound"),
            ({"x": {"ComparisonOperator": "IN", "AttributeValueList": [n(5), s("1")]}},
             INVALID + "AttributeValues inside AttributeValueList must be of same type"),
        ]
        for scan_filter, message in cases:
            with self.subTest(scan_filter=scan_filter):
                self.assertError(VALIDATION, self.ddb.scan, TableName=self.table, ScanFilter=scan_filter,
                                 message=message)

    def test_empty_and_too_long_attribute_names_are_refused(self):
        for name in ("", "n" * 65536):
            for op, body in (
                ("Scan", {"ScanFilter": {name: {"ComparisonOperator": "NULL"}}}),
                ("Scan", {"AttributesToGet": [name]}),
                ("Query", {"KeyConditions": {"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [s("p")]}},
                           "QueryFilter": {name: {"ComparisonOperator": "NOT_NULL"}}}),
                ("DeleteItem", {"Key": {"pk": s("q"), "sk": n(1)}, "Expected": {name: {"Exists": False}}}),
            ):
                with self.subTest(op=op, member=next(iter(body)), length=len(name)):
                    resp = raw_request(op, dict(TableName=self.table, **body))
                    self.assertEqual(resp.status, 400)
                    self.assertEqual(resp.json()["message"], NAME_LENGTH)
        self.assertEqual(len(self.ddb.scan(TableName=self.table)["Items"]), 7)

    def test_mixing_with_expressions(self):
        self.assertError(VALIDATION, self.ddb.scan, TableName=self.table,
                         ScanFilter={"x": {"ComparisonOperator": "NOT_NULL"}}, FilterExpression="attribute_exists(x)",
                         message=MIXED + "Non-expression parameters: {ScanFilter} "
                                         "Expression parameters: {FilterExpression}")
        self.assertError(VALIDATION, self.query, KeyConditionExpression="pk = :p",
                         ExpressionAttributeValues={":p": s("p")},
                         message=MIXED + "Non-expression parameters: {KeyConditions} "
                                         "Expression parameters: {KeyConditionExpression}")
        self.assertError(VALIDATION, self.ddb.query, TableName=self.table, KeyConditionExpression="pk = :p",
                         ExpressionAttributeValues={":p": s("p")},
                         QueryFilter={"x": {"ComparisonOperator": "NOT_NULL"}},
                         contains=[MIXED, "Non-expression parameters: {QueryFilter}"])
        self.assertError(VALIDATION, self.ddb.get_item, TableName=self.table, Key={"pk": s("p"), "sk": n(1)},
                         AttributesToGet=["x"], ProjectionExpression="x",
                         message=MIXED + "Non-expression parameters: {AttributesToGet} "
                                         "Expression parameters: {ProjectionExpression}")
