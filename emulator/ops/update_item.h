/* emulator/ops/update_item.h — the steps of UpdateItem that a transaction's
 * Update shares (emulator/ops/transact_write_items.c). */
#ifndef EMU_UPDATE_ITEM_H
#define EMU_UPDATE_ITEM_H

#include "emulator/ops/common.h"

/* Refuses an update that writes a key attribute of table t. */
bool emu_update_refuse_key_updates(emu_ctx *ctx, const store_table *t, const store_update *u);
/* The item the update u makes of old (NULL: a missing item, created with the
 * attributes of key) in table t. NULL with the error set when an action
 * cannot apply, or the item would outgrow DynamoDB's item size or nesting
 * depth, or write an index key attribute of the wrong type. */
store_value *emu_update_new_item(emu_ctx *ctx, const store_table *t, const store_update *u, const store_value *old,
                                 const store_value *key);

#endif
