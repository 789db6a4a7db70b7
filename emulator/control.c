/* emulator/control.c — the control API's routes (CONTRACT.md): one table of
 * method + path → handler, each handler short. State changes go through
 * emulator/database.c, which locks; association calls are locked here, as
 * assoc/ expects its caller to hold the database's lock. A failed request
 * answers 4xx {"__type", "message"} and changes nothing. */
#include "emulator/control.h"
#include "emulator/api.h"
#include "emulator/ops/streams.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct control_call {
    emu_database *d;
    const char *body;
    size_t len;
    const char *name;           /* the NAME of snapshots/NAME, the TABLE of streams/TABLE/records */
    const char *query;          /* after '?' in the path, "" if none */
    cJSON *request;             /* the body, for routes that take a JSON object */
    cJSON *answer;              /* a JSON answer ... */
    char *text;                 /* ... or a ready one (the dump) */
    size_t text_len;
    store_error err;
} control_call;

typedef bool (*control_handler)(control_call *c);

typedef struct control_route {
    const char *method;
    const char *pattern;        /* after the prefix; "*" is one path segment (a name) */
    bool takes_json;
    control_handler handler;
} control_route;

/* ---------------------------------------------------------------- reset, fixtures, snapshots */

static cJSON *counts_answer(emu_database *d)
{
    emu_counts n = emu_database_counts(d);
    cJSON *a = cJSON_CreateObject();
    cJSON_AddNumberToObject(a, "tables", (double)n.tables);
    cJSON_AddNumberToObject(a, "items", (double)n.items);
    return a;
}

static bool reset(control_call *c)
{
    if (!emu_database_reset(c->d, &c->err)) return false;
    c->answer = counts_answer(c->d);
    return true;
}

static bool load_fixtures(control_call *c)
{
    if (!emu_database_load_text(c->d, "body", c->body, c->len, &c->err)) return false;
    c->answer = counts_answer(c->d);
    return true;
}

static bool dump_fixtures(control_call *c)
{
    c->text = emu_database_dump(c->d, &c->text_len);
    return c->text || store_fail(&c->err, STORE_ERR_INTERNAL, "out of memory");
}

static bool snapshot(control_call *c)
{
    if (!emu_database_snapshot(c->d, c->name, &c->err)) return false;
    c->answer = cJSON_CreateObject();
    return true;
}

static bool restore(control_call *c)
{
    if (!emu_database_restore(c->d, c->name, &c->err)) return false;
    c->answer = cJSON_CreateObject();
    return true;
}

/* ---------------------------------------------------------------- the clock */

static cJSON *clock_answer(emu_database *d)
{
    char now[40];
    emu_format_rfc3339(emu_database_now_ms(d), now);
    cJSON *a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "now", now);
    return a;
}

static bool get_clock(control_call *c)
{
    c->answer = clock_answer(c->d);
    return true;
}

/* About ±31,000 years: far enough, and never overflows int64 milliseconds. */
#define MAX_ADVANCE_SECONDS 1e12

/* Seconds (possibly fractional) to whole milliseconds, rounded to nearest. */
static int64_t seconds_to_ms(double seconds)
{
    double ms = seconds * 1000.0;
    return (int64_t)(ms < 0 ? ms - 0.5 : ms + 0.5);
}

static bool set_clock(control_call *c)
{
    const cJSON *now = cJSON_GetObjectItemCaseSensitive(c->request, "now");
    const cJSON *advance = cJSON_GetObjectItemCaseSensitive(c->request, "advance_seconds");
    const cJSON *real = cJSON_GetObjectItemCaseSensitive(c->request, "real");
    int64_t ms = 0;
    if (cJSON_GetArraySize(c->request) != 1 || !(now || advance || real))
        return store_fail(&c->err, STORE_ERR_VALIDATION,
                          "Expected one of {\"now\": RFC3339}, {\"advance_seconds\": N} or {\"real\": true}");
    if (now && !(cJSON_IsString(now) && emu_parse_rfc3339(now->valuestring, &ms) && ms >= 0 && ms <= EMU_CLOCK_MAX_MS))
        return store_fail(&c->err, STORE_ERR_VALIDATION, "now: expected an RFC 3339 time between years 1970 and 9999, such as 2026-01-01T00:00:00Z");
    if (advance && !(cJSON_IsNumber(advance) && advance->valuedouble <= MAX_ADVANCE_SECONDS &&
                     advance->valuedouble >= -MAX_ADVANCE_SECONDS))
        return store_fail(&c->err, STORE_ERR_VALIDATION, "advance_seconds: expected a number of seconds");
    if (real && !cJSON_IsTrue(real)) return store_fail(&c->err, STORE_ERR_VALIDATION, "real: expected true");
    if (now) {
        emu_database_set_clock(c->d, ms);
    } else if (advance) {
        if (!emu_database_advance_clock(c->d, seconds_to_ms(advance->valuedouble)))
            return store_fail(&c->err, STORE_ERR_VALIDATION, "advance_seconds: the clock would leave years 1970 to 9999");
    } else {
        emu_database_real_clock(c->d);
    }
    c->answer = clock_answer(c->d);
    return true;
}

/* ---------------------------------------------------------------- associations */

static bool declare(control_call *c)
{
    store_db_write_lock(c->d->db);
    bool ok = assoc_declare_json(c->d->assoc, c->d->db, c->request, &c->err);
    store_db_unlock(c->d->db);
    if (ok) c->answer = cJSON_CreateObject();
    return ok;
}

static bool declarations(control_call *c)
{
    store_db_read_lock(c->d->db);
    c->answer = assoc_declarations_json(c->d->assoc);
    store_db_unlock(c->d->db);
    return c->answer || store_fail(&c->err, STORE_ERR_INTERNAL, "out of memory");
}

static bool association_call(control_call *c)
{
    if (assoc_call_reads_only(c->request)) store_db_read_lock(c->d->db);
    else store_db_write_lock(c->d->db);
    c->answer = assoc_call_json(c->d->assoc, c->d->db, c->request, &c->err);
    store_db_unlock(c->d->db);
    return c->answer != NULL;
}

static bool destroy(control_call *c)
{
    store_db_write_lock(c->d->db);
    c->answer = assoc_destroy_json(c->d->assoc, c->d->db, c->request, &c->err);
    store_db_unlock(c->d->db);
    return c->answer != NULL;
}

static bool check(control_call *c)
{
    store_db_read_lock(c->d->db);
    c->answer = assoc_check_json(c->d->assoc, c->d->db);
    store_db_unlock(c->d->db);
    return c->answer || store_fail(&c->err, STORE_ERR_INTERNAL, "out of memory");
}

/* ---------------------------------------------------------------- streams */

/* ?since=SEQ: only records after that sequence number. */
static bool since_of(control_call *c, uint64_t *since)
{
    *since = 0;
    if (!*c->query) return true;
    if (strncmp(c->query, "since=", 6) != 0 || !emu_sequence_parse(c->query + 6, since))
        return store_fail(&c->err, STORE_ERR_VALIDATION, "since must be a sequence number (21 digits), as records carry it");
    return true;
}

/* Every retained record of the table's streams, enabled or not, in commit order. */
static bool write_records(store_text *out, const store_db *db, const char *table, uint64_t since)
{
    int64_t now = store_db_now_ms(db);
    bool found = false, first = true;
    store_text_put_literal(out, "{\"records\":[");
    for (size_t i = 0; i < db->streams->n; i++) {
        const store_stream *st = db->streams->list[i];
        if (strcmp(st->table_name, table) != 0 || !store_stream_visible(st, now)) continue;
        found = true;
        for (size_t j = store_stream_first_retained(st, now); j < st->n; j++) {
            if (st->records[j]->seq <= since) continue;
            if (!first) store_text_put_literal(out, ",");
            first = false;
            emu_text_stream_record(out, st, st->records[j]);
        }
    }
    store_text_put_literal(out, "]}");
    return found;
}

static bool stream_records(control_call *c)
{
    uint64_t since;
    if (!since_of(c, &since)) return false;
    store_text out = {0};
    store_db_write_lock(c->d->db); /* settles TTL expiry and retention first, as GetRecords does */
    bool found = write_records(&out, c->d->db, c->name, since);
    store_db_unlock(c->d->db);
    c->text = store_text_finish(&out, &c->text_len);
    if (!found) {
        free(c->text);
        c->text = NULL;
        return store_fail(&c->err, STORE_ERR_NOT_FOUND, "Requested resource not found: Table: %s has no stream", c->name);
    }
    return c->text || store_fail(&c->err, STORE_ERR_INTERNAL, "out of memory");
}

static const control_route routes[] = {
    {"POST", "reset", false, reset},
    {"POST", "fixtures", false, load_fixtures},
    {"GET", "fixtures", false, dump_fixtures},
    {"POST", "snapshots/*", false, snapshot},
    {"POST", "snapshots/*/restore", false, restore},
    {"GET", "clock", false, get_clock},
    {"PUT", "clock", true, set_clock},
    {"POST", "associations", true, declare},
    {"GET", "associations", false, declarations},
    {"POST", "associations/call", true, association_call},
    {"POST", "destroy", true, destroy},
    {"GET", "associations/check", false, check},
    {"GET", "streams/*/records", false, stream_records},
};

/* ---------------------------------------------------------------- routing and answers */

/* Matches path against pattern segment by segment; a "*" segment is copied to name. */
static bool match(const char *pattern, const char *path, char *name, size_t name_size)
{
    while (*pattern && *path) {
        size_t p = strcspn(pattern, "/"), n = strcspn(path, "/");
        if (p == 1 && *pattern == '*') {
            if (n == 0 || n >= name_size) return false;
            memcpy(name, path, n);
            name[n] = 0;
        } else if (p != n || strncmp(pattern, path, n) != 0) {
            return false;
        }
        pattern += p + (pattern[p] == '/');
        path += n + (path[n] == '/');
    }
    return !*pattern && !*path;
}

/* The error's short name: "ValidationException", not "com.amazon.coral.validate#ValidationException". */
static const char *short_type(store_status s)
{
    const char *type = emu_error_type(s), *hash = strrchr(type, '#');
    return hash ? hash + 1 : type;
}

static int error_answer(int status, const char *type, const char *message, char **answer, size_t *len)
{
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "__type", type);
    cJSON_AddStringToObject(e, "message", message);
    *answer = cJSON_PrintUnformatted(e);
    *len = *answer ? strlen(*answer) : 0;
    cJSON_Delete(e);
    return status;
}

static int run(const control_route *r, control_call *c, char **answer, size_t *len)
{
    if (r->takes_json) {
        c->request = cJSON_ParseWithLength(c->body ? c->body : "", c->len);
        if (!cJSON_IsObject(c->request))
            store_fail(&c->err, STORE_ERR_VALIDATION, "Expected a JSON object as the request body");
    }
    bool ok = c->err.status == STORE_OK && r->handler(c);
    cJSON_Delete(c->request);
    if (!ok) {
        cJSON_Delete(c->answer);
        free(c->text);
        if (c->err.status == STORE_OK) store_fail(&c->err, STORE_ERR_INTERNAL, "internal error");
        return error_answer(emu_error_http_status(c->err.status), short_type(c->err.status), c->err.message, answer,
                            len);
    }
    if (c->text) {
        *answer = c->text;
        *len = c->text_len;
        return 200;
    }
    *answer = c->answer ? cJSON_PrintUnformatted(c->answer) : NULL;
    cJSON_Delete(c->answer);
    if (!*answer) return error_answer(500, short_type(STORE_ERR_INTERNAL), "out of memory", answer, len);
    *len = strlen(*answer);
    return 200;
}

bool emu_control_path(const char *path) { return strncmp(path, EMU_CONTROL_PREFIX, strlen(EMU_CONTROL_PREFIX)) == 0; }

int emu_control(emu_database *d, const char *method, const char *path, const char *body, size_t len,
                char **answer, size_t *answer_len)
{
    char rest[EMU_CONTROL_PATH_MAX];
    snprintf(rest, sizeof rest, "%s", emu_control_path(path) ? path + strlen(EMU_CONTROL_PREFIX) : "");
    char *query = strchr(rest, '?');
    if (query) *query++ = 0;
    char name[EMU_SNAPSHOT_NAME_MAX + 1];
    bool path_known = false;
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        if (!match(routes[i].pattern, rest, name, sizeof name)) continue;
        path_known = true;
        if (strcmp(routes[i].method, method) != 0) continue;
        const char *bad_text = emu_json_text_problem(body, len);
        if (bad_text) return error_answer(400, "SerializationException", bad_text, answer, answer_len);
        control_call c = {.d = d, .body = body, .len = len, .name = name, .query = query ? query : ""};
        return run(&routes[i], &c, answer, answer_len);
    }
    if (path_known)
        return error_answer(405, "MethodNotAllowed", "This control endpoint does not take that method", answer,
                            answer_len);
    return error_answer(404, "NotFound", "No such control endpoint", answer, answer_len);
}

/* ---------------------------------------------------------------- RFC 3339 */

/* Exactly n digits. */
static bool digits(const char **p, int n, int *out)
{
    *out = 0;
    for (int i = 0; i < n; i++, (*p)++) {
        if (**p < '0' || **p > '9') return false;
        *out = *out * 10 + (**p - '0');
    }
    return true;
}

static bool expect(const char **p, const char *any)
{
    if (!**p || !strchr(any, **p)) return false;
    (*p)++;
    return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return days[m - 1] + (m == 2 && leap);
}

/* ".123456" → 123 milliseconds (beyond three digits is dropped). */
static bool fraction(const char **p, int *ms)
{
    *ms = 0;
    if (**p != '.') return true;
    (*p)++;
    int n = 0;
    for (; **p >= '0' && **p <= '9'; (*p)++, n++)
        if (n < 3) *ms = *ms * 10 + (**p - '0');
    for (int i = n; i < 3; i++) *ms *= 10;
    return n > 0;
}

static bool zone(const char **p, int *offset_s)
{
    *offset_s = 0;
    if (expect(p, "Zz")) return true;
    int sign = **p == '-' ? -1 : 1, h, m;
    if (!expect(p, "+-") || !digits(p, 2, &h) || !expect(p, ":") || !digits(p, 2, &m) || h > 23 || m > 59)
        return false;
    *offset_s = sign * (h * 3600 + m * 60);
    return true;
}

bool emu_parse_rfc3339(const char *text, int64_t *epoch_ms)
{
    const char *p = text;
    int y, mo, d, h, mi, s, ms, offset_s;
    if (!digits(&p, 4, &y) || !expect(&p, "-") || !digits(&p, 2, &mo) || !expect(&p, "-") || !digits(&p, 2, &d) ||
        !expect(&p, "Tt ") || !digits(&p, 2, &h) || !expect(&p, ":") || !digits(&p, 2, &mi) || !expect(&p, ":") ||
        !digits(&p, 2, &s) || !fraction(&p, &ms) || !zone(&p, &offset_s) || *p)
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 59) return false;
    int64_t seconds = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - offset_s;
    *epoch_ms = seconds * 1000 + ms;
    return true;
}

void emu_format_rfc3339(int64_t epoch_ms, char out[40])
{
    int64_t seconds = epoch_ms / 1000, ms = epoch_ms % 1000;
    if (ms < 0) ms += 1000, seconds--;
    time_t t = (time_t)seconds;
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(out, 40, "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
        snprintf(out, 40, "1970-01-01T00:00:00Z");
        return;
    }
    size_t n = strlen(out);
    if (ms) snprintf(out + n, 40 - n, ".%03dZ", (int)ms);
    else snprintf(out + n, 40 - n, "Z");
}
