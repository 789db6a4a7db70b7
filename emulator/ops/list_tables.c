/* emulator/ops/list_tables.c — ListTables: names in order, Limit 1..100, resuming after ExclusiveStartTableName. */
#include "emulator/ops/common.h"
#include "emulator/ops/ops.h"

#include <string.h>

#define EMU_LIST_TABLES_MAX 100

bool emu_op_list_tables(emu_ctx *ctx)
{
    const char *start;
    bool has_limit;
    long long limit;
    emu_violations v;
    emu_violations_init(&v);
    if (!emu_string(ctx, ctx->req, "ExclusiveStartTableName", &start) ||
        !emu_integer(ctx, ctx->req, "Limit", &has_limit, &limit))
        return false;
    if (has_limit && limit < 1)
        emu_violation(&v, "Value '%lld' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1", limit);
    if (has_limit && limit > EMU_LIST_TABLES_MAX)
        emu_violation(&v, "Value '%lld' at 'limit' failed to satisfy constraint: Member must have value less than or equal to %d",
                      limit, EMU_LIST_TABLES_MAX);
    if (start) emu_check_table_name(&v, start, "exclusiveStartTableName");
    if (!emu_violations_done(ctx, &v)) return false;
    if (!has_limit) limit = EMU_LIST_TABLES_MAX;
    cJSON *names = cJSON_AddArrayToObject(ctx->resp, "TableNames");
    bool ok = names != NULL;
    long long n = 0;
    const store_table *last = NULL;
    for (const store_table *t = ctx->db->tables; ok && t; t = t->hh.next) {
        if (start && strcmp(t->name, start) <= 0) continue;
        if (n == limit) {
            ok = cJSON_AddStringToObject(ctx->resp, "LastEvaluatedTableName", last->name) != NULL;
            break;
        }
        ok = store_json_add(names, NULL, cJSON_CreateString(t->name));
        last = t;
        n++;
    }
    return ok || emu_oom(ctx);
}
