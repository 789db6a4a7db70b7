/* emulator/ops/get_records.c — GetRecords: the records of a shard from an
 * iterator's position on, at most Limit of them and 1 MB, and the iterator
 * that reads on (none once a closed shard is read to its end). It takes the
 * write lock, so that TTL expiry and retention are settled before it reads. */
#include "emulator/ops/ops.h"
#include "emulator/ops/streams.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* "Thu Dec 10 01:59:39 UTC 2015", as AWS's iterator messages write times. */
static void amz_time(int64_t ms, char out[40])
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    strftime(out, 40, "%a %b %d %H:%M:%S UTC %Y", &tm);
}

static bool open_iterator(emu_ctx *ctx, const char *text, const store_stream **st, uint64_t *position)
{
    char arn[EMU_STREAM_ARN_MAX + 1];
    int64_t issued, now = store_db_now_ms(ctx->db);
    if (!emu_iterator_open(text, arn, sizeof arn, position, &issued))
        return store_fail(&ctx->err, STORE_ERR_VALIDATION, "Invalid ShardIterator");
    if (now - issued > EMU_ITERATOR_LIFETIME_MS) {
        char then[40], at[40];
        amz_time(issued, then);
        amz_time(now, at);
        return store_fail(&ctx->err, STORE_ERR_EXPIRED_ITERATOR,
                          "Iterator expired. The iterator was created at time %s while right now it is %s which is further "
                          "in the future than the tolerated delay of %d milliseconds.",
                          then, at, EMU_ITERATOR_LIFETIME_MS);
    }
    if (!(*st = emu_stream_by_arn(ctx, arn))) return false;
    if (*position <= store_stream_trim_horizon(*st, now))
        return store_fail(&ctx->err, STORE_ERR_TRIMMED_DATA,
                          "The operation attempted to read past the oldest stream record in a shard");
    return true;
}

/* The index of the first record at or after position (records are in sequence order). */
static size_t seek(const store_stream *st, uint64_t position)
{
    size_t lo = 0, hi = st->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (st->records[mid]->seq < position) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* Writes the page as the answer's opening; returns the position after it. */
static uint64_t write_page(emu_ctx *ctx, const store_stream *st, uint64_t position, long long limit, size_t *next)
{
    store_text_put_literal(&ctx->head, "{\"Records\":[");
    size_t i = seek(st, position);
    for (long long n = 0; i < st->n && n < limit && ctx->head.len < EMU_GET_RECORDS_MAX_BYTES; i++, n++) {
        if (n) store_text_put_literal(&ctx->head, ",");
        emu_text_stream_record(&ctx->head, st, st->records[i]);
        position = st->records[i]->seq + 1;
    }
    store_text_put_literal(&ctx->head, "]");
    *next = i;
    return position;
}

bool emu_op_get_records(emu_ctx *ctx)
{
    const char *text;
    long long limit;
    emu_violations v;
    emu_violations_init(&v);
    if (!emu_string(ctx, ctx->req, "ShardIterator", &text) ||
        !emu_read_stream_limit(ctx, &v, EMU_GET_RECORDS_MAX, &limit))
        return false;
    emu_require(&v, text, "shardIterator");
    emu_check_length(&v, text, "shardIterator", 1, EMU_ITERATOR_MAX);
    if (!emu_violations_done(ctx, &v)) return false;
    const store_stream *st = NULL;
    uint64_t position = 0;
    if (!open_iterator(ctx, text, &st, &position)) return false;
    size_t next;
    position = write_page(ctx, st, position, limit, &next);
    if (ctx->head.failed) return emu_oom(ctx);
    /* A closed shard read to its end has no next iterator. */
    if (st->enabled || next < st->n) {
        char *it = emu_iterator_make(st, position, store_db_now_ms(ctx->db));
        if (!it) return emu_oom(ctx);
        cJSON_AddStringToObject(ctx->resp, "NextShardIterator", it);
        free(it);
    }
    return true;
}
