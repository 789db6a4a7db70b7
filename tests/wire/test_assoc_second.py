"""The second round of associations over HTTP, with boto3 reading back what
was stored: has_and_belongs_to_many (Dynomite's users/groups and the seed's
friends <-> friending_users self-association, a user befriending himself),
polymorphic has_many (`as`), scopes (`where`, `order`; the ActiveRecord
seed's published comments), primary_key, class_name, destroy_async,
has_many :through a join table, association querying (Dynomite's relation
chain), check's one_sided report, atomic refusals, and the writes of an
association call streamed as ordinary writes."""

from helpers import create_table
from test_assoc import AssocTestCase, control


def S(s):
    return {"S": s}


def SS(*ids):
    return {"SS": sorted(ids)}


class SecondRoundCase(AssocTestCase):
    """AssocTestCase's users (bob, alice) and posts, plus the tables a test makes."""

    def setUp(self):
        super().setUp()
        self.extra = []

    def table(self, name, **extra):
        full = self.prefix + name
        create_table(self.ddb, full, hash_key=("id", "S"), **extra)
        self.extra.append(full)
        return full

    def tables(self):
        return [self.users, self.posts] + self.extra

    def records(self, table, *ids):
        for id in ids:
            self.put(table, {"id": S(id)})

    def ids_of(self, answer):
        return [item["id"]["S"] for item in answer["items"]]


class HabtmTest(SecondRoundCase):
    def setUp(self):
        super().setUp()
        self.records(self.users, "carol")
        self.declare({"table": self.users, "has_and_belongs_to_many": "friends", "target": self.users,
                      "inverse_of": "friending_users"})

    def test_seed_self_association_keeps_both_sets(self):
        self.assertEqual(self.call("add", association="friends", ids=["alice", "carol"]), {"ids": ["alice", "carol"]})
        self.assertEqual(self.item(self.users, "bob"), {"id": S("bob"), "friends_ids": SS("alice", "carol")})
        self.assertEqual(self.item(self.users, "alice"), {"id": S("alice"), "friending_users_ids": SS("bob")})
        self.assertEqual(self.call("size", association="friends"), {"size": 2})
        self.assertEqual(self.ids_of(self.call("list", association="friends")), ["alice", "carol"])
        self.assertEqual(self.problems(), [])
        self.assertEqual(self.call("disassociate", association="friends", ids=["carol"]), {"ids": ["alice"]})
        self.assertEqual(self.item(self.users, "carol"), {"id": S("carol")})

    def test_a_user_may_befriend_himself(self):
        self.assertEqual(self.call("add", association="friends", ids=["bob"]), {"ids": ["bob"]})
        self.assertEqual(self.item(self.users, "bob"),
                         {"id": S("bob"), "friends_ids": SS("bob"), "friending_users_ids": SS("bob")})
        self.assertEqual(self.problems(), [])

    def test_destroying_a_user_takes_him_out_of_every_set(self):
        self.call("add", association="friends", ids=["alice", "carol"])
        self.call("add", owner="alice", association="friends", ids=["bob", "carol"])
        self.assertEqual(self.destroy(self.users, "bob"), {"destroyed": [{"table": self.users, "id": "bob"}]})
        self.assertEqual(self.item(self.users, "alice"), {"id": S("alice"), "friends_ids": SS("carol")})
        self.assertEqual(self.item(self.users, "carol"), {"id": S("carol"), "friending_users_ids": SS("alice")})
        self.assertEqual(self.problems(), [])

    def test_check_reports_a_one_sided_link(self):
        self.put(self.users, {"id": S("bob"), "friends_ids": SS("alice")})
        problems = self.problems()
        self.assertEqual([(p["kind"], p["id"], p["other"]) for p in problems], [("one_sided", "bob", "alice")])

    def test_a_refused_add_changes_nothing(self):
        self.call("add", association="friends", ids=["alice"])
        self.refused(404, "RecordNotFound", "Couldn't find", body={
            "op": "add", "table": self.users, "id": "bob", "association": "friends", "ids": ["carol", "nobody"]})

    def test_groups_delete_all_deletes_them_from_every_set(self):
        groups = self.table("groups")
        self.records(groups, "red", "green")
        self.declare({"table": self.users, "has_and_belongs_to_many": "groups", "target": groups})
        self.call("add", association="groups", ids=["red", "green"])
        self.call("add", owner="alice", association="groups", ids=["red"])
        self.assertEqual(self.item(groups, "red"), {"id": S("red"), self.users + "_ids": SS("alice", "bob")})
        answer = self.call("delete_all", association="groups")
        self.assertEqual(answer["deleted"], [{"table": groups, "id": "green"}, {"table": groups, "id": "red"}])
        self.assertEqual(self.item(self.users, "alice"), {"id": S("alice")})
        self.assertEqual(self.problems(), [])

    def test_declaration_is_listed_with_its_defaults(self):
        status, answer = control("GET", "associations")
        mine = [d for d in answer["declarations"] if d["table"] == self.users and d.get("has_and_belongs_to_many")]
        self.assertEqual(mine, [{"table": self.users, "has_and_belongs_to_many": "friends", "target": self.users,
                                 "ids_attribute": "friends_ids", "dependent": "none",
                                 "inverse_of": "friending_users"}])


class PolymorphicAndScopeTest(SecondRoundCase):
    def setUp(self):
        super().setUp()
        self.photos = self.table("photos")
        self.comments = self.table("comments")
        self.records(self.photos, "photo-1")
        self.put(self.comments, {"id": S("c1"), "published": {"BOOL": True}, "posted_on": S("2026-01-01")})
        self.put(self.comments, {"id": S("c2"), "published": {"BOOL": False}, "posted_on": S("2026-01-02")})
        self.put(self.comments, {"id": S("c3"), "published": {"BOOL": True}, "posted_on": S("2026-01-03")})

    def test_polymorphic_links_set_and_clear_id_and_type(self):
        self.declare({"table": self.posts, "has_many": "comments", "target": self.comments, "as": "commentable"},
                     {"table": self.photos, "has_many": "comments", "target": self.comments, "as": "commentable"})
        self.call("add", owner="post-1", table=self.posts, association="comments", ids=["c1", "c2"])
        self.assertEqual(self.item(self.comments, "c1")["commentable_type"], S(self.posts))
        self.call("add", owner="photo-1", table=self.photos, association="comments", ids=["c2"])
        self.assertEqual(self.item(self.comments, "c2")["commentable_type"], S(self.photos))
        listed = self.call("list", owner="post-1", table=self.posts, association="comments")
        self.assertEqual(self.ids_of(listed), ["c1"])
        self.call("disassociate", owner="photo-1", table=self.photos, association="comments", ids=["c2"])
        self.assertNotIn("commentable_id", self.item(self.comments, "c2"))
        self.assertNotIn("commentable_type", self.item(self.comments, "c2"))
        self.assertEqual(self.problems(), [])

    def test_polymorphic_belongs_to_answers_the_owner_by_type_and_id(self):
        self.declare({"table": self.posts, "has_many": "comments", "target": self.comments, "as": "commentable"},
                     {"table": self.photos, "has_many": "comments", "target": self.comments, "as": "commentable"},
                     {"table": self.comments, "belongs_to": "commentable", "polymorphic": True})
        self.call("add", owner="post-1", table=self.posts, association="comments", ids=["c1"])
        self.call("add", owner="photo-1", table=self.photos, association="comments", ids=["c2"])
        owner = self.call("owner", owner="c1", table=self.comments, association="commentable")
        self.assertEqual(owner, {"table": self.posts, "item": {"id": S("post-1"), "comments_ids": SS("c1")}})
        owner = self.call("owner", owner="c2", table=self.comments, association="commentable")
        self.assertEqual(owner["table"], self.photos)
        self.assertEqual(self.call("owner", owner="c3", table=self.comments, association="commentable"),
                         {"item": None})
        status, answer = control("GET", "associations")
        self.assertIn({"table": self.comments, "belongs_to": "commentable", "polymorphic": True,
                       "foreign_key": "commentable_id", "foreign_type": "commentable_type"}, answer["declarations"])
        self.assertEqual(self.problems(), [])
        # a comment naming an owner table that is not there
        self.put(self.comments, {"id": S("c3"), "commentable_id": S("v1"), "commentable_type": S(self.prefix + "videos")})
        self.assertEqual([(p["kind"], p["id"]) for p in self.problems()], [("missing_owner", "c3")])
        self.refused(400, "ValidationException", "takes no target", path="associations", body={
            "table": self.comments, "belongs_to": "subject", "polymorphic": True, "target": self.posts})

    def test_scoped_dependent_destroys_only_published_comments_in_order(self):
        self.declare({"table": self.posts, "has_many": "comments", "class_name": self.comments,
                      "foreign_key": "post_id", "where": {"published": {"BOOL": True}},
                      "order": {"attribute": "posted_on", "direction": "DESC"}, "dependent": "destroy_async"})
        self.assertEqual(self.call("add", owner="post-1", table=self.posts, association="comments",
                                   ids=["c1", "c2", "c3"]), {"ids": ["c1", "c3"]})
        listed = self.call("list", owner="post-1", table=self.posts, association="comments")
        self.assertEqual(self.ids_of(listed), ["c3", "c1"])
        answer = self.destroy(self.posts, "post-1")
        self.assertEqual(answer["destroyed"], [{"table": self.comments, "id": "c1"},
                                               {"table": self.comments, "id": "c3"},
                                               {"table": self.posts, "id": "post-1"}])
        # the unpublished comment keeps its foreign key
        self.assertEqual(self.item(self.comments, "c2")["post_id"], S("post-1"))

    def test_a_scoped_counter_cache_counts_only_the_scope(self):
        self.declare({"table": self.posts, "has_many": "comments", "target": self.comments,
                      "where": {"published": {"BOOL": True}}, "counter_cache": "published_count"})
        self.call("add", owner="post-1", table=self.posts, association="comments", ids=["c1", "c2", "c3"])
        self.assertEqual(self.item(self.posts, "post-1")["published_count"], {"N": "2"})
        self.call("disassociate", owner="post-1", table=self.posts, association="comments", ids=["c3"])
        self.assertEqual(self.item(self.posts, "post-1")["published_count"], {"N": "1"})
        self.assertEqual(self.problems(), [])
        # c2 published behind the association's back: the counter no longer agrees
        self.put(self.comments, dict(self.item(self.comments, "c2"), published={"BOOL": True}))
        self.assertEqual([p["kind"] for p in self.problems()], ["counter_mismatch"])

    def test_primary_key_and_refusals(self):
        self.put(self.users, {"id": S("bob"), "email": S("bob@example.com")})
        self.declare({"table": self.users, "has_many": "posts", "target": self.posts, "primary_key": "email",
                      "foreign_key": "user_id"})
        self.call("add", ids=["post-1"])
        self.assertEqual(self.item(self.posts, "post-1")["user_id"], S("bob@example.com"))
        self.refused(400, "ValidationException", "has no email", body={
            "op": "add", "table": self.users, "id": "alice", "association": "posts", "ids": ["post-2"]})
        self.refused(400, "ValidationException", "name different tables", path="associations", body={
            "table": self.users, "has_many": "x", "target": self.posts, "class_name": self.users})
        self.refused(400, "ValidationException", "order direction must be ASC or DESC", path="associations", body={
            "table": self.users, "has_many": "x", "target": self.posts, "order": {"attribute": "a",
                                                                                "direction": "sideways"}})


class InverseOfTest(SecondRoundCase):
    """inverse_of must name a declaration of the other table once that table declares anything."""

    def test_an_inverse_that_names_nothing_is_refused(self):
        self.declare({"table": self.posts, "belongs_to": "user", "target": self.users})
        self.refused(400, "ValidationException", "inverse_of author names no association of %s" % self.posts,
                     path="associations", body={"table": self.users, "has_many": "posts", "target": self.posts,
                                                "inverse_of": "author"})
        status, answer = control("GET", "associations")
        self.assertEqual([d for d in answer["declarations"] if d["table"] == self.users], [])

    def test_the_inverse_may_come_later_or_in_the_same_batch(self):
        self.declare({"table": self.users, "has_many": "posts", "target": self.posts, "inverse_of": "author"})
        # posts now declares something that is not the inverse: refused
        self.refused(400, "ValidationException", "declare the inverse in the same batch", path="associations",
                     body={"table": self.posts, "belongs_to": "editor", "target": self.users})
        self.declare({"table": self.posts, "belongs_to": "author", "target": self.users,
                      "foreign_key": self.prefix + "user_id"},
                     {"table": self.posts, "belongs_to": "editor", "target": self.users})
        self.assertEqual(self.call("add", ids=["post-1"]), {"ids": ["post-1"]})
        self.assertEqual(self.problems(), [])


class ThroughTest(SecondRoundCase):
    """channels has_many subscribers, through: :subscriptions, source: :user"""

    def setUp(self):
        super().setUp()
        self.channels = self.table("channels")
        self.subs = self.table("subscriptions")
        self.records(self.channels, "news")
        self.declare({"table": self.channels, "has_many": "subscriptions", "target": self.subs,
                      "foreign_key": "channel_id"},
                     {"table": self.subs, "belongs_to": "user", "target": self.users},
                     {"table": self.users, "has_many": "subscriptions", "target": self.subs, "foreign_key": "user_id"},
                     {"table": self.channels, "has_many": "subscribers", "through": "subscriptions",
                      "source": "user"})

    def sub(self, op, **args):
        return self.call(op, owner="news", table=self.channels, association="subscribers", **args)

    def test_writes_make_and_delete_join_records(self):
        self.assertEqual(self.sub("add", ids=["bob", "alice"]), {"ids": ["alice", "bob"]})
        self.assertEqual(self.item(self.subs, "news:bob"),
                         {"id": S("news:bob"), "channel_id": S("news"), "user_id": S("bob")})
        self.assertEqual(self.item(self.users, "bob")["subscriptions_ids"], SS("news:bob"))
        self.assertEqual(self.ids_of(self.sub("list")), ["alice", "bob"])
        self.assertEqual(self.sub("size"), {"size": 2})
        answer = self.sub("delete", ids=["bob"])
        self.assertEqual(answer, {"ids": ["alice"], "deleted": [{"table": self.subs, "id": "news:bob"}]})
        self.assertIsNone(self.item(self.subs, "news:bob"))
        self.assertEqual(self.item(self.users, "bob"), {"id": S("bob")})
        answer = self.sub("destroy", ids=["alice"])
        self.assertEqual(answer["destroyed"], [{"table": self.subs, "id": "news:alice"}])
        self.assertEqual(self.item(self.users, "alice"), {"id": S("alice")})
        self.assertEqual(self.problems(), [])

    def test_a_source_that_is_no_belongs_to_is_read_only(self):
        tags = self.table("tags")
        self.records(tags, "t1")
        self.declare({"table": self.subs, "has_many": "tags", "target": tags},
                     {"table": self.channels, "has_many": "tags", "through": "subscriptions"})
        self.sub("add", ids=["bob"])
        self.call("add", owner="news:bob", table=self.subs, association="tags", ids=["t1"])
        self.assertEqual(self.call("ids", owner="news", table=self.channels, association="tags"), {"ids": ["t1"]})
        self.refused(400, "ValidationException", "is read-only", body={
            "op": "add", "table": self.channels, "id": "news", "association": "tags", "ids": ["t1"]})


class QueryingTest(SecondRoundCase):
    def setUp(self):
        super().setUp()
        self.declare_posts()
        self.put(self.posts, {"id": S("post-1"), "title": S("post 1"), "category": S("ruby"), "price": {"N": "10"}})
        self.put(self.posts, {"id": S("post-2"), "title": S("post 2"), "category": S("c"), "price": {"N": "700"}})
        self.call("add", ids=["post-1", "post-2", "post-3"])

    def test_where_and_relation_chain(self):
        # user.posts.where(title: "post 1")
        self.assertEqual(self.ids_of(self.call("list", where={"title": S("post 1")})), ["post-1"])
        # user.posts.relation.where(title: ...).and.not(category: "ruby").or("price.gt": ...)
        chain = [{"where": {"title.begins_with": S("post")}}, {"not": {"category": S("ruby")}}]
        self.assertEqual(self.ids_of(self.call("list", relation=chain)), ["post-2"])
        chain = [{"where": {"price.lt": {"N": "100"}}}, {"or": {"category.in": {"L": [S("c")]}}}]
        self.assertEqual(self.ids_of(self.call("list", relation=chain)), ["post-1", "post-2"])
        self.assertEqual(self.call("exists", relation=[{"where": {"price.gt": {"N": "1000"}}}]), {"exists": False})
        self.refused(400, "ValidationException", "takes a list (L) of two values", body={
            "op": "list", "table": self.users, "id": "bob", "association": "posts",
            "relation": [{"where": {"price.between": {"N": "1"}}}]})


class FixtureTest(SecondRoundCase):
    def test_a_fixture_declares_habtm_and_links_it_both_ways(self):
        status, answer = control("POST", "fixtures", {
            "associations": [{"table": self.users, "has_and_belongs_to_many": "friends", "target": self.users,
                              "inverse_of": "friending_users"}],
            "links": [{"table": self.users, "id": "bob", "association": "friends", "ids": ["alice"]}]})
        self.assertEqual(status, 200, answer)
        self.assertEqual(self.item(self.users, "alice"), {"id": S("alice"), "friending_users_ids": SS("bob")})
        status, dumped = control("GET", "fixtures")
        self.assertEqual(status, 200, dumped)
        mine = [d for d in dumped["associations"] if d["table"] == self.users]
        self.assertIn({"table": self.users, "has_and_belongs_to_many": "friends", "target": self.users,
                       "ids_attribute": "friends_ids", "dependent": "none", "inverse_of": "friending_users"}, mine)

    def test_a_bad_link_in_a_fixture_loads_nothing(self):
        self.refused(400, "ValidationException", "", path="fixtures", body={
            "associations": [{"table": self.users, "has_and_belongs_to_many": "friends", "target": self.users}],
            "links": [{"table": self.users, "id": "bob", "association": "friends", "ids": ["alice", "nobody"]}]})
        status, answer = control("GET", "associations")
        self.assertEqual([d for d in answer["declarations"] if d["table"] == self.users], [])


class StreamedTest(SecondRoundCase):
    def test_habtm_writes_are_streamed_as_ordinary_writes(self):
        groups = self.table("groups", StreamSpecification={"StreamEnabled": True,
                                                           "StreamViewType": "NEW_AND_OLD_IMAGES"})
        self.records(groups, "red")
        self.declare({"table": self.users, "has_and_belongs_to_many": "groups", "target": groups})
        self.call("add", association="groups", ids=["red"])
        status, answer = control("GET", "streams/%s/records" % groups)
        self.assertEqual(status, 200, answer)
        events = [r["eventName"] for r in answer["records"]]
        self.assertEqual(events, ["INSERT", "MODIFY"])
        self.assertEqual(answer["records"][1]["dynamodb"]["NewImage"][self.users + "_ids"], SS("bob"))
