"""BatchWriteItem and BatchGetItem: limits, duplicates, all-or-nothing refusals."""

from helpers import NOT_FOUND, VALIDATION, WireTestCase, create_table, scan_all, table_name


def put(pk, **attrs):
    item = {"pk": {"S": pk}}
    item.update(attrs)
    return {"PutRequest": {"Item": item}}


def delete(pk):
    return {"DeleteRequest": {"Key": {"pk": {"S": pk}}}}


def key(pk):
    return {"pk": {"S": pk}}


class BatchWriteTest(WireTestCase):

    def setUp(self):
        super().setUp()
        self.table = create_table(self.ddb)

    def stored_keys(self, name=None):
        return sorted(i["pk"]["S"] for i in scan_all(self.ddb, name or self.table, ConsistentRead=True))

    def test_25_puts_are_written(self):
        requests = [put("k%02d" % i, n={"N": str(i)}) for i in range(25)]
        resp = self.ddb.batch_write_item(RequestItems={self.table: requests})
        self.assertEqual(resp["UnprocessedItems"], {})
        self.assertEqual(self.stored_keys(), ["k%02d" % i for i in range(25)])
        self.assertItem(self.table, key("k07"), {"pk": {"S": "k07"}, "n": {"N": "7"}})

    def test_puts_and_deletes_across_two_tables(self):
        other = create_table(self.ddb)
        self.ddb.batch_write_item(RequestItems={self.table: [put("a"), put("b")], other: [put("x")]})
        resp = self.ddb.batch_write_item(RequestItems={
            self.table: [delete("a"), put("c", v={"S": "new"}), delete("never-there")],
            other: [put("y"), delete("x")],
        })
        self.assertEqual(resp["UnprocessedItems"], {})
        self.assertEqual(self.stored_keys(), ["b", "c"])
        self.assertEqual(self.stored_keys(other), ["y"])

    def test_put_replaces_an_existing_item(self):
        self.ddb.put_item(TableName=self.table, Item={"pk": {"S": "a"}, "old": {"S": "gone"}})
        self.ddb.batch_write_item(RequestItems={self.table: [put("a", new={"S": "here"})]})
        self.assertItem(self.table, key("a"), {"pk": {"S": "a"}, "new": {"S": "here"}})

    def test_26_requests_in_one_table_are_refused(self):
        requests = [put("k%02d" % i) for i in range(26)]
        self.assertError(VALIDATION, self.ddb.batch_write_item, RequestItems={self.table: requests},
                         contains="Member must have length less than or equal to 25")
        self.assertEqual(self.stored_keys(), [])

    def test_26_requests_across_tables_are_refused(self):
        # The limit is 25 for the whole call; dynalite only checks each table's list.
        other = create_table(self.ddb)
        self.assertError(VALIDATION, self.ddb.batch_write_item,
                         RequestItems={self.table: [put("a%02d" % i) for i in range(13)],
                                       other: [put("b%02d" % i) for i in range(13)]},
                         message="Too many items requested for the BatchWriteItem call")
        self.assertEqual(self.stored_keys(), [])
        self.assertEqual(self.stored_keys(other), [])

    def test_duplicate_puts_are_refused(self):
        self.ddb.put_item(TableName=self.table, Item={"pk": {"S": "dup"}, "v": {"S": "before"}})
        self.assertError(VALIDATION, self.ddb.batch_write_item,
                         RequestItems={self.table: [put("fresh"), put("dup", v={"S": "1"}), put("dup", v={"S": "2"})]},
                         message="Provided list of item keys contains duplicates")
        self.assertEqual(self.stored_keys(), ["dup"])
        self.assertItem(self.table, key("dup"), {"pk": {"S": "dup"}, "v": {"S": "before"}})

    def test_put_and_delete_of_one_key_are_refused(self):
        self.ddb.put_item(TableName=self.table, Item={"pk": {"S": "dup"}})
        self.assertError(VALIDATION, self.ddb.batch_write_item,
                         RequestItems={self.table: [put("fresh"), delete("dup"), put("dup")]},
                         message="Provided list of item keys contains duplicates")
        self.assertEqual(self.stored_keys(), ["dup"])

    def test_one_bad_item_refuses_the_whole_batch(self):
        self.assertError(VALIDATION, self.ddb.batch_write_item,
                         RequestItems={self.table: [put("good"), {"PutRequest": {"Item": {"pk": {"N": "1"}}}}]})
        self.assertEqual(self.stored_keys(), [])
        self.assertError(VALIDATION, self.ddb.batch_write_item,
                         RequestItems={self.table: [put("good"), put("bad", n={"N": "not a number"})]},
                         contains="cannot be converted to a numeric value")
        self.assertEqual(self.stored_keys(), [])
        self.assertError(VALIDATION, self.ddb.batch_write_item,
                         RequestItems={self.table: [put("good"), put("bad", s={"SS": []})]})
        self.assertEqual(self.stored_keys(), [])

    def test_oversized_item_refuses_the_whole_batch(self):
        self.assertError(VALIDATION, self.ddb.batch_write_item,
                         RequestItems={self.table: [put("good"), put("big", d={"S": "x" * (400 * 1024 + 1)})]},
                         message="Item size has exceeded the maximum allowed size")
        self.assertEqual(self.stored_keys(), [])

    def test_missing_table_refuses_the_whole_batch(self):
        self.assertError(NOT_FOUND, self.ddb.batch_write_item,
                         RequestItems={self.table: [put("good")], table_name("missing"): [put("x")]},
                         message="Requested resource not found")
        self.assertEqual(self.stored_keys(), [])


class BatchGetTest(WireTestCase):

    def setUp(self):
        super().setUp()
        self.table = create_table(self.ddb)
        self.keys = ["k%03d" % i for i in range(100)]
        for start in range(0, 100, 25):
            self.ddb.batch_write_item(RequestItems={self.table: [
                put(k, n={"N": str(i)}, pad={"S": "p"}) for i, k in enumerate(self.keys[start:start + 25], start)]})

    def test_100_keys_are_read(self):
        resp = self.ddb.batch_get_item(RequestItems={self.table: {"Keys": [key(k) for k in self.keys]}})
        self.assertEqual(resp["UnprocessedKeys"], {})
        got = resp["Responses"][self.table]
        self.assertEqual(sorted(i["pk"]["S"] for i in got), self.keys)
        by_key = {i["pk"]["S"]: i for i in got}
        self.assertEqual(by_key["k042"], {"pk": {"S": "k042"}, "n": {"N": "42"}, "pad": {"S": "p"}})

    def test_missing_keys_are_left_out(self):
        resp = self.ddb.batch_get_item(RequestItems={self.table: {"Keys": [key("k001"), key("nope")]}})
        self.assertEqual([i["pk"]["S"] for i in resp["Responses"][self.table]], ["k001"])
        self.assertEqual(resp["UnprocessedKeys"], {})

    def test_two_tables_and_a_projection(self):
        other = create_table(self.ddb)
        self.ddb.put_item(TableName=other, Item={"pk": {"S": "o"}, "name": {"S": "Ada"}, "x": {"N": "1"}})
        resp = self.ddb.batch_get_item(RequestItems={
            self.table: {"Keys": [key("k003")], "ProjectionExpression": "n"},
            other: {"Keys": [key("o")], "ProjectionExpression": "#n", "ExpressionAttributeNames": {"#n": "name"}},
        })
        self.assertEqual(resp["Responses"][self.table], [{"n": {"N": "3"}}])
        self.assertEqual(resp["Responses"][other], [{"name": {"S": "Ada"}}])

    def test_101_keys_are_refused(self):
        keys = [key(k) for k in self.keys] + [key("k100")]
        # One table's Keys list breaks its declared length constraint.
        self.assertError(VALIDATION, self.ddb.batch_get_item, RequestItems={self.table: {"Keys": keys}},
                         contains="Member must have length less than or equal to 100")

    def test_101_keys_across_tables_are_refused(self):
        # Each list is within its own limit; the call as a whole is not.
        other = create_table(self.ddb)
        self.assertError(VALIDATION, self.ddb.batch_get_item, RequestItems={
            self.table: {"Keys": [key(k) for k in self.keys[:51]]},
            other: {"Keys": [key("o%03d" % i) for i in range(50)]},
        }, message="Too many items requested for the BatchGetItem call")

    def test_duplicate_keys_are_refused(self):
        self.assertError(VALIDATION, self.ddb.batch_get_item,
                         RequestItems={self.table: {"Keys": [key("k001"), key("k002"), key("k001")]}},
                         message="Provided list of item keys contains duplicates")

    def test_wrong_key_is_refused(self):
        self.assertError(VALIDATION, self.ddb.batch_get_item,
                         RequestItems={self.table: {"Keys": [key("k001"), {"pk": {"N": "1"}}]}},
                         message="The provided key element does not match the schema")

    def test_missing_table(self):
        self.assertError(NOT_FOUND, self.ddb.batch_get_item,
                         RequestItems={table_name("missing"): {"Keys": [key("a")]}},
                         message="Requested resource not found")
