/* emulator/ops/delete_item.c — DeleteItem: removes the item with this key, if any. */
#include "emulator/ops/common.h"
#include "emulator/ops/ops.h"

static const char *const delete_return_values[] = {"NONE", "ALL_OLD", NULL};

bool emu_op_delete_item(emu_ctx *ctx)
{
    const char *name, *return_values;
    const cJSON *key_json;
    emu_violations v = {0};
    if (!emu_string(ctx, ctx->req, "TableName", &name) || !emu_object(ctx, ctx->req, "Key", &key_json)) return false;
    emu_check_table_name(&v, name, "tableName");
    emu_require(&v, key_json, "key");
    if (!emu_violations_done(ctx, &v) || !emu_return_values(ctx, delete_return_values, &return_values)) return false;
    emu_env env;
    if (!emu_env_open(ctx, ctx->req, &env)) return false;
    bool ok = emu_env_check_unused(ctx, &env, false);
    store_table *t = ok ? emu_table(ctx, name) : NULL;
    store_value *key = t ? emu_read_key(ctx, t, ctx->req, "Key") : NULL;
    if (key) {
        store_value *old = store_table_remove(t, key);
        if (old && return_values[0] == 'A') emu_add_item(ctx->resp, "Attributes", old, NULL);
        store_release(old);
    }
    ok = key != NULL;
    store_release(key);
    emu_env_close(&env);
    return ok;
}
