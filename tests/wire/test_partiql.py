"""PartiQL: ExecuteStatement (SELECT, INSERT, UPDATE, DELETE), parameters,
Query-or-Scan decisions, NextToken pages, BatchExecuteStatement and
ExecuteTransaction, their errors as AWS words them, streams and capacity
through the operations the statements compile onto, and the AWS CLI."""

import json
import unittest
import urllib.request

from botocore.exceptions import ClientError

from helpers import (ENDPOINT, NOT_FOUND, VALIDATION, WireTestCase, aws, aws_json, create_table, n,
                     normalise_sets, raw_request, s, snapshot, table_name)

MALFORMED = "Statement wasn't well formed, can't be processed: "
INCOMPLETE_KEY = "Where clause does not contain a mandatory equality on all key attributes"
DUPLICATE = "Duplicate primary key exists in table"
CONDITION_FAILED = "ConditionalCheckFailedException"
PARAM_COUNT = "Number of parameters in request and statement don't match."
CANCELLED = "TransactionCanceledException"


class PartiQLCase(WireTestCase):
    """A table with a String partition key pk and a Number sort key sk."""

    def setUp(self):
        super().setUp()
        self.t = create_table(self.ddb, hash_key=("pk", "S"), range_key=("sk", "N"))

    def run_statement(self, statement, params=None, **kwargs):
        args = dict(Statement=statement, **kwargs)
        if params is not None:
            args["Parameters"] = params
        return self.ddb.execute_statement(**args)

    def items(self, statement, params=None, **kwargs):
        return [normalise_sets(i) for i in self.run_statement(statement, params, **kwargs)["Items"]]

    def insert(self, pk, sk, **attrs):
        item = {"pk": s(pk), "sk": n(sk)}
        item.update(attrs)
        self.ddb.put_item(TableName=self.t, Item=item)


class Insert(PartiQLCase):
    def test_insert_stores_every_literal_type(self):
        out = self.run_statement(
            "insert into \"%s\" value {'pk': 'a', 'sk': 1, 'str': 'it''s', 'num': -12.5e1, 'yes': true, "
            "'no': false, 'nothing': null, 'ss': <<'x', 'y'>>, 'ns': <<1, 2>>, 'l': [1, 'two', [3]], "
            "'m': {'inner': {'deep': 'v'}}}" % self.t)
        self.assertEqual(out["Items"], [])
        self.assertItem(self.t, {"pk": s("a"), "sk": n(1)}, {
            "pk": s("a"), "sk": n(1), "str": s("it's"), "num": n("-125"), "yes": {"BOOL": True},
            "no": {"BOOL": False}, "nothing": {"NULL": True}, "ss": {"SS": ["x", "y"]}, "ns": {"NS": ["1", "2"]},
            "l": {"L": [n(1), s("two"), {"L": [n(3)]}]}, "m": {"M": {"inner": {"M": {"deep": s("v")}}}}})

    def test_insert_with_parameters_of_every_kind(self):
        params = [s("p"), n(7), {"B": b"\x00\x01"}, {"BS": [b"\x00\x01"]}, {"M": {"k": s("v")}}]
        self.run_statement("INSERT INTO \"%s\" VALUE {'pk': ?, 'sk': ?, 'b': ?, 'bs': ?, 'm': ?}" % self.t, params)
        got = self.ddb.get_item(TableName=self.t, Key={"pk": s("p"), "sk": n(7)})["Item"]
        self.assertEqual(got["m"], {"M": {"k": s("v")}})
        self.assertEqual(got["bs"], {"BS": [b"\x00\x01"]})

    def test_insert_of_an_existing_key_is_a_duplicate_and_changes_nothing(self):
        self.insert("a", 1, v=s("first"))
        before = snapshot(self.ddb, self.t)
        self.assertError("DuplicateItemException", self.run_statement,
                         "INSERT INTO \"%s\" VALUE {'pk': 'a', 'sk': 1, 'v': 'second'}" % self.t, message=DUPLICATE)
        self.assertEqual(snapshot(self.ddb, self.t), before)

    def test_insert_needs_a_struct_and_the_key(self):
        self.assertError(VALIDATION, self.run_statement, "INSERT INTO \"%s\" VALUE [1, 2]" % self.t,
                         contains="Please use struct format {...}")
        self.assertError(VALIDATION, self.run_statement, "INSERT INTO \"%s\" VALUE {'pk': 'a'}" % self.t,
                         contains="Missing the key sk")
        self.assertError(VALIDATION, self.run_statement, "INSERT INTO \"%s\" VALUE {'pk': 'a', 'sk': 1} RETURNING ALL OLD *"
                         % self.t, message="RETURNING is not supported in INSERT")
        self.assertEqual(snapshot(self.ddb, self.t), [])

    def test_a_bag_of_mixed_types_and_an_empty_bag_are_refused(self):
        self.assertError(VALIDATION, self.run_statement, "INSERT INTO \"%s\" VALUE {'pk': 'a', 'sk': 1, 's': <<'a', 1>>}"
                         % self.t, message="Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags")
        self.assertError(VALIDATION, self.run_statement, "INSERT INTO \"%s\" VALUE {'pk': 'a', 'sk': 1, 's': <<>>}"
                         % self.t, message="Empty bags are not supported")


class Select(PartiQLCase):
    def setUp(self):
        super().setUp()
        for sk in (1, 2, 3):
            self.insert("a", sk, v=n(sk * 10), name=s("n%d" % sk), tags={"SS": ["t%d" % sk, "common"]},
                        doc={"M": {"parts": {"L": [s("first%d" % sk), s("second")]}}})
        self.insert("b", 1, v=n(5))

    def test_star_and_nested_projection(self):
        got = self.items("SELECT name, doc.parts[0] FROM \"%s\" WHERE pk = 'a' AND sk = 2" % self.t)
        self.assertEqual(got, [{"name": s("n2"), "doc": {"M": {"parts": {"L": [s("first2")]}}}}])
        self.assertEqual(len(self.items("SELECT * FROM \"%s\"" % self.t)), 4)

    def test_a_fixed_partition_key_reads_in_sort_key_order_and_order_by_desc_reverses(self):
        asc = self.items("SELECT sk FROM \"%s\" WHERE pk = ?" % self.t, [s("a")])
        self.assertEqual(asc, [{"sk": n(1)}, {"sk": n(2)}, {"sk": n(3)}])
        desc = self.items("SELECT sk FROM \"%s\" WHERE pk = 'a' ORDER BY sk DESC" % self.t)
        self.assertEqual(desc, [{"sk": n(3)}, {"sk": n(2)}, {"sk": n(1)}])

    def test_a_fixed_partition_key_is_a_query_so_limit_counts_only_its_items(self):
        # Limit counts items read: a Query reads only partition b, a Scan would read others first.
        got = self.run_statement("SELECT * FROM \"%s\" WHERE pk = 'b'" % self.t, Limit=1)
        self.assertEqual([i["pk"] for i in got["Items"]], [s("b")])

    def test_comparisons_and_functions(self):
        cases = {
            "v <> 10": [5, 20, 30], "v < 20": [5, 10], "v <= 20": [5, 10, 20], "v > 20": [30], "v >= 20": [20, 30],
            "v BETWEEN 10 AND 20": [10, 20], "v IN [5, 30]": [5, 30], "v IN (10)": [10],
            "v = 10 OR v = 30": [10, 30], "NOT v = 10 AND pk = 'a'": [20, 30], "(v = 5 OR v = 10) AND pk = 'b'": [5],
            "tags IS MISSING": [5], "tags IS NOT MISSING": [10, 20, 30], "begins_with(name, 'n')": [10, 20, 30],
            "contains(tags, 't2')": [20], "attribute_type(v, 'N') AND pk = 'b'": [5], "size(tags) = 2": [10, 20, 30],
            "v IS NUMERIC AND name IS STRING": [10, 20, 30], "doc.parts[1] = 'second' "
            "AND v < 15": [10], "attribute_exists(name) AND NOT attribute_not_exists(v) AND sk = 3": [30],
        }
        for where, expected in cases.items():
            with self.subTest(where=where):
                got = self.items("SELECT v FROM \"%s\" WHERE %s" % (self.t, where))
                self.assertEqual(sorted(int(i["v"]["N"]) for i in got), expected)

    def test_sort_key_conditions_on_a_query(self):
        cases = {"sk > 1": [2, 3], "sk <= 2": [1, 2], "sk BETWEEN 2 AND 3": [2, 3], "sk = 3": [3],
                 "sk > 1 AND sk < 3": [2], "v > 10 AND sk >= 2": [2, 3]}
        for cond, expected in cases.items():
            with self.subTest(cond=cond):
                got = self.items("SELECT sk FROM \"%s\" WHERE pk = 'a' AND %s" % (self.t, cond))
                self.assertEqual([int(i["sk"]["N"]) for i in got], expected)

    def test_keywords_are_case_insensitive_and_comments_and_semicolon_allowed(self):
        got = self.items("select V from \"%s\" -- a comment\n where PK = 'b' /* another */ ;" % self.t)
        self.assertEqual(got, [])  # attribute names stay case-sensitive: V and PK are not v and pk
        got = self.items("select v from \"%s\" where pk = 'b';" % self.t)
        self.assertEqual(got, [{"v": n(5)}])

    def test_a_missing_item_answers_no_items(self):
        self.assertEqual(self.items("SELECT * FROM \"%s\" WHERE pk = 'zz' AND sk = 1" % self.t), [])

    def test_consistent_read_and_capacity_are_those_of_the_operation(self):
        got = self.run_statement("SELECT * FROM \"%s\" WHERE pk = 'b' AND sk = 1" % self.t,
                                 ReturnConsumedCapacity="TOTAL")
        self.assertEqual(got["ConsumedCapacity"], {"TableName": self.t, "CapacityUnits": 0.5})
        got = self.run_statement("SELECT * FROM \"%s\" WHERE pk = 'b' AND sk = 1" % self.t, ConsistentRead=True,
                                 ReturnConsumedCapacity="TOTAL")
        self.assertEqual(got["ConsumedCapacity"]["CapacityUnits"], 1.0)


class Indexes(WireTestCase):
    def test_select_from_a_global_index(self):
        t = create_table(self.ddb, hash_key=("pk", "S"), AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "S"}],
            GlobalSecondaryIndexes=[{"IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                     "Projection": {"ProjectionType": "ALL"}}])
        for i in range(3):
            self.ddb.execute_statement(Statement="INSERT INTO \"%s\" VALUE {'pk': ?, 'g': ?}" % t,
                                       Parameters=[s("k%d" % i), s("even" if i % 2 == 0 else "odd")])
        got = self.ddb.execute_statement(Statement="SELECT pk FROM \"%s\".\"by_g\" WHERE g = 'even'" % t)["Items"]
        self.assertEqual(sorted(i["pk"]["S"] for i in got), ["k0", "k2"])
        self.assertError(VALIDATION, self.ddb.execute_statement,
                         Statement="SELECT * FROM \"%s\".\"by_g\" WHERE g = 'even'" % t, ConsistentRead=True,
                         contains="Consistent reads are not supported on global secondary indexes")
        self.assertError(VALIDATION, self.ddb.execute_statement,
                         Statement="SELECT * FROM \"%s\".\"nope\" WHERE g = 'even'" % t,
                         contains="does not have the specified index")


class Update(PartiQLCase):
    KEY = {"pk": s("a"), "sk": n(1)}

    def setUp(self):
        super().setUp()
        self.insert("a", 1, v=n(10), l={"L": [n(1)]}, ss={"SS": ["x", "y"]}, gone=s("bye"), m={"M": {"mid": n(1)}})

    def update(self, clause, returning=None, params=None):
        statement = "UPDATE \"%s\" %s WHERE pk = 'a' AND sk = 1" % (self.t, clause)
        if returning:
            statement += " RETURNING " + returning
        return self.run_statement(statement, params)

    def test_set_remove_arithmetic_and_set_functions(self):
        self.update("SET v = v + 5 SET l = list_append(l, [2, 3]), m.mid = m.mid - 1 "
                    "SET ss = set_add(ss, <<'z'>>) REMOVE gone")
        self.update("SET ss = set_delete(ss, <<'x'>>), fresh = ?", params=[s("new")])
        self.assertItem(self.t, self.KEY, {"pk": s("a"), "sk": n(1), "v": n(15), "l": {"L": [n(1), n(2), n(3)]},
                                           "ss": {"SS": ["y", "z"]}, "m": {"M": {"mid": n(0)}}, "fresh": s("new")})

    def test_returning_each_image(self):
        self.assertEqual(self.update("SET v = 11", "MODIFIED OLD *")["Items"], [{"v": n(10)}])
        self.assertEqual(self.update("SET v = 12", "MODIFIED NEW *")["Items"], [{"v": n(12)}])
        self.assertEqual(self.update("SET v = 13", "ALL OLD *")["Items"][0]["v"], n(12))
        new = self.update("SET v = 14", "ALL NEW *")["Items"][0]
        self.assertEqual((new["v"], new["gone"]), (n(14), s("bye")))
        self.assertEqual(self.update("SET v = 15")["Items"], [])

    def test_an_update_of_a_missing_item_fails_and_creates_nothing(self):
        self.assertError(CONDITION_FAILED, self.run_statement,
                         "UPDATE \"%s\" SET v = 1 WHERE pk = 'zz' AND sk = 1" % self.t,
                         message="The conditional request failed")
        self.assertNoItem(self.t, {"pk": s("zz"), "sk": n(1)})

    def test_a_condition_beyond_the_key_is_checked(self):
        before = snapshot(self.ddb, self.t)
        self.assertError(CONDITION_FAILED, self.run_statement,
                         "UPDATE \"%s\" SET v = 1 WHERE pk = 'a' AND sk = 1 AND v > 100" % self.t)
        self.assertEqual(snapshot(self.ddb, self.t), before)
        self.run_statement("UPDATE \"%s\" SET v = 1 WHERE pk = 'a' AND sk = 1 AND v = 10 AND gone IS NOT MISSING" % self.t)
        self.assertEqual(self.ddb.get_item(TableName=self.t, Key=self.KEY)["Item"]["v"], n(1))

    def test_return_values_on_condition_check_failure_gives_the_item(self):
        r = raw_request("ExecuteStatement", {"Statement": "UPDATE \"%s\" SET v = 1 WHERE pk = 'a' AND sk = 1 AND v = 0"
                                             % self.t, "ReturnValuesOnConditionCheckFailure": "ALL_OLD"})
        self.assertEqual(r.status, 400)
        body = r.json()
        self.assertTrue(body["__type"].endswith("#ConditionalCheckFailedException"))
        self.assertEqual(body["Item"]["v"], n(10))

    def test_the_full_key_is_required(self):
        for where in ("", "WHERE pk = 'a'", "WHERE sk = 1", "WHERE pk = 'a' OR sk = 1", "WHERE pk > 'a' AND sk = 1"):
            with self.subTest(where=where):
                self.assertError(VALIDATION, self.run_statement, "UPDATE \"%s\" SET v = 1 %s" % (self.t, where),
                                 message=INCOMPLETE_KEY)

    def test_key_attributes_cannot_be_updated_and_set_functions_are_checked(self):
        self.assertError(VALIDATION, self.update, "SET sk = 5", contains="This attribute is part of the key")
        self.assertError(VALIDATION, self.update, "SET ss = set_add(other, <<'q'>>)",
                         message="The first argument to SET_ADD must equal the assignment value")
        self.assertError(VALIDATION, self.update, "SET ss = set_add(ss)",
                         message="SET_ADD must have exactly two arguments")
        self.assertError(VALIDATION, self.update, "SET v = v + 'text'", contains="operand type")


class Delete(PartiQLCase):
    def test_delete_returning_the_old_item(self):
        self.insert("a", 1, v=n(1))
        got = self.run_statement("DELETE FROM \"%s\" WHERE pk = 'a' AND sk = 1 RETURNING ALL OLD *" % self.t)
        self.assertEqual(got["Items"], [{"pk": s("a"), "sk": n(1), "v": n(1)}])
        self.assertNoItem(self.t, {"pk": s("a"), "sk": n(1)})

    def test_delete_of_a_missing_item_succeeds_even_with_a_condition(self):
        got = self.run_statement("DELETE FROM \"%s\" WHERE pk = 'a' AND sk = 9 AND v = 3" % self.t)
        self.assertEqual(got["Items"], [])

    def test_a_false_condition_on_an_existing_item_fails(self):
        self.insert("a", 1, v=n(1))
        self.assertError(CONDITION_FAILED, self.run_statement,
                         "DELETE FROM \"%s\" WHERE pk = 'a' AND sk = 1 AND v = 2" % self.t)
        self.assertItem(self.t, {"pk": s("a"), "sk": n(1)}, {"pk": s("a"), "sk": n(1), "v": n(1)})

    def test_only_all_old_may_be_returned_and_the_key_is_required(self):
        self.assertError(VALIDATION, self.run_statement,
                         "DELETE FROM \"%s\" WHERE pk = 'a' AND sk = 1 RETURNING ALL NEW *" % self.t,
                         message="Invalid returning clause: RETURNING ALL NEW *. Only RETURNING ALL OLD * is allowed "
                                 "in DELETE statements.")
        self.assertError(VALIDATION, self.run_statement, "DELETE FROM \"%s\" WHERE pk = 'a'" % self.t,
                         message=INCOMPLETE_KEY)


class Errors(PartiQLCase):
    def test_syntax_errors_name_their_position(self):
        cases = {
            "SELECT * FROM \"%s\" WHERE pk = = 1": "Unexpected token '=' at line 1, column ",
            "SELECT * FROM \"%s\"\nWHERE pk = 'a' AND": "Unexpected end of statement at line 2, column 19",
            "SELECT * FROM \"%s\" WHERE pad = 1": "Unexpected keyword 'pad' at line 1, column ",
            "SELECT * FROM \"%s\" WHERE pk = 'open": "Unterminated quote or comment at line 1, column ",
            "SELECT * FROM \"%s\" WHERE pk = 'a'; SELECT 1": "Unexpected keyword 'SELECT'",
        }
        for statement, detail in cases.items():
            with self.subTest(statement=statement):
                self.assertError(VALIDATION, self.run_statement, statement % self.t, contains=MALFORMED + detail)

    def test_a_statement_that_is_no_data_manipulation(self):
        for statement in ("BEGIN TRANSACTION", "CREATE TABLE x", "UPSERT INTO t VALUE {}", "42"):
            with self.subTest(statement=statement):
                self.assertError(VALIDATION, self.run_statement, statement,
                                 message=MALFORMED + "Expected data manipulation")

    def test_a_name_twice_in_the_select_list_is_refused_as_a_projection_is(self):
        # The list compiles onto a ProjectionExpression, which DynamoDB refuses
        # with these words when two paths overlap (the same one, or one inside the other).
        for select, paths in (("a, a", "[a], path two: [a]"), ("pk, \"pk\"", "[pk], path two: [pk]"),
                              ("doc, doc.parts[0]", "[doc], path two: [doc, parts, [0]]")):
            with self.subTest(select=select):
                self.assertError(VALIDATION, self.run_statement, "SELECT %s FROM \"%s\"" % (select, self.t),
                                 message="Invalid ProjectionExpression: Two document paths overlap with each other; "
                                         "must remove or rewrite one of these paths; path one: " + paths)

    def test_a_quoted_reserved_word_is_a_name(self):
        self.insert("a", 1, pad=s("x"))
        self.assertEqual(self.items("SELECT \"pad\" FROM \"%s\" WHERE \"pad\" = 'x'" % self.t), [{"pad": s("x")}])

    def test_unknown_table_function_and_bad_parameters(self):
        self.assertError(NOT_FOUND, self.run_statement, "SELECT * FROM \"nope-%s\"" % self.t)
        self.assertError(VALIDATION, self.run_statement, "SELECT * FROM \"%s\" WHERE lower(pk) = 'a'" % self.t,
                         message="Unrecognized function: lower")
        self.assertError(VALIDATION, self.run_statement, "SELECT * FROM \"%s\" WHERE pk = ?" % self.t,
                         message=PARAM_COUNT)
        self.assertError(VALIDATION, self.run_statement, "SELECT * FROM \"%s\"" % self.t, [s("x")],
                         message=PARAM_COUNT)
        self.assertError(VALIDATION, self.run_statement, "SELECT * FROM \"%s\" WHERE pk = ? AND sk = ?" % self.t,
                         [s("a"), s("not a number")], message="The provided key element does not match the schema")

    def test_an_empty_statement_and_a_too_long_one(self):
        r = raw_request("ExecuteStatement", {"Statement": ""})
        self.assertEqual(r.status, 400)
        self.assertIn("Member must have length greater than or equal to 1", r.json()["message"])
        r = raw_request("ExecuteStatement", {"Statement": "SELECT * FROM \"%s\" WHERE " % self.t + "pk = 'a' OR " * 800 + "pk = 'b'"})
        self.assertIn("Member must have length less than or equal to 8192", r.json()["message"])

    def test_a_condition_that_is_no_boolean_and_missing_as_a_value(self):
        self.assertError(VALIDATION, self.run_statement, "SELECT * FROM \"%s\" WHERE v" % self.t,
                         message="WHERE clause must contain an expression that resolves to a boolean")
        self.assertError(VALIDATION, self.run_statement, "SELECT * FROM \"%s\" WHERE v = MISSING" % self.t,
                         message="MISSING must be compared using IS operator")

    def test_order_by_rules(self):
        self.assertError(VALIDATION, self.run_statement, "SELECT * FROM \"%s\" ORDER BY sk" % self.t,
                         message="Must have WHERE clause in the statement when using ORDER BY clause.")
        self.assertError(VALIDATION, self.run_statement, "SELECT * FROM \"%s\" WHERE v = 1 ORDER BY sk" % self.t,
                         message="Must have at least one non-optional hash key condition in WHERE clause when using "
                                 "ORDER BY clause.")
        self.assertError(VALIDATION, self.run_statement, "SELECT * FROM \"%s\" WHERE pk = 'a' ORDER BY v" % self.t,
                         message="Variable reference v in ORDER BY clause must be part of the primary key")

    def test_exists_outside_a_transaction(self):
        self.assertError(VALIDATION, self.run_statement,
                         "EXISTS(SELECT * FROM \"%s\" WHERE pk = 'a' AND sk = 1 AND v = 1)" % self.t,
                         message="EXISTS can only be used in ExecuteTransaction write requests.")


class Pages(PartiQLCase):
    def test_limit_and_next_token_walk_every_item_once(self):
        for sk in range(7):
            self.insert("a", sk)
            self.insert("b", sk)
        for where in ("", " WHERE pk = 'a'"):
            with self.subTest(where=where):
                seen, token = [], None
                while True:
                    args = {"Limit": 3}
                    if token:
                        args["NextToken"] = token
                    page = self.run_statement("SELECT pk, sk FROM \"%s\"%s" % (self.t, where), **args)
                    self.assertLessEqual(len(page["Items"]), 3)
                    seen += [(i["pk"]["S"], int(i["sk"]["N"])) for i in page["Items"]]
                    token = page.get("NextToken")
                    if not token:
                        break
                self.assertEqual(len(seen), 7 if where else 14)
                self.assertEqual(len(set(seen)), len(seen))

    def test_a_token_resumes_only_its_own_statement(self):
        for sk in range(3):
            self.insert("a", sk)
        token = self.run_statement("SELECT * FROM \"%s\"" % self.t, Limit=1)["NextToken"]
        self.assertError(VALIDATION, self.run_statement, "SELECT pk FROM \"%s\"" % self.t, NextToken=token,
                         message="NextToken does not match request")
        self.assertError(VALIDATION, self.run_statement, "SELECT * FROM \"%s\"" % self.t, NextToken="garbage",
                         message="Invalid NextToken")

    def test_a_page_stops_at_a_megabyte(self):
        big = "x" * (100 * 1024)
        for sk in range(12):
            self.insert("a", sk, blob=s(big))
        first = self.run_statement("SELECT sk FROM \"%s\" WHERE pk = 'a'" % self.t)
        self.assertIn("NextToken", first)
        self.assertLess(len(first["Items"]), 12)
        rest = self.run_statement("SELECT sk FROM \"%s\" WHERE pk = 'a'" % self.t, NextToken=first["NextToken"])
        self.assertEqual(len(first["Items"]) + len(rest["Items"]), 12)


class Partitions(PartiQLCase):
    """`pk IN (...)` and `pk = a OR pk = b`: a Query per value, in the
    statement's order (DynamoDB's PartiQL SELECT page: neither is a full table
    scan), at most 50 values, pages of up to 10 items (its operators page)."""

    def setUp(self):
        super().setUp()
        for pk in "abc":
            for sk in range(1, 6):
                self.insert(pk, sk, v=n(sk * 10))

    def keys(self, items):
        return [(i["pk"]["S"], int(i["sk"]["N"])) for i in items]

    def every_page(self, statement, params=None, **kwargs):
        pages, token = [], None
        while True:
            extra = dict(kwargs, NextToken=token) if token else kwargs
            out = self.run_statement(statement, params, **extra)
            pages.append(self.keys(out["Items"]))
            token = out.get("NextToken")
            if not token:
                return pages

    def test_in_and_or_query_each_value_in_the_statement_s_order(self):
        expected = [(pk, sk) for pk in "ca" for sk in range(1, 6)]
        for where in ("pk IN ('c', 'a')", "pk IN ['c', 'a']", "pk = 'c' OR pk = 'a'", "pk IN (?, ?)"):
            with self.subTest(where=where):
                params = [s("c"), s("a")] if "?" in where else None
                pages = self.every_page("SELECT pk, sk FROM \"%s\" WHERE %s" % (self.t, where), params)
                self.assertEqual([k for p in pages for k in p], expected)

    def test_each_value_keeps_its_sort_key_condition_filter_and_order(self):
        got = self.every_page("SELECT pk, sk FROM \"%s\" WHERE pk IN ('b', 'a') AND sk >= 4 AND v <> 50 "
                              "ORDER BY sk DESC" % self.t)
        self.assertEqual([k for p in got for k in p], [("b", 4), ("a", 4)])

    def test_pages_hold_at_most_ten_items_or_the_limit(self):
        statement = "SELECT pk, sk FROM \"%s\" WHERE pk IN ('a', 'b', 'c', 'missing')" % self.t
        pages = self.every_page(statement)
        self.assertEqual([len(p) for p in pages if p][:2], [10, 5])
        self.assertEqual([k for p in pages for k in p], [(pk, sk) for pk in "abc" for sk in range(1, 6)])
        limited = self.every_page(statement, Limit=4)
        self.assertTrue(all(len(p) <= 4 for p in limited))
        self.assertEqual([k for p in limited for k in p], [(pk, sk) for pk in "abc" for sk in range(1, 6)])

    def test_a_token_of_another_statement_is_refused(self):
        out = self.run_statement("SELECT * FROM \"%s\" WHERE pk IN ('a', 'b')" % self.t, Limit=2)
        self.assertError(VALIDATION, self.run_statement, "SELECT * FROM \"%s\" WHERE pk IN ('a', 'c')" % self.t,
                         NextToken=out["NextToken"], message="NextToken does not match request")

    def test_capacity_adds_up_over_the_values(self):
        out = self.run_statement("SELECT * FROM \"%s\" WHERE pk IN ('a', 'b')" % self.t, ReturnConsumedCapacity="TOTAL")
        self.assertEqual(out["ConsumedCapacity"]["TableName"], self.t)
        self.assertGreater(out["ConsumedCapacity"]["CapacityUnits"], 0.5)

    def test_at_most_fifty_values(self):
        values = ", ".join("'p%d'" % i for i in range(51))
        self.assertError(VALIDATION, self.run_statement, "SELECT * FROM \"%s\" WHERE pk IN (%s)" % (self.t, values),
                         contains="at most 50")
        self.assertEqual(self.items("SELECT * FROM \"%s\" WHERE pk IN (%s)" % (self.t, values[:-7])), [])
        self.assertError(VALIDATION, self.run_statement, "SELECT * FROM \"%s\" WHERE pk IN ()" % self.t,
                         contains="Seq with at least one member")

    def test_a_value_beside_another_key_term_scans_with_a_filter(self):
        got = self.items("SELECT pk, sk FROM \"%s\" WHERE pk IN ('a', 'b') OR sk = 5" % self.t)
        self.assertEqual(sorted(self.keys(got)), sorted([(pk, sk) for pk in "ab" for sk in range(1, 6)] + [("c", 5)]))


class ThroughTheOperations(WireTestCase):
    def test_streams_record_what_statements_write(self):
        t = create_table(self.ddb, StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
        self.ddb.execute_statement(Statement="INSERT INTO \"%s\" VALUE {'pk': 'a', 'v': 1}" % t)
        self.ddb.execute_statement(Statement="UPDATE \"%s\" SET v = 2 WHERE pk = 'a'" % t)
        self.ddb.execute_statement(Statement="DELETE FROM \"%s\" WHERE pk = 'a'" % t)
        with urllib.request.urlopen("%s/_dynemu/streams/%s/records" % (ENDPOINT, t), timeout=10) as r:
            records = json.loads(r.read())["records"]
        self.assertEqual([r["eventName"] for r in records], ["INSERT", "MODIFY", "REMOVE"])
        self.assertEqual(records[1]["dynamodb"]["NewImage"]["v"], n(2))
        self.assertEqual(records[1]["dynamodb"]["OldImage"]["v"], n(1))

    def test_write_capacity_is_the_operation_s(self):
        t = create_table(self.ddb)
        got = self.ddb.execute_statement(Statement="INSERT INTO \"%s\" VALUE {'pk': 'a'}" % t,
                                         ReturnConsumedCapacity="TOTAL")
        self.assertEqual(got["ConsumedCapacity"], {"TableName": t, "CapacityUnits": 1.0})


class Batch(PartiQLCase):
    def test_reads_in_request_order_with_errors_in_place(self):
        self.insert("a", 1, v=n(1))
        got = self.ddb.batch_execute_statement(Statements=[
            {"Statement": "SELECT * FROM \"%s\" WHERE pk = 'a' AND sk = 1" % self.t},
            {"Statement": "SELECT * FROM \"%s\" WHERE pk = ? AND sk = ?" % self.t, "Parameters": [s("zz"), n(1)]},
            {"Statement": "SELECT * FROM \"%s\" WHERE pk = 'a'" % self.t},
            {"Statement": "SELECT * FROM \"nope-%s\" WHERE pk = 'a' AND sk = 1" % self.t},
            {"Statement": "SELEC"},
        ])["Responses"]
        self.assertEqual(got[0], {"TableName": self.t, "Item": {"pk": s("a"), "sk": n(1), "v": n(1)}})
        self.assertEqual(got[1], {"TableName": self.t})
        self.assertEqual(got[2]["Error"], {"Code": "ValidationError", "Message": INCOMPLETE_KEY})
        self.assertEqual(got[3]["Error"]["Code"], "ResourceNotFound")
        self.assertEqual(got[4]["Error"], {"Code": "ValidationError", "Message": MALFORMED + "Expected data manipulation"})

    def test_writes_fail_one_by_one(self):
        self.insert("a", 1, v=n(1))
        got = self.ddb.batch_execute_statement(Statements=[
            {"Statement": "INSERT INTO \"%s\" VALUE {'pk': 'a', 'sk': 1}" % self.t},
            {"Statement": "INSERT INTO \"%s\" VALUE {'pk': 'b', 'sk': 1}" % self.t},
            {"Statement": "UPDATE \"%s\" SET v = 5 WHERE pk = 'a' AND sk = 1 AND v = 9" % self.t},
            {"Statement": "UPDATE \"%s\" SET w = 5 WHERE pk = 'a' AND sk = 1" % self.t},
        ], ReturnConsumedCapacity="TOTAL")
        codes = [r.get("Error", {}).get("Code") for r in got["Responses"]]
        self.assertEqual(codes, ["DuplicateItem", None, "ConditionalCheckFailed", None])
        self.assertEqual(got["Responses"][0]["Error"]["Message"], DUPLICATE)
        self.assertItem(self.t, {"pk": s("a"), "sk": n(1)}, {"pk": s("a"), "sk": n(1), "v": n(1), "w": n(5)})
        self.assertItem(self.t, {"pk": s("b"), "sk": n(1)}, {"pk": s("b"), "sk": n(1)})
        self.assertEqual(got["ConsumedCapacity"][0]["TableName"], self.t)
        self.assertEqual(got["ConsumedCapacity"][0]["CapacityUnits"], 2.0)

    def test_reads_and_writes_do_not_mix_and_limits_hold(self):
        self.assertError(VALIDATION, self.ddb.batch_execute_statement, Statements=[
            {"Statement": "SELECT * FROM \"%s\" WHERE pk = 'a' AND sk = 1" % self.t},
            {"Statement": "INSERT INTO \"%s\" VALUE {'pk': 'b', 'sk': 1}" % self.t}],
            message="BatchExecuteStatement API does not support both read and write operations in the same request.")
        self.assertEqual(snapshot(self.ddb, self.t), [])
        statements = [{"Statement": "SELECT * FROM \"%s\" WHERE pk = 'a' AND sk = %d" % (self.t, i)} for i in range(26)]
        self.assertError(VALIDATION, self.ddb.batch_execute_statement, Statements=statements,
                         contains="Member must have length less than or equal to 25")
        r = raw_request("BatchExecuteStatement", {"Statements": []})
        self.assertIn("Member must have length greater than or equal to 1", r.json()["message"])


class Transactions(PartiQLCase):
    def tx(self, *statements, **kwargs):
        return self.ddb.execute_transaction(TransactStatements=[
            st if isinstance(st, dict) else {"Statement": st % {"t": self.t}} for st in statements], **kwargs)

    def test_writes_apply_together(self):
        self.insert("a", 1, v=n(1))
        self.insert("c", 1)
        self.tx("INSERT INTO \"%(t)s\" VALUE {'pk': 'b', 'sk': 1}",
                "UPDATE \"%(t)s\" SET v = v + 1 WHERE pk = 'a' AND sk = 1",
                "DELETE FROM \"%(t)s\" WHERE pk = 'c' AND sk = 1")
        self.assertEqual(sorted(json.loads(i)["pk"]["S"] for i in snapshot(self.ddb, self.t)), ["a", "b"])
        self.assertEqual(self.ddb.get_item(TableName=self.t, Key={"pk": s("a"), "sk": n(1)})["Item"]["v"], n(2))

    def test_one_failure_cancels_all_with_reasons_in_order(self):
        self.insert("a", 1, v=n(1))
        self.insert("a", 3)
        before = snapshot(self.ddb, self.t)
        with self.assertRaises(ClientError) as ctx:
            self.tx("UPDATE \"%(t)s\" SET v = 9 WHERE pk = 'a' AND sk = 1",
                    "INSERT INTO \"%(t)s\" VALUE {'pk': 'a', 'sk': 2}",
                    "INSERT INTO \"%(t)s\" VALUE {'pk': 'a', 'sk': 3}",
                    "EXISTS(SELECT * FROM \"%(t)s\" WHERE pk = 'zz' AND sk = 1 AND v = 1)")
        err = ctx.exception.response
        self.assertEqual(err["Error"]["Code"], CANCELLED)
        self.assertEqual([r["Code"] for r in err["CancellationReasons"]],
                         ["None", "None", "DuplicateItem", "ConditionalCheckFailed"])
        self.assertEqual(err["CancellationReasons"][2]["Message"], DUPLICATE)
        self.assertIn("[None, None, DuplicateItem, ConditionalCheckFailed]", err["Error"]["Message"])
        self.assertEqual(snapshot(self.ddb, self.t), before)

    def test_exists_is_a_condition_check(self):
        self.insert("a", 1, v=n(1))
        self.tx("EXISTS(SELECT * FROM \"%(t)s\" WHERE pk = 'a' AND sk = 1 AND v = 1)",
                "INSERT INTO \"%(t)s\" VALUE {'pk': 'b', 'sk': 1}")
        self.assertItem(self.t, {"pk": s("b"), "sk": n(1)}, {"pk": s("b"), "sk": n(1)})
        self.assertError(VALIDATION, self.tx, "EXISTS(SELECT * FROM \"%(t)s\" WHERE pk = 'a' AND sk = 1)",
                         message="EXISTS() must contain a single item read with additional condition")

    def test_reads_answer_one_response_per_statement(self):
        self.insert("a", 1, v=n(1))
        got = self.tx("SELECT v FROM \"%(t)s\" WHERE pk = 'a' AND sk = 1",
                      "SELECT * FROM \"%(t)s\" WHERE pk = 'zz' AND sk = 1")["Responses"]
        self.assertEqual(got, [{"Item": {"v": n(1)}}, {}])
        self.assertError(VALIDATION, self.tx, "SELECT * FROM \"%(t)s\" WHERE pk = 'a'",
                         message="Select statements within ExecuteTransaction must specify the primary key in the "
                                 "where clause.")

    def test_refusals(self):
        self.assertError(VALIDATION, self.tx, "SELECT * FROM \"%(t)s\" WHERE pk = 'a' AND sk = 1",
                         "INSERT INTO \"%(t)s\" VALUE {'pk': 'b', 'sk': 1}",
                         message="ExecuteTransaction API does not support both read and write operations in the same request.")
        self.assertError(VALIDATION, self.tx, "UPDATE \"%(t)s\" SET v = 1 WHERE pk = 'a' AND sk = 1 RETURNING ALL NEW *",
                         contains="RETURNING")
        self.assertError(VALIDATION, self.tx, "INSERT INTO \"%(t)s\" VALUE {'pk': 'b', 'sk': 1}",
                         "UPDATE \"%(t)s\" SET v = 1 WHERE pk = 'b' AND sk = 1",
                         message="Transaction request cannot include multiple operations on one item")
        many = ["INSERT INTO \"%%(t)s\" VALUE {'pk': 'k%d', 'sk': 1}" % i for i in range(101)]
        self.assertError(VALIDATION, self.tx, *many, contains="Member must have length less than or equal to 100")
        self.assertEqual(snapshot(self.ddb, self.t), [])

    def test_client_request_token_makes_it_idempotent(self):
        self.insert("a", 1, v=n(0))
        bump = "UPDATE \"%(t)s\" SET v = v + 1 WHERE pk = 'a' AND sk = 1"
        self.tx(bump, ClientRequestToken="token-1")
        self.tx(bump, ClientRequestToken="token-1")
        self.assertEqual(self.ddb.get_item(TableName=self.t, Key={"pk": s("a"), "sk": n(1)})["Item"]["v"], n(1))
        self.assertError("IdempotentParameterMismatchException", self.tx,
                         "UPDATE \"%(t)s\" SET v = v + 2 WHERE pk = 'a' AND sk = 1", ClientRequestToken="token-1")


class Cli(PartiQLCase):
    def test_execute_statement_with_parameters(self):
        aws_json(self, "execute-statement", "--statement", "INSERT INTO \"%s\" VALUE {'pk': ?, 'sk': ?}" % self.t,
                 "--parameters", json.dumps([s("cli"), n(1)]))
        out = aws_json(self, "execute-statement", "--statement", "SELECT * FROM \"%s\" WHERE pk = ?" % self.t,
                       "--parameters", json.dumps([s("cli")]))
        self.assertEqual(out["Items"], [{"pk": s("cli"), "sk": n(1)}])

    def test_an_error_exits_non_zero_with_aws_s_words(self):
        proc = aws("execute-statement", "--statement", "INSERT INTO \"%s\" VALUE {'pk': 'a', 'sk': 1}" % self.t)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        proc = aws("execute-statement", "--statement", "INSERT INTO \"%s\" VALUE {'pk': 'a', 'sk': 1}" % self.t)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("DuplicateItemException", proc.stderr)
        self.assertIn(DUPLICATE, proc.stderr)

    def test_batch_and_transaction(self):
        aws_json(self, "execute-transaction", "--transact-statements", json.dumps([
            {"Statement": "INSERT INTO \"%s\" VALUE {'pk': 'x', 'sk': 1}" % self.t},
            {"Statement": "INSERT INTO \"%s\" VALUE {'pk': 'y', 'sk': 1}" % self.t}]))
        out = aws_json(self, "batch-execute-statement", "--statements", json.dumps([
            {"Statement": "SELECT pk FROM \"%s\" WHERE pk = 'x' AND sk = 1" % self.t},
            {"Statement": "SELECT pk FROM \"%s\" WHERE pk = 'y' AND sk = 1" % self.t}]))
        self.assertEqual([r["Item"] for r in out["Responses"]], [{"pk": s("x")}, {"pk": s("y")}])


if __name__ == "__main__":
    unittest.main()
