/* store/tree.h — the ordered item index of a table: a directory of
 * persistent treaps.
 *
 * Items are ordered by (hash of the partition key, partition key, sort key).
 * That one order serves everything. The top bits of the hash pick a bucket of
 * a directory of up to 1,024, each a treap, so the buckets in turn are the
 * order. A lookup by key goes to its bucket and descends a treap of a few
 * items (past 8,192 items the directory stops doubling and the treaps deepen
 * instead), deciding on the hash and on an abbreviation of the sort key kept
 * in each node, and reads an item only at its match. The items of a partition are adjacent and sorted
 * by sort key, so a Query is a seek plus a walk, O(log n + k); a Scan walks
 * the buckets in order, resumes from ExclusiveStartKey by a seek, and its
 * segments are ranges of the hash.
 *
 * Nodes and the directory are reference-counted and copied on write only
 * while shared, so taking a snapshot of a tree is one pointer copy; the first
 * write after it copies the directory, and each write copies just the nodes on
 * its path. */
#ifndef STORE_TREE_H
#define STORE_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/value.h"

typedef struct store_node store_node;

/* A GSI's key may have up to 4 partition and up to 4 sort key attributes
 * (multi-attribute keys): the partition key is then the tuple of its
 * attributes' values, hashed together, and the sort key orders by its
 * attributes in schema order. */
#define STORE_MAX_KEY_ATTRS 4
#define STORE_KEY_MORE (STORE_MAX_KEY_ATTRS - 1)

/* Names of the key attributes an item is ordered by. */
typedef struct store_tree_keys {
    store_value *pk_name;
    store_value *sk_name;      /* NULL: a table with a partition key only */
    /* Multi-attribute keys: the attributes after the first, in schema order. */
    store_value *pk_more[STORE_KEY_MORE], *sk_more[STORE_KEY_MORE];
    uint8_t n_pk_more, n_sk_more;
} store_tree_keys;

typedef struct store_dir store_dir;

typedef struct store_tree {
    store_dir *dir;            /* the buckets of the hash order (tree.c); NULL while empty */
    size_t count;              /* items */
    size_t bytes;              /* sum of item sizes */
    const store_tree_keys *keys;
    /* Optional, for orders whose keys repeat (secondary indexes, TTL): the
     * table's own key breaks ties, so every item keeps one place. */
    const store_tree_keys *tiebreak;
    /* Ordered by the partition key's value, not its hash first (TTL order). */
    bool by_value;
    /* Optional: items cursors step over (expired by TTL). Lookups still see them. */
    bool (*hidden)(const void *arg, const store_value *item);
    const void *hidden_arg;
    /* Hashes that two partition keys share, sorted: descents to them compare
     * partition keys at every node (tree.c, probe). Owned; NULL when none.
     * A copy of the struct that is not from store_tree_share (an index view)
     * borrows dir and this list, and is only read. */
    uint32_t *collided;
    size_t n_collided;
} store_tree;

/* A position in the order. pk NULL: before every partition of that hash.
 * sk_bound -1/+1: before/after every item of the partition; 0: at sk. In a
 * tree with a tiebreak, a key spans the whole run of items equal to it. */
typedef struct store_key {
    uint32_t hash;
    const store_value *pk;
    const store_value *sk;
    int sk_bound;
    /* Multi-attribute keys: the values of the partition attributes after
     * the first (all of them), and of the sort attributes after the first
     * (n_sk_more of them: a key may give a leading part of the sort key,
     * and then spans the run of items that share it). */
    const store_value *pk_more[STORE_KEY_MORE], *sk_more[STORE_KEY_MORE];
    uint8_t n_sk_more;
} store_key;

uint32_t store_key_hash(const store_value *pk);
/* The hash of a multi-attribute partition key (n values after the first);
 * with n = 0 it is store_key_hash(pk). */
uint32_t store_key_hash_parts(const store_value *pk, const store_value *const *more, size_t n);
/* The key of an item (which must carry the key attributes). */
store_key store_item_key(const store_tree *t, const store_value *item);
/* The key of the item whose partition key is pk, in a tree keyed by that one
 * attribute; made from pk itself, so it needs no allocation. */
store_key store_partition_key(const store_tree *t, const store_value *pk);

store_value *store_tree_get(const store_tree *t, const store_key *key);
/* Sets blocks aside for the write about to begin, so that it can finish
 * when malloc fails halfway (tree.c, the write reserve). False, before
 * anything changed, when not even the reserve can be had: out of memory.
 * Every write of a table calls it first (store/table.c). */
bool store_write_reserve(void);
/* Stores item (taking its reference); returns the item it replaced, whose
 * reference passes to the caller, or NULL. Never fails: out of memory, its
 * blocks come from the write reserve. */
void store_tree_put(store_tree *t, store_value *item, store_value **replaced);
/* Takes the item with this key out; its reference passes to the caller. */
store_value *store_tree_remove(store_tree *t, const store_key *key);
/* The same for the item with the keys of item, tiebreak included (a tree
 * whose keys repeat: store_tree_remove would take any of the run). */
store_value *store_tree_remove_item(store_tree *t, const store_value *item);
/* A snapshot into *dst: a second tree sharing every node. False (and *dst
 * empty) when out of memory. */
bool store_tree_share(store_tree *dst, const store_tree *src);
void store_tree_clear(store_tree *t);

/* An in-order walk from a seek, forwards or backwards. */
typedef enum store_seek { STORE_SEEK_GE, STORE_SEEK_GT, STORE_SEEK_LE, STORE_SEEK_LT } store_seek;

typedef struct store_cursor {
    const store_tree *tree;
    bool backwards;
    size_t bucket;             /* the directory bucket the stack walks */
    size_t depth, cap;
    store_node **stack;
    store_node *inline_stack[48];
    uint32_t hash;             /* the partition hash of the item last returned */
} store_cursor;

void store_cursor_open(store_cursor *c, const store_tree *t, const store_key *key, store_seek how);
/* A seek to the exact place of item (its keys and tiebreak), e.g. ExclusiveStartKey on an index. */
void store_cursor_open_item(store_cursor *c, const store_tree *t, const store_value *item, store_seek how);
/* The next item in the cursor's direction, or NULL at the end. */
store_value *store_cursor_next(store_cursor *c);
void store_cursor_close(store_cursor *c);
/* Whether every item of this hash in t has one partition key, so that an
 * item's hash alone places it in a partition already met (a Query's walk). */
bool store_tree_hash_unique(const store_tree *t, uint32_t hash);

#endif
