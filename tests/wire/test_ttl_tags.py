"""TTL (UpdateTimeToLive, DescribeTimeToLive, expiry by dynemu's clock moved
over the control API), tags (TagResource, UntagResource, ListTagsOfResource
with AWS's limits), DescribeLimits and DescribeEndpoints, through boto3, raw
requests and the AWS CLI."""

import datetime
import functools
import http.client
import json
import time
import unittest
import urllib.parse

from helpers import (ENDPOINT, NOT_FOUND, VALIDATION, WireTestCase, aws, aws_json, create_table, raw_request,
                     table_name)


def S(v):
    return {"S": v}


def N(v):
    return {"N": str(v)}


def control(method, path, body=None):
    """A control API call (/_dynemu/...): the parsed answer."""
    url = urllib.parse.urlparse(ENDPOINT)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        conn.request(method, "/_dynemu/" + path, body=json.dumps(body) if body is not None else None,
                     headers={"Content-Type": "application/json"})
        resp = conn.getresponse()
        data = resp.read()
        if resp.status != 200:
            raise AssertionError("%s %s: %d %s" % (method, path, resp.status, data))
        return json.loads(data)
    finally:
        conn.close()


@functools.lru_cache(maxsize=None)
def clock_route():
    """Whether the control API's clock answers (it arrives with its own issue)."""
    try:
        control("GET", "clock")
        return True
    except AssertionError:
        return False


def clock_now_s():
    if not clock_route():
        return int(time.time())
    now = control("GET", "clock")["now"]
    return int(datetime.datetime.fromisoformat(now.replace("Z", "+00:00")).timestamp())


def needs_clock(test):
    return unittest.skipUnless(clock_route(), "PUT /_dynemu/clock does not answer yet")(test)


class TtlTestCase(WireTestCase):

    def setUp(self):
        super().setUp()
        # A fixed clock, so expiry happens only when a test moves it.
        self.now = clock_now_s()
        if clock_route():
            control("PUT", "clock", {"now": datetime.datetime.fromtimestamp(self.now, datetime.timezone.utc)
                                     .strftime("%Y-%m-%dT%H:%M:%SZ")})
        self.table = create_table(self.ddb, hash_key=("pk", "S"),
                                  AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                                        {"AttributeName": "kind", "AttributeType": "S"}],
                                  GlobalSecondaryIndexes=[{"IndexName": "by_kind",
                                                           "KeySchema": [{"AttributeName": "kind", "KeyType": "HASH"}],
                                                           "Projection": {"ProjectionType": "KEYS_ONLY"}}])

    def tearDown(self):
        if clock_route():
            control("PUT", "clock", {"real": True})

    def enable(self, attribute="expires"):
        return self.ddb.update_time_to_live(TableName=self.table,
                                            TimeToLiveSpecification={"Enabled": True, "AttributeName": attribute})

    def put(self, pk, expires=None):
        item = {"pk": S(pk), "kind": S("k")}
        if expires is not None:
            item["expires"] = expires
        self.ddb.put_item(TableName=self.table, Item=item)

    def visible(self):
        """The keys every read path still answers, each path checked against the others."""
        scanned = sorted(i["pk"]["S"] for i in self.ddb.scan(TableName=self.table)["Items"])
        indexed = sorted(i["pk"]["S"] for i in self.ddb.query(
            TableName=self.table, IndexName="by_kind", KeyConditionExpression="kind = :k",
            ExpressionAttributeValues={":k": S("k")})["Items"])
        got = sorted(pk for pk in ("gone", "later", "forever", "ancient", "text")
                     if "Item" in self.ddb.get_item(TableName=self.table, Key={"pk": S(pk)}))
        batch = self.ddb.batch_get_item(RequestItems={self.table: {"Keys": [
            {"pk": S(pk)} for pk in ("gone", "later", "forever", "ancient", "text")]}})
        batched = sorted(i["pk"]["S"] for i in batch["Responses"][self.table])
        self.assertEqual(scanned, indexed)
        self.assertEqual(scanned, got)
        self.assertEqual(scanned, batched)
        return scanned


class TimeToLiveTest(TtlTestCase):

    def test_a_dump_keeps_ttl_and_loading_it_enables_ttl(self):
        self.enable()
        dumped = raw_request(method="GET", path="/_dynemu/fixtures").json()
        request = [t for t in dumped["tables"] if t["TableName"] == self.table][0]
        self.assertEqual(request["TimeToLiveSpecification"], {"AttributeName": "expires", "Enabled": True})
        request["TableName"] = copy = table_name()
        loaded = raw_request(method="POST", path="/_dynemu/fixtures", body={"tables": [request]})
        self.assertEqual(loaded.status, 200, loaded.body)
        desc = self.ddb.describe_time_to_live(TableName=copy)["TimeToLiveDescription"]
        self.assertEqual(desc, {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires"})

    def test_describe_before_and_after_enabling(self):
        desc = self.ddb.describe_time_to_live(TableName=self.table)["TimeToLiveDescription"]
        self.assertEqual(desc, {"TimeToLiveStatus": "DISABLED"})
        spec = self.enable()["TimeToLiveSpecification"]
        self.assertEqual(spec, {"Enabled": True, "AttributeName": "expires"})
        desc = self.ddb.describe_time_to_live(TableName=self.table)["TimeToLiveDescription"]
        self.assertEqual(desc, {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires"})
        spec = self.ddb.update_time_to_live(TableName=self.table, TimeToLiveSpecification={
            "Enabled": False, "AttributeName": "expires"})["TimeToLiveSpecification"]
        self.assertEqual(spec, {"Enabled": False, "AttributeName": "expires"})
        desc = self.ddb.describe_time_to_live(TableName=self.table)["TimeToLiveDescription"]
        self.assertEqual(desc, {"TimeToLiveStatus": "DISABLED"})

    def put_all(self):
        self.enable()
        self.put("gone", N(self.now - 10))
        self.put("later", N(self.now + 100))
        self.put("forever")
        self.put("ancient", N(1000))              # more than five years ago: never expires
        self.put("text", S(str(self.now - 10)))   # not a Number: ignored

    def test_expired_items_vanish_at_once(self):
        self.put_all()
        self.assertEqual(self.visible(), ["ancient", "forever", "later", "text"])

    @needs_clock
    def test_advancing_the_clock_expires_and_deletes(self):
        self.put_all()
        self.assertEqual(self.visible(), ["ancient", "forever", "later", "text"])
        control("PUT", "clock", {"advance_seconds": 200})
        self.assertEqual(self.visible(), ["ancient", "forever", "text"])
        # Deleted, not only hidden: the counts drop too.
        desc = self.ddb.describe_table(TableName=self.table)["Table"]
        self.assertEqual(desc["ItemCount"], 3)
        self.assertEqual(desc["GlobalSecondaryIndexes"][0]["ItemCount"], 3)

    def test_expired_items_do_not_meet_conditions(self):
        self.enable()
        self.put("gone", N(self.now - 1))
        self.ddb.put_item(TableName=self.table, Item={"pk": S("gone")}, ConditionExpression="attribute_not_exists(pk)")

    def test_enabling_expires_items_already_stored(self):
        self.put("gone", N(self.now - 10))
        self.put("later", N(self.now + 100))
        self.assertEqual(self.ddb.scan(TableName=self.table)["Count"], 2)
        self.enable()
        self.assertEqual([i["pk"]["S"] for i in self.ddb.scan(TableName=self.table)["Items"]], ["later"])

    @needs_clock
    def test_disabling_stops_expiry(self):
        self.enable()
        self.put("later", N(self.now + 100))
        self.ddb.update_time_to_live(TableName=self.table,
                                     TimeToLiveSpecification={"Enabled": False, "AttributeName": "expires"})
        control("PUT", "clock", {"advance_seconds": 200})
        self.assertEqual(self.ddb.scan(TableName=self.table)["Count"], 1)

    def test_already_enabled(self):
        self.enable()
        self.assertError(VALIDATION, self.enable, message="TimeToLive is already enabled")
        self.assertError(VALIDATION, self.enable, "other", message="TimeToLive is already enabled")

    def test_already_disabled(self):
        self.assertError(VALIDATION, self.ddb.update_time_to_live, TableName=self.table,
                         TimeToLiveSpecification={"Enabled": False, "AttributeName": "expires"},
                         message="TimeToLive is already disabled")

    def test_missing_table(self):
        self.assertError(NOT_FOUND, self.ddb.update_time_to_live, TableName="no-such-table-here",
                         TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"})
        self.assertError(NOT_FOUND, self.ddb.describe_time_to_live, TableName="no-such-table-here")

    def test_specification_members_are_required(self):
        cases = [
            ({}, "Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null"),
            ({"TimeToLiveSpecification": {"AttributeName": "x"}},
             "Value null at 'timeToLiveSpecification.enabled' failed to satisfy constraint: Member must not be null"),
            ({"TimeToLiveSpecification": {"Enabled": True}},
             "Value null at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must not be null"),
            ({"TimeToLiveSpecification": {"Enabled": True, "AttributeName": "a" * 256}},
             "at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length less "
             "than or equal to 255"),
        ]
        for extra, fragment in cases:
            resp = raw_request("UpdateTimeToLive", dict(extra, TableName=self.table))
            self.assertEqual(resp.status, 400, extra)
            self.assertIn("ValidationException", resp.json()["__type"])
            self.assertIn(fragment, resp.json()["message"])
        self.assertEqual(self.ddb.describe_time_to_live(TableName=self.table)["TimeToLiveDescription"]["TimeToLiveStatus"],
                         "DISABLED")

    def test_cli(self):
        aws_json(self, "update-time-to-live", "--table-name", self.table,
                 "--time-to-live-specification", "Enabled=true,AttributeName=expires")
        out = aws_json(self, "describe-time-to-live", "--table-name", self.table)
        self.assertEqual(out["TimeToLiveDescription"]["TimeToLiveStatus"], "ENABLED")


class TagTest(WireTestCase):

    def setUp(self):
        super().setUp()
        self.table = create_table(self.ddb, hash_key=("pk", "S"))
        self.arn = self.ddb.describe_table(TableName=self.table)["Table"]["TableArn"]

    def tags(self):
        return self.ddb.list_tags_of_resource(ResourceArn=self.arn)["Tags"]

    def tag(self, **pairs):
        self.ddb.tag_resource(ResourceArn=self.arn, Tags=[{"Key": k, "Value": v} for k, v in pairs.items()])

    def raw_tag(self, tags, arn=None):
        return raw_request("TagResource", {"ResourceArn": arn or self.arn, "Tags": tags})

    def test_tag_list_untag(self):
        self.assertEqual(self.tags(), [])
        self.tag(env="test", team="db")
        self.tag(env="prod", owner="ann")
        self.assertEqual(self.tags(), [{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "db"},
                                       {"Key": "owner", "Value": "ann"}])
        self.ddb.untag_resource(ResourceArn=self.arn, TagKeys=["team", "not-there"])
        self.assertEqual(self.tags(), [{"Key": "env", "Value": "prod"}, {"Key": "owner", "Value": "ann"}])

    def test_create_table_takes_tags(self):
        name = create_table(self.ddb, Tags=[{"Key": "env", "Value": "ci"}])
        arn = self.ddb.describe_table(TableName=name)["Table"]["TableArn"]
        self.assertEqual(self.ddb.list_tags_of_resource(ResourceArn=arn)["Tags"], [{"Key": "env", "Value": "ci"}])
        dumped = raw_request(method="GET", path="/_dynemu/fixtures").json()
        request = [t for t in dumped["tables"] if t["TableName"] == name][0]
        self.assertEqual(request["Tags"], [{"Key": "env", "Value": "ci"}])  # so a reload keeps them
        bad = table_name()
        self.assertError(VALIDATION, self.ddb.create_table, TableName=bad, BillingMode="PAY_PER_REQUEST",
                         KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                         Tags=[{"Key": "aws:reserved", "Value": "x"}], contains="reserved")
        self.assertNotIn(bad, self.ddb.list_tables()["TableNames"])

    def test_empty_value_and_allowed_characters(self):
        self.ddb.tag_resource(ResourceArn=self.arn, Tags=[{"Key": "a b+-=._:/", "Value": ""}, {"Key": "7", "Value": " "}])
        self.assertEqual(len(self.tags()), 2)

    def test_fifty_tags_at_most(self):
        self.ddb.tag_resource(ResourceArn=self.arn, Tags=[{"Key": "k%d" % i, "Value": "v"} for i in range(30)])
        self.ddb.tag_resource(ResourceArn=self.arn, Tags=[{"Key": "k%d" % i, "Value": "w"} for i in range(20, 50)])
        self.assertEqual(len(self.tags()), 50)
        self.assertError(VALIDATION, self.ddb.tag_resource, ResourceArn=self.arn, Tags=[{"Key": "one-more", "Value": "v"}],
                         contains="The number of tags exceeds the limit of 50")
        self.assertEqual(len(self.tags()), 50)

    def test_key_and_value_lengths(self):
        self.tag(**{"k" * 128: "v" * 256})
        resp = self.raw_tag([{"Key": "k" * 129, "Value": "v"}])
        self.assertEqual(resp.status, 400)
        self.assertIn("at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal "
                      "to 128", resp.json()["message"])
        resp = self.raw_tag([{"Key": "k", "Value": "v" * 257}])
        self.assertIn("Member must have length less than or equal to 256", resp.json()["message"])
        resp = self.raw_tag([{"Key": "", "Value": "v"}])
        self.assertIn("Member must have length greater than or equal to 1", resp.json()["message"])
        resp = self.raw_tag([{"Key": "dog"}])
        self.assertIn("Value null at 'tags.1.member.value'", resp.json()["message"])

    def test_forbidden_characters_and_reserved_prefix(self):
        for bad in ("hi!", "d%g", '"hello"'):
            self.assertError(VALIDATION, self.ddb.tag_resource, ResourceArn=self.arn, Tags=[{"Key": bad, "Value": "v"}])
            self.assertError(VALIDATION, self.ddb.tag_resource, ResourceArn=self.arn, Tags=[{"Key": "k", "Value": bad}])
        self.assertError(VALIDATION, self.ddb.tag_resource, ResourceArn=self.arn,
                         Tags=[{"Key": "aws:cloudformation:stack", "Value": "v"}], contains="aws:")
        self.assertEqual(self.tags(), [])

    def test_tags_are_required(self):
        resp = raw_request("TagResource", {"ResourceArn": self.arn})
        self.assertEqual(resp.json()["message"],
                         "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null")
        self.assertEqual(self.raw_tag([]).json()["message"], "Atleast one Tag needs to be provided as Input.")
        resp = raw_request("UntagResource", {"ResourceArn": self.arn, "TagKeys": []})
        self.assertEqual(resp.json()["message"], "Atleast one Tag Key needs to be provided as Input.")

    def test_malformed_and_index_arns(self):
        for arn in ("I_do_not_exist", "arn:not/a/good/format", self.arn + "/index/by_x"):
            self.assertError(VALIDATION, self.ddb.tag_resource, ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}],
                             message="Invalid TableArn: Invalid ResourceArn provided as input " + arn)
            self.assertError(VALIDATION, self.ddb.list_tags_of_resource, ResourceArn=arn)

    def test_arn_of_a_missing_table(self):
        arn = self.arn + "x"
        self.assertError(NOT_FOUND, self.ddb.tag_resource, ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}],
                         message="Requested resource not found: ResourcArn: %s not found" % arn)
        self.assertError(NOT_FOUND, self.ddb.list_tags_of_resource, ResourceArn=arn)
        self.assertError(NOT_FOUND, self.ddb.untag_resource, ResourceArn=arn, TagKeys=["k"],
                         message="Requested resource not found")

    def test_tags_go_with_the_table(self):
        self.tag(env="test")
        self.ddb.delete_table(TableName=self.table)
        create_table(self.ddb, name=self.table, hash_key=("pk", "S"))
        self.assertEqual(self.tags(), [])

    def test_cli(self):
        aws_json(self, "tag-resource", "--resource-arn", self.arn, "--tags", "Key=env,Value=ci")
        out = aws_json(self, "list-tags-of-resource", "--resource-arn", self.arn)
        self.assertEqual(out["Tags"], [{"Key": "env", "Value": "ci"}])
        aws_json(self, "untag-resource", "--resource-arn", self.arn, "--tag-keys", "env")
        self.assertEqual(self.tags(), [])
        proc = aws("tag-resource", "--resource-arn", "arn:aws:dynamodb:us-east-1:000000000000:table/missing-table",
                   "--tags", "Key=a,Value=b")
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("ResourceNotFoundException", proc.stderr)


class LimitsAndEndpointsTest(WireTestCase):

    def test_describe_limits(self):
        limits = self.ddb.describe_limits()
        self.assertEqual({k: limits[k] for k in ("AccountMaxReadCapacityUnits", "AccountMaxWriteCapacityUnits",
                                                  "TableMaxReadCapacityUnits", "TableMaxWriteCapacityUnits")},
                         {"AccountMaxReadCapacityUnits": 80000, "AccountMaxWriteCapacityUnits": 80000,
                          "TableMaxReadCapacityUnits": 40000, "TableMaxWriteCapacityUnits": 40000})

    def test_describe_endpoints(self):
        endpoints = self.ddb.describe_endpoints()["Endpoints"]
        self.assertEqual(len(endpoints), 1)
        self.assertEqual(endpoints[0]["CachePeriodInMinutes"], 1440)
        self.assertTrue(endpoints[0]["Address"])

    def test_cli(self):
        self.assertEqual(aws_json(self, "describe-limits")["TableMaxReadCapacityUnits"], 40000)
        self.assertEqual(len(aws_json(self, "describe-endpoints")["Endpoints"]), 1)
