/* tests/unit/test_stream.c — the change log (store/stream.h) through the one
 * write path (store_table_put / store_table_remove) and through dynemu.h:
 * events and images, no record for a write that changes nothing, sequence
 * order, retention, rollback, snapshots sharing records, labels made unique,
 * and the in-process read of a table's records. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dynemu.h"
#include "store/db.h"
#include "store/stream.h"
#include "support.h"

typedef struct fixture {
    store_db *db;
    store_table *t;
    store_stream *st;
} fixture;

static int setup(void **state)
{
    static fixture f;
    f.db = store_db_new();
    f.t = store_table_new("things");
    f.t->key.names.pk_name = store_name("pk", 2);
    f.t->key.pk_type = STORE_S;
    assert_true(store_db_add_table(f.db, f.t));
    f.db->clock.fixed = true;
    f.db->clock.fixed_ms = 1767225600000LL;
    f.st = store_streams_create(f.db->streams, "things", &f.t->key, STORE_STREAM_NEW_AND_OLD_IMAGES,
                                store_db_now_ms(f.db));
    assert_non_null(f.st);
    f.t->stream = f.st;
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    store_db_free(f->db);
    return 0;
}

static void put(fixture *f, const char *json)
{
    store_value *replaced = NULL;
    assert_true(store_table_put(f->t, item_of(json), &replaced));
    store_release(replaced);
}

static void del(fixture *f, const char *key_json)
{
    store_value *key = item_of(key_json);
    store_release(store_table_remove(f->t, key));
    store_release(key);
}

static void test_events_and_images_follow_the_writes(void **state)
{
    fixture *f = *state;
    put(f, "{\"pk\":{\"S\":\"a\"},\"v\":{\"N\":\"1\"}}");
    put(f, "{\"pk\":{\"S\":\"a\"},\"v\":{\"N\":\"2\"}}");
    del(f, "{\"pk\":{\"S\":\"a\"}}");
    assert_int_equal(f->st->n, 3);
    assert_int_equal(f->st->records[0]->event, STORE_EVENT_INSERT);
    assert_null(f->st->records[0]->old_item);
    assert_int_equal(f->st->records[1]->event, STORE_EVENT_MODIFY);
    assert_non_null(f->st->records[1]->old_item);
    assert_non_null(f->st->records[1]->new_item);
    assert_int_equal(f->st->records[2]->event, STORE_EVENT_REMOVE);
    assert_null(f->st->records[2]->new_item);
    for (size_t i = 1; i < 3; i++) assert_true(f->st->records[i]->seq > f->st->records[i - 1]->seq);
    assert_int_equal(f->st->records[0]->at_ms, 1767225600000LL);
}

static void test_a_write_that_changes_nothing_writes_no_record(void **state)
{
    fixture *f = *state;
    put(f, "{\"pk\":{\"S\":\"a\"},\"v\":{\"SS\":[\"x\",\"y\"]}}");
    put(f, "{\"pk\":{\"S\":\"a\"},\"v\":{\"SS\":[\"y\",\"x\"]}}");
    del(f, "{\"pk\":{\"S\":\"nobody\"}}");
    assert_int_equal(f->st->n, 1);
}

static void test_a_disabled_stream_records_nothing(void **state)
{
    fixture *f = *state;
    store_stream_disable(f->st, store_db_now_ms(f->db));
    put(f, "{\"pk\":{\"S\":\"a\"}}");
    assert_int_equal(f->st->n, 0);
    assert_false(store_stream_visible(f->st, f->db->clock.fixed_ms + STORE_STREAM_RETENTION_MS));
    assert_true(store_stream_visible(f->st, f->db->clock.fixed_ms + STORE_STREAM_RETENTION_MS - 1));
}

static void test_retention_drops_records_older_than_a_day(void **state)
{
    fixture *f = *state;
    put(f, "{\"pk\":{\"S\":\"old\"}}");
    f->db->clock.fixed_ms += 3600 * 1000;
    put(f, "{\"pk\":{\"S\":\"new\"}}");
    uint64_t old_seq = f->st->records[0]->seq;
    int64_t later = f->db->clock.fixed_ms - 3600 * 1000 + STORE_STREAM_RETENTION_MS;
    assert_int_equal(store_stream_first_retained(f->st, later), 1);
    assert_int_equal(store_stream_trim_horizon(f->st, later), old_seq);
    store_streams_trim(f->db->streams, later);
    assert_int_equal(f->st->n, 1);
    assert_int_equal(f->st->trimmed_through, old_seq);
    assert_int_equal(store_stream_trim_horizon(f->st, later), old_seq);
}

static void test_rollback_drops_records_from_the_mark(void **state)
{
    fixture *f = *state;
    put(f, "{\"pk\":{\"S\":\"kept\"}}");
    uint64_t mark = store_streams_mark(f->db->streams);
    put(f, "{\"pk\":{\"S\":\"undone-1\"}}");
    put(f, "{\"pk\":{\"S\":\"undone-2\"}}");
    store_streams_rollback(f->db->streams, mark);
    assert_int_equal(f->st->n, 1);
    put(f, "{\"pk\":{\"S\":\"next\"}}");
    assert_int_equal(f->st->records[1]->seq, mark); /* the undone numbers are given again */
}

static void test_a_clone_shares_records_and_writes_apart(void **state)
{
    fixture *f = *state;
    put(f, "{\"pk\":{\"S\":\"a\"}}");
    store_db *copy = store_db_new();
    assert_true(store_db_clone_tables(copy, f->db));
    store_table *t2 = store_db_table(copy, "things");
    assert_non_null(t2->stream);
    assert_ptr_not_equal(t2->stream, f->st);
    assert_ptr_equal(t2->stream->records[0], f->st->records[0]);
    store_value *replaced = NULL;
    assert_true(store_table_put(t2, item_of("{\"pk\":{\"S\":\"b\"}}"), &replaced));
    assert_int_equal(t2->stream->n, 2);
    assert_int_equal(f->st->n, 1);
    store_db_free(copy);
    assert_int_equal(f->st->records[0]->event, STORE_EVENT_INSERT); /* still alive after the clone is freed */
}

static void test_a_new_stream_at_the_same_time_gets_a_later_label(void **state)
{
    fixture *f = *state;
    store_stream_disable(f->st, store_db_now_ms(f->db));
    store_stream *again = store_streams_create(f->db->streams, "things", &f->t->key, STORE_STREAM_KEYS_ONLY,
                                               store_db_now_ms(f->db));
    assert_string_equal(f->st->label, "2026-01-01T00:00:00.000");
    assert_string_equal(again->label, "2026-01-01T00:00:00.001");
    assert_int_equal(again->slot, 1);
}

/* ---------------------------------------------------------------- through dynemu.h */

static int call(dynemu_db *db, const char *op, const char *body, char **out)
{
    size_t len;
    return dynemu_call(db, op, body, strlen(body), out, &len);
}

static void test_linked_programs_read_the_log(void **state)
{
    (void)state;
    dynemu_db *db = dynemu_open();
    char *out;
    assert_int_equal(call(db, "CreateTable",
                          "{\"TableName\":\"linked\",\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"}],"
                          "\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"}],"
                          "\"BillingMode\":\"PAY_PER_REQUEST\",\"StreamSpecification\":{\"StreamEnabled\":true,"
                          "\"StreamViewType\":\"KEYS_ONLY\"}}",
                          &out), 200);
    dynemu_free(out);
    assert_int_equal(call(db, "PutItem", "{\"TableName\":\"linked\",\"Item\":{\"pk\":{\"S\":\"k\"},\"v\":{\"N\":\"1\"}}}",
                          &out), 200);
    dynemu_free(out);
    size_t len;
    assert_int_equal(dynemu_stream_records(db, "linked", NULL, &out, &len), 200);
    assert_non_null(strstr(out, "\"eventName\":\"INSERT\""));
    assert_non_null(strstr(out, "\"Keys\":{\"pk\":{\"S\":\"k\"}}"));
    assert_null(strstr(out, "NewImage")); /* KEYS_ONLY */
    dynemu_free(out);
    assert_int_equal(call(db, "ListStreams", "{}", &out), 200);
    assert_non_null(strstr(out, "table/linked/stream/"));
    dynemu_free(out);
    assert_int_equal(dynemu_stream_records(db, "nothing-here", NULL, &out, &len), 400);
    assert_non_null(strstr(out, "ResourceNotFoundException"));
    dynemu_free(out);
    assert_int_equal(dynemu_stream_records(db, "linked", "12", &out, &len), 400);
    dynemu_free(out);
    dynemu_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_events_and_images_follow_the_writes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_write_that_changes_nothing_writes_no_record, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_disabled_stream_records_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retention_drops_records_older_than_a_day, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollback_drops_records_from_the_mark, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_clone_shares_records_and_writes_apart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_new_stream_at_the_same_time_gets_a_later_label, setup, teardown),
        cmocka_unit_test(test_linked_programs_read_the_log),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
