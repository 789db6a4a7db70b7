"""Which of several problems a request answers with, as DynamoDB picks it:
the parameter mix, names or values without expressions, attribute values,
sizes and expressions come before the table is looked up, each in AWS's
order and words. Raw HTTP, since the SDKs refuse most of these requests
before sending them."""

import unittest

from helpers import WireTestCase, create_table, raw_request
from test_validation import SERIALIZATION, VALIDATION_TYPE, ValidationCase, not_null

NOT_FOUND = "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"
EMPTY_VALUE = "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
SEVERAL_TYPES = ("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported "
                 "datatypes")
INVALID = "One or more parameter values were invalid: "
MISSING_TABLE = "no-such-table"


class OrderCase(ValidationCase):
    def assertMessage(self, op, body, message):
        self.assertEqual(self.answer(op, body), (VALIDATION_TYPE, message))


class SerializationBodyTest(WireTestCase):
    def test_the_message_member_is_spelled_as_aws_spells_it(self):
        resp = raw_request("DescribeTable", {"TableName": 5})
        self.assertEqual(resp.json(), {"__type": SERIALIZATION, "Message": "NUMBER_VALUE cannot be converted to String"})
        self.assertIn("message", raw_request("DescribeTable", {"TableName": MISSING_TABLE}).json())


class ExpressionParametersTest(OrderCase):
    def test_parameters_of_both_kinds_are_listed_in_awss_order(self):
        self.assertMessage("Query", {"TableName": MISSING_TABLE, "QueryFilter": {}, "AttributesToGet": ["a"],
                                     "ConditionalOperator": "OR", "KeyConditions": {}, "KeyConditionExpression": "",
                                     "FilterExpression": "", "ProjectionExpression": ""},
                           "Can not use both expression and non-expression parameters in the same request: "
                           "Non-expression parameters: {AttributesToGet, QueryFilter, ConditionalOperator, KeyConditions} "
                           "Expression parameters: {ProjectionExpression, FilterExpression, KeyConditionExpression}")
        # KeyConditions counts against KeyConditionExpression only.
        self.assertMessage("Query", {"TableName": MISSING_TABLE, "QueryFilter": {}, "KeyConditions": {},
                                     "FilterExpression": ""},
                           "Can not use both expression and non-expression parameters in the same request: "
                           "Non-expression parameters: {QueryFilter} Expression parameters: {FilterExpression}")

    def test_names_and_values_without_expressions(self):
        self.assertMessage("PutItem", {"TableName": MISSING_TABLE, "Item": {"a": {}}, "ExpressionAttributeNames": {}},
                           "ExpressionAttributeNames can only be specified when using expressions")
        self.assertMessage("UpdateItem", {"TableName": MISSING_TABLE, "Key": {}, "ExpressionAttributeValues": {}},
                           "ExpressionAttributeValues can only be specified when using expressions: UpdateExpression "
                           "and ConditionExpression are null")
        self.assertMessage("Scan", {"TableName": MISSING_TABLE, "ExpressionAttributeValues": {}},
                           "ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null")

    def test_placeholders_must_be_spelled_as_placeholders(self):
        self.assertMessage("GetItem", {"TableName": MISSING_TABLE, "Key": {}, "ProjectionExpression": "a",
                                       "ExpressionAttributeNames": {"a": "a"}},
                           'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"')
        self.assertMessage("DeleteItem", {"TableName": MISSING_TABLE, "Key": {}, "ConditionExpression": "a = :b",
                                          "ExpressionAttributeValues": {":b": {"S": "x"}, "b": {"S": "y"}}},
                           'ExpressionAttributeValues contains invalid key: Syntax error; key: "b"')

    def test_a_bad_value_is_named_by_its_placeholder(self):
        self.assertMessage("DeleteItem", {"TableName": MISSING_TABLE, "Key": {}, "ConditionExpression": "a = :b",
                                          "ExpressionAttributeValues": {":b": {"NULL": False}}},
                           "ExpressionAttributeValues contains invalid value: " + INVALID +
                           "Null attribute value types must have the value of true for key :b")


class AttributeValueTest(OrderCase):
    def test_each_members_value_is_checked_before_their_number(self):
        self.assertMessage("PutItem", {"TableName": MISSING_TABLE, "Item": {"a": {"S": "x", "N": "y"}}},
                           "The parameter cannot be converted to a numeric value: y")
        self.assertMessage("PutItem", {"TableName": MISSING_TABLE, "Item": {"a": {"S": "x", "N": "1"}}}, SEVERAL_TYPES)

    def test_set_messages(self):
        for value, message in (({"BS": []}, INVALID + "Binary sets should not be empty"),
                               ({"NS": ["1", "1"]}, "Input collection contains duplicates"),
                               ({"BS": ["Yg==", "Yg=="]}, INVALID + "Input collection [Yg==, Yg==]of type BS contains "
                                                                    "duplicates.")):
            with self.subTest(value=value):
                self.assertMessage("PutItem", {"TableName": MISSING_TABLE, "Item": {"a": value}}, message)

    def test_an_empty_name_breaks_the_pattern_too(self):
        self.assertValidation("GetItem", {"TableName": ""},
                              "Value '' at 'tableName' failed to satisfy constraint: Member must satisfy regular "
                              "expression pattern: [a-zA-Z0-9_.-]+",
                              "Value '' at 'tableName' failed to satisfy constraint: Member must have length greater "
                              "than or equal to 3",
                              not_null("key"))


class WritesTest(OrderCase):
    def test_an_items_values_and_size_come_before_its_condition(self):
        self.assertMessage("PutItem", {"TableName": MISSING_TABLE, "Item": {"a": {"M": {"b": {}}}}, "Expected": {"a": {}}},
                           EMPTY_VALUE)
        big = {"a": {"S": "k"}, "b": {"S": "x" * 409600}}
        self.assertMessage("PutItem", {"TableName": MISSING_TABLE, "Item": big, "Expected": {"a": {}}},
                           "Item size has exceeded the maximum allowed size")

    def test_an_update_is_read_before_its_condition(self):
        self.assertMessage("UpdateItem", {"TableName": MISSING_TABLE, "Key": {}, "UpdateExpression": "",
                                          "ConditionExpression": ""},
                           "Invalid UpdateExpression: The expression can not be empty;")

    def test_legacy_updates_come_before_expected(self):
        self.assertMessage("UpdateItem", {"TableName": MISSING_TABLE, "Key": {}, "Expected": {"a": {}},
                                          "AttributeUpdates": {"a": {"Action": "PUT"}}},
                           INVALID + "Only DELETE action is allowed when no attribute value is specified")
        self.assertMessage("UpdateItem", {"TableName": MISSING_TABLE, "Key": {}, "Expected": {"a": {}}},
                           INVALID + "Value must be provided when Exists is null for Attribute: a")

    def test_batch_writes_read_every_request_before_any_table(self):
        self.assertMessage("BatchWriteItem", {"RequestItems": {MISSING_TABLE: [{"PutRequest": {"Item": {"a": {"NULL": False}}}}]}},
                           INVALID + "Null attribute value types must have the value of true")
        self.assertMessage("BatchWriteItem", {"RequestItems": {MISSING_TABLE: [{}]}}, SEVERAL_TYPES)

    def test_a_cut_value_still_closes(self):
        requests = [{"PutRequest": {"Item": {"a": {"S": str(i)}}}} for i in range(26)]
        kind, message = self.answer("BatchWriteItem", {"RequestItems": {"abc": requests}})
        self.assertEqual(kind, VALIDATION_TYPE)
        self.assertRegex(message, r"^1 validation error detected: Value '\{.+\}' at 'requestItems' failed to satisfy "
                                  r"constraint: Map value must satisfy constraint: ")


class ReadsTest(OrderCase):
    def test_batch_get_checks_keys_before_the_table(self):
        self.assertMessage("BatchGetItem", {"RequestItems": {MISSING_TABLE: {"Keys": [{"a": {"NS": []}}]}}},
                           INVALID + "An number set  may not be empty")
        key = {"a": {"S": "x"}}
        self.assertMessage("BatchGetItem", {"RequestItems": {MISSING_TABLE: {"Keys": [key, key]}}},
                           "Provided list of item keys contains duplicates")

    def test_get_item_reads_its_key_before_its_projection(self):
        self.assertMessage("GetItem", {"TableName": MISSING_TABLE, "Key": {"a": {}}, "ProjectionExpression": ""},
                           EMPTY_VALUE)

    def test_legacy_conditions_check_their_values_before_their_number(self):
        self.assertMessage("Scan", {"TableName": MISSING_TABLE,
                                    "ScanFilter": {"a": {"ComparisonOperator": "EQ", "AttributeValueList": [{}, {}]}}},
                           EMPTY_VALUE)
        self.assertMessage("Scan", {"TableName": MISSING_TABLE, "ScanFilter": {"a": {"ComparisonOperator": "EQ"}}},
                           INVALID + "Invalid number of argument(s) for the EQ ComparisonOperator")

    def test_query_order_before_the_table(self):
        esk = {"a": {}}
        self.assertMessage("Query", {"TableName": MISSING_TABLE, "ExclusiveStartKey": esk, "AttributesToGet": ["a", "a"],
                                     "QueryFilter": {"b": {"ComparisonOperator": "NULL", "AttributeValueList": [{}]}}},
                           EMPTY_VALUE)
        self.assertMessage("Query", {"TableName": MISSING_TABLE, "ExclusiveStartKey": esk, "AttributesToGet": ["a", "a"]},
                           INVALID + "Duplicate value in attribute name: a")
        self.assertMessage("Query", {"TableName": MISSING_TABLE, "ExclusiveStartKey": esk,
                                     "KeyConditions": {"a": {"ComparisonOperator": "EQ"}}},
                           "The provided starting key is invalid: " + EMPTY_VALUE)
        self.assertMessage("Query", {"TableName": MISSING_TABLE, "QueryFilter": {}, "KeyConditions": {}},
                           "Conditions can be of length 1 or 2 only")

    def test_a_scans_attributes_to_get_come_before_its_filter(self):
        self.assertMessage("Scan", {"TableName": MISSING_TABLE, "AttributesToGet": ["a", "a"],
                                    "ScanFilter": {"a": {"ComparisonOperator": "EQ", "AttributeValueList": [{}]}}},
                           INVALID + "Duplicate value in attribute name: a")

    def test_expressions_answer_before_a_missing_table(self):
        self.assertMessage("Query", {"TableName": MISSING_TABLE, "KeyConditionExpression": "a > b OR a < b"},
                           "Invalid operator used in KeyConditionExpression: OR")
        self.assertMessage("Query", {"TableName": MISSING_TABLE, "KeyConditionExpression": "attribute_type(a, :t)",
                                     "FilterExpression": "", "ExpressionAttributeValues": {":t": {"S": "S"}}},
                           "Invalid FilterExpression: The expression can not be empty;")
        self.assertMessage("Query", {"TableName": MISSING_TABLE, "KeyConditionExpression": "a between :b and :a",
                                     "ExpressionAttributeValues": {":a": {"S": "a"}, ":b": {"N": "1"}}},
                           "Invalid KeyConditionExpression: The BETWEEN operator requires same data type for lower and "
                           "upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: "
                           "AttributeValue: {S:a}")
        resp = raw_request("Query", {"TableName": MISSING_TABLE, "KeyConditionExpression": "a = :a",
                                     "ExpressionAttributeValues": {":a": {"S": "x"}}})
        self.assertEqual(resp.json()["__type"], NOT_FOUND)


class StartKeyTest(OrderCase):
    def setUp(self):
        super().setUp()
        self.table = create_table(self.ddb)

    def test_a_tables_start_key_is_worded_as_aws_words_it(self):
        base = {"TableName": self.table, "KeyConditions": {"z": {"ComparisonOperator": "NULL"}}, "QueryFilter": {}}
        self.assertMessage("Query", dict(base, ExclusiveStartKey={"other": {"S": "a"}}), "The provided starting key is invalid")
        self.assertMessage("Query", dict(base, ExclusiveStartKey={"pk": {"N": "1"}}),
                           "The provided key element does not match the schema")


class TableDefinitionTest(OrderCase):
    KEY = [{"AttributeName": "a", "KeyType": "HASH"}]
    UNITS = {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}

    def create(self, **members):
        body = {"TableName": "abc", "AttributeDefinitions": [{"AttributeName": "a", "AttributeType": "S"}],
                "KeySchema": self.KEY, "ProvisionedThroughput": self.UNITS}
        body.update(members)
        return body

    def test_throughput_bounds_come_first(self):
        self.assertMessage("CreateTable", self.create(AttributeDefinitions=[], ProvisionedThroughput={
            "ReadCapacityUnits": 1000000000001, "WriteCapacityUnits": 1}),
                           "Given value 1000000000001 for ReadCapacityUnits is out of bounds")
        self.assertMessage("UpdateTable", {"TableName": MISSING_TABLE, "GlobalSecondaryIndexUpdates": [{"Update": {
            "IndexName": "idx", "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1000000000001}}}]},
                           "Given value 1000000000001 for WriteCapacityUnits is out of bounds for index idx")

    def test_key_schema_checks_in_awss_order(self):
        twice = [{"AttributeName": "a", "KeyType": "HASH"}, {"AttributeName": "a", "KeyType": "HASH"}]
        self.assertMessage("CreateTable", self.create(KeySchema=twice),
                           "Invalid KeySchema: Some index key attribute have no definition")
        self.assertMessage("CreateTable", self.create(KeySchema=twice, AttributeDefinitions=[
            {"AttributeName": "a", "AttributeType": "S"}, {"AttributeName": "b", "AttributeType": "S"}]),
                           "Both the Hash Key and the Range Key element in the KeySchema have the same name")

    def test_local_index_checks_in_awss_order(self):
        defs = [{"AttributeName": "a", "AttributeType": "S"}, {"AttributeName": "b", "AttributeType": "S"}]
        index = {"IndexName": "idx", "KeySchema": [{"AttributeName": "c", "KeyType": "RANGE"}], "Projection": {}}
        self.assertMessage("CreateTable", self.create(AttributeDefinitions=defs, LocalSecondaryIndexes=[index]),
                           INVALID + "Table KeySchema does not have a range key, which is required when specifying a "
                                     "LocalSecondaryIndex")
        table_key = [{"AttributeName": "a", "KeyType": "HASH"}, {"AttributeName": "b", "KeyType": "RANGE"}]
        self.assertMessage("CreateTable", self.create(AttributeDefinitions=defs, KeySchema=table_key,
                                                      LocalSecondaryIndexes=[index]),
                           INVALID + "Some index key attributes are not defined in AttributeDefinitions. Keys: [c], "
                                     "AttributeDefinitions: [a, b]")
        index["KeySchema"] = [{"AttributeName": "b", "KeyType": "HASH"}]
        self.assertMessage("CreateTable", self.create(AttributeDefinitions=defs, KeySchema=table_key,
                                                      LocalSecondaryIndexes=[index]),
                           INVALID + "Index KeySchema does not have a range key for index: idx")

    def test_an_indexs_projection_is_checked_after_its_key(self):
        defs = [{"AttributeName": "a", "AttributeType": "S"}, {"AttributeName": "b", "AttributeType": "S"}]
        table_key = [{"AttributeName": "a", "KeyType": "HASH"}, {"AttributeName": "b", "KeyType": "RANGE"}]
        index = {"IndexName": "idx", "KeySchema": table_key, "Projection": {}}
        self.assertMessage("CreateTable", self.create(AttributeDefinitions=defs, KeySchema=table_key,
                                                      LocalSecondaryIndexes=[index]),
                           INVALID + "Unknown ProjectionType: null")
        global_index = {"IndexName": "idx", "KeySchema": [{"AttributeName": "c", "KeyType": "RANGE"}], "Projection": {},
                        "ProvisionedThroughput": self.UNITS}
        self.assertMessage("CreateTable", self.create(AttributeDefinitions=defs, GlobalSecondaryIndexes=[global_index]),
                           INVALID + "Some index key attributes are not defined in AttributeDefinitions. Keys: [c], "
                                     "AttributeDefinitions: [a, b]")

    def test_an_empty_index_update_comes_before_the_limit(self):
        self.assertMessage("UpdateTable", {"TableName": MISSING_TABLE, "GlobalSecondaryIndexUpdates": [{}] * 6},
                           INVALID + "One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, "
                                     "GlobalSecondaryIndexUpdate.Delete must not be null")


class TimeToLiveTest(OrderCase):
    def test_table_name_first_then_the_specification(self):
        self.assertMessage("UpdateTimeToLive", {"TableName": "ab", "TimeToLiveSpecification": {}},
                           "TableName must be at least 3 characters long and at most 255 characters long")
        self.assertMessage("UpdateTimeToLive", {"TableName": "abc;"},
                           "1 validation error detected: Value 'abc;' at 'tableName' failed to satisfy constraint: "
                           "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")
        self.assertMessage("UpdateTimeToLive", {"TableName": MISSING_TABLE,
                                                "TimeToLiveSpecification": {"AttributeName": "", "Enabled": True}},
                           "TimeToLiveSpecification.AttributeName must be non empty")

    def test_a_missing_table_is_named(self):
        resp = raw_request("UpdateTimeToLive", {"TableName": MISSING_TABLE,
                                                "TimeToLiveSpecification": {"AttributeName": "ttl", "Enabled": True}})
        self.assertEqual(resp.json(), {"__type": NOT_FOUND,
                                       "message": "Requested resource not found: Table: %s not found" % MISSING_TABLE})


if __name__ == "__main__":
    unittest.main()
