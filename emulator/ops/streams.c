/* emulator/ops/streams.c — StreamSpecification, stream ARNs, shard ids,
 * sequence numbers, sealed shard iterators and the wire form of a record,
 * shared by the four Streams operations and the table operations. */
#include "emulator/ops/streams.h"

#include <inttypes.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emulator/ops/table_description.h"

static const char view_set[] = "[NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY]";

/* ---------------------------------------------------------------- members */

void emu_check_length(emu_violations *v, const char *value, const char *field, size_t min, size_t max)
{
    if (!value) return;
    size_t len = strlen(value);
    if (len < min)
        emu_violation(v, "Value '%s' at '%s' failed to satisfy constraint: Member must have length greater than or equal to %zu",
                      value, field, min);
    if (len > max)
        emu_violation(v, "Value '%s' at '%s' failed to satisfy constraint: Member must have length less than or equal to %zu",
                      value, field, max);
}

bool emu_read_stream_limit(emu_ctx *ctx, emu_violations *v, long long max, long long *limit)
{
    bool present;
    if (!emu_integer(ctx, ctx->req, "Limit", &present, limit)) return false;
    if (present && *limit < 1)
        emu_violation(v, "Value '%lld' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
                      *limit);
    if (present && *limit > max)
        emu_violation(v, "Value '%lld' at 'limit' failed to satisfy constraint: Member must have value less than or equal to %lld",
                      *limit, max);
    if (!present) *limit = max;
    return true;
}

/* ---------------------------------------------------------------- StreamSpecification */

static store_stream_view view_of(const char *name)
{
    int i = 0;
    while (store_stream_view_names[i] && strcmp(store_stream_view_names[i], name) != 0) i++;
    return (store_stream_view)i;
}

bool emu_read_stream_specification(emu_ctx *ctx, emu_violations *v, emu_stream_spec *spec)
{
    memset(spec, 0, sizeof *spec);
    const cJSON *s;
    if (!emu_object(ctx, ctx->req, "StreamSpecification", &s)) return false;
    if (!s) return true;
    spec->given = true;
    bool present;
    const char *view;
    if (!emu_bool(ctx, s, "StreamEnabled", &present, &spec->enabled) || !emu_string(ctx, s, "StreamViewType", &view))
        return false;
    if (!present)
        emu_violation(v, "Value null at 'streamSpecification.streamEnabled' failed to satisfy constraint: "
                         "Member must not be null");
    emu_check_enum(v, view, "streamSpecification.streamViewType", store_stream_view_names, view_set);
    spec->view_given = view != NULL;
    if (view) spec->view = view_of(view);
    return true;
}

bool emu_enable_stream(emu_ctx *ctx, store_table *t, store_stream_view view)
{
    store_stream *st = store_streams_create(ctx->db->streams, t->name, &t->key, view, store_db_now_ms(ctx->db));
    if (!st) return emu_oom(ctx);
    t->stream = st;
    return true;
}

bool emu_describe_table_stream(cJSON *d, const store_table *t)
{
    const store_stream *st = t->stream;
    if (!st) return true;
    if (st->enabled) {
        cJSON *spec = cJSON_AddObjectToObject(d, "StreamSpecification");
        if (!spec || !cJSON_AddBoolToObject(spec, "StreamEnabled", true) ||
            !cJSON_AddStringToObject(spec, "StreamViewType", store_stream_view_names[st->view]))
            return false;
    }
    /* After a disable, AWS keeps naming the last stream. */
    char arn[EMU_STREAM_ARN_MAX + 1];
    emu_stream_arn(st, arn, sizeof arn);
    return cJSON_AddStringToObject(d, "LatestStreamLabel", st->label) && cJSON_AddStringToObject(d, "LatestStreamArn", arn);
}

/* ---------------------------------------------------------------- names */

void emu_stream_arn(const store_stream *st, char *buf, size_t size)
{
    snprintf(buf, size, "arn:aws:dynamodb:%s:%s:table/%s/stream/%s", EMU_REGION, EMU_ACCOUNT_ID, st->table_name,
             st->label);
}

/* "shardId-<20 digits of the creation time>-<8 hex digits>", as AWS's look,
 * the hex digits a hash of the stream's ARN so that runs repeat exactly. */
void emu_shard_id(const store_stream *st, char *buf, size_t size)
{
    char arn[EMU_STREAM_ARN_MAX + 1];
    emu_stream_arn(st, arn, sizeof arn);
    unsigned char h[4];
    crypto_generichash(h, sizeof h, (const unsigned char *)arn, strlen(arn), NULL, 0);
    snprintf(buf, size, "shardId-%020" PRId64 "-%02x%02x%02x%02x", st->created_ms, h[0], h[1], h[2], h[3]);
}

store_stream *emu_stream_by_arn(emu_ctx *ctx, const char *arn)
{
    int64_t now = store_db_now_ms(ctx->db);
    char candidate[EMU_STREAM_ARN_MAX + 1];
    const store_streams *s = ctx->db->streams;
    for (size_t i = 0; i < s->n; i++) {
        emu_stream_arn(s->list[i], candidate, sizeof candidate);
        if (strcmp(candidate, arn) == 0 && store_stream_visible(s->list[i], now)) return s->list[i];
    }
    store_fail(&ctx->err, STORE_ERR_NOT_FOUND, "Requested resource not found: Stream: %s not found", arn);
    return NULL;
}

/* ---------------------------------------------------------------- sequence numbers */

/* A leading 1 and 20 digits: every number the same length, so the text
 * orders as the number does. */
void emu_sequence_text(uint64_t seq, char out[EMU_SEQUENCE_TEXT])
{
    snprintf(out, EMU_SEQUENCE_TEXT, "1%020" PRIu64, seq);
}

bool emu_sequence_parse(const char *text, uint64_t *seq)
{
    if (strlen(text) != EMU_SEQUENCE_TEXT - 1 || text[0] != '1') return false;
    uint64_t n = 0;
    for (const char *p = text + 1; *p; p++) {
        if (*p < '0' || *p > '9') return false;
        uint64_t d = (uint64_t)(*p - '0');
        if (n > (UINT64_MAX - d) / 10) return false;
        n = n * 10 + d;
    }
    *seq = n;
    return true;
}

/* ---------------------------------------------------------------- shard iterators */

/* "<stream ARN>|1|<base64url of position, time and MAC>", the shape of AWS's. */
#define ITERATOR_BODY (8 + 8 + crypto_auth_hmacsha256_BYTES)

static unsigned char iterator_key[crypto_auth_hmacsha256_KEYBYTES];
static pthread_once_t iterator_key_once = PTHREAD_ONCE_INIT;

/* One key per process: an iterator is good only where it was handed out. */
static void make_iterator_key(void)
{
    if (sodium_init() < 0) abort();
    crypto_auth_hmacsha256_keygen(iterator_key);
}

static void put_u64(unsigned char *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8) p[i] = (unsigned char)v;
}

static uint64_t get_u64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = v << 8 | p[i];
    return v;
}

static void seal(const char *arn, const unsigned char *body, unsigned char *mac)
{
    pthread_once(&iterator_key_once, make_iterator_key);
    crypto_auth_hmacsha256_state s;
    crypto_auth_hmacsha256_init(&s, iterator_key, sizeof iterator_key);
    crypto_auth_hmacsha256_update(&s, (const unsigned char *)arn, strlen(arn));
    crypto_auth_hmacsha256_update(&s, body, 16);
    crypto_auth_hmacsha256_final(&s, mac);
}

char *emu_iterator_make(const store_stream *st, uint64_t position, int64_t now_ms)
{
    char arn[EMU_STREAM_ARN_MAX + 1];
    emu_stream_arn(st, arn, sizeof arn);
    unsigned char body[ITERATOR_BODY];
    put_u64(body, position);
    put_u64(body + 8, (uint64_t)now_ms);
    seal(arn, body, body + 16);
    size_t b64 = sodium_base64_ENCODED_LEN(sizeof body, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    size_t arn_len = strlen(arn);
    char *out = malloc(arn_len + 3 + b64);
    if (!out) return NULL;
    memcpy(out, arn, arn_len);
    memcpy(out + arn_len, "|1|", 3);
    sodium_bin2base64(out + arn_len + 3, b64, body, sizeof body, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return out;
}

bool emu_iterator_open(const char *text, char *arn, size_t arn_size, uint64_t *position, int64_t *issued_ms)
{
    const char *bar = strstr(text, "|1|");
    size_t arn_len = bar ? (size_t)(bar - text) : 0;
    if (!bar || arn_len == 0 || arn_len >= arn_size) return false;
    memcpy(arn, text, arn_len);
    arn[arn_len] = 0;
    unsigned char body[ITERATOR_BODY];
    size_t n;
    const char *b64 = bar + 3;
    if (sodium_base642bin(body, sizeof body, b64, strlen(b64), NULL, &n, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        n != sizeof body)
        return false;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    seal(arn, body, mac);
    if (sodium_memcmp(mac, body + 16, sizeof mac) != 0) return false;
    *position = get_u64(body);
    *issued_ms = (int64_t)get_u64(body + 8);
    return true;
}

/* ---------------------------------------------------------------- records */

static const char *const event_names[] = {"INSERT", "MODIFY", "REMOVE"};

/* 32 hex digits, a hash of the stream and the sequence number: unique, and the same on every run. */
static void event_id(const store_stream *st, const store_stream_record *r, char out[33])
{
    char arn[EMU_STREAM_ARN_MAX + 1];
    emu_stream_arn(st, arn, sizeof arn);
    unsigned char seq[8], h[16];
    put_u64(seq, r->seq);
    crypto_generichash_state s;
    crypto_generichash_init(&s, NULL, 0, sizeof h);
    crypto_generichash_update(&s, (const unsigned char *)arn, strlen(arn));
    crypto_generichash_update(&s, seq, sizeof seq);
    crypto_generichash_final(&s, h, sizeof h);
    sodium_bin2hex(out, 33, h, sizeof h);
}

static void put_string_member(store_text *out, const char *name, const char *value)
{
    store_text_put(out, "\"", 1);
    store_text_put(out, name, strlen(name));
    store_text_put(out, "\":\"", 3);
    store_text_put(out, value, strlen(value)); /* names, labels and digits: nothing to escape */
    store_text_put(out, "\"", 1);
}

static void put_image(store_text *out, const char *name, const store_value *item, size_t *size)
{
    store_text_put(out, ",\"", 2);
    store_text_put(out, name, strlen(name));
    store_text_put(out, "\":", 2);
    store_text_item(out, item);
    *size += store_item_size(item);
}

void emu_text_stream_record(store_text *out, const store_stream *st, const store_stream_record *r)
{
    char id[33], seq[EMU_SEQUENCE_TEXT];
    event_id(st, r, id);
    emu_sequence_text(r->seq, seq);
    store_text_put_literal(out, "{");
    put_string_member(out, "eventID", id);
    store_text_put_literal(out, ",");
    put_string_member(out, "eventName", event_names[r->event]);
    store_text_put_literal(out, ",\"eventVersion\":\"1.1\",\"eventSource\":\"aws:dynamodb\",\"awsRegion\":\"" EMU_REGION
                                "\",\"dynamodb\":{\"ApproximateCreationDateTime\":");
    store_text_put_integer(out, r->at_ms / 1000);
    size_t size = 0;
    store_value *keys = emu_key_of(&st->key, r->new_item ? r->new_item : r->old_item);
    if (keys) put_image(out, "Keys", keys, &size);
    store_release(keys);
    bool new_image = st->view == STORE_STREAM_NEW_IMAGE || st->view == STORE_STREAM_NEW_AND_OLD_IMAGES;
    bool old_image = st->view == STORE_STREAM_OLD_IMAGE || st->view == STORE_STREAM_NEW_AND_OLD_IMAGES;
    if (new_image && r->new_item) put_image(out, "NewImage", r->new_item, &size);
    if (old_image && r->old_item) put_image(out, "OldImage", r->old_item, &size);
    store_text_put_literal(out, ",");
    put_string_member(out, "SequenceNumber", seq);
    store_text_put_literal(out, ",\"SizeBytes\":");
    store_text_put_integer(out, (long long)size);
    store_text_put_literal(out, ",");
    put_string_member(out, "StreamViewType", store_stream_view_names[st->view]);
    store_text_put_literal(out, "}");
    /* The API's Identity shape spells its members with capitals (Lambda's event, not this, writes "type"). */
    if (r->by_ttl)
        store_text_put_literal(out, ",\"userIdentity\":{\"PrincipalId\":\"dynamodb.amazonaws.com\",\"Type\":\"Service\"}");
    store_text_put_literal(out, "}");
}
