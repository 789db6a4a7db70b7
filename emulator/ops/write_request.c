/* emulator/ops/write_request.c — the request part single-item writes share. */
#include "emulator/ops/write_request.h"
#include "emulator/ops/legacy.h"

#include <stdio.h>
#include <string.h>

/* The item or key's values, and an item's size, before its condition and
 * expressions, as AWS checks them; the operation decodes it again where it
 * needs it (a key is small, an item is kept). */
static bool check_target(emu_ctx *ctx, const char *member, emu_write_request *w)
{
    store_value *v = store_decode_item(w->target, &ctx->err);
    if (!v) return false;
    bool is_item = strcmp(member, "Item") == 0;
    if (is_item && store_item_size(v) > STORE_MAX_ITEM_SIZE) {
        store_release(v);
        return store_fail(&ctx->err, STORE_ERR_VALIDATION, "Item size has exceeded the maximum allowed size");
    }
    if (is_item) w->item = v;
    else store_release(v);
    return true;
}

bool emu_write_request_open(emu_ctx *ctx, const char *member, const char *const *allowed_return_values,
                            const char *const *expressions, emu_write_request *w)
{
    emu_violations v;
    emu_violations_init(&v);
    w->item = NULL;
    char field[16] = {0};
    field[0] = (char)(member[0] - 'A' + 'a'); /* "Item" → "item", as AWS names members in messages */
    snprintf(field + 1, sizeof field - 1, "%s", member + 1);
    if (!emu_string(ctx, ctx->req, "TableName", &w->table_name) || !emu_object(ctx, ctx->req, member, &w->target))
        return false;
    emu_check_table_name(&v, w->table_name, "tableName");
    emu_require(&v, w->target, field);
    if (!emu_violations_done(ctx, &v) || !emu_return_values(ctx, allowed_return_values, &w->return_values) ||
        !emu_write_report_read(ctx, &w->report) || !emu_legacy_check_mix(ctx) ||
        !emu_env_check_given_with_expressions(ctx, ctx->req, expressions) || !check_target(ctx, member, w))
        return false;
    /* UpdateItem's legacy AttributeUpdates come before its Expected, as AWS checks them. */
    const cJSON *updates = cJSON_GetObjectItemCaseSensitive(ctx->req, "AttributeUpdates");
    if (updates && !emu_legacy_check_attribute_updates(ctx, updates)) {
        store_release(w->item);
        return false;
    }
    if (!emu_env_open(ctx, ctx->req, &w->env)) {
        store_release(w->item);
        return false;
    }
    w->condition = (emu_write_condition){0};
    return true;
}

store_table *emu_write_request_table(emu_ctx *ctx, emu_write_request *w, bool has_expressions)
{
    /* The condition is read after UpdateItem's update, as AWS reads them. */
    if (!emu_write_condition_read(ctx, &w->env, &w->condition)) return NULL;
    has_expressions = has_expressions || emu_present(ctx->req, "ConditionExpression");
    if (!emu_env_check_unused(ctx, &w->env, has_expressions)) return NULL;
    /* All of the request is read; from here on the database is. */
    emu_lock_for_write(ctx);
    return emu_table(ctx, w->table_name);
}

void emu_write_request_close(emu_write_request *w)
{
    store_release(w->item);
    w->item = NULL;
    emu_write_condition_clear(&w->condition);
    emu_env_close(&w->env);
}
