/* emulator/ops/describe_endpoints.c — DescribeEndpoints: one endpoint, as
 * AWS answers. An operation does not see the request's Host header, so the
 * address is dynemu's default listening address; SDKs given an explicit
 * endpoint do not use it. */
#include "emulator/ops/common.h"
#include "emulator/ops/ops.h"

#define EMU_ENDPOINT_ADDRESS      "127.0.0.1:8000"
#define EMU_ENDPOINT_CACHE_MINUTES 1440

bool emu_op_describe_endpoints(emu_ctx *ctx)
{
    cJSON *list = cJSON_AddArrayToObject(ctx->resp, "Endpoints");
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "Address", EMU_ENDPOINT_ADDRESS);
    cJSON_AddNumberToObject(e, "CachePeriodInMinutes", EMU_ENDPOINT_CACHE_MINUTES);
    cJSON_AddItemToArray(list, e);
    return true;
}
