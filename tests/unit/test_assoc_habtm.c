/* tests/unit/test_assoc_habtm.c — has_and_belongs_to_many, linked: Dynomite's
 * users ↔ groups example (users.groups_ids and groups.users_ids), the seed's
 * self-association (friends ↔ friending_users, a record befriending itself),
 * every operation of the contract keeping both sets in step, destroying a
 * record taking it out of every set that names it, check's one_sided and
 * dangling_id reports, the declaration's defaults and refusals, and
 * refusals half-way that change nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "assoc_world.h"

/* users bob, kevin; groups red, green, blue; users habtm groups (groups keep users_ids). */
static void users_and_groups(world *w)
{
    make_table(w, "users");
    make_table(w, "groups");
    record(w, "users", "bob");
    record(w, "users", "kevin");
    record(w, "groups", "red");
    record(w, "groups", "green");
    record(w, "groups", "blue");
    declare(w, "{'declarations':[{'table':'users','has_and_belongs_to_many':'groups'},"
               "{'table':'groups','has_and_belongs_to_many':'users'}]}");
}

#define GROUPS(op, who) "{'op':'" op "','table':'users','id':'" who "','association':'groups'"

/* users bob, alice, carol; the seed's `has_and_belongs_to_many :friends, inverse_of: :friending_users`. */
static void friends(world *w, bool both_sides)
{
    make_table(w, "users");
    record(w, "users", "bob");
    record(w, "users", "alice");
    record(w, "users", "carol");
    declare(w, "{'table':'users','has_and_belongs_to_many':'friends','target':'users','inverse_of':'friending_users'}");
    if (both_sides)
        declare(w, "{'table':'users','has_and_belongs_to_many':'friending_users','target':'users',"
                   "'inverse_of':'friends'}");
}

#define FRIENDS(op, who) "{'op':'" op "','table':'users','id':'" who "','association':'friends'"

/* bob.groups << red, green; kevin.groups << red (the Dynomite HABTM page) */
static void dynomite_habtm_keeps_a_string_set_on_each_side(void **state)
{
    world *w = *state;
    users_and_groups(w);
    expect(w, GROUPS("add", "bob") ",'ids':['red']}", "{'ids':['red']}");
    expect(w, GROUPS("add", "bob") ",'ids':['green']}", "{'ids':['green','red']}");
    expect(w, GROUPS("add", "kevin") ",'ids':['red']}", "{'ids':['red']}");
    assert_item(w, "users", "bob", "{'id':{'S':'bob'},'groups_ids':{'SS':['green','red']}}");
    assert_item(w, "users", "kevin", "{'id':{'S':'kevin'},'groups_ids':{'SS':['red']}}");
    assert_item(w, "groups", "red", "{'id':{'S':'red'},'users_ids':{'SS':['bob','kevin']}}");
    assert_item(w, "groups", "green", "{'id':{'S':'green'},'users_ids':{'SS':['bob']}}");
    /* the other side reads the same links */
    expect(w, "{'op':'ids','table':'groups','id':'red','association':'users'}", "{'ids':['bob','kevin']}");
    assert_check_report(w, "{'ok':true,'problems':[]}");
    cJSON *got = assoc_declarations_json(w->r);
    assert_json(got, "{'declarations':[{'table':'users','has_and_belongs_to_many':'groups','target':'groups',"
                     "'ids_attribute':'groups_ids','dependent':'none','inverse_of':'users'},"
                     "{'table':'groups','has_and_belongs_to_many':'users','target':'users',"
                     "'ids_attribute':'users_ids','dependent':'none','inverse_of':'groups'}]}");
    cJSON_Delete(got);
}

/* bob.groups.delete_all: the groups go, and kevin's set with them */
static void dynomite_habtm_delete_all_takes_the_records_out_of_every_set(void **state)
{
    world *w = *state;
    users_and_groups(w);
    expect(w, GROUPS("add", "bob") ",'ids':['green','red']}", "{'ids':['green','red']}");
    expect(w, GROUPS("add", "kevin") ",'ids':['blue','red']}", "{'ids':['blue','red']}");
    expect(w, GROUPS("delete_all", "bob") "}",
           "{'ids':[],'deleted':[{'table':'groups','id':'green'},{'table':'groups','id':'red'}]}");
    assert_item(w, "groups", "red", "null");
    assert_item(w, "users", "bob", "{'id':{'S':'bob'}}");
    assert_item(w, "users", "kevin", "{'id':{'S':'kevin'},'groups_ids':{'SS':['blue']}}");
    expect(w, GROUPS("ids", "kevin") "}", "{'ids':['blue']}");
    assert_check_report(w, "{'ok':true,'problems':[]}");
}

/* disassociate(red, green) keeps the records; include? is false on both sides */
static void habtm_disassociate_unlinks_both_sides(void **state)
{
    world *w = *state;
    users_and_groups(w);
    expect(w, GROUPS("add", "bob") ",'ids':['blue','green','red']}", "{'ids':['blue','green','red']}");
    expect(w, GROUPS("disassociate", "bob") ",'ids':['red','green']}", "{'ids':['blue']}");
    assert_item(w, "groups", "red", "{'id':{'S':'red'}}");
    assert_item(w, "groups", "blue", "{'id':{'S':'blue'},'users_ids':{'SS':['bob']}}");
    expect(w, GROUPS("exists", "bob") ",'record_id':'red'}", "{'exists':false}");
    expect(w, GROUPS("disassociate_all", "bob") "}", "{'ids':[]}");
    assert_item(w, "users", "bob", "{'id':{'S':'bob'}}");
    assert_item(w, "groups", "blue", "{'id':{'S':'blue'}}");
    assert_check_report(w, "{'ok':true,'problems':[]}");
}

/* bob.groups = [yellow, blue]: the ones left out lose bob, the new ones gain him */
static void habtm_replace_keeps_both_sides(void **state)
{
    world *w = *state;
    users_and_groups(w);
    record(w, "groups", "yellow");
    expect(w, GROUPS("add", "bob") ",'ids':['green','red']}", "{'ids':['green','red']}");
    expect(w, GROUPS("replace", "bob") ",'ids':['yellow','blue','red']}", "{'ids':['blue','red','yellow']}");
    assert_item(w, "groups", "green", "{'id':{'S':'green'}}");
    assert_item(w, "groups", "yellow", "{'id':{'S':'yellow'},'users_ids':{'SS':['bob']}}");
    assert_check_report(w, "{'ok':true,'problems':[]}");
}

/* reads: list, size, empty, find, exists, ids; build and create */
static void habtm_reads_build_and_create(void **state)
{
    world *w = *state;
    users_and_groups(w);
    put(w, "groups", "{'id':{'S':'red'},'color':{'S':'warm'}}");
    expect(w, GROUPS("empty", "bob") "}", "{'empty':true}");
    expect(w, GROUPS("add", "bob") ",'ids':['red','blue']}", "{'ids':['blue','red']}");
    expect(w, GROUPS("size", "bob") "}", "{'size':2}");
    expect(w, GROUPS("list", "bob") ",'where':{'color':{'S':'warm'}}}",
           "{'items':[{'id':{'S':'red'},'color':{'S':'warm'},'users_ids':{'SS':['bob']}}]}");
    expect(w, GROUPS("find", "bob") ",'record_id':'blue'}", "{'item':{'id':{'S':'blue'},'users_ids':{'SS':['bob']}}}");
    refuse(w, GROUPS("find", "bob") ",'record_id':'green'}", STORE_ERR_RECORD_NOT_FOUND, "Couldn't find groups");
    expect(w, GROUPS("exists", "bob") ",'where':{'color':{'S':'warm'}}}", "{'exists':true}");
    expect(w, GROUPS("build", "bob") ",'item':{'id':{'S':'new'}}}",
           "{'item':{'id':{'S':'new'},'users_ids':{'SS':['bob']}}}");
    assert_item(w, "groups", "new", "null");
    expect(w, GROUPS("create", "bob") ",'item':{'id':{'S':'new'}}}",
           "{'item':{'id':{'S':'new'},'users_ids':{'SS':['bob']}}}");
    assert_item(w, "users", "bob", "{'id':{'S':'bob'},'groups_ids':{'SS':['blue','new','red']}}");
    refuse(w, GROUPS("create", "kevin") ",'item':{'id':{'S':'new'}}}", STORE_ERR_VALIDATION, "a record with that id exists");
    assert_check_report(w, "{'ok':true,'problems':[]}");
}

/* delete and clear follow dependent; destroy destroys; destroy_all cascades */
static void habtm_removals_follow_dependent(void **state)
{
    world *w = *state;
    users_and_groups(w);
    expect(w, GROUPS("add", "bob") ",'ids':['blue','green','red']}", "{'ids':['blue','green','red']}");
    expect(w, GROUPS("add", "kevin") ",'ids':['green']}", "{'ids':['green']}");
    /* no dependent: delete unlinks */
    expect(w, GROUPS("delete", "bob") ",'ids':['blue']}", "{'ids':['green','red']}");
    assert_item(w, "groups", "blue", "{'id':{'S':'blue'}}");
    /* destroy takes green out of kevin's set too */
    expect(w, GROUPS("destroy", "bob") ",'ids':['green']}",
           "{'ids':['red'],'destroyed':[{'table':'groups','id':'green'}]}");
    assert_item(w, "users", "kevin", "{'id':{'S':'kevin'}}");
    declare(w, "{'table':'users','has_and_belongs_to_many':'groups','dependent':'destroy_async'}");
    expect(w, GROUPS("clear", "bob") "}", "{'ids':[],'destroyed':[{'table':'groups','id':'red'}]}");
    assert_item(w, "groups", "red", "null");
    expect(w, GROUPS("add", "kevin") ",'ids':['blue']}", "{'ids':['blue']}");
    expect(w, GROUPS("destroy_all", "kevin") "}", "{'ids':[],'destroyed':[{'table':'groups','id':'blue'}]}");
    assert_check_report(w, "{'ok':true,'problems':[]}");
}

/* The seed's self-association, with only `friends` declared: the inverse set is kept all the same. */
static void seed_friends_keep_friending_users(void **state)
{
    world *w = *state;
    friends(w, false);
    expect(w, FRIENDS("add", "bob") ",'ids':['alice','carol']}", "{'ids':['alice','carol']}");
    expect(w, FRIENDS("add", "alice") ",'ids':['bob']}", "{'ids':['bob']}");
    assert_item(w, "users", "bob",
                "{'id':{'S':'bob'},'friends_ids':{'SS':['alice','carol']},'friending_users_ids':{'SS':['alice']}}");
    assert_item(w, "users", "alice",
                "{'id':{'S':'alice'},'friends_ids':{'SS':['bob']},'friending_users_ids':{'SS':['bob']}}");
    assert_item(w, "users", "carol", "{'id':{'S':'carol'},'friending_users_ids':{'SS':['bob']}}");
    assert_check_report(w, "{'ok':true,'problems':[]}");
    /* destroying bob takes him out of every set naming him */
    expect_destroy(w, "{'table':'users','id':'bob'}", "{'destroyed':[{'table':'users','id':'bob'}]}");
    assert_item(w, "users", "alice", "{'id':{'S':'alice'}}");
    assert_item(w, "users", "carol", "{'id':{'S':'carol'}}");
    assert_check_report(w, "{'ok':true,'problems':[]}");
}

/* Dynomite does not forbid bob.friends << bob: he ends in both of his own sets. */
static void a_record_may_befriend_itself(void **state)
{
    world *w = *state;
    friends(w, true);
    expect(w, FRIENDS("add", "bob") ",'ids':['bob','alice']}", "{'ids':['alice','bob']}");
    assert_item(w, "users", "bob",
                "{'id':{'S':'bob'},'friends_ids':{'SS':['alice','bob']},'friending_users_ids':{'SS':['bob']}}");
    expect(w, "{'op':'ids','table':'users','id':'alice','association':'friending_users'}", "{'ids':['bob']}");
    expect(w, "{'op':'list','table':'users','id':'bob','association':'friending_users'}",
           "{'items':[{'id':{'S':'bob'},'friends_ids':{'SS':['alice','bob']},'friending_users_ids':{'SS':['bob']}}]}");
    assert_check_report(w, "{'ok':true,'problems':[]}");
    expect(w, FRIENDS("disassociate", "bob") ",'ids':['bob']}", "{'ids':['alice']}");
    assert_item(w, "users", "bob", "{'id':{'S':'bob'},'friends_ids':{'SS':['alice']}}");
    expect(w, FRIENDS("add", "bob") ",'ids':['bob']}", "{'ids':['alice','bob']}");
    expect_destroy(w, "{'table':'users','id':'bob'}", "{'destroyed':[{'table':'users','id':'bob'}]}");
    assert_item(w, "users", "alice", "{'id':{'S':'alice'}}");
    assert_check_report(w, "{'ok':true,'problems':[]}");
}

/* Written around the association, links go one-sided; check names them. */
static void check_reports_one_sided_links(void **state)
{
    world *w = *state;
    users_and_groups(w);
    put(w, "users", "{'id':{'S':'bob'},'groups_ids':{'SS':['red','gone']}}");
    put(w, "groups", "{'id':{'S':'blue'},'users_ids':{'SS':['kevin']}}");
    assert_check_report(
        w, "{'ok':false,'problems':["
           "{'kind':'dangling_id','table':'users','id':'bob','association':'groups','other':'gone',"
           "'message':'users bob lists gone in groups_ids, but groups has no record gone'},"
           "{'kind':'one_sided','table':'users','id':'bob','association':'groups','other':'red',"
           "'message':'users bob lists red in groups_ids, but groups red lacks bob in users_ids'},"
           "{'kind':'one_sided','table':'groups','id':'blue','association':'groups','other':'kevin',"
           "'message':'groups blue lists kevin in users_ids, but users kevin lacks blue in groups_ids'}]}");
}

static void habtm_refusals_change_nothing(void **state)
{
    world *w = *state;
    users_and_groups(w);
    expect(w, GROUPS("add", "bob") ",'ids':['red']}", "{'ids':['red']}");
    refuse(w, GROUPS("add", "bob") ",'ids':['blue','missing']}", STORE_ERR_RECORD_NOT_FOUND,
           "Couldn't find groups with id=missing");
    put(w, "groups", "{'id':{'S':'green'},'users_ids':{'S':'not a set'}}");
    refuse(w, GROUPS("add", "bob") ",'ids':['blue','green']}", STORE_ERR_VALIDATION, "not a String Set");
    refuse(w, GROUPS("disassociate", "bob") ",'ids':['blue']}", STORE_ERR_RECORD_NOT_FOUND, "Couldn't find");
}

/* A target at the item size limit cannot take one more owner id: the whole add is refused. */
static void an_inverse_set_past_the_item_size_limit_is_refused(void **state)
{
    world *w = *state;
    users_and_groups(w);
    size_t pad = STORE_MAX_ITEM_SIZE - 40;
    char *request = malloc(pad + 200);
    int len = snprintf(request, pad + 200, "{\"TableName\":\"groups\",\"Item\":{\"id\":{\"S\":\"big\"},\"pad\":{\"S\":\"");
    memset(request + len, 'x', pad);
    snprintf(request + len + pad, 200, "\"}}}");
    char *resp = NULL;
    size_t resp_len;
    assert_int_equal(dynemu_call(w->db, "PutItem", request, strlen(request), &resp, &resp_len), 200);
    dynemu_free(resp);
    free(request);
    record(w, "users", "a-user-with-a-long-enough-id-to-pass-the-limit");
    refuse(w, "{'op':'add','table':'users','id':'a-user-with-a-long-enough-id-to-pass-the-limit',"
              "'association':'groups','ids':['red','big']}",
           STORE_ERR_VALIDATION, "The groups record big would exceed the item size limit of 400 KB");
}

static void habtm_declaration_refusals(void **state)
{
    world *w = *state;
    users_and_groups(w);
    refuse_declaration(w, "{'table':'users','has_and_belongs_to_many':'teams','target':'groups','foreign_key':'x'}",
                       "foreign_key, counter_cache, through");
    refuse_declaration(w, "{'table':'users','has_and_belongs_to_many':'groups','inverse_of':'members'}",
                       "users of groups names it as its inverse_of, but its inverse_of is members");
    declare(w, "{'table':'groups','belongs_to':'owner','target':'users'}");
    refuse_declaration(w, "{'table':'users','has_and_belongs_to_many':'groups','inverse_of':'owner'}",
                       "inverse_of owner of groups is a belongs_to, not a has_and_belongs_to_many");
    refuse_declaration(w, "{'table':'users','has_and_belongs_to_many':'groups','ids_attribute':'id'}",
                       "set id is the key of table users");
    refuse_declaration(w, "{'table':'users','has_and_belongs_to_many':'groups','has_many':'groups'}",
                       "exactly one of");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(dynomite_habtm_keeps_a_string_set_on_each_side, setup, teardown),
        cmocka_unit_test_setup_teardown(dynomite_habtm_delete_all_takes_the_records_out_of_every_set, setup, teardown),
        cmocka_unit_test_setup_teardown(habtm_disassociate_unlinks_both_sides, setup, teardown),
        cmocka_unit_test_setup_teardown(habtm_replace_keeps_both_sides, setup, teardown),
        cmocka_unit_test_setup_teardown(habtm_reads_build_and_create, setup, teardown),
        cmocka_unit_test_setup_teardown(habtm_removals_follow_dependent, setup, teardown),
        cmocka_unit_test_setup_teardown(seed_friends_keep_friending_users, setup, teardown),
        cmocka_unit_test_setup_teardown(a_record_may_befriend_itself, setup, teardown),
        cmocka_unit_test_setup_teardown(check_reports_one_sided_links, setup, teardown),
        cmocka_unit_test_setup_teardown(habtm_refusals_change_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(an_inverse_set_past_the_item_size_limit_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(habtm_declaration_refusals, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
