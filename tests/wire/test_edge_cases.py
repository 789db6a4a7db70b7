"""Edge cases where dynemu answered differently from DynamoDB, one test per
behaviour, through boto3: DescribeEndpoints naming the address the client
used, the 32-level limit on document paths in every kind of expression,
the 300-operator limit of every kind of expression, the form and length of
ExpressionAttributeNames / Values keys, duplicate tag keys,
duplicate NonKeyAttributes, and Expected entries giving both Value and
AttributeValueList. Each refusal changes nothing."""

import urllib.parse

from helpers import ENDPOINT, VALIDATION, OneItemTestCase, WireTestCase, create_table, snapshot, table_name

ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/%s"


def deep_path(levels):
    """A document path of this many steps: a.a.a..."""
    return ".".join(["a"] * levels)


class DescribeEndpointsTest(WireTestCase):

    def test_the_address_is_the_host_the_client_used(self):
        endpoints = self.ddb.describe_endpoints()["Endpoints"]
        self.assertEqual(endpoints, [{"Address": urllib.parse.urlparse(ENDPOINT).netloc,
                                      "CachePeriodInMinutes": 1440}])


class PathDepthTest(OneItemTestCase):
    """DynamoDB allows 32 steps in a document path; 33 is refused with the
    count, in projections, conditions and updates alike."""

    ITEM = {"pk": {"S": "doc"}, "a": {"M": {"a": {"S": "leaf"}}}}

    def test_thirty_two_levels_are_read(self):
        got = self.ddb.get_item(TableName=self.table, Key=self.KEY, ProjectionExpression=deep_path(32))
        self.assertEqual(got["Item"], {})
        got = self.ddb.get_item(TableName=self.table, Key=self.KEY, ProjectionExpression=deep_path(2))
        self.assertEqual(got["Item"], {"a": {"M": {"a": {"S": "leaf"}}}})

    def test_a_projection_of_thirty_three_levels_is_refused(self):
        self.assertError(VALIDATION, self.ddb.get_item, TableName=self.table, Key=self.KEY,
                         ProjectionExpression=deep_path(33),
                         message="Invalid ProjectionExpression: The document path has too many nesting levels; "
                                 "nesting levels: 33")

    def test_a_condition_of_forty_levels_is_refused(self):
        self.assertError(VALIDATION, self.ddb.put_item, TableName=self.table, Item={"pk": {"S": "doc"}},
                         ConditionExpression="attribute_exists(%s)" % deep_path(40),
                         message="Invalid ConditionExpression: The document path has too many nesting levels; "
                                 "nesting levels: 40")
        self.assertUnchanged()

    def test_an_update_path_of_list_indexes_counts_each_index(self):
        self.assertError(VALIDATION, self.ddb.update_item, TableName=self.table, Key=self.KEY,
                         UpdateExpression="SET a" + "[0]" * 32 + " = :v",
                         ExpressionAttributeValues={":v": {"S": "x"}},
                         message="Invalid UpdateExpression: The document path has too many nesting levels; "
                                 "nesting levels: 33")
        self.assertUnchanged()


def too_many_operators(label):
    return "Invalid %s: The expression contains too many operators; operator count: 301" % label


def ored(term, count):
    """count copies of a condition joined by OR: 2 * count - 1 operators."""
    return " OR ".join([term] * count)


class OperatorLimitTest(OneItemTestCase):
    """DynamoDB allows 300 operators and functions in one expression; parentheses
    and spaces do not count, and it reports the count it stopped at."""

    ITEM = {"pk": {"S": "doc"}, "n": {"N": "1"}}
    ONE = {":one": {"N": "1"}}

    def test_a_condition_of_three_hundred_operators_is_taken(self):
        self.ddb.put_item(TableName=self.table, Item={"pk": {"S": "doc"}, "n": {"N": "2"}},
                          ConditionExpression=ored("n = :one", 150), ExpressionAttributeValues=self.ONE)
        self.assertItem(self.table, self.KEY, {"pk": {"S": "doc"}, "n": {"N": "2"}})

    def test_a_condition_of_three_hundred_and_one_is_refused(self):
        self.assertError(VALIDATION, self.ddb.put_item, TableName=self.table, Item={"pk": {"S": "doc"}},
                         ConditionExpression=ored("n = :one", 151), ExpressionAttributeValues=self.ONE,
                         message=too_many_operators("ConditionExpression"))
        self.assertUnchanged()

    def test_nested_parentheses_report_the_count_not_the_depth(self):
        depth = 454  # 909 operators in under 4 KB
        condition = "n<m " + "OR (n<m " * depth + ")" * depth
        self.assertLess(len(condition), 4096)
        self.assertError(VALIDATION, self.ddb.delete_item, TableName=self.table, Key=self.KEY,
                         ConditionExpression=condition, message=too_many_operators("ConditionExpression"))
        self.assertUnchanged()

    def test_a_filter_and_a_key_condition_are_limited_too(self):
        self.assertError(VALIDATION, self.ddb.scan, TableName=self.table,
                         FilterExpression=ored("attribute_exists(n)", 151),
                         message=too_many_operators("FilterExpression"))
        self.assertError(VALIDATION, self.ddb.query, TableName=self.table,
                         KeyConditionExpression="NOT " * 300 + "pk = :pk",
                         ExpressionAttributeValues={":pk": {"S": "doc"}},
                         message=too_many_operators("KeyConditionExpression"))

    def test_an_update_counts_arithmetic_and_functions_not_actions(self):
        one = {":o": {"N": "1"}}
        actions = ["x%d=n+:o" % i for i in range(250)] + ["y%d=if_not_exists(n,:o)" % i for i in range(50)]
        self.ddb.update_item(TableName=self.table, Key=self.KEY, UpdateExpression="SET " + ",".join(actions),
                             ExpressionAttributeValues=one)
        got = self.ddb.get_item(TableName=self.table, Key=self.KEY)["Item"]
        self.assertEqual((got["x249"], got["y49"]), ({"N": "2"}, {"N": "1"}))
        self.before = snapshot(self.ddb, self.table)
        self.assertError(VALIDATION, self.ddb.update_item, TableName=self.table, Key=self.KEY,
                         UpdateExpression="SET " + ",".join(actions + ["z=n-:o"]),
                         ExpressionAttributeValues=one, message=too_many_operators("UpdateExpression"))
        self.assertUnchanged()


class PlaceholderKeysTest(OneItemTestCase):
    """A placeholder is "#" or ":" and letters, digits or underscores, at most
    255 bytes with its prefix; any other key is refused before the expression
    is read."""

    ITEM = {"pk": {"S": "doc"}, "n": {"N": "5"}}

    def test_255_bytes_are_taken_256_refused(self):
        name = "#" + "a" * 254
        got = self.ddb.get_item(TableName=self.table, Key=self.KEY, ProjectionExpression=name,
                                ExpressionAttributeNames={name: "n"})
        self.assertEqual(got["Item"], {"n": {"N": "5"}})
        self.assertError(VALIDATION, self.ddb.get_item, TableName=self.table, Key=self.KEY,
                         ProjectionExpression=name + "a", ExpressionAttributeNames={name + "a": "n"},
                         message="ExpressionAttributeNames contains invalid key: The expression attribute map "
                                 "contains a key that is too long; size of key: 256")
        value = ":" + "v" * 255
        self.assertError(VALIDATION, self.ddb.delete_item, TableName=self.table, Key=self.KEY,
                         ConditionExpression="n = %s" % value, ExpressionAttributeValues={value: {"N": "5"}},
                         message="ExpressionAttributeValues contains invalid key: The expression attribute map "
                                 "contains a key that is too long; size of key: 256")
        self.assertUnchanged()

    def test_a_key_of_another_form_is_a_syntax_error(self):
        for key in ["n", "#", "#a-b", "##a"]:
            self.assertError(VALIDATION, self.ddb.get_item, TableName=self.table, Key=self.KEY,
                             ProjectionExpression="n", ExpressionAttributeNames={key: "n"},
                             message='ExpressionAttributeNames contains invalid key: Syntax error; key: "%s"' % key)
        self.assertError(VALIDATION, self.ddb.update_item, TableName=self.table, Key=self.KEY,
                         UpdateExpression="SET n = :v", ExpressionAttributeValues={"v": {"N": "1"}},
                         message='ExpressionAttributeValues contains invalid key: Syntax error; key: "v"')
        self.assertUnchanged()


class DuplicateTagKeysTest(WireTestCase):

    def test_tag_resource_refuses_a_key_named_twice(self):
        name = create_table(self.ddb)
        self.assertError(VALIDATION, self.ddb.tag_resource, ResourceArn=ARN % name,
                         Tags=[{"Key": "team", "Value": "a"}, {"Key": "team", "Value": "b"}],
                         message="Duplicate Tag Keys provided as input: Duplicate Tag Key found team")
        self.assertEqual(self.ddb.list_tags_of_resource(ResourceArn=ARN % name)["Tags"], [])

    def test_create_table_refuses_a_key_named_twice(self):
        name = table_name()
        self.assertError(VALIDATION, self.ddb.create_table, TableName=name, BillingMode="PAY_PER_REQUEST",
                         KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                         Tags=[{"Key": "team", "Value": "a"}, {"Key": "team", "Value": "a"}],
                         message="Duplicate Tag Keys provided as input: Duplicate Tag Key found team")
        self.assertNotIn(name, self.ddb.list_tables()["TableNames"])


class DuplicateNonKeyAttributesTest(WireTestCase):
    MESSAGE = "One or more parameter values were invalid: Duplicate element in NonKeyAttributes: title"
    INDEX = {"IndexName": "by_owner", "KeySchema": [{"AttributeName": "owner", "KeyType": "HASH"}],
             "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["title", "body", "title"]}}
    DEFS = [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "owner", "AttributeType": "S"}]

    def test_create_table_refuses_them(self):
        name = table_name()
        self.assertError(VALIDATION, self.ddb.create_table, TableName=name, BillingMode="PAY_PER_REQUEST",
                         KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], AttributeDefinitions=self.DEFS,
                         GlobalSecondaryIndexes=[self.INDEX], message=self.MESSAGE)
        self.assertNotIn(name, self.ddb.list_tables()["TableNames"])

    def test_update_table_refuses_them(self):
        name = create_table(self.ddb)
        self.assertError(VALIDATION, self.ddb.update_table, TableName=name, AttributeDefinitions=self.DEFS,
                         GlobalSecondaryIndexUpdates=[{"Create": self.INDEX}], message=self.MESSAGE)
        self.assertNotIn("GlobalSecondaryIndexes", self.ddb.describe_table(TableName=name)["Table"])


class ExpectedValueAndListTest(OneItemTestCase):

    def test_value_and_attribute_value_list_together_are_refused(self):
        for spec in [{"Value": {"S": "doc"}, "ComparisonOperator": "EQ", "AttributeValueList": [{"S": "doc"}]},
                     {"Value": {"S": "doc"}, "AttributeValueList": []}]:
            self.assertError(VALIDATION, self.ddb.delete_item, TableName=self.table, Key=self.KEY,
                             Expected={"pk": spec},
                             message="One or more parameter values were invalid: Value and AttributeValueList "
                                     "cannot be used together for Attribute: pk")
        self.assertUnchanged()
