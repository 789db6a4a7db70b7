/* emulator/ops/write_request.h — what PutItem, UpdateItem and DeleteItem read
 * alike: TableName and their item or key, ReturnValues, the capacity and
 * collection reports, the expression environment and the write's condition. */
#ifndef EMU_WRITE_REQUEST_H
#define EMU_WRITE_REQUEST_H

#include "emulator/ops/capacity.h"
#include "emulator/ops/condition.h"

typedef struct emu_write_request {
    const char *table_name;
    const cJSON *target;              /* the Item (PutItem) or Key member */
    store_value *item;                /* PutItem's Item, decoded */
    const char *return_values;
    emu_write_report report;
    emu_env env;
    emu_write_condition condition;
} emu_write_request;

/* Reads and validates the common part; member is "Item" or "Key",
 * expressions the operation's (for emu_env_check_given_with_expressions).
 * On false nothing is left open. */
bool emu_write_request_open(emu_ctx *ctx, const char *member, const char *const *allowed_return_values,
                            const char *const *expressions, emu_write_request *w);
/* Once the operation's own expressions are parsed: reads the condition,
 * refuses unused names and values, then takes the database's write lock and
 * finds the table. The
 * operations using this are EMU_WRITES_LATE: nothing before it touches the database. */
store_table *emu_write_request_table(emu_ctx *ctx, emu_write_request *w, bool has_expressions);
void emu_write_request_close(emu_write_request *w);

#endif
