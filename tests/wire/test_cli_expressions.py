"""Expressions through the AWS CLI v2: update-item with --update-expression and
--return-values, a conditional put-item that fails (exit code and stderr),
and a scan and a paged query with --filter-expression. One CLI call per test:
each costs a second or more of start-up."""

import json

from helpers import WireTestCase, aws, aws_json, create_table

# The AWS CLI v2 exits 254 when the service answered with an error.
CLI_SERVICE_ERROR = 254


class CliExpressionTest(WireTestCase):

    def setUp(self):
        super().setUp()
        self.table = create_table(self.ddb, hash_key=("pk", "S"), range_key=("sk", "N"))
        for i in range(1, 7):
            self.ddb.put_item(TableName=self.table, Item={
                "pk": {"S": "p"}, "sk": {"N": str(i)}, "x": {"N": str(i)},
                "kind": {"S": "even" if i % 2 == 0 else "odd"}})

    def test_update_item_with_return_values(self):
        key = json.dumps({"pk": {"S": "p"}, "sk": {"N": "1"}})
        out = aws_json(self, "update-item", "--table-name", self.table, "--key", key,
                       "--update-expression", "SET #c = if_not_exists(#c, :zero) + :inc, x = x + :inc REMOVE kind",
                       "--expression-attribute-names", json.dumps({"#c": "count"}),
                       "--expression-attribute-values", json.dumps({":zero": {"N": "0"}, ":inc": {"N": "0.5"}}),
                       "--return-values", "UPDATED_NEW")
        self.assertEqual(out["Attributes"], {"count": {"N": "0.5"}, "x": {"N": "1.5"}})

        got = self.ddb.get_item(TableName=self.table, Key=json.loads(key))["Item"]
        self.assertEqual(got, {"pk": {"S": "p"}, "sk": {"N": "1"}, "x": {"N": "1.5"}, "count": {"N": "0.5"}})

    def test_conditional_put_that_fails(self):
        item = {"pk": {"S": "p"}, "sk": {"N": "3"}, "x": {"N": "300"}}
        proc = aws("put-item", "--table-name", self.table, "--item", json.dumps(item),
                   "--condition-expression", "attribute_not_exists(pk)")
        self.assertEqual(proc.returncode, CLI_SERVICE_ERROR, proc.stderr)
        self.assertEqual(proc.stdout, "")
        self.assertIn("An error occurred (ConditionalCheckFailedException) when calling the PutItem operation: "
                      "The conditional request failed", proc.stderr)
        got = self.ddb.get_item(TableName=self.table, Key={"pk": {"S": "p"}, "sk": {"N": "3"}})["Item"]
        self.assertEqual(got["x"], {"N": "3"})

    def test_scan_with_filter_expression(self):
        out = aws_json(self, "scan", "--table-name", self.table,
                       "--filter-expression", "kind = :k AND x > :v",
                       "--expression-attribute-values", json.dumps({":k": {"S": "even"}, ":v": {"N": "2"}}))
        self.assertEqual(sorted(int(i["x"]["N"]) for i in out["Items"]), [4, 6])
        self.assertEqual(out["Count"], 2)
        self.assertEqual(out["ScannedCount"], 6)

    def test_paged_query_with_filter_expression(self):
        # --page-size sends Limit=2 per request; the CLI follows LastEvaluatedKey
        # and adds up Count and ScannedCount over the three pages.
        out = aws_json(self, "query", "--table-name", self.table, "--page-size", "2",
                       "--key-condition-expression", "pk = :p",
                       "--filter-expression", "#k = :k",
                       "--expression-attribute-names", json.dumps({"#k": "kind"}),
                       "--expression-attribute-values", json.dumps({":p": {"S": "p"}, ":k": {"S": "odd"}}),
                       "--projection-expression", "sk")
        self.assertEqual(out["Items"], [{"sk": {"N": "1"}}, {"sk": {"N": "3"}}, {"sk": {"N": "5"}}])
        self.assertEqual(out["Count"], 3)
        self.assertEqual(out["ScannedCount"], 6)
