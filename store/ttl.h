/* store/ttl.h — Time to Live: items whose TTL attribute is a Number of epoch
 * seconds in the past of the database's clock are expired.
 *
 * An expired item vanishes from reads at once: lookups and cursors of the
 * table and of its indexes skip it (readers hold only the read lock, so they
 * filter and change nothing). It is deleted, from the table and its indexes,
 * when the database's write lock is next taken (store_db_expire), when its
 * key is written, or when the clock is moved (the control API calls
 * store_db_expire). As on DynamoDB, a value more than five years in the past
 * never expires, and neither does anything but a Number. */
#ifndef STORE_TTL_H
#define STORE_TTL_H

#include "store/db.h"

#define STORE_TTL_MAX_AGE_S (5LL * 365 * 24 * 3600)
#define STORE_TTL_MAX_ATTR_NAME 255

/* Enables TTL on attribute name (NULL disables it). */
void store_table_set_ttl(store_table *t, const char *name);

/* Whether a table item is expired now. */
bool store_table_expired(const store_table *t, const store_value *item);

/* The tree hooks (store_tree.hidden) of a table's items and of its index
 * entries, which may lack the TTL attribute (then the table's item decides). */
bool store_ttl_hides_item(const void *table, const store_value *item);
bool store_ttl_hides_entry(const void *table, const store_value *entry);

/* The write paths: item enters or leaves the TTL order. */
void store_ttl_add(store_table *t, const store_value *item);
void store_ttl_remove(store_table *t, const store_value *item);

/* Deletes the expired items of a table; returns how many. */
size_t store_table_expire(store_table *t);

#endif
