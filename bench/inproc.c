/* inproc.c — µs per call of DynamoDB operations through libdynemu's public
 * entry point, dynemu_call(), with no HTTP in the way.
 *
 * Every benchmark is one row of the `ops` table at the bottom: a name, the
 * operation passed to dynemu_call, a setup that builds the database it runs
 * on, a builder for its i-th request, an optional check of the response and
 * an optional target. To add an operation, write those functions and add a
 * row. Each row gets a fresh database, so rows cannot disturb each other.
 *
 * Requests are built before the clock starts (one per fixture item, in a
 * scattered order), so the figure is dynemu_call + dynemu_free and nothing
 * else. Each row runs a warm-up pass that checks every response, then five
 * timed rounds of about 0.1 s; the median and the best round are reported.
 *
 * The item layout matches bench/seed.py (see there): 10,000 items of about
 * 200 bytes, 100 partitions ("p%05d") of 100 sort keys ("s%05d").
 *
 * Build (bench/run.sh does this, taking LDLIBS from the Makefile):
 *   cc -O2 -std=c11 -D_GNU_SOURCE -I. bench/inproc.c build/libdynemu.a $LDLIBS
 * where LDLIBS is -lmicrohttpd -lcjson -lz -lgmp -lpthread -lm and whatever
 * the library has come to need since. */
#include "dynemu.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ITEMS 10000
#define PER_PARTITION 100
#define PAYLOAD_LEN 170
#define ROUNDS 5
#define ROUND_SECONDS 0.1
#define REQ_CAP 1024

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
     * (fixture load, reset); returns 0 on success. */
    int (*run)(dynemu_db *db, long i);
    double target_us;       /* 0: no target, the figure is for information */
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

static int build_item(char *buf, size_t cap, long i)
{
    char payload[PAYLOAD_LEN + 1];
    for (int j = 0; j < PAYLOAD_LEN; j++)
        payload[j] = ALPHABET[(i + j) % 64];
    payload[PAYLOAD_LEN] = 0;
    return snprintf(buf, cap,
                    "{\"TableName\":\"bench\",\"Item\":{\"pk\":{\"S\":\"p%05ld\"},"
                    "\"sk\":{\"S\":\"s%05ld\"},\"n\":{\"N\":\"%ld\"},\"payload\":{\"S\":\"%s\"}}}",
                    i / PER_PARTITION, i % PER_PARTITION, i, payload);
}

/* Table "bench" (pk S HASH, sk S RANGE) with ITEMS items. */
static const char *setup_items(dynemu_db *db)
{
    static const char create[] =
        "{\"TableName\":\"bench\","
        "\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"},"
        "{\"AttributeName\":\"sk\",\"AttributeType\":\"S\"}],"
        "\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},"
        "{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}],"
        "\"BillingMode\":\"PAY_PER_REQUEST\"}";
    const char *err = must(db, "CreateTable", create, (int)strlen(create));
    char buf[REQ_CAP];
    for (long i = 0; !err && i < ITEMS; i++)
        err = must(db, "PutItem", buf, build_item(buf, sizeof buf, i));
    return err;
}

/* ---- operations -------------------------------------------------------- */

static int build_get(char *buf, size_t cap, long i)
{
    return snprintf(buf, cap,
                    "{\"TableName\":\"bench\",\"Key\":{\"pk\":{\"S\":\"p%05ld\"},"
                    "\"sk\":{\"S\":\"s%05ld\"}}}",
                    i / PER_PARTITION, i % PER_PARTITION);
}

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

static const bench_op ops[] = {
    {"GetItem", "GetItem", setup_items, build_get, check_get, NULL, 3.0},
    {"PutItem (overwrite)", "PutItem", setup_items, build_item, NULL, NULL, 0},
    {"Query (Limit 25)", "Query", setup_items, build_query, check_query, NULL, 0},
};

/* ---- the runner -------------------------------------------------------- */

typedef struct { char *body; int len; } request;

static int run_one(const bench_op *op, dynemu_db *db, const request *r, long i,
                   const char **why)
{
    if (op->run) {
        if (op->run(db, i) == 0)
            return 0;
        if (why)
            *why = "run failed";
        return -1;
    }
    char *resp = NULL;
    size_t resp_len = 0;
    int status = dynemu_call(db, op->operation, r->body, (size_t)r->len, &resp, &resp_len);
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

/* The target applies to the median round; the best round shows how much of
 * the spread is other work on the machine. */
static void print_row(const bench_op *op, double median_us, double best_us, const char *error)
{
    if (error) {
        printf("  %-24s %10s %10s   %-10s %s\n", op->name, "-", "-", "", "ERROR");
        printf("      %s\n", error);
        return;
    }
    char target[32] = "-";
    const char *result = "-";
    if (op->target_us > 0) {
        snprintf(target, sizeof target, "< %g us", op->target_us);
        result = median_us < op->target_us ? "PASS" : "MISS";
    }
    printf("  %-24s %10.3f %10.3f   %-10s %s\n", op->name, median_us, best_us, target, result);
}

static void bench(const bench_op *op)
{
    dynemu_db *db = dynemu_open();
    if (!db) {
        print_row(op, 0, 0, "dynemu_open returned NULL");
        return;
    }
    const char *err = op->setup ? op->setup(db) : NULL;
    request *reqs = calloc(ITEMS, sizeof *reqs);
    char buf[REQ_CAP];
    /* 7919 is prime and so coprime with ITEMS: a permutation of all items. */
    for (long k = 0; !err && k < ITEMS; k++) {
        long i = (k * 7919) % ITEMS;
        reqs[k].len = op->build ? op->build(buf, sizeof buf, i) : 0;
        reqs[k].body = strndup(buf, (size_t)reqs[k].len);
    }

    /* Warm-up: every request once, every response checked. */
    double t0 = now_s();
    for (long k = 0; !err && k < ITEMS; k++)
        run_one(op, db, &reqs[k], k, &err);
    double per_call = (now_s() - t0) / ITEMS;

    double us[ROUNDS];
    long calls = (long)(ROUND_SECONDS / (per_call > 1e-9 ? per_call : 1e-9));
    if (calls < 1000)
        calls = 1000;
    for (int round = 0; !err && round < ROUNDS; round++) {
        double start = now_s();
        for (long c = 0; c < calls; c++)
            run_one(op, db, &reqs[c % ITEMS], c % ITEMS, NULL);
        us[round] = (now_s() - start) / (double)calls * 1e6;
    }
    if (!err)
        qsort(us, ROUNDS, sizeof us[0], cmp_double);
    print_row(op, err ? 0 : us[ROUNDS / 2], err ? 0 : us[0], err);

    for (long k = 0; k < ITEMS; k++)
        free(reqs[k].body);
    free(reqs);
    dynemu_close(db);
}

int main(void)
{
    printf("  %-24s %10s %10s   %-10s %s\n", "operation", "us/call", "best", "target", "result");
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        bench(&ops[i]);
        fflush(stdout);
    }
    return 0;
}
