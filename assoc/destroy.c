/* assoc/destroy.c — destroying and deleting records with association
 * semantics, as ActiveRecord does: destroy applies each has_many's (and
 * habtm's) `dependent` to the record's children first (destroy and
 * destroy_async cascade through the children's own associations, delete_all
 * deletes them without cascade, nullify unlinks them, restrict_* refuses
 * while any exists; a scoped association acts on the children its scope
 * reads only), then removes the record and takes it out of its owners'
 * sets and out of every habtm set naming it; delete only removes the record
 * and unlinks it. A through association's join records follow the through
 * has_many's own dependent. A record already gone in the txn is skipped,
 * so a cycle of owners ends. */
#include "assoc/internal.h"

#include <string.h>

/* A collection kept in the record's own set (not a through association's). */
static bool is_has_many_of(const assoc_declaration *d, const store_table *table)
{
    return d->kind != ASSOC_BELONGS_TO && !d->through && strcmp(d->table, table->name) == 0;
}

static bool is_has_many_onto(const assoc_declaration *d, const store_table *table)
{
    return d->kind != ASSOC_BELONGS_TO && !d->through && strcmp(d->target, table->name) == 0;
}

/* The child, when it exists and d's scope reads it. */
static const store_value *scoped_child(const assoc_txn *t, const assoc_declaration *d, store_table *target,
                                       const store_value *id)
{
    const store_value *child = assoc_txn_get(t, target, id);
    return child && assoc_visible(d, child) ? child : NULL;
}

static bool any_child_exists(const assoc_txn *t, const assoc_declaration *d, store_table *target,
                             const store_value *set)
{
    for (size_t i = 0; set && i < set->len; i++)
        if (scoped_child(t, d, target, store_elems(set)[i])) return true;
    return false;
}

/* Checked before anything is staged for the record. ActiveRecord's
 * restrict_with_error adds the error to the owner and returns false; with no
 * owner object here, both options answer DeleteRestrictionError. */
static bool check_restrictions(assoc_txn *t, store_table *table, const store_value *item)
{
    for (size_t i = 0; i < t->registry->n; i++) {
        const assoc_declaration *d = &t->registry->decls[i];
        if (!is_has_many_of(d, table)) continue;
        store_table *target = assoc_usable_table(t->db, d->target);
        const store_value *set;
        if (!assoc_owner_set(d, item, &set, t->err)) return false;
        bool restricted = d->dependent == ASSOC_DEPENDENT_RESTRICT_WITH_EXCEPTION ||
                          d->dependent == ASSOC_DEPENDENT_RESTRICT_WITH_ERROR;
        if (restricted && target && any_child_exists(t, d, target, set))
            return store_fail(t->err, STORE_ERR_DELETE_RESTRICTED,
                              d->dependent == ASSOC_DEPENDENT_RESTRICT_WITH_EXCEPTION
                                  ? "Cannot delete record because of dependent %s"
                                  : "Cannot delete record because dependent %s exist",
                              d->name);
    }
    return true;
}

/* Scoped children only: the rest keep their foreign key (ActiveRecord's
 * "only the scoped objects are destroyed"). A habtm's nullify is left to
 * unlink_everywhere, which takes the record out of every inverse set. */
static bool apply_dependent(assoc_txn *t, const assoc_declaration *d, const store_value *owner_key,
                            const store_value *set)
{
    store_table *target = assoc_usable_table(t->db, d->target);
    for (size_t i = 0; target && set && i < set->len; i++) {
        const store_value *child = store_elems(set)[i];
        if (!scoped_child(t, d, target, child)) continue;
        bool ok = true;
        assoc_removal how = assoc_removal_for(d->dependent);
        if (how == ASSOC_DESTROY) ok = assoc_destroy_in(t, target, child);
        else if (how == ASSOC_DELETE) ok = assoc_delete_in(t, target, child);
        else if (d->dependent == ASSOC_DEPENDENT_NULLIFY)
            ok = assoc_clear_foreign_key(t, d, target, child, owner_key);
        if (!ok) return false;
    }
    return true;
}

static bool apply_dependents(assoc_txn *t, store_table *table, const store_value *id, const store_value *item)
{
    for (size_t i = 0; i < t->registry->n; i++) {
        const assoc_declaration *d = &t->registry->decls[i];
        const store_value *set;
        if (is_has_many_of(d, table) &&
            !(assoc_owner_set(d, item, &set, t->err) && apply_dependent(t, d, assoc_owner_key(d, id, item), set)))
            return false;
    }
    return true;
}

/* Out of the sets of the record's owners, and out of both sides of every
 * habtm it is in. */
static bool unlink_everywhere(assoc_txn *t, store_table *table, const store_value *id, const store_value *item)
{
    for (size_t i = 0; i < t->registry->n; i++) {
        const assoc_declaration *d = &t->registry->decls[i];
        bool ok = true;
        if (d->kind == ASSOC_HABTM) ok = assoc_habtm_forget(t, d, table, id, item);
        else if (is_has_many_onto(d, table)) ok = assoc_unlink_from_owner(t, d, id, item);
        if (!ok) return false;
    }
    return true;
}

/* The record is marked gone before its children are visited (a child that
 * owns it in turn then skips it); item is held because the txn releases the
 * versions it replaces. */
bool assoc_destroy_in(assoc_txn *t, store_table *table, const store_value *id)
{
    if (assoc_txn_removed(t, table, id)) return true;
    if (t->cascade_depth >= ASSOC_MAX_CASCADE_DEPTH)
        return store_fail(t->err, STORE_ERR_VALIDATION,
                          "dependent: destroy cascades more than %d records deep (at %s %s); nothing was destroyed",
                          ASSOC_MAX_CASCADE_DEPTH, table->name, store_bytes(id));
    store_value *item = store_retain(assoc_txn_get(t, table, id));
    if (!item) return true;
    t->cascade_depth++;
    bool ok = check_restrictions(t, table, item) && assoc_txn_put(t, table, id, NULL) &&
              apply_dependents(t, table, id, item) && unlink_everywhere(t, table, id, item) &&
              assoc_txn_note_destroyed(t, table, item);
    t->cascade_depth--;
    store_release(item);
    return ok;
}

bool assoc_delete_in(assoc_txn *t, store_table *table, const store_value *id)
{
    if (assoc_txn_removed(t, table, id)) return true;
    store_value *item = store_retain(assoc_txn_get(t, table, id));
    if (!item) return true;
    bool ok = assoc_txn_put(t, table, id, NULL) && unlink_everywhere(t, table, id, item) &&
              assoc_txn_note_deleted(t, table, item);
    store_release(item);
    return ok;
}

bool assoc_destroy_record(assoc_registry *r, store_db *db, const char *table, const char *id, assoc_result *out,
                          store_error *err)
{
    store_table *t = store_db_table(db, table);
    if (!t) return store_fail(err, STORE_ERR_NOT_FOUND, "Requested resource not found: Table: %s not found", table);
    if (!assoc_usable_table(db, table))
        return store_fail(err, STORE_ERR_VALIDATION,
                          "Table %s is not keyed by a String partition key alone, so a record cannot be named by "
                          "an id", table);
    if (!id || !*id) return store_fail(err, STORE_ERR_VALIDATION, "A record to destroy needs an id");
    store_value *key = assoc_string(id);
    if (!key) return assoc_oom(err);
    assoc_txn txn;
    assoc_txn_init(&txn, r, db, err);
    bool ok = assoc_txn_get(&txn, t, key) != NULL ||
              store_fail(err, STORE_ERR_RECORD_NOT_FOUND, "Couldn't find %s with id=%s", table, id);
    ok = ok && assoc_destroy_in(&txn, t, key) && assoc_txn_commit(&txn, out);
    store_release(key);
    assoc_txn_free(&txn);
    return ok;
}
