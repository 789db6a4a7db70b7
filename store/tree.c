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
    return name ? store_map_get_name(item, name) : NULL;
}

store_key store_item_key(const store_tree *t, const store_value *item)
{
    store_key k = {0, key_attr(item, t->keys->pk_name), key_attr(item, t->keys->sk_name), 0};
    k.hash = t->by_value ? 0 : store_key_hash(k.pk);
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

static int compare_key(const store_tree *t, const store_key *k, const store_value *tie, const store_node *n)
{
    if (k->hash != n->hash) return k->hash < n->hash ? -1 : 1;
    if (!k->pk) return -1;
    int c = store_scalar_compare(k->pk, key_attr(n->item, t->keys->pk_name));
    if (c) return c;
    /* Before/after the whole partition; with unique keys this is the same
     * answer as 0 would give, and with repeated keys it is the only right one. */
    if (k->sk_bound) return k->sk_bound;
    if (t->keys->sk_name && (c = store_scalar_compare(k->sk, key_attr(n->item, t->keys->sk_name)))) return c;
    return compare_tie(t, tie, n);
}

static uint32_t bytes_hash(uint32_t h, const store_value *v)
{
    return v ? fnv1a(h, store_bytes(v), v->len) : h;
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
    /* Field by field: refs may be changing under other databases' writers. */
    *copy = (store_node){1, n->prio, n->hash, n->pad_, n->left, n->right, n->item};
    node_retain(copy->left);
    node_retain(copy->right);
    store_retain(copy->item);
    node_release(n); /* shared, so this only drops our reference */
    return copy;
}

static store_value *find(const store_tree *t, const store_key *key, const store_value *tie)
{
    const store_node *n = t->root;
    while (n) {
        int c = compare_key(t, key, tie, n);
        if (c == 0) return n->item;
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

static store_node *insert(const store_tree *t, store_node *at, store_node *n, const store_key *k,
                          store_value **replaced)
{
    if (!at) return n;
    at = unique(at);
    int c = compare_key(t, k, n->item, at);
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
    n->refs = 1;
    n->hash = k.hash;
    /* Repeated keys must still get distinct priorities, or the treap degenerates into a list. */
    uint32_t h = bytes_hash(0x9e3779b9u, k.sk);
    if (t->by_value) h = bytes_hash(h, k.pk);
    if (t->tiebreak)
        h = bytes_hash(bytes_hash(h, key_attr(item, t->tiebreak->pk_name)), key_attr(item, t->tiebreak->sk_name));
    n->prio = mix32(k.hash ^ h);
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

static store_node *remove_node(const store_tree *t, store_node *at, const store_key *k, const store_value *tie,
                               store_value **removed)
{
    at = unique(at);
    int c = compare_key(t, k, tie, at);
    if (c < 0) { at->left = remove_node(t, at->left, k, tie, removed); return at; }
    if (c > 0) { at->right = remove_node(t, at->right, k, tie, removed); return at; }
    *removed = at->item;
    store_node *joined = merge(at->left, at->right);
    free(at);
    return joined;
}

static store_value *remove_exact(store_tree *t, const store_key *key, const store_value *tie)
{
    if (!find(t, key, tie)) return NULL;
    store_value *removed = NULL;
    t->root = remove_node(t, t->root, key, tie, &removed);
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

static void open_at(store_cursor *c, const store_tree *t, const store_key *key, const store_value *tie, store_seek how)
{
    c->tree = t;
    c->backwards = how == STORE_SEEK_LE || how == STORE_SEEK_LT;
    c->depth = 0;
    c->cap = sizeof c->inline_stack / sizeof c->inline_stack[0];
    c->stack = c->inline_stack;
    for (store_node *n = t->root; n;) {
        int cmp = key ? compare_key(t, key, tie, n) : (c->backwards ? 1 : -1);
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

void store_cursor_open(store_cursor *c, const store_tree *t, const store_key *key, store_seek how)
{
    open_at(c, t, key, NULL, how);
}

void store_cursor_open_item(store_cursor *c, const store_tree *t, const store_value *item, store_seek how)
{
    store_key k = store_item_key(t, item);
    open_at(c, t, &k, item, how);
}

static store_value *next_in_order(store_cursor *c)
{
    if (c->depth == 0) return NULL;
    store_node *n = c->stack[--c->depth];
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

void store_cursor_close(store_cursor *c)
{
    if (c->stack != c->inline_stack) free(c->stack);
    c->stack = c->inline_stack;
    c->depth = 0;
}
