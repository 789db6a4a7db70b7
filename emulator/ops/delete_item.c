/* emulator/ops/delete_item.c — DeleteItem: removes the item with this key,
 * if any and if its condition holds. */
#include "emulator/ops/ops.h"
#include "emulator/ops/write_request.h"

static const char *const delete_return_values[] = {"NONE", "ALL_OLD", NULL};
static const char *const delete_expressions[] = {"ConditionExpression", NULL};

static bool delete(emu_ctx *ctx, store_table *t, const emu_write_request *w)
{
    store_value *key = emu_read_key(ctx, t, ctx->req, "Key");
    bool ok = key && emu_write_condition_check_key(ctx, &w->condition, t, key);
    if (ok) {
        store_value *old = store_table_remove(t, key);
        if (old && w->return_values[0] == 'A') emu_add_item(ctx->resp, "Attributes", old, NULL);
        emu_write_report_add(ctx, &w->report, t, old, NULL);
        store_release(old);
    }
    store_release(key);
    return ok;
}

bool emu_op_delete_item(emu_ctx *ctx)
{
    emu_write_request w;
    if (!emu_write_request_open(ctx, "Key", delete_return_values, delete_expressions, &w)) return false;
    store_table *t = emu_write_request_table(ctx, &w, false);
    bool ok = t && delete(ctx, t, &w);
    emu_write_request_close(&w);
    return ok;
}
