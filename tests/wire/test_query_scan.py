"""Query (key conditions, order, Limit, pagination, COUNT, the 1 MB page) and
Scan (Limit, pagination, parallel segments, COUNT, the 1 MB page)."""

from decimal import Decimal

from helpers import NOT_FOUND, VALIDATION, WireTestCase, create_table, table_name

# Sort keys of partition "p", in DynamoDB's order: UTF-8 byte order, so "Z" < "a",
# and U+FF5E (EF BD 9E) < U+1F600 (F0 9F 98 80) although UTF-16 orders them the other way.
STRING_KEYS = ["Z", "a", "b", "ba", "bb", "c", "d", "z", "é", "\uff5e", "\U0001F600"]
NUMBER_KEYS = ["-5", "-1.5", "0", "1", "1.5", "2", "10", "100"]

BIG_VALUE = "x" * (300 * 1024)  # ~300 KB: four such items pass the 1 MB page size


def all_pages(call, **kwargs):
    """Every page of a Query or Scan, following LastEvaluatedKey."""
    pages, start = [], None
    while True:
        args = dict(kwargs)
        if start:
            args["ExclusiveStartKey"] = start
        page = call(**args)
        pages.append(page)
        start = page.get("LastEvaluatedKey")
        if not start or len(pages) > 1000:
            return pages


class StringSortKeyQueryTest(WireTestCase):

    def setUp(self):
        super().setUp()
        self.table = create_table(self.ddb, hash_key=("pk", "S"), range_key=("sk", "S"))
        # Written out of order, and a neighbour partition that must never show up.
        for sk in reversed(STRING_KEYS):
            self.ddb.put_item(TableName=self.table, Item={"pk": {"S": "p"}, "sk": {"S": sk}, "v": {"S": "v" + sk}})
        for sk in ("a", "b", "c"):
            self.ddb.put_item(TableName=self.table, Item={"pk": {"S": "q"}, "sk": {"S": sk}})

    def query(self, condition, values, **kwargs):
        values = dict(values, **{":p": {"S": "p"}})
        return self.ddb.query(TableName=self.table, KeyConditionExpression="pk = :p" + condition,
                              ExpressionAttributeValues=values, **kwargs)

    def sort_keys(self, condition="", values=None, **kwargs):
        resp = self.query(condition, values or {}, **kwargs)
        self.assertEqual(resp["Count"], len(resp["Items"]))
        for item in resp["Items"]:
            self.assertEqual(item["pk"], {"S": "p"})
        return [i["sk"]["S"] for i in resp["Items"]]

    def test_whole_partition_in_sort_key_order(self):
        self.assertEqual(self.sort_keys(), STRING_KEYS)
        resp = self.query("", {})
        self.assertEqual(resp["Items"][2], {"pk": {"S": "p"}, "sk": {"S": "b"}, "v": {"S": "vb"}})
        self.assertEqual(resp["ScannedCount"], len(STRING_KEYS))
        self.assertNotIn("LastEvaluatedKey", resp)

    def test_comparison_operators(self):
        b = {":b": {"S": "b"}}
        self.assertEqual(self.sort_keys(" AND sk = :b", b), ["b"])
        self.assertEqual(self.sort_keys(" AND sk < :b", b), ["Z", "a"])
        self.assertEqual(self.sort_keys(" AND sk <= :b", b), ["Z", "a", "b"])
        self.assertEqual(self.sort_keys(" AND sk > :b", b), ["ba", "bb", "c", "d", "z", "é", "\uff5e", "\U0001F600"])
        self.assertEqual(self.sort_keys(" AND sk >= :b", b), ["b", "ba", "bb", "c", "d", "z", "é", "\uff5e", "\U0001F600"])
        self.assertEqual(self.sort_keys(" AND sk = :b", {":b": {"S": "nothing"}}), [])

    def test_between_and_begins_with(self):
        self.assertEqual(self.sort_keys(" AND sk BETWEEN :lo AND :hi", {":lo": {"S": "b"}, ":hi": {"S": "c"}}),
                         ["b", "ba", "bb", "c"])
        self.assertEqual(self.sort_keys(" AND sk BETWEEN :lo AND :hi", {":lo": {"S": "a1"}, ":hi": {"S": "bz"}}),
                         ["b", "ba", "bb"])
        self.assertEqual(self.sort_keys(" AND begins_with(sk, :pre)", {":pre": {"S": "b"}}), ["b", "ba", "bb"])
        self.assertEqual(self.sort_keys(" AND begins_with(sk, :pre)", {":pre": {"S": "bb"}}), ["bb"])
        self.assertEqual(self.sort_keys(" AND begins_with(sk, :pre)", {":pre": {"S": "x"}}), [])

    def test_names_and_reversed_conditions(self):
        resp = self.ddb.query(TableName=self.table,
                              KeyConditionExpression="#s BETWEEN :lo AND :hi AND #p = :p",
                              ExpressionAttributeNames={"#p": "pk", "#s": "sk"},
                              ExpressionAttributeValues={":p": {"S": "p"}, ":lo": {"S": "c"}, ":hi": {"S": "d"}})
        self.assertEqual([i["sk"]["S"] for i in resp["Items"]], ["c", "d"])

    def test_scan_index_forward_false(self):
        self.assertEqual(self.sort_keys(ScanIndexForward=False), list(reversed(STRING_KEYS)))
        self.assertEqual(self.sort_keys(" AND sk < :b", {":b": {"S": "bb"}}, ScanIndexForward=False),
                         ["ba", "b", "a", "Z"])

    def test_limit_and_pagination(self):
        pages = all_pages(self.query, condition="", values={}, Limit=3)
        seen = []
        for page in pages:
            self.assertLessEqual(len(page["Items"]), 3)
            self.assertEqual(page["Count"], len(page["Items"]))
            seen.extend(i["sk"]["S"] for i in page["Items"])
            if "LastEvaluatedKey" in page:
                # The cursor is the full primary key of the last item returned.
                last = page["Items"][-1]
                self.assertEqual(page["LastEvaluatedKey"], {"pk": last["pk"], "sk": last["sk"]})
        self.assertEqual(seen, STRING_KEYS)
        self.assertGreaterEqual(len(pages), 4)

    def test_pagination_backwards(self):
        pages = all_pages(self.query, condition="", values={}, Limit=4, ScanIndexForward=False)
        seen = [i["sk"]["S"] for page in pages for i in page["Items"]]
        self.assertEqual(seen, list(reversed(STRING_KEYS)))

    def test_exclusive_start_key(self):
        resp = self.query("", {}, ExclusiveStartKey={"pk": {"S": "p"}, "sk": {"S": "bb"}})
        self.assertEqual([i["sk"]["S"] for i in resp["Items"]], STRING_KEYS[STRING_KEYS.index("bb") + 1:])
        resp = self.query(" AND sk < :z", {":z": {"S": "z"}}, ExclusiveStartKey={"pk": {"S": "p"}, "sk": {"S": "c"}},
                          ScanIndexForward=False)
        self.assertEqual([i["sk"]["S"] for i in resp["Items"]], ["bb", "ba", "b", "a", "Z"])

    def test_select_count(self):
        resp = self.query(" AND begins_with(sk, :pre)", {":pre": {"S": "b"}}, Select="COUNT")
        self.assertEqual(resp["Count"], 3)
        self.assertEqual(resp["ScannedCount"], 3)
        self.assertNotIn("Items", resp)
        resp = self.query("", {}, Select="COUNT", Limit=2)
        self.assertEqual(resp["Count"], 2)
        self.assertEqual(resp["LastEvaluatedKey"], {"pk": {"S": "p"}, "sk": {"S": "a"}})

    def test_other_partition_and_empty_partition(self):
        resp = self.ddb.query(TableName=self.table, KeyConditionExpression="pk = :p",
                              ExpressionAttributeValues={":p": {"S": "q"}})
        self.assertEqual([i["sk"]["S"] for i in resp["Items"]], ["a", "b", "c"])
        resp = self.ddb.query(TableName=self.table, KeyConditionExpression="pk = :p",
                              ExpressionAttributeValues={":p": {"S": "none"}})
        self.assertEqual((resp["Items"], resp["Count"]), ([], 0))

    def test_condition_without_partition_key(self):
        self.assertError(VALIDATION, self.ddb.query, TableName=self.table, KeyConditionExpression="sk = :s",
                         ExpressionAttributeValues={":s": {"S": "a"}},
                         message="Query condition missed key schema element: pk")

    def test_undefined_value_placeholder(self):
        self.assertError(VALIDATION, self.ddb.query, TableName=self.table, KeyConditionExpression="pk = :nope",
                         ExpressionAttributeValues={":p": {"S": "p"}},
                         contains="An expression attribute value used in expression is not defined; attribute value: :nope")

    def test_wrong_value_type_for_the_key(self):
        self.assertError(VALIDATION, self.ddb.query, TableName=self.table, KeyConditionExpression="pk = :p",
                         ExpressionAttributeValues={":p": {"N": "1"}})

    def test_missing_table(self):
        self.assertError(NOT_FOUND, self.ddb.query, TableName=table_name("missing"),
                         KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "p"}},
                         message="Requested resource not found")


class NumberSortKeyQueryTest(WireTestCase):

    def setUp(self):
        super().setUp()
        self.table = create_table(self.ddb, hash_key=("pk", "S"), range_key=("n", "N"))
        for n in reversed(NUMBER_KEYS):
            self.ddb.put_item(TableName=self.table, Item={"pk": {"S": "p"}, "n": {"N": n}})

    def numbers(self, condition="", values=None, **kwargs):
        values = dict(values or {}, **{":p": {"S": "p"}})
        resp = self.ddb.query(TableName=self.table, KeyConditionExpression="pk = :p" + condition,
                              ExpressionAttributeValues=values, **kwargs)
        return [i["n"]["N"] for i in resp["Items"]]

    def test_numeric_order_not_string_order(self):
        self.assertEqual(self.numbers(), NUMBER_KEYS)
        self.assertEqual(self.numbers(ScanIndexForward=False), list(reversed(NUMBER_KEYS)))

    def test_comparison_operators(self):
        v = {":v": {"N": "1.5"}}
        self.assertEqual(self.numbers(" AND n = :v", v), ["1.5"])
        self.assertEqual(self.numbers(" AND n < :v", v), ["-5", "-1.5", "0", "1"])
        self.assertEqual(self.numbers(" AND n <= :v", v), ["-5", "-1.5", "0", "1", "1.5"])
        self.assertEqual(self.numbers(" AND n > :v", v), ["2", "10", "100"])
        self.assertEqual(self.numbers(" AND n >= :v", v), ["1.5", "2", "10", "100"])
        # Equal numbers written differently.
        self.assertEqual(self.numbers(" AND n = :v", {":v": {"N": "10.00"}}), ["10"])
        self.assertEqual(self.numbers(" AND n = :v", {":v": {"N": "1E+2"}}), ["100"])

    def test_between(self):
        self.assertEqual(self.numbers(" AND n BETWEEN :lo AND :hi", {":lo": {"N": "-1.5"}, ":hi": {"N": "2"}}),
                         ["-1.5", "0", "1", "1.5", "2"])
        self.assertEqual(self.numbers(" AND n BETWEEN :lo AND :hi", {":lo": {"N": "3"}, ":hi": {"N": "9"}}), [])

    def test_begins_with_is_refused_on_a_number(self):
        self.assertError(VALIDATION, self.ddb.query, TableName=self.table,
                         KeyConditionExpression="pk = :p AND begins_with(n, :v)",
                         ExpressionAttributeValues={":p": {"S": "p"}, ":v": {"N": "1"}},
                         contains=["Invalid KeyConditionExpression", "begins_with"])

    def test_pagination_with_numbers(self):
        pages = all_pages(self.ddb.query, TableName=self.table, KeyConditionExpression="pk = :p",
                          ExpressionAttributeValues={":p": {"S": "p"}}, Limit=3)
        seen = [i["n"]["N"] for page in pages for i in page["Items"]]
        self.assertEqual(seen, NUMBER_KEYS)
        self.assertEqual(pages[0]["LastEvaluatedKey"], {"pk": {"S": "p"}, "n": {"N": "0"}})


class PageSizeTest(WireTestCase):
    """A page stops at 1 MB of data read, whatever the Limit."""

    def setUp(self):
        super().setUp()
        self.table = create_table(self.ddb, hash_key=("pk", "S"), range_key=("sk", "N"))
        for i in range(5):
            self.ddb.put_item(TableName=self.table,
                              Item={"pk": {"S": "big"}, "sk": {"N": str(i)}, "data": {"S": BIG_VALUE}})

    def check_pages(self, pages, key_of):
        first = pages[0]
        # Three items fit in 1 MB; the page may end with the one that crosses it.
        self.assertGreaterEqual(len(first["Items"]), 1)
        self.assertLessEqual(len(first["Items"]), 4)
        self.assertIn("LastEvaluatedKey", first)
        self.assertEqual(first["LastEvaluatedKey"], key_of(first["Items"][-1]))
        seen = [int(i["sk"]["N"]) for page in pages for i in page["Items"]]
        self.assertEqual(sorted(seen), [0, 1, 2, 3, 4])
        for page in pages:
            for item in page["Items"]:
                self.assertEqual(len(item["data"]["S"]), len(BIG_VALUE))

    def test_query_page_stops_at_1_mb(self):
        pages = all_pages(self.ddb.query, TableName=self.table, KeyConditionExpression="pk = :p",
                          ExpressionAttributeValues={":p": {"S": "big"}}, Limit=100)
        self.check_pages(pages, lambda item: {"pk": item["pk"], "sk": item["sk"]})
        seen = [int(i["sk"]["N"]) for page in pages for i in page["Items"]]
        self.assertEqual(seen, [0, 1, 2, 3, 4])

    def test_scan_page_stops_at_1_mb(self):
        pages = all_pages(self.ddb.scan, TableName=self.table)
        self.check_pages(pages, lambda item: {"pk": item["pk"], "sk": item["sk"]})


class ScanTest(WireTestCase):

    def setUp(self):
        super().setUp()
        self.table = create_table(self.ddb)
        self.keys = ["item-%02d" % i for i in range(40)]
        for start in range(0, 40, 20):
            self.ddb.batch_write_item(RequestItems={self.table: [
                {"PutRequest": {"Item": {"pk": {"S": k}, "n": {"N": str(i)}}}}
                for i, k in enumerate(self.keys[start:start + 20], start)]})

    def scan_keys(self, **kwargs):
        pages = all_pages(self.ddb.scan, TableName=self.table, **kwargs)
        return [i["pk"]["S"] for page in pages for i in page["Items"]], pages

    def test_scan_returns_every_item(self):
        resp = self.ddb.scan(TableName=self.table)
        self.assertEqual(sorted(i["pk"]["S"] for i in resp["Items"]), self.keys)
        self.assertEqual(resp["Count"], 40)
        self.assertEqual(resp["ScannedCount"], 40)
        self.assertNotIn("LastEvaluatedKey", resp)
        by_key = {i["pk"]["S"]: i for i in resp["Items"]}
        self.assertEqual(by_key["item-13"], {"pk": {"S": "item-13"}, "n": {"N": "13"}})

    def test_pagination_returns_each_item_once(self):
        seen, pages = self.scan_keys(Limit=7)
        self.assertEqual(len(seen), len(set(seen)), "an item came back twice")
        self.assertEqual(sorted(seen), self.keys)
        self.assertGreaterEqual(len(pages), 6)
        for page in pages:
            self.assertLessEqual(len(page["Items"]), 7)
            self.assertEqual(page["Count"], len(page["Items"]))
            self.assertEqual(page["ScannedCount"], page["Count"])
            if "LastEvaluatedKey" in page:
                self.assertEqual(page["LastEvaluatedKey"], {"pk": page["Items"][-1]["pk"]})

    def test_order_is_stable(self):
        first, _ = self.scan_keys()
        again, _ = self.scan_keys(Limit=9)
        self.assertEqual(first, again)

    def test_segments_partition_the_table(self):
        for total in (1, 3, 4):
            union = []
            for segment in range(total):
                seen, _ = self.scan_keys(Segment=segment, TotalSegments=total, Limit=5)
                union.extend(seen)
            self.assertEqual(len(union), len(set(union)), "segments overlap for TotalSegments=%d" % total)
            self.assertEqual(sorted(union), self.keys, "TotalSegments=%d" % total)

    def test_more_segments_than_items(self):
        union = []
        for segment in range(64):
            seen, _ = self.scan_keys(Segment=segment, TotalSegments=64)
            union.extend(seen)
        self.assertEqual(sorted(union), self.keys)

    def test_select_count(self):
        resp = self.ddb.scan(TableName=self.table, Select="COUNT")
        self.assertEqual(resp["Count"], 40)
        self.assertEqual(resp["ScannedCount"], 40)
        self.assertNotIn("Items", resp)
        counts = [p["Count"] for p in all_pages(self.ddb.scan, TableName=self.table, Select="COUNT", Limit=15)]
        self.assertEqual(sum(counts), 40)
        self.assertEqual(counts[:2], [15, 15])

    def test_projection(self):
        resp = self.ddb.scan(TableName=self.table, ProjectionExpression="n", Limit=3)
        self.assertEqual(len(resp["Items"]), 3)
        for item in resp["Items"]:
            self.assertEqual(list(item), ["n"])
            Decimal(item["n"]["N"])

    def test_segment_out_of_range(self):
        self.assertError(VALIDATION, self.ddb.scan, TableName=self.table, Segment=3, TotalSegments=3,
                         contains="The Segment parameter is zero-based and must be less than parameter TotalSegments")

    def test_segment_without_total(self):
        self.assertError(VALIDATION, self.ddb.scan, TableName=self.table, Segment=1,
                         contains="The TotalSegments parameter is required but was not present in the request when Segment parameter is present")

    def test_empty_table_and_missing_table(self):
        empty = create_table(self.ddb)
        resp = self.ddb.scan(TableName=empty)
        self.assertEqual((resp["Items"], resp["Count"], resp["ScannedCount"]), ([], 0, 0))
        self.assertError(NOT_FOUND, self.ddb.scan, TableName=table_name("missing"),
                         message="Requested resource not found")
