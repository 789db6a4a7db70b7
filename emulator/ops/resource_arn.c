/* emulator/ops/resource_arn.c — resolving a table ARN
 * ("arn:aws:dynamodb:<region>:<account>:table/<name>", any region and
 * account) to the table, with DynamoDB's refusals. */
#include "emulator/ops/resource_arn.h"

#include <stdio.h>
#include <string.h>

bool emu_read_resource_arn(emu_ctx *ctx, emu_violations *v, const char **arn)
{
    if (!emu_string(ctx, ctx->req, "ResourceArn", arn)) return false;
    emu_require(v, *arn, "resourceArn");
    size_t len = *arn ? strlen(*arn) : 1;
    if (len < 1 || len > EMU_MAX_ARN_LEN)
        emu_violation(v, "Value '%s' at 'resourceArn' failed to satisfy constraint: Member must have length %s than or equal to %d",
                      *arn, len < 1 ? "greater" : "less", len < 1 ? 1 : EMU_MAX_ARN_LEN);
    return true;
}

/* The table name of a well-formed table ARN, NULL otherwise. */
static const char *table_name_of(const char *arn)
{
    static const char prefix[] = "arn:aws:dynamodb:";
    if (strncmp(arn, prefix, sizeof prefix - 1) != 0) return NULL;
    const char *p = arn + sizeof prefix - 1;
    size_t region = strcspn(p, ":/");
    if (region == 0 || p[region] != ':') return NULL;
    p += region + 1;
    size_t account = strspn(p, "0123456789");
    if (account == 0 || p[account] != ':') return NULL;
    p += account + 1;
    if (strncmp(p, "table/", 6) != 0) return NULL;
    p += 6;
    return strlen(p) >= STORE_MIN_TABLE_NAME && !strchr(p, '/') ? p : NULL;
}

store_table *emu_table_by_arn(emu_ctx *ctx, const char *arn, const char *not_found)
{
    const char *name = table_name_of(arn);
    if (!name) {
        store_fail(&ctx->err, STORE_ERR_VALIDATION, "Invalid TableArn: Invalid ResourceArn provided as input %s", arn);
        return NULL;
    }
    store_table *t = store_db_table(ctx->db, name);
    if (!t) {
        char message[STORE_ERROR_MESSAGE_MAX];
        snprintf(message, sizeof message, not_found, arn);
        store_fail(&ctx->err, STORE_ERR_NOT_FOUND, "%s", message);
    }
    return t;
}
