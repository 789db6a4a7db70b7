/* emulator/ops/describe_endpoints.c — DescribeEndpoints: one endpoint, as
 * AWS answers: the address the client reached, from the request's Host
 * header. Called without one (a linked C test) or with a Host that is not a
 * plain host[:port], it names dynemu's default listening address. */
#include "emulator/ops/common.h"
#include "emulator/ops/ops.h"

#include <string.h>

#define EMU_ENDPOINT_ADDRESS      "127.0.0.1:8000"
#define EMU_ENDPOINT_CACHE_MINUTES 1440
/* A DNS name (253) with a port; longer is not a host a client could have used. */
#define EMU_MAX_HOST_LEN          260

/* Letters, digits and the punctuation of names, IPv4/IPv6 literals and ports. */
static bool plausible_host(const char *host)
{
    size_t len = host ? strlen(host) : 0;
    return len > 0 && len <= EMU_MAX_HOST_LEN &&
           strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_:[]") == len;
}

bool emu_op_describe_endpoints(emu_ctx *ctx)
{
    cJSON *list = cJSON_AddArrayToObject(ctx->resp, "Endpoints");
    cJSON *e = cJSON_CreateObject();
    bool ok = e && cJSON_AddStringToObject(e, "Address", plausible_host(ctx->host) ? ctx->host : EMU_ENDPOINT_ADDRESS) &&
              cJSON_AddNumberToObject(e, "CachePeriodInMinutes", EMU_ENDPOINT_CACHE_MINUTES);
    if (!ok) cJSON_Delete(e);
    return (ok && store_json_add(list, NULL, e)) || emu_oom(ctx);
}
