/* emulator/server.c — libmicrohttpd glue: one connection's body is collected,
 * then handed to emu_call (POST /) or emu_control (/_dynemu/...), on the
 * database of the request's namespace; answers carry x-amzn-RequestId and
 * x-amz-crc32 (which the SDKs verify). Keep-alive connections, a worker per core. */
#include "emulator/server.h"
#include "emulator/api.h"
#include "emulator/control.h"

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

static enum MHD_Result send_body(struct MHD_Connection *conn, emu_server *s, int status, char *body, size_t len,
                                 const char *content_type)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    char crc[11], id[53];
    /* The IEEE CRC32 zlib computes, with the CPU's carry-less multiply: pages of items are large. */
    decimal_u32(crc32_gzip_refl(0, (const unsigned char *)body, (uint64_t)len), crc);
    request_id(s, id);
    MHD_add_response_header(r, "Content-Type", content_type);
    MHD_add_response_header(r, "x-amzn-RequestId", id);
    MHD_add_response_header(r, "x-amz-crc32", crc);
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result send_error(struct MHD_Connection *conn, emu_server *s, store_status st, const char *message)
{
    size_t len;
    char *body = emu_error_body(st, message, NULL, &len);
    return send_body(conn, s, emu_error_http_status(st), body, len, "application/x-amz-json-1.0");
}

static enum MHD_Result health(struct MHD_Connection *conn, emu_server *s)
{
    char *body = strdup("healthy: dynemu");
    return send_body(conn, s, 200, body, strlen(body), "text/plain");
}

/* The database a request with this body and Authorization goes to; false
 * (the error answer queued in *refused) for an oversized body or no memory. */
static bool request_database(struct MHD_Connection *conn, emu_server *s, const upload *u, const char *auth,
                             emu_database **d, enum MHD_Result *refused)
{
    if (u->too_large) {
        *refused = send_error(conn, s, STORE_ERR_VALIDATION, "Request size exceeded 16777216 bytes");
        return false;
    }
    *d = emu_namespaces_get(s->namespaces, auth);
    if (!*d) *refused = send_error(conn, s, STORE_ERR_INTERNAL, "out of memory");
    return *d != NULL;
}

static enum MHD_Result dynamodb(struct MHD_Connection *conn, emu_server *s, const upload *u)
{
    const char *target = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Amz-Target");
    const char *auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
    const emu_operation *op = emu_find_target(target);
    if (!op) return send_error(conn, s, STORE_ERR_UNKNOWN_OPERATION, NULL);
    if (!auth)
        return send_error(conn, s, STORE_ERR_MISSING_AUTH, "Request is missing Authentication Token");
    emu_database *d;
    enum MHD_Result refused;
    if (!request_database(conn, s, u, auth, &d, &refused)) return refused;
    char *body;
    size_t len;
    int status = emu_call(d->db, op->name, u->data ? u->data : "", u->len, &body, &len);
    return send_body(conn, s, status, body, len, "application/x-amz-json-1.0");
}

/* /_dynemu/...: no Authorization needed; with one, it names the namespace. */
static enum MHD_Result control(struct MHD_Connection *conn, emu_server *s, const char *method, const char *url,
                               const upload *u)
{
    const char *auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
    emu_database *d;
    enum MHD_Result refused;
    if (!request_database(conn, s, u, auth, &d, &refused)) return refused;
    char *body;
    size_t len;
    /* The one query parameter the control API takes (streams/TABLE/records?since=SEQ). */
    const char *since = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "since");
    char path[EMU_CONTROL_PATH_MAX];
    if (since && (size_t)snprintf(path, sizeof path, "%s?since=%s", url, since) < sizeof path) url = path;
    int status = emu_control(d, method, url, u->data ? u->data : "", u->len, &body, &len);
    return send_body(conn, s, status, body, len, "application/json");
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
    if (strcmp(method, "GET") == 0 && strcmp(url, "/") == 0) return health(conn, s);
    if (strcmp(method, "POST") == 0 && strcmp(url, "/") == 0) return dynamodb(conn, s, u);
    if (emu_control_path(url)) return control(conn, s, method, url, u);
    char *body = strdup("{\"__type\":\"NotFound\",\"message\":\"no such endpoint\"}");
    return send_body(conn, s, 404, body, strlen(body), "application/json");
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
                                 MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)300,
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
