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
    assert_string_equal(cond_error("a == :s"), "Invalid ConditionExpression: Syntax error; token: \"=\", near: \"==\"");
    assert_string_equal(cond_error("a = :s AND"),
                        "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"AND\"");
    assert_string_equal(cond_error("a = :s)"), "Invalid ConditionExpression: Syntax error; token: \")\", near: \":s)\"");
    assert_string_equal(cond_error("(a) AND a = :s"),
                        "Invalid ConditionExpression: Syntax error; token: \"AND\", near: \") AND\"");
    assert_string_equal(cond_error("NOT (a)"), "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \")\"");
    assert_string_equal(cond_error("a BETWEEN :s :t"),
                        "Invalid ConditionExpression: Syntax error; token: \":t\", near: \":s :t\"");
    assert_string_equal(cond_error("a IN :s"), "Invalid ConditionExpression: Syntax error; token: \":s\", near: \"IN :s\"");
    assert_string_equal(cond_error("a = AND"), "Invalid ConditionExpression: Syntax error; token: \"AND\", near: \"= AND\"");
    assert_string_equal(cond_error("contains(a, :s"),
                        "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \":s\"");
    assert_string_equal(cond_error("a = :s OR"), "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"OR\"");
    assert_string_equal(cond_error("a = :s ="), "Invalid ConditionExpression: Syntax error; token: \"=\", near: \":s =\"");
    char deep[600] = "";
    for (int i = 0; i < 200; i++) strcat(deep, "(");
    strcat(deep, "a = :s");
    assert_string_equal(cond_error(deep), "Invalid ConditionExpression: Syntax error; token: \"(\", near: \"((\"");
    char nots[1200] = "";
    for (int i = 0; i < 200; i++) strcat(nots, "NOT ");
    strcat(nots, "a = :s");
    assert_string_equal(cond_error(nots), "Invalid ConditionExpression: Syntax error; token: \"NOT\", near: \"NOT NOT\"");
    char calls[1200] = "size(";
    for (int i = 0; i < 200; i++) strcat(calls, "(");
    strcat(calls, "a");
    assert_string_equal(cond_error(calls), "Invalid ConditionExpression: Syntax error; token: \"(\", near: \"((\"");
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
        cmocka_unit_test(test_condition_comparisons),
        cmocka_unit_test(test_condition_between_and_in),
        cmocka_unit_test(test_condition_functions),
        cmocka_unit_test(test_condition_logic_and_precedence),
        cmocka_unit_test(test_condition_syntax_errors),
        cmocka_unit_test(test_condition_semantic_errors),
        cmocka_unit_test(test_condition_in_limit),
        cmocka_unit_test(test_condition_labels_and_placeholders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
