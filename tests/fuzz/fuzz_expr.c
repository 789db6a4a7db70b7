/* tests/fuzz/fuzz_expr.c — the expression grammar (store/expr_*.c): the
 * first byte picks the kind (condition, update, projection, key condition),
 * the rest is its text. Whatever parses is also evaluated or applied to a
 * fixed item, and an update's result must still be an item within the
 * codec's depth. A refusal must carry a reason. */
#include "tests/fuzz/fuzz.h"

#include <cjson/cJSON.h>

#include "store/codec.h"
#include "store/expr.h"

/* The ExpressionAttributeNames/Values every input may use, and the item it runs on. */
static const char names_json[] = "{\"#a\":{\"S\":\"a\"},\"#b\":{\"S\":\"b\"},\"#k\":{\"S\":\"pk\"},\"#s\":{\"S\":\"sk\"}}";
static const char values_json[] =
    "{\":s\":{\"S\":\"x\"},\":n\":{\"N\":\"5\"},\":big\":{\"N\":\"9.9999999999999999999999999999999999999E+125\"},"
    "\":l\":{\"L\":[{\"S\":\"y\"},{\"N\":\"1\"}]},\":ss\":{\"SS\":[\"a\",\"b\"]},\":ns\":{\"NS\":[\"1\",\"2\"]},"
    "\":m\":{\"M\":{\"c\":{\"BOOL\":true}}},\":t\":{\"BOOL\":true},\":z\":{\"NULL\":true},\":bin\":{\"B\":\"AAE=\"}}";
static const char item_json[] =
    "{\"pk\":{\"S\":\"k\"},\"sk\":{\"N\":\"3\"},\"a\":{\"N\":\"1\"},"
    "\"b\":{\"L\":[{\"S\":\"x\"},{\"M\":{\"c\":{\"SS\":[\"p\",\"q\"]}}},{\"NS\":[\"7\"]}]},"
    "\"m\":{\"M\":{\"x\":{\"N\":\"2\"},\"y\":{\"L\":[]}}},\"s\":{\"SS\":[\"a\"]},\"t\":{\"B\":\"AAE=\"}}";

static store_value *names, *values, *item, *pk_name, *sk_name;

static store_value *decoded(const char *text)
{
    cJSON *json = cJSON_Parse(text);
    store_error err = {.status = STORE_OK};
    store_value *v = json ? store_decode_item(json, &err) : NULL;
    cJSON_Delete(json);
    if (!v) fuzz_broken("a fixed value of the expression fuzzer does not decode", err.message);
    return v;
}

static void setup_once(void)
{
    if (item) return;
    names = decoded(names_json);
    values = decoded(values_json);
    item = decoded(item_json);
    pk_name = store_name("pk", 2);
    sk_name = store_name("sk", 2);
}

static void refused(const store_error *err, const char *text)
{
    if (err->status == STORE_OK || !err->message[0]) fuzz_broken("an expression is refused without a reason", text);
}

static void condition(const char *text, store_expr_env *env)
{
    store_error err = {.status = STORE_OK};
    store_condition *c = store_condition_parse(text, env, &err);
    if (!c) return refused(&err, text);
    for (const store_value *on = item; ; on = NULL) { /* on the item, and on no item */
        store_error e = {.status = STORE_OK};
        int r = store_condition_eval(c, on, &e);
        if (r < 0) refused(&e, text);
        else if (r > 1) fuzz_broken("a condition is neither true nor false", text);
        if (!on) break;
    }
    store_condition_free(c);
}

static void update(const char *text, store_expr_env *env)
{
    store_error err = {.status = STORE_OK};
    store_update *u = store_update_parse(text, env, &err);
    if (!u) return refused(&err, text);
    for (const store_value *on = item; ; on = NULL) {
        store_error e = {.status = STORE_OK};
        store_value *out = store_update_apply(u, on, &e);
        if (!out) refused(&e, text);
        else {
            size_t len;
            char *encoded = store_encode_item_text(out, &len);
            if (!encoded) abort();
            free(encoded);
            store_release(out);
        }
        if (!on) break;
    }
    store_update_free(u);
}

static void projection(const char *text, store_expr_env *env)
{
    store_error err = {.status = STORE_OK};
    store_projection *p = store_projection_parse(text, env, &err);
    if (!p) return refused(&err, text);
    store_value *out = store_projection_apply(p, item);
    if (out) store_release(out);
    store_projection_free(p);
}

static void key_condition(const char *text, store_expr_env *env)
{
    store_error err = {.status = STORE_OK};
    store_key_condition kc = {0};
    if (!store_key_condition_parse(text, env, pk_name, STORE_S, sk_name, STORE_N, &kc, &err))
        return refused(&err, text);
    if (!kc.pk) fuzz_broken("a key condition without its partition key", text);
    store_key_condition_clear(&kc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;
    setup_once();
    char *text = fuzz_text(data + 1, size - 1);
    bool names_used[16] = {false}, values_used[16] = {false};
    store_expr_env env = {names, values, names_used, values_used, false};
    switch (data[0] % 4) {
    case 0: condition(text, &env); break;
    case 1: update(text, &env); break;
    case 2: projection(text, &env); break;
    default: key_condition(text, &env); break;
    }
    free(text);
    return 0;
}
