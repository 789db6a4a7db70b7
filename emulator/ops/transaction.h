/* emulator/ops/transaction.h — what TransactWriteItems and TransactGetItems
 * share: the limits on TransactItems, the checks AWS makes of a whole
 * transaction before it opens (empty key values, two actions on one item),
 * the CancellationReasons of a cancelled transaction, and the
 * ClientRequestToken table that makes a TransactWriteItems idempotent. */
#ifndef EMU_TRANSACTION_H
#define EMU_TRANSACTION_H

#include "emulator/ops/common.h"

#define EMU_TX_MAX_ACTIONS        100
#define EMU_TX_MAX_PAYLOAD        (4 * 1024 * 1024)   /* aggregate size of a TransactWriteItems */
#define EMU_TX_MAX_TOKEN_LEN      36
#define EMU_TX_TOKEN_LIFETIME_MS  (10 * 60 * 1000)     /* a ClientRequestToken's idempotency window */

/* ---- the request as a whole ---- */
/* Records the violations of TransactItems: missing, empty or longer than 100. */
void emu_tx_check_items(emu_violations *v, const cJSON *items);
/* Records the violations of TransactItems, then (when it holds at most 100)
 * those of each entry by check; false with the ValidationException if any. */
typedef bool (*emu_tx_entry_check)(emu_ctx *ctx, emu_violations *v, const cJSON *entry, int index);
bool emu_tx_check_entries(emu_ctx *ctx, emu_violations *v, const cJSON *items, emu_tx_entry_check check);
/* ReturnConsumedCapacity's enum (both operations accept it). */
void emu_tx_check_return_consumed_capacity(emu_violations *v, const char *value);

/* ---- the targets of the actions, before the transaction opens ---- */
/* What every action names: a table and an item of it. The structs of both
 * operations start with one. */
typedef struct emu_tx_target {
    const cJSON *json;      /* the action's own object: its TableName names the table */
    store_table *table;     /* set by emu_tx_open */
    store_value *item;      /* an item (Put) or a key */
    const store_value *pk, *sk; /* set by emu_tx_open: item's key values (NULL if absent), found once */
} emu_tx_target;

/* For n actions stride bytes apart, each starting with its target: finds
 * every table (ResourceNotFoundException), then refuses an empty S or B key
 * value (with the request, not as a cancellation reason) and two actions on
 * one item (ValidationException). */
bool emu_tx_open(emu_ctx *ctx, void *actions, size_t stride, int n);

/* ---- CancellationReasons, one per action in request order ---- */
/* Kept as plain values while the actions are checked; the JSON is only built
 * for a cancellation. */
typedef enum emu_tx_code { EMU_TX_NONE, EMU_TX_CONDITION_FAILED, EMU_TX_VALIDATION_ERROR } emu_tx_code;

typedef struct emu_tx_reason {
    emu_tx_code code;
    char *message;          /* a ValidationError's, malloc'd */
    store_value *item;      /* ConditionalCheckFailed with ALL_OLD: the item as it was */
} emu_tx_reason;

typedef struct emu_tx_reasons {
    emu_tx_reason *list;    /* one per action, all "None" at first */
    int n;
    bool cancelled;         /* some reason is not "None" */
} emu_tx_reasons;

bool emu_tx_reasons_open(emu_tx_reasons *r, int n);
void emu_tx_reason_validation(emu_tx_reasons *r, int i, const char *message);
/* old: the item as it was, given only when the action asked for ALL_OLD. */
void emu_tx_reason_condition_failed(emu_tx_reasons *r, int i, const store_value *old);
/* TransactionCanceledException carrying the reasons; returns false. */
bool emu_tx_cancel(emu_ctx *ctx, const emu_tx_reasons *r);
void emu_tx_reasons_close(emu_tx_reasons *r);

/* ---- ClientRequestToken (TransactWriteItems) ---- */
typedef enum emu_tx_token_state {
    EMU_TX_TOKEN_NEW,        /* unknown or expired: run the transaction */
    EMU_TX_TOKEN_REPLAYED,   /* the same request completed: its answer is in ctx->resp */
    EMU_TX_TOKEN_MISMATCH,   /* another request used it: the error is set */
} emu_tx_token_state;

emu_tx_token_state emu_tx_token_lookup(emu_ctx *ctx, const char *token);
/* After the transaction ran: a completed one keeps its answer for replays;
 * a cancelled one keeps only the request, so that another request with the
 * token is refused while the same one may run again. */
void emu_tx_token_record(emu_ctx *ctx, const char *token, bool completed);

#endif
