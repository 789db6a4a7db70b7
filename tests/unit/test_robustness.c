/* tests/unit/test_robustness.c — bad input never crashes dynemu, never leaks,
 * and always gets a well-formed DynamoDB answer.
 *
 * A corpus of valid requests, one or more for each operation (each first
 * checked to answer 200), is mutated many times over, deterministically: a
 * fixed-seed xorshift of this file's own, never rand() or time(), so a
 * failure reproduces on every run. Mutations are raw (a truncation at every
 * offset, every single byte deleted, flipped bits, spliced hostile bytes)
 * and structured (the request parsed with cJSON, one node changed: another
 * JSON type, another DynamoDB type tag, a hostile string or number, a
 * removed, renamed, duplicated or deeply nested member, an expression with a
 * token spliced in, and every request sent to every other operation), and a
 * fixed list of hostile requests goes through as well.
 *
 * Every answer is held to what a client can rely on: status 200 or 400, a
 * body that is one JSON object in valid UTF-8, on 400 a "__type" dynemu
 * uses with a non-empty "message", on 200 well-formed attribute values.
 * Every request is passed in a buffer of exactly its length, so under
 * AddressSanitizer (build/unit-asan) an overread, a crash or a leak fails
 * the program too. After its rounds each test checks the state is still
 * consistent: the sentinel items, their two indexes, and a full Scan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <unistr.h>

#include "dynemu.h"

/* ------------------------------------------------------ deterministic PRNG */

/* xorshift64*: fixed seeds, so every run sends the same requests. */
typedef struct prng {
    uint64_t s;
} prng;

static uint64_t prng_next(prng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 0x2545F4914F6CDD1Dull;
}

/* A number in [0, n); 0 when n is 0. */
static size_t below(prng *r, size_t n) { return n ? (size_t)(prng_next(r) % n) : 0; }

static bool one_in(prng *r, size_t n) { return below(r, n) == 0; }

#define PICK(r, array) ((array)[below((r), sizeof(array) / sizeof(array)[0])])

/* ----------------------------------------------------------- the fixture */

/* The tables every test starts from. "robust" has a sort key, a GSI and an
 * LSI; the partition "sentinel-partition" (and GSI partition "sentinel-g")
 * is never named by a write of the corpus, and no mutation can turn a
 * corpus key into it, so it must read back exactly after any rounds.
 * "scratch" and "billing" take the table-level changes; "doomed" is made
 * and dropped over and over. */
static const char *const fixture_tables[] = {
    "{\"TableName\":\"robust\","
    "\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}],"
    "\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"},{\"AttributeName\":\"sk\",\"AttributeType\":\"N\"},"
    "{\"AttributeName\":\"g\",\"AttributeType\":\"S\"},{\"AttributeName\":\"l\",\"AttributeType\":\"S\"}],"
    "\"GlobalSecondaryIndexes\":[{\"IndexName\":\"by_g\",\"KeySchema\":[{\"AttributeName\":\"g\",\"KeyType\":\"HASH\"},"
    "{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}],\"Projection\":{\"ProjectionType\":\"ALL\"}}],"
    "\"LocalSecondaryIndexes\":[{\"IndexName\":\"by_l\",\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},"
    "{\"AttributeName\":\"l\",\"KeyType\":\"RANGE\"}],\"Projection\":{\"ProjectionType\":\"INCLUDE\",\"NonKeyAttributes\":[\"v\"]}}],"
    "\"BillingMode\":\"PAY_PER_REQUEST\",\"StreamSpecification\":{\"StreamEnabled\":true,\"StreamViewType\":\"NEW_AND_OLD_IMAGES\"}}",
    "{\"TableName\":\"scratch\",\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}],"
    "\"AttributeDefinitions\":[{\"AttributeName\":\"id\",\"AttributeType\":\"S\"}],\"BillingMode\":\"PAY_PER_REQUEST\"}",
    "{\"TableName\":\"billing\",\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}],"
    "\"AttributeDefinitions\":[{\"AttributeName\":\"id\",\"AttributeType\":\"S\"}],\"BillingMode\":\"PAY_PER_REQUEST\"}",
};

#define SENTINELS 5

#define CLOCK_START_MS 1767225600000LL
#define ROBUST_STREAM "\"arn:aws:dynamodb:us-east-1:000000000000:table/robust/stream/2026-01-01T00:00:00.000\""
#define ROBUST_SHARD "shardId-00000001767225600000-1ac150de"

/* Sentinel i (1..SENTINELS) as stored. Its LSI key l runs backwards, so the
 * LSI's order differs from the table's. */
static char *sentinel_item(int i)
{
    char *s;
    if (asprintf(&s,
                 "{\"pk\":{\"S\":\"sentinel-partition\"},\"sk\":{\"N\":\"%d\"},\"g\":{\"S\":\"sentinel-g\"},"
                 "\"l\":{\"S\":\"l%d\"},\"v\":{\"N\":\"%d.5\"},\"s\":{\"SS\":[\"a\",\"b\"]},"
                 "\"doc\":{\"M\":{\"arr\":{\"L\":[{\"N\":\"1\"},{\"BOOL\":true},{\"NULL\":true},{\"B\":\"AAEC\"}]}}}}",
                 i, SENTINELS + 1 - i, i) < 0)
        return NULL;
    return s;
}

/* The items the corpus writes to are in partition "w"; they begin like this. */
static const char *const working_items[] = {
    "{\"pk\":{\"S\":\"w\"},\"sk\":{\"N\":\"1\"},\"g\":{\"S\":\"wg\"},\"l\":{\"S\":\"wl\"},\"v\":{\"N\":\"7\"},"
    "\"s\":{\"SS\":[\"a\",\"b\"]},\"m\":{\"M\":{\"x\":{\"L\":[{\"S\":\"y\"}]}}}}",
    "{\"pk\":{\"S\":\"w\"},\"sk\":{\"N\":\"2\"},\"v\":{\"N\":\"1\"},\"tags\":{\"SS\":[\"t0\"]}}",
    "{\"pk\":{\"S\":\"w\"},\"sk\":{\"N\":\"3\"},\"v\":{\"N\":\"3\"}}",
};

typedef struct fixture {
    dynemu_db *db;
    prng rng;
    long calls;          /* dynemu_call()s made by the test */
    long successes;      /* of them, answered 200: the mutations that still reach deep */
    int broken;          /* answers that broke the contract */
    double slowest_ms;   /* the slowest call, to notice a near-hang */
    char slowest_op[32];
} fixture;

/* Answers that break the contract are printed, up to this many a test. */
#define MAX_REPORTS 20

/* ------------------------------------------------------ the answer's form */

#define UNKNOWN_OPERATION "com.amazon.coral.service#UnknownOperationException"
#define SERIALIZATION     "com.amazon.coral.service#SerializationException"

/* The __type values a dynemu_call may answer with 400 (emulator/api.c's
 * error_types; the wire-only and association-only ones cannot come here). */
static const char *const error_types[] = {
    "com.amazon.coral.validate#ValidationException",
    SERIALIZATION,
    "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
    "com.amazonaws.dynamodb.v20120810#ResourceInUseException",
    "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
    "com.amazonaws.dynamodb.v20120810#LimitExceededException",
    "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
    "com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException",
    "com.amazonaws.dynamodb.v20120810#ExpiredIteratorException",
    "com.amazonaws.dynamodb.v20120810#TrimmedDataAccessException",
    "com.amazonaws.dynamodb.v20120810#DuplicateItemException",
    UNKNOWN_OPERATION,
};

static bool known_error_type(const char *type)
{
    for (size_t i = 0; i < sizeof error_types / sizeof error_types[0]; i++)
        if (strcmp(type, error_types[i]) == 0) return true;
    return false;
}

/* A number as DynamoDB writes one: -?digits(.digits)?([eE][+-]?digits)? */
static bool is_number_text(const char *s)
{
    if (*s == '-') s++;
    if (!(*s >= '0' && *s <= '9')) return false;
    while (*s >= '0' && *s <= '9') s++;
    if (*s == '.') {
        s++;
        if (!(*s >= '0' && *s <= '9')) return false;
        while (*s >= '0' && *s <= '9') s++;
    }
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '-' || *s == '+') s++;
        if (!(*s >= '0' && *s <= '9')) return false;
        while (*s >= '0' && *s <= '9') s++;
    }
    return *s == 0;
}

static bool is_base64_text(const char *s)
{
    size_t n = strlen(s), pad = 0;
    if (n % 4) return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool digit = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
        if (c == '=') pad++;
        else if (!digit || pad) return false;
    }
    return pad <= 2;
}

static bool is_attribute_value(const cJSON *v, int depth);

/* An item or a map's contents: attribute values named by 1 to 65535 bytes. */
static bool is_item(const cJSON *item, int depth)
{
    if (!cJSON_IsObject(item)) return false;
    const cJSON *a;
    cJSON_ArrayForEach(a, item)
        if (!a->string || !*a->string || strlen(a->string) > 65535 || !is_attribute_value(a, depth)) return false;
    return true;
}

/* A non-empty set of distinct members, each a string passing is_member. */
static bool is_set(const cJSON *set, bool (*is_member)(const char *))
{
    if (!cJSON_IsArray(set) || !set->child) return false;
    for (const cJSON *m = set->child; m; m = m->next) {
        if (!cJSON_IsString(m) || !is_member(m->valuestring)) return false;
        for (const cJSON *o = m->next; o; o = o->next)
            if (cJSON_IsString(o) && strcmp(o->valuestring, m->valuestring) == 0) return false;
    }
    return true;
}

static bool any_text(const char *s) { (void)s; return true; }

/* {"<tag>": value} with exactly one tag, and a value of the tag's form. Depth
 * is bounded: DynamoDB nests 32 levels, and an answer must not go deeper. */
static bool is_attribute_value(const cJSON *v, int depth)
{
    if (depth > 40 || !cJSON_IsObject(v) || !v->child || v->child->next || !v->child->string) return false;
    const char *tag = v->child->string;
    const cJSON *x = v->child;
    if (!strcmp(tag, "S")) return cJSON_IsString(x);
    if (!strcmp(tag, "N")) return cJSON_IsString(x) && is_number_text(x->valuestring);
    if (!strcmp(tag, "B")) return cJSON_IsString(x) && is_base64_text(x->valuestring);
    if (!strcmp(tag, "SS")) return is_set(x, any_text);
    if (!strcmp(tag, "NS")) return is_set(x, is_number_text);
    if (!strcmp(tag, "BS")) return is_set(x, is_base64_text);
    if (!strcmp(tag, "BOOL")) return cJSON_IsBool(x);
    if (!strcmp(tag, "NULL")) return cJSON_IsTrue(x);
    if (!strcmp(tag, "M")) return is_item(x, depth + 1);
    if (!strcmp(tag, "L")) {
        if (!cJSON_IsArray(x)) return false;
        const cJSON *e;
        cJSON_ArrayForEach(e, x) if (!is_attribute_value(e, depth + 1)) return false;
        return true;
    }
    return false;
}

static bool is_item_array(const cJSON *items)
{
    if (!cJSON_IsArray(items)) return false;
    const cJSON *it;
    cJSON_ArrayForEach(it, items) if (!is_item(it, 0)) return false;
    return true;
}

/* The items and keys of a 200 answer, wherever an operation puts them. */
static const char *success_problem(const cJSON *body)
{
    static const char *const item_members[] = {"Item", "Attributes", "LastEvaluatedKey"};
    for (size_t i = 0; i < sizeof item_members / sizeof item_members[0]; i++) {
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(body, item_members[i]);
        if (m && !is_item(m, 0)) return "a malformed item in a 200 answer";
    }
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(body, "Items");
    if (items && !is_item_array(items)) return "malformed Items in a 200 answer";
    const cJSON *responses = cJSON_GetObjectItemCaseSensitive(body, "Responses"), *r;
    if (cJSON_IsObject(responses)) { /* BatchGetItem: table name -> items */
        cJSON_ArrayForEach(r, responses) if (!is_item_array(r)) return "malformed BatchGetItem Responses";
    } else if (cJSON_IsArray(responses)) { /* TransactGetItems: [{"Item": ...} or {}] */
        cJSON_ArrayForEach(r, responses) {
            const cJSON *item = cJSON_GetObjectItemCaseSensitive(r, "Item");
            if (!cJSON_IsObject(r) || (item && !is_item(item, 0))) return "malformed TransactGetItems Responses";
        }
    } else if (responses) {
        return "Responses of the wrong JSON type";
    }
    return NULL;
}

/* Why a 400 answer is malformed, or NULL. */
static const char *error_problem(const cJSON *body)
{
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(body, "__type");
    const cJSON *message = cJSON_GetObjectItemCaseSensitive(body, "message");
    /* DynamoDB spells it "Message" in a SerializationException, and in a TransactionCanceledException
       beside its CancellationReasons. */
    if (!message) message = cJSON_GetObjectItemCaseSensitive(body, "Message");
    if (!cJSON_IsString(type)) return "a 400 answer without a __type";
    if (!known_error_type(type->valuestring)) return "a __type dynemu does not use";
    /* DynamoDB sends two errors without a message: UnknownOperationException,
       and the SerializationException of a body that is not JSON at all. */
    if (strcmp(type->valuestring, UNKNOWN_OPERATION) == 0) return NULL;
    if (strcmp(type->valuestring, SERIALIZATION) == 0 && !message) return NULL;
    if (!cJSON_IsString(message) || !*message->valuestring) return "a 400 answer without a message";
    /* What glibc's printf writes for a NULL string: a message built from a member that is not there. */
    if (strstr(message->valuestring, "(null)")) return "a message that quotes a null string";
    return NULL;
}

/* Why the answer breaks the contract, or NULL. */
static const char *answer_problem(int status, const char *resp, size_t resp_len)
{
    if (!resp) return "no response body";
    if (strlen(resp) != resp_len) return "response length differs from the text's";
    if (status != 200 && status != 400) return "status neither 200 nor 400";
    if (u8_check((const uint8_t *)resp, resp_len)) return "response is not valid UTF-8";
    /* Printed unformatted: JSON allows no raw control byte inside a string,
     * and dynemu writes no white space between tokens. */
    for (size_t i = 0; i < resp_len; i++)
        if ((unsigned char)resp[i] < 0x20) return "raw control byte in the response";
    cJSON *body = cJSON_ParseWithLength(resp, resp_len);
    const char *problem = !cJSON_IsObject(body) ? "response is not a JSON object"
                          : status == 200       ? success_problem(body)
                                                : error_problem(body);
    cJSON_Delete(body);
    return problem;
}

/* ------------------------------------------------------------- calling */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Prints at most 300 bytes of s, escaping what a terminal would not show. */
static void print_excerpt(const char *label, const char *s, size_t len)
{
    char out[1400];
    size_t o = 0;
    for (size_t i = 0; i < len && i < 300; i++) {
        unsigned char c = (unsigned char)s[i];
        o += (size_t)snprintf(out + o, sizeof out - o, c >= 0x20 && c < 0x7f ? "%c" : "\\x%02x", c);
    }
    print_error("  %s (%zu bytes): %s%s\n", label, len, out, len > 300 ? "..." : "");
}

/* Counts a broken answer, and prints the first MAX_REPORTS. */
static void report(fixture *f, const char *op, const char *request, size_t len, int status, const char *resp,
                   size_t resp_len, const char *problem)
{
    if (++f->broken > MAX_REPORTS) return;
    print_error("%s: %s (status %d)\n", op, problem, status);
    print_excerpt("request", request, len);
    if (resp) print_excerpt("response", resp, resp_len);
}

/* Sends request (exactly len bytes, no terminator after it: an overread
 * shows under ASan) to op and checks the answer. Returns the status, and the
 * answer's __type in type_out when given (empty on 200). */
static int send_checked(fixture *f, const char *op, const char *request, size_t len, char *type_out, size_t type_cap)
{
    char *copy = malloc(len ? len : 1);
    assert_non_null(copy);
    memcpy(copy, request, len);
    char *resp = NULL;
    size_t resp_len = (size_t)-1;
    double start = now_ms();
    int status = dynemu_call(f->db, op, copy, len, &resp, &resp_len);
    double took = now_ms() - start;
    free(copy);
    f->calls++;
    f->successes += status == 200;
    if (took > f->slowest_ms) {
        f->slowest_ms = took;
        snprintf(f->slowest_op, sizeof f->slowest_op, "%s", op);
    }
    const char *problem = answer_problem(status, resp, resp_len);
    if (problem) report(f, op, request, len, status, resp, resp_len, problem);
    if (type_out) {
        type_out[0] = 0;
        cJSON *body = status != 200 && resp ? cJSON_Parse(resp) : NULL;
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(body, "__type");
        if (cJSON_IsString(t)) snprintf(type_out, type_cap, "%s", t->valuestring);
        cJSON_Delete(body);
    }
    dynemu_free(resp);
    return status;
}

static int send_text(fixture *f, const char *op, const char *request)
{
    return send_checked(f, op, request, strlen(request), NULL, 0);
}

/* Runs op and expects 200; returns the parsed body, to cJSON_Delete. */
static cJSON *ok(fixture *f, const char *op, const char *request)
{
    char *resp = NULL;
    size_t len = 0;
    int status = dynemu_call(f->db, op, request, strlen(request), &resp, &len);
    f->calls++;
    f->successes += status == 200;
    assert_non_null(resp);
    if (status != 200) {
        print_error("%s %s\n → %d %s\n", op, request, status, resp);
        dynemu_free(resp);
        fail();
    }
    cJSON *body = cJSON_Parse(resp);
    dynemu_free(resp);
    assert_non_null(body);
    return body;
}

static void ok_(fixture *f, const char *op, const char *request) { cJSON_Delete(ok(f, op, request)); }

/* ------------------------------------------------------------ the corpus */

/* A valid request. prepare, when given, runs first (and may be refused) to
 * bring the state the request needs: the table it creates gone, the index
 * it drops there. */
typedef struct corpus_entry {
    const char *op;
    const char *request;
    const char *prepare_op;
    const char *prepare;
} corpus_entry;

#define VALID(op, request) {op, request, NULL, NULL}
#define PREPARED(op, request, prepare_op, prepare) {op, request, prepare_op, prepare}
#define W_KEY(sk) "{\"pk\":{\"S\":\"w\"},\"sk\":{\"N\":\"" sk "\"}}"
#define SENTINEL_KEY(sk) "{\"pk\":{\"S\":\"sentinel-partition\"},\"sk\":{\"N\":\"" sk "\"}}"
#define DOOMED_SIMPLE                                                                                                  \
    "{\"TableName\":\"doomed\",\"KeySchema\":[{\"AttributeName\":\"a\",\"KeyType\":\"HASH\"}],"                        \
    "\"AttributeDefinitions\":[{\"AttributeName\":\"a\",\"AttributeType\":\"S\"}],\"BillingMode\":\"PAY_PER_REQUEST\"}"
#define EXTRA_GSI_CREATE                                                                                               \
    "{\"TableName\":\"scratch\",\"AttributeDefinitions\":[{\"AttributeName\":\"e\",\"AttributeType\":\"S\"}],"         \
    "\"GlobalSecondaryIndexUpdates\":[{\"Create\":{\"IndexName\":\"extra\",\"KeySchema\":[{\"AttributeName\":\"e\","   \
    "\"KeyType\":\"HASH\"}],\"Projection\":{\"ProjectionType\":\"ALL\"}}}]}"
#define EXTRA_GSI_DELETE                                                                                               \
    "{\"TableName\":\"scratch\",\"GlobalSecondaryIndexUpdates\":[{\"Delete\":{\"IndexName\":\"extra\"}}]}"
#define TTL_ON "{\"TableName\":\"scratch\",\"TimeToLiveSpecification\":{\"Enabled\":true,\"AttributeName\":\"expires\"}}"
#define TTL_OFF "{\"TableName\":\"scratch\",\"TimeToLiveSpecification\":{\"Enabled\":false,\"AttributeName\":\"expires\"}}"
/* TTL on robust too: expiry then deletes items its indexes hold. */
#define ROBUST_TTL(on)                                                                                                 \
    "{\"TableName\":\"robust\",\"TimeToLiveSpecification\":{\"Enabled\":" #on ",\"AttributeName\":\"exp\"}}"
#define SCRATCH_ARN "\"arn:aws:dynamodb:us-east-1:123456789012:table/scratch\""

static const corpus_entry corpus[] = {
    VALID("PutItem",
        "{\"TableName\":\"robust\",\"Item\":{\"pk\":{\"S\":\"w\"},\"sk\":{\"N\":\"1\"},\"g\":{\"S\":\"wg\"},\"l\":{\"S\":\"wl\"},"
        "\"v\":{\"N\":\"7\"},\"s\":{\"SS\":[\"a\",\"b\"]},\"ns\":{\"NS\":[\"1\",\"2.5\"]},\"b\":{\"B\":\"AAEC\"},"
        "\"bs\":{\"BS\":[\"AA==\",\"AQ==\"]},\"m\":{\"M\":{\"x\":{\"L\":[{\"S\":\"y\"},{\"NULL\":true},{\"BOOL\":false}]}}},"
        "\"lst\":{\"L\":[{\"N\":\"1\"}]}},"
        "\"ConditionExpression\":\"attribute_not_exists(#missing) OR (#v < :max AND NOT contains(#s, :c))\","
        "\"ExpressionAttributeNames\":{\"#missing\":\"nope\",\"#v\":\"v\",\"#s\":\"s\"},"
        "\"ExpressionAttributeValues\":{\":max\":{\"N\":\"100\"},\":c\":{\"S\":\"zzz\"}},"
        "\"ReturnValues\":\"ALL_OLD\",\"ReturnConsumedCapacity\":\"TOTAL\"}"),
    VALID("PutItem",
        "{\"TableName\":\"robust\",\"Item\":{\"pk\":{\"S\":\"w\"},\"sk\":{\"N\":\"2\"},\"v\":{\"N\":\"1\"},"
        "\"tags\":{\"SS\":[\"t0\"]}}}"),
    VALID("GetItem",
        "{\"TableName\":\"robust\",\"Key\":" W_KEY("1") ",\"ProjectionExpression\":\"#v, m.x[0], s, #lst[0], nope.deep\","
        "\"ExpressionAttributeNames\":{\"#v\":\"v\",\"#lst\":\"lst\"},\"ConsistentRead\":true}"),
    VALID("GetItem", "{\"TableName\":\"robust\",\"Key\":" SENTINEL_KEY("2") ",\"AttributesToGet\":[\"v\",\"doc\"]}"),
    VALID("DeleteItem",
        "{\"TableName\":\"robust\",\"Key\":" W_KEY("3") ",\"ConditionExpression\":\"attribute_exists(pk) OR "
        "attribute_not_exists(pk)\",\"ReturnValues\":\"ALL_OLD\"}"),
    VALID("UpdateItem",
        "{\"TableName\":\"robust\",\"Key\":" W_KEY("2") ","
        "\"UpdateExpression\":\"SET #c = if_not_exists(#c, :zero) + :one, #log = list_append(if_not_exists(#log, :empty), :more),"
        " m2 = :m REMOVE gone ADD tags :tags, n :one DELETE dropped :drop\","
        "\"ExpressionAttributeNames\":{\"#c\":\"count\",\"#log\":\"log\"},"
        "\"ExpressionAttributeValues\":{\":zero\":{\"N\":\"0\"},\":one\":{\"N\":\"1\"},\":empty\":{\"L\":[]},"
        "\":more\":{\"L\":[{\"S\":\"x\"}]},\":m\":{\"M\":{\"a\":{\"S\":\"b\"}}},\":tags\":{\"SS\":[\"t1\",\"t2\"]},"
        "\":drop\":{\"SS\":[\"t0\"]}},\"ReturnValues\":\"UPDATED_NEW\"}"),
    PREPARED("UpdateItem",
        "{\"TableName\":\"robust\",\"Key\":" W_KEY("1") ","
        "\"UpdateExpression\":\"SET m.x[0] = :s, #v = #v - :one, lst[5] = :s REMOVE m.x[1]\","
        "\"ConditionExpression\":\"size(#s) >= :one AND contains(#s, :a) AND #v BETWEEN :one AND :big\","
        "\"ExpressionAttributeNames\":{\"#v\":\"v\",\"#s\":\"s\"},"
        "\"ExpressionAttributeValues\":{\":s\":{\"S\":\"new\"},\":one\":{\"N\":\"1\"},\":a\":{\"S\":\"a\"},"
        "\":big\":{\"N\":\"1e10\"}},\"ReturnValues\":\"ALL_NEW\"}",
        "PutItem",
        "{\"TableName\":\"robust\",\"Item\":{\"pk\":{\"S\":\"w\"},\"sk\":{\"N\":\"1\"},\"v\":{\"N\":\"7\"},"
        "\"s\":{\"SS\":[\"a\"]},\"m\":{\"M\":{\"x\":{\"L\":[{\"S\":\"y\"},{\"N\":\"2\"}]}}},\"lst\":{\"L\":[]}}}"),
    VALID("UpdateItem",
        "{\"TableName\":\"robust\",\"Key\":" W_KEY("4") ",\"AttributeUpdates\":{\"v\":{\"Action\":\"ADD\",\"Value\":{\"N\":\"2\"}},"
        "\"gone\":{\"Action\":\"DELETE\"},\"t\":{\"Value\":{\"S\":\"x\"},\"Action\":\"PUT\"}},"
        "\"Expected\":{\"nope\":{\"Exists\":false}},\"ReturnValues\":\"ALL_NEW\"}"),
    VALID("UpdateItem",
        "{\"TableName\":\"robust\",\"Key\":" W_KEY("4") ",\"AttributeUpdates\":{\"log\":{\"Action\":\"ADD\","
        "\"Value\":{\"L\":[{\"S\":\"x\"}]}},\"tags\":{\"Action\":\"DELETE\",\"Value\":{\"SS\":[\"t0\"]}}},"
        "\"ReturnValues\":\"UPDATED_NEW\"}"),
    VALID("Query",
        "{\"TableName\":\"robust\",\"KeyConditionExpression\":\"pk = :p AND sk BETWEEN :lo AND :hi\","
        "\"FilterExpression\":\"#v >= :zero AND attribute_type(s, :ss) AND doc.arr[1] = :t\","
        "\"ProjectionExpression\":\"pk, sk, #v, doc.arr[0]\",\"ExpressionAttributeNames\":{\"#v\":\"v\"},"
        "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"sentinel-partition\"},\":lo\":{\"N\":\"1\"},\":hi\":{\"N\":\"4\"},"
        "\":zero\":{\"N\":\"0\"},\":ss\":{\"S\":\"SS\"},\":t\":{\"BOOL\":true}},\"Limit\":2,\"ScanIndexForward\":false,"
        "\"ExclusiveStartKey\":" SENTINEL_KEY("4") ",\"ReturnConsumedCapacity\":\"INDEXES\"}"),
    VALID("Query",
        "{\"TableName\":\"robust\",\"IndexName\":\"by_g\",\"KeyConditionExpression\":\"g = :g AND sk > :s\","
        "\"ExpressionAttributeValues\":{\":g\":{\"S\":\"sentinel-g\"},\":s\":{\"N\":\"1\"}},\"Select\":\"COUNT\"}"),
    VALID("Query",
        "{\"TableName\":\"robust\",\"IndexName\":\"by_l\",\"KeyConditionExpression\":\"pk = :p AND begins_with(l, :l)\","
        "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"sentinel-partition\"},\":l\":{\"S\":\"l\"}},"
        "\"Select\":\"ALL_PROJECTED_ATTRIBUTES\",\"Limit\":3,"
        "\"ExclusiveStartKey\":{\"pk\":{\"S\":\"sentinel-partition\"},\"sk\":{\"N\":\"5\"},\"l\":{\"S\":\"l1\"}}}"),
    VALID("Query",
        "{\"TableName\":\"robust\",\"KeyConditions\":{\"pk\":{\"AttributeValueList\":[{\"S\":\"sentinel-partition\"}],"
        "\"ComparisonOperator\":\"EQ\"},\"sk\":{\"AttributeValueList\":[{\"N\":\"2\"}],\"ComparisonOperator\":\"GE\"}},"
        "\"QueryFilter\":{\"v\":{\"AttributeValueList\":[{\"N\":\"0\"}],\"ComparisonOperator\":\"GT\"}},"
        "\"AttributesToGet\":[\"pk\",\"sk\",\"v\"]}"),
    VALID("Scan",
        "{\"TableName\":\"robust\",\"Segment\":1,\"TotalSegments\":3,\"FilterExpression\":\"begins_with(pk, :p) OR "
        "size(s) > :n OR v IN (:n, :p)\",\"ExpressionAttributeValues\":{\":p\":{\"S\":\"sen\"},\":n\":{\"N\":\"1\"}},"
        "\"Limit\":10}"),
    VALID("Scan",
        "{\"TableName\":\"robust\",\"IndexName\":\"by_g\",\"ExclusiveStartKey\":{\"pk\":{\"S\":\"sentinel-partition\"},"
        "\"sk\":{\"N\":\"1\"},\"g\":{\"S\":\"sentinel-g\"}},\"Select\":\"COUNT\"}"),
    VALID("Scan",
        "{\"TableName\":\"robust\",\"ScanFilter\":{\"v\":{\"AttributeValueList\":[{\"N\":\"1\"},{\"N\":\"9\"}],"
        "\"ComparisonOperator\":\"BETWEEN\"}},\"ConditionalOperator\":\"AND\"}"),
    PREPARED("PutItem",
        "{\"TableName\":\"robust\",\"Item\":{\"pk\":{\"S\":\"w\"},\"sk\":{\"N\":\"14\"},\"v\":{\"N\":\"1\"}},"
        "\"Expected\":{\"v\":{\"ComparisonOperator\":\"NULL\"},\"nope\":{\"Exists\":false},"
        "\"s\":{\"ComparisonOperator\":\"CONTAINS\",\"AttributeValueList\":[{\"S\":\"a\"}]}},"
        "\"ConditionalOperator\":\"OR\",\"ReturnValues\":\"ALL_OLD\"}",
        "DeleteItem", "{\"TableName\":\"robust\",\"Key\":" W_KEY("14") "}"),
    PREPARED("DeleteItem",
        "{\"TableName\":\"robust\",\"Key\":" W_KEY("15") ",\"Expected\":{\"v\":{\"ComparisonOperator\":\"IN\","
        "\"AttributeValueList\":[{\"N\":\"1\"},{\"N\":\"2\"}]},\"g\":{\"Value\":{\"S\":\"wg\"}}},"
        "\"ReturnValues\":\"ALL_OLD\",\"ReturnItemCollectionMetrics\":\"SIZE\"}",
        "PutItem",
        "{\"TableName\":\"robust\",\"Item\":{\"pk\":{\"S\":\"w\"},\"sk\":{\"N\":\"15\"},\"v\":{\"N\":\"1\"},"
        "\"g\":{\"S\":\"wg\"},\"l\":{\"S\":\"w15\"}}}"),
    VALID("UpdateItem",
        "{\"TableName\":\"robust\",\"Key\":" W_KEY("2") ",\"UpdateExpression\":\"SET g = :g, l = :l, exp = :e\","
        "\"ConditionExpression\":\"attribute_exists(pk)\",\"ExpressionAttributeValues\":{\":g\":{\"S\":\"wg\"},"
        "\":l\":{\"S\":\"wl2\"},\":e\":{\"N\":\"1767229200\"}},\"ReturnValues\":\"UPDATED_OLD\","
        "\"ReturnValuesOnConditionCheckFailure\":\"ALL_OLD\",\"ReturnConsumedCapacity\":\"INDEXES\","
        "\"ReturnItemCollectionMetrics\":\"SIZE\"}"),
    VALID("PutItem",
        "{\"TableName\":\"robust\",\"Item\":{\"pk\":{\"S\":\"w\"},\"sk\":{\"N\":\"16\"},\"g\":{\"S\":\"wg\"},"
        "\"l\":{\"S\":\"w16\"},\"exp\":{\"N\":\"1767225000\"}},\"ReturnConsumedCapacity\":\"INDEXES\"}"),
    VALID("Query",
        "{\"TableName\":\"robust\",\"IndexName\":\"by_l\",\"KeyConditionExpression\":\"pk = :p\","
        "\"ProjectionExpression\":\"l, doc.arr[3], v\",\"Select\":\"SPECIFIC_ATTRIBUTES\","
        "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"sentinel-partition\"}},\"ScanIndexForward\":false}"),
    VALID("Query",
        "{\"TableName\":\"robust\",\"IndexName\":\"by_g\",\"KeyConditions\":{\"g\":{\"AttributeValueList\":"
        "[{\"S\":\"sentinel-g\"}],\"ComparisonOperator\":\"EQ\"},\"sk\":{\"AttributeValueList\":[{\"N\":\"1\"},"
        "{\"N\":\"3\"}],\"ComparisonOperator\":\"BETWEEN\"}},\"Select\":\"SPECIFIC_ATTRIBUTES\","
        "\"AttributesToGet\":[\"sk\",\"doc\"],\"Limit\":2}"),
    VALID("Scan",
        "{\"TableName\":\"robust\",\"Segment\":1,\"TotalSegments\":2,\"ExclusiveStartKey\":" SENTINEL_KEY("1") ","
        "\"ConsistentRead\":true,\"ReturnConsumedCapacity\":\"TOTAL\"}"),
    VALID("Scan",
        "{\"TableName\":\"robust\",\"ScanFilter\":{\"pk\":{\"AttributeValueList\":[{\"S\":\"sen\"}],"
        "\"ComparisonOperator\":\"BEGINS_WITH\"},\"doc\":{\"ComparisonOperator\":\"NOT_NULL\"},"
        "\"s\":{\"AttributeValueList\":[{\"S\":\"q\"}],\"ComparisonOperator\":\"NOT_CONTAINS\"}},"
        "\"ConditionalOperator\":\"OR\",\"AttributesToGet\":[\"pk\",\"sk\"],\"Select\":\"SPECIFIC_ATTRIBUTES\"}"),
    VALID("Scan", "{\"TableName\":\"scratch\",\"FilterExpression\":\"attribute_exists(expires)\"}"),
    VALID("PutItem",
        "{\"TableName\":\"scratch\",\"Item\":{\"id\":{\"S\":\"ttl\"},\"e\":{\"N\":\"5\"},"
        "\"expires\":{\"N\":\"1767225500\"}}}"),
    VALID("BatchWriteItem",
        "{\"RequestItems\":{\"robust\":[{\"PutRequest\":{\"Item\":{\"pk\":{\"S\":\"w\"},\"sk\":{\"N\":\"5\"},\"g\":{\"S\":\"wg\"}}}},"
        "{\"DeleteRequest\":{\"Key\":" W_KEY("6") "}}],\"scratch\":[{\"PutRequest\":{\"Item\":{\"id\":{\"S\":\"x\"},"
        "\"e\":{\"S\":\"ee\"}}}}]},\"ReturnConsumedCapacity\":\"TOTAL\",\"ReturnItemCollectionMetrics\":\"SIZE\"}"),
    VALID("BatchGetItem",
        "{\"RequestItems\":{\"robust\":{\"Keys\":[" SENTINEL_KEY("1") "," W_KEY("1") "],"
        "\"ProjectionExpression\":\"pk, sk, #v\",\"ExpressionAttributeNames\":{\"#v\":\"v\"}},"
        "\"scratch\":{\"Keys\":[{\"id\":{\"S\":\"x\"}}],\"ConsistentRead\":true}}}"),
    PREPARED("TransactWriteItems",
        "{\"TransactItems\":[{\"Put\":{\"TableName\":\"robust\",\"Item\":{\"pk\":{\"S\":\"w\"},\"sk\":{\"N\":\"7\"},"
        "\"l\":{\"S\":\"wl7\"}},\"ConditionExpression\":\"attribute_not_exists(pk)\"}},"
        "{\"Update\":{\"TableName\":\"robust\",\"Key\":" W_KEY("2") ",\"UpdateExpression\":\"SET t = :t ADD n :one\","
        "\"ExpressionAttributeValues\":{\":t\":{\"S\":\"tx\"},\":one\":{\"N\":\"1\"}}}},"
        "{\"Delete\":{\"TableName\":\"robust\",\"Key\":" W_KEY("8") ",\"ReturnValuesOnConditionCheckFailure\":\"ALL_OLD\"}},"
        "{\"ConditionCheck\":{\"TableName\":\"robust\",\"Key\":" W_KEY("1") ",\"ConditionExpression\":\"attribute_exists(#p)\","
        "\"ExpressionAttributeNames\":{\"#p\":\"pk\"}}}]}",
        "DeleteItem", "{\"TableName\":\"robust\",\"Key\":" W_KEY("7") "}"),
    VALID("TransactWriteItems",
        "{\"TransactItems\":[{\"Put\":{\"TableName\":\"scratch\",\"Item\":{\"id\":{\"S\":\"tok\"}}}}],"
        "\"ClientRequestToken\":\"token-1\"}"),
    VALID("TransactGetItems",
        "{\"TransactItems\":[{\"Get\":{\"TableName\":\"robust\",\"Key\":" SENTINEL_KEY("1") ",\"ProjectionExpression\":\"#v, doc\","
        "\"ExpressionAttributeNames\":{\"#v\":\"v\"}}},{\"Get\":{\"TableName\":\"scratch\",\"Key\":{\"id\":{\"S\":\"x\"}}}}]}"),
    PREPARED("CreateTable",
        "{\"TableName\":\"doomed\",\"KeySchema\":[{\"AttributeName\":\"a\",\"KeyType\":\"HASH\"},"
        "{\"AttributeName\":\"b\",\"KeyType\":\"RANGE\"}],\"AttributeDefinitions\":[{\"AttributeName\":\"a\",\"AttributeType\":\"S\"},"
        "{\"AttributeName\":\"b\",\"AttributeType\":\"N\"},{\"AttributeName\":\"c\",\"AttributeType\":\"B\"}],"
        "\"GlobalSecondaryIndexes\":[{\"IndexName\":\"by_c\",\"KeySchema\":[{\"AttributeName\":\"c\",\"KeyType\":\"HASH\"}],"
        "\"Projection\":{\"ProjectionType\":\"KEYS_ONLY\"},\"ProvisionedThroughput\":{\"ReadCapacityUnits\":1,"
        "\"WriteCapacityUnits\":1}}],\"LocalSecondaryIndexes\":[{\"IndexName\":\"local_c\",\"KeySchema\":[{\"AttributeName\":\"a\","
        "\"KeyType\":\"HASH\"},{\"AttributeName\":\"c\",\"KeyType\":\"RANGE\"}],\"Projection\":{\"ProjectionType\":\"INCLUDE\","
        "\"NonKeyAttributes\":[\"x\",\"y\"]}}],\"ProvisionedThroughput\":{\"ReadCapacityUnits\":5,\"WriteCapacityUnits\":5},"
        "\"Tags\":[{\"Key\":\"k\",\"Value\":\"v\"}]}",
        "DeleteTable", "{\"TableName\":\"doomed\"}"),
    VALID("DescribeTable", "{\"TableName\":\"robust\"}"),
    PREPARED("UpdateTable", EXTRA_GSI_CREATE, "UpdateTable", EXTRA_GSI_DELETE),
    PREPARED("UpdateTable", EXTRA_GSI_DELETE, "UpdateTable", EXTRA_GSI_CREATE),
    PREPARED("UpdateTable",
        "{\"TableName\":\"billing\",\"BillingMode\":\"PROVISIONED\",\"ProvisionedThroughput\":{\"ReadCapacityUnits\":3,"
        "\"WriteCapacityUnits\":4}}",
        "UpdateTable", "{\"TableName\":\"billing\",\"BillingMode\":\"PAY_PER_REQUEST\"}"),
    VALID("ListTables", "{\"ExclusiveStartTableName\":\"billing\",\"Limit\":2}"),
    PREPARED("DeleteTable", "{\"TableName\":\"doomed\"}", "CreateTable", DOOMED_SIMPLE),
    PREPARED("UpdateTimeToLive", TTL_ON, "UpdateTimeToLive", TTL_OFF),
    PREPARED("UpdateTimeToLive", TTL_OFF, "UpdateTimeToLive", TTL_ON),
    PREPARED("UpdateTimeToLive", ROBUST_TTL(true), "UpdateTimeToLive", ROBUST_TTL(false)),
    PREPARED("UpdateTimeToLive", ROBUST_TTL(false), "UpdateTimeToLive", ROBUST_TTL(true)),
    VALID("DescribeTimeToLive", "{\"TableName\":\"scratch\"}"),
    VALID("TagResource", "{\"ResourceArn\":" SCRATCH_ARN ",\"Tags\":[{\"Key\":\"env\",\"Value\":\"test\"},"
        "{\"Key\":\"team\",\"Value\":\"a b\"}]}"),
    VALID("UntagResource", "{\"ResourceArn\":" SCRATCH_ARN ",\"TagKeys\":[\"team\",\"absent\"]}"),
    VALID("ListTagsOfResource", "{\"ResourceArn\":" SCRATCH_ARN "}"),
    VALID("DescribeLimits", "{}"),
    VALID("DescribeEndpoints", "{}"),
    /* robust's stream, made on the fixed clock: its ARN and shard id are the same on every run. */
    VALID("ListStreams", "{\"TableName\":\"robust\",\"Limit\":5}"),
    VALID("DescribeStream", "{\"StreamArn\":" ROBUST_STREAM ",\"Limit\":1}"),
    VALID("GetShardIterator", "{\"StreamArn\":" ROBUST_STREAM ",\"ShardId\":\"" ROBUST_SHARD "\","
        "\"ShardIteratorType\":\"TRIM_HORIZON\"}"),
    /* PartiQL: each statement compiles onto the operations above. */
    VALID("ExecuteStatement",
        "{\"Statement\":\"SELECT pk, sk, v, doc.arr[0] FROM robust WHERE pk = 'sentinel-partition' AND sk BETWEEN 1 AND 4 "
        "AND v >= 0 AND attribute_type(s, 'SS') ORDER BY sk DESC\",\"Limit\":3,\"ConsistentRead\":true,"
        "\"ReturnConsumedCapacity\":\"TOTAL\"}"),
    VALID("ExecuteStatement",
        "{\"Statement\":\"SELECT * FROM \\\"robust\\\".\\\"by_g\\\" WHERE g = ? AND sk > ?\","
        "\"Parameters\":[{\"S\":\"sentinel-g\"},{\"N\":\"1\"}]}"),
    VALID("ExecuteStatement",
        "{\"Statement\":\"select pk from robust where begins_with(pk, 'sen') or size(s) > 1 or v in [1, 'x'] "
        "or (nope is missing and not doc is not missing) -- a comment\",\"Limit\":2}"),
    PREPARED("ExecuteStatement",
        "{\"Statement\":\"INSERT INTO robust VALUE {'pk': 'w', 'sk': 9, 's': <<'a', 'b'>>, 'm': {'x': [1, 2]}, "
        "'n': null, 'b': true, 'p': ?}\",\"Parameters\":[{\"BS\":[\"AAE=\"]}]}",
        "DeleteItem", "{\"TableName\":\"robust\",\"Key\":" W_KEY("9") "}"),
    PREPARED("ExecuteStatement",
        "{\"Statement\":\"UPDATE robust SET v = v + 1, lst = list_append(lst, [1]) SET s = set_add(s, <<'c'>>) "
        "REMOVE m.x[0] WHERE pk = 'w' AND sk = 8 AND v < 100 RETURNING MODIFIED NEW *\","
        "\"ReturnValuesOnConditionCheckFailure\":\"ALL_OLD\"}",
        "PutItem", "{\"TableName\":\"robust\",\"Item\":{\"pk\":{\"S\":\"w\"},\"sk\":{\"N\":\"8\"},\"v\":{\"N\":\"1\"},"
        "\"lst\":{\"L\":[]},\"s\":{\"SS\":[\"a\"]},\"m\":{\"M\":{\"x\":{\"L\":[{\"N\":\"1\"}]}}}}}"),
    VALID("ExecuteStatement",
        "{\"Statement\":\"DELETE FROM robust WHERE pk = ? AND sk = ? AND v <> 3 RETURNING ALL OLD *\","
        "\"Parameters\":[{\"S\":\"w\"},{\"N\":\"10\"}]}"),
    VALID("BatchExecuteStatement",
        "{\"Statements\":[{\"Statement\":\"SELECT * FROM robust WHERE pk = 'sentinel-partition' AND sk = 1\","
        "\"ConsistentRead\":true},{\"Statement\":\"SELECT v FROM robust WHERE pk = ? AND sk = ?\","
        "\"Parameters\":[{\"S\":\"w\"},{\"N\":\"1\"}]}],\"ReturnConsumedCapacity\":\"INDEXES\"}"),
    PREPARED("ExecuteTransaction",
        "{\"TransactStatements\":[{\"Statement\":\"UPDATE robust SET t = 'tx' WHERE pk = 'w' AND sk = 13\"},"
        "{\"Statement\":\"DELETE FROM robust WHERE pk = 'w' AND sk = 11\"},"
        "{\"Statement\":\"EXISTS(SELECT * FROM robust WHERE pk = 'sentinel-partition' AND sk = 1 AND attribute_exists(pk))\"}],"
        "\"ClientRequestToken\":\"robust-token\",\"ReturnConsumedCapacity\":\"TOTAL\"}",
        "PutItem", "{\"TableName\":\"robust\",\"Item\":" W_KEY("13") "}"),
    VALID("ExecuteTransaction",
        "{\"TransactStatements\":[{\"Statement\":\"SELECT * FROM robust WHERE pk = 'sentinel-partition' AND sk = 2\"},"
        "{\"Statement\":\"SELECT pk FROM scratch WHERE id = 'x'\"}]}"),
    PREPARED("UpdateTable", "{\"TableName\":\"scratch\",\"StreamSpecification\":{\"StreamEnabled\":true,"
        "\"StreamViewType\":\"KEYS_ONLY\"}}",
        "UpdateTable", "{\"TableName\":\"scratch\",\"StreamSpecification\":{\"StreamEnabled\":false}}"),
};

#define CORPUS_SIZE (sizeof corpus / sizeof corpus[0])

/* Every operation dynemu serves (emulator/api.c), and names it must refuse. */
static const char *const operations[] = {
    "BatchGetItem", "BatchWriteItem", "CreateTable", "DeleteItem", "DeleteTable", "DescribeEndpoints",
    "DescribeLimits", "DescribeTable", "DescribeTimeToLive", "GetItem", "ListTables", "ListTagsOfResource",
    "PutItem", "Query", "Scan", "TagResource", "TransactGetItems", "TransactWriteItems", "UntagResource",
    "UpdateItem", "UpdateTable", "UpdateTimeToLive", "ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction",
    "DescribeStream", "GetRecords", "GetShardIterator", "ListStreams",
    "", "getitem", "PutItem ", "DynamoDB_20120810.PutItem", "executestatement", "\xff",
};

/* Runs the entry's preparation, if any; it may be refused. */
static void prepare(fixture *f, const corpus_entry *e)
{
    if (e->prepare) send_text(f, e->prepare_op, e->prepare);
}

/* --------------------------------------------------------- setup, teardown */

/* A test that runs longer than this is taken for a hang, and the program ends. */
#define HANG_LIMIT_S 120

/* The crash handlers in force before cmocka's (AddressSanitizer's, or the
 * default), saved by main(). */
static const int crash_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL};
static struct sigaction crash_handlers[sizeof crash_signals / sizeof crash_signals[0]];

/* The start of every test. A crash inside dynemu must end the program, with
 * AddressSanitizer's report when there is one: cmocka would catch the signal
 * and go on, with locks the crashed call still holds, and the next test would
 * hang. A hang ends the program too, by SIGALRM. */
static fixture *begin(void **state)
{
    for (size_t i = 0; i < sizeof crash_signals / sizeof crash_signals[0]; i++)
        sigaction(crash_signals[i], &crash_handlers[i], NULL);
    alarm(HANG_LIMIT_S);
    return *state;
}

static void put_item(fixture *f, const char *table, const char *item)
{
    char *req;
    assert_true(asprintf(&req, "{\"TableName\":\"%s\",\"Item\":%s}", table, item) > 0);
    ok_(f, "PutItem", req);
    free(req);
}

/* Each test gets its own database: the fixture tables and items, on a fixed clock. */
static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f || !(f->db = dynemu_open())) return -1;
    f->rng.s = 0x9E3779B97F4A7C15ull; /* any fixed non-zero seed */
    *state = f;
    /* A fixed clock, 2026-01-01T00:00:00Z, so TTL expiry happens at the same call on every run. */
    dynemu_clock_set(f->db, CLOCK_START_MS);
    for (size_t i = 0; i < sizeof fixture_tables / sizeof fixture_tables[0]; i++) ok_(f, "CreateTable", fixture_tables[i]);
    for (int i = 1; i <= SENTINELS; i++) {
        char *item = sentinel_item(i);
        put_item(f, "robust", item);
        free(item);
    }
    for (size_t i = 0; i < sizeof working_items / sizeof working_items[0]; i++) put_item(f, "robust", working_items[i]);
    return 0;
}

static int teardown(void **state)
{
    alarm(0);
    fixture *f = *state;
    if (!f) return 0;
    dynemu_close(f->db);
    free(f);
    return 0;
}

/* ------------------------------------------------- the state stays sound */

/* Checks the body's Items equal the sentinels in the order given (1-based sk values). */
static void assert_sentinels(const cJSON *body, const int *order, int n)
{
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(body, "Items");
    assert_int_equal(cJSON_GetArraySize(items), n);
    for (int i = 0; i < n; i++) {
        char *text = sentinel_item(order[i]);
        cJSON *expected = cJSON_Parse(text);
        free(text);
        bool same = cJSON_Compare(cJSON_GetArrayItem(items, i), expected, true);
        if (!same) {
            char *got = cJSON_PrintUnformatted(cJSON_GetArrayItem(items, i));
            print_error("item %d: got %s, expected sentinel %d\n", i, got, order[i]);
            free(got);
        }
        cJSON_Delete(expected);
        assert_true(same);
    }
}

/* All of robust's items (or an index's), page by page; each page well-formed. */
static cJSON *scan_all(fixture *f, const char *index)
{
    cJSON *all = cJSON_CreateArray();
    char *start = NULL;
    int pages = 0;
    do {
        char *req;
        assert_true(asprintf(&req, "{\"TableName\":\"robust\",\"Limit\":7%s%s%s%s%s}", index ? ",\"IndexName\":\"" : "",
                             index ? index : "", index ? "\"" : "", start ? ",\"ExclusiveStartKey\":" : "",
                             start ? start : "") > 0);
        free(start);
        start = NULL;
        cJSON *body = ok(f, "Scan", req);
        free(req);
        assert_null(success_problem(body));
        cJSON *items = cJSON_DetachItemFromObjectCaseSensitive(body, "Items"), *it;
        assert_non_null(items);
        while ((it = cJSON_DetachItemFromArray(items, 0))) cJSON_AddItemToArray(all, it);
        cJSON_Delete(items);
        const cJSON *last = cJSON_GetObjectItemCaseSensitive(body, "LastEvaluatedKey");
        if (last) start = cJSON_PrintUnformatted(last);
        cJSON_Delete(body);
        assert_true(++pages < 100000);
    } while (start);
    return all;
}

/* How many items have attribute name holding a value of DynamoDB type tag. */
static int count_with(const cJSON *items, const char *name, const char *tag)
{
    int n = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, items) {
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(it, name);
        n += a && cJSON_GetObjectItemCaseSensitive(a, tag) != NULL;
    }
    return n;
}

/* Each item's primary key appears once. */
static void assert_keys_unique(const cJSON *items)
{
    int n = cJSON_GetArraySize(items);
    char **keys = calloc((size_t)n + 1, sizeof *keys);
    for (int i = 0; i < n; i++) {
        const cJSON *it = cJSON_GetArrayItem(items, i);
        cJSON *key = cJSON_CreateObject();
        cJSON_AddItemToObject(key, "pk", cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(it, "pk"), true));
        cJSON_AddItemToObject(key, "sk", cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(it, "sk"), true));
        keys[i] = cJSON_PrintUnformatted(key);
        cJSON_Delete(key);
    }
    bool unique = true;
    for (int i = 0; i < n && unique; i++)
        for (int j = i + 1; j < n && unique; j++)
            if (strcmp(keys[i], keys[j]) == 0) {
                print_error("key %s is in the Scan twice\n", keys[i]);
                unique = false;
            }
    for (int i = 0; i < n; i++) free(keys[i]);
    free(keys);
    assert_true(unique);
}

/* After any rounds: the sentinels read back exactly through the table and
 * both indexes, every item is well-formed with a key of the schema's types,
 * and each index holds exactly the items that carry its key. */
static void assert_state_consistent(fixture *f)
{
    cJSON *body = ok(f, "GetItem", "{\"TableName\":\"robust\",\"Key\":" SENTINEL_KEY("3") "}");
    char *expected_text = sentinel_item(3);
    cJSON *expected = cJSON_Parse(expected_text);
    free(expected_text);
    assert_true(cJSON_Compare(cJSON_GetObjectItemCaseSensitive(body, "Item"), expected, true));
    cJSON_Delete(expected);
    cJSON_Delete(body);

    static const int by_sk[SENTINELS] = {1, 2, 3, 4, 5}, by_l[SENTINELS] = {5, 4, 3, 2, 1};
    body = ok(f, "Query", "{\"TableName\":\"robust\",\"KeyConditionExpression\":\"pk = :p\","
                          "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"sentinel-partition\"}}}");
    assert_sentinels(body, by_sk, SENTINELS);
    cJSON_Delete(body);
    body = ok(f, "Query", "{\"TableName\":\"robust\",\"IndexName\":\"by_g\",\"KeyConditionExpression\":\"g = :g\","
                          "\"ExpressionAttributeValues\":{\":g\":{\"S\":\"sentinel-g\"}}}");
    assert_sentinels(body, by_sk, SENTINELS);
    cJSON_Delete(body);
    body = ok(f, "Query", "{\"TableName\":\"robust\",\"IndexName\":\"by_l\",\"KeyConditionExpression\":\"pk = :p\","
                          "\"Select\":\"ALL_ATTRIBUTES\",\"ExpressionAttributeValues\":{\":p\":{\"S\":\"sentinel-partition\"}}}");
    assert_sentinels(body, by_l, SENTINELS);
    cJSON_Delete(body);

    cJSON *items = scan_all(f, NULL);
    assert_int_equal(count_with(items, "pk", "S"), cJSON_GetArraySize(items));
    assert_int_equal(count_with(items, "sk", "N"), cJSON_GetArraySize(items));
    assert_keys_unique(items);
    cJSON *gsi = scan_all(f, "by_g"), *lsi = scan_all(f, "by_l");
    assert_int_equal(cJSON_GetArraySize(gsi), count_with(items, "g", "S"));
    assert_int_equal(cJSON_GetArraySize(lsi), count_with(items, "l", "S"));
    cJSON_Delete(gsi);
    cJSON_Delete(lsi);
    cJSON_Delete(items);
}

/* The end of every mutation test: no broken answer, and a sound state. */
static void finish(fixture *f, const char *what)
{
    print_message("%s: %ld calls, %ld answered 200, slowest %.1f ms (%s)\n", what, f->calls, f->successes,
                  f->slowest_ms, f->slowest_op);
    if (f->broken) print_error("%d answers broke the contract (the first %d are above)\n", f->broken, MAX_REPORTS);
    assert_int_equal(f->broken, 0);
    assert_state_consistent(f);
}

/* ---------------------------------------------- sending mutated requests */

/* Whether sending request (len bytes) to op could rightly change what
 * assert_state_consistent reads: a write naming a sentinel key, DeleteTable
 * naming a fixture table, UpdateTable on robust (its indexes). Mutations
 * that graft a member of one request into another can make such requests. */
static bool would_touch_the_fixture(const char *op, const char *request, size_t len)
{
#define NAMES(s) (memmem(request, len, s, sizeof s - 1) != NULL)
    static const char *const item_writes[] = {"PutItem", "DeleteItem", "UpdateItem", "BatchWriteItem",
                                              "TransactWriteItems"};
    for (size_t i = 0; i < sizeof item_writes / sizeof item_writes[0]; i++)
        if (!strcmp(op, item_writes[i]) && NAMES("sentinel-")) return true;
    if (!strcmp(op, "UpdateTable") && NAMES("\"robust\"")) return true;
    return !strcmp(op, "DeleteTable") && (NAMES("\"robust\"") || NAMES("\"scratch\"") || NAMES("\"billing\""));
#undef NAMES
}

/* Prepares for e and sends its mutated request, unless it would rightly change the fixture. */
static void send_mutated(fixture *f, const corpus_entry *e, const char *request, size_t len)
{
    if (would_touch_the_fixture(e->op, request, len)) return;
    prepare(f, e);
    send_checked(f, e->op, request, len, NULL, 0);
}

/* ------------------------------------------------------ byte mutations */

typedef struct text {
    char *p;
    size_t len;
} text;

static text text_copy(const char *s, size_t len)
{
    text t = {malloc(len + 1), len};
    assert_non_null(t.p);
    memcpy(t.p, s, len);
    return t;
}

/* Replaces t[at, at + cut) with insert[0, n). */
static void text_splice(text *t, size_t at, size_t cut, const char *insert, size_t n)
{
    char *p = malloc(t->len - cut + n + 1);
    assert_non_null(p);
    memcpy(p, t->p, at);
    memcpy(p + at, insert, n);
    memcpy(p + at + n, t->p + at + cut, t->len - at - cut);
    free(t->p);
    t->p = p;
    t->len = t->len - cut + n;
}

/* Bytes JSON and UTF-8 care about, and others nobody should send. */
static const unsigned char hostile_bytes[] = {0x00, 0x01, 0x08, 0x1f, 0x7f, 0x80, 0xbf, 0xc0, 0xc3, 0xe2, 0xed,
                                              0xf4, 0xf8, 0xfe, 0xff, '"', '\\', '{', '}', '[', ']', ':', ',',
                                              '0', '-', '+', '.', 'e', 'E', ' ', 'n', 't', '#', '(', ')'};

/* Snippets spliced in whole: escapes (a NUL, lone surrogates), invalid UTF-8,
 * raw control characters, JSON fragments, numbers at the edges. */
static const char *const hostile_snippets[] = {
    "\\u0000", "\\\\u0000", "\\ud800", "\\udc00", "\\ud83d\\ude00", "\\u00e9", "\\", "\\x", "\\u12",
    "\xc3\x28", "\xe2\x82", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc0\xaf", "\xef\xbb\xbf", "\x01", "\x1b[0m",
    "\t", "\n", "\r", "\"", "\",\"", "{", "}", "[", "]", ",", ":", "null", "true", "{}", "[]", "{\"S\":\"x\"}",
    "1e999999", "-0", "0.0000000000000000000000000000000000000000001", "99999999999999999999999999999999999999999",
    "NaN", "Infinity", "#", ":", "(", ")", " AND ", " OR ", "NOT ", "size(", "[0]", "[-1]", ".", "\"\":\"\",",
};

/* One raw mutation of t, of a kind chosen at random. */
static void mutate_bytes_once(prng *r, text *t)
{
    size_t at = below(r, t->len + 1);
    unsigned char b;
    switch (below(r, 7)) {
    case 0: /* flip one bit */
        if (t->len) t->p[below(r, t->len)] ^= (char)(1u << below(r, 8));
        break;
    case 1: /* overwrite one byte */
        b = PICK(r, hostile_bytes);
        if (t->len) t->p[below(r, t->len)] = (char)b;
        break;
    case 2: /* delete a run of bytes */
        if (at < t->len) text_splice(t, at, 1 + below(r, t->len - at < 8 ? t->len - at : 8), "", 0);
        break;
    case 3: { /* double a run of bytes */
        size_t n = at < t->len ? 1 + below(r, t->len - at < 16 ? t->len - at : 16) : 0;
        char *run = malloc(n + 1);
        memcpy(run, t->p + at, n);
        text_splice(t, at, 0, run, n);
        free(run);
        break;
    }
    case 4: { /* splice in a snippet */
        const char *s = PICK(r, hostile_snippets);
        text_splice(t, at, 0, s, strlen(s));
        break;
    }
    case 5: /* cut short */
        t->len = at;
        break;
    default: { /* copy a slice of the request somewhere else in it */
        size_t from = below(r, t->len), n = below(r, t->len - from + 1);
        char *slice = malloc(n + 1);
        memcpy(slice, t->p + from, n);
        text_splice(t, at, 0, slice, n);
        free(slice);
        break;
    }
    }
}

/* ------------------------------------------------ structured mutations */

/* Every node of a request, pre-order, with its parent (NULL for the root). */
#define MAX_NODES 2048
typedef struct nodes {
    cJSON *at[MAX_NODES], *parent[MAX_NODES];
    size_t n;
} nodes;

static void collect(nodes *ns, cJSON *j, cJSON *parent)
{
    if (ns->n == MAX_NODES) return;
    ns->at[ns->n] = j;
    ns->parent[ns->n++] = parent;
    for (cJSON *c = j->child; c; c = c->next) collect(ns, c, j);
}

static char *cjson_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = cJSON_malloc(n);
    assert_non_null(d);
    memcpy(d, s, n);
    return d;
}

/* Renames a member of an object. */
static void set_name(cJSON *node, const char *name)
{
    if (!(node->type & cJSON_StringIsConst)) cJSON_free(node->string);
    node->type &= ~cJSON_StringIsConst;
    node->string = cjson_strdup(name);
}

/* Puts with where node was, under node's name; node is deleted. */
static void replace_node(cJSON *parent, cJSON *node, cJSON *with)
{
    if (!parent) { cJSON_Delete(with); return; }
    if (node->string) set_name(with, node->string);
    cJSON_ReplaceItemViaPointer(parent, node, with);
}

static const char *const type_tags[] = {"S", "N", "B", "SS", "NS", "BS", "M", "L", "BOOL", "NULL"};

static bool is_type_tag(const char *s)
{
    for (size_t i = 0; i < sizeof type_tags / sizeof type_tags[0]; i++)
        if (s && strcmp(s, type_tags[i]) == 0) return true;
    return false;
}

/* JSON values of every type, and DynamoDB values of every tag. */
static const char *const sample_values[] = {
    "\"\"", "\"x\"", "0", "-1", "1.5", "1e308", "-1e-308", "2147483648", "9007199254740993", "true", "false",
    "null", "{}", "[]", "[null]", "[{}]", "[\"a\",\"a\"]", "{\"\":{}}", "{\"S\":\"x\"}", "{\"N\":\"1\"}",
    "{\"B\":\"AA==\"}", "{\"SS\":[\"a\"]}", "{\"NS\":[\"1\"]}", "{\"BS\":[\"AA==\"]}", "{\"M\":{}}", "{\"L\":[]}",
    "{\"BOOL\":true}", "{\"NULL\":true}", "{\"NULL\":false}", "{\"S\":\"x\",\"N\":\"1\"}", "{\"X\":\"1\"}",
    "{\"pk\":{\"S\":\"w\"},\"sk\":{\"N\":\"1\"}}", "[{\"S\":\"x\"},{\"N\":\"1\"}]",
};

/* Number texts a DynamoDB N must accept or refuse cleanly. */
static const char *const hostile_numbers[] = {
    "", " ", "-", ".", "+1", " 1", "1 ", "1e", "1e+", "e5", "1..2", "0x10", "NaN", "Infinity", "-Infinity",
    "00012", "-0", "0e0", "1E5", ".5", "5.", "1e126", "1e125", "9.9999999999999999999999999999999999999e125",
    "1e-130", "1e-131", "123456789012345678901234567890123456789", "1e999999999999999999999",
    "1e-999999999999999999999", "-1e-130", "0.00000000000000000000000000000000000000000000001",
};

/* Base64 texts a DynamoDB B must accept or refuse cleanly. */
static const char *const hostile_base64[] = {"", "=", "====", "A===", "AA=", "AA==", "AAA=", "YQ", "Y Q==",
                                             "AA==AA==", "*AA=", "AAAA\n", "////", "AA=A"};

/* Tokens spliced into an expression at a random point. */
static const char *const expression_tokens[] = {
    "(", ")", "((", "))", " AND ", " OR ", " NOT ", "NOT", "=", "<>", "<", ">=", " BETWEEN ", " IN ", "(:v, :w)",
    ",", ".", "[", "]", "[0]", "[-1]", "[99999999999999999999]", "#", ":", "#missing", ":missing", "#v", ":one",
    "foo(", "size(", "size(size(a))", "attribute_exists(", "attribute_type(a, :x)", "begins_with(", "contains(",
    "list_append(", "if_not_exists(", "SET ", " REMOVE ", " ADD ", " DELETE ", "SET a = :v", " + ", " - ",
    "\"", "'", "`", "$", ";", "\t", "a.b.c.d.e", "a[0][1][2]", "_", "0", "1", "keys", "COUNT", "\xc3\xa9",
    "\xff", "\\u0000",
};

/* Tokens spliced into a PartiQL statement at a random point. */
static const char *const statement_tokens[] = {
    "(", ")", "[", "]", "{", "}", "<<", ">>", ",", ".", ":", "*", ";", "?", "??", "=", "<>", "!=", "<", "<=", ">",
    ">=", "+", "-", "'", "''", "\"", "\"\"", "--", "/*", "*/", " AND ", " OR ", " NOT ", " IS ", " MISSING ",
    " NULL ", " BETWEEN ", " IN ", " SELECT ", " FROM ", " WHERE ", " ORDER BY ", " DESC ", " INSERT INTO ",
    " VALUE ", " UPDATE ", " SET ", " REMOVE ", " DELETE ", " RETURNING ALL OLD * ", " EXISTS(", " pad ",
    "size(", "begins_with(", "set_add(", "list_append(", "[0]", "[99999999999999999999]", "1e999", "-",
    "\"robust\".\"by_g\"", "\"nope\"", "{'pk': 'w'}", "<<'a', 1>>", "<<>>", "\t", "\n", "\xc3\xa9", "\xff",
};

/* Strings for everything else: names, enums, tokens, ARNs. */
static const char *const hostile_strings[] = {
    "", " ", "S", "NULL", "#v", ":v", "a.b", "robust-ish", "ALL_OLD", "NONE", "COUNT", "SPECIFIC_ATTRIBUTES",
    "HASH", "RANGE", "KEYS_ONLY", "INCLUDE", "PAY_PER_REQUEST", "PROVISIONED", "\t\n\r", "\x01\x02",
    "\xff\xfe", "\xc3\x28", "\xed\xa0\x80", "caf\xc3\xa9", "\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac",
    "arn:aws:dynamodb:us-east-1:1:table/", "arn:aws:dynamodb::1:table/scratch", "arn:aws:dynamodb:x:1:table/a/b",
};

/* A string of n copies of unit, for long names and values. */
static char *repeated(const char *unit, size_t n)
{
    size_t u = strlen(unit);
    char *s = malloc(u * n + 1);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++) memcpy(s + i * u, unit, u);
    s[u * n] = 0;
    return s;
}

/* A long string that tests length limits: a name just past 255 or 65535
 * bytes, a multi-byte run (messages that quote it are cut inside a
 * character), and a big value. */
static char *long_string(prng *r)
{
    switch (below(r, 5)) {
    case 0: return repeated("n", 256);
    case 1: return repeated("n", 65536);
    case 2: return repeated("\xe2\x82\xac", 700); /* € */
    case 3: return repeated("x", 2049);
    default: return repeated("y", 1025);
    }
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = s ? strlen(s) : 0, b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* A new value for a string node, chosen by what the string is. */
static char *hostile_string_for(prng *r, const cJSON *node, const cJSON *parent)
{
    const char *name = node->string, *s = node->valuestring;
    bool statement = name && !strcmp(name, "Statement");
    if (ends_with(name, "Expression") || statement) {
        /* one to three tokens spliced in at random points */
        char *out = strdup(s);
        for (size_t k = 1 + below(r, 3); k; k--) {
            size_t at = below(r, strlen(out) + 1);
            const char *tok = statement ? PICK(r, statement_tokens) : PICK(r, expression_tokens);
            char *next;
            assert_true(asprintf(&next, "%.*s%s%s", (int)at, out, tok, out + at) > 0);
            free(out);
            out = next;
        }
        return out;
    }
    if (one_in(r, 6)) return long_string(r);
    bool numeric = (name && !strcmp(name, "N")) || (parent && parent->string && !strcmp(parent->string, "NS"));
    bool binary = (name && !strcmp(name, "B")) || (parent && parent->string && !strcmp(parent->string, "BS"));
    if (numeric) return strdup(PICK(r, hostile_numbers));
    if (binary) return strdup(PICK(r, hostile_base64));
    return strdup(PICK(r, hostile_strings));
}

/* A copy of node wrapped in levels of {"M":{"a": ...}} or {"L":[...]}. */
static cJSON *nested(cJSON *node, int levels, bool as_list)
{
    cJSON *v = cJSON_Duplicate(node, true);
    for (int i = 0; i < levels; i++) {
        cJSON *outer = cJSON_CreateObject(), *inner = as_list ? cJSON_CreateArray() : cJSON_CreateObject();
        if (as_list) cJSON_AddItemToArray(inner, v);
        else cJSON_AddItemToObject(inner, "a", v);
        cJSON_AddItemToObject(outer, as_list ? "L" : "M", inner);
        v = outer;
    }
    return v;
}

enum structured_kind {
    RETYPE,     /* another JSON type */
    RETAG,      /* another DynamoDB type tag */
    RESTRING,   /* a hostile string, number text, base64 or expression */
    RENUMBER,   /* a JSON number at the edges */
    REMOVE,     /* a member or element gone */
    DUPLICATE,  /* the same key twice, or an element twice */
    MULTIPLY,   /* an element 101 times: past every list limit */
    RENAME,     /* a member under another name */
    NEST,       /* 33 to 40 levels of M or L around the value */
    GRAFT,      /* a member of another corpus request: parameters where no operation expects them */
    STRUCTURED_KINDS
};

static const double edge_numbers[] = {0, -1, 1e308, -1e308, 0.5, 2147483648.0, 4294967296.0, 1e19, -1e19, 1e-300};

/* A random node of root, and its parent. */
static cJSON *pick_node(prng *r, cJSON *root, cJSON **parent)
{
    nodes *ns = malloc(sizeof *ns);
    assert_non_null(ns);
    ns->n = 0;
    collect(ns, root, NULL);
    size_t i = below(r, ns->n);
    cJSON *node = ns->at[i];
    *parent = ns->parent[i];
    free(ns);
    return node;
}

/* Into the object into, a copy of a random member of another corpus request. */
static void graft(prng *r, cJSON *into)
{
    cJSON *donor = cJSON_Parse(corpus[below(r, CORPUS_SIZE)].request), *donor_parent;
    assert_non_null(donor);
    cJSON *member = pick_node(r, donor, &donor_parent);
    if (member->string) {
        cJSON *copy = cJSON_Duplicate(member, true);
        if (cJSON_GetObjectItemCaseSensitive(into, member->string))
            cJSON_ReplaceItemInObjectCaseSensitive(into, member->string, copy);
        else cJSON_AddItemToObject(into, member->string, copy);
    }
    cJSON_Delete(donor);
}

/* One structured mutation of a random node of root. */
static void mutate_tree_once(prng *r, cJSON *root)
{
    cJSON *parent;
    cJSON *node = pick_node(r, root, &parent);
    switch ((enum structured_kind)below(r, STRUCTURED_KINDS)) {
    case RETYPE:
        replace_node(parent, node, cJSON_Parse(PICK(r, sample_values)));
        break;
    case RETAG:
        if (is_type_tag(node->string)) set_name(node, PICK(r, type_tags));
        else if (cJSON_IsObject(node) && node->child && is_type_tag(node->child->string))
            set_name(node->child, PICK(r, type_tags));
        break;
    case RESTRING:
        if (cJSON_IsString(node)) {
            char *s = hostile_string_for(r, node, parent);
            replace_node(parent, node, cJSON_CreateString(s));
            free(s);
        }
        break;
    case RENUMBER:
        replace_node(parent, node, cJSON_CreateNumber(PICK(r, edge_numbers)));
        break;
    case REMOVE:
        if (parent) cJSON_Delete(cJSON_DetachItemViaPointer(parent, node));
        break;
    case DUPLICATE:
        if (parent && cJSON_IsObject(parent)) cJSON_AddItemToObject(parent, node->string, cJSON_Duplicate(node, true));
        else if (parent) cJSON_AddItemToArray(parent, cJSON_Duplicate(node, true));
        break;
    case MULTIPLY:
        if (parent && cJSON_IsArray(parent))
            for (int k = 0; k < 100; k++) cJSON_AddItemToArray(parent, cJSON_Duplicate(node, true));
        break;
    case RENAME:
        if (node->string) {
            if (one_in(r, 4)) {
                char *s = long_string(r);
                set_name(node, s);
                free(s);
            } else {
                set_name(node, one_in(r, 2) ? PICK(r, type_tags) : PICK(r, hostile_strings));
            }
        }
        break;
    case NEST:
        replace_node(parent, node, nested(node, 33 + (int)below(r, 8), one_in(r, 2)));
        break;
    case GRAFT:
        if (cJSON_IsObject(node)) graft(r, node);
        break;
    default:
        break;
    }
}

/* ----------------------------------------------------------- the tests */

/* The corpus is only worth mutating if every request in it is valid. */
static void every_corpus_request_is_valid(void **state)
{
    fixture *f = begin(state);
    for (size_t i = 0; i < CORPUS_SIZE; i++) {
        prepare(f, &corpus[i]);
        cJSON *body = ok(f, corpus[i].op, corpus[i].request);
        const char *problem = success_problem(body);
        if (problem) print_error("%s %s: %s\n", corpus[i].op, corpus[i].request, problem);
        assert_null(problem);
        cJSON_Delete(body);
    }
    finish(f, "valid corpus");
}

/* A request cut short is never a JSON object: always a SerializationException. */
static void truncation_at_every_offset_is_a_serialization_error(void **state)
{
    fixture *f = begin(state);
    for (size_t i = 0; i < CORPUS_SIZE; i++) {
        const corpus_entry *e = &corpus[i];
        for (size_t cut = 0; cut < strlen(e->request); cut++) {
            char type[128];
            int status = send_checked(f, e->op, e->request, cut, type, sizeof type);
            if (status != 400 || strcmp(type, SERIALIZATION) != 0) {
                print_error("%s cut to %zu bytes: status %d %s\n", e->op, cut, status, type);
                f->broken++;
            }
        }
    }
    finish(f, "truncations");
}

/* Every single byte of every request deleted in turn, the entry's
 * preparation run before each, so the damaged request meets its state. */
static void deleting_any_one_byte_keeps_the_contract(void **state)
{
    fixture *f = begin(state);
    for (size_t i = 0; i < CORPUS_SIZE; i++) {
        const corpus_entry *e = &corpus[i];
        size_t len = strlen(e->request);
        for (size_t at = 0; at < len; at++) {
            text t = text_copy(e->request, len);
            text_splice(&t, at, 1, "", 0);
            send_mutated(f, e, t.p, t.len);
            free(t.p);
        }
    }
    finish(f, "single-byte deletions");
}

/* A quarter of an hour every 20 rounds: items the corpus gave a TTL expire
 * part way through, and a clock change is when dynemu deletes them. */
static void let_time_pass(fixture *f, int round)
{
    if (round > 0 && round % 20 == 0) assert_int_equal(dynemu_clock_advance(f->db, 15 * 60 * 1000), 0);
}

/* Random byte damage, one to four mutations at a time. */
static void random_byte_mutations_keep_the_contract(void **state)
{
    fixture *f = begin(state);
    enum { ROUNDS = 400 };
    for (int round = 0; round < ROUNDS; round++) {
        let_time_pass(f, round);
        for (size_t i = 0; i < CORPUS_SIZE; i++) {
            const corpus_entry *e = &corpus[i];
            text t = text_copy(e->request, strlen(e->request));
            for (size_t k = 1 + below(&f->rng, 4); k; k--) mutate_bytes_once(&f->rng, &t);
            send_mutated(f, e, t.p, t.len);
            free(t.p);
        }
    }
    finish(f, "byte mutations");
}

/* Parsed, changed node by node, printed back: damage a JSON parser cannot
 * catch, which the operations themselves must refuse. */
static void structured_mutations_keep_the_contract(void **state)
{
    fixture *f = begin(state);
    enum { ROUNDS = 900 };
    for (int round = 0; round < ROUNDS; round++) {
        let_time_pass(f, round);
        for (size_t i = 0; i < CORPUS_SIZE; i++) {
            const corpus_entry *e = &corpus[i];
            cJSON *req = cJSON_Parse(e->request);
            assert_non_null(req);
            for (size_t k = 1 + below(&f->rng, 3); k; k--) mutate_tree_once(&f->rng, req);
            char *printed = cJSON_PrintUnformatted(req);
            cJSON_Delete(req);
            assert_non_null(printed);
            send_mutated(f, e, printed, strlen(printed));
            free(printed);
        }
    }
    finish(f, "structured mutations");
}

/* Each valid request to each operation, and to names that are none. */
static void requests_sent_to_the_wrong_operation_keep_the_contract(void **state)
{
    fixture *f = begin(state);
    for (size_t op = 0; op < sizeof operations / sizeof operations[0]; op++)
        for (size_t i = 0; i < CORPUS_SIZE; i++)
            if (!would_touch_the_fixture(operations[op], corpus[i].request, strlen(corpus[i].request)))
                send_text(f, operations[op], corpus[i].request);
    finish(f, "wrong operations");
}

/* -------------------------------------------------- hostile requests */

/* A Put of one attribute value (its JSON text) into item w/9. */
static char *put_with(const char *value)
{
    char *s;
    assert_true(asprintf(&s, "{\"TableName\":\"robust\",\"Item\":{\"pk\":{\"S\":\"w\"},\"sk\":{\"N\":\"9\"},\"a\":%s}}",
                         value) > 0);
    return s;
}

/* An UpdateItem of w/9 with this update expression and :v. */
static char *update_with(const char *expression, const char *value)
{
    char *s;
    assert_true(asprintf(&s,
                         "{\"TableName\":\"robust\",\"Key\":" W_KEY("9") ",\"UpdateExpression\":\"%s\","
                         "\"ExpressionAttributeValues\":{\":v\":%s}}",
                         expression, value) > 0);
    return s;
}

/* A Query of partition w with this filter (and :v in it). */
static char *query_with_filter(const char *filter, const char *value)
{
    char *s;
    assert_true(asprintf(&s,
                         "{\"TableName\":\"robust\",\"KeyConditionExpression\":\"pk = :p\",\"FilterExpression\":\"%s\","
                         "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"w\"},\":v\":%s}}",
                         filter, value) > 0);
    return s;
}

/* A GetItem of w/9 with this projection. */
static char *get_with_projection(const char *projection)
{
    char *s;
    assert_true(asprintf(&s, "{\"TableName\":\"robust\",\"Key\":" W_KEY("9") ",\"ProjectionExpression\":\"%s\"}",
                         projection) > 0);
    return s;
}

/* levels of {"M":{"a": ...}} (or {"L":[...]}) around {"S":"deep"}, as text. */
static char *nest_text(int levels, bool as_list)
{
    const char *open = as_list ? "{\"L\":[" : "{\"M\":{\"a\":", *close = as_list ? "]}" : "}}";
    char *head = repeated(open, (size_t)levels), *tail = repeated(close, (size_t)levels), *s;
    assert_true(asprintf(&s, "%s{\"S\":\"deep\"}%s", head, tail) > 0);
    free(head);
    free(tail);
    return s;
}

/* unit repeated n times between before and after, e.g. n parentheses. */
static char *wrapped(const char *before, const char *unit, size_t n, const char *middle, const char *closing)
{
    char *open = repeated(unit, n), *close = repeated(closing, n), *s;
    assert_true(asprintf(&s, "%s%s%s%s", before, open, middle, close) > 0);
    free(open);
    free(close);
    return s;
}

/* send_text, then frees the request. */
static void send_owned(fixture *f, const char *op, char *request)
{
    send_text(f, op, request);
    free(request);
}

/* Values nested around DynamoDB's 32 levels, and JSON nested past cJSON's 1,000. */
static void deep_values(fixture *f)
{
    for (int levels = 30; levels <= 41; levels++) {
        char *deep = nest_text(levels, levels % 2);
        send_owned(f, "PutItem", put_with(deep));
        send_owned(f, "UpdateItem", update_with("SET a = :v", deep));
        send_owned(f, "UpdateItem", update_with("SET a.b = :v", deep));
        send_owned(f, "Query", query_with_filter("a = :v", deep));
        free(deep);
    }
    /* Deeper than cJSON parses (1000 levels): a SerializationException, not a stack overflow. */
    char *json_deep = wrapped("{\"TableName\":\"robust\",\"X\":", "[", 5000, "1", "]");
    char *closed;
    assert_true(asprintf(&closed, "%s}", json_deep) > 0);
    free(json_deep);
    send_owned(f, "Scan", closed);
    /* Reads of paths into the deepest item that was stored. */
    char *long_path = repeated(".a", 40), *projection;
    assert_true(asprintf(&projection, "a%s", long_path) > 0);
    send_owned(f, "GetItem", get_with_projection(projection));
    free(projection);
    free(long_path);
    char *index_path = repeated("[0]", 40);
    assert_true(asprintf(&projection, "a%s", index_path) > 0);
    send_owned(f, "GetItem", get_with_projection(projection));
    free(projection);
    free(index_path);
}

/* Expressions nested around the parser's limit of 128 levels, and lengths around 4 KB. */
static void deep_expressions(fixture *f)
{
    static const size_t depths[] = {100, 127, 128, 129, 200, 1000};
    for (size_t i = 0; i < sizeof depths / sizeof depths[0]; i++) {
        size_t n = depths[i];
        struct { const char *op, *before, *unit, *middle, *closing, *value; } shapes[] = {
            {"Query", "", "(", "a = :v", ")", "{\"S\":\"x\"}"},
            {"Query", "", "NOT ", "a = :v", "", "{\"S\":\"x\"}"},
            {"Query", "", "size(", "a", ") = :v", "{\"N\":\"1\"}"},
            {"UpdateItem", "SET a = ", "if_not_exists(a, ", ":v", ")", "{\"N\":\"1\"}"},
            {"UpdateItem", "SET a = ", "list_append(", ":v", ", :v)", "{\"L\":[]}"},
            {"UpdateItem", "SET a = ", ":v + ", ":v", "", "{\"N\":\"1\"}"},
        };
        for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
            char *expression = wrapped(shapes[k].before, shapes[k].unit, n, shapes[k].middle, shapes[k].closing);
            bool query = !strcmp(shapes[k].op, "Query");
            send_owned(f, shapes[k].op, query ? query_with_filter(expression, shapes[k].value)
                                              : update_with(expression, shapes[k].value));
            free(expression);
        }
    }
    /* Lengths around the 4 KB limit, and a path of 2,000 elements. */
    static const size_t lengths[] = {4090, 4096, 4097, 100000};
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        char *pad = repeated(" ", lengths[i] - 6), *filter;
        assert_true(asprintf(&filter, "a = :v%s", pad) > 0);
        send_owned(f, "Query", query_with_filter(filter, "{\"S\":\"x\"}"));
        free(filter);
        free(pad);
    }
    char *dots = repeated("a.", 2000), *projection;
    assert_true(asprintf(&projection, "%sa", dots) > 0);
    send_owned(f, "GetItem", get_with_projection(projection));
    free(projection);
    free(dots);
    /* IN with 100 and 101 operands. */
    for (size_t n = 100; n <= 101; n++) {
        char *operands = repeated(":v, ", n - 1), *filter;
        assert_true(asprintf(&filter, "a IN (%s:v)", operands) > 0);
        send_owned(f, "Query", query_with_filter(filter, "{\"S\":\"x\"}"));
        free(filter);
        free(operands);
    }
}

/* Expressions that are wrong in every way the grammar can be. */
static void broken_expressions(fixture *f)
{
    static const char *const filters[] = {
        "", " ", "a", "a =", "= :v", "a = :v AND", "(a = :v", "a = :v)", ")(", "a = :missing", "#missing = :v",
        "foo(a)", "size()", "size(a, a) = :v", "attribute_exists()", "attribute_exists(:v)", "begins_with(a)",
        "begins_with(a, :v, :v)", "contains(a)", "attribute_type(a, :v)", "a BETWEEN :v", "a BETWEEN :v AND",
        "a IN ()", "a IN (:v", "a[-1] = :v", "a[99999999999999999999] = :v", "a. = :v", "a.#  = :v", "a..b = :v",
        "[0] = :v", "a = :v = :v", "a < > :v", "NOT", "NOT NOT", "a = :v OR OR a = :v", "#", ":", "#a#b = :v",
        "a = :v\xc3\xa9", "\xe2\x82\xac = :v", "a = :v;", "a = :v -- comment", "a = size(:v)", ":v = :v",
        "a = :v AND b = :v AND c = :v AND d = :v", "a.b[0].c[1].d = :v", "size(a) > size(a)",
    };
    for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++) {
        send_owned(f, "Query", query_with_filter(filters[i], "{\"S\":\"x\"}"));
        char *condition;
        assert_true(asprintf(&condition, "{\"TableName\":\"robust\",\"Item\":" W_KEY("9") ",\"ConditionExpression\":\"%s\","
                                         "\"ExpressionAttributeValues\":{\":v\":{\"N\":\"1\"}}}",
                             filters[i]) > 0);
        send_owned(f, "PutItem", condition);
        send_owned(f, "GetItem", get_with_projection(filters[i]));
    }
    static const char *const updates[] = {
        "", "SET", "SET a", "SET a =", "SET a = :v,", "SET a = :v, a = :v", "SET a = :v REMOVE a", "REMOVE",
        "REMOVE a, a", "REMOVE a[0], a[0]", "SET a = :v SET b = :v", "ADD a", "ADD a :v, b", "ADD a.b[0] :v",
        "DELETE a", "DELETE a :v", "SET pk = :v", "REMOVE sk", "ADD pk :v", "SET a[5] = :v", "SET a.b.c = :v",
        "SET a = list_append(:v)", "SET a = list_append(:v, :v)", "SET a = if_not_exists(:v, a)",
        "SET a = if_not_exists(a)", "SET a = :v + :v", "SET a = :v - :v - :v", "SET a = size(:v)",
        "SET a = a + a", "SET a = :v + :missing", "SET #missing = :v", "SET a = :v REMOVE b ADD c :v DELETE d :v",
        "REMOVE a[99999999999999999999]", "SET a[99999999999999999999] = :v", "SET a = :v,,b = :v",
        "set a = :v", "SET a = (:v)", "SET a = ((:v))", "SET a = :v AND b = :v",
    };
    static const char *const values[] = {"{\"N\":\"1\"}", "{\"S\":\"x\"}", "{\"SS\":[\"a\"]}", "{\"L\":[]}",
                                         "{\"NULL\":true}", "{\"M\":{}}"};
    for (size_t i = 0; i < sizeof updates / sizeof updates[0]; i++)
        for (size_t j = 0; j < sizeof values / sizeof values[0]; j++)
            send_owned(f, "UpdateItem", update_with(updates[i], values[j]));
}

/* Numbers at the edges of DynamoDB's 38 digits and 10^-130 to 10^126, and
 * arithmetic that overflows them. */
static void edge_numbers_in_values(fixture *f)
{
    for (size_t i = 0; i < sizeof hostile_numbers / sizeof hostile_numbers[0]; i++) {
        char *n;
        assert_true(asprintf(&n, "{\"N\":\"%s\"}", hostile_numbers[i]) > 0);
        send_owned(f, "PutItem", put_with(n));
        send_owned(f, "UpdateItem", update_with("SET a = :v", n));
        send_owned(f, "UpdateItem", update_with("ADD a :v", n));
        send_owned(f, "UpdateItem", update_with("SET a = a + :v", n));
        send_owned(f, "UpdateItem", update_with("SET a = a - :v", n));
        send_owned(f, "Query", query_with_filter("a < :v", n));
        char *key;
        assert_true(asprintf(&key, "{\"TableName\":\"robust\",\"Key\":{\"pk\":{\"S\":\"w\"},\"sk\":%s}}", n) > 0);
        send_owned(f, "GetItem", key);
        free(n);
        assert_true(asprintf(&n, "{\"NS\":[\"1\",\"%s\"]}", hostile_numbers[i]) > 0);
        send_owned(f, "UpdateItem", update_with("ADD ns :v", n));
        free(n);
    }
    /* Overflow and underflow by arithmetic on stored numbers. */
    send_text(f, "PutItem", "{\"TableName\":\"robust\",\"Item\":{\"pk\":{\"S\":\"w\"},\"sk\":{\"N\":\"9\"},"
                            "\"big\":{\"N\":\"9.9999999999999999999999999999999999999e125\"},\"tiny\":{\"N\":\"1e-130\"}}}");
    send_owned(f, "UpdateItem", update_with("SET big = big + :v", "{\"N\":\"9.9999999999999999999999999999999999999e125\"}"));
    send_owned(f, "UpdateItem", update_with("ADD big :v", "{\"N\":\"1e125\"}"));
    send_owned(f, "UpdateItem", update_with("SET big = :v - big", "{\"N\":\"-9.9999999999999999999999999999999999999e125\"}"));
    send_owned(f, "UpdateItem", update_with("SET tiny = tiny - :v", "{\"N\":\"1.00000000000000000000000000000000000001e-130\"}"));
    send_owned(f, "UpdateItem", update_with("SET tiny = tiny + :v", "{\"N\":\"12345678901234567890123456789012345678\"}"));
    /* JSON numbers where DynamoDB wants integers. */
    static const char *const limits[] = {"0", "-1", "1.5", "1e30", "-1e30", "2147483648", "1e400", "\"5\"", "true", "{}"};
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
        char *s;
        assert_true(asprintf(&s, "{\"TableName\":\"robust\",\"Limit\":%s,\"Segment\":%s,\"TotalSegments\":%s}", limits[i],
                             limits[i], limits[i]) > 0);
        send_owned(f, "Scan", s);
        assert_true(asprintf(&s, "{\"TableName\":\"robust\",\"Segment\":0,\"TotalSegments\":%s}", limits[i]) > 0);
        send_owned(f, "Scan", s);
        assert_true(asprintf(&s, "{\"TableName\":\"billing\",\"BillingMode\":\"PROVISIONED\",\"ProvisionedThroughput\":"
                                 "{\"ReadCapacityUnits\":%s,\"WriteCapacityUnits\":%s}}",
                             limits[i], limits[i]) > 0);
        send_owned(f, "UpdateTable", s);
        assert_true(asprintf(&s, "{\"Limit\":%s}", limits[i]) > 0);
        send_owned(f, "ListTables", s);
    }
}

/* Names, keys and values at and past their length limits. */
static void long_names_and_values(fixture *f)
{
    static const struct { const char *unit; size_t n; } lengths[] = {
        {"n", 0}, {"n", 255}, {"n", 256}, {"n", 65535}, {"n", 65536}, {"\xe2\x82\xac", 700}, {"\xe2\x82\xac", 30000}};
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        char *name = repeated(lengths[i].unit, lengths[i].n), *s;
        assert_true(asprintf(&s, "{\"TableName\":\"robust\",\"Item\":{\"pk\":{\"S\":\"w\"},\"sk\":{\"N\":\"9\"},"
                                 "\"%s\":{\"S\":\"x\"}}}", name) > 0);
        send_owned(f, "PutItem", s);
        assert_true(asprintf(&s, "{\"TableName\":\"robust\",\"Key\":" W_KEY("9") ",\"ProjectionExpression\":\"#n\","
                                 "\"ExpressionAttributeNames\":{\"#n\":\"%s\"}}", name) > 0);
        send_owned(f, "GetItem", s);
        assert_true(asprintf(&s, "{\"TableName\":\"robust\",\"Key\":" W_KEY("9") ",\"UpdateExpression\":\"SET #n = :v\","
                                 "\"ExpressionAttributeNames\":{\"#n\":\"%s\"},\"ExpressionAttributeValues\":{\":v\":{\"M\":{}}},"
                                 "\"ReturnValues\":\"ALL_NEW\"}",
                             name) > 0);
        send_owned(f, "UpdateItem", s);
        assert_true(asprintf(&s, "{\"TableName\":\"robust\",\"Key\":" W_KEY("9") ",\"AttributeUpdates\":{\"%s\":"
                                 "{\"Action\":\"PUT\",\"Value\":{\"S\":\"x\"}}},\"ReturnValues\":\"ALL_NEW\"}", name) > 0);
        send_owned(f, "UpdateItem", s);
        assert_true(asprintf(&s, "{\"TableName\":\"%s\"}", name) > 0);
        send_owned(f, "DescribeTable", s);
        assert_true(asprintf(&s, "{\"TableName\":\"robust\",\"IndexName\":\"%s\",\"KeyConditionExpression\":\"g = :g\","
                                 "\"ExpressionAttributeValues\":{\":g\":{\"S\":\"x\"}}}", name) > 0);
        send_owned(f, "Query", s);
        assert_true(asprintf(&s, "{\"TableName\":\"robust\",\"Key\":{\"pk\":{\"S\":\"%s\"},\"sk\":{\"N\":\"1\"}}}", name) > 0);
        send_text(f, "GetItem", s);
        send_owned(f, "DeleteItem", s);
        assert_true(asprintf(&s, "{\"ResourceArn\":\"arn:aws:dynamodb:us-east-1:1:table/%s\",\"Tags\":[{\"Key\":\"%s\","
                                 "\"Value\":\"%s\"}]}", name, name, name) > 0);
        send_owned(f, "TagResource", s);
        assert_true(asprintf(&s, "{\"TableName\":\"scratch\",\"TimeToLiveSpecification\":{\"Enabled\":true,"
                                 "\"AttributeName\":\"%s\"}}", name) > 0);
        send_owned(f, "UpdateTimeToLive", s);
        send_text(f, "UpdateTimeToLive", TTL_OFF);
        free(name);
    }
    /* An item just past 400 KB, and key values past 2,048 and 1,024 bytes. */
    char *big = repeated("x", 400 * 1024), *s;
    assert_true(asprintf(&s, "{\"S\":\"%s\"}", big) > 0);
    send_owned(f, "PutItem", put_with(s));
    send_owned(f, "UpdateItem", update_with("SET a = :v, b = :v", s));
    free(s);
    free(big);
}

/* Type tags and values that do not go together, sets that are not sets. */
static void malformed_attribute_values(fixture *f)
{
    static const char *const values[] = {
        "{}", "[]", "\"x\"", "1", "null", "{\"S\":1}", "{\"S\":null}", "{\"N\":1}", "{\"N\":\"abc\"}", "{\"B\":\"abc\"}",
        "{\"B\":1}", "{\"SS\":[]}", "{\"SS\":\"a\"}", "{\"SS\":[\"a\",\"a\"]}", "{\"SS\":[1]}", "{\"NS\":[\"1\",\"1.0\"]}",
        "{\"NS\":[\"1\",\"01\"]}", "{\"NS\":[\"x\"]}", "{\"BS\":[\"AA==\",\"AA==\"]}", "{\"BS\":[\"!\"]}", "{\"M\":[]}",
        "{\"M\":{\"\":{\"S\":\"x\"}}}", "{\"M\":{\"a\":1}}", "{\"L\":{}}", "{\"L\":[1]}", "{\"L\":[{}]}", "{\"BOOL\":\"true\"}",
        "{\"BOOL\":1}", "{\"NULL\":false}", "{\"NULL\":\"x\"}", "{\"S\":\"a\",\"N\":\"1\"}", "{\"S\":\"a\",\"S\":\"b\"}",
        "{\"s\":\"a\"}", "{\"X\":\"a\"}", "{\"\":\"a\"}", "{\"S\":\"\"}", "{\"B\":\"\"}", "{\"M\":{}}", "{\"L\":[]}",
    };
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        const char *v = values[i];
        send_owned(f, "PutItem", put_with(v));
        send_owned(f, "UpdateItem", update_with("SET a = :v", v));
        send_owned(f, "UpdateItem", update_with("ADD a :v", v));
        send_owned(f, "UpdateItem", update_with("DELETE a :v", v));
        static const char *const actions[] = {"", "\"Action\":\"PUT\",", "\"Action\":\"ADD\",", "\"Action\":\"DELETE\",",
                                              "\"Action\":null,", "\"Action\":1,"};
        for (size_t k = 0; k < sizeof actions / sizeof actions[0]; k++) {
            char *legacy;
            assert_true(asprintf(&legacy, "{\"TableName\":\"robust\",\"Key\":" W_KEY("9") ",\"AttributeUpdates\":"
                                          "{\"a\":{%s\"Value\":%s}}}", actions[k], v) > 0);
            send_owned(f, "UpdateItem", legacy);
        }
        send_owned(f, "Query", query_with_filter("a = :v", v));
        char *s;
        assert_true(asprintf(&s, "{\"TableName\":\"robust\",\"Key\":{\"pk\":%s,\"sk\":{\"N\":\"1\"}}}", v) > 0);
        send_owned(f, "GetItem", s);
        assert_true(asprintf(&s, "{\"TableName\":\"robust\",\"KeyConditionExpression\":\"pk = :v\","
                                 "\"ExpressionAttributeValues\":{\":v\":{\"S\":\"w\"}},\"ExclusiveStartKey\":{\"pk\":%s,"
                                 "\"sk\":%s}}", v, v) > 0);
        send_owned(f, "Query", s);
        assert_true(asprintf(&s, "{\"RequestItems\":{\"robust\":[{\"PutRequest\":{\"Item\":{\"pk\":{\"S\":\"w\"},"
                                 "\"sk\":{\"N\":\"9\"},\"a\":%s}}}]}}", v) > 0);
        send_owned(f, "BatchWriteItem", s);
        assert_true(asprintf(&s, "{\"TransactItems\":[{\"Update\":{\"TableName\":\"robust\",\"Key\":" W_KEY("9") ","
                                 "\"UpdateExpression\":\"SET a = :v\",\"ExpressionAttributeValues\":{\":v\":%s}}}]}", v) > 0);
        send_owned(f, "TransactWriteItems", s);
    }
}

/* Whole bodies that are not a request object, and text JSON forbids. */
static void malformed_bodies(fixture *f)
{
    static const struct { const char *text; size_t len; } bodies[] = {
#define B(s) {s, sizeof s - 1}
        B(""), B(" "), B("null"), B("[]"), B("\"x\""), B("1"), B("{} {}"), B("{}x"), B("{,}"), B("{\"a\"}"),
        B("{\"a\":}"), B("\xef\xbb\xbf{}"), B("{\"TableName\":\"robust\"\x00}"), B("{\x00}"), B("\x00"),
        B("{\"TableName\":\"rob\x00ust\"}"), B("{\"TableName\":\"robust\",\"TableName\":\"scratch\"}"),
        B("{\"TableName\":\"robust\",\"Key\":" W_KEY("1") ",\"Key\":{}}"),
        B("{\"TableName\":\"rob\\u0000ust\"}"), B("{\"TableName\":\"robust\\\\\\u0000\"}"),
        B("{\"TableName\":\"\\ud800\"}"), B("{\"TableName\":\"\\udc00x\"}"), B("{\"TableName\":\"\\ud800\\u0041\"}"),
        B("{\"TableName\":\"\xff\"}"), B("{\"TableName\":\"\xc0\xaf\"}"), B("{\"TableName\":\"\xed\xa0\x80\"}"),
        B("{\"TableName\":\"\x01\"}"), B("{\"TableName\":\"a\tb\"}"), B("{\"TableName\":\"\\u00e9\\u00e9\\u00e9\"}"),
        B("{\"TableName\":\"robust\",\"Key\":{\"pk\":{\"S\":\"w\"},\"pk\":{\"S\":\"x\"},\"sk\":{\"N\":\"1\"}}}"),
        B("{\"TableName\":\"robust\",\"Key\":{\"pk\":{\"S\":\"w\",\"S\":\"x\"},\"sk\":{\"N\":\"1\"}}}"),
        B("{\"TableName\":\"robust\",\"Item\":{\"pk\":{\"S\":\"w\"},\"sk\":{\"N\":\"9\"},\"a\":{\"S\":\"1\"},"
          "\"a\":{\"N\":\"2\"}}}"),
        B("{\"TableName\":\"robust\",\"KeyConditionExpression\":\"pk = :p\",\"ExpressionAttributeValues\":"
          "{\":p\":{\"S\":\"w\"},\":p\":{\"S\":\"sentinel-partition\"}}}"),
        B("{\"TableName\":null,\"Key\":null}"), B("{\"TableName\":\"robust\",\"Key\":{\"pk\":{\"S\":\"w\"},"
          "\"sk\":{\"N\":\"1\"}},\"ReturnValues\":\"\"}"),
#undef B
    };
    static const char *const ops[] = {"GetItem", "PutItem", "DeleteItem", "UpdateItem", "Query", "Scan",
                                      "DescribeTable", "BatchGetItem", "TransactWriteItems", "CreateTable"};
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++)
        for (size_t j = 0; j < sizeof ops / sizeof ops[0]; j++)
            send_checked(f, ops[j], bodies[i].text, bodies[i].len, NULL, 0);
    /* A body of a megabyte of white space around {}. */
    char *spaces = repeated(" ", 1 << 20), *s;
    assert_true(asprintf(&s, "%s{}%s", spaces, spaces) > 0);
    send_owned(f, "ListTables", s);
    free(spaces);
    /* An operation name of 10,000 bytes. */
    char *op = repeated("Put", 3334);
    send_text(f, op, "{}");
    free(op);
}

/* Batches and transactions at and past their sizes, with repeated keys. */
static void oversized_and_repeated_batches(fixture *f)
{
    static const size_t counts[] = {0, 1, 25, 26, 100, 101};
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        size_t n = counts[i];
        char *puts = repeated("{\"PutRequest\":{\"Item\":{\"pk\":{\"S\":\"w\"},\"sk\":{\"N\":\"9\"}}}},", n), *s;
        if (n) puts[strlen(puts) - 1] = 0;
        assert_true(asprintf(&s, "{\"RequestItems\":{\"robust\":[%s]}}", puts) > 0);
        send_owned(f, "BatchWriteItem", s);
        free(puts);
        char *keys = repeated(W_KEY("9") ",", n);
        if (n) keys[strlen(keys) - 1] = 0;
        assert_true(asprintf(&s, "{\"RequestItems\":{\"robust\":{\"Keys\":[%s]}}}", keys) > 0);
        send_owned(f, "BatchGetItem", s);
        free(keys);
        char *gets = repeated("{\"Get\":{\"TableName\":\"robust\",\"Key\":" W_KEY("9") "}},", n);
        if (n) gets[strlen(gets) - 1] = 0;
        assert_true(asprintf(&s, "{\"TransactItems\":[%s]}", gets) > 0);
        send_owned(f, "TransactGetItems", s);
        free(gets);
        char *writes = repeated("{\"ConditionCheck\":{\"TableName\":\"robust\",\"Key\":" W_KEY("9") ","
                                "\"ConditionExpression\":\"attribute_exists(pk)\"}},", n);
        if (n) writes[strlen(writes) - 1] = 0;
        assert_true(asprintf(&s, "{\"TransactItems\":[%s]}", writes) > 0);
        send_owned(f, "TransactWriteItems", s);
        free(writes);
    }
    /* A transaction whose second write fails must leave the first undone. */
    send_text(f, "TransactWriteItems",
              "{\"TransactItems\":[{\"Put\":{\"TableName\":\"robust\",\"Item\":{\"pk\":{\"S\":\"w\"},\"sk\":{\"N\":\"10\"},"
              "\"g\":{\"S\":\"wg\"},\"l\":{\"S\":\"x\"}}}},{\"Update\":{\"TableName\":\"robust\",\"Key\":" W_KEY("11") ","
              "\"UpdateExpression\":\"ADD a :v\",\"ExpressionAttributeValues\":{\":v\":{\"S\":\"x\"}}}}]}");
    send_text(f, "TransactWriteItems",
              "{\"TransactItems\":[{\"Put\":{\"TableName\":\"robust\",\"Item\":{\"pk\":{\"S\":\"w\"},\"sk\":{\"N\":\"12\"},"
              "\"g\":{\"S\":\"wg\"}}}},{\"Put\":{\"TableName\":\"robust\",\"Item\":{\"pk\":{\"S\":\"w\"},\"sk\":{\"N\":\"13\"},"
              "\"g\":{\"N\":\"1\"}}}}]}");
    cJSON *body = ok(f, "GetItem", "{\"TableName\":\"robust\",\"Key\":" W_KEY("12") "}");
    assert_null(cJSON_GetObjectItemCaseSensitive(body, "Item"));
    cJSON_Delete(body);
}

/* Scans that split the table at the extremes of TotalSegments (1 to 1,000,000). */
static void extreme_segments(fixture *f)
{
    static const struct { long long segment, total; } splits[] = {
        {0, 1}, {999999, 1000000}, {500000, 1000000}, {0, 1000000}, {1000000, 1000000}, {0, 1000001},
        {-1, 2}, {4096, 4097}, {1023, 1024}, {1024, 1025}, {2147483647LL, 2147483647LL}, {0, 4294967297LL}};
    for (size_t i = 0; i < sizeof splits / sizeof splits[0]; i++) {
        char *s;
        assert_true(asprintf(&s, "{\"TableName\":\"robust\",\"Segment\":%lld,\"TotalSegments\":%lld}", splits[i].segment,
                             splits[i].total) > 0);
        send_owned(f, "Scan", s);
        assert_true(asprintf(&s, "{\"TableName\":\"robust\",\"IndexName\":\"by_g\",\"Segment\":%lld,"
                                 "\"TotalSegments\":%lld,\"ExclusiveStartKey\":{\"pk\":{\"S\":\"sentinel-partition\"},"
                                 "\"sk\":{\"N\":\"1\"},\"g\":{\"S\":\"sentinel-g\"}}}",
                             splits[i].segment, splits[i].total) > 0);
        send_owned(f, "Scan", s);
    }
}

/* Paths that overlap or conflict, functions given operands of the wrong
 * type, and list indexes far past a list's end. */
static void conflicting_paths_and_operands(fixture *f)
{
    send_text(f, "PutItem", "{\"TableName\":\"robust\",\"Item\":{\"pk\":{\"S\":\"w\"},\"sk\":{\"N\":\"9\"},"
                            "\"a\":{\"L\":[{\"N\":\"1\"},{\"M\":{\"b\":{\"S\":\"x\"}}}]},\"m\":{\"M\":{}}}}");
    static const char *const projections[] = {"a, a.b", "a, a", "a[0], a[0].b", "a[1].b, a[1]", "a.b, a.b.c", "m, m"};
    for (size_t i = 0; i < sizeof projections / sizeof projections[0]; i++)
        send_owned(f, "GetItem", get_with_projection(projections[i]));
    static const char *const updates[] = {
        "SET a = :v, a[0] = :v", "SET a[0] = :v REMOVE a[0]", "SET m.x = :v, m = :v", "SET a[2147483647] = :v",
        "SET a[1000000] = :v", "REMOVE a[2147483647]", "SET a[1].b.c.d = :v", "SET m.#k = :v", "ADD a[0] :v",
        "REMOVE a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11]",
        "SET a = list_append(a, a)", "SET a = list_append(a, m)", "SET m = m + :v", "SET m.x = m.y",
    };
    static const char *const values[] = {"{\"N\":\"1\"}", "{\"L\":[{\"N\":\"1\"}]}", "{\"M\":{}}"};
    for (size_t i = 0; i < sizeof updates / sizeof updates[0]; i++)
        for (size_t j = 0; j < sizeof values / sizeof values[0]; j++) {
            char *s;
            assert_true(asprintf(&s, "{\"TableName\":\"robust\",\"Key\":" W_KEY("9") ",\"UpdateExpression\":\"%s\","
                                     "\"ExpressionAttributeNames\":{\"#k\":\"k\"},\"ExpressionAttributeValues\":{\":v\":%s}}",
                                 updates[i], values[j]) > 0);
            if (!strstr(updates[i], "#k")) { /* an unused name is its own error: keep the names for #k only */
                free(s);
                s = update_with(updates[i], values[j]);
            }
            send_owned(f, "UpdateItem", s);
        }
    static const char *const filters[] = {
        "size(:v) = :v", "begins_with(a, :v)", "begins_with(:v, a)", "contains(:v, :v)", "attribute_type(a, :v)",
        "a[0] < a", "a BETWEEN m AND a", "a IN (a, m, :v)", "size(a) BETWEEN :v AND :v", "NOT attribute_exists(a[5].b)",
    };
    for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++)
        for (size_t j = 0; j < sizeof values / sizeof values[0]; j++)
            send_owned(f, "Query", query_with_filter(filters[i], values[j]));
}

/* Three items of nearly 400 KB: a Query or Scan page stops at 1 MB and must
 * say where to resume. They are deleted again, so later checks stay fast. */
static void pages_cut_at_a_megabyte(fixture *f)
{
    char *big = repeated("z", 390 * 1024);
    for (int i = 0; i < 3; i++) {
        char *s;
        assert_true(asprintf(&s, "{\"TableName\":\"robust\",\"Item\":{\"pk\":{\"S\":\"big\"},\"sk\":{\"N\":\"%d\"},"
                                 "\"g\":{\"S\":\"big\"},\"z\":{\"S\":\"%s\"}}}", i, big) > 0);
        send_owned(f, "PutItem", s);
    }
    free(big);
    send_text(f, "Query", "{\"TableName\":\"robust\",\"KeyConditionExpression\":\"pk = :p\","
                          "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"big\"}}}");
    send_text(f, "Query", "{\"TableName\":\"robust\",\"IndexName\":\"by_g\",\"KeyConditionExpression\":\"g = :p\","
                          "\"ScanIndexForward\":false,\"ExpressionAttributeValues\":{\":p\":{\"S\":\"big\"}}}");
    send_text(f, "Scan", "{\"TableName\":\"robust\",\"FilterExpression\":\"pk = :p\","
                         "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"big\"}}}");
    send_text(f, "BatchGetItem", "{\"RequestItems\":{\"robust\":{\"Keys\":[{\"pk\":{\"S\":\"big\"},\"sk\":{\"N\":\"0\"}},"
                                 "{\"pk\":{\"S\":\"big\"},\"sk\":{\"N\":\"1\"}},{\"pk\":{\"S\":\"big\"},\"sk\":{\"N\":\"2\"}}]}}}");
    send_text(f, "TransactGetItems",
              "{\"TransactItems\":[{\"Get\":{\"TableName\":\"robust\",\"Key\":{\"pk\":{\"S\":\"big\"},\"sk\":{\"N\":\"0\"}}}},"
              "{\"Get\":{\"TableName\":\"robust\",\"Key\":{\"pk\":{\"S\":\"big\"},\"sk\":{\"N\":\"1\"}}}},"
              "{\"Get\":{\"TableName\":\"robust\",\"Key\":{\"pk\":{\"S\":\"big\"},\"sk\":{\"N\":\"2\"}}}}]}");
    for (int i = 0; i < 3; i++) {
        char *s;
        assert_true(asprintf(&s, "{\"TableName\":\"robust\",\"Key\":{\"pk\":{\"S\":\"big\"},\"sk\":{\"N\":\"%d\"}}}", i) > 0);
        send_owned(f, "DeleteItem", s);
    }
}

/* A request larger than the 16 KB parse buffer (emulator/request_arena.h),
 * cut and damaged all along: a parse that outgrows the buffer and then fails
 * must free exactly what it took from the heap. */
static void big_requests_cut_anywhere(fixture *f)
{
    enum { ATTRS = 1500 };
    size_t cap = 128 + ATTRS * 48, off;
    char *req = malloc(cap);
    assert_non_null(req);
    off = (size_t)sprintf(req, "{\"TableName\":\"robust\",\"Item\":{\"pk\":{\"S\":\"w\"},\"sk\":{\"N\":\"9\"}");
    for (int i = 0; i < ATTRS; i++)
        off += (size_t)sprintf(req + off, i % 2 ? ",\"a%d\":{\"N\":\"%d\"}" : ",\"a%d\":{\"SS\":[\"%d\",\"x\"]}", i, i);
    off += (size_t)sprintf(req + off, "}}");
    for (size_t cut = 0; cut < off; cut += 61) send_checked(f, "PutItem", req, cut, NULL, 0);
    for (int round = 0; round < 200; round++) {
        text t = text_copy(req, off);
        mutate_bytes_once(&f->rng, &t);
        send_checked(f, "PutItem", t.p, t.len, NULL, 0);
        free(t.p);
    }
    free(req);
}

/* Sends text as the Statement of each PartiQL operation (cJSON escapes it). */
static void send_statement(fixture *f, const char *text)
{
    static const char *const wrappers[][2] = {
        {"ExecuteStatement", "%s"},
        {"BatchExecuteStatement", "{\"Statements\":[{\"Statement\":%s},{\"Statement\":%s}]}"},
        {"ExecuteTransaction", "{\"TransactStatements\":[{\"Statement\":%s}]}"},
    };
    cJSON *str = cJSON_CreateString(text);
    char *quoted = cJSON_PrintUnformatted(str);
    cJSON_Delete(str);
    assert_non_null(quoted);
    for (size_t i = 0; i < sizeof wrappers / sizeof wrappers[0]; i++) {
        char *req;
        if (i == 0) assert_true(asprintf(&req, "{\"Statement\":%s}", quoted) > 0);
        else assert_true(asprintf(&req, wrappers[i][1], quoted, quoted) > 0);
        send_owned(f, wrappers[i][0], req);
    }
    free(quoted);
}

/* Words a random statement is made of: keywords, names of the fixture, functions, values. */
static const char *const statement_words[] = {
    "SELECT", "*", "FROM", "robust", "scratch", "WHERE", "pk", "sk", "v", "s", "doc", "g", "=", "'w'", "1", "?",
    "AND", "OR", "NOT", "INSERT", "INTO", "VALUE", "{'pk': 'w', 'sk': 20}", "UPDATE", "SET", "v = v + 1", "REMOVE",
    "DELETE", "RETURNING", "ALL", "MODIFIED", "NEW", "OLD", "EXISTS", "(", ")", "[", "]", ",", ".", "<<", ">>",
    "IS", "MISSING", "NULL", "BETWEEN", "IN", "ORDER", "BY", "ASC", "DESC", "size(s)", "begins_with(pk, 'w')",
    "set_add(s, <<'z'>>)", "set_delete(s, <<'a'>>)", "list_append(lst, [2])", "'it''s'", "\"by_g\"", "-5e3",
};

/* Random statements: soups of words, and nesting past the parser's limit. */
static void random_statements(fixture *f)
{
    prng r = {0x5eed9a7b1c3d5e7full};
    for (int round = 0; round < 1500; round++) {
        text t = text_copy("", 0);
        size_t words = 1 + below(&r, 24);
        for (size_t i = 0; i < words; i++) {
            const char *w = one_in(&r, 5) ? PICK(&r, statement_tokens) : PICK(&r, statement_words);
            text_splice(&t, t.len, 0, w, strlen(w));
            text_splice(&t, t.len, 0, " ", 1);
        }
        text_splice(&t, t.len, 0, "", 1); /* the terminator */
        send_statement(f, t.p);
        free(t.p);
    }
    static const struct { const char *before, *unit, *middle, *closing; } deep[] = {
        {"SELECT * FROM robust WHERE ", "(", "v = 1", ")"},
        {"SELECT * FROM robust WHERE ", "NOT ", "v = 1", ""},
        {"INSERT INTO robust VALUE {'pk': 'w', 'sk': 30, 'l': ", "[", "1", "]"},
        {"INSERT INTO robust VALUE {'pk': 'w', 'sk': 31, 'm': ", "{'a': ", "1", "}"},
        {"UPDATE robust SET v = ", "size(", "s", ")"},
        {"SELECT * FROM robust WHERE v = 1", " + 1", "", ""},
    };
    static const size_t depths[] = {10, 31, 32, 33, 63, 64, 65, 200, 3000};
    for (size_t i = 0; i < sizeof deep / sizeof deep[0]; i++)
        for (size_t k = 0; k < sizeof depths / sizeof depths[0]; k++) {
            char *statement = wrapped(deep[i].before, deep[i].unit, depths[k], deep[i].middle, deep[i].closing);
            char *closed;
            assert_true(asprintf(&closed, "%s%s", statement, i == 2 || i == 3 ? "}" : "") > 0);
            send_statement(f, closed);
            free(closed);
            free(statement);
        }
}

/* The fixed list of hostile requests, by kind. */
static void hostile_requests_keep_the_contract(void **state)
{
    fixture *f = begin(state);
    deep_values(f);
    deep_expressions(f);
    broken_expressions(f);
    edge_numbers_in_values(f);
    long_names_and_values(f);
    malformed_attribute_values(f);
    malformed_bodies(f);
    oversized_and_repeated_batches(f);
    extreme_segments(f);
    conflicting_paths_and_operands(f);
    pages_cut_at_a_megabyte(f);
    big_requests_cut_anywhere(f);
    random_statements(f);
    finish(f, "hostile requests");
}

int main(void)
{
    /* As the server does: requests are parsed into its stack buffer, the
     * path where a parse that outgrows it must still free what it took. */
    dynemu_parse_in_place();
    for (size_t i = 0; i < sizeof crash_signals / sizeof crash_signals[0]; i++)
        sigaction(crash_signals[i], NULL, &crash_handlers[i]);
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(every_corpus_request_is_valid),
        T(truncation_at_every_offset_is_a_serialization_error),
        T(deleting_any_one_byte_keeps_the_contract),
        T(random_byte_mutations_keep_the_contract),
        T(structured_mutations_keep_the_contract),
        T(requests_sent_to_the_wrong_operation_keep_the_contract),
        T(hostile_requests_keep_the_contract),
    };
#undef T
    return cmocka_run_group_tests_name("robustness", tests, NULL, NULL);
}
