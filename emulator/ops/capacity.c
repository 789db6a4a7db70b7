/* emulator/ops/capacity.c — consumed capacity and item collection metrics. */
#include "emulator/ops/capacity.h"
#include "store/index.h"

#include <stdlib.h>
#include <string.h>

static const char *const capacity_modes[] = {"INDEXES", "TOTAL", "NONE", NULL};
static const char *const collection_modes[] = {"SIZE", "NONE", NULL};

bool emu_capacity_mode_read(emu_ctx *ctx, const cJSON *obj, emu_capacity_mode *mode)
{
    const char *s;
    emu_violations v;
    emu_violations_init(&v);
    if (!emu_string(ctx, obj, "ReturnConsumedCapacity", &s)) return false;
    emu_check_enum(&v, s, "returnConsumedCapacity", capacity_modes, "[INDEXES, TOTAL, NONE]");
    if (!emu_violations_done(ctx, &v)) return false;
    *mode = !s || strcmp(s, "NONE") == 0 ? EMU_CAPACITY_NONE
          : strcmp(s, "TOTAL") == 0      ? EMU_CAPACITY_TOTAL : EMU_CAPACITY_INDEXES;
    return true;
}

static double units(size_t bytes, size_t unit)
{
    size_t n = (bytes + unit - 1) / unit;
    return (double)(n ? n : 1);
}

double emu_read_units(size_t bytes, bool consistent)
{
    return units(bytes, EMU_READ_UNIT_BYTES) * (consistent ? 1.0 : 0.5);
}

double emu_write_units(size_t bytes) { return units(bytes, EMU_WRITE_UNIT_BYTES); }

static size_t size_of(const store_value *item) { return item ? store_item_size(item) : 0; }

static bool charge_index(emu_consumed *c, size_t i, double u)
{
    if (!c->index_units && !(c->index_units = calloc(c->table->n_indexes, sizeof *c->index_units))) return false;
    c->index_units[i] += u;
    return true;
}

/* An index entry changes when the item enters, leaves, or is rewritten while in it. */
static void charge_indexes(emu_consumed *c, const store_value *old, const store_value *new_item, double factor)
{
    const store_table *t = c->table;
    for (size_t i = 0; i < t->n_indexes; i++) {
        bool was = old && store_index_covers(&t->indexes[i], old);
        bool is = new_item && store_index_covers(&t->indexes[i], new_item);
        if (!was && !is) continue;
        double cost = 0;
        if (was) cost += emu_write_units(size_of(old));
        if (is) cost += emu_write_units(size_of(new_item));
        if (was && is) cost /= 2; /* an entry rewritten in place is one write */
        if (!charge_index(c, i, cost * factor)) return;
    }
}

void emu_charge_write(emu_consumed *c, const store_value *old, const store_value *new_item, double factor)
{
    size_t bytes = size_of(old) > size_of(new_item) ? size_of(old) : size_of(new_item);
    c->table_units += emu_write_units(bytes) * factor;
    charge_indexes(c, old, new_item, factor);
}

void emu_charge_read(emu_consumed *c, const store_index *index, size_t bytes, bool consistent)
{
    double u = emu_read_units(bytes, consistent);
    if (index) charge_index(c, (size_t)(index - c->table->indexes), u);
    else c->table_units += u;
}

bool emu_read_options(emu_ctx *ctx, const cJSON *obj, emu_capacity_mode *mode, bool *consistent)
{
    bool present;
    return emu_capacity_mode_read(ctx, obj, mode) && emu_bool(ctx, obj, "ConsistentRead", &present, consistent);
}

void emu_add_read_capacity(emu_ctx *ctx, emu_capacity_mode mode, bool consistent, const store_table *t,
                           const store_index *x, size_t bytes)
{
    emu_consumed c = {t, 0, NULL};
    emu_charge_read(&c, x, bytes, consistent);
    emu_consumed_add(ctx->resp, "ConsumedCapacity", mode, &c);
}

static bool add_units(cJSON *obj, const char *name, double u)
{
    cJSON *o = cJSON_AddObjectToObject(obj, name);
    return o && cJSON_AddNumberToObject(o, "CapacityUnits", u);
}

/* The per-index part of a report (ReturnConsumedCapacity INDEXES). */
static bool add_index_units(cJSON *cc, const emu_consumed *c)
{
    bool ok = true;
    if (c->table_units > 0 || !c->index_units) ok = add_units(cc, "Table", c->table_units);
    cJSON *gsi = NULL, *lsi = NULL;
    for (size_t i = 0; ok && c->index_units && i < c->table->n_indexes; i++) {
        const store_index *x = &c->table->indexes[i];
        if (c->index_units[i] == 0) continue;
        cJSON **list = x->global ? &gsi : &lsi;
        if (!*list) *list = cJSON_AddObjectToObject(cc, x->global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes");
        ok = *list && add_units(*list, x->name, c->index_units[i]);
    }
    return ok;
}

bool emu_consumed_add(cJSON *obj, const char *name, emu_capacity_mode mode, emu_consumed *c)
{
    bool ok = true;
    if (mode != EMU_CAPACITY_NONE) {
        cJSON *cc = cJSON_CreateObject();
        double total = c->table_units;
        for (size_t i = 0; c->index_units && i < c->table->n_indexes; i++) total += c->index_units[i];
        ok = cc && cJSON_AddStringToObject(cc, "TableName", c->table->name) &&
             cJSON_AddNumberToObject(cc, "CapacityUnits", total) &&
             (mode != EMU_CAPACITY_INDEXES || add_index_units(cc, c)) &&
             (name ? cJSON_AddItemToObject(obj, name, cc) : cJSON_AddItemToArray(obj, cc));
        if (!ok) cJSON_Delete(cc);
    }
    free(c->index_units);
    c->index_units = NULL;
    return ok;
}

emu_consumed *emu_consumed_for(emu_consumed_list *l, const store_table *t)
{
    for (int i = 0; i < l->n; i++)
        if (l->tables[i].table == t) return &l->tables[i];
    l->tables[l->n] = (emu_consumed){t, 0, NULL};
    return &l->tables[l->n++];
}

bool emu_consumed_list_add(cJSON *resp, emu_capacity_mode mode, emu_consumed_list *l)
{
    cJSON *list = mode != EMU_CAPACITY_NONE ? cJSON_AddArrayToObject(resp, "ConsumedCapacity") : NULL;
    bool ok = list || mode == EMU_CAPACITY_NONE;
    for (int i = 0; i < l->n; i++) ok = emu_consumed_add(list, NULL, mode, &l->tables[i]) && ok;
    l->n = 0;
    return ok;
}

bool emu_item_collection_mode_read(emu_ctx *ctx, const cJSON *obj, bool *size)
{
    const char *s;
    emu_violations v;
    emu_violations_init(&v);
    if (!emu_string(ctx, obj, "ReturnItemCollectionMetrics", &s)) return false;
    emu_check_enum(&v, s, "returnItemCollectionMetrics", collection_modes, "[SIZE, NONE]");
    *size = s && strcmp(s, "SIZE") == 0;
    return emu_violations_done(ctx, &v);
}

static bool has_local_index(const store_table *t)
{
    for (size_t i = 0; i < t->n_indexes; i++)
        if (!t->indexes[i].global) return true;
    return false;
}

/* The bytes of one partition: its items walked in key order from the first. */
static size_t collection_bytes(const store_table *t, const store_value *pk)
{
    store_key k = {.hash = store_key_hash(pk), .pk = pk, .sk_bound = -1};
    store_cursor c;
    store_cursor_open(&c, &t->items, &k, STORE_SEEK_GE);
    size_t bytes = 0;
    const store_value *item;
    while ((item = store_cursor_next(&c))) {
        const store_value *ipk = store_map_get_name(item, t->key.names.pk_name);
        if (!ipk || !store_value_equal(ipk, pk)) break;
        bytes += store_item_size(item);
    }
    store_cursor_close(&c);
    return bytes;
}

cJSON *emu_item_collection_metrics(const store_table *t, const store_value *item, bool *ok)
{
    *ok = true;
    if (!item || !has_local_index(t)) return NULL;
    store_value *pk = store_map_get_name(item, t->key.names.pk_name);
    if (!pk) return NULL;
    cJSON *m = cJSON_CreateObject();
    cJSON *key = cJSON_AddObjectToObject(m, "ItemCollectionKey");
    /* AWS answers a range in GB around the collection's size; a lower bound of 0 below 1 GB. */
    size_t whole_gb = collection_bytes(t, pk) >> 30;
    cJSON *range = cJSON_AddArrayToObject(m, "SizeEstimateRangeGB");
    *ok = key && range && cJSON_AddItemToObject(key, store_bytes(t->key.names.pk_name), store_encode_value(pk)) &&
          cJSON_AddItemToArray(range, cJSON_CreateNumber((double)whole_gb)) &&
          cJSON_AddItemToArray(range, cJSON_CreateNumber((double)whole_gb + 1));
    if (*ok) return m;
    cJSON_Delete(m);
    return NULL;
}

bool emu_write_report_read(emu_ctx *ctx, emu_write_report *r)
{
    return emu_capacity_mode_read(ctx, ctx->req, &r->capacity) &&
           emu_item_collection_mode_read(ctx, ctx->req, &r->collection_metrics);
}

bool emu_write_report_add(emu_ctx *ctx, const emu_write_report *r, const store_table *t, const store_value *old,
                          const store_value *new_item)
{
    emu_consumed c = {t, 0, NULL};
    emu_charge_write(&c, old, new_item, 1);
    bool ok = emu_consumed_add(ctx->resp, "ConsumedCapacity", r->capacity, &c);
    cJSON *m = ok && r->collection_metrics ? emu_item_collection_metrics(t, new_item ? new_item : old, &ok) : NULL;
    if (m && !cJSON_AddItemToObject(ctx->resp, "ItemCollectionMetrics", m)) {
        cJSON_Delete(m);
        ok = false;
    }
    return ok || emu_oom(ctx);
}
