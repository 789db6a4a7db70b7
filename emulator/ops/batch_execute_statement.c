/* emulator/ops/batch_execute_statement.c — BatchExecuteStatement: up to 25
 * PartiQL statements, all reads (each by its full key, a GetItem) or all
 * writes, each run on its own through its operation; a statement that fails
 * answers its own Error {Code, Message, Item} in its place and the request
 * itself succeeds. */
#include "emulator/ops/capacity.h"
#include "emulator/ops/ops.h"
#include "emulator/ops/partiql.h"

#include <string.h>

#define EMU_BATCH_MAX_STATEMENTS 25   /* also the request shape's limit */

/* BatchStatementError's Code for an error status. */
static const char *error_code(store_status s)
{
    switch (s) {
    case STORE_ERR_CONDITION: return "ConditionalCheckFailed";
    case STORE_ERR_NOT_FOUND: return "ResourceNotFound";
    case STORE_ERR_DUPLICATE_ITEM: return "DuplicateItem";
    case STORE_ERR_INTERNAL: return "InternalServerError";
    default: return "ValidationError";
    }
}

typedef struct batch_entry {
    const cJSON *json;
    emu_pql_compiled c;
    bool compiled;
    store_error err;        /* when not compiled, why */
} batch_entry;

/* The error ctx holds becomes the entry's Error; ctx is clear for the next statement. */
static cJSON *take_error(emu_ctx *ctx)
{
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "Code", error_code(ctx->err.status));
    cJSON_AddStringToObject(e, "Message", ctx->err.message);
    cJSON *item = cJSON_DetachItemFromObjectCaseSensitive(ctx->error_extra, "Item");
    if (item) cJSON_AddItemToObject(e, "Item", item);
    cJSON_Delete(ctx->error_extra);
    ctx->error_extra = NULL;
    ctx->err.status = STORE_OK;
    ctx->err.message[0] = 0;
    return e;
}

static void compile_entry(emu_ctx *ctx, batch_entry *e)
{
    const char *statement;
    const cJSON *params;
    e->compiled = emu_string(ctx, e->json, "Statement", &statement) && emu_array(ctx, e->json, "Parameters", &params) &&
                  emu_pql_compile(ctx, statement, params, EMU_PQL_BATCH, &e->c);
    e->err = ctx->err;
    ctx->err.status = STORE_OK;
    ctx->err.message[0] = 0;
}

static void copy_member(const cJSON *from, const char *member, cJSON *to)
{
    if (emu_present(from, member))
        cJSON_AddItemToObject(to, member, cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(from, member), true));
}

/* Runs one compiled statement; its response (Item or Error) goes into out. */
static void run_entry(emu_ctx *ctx, batch_entry *e, cJSON *out, cJSON *capacity)
{
    cJSON_AddStringToObject(out, "TableName", e->c.table);
    copy_member(ctx->req, "ReturnConsumedCapacity", e->c.req);
    copy_member(e->json, emu_pql_reads(&e->c) ? "ConsistentRead" : "ReturnValuesOnConditionCheckFailure", e->c.req);
    emu_answer result;
    if (!emu_pql_run(ctx, &e->c, &result)) {
        cJSON_AddItemToObject(out, "Error", take_error(ctx));
        return;
    }
    cJSON *item = cJSON_DetachItemFromObjectCaseSensitive(result.resp, "Item");
    if (item) cJSON_AddItemToObject(out, "Item", item);
    const cJSON *consumed = cJSON_GetObjectItemCaseSensitive(result.resp, "ConsumedCapacity");
    if (consumed) emu_pql_add_capacity(capacity, consumed);
    emu_answer_clear(&result);
}

static bool mixes_reads_and_writes(emu_ctx *ctx, const batch_entry *entries, int n)
{
    int reads = 0, writes = 0;
    for (int i = 0; i < n; i++) {
        if (!entries[i].compiled) continue;
        if (emu_pql_reads(&entries[i].c)) reads++;
        else writes++;
    }
    if (!reads || !writes) return false;
    return !store_fail(&ctx->err, STORE_ERR_VALIDATION,
                       "BatchExecuteStatement API does not support both read and write operations in the same request.");
}

bool emu_op_batch_execute_statement(emu_ctx *ctx)
{
    const cJSON *statements;
    if (!emu_array(ctx, ctx->req, "Statements", &statements)) return false;
    batch_entry entries[EMU_BATCH_MAX_STATEMENTS];
    int n = 0;
    const cJSON *s;
    cJSON_ArrayForEach(s, statements) {
        if (n == EMU_BATCH_MAX_STATEMENTS) break;
        entries[n].json = s;
        compile_entry(ctx, &entries[n++]);
    }
    bool ok = !mixes_reads_and_writes(ctx, entries, n);
    cJSON *responses = cJSON_AddArrayToObject(ctx->resp, "Responses");
    cJSON *capacity = cJSON_CreateArray();
    for (int i = 0; i < n; i++) {
        cJSON *out = ok ? cJSON_CreateObject() : NULL;
        if (out && entries[i].compiled) {
            run_entry(ctx, &entries[i], out, capacity);
        } else if (out) {
            ctx->err = entries[i].err;
            cJSON_AddItemToObject(out, "Error", take_error(ctx));
        }
        if (out) cJSON_AddItemToArray(responses, out);
        if (entries[i].compiled) emu_pql_release(&entries[i].c);
    }
    if (ok && capacity->child) cJSON_AddItemToObject(ctx->resp, "ConsumedCapacity", capacity);
    else cJSON_Delete(capacity);
    return ok;
}
