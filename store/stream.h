/* store/stream.h — DynamoDB Streams: the change log of a table.
 *
 * A database keeps every stream it made (store_streams), in the order made:
 * a table points at its latest one (store_table.stream), and a stream
 * outlives a disable or a DeleteTable for the retention period, as on AWS.
 * Each stream is one shard (no roll-over), holding its records in commit
 * order. Records are written only by store_table_put / store_table_remove
 * (store/table.c), the one write path, so no kind of write can skip them.
 *
 * Records are immutable and shared by reference between a database and its
 * snapshots; a snapshot copies a stream's array of record pointers. */
#ifndef STORE_STREAM_H
#define STORE_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/table.h"

/* Records are readable for 24 hours by the database's clock; a disabled
 * stream is listed for 24 hours after it was disabled. */
#define STORE_STREAM_RETENTION_MS (24LL * 60 * 60 * 1000)
/* "2026-01-01T00:00:00.000": the stream label, from the clock, to the millisecond. */
#define STORE_STREAM_LABEL_LEN 23

typedef enum store_stream_view {
    STORE_STREAM_NEW_IMAGE, STORE_STREAM_OLD_IMAGE, STORE_STREAM_NEW_AND_OLD_IMAGES, STORE_STREAM_KEYS_ONLY
} store_stream_view;

/* "NEW_IMAGE", ... by store_stream_view, NULL-terminated (AWS's order). */
extern const char *const store_stream_view_names[];

typedef enum store_stream_event { STORE_EVENT_INSERT, STORE_EVENT_MODIFY, STORE_EVENT_REMOVE } store_stream_event;

typedef struct store_stream_record {
    uint32_t refs;                  /* shared with snapshots; atomic */
    uint8_t event;                  /* store_stream_event */
    bool by_ttl;                    /* deleted by TTL expiry (userIdentity: the service) */
    uint64_t seq;                   /* the database's sequence number */
    int64_t at_ms;                  /* ApproximateCreationDateTime */
    store_value *old_item, *new_item;   /* NULL where the event has none */
} store_stream_record;

struct store_streams;

typedef struct store_stream {
    struct store_streams *owner;    /* the database's registry: its sequence counter */
    size_t slot;                    /* position in owner->list */
    char *table_name;
    store_key_schema key;           /* the table's, kept past a DeleteTable (names retained) */
    char label[STORE_STREAM_LABEL_LEN + 1];
    int64_t created_ms;
    store_stream_view view;
    bool enabled;
    int64_t disabled_ms;
    uint64_t first_seq;             /* the shard's StartingSequenceNumber */
    uint64_t trimmed_through;       /* the last sequence number dropped by retention (0: none) */
    store_stream_record **records;
    size_t n, cap;
    store_stream_record *spare;     /* reserved before a write, so appending cannot fail */
} store_stream;

typedef struct store_streams {
    store_stream **list;
    size_t n, cap;
    uint64_t next_seq;              /* the next record's sequence number */
} store_streams;

store_streams *store_streams_new(void);
void store_streams_free(store_streams *s);
/* A copy of src's streams and records (records shared); NULL when out of memory. */
store_streams *store_streams_clone(const store_streams *src);

/* A new enabled stream of the named table (label from now_ms, made unique
 * among the table's streams); NULL when out of memory. */
store_stream *store_streams_create(store_streams *s, const char *table_name, const store_key_schema *key,
                                   store_stream_view view, int64_t now_ms);
/* Closes the stream's shard; it stays readable for the retention period. */
void store_stream_disable(store_stream *st, int64_t now_ms);
/* Whether the stream is still listed and readable at now_ms. */
bool store_stream_visible(const store_stream *st, int64_t now_ms);
/* The shard's last sequence number once closed (its first when it holds nothing). */
uint64_t store_stream_last_seq(const store_stream *st);

/* Makes sure the next store_stream_append cannot fail; false when out of memory. */
bool store_stream_reserve(store_stream *st);
/* Appends the record of one committed write (after store_stream_reserve).
 * A write that changed nothing (new_item equal to old_item) writes none,
 * as DynamoDB Streams writes none. */
void store_stream_append(store_stream *st, const store_value *old_item, const store_value *new_item, bool by_ttl,
                         int64_t now_ms);

/* The index of the first record still retained at now_ms (records before it
 * have aged out but are dropped only under the write lock). */
size_t store_stream_first_retained(const store_stream *st, int64_t now_ms);
/* The last sequence number no longer readable at now_ms (0: none). */
uint64_t store_stream_trim_horizon(const store_stream *st, int64_t now_ms);
/* Drops the records aged out at now_ms, in every stream. Needs the write lock. */
void store_streams_trim(store_streams *s, int64_t now_ms);

/* Undoing a write that failed part-way: the sequence number of the next
 * record, and dropping every record from mark on. */
static inline uint64_t store_streams_mark(const store_streams *s) { return s->next_seq; }
void store_streams_rollback(store_streams *s, uint64_t mark);
/* Drops every record, keeping the streams (the seed state has empty streams). */
void store_streams_forget_records(store_streams *s);

#endif
