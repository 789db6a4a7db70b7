/* assoc/items.c — the value edits associations are made of: ids as S
 * values, keys, a copy of an item with one attribute changed, String Set
 * membership and set algebra (an empty set is never stored), and the
 * result lists handed back to callers. */
#include "assoc/internal.h"

#include <stdlib.h>
#include <string.h>

store_value *assoc_string(const char *s) { return store_value_bytes(STORE_S, s, strlen(s)); }

const store_value *assoc_item_id(const store_table *t, const store_value *item)
{
    const store_value *pk = t->key.names.pk_name;
    return store_map_get(item, store_bytes(pk), pk->len);
}

const store_value *assoc_string_attr(const store_value *item, const char *name)
{
    const store_value *v = store_map_get(item, name, strlen(name));
    return v && v->type == STORE_S ? v : NULL;
}

store_value *assoc_item_with(const store_value *item, const char *name, store_value *value)
{
    size_t n = item->len, len = strlen(name);
    store_entry *e = malloc((n + 1) * sizeof *e);
    store_value *key = e ? store_name(name, len) : NULL;
    if (!key) {
        free(e);
        store_release(value);
        return NULL;
    }
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        const store_entry *old = &store_entries(item)[i];
        if (old->name->len == len && memcmp(store_bytes(old->name), name, len) == 0) continue;
        e[kept++] = (store_entry){store_retain(old->name), store_retain(old->value)};
    }
    if (value) e[kept++] = (store_entry){key, value};
    else store_release(key);
    store_value *copy = store_value_map(e, kept);
    free(e);
    return copy;
}

static int compare_ids(const void *a, const void *b)
{
    return store_scalar_compare(*(store_value *const *)a, *(store_value *const *)b);
}

bool assoc_sorted_contains(store_value *const *sorted, size_t n, const store_value *id)
{
    return n && bsearch(&id, sorted, n, sizeof *sorted, compare_ids);
}

bool assoc_set_contains(const store_value *set, const store_value *id)
{
    return set && assoc_sorted_contains(store_elems(set), set->len, id);
}

/* A sorted, duplicate-free copy of ids (borrowed pointers); its length. */
static size_t sorted_copy(store_value *const *ids, size_t n, store_value **out)
{
    if (n) memcpy(out, ids, n * sizeof *ids);
    qsort(out, n, sizeof *out, compare_ids);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        if (!kept || store_scalar_compare(out[kept - 1], out[i]) != 0) out[kept++] = out[i];
    return kept;
}

/* One walk over three sorted lists: the set's members and the added ids,
 * merged, less the removed ids. O(n + k log k) for k ids edited in a set
 * of n, so an add of one id to a large set costs a copy, not a sort. */
static size_t merge_members(store_value *const *set, size_t n_set, store_value *const *add, size_t n_add,
                            store_value *const *remove, size_t n_remove, store_value **out)
{
    size_t i = 0, j = 0, r = 0, n = 0;
    while (i < n_set || j < n_add) {
        store_value *next;
        if (j == n_add) next = set[i++];
        else if (i == n_set) next = add[j++];
        else {
            int c = store_scalar_compare(set[i], add[j]);
            next = c <= 0 ? set[i++] : add[j++];
            if (c == 0) j++;
        }
        while (r < n_remove && store_scalar_compare(remove[r], next) < 0) r++;
        if (r < n_remove && store_scalar_compare(remove[r], next) == 0) continue;
        out[n++] = next;
    }
    return n;
}

bool assoc_set_edit(const store_value *set, store_value *const *add, size_t n_add, store_value *const *remove,
                    size_t n_remove, store_value **out)
{
    size_t n_set = set ? set->len : 0;
    store_value **members = malloc((n_set + n_add + 1) * sizeof *members);
    store_value **scratch = malloc((n_add + n_remove + 1) * sizeof *scratch);
    if (!members || !scratch) {
        free(members);
        free(scratch);
        return false;
    }
    size_t k_add = sorted_copy(add, n_add, scratch);
    size_t k_remove = sorted_copy(remove, n_remove, scratch + k_add);
    size_t kept = merge_members(set ? store_elems(set) : NULL, n_set, scratch, k_add, scratch + k_add, k_remove,
                                members);
    free(scratch);
    for (size_t i = 0; i < kept; i++) store_retain(members[i]);
    bool duplicate;
    *out = kept ? store_value_set(STORE_SS, members, kept, &duplicate) : NULL;
    free(members);
    return !kept || *out;
}

bool assoc_result_set_ids(assoc_result *out, const store_value *set)
{
    size_t n = set ? set->len : 0;
    char **ids = calloc(n + 1, sizeof *ids);
    if (!ids) return false;
    for (size_t i = 0; i < n; i++)
        if (!(ids[i] = strndup(store_bytes(store_elems(set)[i]), store_elems(set)[i]->len))) {
            for (size_t j = 0; j < i; j++) free(ids[j]);
            free(ids);
            return false;
        }
    for (size_t i = 0; i < out->n_ids; i++) free(out->ids[i]);
    free(out->ids);
    out->ids = ids;
    out->n_ids = n;
    return true;
}

void assoc_records_free(assoc_record *records, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(records[i].table);
        free(records[i].id);
    }
    free(records);
}

void assoc_result_free(assoc_result *res)
{
    if (!res) return;
    for (size_t i = 0; i < res->n_ids; i++) free(res->ids[i]);
    free(res->ids);
    for (size_t i = 0; i < res->n_items; i++) store_release(res->items[i]);
    free(res->items);
    assoc_records_free(res->destroyed, res->n_destroyed);
    assoc_records_free(res->deleted, res->n_deleted);
    memset(res, 0, sizeof *res);
}
