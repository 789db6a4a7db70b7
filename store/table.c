/* store/table.c — table metadata (tags included), cloning for snapshots,
 * the key checks every write and every lookup goes through, and the two
 * write paths that keep indexes and the TTL order in step with the items. */
#include "store/table.h"

#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/index.h"
#include "store/stream.h"
#include "store/ttl.h"

store_table *store_table_new(const char *name)
{
    store_table *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->name = strdup(name);
    if (!t->name) { free(t); return NULL; }
    t->items.keys = &t->key.names;
    return t;
}

/* On failure dst holds nothing of src's (only what it allocated), so
 * store_table_free can release it without touching src's shared parts. */
static bool clone_index(store_index *dst, const store_index *src)
{
    char *name = strdup(src->name);
    store_value **non_key = src->n_non_key ? calloc(src->n_non_key, sizeof *non_key) : NULL;
    if (!name || (src->n_non_key && !non_key)) {
        free(name);
        free(non_key);
        memset(dst, 0, sizeof *dst);
        return false;
    }
    *dst = *src;
    dst->name = name;
    dst->non_key = non_key;
    for (size_t i = 0; i < src->n_non_key; i++) dst->non_key[i] = store_retain(src->non_key[i]);
    store_key_retain(&dst->key);
    if (store_tree_share(&dst->entries, &src->entries)) return true;
    store_index_clear(dst);
    memset(dst, 0, sizeof *dst);
    return false;
}

static bool clone_tags(store_table *t, const store_table *src)
{
    for (size_t i = 0; i < src->n_tags; i++)
        if (!store_table_set_tag(t, src->tags[i].key, src->tags[i].value)) return false;
    return true;
}

/* The TTL setting and order; the hook that hides expired items must point at the clone. */
static bool clone_ttl(store_table *t, const store_table *src)
{
    t->ttl_attr = store_retain(src->ttl_attr);
    t->items.hidden = src->items.hidden;
    t->items.hidden_arg = t;
    return store_tree_share(&t->ttl_order, &src->ttl_order);
}

store_table *store_table_clone(const store_table *src)
{
    store_table *t = store_table_new(src->name);
    if (!t) return NULL;
    t->key = src->key;
    store_key_retain(&t->key);
    t->pay_per_request = src->pay_per_request;
    t->read_capacity = src->read_capacity;
    t->write_capacity = src->write_capacity;
    t->created_ms = src->created_ms;
    t->attrs = calloc(src->n_attrs ? src->n_attrs : 1, sizeof *t->attrs);
    t->indexes = calloc(src->n_indexes ? src->n_indexes : 1, sizeof *t->indexes);
    if (!t->attrs || !t->indexes) { store_table_free(t); return NULL; }
    for (; t->n_attrs < src->n_attrs; t->n_attrs++) {
        t->attrs[t->n_attrs] = src->attrs[t->n_attrs];
        store_retain(t->attrs[t->n_attrs].name);
    }
    for (; t->n_indexes < src->n_indexes; t->n_indexes++)
        if (!clone_index(&t->indexes[t->n_indexes], &src->indexes[t->n_indexes])) {
            store_table_free(t);
            return NULL;
        }
    bool shared = store_tree_share(&t->items, &src->items);
    t->items.keys = &t->key.names;
    t->db = src->db;
    if (!shared || !clone_ttl(t, src) || !clone_tags(t, src)) { store_table_free(t); return NULL; }
    return t;
}

void store_index_clear(store_index *x)
{
    free(x->name);
    for (size_t j = 0; j < x->n_non_key; j++) store_release(x->non_key[j]);
    free(x->non_key);
    store_key_release(&x->key);
    store_tree_clear(&x->entries);
}

void store_table_free(store_table *t)
{
    if (!t) return;
    store_tree_clear(&t->items);
    for (size_t i = 0; i < t->n_indexes; i++) store_index_clear(&t->indexes[i]);
    free(t->indexes);
    store_tree_clear(&t->ttl_order);
    store_release(t->ttl_attr);
    for (size_t i = 0; i < t->n_tags; i++) { free(t->tags[i].key); free(t->tags[i].value); }
    free(t->tags);
    for (size_t i = 0; i < t->n_attrs; i++) store_release(t->attrs[i].name);
    free(t->attrs);
    store_key_release(&t->key);
    free(t->name);
    free(t);
}

/* An item that expired before this write is not handed back: readers no longer saw it. */
static store_value *unless_expired(const store_table *t, store_value *item)
{
    if (!item || !store_table_expired(t, item)) return item;
    store_release(item);
    return NULL;
}

/* The stream that records this table's writes now, with room reserved for one record. */
static store_stream *recording_stream(store_table *t, bool *out_of_memory)
{
    store_stream *st = t->stream && t->stream->enabled ? t->stream : NULL;
    *out_of_memory = st && !store_stream_reserve(st);
    return st;
}

static int64_t table_now_ms(const store_table *t) { return t->db ? store_db_now_ms(t->db) : 0; }

/* Every allocation a write may fail on comes first, before anything changes:
 * room for the stream record, the write reserve (tree.c), the index entries. */
bool store_table_put(store_table *t, store_value *item, store_value **replaced)
{
    bool out_of_memory;
    store_stream *st = recording_stream(t, &out_of_memory);
    store_value *entries[STORE_MAX_GSI + STORE_MAX_LSI];
    if (out_of_memory || !store_write_reserve() || !store_indexes_prepare(t, item, entries)) return false;
    store_tree_put(&t->items, item, replaced);
    if (*replaced) {
        store_indexes_remove(t, *replaced);
        store_ttl_remove(t, *replaced);
    }
    store_indexes_add(t, item, entries);
    store_ttl_add(t, item);
    *replaced = unless_expired(t, *replaced);
    if (st) store_stream_append(st, *replaced, item, false, table_now_ms(t));
    return true;
}

/* Hands back the removed item even when expired (TTL's deletion needs it). */
static store_value *remove_item(store_table *t, const store_value *key, bool by_ttl)
{
    bool out_of_memory;
    store_stream *st = recording_stream(t, &out_of_memory);
    if (out_of_memory || !store_write_reserve()) return NULL;
    store_key k = store_item_key(&t->items, key);
    store_value *removed = store_tree_remove(&t->items, &k);
    if (!removed) return NULL;
    store_indexes_remove(t, removed);
    store_ttl_remove(t, removed);
    if (st) store_stream_append(st, removed, NULL, by_ttl, table_now_ms(t));
    return removed;
}

store_value *store_table_remove(store_table *t, const store_value *key)
{
    return unless_expired(t, remove_item(t, key, false));
}

void store_table_remove_expired(store_table *t, const store_value *item)
{
    store_release(remove_item(t, item, true));
}

store_value *store_table_get(const store_table *t, const store_value *key)
{
    store_key k = store_item_key(&t->items, key);
    store_value *item = store_tree_get(&t->items, &k);
    return item && store_table_expired(t, item) ? NULL : item;
}

store_value *store_table_get_by_partition(const store_table *t, const store_value *pk)
{
    store_key k = store_partition_key(&t->items, pk);
    store_value *item = store_tree_get(&t->items, &k);
    return item && store_table_expired(t, item) ? NULL : item;
}

const store_tag *store_table_find_tag(const store_table *t, const char *key)
{
    for (size_t i = 0; i < t->n_tags; i++)
        if (strcmp(t->tags[i].key, key) == 0) return &t->tags[i];
    return NULL;
}

bool store_table_set_tag(store_table *t, const char *key, const char *value)
{
    return store_table_set_tags(t, &key, &value, 1);
}

/* Every allocation is made before the first tag changes, so a failure changes none. */
bool store_table_set_tags(store_table *t, const char *const *keys, const char *const *values, size_t n)
{
    size_t added = 0;
    for (size_t i = 0; i < n; i++) added += store_table_find_tag(t, keys[i]) == NULL;
    store_tag *grown = added ? realloc(t->tags, (t->n_tags + added) * sizeof *grown) : t->tags;
    if (!grown) return false;
    t->tags = grown; /* room only: n_tags is unchanged until the copies exist */
    char **copies = calloc(2 * n + 1, sizeof *copies);
    bool ok = copies != NULL;
    for (size_t i = 0; ok && i < n; i++)
        ok = (copies[2 * i] = strdup(keys[i])) && (copies[2 * i + 1] = strdup(values[i]));
    for (size_t i = 0; !ok && copies && i < 2 * n; i++) free(copies[i]);
    for (size_t i = 0; ok && i < n; i++) {
        store_tag *tag = (store_tag *)store_table_find_tag(t, keys[i]);
        if (tag) {
            free(copies[2 * i]);
            free(tag->value);
            tag->value = copies[2 * i + 1];
        } else {
            t->tags[t->n_tags++] = (store_tag){copies[2 * i], copies[2 * i + 1]};
        }
    }
    free(copies);
    return ok;
}

void store_table_remove_tag(store_table *t, const char *key)
{
    store_tag *tag = (store_tag *)store_table_find_tag(t, key);
    if (!tag) return;
    free(tag->key);
    free(tag->value);
    size_t i = (size_t)(tag - t->tags);
    memmove(tag, tag + 1, (t->n_tags - i - 1) * sizeof *tag);
    t->n_tags--;
}

int store_table_attr_type(const store_table *t, const store_value *name)
{
    for (size_t i = 0; i < t->n_attrs; i++)
        if (store_value_equal(t->attrs[i].name, name)) return (int)t->attrs[i].type;
    return -1;
}

static bool check_key_attr(const store_value *item, const store_value *name, store_type type,
                           size_t max_len, bool key_only, store_error *err)
{
    const char *n = store_bytes(name);
    const store_value *v = store_map_get(item, n, name->len);
    if (!v) {
        if (key_only) return store_fail(err, STORE_ERR_VALIDATION, "The provided key element does not match the schema");
        return store_fail(err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: Missing the key %s in the item", n);
    }
    if (v->type != type) {
        if (key_only) return store_fail(err, STORE_ERR_VALIDATION, "The provided key element does not match the schema");
        return store_fail(err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: Type mismatch for key %s expected: %s actual: %s",
                          n, store_type_name(type), store_type_name(v->type));
    }
    if (v->len == 0 && type != STORE_N)
        return store_fail(err, STORE_ERR_VALIDATION,
                          "One or more parameter values are not valid. The AttributeValue for a key attribute "
                          "cannot contain an empty %s value. Key: %s",
                          type == STORE_S ? "string" : "binary", n);
    return store_check_key_size(v, max_len == STORE_MAX_PARTITION_KEY, err);
}

bool store_check_key_size(const store_value *v, bool partition_key, store_error *err)
{
    if (partition_key && v->len > STORE_MAX_PARTITION_KEY)
        return store_fail(err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size "
                          "limit of2048 bytes");
    if (!partition_key && v->len > STORE_MAX_SORT_KEY)
        return store_fail(err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: Aggregated size of all range keys has exceeded "
                          "the size limit of 1024 bytes");
    return true;
}

bool store_table_check_key(const store_table *t, const store_value *item, bool key_only, store_error *err)
{
    size_t expected = t->key.names.sk_name ? 2 : 1;
    if (key_only && item->len != expected)
        return store_fail(err, STORE_ERR_VALIDATION, "The provided key element does not match the schema");
    if (!check_key_attr(item, t->key.names.pk_name, t->key.pk_type, STORE_MAX_PARTITION_KEY, key_only, err))
        return false;
    if (t->key.names.sk_name &&
        !check_key_attr(item, t->key.names.sk_name, t->key.sk_type, STORE_MAX_SORT_KEY, key_only, err))
        return false;
    return key_only || store_indexes_check_item(t, item, err);
}

/* ---- key schemas (store/table.h) ---- */

size_t store_key_partition_count(const store_key_schema *k) { return 1u + k->names.n_pk_more; }

size_t store_key_count(const store_key_schema *k)
{
    return store_key_partition_count(k) + (k->names.sk_name ? 1u + k->names.n_sk_more : 0u);
}

const store_value *store_key_name(const store_key_schema *k, size_t i)
{
    size_t n_pk = store_key_partition_count(k);
    if (i < n_pk) return i == 0 ? k->names.pk_name : k->names.pk_more[i - 1];
    return i == n_pk ? k->names.sk_name : k->names.sk_more[i - n_pk - 1];
}

store_type store_key_type(const store_key_schema *k, size_t i)
{
    size_t n_pk = store_key_partition_count(k);
    if (i < n_pk) return i == 0 ? k->pk_type : k->pk_more_type[i - 1];
    return i == n_pk ? k->sk_type : k->sk_more_type[i - n_pk - 1];
}

bool store_key_has(const store_key_schema *k, const store_value *name)
{
    for (size_t i = 0; i < store_key_count(k); i++)
        if (store_value_equal(store_key_name(k, i), name)) return true;
    return false;
}

void store_key_append(store_key_schema *k, store_value *name, store_type type, bool partition)
{
    store_tree_keys *n = &k->names;
    if (partition && !n->pk_name) n->pk_name = name, k->pk_type = type;
    else if (partition) n->pk_more[n->n_pk_more] = name, k->pk_more_type[n->n_pk_more++] = type;
    else if (!n->sk_name) n->sk_name = name, k->sk_type = type;
    else n->sk_more[n->n_sk_more] = name, k->sk_more_type[n->n_sk_more++] = type;
}

void store_key_retain(const store_key_schema *k)
{
    for (size_t i = 0; i < store_key_count(k); i++) store_retain((store_value *)store_key_name(k, i));
}

void store_key_release(store_key_schema *k)
{
    if (!k->names.pk_name) return;
    for (size_t i = 0; i < store_key_count(k); i++) store_release((store_value *)store_key_name(k, i));
}
