/* assoc/belongs_to.c — the child side of an association read from the
 * child: the has_many that pairs with a belongs_to (plain, or polymorphic:
 * `belongs_to :commentable, polymorphic: true` beside `has_many :comments,
 * as: :commentable`), and the owner a child's foreign key names, in the
 * belongs_to's target table or, polymorphic, in the table its foreign type
 * (commentable_type) names. */
#include "assoc/internal.h"

#include <stdlib.h>
#include <string.h>

const assoc_declaration *assoc_has_many_for(const assoc_registry *r, const assoc_declaration *belongs_to,
                                            const char *owner_table)
{
    for (size_t i = 0; owner_table && i < r->n; i++) {
        const assoc_declaration *m = &r->decls[i];
        if (m->kind != ASSOC_HAS_MANY || m->through || strcmp(m->table, owner_table) != 0 ||
            strcmp(m->target, belongs_to->table) != 0 || strcmp(m->foreign_key, belongs_to->foreign_key) != 0)
            continue;
        if (!belongs_to->polymorphic || (m->as && strcmp(m->as, belongs_to->name) == 0)) return m;
    }
    return NULL;
}

static const assoc_declaration *belongs_to_of(const assoc_collection *c, store_error *err)
{
    if (!c->table || !c->association || !c->id)
        return store_fail(err, STORE_ERR_VALIDATION, "owner needs a table, the id of its record and a belongs_to"),
               NULL;
    if (!store_db_table(c->db, c->table))
        return store_fail(err, STORE_ERR_NOT_FOUND, "Requested resource not found: Table: %s not found", c->table),
               NULL;
    const assoc_declaration *d = assoc_lookup(c->registry, c->table, c->association);
    if (!d)
        return store_fail(err, STORE_ERR_VALIDATION, "Table %s has no association named %s", c->table,
                          c->association),
               NULL;
    if (d->kind == ASSOC_BELONGS_TO) return d;
    return store_fail(err, STORE_ERR_VALIDATION, "owner runs on a belongs_to; %s of %s is a %s", d->name, d->table,
                      assoc_kind_name(d->kind)),
           NULL;
}

/* The table the child's owner is in: the target (NULL once it is gone), or
 * the one its type names, which must be a table associations can use. */
static bool owner_table_of(const assoc_txn *t, const assoc_declaration *d, const store_value *child,
                           const store_value *type, store_table **out, store_error *err)
{
    if (!d->polymorphic) return (*out = assoc_usable_table(t->db, d->target)), true;
    char *name = strndup(store_bytes(type), type->len);
    if (!name) return assoc_oom(err);
    *out = assoc_usable_table(t->db, name);
    bool ok = *out || store_fail(err, STORE_ERR_VALIDATION,
                                 "%s %s has %s = %s, which names no table keyed by a String id", d->table,
                                 store_bytes(assoc_item_id(assoc_usable_table(t->db, d->table), child)),
                                 d->foreign_type, name);
    free(name);
    return ok;
}

static bool find_in(const assoc_txn *t, const assoc_declaration *d, const store_value *child, store_value **owner,
                    const char **owner_table, store_error *err)
{
    const store_value *key = assoc_string_attr(child, d->foreign_key);
    const store_value *type = d->polymorphic ? assoc_string_attr(child, d->foreign_type) : NULL;
    if (!key || (d->polymorphic && !type)) return true;
    store_table *table = NULL;
    if (!owner_table_of(t, d, child, type, &table, err)) return false;
    if (!table) return true;
    const assoc_declaration *side = assoc_has_many_for(t->registry, d, table->name);
    const store_value *found = side ? assoc_owner_by_key(t, side, table, key) : assoc_txn_get(t, table, key);
    if (found) {
        *owner = store_retain((store_value *)found);
        *owner_table = table->name;
    }
    return true;
}

bool assoc_owner_find(const assoc_collection *c, store_value **owner, const char **owner_table, store_error *err)
{
    *owner = NULL;
    *owner_table = NULL;
    const assoc_declaration *d = belongs_to_of(c, err);
    store_table *children = d ? assoc_usable_table(c->db, d->table) : NULL;
    if (!d) return false;
    if (!children)
        return store_fail(err, STORE_ERR_VALIDATION, "Table %s is not keyed by a String id", d->table);
    assoc_txn t;
    assoc_txn_init(&t, c->registry, c->db, err);
    store_value *id = assoc_string(c->id);
    const store_value *child = id ? assoc_txn_get(&t, children, id) : NULL;
    bool ok = id ? true : assoc_oom(err);
    if (ok && !child)
        ok = store_fail(err, STORE_ERR_RECORD_NOT_FOUND, "Couldn't find %s with id=%s", d->table, c->id);
    ok = ok && find_in(&t, d, child, owner, owner_table, err);
    store_release(id);
    assoc_txn_free(&t);
    return ok;
}
