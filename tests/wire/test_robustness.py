"""Robustness: bad input gets DynamoDB's error (a 4xx whose JSON body has a
__type), changes nothing and never takes the server down.

Each case is a minimised request from the bounded fuzzer (ASan+UBSan build,
every operation of emulator/api.c and every /_dynemu/ route). Every test sends
its bad request(s), asserts the 4xx, then that GET / still answers 200 and
that the known items are unchanged.

The last group are bugs the fuzzer found (each docstring says which), kept
so they stay fixed."""

import http.client
import json
import urllib.parse

from helpers import AUTH, ENDPOINT, RawResponse, WireTestCase, client, create_table, raw_request, table_name

KNOWN_H = {"pk": {"S": "known"}, "v": {"S": "unchanged"}, "n": {"N": "1"}, "l": {"L": [{"N": "1"}]},
           "m": {"M": {"x": {"S": "y"}}}, "ss": {"SS": ["a", "b"]}}
KNOWN_R = {"pk": {"S": "known"}, "sk": {"N": "1"}, "g": {"S": "g1"}, "gs": {"N": "5"}, "l": {"S": "l1"},
           "n": {"N": "2"}}
BIG = "9.9999999999999999999999999999999999999E+125"
MAX_BODY = 16 * 1024 * 1024


def nested_text(depth, kind="M"):
    """An attribute value nested depth levels deep, as JSON text."""
    if kind == "M":
        return '{"M":{"a":' * depth + '{"S":"leaf"}' + "}}" * depth
    return '{"L":[' * depth + '{"S":"leaf"}' + "]}" * depth


def connection():
    url = urllib.parse.urlparse(ENDPOINT)
    return http.client.HTTPConnection(url.hostname, url.port, timeout=10)


class RobustnessTest(WireTestCase):

    @classmethod
    def setUpClass(cls):
        ddb = client()
        cls.h = create_table(ddb, table_name("rob-h"))
        cls.r = create_table(
            ddb, table_name("rob-r"), range_key=("sk", "N"),
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "sk", "AttributeType": "N"},
                                  {"AttributeName": "g", "AttributeType": "S"},
                                  {"AttributeName": "gs", "AttributeType": "N"},
                                  {"AttributeName": "l", "AttributeType": "S"}],
            GlobalSecondaryIndexes=[{"IndexName": "gsi",
                                     "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"},
                                                   {"AttributeName": "gs", "KeyType": "RANGE"}],
                                     "Projection": {"ProjectionType": "ALL"}}],
            LocalSecondaryIndexes=[{"IndexName": "lsi",
                                    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                  {"AttributeName": "l", "KeyType": "RANGE"}],
                                    "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["n"]}}])
        ddb.put_item(TableName=cls.h, Item=KNOWN_H)
        ddb.put_item(TableName=cls.r, Item=KNOWN_R)

    # ---- the three checks of every case

    def assertRefused(self, resp, type_suffix=None, status=None):
        """A 4xx whose body is UTF-8 JSON with a __type; then the server is intact."""
        self.assertTrue(400 <= resp.status < 500, "status %r: %r" % (resp.status, resp.body[:300]))
        if status is not None:
            self.assertEqual(resp.status, status, resp.body[:300])
        try:
            doc = json.loads(resp.body.decode("utf-8"))
        except ValueError as e:  # UnicodeDecodeError is a ValueError
            self.fail("the answer is not UTF-8 JSON (%s): %r" % (e, resp.body[-120:]))
        self.assertIsInstance(doc, dict, resp.body[:300])
        self.assertTrue(isinstance(doc.get("__type"), str) and doc["__type"], doc)
        if type_suffix:
            self.assertTrue(doc["__type"].endswith(type_suffix), doc)
        self.assertIntact()
        return doc

    def assertIntact(self):
        health = raw_request(method="GET")
        self.assertEqual(health.status, 200)
        for table, item in ((self.h, KNOWN_H), (self.r, KNOWN_R)):
            key = {k: item[k] for k in ("pk", "sk") if k in item}
            got = raw_request("GetItem", {"TableName": table, "Key": key, "ConsistentRead": True})
            self.assertEqual(got.status, 200, got.body[:300])
            self.assertEqual(self.normal(got.json().get("Item")), self.normal(item))

    @staticmethod
    def normal(item):
        if item and "ss" in item:
            item = dict(item, ss={"SS": sorted(item["ss"]["SS"])})
        return item

    def key(self, pk="known"):
        return {"pk": {"S": pk}}

    # ---- malformed bodies

    def test_truncated_and_non_object_bodies(self):
        good = json.dumps({"TableName": self.h, "Item": dict(KNOWN_H, v={"S": "changed"})})
        for body in (good[:-1], good[:20], "", "[]", "null", "1", '"s"', "{,}", '{"TableName":}'):
            with self.subTest(body=body[:30]):
                self.assertRefused(raw_request("PutItem", body), "SerializationException")

    def test_wrong_json_types(self):
        cases = [
            ("GetItem", {"TableName": 5, "Key": self.key()}),
            ("GetItem", {"TableName": self.h, "Key": []}),
            ("GetItem", {"TableName": self.h, "Key": self.key(), "ConsistentRead": "maybe"}),
            ("PutItem", {"TableName": self.h, "Item": [dict(KNOWN_H, v={"S": "changed"})]}),
            ("Scan", {"TableName": self.h, "Limit": "10"}),
            ("Query", {"TableName": self.r, "KeyConditionExpression": ["pk = :p"]}),
            ("UpdateItem", {"TableName": self.h, "Key": self.key(), "UpdateExpression": {"SET": "v"}}),
            ("BatchWriteItem", {"RequestItems": [self.h]}),
            ("TransactWriteItems", {"TransactItems": {"Put": {}}}),
            ("CreateTable", {"TableName": table_name("rob-x"), "KeySchema": "pk"}),
            ("UpdateTimeToLive", {"TableName": self.h, "TimeToLiveSpecification": []}),
        ]
        for op, body in cases:
            with self.subTest(op=op, body=body):
                self.assertRefused(raw_request(op, body), "SerializationException")

    def test_nulls_and_empty_objects(self):
        self.assertRefused(raw_request("GetItem", {"TableName": None, "Key": None}), "ValidationException")
        self.assertRefused(raw_request("PutItem", {"TableName": self.h, "Item": {}}), "ValidationException")
        self.assertRefused(raw_request("PutItem", {"TableName": self.h, "Item": {"pk": {}}}))
        self.assertRefused(raw_request("UpdateItem", {"TableName": self.h, "Key": self.key(),
                                                      "UpdateExpression": "SET v = :v",
                                                      "ExpressionAttributeValues": {":v": None}}))
        for op in ("BatchGetItem", "BatchWriteItem", "TransactGetItems", "TransactWriteItems"):
            with self.subTest(op=op):
                self.assertRefused(raw_request(op, {}), "ValidationException")

    def test_bad_attribute_values(self):
        bad = [{"S": 1}, {"N": "abc"}, {"N": "1e126"}, {"N": "1" * 39}, {"N": "NaN"}, {"N": "Infinity"}, {"N": " 1"},
               {"B": "!!!"}, {"SS": []}, {"SS": ["a", "a"]}, {"NS": ["1", "1.0"]}, {"S": "a", "N": "1"},
               {"NULL": False}, {"BOOL": "maybe"}, {"L": {}}, {"M": []}, {"X": "1"}]
        for value in bad:
            with self.subTest(value=value):
                self.assertRefused(raw_request("PutItem", {"TableName": self.h, "Item": dict(KNOWN_H, v=value)}))

    def test_number_overflow_in_arithmetic(self):
        for expr, values in (("SET n = :big + :big", {":big": {"N": BIG}}),
                             ("SET n = :neg - :big", {":big": {"N": BIG}, ":neg": {"N": "-" + BIG}}),
                             ("ADD n :big", {":big": {"N": BIG}})):
            with self.subTest(expr=expr):
                self.assertRefused(raw_request("UpdateItem", {
                    "TableName": self.h, "Key": self.key(), "UpdateExpression": expr,
                    "ExpressionAttributeValues": values}), "ValidationException")

    def test_limits_and_segments(self):
        cases = [
            ("Scan", {"Limit": 0}), ("Scan", {"Limit": -1}), ("Scan", {"Limit": -2 ** 63}),
            ("Scan", {"Segment": -1, "TotalSegments": 2}), ("Scan", {"Segment": 0, "TotalSegments": 0}),
            ("Scan", {"Segment": 0, "TotalSegments": 1000001}), ("Scan", {"Segment": 5, "TotalSegments": 5}),
            ("Scan", {"Segment": 2 ** 63, "TotalSegments": 2}), ("Scan", {"Segment": 0}),
            ("Scan", {"TotalSegments": 3}),
            ("Query", {"Limit": 0, "KeyConditionExpression": "pk = :p",
                       "ExpressionAttributeValues": {":p": {"S": "known"}}}),
        ]
        for op, extra in cases:
            with self.subTest(op=op, extra=extra):
                self.assertRefused(raw_request(op, dict(extra, TableName=self.r)), "ValidationException")
        self.assertRefused(raw_request("ListTables", {"Limit": 0}), "ValidationException")
        self.assertRefused(raw_request("ListTables", {"Limit": 101}), "ValidationException")

    # ---- nesting, sizes, names

    def test_deeply_nested_values(self):
        for depth, kind in ((33, "M"), (33, "L"), (100, "M"), (10000, "M"), (10000, "L")):
            with self.subTest(depth=depth, kind=kind):
                body = '{"TableName":"%s","Item":{"pk":{"S":"known"},"v":%s}}' % (self.h, nested_text(depth, kind))
                self.assertRefused(raw_request("PutItem", body))
        body = '{"TableName":"%s","Key":{"pk":%s}}' % (self.h, nested_text(1000))
        self.assertRefused(raw_request("GetItem", body))
        self.assertRefused(raw_request("GetItem", "[" * 10000 + "]" * 10000), "SerializationException")

    def test_long_strings_and_names(self):
        self.assertRefused(raw_request("DescribeTable", {"TableName": "x" * 300}), "ValidationException")
        self.assertRefused(raw_request("PutItem", {"TableName": self.h, "Item": {"pk": {"S": "x" * 2049}}}),
                           "ValidationException")
        self.assertRefused(raw_request("PutItem", {"TableName": self.h, "Item": dict(KNOWN_H, v={"S": "x" * 409600})}),
                           "ValidationException")

    def test_request_over_16_mb(self):
        # AWS's front answers a body past the request size itself: 413 with no body.
        item = dict(KNOWN_H, v={"S": "x" * MAX_BODY})
        resp = raw_request("PutItem", {"TableName": self.h, "Item": item})
        self.assertEqual((resp.status, resp.body), (413, b""))
        resp = raw_request(method="POST", path="/_dynemu/fixtures", body=b"{" + b" " * MAX_BODY + b"}")
        self.assertEqual((resp.status, resp.body), (413, b""))
        self.assertEqual(self.normal(client().get_item(TableName=self.h, Key={"pk": {"S": "known"}})["Item"]),
                         self.normal(KNOWN_H))

    # ---- expressions

    def test_expressions_nested_past_the_limits(self):
        cond = [
            "(" * 200 + "v = :v" + ")" * 200,      # deeper than the parser takes
            "(" * 3000 + "v = :v" + ")" * 3000,    # longer than 4 KB
            "NOT " * 1000 + "v = :v",
            "size(" * 300 + "v" + ")" * 300 + " = :v",
            " AND ".join(["v = :v"] * 500),
            "v IN (" + ", ".join([":v"] * 101) + ")",
        ]
        for expr in cond:
            with self.subTest(expr=expr[:40]):
                self.assertRefused(raw_request("PutItem", {
                    "TableName": self.h, "Item": dict(KNOWN_H, v={"S": "changed"}), "ConditionExpression": expr,
                    "ExpressionAttributeValues": {":v": {"S": "unchanged"}}}), "ValidationException")

    def test_expressions_from_the_grammar(self):
        """Token soups and undefined #names/:values the fuzzer drew, one per expression kind."""
        values = {":v": {"S": "changed"}, ":n": {"N": "1"}}
        names = {"#n": "n"}
        updates = ["SET", "SET v", "SET v = ", "SET v = :undef", "SET #undef = :v", "REMOVE", "SET v = :v REMOVE v",
                   "ADD v :v", "DELETE ss :n", "SET v = :v, v = :v", "SET l[0][0] = :v", "SET n = n + :v",
                   "SET v = if_not_exists(:v, v)", "SET v = list_append(:v)", "SET v = :v SET n = :n",
                   "SET v = :v,", "SET :v = v", "SET v = size(v)", "SET pk = :v", "REMOVE pk", "SET v = (:v",
                   "SET v = :v ) ", "set v = :v #n", "SET v[99999999999] = :v", "SET v = :v % :n", "SET v=:v;"]
        conditions = ["", " ", "v", "v =", "= :v", ":v", "v = :undef", "#undef = :v", "v == :v", "v = :v AND",
                      "v BETWEEN :v", "v IN ()", "begins_with(v)", "size(v)", "contains(v, :v, :n)",
                      "attribute_type(v, :n)", "unknown_fn(v)", "attribute_exists(:v)", "(v = :v", "v = :v)",
                      "NOT", "v <> :v OR", "#n.#n[0] = :n", "v < :v < :v", "a.b[-1] = :v", "v = :v\u0000",
                      "\u00e9 = :v", "v = :v @", "ATTRIBUTE_EXISTS(v)", "v = :v AND n = :n AND"]
        for expr in updates:
            with self.subTest(update=expr):
                self.assertRefused(raw_request("UpdateItem", {
                    "TableName": self.h, "Key": self.key(), "UpdateExpression": expr,
                    "ExpressionAttributeValues": values, "ExpressionAttributeNames": names}))
        for expr in conditions:
            with self.subTest(condition=expr):
                self.assertRefused(raw_request("DeleteItem", {
                    "TableName": self.h, "Key": self.key(), "ConditionExpression": expr,
                    "ExpressionAttributeValues": values, "ExpressionAttributeNames": names}))
                self.assertRefused(raw_request("Scan", {
                    "TableName": self.h, "FilterExpression": expr,
                    "ExpressionAttributeValues": values, "ExpressionAttributeNames": names}))
        for expr in ["", "v,", ",v", "v..n", "v[", "v[x]", "#undef", ":v", "v, v", "l[0], l", "size(v)", "v[-1]"]:
            with self.subTest(projection=expr):
                self.assertRefused(raw_request("GetItem", {"TableName": self.h, "Key": self.key(),
                                                           "ProjectionExpression": expr}))
        key_values = {":p": {"S": "known"}, ":n": {"N": "1"}, ":g": {"S": "g1"}}
        for expr, index in [("sk = :n", None), ("pk = :p OR sk = :n", None), ("pk = :p AND sk = :n AND sk = :n", None),
                            ("begins_with(pk, :p)", None), ("pk IN (:p)", None), ("pk = :p AND n = :n", None),
                            ("pk = :p AND sk = :p", None), ("pk = :p AND l = :p", "gsi"), ("g = :n", "gsi"),
                            ("pk = :p AND size(sk) = :n", None), ("pk < :p", None), ("pk = :undef", None),
                            ("pk = :p AND sk BETWEEN :n", "lsi"), ("NOT pk = :p", None)]:
            with self.subTest(key_condition=expr, index=index):
                body = {"TableName": self.r, "KeyConditionExpression": expr, "ExpressionAttributeValues": key_values}
                if index:
                    body["IndexName"] = index
                self.assertRefused(raw_request("Query", body))

    # ---- headers and connections

    def test_target_and_authorization_headers(self):
        body = {"TableName": self.h, "Item": dict(KNOWN_H, v={"S": "changed"})}
        for target in (None, "DynamoDB_20120810.", "DynamoDB_20120810.putitem", "DynamoDB_20120810.PutItem ",
                       "DynamoDB_20120810.PutItemX", "DynamoDB_20111205.PutItem", "PutItem",
                       "DynamoDB_20120810." + "A" * 8000):
            with self.subTest(target=(target or "")[:40]):
                headers = {"X-Amz-Target": target} if target else {}
                resp = raw_request(None, body, headers=headers)
                self.assertRefused(resp, "UnknownOperationException")
        self.assertRefused(raw_request("PutItem", body, auth=False), "MissingAuthenticationTokenException")

    def test_keep_alive_connection_reused_after_errors(self):
        conn = connection()
        try:
            steps = [
                ("POST", "/", "GetItem", b"{", 400),
                ("POST", "/", "NoSuchOperation", b"{}", 400),
                ("POST", "/", "GetItem", json.dumps({"TableName": 5}).encode(), 400),
                ("GET", "/_dynemu/no-such-route", None, None, 404),
                ("PUT", "/_dynemu/clock", None, b"[", 400),
                ("POST", "/", "GetItem", json.dumps({"TableName": self.h, "Key": self.key()}).encode(), 200),
            ]
            sock = None
            for method, path, op, body, status in steps * 2:
                headers = {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Date": "20260101T000000Z", "Authorization": AUTH}
                if op:
                    headers["X-Amz-Target"] = "DynamoDB_20120810." + op
                conn.request(method, path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                self.assertEqual(resp.status, status, data[:300])
                self.assertFalse(resp.will_close, "the server closed the connection after %s %s" % (method, path))
                if sock is not None:
                    self.assertIs(conn.sock, sock, "the connection was not reused")
                sock = conn.sock
                doc = json.loads(data.decode("utf-8"))
                if status >= 400:
                    self.assertTrue(doc.get("__type"), doc)
            self.assertEqual(self.normal(doc["Item"]), self.normal(KNOWN_H))
        finally:
            conn.close()
        self.assertIntact()

    def test_escaped_nul_and_lone_surrogates(self):
        for s in ("\\u0000", "a\\u0000b", "\\ud800", "\\udc00x", "\\ud800\\u0041"):
            with self.subTest(s=s):
                body = '{"TableName":"%s","Item":{"pk":{"S":"known"},"v":{"S":"%s"}}}' % (self.h, s)
                self.assertRefused(raw_request("PutItem", body), "SerializationException")

    # ---- control routes

    def test_control_routes_refuse_bad_bodies(self):
        cases = [
            ("PUT", "clock", b"["), ("PUT", "clock", b"[]"), ("PUT", "clock", b"{}"), ("PUT", "clock", b"null"),
            ("PUT", "clock", b'{"now": 5}'), ("PUT", "clock", b'{"now": ""}'),
            ("PUT", "clock", b'{"now": "2026-02-29T00:00:00Z"}'),
            ("PUT", "clock", b'{"advance_seconds": "1"}'), ("PUT", "clock", b'{"advance_seconds": 1e400}'),
            ("PUT", "clock", b'{"real": false}'), ("PUT", "clock", b'{"now": "2026-01-01T00:00:00Z", "real": true}'),
            ("POST", "associations", b"[]"), ("POST", "associations", b'{"table": 5}'),
            ("POST", "associations", b'{"declarations": {}}'), ("POST", "associations", b'{"declarations": [5]}'),
            ("POST", "associations/call", b"{}"),
            ("POST", "associations/call", b'{"op": "bogus", "table": "x", "association": "y"}'),
            ("POST", "destroy", b"{}"), ("POST", "destroy", b'{"table": "nope", "id": "x"}'),
            ("POST", "fixtures", b"{"), ("POST", "fixtures", b"5"), ("POST", "fixtures", b'{"bogus": []}'),
            ("POST", "snapshots/nope/restore", b""), ("POST", "snapshots/a%20b", b""),
            ("DELETE", "reset", b""), ("GET", "no-such-route", b""),
        ]
        for method, route, body in cases:
            with self.subTest(method=method, route=route, body=body[:40]):
                self.assertRefused(self.raw_method(method, route, body))

    def raw_method(self, method, route, body):
        conn = connection()
        try:
            conn.request(method, "/_dynemu/" + route, body=body or None, headers={"Content-Type": "application/json"})
            resp = conn.getresponse()
            return RawResponse(resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read())
        finally:
            conn.close()

    def test_fixture_load_is_all_or_nothing(self):
        new = table_name("rob-fx")
        doc = {"tables": [{"TableName": new, "BillingMode": "PAY_PER_REQUEST",
                           "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                           "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]}],
               "items": {new: [{"pk": {"S": "ok"}}, {"pk": {"N": "1"}}],
                         self.h: [dict(KNOWN_H, v={"S": "changed"})]}}
        self.assertRefused(raw_request(method="POST", path="/_dynemu/fixtures", body=doc), "ValidationException")
        self.assertRefused(raw_request("DescribeTable", {"TableName": new}), "ResourceNotFoundException")

    def test_clock_advances_outside_1970_to_9999_are_refused(self):
        try:
            self.assertEqual(self.raw_method("PUT", "clock", b'{"now": "9999-12-31T23:59:59Z"}').status, 200)
            for seconds in (1, 1e12):
                self.assertRefused(self.raw_method("PUT", "clock", json.dumps({"advance_seconds": seconds}).encode()),
                                   "ValidationException")
            self.assertEqual(self.raw_method("PUT", "clock", b'{"now": "1970-01-01T00:00:00Z"}').status, 200)
            self.assertRefused(self.raw_method("PUT", "clock", b'{"advance_seconds": -1}'), "ValidationException")
            now = self.raw_method("GET", "clock", b"")
            self.assertEqual(now.json()["now"], "1970-01-01T00:00:00Z")
        finally:
            self.raw_method("PUT", "clock", b'{"real": true}')

    # ---- bad input the fuzzer found accepted at first, refused since

    def test_raw_nul_byte_in_a_string_is_refused(self):
        """Was a bug: a raw (unescaped) NUL byte inside a JSON string is accepted and
        cuts the string short: {"S":"rob-nul<NUL>tail"} stores the key "rob-nul".
        The escaped form \\u0000 is refused; the raw byte (invalid JSON) is not."""
        body = b'{"TableName":"%s","Item":{"pk":{"S":"rob-nul\x00tail"}}}' % self.h.encode()
        try:
            self.assertRefused(raw_request("PutItem", body), "SerializationException")
        finally:
            stored = raw_request("GetItem", {"TableName": self.h, "Key": self.key("rob-nul"), "ConsistentRead": True})
            raw_request("DeleteItem", {"TableName": self.h, "Key": self.key("rob-nul")})
        self.assertNotIn("Item", stored.json())

    def test_invalid_utf8_in_an_item_is_refused(self):
        """Was a bug: invalid UTF-8 inside a string is accepted (200) and stored, so every
        later GetItem/Scan of that table answers a body that is not UTF-8 JSON."""
        body = b'{"TableName":"%s","Item":{"pk":{"S":"rob-utf8"},"v":{"S":"\xff"}}}' % self.h.encode()
        try:
            self.assertRefused(raw_request("PutItem", body), "SerializationException")
        finally:
            raw_request("DeleteItem", {"TableName": self.h, "Key": self.key("rob-utf8")})

    def test_invalid_utf8_in_a_ttl_attribute_name_is_refused(self):
        """Was a bug: UpdateTimeToLive takes an AttributeName of invalid UTF-8 (200), and
        DescribeTimeToLive then answers it back as a body that is not UTF-8 JSON."""
        ddb = client()
        scratch = create_table(ddb, table_name("rob-ttl"))
        body = (b'{"TableName":"%s","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"\xff"}}'
                % scratch.encode())
        self.assertRefused(raw_request("UpdateTimeToLive", body))

    def test_invalid_utf8_is_not_echoed_in_an_error(self):
        """Was a bug: the message quotes the invalid bytes back, so the 400's body is not UTF-8 JSON."""
        self.assertRefused(raw_request("DescribeTable", b'{"TableName":"\xff"}'), "SerializationException")

    def test_error_message_does_not_cut_a_utf8_character(self):
        """Was a bug: a message that quotes valid multi-byte input is cut by bytes
        (store/codec.c "%.200s", the 1024-byte store_error message), which can
        leave half a character: the 400's body is not UTF-8 JSON."""
        item = dict(KNOWN_H, v={"N": "a" + "\u00e9" * 100})
        self.assertRefused(raw_request("PutItem", {"TableName": self.h, "Item": item}), "ValidationException")

    def test_long_multibyte_table_name_in_a_validation_message(self):
        """Was a bug: the same cut in the 1024-byte message of a validation error."""
        self.assertRefused(raw_request("DescribeTable", {"TableName": "a" + "\u00e9" * 600}), "ValidationException")

    def test_attribute_name_over_64_kb_is_refused(self):
        """Was a bug: attribute names have no length check (STORE_MAX_NAME_LEN, 65535, is
        defined in store/value.h and used nowhere): a 70,000-byte name is stored."""
        item = {"pk": {"S": "rob-longname"}, "a" * 70000: {"S": "v"}}
        try:
            self.assertRefused(raw_request("PutItem", {"TableName": self.h, "Item": item}), "ValidationException")
        finally:
            raw_request("DeleteItem", {"TableName": self.h, "Key": self.key("rob-longname")})

    def test_key_attribute_name_over_255_is_refused(self):
        """Was a bug: CreateTable takes a key attribute name of 256 characters (DynamoDB:
        keySchema.1.member.attributeName has length at most 255)."""
        name, attr = table_name("rob-k"), "k" * 256
        resp = raw_request("CreateTable", {"TableName": name, "BillingMode": "PAY_PER_REQUEST",
                                           "KeySchema": [{"AttributeName": attr, "KeyType": "HASH"}],
                                           "AttributeDefinitions": [{"AttributeName": attr, "AttributeType": "S"}]})
        if resp.status == 200:
            raw_request("DeleteTable", {"TableName": name})
        self.assertRefused(resp, "ValidationException")

    def test_clock_set_outside_1970_to_9999_is_refused(self):
        """Was a bug: PUT /_dynemu/clock {"now": "0000-01-01T00:00:00Z"} is taken (200)
        although advances may not leave years 1970 to 9999, and the clock then
        answers "0-01-01T00:00:00Z", which is not RFC 3339 (nor can it be PUT back);
        "9999-12-31T23:59:59-23:59" likewise gives year 10000."""
        try:
            for now in ("0000-01-01T00:00:00Z", "9999-12-31T23:59:59-23:59"):
                with self.subTest(now=now):
                    self.assertRefused(self.raw_method("PUT", "clock", json.dumps({"now": now}).encode()),
                                       "ValidationException")
        finally:
            self.raw_method("PUT", "clock", b'{"real": true}')
