/* store/ttl.c — TTL: the expiry predicate every read path shares, the order
 * of items by TTL value, and deleting expired items. */
#include "store/ttl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/index.h"

static store_tree *bound(store_table *t)
{
    t->ttl_keys.pk_name = t->ttl_attr;
    t->ttl_keys.sk_name = NULL;
    t->ttl_order.keys = &t->ttl_keys;
    t->ttl_order.tiebreak = &t->key.names;
    t->ttl_order.by_value = true;
    return &t->ttl_order;
}

static const store_value *ttl_value(const store_table *t, const store_value *item)
{
    const store_value *v = store_map_get(item, store_bytes(t->ttl_attr), t->ttl_attr->len);
    return v && v->type == STORE_N ? v : NULL;
}

/* The window of expiry, in seconds: [oldest, now). */
typedef struct ttl_window {
    int64_t oldest;
    double now;
} ttl_window;

static ttl_window window_now(const store_table *t)
{
    int64_t now_ms = store_db_now_ms((const store_db *)t->db);
    ttl_window w = {now_ms / 1000 - STORE_TTL_MAX_AGE_S, (double)now_ms / 1000.0};
    return w;
}

static bool in_window(const store_value *v, const ttl_window *w)
{
    double s = strtod(store_bytes(v), NULL); /* canonical decimal text, NUL-terminated */
    return s < w->now && s >= (double)w->oldest;
}

bool store_table_expired(const store_table *t, const store_value *item)
{
    if (!t->ttl_attr || !t->db) return false;
    const store_value *v = ttl_value(t, item);
    if (!v) return false;
    ttl_window w = window_now(t);
    return in_window(v, &w);
}

bool store_ttl_hides_item(const void *table, const store_value *item)
{
    return store_table_expired(table, item);
}

bool store_ttl_hides_entry(const void *table, const store_value *entry)
{
    const store_table *t = table;
    if (!t->ttl_attr || !t->db) return false;
    if (store_map_get(entry, store_bytes(t->ttl_attr), t->ttl_attr->len)) return store_table_expired(t, entry);
    /* A projected entry without the attribute: the table's item decides. */
    store_key k = store_item_key(&t->items, entry);
    const store_value *item = store_tree_get(&t->items, &k);
    return item && store_table_expired(t, item);
}

void store_ttl_add(store_table *t, const store_value *item)
{
    if (!t->ttl_attr || !ttl_value(t, item)) return;
    store_value *replaced = NULL;
    store_tree_put(bound(t), store_retain((store_value *)item), &replaced);
    store_release(replaced);
}

void store_ttl_remove(store_table *t, const store_value *item)
{
    if (!t->ttl_attr || !ttl_value(t, item)) return;
    store_release(store_tree_remove_item(bound(t), item));
}

void store_table_set_ttl(store_table *t, const char *name)
{
    store_tree_clear(&t->ttl_order);
    store_release(t->ttl_attr);
    t->ttl_attr = name ? store_name(name, strlen(name)) : NULL;
    /* Unhidden while filling: an item already expired enters the order too,
     * so the next expiry deletes it. */
    t->items.hidden = NULL;
    t->items.hidden_arg = t;
    if (!name) return;
    store_cursor c;
    store_cursor_open(&c, &t->items, NULL, STORE_SEEK_GE);
    const store_value *item;
    while ((item = store_cursor_next(&c))) store_ttl_add(t, item);
    store_cursor_close(&c);
    t->items.hidden = store_ttl_hides_item;
}

/* The items expired now, oldest first, each with a reference. Out of
 * memory, fewer or none: the rest expire at a later write. */
static store_value **collect_expired(store_table *t, size_t *n)
{
    ttl_window w = window_now(t);
    char oldest[32];
    int len = snprintf(oldest, sizeof oldest, "%lld", (long long)w.oldest);
    store_value *from = store_value_bytes(STORE_N, oldest, (size_t)len);
    *n = 0;
    if (!from) return NULL;
    store_key k = {.hash = 0, .pk = from, .sk = NULL, .sk_bound = -1};
    store_cursor c;
    store_cursor_open(&c, bound(t), &k, STORE_SEEK_GE);
    store_value **found = NULL, *item;
    size_t cap = 0;
    while ((item = store_cursor_next(&c))) {
        const store_value *v = ttl_value(t, item);
        if (strtod(store_bytes(v), NULL) >= w.now) break;
        if (!in_window(v, &w)) continue;
        if (*n == cap) {
            store_value **grown = realloc(found, (cap = cap ? cap * 2 : 16) * sizeof *found);
            if (!grown) break;
            found = grown;
        }
        found[(*n)++] = store_retain(item);
    }
    store_cursor_close(&c);
    store_release(from);
    return found;
}

size_t store_table_expire(store_table *t)
{
    if (!t->ttl_attr || !t->db) return 0;
    size_t n;
    /* Collected first: removing while a cursor walks would free the nodes under it. */
    store_value **expired = collect_expired(t, &n);
    for (size_t i = 0; i < n; i++) {
        store_table_remove_expired(t, expired[i]);
        store_release(expired[i]);
    }
    free(expired);
    return n;
}

size_t store_db_expire(store_db *db)
{
    size_t n = 0;
    store_table *t, *tmp;
    HASH_ITER(hh, db->tables, t, tmp)
        if (t->ttl_attr) n += store_table_expire(t);
    return n;
}
