/* tests/unit/test_codec.c — the DynamoDB-JSON codec (store/codec.h): round
 * trips of all ten types, base64, and every refusal with the error type and
 * message a client would get. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/codec.h"

/* ---------------------------------------------------------------- helpers */

static store_value *decode(const char *json, store_error *err)
{
    cJSON *j = cJSON_Parse(json);
    if (!j) fail_msg("test JSON does not parse: %s", json);
    memset(err, 0, sizeof *err);
    store_value *v = store_decode_value(j, err);
    cJSON_Delete(j);
    return v;
}

static store_value *decode_item(const char *json, store_error *err)
{
    cJSON *j = cJSON_Parse(json);
    if (!j) fail_msg("test JSON does not parse: %s", json);
    memset(err, 0, sizeof *err);
    store_value *v = store_decode_item(j, err);
    cJSON_Delete(j);
    return v;
}

static store_value *decode_ok(const char *json)
{
    store_error err;
    store_value *v = decode(json, &err);
    if (!v) fail_msg("%s refused: %s", json, err.message);
    assert_int_equal(err.status, STORE_OK);
    return v;
}

static char *print_value(const store_value *v)
{
    cJSON *j = store_encode_value(v);
    assert_non_null(j);
    char *s = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    return s;
}

/* Decodes json, encodes it back and expects the text expected. */
static void assert_round_trip(const char *json, const char *expected)
{
    store_value *v = decode_ok(json);
    char *s = print_value(v);
    store_release(v);
    if (strcmp(s, expected) != 0) {
        print_error("%s → %s, expected %s\n", json, s, expected);
        free(s);
        fail();
    }
    free(s);
}

static void assert_same_round_trip(const char *json) { assert_round_trip(json, json); }

/* Decoding json fails with status and exactly message. */
static void assert_refused(const char *json, store_status status, const char *message)
{
    store_error err;
    store_value *v = decode(json, &err);
    if (v) { store_release(v); fail_msg("%s was accepted", json); }
    if (err.status != status) fail_msg("%s: status %d (%s), expected %d", json, err.status, err.message, status);
    if (message && strcmp(err.message, message) != 0) fail_msg("%s: message \"%s\", expected \"%s\"", json, err.message, message);
}

/* Decoding json fails with status and a message starting with prefix. */
static void assert_refused_prefix(const char *json, store_status status, const char *prefix)
{
    store_error err;
    store_value *v = decode(json, &err);
    if (v) { store_release(v); fail_msg("%s was accepted", json); }
    if (err.status != status) fail_msg("%s: status %d (%s), expected %d", json, err.status, err.message, status);
    if (strncmp(err.message, prefix, strlen(prefix)) != 0)
        fail_msg("%s: message \"%s\", expected it to start \"%s\"", json, err.message, prefix);
}

/* {"M":{"n": ... {"S":"leaf"} ...}} with `wraps` maps (or lists) around the leaf. */
static char *deep(int wraps, bool lists)
{
    size_t cap = (size_t)wraps * 16 + 32;
    char *s = malloc(cap), *p = s;
    assert_non_null(s);
    for (int i = 0; i < wraps; i++) p += sprintf(p, lists ? "{\"L\":[" : "{\"M\":{\"n\":");
    p += sprintf(p, "{\"S\":\"leaf\"}");
    for (int i = 0; i < wraps; i++) p += sprintf(p, lists ? "]}" : "}}");
    return s;
}

/* ----------------------------------------------------------- round trips */

static void string_round_trips(void **state)
{
    (void)state;
    assert_same_round_trip("{\"S\":\"hello\"}");
    assert_same_round_trip("{\"S\":\"\"}");
    assert_same_round_trip("{\"S\":\"h\xc3\xa9llo \xe2\x98\x83\"}");
    assert_same_round_trip("{\"S\":\"quote \\\" backslash \\\\ newline \\n\"}");
}

/* The item text writer (store_text_item) escapes what JSON needs escaped
 * wherever it stands: first, last, back to back, and past the 16-byte runs
 * it scans at a time; in a value embedded in its item, in a set member, in a
 * list and in an attribute name (strings are marked clean when made, and each
 * of these is made its own way). Read back by cJSON, each is the one stored. */
static void item_text_escapes_every_position(void **state)
{
    (void)state;
    static const char *const strings[] = {
        "\"first", "last\\", "\n\t\r", "\x01", "plain text, nothing to escape here at all",
        "twenty clean bytes..\"then a quote", "a\"b\\c\x1f" "d", "",
    };
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
        char name[64];
        snprintf(name, sizeof name, "n%s", strings[i]);
        cJSON *json = cJSON_CreateObject();
        cJSON_AddStringToObject(cJSON_AddObjectToObject(json, "s"), "S", strings[i]);
        cJSON_AddItemToObject(cJSON_AddObjectToObject(json, "ss"), "SS", cJSON_CreateStringArray(&strings[i], 1));
        cJSON *list = cJSON_AddArrayToObject(cJSON_AddObjectToObject(json, "l"), "L");
        cJSON *member = cJSON_CreateObject();
        cJSON_AddStringToObject(member, "S", strings[i]);
        cJSON_AddItemToArray(list, member);
        cJSON_AddStringToObject(cJSON_AddObjectToObject(json, name), "S", "named");
        store_error err;
        store_value *item = store_decode_item(json, &err);
        assert_non_null(item);
        store_text t = {0};
        store_text_item(&t, item);
        size_t len;
        char *text = store_text_finish(&t, &len);
        cJSON *back = cJSON_ParseWithLength(text, len);
        if (!back) fail_msg("string %zu: not JSON: %s", i, text);
        assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(back, "s"), "S")->valuestring, strings[i]);
        assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(back, "ss"), "SS"), 0)->valuestring,
                            strings[i]);
        cJSON *back_list = cJSON_GetObjectItem(cJSON_GetObjectItem(back, "l"), "L");
        assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(back_list, 0), "S")->valuestring, strings[i]);
        assert_non_null(cJSON_GetObjectItemCaseSensitive(back, name));
        cJSON_Delete(back);
        free(text);
        store_release(item);
        cJSON_Delete(json);
    }
}

/* The clean mark a string gets when it is made, and keeps when embedded in
 * an item: set exactly when no byte needs escaping. */
static void strings_are_marked_clean_only_without_escapes(void **state)
{
    (void)state;
    static const struct { const char *s; bool clean; } cases[] = {
        {"", true}, {"plain", true}, {"h\xc3\xa9llo \xe2\x98\x83", true}, {"exactly sixteen!", true},
        {"\"", false}, {"x\\", false}, {"sixteen clean by\ntes then", false}, {"\x7f is clean, \x1f is not", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        store_value *v = store_value_bytes(STORE_S, cases[i].s, strlen(cases[i].s));
        if (((v->flag & STORE_FLAG_JSON_CLEAN) != 0) != cases[i].clean) fail_msg("case %zu: wrong clean mark", i);
        store_entry e = {store_name("a", 1), v};
        store_value *item = store_value_map(&e, 1);
        const store_value *embedded = store_map_get(item, "a", 1);
        if (((embedded->flag & STORE_FLAG_JSON_CLEAN) != 0) != cases[i].clean) fail_msg("case %zu: mark lost in the item", i);
        store_release(item);
    }
}

/* The item text writer and the cJSON encoder answer the same text for an
 * item of every type, with entries the writer takes its one-reservation path
 * for (clean names with N or clean S values) beside those it does not, at the
 * top level and nested. */
static void item_text_matches_the_json_encoder(void **state)
{
    (void)state;
    static const char *const items[] = {
        "{\"pk\":{\"S\":\"p1\"},\"n\":{\"N\":\"-1.5E+7\"},\"e\":{\"S\":\"\"}}",
        "{\"a\\\"b\":{\"N\":\"1\"},\"q\":{\"S\":\"say \\\"hi\\\"\"},\"u\":{\"S\":\"h\u00e9\"}}",
        "{\"m\":{\"M\":{\"x\":{\"N\":\"2\"},\"y\":{\"S\":\"t\\n\"},\"z\":{\"M\":{\"w\":{\"S\":\"deep\"}}}}},"
        "\"l\":{\"L\":[{\"N\":\"3\"},{\"S\":\"s\"},{\"BOOL\":true},{\"NULL\":true}]},"
        "\"ss\":{\"SS\":[\"a\",\"b\\\"\"]},\"ns\":{\"NS\":[\"1\",\"20\"]},\"bs\":{\"BS\":[\"AAE=\"]},"
        "\"b\":{\"B\":\"AAEC/w==\"},\"f\":{\"BOOL\":false}}",
    };
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
        store_error err;
        store_value *item = decode_item(items[i], &err);
        if (!item) fail_msg("item %zu refused: %s", i, err.message);
        size_t len;
        char *text = store_encode_item_text(item, &len);
        cJSON *json = store_encode_item(item);
        char *expected = cJSON_PrintUnformatted(json);
        assert_string_equal(text, expected);
        assert_int_equal(len, strlen(expected));
        free(expected);
        cJSON_Delete(json);
        free(text);
        store_release(item);
    }
}

/* Counts in answers are written as JSON integers by store_text_put_integer. */
static void text_integers_are_plain_decimals(void **state)
{
    (void)state;
    static const struct { long long n; const char *text; } cases[] = {
        {0, "0"}, {7, "7"}, {-7, "-7"}, {1000000, "1000000"},
        {LLONG_MAX, "9223372036854775807"}, {LLONG_MIN, "-9223372036854775808"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        store_text t = {0};
        store_text_put_integer(&t, cases[i].n);
        char *text = store_text_finish(&t, NULL);
        assert_string_equal(text, cases[i].text);
        free(text);
    }
}

static void string_keeps_its_bytes(void **state)
{
    (void)state;
    store_value *v = decode_ok("{\"S\":\"\\u00e9\"}");
    assert_int_equal(v->type, STORE_S);
    assert_int_equal(v->len, 2);
    assert_memory_equal(store_bytes(v), "\xc3\xa9", 2);
    store_release(v);
}

static void number_round_trips_in_canonical_form(void **state)
{
    (void)state;
    assert_same_round_trip("{\"N\":\"42\"}");
    assert_round_trip("{\"N\":\"1.50\"}", "{\"N\":\"1.5\"}");
    assert_round_trip("{\"N\":\"-0\"}", "{\"N\":\"0\"}");
    assert_round_trip("{\"N\":\"1E+2\"}", "{\"N\":\"100\"}");
    assert_round_trip("{\"N\":\"-2.5e-3\"}", "{\"N\":\"-0.0025\"}");
}

static void binary_round_trips_in_base64(void **state)
{
    (void)state;
    assert_same_round_trip("{\"B\":\"AAEC/w==\"}");
    assert_same_round_trip("{\"B\":\"aGVsbG8=\"}");
    assert_same_round_trip("{\"B\":\"+/+/\"}");
}

static void binary_is_decoded_to_its_bytes(void **state)
{
    (void)state;
    store_value *v = decode_ok("{\"B\":\"AAEC/w==\"}");
    assert_int_equal(v->type, STORE_B);
    assert_int_equal(v->len, 4);
    assert_memory_equal(store_bytes(v), "\x00\x01\x02\xff", 4);
    assert_int_equal(store_value_size(v), 4);
    store_release(v);
}

static void empty_binary_round_trips(void **state)
{
    (void)state;
    store_value *v = decode_ok("{\"B\":\"\"}");
    assert_int_equal(v->len, 0);
    store_release(v);
    assert_same_round_trip("{\"B\":\"\"}");
}

static void string_set_round_trips_sorted(void **state)
{
    (void)state;
    assert_round_trip("{\"SS\":[\"b\",\"a\",\"c\"]}", "{\"SS\":[\"a\",\"b\",\"c\"]}");
    assert_same_round_trip("{\"SS\":[\"\"]}");
}

static void number_set_round_trips_sorted_and_canonical(void **state)
{
    (void)state;
    assert_round_trip("{\"NS\":[\"10\",\"9\",\"1.50\",\"-1\"]}", "{\"NS\":[\"-1\",\"1.5\",\"9\",\"10\"]}");
}

static void binary_set_round_trips_sorted(void **state)
{
    (void)state;
    assert_round_trip("{\"BS\":[\"Ag==\",\"/w==\",\"AQ==\"]}", "{\"BS\":[\"AQ==\",\"Ag==\",\"/w==\"]}");
}

static void map_round_trips(void **state)
{
    (void)state;
    assert_round_trip("{\"M\":{\"b\":{\"S\":\"x\"},\"a\":{\"N\":\"1\"}}}", "{\"M\":{\"a\":{\"N\":\"1\"},\"b\":{\"S\":\"x\"}}}");
    assert_same_round_trip("{\"M\":{}}");
    assert_same_round_trip("{\"M\":{\"inner\":{\"M\":{\"deep\":{\"L\":[{\"N\":\"1\"}]}}}}}");
}

static void list_round_trips_in_order(void **state)
{
    (void)state;
    assert_same_round_trip("{\"L\":[{\"S\":\"x\"},{\"NULL\":true},{\"BOOL\":false},{\"N\":\"3\"},{\"S\":\"a\"}]}");
    assert_same_round_trip("{\"L\":[]}");
    assert_same_round_trip("{\"L\":[{\"L\":[{\"SS\":[\"a\"]}]},{\"M\":{\"k\":{\"B\":\"AA==\"}}}]}");
}

static void booleans_round_trip(void **state)
{
    (void)state;
    assert_same_round_trip("{\"BOOL\":true}");
    assert_same_round_trip("{\"BOOL\":false}");
}

static void null_round_trips(void **state)
{
    (void)state;
    assert_same_round_trip("{\"NULL\":true}");
}

static void every_type_decodes_to_its_type(void **state)
{
    (void)state;
    static const struct { const char *json; store_type type; } cases[] = {
        {"{\"S\":\"x\"}", STORE_S}, {"{\"N\":\"1\"}", STORE_N}, {"{\"B\":\"AA==\"}", STORE_B},
        {"{\"SS\":[\"x\"]}", STORE_SS}, {"{\"NS\":[\"1\"]}", STORE_NS}, {"{\"BS\":[\"AA==\"]}", STORE_BS},
        {"{\"M\":{}}", STORE_M}, {"{\"L\":[]}", STORE_L}, {"{\"BOOL\":true}", STORE_BOOL}, {"{\"NULL\":true}", STORE_NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        store_value *v = decode_ok(cases[i].json);
        assert_int_equal(v->type, cases[i].type);
        store_release(v);
    }
}

static void explicit_null_member_counts_as_unset(void **state)
{
    (void)state;
    store_value *v = decode_ok("{\"S\":null,\"N\":\"7\"}");
    assert_int_equal(v->type, STORE_N);
    store_release(v);
}

static void item_round_trips(void **state)
{
    (void)state;
    const char *json = "{\"id\":{\"S\":\"u1\"},\"age\":{\"N\":\"30\"},\"tags\":{\"SS\":[\"x\",\"y\"]},"
                       "\"doc\":{\"M\":{\"k\":{\"L\":[{\"BOOL\":true}]}}}}";
    store_error err;
    store_value *item = decode_item(json, &err);
    assert_non_null(item);
    assert_int_equal(item->type, STORE_M);
    assert_int_equal(item->len, 4);
    cJSON *back = store_encode_item(item), *orig = cJSON_Parse(json);
    assert_true(cJSON_Compare(back, orig, true));
    char *s = cJSON_PrintUnformatted(back);
    /* Entries come back sorted by name. */
    assert_string_equal(s, "{\"age\":{\"N\":\"30\"},\"doc\":{\"M\":{\"k\":{\"L\":[{\"BOOL\":true}]}}},"
                           "\"id\":{\"S\":\"u1\"},\"tags\":{\"SS\":[\"x\",\"y\"]}}");
    free(s);
    cJSON_Delete(back);
    cJSON_Delete(orig);
    store_release(item);
}

static void empty_item_decodes(void **state)
{
    (void)state;
    store_error err;
    store_value *item = decode_item("{}", &err);
    assert_non_null(item);
    assert_int_equal(item->len, 0);
    store_release(item);
}

static void item_size_follows_the_decoded_values(void **state)
{
    (void)state;
    store_error err;
    store_value *item = decode_item("{\"id\":{\"S\":\"abc\"},\"n\":{\"N\":\"12345\"},\"flag\":{\"BOOL\":true},"
                                    "\"l\":{\"L\":[{\"S\":\"xy\"}]}}", &err);
    assert_non_null(item);
    /* (2 + 3) + (1 + 4) + (4 + 1) + (1 + (3 + (2 + 1))) */
    assert_int_equal(store_item_size(item), 22);
    store_release(item);
}

static void item_names_are_interned(void **state)
{
    (void)state;
    store_error err;
    store_value *a = decode_item("{\"shared\":{\"S\":\"1\"}}", &err);
    store_value *b = decode_item("{\"shared\":{\"S\":\"2\"}}", &err);
    assert_ptr_equal(store_entries(a)[0].name, store_entries(b)[0].name);
    store_release(a);
    store_release(b);
}

static void duplicate_item_name_keeps_the_later_value(void **state)
{
    (void)state;
    store_error err;
    store_value *item = decode_item("{\"a\":{\"S\":\"first\"},\"a\":{\"S\":\"second\"}}", &err);
    assert_non_null(item);
    assert_int_equal(item->len, 1);
    const store_value *v = store_map_get(item, "a", 1);
    assert_int_equal(v->len, 6);
    assert_memory_equal(store_bytes(v), "second", 6);
    store_release(item);
}

/* ------------------------------------------------------------ empty sets */

static void empty_string_set_is_refused(void **state)
{
    (void)state;
    assert_refused("{\"SS\":[]}", STORE_ERR_VALIDATION,
                   "One or more parameter values were invalid: An string set  may not be empty");
}

static void empty_number_set_is_refused(void **state)
{
    (void)state;
    assert_refused("{\"NS\":[]}", STORE_ERR_VALIDATION,
                   "One or more parameter values were invalid: An number set  may not be empty");
}

static void empty_binary_set_is_refused(void **state)
{
    (void)state;
    assert_refused_prefix("{\"BS\":[]}", STORE_ERR_VALIDATION, "One or more parameter values were invalid: ");
}

static void empty_set_nested_in_an_item_is_refused(void **state)
{
    (void)state;
    store_error err;
    assert_null(decode_item("{\"id\":{\"S\":\"1\"},\"doc\":{\"M\":{\"s\":{\"SS\":[]}}}}", &err));
    assert_int_equal(err.status, STORE_ERR_VALIDATION);
    assert_string_equal(err.message, "One or more parameter values were invalid: An string set  may not be empty");
}

/* ------------------------------------------------------------ duplicates */

static void string_set_with_duplicates_is_refused(void **state)
{
    (void)state;
    assert_refused("{\"SS\":[\"a\",\"b\",\"a\"]}", STORE_ERR_VALIDATION,
                   "One or more parameter values were invalid: Input collection [a, b, a] contains duplicates.");
}

static void number_set_with_equal_numbers_is_refused(void **state)
{
    (void)state;
    store_error err;
    assert_null(decode("{\"NS\":[\"1\",\"1.0\"]}", &err));
    assert_int_equal(err.status, STORE_ERR_VALIDATION);
    assert_non_null(strstr(err.message, "contains duplicates"));
}

static void binary_set_with_duplicates_is_refused(void **state)
{
    (void)state;
    store_error err;
    assert_null(decode("{\"BS\":[\"AQ==\",\"AQ==\"]}", &err));
    assert_int_equal(err.status, STORE_ERR_VALIDATION);
    assert_non_null(strstr(err.message, "contains duplicates"));
}

/* ------------------------------------------------------------ type count */

static void more_than_one_type_is_refused(void **state)
{
    (void)state;
    assert_refused("{\"S\":\"a\",\"N\":\"1\"}", STORE_ERR_VALIDATION,
                   "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
    assert_refused("{\"NULL\":true,\"BOOL\":true}", STORE_ERR_VALIDATION,
                   "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
}

static void no_type_is_refused(void **state)
{
    (void)state;
    const char *msg = "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes";
    assert_refused("{}", STORE_ERR_VALIDATION, msg);
    assert_refused("{\"S\":null}", STORE_ERR_VALIDATION, msg);
}

static void null_false_is_refused(void **state)
{
    (void)state;
    assert_refused("{\"NULL\":false}", STORE_ERR_VALIDATION,
                   "One or more parameter values were invalid: Null attribute value types must have the value of true");
}

/* ------------------------------------------------------- wrong JSON types */

static void number_given_for_a_string_is_a_serialization_error(void **state)
{
    (void)state;
    assert_refused("{\"S\":5}", STORE_ERR_SERIALIZATION, "NUMBER_VALUE cannot be converted to String");
    assert_refused("{\"N\":5}", STORE_ERR_SERIALIZATION, "NUMBER_VALUE cannot be converted to String");
}

static void other_json_types_for_scalars_are_serialization_errors(void **state)
{
    (void)state;
    assert_refused("{\"S\":true}", STORE_ERR_SERIALIZATION, NULL);
    assert_refused("{\"S\":[\"x\"]}", STORE_ERR_SERIALIZATION, NULL);
    assert_refused("{\"S\":{}}", STORE_ERR_SERIALIZATION, NULL);
    assert_refused("{\"B\":5}", STORE_ERR_SERIALIZATION, NULL);
    assert_refused("{\"N\":[]}", STORE_ERR_SERIALIZATION, NULL);
}

static void number_given_for_a_boolean_is_a_serialization_error(void **state)
{
    (void)state;
    assert_refused("{\"BOOL\":1}", STORE_ERR_SERIALIZATION, "NUMBER_VALUE cannot be converted to Boolean");
    assert_refused("{\"BOOL\":[]}", STORE_ERR_SERIALIZATION, NULL);
}

static void non_arrays_for_sets_and_lists_are_serialization_errors(void **state)
{
    (void)state;
    assert_refused("{\"SS\":\"a\"}", STORE_ERR_SERIALIZATION, NULL);
    assert_refused("{\"NS\":{}}", STORE_ERR_SERIALIZATION, NULL);
    assert_refused("{\"BS\":1}", STORE_ERR_SERIALIZATION, NULL);
    assert_refused("{\"L\":\"x\"}", STORE_ERR_SERIALIZATION, NULL);
    assert_refused("{\"L\":{}}", STORE_ERR_SERIALIZATION, NULL);
}

static void non_object_for_a_map_is_a_serialization_error(void **state)
{
    (void)state;
    assert_refused("{\"M\":[]}", STORE_ERR_SERIALIZATION, NULL);
    assert_refused("{\"M\":\"x\"}", STORE_ERR_SERIALIZATION, NULL);
}

static void set_member_of_the_wrong_json_type_is_a_serialization_error(void **state)
{
    (void)state;
    assert_refused("{\"SS\":[\"a\",1]}", STORE_ERR_SERIALIZATION, "NUMBER_VALUE cannot be converted to String");
    assert_refused("{\"NS\":[1]}", STORE_ERR_SERIALIZATION, "NUMBER_VALUE cannot be converted to String");
}

static void attribute_value_that_is_not_an_object_is_a_serialization_error(void **state)
{
    (void)state;
    assert_refused("\"x\"", STORE_ERR_SERIALIZATION, NULL);
    assert_refused("[]", STORE_ERR_SERIALIZATION, NULL);
    assert_refused("{\"L\":[\"x\"]}", STORE_ERR_SERIALIZATION, NULL);
    store_error err;
    assert_null(decode_item("{\"a\":\"plain\"}", &err));
    assert_int_equal(err.status, STORE_ERR_SERIALIZATION);
}

static void item_that_is_not_an_object_is_a_serialization_error(void **state)
{
    (void)state;
    store_error err;
    assert_null(decode_item("[]", &err));
    assert_int_equal(err.status, STORE_ERR_SERIALIZATION);
    assert_null(decode_item("\"item\"", &err));
    assert_int_equal(err.status, STORE_ERR_SERIALIZATION);
}

/* ---------------------------------------------------------------- numbers */

static void invalid_numbers_are_validation_errors(void **state)
{
    (void)state;
    assert_refused("{\"N\":\"abc\"}", STORE_ERR_VALIDATION, NULL);
    assert_refused("{\"N\":\"\"}", STORE_ERR_VALIDATION, NULL);
    assert_refused("{\"N\":\"1..2\"}", STORE_ERR_VALIDATION, NULL);
    assert_refused("{\"NS\":[\"1\",\"x\"]}", STORE_ERR_VALIDATION, NULL);
}

static void out_of_range_numbers_carry_dynamodbs_messages(void **state)
{
    (void)state;
    assert_refused("{\"N\":\"1E+126\"}", STORE_ERR_VALIDATION,
                   "Number overflow. Attempting to store a number with magnitude larger than supported range");
    assert_refused("{\"N\":\"1e-131\"}", STORE_ERR_VALIDATION,
                   "Number underflow. Attempting to store a number with magnitude smaller than supported range");
    assert_refused("{\"N\":\"123456789012345678901234567890123456789\"}", STORE_ERR_VALIDATION,
                   "Attempting to store more than 38 significant digits in a Number");
}

/* ----------------------------------------------------------------- base64 */

static void base64_of_the_wrong_length_is_refused(void **state)
{
    (void)state;
    assert_refused("{\"B\":\"abc\"}", STORE_ERR_SERIALIZATION,
                   "Base64 encoded length is expected a multiple of 4 bytes but found: 3");
    assert_refused("{\"B\":\"QQ\"}", STORE_ERR_SERIALIZATION,
                   "Base64 encoded length is expected a multiple of 4 bytes but found: 2");
    assert_refused("{\"BS\":[\"AA==\",\"AAAAA\"]}", STORE_ERR_SERIALIZATION,
                   "Base64 encoded length is expected a multiple of 4 bytes but found: 5");
}

static void base64_with_bad_characters_is_refused(void **state)
{
    (void)state;
    assert_refused("{\"B\":\"ab!=\"}", STORE_ERR_SERIALIZATION, NULL);
    assert_refused("{\"B\":\"-_8=\"}", STORE_ERR_SERIALIZATION, NULL); /* URL-safe alphabet */
    assert_refused("{\"B\":\"QU J\"}", STORE_ERR_SERIALIZATION, NULL);
    assert_refused("{\"B\":\"Q===\"}", STORE_ERR_SERIALIZATION, NULL);
    assert_refused("{\"B\":\"QQ=A\"}", STORE_ERR_SERIALIZATION, NULL);
}

static void base64_with_nonzero_padding_bits_is_refused(void **state)
{
    (void)state;
    assert_refused("{\"B\":\"QR==\"}", STORE_ERR_SERIALIZATION, NULL);
}

/* ---------------------------------------------------------------- nesting */

static void thirty_two_levels_are_accepted(void **state)
{
    (void)state;
    /* The attribute itself is level 1: 31 wraps put the leaf at level 32. */
    for (int lists = 0; lists < 2; lists++) {
        char *json = deep(31, lists);
        store_value *v = decode_ok(json);
        store_release(v);
        free(json);
    }
}

static void thirty_three_levels_are_refused(void **state)
{
    (void)state;
    for (int lists = 0; lists < 2; lists++) {
        char *json = deep(32, lists);
        assert_refused_prefix(json, STORE_ERR_VALIDATION, "Nesting Levels have exceeded supported limits");
        free(json);
    }
}

static void nesting_in_an_item_counts_the_attribute_as_level_one(void **state)
{
    (void)state;
    store_error err;
    char *ok = deep(31, false), *bad = deep(32, true);
    char item[4096];
    snprintf(item, sizeof item, "{\"id\":{\"S\":\"1\"},\"d\":%s}", ok);
    store_value *v = decode_item(item, &err);
    assert_non_null(v);
    store_release(v);
    snprintf(item, sizeof item, "{\"id\":{\"S\":\"1\"},\"d\":%s}", bad);
    assert_null(decode_item(item, &err));
    assert_int_equal(err.status, STORE_ERR_VALIDATION);
    assert_true(strncmp(err.message, "Nesting Levels have exceeded supported limits", 45) == 0);
    free(ok);
    free(bad);
}

static void far_too_deep_nesting_is_refused_not_crashed(void **state)
{
    (void)state;
    char *json = deep(400, true); /* 800 JSON levels: cJSON itself parses at most 1000 */
    assert_refused_prefix(json, STORE_ERR_VALIDATION, "Nesting Levels have exceeded supported limits");
    free(json);
}

/* ----------------------------------------- refusals release what was built */

static void refusal_after_good_members_frees_them(void **state)
{
    (void)state;
    /* ASan's leak check is the assertion here. */
    assert_refused("{\"L\":[{\"S\":\"a\"},{\"M\":{\"x\":{\"N\":\"1\"}}},{\"NULL\":false}]}", STORE_ERR_VALIDATION, NULL);
    assert_refused("{\"M\":{\"a\":{\"SS\":[\"x\"]},\"b\":{\"L\":[{\"S\":\"y\"}]},\"c\":{\"S\":1}}}", STORE_ERR_SERIALIZATION, NULL);
    assert_refused("{\"SS\":[\"a\",\"b\",\"c\",2]}", STORE_ERR_SERIALIZATION, NULL);
    assert_refused("{\"BS\":[\"AA==\",\"AQ==\",\"!!!!\"]}", STORE_ERR_SERIALIZATION, NULL);
}

static void first_error_wins(void **state)
{
    (void)state;
    assert_refused("{\"L\":[{\"SS\":[]},{\"NULL\":false}]}", STORE_ERR_VALIDATION,
                   "One or more parameter values were invalid: An string set  may not be empty");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(string_round_trips),
        cmocka_unit_test(item_text_escapes_every_position),
        cmocka_unit_test(strings_are_marked_clean_only_without_escapes),
        cmocka_unit_test(text_integers_are_plain_decimals),
        cmocka_unit_test(item_text_matches_the_json_encoder),
        cmocka_unit_test(string_keeps_its_bytes),
        cmocka_unit_test(number_round_trips_in_canonical_form),
        cmocka_unit_test(binary_round_trips_in_base64),
        cmocka_unit_test(binary_is_decoded_to_its_bytes),
        cmocka_unit_test(empty_binary_round_trips),
        cmocka_unit_test(string_set_round_trips_sorted),
        cmocka_unit_test(number_set_round_trips_sorted_and_canonical),
        cmocka_unit_test(binary_set_round_trips_sorted),
        cmocka_unit_test(map_round_trips),
        cmocka_unit_test(list_round_trips_in_order),
        cmocka_unit_test(booleans_round_trip),
        cmocka_unit_test(null_round_trips),
        cmocka_unit_test(every_type_decodes_to_its_type),
        cmocka_unit_test(explicit_null_member_counts_as_unset),
        cmocka_unit_test(item_round_trips),
        cmocka_unit_test(empty_item_decodes),
        cmocka_unit_test(item_size_follows_the_decoded_values),
        cmocka_unit_test(item_names_are_interned),
        cmocka_unit_test(duplicate_item_name_keeps_the_later_value),
        cmocka_unit_test(empty_string_set_is_refused),
        cmocka_unit_test(empty_number_set_is_refused),
        cmocka_unit_test(empty_binary_set_is_refused),
        cmocka_unit_test(empty_set_nested_in_an_item_is_refused),
        cmocka_unit_test(string_set_with_duplicates_is_refused),
        cmocka_unit_test(number_set_with_equal_numbers_is_refused),
        cmocka_unit_test(binary_set_with_duplicates_is_refused),
        cmocka_unit_test(more_than_one_type_is_refused),
        cmocka_unit_test(no_type_is_refused),
        cmocka_unit_test(null_false_is_refused),
        cmocka_unit_test(number_given_for_a_string_is_a_serialization_error),
        cmocka_unit_test(other_json_types_for_scalars_are_serialization_errors),
        cmocka_unit_test(number_given_for_a_boolean_is_a_serialization_error),
        cmocka_unit_test(non_arrays_for_sets_and_lists_are_serialization_errors),
        cmocka_unit_test(non_object_for_a_map_is_a_serialization_error),
        cmocka_unit_test(set_member_of_the_wrong_json_type_is_a_serialization_error),
        cmocka_unit_test(attribute_value_that_is_not_an_object_is_a_serialization_error),
        cmocka_unit_test(item_that_is_not_an_object_is_a_serialization_error),
        cmocka_unit_test(invalid_numbers_are_validation_errors),
        cmocka_unit_test(out_of_range_numbers_carry_dynamodbs_messages),
        cmocka_unit_test(base64_of_the_wrong_length_is_refused),
        cmocka_unit_test(base64_with_bad_characters_is_refused),
        cmocka_unit_test(base64_with_nonzero_padding_bits_is_refused),
        cmocka_unit_test(thirty_two_levels_are_accepted),
        cmocka_unit_test(thirty_three_levels_are_refused),
        cmocka_unit_test(nesting_in_an_item_counts_the_attribute_as_level_one),
        cmocka_unit_test(far_too_deep_nesting_is_refused_not_crashed),
        cmocka_unit_test(refusal_after_good_members_frees_them),
        cmocka_unit_test(first_error_wins),
    };
    return cmocka_run_group_tests_name("codec", tests, NULL, NULL);
}
