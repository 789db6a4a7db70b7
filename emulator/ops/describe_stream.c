/* emulator/ops/describe_stream.c — DescribeStream: a stream's status, view
 * type, key schema and its one shard with the shard's sequence number range
 * (closed, with an EndingSequenceNumber, once the stream is disabled). */
#include "emulator/ops/ops.h"
#include "emulator/ops/streams.h"

#include <string.h>

static cJSON *key_schema(const store_stream *st)
{
    cJSON *list = cJSON_CreateArray();
    const store_value *names[2] = {st->key.names.pk_name, st->key.names.sk_name};
    const char *types[2] = {"HASH", "RANGE"};
    for (int i = 0; i < 2 && names[i]; i++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "AttributeName", store_bytes(names[i]));
        cJSON_AddStringToObject(e, "KeyType", types[i]);
        cJSON_AddItemToArray(list, e);
    }
    return list;
}

static cJSON *shard(const store_stream *st)
{
    char id[EMU_SHARD_ID_MAX + 1], seq[EMU_SEQUENCE_TEXT];
    emu_shard_id(st, id, sizeof id);
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "ShardId", id);
    cJSON *range = cJSON_AddObjectToObject(e, "SequenceNumberRange");
    emu_sequence_text(st->first_seq, seq);
    cJSON_AddStringToObject(range, "StartingSequenceNumber", seq);
    if (!st->enabled) {
        emu_sequence_text(store_stream_last_seq(st), seq);
        cJSON_AddStringToObject(range, "EndingSequenceNumber", seq);
    }
    return e;
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
    cJSON_AddStringToObject(d, "StreamArn", arn);
    cJSON_AddStringToObject(d, "StreamLabel", st->label);
    cJSON_AddStringToObject(d, "StreamStatus", st->enabled ? "ENABLED" : "DISABLED");
    cJSON_AddStringToObject(d, "StreamViewType", store_stream_view_names[st->view]);
    cJSON_AddNumberToObject(d, "CreationRequestDateTime", (double)st->created_ms / 1000.0);
    cJSON_AddStringToObject(d, "TableName", st->table_name);
    cJSON_AddItemToObject(d, "KeySchema", key_schema(st));
    cJSON *shards = cJSON_AddArrayToObject(d, "Shards");
    /* One shard per stream: a page that starts after it is empty. */
    char id[EMU_SHARD_ID_MAX + 1];
    emu_shard_id(st, id, sizeof id);
    if (!start || strcmp(start, id) < 0) cJSON_AddItemToArray(shards, shard(st));
    return true;
}
