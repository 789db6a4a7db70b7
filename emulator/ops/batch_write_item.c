/* emulator/ops/batch_write_item.c — BatchWriteItem: up to 25 puts and
 * deletes over one or more tables, all validated before any is applied. */
#include "emulator/ops/capacity.h"
#include "emulator/ops/ops.h"

#include <stdlib.h>

#define EMU_BATCH_WRITE_MAX 25

typedef struct write_request {
    store_table *table;
    store_value *item;      /* a put: the item; a delete: the key */
    bool is_put;
    const cJSON *json;      /* as the client sent it: what UnprocessedItems gives back */
} write_request;

static bool same_key(const write_request *a, const write_request *b)
{
    if (a->table != b->table) return false;
    store_key ka = store_item_key(&a->table->items, a->item), kb = store_item_key(&b->table->items, b->item);
    if (ka.hash != kb.hash || !store_value_equal(ka.pk, kb.pk)) return false;
    return !ka.sk || store_value_equal(ka.sk, kb.sk);
}

/* One request's item or key, decoded and sized before any table is looked up, as AWS checks them. */
static bool read_request(emu_ctx *ctx, const char *table, const cJSON *r, write_request *out)
{
    const cJSON *put, *del;
    if (!emu_object(ctx, r, "PutRequest", &put) || !emu_object(ctx, r, "DeleteRequest", &del)) return false;
    /* AWS's words for a request with neither (sic, as recorded). */
    if (!put && !del)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION, "Supplied AttributeValue has more than one datatypes set, "
                                                           "must contain exactly one of the supported datatypes");
    if (put && del)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "1 validation error detected: Value null at 'requestItems.%s.member.writeRequest' failed to "
                          "satisfy constraint: Exactly one of PutRequest or DeleteRequest must be specified", table);
    out->is_put = put != NULL;
    out->json = r;
    out->item = emu_item_member(ctx, put ? put : del, put ? "Item" : "Key", true);
    if (out->item && out->is_put && store_item_size(out->item) > STORE_MAX_ITEM_SIZE)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION, "Item size has exceeded the maximum allowed size");
    return out->item != NULL;
}

/* Once the table is found: the item's or key's schema. */
static bool check_request(emu_ctx *ctx, store_table *t, write_request *r)
{
    r->table = t;
    return r->is_put ? emu_check_new_item(ctx, t, r->item) : store_table_check_key(t, r->item, true, &ctx->err);
}

static bool count_requests(emu_ctx *ctx, const cJSON *tables, int *total)
{
    emu_violations v;
    emu_violations_init(&v);
    const cJSON *list;
    *total = 0;
    cJSON_ArrayForEach(list, tables) {
        emu_check_table_name(&v, list->string, "requestItems.key");
        if (!cJSON_IsArray(list))
            return store_fail(&ctx->err, STORE_ERR_SERIALIZATION, "Unexpected value type in payload");
        int n = cJSON_GetArraySize(list);
        if (n < 1 || n > EMU_BATCH_WRITE_MAX)
            emu_violation(&v, "Value at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: "
                              "[Member must have length less than or equal to 25, Member must have length greater than or equal to 1]");
        *total += n;
    }
    if (!emu_violations_done(ctx, &v)) return false;
    if (*total > EMU_BATCH_WRITE_MAX)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION, "Too many items requested for the BatchWriteItem call");
    return true;
}

static bool read_requests(emu_ctx *ctx, const cJSON *tables, write_request *reqs, int *n)
{
    const cJSON *list, *r;
    cJSON_ArrayForEach(list, tables)
        cJSON_ArrayForEach(r, list) {
            bool ok = read_request(ctx, list->string, r, &reqs[*n]);
            (*n)++;
            if (!ok) return false;
        }
    int at = 0;
    cJSON_ArrayForEach(list, tables) {
        store_table *t = emu_table(ctx, list->string);
        if (!t) return false;
        for (int end = at + cJSON_GetArraySize(list); at < end; at++) {
            if (!check_request(ctx, t, &reqs[at])) return false;
            for (int i = 0; i < at; i++)
                if (same_key(&reqs[i], &reqs[at]))
                    return store_fail(&ctx->err, STORE_ERR_VALIDATION, "Provided list of item keys contains duplicates");
        }
    }
    return true;
}

/* Applies one request, charging its table and noting its item collection;
 * false when memory ran out and it changed nothing. */
static bool apply(write_request *r, emu_consumed_list *consumed, cJSON **metrics)
{
    store_value *old = NULL;
    if (r->is_put) {
        if (!store_table_put(r->table, store_retain(r->item), &old)) {
            store_release(r->item);
            return false;
        }
    } else if (!(old = store_table_remove(r->table, r->item)) && store_table_get(r->table, r->item)) {
        return false; /* still there: the removal ran out of memory */
    }
    emu_charge_write(emu_consumed_for(consumed, r->table), old, r->is_put ? r->item : NULL, 1);
    bool made;
    cJSON *m = metrics ? emu_item_collection_metrics(r->table, r->is_put ? r->item : old, &made) : NULL;
    if (m) {
        if (!*metrics) *metrics = cJSON_CreateObject();
        cJSON *list = cJSON_GetObjectItemCaseSensitive(*metrics, r->table->name);
        if (!list) list = cJSON_AddArrayToObject(*metrics, r->table->name);
        cJSON_AddItemToArray(list, m);
    }
    store_release(old);
    return true;
}

/* A request not applied goes back to the client in UnprocessedItems, as
 * DynamoDB answers one it could not process; false when out of memory. */
static bool unprocessed(cJSON *items, const write_request *r)
{
    cJSON *list = cJSON_GetObjectItemCaseSensitive(items, r->table->name);
    if (!list) list = cJSON_AddArrayToObject(items, r->table->name);
    return list && store_json_add(list, NULL, cJSON_Duplicate(r->json, true));
}

bool emu_op_batch_write_item(emu_ctx *ctx)
{
    const cJSON *tables;
    emu_violations v;
    emu_violations_init(&v);
    int total;
    emu_capacity_mode mode;
    bool metrics;
    if (!emu_object(ctx, ctx->req, "RequestItems", &tables)) return false;
    emu_require(&v, tables, "requestItems");
    if (tables && cJSON_GetArraySize(tables) == 0)
        emu_violation(&v, "Value '{}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1");
    if (!emu_violations_done(ctx, &v) || !count_requests(ctx, tables, &total) ||
        !emu_capacity_mode_read(ctx, ctx->req, &mode) || !emu_item_collection_mode_read(ctx, ctx->req, &metrics))
        return false;
    write_request reqs[EMU_BATCH_WRITE_MAX] = {0};
    emu_consumed_list consumed = {.n = 0};
    cJSON *collections = NULL;
    int n = 0;
    bool ok = read_requests(ctx, tables, reqs, &n);
    cJSON *skipped = ok ? cJSON_AddObjectToObject(ctx->resp, "UnprocessedItems") : NULL;
    ok = ok && (skipped || emu_oom(ctx));
    /* After the first request memory refuses, the rest are left for the client's retry. */
    bool applying = true;
    for (int i = 0; i < n; i++) {
        if (ok && applying) applying = apply(&reqs[i], &consumed, metrics ? &collections : NULL);
        if (ok && !applying) ok = unprocessed(skipped, &reqs[i]) || emu_oom(ctx);
        store_release(reqs[i].item); /* NULL for a request that failed to read */
    }
    if (ok) {
        emu_consumed_list_add(ctx->resp, mode, &consumed);
        if (collections) cJSON_AddItemToObject(ctx->resp, "ItemCollectionMetrics", collections);
    }
    return ok;
}
