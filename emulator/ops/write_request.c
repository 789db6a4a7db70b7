/* emulator/ops/write_request.c — the request part single-item writes share. */
#include "emulator/ops/write_request.h"
#include "emulator/ops/legacy.h"

#include <stdio.h>

bool emu_write_request_open(emu_ctx *ctx, const char *member, const char *const *allowed_return_values,
                            emu_write_request *w)
{
    emu_violations v;
    emu_violations_init(&v);
    char field[16] = {0};
    field[0] = (char)(member[0] - 'A' + 'a'); /* "Item" → "item", as AWS names members in messages */
    snprintf(field + 1, sizeof field - 1, "%s", member + 1);
    if (!emu_string(ctx, ctx->req, "TableName", &w->table_name) || !emu_object(ctx, ctx->req, member, &w->target))
        return false;
    emu_check_table_name(&v, w->table_name, "tableName");
    emu_require(&v, w->target, field);
    if (!emu_violations_done(ctx, &v) || !emu_return_values(ctx, allowed_return_values, &w->return_values) ||
        !emu_write_report_read(ctx, &w->report) || !emu_legacy_check_mix(ctx) ||
        !emu_env_open(ctx, ctx->req, &w->env))
        return false;
    if (emu_write_condition_read(ctx, &w->env, &w->condition)) return true;
    emu_write_request_close(w);
    return false;
}

store_table *emu_write_request_table(emu_ctx *ctx, emu_write_request *w, bool has_expressions)
{
    has_expressions = has_expressions || emu_present(ctx->req, "ConditionExpression");
    if (!emu_env_check_unused(ctx, &w->env, has_expressions)) return NULL;
    /* All of the request is read; from here on the database is. */
    emu_lock_for_write(ctx);
    return emu_table(ctx, w->table_name);
}

void emu_write_request_close(emu_write_request *w)
{
    emu_write_condition_clear(&w->condition);
    emu_env_close(&w->env);
}
