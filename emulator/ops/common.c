/* emulator/ops/common.c — request access, violations, tables, expression
 * environments and item rendering shared by the operations. */
#include "emulator/ops/common.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *json_kind(const cJSON *j)
{
    if (cJSON_IsNumber(j)) return "NUMBER_VALUE";
    if (cJSON_IsString(j)) return "STRING_VALUE";
    if (cJSON_IsBool(j)) return "BOOLEAN_VALUE";
    if (cJSON_IsArray(j)) return "START_ARRAY";
    return "START_OBJECT";
}

/* The member, or NULL when absent or JSON null (as the SDKs treat it). */
static const cJSON *member(const cJSON *obj, const char *name)
{
    const cJSON *m = obj ? cJSON_GetObjectItemCaseSensitive(obj, name) : NULL;
    return cJSON_IsNull(m) ? NULL : m;
}

bool emu_present(const cJSON *obj, const char *name) { return member(obj, name) != NULL; }

static bool wrong_type(emu_ctx *ctx, const cJSON *m, const char *wanted)
{
    return store_fail(&ctx->err, STORE_ERR_SERIALIZATION, "%s cannot be converted to %s", json_kind(m), wanted);
}

bool emu_string(emu_ctx *ctx, const cJSON *obj, const char *name, const char **out)
{
    const cJSON *m = member(obj, name);
    *out = NULL;
    if (!m) return true;
    if (!cJSON_IsString(m)) return wrong_type(ctx, m, "String");
    *out = m->valuestring;
    return true;
}

bool emu_object(emu_ctx *ctx, const cJSON *obj, const char *name, const cJSON **out)
{
    const cJSON *m = member(obj, name);
    *out = NULL;
    if (!m) return true;
    if (!cJSON_IsObject(m))
        return store_fail(&ctx->err, STORE_ERR_SERIALIZATION, "Unexpected value type in payload: %s", json_kind(m));
    *out = m;
    return true;
}

bool emu_array(emu_ctx *ctx, const cJSON *obj, const char *name, const cJSON **out)
{
    const cJSON *m = member(obj, name);
    *out = NULL;
    if (!m) return true;
    if (!cJSON_IsArray(m))
        return store_fail(&ctx->err, STORE_ERR_SERIALIZATION, "Unexpected value type in payload: %s", json_kind(m));
    *out = m;
    return true;
}

bool emu_bool(emu_ctx *ctx, const cJSON *obj, const char *name, bool *present, bool *out)
{
    const cJSON *m = member(obj, name);
    *present = m != NULL;
    *out = false;
    if (!m) return true;
    if (!cJSON_IsBool(m)) return wrong_type(ctx, m, "Boolean");
    *out = cJSON_IsTrue(m);
    return true;
}

bool emu_integer(emu_ctx *ctx, const cJSON *obj, const char *name, bool *present, long long *out)
{
    const cJSON *m = member(obj, name);
    *present = m != NULL;
    *out = 0;
    if (!m) return true;
    if (!cJSON_IsNumber(m)) return wrong_type(ctx, m, "Integer");
    double d = m->valuedouble;
    *out = d > 9e18 ? (long long)9e18 : d < -9e18 ? (long long)-9e18 : (long long)d;
    return true;
}

void emu_violation(emu_violations *v, const char *fmt, ...)
{
    size_t used = strlen(v->text);
    if (used && used + 2 < sizeof v->text) { strcpy(v->text + used, "; "); used += 2; }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->text + used, sizeof v->text - used, fmt, ap);
    va_end(ap);
    v->count++;
}

void emu_require(emu_violations *v, const void *present, const char *field)
{
    if (!present) emu_violation(v, "Value null at '%s' failed to satisfy constraint: Member must not be null", field);
}

/* [a-zA-Z0-9_.-]+, tested by ranges: no table to build, so nothing two
 * workers could race on at start-up. */
static bool table_name_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == '-';
}

static bool table_name_chars(const char *name)
{
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (!table_name_char(*p)) return false;
    return true;
}

void emu_check_table_name(emu_violations *v, const char *name, const char *field)
{
    if (!name) { emu_require(v, name, field); return; }
    size_t len = strlen(name);
    if (len < STORE_MIN_TABLE_NAME)
        emu_violation(v, "Value '%s' at '%s' failed to satisfy constraint: Member must have length greater than or equal to %d",
                      name, field, STORE_MIN_TABLE_NAME);
    if (len > STORE_MAX_TABLE_NAME)
        emu_violation(v, "Value '%s' at '%s' failed to satisfy constraint: Member must have length less than or equal to %d",
                      name, field, STORE_MAX_TABLE_NAME);
    if (!table_name_chars(name))
        emu_violation(v, "Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
                      name, field);
}

void emu_check_enum(emu_violations *v, const char *value, const char *field, const char *const *allowed,
                    const char *enum_set)
{
    if (!value) return;
    for (; *allowed; allowed++)
        if (strcmp(*allowed, value) == 0) return;
    emu_violation(v, "Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: %s",
                  value, field, enum_set);
}

bool emu_violations_done(emu_ctx *ctx, emu_violations *v)
{
    if (v->count == 0) return true;
    return store_fail(&ctx->err, STORE_ERR_VALIDATION, "%d validation error%s detected: %s", v->count,
                      v->count == 1 ? "" : "s", v->text);
}

store_table *emu_table(emu_ctx *ctx, const char *name)
{
    store_table *t = store_db_table(ctx->db, name);
    if (!t) store_fail(&ctx->err, STORE_ERR_NOT_FOUND, "Requested resource not found");
    return t;
}

bool emu_table_name(emu_ctx *ctx, const char **name)
{
    emu_violations v;
    emu_violations_init(&v);
    if (!emu_string(ctx, ctx->req, "TableName", name)) return false;
    emu_check_table_name(&v, *name, "tableName");
    return emu_violations_done(ctx, &v);
}

store_table *emu_request_table(emu_ctx *ctx)
{
    const char *name;
    return emu_table_name(ctx, &name) ? emu_table(ctx, name) : NULL;
}

/* DynamoDB's limit on a placeholder ("#name" or ":value"), its prefix included. */
#define EMU_MAX_PLACEHOLDER_LEN 255

/* Every key of an ExpressionAttributeNames / Values map is the prefix and
 * one or more letters, digits or underscores, at most 255 bytes; the length
 * is judged first, as DynamoDB does. */
static bool placeholders_ok(emu_ctx *ctx, const cJSON *map, const char *what, char prefix)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, map) {
        const char *key = m->string;
        size_t len = strlen(key);
        if (len > EMU_MAX_PLACEHOLDER_LEN)
            return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                              "%s contains invalid key: The expression attribute map contains a key that is too long; "
                              "size of key: %zu",
                              what, len);
        bool ok = key[0] == prefix && len > 1;
        for (size_t i = 1; ok && i < len; i++) ok = isalnum((unsigned char)key[i]) || key[i] == '_';
        if (!ok)
            return store_fail(&ctx->err, STORE_ERR_VALIDATION, "%s contains invalid key: Syntax error; key: \"%s\"", what,
                              key);
    }
    return true;
}

/* ExpressionAttributeNames: {"#n": "name"} becomes an M of S values. */
static store_value *decode_names(emu_ctx *ctx, const cJSON *names)
{
    int n = cJSON_GetArraySize(names);
    store_entry *entries = calloc((size_t)(n ? n : 1), sizeof *entries);
    if (!entries) { emu_oom(ctx); return NULL; }
    size_t count = 0;
    const cJSON *m;
    cJSON_ArrayForEach(m, names) {
        if (!cJSON_IsString(m)) { wrong_type(ctx, m, "String"); break; }
        if (!*m->valuestring) {
            store_fail(&ctx->err, STORE_ERR_VALIDATION,
                       "ExpressionAttributeNames contains invalid value: Empty attribute name for key %s", m->string);
            break;
        }
        if (!store_name_length_ok(strlen(m->valuestring))) { /* AWS refuses it even in a projection */
            store_fail(&ctx->err, STORE_ERR_VALIDATION, STORE_NAME_LENGTH_MESSAGE);
            break;
        }
        store_entry *e = &entries[count++];
        e->name = store_name(m->string, strlen(m->string));
        e->value = store_value_bytes(STORE_S, m->valuestring, strlen(m->valuestring));
        if (!e->name || !e->value) break;
    }
    bool made = count == (size_t)n && (!n || (entries[n - 1].name && entries[n - 1].value));
    store_value *v = made ? store_value_map(entries, count) : NULL;
    if (!made) store_entries_release(entries, count);
    if (!v && ctx->err.status == STORE_OK) emu_oom(ctx);
    free(entries);
    return v;
}

/* AWS's bound on either unit, checked before the rest of a table's definition. */
#define EMU_MAX_CAPACITY_UNITS 1000000000000LL

bool emu_check_capacity_bounds(emu_ctx *ctx, long long read, long long write, const char *index)
{
    const char *unit = read > EMU_MAX_CAPACITY_UNITS ? "Read" : write > EMU_MAX_CAPACITY_UNITS ? "Write" : NULL;
    if (!unit) return true;
    return store_fail(&ctx->err, STORE_ERR_VALIDATION, "Given value %lld for %sCapacityUnits is out of bounds%s%s",
                      unit[0] == 'R' ? read : write, unit, index ? " for index " : "", index ? index : "");
}

bool emu_env_check_given_with_expressions(emu_ctx *ctx, const cJSON *obj, const char *const *expressions)
{
    bool any = false;
    for (const char *const *x = expressions; *x && !any; x++) any = emu_present(obj, *x);
    if (any) return true;
    if (emu_present(obj, "ExpressionAttributeNames"))
        return store_fail(&ctx->err, STORE_ERR_VALIDATION, "ExpressionAttributeNames can only be specified when using expressions");
    if (!emu_present(obj, "ExpressionAttributeValues")) return true;
    /* AWS names the expressions values could serve (a projection takes none): "A and B are null". */
    char names[128] = "";
    size_t off = 0;
    int n = 0;
    for (const char *const *x = expressions; *x; x++) {
        if (strcmp(*x, "ProjectionExpression") == 0) continue;
        off += (size_t)snprintf(names + off, sizeof names - off, "%s%s", n++ ? " and " : "", *x);
    }
    if (!n) return true;
    return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                      "ExpressionAttributeValues can only be specified when using expressions: %s %s null", names,
                      n > 1 ? "are" : "is");
}

/* AWS names the placeholder whose value is bad: "ExpressionAttributeValues
 * contains invalid value: <why> for key :v". */
static void name_bad_value(emu_ctx *ctx, const cJSON *values)
{
    if (ctx->err.status != STORE_ERR_VALIDATION) return;
    const cJSON *m;
    cJSON_ArrayForEach(m, values) {
        store_error why = {0};
        store_value *v = store_decode_value(m, &why);
        store_release(v);
        if (v) continue;
        ctx->err.status = STORE_OK;
        store_fail(&ctx->err, STORE_ERR_VALIDATION, "ExpressionAttributeValues contains invalid value: %.*s for key %s",
                   (int)(sizeof why.message / 2), why.message, m->string);
        return;
    }
}

bool emu_env_open(emu_ctx *ctx, const cJSON *obj, emu_env *e)
{
    memset(e, 0, sizeof *e);
    const cJSON *names, *values;
    if (!emu_object(ctx, obj, "ExpressionAttributeNames", &names) ||
        !emu_object(ctx, obj, "ExpressionAttributeValues", &values))
        return false;
    if (names && cJSON_GetArraySize(names) == 0)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION, "ExpressionAttributeNames must not be empty");
    if (names && !placeholders_ok(ctx, names, "ExpressionAttributeNames", '#')) return false;
    if (values && cJSON_GetArraySize(values) == 0)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION, "ExpressionAttributeValues must not be empty");
    if (values && !placeholders_ok(ctx, values, "ExpressionAttributeValues", ':')) return false;
    if (names && !(e->names = decode_names(ctx, names))) return false;
    if (values && !(e->values = store_decode_item(values, &ctx->err))) {
        name_bad_value(ctx, values);
        emu_env_close(e);
        return false;
    }
    e->env.names = e->names;
    e->env.values = e->values;
    e->env.names_used = e->names ? calloc(e->names->len + 1, 1) : NULL;
    e->env.values_used = e->values ? calloc(e->values->len + 1, 1) : NULL;
    if ((e->names && !e->env.names_used) || (e->values && !e->env.values_used)) {
        emu_env_close(e);
        return emu_oom(ctx);
    }
    return true;
}

static bool refuse_unused(emu_ctx *ctx, const store_value *m, const bool *used, const char *what)
{
    char keys[1024];
    size_t off = 0;
    keys[0] = 0;
    for (uint32_t i = 0; m && i < m->len; i++) {
        if (used[i]) continue;
        int n = snprintf(keys + off, sizeof keys - off, "%s%s", off ? ", " : "", store_bytes(store_entries(m)[i].name));
        if (n > 0 && (size_t)n < sizeof keys - off) off += (size_t)n;
    }
    if (!off) return true;
    return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                      "Value provided in %s unused in expressions: keys: {%s}", what, keys);
}

bool emu_env_check_unused(emu_ctx *ctx, const emu_env *e, bool has_expressions)
{
    if (!has_expressions && e->names)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION, "ExpressionAttributeNames can only be specified when using expressions");
    if (!has_expressions && e->values)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION, "ExpressionAttributeValues can only be specified when using expressions");
    return refuse_unused(ctx, e->names, e->env.names_used, "ExpressionAttributeNames") &&
           refuse_unused(ctx, e->values, e->env.values_used, "ExpressionAttributeValues");
}

void emu_env_close(emu_env *e)
{
    store_release(e->names);
    store_release(e->values);
    free(e->env.names_used);
    free(e->env.values_used);
    memset(e, 0, sizeof *e);
}

store_value *emu_item_member(emu_ctx *ctx, const cJSON *obj, const char *name, bool required)
{
    const cJSON *m;
    if (!emu_object(ctx, obj, name, &m)) return NULL;
    if (!m) {
        if (required)
            store_fail(&ctx->err, STORE_ERR_VALIDATION,
                       "1 validation error detected: Value null at '%c%s' failed to satisfy constraint: Member must not be null",
                       name[0] + ('a' - 'A'), name + 1);
        return NULL;
    }
    return store_decode_item(m, &ctx->err);
}

store_value *emu_key_of(const store_key_schema *k, const store_value *item)
{
    store_entry e[2 * STORE_MAX_KEY_ATTRS];
    size_t n = 0;
    for (size_t i = 0; i < store_key_count(k); i++) {
        store_value *name = (store_value *)store_key_name(k, i);
        store_value *v = store_map_get(item, store_bytes(name), name->len);
        if (!v) continue;
        e[n].name = store_retain(name);
        e[n++].value = store_retain(v);
    }
    return store_value_map(e, n);
}

/* AttributesToGet, the legacy form of a projection: a list of distinct top-level names. */
static bool attributes_to_get(emu_ctx *ctx, const cJSON *list, store_projection **out)
{
    int n = cJSON_GetArraySize(list);
    if (n == 0)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "1 validation error detected: Value '[]' at 'attributesToGet' failed to satisfy constraint: "
                          "Member must have length greater than or equal to 1");
    store_value **names = calloc((size_t)n, sizeof *names);
    if (!names) return emu_oom(ctx);
    size_t count = 0;
    bool ok = true;
    const cJSON *m;
    cJSON_ArrayForEach(m, list) {
        if (!cJSON_IsString(m)) { ok = wrong_type(ctx, m, "String"); break; }
        if (!store_name_length_ok(strlen(m->valuestring))) {
            ok = store_fail(&ctx->err, STORE_ERR_VALIDATION, STORE_NAME_LENGTH_MESSAGE);
            break;
        }
        store_value *name = store_name(m->valuestring, strlen(m->valuestring));
        if (!name) { ok = emu_oom(ctx); break; }
        for (size_t i = 0; ok && i < count; i++)
            if (store_value_equal(names[i], name))
                ok = store_fail(&ctx->err, STORE_ERR_VALIDATION,
                                "One or more parameter values were invalid: Duplicate value in attribute name: %s",
                                m->valuestring);
        names[count++] = name;
        if (!ok) break;
    }
    if (ok && !(*out = store_projection_of_names(names, count)))
        ok = emu_oom(ctx);
    for (size_t i = 0; i < count; i++) store_release(names[i]);
    free(names);
    return ok;
}

bool emu_projection(emu_ctx *ctx, const cJSON *req, emu_env *env, store_projection **out)
{
    const char *expr;
    const cJSON *legacy;
    *out = NULL;
    if (!emu_string(ctx, req, "ProjectionExpression", &expr) || !emu_array(ctx, req, "AttributesToGet", &legacy))
        return false;
    if (expr && legacy)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "Can not use both expression and non-expression parameters in the same request: "
                          "Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}");
    if (legacy) return attributes_to_get(ctx, legacy, out);
    if (!expr) return true;
    *out = store_projection_parse(expr, &env->env, &ctx->err);
    return *out != NULL;
}

/* Adds under name, or appends when obj is an array (name NULL). */

void emu_text_item(store_text *t, const store_value *item, const store_projection *p)
{
    store_value *projected = p ? store_projection_apply(p, item) : NULL;
    if (p && !projected) t->failed = true; /* out of memory: never the whole item instead */
    else store_text_item(t, projected ? projected : item);
    store_release(projected);
}

/* Items are written as JSON text in one pass and carried in the answer as raw JSON. */
bool emu_oom(emu_ctx *ctx) { return store_fail(&ctx->err, STORE_ERR_INTERNAL, "out of memory"); }

bool emu_add_item(cJSON *obj, const char *name, const store_value *item, const store_projection *p)
{
    store_text t = {0};
    emu_text_item(&t, item, p); /* a projection that cannot be made fails the text */
    char *text = store_text_finish(&t, NULL);
    cJSON *raw = text ? cJSON_CreateRaw(text) : NULL;
    free(text);
    return store_json_add(obj, name, raw);
}

store_value *emu_read_key(emu_ctx *ctx, const store_table *t, const cJSON *obj, const char *name)
{
    store_value *key = emu_item_member(ctx, obj, name, true);
    if (key && !store_table_check_key(t, key, true, &ctx->err)) {
        store_release(key);
        return NULL;
    }
    return key;
}

static const char *const all_return_values[] = {"NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW", NULL};

bool emu_return_values(emu_ctx *ctx, const char *const *allowed, const char **out)
{
    emu_violations v;
    emu_violations_init(&v);
    if (!emu_string(ctx, ctx->req, "ReturnValues", out)) return false;
    emu_check_enum(&v, *out, "returnValues", all_return_values, "[ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]");
    if (!emu_violations_done(ctx, &v)) return false;
    if (!*out) { *out = "NONE"; return true; }
    for (const char *const *a = allowed; *a; a++)
        if (strcmp(*a, *out) == 0) return true;
    return store_fail(&ctx->err, STORE_ERR_VALIDATION, "ReturnValues can only be ALL_OLD or NONE");
}

bool emu_check_new_item(emu_ctx *ctx, const store_table *t, const store_value *item)
{
    if (!store_table_check_key(t, item, false, &ctx->err)) return false;
    if (store_item_size(item) > STORE_MAX_ITEM_SIZE)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION, "Item size has exceeded the maximum allowed size");
    return true;
}


bool emu_check_non_key_attributes(emu_ctx *ctx, const cJSON *non_key)
{
    const cJSON *e, *prev;
    cJSON_ArrayForEach(e, non_key) {
        if (!cJSON_IsString(e)) return store_fail(&ctx->err, STORE_ERR_SERIALIZATION, "Unexpected value type in payload");
        for (prev = non_key->child; prev != e; prev = prev->next)
            if (strcmp(prev->valuestring, e->valuestring) == 0)
                return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                                  "One or more parameter values were invalid: Duplicate element in NonKeyAttributes: %s",
                                  e->valuestring);
    }
    return true;
}
