/* emulator/ops/index_read.c — reading a table or one of its secondary
 * indexes: resolving IndexName, and DynamoDB's checks of index reads. */
#include "emulator/ops/index_read.h"
#include "emulator/ops/read_page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool emu_source_open(emu_ctx *ctx, const store_table *t, emu_source *src)
{
    const char *name;
    bool has_consistent, consistent;
    emu_violations v;
    emu_violations_init(&v);
    if (!emu_string(ctx, ctx->req, "IndexName", &name) ||
        !emu_bool(ctx, ctx->req, "ConsistentRead", &has_consistent, &consistent))
        return false;
    *src = (emu_source){t, NULL, t->items, &t->key};
    if (!name) return true;
    emu_check_table_name(&v, name, "indexName");
    if (!emu_violations_done(ctx, &v)) return false;
    const store_index *x = store_table_index(t, name);
    if (!x) return store_fail(&ctx->err, STORE_ERR_VALIDATION, "The table does not have the specified index: %s", name);
    if (x->global && consistent)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION, "Consistent reads are not supported on global secondary indexes");
    src->index = x;
    src->tree = store_index_view(t, x);
    src->keys = &x->key;
    return true;
}

const store_key_schema *emu_source_index_keys(const emu_source *src)
{
    return src->index ? &src->index->key : NULL;
}

/* ---- what a GSI read may ask for ---- */

static bool refuse_unprojected(emu_ctx *ctx, const emu_source *src, const char *attr, size_t len)
{
    store_value *name = store_name(attr, len);
    bool projected = store_index_projects(src->table, src->index, name);
    store_release(name);
    if (projected) return true;
    return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                      "One or more parameter values were invalid: Global secondary index %s does not project "
                      "attribute %.*s",
                      src->index->name, (int)len, attr);
}

/* Every top-level attribute the read asks for must be projected into the GSI. */
static bool check_gsi_projection(emu_ctx *ctx, const emu_source *src, const store_projection *p)
{
    for (size_t i = 0; i < store_projection_count(p); i++) {
        const store_value *name = store_projection_top_name(p, i);
        if (!refuse_unprojected(ctx, src, store_bytes(name), name->len)) return false;
    }
    return true;
}

/* ---- an LSI's own projection, applied to the table items it keeps ---- */

/* What an LSI projects: the table's and the index's keys, and the INCLUDE attributes. */
static store_projection *index_projection(emu_ctx *ctx, const store_table *t, const store_index *x)
{
    store_value *names[2 + 2 * STORE_MAX_KEY_ATTRS + STORE_MAX_NON_KEY_ATTRS];
    size_t n = 0;
    for (size_t i = 0; i < store_key_count(&t->key); i++) names[n++] = (store_value *)store_key_name(&t->key, i);
    for (size_t i = 0; i < store_key_count(&x->key); i++) names[n++] = (store_value *)store_key_name(&x->key, i);
    for (size_t i = 0; i < x->n_non_key; i++) names[n++] = x->non_key[i];
    store_projection *p = store_projection_of_names(names, n); /* repeated names make one path */
    if (!p) emu_oom(ctx);
    return p;
}

bool emu_source_select(emu_ctx *ctx, emu_env *env, const emu_source *src, store_projection **projection,
                       bool *count_only)
{
    const char *select;
    if (!emu_read_select(ctx, env, src->index != NULL, projection, count_only)) return false;
    const store_index *x = src->index;
    if (!x || x->projection == STORE_PROJECT_ALL) return true;
    emu_string(ctx, ctx->req, "Select", &select);
    bool all_attributes = select && strcmp(select, "ALL_ATTRIBUTES") == 0;
    if (x->global && all_attributes)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for "
                          "global secondary index %s because its projection type is not ALL",
                          x->name);
    if (x->global) return !*projection || check_gsi_projection(ctx, src, *projection);
    if (*projection || all_attributes || *count_only) return true;
    return (*projection = index_projection(ctx, src->table, x)) != NULL;
}

/* ---- ExclusiveStartKey ---- */

static bool has_valid(const store_value *esk, const store_value *name, store_type type)
{
    const store_value *v = store_map_get(esk, store_bytes(name), name->len);
    return v && v->type == type && (v->len || type == STORE_N);
}

/* Counts the start key's attributes that are key attributes of k not counted
 * before (in seen); false if one is missing. */
static bool holds_keys(const store_value *esk, const store_key_schema *k, const store_value **seen, size_t *n_seen)
{
    for (size_t i = 0; i < store_key_count(k); i++) {
        const store_value *name = store_key_name(k, i);
        bool repeated = false;
        for (size_t j = 0; j < *n_seen; j++) repeated = repeated || store_value_equal(seen[j], name);
        if (repeated) continue;
        seen[(*n_seen)++] = name;
        if (!store_map_get(esk, store_bytes(name), name->len)) return false;
    }
    return true;
}

/* An index's start key: exactly the table's and the index's key attributes. */
static bool check_index_start_key(emu_ctx *ctx, const emu_source *src, const store_value *esk)
{
    const store_key_schema *xk = src->keys;
    const store_value *seen[2 + 2 * STORE_MAX_KEY_ATTRS];
    size_t wanted = 0;
    if (!holds_keys(esk, &src->table->key, seen, &wanted) || !holds_keys(esk, xk, seen, &wanted) || esk->len != wanted)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION, "The provided starting key is invalid");
    for (size_t i = 0; i < store_key_count(xk); i++)
        if (!has_valid(esk, store_key_name(xk, i), store_key_type(xk, i)))
            return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                              "The provided starting key is invalid: The provided key element does not match the schema");
    return true;
}

/* A table's start key: exactly its key attributes, else AWS names no reason. */
static bool check_table_start_key(emu_ctx *ctx, const store_table *t, const store_value *esk)
{
    const store_value *seen[2 * STORE_MAX_KEY_ATTRS];
    size_t wanted = 0;
    if (holds_keys(esk, &t->key, seen, &wanted) && esk->len == wanted) return true;
    return store_fail(&ctx->err, STORE_ERR_VALIDATION, "The provided starting key is invalid");
}

store_value *emu_source_start_key(emu_ctx *ctx, const emu_source *src, const cJSON *esk_json)
{
    store_value *esk = store_decode_item(esk_json, &ctx->err);
    if (!esk) return NULL;
    bool ok = src->index ? check_index_start_key(ctx, src, esk) : check_table_start_key(ctx, src->table, esk);
    store_value *table_key = ok ? emu_key_of(&src->table->key, esk) : NULL;
    store_error key_err = {0};
    if (ok && !(ok = table_key && store_table_check_key(src->table, src->index ? table_key : esk, true, &key_err))) {
        /* A value of the wrong type is worded as for any key; other problems as a start key's. */
        bool mismatch = strcmp(key_err.message, "The provided key element does not match the schema") == 0;
        if (mismatch) store_fail(&ctx->err, STORE_ERR_VALIDATION, "%s", key_err.message);
        else store_fail(&ctx->err, STORE_ERR_VALIDATION, "The provided starting key is invalid: %s", key_err.message);
    }
    store_release(table_key);
    if (ok) return esk;
    store_release(esk);
    return NULL;
}
