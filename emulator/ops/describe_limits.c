/* emulator/ops/describe_limits.c — DescribeLimits: the default capacity
 * quotas of an AWS account (dynemu enforces none of them). */
#include "emulator/ops/common.h"
#include "emulator/ops/ops.h"

#define EMU_ACCOUNT_MAX_CAPACITY 80000
#define EMU_TABLE_MAX_CAPACITY   40000

bool emu_op_describe_limits(emu_ctx *ctx)
{
    return (cJSON_AddNumberToObject(ctx->resp, "AccountMaxReadCapacityUnits", EMU_ACCOUNT_MAX_CAPACITY) &&
            cJSON_AddNumberToObject(ctx->resp, "AccountMaxWriteCapacityUnits", EMU_ACCOUNT_MAX_CAPACITY) &&
            cJSON_AddNumberToObject(ctx->resp, "TableMaxReadCapacityUnits", EMU_TABLE_MAX_CAPACITY) &&
            cJSON_AddNumberToObject(ctx->resp, "TableMaxWriteCapacityUnits", EMU_TABLE_MAX_CAPACITY)) ||
           emu_oom(ctx);
}
