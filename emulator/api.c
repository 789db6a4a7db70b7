/* emulator/api.c — the operation table and the one entry point every request
 * goes through: parse, lock, dispatch, render. */
#include "emulator/api.h"
#include "emulator/ops/ops.h"
#include "emulator/request_arena.h"
#include "emulator/shape.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistr.h>
#include <stdlib.h>
#include <string.h>

/* Sorted by name, for bsearch. */
static const emu_operation operations[] = {
    {"BatchExecuteStatement", emu_op_batch_execute_statement, EMU_WRITES_LATE},
    {"BatchGetItem", emu_op_batch_get_item, EMU_READS},
    {"BatchWriteItem", emu_op_batch_write_item, EMU_WRITES},
    {"CreateTable", emu_op_create_table, EMU_WRITES},
    {"DeleteItem", emu_op_delete_item, EMU_WRITES_LATE},
    {"DeleteTable", emu_op_delete_table, EMU_WRITES},
    {"DescribeEndpoints", emu_op_describe_endpoints, EMU_READS},
    {"DescribeLimits", emu_op_describe_limits, EMU_READS},
    {"DescribeTable", emu_op_describe_table, EMU_READS},
    {"DescribeTimeToLive", emu_op_describe_time_to_live, EMU_READS},
    {"ExecuteStatement", emu_op_execute_statement, EMU_WRITES_LATE},
    {"ExecuteTransaction", emu_op_execute_transaction, EMU_WRITES_LATE},
    {"GetItem", emu_op_get_item, EMU_READS},
    {"ListTables", emu_op_list_tables, EMU_READS},
    {"ListTagsOfResource", emu_op_list_tags_of_resource, EMU_READS},
    {"PutItem", emu_op_put_item, EMU_WRITES_LATE},
    {"Query", emu_op_query, EMU_READS},
    {"Scan", emu_op_scan, EMU_READS},
    {"TagResource", emu_op_tag_resource, EMU_WRITES},
    {"TransactGetItems", emu_op_transact_get_items, EMU_READS},
    {"TransactWriteItems", emu_op_transact_write_items, EMU_WRITES},
    {"UntagResource", emu_op_untag_resource, EMU_WRITES},
    {"UpdateItem", emu_op_update_item, EMU_WRITES_LATE},
    {"UpdateTable", emu_op_update_table, EMU_WRITES},
    {"UpdateTimeToLive", emu_op_update_time_to_live, EMU_WRITES},
};

/* DynamoDB Streams' operations, sorted by name. Their names are none of
 * DynamoDB's, so a linked program calls either kind by its bare name. */
static const emu_operation stream_operations[] = {
    {"DescribeStream", emu_op_describe_stream, EMU_READS},
    {"GetRecords", emu_op_get_records, EMU_WRITES},
    {"GetShardIterator", emu_op_get_shard_iterator, EMU_READS},
    {"ListStreams", emu_op_list_streams, EMU_READS},
};

static int by_name(const void *key, const void *op)
{
    return strcmp(key, ((const emu_operation *)op)->name);
}

static const emu_operation *find_in(const emu_operation *table, size_t n, const char *name)
{
    return bsearch(name, table, n, sizeof *table, by_name);
}

#define FIND(table, name) find_in((table), sizeof(table) / sizeof(table)[0], (name))

const emu_operation *emu_find_operation(const char *name)
{
    const emu_operation *op = FIND(operations, name);
    return op ? op : FIND(stream_operations, name);
}

const emu_operation *emu_find_target(const char *target)
{
    static const char dynamodb[] = "DynamoDB_20120810.", streams[] = "DynamoDBStreams_20120810.";
    if (!target) return NULL;
    if (strncmp(target, dynamodb, sizeof dynamodb - 1) == 0) return FIND(operations, target + sizeof dynamodb - 1);
    if (strncmp(target, streams, sizeof streams - 1) == 0) return FIND(stream_operations, target + sizeof streams - 1);
    return NULL;
}

static const struct {
    const char *type;
    int http;
} error_types[] = {
    [STORE_OK] = {"", 200},
    [STORE_ERR_VALIDATION] = {"com.amazon.coral.validate#ValidationException", 400},
    [STORE_ERR_SERIALIZATION] = {"com.amazon.coral.service#SerializationException", 400},
    [STORE_ERR_NOT_FOUND] = {"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", 400},
    [STORE_ERR_IN_USE] = {"com.amazonaws.dynamodb.v20120810#ResourceInUseException", 400},
    [STORE_ERR_CONDITION] = {"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException", 400},
    [STORE_ERR_LIMIT] = {"com.amazonaws.dynamodb.v20120810#LimitExceededException", 400},
    [STORE_ERR_TRANSACTION] = {"com.amazonaws.dynamodb.v20120810#TransactionCanceledException", 400},
    [STORE_ERR_IDEMPOTENT] = {"com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException", 400},
    [STORE_ERR_UNKNOWN_OPERATION] = {"com.amazon.coral.service#UnknownOperationException", 400},
    [STORE_ERR_MISSING_AUTH] = {"com.amazon.coral.service#MissingAuthenticationTokenException", 400},
    [STORE_ERR_INCOMPLETE_SIGNATURE] = {"com.amazon.coral.service#IncompleteSignatureException", 400},
    [STORE_ERR_INVALID_SIGNATURE] = {"com.amazon.coral.service#InvalidSignatureException", 400},
    [STORE_ERR_UNRECOGNIZED_CLIENT] = {"com.amazon.coral.service#UnrecognizedClientException", 400},
    [STORE_ERR_RECORD_NOT_FOUND] = {"RecordNotFound", 404},
    [STORE_ERR_DELETE_RESTRICTED] = {"DeleteRestrictionError", 409},
    [STORE_ERR_EXPIRED_ITERATOR] = {"com.amazonaws.dynamodb.v20120810#ExpiredIteratorException", 400},
    [STORE_ERR_TRIMMED_DATA] = {"com.amazonaws.dynamodb.v20120810#TrimmedDataAccessException", 400},
    [STORE_ERR_DUPLICATE_ITEM] = {"com.amazonaws.dynamodb.v20120810#DuplicateItemException", 400},
    [STORE_ERR_INTERNAL] = {"com.amazonaws.dynamodb.v20120810#InternalServerError", 500},
};

const char *emu_error_type(store_status s) { return error_types[s].type; }
int emu_error_http_status(store_status s) { return error_types[s].http; }

/* Bytes of the raw JSON texts (pages of items) inside an answer. */
static size_t raw_bytes(const cJSON *obj)
{
    size_t n = 0;
    for (const cJSON *c = obj->child; c; c = c->next)
        n += cJSON_IsRaw(c) ? strlen(c->valuestring) : c->child ? raw_bytes(c) : 0;
    return n;
}

/* Printed into one buffer sized for the answer up front, so a page of items
 * is not copied again and again as the buffer grows. */
static char *print(const cJSON *obj, size_t *len)
{
    /* obj is NULL when making it ran out of memory: so is its text. */
    char *s = obj ? cJSON_PrintBuffered(obj, (int)(raw_bytes(obj) + 512), false) : NULL;
    *len = s ? strlen(s) : 0;
    return s;
}

/* The answer: the printed members of resp, after the opening the handler
 * wrote as text (if any). */
static char *answer_text(emu_ctx *ctx, size_t *len)
{
    if (!ctx->head.len) return print(ctx->resp, len);
    if (ctx->resp->child) {
        /* "{members}": they follow the head's after a comma. */
        size_t rest_len;
        char *rest = print(ctx->resp, &rest_len);
        if (!rest) {
            *len = 0;
            return NULL; /* out of memory, as print answers; emu_call frees the head */
        }
        store_text_put_literal(&ctx->head, ",");
        store_text_put(&ctx->head, rest + 1, rest_len - 1);
        free(rest);
    } else {
        store_text_put_literal(&ctx->head, "}");
    }
    char *out = store_text_finish(&ctx->head, len);
    ctx->head = (store_text){0};
    return out;
}

bool emu_answer_ready(emu_ctx *ctx)
{
    if (ctx->ready) return ctx->ready(ctx, ctx->ready_arg);
    free(ctx->answer);
    ctx->answer = answer_text(ctx, &ctx->answer_len);
    return ctx->answer || store_fail(&ctx->err, STORE_ERR_INTERNAL, "out of memory");
}

char *emu_error_body(store_status s, const char *message, const cJSON *extra, size_t *len)
{
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddStringToObject(obj, "__type", emu_error_type(s));
    /* AWS's deserializer spells its member "Message"; every other error "message". */
    if (message && *message) cJSON_AddStringToObject(obj, s == STORE_ERR_SERIALIZATION ? "Message" : "message", message);
    const cJSON *m;
    cJSON_ArrayForEach(m, extra) cJSON_AddItemToObject(obj, m->string, cJSON_Duplicate(m, true));
    char *body = print(obj, len);
    cJSON_Delete(obj);
    return body;
}

void emu_lock_for_write(emu_ctx *ctx)
{
    store_db_write_lock(ctx->db);
    ctx->locked = true;
}

static bool run(const emu_operation *op, emu_ctx *ctx)
{
    if (op->locking == EMU_WRITES) store_db_write_lock(ctx->db);
    else if (op->locking == EMU_READS) store_db_read_lock(ctx->db);
    ctx->locked = op->locking != EMU_WRITES_LATE;
    bool ok = op->handler(ctx);
    if (ctx->locked) store_db_unlock(ctx->db);
    return ok;
}

/* resp: the answer object being built (taken over); NULL when it could not
 * be made, which run() then answers as out of memory. */
static void ctx_open(emu_ctx *ctx, store_db *db, const cJSON *req, cJSON *resp, const char *host)
{
    ctx->db = db;
    ctx->req = req;
    ctx->resp = resp;
    ctx->host = host;
    ctx->error_extra = NULL;
    ctx->err.status = STORE_OK;
    ctx->err.message[0] = 0;
    ctx->head = (store_text){0};
    ctx->page_items_end = 0;
    ctx->page_last_key = NULL;
    ctx->page_count = 0;
    ctx->locked = false;
    ctx->answer = NULL;
    ctx->answer_len = 0;
    ctx->ready = NULL;
    ctx->ready_arg = NULL;
}

static void ctx_close(emu_ctx *ctx)
{
    free(ctx->answer);
    free(ctx->head.data);
    store_release(ctx->page_last_key);
    cJSON_Delete(ctx->resp);
    cJSON_Delete(ctx->error_extra);
}

bool emu_call_compiled(emu_ctx *ctx, const char *operation, cJSON *req, emu_answer *answer)
{
    return emu_call_compiled_ready(ctx, operation, req, answer, NULL, NULL);
}

bool emu_call_compiled_ready(emu_ctx *ctx, const char *operation, cJSON *req, emu_answer *answer,
                             bool (*ready)(emu_ctx *inner, void *arg), void *arg)
{
    const emu_operation *op = emu_find_operation(operation);
    emu_ctx sub;
    ctx_open(&sub, ctx->db, req, cJSON_CreateObject(), ctx->host);
    sub.ready = ready;
    sub.ready_arg = arg;
    *answer = (emu_answer){0};
    /* No shape check: dynemu built the request with every member of its
     * type, and the values a client gave were checked with its own request. */
    bool ok = !sub.resp ? store_fail(&sub.err, STORE_ERR_INTERNAL, "out of memory")
              : op ? run(op, &sub) : store_fail(&sub.err, STORE_ERR_INTERNAL, "no operation %s", operation);
    if (ok) {
        /* The page's text up to its Items' end is kept as it is; Count and the rest are not. */
        if (sub.head.len && sub.page_items_end) {
            answer->page = sub.head;
            answer->page.len = sub.page_items_end;
            sub.head = (store_text){0};
            answer->last_key = sub.page_last_key;
            answer->count = sub.page_count;
            sub.page_last_key = NULL;
        }
        answer->resp = sub.resp;
        sub.resp = NULL;
    } else {
        if (sub.err.status == STORE_OK) store_fail(&sub.err, STORE_ERR_INTERNAL, "internal error");
        ctx->err = sub.err;
        cJSON_Delete(ctx->error_extra);
        ctx->error_extra = sub.error_extra;
        sub.error_extra = NULL;
    }
    ctx_close(&sub);
    return ok;
}

void emu_answer_clear(emu_answer *a)
{
    cJSON_Delete(a->resp);
    free(a->page.data);
    store_release(a->last_key);
    *a = (emu_answer){0};
}

/* Whether a byte below 0x20 other than tab, newline or carriage return is in p[0..n). */
static bool has_raw_control(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r') return true;
    return false;
}

static const char raw_control_message[] = "The request body holds a raw control character, which JSON does not allow";

const char *emu_json_text_problem(const char *text, size_t len)
{
    /* JSON is UTF-8 and allows no raw control characters but white space;
     * cJSON checks neither, so a stray byte would be stored and answered back.
     * Eight bytes at a time: most bodies are ASCII with no control bytes. */
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    const unsigned char *p = (const unsigned char *)text;
    bool ascii = true;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        ascii = ascii && !(w & highs);
        bool maybe_control = ((w - ones * 0x20) & ~w & highs) != 0;
        if (maybe_control && has_raw_control(p + i, 8)) return raw_control_message;
    }
    if (has_raw_control(p + i, len - i)) return raw_control_message;
    for (; i < len; i++) ascii = ascii && p[i] < 0x80;
    if (!ascii && u8_check(p, len)) return "The request body is not valid UTF-8";
    return NULL;
}

/* True if the JSON text escapes a NUL character (an odd run of backslashes before "u0000").
 * cJSON's strings end at a NUL, so such a string would be cut short: it is refused instead. */
static bool escapes_nul(const char *text, size_t len)
{
    const char *end = text + len;
    for (const char *p = text; (p = memchr(p, '\\', (size_t)(end - p))); p++) {
        if ((size_t)(end - p) < 6 || memcmp(p, "\\u0000", 6) != 0) continue;
        size_t run = 1;
        while (p - run >= text && p[-(ptrdiff_t)run] == '\\') run++;
        if (run % 2 == 1) return true;
    }
    return false;
}

/* The answer when even the answer cannot be made: 500 InternalServerError,
 * in a buffer of its own (NULL only when those few bytes cannot be had). */
static int out_of_memory(char **body, size_t *body_len)
{
    static const char text[] = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\","
                               "\"message\":\"out of memory\"}";
    *body = malloc(sizeof text);
    if (*body) memcpy(*body, text, sizeof text);
    *body_len = *body ? sizeof text - 1 : 0;
    return 500;
}

/* status with *body, or out_of_memory when *body could not be made. */
static int answered(int status, char **body, size_t *body_len)
{
    return *body ? status : out_of_memory(body, body_len);
}

int emu_call(store_db *db, const char *operation, const char *request, size_t len, char **body, size_t *body_len)
{
    return emu_call_from(db, operation, request, len, NULL, body, body_len);
}

int emu_call_from(store_db *db, const char *operation, const char *request, size_t len, const char *host,
                  char **body, size_t *body_len)
{
    const emu_operation *op = emu_find_operation(operation);
    if (!op) {
        *body = emu_error_body(STORE_ERR_UNKNOWN_OPERATION, NULL, NULL, body_len);
        return answered(400, body, body_len);
    }
    const char *bad_text = emu_json_text_problem(request, len);
    if (bad_text) {
        *body = emu_error_body(STORE_ERR_SERIALIZATION, bad_text, NULL, body_len);
        return answered(400, body, body_len);
    }
    if (escapes_nul(request, len)) {
        *body = emu_error_body(STORE_ERR_SERIALIZATION,
                               "dynemu does not support the NUL character (\\u0000) in strings", NULL, body_len);
        return answered(400, body, body_len);
    }
    emu_request_arena arena; /* not initialised: 16 KB the parse writes before it reads */
    cJSON *req = emu_request_arena_parse(&arena, request, len);
    cJSON *resp = req ? cJSON_CreateObject() : NULL;
    if (req && !resp) {
        emu_request_arena_end(&arena, req);
        return out_of_memory(body, body_len);
    }
    if (!cJSON_IsObject(req)) {
        cJSON_Delete(resp);
        emu_request_arena_end(&arena, req);
        /* AWS answers a body that is not JSON (or is empty) with no message. */
        *body = emu_error_body(STORE_ERR_SERIALIZATION, req ? "Start of structure or map found where not expected" : NULL,
                               NULL, body_len);
        return answered(400, body, body_len);
    }
    emu_ctx ctx; /* set member by member: an initializer would zero the 1 KB message every request */
    ctx_open(&ctx, db, req, resp, host);
    int status = 200;
    /* The request's shape first, as AWS checks it: before any table is looked up. */
    const emu_shape *shape = emu_shape_of(operation);
    if (shape && !emu_shape_check(shape, req, &ctx.err)) {
        status = emu_error_http_status(ctx.err.status);
        *body = emu_error_body(ctx.err.status, ctx.err.message, NULL, body_len);
    } else if (run(op, &ctx)) {
        if (ctx.answer) *body = ctx.answer, *body_len = ctx.answer_len, ctx.answer = NULL;
        else *body = answer_text(&ctx, body_len);
    } else {
        if (ctx.err.status == STORE_OK) store_fail(&ctx.err, STORE_ERR_INTERNAL, "internal error");
        status = emu_error_http_status(ctx.err.status);
        *body = emu_error_body(ctx.err.status, ctx.err.message, ctx.error_extra, body_len);
    }
    ctx_close(&ctx);
    emu_request_arena_end(&arena, req);
    return answered(status, body, body_len);
}
