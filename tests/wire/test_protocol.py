"""The HTTP protocol itself, with raw http.client requests: headers, CRC32,
authentication, malformed requests, error bodies, the health check."""

import json
import zlib

from helpers import WireTestCase, create_table, raw_connection, raw_request, table_name

DYNAMODB = "com.amazonaws.dynamodb.v20120810#"


class ProtocolTest(WireTestCase):

    def assertChecked(self, resp):
        """Every DynamoDB answer carries a request id and the CRC32 of its body."""
        self.assertTrue(resp.headers.get("x-amzn-requestid"), resp.headers)
        self.assertIn("x-amz-crc32", resp.headers)
        self.assertEqual(int(resp.headers["x-amz-crc32"]), zlib.crc32(resp.body))

    def assertErrorBody(self, resp, type_, message=None):
        self.assertEqual(resp.status, 400)
        self.assertChecked(resp)
        body = resp.json()
        self.assertEqual(body["__type"], type_)
        if message is not None:
            self.assertEqual(body["message"], message)
        return body

    def test_health_check(self):
        resp = raw_request(method="GET")
        self.assertEqual(resp.status, 200)

    def test_success_carries_request_id_and_crc32(self):
        resp = raw_request("ListTables", {"Limit": 5})
        self.assertEqual(resp.status, 200)
        self.assertChecked(resp)
        self.assertTrue(resp.headers["content-type"].startswith("application/x-amz-json-1.0"))
        self.assertIsInstance(resp.json()["TableNames"], list)

    def test_request_ids_differ(self):
        ids = {raw_request("ListTables", {}).headers["x-amzn-requestid"] for _ in range(3)}
        self.assertEqual(len(ids), 3)

    def test_crc32_of_a_non_ascii_body(self):
        name = create_table(self.ddb)
        text = "héllo ☃ 😀 \"q\" \\ / \u0001"
        self.ddb.put_item(TableName=name, Item={"pk": {"S": "u"}, "s": {"S": text}})
        resp = raw_request("GetItem", {"TableName": name, "Key": {"pk": {"S": "u"}}})
        self.assertEqual(resp.status, 200)
        self.assertChecked(resp)
        self.assertEqual(resp.json()["Item"]["s"]["S"], text)

    def test_crc32_of_a_large_body(self):
        name = create_table(self.ddb)
        for i in range(3):
            self.ddb.put_item(TableName=name, Item={"pk": {"S": "k%d" % i}, "d": {"S": "y" * 100000}})
        resp = raw_request("Scan", {"TableName": name})
        self.assertEqual(resp.status, 200)
        self.assertChecked(resp)
        self.assertEqual(resp.json()["Count"], 3)
        self.assertGreater(len(resp.body), 300000)

    def test_keep_alive_serves_several_requests(self):
        conn = raw_connection()
        try:
            for _ in range(3):
                resp = raw_request("ListTables", {}, conn=conn)
                self.assertEqual(resp.status, 200)
                self.assertChecked(resp)
        finally:
            conn.close()

    def test_keep_alive_body_buffer_holds_only_the_current_request(self):
        """One connection keeps its body buffer across requests: a request after
        a larger one (past the 64 KB the buffer keeps), and an empty body after
        both, must each be read as sent, not with the earlier bytes behind them."""
        name = create_table(self.ddb)
        conn = raw_connection()
        try:
            big = {"TableName": name, "Item": {"pk": {"S": "big"}, "d": {"S": "x" * 100000}}}
            small = {"TableName": name, "Item": {"pk": {"S": "s"}, "d": {"S": "y"}}}
            self.assertEqual(raw_request("PutItem", big, conn=conn).status, 200)
            self.assertEqual(raw_request("PutItem", small, conn=conn).status, 200)
            resp = raw_request("GetItem", {"TableName": name, "Key": {"pk": {"S": "s"}}}, conn=conn)
            self.assertEqual(resp.json()["Item"], {"pk": {"S": "s"}, "d": {"S": "y"}})
            self.assertErrorBody(raw_request("GetItem", b"", conn=conn),
                                 "com.amazon.coral.service#SerializationException")
            resp = raw_request("GetItem", {"TableName": name, "Key": {"pk": {"S": "big"}}}, conn=conn)
            self.assertEqual(len(resp.json()["Item"]["d"]["S"]), 100000)
        finally:
            conn.close()

    def test_missing_authorization(self):
        resp = raw_request("ListTables", {}, auth=False)
        self.assertEqual(resp.status, 400)
        self.assertChecked(resp)
        body = resp.json()
        self.assertTrue(body["__type"].endswith("#MissingAuthenticationTokenException"), body)
        self.assertEqual(body["message"], "Request is missing Authentication Token")

    def test_missing_authorization_writes_nothing(self):
        name = create_table(self.ddb)
        resp = raw_request("PutItem", {"TableName": name, "Item": {"pk": {"S": "x"}}}, auth=False)
        self.assertEqual(resp.status, 400)
        self.assertNoItem(name, {"pk": {"S": "x"}})

    def test_invalid_json(self):
        for body in (b"{not json", b"[1, 2", b'{"TableName": "x",}'):
            resp = raw_request("ListTables", body)
            self.assertEqual(resp.status, 400, body)
            self.assertChecked(resp)
            self.assertTrue(resp.json()["__type"].endswith("#SerializationException"), resp.body)

    def test_wrong_json_type_for_a_field(self):
        # A number where a string belongs is a serialization error, not a validation one.
        resp = raw_request("DescribeTable", {"TableName": 5})
        self.assertEqual(resp.status, 400)
        self.assertTrue(resp.json()["__type"].endswith("#SerializationException"), resp.body)

    def test_invalid_json_writes_nothing(self):
        name = create_table(self.ddb)
        body = '{"TableName": "%s", "Item": {"pk": {"S": "x"}}' % name  # closing brace missing
        resp = raw_request("PutItem", body)
        self.assertEqual(resp.status, 400)
        self.assertNoItem(name, {"pk": {"S": "x"}})

    def test_unknown_operation(self):
        resp = raw_request("NoSuchOperation", {})
        self.assertEqual(resp.status, 400)
        self.assertChecked(resp)
        self.assertTrue(resp.json()["__type"].endswith("#UnknownOperationException"), resp.body)

    def test_unknown_target_prefix(self):
        resp = raw_request(None, {}, headers={"X-Amz-Target": "DynamoDB_20990101.ListTables"})
        self.assertEqual(resp.status, 400)
        self.assertTrue(resp.json()["__type"].endswith("#UnknownOperationException"), resp.body)

    def test_resource_not_found_body(self):
        name = table_name("missing")
        resp = raw_request("DescribeTable", {"TableName": name})
        self.assertErrorBody(resp, DYNAMODB + "ResourceNotFoundException",
                             "Requested resource not found: Table: %s not found" % name)

    def test_resource_in_use_body(self):
        name = create_table(self.ddb)
        resp = raw_request("CreateTable", {
            "TableName": name, "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        })
        self.assertErrorBody(resp, DYNAMODB + "ResourceInUseException")
        self.assertEqual(self.ddb.describe_table(TableName=name)["Table"]["TableStatus"], "ACTIVE")

    def test_validation_error_body(self):
        name = create_table(self.ddb)
        self.ddb.put_item(TableName=name, Item={"pk": {"S": "keep"}})
        resp = raw_request("PutItem", {"TableName": name, "Item": {"pk": {"N": "1"}}})
        self.assertErrorBody(resp, "com.amazon.coral.validate#ValidationException",
                             "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N")
        self.assertEqual(self.ddb.scan(TableName=name)["Items"], [{"pk": {"S": "keep"}}])

    def test_constraint_violations_are_listed(self):
        # The validator reports every broken constraint of the request shape at once.
        resp = raw_request("ListTables", {"Limit": 0, "ExclusiveStartTableName": "a"})
        body = self.assertErrorBody(resp, "com.amazon.coral.validate#ValidationException")
        self.assertEqual(body["message"],
                         "2 validation errors detected: "
                         "Value '0' at 'limit' failed to satisfy constraint: "
                         "Member must have value greater than or equal to 1; "
                         "Value 'a' at 'exclusiveStartTableName' failed to satisfy constraint: "
                         "Member must have length greater than or equal to 3")

    def test_missing_required_parameter(self):
        resp = raw_request("DescribeTable", {})
        body = self.assertErrorBody(resp, "com.amazon.coral.validate#ValidationException")
        # AWS's wording has changed over time; both name the table name.
        self.assertIn("tablename", body["message"].lower())

    def test_plain_json_content_type_is_accepted(self):
        # Older SDKs send application/json.
        resp = raw_request("ListTables", {}, headers={"Content-Type": "application/json"})
        self.assertEqual(resp.status, 200)
        self.assertIsInstance(json.loads(resp.body)["TableNames"], list)

    def test_boto3_checks_crc32_on_every_call(self):
        # botocore verifies x-amz-crc32 itself and raises on a mismatch, so a clean
        # run of real calls, errors included, proves the header right end to end.
        name = create_table(self.ddb)
        self.ddb.put_item(TableName=name, Item={"pk": {"S": "é"}, "l": {"L": [{"S": "ü"}] * 50}})
        self.assertEqual(len(self.ddb.get_item(TableName=name, Key={"pk": {"S": "é"}})["Item"]["l"]["L"]), 50)
        with self.assertRaises(self.ddb.exceptions.ResourceNotFoundException):
            self.ddb.describe_table(TableName=table_name("missing"))
