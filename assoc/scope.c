/* assoc/scope.c — what a declaration's scope makes of its set: `where`
 * (equality on each attribute, ActiveRecord's -> { where(...) }) and, for a
 * polymorphic has_many, the child's <as>_type naming the owner's table
 * decide which children the association reads and what `dependent` acts
 * on, and a counter cache counts the children the where selects; `order`
 * (one attribute, ASC or DESC, -> { order(...) }) orders list;
 * and a child built through a scope takes the scope's attributes, as
 * ActiveRecord's scope_for_create gives them. */
#include "assoc/internal.h"

#include <stdlib.h>
#include <string.h>

bool assoc_where_matches(const store_value *item, const store_value *where)
{
    for (size_t i = 0; where && i < where->len; i++) {
        const store_entry *e = &store_entries(where)[i];
        const store_value *v = store_map_get(item, store_bytes(e->name), e->name->len);
        if (!v || !store_value_equal(v, e->value)) return false;
    }
    return true;
}

bool assoc_scoped(const assoc_declaration *d) { return d->where || d->as; }

/* ActiveRecord counts a scoped association's own rows: only the children
 * the where selects, not every id the set holds. */
size_t assoc_counted(const assoc_declaration *d, const store_value *set, assoc_child_lookup *child, const void *ctx)
{
    if (!set || !d->where) return set ? set->len : 0;
    size_t n = 0;
    for (size_t i = 0; i < set->len; i++) {
        const store_value *c = child(ctx, store_elems(set)[i]);
        n += c && assoc_where_matches(c, d->where);
    }
    return n;
}

bool assoc_of_owner_type(const assoc_declaration *d, const store_value *child)
{
    if (!d->as) return true;
    const store_value *type = assoc_string_attr(child, d->foreign_type);
    return type && type->len == strlen(d->table) && memcmp(store_bytes(type), d->table, type->len) == 0;
}

bool assoc_visible(const assoc_declaration *d, const store_value *child)
{
    return assoc_where_matches(child, d->where) && assoc_of_owner_type(d, child);
}

/* qsort has no context argument: the ordering is handed over in a thread-local. */
typedef struct ordering {
    const assoc_declaration *d;
    const store_table *target;
} ordering;

static _Thread_local ordering current;

/* Values of one type compare by value; otherwise by type name, so mixed
 * types still sort the same way every time. */
static int compare_values(const store_value *a, const store_value *b)
{
    if (a->type != b->type) return strcmp(store_type_name(a->type), store_type_name(b->type));
    if (a->type == STORE_S || a->type == STORE_N || a->type == STORE_B) return store_scalar_compare(a, b);
    return 0;
}

/* A child without the attribute comes after those with it, whichever the
 * direction (as NULLS LAST); ties go by id. */
static int by_order(const void *pa, const void *pb)
{
    const store_value *a = *(store_value *const *)pa, *b = *(store_value *const *)pb;
    const char *attr = current.d->order_by;
    int c = 0;
    if (attr) {
        const store_value *va = store_map_get(a, attr, strlen(attr)), *vb = store_map_get(b, attr, strlen(attr));
        if (!va || !vb) c = (va == NULL) - (vb == NULL);
        else c = current.d->order_desc ? compare_values(vb, va) : compare_values(va, vb);
    }
    return c ? c : store_scalar_compare(assoc_item_id(current.target, a), assoc_item_id(current.target, b));
}

void assoc_order_items(const assoc_declaration *d, const store_table *target, store_value **items, size_t n)
{
    if (!d->order_by || n < 2) return;
    current = (ordering){d, target};
    qsort(items, n, sizeof *items, by_order);
}

store_value *assoc_with_scope(const assoc_declaration *d, store_value *item)
{
    for (size_t i = 0; item && d->where && i < d->where->len; i++) {
        const store_entry *e = &store_entries(d->where)[i];
        store_value *next = assoc_item_with(item, store_bytes(e->name), store_retain(e->value));
        store_release(item);
        item = next;
    }
    return item;
}
