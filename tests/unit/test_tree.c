/* tests/unit/test_tree.c — the ordered item index (store/tree.h): lookups,
 * replacement, counts and bytes, the order Query and Scan walk, cursors,
 * snapshots, and a long random run checked against a simple model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/tree.h"

/* ---------------------------------------------------------------- helpers */

typedef struct fixture {
    store_tree_keys keys;      /* pk (S) and sk (N) */
    store_tree_keys hash_only; /* pk (S) only */
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->keys.pk_name = store_name("pk", 2);
    f->keys.sk_name = store_name("sk", 2);
    f->hash_only.pk_name = f->keys.pk_name;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    store_release(f->keys.pk_name);
    store_release(f->keys.sk_name);
    free(f);
    return 0;
}

static store_tree new_tree(const store_tree_keys *keys)
{
    store_tree t = {.keys = keys};
    return t;
}

static store_value *S(const char *s) { return store_value_bytes(STORE_S, s, strlen(s)); }
static store_value *N(const char *s) { return store_value_bytes(STORE_N, s, strlen(s)); }

/* An item {pk: S, sk: N, v: S}; sk or v NULL leaves the attribute out. */
static store_value *item(const char *pk, const char *sk, const char *v)
{
    store_entry e[3];
    size_t n = 0;
    e[n++] = (store_entry){store_name("pk", 2), S(pk)};
    if (sk) e[n++] = (store_entry){store_name("sk", 2), N(sk)};
    if (v) e[n++] = (store_entry){store_name("v", 1), S(v)};
    return store_value_map(e, n);
}

static const char *attr(const store_value *it, const char *name)
{
    const store_value *v = it ? store_map_get(it, name, strlen(name)) : NULL;
    return v ? store_bytes(v) : NULL;
}

static void put(store_tree *t, store_value *it)
{
    store_value *old = (store_value *)1;
    store_tree_put(t, it, &old);
    store_release(old);
}

/* The item with key (pk, sk), or NULL. */
static store_value *get(const store_tree *t, const char *pk, const char *sk)
{
    store_value *k = item(pk, sk, NULL);
    store_key key = store_item_key(t, k);
    store_value *found = store_tree_get(t, &key);
    store_release(k);
    return found;
}

static store_value *take(store_tree *t, const char *pk, const char *sk)
{
    store_value *k = item(pk, sk, NULL);
    store_key key = store_item_key(t, k);
    store_value *removed = store_tree_remove(t, &key);
    store_release(k);
    return removed;
}

/* Walks from a seek and writes "pk/sk" of each item, space-separated. */
static void walk(const store_tree *t, const char *pk, const char *sk, int bound, store_seek how, char *out, size_t cap)
{
    store_value *k = pk ? item(pk, sk, NULL) : NULL;
    store_key key = {0};
    if (k) {
        key = store_item_key(t, k);
        key.sk_bound = bound;
    }
    store_cursor c;
    store_cursor_open(&c, t, k ? &key : NULL, how);
    size_t off = 0;
    out[0] = 0;
    store_value *it;
    while ((it = store_cursor_next(&c))) {
        const char *s = attr(it, "sk");
        int n = snprintf(out + off, cap - off, "%s%s%s%s", off ? " " : "", attr(it, "pk"), s ? "/" : "", s ? s : "");
        if (n < 0 || (size_t)n >= cap - off) break;
        off += (size_t)n;
    }
    store_cursor_close(&c);
    store_release(k);
}

/* One partition of a tree with items sk 10, 20, 30 (and v = "p:sk"). */
static void fill_partition(store_tree *t, const char *pk)
{
    static const char *const sks[] = {"30", "10", "20"};
    for (int i = 0; i < 3; i++) {
        char v[64];
        snprintf(v, sizeof v, "%s:%s", pk, sks[i]);
        put(t, item(pk, sks[i], v));
    }
}

/* ---------------------------------------------------------- put/get/remove */

static void put_item_is_found_by_its_key(void **state)
{
    fixture *f = *state;
    store_tree t = new_tree(&f->keys);
    put(&t, item("a", "1", "one"));
    put(&t, item("a", "2", "two"));
    put(&t, item("b", "1", "other"));
    assert_string_equal(attr(get(&t, "a", "1"), "v"), "one");
    assert_string_equal(attr(get(&t, "a", "2"), "v"), "two");
    assert_string_equal(attr(get(&t, "b", "1"), "v"), "other");
    store_tree_clear(&t);
}

static void absent_keys_are_not_found(void **state)
{
    fixture *f = *state;
    store_tree t = new_tree(&f->keys);
    assert_null(get(&t, "a", "1"));
    put(&t, item("a", "1", "one"));
    assert_null(get(&t, "a", "2"));
    assert_null(get(&t, "b", "1"));
    assert_null(get(&t, "A", "1"));
    store_tree_clear(&t);
}

static void first_put_replaces_nothing(void **state)
{
    fixture *f = *state;
    store_tree t = new_tree(&f->keys);
    store_value *old = (store_value *)1;
    store_tree_put(&t, item("a", "1", "x"), &old);
    assert_null(old);
    store_tree_clear(&t);
}

static void put_with_the_same_key_returns_the_old_item(void **state)
{
    fixture *f = *state;
    store_tree t = new_tree(&f->keys);
    store_value *first = item("a", "1", "first");
    put(&t, first);
    store_value *old = NULL;
    store_tree_put(&t, item("a", "1", "second"), &old);
    assert_ptr_equal(old, first);
    assert_string_equal(attr(old, "v"), "first");
    store_release(old);
    assert_string_equal(attr(get(&t, "a", "1"), "v"), "second");
    assert_int_equal(t.count, 1);
    store_tree_clear(&t);
}

static void remove_returns_the_item_and_forgets_it(void **state)
{
    fixture *f = *state;
    store_tree t = new_tree(&f->keys);
    put(&t, item("a", "1", "x"));
    put(&t, item("a", "2", "y"));
    store_value *gone = take(&t, "a", "1");
    assert_non_null(gone);
    assert_string_equal(attr(gone, "v"), "x");
    store_release(gone);
    assert_null(get(&t, "a", "1"));
    assert_non_null(get(&t, "a", "2"));
    assert_int_equal(t.count, 1);
    store_tree_clear(&t);
}

static void removing_an_absent_key_changes_nothing(void **state)
{
    fixture *f = *state;
    store_tree t = new_tree(&f->keys);
    assert_null(take(&t, "a", "1"));
    put(&t, item("a", "1", "x"));
    size_t bytes = t.bytes;
    assert_null(take(&t, "a", "2"));
    assert_null(take(&t, "b", "1"));
    assert_int_equal(t.count, 1);
    assert_int_equal(t.bytes, bytes);
    store_tree_clear(&t);
}

static void count_and_bytes_follow_every_write(void **state)
{
    fixture *f = *state;
    store_tree t = new_tree(&f->keys);
    store_value *a = item("a", "1", "xx"), *b = item("b", "1", "yyyy");
    size_t sa = store_item_size(a), sb = store_item_size(b);
    put(&t, a);
    put(&t, b);
    assert_int_equal(t.count, 2);
    assert_int_equal(t.bytes, sa + sb);
    store_value *c = item("a", "1", "zzzzzzzz");
    size_t sc = store_item_size(c);
    put(&t, c);
    assert_int_equal(t.count, 2);
    assert_int_equal(t.bytes, sc + sb);
    store_release(take(&t, "b", "1"));
    assert_int_equal(t.count, 1);
    assert_int_equal(t.bytes, sc);
    store_tree_clear(&t);
    assert_int_equal(t.count, 0);
    assert_int_equal(t.bytes, 0);
    assert_null(t.dir);
}

/* ------------------------------------------------------------------ order */

static void partition_items_are_adjacent_and_ascending(void **state)
{
    fixture *f = *state;
    store_tree t = new_tree(&f->keys);
    static const char *const pks[] = {"p", "q", "r", "s", "t"};
    /* Interleaved insertion: partitions must still come out grouped. */
    for (int sk = 9; sk >= 0; sk--)
        for (int p = 0; p < 5; p++) {
            char s[16];
            snprintf(s, sizeof s, "%d", sk);
            put(&t, item(pks[p], s, NULL));
        }
    store_cursor c;
    store_cursor_open(&c, &t, NULL, STORE_SEEK_GE);
    const char *prev_pk = NULL;
    int prev_sk = -1, partitions = 0, total = 0;
    store_value *it;
    while ((it = store_cursor_next(&c))) {
        const char *pk = attr(it, "pk");
        int sk = atoi(attr(it, "sk"));
        if (!prev_pk || strcmp(prev_pk, pk) != 0) {
            partitions++;
            assert_int_equal(sk, 0);
        } else {
            assert_int_equal(sk, prev_sk + 1);
        }
        prev_pk = pk;
        prev_sk = sk;
        total++;
    }
    store_cursor_close(&c);
    assert_int_equal(partitions, 5);
    assert_int_equal(total, 50);
    store_tree_clear(&t);
}

static void numeric_sort_keys_order_by_value(void **state)
{
    fixture *f = *state;
    store_tree t = new_tree(&f->keys);
    static const char *const sks[] = {"100", "-9", "2", "0.5", "10", "-10", "0", "9.99", "-0.001"};
    for (int i = 0; i < 9; i++) put(&t, item("a", sks[i], NULL));
    char out[256];
    walk(&t, "a", NULL, -1, STORE_SEEK_GE, out, sizeof out);
    assert_string_equal(out, "a/-10 a/-9 a/-0.001 a/0 a/0.5 a/2 a/9.99 a/10 a/100");
    store_tree_clear(&t);
}

static void partition_order_follows_the_key_hash(void **state)
{
    fixture *f = *state;
    store_tree t = new_tree(&f->keys);
    char pk[16];
    for (int i = 0; i < 40; i++) {
        snprintf(pk, sizeof pk, "user%d", i);
        put(&t, item(pk, "1", NULL));
    }
    store_cursor c;
    store_cursor_open(&c, &t, NULL, STORE_SEEK_GE);
    uint32_t prev = 0;
    int n = 0;
    store_value *it;
    while ((it = store_cursor_next(&c))) {
        uint32_t h = store_key_hash(store_map_get(it, "pk", 2));
        assert_true(h >= prev);
        prev = h;
        n++;
    }
    store_cursor_close(&c);
    assert_int_equal(n, 40);
    store_tree_clear(&t);
}

static void key_hash_depends_on_type_and_bytes(void **state)
{
    (void)state;
    store_value *s1 = S("1"), *s1b = S("1"), *n1 = N("1"), *s2 = S("2");
    assert_int_equal(store_key_hash(s1), store_key_hash(s1b));
    assert_int_not_equal(store_key_hash(s1), store_key_hash(n1));
    assert_int_not_equal(store_key_hash(s1), store_key_hash(s2));
    store_release(s1);
    store_release(s1b);
    store_release(n1);
    store_release(s2);
}

/* ---------------------------------------------------------------- cursors */

static void seek_ge_starts_at_an_existing_key(void **state)
{
    fixture *f = *state;
    store_tree t = new_tree(&f->keys);
    fill_partition(&t, "a");
    char out[256];
    walk(&t, "a", "20", 0, STORE_SEEK_GE, out, sizeof out);
    assert_string_equal(out, "a/20 a/30");
    store_tree_clear(&t);
}

static void seek_ge_in_a_gap_starts_at_the_next_key(void **state)
{
    fixture *f = *state;
    store_tree t = new_tree(&f->keys);
    fill_partition(&t, "a");
    char out[256];
    walk(&t, "a", "15", 0, STORE_SEEK_GE, out, sizeof out);
    assert_string_equal(out, "a/20 a/30");
    store_tree_clear(&t);
}

static void seek_gt_skips_an_equal_key(void **state)
{
    fixture *f = *state;
    store_tree t = new_tree(&f->keys);
    fill_partition(&t, "a");
    char out[256];
    walk(&t, "a", "20", 0, STORE_SEEK_GT, out, sizeof out);
    assert_string_equal(out, "a/30");
    walk(&t, "a", "15", 0, STORE_SEEK_GT, out, sizeof out);
    assert_string_equal(out, "a/20 a/30");
    store_tree_clear(&t);
}

static void seek_le_walks_backwards_from_an_equal_key(void **state)
{
    fixture *f = *state;
    store_tree t = new_tree(&f->keys);
    fill_partition(&t, "a");
    char out[256];
    walk(&t, "a", "20", 0, STORE_SEEK_LE, out, sizeof out);
    assert_string_equal(out, "a/20 a/10");
    walk(&t, "a", "25", 0, STORE_SEEK_LE, out, sizeof out);
    assert_string_equal(out, "a/20 a/10");
    store_tree_clear(&t);
}

static void seek_lt_skips_an_equal_key_backwards(void **state)
{
    fixture *f = *state;
    store_tree t = new_tree(&f->keys);
    fill_partition(&t, "a");
    char out[256];
    walk(&t, "a", "20", 0, STORE_SEEK_LT, out, sizeof out);
    assert_string_equal(out, "a/10");
    walk(&t, "a", "10", 0, STORE_SEEK_LT, out, sizeof out);
    assert_string_equal(out, "");
    store_tree_clear(&t);
}

static void partition_bounds_select_the_whole_partition(void **state)
{
    fixture *f = *state;
    store_tree t = new_tree(&f->keys);
    fill_partition(&t, "a");
    char out[256];
    /* Only one partition: what follows its end or precedes its start is nothing. */
    walk(&t, "a", NULL, -1, STORE_SEEK_GE, out, sizeof out);
    assert_string_equal(out, "a/10 a/20 a/30");
    walk(&t, "a", NULL, 1, STORE_SEEK_LE, out, sizeof out);
    assert_string_equal(out, "a/30 a/20 a/10");
    walk(&t, "a", NULL, 1, STORE_SEEK_GE, out, sizeof out);
    assert_string_equal(out, "");
    walk(&t, "a", NULL, -1, STORE_SEEK_LE, out, sizeof out);
    assert_string_equal(out, "");
    store_tree_clear(&t);
}

static void partition_seek_lands_on_that_partition_among_many(void **state)
{
    fixture *f = *state;
    store_tree t = new_tree(&f->keys);
    static const char *const pks[] = {"a", "b", "c", "d", "e", "f"};
    for (int i = 0; i < 6; i++) fill_partition(&t, pks[i]);
    for (int i = 0; i < 6; i++) {
        char out[512], expected[64];
        walk(&t, pks[i], NULL, -1, STORE_SEEK_GE, out, sizeof out);
        snprintf(expected, sizeof expected, "%s/10 %s/20 %s/30", pks[i], pks[i], pks[i]);
        assert_true(strncmp(out, expected, strlen(expected)) == 0);
        walk(&t, pks[i], NULL, 1, STORE_SEEK_LE, out, sizeof out);
        snprintf(expected, sizeof expected, "%s/30 %s/20 %s/10", pks[i], pks[i], pks[i]);
        assert_true(strncmp(out, expected, strlen(expected)) == 0);
    }
    store_tree_clear(&t);
}

static void seeking_past_the_end_yields_nothing(void **state)
{
    fixture *f = *state;
    store_tree t = new_tree(&f->keys);
    fill_partition(&t, "a");
    char out[256];
    walk(&t, "a", "31", 0, STORE_SEEK_GE, out, sizeof out);
    assert_string_equal(out, "");
    walk(&t, "a", "30", 0, STORE_SEEK_GT, out, sizeof out);
    assert_string_equal(out, "");
    walk(&t, "a", "9", 0, STORE_SEEK_LE, out, sizeof out);
    assert_string_equal(out, "");
    store_tree_clear(&t);
}

static void seek_by_hash_alone_starts_before_every_partition_of_that_hash(void **state)
{
    fixture *f = *state;
    store_tree t = new_tree(&f->keys);
    fill_partition(&t, "a");
    store_value *pk = S("a");
    store_key k = {.hash = store_key_hash(pk), .sk_bound = -1};
    store_cursor c;
    store_cursor_open(&c, &t, &k, STORE_SEEK_GE);
    store_value *first = store_cursor_next(&c);
    assert_non_null(first);
    assert_string_equal(attr(first, "sk"), "10");
    store_cursor_close(&c);
    store_release(pk);
    store_tree_clear(&t);
}

static void cursor_on_an_empty_tree_yields_nothing(void **state)
{
    fixture *f = *state;
    store_tree t = new_tree(&f->keys);
    store_cursor c;
    for (int how = STORE_SEEK_GE; how <= STORE_SEEK_LT; how++) {
        store_cursor_open(&c, &t, NULL, (store_seek)how);
        assert_null(store_cursor_next(&c));
        assert_null(store_cursor_next(&c));
        store_cursor_close(&c);
    }
}

static void backward_walk_is_the_forward_walk_reversed(void **state)
{
    fixture *f = *state;
    store_tree t = new_tree(&f->keys);
    char pk[16], sk[16];
    for (int i = 0; i < 300; i++) {
        snprintf(pk, sizeof pk, "k%d", i % 17);
        snprintf(sk, sizeof sk, "%d", i);
        put(&t, item(pk, sk, NULL));
    }
    store_value *fwd[300], *it;
    size_t n = 0;
    store_cursor c;
    store_cursor_open(&c, &t, NULL, STORE_SEEK_GE);
    while ((it = store_cursor_next(&c))) { assert_true(n < 300); fwd[n++] = it; }
    store_cursor_close(&c);
    assert_int_equal(n, 300);
    store_cursor_open(&c, &t, NULL, STORE_SEEK_LE);
    while ((it = store_cursor_next(&c))) assert_ptr_equal(it, fwd[--n]);
    store_cursor_close(&c);
    assert_int_equal(n, 0);
    store_tree_clear(&t);
}

static void resuming_after_each_item_visits_the_rest_in_order(void **state)
{
    fixture *f = *state;
    store_tree t = new_tree(&f->keys);
    char pk[16], sk[16];
    for (int i = 0; i < 60; i++) {
        snprintf(pk, sizeof pk, "r%d", i % 7);
        snprintf(sk, sizeof sk, "%d", i);
        put(&t, item(pk, sk, NULL));
    }
    /* As a paginated Scan does: GT the last key, one item at a time. */
    store_cursor c;
    store_cursor_open(&c, &t, NULL, STORE_SEEK_GE);
    store_value *it = store_cursor_next(&c);
    store_cursor_close(&c);
    int seen = 0;
    while (it) {
        seen++;
        store_key k = store_item_key(&t, it);
        store_cursor_open(&c, &t, &k, STORE_SEEK_GT);
        store_value *next = store_cursor_next(&c);
        store_cursor_close(&c);
        if (next) {
            store_key nk = store_item_key(&t, next);
            assert_true(nk.hash > k.hash || (nk.hash == k.hash && strcmp(attr(next, "pk"), attr(it, "pk")) != 0) ||
                        atoi(attr(next, "sk")) > atoi(attr(it, "sk")));
        }
        it = next;
    }
    assert_int_equal(seen, 60);
    store_tree_clear(&t);
}

/* -------------------------------------------------------------- snapshots */

static void writes_after_share_do_not_show_in_the_snapshot(void **state)
{
    fixture *f = *state;
    store_tree a = new_tree(&f->keys);
    fill_partition(&a, "p");
    store_tree b;
    assert_true(store_tree_share(&b, &a));
    put(&a, item("p", "40", "new"));
    put(&a, item("p", "10", "changed"));
    store_release(take(&a, "p", "20"));
    assert_null(get(&b, "p", "40"));
    assert_string_equal(attr(get(&b, "p", "10"), "v"), "p:10");
    assert_non_null(get(&b, "p", "20"));
    assert_int_equal(b.count, 3);
    assert_int_equal(a.count, 3);
    char out[256];
    walk(&b, "p", NULL, -1, STORE_SEEK_GE, out, sizeof out);
    assert_string_equal(out, "p/10 p/20 p/30");
    walk(&a, "p", NULL, -1, STORE_SEEK_GE, out, sizeof out);
    assert_string_equal(out, "p/10 p/30 p/40");
    store_tree_clear(&a);
    store_tree_clear(&b);
}

static void writes_to_the_snapshot_do_not_show_in_the_original(void **state)
{
    fixture *f = *state;
    store_tree a = new_tree(&f->keys);
    fill_partition(&a, "p");
    store_tree b;
    assert_true(store_tree_share(&b, &a));
    put(&b, item("q", "1", "only in b"));
    put(&b, item("p", "30", "b's"));
    store_release(take(&b, "p", "10"));
    assert_null(get(&a, "q", "1"));
    assert_string_equal(attr(get(&a, "p", "30"), "v"), "p:30");
    assert_non_null(get(&a, "p", "10"));
    assert_int_equal(a.count, 3);
    assert_int_equal(b.count, 3);
    assert_string_equal(attr(get(&b, "p", "30"), "v"), "b's");
    store_tree_clear(&a);
    store_tree_clear(&b);
}

static void bytes_are_kept_apart_after_share(void **state)
{
    fixture *f = *state;
    store_tree a = new_tree(&f->keys);
    fill_partition(&a, "p");
    size_t before = a.bytes;
    store_tree b;
    assert_true(store_tree_share(&b, &a));
    put(&a, item("p", "50", "a much longer value than before"));
    assert_int_equal(b.bytes, before);
    assert_true(a.bytes > before);
    store_tree_clear(&a);
    store_tree_clear(&b);
}

static void clearing_one_tree_leaves_the_other_intact(void **state)
{
    fixture *f = *state;
    store_tree a = new_tree(&f->keys);
    fill_partition(&a, "p");
    fill_partition(&a, "q");
    store_tree b;
    assert_true(store_tree_share(&b, &a));
    store_tree_clear(&a);
    assert_int_equal(a.count, 0);
    assert_null(get(&a, "p", "10"));
    assert_int_equal(b.count, 6);
    assert_string_equal(attr(get(&b, "q", "20"), "v"), "q:20");
    char out[256];
    walk(&b, "p", NULL, -1, STORE_SEEK_GE, out, sizeof out);
    assert_true(strncmp(out, "p/10 p/20 p/30", 14) == 0);
    store_tree_clear(&b);
}

static void clearing_the_snapshot_leaves_the_original_intact(void **state)
{
    fixture *f = *state;
    store_tree a = new_tree(&f->keys);
    fill_partition(&a, "p");
    store_tree b;
    assert_true(store_tree_share(&b, &a));
    put(&b, item("p", "99", NULL));
    store_tree_clear(&b);
    assert_int_equal(a.count, 3);
    assert_string_equal(attr(get(&a, "p", "20"), "v"), "p:20");
    put(&a, item("p", "20", "later"));
    assert_string_equal(attr(get(&a, "p", "20"), "v"), "later");
    store_tree_clear(&a);
}

static void replaced_item_stays_alive_in_the_snapshot(void **state)
{
    fixture *f = *state;
    store_tree a = new_tree(&f->keys);
    put(&a, item("p", "1", "old"));
    store_tree b;
    assert_true(store_tree_share(&b, &a));
    store_value *old = NULL;
    store_tree_put(&a, item("p", "1", "new"), &old);
    assert_string_equal(attr(old, "v"), "old");
    store_release(old);
    assert_string_equal(attr(get(&b, "p", "1"), "v"), "old"); /* ASan: no use after free */
    store_tree_clear(&a);
    store_tree_clear(&b);
}

static void walk_over_a_snapshot_survives_writes_to_the_original(void **state)
{
    fixture *f = *state;
    store_tree a = new_tree(&f->keys);
    char sk[16];
    for (int i = 0; i < 200; i++) { snprintf(sk, sizeof sk, "%d", i); put(&a, item("p", sk, NULL)); }
    store_tree b;
    assert_true(store_tree_share(&b, &a));
    store_cursor c;
    store_cursor_open(&c, &b, NULL, STORE_SEEK_GE);
    int n = 0, prev = -1;
    store_value *it;
    while ((it = store_cursor_next(&c))) {
        int v = atoi(attr(it, "sk"));
        assert_int_equal(v, prev + 1);
        prev = v;
        n++;
        /* Rewrite the original under the walk: every item it visits and more. */
        snprintf(sk, sizeof sk, "%d", v);
        store_release(take(&a, "p", sk));
        snprintf(sk, sizeof sk, "%d", 1000 + v);
        put(&a, item("p", sk, NULL));
    }
    store_cursor_close(&c);
    assert_int_equal(n, 200);
    assert_int_equal(b.count, 200);
    assert_int_equal(a.count, 200);
    assert_null(get(&a, "p", "0"));
    assert_non_null(get(&b, "p", "0"));
    store_tree_clear(&a);
    store_tree_clear(&b);
}

static void chain_of_snapshots_keeps_each_state(void **state)
{
    fixture *f = *state;
    store_tree t[5];
    t[0] = new_tree(&f->keys);
    char sk[16];
    for (int i = 0; i < 5; i++) {
        if (i) assert_true(store_tree_share(&t[i], &t[i - 1]));
        snprintf(sk, sizeof sk, "%d", i);
        put(&t[i], item("p", sk, NULL));
    }
    for (int i = 0; i < 5; i++) {
        assert_int_equal(t[i].count, (size_t)i + 1);
        for (int j = 0; j < 5; j++) {
            snprintf(sk, sizeof sk, "%d", j);
            if (j <= i) assert_non_null(get(&t[i], "p", sk));
            else assert_null(get(&t[i], "p", sk));
        }
    }
    /* Free in an order that is neither creation nor its reverse. */
    static const int order[] = {2, 0, 4, 1, 3};
    for (int i = 0; i < 5; i++) store_tree_clear(&t[order[i]]);
}

/* -------------------------------------------------------------- hash only */

static void hash_only_tree_keys_by_partition_alone(void **state)
{
    fixture *f = *state;
    store_tree t = new_tree(&f->hash_only);
    put(&t, item("a", NULL, "1"));
    put(&t, item("b", NULL, "2"));
    assert_string_equal(attr(get(&t, "a", NULL), "v"), "1");
    assert_string_equal(attr(get(&t, "b", NULL), "v"), "2");
    assert_null(get(&t, "c", NULL));
    store_value *old = NULL;
    store_tree_put(&t, item("a", NULL, "3"), &old);
    assert_string_equal(attr(old, "v"), "1");
    store_release(old);
    assert_int_equal(t.count, 2);
    store_value *gone = take(&t, "b", NULL);
    assert_string_equal(attr(gone, "v"), "2");
    store_release(gone);
    assert_int_equal(t.count, 1);
    store_tree_clear(&t);
}

static void hash_only_tree_ignores_an_sk_attribute(void **state)
{
    fixture *f = *state;
    store_tree t = new_tree(&f->hash_only);
    put(&t, item("a", "1", "first"));
    put(&t, item("a", "2", "second")); /* "sk" is an ordinary attribute here */
    assert_int_equal(t.count, 1);
    assert_string_equal(attr(get(&t, "a", NULL), "v"), "second");
    store_tree_clear(&t);
}

static void hash_only_tree_walks_every_item_once(void **state)
{
    fixture *f = *state;
    store_tree t = new_tree(&f->hash_only);
    char pk[16];
    for (int i = 0; i < 500; i++) { snprintf(pk, sizeof pk, "h%d", i); put(&t, item(pk, NULL, NULL)); }
    bool seen[500] = {0};
    store_cursor c;
    store_cursor_open(&c, &t, NULL, STORE_SEEK_GE);
    store_value *it;
    int n = 0;
    while ((it = store_cursor_next(&c))) {
        int i = atoi(attr(it, "pk") + 1);
        assert_false(seen[i]);
        seen[i] = true;
        n++;
    }
    store_cursor_close(&c);
    assert_int_equal(n, 500);
    store_tree_clear(&t);
}

/* ---------------------------------------------- hash collisions, abbreviations */

typedef struct hashed { uint32_t hash; unsigned n; } hashed;

static int by_hash(const void *x, const void *y)
{
    const hashed *a = x, *b = y;
    return a->hash != b->hash ? (a->hash < b->hash ? -1 : 1) : (a->n > b->n) - (a->n < b->n);
}

/* Writes the first `pairs` pairs of distinct strings "c<hex>" whose partition
 * key hashes are equal into out[2 * pairs][16]: real collisions of the 32-bit
 * hash, found by the birthday bound among 300,000 strings. */
static void colliding_pks(char (*out)[16], int pairs)
{
    enum { N_TRIED = 300000 };
    hashed *h = malloc(N_TRIED * sizeof *h);
    assert_non_null(h);
    for (unsigned i = 0; i < N_TRIED; i++) {
        char text[16];
        snprintf(text, sizeof text, "c%x", i * 2654435761u);
        store_value *v = S(text);
        h[i] = (hashed){store_key_hash(v), i};
        store_release(v);
    }
    qsort(h, N_TRIED, sizeof *h, by_hash);
    int found = 0;
    for (unsigned i = 1; i < N_TRIED && found < pairs; i++)
        if (h[i].hash == h[i - 1].hash) {
            snprintf(out[2 * found], 16, "c%x", h[i - 1].n * 2654435761u);
            snprintf(out[2 * found + 1], 16, "c%x", h[i].n * 2654435761u);
            found++;
            i++;
        }
    free(h);
    assert_int_equal(found, pairs);
}

static void colliding_partition_keys_keep_their_own_items(void **state)
{
    fixture *f = *state;
    char pk[2][16];
    colliding_pks(pk, 1);
    store_tree t = new_tree(&f->keys);
    fill_partition(&t, pk[0]);
    /* A key of the other partition key, absent, lands in the same hash. */
    assert_null(get(&t, pk[1], "20"));
    fill_partition(&t, pk[1]);
    for (int i = 0; i < 2; i++) {
        char v[64];
        snprintf(v, sizeof v, "%s:20", pk[i]);
        assert_string_equal(attr(get(&t, pk[i], "20"), "v"), v);
    }
    char out[256], expected[256];
    for (int i = 0; i < 2; i++) {
        walk(&t, pk[i], NULL, -1, STORE_SEEK_GE, out, sizeof out);
        /* The walk runs on into the other partition key's items when it
         * follows: the first three are this one's, in order. */
        snprintf(expected, sizeof expected, "%s/10 %s/20 %s/30", pk[i], pk[i], pk[i]);
        assert_memory_equal(out, expected, strlen(expected));
    }
    store_value *gone = take(&t, pk[0], "20");
    assert_non_null(gone);
    store_release(gone);
    assert_null(get(&t, pk[0], "20"));
    assert_non_null(get(&t, pk[1], "20"));
    assert_int_equal(t.count, 5);
    store_tree_clear(&t);
}

/* String sort keys that share their first 8 bytes or more, and binary ones
 * with zero bytes, tie on the abbreviation and are told apart by the keys. */
static store_value *typed_item(const char *pk, store_type sk_type, const char *sk, size_t sk_len)
{
    store_entry e[2] = {{store_name("pk", 2), S(pk)}, {store_name("sk", 2), store_value_bytes(sk_type, sk, sk_len)}};
    return store_value_map(e, 2);
}

static void sort_keys_alike_in_their_first_bytes_keep_their_order(void **state)
{
    fixture *f = *state;
    store_tree t = new_tree(&f->keys);
    static const char *const sorted[] = {"ORDER#2024", "ORDER#2024-01-01#a", "ORDER#2024-01-01#b", "ORDER#2024-01-02",
                                         "ORDER#2025", "ORDER#20250", "ORDERS"};
    size_t n = sizeof sorted / sizeof sorted[0];
    for (size_t i = n; i-- > 0;) put(&t, typed_item("p", STORE_S, sorted[i], strlen(sorted[i])));
    for (size_t i = 0; i < n; i++) {
        store_value *k = typed_item("p", STORE_S, sorted[i], strlen(sorted[i]));
        store_key key = store_item_key(&t, k);
        store_value *found = store_tree_get(&t, &key);
        assert_non_null(found);
        assert_string_equal(attr(found, "sk"), sorted[i]);
        store_release(k);
    }
    store_cursor c;
    store_cursor_open(&c, &t, NULL, STORE_SEEK_GE);
    for (size_t i = 0; i < n; i++) assert_string_equal(attr(store_cursor_next(&c), "sk"), sorted[i]);
    assert_null(store_cursor_next(&c));
    store_cursor_close(&c);
    store_tree_clear(&t);
}

static void binary_sort_keys_with_zero_bytes_stay_distinct(void **state)
{
    fixture *f = *state;
    store_tree t = new_tree(&f->keys);
    /* "a" < "a\0" < "a\0\0...\0" (9 zeros) < "a\1": a zero byte is a byte. */
    static const size_t lens[] = {1, 2, 10};
    char bytes[16] = "a";
    for (int i = 2; i >= 0; i--) put(&t, typed_item("p", STORE_B, bytes, lens[i]));
    put(&t, typed_item("p", STORE_B, "a\1", 2));
    assert_int_equal(t.count, 4);
    store_cursor c;
    store_cursor_open(&c, &t, NULL, STORE_SEEK_GE);
    for (int i = 0; i < 3; i++) assert_int_equal(store_map_get(store_cursor_next(&c), "sk", 2)->len, lens[i]);
    assert_memory_equal(store_bytes(store_map_get(store_cursor_next(&c), "sk", 2)), "a\1", 2);
    store_cursor_close(&c);
    for (int i = 0; i < 3; i++) {
        store_value *k = typed_item("p", STORE_B, bytes, lens[i]);
        store_key key = store_item_key(&t, k);
        assert_int_equal(store_map_get(store_tree_get(&t, &key), "sk", 2)->len, lens[i]);
        store_release(k);
    }
    store_tree_clear(&t);
}

/* -------------------------------------------------------- bucket directory */

/* A fixed-seed generator: every run makes the same choices. */
static uint64_t rng_state;
static uint32_t rng(void)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(rng_state >> 33);
}

static int by_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}

/* 2,000 partitions double the directory eight times over; seeks by hash
 * alone then land in every kind of bucket, empty ones included, and must
 * continue into the next bucket that has items, in either direction. */
static void seeks_by_hash_cross_empty_buckets_both_ways(void **state)
{
    fixture *f = *state;
    enum { PKS = 2000 };
    store_tree t = new_tree(&f->hash_only);
    uint32_t hashes[PKS];
    for (int i = 0; i < PKS; i++) {
        char pk[16];
        snprintf(pk, sizeof pk, "h%d", i);
        store_value *it = item(pk, NULL, NULL);
        hashes[i] = store_key_hash(store_map_get(it, "pk", 2));
        put(&t, it);
    }
    qsort(hashes, PKS, sizeof hashes[0], by_u32);
    rng_state = 7;
    for (int i = 0; i < 500; i++) {
        uint32_t h = rng() * 2u + (rng() & 1u);
        size_t first_ge = 0;
        while (first_ge < PKS && hashes[first_ge] < h) first_ge++;
        store_key k = {.hash = h, .sk_bound = -1};
        store_cursor c;
        store_cursor_open(&c, &t, &k, STORE_SEEK_GE);
        store_value *it = store_cursor_next(&c);
        if (first_ge == PKS) assert_null(it);
        else assert_int_equal(store_key_hash(store_map_get(it, "pk", 2)), hashes[first_ge]);
        store_cursor_close(&c);
        store_cursor_open(&c, &t, &k, STORE_SEEK_LT);
        it = store_cursor_next(&c);
        if (first_ge == 0) assert_null(it);
        else assert_int_equal(store_key_hash(store_map_get(it, "pk", 2)), hashes[first_ge - 1]);
        store_cursor_close(&c);
    }
    store_tree_clear(&t);
}

static void a_snapshot_keeps_its_items_while_the_original_grows(void **state)
{
    fixture *f = *state;
    store_tree t = new_tree(&f->keys);
    fill_partition(&t, "kept");
    store_tree snap;
    assert_true(store_tree_share(&snap, &t));
    char pk[16];
    for (int i = 0; i < 10000; i++) {
        snprintf(pk, sizeof pk, "new%d", i);
        put(&t, item(pk, "1", NULL));
    }
    store_release(take(&t, "kept", "20"));
    assert_int_equal(t.count, 10002);
    char out[256];
    walk(&snap, NULL, NULL, 0, STORE_SEEK_GE, out, sizeof out);
    assert_string_equal(out, "kept/10 kept/20 kept/30");
    assert_int_equal(snap.count, 3);
    walk(&t, "kept", NULL, -1, STORE_SEEK_GE, out, sizeof out);
    assert_memory_equal(out, "kept/10 kept/30", strlen("kept/10 kept/30"));
    assert_non_null(get(&t, "new9999", "1"));
    assert_null(get(&snap, "new9999", "1"));
    store_tree_clear(&t);
    walk(&snap, NULL, NULL, 0, STORE_SEEK_GE, out, sizeof out);
    assert_string_equal(out, "kept/10 kept/20 kept/30");
    store_tree_clear(&snap);
}

/* ------------------------------------------------------ random vs a model */

#define MODEL_PKS 40
#define MODEL_SKS 120

typedef struct model {
    int version[MODEL_PKS][MODEL_SKS]; /* 0: absent */
    size_t count, bytes;
} model;


/* The model's partition keys: two pairs of colliding hashes, then "pk<p>". */
static uint32_t pk_hash[MODEL_PKS];
static char pk_text[MODEL_PKS][16];

static store_value *model_item(int p, int s, int version)
{
    char sk[16], v[32];
    snprintf(sk, sizeof sk, "%d", s - MODEL_SKS / 2); /* negatives too */
    snprintf(v, sizeof v, "%d", version);
    return item(pk_text[p], sk, v);
}

/* Expected order of two present (p, s) cells: hash, then pk bytes, then sk value. */
static int cell_cmp(const void *x, const void *y)
{
    const int *a = x, *b = y;
    if (pk_hash[a[0]] != pk_hash[b[0]]) return pk_hash[a[0]] < pk_hash[b[0]] ? -1 : 1;
    int c = strcmp(pk_text[a[0]], pk_text[b[0]]);
    if (c) return c;
    return (a[1] > b[1]) - (a[1] < b[1]);
}

static void check_against_model(const store_tree *t, const model *m)
{
    assert_int_equal(t->count, m->count);
    assert_int_equal(t->bytes, m->bytes);
    static int cells[MODEL_PKS * MODEL_SKS][2];
    size_t n = 0;
    for (int p = 0; p < MODEL_PKS; p++)
        for (int s = 0; s < MODEL_SKS; s++)
            if (m->version[p][s]) { cells[n][0] = p; cells[n][1] = s; n++; }
    qsort(cells, n, sizeof cells[0], cell_cmp);
    store_cursor c;
    store_cursor_open(&c, t, NULL, STORE_SEEK_GE);
    store_value *it;
    size_t i = 0;
    while ((it = store_cursor_next(&c))) {
        assert_true(i < n);
        int p = cells[i][0], s = cells[i][1];
        char sk[16], v[32];
        snprintf(sk, sizeof sk, "%d", s - MODEL_SKS / 2);
        snprintf(v, sizeof v, "%d", m->version[p][s]);
        assert_string_equal(attr(it, "pk"), pk_text[p]);
        assert_string_equal(attr(it, "sk"), sk);
        assert_string_equal(attr(it, "v"), v);
        i++;
    }
    store_cursor_close(&c);
    assert_int_equal(i, n);
}

static void ten_thousand_random_writes_match_a_model(void **state)
{
    fixture *f = *state;
    colliding_pks(pk_text, 2);
    for (int p = 0; p < MODEL_PKS; p++) {
        if (p >= 4) snprintf(pk_text[p], sizeof pk_text[p], "pk%d", p);
        store_value *pk = S(pk_text[p]);
        pk_hash[p] = store_key_hash(pk);
        store_release(pk);
    }
    static model m, snap_model;
    memset(&m, 0, sizeof m);
    rng_state = 20240601;
    store_tree t = new_tree(&f->keys), snap = {0};
    bool have_snap = false;
    for (int op = 1; op <= 10000; op++) {
        int p = (int)(rng() % MODEL_PKS), s = (int)(rng() % MODEL_SKS);
        const char *pk = pk_text[p];
        char sk[16];
        snprintf(sk, sizeof sk, "%d", s - MODEL_SKS / 2);
        if (rng() % 3) {
            store_value *it = model_item(p, s, op), *old = NULL;
            size_t size = store_item_size(it);
            store_tree_put(&t, it, &old);
            if (m.version[p][s]) {
                assert_non_null(old);
                assert_int_equal(atoi(attr(old, "v")), m.version[p][s]);
                m.bytes -= store_item_size(old);
            } else {
                assert_null(old);
                m.count++;
            }
            store_release(old);
            m.version[p][s] = op;
            m.bytes += size;
        } else {
            store_value *gone = take(&t, pk, sk);
            if (m.version[p][s]) {
                assert_non_null(gone);
                assert_int_equal(atoi(attr(gone, "v")), m.version[p][s]);
                m.bytes -= store_item_size(gone);
                m.count--;
                m.version[p][s] = 0;
            } else {
                assert_null(gone);
            }
            store_release(gone);
        }
        store_value *found = get(&t, pk, sk);
        if (m.version[p][s]) assert_int_equal(atoi(attr(found, "v")), m.version[p][s]);
        else assert_null(found);
        if (op % 2500 == 0) check_against_model(&t, &m);
        if (op == 5000) {
            assert_true(store_tree_share(&snap, &t));
            snap_model = m;
            have_snap = true;
        }
    }
    check_against_model(&t, &m);
    assert_true(have_snap);
    check_against_model(&snap, &snap_model);
    store_tree_clear(&t);
    check_against_model(&snap, &snap_model);
    store_tree_clear(&snap);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(put_item_is_found_by_its_key),
        T(absent_keys_are_not_found),
        T(first_put_replaces_nothing),
        T(put_with_the_same_key_returns_the_old_item),
        T(remove_returns_the_item_and_forgets_it),
        T(removing_an_absent_key_changes_nothing),
        T(count_and_bytes_follow_every_write),
        T(partition_items_are_adjacent_and_ascending),
        T(numeric_sort_keys_order_by_value),
        T(partition_order_follows_the_key_hash),
        T(key_hash_depends_on_type_and_bytes),
        T(seek_ge_starts_at_an_existing_key),
        T(seek_ge_in_a_gap_starts_at_the_next_key),
        T(seek_gt_skips_an_equal_key),
        T(seek_le_walks_backwards_from_an_equal_key),
        T(seek_lt_skips_an_equal_key_backwards),
        T(partition_bounds_select_the_whole_partition),
        T(partition_seek_lands_on_that_partition_among_many),
        T(seeking_past_the_end_yields_nothing),
        T(seek_by_hash_alone_starts_before_every_partition_of_that_hash),
        T(cursor_on_an_empty_tree_yields_nothing),
        T(backward_walk_is_the_forward_walk_reversed),
        T(resuming_after_each_item_visits_the_rest_in_order),
        T(writes_after_share_do_not_show_in_the_snapshot),
        T(writes_to_the_snapshot_do_not_show_in_the_original),
        T(bytes_are_kept_apart_after_share),
        T(clearing_one_tree_leaves_the_other_intact),
        T(clearing_the_snapshot_leaves_the_original_intact),
        T(replaced_item_stays_alive_in_the_snapshot),
        T(walk_over_a_snapshot_survives_writes_to_the_original),
        T(chain_of_snapshots_keeps_each_state),
        T(hash_only_tree_keys_by_partition_alone),
        T(hash_only_tree_ignores_an_sk_attribute),
        T(hash_only_tree_walks_every_item_once),
        T(colliding_partition_keys_keep_their_own_items),
        T(sort_keys_alike_in_their_first_bytes_keep_their_order),
        T(binary_sort_keys_with_zero_bytes_stay_distinct),
        T(seeks_by_hash_cross_empty_buckets_both_ways),
        T(a_snapshot_keeps_its_items_while_the_original_grows),
        T(ten_thousand_random_writes_match_a_model),
    };
#undef T
    return cmocka_run_group_tests_name("tree", tests, NULL, NULL);
}
