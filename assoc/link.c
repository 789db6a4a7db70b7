/* assoc/link.c — the operations that link children to an owner: add, create,
 * build, and the link / unlink steps the other operations share. A linked
 * child is in its owner's String Set and names the owner in its foreign key
 * (the owner's id, or its primary_key attribute; a polymorphic child also
 * names the owner's table in its foreign type); moving it to another owner
 * takes it out of the previous owner's set. A habtm links both sets
 * (habtm.c), a through association makes join records (through.c). */
#include "assoc/internal.h"

#include <stdlib.h>
#include <string.h>

/* For a polymorphic has_many, only the declaration of the table the child's
 * type names holds the child. */
static bool names_table(const assoc_declaration *d, const store_value *child)
{
    return assoc_of_owner_type(d, child);
}

bool assoc_unlink_from_owner(assoc_txn *t, const assoc_declaration *d, const store_value *child_id,
                             const store_value *child)
{
    if (d->through) return true;
    if (d->kind == ASSOC_HABTM) return assoc_habtm_forget(t, d, assoc_usable_table(t->db, d->target), child_id, child);
    const store_value *owner_key = assoc_string_attr(child, d->foreign_key);
    store_table *owner_table = assoc_usable_table(t->db, d->table);
    if (!owner_key || !owner_table || !names_table(d, child)) return true;
    const store_value *owner = assoc_owner_by_key(t, d, owner_table, owner_key), *set;
    if (!owner) return true;
    if (!assoc_owner_set(d, owner, &set, t->err)) return false;
    if (!assoc_set_contains(set, child_id)) return true;
    store_value *smaller;
    if (!assoc_set_edit(set, NULL, 0, (store_value *const *)&child_id, 1, &smaller)) return assoc_oom(t->err);
    return assoc_stage_owner_set(t, d, owner_table, owner, smaller);
}

bool assoc_clear_foreign_key(assoc_txn *t, const assoc_declaration *d, store_table *child_table,
                             const store_value *child_id, const store_value *owner_key)
{
    if (d->kind == ASSOC_HABTM) return true; /* the caller's own set edit is the whole unlink: see remove_child */
    const store_value *child = assoc_txn_get(t, child_table, child_id);
    const store_value *fk = child ? assoc_string_attr(child, d->foreign_key) : NULL;
    if (!fk || !owner_key || !store_value_equal(fk, owner_key) || !names_table(d, child)) return true;
    store_value *unlinked = assoc_item_with(child, d->foreign_key, NULL);
    if (unlinked && d->as) {
        store_value *untyped = assoc_item_with(unlinked, d->foreign_type, NULL);
        store_release(unlinked);
        unlinked = untyped;
    }
    return unlinked ? assoc_txn_put(t, child_table, child_id, unlinked) : assoc_oom(t->err);
}

/* The declaration whose owner holds a polymorphic child now: the has_many
 * with the same `as` and target on the table the child's type names. */
static const assoc_declaration *previous_declaration(const assoc_txn *t, const assoc_declaration *d,
                                                     const store_value *child)
{
    if (!d->as) return d;
    const store_value *type = assoc_string_attr(child, d->foreign_type);
    for (size_t i = 0; type && i < t->registry->n; i++) {
        const assoc_declaration *p = &t->registry->decls[i];
        if (p->kind == ASSOC_HAS_MANY && p->as && strcmp(p->as, d->as) == 0 && strcmp(p->target, d->target) == 0 &&
            strcmp(p->table, store_bytes(type)) == 0)
            return p;
    }
    return NULL;
}

/* Whether the child names o's owner already (its key, and its type for a polymorphic child). */
static bool linked_to(const assoc_owner *o, const store_value *child)
{
    const store_value *fk = assoc_string_attr(child, o->decl->foreign_key);
    return fk && store_value_equal(fk, o->key) && names_table(o->decl, child);
}

/* The child with its foreign key (and type) naming o's owner. */
static store_value *pointed_at(const assoc_owner *o, const store_value *child)
{
    store_value *linked = assoc_item_with(child, o->decl->foreign_key, store_retain((store_value *)o->key));
    if (linked && o->decl->as) {
        store_value *typed = assoc_item_with(linked, o->decl->foreign_type, assoc_string(o->decl->table));
        store_release(linked);
        linked = typed;
    }
    return linked;
}

/* Points one child at o's owner, taking it from the owner it had. */
static bool link_child(assoc_txn *t, const assoc_owner *o, const store_value *child_id)
{
    const store_value *child = assoc_txn_get(t, o->target_table, child_id);
    if (!child)
        return store_fail(t->err, STORE_ERR_RECORD_NOT_FOUND, "Couldn't find %s with id=%s", o->target_table->name,
                          store_bytes(child_id));
    if (linked_to(o, child)) return true;
    const assoc_declaration *previous = previous_declaration(t, o->decl, child);
    if (previous && assoc_string_attr(child, o->decl->foreign_key) &&
        !assoc_unlink_from_owner(t, previous, child_id, child))
        return false;
    /* Unlinking may have restaged this very child (a table with a has_many
     * to itself), so it is read again. */
    child = assoc_txn_get(t, o->target_table, child_id);
    store_value *linked = pointed_at(o, child);
    if (!linked) return assoc_oom(t->err);
    if (store_item_size(linked) > STORE_MAX_ITEM_SIZE) {
        store_release(linked);
        return store_fail(t->err, STORE_ERR_VALIDATION, "Item size has exceeded the maximum allowed size");
    }
    return assoc_txn_put(t, o->target_table, child_id, linked);
}

/* A child moving from the owner it had. */
typedef struct move {
    store_value *from;          /* the previous owner's id (a reference) */
    store_value *child;         /* borrowed from the caller's ids */
} move;

static int by_previous_owner(const void *a, const void *b)
{
    return store_scalar_compare(((const move *)a)->from, ((const move *)b)->from);
}

/* Takes the children out of one previous owner's set, in one edit. */
static bool leave_owner(assoc_txn *t, const assoc_declaration *d, const move *moves, size_t n)
{
    store_table *owner_table = assoc_usable_table(t->db, d->table);
    const store_value *owner = owner_table ? assoc_txn_get(t, owner_table, moves[0].from) : NULL, *set;
    if (!owner) return true;
    if (!assoc_owner_set(d, owner, &set, t->err)) return false;
    store_value **leaving = malloc(n * sizeof *leaving);
    if (!leaving) return assoc_oom(t->err);
    for (size_t i = 0; i < n; i++) leaving[i] = moves[i].child;
    store_value *smaller;
    bool ok = assoc_set_edit(set, NULL, 0, leaving, n, &smaller);
    free(leaving);
    return ok ? assoc_stage_owner_set(t, d, owner_table, owner, smaller) : assoc_oom(t->err);
}

/* Children that another owner has leave its set first: one edit per previous
 * owner, not one per child (moving 1,000 children was quadratic). Owners
 * found by primary_key or by a polymorphic type are left one child at a
 * time, by link_child. */
static bool leave_previous_owners(assoc_txn *t, const assoc_owner *o, store_value *const *ids, size_t n)
{
    if (o->decl->primary_key || o->decl->as) return true;
    move *moves = malloc((n ? n : 1) * sizeof *moves);
    if (!moves) return assoc_oom(t->err);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const store_value *child = assoc_txn_get(t, o->target_table, ids[i]);
        const store_value *from = child ? assoc_string_attr(child, o->decl->foreign_key) : NULL;
        if (from && !store_value_equal(from, o->id)) moves[m++] = (move){store_retain((store_value *)from), ids[i]};
    }
    qsort(moves, m, sizeof *moves, by_previous_owner);
    bool ok = true;
    for (size_t a = 0, b; ok && a < m; a = b) {
        for (b = a + 1; b < m && store_value_equal(moves[b].from, moves[a].from); b++) continue;
        ok = leave_owner(t, o->decl, moves + a, b - a);
    }
    for (size_t i = 0; i < m; i++) store_release(moves[i].from);
    free(moves);
    return ok;
}

/* The owner's set is staged first, in one edit; the children after it, each
 * read through the txn, so a child that is also the owner (a has_many to
 * its own table) sees the new set. */
bool assoc_link_children(assoc_txn *t, assoc_owner *o, store_value *const *ids, size_t n)
{
    if (o->decl->through) return assoc_through_link(t, o, ids, n);
    if (o->decl->kind == ASSOC_HABTM) return assoc_habtm_link(t, o, ids, n);
    if (!o->key)
        return store_fail(t->err, STORE_ERR_VALIDATION, "%s %s has no %s (a String) for its %s to store",
                          o->decl->table, store_bytes(o->id), o->decl->primary_key, o->decl->name);
    store_value *bigger;
    if (!leave_previous_owners(t, o, ids, n)) return false;
    assoc_owner_refresh(o, t); /* the owner itself may have been a child that moved */
    if (!o->item) return assoc_oom(t->err); /* it was there: only a failed lookup loses it */
    if (!assoc_set_edit(o->set, ids, n, NULL, 0, &bigger)) return assoc_oom(t->err);
    if (!assoc_stage_owner_set(t, o->decl, o->owner_table, o->item, bigger)) return false;
    for (size_t i = 0; i < n; i++)
        if (!link_child(t, o, ids[i])) return false;
    assoc_owner_refresh(o, t);
    return true;
}

bool assoc_with_existing_ids(const assoc_collection *c, const char *const *ids, size_t n, assoc_ids_body body,
                             assoc_result *out, store_error *err)
{
    assoc_txn t;
    assoc_owner o;
    store_value **v = NULL;
    size_t nv = 0;
    assoc_txn_init(&t, c->registry, c->db, err);
    bool ok = assoc_resolve(c, &t, &o, err) && assoc_ids_in(o.target_table, ids, n, false, &t, &v, &nv, err) &&
              body(&t, &o, v, nv) && assoc_txn_commit(&t, out) && (!out || assoc_result_visible_ids(out, &t, &o));
    assoc_ids_release(v, nv);
    assoc_owner_release(&o);
    assoc_txn_free(&t);
    return ok;
}

bool assoc_add(const assoc_collection *c, const char *const *ids, size_t n, assoc_result *out, store_error *err)
{
    return assoc_with_existing_ids(c, ids, n, assoc_link_children, out, err);
}

/* What links a new child to o's owner: a habtm's inverse set, or the foreign
 * key (and type); a through association's child gets its link by a join record. */
static store_value *linked_child(const assoc_owner *o, store_value *item)
{
    if (o->decl->through) return item;
    if (o->decl->kind != ASSOC_HABTM) {
        store_value *linked = o->key ? pointed_at(o, item) : NULL;
        store_release(item);
        return linked;
    }
    bool duplicate;
    store_value *one[1] = {store_retain(o->id)};
    store_value *set = store_value_set(STORE_SS, one, 1, &duplicate);
    store_value *linked = set ? assoc_item_with(item, o->decl->inverse_ids_attribute, set) : NULL;
    store_release(item);
    return linked;
}

static store_value *child_of(const assoc_owner *o, const store_value *item, store_error *err)
{
    if (item && item->type != STORE_M)
        return store_fail(err, STORE_ERR_VALIDATION, "The item of a new %s record must be a map", o->decl->target),
               NULL;
    if (!o->key && !o->decl->through && o->decl->kind != ASSOC_HABTM)
        return store_fail(err, STORE_ERR_VALIDATION, "%s %s has no %s (a String) for its %s to store", o->decl->table,
                          store_bytes(o->id), o->decl->primary_key, o->decl->name),
               NULL;
    store_entry none[1];   /* store_value_map sorts its array: never hand it NULL */
    store_value *base = item ? store_retain((store_value *)item) : store_value_map(none, 0);
    store_value *scoped = base ? assoc_with_scope(o->decl, base) : NULL;
    store_value *child = scoped ? linked_child(o, scoped) : NULL;
    if (!child) assoc_oom(err);
    return child;
}

store_value *assoc_build(const assoc_collection *c, const store_value *item, store_error *err)
{
    assoc_txn t;
    assoc_owner o;
    assoc_txn_init(&t, c->registry, c->db, err);
    store_value *child = assoc_resolve(c, &t, &o, err) ? child_of(&o, item, err) : NULL;
    assoc_owner_release(&o);
    assoc_txn_free(&t);
    return child;
}

static bool check_new_child(const assoc_txn *t, const assoc_owner *o, const store_value *child, store_error *err)
{
    if (!store_table_check_key(o->target_table, child, false, err)) return false;
    if (store_item_size(child) > STORE_MAX_ITEM_SIZE)
        return store_fail(err, STORE_ERR_VALIDATION, "Item size has exceeded the maximum allowed size");
    const store_value *id = assoc_item_id(o->target_table, child);
    if (assoc_txn_get(t, o->target_table, id))
        return store_fail(err, STORE_ERR_VALIDATION, "Cannot create %s with id=%s: a record with that id exists",
                          o->target_table->name, store_bytes(id));
    return true;
}

/* Stages the new record, then links it like add (which sets nothing new). */
static bool create_body(assoc_txn *t, assoc_owner *o, const store_value *child)
{
    const store_value *id = assoc_item_id(o->target_table, child);
    return assoc_txn_put(t, o->target_table, id, store_retain((store_value *)child)) &&
           assoc_link_children(t, o, (store_value *const *)&id, 1);
}

store_value *assoc_create(const assoc_collection *c, const store_value *item, store_error *err)
{
    assoc_txn t;
    assoc_owner o;
    assoc_txn_init(&t, c->registry, c->db, err);
    store_value *child = assoc_resolve(c, &t, &o, err) ? child_of(&o, item, err) : NULL;
    if (child && !(check_new_child(&t, &o, child, err) && create_body(&t, &o, child) && assoc_txn_commit(&t, NULL))) {
        store_release(child);
        child = NULL;
    }
    assoc_owner_release(&o);
    assoc_txn_free(&t);
    return child;
}
