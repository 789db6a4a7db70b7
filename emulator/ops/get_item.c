/* emulator/ops/get_item.c — GetItem: one item by its full key, optionally projected. */
#include "emulator/ops/capacity.h"
#include "emulator/ops/legacy.h"
#include "emulator/ops/ops.h"

static const char *const get_expressions[] = {"ProjectionExpression", NULL};

/* The key's values, before its projection and table, as AWS checks them. */
static store_value *read_key(emu_ctx *ctx, const cJSON *key_json)
{
    if (!emu_legacy_check_mix(ctx) || !emu_env_check_given_with_expressions(ctx, ctx->req, get_expressions)) return NULL;
    return store_decode_item(key_json, &ctx->err);
}

bool emu_op_get_item(emu_ctx *ctx)
{
    const char *name;
    const cJSON *key_json;
    bool consistent;
    emu_capacity_mode capacity;
    emu_violations v;
    emu_violations_init(&v);
    if (!emu_string(ctx, ctx->req, "TableName", &name) || !emu_object(ctx, ctx->req, "Key", &key_json) ||
        !emu_read_options(ctx, ctx->req, &capacity, &consistent))
        return false;
    emu_check_table_name(&v, name, "tableName");
    emu_require(&v, key_json, "key");
    if (!emu_violations_done(ctx, &v)) return false;
    store_value *key = read_key(ctx, key_json);
    emu_env env;
    if (!key || !emu_env_open(ctx, ctx->req, &env)) {
        store_release(key);
        return false;
    }
    store_projection *projection = NULL;
    bool ok = emu_projection(ctx, ctx->req, &env, &projection) &&
              emu_env_check_unused(ctx, &env, emu_present(ctx->req, "ProjectionExpression"));
    store_table *t = ok ? emu_table(ctx, name) : NULL;
    ok = t && store_table_check_key(t, key, true, &ctx->err);
    if (ok) {
        const store_value *item = store_table_get(t, key);
        /* An item that cannot be copied is refused, never answered as missing. */
        ok = !item || emu_add_item(ctx->resp, "Item", item, projection);
        emu_consumed c = {t, 0, NULL};
        emu_charge_read(&c, NULL, item ? store_item_size(item) : 0, consistent);
        ok = (emu_consumed_add(ctx->resp, "ConsumedCapacity", capacity, &c) && ok) || emu_oom(ctx);
    }
    store_release(key);
    store_projection_free(projection);
    emu_env_close(&env);
    return ok;
}
