/* emulator/ops/update_table.c — UpdateTable: billing mode and provisioned
 * throughput of the table and its GSIs, and one GSI created (backfilled from
 * the table's items) or deleted a call, validated as DynamoDB validates
 * them. Everything is checked before anything changes, and changes apply at
 * once: the table and its indexes stay ACTIVE. */
#include "emulator/ops/common.h"
#include "emulator/ops/key_schema.h"
#include "emulator/ops/ops.h"
#include "emulator/ops/streams.h"
#include "emulator/ops/table_description.h"
#include "store/index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EMU_MAX_GSI_UPDATES 5   /* entries of GlobalSecondaryIndexUpdates read; only one may create or delete */

static const char *const billing_modes[] = {"PROVISIONED", "PAY_PER_REQUEST", NULL};
static const char *const key_types[] = {"HASH", "RANGE", NULL};
static const char *const attr_types[] = {"B", "N", "S", NULL};
static const char *const projection_types[] = {"ALL", "KEYS_ONLY", "INCLUDE", NULL};

typedef struct throughput {
    bool given;
    long long read, write;
} throughput;

/* One entry of GlobalSecondaryIndexUpdates. */
typedef struct gsi_update {
    const cJSON *create, *update, *del;
    const char *name;
    throughput tp;
} gsi_update;

typedef struct table_update {
    const char *name, *billing;
    throughput tp;
    const cJSON *defs;
    gsi_update gsi[EMU_MAX_GSI_UPDATES];
    int n_gsi;
    bool too_many_gsi;
    const gsi_update *create, *del;
    emu_stream_spec stream;
} table_update;

/* ---- reading and the constraint violations AWS lists together ---- */

static bool read_throughput(emu_ctx *ctx, emu_violations *v, const cJSON *owner, const char *field, throughput *tp)
{
    const cJSON *p;
    bool has_r, has_w;
    char path[192];
    if (!emu_object(ctx, owner, "ProvisionedThroughput", &p)) return false;
    tp->given = p != NULL;
    if (!p) return true;
    if (!emu_integer(ctx, p, "ReadCapacityUnits", &has_r, &tp->read) ||
        !emu_integer(ctx, p, "WriteCapacityUnits", &has_w, &tp->write))
        return false;
    snprintf(path, sizeof path, "%s.readCapacityUnits", field);
    emu_require(v, has_r ? p : NULL, path);
    if (has_r && tp->read < 1)
        emu_violation(v, "Value '%lld' at '%s' failed to satisfy constraint: Member must have value greater than or equal to 1",
                      tp->read, path);
    snprintf(path, sizeof path, "%s.writeCapacityUnits", field);
    emu_require(v, has_w ? p : NULL, path);
    if (has_w && tp->write < 1)
        emu_violation(v, "Value '%lld' at '%s' failed to satisfy constraint: Member must have value greater than or equal to 1",
                      tp->write, path);
    return true;
}

static bool read_index_name(emu_ctx *ctx, emu_violations *v, const cJSON *action, const char *field, const char **name)
{
    char path[256];
    if (!emu_string(ctx, action, "IndexName", name)) return false;
    snprintf(path, sizeof path, "%s.indexName", field);
    emu_check_table_name(v, *name, path);
    return true;
}

static bool read_gsi_update(emu_ctx *ctx, emu_violations *v, const cJSON *e, int position, gsi_update *u)
{
    char field[160];
    if (!emu_object(ctx, e, "Create", &u->create) || !emu_object(ctx, e, "Update", &u->update) ||
        !emu_object(ctx, e, "Delete", &u->del))
        return false;
    const cJSON *action = u->create ? u->create : u->update ? u->update : u->del;
    const char *kind = u->create ? "create" : u->update ? "update" : "delete";
    if (!action) return true;
    snprintf(field, sizeof field, "globalSecondaryIndexUpdates.%d.member.%s", position, kind);
    if (!read_index_name(ctx, v, action, field, &u->name)) return false;
    if (u->update || u->create) {
        char tp_field[256];
        snprintf(tp_field, sizeof tp_field, "%s.provisionedThroughput", field);
        if (!read_throughput(ctx, v, action, tp_field, &u->tp)) return false;
        if (u->update && !u->tp.given) emu_require(v, NULL, tp_field);
    }
    if (u->create) {
        const cJSON *keys, *proj;
        char path[256];
        if (!emu_array(ctx, action, "KeySchema", &keys) || !emu_object(ctx, action, "Projection", &proj)) return false;
        snprintf(path, sizeof path, "%s.keySchema", field);
        emu_require(v, keys, path);
        snprintf(path, sizeof path, "%s.projection", field);
        emu_require(v, proj, path);
    }
    return true;
}

static bool read_request(emu_ctx *ctx, table_update *u)
{
    const cJSON *updates;
    emu_violations v;
    emu_violations_init(&v);
    if (!emu_string(ctx, ctx->req, "TableName", &u->name) || !emu_string(ctx, ctx->req, "BillingMode", &u->billing) ||
        !emu_array(ctx, ctx->req, "GlobalSecondaryIndexUpdates", &updates) ||
        !emu_array(ctx, ctx->req, "AttributeDefinitions", &u->defs) ||
        !read_throughput(ctx, &v, ctx->req, "provisionedThroughput", &u->tp) ||
        !emu_read_stream_specification(ctx, &v, &u->stream))
        return false;
    emu_check_table_name(&v, u->name, "tableName");
    emu_check_enum(&v, u->billing, "billingMode", billing_modes, "[PROVISIONED, PAY_PER_REQUEST]");
    const cJSON *e;
    cJSON_ArrayForEach(e, updates) {
        /* More than fit: refused once those read are checked (check_gsi_updates). */
        if (u->n_gsi == EMU_MAX_GSI_UPDATES) { u->too_many_gsi = true; break; }
        if (!read_gsi_update(ctx, &v, e, u->n_gsi + 1, &u->gsi[u->n_gsi])) return false;
        u->n_gsi++;
    }
    return emu_violations_done(ctx, &v);
}

/* The units' bound, the table's then each index's, before the table is looked up. */
static bool check_bounds(emu_ctx *ctx, const table_update *u)
{
    if (u->tp.given && !emu_check_capacity_bounds(ctx, u->tp.read, u->tp.write, NULL)) return false;
    for (int i = 0; i < u->n_gsi; i++)
        if (u->gsi[i].tp.given && !emu_check_capacity_bounds(ctx, u->gsi[i].tp.read, u->gsi[i].tp.write, u->gsi[i].name))
            return false;
    return true;
}

/* ---- the request's own consistency, before the table is looked up ---- */

static bool anything_asked(const emu_ctx *ctx, const table_update *u)
{
    static const char *const ignored[] = {"SSESpecification", "ReplicaUpdates", "TableClass",
                                          "DeletionProtectionEnabled", NULL};
    if (u->tp.given || u->billing || u->n_gsi || u->stream.given) return true;
    for (const char *const *m = ignored; *m; m++)
        if (cJSON_GetObjectItemCaseSensitive(ctx->req, *m)) return true;
    return false;
}

static bool check_stream_update(emu_ctx *ctx, const table_update *u)
{
    const emu_stream_spec *st = &u->stream;
    if (!st->given) return true;
    if (st->enabled && !st->view_given)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: If stream is being enabled then UpdateViewType is required");
    if (!st->enabled && st->view_given)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: If stream is being disabled, then UpdateViewType must "
                          "not be specified");
    if (u->n_gsi)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: You cannot create or delete index while changing "
                          "stream status");
    if (u->tp.given)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: You cannot modify stream status while updating table IOPS");
    return true;
}

static bool check_gsi_updates(emu_ctx *ctx, table_update *u)
{
    for (int i = 0; i < u->n_gsi; i++) {
        gsi_update *g = &u->gsi[i];
        int actions = (g->create != NULL) + (g->update != NULL) + (g->del != NULL);
        if (actions == 0)
            return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                              "One or more parameter values were invalid: One of GlobalSecondaryIndexUpdate.Update, "
                              "GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null");
        if (actions > 1)
            return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                              "One or more parameter values were invalid: Only one of GlobalSecondaryIndexUpdate.Update, "
                              "GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete can be specified");
        for (int j = 0; j < i; j++)
            if (strcmp(u->gsi[j].name, g->name) == 0)
                return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                                  "One or more parameter values were invalid: Only one global secondary index update per "
                                  "index is allowed simultaneously. Index: %s",
                                  g->name);
        if ((g->create || g->del) && (u->create || u->del))
            return store_fail(&ctx->err, STORE_ERR_LIMIT,
                              "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table");
        if (g->create) u->create = g;
        if (g->del) u->del = g;
    }
    if (u->too_many_gsi)
        return store_fail(&ctx->err, STORE_ERR_LIMIT,
                          "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table");
    return true;
}

/* ---- billing and throughput against the table ---- */

static const gsi_update *update_of(const table_update *u, const char *index)
{
    for (int i = 0; i < u->n_gsi; i++)
        if ((u->gsi[i].update || u->gsi[i].create) && strcmp(u->gsi[i].name, index) == 0) return &u->gsi[i];
    return NULL;
}

static bool pay_per_request_after(const store_table *t, const table_update *u)
{
    return u->billing ? strcmp(u->billing, "PAY_PER_REQUEST") == 0 : t->pay_per_request;
}

/* Moving to PROVISIONED: every GSI that stays needs its own throughput. */
static bool check_gsi_throughput_given(emu_ctx *ctx, const store_table *t, const table_update *u)
{
    char missing[1024] = "";
    for (size_t i = 0; i < t->n_indexes; i++) {
        const store_index *x = &t->indexes[i];
        const gsi_update *g = update_of(u, x->name);
        if (!x->global || (u->del && strcmp(u->del->name, x->name) == 0) || (g && g->tp.given)) continue;
        size_t off = strlen(missing);
        snprintf(missing + off, sizeof missing - off, "%s%s", off ? "," : "", x->name);
    }
    if (!*missing) return true;
    return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                      "One or more parameter values were invalid: ProvisionedThroughput must be specified for index: %s",
                      missing);
}

static bool check_billing(emu_ctx *ctx, const store_table *t, const table_update *u)
{
    bool ppr = pay_per_request_after(t, u);
    if (ppr && u->tp.given)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits "
                          "can be specified when BillingMode is PAY_PER_REQUEST");
    bool to_provisioned = !ppr && t->pay_per_request;
    if (to_provisioned && !u->tp.given)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: ProvisionedThroughput must be specified when "
                          "BillingMode is PROVISIONED");
    if (to_provisioned && !check_gsi_throughput_given(ctx, t, u)) return false;
    if (!to_provisioned && u->tp.given && u->tp.read == t->read_capacity && u->tp.write == t->write_capacity)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "The provisioned throughput for the table will not change. The requested value equals the "
                          "current value. Current ReadCapacityUnits provisioned for the table: %lld. Requested "
                          "ReadCapacityUnits: %lld. Current WriteCapacityUnits provisioned for the table: %lld. Requested "
                          "WriteCapacityUnits: %lld. Refer to the Amazon DynamoDB Developer Guide for current limits and "
                          "how to request higher limits.",
                          (long long)t->read_capacity, u->tp.read, (long long)t->write_capacity, u->tp.write);
    return true;
}

static bool check_gsi_throughput_updates(emu_ctx *ctx, const store_table *t, const table_update *u)
{
    bool ppr = pay_per_request_after(t, u);
    for (int i = 0; i < u->n_gsi; i++) {
        const gsi_update *g = &u->gsi[i];
        if (!g->update) continue;
        const store_index *x = store_table_index(t, g->name);
        if (!x || !x->global)
            return store_fail(&ctx->err, STORE_ERR_NOT_FOUND, "Requested resource not found: Index: %s not found", g->name);
        if (ppr)
            return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                              "One or more parameter values were invalid: ProvisionedThroughput should not be specified "
                              "for index: %s when BillingMode is PAY_PER_REQUEST",
                              g->name);
    }
    return true;
}

/* ---- creating a GSI ---- */

/* The type the request's AttributeDefinitions give an attribute, -1 if none:
 * a new GSI's keys must be defined there, even those the table already knows. */
static int request_type(const table_update *u, const char *name)
{
    const cJSON *d;
    cJSON_ArrayForEach(d, u->defs) {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(d, "AttributeName");
        const cJSON *ty = cJSON_GetObjectItemCaseSensitive(d, "AttributeType");
        if (cJSON_IsString(n) && cJSON_IsString(ty) && strcmp(n->valuestring, name) == 0)
            return store_type_from_name(ty->valuestring);
    }
    return -1;
}

static bool check_definitions(emu_ctx *ctx, const table_update *u)
{
    emu_violations v;
    emu_violations_init(&v);
    int i = 0;
    const cJSON *d;
    cJSON_ArrayForEach(d, u->defs) {
        const char *name, *type;
        char path[128];
        if (!emu_string(ctx, d, "AttributeName", &name) || !emu_string(ctx, d, "AttributeType", &type)) return false;
        i++;
        snprintf(path, sizeof path, "attributeDefinitions.%d.member.attributeName", i);
        emu_require(&v, name, path);
        snprintf(path, sizeof path, "attributeDefinitions.%d.member.attributeType", i);
        emu_require(&v, type, path);
        emu_check_enum(&v, type, path, attr_types, "[B, N, S]");
    }
    return emu_violations_done(ctx, &v);
}

static bool read_create_keys(emu_ctx *ctx, const cJSON *create, emu_key_names *k)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(create, "KeySchema"), *e;
    emu_violations v;
    emu_violations_init(&v);
    if (cJSON_GetArraySize(list) < 1)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "1 validation error detected: Value '[...]' at 'globalSecondaryIndexUpdates.1.member.create.keySchema' "
                          "failed to satisfy constraint: Member must have length greater than or equal to 1");
    memset(k, 0, sizeof *k);
    cJSON_ArrayForEach(e, list) {
        const char *name, *type;
        if (!emu_string(ctx, e, "AttributeName", &name) || !emu_string(ctx, e, "KeyType", &type)) return false;
        emu_require(&v, name, "globalSecondaryIndexUpdates.1.member.create.keySchema.member.attributeName");
        emu_require(&v, type, "globalSecondaryIndexUpdates.1.member.create.keySchema.member.keyType");
        emu_check_enum(&v, type, "globalSecondaryIndexUpdates.1.member.create.keySchema.member.keyType", key_types,
                       "[HASH, RANGE]");
        if (!emu_violations_done(ctx, &v) || !emu_key_names_add(ctx, k, name, type, true)) return false;
    }
    return emu_key_names_check_unique(ctx, k);
}

/* The request's AttributeDefinitions by name, for messages: "a, b". */
static void definition_names(const table_update *u, char *out, size_t size)
{
    const cJSON *d;
    *out = 0;
    cJSON_ArrayForEach(d, u->defs) {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(d, "AttributeName");
        size_t off = strlen(out);
        if (cJSON_IsString(n)) snprintf(out + off, size - off, "%s%s", off ? ", " : "", n->valuestring);
    }
}

static bool check_create_keys_defined(emu_ctx *ctx, const store_table *t, const table_update *u, const emu_key_names *k)
{
    for (int i = 0; i < k->count; i++) {
        int type = request_type(u, k->names[i]);
        char defs[512], keys[2048];
        definition_names(u, defs, sizeof defs);
        emu_key_names_list(k, keys, sizeof keys);
        if (type < 0)
            return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                              "One or more parameter values were invalid: Some index key attributes are not defined in "
                              "AttributeDefinitions. Keys: [%s], AttributeDefinitions: [%s]", keys, defs);
        store_value *nv = store_name(k->names[i], strlen(k->names[i]));
        int before = store_table_attr_type(t, nv);
        store_release(nv);
        if (before >= 0 && before != type)
            return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                              "One or more parameter values were invalid: Attributes cannot be redefined. Please check "
                              "that your attribute has the same type as previously defined. Existing schema: "
                              "Schema:[SchemaElement: key{%s:%s:%s}] New schema: Schema:[SchemaElement: key{%s:%s:%s}]",
                              k->names[i], store_type_name((store_type)before), i >= k->n_hash ? "RANGE" : "HASH",
                              k->names[i], store_type_name((store_type)type), i >= k->n_hash ? "RANGE" : "HASH");
    }
    return true;
}

static bool check_projection(emu_ctx *ctx, const cJSON *proj, store_projection_type *type, const cJSON **non_key)
{
    const char *name;
    emu_violations v;
    emu_violations_init(&v);
    if (!emu_string(ctx, proj, "ProjectionType", &name) || !emu_array(ctx, proj, "NonKeyAttributes", non_key)) return false;
    emu_check_enum(&v, name, "globalSecondaryIndexUpdates.1.member.create.projection.projectionType", projection_types,
                   "[ALL, KEYS_ONLY, INCLUDE]");
    if (!emu_violations_done(ctx, &v)) return false;
    if (!name) return store_fail(&ctx->err, STORE_ERR_VALIDATION, "Unknown ProjectionType: null");
    bool include = strcmp(name, "INCLUDE") == 0;
    if (include && !*non_key)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
    if (!include && *non_key)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: ProjectionType is %s, but NonKeyAttributes is specified",
                          name);
    if (cJSON_GetArraySize(*non_key) > STORE_MAX_NON_KEY_ATTRS)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: The number of projected attributes exceeds the limit of %d",
                          STORE_MAX_NON_KEY_ATTRS);
    if (!emu_check_non_key_attributes(ctx, *non_key)) return false;
    *type = strcmp(name, "ALL") == 0 ? STORE_PROJECT_ALL : include ? STORE_PROJECT_INCLUDE : STORE_PROJECT_KEYS_ONLY;
    return true;
}

static size_t global_count(const store_table *t)
{
    size_t n = 0;
    for (size_t i = 0; i < t->n_indexes; i++) n += t->indexes[i].global;
    return n;
}

static bool check_create(emu_ctx *ctx, const store_table *t, const table_update *u, emu_key_names *k,
                         store_projection_type *projection, const cJSON **non_key)
{
    const gsi_update *g = u->create;
    if (store_table_index(t, g->name))
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: Index with name: %s already exists", g->name);
    if (global_count(t) >= STORE_MAX_GSI)
        return store_fail(&ctx->err, STORE_ERR_LIMIT,
                          "One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of %d",
                          STORE_MAX_GSI);
    if (!check_definitions(ctx, u) || !read_create_keys(ctx, g->create, k) || !check_create_keys_defined(ctx, t, u, k) ||
        !check_projection(ctx, cJSON_GetObjectItemCaseSensitive(g->create, "Projection"), projection, non_key))
        return false;
    bool ppr = pay_per_request_after(t, u);
    if (!ppr && !g->tp.given)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: ProvisionedThroughput must be specified for index: %s",
                          g->name);
    if (ppr && g->tp.given)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: ProvisionedThroughput should not be specified for "
                          "index: %s when BillingMode is PAY_PER_REQUEST",
                          g->name);
    return true;
}

static bool check_delete(emu_ctx *ctx, const store_table *t, const table_update *u)
{
    const store_index *x = store_table_index(t, u->del->name);
    if (!x) return store_fail(&ctx->err, STORE_ERR_NOT_FOUND, "Requested resource not found: Index: %s not found", u->del->name);
    if (!x->global)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: Index %s is a local secondary index; only global "
                          "secondary indexes can be deleted",
                          x->name);
    return true;
}

/* ---- applying, once everything is checked ---- */

static bool add_definition(store_table *t, const char *name, store_type type)
{
    store_value *nv = store_name(name, strlen(name));
    if (store_table_attr_type(t, nv) >= 0) { store_release(nv); return true; }
    store_attr_def *grown = realloc(t->attrs, (t->n_attrs + 1) * sizeof *grown);
    if (!grown) { store_release(nv); return false; }
    t->attrs = grown;
    t->attrs[t->n_attrs++] = (store_attr_def){nv, type};
    return true;
}

static bool apply_create(emu_ctx *ctx, store_table *t, const table_update *u, const emu_key_names *k,
                         store_projection_type projection, const cJSON *non_key)
{
    store_index *grown = realloc(t->indexes, (t->n_indexes + 1) * sizeof *grown);
    if (!grown) return emu_oom(ctx);
    t->indexes = grown;
    store_index *x = &t->indexes[t->n_indexes];
    memset(x, 0, sizeof *x);
    x->name = strdup(u->create->name);
    if (!x->name) return emu_oom(ctx);
    x->global = true;
    x->projection = projection;
    x->read_capacity = u->create->tp.read;
    x->write_capacity = u->create->tp.write;
    store_type types[EMU_MAX_KEY_ELEMENTS];
    for (int i = 0; i < k->count; i++) {
        types[i] = (store_type)request_type(u, k->names[i]);
        if (!add_definition(t, k->names[i], types[i])) return emu_oom(ctx);
    }
    emu_key_schema_build(&x->key, k, types);
    int n = cJSON_GetArraySize(non_key);
    x->non_key = n ? calloc((size_t)n, sizeof *x->non_key) : NULL;
    const cJSON *e;
    cJSON_ArrayForEach(e, non_key) x->non_key[x->n_non_key++] = store_name(e->valuestring, strlen(e->valuestring));
    t->n_indexes++;
    store_index_fill(t, x);
    return true;
}

static bool used_as_key(const store_table *t, const store_value *name)
{
    if (store_key_has(&t->key, name)) return true;
    for (size_t i = 0; i < t->n_indexes; i++)
        if (store_key_has(&t->indexes[i].key, name)) return true;
    return false;
}

/* Definitions only the deleted index used go with it, as every definition must be a key. */
static void prune_definitions(store_table *t)
{
    size_t kept = 0;
    for (size_t i = 0; i < t->n_attrs; i++) {
        if (used_as_key(t, t->attrs[i].name)) t->attrs[kept++] = t->attrs[i];
        else store_release(t->attrs[i].name);
    }
    t->n_attrs = kept;
}

static void apply_delete(store_table *t, const char *name)
{
    store_index *x = store_table_index(t, name);
    store_index_clear(x);
    size_t i = (size_t)(x - t->indexes);
    memmove(x, x + 1, (t->n_indexes - i - 1) * sizeof *x);
    t->n_indexes--;
    prune_definitions(t);
}

static void apply_throughput(store_table *t, const table_update *u)
{
    if (u->billing) t->pay_per_request = strcmp(u->billing, "PAY_PER_REQUEST") == 0;
    if (u->tp.given) t->read_capacity = u->tp.read, t->write_capacity = u->tp.write;
    for (size_t i = 0; i < t->n_indexes; i++) {
        store_index *x = &t->indexes[i];
        const gsi_update *g = update_of(u, x->name);
        if (g && g->update) x->read_capacity = g->tp.read, x->write_capacity = g->tp.write;
        if (t->pay_per_request && x->global) x->read_capacity = x->write_capacity = 0;
    }
    if (t->pay_per_request) t->read_capacity = t->write_capacity = 0;
}

/* A stream is enabled once and disabled once; its view type never changes in place. */
static bool check_stream_state(emu_ctx *ctx, const store_table *t, const emu_stream_spec *spec)
{
    bool has_enabled = t->stream && t->stream->enabled;
    if (spec->given && spec->enabled && has_enabled)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION, "Table already has an enabled stream: TableName: %s", t->name);
    if (spec->given && !spec->enabled && !has_enabled)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION, "Table has no stream to disable: TableName: %s", t->name);
    return true;
}

/* Enabling makes a new stream; disabling closes the current one, which stays readable. */
static bool apply_stream(emu_ctx *ctx, store_table *t, const emu_stream_spec *spec)
{
    if (!spec->given) return true;
    if (spec->enabled) return emu_enable_stream(ctx, t, spec->view);
    store_stream_disable(t->stream, store_db_now_ms(ctx->db));
    return true;
}

static bool update(emu_ctx *ctx, store_table *t, const table_update *u)
{
    emu_key_names k = {.count = 0};
    store_projection_type projection = STORE_PROJECT_ALL;
    const cJSON *non_key = NULL;
    if (!check_billing(ctx, t, u) || !check_gsi_throughput_updates(ctx, t, u) || (u->del && !check_delete(ctx, t, u)) ||
        (u->create && !check_create(ctx, t, u, &k, &projection, &non_key)))
        return false;
    if (!check_stream_state(ctx, t, &u->stream)) return false;
    if (u->del) apply_delete(t, u->del->name);
    apply_throughput(t, u);
    if (!apply_stream(ctx, t, &u->stream)) return false;
    return !u->create || apply_create(ctx, t, u, &k, projection, non_key);
}

bool emu_op_update_table(emu_ctx *ctx)
{
    table_update u;
    memset(&u, 0, sizeof u);
    if (!read_request(ctx, &u) || !check_bounds(ctx, &u)) return false;
    if (!anything_asked(ctx, &u))
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
                          "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
    if (!check_gsi_updates(ctx, &u) || !check_stream_update(ctx, &u)) return false;
    store_table *t = store_db_table(ctx->db, u.name);
    if (!t) return store_fail(&ctx->err, STORE_ERR_NOT_FOUND, "Requested resource not found: Table: %s not found", u.name);
    if (!update(ctx, t, &u)) return false;
    cJSON_AddItemToObject(ctx->resp, "TableDescription", emu_table_description(t, "ACTIVE"));
    return true;
}
