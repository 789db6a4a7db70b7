/* state_bench.c — the figures of deterministic test state, in process,
 * through the public API (dynemu.h):
 *
 *   - fixture load rate: 100,000 items of ~200 bytes, as one fixture document
 *     in memory (dynemu_load) and as DynamoDB export lines read from a file
 *     (dynemu_open_fixtures); items per second, best and median of 3;
 *   - reset of a 10,000-item database seeded from a fixture file, after a few
 *     writes each time (the usual test case): µs per dynemu_reset, median,
 *     p99 and best of 1,000 (target < 1 ms);
 *   - snapshot and restore of the same database, and a dump of 100,000 items.
 *
 * Items follow bench/seed.py: partitions "p%05d" of 100 sort keys "s%05d",
 * a ~170-byte payload.
 *
 * Build and run from the top of the tree, after `make`, with LDLIBS the
 * Makefile's LDLIBS:
 *   cc -O2 -std=c11 -D_GNU_SOURCE -I. bench/state_bench.c build/libdynemu.a $LDLIBS -o build/state_bench
 *   build/state_bench
 * Exit status 1 if a target is missed or anything fails.
 *
 * `make bench` reports the two headline figures (document load rate, reset
 * after 10 writes) as rows of bench/inproc.c; this program adds the others. */
#include "dynemu.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LOAD_ITEMS 100000
#define RESET_ITEMS 10000
#define PER_PARTITION 100
#define PAYLOAD_LEN 170
#define LOAD_ROUNDS 3
#define RESET_ROUNDS 1000
#define WRITES_BEFORE_RESET 10
#define RESET_TARGET_US 1000.0

static const char TABLE[] =
    "{\"TableName\": \"bench\", \"KeySchema\": [{\"AttributeName\": \"pk\", \"KeyType\": \"HASH\"},"
    " {\"AttributeName\": \"sk\", \"KeyType\": \"RANGE\"}], \"AttributeDefinitions\": [{\"AttributeName\": \"pk\","
    " \"AttributeType\": \"S\"}, {\"AttributeName\": \"sk\", \"AttributeType\": \"S\"}], \"BillingMode\": \"PAY_PER_REQUEST\"}";

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* ---- fixture text ---------------------------------------------------------- */

typedef struct text {
    char *data;
    size_t len, cap;
} text;

static void add(text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->data = realloc(t->data, t->cap);
        if (!t->data) { perror("realloc"); exit(1); }
    }
    memcpy(t->data + t->len, s, n);
    t->len += n;
    t->data[t->len] = 0;
}

static void item_json(long i, char *out, size_t cap)
{
    char payload[PAYLOAD_LEN + 1];
    for (int k = 0; k < PAYLOAD_LEN; k++) payload[k] = (char)('a' + (i * 7 + k) % 26);
    payload[PAYLOAD_LEN] = 0;
    snprintf(out, cap, "{\"pk\": {\"S\": \"p%05ld\"}, \"sk\": {\"S\": \"s%05ld\"}, \"n\": {\"N\": \"%ld\"}, \"payload\": {\"S\": \"%s\"}}",
             i / PER_PARTITION, i % PER_PARTITION, i, payload);
}

/* A fixture document: the table and n items. */
static text document(long n)
{
    text t = {0};
    char item[512];
    add(&t, "{\"tables\": [", 12);
    add(&t, TABLE, strlen(TABLE));
    add(&t, "], \"items\": {\"bench\": [\n", 24);
    for (long i = 0; i < n; i++) {
        item_json(i, item, sizeof item);
        if (i) add(&t, ",\n", 2);
        add(&t, item, strlen(item));
    }
    add(&t, "]}}\n", 4);
    return t;
}

/* DynamoDB export lines: {"Item": ...} per line. */
static text export_lines(long n)
{
    text t = {0};
    char item[512], line[600];
    for (long i = 0; i < n; i++) {
        item_json(i, item, sizeof item);
        int len = snprintf(line, sizeof line, "{\"Item\": %s}\n", item);
        add(&t, line, (size_t)len);
    }
    return t;
}

static char folder[64];

static const char *write_file(const char *name, const text *t)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", folder, name);
    FILE *f = fopen(path, "w");
    if (!f || fwrite(t->data, 1, t->len, f) != t->len) { perror(path); exit(1); }
    fclose(f);
    return path;
}

/* ---- figures --------------------------------------------------------------- */

static int failures;

static void row(const char *name, const char *value, const char *target, const char *result)
{
    printf("  %-40s %-34s %-10s %s\n", name, value, target, result);
}

static void rate_row(const char *name, const double *seconds, long items)
{
    char value[128];
    snprintf(value, sizeof value, "%.0f items/s (best %.0f)", items / seconds[LOAD_ROUNDS / 2], items / seconds[0]);
    row(name, value, "", "info");
}

static void load_document(void)
{
    text doc = document(LOAD_ITEMS);
    double seconds[LOAD_ROUNDS];
    for (int r = 0; r < LOAD_ROUNDS; r++) {
        dynemu_db *db = dynemu_open();
        char *error = NULL;
        double start = now_s();
        int status = dynemu_load(db, doc.data, doc.len, &error);
        seconds[r] = now_s() - start;
        if (status != 0) { printf("  load failed: %s\n", error); failures++; }
        dynemu_free(error);
        dynemu_close(db);
    }
    qsort(seconds, LOAD_ROUNDS, sizeof seconds[0], by_value);
    rate_row("fixture load, 100,000 items (document)", seconds, LOAD_ITEMS);
    free(doc.data);
}

static void load_export_file(void)
{
    text table = {0};
    add(&table, TABLE, strlen(TABLE));
    text lines = export_lines(LOAD_ITEMS);
    const char *paths[2];
    paths[0] = strdup(write_file("0-table.json", &table));
    paths[1] = strdup(write_file("bench.jsonl", &lines));
    double seconds[LOAD_ROUNDS];
    for (int r = 0; r < LOAD_ROUNDS; r++) {
        char *error = NULL;
        double start = now_s();
        dynemu_db *db = dynemu_open_fixtures(paths, 2, &error);
        seconds[r] = now_s() - start;
        if (!db) { printf("  load failed: %s\n", error); failures++; }
        dynemu_free(error);
        dynemu_close(db);
    }
    qsort(seconds, LOAD_ROUNDS, sizeof seconds[0], by_value);
    rate_row("fixture load, 100,000 items (export file)", seconds, LOAD_ITEMS);
    unlink(paths[0]);
    unlink(paths[1]);
    free((void *)paths[0]);
    free((void *)paths[1]);
    free(table.data);
    free(lines.data);
}

static void write_some(dynemu_db *db, int round)
{
    char request[512], item[400];
    for (int w = 0; w < WRITES_BEFORE_RESET; w++) {
        item_json((long)(round * WRITES_BEFORE_RESET + w) * 37 % RESET_ITEMS, item, sizeof item);
        snprintf(request, sizeof request, "{\"TableName\": \"bench\", \"Item\": %s}", item);
        char *resp;
        size_t len;
        if (dynemu_call(db, "PutItem", request, strlen(request), &resp, &len) != 200) failures++;
        dynemu_free(resp);
    }
}

static void timing_row(const char *name, double *us, int n, double target)
{
    qsort(us, (size_t)n, sizeof us[0], by_value);
    char value[128], target_text[32] = "";
    snprintf(value, sizeof value, "%.1f us (p99 %.1f, best %.1f)", us[n / 2], us[n * 99 / 100], us[0]);
    if (target > 0) snprintf(target_text, sizeof target_text, "< %g us", target);
    bool pass = target <= 0 || us[n / 2] < target;
    if (!pass) failures++;
    row(name, value, target_text, target > 0 ? (pass ? "PASS" : "MISS") : "info");
}

static void reset_and_snapshots(void)
{
    text doc = document(RESET_ITEMS);
    const char *path = write_file("seed.json", &doc);
    char *error = NULL;
    dynemu_db *db = dynemu_open_fixtures(&path, 1, &error);
    if (!db) { printf("  seed failed: %s\n", error); failures++; dynemu_free(error); free(doc.data); return; }
    static double reset_us[RESET_ROUNDS], idle_us[RESET_ROUNDS], snap_us[RESET_ROUNDS], restore_us[RESET_ROUNDS];
    for (int r = 0; r < RESET_ROUNDS; r++) {
        write_some(db, r);
        double start = now_s();
        if (dynemu_reset(db) != 0) failures++;
        reset_us[r] = (now_s() - start) * 1e6;
        start = now_s();
        dynemu_reset(db);
        idle_us[r] = (now_s() - start) * 1e6;
        start = now_s();
        if (dynemu_snapshot(db, "bench") != 0) failures++;
        snap_us[r] = (now_s() - start) * 1e6;
        write_some(db, r);
        start = now_s();
        if (dynemu_restore(db, "bench") != 0) failures++;
        restore_us[r] = (now_s() - start) * 1e6;
    }
    timing_row("reset, 10,000 items, after 10 writes", reset_us, RESET_ROUNDS, RESET_TARGET_US);
    timing_row("reset, 10,000 items, nothing written", idle_us, RESET_ROUNDS, RESET_TARGET_US);
    timing_row("snapshot, 10,000 items", snap_us, RESET_ROUNDS, 0);
    timing_row("restore, 10,000 items, after 10 writes", restore_us, RESET_ROUNDS, 0);
    dynemu_close(db);
    unlink(path);
    free(doc.data);
}

static void dump(void)
{
    text doc = document(LOAD_ITEMS);
    dynemu_db *db = dynemu_open();
    if (dynemu_load(db, doc.data, doc.len, NULL) != 0) failures++;
    size_t len;
    double start = now_s();
    char *out = dynemu_dump(db, &len);
    double seconds = now_s() - start;
    char value[128];
    snprintf(value, sizeof value, "%.0f items/s (%.1f MB)", LOAD_ITEMS / seconds, len / 1e6);
    row("dump, 100,000 items", value, "", out ? "info" : "ERROR");
    dynemu_free(out);
    dynemu_close(db);
    free(doc.data);
}

int main(void)
{
    snprintf(folder, sizeof folder, "/tmp/dynemu-state-bench-XXXXXX");
    if (!mkdtemp(folder)) { perror("mkdtemp"); return 1; }
    printf("State: fixtures, reset, snapshots (in process, bench/state_bench.c)\n");
    row("figure", "median", "target", "result");
    load_document();
    load_export_file();
    reset_and_snapshots();
    dump();
    rmdir(folder);
    return failures ? 1 : 0;
}
