"""The AWS CLI v2 (/usr/bin/aws --endpoint-url) against the server, checking
its JSON output, its exit codes and its error text."""

import json

from helpers import WireTestCase, aws, aws_json, create_table, table_name, wait_active

# The AWS CLI v2 exits 254 when the service answered with an error.
CLI_SERVICE_ERROR = 254


class CliTest(WireTestCase):

    def test_table_lifecycle(self):
        name = table_name("cli")
        out = aws_json(self, "create-table", "--table-name", name,
                       "--attribute-definitions", "AttributeName=pk,AttributeType=S", "AttributeName=sk,AttributeType=N",
                       "--key-schema", "AttributeName=pk,KeyType=HASH", "AttributeName=sk,KeyType=RANGE",
                       "--billing-mode", "PAY_PER_REQUEST")
        self.assertEqual(out["TableDescription"]["TableName"], name)
        self.assertEqual(out["TableDescription"]["KeySchema"],
                         [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}])
        wait_active(self.ddb, name)

        table = aws_json(self, "describe-table", "--table-name", name)["Table"]
        self.assertEqual(table["TableStatus"], "ACTIVE")
        self.assertTrue(table["TableArn"].endswith(":table/" + name), table["TableArn"])
        self.assertEqual(table["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST")
        self.assertEqual(table["ItemCount"], 0)
        self.assertEqual(sorted(d["AttributeName"] for d in table["AttributeDefinitions"]), ["pk", "sk"])

        # The CLI follows LastEvaluatedTableName itself and prints one merged list.
        names = aws_json(self, "list-tables")["TableNames"]
        self.assertIn(name, names)
        self.assertEqual(names, sorted(names))

        out = aws_json(self, "delete-table", "--table-name", name)
        self.assertEqual(out["TableDescription"]["TableName"], name)

        proc = aws("describe-table", "--table-name", name)
        self.assertEqual(proc.returncode, CLI_SERVICE_ERROR, proc.stderr)
        self.assertIn("An error occurred (ResourceNotFoundException) when calling the DescribeTable operation: "
                      "Requested resource not found: Table: %s not found" % name, proc.stderr)

    def test_item_commands(self):
        name = create_table(self.ddb, hash_key=("pk", "S"), range_key=("sk", "N"))

        out = aws_json(self, "put-item", "--table-name", name, "--return-values", "ALL_OLD", "--item",
                       json.dumps({"pk": {"S": "a"}, "sk": {"N": "1.50"}, "tags": {"SS": ["x", "y"]},
                                   "doc": {"M": {"n": {"NULL": True}, "l": {"L": [{"BOOL": True}]}}}}))
        self.assertNotIn("Attributes", out)

        requests = {name: [{"PutRequest": {"Item": {"pk": {"S": "a"}, "sk": {"N": n}}}} for n in ("2", "3", "0")]
                    + [{"PutRequest": {"Item": {"pk": {"S": "b"}, "sk": {"N": "1"}}}}]}
        out = aws_json(self, "batch-write-item", "--request-items", json.dumps(requests))
        self.assertEqual(out["UnprocessedItems"], {})

        item = aws_json(self, "get-item", "--table-name", name,
                        "--key", json.dumps({"pk": {"S": "a"}, "sk": {"N": "1.5"}}))["Item"]
        self.assertEqual(item["sk"], {"N": "1.5"})
        self.assertEqual(sorted(item["tags"]["SS"]), ["x", "y"])
        self.assertEqual(item["doc"], {"M": {"n": {"NULL": True}, "l": {"L": [{"BOOL": True}]}}})

        out = aws_json(self, "query", "--table-name", name,
                       "--key-condition-expression", "pk = :p AND sk > :v",
                       "--expression-attribute-values", json.dumps({":p": {"S": "a"}, ":v": {"N": "1"}}))
        self.assertEqual([i["sk"]["N"] for i in out["Items"]], ["1.5", "2", "3"])
        self.assertEqual(out["Count"], 3)

        out = aws_json(self, "scan", "--table-name", name)
        self.assertEqual(out["Count"], 5)
        self.assertEqual(sorted((i["pk"]["S"], i["sk"]["N"]) for i in out["Items"]),
                         [("a", "0"), ("a", "1.5"), ("a", "2"), ("a", "3"), ("b", "1")])

        out = aws_json(self, "delete-item", "--table-name", name, "--return-values", "ALL_OLD",
                       "--key", json.dumps({"pk": {"S": "a"}, "sk": {"N": "2"}}))
        self.assertEqual(out["Attributes"], {"pk": {"S": "a"}, "sk": {"N": "2"}})
        self.assertNoItem(name, {"pk": {"S": "a"}, "sk": {"N": "2"}})

        # A missing item: the CLI succeeds and prints no Item.
        out = aws_json(self, "get-item", "--table-name", name, "--key", json.dumps({"pk": {"S": "a"}, "sk": {"N": "2"}}))
        self.assertNotIn("Item", out)

    def test_refused_put_through_the_cli(self):
        name = create_table(self.ddb)
        self.ddb.put_item(TableName=name, Item={"pk": {"S": "keep"}})
        proc = aws("put-item", "--table-name", name, "--item", json.dumps({"pk": {"N": "1"}, "v": {"S": "x"}}))
        self.assertEqual(proc.returncode, CLI_SERVICE_ERROR, proc.stderr)
        self.assertEqual(proc.stdout, "")
        self.assertIn("An error occurred (ValidationException) when calling the PutItem operation: "
                      "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N",
                      proc.stderr)
        items = self.ddb.scan(TableName=name, ConsistentRead=True)["Items"]
        self.assertEqual(items, [{"pk": {"S": "keep"}}])
