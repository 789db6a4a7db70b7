/* assoc/read.c — the operations that only read a collection: ids, list (with
 * an equality `where`), size, empty, find and exists. The owner's String Set
 * is the association: ids come from it (sorted, as the set is kept), and
 * list fetches the records it names, skipping any that no longer exist. A
 * declaration's scope (scope.c) leaves out the children it does not match,
 * and its order orders list; a through association's set is the one its
 * join records make (through.c). */
#include "assoc/internal.h"

#include <stdlib.h>
#include <string.h>

typedef bool (*read_body)(const assoc_txn *t, const assoc_owner *o, void *arg, store_error *err);

/* Resolves the collection, runs body on it, frees what it took. */
static bool run_read(const assoc_collection *c, read_body body, void *arg, store_error *err)
{
    assoc_txn t;
    assoc_owner o;
    assoc_txn_init(&t, c->registry, c->db, err);
    bool ok = assoc_resolve(c, &t, &o, err) && body(&t, &o, arg, err);
    assoc_owner_release(&o);
    assoc_txn_free(&t);
    return ok;
}

static bool check_where(const store_value *where, store_error *err)
{
    if (!where || where->type == STORE_M) return true;
    return store_fail(err, STORE_ERR_VALIDATION, "where must be a map of attribute names to values");
}

/* Whether a child the association reads also matches the call's where and relation. */
static int wanted(const assoc_owner *o, const store_value *child, const store_value *where, const assoc_relation *rel,
                  store_error *err)
{
    if (!assoc_visible(o->decl, child) || !assoc_where_matches(child, where)) return 0;
    return assoc_relation_matches(rel, child, err);
}

/* The children the set names that exist and match where, in id order (or the declaration's). */
static bool children(const assoc_txn *t, const assoc_owner *o, const store_value *where, const assoc_relation *rel,
                     assoc_result *out, store_error *err)
{
    size_t n = o->set ? o->set->len : 0;
    store_value **items = calloc(n + 1, sizeof *items);
    if (!items) return assoc_oom(err);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        store_value *child = assoc_txn_get(t, o->target_table, store_elems(o->set)[i]);
        int match = child ? wanted(o, child, where, rel, err) : 0;
        if (match < 0) {
            assoc_ids_release(items, kept);
            return false;
        }
        if (match) items[kept++] = store_retain(child);
    }
    assoc_order_items(o->decl, o->target_table, items, kept);
    out->items = items;
    out->n_items = kept;
    return true;
}

static bool ids_body(const assoc_txn *t, const assoc_owner *o, void *out, store_error *err)
{
    (void)err;
    return assoc_result_visible_ids(out, t, o);
}

bool assoc_ids(const assoc_collection *c, assoc_result *out, store_error *err)
{
    return run_read(c, ids_body, out, err);
}

typedef struct list_args {
    const store_value *where;
    const assoc_relation *rel;
    assoc_result *out;
} list_args;

static bool list_body(const assoc_txn *t, const assoc_owner *o, void *arg, store_error *err)
{
    list_args *a = arg;
    return children(t, o, a->where, a->rel, a->out, err);
}

bool assoc_list_relation(const assoc_collection *c, const store_value *where, const assoc_relation *rel,
                         assoc_result *out, store_error *err)
{
    list_args a = {where, rel, out};
    return check_where(where, err) && run_read(c, list_body, &a, err);
}

bool assoc_list(const assoc_collection *c, const store_value *where, assoc_result *out, store_error *err)
{
    return assoc_list_relation(c, where, NULL, out, err);
}

static bool size_body(const assoc_txn *t, const assoc_owner *o, void *size, store_error *err)
{
    store_value *ids;
    if (!assoc_visible_ids(t, o, &ids, err)) return false;
    *(size_t *)size = ids ? ids->len : 0;
    store_release(ids);
    return true;
}

/* A child the association holds and reads: in its set, stored, in its scope. */
static store_value *member(const assoc_txn *t, const assoc_owner *o, const store_value *id)
{
    store_value *child = assoc_set_contains(o->set, id) ? assoc_txn_get(t, o->target_table, id) : NULL;
    return child && assoc_visible(o->decl, child) ? child : NULL;
}

bool assoc_size(const assoc_collection *c, size_t *size, store_error *err)
{
    return run_read(c, size_body, size, err);
}

bool assoc_empty(const assoc_collection *c, bool *empty, store_error *err)
{
    size_t size = 0;
    if (!assoc_size(c, &size, err)) return false;
    *empty = size == 0;
    return true;
}

typedef struct find_args {
    const char *id;
    store_value *found;
} find_args;

static bool find_body(const assoc_txn *t, const assoc_owner *o, void *arg, store_error *err)
{
    find_args *a = arg;
    store_value *id = assoc_string(a->id);
    if (!id) return assoc_oom(err);
    store_value *child = member(t, o, id);
    store_release(id);
    if (!child)
        return store_fail(err, STORE_ERR_RECORD_NOT_FOUND, "Couldn't find %s with id=%s in %s of %s %s",
                          o->decl->target, a->id, o->decl->name, o->decl->table, store_bytes(o->id));
    a->found = store_retain(child);
    return true;
}

store_value *assoc_find(const assoc_collection *c, const char *id, store_error *err)
{
    find_args a = {id, NULL};
    if (!id) return store_fail(err, STORE_ERR_VALIDATION, "find needs the id of a record"), NULL;
    return run_read(c, find_body, &a, err) ? a.found : NULL;
}

typedef struct exists_args {
    const char *id;
    const store_value *where;
    const assoc_relation *rel;
    bool exists;
} exists_args;

static bool exists_body(const assoc_txn *t, const assoc_owner *o, void *arg, store_error *err)
{
    exists_args *a = arg;
    if (a->id) {
        store_value *id = assoc_string(a->id);
        if (!id) return assoc_oom(err);
        const store_value *child = member(t, o, id);
        store_release(id);
        int match = child ? assoc_relation_matches(a->rel, child, err) : 0;
        a->exists = match > 0;
        return match >= 0;
    }
    for (size_t i = 0; o->set && i < o->set->len && !a->exists; i++) {
        const store_value *child = assoc_txn_get(t, o->target_table, store_elems(o->set)[i]);
        int match = child ? wanted(o, child, a->where, a->rel, err) : 0;
        if (match < 0) return false;
        a->exists = match > 0;
    }
    return true;
}

bool assoc_exists(const assoc_collection *c, const char *id, const store_value *where, bool *exists,
                  store_error *err)
{
    return assoc_exists_relation(c, id, where, NULL, exists, err);
}

bool assoc_exists_relation(const assoc_collection *c, const char *id, const store_value *where,
                           const assoc_relation *rel, bool *exists, store_error *err)
{
    if (id && where) return store_fail(err, STORE_ERR_VALIDATION, "exists takes an id or a where, not both");
    exists_args a = {id, where, rel, false};
    if (!check_where(where, err) || !run_read(c, exists_body, &a, err)) return false;
    *exists = a.exists;
    return true;
}
