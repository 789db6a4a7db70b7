/* tests/unit/test_assoc.c — the association layer (assoc/assoc.h), linked:
 * every example of the two seed documents (Dynomite's has_many, Rails'
 * has_many on Firm/clients), every dependent option, moving children between
 * owners, cascades, atomicity (a refusal half-way changes nothing), check,
 * declarations with their defaults and refusals, the JSON forms and the C
 * API by name. Tables are made with dynemu_call(CreateTable) and items
 * written and read back with PutItem / GetItem, as a user's test would. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assoc/assoc.h"
#include "dynemu.h"
#include "assoc/internal.h" /* ASSOC_MAX_CASCADE_DEPTH */
#include "store/codec.h"
#include "assoc_world.h"

/* users bob and alice, posts post-1..3; users has_many posts, posts belongs_to user. */
static void users_and_posts(world *w, const char *options)
{
    make_table(w, "users");
    make_table(w, "posts");
    record(w, "users", "bob");
    record(w, "users", "alice");
    for (int i = 1; i <= 3; i++) {
        char id[32];
        snprintf(id, sizeof id, "post-%d", i);
        record(w, "posts", id);
    }
    char buf[512];
    snprintf(buf, sizeof buf, "{'declarations':[{'table':'users','has_many':'posts'%s%s},"
                              "{'table':'posts','belongs_to':'user'}]}",
             options ? "," : "", options ? options : "");
    declare(w, buf);
}

#define BOB_POSTS(op) "{'op':'" op "','table':'users','id':'bob','association':'posts'"

/* ------------------------------------------------- seed: Dynomite has_many */

/* user.posts << Post.find("post-1"); << Post.find("post-2") */
static void dynomite_creating_stores_a_string_set_and_a_string(void **state)
{
    world *w = *state;
    users_and_posts(w, NULL);
    expect(w, BOB_POSTS("add") ",'ids':['post-1']}", "{'ids':['post-1']}");
    expect(w, BOB_POSTS("add") ",'ids':['post-2']}", "{'ids':['post-1','post-2']}");
    /* user.posts.map(&:id).sort */
    expect(w, BOB_POSTS("ids") "}", "{'ids':['post-1','post-2']}");
    /* user.posts_ids is a String Set; Post.find(...).user_id is a String */
    assert_item(w, "users", "bob", "{'id':{'S':'bob'},'posts_ids':{'SS':['post-1','post-2']}}");
    assert_item(w, "posts", "post-1", "{'id':{'S':'post-1'},'user_id':{'S':'bob'}}");
    assert_item(w, "posts", "post-2", "{'id':{'S':'post-2'},'user_id':{'S':'bob'}}");
    assert_item(w, "posts", "post-3", "{'id':{'S':'post-3'}}");
}

/* user.posts.delete_all; Post.find_by(id: "post-1") is nil */
static void dynomite_delete_all_removes_the_records(void **state)
{
    world *w = *state;
    users_and_posts(w, NULL);
    expect(w, BOB_POSTS("add") ",'ids':['post-1','post-2']}", "{'ids':['post-1','post-2']}");
    expect(w, BOB_POSTS("delete_all") "}",
           "{'ids':[],'deleted':[{'table':'posts','id':'post-1'},{'table':'posts','id':'post-2'}]}");
    assert_item(w, "posts", "post-1", "null");
    assert_item(w, "posts", "post-2", "null");
    assert_item(w, "users", "bob", "{'id':{'S':'bob'}}");
}

/* user.posts.destroy_all runs the callbacks */
static void dynomite_destroy_all_runs_the_callbacks(void **state)
{
    world *w = *state;
    users_and_posts(w, NULL);
    destroy_log log = {"", 0};
    assert_true(assoc_on_destroy(w->r, "posts", log_destroy, &log));
    expect(w, BOB_POSTS("add") ",'ids':['post-1','post-2']}", "{'ids':['post-1','post-2']}");
    expect(w, BOB_POSTS("destroy_all") "}",
           "{'ids':[],'destroyed':[{'table':'posts','id':'post-1'},{'table':'posts','id':'post-2'}]}");
    assert_string_equal(log.text, "posts:post-1 posts:post-2 ");
    assert_item(w, "posts", "post-1", "null");
    assert_item(w, "users", "bob", "{'id':{'S':'bob'}}");
}

/* user.posts.disassociate Post.find("post-1"); Post.exists?("post-1") */
static void dynomite_disassociate_keeps_the_records(void **state)
{
    world *w = *state;
    users_and_posts(w, NULL);
    expect(w, BOB_POSTS("add") ",'ids':['post-1','post-2']}", "{'ids':['post-1','post-2']}");
    expect(w, BOB_POSTS("disassociate") ",'ids':['post-1']}", "{'ids':['post-2']}");
    expect(w, BOB_POSTS("disassociate") ",'ids':['post-2']}", "{'ids':[]}");
    assert_item(w, "posts", "post-1", "{'id':{'S':'post-1'}}");
    assert_item(w, "posts", "post-2", "{'id':{'S':'post-2'}}");
    /* the empty set is removed, never stored */
    assert_item(w, "users", "bob", "{'id':{'S':'bob'}}");
}

static void dynomite_disassociate_all(void **state)
{
    world *w = *state;
    users_and_posts(w, NULL);
    expect(w, BOB_POSTS("add") ",'ids':['post-1','post-2']}", "{'ids':['post-1','post-2']}");
    expect(w, BOB_POSTS("disassociate_all") "}", "{'ids':[]}");
    assert_item(w, "posts", "post-1", "{'id':{'S':'post-1'}}");
    assert_item(w, "posts", "post-2", "{'id':{'S':'post-2'}}");
    assert_item(w, "users", "bob", "{'id':{'S':'bob'}}");
}

/* user.posts = Post.find("post-1", "post-2") */
static void dynomite_reassociate_replaces_the_collection(void **state)
{
    world *w = *state;
    users_and_posts(w, NULL);
    expect(w, BOB_POSTS("add") ",'ids':['post-3']}", "{'ids':['post-3']}");
    expect(w, BOB_POSTS("replace") ",'ids':['post-2','post-1']}", "{'ids':['post-1','post-2']}");
    assert_item(w, "users", "bob", "{'id':{'S':'bob'},'posts_ids':{'SS':['post-1','post-2']}}");
    assert_item(w, "posts", "post-3", "{'id':{'S':'post-3'}}");
    assert_item(w, "posts", "post-1", "{'id':{'S':'post-1'},'user_id':{'S':'bob'}}");
}

/* Association querying: basic equality filtering. */
static void dynomite_querying_filters_by_equality(void **state)
{
    world *w = *state;
    users_and_posts(w, NULL);
    put(w, "posts", "{'id':{'S':'post-1'},'status':{'S':'draft'}}");
    put(w, "posts", "{'id':{'S':'post-2'},'status':{'S':'published'},'stars':{'N':'5'}}");
    expect(w, BOB_POSTS("add") ",'ids':['post-2','post-1']}", "{'ids':['post-1','post-2']}");
    expect(w, BOB_POSTS("list") ",'where':{'status':{'S':'published'}}}",
           "{'items':[{'id':{'S':'post-2'},'status':{'S':'published'},'stars':{'N':'5'},'user_id':{'S':'bob'}}]}");
    expect(w, BOB_POSTS("list") ",'where':{'stars':{'N':'5.0'}}}",
           "{'items':[{'id':{'S':'post-2'},'status':{'S':'published'},'stars':{'N':'5'},'user_id':{'S':'bob'}}]}");
    expect(w, BOB_POSTS("list") ",'where':{'status':{'S':'gone'}}}", "{'items':[]}");
    expect(w, BOB_POSTS("list") "}",
           "{'items':[{'id':{'S':'post-1'},'status':{'S':'draft'},'user_id':{'S':'bob'}},"
           "{'id':{'S':'post-2'},'status':{'S':'published'},'stars':{'N':'5'},'user_id':{'S':'bob'}}]}");
}

/* has_many :students, class: User; belongs_to :teacher, class_name: :user */
static void dynomite_association_with_the_same_model(void **state)
{
    world *w = *state;
    make_table(w, "users");
    record(w, "users", "bob");
    record(w, "users", "alice");
    record(w, "users", "carol");
    declare(w, "{'declarations':[{'table':'users','has_many':'students','target':'users','inverse_of':'teacher'},"
               "{'table':'users','belongs_to':'teacher','target':'users'}]}");
    expect(w, "{'op':'add','table':'users','id':'bob','association':'students','ids':['alice','carol']}",
           "{'ids':['alice','carol']}");
    assert_item(w, "users", "bob", "{'id':{'S':'bob'},'students_ids':{'SS':['alice','carol']}}");
    assert_item(w, "users", "alice", "{'id':{'S':'alice'},'teacher_id':{'S':'bob'}}");
    /* carol now teaches alice: alice leaves bob's students */
    expect(w, "{'op':'add','table':'users','id':'carol','association':'students','ids':['alice']}",
           "{'ids':['alice']}");
    assert_item(w, "users", "bob", "{'id':{'S':'bob'},'students_ids':{'SS':['carol']}}");
    assert_item(w, "users", "carol",
                "{'id':{'S':'carol'},'teacher_id':{'S':'bob'},'students_ids':{'SS':['alice']}}");
    assert_item(w, "users", "alice", "{'id':{'S':'alice'},'teacher_id':{'S':'carol'}}");
    assert_check_report(w, "{'ok':true,'problems':[]}");
}

/* Without inverse_of the has_many's key is the table's: users → user_id. */
static void same_model_without_inverse_uses_the_table_key(void **state)
{
    world *w = *state;
    make_table(w, "users");
    record(w, "users", "bob");
    record(w, "users", "alice");
    declare(w, "{'table':'users','has_many':'students','target':'users'}");
    expect(w, "{'op':'add','table':'users','id':'bob','association':'students','ids':['alice','bob']}",
           "{'ids':['alice','bob']}");
    assert_item(w, "users", "bob", "{'id':{'S':'bob'},'user_id':{'S':'bob'},'students_ids':{'SS':['alice','bob']}}");
    /* a record that is its own child is destroyed once */
    declare(w, "{'table':'users','has_many':'students','target':'users','dependent':'destroy'}");
    expect_destroy(w, "{'table':'users','id':'bob'}",
                   "{'destroyed':[{'table':'users','id':'alice'},{'table':'users','id':'bob'}]}");
    assert_item(w, "users", "alice", "null");
}

/* ------------------------------------------- seed: ActiveRecord Firm/clients */

/* firms has_many clients: foreign key firm_id, ids in clients_ids. */
static void firm_and_clients(world *w, const char *dependent)
{
    make_table(w, "firms");
    make_table(w, "clients");
    record(w, "firms", "2");
    record(w, "firms", "3");
    put(w, "clients", "{'id':{'S':'6'},'name':{'S':'ACME'}}");
    put(w, "clients", "{'id':{'S':'7'},'name':{'S':'Initech'}}");
    put(w, "clients", "{'id':{'S':'8'},'name':{'S':'Hooli'}}");
    char buf[256];
    snprintf(buf, sizeof buf, "{'table':'firms','has_many':'clients','dependent':'%s'}", dependent ? dependent : "none");
    declare(w, buf);
}

#define FIRM(op) "{'op':'" op "','table':'firms','id':'2','association':'clients'"

/* firm.clients << client; firm.clients (similar to Client.where(firm_id: 2)); firm.clients.reload */
static void activerecord_collection_and_shovel(void **state)
{
    world *w = *state;
    firm_and_clients(w, NULL);
    expect(w, FIRM("list") "}", "{'items':[]}");
    expect(w, FIRM("add") ",'ids':['6']}", "{'ids':['6']}");
    expect(w, FIRM("list") "}", "{'items':[{'id':{'S':'6'},'name':{'S':'ACME'},'firm_id':{'S':'2'}}]}");
    assert_item(w, "clients", "6", "{'id':{'S':'6'},'name':{'S':'ACME'},'firm_id':{'S':'2'}}");
    assert_item(w, "firms", "2", "{'id':{'S':'2'},'clients_ids':{'SS':['6']}}");
}

/* firm.clients.delete(client): nullified by default, destroyed with
 * dependent: :destroy, deleted with dependent: :delete_all */
static void activerecord_delete_follows_dependent(void **state)
{
    world *w = *state;
    firm_and_clients(w, NULL);
    destroy_log log = {"", 0};
    assoc_on_destroy(w->r, "clients", log_destroy, &log);
    expect(w, FIRM("add") ",'ids':['6','7','8']}", "{'ids':['6','7','8']}");
    expect(w, FIRM("delete") ",'ids':['6']}", "{'ids':['7','8']}");
    assert_item(w, "clients", "6", "{'id':{'S':'6'},'name':{'S':'ACME'}}");
    declare(w, "{'table':'firms','has_many':'clients','dependent':'destroy'}");
    expect(w, FIRM("delete") ",'ids':['7']}", "{'ids':['8'],'destroyed':[{'table':'clients','id':'7'}]}");
    assert_item(w, "clients", "7", "null");
    declare(w, "{'table':'firms','has_many':'clients','dependent':'delete_all'}");
    expect(w, FIRM("delete") ",'ids':['8']}", "{'ids':[],'deleted':[{'table':'clients','id':'8'}]}");
    assert_item(w, "clients", "8", "null");
    /* callbacks ran for the destroyed one only */
    assert_string_equal(log.text, "clients:7 ");
}

/* firm.clients.destroy(client): destroyed whatever the dependent option */
static void activerecord_destroy_ignores_dependent(void **state)
{
    world *w = *state;
    firm_and_clients(w, "nullify");
    destroy_log log = {"", 0};
    assoc_on_destroy(w->r, "clients", log_destroy, &log);
    expect(w, FIRM("add") ",'ids':['6','7']}", "{'ids':['6','7']}");
    expect(w, FIRM("destroy") ",'ids':['6']}", "{'ids':['7'],'destroyed':[{'table':'clients','id':'6'}]}");
    assert_item(w, "clients", "6", "null");
    assert_item(w, "firms", "2", "{'id':{'S':'2'},'clients_ids':{'SS':['7']}}");
    assert_string_equal(log.text, "clients:6 ");
}

/* firm.clients = [client]; firm.client_ids; firm.client_ids = [6] */
static void activerecord_assigning_the_collection(void **state)
{
    world *w = *state;
    firm_and_clients(w, NULL);
    expect(w, FIRM("add") ",'ids':['7','8']}", "{'ids':['7','8']}");
    expect(w, FIRM("replace") ",'ids':['6']}", "{'ids':['6']}");
    expect(w, FIRM("ids") "}", "{'ids':['6']}");
    assert_item(w, "clients", "7", "{'id':{'S':'7'},'name':{'S':'Initech'}}");
    expect(w, FIRM("replace") ",'ids':['6','7']}", "{'ids':['6','7']}");
    expect(w, FIRM("replace") ",'ids':[]}", "{'ids':[]}");
    assert_item(w, "firms", "2", "{'id':{'S':'2'}}");
}

/* collection= removes the left-out records as delete does: destroyed
 * under dependent: :destroy. */
static void activerecord_assigning_destroys_under_dependent_destroy(void **state)
{
    world *w = *state;
    firm_and_clients(w, "destroy");
    expect(w, FIRM("add") ",'ids':['7','8']}", "{'ids':['7','8']}");
    expect(w, FIRM("replace") ",'ids':['6','8']}",
           "{'ids':['6','8'],'destroyed':[{'table':'clients','id':'7'}]}");
    assert_item(w, "clients", "7", "null");
}

/* firm.clients.clear by dependent */
static void activerecord_clear_follows_dependent(void **state)
{
    world *w = *state;
    firm_and_clients(w, NULL);
    destroy_log log = {"", 0};
    assoc_on_destroy(w->r, "clients", log_destroy, &log);
    expect(w, FIRM("add") ",'ids':['6']}", "{'ids':['6']}");
    expect(w, FIRM("clear") "}", "{'ids':[]}");
    assert_item(w, "clients", "6", "{'id':{'S':'6'},'name':{'S':'ACME'}}");

    declare(w, "{'table':'firms','has_many':'clients','dependent':'restrict_with_exception'}");
    expect(w, FIRM("add") ",'ids':['6']}", "{'ids':['6']}");
    expect(w, FIRM("clear") "}", "{'ids':[]}");
    assert_item(w, "clients", "6", "{'id':{'S':'6'},'name':{'S':'ACME'}}");

    declare(w, "{'table':'firms','has_many':'clients','dependent':'delete_all'}");
    expect(w, FIRM("add") ",'ids':['6']}", "{'ids':['6']}");
    expect(w, FIRM("clear") "}", "{'ids':[],'deleted':[{'table':'clients','id':'6'}]}");
    assert_item(w, "clients", "6", "null");
    assert_int_equal(log.count, 0);

    declare(w, "{'table':'firms','has_many':'clients','dependent':'destroy'}");
    expect(w, FIRM("add") ",'ids':['7']}", "{'ids':['7']}");
    expect(w, FIRM("clear") "}", "{'ids':[],'destroyed':[{'table':'clients','id':'7'}]}");
    assert_item(w, "clients", "7", "null");
    assert_string_equal(log.text, "clients:7 ");
}

/* firm.clients.empty?; firm.clients.size */
static void activerecord_empty_and_size(void **state)
{
    world *w = *state;
    firm_and_clients(w, NULL);
    expect(w, FIRM("empty") "}", "{'empty':true}");
    expect(w, FIRM("size") "}", "{'size':0}");
    expect(w, FIRM("add") ",'ids':['6','7','6']}", "{'ids':['6','7']}");
    expect(w, FIRM("empty") "}", "{'empty':false}");
    expect(w, FIRM("size") "}", "{'size':2}");
}

/* firm.clients.find(6): only a record of the association */
static void activerecord_find_within_the_collection(void **state)
{
    world *w = *state;
    firm_and_clients(w, NULL);
    expect(w, FIRM("add") ",'ids':['6']}", "{'ids':['6']}");
    expect(w, FIRM("find") ",'record_id':'6'}", "{'item':{'id':{'S':'6'},'name':{'S':'ACME'},'firm_id':{'S':'2'}}}");
    refuse(w, FIRM("find") ",'record_id':'7'}", STORE_ERR_RECORD_NOT_FOUND, "Couldn't find clients with id=7");
    refuse(w, FIRM("find") ",'record_id':'99'}", STORE_ERR_RECORD_NOT_FOUND, "id=99");
    refuse(w, FIRM("find") "}", STORE_ERR_VALIDATION, "find needs the id of a record");
    /* the record's id also reads as child_id, or as id beside owner_id */
    expect(w, FIRM("find") ",'child_id':'6'}", "{'item':{'id':{'S':'6'},'name':{'S':'ACME'},'firm_id':{'S':'2'}}}");
    expect(w, "{'op':'find','table':'firms','owner_id':'2','id':'6','association':'clients'}",
           "{'item':{'id':{'S':'6'},'name':{'S':'ACME'},'firm_id':{'S':'2'}}}");
    /* or as a second "id" member, as the contract's table reads */
    cJSON *body = cJSON_Parse("{\"op\":\"find\",\"table\":\"firms\",\"id\":\"2\",\"association\":\"clients\",\"id\":\"6\"}");
    store_error err = {0};
    cJSON *got = assoc_call_json(w->r, w->store, body, &err);
    assert_json(got, "{'item':{'id':{'S':'6'},'name':{'S':'ACME'},'firm_id':{'S':'2'}}}");
    cJSON_Delete(got);
    cJSON_Delete(body);
}

/* firm.clients.exists?(name: 'ACME') */
static void activerecord_exists(void **state)
{
    world *w = *state;
    firm_and_clients(w, NULL);
    expect(w, FIRM("exists") "}", "{'exists':false}");
    expect(w, FIRM("add") ",'ids':['6']}", "{'ids':['6']}");
    expect(w, FIRM("exists") ",'where':{'name':{'S':'ACME'}}}", "{'exists':true}");
    expect(w, FIRM("exists") ",'where':{'name':{'S':'Initech'}}}", "{'exists':false}");
    expect(w, FIRM("exists") ",'record_id':'6'}", "{'exists':true}");
    expect(w, FIRM("exists") ",'record_id':'7'}", "{'exists':false}");
    expect(w, FIRM("exists") "}", "{'exists':true}");
    refuse(w, FIRM("exists") ",'record_id':'6','where':{}}", STORE_ERR_VALIDATION, "an id or a where, not both");
}

/* firm.clients.build: linked through the foreign key, not saved */
static void activerecord_build_does_not_store(void **state)
{
    world *w = *state;
    firm_and_clients(w, NULL);
    char *before = dump(w);
    expect(w, FIRM("build") ",'item':{'id':{'S':'9'},'name':{'S':'Globex'},'firm_id':{'S':'3'}}}",
           "{'item':{'id':{'S':'9'},'name':{'S':'Globex'},'firm_id':{'S':'2'}}}");
    expect(w, FIRM("build") "}", "{'item':{'firm_id':{'S':'2'}}}");
    char *after = dump(w);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

/* firm.clients.create / create!: saved and linked; refused if the key exists */
static void activerecord_create_stores_and_links(void **state)
{
    world *w = *state;
    firm_and_clients(w, NULL);
    expect(w, FIRM("create") ",'item':{'id':{'S':'9'},'name':{'S':'Globex'}}}",
           "{'item':{'id':{'S':'9'},'name':{'S':'Globex'},'firm_id':{'S':'2'}}}");
    assert_item(w, "clients", "9", "{'id':{'S':'9'},'name':{'S':'Globex'},'firm_id':{'S':'2'}}");
    assert_item(w, "firms", "2", "{'id':{'S':'2'},'clients_ids':{'SS':['9']}}");
    refuse(w, FIRM("create") ",'item':{'id':{'S':'6'}}}", STORE_ERR_VALIDATION, "a record with that id exists");
    refuse(w, FIRM("create") ",'item':{'name':{'S':'x'}}}", STORE_ERR_VALIDATION, "Missing the key id");
    refuse(w, FIRM("create") ",'item':{'id':{'N':'10'}}}", STORE_ERR_VALIDATION, "Type mismatch for key id");
    refuse(w, FIRM("create") "}", STORE_ERR_VALIDATION, "item is required");
    refuse(w, FIRM("create") ",'item':[]}", STORE_ERR_VALIDATION, "item must be an object");
    refuse(w, FIRM("create") ",'item':{'id':{'Q':'1'}}}", STORE_ERR_VALIDATION, "");
}

/* ------------------------------------------------- destroying an owner */

/* users → posts → comments, each has_many with the dependent given. */
static void three_levels(world *w, const char *posts_dependent, const char *comments_dependent)
{
    users_and_posts(w, NULL);
    make_table(w, "comments");
    record(w, "comments", "c-1");
    record(w, "comments", "c-2");
    char buf[512];
    snprintf(buf, sizeof buf,
             "{'declarations':[{'table':'users','has_many':'posts','dependent':'%s'},"
             "{'table':'posts','has_many':'comments','dependent':'%s'}]}",
             posts_dependent, comments_dependent);
    declare(w, buf);
    expect(w, BOB_POSTS("add") ",'ids':['post-1','post-2']}", "{'ids':['post-1','post-2']}");
    expect(w, "{'op':'add','table':'posts','id':'post-1','association':'comments','ids':['c-1','c-2']}",
           "{'ids':['c-1','c-2']}");
}

static void dependent_destroy_cascades(void **state)
{
    world *w = *state;
    three_levels(w, "destroy", "destroy");
    destroy_log log = {"", 0};
    assoc_on_destroy(w->r, "users", log_destroy, &log);
    assoc_on_destroy(w->r, "posts", log_destroy, &log);
    assoc_on_destroy(w->r, "comments", log_destroy, &log);
    expect_destroy(w, "{'table':'users','id':'bob'}",
                   "{'destroyed':[{'table':'comments','id':'c-1'},{'table':'comments','id':'c-2'},"
                   "{'table':'posts','id':'post-1'},{'table':'posts','id':'post-2'},{'table':'users','id':'bob'}]}");
    assert_string_equal(log.text, "comments:c-1 comments:c-2 posts:post-1 posts:post-2 users:bob ");
    assert_item(w, "users", "bob", "null");
    assert_item(w, "posts", "post-1", "null");
    assert_item(w, "comments", "c-2", "null");
    assert_item(w, "posts", "post-3", "{'id':{'S':'post-3'}}");
}

/* delete_all: children deleted without callbacks or cascade; theirs keep a dangling key */
static void dependent_delete_all_does_not_cascade(void **state)
{
    world *w = *state;
    three_levels(w, "delete_all", "destroy");
    destroy_log log = {"", 0};
    assoc_on_destroy(w->r, "posts", log_destroy, &log);
    assoc_on_destroy(w->r, "users", log_destroy, &log);
    expect_destroy(w, "{'table':'users','id':'bob'}",
                   "{'destroyed':[{'table':'users','id':'bob'}],"
                   "'deleted':[{'table':'posts','id':'post-1'},{'table':'posts','id':'post-2'}]}");
    assert_string_equal(log.text, "users:bob ");
    assert_item(w, "posts", "post-1", "null");
    assert_item(w, "comments", "c-1", "{'id':{'S':'c-1'},'post_id':{'S':'post-1'}}");
    cJSON *report = assoc_check_json(w->r, w->store);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(report, "ok")));
    cJSON_Delete(report);
}

static void dependent_nullify_unlinks(void **state)
{
    world *w = *state;
    three_levels(w, "nullify", "none");
    expect_destroy(w, "{'table':'users','id':'bob'}", "{'destroyed':[{'table':'users','id':'bob'}]}");
    assert_item(w, "posts", "post-1", "{'id':{'S':'post-1'},'comments_ids':{'SS':['c-1','c-2']}}");
    assert_item(w, "posts", "post-2", "{'id':{'S':'post-2'}}");
    assert_check_report(w, "{'ok':true,'problems':[]}");
}

static void dependent_restrict_with_exception_refuses(void **state)
{
    world *w = *state;
    three_levels(w, "restrict_with_exception", "none");
    refuse_destroy(w, "{'table':'users','id':'bob'}", STORE_ERR_DELETE_RESTRICTED,
                   "Cannot delete record because of dependent posts");
    /* with no children left, it goes */
    expect(w, BOB_POSTS("disassociate_all") "}", "{'ids':[]}");
    expect_destroy(w, "{'table':'users','id':'bob'}", "{'destroyed':[{'table':'users','id':'bob'}]}");
}

static void dependent_restrict_with_error_refuses(void **state)
{
    world *w = *state;
    three_levels(w, "restrict_with_error", "none");
    refuse_destroy(w, "{'table':'users','id':'bob'}", STORE_ERR_DELETE_RESTRICTED,
                   "Cannot delete record because dependent posts exist");
    /* ids whose records are gone do not hold it back */
    api_ok(w, "DeleteItem", "{'TableName':'posts','Key':{'id':{'S':'post-1'}}}");
    api_ok(w, "DeleteItem", "{'TableName':'posts','Key':{'id':{'S':'post-2'}}}");
    expect_destroy(w, "{'table':'users','id':'bob'}", "{'destroyed':[{'table':'users','id':'bob'}]}");
}

/* dependent none: the children stay, naming an owner that is gone. */
static void dependent_none_leaves_the_children(void **state)
{
    world *w = *state;
    three_levels(w, "none", "none");
    expect_destroy(w, "{'table':'users','id':'bob'}", "{'destroyed':[{'table':'users','id':'bob'}]}");
    assert_item(w, "posts", "post-2", "{'id':{'S':'post-2'},'user_id':{'S':'bob'}}");
}

/* A restriction deep in a cascade refuses the whole destroy. */
static void restriction_deep_in_a_cascade_changes_nothing(void **state)
{
    world *w = *state;
    three_levels(w, "destroy", "restrict_with_exception");
    refuse_destroy(w, "{'table':'users','id':'bob'}", STORE_ERR_DELETE_RESTRICTED, "dependent comments");
    refuse(w, BOB_POSTS("destroy_all") "}", STORE_ERR_DELETE_RESTRICTED, "dependent comments");
    refuse(w, BOB_POSTS("clear") "}", STORE_ERR_DELETE_RESTRICTED, "dependent comments");
    /* post-2 has no comments: it goes */
    expect(w, BOB_POSTS("destroy") ",'ids':['post-2']}",
           "{'ids':['post-1'],'destroyed':[{'table':'posts','id':'post-2'}]}");
}

/* A destroyed child leaves its owner's set (and counter). */
static void destroying_a_child_unlinks_it(void **state)
{
    world *w = *state;
    users_and_posts(w, "'counter_cache':'posts_count'");
    expect(w, BOB_POSTS("add") ",'ids':['post-1','post-2']}", "{'ids':['post-1','post-2']}");
    expect_destroy(w, "{'table':'posts','id':'post-1'}", "{'destroyed':[{'table':'posts','id':'post-1'}]}");
    assert_item(w, "users", "bob", "{'id':{'S':'bob'},'posts_ids':{'SS':['post-2']},'posts_count':{'N':'1'}}");
    expect_destroy(w, "{'table':'posts','id':'post-2'}", "{'destroyed':[{'table':'posts','id':'post-2'}]}");
    assert_item(w, "users", "bob", "{'id':{'S':'bob'},'posts_count':{'N':'0'}}");
}

/* Two users each other's teacher, both dependent destroy: the cascade ends. */
static void a_cycle_of_owners_is_destroyed_once(void **state)
{
    world *w = *state;
    make_table(w, "users");
    record(w, "users", "a");
    record(w, "users", "b");
    declare(w, "{'table':'users','has_many':'students','target':'users','foreign_key':'teacher_id',"
               "'dependent':'destroy'}");
    expect(w, "{'op':'add','table':'users','id':'a','association':'students','ids':['b']}", "{'ids':['b']}");
    expect(w, "{'op':'add','table':'users','id':'b','association':'students','ids':['a']}", "{'ids':['a']}");
    expect_destroy(w, "{'table':'users','id':'a'}",
                   "{'destroyed':[{'table':'users','id':'b'},{'table':'users','id':'a'}]}");
    assert_item(w, "users", "a", "null");
    assert_item(w, "users", "b", "null");
}

static void destroy_refusals(void **state)
{
    world *w = *state;
    users_and_posts(w, NULL);
    refuse_destroy(w, "{'table':'nope','id':'x'}", STORE_ERR_NOT_FOUND, "Table: nope not found");
    refuse_destroy(w, "{'table':'users','id':'zed'}", STORE_ERR_RECORD_NOT_FOUND, "Couldn't find users with id=zed");
    refuse_destroy(w, "{'table':'users'}", STORE_ERR_VALIDATION, "id is required");
    refuse_destroy(w, "{'table':'users','id':'bob','x':1}", STORE_ERR_VALIDATION, "Unknown destroy member: x");
    refuse_destroy(w, "{'table':'users','id':''}", STORE_ERR_VALIDATION, "needs an id");
    refuse_destroy(w, "[]", STORE_ERR_VALIDATION, "must be an object");
    api_ok(w, "CreateTable",
           "{'TableName':'nums','KeySchema':[{'AttributeName':'n','KeyType':'HASH'}],"
           "'AttributeDefinitions':[{'AttributeName':'n','AttributeType':'N'}],'BillingMode':'PAY_PER_REQUEST'}");
    refuse_destroy(w, "{'table':'nums','id':'1'}", STORE_ERR_VALIDATION, "not keyed by a String partition key");
    /* a table with no associations: the record simply goes */
    make_table(w, "plain");
    record(w, "plain", "p");
    expect_destroy(w, "{'table':'plain','id':'p'}", "{'destroyed':[{'table':'plain','id':'p'}]}");
}

/* ------------------------------------------------------------ integrity */

static void moving_a_child_takes_it_from_its_old_owner(void **state)
{
    world *w = *state;
    users_and_posts(w, "'counter_cache':'posts_count'");
    expect(w, BOB_POSTS("add") ",'ids':['post-1','post-2']}", "{'ids':['post-1','post-2']}");
    expect(w, "{'op':'add','table':'users','id':'alice','association':'posts','ids':['post-2']}",
           "{'ids':['post-2']}");
    assert_item(w, "users", "bob", "{'id':{'S':'bob'},'posts_ids':{'SS':['post-1']},'posts_count':{'N':'1'}}");
    assert_item(w, "users", "alice", "{'id':{'S':'alice'},'posts_ids':{'SS':['post-2']},'posts_count':{'N':'1'}}");
    assert_item(w, "posts", "post-2", "{'id':{'S':'post-2'},'user_id':{'S':'alice'}}");
    /* create under alice of a record... and replace moving post-1 too */
    expect(w, "{'op':'replace','table':'users','id':'alice','association':'posts','ids':['post-1','post-2']}",
           "{'ids':['post-1','post-2']}");
    assert_item(w, "users", "bob", "{'id':{'S':'bob'},'posts_count':{'N':'0'}}");
    assert_check_report(w, "{'ok':true,'problems':[]}");
}

/* One add that takes children from two other owners at once: each previous
 * owner loses exactly the children that moved, its counter follows. */
static void adding_children_of_several_owners_takes_each_from_its_own(void **state)
{
    world *w = *state;
    users_and_posts(w, "'counter_cache':'posts_count'");
    record(w, "users", "carol");
    expect(w, BOB_POSTS("add") ",'ids':['post-1','post-2']}", "{'ids':['post-1','post-2']}");
    expect(w, "{'op':'add','table':'users','id':'alice','association':'posts','ids':['post-3']}", "{'ids':['post-3']}");
    expect(w, "{'op':'add','table':'users','id':'carol','association':'posts','ids':['post-3','post-1']}",
           "{'ids':['post-1','post-3']}");
    assert_item(w, "users", "bob", "{'id':{'S':'bob'},'posts_ids':{'SS':['post-2']},'posts_count':{'N':'1'}}");
    assert_item(w, "users", "alice", "{'id':{'S':'alice'},'posts_count':{'N':'0'}}");
    assert_item(w, "users", "carol",
                "{'id':{'S':'carol'},'posts_ids':{'SS':['post-1','post-3']},'posts_count':{'N':'2'}}");
    assert_item(w, "posts", "post-1", "{'id':{'S':'post-1'},'user_id':{'S':'carol'}}");
    assert_check_report(w, "{'ok':true,'problems':[]}");
}

static void counter_cache_follows_every_operation(void **state)
{
    world *w = *state;
    users_and_posts(w, "'counter_cache':'posts_count'");
    expect(w, BOB_POSTS("add") ",'ids':['post-1','post-2','post-3']}", "{'ids':['post-1','post-2','post-3']}");
    assert_item(w, "users", "bob",
                "{'id':{'S':'bob'},'posts_ids':{'SS':['post-1','post-2','post-3']},'posts_count':{'N':'3'}}");
    expect(w, BOB_POSTS("disassociate") ",'ids':['post-3']}", "{'ids':['post-1','post-2']}");
    assert_item(w, "users", "bob", "{'id':{'S':'bob'},'posts_ids':{'SS':['post-1','post-2']},'posts_count':{'N':'2'}}");
    expect(w, BOB_POSTS("create") ",'item':{'id':{'S':'post-4'}}}",
           "{'item':{'id':{'S':'post-4'},'user_id':{'S':'bob'}}}");
    assert_item(w, "users", "bob",
                "{'id':{'S':'bob'},'posts_ids':{'SS':['post-1','post-2','post-4']},'posts_count':{'N':'3'}}");
    expect(w, BOB_POSTS("delete_all") "}",
           "{'ids':[],'deleted':[{'table':'posts','id':'post-1'},{'table':'posts','id':'post-2'},"
           "{'table':'posts','id':'post-4'}]}");
    assert_item(w, "users", "bob", "{'id':{'S':'bob'},'posts_count':{'N':'0'}}");
}

/* A failure half-way (after the owner's set and a first child are staged)
 * leaves everything as it was. */
static void a_failure_half_way_changes_nothing(void **state)
{
    world *w = *state;
    users_and_posts(w, NULL);
    expect(w, BOB_POSTS("add") ",'ids':['post-1']}", "{'ids':['post-1']}");
    /* post-3 is one attribute short of the 400 KB limit: its foreign key does not fit */
    size_t fill = STORE_MAX_ITEM_SIZE - strlen("id") - strlen("post-3") - strlen("fill") - 3;
    char *big = malloc(fill + 64);
    int n = snprintf(big, 64, "{'id':{'S':'post-3'},'fill':{'S':'");
    memset(big + n, 'x', fill);
    strcpy(big + n + fill, "'}}");
    char *req = malloc(fill + 128);
    sprintf(req, "{'TableName':'posts','Item':%s}", big);
    api_ok(w, "PutItem", req);
    free(req);
    free(big);
    refuse(w, "{'op':'add','table':'users','id':'alice','association':'posts','ids':['post-1','post-2','post-3']}",
           STORE_ERR_VALIDATION, "Item size has exceeded the maximum allowed size");
    refuse(w, BOB_POSTS("add") ",'ids':['post-2','post-9']}", STORE_ERR_RECORD_NOT_FOUND,
           "Couldn't find posts with id=post-9");
    refuse(w, BOB_POSTS("replace") ",'ids':['post-2','post-9']}", STORE_ERR_RECORD_NOT_FOUND, "id=post-9");
    refuse(w, BOB_POSTS("destroy") ",'ids':['post-1','post-2']}", STORE_ERR_RECORD_NOT_FOUND,
           "Couldn't find posts with id=post-2 in posts of users bob");
}

/* ---------------------------------------------------------------- check */

static void check_reports_every_disagreement(void **state)
{
    world *w = *state;
    users_and_posts(w, "'counter_cache':'posts_count'");
    assert_check_report(w, "{'ok':true,'problems':[]}");
    record(w, "users", "carol");
    record(w, "users", "dave");
    put(w, "users", "{'id':{'S':'bob'},'posts_ids':{'SS':['post-1','post-9']},'posts_count':{'N':'2'}}");
    put(w, "users", "{'id':{'S':'alice'},'posts_ids':{'SS':['post-1','post-2']},'posts_count':{'N':'7'}}");
    put(w, "users", "{'id':{'S':'carol'},'posts_ids':{'S':'post-3'}}");
    put(w, "posts", "{'id':{'S':'post-1'},'user_id':{'S':'bob'}}");
    put(w, "posts", "{'id':{'S':'post-2'},'user_id':{'S':'dave'}}");
    put(w, "posts", "{'id':{'S':'post-3'},'user_id':{'S':'zed'}}");
    cJSON *report = assoc_check_json(w->r, w->store);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(report, "ok")));
    const char *kinds[] = {"dangling_id", "foreign_key_mismatch", "claimed_twice", "counter_mismatch",
                           "not_a_string_set", "missing_from_set", "missing_owner"};
    char *text = cJSON_PrintUnformatted(report);
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (!strstr(text, kinds[i])) fail_msg("%s not reported: %s", kinds[i], text);
    assert_non_null(strstr(text, "users bob lists post-9 in posts_ids, but posts has no record post-9"));
    assert_non_null(strstr(text, "posts post-1 is in posts_ids of both users"));
    assert_non_null(strstr(text, "posts post-2 is in posts_ids of users alice, but its user_id is dave"));
    assert_non_null(strstr(text, "users alice has posts_count = 7, but posts_ids holds 2 ids"));
    assert_non_null(strstr(text, "posts post-3 has user_id = zed, but users has no record zed"));
    assert_non_null(strstr(text, "posts post-2 has user_id = dave, but is not in posts_ids of users dave"));
    free(text);
    cJSON_Delete(report);
    assoc_problem *problems;
    size_t n;
    assert_true(assoc_check(w->r, w->store, &problems, &n));
    assert_int_equal(n, 8);
    assoc_problems_free(problems, n);
}

/* A belongs_to alone has its foreign keys checked. */
static void check_covers_a_lone_belongs_to(void **state)
{
    world *w = *state;
    make_table(w, "users");
    make_table(w, "posts");
    record(w, "users", "bob");
    declare(w, "{'table':'posts','belongs_to':'user'}");
    put(w, "posts", "{'id':{'S':'p1'},'user_id':{'S':'bob'}}");
    put(w, "posts", "{'id':{'S':'p2'},'user_id':{'S':'zed'}}");
    assert_check_report(w, "{'ok':false,'problems':[{'kind':'missing_owner','table':'posts','id':'p2',"
                           "'association':'user','other':'zed','message':'posts p2 has user_id = zed, but users has "
                           "no record zed'}]}");
}

/* --------------------------------------------------------- declarations */

static void declaration_defaults(void **state)
{
    world *w = *state;
    const char *tables[] = {"users", "categories", "addresses", "boxes", "churches", "wishes", "houses",
                            "statuses", "people", "posts"};
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) make_table(w, tables[i]);
    for (size_t i = 0; i + 1 < sizeof tables / sizeof *tables; i++) {
        char buf[128];
        snprintf(buf, sizeof buf, "{'table':'%s','has_many':'posts'}", tables[i]);
        declare(w, buf);
    }
    declare(w, "{'table':'posts','belongs_to':'user'}");
    declare(w, "{'table':'posts','belongs_to':'category'}");
    declare(w, "{'table':'posts','belongs_to':'box','foreign_key':'crate_id'}");
    cJSON *got = assoc_declarations_json(w->r);
    assert_json(got,
                "{'declarations':["
                "{'table':'users','has_many':'posts','target':'posts','foreign_key':'user_id','ids_attribute':'posts_ids','dependent':'none'},"
                "{'table':'categories','has_many':'posts','target':'posts','foreign_key':'category_id','ids_attribute':'posts_ids','dependent':'none'},"
                "{'table':'addresses','has_many':'posts','target':'posts','foreign_key':'address_id','ids_attribute':'posts_ids','dependent':'none'},"
                "{'table':'boxes','has_many':'posts','target':'posts','foreign_key':'box_id','ids_attribute':'posts_ids','dependent':'none'},"
                "{'table':'churches','has_many':'posts','target':'posts','foreign_key':'church_id','ids_attribute':'posts_ids','dependent':'none'},"
                "{'table':'wishes','has_many':'posts','target':'posts','foreign_key':'wish_id','ids_attribute':'posts_ids','dependent':'none'},"
                "{'table':'houses','has_many':'posts','target':'posts','foreign_key':'house_id','ids_attribute':'posts_ids','dependent':'none'},"
                "{'table':'statuses','has_many':'posts','target':'posts','foreign_key':'status_id','ids_attribute':'posts_ids','dependent':'none'},"
                "{'table':'people','has_many':'posts','target':'posts','foreign_key':'people_id','ids_attribute':'posts_ids','dependent':'none'},"
                "{'table':'posts','belongs_to':'user','target':'users','foreign_key':'user_id'},"
                "{'table':'posts','belongs_to':'category','target':'categories','foreign_key':'category_id'},"
                "{'table':'posts','belongs_to':'box','target':'boxes','foreign_key':'crate_id'}]}");
    /* what GET answers declares the same again */
    assoc_registry *again = assoc_registry_new();
    store_error err = {0};
    assert_true(assoc_declare_json(again, w->store, got, &err));
    cJSON *twice = assoc_declarations_json(again);
    char *a = cJSON_PrintUnformatted(twice), *b = cJSON_PrintUnformatted(got);
    assert_string_equal(a, b);
    free(a);
    free(b);
    cJSON_Delete(twice);
    cJSON_Delete(got);
    assoc_registry_free(again);
}

static void declaration_options_are_used(void **state)
{
    world *w = *state;
    make_table(w, "authors");
    make_table(w, "articles");
    record(w, "authors", "ann");
    record(w, "articles", "a1");
    declare(w, "{'table':'authors','has_many':'writings','target':'articles','foreign_key':'writer',"
               "'ids_attribute':'article_set','counter_cache':'n_articles'}");
    expect(w, "{'op':'add','table':'authors','id':'ann','association':'writings','ids':['a1']}", "{'ids':['a1']}");
    assert_item(w, "authors", "ann", "{'id':{'S':'ann'},'article_set':{'SS':['a1']},'n_articles':{'N':'1'}}");
    assert_item(w, "articles", "a1", "{'id':{'S':'a1'},'writer':{'S':'ann'}}");
}

static void declaration_refusals(void **state)
{
    world *w = *state;
    users_and_posts(w, NULL);
    api_ok(w, "CreateTable",
           "{'TableName':'nums','KeySchema':[{'AttributeName':'n','KeyType':'HASH'}],"
           "'AttributeDefinitions':[{'AttributeName':'n','AttributeType':'N'}],'BillingMode':'PAY_PER_REQUEST'}");
    api_ok(w, "CreateTable",
           "{'TableName':'pairs','KeySchema':[{'AttributeName':'id','KeyType':'HASH'},{'AttributeName':'at','KeyType':'RANGE'}],"
           "'AttributeDefinitions':[{'AttributeName':'id','AttributeType':'S'},{'AttributeName':'at','AttributeType':'S'}],"
           "'BillingMode':'PAY_PER_REQUEST'}");
    api_ok(w, "CreateTable",
           "{'TableName':'typed','KeySchema':[{'AttributeName':'id','KeyType':'HASH'}],"
           "'AttributeDefinitions':[{'AttributeName':'id','AttributeType':'S'},{'AttributeName':'user_id','AttributeType':'N'}],"
           "'GlobalSecondaryIndexes':[{'IndexName':'by_user','KeySchema':[{'AttributeName':'user_id','KeyType':'HASH'}],"
           "'Projection':{'ProjectionType':'ALL'}}],'BillingMode':'PAY_PER_REQUEST'}");
    refuse_declaration(w, "{'table':'nope','has_many':'posts'}", "table nope does not exist");
    refuse_declaration(w, "{'table':'users','has_many':'things'}", "table things does not exist");
    refuse_declaration(w, "{'table':'users','has_many':'nums'}", "table nums has a partition key of type N");
    refuse_declaration(w, "{'table':'nums','has_many':'posts'}", "String (S) partition key");
    refuse_declaration(w, "{'table':'users','has_many':'pairs'}", "table pairs has a sort key");
    refuse_declaration(w, "{'table':'users','has_many':'typed'}",
                       "Attribute user_id of table typed is defined as N but the association's foreign key is S");
    refuse_declaration(w, "{'table':'users','has_many':'posts','ids_attribute':'id'}", "is the key of table users");
    refuse_declaration(w, "{'table':'users','has_many':'posts','foreign_key':'id'}", "is the key of table posts");
    refuse_declaration(w, "{'table':'users','has_many':'posts','counter_cache':'posts_ids'}", "counter cache");
    refuse_declaration(w, "{'table':'users','has_many':'users','foreign_key':'x','ids_attribute':'x'}",
                       "both x in one table");
    refuse_declaration(w, "{'table':'users','has_many':'posts','dependent':'explode'}", "Unknown dependent option explode");
    refuse_declaration(w, "{'table':'users','has_many':'posts','belongs_to':'x'}", "exactly one of has_many or belongs_to");
    refuse_declaration(w, "{'table':'users'}", "exactly one of has_many or belongs_to");
    refuse_declaration(w, "{'has_many':'posts'}", "table is required");
    refuse_declaration(w, "{'table':'users','has_many':''}", "needs a name");
    refuse_declaration(w, "{'table':'users','has_many':'posts','target':''}", "an option is an empty string");
    refuse_declaration(w, "{'table':'users','has_many':'posts','dependant':'destroy'}",
                       "Unknown declaration member: dependant");
    refuse_declaration(w, "{'table':'users','has_many':7}", "has_many must be a string");
    refuse_declaration(w, "{'table':'posts','belongs_to':'user','dependent':'destroy'}",
                       "options of the has_many on the other side");
    refuse_declaration(w, "{'table':'posts','belongs_to':'user','counter_cache':'n'}", "options of the has_many");
    refuse_declaration(w, "{'table':'posts','belongs_to':'nobody'}", "table nobodies does not exist");
    refuse_declaration(w, "[1]", "must be an object");
    refuse_declaration(w, "{'declarations':{}}", "declarations must be an array");
    refuse_declaration(w, "{'declarations':[],'table':'users'}", "holds nothing else");
    refuse_declaration(w, "{'declarations':[{'table':'users','has_many':'posts'},{'table':'users'}]}",
                       "declarations[1]: A declaration names exactly one");
}

/* A batch is declared whole or not at all. */
static void a_batch_of_declarations_is_all_or_nothing(void **state)
{
    world *w = *state;
    make_table(w, "users");
    make_table(w, "posts");
    declare(w, "{'table':'users','has_many':'posts'}");
    refuse_declaration(w, "{'declarations':[{'table':'users','has_many':'posts','dependent':'destroy'},"
                          "{'table':'users','has_many':'missing'}]}",
                       "table missing does not exist");
    cJSON *got = assoc_declarations_json(w->r);
    assert_json(got, "{'declarations':[{'table':'users','has_many':'posts','target':'posts','foreign_key':'user_id',"
                     "'ids_attribute':'posts_ids','dependent':'none'}]}");
    cJSON_Delete(got);
}

static void inverse_of_pairs_the_two_sides(void **state)
{
    world *w = *state;
    make_table(w, "users");
    make_table(w, "posts");
    /* the has_many takes the belongs_to's key, declared in either order */
    declare(w, "{'declarations':[{'table':'users','has_many':'posts','inverse_of':'author'},"
               "{'table':'posts','belongs_to':'author','target':'users'}]}");
    const assoc_declaration *d = assoc_declaration_at(w->r, 0);
    assert_string_equal(d->name, "posts");
    assert_string_equal(d->foreign_key, "author_id");
    assert_string_equal(d->inverse_of, "author");
    refuse_declaration(w, "{'table':'posts','belongs_to':'author','target':'users','foreign_key':'writer_id'}",
                       "has_many posts of users uses foreign key author_id but its inverse_of author of posts uses writer_id");
    refuse_declaration(w, "{'table':'users','has_many':'posts','inverse_of':'author','foreign_key':'x_id'}",
                       "uses foreign key x_id");
    declare(w, "{'table':'posts','has_many':'replies','target':'posts'}");
    refuse_declaration(w, "{'table':'users','has_many':'posts','inverse_of':'replies'}", "is not a belongs_to");
    make_table(w, "groups");
    declare(w, "{'table':'posts','belongs_to':'group'}");
    refuse_declaration(w, "{'table':'users','has_many':'posts','inverse_of':'group'}", "belongs to table groups");
    /* declared one at a time: the belongs_to first lends its key */
    make_table(w, "teams");
    declare(w, "{'table':'users','belongs_to':'captain','target':'teams'}");
    declare(w, "{'table':'teams','has_many':'players','target':'users','inverse_of':'captain'}");
    assert_string_equal(assoc_declaration_at(w->r, 5)->foreign_key, "captain_id");
    /* the has_many first, before its target table declares anything, takes the
     * table's key; a belongs_to that disagrees is refused */
    make_table(w, "coaches");
    declare(w, "{'table':'teams','has_many':'coaches','inverse_of':'club'}");
    assert_string_equal(assoc_declaration_at(w->r, 6)->foreign_key, "team_id");
    refuse_declaration(w, "{'table':'coaches','belongs_to':'club','target':'teams'}",
                       "has_many coaches of teams uses foreign key team_id but its inverse_of club of coaches uses club_id");
    /* once coaches declares anything, the inverse must be there */
    refuse_declaration(w, "{'table':'coaches','belongs_to':'team'}",
                       "has_many coaches of teams: inverse_of club names no association of coaches, which declares "
                       "team; declare the inverse in the same batch, or leave inverse_of out");
    declare(w, "{'table':'coaches','belongs_to':'club','target':'teams','foreign_key':'team_id'}");
    declare(w, "{'table':'coaches','belongs_to':'team'}");
}

/* inverse_of naming nothing is refused as soon as the other table declares
 * anything, in either order, and a belongs_to's inverse must be a has_many. */
static void inverse_of_must_name_a_declaration(void **state)
{
    world *w = *state;
    make_table(w, "users");
    make_table(w, "posts");
    declare(w, "{'table':'posts','belongs_to':'user'}");
    refuse_declaration(w, "{'table':'users','has_many':'posts','inverse_of':'author'}",
                       "has_many posts of users: inverse_of author names no association of posts, which declares user");
    /* users declares nothing yet: the inverse may come later */
    declare(w, "{'table':'posts','belongs_to':'writer','target':'users','inverse_of':'articles'}");
    refuse_declaration(w, "{'table':'users','belongs_to':'mentor','target':'users'}",
                       "belongs_to writer of posts: inverse_of articles names no association of users");
    declare(w, "{'declarations':[{'table':'users','belongs_to':'mentor','target':'users'},"
               "{'table':'users','has_many':'articles','target':'posts','foreign_key':'writer_id'}]}");
    refuse_declaration(w, "{'table':'posts','belongs_to':'editor','target':'users','inverse_of':'mentor'}",
                       "belongs_to editor of posts: inverse_of mentor of users is a belongs_to, not a has_many");
    assert_int_equal(assoc_count(w->r), 4);
}

static void redeclaring_replaces_and_clones_are_independent(void **state)
{
    world *w = *state;
    users_and_posts(w, NULL);
    assoc_registry *copy = assoc_registry_clone(w->r);
    declare(w, "{'table':'users','has_many':'posts','dependent':'destroy'}");
    assert_int_equal(assoc_count(w->r), 2);
    assert_int_equal(assoc_declaration_at(w->r, 0)->dependent, ASSOC_DEPENDENT_DESTROY);
    assert_int_equal(assoc_declaration_at(copy, 0)->dependent, ASSOC_DEPENDENT_NONE);
    assert_null(assoc_declaration_at(copy, 2));
    assoc_registry_free(copy);
}

/* ------------------------------------------------------ bad operations */

static void operation_refusals(void **state)
{
    world *w = *state;
    users_and_posts(w, NULL);
    expect(w, BOB_POSTS("add") ",'ids':['post-1']}", "{'ids':['post-1']}");
    refuse(w, "{'op':'ids','table':'nope','id':'bob','association':'posts'}", STORE_ERR_NOT_FOUND,
           "Table: nope not found");
    refuse(w, "{'op':'ids','table':'users','id':'bob','association':'postz'}", STORE_ERR_VALIDATION,
           "Table users has no association named postz");
    refuse(w, "{'op':'ids','table':'posts','id':'post-1','association':'user'}", STORE_ERR_VALIDATION,
           "user of posts is a belongs_to");
    refuse(w, BOB_POSTS("explode") "}", STORE_ERR_VALIDATION, "Unknown association operation: explode");
    refuse(w, "{'op':'ids','table':'users','id':'zed','association':'posts'}", STORE_ERR_RECORD_NOT_FOUND,
           "Couldn't find users with id=zed");
    refuse(w, BOB_POSTS("add") ",'ids':['post-9']}", STORE_ERR_RECORD_NOT_FOUND, "Couldn't find posts with id=post-9");
    refuse(w, BOB_POSTS("add") ",'ids':['']}", STORE_ERR_VALIDATION, "cannot be empty");
    refuse(w, BOB_POSTS("add") "}", STORE_ERR_VALIDATION, "ids is required");
    refuse(w, BOB_POSTS("add") ",'ids':'post-1'}", STORE_ERR_VALIDATION, "ids must be an array of strings");
    refuse(w, BOB_POSTS("add") ",'ids':[1]}", STORE_ERR_VALIDATION, "ids must be an array of strings");
    refuse(w, BOB_POSTS("disassociate") ",'ids':['post-2']}", STORE_ERR_RECORD_NOT_FOUND,
           "Couldn't find posts with id=post-2 in posts of users bob");
    refuse(w, BOB_POSTS("delete") ",'ids':['post-2']}", STORE_ERR_RECORD_NOT_FOUND, "in posts of users bob");
    refuse(w, BOB_POSTS("destroy") ",'ids':['post-9']}", STORE_ERR_RECORD_NOT_FOUND, "in posts of users bob");
    refuse(w, BOB_POSTS("list") ",'where':[]}", STORE_ERR_VALIDATION, "where must be an object");
    refuse(w, BOB_POSTS("list") ",'wher':{}}", STORE_ERR_VALIDATION, "Unknown operation member: wher");
    refuse(w, "{'table':'users','id':'bob','association':'posts'}", STORE_ERR_VALIDATION, "op is required");
    refuse(w, "{'op':'ids','id':'bob','association':'posts'}", STORE_ERR_VALIDATION, "table is required");
    refuse(w, "{'op':'ids','table':'users','association':'posts'}", STORE_ERR_VALIDATION, "id is required");
    refuse(w, "{'op':'ids','table':'users','id':'bob'}", STORE_ERR_VALIDATION, "association is required");
    refuse(w, "{'op':'ids','table':'users','id':7,'association':'posts'}", STORE_ERR_VALIDATION, "id must be a string");
    refuse(w, "[]", STORE_ERR_VALIDATION, "must be an object");
    /* an ids attribute that is not a String Set is not taken for one */
    put(w, "users", "{'id':{'S':'alice'},'posts_ids':{'S':'post-2'}}");
    refuse(w, "{'op':'add','table':'users','id':'alice','association':'posts','ids':['post-2']}", STORE_ERR_VALIDATION,
           "Attribute posts_ids of a users record holds a S, not a String Set (SS)");
    /* a table deleted after its declaration */
    api_ok(w, "DeleteTable", "{'TableName':'posts'}");
    refuse(w, BOB_POSTS("ids") "}", STORE_ERR_VALIDATION, "table posts no longer exists");
}

/* Disassociating an id whose record is gone repairs the set. */
static void disassociate_repairs_a_dangling_id(void **state)
{
    world *w = *state;
    users_and_posts(w, NULL);
    expect(w, BOB_POSTS("add") ",'ids':['post-1','post-2']}", "{'ids':['post-1','post-2']}");
    api_ok(w, "DeleteItem", "{'TableName':'posts','Key':{'id':{'S':'post-2'}}}");
    expect(w, BOB_POSTS("list") "}", "{'items':[{'id':{'S':'post-1'},'user_id':{'S':'bob'}}]}");
    expect(w, BOB_POSTS("size") "}", "{'size':2}");
    refuse(w, BOB_POSTS("find") ",'record_id':'post-2'}", STORE_ERR_RECORD_NOT_FOUND, "id=post-2");
    expect(w, BOB_POSTS("disassociate") ",'ids':['post-2']}", "{'ids':['post-1']}");
    assert_check_report(w, "{'ok':true,'problems':[]}");
}

/* ------------------------------------------------------------- the C API */

static void c_api_every_operation_by_name(void **state)
{
    world *w = *state;
    users_and_posts(w, NULL);
    assoc_collection bob = {w->r, w->store, "users", "bob", "posts"};
    store_error err = {0};
    assoc_result res = {0};
    const char *two[] = {"post-1", "post-2"}, *three[] = {"post-1", "post-2", "post-3"};

    assert_true(assoc_add(&bob, two, 2, &res, &err));
    assert_int_equal(res.n_ids, 2);
    assert_string_equal(res.ids[1], "post-2");
    assoc_result_free(&res);
    assert_true(assoc_ids(&bob, &res, &err));
    assert_int_equal(res.n_ids, 2);
    assoc_result_free(&res);
    assert_true(assoc_list(&bob, NULL, &res, &err));
    assert_int_equal(res.n_items, 2);
    assoc_result_free(&res);

    size_t size = 0;
    bool flag = true;
    assert_true(assoc_size(&bob, &size, &err));
    assert_int_equal(size, 2);
    assert_true(assoc_empty(&bob, &flag, &err));
    assert_false(flag);
    assert_true(assoc_exists(&bob, "post-1", NULL, &flag, &err));
    assert_true(flag);

    store_value *found = assoc_find(&bob, "post-2", &err);
    assert_non_null(found);
    const store_value *fk = store_map_get(found, "user_id", 7);
    assert_non_null(fk);
    assert_memory_equal(store_bytes(fk), "bob", 4);
    store_release(found);
    assert_null(assoc_find(&bob, "post-3", &err));
    assert_int_equal(err.status, STORE_ERR_RECORD_NOT_FOUND);
    err = (store_error){0};

    store_value *built = assoc_build(&bob, NULL, &err);
    assert_non_null(built);
    assert_int_equal(built->len, 1);
    store_release(built);

    cJSON *j = J("{'id':{'S':'post-4'}}");
    store_value *item = store_decode_item(j, &err);
    cJSON_Delete(j);
    store_value *created = assoc_create(&bob, item, &err);
    assert_non_null(created);
    store_release(created);
    store_release(item);

    assert_true(assoc_disassociate(&bob, two, 1, NULL, &err));
    assert_true(assoc_replace(&bob, three, 3, NULL, &err));
    assert_true(assoc_delete(&bob, three, 1, NULL, &err));
    assert_true(assoc_destroy(&bob, three + 1, 1, &res, &err));
    assert_int_equal(res.n_destroyed, 1);
    assert_string_equal(res.destroyed[0].table, "posts");
    assert_string_equal(res.destroyed[0].id, "post-2");
    assert_int_equal(res.n_ids, 1);
    assoc_result_free(&res);
    assert_true(assoc_disassociate_all(&bob, NULL, &err));
    assert_true(assoc_add(&bob, three, 1, NULL, &err));
    assert_true(assoc_delete_all(&bob, &res, &err));
    assert_int_equal(res.n_deleted, 1);
    assoc_result_free(&res);
    assert_true(assoc_add(&bob, three + 2, 1, NULL, &err));
    assert_true(assoc_destroy_all(&bob, NULL, &err));
    assert_true(assoc_clear(&bob, NULL, &err));
    assert_true(assoc_destroy_record(w->r, w->store, "users", "bob", &res, &err));
    assert_int_equal(res.n_destroyed, 1);
    assoc_result_free(&res);
    assert_int_equal(err.status, STORE_OK);
}

static void c_api_declarations(void **state)
{
    world *w = *state;
    make_table(w, "users");
    make_table(w, "posts");
    assoc_declaration d[] = {
        {.table = "users", .kind = ASSOC_HAS_MANY, .name = "posts", .dependent = ASSOC_DEPENDENT_DESTROY},
        {.table = "posts", .kind = ASSOC_BELONGS_TO, .name = "user"},
    };
    store_error err = {0};
    assert_true(assoc_declare_all(w->r, w->store, d, 2, &err));
    assert_int_equal(assoc_count(w->r), 2);
    const assoc_declaration *many = assoc_declaration_at(w->r, 0);
    assert_string_equal(many->target, "posts");
    assert_string_equal(many->foreign_key, "user_id");
    assert_string_equal(many->ids_attribute, "posts_ids");
    assert_null(many->counter_cache);
    assert_string_equal(assoc_dependent_name(many->dependent), "destroy");
    assert_int_equal(assoc_dependent_from_name("restrict_with_error"), ASSOC_DEPENDENT_RESTRICT_WITH_ERROR);
    assert_int_equal(assoc_dependent_from_name("bogus"), -1);
    assoc_declaration bad = {.table = "users", .kind = ASSOC_HAS_MANY, .name = "posts", .dependent = 42};
    assert_false(assoc_declare(w->r, w->store, &bad, &err));
    assert_int_equal(err.status, STORE_ERR_VALIDATION);
}

/* Callbacks: per table, replaced and removed; never for delete. */
static void c_api_destroy_callbacks(void **state)
{
    world *w = *state;
    users_and_posts(w, "'dependent':'destroy'");
    destroy_log posts_log = {"", 0}, users_log = {"", 0}, other = {"", 0};
    assert_true(assoc_on_destroy(w->r, "posts", log_destroy, &other));
    assert_true(assoc_on_destroy(w->r, "posts", log_destroy, &posts_log));   /* replaces */
    assert_true(assoc_on_destroy(w->r, "users", log_destroy, &users_log));
    assoc_registry *copy = assoc_registry_clone(w->r);   /* carries the callbacks */
    assoc_collection bob = {w->r, w->store, "users", "bob", "posts"};
    store_error err = {0};
    const char *ids[] = {"post-1", "post-2", "post-3"};
    assert_true(assoc_add(&bob, ids, 3, NULL, &err));
    assert_true(assoc_delete(&bob, ids, 1, NULL, &err));          /* dependent destroy: destroyed */
    assert_string_equal(posts_log.text, "posts:post-1 ");
    assert_true(assoc_delete_all(&bob, NULL, &err));
    assert_int_equal(posts_log.count, 1);
    assert_int_equal(other.count, 0);
    record(w, "posts", "post-1");
    assert_true(assoc_add(&bob, ids, 1, NULL, &err));
    assert_true(assoc_on_destroy(copy, "users", NULL, NULL));   /* removed from the copy only */
    assert_true(assoc_destroy_record(copy, w->store, "users", "bob", NULL, &err));
    assert_string_equal(posts_log.text, "posts:post-1 posts:post-1 ");
    assert_int_equal(users_log.count, 0);
    assoc_registry_free(copy);
}

/* A chain of records, each the only child of the one before, with dependent: destroy. */
static void chain_of_nodes(world *w, int n)
{
    make_table(w, "nodes");
    declare(w, "{'table':'nodes','has_many':'children','target':'nodes','dependent':'destroy'}");
    char item[256];
    for (int i = 0; i < n; i++) {
        int len = snprintf(item, sizeof item, "{'id':{'S':'n%05d'}", i);
        if (i + 1 < n) len += snprintf(item + len, sizeof item - len, ",'children_ids':{'SS':['n%05d']}", i + 1);
        if (i > 0) len += snprintf(item + len, sizeof item - len, ",'node_id':{'S':'n%05d'}", i - 1);
        snprintf(item + len, sizeof item - len, "}");
        put(w, "nodes", item);
    }
}

static void a_cascade_deeper_than_the_limit_is_refused_whole(void **state)
{
    world *w = *state;
    chain_of_nodes(w, ASSOC_MAX_CASCADE_DEPTH + 2);
    refuse_destroy(w, "{'table':'nodes','id':'n00000'}", STORE_ERR_VALIDATION, "cascades more than 10000 records deep");
    /* A chain within the limit goes, whole. */
    store_error err = {0};
    cJSON *got = destroy_json(w, "{'table':'nodes','id':'n09000'}", &err);
    if (!got) fail_msg("refused: %s", err.message);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(got, "destroyed")), ASSOC_MAX_CASCADE_DEPTH + 2 - 9000);
    cJSON_Delete(got);
    assert_item(w, "nodes", "n10001", "null");
    assert_item(w, "nodes", "n08999", "{'id':{'S':'n08999'},'node_id':{'S':'n08998'}}");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(dynomite_creating_stores_a_string_set_and_a_string, setup, teardown),
        cmocka_unit_test_setup_teardown(a_cascade_deeper_than_the_limit_is_refused_whole, setup, teardown),
        cmocka_unit_test_setup_teardown(adding_children_of_several_owners_takes_each_from_its_own, setup, teardown),
        cmocka_unit_test_setup_teardown(dynomite_delete_all_removes_the_records, setup, teardown),
        cmocka_unit_test_setup_teardown(dynomite_destroy_all_runs_the_callbacks, setup, teardown),
        cmocka_unit_test_setup_teardown(dynomite_disassociate_keeps_the_records, setup, teardown),
        cmocka_unit_test_setup_teardown(dynomite_disassociate_all, setup, teardown),
        cmocka_unit_test_setup_teardown(dynomite_reassociate_replaces_the_collection, setup, teardown),
        cmocka_unit_test_setup_teardown(dynomite_querying_filters_by_equality, setup, teardown),
        cmocka_unit_test_setup_teardown(dynomite_association_with_the_same_model, setup, teardown),
        cmocka_unit_test_setup_teardown(same_model_without_inverse_uses_the_table_key, setup, teardown),
        cmocka_unit_test_setup_teardown(activerecord_collection_and_shovel, setup, teardown),
        cmocka_unit_test_setup_teardown(activerecord_delete_follows_dependent, setup, teardown),
        cmocka_unit_test_setup_teardown(activerecord_destroy_ignores_dependent, setup, teardown),
        cmocka_unit_test_setup_teardown(activerecord_assigning_the_collection, setup, teardown),
        cmocka_unit_test_setup_teardown(activerecord_assigning_destroys_under_dependent_destroy, setup, teardown),
        cmocka_unit_test_setup_teardown(activerecord_clear_follows_dependent, setup, teardown),
        cmocka_unit_test_setup_teardown(activerecord_empty_and_size, setup, teardown),
        cmocka_unit_test_setup_teardown(activerecord_find_within_the_collection, setup, teardown),
        cmocka_unit_test_setup_teardown(activerecord_exists, setup, teardown),
        cmocka_unit_test_setup_teardown(activerecord_build_does_not_store, setup, teardown),
        cmocka_unit_test_setup_teardown(activerecord_create_stores_and_links, setup, teardown),
        cmocka_unit_test_setup_teardown(dependent_destroy_cascades, setup, teardown),
        cmocka_unit_test_setup_teardown(dependent_delete_all_does_not_cascade, setup, teardown),
        cmocka_unit_test_setup_teardown(dependent_nullify_unlinks, setup, teardown),
        cmocka_unit_test_setup_teardown(dependent_restrict_with_exception_refuses, setup, teardown),
        cmocka_unit_test_setup_teardown(dependent_restrict_with_error_refuses, setup, teardown),
        cmocka_unit_test_setup_teardown(dependent_none_leaves_the_children, setup, teardown),
        cmocka_unit_test_setup_teardown(restriction_deep_in_a_cascade_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(destroying_a_child_unlinks_it, setup, teardown),
        cmocka_unit_test_setup_teardown(a_cycle_of_owners_is_destroyed_once, setup, teardown),
        cmocka_unit_test_setup_teardown(destroy_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(moving_a_child_takes_it_from_its_old_owner, setup, teardown),
        cmocka_unit_test_setup_teardown(counter_cache_follows_every_operation, setup, teardown),
        cmocka_unit_test_setup_teardown(a_failure_half_way_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(check_reports_every_disagreement, setup, teardown),
        cmocka_unit_test_setup_teardown(check_covers_a_lone_belongs_to, setup, teardown),
        cmocka_unit_test_setup_teardown(declaration_defaults, setup, teardown),
        cmocka_unit_test_setup_teardown(declaration_options_are_used, setup, teardown),
        cmocka_unit_test_setup_teardown(declaration_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(a_batch_of_declarations_is_all_or_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(inverse_of_pairs_the_two_sides, setup, teardown),
        cmocka_unit_test_setup_teardown(inverse_of_must_name_a_declaration, setup, teardown),
        cmocka_unit_test_setup_teardown(redeclaring_replaces_and_clones_are_independent, setup, teardown),
        cmocka_unit_test_setup_teardown(operation_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(disassociate_repairs_a_dangling_id, setup, teardown),
        cmocka_unit_test_setup_teardown(c_api_every_operation_by_name, setup, teardown),
        cmocka_unit_test_setup_teardown(c_api_declarations, setup, teardown),
        cmocka_unit_test_setup_teardown(c_api_destroy_callbacks, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
