/* emulator/sigv4.c — AWS Signature Version 4, checked in the order DynamoDB
 * checks it: where the signature is (header or query, not both), that its
 * parts are there, the date's form and skew, Host among the signed headers,
 * the algorithm, the credential scope, the access key id, then the signature's
 * value. Every message is AWS's own. */
#include "emulator/sigv4.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define ALGORITHM "AWS4-HMAC-SHA256"
#define SERVICE "dynamodb"
#define TERMINATOR "aws4_request"
/* Longest credential, signed-headers list or date looked at. */
#define FIELD_MAX 512

struct emu_credentials {
    cJSON *secrets; /* {"AKID": "secret", ...} */
};

emu_credentials *emu_credentials_load(const char *path, char *why, size_t why_size)
{
    FILE *f = fopen(path, "rb");
    if (!f) return snprintf(why, why_size, "cannot read %s", path), NULL;
    char buf[64 * 1024];
    size_t n = fread(buf, 1, sizeof buf, f);
    bool too_long = n == sizeof buf;
    fclose(f);
    if (too_long) return snprintf(why, why_size, "%s is over %zu bytes", path, sizeof buf - 1), NULL;
    cJSON *secrets = cJSON_ParseWithLength(buf, n);
    bool ok = cJSON_IsObject(secrets) && secrets->child;
    for (const cJSON *c = secrets ? secrets->child : NULL; ok && c; c = c->next)
        ok = cJSON_IsString(c) && *c->string && *c->valuestring;
    emu_credentials *creds = ok ? malloc(sizeof *creds) : NULL;
    if (!creds) {
        cJSON_Delete(secrets);
        snprintf(why, why_size, "%s: expected a JSON object of access key ids to secret access keys, "
                                "such as {\"AKIDEXAMPLE\": \"secret\"}", path);
        return NULL;
    }
    creds->secrets = secrets;
    return creds;
}

void emu_credentials_free(emu_credentials *c)
{
    if (!c) return;
    cJSON_Delete(c->secrets);
    free(c);
}

const char *emu_http_header(const emu_signed_request *req, const char *name)
{
    for (size_t i = 0; i < req->n_headers; i++)
        if (strcasecmp(req->headers[i].name, name) == 0) return req->headers[i].value;
    return NULL;
}

static const emu_http_pair *query_pair(const emu_signed_request *req, const char *name)
{
    for (size_t i = 0; i < req->n_query; i++)
        if (strcmp(req->query[i].name, name) == 0) return &req->query[i];
    return NULL;
}

/* A query parameter's value; NULL when absent or empty (AWS counts both as missing). */
static const char *query_value(const emu_signed_request *req, const char *name)
{
    const emu_http_pair *p = query_pair(req, name);
    return p && p->value && *p->value ? p->value : NULL;
}

/* ------------------------------------------------------------- the parts */

/* What a signature names, from the header's "Key=value" list or the query. */
typedef struct signature_parts {
    bool in_query;
    char algorithm[FIELD_MAX], credential[FIELD_MAX], signed_headers[FIELD_MAX], signature[FIELD_MAX];
    char date[FIELD_MAX];     /* X-Amz-Date (or Date) as sent */
    const char *payload_hash; /* X-Amz-Content-Sha256, if sent */
} signature_parts;

/* Every field empty, without zeroing the 2.5 KB the fields take. */
static void parts_clear(signature_parts *p)
{
    p->in_query = false;
    p->algorithm[0] = p->credential[0] = p->signed_headers[0] = p->signature[0] = p->date[0] = 0;
    p->payload_hash = NULL;
}

static void copy_field(char *dst, const char *src, size_t n)
{
    if (n >= FIELD_MAX) n = FIELD_MAX - 1;
    memcpy(dst, src, n);
    dst[n] = 0;
}

/* "AWS4-HMAC-SHA256 Credential=a/b, SignedHeaders=h, Signature=s": the
 * first word is the algorithm, then Key=value pairs split at commas or spaces. */
static void parse_header_parts(const char *auth, signature_parts *p)
{
    while (isspace((unsigned char)*auth)) auth++;
    size_t n = strcspn(auth, " ,");
    copy_field(p->algorithm, auth, n);
    for (const char *s = auth + n; *s;) {
        s += strspn(s, " ,");
        size_t len = strcspn(s, " ,");
        const char *eq = memchr(s, '=', len);
        if (eq) {
            size_t key = (size_t)(eq - s), value = len - key - 1;
            if (key == 10 && memcmp(s, "Credential", 10) == 0) copy_field(p->credential, eq + 1, value);
            else if (key == 13 && memcmp(s, "SignedHeaders", 13) == 0) copy_field(p->signed_headers, eq + 1, value);
            else if (key == 9 && memcmp(s, "Signature", 9) == 0) copy_field(p->signature, eq + 1, value);
        }
        s += len;
    }
}

static void append(char *out, size_t size, const char *fmt, const char *arg)
{
    size_t used = strlen(out);
    if (used < size) snprintf(out + used, size - used, fmt, arg);
}

/* IncompleteSignatureException when a part is missing: every missing one named. */
static bool header_parts_present(const emu_signed_request *req, const char *auth, signature_parts *p, store_error *err)
{
    parse_header_parts(auth, p);
    const char *date = emu_http_header(req, "X-Amz-Date");
    if (!date) date = emu_http_header(req, "Date");
    if (date) copy_field(p->date, date, strlen(date));
    char msg[STORE_ERROR_MESSAGE_MAX];
    msg[0] = 0; /* not = "": that zeroes all 4 KB on every request */
    if (!*p->credential) append(msg, sizeof msg, "Authorization header requires '%s' parameter. ", "Credential");
    if (!*p->signature) append(msg, sizeof msg, "Authorization header requires '%s' parameter. ", "Signature");
    if (!*p->signed_headers) append(msg, sizeof msg, "Authorization header requires '%s' parameter. ", "SignedHeaders");
    if (!date)
        append(msg, sizeof msg, "%s", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
    if (!*msg) return true;
    return store_fail(err, STORE_ERR_INCOMPLETE_SIGNATURE, "%sAuthorization=%s", msg, auth);
}

static bool query_parts_present(const emu_signed_request *req, signature_parts *p, store_error *err)
{
    static const char *const names[] = {"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature",
                                        "X-Amz-SignedHeaders", "X-Amz-Date"};
    char *fields[] = {p->algorithm, p->credential, p->signature, p->signed_headers, p->date};
    char msg[STORE_ERROR_MESSAGE_MAX];
    msg[0] = 0; /* not = "": that zeroes all 4 KB on every request */
    p->in_query = true;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *v = query_value(req, names[i]);
        if (v) copy_field(fields[i], v, strlen(v));
        else append(msg, sizeof msg, "AWS query-string parameters must include '%s'. ", names[i]);
    }
    if (!*msg) return true;
    return store_fail(err, STORE_ERR_INCOMPLETE_SIGNATURE, "%sRe-examine the query-string parameters.", msg);
}

/* ------------------------------------------------------------- the date */

static void format_date(int64_t epoch_ms, char out[17])
{
    time_t t = (time_t)(epoch_ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm);
}

/* The C library's reading: ISO-8601 basic form, else HTTP's own date form,
 * normalised as timegm normalises (a 30 February is 2 March). */
bool emu_sigv4_read_date_by_libc(const char *text, int64_t *epoch_ms, char iso[17])
{
    struct tm tm = {0};
    const char *end = strptime(text, "%Y%m%dT%H%M%SZ", &tm);
    if (!end || *end || strlen(text) != 16) {
        memset(&tm, 0, sizeof tm); /* the Date header may be HTTP's own form */
        end = strptime(text, "%a, %d %b %Y %H:%M:%S GMT", &tm);
        if (!end || *end) return false;
    }
    *epoch_ms = (int64_t)timegm(&tm) * 1000;
    format_date(*epoch_ms, iso);
    return true;
}

/* Two decimal digits at p, or -1. */
static int two_digits(const char *p)
{
    if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1])) return -1;
    return (p[0] - '0') * 10 + (p[1] - '0');
}

static bool leap_year(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap_year(y) ? 29 : days[m - 1];
}

/* Days from 1970-01-01 to y-m-d (y >= 1970), by whole 400-year eras of 146,097 days. */
static int64_t days_from_epoch(int y, int m, int d)
{
    y -= m <= 2; /* years counted from March, so a leap day ends its year */
    int64_t era = y / 400, year_of_era = y - era * 400;
    int64_t day_of_year = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468; /* 719,468: 0000-03-01 to 1970-01-01 */
}

/* The earliest year read without the C library. */
#define FAST_DATE_FIRST_YEAR 1970

/* What every SDK sends: X-Amz-Date as "20260101T000000Z", a real moment.
 * Read here without the C library, whose strptime and strftime cost more
 * than the rest of the check; anything else (HTTP's date form, a 30
 * February, a leap second) is left to emu_sigv4_read_date_by_libc, which
 * the unit tests hold this reading to. The ISO form is then the text itself. */
static bool read_iso_basic(const char *text, int64_t *epoch_ms, char iso[17])
{
    if (strnlen(text, 17) != 16 || text[8] != 'T' || text[15] != 'Z') return false;
    int century = two_digits(text), year2 = two_digits(text + 2), month = two_digits(text + 4),
        day = two_digits(text + 6), hour = two_digits(text + 9), minute = two_digits(text + 11),
        second = two_digits(text + 13);
    if (century < 0 || year2 < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 ||
        minute > 59 || second < 0 || second > 59)
        return false;
    int year = century * 100 + year2;
    if (year < FAST_DATE_FIRST_YEAR || day > days_in_month(year, month)) return false;
    *epoch_ms = ((days_from_epoch(year, month, day) * 24 + hour) * 3600 + minute * 60 + second) * 1000;
    memcpy(iso, text, 17);
    return true;
}

bool emu_sigv4_read_date(const char *text, int64_t *epoch_ms, char iso[17])
{
    return read_iso_basic(text, epoch_ms, iso) || emu_sigv4_read_date_by_libc(text, epoch_ms, iso);
}

/* A pre-signed request is good for its X-Amz-Expires seconds (at most a week, as on AWS). */
#define PRESIGNED_MAX_SECONDS (7 * 24 * 3600)

static bool date_in_skew(const emu_signed_request *req, const signature_parts *p, int64_t signed_ms, int64_t now_ms,
                         store_error *err)
{
    char when[17], bound[17], now[17];
    format_date(signed_ms, when);
    format_date(now_ms, now);
    const char *expires = p->in_query ? query_value(req, "X-Amz-Expires") : NULL;
    if (expires) {
        char *end;
        long long seconds = strtoll(expires, &end, 10);
        if (*end || seconds < 1 || seconds > PRESIGNED_MAX_SECONDS)
            return store_fail(err, STORE_ERR_INCOMPLETE_SIGNATURE,
                              "X-Amz-Expires must be between 1 and %d seconds, not '%s'", PRESIGNED_MAX_SECONDS, expires);
        if (signed_ms + seconds * 1000 < now_ms) {
            format_date(now_ms - seconds * 1000, bound);
            return store_fail(err, STORE_ERR_INVALID_SIGNATURE, "Signature expired: %s is now earlier than %s (%s - %lld sec.)",
                              when, bound, now, seconds);
        }
    } else if (signed_ms < now_ms - EMU_SIGV4_MAX_SKEW_MS) {
        format_date(now_ms - EMU_SIGV4_MAX_SKEW_MS, bound);
        return store_fail(err, STORE_ERR_INVALID_SIGNATURE, "Signature expired: %s is now earlier than %s (%s - 5 min.)",
                          when, bound, now);
    }
    if (signed_ms > now_ms + EMU_SIGV4_MAX_SKEW_MS) {
        format_date(now_ms + EMU_SIGV4_MAX_SKEW_MS, bound);
        return store_fail(err, STORE_ERR_INVALID_SIGNATURE,
                          "Signature not yet current: %s is still later than %s (%s + 5 min.)", when, bound, now);
    }
    return true;
}

/* ------------------------------------------------------------- the scope */

static bool host_signed(const char *signed_headers)
{
    for (const char *s = signed_headers; *s;) {
        size_t n = strcspn(s, ";");
        if (n == 4 && strncasecmp(s, "host", 4) == 0) return true;
        s += n + (s[n] == ';');
    }
    return false;
}

/* A region as AWS's names are spelled (us-east-1) or as local set-ups name
 * theirs (local): lower-case letters, digits and hyphens. */
static bool region_name(const char *r, size_t n)
{
    if (n == 0) return false;
    for (size_t i = 0; i < n; i++)
        if (!islower((unsigned char)r[i]) && !isdigit((unsigned char)r[i]) && r[i] != '-') return false;
    return true;
}

typedef struct scope {
    const char *part[5]; /* key id, date, region, service, terminator */
    size_t len[5];
} scope;

static bool split_credential(const char *credential, scope *sc, store_error *err)
{
    size_t n = strlen(credential);
    while (n && credential[n - 1] == '/') n--; /* AWS ignores trailing slashes */
    int parts = 0;
    for (const char *s = credential, *end = credential + n; s <= end; parts++) {
        const char *slash = memchr(s, '/', (size_t)(end - s));
        if (!slash) slash = end;
        if (parts < 5) sc->part[parts] = s, sc->len[parts] = (size_t)(slash - s);
        s = slash + 1;
    }
    if (parts == 5) return true;
    return store_fail(err, STORE_ERR_INCOMPLETE_SIGNATURE,
                      "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, "
                      "got '%.*s'", (int)n, credential);
}

static bool part_is(const scope *sc, int i, const char *want)
{
    return sc->len[i] == strlen(want) && memcmp(sc->part[i], want, sc->len[i]) == 0;
}

static bool scope_valid(const scope *sc, const char *date, store_error *err)
{
    char msg[STORE_ERROR_MESSAGE_MAX];
    msg[0] = 0; /* not = "": that zeroes all 4 KB on every request */
    size_t used = 0;
#define SAY(...) (used < sizeof msg ? used += (size_t)snprintf(msg + used, sizeof msg - used, __VA_ARGS__) : 0)
    if (!region_name(sc->part[2], sc->len[2]))
        SAY("Credential should be scoped to a valid region, not '%.*s'. ", (int)sc->len[2], sc->part[2]);
    if (!part_is(sc, 3, SERVICE)) SAY("Credential should be scoped to correct service: '" SERVICE "'. ");
    if (!part_is(sc, 4, TERMINATOR))
        SAY("Credential should be scoped with a valid terminator: '" TERMINATOR "', not '%.*s'. ", (int)sc->len[4],
            sc->part[4]);
    if (sc->len[1] != 8 || strncmp(sc->part[1], date, 8) != 0)
        SAY("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
            "'%.*s' != '%.8s', from '%s'. ", (int)sc->len[1], sc->part[1], date, date);
#undef SAY
    if (!*msg) return true;
    size_t n = strlen(msg);
    if (n && msg[n - 1] == ' ') msg[n - 1] = 0;
    return store_fail(err, STORE_ERR_INVALID_SIGNATURE, "%s", msg);
}

/* ------------------------------------------------------------- the value */

/* A growable text; a failed allocation leaves ok false. */
typedef struct text {
    char *data;
    size_t len, cap;
    bool ok;
} text;

static void put(text *t, const char *s, size_t n)
{
    if (!t->ok) return;
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 1024;
        while (cap < t->len + n + 1) cap *= 2;
        char *d = realloc(t->data, cap);
        if (!d) { t->ok = false; return; }
        t->data = d, t->cap = cap;
    }
    memcpy(t->data + t->len, s, n);
    t->len += n;
    t->data[t->len] = 0;
}

static void puts_(text *t, const char *s) { put(t, s, strlen(s)); }

/* RFC 3986 percent-encoding as SigV4 wants it: all but A-Z a-z 0-9 - _ . ~
 * (and '/' in a path) encoded, hex digits upper-case. */
static void put_encoded(text *t, const char *s, bool keep_slash)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (keep_slash && c == '/')) {
            put(t, (const char *)&c, 1);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            put(t, e, 3);
        }
    }
}

/* The path as SigV4 encodes it for every service but S3: the path as sent
 * (the decoded path encoded once), encoded once more. */
static void put_canonical_uri(text *t, const char *path)
{
    text once = {.ok = true};
    put_encoded(&once, *path ? path : "/", true);
    if (!once.ok) { t->ok = false; return; }
    put_encoded(t, once.data, true);
    free(once.data);
}

static int compare_pairs(const void *a, const void *b)
{
    const emu_http_pair *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->value ? x->value : "", y->value ? y->value : "");
}

/* Every query parameter but X-Amz-Signature, sorted by name, encoded. */
static void put_canonical_query(text *t, const emu_signed_request *req)
{
    emu_http_pair sorted[EMU_SIGV4_MAX_PAIRS];
    size_t n = 0;
    for (size_t i = 0; i < req->n_query && n < EMU_SIGV4_MAX_PAIRS; i++)
        if (strcmp(req->query[i].name, "X-Amz-Signature") != 0) sorted[n++] = req->query[i];
    qsort(sorted, n, sizeof sorted[0], compare_pairs);
    for (size_t i = 0; i < n; i++) {
        if (i) puts_(t, "&");
        put_encoded(t, sorted[i].name, false);
        puts_(t, "=");
        put_encoded(t, sorted[i].value ? sorted[i].value : "", false);
    }
}

/* A header value trimmed, its runs of spaces made one. */
static void put_header_value(text *t, const char *v)
{
    while (*v == ' ' || *v == '\t') v++;
    size_t n = strlen(v);
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t')) n--;
    for (size_t i = 0; i < n; i++) {
        bool space = v[i] == ' ' || v[i] == '\t';
        if (space && i && (v[i - 1] == ' ' || v[i - 1] == '\t')) continue;
        put(t, space ? " " : &v[i], 1);
    }
}

/* "name:value\n" for each signed header (values of repeated headers joined with ','). */
static void put_canonical_headers(text *t, const emu_signed_request *req, const char *signed_headers)
{
    for (const char *s = signed_headers; *s;) {
        size_t n = strcspn(s, ";");
        char name[FIELD_MAX];
        copy_field(name, s, n);
        for (char *c = name; *c; c++) *c = (char)tolower((unsigned char)*c);
        puts_(t, name);
        puts_(t, ":");
        bool first = true;
        for (size_t i = 0; i < req->n_headers; i++) {
            if (strcasecmp(req->headers[i].name, name) != 0) continue;
            if (!first) puts_(t, ",");
            put_header_value(t, req->headers[i].value);
            first = false;
        }
        puts_(t, "\n");
        s += n + (s[n] == ';');
    }
}

static void hex_of(const unsigned char *bytes, size_t n, char *out)
{
    sodium_bin2hex(out, n * 2 + 1, bytes, n);
}

static void sha256_hex(const void *data, size_t n, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, n);
    hex_of(h, sizeof h, out);
}

static void hmac(unsigned char out[32], const unsigned char *key, size_t key_len, const char *msg, size_t msg_len)
{
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, key, key_len);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, msg_len);
    crypto_auth_hmacsha256_final(&st, out);
}

static void canonical_request(text *t, const emu_signed_request *req, const signature_parts *p)
{
    char body_hash[65];
    /* The payload is hashed in both forms: UNSIGNED-PAYLOAD is S3's convention for
       pre-signed URLs, taken here only when X-Amz-Content-Sha256 says so. */
    const char *payload = p->payload_hash;
    if (!payload) sha256_hex(req->body, req->body_len, body_hash), payload = body_hash;
    puts_(t, req->method);
    puts_(t, "\n");
    put_canonical_uri(t, req->path);
    puts_(t, "\n");
    put_canonical_query(t, req);
    puts_(t, "\n");
    put_canonical_headers(t, req, p->signed_headers);
    puts_(t, "\n");
    puts_(t, p->signed_headers);
    puts_(t, "\n");
    puts_(t, payload);
}

static bool signature_matches(const emu_signed_request *req, const signature_parts *p, const scope *sc,
                              const char *secret, store_error *err)
{
    text creq = {.ok = true}, sts = {.ok = true};
    canonical_request(&creq, req, p);
    char creq_hash[65];
    if (creq.ok) sha256_hex(creq.data, creq.len, creq_hash);
    puts_(&sts, ALGORITHM "\n");
    puts_(&sts, p->date);
    puts_(&sts, "\n");
    put(&sts, sc->part[1], (size_t)(sc->part[4] + sc->len[4] - sc->part[1])); /* date/region/service/term */
    puts_(&sts, "\n");
    if (creq.ok) puts_(&sts, creq_hash);
    bool ok = creq.ok && sts.ok;
    if (ok) {
        unsigned char key[32];
        text k = {.ok = true};
        puts_(&k, "AWS4");
        puts_(&k, secret);
        ok = k.ok;
        if (ok) {
            hmac(key, (const unsigned char *)k.data, k.len, sc->part[1], sc->len[1]);
            for (int i = 2; i <= 4; i++) hmac(key, key, sizeof key, sc->part[i], sc->len[i]);
            unsigned char sig[32];
            hmac(sig, key, sizeof key, sts.data, sts.len);
            char want[65];
            hex_of(sig, sizeof sig, want);
            bool same = strlen(p->signature) == 64 && sodium_memcmp(want, p->signature, 64) == 0;
            if (!same)
                store_fail(err, STORE_ERR_INVALID_SIGNATURE,
                           "The request signature we calculated does not match the signature you provided. "
                           "Check your AWS Secret Access Key and signing method. Consult the service documentation "
                           "for details.\n\nThe Canonical String for this request should have been\n'%s'\n\n"
                           "The String-to-Sign should have been\n'%s'\n", creq.data, sts.data);
            ok = same;
            sodium_memzero(key, sizeof key);
        } else {
            store_fail(err, STORE_ERR_INTERNAL, "out of memory");
        }
        if (k.data) sodium_memzero(k.data, k.len);
        free(k.data);
    } else {
        store_fail(err, STORE_ERR_INTERNAL, "out of memory");
    }
    free(creq.data);
    free(sts.data);
    return ok;
}

/* ------------------------------------------------------------- the check */

static bool parts_present(const emu_signed_request *req, signature_parts *p, store_error *err)
{
    const char *auth = emu_http_header(req, "Authorization");
    bool query = query_pair(req, "X-Amz-Algorithm") != NULL;
    if (auth && query)
        return store_fail(err, STORE_ERR_INVALID_SIGNATURE,
                          "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");
    const char *a = auth;
    while (a && isspace((unsigned char)*a)) a++;
    if ((!auth && !query) || (auth && strncmp(a, "AWS4-", 5) != 0))
        return store_fail(err, STORE_ERR_MISSING_AUTH, "Request is missing Authentication Token");
    return auth ? header_parts_present(req, auth, p, err) : query_parts_present(req, p, err);
}

bool emu_sigv4_check(const emu_signed_request *req, const emu_credentials *creds, int64_t now_ms, store_error *err)
{
    signature_parts p;
    parts_clear(&p);
    if (!parts_present(req, &p, err)) return false;
    int64_t signed_ms;
    char iso[17]; /* the scope's date is compared with this form of the Date header */
    if (!emu_sigv4_read_date(p.date, &signed_ms, iso))
        return store_fail(err, STORE_ERR_INCOMPLETE_SIGNATURE,
                          "Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601",
                          p.date);
    if (creds && !date_in_skew(req, &p, signed_ms, now_ms, err)) return false;
    if (!host_signed(p.signed_headers))
        return store_fail(err, STORE_ERR_INVALID_SIGNATURE, "'Host' must be a 'SignedHeader' in the AWS Authorization.");
    if (strcmp(p.algorithm, ALGORITHM) != 0)
        return store_fail(err, STORE_ERR_INCOMPLETE_SIGNATURE,
                          "Unsupported AWS 'algorithm': '%s' (only " ALGORITHM " for now). ", p.algorithm);
    scope sc;
    if (!split_credential(p.credential, &sc, err) || !scope_valid(&sc, iso, err)) return false;
    if (!creds) return true;
    char key_id[FIELD_MAX];
    copy_field(key_id, sc.part[0], sc.len[0]);
    const cJSON *secret = cJSON_GetObjectItemCaseSensitive(creds->secrets, key_id);
    if (!secret)
        return store_fail(err, STORE_ERR_UNRECOGNIZED_CLIENT, "The security token included in the request is invalid.");
    p.payload_hash = emu_http_header(req, "X-Amz-Content-Sha256");
    copy_field(p.date, iso, 16); /* the string to sign holds the ISO form of the date */
    return signature_matches(req, &p, &sc, secret->valuestring, err);
}
