"""ReturnConsumedCapacity and ReturnItemCollectionMetrics, as DynamoDB rounds
them: reads in 4 KB units (eventually consistent ones at half price), writes
in 1 KB units, at least one unit; writes cost again for each index entry they
change; a Query or Scan is charged on the total size it read."""

from helpers import VALIDATION, WireTestCase, create_table, s



def blob(kb):
    """A string that makes an item of a little over kb kilobytes."""
    return s("x" * (kb * 1024))


class SingleItemCapacityTest(WireTestCase):
    def setUp(self):
        super().setUp()
        self.table = create_table(self.ddb)

    def consumed(self, response):
        c = response["ConsumedCapacity"]
        self.assertEqual(c["TableName"], self.table)
        return c["CapacityUnits"]

    def test_get_item_reads_in_4kb_units_halved_when_eventually_consistent(self):
        self.ddb.put_item(TableName=self.table, Item={"pk": s("big"), "d": blob(5)})
        key = {"pk": s("big")}
        strong = self.ddb.get_item(TableName=self.table, Key=key, ConsistentRead=True, ReturnConsumedCapacity="TOTAL")
        eventual = self.ddb.get_item(TableName=self.table, Key=key, ReturnConsumedCapacity="TOTAL")
        self.assertEqual(self.consumed(strong), 2.0)
        self.assertEqual(self.consumed(eventual), 1.0)

    def test_a_missing_item_costs_the_minimum(self):
        r = self.ddb.get_item(TableName=self.table, Key={"pk": s("none")}, ReturnConsumedCapacity="TOTAL")
        self.assertEqual(self.consumed(r), 0.5)

    def test_writes_cost_1kb_units_of_the_larger_of_old_and_new(self):
        r = self.ddb.put_item(TableName=self.table, Item={"pk": s("a"), "d": blob(2)}, ReturnConsumedCapacity="TOTAL")
        self.assertEqual(self.consumed(r), 3.0)  # a little over 2 KB
        r = self.ddb.put_item(TableName=self.table, Item={"pk": s("a")}, ReturnConsumedCapacity="TOTAL")
        self.assertEqual(self.consumed(r), 3.0)  # the replaced item was the larger
        r = self.ddb.delete_item(TableName=self.table, Key={"pk": s("a")}, ReturnConsumedCapacity="TOTAL")
        self.assertEqual(self.consumed(r), 1.0)
        r = self.ddb.update_item(TableName=self.table, Key={"pk": s("b")}, UpdateExpression="SET d = :d",
                                 ExpressionAttributeValues={":d": blob(1)}, ReturnConsumedCapacity="TOTAL")
        self.assertEqual(self.consumed(r), 2.0)

    def test_none_and_absent_answer_no_capacity(self):
        r = self.ddb.put_item(TableName=self.table, Item={"pk": s("a")}, ReturnConsumedCapacity="NONE")
        self.assertNotIn("ConsumedCapacity", r)
        r = self.ddb.get_item(TableName=self.table, Key={"pk": s("a")})
        self.assertNotIn("ConsumedCapacity", r)

    def test_an_unknown_mode_is_refused(self):
        self.assertError(VALIDATION, self.ddb.get_item, TableName=self.table, Key={"pk": s("a")},
                         ReturnConsumedCapacity="ALL",
                         message="1 validation error detected: Value 'ALL' at 'returnConsumedCapacity' failed to "
                                 "satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]")


class ReadCapacityTest(WireTestCase):
    def setUp(self):
        super().setUp()
        self.table = create_table(self.ddb, range_key=("sk", "S"))
        for i in range(3):
            self.ddb.put_item(TableName=self.table, Item={"pk": s("p"), "sk": s("%d" % i), "d": blob(3)})

    def test_query_is_charged_on_the_total_size_read(self):
        r = self.ddb.query(TableName=self.table, KeyConditionExpression="pk = :p",
                           ExpressionAttributeValues={":p": s("p")}, ConsistentRead=True,
                           ReturnConsumedCapacity="TOTAL")
        self.assertEqual(r["ConsumedCapacity"]["CapacityUnits"], 3.0)  # ~9 KB in all

    def test_scan_counts_filtered_out_items_too(self):
        r = self.ddb.scan(TableName=self.table, FilterExpression="sk = :none",
                          ExpressionAttributeValues={":none": s("none")}, ReturnConsumedCapacity="TOTAL")
        self.assertEqual(r["Count"], 0)
        self.assertEqual(r["ConsumedCapacity"]["CapacityUnits"], 1.5)

    def test_batch_get_charges_each_table_and_each_item(self):
        keys = [{"pk": s("p"), "sk": s("%d" % i)} for i in range(3)] + [{"pk": s("p"), "sk": s("missing")}]
        r = self.ddb.batch_get_item(RequestItems={self.table: {"Keys": keys, "ConsistentRead": True}},
                                    ReturnConsumedCapacity="TOTAL")
        self.assertEqual(r["ConsumedCapacity"], [{"TableName": self.table, "CapacityUnits": 4.0}])


class IndexCapacityTest(WireTestCase):
    def setUp(self):
        super().setUp()
        self.table = create_table(
            self.ddb,
            range_key=("sk", "S"),
            AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("pk", "sk", "g", "l")],
            GlobalSecondaryIndexes=[{"IndexName": "byg", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                     "Projection": {"ProjectionType": "ALL"}}],
            LocalSecondaryIndexes=[{"IndexName": "byl", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                                      {"AttributeName": "l", "KeyType": "RANGE"}],
                                    "Projection": {"ProjectionType": "KEYS_ONLY"}}],
            BillingMode="PAY_PER_REQUEST")

    def test_indexes_mode_splits_table_and_index_writes(self):
        r = self.ddb.put_item(TableName=self.table, Item={"pk": s("a"), "sk": s("1"), "g": s("x")},
                              ReturnConsumedCapacity="INDEXES")
        c = r["ConsumedCapacity"]
        self.assertEqual(c["CapacityUnits"], 2.0)
        self.assertEqual(c["Table"], {"CapacityUnits": 1.0})
        self.assertEqual(c["GlobalSecondaryIndexes"], {"byg": {"CapacityUnits": 1.0}})
        self.assertNotIn("LocalSecondaryIndexes", c)  # no "l": not in the sparse LSI

    def test_an_item_leaving_an_index_is_charged_there(self):
        self.ddb.put_item(TableName=self.table, Item={"pk": s("a"), "sk": s("1"), "g": s("x"), "l": s("y")})
        r = self.ddb.delete_item(TableName=self.table, Key={"pk": s("a"), "sk": s("1")},
                                 ReturnConsumedCapacity="INDEXES")
        c = r["ConsumedCapacity"]
        self.assertEqual(c["CapacityUnits"], 3.0)
        self.assertEqual(c["LocalSecondaryIndexes"], {"byl": {"CapacityUnits": 1.0}})

    def test_a_query_of_an_index_is_charged_to_the_index(self):
        self.ddb.put_item(TableName=self.table, Item={"pk": s("a"), "sk": s("1"), "g": s("x")})
        r = self.ddb.query(TableName=self.table, IndexName="byg", KeyConditionExpression="g = :g",
                           ExpressionAttributeValues={":g": s("x")}, ReturnConsumedCapacity="INDEXES")
        c = r["ConsumedCapacity"]
        self.assertEqual(c["CapacityUnits"], 0.5)
        self.assertEqual(c["GlobalSecondaryIndexes"], {"byg": {"CapacityUnits": 0.5}})

    def test_item_collection_metrics_on_a_table_with_a_local_index(self):
        r = self.ddb.put_item(TableName=self.table, Item={"pk": s("a"), "sk": s("1"), "l": s("y")},
                              ReturnItemCollectionMetrics="SIZE")
        m = r["ItemCollectionMetrics"]
        self.assertEqual(m["ItemCollectionKey"], {"pk": s("a")})
        self.assertEqual(m["SizeEstimateRangeGB"], [0.0, 1.0])

    def test_batch_write_reports_per_table(self):
        r = self.ddb.batch_write_item(
            RequestItems={self.table: [{"PutRequest": {"Item": {"pk": s("a"), "sk": s(str(i))}}} for i in range(3)]},
            ReturnConsumedCapacity="TOTAL", ReturnItemCollectionMetrics="SIZE")
        self.assertEqual(r["ConsumedCapacity"], [{"TableName": self.table, "CapacityUnits": 3.0}])
        self.assertEqual(len(r["ItemCollectionMetrics"][self.table]), 3)


class TransactionCapacityTest(WireTestCase):
    def setUp(self):
        super().setUp()
        self.a = create_table(self.ddb)
        self.b = create_table(self.ddb)

    def test_transactions_cost_twice_per_table(self):
        r = self.ddb.transact_write_items(
            TransactItems=[{"Put": {"TableName": self.a, "Item": {"pk": s("1")}}},
                           {"Put": {"TableName": self.a, "Item": {"pk": s("2"), "d": blob(1)}}},
                           {"Delete": {"TableName": self.b, "Key": {"pk": s("none")}}}],
            ReturnConsumedCapacity="TOTAL")
        self.assertEqual(r["ConsumedCapacity"], [{"TableName": self.a, "CapacityUnits": 6.0},
                                                 {"TableName": self.b, "CapacityUnits": 2.0}])
        r = self.ddb.transact_get_items(TransactItems=[{"Get": {"TableName": self.a, "Key": {"pk": s("1")}}}],
                                        ReturnConsumedCapacity="TOTAL")
        self.assertEqual(r["ConsumedCapacity"], [{"TableName": self.a, "CapacityUnits": 2.0}])
