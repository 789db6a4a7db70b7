"""ConditionExpression on PutItem, UpdateItem and DeleteItem: every
comparator, BETWEEN, IN, AND/OR/NOT with precedence and parentheses, every
function; ConditionalCheckFailedException, ReturnValuesOnConditionCheckFailure
(raw HTTP, which boto3 1.26 cannot send on single-item calls), and refusals."""

import base64
import re

from helpers import VALIDATION, OneItemTestCase, n, normalise_sets, raw_request, s, snapshot

CONDITION_FAILED = "ConditionalCheckFailedException"
FAILED_MESSAGE = "The conditional request failed"





ITEM = {
    "pk": s("doc"),
    "num": n("5"),
    "str": s("hello"),
    "bin": {"B": b"\x01\x02\x03"},
    "yes": {"BOOL": True},
    "nul": {"NULL": True},
    "lst": {"L": [n("1"), s("x"), {"M": {"deep": s("d")}}]},
    "doc": {"M": {"k": s("v"), "child": {"M": {"z": n("0")}}}},
    "ss": {"SS": ["a", "b"]},
    "ns": {"NS": ["1", "2", "3"]},
    "bs": {"BS": [b"\x00"]},
    "blank": s(""),
}
KEY = {"pk": s("doc")}


class ConditionTestCase(OneItemTestCase):
    ITEM, KEY = ITEM, KEY

    def holds(self, condition, values=None, names=None):
        """Whether the condition holds on ITEM, found by a conditional UpdateItem
        (which, when refused, must leave the table as it was)."""
        args = dict(TableName=self.table, Key=KEY, ConditionExpression=condition,
                    UpdateExpression="SET probe = :probe_value")
        # Only the values this condition names: an unused one would be refused.
        used = {k: v for k, v in (values or {}).items() if re.search(re.escape(k) + r"\b", condition)}
        args["ExpressionAttributeValues"] = dict(used, **{":probe_value": s(condition)})
        if names:
            args["ExpressionAttributeNames"] = names
        try:
            self.ddb.update_item(**args)
        except self.ddb.exceptions.ConditionalCheckFailedException as e:
            self.assertEqual(e.response["Error"]["Message"], FAILED_MESSAGE)
            self.assertUnchanged()
            return False
        got = self.ddb.get_item(TableName=self.table, Key=KEY, ConsistentRead=True)["Item"]
        self.assertEqual(got["probe"], s(condition))
        self.ddb.put_item(TableName=self.table, Item=ITEM)  # back to the start
        return True

    def check(self, cases, names=None):
        """cases: (condition, values, expected truth)."""
        for condition, values, expected in cases:
            with self.subTest(condition=condition, values=values):
                self.assertEqual(self.holds(condition, values, names), expected)

    def refused(self, condition, values=None, names=None, message=None, contains=None):
        args = dict(TableName=self.table, Key=KEY, ConditionExpression=condition)
        if values:
            args["ExpressionAttributeValues"] = values
        if names:
            args["ExpressionAttributeNames"] = names
        self.assertError(VALIDATION, self.ddb.delete_item, message=message, contains=contains, **args)
        self.assertUnchanged()


class ComparatorTest(ConditionTestCase):

    def test_numbers(self):
        self.check([
            ("num = :v", {":v": n("5")}, True),
            ("num = :v", {":v": n("5.00")}, True),
            ("num = :v", {":v": n("6")}, False),
            ("num <> :v", {":v": n("6")}, True),
            ("num <> :v", {":v": n("5")}, False),
            ("num < :v", {":v": n("10")}, True),  # numeric, not textual, order
            ("num < :v", {":v": n("5")}, False),
            ("num <= :v", {":v": n("5")}, True),
            ("num > :v", {":v": n("-100")}, True),
            ("num > :v", {":v": n("5")}, False),
            ("num >= :v", {":v": n("5")}, True),
            ("num >= :v", {":v": n("5.0000000000000000000000000000000000001")}, False),
            (":v < num", {":v": n("4.99")}, True),
        ])

    def test_strings_and_binary(self):
        self.check([
            ("str = :v", {":v": s("hello")}, True),
            ("str < :v", {":v": s("help")}, True),
            ("str > :v", {":v": s("Zebra")}, True),  # byte order: "Z" < "h"
            ("str >= :v", {":v": s("hello!")}, False),
            ("bin = :v", {":v": {"B": b"\x01\x02\x03"}}, True),
            ("bin < :v", {":v": {"B": b"\x01\x03"}}, True),
            ("bin > :v", {":v": {"B": b"\x01\x02"}}, True),
            ("blank = :v", {":v": s("")}, True),
        ])

    def test_comparing_different_types(self):
        self.check([
            ("num = :v", {":v": s("5")}, False),
            ("num <> :v", {":v": s("5")}, True),
            ("num < :v", {":v": s("9")}, False),
            ("num >= :v", {":v": s("1")}, False),
            ("nothing = :v", {":v": s("x")}, False),
            ("nothing <> :v", {":v": s("x")}, True),
            ("nothing < :v", {":v": n("1")}, False),
        ])

    def test_documents_and_sets_compare_for_equality(self):
        self.check([
            ("lst = :v", {":v": ITEM["lst"]}, True),
            ("doc = :v", {":v": ITEM["doc"]}, True),
            ("doc.child = :v", {":v": {"M": {"z": n("0")}}}, True),
            ("ss = :v", {":v": {"SS": ["b", "a"]}}, True),
            ("ss = :v", {":v": {"SS": ["a"]}}, False),
            ("yes = :v", {":v": {"BOOL": True}}, True),
            ("nul = :v", {":v": {"NULL": True}}, True),
            ("lst[2].deep = :v", {":v": s("d")}, True),
            ("num <> str", None, True),
        ])

    def test_between(self):
        self.check([
            ("num BETWEEN :lo AND :hi", {":lo": n("1"), ":hi": n("9")}, True),
            ("num BETWEEN :lo AND :hi", {":lo": n("5"), ":hi": n("5")}, True),
            ("num BETWEEN :lo AND :hi", {":lo": n("6"), ":hi": n("9")}, False),
            ("str BETWEEN :lo AND :hi", {":lo": s("a"), ":hi": s("i")}, True),
            ("str BETWEEN :lo AND :hi", {":lo": s("hello!"), ":hi": s("z")}, False),
            ("nothing BETWEEN :lo AND :hi", {":lo": n("1"), ":hi": n("9")}, False),
        ])

    def test_in(self):
        self.check([
            ("num IN (:a, :b)", {":a": n("4"), ":b": n("5")}, True),
            ("num IN (:a)", {":a": n("5")}, True),
            ("num IN (:a, :b)", {":a": n("4"), ":b": s("5")}, False),
            ("str IN (:a, :b, :c)", {":a": s("x"), ":b": s("y"), ":c": s("hello")}, True),
            ("nothing IN (:a)", {":a": s("x")}, False),
        ])

    def test_in_with_100_operands(self):
        values = {":v%d" % i: n(str(i)) for i in range(100)}
        condition = "num IN (%s)" % ", ".join(sorted(values))
        self.assertTrue(self.holds(condition, values))


class LogicTest(ConditionTestCase):
    T = "num = :five"
    F = "num = :six"
    V = {":five": n("5"), ":six": n("6")}

    def test_and_or_not(self):
        T, F, V = self.T, self.F, self.V
        self.check([
            ("%s AND %s" % (T, T), V, True),
            ("%s AND %s" % (T, F), V, False),
            ("%s OR %s" % (F, T), V, True),
            ("%s OR %s" % (F, F), V, False),
            ("NOT %s" % F, V, True),
            ("NOT %s" % T, V, False),
        ])

    def test_and_binds_tighter_than_or(self):
        T, F, V = self.T, self.F, self.V
        self.check([
            # T OR (F AND F)
            ("%s OR %s AND %s" % (T, F, F), V, True),
            ("(%s OR %s) AND %s" % (T, F, F), V, False),
            # (F AND F) OR T
            ("%s AND %s OR %s" % (F, F, T), V, True),
            ("%s AND (%s OR %s)" % (F, F, T), V, False),
        ])

    def test_not_binds_tighter_than_and_and_or(self):
        T, F, V = self.T, self.F, self.V
        self.check([
            # (NOT F) AND F
            ("NOT %s AND %s" % (F, F), V, False),
            ("NOT (%s AND %s)" % (F, F), V, True),
            # (NOT T) OR T
            ("NOT %s OR %s" % (T, T), V, True),
            ("NOT (%s OR %s)" % (T, T), V, False),
        ])

    def test_keywords_are_case_insensitive(self):
        self.check([
            ("num between :five and :six", self.V, True),
            ("num in (:five) and not num = :six or num = :six", self.V, True),
        ])


class FunctionTest(ConditionTestCase):

    def test_attribute_exists_and_not_exists(self):
        self.check([
            ("attribute_exists(num)", None, True),
            ("attribute_exists(nothing)", None, False),
            ("attribute_not_exists(nothing)", None, True),
            ("attribute_not_exists(num)", None, False),
            ("attribute_exists(doc.child.z)", None, True),
            ("attribute_exists(doc.nope)", None, False),
            ("attribute_exists(lst[2].deep)", None, True),
            ("attribute_exists(lst[3])", None, False),
            ("attribute_not_exists(lst[3])", None, True),
            ("attribute_exists(nul)", None, True),
        ])
        self.assertTrue(self.holds("attribute_exists(#n)", None, {"#n": "num"}))

    def test_attribute_type(self):
        cases = []
        for attr, type_ in (("str", "S"), ("num", "N"), ("bin", "B"), ("yes", "BOOL"), ("nul", "NULL"),
                            ("lst", "L"), ("doc", "M"), ("ss", "SS"), ("ns", "NS"), ("bs", "BS")):
            cases.append(("attribute_type(%s, :t)" % attr, {":t": s(type_)}, True))
            other = "S" if type_ != "S" else "N"
            cases.append(("attribute_type(%s, :t)" % attr, {":t": s(other)}, False))
        cases.append(("attribute_type(nothing, :t)", {":t": s("S")}, False))
        cases.append(("attribute_type(doc.child, :t)", {":t": s("M")}, True))
        self.check(cases)

    def test_begins_with(self):
        self.check([
            ("begins_with(str, :p)", {":p": s("he")}, True),
            ("begins_with(str, :p)", {":p": s("hello")}, True),
            ("begins_with(str, :p)", {":p": s("")}, True),
            ("begins_with(str, :p)", {":p": s("hex")}, False),
            ("begins_with(str, :p)", {":p": s("H")}, False),
            ("begins_with(bin, :p)", {":p": {"B": b"\x01\x02"}}, True),
            ("begins_with(bin, :p)", {":p": {"B": b"\x02"}}, False),
            ("begins_with(num, :p)", {":p": s("5")}, False),
            ("begins_with(nothing, :p)", {":p": s("x")}, False),
            ("begins_with(doc.k, :p)", {":p": s("v")}, True),
        ])

    def test_contains(self):
        self.check([
            ("contains(str, :v)", {":v": s("ell")}, True),
            ("contains(str, :v)", {":v": s("xyz")}, False),
            ("contains(ss, :v)", {":v": s("a")}, True),
            ("contains(ss, :v)", {":v": s("c")}, False),
            ("contains(ns, :v)", {":v": n("2")}, True),
            ("contains(ns, :v)", {":v": s("2")}, False),
            ("contains(bs, :v)", {":v": {"B": b"\x00"}}, True),
            ("contains(lst, :v)", {":v": s("x")}, True),
            ("contains(lst, :v)", {":v": n("1")}, True),
            ("contains(lst, :v)", {":v": {"M": {"deep": s("d")}}}, True),
            ("contains(lst, :v)", {":v": s("y")}, False),
            ("contains(bin, :v)", {":v": {"B": b"\x02\x03"}}, True),
            ("contains(num, :v)", {":v": n("5")}, False),
            ("contains(nothing, :v)", {":v": s("x")}, False),
            ("NOT contains(str, :v)", {":v": s("xyz")}, True),
        ])

    def test_size(self):
        self.check([
            ("size(str) = :v", {":v": n("5")}, True),
            ("size(bin) = :v", {":v": n("3")}, True),
            ("size(lst) = :v", {":v": n("3")}, True),
            ("size(doc) = :v", {":v": n("2")}, True),
            ("size(ss) = :v", {":v": n("2")}, True),
            ("size(ns) > :v", {":v": n("2")}, True),
            ("size(blank) = :v", {":v": n("0")}, True),
            ("size(str) < :v", {":v": n("5")}, False),
            ("size(str) BETWEEN :lo AND :hi", {":lo": n("1"), ":hi": n("9")}, True),
            ("size(str) IN (:a, :b)", {":a": n("4"), ":b": n("5")}, True),
            ("size(nothing) = :v", {":v": n("0")}, False),
            ("size(num) = :v", {":v": n("1")}, False),
            ("size(str) = size(doc.k)", None, False),
            ("size(lst[2]) = :v", {":v": n("1")}, True),
        ])


class OperationTest(ConditionTestCase):

    def test_put_if_not_exists(self):
        new = {"pk": s("new"), "v": n("1")}
        self.ddb.put_item(TableName=self.table, Item=new, ConditionExpression="attribute_not_exists(pk)")
        self.assertItem(self.table, {"pk": s("new")}, new)
        self.assertError(CONDITION_FAILED, self.ddb.put_item, TableName=self.table,
                         Item={"pk": s("new"), "v": n("2")}, ConditionExpression="attribute_not_exists(pk)",
                         message=FAILED_MESSAGE)
        self.assertItem(self.table, {"pk": s("new")}, new)

    def test_put_on_a_condition_of_the_old_item(self):
        self.ddb.put_item(TableName=self.table, Item={"pk": s("doc"), "num": n("6")},
                          ConditionExpression="num = :five", ExpressionAttributeValues={":five": n("5")})
        self.assertItem(self.table, KEY, {"pk": s("doc"), "num": n("6")})
        self.assertError(CONDITION_FAILED, self.ddb.put_item, TableName=self.table,
                         Item={"pk": s("doc"), "num": n("7")},
                         ConditionExpression="num = :five", ExpressionAttributeValues={":five": n("5")},
                         message=FAILED_MESSAGE)
        self.assertItem(self.table, KEY, {"pk": s("doc"), "num": n("6")})

    def test_condition_on_a_missing_item_sees_no_attributes(self):
        key = {"pk": s("ghost")}
        self.assertError(CONDITION_FAILED, self.ddb.update_item, TableName=self.table, Key=key,
                         UpdateExpression="SET v = :v", ConditionExpression="attribute_exists(pk)",
                         ExpressionAttributeValues={":v": n("1")}, message=FAILED_MESSAGE)
        self.assertNoItem(self.table, key)
        self.assertError(CONDITION_FAILED, self.ddb.delete_item, TableName=self.table, Key=key,
                         ConditionExpression="v = :v", ExpressionAttributeValues={":v": n("1")},
                         message=FAILED_MESSAGE)
        self.ddb.put_item(TableName=self.table, Item={"pk": s("ghost")},
                          ConditionExpression="v <> :v AND NOT attribute_exists(v)",
                          ExpressionAttributeValues={":v": n("1")})
        self.assertItem(self.table, key, {"pk": s("ghost")})

    def test_update_condition_sees_the_old_item(self):
        self.ddb.update_item(TableName=self.table, Key=KEY, UpdateExpression="SET num = num + :one",
                             ConditionExpression="num = :five",
                             ExpressionAttributeValues={":one": n("1"), ":five": n("5")})
        self.assertEqual(self.ddb.get_item(TableName=self.table, Key=KEY)["Item"]["num"], n("6"))
        self.before = snapshot(self.ddb, self.table)
        self.assertError(CONDITION_FAILED, self.ddb.update_item, TableName=self.table, Key=KEY,
                         UpdateExpression="SET num = num + :one", ConditionExpression="num = :five",
                         ExpressionAttributeValues={":one": n("1"), ":five": n("5")}, message=FAILED_MESSAGE)
        self.assertUnchanged()

    def test_delete(self):
        self.assertError(CONDITION_FAILED, self.ddb.delete_item, TableName=self.table, Key=KEY,
                         ConditionExpression="contains(ss, :c)", ExpressionAttributeValues={":c": s("zz")},
                         message=FAILED_MESSAGE)
        self.assertUnchanged()
        resp = self.ddb.delete_item(TableName=self.table, Key=KEY, ConditionExpression="contains(ss, :c)",
                                    ExpressionAttributeValues={":c": s("a")}, ReturnValues="ALL_OLD")
        self.assertEqual(normalise_sets(resp["Attributes"]), normalise_sets(ITEM))
        self.assertNoItem(self.table, KEY)


class ReturnOnFailureTest(ConditionTestCase):
    """ReturnValuesOnConditionCheckFailure, sent as raw HTTP."""

    def call(self, operation, body):
        resp = raw_request(operation, dict(body, TableName=self.table))
        return resp.status, resp.json()

    def assertFailure(self, status, body, item):
        self.assertEqual(status, 400, body)
        self.assertTrue(body["__type"].endswith("#ConditionalCheckFailedException"), body)
        self.assertEqual(body.get("message", body.get("Message")), FAILED_MESSAGE)
        if item is None:
            self.assertNotIn("Item", body)
        else:
            self.assertEqual(normalise_sets(decode(body["Item"])), normalise_sets(item))

    def test_put_item_all_old(self):
        status, body = self.call("PutItem", {
            "Item": wire({"pk": s("doc"), "v": n("1")}), "ConditionExpression": "attribute_not_exists(pk)",
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD"})
        self.assertFailure(status, body, ITEM)
        self.assertUnchanged()

    def test_update_item_all_old(self):
        status, body = self.call("UpdateItem", {
            "Key": wire(KEY), "UpdateExpression": "SET num = :v", "ConditionExpression": "num > :v",
            "ExpressionAttributeValues": wire({":v": n("100")}), "ReturnValuesOnConditionCheckFailure": "ALL_OLD"})
        self.assertFailure(status, body, ITEM)
        self.assertUnchanged()

    def test_delete_item_all_old(self):
        status, body = self.call("DeleteItem", {
            "Key": wire(KEY), "ConditionExpression": "attribute_not_exists(num)",
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD"})
        self.assertFailure(status, body, ITEM)
        self.assertUnchanged()

    def test_none_and_absent_return_no_item(self):
        for extra in ({"ReturnValuesOnConditionCheckFailure": "NONE"}, {}):
            status, body = self.call("DeleteItem", dict(extra, **{
                "Key": wire(KEY), "ConditionExpression": "attribute_not_exists(num)"}))
            self.assertFailure(status, body, None)
        self.assertUnchanged()

    def test_missing_item_returns_no_item(self):
        status, body = self.call("UpdateItem", {
            "Key": {"pk": {"S": "ghost"}}, "UpdateExpression": "SET v = :v",
            "ConditionExpression": "attribute_exists(pk)", "ExpressionAttributeValues": {":v": {"N": "1"}},
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD"})
        self.assertFailure(status, body, None)
        self.assertNoItem(self.table, {"pk": s("ghost")})

    def test_success_returns_nothing_extra(self):
        status, body = self.call("PutItem", {
            "Item": wire({"pk": s("fresh")}), "ConditionExpression": "attribute_not_exists(pk)",
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD"})
        self.assertEqual(status, 200, body)
        self.assertNotIn("Attributes", body)
        self.assertNotIn("Item", body)

    def test_invalid_value_is_refused(self):
        status, body = self.call("PutItem", {
            "Item": wire({"pk": s("fresh")}), "ConditionExpression": "attribute_not_exists(pk)",
            "ReturnValuesOnConditionCheckFailure": "ALL_NEW"})
        self.assertEqual(status, 400, body)
        self.assertTrue(body["__type"].endswith("#ValidationException"), body)
        self.assertIn("Member must satisfy enum value set: [ALL_OLD, NONE]", body.get("message", body.get("Message")))
        self.assertNoItem(self.table, {"pk": s("fresh")})


def wire(value):
    """boto3-style values (bytes for B) to their JSON wire form (base64)."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k == "B":
                out[k] = base64.b64encode(v).decode()
            elif k == "BS":
                out[k] = [base64.b64encode(b).decode() for b in v]
            else:
                out[k] = wire(v)
        return out
    if isinstance(value, list):
        return [wire(v) for v in value]
    return value


def decode(value):
    """The JSON wire form back to boto3-style values."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k == "B" and isinstance(v, str):
                out[k] = base64.b64decode(v)
            elif k == "BS" and isinstance(v, list) and all(isinstance(b, str) for b in v):
                out[k] = [base64.b64decode(b) for b in v]
            else:
                out[k] = decode(v)
        return out
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


class RefusalTest(ConditionTestCase):

    def test_undefined_and_unused_names_and_values(self):
        self.refused("num = :nope", {":v": n("1")},
                     message="Invalid ConditionExpression: An expression attribute value used in expression is not "
                             "defined; attribute value: :nope")
        self.refused("#nope = :v", {":v": n("1")}, {"#n": "num"},
                     message="Invalid ConditionExpression: An expression attribute name used in the document path "
                             "is not defined; attribute name: #nope")
        self.refused("num = :v", {":v": n("1"), ":extra": n("2")},
                     message="Value provided in ExpressionAttributeValues unused in expressions: keys: {:extra}")

    def test_reserved_word(self):
        self.refused("attribute_exists(size)", message="Invalid ConditionExpression: Attribute name is a reserved "
                                                       "keyword; reserved keyword: size")

    def test_syntax_errors(self):
        self.refused("num = ", contains="Invalid ConditionExpression: Syntax error; token: ")
        self.refused("num == :v", {":v": n("1")}, contains="Invalid ConditionExpression: Syntax error; token: ")
        self.refused("", message="Invalid ConditionExpression: The expression can not be empty;")

    def test_misused_functions(self):
        self.refused("nope(num)", message="Invalid ConditionExpression: Invalid function name; function: nope")
        self.refused("size(str)",
                     message="Invalid ConditionExpression: The function is not allowed to be used this way in an "
                             "expression; function: size")
        self.refused("attribute_exists(num) = :v", {":v": {"BOOL": True}},
                     contains="The function is not allowed to be used this way in an expression; "
                              "function: attribute_exists")
        self.refused("attribute_exists(:v)", {":v": s("x")},
                     message="Invalid ConditionExpression: Operator or function requires a document path; "
                             "operator or function: attribute_exists")
        self.refused("begins_with(str, :a, :b)", {":a": s("x"), ":b": s("y")},
                     message="Invalid ConditionExpression: Incorrect number of operands for operator or function; "
                             "operator or function: begins_with, number of operands: 3")

    def test_operands_must_be_distinct(self):
        self.refused("num = num", message="Invalid ConditionExpression: The first operand must be distinct from the "
                                          "remaining operands for this operator or function; operator: =, "
                                          "first operand: [num]")

    def test_attribute_type_needs_a_known_type(self):
        self.refused("attribute_type(num, :t)", {":t": s("STRING")},
                     contains=["Invalid ConditionExpression: Invalid attribute type name found; type: STRING"])

    def test_between_bounds(self):
        self.refused("num BETWEEN :hi AND :lo", {":lo": n("1"), ":hi": n("9")},
                     contains="Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater "
                              "than or equal to lower bound")
        self.refused("num BETWEEN :lo AND :hi", {":lo": n("1"), ":hi": s("9")},
                     contains="Invalid ConditionExpression: The BETWEEN operator requires same data type for lower "
                              "and upper bounds")

    def test_redundant_parentheses(self):
        self.refused("((num = :v))", {":v": n("5")},
                     message="Invalid ConditionExpression: The expression has redundant parentheses;")

    def test_more_than_100_in_operands(self):
        values = {":v%d" % i: n(str(i)) for i in range(101)}
        self.refused("num IN (%s)" % ", ".join(sorted(values)), values,
                     contains="Invalid ConditionExpression: ")

    def test_condition_over_4_kb(self):
        self.refused("attribute_exists(num)" + " " * 4080,
                     message="Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; "
                             "expression size: 4101")
