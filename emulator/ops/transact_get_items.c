/* emulator/ops/transact_get_items.c — TransactGetItems: up to 100 items read
 * in one consistent view, answered in request order ({} for a missing item),
 * each optionally projected.
 *
 * The database's read lock makes the view consistent. As TransactWriteItems,
 * it refuses what the request alone shows wrong first, then missing tables,
 * empty key values and two reads of one item; a key that does not match its
 * table's schema cancels the transaction (a ValidationError reason). */
#include "emulator/ops/capacity.h"
#include "emulator/ops/ops.h"
#include "emulator/ops/transaction.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct tx_get {
    emu_tx_target t;                /* first, for emu_tx_open: the Get object, its table and key */
    emu_env env;
    store_projection *projection;   /* NULL: the whole item */
} tx_get;

/* ---- the members of the request ---- */

static bool check_entry_members(emu_ctx *ctx, emu_violations *v, const cJSON *entry, int index)
{
    char field[96];
    const cJSON *get, *key;
    const char *table;
    if (!cJSON_IsObject(entry))
        return store_fail(&ctx->err, STORE_ERR_SERIALIZATION, "Unexpected value type in payload");
    if (!emu_object(ctx, entry, "Get", &get)) return false;
    snprintf(field, sizeof field, "transactItems.%d.member.get", index);
    emu_require(v, get, field);
    if (!get) return true;
    if (!emu_object(ctx, get, "Key", &key) || !emu_string(ctx, get, "TableName", &table)) return false;
    snprintf(field, sizeof field, "transactItems.%d.member.get.key", index);
    emu_require(v, key, field);
    snprintf(field, sizeof field, "transactItems.%d.member.get.tableName", index);
    emu_check_table_name(v, table, field);
    return true;
}

static bool read_request(emu_ctx *ctx, const cJSON **items)
{
    const char *capacity;
    emu_violations v;
    emu_violations_init(&v);
    if (!emu_array(ctx, ctx->req, "TransactItems", items) ||
        !emu_string(ctx, ctx->req, "ReturnConsumedCapacity", &capacity))
        return false;
    emu_tx_check_return_consumed_capacity(&v, capacity);
    return emu_tx_check_entries(ctx, &v, *items, check_entry_members);
}

/* ---- each read ---- */

/* A Get has ExpressionAttributeNames but no values: only the names are read
 * (values sent anyway are ignored, as AWS ignores members a shape lacks). */
static bool open_names(emu_ctx *ctx, const cJSON *get, emu_env *env)
{
    cJSON *names_only = cJSON_CreateObject();
    cJSON *names = cJSON_GetObjectItemCaseSensitive(get, "ExpressionAttributeNames");
    if (!names_only) return emu_oom(ctx);
    /* A reference under a constant name: cJSON's own reference add loses the
     * reference when copying the name fails. */
    cJSON *ref = names ? cJSON_CreateObjectReference(names->child) : NULL;
    if (names && (!ref || !cJSON_AddItemToObjectCS(names_only, "ExpressionAttributeNames", ref))) {
        cJSON_Delete(ref);
        cJSON_Delete(names_only);
        return emu_oom(ctx);
    }
    bool ok = emu_env_open(ctx, names_only, env);
    cJSON_Delete(names_only);
    return ok;
}

static bool read_get(emu_ctx *ctx, const cJSON *entry, tx_get *g)
{
    const char *projection;
    g->t.json = cJSON_GetObjectItemCaseSensitive(entry, "Get");
    if (!(g->t.item = emu_item_member(ctx, g->t.json, "Key", true)) ||
        !emu_string(ctx, g->t.json, "ProjectionExpression", &projection) || !open_names(ctx, g->t.json, &g->env))
        return false;
    if (projection && !(g->projection = store_projection_parse(projection, &g->env.env, &ctx->err))) return false;
    return emu_env_check_unused(ctx, &g->env, projection != NULL);
}

static bool read_gets(emu_ctx *ctx, const cJSON *items, tx_get *gets)
{
    int i = 0;
    const cJSON *entry;
    cJSON_ArrayForEach(entry, items)
        if (!read_get(ctx, entry, &gets[i++])) return false;
    return true;
}

/* ---- reading ---- */

/* Every key against its table's schema: one that does not match cancels the transaction. */
static bool check_keys(emu_ctx *ctx, const tx_get *gets, int n)
{
    emu_tx_reasons r;
    if (!emu_tx_reasons_open(&r, n)) return emu_oom(ctx);
    for (int i = 0; i < n; i++) {
        store_error err = {STORE_OK, ""};
        if (!store_table_check_key(gets[i].t.table, gets[i].t.item, true, &err))
            emu_tx_reason_validation(&r, i, err.message);
    }
    bool cancelled = r.cancelled;
    if (cancelled) emu_tx_cancel(ctx, &r);
    emu_tx_reasons_close(&r);
    return !cancelled;
}

/* Each read is charged twice a strongly consistent read of its item, as transactions are. */
static bool answer(emu_ctx *ctx, const tx_get *gets, int n)
{
    emu_consumed_list consumed = {.n = 0};
    cJSON *responses = cJSON_AddArrayToObject(ctx->resp, "Responses");
    bool ok = responses != NULL;
    for (int i = 0; i < n; i++) {
        cJSON *response = ok ? cJSON_CreateObject() : NULL;
        const store_value *item = store_table_get(gets[i].t.table, gets[i].t.item);
        if (response && item && !emu_add_item(response, "Item", item, gets[i].projection)) {
            cJSON_Delete(response);
            response = NULL;
        }
        ok = ok && store_json_add(responses, NULL, response);
        emu_consumed_for(&consumed, gets[i].t.table)->table_units +=
            2 * emu_read_units(item ? store_item_size(item) : 0, true);
    }
    emu_capacity_mode mode;
    if (emu_capacity_mode_read(ctx, ctx->req, &mode)) ok = emu_consumed_list_add(ctx->resp, mode, &consumed) && ok;
    return ok || emu_oom(ctx);
}

static void free_gets(tx_get *gets, int n)
{
    for (int i = 0; i < n; i++) {
        store_release(gets[i].t.item);
        store_projection_free(gets[i].projection);
        emu_env_close(&gets[i].env);
    }
    free(gets);
}

bool emu_op_transact_get_items(emu_ctx *ctx)
{
    const cJSON *items;
    if (!read_request(ctx, &items)) return false;
    int n = cJSON_GetArraySize(items);
    tx_get *gets = calloc((size_t)n, sizeof *gets);
    if (!gets) return emu_oom(ctx);
    bool ok = read_gets(ctx, items, gets) && emu_tx_open(ctx, gets, sizeof *gets, n) && check_keys(ctx, gets, n);
    ok = ok && answer(ctx, gets, n);
    free_gets(gets, n);
    return ok;
}
