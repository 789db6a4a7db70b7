/* emulator/ops/describe_time_to_live.c — DescribeTimeToLive: ENABLED with its
 * attribute, or DISABLED (changes apply at once, so never ENABLING/DISABLING). */
#include "emulator/ops/common.h"
#include "emulator/ops/ops.h"

bool emu_op_describe_time_to_live(emu_ctx *ctx)
{
    store_table *t = emu_request_table(ctx);
    if (!t) return false;
    cJSON *d = cJSON_AddObjectToObject(ctx->resp, "TimeToLiveDescription");
    bool ok = d && cJSON_AddStringToObject(d, "TimeToLiveStatus", t->ttl_attr ? "ENABLED" : "DISABLED") &&
              (!t->ttl_attr || cJSON_AddStringToObject(d, "AttributeName", store_bytes(t->ttl_attr)));
    return ok || emu_oom(ctx);
}
