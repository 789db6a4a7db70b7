/* emulator/ops/condition.c — parsing and checking the condition of a write. */
#include "emulator/ops/condition.h"
#include "emulator/ops/legacy.h"

#include <string.h>

static const char *const on_failure_values[] = {"ALL_OLD", "NONE", NULL};

bool emu_write_condition_read(emu_ctx *ctx, emu_env *env, emu_write_condition *wc)
{
    const char *expr, *on_failure;
    const cJSON *expected;
    emu_violations v;
    emu_violations_init(&v);
    wc->condition = NULL;
    wc->return_old_on_failure = false;
    if (!emu_string(ctx, ctx->req, "ConditionExpression", &expr) || !emu_object(ctx, ctx->req, "Expected", &expected) ||
        !emu_string(ctx, ctx->req, "ReturnValuesOnConditionCheckFailure", &on_failure))
        return false;
    emu_check_enum(&v, on_failure, "returnValuesOnConditionCheckFailure", on_failure_values, "[ALL_OLD, NONE]");
    if (!emu_violations_done(ctx, &v)) return false;
    wc->return_old_on_failure = on_failure && strcmp(on_failure, "ALL_OLD") == 0;
    if (expected) return emu_legacy_expected(ctx, expected, &wc->condition);
    if (!expr) return true;
    wc->condition = store_condition_parse(expr, &env->env, &ctx->err);
    return wc->condition != NULL;
}

bool emu_write_condition_check(emu_ctx *ctx, const emu_write_condition *wc, const store_value *existing)
{
    if (!wc->condition) return true;
    int ok = store_condition_eval(wc->condition, existing, &ctx->err);
    if (ok < 0) return false;
    if (ok) return true;
    if (wc->return_old_on_failure && existing) {
        ctx->error_extra = cJSON_CreateObject();
        emu_add_item(ctx->error_extra, "Item", existing, NULL);
    }
    return store_fail(&ctx->err, STORE_ERR_CONDITION, "The conditional request failed");
}

bool emu_write_condition_check_key(emu_ctx *ctx, const emu_write_condition *wc, const store_table *t,
                                   const store_value *key)
{
    return !wc->condition || emu_write_condition_check(ctx, wc, store_table_get(t, key));
}

void emu_write_condition_clear(emu_write_condition *wc)
{
    store_condition_free(wc->condition);
    wc->condition = NULL;
}
