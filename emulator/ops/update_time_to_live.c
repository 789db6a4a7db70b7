/* emulator/ops/update_time_to_live.c — UpdateTimeToLive: enables TTL on one
 * attribute or disables it, at once (DynamoDB takes up to an hour and
 * refuses a second change meanwhile; dynemu has no such window). Enabling
 * orders the table's items by that attribute so expiry is cheap (store/ttl.h). */
#include "emulator/ops/common.h"
#include "emulator/ops/ops.h"
#include "store/ttl.h"

#include <string.h>

typedef struct ttl_spec {
    const cJSON *obj;
    bool has_enabled, enabled;
    const char *attr;
} ttl_spec;

static bool read_spec(emu_ctx *ctx, const char **table, ttl_spec *s)
{
    emu_violations v;
    emu_violations_init(&v);
    if (!emu_string(ctx, ctx->req, "TableName", table) ||
        !emu_object(ctx, ctx->req, "TimeToLiveSpecification", &s->obj))
        return false;
    emu_check_table_name(&v, *table, "tableName");
    emu_require(&v, s->obj, "timeToLiveSpecification");
    if (s->obj) {
        if (!emu_bool(ctx, s->obj, "Enabled", &s->has_enabled, &s->enabled) ||
            !emu_string(ctx, s->obj, "AttributeName", &s->attr))
            return false;
        emu_require(&v, s->attr, "timeToLiveSpecification.attributeName");
        size_t len = s->attr ? strlen(s->attr) : 1;
        if (len > STORE_TTL_MAX_ATTR_NAME)
            emu_violation(&v, "Value '%s' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: "
                              "Member must have length less than or equal to %d", s->attr, STORE_TTL_MAX_ATTR_NAME);
        emu_require(&v, s->has_enabled ? s->obj : NULL, "timeToLiveSpecification.enabled");
    }
    if (!emu_violations_done(ctx, &v)) return false;
    if (s->attr && !*s->attr)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION, "TimeToLiveSpecification.AttributeName must be non empty");
    return true;
}

bool emu_op_update_time_to_live(emu_ctx *ctx)
{
    const char *name;
    ttl_spec s = {0};
    if (!read_spec(ctx, &name, &s)) return false;
    store_table *t = store_db_table(ctx->db, name);
    if (!t) return store_fail(&ctx->err, STORE_ERR_NOT_FOUND, "Requested resource not found: Table: %s not found", name);
    if (s.enabled && t->ttl_attr)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION, "TimeToLive is already enabled");
    if (!s.enabled && !t->ttl_attr)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION, "TimeToLive is already disabled");
    /* Answered before the change: an answer that cannot be made changes nothing. */
    cJSON *spec = cJSON_AddObjectToObject(ctx->resp, "TimeToLiveSpecification");
    if (!spec || !cJSON_AddBoolToObject(spec, "Enabled", s.enabled) ||
        !cJSON_AddStringToObject(spec, "AttributeName", s.attr) || !emu_answer_ready(ctx))
        return emu_oom(ctx);
    store_table_set_ttl(t, s.enabled ? s.attr : NULL);
    return true;
}
