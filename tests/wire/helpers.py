"""Shared pieces of the wire tests: the boto3 client, unique table names,
table creation that waits for ACTIVE, raw HTTP requests and the AWS CLI.

Every test reads the endpoint from DYNEMU_ENDPOINT (run.py sets it)."""

import http.client
import json
import os
import subprocess
import time
import unittest
import urllib.parse
import uuid

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT = os.environ.get("DYNEMU_ENDPOINT", "http://127.0.0.1:8000")
REGION = "us-east-1"
ACCESS_KEY = "AKIDWIRETEST"
SECRET_KEY = "wire-test-secret"

# Debian's AWS CLI v2; the one first on PATH may be another install.
AWS_CLI = "/usr/bin/aws"

VALIDATION = "ValidationException"
NOT_FOUND = "ResourceNotFoundException"
IN_USE = "ResourceInUseException"

# How long a table may stay CREATING/DELETING before a test gives up.
TABLE_DEADLINE_S = 10


def client():
    return boto3.client(
        "dynamodb",
        endpoint_url=ENDPOINT,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        # A retried request would hide a wrong first answer and slow the suite.
        config=Config(retries={"max_attempts": 1}),
    )


def table_name(prefix="t"):
    """A table name no other test (or earlier run against the same server) uses."""
    return "%s-%s" % (prefix, uuid.uuid4().hex[:12])


def wait_active(ddb, name):
    """Polls DescribeTable until the table and its GSIs are ACTIVE; returns the description."""
    deadline = time.monotonic() + TABLE_DEADLINE_S
    while True:
        table = ddb.describe_table(TableName=name)["Table"]
        gsis = table.get("GlobalSecondaryIndexes", [])
        if table["TableStatus"] == "ACTIVE" and all(g.get("IndexStatus") == "ACTIVE" for g in gsis):
            return table
        if time.monotonic() > deadline:
            raise AssertionError("table %s not ACTIVE in time: %r" % (name, table["TableStatus"]))
        time.sleep(0.02)


def wait_gone(ddb, name):
    """Polls DescribeTable until it answers ResourceNotFoundException."""
    deadline = time.monotonic() + TABLE_DEADLINE_S
    while True:
        try:
            ddb.describe_table(TableName=name)
        except ClientError as e:
            if e.response["Error"]["Code"] == NOT_FOUND:
                return
            raise
        if time.monotonic() > deadline:
            raise AssertionError("table %s still exists" % name)
        time.sleep(0.02)


def create_table(ddb, name=None, hash_key=("pk", "S"), range_key=None, **extra):
    """Creates an on-demand table (unless extra says otherwise) and waits until it is ACTIVE."""
    name = name or table_name()
    schema = [{"AttributeName": hash_key[0], "KeyType": "HASH"}]
    defs = [{"AttributeName": hash_key[0], "AttributeType": hash_key[1]}]
    if range_key:
        schema.append({"AttributeName": range_key[0], "KeyType": "RANGE"})
        defs.append({"AttributeName": range_key[0], "AttributeType": range_key[1]})
    args = {"TableName": name, "KeySchema": schema, "AttributeDefinitions": defs}
    if "ProvisionedThroughput" not in extra and "BillingMode" not in extra:
        args["BillingMode"] = "PAY_PER_REQUEST"
    args.update(extra)
    ddb.create_table(**args)
    wait_active(ddb, name)
    return name


def scan_all(ddb, name, **kwargs):
    """Every item of a table, following LastEvaluatedKey."""
    items, start = [], None
    while True:
        args = dict(kwargs, TableName=name)
        if start:
            args["ExclusiveStartKey"] = start
        page = ddb.scan(**args)
        items.extend(page.get("Items", []))
        start = page.get("LastEvaluatedKey")
        if not start:
            return items


def s(text):
    """A String attribute value."""
    return {"S": text}


def n(number):
    """A Number attribute value (DynamoDB JSON carries numbers as text)."""
    return {"N": str(number)}


def snapshot(ddb, name):
    """The whole table, in a form that compares equal for equal contents."""
    items = [normalise_sets(i) for i in scan_all(ddb, name, ConsistentRead=True)]
    return sorted(json.dumps(i, sort_keys=True, default=repr) for i in items)


class WireTestCase(unittest.TestCase):
    """Base class: a client per test and assertions on DynamoDB errors."""

    def setUp(self):
        self.ddb = client()

    def assertError(self, code, call, *args, message=None, contains=None, **kwargs):
        """Runs call, expects a ClientError with this code; checks the message
        exactly (message=) or by fragment (contains=, a string or a list).
        Returns the error response."""
        with self.assertRaises(ClientError) as ctx:
            call(*args, **kwargs)
        err = ctx.exception.response["Error"]
        self.assertEqual(err["Code"], code, err)
        self.assertEqual(ctx.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        if message is not None:
            self.assertEqual(err.get("Message"), message)
        if contains is not None:
            for fragment in [contains] if isinstance(contains, str) else contains:
                self.assertIn(fragment, err.get("Message", ""))
        return ctx.exception.response

    def assertNoItem(self, name, key):
        self.assertNotIn("Item", self.ddb.get_item(TableName=name, Key=key, ConsistentRead=True))

    def assertItem(self, name, key, expected):
        got = self.ddb.get_item(TableName=name, Key=key, ConsistentRead=True)
        self.assertIn("Item", got, "item %r is missing" % (key,))
        self.assertEqual(normalise_sets(got["Item"]), normalise_sets(expected))


class OneItemTestCase(WireTestCase):
    """A fresh table with a String hash key "pk" holding ITEM; assertUnchanged
    checks that a refused request left the table exactly as it was."""

    ITEM = {"pk": {"S": "doc"}}
    KEY = {"pk": {"S": "doc"}}

    def setUp(self):
        super().setUp()
        self.table = create_table(self.ddb, hash_key=("pk", "S"))
        self.ddb.put_item(TableName=self.table, Item=self.ITEM)
        self.before = snapshot(self.ddb, self.table)

    def assertUnchanged(self):
        self.assertEqual(snapshot(self.ddb, self.table), self.before)


def normalise_sets(value):
    """Makes set attributes order-free so items compare equal as DynamoDB means it."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k in ("SS", "NS", "BS") and isinstance(v, list):
                out[k] = sorted(v)
            else:
                out[k] = normalise_sets(v)
        return out
    if isinstance(value, list):
        return [normalise_sets(v) for v in value]
    return value


# ---- raw HTTP --------------------------------------------------------------

AUTH = (
    "AWS4-HMAC-SHA256 Credential=%s/20260101/us-east-1/dynamodb/aws4_request, "
    "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=%s" % (ACCESS_KEY, "0" * 64)
)


class RawResponse:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # lower-cased names
        self.body = body  # bytes

    def json(self):
        return json.loads(self.body.decode("utf-8"))


def raw_request(operation=None, body=b"{}", method="POST", path="/", headers=None, auth=True, conn=None):
    """Sends one request with http.client. operation names the X-Amz-Target
    (DynamoDB_20120810.<operation>); body is bytes, str or a JSON-able object."""
    url = urllib.parse.urlparse(ENDPOINT)
    own_conn = conn is None
    if own_conn:
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    if not isinstance(body, (bytes, str)):
        body = json.dumps(body)
    if isinstance(body, str):
        body = body.encode("utf-8")
    hdrs = {}
    if method == "POST":
        hdrs["Content-Type"] = "application/x-amz-json-1.0"
        hdrs["X-Amz-Date"] = "20260101T000000Z"
        if operation:
            hdrs["X-Amz-Target"] = "DynamoDB_20120810." + operation
        if auth:
            hdrs["Authorization"] = AUTH
    hdrs.update(headers or {})
    try:
        conn.request(method, path, body=body if method == "POST" else None, headers=hdrs)
        resp = conn.getresponse()
        data = resp.read()
        return RawResponse(resp.status, {k.lower(): v for k, v in resp.getheaders()}, data)
    finally:
        if own_conn:
            conn.close()


def raw_connection():
    url = urllib.parse.urlparse(ENDPOINT)
    return http.client.HTTPConnection(url.hostname, url.port, timeout=10)


# ---- AWS CLI ---------------------------------------------------------------

def aws(*args, input_json=None):
    """Runs `/usr/bin/aws --endpoint-url E --output json dynamodb ARGS...`.
    Returns the CompletedProcess (text stdout/stderr)."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": os.environ.get("HOME", "/tmp"),
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_PAGER": "",
        # Keep the user's own AWS config and credentials out of the test.
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
    }
    cmd = [AWS_CLI, "--endpoint-url", ENDPOINT, "--output", "json", "dynamodb"] + list(args)
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60, input=input_json)


def aws_json(testcase, *args):
    """Runs the CLI, asserts it succeeded and returns its parsed JSON output ({} if none)."""
    proc = aws(*args)
    testcase.assertEqual(proc.returncode, 0, "aws %s failed: %s" % (" ".join(args), proc.stderr))
    return json.loads(proc.stdout) if proc.stdout.strip() else {}
