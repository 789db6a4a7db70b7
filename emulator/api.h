/* emulator/api.h — the one entry point of the DynamoDB API: an operation name
 * and a request body in, an HTTP status and a response body out. The HTTP
 * server and linked C tests both come through here; the operation table
 * (api.c) maps each DynamoDB operation to its handler in emulator/ops/. */
#ifndef EMU_API_H
#define EMU_API_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "store/codec.h"
#include "store/db.h"
#include "store/error.h"

/* What a handler sees: the database (locked as its operation asks), the
 * parsed request, the response object to fill, and the error to set. */
typedef struct emu_ctx {
    store_db *db;
    const cJSON *req;
    cJSON *resp;            /* an empty object to fill on success */
    cJSON *error_extra;     /* members added to an error body (e.g. CancellationReasons, Item) */
    store_error err;
    /* The answer's opening already written as JSON text: '{' and a first
     * member (a page of items), not copied through a cJSON node. The printed
     * members of resp are appended to it. Unused while head.len is 0. */
    store_text head;
    /* Where a Query or Scan page's Items array ends in head, and the key the
     * page stopped at (a reference, or NULL): what a front end needs to answer
     * the page in its own form without parsing it again (PartiQL). */
    size_t page_items_end;
    store_value *page_last_key;
    long long page_count;   /* how many items the page holds */
    bool locked;            /* the handler holds the database's lock (emu_lock_for_write) */
    char *answer;           /* the answer printed by emu_answer_ready, or NULL */
    size_t answer_len;
    /* An operation run for another (emu_call_compiled_ready): what its
     * emu_answer_ready does instead, so the outer answer is made before the
     * inner write commits. */
    bool (*ready)(struct emu_ctx *inner, void *arg);
    void *ready_arg;
    const char *host;       /* the request's Host header; NULL when not called over HTTP */
} emu_ctx;

/* How an operation holds the database's lock. */
typedef enum emu_locking {
    EMU_READS,              /* the read lock around the handler: reads run in parallel */
    EMU_WRITES,             /* the write lock around the handler */
    EMU_WRITES_LATE,        /* the handler reads its request first, unlocked, then
                             * calls emu_lock_for_write: writers queue for less time */
} emu_locking;

/* Prints the answer as it stands, for a write to call before it commits: a
 * write whose answer cannot be made is then refused (out of memory) with
 * nothing changed, never committed and answered 500. Nothing may be added
 * to the answer after it. */
bool emu_answer_ready(emu_ctx *ctx);

typedef bool (*emu_handler)(emu_ctx *ctx);

typedef struct emu_operation {
    const char *name;       /* DynamoDB's name, as in X-Amz-Target */
    emu_handler handler;
    emu_locking locking;
} emu_operation;

/* An operation by its bare name (DynamoDB's or DynamoDB Streams'). */
const emu_operation *emu_find_operation(const char *name);
/* An operation by its X-Amz-Target ("DynamoDB_20120810.GetItem",
 * "DynamoDBStreams_20120810.GetRecords"): each service's own operations only. */
const emu_operation *emu_find_target(const char *target);

/* For EMU_WRITES_LATE handlers: takes the write lock, which emu_call releases. */
void emu_lock_for_write(emu_ctx *ctx);

/* The answer of an operation run by emu_call_compiled. */
typedef struct emu_answer {
    cJSON *resp;            /* its members, a page's items aside */
    store_text page;        /* a Query or Scan page: the text {"Items":[...] (len 0 if none) */
    store_value *last_key;  /* where that page stopped, or NULL */
    long long count;        /* the page's items */
} emu_answer;

/* Runs operation on a request dynemu built itself (a PartiQL statement
 * compiled onto it) as a client's would run, its shape aside: the
 * operation's lock, its handler. On true *answer holds the answer (emu_answer_clear it);
 * on false the error (and its extra members) is moved into ctx. The caller
 * must hold no lock. */
bool emu_call_compiled(emu_ctx *ctx, const char *operation, cJSON *req, emu_answer *answer);
/* The same, with ready(inner, arg) called where the operation, a write, is
 * ready to commit: the caller makes its own answer from inner's then, and
 * a false refuses the write with nothing changed. */
bool emu_call_compiled_ready(emu_ctx *ctx, const char *operation, cJSON *req, emu_answer *answer,
                             bool (*ready)(emu_ctx *inner, void *arg), void *arg);
void emu_answer_clear(emu_answer *a);

/* Runs an operation on db. Returns the HTTP status; *body is malloc'd. */
int emu_call(store_db *db, const char *operation, const char *request, size_t len,
             char **body, size_t *body_len);
/* The same for a request over HTTP, with the Host header it came with (or NULL). */
int emu_call_from(store_db *db, const char *operation, const char *request, size_t len, const char *host,
                  char **body, size_t *body_len);

/* Why a body is not JSON text dynemu will parse (not UTF-8, a raw control
 * character), or NULL if it may be parsed. */
const char *emu_json_text_problem(const char *text, size_t len);

/* The wire "__type" of an error status, and its HTTP status. */
const char *emu_error_type(store_status s);
int emu_error_http_status(store_status s);
/* An error body {"__type": ..., "message": ...}, malloc'd. */
char *emu_error_body(store_status s, const char *message, const cJSON *extra, size_t *len);

#endif
