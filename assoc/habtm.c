/* assoc/habtm.c — has_and_belongs_to_many, as Dynomite stores it: no join
 * table, a String Set on each side. The owner keeps the targets' ids in
 * <name>_ids (users.friends_ids); each target keeps its owners' ids in
 * <inverse_of>_ids (users.friending_users_ids), inverse_of defaulting to the
 * owner table's name (groups.users_ids). This file owns the defaults, the
 * checks of a declaration against its tables and its counterpart, linking
 * (both sets in one txn) and forgetting a record that goes away. Reads and
 * removals are the has_many ones (read.c, remove.c): they see the owner's set. */
#include "assoc/internal.h"

#include <stdlib.h>
#include <string.h>

bool assoc_habtm_defaults(assoc_declaration *d)
{
    if (!d->target && !(d->target = strdup(d->name))) return false;
    if (!d->ids_attribute && !(d->ids_attribute = assoc_suffixed(d->name, "_ids"))) return false;
    if (!d->inverse_of && !(d->inverse_of = strdup(d->table))) return false;
    return d->inverse_ids_attribute || (d->inverse_ids_attribute = assoc_suffixed(d->inverse_of, "_ids"));
}

static bool set_attr_ok(const store_table *t, const char *attr, const assoc_declaration *d, store_error *err)
{
    if (strcmp(store_bytes(t->key.names.pk_name), attr) == 0)
        return store_fail(err, STORE_ERR_VALIDATION, "has_and_belongs_to_many %s of %s: set %s is the key of table %s",
                          d->name, d->table, attr, t->name);
    store_value *name = store_name(attr, strlen(attr));
    int type = name ? store_table_attr_type(t, name) : -1;
    store_release(name);
    if (type < 0 || type == STORE_SS) return true;
    return store_fail(err, STORE_ERR_VALIDATION,
                      "Attribute %s of table %s is defined as %s but has_and_belongs_to_many %s keeps a String Set there",
                      attr, t->name, store_type_name((store_type)type), d->name);
}

/* Two habtm declarations that name each other describe one link from its two ends. */
static bool check_counterpart(const assoc_declaration *a, const assoc_declaration *b, store_error *err)
{
    if (b->kind != ASSOC_HABTM)
        return store_fail(err, STORE_ERR_VALIDATION,
                          "has_and_belongs_to_many %s of %s: inverse_of %s of %s is a %s, not a has_and_belongs_to_many",
                          a->name, a->table, b->name, b->table, assoc_kind_name(b->kind));
    if (strcmp(b->target, a->table) != 0 || strcmp(b->inverse_of, a->name) != 0)
        return store_fail(err, STORE_ERR_VALIDATION,
                          "has_and_belongs_to_many %s of %s: its inverse_of %s of %s leads to %s.%s, not back to %s.%s",
                          a->name, a->table, b->name, b->table, b->target, b->inverse_of, a->table, a->name);
    if (strcmp(a->inverse_of, b->name) != 0)
        return store_fail(err, STORE_ERR_VALIDATION,
                          "has_and_belongs_to_many %s of %s: %s of %s names it as its inverse_of, but its inverse_of "
                          "is %s",
                          a->name, a->table, b->name, b->table, a->inverse_of);
    return true;
}

bool assoc_habtm_check(const assoc_registry *r, const assoc_declaration *d, const store_table *owner,
                       const store_table *target, store_error *err)
{
    if (!set_attr_ok(owner, d->ids_attribute, d, err) || !set_attr_ok(target, d->inverse_ids_attribute, d, err))
        return false;
    const assoc_declaration *inverse = assoc_lookup(r, d->target, d->inverse_of);
    if (inverse && inverse != d && !check_counterpart(d, inverse, err)) return false;
    /* a habtm declared before, naming this one as its inverse */
    for (size_t i = 0; i < r->n; i++) {
        const assoc_declaration *other = &r->decls[i];
        bool names_d = other->kind == ASSOC_HABTM && strcmp(other->target, d->table) == 0 &&
                       strcmp(other->inverse_of, d->name) == 0 && strcmp(other->table, d->target) == 0;
        bool same = strcmp(other->table, d->table) == 0 && strcmp(other->name, d->name) == 0;
        if (names_d && !same && !check_counterpart(d, other, err)) return false;
    }
    return true;
}

/* ---- links ---- */

bool assoc_record_set_edit(assoc_txn *t, store_table *table, const store_value *record_id, const char *attr,
                           const store_value *id, bool add)
{
    const store_value *record = assoc_txn_get(t, table, record_id);
    if (!record) return true;
    const store_value *set = store_map_get(record, attr, strlen(attr));
    if (set && set->type != STORE_SS)
        return store_fail(t->err, STORE_ERR_VALIDATION, "Attribute %s of %s %s holds a %s, not a String Set (SS)", attr,
                          table->name, store_bytes(record_id), store_type_name(set->type));
    if (assoc_set_contains(set, id) == add) return true;
    store_value *edited;
    store_value *const *one = (store_value *const *)&id;
    if (!assoc_set_edit(set, add ? one : NULL, add, add ? NULL : one, !add, &edited)) return assoc_oom(t->err);
    store_value *item = assoc_item_with(record, attr, edited);
    if (!item) return assoc_oom(t->err);
    if (store_item_size(item) > STORE_MAX_ITEM_SIZE) {
        store_release(item);
        return store_fail(t->err, STORE_ERR_VALIDATION, "The %s record %s would exceed the item size limit of 400 KB",
                          table->name, store_bytes(record_id));
    }
    return assoc_txn_put(t, table, record_id, item);
}

/* The owner's set takes every id in one edit; each target then takes the
 * owner into its inverse set, read through the txn, so a record befriending
 * itself (Dynomite does not forbid it) ends with itself in both sets. */
bool assoc_habtm_link(assoc_txn *t, assoc_owner *o, store_value *const *ids, size_t n)
{
    store_value *bigger;
    assoc_owner_refresh(o, t);
    if (!assoc_set_edit(o->set, ids, n, NULL, 0, &bigger)) return assoc_oom(t->err);
    if (!assoc_stage_owner_set(t, o->decl, o->owner_table, o->item, bigger)) return false;
    for (size_t i = 0; i < n; i++)
        if (!assoc_record_set_edit(t, o->target_table, ids[i], o->decl->inverse_ids_attribute, o->id, true))
            return false;
    assoc_owner_refresh(o, t);
    return true;
}

/* Each id of the record's own set of attr: the other side drops the record from other_attr. */
static bool forget_side(assoc_txn *t, const store_value *item, const char *attr, store_table *other_table,
                        const char *other_attr, const store_value *id)
{
    const store_value *set = store_map_get(item, attr, strlen(attr));
    if (!set || set->type != STORE_SS) return true;
    for (size_t i = 0; i < set->len; i++)
        if (!assoc_record_set_edit(t, other_table, store_elems(set)[i], other_attr, id, false)) return false;
    return true;
}

/* item is the record as it was: the txn has it removed already, so the
 * record itself (in its own sets) is skipped as gone. */
bool assoc_habtm_forget(assoc_txn *t, const assoc_declaration *d, store_table *table, const store_value *id,
                        const store_value *item)
{
    store_table *owners = assoc_usable_table(t->db, d->table), *targets = assoc_usable_table(t->db, d->target);
    if (!owners || !targets) return true;
    if (owners == table && !forget_side(t, item, d->ids_attribute, targets, d->inverse_ids_attribute, id))
        return false;
    return targets != table || forget_side(t, item, d->inverse_ids_attribute, owners, d->ids_attribute, id);
}
