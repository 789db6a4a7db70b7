/* tests/unit/test_expr.c — the expression language: projections, key
 * conditions, conditions and updates, with DynamoDB's messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/codec.h"
#include "store/decimal.h"
#include "store/expr.h"
#include "store/table.h"
#include "tests/unit/support.h"

/* ---------------------------------------------------------------- helpers */

/* Placeholders for one test: names and values given as JSON objects. */
typedef struct fixture {
    store_value *names, *values;
    bool names_used[64], values_used[64];
    store_expr_env env;
    store_error err;
} fixture;

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
    assert_string_equal(projection_error("a, ", NULL),
                        "Invalid ProjectionExpression: Syntax error; token: \"<EOF>\", near: \", \"");
    assert_string_equal(projection_error("x, a b c, d", NULL),
                        "Invalid ProjectionExpression: Syntax error; token: \"b\", near: \"a b c\"");
    assert_string_equal(projection_error("a b", NULL),
                        "Invalid ProjectionExpression: Syntax error; token: \"b\", near: \"a b\"");
    assert_string_equal(projection_error("a[x]", NULL),
                        "Invalid ProjectionExpression: Syntax error; token: \"x\", near: \"[x]\"");
    assert_string_equal(projection_error("a[99999999999]", NULL),
                        "Invalid ProjectionExpression: Syntax error; token: \"99999999999\", near: \"[99999999999]\"");
    assert_string_equal(projection_error("a.", NULL),
                        "Invalid ProjectionExpression: Syntax error; token: \"<EOF>\", near: \".\"");
    assert_string_equal(projection_error("caf\xc3\xa9", NULL),
                        "Invalid ProjectionExpression: Syntax error; token: \"\xc3\xa9\", near: \"caf\xc3\xa9\"");
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
    assert_string_equal(key_error("pk = :p AND sk = :s AND #o = :s AND c1 = :s AND c2 = :s AND c3 = :s AND c4 = :s "
                                  "AND c5 = :s AND c6 = :s", kv, true, STORE_N),
                        "Conditions can be of length 1 or 2 only");
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

/* A GSI key of partition (t S, r S) and sort (n N, b S). */
static store_key_schema multi_key(void)
{
    store_key_schema k;
    memset(&k, 0, sizeof k);
    store_key_append(&k, store_name("t", 1), STORE_S, true);
    store_key_append(&k, store_name("r", 1), STORE_S, true);
    store_key_append(&k, store_name("n", 1), STORE_N, false);
    store_key_append(&k, store_name("b", 1), STORE_S, false);
    return k;
}

static const char *mkv = "{\":t\":{\"S\":\"x\"},\":r\":{\"S\":\"eu\"},\":n\":{\"N\":\"2\"},\":b\":{\"S\":\"a\"},"
                         "\":z\":{\"S\":\"z\"}}";

/* NULL when accepted (kc filled), else the message. */
static const char *multi_parse(const char *text, store_key_condition *kc)
{
    static char message[STORE_ERROR_MESSAGE_MAX];
    fixture *f = fx_new(NULL, mkv);
    store_key_schema k = multi_key();
    bool ok = store_key_condition_parse_schema(text, &f->env, &k, kc, &f->err);
    strcpy(message, f->err.message);
    store_key_release(&k);
    fx_free(f);
    return ok ? NULL : message;
}

static const char *multi_error(const char *text)
{
    store_key_condition kc;
    const char *message = multi_parse(text, &kc);
    if (!message) fail_msg("%s was accepted", text);
    return message;
}

static void test_key_condition_multi_attribute(void **state)
{
    (void)state;
    store_key_condition kc;
    assert_null(multi_parse("r = :r AND t = :t", &kc));
    assert_memory_equal(store_bytes(kc.pk), "x", 1);
    assert_memory_equal(store_bytes(kc.pk_more[0]), "eu", 2);
    assert_int_equal(kc.sk_op, STORE_KEY_NONE);
    store_key_condition_clear(&kc);
    /* Equalities on the leading sort attributes; the last condition is the range. */
    assert_null(multi_parse("t = :t AND r = :r AND b > :b AND n = :n", &kc));
    assert_int_equal(kc.n_sk_eq, 1);
    assert_memory_equal(store_bytes(kc.sk_eq[0]), "2", 1);
    assert_int_equal(kc.sk_op, STORE_KEY_GT);
    assert_memory_equal(store_bytes(kc.sk_lo), "a", 1);
    store_key_condition_clear(&kc);
    assert_string_equal(multi_error("t = :t"), "HASH key attributes r must have equality conditions specified in the query");
    assert_string_equal(multi_error("t = :t AND r > :r"),
                        "HASH key attributes r must have equality conditions specified in the query");
    assert_string_equal(multi_error("n = :n"),
                        "HASH key attributes t, r must have equality conditions specified in the query");
    assert_string_equal(multi_error("t = :t AND r = :r AND b = :b"),
                        "RANGE key attributes n must have equality conditions specified in the query because a "
                        "condition is present on key attribute b");
    assert_string_equal(multi_error("t = :t AND r = :r AND n > :n AND b = :b"),
                        "RANGE key attributes n must have equality conditions specified in the query because a "
                        "condition is present on key attribute b");
    assert_string_equal(multi_error("t = :t AND r = :r AND z = :z"), "Query condition missed key schema element: n");
    assert_string_equal(multi_error("t = :t AND r = :r AND n = :b"),
                        "One or more parameter values were invalid: Condition parameter type does not match schema type");
    assert_string_equal(multi_error("t = :t AND r = :r AND n = :n AND b = :b AND z = :z"),
                        "Query key condition not supported");
}

/* ---------------------------------------------------------------- conditions */

static const char *cond_names = "{\"#n\":\"name\",\"#a\":\"a\"}";
static const char *cond_values =
    "{\":s\":{\"S\":\"x\"},\":t\":{\"S\":\"y\"},\":n\":{\"N\":\"5\"},\":n2\":{\"N\":\"10\"},\":three\":{\"N\":\"3\"},"
    "\":two\":{\"N\":\"2\"},\":pre\":{\"S\":\"he\"},\":b\":{\"B\":\"AQI=\"},\":b1\":{\"B\":\"AQ==\"},"
    "\":S\":{\"S\":\"S\"},\":SS\":{\"S\":\"SS\"},\":bad\":{\"S\":\"XX\"},\":null\":{\"NULL\":true},"
    "\":list\":{\"L\":[{\"S\":\"x\"}]},\":map\":{\"M\":{\"k\":{\"S\":\"x\"}}},\":true\":{\"BOOL\":true}}";
static const char *cond_item =
    "{\"a\":{\"S\":\"x\"},\"h\":{\"S\":\"hello\"},\"n\":{\"N\":\"7\"},\"name\":{\"S\":\"Ada\"},"
    "\"b\":{\"B\":\"AQID\"},\"ss\":{\"SS\":[\"x\",\"z\"]},\"ns\":{\"NS\":[\"1\",\"5\"]},"
    "\"l\":{\"L\":[{\"S\":\"x\"},{\"N\":\"2\"},{\"M\":{\"k\":{\"S\":\"x\"}}}]},"
    "\"m\":{\"M\":{\"x\":{\"L\":[{\"N\":\"1\"},{\"N\":\"5\"}]},\"y\":{\"NULL\":true}}},\"t\":{\"BOOL\":true}}";

static int cond_eval_on(const char *text, const char *item_json)
{
    fixture *f = fx_new(cond_names, cond_values);
    store_condition *c = store_condition_parse(text, &f->env, &f->err);
    if (!c) fail_msg("%s: %s", text, f->err.message);
    store_value *item = item_json ? item_of(item_json) : NULL;
    int r = store_condition_eval(c, item, &f->err);
    store_release(item);
    store_condition_free(c);
    fx_free(f);
    return r;
}

static int cond_eval(const char *text) { return cond_eval_on(text, cond_item); }

static const char *cond_error(const char *text)
{
    static char message[STORE_ERROR_MESSAGE_MAX];
    fixture *f = fx_new(cond_names, cond_values);
    store_condition *c = store_condition_parse(text, &f->env, &f->err);
    if (c) fail_msg("%s was accepted", text);
    assert_int_equal(f->err.status, STORE_ERR_VALIDATION);
    strcpy(message, f->err.message);
    fx_free(f);
    return message;
}

static void test_condition_comparisons(void **state)
{
    (void)state;
    assert_int_equal(cond_eval("a = :s"), 1);
    assert_int_equal(cond_eval("#a = :s"), 1);
    assert_int_equal(cond_eval(":s = a"), 1);
    assert_int_equal(cond_eval("a = :t"), 0);
    assert_int_equal(cond_eval("a <> :t"), 1);
    assert_int_equal(cond_eval("a <> :s"), 0);
    assert_int_equal(cond_eval("zz = :s"), 0);
    assert_int_equal(cond_eval("zz <> :s"), 1);
    assert_int_equal(cond_eval("n > :n"), 1);
    assert_int_equal(cond_eval("n >= :n2"), 0);
    assert_int_equal(cond_eval("n < :n2"), 1);
    assert_int_equal(cond_eval("n <= :n"), 0);
    assert_int_equal(cond_eval("a < :t"), 1);
    /* Different types compare false, whatever the operator. */
    assert_int_equal(cond_eval("a < :n"), 0);
    assert_int_equal(cond_eval("a >= :n"), 0);
    assert_int_equal(cond_eval("a = :n"), 0);
    assert_int_equal(cond_eval("a <> :n"), 1);
    assert_int_equal(cond_eval("zz < :n"), 0);
    assert_int_equal(cond_eval("t < :true"), 0);
    assert_int_equal(cond_eval("b > :b"), 1);
    assert_int_equal(cond_eval("m.x[1] = :n"), 1);
    assert_int_equal(cond_eval("m.x[2] = :n"), 0);
    assert_int_equal(cond_eval("l[2] = :map"), 1);
    assert_int_equal(cond_eval("l[2].k = a"), 1);
    assert_int_equal(cond_eval("m.y = :null"), 1);
    assert_int_equal(cond_eval("(a) = (:s)"), 1);
    /* In a condition a path in parentheses may go on. */
    assert_int_equal(cond_eval("(m.x)[1] = :n"), 1);
    assert_int_equal(cond_eval("(m).x[1] = :n"), 1);
    assert_int_equal(cond_eval("(l[2]).k = :s"), 1);
}

static void test_condition_between_and_in(void **state)
{
    (void)state;
    assert_int_equal(cond_eval("n BETWEEN :n AND :n2"), 1);
    assert_int_equal(cond_eval("n BETWEEN :two AND :n"), 0);
    assert_int_equal(cond_eval("n between :two and n"), 1);
    assert_int_equal(cond_eval("n BETWEEN n AND :two"), 0); /* bounds reversed at run time: false */
    assert_int_equal(cond_eval("a BETWEEN :n AND :n2"), 0);
    assert_int_equal(cond_eval("zz BETWEEN :n AND :n2"), 0);
    assert_int_equal(cond_eval("a IN (:t, :s)"), 1);
    assert_int_equal(cond_eval("a in (:t)"), 0);
    assert_int_equal(cond_eval("zz IN (:t, :s)"), 0);
    assert_int_equal(cond_eval("a IN (zz, a)"), 1);
    assert_int_equal(cond_eval("l[2] IN (:list, :map)"), 1);
}

static void test_condition_functions(void **state)
{
    (void)state;
    assert_int_equal(cond_eval("attribute_exists(a)"), 1);
    assert_int_equal(cond_eval("attribute_exists(m.x[1])"), 1);
    assert_int_equal(cond_eval("attribute_exists(zz)"), 0);
    assert_int_equal(cond_eval("attribute_not_exists(zz)"), 1);
    assert_int_equal(cond_eval("attribute_not_exists(#n)"), 0);
    assert_int_equal(cond_eval("attribute_type(a, :S)"), 1);
    assert_int_equal(cond_eval("attribute_type(ss, :SS)"), 1);
    assert_int_equal(cond_eval("attribute_type(ss, :S)"), 0);
    assert_int_equal(cond_eval("attribute_type(zz, :S)"), 0);
    assert_int_equal(cond_eval("begins_with(h, :pre)"), 1);
    assert_int_equal(cond_eval("begins_with(a, :pre)"), 0);
    assert_int_equal(cond_eval("begins_with(b, :b)"), 1);
    assert_int_equal(cond_eval("begins_with(b, :pre)"), 0);
    assert_int_equal(cond_eval("begins_with(n, :pre)"), 0);
    assert_int_equal(cond_eval("begins_with(zz, :pre)"), 0);
    assert_int_equal(cond_eval("contains(h, :pre)"), 1);
    assert_int_equal(cond_eval("contains(h, :t)"), 0);
    assert_int_equal(cond_eval("contains(b, :b1)"), 1);
    assert_int_equal(cond_eval("contains(ss, :s)"), 1);
    assert_int_equal(cond_eval("contains(ss, :t)"), 0);
    assert_int_equal(cond_eval("contains(ns, :n)"), 1);
    assert_int_equal(cond_eval("contains(ns, :s)"), 0);
    assert_int_equal(cond_eval("contains(l, :s)"), 1);
    assert_int_equal(cond_eval("contains(l, :map)"), 1);
    assert_int_equal(cond_eval("contains(l, :t)"), 0);
    assert_int_equal(cond_eval("contains(n, :n)"), 0);
    assert_int_equal(cond_eval("contains(zz, :s)"), 0);
    assert_int_equal(cond_eval("size(h) = :n"), 1);
    assert_int_equal(cond_eval("size(b) = :three"), 1);
    assert_int_equal(cond_eval("size(ss) = :two"), 1);
    assert_int_equal(cond_eval("size(l) = :three"), 1);
    assert_int_equal(cond_eval("size(m) = :two"), 1);
    assert_int_equal(cond_eval("size(m.x) < size(l)"), 1);
    assert_int_equal(cond_eval("size(n) = :n"), 0);
    assert_int_equal(cond_eval("size(zz) <> :n"), 1);
    assert_int_equal(cond_eval("size(zz) = :n"), 0);
}

static void test_condition_logic_and_precedence(void **state)
{
    (void)state;
    assert_int_equal(cond_eval("a = :s AND n = :n"), 0);
    assert_int_equal(cond_eval("a = :s OR n = :n"), 1);
    /* AND binds tighter than OR. */
    assert_int_equal(cond_eval("a = :s OR n = :n AND a = :t"), 1);
    assert_int_equal(cond_eval("(a = :s OR n = :n) AND a = :t"), 0);
    /* NOT binds tighter than AND. */
    assert_int_equal(cond_eval("NOT a = :t AND a = :s"), 1);
    assert_int_equal(cond_eval("NOT (a = :s AND a = :t)"), 1);
    assert_int_equal(cond_eval("not not a = :s"), 1);
    assert_int_equal(cond_eval("NOT attribute_exists(zz) and (n > :n or a = :t)"), 1);
    /* No item: every path is absent. */
    assert_int_equal(cond_eval_on("attribute_not_exists(a)", NULL), 1);
    assert_int_equal(cond_eval_on("a = :s", NULL), 0);
    assert_int_equal(cond_eval_on("size(a) <> :s", NULL), 1);
}

static void test_condition_syntax_errors(void **state)
{
    (void)state;
    assert_string_equal(cond_error("a"), "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"a\"");
    assert_string_equal(cond_error("a == :s"), "Invalid ConditionExpression: Syntax error; token: \"=\", near: \"== :s\"");
    assert_string_equal(cond_error("a = :s AND"),
                        "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"AND\"");
    assert_string_equal(cond_error("a = :s)"), "Invalid ConditionExpression: Syntax error; token: \")\", near: \":s)\"");
    assert_string_equal(cond_error("(a) AND a = :s"),
                        "Invalid ConditionExpression: Syntax error; token: \"AND\", near: \") AND a\"");
    assert_string_equal(cond_error("NOT (a)"), "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \")\"");
    assert_string_equal(cond_error("a BETWEEN :s :t"),
                        "Invalid ConditionExpression: Syntax error; token: \":t\", near: \":s :t\"");
    assert_string_equal(cond_error("a IN :s"), "Invalid ConditionExpression: Syntax error; token: \":s\", near: \"IN :s\"");
    assert_string_equal(cond_error("a = AND"), "Invalid ConditionExpression: Syntax error; token: \"AND\", near: \"= AND\"");
    assert_string_equal(cond_error("contains(a, :s"),
                        "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \":s\"");
    assert_string_equal(cond_error("a = :s OR"), "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"OR\"");
    assert_string_equal(cond_error("size(a).b > :n"), "Invalid ConditionExpression: Syntax error; token: \".\", near: \").b\"");
    assert_string_equal(cond_error("(size(a))[0] > :n"), "Invalid ConditionExpression: Syntax error; token: \"[\", near: \")[0\"");
    assert_string_equal(cond_error("(a.b)c = :s"), "Invalid ConditionExpression: Syntax error; token: \"c\", near: \")c =\"");
    assert_string_equal(cond_error("(a.b).:s = :s"), "Invalid ConditionExpression: Syntax error; token: \":s\", near: \".:s =\"");
    assert_string_equal(cond_error("a = :s ="), "Invalid ConditionExpression: Syntax error; token: \"=\", near: \":s =\"");
    char deep[800] = "";
    for (int i = 0; i < 400; i++) strcat(deep, "(");
    strcat(deep, "a = :s");
    assert_string_equal(cond_error(deep), "Invalid ConditionExpression: Syntax error; token: \"(\", near: \"(((\"");
    char calls[1200] = "size(";
    for (int i = 0; i < 400; i++) strcat(calls, "(");
    strcat(calls, "a");
    assert_string_equal(cond_error(calls), "Invalid ConditionExpression: Syntax error; token: \"(\", near: \"(((\"");
}

static void test_condition_semantic_errors(void **state)
{
    (void)state;
    assert_string_equal(cond_error("a = :v"),
                        "Invalid ConditionExpression: An expression attribute value used in expression is not defined; "
                        "attribute value: :v");
    assert_string_equal(cond_error("#x = :s"),
                        "Invalid ConditionExpression: An expression attribute name used in the document path is not "
                        "defined; attribute name: #x");
    assert_string_equal(cond_error("name = :s"),
                        "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name");
    assert_string_equal(cond_error("((a = :s))"), "Invalid ConditionExpression: The expression has redundant parentheses;");
    assert_string_equal(cond_error("((a)) = :s"), "Invalid ConditionExpression: The expression has redundant parentheses;");
    assert_string_equal(cond_error("foo(a)"), "Invalid ConditionExpression: Invalid function name; function: foo");
    assert_string_equal(cond_error("if_not_exists(a, :s) = :s"),
                        "Invalid ConditionExpression: Invalid function name; function: if_not_exists");
    assert_string_equal(cond_error("attribute_exists(a, h)"),
                        "Invalid ConditionExpression: Incorrect number of operands for operator or function; "
                        "operator or function: attribute_exists, number of operands: 2");
    assert_string_equal(cond_error("contains(a)"),
                        "Invalid ConditionExpression: Incorrect number of operands for operator or function; "
                        "operator or function: contains, number of operands: 1");
    assert_string_equal(cond_error("size(a)"),
                        "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; "
                        "function: size");
    assert_string_equal(cond_error("attribute_exists(a) = :s"),
                        "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; "
                        "function: attribute_exists");
    assert_string_equal(cond_error("size(contains(a, :s)) > :n"),
                        "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; "
                        "function: contains");
    assert_string_equal(cond_error("a IN (:s, begins_with(a, :s))"),
                        "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; "
                        "function: begins_with");
    assert_string_equal(cond_error("a = a"),
                        "Invalid ConditionExpression: The first operand must be distinct from the remaining operands "
                        "for this operator or function; operator: =, first operand: [a]");
    assert_string_equal(cond_error("contains(m.x[1], m.x[1])"),
                        "Invalid ConditionExpression: The first operand must be distinct from the remaining operands "
                        "for this operator or function; operator: contains, first operand: [m, x, [1]]");
    assert_string_equal(cond_error("attribute_exists(:s)"),
                        "Invalid ConditionExpression: Operator or function requires a document path; operator or "
                        "function: attribute_exists");
    assert_string_equal(cond_error("begins_with(a, :n)"),
                        "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or "
                        "function: begins_with, operand type: N");
    assert_string_equal(cond_error("begins_with(size(a), :s)"),
                        "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or "
                        "function: begins_with, operand type: N");
    assert_string_equal(cond_error("attribute_type(a, :bad)"),
                        "Invalid ConditionExpression: Invalid attribute type name found; type: XX, valid types: "
                        "{B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
    assert_string_equal(cond_error("attribute_type(a, :n)"),
                        "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or "
                        "function: attribute_type, operand type: N");
    assert_string_equal(cond_error("attribute_type(a, h)"),
                        "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or "
                        "function: attribute_type, operand type: {NS,SS,L,BS,N,M,B,BOOL,NULL,S}");
    assert_string_equal(cond_error("size(:n) > :n"),
                        "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or "
                        "function: size, operand type: N");
    assert_string_equal(cond_error("a BETWEEN :n2 AND :n"),
                        "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or "
                        "equal to lower bound; lower bound operand: AttributeValue: {N:10}, upper bound operand: "
                        "AttributeValue: {N:5}");
    assert_string_equal(cond_error("a BETWEEN :s AND :n"),
                        "Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper "
                        "bounds; lower bound operand: AttributeValue: {S:x}, upper bound operand: AttributeValue: {N:5}");
    assert_string_equal(cond_error("a BETWEEN :list AND :map"),
                        "Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper "
                        "bounds; lower bound operand: AttributeValue: {L}, upper bound operand: AttributeValue: {M}");
    /* Each simple condition settles its own fault as it ends: the first one decides. */
    assert_string_equal(cond_error("attribute_type(a, size(a)) AND a = a"),
                        "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or "
                        "function: attribute_type, operand type: N");
    assert_string_equal(cond_error("a = a AND #zz = :s"),
                        "Invalid ConditionExpression: The first operand must be distinct from the remaining operands "
                        "for this operator or function; operator: =, first operand: [a]");
    assert_string_equal(cond_error("begins_with(:zz, #q, h)"),
                        "Invalid ConditionExpression: An expression attribute value used in expression is not defined; "
                        "attribute value: :zz");
    assert_string_equal(cond_error("attribute_not_exists(size(:n))"),
                        "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or "
                        "function: size, operand type: N");
    assert_string_equal(cond_error("a = a AND a > ((h))"), "Invalid ConditionExpression: The expression has redundant parentheses;");
    assert_string_equal(cond_error("(a)BETWEEN(((m.x)).y)AND(:s)"),
                        "Invalid ConditionExpression: The expression has redundant parentheses;");
    assert_string_equal(cond_error("a > whatever((:s), ((a)))"),
                        "Invalid ConditionExpression: The expression has redundant parentheses;");
    assert_string_equal(cond_error("a = :s AND ((a = :t AND a = :s))"),
                        "Invalid ConditionExpression: The expression has redundant parentheses;");
    /* Priority: parentheses before an unknown function before a reserved word... */
    assert_string_equal(cond_error("name = :s AND foo(a) AND ((a = :s))"),
                        "Invalid ConditionExpression: The expression has redundant parentheses;");
    assert_string_equal(cond_error("name = :s AND foo(a)"),
                        "Invalid ConditionExpression: Invalid function name; function: foo");
    assert_string_equal(cond_error("a = :zz AND name = :s"),
                        "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name");
}

static void test_condition_in_limit(void **state)
{
    (void)state;
    char text[2048] = "a IN (";
    for (int i = 0; i < 101; i++) strcat(text, i ? ", :s" : ":s");
    strcat(text, ")");
    assert_string_equal(cond_error(text),
                        "Invalid ConditionExpression: The IN operator is provided with too many operands; number of "
                        "operands: 101");
    strcpy(strrchr(text, ','), ")"); /* 100 is fine */
    assert_int_equal(cond_eval(text), 1);
}

/* "term OR term OR ..." of n terms. */
static void joined(char *out, const char *term, int n)
{
    out[0] = 0;
    for (int i = 0; i < n; i++) {
        if (i) strcat(out, " OR ");
        strcat(out, term);
    }
}

/* 300 operators and function calls are allowed; the 301st is refused with
 * the count DynamoDB stops at, whatever the expression goes on to hold. */
static void test_condition_operator_limit(void **state)
{
    (void)state;
    static char text[8192];
    joined(text, "a = :s", 150); /* 150 comparisons and 149 ORs */
    assert_int_equal(cond_eval(text), 1);
    joined(text, "a = :s", 151);
    assert_string_equal(cond_error(text), "Invalid ConditionExpression: The expression contains too many operators; "
                                          "operator count: 301");
    joined(text, "attribute_exists(a)", 151); /* a function call counts as one */
    assert_string_equal(cond_error(text), "Invalid ConditionExpression: The expression contains too many operators; "
                                          "operator count: 301");
    text[0] = 0;
    for (int i = 0; i < 299; i++) strcat(text, "NOT ");
    strcat(text, "a = :s");
    assert_int_equal(cond_eval(text), 0); /* an odd number of NOTs */
    memmove(text + 4, text, strlen(text) + 1);
    memcpy(text, "NOT ", 4);
    assert_string_equal(cond_error(text), "Invalid ConditionExpression: The expression contains too many operators; "
                                          "operator count: 301");
    joined(text, "a BETWEEN :s AND :t", 100); /* BETWEEN is one operator, its AND none */
    assert_int_equal(cond_eval(text), 1);
}

static void test_condition_labels_and_placeholders(void **state)
{
    (void)state;
    fixture *f = fx_new("{\"#a\":\"a\",\"#b\":\"b\"}", "{\":x\":{\"S\":\"x\"},\":y\":{\"S\":\"y\"}}");
    store_condition *c = store_condition_parse_as("FilterExpression", "#b = :y", &f->env, &f->err);
    assert_non_null(c);
    assert_false(f->names_used[0]);
    assert_true(f->names_used[1]);
    assert_false(f->values_used[0]);
    assert_true(f->values_used[1]);
    store_condition_free(c);
    assert_null(store_condition_parse_as("FilterExpression", "#b", &f->env, &f->err));
    assert_string_equal(f->err.message, "Invalid FilterExpression: Syntax error; token: \"<EOF>\", near: \"#b\"");
    fx_free(f);
    /* No placeholders given at all. */
    store_expr_env none = {0};
    store_error err = {0};
    assert_null(store_condition_parse("a = :x", &none, &err));
    assert_string_equal(err.message, "Invalid ConditionExpression: An expression attribute value used in expression "
                                     "is not defined; attribute value: :x");
}

/* ---------------------------------------------------------------- updates */

static const char *upd_names = "{\"#a\":\"a\",\"#n\":\"name\"}";
static const char *upd_values =
    "{\":v\":{\"S\":\"v\"},\":s\":{\"S\":\"s\"},\":one\":{\"N\":\"1\"},\":zero\":{\"N\":\"0\"},"
    "\":list\":{\"L\":[{\"S\":\"x\"}]},\":ssv\":{\"SS\":[\"x\",\"y\"]},\":nsv\":{\"NS\":[\"1\"]},"
    "\":big\":{\"N\":\"9.99E125\"},\":tenth\":{\"N\":\"0.1\"},\":fifth\":{\"N\":\"0.2\"},"
    "\":max38\":{\"N\":\"99999999999999999999999999999999999999\"},\":tiny\":{\"N\":\"1E-130\"},"
    "\":third\":{\"N\":\"1E-2\"},\":m\":{\"M\":{\"k\":{\"S\":\"v\"}}},\":null\":{\"NULL\":true},"
    "\":true\":{\"BOOL\":true},\":b\":{\"B\":\"AQ==\"}}";
static const char *upd_item =
    "{\"pk\":{\"S\":\"k\"},\"a\":{\"S\":\"x\"},\"b\":{\"S\":\"y\"},\"n\":{\"N\":\"7\"},"
    "\"ss\":{\"SS\":[\"x\",\"z\"]},\"l\":{\"L\":[{\"N\":\"0\"},{\"N\":\"1\"},{\"N\":\"2\"},{\"N\":\"3\"}]},"
    "\"m\":{\"M\":{\"x\":{\"N\":\"1\"},\"deep\":{\"M\":{\"y\":{\"L\":[{\"S\":\"q\"}]}}}}}}";

static store_update *upd_parse(fixture *f, const char *text)
{
    store_update *u = store_update_parse(text, &f->env, &f->err);
    if (!u) fail_msg("%s: %s", text, f->err.message);
    return u;
}

/* Applies text to item_json (NULL: no item) and compares with expected. */
static void upd_check(const char *text, const char *item_json, const char *expected)
{
    fixture *f = fx_new(upd_names, upd_values);
    store_update *u = upd_parse(f, text);
    store_value *item = item_json ? item_of(item_json) : NULL;
    store_value *got = store_update_apply(u, item, &f->err);
    if (!got) fail_msg("%s: %s", text, f->err.message);
    assert_item(got, expected);
    store_release(got);
    store_release(item);
    store_update_free(u);
    fx_free(f);
}

static const char *upd_apply_error(const char *text, const char *item_json)
{
    static char message[STORE_ERROR_MESSAGE_MAX];
    fixture *f = fx_new(upd_names, upd_values);
    store_update *u = upd_parse(f, text);
    store_value *item = item_json ? item_of(item_json) : NULL;
    store_value *got = store_update_apply(u, item, &f->err);
    if (got) fail_msg("%s was applied", text);
    assert_int_equal(f->err.status, STORE_ERR_VALIDATION);
    strcpy(message, f->err.message);
    store_release(item);
    store_update_free(u);
    fx_free(f);
    return message;
}

static const char *upd_parse_error(const char *text)
{
    static char message[STORE_ERROR_MESSAGE_MAX];
    fixture *f = fx_new(upd_names, upd_values);
    store_update *u = store_update_parse(text, &f->env, &f->err);
    if (u) fail_msg("%s was accepted", text);
    assert_int_equal(f->err.status, STORE_ERR_VALIDATION);
    strcpy(message, f->err.message);
    fx_free(f);
    return message;
}

static void test_update_set(void **state)
{
    (void)state;
    upd_check("SET a = :v", NULL, "{\"a\":{\"S\":\"v\"}}");
    upd_check("set #a = :v, c = :m", "{\"a\":{\"N\":\"1\"}}", "{\"a\":{\"S\":\"v\"},\"c\":{\"M\":{\"k\":{\"S\":\"v\"}}}}");
    /* Every operand is read before anything is written: a swap. */
    upd_check("SET a = b, b = a", "{\"a\":{\"S\":\"x\"},\"b\":{\"S\":\"y\"}}", "{\"a\":{\"S\":\"y\"},\"b\":{\"S\":\"x\"}}");
    upd_check("SET m.x = :v, m.deep.y[0] = :one, m.fresh = :null", upd_item,
              "{\"pk\":{\"S\":\"k\"},\"a\":{\"S\":\"x\"},\"b\":{\"S\":\"y\"},\"n\":{\"N\":\"7\"},"
              "\"ss\":{\"SS\":[\"x\",\"z\"]},\"l\":{\"L\":[{\"N\":\"0\"},{\"N\":\"1\"},{\"N\":\"2\"},{\"N\":\"3\"}]},"
              "\"m\":{\"M\":{\"x\":{\"S\":\"v\"},\"deep\":{\"M\":{\"y\":{\"L\":[{\"N\":\"1\"}]}}},\"fresh\":{\"NULL\":true}}}}");
    upd_check("SET l[1] = :v, l[9] = :true", "{\"l\":{\"L\":[{\"N\":\"0\"},{\"N\":\"1\"}]}}",
              "{\"l\":{\"L\":[{\"N\":\"0\"},{\"S\":\"v\"},{\"BOOL\":true}]}}");
    upd_check("SET a = (:v)", NULL, "{\"a\":{\"S\":\"v\"}}");
}

static void test_update_set_functions_and_arithmetic(void **state)
{
    (void)state;
    upd_check("SET n = n + :one", "{\"n\":{\"N\":\"7\"}}", "{\"n\":{\"N\":\"8\"}}");
    upd_check("SET n = n - :one", "{\"n\":{\"N\":\"7\"}}", "{\"n\":{\"N\":\"6\"}}");
    upd_check("SET n = :tenth + :fifth", NULL, "{\"n\":{\"N\":\"0.3\"}}");
    upd_check("SET n = (:one - :third)", NULL, "{\"n\":{\"N\":\"0.99\"}}");
    upd_check("SET n = (:one) - :third", NULL, "{\"n\":{\"N\":\"0.99\"}}");
    upd_check("SET n = :max38 + :one", NULL, "{\"n\":{\"N\":\"100000000000000000000000000000000000000\"}}");
    upd_check("SET n = :max38 - :max38", NULL, "{\"n\":{\"N\":\"0\"}}");
    upd_check("SET c = if_not_exists(c, :zero) + :one", NULL, "{\"c\":{\"N\":\"1\"}}");
    upd_check("SET c = if_not_exists(c, :zero) + :one", "{\"c\":{\"N\":\"41\"}}", "{\"c\":{\"N\":\"42\"}}");
    upd_check("SET c = if_not_exists(d, c)", "{\"c\":{\"N\":\"41\"}}", "{\"c\":{\"N\":\"41\"}}");
    upd_check("SET l = list_append(l, :list)", "{\"l\":{\"L\":[{\"N\":\"0\"}]}}",
              "{\"l\":{\"L\":[{\"N\":\"0\"},{\"S\":\"x\"}]}}");
    upd_check("SET l = list_append(:list, l)", "{\"l\":{\"L\":[{\"N\":\"0\"}]}}",
              "{\"l\":{\"L\":[{\"S\":\"x\"},{\"N\":\"0\"}]}}");
    upd_check("SET l = list_append(if_not_exists(l, :list), :list)", NULL,
              "{\"l\":{\"L\":[{\"S\":\"x\"},{\"S\":\"x\"}]}}");
}

static void test_update_remove(void **state)
{
    (void)state;
    upd_check("REMOVE a, m.x, l[0], l[2], zz, l[10], m.zz", upd_item,
              "{\"pk\":{\"S\":\"k\"},\"b\":{\"S\":\"y\"},\"n\":{\"N\":\"7\"},\"ss\":{\"SS\":[\"x\",\"z\"]},"
              "\"l\":{\"L\":[{\"N\":\"1\"},{\"N\":\"3\"}]},\"m\":{\"M\":{\"deep\":{\"M\":{\"y\":{\"L\":[{\"S\":\"q\"}]}}}}}}");
    upd_check("REMOVE l[3], l[1]", "{\"l\":{\"L\":[{\"N\":\"0\"},{\"N\":\"1\"},{\"N\":\"2\"},{\"N\":\"3\"}]}}",
              "{\"l\":{\"L\":[{\"N\":\"0\"},{\"N\":\"2\"}]}}");
    /* On an item that does not exist yet even a nested REMOVE is ignored. */
    upd_check("REMOVE zz.y, q[0]", NULL, "{}");
    upd_check("SET a = :v REMOVE b", "{\"b\":{\"S\":\"x\"}}", "{\"a\":{\"S\":\"v\"}}");
}

static void test_update_add_delete(void **state)
{
    (void)state;
    upd_check("ADD n :one, c :one", "{\"n\":{\"N\":\"7\"}}", "{\"c\":{\"N\":\"1\"},\"n\":{\"N\":\"8\"}}");
    upd_check("ADD ss :ssv, ns :nsv", "{\"ss\":{\"SS\":[\"x\",\"z\"]}}",
              "{\"ns\":{\"NS\":[\"1\"]},\"ss\":{\"SS\":[\"x\",\"y\",\"z\"]}}");
    upd_check("DELETE ss :ssv", "{\"ss\":{\"SS\":[\"x\",\"z\"]}}", "{\"ss\":{\"SS\":[\"z\"]}}");
    upd_check("DELETE ss :ssv", "{\"ss\":{\"SS\":[\"x\",\"y\"]}}", "{}");
    upd_check("DELETE zz :ssv", "{\"a\":{\"S\":\"x\"}}", "{\"a\":{\"S\":\"x\"}}");
    upd_check("ADD m.c :one DELETE m.s :ssv", "{\"m\":{\"M\":{\"s\":{\"SS\":[\"y\"]}}}}", "{\"m\":{\"M\":{\"c\":{\"N\":\"1\"}}}}");
    upd_check("ADD l[5] :one", "{\"l\":{\"L\":[]}}", "{\"l\":{\"L\":[{\"N\":\"1\"}]}}");
}

static void test_update_apply_errors(void **state)
{
    (void)state;
    const char *invalid = "The document path provided in the update expression is invalid for update";
    const char *wrong = "An operand in the update expression has an incorrect data type";
    assert_string_equal(upd_apply_error("SET zz.x = :v", upd_item), invalid);
    assert_string_equal(upd_apply_error("SET zz.x = :v", NULL), invalid);
    assert_string_equal(upd_apply_error("SET a[0] = :v", upd_item), invalid);
    assert_string_equal(upd_apply_error("SET l.x = :v", upd_item), invalid);
    assert_string_equal(upd_apply_error("SET l[9].x = :v", upd_item), invalid);
    assert_string_equal(upd_apply_error("REMOVE zz.y", upd_item), invalid);
    assert_string_equal(upd_apply_error("REMOVE a[0]", upd_item), invalid);
    assert_string_equal(upd_apply_error("ADD zz.y :one", upd_item), invalid);
    assert_string_equal(upd_apply_error("SET a = zz", upd_item),
                        "The provided expression refers to an attribute that does not exist in the item");
    assert_string_equal(upd_apply_error("SET a = list_append(zz, :list)", upd_item),
                        "The provided expression refers to an attribute that does not exist in the item");
    assert_string_equal(upd_apply_error("SET a = :one + zz", upd_item),
                        "The provided expression refers to an attribute that does not exist in the item");
    assert_string_equal(upd_apply_error("SET n = a + :one", upd_item), wrong);
    assert_string_equal(upd_apply_error("SET n = :one - a", upd_item), wrong);
    assert_string_equal(upd_apply_error("SET l = list_append(l, a)", upd_item), wrong);
    assert_string_equal(upd_apply_error("SET l = list_append(a, l)", upd_item), wrong);
    assert_string_equal(upd_apply_error("ADD a :one", upd_item), wrong);
    assert_string_equal(upd_apply_error("ADD ss :one", upd_item), wrong);
    assert_string_equal(upd_apply_error("ADD ss :nsv", upd_item), wrong);
    assert_string_equal(upd_apply_error("DELETE ss :nsv", upd_item), wrong);
    assert_string_equal(upd_apply_error("DELETE a :ssv", upd_item), wrong);
    assert_string_equal(upd_apply_error("SET n = :big + :big", NULL),
                        "Number overflow. Attempting to store a number with magnitude larger than supported range");
    assert_string_equal(upd_apply_error("ADD n :big", "{\"n\":{\"N\":\"9.99E125\"}}"),
                        "Number overflow. Attempting to store a number with magnitude larger than supported range");
    assert_string_equal(upd_apply_error("SET n = :max38 + :tenth", NULL),
                        "Attempting to store more than 38 significant digits in a Number");
    assert_string_equal(upd_apply_error("SET n = :tiny - :third", NULL),
                        "Attempting to store more than 38 significant digits in a Number");
}

static void test_update_parse_errors(void **state)
{
    (void)state;
    assert_string_equal(upd_parse_error("SET a = :v SET b = :v"),
                        "Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;");
    assert_string_equal(upd_parse_error("remove a ADD n :one REMOVE b"),
                        "Invalid UpdateExpression: The \"REMOVE\" section can only be used once in an update expression;");
    assert_string_equal(upd_parse_error("SET a = :v, a.b = :v"),
                        "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite "
                        "one of these paths; path one: [a], path two: [a, b]");
    assert_string_equal(upd_parse_error("SET a = :v REMOVE #a"),
                        "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite "
                        "one of these paths; path one: [a], path two: [a]");
    assert_string_equal(upd_parse_error("SET a.b = :v REMOVE a[0]"),
                        "Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite "
                        "one of these paths; path one: [a, b], path two: [a, [0]]");
    assert_string_equal(upd_parse_error("ADD a :s"),
                        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, "
                        "operand type: STRING");
    assert_string_equal(upd_parse_error("DELETE a :one"),
                        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, "
                        "operand type: NUMBER");
    assert_string_equal(upd_parse_error("ADD a :list"),
                        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, "
                        "operand type: LIST");
    assert_string_equal(upd_parse_error("ADD a :m"),
                        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, "
                        "operand type: MAP");
    assert_string_equal(upd_parse_error("ADD a :b"),
                        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, "
                        "operand type: BINARY");
    assert_string_equal(upd_parse_error("ADD a :true"),
                        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, "
                        "operand type: BOOLEAN");
    assert_string_equal(upd_parse_error("DELETE a :null"),
                        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, "
                        "operand type: NULL");
    assert_string_equal(upd_parse_error("SET a = :s + :one"),
                        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or "
                        "function: +, operand type: S");
    assert_string_equal(upd_parse_error("SET a = :one - :list"),
                        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or "
                        "function: -, operand type: L");
    assert_string_equal(upd_parse_error("SET a = list_append(:s, l)"),
                        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or "
                        "function: list_append, operand type: S");
    assert_string_equal(upd_parse_error("SET a = if_not_exists(:s, :s)"),
                        "Invalid UpdateExpression: Operator or function requires a document path; operator or "
                        "function: if_not_exists");
    assert_string_equal(upd_parse_error("SET a = list_append(a)"),
                        "Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or "
                        "function: list_append, number of operands: 1");
    assert_string_equal(upd_parse_error("SET a = foo(b)"), "Invalid UpdateExpression: Invalid function name; function: foo");
    assert_string_equal(upd_parse_error("SET a = size(b)"), "Invalid UpdateExpression: Invalid function name; function: size");
    assert_string_equal(upd_parse_error("SET name = :v"),
                        "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name");
    assert_string_equal(upd_parse_error("SET #x = :v"),
                        "Invalid UpdateExpression: An expression attribute name used in the document path is not "
                        "defined; attribute name: #x");
    assert_string_equal(upd_parse_error("SET a = :zz"),
                        "Invalid UpdateExpression: An expression attribute value used in expression is not defined; "
                        "attribute value: :zz");
    assert_string_equal(upd_parse_error("ADD a :zz"),
                        "Invalid UpdateExpression: An expression attribute value used in expression is not defined; "
                        "attribute value: :zz");
    /* Priority: a reserved word before a repeated section before an undefined name... */
    assert_string_equal(upd_parse_error("SET #x = :zz SET name = :v"),
                        "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name");
    assert_string_equal(upd_parse_error("SET #x = :zz SET a = :v"),
                        "Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;");
    assert_string_equal(upd_parse_error("SET a = :zz, #x = :v"),
                        "Invalid UpdateExpression: An expression attribute name used in the document path is not "
                        "defined; attribute name: #x");
}

static void test_update_syntax_errors(void **state)
{
    (void)state;
    assert_string_equal(upd_parse_error("SET a :v"), "Invalid UpdateExpression: Syntax error; token: \":v\", near: \"a :v\"");
    assert_string_equal(upd_parse_error("SET a = :v,"), "Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \",\"");
    assert_string_equal(upd_parse_error("a = :v"), "Invalid UpdateExpression: Syntax error; token: \"a\", near: \"a =\"");
    assert_string_equal(upd_parse_error("REMOVE"), "Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"REMOVE\"");
    assert_string_equal(upd_parse_error("SET a = :v :v"), "Invalid UpdateExpression: Syntax error; token: \":v\", near: \":v :v\"");
    assert_string_equal(upd_parse_error("ADD a b"), "Invalid UpdateExpression: Syntax error; token: \"b\", near: \"a b\"");
    assert_string_equal(upd_parse_error("SET a = :one + :one + :one"),
                        "Invalid UpdateExpression: Syntax error; token: \"+\", near: \":one + :one\"");
    assert_string_equal(upd_parse_error("SET a = list_append(:list, :one + :one)"),
                        "Invalid UpdateExpression: Syntax error; token: \"+\", near: \":one + :one\"");
    assert_string_equal(upd_parse_error("SET set = :v"), "Invalid UpdateExpression: Syntax error; token: \"set\", near: \"SET set =\"");
    assert_string_equal(upd_parse_error("SET a = (:v"), "Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \":v\"");
    assert_string_equal(upd_parse_error(""), "Invalid UpdateExpression: The expression can not be empty;");
    char deep[800] = "SET a = ";
    for (int i = 0; i < 400; i++) strcat(deep, "(");
    strcat(deep, ":v");
    assert_string_equal(upd_parse_error(deep), "Invalid UpdateExpression: Syntax error; token: \"(\", near: \"(((\"");
    assert_string_equal(upd_parse_error("SET (a) = :v"), "Invalid UpdateExpression: Syntax error; token: \"(\", near: \"SET (a\"");
}

/* Arithmetic and function calls count in an update; the actions and their
 * "=" do not. */
static void test_update_operator_limit(void **state)
{
    (void)state;
    static char text[4096];
    strcpy(text, "SET ");
    for (int i = 0; i < 300; i++) sprintf(text + strlen(text), "%sx%d=:o+:o", i ? "," : "", i);
    fixture *f = fx_new(NULL, "{\":o\":{\"N\":\"1\"}}");
    store_update *u = store_update_parse(text, &f->env, &f->err);
    if (!u) fail_msg("300 operators: %s", f->err.message);
    store_update_free(u);
    strcat(text, ",y=if_not_exists(y,:o)");
    assert_null(store_update_parse(text, &f->env, &f->err));
    assert_string_equal(f->err.message, "Invalid UpdateExpression: The expression contains too many operators; "
                                        "operator count: 301");
    fx_free(f);
}

static void test_update_paths_and_projection(void **state)
{
    (void)state;
    fixture *f = fx_new(upd_names, upd_values);
    store_update *u = upd_parse(f, "SET m.x = :v, a = :one REMOVE m.deep.y[0] ADD n :one");
    const store_value **names;
    size_t n = store_update_paths(u, &names);
    assert_int_equal(n, 3);
    assert_memory_equal(store_bytes(names[0]), "m", 1);
    assert_memory_equal(store_bytes(names[1]), "a", 1);
    assert_memory_equal(store_bytes(names[2]), "n", 1);
    store_projection *p = store_update_projection(u);
    assert_non_null(p);
    store_value *old = item_of(upd_item);
    store_value *updated = store_update_apply(u, old, &f->err);
    assert_non_null(updated);
    store_value *was = store_projection_apply(p, old), *now = store_projection_apply(p, updated);
    assert_item(was, "{\"a\":{\"S\":\"x\"},\"n\":{\"N\":\"7\"},"
                     "\"m\":{\"M\":{\"x\":{\"N\":\"1\"},\"deep\":{\"M\":{\"y\":{\"L\":[{\"S\":\"q\"}]}}}}}}");
    assert_item(now, "{\"a\":{\"N\":\"1\"},\"n\":{\"N\":\"8\"},\"m\":{\"M\":{\"x\":{\"S\":\"v\"}}}}");
    store_release(was);
    store_release(now);
    store_release(updated);
    store_release(old);
    store_projection_free(p);
    /* The placeholders used are marked: :one, :v (values sorted by name). */
    assert_true(f->values_used[8]);  /* :one */
    assert_false(f->values_used[0]); /* :b */
    store_update_free(u);
    fx_free(f);
}

/* ---------------------------------------------------------------- decimal sums */

/* a ± b, the operands first put in canonical form as stored values are. */
static const char *sum(const char *a, const char *b, bool subtract)
{
    static char out[STORE_NUMBER_MAX_TEXT + 1];
    char ca[STORE_NUMBER_MAX_TEXT + 1], cb[STORE_NUMBER_MAX_TEXT + 1];
    size_t len, alen, blen;
    assert_int_equal(store_number_canonical(a, strlen(a), ca, &alen), STORE_NUMBER_OK);
    assert_int_equal(store_number_canonical(b, strlen(b), cb, &blen), STORE_NUMBER_OK);
    store_number_status st = store_decimal_add(ca, alen, cb, blen, subtract, out, &len);
    if (st != STORE_NUMBER_OK) return store_number_message(st);
    assert_int_equal(len, strlen(out));
    return out;
}

static void test_decimal_sums(void **state)
{
    (void)state;
    assert_string_equal(sum("1", "2", false), "3");
    assert_string_equal(sum("1", "7", true), "-6");
    assert_string_equal(sum("-0.5", "0.5", false), "0");
    assert_string_equal(sum("0.1", "0.2", false), "0.3");
    assert_string_equal(sum("-1.25", "-0.75", false), "-2");
    assert_string_equal(sum("100", "0.001", true), "99.999");
    assert_string_equal(sum("123000", "7000", false), "130000");
    assert_string_equal(sum("1E-42", "1", false),
                        "Attempting to store more than 38 significant digits in a Number");
    assert_string_equal(sum("9.9999999999999999999999999999999999999E125", "1E88", false),
                        "Number overflow. Attempting to store a number with magnitude larger than supported range");
    assert_string_equal(sum("2E-130", "1.5E-130", true),
                        "Number underflow. Attempting to store a number with magnitude smaller than supported range");
    assert_string_equal(sum("1E125", "1E125", true), "0");
    char out[STORE_NUMBER_MAX_TEXT + 1];
    size_t len;
    assert_int_equal(store_decimal_add("x", 1, "1", 1, false, out, &len), STORE_NUMBER_INVALID);
}

static void test_decimal_values(void **state)
{
    (void)state;
    store_value *a = store_value_bytes(STORE_N, "2.5", 3), *b = store_value_bytes(STORE_N, "-10", 3);
    store_error err = {0};
    store_value *r = store_decimal_sum(a, b, false, &err);
    assert_non_null(r);
    assert_int_equal(r->type, STORE_N);
    assert_memory_equal(store_bytes(r), "-7.5", 4);
    store_release(r);
    store_value *big = store_value_bytes(STORE_N, "99999999999999999999999999999999999999", 38);
    assert_null(store_decimal_sum(big, a, false, &err));
    assert_int_equal(err.status, STORE_ERR_VALIDATION);
    assert_string_equal(err.message, "Attempting to store more than 38 significant digits in a Number");
    store_release(big);
    store_release(a);
    store_release(b);
}

/* ---------------------------------------------------------------- paths mentioned */

static void collect_path(void *arg, const store_value *name, bool nested)
{
    char *out = arg;
    size_t n = strlen(out);
    snprintf(out + n, 256 - n, "%s%.*s%s", n ? " " : "", (int)name->len, store_bytes(name), nested ? "+" : "");
}

static void test_paths_mentioned(void **state)
{
    (void)state;
    fixture *f = fx_new(cond_names, cond_values);
    char seen[256] = "";
    store_condition *c = store_condition_parse("#a = :s AND (size(m.x) > :n OR l[0] IN (h, :s))", &f->env, &f->err);
    assert_non_null(c);
    store_condition_each_path(c, collect_path, seen);
    assert_string_equal(seen, "a m+ l+ h");
    store_condition_free(c);
    fx_free(f);

    f = fx_new(upd_names, upd_values);
    seen[0] = 0;
    store_update *u = upd_parse(f, "SET a = if_not_exists(b.c, :v), l[1] = list_append(q, :list) REMOVE m.x ADD n :one");
    store_update_each_path(u, collect_path, seen);
    assert_string_equal(seen, "a b+ l+ q m+ n");
    store_update_free(u);
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
        cmocka_unit_test(test_key_condition_multi_attribute),
        cmocka_unit_test(test_condition_comparisons),
        cmocka_unit_test(test_condition_between_and_in),
        cmocka_unit_test(test_condition_functions),
        cmocka_unit_test(test_condition_logic_and_precedence),
        cmocka_unit_test(test_condition_syntax_errors),
        cmocka_unit_test(test_condition_semantic_errors),
        cmocka_unit_test(test_condition_in_limit),
        cmocka_unit_test(test_condition_operator_limit),
        cmocka_unit_test(test_condition_labels_and_placeholders),
        cmocka_unit_test(test_update_set),
        cmocka_unit_test(test_update_set_functions_and_arithmetic),
        cmocka_unit_test(test_update_remove),
        cmocka_unit_test(test_update_add_delete),
        cmocka_unit_test(test_update_apply_errors),
        cmocka_unit_test(test_update_parse_errors),
        cmocka_unit_test(test_update_syntax_errors),
        cmocka_unit_test(test_update_operator_limit),
        cmocka_unit_test(test_update_paths_and_projection),
        cmocka_unit_test(test_paths_mentioned),
        cmocka_unit_test(test_decimal_sums),
        cmocka_unit_test(test_decimal_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
