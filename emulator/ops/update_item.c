/* emulator/ops/update_item.c — UpdateItem: edits (or creates) one item with
 * an UpdateExpression or the legacy AttributeUpdates, if its condition holds. */
#include "emulator/ops/legacy.h"
#include "emulator/ops/ops.h"
#include "emulator/ops/write_request.h"
#include "emulator/ops/update_item.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const update_return_values[] = {"NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW", NULL};
static const char *const update_expressions[] = {"UpdateExpression", "ConditionExpression", NULL};

static bool read_update(emu_ctx *ctx, emu_env *env, store_update **out)
{
    const char *expr;
    const cJSON *legacy;
    *out = NULL;
    if (!emu_string(ctx, ctx->req, "UpdateExpression", &expr) || !emu_object(ctx, ctx->req, "AttributeUpdates", &legacy))
        return false;
    if (legacy) return emu_legacy_attribute_updates(ctx, legacy, out);
    if (!expr) return true;
    *out = store_update_parse(expr, &env->env, &ctx->err);
    return *out != NULL;
}

bool emu_update_refuse_key_updates(emu_ctx *ctx, const store_table *t, const store_update *u)
{
    const store_value **names;
    size_t n = u ? store_update_paths(u, &names) : 0;
    for (size_t i = 0; i < n; i++) {
        if (store_value_equal(names[i], t->key.names.pk_name) ||
            (t->key.names.sk_name && store_value_equal(names[i], t->key.names.sk_name)))
            return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                              "One or more parameter values were invalid: Cannot update attribute %s. This attribute is part of the key",
                              store_bytes(names[i]));
    }
    return true;
}

/* The item with the key's attributes added (an update of a missing item creates it). */
static store_value *with_key(store_value *item, const store_value *key)
{
    size_t n = item->len + key->len, k = 0;
    store_entry *e = calloc(n, sizeof *e);
    if (!e) { store_release(item); return NULL; }
    for (uint32_t i = 0; i < item->len; i++, k++)
        e[k] = (store_entry){store_retain(store_entries(item)[i].name), store_retain(store_entries(item)[i].value)};
    for (uint32_t i = 0; i < key->len; i++, k++)
        e[k] = (store_entry){store_retain(store_entries(key)[i].name), store_retain(store_entries(key)[i].value)};
    store_release(item);
    store_value *m = store_value_map(e, n);
    free(e);
    return m;
}

/* What no update may make of an item: too large, too deep, or with an index
 * key attribute of the wrong type (the key itself cannot change). */
static bool check_updated_item(emu_ctx *ctx, const store_table *t, const store_value *item)
{
    if (store_item_size(item) > STORE_MAX_ITEM_SIZE)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION, "Item size to update has exceeded the maximum allowed size");
    if (!store_item_within_depth(item))
        return store_fail(&ctx->err, STORE_ERR_VALIDATION, "Nesting Levels have exceeded supported limits");
    return store_table_check_key(t, item, false, &ctx->err);
}

store_value *emu_update_new_item(emu_ctx *ctx, const store_table *t, const store_update *u, const store_value *old,
                                 const store_value *key)
{
    store_value *new_item = u ? store_update_apply(u, old, &ctx->err) : store_retain((store_value *)(old ? old : key));
    if (new_item && !old && u) new_item = with_key(new_item, key);
    if (new_item && !check_updated_item(ctx, t, new_item)) {
        store_release(new_item);
        return NULL;
    }
    return new_item;
}

/* The Attributes ReturnValues asks for; false when out of memory. */
static bool add_attributes(emu_ctx *ctx, const char *return_values, const store_update *u, const store_value *old,
                           const store_value *new_item)
{
    if (strcmp(return_values, "ALL_OLD") == 0 && old) return emu_add_item(ctx->resp, "Attributes", old, NULL);
    if (strcmp(return_values, "ALL_NEW") == 0) return emu_add_item(ctx->resp, "Attributes", new_item, NULL);
    if (strncmp(return_values, "UPDATED_", 8) != 0 || !u) return true;
    /* Only the paths the update wrote, nested ones included, as DynamoDB answers. */
    const store_value *from = return_values[8] == 'O' ? old : new_item;
    if (!from) return true;
    store_projection *written = store_update_projection(u);
    store_value *picked = written ? store_projection_apply(written, from) : NULL;
    bool ok = picked && (!picked->len || emu_add_item(ctx->resp, "Attributes", picked, NULL));
    store_release(picked);
    store_projection_free(written);
    return ok;
}

/* The whole answer, made before the update commits. */
static bool answer(emu_ctx *ctx, const emu_write_request *w, const store_update *u, const store_table *t,
                   const store_value *old, const store_value *new_item)
{
    if (!add_attributes(ctx, w->return_values, u, old, new_item))
        return emu_oom(ctx);
    return emu_write_report_add(ctx, &w->report, t, old, new_item) && emu_answer_ready(ctx);
}

static bool update(emu_ctx *ctx, store_table *t, const store_update *u, const emu_write_request *w)
{
    store_value *key = emu_read_key(ctx, t, ctx->req, "Key");
    if (!key || !emu_update_refuse_key_updates(ctx, t, u)) { store_release(key); return false; }
    store_value *old = store_retain(store_table_get(t, key));
    store_value *new_item = NULL;
    bool ok = emu_write_condition_check(ctx, &w->condition, old);
    if (ok) new_item = emu_update_new_item(ctx, t, u, old, key);
    ok = new_item != NULL;
    if (!ok && ctx->err.status == STORE_ERR_VALIDATION && emu_present(ctx->req, "AttributeUpdates") &&
        strstr(ctx->err.message, "incorrect data type"))
        snprintf(ctx->err.message, sizeof ctx->err.message, "Type mismatch for attribute to update"); /* legacy wording */
    ok = ok && answer(ctx, w, u, t, old, new_item);
    store_value *replaced = NULL;
    if (ok && !store_table_put(t, store_retain(new_item), &replaced)) {
        store_release(new_item);
        ok = emu_oom(ctx);
    }
    store_release(replaced);
    store_release(new_item);
    store_release(old);
    store_release(key);
    return ok;
}

bool emu_op_update_item(emu_ctx *ctx)
{
    emu_write_request w;
    store_update *u = NULL;
    if (!emu_write_request_open(ctx, "Key", update_return_values, update_expressions, &w)) return false;
    bool ok = read_update(ctx, &w.env, &u);
    store_table *t = ok ? emu_write_request_table(ctx, &w, emu_present(ctx->req, "UpdateExpression")) : NULL;
    ok = t && update(ctx, t, u, &w);
    store_update_free(u);
    emu_write_request_close(&w);
    return ok;
}
