"""Deterministic test state over the wire: --fixtures (every format, every kind
of bad file), dump and load, reset, snapshots, the clock, determinism and
--namespaces. Each test starts its own build/dynemu processes (on free ports,
stopped by PID), so the shared server of run.py is never touched."""

import datetime
import http.client
import json
import os
import pty
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

import boto3
from botocore.config import Config

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BINARY = os.path.join(ROOT, "build", "dynemu")
EXAMPLES = os.path.join(ROOT, "fixtures", "examples")
GOOD = os.path.join(HERE, "fixtures", "good")
BAD = os.path.join(HERE, "fixtures", "bad")
START_DEADLINE_S = 10

JAN_1_2026 = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def auth_header(access_key, region="us-east-1"):
    return ("AWS4-HMAC-SHA256 Credential=%s/20260101/%s/dynamodb/aws4_request, "
            "SignedHeaders=host;x-amz-date;x-amz-target, Signature=%s" % (access_key, region, "0" * 64))


def signed_headers(access_key, region="us-east-1"):
    """A well-formed (unverified) signature: dynemu refuses one without its date."""
    return {"Authorization": auth_header(access_key, region), "X-Amz-Date": "20260101T000000Z"}


class Dynemu:
    """One build/dynemu process with its own flags; stderr goes to a file (or a
    terminal, for the progress test)."""

    def __init__(self, *args, stderr=None):
        self.port = free_port()
        self.endpoint = "http://127.0.0.1:%d" % self.port
        self.stderr_file = None if stderr is not None else tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [BINARY, "--host", "127.0.0.1", "--port", str(self.port)] + list(args),
            stdout=subprocess.PIPE, stderr=stderr if stderr is not None else self.stderr_file,
            stdin=subprocess.DEVNULL)
        self.listening_line = self._read_line(START_DEADLINE_S)
        if b"listening" not in self.listening_line:
            status = self.stop()
            raise AssertionError("dynemu %s did not start (exit %r): %s" % (" ".join(args), status, self.stderr()))

    def _read_line(self, deadline_s):
        line, end = b"", time.monotonic() + deadline_s
        while not line.endswith(b"\n") and time.monotonic() < end:
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.1)
            if ready:
                chunk = os.read(self.proc.stdout.fileno(), 1)
                if not chunk:
                    break
                line += chunk
        return line

    def stop(self):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
        try:
            status = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.kill(self.proc.pid, signal.SIGKILL)
            status = self.proc.wait()
        self.proc.stdout.close()
        return status

    def stderr(self):
        if self.stderr_file is None:
            return ""
        self.stderr_file.seek(0)
        return self.stderr_file.read().decode("utf-8", "replace")

    def client(self, access_key="AKIDSTATE", region="us-east-1"):
        return boto3.client("dynamodb", endpoint_url=self.endpoint, region_name=region,
                            aws_access_key_id=access_key, aws_secret_access_key="secret",
                            config=Config(retries={"max_attempts": 1}))

    def request(self, method, path, body=None, headers=None):
        """Raw HTTP; returns (status, body bytes)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            if body is not None and not isinstance(body, (bytes, str)):
                body = json.dumps(body)
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            return resp.status, resp.read()
        finally:
            conn.close()

    def control(self, method, path, body=None, access_key=None, region="us-east-1"):
        """A control request; returns (status, parsed JSON or raw text)."""
        headers = signed_headers(access_key, region) if access_key else {}
        status, data = self.request(method, "/_dynemu/" + path, body, headers)
        try:
            return status, json.loads(data)
        except ValueError:
            return status, data.decode("utf-8")

    def dump(self, access_key=None):
        status, data = self.request("GET", "/_dynemu/fixtures",
                                    headers=signed_headers(access_key) if access_key else {})
        assert status == 200, data
        return data

    def dynamodb(self, operation, body, access_key="AKIDSTATE"):
        """A raw DynamoDB request; returns (status, body bytes)."""
        return self.request("POST", "/", body, {
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": "DynamoDB_20120810." + operation,
            **signed_headers(access_key)})


def run_refused(*args):
    """Runs dynemu expecting it to stop before listening; returns (status, stdout, stderr)."""
    proc = subprocess.run([BINARY, "--host", "127.0.0.1", "--port", str(free_port())] + list(args),
                          stdin=subprocess.DEVNULL, capture_output=True, timeout=20)
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


class StateTestCase(unittest.TestCase):
    def setUp(self):
        self.servers = []
        self.tmp = tempfile.mkdtemp(prefix="dynemu-state-")

    def tearDown(self):
        for s in self.servers:
            s.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def start(self, *args, **kwargs):
        server = Dynemu(*args, **kwargs)
        self.servers.append(server)
        return server

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w" if isinstance(text, str) else "wb") as f:
            f.write(text)
        return path


# ---------------------------------------------------------------- loading

class FixtureFormatsTest(StateTestCase):

    def test_every_format_loads_from_repeated_flags(self):
        server = self.start("--fixtures", os.path.join(GOOD, "tables.json"),
                            "--fixtures", os.path.join(GOOD, "create-events.json"),
                            "--fixtures", os.path.join(GOOD, "events-batch.json"),
                            "--fixtures", os.path.join(GOOD, "posts.jsonl"))
        ddb = server.client()
        self.assertEqual(ddb.list_tables()["TableNames"], ["events", "posts", "users"])
        self.assertEqual(ddb.get_item(TableName="users", Key={"id": {"S": "bob"}})["Item"]["name"], {"S": "Bob"})
        events = ddb.query(TableName="events", KeyConditionExpression="pk = :p",
                           ExpressionAttributeValues={":p": {"S": "signup"}})["Items"]
        self.assertEqual([e["who"]["S"] for e in events], ["bob", "carol"])
        table = ddb.describe_table(TableName="events")["Table"]
        self.assertEqual(table["ProvisionedThroughput"]["ReadCapacityUnits"], 5)
        post = ddb.get_item(TableName="posts", Key={"id": {"S": "post-2"}})["Item"]
        self.assertEqual(sorted(post["tags"]["SS"]), ["a", "b"])
        self.assertIn("fixtures loaded: 3 tables, 6 items", server.stderr())

    def test_a_folder_loads_in_name_order(self):
        folder = os.path.join(self.tmp, "seed")
        os.mkdir(folder)
        # 2-items.json needs the table 1-tables.json makes.
        shutil.copy(os.path.join(GOOD, "tables.json"), os.path.join(folder, "1-tables.json"))
        with open(os.path.join(folder, "2-items.json"), "w") as f:
            json.dump({"items": {"posts": [{"id": {"S": "p"}}]}}, f)
        with open(os.path.join(folder, "notes.txt"), "w") as f:
            f.write("not a fixture")
        server = self.start("--fixtures", folder)
        self.assertEqual(server.client().scan(TableName="posts")["Count"], 1)

    def test_examples_load_with_their_links(self):
        server = self.start("--fixtures", EXAMPLES)
        ddb = server.client()
        self.assertEqual(ddb.list_tables()["TableNames"], ["comments", "posts", "users"])
        bob = ddb.get_item(TableName="users", Key={"id": {"S": "bob"}})["Item"]
        self.assertEqual(sorted(bob["posts_ids"]["SS"]), ["post-1", "post-2"])
        post = ddb.get_item(TableName="posts", Key={"id": {"S": "post-1"}})["Item"]
        self.assertEqual(post["user_id"], {"S": "bob"})
        status, answer = server.control("POST", "associations/call",
                                        {"op": "ids", "table": "users", "id": "alice", "association": "students"})
        self.assertEqual((status, answer), (200, {"ids": ["bob", "carol"]}))
        status, answer = server.control("GET", "associations/check")
        self.assertEqual(status, 200)
        self.assertTrue(answer["ok"], answer)


# (fixture files to load first, the bad file, what follows "FILE: " in the message;
#  a trailing "..." means the rest is the association layer's own wording)
TABLES = os.path.join(GOOD, "tables.json")
BAD_FIXTURES = [
    ([], "invalid-json.json", "invalid JSON near line 3, column 28"),
    ([], "empty.json", "empty (expected a JSON object)"),
    ([], "blog.json", "items.posts[3].id: expected S"),
    ([], "tables-not-a-list.json", "tables: expected an array of CreateTable requests"),
    ([TABLES], "item-not-an-object.json", "items.users[0]: expected an object (an item in DynamoDB JSON)"),
    ([TABLES], "missing-key.json", "items.users[1]: missing the key attribute id (S)"),
    ([], "table-twice.json", "tables[1]: Table already exists: tags"),
    ([TABLES], "unknown-association.json", "links[0]: ..."),
    ([], "association-to-missing-table.json", "associations[0]: ..."),
    ([], "unknown-table.json",
     "items.photos: no table named photos (declare it under \"tables\", here or in an earlier file)"),
    ([], "unknown-member.json",
     "table: unknown member (a fixture document has tables, items, associations and links)"),
    ([TABLES], "bad-value.json", "items.users[0].age: ..."),
    ([], "create-table-bad.json", "..."),
    ([TABLES], "batch-bad.json",
     "users[1]: expected {\"PutRequest\": {\"Item\": ...}} or {\"DeleteRequest\": {\"Key\": ...}}"),
    ([TABLES], "posts.jsonl", "line 2: invalid JSON near column 29"),
]


class BadFixturesTest(StateTestCase):

    def assertRefused(self, before, name, expected):
        path = os.path.join(BAD, name)
        args = []
        for p in before + [path]:
            args += ["--fixtures", p]
        status, out, err = run_refused(*args)
        self.assertNotEqual(status, 0, "%s was accepted" % name)
        self.assertNotIn("listening", out)
        message = err.strip().splitlines()[-1]
        prefix = "dynemu: %s: " % path
        self.assertTrue(message.startswith(prefix), message)
        if expected.endswith("..."):
            self.assertTrue(message[len(prefix):].startswith(expected[:-3]), message)
            self.assertGreater(len(message), len(prefix) + len(expected) - 3, message)
        else:
            self.assertEqual(message[len(prefix):], expected)

    def test_each_bad_file_is_refused_with_file_and_path(self):
        for before, name, expected in BAD_FIXTURES:
            with self.subTest(name):
                self.assertRefused(before, name, expected)

    def test_unknown_association_names_it(self):
        status, _, err = run_refused("--fixtures", TABLES, "--fixtures", os.path.join(BAD, "unknown-association.json"))
        self.assertNotEqual(status, 0)
        self.assertIn("articles", err)

    def test_a_bad_file_in_a_folder_stops_start_up(self):
        folder = os.path.join(self.tmp, "mixed")
        os.mkdir(folder)
        shutil.copy(TABLES, os.path.join(folder, "a.json"))
        shutil.copy(os.path.join(BAD, "missing-key.json"), os.path.join(folder, "b.json"))
        status, out, err = run_refused("--fixtures", folder)
        self.assertNotEqual(status, 0)
        self.assertIn(os.path.join(folder, "b.json") + ": items.users[1]: missing the key attribute id (S)", err)

    def test_a_missing_path_is_refused(self):
        status, _, err = run_refused("--fixtures", os.path.join(self.tmp, "nowhere.json"))
        self.assertNotEqual(status, 0)
        self.assertIn("nowhere.json: cannot open: No such file or directory", err)


# ---------------------------------------------------------------- dump, reset, snapshots

class DumpResetSnapshotTest(StateTestCase):

    def test_dump_load_dump_gives_the_same_bytes(self):
        first = self.start("--fixtures", EXAMPLES, "--fixtures", os.path.join(GOOD, "create-events.json"),
                           "--fixtures", os.path.join(GOOD, "events-batch.json"))
        first.client().put_item(TableName="events", Item={
            "pk": {"S": "x"}, "at": {"N": "0.50"}, "ns": {"NS": ["3", "-1", "20"]}, "b": {"B": b"\x00\x01"},
            "m": {"M": {"l": {"L": [{"NULL": True}, {"BOOL": False}]}}}})
        dump = first.dump()
        # Into an empty dynemu through the control API ...
        empty = self.start()
        status, answer = empty.control("POST", "fixtures", dump.decode())
        self.assertEqual(status, 200, answer)
        self.assertEqual(empty.dump(), dump)
        # ... and from a file at start-up.
        again = self.start("--fixtures", self.write("dump.json", dump))
        self.assertEqual(again.dump(), dump)
        self.assertEqual(json.loads(dump)["items"]["events"][0]["at"], {"N": "0.5"})

    def test_reset_returns_to_the_state_after_start_up(self):
        server = self.start("--fixtures", EXAMPLES)
        seeded = server.dump()
        ddb = server.client()
        ddb.put_item(TableName="posts", Item={"id": {"S": "post-9"}})
        ddb.delete_item(TableName="users", Key={"id": {"S": "bob"}})
        ddb.delete_table(TableName="comments")
        ddb.create_table(TableName="scratch", KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                         BillingMode="PAY_PER_REQUEST")
        server.control("POST", "fixtures", {"items": {"users": [{"id": {"S": "dora"}}]}})
        status, answer = server.control("POST", "reset")
        self.assertEqual((status, answer), (200, {"tables": 3, "items": 9}))
        self.assertEqual(server.dump(), seeded)
        self.assertNotIn("Item", ddb.get_item(TableName="posts", Key={"id": {"S": "post-9"}}))

    def test_named_snapshots_save_and_restore(self):
        server = self.start("--fixtures", os.path.join(GOOD, "tables.json"))
        ddb = server.client()
        ddb.put_item(TableName="posts", Item={"id": {"S": "one"}})
        self.assertEqual(server.control("POST", "snapshots/one"), (200, {}))
        ddb.put_item(TableName="posts", Item={"id": {"S": "two"}})
        self.assertEqual(server.control("POST", "snapshots/two"), (200, {}))
        self.assertEqual(server.control("POST", "snapshots/one/restore"), (200, {}))
        self.assertEqual(sorted(i["id"]["S"] for i in ddb.scan(TableName="posts")["Items"]), ["one"])
        self.assertEqual(server.control("POST", "snapshots/two/restore"), (200, {}))
        self.assertEqual(sorted(i["id"]["S"] for i in ddb.scan(TableName="posts")["Items"]), ["one", "two"])
        # Reset leaves snapshots where they are.
        server.control("POST", "reset")
        self.assertEqual(ddb.scan(TableName="posts")["Count"], 0)
        self.assertEqual(server.control("POST", "snapshots/one/restore"), (200, {}))
        self.assertEqual(ddb.scan(TableName="posts")["Count"], 1)

    def test_a_bad_fixture_over_http_changes_nothing(self):
        server = self.start("--fixtures", os.path.join(GOOD, "tables.json"))
        before = server.dump()
        status, answer = server.control("POST", "fixtures", {
            "tables": [{"TableName": "new", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
                        "BillingMode": "PAY_PER_REQUEST"}],
            "items": {"users": [{"id": {"S": "ok"}}, {"id": {"N": "1"}}]}})
        self.assertEqual(status, 400)
        self.assertEqual(answer, {"__type": "ValidationException", "message": "body: items.users[1].id: expected S"})
        self.assertEqual(server.dump(), before)

    def test_control_errors(self):
        server = self.start()
        self.assertEqual(server.control("POST", "snapshots/nope/restore"),
                         (400, {"__type": "ResourceNotFoundException", "message": "No snapshot named nope"}))
        status, answer = server.control("GET", "no/such/thing")
        self.assertEqual((status, answer["__type"]), (404, "NotFound"))
        status, answer = server.control("DELETE", "reset")
        self.assertEqual((status, answer["__type"]), (405, "MethodNotAllowed"))
        status, answer = server.control("POST", "fixtures", "{not json")
        self.assertEqual(status, 400)
        self.assertTrue(answer["message"].startswith("body: invalid JSON near line 1, column "), answer)


# ---------------------------------------------------------------- the clock

class ClockTest(StateTestCase):

    def test_clock_is_settable_advanceable_and_real_again(self):
        server = self.start()
        status, answer = server.control("PUT", "clock", {"now": "2026-01-01T00:00:00Z"})
        self.assertEqual((status, answer), (200, {"now": "2026-01-01T00:00:00Z"}))
        self.assertEqual(server.control("GET", "clock"), (200, {"now": "2026-01-01T00:00:00Z"}))
        ddb = server.client()
        ddb.create_table(TableName="clocked", KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                         BillingMode="PAY_PER_REQUEST")
        self.assertEqual(ddb.describe_table(TableName="clocked")["Table"]["CreationDateTime"], JAN_1_2026)
        self.assertEqual(server.control("PUT", "clock", {"advance_seconds": 3600.5}),
                         (200, {"now": "2026-01-01T01:00:00.500Z"}))
        self.assertEqual(server.control("PUT", "clock", {"now": "2026-06-30T12:00:00+02:00"}),
                         (200, {"now": "2026-06-30T10:00:00Z"}))
        status, answer = server.control("PUT", "clock", {"real": True})
        self.assertEqual(status, 200)
        now = datetime.datetime.strptime(answer["now"][:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
        self.assertLess(abs((now - datetime.datetime.now(datetime.timezone.utc)).total_seconds()), 60)

    def test_fixture_tables_get_the_time_of_the_clock(self):
        server = self.start()
        server.control("PUT", "clock", {"now": "2026-01-01T00:00:00Z"})
        server.control("POST", "fixtures", open(os.path.join(GOOD, "tables.json")).read())
        table = server.client().describe_table(TableName="users")["Table"]
        self.assertEqual(table["CreationDateTime"], JAN_1_2026)

    def test_clock_flag_fixes_the_clock_from_start_up_and_reset_returns_to_it(self):
        server = self.start("--clock", "2026-01-01T00:00:00Z", "--fixtures", TABLES)
        ddb = server.client()
        self.assertEqual(ddb.describe_table(TableName="users")["Table"]["CreationDateTime"], JAN_1_2026)
        server.control("PUT", "clock", {"advance_seconds": 86400})
        self.assertEqual(server.control("POST", "reset")[0], 200)
        self.assertEqual(server.control("GET", "clock"), (200, {"now": "2026-01-01T00:00:00Z"}))
        status, _, err = run_refused("--clock", "soon")
        self.assertEqual(status, 2)
        self.assertIn("bad --clock soon", err)

    def test_bad_clock_requests_are_refused_and_change_nothing(self):
        server = self.start()
        server.control("PUT", "clock", {"now": "2026-01-01T00:00:00Z"})
        for body in ({"now": "tomorrow"}, {"advance_seconds": "10"}, {"real": False}, {},
                     {"now": "2026-01-01T00:00:00Z", "advance_seconds": 1}, "[]",
                     {"advance_seconds": -1e10}, {"advance_seconds": 1e12}):
            with self.subTest(body=body):
                status, answer = server.control("PUT", "clock", body)
                self.assertEqual(status, 400, answer)
                self.assertEqual(answer["__type"], "ValidationException")
        self.assertEqual(server.control("GET", "clock"), (200, {"now": "2026-01-01T00:00:00Z"}))


# ---------------------------------------------------------------- determinism

def workload():
    """A mixed workload: tables, items with sets, batches, updates, paged reads, errors."""
    ops = [("CreateTable", {"TableName": "mixed", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                                  {"AttributeName": "sk", "KeyType": "RANGE"}],
                            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                                     {"AttributeName": "sk", "AttributeType": "N"}],
                            "BillingMode": "PAY_PER_REQUEST"})]
    for i in range(40):
        ops.append(("PutItem", {"TableName": "mixed", "Item": {
            "pk": {"S": "p%d" % (i % 7)}, "sk": {"N": str(i)},
            "tags": {"SS": ["t%d" % ((i * 7 + j) % 11) for j in range(3)]},
            "nums": {"NS": [str((i * j) % 13 - 6) for j in range(1, 4)]}}}))
    ops += [
        ("BatchWriteItem", {"RequestItems": {"mixed": [
            {"PutRequest": {"Item": {"pk": {"S": "b%d" % i}, "sk": {"N": "0"}}}} for i in range(10)]}}),
        ("UpdateItem", {"TableName": "mixed", "Key": {"pk": {"S": "p1"}, "sk": {"N": "1"}},
                        "UpdateExpression": "ADD tags :t SET n = :n", "ReturnValues": "ALL_NEW",
                        "ExpressionAttributeValues": {":t": {"SS": ["zz", "aa"]}, ":n": {"N": "1.50"}}}),
        ("DeleteItem", {"TableName": "mixed", "Key": {"pk": {"S": "p2"}, "sk": {"N": "2"}}, "ReturnValues": "ALL_OLD"}),
        ("Query", {"TableName": "mixed", "KeyConditionExpression": "pk = :p",
                   "ExpressionAttributeValues": {":p": {"S": "p3"}}, "ScanIndexForward": False}),
        ("Scan", {"TableName": "mixed", "Limit": 7}),
        ("Scan", {"TableName": "mixed", "Limit": 7, "ExclusiveStartKey": {"pk": {"S": "p4"}, "sk": {"N": "4"}}}),
        ("Scan", {"TableName": "posts"}),
        ("BatchGetItem", {"RequestItems": {"mixed": {"Keys": [{"pk": {"S": "b%d" % i}, "sk": {"N": "0"}}
                                                              for i in range(10)]},
                                           "users": {"Keys": [{"id": {"S": "bob"}}, {"id": {"S": "alice"}}]}}}),
        ("DescribeTable", {"TableName": "mixed"}),
        ("ListTables", {}),
        ("GetItem", {"TableName": "mixed", "Key": {"pk": {"S": "nope"}}}),
        ("PutItem", {"TableName": "mixed", "Item": {"pk": {"S": ""}, "sk": {"N": "1"}}}),
        ("DeleteTable", {"TableName": "comments"}),
    ]
    return ops


class DeterminismTest(StateTestCase):

    def replay(self):
        # The clock fixed before the fixtures load: their tables' creation times match too.
        server = self.start("--clock", "2026-01-01T00:00:00Z", "--fixtures", EXAMPLES)
        answers = [server.control("PUT", "clock", {"advance_seconds": 60})]
        for op, body in workload():
            answers.append((op,) + server.dynamodb(op, body))
        answers.append(server.dump())
        answers.append(server.control("POST", "associations/call",
                                      {"op": "list", "table": "users", "id": "bob", "association": "posts"}))
        return answers

    def test_two_fresh_dynemus_answer_byte_for_byte_the_same(self):
        first, second = self.replay(), self.replay()
        self.assertEqual(len(first), len(second))
        for a, b in zip(first, second):
            self.assertEqual(a, b)
        # The workload did exercise errors and paging, not only successes.
        statuses = [a[1] for a in first if isinstance(a, tuple) and len(a) == 3]
        self.assertIn(400, statuses)
        self.assertIn(b"LastEvaluatedKey", b"".join(a[2] for a in first if isinstance(a, tuple) and len(a) == 3))


# ---------------------------------------------------------------- namespaces

class NamespacesTest(StateTestCase):

    def test_each_access_key_and_region_gets_its_own_seeded_database(self):
        server = self.start("--namespaces", "--fixtures", EXAMPLES)
        a, b, a_eu = server.client("AKIDA"), server.client("AKIDB"), server.client("AKIDA", "eu-west-1")
        a.put_item(TableName="posts", Item={"id": {"S": "only-a"}})
        a.create_table(TableName="a-only", KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                       AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                       BillingMode="PAY_PER_REQUEST")
        for other in (b, a_eu):
            self.assertNotIn("Item", other.get_item(TableName="posts", Key={"id": {"S": "only-a"}}))
            self.assertEqual(other.list_tables()["TableNames"], ["comments", "posts", "users"])
            self.assertIn("Item", other.get_item(TableName="posts", Key={"id": {"S": "post-1"}}))
        self.assertIn("Item", a.get_item(TableName="posts", Key={"id": {"S": "only-a"}}))

    def test_control_requests_act_on_their_own_namespace(self):
        server = self.start("--namespaces", "--fixtures", EXAMPLES)
        a, b = server.client("AKIDA"), server.client("AKIDB")
        a.put_item(TableName="posts", Item={"id": {"S": "a-post"}})
        b.put_item(TableName="posts", Item={"id": {"S": "b-post"}})
        self.assertEqual(server.control("POST", "reset", access_key="AKIDA"), (200, {"tables": 3, "items": 9}))
        self.assertNotIn("Item", a.get_item(TableName="posts", Key={"id": {"S": "a-post"}}))
        self.assertIn("Item", b.get_item(TableName="posts", Key={"id": {"S": "b-post"}}))
        server.control("PUT", "clock", {"now": "2030-01-01T00:00:00Z"}, access_key="AKIDB")
        self.assertEqual(server.control("GET", "clock", access_key="AKIDB"), (200, {"now": "2030-01-01T00:00:00Z"}))
        self.assertNotEqual(server.control("GET", "clock", access_key="AKIDA")[1]["now"][:4], "2030")
        self.assertNotIn(b"b-post", server.dump(access_key="AKIDA"))
        self.assertIn(b"b-post", server.dump(access_key="AKIDB"))
        # Without a credential: the start-up database, which saw neither.
        self.assertNotIn(b"a-post", server.dump())
        self.assertNotIn(b"b-post", server.dump())

    def test_without_the_flag_everyone_shares_one_database(self):
        server = self.start("--fixtures", EXAMPLES)
        server.client("AKIDA").put_item(TableName="posts", Item={"id": {"S": "shared"}})
        self.assertIn("Item", server.client("AKIDB", "eu-west-1").get_item(TableName="posts",
                                                                           Key={"id": {"S": "shared"}}))
        self.assertIn(b"shared", server.dump())


# ---------------------------------------------------------------- progress

class ProgressTest(StateTestCase):
    ITEMS = 120000

    def big_fixture(self):
        with open(os.path.join(self.tmp, "posts.jsonl"), "w") as f:
            for i in range(self.ITEMS):
                f.write('{"Item": {"id": {"S": "post-%d"}, "n": {"N": "%d"}}}\n' % (i, i))
        return os.path.join(self.tmp, "posts.jsonl")

    def test_big_loads_report_progress_on_a_terminal(self):
        big = self.big_fixture()
        master, slave = pty.openpty()
        try:
            server = self.start("--fixtures", TABLES, "--fixtures", big, stderr=slave)
            os.close(slave)
            slave = None
            text = b""
            while b"fixtures loaded" not in text:
                ready, _, _ = select.select([master], [], [], 5)
                if not ready:
                    break
                text += os.read(master, 4096)
            text = text.decode()
            self.assertIn("loading fixtures: 100000 items", text)
            self.assertIn("fixtures loaded: 2 tables, %d items in " % (self.ITEMS + 1), text)
            self.assertEqual(server.client().describe_table(TableName="posts")["Table"]["ItemCount"], self.ITEMS)
        finally:
            if slave is not None:
                os.close(slave)
            os.close(master)

    def test_no_progress_when_stderr_is_not_a_terminal(self):
        server = self.start("--fixtures", TABLES, "--fixtures", self.big_fixture())
        err = server.stderr()
        self.assertNotIn("loading fixtures:", err)
        self.assertIn("fixtures loaded: 2 tables, %d items in " % (self.ITEMS + 1), err)


if __name__ == "__main__":
    unittest.main()
