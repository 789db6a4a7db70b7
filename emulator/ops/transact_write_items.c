/* emulator/ops/transact_write_items.c — TransactWriteItems: up to 100 Put,
 * Update, Delete and ConditionCheck actions over one or more tables, applied
 * all or nothing.
 *
 * The operation holds the database's write lock, so a transaction is atomic
 * by construction. It goes in AWS's order: what the request alone shows
 * wrong is refused with a ValidationException before anything is looked at
 * (each action validated as its single-item counterpart would be); then the
 * tables, empty key values and two actions on one item; then every action is
 * checked against the items as they are — key schema, condition, the update's
 * result — and any failure cancels the whole transaction with one reason per
 * action; only then is every write applied. A ClientRequestToken makes the
 * request idempotent for ten minutes (transaction.c). */
#include "emulator/ops/capacity.h"
#include "emulator/ops/ops.h"
#include "emulator/ops/transaction.h"
#include "emulator/ops/update_item.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The per-table capacity list has room for a table per action. */
_Static_assert(EMU_MAX_TABLES_PER_REQUEST >= EMU_TX_MAX_ACTIONS, "a capacity entry per action");

typedef enum tx_kind { TX_CONDITION_CHECK, TX_DELETE, TX_PUT, TX_UPDATE, TX_KINDS } tx_kind;

/* Each kind's member in TransactItems and its name in violation messages. */
static const struct {
    const char *member, *field;
} kinds[TX_KINDS] = {
    [TX_CONDITION_CHECK] = {"ConditionCheck", "conditionCheck"},
    [TX_DELETE] = {"Delete", "delete"},
    [TX_PUT] = {"Put", "put"},
    [TX_UPDATE] = {"Update", "update"},
};

typedef struct tx_action {
    emu_tx_target t;            /* first, for emu_tx_open: a Put's item, the key of the others */
    tx_kind kind;
    emu_env env;
    store_condition *condition; /* NULL: unconditional */
    bool return_old_on_failure; /* ReturnValuesOnConditionCheckFailure ALL_OLD */
    store_update *update;
    store_value *new_item;      /* what an Update writes, once checked */
} tx_action;

/* ---- the members of the request (constraint violations, reported together) ---- */

static const char *const on_failure_values[] = {"ALL_OLD", "NONE", NULL};
static const char *const metrics_values[] = {"SIZE", "NONE", NULL};

static void check_token(emu_violations *v, const char *token)
{
    size_t len = token ? strlen(token) : 1;
    if (len < 1 || len > EMU_TX_MAX_TOKEN_LEN)
        emu_violation(v, "Value '%s' at 'clientRequestToken' failed to satisfy constraint: "
                         "Member must have length %s than or equal to %d",
                      token, len < 1 ? "greater" : "less", len < 1 ? 1 : EMU_TX_MAX_TOKEN_LEN);
}

/* The members an action of kind k must have. */
typedef struct action_members {
    const char *table, *update_expr, *condition_expr, *on_failure;
    const cJSON *item;          /* Item of a Put, Key of the others */
} action_members;

static bool read_members(emu_ctx *ctx, tx_kind k, const cJSON *obj, action_members *m)
{
    m->update_expr = NULL;
    return emu_string(ctx, obj, "TableName", &m->table) &&
           emu_object(ctx, obj, k == TX_PUT ? "Item" : "Key", &m->item) &&
           (k != TX_UPDATE || emu_string(ctx, obj, "UpdateExpression", &m->update_expr)) &&
           emu_string(ctx, obj, "ConditionExpression", &m->condition_expr) &&
           emu_string(ctx, obj, "ReturnValuesOnConditionCheckFailure", &m->on_failure);
}

/* A member's path in a message; none while only counting (path ""). */
static const char *field(char out[160], const char *path, const char *member)
{
    if (!*path) return "";
    snprintf(out, 160, "%s.%s", path, member);
    return out;
}

/* Records the violations of m under transactItems.<index>.member.<kind>. With v NULL it
 * only counts them: the paths are written out only for an action with a message to give. */
static bool members_violate(emu_violations *v, tx_kind k, const action_members *m, int index)
{
    emu_violations scratch;
    scratch.count = 0;
    scratch.text[0] = '\0';
    emu_violations *out = v ? v : &scratch;
    int before = out->count;
    char path[96] = "", buf[160];
    if (v) snprintf(path, sizeof path, "transactItems.%d.member.%s", index, kinds[k].field);
    emu_require(out, m->item, field(buf, path, k == TX_PUT ? "item" : "key"));
    emu_check_table_name(out, m->table, field(buf, path, "tableName"));
    if (k == TX_UPDATE) emu_require(out, m->update_expr, field(buf, path, "updateExpression"));
    if (k == TX_CONDITION_CHECK) emu_require(out, m->condition_expr, field(buf, path, "conditionExpression"));
    emu_check_enum(out, m->on_failure, field(buf, path, "returnValuesOnConditionCheckFailure"), on_failure_values,
                   "[ALL_OLD, NONE]");
    return out->count > before;
}

static bool check_action_members(emu_ctx *ctx, emu_violations *v, tx_kind k, const cJSON *obj, int index)
{
    action_members m;
    if (!read_members(ctx, k, obj, &m)) return false;
    if (members_violate(NULL, k, &m, index)) members_violate(v, k, &m, index);
    return true;
}

static bool check_entry_members(emu_ctx *ctx, emu_violations *v, const cJSON *entry, int index)
{
    if (!cJSON_IsObject(entry))
        return store_fail(&ctx->err, STORE_ERR_SERIALIZATION, "Unexpected value type in payload");
    for (tx_kind k = 0; k < TX_KINDS; k++) {
        const cJSON *obj;
        if (!emu_object(ctx, entry, kinds[k].member, &obj)) return false;
        if (obj && !check_action_members(ctx, v, k, obj, index)) return false;
    }
    return true;
}

static bool read_request(emu_ctx *ctx, const cJSON **items, const char **token)
{
    const char *capacity, *metrics;
    emu_violations v;
    emu_violations_init(&v);
    if (!emu_array(ctx, ctx->req, "TransactItems", items) || !emu_string(ctx, ctx->req, "ClientRequestToken", token) ||
        !emu_string(ctx, ctx->req, "ReturnConsumedCapacity", &capacity) ||
        !emu_string(ctx, ctx->req, "ReturnItemCollectionMetrics", &metrics))
        return false;
    check_token(&v, *token);
    emu_tx_check_return_consumed_capacity(&v, capacity);
    emu_check_enum(&v, metrics, "returnItemCollectionMetrics", metrics_values, "[SIZE, NONE]");
    return emu_tx_check_entries(ctx, &v, *items, check_entry_members);
}

/* ---- each action, as far as the request alone tells ---- */

/* An entry holds exactly one action. */
static bool pick_kind(emu_ctx *ctx, const cJSON *entry, tx_action *a)
{
    int found = 0;
    for (tx_kind k = 0; k < TX_KINDS; k++) {
        const cJSON *obj = cJSON_GetObjectItemCaseSensitive(entry, kinds[k].member);
        if (!obj || cJSON_IsNull(obj)) continue;
        a->kind = k;
        a->t.json = obj;
        found++;
    }
    if (found == 0)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "The action or operation requested is invalid. Verify that the action is typed correctly.");
    if (found > 1)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "TransactItems can only contain one of Check, Put, Update or Delete");
    return true;
}

/* The action's expressions, parsed as its single-item counterpart parses them. */
static bool read_expressions(emu_ctx *ctx, tx_action *a)
{
    const char *update = NULL, *condition, *on_failure;
    if ((a->kind == TX_UPDATE && !emu_string(ctx, a->t.json, "UpdateExpression", &update)) ||
        !emu_string(ctx, a->t.json, "ConditionExpression", &condition) ||
        !emu_string(ctx, a->t.json, "ReturnValuesOnConditionCheckFailure", &on_failure) ||
        !emu_env_open(ctx, a->t.json, &a->env))
        return false;
    a->return_old_on_failure = on_failure && strcmp(on_failure, "ALL_OLD") == 0;
    if (a->kind == TX_UPDATE && !(a->update = store_update_parse(update, &a->env.env, &ctx->err))) return false;
    if (condition && !(a->condition = store_condition_parse(condition, &a->env.env, &ctx->err))) return false;
    return emu_env_check_unused(ctx, &a->env, condition || a->kind == TX_UPDATE);
}

static bool read_action(emu_ctx *ctx, const cJSON *entry, tx_action *a)
{
    if (!pick_kind(ctx, entry, a)) return false;
    a->t.item = emu_item_member(ctx, a->t.json, a->kind == TX_PUT ? "Item" : "Key", true);
    if (!a->t.item || !read_expressions(ctx, a)) return false;
    /* A Put's size shows in the request: refused with it, where an Update's only shows
     * once the transaction runs (a cancellation reason). */
    if (a->kind == TX_PUT && store_item_size(a->t.item) > STORE_MAX_ITEM_SIZE)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION, "Item size has exceeded the maximum allowed size");
    return true;
}

static bool read_actions(emu_ctx *ctx, const cJSON *items, tx_action *acts)
{
    int i = 0;
    const cJSON *entry;
    cJSON_ArrayForEach(entry, items)
        if (!read_action(ctx, entry, &acts[i++])) return false;
    return true;
}

/* The data a transaction carries: items, keys and expression values. */
static bool check_payload(emu_ctx *ctx, const tx_action *acts, int n)
{
    size_t total = 0;
    for (int i = 0; i < n; i++)
        total += store_item_size(acts[i].t.item) + (acts[i].env.values ? store_item_size(acts[i].env.values) : 0);
    if (total <= EMU_TX_MAX_PAYLOAD) return true;
    /* AWS says it twice, as quoted. */
    return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                      "Transaction payload size cannot exceed 4MB. Payload Size: : "
                      "Transaction payload size cannot exceed 4MB. Payload Size: %zu", total);
}

/* ---- checking every action, then applying them all ---- */

/* Only a condition and an Update look at the item as it is: an unconditional
 * Put or Delete need not find it. */
static bool needs_old_item(const tx_action *a) { return a->condition || a->kind == TX_UPDATE; }

/* The reason of action i, from the items as they are before any write. */
static void check_action(emu_ctx *ctx, tx_action *a, emu_tx_reasons *r, int i)
{
    /* A scratch context per action: its fault becomes a reason, not the request's error. */
    emu_ctx scratch = {.db = ctx->db, .req = a->t.json, .err = {STORE_OK, ""}, .locked = true};
    if (!store_table_check_key(a->t.table, a->t.item, a->kind != TX_PUT, &scratch.err) ||
        (a->kind == TX_UPDATE && !emu_update_refuse_key_updates(&scratch, a->t.table, a->update))) {
        emu_tx_reason_validation(r, i, scratch.err.message);
        return;
    }
    const store_value *old = needs_old_item(a) ? store_table_get(a->t.table, a->t.item) : NULL;
    int holds = a->condition ? store_condition_eval(a->condition, old, &scratch.err) : 1;
    if (holds < 0)
        emu_tx_reason_validation(r, i, scratch.err.message);
    else if (!holds)
        emu_tx_reason_condition_failed(r, i, a->return_old_on_failure ? old : NULL);
    else if (a->kind == TX_UPDATE &&
             !(a->new_item = emu_update_new_item(&scratch, a->t.table, a->update, old, a->t.item)))
        emu_tx_reason_validation(r, i, scratch.err.message);
}

/* Writes through the table, so its indexes and TTL order follow, and charges
 * the table: a transaction costs twice the units of the same plain writes,
 * its condition checks included. False only when out of memory. */
static bool apply_action(const tx_action *a, emu_consumed_list *consumed, store_value **replaced)
{
    emu_consumed *c = emu_consumed_for(consumed, a->t.table);
    store_value *item = a->kind == TX_PUT ? a->t.item : a->new_item;
    *replaced = NULL;
    if (a->kind == TX_PUT || a->kind == TX_UPDATE) {
        if (!store_table_put(a->t.table, store_retain(item), replaced)) {
            store_release(item);
            return false;
        }
        emu_charge_write(c, *replaced, item, 2);
    } else if (a->kind == TX_DELETE) {
        *replaced = store_table_remove(a->t.table, a->t.item);
        if (!*replaced && store_table_get(a->t.table, a->t.item)) return false; /* still there: out of memory */
        emu_charge_write(c, *replaced, NULL, 2);
    } else {
        const store_value *checked = store_table_get(a->t.table, a->t.item);
        c->table_units += 2 * emu_write_units(checked ? store_item_size(checked) : 0);
    }
    return true;
}

/* Takes back the first n applied actions, newest first: each table gets back
 * what the action replaced. Only reached when memory ran out mid-way; putting
 * back reuses the nodes just freed, and the write reserve covers the rest. */
static void undo_actions(const tx_action *acts, store_value **replaced, int n)
{
    for (int i = n; i-- > 0;) {
        const tx_action *a = &acts[i];
        store_value *gone = NULL;
        if (a->kind == TX_CONDITION_CHECK || (a->kind == TX_DELETE && !replaced[i])) continue;
        if (replaced[i]) {
            if (!store_table_put(a->t.table, replaced[i], &gone)) store_release(replaced[i]);
            replaced[i] = NULL;
        } else {
            gone = store_table_remove(a->t.table, a->t.item);
        }
        store_release(gone);
    }
}

/* All of the actions or, when memory runs out mid-way, none of them, for a
 * stream's reader too. */
static bool apply_all(emu_ctx *ctx, const tx_action *acts, int n, emu_consumed_list *consumed)
{
    store_value *replaced[EMU_TX_MAX_ACTIONS] = {0};
    uint64_t mark = store_streams_mark(ctx->db->streams);
    int applied = 0;
    while (applied < n && apply_action(&acts[applied], consumed, &replaced[applied])) applied++;
    if (applied < n) {
        undo_actions(acts, replaced, applied);
        store_streams_rollback(ctx->db->streams, mark);
    }
    for (int i = 0; i < applied; i++) store_release(replaced[i]);
    return applied == n;
}

static bool run(emu_ctx *ctx, tx_action *acts, int n, const char *token)
{
    emu_tx_reasons r;
    if (!emu_tx_reasons_open(&r, n)) return emu_oom(ctx);
    for (int i = 0; i < n; i++) check_action(ctx, &acts[i], &r, i);
    bool cancelled = r.cancelled;
    if (cancelled) emu_tx_cancel(ctx, &r);
    emu_tx_reasons_close(&r);
    if (cancelled) {
        emu_tx_token_record(ctx, token, false);
        return false;
    }
    /* Past the checks only memory can fail a write, and then every action is taken back. */
    emu_consumed_list consumed = {.n = 0};
    if (!apply_all(ctx, acts, n, &consumed)) {
        emu_consumed_list_add(ctx->resp, EMU_CAPACITY_NONE, &consumed);
        return emu_oom(ctx);
    }
    emu_capacity_mode mode;
    if (emu_capacity_mode_read(ctx, ctx->req, &mode)) emu_consumed_list_add(ctx->resp, mode, &consumed);
    emu_tx_token_record(ctx, token, true);
    return true;
}

static void free_actions(tx_action *acts, int n)
{
    for (int i = 0; i < n; i++) {
        store_release(acts[i].t.item);
        store_release(acts[i].new_item);
        store_condition_free(acts[i].condition);
        store_update_free(acts[i].update);
        emu_env_close(&acts[i].env);
    }
    free(acts);
}

bool emu_op_transact_write_items(emu_ctx *ctx)
{
    const cJSON *items;
    const char *token;
    if (!read_request(ctx, &items, &token)) return false;
    emu_tx_token_state state = emu_tx_token_lookup(ctx, token);
    if (state != EMU_TX_TOKEN_NEW) return state == EMU_TX_TOKEN_REPLAYED;
    int n = cJSON_GetArraySize(items);
    tx_action *acts = calloc((size_t)n, sizeof *acts);
    if (!acts) return emu_oom(ctx);
    bool ok = read_actions(ctx, items, acts) && check_payload(ctx, acts, n) &&
              emu_tx_open(ctx, acts, sizeof *acts, n) && run(ctx, acts, n, token);
    free_actions(acts, n);
    return ok;
}
