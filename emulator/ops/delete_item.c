/* emulator/ops/delete_item.c — DeleteItem: removes the item with this key,
 * if any and if its condition holds. */
#include "emulator/ops/capacity.h"
#include "emulator/ops/condition.h"
#include "emulator/ops/legacy.h"
#include "emulator/ops/ops.h"

static const char *const delete_return_values[] = {"NONE", "ALL_OLD", NULL};

static bool delete(emu_ctx *ctx, store_table *t, const emu_write_condition *wc, const char *return_values,
                   const emu_write_report *report)
{
    store_value *key = emu_read_key(ctx, t, ctx->req, "Key");
    bool ok = key && emu_write_condition_check(ctx, wc, store_table_get(t, key));
    if (ok) {
        store_value *old = store_table_remove(t, key);
        if (old && return_values[0] == 'A') emu_add_item(ctx->resp, "Attributes", old, NULL);
        emu_write_report_add(ctx, report, t, old, NULL);
        store_release(old);
    }
    store_release(key);
    return ok;
}

bool emu_op_delete_item(emu_ctx *ctx)
{
    const char *name, *return_values;
    const cJSON *key_json;
    emu_violations v = {0};
    if (!emu_string(ctx, ctx->req, "TableName", &name) || !emu_object(ctx, ctx->req, "Key", &key_json)) return false;
    emu_check_table_name(&v, name, "tableName");
    emu_require(&v, key_json, "key");
    emu_write_report report;
    if (!emu_violations_done(ctx, &v) || !emu_return_values(ctx, delete_return_values, &return_values) ||
        !emu_write_report_read(ctx, &report) || !emu_legacy_check_mix(ctx))
        return false;
    emu_env env;
    emu_write_condition wc = {0};
    if (!emu_env_open(ctx, ctx->req, &env)) return false;
    bool ok = emu_write_condition_read(ctx, &env, &wc) &&
              emu_env_check_unused(ctx, &env, cJSON_GetObjectItem(ctx->req, "ConditionExpression") != NULL);
    store_table *t = ok ? emu_table(ctx, name) : NULL;
    ok = t && delete(ctx, t, &wc, return_values, &report);
    emu_write_condition_clear(&wc);
    emu_env_close(&env);
    return ok;
}
