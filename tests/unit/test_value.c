/* tests/unit/test_value.c — attribute values (store/value.h): the ten types,
 * DynamoDB's sizes, set and map order, lookups, equality, interned names and
 * sharing by reference. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "store/value.h"

/* ---------------------------------------------------------------- helpers */

static store_value *S(const char *s) { return store_value_bytes(STORE_S, s, strlen(s)); }
static store_value *N(const char *s) { return store_value_bytes(STORE_N, s, strlen(s)); }
static store_value *B(const char *s, size_t n) { return store_value_bytes(STORE_B, s, n); }
static store_value *name(const char *s) { return store_name(s, strlen(s)); }

static void assert_text(const store_value *v, const char *expected)
{
    assert_int_equal(v->len, strlen(expected));
    assert_memory_equal(store_bytes(v), expected, v->len);
}

static store_value *set_of(store_type t, store_value **elems, size_t n)
{
    bool dup = true;
    store_value *v = store_value_set(t, elems, n, &dup);
    assert_non_null(v);
    assert_false(dup);
    return v;
}

/* ----------------------------------------------------------------- types */

static void type_names_round_trip(void **state)
{
    (void)state;
    static const char *const names[] = {"S", "N", "B", "SS", "NS", "BS", "M", "L", "BOOL", "NULL"};
    for (int t = STORE_S; t <= STORE_NULL; t++) {
        assert_string_equal(store_type_name((store_type)t), names[t]);
        assert_int_equal(store_type_from_name(names[t]), t);
    }
}

static void unknown_type_names_are_refused(void **state)
{
    (void)state;
    assert_int_equal(store_type_from_name("s"), -1);
    assert_int_equal(store_type_from_name("X"), -1);
    assert_int_equal(store_type_from_name(""), -1);
    assert_int_equal(store_type_from_name("Bool"), -1);
}

static void only_the_three_sets_are_sets(void **state)
{
    (void)state;
    for (int t = STORE_S; t <= STORE_NULL; t++)
        assert_int_equal(store_type_is_set((store_type)t), t == STORE_SS || t == STORE_NS || t == STORE_BS);
    assert_int_equal(store_set_element_type(STORE_SS), STORE_S);
    assert_int_equal(store_set_element_type(STORE_NS), STORE_N);
    assert_int_equal(store_set_element_type(STORE_BS), STORE_B);
}

/* -------------------------------------------------------------- scalars */

static void string_keeps_its_bytes_and_costs_utf8_length(void **state)
{
    (void)state;
    store_value *v = S("h\xc3\xa9llo"); /* "héllo": 6 bytes */
    assert_int_equal(v->type, STORE_S);
    assert_text(v, "h\xc3\xa9llo");
    assert_int_equal(store_value_size(v), 6);
    store_release(v);
}

static void empty_string_costs_nothing(void **state)
{
    (void)state;
    store_value *v = S("");
    assert_int_equal(v->len, 0);
    assert_int_equal(store_value_size(v), 0);
    store_release(v);
}

static void number_keeps_its_text_and_costs_its_digits(void **state)
{
    (void)state;
    store_value *v = N("12345");
    assert_int_equal(v->type, STORE_N);
    assert_text(v, "12345");
    assert_int_equal(store_value_size(v), 4);
    store_release(v);
}

static void binary_keeps_nul_bytes_and_costs_its_length(void **state)
{
    (void)state;
    store_value *v = B("a\0b\xff", 4);
    assert_int_equal(v->type, STORE_B);
    assert_int_equal(v->len, 4);
    assert_memory_equal(store_bytes(v), "a\0b\xff", 4);
    assert_int_equal(store_value_size(v), 4);
    store_release(v);
}

static void booleans_carry_their_truth_and_cost_one_byte(void **state)
{
    (void)state;
    store_value *t = store_value_bool(true), *f = store_value_bool(false);
    assert_int_equal(t->type, STORE_BOOL);
    assert_int_equal(f->type, STORE_BOOL);
    assert_true(t->flag);
    assert_false(f->flag);
    assert_int_equal(store_value_size(t), 1);
    assert_int_equal(store_value_size(f), 1);
    store_release(t);
    store_release(f);
}

static void null_costs_one_byte(void **state)
{
    (void)state;
    store_value *v = store_value_null();
    assert_int_equal(v->type, STORE_NULL);
    assert_int_equal(store_value_size(v), 1);
    store_release(v);
}

static void static_values_survive_any_number_of_releases(void **state)
{
    (void)state;
    for (int i = 0; i < 10; i++) {
        store_release(store_value_bool(true));
        store_release(store_value_null());
    }
    assert_true(store_value_bool(true)->flag);
    assert_int_equal(store_value_null()->type, STORE_NULL);
}

/* --------------------------------------------------------- lists and maps */

static void list_keeps_order_and_costs_three_plus_one_a_member(void **state)
{
    (void)state;
    store_value *e[] = {S("bb"), N("1"), store_value_bool(false)};
    store_value *l = store_value_list(e, 3);
    assert_int_equal(l->type, STORE_L);
    assert_int_equal(l->len, 3);
    assert_text(store_elems(l)[0], "bb");
    assert_int_equal(store_elems(l)[1]->type, STORE_N);
    assert_int_equal(store_elems(l)[2]->type, STORE_BOOL);
    /* 3 + (2 + 1) + (2 + 1) + (1 + 1) */
    assert_int_equal(store_value_size(l), 11);
    store_release(l);
}

static void empty_list_costs_three(void **state)
{
    (void)state;
    store_value *l = store_value_list(NULL, 0);
    assert_int_equal(l->len, 0);
    assert_int_equal(store_value_size(l), 3);
    store_release(l);
}

static void map_value_costs_three_plus_names_values_and_one_a_member(void **state)
{
    (void)state;
    store_entry e[] = {{name("ab"), S("xyz")}, {name("c"), store_value_null()}};
    store_value *m = store_value_map(e, 2);
    /* 3 + (2 + 3) + (1 + 1) + 2 members */
    assert_int_equal(store_value_size(m), 12);
    store_release(m);
}

static void empty_map_costs_three(void **state)
{
    (void)state;
    store_entry none[1];
    store_value *m = store_value_map(none, 0);
    assert_int_equal(m->len, 0);
    assert_int_equal(store_value_size(m), 3);
    assert_int_equal(store_item_size(m), 0);
    store_release(m);
}

static void item_size_is_names_plus_values(void **state)
{
    (void)state;
    store_entry e[] = {{name("id"), S("abc")}, {name("n"), N("123")}, {name("b"), store_value_bool(true)}};
    store_value *item = store_value_map(e, 3);
    /* (2 + 3) + (1 + 3) + (1 + 1) */
    assert_int_equal(store_item_size(item), 11);
    store_release(item);
}

static void item_size_counts_utf8_name_bytes(void **state)
{
    (void)state;
    store_entry e[] = {{name("\xc3\xa9t\xc3\xa9"), S("x")}}; /* "été": 5 bytes */
    store_value *item = store_value_map(e, 1);
    assert_int_equal(store_item_size(item), 6);
    store_release(item);
}

static void item_size_counts_nested_documents(void **state)
{
    (void)state;
    store_entry inner[] = {{name("a"), S("xy")}};
    store_value *l_elems[] = {S("a"), store_value_bool(true)};
    store_entry e[] = {{name("m"), store_value_map(inner, 1)}, {name("l"), store_value_list(l_elems, 2)}};
    store_value *item = store_value_map(e, 2);
    /* m: 1 + (3 + (1 + 2) + 1) = 8; l: 1 + (3 + (1 + 1) + (1 + 1)) = 8 */
    assert_int_equal(store_item_size(item), 16);
    store_release(item);
}

/* ------------------------------------------------------------------ sets */

static void string_set_is_sorted_by_bytes(void **state)
{
    (void)state;
    store_value *e[] = {S("b"), S("a"), S("B"), S("ab")};
    store_value *s = set_of(STORE_SS, e, 4);
    assert_int_equal(s->type, STORE_SS);
    assert_int_equal(s->len, 4);
    assert_text(store_elems(s)[0], "B");
    assert_text(store_elems(s)[1], "a");
    assert_text(store_elems(s)[2], "ab");
    assert_text(store_elems(s)[3], "b");
    store_release(s);
}

static void number_set_is_sorted_numerically(void **state)
{
    (void)state;
    store_value *e[] = {N("10"), N("9"), N("-1"), N("0.5"), N("-10")};
    store_value *s = set_of(STORE_NS, e, 5);
    static const char *const order[] = {"-10", "-1", "0.5", "9", "10"};
    for (int i = 0; i < 5; i++) assert_text(store_elems(s)[i], order[i]);
    store_release(s);
}

static void binary_set_is_sorted_by_unsigned_bytes(void **state)
{
    (void)state;
    store_value *e[] = {B("\xff", 1), B("\x01", 1), B("\x80\x00", 2), B("\x80", 1)};
    store_value *s = set_of(STORE_BS, e, 4);
    assert_memory_equal(store_bytes(store_elems(s)[0]), "\x01", 1);
    assert_int_equal(store_elems(s)[1]->len, 1);
    assert_memory_equal(store_bytes(store_elems(s)[1]), "\x80", 1);
    assert_int_equal(store_elems(s)[2]->len, 2);
    assert_memory_equal(store_bytes(store_elems(s)[3]), "\xff", 1);
    store_release(s);
}

static void set_costs_the_sum_of_its_members(void **state)
{
    (void)state;
    store_value *ss[] = {S("abc"), S("de")};
    store_value *s = set_of(STORE_SS, ss, 2);
    assert_int_equal(store_value_size(s), 5);
    store_value *ns[] = {N("1"), N("12345")};
    store_value *n = set_of(STORE_NS, ns, 2);
    assert_int_equal(store_value_size(n), 2 + 4);
    store_release(s);
    store_release(n);
}

static void set_with_duplicate_strings_is_refused(void **state)
{
    (void)state;
    store_value *e[] = {S("a"), S("b"), S("a")};
    bool dup = false;
    assert_null(store_value_set(STORE_SS, e, 3, &dup));
    assert_true(dup); /* and the members were released: ASan would report a leak */
}

static void set_with_duplicate_numbers_is_refused(void **state)
{
    (void)state;
    store_value *e[] = {N("1.5"), N("2"), N("1.5")};
    bool dup = false;
    assert_null(store_value_set(STORE_NS, e, 3, &dup));
    assert_true(dup);
}

static void set_with_duplicate_binaries_is_refused(void **state)
{
    (void)state;
    store_value *e[] = {B("\0", 1), B("\0", 1)};
    bool dup = false;
    assert_null(store_value_set(STORE_BS, e, 2, &dup));
    assert_true(dup);
}

static void binaries_differing_after_a_nul_are_distinct(void **state)
{
    (void)state;
    store_value *e[] = {B("\0a", 2), B("\0b", 2)};
    store_value *s = set_of(STORE_BS, e, 2);
    assert_int_equal(s->len, 2);
    store_release(s);
}

static void set_of_one_member_is_built(void **state)
{
    (void)state;
    store_value *e[] = {S("only")};
    store_value *s = set_of(STORE_SS, e, 1);
    assert_int_equal(s->len, 1);
    assert_text(store_elems(s)[0], "only");
    store_release(s);
}

/* ------------------------------------------------------------------ maps */

static void map_entries_are_sorted_by_name(void **state)
{
    (void)state;
    store_entry e[] = {{name("c"), N("3")}, {name("a"), N("1")}, {name("b"), N("2")}, {name("B"), N("0")}};
    store_value *m = store_value_map(e, 4);
    assert_int_equal(m->type, STORE_M);
    assert_int_equal(m->len, 4);
    static const char *const order[] = {"B", "a", "b", "c"};
    for (int i = 0; i < 4; i++) assert_text(store_entries(m)[i].name, order[i]);
    store_release(m);
}

static void later_duplicate_name_wins(void **state)
{
    (void)state;
    store_entry e[] = {{name("b"), S("first")}, {name("a"), S("x")}, {name("b"), S("second")}};
    store_value *m = store_value_map(e, 3);
    assert_int_equal(m->len, 2);
    assert_text(store_map_get(m, "b", 1), "second");
    assert_text(store_map_get(m, "a", 1), "x");
    /* Only the kept entries are counted: (1 + 1) + (1 + 6) */
    assert_int_equal(store_item_size(m), 9);
    store_release(m);
}

static void last_of_many_duplicates_wins(void **state)
{
    (void)state;
    char v[8][2] = {"0", "1", "2", "3", "4", "5", "6", "7"};
    store_entry e[16];
    for (int i = 0; i < 16; i++) {
        e[i].name = name(i % 2 ? "odd" : "even");
        e[i].value = S(v[i / 2]);
    }
    store_value *m = store_value_map(e, 16);
    assert_int_equal(m->len, 2);
    assert_text(store_map_get(m, "even", 4), "7");
    assert_text(store_map_get(m, "odd", 3), "7");
    store_release(m);
}

static void map_get_finds_each_entry(void **state)
{
    (void)state;
    store_entry e[] = {{name("a"), N("1")}, {name("ab"), N("2")}, {name("abc"), N("3")}, {name("b"), N("4")}};
    store_value *m = store_value_map(e, 4);
    assert_text(store_map_get(m, "a", 1), "1");
    assert_text(store_map_get(m, "ab", 2), "2");
    assert_text(store_map_get(m, "abc", 3), "3");
    assert_text(store_map_get(m, "b", 1), "4");
    store_release(m);
}

static void map_get_misses_absent_names(void **state)
{
    (void)state;
    store_entry e[] = {{name("ab"), N("1")}, {name("c"), N("2")}};
    store_value *m = store_value_map(e, 2);
    assert_null(store_map_get(m, "a", 1));
    assert_null(store_map_get(m, "abc", 3));
    assert_null(store_map_get(m, "b", 1));
    assert_null(store_map_get(m, "d", 1));
    assert_null(store_map_get(m, "", 0));
    store_release(m);
    store_entry none[1];
    store_value *empty = store_value_map(none, 0);
    assert_null(store_map_get(empty, "a", 1));
    store_release(empty);
}

static void map_get_uses_the_length_not_a_terminator(void **state)
{
    (void)state;
    store_entry e[] = {{name("ab"), N("1")}};
    store_value *m = store_value_map(e, 1);
    assert_non_null(store_map_get(m, "abc", 2));
    assert_null(store_map_get(m, "abc", 1));
    store_release(m);
}

/* -------------------------------------------------------------- equality */

static void equal_strings_built_apart_are_equal(void **state)
{
    (void)state;
    store_value *a = S("same"), *b = S("same"), *c = S("Same");
    assert_true(store_value_equal(a, b));
    assert_false(store_value_equal(a, c));
    store_release(a);
    store_release(b);
    store_release(c);
}

static void same_bytes_of_different_types_are_not_equal(void **state)
{
    (void)state;
    store_value *s = S("1"), *n = N("1"), *b = B("1", 1);
    assert_false(store_value_equal(s, n));
    assert_false(store_value_equal(s, b));
    assert_false(store_value_equal(n, b));
    store_release(s);
    store_release(n);
    store_release(b);
}

static void prefix_is_not_equal(void **state)
{
    (void)state;
    store_value *a = S("ab"), *b = S("abc");
    assert_false(store_value_equal(a, b));
    assert_false(store_value_equal(b, a));
    store_release(a);
    store_release(b);
}

static void booleans_and_nulls_compare_by_value(void **state)
{
    (void)state;
    assert_true(store_value_equal(store_value_bool(true), store_value_bool(true)));
    assert_false(store_value_equal(store_value_bool(true), store_value_bool(false)));
    assert_true(store_value_equal(store_value_null(), store_value_null()));
    assert_false(store_value_equal(store_value_null(), store_value_bool(false)));
}

static void lists_are_equal_only_in_the_same_order(void **state)
{
    (void)state;
    store_value *e1[] = {S("a"), S("b")}, *e2[] = {S("a"), S("b")}, *e3[] = {S("b"), S("a")}, *e4[] = {S("a")};
    store_value *l1 = store_value_list(e1, 2), *l2 = store_value_list(e2, 2);
    store_value *l3 = store_value_list(e3, 2), *l4 = store_value_list(e4, 1);
    assert_true(store_value_equal(l1, l2));
    assert_false(store_value_equal(l1, l3));
    assert_false(store_value_equal(l1, l4));
    store_release(l1);
    store_release(l2);
    store_release(l3);
    store_release(l4);
}

static void sets_built_in_any_order_are_equal(void **state)
{
    (void)state;
    store_value *e1[] = {N("3"), N("1"), N("2")}, *e2[] = {N("2"), N("3"), N("1")}, *e3[] = {N("1"), N("2")};
    store_value *a = set_of(STORE_NS, e1, 3), *b = set_of(STORE_NS, e2, 3), *c = set_of(STORE_NS, e3, 2);
    assert_true(store_value_equal(a, b));
    assert_false(store_value_equal(a, c));
    store_release(a);
    store_release(b);
    store_release(c);
}

static void maps_built_in_any_order_are_equal(void **state)
{
    (void)state;
    store_entry e1[] = {{name("x"), N("1")}, {name("y"), S("v")}};
    store_entry e2[] = {{name("y"), S("v")}, {name("x"), N("1")}};
    store_entry e3[] = {{name("y"), S("w")}, {name("x"), N("1")}};
    store_value *a = store_value_map(e1, 2), *b = store_value_map(e2, 2), *c = store_value_map(e3, 2);
    assert_true(store_value_equal(a, b));
    assert_false(store_value_equal(a, c));
    store_release(a);
    store_release(b);
    store_release(c);
}

static void nested_difference_makes_documents_unequal(void **state)
{
    (void)state;
    store_entry i1[] = {{name("k"), N("1")}}, i2[] = {{name("k"), N("2")}};
    store_value *l1[] = {store_value_map(i1, 1)}, *l2[] = {store_value_map(i2, 1)};
    store_value *a = store_value_list(l1, 1), *b = store_value_list(l2, 1);
    assert_false(store_value_equal(a, b));
    store_release(a);
    store_release(b);
}

static void scalar_compare_orders_strings_bytewise(void **state)
{
    (void)state;
    store_value *a = S("a"), *ab = S("ab"), *b = S("b"), *hi = S("\xc3\xa9");
    assert_true(store_scalar_compare(a, ab) < 0);
    assert_true(store_scalar_compare(ab, b) < 0);
    assert_true(store_scalar_compare(b, hi) < 0); /* UTF-8 bytes above ASCII */
    assert_int_equal(store_scalar_compare(a, a), 0);
    store_release(a);
    store_release(ab);
    store_release(b);
    store_release(hi);
}

static void scalar_compare_orders_numbers_by_value(void **state)
{
    (void)state;
    store_value *a = N("9"), *b = N("10"), *c = N("-10");
    assert_true(store_scalar_compare(a, b) < 0);
    assert_true(store_scalar_compare(c, a) < 0);
    assert_true(store_scalar_compare(b, c) > 0);
    store_release(a);
    store_release(b);
    store_release(c);
}

/* ---------------------------------------------------------------- names */

static void interned_names_are_shared(void **state)
{
    (void)state;
    store_value *a = name("shared_name"), *b = name("shared_name");
    assert_ptr_equal(a, b);
    assert_int_equal(a->type, STORE_S);
    assert_text(a, "shared_name");
    store_release(a);
    store_release(b);
    store_value *c = name("shared_name");
    assert_ptr_equal(a, c);
    assert_text(c, "shared_name");
    store_release(c);
}

/* Each thread remembers names it met in 64 slots; 500 names share them, so
 * most lookups find a slot holding another name, of the same length or not.
 * Every lookup, on this thread and another, answers the one interned value. */
#define MANY_NAMES 500
static store_value *first_seen[MANY_NAMES];

static void *look_up_many_names(void *arg)
{
    (void)arg;
    char buf[16];
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < MANY_NAMES; i++) {
            snprintf(buf, sizeof buf, "nm%d", i);
            store_value *v = name(buf);
            if (v != first_seen[i] || strcmp(store_bytes(v), buf) != 0) return (void *)first_seen; /* non-NULL: a wrong answer */
        }
    return NULL;
}

static void remembered_names_never_answer_another(void **state)
{
    (void)state;
    char buf[16];
    for (int i = 0; i < MANY_NAMES; i++) {
        snprintf(buf, sizeof buf, "nm%d", i);
        first_seen[i] = name(buf);
        assert_text(first_seen[i], buf);
    }
    assert_null(look_up_many_names(NULL));
    pthread_t other;
    void *result = (void *)1;
    assert_int_equal(pthread_create(&other, NULL, look_up_many_names, NULL), 0);
    assert_int_equal(pthread_join(other, &result), 0);
    assert_null(result);
}

static void distinct_names_are_distinct(void **state)
{
    (void)state;
    store_value *a = name("name_one"), *b = name("name_two");
    assert_ptr_not_equal(a, b);
    assert_false(store_value_equal(a, b));
    store_release(a);
    store_release(b);
}

static void interned_name_equals_a_plain_string(void **state)
{
    (void)state;
    store_value *n = name("attr"), *s = S("attr");
    assert_true(store_value_equal(n, s));
    store_release(n);
    store_release(s);
}

static void long_names_keep_their_bytes(void **state)
{
    (void)state;
    char buf[1001];
    memset(buf, 'q', 1000);
    buf[1000] = 0;
    store_value *a = name(buf), *b = name(buf);
    assert_text(a, buf);
    assert_true(store_value_equal(a, b));
    store_release(a);
    store_release(b);
}

static void items_share_their_names(void **state)
{
    (void)state;
    store_entry e1[] = {{name("owner"), S("a")}}, e2[] = {{name("owner"), S("b")}};
    store_value *i1 = store_value_map(e1, 1), *i2 = store_value_map(e2, 1);
    assert_ptr_equal(store_entries(i1)[0].name, store_entries(i2)[0].name);
    store_release(i1);
    store_release(i2);
}

/* ------------------------------------------------------------ references */

static void retained_value_outlives_its_list(void **state)
{
    (void)state;
    store_value *s = S("kept");
    assert_int_equal(s->refs, 1);
    store_value *e[] = {store_retain(s)};
    assert_int_equal(s->refs, 2);
    store_value *l = store_value_list(e, 1);
    store_release(l);
    assert_int_equal(s->refs, 1);
    assert_text(s, "kept"); /* ASan: no use after free */
    store_release(s);
}

static void value_shared_by_two_documents_lives_until_both_go(void **state)
{
    (void)state;
    store_value *s = S("shared");
    store_value *e1[] = {s};
    store_value *l1 = store_value_list(e1, 1);
    store_entry e2[] = {{name("k"), store_retain(s)}};
    store_value *m = store_value_map(e2, 1);
    store_release(l1);
    assert_text(store_map_get(m, "k", 1), "shared");
    store_release(m);
}

static void retain_returns_the_value(void **state)
{
    (void)state;
    store_value *s = S("x");
    assert_ptr_equal(store_retain(s), s);
    assert_null(store_retain(NULL));
    store_release(s);
    store_release(s);
    store_release(NULL);
}

static void member_of_a_released_duplicate_map_entry_is_freed_once(void **state)
{
    (void)state;
    /* The replaced entry's value is released; one still referenced elsewhere survives. */
    store_value *keep = S("old");
    store_entry e[] = {{name("k"), store_retain(keep)}, {name("k"), S("new")}};
    store_value *m = store_value_map(e, 2);
    assert_int_equal(keep->refs, 1);
    assert_text(keep, "old");
    assert_text(store_map_get(m, "k", 1), "new");
    store_release(m);
    store_release(keep);
}

static void value_read_from_a_map_outlives_the_map_while_retained(void **state)
{
    (void)state;
    store_entry e[] = {{name("a"), S("alpha")}, {name("n"), N("42")}, {name("b"), store_value_bool(true)}};
    store_value *m = store_value_map(e, 3);
    store_value *a = store_retain(store_map_get(m, "a", 1));
    store_value *n = store_retain(store_map_get(m, "n", 1));
    store_release(m);
    assert_text(a, "alpha"); /* ASan: no use after free */
    assert_text(n, "42");
    assert_int_equal(store_value_size(n), 2);
    store_release(a);
    assert_text(n, "42");
    store_release(n); /* and the leak check sees everything freed */
}

static void value_read_from_a_map_can_join_other_documents(void **state)
{
    (void)state;
    store_entry e[] = {{name("a"), S("alpha")}, {name("z"), S("zulu")}};
    store_value *m = store_value_map(e, 2);
    store_value *le[] = {store_retain(store_map_get(m, "a", 1)), store_retain(store_map_get(m, "z", 1))};
    store_value *l = store_value_list(le, 2);
    store_entry e2[] = {{name("copy"), store_retain(store_map_get(m, "z", 1))}};
    store_value *m2 = store_value_map(e2, 1);
    store_value *se[] = {store_retain(store_map_get(m, "z", 1)), store_retain(store_map_get(m, "a", 1))};
    bool dup;
    store_value *set = store_value_set(STORE_SS, se, 2, &dup);
    assert_non_null(set);
    store_release(m);
    assert_text(store_elems(l)[0], "alpha");
    assert_text(store_elems(l)[1], "zulu");
    assert_text(store_map_get(m2, "copy", 4), "zulu");
    assert_text(store_elems(set)[0], "alpha");
    store_release(set);
    store_release(l);
    assert_text(store_map_get(m2, "copy", 4), "zulu");
    store_release(m2);
}

static void map_values_read_back_as_built(void **state)
{
    (void)state;
    char big[300];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    store_value *le[] = {S("in list")};
    store_entry e[] = {{name("s"), S("")}, {name("n"), N("-1.5")}, {name("b"), B("\0\1", 2)},
                       {name("big"), S(big)}, {name("l"), store_value_list(le, 1)}, {name("t"), store_value_bool(true)},
                       {name("z"), store_value_null()}};
    store_value *m = store_value_map(e, 7);
    assert_int_equal(m->len, 7);
    assert_text(store_map_get(m, "s", 1), "");
    assert_int_equal(store_map_get(m, "n", 1)->type, STORE_N);
    assert_text(store_map_get(m, "n", 1), "-1.5");
    assert_int_equal(store_map_get(m, "b", 1)->type, STORE_B);
    assert_memory_equal(store_bytes(store_map_get(m, "b", 1)), "\0\1", 2);
    assert_text(store_map_get(m, "big", 3), big);
    assert_text(store_elems(store_map_get(m, "l", 1))[0], "in list");
    assert_true(store_map_get(m, "t", 1)->flag);
    assert_int_equal(store_map_get(m, "z", 1)->type, STORE_NULL);
    /* 1+0 + 1+size(-1.5) + 1+2 + 3+299 + 1+(3+8) + 1+1 + 1+1 */
    assert_int_equal(store_item_size(m), 1 + 1 + store_value_size(store_map_get(m, "n", 1)) + 3 + 302 + 12 + 2 + 2);
    store_release(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(type_names_round_trip),
        cmocka_unit_test(unknown_type_names_are_refused),
        cmocka_unit_test(only_the_three_sets_are_sets),
        cmocka_unit_test(string_keeps_its_bytes_and_costs_utf8_length),
        cmocka_unit_test(empty_string_costs_nothing),
        cmocka_unit_test(number_keeps_its_text_and_costs_its_digits),
        cmocka_unit_test(binary_keeps_nul_bytes_and_costs_its_length),
        cmocka_unit_test(booleans_carry_their_truth_and_cost_one_byte),
        cmocka_unit_test(null_costs_one_byte),
        cmocka_unit_test(static_values_survive_any_number_of_releases),
        cmocka_unit_test(list_keeps_order_and_costs_three_plus_one_a_member),
        cmocka_unit_test(empty_list_costs_three),
        cmocka_unit_test(map_value_costs_three_plus_names_values_and_one_a_member),
        cmocka_unit_test(empty_map_costs_three),
        cmocka_unit_test(item_size_is_names_plus_values),
        cmocka_unit_test(item_size_counts_utf8_name_bytes),
        cmocka_unit_test(item_size_counts_nested_documents),
        cmocka_unit_test(string_set_is_sorted_by_bytes),
        cmocka_unit_test(number_set_is_sorted_numerically),
        cmocka_unit_test(binary_set_is_sorted_by_unsigned_bytes),
        cmocka_unit_test(set_costs_the_sum_of_its_members),
        cmocka_unit_test(set_with_duplicate_strings_is_refused),
        cmocka_unit_test(set_with_duplicate_numbers_is_refused),
        cmocka_unit_test(set_with_duplicate_binaries_is_refused),
        cmocka_unit_test(binaries_differing_after_a_nul_are_distinct),
        cmocka_unit_test(set_of_one_member_is_built),
        cmocka_unit_test(map_entries_are_sorted_by_name),
        cmocka_unit_test(later_duplicate_name_wins),
        cmocka_unit_test(last_of_many_duplicates_wins),
        cmocka_unit_test(map_get_finds_each_entry),
        cmocka_unit_test(map_get_misses_absent_names),
        cmocka_unit_test(map_get_uses_the_length_not_a_terminator),
        cmocka_unit_test(equal_strings_built_apart_are_equal),
        cmocka_unit_test(same_bytes_of_different_types_are_not_equal),
        cmocka_unit_test(prefix_is_not_equal),
        cmocka_unit_test(booleans_and_nulls_compare_by_value),
        cmocka_unit_test(lists_are_equal_only_in_the_same_order),
        cmocka_unit_test(sets_built_in_any_order_are_equal),
        cmocka_unit_test(maps_built_in_any_order_are_equal),
        cmocka_unit_test(nested_difference_makes_documents_unequal),
        cmocka_unit_test(scalar_compare_orders_strings_bytewise),
        cmocka_unit_test(scalar_compare_orders_numbers_by_value),
        cmocka_unit_test(interned_names_are_shared),
        cmocka_unit_test(remembered_names_never_answer_another),
        cmocka_unit_test(distinct_names_are_distinct),
        cmocka_unit_test(interned_name_equals_a_plain_string),
        cmocka_unit_test(long_names_keep_their_bytes),
        cmocka_unit_test(items_share_their_names),
        cmocka_unit_test(retained_value_outlives_its_list),
        cmocka_unit_test(value_shared_by_two_documents_lives_until_both_go),
        cmocka_unit_test(retain_returns_the_value),
        cmocka_unit_test(member_of_a_released_duplicate_map_entry_is_freed_once),
        cmocka_unit_test(value_read_from_a_map_outlives_the_map_while_retained),
        cmocka_unit_test(value_read_from_a_map_can_join_other_documents),
        cmocka_unit_test(map_values_read_back_as_built),
    };
    return cmocka_run_group_tests_name("value", tests, NULL, NULL);
}
