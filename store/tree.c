/* store/tree.c — the bucket directory and persistent treaps behind every table and index. */
#include "store/tree.h"

#include "store/number.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* 40 bytes, a 48-byte malloc chunk. A descent reads only nodes until its
 * match: the hash decides between partitions, the sort key's abbreviation
 * within one. The treap priority is not stored but derived from the item's
 * key (prio_of), which only writes need. */
struct store_node {
    uint32_t refs;
    uint32_t hash;             /* partition key hash, the first part of the order */
    uint64_t sk_abbrev;        /* order-keeping abbreviation of the sort key (abbreviate) */
    store_node *left, *right;
    store_value *item;
};

/* ------------------------------------------------------ the write reserve
 *
 * A write cannot stop halfway: once a treap path is copied or rotated, the
 * old shape is gone. So past its first step, a write's blocks come from
 * malloc or, when malloc fails, from a reserve set aside before the write
 * began (store_write_reserve): node copies, a directory copy or doubling,
 * the list of colliding hashes. The reserve is refilled before each write;
 * only a write that exhausts it (thousands of node copies into a machine
 * already out of memory) still aborts. */
#define RESERVE_NODES 4096   /* 190 KB: a path copy in every tree of a 100-action transaction */
#define RESERVE_MIN_NODES 512 /* fewer left: the next write is refused before it starts */
#define RESERVE_DIRS 2        /* a directory copy and a doubling, each at the largest size */

static pthread_mutex_t reserve_lock = PTHREAD_MUTEX_INITIALIZER;
static void *reserve_nodes[RESERVE_NODES];
static size_t n_reserve_nodes;
static void *reserve_dirs[RESERVE_DIRS];
static size_t n_reserve_dirs;

static size_t largest_dir_block(void);

/* A block of size bytes (a node, or a directory up to its largest size) for a write in progress. */
static void *write_alloc(size_t size, bool is_dir)
{
    void *p = malloc(size);
    if (p) return p;
    pthread_mutex_lock(&reserve_lock);
    if (is_dir) p = n_reserve_dirs ? reserve_dirs[--n_reserve_dirs] : NULL;
    else p = n_reserve_nodes ? reserve_nodes[--n_reserve_nodes] : NULL;
    pthread_mutex_unlock(&reserve_lock);
    if (!p) abort(); /* the reserve is spent: nothing left to finish the write with */
    return p;
}

bool store_write_reserve(void)
{
    if (__atomic_load_n(&n_reserve_nodes, __ATOMIC_RELAXED) == RESERVE_NODES &&
        __atomic_load_n(&n_reserve_dirs, __ATOMIC_RELAXED) == RESERVE_DIRS)
        return true;
    pthread_mutex_lock(&reserve_lock);
    while (n_reserve_nodes < RESERVE_NODES && (reserve_nodes[n_reserve_nodes] = malloc(sizeof(store_node))))
        n_reserve_nodes++;
    while (n_reserve_dirs < RESERVE_DIRS && (reserve_dirs[n_reserve_dirs] = malloc(largest_dir_block())))
        n_reserve_dirs++;
    bool enough = n_reserve_nodes >= RESERVE_MIN_NODES && n_reserve_dirs == RESERVE_DIRS;
    pthread_mutex_unlock(&reserve_lock);
    return enough;
}

static uint32_t mix32(uint32_t h)
{
    h ^= h >> 16; h *= 0x85ebca6bu;
    h ^= h >> 13; h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

static uint32_t fnv1a(uint32_t h, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) { h ^= (unsigned char)p[i]; h *= 16777619u; }
    return h;
}

uint32_t store_key_hash(const store_value *pk)
{
    uint32_t h = fnv1a(2166136261u, (const char *)&pk->type, 1);
    return mix32(fnv1a(h, store_bytes(pk), pk->len));
}

uint32_t store_key_hash_parts(const store_value *pk, const store_value *const *more, size_t n)
{
    uint32_t h = store_key_hash(pk);
    for (size_t i = 0; i < n; i++) h = mix32(h * 31u + store_key_hash(more[i]));
    return h;
}

static const store_value *key_attr(const store_value *item, const store_value *name)
{
    return name ? store_map_get_name(item, name) : NULL;
}

store_key store_item_key(const store_tree *t, const store_value *item)
{
    const store_tree_keys *tk = t->keys;
    store_key k = {0, key_attr(item, tk->pk_name), key_attr(item, tk->sk_name), 0, {0}, {0}, tk->n_sk_more};
    for (uint8_t i = 0; i < tk->n_pk_more; i++) k.pk_more[i] = key_attr(item, tk->pk_more[i]);
    for (uint8_t i = 0; i < tk->n_sk_more; i++) k.sk_more[i] = key_attr(item, tk->sk_more[i]);
    k.hash = t->by_value ? 0 : store_key_hash_parts(k.pk, k.pk_more, tk->n_pk_more);
    return k;
}

store_key store_partition_key(const store_tree *t, const store_value *pk)
{
    store_key k = {0, pk, NULL, 0, {0}, {0}, t->keys->n_sk_more};
    k.hash = t->by_value ? 0 : store_key_hash(pk);
    return k;
}

/* Orders equal keys by the table key of tie (an item); without one, a key
 * spans the whole run of equal keys. */
static int compare_tie(const store_tree *t, const store_value *tie, const store_node *n)
{
    if (!t->tiebreak || !tie) return 0;
    const store_tree_keys *tk = t->tiebreak;
    int c = store_scalar_compare(key_attr(tie, tk->pk_name), key_attr(n->item, tk->pk_name));
    if (c || !tk->sk_name) return c;
    return store_scalar_compare(key_attr(tie, tk->sk_name), key_attr(n->item, tk->sk_name));
}

/* A 64-bit abbreviation of a sort key that keeps its order: x < y implies
 * abbreviate(x) <= abbreviate(y), so unequal abbreviations decide a
 * comparison without reading the item. Strings and binaries keep their first
 * 8 bytes, numbers their sign, magnitude and first 16 digits. A tree's sort
 * keys all have one type (key attributes are typed), so one scheme per tree. */
static uint64_t abbreviate(const store_value *sk)
{
    if (!sk) return 0;
    if (sk->type == STORE_N) return store_number_abbrev(store_bytes(sk), sk->len);
    uint64_t a = 0;
    const unsigned char *p = (const unsigned char *)store_bytes(sk);
    for (size_t i = 0; i < 8; i++) a = a << 8 | (i < sk->len ? p[i] : 0);
    return a;
}

/* Whether a tree holds two partition keys of this hash (sorted, usually empty). */
static bool hash_collided(const store_tree *t, uint32_t hash)
{
    size_t lo = 0, hi = t->n_collided;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t->collided[mid] == hash) return true;
        if (t->collided[mid] < hash) lo = mid + 1; else hi = mid;
    }
    return false;
}

static void note_collision(store_tree *t, uint32_t hash)
{
    if (hash_collided(t, hash)) return;
    /* Grown by one (colliding hashes are rare), from the write reserve when
       malloc fails: a node's block holds ten, a directory's two thousand. */
    size_t bytes = (t->n_collided + 1) * sizeof(uint32_t);
    uint32_t *c = write_alloc(bytes, bytes > sizeof(store_node));
    if (t->n_collided) memcpy(c, t->collided, t->n_collided * sizeof *c);
    free(t->collided);
    size_t i = t->n_collided;
    for (; i > 0 && c[i - 1] > hash; i--) c[i] = c[i - 1];
    c[i] = hash;
    t->collided = c;
    t->n_collided++;
}

/* A key being looked for, with what the descent has learnt of it.
 *
 * Within one hash, all nodes carry one partition key unless the hash is in
 * the tree's collided list. So the first node of the key's hash met on the
 * way settles the partition key for the whole descent (PK_SAME: equal, no
 * more reading of items for it; PK_EACH: compare at every node), and the
 * rest is decided by sort key abbreviations. A tree ordered by value has no
 * hash to lean on and compares at every node. */
typedef enum pk_state { PK_UNSETTLED, PK_SAME, PK_EACH } pk_state;

typedef struct probe {
    const store_key *key;
    const store_value *tie;
    uint64_t sk_abbrev;
    pk_state pk;
    bool met_other_pk;         /* the first node of the key's hash had another partition key */
} probe;

static probe probe_of(const store_tree *t, const store_key *key, const store_value *tie)
{
    bool each = t->by_value || hash_collided(t, key->hash);
    return (probe){key, tie, abbreviate(key->sk), each ? PK_EACH : PK_UNSETTLED, false};
}

/* The partition attributes after the first, in order (multi-attribute keys). */
static int compare_pk_more(const store_tree *t, const store_key *k, const store_value *item)
{
    int c = 0;
    for (uint8_t i = 0; i < t->keys->n_pk_more && !c; i++)
        c = store_scalar_compare(k->pk_more[i], key_attr(item, t->keys->pk_more[i]));
    return c;
}

static int compare_pk(const store_tree *t, probe *p, const store_node *n)
{
    if (p->pk == PK_SAME) return 0;
    int c = store_scalar_compare(p->key->pk, key_attr(n->item, t->keys->pk_name));
    if (!c && t->keys->n_pk_more) c = compare_pk_more(t, p->key, n->item);
    if (p->pk == PK_UNSETTLED) {
        p->pk = c ? PK_EACH : PK_SAME;
        p->met_other_pk = c != 0;
    }
    return c;
}

/* A key giving a leading part of a multi-attribute sort key compares only that part. */
static int compare_sk(const store_tree *t, const probe *p, const store_node *n)
{
    if (p->sk_abbrev != n->sk_abbrev) return p->sk_abbrev < n->sk_abbrev ? -1 : 1;
    int c = store_scalar_compare(p->key->sk, key_attr(n->item, t->keys->sk_name));
    for (uint8_t i = 0; i < p->key->n_sk_more && !c; i++)
        c = store_scalar_compare(p->key->sk_more[i], key_attr(n->item, t->keys->sk_more[i]));
    return c;
}

static int compare_key(const store_tree *t, probe *p, const store_node *n)
{
    const store_key *k = p->key;
    if (k->hash != n->hash) return k->hash < n->hash ? -1 : 1;
    if (!k->pk) return -1;
    int c = compare_pk(t, p, n);
    if (c) return c;
    /* Before/after the whole partition; with unique keys this is the same
     * answer as 0 would give, and with repeated keys it is the only right one. */
    if (k->sk_bound) return k->sk_bound;
    if (t->keys->sk_name && (c = compare_sk(t, p, n))) return c;
    return compare_tie(t, p->tie, n);
}

static uint32_t bytes_hash(uint32_t h, const store_value *v)
{
    return v ? fnv1a(h, store_bytes(v), v->len) : h;
}

/* The treap priority of a node: a hash of its whole key, so shapes are
 * deterministic and repeated keys still get distinct priorities (else the
 * treap degenerates into a list). */
static uint32_t prio_of(const store_tree *t, const store_node *n)
{
    const store_value *item = n->item;
    uint32_t h = bytes_hash(0x9e3779b9u, key_attr(item, t->keys->sk_name));
    if (t->by_value) h = bytes_hash(h, key_attr(item, t->keys->pk_name));
    if (t->tiebreak)
        h = bytes_hash(bytes_hash(h, key_attr(item, t->tiebreak->pk_name)), key_attr(item, t->tiebreak->sk_name));
    return mix32(n->hash ^ h);
}

/* Node counts are atomic: namespaces seeded from one fixture share nodes
 * while each is written under its own database lock. */
static void node_retain(store_node *n)
{
    if (n) __atomic_add_fetch(&n->refs, 1, __ATOMIC_RELAXED);
}

static void node_release(store_node *n)
{
    while (n && __atomic_sub_fetch(&n->refs, 1, __ATOMIC_ACQ_REL) == 0) {
        node_release(n->left);
        store_node *right = n->right;
        store_release(n->item);
        free(n);
        n = right; /* the right spine iteratively, to bound recursion */
    }
}

/* The node, writable: itself while unshared, else a private copy. */
static store_node *unique(store_node *n)
{
    if (__atomic_load_n(&n->refs, __ATOMIC_ACQUIRE) == 1) return n;
    store_node *copy = write_alloc(sizeof *copy, false);
    /* Field by field: refs may be changing under other databases' writers. */
    *copy = (store_node){1, n->hash, n->sk_abbrev, n->left, n->right, n->item};
    node_retain(copy->left);
    node_retain(copy->right);
    store_retain(copy->item);
    node_release(n); /* shared, so this only drops our reference */
    return copy;
}

/* The buckets of a tree. Bucket b holds the treap of the hashes whose top
 * `bits` bits are b, so the buckets in index order are the tree's order, and
 * a lookup goes straight to the treap of a few items its hash selects. The
 * directory doubles when the items outnumber DIR_LOAD per bucket; snapshots
 * share it (refs) and the first write after one copies it. */
struct store_dir {
    uint32_t refs;
    uint32_t bits;
    store_node *roots[];
};

#define DIR_LOAD 8          /* items per bucket before the directory doubles */
/* 1,024 buckets at most: the first write after a snapshot copies the
 * directory and takes a reference to every bucket's root, so its size bounds
 * that cost (a few µs). Past 8,192 items the buckets fill up instead, and a
 * lookup is about 14 levels (1.39 log2 1,024) shorter than in one treap of
 * the whole table. The directory never shrinks: an emptied table keeps its
 * buckets, which a Scan steps over. */
#define DIR_MAX_BITS 10

static size_t dir_buckets(const store_dir *d) { return (size_t)1 << d->bits; }

static size_t dir_block_size(uint32_t bits) { return sizeof(store_dir) + ((size_t)1 << bits) * sizeof(store_node *); }
static size_t largest_dir_block(void) { return dir_block_size(DIR_MAX_BITS); }

static size_t bucket_of(const store_dir *d, uint32_t hash)
{
    return d->bits ? hash >> (32 - d->bits) : 0;
}

static store_node *root_of(const store_tree *t, uint32_t hash)
{
    return t->dir ? t->dir->roots[bucket_of(t->dir, hash)] : NULL;
}

static store_dir *dir_new(uint32_t bits)
{
    store_dir *d = write_alloc(dir_block_size(bits), true);
    memset(d, 0, dir_block_size(bits));
    d->refs = 1;
    d->bits = bits;
    return d;
}

static void dir_release(store_dir *d)
{
    if (!d || __atomic_sub_fetch(&d->refs, 1, __ATOMIC_ACQ_REL) != 0) return;
    for (size_t b = 0; b < dir_buckets(d); b++) node_release(d->roots[b]);
    free(d);
}

/* The directory of t, writable: its own, or a copy while shared. */
static store_dir *writable_dir(store_tree *t)
{
    store_dir *d = t->dir;
    if (!d) return t->dir = dir_new(0);
    if (__atomic_load_n(&d->refs, __ATOMIC_ACQUIRE) == 1) return d;
    store_dir *copy = dir_new(d->bits);
    for (size_t b = 0; b < dir_buckets(d); b++) node_retain(copy->roots[b] = d->roots[b]);
    dir_release(d);
    return t->dir = copy;
}

/* Splits a treap into the hashes below `hash` and the rest; heap order holds in both. */
static void split_at_hash(store_node *n, uint32_t hash, store_node **lo, store_node **hi)
{
    if (!n) { *lo = *hi = NULL; return; }
    n = unique(n);
    if (n->hash < hash) {
        split_at_hash(n->right, hash, &n->right, hi);
        *lo = n;
    } else {
        split_at_hash(n->left, hash, lo, &n->left);
        *hi = n;
    }
}

/* Doubles the directory of t (writable) by splitting each bucket in two. */
static void grow_dir(store_tree *t)
{
    store_dir *old = t->dir, *d = dir_new(old->bits + 1);
    for (size_t b = 0; b < dir_buckets(old); b++) {
        uint32_t half = (uint32_t)((2 * b + 1) << (32 - d->bits));
        split_at_hash(old->roots[b], half, &d->roots[2 * b], &d->roots[2 * b + 1]);
    }
    free(old); /* its roots moved into d */
    t->dir = d;
}

static void maybe_grow_dir(store_tree *t)
{
    /* An order by value puts every item under hash 0: one bucket is all it can use. */
    if (!t->by_value && t->dir->bits < DIR_MAX_BITS && t->count > (size_t)DIR_LOAD << t->dir->bits) grow_dir(t);
}

/* An exact lookup wants no place between keys, only the match, so while the
 * partition key is unsettled it may steer by the sort key's abbreviation
 * alone: if the key's partition key is the one of its hash (one per hash, the
 * hash not being collided), that is compare_key's own answer; if not, no node
 * matches whichever way it goes. An item is then read only where the
 * abbreviations agree, usually the item found, not also the first of its
 * partition met on the way. */
static int compare_for_find(const store_tree *t, probe *p, const store_node *n)
{
    if (p->pk == PK_UNSETTLED && t->keys->sk_name && p->key->pk && !p->key->sk_bound && p->sk_abbrev != n->sk_abbrev)
        return p->sk_abbrev < n->sk_abbrev ? -1 : 1;
    return compare_key(t, p, n);
}

static store_value *find(const store_tree *t, const store_key *key, const store_value *tie)
{
    probe p = probe_of(t, key, tie);
    const store_node *n = root_of(t, key->hash);
    while (n) {
        /* Most levels differ in the hash: decided here, without a call. */
        if (key->hash != n->hash) {
            n = key->hash < n->hash ? n->left : n->right;
            continue;
        }
        int c = compare_for_find(t, &p, n);
        if (c == 0) return n->item;
        /* The hash's one partition key is another: the key is in no node. */
        if (p.met_other_pk) return NULL;
        n = c < 0 ? n->left : n->right;
    }
    return NULL;
}

store_value *store_tree_get(const store_tree *t, const store_key *key) { return find(t, key, NULL); }

static store_node *rotate_right(store_node *t)
{
    store_node *l = t->left;
    t->left = l->right;
    l->right = t;
    return l;
}

static store_node *rotate_left(store_node *t)
{
    store_node *r = t->right;
    t->right = r->left;
    r->left = t;
    return r;
}

/* An insertion in progress. The new node only rises by rotations, so a
 * level needs its priority check only when the node came up to the top of
 * the child subtree: everywhere else the heap order held before. */
typedef struct insertion {
    store_tree *tree;
    probe probe;
    store_node *node;          /* NULL once it replaced an item in place */
    uint32_t prio;
    store_value *replaced;
} insertion;

static bool rises_above(const insertion *in, const store_node *child, const store_node *at)
{
    return in->node && child == in->node && in->prio > prio_of(in->tree, at);
}

static store_node *insert(insertion *in, store_node *at)
{
    if (!at) return in->node;
    at = unique(at);
    int c = compare_key(in->tree, &in->probe, at);
    if (c == 0) {
        in->replaced = at->item;
        at->item = in->node->item;
        free(in->node);
        in->node = NULL;
        return at;
    }
    if (c < 0) {
        at->left = insert(in, at->left);
        if (rises_above(in, at->left, at)) at = rotate_right(at);
    } else {
        at->right = insert(in, at->right);
        if (rises_above(in, at->right, at)) at = rotate_left(at);
    }
    return at;
}

void store_tree_put(store_tree *t, store_value *item, store_value **replaced)
{
    store_node *n = write_alloc(sizeof *n, false);
    store_key k = store_item_key(t, item);
    *n = (store_node){1, k.hash, abbreviate(k.sk), NULL, NULL, item};
    insertion in = {t, probe_of(t, &k, item), n, prio_of(t, n), NULL};
    store_dir *d = writable_dir(t);
    store_node **root = &d->roots[bucket_of(d, k.hash)];
    *root = insert(&in, *root);
    /* The first node of this hash on the way had another partition key: from
     * now on, descents to this hash compare partition keys at every node. */
    if (in.probe.met_other_pk) note_collision(t, k.hash);
    *replaced = in.replaced;
    t->bytes += store_item_size(item);
    if (*replaced) t->bytes -= store_item_size(*replaced);
    else t->count++, maybe_grow_dir(t);
}

static store_node *merge(const store_tree *t, store_node *a, store_node *b)
{
    if (!a) return b;
    if (!b) return a;
    if (prio_of(t, a) > prio_of(t, b)) {
        a = unique(a);
        a->right = merge(t, a->right, b);
        return a;
    }
    b = unique(b);
    b->left = merge(t, a, b->left);
    return b;
}

static store_node *remove_node(const store_tree *t, probe *p, store_node *at, store_value **removed)
{
    at = unique(at);
    int c = compare_key(t, p, at);
    if (c < 0) { at->left = remove_node(t, p, at->left, removed); return at; }
    if (c > 0) { at->right = remove_node(t, p, at->right, removed); return at; }
    *removed = at->item;
    store_node *joined = merge(t, at->left, at->right);
    free(at);
    return joined;
}

static store_value *remove_exact(store_tree *t, const store_key *key, const store_value *tie)
{
    /* Looked for first: remove_node copies the shared nodes on its way down,
     * which for an absent key would copy a path for nothing. */
    if (!find(t, key, tie)) return NULL;
    store_value *removed = NULL;
    probe p = probe_of(t, key, tie);
    store_dir *d = writable_dir(t);
    store_node **root = &d->roots[bucket_of(d, key->hash)];
    *root = remove_node(t, &p, *root, &removed);
    t->count--;
    t->bytes -= store_item_size(removed);
    return removed;
}

store_value *store_tree_remove(store_tree *t, const store_key *key) { return remove_exact(t, key, NULL); }

store_value *store_tree_remove_item(store_tree *t, const store_value *item)
{
    store_key k = store_item_key(t, item);
    return remove_exact(t, &k, item);
}

bool store_tree_share(store_tree *dst, const store_tree *src)
{
    *dst = *src;
    dst->collided = NULL;
    if (src->n_collided) {
        dst->collided = malloc(src->n_collided * sizeof *dst->collided);
        if (!dst->collided) {
            memset(dst, 0, sizeof *dst);
            return false;
        }
        memcpy(dst->collided, src->collided, src->n_collided * sizeof *dst->collided);
    }
    if (src->dir) __atomic_add_fetch(&src->dir->refs, 1, __ATOMIC_RELAXED);
    return true;
}

void store_tree_clear(store_tree *t)
{
    dir_release(t->dir);
    t->dir = NULL;
    t->count = 0;
    t->bytes = 0;
    free(t->collided);
    t->collided = NULL;
    t->n_collided = 0;
}

static void push(store_cursor *c, store_node *n)
{
    if (c->depth == c->cap) {
        size_t cap = c->cap * 2;
        store_node **s = malloc(cap * sizeof *s);
        if (!s) abort();
        memcpy(s, c->stack, c->depth * sizeof *s);
        if (c->stack != c->inline_stack) free(c->stack);
        c->stack = s;
        c->cap = cap;
    }
    c->stack[c->depth++] = n;
}

/* Pushes the path to the first item at or after key in the cursor's
 * direction within one treap (key NULL: its first item). */
static void seek_in(store_cursor *c, store_node *n, const store_key *key, const store_value *tie, store_seek how)
{
    const store_tree *t = c->tree;
    probe p = key ? probe_of(t, key, tie) : (probe){0};
    while (n) {
        int cmp = key ? compare_key(t, &p, n) : (c->backwards ? 1 : -1);
        bool keep;
        switch (how) {
        case STORE_SEEK_GE: keep = cmp <= 0; break;
        case STORE_SEEK_GT: keep = cmp < 0; break;
        case STORE_SEEK_LE: keep = cmp >= 0; break;
        default: keep = cmp > 0; break;
        }
        if (keep) push(c, n);
        /* Forwards, a kept node sends us left to look for a smaller match. */
        n = (keep != c->backwards) ? n->left : n->right;
    }
}

static void open_at(store_cursor *c, const store_tree *t, const store_key *key, const store_value *tie, store_seek how)
{
    c->tree = t;
    c->backwards = how == STORE_SEEK_LE || how == STORE_SEEK_LT;
    c->depth = 0;
    c->cap = sizeof c->inline_stack / sizeof c->inline_stack[0];
    c->stack = c->inline_stack;
    c->bucket = 0;
    if (!t->dir) return;
    if (key) c->bucket = bucket_of(t->dir, key->hash);
    else if (c->backwards) c->bucket = dir_buckets(t->dir) - 1;
    seek_in(c, t->dir->roots[c->bucket], key, tie, how);
}
void store_cursor_open(store_cursor *c, const store_tree *t, const store_key *key, store_seek how)
{
    open_at(c, t, key, NULL, how);
}

void store_cursor_open_item(store_cursor *c, const store_tree *t, const store_value *item, store_seek how)
{
    store_key k = store_item_key(t, item);
    open_at(c, t, &k, item, how);
}

/* Moves an emptied stack on to the next bucket that has items; false at the end. */
static bool next_bucket(store_cursor *c)
{
    const store_dir *d = c->tree->dir;
    while (c->depth == 0) {
        if (!d || (c->backwards ? c->bucket == 0 : c->bucket + 1 >= dir_buckets(d))) return false;
        c->bucket += c->backwards ? (size_t)-1 : 1;
        seek_in(c, d->roots[c->bucket], NULL, NULL, c->backwards ? STORE_SEEK_LE : STORE_SEEK_GE);
    }
    return true;
}

static store_value *next_in_order(store_cursor *c)
{
    if (c->depth == 0 && !next_bucket(c)) return NULL;
    store_node *n = c->stack[--c->depth];
    c->hash = n->hash;
    for (store_node *m = c->backwards ? n->left : n->right; m; m = c->backwards ? m->right : m->left)
        push(c, m);
    return n->item;
}

store_value *store_cursor_next(store_cursor *c)
{
    const store_tree *t = c->tree;
    store_value *item;
    while ((item = next_in_order(c)) && t->hidden && t->hidden(t->hidden_arg, item)) {}
    return item;
}

bool store_tree_hash_unique(const store_tree *t, uint32_t hash)
{
    return !t->by_value && !hash_collided(t, hash);
}

void store_cursor_close(store_cursor *c)
{
    if (c->stack != c->inline_stack) free(c->stack);
    c->stack = c->inline_stack;
    c->depth = 0;
}
