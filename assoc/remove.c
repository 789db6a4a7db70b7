/* assoc/remove.c — the operations that take children out of a collection:
 * disassociate(_all) (the records stay), delete (by dependent), destroy,
 * delete_all, destroy_all, clear (by dependent) and replace. Each takes the
 * ids out of the owner's set in one edit, then unlinks, deletes or destroys
 * the children one by one. */
#include "assoc/internal.h"

#include <stdlib.h>

/* ActiveRecord's delete_records: destroy and delete_all remove the records,
 * every other option (restrict_* included) only unlinks them. */
assoc_removal assoc_removal_for(assoc_dependent d)
{
    if (d == ASSOC_DEPENDENT_DESTROY || d == ASSOC_DEPENDENT_DESTROY_ASYNC) return ASSOC_DESTROY;
    if (d == ASSOC_DEPENDENT_DELETE_ALL) return ASSOC_DELETE;
    return ASSOC_UNLINK;
}

/* A habtm's unlink takes the owner out of the child's inverse set; a
 * has_many's clears the child's foreign key. */
static bool remove_child(assoc_txn *t, const assoc_owner *o, const store_value *id, assoc_removal how)
{
    switch (how) {
    case ASSOC_DESTROY: return assoc_destroy_in(t, o->target_table, id);
    case ASSOC_DELETE: return assoc_delete_in(t, o->target_table, id);
    default:
        if (o->decl->kind == ASSOC_HABTM)
            return assoc_record_set_edit(t, o->target_table, id, o->decl->inverse_ids_attribute, o->id, false);
        return assoc_clear_foreign_key(t, o->decl, o->target_table, id, o->key);
    }
}

/* The set is staged without the ids first, so a child destroyed or deleted
 * afterwards finds nothing left to take out of it. */
bool assoc_remove_children(assoc_txn *t, assoc_owner *o, store_value *const *ids, size_t n, assoc_removal how)
{
    if (o->decl->through) return assoc_through_remove(t, o, ids, n, how);
    store_value *smaller;
    if (!assoc_set_edit(o->set, NULL, 0, ids, n, &smaller)) return assoc_oom(t->err);
    if (!assoc_stage_owner_set(t, o->decl, o->owner_table, o->item, smaller)) return false;
    for (size_t i = 0; i < n; i++)
        if (!remove_child(t, o, ids[i], how)) return false;
    assoc_owner_refresh(o, t);
    return true;
}

/* ---- the operations ---- */

typedef enum which { GIVEN_IDS, EVERY_CHILD } which;

/* A through association removes join records: deleted by default (also for
 * disassociate, which has no records to keep), destroyed by destroy and
 * dependent destroy, unlinked by dependent nullify. */
static assoc_removal removal_of(const assoc_declaration *d, assoc_removal how, bool by_dependent)
{
    if (by_dependent && d->through && d->dependent == ASSOC_DEPENDENT_NULLIFY) return ASSOC_UNLINK;
    if (by_dependent) how = assoc_removal_for(d->dependent);
    return d->through && how == ASSOC_UNLINK ? ASSOC_DELETE : how;
}

/* One removal operation from start to answer: resolve the owner, take the
 * given ids (each must be in the association) or every child, remove them,
 * write, answer the ids left. */
static bool run_removal(const assoc_collection *c, const char *const *ids, size_t n, which w, assoc_removal how,
                        bool by_dependent, assoc_result *out, store_error *err)
{
    assoc_txn t;
    assoc_owner o;
    store_value **v = NULL;
    size_t nv = 0;
    assoc_txn_init(&t, c->registry, c->db, err);
    bool ok = assoc_resolve(c, &t, &o, err);
    if (ok) how = removal_of(o.decl, how, by_dependent);
    if (ok && w == GIVEN_IDS)
        ok = assoc_ids_in(o.target_table, ids, n, true, &t, &v, &nv, err) && assoc_ids_members(&o, v, nv, err);
    store_value *every = NULL;
    if (ok && w == EVERY_CHILD) ok = assoc_visible_ids(&t, &o, &every, err);
    if (ok && every) {
        /* The set is about to be replaced in the txn: its members are held. */
        nv = every->len;
        if (!(v = malloc((nv + 1) * sizeof *v))) ok = assoc_oom(err);
        for (size_t i = 0; ok && i < nv; i++) v[i] = store_retain(store_elems(every)[i]);
    }
    store_release(every);
    ok = ok && assoc_remove_children(&t, &o, v, nv, how) && assoc_txn_commit(&t, out) &&
         (!out || assoc_result_visible_ids(out, &t, &o));
    assoc_ids_release(v, nv);
    assoc_owner_release(&o);
    assoc_txn_free(&t);
    return ok;
}

bool assoc_disassociate(const assoc_collection *c, const char *const *ids, size_t n, assoc_result *out,
                        store_error *err)
{
    return run_removal(c, ids, n, GIVEN_IDS, ASSOC_UNLINK, false, out, err);
}

bool assoc_disassociate_all(const assoc_collection *c, assoc_result *out, store_error *err)
{
    return run_removal(c, NULL, 0, EVERY_CHILD, ASSOC_UNLINK, false, out, err);
}

bool assoc_delete(const assoc_collection *c, const char *const *ids, size_t n, assoc_result *out, store_error *err)
{
    return run_removal(c, ids, n, GIVEN_IDS, ASSOC_UNLINK, true, out, err);
}

bool assoc_destroy(const assoc_collection *c, const char *const *ids, size_t n, assoc_result *out,
                   store_error *err)
{
    return run_removal(c, ids, n, GIVEN_IDS, ASSOC_DESTROY, false, out, err);
}

bool assoc_delete_all(const assoc_collection *c, assoc_result *out, store_error *err)
{
    return run_removal(c, NULL, 0, EVERY_CHILD, ASSOC_DELETE, false, out, err);
}

bool assoc_destroy_all(const assoc_collection *c, assoc_result *out, store_error *err)
{
    return run_removal(c, NULL, 0, EVERY_CHILD, ASSOC_DESTROY, false, out, err);
}

bool assoc_clear(const assoc_collection *c, assoc_result *out, store_error *err)
{
    return run_removal(c, NULL, 0, EVERY_CHILD, ASSOC_UNLINK, true, out, err);
}

/* The children left out go as `delete` removes them (keep is sorted, as
 * assoc_ids_in hands it); then the given ones are linked, as by add. */
static bool replace_body(assoc_txn *t, assoc_owner *o, store_value *const *keep, size_t n)
{
    store_value *held;
    if (!assoc_visible_ids(t, o, &held, t->err)) return false;
    size_t n_set = held ? held->len : 0, n_gone = 0;
    store_value **gone = malloc((n_set + 1) * sizeof *gone);
    if (!gone) return store_release(held), assoc_oom(t->err);
    for (size_t i = 0; i < n_set; i++) {
        store_value *id = store_elems(held)[i];
        if (!assoc_sorted_contains(keep, n, id)) gone[n_gone++] = store_retain(id);
    }
    store_release(held);
    bool ok = assoc_remove_children(t, o, gone, n_gone, removal_of(o->decl, ASSOC_UNLINK, true));
    assoc_ids_release(gone, n_gone);
    if (ok && !o->item)
        return store_fail(t->err, STORE_ERR_VALIDATION, "Replacing %s of %s %s would destroy %s %s itself",
                          o->decl->name, o->decl->table, store_bytes(o->id), o->decl->table, store_bytes(o->id));
    return ok && assoc_link_children(t, o, keep, n);
}

bool assoc_replace(const assoc_collection *c, const char *const *ids, size_t n, assoc_result *out,
                   store_error *err)
{
    return assoc_with_existing_ids(c, ids, n, replace_body, out, err);
}
