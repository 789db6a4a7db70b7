/* emulator/ops/transaction.c — the pieces TransactWriteItems and
 * TransactGetItems share: TransactItems' limits, the checks of a whole
 * transaction before it opens, CancellationReasons, and the
 * ClientRequestToken table kept on the database. */
#include "emulator/ops/transaction.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/hash.h"

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

bool emu_tx_check_entries(emu_ctx *ctx, emu_violations *v, const cJSON *items, emu_tx_entry_check check)
{
    emu_tx_check_items(v, items);
    int index = 0;
    const cJSON *entry;
    if (cJSON_GetArraySize(items) <= EMU_TX_MAX_ACTIONS)
        cJSON_ArrayForEach(entry, items)
            if (!check(ctx, v, entry, ++index)) return false;
    return emu_violations_done(ctx, v);
}

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
    const store_value *values[2] = {t->pk, t->sk};
    for (int i = 0; i < 2; i++) {
        const store_value *v = values[i];
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
    if (!a->pk || !b->pk || !store_value_equal(a->pk, b->pk)) return false;
    if (!a->table->key.names.sk_name) return true;
    return a->sk && b->sk && store_value_equal(a->sk, b->sk);
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
        /* Found once: every pair of actions is compared below, up to 4,950 pairs. */
        t->pk = attribute(t->item, t->table->key.names.pk_name);
        t->sk = attribute(t->item, t->table->key.names.sk_name);
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

static const char *const code_names[] = {
    [EMU_TX_NONE] = "None",
    [EMU_TX_CONDITION_FAILED] = "ConditionalCheckFailed",
    [EMU_TX_VALIDATION_ERROR] = "ValidationError",
};

bool emu_tx_reasons_open(emu_tx_reasons *r, int n)
{
    r->list = calloc((size_t)(n ? n : 1), sizeof *r->list);
    r->n = n;
    r->cancelled = false;
    return r->list != NULL;
}

void emu_tx_reason_validation(emu_tx_reasons *r, int i, const char *message)
{
    r->list[i].code = EMU_TX_VALIDATION_ERROR;
    r->list[i].message = strdup(message);
    r->cancelled = true;
}

void emu_tx_reason_condition_failed(emu_tx_reasons *r, int i, const store_value *old)
{
    r->list[i].code = EMU_TX_CONDITION_FAILED;
    r->list[i].item = store_retain((store_value *)old);
    r->cancelled = true;
}

/* {"Code": ..., "Item": ..., "Message": ...}, members in AWS's order. */
static cJSON *reason_json(const emu_tx_reason *reason)
{
    cJSON *json = cJSON_CreateObject();
    cJSON_AddStringToObject(json, "Code", code_names[reason->code]);
    if (reason->item) emu_add_item(json, "Item", reason->item, NULL);
    if (reason->code == EMU_TX_CONDITION_FAILED) cJSON_AddStringToObject(json, "Message", "The conditional request failed");
    if (reason->code == EMU_TX_VALIDATION_ERROR)
        cJSON_AddStringToObject(json, "Message", reason->message ? reason->message : "");
    return json;
}

/* "Transaction cancelled, ... [None, ConditionalCheckFailed]", malloc'd. */
static char *cancel_message(const emu_tx_reasons *r)
{
    static const char head[] = "Transaction cancelled, please refer cancellation reasons for specific reasons [";
    size_t cap = sizeof head + 2, len;
    for (int i = 0; i < r->n; i++) cap += strlen(code_names[r->list[i].code]) + 2;
    char *text = malloc(cap);
    if (!text) return NULL;
    len = (size_t)snprintf(text, cap, "%s", head);
    for (int i = 0; i < r->n; i++)
        len += (size_t)snprintf(text + len, cap - len, "%s%s", i ? ", " : "", code_names[r->list[i].code]);
    snprintf(text + len, cap - len, "]");
    return text;
}

bool emu_tx_cancel(emu_ctx *ctx, const emu_tx_reasons *r)
{
    cJSON *list = cJSON_CreateArray();
    for (int i = 0; i < r->n; i++) cJSON_AddItemToArray(list, reason_json(&r->list[i]));
    char *message = cancel_message(r);
    cJSON_Delete(ctx->error_extra);
    ctx->error_extra = cJSON_CreateObject();
    cJSON_AddItemToObject(ctx->error_extra, "CancellationReasons", list);
    /* AWS spells this exception's member "Message", and with many actions the list of codes
     * outgrows store_error's message: it travels beside the reasons, and the error itself
     * carries no message of its own. */
    if (message) cJSON_AddStringToObject(ctx->error_extra, "Message", message);
    free(message);
    return store_fail(&ctx->err, STORE_ERR_TRANSACTION, "%s", "");
}

void emu_tx_reasons_close(emu_tx_reasons *r)
{
    for (int i = 0; r->list && i < r->n; i++) {
        free(r->list[i].message);
        store_release(r->list[i].item);
    }
    free(r->list);
    r->list = NULL;
}

/* ---- ClientRequestToken ---- */

/* What a token remembers of its request: two 64-bit hashes of the JSON, blind to the
 * order of object members and to spacing, since "the same request" means the same
 * parameters. 16 bytes rather than the request keep a token cheap to hold for ten minutes
 * (the SDKs send one with every transaction). */
typedef struct tx_fingerprint {
    uint64_t a, b;
} tx_fingerprint;

static uint64_t mix(uint64_t x)   /* splitmix64's finaliser */
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static uint64_t hash_text(const char *s, uint64_t seed)
{
    uint64_t h = seed ^ 0xcbf29ce484222325ULL;   /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return mix(h);
}

static uint64_t hash_json(const cJSON *j, uint64_t seed)
{
    uint64_t h = mix(seed + (uint64_t)(j->type & 0xff)), sum = 0, bits;
    const cJSON *child;
    if (cJSON_IsString(j) || cJSON_IsRaw(j)) return h ^ hash_text(j->valuestring, seed);
    if (cJSON_IsNumber(j)) {
        memcpy(&bits, &j->valuedouble, sizeof bits);
        return mix(h ^ bits);
    }
    if (cJSON_IsArray(j)) {
        cJSON_ArrayForEach(child, j) h = mix(h * 31 + hash_json(child, seed));
        return h;
    }
    /* An object's members are summed, so their order does not count; a name and its value
     * are not interchangeable. (true, false and null have no members: their type is all.) */
    cJSON_ArrayForEach(child, j) sum += mix(hash_text(child->string, seed) + mix(hash_json(child, seed)));
    return mix(h ^ sum);
}

static tx_fingerprint fingerprint(const cJSON *request)
{
    return (tx_fingerprint){hash_json(request, 0x9e3779b97f4a7c15ULL), hash_json(request, 0x2545f4914f6cdd1dULL)};
}

typedef struct tx_token {
    char *token;
    tx_fingerprint request;  /* to tell a retry from another request */
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
    tx_fingerprint asked = fingerprint(ctx->req);
    if (asked.a != e->request.a || asked.b != e->request.b) {
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
    e->request = fingerprint(ctx->req);
    e->answer = completed ? cJSON_Duplicate(ctx->resp, true) : NULL;
    e->at_ms = store_db_now_ms(ctx->db);
    /* Out of memory, the token is simply not remembered: a retry runs again. */
    if (!e->token || (completed && !e->answer)) {
        token_free(e);
        return;
    }
    HASH_ADD_KEYPTR(hh, all->by_token, e->token, strlen(e->token), e);
    if (!STORE_HASH_ADDED(e)) token_free(e);
}
