/* emulator/ops/untag_resource.c — UntagResource: removes tags by key; a key
 * the table does not have is no error. */
#include "emulator/ops/common.h"
#include "emulator/ops/ops.h"
#include "emulator/ops/resource_arn.h"

#include <string.h>

#define EMU_MAX_TAG_KEY 128

static bool read_keys(emu_ctx *ctx, emu_violations *v, const cJSON *keys)
{
    int i = 0;
    const cJSON *key;
    cJSON_ArrayForEach(key, keys) {
        i++;
        if (!cJSON_IsString(key))
            return store_fail(&ctx->err, STORE_ERR_SERIALIZATION, "Unexpected value type in payload");
        size_t len = strlen(key->valuestring);
        if (len < 1 || len > EMU_MAX_TAG_KEY)
            emu_violation(v, "Value '%s' at 'tagKeys.%d.member' failed to satisfy constraint: Member must have length %s "
                             "than or equal to %d",
                          key->valuestring, i, len < 1 ? "greater" : "less", len < 1 ? 1 : EMU_MAX_TAG_KEY);
    }
    return true;
}

bool emu_op_untag_resource(emu_ctx *ctx)
{
    const char *arn;
    const cJSON *keys;
    emu_violations v;
    emu_violations_init(&v);
    if (!emu_read_resource_arn(ctx, &v, &arn) || !emu_array(ctx, ctx->req, "TagKeys", &keys)) return false;
    emu_require(&v, keys, "tagKeys");
    if (keys && !read_keys(ctx, &v, keys)) return false;
    if (!emu_violations_done(ctx, &v)) return false;
    if (cJSON_GetArraySize(keys) == 0)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION, "Atleast one Tag Key needs to be provided as Input.");
    store_table *t = emu_table_by_arn(ctx, arn, "Requested resource not found");
    if (!t || !emu_answer_ready(ctx)) return false;
    const cJSON *key;
    cJSON_ArrayForEach(key, keys) store_table_remove_tag(t, key->valuestring);
    return true;
}
