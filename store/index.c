/* store/index.c — secondary index maintenance: membership (sparse indexes),
 * projections, the index orders, backfilling, and the write-time checks of
 * index key attributes. */
#include "store/index.h"

#include <stdlib.h>
#include <string.h>

#include "store/ttl.h"

store_index *store_table_index(const store_table *t, const char *name)
{
    for (size_t i = 0; i < t->n_indexes; i++)
        if (strcmp(t->indexes[i].name, name) == 0) return &t->indexes[i];
    return NULL;
}

/* The tree's key pointers are set on every use, not once: the index array
 * moves when UpdateTable adds a GSI, and clones copy the pointers of their source. */
static store_tree *bound(const store_table *t, store_index *x)
{
    x->entries.keys = &x->key.names;
    x->entries.tiebreak = &t->key.names;
    return &x->entries;
}

store_tree store_index_view(const store_table *t, const store_index *x)
{
    store_tree view = x->entries;
    view.keys = &x->key.names;
    view.tiebreak = &t->key.names;
    view.hidden = t->ttl_attr ? store_ttl_hides_entry : NULL;
    view.hidden_arg = t;
    return view;
}

bool store_index_projects(const store_table *t, const store_index *x, const store_value *name)
{
    if (x->projection == STORE_PROJECT_ALL || store_key_has(&t->key, name) || store_key_has(&x->key, name)) return true;
    for (size_t i = 0; i < x->n_non_key; i++)
        if (store_value_equal(x->non_key[i], name)) return true;
    return false;
}

static const store_value *attr(const store_value *item, const store_value *name)
{
    return store_map_get(item, store_bytes(name), name->len);
}

/* A key attribute an index can hold: declared type, not empty, within the key size limit. */
static bool valid_key_value(const store_value *v, store_type type, size_t max_len)
{
    return v && v->type == type && (v->len > 0 || type == STORE_N) && v->len <= max_len;
}

/* A multi-attribute key is sparse on each attribute: one missing leaves the item out. */
bool store_index_covers(const store_index *x, const store_value *item)
{
    const store_key_schema *k = &x->key;
    size_t n_pk = store_key_partition_count(k);
    for (size_t i = 0; i < store_key_count(k); i++) {
        size_t max_len = i < n_pk ? STORE_MAX_PARTITION_KEY : STORE_MAX_SORT_KEY;
        if (!valid_key_value(attr(item, store_key_name(k, i)), store_key_type(k, i), max_len)) return false;
    }
    return true;
}

/* DynamoDB's size of the part of item the index projects. */
static size_t projected_size(const store_table *t, const store_index *x, const store_value *item)
{
    if (x->projection == STORE_PROJECT_ALL) return store_item_size(item);
    size_t size = 0;
    const store_entry *e = store_entries(item);
    for (uint32_t i = 0; i < item->len; i++)
        if (store_index_projects(t, x, e[i].name)) size += e[i].name->len + store_value_size(e[i].value);
    return size;
}

/* What the index stores for item: a GSI's projected copy, else the item
 * itself. NULL when out of memory. */
static store_value *entry_of(const store_table *t, const store_index *x, const store_value *item)
{
    if (!x->global || x->projection == STORE_PROJECT_ALL) return store_retain((store_value *)item);
    const store_entry *e = store_entries(item);
    store_entry *kept = malloc((item->len ? item->len : 1) * sizeof *kept);
    if (!kept) return NULL;
    size_t n = 0;
    for (uint32_t i = 0; i < item->len; i++)
        if (store_index_projects(t, x, e[i].name))
            kept[n++] = (store_entry){store_retain(e[i].name), store_retain(e[i].value)};
    store_value *entry = store_value_map(kept, n); /* takes the references, or drops them */
    free(kept);
    return entry;
}

static void index_put(store_table *t, store_index *x, const store_value *item, store_value *entry)
{
    store_value *replaced = NULL;
    store_tree_put(bound(t, x), entry, &replaced);
    x->size_bytes += projected_size(t, x, item);
    if (replaced) { /* only if a remove was missed; keeps the counts right regardless */
        x->size_bytes -= projected_size(t, x, replaced);
        store_release(replaced);
    }
}

static void index_remove(store_table *t, store_index *x, const store_value *item)
{
    if (!store_index_covers(x, item)) return;
    store_value *entry = store_tree_remove_item(bound(t, x), item);
    if (!entry) return;
    x->size_bytes -= projected_size(t, x, entry);
    store_release(entry);
}

bool store_indexes_prepare(const store_table *t, const store_value *item, store_value **entries)
{
    for (size_t i = 0; i < t->n_indexes; i++) {
        const store_index *x = &t->indexes[i];
        entries[i] = NULL;
        if (store_index_covers(x, item) && !(entries[i] = entry_of(t, x, item))) {
            while (i--) store_release(entries[i]);
            return false;
        }
    }
    return true;
}

void store_indexes_add(store_table *t, const store_value *item, store_value **entries)
{
    for (size_t i = 0; i < t->n_indexes; i++)
        if (entries[i]) index_put(t, &t->indexes[i], item, entries[i]);
}

void store_indexes_remove(store_table *t, const store_value *item)
{
    for (size_t i = 0; i < t->n_indexes; i++) index_remove(t, &t->indexes[i], item);
}

void store_index_fill(store_table *t, store_index *x)
{
    store_cursor c;
    store_cursor_open(&c, &t->items, NULL, STORE_SEEK_GE);
    const store_value *item;
    store_value *entry;
    /* A backfill of many items; out of memory, the index stays short of the
       rest (as a backfill cut off would), and the reserve covers each put. */
    while ((item = store_cursor_next(&c)))
        if (store_index_covers(x, item) && store_write_reserve() && (entry = entry_of(t, x, item)))
            index_put(t, x, item, entry);
    store_cursor_close(&c);
}

static bool check_index_key(const store_index *x, const store_value *item, const store_value *name, store_type type,
                            size_t max_len, store_error *err)
{
    const store_value *v = attr(item, name);
    if (!v) return true;
    if (v->type != type)
        return store_fail(err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: Type mismatch for Index Key %s Expected: %s "
                          "Actual: %s IndexName: %s",
                          store_bytes(name), store_type_name(type), store_type_name((store_type)v->type), x->name);
    if (v->len == 0 && type != STORE_N)
        return store_fail(err, STORE_ERR_VALIDATION,
                          "One or more parameter values are not valid. A value specified for a secondary index key is "
                          "not supported. The AttributeValue for a key attribute cannot contain an empty %s value. "
                          "IndexName: %s, IndexKey: %s",
                          type == STORE_S ? "string" : "binary", x->name, store_bytes(name));
    return store_check_key_size(v, max_len == STORE_MAX_PARTITION_KEY, err);
}

bool store_indexes_check_item(const store_table *t, const store_value *item, store_error *err)
{
    for (size_t i = 0; i < t->n_indexes; i++) {
        const store_index *x = &t->indexes[i];
        const store_key_schema *k = &x->key;
        size_t n_pk = store_key_partition_count(k);
        for (size_t j = 0; j < store_key_count(k); j++) {
            size_t max_len = j < n_pk ? STORE_MAX_PARTITION_KEY : STORE_MAX_SORT_KEY;
            if (!check_index_key(x, item, store_key_name(k, j), store_key_type(k, j), max_len, err)) return false;
        }
    }
    return true;
}
