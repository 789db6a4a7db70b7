/* assoc/resolve.c — from a collection's names to its declaration, tables and
 * owner record, with the refusals every operation shares (unknown table,
 * association or owner, a malformed ids attribute, ids outside the
 * association); the owner a child's key names (by id or primary_key); the
 * ids a scoped association sees; and staging an owner's new set with its
 * counter cache (under a where, the children it selects). */
#include "assoc/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const assoc_declaration *has_many_of(const assoc_registry *r, const store_db *db, const char *table,
                                            const char *name, store_error *err)
{
    if (!store_db_table(db, table))
        return store_fail(err, STORE_ERR_NOT_FOUND, "Requested resource not found: Table: %s not found", table),
               NULL;
    const assoc_declaration *d = assoc_lookup(r, table, name);
    if (!d) return store_fail(err, STORE_ERR_VALIDATION, "Table %s has no association named %s", table, name), NULL;
    if (d->kind != ASSOC_BELONGS_TO) return d;
    store_fail(err, STORE_ERR_VALIDATION,
               "%s of %s is a belongs_to: collection operations run on the has_many of %s%s (a belongs_to answers "
               "owner)",
               name, table, d->target ? "table " : "its owner's table", d->target ? d->target : "");
    return NULL;
}

/* Tables can be deleted (DeleteTable) after a declaration named them. */
static store_table *table_of(const store_db *db, const assoc_declaration *d, const char *name, store_error *err)
{
    store_table *t = assoc_usable_table(db, name);
    if (!t)
        store_fail(err, STORE_ERR_VALIDATION,
                   "Association %s of %s: table %s no longer exists or is no longer keyed by a String id", d->name,
                   d->table, name);
    return t;
}

bool assoc_owner_set(const assoc_declaration *d, const store_value *owner, const store_value **set,
                     store_error *err)
{
    *set = store_map_get(owner, d->ids_attribute, strlen(d->ids_attribute));
    if (!*set || (*set)->type == STORE_SS) return true;
    return store_fail(err, STORE_ERR_VALIDATION, "Attribute %s of a %s record holds a %s, not a String Set (SS)",
                      d->ids_attribute, d->table, store_type_name((*set)->type));
}

const store_value *assoc_owner_key(const assoc_declaration *d, const store_value *id, const store_value *owner)
{
    return d->primary_key ? assoc_string_attr(owner, d->primary_key) : id;
}

const store_value *assoc_owner_by_key(const assoc_txn *t, const assoc_declaration *d, store_table *owner_table,
                                      const store_value *key)
{
    if (!d->primary_key) return assoc_txn_get(t, owner_table, key);
    /* No index on the primary_key attribute: the first owner holding the value, in scan order. */
    store_key start = {.hash = 0, .pk = NULL, .sk = NULL, .sk_bound = -1};
    store_cursor c;
    const store_value *found = NULL;
    store_cursor_open(&c, &owner_table->items, &start, STORE_SEEK_GE);
    for (const store_value *item; !found && (item = store_cursor_next(&c));) {
        const store_value *v = assoc_string_attr(item, d->primary_key);
        if (v && store_value_equal(v, key)) found = item;
    }
    store_cursor_close(&c);
    return found ? assoc_txn_get(t, owner_table, assoc_item_id(owner_table, found)) : NULL;
}

bool assoc_owner_of(const assoc_declaration *d, store_db *db, const assoc_txn *txn, const store_value *id,
                    assoc_owner *o, store_error *err)
{
    memset(o, 0, sizeof *o);
    o->decl = d;
    if (!(o->owner_table = table_of(db, d, d->table, err)) || !(o->target_table = table_of(db, d, d->target, err)))
        return false;
    o->id = store_retain((store_value *)id);
    if (!(o->item = assoc_txn_get(txn, o->owner_table, o->id))) {
        store_fail(err, STORE_ERR_RECORD_NOT_FOUND, "Couldn't find %s with id=%s", d->table, store_bytes(id));
        assoc_owner_release(o);
        return false;
    }
    o->key = assoc_owner_key(d, o->id, o->item);
    if (d->through) return assoc_through_read(txn, o, err) || (assoc_owner_release(o), false);
    if (!assoc_owner_set(d, o->item, &o->set, err)) {
        assoc_owner_release(o);
        return false;
    }
    return true;
}

bool assoc_resolve(const assoc_collection *c, const assoc_txn *txn, assoc_owner *o, store_error *err)
{
    memset(o, 0, sizeof *o);
    if (!c->table || !c->association || !c->id)
        return store_fail(err, STORE_ERR_VALIDATION, "An association operation needs a table, an id and an association");
    const assoc_declaration *d = has_many_of(c->registry, c->db, c->table, c->association, err);
    if (!d) return false;
    store_value *id = assoc_string(c->id);
    if (!id) return assoc_oom(err);
    bool ok = assoc_owner_of(d, c->db, txn, id, o, err);
    store_release(id);
    return ok;
}

bool assoc_visible_ids(const assoc_txn *t, const assoc_owner *o, store_value **out, store_error *err)
{
    *out = NULL;
    if (!assoc_scoped(o->decl) || !o->set) {
        *out = store_retain((store_value *)o->set);
        return true;
    }
    store_value **ids = malloc((o->set->len + 1) * sizeof *ids);
    if (!ids) return assoc_oom(err);
    size_t n = 0;
    for (size_t i = 0; i < o->set->len; i++) {
        store_value *id = store_elems(o->set)[i];
        const store_value *child = assoc_txn_get(t, o->target_table, id);
        if (child && assoc_visible(o->decl, child)) ids[n++] = store_retain(id);
    }
    bool duplicate;
    *out = n ? store_value_set(STORE_SS, ids, n, &duplicate) : NULL;
    free(ids);
    return !n || *out || assoc_oom(err);
}

bool assoc_result_visible_ids(assoc_result *out, const assoc_txn *t, const assoc_owner *o)
{
    store_value *ids;
    if (!assoc_visible_ids(t, o, &ids, t->err)) return false;
    bool ok = assoc_result_set_ids(out, ids) || assoc_oom(t->err);
    store_release(ids);
    return ok;
}

void assoc_owner_release(assoc_owner *o)
{
    store_release(o->id);
    store_release(o->through_set);
    o->id = o->through_set = NULL;
}

void assoc_owner_refresh(assoc_owner *o, const assoc_txn *txn)
{
    o->item = assoc_txn_get(txn, o->owner_table, o->id);
    o->key = o->item ? assoc_owner_key(o->decl, o->id, o->item) : NULL;
    if (o->decl->through) {
        store_release(o->through_set);
        o->through_set = NULL;
        o->set = NULL;
        if (o->item) assoc_through_read(txn, o, NULL);
        return;
    }
    o->set = o->item ? store_map_get(o->item, o->decl->ids_attribute, strlen(o->decl->ids_attribute)) : NULL;
}

static store_value *count_value(size_t n)
{
    char buf[32];
    int len = snprintf(buf, sizeof buf, "%zu", n);
    return store_value_bytes(STORE_N, buf, (size_t)len);
}

typedef struct staged_children {
    const assoc_txn *txn;
    store_table *table;
} staged_children;

static const store_value *staged_child(const void *ctx, const store_value *id)
{
    const staged_children *s = ctx;
    return s->table ? assoc_txn_get(s->txn, s->table, id) : NULL;
}

bool assoc_stage_owner_set(assoc_txn *t, const assoc_declaration *d, store_table *owner_table,
                           const store_value *owner, store_value *set)
{
    size_t n = set ? set->len : 0;
    staged_children children = {t, d->counter_cache && d->where ? assoc_usable_table(t->db, d->target) : NULL};
    size_t counted_children = d->counter_cache ? assoc_counted(d, set, staged_child, &children) : 0;
    store_value *item = assoc_item_with(owner, d->ids_attribute, set);
    if (item && d->counter_cache) {
        store_value *counted = assoc_item_with(item, d->counter_cache, count_value(counted_children));
        store_release(item);
        item = counted;
    }
    if (!item) return assoc_oom(t->err);
    if (store_item_size(item) > STORE_MAX_ITEM_SIZE) {
        store_release(item);
        return store_fail(t->err, STORE_ERR_VALIDATION,
                          "The %s record would exceed the item size limit of 400 KB with %zu ids in %s",
                          owner_table->name, n, d->ids_attribute);
    }
    /* The id is read from the new version: the old one may be released by the put. */
    return assoc_txn_put(t, owner_table, assoc_item_id(owner_table, item), item);
}

void assoc_ids_release(store_value **ids, size_t n)
{
    for (size_t i = 0; i < n; i++) store_release(ids[i]);
    free(ids);
}

static int compare_ids(const void *a, const void *b)
{
    return store_scalar_compare(*(store_value *const *)a, *(store_value *const *)b);
}

/* Sorts ids and drops repeats; the new count. */
static size_t sort_unique(store_value **ids, size_t n)
{
    qsort(ids, n, sizeof *ids, compare_ids);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (kept && store_value_equal(ids[kept - 1], ids[i])) store_release(ids[i]);
        else ids[kept++] = ids[i];
    }
    return kept;
}

static bool check_id(store_table *table, const char *id, bool missing_ok, const assoc_txn *txn,
                     const store_value *v, store_error *err)
{
    if (!*id) return store_fail(err, STORE_ERR_VALIDATION, "An id of table %s cannot be empty", table->name);
    if (strlen(id) > STORE_MAX_PARTITION_KEY)
        return store_fail(err, STORE_ERR_VALIDATION, "An id of table %s is longer than 2048 bytes", table->name);
    if (!missing_ok && !assoc_txn_get(txn, table, v))
        return store_fail(err, STORE_ERR_RECORD_NOT_FOUND, "Couldn't find %s with id=%s", table->name, id);
    return true;
}

/* Sorted, so children are visited (and destroyed) in id order. */
bool assoc_ids_in(store_table *table, const char *const *ids, size_t n, bool missing_ok, const assoc_txn *txn,
                  store_value ***out, size_t *n_out, store_error *err)
{
    store_value **v = calloc(n + 1, sizeof *v);
    if (!v) return assoc_oom(err);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (!ids[i]) return assoc_ids_release(v, kept), store_fail(err, STORE_ERR_VALIDATION, "An id is missing");
        store_value *id = assoc_string(ids[i]);
        if (!id) return assoc_ids_release(v, kept), assoc_oom(err);
        if (!check_id(table, ids[i], missing_ok, txn, id, err)) {
            store_release(id);
            return assoc_ids_release(v, kept), false;
        }
        v[kept++] = id;
    }
    *out = v;
    *n_out = sort_unique(v, kept);
    return true;
}

bool assoc_ids_members(const assoc_owner *o, store_value *const *ids, size_t n, store_error *err)
{
    for (size_t i = 0; i < n; i++)
        if (!assoc_set_contains(o->set, ids[i]))
            return store_fail(err, STORE_ERR_RECORD_NOT_FOUND, "Couldn't find %s with id=%s in %s of %s %s",
                              o->decl->target, store_bytes(ids[i]), o->decl->name, o->decl->table,
                              store_bytes(o->id));
    return true;
}
