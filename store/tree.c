/* store/tree.c — the persistent treap behind every table and index. */
#include "store/tree.h"

#include <stdlib.h>
#include <string.h>

struct store_node {
    uint32_t refs;
    uint32_t prio;             /* treap priority, a hash of the key: shapes are deterministic */
    uint32_t hash;             /* partition key hash, the first part of the order */
    uint32_t pad_;
    store_node *left, *right;
    store_value *item;
};

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

static const store_value *key_attr(const store_value *item, const store_value *name)
{
    return name ? store_map_get(item, store_bytes(name), name->len) : NULL;
}

store_key store_item_key(const store_tree *t, const store_value *item)
{
    store_key k = {0, key_attr(item, t->keys->pk_name), key_attr(item, t->keys->sk_name), 0};
    k.hash = store_key_hash(k.pk);
    return k;
}

static int compare_key(const store_tree *t, const store_key *k, const store_node *n)
{
    if (k->hash != n->hash) return k->hash < n->hash ? -1 : 1;
    if (!k->pk) return -1;
    int c = store_scalar_compare(k->pk, key_attr(n->item, t->keys->pk_name));
    if (c || !t->keys->sk_name) return c;
    if (k->sk_bound) return k->sk_bound;
    return store_scalar_compare(k->sk, key_attr(n->item, t->keys->sk_name));
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
    store_node *copy = malloc(sizeof *copy);
    if (!copy) abort(); /* a copy of a few dozen bytes; treated like a failed stack growth */
    *copy = *n;
    copy->refs = 1;
    node_retain(copy->left);
    node_retain(copy->right);
    store_retain(copy->item);
    node_release(n); /* shared, so this only drops our reference */
    return copy;
}

store_value *store_tree_get(const store_tree *t, const store_key *key)
{
    const store_node *n = t->root;
    while (n) {
        int c = compare_key(t, key, n);
        if (c == 0) return n->item;
        n = c < 0 ? n->left : n->right;
    }
    return NULL;
}

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

static store_node *insert(const store_tree *t, store_node *at, store_node *n, const store_key *k,
                          store_value **replaced)
{
    if (!at) return n;
    at = unique(at);
    int c = compare_key(t, k, at);
    if (c == 0) {
        *replaced = at->item;
        at->item = n->item;
        free(n);
        return at;
    }
    if (c < 0) {
        at->left = insert(t, at->left, n, k, replaced);
        if (at->left->prio > at->prio) at = rotate_right(at);
    } else {
        at->right = insert(t, at->right, n, k, replaced);
        if (at->right->prio > at->prio) at = rotate_left(at);
    }
    return at;
}

bool store_tree_put(store_tree *t, store_value *item, store_value **replaced)
{
    store_node *n = malloc(sizeof *n);
    if (!n) return false;
    store_key k = store_item_key(t, item);
    const store_value *sk = k.sk;
    n->refs = 1;
    n->hash = k.hash;
    n->prio = mix32(k.hash ^ (sk ? fnv1a(0x9e3779b9u, store_bytes(sk), sk->len) : 0x9e3779b9u));
    n->pad_ = 0;
    n->left = n->right = NULL;
    n->item = item;
    *replaced = NULL;
    t->root = insert(t, t->root, n, &k, replaced);
    t->bytes += store_item_size(item);
    if (*replaced) t->bytes -= store_item_size(*replaced);
    else t->count++;
    return true;
}

static store_node *merge(store_node *a, store_node *b)
{
    if (!a) return b;
    if (!b) return a;
    if (a->prio > b->prio) {
        a = unique(a);
        a->right = merge(a->right, b);
        return a;
    }
    b = unique(b);
    b->left = merge(a, b->left);
    return b;
}

static store_node *remove_node(const store_tree *t, store_node *at, const store_key *k, store_value **removed)
{
    at = unique(at);
    int c = compare_key(t, k, at);
    if (c < 0) { at->left = remove_node(t, at->left, k, removed); return at; }
    if (c > 0) { at->right = remove_node(t, at->right, k, removed); return at; }
    *removed = at->item;
    store_node *joined = merge(at->left, at->right);
    free(at);
    return joined;
}

store_value *store_tree_remove(store_tree *t, const store_key *key)
{
    store_value *item = store_tree_get(t, key);
    if (!item) return NULL;
    store_value *removed = NULL;
    t->root = remove_node(t, t->root, key, &removed);
    t->count--;
    t->bytes -= store_item_size(removed);
    return removed;
}

store_tree store_tree_share(const store_tree *t)
{
    node_retain(t->root);
    return *t;
}

void store_tree_clear(store_tree *t)
{
    node_release(t->root);
    t->root = NULL;
    t->count = 0;
    t->bytes = 0;
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

void store_cursor_open(store_cursor *c, const store_tree *t, const store_key *key, store_seek how)
{
    c->tree = t;
    c->backwards = how == STORE_SEEK_LE || how == STORE_SEEK_LT;
    c->depth = 0;
    c->cap = sizeof c->inline_stack / sizeof c->inline_stack[0];
    c->stack = c->inline_stack;
    for (store_node *n = t->root; n;) {
        int cmp = key ? compare_key(t, key, n) : (c->backwards ? 1 : -1);
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

store_value *store_cursor_next(store_cursor *c)
{
    if (c->depth == 0) return NULL;
    store_node *n = c->stack[--c->depth];
    for (store_node *m = c->backwards ? n->left : n->right; m; m = c->backwards ? m->right : m->left)
        push(c, m);
    return n->item;
}

void store_cursor_close(store_cursor *c)
{
    if (c->stack != c->inline_stack) free(c->stack);
    c->stack = c->inline_stack;
    c->depth = 0;
}
