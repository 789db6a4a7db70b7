/* store/index.h — secondary indexes (GSI and LSI), kept in step with every
 * write of their table by store_table_put / store_table_remove.
 *
 * An index has its own persistent treap (store/tree.h), ordered by (index
 * partition key hash, index partition key, index sort key) with the table's
 * primary key breaking ties, since index keys repeat; snapshots share it
 * like the items. An item is in an index only when it has every index key
 * attribute, of the declared type, not empty and within the key size limits
 * (a sparse index). A GSI keeps projected copies (KEYS_ONLY: table and index
 * keys; INCLUDE: those plus the non-key attributes listed; ALL: the item
 * itself). An LSI keeps the table's item itself: a read of an LSI may fetch
 * unprojected attributes from its table, as DynamoDB does, so its projection
 * is applied when reading. */
#ifndef STORE_INDEX_H
#define STORE_INDEX_H

#include "store/table.h"

/* The index of t with this name, NULL if none. */
store_index *store_table_index(const store_table *t, const char *name);

/* The index's order for a cursor (hiding expired items, as the table does).
 * Valid while t is neither written nor freed. */
store_tree store_index_view(const store_table *t, const store_index *x);

/* Whether a read of the index sees attribute name without going to the table. */
bool store_index_projects(const store_table *t, const store_index *x, const store_value *name);

/* Whether item belongs in the index: every key attribute valid. */
bool store_index_covers(const store_index *x, const store_value *item);

/* The write paths: item (a whole table item) enters or leaves every index. */
/* An item's entry in each of t's indexes (entries[i] NULL where index i
 * does not cover it), made before a write changes anything: false, with
 * nothing kept, when out of memory. */
bool store_indexes_prepare(const store_table *t, const store_value *item, store_value **entries);
/* Puts the prepared entries (taking their references). */
void store_indexes_add(store_table *t, const store_value *item, store_value **entries);
void store_indexes_remove(store_table *t, const store_value *item);

/* Fills an index from the table's items (a GSI created on a table with data). */
void store_index_fill(store_table *t, store_index *x);

/* DynamoDB refuses a write whose item holds an index key attribute of the
 * wrong type, empty or too long; an item without one is simply not indexed. */
bool store_indexes_check_item(const store_table *t, const store_value *item, store_error *err);

#endif
