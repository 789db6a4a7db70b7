/* emulator/ops/describe_stream.c — DescribeStream: a stream's status, view
 * type, key schema and its one shard with the shard's sequence number range
 * (closed, with an EndingSequenceNumber, once the stream is disabled). */
#include "emulator/ops/ops.h"
#include "emulator/ops/streams.h"

#include <string.h>

/* The shard, whole; NULL when out of memory. */
static cJSON *shard(const store_stream *st)
{
    char id[EMU_SHARD_ID_MAX + 1], seq[EMU_SEQUENCE_TEXT], last[EMU_SEQUENCE_TEXT];
    emu_shard_id(st, id, sizeof id);
    emu_sequence_text(st->first_seq, seq);
    emu_sequence_text(store_stream_last_seq(st), last);
    cJSON *e = cJSON_CreateObject();
    cJSON *range = e && cJSON_AddStringToObject(e, "ShardId", id) ? cJSON_AddObjectToObject(e, "SequenceNumberRange") : NULL;
    bool ok = range && cJSON_AddStringToObject(range, "StartingSequenceNumber", seq) &&
              (st->enabled || cJSON_AddStringToObject(range, "EndingSequenceNumber", last));
    if (ok) return e;
    cJSON_Delete(e);
    return NULL;
}

bool emu_op_describe_stream(emu_ctx *ctx)
{
    const char *arn, *start;
    long long limit;
    emu_violations v;
    emu_violations_init(&v);
    if (!emu_string(ctx, ctx->req, "StreamArn", &arn) || !emu_string(ctx, ctx->req, "ExclusiveStartShardId", &start) ||
        !emu_read_stream_limit(ctx, &v, EMU_DESCRIBE_STREAM_MAX, &limit))
        return false;
    emu_require(&v, arn, "streamArn");
    emu_check_length(&v, arn, "streamArn", EMU_STREAM_ARN_MIN, EMU_STREAM_ARN_MAX);
    emu_check_length(&v, start, "exclusiveStartShardId", EMU_SHARD_ID_MIN, EMU_SHARD_ID_MAX);
    if (!emu_violations_done(ctx, &v)) return false;
    const store_stream *st = emu_stream_by_arn(ctx, arn);
    if (!st) return false;
    cJSON *d = cJSON_AddObjectToObject(ctx->resp, "StreamDescription");
    bool ok = d && cJSON_AddStringToObject(d, "StreamArn", arn) && cJSON_AddStringToObject(d, "StreamLabel", st->label) &&
              cJSON_AddStringToObject(d, "StreamStatus", st->enabled ? "ENABLED" : "DISABLED") &&
              cJSON_AddStringToObject(d, "StreamViewType", store_stream_view_names[st->view]) &&
              cJSON_AddNumberToObject(d, "CreationRequestDateTime", (double)st->created_ms / 1000.0) &&
              cJSON_AddStringToObject(d, "TableName", st->table_name) &&
              store_json_add(d, "KeySchema", store_encode_key_schema(&st->key));
    cJSON *shards = ok ? cJSON_AddArrayToObject(d, "Shards") : NULL;
    /* One shard per stream: a page that starts after it is empty. */
    char id[EMU_SHARD_ID_MAX + 1];
    emu_shard_id(st, id, sizeof id);
    ok = shards && ((start && strcmp(start, id) >= 0) || store_json_add(shards, NULL, shard(st)));
    return ok || emu_oom(ctx);
}
