/* emulator/ops/execute_transaction.c — ExecuteTransaction: up to 100 PartiQL
 * statements, all reads (a TransactGetItems) or all writes (a
 * TransactWriteItems: INSERT a Put, UPDATE an Update, DELETE a Delete,
 * EXISTS(SELECT ...) a ConditionCheck), all or nothing. The transaction
 * operations do the rest: CancellationReasons in statement order and
 * ClientRequestToken idempotency. An INSERT whose key exists is cancelled
 * as DuplicateItem, as AWS words it. */
#include "emulator/ops/ops.h"
#include "emulator/ops/partiql.h"
#include "emulator/ops/transaction.h"

#include <stdlib.h>
#include <string.h>

/* A transaction action's member for each compiled target. */
static const char *action_member(emu_pql_target t)
{
    switch (t) {
    case EMU_PQL_GET: return "Get";
    case EMU_PQL_PUT: return "Put";
    case EMU_PQL_UPDATE: return "Update";
    case EMU_PQL_DELETE: return "Delete";
    default: return "ConditionCheck";
    }
}

typedef struct tx_statements {
    emu_pql_compiled c[EMU_TX_MAX_ACTIONS];
    int n;
    int reads;
} tx_statements;

static bool compile_all(emu_ctx *ctx, const cJSON *list, tx_statements *all)
{
    const cJSON *s;
    all->n = all->reads = 0;
    cJSON_ArrayForEach(s, list) {
        const char *statement;
        const cJSON *params;
        if (all->n == EMU_TX_MAX_ACTIONS) break;
        emu_pql_compiled *c = &all->c[all->n];
        if (!emu_string(ctx, s, "Statement", &statement) || !emu_array(ctx, s, "Parameters", &params) ||
            !emu_pql_compile(ctx, statement, params, EMU_PQL_TRANSACTION, c))
            return false;
        all->n++;
        all->reads += emu_pql_reads(c);
        if (emu_present(s, "ReturnValuesOnConditionCheckFailure") && !emu_pql_reads(c))
            cJSON_AddItemToObject(c->req, "ReturnValuesOnConditionCheckFailure",
                                  cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(s, "ReturnValuesOnConditionCheckFailure"), true));
    }
    if (all->reads && all->reads != all->n)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "ExecuteTransaction API does not support both read and write operations in the same request.");
    return true;
}

/* The transaction request: each compiled request becomes an action (taken out of c). */
static cJSON *transaction_request(emu_ctx *ctx, tx_statements *all)
{
    cJSON *req = cJSON_CreateObject();
    cJSON *items = cJSON_AddArrayToObject(req, "TransactItems");
    for (int i = 0; i < all->n; i++) {
        cJSON *action = cJSON_CreateObject();
        cJSON_AddItemToObject(action, action_member(all->c[i].target), all->c[i].req);
        all->c[i].req = NULL;
        cJSON_AddItemToArray(items, action);
    }
    static const char *const members[] = {"ReturnConsumedCapacity", "ClientRequestToken"};
    for (size_t i = 0; i < (all->reads ? 1 : 2); i++)
        if (emu_present(ctx->req, members[i]))
            cJSON_AddItemToObject(req, members[i], cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(ctx->req, members[i]), true));
    return req;
}

/* An INSERT's failed condition is a duplicate key: its reason, and the
 * exception's list of codes, say so. */
static void name_duplicates(emu_ctx *ctx, const tx_statements *all)
{
    cJSON *reasons = cJSON_GetObjectItemCaseSensitive(ctx->error_extra, "CancellationReasons");
    if (!reasons) return;
    store_text codes = {0};
    store_text_put_literal(&codes, "Transaction cancelled, please refer cancellation reasons for specific reasons [");
    int i = 0;
    cJSON *r;
    cJSON_ArrayForEach(r, reasons) {
        cJSON *code = cJSON_GetObjectItemCaseSensitive(r, "Code");
        if (i < all->n && all->c[i].target == EMU_PQL_PUT && cJSON_IsString(code) &&
            strcmp(code->valuestring, "ConditionalCheckFailed") == 0) {
            cJSON_ReplaceItemInObjectCaseSensitive(r, "Code", cJSON_CreateString("DuplicateItem"));
            cJSON_DeleteItemFromObjectCaseSensitive(r, "Message");
            cJSON_AddStringToObject(r, "Message", "Duplicate primary key exists in table");
            code = cJSON_GetObjectItemCaseSensitive(r, "Code");
        }
        if (i++) store_text_put_literal(&codes, ", ");
        if (cJSON_IsString(code)) store_text_put(&codes, code->valuestring, strlen(code->valuestring));
    }
    store_text_put_literal(&codes, "]");
    char *message = store_text_finish(&codes, NULL);
    if (message) cJSON_ReplaceItemInObjectCaseSensitive(ctx->error_extra, "Message", cJSON_CreateString(message));
    free(message);
}

static void move(cJSON *from, const char *member, cJSON *to)
{
    cJSON *m = cJSON_DetachItemFromObjectCaseSensitive(from, member);
    if (m) cJSON_AddItemToObject(to, member, m);
}

bool emu_op_execute_transaction(emu_ctx *ctx)
{
    const cJSON *list;
    if (!emu_array(ctx, ctx->req, "TransactStatements", &list)) return false;
    tx_statements *all = malloc(sizeof *all);
    if (!all) return emu_oom(ctx);
    all->n = 0;
    bool ok = compile_all(ctx, list, all);
    cJSON *req = ok ? transaction_request(ctx, all) : NULL;
    emu_answer result = {0};
    if (ok) {
        ok = emu_call_compiled(ctx, all->reads ? "TransactGetItems" : "TransactWriteItems", req, &result);
        if (!ok && ctx->err.status == STORE_ERR_TRANSACTION) name_duplicates(ctx, all);
    }
    if (ok) {
        move(result.resp, "Responses", ctx->resp);
        move(result.resp, "ConsumedCapacity", ctx->resp);
    }
    cJSON_Delete(req); /* before the plans its actions refer into */
    for (int i = 0; i < all->n; i++) emu_pql_release(&all->c[i]);
    emu_answer_clear(&result);
    free(all);
    return ok;
}
