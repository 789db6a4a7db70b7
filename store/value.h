/* store/value.h — attribute values: the ten DynamoDB types.
 *
 * A value is immutable once built and reference-counted, so items, snapshots
 * and namespaces share values by pointer. Layout: a 16-byte header followed by
 * the payload in the same allocation — the bytes of S/N/B, the element
 * pointers of L/SS/NS/BS, the entries of M. Sets are kept sorted (bytes for
 * SS/BS, numeric for NS) so every answer lists them in one stable order; map
 * entries are sorted by name, so an item is simply an M value. */
#ifndef STORE_VALUE_H
#define STORE_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum store_type {
    STORE_S, STORE_N, STORE_B, STORE_SS, STORE_NS, STORE_BS,
    STORE_M, STORE_L, STORE_BOOL, STORE_NULL
} store_type;

typedef struct store_value store_value;

typedef struct store_entry {
    store_value *name;   /* an S value (names are interned) */
    store_value *value;
} store_entry;

struct store_value {
    uint32_t refs;       /* UINT32_MAX: a static value, never freed */
    uint8_t  type;
    uint8_t  flag;       /* BOOL: the truth value */
    uint16_t pad_;
    uint32_t len;        /* S/N/B: bytes; L/sets: elements; M: entries */
    uint32_t size;       /* DynamoDB size in bytes (for M: of its entries), cached */
};

/* Limits DynamoDB enforces on values. */
#define STORE_MAX_ITEM_SIZE      (400 * 1024)
#define STORE_MAX_PARTITION_KEY  2048
#define STORE_MAX_SORT_KEY       1024
#define STORE_MAX_DEPTH          32
#define STORE_MAX_NAME_LEN       65535

const char *store_type_name(store_type t);          /* "S", "N", ... */
int store_type_from_name(const char *name);         /* -1 if unknown */
bool store_type_is_set(store_type t);
store_type store_set_element_type(store_type set);  /* SS → S, NS → N, BS → B */

/* Builders. Each returns a value with one reference, or NULL when out of memory.
 * list/set/map take over the references of the values they are given. */
store_value *store_value_bytes(store_type t, const char *bytes, size_t len);
store_value *store_value_bool(bool b);
store_value *store_value_null(void);
store_value *store_value_list(store_value **elems, size_t n);
/* Sorts the members; returns NULL and sets *duplicate if two are equal
 * (the members are then released). */
store_value *store_value_set(store_type t, store_value **elems, size_t n, bool *duplicate);
/* Sorts the entries by name; a later duplicate name replaces an earlier one. */
store_value *store_value_map(store_entry *entries, size_t n);
/* An interned S value for an attribute name (shared across the process). */
store_value *store_name(const char *name, size_t len);

static inline store_value *store_retain(store_value *v)
{
    if (v && v->refs != UINT32_MAX) __atomic_add_fetch(&v->refs, 1, __ATOMIC_RELAXED);
    return v;
}
void store_release(store_value *v);

/* Payload access. */
static inline const char *store_bytes(const store_value *v) { return (const char *)(v + 1); }
static inline store_value *const *store_elems(const store_value *v) { return (store_value *const *)(v + 1); }
static inline const store_entry *store_entries(const store_value *v) { return (const store_entry *)(v + 1); }

/* The entry of a map (or item) by name, NULL if absent. O(log n). */
store_value *store_map_get(const store_value *m, const char *name, size_t len);

/* Orders two scalars of one type: bytes for S/B, numeric for N. */
int store_scalar_compare(const store_value *a, const store_value *b);
bool store_value_equal(const store_value *a, const store_value *b);

/* DynamoDB's size of a value (not counting its attribute name). */
size_t store_value_size(const store_value *v);
/* The size of an item (an M value): names plus values. */
static inline size_t store_item_size(const store_value *item) { return item->size; }

#endif
