/* store/value.c — building, sharing, comparing and sizing attribute values. */
#include "store/value.h"
#include "store/json_clean.h"
#include "store/number.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "store/hash.h"

static const char *const type_names[] = {"S", "N", "B", "SS", "NS", "BS", "M", "L", "BOOL", "NULL"};

const char *store_type_name(store_type t) { return type_names[t]; }

int store_type_from_name(const char *name)
{
    for (int i = 0; i <= STORE_NULL; i++)
        if (strcmp(type_names[i], name) == 0) return i;
    return -1;
}

bool store_type_is_set(store_type t) { return t == STORE_SS || t == STORE_NS || t == STORE_BS; }

store_type store_set_element_type(store_type set)
{
    return set == STORE_SS ? STORE_S : set == STORE_NS ? STORE_N : STORE_B;
}

static store_value *alloc_scalar(store_type t, size_t len)
{
    store_value *v = malloc(sizeof *v + len + 1);
    if (!v) return NULL;
    v->refs = 1;
    v->type = t;
    v->flag = 0;
    v->pad_ = 0;
    v->len = (uint32_t)len;
    return v;
}

static store_container *alloc_container(store_type t, size_t count, size_t payload)
{
    store_container *c = malloc(sizeof *c + payload);
    if (!c) return NULL;
    c->v.refs = 1;
    c->v.type = t;
    c->v.flag = 0;
    c->v.len = (uint32_t)count;
    c->v.pad_ = 0;
    c->size = 0;
    return c;
}

store_value *store_value_bytes(store_type t, const char *bytes, size_t len)
{
    store_value *v = alloc_scalar(t, len);
    if (!v) return NULL;
    char *p = (char *)(v + 1);
    memcpy(p, bytes, len);
    p[len] = 0;
    if (t == STORE_S && store_json_clean_prefix(bytes, len) == len) v->flag = STORE_FLAG_JSON_CLEAN;
    return v;
}

static store_value true_value = {STORE_REFS_STATIC, STORE_BOOL, 1, 0, 0};
static store_value false_value = {STORE_REFS_STATIC, STORE_BOOL, 0, 0, 0};
static store_value null_value = {STORE_REFS_STATIC, STORE_NULL, 0, 0, 0};

store_value *store_value_bool(bool b) { return b ? &true_value : &false_value; }
store_value *store_value_null(void) { return &null_value; }

static void release_all(store_value **elems, size_t n)
{
    for (size_t i = 0; i < n; i++) store_release(elems[i]);
}

/* Lists and maps cost 3 bytes plus 1 a member beside their members. */
store_value *store_value_list(store_value **elems, size_t n)
{
    store_container *c = alloc_container(STORE_L, n, n * sizeof(store_value *));
    if (!c) { release_all(elems, n); return NULL; }
    size_t size = 3;
    for (size_t i = 0; i < n; i++) size += store_value_size(elems[i]) + 1;
    if (n) memcpy(c + 1, elems, n * sizeof(store_value *));
    c->size = (uint32_t)size;
    return &c->v;
}

static int compare_members(const void *a, const void *b)
{
    return store_scalar_compare(*(store_value *const *)a, *(store_value *const *)b);
}

store_value *store_value_set(store_type t, store_value **elems, size_t n, bool *duplicate)
{
    *duplicate = false;
    qsort(elems, n, sizeof *elems, compare_members);
    for (size_t i = 1; i < n; i++)
        if (store_scalar_compare(elems[i - 1], elems[i]) == 0) *duplicate = true;
    store_container *c = *duplicate ? NULL : alloc_container(t, n, n * sizeof(store_value *));
    if (!c) { release_all(elems, n); return NULL; }
    size_t size = 0;
    for (size_t i = 0; i < n; i++) size += store_value_size(elems[i]);
    if (n) memcpy(c + 1, elems, n * sizeof(store_value *));
    c->size = (uint32_t)size;
    return &c->v;
}

static int compare_names(const store_value *a, const store_value *b)
{
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(store_bytes(a), store_bytes(b), n);
    return c ? c : (a->len > b->len) - (a->len < b->len);
}

static int compare_entries(const void *a, const void *b)
{
    const store_entry *x = a, *y = b;
    int c = compare_names(x->name, y->name);
    /* Equal names keep their order so the later one wins below. */
    return c ? c : (x < y ? -1 : 1);
}

static bool is_scalar(const store_value *v) { return v->type == STORE_S || v->type == STORE_N || v->type == STORE_B; }

/* Bytes an embedded copy of a scalar takes in a map's block: its header
 * needs 4-byte alignment only, which saves a few bytes an attribute. */
static size_t embedded_size(const store_value *v) { return (sizeof *v + v->len + 1 + 3) & ~(size_t)3; }

/* Sorts, drops earlier duplicates; returns how many entries are kept. */
static size_t sort_entries(store_entry *entries, size_t n)
{
    qsort(entries, n, sizeof *entries, compare_entries);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (kept && compare_names(entries[kept - 1].name, entries[i].name) == 0) {
            store_release(entries[kept - 1].name);
            store_release(entries[kept - 1].value);
            entries[kept - 1] = entries[i];
        } else {
            entries[kept++] = entries[i];
        }
    }
    return kept;
}

/* Copies a scalar into the block at offset and releases the original. */
static store_value *embed(char *block, size_t offset, store_value *v)
{
    store_value *e = (store_value *)(block + offset);
    e->refs = STORE_REFS_EMBEDDED | (uint32_t)(offset >> 2);
    e->type = v->type;
    e->flag = v->flag;
    e->pad_ = 0;
    e->len = v->len;
    memcpy(e + 1, store_bytes(v), v->len + 1);
    store_release(v);
    return e;
}

void store_entries_release(store_entry *entries, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        store_release(entries[i].name);
        store_release(entries[i].value);
    }
}

store_value *store_value_map(store_entry *entries, size_t n)
{
    size_t kept = sort_entries(entries, n);
    size_t tail = 0;
    for (size_t i = 0; i < kept; i++)
        if (is_scalar(entries[i].value)) tail += embedded_size(entries[i].value);
    size_t head = kept * sizeof(store_entry);
    store_container *c = alloc_container(STORE_M, kept, head + tail);
    if (!c) {
        store_entries_release(entries, kept);
        return NULL;
    }
    store_entry *out = (store_entry *)(c + 1);
    size_t offset = sizeof *c + head, size = 0;
    for (size_t i = 0; i < kept; i++) {
        out[i] = entries[i];
        if (is_scalar(entries[i].value)) {
            size_t step = embedded_size(entries[i].value);
            out[i].value = embed((char *)c, offset, entries[i].value);
            offset += step;
        }
        size += out[i].name->len + store_value_size(out[i].value);
    }
    c->size = (uint32_t)size;
    return &c->v;
}

size_t store_value_size(const store_value *v)
{
    switch ((store_type)v->type) {
    case STORE_S: case STORE_B: return v->len;
    case STORE_N: return store_number_size(store_bytes(v), v->len);
    case STORE_BOOL: case STORE_NULL: return 1;
    case STORE_M: return 3 + ((const store_container *)v)->size + v->len;
    default: return ((const store_container *)v)->size;
    }
}

static bool within_depth(const store_value *v, int depth)
{
    if (depth > STORE_MAX_DEPTH) return false;
    if (v->type == STORE_L) {
        for (uint32_t i = 0; i < v->len; i++)
            if (!within_depth(store_elems(v)[i], depth + 1)) return false;
    } else if (v->type == STORE_M) {
        for (uint32_t i = 0; i < v->len; i++)
            if (!within_depth(store_entries(v)[i].value, depth + 1)) return false;
    }
    return true;
}

bool store_item_within_depth(const store_value *item)
{
    for (uint32_t i = 0; i < item->len; i++)
        if (!within_depth(store_entries(item)[i].value, 1)) return false;
    return true;
}

/* Frees a value whose count reached zero, and releases what it holds. */
static void free_value(store_value *v)
{
    if (v->type == STORE_L || store_type_is_set(v->type)) {
        for (uint32_t i = 0; i < v->len; i++) store_release(store_elems(v)[i]);
    } else if (v->type == STORE_M) {
        for (uint32_t i = 0; i < v->len; i++) {
            const store_entry *e = &store_entries(v)[i];
            store_release(e->name);
            if (store_owner(e->value) != v) store_release(e->value); /* embedded ones go with the block */
        }
    }
    free(v);
}

void store_release(store_value *v)
{
    if (!v) return;
    store_value *o = store_owner(v);
    if (__atomic_load_n(&o->refs, __ATOMIC_RELAXED) == STORE_REFS_STATIC) return;
    if (__atomic_sub_fetch(&o->refs, 1, __ATOMIC_ACQ_REL) == 0) free_value(o);
}

store_value *store_map_get_name(const store_value *m, const store_value *name)
{
    const store_entry *e = store_entries(m);
    for (uint32_t i = 0; i < m->len; i++)
        if (e[i].name == name) return e[i].value;
    return store_map_get(m, store_bytes(name), name->len);
}

long store_map_index(const store_value *m, const char *name, size_t len)
{
    const store_entry *e = store_entries(m);
    size_t lo = 0, hi = m->len;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const store_value *k = e[mid].name;
        size_t n = k->len < len ? k->len : len;
        int c = memcmp(store_bytes(k), name, n);
        if (!c) c = (k->len > len) - (k->len < len);
        if (c == 0) return (long)mid;
        if (c < 0) lo = mid + 1; else hi = mid;
    }
    return -1;
}

store_value *store_map_get(const store_value *m, const char *name, size_t len)
{
    long i = store_map_index(m, name, len);
    return i < 0 ? NULL : store_entries(m)[i].value;
}

int store_scalar_compare(const store_value *a, const store_value *b)
{
    if (a->type == STORE_N) return store_number_compare(store_bytes(a), a->len, store_bytes(b), b->len);
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(store_bytes(a), store_bytes(b), n);
    if (c) return c < 0 ? -1 : 1;
    return (a->len > b->len) - (a->len < b->len);
}

bool store_value_equal(const store_value *a, const store_value *b)
{
    if (a == b) return true;
    if (a->type != b->type || a->len != b->len) return false;
    switch (a->type) {
    case STORE_S: case STORE_B: case STORE_N:
        return memcmp(store_bytes(a), store_bytes(b), a->len) == 0;
    case STORE_BOOL: return a->flag == b->flag;
    case STORE_NULL: return true;
    case STORE_M:
        for (uint32_t i = 0; i < a->len; i++) {
            const store_entry *x = &store_entries(a)[i], *y = &store_entries(b)[i];
            if (!store_value_equal(x->name, y->name) || !store_value_equal(x->value, y->value)) return false;
        }
        return true;
    default: /* L and the sets (kept sorted, so equal sets are equal lists) */
        for (uint32_t i = 0; i < a->len; i++)
            if (!store_value_equal(store_elems(a)[i], store_elems(b)[i])) return false;
        return true;
    }
}

/* Attribute names are interned: items of one table share their name strings.
 * The table is bounded so a stream of distinct names cannot grow it forever. */
#define STORE_MAX_INTERNED_NAMES 65536
#define STORE_MAX_INTERNED_LEN   255

typedef struct interned {
    store_value *name;
    UT_hash_handle hh;
} interned;

static interned *interned_names;
static unsigned interned_count;
/* Names are looked up by every request's decoding, on every worker, and added
 * rarely: readers share the lock, an addition takes it alone. */
static pthread_rwlock_t intern_lock = PTHREAD_RWLOCK_INITIALIZER;

static store_value *find_interned(const char *name, size_t len)
{
    interned *found;
    HASH_FIND(hh, interned_names, name, len, found);
    return found ? found->name : NULL;
}

/* Adds the name (the write lock held); NULL when the table is full or memory is out. */
static store_value *add_interned(const char *name, size_t len)
{
    interned *entry = interned_count < STORE_MAX_INTERNED_NAMES ? malloc(sizeof *entry) : NULL;
    store_value *v = entry ? store_value_bytes(STORE_S, name, len) : NULL;
    if (!v) {
        free(entry);
        return NULL;
    }
    v->refs = STORE_REFS_STATIC; /* pinned: never freed */
    entry->name = v;
    HASH_ADD_KEYPTR(hh, interned_names, store_bytes(v), len, entry);
    if (!STORE_HASH_ADDED(entry)) {
        free(v); /* pinned, so never released: freed as allocated */
        free(entry);
        return NULL;
    }
    interned_count++;
    return v;
}

/* Each thread remembers the interned names it met last, so the usual lookup
 * takes no lock: even a shared lock writes its reader count, and that line
 * would move between the cores of workers decoding at the same time.
 * Interned names are never freed, so a remembered one stays valid. */
#define NAME_CACHE_SLOTS 64
static _Thread_local store_value *name_cache[NAME_CACHE_SLOTS];

static store_value **name_cache_slot(const char *name, size_t len)
{
    uint32_t h = 2166136261u; /* FNV-1a: names are short */
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)name[i]) * 16777619u;
    return &name_cache[h % NAME_CACHE_SLOTS];
}

store_value *store_name(const char *name, size_t len)
{
    if (len > STORE_MAX_INTERNED_LEN) return store_value_bytes(STORE_S, name, len);
    store_value **slot = name_cache_slot(name, len);
    store_value *v = *slot;
    if (v && v->len == len && memcmp(store_bytes(v), name, len) == 0) return v;
    pthread_rwlock_rdlock(&intern_lock);
    v = find_interned(name, len);
    pthread_rwlock_unlock(&intern_lock);
    if (v) return *slot = v;
    pthread_rwlock_wrlock(&intern_lock);
    v = find_interned(name, len); /* another worker may have added it meanwhile */
    if (!v) v = add_interned(name, len);
    pthread_rwlock_unlock(&intern_lock);
    if (v) *slot = v;
    return v ? v : store_value_bytes(STORE_S, name, len);
}
