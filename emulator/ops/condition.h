/* emulator/ops/condition.h — the condition of a write (PutItem, UpdateItem,
 * DeleteItem): ConditionExpression, or the legacy Expected with
 * ConditionalOperator, checked against the item as it is before the write. */
#ifndef EMU_CONDITION_H
#define EMU_CONDITION_H

#include "emulator/ops/common.h"

typedef struct emu_write_condition {
    store_condition *condition;   /* NULL: unconditional */
    bool return_old_on_failure;   /* ReturnValuesOnConditionCheckFailure ALL_OLD */
} emu_write_condition;

/* Parses the request's condition (marking the names and values it uses). */
bool emu_write_condition_read(emu_ctx *ctx, emu_env *env, emu_write_condition *wc);
/* True if the write may go ahead; else ConditionalCheckFailedException
 * (with the old item when asked). */
bool emu_write_condition_check(emu_ctx *ctx, const emu_write_condition *wc, const store_value *existing);
/* The same against the item of t with this key, which is looked up only
 * when there is a condition: an unconditional write pays no extra descent. */
bool emu_write_condition_check_key(emu_ctx *ctx, const emu_write_condition *wc, const store_table *t,
                                   const store_value *key);
void emu_write_condition_clear(emu_write_condition *wc);

#endif
