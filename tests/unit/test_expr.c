/* tests/unit/test_expr.c — the expression language: projections, key
 * conditions, conditions and updates, with DynamoDB's messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "store/codec.h"
#include "store/expr.h"

/* ---------------------------------------------------------------- helpers */

/* Placeholders for one test: names and values given as JSON objects. */
typedef struct fixture {
    store_value *names, *values;
    bool names_used[64], values_used[64];
    store_expr_env env;
    store_error err;
} fixture;

static store_value *item_of(const char *json)
{
    cJSON *j = cJSON_Parse(json);
    assert_non_null(j);
    store_error err = {0};
    store_value *v = store_decode_item(j, &err);
    cJSON_Delete(j);
    if (!v) fail_msg("bad test item %s: %s", json, err.message);
    return v;
}

static store_value *names_of(const char *json)
{
    cJSON *j = cJSON_Parse(json), *m;
    assert_non_null(j);
    store_entry e[64];
    size_t n = 0;
    cJSON_ArrayForEach(m, j) {
        e[n].name = store_name(m->string, strlen(m->string));
        e[n++].value = store_value_bytes(STORE_S, m->valuestring, strlen(m->valuestring));
    }
    cJSON_Delete(j);
    return store_value_map(e, n);
}

static fixture *fx_new(const char *names, const char *values)
{
    fixture *f = calloc(1, sizeof *f);
    f->names = names ? names_of(names) : NULL;
    f->values = values ? item_of(values) : NULL;
    f->env.names = f->names;
    f->env.values = f->values;
    f->env.names_used = f->names_used;
    f->env.values_used = f->values_used;
    return f;
}

static void fx_free(fixture *f)
{
    store_release(f->names);
    store_release(f->values);
    free(f);
}

static char *json_of(const store_value *item)
{
    cJSON *j = store_encode_item(item);
    char *s = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    return s;
}

static void assert_item(const store_value *item, const char *expected)
{
    assert_non_null(item);
    store_value *want = item_of(expected);
    char *got = json_of(item), *exp = json_of(want);
    assert_string_equal(got, exp);
    free(got);
    free(exp);
    store_release(want);
}

/* ---------------------------------------------------------------- projection */

static const char *projection_error(const char *text, const char *names)
{
    static char message[STORE_ERROR_MESSAGE_MAX];
    fixture *f = fx_new(names, NULL);
    store_projection *p = store_projection_parse(text, &f->env, &f->err);
    assert_null(p);
    assert_int_equal(f->err.status, STORE_ERR_VALIDATION);
    strcpy(message, f->err.message);
    fx_free(f);
    return message;
}

static void project_check(const char *text, const char *names, const char *item_json, const char *expected)
{
    fixture *f = fx_new(names, NULL);
    store_projection *p = store_projection_parse(text, &f->env, &f->err);
    if (!p) fail_msg("%s: %s", text, f->err.message);
    store_value *item = item_of(item_json);
    store_value *got = store_projection_apply(p, item);
    assert_item(got, expected);
    store_release(got);
    store_release(item);
    store_projection_free(p);
    fx_free(f);
}

static const char *sample_item =
    "{\"pk\":{\"S\":\"k\"},\"name\":{\"S\":\"Ada\"},"
    "\"c\":{\"M\":{\"d\":{\"N\":\"1\"},\"e\":{\"S\":\"x\"},\"f\":{\"M\":{\"g\":{\"BOOL\":true}}}}},"
    "\"l\":{\"L\":[{\"S\":\"l0\"},{\"M\":{\"x\":{\"N\":\"1\"},\"y\":{\"N\":\"2\"}}},{\"S\":\"l2\"}]},"
    "\"extra\":{\"S\":\"x\"}}";

static void test_projection_paths(void **state)
{
    (void)state;
    project_check("#n, c.d, l[2]", "{\"#n\":\"name\"}", sample_item,
                  "{\"name\":{\"S\":\"Ada\"},\"c\":{\"M\":{\"d\":{\"N\":\"1\"}}},\"l\":{\"L\":[{\"S\":\"l2\"}]}}");
    project_check("l[2], l[0]", NULL, sample_item, "{\"l\":{\"L\":[{\"S\":\"l0\"},{\"S\":\"l2\"}]}}");
    project_check("l[1].y, c.f.g", NULL, sample_item,
                  "{\"l\":{\"L\":[{\"M\":{\"y\":{\"N\":\"2\"}}}]},\"c\":{\"M\":{\"f\":{\"M\":{\"g\":{\"BOOL\":true}}}}}}");
    project_check(" extra ,pk ", NULL, sample_item, "{\"pk\":{\"S\":\"k\"},\"extra\":{\"S\":\"x\"}}");
    project_check("c . e", NULL, sample_item, "{\"c\":{\"M\":{\"e\":{\"S\":\"x\"}}}}");
}

static void test_projection_missing_paths(void **state)
{
    (void)state;
    project_check("nothing, extra", NULL, sample_item, "{\"extra\":{\"S\":\"x\"}}");
    project_check("nothing", NULL, sample_item, "{}");
    project_check("l[7], c.zz, extra[0]", NULL, sample_item, "{}");
    project_check("extra.x, l.x, c[0]", NULL, sample_item, "{}");
}

static void test_projection_marks_names_used(void **state)
{
    (void)state;
    fixture *f = fx_new("{\"#a\":\"extra\",\"#b\":\"unused\",\"#c\":\"c\"}", NULL);
    store_projection *p = store_projection_parse("#a, #c.d", &f->env, &f->err);
    assert_non_null(p);
    /* Entries are sorted by name: #a, #b, #c. */
    assert_true(f->names_used[0]);
    assert_false(f->names_used[1]);
    assert_true(f->names_used[2]);
    store_projection_free(p);
    fx_free(f);
}

static void test_projection_errors(void **state)
{
    (void)state;
    assert_string_equal(projection_error("a,", NULL),
                        "Invalid ProjectionExpression: Syntax error; token: \"<EOF>\", near: \",\"");
    assert_string_equal(projection_error("a b", NULL),
                        "Invalid ProjectionExpression: Syntax error; token: \"b\", near: \"a b\"");
    assert_string_equal(projection_error("a[x]", NULL),
                        "Invalid ProjectionExpression: Syntax error; token: \"x\", near: \"[x\"");
    assert_string_equal(projection_error("a[99999999999]", NULL),
                        "Invalid ProjectionExpression: Syntax error; token: \"99999999999\", near: \"[99999999999\"");
    assert_string_equal(projection_error("a.", NULL),
                        "Invalid ProjectionExpression: Syntax error; token: \"<EOF>\", near: \".\"");
    assert_string_equal(projection_error("a!", NULL),
                        "Invalid ProjectionExpression: Syntax error; token: \"!\", near: \"a!\"");
    assert_string_equal(projection_error("", NULL), "Invalid ProjectionExpression: The expression can not be empty;");
    assert_string_equal(projection_error("a, a.b", NULL),
                        "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or "
                        "rewrite one of these paths; path one: [a], path two: [a, b]");
    assert_string_equal(projection_error("a[1].b, a[1]", NULL),
                        "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or "
                        "rewrite one of these paths; path one: [a, [1], b], path two: [a, [1]]");
    assert_string_equal(projection_error("a.b, a[0]", NULL),
                        "Invalid ProjectionExpression: Two document paths conflict with each other; must remove or "
                        "rewrite one of these paths; path one: [a, b], path two: [a, [0]]");
    assert_string_equal(projection_error("#x", "{\"#y\":\"y\"}"),
                        "Invalid ProjectionExpression: An expression attribute name used in the document path is not "
                        "defined; attribute name: #x");
    assert_string_equal(projection_error("#x", NULL),
                        "Invalid ProjectionExpression: An expression attribute name used in the document path is not "
                        "defined; attribute name: #x");
    assert_string_equal(projection_error("name", NULL),
                        "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name");
    assert_string_equal(projection_error("a.Zone", NULL),
                        "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: Zone");
    /* A reserved word is reported before an undefined name or an overlap. */
    assert_string_equal(projection_error("#x, a, a, abort", NULL),
                        "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: abort");
}

static void test_projection_size_limit(void **state)
{
    (void)state;
    char text[STORE_EXPR_MAX_LEN + 2];
    memset(text, 'a', sizeof text - 1);
    text[sizeof text - 1] = 0;
    assert_string_equal(projection_error(text, NULL),
                        "Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size; "
                        "expression size: 4097");
    text[STORE_EXPR_MAX_LEN] = 0; /* exactly the limit is fine */
    project_check(text, NULL, "{\"a\":{\"S\":\"x\"}}", "{}");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_projection_paths),
        cmocka_unit_test(test_projection_missing_paths),
        cmocka_unit_test(test_projection_marks_names_used),
        cmocka_unit_test(test_projection_errors),
        cmocka_unit_test(test_projection_size_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
