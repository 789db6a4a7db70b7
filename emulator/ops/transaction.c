/* emulator/ops/transaction.c — the pieces TransactWriteItems and
 * TransactGetItems share: TransactItems' limits, the checks of a whole
 * transaction before it opens, CancellationReasons, and the
 * ClientRequestToken table kept on the database. */
#include "emulator/ops/transaction.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uthash.h>

/* ---- the request as a whole ---- */

void emu_tx_check_items(emu_violations *v, const cJSON *items)
{
    if (!items) {
        emu_require(v, items, "transactItems");
        return;
    }
    int n = cJSON_GetArraySize(items);
    if (n < 1)
        emu_violation(v, "Value '[]' at 'transactItems' failed to satisfy constraint: "
                         "Member must have length greater than or equal to 1");
    /* AWS echoes the list here as Java prints it ("[...TransactWriteItem@1f2e3d4c, ...]"); an
     * echo of a hundred actions does not fit a message, so the value is left out, as for
     * other long lists. */
    if (n > EMU_TX_MAX_ACTIONS)
        emu_violation(v, "Value at 'transactItems' failed to satisfy constraint: "
                         "Member must have length less than or equal to %d", EMU_TX_MAX_ACTIONS);
}

static const char *const consumed_capacity_values[] = {"INDEXES", "TOTAL", "NONE", NULL};

void emu_tx_check_return_consumed_capacity(emu_violations *v, const char *value)
{
    emu_check_enum(v, value, "returnConsumedCapacity", consumed_capacity_values, "[INDEXES, TOTAL, NONE]");
}

/* ---- the targets of the actions, before the transaction opens ---- */

static const store_value *attribute(const store_value *item, const store_value *name)
{
    return name ? store_map_get(item, store_bytes(name), name->len) : NULL;
}

/* AWS checks empty key values with the request; every other key fault cancels the action. */
static bool refuse_empty_key_values(emu_ctx *ctx, const emu_tx_target *t)
{
    const store_value *names[2] = {t->table->key.names.pk_name, t->table->key.names.sk_name};
    for (int i = 0; i < 2; i++) {
        const store_value *v = attribute(t->item, names[i]);
        if (v && (v->type == STORE_S || v->type == STORE_B) && v->len == 0)
            return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                              "One or more parameter values are not valid. The AttributeValue for a key attribute "
                              "cannot contain an empty %s value. Key: %s",
                              v->type == STORE_S ? "string" : "binary", store_bytes(names[i]));
    }
    return true;
}

static bool same_item(const emu_tx_target *a, const emu_tx_target *b)
{
    if (a->table != b->table) return false;
    const store_key_schema *k = &a->table->key;
    const store_value *pa = attribute(a->item, k->names.pk_name), *pb = attribute(b->item, k->names.pk_name);
    if (!pa || !pb || !store_value_equal(pa, pb)) return false;
    if (!k->names.sk_name) return true;
    const store_value *sa = attribute(a->item, k->names.sk_name), *sb = attribute(b->item, k->names.sk_name);
    return sa && sb && store_value_equal(sa, sb);
}

static emu_tx_target *target(void *actions, size_t stride, int i)
{
    return (emu_tx_target *)((char *)actions + stride * (size_t)i);
}

bool emu_tx_open(emu_ctx *ctx, void *actions, size_t stride, int n)
{
    for (int i = 0; i < n; i++) {
        emu_tx_target *t = target(actions, stride, i);
        const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(t->json, "TableName"));
        if (!(t->table = emu_table(ctx, name))) return false;
    }
    for (int i = 0; i < n; i++)
        if (!refuse_empty_key_values(ctx, target(actions, stride, i))) return false;
    for (int i = 1; i < n; i++)
        for (int j = 0; j < i; j++)
            if (same_item(target(actions, stride, i), target(actions, stride, j)))
                return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                                  "Transaction request cannot include multiple operations on one item");
    return true;
}

/* ---- CancellationReasons ---- */

bool emu_tx_reasons_open(emu_tx_reasons *r)
{
    r->list = cJSON_CreateArray();
    r->cancelled = false;
    return r->list != NULL;
}

static cJSON *add_reason(emu_tx_reasons *r, const char *code)
{
    cJSON *reason = cJSON_CreateObject();
    cJSON_AddStringToObject(reason, "Code", code);
    cJSON_AddItemToArray(r->list, reason);
    if (strcmp(code, "None") != 0) r->cancelled = true;
    return reason;
}

void emu_tx_reason_none(emu_tx_reasons *r) { add_reason(r, "None"); }

void emu_tx_reason_validation(emu_tx_reasons *r, const char *message)
{
    cJSON_AddStringToObject(add_reason(r, "ValidationError"), "Message", message);
}

void emu_tx_reason_condition_failed(emu_tx_reasons *r, const store_value *old)
{
    cJSON *reason = add_reason(r, "ConditionalCheckFailed");
    if (old) emu_add_item(reason, "Item", old, NULL);
    cJSON_AddStringToObject(reason, "Message", "The conditional request failed");
}

static const char *code_of(const cJSON *reason)
{
    const char *code = cJSON_GetStringValue(cJSON_GetObjectItem(reason, "Code"));
    return code ? code : "";
}

/* "Transaction cancelled, ... [None, ConditionalCheckFailed]", malloc'd. */
static char *cancel_message(const cJSON *list)
{
    static const char head[] = "Transaction cancelled, please refer cancellation reasons for specific reasons [";
    size_t cap = sizeof head + 2, len = 0;
    const cJSON *reason;
    cJSON_ArrayForEach(reason, list) cap += strlen(code_of(reason)) + 2;
    char *text = malloc(cap);
    if (!text) return NULL;
    len = (size_t)snprintf(text, cap, "%s", head);
    cJSON_ArrayForEach(reason, list)
        len += (size_t)snprintf(text + len, cap - len, "%s%s", reason == list->child ? "" : ", ", code_of(reason));
    snprintf(text + len, cap - len, "]");
    return text;
}

bool emu_tx_cancel(emu_ctx *ctx, emu_tx_reasons *r)
{
    char *message = cancel_message(r->list);
    cJSON_Delete(ctx->error_extra);
    ctx->error_extra = cJSON_CreateObject();
    cJSON_AddItemToObject(ctx->error_extra, "CancellationReasons", r->list);
    r->list = NULL;
    /* AWS spells this exception's member "Message", and with many actions the list of codes
     * outgrows store_error's message: it travels beside the reasons, and the error itself
     * carries no message of its own. */
    if (message) cJSON_AddStringToObject(ctx->error_extra, "Message", message);
    free(message);
    return store_fail(&ctx->err, STORE_ERR_TRANSACTION, "%s", "");
}

void emu_tx_reasons_close(emu_tx_reasons *r)
{
    cJSON_Delete(r->list);
    r->list = NULL;
}

/* ---- ClientRequestToken ---- */

typedef struct tx_token {
    char *token;
    cJSON *request;         /* to tell a retry from another request */
    cJSON *answer;          /* of the completed transaction; NULL after a cancellation */
    int64_t at_ms;          /* by the database's clock */
    UT_hash_handle hh;
} tx_token;

typedef struct tx_tokens {
    tx_token *by_token;     /* in the order recorded, so the oldest come first */
} tx_tokens;

static void token_free(tx_token *e)
{
    free(e->token);
    cJSON_Delete(e->request);
    cJSON_Delete(e->answer);
    free(e);
}

static void tokens_free(void *p)
{
    tx_tokens *all = p;
    tx_token *e, *tmp;
    HASH_ITER(hh, all->by_token, e, tmp) {
        HASH_DEL(all->by_token, e);
        token_free(e);
    }
    free(all);
}

/* The database's table, made on first use (the database frees it). */
static tx_tokens *tokens_of(store_db *db, bool create)
{
    if (!db->tx_tokens && create && (db->tx_tokens = calloc(1, sizeof(tx_tokens))))
        db->tx_tokens_free = tokens_free;
    return db->tx_tokens;
}

static bool expired(const tx_token *e, int64_t now) { return now - e->at_ms >= EMU_TX_TOKEN_LIFETIME_MS; }

/* Drops the expired tokens at the front. (After the clock is set back, a later one may
 * outlive an earlier: it is only freed later, lookups still treat it as gone.) */
static void prune(tx_tokens *all, int64_t now)
{
    tx_token *e, *tmp;
    HASH_ITER(hh, all->by_token, e, tmp) {
        if (!expired(e, now)) break;
        HASH_DEL(all->by_token, e);
        token_free(e);
    }
}

static void replay(emu_ctx *ctx, const cJSON *answer)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, answer) cJSON_AddItemToObject(ctx->resp, m->string, cJSON_Duplicate(m, true));
}

emu_tx_token_state emu_tx_token_lookup(emu_ctx *ctx, const char *token)
{
    tx_tokens *all = token ? tokens_of(ctx->db, false) : NULL;
    if (!all) return EMU_TX_TOKEN_NEW;
    int64_t now = store_db_now_ms(ctx->db);
    prune(all, now);
    tx_token *e;
    HASH_FIND_STR(all->by_token, token, e);
    if (!e || expired(e, now)) return EMU_TX_TOKEN_NEW;
    if (!cJSON_Compare(e->request, ctx->req, true)) {
        store_fail(&ctx->err, STORE_ERR_IDEMPOTENT,
                   "The request uses the same client token as a previous, but non-identical request.");
        return EMU_TX_TOKEN_MISMATCH;
    }
    if (!e->answer) return EMU_TX_TOKEN_NEW;
    replay(ctx, e->answer);
    return EMU_TX_TOKEN_REPLAYED;
}

void emu_tx_token_record(emu_ctx *ctx, const char *token, bool completed)
{
    tx_tokens *all = token ? tokens_of(ctx->db, true) : NULL;
    if (!all) return;
    tx_token *e;
    HASH_FIND_STR(all->by_token, token, e);
    if (e) {
        HASH_DEL(all->by_token, e);
        token_free(e);
    }
    if (!(e = calloc(1, sizeof *e))) return;
    e->token = strdup(token);
    e->request = cJSON_Duplicate(ctx->req, true);
    e->answer = completed ? cJSON_Duplicate(ctx->resp, true) : NULL;
    e->at_ms = store_db_now_ms(ctx->db);
    /* Out of memory, the token is simply not remembered: a retry runs again. */
    if (!e->token || !e->request || (completed && !e->answer)) {
        token_free(e);
        return;
    }
    HASH_ADD_KEYPTR(hh, all->by_token, e->token, strlen(e->token), e);
}
