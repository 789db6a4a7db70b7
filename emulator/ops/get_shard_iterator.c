/* emulator/ops/get_shard_iterator.c — GetShardIterator: where in a shard a
 * reader starts (TRIM_HORIZON, LATEST, AT_ / AFTER_SEQUENCE_NUMBER), handed
 * out as a sealed iterator (emulator/ops/streams.h). */
#include "emulator/ops/ops.h"
#include "emulator/ops/streams.h"

#include <stdlib.h>
#include <string.h>

enum { TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER };
static const char *const iterator_types[] = {"TRIM_HORIZON", "LATEST", "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER", NULL};

typedef struct iterator_request {
    const char *arn, *shard, *type, *sequence;
    int kind;
} iterator_request;

static bool read_request(emu_ctx *ctx, iterator_request *r)
{
    emu_violations v;
    emu_violations_init(&v);
    if (!emu_string(ctx, ctx->req, "StreamArn", &r->arn) || !emu_string(ctx, ctx->req, "ShardId", &r->shard) ||
        !emu_string(ctx, ctx->req, "ShardIteratorType", &r->type) ||
        !emu_string(ctx, ctx->req, "SequenceNumber", &r->sequence))
        return false;
    emu_require(&v, r->arn, "streamArn");
    emu_check_length(&v, r->arn, "streamArn", EMU_STREAM_ARN_MIN, EMU_STREAM_ARN_MAX);
    emu_require(&v, r->shard, "shardId");
    emu_check_length(&v, r->shard, "shardId", EMU_SHARD_ID_MIN, EMU_SHARD_ID_MAX);
    emu_require(&v, r->type, "shardIteratorType");
    emu_check_enum(&v, r->type, "shardIteratorType", iterator_types,
                   "[TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]");
    emu_check_length(&v, r->sequence, "sequenceNumber", EMU_SEQUENCE_MIN, EMU_SEQUENCE_MAX);
    if (!emu_violations_done(ctx, &v)) return false;
    for (r->kind = 0; strcmp(iterator_types[r->kind], r->type) != 0; r->kind++) {}
    return true;
}

static const store_stream *shard_of(emu_ctx *ctx, const iterator_request *r)
{
    const store_stream *st = emu_stream_by_arn(ctx, r->arn);
    if (!st) return NULL;
    char id[EMU_SHARD_ID_MAX + 1];
    emu_shard_id(st, id, sizeof id);
    if (strcmp(id, r->shard) == 0) return st;
    store_fail(&ctx->err, STORE_ERR_NOT_FOUND, "Requested resource not found: Shard does not exist");
    return NULL;
}

/* The first sequence number the iterator reads from. */
static bool start_position(emu_ctx *ctx, const store_stream *st, const iterator_request *r, uint64_t *position)
{
    uint64_t horizon = store_stream_trim_horizon(st, store_db_now_ms(ctx->db));
    uint64_t end = st->enabled ? st->owner->next_seq : store_stream_last_seq(st) + 1;
    if (r->kind == TRIM_HORIZON) { *position = horizon + 1; return true; }
    if (r->kind == LATEST) { *position = end; return true; }
    uint64_t seq;
    if (!r->sequence)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION, "Invalid Request: SequenceNumber is required for ShardIteratorType %s",
                          r->type);
    if (!emu_sequence_parse(r->sequence, &seq) || seq < st->first_seq || seq >= end)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION, "Invalid SequenceNumber: %s is not in shard %s", r->sequence,
                          r->shard);
    if (seq <= horizon)
        return store_fail(&ctx->err, STORE_ERR_TRIMMED_DATA,
                          "The operation attempted to read past the oldest stream record in a shard: %s", r->sequence);
    *position = r->kind == AT_SEQUENCE_NUMBER ? seq : seq + 1;
    return true;
}

bool emu_op_get_shard_iterator(emu_ctx *ctx)
{
    iterator_request r;
    if (!read_request(ctx, &r)) return false;
    const store_stream *st = shard_of(ctx, &r);
    uint64_t position = 0;
    if (!st || !start_position(ctx, st, &r, &position)) return false;
    char *it = emu_iterator_make(st, position, store_db_now_ms(ctx->db));
    bool ok = it && cJSON_AddStringToObject(ctx->resp, "ShardIterator", it);
    free(it);
    return ok || emu_oom(ctx);
}
