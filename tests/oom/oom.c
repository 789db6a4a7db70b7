/* tests/oom/oom.c — out of memory at every allocation, as SQLite tests it.
 *
 *   oom CORPUS_DIR...   (tests/fuzz/corpus/{call,assoc,fixtures,partiql})
 *
 * Each kept fuzz input is one request (a dynemu_call, an association
 * call, a fixture load; the first byte picks the operation as in the fuzz
 * targets). It runs once cleanly, then again with allocation N failing, for
 * N = 1, 2, 3, ... until it needs fewer than N. A run with a failed
 * allocation must answer 500 InternalServerError or the request's own
 * error and leave the database exactly as before it (checked by dump), or
 * answer as the clean run did and leave what the clean run left. Reset,
 * snapshot and restore are failed the same way. Leaks are LeakSanitizer's
 * (this runs under ASan in make test).
 *
 * What fails: every malloc, calloc, realloc, strdup and strndup of dynemu's
 * own code (the link wraps them: -Wl,--wrap=...) and every cJSON
 * allocation (its hooks). Not GMP's: GMP cannot report a failure (it
 * aborts), and its temporaries are a few words for 38-digit numbers. */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dynemu.h"
#include "tests/fuzz/requests.h"

/* ---------------------------------------------------- the failing allocator */

static long countdown;     /* the allocation that fails: 1 = the next; 0 = none */
static long failures;      /* allocations failed since armed */

/* One allocation fails, the later ones succeed again (SQLite's "transient"
 * mode): the code after a failure must cope, including its own cleanup. */
static bool fail_now(void)
{
    if (countdown == 0 || --countdown != 0) return false;
    failures++;
    return true;
}

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);

void *__wrap_malloc(size_t n) { return fail_now() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t size) { return fail_now() ? NULL : __real_calloc(n, size); }
void *__wrap_realloc(void *p, size_t n) { return fail_now() ? NULL : __real_realloc(p, n); }
char *__wrap_strdup(const char *s) { return fail_now() ? NULL : __real_strdup(s); }
char *__wrap_strndup(const char *s, size_t n) { return fail_now() ? NULL : __real_strndup(s, n); }

static void arm(long n) { countdown = n, failures = 0; }
static void disarm(void) { countdown = 0; }

/* ---------------------------------------------------------------- requests */


typedef enum kind { CALL, ASSOC, FIXTURE } kind;

typedef struct request {
    kind kind;
    const char *name;      /* operation or route */
    char *body;
    size_t len;
    char *made;            /* a body made from the input (PartiQL's), freed after */
} request;

typedef struct outcome {
    int status;
    char *type;            /* the answer's __type, or NULL */
    char *answer;          /* the whole answer, or NULL */
} outcome;

static char *type_of(const char *answer)
{
    cJSON *doc = cJSON_Parse(answer);
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(doc, "__type");
    char *type = cJSON_IsString(t) ? __real_strdup(t->valuestring) : NULL;
    cJSON_Delete(doc);
    return type;
}

static outcome run(dynemu_db *db, const request *r)
{
    char *answer = NULL, *error = NULL;
    size_t len;
    outcome o = {200, NULL, NULL};
    if (r->kind == CALL) o.status = dynemu_call(db, r->name, r->body, r->len, &answer, &len);
    else if (r->kind == ASSOC) o.status = dynemu_control(db, "POST", r->name, r->body, r->len, &answer, &len);
    else o.status = dynemu_load(db, r->body, r->len, &error) == 0 ? 200 : 400;
    long failed = failures;
    disarm();
    failures = failed;
    if (answer) o.type = type_of(answer), o.answer = __real_strdup(answer);
    dynemu_free(answer);
    dynemu_free(error);
    return o;
}

static char *dump(dynemu_db *db)
{
    size_t len;
    char *d = dynemu_dump(db, &len);
    if (!d) { fprintf(stderr, "oom: dump failed with no allocation failing\n"); exit(2); }
    return d;
}

/* ------------------------------------------------------------------- check */

/* Each run in a child process (--separate): one that aborts is counted, not fatal. */
static bool separate;
/* A request that still allocates past this many is not followed further. */
#define OOM_MAX_ALLOCATIONS 5000

/* What one run with allocation n failing came to, as the child saw it. */
typedef enum verdict {
    RAN_CLEAN,          /* no allocation failed: the request needs fewer than n */
    RECOVERED,          /* failed one, yet answered and left what the clean run did */
    DEFERRED,           /* a batch answered 200 and gave requests back unprocessed */
    REFUSED_CLEANLY,    /* answered an error and changed nothing */
    WRONG_500,          /* a 500 that is not InternalServerError */
    SUCCESS_DIFFERS,    /* answered 200, but the state is not the clean run's */
    INCOMPLETE,         /* answered 200 and left the clean run's state, but with another answer */
    REFUSED_CHANGED,    /* answered an error, yet the database changed */
    ANSWER_CHANGED,     /* no allocation failed, yet the answer differs from the clean run's */
    N_VERDICTS,
    DIED = N_VERDICTS,  /* the child ended by a signal (abort, a crash) */
} verdict;

typedef struct tally {
    long requests, runs, broken;
    long by_verdict[DIED + 1];
} tally;

/* The first OOM_REPORTS problems are shown (OOM_REPORTS in the environment, default 20). */
static void report(tally *t, const char *file, const request *r, long n, const char *why)
{
    long shown = getenv("OOM_REPORTS") ? atol(getenv("OOM_REPORTS")) : 20;
    if (t->broken++ < shown) fprintf(stderr, "oom: %s (%s), allocation %ld failing: %s\n", file, r->name, n, why);
}

/* A batch answer with requests in UnprocessedItems (BatchWriteItem) or
 * UnprocessedKeys (BatchGetItem): DynamoDB's own way to refuse part of a
 * batch, which the client retries. */
static bool gave_back(const char *answer)
{
    cJSON *doc = answer ? cJSON_Parse(answer) : NULL;
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(doc, "UnprocessedItems");
    const cJSON *keys = cJSON_GetObjectItemCaseSensitive(doc, "UnprocessedKeys");
    bool some = (cJSON_IsObject(items) && items->child) || (cJSON_IsObject(keys) && keys->child);
    cJSON_Delete(doc);
    return some;
}

static bool same_type(const char *a, const char *b) { return a && b ? strcmp(a, b) == 0 : a == b; }

static const char *const verdict_names[] = {
    "ran clean", "recovered", "gave requests back unprocessed", "refused cleanly", "a 500 that is not InternalServerError",
    "answered 200 but left another state than the clean run",
    "answered 200 and left the clean run's state, but another answer", "refused, yet the database changed",
    "no allocation failed, yet the answer changed", "died (abort or crash)",
};

static verdict judge(dynemu_db *db, const request *r, long n, const outcome *clean, const char *clean_after,
                     const char *seed)
{
    arm(n);
    outcome o = run(db, r);
    bool failed = failures > 0;
    char *after = dump(db);
    if (getenv("OOM_SHOW"))
        fprintf(stderr, "status %d type %s\n--- clean answer\n%s\n--- answer\n%s\n--- clean\n%s\n--- after\n%s\n",
                o.status, o.type ? o.type : "-", clean->answer, o.answer, clean_after, after);
    verdict v;
    if (!failed) v = o.status == clean->status ? RAN_CLEAN : ANSWER_CHANGED;
    else if (o.status == clean->status && same_type(o.type, clean->type) && strcmp(after, clean_after) == 0)
        v = o.status != 200 || same_type(o.answer, clean->answer) ? RECOVERED
          : gave_back(o.answer)                                  ? DEFERRED
                                                                  : INCOMPLETE;
    else if (o.status == 500 && r->kind == CALL &&
             !same_type(o.type, "com.amazonaws.dynamodb.v20120810#InternalServerError"))
        v = WRONG_500;
    else if (o.status == 200 && gave_back(o.answer)) v = DEFERRED;
    else if (o.status == 200) v = SUCCESS_DIFFERS;
    else v = strcmp(after, seed) == 0 ? REFUSED_CLEANLY : REFUSED_CHANGED;
    free(o.type);
    free(o.answer);
    free(after);
    return v;
}

#define VERDICT_BASE 100

/* The run in a child process, so a run that aborts is counted, not fatal. */
static verdict judge_apart(dynemu_db *db, const request *r, long n, const outcome *clean, const char *clean_after,
                           const char *seed)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) { perror("oom: fork"); exit(2); }
    /* The verdict as exit status VERDICT_BASE + v: a sanitizer's own exit (1) is not a verdict. */
    if (pid == 0) _exit(VERDICT_BASE + (int)judge(db, r, n, clean, clean_after, seed));
    int status;
    if (waitpid(pid, &status, 0) != pid) { perror("oom: waitpid"); exit(2); }
    int code = WIFEXITED(status) ? WEXITSTATUS(status) - VERDICT_BASE : -1;
    return code >= 0 && code < N_VERDICTS ? (verdict)code : DIED;
}

static void check_request(dynemu_db *db, const request *r, const char *file, const char *seed, tally *t)
{
    outcome clean = run(db, r);
    char *clean_after = dump(db);
    dynemu_reset(db);
    t->requests++;
    long only = getenv("OOM_SHOW") ? atol(getenv("OOM_SHOW")) : 0;
    for (long n = only ? only : 1; n <= (only ? only : OOM_MAX_ALLOCATIONS); n++) {
        verdict v = separate ? judge_apart(db, r, n, &clean, clean_after, seed)
                             : judge(db, r, n, &clean, clean_after, seed);
        dynemu_reset(db);
        t->runs++;
        t->by_verdict[v]++;
        if (v == RAN_CLEAN) break;
        if (v != RECOVERED && v != REFUSED_CLEANLY && v != DEFERRED) report(t, file, r, n, verdict_names[v]);
    }
    free(clean.type);
    free(clean.answer);
    free(clean_after);
}

/* Reset, snapshot and restore, each with every allocation failing in turn. */
static void check_state_calls(dynemu_db *db, const char *seed, tally *t)
{
    for (int which = 0; which < 3; which++) {
        for (long n = 1;; n++) {
            char *put;
            size_t len;
            /* something to reset or restore away from */
            static const char drop[] = "{\"TableName\":\"orders\"}";
            dynemu_call(db, "DeleteTable", drop, strlen(drop), &put, &len);
            dynemu_free(put);
            if (which == 2 && dynemu_snapshot(db, "oom") != 0) exit(2);
            char *before = dump(db);
            arm(n);
            int rc = which == 0 ? dynemu_reset(db) : which == 1 ? dynemu_snapshot(db, "oom") : dynemu_restore(db, "oom");
            bool failed = failures > 0;
            disarm();
            char *after = dump(db);
            t->runs++;
            const char *expect = rc == 0 && which != 1 ? seed : before;
            if (which == 2 && rc == 0) expect = before; /* the snapshot was taken after the change */
            const char *call = which == 0 ? "reset" : which == 1 ? "snapshot" : "restore";
            if (strcmp(after, expect) != 0)
                report(t, call, &(request){FIXTURE, call, NULL, 0, NULL}, n,
                       rc == 0 ? "succeeded but left another state" : "failed and changed the state");
            free(before);
            free(after);
            dynemu_reset(db);
            if (!failed) break;
        }
    }
}

/* ------------------------------------------------------------------ inputs */

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = __real_malloc((size_t)n + 1);
    *len = fread(data, 1, (size_t)n, f);
    data[*len] = 0;
    fclose(f);
    return data;
}

static bool request_of(const char *dir, char *data, size_t len, request *r)
{
    const char *base = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
    if (strcmp(base, "fixtures") == 0) { *r = (request){FIXTURE, "fixture", data, len, NULL}; return true; }
    if (len == 0) return false;
    unsigned char first = (unsigned char)data[0];
    if (strcmp(base, "assoc") == 0) {
        *r = (request){ASSOC, fuzz_assoc_routes[first % FUZZ_N_ASSOC_ROUTES], data + 1, len - 1, NULL};
    } else if (strcmp(base, "partiql") == 0) {
        if (first % 2 == 0 || memchr(data + 1, 0, len - 1)) return false; /* the parser alone; or no text */
        char *body = fuzz_partiql_request(data + 1);
        *r = (request){CALL, "ExecuteStatement", body, strlen(body), body};
    } else {
        *r = (request){CALL, fuzz_operations[first % FUZZ_N_OPERATIONS], data + 1, len - 1, NULL};
    }
    return true;
}

static int by_name(const struct dirent **a, const struct dirent **b) { return strcmp((*a)->d_name, (*b)->d_name); }

static void check_dir(dynemu_db *db, const char *dir, const char *seed, tally *t)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, by_name);
    if (n < 0) { fprintf(stderr, "oom: no corpus %s\n", dir); t->broken++; return; }
    for (int i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
        size_t len;
        char *data = names[i]->d_name[0] == '.' ? NULL : read_file(path, &len);
        request r;
        if (data && request_of(dir, data, len, &r)) {
            check_request(db, &r, path, seed, t);
            free(r.made);
        }
        free(data);
        free(names[i]);
    }
    free(names);
}

static void *counted_malloc(size_t n) { return __wrap_malloc(n); }

int main(int argc, char **argv)
{
    cJSON_Hooks hooks = {counted_malloc, free};
    cJSON_InitHooks(&hooks);
    const char *paths[] = {OOM_SEED};
    char *error = NULL;
    dynemu_db *db = dynemu_open_fixtures(paths, 1, &error);
    if (!db) { fprintf(stderr, "oom: the seed does not load: %s\n", error); return 2; }
    char *seed = dump(db);
    tally t = {0};
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "--separate") == 0) separate = true, first = 2;
    if (!separate) check_state_calls(db, seed, &t);
    for (int i = first; i < argc; i++) check_dir(db, argv[i], seed, &t);
    fprintf(stderr, "oom: %ld requests, %ld runs with one allocation failing\n", t.requests, t.runs);
    for (int v = 0; v <= DIED; v++)
        if (t.by_verdict[v]) fprintf(stderr, "oom:   %6ld %s\n", t.by_verdict[v], verdict_names[v]);
    free(seed);
    dynemu_close(db);
    printf("%ld passed, %ld failed\n", t.runs - t.broken, t.broken);
    return t.broken != 0;
}
