/* emulator/ops/list_streams.c — ListStreams: the streams of the database (or
 * of one table), enabled ones and those still retained after a disable or a
 * DeleteTable, in the order they were made. */
#include "emulator/ops/ops.h"
#include "emulator/ops/streams.h"

#include <string.h>

static bool read_request(emu_ctx *ctx, const char **table, const char **start, long long *limit)
{
    emu_violations v;
    emu_violations_init(&v);
    if (!emu_string(ctx, ctx->req, "TableName", table) ||
        !emu_string(ctx, ctx->req, "ExclusiveStartStreamArn", start) ||
        !emu_read_stream_limit(ctx, &v, EMU_LIST_STREAMS_MAX, limit))
        return false;
    if (*table) emu_check_table_name(&v, *table, "tableName");
    emu_check_length(&v, *start, "exclusiveStartStreamArn", EMU_STREAM_ARN_MIN, EMU_STREAM_ARN_MAX);
    return emu_violations_done(ctx, &v);
}

/* The slot after the stream ExclusiveStartStreamArn names. */
static bool first_slot(emu_ctx *ctx, const char *start, size_t *slot)
{
    *slot = 0;
    if (!start) return true;
    const store_stream *st = emu_stream_by_arn(ctx, start);
    if (!st) return false;
    *slot = st->slot + 1;
    return true;
}

bool emu_op_list_streams(emu_ctx *ctx)
{
    const char *table, *start;
    long long limit;
    size_t slot;
    if (!read_request(ctx, &table, &start, &limit) || !first_slot(ctx, start, &slot)) return false;
    if (table && !store_db_table(ctx->db, table))
        return store_fail(&ctx->err, STORE_ERR_NOT_FOUND, "Requested resource not found: Table: %s not found", table);
    int64_t now = store_db_now_ms(ctx->db);
    const store_streams *s = ctx->db->streams;
    cJSON *list = cJSON_AddArrayToObject(ctx->resp, "Streams");
    char arn[EMU_STREAM_ARN_MAX + 1];
    long long n = 0;
    bool ok = list != NULL;
    for (; ok && slot < s->n; slot++) {
        const store_stream *st = s->list[slot];
        if ((table && strcmp(st->table_name, table) != 0) || !store_stream_visible(st, now)) continue;
        if (n == limit) {
            /* More remain: the last one listed is where the next page starts. */
            cJSON *last = cJSON_GetArrayItem(list, (int)n - 1);
            ok = cJSON_AddStringToObject(ctx->resp, "LastEvaluatedStreamArn",
                                         cJSON_GetObjectItemCaseSensitive(last, "StreamArn")->valuestring) != NULL;
            break;
        }
        emu_stream_arn(st, arn, sizeof arn);
        cJSON *e = cJSON_CreateObject();
        ok = e && cJSON_AddStringToObject(e, "StreamArn", arn) && cJSON_AddStringToObject(e, "TableName", st->table_name) &&
             cJSON_AddStringToObject(e, "StreamLabel", st->label);
        if (!ok) cJSON_Delete(e);
        ok = ok && store_json_add(list, NULL, e);
        n++;
    }
    return ok || emu_oom(ctx);
}
