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
    /* The answer is made before the item goes: one that cannot be made refuses the delete. */
    const store_value *old = ok ? store_table_get(t, key) : NULL;
    if (ok && old && w->return_values[0] == 'A' && !emu_add_item(ctx->resp, "Attributes", old, NULL))
        ok = emu_oom(ctx);
    ok = ok && emu_write_report_add(ctx, &w->report, t, old, NULL) && emu_answer_ready(ctx);
    if (ok) {
        /* Also takes an expired item TTL has not yet collected (absent to reads). */
        store_value *removed = store_table_remove(t, key);
        if (old && !removed) ok = emu_oom(ctx);
        store_release(removed);
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
