"""The layer in front of the operations: a member of the wrong JSON type is a
SerializationException with AWS's text, broken constraints are one
ValidationException listing each of them in AWS's order and spelling, and
both come before any table is looked up. Raw HTTP for what the SDKs will not
send; boto3 without its own parameter checks where it can."""

import unittest

from botocore.config import Config

import boto3

from helpers import ACCESS_KEY, ENDPOINT, REGION, SECRET_KEY, VALIDATION, WireTestCase, create_table, raw_request, \
    scan_all

SERIALIZATION = "com.amazon.coral.service#SerializationException"
VALIDATION_TYPE = "com.amazon.coral.validate#ValidationException"
AV_MAP = "java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>"
PARAMETERIZED = ("class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class "
                 "java.lang.Class (sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and java.lang.Class "
                 "are in module java.base of loader 'bootstrap')")
NAME_PATTERN = "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"


def not_null(path):
    return "Value null at '%s' failed to satisfy constraint: Member must not be null" % path


class ValidationCase(WireTestCase):
    def answer(self, op, body):
        resp = raw_request(op, body)
        self.assertEqual(resp.status, 400, resp.body)
        got = resp.json()
        return got["__type"], got.get("message", got.get("Message"))

    def assertSerialization(self, op, body, message):
        self.assertEqual(self.answer(op, body), (SERIALIZATION, message))

    def assertValidation(self, op, body, *violations, message=None):
        if message is None:
            message = "%d validation error%s detected: %s" % (
                len(violations), "" if len(violations) == 1 else "s", "; ".join(violations))
        self.assertEqual(self.answer(op, body), (VALIDATION_TYPE, message))


class SerializationTest(ValidationCase):
    def test_a_string_member_of_each_wrong_type(self):
        for value, message in ((1, "NUMBER_VALUE cannot be converted to String"),
                               (1.5, "DECIMAL_VALUE cannot be converted to String"),
                               (True, "TRUE_VALUE cannot be converted to String"),
                               (False, "FALSE_VALUE cannot be converted to String"),
                               ([], "Unrecognized collection type class java.lang.String"),
                               ({}, "Start of structure or map found where not expected")):
            with self.subTest(value=value):
                self.assertSerialization("DescribeTable", {"TableName": value}, message)

    def test_numbers_and_booleans(self):
        self.assertSerialization("Scan", {"TableName": "abc", "Limit": "10"}, "STRING_VALUE cannot be converted to Integer")
        self.assertSerialization("Scan", {"TableName": "abc", "Limit": True}, "TRUE_VALUE cannot be converted to Integer")
        self.assertSerialization("CreateTable", {"ProvisionedThroughput": {"ReadCapacityUnits": "5"}},
                                 "STRING_VALUE cannot be converted to Long")
        self.assertSerialization("GetItem", {"ConsistentRead": 1}, "NUMBER_VALUE cannot be converted to Boolean")
        self.assertSerialization("GetItem", {"ConsistentRead": "maybe"}, "Unexpected token received from parser")
        self.assertSerialization("GetItem", {"ConsistentRead": []}, "Unrecognized collection type class java.lang.Boolean")

    def test_lists_maps_and_structures(self):
        self.assertSerialization("GetItem", {"Key": []}, "Unrecognized collection type " + AV_MAP)
        self.assertSerialization("GetItem", {"Key": "k"}, "Unexpected field type")
        self.assertSerialization("GetItem", {"Key": {"a": "k"}}, "Unexpected value type in payload")
        self.assertSerialization("GetItem", {"AttributesToGet": "a"}, "Unexpected field type")
        self.assertSerialization("GetItem", {"AttributesToGet": {}}, "Start of structure or map found where not expected")
        self.assertSerialization("CreateTable", {"KeySchema": [[]]},
                                 "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.KeySchemaElement")
        self.assertSerialization("CreateTable", {"ProvisionedThroughput": 5}, "Unexpected field type")

    def test_nested_members(self):
        self.assertSerialization("BatchGetItem", {"RequestItems": {"abc": {"Keys": [{"a": {"S": 1}}]}}},
                                 "NUMBER_VALUE cannot be converted to String")
        self.assertSerialization("BatchGetItem", {"RequestItems": {"abc": {"Keys": ["a"]}}}, PARAMETERIZED)
        self.assertSerialization("BatchWriteItem", {"RequestItems": {"abc": "a"}}, PARAMETERIZED)
        self.assertSerialization("PutItem", {"Item": {"a": {"L": [{"M": {"b": {"SS": [1]}}}]}}},
                                 "NUMBER_VALUE cannot be converted to String")
        self.assertSerialization("UpdateTable", {"GlobalSecondaryIndexUpdates": [{"Create": {"KeySchema": [
            {"AttributeName": False}]}}]}, "FALSE_VALUE cannot be converted to String")

    def test_binary_values(self):
        self.assertSerialization("GetItem", {"Key": {"a": {"B": 5}}}, "only base-64-encoded strings are convertible to bytes")
        self.assertSerialization("GetItem", {"Key": {"a": {"B": "abcde"}}},
                                 "Base64 encoded length is expected a multiple of 4 bytes but found: 5")
        self.assertSerialization("GetItem", {"Key": {"a": {"BS": ["+/+="]}}},
                                 "Invalid last non-pad Base64 character dectected")

    def test_types_are_checked_before_constraints(self):
        # TableName is missing too, but the wrong type answers first.
        self.assertSerialization("Query", {"Limit": "x"}, "STRING_VALUE cannot be converted to Integer")


class ConstraintTest(ValidationCase):
    def test_missing_members_are_listed_in_awss_order(self):
        self.assertValidation("GetItem", {}, not_null("tableName"), not_null("key"))
        self.assertValidation("PutItem", {"ReturnValues": "SOME"},
                              not_null("tableName"), not_null("item"),
                              "Value 'SOME' at 'returnValues' failed to satisfy constraint: Member must satisfy enum "
                              "value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]")

    def test_every_constraint_of_one_member(self):
        self.assertValidation("Query", {"TableName": "a;", "KeyConditionExpression": "x"},
                              "Value 'a;' at 'tableName' failed to satisfy constraint: " + NAME_PATTERN,
                              "Value 'a;' at 'tableName' failed to satisfy constraint: Member must have length greater "
                              "than or equal to 3")
        self.assertValidation("ListTables", {"Limit": 101},
                              "Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or "
                              "equal to 100")

    def test_nested_paths(self):
        self.assertValidation("CreateTable", {"TableName": "abc", "AttributeDefinitions": [{}],
                                              "KeySchema": [{"AttributeName": "a", "KeyType": "HASHISH"}]},
                              not_null("attributeDefinitions.1.member.attributeName"),
                              not_null("attributeDefinitions.1.member.attributeType"),
                              "Value 'HASHISH' at 'keySchema.1.member.keyType' failed to satisfy constraint: Member "
                              "must satisfy enum value set: [HASH, RANGE]")
        self.assertValidation("BatchGetItem", {"RequestItems": {"abc": {}}}, not_null("requestItems.abc.member.keys"))

    def test_map_keys_and_values(self):
        self.assertValidation("BatchWriteItem", {"RequestItems": {"a": []}},
                              "Value '{\"a\":[]}' at 'requestItems' failed to satisfy constraint: Map keys must satisfy "
                              "constraint: [Member must have length less than or equal to 255, Member must have length "
                              "greater than or equal to 3, " + NAME_PATTERN + "]",
                              "Value '{\"a\":[]}' at 'requestItems' failed to satisfy constraint: Map value must satisfy "
                              "constraint: [Member must have length less than or equal to 25, Member must have length "
                              "greater than or equal to 1]")

    def test_table_name_first_for_create_and_update_table(self):
        self.assertEqual(self.answer("CreateTable", {}),
                         (VALIDATION_TYPE, "The parameter 'TableName' is required but was not present in the request"))
        self.assertEqual(self.answer("UpdateTable", {"TableName": "ab"}),
                         (VALIDATION_TYPE, "TableName must be at least 3 characters long and at most 255 characters long"))
        self.assertValidation("CreateTable", {"TableName": "abc;"},
                              not_null("attributeDefinitions"),
                              "Value 'abc;' at 'tableName' failed to satisfy constraint: " + NAME_PATTERN,
                              not_null("keySchema"))

    def test_at_most_ten_are_listed(self):
        body = {"TableName": "abc", "KeySchema": [{}] * 6, "AttributeDefinitions": [{}] * 6}
        kind, message = self.answer("CreateTable", body)
        self.assertEqual(kind, VALIDATION_TYPE)
        self.assertTrue(message.startswith("10 validation errors detected: "), message)
        self.assertEqual(message.count("failed to satisfy constraint"), 10)

    def test_constraints_come_before_the_table_lookup(self):
        self.assertValidation("GetItem", {"TableName": "no-such-table", "Key": {"a": {"S": "x"}},
                                          "ReturnConsumedCapacity": "ALL"},
                              "Value 'ALL' at 'returnConsumedCapacity' failed to satisfy constraint: Member must "
                              "satisfy enum value set: [INDEXES, TOTAL, NONE]")


class BotoWithoutClientChecksTest(WireTestCase):
    """boto3 with its parameter validation off sends what it is given."""

    def setUp(self):
        super().setUp()
        self.loose = boto3.client("dynamodb", endpoint_url=ENDPOINT, region_name=REGION,
                                  aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
                                  config=Config(parameter_validation=False, retries={"max_attempts": 1}))
        self.table = create_table(self.ddb)
        self.ddb.put_item(TableName=self.table, Item={"pk": {"S": "keep"}, "v": {"S": "old"}})

    def test_refusals_change_nothing(self):
        self.assertError("SerializationException", self.loose.put_item, TableName=self.table,
                         Item={"pk": {"S": "keep"}, "v": {"N": 5}}, message="NUMBER_VALUE cannot be converted to String")
        self.assertError(VALIDATION, self.loose.put_item, TableName=self.table, Item={"pk": {"S": "keep"}},
                         ReturnValues="EVERYTHING",
                         message="1 validation error detected: Value 'EVERYTHING' at 'returnValues' failed to satisfy "
                                 "constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, "
                                 "UPDATED_NEW]")
        self.assertEqual(scan_all(self.ddb, self.table), [{"pk": {"S": "keep"}, "v": {"S": "old"}}])

    def test_booleans_sent_as_text_are_read_as_aws_reads_them(self):
        got = self.loose.get_item(TableName=self.table, Key={"pk": {"S": "keep"}}, ConsistentRead="yes")
        self.assertEqual(got["Item"]["v"], {"S": "old"})
        self.loose.put_item(TableName=self.table, Item={"pk": {"S": "flag"}, "b": {"BOOL": "FALSE"}})
        self.assertEqual(self.ddb.get_item(TableName=self.table, Key={"pk": {"S": "flag"}})["Item"]["b"], {"BOOL": False})


if __name__ == "__main__":
    unittest.main()
