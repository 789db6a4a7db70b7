/* emulator/server.c — libmicrohttpd glue: one connection's body is collected,
 * then handed to emu_call (POST /) or emu_control (/_dynemu/...), on the
 * database of the request's namespace; answers carry x-amzn-RequestId and
 * x-amz-crc32 (which the SDKs verify). Keep-alive connections, a worker per core. */
#include "emulator/server.h"
#include "emulator/api.h"
#include "emulator/compression.h"
#include "emulator/control.h"
#include "emulator/sigv4.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <isa-l/crc.h>


struct emu_server {
    struct MHD_Daemon *daemon;
    emu_namespaces *namespaces;
    bool verbose;
    const emu_credentials *credentials; /* --credentials: signatures checked against these */
    uint64_t next_request;  /* request ids: unique, cheap, deterministic per run */
};

/* The body of one request, grown as it arrives. One per connection, kept
 * across its keep-alive requests so a request costs no allocation. */
typedef struct upload {
    char *data;
    size_t len, cap;
    bool too_large;
} upload;

/* A buffer grown past this by one large request is not kept for the next. */
#define UPLOAD_KEEP_BYTES (64 * 1024)

static void request_id(emu_server *s, char out[53])
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    uint64_t n = __atomic_add_fetch(&s->next_request, 1, __ATOMIC_RELAXED);
    memset(out, 'A', 52);
    for (int i = 51; i >= 0 && n; i--, n /= 36) out[i] = alphabet[n % 36];
    out[52] = 0;
}

/* n in decimal; out holds at least 11 bytes. */
static void decimal_u32(uint32_t n, char *out)
{
    char digits[10];
    int i = 0;
    do digits[i++] = (char)('0' + n % 10); while ((n /= 10));
    while (i) *out++ = digits[--i];
    *out = 0;
}

/* What one request's answer looks like, as its headers ask: the JSON content
 * type it came with, CORS headers when it has an Origin, gzip when accepted. */
typedef struct exchange {
    struct MHD_Connection *conn;
    emu_server *s;
    const char *content_type;   /* of a JSON answer */
    bool cors;
    bool gzip;
} exchange;

/* The headers a browser may read from an answer (Access-Control-Expose-Headers). */
static const char exposed_headers[] = "x-amzn-RequestId,x-amzn-ErrorType,x-amz-request-id,x-amz-id-2,"
                                      "x-amzn-ErrorMessage,Date";
/* How long a browser may keep a preflight's answer, as AWS says: two days. */
#define CORS_MAX_AGE "172800"

static enum MHD_Result queue(exchange *x, int status, struct MHD_Response *r)
{
    char id[53];
    request_id(x->s, id);
    MHD_add_response_header(r, "x-amzn-RequestId", id);
    if (x->cors) {
        MHD_add_response_header(r, "Access-Control-Allow-Origin", "*");
        MHD_add_response_header(r, "Access-Control-Expose-Headers", exposed_headers);
    }
    enum MHD_Result ret = MHD_queue_response(x->conn, (unsigned)status, r);
    MHD_destroy_response(r);
    return ret;
}

/* body (malloc'd, taken over) as the answer, gzipped when the client accepts
 * it; x-amz-crc32 is of the bytes sent, as the SDKs check it. */
static enum MHD_Result send_body(exchange *x, int status, char *body, size_t len, const char *content_type)
{
    bool gzipped = false;
    if (x->gzip && len) {
        size_t zlen;
        char *z = emu_gzip(body, len, &zlen);
        if (z) free(body), body = z, len = zlen, gzipped = true; /* out of memory: sent as it is */
    }
    struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (!r) { free(body); return MHD_NO; }
    char crc[11];
    /* The IEEE CRC32 zlib computes, with the CPU's carry-less multiply: pages of items are large. */
    decimal_u32(crc32_gzip_refl(0, (const unsigned char *)body, (uint64_t)len), crc);
    MHD_add_response_header(r, "Content-Type", content_type);
    MHD_add_response_header(r, "x-amz-crc32", crc);
    if (gzipped) MHD_add_response_header(r, "Content-Encoding", "gzip");
    return queue(x, status, r);
}

static enum MHD_Result send_text(exchange *x, int status, const char *text, const char *content_type)
{
    char *body = strdup(text);
    if (!body) return MHD_NO;
    return send_body(x, status, body, strlen(body), content_type);
}

static enum MHD_Result send_error(exchange *x, store_status st, const char *message)
{
    size_t len;
    char *body = emu_error_body(st, message, NULL, &len);
    if (!body) return MHD_NO;
    return send_body(x, emu_error_http_status(st), body, len, x->content_type);
}

/* What DynamoDB's endpoint answers to a GET: the health check. */
static enum MHD_Result health(exchange *x)
{
    return send_text(x, 200, "healthy: dynamodb.us-east-1.amazonaws.com ", "text/plain");
}

/* What DynamoDB's endpoint answers to another method, or a body of another content type. */
static enum MHD_Result not_found(exchange *x)
{
    return send_text(x, 404, "<UnknownOperationException/>\n", "text/html");
}

/* A body over DynamoDB's request size: 413 and no body, as AWS answers. */
static enum MHD_Result too_large(exchange *x)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    return r ? queue(x, 413, r) : MHD_NO;
}

/* OPTIONS with an Origin: a CORS preflight, allowed whatever it asks. */
static enum MHD_Result preflight(exchange *x)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (!r) return MHD_NO;
    const char *headers = MHD_lookup_connection_value(x->conn, MHD_HEADER_KIND, "Access-Control-Request-Headers");
    const char *method = MHD_lookup_connection_value(x->conn, MHD_HEADER_KIND, "Access-Control-Request-Method");
    if (headers) MHD_add_response_header(r, "Access-Control-Allow-Headers", headers);
    if (method) MHD_add_response_header(r, "Access-Control-Allow-Methods", method);
    MHD_add_response_header(r, "Access-Control-Max-Age", CORS_MAX_AGE);
    return queue(x, 200, r);
}

/* A request's Content-Type, its parameters after ';' and blanks dropped. */
static bool content_type_is(const char *header, const char *want)
{
    while (*header == ' ' || *header == '\t') header++;
    size_t n = strcspn(header, ";");
    while (n && (header[n - 1] == ' ' || header[n - 1] == '\t')) n--;
    return n == strlen(want) && strncmp(header, want, n) == 0;
}

/* The headers and query parameters a signature covers, collected once per request. */
typedef struct pairs {
    emu_http_pair at[EMU_SIGV4_MAX_PAIRS];
    size_t n;
} pairs;

static enum MHD_Result collect_pair(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    pairs *p = cls;
    if (p->n == EMU_SIGV4_MAX_PAIRS) return MHD_NO;
    p->at[p->n++] = (emu_http_pair){key, value};
    return MHD_YES;
}

/* Whether a body is JSON text. AWS reads the JSON before the target and the
 * signature, so a request wrong in both is a SerializationException; this is
 * asked only on those error paths, the request itself is parsed once, later. */
static bool body_parses(const char *body, size_t len)
{
    if (len == 0) return true;
    cJSON *j = cJSON_ParseWithLength(body, len);
    cJSON_Delete(j);
    return j != NULL;
}

/* The namespace key of a pre-signed request: its X-Amz-Credential as an Authorization would carry it. */
static const char *namespace_auth(const emu_signed_request *req, char *buf, size_t size)
{
    const char *auth = emu_http_header(req, "Authorization");
    if (auth) return auth;
    for (size_t i = 0; i < req->n_query; i++)
        if (strcmp(req->query[i].name, "X-Amz-Credential") == 0 && req->query[i].value &&
            (size_t)snprintf(buf, size, "Credential=%s", req->query[i].value) < size)
            return buf;
    return NULL;
}

static enum MHD_Result dynamodb(exchange *x, const char *url, const char *body, size_t len, const upload *raw)
{
    emu_server *s = x->s;
    const emu_operation *op =
        emu_find_target(MHD_lookup_connection_value(x->conn, MHD_HEADER_KIND, "X-Amz-Target"));
    if (!op) return send_error(x, body_parses(body, len) ? STORE_ERR_UNKNOWN_OPERATION : STORE_ERR_SERIALIZATION, NULL);
    pairs headers, query; /* not = {0}: 2 KB zeroed per request */
    headers.n = query.n = 0;
    MHD_get_connection_values(x->conn, MHD_HEADER_KIND, collect_pair, &headers);
    MHD_get_connection_values(x->conn, MHD_GET_ARGUMENT_KIND, collect_pair, &query);
    emu_signed_request req = {"POST", url, headers.at, headers.n, query.at, query.n,
                              (const unsigned char *)(raw->data ? raw->data : ""), raw->len};
    char key_buf[512];
    emu_database *d = emu_namespaces_get(s->namespaces, namespace_auth(&req, key_buf, sizeof key_buf));
    if (!d) return send_error(x, STORE_ERR_INTERNAL, "out of memory");
    store_error err; /* not = {0}: 4 KB zeroed per request */
    err.status = STORE_OK;
    err.message[0] = 0;
    if (!emu_sigv4_check(&req, s->credentials, emu_database_now_ms(d), &err)) {
        bool parses = body_parses(body, len); /* AWS reads the JSON before the signature */
        return send_error(x, parses ? err.status : STORE_ERR_SERIALIZATION, parses ? err.message : NULL);
    }
    char *answer;
    size_t answer_len;
    const char *host = MHD_lookup_connection_value(x->conn, MHD_HEADER_KIND, "Host");
    int status = emu_call_from(d->db, op->name, body, len, host, &answer, &answer_len);
    return send_body(x, status, answer, answer_len, x->content_type);
}

/* /_dynemu/...: no Authorization needed; with one, it names the namespace. */
static enum MHD_Result control(exchange *x, const char *method, const char *url, const char *body, size_t len)
{
    const char *auth = MHD_lookup_connection_value(x->conn, MHD_HEADER_KIND, "Authorization");
    emu_database *d = emu_namespaces_get(x->s->namespaces, auth);
    if (!d) return send_error(x, STORE_ERR_INTERNAL, "out of memory");
    char *answer;
    size_t answer_len;
    /* The one query parameter the control API takes (streams/TABLE/records?since=SEQ). */
    const char *since = MHD_lookup_connection_value(x->conn, MHD_GET_ARGUMENT_KIND, "since");
    char path[EMU_CONTROL_PATH_MAX];
    if (since && (size_t)snprintf(path, sizeof path, "%s?since=%s", url, since) < sizeof path) url = path;
    int status = emu_control(d, method, url, body, len, &answer, &answer_len);
    return send_body(x, status, answer, answer_len, "application/json");
}

static bool append(upload *u, const char *data, size_t n)
{
    if (u->too_large || u->len + n > EMU_MAX_REQUEST_BYTES) { u->too_large = true; return true; }
    if (u->len + n + 1 > u->cap) {
        size_t cap = u->cap ? u->cap : 4096;
        while (cap < u->len + n + 1) cap *= 2;
        char *d = realloc(u->data, cap);
        if (!d) return false;
        u->data = d;
        u->cap = cap;
    }
    memcpy(u->data + u->len, data, n);
    u->len += n;
    u->data[u->len] = 0;
    return true;
}

/* The body as its Content-Encoding says, inflated into *inflated (freed by
 * the caller) when compressed; false with the answer queued in *refused. */
static bool decoded_body(exchange *x, const upload *u, char **inflated, const char **body, size_t *len,
                         enum MHD_Result *refused)
{
    *inflated = NULL;
    *body = u->data ? u->data : "";
    *len = u->len;
    emu_encoding enc = emu_encoding_of(MHD_lookup_connection_value(x->conn, MHD_HEADER_KIND, "Content-Encoding"));
    if (enc == EMU_ENCODING_IDENTITY || enc == EMU_ENCODING_UNKNOWN || u->len == 0) return true;
    emu_inflate_result r = emu_inflate(enc, *body, u->len, EMU_MAX_REQUEST_BYTES, inflated, len);
    if (r == EMU_INFLATE_OK) { *body = *inflated; return true; }
    if (r == EMU_INFLATE_TOO_LARGE) *refused = too_large(x);
    else if (r == EMU_INFLATE_CORRUPT)
        *refused = send_error(x, STORE_ERR_SERIALIZATION, "The request body is not valid data of its Content-Encoding");
    else *refused = send_error(x, STORE_ERR_INTERNAL, "out of memory");
    return false;
}

/* A whole request: routed by method, path and content type as AWS routes it. */
static enum MHD_Result answer(exchange *x, const char *url, const char *method, const upload *u)
{
    if (strcmp(method, "OPTIONS") == 0) return x->cors ? preflight(x) : not_found(x);
    if (u->too_large) return too_large(x);
    char *inflated;
    const char *body;
    size_t len;
    enum MHD_Result refused;
    if (!decoded_body(x, u, &inflated, &body, &len, &refused)) return refused;
    enum MHD_Result ret;
    if (emu_control_path(url)) {
        ret = control(x, method, url, body, len);
    } else if (strcmp(method, "GET") == 0) {
        ret = health(x);
    } else {
        const char *type = MHD_lookup_connection_value(x->conn, MHD_HEADER_KIND, "Content-Type");
        bool amz_json = type && content_type_is(type, "application/x-amz-json-1.0");
        bool json = amz_json || (type && content_type_is(type, "application/json"));
        x->content_type = amz_json ? "application/x-amz-json-1.0" : "application/json";
        /* AWS does not look at the path of a DynamoDB request. */
        ret = strcmp(method, "POST") != 0 || (u->len && !json) ? not_found(x) : dynamodb(x, url, body, len, u);
    }
    free(inflated);
    return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                              const char *version, const char *data, size_t *data_size, void **con_cls)
{
    (void)version;
    emu_server *s = cls;
    if (!*con_cls) {
        const union MHD_ConnectionInfo *info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
        upload *u = info ? info->socket_context : NULL;
        if (!u) return MHD_NO;
        u->len = 0;
        u->too_large = false;
        if (u->data) u->data[0] = 0; /* the last request's body is gone */
        *con_cls = u;
        return MHD_YES;
    }
    upload *u = *con_cls;
    if (*data_size) {
        if (!append(u, data, *data_size)) return MHD_NO;
        *data_size = 0;
        return MHD_YES;
    }
    if (s->verbose) fprintf(stderr, "%s %s %s\n", method, url,
                            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Amz-Target") ?: "");
    exchange x = {conn, s, "application/json",
                  MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Origin") != NULL,
                  emu_accepts_gzip(MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept-Encoding"))};
    return answer(&x, url, method, u);
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)conn, (void)toe;
    upload *u = *con_cls;
    if (u && u->cap > UPLOAD_KEEP_BYTES) {
        free(u->data);
        u->data = NULL;
        u->cap = 0;
    }
    *con_cls = NULL;
}

/* A connection's upload buffer lives from its accept to its close. */
static void connection_event(void *cls, struct MHD_Connection *conn, void **socket_context,
                             enum MHD_ConnectionNotificationCode toe)
{
    (void)cls, (void)conn;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        *socket_context = calloc(1, sizeof(upload)); /* NULL: handle() refuses the connection's requests */
        return;
    }
    upload *u = *socket_context;
    if (u) free(u->data);
    free(u);
    *socket_context = NULL;
}

emu_server *emu_server_start(const emu_server_options *opts, emu_namespaces *namespaces)
{
    emu_server *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->namespaces = namespaces;
    s->verbose = opts->verbose;
    s->credentials = opts->credentials;
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(opts->port)};
    if (inet_pton(AF_INET, opts->host, &addr.sin_addr) != 1) {
        fprintf(stderr, "dynemu: --host %s is not an IPv4 address\n", opts->host);
        free(s);
        return NULL;
    }
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = opts->threads ? opts->threads : (unsigned)(cores > 0 ? cores : 1);
    s->daemon = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_TURBO, opts->port, NULL, NULL, handle, s,
                                 MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
                                 MHD_OPTION_THREAD_POOL_SIZE, threads,
                                 MHD_OPTION_NOTIFY_COMPLETED, completed, s,
                                 MHD_OPTION_NOTIFY_CONNECTION, connection_event, s,
                                 MHD_OPTION_CONNECTION_TIMEOUT, opts->idle_timeout_s,
                                 MHD_OPTION_CONNECTION_LIMIT, opts->max_connections,
                                 MHD_OPTION_END);
    if (!s->daemon) {
        fprintf(stderr, "dynemu: cannot listen on %s:%u\n", opts->host, opts->port);
        free(s);
        return NULL;
    }
    return s;
}

uint16_t emu_server_port(const emu_server *s)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info ? info->port : 0;
}

void emu_server_stop(emu_server *s)
{
    if (!s) return;
    MHD_stop_daemon(s->daemon);
    free(s);
}
