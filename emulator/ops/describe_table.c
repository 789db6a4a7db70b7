/* emulator/ops/describe_table.c — DescribeTable. */
#include "emulator/ops/common.h"
#include "emulator/ops/ops.h"
#include "emulator/ops/table_description.h"

bool emu_op_describe_table(emu_ctx *ctx)
{
    const char *name;
    if (!emu_table_name(ctx, &name)) return false;
    store_table *t = store_db_table(ctx->db, name);
    if (!t) return store_fail(&ctx->err, STORE_ERR_NOT_FOUND, "Requested resource not found: Table: %s not found", name);
    return store_json_add(ctx->resp, "Table", emu_table_description(t, "ACTIVE")) ||
           emu_oom(ctx);
}
