"""UpdateItem with UpdateExpression: SET (arithmetic exact to 38 digits,
if_not_exists, list_append, nested paths), REMOVE, ADD, DELETE, every
ReturnValues, and every refusal leaving the item as it was."""

import json
from decimal import Decimal

from helpers import VALIDATION, OneItemTestCase, create_table, n, normalise_sets, s, snapshot

D38 = "12345678901234567890123456789012345678"
MAX_N = "9.9999999999999999999999999999999999999E+125"

OVERFLOW = "Number overflow. Attempting to store a number with magnitude larger than supported range"
UNDERFLOW = "Number underflow. Attempting to store a number with magnitude smaller than supported range"
BAD_PATH = "The document path provided in the update expression is invalid for update"
BAD_OPERAND = "An operand in the update expression has an incorrect data type"
MISSING_OPERAND = "The provided expression refers to an attribute that does not exist in the item"


class UpdateTestCase(OneItemTestCase):
    """A fresh table with a String hash key and one item, "doc", to update."""

    ITEM = {
        "pk": s("doc"),
        "num": n("10"),
        "str": s("text"),
        "lst": {"L": [n("0"), n("1"), n("2"), n("3")]},
        "map": {"M": {"b": {"L": [{"M": {"c": s("c0")}}, {"M": {"c": s("c1")}}]}, "k": s("v")}},
        "ss": {"SS": ["a", "b", "c"]},
        "ns": {"NS": ["1", "2"]},
    }
    KEY = {"pk": s("doc")}

    def update(self, expression, values=None, names=None, key=None, **kwargs):
        args = dict(TableName=self.table, Key=key or self.KEY, UpdateExpression=expression, **kwargs)
        if values is not None:
            args["ExpressionAttributeValues"] = values
        if names is not None:
            args["ExpressionAttributeNames"] = names
        return self.ddb.update_item(**args)

    def item(self, key=None):
        got = self.ddb.get_item(TableName=self.table, Key=key or self.KEY, ConsistentRead=True)
        self.assertIn("Item", got)
        return got["Item"]

    def assertAttr(self, name, value):
        got = self.item()
        self.assertIn(name, got)
        self.assertEqual(normalise_sets(got[name]), normalise_sets(value))

    def refused(self, expression, values=None, names=None, message=None, contains=None, **kwargs):
        """An UpdateItem that must fail with a ValidationException and change nothing."""
        args = dict(TableName=self.table, Key=kwargs.pop("key", self.KEY), UpdateExpression=expression, **kwargs)
        if values is not None:
            args["ExpressionAttributeValues"] = values
        if names is not None:
            args["ExpressionAttributeNames"] = names
        self.assertError(VALIDATION, self.ddb.update_item, message=message, contains=contains, **args)
        self.assertEqual(snapshot(self.ddb, self.table), self.before)


class SetTest(UpdateTestCase):

    def test_set_plain_values_of_every_type(self):
        values = {
            ":s": s("new"), ":n": n("-1.50"), ":b": {"B": b"\x00\xff"}, ":t": {"BOOL": True},
            ":null": {"NULL": True}, ":l": {"L": [s("x"), n("1")]}, ":m": {"M": {"in": s("side")}},
            ":ss": {"SS": ["p", "q"]}, ":ns": {"NS": ["7", "8.5"]}, ":bs": {"BS": [b"\x01"]},
        }
        self.update("SET str = :s, num = :n, b = :b, t = :t, nul = :null, l2 = :l, m2 = :m, "
                    "ss = :ss, ns = :ns, bs = :bs", values)
        got = normalise_sets(self.item())
        self.assertEqual(got["str"], s("new"))
        self.assertEqual(got["num"], n("-1.5"))
        self.assertEqual(got["b"], {"B": b"\x00\xff"})
        self.assertEqual(got["t"], {"BOOL": True})
        self.assertEqual(got["nul"], {"NULL": True})
        self.assertEqual(got["l2"], {"L": [s("x"), n("1")]})
        self.assertEqual(got["m2"], {"M": {"in": s("side")}})
        self.assertEqual(got["ss"], {"SS": ["p", "q"]})
        self.assertEqual(got["ns"], {"NS": ["7", "8.5"]})
        self.assertEqual(got["bs"], {"BS": [b"\x01"]})
        self.assertEqual(got["lst"], self.ITEM["lst"])  # untouched attributes stay

    def test_set_with_names_and_copy_of_another_attribute(self):
        self.update("SET #n = :v, copied = #m.k, #s = str", {":v": s("named")},
                    {"#n": "name", "#m": "map", "#s": "status"})
        got = self.item()
        self.assertEqual(got["name"], s("named"))
        self.assertEqual(got["copied"], s("v"))
        self.assertEqual(got["status"], s("text"))

    def test_arithmetic_is_exact_decimal(self):
        self.update("SET a = :a + :b, b = :one - :nine, c = num + :b, d = :b + num, e = num - num",
                    {":a": n("0.1"), ":b": n("0.2"), ":one": n("1"), ":nine": n("0.9")})
        got = self.item()
        self.assertEqual(got["a"], n("0.3"))
        self.assertEqual(got["b"], n("0.1"))
        self.assertEqual(got["c"], n("10.2"))
        self.assertEqual(got["d"], n("10.2"))
        self.assertEqual(got["e"], n("0"))

    def test_arithmetic_on_38_digit_and_large_numbers(self):
        self.update("SET a = :d38 + :one, b = :nines + :one, c = :neg - :d38, d = :max - :max, "
                    "e = :tiny + :tiny, f = :big + :big",
                    {":d38": n(D38), ":one": n("1"), ":nines": n("9" * 38), ":neg": n("-" + D38),
                     ":max": n(MAX_N), ":tiny": n("1E-130"), ":big": n("1E+100")})
        got = self.item()
        self.assertEqual(got["a"], n(D38[:-1] + "9"))
        self.assertEqual(got["b"], n("1" + "0" * 38))
        self.assertEqual(got["c"], n("-" + str(2 * int(D38))))
        self.assertEqual(got["d"], n("0"))
        self.assertEqual(Decimal(got["e"]["N"]), Decimal("2E-130"))
        self.assertEqual(got["f"], n("2" + "0" * 100))

    def test_negative_results_and_repeated_increments(self):
        for _ in range(3):
            self.update("SET num = num - :d", {":d": n("4.25")})
        self.assertAttr("num", n("-2.75"))

    def test_arithmetic_overflow_is_refused(self):
        # 9E+125 + 9E+125 = 1.8E+126: two significant digits, but past the largest magnitude.
        self.refused("SET num = :big + :big", {":big": n("9E+125")}, message=OVERFLOW)
        self.refused("SET num = :neg - :big", {":big": n("9E+125"), ":neg": n("-9E+125")}, message=OVERFLOW)

    def test_arithmetic_underflow_is_refused(self):
        self.refused("SET num = :a - :b", {":a": n("1.1E-130"), ":b": n("1E-130")}, message=UNDERFLOW)

    def test_arithmetic_on_a_missing_attribute_is_refused(self):
        self.refused("SET num = nothing + :one", {":one": n("1")}, message=MISSING_OPERAND)

    def test_arithmetic_on_a_string_attribute_is_refused(self):
        self.refused("SET num = str + :one", {":one": n("1")}, message=BAD_OPERAND)

    def test_if_not_exists(self):
        self.update("SET num = if_not_exists(num, :zero), fresh = if_not_exists(fresh, :zero), "
                    "cnt = if_not_exists(cnt, :zero) + :one",
                    {":zero": n("0"), ":one": n("1")})
        got = self.item()
        self.assertEqual(got["num"], n("10"))
        self.assertEqual(got["fresh"], n("0"))
        self.assertEqual(got["cnt"], n("1"))
        self.update("SET cnt = if_not_exists(cnt, :zero) + :one", {":zero": n("0"), ":one": n("1")})
        self.assertAttr("cnt", n("2"))

    def test_list_append_both_orders(self):
        self.update("SET lst = list_append(lst, :tail)", {":tail": {"L": [n("4")]}})
        self.assertAttr("lst", {"L": [n("0"), n("1"), n("2"), n("3"), n("4")]})
        self.update("SET lst = list_append(:head, lst)", {":head": {"L": [s("h"), n("-1")]}})
        self.assertAttr("lst", {"L": [s("h"), n("-1"), n("0"), n("1"), n("2"), n("3"), n("4")]})
        self.update("SET fresh = list_append(if_not_exists(fresh, :empty), :v)",
                    {":empty": {"L": []}, ":v": {"L": [s("first")]}})
        self.assertAttr("fresh", {"L": [s("first")]})

    def test_list_append_of_a_non_list_is_refused(self):
        self.refused("SET lst = list_append(lst, :v)", {":v": s("x")},
                     message="Invalid UpdateExpression: Incorrect operand type for operator or function; "
                             "operator or function: list_append, operand type: S")
        self.refused("SET str = list_append(str, :v)", {":v": {"L": []}}, message=BAD_OPERAND)

    def test_nested_paths(self):
        self.update("SET #m.b[1].c = :v, #m.k = :k, #m.newkey = :nk, lst[1] = :one",
                    {":v": s("C1"), ":k": s("K"), ":nk": n("5"), ":one": s("one")}, {"#m": "map"})
        got = self.item()
        self.assertEqual(got["map"], {"M": {"b": {"L": [{"M": {"c": s("c0")}}, {"M": {"c": s("C1")}}]},
                                             "k": s("K"), "newkey": n("5")}})
        self.assertEqual(got["lst"], {"L": [n("0"), s("one"), n("2"), n("3")]})

    def test_set_past_the_end_of_a_list_appends(self):
        self.update("SET lst[10] = :v", {":v": s("end")})
        self.assertAttr("lst", {"L": [n("0"), n("1"), n("2"), n("3"), s("end")]})

    def test_an_update_may_not_nest_deeper_than_32_levels(self):
        def nested(levels):  # a value that is `levels` levels deep counting itself
            v = s("leaf")
            for _ in range(levels - 1):
                v = {"M": {"a": v}}
            return v
        self.update("SET deep = :v", {":v": nested(2)})
        self.before = snapshot(self.ddb, self.table)
        # :v is 32 levels deep, which a value may be; under deep.a its leaf would be at level 33.
        self.refused("SET deep.a = :v", {":v": nested(32)}, message="Nesting Levels have exceeded supported limits")
        self.update("SET deep.a = :v", {":v": nested(31)})  # its leaf at level 32: allowed
        self.assertEqual(self.item()["deep"]["M"]["a"], nested(31))

    def test_nested_path_with_a_missing_parent_is_refused(self):
        self.refused("SET nothing.b = :v", {":v": s("x")}, message=BAD_PATH)
        self.refused("SET #m.absent.c = :v", {":v": s("x")}, {"#m": "map"}, message=BAD_PATH)
        self.refused("SET #m.b[5].c = :v", {":v": s("x")}, {"#m": "map"}, message=BAD_PATH)
        self.refused("SET nothing[0] = :v", {":v": s("x")}, message=BAD_PATH)

    def test_nested_path_through_the_wrong_type_is_refused(self):
        self.refused("SET str.x = :v", {":v": s("x")}, message=BAD_PATH)
        self.refused("SET lst.x = :v", {":v": s("x")}, message=BAD_PATH)
        self.refused("SET #m[0] = :v", {":v": s("x")}, {"#m": "map"}, message=BAD_PATH)

    def test_update_of_a_missing_item_creates_it_with_its_key(self):
        key = {"pk": s("new")}
        resp = self.update("SET a = :v, c = if_not_exists(c, :zero) + :one",
                           {":v": s("x"), ":zero": n("0"), ":one": n("1")}, key=key, ReturnValues="ALL_NEW")
        expected = {"pk": s("new"), "a": s("x"), "c": n("1")}
        self.assertEqual(resp["Attributes"], expected)
        self.assertItem(self.table, key, expected)

    def test_update_of_a_missing_item_with_a_composite_key(self):
        name = create_table(self.ddb, hash_key=("h", "S"), range_key=("r", "N"))
        key = {"h": s("a"), "r": n("1.50")}
        self.ddb.update_item(TableName=name, Key=key, UpdateExpression="ADD c :one",
                             ExpressionAttributeValues={":one": n("1")})
        self.assertItem(name, key, {"h": s("a"), "r": n("1.5"), "c": n("1")})


class RemoveAddDeleteTest(UpdateTestCase):

    def test_remove_attributes(self):
        self.update("REMOVE str, num, nothing")
        got = self.item()
        self.assertNotIn("str", got)
        self.assertNotIn("num", got)
        self.assertIn("lst", got)

    def test_remove_list_elements_shifts_later_ones(self):
        self.update("REMOVE lst[1], lst[2]")
        self.assertAttr("lst", {"L": [n("0"), n("3")]})
        self.update("REMOVE lst[0]")
        self.assertAttr("lst", {"L": [n("3")]})
        self.update("REMOVE lst[7]")  # past the end: nothing happens
        self.assertAttr("lst", {"L": [n("3")]})

    def test_remove_nested(self):
        self.update("REMOVE #m.b[0], #m.k", names={"#m": "map"})
        self.assertAttr("map", {"M": {"b": {"L": [{"M": {"c": s("c1")}}]}}})

    def test_set_and_remove_together(self):
        self.update("SET a = :v REMOVE str", {":v": n("1")})
        got = self.item()
        self.assertEqual(got["a"], n("1"))
        self.assertNotIn("str", got)

    def test_add_numbers(self):
        self.update("ADD num :d, fresh :d", {":d": n("0.5")})
        got = self.item()
        self.assertEqual(got["num"], n("10.5"))
        self.assertEqual(got["fresh"], n("0.5"))
        self.update("ADD num :d", {":d": n("-20")})
        self.assertAttr("num", n("-9.5"))

    def test_add_to_sets(self):
        self.update("ADD ss :ss, ns :ns, newss :new, newbs :bs",
                    {":ss": {"SS": ["c", "d"]}, ":ns": {"NS": ["2", "3.0"]}, ":new": {"SS": ["z"]},
                     ":bs": {"BS": [b"\x01", b"\x02"]}})
        got = normalise_sets(self.item())
        self.assertEqual(got["ss"], {"SS": ["a", "b", "c", "d"]})
        self.assertEqual(got["ns"], {"NS": ["1", "2", "3"]})
        self.assertEqual(got["newss"], {"SS": ["z"]})
        self.assertEqual(got["newbs"], {"BS": [b"\x01", b"\x02"]})

    def test_add_of_the_wrong_type_at_run_time_is_refused(self):
        self.refused("ADD str :one", {":one": n("1")}, message=BAD_OPERAND)
        self.refused("ADD ss :ns", {":ns": {"NS": ["1"]}}, message=BAD_OPERAND)
        self.refused("ADD num :ss", {":ss": {"SS": ["x"]}}, message=BAD_OPERAND)

    def test_delete_from_sets(self):
        self.update("DELETE ss :a, ns :missing", {":a": {"SS": ["a", "zz"]}, ":missing": {"NS": ["9"]}})
        got = normalise_sets(self.item())
        self.assertEqual(got["ss"], {"SS": ["b", "c"]})
        self.assertEqual(got["ns"], {"NS": ["1", "2"]})

    def test_delete_of_every_element_removes_the_attribute(self):
        self.update("DELETE ss :all, nothing :x", {":all": {"SS": ["a", "b", "c"]}, ":x": {"SS": ["x"]}})
        got = self.item()
        self.assertNotIn("ss", got)
        self.assertNotIn("nothing", got)

    def test_delete_of_the_wrong_set_type_is_refused(self):
        self.refused("DELETE ns :ss", {":ss": {"SS": ["1"]}}, message=BAD_OPERAND)
        self.refused("DELETE str :ss", {":ss": {"SS": ["text"]}}, message=BAD_OPERAND)

    def test_all_four_sections(self):
        self.update("SET a = :a REMOVE str ADD num :one DELETE ss :b",
                    {":a": s("A"), ":one": n("1"), ":b": {"SS": ["b"]}})
        got = normalise_sets(self.item())
        self.assertEqual(got["a"], s("A"))
        self.assertNotIn("str", got)
        self.assertEqual(got["num"], n("11"))
        self.assertEqual(got["ss"], {"SS": ["a", "c"]})


class ReturnValuesTest(UpdateTestCase):
    """SET num, map.k and a new attribute; REMOVE str."""

    EXPR = "SET num = :n, #m.k = :k, added = :a REMOVE str"
    VALUES = {":n": n("11"), ":k": s("K"), ":a": s("A")}
    NAMES = {"#m": "map"}

    def run_update(self, return_values):
        resp = self.update(self.EXPR, self.VALUES, self.NAMES, ReturnValues=return_values)
        return resp.get("Attributes")

    def new_item(self):
        item = json.loads(json.dumps(self.ITEM))
        item["num"] = n("11")
        item["map"]["M"]["k"] = s("K")
        item["added"] = s("A")
        del item["str"]
        return item

    def test_none(self):
        self.assertIsNone(self.run_update("NONE"))
        self.assertIsNone(self.update("SET num = :n", {":n": n("1")}).get("Attributes"))

    def test_all_old(self):
        self.assertEqual(normalise_sets(self.run_update("ALL_OLD")), normalise_sets(self.ITEM))

    def test_all_new(self):
        self.assertEqual(normalise_sets(self.run_update("ALL_NEW")), normalise_sets(self.new_item()))

    def test_updated_old_has_only_the_updated_paths(self):
        # The nested path comes back as map.k alone, not the whole of map;
        # "added" did not exist before, so it is not there.
        self.assertEqual(self.run_update("UPDATED_OLD"),
                         {"num": n("10"), "map": {"M": {"k": s("v")}}, "str": s("text")})

    def test_updated_new_has_only_the_updated_paths(self):
        # str is removed, so it has no new value.
        self.assertEqual(self.run_update("UPDATED_NEW"),
                         {"num": n("11"), "map": {"M": {"k": s("K")}}, "added": s("A")})

    def test_updated_new_of_a_list_element(self):
        resp = self.update("SET #m.b[1].c = :v", {":v": s("C")}, {"#m": "map"}, ReturnValues="UPDATED_NEW")
        self.assertEqual(resp["Attributes"], {"map": {"M": {"b": {"L": [{"M": {"c": s("C")}}]}}}})

    def test_updated_new_of_add_and_delete(self):
        resp = self.update("ADD num :one DELETE ss :a", {":one": n("1"), ":a": {"SS": ["a"]}},
                           ReturnValues="UPDATED_NEW")
        self.assertEqual(normalise_sets(resp["Attributes"]), {"num": n("11"), "ss": {"SS": ["b", "c"]}})

    def test_old_values_of_a_missing_item(self):
        for rv in ("ALL_OLD", "UPDATED_OLD"):
            resp = self.update("SET a = :v", {":v": s(rv)}, key={"pk": s("new-" + rv)}, ReturnValues=rv)
            self.assertNotIn("Attributes", resp)
            self.assertItem(self.table, {"pk": s("new-" + rv)}, {"pk": s("new-" + rv), "a": s(rv)})

    def test_invalid_return_values_is_refused(self):
        self.refused("SET num = :n", {":n": n("1")}, ReturnValues="SOME",
                     contains="Member must satisfy enum value set")


class RefusalTest(UpdateTestCase):

    def test_a_name_of_65536_bytes_is_refused_wherever_it_is_named(self):
        longest, too_long = "n" * 65535, "n" * 65536
        self.update("SET #n = :v, #m.#n = :v", {":v": s("x")}, {"#n": longest, "#m": "map"})
        self.assertEqual(self.item()[longest], s("x"))
        self.before = snapshot(self.ddb, self.table)
        message = "One or more parameter values were invalid: Attribute name must be 1 to 65535 bytes long"
        self.refused("SET #n = :v", {":v": s("y")}, {"#n": too_long}, message=message)
        self.refused("SET #m.#n = :v", {":v": s("y")}, {"#n": too_long, "#m": "map"}, message=message)
        self.assertError(VALIDATION, self.ddb.get_item, TableName=self.table, Key=self.KEY,
                         ProjectionExpression="#n", ExpressionAttributeNames={"#n": too_long}, message=message)
        self.assertError(VALIDATION, self.ddb.put_item, TableName=self.table,
                         Item={"pk": s("other"), too_long: s("x")}, message=message)
        self.assertEqual(snapshot(self.ddb, self.table), self.before)

    def test_updating_a_key_attribute(self):
        for expr, values in (("SET pk = :v", {":v": s("other")}), ("REMOVE pk", None),
                             ("ADD pk :v", {":v": {"SS": ["x"]}})):
            self.refused(expr, values, message="One or more parameter values were invalid: "
                                               "Cannot update attribute pk. This attribute is part of the key")

    def test_updating_a_range_key_attribute(self):
        name = create_table(self.ddb, hash_key=("h", "S"), range_key=("r", "S"))
        self.ddb.put_item(TableName=name, Item={"h": s("a"), "r": s("b")})
        self.assertError(VALIDATION, self.ddb.update_item, TableName=name, Key={"h": s("a"), "r": s("b")},
                         UpdateExpression="SET r = :v", ExpressionAttributeValues={":v": s("c")},
                         message="One or more parameter values were invalid: "
                                 "Cannot update attribute r. This attribute is part of the key")
        self.assertItem(name, {"h": s("a"), "r": s("b")}, {"h": s("a"), "r": s("b")})

    def test_overlapping_paths(self):
        self.refused("SET a = :v, a.b = :v", {":v": s("x")},
                     message="Invalid UpdateExpression: Two document paths overlap with each other; must remove "
                             "or rewrite one of these paths; path one: [a], path two: [a, b]")
        self.refused("SET a = :v REMOVE a", {":v": s("x")},
                     message="Invalid UpdateExpression: Two document paths overlap with each other; must remove "
                             "or rewrite one of these paths; path one: [a], path two: [a]")
        self.refused("SET lst[1] = :v REMOVE lst[1]", {":v": s("x")},
                     contains="Two document paths overlap with each other")

    def test_conflicting_paths(self):
        self.refused("SET a.b = :v, a[0] = :v", {":v": s("x")},
                     message="Invalid UpdateExpression: Two document paths conflict with each other; must remove "
                             "or rewrite one of these paths; path one: [a, b], path two: [a, [0]]")

    def test_a_section_given_twice(self):
        self.refused("SET a = :v SET b = :v", {":v": s("x")},
                     message='Invalid UpdateExpression: The "SET" section can only be used once in an update '
                             'expression;')
        self.refused("REMOVE a REMOVE b",
                     message='Invalid UpdateExpression: The "REMOVE" section can only be used once in an update '
                             'expression;')

    def test_unused_names_and_values(self):
        self.refused("SET a = :v", {":v": s("x"), ":unused": s("y")},
                     message="Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}")
        self.refused("SET a = :v", {":v": s("x")}, {"#unused": "x"},
                     message="Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}")

    def test_undefined_names_and_values(self):
        self.refused("SET a = :nope", {":v": s("x")},
                     message="Invalid UpdateExpression: An expression attribute value used in expression is not "
                             "defined; attribute value: :nope")
        self.refused("SET #nope = :v", {":v": s("x")}, {"#n": "x"},
                     message="Invalid UpdateExpression: An expression attribute name used in the document path is "
                             "not defined; attribute name: #nope")

    def test_reserved_words_used_bare(self):
        self.refused("SET name = :v", {":v": s("x")},
                     message="Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name")
        self.refused("REMOVE #m.status", names={"#m": "map"},
                     message="Invalid UpdateExpression: Attribute name is a reserved keyword; "
                             "reserved keyword: status")

    def test_syntax_errors(self):
        self.refused("SET a = ", contains="Invalid UpdateExpression: Syntax error; token: ")
        self.refused("SET a :v", {":v": s("x")}, contains="Invalid UpdateExpression: Syntax error; token: ")
        self.refused("", message="Invalid UpdateExpression: The expression can not be empty;")
        self.refused("SET a = nope(:v)", {":v": s("x")},
                     message="Invalid UpdateExpression: Invalid function name; function: nope")

    def test_expression_over_4_kb(self):
        base = "SET a = :v"
        # Exactly 4096 bytes is accepted; 4097 is not.
        self.update(base + " " * (4096 - len(base)), {":v": s("limit")})
        self.assertAttr("a", s("limit"))
        self.before = snapshot(self.ddb, self.table)
        self.refused(base + " " * (4097 - len(base)), {":v": s("over")},
                     message="Invalid UpdateExpression: Expression size has exceeded the maximum allowed size; "
                             "expression size: 4097")

    def test_operand_types_of_add_and_delete(self):
        msg = "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: %s, operand type: %s"
        self.refused("ADD num :v", {":v": s("x")}, message=msg % ("ADD", "STRING"))
        self.refused("ADD num :v", {":v": {"L": [n("1")]}}, message=msg % ("ADD", "LIST"))
        self.refused("ADD num :v", {":v": {"M": {}}}, message=msg % ("ADD", "MAP"))
        self.refused("ADD num :v", {":v": {"BOOL": True}}, message=msg % ("ADD", "BOOLEAN"))
        self.refused("DELETE ss :v", {":v": n("1")}, message=msg % ("DELETE", "NUMBER"))
        self.refused("DELETE ss :v", {":v": s("a")}, message=msg % ("DELETE", "STRING"))

    def test_operand_types_of_arithmetic(self):
        msg = ("Invalid UpdateExpression: Incorrect operand type for operator or function; "
               "operator or function: %s, operand type: %s")
        self.refused("SET num = num + :v", {":v": s("1")}, message=msg % ("+", "S"))
        self.refused("SET num = :v - num", {":v": {"SS": ["1"]}}, message=msg % ("-", "SS"))

    def test_if_not_exists_needs_a_path(self):
        self.refused("SET a = if_not_exists(:v, :v)", {":v": s("x")},
                     message="Invalid UpdateExpression: Operator or function requires a document path; "
                             "operator or function: if_not_exists")
