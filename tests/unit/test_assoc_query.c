/* tests/unit/test_assoc_query.c — association querying as Dynomite
 * documents it, linked: the association's own equality `where`, and the
 * relation chain (where / and / not / or steps, comparisons lt lte gt gte
 * eq between in begins_with and their not_ forms) on list and exists; a
 * chain combined with a scope; malformed chains refused with a clear
 * message, changing nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "assoc_world.h"

/* bob's posts p1..p4 with a title, a category and a price. */
static void bobs_posts(world *w)
{
    make_table(w, "users");
    make_table(w, "posts");
    record(w, "users", "bob");
    put(w, "posts", "{'id':{'S':'p1'},'title':{'S':'post 1'},'category':{'S':'ruby'},'price':{'N':'10'}}");
    put(w, "posts", "{'id':{'S':'p2'},'title':{'S':'post 2'},'category':{'S':'c'},'price':{'N':'250'}}");
    put(w, "posts", "{'id':{'S':'p3'},'title':{'S':'draft 3'},'category':{'S':'ruby'},'price':{'N':'600'}}");
    put(w, "posts", "{'id':{'S':'p4'},'title':{'S':'post 4'},'category':{'S':'go'}}");
    declare(w, "{'table':'users','has_many':'posts'}");
    expect(w, "{'op':'add','table':'users','id':'bob','association':'posts','ids':['p1','p2','p3','p4']}",
           "{'ids':['p1','p2','p3','p4']}");
}

/* The ids list answers, in order. */
static void expect_ids(world *w, const char *relation, const char *ids)
{
    char buf[2048];
    snprintf(buf, sizeof buf, "{'op':'list','table':'users','id':'bob','association':'posts','relation':%s}", relation);
    cJSON *got = call(w, buf);
    cJSON *list = cJSON_CreateArray(), *item;
    cJSON_ArrayForEach(item, cJSON_GetObjectItem(got, "items"))
        cJSON_AddItemToArray(list, cJSON_CreateString(cJSON_GetObjectItem(cJSON_GetObjectItem(item, "id"), "S")->valuestring));
    assert_json(list, ids);
    cJSON_Delete(list);
    cJSON_Delete(got);
}

/* user.posts.where(title: "post 1") */
static void association_where_is_equality(void **state)
{
    world *w = *state;
    bobs_posts(w);
    expect_ids(w, "[{'where':{'title':{'S':'post 1'}}}]", "['p1']");
    expect_ids(w, "[{'where':{'category':{'S':'ruby'}}},{'and':{'price':{'N':'600'}}}]", "['p3']");
}

static void comparisons(void **state)
{
    world *w = *state;
    bobs_posts(w);
    expect_ids(w, "[{'where':{'price.lt':{'N':'250'}}}]", "['p1']");
    expect_ids(w, "[{'where':{'price.lte':{'N':'250'}}}]", "['p1','p2']");
    expect_ids(w, "[{'where':{'price.gt':{'N':'10'},'price.lt':{'N':'600'}}}]", "['p2']");
    expect_ids(w, "[{'where':{'price.gte':{'N':'250'}}}]", "['p2','p3']");
    expect_ids(w, "[{'where':{'price.between':{'L':[{'N':'100'},{'N':'600'}]}}}]", "['p2','p3']");
    expect_ids(w, "[{'where':{'category.in':{'L':[{'S':'c'},{'S':'go'}]}}}]", "['p2','p4']");
    expect_ids(w, "[{'where':{'title.begins_with':{'S':'draft'}}}]", "['p3']");
    expect_ids(w, "[{'where':{'title.not_begins_with':{'S':'post'}}}]", "['p3']");
    expect_ids(w, "[{'where':{'category.not_in':{'L':[{'S':'ruby'}]}}}]", "['p2','p4']");
    expect_ids(w, "[{'where':{'price.not_between':{'L':[{'N':'0'},{'N':'300'}]}}}]", "['p3','p4']");
    expect_ids(w, "[{'where':{'category.eq':{'S':'go'}}}]", "['p4']");
}

/* relation.where(title: "post 1").and.not(category: "ruby"), and `or` groups */
static void not_and_or_steps(void **state)
{
    world *w = *state;
    bobs_posts(w);
    expect_ids(w, "[{'where':{'title.begins_with':{'S':'post'}}},{'not':{'category':{'S':'ruby'}}}]", "['p2','p4']");
    expect_ids(w, "[{'where':{'category':{'S':'go'}}},{'or':{'price.gt':{'N':'500'}}}]", "['p3','p4']");
    expect_ids(w, "[{'where':{'category':{'S':'ruby'},'price.gt':{'N':'5'}}},{'or':{'category':{'S':'c'}}},"
                  "{'and':{'price.lt':{'N':'100'}}}]",
               "['p1','p3']");
    /* a not step over a negated comparison, and over several */
    expect_ids(w, "[{'not':{'category.not_in':{'L':[{'S':'ruby'}]}}}]", "['p1','p3']");
    expect_ids(w, "[{'not':{'category':{'S':'ruby'},'price.gt':{'N':'100'}}}]", "['p1','p2','p4']");
    /* an attribute whose name has a dot and no operator is compared whole */
    put(w, "posts", "{'id':{'S':'p1'},'a.b':{'S':'x'}}");
    expect_ids(w, "[{'where':{'a.b':{'S':'x'}}}]", "['p1']");
}

static void exists_takes_a_relation(void **state)
{
    world *w = *state;
    bobs_posts(w);
    expect(w, "{'op':'exists','table':'users','id':'bob','association':'posts',"
              "'relation':[{'where':{'price.gt':{'N':'500'}}}]}",
           "{'exists':true}");
    expect(w, "{'op':'exists','table':'users','id':'bob','association':'posts',"
              "'relation':[{'where':{'price.gt':{'N':'5000'}}}]}",
           "{'exists':false}");
    expect(w, "{'op':'exists','table':'users','id':'bob','association':'posts','record_id':'p1',"
              "'relation':[{'where':{'category':{'S':'c'}}}]}",
           "{'exists':false}");
    expect(w, "{'op':'exists','table':'users','id':'bob','association':'posts','record_id':'p2',"
              "'relation':[{'where':{'category':{'S':'c'}}}]}",
           "{'exists':true}");
}

/* A scope and a relation narrow together. */
static void a_relation_inside_a_scope(void **state)
{
    world *w = *state;
    bobs_posts(w);
    declare(w, "{'table':'users','has_many':'posts','where':{'category':{'S':'ruby'}},'order':{'attribute':'price',"
               "'direction':'DESC'}}");
    expect_ids(w, "[{'where':{'price.gt':{'N':'0'}}}]", "['p3','p1']");
}

#define LIST "{'op':'list','table':'users','id':'bob','association':'posts'"

static void malformed_chains_are_refused(void **state)
{
    world *w = *state;
    bobs_posts(w);
    refuse(w, LIST ",'relation':{}}", STORE_ERR_VALIDATION, "relation must be an array of steps");
    refuse(w, LIST ",'relation':[]}", STORE_ERR_VALIDATION, "a chain needs at least one step");
    refuse(w, LIST ",'relation':[{'sometimes':{'a':{'S':'x'}}}]}", STORE_ERR_VALIDATION, "unknown step sometimes");
    refuse(w, LIST ",'relation':[{'where':{'a':{'S':'x'}},'or':{'b':{'S':'y'}}}]}", STORE_ERR_VALIDATION,
           "each step is one of");
    refuse(w, LIST ",'relation':[{'where':{}}]}", STORE_ERR_VALIDATION, "non-empty map");
    refuse(w, LIST ",'relation':[{'where':{'price.between':{'L':[{'N':'1'}]}}}]}", STORE_ERR_VALIDATION,
           "price.between takes a list (L) of two values");
    refuse(w, LIST ",'relation':[{'where':{'price.in':{'N':'1'}}}]}", STORE_ERR_VALIDATION, "of 1 to 100 values");
    refuse(w, LIST ",'relation':[{'where':{'.lt':{'N':'1'}}}]}", STORE_ERR_VALIDATION, "names no attribute");
    refuse(w, LIST ",'relation':[{'where':{'price':{'X':'1'}}}]}", STORE_ERR_VALIDATION, "");
    refuse(w, "{'op':'ids','table':'users','id':'bob','association':'posts','relation':[{'where':{'a':{'S':'x'}}}]}",
           STORE_ERR_VALIDATION, "ids takes no relation");
    /* in takes at most 100 values, as the expression language's IN */
    char many[4096];
    size_t used = (size_t)snprintf(many, sizeof many, LIST ",'relation':[{'where':{'price.in':{'L':[");
    for (int i = 0; i <= 100; i++) used += (size_t)snprintf(many + used, sizeof many - used, "%s{'N':'%d'}", i ? "," : "", i);
    snprintf(many + used, sizeof many - used, "]}}}]}");
    refuse(w, many, STORE_ERR_VALIDATION, "price.in takes a list (L) of 1 to 100 values");
    /* the limit on conditions */
    char buf[8192];
    size_t len = (size_t)snprintf(buf, sizeof buf, LIST ",'relation':[{'where':{");
    for (int i = 0; i <= ASSOC_MAX_RELATION_CONDITIONS; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s'a%d':{'S':'x'}", i ? "," : "", i);
    snprintf(buf + len, sizeof buf - len, "}}]}");
    refuse(w, buf, STORE_ERR_VALIDATION, "more than 100 conditions");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(association_where_is_equality, setup, teardown),
        cmocka_unit_test_setup_teardown(comparisons, setup, teardown),
        cmocka_unit_test_setup_teardown(not_and_or_steps, setup, teardown),
        cmocka_unit_test_setup_teardown(exists_takes_a_relation, setup, teardown),
        cmocka_unit_test_setup_teardown(a_relation_inside_a_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(malformed_chains_are_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
