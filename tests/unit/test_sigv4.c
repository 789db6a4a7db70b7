/* tests/unit/test_sigv4.c — the HTTP front's two pure parts: the SigV4 check
 * (emulator/sigv4.c), held to a signature botocore computed, and the body
 * codecs (emulator/compression.c): gzip, zlib and raw deflate inflated
 * within a bound, Accept-Encoding read as HTTP says, answers gzipped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "emulator/compression.h"
#include "emulator/sigv4.h"

/* 2026-01-01T00:00:00Z, the X-Amz-Date of the vector below. */
#define SIGNED_AT_MS 1767225600000LL
#define MINUTE_MS 60000LL

/* A DescribeTable request as botocore signs it for AKIDEXAMPLE at SIGNED_AT_MS. */
static const char vector_body[] = "{\"TableName\":\"users\"}";
static const char vector_auth[] =
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/dynamodb/aws4_request, "
    "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
    "Signature=e3c76fb157045eeefa0008aef238fd132cd5b37a4c92186a8a9d8c69a9a981c3";

/* The secret the vector was signed with. */
#define VECTOR_SECRETS "{\"AKIDEXAMPLE\": \"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\"}"

typedef struct vector {
    emu_http_pair headers[5];
    emu_signed_request req;
} vector;

static void vector_init(vector *v, const char *auth, const char *body)
{
    v->headers[0] = (emu_http_pair){"Content-Type", "application/x-amz-json-1.0"};
    v->headers[1] = (emu_http_pair){"host", "127.0.0.1:8000"};
    v->headers[2] = (emu_http_pair){"X-Amz-Date", "20260101T000000Z"};
    v->headers[3] = (emu_http_pair){"X-Amz-Target", "DynamoDB_20120810.DescribeTable"};
    v->headers[4] = (emu_http_pair){"Authorization", auth};
    v->req = (emu_signed_request){"POST", "/", v->headers, 5, NULL, 0,
                                  (const unsigned char *)body, strlen(body)};
}

static emu_credentials *credentials(const char *json)
{
    char path[] = "/tmp/dynemu-creds-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, json, strlen(json)), (ssize_t)strlen(json));
    close(fd);
    char why[256];
    emu_credentials *c = emu_credentials_load(path, why, sizeof why);
    unlink(path);
    return c;
}

static store_status check(const emu_signed_request *req, const emu_credentials *c, int64_t now, store_error *err)
{
    *err = (store_error){.status = STORE_OK};
    bool ok = emu_sigv4_check(req, c, now, err);
    assert_true(ok == (err->status == STORE_OK));
    return err->status;
}

static void botocores_signature_is_verified(void **state)
{
    (void)state;
    emu_credentials *c = credentials(VECTOR_SECRETS);
    assert_non_null(c);
    vector v;
    vector_init(&v, vector_auth, vector_body);
    store_error err;
    assert_int_equal(check(&v.req, c, SIGNED_AT_MS, &err), STORE_OK);
    assert_int_equal(check(&v.req, c, SIGNED_AT_MS + 4 * MINUTE_MS, &err), STORE_OK);
    emu_credentials_free(c);
}

static void a_wrong_secret_or_changed_body_is_an_invalid_signature(void **state)
{
    (void)state;
    emu_credentials *c = credentials("{\"AKIDEXAMPLE\": \"another secret\"}");
    vector v;
    vector_init(&v, vector_auth, vector_body);
    store_error err;
    assert_int_equal(check(&v.req, c, SIGNED_AT_MS, &err), STORE_ERR_INVALID_SIGNATURE);
    assert_non_null(strstr(err.message, "The request signature we calculated does not match"));
    assert_non_null(strstr(err.message, "x-amz-target:DynamoDB_20120810.DescribeTable\n"));
    emu_credentials_free(c);

    c = credentials(VECTOR_SECRETS);
    vector_init(&v, vector_auth, "{\"TableName\":\"posts\"}");
    assert_int_equal(check(&v.req, c, SIGNED_AT_MS, &err), STORE_ERR_INVALID_SIGNATURE);
    emu_credentials_free(c);
}

static void a_date_outside_five_minutes_is_refused_by_the_clock(void **state)
{
    (void)state;
    emu_credentials *c = credentials(VECTOR_SECRETS);
    vector v;
    vector_init(&v, vector_auth, vector_body);
    store_error err;
    assert_int_equal(check(&v.req, c, SIGNED_AT_MS + 6 * MINUTE_MS, &err), STORE_ERR_INVALID_SIGNATURE);
    assert_string_equal(err.message, "Signature expired: 20260101T000000Z is now earlier than 20260101T000100Z "
                                     "(20260101T000600Z - 5 min.)");
    assert_int_equal(check(&v.req, c, SIGNED_AT_MS - 6 * MINUTE_MS, &err), STORE_ERR_INVALID_SIGNATURE);
    assert_non_null(strstr(err.message, "Signature not yet current"));
    /* Without credentials the date's form is checked, not its distance. */
    assert_int_equal(check(&v.req, NULL, SIGNED_AT_MS + 600 * MINUTE_MS, &err), STORE_OK);
    emu_credentials_free(c);
}

static void an_unknown_key_is_an_unrecognized_client(void **state)
{
    (void)state;
    emu_credentials *c = credentials("{\"AKIDOTHER\": \"secret\"}");
    vector v;
    vector_init(&v, vector_auth, vector_body);
    store_error err;
    assert_int_equal(check(&v.req, c, SIGNED_AT_MS, &err), STORE_ERR_UNRECOGNIZED_CLIENT);
    assert_string_equal(err.message, "The security token included in the request is invalid.");
    emu_credentials_free(c);
}

static void without_credentials_any_well_formed_signature_is_taken(void **state)
{
    (void)state;
    vector v;
    vector_init(&v, "AWS4-HMAC-SHA256 Credential=ANY/20260101/eu-west-1/dynamodb/aws4_request, "
                    "SignedHeaders=host, Signature=00", vector_body);
    store_error err;
    assert_int_equal(check(&v.req, NULL, 0, &err), STORE_OK);
    vector_init(&v, "AWS4-HMAC-SHA256 Credential=ANY/20260101/eu-west-1/dynamodb/aws4_request, "
                    "SignedHeaders=x-amz-date, Signature=00", vector_body);
    assert_int_equal(check(&v.req, NULL, 0, &err), STORE_ERR_INVALID_SIGNATURE);
    assert_string_equal(err.message, "'Host' must be a 'SignedHeader' in the AWS Authorization.");
}

static void a_credentials_file_must_be_an_object_of_strings(void **state)
{
    (void)state;
    assert_null(credentials("[\"AKID\"]"));
    assert_null(credentials("{\"AKID\": 5}"));
    assert_null(credentials("not json"));
    char why[256];
    assert_null(emu_credentials_load("/nonexistent/creds.json", why, sizeof why));
    assert_true(strlen(why) > 0);
}

/* The date read by hand (every SDK's X-Amz-Date) and by the C library agree:
 * same verdict, same moment, same ISO form for the scope. */
static void assert_date_readings_agree(const char *text)
{
    int64_t fast_ms = -1, libc_ms = -1;
    char fast_iso[17] = "", libc_iso[17] = "";
    bool fast = emu_sigv4_read_date(text, &fast_ms, fast_iso), libc = emu_sigv4_read_date_by_libc(text, &libc_ms, libc_iso);
    if (fast != libc) fail_msg("%s: read %d by hand, %d by the C library", text, fast, libc);
    if (!fast) return;
    if (fast_ms != libc_ms) fail_msg("%s: %lld ms by hand, %lld by the C library", text, (long long)fast_ms, (long long)libc_ms);
    assert_string_equal(fast_iso, libc_iso);
}

static void a_date_read_by_hand_is_the_date_the_c_library_reads(void **state)
{
    (void)state;
    char text[64]; /* room for any int, as the compiler counts */
    /* Every day of 1970-2100 (each leap day and month end), at a time that moves through the day. */
    for (int year = 1970; year <= 2100; year++)
        for (int month = 1; month <= 12; month++)
            for (int day = 1; day <= 31; day++) {
                int s = (year * 372 + month * 31 + day) % 86400;
                snprintf(text, sizeof text, "%04d%02d%02dT%02d%02d%02dZ", year, month, day, s / 3600, s / 60 % 60, s % 60);
                assert_date_readings_agree(text);
            }
    static const char *const edges[] = {
        "20260101T000000Z", "20261231T235959Z", "19700101T000000Z", "19691231T235959Z", "99991231T235959Z",
        "20000229T120000Z", "19000229T120000Z", "21000229T120000Z", "20260230T000000Z", "20260431T000000Z",
        "20261301T000000Z", "20260001T000000Z", "20260100T000000Z", "20260101T240000Z", "20260101T006000Z",
        "20260101T000060Z", "20260101T000061Z", "2026010 T000000Z", "2026-01-01T00:00:00Z", "20260101T000000",
        "20260101T000000Zx", "20260101t000000Z", "20260101T000000z", "2026o101T000000Z", "", "Z",
        "Thu, 01 Jan 2026 00:00:00 GMT", "Fri, 31 Dec 1999 23:59:59 GMT", "01 Jan 2026 00:00:00 GMT",
    };
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) assert_date_readings_agree(edges[i]);
    int64_t ms;
    char iso[17];
    assert_true(emu_sigv4_read_date("20260101T000000Z", &ms, iso));
    assert_int_equal(ms, SIGNED_AT_MS);
    assert_true(emu_sigv4_read_date("20260230T000000Z", &ms, iso)); /* normalised, as timegm does */
    assert_string_equal(iso, "20260302T000000Z");
    assert_false(emu_sigv4_read_date("2026-01-01T00:00:00Z", &ms, iso));
}

/* ------------------------------------------------------------ compression */

static char *deflated(const char *in, size_t len, int window_bits, size_t *out_len)
{
    z_stream z = {0};
    assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&z, len);
    char *out = malloc(cap);
    z.next_in = (Bytef *)in, z.avail_in = (uInt)len;
    z.next_out = (Bytef *)out, z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    *out_len = cap - z.avail_out;
    deflateEnd(&z);
    return out;
}

static void gzip_zlib_and_raw_deflate_are_inflated(void **state)
{
    (void)state;
    static const char text[] = "{\"TableName\":\"users\",\"Key\":{\"id\":{\"S\":\"1\"}}}";
    const struct { emu_encoding enc; int bits; } cases[] = {
        {EMU_ENCODING_GZIP, 15 + 16}, {EMU_ENCODING_DEFLATE, 15}, {EMU_ENCODING_DEFLATE, -15}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t zlen, len;
        char *z = deflated(text, strlen(text), cases[i].bits, &zlen), *out;
        assert_int_equal(emu_inflate(cases[i].enc, z, zlen, 1000, &out, &len), EMU_INFLATE_OK);
        assert_int_equal(len, strlen(text));
        assert_string_equal(out, text);
        free(out);
        free(z);
    }
}

static void two_gzip_members_are_one_body(void **state)
{
    (void)state;
    size_t a_len, b_len, len;
    char *a = deflated("{\"a\":", 5, 31, &a_len), *b = deflated("1}", 2, 31, &b_len), *out;
    char *both = malloc(a_len + b_len);
    memcpy(both, a, a_len);
    memcpy(both + a_len, b, b_len);
    assert_int_equal(emu_inflate(EMU_ENCODING_GZIP, both, a_len + b_len, 100, &out, &len), EMU_INFLATE_OK);
    assert_string_equal(out, "{\"a\":1}");
    free(out), free(both), free(a), free(b);
}

static void a_bomb_stops_at_the_bound_and_corrupt_data_is_refused(void **state)
{
    (void)state;
    size_t big = 8 * 1024 * 1024, zlen, len;
    char *zeros = calloc(1, big);
    char *z = deflated(zeros, big, 31, &zlen), *out = (char *)1;
    assert_true(zlen < 64 * 1024);
    assert_int_equal(emu_inflate(EMU_ENCODING_GZIP, z, zlen, big - 1, &out, &len), EMU_INFLATE_TOO_LARGE);
    assert_null(out);
    assert_int_equal(emu_inflate(EMU_ENCODING_GZIP, z, zlen, big, &out, &len), EMU_INFLATE_OK);
    assert_int_equal(len, big);
    free(out);
    assert_int_equal(emu_inflate(EMU_ENCODING_GZIP, z, zlen / 2, big, &out, &len), EMU_INFLATE_CORRUPT);
    assert_int_equal(emu_inflate(EMU_ENCODING_GZIP, "not gzip at all", 15, big, &out, &len), EMU_INFLATE_CORRUPT);
    assert_null(out);
    free(z), free(zeros);
}

static void content_and_accept_encodings_are_read_as_http_says(void **state)
{
    (void)state;
    assert_int_equal(emu_encoding_of(NULL), EMU_ENCODING_IDENTITY);
    assert_int_equal(emu_encoding_of("identity"), EMU_ENCODING_IDENTITY);
    assert_int_equal(emu_encoding_of("GZIP"), EMU_ENCODING_GZIP);
    assert_int_equal(emu_encoding_of("x-gzip"), EMU_ENCODING_GZIP);
    assert_int_equal(emu_encoding_of("deflate"), EMU_ENCODING_DEFLATE);
    assert_int_equal(emu_encoding_of("br"), EMU_ENCODING_UNKNOWN);
    assert_true(emu_accepts_gzip("gzip"));
    assert_true(emu_accepts_gzip("deflate, gzip;q=0.5"));
    assert_false(emu_accepts_gzip(NULL));
    assert_false(emu_accepts_gzip("identity"));
    assert_false(emu_accepts_gzip("*")); /* only a client that names gzip gets it */
    assert_false(emu_accepts_gzip("gzip;q=0"));
    assert_false(emu_accepts_gzip("gzip; q=0.000, identity"));
}

static void an_answer_gzipped_inflates_back(void **state)
{
    (void)state;
    char text[5000];
    for (size_t i = 0; i < sizeof text; i++) text[i] = (char)('a' + i % 7);
    size_t zlen, len;
    char *z = emu_gzip(text, sizeof text, &zlen), *out;
    assert_non_null(z);
    assert_true(zlen < sizeof text);
    assert_int_equal((unsigned char)z[0], 0x1f); /* gzip's magic, as Content-Encoding: gzip says */
    assert_int_equal(emu_inflate(EMU_ENCODING_GZIP, z, zlen, sizeof text, &out, &len), EMU_INFLATE_OK);
    assert_memory_equal(out, text, sizeof text);
    free(out), free(z);
}

/* ------------------------------------------------------------- mutations */

/* Every cut and every byte change of a signed request's Authorization, and of
 * a gzipped body, is answered (under ASan in make test: without a bad read). */
static void mutated_signatures_and_bodies_are_answered(void **state)
{
    (void)state;
    emu_credentials *c = credentials(VECTOR_SECRETS);
    static const char bytes[] = {0, ' ', ',', '=', '/', 'A', '\xff'};
    size_t n = strlen(vector_auth), accepted = 0;
    char auth[sizeof vector_auth];
    for (size_t i = 0; i < n; i++) {
        for (size_t b = 0; b <= sizeof bytes; b++) {
            memcpy(auth, vector_auth, sizeof vector_auth);
            if (b < sizeof bytes && auth[i] == bytes[b]) continue; /* no change */
            if (b < sizeof bytes) auth[i] = bytes[b];
            else auth[i + 1] = 0; /* cut after i */
            vector v;
            vector_init(&v, auth, vector_body);
            store_error err;
            if (check(&v.req, c, SIGNED_AT_MS, &err) == STORE_OK) {
                /* Only a separator changed: AWS splits the parts on blanks and commas, and
                   ignores a Credential's trailing slash. */
                bool separator = b < sizeof bytes && strchr(" ,", vector_auth[i]) && strchr(" ,/", bytes[b]);
                if (!separator && i + 1 != n) fail_msg("a changed signature was accepted: %s", auth);
                accepted++;
            }
            (void)check(&v.req, NULL, SIGNED_AT_MS, &err);
        }
    }
    assert_true(accepted >= 1); /* the untouched one, cut after its last byte */
    size_t zlen, len;
    char *z = deflated(vector_body, strlen(vector_body), 31, &zlen), *out;
    for (size_t i = 0; i < zlen; i++) {
        for (int flip = 0; flip < 2; flip++) {
            char *m = malloc(zlen);
            memcpy(m, z, zlen);
            if (flip) m[i] ^= 0x5a;
            emu_inflate_result r = emu_inflate(EMU_ENCODING_GZIP, m, flip ? zlen : i, 1024, &out, &len);
            if (r == EMU_INFLATE_OK) free(out);
            else assert_null(out);
            free(m);
        }
    }
    free(z);
    emu_credentials_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(botocores_signature_is_verified),
        cmocka_unit_test(a_wrong_secret_or_changed_body_is_an_invalid_signature),
        cmocka_unit_test(a_date_outside_five_minutes_is_refused_by_the_clock),
        cmocka_unit_test(an_unknown_key_is_an_unrecognized_client),
        cmocka_unit_test(without_credentials_any_well_formed_signature_is_taken),
        cmocka_unit_test(a_credentials_file_must_be_an_object_of_strings),
        cmocka_unit_test(a_date_read_by_hand_is_the_date_the_c_library_reads),
        cmocka_unit_test(gzip_zlib_and_raw_deflate_are_inflated),
        cmocka_unit_test(two_gzip_members_are_one_body),
        cmocka_unit_test(a_bomb_stops_at_the_bound_and_corrupt_data_is_refused),
        cmocka_unit_test(content_and_accept_encodings_are_read_as_http_says),
        cmocka_unit_test(an_answer_gzipped_inflates_back),
        cmocka_unit_test(mutated_signatures_and_bodies_are_answered),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
