/* emulator/ops/streams.h — what the DynamoDB Streams operations (ListStreams,
 * DescribeStream, GetShardIterator, GetRecords) and the table operations
 * share: StreamSpecification, stream ARNs and shard ids, sequence numbers,
 * shard iterators, and a record as the wire carries it. */
#ifndef EMU_OPS_STREAMS_H
#define EMU_OPS_STREAMS_H

#include "emulator/ops/common.h"
#include "store/stream.h"

/* AWS's limits on the Streams API's members. */
#define EMU_STREAM_ARN_MIN 37
#define EMU_STREAM_ARN_MAX 1024
#define EMU_SHARD_ID_MIN 28
#define EMU_SHARD_ID_MAX 65
#define EMU_SEQUENCE_MIN 21
#define EMU_SEQUENCE_MAX 40
#define EMU_ITERATOR_MAX 2048
#define EMU_LIST_STREAMS_MAX 100
#define EMU_DESCRIBE_STREAM_MAX 100
#define EMU_GET_RECORDS_MAX 1000
#define EMU_GET_RECORDS_MAX_BYTES (1024 * 1024)
/* A shard iterator is good for 15 minutes by the database's clock. */
#define EMU_ITERATOR_LIFETIME_MS (15 * 60 * 1000)

/* Constraint checks of the Streams API's members, collected as AWS collects them. */
void emu_check_length(emu_violations *v, const char *value, const char *field, size_t min, size_t max);
/* Reads Limit (1..max); *limit is max when absent. */
bool emu_read_stream_limit(emu_ctx *ctx, emu_violations *v, long long max, long long *limit);

/* A request's StreamSpecification (CreateTable, UpdateTable). */
typedef struct emu_stream_spec {
    bool given, enabled, view_given;
    store_stream_view view;
} emu_stream_spec;

bool emu_read_stream_specification(emu_ctx *ctx, emu_violations *v, emu_stream_spec *spec);
/* Starts a new stream on t (enabled); false when out of memory. */
bool emu_enable_stream(emu_ctx *ctx, store_table *t, store_stream_view view);
/* StreamSpecification, LatestStreamArn and LatestStreamLabel of a TableDescription;
 * false when out of memory. */
bool emu_describe_table_stream(cJSON *d, const store_table *t);

void emu_stream_arn(const store_stream *st, char *buf, size_t size);
void emu_shard_id(const store_stream *st, char *buf, size_t size);
/* The stream an ARN names, if it is still listed; NULL with ResourceNotFoundException. */
store_stream *emu_stream_by_arn(emu_ctx *ctx, const char *arn);

/* A sequence number as AWS writes them: 21 decimal digits. */
#define EMU_SEQUENCE_TEXT 22
void emu_sequence_text(uint64_t seq, char out[EMU_SEQUENCE_TEXT]);
bool emu_sequence_parse(const char *text, uint64_t *seq);

/* A shard iterator: the stream, the next sequence number to read and when
 * it was handed out, sealed with a MAC so that a forged or altered one is
 * refused rather than followed. */
char *emu_iterator_make(const store_stream *st, uint64_t position, int64_t now_ms);
/* The iterator's stream ARN (into arn) and position; false if it is not one dynemu made. */
bool emu_iterator_open(const char *text, char *arn, size_t arn_size, uint64_t *position, int64_t *issued_ms);

/* One record as GetRecords and /_dynemu/streams answer it. */
void emu_text_stream_record(store_text *out, const store_stream *st, const store_stream_record *r);

#endif
