/* inproc.c — µs per call of DynamoDB operations through libdynemu's public
 * entry point, dynemu_call(), with no HTTP in the way; and the in-process
 * figures that are not one DynamoDB operation: association calls through
 * dynemu_control(), fixture loading (dynemu_load) and dynemu_reset().
 *
 * Every benchmark is one row of the `ops` table at the bottom: a name, the
 * operation passed to dynemu_call, a setup that builds the database it runs
 * on, a builder for its i-th request, an optional check of the response and
 * an optional target. To add an operation, write those functions and add a
 * row. Each row gets a fresh database, so rows cannot disturb each other.
 * Rows beyond one wire operation use the optional fields of bench_op: a
 * control API path instead of an operation, a `run` function instead of a
 * request, a `prepare` step before every call (not timed), a `verify` of the
 * database after the warm-up, an `open` other than dynemu_open().
 *
 * Requests are built before the clock starts (one per fixture item, in a
 * scattered order), so the figure is dynemu_call + dynemu_free and nothing
 * else. Each row runs a warm-up pass that checks every response, then five
 * timed rounds of about 0.1 s; the median and the best round are reported.
 * A row with a `prepare` step times each call alone and adds up the calls
 * only (a round still lasts about 0.1 s, and has at least one call).
 *
 * The item layout matches bench/seed.py (see there): 10,000 items of about
 * 200 bytes, 100 partitions ("p%05d") of 100 sort keys ("s%05d"). The GSI
 * table, the association tables and the transaction match bench/seed_more.py
 * and bench/wrk/{query_gsi,tx,assoc_list}.lua; the GSI with a two-attribute
 * partition key ("bench_gsi2") is measured in process only.
 *
 * Build (bench/run.sh does this, taking LDLIBS from the Makefile):
 *   cc -O2 -std=c11 -D_GNU_SOURCE -I. bench/inproc.c build/libdynemu.a $LDLIBS
 * where LDLIBS is the Makefile's and whatever
 * the library has come to need since. */
#include "dynemu.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define ITEMS 10000
#define PER_PARTITION 100
#define PAYLOAD_LEN 170
#define ROUNDS 5
#define ROUND_SECONDS 0.1
#define MIN_CALLS 10           /* per round, for rows of long calls */
#define REQ_CAP 32768          /* an association add of 1,000 ids is ~14 KB */
#define TX_ACTIONS 10
#define CHILDREN 1000
#define LOAD_ITEMS 100000
#define RESET_WRITES 10

static const char ALPHABET[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";

typedef struct bench_op {
    const char *name;       /* row label */
    const char *operation;  /* as in X-Amz-Target, passed to dynemu_call */
    /* Builds the data the operation runs on; returns NULL or why it failed. */
    const char *(*setup)(dynemu_db *db);
    /* Writes the i-th request (0 <= i < ITEMS) into buf; returns its length. */
    int (*build)(char *buf, size_t cap, long i);
    /* Optional: NULL if a 200 response is right, else what is wrong with it. */
    const char *(*check)(const cJSON *response);
    /* Optional: replaces dynemu_call for work that is not one wire operation
     * (fixture load, reset); returns NULL on success, else why it failed. */
    const char *(*run)(dynemu_db *db, long i);
    double target_us;       /* 0: no target, the figure is for information */
    /* The fields below are optional (zero: unused). */
    const char *control;    /* a control API path: POST it through dynemu_control */
    long requests;          /* requests built and warm-up calls; 0: ITEMS */
    /* Before every call, not timed; returns NULL or why it failed. */
    const char *(*prepare)(dynemu_db *db);
    /* After the warm-up: NULL if the database is as the calls should leave it. */
    const char *(*verify)(dynemu_db *db);
    /* Opens the database instead of dynemu_open(); NULL with *why set on failure. */
    dynemu_db *(*open)(const char **why);
    long items_per_call;    /* nonzero: the row reports items/s, not µs/call */
    /* A target relative to an earlier row: `factor` times that row's median
     * (PartiQL against the operation it compiles onto). */
    const char *relative_to;
    double factor;
} bench_op;

/* ---- the shared fixture ------------------------------------------------ */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Calls an operation whose failure would make the row meaningless; returns
 * NULL or the error response, truncated, in a static buffer. */
static const char *must(dynemu_db *db, const char *op, const char *req, int len)
{
    static char why[320];
    char *resp = NULL;
    size_t resp_len = 0;
    int status = dynemu_call(db, op, req, (size_t)len, &resp, &resp_len);
    if (status == 200) {
        dynemu_free(resp);
        return NULL;
    }
    snprintf(why, sizeof why, "%s -> %d %.240s", op, status, resp ? resp : "(no body)");
    dynemu_free(resp);
    return why;
}

/* A call whose answer is needed: the parsed 200 answer, or NULL with *why set. */
static cJSON *ask(dynemu_db *db, const char *op, const char *req, const char **why)
{
    static char msg[320];
    char *resp = NULL;
    size_t resp_len = 0;
    int status = dynemu_call(db, op, req, strlen(req), &resp, &resp_len);
    cJSON *json = status == 200 ? cJSON_ParseWithLength(resp, resp_len) : NULL;
    if (!json) {
        snprintf(msg, sizeof msg, "%s -> %d %.240s", op, status, resp ? resp : "(no body)");
        *why = msg;
    }
    dynemu_free(resp);
    return json;
}

/* A control API request that must answer 200; NULL or why not. */
static const char *must_control(dynemu_db *db, const char *method, const char *path, const char *body)
{
    static char why[320];
    char *resp = NULL;
    size_t resp_len = 0;
    int status = dynemu_control(db, method, path, body, body ? strlen(body) : 0, &resp, &resp_len);
    if (status == 200) {
        dynemu_free(resp);
        return NULL;
    }
    snprintf(why, sizeof why, "%s %s -> %d %.240s", method, path, status, resp ? resp : "(no body)");
    dynemu_free(resp);
    return why;
}

static void payload_of(long i, char payload[PAYLOAD_LEN + 1])
{
    for (int j = 0; j < PAYLOAD_LEN; j++)
        payload[j] = ALPHABET[(i + j) % 64];
    payload[PAYLOAD_LEN] = 0;
}

/* Item i of the layout, as DynamoDB JSON (without the request around it). */
static int item_json(char *buf, size_t cap, long i)
{
    char payload[PAYLOAD_LEN + 1];
    payload_of(i, payload);
    return snprintf(buf, cap,
                    "{\"pk\":{\"S\":\"p%05ld\"},"
                    "\"sk\":{\"S\":\"s%05ld\"},\"n\":{\"N\":\"%ld\"},\"payload\":{\"S\":\"%s\"}}",
                    i / PER_PARTITION, i % PER_PARTITION, i, payload);
}

static int build_item(char *buf, size_t cap, long i)
{
    char item[512];
    item_json(item, sizeof item, i);
    return snprintf(buf, cap, "{\"TableName\":\"bench\",\"Item\":%s}", item);
}

static int key_json(char *buf, size_t cap, long i)
{
    return snprintf(buf, cap, "{\"pk\":{\"S\":\"p%05ld\"},\"sk\":{\"S\":\"s%05ld\"}}",
                    i / PER_PARTITION, i % PER_PARTITION);
}

static const char CREATE_BENCH[] =
    "{\"TableName\":\"bench\","
    "\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"},"
    "{\"AttributeName\":\"sk\",\"AttributeType\":\"S\"}],"
    "\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},"
    "{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}],"
    "\"BillingMode\":\"PAY_PER_REQUEST\"}";

/* Table "bench" (pk S HASH, sk S RANGE) with ITEMS items. */
static const char *setup_items(dynemu_db *db)
{
    const char *err = must(db, "CreateTable", CREATE_BENCH, (int)strlen(CREATE_BENCH));
    char buf[REQ_CAP];
    for (long i = 0; !err && i < ITEMS; i++)
        err = must(db, "PutItem", buf, build_item(buf, sizeof buf, i));
    return err;
}

/* The number of items DescribeTable reports for table, or -1 with *why set. */
static long item_count(dynemu_db *db, const char *table, const char **why)
{
    char req[128];
    snprintf(req, sizeof req, "{\"TableName\":\"%s\"}", table);
    cJSON *r = ask(db, "DescribeTable", req, why);
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(r, "Table");
    const cJSON *count = cJSON_GetObjectItemCaseSensitive(t, "ItemCount");
    long n = cJSON_IsNumber(count) ? (long)count->valuedouble : -1;
    if (r && n < 0)
        *why = "DescribeTable answered no ItemCount";
    cJSON_Delete(r);
    return n;
}

/* The attribute n of item i in table "bench" as a string ("" if absent), or
 * NULL with *why set if GetItem failed. */
static const char *number_of(dynemu_db *db, long i, const char **why)
{
    static char value[64];
    char key[128], req[256];
    key_json(key, sizeof key, i);
    snprintf(req, sizeof req, "{\"TableName\":\"bench\",\"Key\":%s}", key);
    cJSON *r = ask(db, "GetItem", req, why);
    if (!r)
        return NULL;
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(r, "Item"), "n"), "N");
    snprintf(value, sizeof value, "%s", cJSON_IsString(n) ? n->valuestring : "");
    cJSON_Delete(r);
    return value;
}

/* ---- operations -------------------------------------------------------- */

static int build_get(char *buf, size_t cap, long i)
{
    return snprintf(buf, cap,
                    "{\"TableName\":\"bench\",\"Key\":{\"pk\":{\"S\":\"p%05ld\"},"
                    "\"sk\":{\"S\":\"s%05ld\"}}}",
                    i / PER_PARTITION, i % PER_PARTITION);
}

/* The same reads as PartiQL statements with parameters. */
static int build_select_key(char *buf, size_t cap, long i)
{
    return snprintf(buf, cap,
                    "{\"Statement\":\"SELECT * FROM bench WHERE pk = ? AND sk = ?\","
                    "\"Parameters\":[{\"S\":\"p%05ld\"},{\"S\":\"s%05ld\"}]}",
                    i / PER_PARTITION, i % PER_PARTITION);
}

static int build_select_partition(char *buf, size_t cap, long i)
{
    return snprintf(buf, cap,
                    "{\"Statement\":\"SELECT * FROM bench WHERE pk = ?\",\"Limit\":25,"
                    "\"Parameters\":[{\"S\":\"p%05ld\"}]}",
                    i / PER_PARTITION);
}

/* ExecuteStatement's Items: exactly n items. */
static const char *check_items(const cJSON *r, int n)
{
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(r, "Items");
    return cJSON_GetArraySize(items) == n ? NULL : "ExecuteStatement answered another number of Items";
}

static const char *check_select_key(const cJSON *r) { return check_items(r, 1); }
static const char *check_select_partition(const cJSON *r) { return check_items(r, 25); }

static const char *check_get(const cJSON *r)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(r, "Item");
    const cJSON *payload = cJSON_GetObjectItemCaseSensitive(item, "payload");
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(payload, "S");
    if (!cJSON_IsString(s) || strlen(s->valuestring) != PAYLOAD_LEN)
        return "no Item with its payload in the response";
    return NULL;
}

static int build_query(char *buf, size_t cap, long i)
{
    return snprintf(buf, cap,
                    "{\"TableName\":\"bench\",\"Limit\":25,"
                    "\"KeyConditionExpression\":\"pk = :p\","
                    "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"p%05ld\"}}}",
                    i / PER_PARTITION);
}

static const char *check_query(const cJSON *r)
{
    const cJSON *count = cJSON_GetObjectItemCaseSensitive(r, "Count");
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(r, "Items");
    if (!cJSON_IsNumber(count) || count->valueint != 25 || cJSON_GetArraySize(items) != 25)
        return "Query Limit 25 did not return 25 items";
    if (!cJSON_GetObjectItemCaseSensitive(r, "LastEvaluatedKey"))
        return "Query Limit 25 of 100 items returned no LastEvaluatedKey";
    return NULL;
}

/* An answer that must be a JSON object without an error type (UpdateItem
 * with no ReturnValues answers {}, TransactWriteItems too). */
static const char *check_object(const cJSON *r)
{
    if (!cJSON_IsObject(r) || cJSON_GetObjectItemCaseSensitive(r, "__type"))
        return "the answer is not a plain JSON object";
    return NULL;
}

/* UpdateItem: SET with arithmetic on an existing item, no ReturnValues. */
static int build_update(char *buf, size_t cap, long i)
{
    return snprintf(buf, cap,
                    "{\"TableName\":\"bench\",\"Key\":{\"pk\":{\"S\":\"p%05ld\"},"
                    "\"sk\":{\"S\":\"s%05ld\"}},"
                    "\"UpdateExpression\":\"SET n = n + :d\","
                    "\"ExpressionAttributeValues\":{\":d\":{\"N\":\"1\"}}}",
                    i / PER_PARTITION, i % PER_PARTITION);
}

/* The warm-up updated every item once: n went from i to i + 1. */
static const char *verify_update(dynemu_db *db)
{
    const char *why = NULL;
    for (long i = 0; i < ITEMS; i += 997) {
        const char *n = number_of(db, i, &why);
        if (!n)
            return why;
        if (strtol(n, NULL, 10) != i + 1)
            return "UpdateItem SET n = n + :d did not add 1 to n";
    }
    return NULL;
}

/* Query of the first 25 items of a partition, keeping those whose n is at
 * least the 14th's: 12 of the 25 read (Count 12, ScannedCount 25). */
static int build_query_filter(char *buf, size_t cap, long i)
{
    long p = i / PER_PARTITION;
    return snprintf(buf, cap,
                    "{\"TableName\":\"bench\",\"Limit\":25,"
                    "\"KeyConditionExpression\":\"pk = :p\","
                    "\"FilterExpression\":\"n >= :lo\","
                    "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"p%05ld\"},\":lo\":{\"N\":\"%ld\"}}}",
                    p, p * PER_PARTITION + 13);
}

static const char *check_query_filter(const cJSON *r)
{
    const cJSON *count = cJSON_GetObjectItemCaseSensitive(r, "Count");
    const cJSON *scanned = cJSON_GetObjectItemCaseSensitive(r, "ScannedCount");
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(r, "Items");
    if (!cJSON_IsNumber(count) || count->valueint != 12 || cJSON_GetArraySize(items) != 12)
        return "filtered Query did not return 12 items";
    if (!cJSON_IsNumber(scanned) || scanned->valueint != 25)
        return "filtered Query Limit 25 did not report ScannedCount 25";
    if (!cJSON_GetObjectItemCaseSensitive(r, "LastEvaluatedKey"))
        return "filtered Query Limit 25 of 100 items returned no LastEvaluatedKey";
    return NULL;
}

/* Table "bench_gsi": the layout of "bench" plus g = "g%02d" % (i % 100), and a
 * GSI "by_g" (g HASH, n RANGE, projection ALL): 100 index partitions of 100
 * items, each spread over all the table's partitions. */
static const char *setup_gsi(dynemu_db *db)
{
    static const char create[] =
        "{\"TableName\":\"bench_gsi\","
        "\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"},"
        "{\"AttributeName\":\"sk\",\"AttributeType\":\"S\"},"
        "{\"AttributeName\":\"g\",\"AttributeType\":\"S\"},"
        "{\"AttributeName\":\"n\",\"AttributeType\":\"N\"}],"
        "\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},"
        "{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}],"
        "\"GlobalSecondaryIndexes\":[{\"IndexName\":\"by_g\","
        "\"KeySchema\":[{\"AttributeName\":\"g\",\"KeyType\":\"HASH\"},"
        "{\"AttributeName\":\"n\",\"KeyType\":\"RANGE\"}],"
        "\"Projection\":{\"ProjectionType\":\"ALL\"}}],"
        "\"BillingMode\":\"PAY_PER_REQUEST\"}";
    const char *err = must(db, "CreateTable", create, (int)strlen(create));
    char buf[REQ_CAP], payload[PAYLOAD_LEN + 1];
    for (long i = 0; !err && i < ITEMS; i++) {
        payload_of(i, payload);
        int len = snprintf(buf, sizeof buf,
                           "{\"TableName\":\"bench_gsi\",\"Item\":{\"pk\":{\"S\":\"p%05ld\"},"
                           "\"sk\":{\"S\":\"s%05ld\"},\"n\":{\"N\":\"%ld\"},\"g\":{\"S\":\"g%02ld\"},"
                           "\"payload\":{\"S\":\"%s\"}}}",
                           i / PER_PARTITION, i % PER_PARTITION, i, i % 100, payload);
        err = must(db, "PutItem", buf, len);
    }
    return err;
}

static int build_query_gsi(char *buf, size_t cap, long i)
{
    return snprintf(buf, cap,
                    "{\"TableName\":\"bench_gsi\",\"IndexName\":\"by_g\",\"Limit\":25,"
                    "\"KeyConditionExpression\":\"g = :g\","
                    "\"ExpressionAttributeValues\":{\":g\":{\"S\":\"g%02ld\"}}}",
                    i / PER_PARTITION % 100);
}

static const char *check_query_gsi(const cJSON *r)
{
    const char *bad = check_query(r);
    if (bad)
        return bad;
    const cJSON *last = cJSON_GetObjectItemCaseSensitive(r, "LastEvaluatedKey");
    static const char *const keys[] = {"pk", "sk", "g", "n"};
    for (int k = 0; k < 4; k++)
        if (!cJSON_GetObjectItemCaseSensitive(last, keys[k]))
            return "GSI Query's LastEvaluatedKey lacks a table or index key";
    return NULL;
}

/* Table "bench_gsi2": the layout of "bench" plus g = "g%02d" % (i % 100 / 2)
 * and h = "h%d" % (i % 2), and a GSI "by_gh" (g and h HASH, n RANGE,
 * projection ALL): a multi-attribute partition key, with the same 100 index
 * partitions of 100 items as "bench_gsi", so the two rows compare. */
static const char *setup_gsi2(dynemu_db *db)
{
    static const char create[] =
        "{\"TableName\":\"bench_gsi2\","
        "\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"},"
        "{\"AttributeName\":\"sk\",\"AttributeType\":\"S\"},"
        "{\"AttributeName\":\"g\",\"AttributeType\":\"S\"},"
        "{\"AttributeName\":\"h\",\"AttributeType\":\"S\"},"
        "{\"AttributeName\":\"n\",\"AttributeType\":\"N\"}],"
        "\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},"
        "{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}],"
        "\"GlobalSecondaryIndexes\":[{\"IndexName\":\"by_gh\","
        "\"KeySchema\":[{\"AttributeName\":\"g\",\"KeyType\":\"HASH\"},"
        "{\"AttributeName\":\"h\",\"KeyType\":\"HASH\"},"
        "{\"AttributeName\":\"n\",\"KeyType\":\"RANGE\"}],"
        "\"Projection\":{\"ProjectionType\":\"ALL\"}}],"
        "\"BillingMode\":\"PAY_PER_REQUEST\"}";
    const char *err = must(db, "CreateTable", create, (int)strlen(create));
    char buf[REQ_CAP], payload[PAYLOAD_LEN + 1];
    for (long i = 0; !err && i < ITEMS; i++) {
        payload_of(i, payload);
        int len = snprintf(buf, sizeof buf,
                           "{\"TableName\":\"bench_gsi2\",\"Item\":{\"pk\":{\"S\":\"p%05ld\"},"
                           "\"sk\":{\"S\":\"s%05ld\"},\"n\":{\"N\":\"%ld\"},\"g\":{\"S\":\"g%02ld\"},"
                           "\"h\":{\"S\":\"h%ld\"},\"payload\":{\"S\":\"%s\"}}}",
                           i / PER_PARTITION, i % PER_PARTITION, i, i % 100 / 2, i % 2, payload);
        err = must(db, "PutItem", buf, len);
    }
    return err;
}

static int build_query_gsi2(char *buf, size_t cap, long i)
{
    long part = i / PER_PARTITION % 100;
    return snprintf(buf, cap,
                    "{\"TableName\":\"bench_gsi2\",\"IndexName\":\"by_gh\",\"Limit\":25,"
                    "\"KeyConditionExpression\":\"g = :g AND h = :h\","
                    "\"ExpressionAttributeValues\":{\":g\":{\"S\":\"g%02ld\"},\":h\":{\"S\":\"h%ld\"}}}",
                    part / 2, part % 2);
}

static const char *check_query_gsi2(const cJSON *r)
{
    const char *bad = check_query(r);
    if (bad)
        return bad;
    const cJSON *last = cJSON_GetObjectItemCaseSensitive(r, "LastEvaluatedKey");
    static const char *const keys[] = {"pk", "sk", "g", "h", "n"};
    for (int k = 0; k < 5; k++)
        if (!cJSON_GetObjectItemCaseSensitive(last, keys[k]))
            return "GSI Query's LastEvaluatedKey lacks a table or index key";
    return NULL;
}

/* TransactWriteItems of 10 actions on 10 scattered items: 4 Puts, 4
 * conditional Updates, 2 ConditionChecks (bench/tx_bench.c's "mixed"). */
static int build_tx(char *buf, size_t cap, long i)
{
    static const char kinds[TX_ACTIONS] = "PUCPUPUCPU";
    char part[512];
    int len = snprintf(buf, cap, "{\"TransactItems\":[");
    for (int a = 0; a < TX_ACTIONS; a++) {
        long k = ((i * TX_ACTIONS + a) * 7919) % ITEMS;
        if (a)
            len += snprintf(buf + len, cap - (size_t)len, ",");
        if (kinds[a] == 'P') {
            item_json(part, sizeof part, k);
            len += snprintf(buf + len, cap - (size_t)len, "{\"Put\":{\"TableName\":\"bench\",\"Item\":%s}}", part);
            continue;
        }
        key_json(part, sizeof part, k);
        if (kinds[a] == 'U')
            len += snprintf(buf + len, cap - (size_t)len,
                            "{\"Update\":{\"TableName\":\"bench\",\"Key\":%s,"
                            "\"UpdateExpression\":\"SET #s = :s ADD #c :one\","
                            "\"ConditionExpression\":\"attribute_exists(pk)\","
                            "\"ExpressionAttributeNames\":{\"#s\":\"state\",\"#c\":\"count\"},"
                            "\"ExpressionAttributeValues\":{\":s\":{\"S\":\"seen\"},\":one\":{\"N\":\"1\"}}}}",
                            part);
        else
            len += snprintf(buf + len, cap - (size_t)len,
                            "{\"ConditionCheck\":{\"TableName\":\"bench\",\"Key\":%s,"
                            "\"ConditionExpression\":\"attribute_exists(pk) AND size(payload) > :z\","
                            "\"ExpressionAttributeValues\":{\":z\":{\"N\":\"0\"}}}}",
                            part);
    }
    len += snprintf(buf + len, cap - (size_t)len, "]}");
    return len;
}

/* ---- associations: users "bob" has_many posts, 1,000 of them ----------- */

/* Tables users and posts (id S HASH), bob, 1,000 posts ("post-0000" ...) and
 * the declaration users has_many posts (foreign key user_id, ids in posts_ids). */
/* Tables keyed by a String id, as associations want them. */
static const char *create_id_tables(dynemu_db *db, const char *const *names, int n)
{
    static const char table[] =
        "{\"TableName\":\"%s\",\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}],"
        "\"AttributeDefinitions\":[{\"AttributeName\":\"id\",\"AttributeType\":\"S\"}],"
        "\"BillingMode\":\"PAY_PER_REQUEST\"}";
    char buf[512];
    const char *err = NULL;
    for (int t = 0; t < n && !err; t++) err = must(db, "CreateTable", buf, snprintf(buf, sizeof buf, table, names[t]));
    return err;
}

static const char *setup_assoc_tables(dynemu_db *db)
{
    static const char *const names[] = {"users", "posts"};
    char buf[512];
    const char *err = create_id_tables(db, names, 2);
    if (!err) {
        static const char bob[] = "{\"TableName\":\"users\",\"Item\":{\"id\":{\"S\":\"bob\"}}}";
        err = must(db, "PutItem", bob, (int)strlen(bob));
    }
    for (int c = 0; !err && c < CHILDREN; c++)
        err = must(db, "PutItem", buf,
                   snprintf(buf, sizeof buf,
                            "{\"TableName\":\"posts\",\"Item\":{\"id\":{\"S\":\"post-%04d\"},"
                            "\"title\":{\"S\":\"a title of some length\"},\"stars\":{\"N\":\"%d\"}}}",
                            c, c % 5));
    if (!err)
        err = must_control(db, "POST", "/_dynemu/associations", "{\"table\":\"users\",\"has_many\":\"posts\"}");
    return err;
}

static int build_assoc_add(char *buf, size_t cap, long i)
{
    (void)i;
    int len = snprintf(buf, cap, "{\"op\":\"add\",\"table\":\"users\",\"id\":\"bob\",\"association\":\"posts\",\"ids\":[");
    for (int c = 0; c < CHILDREN; c++)
        len += snprintf(buf + len, cap - (size_t)len, "%s\"post-%04d\"", c ? "," : "", c);
    len += snprintf(buf + len, cap - (size_t)len, "]}");
    return len;
}

/* Each add starts from bob without posts: the state saved after setup. */
static const char *setup_assoc_unlinked(dynemu_db *db)
{
    const char *err = setup_assoc_tables(db);
    if (!err && dynemu_snapshot(db, "unlinked") != 0)
        err = "dynemu_snapshot failed";
    return err;
}

static const char *restore_unlinked(dynemu_db *db)
{
    return dynemu_restore(db, "unlinked") == 0 ? NULL : "dynemu_restore failed";
}

static const char *check_assoc_add(const cJSON *r)
{
    if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r, "ids")) != CHILDREN)
        return "add did not answer the owner's 1,000 ids";
    return NULL;
}

/* Links are consistent both ways (GET /_dynemu/associations/check). */
static const char *verify_assoc(dynemu_db *db)
{
    char *resp = NULL;
    size_t len = 0;
    int status = dynemu_control(db, "GET", "/_dynemu/associations/check", NULL, 0, &resp, &len);
    cJSON *r = status == 200 ? cJSON_ParseWithLength(resp, len) : NULL;
    dynemu_free(resp);
    const char *why = NULL;
    if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "ok")))
        why = "GET /_dynemu/associations/check did not answer ok: true";
    cJSON_Delete(r);
    return why;
}

static const char *setup_assoc_linked(dynemu_db *db)
{
    const char *err = setup_assoc_tables(db);
    char buf[REQ_CAP];
    if (!err) {
        build_assoc_add(buf, sizeof buf, 0);
        err = must_control(db, "POST", "/_dynemu/associations/call", buf);
    }
    return err;
}

static int build_assoc_list(char *buf, size_t cap, long i)
{
    (void)i;
    return snprintf(buf, cap, "{\"op\":\"list\",\"table\":\"users\",\"id\":\"bob\",\"association\":\"posts\"}");
}

static const char *check_assoc_list(const cJSON *r)
{
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(r, "items");
    if (cJSON_GetArraySize(items) != CHILDREN)
        return "list did not answer 1,000 items";
    const cJSON *last = cJSON_GetArrayItem(items, CHILDREN - 1);
    const cJSON *fk = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(last, "user_id"), "S");
    if (!cJSON_IsString(fk) || strcmp(fk->valuestring, "bob") != 0)
        return "a listed post does not name its owner in user_id";
    return NULL;
}

/* ---- the second round: habtm and through, 1,000 links each --------------- */

/* users has_and_belongs_to_many liked (the 1,000 posts), posts keeping users_ids. */
static const char *setup_habtm_unlinked(dynemu_db *db)
{
    const char *err = setup_assoc_tables(db);
    if (!err)
        err = must_control(db, "POST", "/_dynemu/associations",
                           "{\"table\":\"users\",\"has_and_belongs_to_many\":\"liked\",\"target\":\"posts\"}");
    if (!err && dynemu_snapshot(db, "unlinked") != 0)
        err = "dynemu_snapshot failed";
    return err;
}

/* Each add links 1,000 posts to bob: bob's liked_ids and every post's users_ids. */
static int build_habtm_add(char *buf, size_t cap, long i)
{
    (void)i;
    int len = snprintf(buf, cap, "{\"op\":\"add\",\"table\":\"users\",\"id\":\"bob\",\"association\":\"liked\",\"ids\":[");
    for (int c = 0; c < CHILDREN; c++)
        len += snprintf(buf + len, cap - (size_t)len, "%s\"post-%04d\"", c ? "," : "", c);
    len += snprintf(buf + len, cap - (size_t)len, "]}");
    return len;
}

/* channels "news" has_many subscribers, through: subscriptions, source: user; 1,000 users subscribed. */
static const char *setup_through(dynemu_db *db)
{
    static const char *const names[] = {"users", "channels", "subscriptions"};
    char buf[REQ_CAP];
    const char *err = create_id_tables(db, names, 3);
    if (!err) {
        static const char news[] = "{\"TableName\":\"channels\",\"Item\":{\"id\":{\"S\":\"news\"}}}";
        err = must(db, "PutItem", news, (int)strlen(news));
    }
    for (int c = 0; !err && c < CHILDREN; c++)
        err = must(db, "PutItem", buf,
                   snprintf(buf, sizeof buf,
                            "{\"TableName\":\"users\",\"Item\":{\"id\":{\"S\":\"user-%04d\"},"
                            "\"name\":{\"S\":\"a name of some length\"}}}", c));
    if (!err)
        err = must_control(db, "POST", "/_dynemu/associations",
                           "{\"declarations\":[{\"table\":\"channels\",\"has_many\":\"subscriptions\"},"
                           "{\"table\":\"subscriptions\",\"belongs_to\":\"user\"},"
                           "{\"table\":\"channels\",\"has_many\":\"subscribers\",\"through\":\"subscriptions\","
                           "\"source\":\"user\"}]}");
    if (!err) {
        int len = snprintf(buf, sizeof buf,
                           "{\"op\":\"add\",\"table\":\"channels\",\"id\":\"news\",\"association\":\"subscribers\",\"ids\":[");
        for (int c = 0; c < CHILDREN; c++)
            len += snprintf(buf + len, sizeof buf - (size_t)len, "%s\"user-%04d\"", c ? "," : "", c);
        snprintf(buf + len, sizeof buf - (size_t)len, "]}");
        err = must_control(db, "POST", "/_dynemu/associations/call", buf);
    }
    return err;
}

static int build_through_list(char *buf, size_t cap, long i)
{
    (void)i;
    return snprintf(buf, cap, "{\"op\":\"list\",\"table\":\"channels\",\"id\":\"news\",\"association\":\"subscribers\"}");
}

static const char *check_through_list(const cJSON *r)
{
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(r, "items");
    if (cJSON_GetArraySize(items) != CHILDREN) return "through list did not answer 1,000 users";
    const cJSON *last = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(items, CHILDREN - 1), "id");
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(last, "S");
    return cJSON_IsString(id) && strcmp(id->valuestring, "user-0999") == 0 ? NULL : "the last user listed is not user-0999";
}

/* ---- fixtures and reset ------------------------------------------------ */

/* A fixture document: table "bench" and items 0 .. n-1 of the layout. */
static char *fixture_document(long n, size_t *out_len)
{
    size_t cap = (size_t)n * 300 + 1024, len = 0;
    char *doc = malloc(cap);
    if (!doc)
        return NULL;
    len += (size_t)snprintf(doc, cap, "{\"tables\":[%s],\"items\":{\"bench\":[\n", CREATE_BENCH);
    for (long i = 0; i < n; i++) {
        if (i)
            doc[len++] = ',', doc[len++] = '\n';
        len += (size_t)item_json(doc + len, cap - len, i);
    }
    len += (size_t)snprintf(doc + len, cap - len, "]}}\n");
    *out_len = len;
    return doc;
}

static char *load_doc;
static size_t load_doc_len;

static const char *setup_load(dynemu_db *db)
{
    (void)db;
    if (!load_doc)
        load_doc = fixture_document(LOAD_ITEMS, &load_doc_len);
    return load_doc ? NULL : "out of memory";
}

/* Before each load: back to the empty database of dynemu_open(). */
static const char *reset_db(dynemu_db *db)
{
    return dynemu_reset(db) == 0 ? NULL : "dynemu_reset failed";
}

static const char *run_load(dynemu_db *db, long i)
{
    (void)i;
    static char why[320];
    char *error = NULL;
    if (dynemu_load(db, load_doc, load_doc_len, &error) == 0)
        return NULL;
    snprintf(why, sizeof why, "dynemu_load: %.280s", error ? error : "(no message)");
    dynemu_free(error);
    return why;
}

static const char *verify_load(dynemu_db *db)
{
    const char *why = NULL;
    long n = item_count(db, "bench", &why);
    if (n < 0)
        return why;
    return n == LOAD_ITEMS ? NULL : "the loaded table does not hold 100,000 items";
}

/* The reset row's database: seeded from a fixture file of ITEMS items, so
 * that dynemu_reset goes back to those items. */
static dynemu_db *open_seeded(const char **why)
{
    size_t len = 0;
    char *doc = fixture_document(ITEMS, &len);
    char path[] = "/tmp/dynemu-inproc-XXXXXX";
    int fd = doc ? mkstemp(path) : -1;
    dynemu_db *db = NULL;
    if (fd < 0) {
        *why = "could not write the fixture file";
    } else {
        FILE *f = fdopen(fd, "w");
        int ok = f && fwrite(doc, 1, len, f) == len;
        if (f)
            ok = fclose(f) == 0 && ok;
        char *error = NULL;
        const char *paths[] = {path};
        db = ok ? dynemu_open_fixtures(paths, 1, &error) : NULL;
        if (!db) {
            static char msg[320];
            snprintf(msg, sizeof msg, "dynemu_open_fixtures: %.280s", error ? error : "could not write the file");
            *why = msg;
        }
        dynemu_free(error);
        unlink(path);
    }
    free(doc);
    return db;
}

/* The usual test case before a reset: a few writes. 9 scattered items are
 * overwritten (n = -1), item 0 among them, and one item is added. */
static const char *write_before_reset(dynemu_db *db)
{
    static long round;
    char item[512], buf[1024];
    const char *err = NULL;
    for (int w = 0; !err && w < RESET_WRITES - 1; w++) {
        long k = w ? ((round * RESET_WRITES + w) * 7919) % ITEMS : 0;
        char payload[PAYLOAD_LEN + 1];
        payload_of(k, payload);
        snprintf(item, sizeof item,
                 "{\"pk\":{\"S\":\"p%05ld\"},\"sk\":{\"S\":\"s%05ld\"},\"n\":{\"N\":\"-1\"},\"payload\":{\"S\":\"%s\"}}",
                 k / PER_PARTITION, k % PER_PARTITION, payload);
        err = must(db, "PutItem", buf, snprintf(buf, sizeof buf, "{\"TableName\":\"bench\",\"Item\":%s}", item));
    }
    if (!err) {
        static const char added[] =
            "{\"TableName\":\"bench\",\"Item\":{\"pk\":{\"S\":\"added\"},\"sk\":{\"S\":\"s00000\"}}}";
        err = must(db, "PutItem", added, (int)strlen(added));
    }
    round++;
    return err;
}

static const char *run_reset(dynemu_db *db, long i)
{
    (void)i;
    return dynemu_reset(db) == 0 ? NULL : "dynemu_reset failed";
}

static const char *verify_reset(dynemu_db *db)
{
    const char *why = NULL;
    long n = item_count(db, "bench", &why);
    if (n < 0)
        return why;
    if (n != ITEMS)
        return "after reset the table does not hold its 10,000 items";
    const char *n0 = number_of(db, 0, &why);
    if (!n0)
        return why;
    return strcmp(n0, "0") == 0 ? NULL : "reset did not bring back an overwritten item";
}

/* ---- Streams: GetRecords of 1,000 records ------------------------------ */

#define STREAM_RECORDS 1000
static char stream_iterator[4096];

/* Table "bench_stream" (the layout of "bench", a NEW_AND_OLD_IMAGES stream)
 * with STREAM_RECORDS items written, and a TRIM_HORIZON iterator on its shard. */
static const char *setup_stream(dynemu_db *db)
{
    static const char create[] =
        "{\"TableName\":\"bench_stream\","
        "\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"},"
        "{\"AttributeName\":\"sk\",\"AttributeType\":\"S\"}],"
        "\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},"
        "{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}],"
        "\"BillingMode\":\"PAY_PER_REQUEST\","
        "\"StreamSpecification\":{\"StreamEnabled\":true,\"StreamViewType\":\"NEW_AND_OLD_IMAGES\"}}";
    const char *why = NULL;
    cJSON *t = ask(db, "CreateTable", create, &why);
    if (!t) return why;
    char arn[512], buf[REQ_CAP];
    snprintf(arn, sizeof arn, "%s", cJSON_GetObjectItemCaseSensitive(
                                        cJSON_GetObjectItemCaseSensitive(t, "TableDescription"), "LatestStreamArn")
                                        ->valuestring);
    cJSON_Delete(t);
    for (long i = 0; !why && i < STREAM_RECORDS; i++) {
        char item[REQ_CAP];
        item_json(item, sizeof item, i);
        int len = snprintf(buf, sizeof buf, "{\"TableName\":\"bench_stream\",\"Item\":%s}", item);
        why = must(db, "PutItem", buf, len);
    }
    if (why) return why;
    snprintf(buf, sizeof buf, "{\"StreamArn\":\"%s\"}", arn);
    cJSON *d = ask(db, "DescribeStream", buf, &why);
    if (!d) return why;
    const cJSON *shards = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(d, "StreamDescription"),
                                                           "Shards");
    snprintf(buf, sizeof buf, "{\"StreamArn\":\"%s\",\"ShardId\":\"%s\",\"ShardIteratorType\":\"TRIM_HORIZON\"}",
             arn, cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(shards, 0), "ShardId")->valuestring);
    cJSON_Delete(d);
    cJSON *it = ask(db, "GetShardIterator", buf, &why);
    if (!it) return why;
    snprintf(stream_iterator, sizeof stream_iterator, "%s",
             cJSON_GetObjectItemCaseSensitive(it, "ShardIterator")->valuestring);
    cJSON_Delete(it);
    return NULL;
}

/* The same iterator every time: an iterator is good for 15 minutes and reads the same records. */
static int build_get_records(char *buf, size_t cap, long i)
{
    (void)i;
    return snprintf(buf, cap, "{\"ShardIterator\":\"%s\",\"Limit\":%d}", stream_iterator, STREAM_RECORDS);
}

static const char *check_get_records(const cJSON *r)
{
    const cJSON *recs = cJSON_GetObjectItemCaseSensitive(r, "Records");
    if (cJSON_GetArraySize(recs) != STREAM_RECORDS) return "GetRecords did not answer 1,000 records";
    const cJSON *first = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(recs, 0), "dynamodb");
    if (!cJSON_GetObjectItemCaseSensitive(first, "NewImage")) return "a record lacks its NewImage";
    return cJSON_GetObjectItemCaseSensitive(r, "NextShardIterator") ? NULL : "no NextShardIterator on an open shard";
}

static const bench_op ops[] = {
    {.name = "GetItem", .operation = "GetItem", .setup = setup_items, .build = build_get,
     .check = check_get, .target_us = 1.5},
    {.name = "PutItem (overwrite)", .operation = "PutItem", .setup = setup_items, .build = build_item,
     .target_us = 2.0},
    {.name = "Query (Limit 25)", .operation = "Query", .setup = setup_items, .build = build_query,
     .check = check_query},
    {.name = "SELECT WHERE pk=? AND sk=?", .operation = "ExecuteStatement", .setup = setup_items,
     .build = build_select_key, .check = check_select_key, .relative_to = "GetItem", .factor = 1.5},
    {.name = "SELECT WHERE pk=? (Limit 25)", .operation = "ExecuteStatement", .setup = setup_items,
     .build = build_select_partition, .check = check_select_partition, .relative_to = "Query (Limit 25)",
     .factor = 1.5},
    {.name = "UpdateItem (SET n = n + 1)", .operation = "UpdateItem", .setup = setup_items,
     .build = build_update, .check = check_object, .verify = verify_update},
    {.name = "Query + filter (Limit 25)", .operation = "Query", .setup = setup_items,
     .build = build_query_filter, .check = check_query_filter},
    {.name = "Query on a GSI (Limit 25)", .operation = "Query", .setup = setup_gsi,
     .build = build_query_gsi, .check = check_query_gsi},
    {.name = "Query on a 2-attribute-key GSI (Limit 25)", .operation = "Query", .setup = setup_gsi2,
     .build = build_query_gsi2, .check = check_query_gsi2},
    {.name = "TransactWriteItems (10)", .operation = "TransactWriteItems", .setup = setup_items,
     .build = build_tx, .check = check_object, .target_us = 20},
    {.name = "assoc add (1,000 ids)", .control = "/_dynemu/associations/call", .requests = 5,
     .setup = setup_assoc_unlinked, .prepare = restore_unlinked, .build = build_assoc_add,
     .check = check_assoc_add, .verify = verify_assoc},
    {.name = "assoc list (1,000 items)", .control = "/_dynemu/associations/call", .requests = 50,
     .setup = setup_assoc_linked, .build = build_assoc_list, .check = check_assoc_list},
    {.name = "habtm add (1,000 ids)", .control = "/_dynemu/associations/call", .requests = 5,
     .setup = setup_habtm_unlinked, .prepare = restore_unlinked, .build = build_habtm_add,
     .check = check_assoc_add, .verify = verify_assoc},
    {.name = "through list (1,000 joins)", .control = "/_dynemu/associations/call", .requests = 50,
     .setup = setup_through, .build = build_through_list, .check = check_through_list},
    {.name = "fixture load (items/s)", .requests = 1, .items_per_call = LOAD_ITEMS, .setup = setup_load,
     .prepare = reset_db, .run = run_load, .verify = verify_load},
    {.name = "GetRecords (1,000 records)", .operation = "GetRecords", .requests = 20, .setup = setup_stream,
     .build = build_get_records, .check = check_get_records},
    {.name = "reset (10,000 items)", .requests = 100, .open = open_seeded, .prepare = write_before_reset,
     .run = run_reset, .verify = verify_reset, .target_us = 1000},
};

/* ---- the runner -------------------------------------------------------- */

typedef struct { char *body; int len; } request;

static int run_one(const bench_op *op, dynemu_db *db, const request *r, long i,
                   const char **why)
{
    if (op->run) {
        const char *bad = op->run(db, i);
        if (!bad)
            return 0;
        if (why)
            *why = bad;
        return -1;
    }
    char *resp = NULL;
    size_t resp_len = 0;
    int status = op->control
        ? dynemu_control(db, "POST", op->control, r->body, (size_t)r->len, &resp, &resp_len)
        : dynemu_call(db, op->operation, r->body, (size_t)r->len, &resp, &resp_len);
    int rc = 0;
    if (why) {  /* only the warm-up pass looks at responses */
        static char msg[320];
        const char *bad = NULL;
        if (status != 200) {
            snprintf(msg, sizeof msg, "status %d: %.240s", status, resp ? resp : "(no body)");
            bad = msg;
        } else if (op->check) {
            cJSON *json = cJSON_ParseWithLength(resp, resp_len);
            bad = json ? op->check(json) : "response is not JSON";
            cJSON_Delete(json);
        }
        if (bad) {
            *why = bad;
            rc = -1;
        }
    }
    dynemu_free(resp);
    return rc;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#define OPS (sizeof ops / sizeof ops[0])

/* The median of each row run so far, for targets relative to another row. */
static double medians[OPS];

static double target_of(const bench_op *op)
{
    for (size_t i = 0; op->relative_to && i < OPS; i++)
        if (strcmp(ops[i].name, op->relative_to) == 0) return medians[i] * op->factor;
    return op->target_us;
}

/* The target applies to the median round; the best round shows how much of
 * the spread is other work on the machine. */
static void print_row(const bench_op *op, double median_us, double best_us, const char *error)
{
    if (error) {
        printf("  %-30s %10s %10s   %-10s %s\n", op->name, "-", "-", "", "ERROR");
        printf("      %s\n", error);
        return;
    }
    char target[32] = "-";
    const char *result = "-";
    double target_us = target_of(op);
    if (target_us > 0) {
        snprintf(target, sizeof target, "< %.3g us", target_us);
        result = median_us < target_us ? "PASS" : "MISS";
    }
    if (op->items_per_call)  /* a rate: items per second of the median and the best round */
        printf("  %-30s %10.0f %10.0f   %-10s %s\n", op->name, op->items_per_call / median_us * 1e6,
               op->items_per_call / best_us * 1e6, target, result);
    else
        printf("  %-30s %10.3f %10.3f   %-10s %s\n", op->name, median_us, best_us, target, result);
}

/* Runs one row and prints it; returns its median (0 on error). */
static double bench(const bench_op *op)
{
    const char *err = NULL;
    dynemu_db *db = op->open ? op->open(&err) : dynemu_open();
    if (!db) {
        print_row(op, 0, 0, err ? err : "dynemu_open returned NULL");
        return 0;
    }
    if (op->setup)
        err = op->setup(db);
    long n = op->requests ? op->requests : ITEMS;
    request *reqs = calloc((size_t)n, sizeof *reqs);
    static char buf[REQ_CAP];
    /* 7919 is prime and so coprime with ITEMS: a permutation of all items. */
    for (long k = 0; !err && k < n; k++) {
        long i = (k * 7919) % ITEMS;
        reqs[k].len = op->build ? op->build(buf, sizeof buf, i) : 0;
        reqs[k].body = strndup(buf, (size_t)reqs[k].len);
    }

    /* Warm-up: every request once, every response checked. */
    double t0 = now_s(), prepared = 0;
    for (long k = 0; !err && k < n; k++) {
        if (op->prepare) {
            double p0 = now_s();
            err = op->prepare(db);
            prepared += now_s() - p0;
        }
        if (!err)
            run_one(op, db, &reqs[k], k, &err);
    }
    double per_call = (now_s() - t0 - prepared) / (double)n;
    if (!err && op->verify)
        err = op->verify(db);

    double us[ROUNDS];
    long calls = (long)(ROUND_SECONDS / (per_call > 1e-9 ? per_call : 1e-9));
    if (calls < MIN_CALLS)
        calls = MIN_CALLS;
    for (int round = 0; !err && round < ROUNDS; round++) {
        if (op->prepare) {
            /* Each call timed alone, the untimed prepare step in between. */
            double busy = 0, start = now_s();
            long c = 0;
            do {
                if ((err = op->prepare(db)))
                    break;
                double s = now_s();
                run_one(op, db, &reqs[c % n], c % n, NULL);
                busy += now_s() - s;
                c++;
            } while (now_s() - start < ROUND_SECONDS);
            us[round] = c ? busy / (double)c * 1e6 : 0;
            continue;
        }
        double start = now_s();
        for (long c = 0; c < calls; c++)
            run_one(op, db, &reqs[c % n], c % n, NULL);
        us[round] = (now_s() - start) / (double)calls * 1e6;
    }
    if (!err)
        qsort(us, ROUNDS, sizeof us[0], cmp_double);
    print_row(op, err ? 0 : us[ROUNDS / 2], err ? 0 : us[0], err);

    for (long k = 0; k < n; k++)
        free(reqs[k].body);
    free(reqs);
    dynemu_close(db);
    return err ? 0 : us[ROUNDS / 2];
}

int main(void)
{
    dynemu_parse_in_place(); /* as the server does */
    printf("  %-30s %10s %10s   %-10s %s\n", "operation", "us/call", "best", "target", "result");
    /* BENCH_ROWS=text: only the rows whose name contains it (one figure, quickly). */
    const char *only = getenv("BENCH_ROWS");
    for (size_t i = 0; i < OPS; i++) {
        if (only && !strstr(ops[i].name, only)) continue;
        medians[i] = bench(&ops[i]);
        fflush(stdout);
    }
    free(load_doc);
    return 0;
}
