"""DynamoDB Streams over the wire: enabling and disabling (CreateTable,
UpdateTable, DescribeTable, DeleteTable), the Streams API through boto3's
dynamodbstreams client and the AWS CLI, records of every write path (PutItem,
UpdateItem, DeleteItem, BatchWriteItem, TransactWriteItems, TTL expiry,
association calls, fixture loads), iterator types, retention by the clock,
snapshots and reset, byte-identical replay, and bad input.

Each test class starts its own build/dynemu with --clock (the clock is moved
here), so the shared server of run.py is never touched."""

import json
import os
import subprocess
import unittest

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from test_state import Dynemu

CLOCK = "2026-01-01T00:00:00Z"
ACCESS_KEY = "AKIDSTREAMS"
NEW_AND_OLD = "NEW_AND_OLD_IMAGES"
# As the Streams API's Identity shape spells it (a Lambda event spells it "type"/"principalId").
SERVICE_IDENTITY = {"Type": "Service", "PrincipalId": "dynamodb.amazonaws.com"}


def S(v):
    return {"S": v}


def N(v):
    return {"N": str(v)}


class StreamsServer:
    """A dynemu process with its DynamoDB and Streams clients."""

    def __init__(self, *args):
        self.server = Dynemu("--clock", CLOCK, *args)
        kw = dict(endpoint_url=self.server.endpoint, region_name="us-east-1", aws_access_key_id=ACCESS_KEY,
                  aws_secret_access_key="secret", config=Config(retries={"max_attempts": 1}))
        self.ddb = boto3.client("dynamodb", **kw)
        self.streams = boto3.client("dynamodbstreams", **kw)

    def stop(self):
        return self.server.stop()


class StreamsTestCase(unittest.TestCase):
    SERVER_ARGS = ()
    counter = 0

    @classmethod
    def setUpClass(cls):
        cls.srv = StreamsServer(*cls.SERVER_ARGS)
        cls.ddb, cls.streams = cls.srv.ddb, cls.srv.streams

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()

    def name(self, prefix="str"):
        StreamsTestCase.counter += 1
        return "%s-%d" % (prefix, StreamsTestCase.counter)

    def table(self, view=NEW_AND_OLD, range_key=False, **extra):
        name = self.name()
        schema = [{"AttributeName": "pk", "KeyType": "HASH"}]
        defs = [{"AttributeName": "pk", "AttributeType": "S"}]
        if range_key:
            schema.append({"AttributeName": "sk", "KeyType": "RANGE"})
            defs.append({"AttributeName": "sk", "AttributeType": "N"})
        if view:
            extra["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": view}
        d = self.ddb.create_table(TableName=name, KeySchema=schema, AttributeDefinitions=defs,
                                  BillingMode="PAY_PER_REQUEST", **extra)["TableDescription"]
        return name, d.get("LatestStreamArn")

    def control(self, method, path, body=None):
        status, answer = self.srv.server.control(method, path, body)
        self.assertEqual(status, 200, answer)
        return answer

    def records(self, table, since=None):
        """The table's records through /_dynemu/streams/TABLE/records."""
        path = "streams/%s/records" % table + ("?since=%s" % since if since else "")
        return self.control("GET", path)["records"]

    def shard_id(self, arn):
        return self.streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]

    def iterator(self, arn, kind="TRIM_HORIZON", **extra):
        return self.streams.get_shard_iterator(StreamArn=arn, ShardId=self.shard_id(arn), ShardIteratorType=kind,
                                               **extra)["ShardIterator"]

    def read_all(self, arn, kind="TRIM_HORIZON", **extra):
        """Every record from an iterator on, following NextShardIterator until a page is empty."""
        it, out = self.iterator(arn, kind, **extra), []
        while it:
            page = self.streams.get_records(ShardIterator=it)
            out.extend(page["Records"])
            if not page["Records"]:
                break
            it = page.get("NextShardIterator")
        return out

    def events(self, records):
        return [r["eventName"] for r in records]

    def assertClientError(self, code, call, *args, contains=None, **kwargs):
        with self.assertRaises(ClientError) as ctx:
            call(*args, **kwargs)
        err = ctx.exception.response["Error"]
        self.assertEqual(err["Code"], code, err)
        if contains:
            self.assertIn(contains, err["Message"])
        return err


class EnablingTest(StreamsTestCase):
    def test_create_table_with_a_stream_is_described(self):
        name, arn = self.table(view="NEW_IMAGE")
        t = self.ddb.describe_table(TableName=name)["Table"]
        self.assertEqual(t["StreamSpecification"], {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
        self.assertEqual(t["LatestStreamLabel"], "2026-01-01T00:00:00.000")
        self.assertEqual(arn, "arn:aws:dynamodb:us-east-1:000000000000:table/%s/stream/2026-01-01T00:00:00.000" % name)
        self.assertEqual(t["LatestStreamArn"], arn)

    def test_a_table_without_a_stream_shows_none(self):
        name, arn = self.table(view=None)
        self.assertIsNone(arn)
        t = self.ddb.describe_table(TableName=name)["Table"]
        for member in ("StreamSpecification", "LatestStreamArn", "LatestStreamLabel"):
            self.assertNotIn(member, t)

    def test_create_table_refuses_inconsistent_specifications(self):
        schema = dict(KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                      AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                      BillingMode="PAY_PER_REQUEST")
        cases = [
            ({"StreamEnabled": True}, "Table is being created with a stream enabled, UpdateViewType is required"),
            ({"StreamEnabled": False, "StreamViewType": "KEYS_ONLY"},
             "Table is being created with a stream disabled, UpdateViewType should not be specified"),
        ]
        for spec, message in cases:
            name = self.name()
            self.assertClientError("ValidationException", self.ddb.create_table, TableName=name,
                                   StreamSpecification=spec, contains=message, **schema)
            self.assertClientError("ResourceNotFoundException", self.ddb.describe_table, TableName=name)

    def test_bad_view_type_and_missing_enabled_are_constraint_errors(self):
        name = self.name()
        body = {"TableName": name, "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                "BillingMode": "PAY_PER_REQUEST", "StreamSpecification": {"StreamViewType": "EVERYTHING"}}
        status, data = self.srv.server.dynamodb("CreateTable", body, access_key=ACCESS_KEY)
        self.assertEqual(status, 400)
        err = json.loads(data)
        self.assertTrue(err["__type"].endswith("ValidationException"))
        self.assertEqual(err["message"],
                         "2 validation errors detected: Value null at 'streamSpecification.streamEnabled' failed to "
                         "satisfy constraint: Member must not be null; Value 'EVERYTHING' at "
                         "'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy enum "
                         "value set: [NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY]")

    def test_update_table_enables_disables_and_refuses_as_aws(self):
        name, _ = self.table(view=None)
        self.assertClientError("ValidationException", self.ddb.update_table, TableName=name,
                               StreamSpecification={"StreamEnabled": False},
                               contains="Table has no stream to disable: TableName: %s" % name)
        self.assertClientError("ValidationException", self.ddb.update_table, TableName=name,
                               StreamSpecification={"StreamEnabled": True},
                               contains="If stream is being enabled then UpdateViewType is required")
        first = self.ddb.update_table(TableName=name, StreamSpecification={
            "StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})["TableDescription"]["LatestStreamArn"]
        for view in ("KEYS_ONLY", "NEW_IMAGE"):  # the same again, or a change of view type in place
            self.assertClientError("ValidationException", self.ddb.update_table, TableName=name,
                                   StreamSpecification={"StreamEnabled": True, "StreamViewType": view},
                                   contains="Table already has an enabled stream: TableName: %s" % name)
        self.assertClientError("ValidationException", self.ddb.update_table, TableName=name,
                               StreamSpecification={"StreamEnabled": False, "StreamViewType": "KEYS_ONLY"},
                               contains="If stream is being disabled, then UpdateViewType must not be specified")
        self.ddb.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})
        t = self.ddb.describe_table(TableName=name)["Table"]
        self.assertNotIn("StreamSpecification", t)
        self.assertEqual(t["LatestStreamArn"], first)  # AWS keeps naming the last stream
        self.assertEqual(self.streams.describe_stream(StreamArn=first)["StreamDescription"]["StreamStatus"],
                         "DISABLED")
        # A re-enable makes a new stream (a new label, even with the clock fixed).
        second = self.ddb.update_table(TableName=name, StreamSpecification={
            "StreamEnabled": True, "StreamViewType": NEW_AND_OLD})["TableDescription"]["LatestStreamArn"]
        self.assertNotEqual(second, first)
        self.assertTrue(second.endswith("/stream/2026-01-01T00:00:00.001"), second)
        listed = [s["StreamArn"] for s in self.streams.list_streams(TableName=name)["Streams"]]
        self.assertEqual(listed, [first, second])

    def test_stream_changes_do_not_combine_with_index_changes(self):
        name, _ = self.table(view=None)
        self.assertClientError("ValidationException", self.ddb.update_table, TableName=name,
                               StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"},
                               AttributeDefinitions=[{"AttributeName": "g", "AttributeType": "S"}],
                               GlobalSecondaryIndexUpdates=[{"Create": {
                                   "IndexName": "gsi1", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                   "Projection": {"ProjectionType": "ALL"}}}],
                               contains="You cannot create or delete index while changing stream status")
        self.assertNotIn("LatestStreamArn", self.ddb.describe_table(TableName=name)["Table"])

    def test_delete_table_leaves_its_stream_readable_and_disabled(self):
        name, arn = self.table()
        self.ddb.put_item(TableName=name, Item={"pk": S("a")})
        self.ddb.delete_table(TableName=name)
        d = self.streams.describe_stream(StreamArn=arn)["StreamDescription"]
        self.assertEqual(d["StreamStatus"], "DISABLED")
        self.assertIn("EndingSequenceNumber", d["Shards"][0]["SequenceNumberRange"])
        self.assertEqual(self.events(self.read_all(arn)), ["INSERT"])
        self.assertIn(arn, [s["StreamArn"] for s in self.streams.list_streams()["Streams"]])


class RecordsTest(StreamsTestCase):
    def test_put_update_delete_as_aws_writes_them(self):
        name, arn = self.table()
        self.ddb.put_item(TableName=name, Item={"pk": S("a"), "v": N(1)})
        self.ddb.update_item(TableName=name, Key={"pk": S("a")}, UpdateExpression="SET v = :x",
                             ExpressionAttributeValues={":x": N(2)})
        self.ddb.delete_item(TableName=name, Key={"pk": S("a")})
        recs = self.read_all(arn)
        self.assertEqual(self.events(recs), ["INSERT", "MODIFY", "REMOVE"])
        first = recs[0]
        self.assertEqual(first["eventVersion"], "1.1")
        self.assertEqual(first["eventSource"], "aws:dynamodb")
        self.assertEqual(first["awsRegion"], "us-east-1")
        self.assertRegex(first["eventID"], r"^[0-9a-f]{32}$")
        self.assertEqual(len({r["eventID"] for r in recs}), 3)
        body = first["dynamodb"]
        self.assertEqual(body["Keys"], {"pk": S("a")})
        self.assertEqual(body["NewImage"], {"pk": S("a"), "v": N(1)})
        self.assertNotIn("OldImage", body)
        self.assertEqual(body["StreamViewType"], NEW_AND_OLD)
        self.assertEqual(body["ApproximateCreationDateTime"].year, 2026)
        self.assertGreater(body["SizeBytes"], 0)
        self.assertEqual(recs[1]["dynamodb"]["OldImage"], {"pk": S("a"), "v": N(1)})
        self.assertEqual(recs[1]["dynamodb"]["NewImage"], {"pk": S("a"), "v": N(2)})
        self.assertEqual(recs[2]["dynamodb"]["OldImage"], {"pk": S("a"), "v": N(2)})
        self.assertNotIn("NewImage", recs[2]["dynamodb"])
        seqs = [r["dynamodb"]["SequenceNumber"] for r in recs]
        self.assertTrue(all(len(q) == 21 and q.isdigit() for q in seqs), seqs)
        self.assertEqual(seqs, sorted(seqs, key=int))
        self.assertEqual(len(set(seqs)), 3)

    def test_each_view_type_carries_its_images(self):
        expected = {"KEYS_ONLY": (False, False), "NEW_IMAGE": (True, False), "OLD_IMAGE": (False, True),
                    NEW_AND_OLD: (True, True)}
        for view, (new, old) in expected.items():
            name, arn = self.table(view=view, range_key=True)
            self.ddb.put_item(TableName=name, Item={"pk": S("a"), "sk": N(1), "v": S("x")})
            self.ddb.put_item(TableName=name, Item={"pk": S("a"), "sk": N(1), "v": S("y")})
            rec = self.read_all(arn)[1]["dynamodb"]
            self.assertEqual(rec["StreamViewType"], view)
            self.assertEqual(rec["Keys"], {"pk": S("a"), "sk": N(1)})
            self.assertEqual("NewImage" in rec, new, view)
            self.assertEqual("OldImage" in rec, old, view)

    def test_writes_that_change_nothing_or_fail_write_no_record(self):
        name, arn = self.table()
        self.ddb.put_item(TableName=name, Item={"pk": S("a"), "v": N(1)})
        self.ddb.put_item(TableName=name, Item={"pk": S("a"), "v": N(1)})  # identical: no record on AWS
        self.ddb.update_item(TableName=name, Key={"pk": S("a")}, UpdateExpression="SET v = :x",
                             ExpressionAttributeValues={":x": N(1)})
        self.ddb.delete_item(TableName=name, Key={"pk": S("nobody")})
        self.assertClientError("ConditionalCheckFailedException", self.ddb.put_item, TableName=name,
                               Item={"pk": S("a"), "v": N(9)}, ConditionExpression="attribute_not_exists(pk)")
        self.assertClientError("TransactionCanceledException", self.ddb.transact_write_items, TransactItems=[
            {"Put": {"TableName": name, "Item": {"pk": S("b")}}},
            {"ConditionCheck": {"TableName": name, "Key": {"pk": S("a")}, "ConditionExpression": "v = :nine",
                                "ExpressionAttributeValues": {":nine": N(9)}}}])
        self.assertEqual(self.events(self.records(name)), ["INSERT"])

    def test_batch_and_transaction_writes_are_recorded_in_order(self):
        name, arn = self.table()
        self.ddb.batch_write_item(RequestItems={name: [
            {"PutRequest": {"Item": {"pk": S("a")}}}, {"PutRequest": {"Item": {"pk": S("b")}}}]})
        self.ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": name, "Item": {"pk": S("c")}}},
            {"Update": {"TableName": name, "Key": {"pk": S("a")}, "UpdateExpression": "SET w = :one",
                        "ExpressionAttributeValues": {":one": N(1)}}},
            {"Delete": {"TableName": name, "Key": {"pk": S("b")}}}])
        self.ddb.batch_write_item(RequestItems={name: [{"DeleteRequest": {"Key": {"pk": S("c")}}}]})
        recs = self.records(name)
        got = [(r["eventName"], r["dynamodb"]["Keys"]["pk"]["S"]) for r in recs]
        self.assertEqual(got, [("INSERT", "a"), ("INSERT", "b"), ("INSERT", "c"), ("MODIFY", "a"),
                               ("REMOVE", "b"), ("REMOVE", "c")])
        via_api = self.read_all(self.ddb.describe_table(TableName=name)["Table"]["LatestStreamArn"])
        self.assertEqual([(r["eventID"], r["dynamodb"]["SequenceNumber"]) for r in recs],
                         [(r["eventID"], r["dynamodb"]["SequenceNumber"]) for r in via_api])

    def test_ttl_expiry_is_a_remove_by_the_service(self):
        name, arn = self.table()
        self.ddb.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": True,
                                                                                 "AttributeName": "exp"})
        now = self.control("GET", "clock")["now"]
        self.ddb.put_item(TableName=name, Item={"pk": S("a"), "exp": N(1767225600 + 60)})
        self.ddb.put_item(TableName=name, Item={"pk": S("b")})
        self.control("PUT", "clock", {"advance_seconds": 120})
        try:
            recs = self.read_all(arn)
        finally:
            self.control("PUT", "clock", {"now": now})
        self.assertEqual(self.events(recs), ["INSERT", "INSERT", "REMOVE"])
        self.assertEqual(recs[2]["userIdentity"], SERVICE_IDENTITY)
        self.assertEqual(recs[2]["dynamodb"]["Keys"], {"pk": S("a")})
        self.assertNotIn("userIdentity", recs[0])

    def test_association_calls_and_fixture_loads_are_streamed(self):
        users, _ = self.table()
        posts, _ = self.table()
        self.control("POST", "associations", {"table": users, "has_many": "posts", "target": posts,
                                              "foreign_key": "user_id", "ids_attribute": "posts_ids"})
        self.control("POST", "fixtures", {"items": {users: [{"pk": S("bob")}], posts: [{"pk": S("p1")}]}})
        self.control("POST", "associations/call", {"op": "add", "table": users, "id": "bob",
                                                   "association": "posts", "ids": ["p1"]})
        u = self.records(users)
        self.assertEqual(self.events(u), ["INSERT", "MODIFY"])
        self.assertEqual(u[1]["dynamodb"]["NewImage"]["posts_ids"], {"SS": ["p1"]})
        p = self.records(posts)
        self.assertEqual(self.events(p), ["INSERT", "MODIFY"])
        self.assertEqual(p[1]["dynamodb"]["NewImage"]["user_id"], S("bob"))
        since = self.records(users)[0]["dynamodb"]["SequenceNumber"]
        self.assertEqual(self.events(self.records(users, since=since)), ["MODIFY"])


class IteratorTest(StreamsTestCase):
    def setUp(self):
        self.table_name, self.arn = self.table()
        for k in ("a", "b", "c"):
            self.ddb.put_item(TableName=self.table_name, Item={"pk": S(k)})
        self.seqs = [r["dynamodb"]["SequenceNumber"] for r in self.records(self.table_name)]

    def keys(self, recs):
        return [r["dynamodb"]["Keys"]["pk"]["S"] for r in recs]

    def test_iterator_types(self):
        self.assertEqual(self.keys(self.read_all(self.arn)), ["a", "b", "c"])
        self.assertEqual(self.keys(self.read_all(self.arn, "AT_SEQUENCE_NUMBER", SequenceNumber=self.seqs[1])),
                         ["b", "c"])
        self.assertEqual(self.keys(self.read_all(self.arn, "AFTER_SEQUENCE_NUMBER", SequenceNumber=self.seqs[1])),
                         ["c"])
        latest = self.iterator(self.arn, "LATEST")
        self.assertEqual(self.streams.get_records(ShardIterator=latest)["Records"], [])
        self.ddb.put_item(TableName=self.table_name, Item={"pk": S("d")})
        self.assertEqual(self.keys(self.streams.get_records(ShardIterator=latest)["Records"]), ["d"])

    def test_limit_and_next_iterator_page_through(self):
        it = self.iterator(self.arn)
        pages = []
        for _ in range(3):
            page = self.streams.get_records(ShardIterator=it, Limit=2)
            pages.append(self.keys(page["Records"]))
            it = page["NextShardIterator"]
        self.assertEqual(pages, [["a", "b"], ["c"], []])

    def test_a_closed_shard_ends_with_no_next_iterator(self):
        self.ddb.update_table(TableName=self.table_name, StreamSpecification={"StreamEnabled": False})
        page = self.streams.get_records(ShardIterator=self.iterator(self.arn))
        self.assertEqual(self.keys(page["Records"]), ["a", "b", "c"])
        self.assertNotIn("NextShardIterator", page)
        shard = self.streams.describe_stream(StreamArn=self.arn)["StreamDescription"]["Shards"][0]
        self.assertEqual(shard["SequenceNumberRange"]["EndingSequenceNumber"], self.seqs[-1])

    def test_forged_and_expired_iterators_are_refused(self):
        it = self.iterator(self.arn)
        tail = it[-1]
        forged = it[:-1] + ("A" if tail != "A" else "B")
        self.assertClientError("ValidationException", self.streams.get_records, ShardIterator=forged,
                               contains="Invalid ShardIterator")
        other_name, other_arn = self.table()
        crossed = other_arn + it[len(self.arn):]  # this stream's seal on another stream's name
        self.assertClientError("ValidationException", self.streams.get_records, ShardIterator=crossed)
        self.assertClientError("ValidationException", self.streams.get_records, ShardIterator="garbage")
        now = self.control("GET", "clock")["now"]
        self.control("PUT", "clock", {"advance_seconds": 16 * 60})
        try:
            self.assertClientError("ExpiredIteratorException", self.streams.get_records, ShardIterator=it,
                                   contains="Iterator expired")
        finally:
            self.control("PUT", "clock", {"now": now})

    def test_retention_trims_after_24_hours_by_the_clock(self):
        now = self.control("GET", "clock")["now"]
        self.control("PUT", "clock", {"advance_seconds": 23 * 3600})
        try:
            self.ddb.put_item(TableName=self.table_name, Item={"pk": S("late")})
            self.control("PUT", "clock", {"advance_seconds": 2 * 3600})
            self.assertEqual(self.keys(self.read_all(self.arn)), ["late"])
            self.assertClientError("TrimmedDataAccessException", self.streams.get_shard_iterator,
                                   StreamArn=self.arn, ShardId=self.shard_id(self.arn),
                                   ShardIteratorType="AT_SEQUENCE_NUMBER", SequenceNumber=self.seqs[0])
            self.assertEqual(self.keys(self.records(self.table_name)), ["late"])
        finally:
            self.control("PUT", "clock", {"now": now})

    def test_bad_parameters_are_refused_as_aws_does(self):
        shard = self.shard_id(self.arn)
        self.assertClientError("ValidationException", self.streams.get_shard_iterator, StreamArn=self.arn,
                               ShardId=shard, ShardIteratorType="AT_SEQUENCE_NUMBER",
                               contains="SequenceNumber is required")
        self.assertClientError("ValidationException", self.streams.get_shard_iterator, StreamArn=self.arn,
                               ShardId=shard, ShardIteratorType="AT_SEQUENCE_NUMBER",
                               SequenceNumber="9" * 21, contains="Invalid SequenceNumber")
        self.assertClientError("ResourceNotFoundException", self.streams.get_shard_iterator, StreamArn=self.arn,
                               ShardId="shardId-00000000000000000000-00000000", ShardIteratorType="LATEST")
        missing = self.arn.replace(self.table_name, "no-such-table")
        self.assertClientError("ResourceNotFoundException", self.streams.describe_stream, StreamArn=missing,
                               contains="Stream: %s not found" % missing)
        self.assertClientError("ResourceNotFoundException", self.streams.list_streams, TableName="no-such-table")
        # botocore checks Limit's range itself, so these go raw.
        for op, body, message in [
            ("GetRecords", {"ShardIterator": "x", "Limit": 1001},
             "1 validation error detected: Value '1001' at 'limit' failed to satisfy constraint: Member must have "
             "value less than or equal to 1000"),
            ("ListStreams", {"Limit": 0},
             "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have "
             "value greater than or equal to 1"),
            ("GetShardIterator", {"StreamArn": "short", "ShardIteratorType": "SOMEWHERE"},
             "3 validation errors detected: Value 'short' at 'streamArn' failed to satisfy constraint: Member must "
             "have length greater than or equal to 37; Value null at 'shardId' failed to satisfy constraint: Member "
             "must not be null; Value 'SOMEWHERE' at 'shardIteratorType' failed to satisfy constraint: Member must "
             "satisfy enum value set: [TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]"),
        ]:
            status, data = self.srv.server.request("POST", "/", json.dumps(body), {
                "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "DynamoDBStreams_20120810." + op,
                "X-Amz-Date": "20260101T000000Z", "Authorization": "AWS4-HMAC-SHA256 Credential=%s/20260101/us-east-1/dynamodb/aws4_request, "
                                 "SignedHeaders=host, Signature=00" % ACCESS_KEY})
            self.assertEqual(status, 400, data)
            # The same violations; their order follows the shape of the request, which AWS's
            # recordings do not show for the Streams operations.
            got = json.loads(data)["message"]
            head, _, rest = message.partition(": ")
            self.assertTrue(got.startswith(head + ": "), got)
            self.assertEqual(sorted(got.partition(": ")[2].split("; ")), sorted(rest.split("; ")))

    def test_streams_operations_belong_to_their_own_target(self):
        status, data = self.srv.server.dynamodb("ListStreams", {}, access_key=ACCESS_KEY)
        self.assertEqual(status, 400)
        self.assertTrue(json.loads(data)["__type"].endswith("UnknownOperationException"))

    def test_list_streams_pages(self):
        names = [self.table()[1] for _ in range(3)]
        listed, start = [], None
        while True:
            args = {"Limit": 2}
            if start:
                args["ExclusiveStartStreamArn"] = start
            page = self.streams.list_streams(**args)
            listed.extend(s["StreamArn"] for s in page["Streams"])
            start = page.get("LastEvaluatedStreamArn")
            if not start:
                break
        for arn in names + [self.arn]:
            self.assertEqual(listed.count(arn), 1)


class CliTest(StreamsTestCase):
    def aws(self, *args):
        env = {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp"), "AWS_ACCESS_KEY_ID": ACCESS_KEY,
               "AWS_SECRET_ACCESS_KEY": "secret", "AWS_DEFAULT_REGION": "us-east-1", "AWS_PAGER": "",
               "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"}
        proc = subprocess.run(["/usr/bin/aws", "--endpoint-url", self.srv.server.endpoint, "--output", "json"]
                              + list(args), env=env, capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)

    def test_the_cli_reads_a_stream(self):
        name, arn = self.table(view="KEYS_ONLY")
        self.ddb.put_item(TableName=name, Item={"pk": S("cli")})
        listed = self.aws("dynamodbstreams", "list-streams", "--table-name", name)["Streams"]
        self.assertEqual([s["StreamArn"] for s in listed], [arn])
        shard = self.aws("dynamodbstreams", "describe-stream", "--stream-arn", arn)["StreamDescription"]["Shards"][0]
        it = self.aws("dynamodbstreams", "get-shard-iterator", "--stream-arn", arn, "--shard-id", shard["ShardId"],
                      "--shard-iterator-type", "TRIM_HORIZON")["ShardIterator"]
        recs = self.aws("dynamodbstreams", "get-records", "--shard-iterator", it)["Records"]
        self.assertEqual([(r["eventName"], r["dynamodb"]["Keys"]) for r in recs], [("INSERT", {"pk": S("cli")})])


class StateTest(unittest.TestCase):
    """Snapshots, reset and replay each need a server of their own."""

    FIXTURE = {"tables": [{"TableName": "seeded", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                           "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                           "BillingMode": "PAY_PER_REQUEST",
                           "StreamSpecification": {"StreamEnabled": True, "StreamViewType": NEW_AND_OLD}}],
               "items": {"seeded": [{"pk": S("seed-1")}, {"pk": S("seed-2")}]}}

    def setUp(self):
        import tempfile
        fd, self.path = tempfile.mkstemp(suffix=".json")
        with os.fdopen(fd, "w") as f:
            json.dump(self.FIXTURE, f)
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            self.assertEqual(s.stop(), 0)
        os.unlink(self.path)

    def start(self):
        srv = StreamsServer("--fixtures", self.path)
        self.servers.append(srv)
        return srv

    def records(self, srv, table="seeded"):
        status, answer = srv.server.control("GET", "streams/%s/records" % table)
        self.assertEqual(status, 200, answer)
        return answer["records"]

    def test_seeded_streams_start_empty_and_reset_empties_them(self):
        srv = self.start()
        self.assertEqual(self.records(srv), [])
        srv.ddb.put_item(TableName="seeded", Item={"pk": S("x")})
        self.assertEqual(len(self.records(srv)), 1)
        self.assertEqual(srv.server.control("POST", "reset")[0], 200)
        self.assertEqual(self.records(srv), [])
        arn = srv.ddb.describe_table(TableName="seeded")["Table"]["LatestStreamArn"]
        it = srv.streams.get_shard_iterator(StreamArn=arn, ShardId=srv.streams.describe_stream(
            StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"], ShardIteratorType="TRIM_HORIZON")
        self.assertEqual(srv.streams.get_records(ShardIterator=it["ShardIterator"])["Records"], [])

    def test_snapshots_keep_their_records(self):
        srv = self.start()
        srv.ddb.put_item(TableName="seeded", Item={"pk": S("before")})
        self.assertEqual(srv.server.control("POST", "snapshots/one")[0], 200)
        srv.ddb.put_item(TableName="seeded", Item={"pk": S("after")})
        self.assertEqual(len(self.records(srv)), 2)
        self.assertEqual(srv.server.control("POST", "snapshots/one/restore")[0], 200)
        recs = self.records(srv)
        self.assertEqual([r["dynamodb"]["Keys"]["pk"]["S"] for r in recs], ["before"])

    def test_the_dump_keeps_the_stream_setting(self):
        srv = self.start()
        dump = json.loads(srv.server.dump())
        self.assertEqual(dump["tables"][0]["StreamSpecification"],
                         {"StreamEnabled": True, "StreamViewType": NEW_AND_OLD})

    def test_two_runs_of_the_same_requests_answer_the_same_bytes(self):
        answers = []
        for _ in range(2):
            srv = self.start()
            srv.ddb.put_item(TableName="seeded", Item={"pk": S("x"), "v": N(1)})
            srv.ddb.delete_item(TableName="seeded", Key={"pk": S("seed-1")})
            status, data = srv.server.request("GET", "/_dynemu/streams/seeded/records")
            self.assertEqual(status, 200)
            d = srv.streams.describe_stream(StreamArn=srv.ddb.describe_table(
                TableName="seeded")["Table"]["LatestStreamArn"])["StreamDescription"]
            answers.append((data, d["StreamArn"], d["Shards"]))
            self.assertEqual(self.servers.pop().stop(), 0)
        self.assertEqual(answers[0], answers[1])
        self.assertEqual(len(json.loads(answers[0][0])["records"]), 2)


if __name__ == "__main__":
    unittest.main()
