"""PutItem, GetItem and DeleteItem: attribute types, numbers, projections,
ReturnValues, and every refusal leaving the table as it was."""

from decimal import Decimal

from helpers import (NOT_FOUND, VALIDATION, WireTestCase, create_table, raw_request, scan_all,
                     snapshot, table_name)


def nested_maps(wraps):
    """A value of `wraps` map levels around a string."""
    value = {"S": "leaf"}
    for _ in range(wraps):
        value = {"M": {"m": value}}
    return value


class ItemsTestCase(WireTestCase):
    """A fresh table with a String hash key and two items in it."""

    def setUp(self):
        super().setUp()
        self.table = create_table(self.ddb, hash_key=("pk", "S"))
        self.ddb.put_item(TableName=self.table, Item={"pk": {"S": "base"}, "v": {"N": "1"}})
        self.ddb.put_item(TableName=self.table, Item={"pk": {"S": "target"}, "v": {"S": "old"}})
        self.before = snapshot(self.ddb, self.table)

    def assertUnchanged(self):
        self.assertEqual(snapshot(self.ddb, self.table), self.before)

    def refused_put(self, item, contains=None, message=None, code=VALIDATION):
        """A PutItem that must fail and leave the table exactly as it was."""
        self.assertError(code, self.ddb.put_item, TableName=self.table, Item=item,
                         contains=contains, message=message)
        self.assertUnchanged()


class RoundTripTest(ItemsTestCase):

    def test_all_ten_types_round_trip(self):
        item = {
            "pk": {"S": "all"},
            "s": {"S": "héllo ☃ \"quoted\" \n tab\t"},
            "empty_s": {"S": ""},
            "n": {"N": "-12.5"},
            "b": {"B": b"\x00\x01\xfe\xff binary"},
            "empty_b": {"B": b""},
            "ss": {"SS": ["a", "b", "ç"]},
            "ns": {"NS": ["1", "-2", "3.25"]},
            "bs": {"BS": [b"\x00", b"\x01\x02"]},
            "m": {"M": {"inner": {"S": "x"}, "deeper": {"M": {"n": {"N": "7"}}}, "none": {"NULL": True}}},
            "l": {"L": [{"S": "first"}, {"N": "2"}, {"L": []}, {"M": {}}, {"BOOL": False}]},
            "t": {"BOOL": True},
            "f": {"BOOL": False},
            "null": {"NULL": True},
            "empty_l": {"L": []},
            "empty_m": {"M": {}},
        }
        self.ddb.put_item(TableName=self.table, Item=item)
        self.assertItem(self.table, {"pk": {"S": "all"}}, item)

    def test_get_missing_item_has_no_item_field(self):
        got = self.ddb.get_item(TableName=self.table, Key={"pk": {"S": "nobody"}})
        self.assertNotIn("Item", got)

    def test_put_replaces_the_whole_item(self):
        self.ddb.put_item(TableName=self.table, Item={"pk": {"S": "target"}, "w": {"S": "new"}})
        self.assertItem(self.table, {"pk": {"S": "target"}}, {"pk": {"S": "target"}, "w": {"S": "new"}})

    def test_number_normalisation(self):
        cases = {
            "1.50": "1.5",
            "0001": "1",
            "1E+2": "100",
            "1e2": "100",
            "0.000": "0",
            "-1.0e-5": "-0.00001",
            "123.4500": "123.45",
            "1.23E-3": "0.00123",
            "1E+30": "1" + "0" * 30,
            "00.10": "0.1",
            "-007": "-7",
        }
        item = {"pk": {"S": "nums"}}
        for i, text in enumerate(cases):
            item["n%d" % i] = {"N": text}
        item["set"] = {"NS": ["1.0", "2.50", "3E0"]}
        item["list"] = {"L": [{"N": "10.0"}]}
        item["map"] = {"M": {"x": {"N": "0.50"}}}
        self.ddb.put_item(TableName=self.table, Item=item)
        got = self.ddb.get_item(TableName=self.table, Key={"pk": {"S": "nums"}})["Item"]
        for i, (text, want) in enumerate(cases.items()):
            self.assertEqual(got["n%d" % i], {"N": want}, "input %s" % text)
        self.assertEqual(sorted(got["set"]["NS"]), ["1", "2.5", "3"])
        self.assertEqual(got["list"], {"L": [{"N": "10"}]})
        self.assertEqual(got["map"], {"M": {"x": {"N": "0.5"}}})

    def test_numbers_at_the_limits_are_kept(self):
        digits38 = "12345678901234567890123456789012345678"
        item = {
            "pk": {"S": "limits"},
            "d38": {"N": digits38},
            "neg38": {"N": "-0." + digits38},
            # Trailing zeros are not significant digits.
            "zeros": {"N": digits38 + "00"},
            "big": {"N": "9.9999999999999999999999999999999999999E+125"},
            "small": {"N": "1E-130"},
            "negbig": {"N": "-9.9999999999999999999999999999999999999E+125"},
        }
        self.ddb.put_item(TableName=self.table, Item=item)
        got = self.ddb.get_item(TableName=self.table, Key={"pk": {"S": "limits"}})["Item"]
        self.assertEqual(got["d38"], {"N": digits38})
        self.assertEqual(got["neg38"], {"N": "-0." + digits38})
        self.assertEqual(got["zeros"], {"N": digits38 + "00"})
        for name in ("big", "small", "negbig"):
            self.assertEqual(Decimal(got[name]["N"]), Decimal(item[name]["N"]), name)

    def test_number_key_is_normalised(self):
        name = create_table(self.ddb, hash_key=("id", "N"))
        self.ddb.put_item(TableName=name, Item={"id": {"N": "01.50"}, "v": {"S": "x"}})
        got = self.ddb.get_item(TableName=name, Key={"id": {"N": "1.5"}})
        self.assertEqual(got["Item"], {"id": {"N": "1.5"}, "v": {"S": "x"}})
        # The same number written differently is the same item.
        self.ddb.put_item(TableName=name, Item={"id": {"N": "15E-1"}, "v": {"S": "y"}})
        self.assertEqual(len(scan_all(self.ddb, name)), 1)
        self.assertItem(name, {"id": {"N": "1.50"}}, {"id": {"N": "1.5"}, "v": {"S": "y"}})

    def test_binary_key(self):
        name = create_table(self.ddb, hash_key=("id", "B"))
        self.ddb.put_item(TableName=name, Item={"id": {"B": b"\x00\xff"}, "v": {"N": "1"}})
        self.assertItem(name, {"id": {"B": b"\x00\xff"}}, {"id": {"B": b"\x00\xff"}, "v": {"N": "1"}})
        self.assertNoItem(name, {"id": {"B": b"\x00"}})

    def test_composite_key(self):
        name = create_table(self.ddb, hash_key=("pk", "S"), range_key=("sk", "N"))
        for sk in ("1", "2"):
            self.ddb.put_item(TableName=name, Item={"pk": {"S": "a"}, "sk": {"N": sk}, "v": {"S": "v" + sk}})
        self.assertItem(name, {"pk": {"S": "a"}, "sk": {"N": "2"}},
                        {"pk": {"S": "a"}, "sk": {"N": "2"}, "v": {"S": "v2"}})
        self.assertNoItem(name, {"pk": {"S": "a"}, "sk": {"N": "3"}})

    def test_largest_keys_are_accepted(self):
        name = create_table(self.ddb, hash_key=("pk", "S"), range_key=("sk", "S"))
        pk, sk = "p" * 2048, "é" * 512  # 2048 bytes and 1024 bytes of UTF-8
        self.ddb.put_item(TableName=name, Item={"pk": {"S": pk}, "sk": {"S": sk}})
        self.assertItem(name, {"pk": {"S": pk}, "sk": {"S": sk}}, {"pk": {"S": pk}, "sk": {"S": sk}})

    def test_item_just_under_400_kb_is_accepted(self):
        data = "x" * (400 * 1024 - 100)
        self.ddb.put_item(TableName=self.table, Item={"pk": {"S": "big"}, "data": {"S": data}})
        got = self.ddb.get_item(TableName=self.table, Key={"pk": {"S": "big"}})["Item"]
        self.assertEqual(len(got["data"]["S"]), len(data))

    def test_nesting_of_32_levels_is_accepted(self):
        # 31 maps around a scalar: 32 levels, DynamoDB's limit.
        item = {"pk": {"S": "deep"}, "doc": nested_maps(31)}
        self.ddb.put_item(TableName=self.table, Item=item)
        self.assertItem(self.table, {"pk": {"S": "deep"}}, item)


class ProjectionTest(ItemsTestCase):

    def setUp(self):
        super().setUp()
        self.item = {
            "pk": {"S": "proj"},
            "name": {"S": "Ada"},
            "c": {"M": {"d": {"N": "1"}, "e": {"S": "not projected"}}},
            "l": {"L": [{"S": "l0"}, {"S": "l1"}, {"S": "l2"}]},
            "extra": {"S": "x"},
        }
        self.ddb.put_item(TableName=self.table, Item=self.item)

    def test_attributes_to_get_with_thousands_of_names(self):
        # The legacy list is not an expression: no 4 KB expression limit applies to it.
        names = ["name"] + ["absent%d" % i for i in range(3000)]
        got = self.ddb.get_item(TableName=self.table, Key={"pk": {"S": "proj"}}, AttributesToGet=names)
        self.assertEqual(got["Item"], {"name": {"S": "Ada"}})

    def test_attributes_to_get_refuses_a_name_twice(self):
        self.assertError(VALIDATION, self.ddb.get_item, TableName=self.table, Key={"pk": {"S": "proj"}},
                         AttributesToGet=["name", "name"],
                         message="One or more parameter values were invalid: Duplicate value in attribute name: name")

    def get(self, **kwargs):
        return self.ddb.get_item(TableName=self.table, Key={"pk": {"S": "proj"}}, **kwargs)["Item"]

    def test_projection_with_attribute_names_and_paths(self):
        got = self.get(ProjectionExpression="#n, c.d, l[1]", ExpressionAttributeNames={"#n": "name"})
        self.assertEqual(got, {
            "name": {"S": "Ada"},
            "c": {"M": {"d": {"N": "1"}}},
            "l": {"L": [{"S": "l1"}]},
        })

    def test_projection_leaves_out_the_key_unless_asked(self):
        self.assertEqual(self.get(ProjectionExpression="extra"), {"extra": {"S": "x"}})
        self.assertEqual(self.get(ProjectionExpression="pk, extra"), {"pk": {"S": "proj"}, "extra": {"S": "x"}})

    def test_projection_of_missing_attributes(self):
        self.assertEqual(self.get(ProjectionExpression="nothing, extra"), {"extra": {"S": "x"}})
        got = self.ddb.get_item(TableName=self.table, Key={"pk": {"S": "proj"}}, ProjectionExpression="nothing")
        self.assertEqual(got.get("Item", {}), {})

    def test_reserved_word_needs_a_placeholder(self):
        self.assertError(VALIDATION, self.get, ProjectionExpression="name",
                         contains=["Invalid ProjectionExpression", "reserved keyword", "name"])

    def test_unused_attribute_name_is_refused(self):
        self.assertError(VALIDATION, self.get, ProjectionExpression="extra",
                         ExpressionAttributeNames={"#unused": "x"},
                         contains="Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}")

    def test_names_with_a_null_expression_are_names_without_an_expression(self):
        # JSON null is how SDKs send "absent"; a member named in another case is another member.
        resp = raw_request("GetItem", {"TableName": self.table, "Key": {"pk": {"S": "proj"}},
                                       "ProjectionExpression": None, "projectionexpression": "extra",
                                       "ExpressionAttributeNames": {"#n": "name"}})
        self.assertEqual(resp.status, 400)
        self.assertEqual(resp.json()["message"], "ExpressionAttributeNames can only be specified when using expressions")

    def test_empty_names_are_refused(self):
        self.assertError(VALIDATION, self.get, ProjectionExpression="#e", ExpressionAttributeNames={"#e": ""},
                         message="ExpressionAttributeNames contains invalid value: Empty attribute name for key #e")
        self.assertError(VALIDATION, self.ddb.put_item, TableName=self.table, Item={"pk": {"S": "e"}, "": {"S": "x"}},
                         message="One or more parameter values were invalid: Attribute name must be 1 to 65535 bytes long")
        self.assertNotIn("Item", self.ddb.get_item(TableName=self.table, Key={"pk": {"S": "e"}}))

    def test_undefined_attribute_name_is_refused(self):
        self.assertError(VALIDATION, self.get, ProjectionExpression="#missing",
                         contains="An expression attribute name used in the document path is not defined; attribute name: #missing")


class ReturnValuesTest(ItemsTestCase):

    def test_put_all_old_on_a_new_item_returns_nothing(self):
        resp = self.ddb.put_item(TableName=self.table, Item={"pk": {"S": "fresh"}}, ReturnValues="ALL_OLD")
        self.assertNotIn("Attributes", resp)

    def test_put_all_old_returns_the_replaced_item(self):
        resp = self.ddb.put_item(TableName=self.table, Item={"pk": {"S": "target"}, "v": {"S": "new"}},
                                 ReturnValues="ALL_OLD")
        self.assertEqual(resp["Attributes"], {"pk": {"S": "target"}, "v": {"S": "old"}})
        self.assertItem(self.table, {"pk": {"S": "target"}}, {"pk": {"S": "target"}, "v": {"S": "new"}})

    def test_put_none_returns_nothing(self):
        for rv in ({}, {"ReturnValues": "NONE"}):
            resp = self.ddb.put_item(TableName=self.table, Item={"pk": {"S": "target"}, "v": {"S": "n"}}, **rv)
            self.assertNotIn("Attributes", resp)

    def test_put_refuses_all_new(self):
        self.assertError(VALIDATION, self.ddb.put_item, TableName=self.table,
                         Item={"pk": {"S": "target"}, "v": {"S": "new"}}, ReturnValues="ALL_NEW",
                         message="ReturnValues can only be ALL_OLD or NONE")
        self.assertUnchanged()

    def test_delete_all_old_returns_the_deleted_item(self):
        resp = self.ddb.delete_item(TableName=self.table, Key={"pk": {"S": "target"}}, ReturnValues="ALL_OLD")
        self.assertEqual(resp["Attributes"], {"pk": {"S": "target"}, "v": {"S": "old"}})
        self.assertNoItem(self.table, {"pk": {"S": "target"}})
        self.assertItem(self.table, {"pk": {"S": "base"}}, {"pk": {"S": "base"}, "v": {"N": "1"}})

    def test_delete_none_and_delete_missing(self):
        resp = self.ddb.delete_item(TableName=self.table, Key={"pk": {"S": "target"}}, ReturnValues="NONE")
        self.assertNotIn("Attributes", resp)
        self.assertNoItem(self.table, {"pk": {"S": "target"}})
        # Deleting what is not there succeeds and returns nothing.
        resp = self.ddb.delete_item(TableName=self.table, Key={"pk": {"S": "target"}}, ReturnValues="ALL_OLD")
        self.assertNotIn("Attributes", resp)


class RefusedValuesTest(ItemsTestCase):

    def test_empty_sets(self):
        for value in ({"SS": []}, {"NS": []}, {"BS": []}):
            self.refused_put({"pk": {"S": "target"}, "set": value},
                             contains=["One or more parameter values were invalid", "empty"])

    def test_duplicate_set_members(self):
        for value in ({"SS": ["a", "b", "a"]}, {"NS": ["1", "2", "1"]}, {"BS": [b"x", b"x"]}):
            self.refused_put({"pk": {"S": "target"}, "set": value}, contains="contains duplicates")

    def test_numbers_equal_after_normalisation_are_duplicates(self):
        self.refused_put({"pk": {"S": "target"}, "set": {"NS": ["1", "1.0"]}}, contains="contains duplicates")

    def test_more_than_38_significant_digits(self):
        for text in ("123456789012345678901234567890123456789", "1.23456789012345678901234567890123456789"):
            self.refused_put({"pk": {"S": "target"}, "n": {"N": text}},
                             message="Attempting to store more than 38 significant digits in a Number")
        self.refused_put({"pk": {"S": "target"}, "ns": {"NS": ["1", "123456789012345678901234567890123456789"]}},
                         message="Attempting to store more than 38 significant digits in a Number")

    def test_number_overflow(self):
        for text in ("1E+126", "-1E+126", "10E+125"):
            self.refused_put({"pk": {"S": "target"}, "n": {"N": text}},
                             message="Number overflow. Attempting to store a number with magnitude larger than supported range")

    def test_number_underflow(self):
        for text in ("1E-131", "-0.1E-130"):
            self.refused_put({"pk": {"S": "target"}, "n": {"N": text}},
                             message="Number underflow. Attempting to store a number with magnitude smaller than supported range")

    def test_not_a_number(self):
        for text in ("abc", "1.2.3", "NaN", "Infinity", "12abc", "--1"):
            self.refused_put({"pk": {"S": "target"}, "n": {"N": text}},
                             contains="The parameter cannot be converted to a numeric value")

    def test_null_must_be_true(self):
        self.refused_put({"pk": {"S": "target"}, "n": {"NULL": False}},
                         contains="Null attribute value types must have the value of true")

    def test_item_over_400_kb(self):
        # pk + "target" + "data" + the string: one byte over 409,600.
        data = "x" * (400 * 1024 - len("pk") - len("target") - len("data") + 1)
        self.refused_put({"pk": {"S": "target"}, "data": {"S": data}},
                         message="Item size has exceeded the maximum allowed size")

    def test_item_over_400_kb_counts_attribute_names(self):
        # The value alone fits; its attribute name tips it over.
        name = "n" * 200
        data = "x" * (400 * 1024 - 100)
        self.refused_put({"pk": {"S": "target"}, name: {"S": data}},
                         message="Item size has exceeded the maximum allowed size")

    def test_nesting_deeper_than_32_levels(self):
        # dynalite does not check nesting; AWS refuses 32 maps around a scalar.
        self.refused_put({"pk": {"S": "target"}, "doc": nested_maps(32)},
                         contains="Nesting Levels have exceeded supported limits")
        deep_list = {"S": "leaf"}
        for _ in range(40):
            deep_list = {"L": [deep_list]}
        self.refused_put({"pk": {"S": "target"}, "doc": deep_list},
                         contains="Nesting Levels have exceeded supported limits")


class RefusedKeysTest(ItemsTestCase):

    def test_missing_key_attribute(self):
        self.refused_put({"v": {"S": "no key"}},
                         message="One or more parameter values were invalid: Missing the key pk in the item")

    def test_key_attribute_of_wrong_type(self):
        self.refused_put({"pk": {"N": "1"}},
                         message="One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N")

    def test_empty_string_key(self):
        self.refused_put({"pk": {"S": ""}},
                         contains="The AttributeValue for a key attribute cannot contain an empty string value. Key: pk")

    def test_empty_binary_key(self):
        name = create_table(self.ddb, hash_key=("id", "B"))
        self.assertError(VALIDATION, self.ddb.put_item, TableName=name, Item={"id": {"B": b""}},
                         contains="The AttributeValue for a key attribute cannot contain an empty binary value. Key: id")
        self.assertEqual(scan_all(self.ddb, name), [])

    def test_partition_key_over_2048_bytes(self):
        message = ("One or more parameter values were invalid: "
                   "Size of hashkey has exceeded the maximum size limit of2048 bytes")
        self.refused_put({"pk": {"S": "k" * 2049}}, message=message)
        # Bytes, not characters: 1025 two-byte characters are 2050 bytes.
        # (dynalite counts characters and accepts this; AWS counts bytes.)
        self.refused_put({"pk": {"S": "é" * 1025}}, message=message)

    def test_sort_key_over_1024_bytes(self):
        name = create_table(self.ddb, hash_key=("pk", "S"), range_key=("sk", "S"))
        self.assertError(VALIDATION, self.ddb.put_item, TableName=name,
                         Item={"pk": {"S": "a"}, "sk": {"S": "s" * 1025}},
                         message="One or more parameter values were invalid: "
                                 "Aggregated size of all range keys has exceeded the size limit of 1024 bytes")
        self.assertEqual(scan_all(self.ddb, name), [])

    def test_get_with_wrong_key(self):
        message = "The provided key element does not match the schema"
        self.assertError(VALIDATION, self.ddb.get_item, TableName=self.table, Key={"pk": {"N": "1"}},
                         message=message)
        self.assertError(VALIDATION, self.ddb.get_item, TableName=self.table, Key={"other": {"S": "base"}},
                         message=message)
        self.assertError(VALIDATION, self.ddb.get_item, TableName=self.table,
                         Key={"pk": {"S": "base"}, "extra": {"S": "x"}}, message=message)

    def test_get_with_missing_sort_key(self):
        name = create_table(self.ddb, hash_key=("pk", "S"), range_key=("sk", "S"))
        self.assertError(VALIDATION, self.ddb.get_item, TableName=name, Key={"pk": {"S": "a"}},
                         message="The provided key element does not match the schema")

    def test_delete_with_wrong_key_changes_nothing(self):
        self.assertError(VALIDATION, self.ddb.delete_item, TableName=self.table, Key={"pk": {"N": "1"}},
                         message="The provided key element does not match the schema")
        self.assertError(VALIDATION, self.ddb.delete_item, TableName=self.table,
                         Key={"pk": {"S": "target"}, "v": {"S": "old"}},
                         message="The provided key element does not match the schema")
        self.assertUnchanged()

    def test_missing_table(self):
        name = table_name("missing")
        for call, args in ((self.ddb.put_item, {"Item": {"pk": {"S": "a"}}}),
                           (self.ddb.get_item, {"Key": {"pk": {"S": "a"}}}),
                           (self.ddb.delete_item, {"Key": {"pk": {"S": "a"}}})):
            self.assertError(NOT_FOUND, call, TableName=name, message="Requested resource not found", **args)
