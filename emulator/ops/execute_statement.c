/* emulator/ops/execute_statement.c — ExecuteStatement: one PartiQL statement,
 * compiled onto GetItem, Query, Scan, PutItem, UpdateItem or DeleteItem
 * (partiql.c) and answered as Items.
 *
 * A Query's or a Scan's page of items is passed on as the text it wrote,
 * never parsed again. A read that stops early (Limit, or 1 MB of items read)
 * answers a NextToken:
 * the page's LastEvaluatedKey, tagged with a digest of the statement and its
 * parameters, so that a token only resumes the statement it came from.
 * A SELECT of several partition key values runs a Query per value and joins
 * their pages into one; its token also names the value to go on from. */
#include "emulator/ops/ops.h"
#include "emulator/ops/partiql.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define TOKEN_DIGEST_BYTES 8
#define MAX_TOKEN_LEN      32768   /* as the request shape allows */
/* Items of one page of a SELECT that queries several partition key values:
 * "Results are returned in pages of up to 10 items" (DynamoDB's page of
 * PartiQL operators, on IN). */
#define PARTITIONS_PAGE_ITEMS 10

/* Feeds a parameter's JSON to the digest: each node's type, name and text,
 * without printing it first. */
static uint64_t digest_json(uint64_t h, const cJSON *j)
{
    for (; j; j = j->next) {
        unsigned char type = (unsigned char)(j->type & 0xff);
        h = emu_pql_hash(h, &type, 1);
        if (j->string) h = emu_pql_hash(h, j->string, strlen(j->string) + 1);
        if (j->valuestring) h = emu_pql_hash(h, j->valuestring, strlen(j->valuestring) + 1);
        if (j->child) h = emu_pql_hash(digest_json(h, j->child), "", 1); /* where the children end */
    }
    return h;
}

/* A digest of what a NextToken belongs to: the statement and its parameters.
 * It tells one statement's token from another's (a 64-bit hash is plenty);
 * it is no seal against a forged token, which dynemu need not fear. */
static void statement_digest(const char *statement, const cJSON *params, char hex[2 * TOKEN_DIGEST_BYTES + 1])
{
    uint64_t h = emu_pql_hash(0x2545f4914f6cdd1dull, statement, strlen(statement) + 1);
    if (params) h = digest_json(h, params->child);
    for (int i = 2 * TOKEN_DIGEST_BYTES - 1; i >= 0; i--, h >>= 4) hex[i] = "0123456789abcdef"[h & 15];
    hex[2 * TOKEN_DIGEST_BYTES] = 0;
}

/* Writes the NextToken of a page that stopped at last_key, quoted: base64 of
 * {"s": digest, "k": key}, and "i": the partition key value it stopped at
 * when the statement queries each (partition >= 0; then key may be NULL). */
static void put_next_token(store_text *out, const char *statement, const cJSON *params, const store_value *last_key,
                           int partition)
{
    char digest[2 * TOKEN_DIGEST_BYTES + 1];
    statement_digest(statement, params, digest);
    store_text body = {0};
    store_text_put_literal(&body, "{\"s\":\"");
    store_text_put(&body, digest, strlen(digest));
    store_text_put_literal(&body, "\"");
    if (last_key) {
        store_text_put_literal(&body, ",\"k\":");
        store_text_item(&body, last_key);
    }
    if (partition >= 0) {
        store_text_put_literal(&body, ",\"i\":");
        store_text_put_integer(&body, partition);
    }
    store_text_put_literal(&body, "}");
    size_t n;
    char *json = store_text_finish(&body, &n);
    if (!json) { out->failed = true; return; }
    store_text_put_literal(out, "\"");
    store_text_put_base64(out, (const unsigned char *)json, n);
    store_text_put_literal(out, "\"");
    free(json);
}

/* Where a NextToken resumes: the ExclusiveStartKey (or NULL) and the
 * partition key value (-1 unless the statement queries each). */
typedef struct resume_at {
    cJSON *key;
    int partition;
} resume_at;

/* What a NextToken holds, if it belongs to this statement (partitions: how
 * many values it queries, 0 for one read). */
static bool start_at(emu_ctx *ctx, const char *token, const char *statement, const cJSON *params, int partitions,
                     resume_at *at)
{
    size_t len = strlen(token), n = 0;
    unsigned char *json = len <= MAX_TOKEN_LEN ? malloc(len + 1) : NULL;
    cJSON *body = NULL;
    if (json && sodium_base642bin(json, len, token, len, NULL, &n, NULL, sodium_base64_VARIANT_ORIGINAL) == 0)
        body = cJSON_ParseWithLength((const char *)json, n);
    free(json);
    const cJSON *digest = cJSON_GetObjectItemCaseSensitive(body, "s");
    const cJSON *partition = cJSON_GetObjectItemCaseSensitive(body, "i");
    at->key = cJSON_DetachItemFromObjectCaseSensitive(body, "k");
    at->partition = cJSON_IsNumber(partition) ? partition->valueint : -1;
    char expected[2 * TOKEN_DIGEST_BYTES + 1];
    statement_digest(statement, params, expected);
    bool valid = cJSON_IsString(digest) && (at->key ? cJSON_IsObject(at->key) : partition != NULL) &&
                 (partitions ? at->partition >= 0 && at->partition < partitions : !partition);
    bool matches = valid && strcmp(digest->valuestring, expected) == 0;
    cJSON_Delete(body);
    if (matches) return true;
    cJSON_Delete(at->key);
    at->key = NULL;
    return store_fail(&ctx->err, STORE_ERR_VALIDATION, valid ? "NextToken does not match request" : "Invalid NextToken");
}

/* Copies the request's members named onto the compiled request. */
/* False when out of memory: an option left out would change the answer. */
static bool copy_members(emu_ctx *ctx, const char *const *members, emu_pql_compiled *c)
{
    for (const char *const *m = members; *m; m++)
        if (emu_present(ctx->req, *m) &&
            !store_json_add(c->req, *m, cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(ctx->req, *m), true)))
            return emu_oom(ctx);
    return true;
}

static const char *const read_members[] = {"ConsistentRead", "ReturnConsumedCapacity", NULL};

/* The request's options, on the compiled request where its operation takes them. */
static bool add_options(emu_ctx *ctx, const char *statement, const cJSON *params, emu_pql_compiled *c)
{
    static const char *const page_members[] = {"Limit", NULL};
    static const char *const write_members[] = {"ReturnConsumedCapacity", "ReturnValuesOnConditionCheckFailure", NULL};
    bool pages = c->target == EMU_PQL_QUERY || c->target == EMU_PQL_SCAN;
    if (!copy_members(ctx, emu_pql_reads(c) ? read_members : write_members, c) ||
        (pages && !copy_members(ctx, page_members, c)))
        return false;
    const char *token;
    if (!emu_string(ctx, ctx->req, "NextToken", &token)) return false;
    if (!token || !pages) return true;
    resume_at at;
    if (!start_at(ctx, token, statement, params, 0, &at)) return false;
    return store_json_add(c->req, "ExclusiveStartKey", at.key) || emu_oom(ctx);
}

/* Moves member of from (if there) into to as as; false when out of memory. */
static bool move(cJSON *from, const char *member, cJSON *to, const char *as)
{
    cJSON *m = cJSON_DetachItemFromObjectCaseSensitive(from, member);
    return !m || store_json_add(to, as, m);
}

/* A page's Items go on as the opening of the answer, as the page wrote them,
 * and so do NextToken and LastEvaluatedKey, written as text there. */
static bool answer_page(emu_ctx *ctx, emu_answer *result, const char *statement, const cJSON *params)
{
    free(ctx->head.data);
    ctx->head = result->page;
    result->page = (store_text){0};
    if (!result->last_key) return true;
    store_text_put_literal(&ctx->head, ",\"NextToken\":");
    put_next_token(&ctx->head, statement, params, result->last_key, -1);
    store_text_put_literal(&ctx->head, ",\"LastEvaluatedKey\":");
    store_text_item(&ctx->head, result->last_key);
    return !ctx->head.failed || emu_oom(ctx);
}

/* The operation's answer as ExecuteStatement's: Items, NextToken, ConsumedCapacity. */
static bool answer(emu_ctx *ctx, const emu_pql_compiled *c, emu_answer *result, const char *statement,
                   const cJSON *params)
{
    if (result->page.len) {
        if (!answer_page(ctx, result, statement, params)) return false;
    } else {
        cJSON *items = cJSON_AddArrayToObject(ctx->resp, "Items");
        const char *single = c->target == EMU_PQL_GET ? "Item" : c->returning ? "Attributes" : NULL;
        cJSON *one = single ? cJSON_DetachItemFromObjectCaseSensitive(result->resp, single) : NULL;
        if (!items || (one && !store_json_add(items, NULL, one))) {
            if (!items) cJSON_Delete(one);
            return emu_oom(ctx);
        }
    }
    return move(result->resp, "ConsumedCapacity", ctx->resp, "ConsumedCapacity") || emu_oom(ctx);
}

/* A page's items, the text between its "[" and "]", after those of items so far. */
static void append_items(store_text *items, long long count_before, const store_text *page)
{
    static const char opening[] = "{\"Items\":[";
    size_t skip = sizeof opening - 1;
    if (page->len <= skip + 1) return; /* "[]" */
    if (count_before) store_text_put_literal(items, ",");
    store_text_put(items, page->data + skip, page->len - skip - 1);
}

/* Runs the Query of partition key value i for at most limit items,
 * resuming after key (taken; or NULL), into items; *stop: its LastEvaluatedKey. */
static bool query_partition(emu_ctx *ctx, emu_pql_compiled *c, const cJSON *params, int i, long long limit,
                            cJSON *key, store_text *items, long long *count, cJSON *capacity, store_value **stop)
{
    if (!emu_pql_bind_partition(ctx, c, params, i)) { cJSON_Delete(key); return false; }
    /* A Query without its limit or its start would answer other items. */
    if (!copy_members(ctx, read_members, c) || !cJSON_AddNumberToObject(c->req, "Limit", (double)limit)) {
        cJSON_Delete(key);
        return emu_oom(ctx);
    }
    if (key && !store_json_add(c->req, "ExclusiveStartKey", key)) return emu_oom(ctx);
    emu_answer r = {0};
    if (!emu_pql_run(ctx, c, &r)) return false;
    append_items(items, *count, &r.page);
    *count += r.count;
    const cJSON *consumed = cJSON_GetObjectItemCaseSensitive(r.resp, "ConsumedCapacity");
    bool ok = !consumed || emu_pql_add_capacity(capacity, consumed);
    *stop = r.last_key;
    r.last_key = NULL;
    emu_answer_clear(&r);
    return ok || emu_oom(ctx);
}

/* `pk IN (...)` and `pk = a OR pk = b`: a Query per value, in the
 * statement's order, a page of at most PARTITIONS_PAGE_ITEMS (or Limit)
 * items; the NextToken names the value to go on from. */
static bool answer_partitions(emu_ctx *ctx, emu_pql_compiled *c, const char *statement, const cJSON *params)
{
    const char *token;
    resume_at at = {NULL, 0};
    const cJSON *limit_json = cJSON_GetObjectItemCaseSensitive(ctx->req, "Limit");
    if (!emu_string(ctx, ctx->req, "NextToken", &token) ||
        (token && !start_at(ctx, token, statement, params, c->partitions, &at)))
        return false;
    long long room = PARTITIONS_PAGE_ITEMS;
    if (cJSON_IsNumber(limit_json) && limit_json->valuedouble < room) room = (long long)limit_json->valuedouble;
    store_text items = {0};
    long long count = 0;
    cJSON *capacity = cJSON_CreateArray();
    store_value *stop = NULL;
    int i = at.partition;
    bool ok = capacity || emu_oom(ctx);
    for (; ok && i < c->partitions && !stop && count < room; i++) {
        ok = query_partition(ctx, c, params, i, room - count, i == at.partition ? at.key : NULL, &items, &count,
                             capacity, &stop);
        if (stop) break; /* resumes in this partition */
    }
    if (ok) {
        store_text_put_literal(&ctx->head, "{\"Items\":[");
        store_text_put(&ctx->head, items.data ? items.data : "", items.len);
        store_text_put_literal(&ctx->head, "]");
        if (stop || i < c->partitions) {
            store_text_put_literal(&ctx->head, ",\"NextToken\":");
            put_next_token(&ctx->head, statement, params, stop, i);
        }
        if (stop) {
            store_text_put_literal(&ctx->head, ",\"LastEvaluatedKey\":");
            store_text_item(&ctx->head, stop);
        }
        if (capacity->child) ok = store_json_add(ctx->resp, "ConsumedCapacity", cJSON_DetachItemFromArray(capacity, 0));
        ok = (ok && !ctx->head.failed) || emu_oom(ctx);
    }
    store_release(stop);
    free(items.data);
    cJSON_Delete(capacity);
    return ok;
}

/* A write's answer, made where the write is ready to commit (so that one
 * that cannot be made refuses the write with nothing changed). */
typedef struct write_answer {
    emu_ctx *outer;
    const emu_pql_compiled *c;
    const char *statement;
    const cJSON *params;
    bool made;
} write_answer;

static bool answer_before_commit(emu_ctx *inner, void *arg)
{
    write_answer *w = arg;
    emu_answer r = {.resp = inner->resp};
    w->made = answer(w->outer, w->c, &r, w->statement, w->params) && emu_answer_ready(w->outer);
    if (!w->made) inner->err = w->outer->err;
    return w->made;
}

/* The statement's operation, then its answer (already made for a write). */
static bool run(emu_ctx *ctx, emu_pql_compiled *c, const char *statement, const cJSON *params)
{
    emu_answer result = {0};
    write_answer w = {ctx, c, statement, params, false};
    bool ok = add_options(ctx, statement, params, c) &&
              (emu_pql_reads(c) ? emu_pql_run(ctx, c, &result)
                                : emu_pql_run_ready(ctx, c, &result, answer_before_commit, &w)) &&
              (w.made || answer(ctx, c, &result, statement, params));
    emu_answer_clear(&result);
    return ok;
}

bool emu_op_execute_statement(emu_ctx *ctx)
{
    const char *statement;
    const cJSON *params;
    if (!emu_string(ctx, ctx->req, "Statement", &statement) || !emu_array(ctx, ctx->req, "Parameters", &params))
        return false;
    emu_pql_compiled c;
    if (!emu_pql_compile(ctx, statement, params, EMU_PQL_EXECUTE, &c)) return false;
    bool ok = c.partitions ? answer_partitions(ctx, &c, statement, params) : run(ctx, &c, statement, params);
    emu_pql_release(&c);
    return ok;
}
