/* store/stream.c — the streams of a database and their records: making and
 * disabling streams, appending a committed write, retention, snapshots of
 * the log, and undoing the records of a write that failed part-way. */
#include "store/stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const store_stream_view_names[] = {"NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY", NULL};

/* ---------------------------------------------------------------- records */

static store_stream_record *record_retain(store_stream_record *r)
{
    __atomic_add_fetch(&r->refs, 1, __ATOMIC_RELAXED);
    return r;
}

static void record_release(store_stream_record *r)
{
    if (!r || __atomic_sub_fetch(&r->refs, 1, __ATOMIC_ACQ_REL) != 0) return;
    store_release(r->old_item);
    store_release(r->new_item);
    free(r);
}

/* ---------------------------------------------------------------- one stream */

static void stream_free(store_stream *st)
{
    if (!st) return;
    for (size_t i = 0; i < st->n; i++) record_release(st->records[i]);
    free(st->records);
    free(st->spare);
    free(st->table_name);
    store_release(st->key.names.pk_name);
    store_release(st->key.names.sk_name);
    free(st);
}

static store_stream *stream_copy(const store_stream *src, store_streams *owner)
{
    store_stream *st = calloc(1, sizeof *st);
    if (!st) return NULL;
    *st = *src;
    st->owner = owner;
    st->spare = NULL;
    st->table_name = strdup(src->table_name);
    st->records = src->n ? malloc(src->n * sizeof *st->records) : NULL;
    st->cap = src->n;
    if (!st->table_name || (src->n && !st->records)) {
        free(st->table_name);
        free(st->records);
        free(st);
        return NULL;
    }
    store_retain(st->key.names.pk_name);
    store_retain(st->key.names.sk_name);
    for (size_t i = 0; i < src->n; i++) st->records[i] = record_retain(src->records[i]);
    return st;
}

static void format_label(char out[STORE_STREAM_LABEL_LEN + 1], int64_t ms)
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    char buf[64]; /* the clock keeps to years 1970..9999: the label is always 23 characters */
    snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
    memcpy(out, buf, STORE_STREAM_LABEL_LEN);
    out[STORE_STREAM_LABEL_LEN] = 0;
}

/* A table's streams are told apart by their labels: with a fixed clock a
 * re-enable would reuse the time, so it moves on by a millisecond. */
static int64_t unique_label_time(const store_streams *s, const char *table_name, int64_t ms)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->list[i]->table_name, table_name) == 0 && s->list[i]->created_ms >= ms)
            ms = s->list[i]->created_ms + 1;
    return ms;
}

store_stream *store_streams_create(store_streams *s, const char *table_name, const store_key_schema *key,
                                   store_stream_view view, int64_t now_ms)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4;
        store_stream **grown = realloc(s->list, cap * sizeof *grown);
        if (!grown) return NULL;
        s->list = grown;
        s->cap = cap;
    }
    store_stream *st = calloc(1, sizeof *st);
    if (!st || !(st->table_name = strdup(table_name))) {
        free(st);
        return NULL;
    }
    st->owner = s;
    st->slot = s->n;
    st->key = *key;
    store_retain(st->key.names.pk_name);
    store_retain(st->key.names.sk_name);
    st->created_ms = unique_label_time(s, table_name, now_ms);
    format_label(st->label, st->created_ms);
    st->view = view;
    st->enabled = true;
    st->first_seq = s->next_seq;
    s->list[s->n++] = st;
    return st;
}

void store_stream_disable(store_stream *st, int64_t now_ms)
{
    st->enabled = false;
    st->disabled_ms = now_ms;
}

bool store_stream_visible(const store_stream *st, int64_t now_ms)
{
    return st->enabled || now_ms - st->disabled_ms < STORE_STREAM_RETENTION_MS;
}

uint64_t store_stream_last_seq(const store_stream *st)
{
    return st->n ? st->records[st->n - 1]->seq : st->first_seq;
}

/* ---------------------------------------------------------------- appending */

bool store_stream_reserve(store_stream *st)
{
    if (st->n == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 16;
        store_stream_record **grown = realloc(st->records, cap * sizeof *grown);
        if (!grown) return false;
        st->records = grown;
        st->cap = cap;
    }
    if (!st->spare) st->spare = malloc(sizeof *st->spare);
    return st->spare != NULL;
}

void store_stream_append(store_stream *st, const store_value *old_item, const store_value *new_item, bool by_ttl,
                         int64_t now_ms)
{
    if (!old_item && !new_item) return;
    if (old_item && new_item && store_value_equal(old_item, new_item)) return;
    store_stream_record *r = st->spare;
    st->spare = NULL;
    r->refs = 1;
    r->event = !old_item ? STORE_EVENT_INSERT : new_item ? STORE_EVENT_MODIFY : STORE_EVENT_REMOVE;
    r->by_ttl = by_ttl;
    r->seq = st->owner->next_seq++;
    r->at_ms = now_ms;
    r->old_item = store_retain((store_value *)old_item);
    r->new_item = store_retain((store_value *)new_item);
    st->records[st->n++] = r;
}

/* ---------------------------------------------------------------- retention */

size_t store_stream_first_retained(const store_stream *st, int64_t now_ms)
{
    /* A prefix ages out: with a clock set back, a later record may look older. */
    size_t i = 0;
    while (i < st->n && now_ms - st->records[i]->at_ms >= STORE_STREAM_RETENTION_MS) i++;
    return i;
}

uint64_t store_stream_trim_horizon(const store_stream *st, int64_t now_ms)
{
    size_t first = store_stream_first_retained(st, now_ms);
    return first ? st->records[first - 1]->seq : st->trimmed_through;
}

static void drop_first(store_stream *st, size_t k)
{
    if (!k) return;
    st->trimmed_through = st->records[k - 1]->seq;
    for (size_t i = 0; i < k; i++) record_release(st->records[i]);
    memmove(st->records, st->records + k, (st->n - k) * sizeof *st->records);
    st->n -= k;
}

void store_streams_trim(store_streams *s, int64_t now_ms)
{
    for (size_t i = 0; i < s->n; i++) drop_first(s->list[i], store_stream_first_retained(s->list[i], now_ms));
}

void store_streams_rollback(store_streams *s, uint64_t mark)
{
    for (size_t i = 0; i < s->n; i++) {
        store_stream *st = s->list[i];
        while (st->n && st->records[st->n - 1]->seq >= mark) record_release(st->records[--st->n]);
    }
    s->next_seq = mark;
}

void store_streams_forget_records(store_streams *s)
{
    for (size_t i = 0; i < s->n; i++) {
        store_stream *st = s->list[i];
        for (size_t j = 0; j < st->n; j++) record_release(st->records[j]);
        st->n = 0;
        st->trimmed_through = 0;
        st->first_seq = s->next_seq;
    }
}

/* ---------------------------------------------------------------- the registry */

store_streams *store_streams_new(void)
{
    store_streams *s = calloc(1, sizeof *s);
    if (s) s->next_seq = 1;
    return s;
}

void store_streams_free(store_streams *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->n; i++) stream_free(s->list[i]);
    free(s->list);
    free(s);
}

store_streams *store_streams_clone(const store_streams *src)
{
    store_streams *s = store_streams_new();
    if (!s) return NULL;
    s->next_seq = src->next_seq;
    s->list = src->n ? malloc(src->n * sizeof *s->list) : NULL;
    if (src->n && !s->list) {
        free(s);
        return NULL;
    }
    s->cap = src->n;
    for (; s->n < src->n; s->n++)
        if (!(s->list[s->n] = stream_copy(src->list[s->n], s))) {
            store_streams_free(s);
            return NULL;
        }
    return s;
}
