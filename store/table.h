/* store/table.h — a table: its name, key schema, attribute definitions,
 * billing, secondary index definitions and its items (a store_tree).
 *
 * Tables are owned by a database (store/db.h). A clone shares the item tree,
 * so snapshots copy metadata and pointers only. */
#ifndef STORE_TABLE_H
#define STORE_TABLE_H

#include <stdint.h>
#include "store/hash.h"

#include "store/error.h"
#include "store/tree.h"
#include "store/value.h"

#define STORE_MAX_TABLE_NAME     255
#define STORE_MIN_TABLE_NAME     3
#define STORE_MAX_GSI            20
#define STORE_MAX_LSI            5
#define STORE_MAX_NON_KEY_ATTRS  100

typedef enum store_projection_type {
    STORE_PROJECT_ALL, STORE_PROJECT_KEYS_ONLY, STORE_PROJECT_INCLUDE
} store_projection_type;

typedef struct store_attr_def {
    store_value *name;
    store_type type;
} store_attr_def;

typedef struct store_key_schema {
    store_tree_keys names;      /* pk_name, sk_name (NULL if none), and a GSI's further key attributes */
    store_type pk_type, sk_type;
    store_type pk_more_type[STORE_KEY_MORE], sk_more_type[STORE_KEY_MORE];
} store_key_schema;

/* A key schema's attributes in schema order: the partition key attributes,
 * then the sort key attributes. A table's and an LSI's have one or two. */
size_t store_key_count(const store_key_schema *k);
size_t store_key_partition_count(const store_key_schema *k);
const store_value *store_key_name(const store_key_schema *k, size_t i);
store_type store_key_type(const store_key_schema *k, size_t i);
/* Whether name is one of the schema's key attributes. */
bool store_key_has(const store_key_schema *k, const store_value *name);
/* Appends one attribute (taking over name's reference): partition attributes first. */
void store_key_append(store_key_schema *k, store_value *name, store_type type, bool partition);
void store_key_retain(const store_key_schema *k);
void store_key_release(store_key_schema *k);

typedef struct store_index {
    char *name;
    bool global;
    store_key_schema key;
    store_projection_type projection;
    store_value **non_key;      /* INCLUDE: the attributes projected beside the keys */
    size_t n_non_key;
    int64_t read_capacity, write_capacity;   /* GSIs of a PROVISIONED table */
    store_tree entries;         /* kept by every write: see store/index.h */
    size_t size_bytes;          /* of the projected entries (IndexSizeBytes) */
} store_index;

#define STORE_MAX_TAGS 50

typedef struct store_tag {
    char *key, *value;
} store_tag;

struct store_db;
struct store_stream;

typedef struct store_table {
    char *name;
    store_key_schema key;
    store_attr_def *attrs;
    size_t n_attrs;
    bool pay_per_request;
    int64_t read_capacity, write_capacity;
    int64_t created_ms;          /* by the database's clock */
    store_index *indexes;
    size_t n_indexes;
    store_tree items;            /* items.keys points at key.names */
    /* TTL (store/ttl.h): the attribute named while enabled (else NULL), and
     * the items holding a Number there, in the order of that number. */
    store_value *ttl_attr;
    store_tree_keys ttl_keys;
    store_tree ttl_order;
    const struct store_db *db;   /* the database holding the table (set on adding it): its clock expires items */
    store_tag *tags;             /* in the order first set */
    size_t n_tags;
    /* The table's latest stream (store/stream.h), owned by the database's
     * registry; records are written while it is enabled. NULL if never enabled. */
    struct store_stream *stream;
    UT_hash_handle hh;
} store_table;

/* Frees what an index holds (its entries tree included), not the index itself. */
void store_index_clear(store_index *x);

/* An empty table; takes nothing over (copies what it is given). */
store_table *store_table_new(const char *name);
/* A copy of the metadata sharing the items: a snapshot of the table. */
store_table *store_table_clone(const store_table *t);
void store_table_free(store_table *t);

/* Every write of an item goes through these two, so that whatever is kept
 * beside the items (secondary indexes, the TTL order, the stream's records)
 * stays in step. put takes over item's reference and hands back the
 * replaced item's; remove hands back the removed one. An expired item
 * (store/ttl.h) is never handed back: for readers it was already gone.
 * Both fail (false / NULL, nothing changed) only when out of memory. */
bool store_table_put(store_table *t, store_value *item, store_value **replaced);
store_value *store_table_remove(store_table *t, const store_value *key);
/* TTL's deletion of an expired item: its stream record names the service. */
void store_table_remove_expired(store_table *t, const store_value *item);
/* The item with the key of key (an item or a key), NULL if none or expired. */
store_value *store_table_get(const store_table *t, const store_value *key);
/* The item whose partition key is pk (a table keyed by one attribute, as
 * the association layer's are), NULL if none or expired. It allocates
 * nothing, so NULL never means out of memory. */
store_value *store_table_get_by_partition(const store_table *t, const store_value *pk);

/* Tags (TagResource): sets or replaces one; false only when out of memory.
 * Removing a key that is not there does nothing. */
bool store_table_set_tag(store_table *t, const char *key, const char *value);
/* Sets n tags (distinct keys) at once: all of them, or none when out of memory. */
bool store_table_set_tags(store_table *t, const char *const *keys, const char *const *values, size_t n);
void store_table_remove_tag(store_table *t, const char *key);
const store_tag *store_table_find_tag(const store_table *t, const char *key);

/* The type of an attribute named in the definitions, -1 if not defined. */
int store_table_attr_type(const store_table *t, const store_value *name);

/* Checks an item (or a key, with key_only) against the key schema: key
 * attributes present, of the declared type, not empty, within the key size
 * limits. An item's secondary index keys, where present, must pass the same
 * checks. what names the parameter in messages ("item" or "key"). */
bool store_table_check_key(const store_table *t, const store_value *item, bool key_only, store_error *err);
/* DynamoDB's key size limits (table and index keys alike): 2048 bytes for a
 * partition key, 1024 for a sort key, with AWS's messages. */
bool store_check_key_size(const store_value *v, bool partition_key, store_error *err);

#endif
