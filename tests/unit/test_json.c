/* tests/unit/test_json.c — the one-pass reading of plain JSON
 * (emulator/json_plain.c) against cJSON's parser, which reads every text it
 * declines: wherever it reads a text, cJSON reads the same tree; the bodies
 * the SDKs send are read by it; and every cut and byte change of a set of
 * texts keeps to that. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emulator/json_plain.h"
#include "emulator/request_arena.h"

static bool same_text(const char *a, const char *b) { return (!a && !b) || (a && b && strcmp(a, b) == 0); }

/* Whether two trees are the same, down to the links a later append relies on. */
static bool same_tree(const cJSON *a, const cJSON *b)
{
    if (a->type != b->type || a->valueint != b->valueint || !same_text(a->string, b->string) ||
        !same_text(a->valuestring, b->valuestring) || memcmp(&a->valuedouble, &b->valuedouble, sizeof(double)) != 0)
        return false;
    const cJSON *x = a->child, *y = b->child, *last_x = NULL, *last_y = NULL;
    for (; x && y; last_x = x, last_y = y, x = x->next, y = y->next)
        if (!same_tree(x, y) || (x->next && x->next->prev != x) || (y->next && y->next->prev != y)) return false;
    if (x || y) return false;
    /* The first's prev is the last, which an append relies on. */
    return (!a->child || a->child->prev == last_x) && (!b->child || b->child->prev == last_y);
}

/* Whether text is read alike; true if the one-pass reading took it. */
static bool read_alike(const char *text, size_t len)
{
    bool declined;
    cJSON *plain = emu_json_parse_plain(text, len, &declined);
    if (declined) {
        assert_null(plain);
        return false;
    }
    cJSON *lib = cJSON_ParseWithLength(text, len);
    if (!lib || !same_tree(plain, lib)) fail_msg("read otherwise by cJSON: %.*s", (int)len, text);
    cJSON_Delete(plain);
    cJSON_Delete(lib);
    return true;
}

static const char *const bodies[] = {
    "{\"TableName\":\"bench\",\"Key\":{\"pk\":{\"S\":\"p00001\"},\"sk\":{\"S\":\"s00001\"}}}",
    "{\"TableName\": \"users\", \"Item\": {\"id\": {\"S\": \"bob\"}, \"n\": {\"N\": \"12.5\"}, \"ok\": {\"BOOL\": true},"
    " \"none\": {\"NULL\": true}, \"tags\": {\"SS\": [\"a\", \"b\"]}, \"m\": {\"M\": {}}, \"l\": {\"L\": []}}}",
    "{\"TableName\":\"bench\",\"Limit\":25,\"KeyConditionExpression\":\"pk = :p\","
    "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"p00042\"}},\"ScanIndexForward\":false}",
    "{\"TransactItems\":[{\"Put\":{\"TableName\":\"t\",\"Item\":{\"pk\":{\"S\":\"x\"}}}},"
    "{\"ConditionCheck\":{\"TableName\":\"t\",\"Key\":{\"pk\":{\"S\":\"y\"}},\"ConditionExpression\":\"attribute_exists(pk)\"}}]}",
    "\n\t{ \"a\" : [ 1 , -2 , 3.25 , -0 , 0.5e3 , 1E-2 , 2147483647 , 2147483648 , -2147483649 , 1e400 ] }\r\n",
    "{\"dup\": 1, \"dup\": 2, \"\": \"\", \"nested\": [[[]], {}, [{\"x\": null}]]}",
    "\"a string\"", "12", "true", "false", "null", "[]", "{}",
    "{\"utf8\": \"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"}",
};

static void the_bodies_sdks_send_are_read_in_one_pass_as_cjson_reads_them(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++)
        if (!read_alike(bodies[i], strlen(bodies[i]))) fail_msg("declined: %s", bodies[i]);
}

static void what_is_not_plain_is_left_to_cjson(void **state)
{
    (void)state;
    static const char *const others[] = {
        "", "   ", "{\"a\": \"\\n\"}", "{\"a\\u0041\": 1}", "\xef\xbb\xbf{}", "{} trailing", "[1,]", "{\"a\":1,}",
        "01", "1.", ".5", "+1", "1e", "1e+", "-", "--1", "1-2", "0x10", "[1 2]", "{\"a\" 1}", "{a: 1}", "[\"open",
        "tru", "nul", "falsey", "NaN", "Infinity", "1234567890123456789012345678901234567890123456789012345678901234",
    };
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        if (read_alike(others[i], strlen(others[i]))) fail_msg("read in one pass: %s", others[i]);
    char deep[2 * EMU_JSON_PLAIN_DEPTH_MAX + 3];
    size_t n = 0;
    for (int i = 0; i <= EMU_JSON_PLAIN_DEPTH_MAX; i++) deep[n++] = '[';
    for (int i = 0; i <= EMU_JSON_PLAIN_DEPTH_MAX; i++) deep[n++] = ']';
    assert_false(read_alike(deep, n));
    assert_true(read_alike(deep + 1, n - 2)); /* one level fewer: within the depth read in one pass */
}

/* Every cut of each text, and each byte replaced by each of a few that JSON
 * gives a meaning, is read alike or declined. */
static void cut_and_changed_texts_are_read_alike_or_declined(void **state)
{
    (void)state;
    static const char changes[] = "\"\\,:[]{}0-+eE. tfnx1\x01\xc3";
    size_t taken = 0;
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        size_t len = strlen(bodies[i]);
        char *text = malloc(len + 1);
        for (size_t cut = 0; cut <= len; cut++) taken += read_alike(bodies[i], cut);
        for (size_t at = 0; at < len; at++)
            for (size_t c = 0; c < sizeof changes - 1; c++) {
                memcpy(text, bodies[i], len + 1);
                text[at] = changes[c];
                taken += read_alike(text, len);
            }
        free(text);
    }
    assert_true(taken > 1000); /* the one-pass reading did read many of them */
}

/* Under the arena's hooks, as the server parses: a document read in one pass
 * and one left to cJSON both come back whole and go with the arena. */
static void the_arena_takes_both_readings(void **state)
{
    (void)state;
    emu_request_arena_install();
    static emu_request_arena arena;
    const char *plain = bodies[0], *escaped = "{\"TableName\":\"a\\\"b\"}";
    cJSON *doc = emu_request_arena_parse(&arena, plain, strlen(plain));
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(doc, "TableName")), "bench");
    emu_request_arena_end(&arena, doc);
    doc = emu_request_arena_parse(&arena, escaped, strlen(escaped));
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(doc, "TableName")), "a\"b");
    emu_request_arena_end(&arena, doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_bodies_sdks_send_are_read_in_one_pass_as_cjson_reads_them),
        cmocka_unit_test(what_is_not_plain_is_left_to_cjson),
        cmocka_unit_test(cut_and_changed_texts_are_read_alike_or_declined),
        cmocka_unit_test(the_arena_takes_both_readings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
