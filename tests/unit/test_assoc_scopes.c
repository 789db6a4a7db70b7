/* tests/unit/test_assoc_scopes.c — the second round's has_many options,
 * linked: polymorphic children (`as`: <as>_id and <as>_type, list by owner
 * type, moving between owners of two tables), scopes (`where` limiting
 * reads and what dependent destroys, as the ActiveRecord seed's published
 * comments; `order` ASC and DESC), primary_key, class_name, destroy_async,
 * and the refusals of each. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "assoc_world.h"

/* posts post-1, photos photo-1, comments c1..c3; both owners has_many comments, as: commentable. */
static void commentables(world *w)
{
    make_table(w, "posts");
    make_table(w, "photos");
    make_table(w, "comments");
    record(w, "posts", "post-1");
    record(w, "photos", "photo-1");
    record(w, "photos", "post-1"); /* the same id in the other owner table */
    record(w, "comments", "c1");
    record(w, "comments", "c2");
    record(w, "comments", "c3");
    declare(w, "{'declarations':[{'table':'posts','has_many':'comments','as':'commentable','dependent':'destroy'},"
               "{'table':'photos','has_many':'comments','as':'commentable'}]}");
}

#define POST_COMMENTS(op) "{'op':'" op "','table':'posts','id':'post-1','association':'comments'"
#define PHOTO_COMMENTS(op, who) "{'op':'" op "','table':'photos','id':'" who "','association':'comments'"

static void polymorphic_links_set_id_and_type(void **state)
{
    world *w = *state;
    commentables(w);
    expect(w, POST_COMMENTS("add") ",'ids':['c1','c2']}", "{'ids':['c1','c2']}");
    assert_item(w, "comments", "c1",
                "{'id':{'S':'c1'},'commentable_id':{'S':'post-1'},'commentable_type':{'S':'posts'}}");
    /* photos' post-1 is another owner: c2 moves there, out of the post's set */
    expect(w, PHOTO_COMMENTS("add", "post-1") ",'ids':['c2']}", "{'ids':['c2']}");
    assert_item(w, "comments", "c2",
                "{'id':{'S':'c2'},'commentable_id':{'S':'post-1'},'commentable_type':{'S':'photos'}}");
    assert_item(w, "posts", "post-1", "{'id':{'S':'post-1'},'comments_ids':{'SS':['c1']}}");
    expect(w, PHOTO_COMMENTS("add", "photo-1") ",'ids':['c2','c3']}", "{'ids':['c2','c3']}");
    assert_item(w, "photos", "post-1", "{'id':{'S':'post-1'}}");
    assert_check_report(w, "{'ok':true,'problems':[]}");
    /* disassociate clears both attributes */
    expect(w, PHOTO_COMMENTS("disassociate", "photo-1") ",'ids':['c3']}", "{'ids':['c2']}");
    assert_item(w, "comments", "c3", "{'id':{'S':'c3'}}");
    /* build and create name the owner's table */
    expect(w, POST_COMMENTS("build") ",'item':{'id':{'S':'c9'}}}",
           "{'item':{'id':{'S':'c9'},'commentable_id':{'S':'post-1'},'commentable_type':{'S':'posts'}}}");
}

/* list returns only the children of that owner type, even when the set says otherwise. */
static void polymorphic_list_keeps_to_the_owner_type(void **state)
{
    world *w = *state;
    commentables(w);
    expect(w, POST_COMMENTS("add") ",'ids':['c1','c2']}", "{'ids':['c1','c2']}");
    put(w, "comments", "{'id':{'S':'c2'},'commentable_id':{'S':'post-1'},'commentable_type':{'S':'photos'}}");
    expect(w, POST_COMMENTS("list") "}",
           "{'items':[{'id':{'S':'c1'},'commentable_id':{'S':'post-1'},'commentable_type':{'S':'posts'}}]}");
    expect(w, POST_COMMENTS("ids") "}", "{'ids':['c1']}");
    expect(w, POST_COMMENTS("size") "}", "{'size':1}");
    expect(w, POST_COMMENTS("exists") ",'record_id':'c2'}", "{'exists':false}");
    /* dependent destroy acts on its own type only */
    expect_destroy(w, "{'table':'posts','id':'post-1'}",
                   "{'destroyed':[{'table':'comments','id':'c1'},{'table':'posts','id':'post-1'}]}");
    assert_item(w, "comments", "c2",
                "{'id':{'S':'c2'},'commentable_id':{'S':'post-1'},'commentable_type':{'S':'photos'}}");
}

#define OWNER_OF(who) "{'op':'owner','table':'comments','id':'" who "','association':'commentable'}"

/* belongs_to :commentable, polymorphic: true — the child side of as:,
 * resolving the owner by commentable_type and commentable_id. */
static void polymorphic_belongs_to_finds_the_owner_by_type_and_id(void **state)
{
    world *w = *state;
    commentables(w);
    declare(w, "{'table':'comments','belongs_to':'commentable','polymorphic':true}");
    assert_declaration(w, 2, "{'table':'comments','belongs_to':'commentable','polymorphic':true,"
                             "'foreign_key':'commentable_id','foreign_type':'commentable_type'}");
    expect(w, POST_COMMENTS("add") ",'ids':['c1']}", "{'ids':['c1']}");
    expect(w, PHOTO_COMMENTS("add", "post-1") ",'ids':['c2']}", "{'ids':['c2']}");
    /* the same id in two owner tables: the type decides */
    expect(w, OWNER_OF("c1"), "{'table':'posts','item':{'id':{'S':'post-1'},'comments_ids':{'SS':['c1']}}}");
    expect(w, OWNER_OF("c2"), "{'table':'photos','item':{'id':{'S':'post-1'},'comments_ids':{'SS':['c2']}}}");
    expect(w, OWNER_OF("c3"), "{'item':null}");
    refuse(w, OWNER_OF("c9"), STORE_ERR_RECORD_NOT_FOUND, "Couldn't find comments with id=c9");
    refuse(w, POST_COMMENTS("owner") "}", STORE_ERR_VALIDATION, "owner runs on a belongs_to; comments of posts is a has_many");
    refuse(w, "{'op':'list','table':'comments','id':'c1','association':'commentable'}", STORE_ERR_VALIDATION,
           "collection operations run on the has_many of its owner's table (a belongs_to answers owner)");
    assert_check_report(w, "{'ok':true,'problems':[]}");
    /* a type naming no table, or a table without the record, is a missing owner */
    put(w, "comments", "{'id':{'S':'c3'},'commentable_id':{'S':'v1'},'commentable_type':{'S':'videos'}}");
    refuse(w, OWNER_OF("c3"), STORE_ERR_VALIDATION, "comments c3 has commentable_type = videos, which names no table");
    make_table(w, "notes");
    put(w, "comments", "{'id':{'S':'c2'},'commentable_id':{'S':'n1'},'commentable_type':{'S':'notes'}}");
    expect(w, OWNER_OF("c2"), "{'item':null}");
    record(w, "notes", "n1");
    expect(w, OWNER_OF("c2"), "{'table':'notes','item':{'id':{'S':'n1'}}}");
    /* c2 left the photo behind the association's back: the photo's has_many
     * reports that; the belongs_to reports c3's table that is not there */
    assert_check_report(w, "{'ok':false,'problems':[{'kind':'foreign_key_mismatch','table':'comments','id':'c2',"
                           "'association':'comments','other':'post-1','message':'comments c2 is in comments_ids of "
                           "photos post-1, but its commentable_id is missing'},"
                           "{'kind':'missing_owner','table':'comments','id':'c3','association':'commentable',"
                           "'other':'v1','message':'comments c3 has commentable_id = v1, but its foreign type names "
                           "no table keyed by a String id'}]}");
}

/* A plain belongs_to answers owner too; a polymorphic one pairs only with a has_many declared as: its name. */
static void belongs_to_owner_and_polymorphic_refusals(void **state)
{
    world *w = *state;
    commentables(w);
    declare(w, "{'table':'comments','belongs_to':'post'}");
    expect(w, "{'op':'owner','table':'comments','id':'c1','association':'post'}", "{'item':null}");
    put(w, "comments", "{'id':{'S':'c1'},'post_id':{'S':'post-1'}}");
    expect(w, "{'op':'owner','table':'comments','id':'c1','association':'post'}",
           "{'table':'posts','item':{'id':{'S':'post-1'}}}");
    refuse_declaration(w, "{'table':'comments','belongs_to':'commentable','polymorphic':true,'target':'posts'}",
                       "is polymorphic: each record names its owner's table in its foreign type, so it takes no target");
    refuse_declaration(w, "{'table':'posts','has_many':'notes','target':'comments','polymorphic':true}",
                       "polymorphic is an option of belongs_to");
    refuse_declaration(w, "{'table':'comments','belongs_to':'commentable','polymorphic':'yes'}",
                       "polymorphic must be true or false");
    refuse_declaration(w, "{'table':'comments','belongs_to':'commentable','polymorphic':true,"
                          "'foreign_type':'kind'}",
                       "has_many comments of posts keeps the owner's table in commentable_type but belongs_to "
                       "commentable of comments reads it from kind");
    declare(w, "{'table':'comments','belongs_to':'subject','polymorphic':true}");
    refuse_declaration(w, "{'table':'posts','has_many':'remarks','target':'comments','inverse_of':'subject'}",
                       "subject of comments is a polymorphic belongs_to; the has_many pairs with it declared with "
                       "as: subject");
    declare(w, "{'table':'posts','has_many':'remarks','target':'comments','as':'subject','inverse_of':'subject'}");
}

/* posts has_many comments, -> { where(published: true).order(posted_on: :desc) }, dependent: :destroy */
static void published_comments(world *w)
{
    make_table(w, "posts");
    make_table(w, "comments");
    record(w, "posts", "post-1");
    put(w, "comments", "{'id':{'S':'c1'},'published':{'BOOL':true},'posted_on':{'S':'2026-01-01'}}");
    put(w, "comments", "{'id':{'S':'c2'},'published':{'BOOL':false},'posted_on':{'S':'2026-01-02'}}");
    put(w, "comments", "{'id':{'S':'c3'},'published':{'BOOL':true},'posted_on':{'S':'2026-01-03'}}");
    put(w, "comments", "{'id':{'S':'c4'},'published':{'BOOL':true}}");
    declare(w, "{'table':'posts','has_many':'comments','where':{'published':{'BOOL':true}},"
               "'order':{'attribute':'posted_on','direction':'DESC'},'dependent':'destroy'}");
}

#define COMMENTS(op) "{'op':'" op "','table':'posts','id':'post-1','association':'comments'"

static void a_scope_limits_reads_and_orders_list(void **state)
{
    world *w = *state;
    published_comments(w);
    expect(w, COMMENTS("add") ",'ids':['c1','c2','c3','c4']}", "{'ids':['c1','c3','c4']}");
    assert_item(w, "posts", "post-1", "{'id':{'S':'post-1'},'comments_ids':{'SS':['c1','c2','c3','c4']}}");
    /* DESC by posted_on; c4 has none and comes last */
    cJSON *got = call(w, COMMENTS("list") "}");
    cJSON *items = cJSON_GetObjectItem(got, "items");
    assert_int_equal(cJSON_GetArraySize(items), 3);
    const char *order[] = {"c3", "c1", "c4"};
    for (int i = 0; i < 3; i++)
        assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetArrayItem(items, i), "id"), "S")->valuestring,
                            order[i]);
    cJSON_Delete(got);
    expect(w, COMMENTS("size") "}", "{'size':3}");
    refuse(w, COMMENTS("find") ",'record_id':'c2'}", STORE_ERR_RECORD_NOT_FOUND, "Couldn't find comments with id=c2");
    /* a child built through the scope takes its attributes */
    expect(w, COMMENTS("build") ",'item':{'id':{'S':'c9'}}}",
           "{'item':{'id':{'S':'c9'},'published':{'BOOL':true},'post_id':{'S':'post-1'}}}");
}

/* ASC orders the other way; without order, by id */
static void order_ascending(void **state)
{
    world *w = *state;
    published_comments(w);
    declare(w, "{'table':'posts','has_many':'comments','order':'posted_on'}");
    expect(w, COMMENTS("add") ",'ids':['c3','c2','c1']}", "{'ids':['c1','c2','c3']}");
    cJSON *got = call(w, COMMENTS("list") "}");
    cJSON *items = cJSON_GetObjectItem(got, "items");
    const char *order[] = {"c1", "c2", "c3"};
    for (int i = 0; i < 3; i++)
        assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetArrayItem(items, i), "id"), "S")->valuestring,
                            order[i]);
    cJSON_Delete(got);
    cJSON *decls = assoc_declarations_json(w->r);
    assert_json(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(decls, "declarations"), 0), "order"),
                "{'attribute':'posted_on','direction':'ASC'}");
    cJSON_Delete(decls);
}

/* The seed: only published comments are destroyed; the rest keep their foreign key. */
static void dependent_destroy_acts_on_the_scope_only(void **state)
{
    world *w = *state;
    published_comments(w);
    expect(w, COMMENTS("add") ",'ids':['c1','c2','c3']}", "{'ids':['c1','c3']}");
    expect_destroy(w, "{'table':'posts','id':'post-1'}",
                   "{'destroyed':[{'table':'comments','id':'c1'},{'table':'comments','id':'c3'},"
                   "{'table':'posts','id':'post-1'}]}");
    assert_item(w, "comments", "c2",
                "{'id':{'S':'c2'},'published':{'BOOL':false},'posted_on':{'S':'2026-01-02'},'post_id':{'S':'post-1'}}");
    assert_item(w, "comments", "c1", "null");
}

/* clear under a scope clears the scoped children; the others stay in the set */
static void clear_acts_on_the_scope_only(void **state)
{
    world *w = *state;
    published_comments(w);
    expect(w, COMMENTS("add") ",'ids':['c1','c2']}", "{'ids':['c1']}");
    expect(w, COMMENTS("clear") "}", "{'ids':[],'destroyed':[{'table':'comments','id':'c1'}]}");
    assert_item(w, "posts", "post-1", "{'id':{'S':'post-1'},'comments_ids':{'SS':['c2']}}");
}

/* A counter cache under a scope counts the children the scope selects, as
 * every write keeps it; check compares it with that count. */
static void a_scoped_counter_counts_the_scope(void **state)
{
    world *w = *state;
    published_comments(w);
    declare(w, "{'table':'posts','has_many':'comments','where':{'published':{'BOOL':true}},"
               "'counter_cache':'published_count'}");
    expect(w, COMMENTS("add") ",'ids':['c1','c2','c3']}", "{'ids':['c1','c3']}");
    assert_item(w, "posts", "post-1",
                "{'id':{'S':'post-1'},'comments_ids':{'SS':['c1','c2','c3']},'published_count':{'N':'2'}}");
    expect(w, COMMENTS("create") ",'item':{'id':{'S':'c9'}}}",
           "{'item':{'id':{'S':'c9'},'published':{'BOOL':true},'post_id':{'S':'post-1'}}}");
    assert_item(w, "posts", "post-1",
                "{'id':{'S':'post-1'},'comments_ids':{'SS':['c1','c2','c3','c9']},'published_count':{'N':'3'}}");
    expect(w, COMMENTS("destroy") ",'ids':['c1']}",
           "{'ids':['c3','c9'],'destroyed':[{'table':'comments','id':'c1'}]}");
    assert_item(w, "posts", "post-1",
                "{'id':{'S':'post-1'},'comments_ids':{'SS':['c2','c3','c9']},'published_count':{'N':'2'}}");
    assert_check_report(w, "{'ok':true,'problems':[]}");
    /* c3 unpublished behind the association's back: the counter no longer agrees */
    put(w, "comments", "{'id':{'S':'c3'},'published':{'BOOL':false},'post_id':{'S':'post-1'}}");
    assert_check_report(w, "{'ok':false,'problems':[{'kind':'counter_mismatch','table':'posts','id':'post-1',"
                           "'association':'comments','message':'posts post-1 has published_count = 2, but "
                           "comments_ids holds 1 ids in its scope'}]}");
}

/* users keep an email; posts store it (has_many :posts, primary_key: :email) */
static void primary_key_is_what_children_store(void **state)
{
    world *w = *state;
    make_table(w, "users");
    make_table(w, "posts");
    put(w, "users", "{'id':{'S':'bob'},'email':{'S':'bob@example.com'}}");
    put(w, "users", "{'id':{'S':'alice'},'email':{'S':'alice@example.com'}}");
    record(w, "users", "nomail");
    record(w, "posts", "p1");
    record(w, "posts", "p2");
    declare(w, "{'table':'users','has_many':'posts','primary_key':'email','dependent':'nullify'}");
    expect(w, "{'op':'add','table':'users','id':'bob','association':'posts','ids':['p1','p2']}", "{'ids':['p1','p2']}");
    assert_item(w, "posts", "p1", "{'id':{'S':'p1'},'user_id':{'S':'bob@example.com'}}");
    /* moving p2 finds its previous owner by email */
    expect(w, "{'op':'add','table':'users','id':'alice','association':'posts','ids':['p2']}", "{'ids':['p2']}");
    assert_item(w, "users", "bob",
                "{'id':{'S':'bob'},'email':{'S':'bob@example.com'},'posts_ids':{'SS':['p1']}}");
    assert_check_report(w, "{'ok':true,'problems':[]}");
    refuse(w, "{'op':'add','table':'users','id':'nomail','association':'posts','ids':['p1']}", STORE_ERR_VALIDATION,
           "users nomail has no email (a String) for its posts to store");
    expect_destroy(w, "{'table':'users','id':'alice'}", "{'destroyed':[{'table':'users','id':'alice'}]}");
    assert_item(w, "posts", "p2", "{'id':{'S':'p2'}}");
}

static void class_name_spells_target(void **state)
{
    world *w = *state;
    make_table(w, "users");
    make_table(w, "people");
    declare(w, "{'table':'users','has_many':'students','class_name':'people'}");
    assert_string_equal(assoc_declaration_at(w->r, 0)->target, "people");
    declare(w, "{'table':'users','has_many':'teachers','class_name':'people','target':'people'}");
    refuse_declaration(w, "{'table':'users','has_many':'friends','class_name':'people','target':'users'}",
                       "target users and class_name people name different tables");
}

/* destroy_async acts as destroy: there is no background job */
static void destroy_async_destroys_at_once(void **state)
{
    world *w = *state;
    commentables(w);
    declare(w, "{'table':'posts','has_many':'comments','as':'commentable','dependent':'destroy_async'}");
    expect(w, POST_COMMENTS("add") ",'ids':['c1']}", "{'ids':['c1']}");
    expect(w, POST_COMMENTS("delete") ",'ids':['c1']}", "{'ids':[],'destroyed':[{'table':'comments','id':'c1'}]}");
    cJSON *decls = assoc_declarations_json(w->r);
    assert_string_equal(
        cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(decls, "declarations"), 0), "dependent")->valuestring,
        "destroy_async");
    cJSON_Delete(decls);
}

static void option_refusals(void **state)
{
    world *w = *state;
    commentables(w);
    refuse_declaration(w, "{'table':'comments','belongs_to':'post','as':'x'}", "takes none of through");
    refuse_declaration(w, "{'table':'posts','has_many':'notes','target':'comments','foreign_type':'t'}",
                       "foreign_type needs as");
    refuse_declaration(w, "{'table':'posts','has_many':'notes','target':'comments','where':[]}",
                       "where must be a non-empty object");
    refuse_declaration(w, "{'table':'posts','has_many':'notes','target':'comments','order':{'attribute':'a',"
                          "'direction':'UP'}}",
                       "order direction must be ASC or DESC");
    refuse_declaration(w, "{'table':'posts','has_many':'notes','target':'comments','order':7}",
                       "order must be an attribute name");
    refuse_declaration(w, "{'table':'posts','has_many':'notes','target':'comments','as':'c','foreign_type':'id'}",
                       "foreign type id names the key of table comments");
    refuse_declaration(w, "{'table':'posts','has_many':'notes','target':'comments','dependent':'later'}",
                       "Unknown dependent option later");
    refuse_declaration(w, "{'table':'posts','has_many':'notes','target':'comments','source':'x'}",
                       "source needs through");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(polymorphic_links_set_id_and_type, setup, teardown),
        cmocka_unit_test_setup_teardown(polymorphic_list_keeps_to_the_owner_type, setup, teardown),
        cmocka_unit_test_setup_teardown(polymorphic_belongs_to_finds_the_owner_by_type_and_id, setup, teardown),
        cmocka_unit_test_setup_teardown(belongs_to_owner_and_polymorphic_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(a_scope_limits_reads_and_orders_list, setup, teardown),
        cmocka_unit_test_setup_teardown(order_ascending, setup, teardown),
        cmocka_unit_test_setup_teardown(dependent_destroy_acts_on_the_scope_only, setup, teardown),
        cmocka_unit_test_setup_teardown(clear_acts_on_the_scope_only, setup, teardown),
        cmocka_unit_test_setup_teardown(a_scoped_counter_counts_the_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(primary_key_is_what_children_store, setup, teardown),
        cmocka_unit_test_setup_teardown(class_name_spells_target, setup, teardown),
        cmocka_unit_test_setup_teardown(destroy_async_destroys_at_once, setup, teardown),
        cmocka_unit_test_setup_teardown(option_refusals, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
