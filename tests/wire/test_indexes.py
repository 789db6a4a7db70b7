"""Secondary indexes through boto3 and the AWS CLI: GSIs and LSIs kept in step
with PutItem, UpdateItem, DeleteItem and BatchWriteItem; sparse indexes;
KEYS_ONLY / INCLUDE / ALL projections; Query and Scan with IndexName and
their pagination keys; AWS's errors for index reads and index key values;
UpdateTable (billing, throughput, GSI create with backfill, GSI delete) and
index counts in DescribeTable."""


from helpers import NOT_FOUND, VALIDATION, WireTestCase, aws, aws_json, create_table, raw_request

LIMIT = "LimitExceededException"


def S(v):
    return {"S": v}


def N(v):
    return {"N": str(v)}


def gsi(name, hash_key, range_key=None, projection="ALL", non_key=None, throughput=None):
    keys = [{"AttributeName": hash_key, "KeyType": "HASH"}]
    if range_key:
        keys.append({"AttributeName": range_key, "KeyType": "RANGE"})
    proj = {"ProjectionType": projection}
    if non_key:
        proj["NonKeyAttributes"] = non_key
    spec = {"IndexName": name, "KeySchema": keys, "Projection": proj}
    if throughput:
        spec["ProvisionedThroughput"] = {"ReadCapacityUnits": throughput[0], "WriteCapacityUnits": throughput[1]}
    return spec


def defs(*pairs):
    return [{"AttributeName": n, "AttributeType": t} for n, t in pairs]


class IndexTestCase(WireTestCase):
    """A table {pk S, sk S} with GSIs on status (KEYS_ONLY), on (owner, score)
    (INCLUDE title) and on (owner) ALL, and an LSI on (pk, rank) KEYS_ONLY."""

    def setUp(self):
        super().setUp()
        self.table = create_table(
            self.ddb, hash_key=("pk", "S"), range_key=("sk", "S"),
            AttributeDefinitions=defs(("pk", "S"), ("sk", "S"), ("status", "S"), ("owner", "S"), ("score", "N"),
                                      ("rank", "N")),
            GlobalSecondaryIndexes=[
                gsi("by_status", "status", projection="KEYS_ONLY"),
                gsi("by_owner_score", "owner", "score", projection="INCLUDE", non_key=["title"]),
                gsi("by_owner", "owner"),
            ],
            LocalSecondaryIndexes=[gsi("by_rank", "pk", "rank", projection="KEYS_ONLY")],
        )

    def put(self, pk, sk, **attrs):
        item = {"pk": S(pk), "sk": S(sk)}
        item.update(attrs)
        self.ddb.put_item(TableName=self.table, Item=item)
        return item

    def query_index(self, index, condition, values, **kwargs):
        return self.ddb.query(TableName=self.table, IndexName=index, KeyConditionExpression=condition,
                              ExpressionAttributeValues=values, **kwargs)

    def owner_items(self, owner, **kwargs):
        return self.query_index("by_owner_score", "#o = :o", {":o": S(owner)},
                                ExpressionAttributeNames={"#o": "owner"}, **kwargs)["Items"]


class MaintenanceTest(IndexTestCase):

    def test_put_is_queryable_through_the_gsi(self):
        self.put("a", "1", owner=S("ann"), score=N(5), title=S("t1"), body=S("b1"))
        items = self.owner_items("ann")
        self.assertEqual(items, [{"pk": S("a"), "sk": S("1"), "owner": S("ann"), "score": N(5), "title": S("t1")}])

    def test_gsi_orders_by_sort_key_then_table_key(self):
        self.put("b", "1", owner=S("ann"), score=N(2))
        self.put("a", "2", owner=S("ann"), score=N(2))
        self.put("a", "1", owner=S("ann"), score=N(2))
        self.put("c", "1", owner=S("ann"), score=N(1))
        self.put("d", "1", owner=S("bob"), score=N(0))
        keys = [(i["score"]["N"], i["pk"]["S"], i["sk"]["S"]) for i in self.owner_items("ann")]
        self.assertEqual(keys, [("1", "c", "1"), ("2", "a", "1"), ("2", "a", "2"), ("2", "b", "1")])
        back = [(i["pk"]["S"], i["sk"]["S"]) for i in self.owner_items("ann", ScanIndexForward=False)]
        self.assertEqual(back, [("b", "1"), ("a", "2"), ("a", "1"), ("c", "1")])

    def test_replacing_moves_the_entry(self):
        self.put("a", "1", owner=S("ann"), score=N(1))
        self.put("a", "1", owner=S("bob"), score=N(1))
        self.assertEqual(self.owner_items("ann"), [])
        self.assertEqual(len(self.owner_items("bob")), 1)

    def test_update_item_keeps_the_index_in_step(self):
        self.put("a", "1", owner=S("ann"), score=N(1))
        self.ddb.update_item(TableName=self.table, Key={"pk": S("a"), "sk": S("1")},
                             UpdateExpression="SET #o = :o, score = score + :d",
                             ExpressionAttributeNames={"#o": "owner"}, ExpressionAttributeValues={":o": S("bob"), ":d": N(4)})
        self.assertEqual(self.owner_items("ann"), [])
        self.assertEqual([i["score"] for i in self.owner_items("bob")], [N(5)])
        self.ddb.update_item(TableName=self.table, Key={"pk": S("a"), "sk": S("1")}, UpdateExpression="REMOVE score")
        self.assertEqual(self.owner_items("bob"), [])

    def test_delete_item_removes_the_entry(self):
        self.put("a", "1", owner=S("ann"), score=N(1), status=S("open"))
        self.ddb.delete_item(TableName=self.table, Key={"pk": S("a"), "sk": S("1")})
        self.assertEqual(self.owner_items("ann"), [])
        self.assertEqual(self.ddb.scan(TableName=self.table, IndexName="by_status")["Count"], 0)

    def test_batch_write_item_keeps_the_index_in_step(self):
        self.put("z", "1", owner=S("ann"), score=N(9))
        self.ddb.batch_write_item(RequestItems={self.table: [
            {"PutRequest": {"Item": {"pk": S("a"), "sk": S(str(i)), "owner": S("ann"), "score": N(i)}}} for i in range(5)
        ] + [{"DeleteRequest": {"Key": {"pk": S("z"), "sk": S("1")}}}]})
        self.assertEqual([i["score"]["N"] for i in self.owner_items("ann")], ["0", "1", "2", "3", "4"])

    def test_sparse_index_leaves_out_items_without_its_keys(self):
        self.put("a", "1", owner=S("ann"))               # no score: not in by_owner_score
        self.put("a", "2", owner=S("ann"), score=N(3))
        self.put("a", "3", title=S("no owner"))
        self.assertEqual(len(self.owner_items("ann")), 1)
        scanned = self.ddb.scan(TableName=self.table, IndexName="by_owner")
        self.assertEqual(scanned["Count"], 2)
        self.assertEqual(self.ddb.scan(TableName=self.table)["Count"], 3)

    def test_describe_table_counts_index_items_and_bytes(self):
        self.put("a", "1", owner=S("ann"), score=N(1), status=S("open"), rank=N(1))
        self.put("a", "2", owner=S("ann"), body=S("x" * 100))
        desc = self.ddb.describe_table(TableName=self.table)["Table"]
        gsis = {g["IndexName"]: g for g in desc["GlobalSecondaryIndexes"]}
        self.assertEqual(gsis["by_owner"]["ItemCount"], 2)
        self.assertEqual(gsis["by_status"]["ItemCount"], 1)
        self.assertEqual(gsis["by_owner_score"]["ItemCount"], 1)
        self.assertEqual(gsis["by_owner"]["IndexSizeBytes"], desc["TableSizeBytes"])
        self.assertLess(gsis["by_status"]["IndexSizeBytes"], gsis["by_owner"]["IndexSizeBytes"])
        self.assertEqual(gsis["by_status"]["IndexStatus"], "ACTIVE")
        lsi = desc["LocalSecondaryIndexes"][0]
        self.assertEqual((lsi["IndexName"], lsi["ItemCount"]), ("by_rank", 1))


class ProjectionTest(IndexTestCase):

    def setUp(self):
        super().setUp()
        self.put("a", "1", owner=S("ann"), score=N(1), status=S("open"), rank=N(7), title=S("t"), body=S("b"))

    def test_keys_only_gives_table_and_index_keys(self):
        items = self.query_index("by_status", "#s = :s", {":s": S("open")}, ExpressionAttributeNames={"#s": "status"})["Items"]
        self.assertEqual(items, [{"pk": S("a"), "sk": S("1"), "status": S("open")}])

    def test_include_adds_the_listed_attributes(self):
        self.assertEqual(self.owner_items("ann"),
                         [{"pk": S("a"), "sk": S("1"), "owner": S("ann"), "score": N(1), "title": S("t")}])

    def test_all_gives_the_whole_item(self):
        items = self.query_index("by_owner", "#o = :o", {":o": S("ann")}, ExpressionAttributeNames={"#o": "owner"})["Items"]
        self.assertEqual(set(items[0]), {"pk", "sk", "owner", "score", "status", "rank", "title", "body"})

    def test_lsi_gives_its_projection_by_default(self):
        items = self.query_index("by_rank", "pk = :p", {":p": S("a")})["Items"]
        self.assertEqual(items, [{"pk": S("a"), "sk": S("1"), "rank": N(7)}])

    def test_lsi_fetches_unprojected_attributes_from_the_table(self):
        items = self.query_index("by_rank", "pk = :p", {":p": S("a")}, Select="ALL_ATTRIBUTES")["Items"]
        self.assertEqual(items[0]["body"], S("b"))
        items = self.query_index("by_rank", "pk = :p", {":p": S("a")}, ProjectionExpression="body, #r",
                                 ExpressionAttributeNames={"#r": "rank"})["Items"]
        self.assertEqual(items, [{"body": S("b"), "rank": N(7)}])

    def test_gsi_projection_expression_of_projected_attributes(self):
        items = self.owner_items("ann", ProjectionExpression="title, pk")
        self.assertEqual(items, [{"title": S("t"), "pk": S("a")}])

    def test_select_count_on_an_index(self):
        resp = self.query_index("by_status", "#s = :s", {":s": S("open")}, ExpressionAttributeNames={"#s": "status"},
                                Select="COUNT")
        self.assertEqual((resp["Count"], "Items" in resp), (1, False))

    def test_all_projected_attributes_is_allowed_on_an_index(self):
        items = self.query_index("by_status", "#s = :s", {":s": S("open")}, ExpressionAttributeNames={"#s": "status"},
                                 Select="ALL_PROJECTED_ATTRIBUTES")["Items"]
        self.assertEqual(len(items), 1)


class PaginationTest(IndexTestCase):

    def setUp(self):
        super().setUp()
        for i in range(7):
            self.put("p%d" % (i % 3), "s%d" % i, owner=S("ann"), score=N(i % 2), status=S("open"))

    def test_query_pages_carry_table_and_index_keys(self):
        first = self.query_index("by_owner_score", "#o = :o", {":o": S("ann")}, ExpressionAttributeNames={"#o": "owner"},
                                 Limit=3)
        self.assertEqual(set(first["LastEvaluatedKey"]), {"pk", "sk", "owner", "score"})
        seen, start = [], None
        while True:
            kwargs = {"Limit": 2}
            if start:
                kwargs["ExclusiveStartKey"] = start
            page = self.query_index("by_owner_score", "#o = :o", {":o": S("ann")},
                                    ExpressionAttributeNames={"#o": "owner"}, **kwargs)
            seen += [(i["pk"]["S"], i["sk"]["S"]) for i in page["Items"]]
            start = page.get("LastEvaluatedKey")
            if not start:
                break
        everything = [(i["pk"]["S"], i["sk"]["S"]) for i in self.owner_items("ann")]
        self.assertEqual(seen, everything)
        self.assertEqual(len(set(seen)), 7)

    def test_scan_pages_over_a_gsi_with_repeated_keys(self):
        seen, start = [], None
        while True:
            kwargs = {"TableName": self.table, "IndexName": "by_status", "Limit": 2}
            if start:
                kwargs["ExclusiveStartKey"] = start
            page = self.ddb.scan(**kwargs)
            seen += [(i["pk"]["S"], i["sk"]["S"]) for i in page["Items"]]
            start = page.get("LastEvaluatedKey")
            if start:
                self.assertEqual(set(start), {"pk", "sk", "status"})
            else:
                break
        self.assertEqual(len(seen), 7)
        self.assertEqual(len(set(seen)), 7)

    def test_parallel_scan_of_an_index_covers_it_once(self):
        seen = []
        for segment in range(3):
            page = self.ddb.scan(TableName=self.table, IndexName="by_owner", Segment=segment, TotalSegments=3)
            seen += [(i["pk"]["S"], i["sk"]["S"]) for i in page["Items"]]
        self.assertEqual(len(seen), 7)
        self.assertEqual(len(set(seen)), 7)

    def test_lsi_pages(self):
        for i in range(4):
            self.put("q", "s%d" % i, rank=N(10 - i))
        page = self.query_index("by_rank", "pk = :p", {":p": S("q")}, Limit=3)
        self.assertEqual(set(page["LastEvaluatedKey"]), {"pk", "sk", "rank"})
        rest = self.query_index("by_rank", "pk = :p", {":p": S("q")}, ExclusiveStartKey=page["LastEvaluatedKey"])
        ranks = [i["rank"]["N"] for i in page["Items"] + rest["Items"]]
        self.assertEqual(ranks, ["7", "8", "9", "10"])


class IndexReadErrorTest(IndexTestCase):

    def test_unknown_index(self):
        self.assertError(VALIDATION, self.query_index, "nope_index", "pk = :p", {":p": S("a")},
                         message="The table does not have the specified index: nope_index")
        self.assertError(VALIDATION, self.ddb.scan, TableName=self.table, IndexName="nope_index",
                         message="The table does not have the specified index: nope_index")

    def test_missing_table_comes_before_the_index(self):
        self.assertError(NOT_FOUND, self.ddb.scan, TableName="no-such-table-here", IndexName="by_owner")

    def test_consistent_read_on_a_gsi(self):
        message = "Consistent reads are not supported on global secondary indexes"
        self.assertError(VALIDATION, self.owner_items, "ann", ConsistentRead=True, message=message)
        self.assertError(VALIDATION, self.ddb.scan, TableName=self.table, IndexName="by_owner", ConsistentRead=True,
                         message=message)

    def test_consistent_read_on_an_lsi_is_allowed(self):
        self.query_index("by_rank", "pk = :p", {":p": S("a")}, ConsistentRead=True)

    def test_select_all_attributes_on_a_gsi_not_projecting_all(self):
        message = ("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global "
                   "secondary index by_status because its projection type is not ALL")
        self.assertError(VALIDATION, self.ddb.scan, TableName=self.table, IndexName="by_status",
                         Select="ALL_ATTRIBUTES", message=message)
        self.ddb.scan(TableName=self.table, IndexName="by_owner", Select="ALL_ATTRIBUTES")

    def test_projection_of_an_unprojected_attribute_on_a_gsi(self):
        self.assertError(VALIDATION, self.owner_items, "ann", ProjectionExpression="title, body",
                         message="One or more parameter values were invalid: Global secondary index by_owner_score "
                                 "does not project attribute body")
        self.assertError(VALIDATION, self.ddb.scan, TableName=self.table, IndexName="by_status",
                         ProjectionExpression="#b", ExpressionAttributeNames={"#b": "body"},
                         contains="does not project attribute body")
        self.assertError(VALIDATION, self.ddb.scan, TableName=self.table, IndexName="by_status",
                         AttributesToGet=["pk", "body"], contains="does not project attribute body")

    def test_key_condition_on_the_index_keys(self):
        self.assertError(VALIDATION, self.query_index, "by_owner", "pk = :p", {":p": S("a")})

    def test_start_key_must_hold_table_and_index_keys(self):
        self.assertError(VALIDATION, self.owner_items, "ann", ExclusiveStartKey={"pk": S("a"), "sk": S("1")},
                         message="The provided starting key is invalid")
        self.assertError(VALIDATION, self.ddb.scan, TableName=self.table, IndexName="by_status",
                         ExclusiveStartKey={"status": S("open"), "pk": S("a")},
                         message="The provided starting key is invalid")
        self.assertError(VALIDATION, self.ddb.scan, TableName=self.table, IndexName="by_status",
                         ExclusiveStartKey={"status": N(1), "pk": S("a"), "sk": S("1")},
                         message="The provided starting key is invalid: The provided key element does not match the schema")

    def test_index_name_constraints(self):
        self.assertError(VALIDATION, self.ddb.scan, TableName=self.table, IndexName="bad name!",
                         contains="Member must satisfy regular expression pattern")


class IndexKeyValueTest(IndexTestCase):
    """DynamoDB refuses a write whose index key attribute has the wrong type or is empty."""

    def test_wrong_type_for_an_index_key(self):
        self.assertError(VALIDATION, self.put, "a", "1", score=S("high"),
                         message="One or more parameter values were invalid: Type mismatch for Index Key score "
                                 "Expected: N Actual: S IndexName: by_owner_score")
        self.assertNoItem(self.table, {"pk": S("a"), "sk": S("1")})

    def test_empty_string_for_an_index_key(self):
        self.assertError(VALIDATION, self.put, "a", "1", status=S(""),
                         message="One or more parameter values are not valid. A value specified for a secondary index "
                                 "key is not supported. The AttributeValue for a key attribute cannot contain an empty "
                                 "string value. IndexName: by_status, IndexKey: status")

    def test_update_item_to_a_wrong_index_key_type(self):
        self.put("a", "1", owner=S("ann"))
        self.assertError(VALIDATION, self.ddb.update_item, TableName=self.table, Key={"pk": S("a"), "sk": S("1")},
                         UpdateExpression="SET #o = :o", ExpressionAttributeNames={"#o": "owner"},
                         ExpressionAttributeValues={":o": N(1)}, contains="Type mismatch for Index Key owner")

    def test_batch_write_with_a_wrong_index_key_type(self):
        self.assertError(VALIDATION, self.ddb.batch_write_item, RequestItems={self.table: [
            {"PutRequest": {"Item": {"pk": S("a"), "sk": S("1"), "status": S("ok")}}},
            {"PutRequest": {"Item": {"pk": S("a"), "sk": S("2"), "status": N(3)}}},
        ]}, contains="Type mismatch for Index Key status")
        self.assertNoItem(self.table, {"pk": S("a"), "sk": S("1")})


class UpdateTableGsiTest(WireTestCase):

    def setUp(self):
        super().setUp()
        self.table = create_table(self.ddb, hash_key=("pk", "S"))
        for i in range(10):
            self.ddb.put_item(TableName=self.table, Item={"pk": S("p%d" % i), "color": S("red" if i % 2 else "blue"),
                                                          "size": N(i)})
        self.ddb.put_item(TableName=self.table, Item={"pk": S("wrong"), "color": N(7)})
        self.ddb.put_item(TableName=self.table, Item={"pk": S("empty"), "color": S("")})
        self.ddb.put_item(TableName=self.table, Item={"pk": S("none")})

    def create_gsi(self, name="by_color", key="color", **kwargs):
        return self.ddb.update_table(TableName=self.table, AttributeDefinitions=defs((key, "S")),
                                     GlobalSecondaryIndexUpdates=[{"Create": gsi(name, key, **kwargs)}])

    def test_create_backfills_and_skips_unindexable_items(self):
        desc = self.create_gsi()["TableDescription"]
        self.assertEqual(desc["GlobalSecondaryIndexes"][0]["IndexStatus"], "ACTIVE")
        self.assertEqual(desc["GlobalSecondaryIndexes"][0]["ItemCount"], 10)
        red = self.ddb.query(TableName=self.table, IndexName="by_color", KeyConditionExpression="color = :c",
                             ExpressionAttributeValues={":c": S("red")})
        self.assertEqual(red["Count"], 5)
        self.assertIn({"AttributeName": "color", "AttributeType": "S"},
                      self.ddb.describe_table(TableName=self.table)["Table"]["AttributeDefinitions"])
        # From now on the index key's type is enforced on writes.
        self.assertError(VALIDATION, self.ddb.put_item, TableName=self.table, Item={"pk": S("x"), "color": N(1)},
                         contains="Type mismatch for Index Key color")

    def test_delete_removes_the_index_and_its_definition(self):
        self.create_gsi()
        self.ddb.update_table(TableName=self.table, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "by_color"}}])
        desc = self.ddb.describe_table(TableName=self.table)["Table"]
        self.assertNotIn("GlobalSecondaryIndexes", desc)
        self.assertEqual(desc["AttributeDefinitions"], [{"AttributeName": "pk", "AttributeType": "S"}])
        self.assertError(VALIDATION, self.ddb.scan, TableName=self.table, IndexName="by_color",
                         message="The table does not have the specified index: by_color")
        self.ddb.put_item(TableName=self.table, Item={"pk": S("x"), "color": N(1)})

    def test_recreate_after_delete(self):
        self.create_gsi()
        self.ddb.update_table(TableName=self.table, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "by_color"}}])
        self.create_gsi(projection="KEYS_ONLY")
        items = self.ddb.scan(TableName=self.table, IndexName="by_color")["Items"]
        self.assertEqual(len(items), 10)
        self.assertEqual(set(items[0]), {"pk", "color"})

    def test_create_with_an_existing_name(self):
        self.create_gsi()
        self.assertError(VALIDATION, self.create_gsi, contains="already exists")

    def test_create_needs_attribute_definitions(self):
        self.assertError(VALIDATION, self.ddb.update_table, TableName=self.table,
                         GlobalSecondaryIndexUpdates=[{"Create": gsi("by_color", "color")}],
                         contains="Some index key attributes are not defined in AttributeDefinitions")

    def test_attributes_cannot_be_redefined(self):
        self.create_gsi()
        self.assertError(VALIDATION, self.ddb.update_table, TableName=self.table,
                         AttributeDefinitions=defs(("color", "N")),
                         GlobalSecondaryIndexUpdates=[{"Create": gsi("by_color_n", "color")}],
                         contains="Attributes cannot be redefined")

    def test_one_index_created_or_deleted_a_call(self):
        self.assertError(LIMIT, self.ddb.update_table, TableName=self.table, AttributeDefinitions=defs(("color", "S")),
                         GlobalSecondaryIndexUpdates=[{"Create": gsi("one_index", "color")},
                                                      {"Create": gsi("two_index", "color")}],
                         message="Subscriber limit exceeded: Only 1 online index can be created or deleted "
                                 "simultaneously per table")

    def test_delete_a_missing_index(self):
        self.assertError(NOT_FOUND, self.ddb.update_table, TableName=self.table,
                         GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "nonexistent"}}])

    def test_update_entry_without_an_action(self):
        self.assertError(VALIDATION, self.ddb.update_table, TableName=self.table, GlobalSecondaryIndexUpdates=[{}],
                         contains="GlobalSecondaryIndexUpdate")

    def test_nothing_to_update(self):
        self.assertError(VALIDATION, self.ddb.update_table, TableName=self.table,
                         contains="At least one of ProvisionedThroughput, BillingMode")

    def test_gsi_throughput_on_an_on_demand_table(self):
        self.assertError(VALIDATION, self.create_gsi, throughput=(1, 1),
                         contains="ProvisionedThroughput should not be specified for index: by_color")

    def test_missing_table(self):
        self.assertError(NOT_FOUND, self.ddb.update_table, TableName="no-such-table-here", BillingMode="PAY_PER_REQUEST")


class UpdateTableBillingTest(WireTestCase):

    def setUp(self):
        super().setUp()
        self.table = create_table(self.ddb, hash_key=("pk", "S"), AttributeDefinitions=defs(("pk", "S"), ("g", "S")),
                                  ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
                                  GlobalSecondaryIndexes=[gsi("by_g_index", "g", throughput=(3, 3))])

    def throughput(self, index=None):
        desc = self.ddb.describe_table(TableName=self.table)["Table"]
        if index:
            desc = {g["IndexName"]: g for g in desc["GlobalSecondaryIndexes"]}[index]
        p = desc["ProvisionedThroughput"]
        return p["ReadCapacityUnits"], p["WriteCapacityUnits"]

    def test_change_throughput(self):
        self.ddb.update_table(TableName=self.table, ProvisionedThroughput={"ReadCapacityUnits": 10, "WriteCapacityUnits": 7})
        self.assertEqual(self.throughput(), (10, 7))

    def test_change_gsi_throughput(self):
        self.ddb.update_table(TableName=self.table, GlobalSecondaryIndexUpdates=[{"Update": {
            "IndexName": "by_g_index", "ProvisionedThroughput": {"ReadCapacityUnits": 8, "WriteCapacityUnits": 9}}}])
        self.assertEqual(self.throughput("by_g_index"), (8, 9))

    def test_unchanged_throughput_is_refused(self):
        self.assertError(VALIDATION, self.ddb.update_table, TableName=self.table,
                         ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
                         contains="The provisioned throughput for the table will not change")

    def test_throughput_below_one(self):
        # boto3 refuses 0 before sending; the raw request shows the server's answer.
        resp = raw_request("UpdateTable", {"TableName": self.table,
                                           "ProvisionedThroughput": {"ReadCapacityUnits": 0, "WriteCapacityUnits": 5}})
        self.assertEqual(resp.status, 400)
        self.assertEqual(resp.json()["message"],
                         "1 validation error detected: Value '0' at 'provisionedThroughput.readCapacityUnits' failed "
                         "to satisfy constraint: Member must have value greater than or equal to 1")

    def test_to_pay_per_request_and_back(self):
        self.ddb.update_table(TableName=self.table, BillingMode="PAY_PER_REQUEST")
        desc = self.ddb.describe_table(TableName=self.table)["Table"]
        self.assertEqual(desc["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST")
        self.assertEqual(self.throughput(), (0, 0))
        self.assertError(VALIDATION, self.ddb.update_table, TableName=self.table, BillingMode="PROVISIONED",
                         ProvisionedThroughput={"ReadCapacityUnits": 2, "WriteCapacityUnits": 2},
                         message="One or more parameter values were invalid: ProvisionedThroughput must be specified "
                                 "for index: by_g_index")
        self.ddb.update_table(TableName=self.table, BillingMode="PROVISIONED",
                              ProvisionedThroughput={"ReadCapacityUnits": 2, "WriteCapacityUnits": 2},
                              GlobalSecondaryIndexUpdates=[{"Update": {"IndexName": "by_g_index", "ProvisionedThroughput":
                                                                       {"ReadCapacityUnits": 4, "WriteCapacityUnits": 4}}}])
        self.assertEqual(self.throughput(), (2, 2))
        self.assertEqual(self.throughput("by_g_index"), (4, 4))

    def test_throughput_with_pay_per_request(self):
        self.assertError(VALIDATION, self.ddb.update_table, TableName=self.table, BillingMode="PAY_PER_REQUEST",
                         ProvisionedThroughput={"ReadCapacityUnits": 2, "WriteCapacityUnits": 2},
                         message="One or more parameter values were invalid: Neither ReadCapacityUnits nor "
                                 "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")

    def test_to_provisioned_needs_throughput(self):
        on_demand = create_table(self.ddb, hash_key=("pk", "S"))
        self.assertError(VALIDATION, self.ddb.update_table, TableName=on_demand, BillingMode="PROVISIONED",
                         message="One or more parameter values were invalid: ProvisionedThroughput must be specified "
                                 "when BillingMode is PROVISIONED")

    def test_create_gsi_on_a_provisioned_table_needs_throughput(self):
        self.assertError(VALIDATION, self.ddb.update_table, TableName=self.table, AttributeDefinitions=defs(("h", "S")),
                         GlobalSecondaryIndexUpdates=[{"Create": gsi("by_h_index", "h")}],
                         message="One or more parameter values were invalid: ProvisionedThroughput must be specified "
                                 "for index: by_h_index")

    def test_billing_mode_enum(self):
        self.assertError(VALIDATION, self.ddb.update_table, TableName=self.table, BillingMode="FREE",
                         contains="Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]")


class CliIndexTest(WireTestCase):

    def test_cli_queries_a_gsi_and_updates_a_table(self):
        name = create_table(self.ddb, hash_key=("pk", "S"), AttributeDefinitions=defs(("pk", "S"), ("email", "S")),
                            GlobalSecondaryIndexes=[gsi("by_email", "email", projection="KEYS_ONLY")])
        self.ddb.put_item(TableName=name, Item={"pk": S("u1"), "email": S("a@example.com"), "age": N(3)})
        out = aws_json(self, "query", "--table-name", name, "--index-name", "by_email",
                       "--key-condition-expression", "email = :e",
                       "--expression-attribute-values", '{":e": {"S": "a@example.com"}}')
        self.assertEqual(out["Items"], [{"pk": S("u1"), "email": S("a@example.com")}])
        out = aws_json(self, "update-table", "--table-name", name, "--attribute-definitions",
                       "AttributeName=age,AttributeType=N", "--global-secondary-index-updates",
                       '[{"Create": {"IndexName": "by_age", "KeySchema": [{"AttributeName": "age", "KeyType": "HASH"}],'
                       ' "Projection": {"ProjectionType": "ALL"}}}]')
        names = sorted(g["IndexName"] for g in out["TableDescription"]["GlobalSecondaryIndexes"])
        self.assertEqual(names, ["by_age", "by_email"])
        out = aws_json(self, "scan", "--table-name", name, "--index-name", "by_age")
        self.assertEqual(out["Count"], 1)
        proc = aws("query", "--table-name", name, "--index-name", "by_email", "--consistent-read",
                   "--key-condition-expression", "email = :e", "--expression-attribute-values", '{":e": {"S": "x"}}')
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("Consistent reads are not supported on global secondary indexes", proc.stderr)
