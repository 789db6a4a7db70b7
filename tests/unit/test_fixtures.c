/* tests/unit/test_fixtures.c — fixtures (every format, every kind of bad
 * file, all or nothing, dump → load → dump), reset, snapshots, the clock,
 * the control API's routes and namespaces, through the linked API. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dynemu.h"
#include "emulator/control.h"
#include "emulator/database.h"
#include "emulator/namespaces.h"
#include "fixtures/fixtures.h"

/* ---------------------------------------------------------------- helpers */

static char folder[64];

/* Writes text to folder/name; returns the path (static storage, one at a time per slot). */
static const char *write_file(const char *name, const char *text)
{
    static char paths[8][256];
    static int slot;
    char *path = paths[slot++ % 8];
    snprintf(path, 256, "%s/%s", folder, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static int make_folder(void **state)
{
    (void)state;
    snprintf(folder, sizeof folder, "/tmp/dynemu-fixtures-XXXXXX");
    return mkdtemp(folder) ? 0 : -1;
}

static int remove_folder(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", folder);
    return system(cmd) == 0 ? 0 : -1;
}

#define USERS_TABLE \
    "{\"TableName\": \"users\", \"KeySchema\": [{\"AttributeName\": \"id\", \"KeyType\": \"HASH\"}]," \
    " \"AttributeDefinitions\": [{\"AttributeName\": \"id\", \"AttributeType\": \"S\"}], \"BillingMode\": \"PAY_PER_REQUEST\"}"
#define POSTS_TABLE \
    "{\"TableName\": \"posts\", \"KeySchema\": [{\"AttributeName\": \"id\", \"KeyType\": \"HASH\"}]," \
    " \"AttributeDefinitions\": [{\"AttributeName\": \"id\", \"AttributeType\": \"S\"}], \"BillingMode\": \"PAY_PER_REQUEST\"}"
#define EVENTS_TABLE \
    "{\"TableName\": \"events\", \"KeySchema\": [{\"AttributeName\": \"pk\", \"KeyType\": \"HASH\"}," \
    " {\"AttributeName\": \"at\", \"KeyType\": \"RANGE\"}], \"AttributeDefinitions\": [{\"AttributeName\": \"pk\"," \
    " \"AttributeType\": \"S\"}, {\"AttributeName\": \"at\", \"AttributeType\": \"N\"}, {\"AttributeName\": \"kind\"," \
    " \"AttributeType\": \"S\"}], \"ProvisionedThroughput\": {\"ReadCapacityUnits\": 5, \"WriteCapacityUnits\": 3}," \
    " \"GlobalSecondaryIndexes\": [{\"IndexName\": \"by-kind\", \"KeySchema\": [{\"AttributeName\": \"kind\"," \
    " \"KeyType\": \"HASH\"}], \"Projection\": {\"ProjectionType\": \"INCLUDE\", \"NonKeyAttributes\": [\"note\"]}," \
    " \"ProvisionedThroughput\": {\"ReadCapacityUnits\": 1, \"WriteCapacityUnits\": 1}}]}"

static const char blog[] =
    "{\"tables\": [" USERS_TABLE ", " POSTS_TABLE "],\n"
    " \"items\": {\"users\": [{\"id\": {\"S\": \"bob\"}, \"name\": {\"S\": \"Bob\"}}],\n"
    "            \"posts\": [{\"id\": {\"S\": \"post-1\"}}, {\"id\": {\"S\": \"post-2\"}, \"tags\": {\"SS\": [\"b\", \"a\"]}}]}}\n";

/* Runs an operation, asserts its status, returns the parsed answer. */
static cJSON *call(dynemu_db *db, const char *op, const char *request, int expected_status)
{
    char *body;
    size_t len;
    int status = dynemu_call(db, op, request, strlen(request), &body, &len);
    if (status != expected_status) fail_msg("%s answered %d: %s", op, status, body);
    cJSON *json = cJSON_Parse(body);
    dynemu_free(body);
    return json;
}

static int item_count(dynemu_db *db, const char *table)
{
    char request[128];
    snprintf(request, sizeof request, "{\"TableName\": \"%s\", \"Select\": \"COUNT\"}", table);
    cJSON *answer = call(db, "Scan", request, 200);
    int n = cJSON_GetObjectItem(answer, "Count")->valueint;
    cJSON_Delete(answer);
    return n;
}

static int table_count(dynemu_db *db)
{
    cJSON *answer = call(db, "ListTables", "{}", 200);
    int n = cJSON_GetArraySize(cJSON_GetObjectItem(answer, "TableNames"));
    cJSON_Delete(answer);
    return n;
}

static bool has_item(dynemu_db *db, const char *table, const char *id)
{
    char request[256];
    snprintf(request, sizeof request, "{\"TableName\": \"%s\", \"Key\": {\"id\": {\"S\": \"%s\"}}}", table, id);
    cJSON *answer = call(db, "GetItem", request, 200);
    bool found = cJSON_GetObjectItem(answer, "Item") != NULL;
    cJSON_Delete(answer);
    return found;
}

static void put(dynemu_db *db, const char *table, const char *id)
{
    char request[256];
    snprintf(request, sizeof request, "{\"TableName\": \"%s\", \"Item\": {\"id\": {\"S\": \"%s\"}}}", table, id);
    cJSON_Delete(call(db, "PutItem", request, 200));
}

static dynemu_db *open_one(const char *path)
{
    char *error = NULL;
    dynemu_db *db = dynemu_open_fixtures(&path, 1, &error);
    if (!db) fail_msg("%s did not load: %s", path, error);
    return db;
}

/* Loading path must fail with exactly this message, after the path's own name. */
static void assert_refused(const char *path, const char *expected_after_path)
{
    char *error = NULL, expected[1024];
    dynemu_db *db = dynemu_open_fixtures(&path, 1, &error);
    assert_null(db);
    assert_non_null(error);
    snprintf(expected, sizeof expected, "%s: %s", path, expected_after_path);
    assert_string_equal(error, expected);
    dynemu_free(error);
}

/* Loading path must fail with a message that starts with the path, then
 * prefix, and contains fragment (for messages owned by other layers). */
static void assert_refused_like(const char *path, const char *prefix, const char *fragment)
{
    char *error = NULL, expected[1024];
    assert_null(dynemu_open_fixtures(&path, 1, &error));
    assert_non_null(error);
    snprintf(expected, sizeof expected, "%s: %s", path, prefix);
    if (strncmp(error, expected, strlen(expected)) != 0 || !strstr(error, fragment))
        fail_msg("expected %s...%s..., got %s", expected, fragment, error);
    dynemu_free(error);
}

/* ---------------------------------------------------------------- formats */

static void fixture_document_loads_tables_and_items(void **state)
{
    (void)state;
    dynemu_db *db = open_one(write_file("blog.json", blog));
    assert_int_equal(table_count(db), 2);
    assert_int_equal(item_count(db, "users"), 1);
    assert_int_equal(item_count(db, "posts"), 2);
    assert_true(has_item(db, "posts", "post-2"));
    dynemu_close(db);
}

static void create_table_cli_input_loads(void **state)
{
    (void)state;
    dynemu_db *db = open_one(write_file("events-table.json", EVENTS_TABLE));
    cJSON *d = call(db, "DescribeTable", "{\"TableName\": \"events\"}", 200);
    cJSON *t = cJSON_GetObjectItem(d, "Table");
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(t, "ProvisionedThroughput"), "ReadCapacityUnits")->valueint, 5);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(t, "GlobalSecondaryIndexes")), 1);
    cJSON_Delete(d);
    dynemu_close(db);
}

static void batch_write_request_items_load_bare_and_wrapped(void **state)
{
    (void)state;
    const char *paths[] = {
        write_file("a-tables.json", "{\"tables\": [" POSTS_TABLE "]}"),
        write_file("b-bare.json", "{\"posts\": [{\"PutRequest\": {\"Item\": {\"id\": {\"S\": \"p1\"}}}},"
                                  " {\"PutRequest\": {\"Item\": {\"id\": {\"S\": \"p2\"}}}}]}"),
        write_file("c-wrapped.json", "{\"RequestItems\": {\"posts\": [{\"PutRequest\": {\"Item\": {\"id\": {\"S\": \"p3\"}}}},"
                                     " {\"DeleteRequest\": {\"Key\": {\"id\": {\"S\": \"p1\"}}}}]}}"),
    };
    char *error = NULL;
    dynemu_db *db = dynemu_open_fixtures(paths, 3, &error);
    if (!db) fail_msg("%s", error);
    assert_int_equal(item_count(db, "posts"), 2);
    assert_false(has_item(db, "posts", "p1"));
    assert_true(has_item(db, "posts", "p3"));
    dynemu_close(db);
}

static void export_lines_load_into_the_table_named_by_the_file(void **state)
{
    (void)state;
    const char *paths[] = {
        write_file("tables.json", "{\"tables\": [" POSTS_TABLE "]}"),
        write_file("posts.json", "{\"Item\": {\"id\": {\"S\": \"e1\"}}}\n\n{\"Item\": {\"id\": {\"S\": \"e2\"}}}\n"),
        write_file("posts.jsonl", "{\"Item\": {\"id\": {\"S\": \"e3\"}}}"),
    };
    char *error = NULL;
    dynemu_db *db = dynemu_open_fixtures(paths, 3, &error);
    if (!db) fail_msg("%s", error);
    assert_int_equal(item_count(db, "posts"), 3);
    dynemu_close(db);
}

static void folder_loads_in_name_order(void **state)
{
    (void)state;
    char sub[128], cmd[200];
    snprintf(sub, sizeof sub, "%s/ordered", folder);
    assert_int_equal(mkdir(sub, 0700), 0);
    /* 02 needs the table 01 makes: only name order works. */
    write_file("ordered/02-items.json", "{\"items\": {\"posts\": [{\"id\": {\"S\": \"x\"}}]}}");
    write_file("ordered/01-tables.json", "{\"tables\": [" POSTS_TABLE "]}");
    write_file("ordered/notes.txt", "not a fixture");
    dynemu_db *db = open_one(sub);
    assert_int_equal(item_count(db, "posts"), 1);
    dynemu_close(db);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", sub);
    assert_int_equal(system(cmd), 0);
}

static void later_item_with_the_same_key_replaces_the_earlier(void **state)
{
    (void)state;
    dynemu_db *db = open_one(write_file("twice.json", "{\"tables\": [" POSTS_TABLE "], \"items\": {\"posts\": ["
                                                      "{\"id\": {\"S\": \"a\"}, \"v\": {\"N\": \"1\"}},"
                                                      "{\"id\": {\"S\": \"a\"}, \"v\": {\"N\": \"2\"}}]}}"));
    cJSON *got = call(db, "GetItem", "{\"TableName\": \"posts\", \"Key\": {\"id\": {\"S\": \"a\"}}}", 200);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(got, "Item"), "v"), "N")->valuestring, "2");
    cJSON_Delete(got);
    dynemu_close(db);
}

/* ---------------------------------------------------------------- bad fixtures */

static void invalid_json_names_line_and_column(void **state)
{
    (void)state;
    assert_refused(write_file("bad-json.json", "{\"tables\": [\n  {\"TableName\": \"x\",,}\n]}"),
                   "invalid JSON near line 2, column 22");
}

static void empty_file_is_refused(void **state)
{
    (void)state;
    assert_refused(write_file("empty.json", "  \n"), "empty (expected a JSON object)");
}

static void wrong_key_type_names_the_path(void **state)
{
    (void)state;
    assert_refused(write_file("blog.json", "{\"tables\": [" POSTS_TABLE "], \"items\": {\"posts\": ["
                                           "{\"id\": {\"S\": \"0\"}}, {\"id\": {\"S\": \"1\"}}, {\"id\": {\"S\": \"2\"}},"
                                           "{\"id\": {\"N\": \"3\"}}]}}"),
                   "items.posts[3].id: expected S");
}

static void plain_json_value_for_a_key_is_refused(void **state)
{
    (void)state;
    assert_refused(write_file("plain.json", "{\"tables\": [" POSTS_TABLE "], \"items\": {\"posts\": [{\"id\": \"p\"}]}}"),
                   "items.posts[0].id: expected S");
}

static void bad_attribute_value_names_the_attribute(void **state)
{
    (void)state;
    assert_refused_like(write_file("bad-value.json", "{\"tables\": [" POSTS_TABLE "], \"items\": {\"posts\": ["
                                                     "{\"id\": {\"S\": \"p\"}, \"n\": {\"N\": \"twelve\"}}]}}"),
                        "items.posts[0].n: ", "twelve");
}

static void missing_key_is_refused(void **state)
{
    (void)state;
    assert_refused(write_file("no-key.json", "{\"tables\": [" POSTS_TABLE "], \"items\": {\"posts\": ["
                                             "{\"title\": {\"S\": \"t\"}}]}}"),
                   "items.posts[0]: missing the key attribute id (S)");
}

static void missing_sort_key_is_refused(void **state)
{
    (void)state;
    assert_refused(write_file("no-sk.json", "{\"tables\": [" EVENTS_TABLE "], \"items\": {\"events\": ["
                                            "{\"pk\": {\"S\": \"a\"}}]}}"),
                   "items.events[0]: missing the key attribute at (N)");
}

static void table_twice_is_refused(void **state)
{
    (void)state;
    assert_refused(write_file("twice-table.json", "{\"tables\": [" POSTS_TABLE ", " POSTS_TABLE "]}"),
                   "tables[1]: Table already exists: posts");
}

static void table_twice_across_files_is_refused(void **state)
{
    (void)state;
    const char *paths[] = {write_file("t1.json", POSTS_TABLE), write_file("t2.json", POSTS_TABLE)};
    char *error = NULL;
    assert_null(dynemu_open_fixtures(paths, 2, &error));
    char expected[512];
    snprintf(expected, sizeof expected, "%s: Table already exists: posts", paths[1]);
    assert_string_equal(error, expected);
    dynemu_free(error);
}

static void unknown_table_in_items_is_refused(void **state)
{
    (void)state;
    assert_refused(write_file("no-table.json", "{\"items\": {\"ghosts\": [{\"id\": {\"S\": \"g\"}}]}}"),
                   "items.ghosts: no table named ghosts (declare it under \"tables\", here or in an earlier file)");
}

static void wrong_section_types_are_refused(void **state)
{
    (void)state;
    assert_refused(write_file("tables-obj.json", "{\"tables\": {}}"), "tables: expected an array of CreateTable requests");
    assert_refused(write_file("items-arr.json", "{\"items\": []}"), "items: expected an object of table name to items");
    assert_refused(write_file("items-obj.json", "{\"tables\": [" POSTS_TABLE "], \"items\": {\"posts\": {}}}"),
                   "items.posts: expected an array of items");
    assert_refused(write_file("item-str.json", "{\"tables\": [" POSTS_TABLE "], \"items\": {\"posts\": [\"p\"]}}"),
                   "items.posts[0]: expected an object (an item in DynamoDB JSON)");
    assert_refused(write_file("table-str.json", "{\"tables\": [\"posts\"]}"),
                   "tables[0]: expected an object (a CreateTable request)");
    assert_refused(write_file("assoc-obj.json", "{\"associations\": {}}"), "associations: expected an array of declarations");
    assert_refused(write_file("links-obj.json", "{\"links\": 3}"), "links: expected an array of links");
    assert_refused(write_file("top-array.json", "[]"),
                   "expected an object (a fixture document, a CreateTable request, batch-write request items or export lines)");
}

static void unknown_member_is_refused(void **state)
{
    (void)state;
    assert_refused(write_file("unknown.json", "{\"tabels\": []}"),
                   "tabels: unknown member (a fixture document has tables, items, associations and links)");
}

static void invalid_create_table_carries_dynamodbs_message(void **state)
{
    (void)state;
    assert_refused_like(write_file("bad-table.json",
                                   "{\"tables\": [{\"TableName\": \"x\", \"KeySchema\": [{\"AttributeName\": \"id\", \"KeyType\": \"HASH\"}],"
                                   " \"AttributeDefinitions\": [], \"BillingMode\": \"PAY_PER_REQUEST\"}]}"),
                        "tables[0]: ", "TableName must be at least 3 characters long");
}

static void bad_batch_request_is_refused(void **state)
{
    (void)state;
    const char *paths[] = {write_file("bt.json", POSTS_TABLE),
                           write_file("bb.json", "{\"posts\": [{\"PutRequest\": {\"Item\": {\"id\": {\"S\": \"a\"}}}},"
                                                 " {\"PutRequest\": {\"Item\": {\"id\": {\"B\": \"AAAA\"}}}}]}")};
    char *error = NULL, expected[512];
    assert_null(dynemu_open_fixtures(paths, 2, &error));
    snprintf(expected, sizeof expected, "%s: posts[1].PutRequest.Item.id: expected S", paths[1]);
    assert_string_equal(error, expected);
    dynemu_free(error);
}

static void export_line_errors_name_the_line(void **state)
{
    (void)state;
    const char *paths[] = {write_file("et.json", POSTS_TABLE),
                           write_file("posts.jsonl", "{\"Item\": {\"id\": {\"S\": \"a\"}}}\n{\"Item\": {\"id\": {\"S\": 7}}}\n")};
    char *error = NULL, expected[512];
    assert_null(dynemu_open_fixtures(paths, 2, &error));
    snprintf(expected, sizeof expected, "%s: line 2: Item.id: expected S", paths[1]);
    assert_string_equal(error, expected);
    dynemu_free(error);
    const char *orphan = write_file("orphans.jsonl", "{\"Item\": {\"id\": {\"S\": \"a\"}}}\n{\"Item\": {}}\n");
    assert_refused(orphan, "line 1: no table named orphans (an export file is named after its table)");
}

static void unknown_association_in_a_link_is_refused(void **state)
{
    (void)state;
    const char *path = write_file("bad-link.json",
                                  "{\"tables\": [" USERS_TABLE ", " POSTS_TABLE "], \"items\": {\"users\": [{\"id\": {\"S\": \"bob\"}}],"
                                  " \"posts\": [{\"id\": {\"S\": \"p1\"}}]}, \"links\": [{\"table\": \"users\", \"id\": \"bob\","
                                  " \"association\": \"comments\", \"ids\": [\"p1\"]}]}");
    char *error = NULL, prefix[512];
    assert_null(dynemu_open_fixtures(&path, 1, &error));
    snprintf(prefix, sizeof prefix, "%s: links[0]: ", path);
    assert_non_null(error);
    assert_memory_equal(error, prefix, strlen(prefix));
    assert_non_null(strstr(error, "comments"));
    dynemu_free(error);
}

static void missing_path_is_refused(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/nowhere.json", folder);
    assert_refused(path, "cannot open: No such file or directory");
}

/* ---------------------------------------------------------------- all or nothing */

static void a_bad_file_leaves_nothing_loaded(void **state)
{
    (void)state;
    dynemu_db *db = dynemu_open();
    const char *doc = "{\"tables\": [" USERS_TABLE "], \"items\": {\"users\": [{\"id\": {\"S\": \"a\"}}, {\"id\": {\"N\": \"1\"}}]}}";
    char *error = NULL;
    assert_int_equal(dynemu_load(db, doc, strlen(doc), &error), -1);
    assert_string_equal(error, "fixture: items.users[1].id: expected S");
    dynemu_free(error);
    assert_int_equal(table_count(db), 0);
    dynemu_close(db);
}

static void a_bad_second_file_undoes_the_first(void **state)
{
    (void)state;
    const char *paths[] = {write_file("good.json", blog), write_file("bad.json", "{\"items\": {\"posts\": [{}]}}")};
    char *error = NULL;
    assert_null(dynemu_open_fixtures(paths, 2, &error));
    dynemu_free(error);
    /* And an added document that fails leaves the earlier state exactly as it was. */
    dynemu_db *db = open_one(paths[0]);
    put(db, "posts", "mine");
    const char *doc = "{\"tables\": [{\"TableName\": \"more\", \"KeySchema\": [{\"AttributeName\": \"id\", \"KeyType\": \"HASH\"}],"
                      " \"AttributeDefinitions\": [{\"AttributeName\": \"id\", \"AttributeType\": \"S\"}], \"BillingMode\": \"PAY_PER_REQUEST\"}],"
                      " \"items\": {\"posts\": [{\"id\": {\"S\": \"new\"}}], \"more\": [{\"id\": {\"S\": \"\"}}]}}";
    size_t before_len, after_len;
    char *before = dynemu_dump(db, &before_len);
    assert_int_equal(dynemu_load(db, doc, strlen(doc), &error), -1);
    dynemu_free(error);
    char *after = dynemu_dump(db, &after_len);
    assert_string_equal(before, after);
    assert_int_equal(table_count(db), 2);
    dynemu_free(before);
    dynemu_free(after);
    dynemu_close(db);
}

/* ---------------------------------------------------------------- dump */

static void dump_load_dump_gives_the_same_bytes(void **state)
{
    (void)state;
    const char *paths[] = {write_file("d-blog.json", blog), write_file("d-events.json", EVENTS_TABLE)};
    char *error = NULL;
    dynemu_db *db = dynemu_open_fixtures(paths, 2, &error);
    if (!db) fail_msg("%s", error);
    cJSON_Delete(call(db, "PutItem", "{\"TableName\": \"events\", \"Item\": {\"pk\": {\"S\": \"e\"}, \"at\": {\"N\": \"1.50\"},"
                                     " \"m\": {\"M\": {\"b\": {\"B\": \"AQI=\"}, \"l\": {\"L\": [{\"NULL\": true}, {\"BOOL\": false}]}}},"
                                     " \"ns\": {\"NS\": [\"10\", \"9\", \"-1\"]}}}", 200));
    size_t len1, len2;
    char *first = dynemu_dump(db, &len1);
    dynemu_db *copy = dynemu_open();
    assert_int_equal(dynemu_load(copy, first, len1, &error), 0);
    char *second = dynemu_dump(copy, &len2);
    assert_int_equal(len1, len2);
    assert_string_equal(first, second);
    /* Attributes by name, numbers canonical, number sets in numeric order. */
    assert_non_null(strstr(first, "{\"at\":{\"N\":\"1.5\"},"));
    assert_non_null(strstr(first, "\"ns\":{\"NS\":[\"-1\",\"9\",\"10\"]}"));
    dynemu_free(first);
    dynemu_free(second);
    dynemu_close(copy);
    dynemu_close(db);
}

static void dump_of_an_empty_database_is_a_valid_document(void **state)
{
    (void)state;
    dynemu_db *db = dynemu_open();
    size_t len;
    char *dump = dynemu_dump(db, &len);
    assert_string_equal(dump, "{\n  \"tables\": [],\n  \"items\": {},\n  \"associations\": []\n}\n");
    dynemu_free(dump);
    dynemu_close(db);
}

/* ---------------------------------------------------------------- reset and snapshots */

static void reset_returns_to_the_loaded_state(void **state)
{
    (void)state;
    dynemu_db *db = open_one(write_file("r-blog.json", blog));
    size_t len;
    char *seeded = dynemu_dump(db, &len);
    put(db, "posts", "post-3");
    cJSON_Delete(call(db, "DeleteItem", "{\"TableName\": \"users\", \"Key\": {\"id\": {\"S\": \"bob\"}}}", 200));
    cJSON_Delete(call(db, "CreateTable", "{\"TableName\": \"extra\", \"KeySchema\": [{\"AttributeName\": \"id\", \"KeyType\": \"HASH\"}],"
                                         " \"AttributeDefinitions\": [{\"AttributeName\": \"id\", \"AttributeType\": \"S\"}],"
                                         " \"BillingMode\": \"PAY_PER_REQUEST\"}", 200));
    cJSON_Delete(call(db, "DeleteTable", "{\"TableName\": \"posts\"}", 200));
    assert_int_equal(dynemu_reset(db), 0);
    char *after = dynemu_dump(db, &len);
    assert_string_equal(seeded, after);
    /* Writes after a reset do not reach the seed. */
    put(db, "posts", "post-9");
    assert_int_equal(dynemu_reset(db), 0);
    assert_false(has_item(db, "posts", "post-9"));
    dynemu_free(seeded);
    dynemu_free(after);
    dynemu_close(db);
}

static void snapshots_save_and_restore_by_name(void **state)
{
    (void)state;
    dynemu_db *db = open_one(write_file("s-blog.json", blog));
    put(db, "posts", "one");
    assert_int_equal(dynemu_snapshot(db, "after-one"), 0);
    put(db, "posts", "two");
    assert_int_equal(dynemu_snapshot(db, "after-two"), 0);
    assert_int_equal(dynemu_restore(db, "after-one"), 0);
    assert_true(has_item(db, "posts", "one"));
    assert_false(has_item(db, "posts", "two"));
    assert_int_equal(dynemu_restore(db, "after-two"), 0);
    assert_true(has_item(db, "posts", "two"));
    /* Saving again under a name replaces it; restoring twice gives the same. */
    put(db, "posts", "three");
    assert_int_equal(dynemu_snapshot(db, "after-one"), 0);
    assert_int_equal(dynemu_reset(db), 0);
    assert_int_equal(dynemu_restore(db, "after-one"), 0);
    assert_true(has_item(db, "posts", "three"));
    assert_int_equal(dynemu_restore(db, "nope"), -1);
    assert_int_equal(dynemu_snapshot(db, "bad/name"), -1);
    assert_int_equal(dynemu_snapshot(db, ""), -1);
    dynemu_close(db);
}

/* ---------------------------------------------------------------- the clock */

static void clock_sets_creation_time_of_tables(void **state)
{
    (void)state;
    dynemu_db *db = dynemu_open();
    dynemu_clock_set(db, 1767225600000);    /* 2026-01-01T00:00:00Z */
    assert_int_equal(dynemu_clock_now(db), 1767225600000);
    dynemu_clock_advance(db, 1500);
    assert_int_equal(dynemu_clock_now(db), 1767225601500);
    cJSON *created = call(db, "CreateTable", USERS_TABLE, 200);
    double at = cJSON_GetObjectItem(cJSON_GetObjectItem(created, "TableDescription"), "CreationDateTime")->valuedouble;
    assert_true(at == 1767225601.5);
    cJSON_Delete(created);
    dynemu_clock_real(db);
    assert_true(dynemu_clock_now(db) > 1700000000000);
    dynemu_close(db);
}

static void fixture_tables_take_the_clock_and_reset_restores_it(void **state)
{
    (void)state;
    dynemu_db *db = dynemu_open();
    dynemu_clock_set(db, 1000000);
    const char *doc = "{\"tables\": [" USERS_TABLE "]}";
    assert_int_equal(dynemu_load(db, doc, strlen(doc), NULL), 0);
    cJSON *d = call(db, "DescribeTable", "{\"TableName\": \"users\"}", 200);
    assert_true(cJSON_GetObjectItem(cJSON_GetObjectItem(d, "Table"), "CreationDateTime")->valuedouble == 1000.0);
    cJSON_Delete(d);
    assert_int_equal(dynemu_snapshot(db, "fixed"), 0);
    dynemu_clock_advance(db, 5000);
    assert_int_equal(dynemu_restore(db, "fixed"), 0);
    assert_int_equal(dynemu_clock_now(db), 1000000);
    dynemu_close(db);
}

static void rfc3339_reads_and_writes(void **state)
{
    (void)state;
    int64_t ms;
    char text[40];
    assert_true(emu_parse_rfc3339("2026-01-01T00:00:00Z", &ms));
    assert_int_equal(ms, 1767225600000);
    assert_true(emu_parse_rfc3339("2026-01-01T02:30:00.25+02:30", &ms));
    assert_int_equal(ms, 1767225600250);
    assert_true(emu_parse_rfc3339("1969-12-31T23:59:59.999Z", &ms));
    assert_int_equal(ms, -1);
    assert_true(emu_parse_rfc3339("2024-02-29T12:00:00z", &ms));
    assert_false(emu_parse_rfc3339("2023-02-29T12:00:00Z", &ms));
    assert_false(emu_parse_rfc3339("2026-01-01T00:00:00", &ms));
    assert_false(emu_parse_rfc3339("2026-01-01", &ms));
    assert_false(emu_parse_rfc3339("2026-13-01T00:00:00Z", &ms));
    assert_false(emu_parse_rfc3339("2026-01-01T00:00:00Zjunk", &ms));
    emu_format_rfc3339(1767225600000, text);
    assert_string_equal(text, "2026-01-01T00:00:00Z");
    emu_format_rfc3339(1767225600250, text);
    assert_string_equal(text, "2026-01-01T00:00:00.250Z");
    emu_format_rfc3339(-1, text);
    assert_string_equal(text, "1969-12-31T23:59:59.999Z");
}

/* ---------------------------------------------------------------- the control API */

static int control(dynemu_db *db, const char *method, const char *path, const char *body, char **answer)
{
    size_t len;
    return dynemu_control(db, method, path, body, body ? strlen(body) : 0, answer, &len);
}

static void expect_control(dynemu_db *db, const char *method, const char *path, const char *body, int status,
                           const char *answer)
{
    char *got;
    int s = control(db, method, path, body, &got);
    if (s != status || strcmp(got, answer) != 0)
        fail_msg("%s %s: expected %d %s, got %d %s", method, path, status, answer, s, got);
    dynemu_free(got);
}

static void control_routes_answer_as_the_contract_says(void **state)
{
    (void)state;
    dynemu_db *db = open_one(write_file("c-blog.json", blog));
    expect_control(db, "POST", "/_dynemu/reset", NULL, 200, "{\"tables\":2,\"items\":3}");
    expect_control(db, "PUT", "/_dynemu/clock", "{\"now\": \"2026-01-01T00:00:00Z\"}", 200, "{\"now\":\"2026-01-01T00:00:00Z\"}");
    expect_control(db, "PUT", "/_dynemu/clock", "{\"advance_seconds\": 90}", 200, "{\"now\":\"2026-01-01T00:01:30Z\"}");
    expect_control(db, "GET", "/_dynemu/clock", NULL, 200, "{\"now\":\"2026-01-01T00:01:30Z\"}");
    expect_control(db, "POST", "/_dynemu/snapshots/base", NULL, 200, "{}");
    expect_control(db, "POST", "/_dynemu/fixtures", "{\"items\": {\"posts\": [{\"id\": {\"S\": \"p9\"}}]}}", 200,
                   "{\"tables\":2,\"items\":4}");
    expect_control(db, "POST", "/_dynemu/snapshots/base/restore", NULL, 200, "{}");
    assert_false(has_item(db, "posts", "p9"));
    expect_control(db, "GET", "/_dynemu/associations", NULL, 200, "{\"declarations\":[]}");
    dynemu_close(db);
}

static void control_errors_are_4xx_and_change_nothing(void **state)
{
    (void)state;
    dynemu_db *db = dynemu_open();
    dynemu_clock_set(db, 0);
    expect_control(db, "PUT", "/_dynemu/clock", "{\"now\": \"yesterday\"}", 400,
                   "{\"__type\":\"ValidationException\",\"message\":\"now: expected an RFC 3339 time between years 1970 and 9999, such as 2026-01-01T00:00:00Z\"}");
    expect_control(db, "PUT", "/_dynemu/clock", "{\"real\": false}", 400,
                   "{\"__type\":\"ValidationException\",\"message\":\"real: expected true\"}");
    expect_control(db, "PUT", "/_dynemu/clock", "{\"now\": \"2026-01-01T00:00:00Z\", \"real\": true}", 400,
                   "{\"__type\":\"ValidationException\",\"message\":\"Expected one of {\\\"now\\\": RFC3339}, "
                   "{\\\"advance_seconds\\\": N} or {\\\"real\\\": true}\"}");
    expect_control(db, "PUT", "/_dynemu/clock", "not json", 400,
                   "{\"__type\":\"ValidationException\",\"message\":\"Expected a JSON object as the request body\"}");
    assert_int_equal(dynemu_clock_now(db), 0);
    expect_control(db, "POST", "/_dynemu/snapshots/missing/restore", NULL, 400,
                   "{\"__type\":\"ResourceNotFoundException\",\"message\":\"No snapshot named missing\"}");
    expect_control(db, "POST", "/_dynemu/fixtures", "{\"items\": {\"x\": []}}", 400,
                   "{\"__type\":\"ValidationException\",\"message\":\"body: items.x: no table named x (declare it "
                   "under \\\"tables\\\", here or in an earlier file)\"}");
    expect_control(db, "GET", "/_dynemu/nothing", NULL, 404, "{\"__type\":\"NotFound\",\"message\":\"No such control endpoint\"}");
    expect_control(db, "DELETE", "/_dynemu/reset", NULL, 405,
                   "{\"__type\":\"MethodNotAllowed\",\"message\":\"This control endpoint does not take that method\"}");
    expect_control(db, "POST", "/_dynemu/snapshots//restore", NULL, 404,
                   "{\"__type\":\"NotFound\",\"message\":\"No such control endpoint\"}");
    assert_int_equal(table_count(db), 0);
    dynemu_close(db);
}

/* ---------------------------------------------------------------- namespaces */

static void namespace_key_is_access_key_and_region(void **state)
{
    (void)state;
    char key[64];
    assert_true(emu_namespace_key("AWS4-HMAC-SHA256 Credential=AKID1/20260101/eu-west-1/dynamodb/aws4_request, "
                                  "SignedHeaders=host, Signature=00", key, sizeof key));
    assert_string_equal(key, "AKID1/eu-west-1");
    assert_false(emu_namespace_key("Bearer x", key, sizeof key));
    assert_false(emu_namespace_key(NULL, key, sizeof key));
    assert_false(emu_namespace_key("Credential=AKID", key, sizeof key));
}

static void namespaces_are_seeded_and_isolated(void **state)
{
    (void)state;
    emu_database *start = emu_database_new();
    store_error err = {0};
    const char *path = write_file("n-blog.json", blog);
    assert_true(emu_database_load_paths(start, &path, 1, NULL, NULL, &err));
    assert_true(emu_database_mark_seed(start));
    emu_namespaces *ns = emu_namespaces_new(start, true);
    const char *a = "AWS4-HMAC-SHA256 Credential=A/20260101/us-east-1/dynamodb/aws4_request";
    const char *b = "AWS4-HMAC-SHA256 Credential=B/20260101/us-east-1/dynamodb/aws4_request";
    emu_database *da = emu_namespaces_get(ns, a), *db = emu_namespaces_get(ns, b);
    assert_ptr_not_equal(da, db);
    assert_ptr_equal(da, emu_namespaces_get(ns, a));
    assert_ptr_equal(start, emu_namespaces_get(ns, NULL));
    assert_int_equal(emu_database_counts(da).items, 3);
    const char *more = "{\"items\": {\"posts\": [{\"id\": {\"S\": \"only-a\"}}]}}";
    assert_true(emu_database_load_text(da, "more", more, strlen(more), &err));
    assert_int_equal(emu_database_counts(da).items, 4);
    assert_int_equal(emu_database_counts(db).items, 3);
    assert_true(emu_database_reset(da, &err));
    assert_int_equal(emu_database_counts(da).items, 3);
    assert_int_equal(emu_namespaces_count(ns), 3);
    emu_namespaces_free(ns);
}

static void shared_mode_gives_every_client_the_same_database(void **state)
{
    (void)state;
    emu_namespaces *ns = emu_namespaces_new(emu_database_new(), false);
    emu_database *d = emu_namespaces_get(ns, "AWS4-HMAC-SHA256 Credential=A/20260101/us-east-1/dynamodb/aws4_request");
    assert_ptr_equal(d, emu_namespaces_get(ns, NULL));
    emu_namespaces_free(ns);
}

/* ---------------------------------------------------------------- progress */

static size_t progress_calls, progress_last;

static void count_progress(void *ctx, size_t items)
{
    (void)ctx;
    progress_calls++;
    progress_last = items;
}

static void big_loads_report_progress(void **state)
{
    (void)state;
    size_t n = FIXTURE_PROGRESS_STEP + 10, cap = n * 40 + 1024, len = 0;
    char *doc = malloc(cap);
    len += (size_t)snprintf(doc + len, cap - len, "{\"tables\": [" POSTS_TABLE "], \"items\": {\"posts\": [");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(doc + len, cap - len, "%s{\"id\": {\"S\": \"p%zu\"}}", i ? "," : "", i);
    len += (size_t)snprintf(doc + len, cap - len, "]}}");
    emu_database *d = emu_database_new();
    fixture_loader *l = fixture_loader_new(d->db, d->assoc);
    fixture_loader_progress(l, count_progress, NULL);
    store_error err = {0};
    assert_true(fixture_load_text(l, "big", doc, len, &err));
    assert_int_equal(progress_calls, 1);
    assert_int_equal(progress_last, FIXTURE_PROGRESS_STEP);
    assert_int_equal(fixture_loader_items(l), n);
    fixture_loader_commit(l, d->db, &d->assoc);
    assert_int_equal(emu_database_counts(d).items, n);
    emu_database_free(d);
    free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fixture_document_loads_tables_and_items),
        cmocka_unit_test(create_table_cli_input_loads),
        cmocka_unit_test(batch_write_request_items_load_bare_and_wrapped),
        cmocka_unit_test(export_lines_load_into_the_table_named_by_the_file),
        cmocka_unit_test(folder_loads_in_name_order),
        cmocka_unit_test(later_item_with_the_same_key_replaces_the_earlier),
        cmocka_unit_test(invalid_json_names_line_and_column),
        cmocka_unit_test(empty_file_is_refused),
        cmocka_unit_test(wrong_key_type_names_the_path),
        cmocka_unit_test(plain_json_value_for_a_key_is_refused),
        cmocka_unit_test(bad_attribute_value_names_the_attribute),
        cmocka_unit_test(missing_key_is_refused),
        cmocka_unit_test(missing_sort_key_is_refused),
        cmocka_unit_test(table_twice_is_refused),
        cmocka_unit_test(table_twice_across_files_is_refused),
        cmocka_unit_test(unknown_table_in_items_is_refused),
        cmocka_unit_test(wrong_section_types_are_refused),
        cmocka_unit_test(unknown_member_is_refused),
        cmocka_unit_test(invalid_create_table_carries_dynamodbs_message),
        cmocka_unit_test(bad_batch_request_is_refused),
        cmocka_unit_test(export_line_errors_name_the_line),
        cmocka_unit_test(unknown_association_in_a_link_is_refused),
        cmocka_unit_test(missing_path_is_refused),
        cmocka_unit_test(a_bad_file_leaves_nothing_loaded),
        cmocka_unit_test(a_bad_second_file_undoes_the_first),
        cmocka_unit_test(dump_load_dump_gives_the_same_bytes),
        cmocka_unit_test(dump_of_an_empty_database_is_a_valid_document),
        cmocka_unit_test(reset_returns_to_the_loaded_state),
        cmocka_unit_test(snapshots_save_and_restore_by_name),
        cmocka_unit_test(clock_sets_creation_time_of_tables),
        cmocka_unit_test(fixture_tables_take_the_clock_and_reset_restores_it),
        cmocka_unit_test(rfc3339_reads_and_writes),
        cmocka_unit_test(control_routes_answer_as_the_contract_says),
        cmocka_unit_test(control_errors_are_4xx_and_change_nothing),
        cmocka_unit_test(namespace_key_is_access_key_and_region),
        cmocka_unit_test(namespaces_are_seeded_and_isolated),
        cmocka_unit_test(shared_mode_gives_every_client_the_same_database),
        cmocka_unit_test(big_loads_report_progress),
    };
    return cmocka_run_group_tests_name("fixtures", tests, make_folder, remove_folder);
}
