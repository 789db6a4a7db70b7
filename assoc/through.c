/* assoc/through.c — has_many :through, as ActiveRecord has it
 * (has_many :subscribers, through: :subscriptions, source: :user): the
 * links are join records. `through` names a has_many of the owner whose
 * targets are the join records; `source` an association of the join table
 * that leads on to the targets. Reads (ids, list, size, empty, find,
 * exists) go owner → join records → targets. When the source is a
 * belongs_to, add / create / replace make join records (<owner id>:<target
 * id>, linked to both sides) and the removals delete them (by default),
 * destroy them or unlink them; any other source leaves the association
 * read-only. */
#include "assoc/internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- declaring ---- */

/* The source on the join table: the one named, else the name's singular, else the name. */
static const assoc_declaration *find_source(const assoc_registry *r, const assoc_declaration *d, const char *join)
{
    if (d->source) return assoc_lookup(r, join, d->source);
    char *one = assoc_singular(d->name);
    const assoc_declaration *s = one ? assoc_lookup(r, join, one) : NULL;
    free(one);
    return s ? s : assoc_lookup(r, join, d->name);
}

bool assoc_through_defaults(const assoc_registry *r, assoc_declaration *d, store_error *err)
{
    const assoc_declaration *j = assoc_lookup(r, d->table, d->through);
    if (!j)
        return store_fail(err, STORE_ERR_VALIDATION,
                          "has_many %s of %s goes through %s, which is no association of %s (declare it first)",
                          d->name, d->table, d->through, d->table);
    if (j->kind != ASSOC_HAS_MANY || j->through)
        return store_fail(err, STORE_ERR_VALIDATION,
                          "has_many %s of %s goes through %s, which must be a has_many of %s that is not itself a "
                          "through association",
                          d->name, d->table, d->through, d->table);
    const assoc_declaration *s = find_source(r, d, j->target);
    if (!s)
        return store_fail(err, STORE_ERR_VALIDATION,
                          "has_many %s of %s: the join table %s has no association %s; name it with source",
                          d->name, d->table, j->target, d->source ? d->source : d->name);
    if (s->through)
        return store_fail(err, STORE_ERR_VALIDATION, "has_many %s of %s: source %s of %s is itself a through association",
                          d->name, d->table, s->name, s->table);
    if (s->polymorphic)
        return store_fail(err, STORE_ERR_VALIDATION,
                          "has_many %s of %s: source %s of %s is a polymorphic belongs_to, which leads to no one table",
                          d->name, d->table, s->name, s->table);
    if (s->kind == ASSOC_BELONGS_TO && strcmp(s->foreign_key, j->foreign_key) == 0)
        return store_fail(err, STORE_ERR_VALIDATION,
                          "has_many %s of %s: a join record of %s would keep both its owner and its %s in %s; give "
                          "%s of %s another foreign_key",
                          d->name, d->table, j->target, s->name, s->foreign_key, j->name, j->table);
    if (d->target && strcmp(d->target, s->target) != 0)
        return store_fail(err, STORE_ERR_VALIDATION, "has_many %s of %s names target %s, but source %s of %s leads to %s",
                          d->name, d->table, d->target, s->name, s->table, s->target);
    if (!d->source && !(d->source = strdup(s->name))) return assoc_oom(err);
    if (!d->target && !(d->target = strdup(s->target))) return assoc_oom(err);
    return true;
}

/* ---- reading ---- */

typedef struct route {
    const assoc_declaration *join, *source;
    store_table *join_table;
} route;

static bool route_of(const assoc_registry *r, const store_db *db, const assoc_declaration *d, route *out,
                     store_error *err)
{
    out->join = assoc_lookup(r, d->table, d->through);
    out->source = out->join ? assoc_lookup(r, out->join->target, d->source) : NULL;
    out->join_table = out->join ? assoc_usable_table(db, out->join->target) : NULL;
    if (out->source && out->join_table) return true;
    return store_fail(err, STORE_ERR_VALIDATION,
                      "has_many %s of %s: its through %s or source %s is no longer declared, or its table is gone",
                      d->name, d->table, d->through, d->source);
}

/* Where a join record leads: its source's foreign key, or its source's set. */
static size_t leads_to(const route *w, const store_value *join, store_value **out)
{
    if (w->source->kind == ASSOC_BELONGS_TO) {
        const store_value *fk = assoc_string_attr(join, w->source->foreign_key);
        if (fk) out[0] = (store_value *)fk;
        return fk != NULL;
    }
    const store_value *set = store_map_get(join, w->source->ids_attribute, strlen(w->source->ids_attribute));
    if (!set || set->type != STORE_SS) return 0;
    memcpy(out, store_elems(set), set->len * sizeof *out);
    return set->len;
}

static size_t reach_of(const route *w, const store_value *join)
{
    if (w->source->kind == ASSOC_BELONGS_TO) return 1;
    const store_value *set = store_map_get(join, w->source->ids_attribute, strlen(w->source->ids_attribute));
    return set && set->type == STORE_SS ? set->len : 0;
}

bool assoc_through_read(const assoc_txn *t, assoc_owner *o, store_error *err)
{
    route w;
    if (!route_of(t->registry, t->db, o->decl, &w, err)) return false;
    const store_value *joins = store_map_get(o->item, w.join->ids_attribute, strlen(w.join->ids_attribute));
    size_t n_joins = joins && joins->type == STORE_SS ? joins->len : 0, cap = 1, n = 0;
    for (size_t i = 0; i < n_joins; i++) {
        const store_value *join = assoc_txn_get(t, w.join_table, store_elems(joins)[i]);
        if (join) cap += reach_of(&w, join);
    }
    store_value **ids = malloc(cap * sizeof *ids);
    if (!ids) return assoc_oom(err);
    for (size_t i = 0; i < n_joins; i++) {
        const store_value *join = assoc_txn_get(t, w.join_table, store_elems(joins)[i]);
        if (join && assoc_visible(w.join, join)) n += leads_to(&w, join, ids + n);
    }
    bool ok = assoc_set_edit(NULL, ids, n, NULL, 0, &o->through_set);
    free(ids);
    o->set = o->through_set;
    return ok || assoc_oom(err);
}

/* ---- writing ---- */

static bool writable(const assoc_txn *t, const assoc_owner *o, route *w)
{
    if (!route_of(t->registry, t->db, o->decl, w, t->err)) return false;
    if (w->source->kind == ASSOC_BELONGS_TO) return true;
    return store_fail(t->err, STORE_ERR_VALIDATION,
                      "has_many %s of %s is read-only: its source %s of %s is a %s, not a belongs_to; change %s of %s "
                      "instead",
                      o->decl->name, o->decl->table, w->source->name, w->source->table,
                      assoc_kind_name(w->source->kind), w->join->name, w->join->table);
}

/* The has_many on the target's side whose children are the same join records. */
static const assoc_declaration *target_side(const assoc_registry *r, const route *w)
{
    for (size_t i = 0; i < r->n; i++) {
        const assoc_declaration *h = &r->decls[i];
        if (h->kind == ASSOC_HAS_MANY && !h->through && !h->as && strcmp(h->table, w->source->target) == 0 &&
            strcmp(h->target, w->join->target) == 0 && strcmp(h->foreign_key, w->source->foreign_key) == 0)
            return h;
    }
    return NULL;
}

static store_value *join_id(const store_value *owner, const store_value *target)
{
    size_t a = owner->len, b = target->len;
    char *text = malloc(a + b + 2);
    if (!text) return NULL;
    memcpy(text, store_bytes(owner), a);
    text[a] = ':';
    memcpy(text + a + 1, store_bytes(target), b + 1);
    store_value *id = store_value_bytes(STORE_S, text, a + b + 1);
    free(text);
    return id;
}

/* Links a join record to one owner of declaration d (the owner's set and the join's key). */
static bool link_join(assoc_txn *t, const assoc_declaration *d, const store_value *owner_id, store_value *const *joins,
                      size_t n)
{
    assoc_owner side;
    bool ok = assoc_owner_of(d, t->db, t, owner_id, &side, t->err) && assoc_link_children(t, &side, joins, n);
    assoc_owner_release(&side);
    return ok;
}

/* A new join record, staged: its id, the source's key, the join scope's attributes. */
static store_value *new_join(assoc_txn *t, const route *w, const store_value *owner_id, const store_value *target)
{
    if (owner_id->len + 1 + target->len > STORE_MAX_PARTITION_KEY)
        return store_fail(t->err, STORE_ERR_VALIDATION,
                          "Cannot link %s %s: the join record's id <owner id>:<target id> would be longer than %d bytes",
                          w->source->target, store_bytes(target), STORE_MAX_PARTITION_KEY),
               NULL;
    store_value *id = join_id(owner_id, target);
    if (!id) return assoc_oom(t->err), NULL;
    if (assoc_txn_get(t, w->join_table, id)) {
        store_fail(t->err, STORE_ERR_VALIDATION, "Cannot link %s %s: the join record %s %s exists already",
                   w->source->target, store_bytes(target), w->join_table->name, store_bytes(id));
        store_release(id);
        return NULL;
    }
    store_entry e = {store_retain(w->join_table->key.names.pk_name), store_retain(id)};
    store_value *bare = store_value_map(&e, 1);
    store_value *item = bare ? assoc_item_with(bare, w->source->foreign_key, store_retain((store_value *)target)) : NULL;
    store_release(bare);
    item = item ? assoc_with_scope(w->join, item) : NULL;
    if (!item || !assoc_txn_put(t, w->join_table, id, item)) {
        store_release(id);
        return assoc_oom(t->err), NULL;
    }
    return id;
}

bool assoc_through_link(assoc_txn *t, assoc_owner *o, store_value *const *ids, size_t n)
{
    route w;
    if (!writable(t, o, &w)) return false;
    const assoc_declaration *other_side = target_side(t->registry, &w);
    store_value **joins = calloc(n + 1, sizeof *joins);
    if (!joins) return assoc_oom(t->err);
    size_t k = 0;
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++) {
        if (assoc_set_contains(o->set, ids[i])) continue;
        ok = (joins[k] = new_join(t, &w, o->id, ids[i])) != NULL;
        if (ok) k++;
        ok = ok && (!other_side || link_join(t, other_side, ids[i], &joins[k - 1], 1));
    }
    ok = ok && link_join(t, w.join, o->id, joins, k);
    assoc_ids_release(joins, k);
    if (ok) assoc_owner_refresh(o, t);
    return ok;
}

bool assoc_through_remove(assoc_txn *t, assoc_owner *o, store_value *const *ids, size_t n, assoc_removal how)
{
    route w;
    assoc_owner joins;
    if (!writable(t, o, &w) || !assoc_owner_of(w.join, t->db, t, o->id, &joins, t->err)) return false;
    size_t n_set = joins.set ? joins.set->len : 0, k = 0;
    store_value **going = calloc(n_set + 1, sizeof *going);
    bool ok = going || assoc_oom(t->err);
    for (size_t i = 0; ok && i < n_set; i++) {
        store_value *id = store_elems(joins.set)[i];
        const store_value *join = assoc_txn_get(t, w.join_table, id);
        const store_value *fk = join && assoc_visible(w.join, join) ? assoc_string_attr(join, w.source->foreign_key) : NULL;
        if (fk && assoc_sorted_contains(ids, n, fk)) going[k++] = store_retain(id);
    }
    ok = ok && assoc_remove_children(t, &joins, going, k, how);
    assoc_ids_release(going, k);
    assoc_owner_release(&joins);
    if (ok) assoc_owner_refresh(o, t);
    return ok;
}
