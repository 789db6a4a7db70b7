/* store/value.h — attribute values: the ten DynamoDB types.
 *
 * A value is immutable once built and reference-counted, so items, snapshots
 * and namespaces share values by pointer. A scalar (S/N/B) is a 12-byte
 * header followed by its bytes; a container (L, sets, M) has a 16-byte header
 * (with its cached size) followed by its element pointers or its entries.
 * Sets are kept sorted (bytes for SS/BS, numeric for NS) so every answer
 * lists them in one stable order; map entries are sorted by name, so an item
 * is simply an M value.
 *
 * A map is one allocation: the scalars of its entries are copied into its
 * block ("embedded"), so a 200-byte item costs one malloc, not five. An
 * embedded value's reference count stands for its block: retaining it
 * retains the whole map. */
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
    uint32_t refs;       /* STORE_REFS_STATIC: never freed; with STORE_REFS_EMBEDDED: inside a map's block */
    uint8_t  type;
    uint8_t  flag;       /* BOOL: the truth value; S: STORE_FLAG_JSON_CLEAN or 0 */
    uint16_t pad_;
    uint32_t len;        /* S/N/B: bytes; L/sets: elements; M: entries */
};

/* The header of L, SS, NS, BS and M values. */
typedef struct store_container {
    store_value v;
    uint32_t size;       /* DynamoDB size of the members (for M: names and values) */
} store_container;

/* An S value none of whose bytes JSON text must escape, found once when the
 * value is made so that every answer carrying it is a plain copy. */
#define STORE_FLAG_JSON_CLEAN 1

#define STORE_REFS_STATIC   UINT32_MAX
#define STORE_REFS_EMBEDDED 0x80000000u   /* low bits: distance to the block, in 4-byte units */

/* Limits DynamoDB enforces on values. */
#define STORE_MAX_ITEM_SIZE      (400 * 1024)
#define STORE_MAX_PARTITION_KEY  2048
#define STORE_MAX_SORT_KEY       1024
#define STORE_MAX_DEPTH          32
#define STORE_MAX_NAME_LEN       65535

/* An attribute name's length, wherever a request names one (items, update
 * and projection paths, legacy parameters), and the one refusal of it. */
static inline bool store_name_length_ok(size_t len) { return len >= 1 && len <= STORE_MAX_NAME_LEN; }
#define STORE_NAME_LENGTH_MESSAGE "One or more parameter values were invalid: Attribute name must be 1 to 65535 bytes long"

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
/* Releases the names and values of n entries (a map abandoned half-built). */
void store_entries_release(store_entry *entries, size_t n);
/* Sorts the entries by name; a later duplicate name replaces an earlier one. */
store_value *store_value_map(store_entry *entries, size_t n);
/* An interned S value for an attribute name (shared across the process). */
store_value *store_name(const char *name, size_t len);

/* The value whose count stands for v: itself, or the map block it is embedded in. */
static inline store_value *store_owner(store_value *v)
{
    uint32_t r = __atomic_load_n(&v->refs, __ATOMIC_RELAXED); /* counts are shared across databases */
    if (r == STORE_REFS_STATIC || !(r & STORE_REFS_EMBEDDED)) return v;
    return (store_value *)((char *)v - ((size_t)(r & ~STORE_REFS_EMBEDDED) << 2));
}

static inline store_value *store_retain(store_value *v)
{
    if (!v) return v;
    store_value *o = store_owner(v);
    if (__atomic_load_n(&o->refs, __ATOMIC_RELAXED) != STORE_REFS_STATIC) __atomic_add_fetch(&o->refs, 1, __ATOMIC_RELAXED);
    return v;
}
void store_release(store_value *v);

/* Payload access. */
static inline const char *store_bytes(const store_value *v) { return (const char *)(v + 1); }
static inline store_value *const *store_elems(const store_value *v)
{
    return (store_value *const *)((const store_container *)v + 1);
}
static inline const store_entry *store_entries(const store_value *v)
{
    return (const store_entry *)((const store_container *)v + 1);
}

/* The entry of a map by a name value: interned names are found by pointer
 * first (no byte comparison), then by store_map_get. */
store_value *store_map_get_name(const store_value *m, const store_value *name);
/* The position of a name among a map's (sorted) entries, or -1. O(log n). */
long store_map_index(const store_value *m, const char *name, size_t len);
/* The entry of a map (or item) by name, NULL if absent. O(log n). */
store_value *store_map_get(const store_value *m, const char *name, size_t len);

/* Orders two scalars of one type: bytes for S/B, numeric for N. */
int store_scalar_compare(const store_value *a, const store_value *b);
bool store_value_equal(const store_value *a, const store_value *b);

/* Whether every attribute of an item nests at most STORE_MAX_DEPTH levels
 * (an attribute's own value being level 1), as the codec requires of input;
 * updates can build deeper values, so they are checked with this. */
bool store_item_within_depth(const store_value *item);

/* DynamoDB's size of a value (not counting its attribute name). */
size_t store_value_size(const store_value *v);
/* The size of an item (an M value): names plus values. */
static inline size_t store_item_size(const store_value *item) { return ((const store_container *)item)->size; }

#endif
