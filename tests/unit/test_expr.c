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

/* ---------------------------------------------------------------- key conditions */

typedef struct key_case {
    const char *text;
    const char *values;
    bool with_sort_key;
    store_type sk_type;
} key_case;

static bool key_parse(const key_case *k, store_key_condition *out, char *message)
{
    fixture *f = fx_new("{\"#p\":\"pk\",\"#s\":\"sk\",\"#o\":\"other\"}", k->values);
    store_value *pk = store_name("pk", 2), *sk = store_name("sk", 2);
    bool ok = store_key_condition_parse(k->text, &f->env, pk, STORE_S, k->with_sort_key ? sk : NULL,
                                        k->sk_type, out, &f->err);
    strcpy(message, f->err.message);
    if (!ok) assert_int_equal(f->err.status, STORE_ERR_VALIDATION);
    fx_free(f);
    return ok;
}

static const char *key_error(const char *text, const char *values, bool with_sort_key, store_type sk_type)
{
    static char message[STORE_ERROR_MESSAGE_MAX];
    key_case k = {text, values, with_sort_key, sk_type};
    store_key_condition kc;
    if (key_parse(&k, &kc, message)) fail_msg("%s was accepted", text);
    return message;
}

static const char *kv = "{\":p\":{\"S\":\"a\"},\":s\":{\"N\":\"5\"},\":t\":{\"N\":\"9\"},\":str\":{\"S\":\"x\"},"
                        "\":num\":{\"N\":\"1\"},\":empty\":{\"S\":\"\"}}";

static void key_ok(const char *text, store_key_op op, const char *lo, const char *hi)
{
    key_case k = {text, kv, true, STORE_N};
    store_key_condition kc;
    char message[STORE_ERROR_MESSAGE_MAX];
    if (!key_parse(&k, &kc, message)) fail_msg("%s: %s", text, message);
    assert_int_equal(kc.pk->type, STORE_S);
    assert_memory_equal(store_bytes(kc.pk), "a", 1);
    assert_int_equal(kc.sk_op, op);
    if (lo) assert_memory_equal(store_bytes(kc.sk_lo), lo, strlen(lo)); else assert_null(kc.sk_lo);
    if (hi) assert_memory_equal(store_bytes(kc.sk_hi), hi, strlen(hi)); else assert_null(kc.sk_hi);
    store_key_condition_clear(&kc);
}

static void test_key_condition_shapes(void **state)
{
    (void)state;
    key_ok("pk = :p", STORE_KEY_NONE, NULL, NULL);
    key_ok("#p = :p", STORE_KEY_NONE, NULL, NULL);
    key_ok(":p = pk", STORE_KEY_NONE, NULL, NULL);
    key_ok("pk = :p AND sk = :s", STORE_KEY_EQ, "5", NULL);
    key_ok("sk < :s AND pk = :p", STORE_KEY_LT, "5", NULL);
    key_ok("pk = :p and sk <= :s", STORE_KEY_LE, "5", NULL);
    key_ok("pk = :p AND sk > :s", STORE_KEY_GT, "5", NULL);
    key_ok("pk = :p AND #s >= :s", STORE_KEY_GE, "5", NULL);
    key_ok("pk = :p AND :s < sk", STORE_KEY_GT, "5", NULL);
    key_ok("pk = :p AND :s >= sk", STORE_KEY_LE, "5", NULL);
    key_ok("pk = :p AND :s > sk", STORE_KEY_LT, "5", NULL);
    key_ok("pk = :p AND :s <= sk", STORE_KEY_GE, "5", NULL);
    key_ok("sk BETWEEN :s AND :t AND pk = :p", STORE_KEY_BETWEEN, "5", "9");
    key_ok("(pk = :p) AND (sk BETWEEN :s AND :t)", STORE_KEY_BETWEEN, "5", "9");
    key_case k = {"pk = :p AND begins_with(sk, :str)", kv, true, STORE_S};
    store_key_condition kc;
    char message[STORE_ERROR_MESSAGE_MAX];
    assert_true(key_parse(&k, &kc, message));
    assert_int_equal(kc.sk_op, STORE_KEY_BEGINS_WITH);
    store_key_condition_clear(&kc);
}

static void test_key_condition_errors(void **state)
{
    (void)state;
    assert_string_equal(key_error("sk = :s", kv, true, STORE_N), "Query condition missed key schema element: pk");
    assert_string_equal(key_error("pk = :p AND #o = :s", kv, true, STORE_N),
                        "Query condition missed key schema element: sk");
    assert_string_equal(key_error("pk = :p AND sk = :s", kv, false, STORE_N), "Query key condition not supported");
    assert_string_equal(key_error("pk > :p", kv, true, STORE_N), "Query key condition not supported");
    assert_string_equal(key_error("begins_with(pk, :p)", kv, true, STORE_N), "Query key condition not supported");
    assert_string_equal(key_error("pk = :num", kv, true, STORE_N),
                        "One or more parameter values were invalid: Condition parameter type does not match schema type");
    assert_string_equal(key_error("pk = :p AND sk = :str", kv, true, STORE_N),
                        "One or more parameter values were invalid: Condition parameter type does not match schema type");
    assert_string_equal(key_error("pk = :p AND begins_with(sk, :str)", kv, true, STORE_N),
                        "One or more parameter values were invalid: Condition parameter type does not match schema type");
    assert_string_equal(key_error("pk = :p AND begins_with(sk, :num)", kv, true, STORE_N),
                        "Invalid KeyConditionExpression: Incorrect operand type for operator or function; "
                        "operator or function: begins_with, operand type: N");
    assert_string_equal(key_error("pk = :empty", kv, true, STORE_N),
                        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
                        "contain an empty string value. Key: pk");
    assert_string_equal(key_error("pk = :p OR sk = :s", kv, true, STORE_N),
                        "Invalid operator used in KeyConditionExpression: OR");
    assert_string_equal(key_error("NOT pk = :p", kv, true, STORE_N),
                        "Invalid operator used in KeyConditionExpression: NOT");
    assert_string_equal(key_error("pk IN (:p)", kv, true, STORE_N),
                        "Invalid operator used in KeyConditionExpression: IN");
    assert_string_equal(key_error("pk <> :p", kv, true, STORE_N),
                        "Invalid operator used in KeyConditionExpression: <>");
    assert_string_equal(key_error("pk = :p AND attribute_exists(sk)", kv, true, STORE_N),
                        "Invalid operator used in KeyConditionExpression: attribute_exists");
    assert_string_equal(key_error("pk = :p AND contains(sk, :s)", kv, true, STORE_N),
                        "Invalid operator used in KeyConditionExpression: contains");
    assert_string_equal(key_error("pk = :p AND size(sk) > :s", kv, true, STORE_N),
                        "KeyConditionExpressions cannot contain nested operations");
    assert_string_equal(key_error("pk = :p AND :s BETWEEN sk AND :t", kv, true, STORE_N),
                        "Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute "
                        "as its first operand");
    assert_string_equal(key_error("pk = :p AND begins_with(:str, sk)", kv, true, STORE_S),
                        "Invalid condition in KeyConditionExpression: begins_with operator must have the key "
                        "attribute as its first operand");
    assert_string_equal(key_error("pk = sk", kv, true, STORE_N),
                        "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
    assert_string_equal(key_error("pk.x = :p", kv, true, STORE_N),
                        "KeyConditionExpressions cannot have conditions on nested attributes");
    assert_string_equal(key_error("pk[0] = :p", kv, true, STORE_N),
                        "KeyConditionExpressions cannot have conditions on nested attributes");
    assert_string_equal(key_error(":p = :s", kv, true, STORE_N),
                        "Invalid condition in KeyConditionExpression: No key attribute specified");
    assert_string_equal(key_error("pk = :p AND pk = :p", kv, true, STORE_N),
                        "KeyConditionExpressions must only contain one condition per key");
    assert_string_equal(key_error("pk = :p AND sk = :s AND #o = :s", kv, true, STORE_N),
                        "Conditions can be of length 1 or 2 only");
    assert_string_equal(key_error("pk = :nope", kv, true, STORE_N),
                        "Invalid KeyConditionExpression: An expression attribute value used in expression is not "
                        "defined; attribute value: :nope");
    assert_string_equal(key_error("pk = :p AND", kv, true, STORE_N),
                        "Invalid KeyConditionExpression: Syntax error; token: \"<EOF>\", near: \"AND\"");
    assert_string_equal(key_error("", kv, true, STORE_N), "Invalid KeyConditionExpression: The expression can not be empty;");
}

static void test_key_condition_marks_placeholders(void **state)
{
    (void)state;
    fixture *f = fx_new("{\"#p\":\"pk\",\"#q\":\"q\"}", "{\":a\":{\"S\":\"a\"},\":b\":{\"S\":\"b\"}}");
    store_key_condition kc;
    assert_true(store_key_condition_parse("#p = :b", &f->env, store_name("pk", 2), STORE_S, NULL, STORE_S, &kc,
                                          &f->err));
    assert_true(f->names_used[0]);
    assert_false(f->names_used[1]);
    assert_false(f->values_used[0]);
    assert_true(f->values_used[1]);
    store_key_condition_clear(&kc);
    fx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_projection_paths),
        cmocka_unit_test(test_projection_missing_paths),
        cmocka_unit_test(test_projection_marks_names_used),
        cmocka_unit_test(test_projection_errors),
        cmocka_unit_test(test_projection_size_limit),
        cmocka_unit_test(test_key_condition_shapes),
        cmocka_unit_test(test_key_condition_errors),
        cmocka_unit_test(test_key_condition_marks_placeholders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
