/* tx_bench.c — µs per 10-action TransactWriteItems (and a 10-item
 * TransactGetItems) through libdynemu's public entry point, dynemu_call(),
 * with no HTTP in the way.
 *
 * The table holds bench/inproc.c's layout: 10,000 items of about 200 bytes,
 * 100 partitions of 100 sort keys. Each row's requests are built before the
 * clock starts, each touching 10 scattered items; a warm-up pass checks every
 * answer, then five timed rounds of about 0.1 s give the median and the best.
 *
 * Rows:
 *   10 Puts                 replace 10 items, no condition
 *   10 conditional Updates  SET + ADD on 10 items, each with a ConditionExpression
 *   mixed                   4 Puts, 4 conditional Updates, 2 ConditionChecks
 *   mixed + token           the same with a fresh ClientRequestToken each time,
 *                           as the SDKs send one (the database keeps each for 10 minutes)
 *   TransactGetItems x10    10 Gets
 *
 * Build and run (from the repository root, after `make`):
 *   cc -O2 -std=c11 -D_GNU_SOURCE -I. bench/tx_bench.c build/libdynemu.a \
 *      $(LDLIBS from the Makefile) -o /tmp/tx_bench && /tmp/tx_bench
 *
 * `make bench` reports the "mixed" row, in-process (bench/inproc.c) and over
 * HTTP (bench/wrk/tx.lua); this program adds the others. */
#include "dynemu.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ITEMS 10000
#define PER_PARTITION 100
#define PAYLOAD_LEN 170
#define ACTIONS 10
#define REQUESTS 4096           /* distinct prebuilt requests per row, used in turn */
#define ROUNDS 5
#define ROUND_SECONDS 0.1
#define REQ_CAP 8192

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs a call that must succeed; returns its status (and prints why not). */
static int call(dynemu_db *db, const char *op, const char *req, size_t len, bool report)
{
    char *resp = NULL;
    size_t resp_len = 0;
    int status = dynemu_call(db, op, req, len, &resp, &resp_len);
    if (status != 200 && report) fprintf(stderr, "%s -> %d %.300s\n", op, status, resp ? resp : "");
    dynemu_free(resp);
    return status;
}

/* The i-th item's key, scattered over the table so neighbouring requests touch far apart items. */
static long scattered(long i) { return (i * 7919) % ITEMS; }

static int key_json(char *buf, size_t cap, long k)
{
    return snprintf(buf, cap, "{\"pk\":{\"S\":\"p%05ld\"},\"sk\":{\"S\":\"s%05ld\"}}", k / PER_PARTITION,
                    k % PER_PARTITION);
}

static int item_json(char *buf, size_t cap, long k)
{
    char payload[PAYLOAD_LEN + 1];
    for (int j = 0; j < PAYLOAD_LEN; j++) payload[j] = (char)('a' + (k + j) % 26);
    payload[PAYLOAD_LEN] = 0;
    return snprintf(buf, cap, "{\"pk\":{\"S\":\"p%05ld\"},\"sk\":{\"S\":\"s%05ld\"},\"n\":{\"N\":\"%ld\"},"
                    "\"payload\":{\"S\":\"%s\"}}", k / PER_PARTITION, k % PER_PARTITION, k, payload);
}

static bool setup(dynemu_db *db)
{
    static const char create[] =
        "{\"TableName\":\"bench\",\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"},"
        "{\"AttributeName\":\"sk\",\"AttributeType\":\"S\"}],\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},"
        "{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}],\"BillingMode\":\"PAY_PER_REQUEST\"}";
    if (call(db, "CreateTable", create, strlen(create), true) != 200) return false;
    char buf[REQ_CAP], item[1024];
    for (long k = 0; k < ITEMS; k++) {
        item_json(item, sizeof item, k);
        int len = snprintf(buf, sizeof buf, "{\"TableName\":\"bench\",\"Item\":%s}", item);
        if (call(db, "PutItem", buf, (size_t)len, true) != 200) return false;
    }
    return true;
}

/* ---- the actions a request is made of ---- */

typedef enum action_kind { PUT, UPDATE, CHECK, GET } action_kind;

static int action_json(char *buf, size_t cap, action_kind kind, long k)
{
    char part[1024];
    if (kind == PUT) {
        item_json(part, sizeof part, k);
        return snprintf(buf, cap, "{\"Put\":{\"TableName\":\"bench\",\"Item\":%s}}", part);
    }
    key_json(part, sizeof part, k);
    if (kind == UPDATE)
        return snprintf(buf, cap, "{\"Update\":{\"TableName\":\"bench\",\"Key\":%s,"
                        "\"UpdateExpression\":\"SET #s = :s ADD #c :one\",\"ConditionExpression\":\"attribute_exists(pk)\","
                        "\"ExpressionAttributeNames\":{\"#s\":\"state\",\"#c\":\"count\"},"
                        "\"ExpressionAttributeValues\":{\":s\":{\"S\":\"seen\"},\":one\":{\"N\":\"1\"}}}}", part);
    if (kind == CHECK)
        return snprintf(buf, cap, "{\"ConditionCheck\":{\"TableName\":\"bench\",\"Key\":%s,"
                        "\"ConditionExpression\":\"attribute_exists(pk) AND size(payload) > :z\","
                        "\"ExpressionAttributeValues\":{\":z\":{\"N\":\"0\"}}}}", part);
    return snprintf(buf, cap, "{\"Get\":{\"TableName\":\"bench\",\"Key\":%s}}", part);
}

typedef struct row {
    const char *name;
    const char *operation;
    action_kind kinds[ACTIONS];
    bool token;
} row;

static const row rows[] = {
    {"TransactWriteItems: 10 Puts", "TransactWriteItems", {PUT, PUT, PUT, PUT, PUT, PUT, PUT, PUT, PUT, PUT}, false},
    {"TransactWriteItems: 10 conditional Updates", "TransactWriteItems",
     {UPDATE, UPDATE, UPDATE, UPDATE, UPDATE, UPDATE, UPDATE, UPDATE, UPDATE, UPDATE}, false},
    {"TransactWriteItems: mixed (4 Put, 4 Update, 2 Check)", "TransactWriteItems",
     {PUT, UPDATE, CHECK, PUT, UPDATE, PUT, UPDATE, CHECK, PUT, UPDATE}, false},
    {"TransactWriteItems: mixed + ClientRequestToken", "TransactWriteItems",
     {PUT, UPDATE, CHECK, PUT, UPDATE, PUT, UPDATE, CHECK, PUT, UPDATE}, true},
    {"TransactGetItems: 10 Gets", "TransactGetItems", {GET, GET, GET, GET, GET, GET, GET, GET, GET, GET}, false},
};

/* Request r of a row: ten actions on ten distinct, scattered items. */
static int build(char *buf, size_t cap, const row *w, long r, long round)
{
    int len = snprintf(buf, cap, "{\"TransactItems\":[");
    for (int a = 0; a < ACTIONS; a++) {
        len += a ? snprintf(buf + len, cap - (size_t)len, ",") : 0;
        len += action_json(buf + len, cap - (size_t)len, w->kinds[a], scattered(r * ACTIONS + a));
    }
    if (w->token) len += snprintf(buf + len, cap - (size_t)len, "],\"ClientRequestToken\":\"t%ld-%ld\"}", round, r);
    else len += snprintf(buf + len, cap - (size_t)len, "]}");
    return len;
}

typedef struct request { char *body; int len; } request;

static request *build_all(const row *w, long round)
{
    request *reqs = calloc(REQUESTS, sizeof *reqs);
    char buf[REQ_CAP];
    for (long r = 0; reqs && r < REQUESTS; r++) {
        reqs[r].len = build(buf, sizeof buf, w, r, round);
        reqs[r].body = strdup(buf);
    }
    return reqs;
}

static void free_all(request *reqs)
{
    for (long r = 0; r < REQUESTS; r++) free(reqs[r].body);
    free(reqs);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* One timed round: as many calls as fit in ROUND_SECONDS; µs per call. A token row
 * gets fresh requests each round, so no call is a replay. */
static double round_us(dynemu_db *db, const row *w, long round)
{
    request *reqs = build_all(w, round);
    long calls = 0;
    double start = now_s(), end = start;
    while (end - start < ROUND_SECONDS && calls < REQUESTS) {
        for (int j = 0; j < 64 && calls < REQUESTS; j++, calls++) {
            char *resp = NULL;
            size_t len = 0;
            dynemu_call(db, w->operation, reqs[calls].body, (size_t)reqs[calls].len, &resp, &len);
            dynemu_free(resp);
        }
        end = now_s();
    }
    free_all(reqs);
    return (end - start) * 1e6 / (double)calls;
}

static bool warm_up(dynemu_db *db, const row *w)
{
    request *reqs = build_all(w, -1);
    bool ok = reqs != NULL;
    for (long r = 0; ok && r < REQUESTS; r++)
        ok = call(db, w->operation, reqs[r].body, (size_t)reqs[r].len, true) == 200;
    free_all(reqs);
    return ok;
}

int main(void)
{
    printf("in-process, %d items of ~200 bytes, %d actions a transaction; median (best) of %d rounds\n", ITEMS,
           ACTIONS, ROUNDS);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        dynemu_db *db = dynemu_open();
        if (!db || !setup(db) || !warm_up(db, &rows[i])) {
            printf("  %-52s failed\n", rows[i].name);
            dynemu_close(db);
            continue;
        }
        double us[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) us[r] = round_us(db, &rows[i], r);
        qsort(us, ROUNDS, sizeof us[0], cmp_double);
        printf("  %-52s %8.2f us  (%.2f)\n", rows[i].name, us[ROUNDS / 2], us[0]);
        dynemu_close(db);
    }
    return 0;
}
