/* tests/unit/test_assoc_through.c — has_many :through, linked: the seed's
 * `has_many :subscribers, through: :subscriptions, source: :user` on a
 * channel; reads through the join records; add / create / replace making
 * join records linked to both sides; delete deleting them by default,
 * dependent destroy and nullify overriding it; destroy destroying the join
 * records, not the users; a source that is not a belongs_to leaving the
 * association read-only; the declaration's refusals; atomicity. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "assoc_world.h"

/* channels news; users bob, alice, carol; subscriptions join them. */
static void channels(world *w, const char *dependent)
{
    make_table(w, "channels");
    make_table(w, "users");
    make_table(w, "subscriptions");
    record(w, "channels", "news");
    record(w, "users", "bob");
    record(w, "users", "alice");
    record(w, "users", "carol");
    char buf[1024];
    snprintf(buf, sizeof buf,
             "{'declarations':[{'table':'channels','has_many':'subscriptions','inverse_of':'channel'},"
             "{'table':'subscriptions','belongs_to':'channel'},{'table':'subscriptions','belongs_to':'user'},"
             "{'table':'users','has_many':'subscriptions','inverse_of':'user'},"
             "{'table':'channels','has_many':'subscribers','through':'subscriptions','source':'user'%s%s}]}",
             dependent ? ",'dependent':" : "", dependent ? dependent : "");
    declare(w, buf);
}

#define SUBSCRIBERS(op) "{'op':'" op "','table':'channels','id':'news','association':'subscribers'"

static void add_makes_join_records_on_both_sides(void **state)
{
    world *w = *state;
    channels(w, NULL);
    expect(w, SUBSCRIBERS("add") ",'ids':['bob','alice']}", "{'ids':['alice','bob']}");
    assert_item(w, "subscriptions", "news:bob",
                "{'id':{'S':'news:bob'},'user_id':{'S':'bob'},'channel_id':{'S':'news'}}");
    assert_item(w, "channels", "news",
                "{'id':{'S':'news'},'subscriptions_ids':{'SS':['news:alice','news:bob']}}");
    assert_item(w, "users", "bob", "{'id':{'S':'bob'},'subscriptions_ids':{'SS':['news:bob']}}");
    /* adding a linked one again makes nothing new */
    expect(w, SUBSCRIBERS("add") ",'ids':['bob']}", "{'ids':['alice','bob']}");
    assert_check_report(w, "{'ok':true,'problems':[]}");
    assert_declaration(w, 4, "{'table':'channels','has_many':'subscribers','target':'users','dependent':'none',"
                             "'through':'subscriptions','source':'user'}");
}

/* Join records written as a user's app writes them are read the same way. */
static void reads_go_through_the_join_records(void **state)
{
    world *w = *state;
    channels(w, NULL);
    put(w, "users", "{'id':{'S':'carol'},'role':{'S':'admin'}}");
    expect(w, "{'op':'create','table':'channels','id':'news','association':'subscriptions',"
              "'item':{'id':{'S':'s1'},'user_id':{'S':'carol'}}}",
           "{'item':{'id':{'S':'s1'},'user_id':{'S':'carol'},'channel_id':{'S':'news'}}}");
    expect(w, SUBSCRIBERS("ids") "}", "{'ids':['carol']}");
    expect(w, SUBSCRIBERS("list") "}", "{'items':[{'id':{'S':'carol'},'role':{'S':'admin'}}]}");
    expect(w, SUBSCRIBERS("size") "}", "{'size':1}");
    expect(w, SUBSCRIBERS("empty") "}", "{'empty':false}");
    expect(w, SUBSCRIBERS("find") ",'record_id':'carol'}", "{'item':{'id':{'S':'carol'},'role':{'S':'admin'}}}");
    refuse(w, SUBSCRIBERS("find") ",'record_id':'bob'}", STORE_ERR_RECORD_NOT_FOUND, "Couldn't find users with id=bob");
    expect(w, SUBSCRIBERS("exists") ",'where':{'role':{'S':'admin'}}}", "{'exists':true}");
    expect(w, SUBSCRIBERS("exists") ",'record_id':'alice'}", "{'exists':false}");
}

/* delete: the join records are deleted, not nullified; the users stay. */
static void delete_deletes_the_join_records(void **state)
{
    world *w = *state;
    channels(w, NULL);
    expect(w, SUBSCRIBERS("add") ",'ids':['bob','alice']}", "{'ids':['alice','bob']}");
    expect(w, SUBSCRIBERS("delete") ",'ids':['bob']}",
           "{'ids':['alice'],'deleted':[{'table':'subscriptions','id':'news:bob'}]}");
    assert_item(w, "subscriptions", "news:bob", "null");
    assert_item(w, "users", "bob", "{'id':{'S':'bob'}}");
    assert_check_report(w, "{'ok':true,'problems':[]}");
    /* destroy destroys the join record instead of the user */
    expect(w, SUBSCRIBERS("destroy") ",'ids':['alice']}",
           "{'ids':[],'destroyed':[{'table':'subscriptions','id':'news:alice'}]}");
    assert_item(w, "users", "alice", "{'id':{'S':'alice'}}");
    refuse(w, SUBSCRIBERS("delete") ",'ids':['carol']}", STORE_ERR_RECORD_NOT_FOUND, "Couldn't find users with id=carol");
}

static void dependent_overrides_how_join_records_go(void **state)
{
    world *w = *state;
    channels(w, "'nullify'");
    expect(w, SUBSCRIBERS("add") ",'ids':['bob','alice']}", "{'ids':['alice','bob']}");
    expect(w, SUBSCRIBERS("delete") ",'ids':['bob']}", "{'ids':['alice']}");
    assert_item(w, "subscriptions", "news:bob", "{'id':{'S':'news:bob'},'user_id':{'S':'bob'}}");
    declare(w, "{'table':'channels','has_many':'subscribers','through':'subscriptions','source':'user',"
               "'dependent':'destroy'}");
    expect(w, SUBSCRIBERS("clear") "}", "{'ids':[],'destroyed':[{'table':'subscriptions','id':'news:alice'}]}");
}

/* subscribers = [carol, bob]: alice's join record goes, carol's is made */
static void replace_and_create(void **state)
{
    world *w = *state;
    channels(w, NULL);
    expect(w, SUBSCRIBERS("add") ",'ids':['bob','alice']}", "{'ids':['alice','bob']}");
    expect(w, SUBSCRIBERS("replace") ",'ids':['carol','bob']}",
           "{'ids':['bob','carol'],'deleted':[{'table':'subscriptions','id':'news:alice'}]}");
    assert_item(w, "subscriptions", "news:alice", "null");
    assert_item(w, "subscriptions", "news:carol",
                "{'id':{'S':'news:carol'},'user_id':{'S':'carol'},'channel_id':{'S':'news'}}");
    expect(w, SUBSCRIBERS("create") ",'item':{'id':{'S':'dave'}}}", "{'item':{'id':{'S':'dave'}}}");
    expect(w, SUBSCRIBERS("ids") "}", "{'ids':['bob','carol','dave']}");
    assert_item(w, "users", "dave", "{'id':{'S':'dave'},'subscriptions_ids':{'SS':['news:dave']}}");
    expect(w, SUBSCRIBERS("disassociate_all") "}",
           "{'ids':[],'deleted':[{'table':'subscriptions','id':'news:bob'},{'table':'subscriptions','id':'news:carol'},"
           "{'table':'subscriptions','id':'news:dave'}]}");
    assert_check_report(w, "{'ok':true,'problems':[]}");
}

/* A join id already taken by another record: the whole add is refused. */
static void a_taken_join_id_refuses_the_whole_add(void **state)
{
    world *w = *state;
    channels(w, NULL);
    record(w, "subscriptions", "news:carol");
    refuse(w, SUBSCRIBERS("add") ",'ids':['alice','carol']}", STORE_ERR_VALIDATION,
           "the join record subscriptions news:carol exists already");
    refuse(w, SUBSCRIBERS("add") ",'ids':['alice','nobody']}", STORE_ERR_RECORD_NOT_FOUND, "Couldn't find users");
}

/* The join id is <owner id>:<target id>, and ids are at most 2,048 bytes. */
static void a_join_id_past_the_key_limit_is_refused(void **state)
{
    world *w = *state;
    channels(w, NULL);
    char id[1100], item[1200], call_text[2400];
    memset(id, 'u', sizeof id - 1);
    id[sizeof id - 1] = 0;
    snprintf(item, sizeof item, "{'id':{'S':'%s'}}", id);
    put(w, "users", item);
    put(w, "channels", item);
    snprintf(call_text, sizeof call_text,
             "{'op':'add','table':'channels','id':'%s','association':'subscribers','ids':['%s']}", id, id);
    refuse(w, call_text, STORE_ERR_VALIDATION, "would be longer than 2048 bytes");
}

/* Through a has_many of the join table: readable, not writable. */
static void a_source_that_is_no_belongs_to_is_read_only(void **state)
{
    world *w = *state;
    channels(w, NULL);
    make_table(w, "tags");
    record(w, "tags", "t1");
    declare(w, "{'declarations':[{'table':'subscriptions','has_many':'tags'},"
               "{'table':'channels','has_many':'tags','through':'subscriptions'}]}");
    expect(w, SUBSCRIBERS("add") ",'ids':['bob']}", "{'ids':['bob']}");
    expect(w, "{'op':'add','table':'subscriptions','id':'news:bob','association':'tags','ids':['t1']}", "{'ids':['t1']}");
    expect(w, "{'op':'ids','table':'channels','id':'news','association':'tags'}", "{'ids':['t1']}");
    refuse(w, "{'op':'add','table':'channels','id':'news','association':'tags','ids':['t1']}", STORE_ERR_VALIDATION,
           "has_many tags of channels is read-only: its source tags of subscriptions is a has_many, not a belongs_to");
    refuse(w, "{'op':'clear','table':'channels','id':'news','association':'tags'}", STORE_ERR_VALIDATION, "read-only");
}

static void through_declaration_refusals(void **state)
{
    world *w = *state;
    channels(w, NULL);
    refuse_declaration(w, "{'table':'channels','has_many':'readers','through':'memberships'}",
                       "goes through memberships, which is no association of channels");
    refuse_declaration(w, "{'table':'channels','has_many':'readers','through':'subscriptions'}",
                       "the join table subscriptions has no association readers; name it with source");
    refuse_declaration(w, "{'table':'channels','has_many':'readers','through':'subscribers','source':'user'}",
                       "must be a has_many of channels that is not itself a through");
    refuse_declaration(w, "{'table':'channels','has_many':'readers','through':'subscriptions','source':'user',"
                          "'target':'channels'}",
                       "names target channels, but source user of subscriptions leads to users");
    refuse_declaration(w, "{'table':'channels','has_many':'readers','through':'subscriptions','source':'user',"
                          "'foreign_key':'x'}",
                       "its links are the join records");
    /* users has_many subscriptions (user_id) and subscriptions belongs_to user (user_id): one key for two links */
    declare(w, "{'table':'users','has_many':'subscriptions'}");
    refuse_declaration(w, "{'table':'users','has_many':'subscribers','through':'subscriptions','source':'user'}",
                       "a join record of subscriptions would keep both its owner and its user in user_id");
    /* the source defaults to the name's singular */
    declare(w, "{'table':'channels','has_many':'users','through':'subscriptions'}");
    assert_string_equal(assoc_declaration_at(w->r, 5)->name, "users");
    assert_string_equal(assoc_declaration_at(w->r, 5)->source, "user");
}

/* What GET /_dynemu/associations (and a fixture dump) lists declares the same again. */
static void listed_declarations_declare_the_same(void **state)
{
    world *w = *state;
    channels(w, "'nullify'");
    make_table(w, "comments");
    declare(w, "{'declarations':[{'table':'users','has_and_belongs_to_many':'friends','target':'users',"
               "'inverse_of':'friending_users'},"
               "{'table':'channels','has_many':'comments','as':'commentable','where':{'shown':{'BOOL':true}},"
               "'order':{'attribute':'at','direction':'DESC'},'dependent':'destroy_async'},"
               "{'table':'users','has_many':'notes','target':'comments','primary_key':'handle'}]}");
    cJSON *listed = assoc_declarations_json(w->r);
    assoc_registry *again = assoc_registry_new();
    store_error err = {0};
    if (!assoc_declare_json(again, w->store, listed, &err)) fail_msg("listed declarations refused: %s", err.message);
    cJSON *relisted = assoc_declarations_json(again);
    assert_true(cJSON_Compare(listed, relisted, true));
    cJSON_Delete(relisted);
    cJSON_Delete(listed);
    assoc_registry_free(again);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(add_makes_join_records_on_both_sides, setup, teardown),
        cmocka_unit_test_setup_teardown(reads_go_through_the_join_records, setup, teardown),
        cmocka_unit_test_setup_teardown(delete_deletes_the_join_records, setup, teardown),
        cmocka_unit_test_setup_teardown(dependent_overrides_how_join_records_go, setup, teardown),
        cmocka_unit_test_setup_teardown(replace_and_create, setup, teardown),
        cmocka_unit_test_setup_teardown(a_taken_join_id_refuses_the_whole_add, setup, teardown),
        cmocka_unit_test_setup_teardown(a_join_id_past_the_key_limit_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(a_source_that_is_no_belongs_to_is_read_only, setup, teardown),
        cmocka_unit_test_setup_teardown(through_declaration_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(listed_declarations_declare_the_same, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
