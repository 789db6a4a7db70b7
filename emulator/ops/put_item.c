/* emulator/ops/put_item.c — PutItem: replaces the whole item with this key,
 * if its condition holds. */
#include "emulator/ops/ops.h"
#include "emulator/ops/write_request.h"

static const char *const put_return_values[] = {"NONE", "ALL_OLD", NULL};
static const char *const put_expressions[] = {"ConditionExpression", NULL};

/* The answer to a put of item over old, made before the put commits. */
static bool answer(emu_ctx *ctx, const store_table *t, const emu_write_request *w, const store_value *old,
                   const store_value *item)
{
    if (old && w->return_values[0] == 'A' && !emu_add_item(ctx->resp, "Attributes", old, NULL))
        return emu_oom(ctx);
    return emu_write_report_add(ctx, &w->report, t, old, item) && emu_answer_ready(ctx);
}

/* Stores item (its reference taken over) if its condition holds. */
static bool put(emu_ctx *ctx, store_table *t, const emu_write_request *w, store_value *item)
{
    if (!emu_check_new_item(ctx, t, item) || !emu_write_condition_check_key(ctx, &w->condition, t, item) ||
        !answer(ctx, t, w, store_table_get(t, item), item)) {
        store_release(item);
        return false;
    }
    store_value *old = NULL;
    if (!store_table_put(t, item, &old)) {
        store_release(item);
        return emu_oom(ctx);
    }
    store_release(old);
    return true;
}

/* The item is decoded before the database is locked: that is most of the work. */
bool emu_op_put_item(emu_ctx *ctx)
{
    emu_write_request w;
    if (!emu_write_request_open(ctx, "Item", put_return_values, put_expressions, &w)) return false;
    store_table *t = emu_write_request_table(ctx, &w, false);
    bool ok = t && put(ctx, t, &w, store_retain(w.item));
    emu_write_request_close(&w);
    return ok;
}
