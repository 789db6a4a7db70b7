"""Associations over HTTP: the control API (/_dynemu/associations,
/_dynemu/associations/call, /_dynemu/destroy, /_dynemu/associations/check)
against a started dynemu, with boto3 reading back what was stored — the
owner's ids as a String Set (users.posts_ids), the child's foreign key as a
String (posts.user_id), exactly as Dynomite writes them.

Every example of both seed documents (Dynomite's has_many; Rails' has_many
on Firm/clients), every dependent option, the refusals, and atomicity.
Tables get unique names, so declarations name their target and foreign key."""

import json
import uuid

from helpers import WireTestCase, create_table, raw_request, scan_all


def control(method, path, body=None):
    """One control API request; returns (HTTP status, parsed JSON answer)."""
    resp = raw_request(method=method, path="/_dynemu/" + path, body=b"" if body is None else json.dumps(body),
                       auth=False)
    return resp.status, resp.json()


class AssocTestCase(WireTestCase):
    """Unique users / posts tables with records bob, alice and post-1..3."""

    def setUp(self):
        super().setUp()
        self.prefix = "a%s_" % uuid.uuid4().hex[:10]
        self.users = self.prefix + "users"
        self.posts = self.prefix + "posts"
        create_table(self.ddb, self.users, hash_key=("id", "S"))
        create_table(self.ddb, self.posts, hash_key=("id", "S"))
        for user in ("bob", "alice"):
            self.put(self.users, {"id": {"S": user}})
        for n in (1, 2, 3):
            self.put(self.posts, {"id": {"S": "post-%d" % n}})

    def put(self, table, item):
        self.ddb.put_item(TableName=table, Item=item)

    def declare(self, *declarations):
        body = declarations[0] if len(declarations) == 1 else {"declarations": list(declarations)}
        status, answer = control("POST", "associations", body)
        self.assertEqual(status, 200, answer)
        self.assertEqual(answer, {})

    def declare_posts(self, **options):
        self.declare(dict({"table": self.users, "has_many": "posts", "target": self.posts,
                           "foreign_key": "user_id"}, **options),
                     {"table": self.posts, "belongs_to": "user", "target": self.users})

    def call(self, op, owner="bob", association="posts", table=None, **args):
        body = dict({"op": op, "table": table or self.users, "id": owner, "association": association}, **args)
        status, answer = control("POST", "associations/call", body)
        self.assertEqual(status, 200, answer)
        return answer

    def refused(self, status, error, fragment, path="associations/call", body=None):
        """A refused request: its status, error type and message; nothing changed."""
        before = self.state()
        got_status, answer = control("POST", path, body)
        self.assertEqual(got_status, status, answer)
        self.assertTrue(answer["__type"].endswith(error), answer)
        self.assertIn(fragment, answer["message"])
        self.assertEqual(self.state(), before)
        return answer

    def state(self):
        return {t: sorted(scan_all(self.ddb, t, ConsistentRead=True), key=lambda i: i["id"]["S"])
                for t in self.tables()}

    def tables(self):
        return [self.users, self.posts]

    def item(self, table, id):
        return self.ddb.get_item(TableName=table, Key={"id": {"S": id}}, ConsistentRead=True).get("Item")

    def assertStored(self, table, id, expected):
        self.assertEqual(self.item(table, id), expected)

    def destroy(self, table, id):
        status, answer = control("POST", "destroy", {"table": table, "id": id})
        self.assertEqual(status, 200, answer)
        return answer

    def problems(self):
        """check's problems on this test's tables only (the server is shared)."""
        status, answer = control("GET", "associations/check")
        self.assertEqual(status, 200, answer)
        return [p for p in answer["problems"] if p["table"].startswith(self.prefix)]


class DynomiteSeedTest(AssocTestCase):
    """The examples of Ruby Jets' Dynomite has_many document."""

    def setUp(self):
        super().setUp()
        self.declare_posts()

    def test_creating_stores_a_string_set_and_a_string(self):
        # user.posts << Post.find("post-1"); user.posts << Post.find("post-2")
        self.assertEqual(self.call("add", ids=["post-1"]), {"ids": ["post-1"]})
        self.assertEqual(self.call("add", ids=["post-2"]), {"ids": ["post-1", "post-2"]})
        # user.posts.map(&:id).sort
        self.assertEqual(self.call("ids"), {"ids": ["post-1", "post-2"]})
        # user.posts_ids is a String Set; Post.find("post-1").user_id is "bob"
        self.assertEqual(self.item(self.users, "bob")["posts_ids"], {"SS": ["post-1", "post-2"]})
        self.assertEqual(self.item(self.posts, "post-1")["user_id"], {"S": "bob"})
        self.assertEqual(self.item(self.posts, "post-2")["user_id"], {"S": "bob"})
        self.assertEqual(self.problems(), [])

    def test_delete_all_removes_the_records(self):
        self.call("add", ids=["post-1", "post-2"])
        answer = self.call("delete_all")
        self.assertEqual(answer["ids"], [])
        self.assertEqual(answer["deleted"], [{"table": self.posts, "id": "post-1"},
                                             {"table": self.posts, "id": "post-2"}])
        # Post.find_by(id: "post-1") is nil
        self.assertIsNone(self.item(self.posts, "post-1"))
        self.assertIsNone(self.item(self.posts, "post-2"))
        self.assertStored(self.users, "bob", {"id": {"S": "bob"}})

    def test_destroy_all_destroys_the_records(self):
        self.call("add", ids=["post-1", "post-2"])
        self.assertEqual(self.call("destroy_all"),
                         {"ids": [], "destroyed": [{"table": self.posts, "id": "post-1"},
                                                   {"table": self.posts, "id": "post-2"}]})
        self.assertIsNone(self.item(self.posts, "post-1"))
        self.assertStored(self.users, "bob", {"id": {"S": "bob"}})

    def test_disassociate_keeps_the_records(self):
        self.call("add", ids=["post-1", "post-2"])
        self.assertEqual(self.call("disassociate", ids=["post-1"]), {"ids": ["post-2"]})
        self.assertEqual(self.call("disassociate", ids=["post-2"]), {"ids": []})
        # Post.exists?("post-1") is true; the empty set is removed, not stored
        self.assertStored(self.posts, "post-1", {"id": {"S": "post-1"}})
        self.assertStored(self.posts, "post-2", {"id": {"S": "post-2"}})
        self.assertStored(self.users, "bob", {"id": {"S": "bob"}})

    def test_disassociate_all(self):
        self.call("add", ids=["post-1", "post-2"])
        self.assertEqual(self.call("disassociate_all"), {"ids": []})
        self.assertStored(self.posts, "post-1", {"id": {"S": "post-1"}})
        self.assertStored(self.users, "bob", {"id": {"S": "bob"}})

    def test_reassociate_all_items(self):
        # user.posts = Post.find("post-1", "post-2")
        self.call("add", ids=["post-3"])
        self.assertEqual(self.call("replace", ids=["post-2", "post-1"]), {"ids": ["post-1", "post-2"]})
        self.assertEqual(self.item(self.users, "bob")["posts_ids"], {"SS": ["post-1", "post-2"]})
        self.assertStored(self.posts, "post-3", {"id": {"S": "post-3"}})

    def test_querying_by_equality(self):
        self.put(self.posts, {"id": {"S": "post-1"}, "status": {"S": "draft"}})
        self.put(self.posts, {"id": {"S": "post-2"}, "status": {"S": "published"}})
        self.call("add", ids=["post-2", "post-1"])
        answer = self.call("list", where={"status": {"S": "published"}})
        self.assertEqual(answer, {"items": [{"id": {"S": "post-2"}, "status": {"S": "published"},
                                             "user_id": {"S": "bob"}}]})
        self.assertEqual([i["id"]["S"] for i in self.call("list")["items"]], ["post-1", "post-2"])

    def test_moving_a_post_takes_it_from_the_old_owner(self):
        self.call("add", ids=["post-1", "post-2"])
        self.assertEqual(self.call("add", owner="alice", ids=["post-2"]), {"ids": ["post-2"]})
        self.assertEqual(self.item(self.users, "bob")["posts_ids"], {"SS": ["post-1"]})
        self.assertEqual(self.item(self.posts, "post-2")["user_id"], {"S": "alice"})
        self.assertEqual(self.problems(), [])


class SameModelTest(AssocTestCase):
    """has_many :students, class: User; belongs_to :teacher, class_name: :user."""

    def test_students_and_teacher_in_one_table(self):
        self.put(self.users, {"id": {"S": "carol"}})
        self.declare({"table": self.users, "has_many": "students", "target": self.users, "inverse_of": "teacher"},
                     {"table": self.users, "belongs_to": "teacher", "target": self.users})
        self.assertEqual(self.call("add", association="students", ids=["alice", "carol"]),
                         {"ids": ["alice", "carol"]})
        self.assertEqual(self.item(self.users, "bob")["students_ids"], {"SS": ["alice", "carol"]})
        self.assertEqual(self.item(self.users, "alice")["teacher_id"], {"S": "bob"})
        status, answer = control("GET", "associations")
        mine = [d for d in answer["declarations"] if d["table"] == self.users]
        self.assertIn({"table": self.users, "has_many": "students", "target": self.users,
                       "foreign_key": "teacher_id", "ids_attribute": "students_ids", "dependent": "none",
                       "inverse_of": "teacher"}, mine)
        self.assertEqual(self.problems(), [])


class ActiveRecordSeedTest(AssocTestCase):
    """The Firm / clients example of Rails' has_many, on firms and clients tables."""

    def setUp(self):
        super().setUp()
        self.firms = self.prefix + "firms"
        self.clients = self.prefix + "clients"
        create_table(self.ddb, self.firms, hash_key=("id", "S"))
        create_table(self.ddb, self.clients, hash_key=("id", "S"))
        self.put(self.firms, {"id": {"S": "2"}})
        for id, name in (("6", "ACME"), ("7", "Initech")):
            self.put(self.clients, {"id": {"S": id}, "name": {"S": name}})
        self.declare({"table": self.firms, "has_many": "clients", "target": self.clients})

    def tables(self):
        return [self.firms, self.clients]

    def firm(self, op, **args):
        return self.call(op, owner="2", association="clients", table=self.firms, **args)

    def test_default_foreign_key_is_the_singular_table_name(self):
        self.firm("add", ids=["6"])
        # firm.clients << client: the key is <firms singular>_id
        self.assertEqual(self.item(self.clients, "6")[self.prefix + "firm_id"], {"S": "2"})
        self.assertEqual(self.item(self.firms, "2")["clients_ids"], {"SS": ["6"]})

    def test_collection_methods(self):
        self.assertEqual(self.firm("list"), {"items": []})                          # firm.clients
        self.assertEqual(self.firm("empty"), {"empty": True})                       # firm.clients.empty?
        self.assertEqual(self.firm("add", ids=["6"]), {"ids": ["6"]})               # firm.clients << client
        self.assertEqual(self.firm("ids"), {"ids": ["6"]})                          # firm.client_ids
        self.assertEqual(self.firm("size"), {"size": 1})                            # firm.clients.size
        self.assertEqual(self.firm("empty"), {"empty": False})
        fk = self.prefix + "firm_id"
        acme = {"id": {"S": "6"}, "name": {"S": "ACME"}, fk: {"S": "2"}}
        self.assertEqual(self.firm("find", record_id="6"), {"item": acme})         # firm.clients.find(6)
        self.assertEqual(self.firm("exists", where={"name": {"S": "ACME"}}),       # exists?(name: 'ACME')
                         {"exists": True})
        self.assertEqual(self.firm("exists", where={"name": {"S": "Initech"}}), {"exists": False})
        self.assertEqual(self.firm("list"), {"items": [acme]})                      # firm.clients.reload
        # firm.clients.build: not stored
        self.assertEqual(self.firm("build", item={"name": {"S": "Globex"}}),
                         {"item": {"name": {"S": "Globex"}, fk: {"S": "2"}}})
        # firm.clients.create / create!: stored and linked
        self.assertEqual(self.firm("create", item={"id": {"S": "9"}, "name": {"S": "Globex"}}),
                         {"item": {"id": {"S": "9"}, "name": {"S": "Globex"}, fk: {"S": "2"}}})
        self.assertEqual(self.item(self.clients, "9")[fk], {"S": "2"})
        # firm.clients = [client]; firm.client_ids = [6]
        self.assertEqual(self.firm("replace", ids=["7"]), {"ids": ["7"]})
        self.assertEqual(self.firm("replace", ids=["6"]), {"ids": ["6"]})
        # firm.clients.delete(client): nullified (no dependent)
        self.assertEqual(self.firm("delete", ids=["6"]), {"ids": []})
        self.assertNotIn(fk, self.item(self.clients, "6"))
        # firm.clients.destroy(client)
        self.firm("add", ids=["6", "7"])
        self.assertEqual(self.firm("destroy", ids=["7"]),
                         {"ids": ["6"], "destroyed": [{"table": self.clients, "id": "7"}]})
        self.assertIsNone(self.item(self.clients, "7"))
        # firm.clients.clear
        self.assertEqual(self.firm("clear"), {"ids": []})
        self.assertIsNotNone(self.item(self.clients, "6"))
        self.assertNotIn("clients_ids", self.item(self.firms, "2"))

    def test_find_outside_the_collection_is_record_not_found(self):
        answer = self.refused(404, "RecordNotFound", "Couldn't find " + self.clients + " with id=7",
                              body={"op": "find", "table": self.firms, "id": "2", "association": "clients",
                                    "record_id": "7"})
        self.assertEqual(answer["__type"], "RecordNotFound")

    def test_create_refused_when_the_key_exists(self):
        self.refused(400, "ValidationException", "a record with that id exists",
                     body={"op": "create", "table": self.firms, "id": "2", "association": "clients",
                           "item": {"id": {"S": "6"}}})


class DependentTest(AssocTestCase):
    """Destroying an owner (/_dynemu/destroy) under each dependent option;
    posts have comments, so a cascade goes two levels down."""

    def setUp(self):
        super().setUp()
        self.comments = self.prefix + "comments"
        create_table(self.ddb, self.comments, hash_key=("id", "S"))
        for c in ("c-1", "c-2"):
            self.put(self.comments, {"id": {"S": c}})

    def tables(self):
        return [self.users, self.posts, self.comments]

    def link(self, posts_dependent, comments_dependent="destroy"):
        self.declare({"table": self.users, "has_many": "posts", "target": self.posts, "foreign_key": "user_id",
                      "dependent": posts_dependent, "counter_cache": "posts_count"},
                     {"table": self.posts, "has_many": "comments", "target": self.comments,
                      "foreign_key": "post_id", "dependent": comments_dependent})
        self.call("add", ids=["post-1", "post-2"])
        self.call("add", table=self.posts, owner="post-1", association="comments", ids=["c-1", "c-2"])

    def test_destroy_cascades(self):
        self.link("destroy")
        self.assertEqual(self.destroy(self.users, "bob"), {"destroyed": [
            {"table": self.comments, "id": "c-1"}, {"table": self.comments, "id": "c-2"},
            {"table": self.posts, "id": "post-1"}, {"table": self.posts, "id": "post-2"},
            {"table": self.users, "id": "bob"}]})
        self.assertEqual([i["id"]["S"] for i in scan_all(self.ddb, self.posts)], ["post-3"])
        self.assertEqual(scan_all(self.ddb, self.comments), [])

    def test_delete_all_deletes_without_cascade(self):
        self.link("delete_all")
        self.assertEqual(self.destroy(self.users, "bob"), {
            "destroyed": [{"table": self.users, "id": "bob"}],
            "deleted": [{"table": self.posts, "id": "post-1"}, {"table": self.posts, "id": "post-2"}]})
        self.assertEqual(self.item(self.comments, "c-1")["post_id"], {"S": "post-1"})
        self.assertEqual({p["kind"] for p in self.problems()}, {"missing_owner"})

    def test_nullify_unlinks(self):
        self.link("nullify")
        self.destroy(self.users, "bob")
        self.assertStored(self.posts, "post-2", {"id": {"S": "post-2"}})
        self.assertEqual(self.item(self.posts, "post-1")["comments_ids"], {"SS": ["c-1", "c-2"]})
        self.assertEqual(self.problems(), [])

    def test_restrict_with_exception_refuses(self):
        self.link("restrict_with_exception")
        self.refused(409, "DeleteRestrictionError", "Cannot delete record because of dependent posts",
                     path="destroy", body={"table": self.users, "id": "bob"})

    def test_restrict_with_error_refuses(self):
        self.link("restrict_with_error")
        self.refused(409, "DeleteRestrictionError", "Cannot delete record because dependent posts exist",
                     path="destroy", body={"table": self.users, "id": "bob"})

    def test_none_leaves_the_children(self):
        self.link("none")
        self.assertEqual(self.destroy(self.users, "bob"), {"destroyed": [{"table": self.users, "id": "bob"}]})
        self.assertEqual(self.item(self.posts, "post-1")["user_id"], {"S": "bob"})

    def test_a_restriction_deep_in_the_cascade_changes_nothing(self):
        self.link("destroy", "restrict_with_exception")
        self.refused(409, "DeleteRestrictionError", "dependent comments", path="destroy",
                     body={"table": self.users, "id": "bob"})
        self.refused(409, "DeleteRestrictionError", "dependent comments",
                     body={"op": "destroy_all", "table": self.users, "id": "bob", "association": "posts"})

    def test_counter_cache_and_destroying_a_child(self):
        self.link("destroy")
        self.assertEqual(self.item(self.users, "bob")["posts_count"], {"N": "2"})
        self.destroy(self.posts, "post-2")
        self.assertEqual(self.item(self.users, "bob")["posts_ids"], {"SS": ["post-1"]})
        self.assertEqual(self.item(self.users, "bob")["posts_count"], {"N": "1"})


class RefusalTest(AssocTestCase):
    """Bad input answers 4xx with a clear message and changes nothing."""

    def setUp(self):
        super().setUp()
        self.declare_posts()
        self.call("add", ids=["post-1"])

    def body(self, op="ids", **args):
        return dict({"op": op, "table": self.users, "id": "bob", "association": "posts"}, **args)

    def test_unknown_table(self):
        self.refused(400, "ResourceNotFoundException", "Table: nope not found", body=dict(self.body(), table="nope"))

    def test_unknown_association(self):
        self.refused(400, "ValidationException", "has no association named postz",
                     body=dict(self.body(), association="postz"))

    def test_unknown_op(self):
        self.refused(400, "ValidationException", "Unknown association operation: explode", body=self.body("explode"))

    def test_unknown_owner(self):
        self.refused(404, "RecordNotFound", "Couldn't find %s with id=zed" % self.users, body=dict(self.body(), id="zed"))

    def test_missing_child_refuses_the_whole_add(self):
        self.refused(404, "RecordNotFound", "id=post-9", body=self.body("add", ids=["post-2", "post-9"]))

    def test_id_outside_the_association(self):
        self.refused(404, "RecordNotFound", "in posts of %s bob" % self.users,
                     body=self.body("disassociate", ids=["post-2"]))

    def test_missing_arguments(self):
        self.refused(400, "ValidationException", "ids is required", body=self.body("add"))
        self.refused(400, "ValidationException", "item is required", body=self.body("create"))

    def test_destroy_of_a_missing_record(self):
        self.refused(404, "RecordNotFound", "id=zed", path="destroy", body={"table": self.users, "id": "zed"})

    def test_bad_declarations(self):
        self.refused(400, "ValidationException", "table nope does not exist", path="associations",
                     body={"table": "nope", "has_many": "posts"})
        self.refused(400, "ValidationException", "Unknown dependent option", path="associations",
                     body={"table": self.users, "has_many": "posts", "target": self.posts, "dependent": "boom"})

    def test_target_without_a_string_partition_key(self):
        numbers = self.prefix + "numbers"
        create_table(self.ddb, numbers, hash_key=("n", "N"))
        self.refused(400, "ValidationException", "has a partition key of type N", path="associations",
                     body={"table": self.users, "has_many": "numbers", "target": numbers})


class AtomicityTest(AssocTestCase):
    """An operation that fails half-way leaves every record as it was."""

    def test_a_failure_after_some_writes_were_staged_changes_nothing(self):
        self.declare_posts()
        self.call("add", ids=["post-1"])
        # post-3 is one attribute short of the 400 KB item limit: its foreign key does not fit.
        fill = 400 * 1024 - len("id") - len("post-3") - len("fill") - 3
        self.put(self.posts, {"id": {"S": "post-3"}, "fill": {"S": "x" * fill}})
        self.refused(400, "ValidationException", "Item size has exceeded",
                     body={"op": "add", "table": self.users, "id": "alice", "association": "posts",
                           "ids": ["post-1", "post-2", "post-3"]})
        self.assertEqual(self.item(self.posts, "post-1")["user_id"], {"S": "bob"})


class CheckTest(AssocTestCase):

    def test_check_reports_every_disagreement(self):
        self.declare_posts()
        self.call("add", ids=["post-1"])
        self.assertEqual(self.problems(), [])
        self.put(self.users, {"id": {"S": "alice"}, "posts_ids": {"SS": ["post-1", "post-9"]}})
        self.put(self.posts, {"id": {"S": "post-3"}, "user_id": {"S": "zed"}})
        kinds = sorted(p["kind"] for p in self.problems())
        self.assertEqual(kinds, ["claimed_twice", "dangling_id", "foreign_key_mismatch", "missing_owner"])
        status, answer = control("GET", "associations/check")
        self.assertFalse(answer["ok"])


class FixtureTest(WireTestCase):
    """Associations and links loaded from a fixture document; a snapshot
    carries them along with the items."""

    def test_links_from_a_fixture_and_a_snapshot_round_trip(self):
        prefix = "f%s_" % uuid.uuid4().hex[:10]
        users, posts = prefix + "users", prefix + "posts"
        table = lambda name: {"TableName": name, "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                              "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
                              "BillingMode": "PAY_PER_REQUEST"}
        status, answer = control("POST", "fixtures", {
            "tables": [table(users), table(posts)],
            "items": {users: [{"id": {"S": "bob"}}], posts: [{"id": {"S": "post-1"}}, {"id": {"S": "post-2"}}]},
            "associations": [{"table": users, "has_many": "posts", "target": posts, "foreign_key": "user_id",
                              "dependent": "destroy"}],
            "links": [{"table": users, "id": "bob", "association": "posts", "ids": ["post-2", "post-1"]}]})
        self.assertEqual(status, 200, answer)
        get = lambda t, id: self.ddb.get_item(TableName=t, Key={"id": {"S": id}}, ConsistentRead=True).get("Item")
        self.assertEqual(get(users, "bob")["posts_ids"], {"SS": ["post-1", "post-2"]})
        self.assertEqual(get(posts, "post-1")["user_id"], {"S": "bob"})

        snapshot = prefix + "snap"
        self.assertEqual(control("POST", "snapshots/" + snapshot)[0], 200)
        status, answer = control("POST", "destroy", {"table": users, "id": "bob"})
        self.assertEqual(status, 200, answer)
        self.assertEqual(len(answer["destroyed"]), 3)
        self.assertIsNone(get(posts, "post-1"))
        self.assertEqual(control("POST", "snapshots/%s/restore" % snapshot)[0], 200)
        status, answer = control("POST", "associations/call",
                                 {"op": "ids", "table": users, "id": "bob", "association": "posts"})
        self.assertEqual((status, answer), (200, {"ids": ["post-1", "post-2"]}))
