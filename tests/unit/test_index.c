/* tests/unit/test_index.c — secondary indexes, TTL and tags at the store
 * level: index maintenance on put, replace and remove, sparse indexes,
 * projections, repeated index keys, backfilling, snapshots sharing index
 * orders, the write-time checks of index keys, TTL expiry by the database's
 * clock, and table tags. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/codec.h"
#include "store/db.h"
#include "store/index.h"
#include "store/ttl.h"
#include "tests/unit/support.h"

/* ---------------------------------------------------------------- helpers */

static store_value *name(const char *s) { return store_name(s, strlen(s)); }

static void set_keys(store_key_schema *k, const char *pk, store_type pk_type, const char *sk, store_type sk_type)
{
    k->names.pk_name = name(pk);
    k->pk_type = pk_type;
    if (sk) {
        k->names.sk_name = name(sk);
        k->sk_type = sk_type;
    }
}

/* A table {pk: S, sk: S} with GSI "g" on (gpk: S, gsk: N) and LSI "l" on (pk, lsk: S). */
static store_table *new_table(store_projection_type gsi_projection, const char *include)
{
    store_table *t = store_table_new("things");
    set_keys(&t->key, "pk", STORE_S, "sk", STORE_S);
    t->indexes = calloc(2, sizeof *t->indexes);
    store_index *g = &t->indexes[t->n_indexes++];
    g->name = strdup("g");
    g->global = true;
    set_keys(&g->key, "gpk", STORE_S, "gsk", STORE_N);
    g->projection = gsi_projection;
    if (include) {
        g->non_key = calloc(1, sizeof *g->non_key);
        g->non_key[g->n_non_key++] = name(include);
    }
    store_index *l = &t->indexes[t->n_indexes++];
    l->name = strdup("l");
    set_keys(&l->key, "pk", STORE_S, "lsk", STORE_S);
    l->projection = STORE_PROJECT_KEYS_ONLY;
    return t;
}

static void put(store_table *t, const char *json)
{
    store_value *replaced = NULL;
    assert_true(store_table_put(t, item_of(json), &replaced));
    store_release(replaced);
}

static void del(store_table *t, const char *key_json)
{
    store_value *key = item_of(key_json);
    store_release(store_table_remove(t, key));
    store_release(key);
}

/* The index's entries in its order, as compact DynamoDB JSON, one per line. */
static char *walk(const store_table *t, const char *index)
{
    const store_index *x = store_table_index(t, index);
    assert_non_null(x);
    store_tree view = store_index_view(t, x);
    store_cursor c;
    store_cursor_open(&c, &view, NULL, STORE_SEEK_GE);
    size_t cap = 4096, len = 0;
    char *out = calloc(cap, 1);
    const store_value *e;
    while ((e = store_cursor_next(&c))) {
        cJSON *j = store_encode_item(e);
        char *s = cJSON_PrintUnformatted(j);
        size_t n = strlen(s);
        if (len + n + 2 > cap) out = realloc(out, cap = (len + n + 2) * 2);
        memcpy(out + len, s, n);
        len += n;
        out[len++] = '\n';
        out[len] = 0;
        free(s);
        cJSON_Delete(j);
    }
    store_cursor_close(&c);
    return out;
}

static void assert_walk(const store_table *t, const char *index, const char *expected)
{
    char *got = walk(t, index);
    assert_string_equal(got, expected);
    free(got);
}

static size_t count_of(const store_table *t, const char *index)
{
    return store_table_index(t, index)->entries.count;
}

/* --------------------------------------------------------- maintenance */

static void test_put_adds_to_every_index(void **state)
{
    (void)state;
    store_table *t = new_table(STORE_PROJECT_ALL, NULL);
    put(t, "{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"},\"gpk\":{\"S\":\"x\"},\"gsk\":{\"N\":\"5\"},\"lsk\":{\"S\":\"m\"}}");
    assert_int_equal(count_of(t, "g"), 1);
    assert_int_equal(count_of(t, "l"), 1);
    assert_walk(t, "g", "{\"gpk\":{\"S\":\"x\"},\"gsk\":{\"N\":\"5\"},\"lsk\":{\"S\":\"m\"},\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"}}\n");
    store_table_free(t);
}

static void test_sparse_items_stay_out(void **state)
{
    (void)state;
    store_table *t = new_table(STORE_PROJECT_ALL, NULL);
    /* no gsk; gsk of the wrong type; an empty gpk: none is in the GSI */
    put(t, "{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"},\"gpk\":{\"S\":\"x\"}}");
    put(t, "{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"2\"},\"gpk\":{\"S\":\"x\"},\"gsk\":{\"S\":\"5\"}}");
    put(t, "{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"3\"},\"gpk\":{\"S\":\"\"},\"gsk\":{\"N\":\"5\"}}");
    assert_int_equal(count_of(t, "g"), 0);
    assert_int_equal(count_of(t, "l"), 0);
    assert_int_equal(t->items.count, 3);
    assert_walk(t, "g", "");
    store_table_free(t);
}

static void test_replace_moves_the_entry(void **state)
{
    (void)state;
    store_table *t = new_table(STORE_PROJECT_KEYS_ONLY, NULL);
    put(t, "{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"},\"gpk\":{\"S\":\"x\"},\"gsk\":{\"N\":\"5\"}}");
    put(t, "{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"},\"gpk\":{\"S\":\"y\"},\"gsk\":{\"N\":\"6\"}}");
    assert_int_equal(count_of(t, "g"), 1);
    assert_walk(t, "g", "{\"gpk\":{\"S\":\"y\"},\"gsk\":{\"N\":\"6\"},\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"}}\n");
    /* A replacement without the index key takes the item out of the index. */
    put(t, "{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"},\"other\":{\"S\":\"z\"}}");
    assert_int_equal(count_of(t, "g"), 0);
    assert_int_equal(store_table_index(t, "g")->size_bytes, 0);
    store_table_free(t);
}

static void test_remove_drops_the_entry(void **state)
{
    (void)state;
    store_table *t = new_table(STORE_PROJECT_ALL, NULL);
    put(t, "{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"},\"gpk\":{\"S\":\"x\"},\"gsk\":{\"N\":\"5\"},\"lsk\":{\"S\":\"m\"}}");
    put(t, "{\"pk\":{\"S\":\"b\"},\"sk\":{\"S\":\"1\"},\"gpk\":{\"S\":\"x\"},\"gsk\":{\"N\":\"5\"}}");
    del(t, "{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"}}");
    assert_int_equal(count_of(t, "g"), 1);
    assert_int_equal(count_of(t, "l"), 0);
    assert_walk(t, "g", "{\"gpk\":{\"S\":\"x\"},\"gsk\":{\"N\":\"5\"},\"pk\":{\"S\":\"b\"},\"sk\":{\"S\":\"1\"}}\n");
    del(t, "{\"pk\":{\"S\":\"b\"},\"sk\":{\"S\":\"1\"}}");
    assert_int_equal(count_of(t, "g"), 0);
    assert_int_equal(store_table_index(t, "g")->size_bytes, 0);
    assert_int_equal(store_table_index(t, "l")->size_bytes, 0);
    store_table_free(t);
}

/* Items with equal index keys are all kept, ordered by the table's key. */
static void test_repeated_index_keys_keep_every_item(void **state)
{
    (void)state;
    store_table *t = new_table(STORE_PROJECT_KEYS_ONLY, NULL);
    char json[256];
    for (int i = 0; i < 2000; i++) {
        snprintf(json, sizeof json, "{\"pk\":{\"S\":\"p%04d\"},\"sk\":{\"S\":\"s\"},\"gpk\":{\"S\":\"same\"},\"gsk\":{\"N\":\"1\"}}",
                 (i * 7919) % 2000);
        put(t, json);
    }
    assert_int_equal(count_of(t, "g"), 2000);
    const store_index *x = store_table_index(t, "g");
    store_tree view = store_index_view(t, x);
    store_cursor c;
    store_cursor_open(&c, &view, NULL, STORE_SEEK_GE);
    const store_value *e;
    int n = 0;
    while ((e = store_cursor_next(&c))) {
        char want[16];
        snprintf(want, sizeof want, "p%04d", n++);
        assert_string_equal(store_bytes(store_map_get(e, "pk", 2)), want);
    }
    store_cursor_close(&c);
    assert_int_equal(n, 2000);
    /* Removing one of the run removes exactly that one. */
    del(t, "{\"pk\":{\"S\":\"p1000\"},\"sk\":{\"S\":\"s\"}}");
    assert_int_equal(count_of(t, "g"), 1999);
    store_table_free(t);
}

/* A seek on (index pk, index sk) alone lands before or after the whole run. */
static void test_seek_spans_the_run(void **state)
{
    (void)state;
    store_table *t = new_table(STORE_PROJECT_KEYS_ONLY, NULL);
    put(t, "{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"},\"gpk\":{\"S\":\"x\"},\"gsk\":{\"N\":\"4\"}}");
    put(t, "{\"pk\":{\"S\":\"b\"},\"sk\":{\"S\":\"1\"},\"gpk\":{\"S\":\"x\"},\"gsk\":{\"N\":\"5\"}}");
    put(t, "{\"pk\":{\"S\":\"c\"},\"sk\":{\"S\":\"1\"},\"gpk\":{\"S\":\"x\"},\"gsk\":{\"N\":\"5\"}}");
    put(t, "{\"pk\":{\"S\":\"d\"},\"sk\":{\"S\":\"1\"},\"gpk\":{\"S\":\"x\"},\"gsk\":{\"N\":\"6\"}}");
    const store_index *x = store_table_index(t, "g");
    store_tree view = store_index_view(t, x);
    store_value *pk = store_value_bytes(STORE_S, "x", 1), *sk = store_value_bytes(STORE_N, "5", 1);
    store_key k = {.hash = store_key_hash(pk), .pk = pk, .sk = sk, .sk_bound = 0};
    store_cursor c;
    store_cursor_open(&c, &view, &k, STORE_SEEK_GE);
    assert_string_equal(store_bytes(store_map_get(store_cursor_next(&c), "pk", 2)), "b");
    store_cursor_close(&c);
    store_cursor_open(&c, &view, &k, STORE_SEEK_GT);
    assert_string_equal(store_bytes(store_map_get(store_cursor_next(&c), "pk", 2)), "d");
    store_cursor_close(&c);
    store_cursor_open(&c, &view, &k, STORE_SEEK_LE);
    assert_string_equal(store_bytes(store_map_get(store_cursor_next(&c), "pk", 2)), "c");
    store_cursor_close(&c);
    /* An exact item seek (ExclusiveStartKey) resumes right after it. */
    store_value *start = item_of("{\"pk\":{\"S\":\"b\"},\"sk\":{\"S\":\"1\"},\"gpk\":{\"S\":\"x\"},\"gsk\":{\"N\":\"5\"}}");
    store_cursor_open_item(&c, &view, start, STORE_SEEK_GT);
    assert_string_equal(store_bytes(store_map_get(store_cursor_next(&c), "pk", 2)), "c");
    store_cursor_close(&c);
    store_release(start);
    store_release(pk);
    store_release(sk);
    store_table_free(t);
}

/* A table {pk: S} with GSI "m" on partition (t: S, r: S), sort (n: N, b: S). */
static store_table *new_multi_table(void)
{
    store_table *t = store_table_new("multi");
    set_keys(&t->key, "pk", STORE_S, NULL, STORE_S);
    t->indexes = calloc(1, sizeof *t->indexes);
    store_index *m = &t->indexes[t->n_indexes++];
    m->name = strdup("m");
    m->global = true;
    m->projection = STORE_PROJECT_KEYS_ONLY;
    store_key_append(&m->key, name("t"), STORE_S, true);
    store_key_append(&m->key, name("r"), STORE_S, true);
    store_key_append(&m->key, name("n"), STORE_N, false);
    store_key_append(&m->key, name("b"), STORE_S, false);
    return t;
}

static const char *first_pk(const store_tree *view, const store_key *k, store_seek how)
{
    static char pk[16];
    store_cursor c;
    store_cursor_open(&c, view, k, how);
    const store_value *e = store_cursor_next(&c);
    snprintf(pk, sizeof pk, "%s", e ? store_bytes(store_map_get(e, "pk", 2)) : "-");
    store_cursor_close(&c);
    return pk;
}

/* Multi-attribute keys: sparse on every attribute, ordered by the sort
 * attributes in turn, and a seek on a leading part of the sort key spans
 * the run that shares it. */
static void test_multi_attribute_keys(void **state)
{
    (void)state;
    store_table *t = new_multi_table();
    put(t, "{\"pk\":{\"S\":\"a\"},\"t\":{\"S\":\"x\"},\"r\":{\"S\":\"eu\"},\"n\":{\"N\":\"10\"},\"b\":{\"S\":\"a\"}}");
    put(t, "{\"pk\":{\"S\":\"b\"},\"t\":{\"S\":\"x\"},\"r\":{\"S\":\"eu\"},\"n\":{\"N\":\"2\"},\"b\":{\"S\":\"b\"}}");
    put(t, "{\"pk\":{\"S\":\"c\"},\"t\":{\"S\":\"x\"},\"r\":{\"S\":\"eu\"},\"n\":{\"N\":\"2\"},\"b\":{\"S\":\"a\"}}");
    put(t, "{\"pk\":{\"S\":\"d\"},\"t\":{\"S\":\"x\"},\"r\":{\"S\":\"us\"},\"n\":{\"N\":\"2\"},\"b\":{\"S\":\"a\"}}");
    put(t, "{\"pk\":{\"S\":\"e\"},\"t\":{\"S\":\"x\"},\"r\":{\"S\":\"eu\"},\"n\":{\"N\":\"2\"}}");  /* no b */
    assert_int_equal(count_of(t, "m"), 4);
    const store_index *x = store_table_index(t, "m");
    store_tree view = store_index_view(t, x);
    store_value *tv = store_value_bytes(STORE_S, "x", 1), *eu = store_value_bytes(STORE_S, "eu", 2);
    store_value *two = store_value_bytes(STORE_N, "2", 1);
    store_key k = {.pk = tv, .sk_bound = -1};
    k.pk_more[0] = eu;
    k.hash = store_key_hash_parts(tv, k.pk_more, 1);
    assert_string_equal(first_pk(&view, &k, STORE_SEEK_GE), "c");   /* (2, a) first */
    k.sk_bound = 1;
    assert_string_equal(first_pk(&view, &k, STORE_SEEK_LE), "a");   /* (10, a) last */
    k.sk = two, k.sk_bound = 0;
    assert_string_equal(first_pk(&view, &k, STORE_SEEK_GT), "a");   /* past the run n = 2 */
    assert_string_equal(first_pk(&view, &k, STORE_SEEK_LE), "b");   /* its last: (2, b) */
    store_release(tv);
    store_release(eu);
    store_release(two);
    store_table_free(t);
}

/* ---------------------------------------------------------- projections */

static const char *full_item =
    "{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"},\"gpk\":{\"S\":\"x\"},\"gsk\":{\"N\":\"5\"},\"lsk\":{\"S\":\"m\"},"
    "\"inc\":{\"S\":\"kept\"},\"other\":{\"S\":\"dropped\"}}";

static void test_keys_only_projects_table_and_index_keys(void **state)
{
    (void)state;
    store_table *t = new_table(STORE_PROJECT_KEYS_ONLY, NULL);
    put(t, full_item);
    assert_walk(t, "g", "{\"gpk\":{\"S\":\"x\"},\"gsk\":{\"N\":\"5\"},\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"}}\n");
    const store_index *g = store_table_index(t, "g");
    assert_int_equal(g->size_bytes, g->entries.bytes);
    store_table_free(t);
}

static void test_include_adds_the_listed_attributes(void **state)
{
    (void)state;
    store_table *t = new_table(STORE_PROJECT_INCLUDE, "inc");
    put(t, full_item);
    assert_walk(t, "g",
                "{\"gpk\":{\"S\":\"x\"},\"gsk\":{\"N\":\"5\"},\"inc\":{\"S\":\"kept\"},\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"}}\n");
    store_value *inc = name("inc"), *other = name("other");
    assert_true(store_index_projects(t, store_table_index(t, "g"), inc));
    assert_false(store_index_projects(t, store_table_index(t, "g"), other));
    store_release(inc);
    store_release(other);
    store_table_free(t);
}

static void test_all_shares_the_item(void **state)
{
    (void)state;
    store_table *t = new_table(STORE_PROJECT_ALL, NULL);
    put(t, full_item);
    store_tree view = store_index_view(t, store_table_index(t, "g"));
    store_cursor c;
    store_cursor_open(&c, &view, NULL, STORE_SEEK_GE);
    const store_value *entry = store_cursor_next(&c);
    store_cursor_close(&c);
    store_value *key = item_of("{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"}}");
    assert_ptr_equal(entry, store_table_get(t, key));
    store_release(key);
    store_table_free(t);
}

/* An LSI keeps the table's item (reads may fetch any attribute), but counts projected bytes. */
static void test_lsi_keeps_the_item_counts_projected_bytes(void **state)
{
    (void)state;
    store_table *t = new_table(STORE_PROJECT_KEYS_ONLY, NULL);
    put(t, full_item);
    const store_index *l = store_table_index(t, "l");
    assert_walk(t, "l", "{\"gpk\":{\"S\":\"x\"},\"gsk\":{\"N\":\"5\"},\"inc\":{\"S\":\"kept\"},\"lsk\":{\"S\":\"m\"},"
                        "\"other\":{\"S\":\"dropped\"},\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"}}\n");
    assert_int_equal(l->size_bytes, (2 + 1) + (2 + 1) + (3 + 1)); /* pk, sk, lsk */
    store_table_free(t);
}

/* ------------------------------------------------------- backfill, snapshots */

static void test_fill_indexes_existing_items(void **state)
{
    (void)state;
    store_table *t = new_table(STORE_PROJECT_ALL, NULL);
    t->n_indexes = 0; /* as if the table had no index yet */
    put(t, "{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"},\"gpk\":{\"S\":\"x\"},\"gsk\":{\"N\":\"5\"}}");
    put(t, "{\"pk\":{\"S\":\"b\"},\"sk\":{\"S\":\"1\"},\"gpk\":{\"N\":\"7\"},\"gsk\":{\"N\":\"5\"}}");
    put(t, "{\"pk\":{\"S\":\"c\"},\"sk\":{\"S\":\"1\"}}");
    t->n_indexes = 2;
    store_index_fill(t, &t->indexes[0]);
    assert_int_equal(count_of(t, "g"), 1);
    assert_walk(t, "g", "{\"gpk\":{\"S\":\"x\"},\"gsk\":{\"N\":\"5\"},\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"}}\n");
    store_table_free(t);
}

static void test_snapshot_shares_index_orders(void **state)
{
    (void)state;
    store_table *t = new_table(STORE_PROJECT_KEYS_ONLY, NULL);
    put(t, "{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"},\"gpk\":{\"S\":\"x\"},\"gsk\":{\"N\":\"5\"}}");
    store_table *snap = store_table_clone(t);
    assert_non_null(snap);
    assert_ptr_equal(snap->indexes[0].entries.dir, t->indexes[0].entries.dir);
    put(t, "{\"pk\":{\"S\":\"b\"},\"sk\":{\"S\":\"1\"},\"gpk\":{\"S\":\"x\"},\"gsk\":{\"N\":\"6\"}}");
    del(t, "{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"}}");
    assert_walk(snap, "g", "{\"gpk\":{\"S\":\"x\"},\"gsk\":{\"N\":\"5\"},\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"}}\n");
    assert_walk(t, "g", "{\"gpk\":{\"S\":\"x\"},\"gsk\":{\"N\":\"6\"},\"pk\":{\"S\":\"b\"},\"sk\":{\"S\":\"1\"}}\n");
    assert_int_equal(count_of(snap, "g"), 1);
    store_table_free(t);
    assert_walk(snap, "g", "{\"gpk\":{\"S\":\"x\"},\"gsk\":{\"N\":\"5\"},\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"}}\n");
    store_table_free(snap);
}

/* ------------------------------------------------------ write-time checks */

static void assert_check_fails(const store_table *t, const char *json, const char *message)
{
    store_value *item = item_of(json);
    store_error err = {0};
    assert_false(store_table_check_key(t, item, false, &err));
    assert_int_equal(err.status, STORE_ERR_VALIDATION);
    assert_string_equal(err.message, message);
    store_release(item);
}

static void test_index_keys_are_checked_on_write(void **state)
{
    (void)state;
    store_table *t = new_table(STORE_PROJECT_ALL, NULL);
    assert_check_fails(t, "{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"},\"gsk\":{\"S\":\"5\"}}",
                       "One or more parameter values were invalid: Type mismatch for Index Key gsk Expected: N "
                       "Actual: S IndexName: g");
    assert_check_fails(t, "{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"},\"gpk\":{\"S\":\"\"}}",
                       "One or more parameter values are not valid. A value specified for a secondary index key is "
                       "not supported. The AttributeValue for a key attribute cannot contain an empty string value. "
                       "IndexName: g, IndexKey: gpk");
    store_value *ok = item_of("{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"},\"gpk\":{\"S\":\"x\"}}");
    store_error err = {0};
    assert_true(store_table_check_key(t, ok, false, &err));
    store_release(ok);
    store_table_free(t);
}

/* ------------------------------------------------------------------- TTL */

#define NOW_S 1767225600LL /* 2026-01-01T00:00:00Z */

typedef struct ttl_fixture {
    store_db *db;
    store_table *t;
} ttl_fixture;

static int ttl_setup(void **state)
{
    ttl_fixture *f = calloc(1, sizeof *f);
    f->db = store_db_new();
    f->db->clock.fixed = true;
    f->db->clock.fixed_ms = NOW_S * 1000;
    f->t = new_table(STORE_PROJECT_KEYS_ONLY, NULL);
    assert_true(store_db_add_table(f->db, f->t));
    store_table_set_ttl(f->t, "exp");
    *state = f;
    return 0;
}

static int ttl_teardown(void **state)
{
    ttl_fixture *f = *state;
    store_db_free(f->db);
    free(f);
    return 0;
}

static void put_with_ttl(store_table *t, const char *pk, const char *exp_json)
{
    char json[256];
    snprintf(json, sizeof json, "{\"pk\":{\"S\":\"%s\"},\"sk\":{\"S\":\"1\"},\"gpk\":{\"S\":\"x\"},\"gsk\":{\"N\":\"1\"}%s%s}",
             pk, exp_json ? ",\"exp\":" : "", exp_json ? exp_json : "");
    put(t, json);
}

static bool visible(const store_table *t, const char *pk)
{
    char json[128];
    snprintf(json, sizeof json, "{\"pk\":{\"S\":\"%s\"},\"sk\":{\"S\":\"1\"}}", pk);
    store_value *key = item_of(json);
    bool found = store_table_get(t, key) != NULL;
    store_release(key);
    return found;
}

static size_t cursor_count(const store_tree *tree)
{
    store_cursor c;
    store_cursor_open(&c, tree, NULL, STORE_SEEK_GE);
    size_t n = 0;
    while (store_cursor_next(&c)) n++;
    store_cursor_close(&c);
    return n;
}

static void test_expired_items_vanish_from_reads_at_once(void **state)
{
    ttl_fixture *f = *state;
    put_with_ttl(f->t, "past", "{\"N\":\"1767225599\"}");
    put_with_ttl(f->t, "future", "{\"N\":\"1767225601\"}");
    put_with_ttl(f->t, "none", NULL);
    put_with_ttl(f->t, "string", "{\"S\":\"1\"}");
    put_with_ttl(f->t, "ancient", "{\"N\":\"1000\"}"); /* more than five years ago: never expires */
    assert_false(visible(f->t, "past"));
    assert_true(visible(f->t, "future"));
    assert_true(visible(f->t, "none"));
    assert_true(visible(f->t, "string"));
    assert_true(visible(f->t, "ancient"));
    assert_int_equal(cursor_count(&f->t->items), 4);
    store_tree view = store_index_view(f->t, store_table_index(f->t, "g"));
    assert_int_equal(cursor_count(&view), 4); /* KEYS_ONLY entries: the table's item decides */
    assert_int_equal(f->t->items.count, 5);   /* still stored until a write or the clock deletes it */
}

static void test_expiry_deletes_from_table_and_indexes(void **state)
{
    ttl_fixture *f = *state;
    put_with_ttl(f->t, "a", "{\"N\":\"1767225610\"}");
    put_with_ttl(f->t, "b", "{\"N\":\"1767225620.5\"}");
    put_with_ttl(f->t, "c", "{\"N\":\"1767225630\"}");
    assert_int_equal(store_db_expire(f->db), 0);
    f->db->clock.fixed_ms = (NOW_S + 21) * 1000; /* the clock moves: a and b expire */
    assert_int_equal(store_db_expire(f->db), 2);
    assert_int_equal(f->t->items.count, 1);
    assert_int_equal(count_of(f->t, "g"), 1);
    assert_int_equal(f->t->ttl_order.count, 1);
    assert_true(visible(f->t, "c"));
    /* The write lock deletes them too. */
    f->db->clock.fixed_ms = (NOW_S + 31) * 1000;
    store_db_write_lock(f->db);
    store_db_unlock(f->db);
    assert_int_equal(f->t->items.count, 0);
    assert_int_equal(count_of(f->t, "g"), 0);
}

static void test_writing_an_expired_key_hands_nothing_back(void **state)
{
    ttl_fixture *f = *state;
    put_with_ttl(f->t, "a", "{\"N\":\"1\"}");
    put_with_ttl(f->t, "a", "{\"N\":\"1767225599\"}");
    store_value *replaced = NULL;
    assert_true(store_table_put(f->t, item_of("{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"1\"}}"), &replaced));
    assert_null(replaced);
    assert_int_equal(f->t->ttl_order.count, 0);
}

static void test_enabling_ttl_orders_existing_items_and_disabling_forgets(void **state)
{
    ttl_fixture *f = *state;
    store_table_set_ttl(f->t, NULL);
    put_with_ttl(f->t, "a", "{\"N\":\"1767225599\"}");
    assert_true(visible(f->t, "a"));
    store_table_set_ttl(f->t, "exp");
    assert_false(visible(f->t, "a"));
    assert_int_equal(f->t->ttl_order.count, 1);
    store_table_set_ttl(f->t, NULL);
    assert_true(visible(f->t, "a"));
    assert_int_equal(f->t->ttl_order.count, 0);
}

static void test_clone_keeps_ttl_and_hides_in_the_clone(void **state)
{
    ttl_fixture *f = *state;
    put_with_ttl(f->t, "a", "{\"N\":\"1767225610\"}");
    store_table *snap = store_table_clone(f->t);
    assert_ptr_equal(snap->items.hidden_arg, snap);
    assert_true(visible(snap, "a"));
    f->db->clock.fixed_ms = (NOW_S + 11) * 1000;
    assert_false(visible(snap, "a"));
    assert_int_equal(store_table_expire(snap), 1);
    assert_int_equal(snap->items.count, 0);
    assert_int_equal(f->t->items.count, 1);
    store_table_free(snap);
}

/* ------------------------------------------------------------------ tags */

static void test_tags_set_replace_remove_clone(void **state)
{
    (void)state;
    store_table *t = store_table_new("tagged");
    set_keys(&t->key, "pk", STORE_S, NULL, STORE_S);
    assert_true(store_table_set_tag(t, "env", "test"));
    assert_true(store_table_set_tag(t, "team", "db"));
    assert_true(store_table_set_tag(t, "env", "prod"));
    assert_int_equal(t->n_tags, 2);
    assert_string_equal(store_table_find_tag(t, "env")->value, "prod");
    store_table *copy = store_table_clone(t);
    store_table_remove_tag(t, "env");
    store_table_remove_tag(t, "absent");
    assert_int_equal(t->n_tags, 1);
    assert_string_equal(t->tags[0].key, "team");
    assert_int_equal(copy->n_tags, 2);
    assert_string_equal(store_table_find_tag(copy, "env")->value, "prod");
    store_table_free(copy);
    store_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_adds_to_every_index),
        cmocka_unit_test(test_sparse_items_stay_out),
        cmocka_unit_test(test_replace_moves_the_entry),
        cmocka_unit_test(test_remove_drops_the_entry),
        cmocka_unit_test(test_repeated_index_keys_keep_every_item),
        cmocka_unit_test(test_seek_spans_the_run),
        cmocka_unit_test(test_multi_attribute_keys),
        cmocka_unit_test(test_keys_only_projects_table_and_index_keys),
        cmocka_unit_test(test_include_adds_the_listed_attributes),
        cmocka_unit_test(test_all_shares_the_item),
        cmocka_unit_test(test_lsi_keeps_the_item_counts_projected_bytes),
        cmocka_unit_test(test_fill_indexes_existing_items),
        cmocka_unit_test(test_snapshot_shares_index_orders),
        cmocka_unit_test(test_index_keys_are_checked_on_write),
        cmocka_unit_test_setup_teardown(test_expired_items_vanish_from_reads_at_once, ttl_setup, ttl_teardown),
        cmocka_unit_test_setup_teardown(test_expiry_deletes_from_table_and_indexes, ttl_setup, ttl_teardown),
        cmocka_unit_test_setup_teardown(test_writing_an_expired_key_hands_nothing_back, ttl_setup, ttl_teardown),
        cmocka_unit_test_setup_teardown(test_enabling_ttl_orders_existing_items_and_disabling_forgets, ttl_setup,
                                        ttl_teardown),
        cmocka_unit_test_setup_teardown(test_clone_keeps_ttl_and_hides_in_the_clone, ttl_setup, ttl_teardown),
        cmocka_unit_test(test_tags_set_replace_remove_clone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
