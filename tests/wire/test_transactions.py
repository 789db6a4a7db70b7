"""TransactWriteItems and TransactGetItems: all or nothing, CancellationReasons
in request order (None, ConditionalCheckFailed with the ALL_OLD item,
ValidationError), every limit, the checks made before anything is applied,
ClientRequestToken idempotency and the AWS CLI."""

import http.client
import json
import urllib.parse
import uuid

from helpers import (NOT_FOUND, VALIDATION, WireTestCase, aws, create_table, raw_request, scan_all,
                     table_name, ENDPOINT)

CANCELLED = "TransactionCanceledException"
MISMATCH = "IdempotentParameterMismatchException"
CANCEL_PREFIX = "Transaction cancelled, please refer cancellation reasons for specific reasons "
CONDITION_FAILED = {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"}
NONE = {"Code": "None"}
SAME_ITEM = "Transaction request cannot include multiple operations on one item"
KB = 1024


def key(pk):
    return {"pk": {"S": pk}}


def put(table, pk, **attrs):
    item = key(pk)
    item.update(attrs)
    return {"Put": {"TableName": table, "Item": item}}


def delete(table, pk):
    return {"Delete": {"TableName": table, "Key": key(pk)}}


def add_one(table, pk, attr="n"):
    return {"Update": {"TableName": table, "Key": key(pk), "UpdateExpression": "ADD #a :one",
                       "ExpressionAttributeNames": {"#a": attr}, "ExpressionAttributeValues": {":one": {"N": "1"}}}}


def check(table, pk, condition="attribute_exists(pk)", **extra):
    action = {"TableName": table, "Key": key(pk), "ConditionExpression": condition}
    action.update(extra)
    return {"ConditionCheck": action}


def control(method, path, body=None):
    """The control API of the server under test (/_dynemu/...)."""
    url = urllib.parse.urlparse(ENDPOINT)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        conn.request(method, "/_dynemu/" + path, body=json.dumps(body) if body is not None else None,
                     headers={"Content-Type": "application/json"})
        resp = conn.getresponse()
        return resp.status, json.loads(resp.read() or b"{}")
    finally:
        conn.close()


class TransactionTestCase(WireTestCase):

    def setUp(self):
        super().setUp()
        self.table = create_table(self.ddb)

    def stored(self, name=None):
        """pk → item of every item in the table."""
        return {i["pk"]["S"]: i for i in scan_all(self.ddb, name or self.table, ConsistentRead=True)}

    def assertCancelled(self, reasons, items, **kwargs):
        """Runs TransactWriteItems, expects a cancellation with exactly these reasons."""
        resp = self.assertError(CANCELLED, self.ddb.transact_write_items, TransactItems=items, **kwargs)
        codes = ", ".join(r["Code"] for r in reasons)
        self.assertEqual(resp["Error"]["Message"], CANCEL_PREFIX + "[%s]" % codes)
        self.assertEqual(resp["CancellationReasons"], reasons)
        return resp

    def assertRawError(self, operation, body, code, message):
        resp = raw_request(operation, body)
        self.assertEqual(resp.status, 400, resp.body)
        self.assertTrue(resp.json()["__type"].endswith("#" + code), resp.body)
        self.assertEqual(resp.json()["message"], message)


class TransactWriteTest(TransactionTestCase):

    def test_put_update_delete_and_condition_check_apply_together(self):
        other = create_table(self.ddb, hash_key=("pk", "S"), range_key=("sk", "N"))
        self.ddb.put_item(TableName=self.table, Item={"pk": {"S": "counted"}, "n": {"N": "41"}})
        self.ddb.put_item(TableName=self.table, Item=key("doomed"))
        self.ddb.put_item(TableName=self.table, Item={"pk": {"S": "checked"}, "ok": {"BOOL": True}})
        resp = self.ddb.transact_write_items(TransactItems=[
            put(self.table, "fresh", v={"S": "new"}),
            add_one(self.table, "counted"),
            delete(self.table, "doomed"),
            check(self.table, "checked", "ok = :t", ExpressionAttributeValues={":t": {"BOOL": True}}),
            {"Put": {"TableName": other, "Item": {"pk": {"S": "x"}, "sk": {"N": "1"}}}},
        ])
        self.assertEqual({k: v for k, v in resp.items() if k != "ResponseMetadata"}, {})
        self.assertEqual(self.stored(), {
            "fresh": {"pk": {"S": "fresh"}, "v": {"S": "new"}},
            "counted": {"pk": {"S": "counted"}, "n": {"N": "42"}},
            "checked": {"pk": {"S": "checked"}, "ok": {"BOOL": True}},
        })
        self.assertItem(other, {"pk": {"S": "x"}, "sk": {"N": "1"}}, {"pk": {"S": "x"}, "sk": {"N": "1"}})

    def test_update_of_a_missing_item_creates_it(self):
        self.ddb.transact_write_items(TransactItems=[add_one(self.table, "born")])
        self.assertItem(self.table, key("born"), {"pk": {"S": "born"}, "n": {"N": "1"}})

    def test_a_failed_condition_cancels_every_action(self):
        self.ddb.put_item(TableName=self.table, Item={"pk": {"S": "counted"}, "n": {"N": "1"}})
        self.ddb.put_item(TableName=self.table, Item=key("kept"))
        before = self.stored()
        self.assertCancelled([NONE, NONE, CONDITION_FAILED, NONE], [
            put(self.table, "fresh"),
            add_one(self.table, "counted"),
            check(self.table, "absent"),
            delete(self.table, "kept"),
        ])
        self.assertEqual(self.stored(), before)

    def test_every_failing_action_has_its_reason_in_request_order(self):
        self.ddb.put_item(TableName=self.table, Item=key("taken"))
        self.assertCancelled([CONDITION_FAILED, NONE, CONDITION_FAILED], [
            {"Put": {"TableName": self.table, "Item": key("taken"), "ConditionExpression": "attribute_not_exists(pk)"}},
            put(self.table, "fresh"),
            {"Delete": {"TableName": self.table, "Key": key("absent"), "ConditionExpression": "attribute_exists(pk)"}},
        ])
        self.assertEqual(sorted(self.stored()), ["taken"])

    def test_all_old_returns_the_item_with_its_reason(self):
        old = {"pk": {"S": "a"}, "n": {"N": "7"}, "tags": {"SS": ["x", "y"]}}
        self.ddb.put_item(TableName=self.table, Item=old)
        self.ddb.put_item(TableName=self.table, Item={"pk": {"S": "b"}, "n": {"N": "7"}})
        low = {"ConditionExpression": "n < :c", "ExpressionAttributeValues": {":c": {"N": "5"}}}
        resp = self.assertCancelled(
            [dict(CONDITION_FAILED, Item=old), CONDITION_FAILED, CONDITION_FAILED],
            [check(self.table, "a", ReturnValuesOnConditionCheckFailure="ALL_OLD", **low),
             check(self.table, "b", ReturnValuesOnConditionCheckFailure="NONE", **low),
             # No item: nothing to return, even when asked.
             {"Update": dict(low, TableName=self.table, Key=key("absent"), UpdateExpression="SET n = :c",
                             ReturnValuesOnConditionCheckFailure="ALL_OLD")}])
        self.assertNotIn("Item", resp["CancellationReasons"][2])

    def test_put_with_a_wrong_key_type_is_a_validation_error_reason(self):
        self.assertCancelled(
            [NONE, {"Code": "ValidationError",
                    "Message": "One or more parameter values were invalid: "
                               "Type mismatch for key pk expected: S actual: N"}],
            [put(self.table, "fresh"), {"Put": {"TableName": self.table, "Item": {"pk": {"N": "5"}}}}])
        self.assertEqual(self.stored(), {})

    def test_a_key_not_matching_the_schema_is_a_validation_error_reason(self):
        schema = {"Code": "ValidationError", "Message": "The provided key element does not match the schema"}
        self.assertCancelled([NONE, schema, schema, schema], [
            put(self.table, "fresh"),
            {"Update": {"TableName": self.table, "Key": {"pk": {"N": "5"}}, "UpdateExpression": "SET a = :v",
                        "ExpressionAttributeValues": {":v": {"S": "x"}}}},
            {"Delete": {"TableName": self.table, "Key": {"pk": {"S": "k"}, "extra": {"S": "x"}}}},
            {"ConditionCheck": {"TableName": self.table, "Key": {"pk": {"L": [{"S": "k"}]}},
                                "ConditionExpression": "attribute_exists(pk)"}},
        ])
        self.assertEqual(self.stored(), {})

    def test_an_update_that_cannot_apply_is_a_validation_error_reason(self):
        self.ddb.put_item(TableName=self.table, Item={"pk": {"S": "a"}, "n": {"S": "not a number"}})
        self.assertCancelled(
            [{"Code": "ValidationError", "Message": "An operand in the update expression has an incorrect data type"},
             NONE],
            [add_one(self.table, "a"), put(self.table, "fresh")])
        self.assertEqual(sorted(self.stored()), ["a"])

    def test_an_update_of_a_key_attribute_is_a_validation_error_reason(self):
        self.assertCancelled(
            [{"Code": "ValidationError", "Message": "One or more parameter values were invalid: Cannot update "
                                                    "attribute pk. This attribute is part of the key"}],
            [{"Update": {"TableName": self.table, "Key": key("a"), "UpdateExpression": "SET pk = :v",
                         "ExpressionAttributeValues": {":v": {"S": "b"}}}}])

    def test_an_update_growing_past_400_kb_is_a_validation_error_reason(self):
        # An Update's size only shows once the transaction runs (a Put's shows in the request).
        self.ddb.put_item(TableName=self.table, Item={"pk": {"S": "big"}, "a": {"S": "x" * (300 * KB)}})
        self.assertCancelled(
            [NONE, {"Code": "ValidationError", "Message": "Item size to update has exceeded the maximum allowed size"}],
            [put(self.table, "fresh"),
             {"Update": {"TableName": self.table, "Key": key("big"), "UpdateExpression": "SET b = :b",
                         "ExpressionAttributeValues": {":b": {"S": "y" * (150 * KB)}}}}])
        self.assertEqual(sorted(self.stored()), ["big"])

    def test_indexes_follow_the_writes_of_a_transaction(self):
        name = create_table(
            self.ddb, AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                            {"AttributeName": "g", "AttributeType": "S"}],
            GlobalSecondaryIndexes=[{"IndexName": "by-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                     "Projection": {"ProjectionType": "ALL"}}])
        self.ddb.put_item(TableName=name, Item={"pk": {"S": "old"}, "g": {"S": "grp"}})
        self.ddb.transact_write_items(TransactItems=[put(name, "new", g={"S": "grp"}), delete(name, "old")])
        found = self.ddb.query(TableName=name, IndexName="by-g", KeyConditionExpression="g = :g",
                               ExpressionAttributeValues={":g": {"S": "grp"}})["Items"]
        self.assertEqual([i["pk"]["S"] for i in found], ["new"])


    def test_an_update_writing_a_wrong_index_key_type_cancels(self):
        name = create_table(
            self.ddb, AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                            {"AttributeName": "g", "AttributeType": "S"}],
            GlobalSecondaryIndexes=[{"IndexName": "by-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                     "Projection": {"ProjectionType": "ALL"}}])
        resp = self.assertError(CANCELLED, self.ddb.transact_write_items, TransactItems=[
            {"Update": {"TableName": name, "Key": key("a"), "UpdateExpression": "SET g = :n",
                        "ExpressionAttributeValues": {":n": {"N": "1"}}}}])
        self.assertEqual(resp["CancellationReasons"][0]["Code"], "ValidationError")
        self.assertIn("g", resp["CancellationReasons"][0]["Message"])
        self.assertEqual(scan_all(self.ddb, name), [])


class TransactWriteLimitTest(TransactionTestCase):

    def test_100_actions_are_applied(self):
        self.ddb.transact_write_items(TransactItems=[put(self.table, "k%03d" % i) for i in range(100)])
        self.assertEqual(len(self.stored()), 100)

    def test_101_actions_are_refused(self):
        self.assertError(VALIDATION, self.ddb.transact_write_items,
                         TransactItems=[put(self.table, "k%03d" % i) for i in range(101)],
                         contains=["1 validation error detected: ", "at 'transactItems' failed to satisfy constraint: "
                                   "Member must have length less than or equal to 100"])
        self.assertEqual(self.stored(), {})

    def test_an_empty_list_is_refused(self):
        # boto3 refuses an empty list itself: sent raw.
        self.assertRawError("TransactWriteItems", {"TransactItems": []}, VALIDATION,
                            "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: "
                            "Member must have length greater than or equal to 1")
        self.assertRawError("TransactWriteItems", {}, VALIDATION,
                            "1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: "
                            "Member must not be null")

    def test_more_than_4_mb_is_refused(self):
        items = [put(self.table, "k%02d" % i, d={"S": "x" * (390 * KB)}) for i in range(11)]
        self.assertError(VALIDATION, self.ddb.transact_write_items, TransactItems=items,
                         contains="Transaction payload size cannot exceed 4MB. Payload Size: ")
        self.assertEqual(self.stored(), {})
        self.ddb.transact_write_items(TransactItems=items[:10])
        self.assertEqual(len(self.stored()), 10)

    def test_a_put_over_400_kb_is_refused_with_the_request(self):
        self.assertError(VALIDATION, self.ddb.transact_write_items,
                         TransactItems=[put(self.table, "fresh"), put(self.table, "big", d={"S": "x" * (400 * KB)})],
                         message="Item size has exceeded the maximum allowed size")
        self.assertEqual(self.stored(), {})

    def test_two_actions_on_one_item_are_refused(self):
        self.ddb.put_item(TableName=self.table, Item=key("a"))
        for pair in ([put(self.table, "a"), delete(self.table, "a")],
                     [check(self.table, "a"), add_one(self.table, "a")],
                     [put(self.table, "a"), put(self.table, "a")]):
            self.assertError(VALIDATION, self.ddb.transact_write_items,
                             TransactItems=[put(self.table, "fresh")] + pair, message=SAME_ITEM)
        self.assertEqual(sorted(self.stored()), ["a"])

    def test_one_partition_key_with_two_sort_keys_is_two_items(self):
        name = create_table(self.ddb, range_key=("sk", "S"))
        items = [{"Put": {"TableName": name, "Item": {"pk": {"S": "p"}, "sk": {"S": s}}}} for s in ("1", "2")]
        self.ddb.transact_write_items(TransactItems=items)
        self.assertEqual(len(scan_all(self.ddb, name)), 2)
        self.assertError(VALIDATION, self.ddb.transact_write_items, TransactItems=items + items[:1], message=SAME_ITEM)

    def test_a_token_longer_than_36_characters_is_refused(self):
        self.assertError(VALIDATION, self.ddb.transact_write_items,
                         TransactItems=[put(self.table, "a")], ClientRequestToken="t" * 37,
                         message="1 validation error detected: Value '%s' at 'clientRequestToken' failed to satisfy "
                                 "constraint: Member must have length less than or equal to 36" % ("t" * 37))
        self.assertEqual(self.stored(), {})


class TransactWriteRefusalTest(TransactionTestCase):
    """What is wrong with the request is refused before anything is checked or written."""

    def test_a_missing_table_refuses_everything(self):
        self.assertError(NOT_FOUND, self.ddb.transact_write_items,
                         TransactItems=[put(self.table, "a"), put(table_name("missing"), "b")],
                         message="Requested resource not found")
        self.assertEqual(self.stored(), {})

    def test_a_bad_expression_in_a_later_action_comes_before_a_missing_table(self):
        self.assertError(VALIDATION, self.ddb.transact_write_items,
                         TransactItems=[put(table_name("missing"), "a"),
                                        check(self.table, "b", "attribute_not_exists(")],
                         message='Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("')

    def test_unused_expression_values_are_refused(self):
        self.assertError(VALIDATION, self.ddb.transact_write_items,
                         TransactItems=[put(self.table, "a"),
                                        check(self.table, "b", ExpressionAttributeValues={":v": {"S": "x"}})],
                         message="Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}")
        self.assertEqual(self.stored(), {})

    def test_an_empty_key_value_is_refused_with_the_request(self):
        self.assertError(VALIDATION, self.ddb.transact_write_items,
                         TransactItems=[put(self.table, "a"), delete(self.table, "")],
                         message="One or more parameter values are not valid. The AttributeValue for a key attribute "
                                 "cannot contain an empty string value. Key: pk")
        self.assertEqual(self.stored(), {})

    def test_a_bad_value_is_refused_with_the_request(self):
        self.assertError(VALIDATION, self.ddb.transact_write_items,
                         TransactItems=[put(self.table, "a"), put(self.table, "b", n={"N": "twelve"})],
                         contains="cannot be converted to a numeric value")
        self.assertEqual(self.stored(), {})

    def test_an_entry_must_hold_exactly_one_action(self):
        self.assertRawError("TransactWriteItems", {"TransactItems": [put(self.table, "a"), {}]}, VALIDATION,
                            "The action or operation requested is invalid. Verify that the action is typed correctly.")
        both = dict(put(self.table, "a"), **delete(self.table, "b"))
        self.assertRawError("TransactWriteItems", {"TransactItems": [both]}, VALIDATION,
                            "TransactItems can only contain one of Check, Put, Update or Delete")
        self.assertEqual(self.stored(), {})

    def test_missing_members_are_reported_together(self):
        self.assertRawError(
            "TransactWriteItems",
            {"TransactItems": [put(self.table, "a"), {"Update": {}}], "ReturnItemCollectionMetrics": "ALL"},
            VALIDATION,
            "4 validation errors detected: "
            "Value 'ALL' at 'returnItemCollectionMetrics' failed to satisfy constraint: "
            "Member must satisfy enum value set: [SIZE, NONE]; "
            "Value null at 'transactItems.2.member.update.key' failed to satisfy constraint: Member must not be null; "
            "Value null at 'transactItems.2.member.update.tableName' failed to satisfy constraint: "
            "Member must not be null; "
            "Value null at 'transactItems.2.member.update.updateExpression' failed to satisfy constraint: "
            "Member must not be null")
        self.assertRawError(
            "TransactWriteItems",
            {"TransactItems": [{"ConditionCheck": {"TableName": self.table, "Key": key("a"),
                                                   "ReturnValuesOnConditionCheckFailure": "ALL_NEW"}}]},
            VALIDATION,
            "2 validation errors detected: "
            "Value null at 'transactItems.1.member.conditionCheck.conditionExpression' failed to satisfy constraint: "
            "Member must not be null; "
            "Value 'ALL_NEW' at 'transactItems.1.member.conditionCheck.returnValuesOnConditionCheckFailure' failed to "
            "satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]")


class IdempotencyTest(TransactionTestCase):
    """Tokens belong to the database, which outlives a test: each test makes its own."""

    def setUp(self):
        super().setUp()
        self.token = uuid.uuid4().hex

    def counter(self, pk="c"):
        item = self.ddb.get_item(TableName=self.table, Key=key(pk), ConsistentRead=True).get("Item")
        return int(item["n"]["N"]) if item else 0

    def test_the_same_request_with_its_token_applies_once(self):
        for _ in range(3):
            resp = self.ddb.transact_write_items(TransactItems=[add_one(self.table, "c")],
                                                 ClientRequestToken=self.token)
            self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(self.counter(), 1)

    def test_the_same_parameters_in_another_order_are_the_same_request(self):
        action = add_one(self.table, "c")["Update"]
        first = json.dumps({"ClientRequestToken": self.token, "TransactItems": [{"Update": action}]})
        again = json.dumps({"TransactItems": [{"Update": dict(reversed(list(action.items())))}],
                            "ClientRequestToken": self.token}, indent=2)
        for body in (first, again):
            self.assertEqual(raw_request("TransactWriteItems", body).status, 200)
        self.assertEqual(self.counter(), 1)

    def test_another_request_with_a_used_token_is_refused(self):
        self.ddb.transact_write_items(TransactItems=[add_one(self.table, "c")], ClientRequestToken=self.token)
        self.assertError(MISMATCH, self.ddb.transact_write_items,
                         TransactItems=[add_one(self.table, "c"), put(self.table, "other")],
                         ClientRequestToken=self.token)
        self.assertEqual(self.counter(), 1)
        self.assertNotIn("other", self.stored())

    def test_without_a_token_each_request_applies(self):
        body = {"TransactItems": [add_one(self.table, "c")]}
        for _ in range(2):
            self.assertEqual(raw_request("TransactWriteItems", body).status, 200)
        self.assertEqual(self.counter(), 2)

    def test_a_token_lasts_ten_minutes_by_the_database_clock(self):
        # The shared server's clock moves here; it is put back, whatever happens.
        items = [add_one(self.table, "c")]
        self.ddb.transact_write_items(TransactItems=items, ClientRequestToken=self.token)
        moved = 0
        try:
            for seconds, expected in ((599, 1), (2, 2)):
                status, _ = control("PUT", "clock", {"advance_seconds": seconds})
                self.assertEqual(status, 200)
                moved += seconds
                self.ddb.transact_write_items(TransactItems=items, ClientRequestToken=self.token)
                self.assertEqual(self.counter(), expected)
        finally:
            control("PUT", "clock", {"advance_seconds": -moved})
        # Recorded anew when it applied: replayed again now.
        self.ddb.transact_write_items(TransactItems=items, ClientRequestToken=self.token)
        self.assertEqual(self.counter(), 2)

    def test_a_cancelled_request_may_be_retried_with_its_token(self):
        items = [check(self.table, "gate"), add_one(self.table, "c")]
        self.assertCancelled([CONDITION_FAILED, NONE], items, ClientRequestToken=self.token)
        self.assertError(MISMATCH, self.ddb.transact_write_items,
                         TransactItems=[add_one(self.table, "c")], ClientRequestToken=self.token)
        self.ddb.put_item(TableName=self.table, Item=key("gate"))
        self.ddb.transact_write_items(TransactItems=items, ClientRequestToken=self.token)
        self.ddb.transact_write_items(TransactItems=items, ClientRequestToken=self.token)
        self.assertEqual(self.counter(), 1)


class TransactGetTest(TransactionTestCase):

    def get(self, table, pk, **extra):
        return {"Get": dict(extra, TableName=table, Key=key(pk))}

    def test_items_come_in_request_order_and_a_missing_one_as_empty(self):
        other = create_table(self.ddb)
        self.ddb.put_item(TableName=self.table, Item={"pk": {"S": "a"}, "n": {"N": "1"}})
        self.ddb.put_item(TableName=other, Item={"pk": {"S": "b"}, "s": {"S": "x"}})
        resp = self.ddb.transact_get_items(TransactItems=[
            self.get(other, "b"), self.get(self.table, "missing"), self.get(self.table, "a")])
        self.assertEqual(resp["Responses"], [{"Item": {"pk": {"S": "b"}, "s": {"S": "x"}}}, {},
                                             {"Item": {"pk": {"S": "a"}, "n": {"N": "1"}}}])

    def test_a_projection_picks_attributes(self):
        self.ddb.put_item(TableName=self.table, Item={"pk": {"S": "a"}, "name": {"S": "n"}, "m": {"M": {
            "x": {"N": "1"}, "y": {"N": "2"}}}, "other": {"S": "o"}})
        resp = self.ddb.transact_get_items(TransactItems=[
            self.get(self.table, "a", ProjectionExpression="#n, m.y", ExpressionAttributeNames={"#n": "name"})])
        self.assertEqual(resp["Responses"], [{"Item": {"name": {"S": "n"}, "m": {"M": {"y": {"N": "2"}}}}}])

    def test_100_gets_are_answered_and_101_refused(self):
        self.ddb.transact_write_items(TransactItems=[put(self.table, "k%03d" % i) for i in range(100)])
        resp = self.ddb.transact_get_items(TransactItems=[self.get(self.table, "k%03d" % i) for i in range(100)])
        self.assertEqual([r["Item"]["pk"]["S"] for r in resp["Responses"]], ["k%03d" % i for i in range(100)])
        self.assertError(VALIDATION, self.ddb.transact_get_items,
                         TransactItems=[self.get(self.table, "k%03d" % i) for i in range(101)],
                         contains="at 'transactItems' failed to satisfy constraint: "
                                  "Member must have length less than or equal to 100")

    def test_two_gets_of_one_item_are_refused(self):
        self.assertError(VALIDATION, self.ddb.transact_get_items,
                         TransactItems=[self.get(self.table, "a"), self.get(self.table, "a")], message=SAME_ITEM)

    def test_a_missing_table_is_refused(self):
        self.assertError(NOT_FOUND, self.ddb.transact_get_items,
                         TransactItems=[self.get(table_name("missing"), "a")], message="Requested resource not found")

    def test_a_key_not_matching_the_schema_cancels(self):
        resp = self.assertError(CANCELLED, self.ddb.transact_get_items, TransactItems=[
            self.get(self.table, "a"), {"Get": {"TableName": self.table, "Key": {}}}])
        self.assertEqual(resp["Error"]["Message"], CANCEL_PREFIX + "[None, ValidationError]")
        self.assertEqual(resp["CancellationReasons"], [
            NONE, {"Code": "ValidationError", "Message": "The provided key element does not match the schema"}])

    def test_malformed_requests_are_refused(self):
        self.assertRawError("TransactGetItems", {"TransactItems": []}, VALIDATION,
                            "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: "
                            "Member must have length greater than or equal to 1")
        self.assertRawError("TransactGetItems", {"TransactItems": [{}, {"Get": {"Key": key("a")}}]}, VALIDATION,
                            "2 validation errors detected: "
                            "Value null at 'transactItems.1.member.get' failed to satisfy constraint: "
                            "Member must not be null; "
                            "Value null at 'transactItems.2.member.get.tableName' failed to satisfy constraint: "
                            "Member must not be null")
        self.assertError(VALIDATION, self.ddb.transact_get_items,
                         TransactItems=[self.get(self.table, "a", ProjectionExpression="!!!")],
                         message='Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"')


class CliTest(TransactionTestCase):

    def test_aws_cli_transact_write_items(self):
        items = [put(self.table, "cli", v={"S": "1"}), check(self.table, "gate", "attribute_not_exists(pk)")]
        proc = aws("transact-write-items", "--transact-items", json.dumps(items))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertItem(self.table, key("cli"), {"pk": {"S": "cli"}, "v": {"S": "1"}})
        items = [put(self.table, "other"), check(self.table, "cli", "v = :two",
                                                 ExpressionAttributeValues={":two": {"S": "2"}})]
        proc = aws("transact-write-items", "--transact-items", json.dumps(items))
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("An error occurred (TransactionCanceledException) when calling the TransactWriteItems operation: "
                      + CANCEL_PREFIX + "[None, ConditionalCheckFailed]", proc.stderr)
        self.assertEqual(sorted(self.stored()), ["cli"])
