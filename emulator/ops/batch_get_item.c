/* emulator/ops/batch_get_item.c — BatchGetItem: up to 100 keys over one or
 * more tables; what does not fit in the 16 MB answer comes back as
 * UnprocessedKeys, as on AWS. */
#include "emulator/ops/capacity.h"
#include "emulator/ops/legacy.h"
#include "emulator/ops/ops.h"

#include <stdlib.h>

#define EMU_BATCH_GET_MAX 100
#define EMU_BATCH_GET_MAX_BYTES (16 * 1024 * 1024)

static bool count_keys(emu_ctx *ctx, const cJSON *tables)
{
    emu_violations v;
    emu_violations_init(&v);
    int total = 0;
    const cJSON *spec;
    cJSON_ArrayForEach(spec, tables) {
        emu_check_table_name(&v, spec->string, "requestItems.key");
        const cJSON *keys;
        if (!emu_array(ctx, spec, "Keys", &keys)) return false;
        int n = cJSON_GetArraySize(keys);
        if (!keys) emu_require(&v, keys, "requestItems.value.keys");
        else if (n < 1 || n > EMU_BATCH_GET_MAX)
            emu_violation(&v, "Value at 'requestItems.%s.member.keys' failed to satisfy constraint: Member must have length "
                              "%s than or equal to %d", spec->string, n < 1 ? "greater" : "less", n < 1 ? 1 : EMU_BATCH_GET_MAX);
        total += n;
    }
    if (!emu_violations_done(ctx, &v)) return false;
    if (total > EMU_BATCH_GET_MAX)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION, "Too many items requested for the BatchGetItem call");
    return true;
}

/* The keys of one table, decoded and free of duplicates: AWS checks both
 * before it looks the table up. */
static bool read_keys(emu_ctx *ctx, const cJSON *keys, store_value **out, int *n)
{
    const cJSON *k;
    cJSON_ArrayForEach(k, keys) {
        store_value *key = store_decode_item(k, &ctx->err);
        if (!key) return false;
        out[(*n)++] = key;
        for (int i = 0; i < *n - 1; i++)
            if (store_value_equal(out[i], key))
                return store_fail(&ctx->err, STORE_ERR_VALIDATION, "Provided list of item keys contains duplicates");
    }
    return true;
}

static bool check_keys(emu_ctx *ctx, const store_table *t, store_value *const *keys, int n)
{
    for (int i = 0; i < n; i++)
        if (!store_table_check_key(t, keys[i], true, &ctx->err)) return false;
    return true;
}

static const char *const projection_only[] = {"ProjectionExpression", NULL};

typedef struct table_read {
    store_table *table;
    const cJSON *spec;
    emu_env env;
    store_projection *projection;
    store_value *keys[EMU_BATCH_GET_MAX];
    int n_keys;
    bool consistent;
    emu_consumed consumed;
} table_read;

static bool read_table(emu_ctx *ctx, const cJSON *spec, table_read *r)
{
    const cJSON *keys;
    r->spec = spec;
    if (!emu_legacy_check_mix_in(ctx, spec) || !emu_env_check_given_with_expressions(ctx, spec, projection_only) ||
        !emu_env_open(ctx, spec, &r->env))
        return false;
    if (!emu_projection(ctx, spec, &r->env, &r->projection) ||
        !emu_env_check_unused(ctx, &r->env, emu_present(spec, "ProjectionExpression")))
        return false;
    bool has_consistent;
    if (!emu_bool(ctx, spec, "ConsistentRead", &has_consistent, &r->consistent)) return false;
    if (!emu_array(ctx, spec, "Keys", &keys) || !read_keys(ctx, keys, r->keys, &r->n_keys)) return false;
    if (!(r->table = emu_table(ctx, spec->string))) return false;
    r->consumed = (emu_consumed){r->table, 0, NULL};
    return check_keys(ctx, r->table, r->keys, r->n_keys);
}

static void free_table_read(table_read *r)
{
    for (int i = 0; i < r->n_keys; i++) store_release(r->keys[i]);
    store_projection_free(r->projection);
    emu_env_close(&r->env);
}

/* Gives key back in UnprocessedKeys, under its table's other parameters;
 * false when out of memory. */
static bool leave_unprocessed(cJSON *unprocessed, const table_read *r, cJSON **left, const store_value *key)
{
    if (!*left) {
        cJSON *spec = cJSON_Duplicate(r->spec, true);
        cJSON_DeleteItemFromObject(spec, "Keys");
        *left = spec ? cJSON_AddArrayToObject(spec, "Keys") : NULL;
        if (!*left || !store_json_add(unprocessed, r->table->name, spec)) {
            if (!*left) cJSON_Delete(spec);
            *left = NULL;
            return false;
        }
    }
    return store_json_add(*left, NULL, store_encode_item(key));
}

/* Answers each key found; keys past the 16 MB answer, and any whose item
 * memory refuses to copy, go to UnprocessedKeys, as DynamoDB gives back keys
 * it could not read. False when even that cannot be made. */
static bool answer(emu_ctx *ctx, table_read *reads, int n, emu_capacity_mode mode)
{
    cJSON *consumed = mode != EMU_CAPACITY_NONE ? cJSON_AddArrayToObject(ctx->resp, "ConsumedCapacity") : NULL;
    cJSON *responses = cJSON_AddObjectToObject(ctx->resp, "Responses");
    cJSON *unprocessed = cJSON_AddObjectToObject(ctx->resp, "UnprocessedKeys");
    bool ok = responses && unprocessed && (consumed || mode == EMU_CAPACITY_NONE);
    size_t bytes = 0;
    for (int i = 0; i < n; i++) {
        table_read *r = &reads[i];
        cJSON *items = ok ? cJSON_AddArrayToObject(responses, r->table->name) : NULL, *left = NULL;
        ok = items != NULL;
        for (int j = 0; ok && j < r->n_keys; j++) {
            const store_value *item = store_table_get(r->table, r->keys[j]);
            /* Each key is charged on its own, rounded up: a missing item costs the minimum. */
            emu_charge_read(&r->consumed, NULL, item ? store_item_size(item) : 0, r->consistent);
            if (!item) continue;
            bool fits = bytes + store_item_size(item) <= EMU_BATCH_GET_MAX_BYTES;
            if (fits && emu_add_item(items, NULL, item, r->projection)) bytes += store_item_size(item);
            else ok = leave_unprocessed(unprocessed, r, &left, r->keys[j]);
        }
        ok = emu_consumed_add(consumed, NULL, mode, &r->consumed) && ok; /* always: it frees the index units */
    }
    return ok;
}

bool emu_op_batch_get_item(emu_ctx *ctx)
{
    const cJSON *tables;
    emu_violations v;
    emu_violations_init(&v);
    if (!emu_object(ctx, ctx->req, "RequestItems", &tables)) return false;
    emu_require(&v, tables, "requestItems");
    if (tables && cJSON_GetArraySize(tables) == 0)
        emu_violation(&v, "Value '{}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1");
    emu_capacity_mode mode;
    if (!emu_violations_done(ctx, &v) || !count_keys(ctx, tables) || !emu_capacity_mode_read(ctx, ctx->req, &mode))
        return false;
    int n_tables = cJSON_GetArraySize(tables), n = 0;
    table_read *reads = calloc((size_t)n_tables, sizeof *reads);
    if (!reads) return emu_oom(ctx);
    bool ok = true;
    const cJSON *spec;
    cJSON_ArrayForEach(spec, tables) {
        ok = read_table(ctx, spec, &reads[n++]);
        if (!ok) break;
    }
    ok = ok && (answer(ctx, reads, n, mode) || emu_oom(ctx));
    for (int i = 0; i < n; i++) free_table_read(&reads[i]);
    free(reads);
    return ok;
}
