"""CreateTable, DescribeTable, ListTables and DeleteTable through boto3."""

import datetime
import re

from helpers import (IN_USE, NOT_FOUND, VALIDATION, WireTestCase, create_table, table_name,
                     wait_active, wait_gone)

ARN = re.compile(r"^arn:aws:dynamodb:us-east-1:\d{12}:table/(.+)$")


def by_name(defs):
    return sorted(defs, key=lambda d: d["AttributeName"])


class CreateDescribeTest(WireTestCase):

    def test_pay_per_request_table_is_described_back(self):
        name = table_name("ppr")
        before = datetime.datetime.now(datetime.timezone.utc)
        created = self.ddb.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                       {"AttributeName": "sk", "KeyType": "RANGE"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "sk", "AttributeType": "N"}],
            BillingMode="PAY_PER_REQUEST",
        )["TableDescription"]
        self.assertEqual(created["TableName"], name)
        self.assertIn(created["TableStatus"], ("CREATING", "ACTIVE"))

        table = wait_active(self.ddb, name)
        self.assertEqual(table["TableName"], name)
        self.assertEqual(table["TableStatus"], "ACTIVE")
        self.assertEqual(ARN.match(table["TableArn"]).group(1), name)
        self.assertEqual(table["TableArn"], created["TableArn"])
        self.assertEqual(table["KeySchema"], [{"AttributeName": "pk", "KeyType": "HASH"},
                                              {"AttributeName": "sk", "KeyType": "RANGE"}])
        self.assertEqual(by_name(table["AttributeDefinitions"]),
                         [{"AttributeName": "pk", "AttributeType": "S"},
                          {"AttributeName": "sk", "AttributeType": "N"}])
        self.assertEqual(table["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST")
        self.assertEqual(table["ItemCount"], 0)
        self.assertEqual(table["TableSizeBytes"], 0)
        # An on-demand table reports zero provisioned capacity.
        self.assertEqual(table["ProvisionedThroughput"]["ReadCapacityUnits"], 0)
        self.assertEqual(table["ProvisionedThroughput"]["WriteCapacityUnits"], 0)
        # boto3 parses CreationDateTime (epoch seconds on the wire) into a datetime.
        created_at = table["CreationDateTime"]
        self.assertIsInstance(created_at, datetime.datetime)
        self.assertLess(abs((created_at - before).total_seconds()), 120)
        self.assertNotIn("GlobalSecondaryIndexes", table)
        self.assertNotIn("LocalSecondaryIndexes", table)

    def test_provisioned_table_shows_its_throughput(self):
        name = create_table(self.ddb, hash_key=("id", "N"), BillingMode="PROVISIONED",
                            ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 7})
        table = self.ddb.describe_table(TableName=name)["Table"]
        self.assertEqual(table["ProvisionedThroughput"]["ReadCapacityUnits"], 5)
        self.assertEqual(table["ProvisionedThroughput"]["WriteCapacityUnits"], 7)
        self.assertEqual(table["KeySchema"], [{"AttributeName": "id", "KeyType": "HASH"}])
        self.assertEqual(table["AttributeDefinitions"], [{"AttributeName": "id", "AttributeType": "N"}])
        # AWS may leave BillingModeSummary out for a provisioned table; if present it must say so.
        if "BillingModeSummary" in table:
            self.assertEqual(table["BillingModeSummary"]["BillingMode"], "PROVISIONED")

    def test_provisioned_is_the_default_billing_mode(self):
        name = create_table(self.ddb, ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 2})
        table = self.ddb.describe_table(TableName=name)["Table"]
        self.assertEqual(table["ProvisionedThroughput"]["ReadCapacityUnits"], 1)
        self.assertEqual(table["ProvisionedThroughput"]["WriteCapacityUnits"], 2)
        self.assertNotEqual(table.get("BillingModeSummary", {}).get("BillingMode"), "PAY_PER_REQUEST")

    def test_secondary_indexes_are_described_back(self):
        name = table_name("idx")
        self.ddb.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                       {"AttributeName": "sk", "KeyType": "RANGE"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "sk", "AttributeType": "S"},
                                  {"AttributeName": "lsk", "AttributeType": "N"},
                                  {"AttributeName": "gpk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
            LocalSecondaryIndexes=[{
                "IndexName": "by-lsk",
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                              {"AttributeName": "lsk", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }],
            GlobalSecondaryIndexes=[{
                "IndexName": "by-gpk",
                "KeySchema": [{"AttributeName": "gpk", "KeyType": "HASH"},
                              {"AttributeName": "sk", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["title", "body"]},
            }],
        )
        table = wait_active(self.ddb, name)
        self.assertEqual(len(table["AttributeDefinitions"]), 4)

        [lsi] = table["LocalSecondaryIndexes"]
        self.assertEqual(lsi["IndexName"], "by-lsk")
        self.assertEqual(lsi["KeySchema"], [{"AttributeName": "pk", "KeyType": "HASH"},
                                            {"AttributeName": "lsk", "KeyType": "RANGE"}])
        self.assertEqual(lsi["Projection"]["ProjectionType"], "KEYS_ONLY")
        self.assertEqual(lsi["IndexArn"], table["TableArn"] + "/index/by-lsk")
        self.assertEqual(lsi["ItemCount"], 0)
        self.assertEqual(lsi["IndexSizeBytes"], 0)

        [gsi] = table["GlobalSecondaryIndexes"]
        self.assertEqual(gsi["IndexName"], "by-gpk")
        self.assertEqual(gsi["KeySchema"], [{"AttributeName": "gpk", "KeyType": "HASH"},
                                            {"AttributeName": "sk", "KeyType": "RANGE"}])
        self.assertEqual(gsi["Projection"]["ProjectionType"], "INCLUDE")
        self.assertEqual(sorted(gsi["Projection"]["NonKeyAttributes"]), ["body", "title"])
        self.assertEqual(gsi["IndexStatus"], "ACTIVE")
        self.assertEqual(gsi["IndexArn"], table["TableArn"] + "/index/by-gpk")
        self.assertEqual(gsi["ItemCount"], 0)
        self.assertEqual(gsi["IndexSizeBytes"], 0)

    def test_existing_table_is_refused_and_kept(self):
        name = create_table(self.ddb, hash_key=("pk", "S"))
        self.ddb.put_item(TableName=name, Item={"pk": {"S": "kept"}})
        # AWS answers "Table already exists: <name>"; dynalite sends an empty message.
        self.assertError(IN_USE, self.ddb.create_table, TableName=name,
                         KeySchema=[{"AttributeName": "other", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "other", "AttributeType": "N"}],
                         BillingMode="PAY_PER_REQUEST",
                         contains="Table already exists: " + name)
        table = self.ddb.describe_table(TableName=name)["Table"]
        self.assertEqual(table["KeySchema"], [{"AttributeName": "pk", "KeyType": "HASH"}])
        self.assertItem(name, {"pk": {"S": "kept"}}, {"pk": {"S": "kept"}})

    def test_describe_missing_table(self):
        name = table_name("missing")
        self.assertError(NOT_FOUND, self.ddb.describe_table, TableName=name,
                         message="Requested resource not found: Table: %s not found" % name)


class CreateValidationTest(WireTestCase):
    """Refused table definitions: the error, and no table left behind."""

    def refused(self, contains, **request):
        name = table_name("bad")
        request.setdefault("BillingMode", "PAY_PER_REQUEST")
        self.assertError(VALIDATION, self.ddb.create_table, TableName=name, contains=contains, **request)
        self.assertError(NOT_FOUND, self.ddb.describe_table, TableName=name)

    def test_key_attribute_without_definition(self):
        self.refused(
            "Some index key attributes are not defined in AttributeDefinitions",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                       {"AttributeName": "sk", "KeyType": "RANGE"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "other", "AttributeType": "S"}])

    def test_unused_attribute_definition(self):
        self.refused(
            "Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "extra", "AttributeType": "S"}])

    def test_first_key_must_be_hash(self):
        self.refused(
            "Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
            KeySchema=[{"AttributeName": "pk", "KeyType": "RANGE"},
                       {"AttributeName": "sk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "sk", "AttributeType": "S"}])

    def test_provisioned_needs_throughput(self):
        self.refused(
            "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED",
            BillingMode="PROVISIONED",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])

    def test_pay_per_request_refuses_throughput(self):
        self.refused(
            "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST",
            ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])

    def test_gsi_key_without_definition(self):
        self.refused(
            "Some index key attributes are not defined in AttributeDefinitions",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            GlobalSecondaryIndexes=[{
                "IndexName": "gsi",
                "KeySchema": [{"AttributeName": "nowhere", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }])

    def test_lsi_needs_table_range_key(self):
        self.refused(
            "Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "l", "AttributeType": "S"}],
            LocalSecondaryIndexes=[{
                "IndexName": "lsi",
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                              {"AttributeName": "l", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "ALL"},
            }])

    def test_lsi_must_share_the_hash_key(self):
        self.refused(
            "Index KeySchema does not have the same leading hash key as table KeySchema for index: lsi",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                       {"AttributeName": "sk", "KeyType": "RANGE"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "sk", "AttributeType": "S"},
                                  {"AttributeName": "other", "AttributeType": "S"}],
            LocalSecondaryIndexes=[{
                "IndexName": "lsi",
                "KeySchema": [{"AttributeName": "other", "KeyType": "HASH"},
                              {"AttributeName": "sk", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "ALL"},
            }])

    def test_duplicate_index_name(self):
        gsi = {"KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
               "Projection": {"ProjectionType": "ALL"}}
        self.refused(
            "Duplicate index name: same",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "g", "AttributeType": "S"}],
            GlobalSecondaryIndexes=[dict(gsi, IndexName="same"), dict(gsi, IndexName="same")])

    def test_non_key_attributes_only_with_include(self):
        self.refused(
            "ProjectionType is ALL, but NonKeyAttributes is specified",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "g", "AttributeType": "S"}],
            GlobalSecondaryIndexes=[{
                "IndexName": "gsi",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL", "NonKeyAttributes": ["x"]},
            }])


class ListTablesTest(WireTestCase):

    def make_three(self):
        # One shared random prefix: no other table sorts between these three.
        prefix = table_name("lt")
        names = [prefix + suffix for suffix in ("-a", "-b", "-c")]
        for n in reversed(names):
            create_table(self.ddb, name=n)
        return names

    def test_lists_every_table_in_order_across_pages(self):
        names = self.make_three()
        seen, start, pages = [], None, 0
        while True:
            args = {"Limit": 2}
            if start:
                args["ExclusiveStartTableName"] = start
            page = self.ddb.list_tables(**args)
            pages += 1
            self.assertLessEqual(len(page["TableNames"]), 2)
            seen.extend(page["TableNames"])
            start = page.get("LastEvaluatedTableName")
            if not start:
                break
            # The cursor is the last name of the page it ends.
            self.assertEqual(start, page["TableNames"][-1])
            self.assertLess(pages, 10000)
        self.assertEqual(seen, sorted(seen))
        self.assertEqual(len(seen), len(set(seen)))
        for n in names:
            self.assertIn(n, seen)

    def test_exclusive_start_table_name_and_limit(self):
        a, b, c = self.make_three()
        page = self.ddb.list_tables(ExclusiveStartTableName=a, Limit=1)
        self.assertEqual(page["TableNames"], [b])
        self.assertEqual(page["LastEvaluatedTableName"], b)
        page = self.ddb.list_tables(ExclusiveStartTableName=a, Limit=2)
        self.assertEqual(page["TableNames"], [b, c])

    def test_no_cursor_after_the_last_table(self):
        # No valid table name sorts after 255 z's.
        page = self.ddb.list_tables(ExclusiveStartTableName="z" * 255, Limit=5)
        self.assertEqual(page["TableNames"], [])
        self.assertNotIn("LastEvaluatedTableName", page)

    def test_limit_above_100_is_refused(self):
        self.assertError(VALIDATION, self.ddb.list_tables, Limit=101,
                         contains="Member must have value less than or equal to 100")


class DeleteTableTest(WireTestCase):

    def test_delete_table_removes_it_and_its_items(self):
        name = create_table(self.ddb)
        self.ddb.put_item(TableName=name, Item={"pk": {"S": "x"}})
        desc = self.ddb.delete_table(TableName=name)["TableDescription"]
        self.assertEqual(desc["TableName"], name)
        self.assertIn(desc["TableStatus"], ("DELETING", "ACTIVE"))
        wait_gone(self.ddb, name)
        self.assertNotIn(name, self.ddb.list_tables(ExclusiveStartTableName=name[:-1])["TableNames"])
        self.assertError(NOT_FOUND, self.ddb.get_item, TableName=name, Key={"pk": {"S": "x"}},
                         message="Requested resource not found")
        # The name is free again, and the new table starts empty.
        create_table(self.ddb, name=name)
        self.assertNoItem(name, {"pk": {"S": "x"}})

    def test_delete_missing_table(self):
        name = table_name("missing")
        self.assertError(NOT_FOUND, self.ddb.delete_table, TableName=name,
                         message="Requested resource not found: Table: %s not found" % name)
