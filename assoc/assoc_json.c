/* assoc/assoc_json.c — the JSON forms of CONTRACT.md ("Declarations",
 * "Operations") for the control API and fixtures: request bodies checked
 * and turned into C API calls, answers rendered back. The only assoc/ file
 * that knows cJSON; items and values are DynamoDB JSON, as on the wire. */
#include "assoc/internal.h"
#include "store/codec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reading members ---- */

/* A string member: absent or null leave *out NULL; anything else is refused. */
static bool optional_string(const cJSON *obj, const char *key, const char **out, const char *where,
                            store_error *err)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(obj, key);
    *out = NULL;
    if (!m || cJSON_IsNull(m)) return true;
    if (!cJSON_IsString(m)) return store_fail(err, STORE_ERR_VALIDATION, "%s%s must be a string", where, key);
    *out = m->valuestring;
    return true;
}

static bool required_string(const cJSON *obj, const char *key, const char **out, const char *where,
                            store_error *err)
{
    if (!optional_string(obj, key, out, where, err)) return false;
    return *out || store_fail(err, STORE_ERR_VALIDATION, "%s%s is required", where, key);
}

static bool only_known_keys(const cJSON *obj, const char *const *known, const char *what, const char *where,
                            store_error *err)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, obj) {
        bool ok = false;
        for (size_t i = 0; known[i] && !ok; i++) ok = strcmp(known[i], m->string) == 0;
        if (!ok) return store_fail(err, STORE_ERR_VALIDATION, "%sUnknown %s member: %s", where, what, m->string);
    }
    return true;
}

/* ---- declarations ---- */

static const char *const declaration_keys[] = {
    "table", "has_many", "belongs_to", "has_and_belongs_to_many", "target", "class_name", "foreign_key",
    "ids_attribute", "dependent", "inverse_of", "counter_cache", "through", "source", "as", "foreign_type",
    "primary_key", "where", "order", "polymorphic", NULL,
};

static bool read_kind(const cJSON *json, assoc_declaration *d, const char *where, store_error *err)
{
    const char *names[3];
    int given = 0;
    for (int k = ASSOC_HAS_MANY; k <= ASSOC_HABTM; k++) {
        if (!optional_string(json, assoc_kind_name((assoc_kind)k), &names[k], where, err)) return false;
        if (names[k]) given++, d->kind = (assoc_kind)k, d->name = names[k];
    }
    if (given != 1)
        return store_fail(err, STORE_ERR_VALIDATION,
                          "%sA declaration names exactly one of has_many or belongs_to (or has_and_belongs_to_many)", where);
    return true;
}

/* class_name is ActiveRecord's spelling of target. */
static bool read_target(const cJSON *json, assoc_declaration *d, const char *where, store_error *err)
{
    const char *class_name;
    if (!optional_string(json, "target", &d->target, where, err) ||
        !optional_string(json, "class_name", &class_name, where, err))
        return false;
    if (class_name && d->target && strcmp(class_name, d->target) != 0)
        return store_fail(err, STORE_ERR_VALIDATION, "%starget %s and class_name %s name different tables", where,
                          d->target, class_name);
    if (class_name) d->target = class_name;
    return true;
}

/* "order": "attr", or {"attribute": "attr", "direction": "ASC" | "DESC"}. */
static bool read_order(const cJSON *json, assoc_declaration *d, const char *where, store_error *err)
{
    const cJSON *order = cJSON_GetObjectItemCaseSensitive(json, "order");
    if (!order || cJSON_IsNull(order)) return true;
    if (cJSON_IsString(order)) return (d->order_by = order->valuestring), true;
    static const char *const keys[] = {"attribute", "direction", NULL};
    const char *direction;
    if (!cJSON_IsObject(order) || !only_known_keys(order, keys, "order", where, err) ||
        !required_string(order, "attribute", &d->order_by, where, err) ||
        !optional_string(order, "direction", &direction, where, err))
        return store_fail(err, STORE_ERR_VALIDATION,
                          "%sorder must be an attribute name or {\"attribute\": NAME, \"direction\": \"ASC\" or \"DESC\"}",
                          where);
    if (direction && strcmp(direction, "ASC") != 0 && strcmp(direction, "DESC") != 0)
        return store_fail(err, STORE_ERR_VALIDATION, "%sorder direction must be ASC or DESC, not %s", where, direction);
    d->order_desc = direction && strcmp(direction, "DESC") == 0;
    return true;
}

/* "where": attribute → DynamoDB JSON value; the declaration takes a reference. */
static bool read_scope(const cJSON *json, assoc_declaration *d, const char *where, store_error *err)
{
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(json, "where");
    if (!w || cJSON_IsNull(w)) return true;
    if (!cJSON_IsObject(w) || cJSON_GetArraySize(w) == 0)
        return store_fail(err, STORE_ERR_VALIDATION,
                          "%swhere must be a non-empty object of attributes in DynamoDB JSON (equality on each)", where);
    return (d->where = store_decode_item(w, err)) != NULL;
}

/* "polymorphic": true (ActiveRecord's belongs_to :commentable, polymorphic: true). */
static bool read_polymorphic(const cJSON *json, assoc_declaration *d, const char *where, store_error *err)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(json, "polymorphic");
    if (!m || cJSON_IsNull(m)) return true;
    if (!cJSON_IsBool(m)) return store_fail(err, STORE_ERR_VALIDATION, "%spolymorphic must be true or false", where);
    d->polymorphic = cJSON_IsTrue(m);
    return true;
}

static bool read_dependent(const cJSON *json, assoc_declaration *d, const char *where, store_error *err)
{
    const char *dep;
    if (!optional_string(json, "dependent", &dep, where, err)) return false;
    int value = dep ? assoc_dependent_from_name(dep) : ASSOC_DEPENDENT_NONE;
    if (value < 0)
        return store_fail(err, STORE_ERR_VALIDATION,
                          "%sUnknown dependent option %s (expected none, destroy, delete_all, nullify, "
                          "restrict_with_exception, restrict_with_error or destroy_async)",
                          where, dep);
    d->dependent = (assoc_dependent)value;
    return true;
}

/* The strings point into json, which outlives the declaration's use; the
 * where value is the caller's to release. */
static bool read_declaration(const cJSON *json, assoc_declaration *d, const char *where, store_error *err)
{
    memset(d, 0, sizeof *d);
    if (!cJSON_IsObject(json)) return store_fail(err, STORE_ERR_VALIDATION, "%sA declaration must be an object", where);
    return only_known_keys(json, declaration_keys, "declaration", where, err) &&
           required_string(json, "table", &d->table, where, err) && read_kind(json, d, where, err) &&
           read_target(json, d, where, err) && optional_string(json, "through", &d->through, where, err) &&
           optional_string(json, "source", &d->source, where, err) &&
           optional_string(json, "as", &d->as, where, err) &&
           optional_string(json, "foreign_type", &d->foreign_type, where, err) &&
           optional_string(json, "primary_key", &d->primary_key, where, err) && read_order(json, d, where, err) &&
           read_scope(json, d, where, err) &&
           optional_string(json, "foreign_key", &d->foreign_key, where, err) &&
           optional_string(json, "ids_attribute", &d->ids_attribute, where, err) &&
           optional_string(json, "inverse_of", &d->inverse_of, where, err) &&
           optional_string(json, "counter_cache", &d->counter_cache, where, err) &&
           read_dependent(json, d, where, err) && read_polymorphic(json, d, where, err);
}

bool assoc_declare_json(assoc_registry *r, const store_db *db, const cJSON *body, store_error *err)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(body, "declarations");
    if (!list) {
        assoc_declaration d;
        bool ok = read_declaration(body, &d, "", err) && assoc_declare(r, db, &d, err);
        store_release(d.where);
        return ok;
    }
    if (cJSON_GetArraySize(body) != 1) return store_fail(err, STORE_ERR_VALIDATION, "A body with declarations holds nothing else");
    if (!cJSON_IsArray(list)) return store_fail(err, STORE_ERR_VALIDATION, "declarations must be an array");
    size_t n = (size_t)cJSON_GetArraySize(list), i = 0;
    assoc_declaration *d = calloc(n + 1, sizeof *d);
    if (!d) return assoc_oom(err);
    bool ok = true;
    const cJSON *m;
    cJSON_ArrayForEach(m, list) {
        char where[48];
        snprintf(where, sizeof where, "declarations[%zu]: ", i);
        if (!(ok = read_declaration(m, &d[i++], where, err))) break;
    }
    ok = ok && assoc_declare_all(r, db, d, n, err);
    for (size_t k = 0; k < n; k++) store_release(d[k].where);
    free(d);
    return ok;
}

static void add_string_if(cJSON *obj, const char *key, const char *value)
{
    if (value) cJSON_AddStringToObject(obj, key, value);
}

static cJSON *declaration_json(const assoc_declaration *d)
{
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddStringToObject(obj, "table", d->table);
    cJSON_AddStringToObject(obj, assoc_kind_name(d->kind), d->name);
    add_string_if(obj, "target", d->target);
    if (d->polymorphic) cJSON_AddTrueToObject(obj, "polymorphic");
    add_string_if(obj, "foreign_key", d->foreign_key);
    add_string_if(obj, "ids_attribute", d->ids_attribute);
    if (d->kind != ASSOC_BELONGS_TO) cJSON_AddStringToObject(obj, "dependent", assoc_dependent_name(d->dependent));
    add_string_if(obj, "inverse_of", d->inverse_of);
    add_string_if(obj, "counter_cache", d->counter_cache);
    add_string_if(obj, "through", d->through);
    add_string_if(obj, "source", d->source);
    add_string_if(obj, "as", d->as);
    add_string_if(obj, "foreign_type", d->foreign_type);
    add_string_if(obj, "primary_key", d->primary_key);
    if (d->where) cJSON_AddItemToObject(obj, "where", store_encode_item(d->where));
    if (d->order_by) {
        cJSON *order = cJSON_AddObjectToObject(obj, "order");
        cJSON_AddStringToObject(order, "attribute", d->order_by);
        cJSON_AddStringToObject(order, "direction", d->order_desc ? "DESC" : "ASC");
    }
    return obj;
}

cJSON *assoc_declarations_json(const assoc_registry *r)
{
    cJSON *obj = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(obj, "declarations");
    for (size_t i = 0; i < r->n; i++) cJSON_AddItemToArray(list, declaration_json(&r->decls[i]));
    return obj;
}

/* ---- rendering answers: each whole, or NULL when out of memory ---- */

static cJSON *whole(cJSON *obj, bool ok)
{
    if (ok) return obj;
    cJSON_Delete(obj);
    return NULL;
}

static bool add_ids(cJSON *obj, const assoc_result *res)
{
    cJSON *ids = cJSON_AddArrayToObject(obj, "ids");
    bool ok = ids != NULL;
    for (size_t i = 0; ok && i < res->n_ids; i++) ok = store_json_add(ids, NULL, cJSON_CreateString(res->ids[i]));
    return ok;
}

static bool add_records(cJSON *obj, const char *key, const assoc_record *records, size_t n)
{
    cJSON *list = cJSON_AddArrayToObject(obj, key);
    bool ok = list != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        cJSON *r = cJSON_CreateObject();
        ok = store_json_add(list, NULL, whole(r, r && cJSON_AddStringToObject(r, "table", records[i].table) &&
                                                    cJSON_AddStringToObject(r, "id", records[i].id)));
    }
    return ok;
}

/* destroyed / deleted always where the contract's answer has them, else
 * only when the operation removed records (delete, clear, replace by
 * dependent). */
static cJSON *result_json(const assoc_result *res, bool with_destroyed, bool with_deleted)
{
    cJSON *obj = cJSON_CreateObject();
    bool ok = obj && add_ids(obj, res);
    if (ok && (with_destroyed || res->n_destroyed)) ok = add_records(obj, "destroyed", res->destroyed, res->n_destroyed);
    if (ok && (with_deleted || res->n_deleted)) ok = add_records(obj, "deleted", res->deleted, res->n_deleted);
    return whole(obj, ok);
}

static cJSON *item_answer(store_value *item)
{
    if (!item) return NULL;
    cJSON *obj = cJSON_CreateObject();
    bool ok = obj && store_json_add(obj, "item", store_encode_item(item));
    store_release(item);
    return whole(obj, ok);
}

static cJSON *bool_answer(const char *key, bool value)
{
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddBoolToObject(obj, key, value);
    return obj;
}

/* ---- operations ---- */

/* One parsed operation body. */
typedef struct call {
    assoc_collection c;
    const char *record_id;       /* find / exists: the child's id */
    const char **ids;
    size_t n_ids;
    store_value *item, *where;
    assoc_relation *relation;    /* list / exists: Dynomite's query chain */
    store_error *err;
} call;

typedef cJSON *(*op_handler)(call *k);

typedef bool (*ids_op)(const assoc_collection *, const char *const *, size_t, assoc_result *, store_error *);
typedef bool (*all_op)(const assoc_collection *, assoc_result *, store_error *);

static cJSON *run_ids_op(call *k, ids_op fn, bool with_destroyed, bool with_deleted)
{
    assoc_result res = {0};
    cJSON *answer = fn(&k->c, k->ids, k->n_ids, &res, k->err) ? result_json(&res, with_destroyed, with_deleted) : NULL;
    assoc_result_free(&res);
    return answer;
}

static cJSON *run_all_op(call *k, all_op fn, bool with_destroyed, bool with_deleted)
{
    assoc_result res = {0};
    cJSON *answer = fn(&k->c, &res, k->err) ? result_json(&res, with_destroyed, with_deleted) : NULL;
    assoc_result_free(&res);
    return answer;
}

static cJSON *op_add(call *k) { return run_ids_op(k, assoc_add, false, false); }
static cJSON *op_disassociate(call *k) { return run_ids_op(k, assoc_disassociate, false, false); }
static cJSON *op_replace(call *k) { return run_ids_op(k, assoc_replace, false, false); }
static cJSON *op_delete(call *k) { return run_ids_op(k, assoc_delete, false, false); }
static cJSON *op_destroy(call *k) { return run_ids_op(k, assoc_destroy, true, false); }
static cJSON *op_disassociate_all(call *k) { return run_all_op(k, assoc_disassociate_all, false, false); }
static cJSON *op_delete_all(call *k) { return run_all_op(k, assoc_delete_all, false, true); }
static cJSON *op_destroy_all(call *k) { return run_all_op(k, assoc_destroy_all, true, false); }
static cJSON *op_clear(call *k) { return run_all_op(k, assoc_clear, false, false); }
static cJSON *op_ids(call *k) { return run_all_op(k, assoc_ids, false, false); }

static cJSON *op_list(call *k)
{
    assoc_result res = {0};
    cJSON *answer = NULL;
    if (assoc_list_relation(&k->c, k->where, k->relation, &res, k->err)) {
        answer = cJSON_CreateObject();
        cJSON *items = cJSON_AddArrayToObject(answer, "items");
        bool ok = items != NULL;
        for (size_t i = 0; ok && i < res.n_items; i++) ok = store_json_add(items, NULL, store_encode_item(res.items[i]));
        answer = whole(answer, ok);
    }
    assoc_result_free(&res);
    return answer;
}

static cJSON *op_size(call *k)
{
    size_t size;
    if (!assoc_size(&k->c, &size, k->err)) return NULL;
    cJSON *answer = cJSON_CreateObject();
    cJSON_AddNumberToObject(answer, "size", (double)size);
    return answer;
}

static cJSON *op_empty(call *k)
{
    bool empty;
    return assoc_empty(&k->c, &empty, k->err) ? bool_answer("empty", empty) : NULL;
}

static cJSON *op_exists(call *k)
{
    bool exists;
    return assoc_exists_relation(&k->c, k->record_id, k->where, k->relation, &exists, k->err)
               ? bool_answer("exists", exists)
               : NULL;
}

static cJSON *op_find(call *k) { return item_answer(assoc_find(&k->c, k->record_id, k->err)); }

/* {"table": T, "item": owner}, or {"item": null} when the record names no owner. */
static cJSON *op_owner(call *k)
{
    store_value *owner;
    const char *table;
    if (!assoc_owner_find(&k->c, &owner, &table, k->err)) return NULL;
    cJSON *answer = cJSON_CreateObject();
    if (owner) cJSON_AddStringToObject(answer, "table", table);
    cJSON_AddItemToObject(answer, "item", owner ? store_encode_item(owner) : cJSON_CreateNull());
    store_release(owner);
    return answer;
}
static cJSON *op_build(call *k) { return item_answer(assoc_build(&k->c, k->item, k->err)); }
static cJSON *op_create(call *k) { return item_answer(assoc_create(&k->c, k->item, k->err)); }

enum { TAKES_IDS = 1, TAKES_ITEM = 2, TAKES_WHERE = 4, TAKES_RECORD_ID = 8, REQUIRED = 16, READS_ONLY = 32,
       TAKES_RELATION = 64 };

static const struct op {
    const char *name;
    op_handler handler;
    unsigned args;               /* what it takes; REQUIRED: the one it takes must be there */
} operations[] = {
    {"add", op_add, TAKES_IDS | REQUIRED},
    {"build", op_build, TAKES_ITEM | READS_ONLY},
    {"clear", op_clear, 0},
    {"create", op_create, TAKES_ITEM | REQUIRED},
    {"delete", op_delete, TAKES_IDS | REQUIRED},
    {"delete_all", op_delete_all, 0},
    {"destroy", op_destroy, TAKES_IDS | REQUIRED},
    {"destroy_all", op_destroy_all, 0},
    {"disassociate", op_disassociate, TAKES_IDS | REQUIRED},
    {"disassociate_all", op_disassociate_all, 0},
    {"empty", op_empty, READS_ONLY},
    {"exists", op_exists, TAKES_RECORD_ID | TAKES_WHERE | TAKES_RELATION | READS_ONLY},
    {"find", op_find, TAKES_RECORD_ID | REQUIRED | READS_ONLY},
    {"ids", op_ids, READS_ONLY},
    {"list", op_list, TAKES_WHERE | TAKES_RELATION | READS_ONLY},
    {"owner", op_owner, READS_ONLY},
    {"replace", op_replace, TAKES_IDS | REQUIRED},
    {"size", op_size, READS_ONLY},
};

static const struct op *find_op(const char *name)
{
    for (size_t i = 0; i < sizeof operations / sizeof *operations; i++)
        if (strcmp(operations[i].name, name) == 0) return &operations[i];
    return NULL;
}

bool assoc_call_reads_only(const cJSON *body)
{
    const cJSON *op = cJSON_GetObjectItemCaseSensitive(body, "op");
    const struct op *o = cJSON_IsString(op) ? find_op(op->valuestring) : NULL;
    return o && (o->args & READS_ONLY);
}

static const char *const call_keys[] = {
    "op", "table", "id", "owner_id", "association", "ids", "item", "where", "record_id", "child_id", "relation", NULL,
};

static bool read_ids(const cJSON *body, call *k)
{
    const cJSON *ids = cJSON_GetObjectItemCaseSensitive(body, "ids"), *m;
    if (!ids) return store_fail(k->err, STORE_ERR_VALIDATION, "ids is required: an array of ids");
    if (!cJSON_IsArray(ids)) return store_fail(k->err, STORE_ERR_VALIDATION, "ids must be an array of strings");
    k->ids = calloc((size_t)cJSON_GetArraySize(ids) + 1, sizeof *k->ids);
    if (!k->ids) return assoc_oom(k->err);
    cJSON_ArrayForEach(m, ids) {
        if (!cJSON_IsString(m)) return store_fail(k->err, STORE_ERR_VALIDATION, "ids must be an array of strings");
        k->ids[k->n_ids++] = m->valuestring;
    }
    return true;
}

/* An item or a where: a map of attribute names to DynamoDB JSON values. */
static bool read_values(const cJSON *body, const char *key, bool required, store_value **out, store_error *err)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(body, key);
    if (!m && !required) return true;
    if (!m) return store_fail(err, STORE_ERR_VALIDATION, "%s is required: an object of attributes", key);
    if (!cJSON_IsObject(m))
        return store_fail(err, STORE_ERR_VALIDATION, "%s must be an object of attributes in DynamoDB JSON", key);
    return (*out = store_decode_item(m, err)) != NULL;
}

/* The second "id" member of a body, when a client sent two. */
static const cJSON *second_id(const cJSON *body)
{
    int seen = 0;
    const cJSON *m;
    cJSON_ArrayForEach(m, body)
        if (strcmp(m->string, "id") == 0 && ++seen == 2) return m;
    return NULL;
}

/* The owner is "id" (or "owner_id"); the record find / exists look for is
 * "record_id", "child_id", "id" beside an "owner_id", or a second "id". */
static bool read_ids_of_call(const cJSON *body, call *k)
{
    const char *owner_id, *record_id, *child_id, *id;
    if (!optional_string(body, "owner_id", &owner_id, "", k->err) || !optional_string(body, "id", &id, "", k->err) ||
        !optional_string(body, "record_id", &record_id, "", k->err) ||
        !optional_string(body, "child_id", &child_id, "", k->err))
        return false;
    const cJSON *second = second_id(body);
    if (second && !cJSON_IsString(second)) return store_fail(k->err, STORE_ERR_VALIDATION, "id must be a string");
    k->c.id = owner_id ? owner_id : id;
    k->record_id = record_id ? record_id : child_id ? child_id : owner_id ? id : second ? second->valuestring : NULL;
    return k->c.id || store_fail(k->err, STORE_ERR_VALIDATION, "id is required: the owner's id");
}

/* "relation": [{"where": {...}}, {"and": {...}}, {"not": {...}}, {"or": {...}}], values in DynamoDB JSON. */
static bool read_step(const cJSON *json, assoc_step *step, store_value **held, store_error *err)
{
    static const char *const kinds[] = {"where", "not", "or", "and"};
    if (!cJSON_IsObject(json) || cJSON_GetArraySize(json) != 1 || !cJSON_IsObject(json->child))
        return store_fail(err, STORE_ERR_VALIDATION,
                          "relation: each step is one of {\"where\": {...}}, {\"and\": {...}}, {\"not\": {...}} or "
                          "{\"or\": {...}}");
    int kind = -1;
    for (int i = 0; i < 4 && kind < 0; i++)
        if (strcmp(json->child->string, kinds[i]) == 0) kind = i == 3 ? ASSOC_STEP_WHERE : i;
    if (kind < 0) return store_fail(err, STORE_ERR_VALIDATION, "relation: unknown step %s", json->child->string);
    step->kind = (assoc_step_kind)kind;
    return (step->conditions = *held = store_decode_item(json->child, err)) != NULL;
}

static bool read_relation(const cJSON *body, call *k)
{
    const cJSON *chain = cJSON_GetObjectItemCaseSensitive(body, "relation"), *m;
    if (!chain) return true;
    if (!cJSON_IsArray(chain)) return store_fail(k->err, STORE_ERR_VALIDATION, "relation must be an array of steps");
    size_t n = (size_t)cJSON_GetArraySize(chain), i = 0;
    assoc_step *steps = calloc(n + 1, sizeof *steps);
    store_value **held = calloc(n + 1, sizeof *held);
    bool ok = (steps && held) || assoc_oom(k->err);
    cJSON_ArrayForEach(m, chain) {
        if (!ok || !(ok = read_step(m, &steps[i], &held[i], k->err))) break;
        i++;
    }
    ok = ok && (k->relation = assoc_relation_new(steps, n, k->err)) != NULL;
    for (size_t j = 0; held && j < n; j++) store_release(held[j]);
    free(held);
    free(steps);
    return ok;
}

static bool read_arguments(const cJSON *body, const struct op *op, call *k)
{
    if (!(op->args & TAKES_RELATION) && cJSON_GetObjectItemCaseSensitive(body, "relation"))
        return store_fail(k->err, STORE_ERR_VALIDATION, "%s takes no relation (list and exists do)", op->name);
    if ((op->args & TAKES_RELATION) && !read_relation(body, k)) return false;
    bool required = op->args & REQUIRED;
    if ((op->args & TAKES_IDS) && !read_ids(body, k)) return false;
    if ((op->args & TAKES_ITEM) && !read_values(body, "item", required, &k->item, k->err)) return false;
    if ((op->args & TAKES_WHERE) && !read_values(body, "where", false, &k->where, k->err)) return false;
    if ((op->args & TAKES_RECORD_ID) && required && !k->record_id)
        return store_fail(k->err, STORE_ERR_VALIDATION,
                          "%s needs the id of a record: record_id (the owner's id stays in id)", op->name);
    return true;
}

static const struct op *read_call(const cJSON *body, call *k)
{
    const char *name;
    if (!cJSON_IsObject(body))
        return store_fail(k->err, STORE_ERR_VALIDATION, "An association operation must be an object"), NULL;
    if (!only_known_keys(body, call_keys, "operation", "", k->err) ||
        !required_string(body, "op", &name, "", k->err) || !required_string(body, "table", &k->c.table, "", k->err) ||
        !required_string(body, "association", &k->c.association, "", k->err) || !read_ids_of_call(body, k))
        return NULL;
    const struct op *op = find_op(name);
    if (!op)
        return store_fail(k->err, STORE_ERR_VALIDATION, "Unknown association operation: %s", name), NULL;
    return read_arguments(body, op, k) ? op : NULL;
}

cJSON *assoc_call_json(assoc_registry *r, store_db *db, const cJSON *body, store_error *err)
{
    call k = {.c = {.registry = r, .db = db}, .err = err};
    const struct op *op = read_call(body, &k);
    cJSON *answer = op ? op->handler(&k) : NULL;
    free(k.ids);
    store_release(k.item);
    store_release(k.where);
    assoc_relation_free(k.relation);
    return answer;
}

/* ---- destroy and check ---- */

cJSON *assoc_destroy_json(assoc_registry *r, store_db *db, const cJSON *body, store_error *err)
{
    static const char *const keys[] = {"table", "id", NULL};
    const char *table, *id;
    if (!cJSON_IsObject(body))
        return store_fail(err, STORE_ERR_VALIDATION, "A destroy must be an object: {\"table\": T, \"id\": ID}"), NULL;
    if (!only_known_keys(body, keys, "destroy", "", err) || !required_string(body, "table", &table, "", err) ||
        !required_string(body, "id", &id, "", err))
        return NULL;
    assoc_result res = {0};
    cJSON *answer = NULL;
    if (assoc_destroy_record(r, db, table, id, &res, err)) {
        answer = cJSON_CreateObject();
        add_records(answer, "destroyed", res.destroyed, res.n_destroyed);
        if (res.n_deleted) add_records(answer, "deleted", res.deleted, res.n_deleted);
    }
    assoc_result_free(&res);
    return answer;
}

static cJSON *problem_json(const assoc_problem *p)
{
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddStringToObject(obj, "kind", p->kind);
    cJSON_AddStringToObject(obj, "table", p->table);
    cJSON_AddStringToObject(obj, "id", p->id);
    cJSON_AddStringToObject(obj, "association", p->association);
    add_string_if(obj, "other", p->other);
    cJSON_AddStringToObject(obj, "message", p->message);
    return obj;
}

cJSON *assoc_check_json(const assoc_registry *r, const store_db *db)
{
    assoc_problem *problems = NULL;
    size_t n = 0;
    if (!assoc_check(r, db, &problems, &n)) return NULL;
    cJSON *obj = cJSON_CreateObject();
    cJSON *list = obj && cJSON_AddBoolToObject(obj, "ok", n == 0) ? cJSON_AddArrayToObject(obj, "problems") : NULL;
    bool ok = list != NULL;
    for (size_t i = 0; ok && i < n; i++) ok = store_json_add(list, NULL, problem_json(&problems[i]));
    assoc_problems_free(problems, n);
    return whole(obj, ok);
}
