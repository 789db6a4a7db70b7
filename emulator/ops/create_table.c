/* emulator/ops/create_table.c — CreateTable: key schema, attribute
 * definitions, billing, and secondary index definitions, validated as
 * DynamoDB validates them (a GSI's key may be multi-attribute:
 * emulator/ops/key_schema.c), then stored. Index contents are kept by every
 * write (store_table_put / store_table_remove, store/index.c). */
#include "emulator/ops/common.h"
#include "emulator/ops/key_schema.h"
#include "emulator/ops/ops.h"
#include "emulator/ops/streams.h"
#include "emulator/ops/table_description.h"
#include "emulator/ops/tags.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const key_types[] = {"HASH", "RANGE", NULL};
static const char *const attr_types[] = {"B", "N", "S", NULL};
static const char *const billing_modes[] = {"PROVISIONED", "PAY_PER_REQUEST", NULL};
static const char *const projection_types[] = {"ALL", "KEYS_ONLY", "INCLUDE", NULL};

/* Key attribute names: 1 to 255 characters. */
#define EMU_MAX_KEY_NAME 255

static void check_name_length(emu_violations *v, const char *name, const char *path)
{
    size_t len = name ? strlen(name) : 0;
    if (name && (len < 1 || len > EMU_MAX_KEY_NAME))
        emu_violation(v, "Value '%s' at '%s' failed to satisfy constraint: Member must have length %s than or equal to %d",
                      name, path, len < 1 ? "greater" : "less", len < 1 ? 1 : EMU_MAX_KEY_NAME);
}

/* A GSI key of more than EMU_MAX_KEY_ELEMENTS: replayed through the order
 * rules with one more element, which must break a limit of HASH or RANGE elements. */
static bool refuse_key_length(emu_ctx *ctx, const emu_key_names *k, const char *name, const char *type)
{
    emu_key_names replay = {0};
    for (int i = 0; i < k->count; i++)
        if (!emu_key_names_add(ctx, &replay, k->names[i], k->types[i], true)) return false;
    if (!emu_key_names_add(ctx, &replay, name, type, true)) return false;
    return store_fail(&ctx->err, STORE_ERR_INTERNAL, "a key schema past %d elements was not refused", EMU_MAX_KEY_ELEMENTS);
}

/* One KeySchema list, read into k; field is its path in messages. multi:
 * a GSI's, which may have several HASH and RANGE elements. */
static bool read_key_schema(emu_ctx *ctx, emu_violations *v, const cJSON *list, const char *field, bool multi,
                            emu_key_names *k)
{
    memset(k, 0, sizeof *k);
    if (!list) { emu_require(v, NULL, field); return true; }
    int n = cJSON_GetArraySize(list);
    if (n < 1 || (!multi && n > 2)) {
        emu_violation(v, "Value '[...]' at '%s' failed to satisfy constraint: Member must have length %s than or equal to %d",
                      field, n < 1 ? "greater" : "less", n < 1 ? 1 : 2);
        return true;
    }
    int i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, list) {
        const char *name, *type;
        char path[128];
        if (!emu_string(ctx, e, "AttributeName", &name) || !emu_string(ctx, e, "KeyType", &type)) return false;
        snprintf(path, sizeof path, "%s.%d.member.attributeName", field, ++i);
        emu_require(v, name, path);
        check_name_length(v, name, path);
        snprintf(path, sizeof path, "%s.%d.member.keyType", field, i);
        emu_require(v, type, path);
        emu_check_enum(v, type, path, key_types, "[HASH, RANGE]");
        if (v->count) continue;
        /* More elements than any key holds: the order rules name the limit broken. */
        if (k->count == EMU_MAX_KEY_ELEMENTS) return refuse_key_length(ctx, k, name, type);
        /* The types are checked once the names are (check_key_names). */
        k->types[k->count] = type;
        k->names[k->count++] = name;
        k->n_hash = 1; /* a table's or an LSI's: HASH by position */
    }
    return true;
}

/* A GSI's key in AWS's order once its names are defined: the element types, then names used twice. */
static bool check_multi_key(emu_ctx *ctx, emu_key_names *k)
{
    emu_key_names read = *k;
    memset(k, 0, sizeof *k);
    for (int i = 0; i < read.count; i++) {
        k->types[i] = read.types[i];
        if (!emu_key_names_add(ctx, k, read.names[i], read.types[i], true)) return false;
    }
    return emu_key_names_check_unique(ctx, k);
}

/* AWS's order: a name used twice (a table's or an LSI's key), a name not
 * defined, then the element types. */
static bool check_key_names(emu_ctx *ctx, const store_table *t, emu_key_names *k, bool multi)
{
    if (!multi && !emu_key_names_check_unique(ctx, k)) return false;
    for (int i = 0; i < k->count; i++) {
        store_value *n = store_name(k->names[i], strlen(k->names[i]));
        bool defined = store_table_attr_type(t, n) >= 0;
        store_release(n);
        if (!defined) {
            char defs[1024] = "", keys[2048];
            size_t off = 0;
            for (size_t j = 0; j < t->n_attrs; j++)
                off += (size_t)snprintf(defs + off, off < sizeof defs ? sizeof defs - off : 0, "%s%s",
                                        j ? ", " : "", store_bytes(t->attrs[j].name));
            emu_key_names_list(k, keys, sizeof keys);
            return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                              "One or more parameter values were invalid: Some index key attributes are not defined in "
                              "AttributeDefinitions. Keys: [%s], AttributeDefinitions: [%s]", keys, defs);
        }
    }
    return multi ? check_multi_key(ctx, k) : emu_key_names_check_single_order(ctx, k);
}

static void set_key_schema(store_key_schema *out, const store_table *t, const emu_key_names *k)
{
    store_type types[EMU_MAX_KEY_ELEMENTS];
    for (int i = 0; i < k->count; i++) {
        store_value *n = store_name(k->names[i], strlen(k->names[i]));
        types[i] = (store_type)store_table_attr_type(t, n);
        store_release(n);
    }
    emu_key_schema_build(out, k, types);
}

static bool read_attribute_definitions(emu_ctx *ctx, emu_violations *v, const cJSON *list, store_table *t)
{
    if (!list) { emu_require(v, NULL, "attributeDefinitions"); return true; }
    int n = cJSON_GetArraySize(list), i = 0;
    t->attrs = calloc((size_t)(n ? n : 1), sizeof *t->attrs);
    if (!t->attrs) return emu_oom(ctx);
    const cJSON *e;
    cJSON_ArrayForEach(e, list) {
        const char *name, *type;
        char path[128];
        if (!emu_string(ctx, e, "AttributeName", &name) || !emu_string(ctx, e, "AttributeType", &type)) return false;
        i++;
        snprintf(path, sizeof path, "attributeDefinitions.%d.member.attributeName", i);
        emu_require(v, name, path);
        check_name_length(v, name, path);
        snprintf(path, sizeof path, "attributeDefinitions.%d.member.attributeType", i);
        emu_require(v, type, path);
        emu_check_enum(v, type, path, attr_types, "[B, N, S]");
        if (!name || !type || store_type_from_name(type) < 0 || strlen(type) > 1) continue;
        store_value *nv = store_name(name, strlen(name));
        if (store_table_attr_type(t, nv) >= 0) {
            store_release(nv);
            return store_fail(&ctx->err, STORE_ERR_VALIDATION, "Cannot have two attributes with the same name");
        }
        t->attrs[t->n_attrs].name = nv;
        t->attrs[t->n_attrs++].type = (store_type)store_type_from_name(type);
    }
    return true;
}

/* ProvisionedThroughput: both units, each at least 1. */
static bool read_throughput(emu_ctx *ctx, emu_violations *v, const cJSON *p, const char *field,
                            int64_t *read, int64_t *write)
{
    bool has_r, has_w;
    long long r, w;
    if (!emu_integer(ctx, p, "ReadCapacityUnits", &has_r, &r) || !emu_integer(ctx, p, "WriteCapacityUnits", &has_w, &w))
        return false;
    char path[160];
    snprintf(path, sizeof path, "%s.readCapacityUnits", field);
    emu_require(v, has_r ? p : NULL, path);
    if (has_r && r < 1)
        emu_violation(v, "Value '%lld' at '%s' failed to satisfy constraint: Member must have value greater than or equal to 1", r, path);
    snprintf(path, sizeof path, "%s.writeCapacityUnits", field);
    emu_require(v, has_w ? p : NULL, path);
    if (has_w && w < 1)
        emu_violation(v, "Value '%lld' at '%s' failed to satisfy constraint: Member must have value greater than or equal to 1", w, path);
    *read = r;
    *write = w;
    return true;
}

static bool read_projection(emu_ctx *ctx, emu_violations *v, const cJSON *p, const char *field)
{
    const char *type;
    char path[160];
    snprintf(path, sizeof path, "%s.projection", field);
    emu_require(v, p, path);
    if (!p) return true;
    if (!emu_string(ctx, p, "ProjectionType", &type)) return false;
    snprintf(path, sizeof path, "%s.projection.projectionType", field);
    emu_check_enum(v, type, path, projection_types, "[ALL, KEYS_ONLY, INCLUDE]");
    return true;
}

/* The projection's own consistency, which AWS checks after the index's key. */
static bool set_projection(emu_ctx *ctx, const cJSON *p, store_index *x)
{
    const char *type;
    const cJSON *non_key;
    if (!emu_string(ctx, p, "ProjectionType", &type) || !emu_array(ctx, p, "NonKeyAttributes", &non_key)) return false;
    if (!type) return store_fail(&ctx->err, STORE_ERR_VALIDATION, "One or more parameter values were invalid: Unknown ProjectionType: null");
    if (strcmp(type, "INCLUDE") == 0 && !non_key)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
    if (strcmp(type, "INCLUDE") != 0 && non_key)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: ProjectionType is %s, but NonKeyAttributes is specified", type);
    x->projection = strcmp(type, "ALL") == 0 ? STORE_PROJECT_ALL
                  : strcmp(type, "KEYS_ONLY") == 0 ? STORE_PROJECT_KEYS_ONLY : STORE_PROJECT_INCLUDE;
    int n = non_key ? cJSON_GetArraySize(non_key) : 0;
    if (n > STORE_MAX_NON_KEY_ATTRS)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: The number of projected attributes exceeds the limit of %d",
                          STORE_MAX_NON_KEY_ATTRS);
    if (!emu_check_non_key_attributes(ctx, non_key)) return false;
    x->non_key = n ? calloc((size_t)n, sizeof *x->non_key) : NULL;
    if (n && !x->non_key) return emu_oom(ctx);
    const cJSON *e;
    cJSON_ArrayForEach(e, non_key) {
        store_value *name = store_name(e->valuestring, strlen(e->valuestring));
        if (!name) return emu_oom(ctx);
        x->non_key[x->n_non_key++] = name;
    }
    return true;
}

static bool read_index(emu_ctx *ctx, emu_violations *v, const cJSON *e, bool global, int position, store_table *t)
{
    const char *list = global ? "globalSecondaryIndexes" : "localSecondaryIndexes";
    char field[128], path[192];
    snprintf(field, sizeof field, "%s.%d.member", list, position);
    const char *name;
    const cJSON *keys, *proj, *tp;
    if (!emu_string(ctx, e, "IndexName", &name) || !emu_array(ctx, e, "KeySchema", &keys) ||
        !emu_object(ctx, e, "Projection", &proj) || !emu_object(ctx, e, "ProvisionedThroughput", &tp))
        return false;
    snprintf(path, sizeof path, "%s.indexName", field);
    emu_require(v, name, path);
    if (name) {
        size_t len = strlen(name);
        if (len < 3 || len > 255 || strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != len)
            emu_check_table_name(v, name, path);
    }
    store_index *x = &t->indexes[t->n_indexes++];
    x->global = global;
    x->name = strdup(name ? name : "");
    if (!x->name) return emu_oom(ctx);
    emu_key_names k;
    snprintf(path, sizeof path, "%s.keySchema", field);
    if (!read_key_schema(ctx, v, keys, path, global, &k) || !read_projection(ctx, v, proj, field)) return false;
    if (global && tp) {
        snprintf(path, sizeof path, "%s.provisionedThroughput", field);
        if (!read_throughput(ctx, v, tp, path, &x->read_capacity, &x->write_capacity)) return false;
    }
    if (v->count) return true;
    for (size_t i = 0; i + 1 < t->n_indexes; i++)
        if (strcmp(t->indexes[i].name, x->name) == 0)
            return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                              "One or more parameter values were invalid: Duplicate index name: %s", x->name);
    if (!check_key_names(ctx, t, &k, global)) return false;
    if (global && !t->pay_per_request && !tp)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: ProvisionedThroughput must be specified for index: %s", x->name);
    if (global && t->pay_per_request && tp)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: %s "
                          "when BillingMode is PAY_PER_REQUEST", x->name);
    set_key_schema(&x->key, t, &k);
    if (!global) {
        if (k.count != 2)
            return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                              "One or more parameter values were invalid: Index KeySchema does not have a range key for index: %s",
                              x->name);
        if ( !store_value_equal(x->key.names.pk_name, t->key.names.pk_name))
            return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                              "One or more parameter values were invalid: Index KeySchema does not have the same leading "
                              "hash key as table KeySchema for index: %s. index hash key: %s, table hash key: %s",
                              x->name, k.names[0], store_bytes(t->key.names.pk_name));
    }
    return set_projection(ctx, proj, x);
}

static bool read_indexes(emu_ctx *ctx, emu_violations *v, const cJSON *list, bool global, store_table *t)
{
    if (!list) return true;
    int n = cJSON_GetArraySize(list), limit = global ? STORE_MAX_GSI : STORE_MAX_LSI;
    if (n == 0)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION, "One or more parameter values were invalid: List of %s is empty",
                          global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes");
    if (n > limit)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          global ? "One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of %d"
                                 : "One or more parameter values were invalid: Number of LocalSecondaryIndexes exceeds per-table limit of %d",
                          limit);
    if (!global && !t->key.names.sk_name)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: Table KeySchema does not have a range key, "
                          "which is required when specifying a LocalSecondaryIndex");
    int i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, list)
        if (!read_index(ctx, v, e, global, ++i, t)) return false;
    return true;
}

static void append_name(char *buf, size_t size, const store_value *n)
{
    size_t off = strlen(buf);
    snprintf(buf + off, size - off, "%s%s", off ? ", " : "", store_bytes(n));
}

/* Every defined attribute must be a key of the table or of an index. */
static bool check_definitions_used(emu_ctx *ctx, const store_table *t)
{
    char defs[1024] = "", used_keys[1024] = "";
    bool all_used = true;
    for (size_t i = 0; i < t->n_attrs; i++) {
        const store_value *n = t->attrs[i].name;
        bool used = store_key_has(&t->key, n);
        for (size_t j = 0; j < t->n_indexes && !used; j++) used = store_key_has(&t->indexes[j].key, n);
        all_used = all_used && used;
        append_name(defs, sizeof defs, n);
        if (used) append_name(used_keys, sizeof used_keys, n);
    }
    if (all_used) return true;
    if (!t->n_indexes)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: Number of attributes in KeySchema does not exactly "
                          "match number of attributes defined in AttributeDefinitions");
    return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                      "One or more parameter values were invalid: Some AttributeDefinitions are not used. "
                      "AttributeDefinitions: [%s], keys used: [%s]", defs, used_keys);
}

static bool read_billing(emu_ctx *ctx, emu_violations *v, store_table *t)
{
    const char *mode;
    const cJSON *tp;
    if (!emu_string(ctx, ctx->req, "BillingMode", &mode) || !emu_object(ctx, ctx->req, "ProvisionedThroughput", &tp))
        return false;
    emu_check_enum(v, mode, "billingMode", billing_modes, "[PROVISIONED, PAY_PER_REQUEST]");
    t->pay_per_request = mode && strcmp(mode, "PAY_PER_REQUEST") == 0;
    if (t->pay_per_request && tp)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be "
                          "specified when BillingMode is PAY_PER_REQUEST");
    if (!t->pay_per_request && !tp && v->count == 0)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be "
                          "specified when BillingMode is PROVISIONED");
    return !tp || read_throughput(ctx, v, tp, "provisionedThroughput", &t->read_capacity, &t->write_capacity);
}

/* StreamSpecification's own consistency, once its members passed their constraints. */
static bool check_stream_spec(emu_ctx *ctx, const emu_stream_spec *spec)
{
    if (spec->given && spec->enabled && !spec->view_given)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: Table is being created with a stream enabled, "
                          "UpdateViewType is required");
    if (spec->given && !spec->enabled && spec->view_given)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: Table is being created with a stream disabled, "
                          "UpdateViewType should not be specified");
    return true;
}

/* More key elements than attribute definitions: AWS names no attribute. */
static bool check_key_count(emu_ctx *ctx, const store_table *t, const emu_key_names *k)
{
    if ((size_t)k->count <= t->n_attrs) return true;
    return store_fail(&ctx->err, STORE_ERR_VALIDATION, "Invalid KeySchema: Some index key attribute have no definition");
}

static bool read_table(emu_ctx *ctx, store_table *t, const char *name, emu_stream_spec *spec)
{
    emu_violations v;
    emu_violations_init(&v);
    if (!emu_read_stream_specification(ctx, &v, spec)) return false;
    const cJSON *keys, *defs, *gsis, *lsis;
    if (!emu_array(ctx, ctx->req, "KeySchema", &keys) || !emu_array(ctx, ctx->req, "AttributeDefinitions", &defs) ||
        !emu_array(ctx, ctx->req, "GlobalSecondaryIndexes", &gsis) ||
        !emu_array(ctx, ctx->req, "LocalSecondaryIndexes", &lsis))
        return false;
    emu_check_table_name(&v, name, "tableName");
    emu_key_names k;
    if (!read_attribute_definitions(ctx, &v, defs, t) || !read_key_schema(ctx, &v, keys, "keySchema", false, &k) ||
        !read_billing(ctx, &v, t) || !emu_violations_done(ctx, &v))
        return false;
    if ((!t->pay_per_request && !emu_check_capacity_bounds(ctx, t->read_capacity, t->write_capacity, NULL)) ||
        !check_key_count(ctx, t, &k) || !check_key_names(ctx, t, &k, false))
        return false;
    set_key_schema(&t->key, t, &k);
    t->indexes = calloc((size_t)(cJSON_GetArraySize(gsis) + cJSON_GetArraySize(lsis) + 1), sizeof *t->indexes);
    if (!t->indexes) return emu_oom(ctx);
    if (!read_indexes(ctx, &v, lsis, false, t) || !read_indexes(ctx, &v, gsis, true, t) || !emu_violations_done(ctx, &v))
        return false;
    return check_definitions_used(ctx, t) && check_stream_spec(ctx, spec);
}

bool emu_op_create_table(emu_ctx *ctx)
{
    const char *name;
    if (!emu_string(ctx, ctx->req, "TableName", &name)) return false;
    store_table *t = store_table_new(name ? name : "");
    if (!t) return emu_oom(ctx);
    const cJSON *tags;
    emu_violations v;
    emu_violations_init(&v);
    emu_stream_spec spec;
    bool ok = read_table(ctx, t, name, &spec) && emu_array(ctx, ctx->req, "Tags", &tags) &&
              (!tags || (emu_tags_validate(ctx, &v, tags) && emu_tags_set(ctx, t, tags)));
    if (!ok) { store_table_free(t); return false; }
    if (store_db_table(ctx->db, name)) {
        store_table_free(t);
        return store_fail(&ctx->err, STORE_ERR_IN_USE, "Table already exists: %s", name);
    }
    t->created_ms = store_db_now_ms(ctx->db);
    if (!store_db_add_table(ctx->db, t)) {
        store_table_free(t);
        return emu_oom(ctx);
    }
    if (spec.given && spec.enabled && !emu_enable_stream(ctx, t, spec.view)) {
        store_db_remove_table(ctx->db, t);
        store_table_free(t);
        return false;
    }
    /* The description names the stream, so it is made after; one that cannot be made undoes the table. */
    if (!store_json_add(ctx->resp, "TableDescription", emu_table_description(t, "ACTIVE")) || !emu_answer_ready(ctx)) {
        store_db_remove_table(ctx->db, t);
        store_table_free(t);
        return emu_oom(ctx);
    }
    return true;
}
