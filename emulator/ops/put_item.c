/* emulator/ops/put_item.c — PutItem: replaces the whole item with this key,
 * if its condition holds. */
#include "emulator/ops/capacity.h"
#include "emulator/ops/condition.h"
#include "emulator/ops/legacy.h"
#include "emulator/ops/ops.h"

static const char *const put_return_values[] = {"NONE", "ALL_OLD", NULL};

static bool put(emu_ctx *ctx, store_table *t, const cJSON *item_json, const emu_write_condition *wc,
                const char *return_values, const emu_write_report *report)
{
    store_value *item = store_decode_item(item_json, &ctx->err);
    if (!item || !emu_check_new_item(ctx, t, item) || !emu_write_condition_check(ctx, wc, store_table_get(t, item))) {
        store_release(item);
        return false;
    }
    store_value *old = NULL;
    if (!store_table_put(t, item, &old)) {
        store_release(item);
        return store_fail(&ctx->err, STORE_ERR_INTERNAL, "out of memory");
    }
    if (old && return_values[0] == 'A') emu_add_item(ctx->resp, "Attributes", old, NULL);
    emu_write_report_add(ctx, report, t, old, item);
    store_release(old);
    return true;
}

bool emu_op_put_item(emu_ctx *ctx)
{
    const char *name, *return_values;
    const cJSON *item_json;
    emu_violations v = {0};
    if (!emu_string(ctx, ctx->req, "TableName", &name) || !emu_object(ctx, ctx->req, "Item", &item_json)) return false;
    emu_check_table_name(&v, name, "tableName");
    emu_require(&v, item_json, "item");
    emu_write_report report;
    if (!emu_violations_done(ctx, &v) || !emu_return_values(ctx, put_return_values, &return_values) ||
        !emu_write_report_read(ctx, &report) || !emu_legacy_check_mix(ctx))
        return false;
    emu_env env;
    emu_write_condition wc = {0};
    if (!emu_env_open(ctx, ctx->req, &env)) return false;
    bool ok = emu_write_condition_read(ctx, &env, &wc) &&
              emu_env_check_unused(ctx, &env, cJSON_GetObjectItem(ctx->req, "ConditionExpression") != NULL);
    store_table *t = ok ? emu_table(ctx, name) : NULL;
    ok = t && put(ctx, t, item_json, &wc, return_values, &report);
    emu_write_condition_clear(&wc);
    emu_env_close(&env);
    return ok;
}
