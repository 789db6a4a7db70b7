/* emulator/ops/put_item.c — PutItem: replaces the whole item with this key. */
#include "emulator/ops/common.h"
#include "emulator/ops/ops.h"

static const char *const put_return_values[] = {"NONE", "ALL_OLD", NULL};

bool emu_op_put_item(emu_ctx *ctx)
{
    const char *name, *return_values;
    const cJSON *item_json;
    emu_violations v = {0};
    if (!emu_string(ctx, ctx->req, "TableName", &name) || !emu_object(ctx, ctx->req, "Item", &item_json)) return false;
    emu_check_table_name(&v, name, "tableName");
    emu_require(&v, item_json, "item");
    if (!emu_violations_done(ctx, &v) || !emu_return_values(ctx, put_return_values, &return_values)) return false;
    emu_env env;
    if (!emu_env_open(ctx, ctx->req, &env)) return false;
    bool ok = emu_env_check_unused(ctx, &env, false);
    store_table *t = ok ? emu_table(ctx, name) : NULL;
    store_value *item = t ? store_decode_item(item_json, &ctx->err) : NULL;
    ok = item && emu_check_new_item(ctx, t, item);
    store_value *old = NULL;
    if (ok && !store_table_put(t, store_retain(item), &old)) {
        store_release(item);
        ok = store_fail(&ctx->err, STORE_ERR_INTERNAL, "out of memory");
    }
    if (ok && old && return_values[0] == 'A') emu_add_item(ctx->resp, "Attributes", old, NULL);
    store_release(old);
    store_release(item);
    emu_env_close(&env);
    return ok;
}
