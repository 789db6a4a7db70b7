/* tests/unit/test_api.c — the linked C API (dynemu.h): whole operations
 * through dynemu_call with JSON strings, as a C unit test uses them; two
 * isolated databases; error bodies and HTTP statuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dynemu.h"

/* ---------------------------------------------------------------- helpers */

#define VALIDATION   "com.amazon.coral.validate#ValidationException"
#define SERIALIZATION "com.amazon.coral.service#SerializationException"
#define UNKNOWN_OP   "com.amazon.coral.service#UnknownOperationException"
#define NOT_FOUND    "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"
#define IN_USE       "com.amazonaws.dynamodb.v20120810#ResourceInUseException"

typedef struct dbs {
    dynemu_db *a, *b;
} dbs;

static int setup(void **state)
{
    dbs *d = calloc(1, sizeof *d);
    d->a = dynemu_open();
    d->b = dynemu_open();
    if (!d->a || !d->b) return -1;
    *state = d;
    return 0;
}

static int teardown(void **state)
{
    dbs *d = *state;
    dynemu_close(d->a);
    dynemu_close(d->b);
    free(d);
    return 0;
}

/* Runs op; returns the parsed body (to cJSON_Delete) and the status. */
static cJSON *call(dynemu_db *db, const char *op, const char *request, int *status)
{
    char *resp = NULL;
    size_t len = (size_t)-1;
    *status = dynemu_call(db, op, request, strlen(request), &resp, &len);
    assert_non_null(resp);
    assert_int_equal(strlen(resp), len);
    cJSON *body = cJSON_Parse(resp);
    if (!body) { print_error("unparsable response: %s\n", resp); dynemu_free(resp); fail(); }
    dynemu_free(resp);
    return body;
}

/* Runs op and expects 200; returns the body. */
static cJSON *ok(dynemu_db *db, const char *op, const char *request)
{
    int status;
    cJSON *body = call(db, op, request, &status);
    if (status != 200) {
        char *s = cJSON_PrintUnformatted(body);
        print_error("%s %s → %d %s\n", op, request, status, s);
        free(s);
        cJSON_Delete(body);
        fail();
    }
    return body;
}

static void ok_(dynemu_db *db, const char *op, const char *request) { cJSON_Delete(ok(db, op, request)); }

/* Runs op and expects status with this __type and (unless NULL) exactly this message. */
static void refused(dynemu_db *db, const char *op, const char *request, int expected_status, const char *type,
                    const char *message)
{
    int status;
    cJSON *body = call(db, op, request, &status);
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(body, "__type");
    /* AWS spells the member "Message" in a SerializationException, "message" elsewhere. */
    bool capital = strcmp(type, "com.amazon.coral.service#SerializationException") == 0;
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(body, capital ? "Message" : "message");
    char *s = cJSON_PrintUnformatted(body);
    bool good = status == expected_status && cJSON_IsString(t) && strcmp(t->valuestring, type) == 0 &&
                (!message || (cJSON_IsString(m) && strcmp(m->valuestring, message) == 0));
    if (!good) print_error("%s %s\n → %d %s\nexpected %d %s \"%s\"\n", op, request, status, s, expected_status, type,
                           message ? message : "(any)");
    free(s);
    cJSON_Delete(body);
    if (!good) fail();
}

/* The body equals the JSON text expected (member order ignored). */
static void assert_json(const cJSON *body, const char *expected)
{
    cJSON *e = cJSON_Parse(expected);
    assert_non_null(e);
    bool same = cJSON_Compare(body, e, true);
    if (!same) {
        char *s = cJSON_PrintUnformatted(body);
        print_error("got      %s\nexpected %s\n", s, expected);
        free(s);
    }
    cJSON_Delete(e);
    assert_true(same);
}

/* "users": partition key id (S). */
static void create_users(dynemu_db *db)
{
    ok_(db, "CreateTable",
        "{\"TableName\":\"users\",\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}],"
        "\"AttributeDefinitions\":[{\"AttributeName\":\"id\",\"AttributeType\":\"S\"}],"
        "\"BillingMode\":\"PAY_PER_REQUEST\"}");
}

/* "events": partition key user (S), sort key ts (N). */
static void create_events(dynemu_db *db)
{
    ok_(db, "CreateTable",
        "{\"TableName\":\"events\",\"KeySchema\":[{\"AttributeName\":\"user\",\"KeyType\":\"HASH\"},"
        "{\"AttributeName\":\"ts\",\"KeyType\":\"RANGE\"}],"
        "\"AttributeDefinitions\":[{\"AttributeName\":\"user\",\"AttributeType\":\"S\"},"
        "{\"AttributeName\":\"ts\",\"AttributeType\":\"N\"}],"
        "\"ProvisionedThroughput\":{\"ReadCapacityUnits\":5,\"WriteCapacityUnits\":5}}");
}

static void put_event(dynemu_db *db, const char *user, const char *ts)
{
    char req[256];
    snprintf(req, sizeof req, "{\"TableName\":\"events\",\"Item\":{\"user\":{\"S\":\"%s\"},\"ts\":{\"N\":\"%s\"}}}", user, ts);
    ok_(db, "PutItem", req);
}

/* The values of attribute name (S or N) of body.Items, space-separated. */
static void items_attr(const cJSON *body, const char *name, char *out, size_t cap)
{
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(body, "Items"), *it;
    size_t off = 0;
    out[0] = 0;
    cJSON_ArrayForEach(it, items) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(it, name);
        const cJSON *s = v ? v->child : NULL;
        int n = snprintf(out + off, cap - off, "%s%s", off ? " " : "", s && cJSON_IsString(s) ? s->valuestring : "?");
        if (n < 0 || (size_t)n >= cap - off) break;
        off += (size_t)n;
    }
}

static double number(const cJSON *body, const char *name)
{
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(body, name);
    assert_true(cJSON_IsNumber(n));
    return n->valuedouble;
}

/* ----------------------------------------------------------------- tables */

static void new_database_has_no_tables(void **state)
{
    dbs *d = *state;
    cJSON *body = ok(d->a, "ListTables", "{}");
    assert_json(body, "{\"TableNames\":[]}");
    cJSON_Delete(body);
}

static void create_table_describes_the_new_table(void **state)
{
    dbs *d = *state;
    cJSON *body = ok(d->a, "CreateTable",
                     "{\"TableName\":\"users\",\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}],"
                     "\"AttributeDefinitions\":[{\"AttributeName\":\"id\",\"AttributeType\":\"S\"}],"
                     "\"BillingMode\":\"PAY_PER_REQUEST\"}");
    const cJSON *desc = cJSON_GetObjectItemCaseSensitive(body, "TableDescription");
    assert_non_null(desc);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(desc, "TableName")->valuestring, "users");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(desc, "TableStatus")->valuestring, "ACTIVE");
    cJSON *keys = cJSON_GetObjectItemCaseSensitive(desc, "KeySchema");
    assert_json(keys, "[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}]");
    cJSON_Delete(body);
    body = ok(d->a, "ListTables", "{}");
    assert_json(body, "{\"TableNames\":[\"users\"]}");
    cJSON_Delete(body);
}

static void creating_an_existing_table_is_refused(void **state)
{
    dbs *d = *state;
    create_users(d->a);
    refused(d->a, "CreateTable",
            "{\"TableName\":\"users\",\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}],"
            "\"AttributeDefinitions\":[{\"AttributeName\":\"id\",\"AttributeType\":\"S\"}],"
            "\"BillingMode\":\"PAY_PER_REQUEST\"}",
            400, IN_USE, "Table already exists: users");
}

static void table_name_too_short_is_a_validation_error(void **state)
{
    dbs *d = *state;
    refused(d->a, "GetItem", "{\"TableName\":\"ab\",\"Key\":{\"id\":{\"S\":\"1\"}}}", 400, VALIDATION,
            "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: "
            "Member must have length greater than or equal to 3");
}

/* Every character of [a-zA-Z0-9_.-] is allowed in a table name, including
 * each range's ends; a character just outside a range, or any other, is not. */
static void table_name_characters_follow_the_pattern(void **state)
{
    dbs *d = *state;
    ok_(d->a, "CreateTable",
        "{\"TableName\":\"azAZ09_.-\",\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}],"
        "\"AttributeDefinitions\":[{\"AttributeName\":\"id\",\"AttributeType\":\"S\"}],"
        "\"BillingMode\":\"PAY_PER_REQUEST\"}");
    static const char *const bad[] = {"ab`c", "ab{c", "ab@c", "ab[c", "ab/c", "ab:c", "ab c", "ab!c", "ab\\u00e9c"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char request[128], message[256];
        snprintf(request, sizeof request, "{\"TableName\":\"%s\",\"Key\":{\"id\":{\"S\":\"1\"}}}", bad[i]);
        cJSON *shown = cJSON_Parse(request); /* the name as the message quotes it, escapes read */
        snprintf(message, sizeof message,
                 "1 validation error detected: Value '%s' at 'tableName' failed to satisfy constraint: "
                 "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
                 cJSON_GetObjectItem(shown, "TableName")->valuestring);
        cJSON_Delete(shown);
        refused(d->a, "GetItem", request, 400, VALIDATION, message);
    }
}

/* ------------------------------------------------------------------ items */

static void put_item_then_get_item_returns_it(void **state)
{
    dbs *d = *state;
    create_users(d->a);
    cJSON *body = ok(d->a, "PutItem",
                     "{\"TableName\":\"users\",\"Item\":{\"id\":{\"S\":\"u1\"},\"age\":{\"N\":\"30.0\"},"
                     "\"tags\":{\"SS\":[\"b\",\"a\"]},\"doc\":{\"M\":{\"l\":{\"L\":[{\"BOOL\":true},{\"NULL\":true}]}}}}}");
    assert_json(body, "{}");
    cJSON_Delete(body);
    body = ok(d->a, "GetItem", "{\"TableName\":\"users\",\"Key\":{\"id\":{\"S\":\"u1\"}}}");
    assert_json(body, "{\"Item\":{\"id\":{\"S\":\"u1\"},\"age\":{\"N\":\"30\"},\"tags\":{\"SS\":[\"a\",\"b\"]},"
                      "\"doc\":{\"M\":{\"l\":{\"L\":[{\"BOOL\":true},{\"NULL\":true}]}}}}}");
    cJSON_Delete(body);
}

static void get_item_of_an_absent_key_returns_no_item(void **state)
{
    dbs *d = *state;
    create_users(d->a);
    cJSON *body = ok(d->a, "GetItem", "{\"TableName\":\"users\",\"Key\":{\"id\":{\"S\":\"nobody\"}}}");
    assert_json(body, "{}");
    cJSON_Delete(body);
}

static void put_item_replaces_and_can_return_the_old_item(void **state)
{
    dbs *d = *state;
    create_users(d->a);
    ok_(d->a, "PutItem", "{\"TableName\":\"users\",\"Item\":{\"id\":{\"S\":\"u1\"},\"v\":{\"N\":\"1\"}}}");
    cJSON *body = ok(d->a, "PutItem", "{\"TableName\":\"users\",\"Item\":{\"id\":{\"S\":\"u1\"},\"w\":{\"S\":\"x\"}},"
                                      "\"ReturnValues\":\"ALL_OLD\"}");
    assert_json(body, "{\"Attributes\":{\"id\":{\"S\":\"u1\"},\"v\":{\"N\":\"1\"}}}");
    cJSON_Delete(body);
    body = ok(d->a, "GetItem", "{\"TableName\":\"users\",\"Key\":{\"id\":{\"S\":\"u1\"}}}");
    assert_json(body, "{\"Item\":{\"id\":{\"S\":\"u1\"},\"w\":{\"S\":\"x\"}}}");
    cJSON_Delete(body);
}

static void delete_item_removes_it_and_can_return_it(void **state)
{
    dbs *d = *state;
    create_users(d->a);
    ok_(d->a, "PutItem", "{\"TableName\":\"users\",\"Item\":{\"id\":{\"S\":\"u1\"},\"v\":{\"S\":\"gone\"}}}");
    cJSON *body = ok(d->a, "DeleteItem", "{\"TableName\":\"users\",\"Key\":{\"id\":{\"S\":\"u1\"}},\"ReturnValues\":\"ALL_OLD\"}");
    assert_json(body, "{\"Attributes\":{\"id\":{\"S\":\"u1\"},\"v\":{\"S\":\"gone\"}}}");
    cJSON_Delete(body);
    body = ok(d->a, "GetItem", "{\"TableName\":\"users\",\"Key\":{\"id\":{\"S\":\"u1\"}}}");
    assert_json(body, "{}");
    cJSON_Delete(body);
}

static void delete_item_of_an_absent_key_succeeds_with_nothing(void **state)
{
    dbs *d = *state;
    create_users(d->a);
    cJSON *body = ok(d->a, "DeleteItem", "{\"TableName\":\"users\",\"Key\":{\"id\":{\"S\":\"x\"}},\"ReturnValues\":\"ALL_OLD\"}");
    assert_json(body, "{}");
    cJSON_Delete(body);
}

/* ---------------------------------------------------------- query and scan */

static void query_returns_the_partition_in_sort_key_order(void **state)
{
    dbs *d = *state;
    create_events(d->a);
    static const char *const ts[] = {"10", "-5", "2", "100", "9.5"};
    for (int i = 0; i < 5; i++) put_event(d->a, "ann", ts[i]);
    put_event(d->a, "bob", "1");
    cJSON *body = ok(d->a, "Query", "{\"TableName\":\"events\",\"KeyConditionExpression\":\"#u = :u\","
                                    "\"ExpressionAttributeNames\":{\"#u\":\"user\"},"
                                    "\"ExpressionAttributeValues\":{\":u\":{\"S\":\"ann\"}}}");
    char out[256];
    items_attr(body, "ts", out, sizeof out);
    assert_string_equal(out, "-5 2 9.5 10 100");
    assert_int_equal(number(body, "Count"), 5);
    assert_int_equal(number(body, "ScannedCount"), 5);
    assert_null(cJSON_GetObjectItemCaseSensitive(body, "LastEvaluatedKey"));
    cJSON_Delete(body);
}

/* The items of one user as "ts ts ..." (a Query of the partition). */
static void query_user(dynemu_db *db, const char *user, char *out, size_t cap)
{
    char req[256];
    snprintf(req, sizeof req, "{\"TableName\":\"events\",\"KeyConditionExpression\":\"#u = :u\","
                              "\"ExpressionAttributeNames\":{\"#u\":\"user\"},"
                              "\"ExpressionAttributeValues\":{\":u\":{\"S\":\"%s\"}}}", user);
    cJSON *body = ok(db, "Query", req);
    items_attr(body, "ts", out, cap);
    cJSON_Delete(body);
}

/* "u579193" and "u762788" have one partition hash (store/tree.c): a Query
 * of either never answers with the other's items, whether the other is
 * stored alone or beside it. */
static void query_of_a_partition_sharing_another_ones_hash_keeps_to_its_own(void **state)
{
    dbs *d = *state;
    create_events(d->a);
    for (int i = 1; i <= 3; i++) { char ts[16]; snprintf(ts, sizeof ts, "%d", i); put_event(d->a, "u762788", ts); }
    char out[256];
    /* The absent key orders first: its seek lands on the other's items. */
    query_user(d->a, "u579193", out, sizeof out);
    assert_string_equal(out, "");
    put_event(d->a, "u579193", "7");
    query_user(d->a, "u579193", out, sizeof out);
    assert_string_equal(out, "7");
    query_user(d->a, "u762788", out, sizeof out);
    assert_string_equal(out, "1 2 3");
}

static void query_backwards_reverses_the_order(void **state)
{
    dbs *d = *state;
    create_events(d->a);
    for (int i = 1; i <= 4; i++) { char ts[16]; snprintf(ts, sizeof ts, "%d", i); put_event(d->a, "ann", ts); }
    cJSON *body = ok(d->a, "Query", "{\"TableName\":\"events\",\"KeyConditionExpression\":\"#u = :u\","
                                    "\"ScanIndexForward\":false,\"ExpressionAttributeNames\":{\"#u\":\"user\"},"
                                    "\"ExpressionAttributeValues\":{\":u\":{\"S\":\"ann\"}}}");
    char out[256];
    items_attr(body, "ts", out, sizeof out);
    assert_string_equal(out, "4 3 2 1");
    cJSON_Delete(body);
}

static void query_with_a_sort_key_range_returns_only_that_range(void **state)
{
    dbs *d = *state;
    create_events(d->a);
    for (int i = 1; i <= 9; i++) { char ts[16]; snprintf(ts, sizeof ts, "%d", i); put_event(d->a, "ann", ts); }
    cJSON *body = ok(d->a, "Query", "{\"TableName\":\"events\",\"KeyConditionExpression\":\"#u = :u AND ts BETWEEN :a AND :b\","
                                    "\"ExpressionAttributeNames\":{\"#u\":\"user\"},"
                                    "\"ExpressionAttributeValues\":{\":u\":{\"S\":\"ann\"},\":a\":{\"N\":\"3\"},\":b\":{\"N\":\"6\"}}}");
    char out[256];
    items_attr(body, "ts", out, sizeof out);
    assert_string_equal(out, "3 4 5 6");
    cJSON_Delete(body);
}

static void query_of_an_empty_partition_returns_no_items(void **state)
{
    dbs *d = *state;
    create_events(d->a);
    put_event(d->a, "ann", "1");
    cJSON *body = ok(d->a, "Query", "{\"TableName\":\"events\",\"KeyConditionExpression\":\"#u = :u\","
                                    "\"ExpressionAttributeNames\":{\"#u\":\"user\"},"
                                    "\"ExpressionAttributeValues\":{\":u\":{\"S\":\"zed\"}}}");
    assert_json(body, "{\"Items\":[],\"Count\":0,\"ScannedCount\":0}");
    cJSON_Delete(body);
}

static void query_without_a_key_condition_is_refused(void **state)
{
    dbs *d = *state;
    create_events(d->a);
    refused(d->a, "Query", "{\"TableName\":\"events\"}", 400, VALIDATION,
            "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
}

static void scan_returns_every_item(void **state)
{
    dbs *d = *state;
    create_events(d->a);
    put_event(d->a, "ann", "1");
    put_event(d->a, "ann", "2");
    put_event(d->a, "bob", "1");
    put_event(d->a, "cat", "7");
    cJSON *body = ok(d->a, "Scan", "{\"TableName\":\"events\"}");
    assert_int_equal(number(body, "Count"), 4);
    assert_int_equal(number(body, "ScannedCount"), 4);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(body, "Items")), 4);
    assert_null(cJSON_GetObjectItemCaseSensitive(body, "LastEvaluatedKey"));
    cJSON_Delete(body);
}

static void scan_in_pages_visits_every_item_once(void **state)
{
    dbs *d = *state;
    create_events(d->a);
    for (int i = 0; i < 25; i++) {
        char user[16], ts[16];
        snprintf(user, sizeof user, "u%d", i % 6);
        snprintf(ts, sizeof ts, "%d", i);
        put_event(d->a, user, ts);
    }
    bool seen[25] = {0};
    int total = 0, pages = 0;
    char *esk = NULL;
    do {
        char req[512];
        if (esk) snprintf(req, sizeof req, "{\"TableName\":\"events\",\"Limit\":4,\"ExclusiveStartKey\":%s}", esk);
        else snprintf(req, sizeof req, "{\"TableName\":\"events\",\"Limit\":4}");
        free(esk);
        esk = NULL;
        cJSON *body = ok(d->a, "Scan", req);
        const cJSON *it;
        cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(body, "Items")) {
            int ts = atoi(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(it, "ts"), "N")->valuestring);
            assert_false(seen[ts]);
            seen[ts] = true;
            total++;
        }
        const cJSON *last = cJSON_GetObjectItemCaseSensitive(body, "LastEvaluatedKey");
        if (last) esk = cJSON_PrintUnformatted(last);
        cJSON_Delete(body);
        pages++;
        assert_true(pages < 20);
    } while (esk);
    assert_int_equal(total, 25);
}

static void query_in_pages_resumes_after_the_last_key(void **state)
{
    dbs *d = *state;
    create_events(d->a);
    for (int i = 1; i <= 7; i++) { char ts[16]; snprintf(ts, sizeof ts, "%d", i); put_event(d->a, "ann", ts); }
    put_event(d->a, "bob", "1");
    const char *q = "{\"TableName\":\"events\",\"KeyConditionExpression\":\"#u = :u\",\"Limit\":3,"
                    "\"ExpressionAttributeNames\":{\"#u\":\"user\"},"
                    "\"ExpressionAttributeValues\":{\":u\":{\"S\":\"ann\"}}%s%s}";
    char req[1024], all[512] = "", out[128];
    char *esk = NULL;
    int pages = 0;
    do {
        snprintf(req, sizeof req, q, esk ? ",\"ExclusiveStartKey\":" : "", esk ? esk : "");
        free(esk);
        esk = NULL;
        cJSON *body = ok(d->a, "Query", req);
        items_attr(body, "ts", out, sizeof out);
        if (*out) snprintf(all + strlen(all), sizeof all - strlen(all), "%s%s", *all ? " " : "", out);
        const cJSON *last = cJSON_GetObjectItemCaseSensitive(body, "LastEvaluatedKey");
        if (last) esk = cJSON_PrintUnformatted(last);
        cJSON_Delete(body);
        assert_true(++pages < 10);
    } while (esk);
    assert_string_equal(all, "1 2 3 4 5 6 7");
    assert_int_equal(pages, 3);
}

static void query_page_ends_with_the_key_of_its_last_item(void **state)
{
    dbs *d = *state;
    create_events(d->a);
    for (int i = 1; i <= 5; i++) { char ts[16]; snprintf(ts, sizeof ts, "%d", i); put_event(d->a, "ann", ts); }
    cJSON *body = ok(d->a, "Query", "{\"TableName\":\"events\",\"KeyConditionExpression\":\"#u = :u\",\"Limit\":2,"
                                    "\"ExpressionAttributeNames\":{\"#u\":\"user\"},"
                                    "\"ExpressionAttributeValues\":{\":u\":{\"S\":\"ann\"}}}");
    assert_json(cJSON_GetObjectItemCaseSensitive(body, "LastEvaluatedKey"), "{\"user\":{\"S\":\"ann\"},\"ts\":{\"N\":\"2\"}}");
    assert_int_equal(number(body, "Count"), 2);
    cJSON_Delete(body);
}

/* cJSON cannot hold a string with a NUL inside, so dynemu refuses one rather than
 * cut it short (which would make "a\0b" and "a" the same key). */
static void a_nul_character_in_a_string_is_refused_not_truncated(void **state)
{
    dbs *d = *state;
    create_users(d->a);
    refused(d->a, "PutItem", "{\"TableName\":\"users\",\"Item\":{\"id\":{\"S\":\"a\\u0000b\"}}}", 400,
            "com.amazon.coral.service#SerializationException",
            "dynemu does not support the NUL character (\\u0000) in strings");
    cJSON *body = ok(d->a, "Scan", "{\"TableName\":\"users\"}");
    double count = number(body, "Count");
    cJSON_Delete(body);
    assert_int_equal(count, 0);
    /* An escaped backslash followed by the text u0000 is an ordinary string. */
    ok_(d->a, "PutItem", "{\"TableName\":\"users\",\"Item\":{\"id\":{\"S\":\"a\\\\u0000b\"}}}");
}

static void scan_of_a_missing_table_is_resource_not_found(void **state)
{
    dbs *d = *state;
    refused(d->a, "Scan", "{\"TableName\":\"nothere\"}", 400, NOT_FOUND, "Requested resource not found");
}

/* -------------------------------------------------------------- isolation */

static void tables_of_one_database_are_not_in_the_other(void **state)
{
    dbs *d = *state;
    create_users(d->a);
    cJSON *body = ok(d->b, "ListTables", "{}");
    assert_json(body, "{\"TableNames\":[]}");
    cJSON_Delete(body);
    refused(d->b, "GetItem", "{\"TableName\":\"users\",\"Key\":{\"id\":{\"S\":\"1\"}}}", 400, NOT_FOUND,
            "Requested resource not found");
}

static void same_table_in_two_databases_keeps_separate_items(void **state)
{
    dbs *d = *state;
    create_users(d->a);
    create_users(d->b);
    ok_(d->a, "PutItem", "{\"TableName\":\"users\",\"Item\":{\"id\":{\"S\":\"u1\"},\"db\":{\"S\":\"a\"}}}");
    ok_(d->b, "PutItem", "{\"TableName\":\"users\",\"Item\":{\"id\":{\"S\":\"u1\"},\"db\":{\"S\":\"b\"}}}");
    ok_(d->b, "PutItem", "{\"TableName\":\"users\",\"Item\":{\"id\":{\"S\":\"u2\"}}}");
    cJSON *body = ok(d->a, "GetItem", "{\"TableName\":\"users\",\"Key\":{\"id\":{\"S\":\"u1\"}}}");
    assert_json(body, "{\"Item\":{\"id\":{\"S\":\"u1\"},\"db\":{\"S\":\"a\"}}}");
    cJSON_Delete(body);
    body = ok(d->a, "GetItem", "{\"TableName\":\"users\",\"Key\":{\"id\":{\"S\":\"u2\"}}}");
    assert_json(body, "{}");
    cJSON_Delete(body);
    ok_(d->a, "DeleteItem", "{\"TableName\":\"users\",\"Key\":{\"id\":{\"S\":\"u1\"}}}");
    body = ok(d->b, "Scan", "{\"TableName\":\"users\"}");
    assert_int_equal(number(body, "Count"), 2);
    cJSON_Delete(body);
}

static void closing_one_database_leaves_the_other_working(void **state)
{
    dbs *d = *state;
    create_users(d->a);
    create_users(d->b);
    ok_(d->b, "PutItem", "{\"TableName\":\"users\",\"Item\":{\"id\":{\"S\":\"kept\"}}}");
    dynemu_close(d->a);
    d->a = dynemu_open();
    assert_non_null(d->a);
    cJSON *body = ok(d->b, "GetItem", "{\"TableName\":\"users\",\"Key\":{\"id\":{\"S\":\"kept\"}}}");
    assert_json(body, "{\"Item\":{\"id\":{\"S\":\"kept\"}}}");
    cJSON_Delete(body);
    body = ok(d->a, "ListTables", "{}");
    assert_json(body, "{\"TableNames\":[]}");
    cJSON_Delete(body);
}

static void close_of_null_is_harmless(void **state)
{
    (void)state;
    dynemu_close(NULL);
}

/* ----------------------------------------------------------------- errors */

static void unknown_operation_is_refused(void **state)
{
    dbs *d = *state;
    refused(d->a, "FlyToTheMoon", "{}", 400, UNKNOWN_OP, NULL);
    refused(d->a, "getitem", "{}", 400, UNKNOWN_OP, NULL);
    refused(d->a, "", "{}", 400, UNKNOWN_OP, NULL);
}

static void invalid_json_is_a_serialization_error(void **state)
{
    dbs *d = *state;
    refused(d->a, "ListTables", "{not json", 400, SERIALIZATION, NULL);
    refused(d->a, "GetItem", "", 400, SERIALIZATION, NULL);
    refused(d->a, "GetItem", "[1,2]", 400, SERIALIZATION, NULL);
}

static void request_is_read_only_up_to_its_length(void **state)
{
    dbs *d = *state;
    /* Exactly two bytes, no terminator: an overread shows under ASan. */
    char *req = malloc(2);
    memcpy(req, "{}", 2);
    char *resp = NULL;
    size_t len = 0;
    int status = dynemu_call(d->a, "ListTables", req, 2, &resp, &len);
    free(req);
    assert_int_equal(status, 200);
    assert_string_equal(resp, "{\"TableNames\":[]}");
    dynemu_free(resp);
}

static void wrong_json_type_of_a_member_is_a_serialization_error(void **state)
{
    dbs *d = *state;
    refused(d->a, "GetItem", "{\"TableName\":5,\"Key\":{}}", 400, SERIALIZATION, "NUMBER_VALUE cannot be converted to String");
}

static void get_item_on_a_missing_table_is_resource_not_found(void **state)
{
    dbs *d = *state;
    refused(d->a, "GetItem", "{\"TableName\":\"missing\",\"Key\":{\"id\":{\"S\":\"1\"}}}", 400, NOT_FOUND,
            "Requested resource not found");
}

static void missing_key_attribute_in_an_item_is_refused(void **state)
{
    dbs *d = *state;
    create_users(d->a);
    refused(d->a, "PutItem", "{\"TableName\":\"users\",\"Item\":{\"name\":{\"S\":\"x\"}}}", 400, VALIDATION,
            "One or more parameter values were invalid: Missing the key id in the item");
}

static void key_of_the_wrong_type_in_an_item_is_refused(void **state)
{
    dbs *d = *state;
    create_users(d->a);
    refused(d->a, "PutItem", "{\"TableName\":\"users\",\"Item\":{\"id\":{\"N\":\"1\"}}}", 400, VALIDATION,
            "One or more parameter values were invalid: Type mismatch for key id expected: S actual: N");
}

static void key_not_matching_the_schema_is_refused(void **state)
{
    dbs *d = *state;
    create_users(d->a);
    const char *msg = "The provided key element does not match the schema";
    refused(d->a, "GetItem", "{\"TableName\":\"users\",\"Key\":{\"other\":{\"S\":\"1\"}}}", 400, VALIDATION, msg);
    refused(d->a, "GetItem", "{\"TableName\":\"users\",\"Key\":{\"id\":{\"N\":\"1\"}}}", 400, VALIDATION, msg);
    refused(d->a, "DeleteItem", "{\"TableName\":\"users\",\"Key\":{\"id\":{\"S\":\"1\"},\"x\":{\"S\":\"2\"}}}", 400, VALIDATION, msg);
}

static void empty_string_key_is_refused(void **state)
{
    dbs *d = *state;
    create_users(d->a);
    refused(d->a, "PutItem", "{\"TableName\":\"users\",\"Item\":{\"id\":{\"S\":\"\"}}}", 400, VALIDATION,
            "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an "
            "empty string value. Key: id");
}

static void missing_item_is_refused(void **state)
{
    dbs *d = *state;
    create_users(d->a);
    refused(d->a, "PutItem", "{\"TableName\":\"users\"}", 400, VALIDATION,
            "1 validation error detected: Value null at 'item' failed to satisfy constraint: Member must not be null");
}

static void invalid_attribute_value_is_refused_with_the_codecs_error(void **state)
{
    dbs *d = *state;
    create_users(d->a);
    refused(d->a, "PutItem", "{\"TableName\":\"users\",\"Item\":{\"id\":{\"S\":\"1\"},\"s\":{\"SS\":[]}}}", 400, VALIDATION,
            "One or more parameter values were invalid: An string set  may not be empty");
    refused(d->a, "PutItem", "{\"TableName\":\"users\",\"Item\":{\"id\":{\"S\":\"1\"},\"b\":{\"B\":\"abc\"}}}", 400,
            SERIALIZATION, "Base64 encoded length is expected a multiple of 4 bytes but found: 3");
    /* Nothing was stored by the refused writes. */
    cJSON *body = ok(d->a, "Scan", "{\"TableName\":\"users\"}");
    assert_int_equal(number(body, "Count"), 0);
    cJSON_Delete(body);
}

static void item_over_400_kb_is_refused(void **state)
{
    dbs *d = *state;
    create_users(d->a);
    size_t n = 400 * 1024;
    char *req = malloc(n + 128);
    int off = sprintf(req, "{\"TableName\":\"users\",\"Item\":{\"id\":{\"S\":\"1\"},\"big\":{\"S\":\"");
    memset(req + off, 'x', n);
    strcpy(req + off + n, "\"}}}");
    refused(d->a, "PutItem", req, 400, VALIDATION, "Item size has exceeded the maximum allowed size");
    free(req);
}

/* A request is parsed into a fixed buffer that a large one outgrows part
 * way through (emulator/request_arena.h): every attribute must still arrive,
 * and under the sanitizers nothing may leak or be freed twice. */
static void request_larger_than_the_parse_buffer_is_read_whole(void **state)
{
    dbs *d = *state;
    create_users(d->a);
    enum { ATTRS = 2000 };
    size_t cap = 64 + ATTRS * 40;
    char *req = malloc(cap);
    size_t off = (size_t)sprintf(req, "{\"TableName\":\"users\",\"Item\":{\"id\":{\"S\":\"big\"}");
    for (int i = 0; i < ATTRS; i++) off += (size_t)sprintf(req + off, ",\"a%d\":{\"N\":\"%d\"}", i, i);
    strcpy(req + off, "}}");
    ok_(d->a, "PutItem", req);
    free(req);
    cJSON *body = ok(d->a, "GetItem", "{\"TableName\":\"users\",\"Key\":{\"id\":{\"S\":\"big\"}}}");
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(body, "Item");
    assert_int_equal(cJSON_GetArraySize(item), ATTRS + 1);
    const cJSON *last = cJSON_GetObjectItemCaseSensitive(item, "a1999");
    assert_non_null(last);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(last, "N")->valuestring, "1999");
    cJSON_Delete(body);
}

static void error_body_carries_type_and_message_only(void **state)
{
    dbs *d = *state;
    int status;
    cJSON *body = call(d->a, "DescribeTable", "{\"TableName\":\"missing\"}", &status);
    assert_int_equal(status, 400);
    assert_int_equal(cJSON_GetArraySize(body), 2);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(body, "__type")->valuestring, NOT_FOUND);
    assert_true(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(body, "message")));
    cJSON_Delete(body);
}

int main(void)
{
    /* As the server does, so the requests here go through its parse buffer;
     * the other unit test programs keep cJSON's plain malloc. */
    dynemu_parse_in_place();
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(new_database_has_no_tables),
        T(create_table_describes_the_new_table),
        T(creating_an_existing_table_is_refused),
        T(table_name_too_short_is_a_validation_error),
        T(table_name_characters_follow_the_pattern),
        T(put_item_then_get_item_returns_it),
        T(get_item_of_an_absent_key_returns_no_item),
        T(put_item_replaces_and_can_return_the_old_item),
        T(delete_item_removes_it_and_can_return_it),
        T(delete_item_of_an_absent_key_succeeds_with_nothing),
        T(query_returns_the_partition_in_sort_key_order),
        T(query_of_a_partition_sharing_another_ones_hash_keeps_to_its_own),
        T(query_backwards_reverses_the_order),
        T(query_with_a_sort_key_range_returns_only_that_range),
        T(query_of_an_empty_partition_returns_no_items),
        T(query_without_a_key_condition_is_refused),
        T(scan_returns_every_item),
        T(scan_in_pages_visits_every_item_once),
        T(query_in_pages_resumes_after_the_last_key),
        T(query_page_ends_with_the_key_of_its_last_item),
        T(a_nul_character_in_a_string_is_refused_not_truncated),
        T(scan_of_a_missing_table_is_resource_not_found),
        T(tables_of_one_database_are_not_in_the_other),
        T(same_table_in_two_databases_keeps_separate_items),
        T(closing_one_database_leaves_the_other_working),
        T(close_of_null_is_harmless),
        T(unknown_operation_is_refused),
        T(invalid_json_is_a_serialization_error),
        T(request_is_read_only_up_to_its_length),
        T(wrong_json_type_of_a_member_is_a_serialization_error),
        T(get_item_on_a_missing_table_is_resource_not_found),
        T(missing_key_attribute_in_an_item_is_refused),
        T(key_of_the_wrong_type_in_an_item_is_refused),
        T(key_not_matching_the_schema_is_refused),
        T(empty_string_key_is_refused),
        T(missing_item_is_refused),
        T(invalid_attribute_value_is_refused_with_the_codecs_error),
        T(item_over_400_kb_is_refused),
        T(request_larger_than_the_parse_buffer_is_read_whole),
        T(error_body_carries_type_and_message_only),
    };
#undef T
    return cmocka_run_group_tests_name("api", tests, NULL, NULL);
}
