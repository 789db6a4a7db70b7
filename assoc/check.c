/* assoc/check.c — every link that disagrees, for GET /_dynemu/associations/check
 * and assoc_check. For each has_many it walks the owners (every id in a set
 * must name an existing child whose foreign key names that owner, no child
 * may be in two owners' sets, a counter cache must equal the set's size)
 * and the children (a foreign key must name an existing owner whose set
 * holds the child). A belongs_to with no has_many beside it has its foreign
 * keys checked alone; a polymorphic belongs_to's children must name (by
 * <name>_type and <name>_id) a record of a table associations can use,
 * leaving those of a table with a has_many `as:` to that has_many. A
 * habtm's two sets must name each other back ("one_sided" otherwise); a polymorphic has_many checks the children whose
 * type names its table; a through association has no links of its own. */
#include "assoc/internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct problems {
    assoc_problem *list;
    size_t n, cap;
    bool oom;
} problems;

static char *text_of(const store_value *v) { return v ? strndup(store_bytes(v), v->len) : NULL; }

static void report(problems *p, const char *kind, const char *table, const store_value *id,
                   const assoc_declaration *d, const store_value *other, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

static void report(problems *p, const char *kind, const char *table, const store_value *id,
                   const assoc_declaration *d, const store_value *other, const char *fmt, ...)
{
    if (p->oom) return;
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 8;
        assoc_problem *grown = realloc(p->list, cap * sizeof *grown);
        if (!grown) { p->oom = true; return; }
        p->list = grown;
        p->cap = cap;
    }
    assoc_problem *x = &p->list[p->n++];
    *x = (assoc_problem){kind, strdup(table), text_of(id), strdup(d->name), text_of(other), NULL};
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&x->message, fmt, ap) < 0) x->message = NULL;
    va_end(ap);
    p->oom = !x->table || !x->id || !x->association || (other && !x->other) || !x->message;
}

/* An id seen in some owner's set, remembered to find a child claimed twice. */
typedef struct claim {
    UT_hash_handle hh;
    const store_value *owner;
    const store_value *child;
} claim;

typedef struct walk {
    const assoc_declaration *d;
    const store_table *owners, *children;
    claim *claims;
    problems *p;
    const assoc_registry *registry;   /* a polymorphic belongs_to finds its owners' tables by name */
    const store_db *db;
} walk;

static const store_value *owner_of_key(const walk *w, const store_value *key)
{
    if (!w->d->primary_key) return store_table_get_by_partition(w->owners, key);
    store_key start = {.hash = 0, .pk = NULL, .sk = NULL, .sk_bound = -1};
    store_cursor c;
    const store_value *found = NULL;
    store_cursor_open(&c, &w->owners->items, &start, STORE_SEEK_GE);
    for (const store_value *item; !found && (item = store_cursor_next(&c));) {
        const store_value *v = assoc_string_attr(item, w->d->primary_key);
        if (v && store_value_equal(v, key)) found = item;
    }
    store_cursor_close(&c);
    return found;
}

static void check_claim(walk *w, const store_value *owner_id, const store_value *child_id)
{
    claim *c;
    HASH_FIND(hh, w->claims, store_bytes(child_id), child_id->len, c);
    if (c) {
        report(w->p, "claimed_twice", w->children->name, child_id, w->d, owner_id,
               "%s %s is in %s of both %s %s and %s %s", w->children->name, store_bytes(child_id),
               w->d->ids_attribute, w->owners->name, store_bytes(c->owner), w->owners->name, store_bytes(owner_id));
        return;
    }
    if (!(c = malloc(sizeof *c))) { w->p->oom = true; return; }
    c->owner = owner_id;
    c->child = child_id;
    HASH_ADD_KEYPTR(hh, w->claims, store_bytes(child_id), child_id->len, c);
    if (!STORE_HASH_ADDED(c)) {
        free(c);
        w->p->oom = true;
    }
}

static void check_member(walk *w, const store_value *owner_id, const store_value *owner_key,
                         const store_value *child_id)
{
    const char *o = store_bytes(owner_id), *c = store_bytes(child_id);
    const store_value *child = store_table_get_by_partition(w->children, child_id);
    const store_value *fk = child && assoc_of_owner_type(w->d, child) ? assoc_string_attr(child, w->d->foreign_key)
                                                                       : NULL;
    if (!child)
        report(w->p, "dangling_id", w->owners->name, owner_id, w->d, child_id,
               "%s %s lists %s in %s, but %s has no record %s", w->owners->name, o, c, w->d->ids_attribute,
               w->children->name, c);
    else if (!fk || !owner_key || !store_value_equal(fk, owner_key))
        report(w->p, "foreign_key_mismatch", w->children->name, child_id, w->d, owner_id,
               "%s %s is in %s of %s %s, but its %s is %s", w->children->name, c, w->d->ids_attribute,
               w->owners->name, o, w->d->foreign_key, fk ? store_bytes(fk) : "missing");
    check_claim(w, owner_id, child_id);
}

static const store_value *stored_child(const void *ctx, const store_value *id)
{
    return store_table_get_by_partition(((const walk *)ctx)->children, id);
}

static void check_counter(walk *w, const store_value *owner, const store_value *owner_id, const store_value *set)
{
    size_t expected = assoc_counted(w->d, set, stored_child, w);
    const char *name = w->d->counter_cache;
    const store_value *v = store_map_get(owner, name, strlen(name));
    char want[32];
    int len = snprintf(want, sizeof want, "%zu", expected);
    bool agrees = v ? v->type == STORE_N && v->len == (uint32_t)len && memcmp(store_bytes(v), want, (size_t)len) == 0
                    : expected == 0;
    if (!agrees)
        report(w->p, "counter_mismatch", w->owners->name, owner_id, w->d, NULL,
               "%s %s has %s = %s, but %s holds %zu ids%s", w->owners->name, store_bytes(owner_id), name,
               v && v->type == STORE_N ? store_bytes(v) : "(not a number)", w->d->ids_attribute, expected,
               w->d->where ? " in its scope" : "");
}

static void check_owner(walk *w, const store_value *owner)
{
    const store_value *owner_id = assoc_item_id(w->owners, owner);
    const store_value *set = store_map_get(owner, w->d->ids_attribute, strlen(w->d->ids_attribute));
    if (set && set->type != STORE_SS) {
        report(w->p, "not_a_string_set", w->owners->name, owner_id, w->d, NULL, "%s %s has %s of type %s",
               w->owners->name, store_bytes(owner_id), w->d->ids_attribute, store_type_name(set->type));
        return;
    }
    const store_value *key = w->d->primary_key ? assoc_string_attr(owner, w->d->primary_key) : owner_id;
    for (size_t i = 0; set && i < set->len; i++) check_member(w, owner_id, key, store_elems(set)[i]);
    if (w->d->counter_cache) check_counter(w, owner, owner_id, set);
}

/* A child's foreign key must name an owner that exists (and, for a has_many,
 * holds the child in its set). */
static void check_child(walk *w, const store_value *child, bool has_many)
{
    const store_value *fk = assoc_string_attr(child, w->d->foreign_key);
    if (!fk || !assoc_of_owner_type(w->d, child)) return;
    const store_value *id = assoc_item_id(w->children, child);
    const store_value *owner = owner_of_key(w, fk);
    const store_value *set = owner && has_many ? store_map_get(owner, w->d->ids_attribute, strlen(w->d->ids_attribute)) : NULL;
    if (!owner)
        report(w->p, "missing_owner", w->children->name, id, w->d, fk, "%s %s has %s = %s, but %s has no record %s",
               w->children->name, store_bytes(id), w->d->foreign_key, store_bytes(fk), w->owners->name,
               store_bytes(fk));
    else if (has_many && !(set && set->type == STORE_SS && assoc_set_contains(set, id)))
        report(w->p, "missing_from_set", w->children->name, id, w->d, fk, "%s %s has %s = %s, but is not in %s of %s %s",
               w->children->name, store_bytes(id), w->d->foreign_key, store_bytes(fk), w->d->ids_attribute,
               w->owners->name, store_bytes(fk));
}

typedef void (*visit)(walk *w, const store_value *item, bool flag);

static void walk_table(walk *w, const store_table *t, visit fn, bool flag)
{
    store_key start = {.hash = 0, .pk = NULL, .sk = NULL, .sk_bound = -1};
    store_cursor c;
    store_cursor_open(&c, &t->items, &start, STORE_SEEK_GE);
    for (const store_value *item; (item = store_cursor_next(&c));) fn(w, item, flag);
    store_cursor_close(&c);
}

static void visit_owner(walk *w, const store_value *item, bool flag) { (void)flag, check_owner(w, item); }

static void free_claims(walk *w)
{
    claim *c, *tmp;
    HASH_ITER(hh, w->claims, c, tmp) {
        HASH_DEL(w->claims, c);
        free(c);
    }
}

/* Whether a has_many already covers the foreign keys of belongs_to d. */
static bool paired(const assoc_registry *r, const assoc_declaration *d)
{
    return assoc_has_many_for(r, d, d->target) != NULL;
}

/* ---- a polymorphic belongs_to: each child's type and id name a record ---- */

static void missing_polymorphic_owner(walk *w, const store_value *child, const char *why)
{
    const store_value *id = assoc_item_id(w->children, child), *fk = assoc_string_attr(child, w->d->foreign_key);
    report(w->p, "missing_owner", w->children->name, id, w->d, fk, "%s %s has %s = %s, but %s", w->children->name,
           store_bytes(id), w->d->foreign_key, store_bytes(fk), why);
}

static void check_polymorphic_child(walk *w, const store_value *child, bool flag)
{
    (void)flag;
    const store_value *fk = assoc_string_attr(child, w->d->foreign_key);
    const store_value *type = assoc_string_attr(child, w->d->foreign_type);
    if (!fk) return;
    if (!type) return missing_polymorphic_owner(w, child, "no owner table in its foreign type");
    char *name = strndup(store_bytes(type), type->len);
    const store_table *owners = name ? assoc_usable_table(w->db, name) : NULL;
    if (!name) w->p->oom = true;
    else if (!owners) missing_polymorphic_owner(w, child, "its foreign type names no table keyed by a String id");
    else if (!assoc_has_many_for(w->registry, w->d, name) && !store_table_get_by_partition(owners, fk))
        missing_polymorphic_owner(w, child, "its owner's table has no such record");
    free(name);
}

/* ---- habtm: each side's set names the other back ---- */

/* Every id in the record's attr set: the other record exists and names it back in other_attr. */
static void check_side(walk *w, const store_value *item, const store_table *mine, const char *attr,
                       const store_table *other_table, const char *other_attr)
{
    const store_value *id = assoc_item_id(mine, item);
    const store_value *set = store_map_get(item, attr, strlen(attr));
    if (set && set->type != STORE_SS) {
        report(w->p, "not_a_string_set", mine->name, id, w->d, NULL, "%s %s has %s of type %s", mine->name,
               store_bytes(id), attr, store_type_name(set->type));
        return;
    }
    for (size_t i = 0; set && i < set->len; i++) {
        const store_value *other_id = store_elems(set)[i], *other = store_table_get_by_partition(other_table, other_id);
        const store_value *back = other ? store_map_get(other, other_attr, strlen(other_attr)) : NULL;
        if (!other)
            report(w->p, "dangling_id", mine->name, id, w->d, other_id, "%s %s lists %s in %s, but %s has no record %s",
                   mine->name, store_bytes(id), store_bytes(other_id), attr, other_table->name, store_bytes(other_id));
        else if (!(back && back->type == STORE_SS && assoc_set_contains(back, id)))
            report(w->p, "one_sided", mine->name, id, w->d, other_id, "%s %s lists %s in %s, but %s %s lacks %s in %s",
                   mine->name, store_bytes(id), store_bytes(other_id), attr, other_table->name, store_bytes(other_id),
                   store_bytes(id), other_attr);
    }
}

static void visit_habtm_owner(walk *w, const store_value *item, bool flag)
{
    (void)flag;
    check_side(w, item, w->owners, w->d->ids_attribute, w->children, w->d->inverse_ids_attribute);
}

static void visit_habtm_target(walk *w, const store_value *item, bool flag)
{
    (void)flag;
    check_side(w, item, w->children, w->d->inverse_ids_attribute, w->owners, w->d->ids_attribute);
}

/* Two habtm declarations naming each other are one link: the later is not checked again. */
static bool mirrored_earlier(const assoc_registry *r, const assoc_declaration *d)
{
    const assoc_declaration *m = assoc_lookup(r, d->target, d->inverse_of);
    return m && m < d && m->kind == ASSOC_HABTM && strcmp(m->inverse_of, d->name) == 0;
}

static void check_habtm(const assoc_registry *r, const store_db *db, const assoc_declaration *d, problems *p)
{
    walk w = {d, assoc_usable_table(db, d->table), assoc_usable_table(db, d->target), NULL, p, r, db};
    if (!w.owners || !w.children || mirrored_earlier(r, d)) return;
    walk_table(&w, w.owners, visit_habtm_owner, false);
    walk_table(&w, w.children, visit_habtm_target, false);
}

static void check_polymorphic(const assoc_registry *r, const store_db *db, const assoc_declaration *d, problems *p)
{
    walk w = {d, NULL, assoc_usable_table(db, d->table), NULL, p, r, db};
    if (w.children) walk_table(&w, w.children, check_polymorphic_child, false);
}

static void check_declaration(const assoc_registry *r, const store_db *db, const assoc_declaration *d, problems *p)
{
    if (d->kind == ASSOC_HABTM) return check_habtm(r, db, d, p);
    if (d->polymorphic) return check_polymorphic(r, db, d, p);
    if (d->through) return;
    bool has_many = d->kind == ASSOC_HAS_MANY;
    walk w = {d, assoc_usable_table(db, has_many ? d->table : d->target),
              assoc_usable_table(db, has_many ? d->target : d->table), NULL, p, r, db};
    if (!w.owners || !w.children || (!has_many && paired(r, d))) return;
    if (has_many) walk_table(&w, w.owners, visit_owner, false);
    walk_table(&w, w.children, check_child, has_many);
    free_claims(&w);
}

bool assoc_check(const assoc_registry *r, const store_db *db, assoc_problem **out, size_t *n)
{
    problems p = {0};
    for (size_t i = 0; i < r->n && !p.oom; i++) check_declaration(r, db, &r->decls[i], &p);
    if (p.oom) {
        assoc_problems_free(p.list, p.n);
        return false;
    }
    *out = p.list;
    *n = p.n;
    return true;
}

void assoc_problems_free(assoc_problem *problems, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(problems[i].table);
        free(problems[i].id);
        free(problems[i].association);
        free(problems[i].other);
        free(problems[i].message);
    }
    free(problems);
}
