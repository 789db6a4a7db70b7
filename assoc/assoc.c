/* assoc/assoc.c — the registry: its lifecycle (new, clone for snapshots,
 * free), the declarations it holds (declare.c fills in and checks them),
 * lookups by table and name, the dependent option's names, and the
 * per-table destroy callbacks. */
#include "assoc/internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- lifecycle ---- */

assoc_registry *assoc_registry_new(void) { return calloc(1, sizeof(assoc_registry)); }

/* Every string a declaration owns, so copy and clear walk one list. */
#define ASSOC_DECLARATION_STRINGS(d)                                                                         \
    &(d)->table, &(d)->name, &(d)->target, &(d)->foreign_key, &(d)->ids_attribute, &(d)->inverse_of,        \
        &(d)->counter_cache, &(d)->inverse_ids_attribute, &(d)->through, &(d)->source, &(d)->as,             \
        &(d)->foreign_type, &(d)->primary_key, &(d)->order_by

void assoc_declaration_clear(assoc_declaration *d)
{
    const char **strings[] = {ASSOC_DECLARATION_STRINGS(d)};
    for (size_t i = 0; i < sizeof strings / sizeof *strings; i++) free((char *)*strings[i]);
    store_release(d->where);
}

bool assoc_declaration_copy(assoc_declaration *dst, const assoc_declaration *src)
{
    *dst = *src;
    const char **strings[] = {ASSOC_DECLARATION_STRINGS(dst)};
    bool ok = true;
    for (size_t i = 0; i < sizeof strings / sizeof *strings; i++) {
        const char *given = *strings[i];
        *strings[i] = given ? strdup(given) : NULL;
        ok = ok && (*strings[i] || !given);
    }
    store_retain(dst->where);
    if (!ok) assoc_declaration_clear(dst);
    return ok;
}

void assoc_registry_free(assoc_registry *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->n; i++) assoc_declaration_clear(&r->decls[i]);
    free(r->decls);
    for (size_t i = 0; i < r->n_callbacks; i++) free(r->callbacks[i].table);
    free(r->callbacks);
    free(r);
}

static bool reserve(assoc_registry *r, size_t more)
{
    if (r->n + more <= r->cap) return true;
    size_t cap = r->cap ? r->cap * 2 : 8;
    while (cap < r->n + more) cap *= 2;
    assoc_declaration *d = realloc(r->decls, cap * sizeof *d);
    if (!d) return false;
    r->decls = d;
    r->cap = cap;
    return true;
}

assoc_registry *assoc_registry_clone(const assoc_registry *src)
{
    assoc_registry *r = assoc_registry_new();
    if (!r || !reserve(r, src->n)) { assoc_registry_free(r); return NULL; }
    for (; r->n < src->n; r->n++)
        if (!assoc_declaration_copy(&r->decls[r->n], &src->decls[r->n])) { assoc_registry_free(r); return NULL; }
    for (size_t i = 0; i < src->n_callbacks; i++) {
        const assoc_callback *cb = &src->callbacks[i];
        if (!assoc_on_destroy(r, cb->table, cb->cb, cb->user)) { assoc_registry_free(r); return NULL; }
    }
    return r;
}

/* ---- lookups ---- */

size_t assoc_count(const assoc_registry *r) { return r->n; }

const assoc_declaration *assoc_declaration_at(const assoc_registry *r, size_t i)
{
    return i < r->n ? &r->decls[i] : NULL;
}

static long index_of(const assoc_registry *r, const char *table, const char *name)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->decls[i].table, table) == 0 && strcmp(r->decls[i].name, name) == 0) return (long)i;
    return -1;
}

const assoc_declaration *assoc_lookup(const assoc_registry *r, const char *table, const char *name)
{
    long i = index_of(r, table, name);
    return i < 0 ? NULL : &r->decls[i];
}

store_table *assoc_usable_table(const store_db *db, const char *name)
{
    store_table *t = store_db_table(db, name);
    return t && t->key.pk_type == STORE_S && !t->key.names.sk_name ? t : NULL;
}

static const char *const dependent_names[] = {
    "none", "destroy", "delete_all", "nullify", "restrict_with_exception", "restrict_with_error", "destroy_async",
};

static const char *const kind_names[] = {"has_many", "belongs_to", "has_and_belongs_to_many"};

const char *assoc_kind_name(assoc_kind k) { return kind_names[k]; }

const char *assoc_dependent_name(assoc_dependent d) { return dependent_names[d]; }

int assoc_dependent_from_name(const char *name)
{
    for (int i = 0; i < (int)(sizeof dependent_names / sizeof *dependent_names); i++)
        if (strcmp(dependent_names[i], name) == 0) return i;
    return -1;
}

/* Replaces a namesake in place, so declaration order stays as first given. */
bool assoc_registry_put(assoc_registry *r, assoc_declaration *d)
{
    long i = index_of(r, d->table, d->name);
    if (i >= 0) {
        assoc_declaration_clear(&r->decls[i]);
        r->decls[i] = *d;
        return true;
    }
    if (!reserve(r, 1)) return false;
    r->decls[r->n++] = *d;
    return true;
}

/* ---- callbacks ---- */

const assoc_callback *assoc_callback_for(const assoc_registry *r, const char *table)
{
    for (size_t i = 0; i < r->n_callbacks; i++)
        if (strcmp(r->callbacks[i].table, table) == 0) return &r->callbacks[i];
    return NULL;
}

bool assoc_on_destroy(assoc_registry *r, const char *table, assoc_destroy_callback cb, void *user)
{
    assoc_callback *found = (assoc_callback *)assoc_callback_for(r, table);
    if (found && cb) {
        found->cb = cb;
        found->user = user;
    } else if (found) {
        free(found->table);
        *found = r->callbacks[--r->n_callbacks];
    } else if (cb) {
        assoc_callback *grown = realloc(r->callbacks, (r->n_callbacks + 1) * sizeof *grown);
        if (!grown) return false;
        r->callbacks = grown;
        char *name = strdup(table);
        if (!name) return false;
        grown[r->n_callbacks++] = (assoc_callback){name, cb, user};
    }
    return true;
}

