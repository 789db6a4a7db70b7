"""The HTTP layer in front of the operations, as DynamoDB's endpoint answers:
content types, the health text, 404s and 413s, CORS, gzip and deflate in
both directions, and Signature Version 4 (its form always; its value with
--credentials). Raw http.client where an SDK cannot send the request, boto3
and the AWS CLI where it can."""

import gzip
import http.client
import json
import os
import subprocess
import tempfile
import urllib.parse
import zlib

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.credentials
from botocore.config import Config
from botocore.exceptions import ClientError

from helpers import AUTH, AWS_CLI, ENDPOINT, WireTestCase, client, create_table, raw_request, table_name
from test_state import Dynemu

AMZ_JSON = "application/x-amz-json-1.0"
NOT_FOUND_PAGE = b"<UnknownOperationException/>\n"
HEALTH_TEXT = b"healthy: dynamodb.us-east-1.amazonaws.com "
# DynamoDB's request size limit: a body past it is answered 413.
MAX_BODY = 16 * 1024 * 1024
DATE = "20260101T000000Z"


def error_of(resp):
    doc = json.loads(resp.body)
    return doc["__type"].split("#")[-1], doc.get("message", doc.get("Message"))


class FrontTestCase(WireTestCase):
    @classmethod
    def setUpClass(cls):
        cls.ddb = client()
        cls.table = create_table(cls.ddb, table_name("front"))

    def get(self, key):
        return self.ddb.get_item(TableName=self.table, Key={"pk": {"S": key}}).get("Item")

    def put_body(self, key, **extra):
        item = {"pk": {"S": key}, "v": {"S": "x"}}
        item.update(extra)
        return json.dumps({"TableName": self.table, "Item": item}).encode()


class ContentTypeTest(FrontTestCase):
    def test_both_json_content_types_are_answered_in_their_own(self):
        for sent, answered in ((AMZ_JSON, AMZ_JSON), ("application/json", "application/json"),
                               (AMZ_JSON + "; charset=utf-8", AMZ_JSON),
                               ("application/json;charset=UTF-8", "application/json")):
            with self.subTest(sent=sent):
                resp = raw_request("ListTables", {}, headers={"Content-Type": sent})
                self.assertEqual(resp.status, 200, resp.body)
                self.assertEqual(resp.headers["content-type"], answered)
                self.assertIn("TableNames", json.loads(resp.body))

    def test_an_error_is_answered_in_the_requests_content_type(self):
        resp = raw_request("DescribeTable", {"TableName": "no-such-table-front"},
                           headers={"Content-Type": "application/json"})
        self.assertEqual(resp.status, 400)
        self.assertEqual(resp.headers["content-type"], "application/json")
        self.assertEqual(error_of(resp)[0], "ResourceNotFoundException")

    def test_a_body_of_another_content_type_is_the_404_page_and_writes_nothing(self):
        for ctype in ("text/plain", "application/xml", "application/x-amz-json-1.1", None):
            with self.subTest(ctype=ctype):
                headers = {"Content-Type": ctype} if ctype else {"Content-Type": ""}
                resp = raw_request("PutItem", self.put_body("ctype-%s" % ctype), headers=headers)
                self.assertEqual((resp.status, resp.body), (404, NOT_FOUND_PAGE))
                self.assertEqual(resp.headers["content-type"], "text/html")
                self.assertIsNone(self.get("ctype-%s" % ctype))

    def test_methods_other_than_post_get_options(self):
        for method in ("PUT", "DELETE", "PATCH"):
            with self.subTest(method=method):
                conn = http.client.HTTPConnection(*urllib.parse.urlparse(ENDPOINT).netloc.split(":"), timeout=10)
                conn.request(method, "/", body=self.put_body("method-" + method), headers={
                    "Content-Type": AMZ_JSON, "X-Amz-Target": "DynamoDB_20120810.PutItem",
                    "X-Amz-Date": DATE, "Authorization": AUTH})
                resp = conn.getresponse()
                self.assertEqual((resp.status, resp.read()), (404, NOT_FOUND_PAGE))
                conn.close()
                self.assertIsNone(self.get("method-" + method))

    def test_get_is_the_health_check_on_any_path(self):
        for path in ("/", "/anything", "/?x=1"):
            with self.subTest(path=path):
                resp = raw_request(method="GET", path=path)
                self.assertEqual((resp.status, resp.body), (200, HEALTH_TEXT))
                self.assertTrue(resp.headers["content-type"].startswith("text/plain"))

    def test_the_path_of_a_dynamodb_request_does_not_matter(self):
        resp = raw_request("PutItem", self.put_body("any-path"), path="/some/where")
        self.assertEqual(resp.status, 200, resp.body)
        self.assertIsNotNone(self.get("any-path"))

    def test_options_without_origin_is_the_404_page(self):
        resp = raw_request(method="OPTIONS")
        self.assertEqual((resp.status, resp.body), (404, NOT_FOUND_PAGE))


class CorsTest(FrontTestCase):
    def test_preflight_allows_what_it_asks(self):
        resp = raw_request(method="OPTIONS", headers={
            "Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-amz-target,x-amz-date,authorization"})
        self.assertEqual((resp.status, resp.body), (200, b""))
        self.assertEqual(resp.headers["access-control-allow-origin"], "*")
        self.assertEqual(resp.headers["access-control-allow-methods"], "POST")
        self.assertEqual(resp.headers["access-control-allow-headers"],
                         "content-type,x-amz-target,x-amz-date,authorization")
        self.assertEqual(resp.headers["access-control-max-age"], "172800")

    def test_answers_to_a_request_with_an_origin_carry_the_cors_headers(self):
        for op, body, status in (("ListTables", {}, 200),
                                 ("DescribeTable", {"TableName": "no-such-table-cors"}, 400)):
            with self.subTest(op=op):
                resp = raw_request(op, body, headers={"Origin": "http://localhost:3000"})
                self.assertEqual(resp.status, status)
                self.assertEqual(resp.headers["access-control-allow-origin"], "*")
                exposed = resp.headers["access-control-expose-headers"].split(",")
                self.assertIn("x-amzn-RequestId", exposed)
                self.assertIn("x-amzn-ErrorType", exposed)

    def test_no_origin_no_cors_headers(self):
        resp = raw_request("ListTables", {})
        self.assertNotIn("access-control-allow-origin", resp.headers)


class CompressionTest(FrontTestCase):
    def test_gzip_and_deflate_request_bodies_are_inflated(self):
        for name, encode in (("gzip", gzip.compress), ("deflate", zlib.compress),
                             ("x-gzip", gzip.compress)):
            with self.subTest(encoding=name):
                key = "enc-" + name
                resp = raw_request("PutItem", encode(self.put_body(key)), headers={"Content-Encoding": name})
                self.assertEqual(resp.status, 200, resp.body)
                self.assertEqual(self.get(key)["v"], {"S": "x"})

    def test_a_corrupt_body_is_a_serialization_error_and_writes_nothing(self):
        bad = gzip.compress(self.put_body("enc-corrupt"))[:-12] + b"garbage-tail"
        resp = raw_request("PutItem", bad, headers={"Content-Encoding": "gzip"})
        self.assertEqual(resp.status, 400)
        self.assertEqual(error_of(resp)[0], "SerializationException")
        self.assertIsNone(self.get("enc-corrupt"))

    def test_a_compression_bomb_is_refused_413(self):
        # 17 MB of blanks inside a valid JSON object, compressed to some 17 KB.
        body = b'{"TableName":"%s","Item":{"pk":{"S":"enc-bomb"}}' % self.table.encode() + b" " * (MAX_BODY + 4096) + b"}"
        packed = gzip.compress(body, 9)
        self.assertLess(len(packed), 100 * 1024)
        resp = raw_request("PutItem", packed, headers={"Content-Encoding": "gzip"})
        self.assertEqual((resp.status, resp.body), (413, b""))
        self.assertIsNone(self.get("enc-bomb"))

    def test_answers_are_gzipped_when_accepted_with_the_crc_of_the_sent_bytes(self):
        self.ddb.put_item(TableName=self.table, Item={"pk": {"S": "enc-answer"}, "v": {"S": "y" * 2000}})
        body = json.dumps({"TableName": self.table, "Key": {"pk": {"S": "enc-answer"}}})
        resp = raw_request("GetItem", body, headers={"Accept-Encoding": "gzip"})
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.headers["content-encoding"], "gzip")
        self.assertEqual(int(resp.headers["x-amz-crc32"]), zlib.crc32(resp.body))
        self.assertLess(len(resp.body), 2000)
        self.assertEqual(json.loads(gzip.decompress(resp.body))["Item"]["v"]["S"], "y" * 2000)
        plain = raw_request("GetItem", body, headers={"Accept-Encoding": "gzip;q=0, identity"})
        self.assertNotIn("content-encoding", plain.headers)
        self.assertEqual(int(plain.headers["x-amz-crc32"]), zlib.crc32(plain.body))

    def test_boto3_sends_gzipped_requests(self):
        # Debian's botocore predates request_min_compression_size_bytes; a
        # before-sign hook does what it does: compress, then sign the compressed bytes.
        # (botocore itself never asks for a gzipped answer, and cannot read one.)
        ddb = client()

        def compress(request, **_):
            request.data = gzip.compress(request.data if isinstance(request.data, bytes) else request.data.encode())
            request.headers["Content-Encoding"] = "gzip"

        ddb.meta.events.register("before-sign.dynamodb.PutItem", compress)
        ddb.put_item(TableName=self.table, Item={"pk": {"S": "enc-boto3"}, "v": {"S": "z" * 5000}})
        got = ddb.get_item(TableName=self.table, Key={"pk": {"S": "enc-boto3"}})
        self.assertEqual(got["Item"]["v"]["S"], "z" * 5000)


# ---------------------------------------------------------------- signatures

def signed_raw(auth=None, date=DATE, query="", extra=None, endpoint=ENDPOINT, body=b"{}", target="ListTables"):
    url = urllib.parse.urlparse(endpoint)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    headers = {"Content-Type": AMZ_JSON, "X-Amz-Target": "DynamoDB_20120810." + target}
    if date:
        headers["X-Amz-Date"] = date
    if auth is not None:
        headers["Authorization"] = auth
    headers.update(extra or {})
    conn.request("POST", "/" + query, body=body, headers=headers)
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    doc = json.loads(data)
    return resp.status, doc["__type"].split("#")[-1] if "__type" in doc else None, doc.get("message")


def auth_with(credential="AKIDFRONT/20260101/us-east-1/dynamodb/aws4_request",
              signed="host;x-amz-date;x-amz-target", signature="0" * 64, algorithm="AWS4-HMAC-SHA256"):
    return "%s Credential=%s, SignedHeaders=%s, Signature=%s" % (algorithm, credential, signed, signature)


class SignatureFormTest(WireTestCase):
    """Without --credentials any signature is taken, but only in its right form."""

    def test_no_signature_is_missing_authentication_token(self):
        for auth in (None, "Basic dXNlcjpwYXNz"):
            with self.subTest(auth=auth):
                self.assertEqual(signed_raw(auth), (400, "MissingAuthenticationTokenException",
                                                    "Request is missing Authentication Token"))

    def test_missing_parts_are_each_named(self):
        auth = "AWS4-HMAC-SHA256 x"
        self.assertEqual(signed_raw(auth, date=None), (400, "IncompleteSignatureException",
            "Authorization header requires 'Credential' parameter. "
            "Authorization header requires 'Signature' parameter. "
            "Authorization header requires 'SignedHeaders' parameter. "
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
            "Authorization=" + auth))

    def test_header_and_query_together(self):
        status, kind, message = signed_raw(auth_with(), query="?X-Amz-Algorithm=AWS4-HMAC-SHA256")
        self.assertEqual((status, kind), (400, "InvalidSignatureException"))
        self.assertEqual(message, "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.")

    def test_an_incomplete_presigned_query(self):
        status, kind, message = signed_raw(date=None, query="?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=" + DATE)
        self.assertEqual((status, kind), (400, "IncompleteSignatureException"))
        self.assertEqual(message, "AWS query-string parameters must include 'X-Amz-Credential'. "
                                  "AWS query-string parameters must include 'X-Amz-Signature'. "
                                  "AWS query-string parameters must include 'X-Amz-SignedHeaders'. "
                                  "Re-examine the query-string parameters.")

    def test_a_date_not_in_basic_format(self):
        self.assertEqual(signed_raw(auth_with(), date="2026-01-01"), (400, "IncompleteSignatureException",
            "Date must be in ISO-8601 'basic format'. Got '2026-01-01'. See http://en.wikipedia.org/wiki/ISO_8601"))

    def test_host_must_be_signed(self):
        self.assertEqual(signed_raw(auth_with(signed="x-amz-date")), (400, "InvalidSignatureException",
                                                                      "'Host' must be a 'SignedHeader' in the AWS Authorization."))

    def test_an_unknown_algorithm(self):
        self.assertEqual(signed_raw(auth_with(algorithm="AWS4-HMAC-SHA512")), (400, "IncompleteSignatureException",
            "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). "))

    def test_a_credential_of_the_wrong_shape_or_scope(self):
        status, kind, message = signed_raw(auth_with(credential="AKID/20260101/us-east-1/dynamodb"))
        self.assertEqual((status, kind), (400, "IncompleteSignatureException"))
        self.assertTrue(message.startswith("Credential must have exactly 5 slash-delimited elements"), message)
        status, kind, message = signed_raw(auth_with(credential="AKID/20250101/us-east-1/s3/aws4_request"))
        self.assertEqual((status, kind), (400, "InvalidSignatureException"))
        self.assertIn("Credential should be scoped to correct service: 'dynamodb'. ", message)
        self.assertIn("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP", message)

    def test_a_refused_signature_writes_nothing(self):
        ddb = client()
        name = create_table(ddb, table_name("sig"))
        body = json.dumps({"TableName": name, "Item": {"pk": {"S": "refused"}}}).encode()
        self.assertEqual(signed_raw(auth_with(signed="x-amz-date"), body=body, target="PutItem")[1],
                         "InvalidSignatureException")
        self.assertNotIn("Item", ddb.get_item(TableName=name, Key={"pk": {"S": "refused"}}))


class BodyKeepingQueryAuth(botocore.auth.SigV4QueryAuth):
    """botocore's pre-signer, keeping the JSON body (it moves a query
    protocol's body into the URL) and so signing its hash."""

    def _modify_request_before_signing(self, request):
        data = request.data
        super()._modify_request_before_signing(request)
        request.data = data


class CredentialsTest(WireTestCase):
    """--credentials FILE: signatures are verified against the secrets in it."""

    KEY, SECRET = "AKIDCREDS", "creds-secret"

    @classmethod
    def setUpClass(cls):
        cls.creds = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
        json.dump({cls.KEY: cls.SECRET, "AKIDOTHER": "other-secret"}, cls.creds)
        cls.creds.close()
        cls.srv = Dynemu("--credentials", cls.creds.name)

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()
        os.unlink(cls.creds.name)

    def boto(self, key=None, secret=None):
        return boto3.client("dynamodb", endpoint_url=self.srv.endpoint, region_name="us-east-1",
                            aws_access_key_id=key or self.KEY, aws_secret_access_key=secret or self.SECRET,
                            config=Config(retries={"max_attempts": 1}))

    def refused(self, call, kind):
        with self.assertRaises(ClientError) as cm:
            call()
        self.assertEqual(cm.exception.response["Error"]["Code"], kind)
        return cm.exception.response["Error"]["Message"]

    def test_the_right_secret_is_served(self):
        ddb = self.boto()
        name = create_table(ddb, table_name("creds"))
        ddb.put_item(TableName=name, Item={"pk": {"S": "a"}, "n": {"N": "1"}})
        self.assertEqual(ddb.get_item(TableName=name, Key={"pk": {"S": "a"}})["Item"]["n"], {"N": "1"})

    def test_a_wrong_secret_is_an_invalid_signature(self):
        message = self.refused(lambda: self.boto(secret="not-the-secret").list_tables(), "InvalidSignatureException")
        self.assertTrue(message.startswith("The request signature we calculated does not match the signature you "
                                           "provided. Check your AWS Secret Access Key and signing method."), message)
        self.assertIn("The Canonical String for this request should have been", message)

    def test_an_unknown_key_is_an_unrecognized_client(self):
        message = self.refused(lambda: self.boto(key="AKIDNOBODY").list_tables(), "UnrecognizedClientException")
        self.assertEqual(message, "The security token included in the request is invalid.")

    def test_a_body_changed_after_signing_is_refused(self):
        ddb = self.boto()
        name = create_table(ddb, table_name("creds-tamper"))

        def tamper(request, **_):  # the same length, so only the signature can tell
            request.body = request.body.replace(b"signed", b"forged")

        ddb.meta.events.register("before-send.dynamodb.PutItem", tamper)
        self.refused(lambda: ddb.put_item(TableName=name, Item={"pk": {"S": "signed"}}), "InvalidSignatureException")
        self.assertEqual(self.boto().scan(TableName=name)["Count"], 0)

    def test_a_gzipped_request_signed_over_its_compressed_bytes(self):
        ddb = self.boto()
        name = create_table(ddb, table_name("creds-gz"))

        def compress(request, **_):
            request.data = gzip.compress(request.data if isinstance(request.data, bytes) else request.data.encode())
            request.headers["Content-Encoding"] = "gzip"

        ddb.meta.events.register("before-sign.dynamodb.PutItem", compress)
        ddb.put_item(TableName=name, Item={"pk": {"S": "gz"}})
        self.assertIn("Item", ddb.get_item(TableName=name, Key={"pk": {"S": "gz"}}))

    def test_a_presigned_query_is_verified(self):
        def presigned(secret):
            request = botocore.awsrequest.AWSRequest(
                method="POST", url=self.srv.endpoint + "/", data=b"{}",
                headers={"Content-Type": AMZ_JSON, "X-Amz-Target": "DynamoDB_20120810.ListTables"})
            BodyKeepingQueryAuth(botocore.credentials.Credentials(self.KEY, secret),
                                 "dynamodb", "us-east-1", expires=300).add_auth(request)
            url = urllib.parse.urlparse(request.url)
            conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
            conn.request("POST", url.path + "?" + url.query, body=b"{}", headers=dict(request.headers.items()))
            resp = conn.getresponse()
            doc = json.loads(resp.read())
            conn.close()
            return resp.status, doc

        status, doc = presigned(self.SECRET)
        self.assertEqual(status, 200, doc)
        self.assertIn("TableNames", doc)
        status, doc = presigned("wrong")
        self.assertEqual((status, doc["__type"].split("#")[-1]), (400, "InvalidSignatureException"))

    def test_the_aws_cli_with_a_wrong_secret(self):
        env = dict(os.environ, AWS_ACCESS_KEY_ID=self.KEY, AWS_SECRET_ACCESS_KEY="wrong",
                   AWS_DEFAULT_REGION="us-east-1", AWS_MAX_ATTEMPTS="1", AWS_CONFIG_FILE="/dev/null",
                   AWS_SHARED_CREDENTIALS_FILE="/dev/null")
        proc = subprocess.run([AWS_CLI, "dynamodb", "list-tables", "--endpoint-url", self.srv.endpoint],
                              env=env, capture_output=True, text=True, timeout=60)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("InvalidSignatureException", proc.stderr)
        env["AWS_SECRET_ACCESS_KEY"] = self.SECRET
        proc = subprocess.run([AWS_CLI, "dynamodb", "list-tables", "--endpoint-url", self.srv.endpoint],
                              env=env, capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("TableNames", json.loads(proc.stdout))


class ClockSkewTest(WireTestCase):
    """The 5-minute window is measured by dynemu's clock, which --clock sets."""

    def test_a_request_signed_far_from_dynemus_clock_is_refused(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json") as creds:
            json.dump({"AKIDSKEW": "skew-secret"}, creds)
            creds.flush()
            srv = Dynemu("--credentials", creds.name, "--clock", "2020-01-01T00:00:00Z")
            try:
                ddb = boto3.client("dynamodb", endpoint_url=srv.endpoint, region_name="us-east-1",
                                   aws_access_key_id="AKIDSKEW", aws_secret_access_key="skew-secret",
                                   config=Config(retries={"max_attempts": 1}))
                with self.assertRaises(ClientError) as cm:
                    ddb.list_tables()
                error = cm.exception.response["Error"]
                self.assertEqual(error["Code"], "InvalidSignatureException")
                self.assertIn("Signature not yet current", error["Message"])
                self.assertIn("20200101T000000Z + 5 min.", error["Message"])
                status, _ = srv.control("PUT", "clock", {"real": True})
                self.assertEqual(status, 200)
                self.assertIn("TableNames", ddb.list_tables())
            finally:
                srv.stop()
