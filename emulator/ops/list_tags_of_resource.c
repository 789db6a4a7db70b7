/* emulator/ops/list_tags_of_resource.c — ListTagsOfResource: a table's tags
 * in the order they were first set, all in one page (50 at most). */
#include "emulator/ops/common.h"
#include "emulator/ops/ops.h"
#include "emulator/ops/resource_arn.h"

bool emu_op_list_tags_of_resource(emu_ctx *ctx)
{
    const char *arn, *next_token;
    emu_violations v;
    emu_violations_init(&v);
    if (!emu_read_resource_arn(ctx, &v, &arn) || !emu_string(ctx, ctx->req, "NextToken", &next_token) ||
        !emu_violations_done(ctx, &v))
        return false;
    store_table *t = emu_table_by_arn(ctx, arn, "Requested resource not found: ResourcArn: %s not found");
    if (!t) return false;
    cJSON *tags = cJSON_AddArrayToObject(ctx->resp, "Tags");
    bool ok = tags != NULL;
    for (size_t i = 0; ok && i < t->n_tags; i++) {
        cJSON *tag = cJSON_CreateObject();
        ok = tag && cJSON_AddStringToObject(tag, "Key", t->tags[i].key) &&
             cJSON_AddStringToObject(tag, "Value", t->tags[i].value);
        if (!ok) cJSON_Delete(tag);
        ok = ok && store_json_add(tags, NULL, tag);
    }
    return ok || emu_oom(ctx);
}
