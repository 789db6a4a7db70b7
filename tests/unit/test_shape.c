/* tests/unit/test_shape.c — the request shapes (emulator/shapes.c) and their
 * check (emulator/shape.c): the table is sorted and names only shapes it can
 * check, each JSON type mismatch gets AWS's text, violations are listed in
 * the shape's order with AWS's paths, at most ten. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "emulator/api.h"
#include "emulator/shape.h"

/* The status and message emu_shape_check gives request for operation. */
static store_status check(const char *operation, const char *request, char *message, size_t cap)
{
    const emu_shape *shape = emu_shape_of(operation);
    assert_non_null(shape);
    cJSON *req = cJSON_Parse(request);
    assert_non_null(req);
    store_error err = {.status = STORE_OK};
    bool ok = emu_shape_check(shape, req, &err);
    cJSON_Delete(req);
    assert_true(ok == (err.status == STORE_OK));
    snprintf(message, cap, "%s", ok ? "" : err.message);
    return err.status;
}

static void assert_check(const char *operation, const char *request, store_status status, const char *message)
{
    char got[STORE_ERROR_MESSAGE_MAX];
    store_status s = check(operation, request, got, sizeof got);
    if (s != status || strcmp(got, message) != 0)
        fail_msg("%s %s: got %d '%s', expected %d '%s'", operation, request, s, got, status, message);
}

static void table_is_sorted_and_every_operation_is_found(void **state)
{
    (void)state;
    for (int i = 0; emu_operation_shapes[i].operation; i++) {
        if (i) assert_true(strcmp(emu_operation_shapes[i - 1].operation, emu_operation_shapes[i].operation) < 0);
        assert_ptr_equal(emu_shape_of(emu_operation_shapes[i].operation), emu_operation_shapes[i].input);
        assert_int_equal(emu_operation_shapes[i].input->type, EMU_SHAPE_STRUCTURE);
    }
    assert_null(emu_shape_of("NoSuchOperation"));
    /* Every operation dynemu serves has its shape. */
    static const char *const served[] = {"BatchGetItem", "CreateTable", "GetItem", "PutItem", "Query", "Scan",
                                         "TransactWriteItems", "UpdateItem", "UpdateTimeToLive"};
    for (size_t i = 0; i < sizeof served / sizeof served[0]; i++) {
        assert_non_null(emu_find_operation(served[i]));
        assert_non_null(emu_shape_of(served[i]));
    }
}

/* The most members any structure below s has. */
static size_t widest_structure(const emu_shape *s)
{
    size_t widest = 0, n = 0;
    for (const emu_member *m = s->members; m && m->name; m++, n++) {
        size_t below = widest_structure(m->shape);
        if (below > widest) widest = below;
    }
    if (s->item) {
        size_t below = widest_structure(s->item);
        if (below > widest) widest = below;
    }
    return n > widest ? n : widest;
}

static void every_shape_fits_the_checks_member_slots(void **state)
{
    (void)state;
    for (int i = 0; emu_operation_shapes[i].operation; i++)
        if (widest_structure(emu_operation_shapes[i].input) > EMU_SHAPE_MEMBERS_MAX)
            fail_msg("%s has a structure of more than %d members", emu_operation_shapes[i].operation,
                     EMU_SHAPE_MEMBERS_MAX);
}

static void wrong_json_types_get_awss_texts(void **state)
{
    (void)state;
    const store_status S = STORE_ERR_SERIALIZATION;
    assert_check("GetItem", "{\"TableName\": 5}", S, "NUMBER_VALUE cannot be converted to String");
    assert_check("GetItem", "{\"TableName\": 0.5}", S, "DECIMAL_VALUE cannot be converted to String");
    assert_check("GetItem", "{\"TableName\": true}", S, "TRUE_VALUE cannot be converted to String");
    assert_check("GetItem", "{\"TableName\": {}}", S, "Start of structure or map found where not expected");
    assert_check("GetItem", "{\"TableName\": []}", S, "Unrecognized collection type class java.lang.String");
    assert_check("Scan", "{\"Limit\": \"1\"}", S, "STRING_VALUE cannot be converted to Integer");
    assert_check("Scan", "{\"Limit\": false}", S, "FALSE_VALUE cannot be converted to Integer");
    assert_check("GetItem", "{\"ConsistentRead\": 2}", S, "NUMBER_VALUE cannot be converted to Boolean");
    assert_check("GetItem", "{\"ConsistentRead\": \"perhaps\"}", S, "Unexpected token received from parser");
    assert_check("GetItem", "{\"Key\": 1}", S, "Unexpected field type");
    assert_check("GetItem", "{\"Key\": {\"a\": 1}}", S, "Unexpected value type in payload");
    assert_check("GetItem", "{\"Key\": {\"a\": {\"B\": true}}}", S, "only base-64-encoded strings are convertible to bytes");
    assert_check("GetItem", "{\"Key\": {\"a\": {\"B\": \"abc\"}}}", S,
                 "Base64 encoded length is expected a multiple of 4 bytes but found: 3");
    assert_check("GetItem", "{\"Key\": {\"a\": {\"B\": \"ab*=\"}}}", S, "Invalid last non-pad Base64 character dectected");
    assert_check("GetItem", "{\"Key\": {\"a\": {\"B\": \"YR==\"}}}", S, "Invalid last non-pad Base64 character dectected");
    assert_check("CreateTable", "{\"KeySchema\": [1]}", S, "Unexpected value type in payload");
    assert_check("CreateTable", "{\"KeySchema\": [[]]}", S,
                 "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.KeySchemaElement");
}

static void valid_text_is_accepted_and_booleans_are_read(void **state)
{
    (void)state;
    const char *request = "{\"TableName\": \"abc\", \"Key\": {\"a\": {\"B\": \"YQ==\"}, \"b\": {\"NULL\": \"Yes\"}},"
                          " \"ConsistentRead\": \"0\", \"Unknown\": [1]}";
    cJSON *req = cJSON_Parse(request);
    store_error err = {.status = STORE_OK};
    assert_true(emu_shape_check(emu_shape_of("GetItem"), req, &err));
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(req, "ConsistentRead")));
    const cJSON *null_value = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(req, "Key"), "b"), "NULL");
    assert_true(cJSON_IsTrue(null_value));
    cJSON_Delete(req);
}

static void violations_are_listed_with_awss_paths(void **state)
{
    (void)state;
    const store_status V = STORE_ERR_VALIDATION;
    assert_check("GetItem", "{}", V,
                 "2 validation errors detected: Value null at 'tableName' failed to satisfy constraint: Member must "
                 "not be null; Value null at 'key' failed to satisfy constraint: Member must not be null");
    assert_check("Scan", "{\"TableName\": \"abc\", \"Segment\": -1, \"Limit\": 0.5}", V,
                 "2 validation errors detected: Value '-1' at 'segment' failed to satisfy constraint: Member must have "
                 "value greater than or equal to 0; Value '0' at 'limit' failed to satisfy constraint: Member must have "
                 "value greater than or equal to 1");
    assert_check("BatchGetItem", "{\"RequestItems\": {\"abc\": {\"Keys\": [], \"AttributesToGet\": [\"x\"]}}}", V,
                 "1 validation error detected: Value '[]' at 'requestItems.abc.member.keys' failed to satisfy "
                 "constraint: Member must have length greater than or equal to 1");
    assert_check("CreateTable", "{\"TableName\": \"x\"}", V,
                 "TableName must be at least 3 characters long and at most 255 characters long");
}

/* A violation's path names list positions past 9 in full, and a path is cut at 511 bytes. */
static void deep_and_long_paths_are_named_as_aws_names_them(void **state)
{
    (void)state;
    char request[2048], got[STORE_ERROR_MESSAGE_MAX];
    int n = snprintf(request, sizeof request, "{\"TableName\": \"abc\", \"AttributeDefinitions\": [");
    for (int i = 0; i < 11; i++)
        n += snprintf(request + n, sizeof request - (size_t)n, "{\"AttributeName\": \"a%d\", \"AttributeType\": \"S\"},", i);
    snprintf(request + n, sizeof request - (size_t)n, "{\"AttributeName\": \"b\"}]}");
    assert_int_equal(check("CreateTable", request, got, sizeof got), STORE_ERR_VALIDATION);
    if (!strstr(got, "Value null at 'attributeDefinitions.12.member.attributeType' failed"))
        fail_msg("%s", got);
    char key[601], want[600];
    memset(key, 'k', 600);
    key[600] = 0;
    snprintf(request, sizeof request, "{\"RequestItems\": {\"%s\": {}}}", key);
    assert_int_equal(check("BatchGetItem", request, got, sizeof got), STORE_ERR_VALIDATION);
    snprintf(want, sizeof want, "Value null at 'requestItems.%.*s' failed", 511 - 13, key);
    if (!strstr(got, want)) fail_msg("%s", got);
}

static void at_most_ten_violations_are_listed(void **state)
{
    (void)state;
    char got[STORE_ERROR_MESSAGE_MAX];
    assert_int_equal(check("CreateTable", "{\"TableName\": \"abc\", \"AttributeDefinitions\": [{}, {}, {}, {}, {}, {}]}",
                           got, sizeof got),
                     STORE_ERR_VALIDATION);
    assert_true(strncmp(got, "10 validation errors detected: ", 31) == 0);
    int n = 0;
    for (const char *p = got; (p = strstr(p, "failed to satisfy")); p++) n++;
    assert_int_equal(n, 10);
}

static void a_long_value_is_quoted_cut_at_a_character(void **state)
{
    (void)state;
    char request[4096], got[STORE_ERROR_MESSAGE_MAX];
    int n = snprintf(request, sizeof request, "{\"TableName\": \"a");
    for (int i = 0; i < 600; i++) n += snprintf(request + n, sizeof request - (size_t)n, "\\u00e9");
    snprintf(request + n, sizeof request - (size_t)n, "\"}");
    assert_int_equal(check("GetItem", request, got, sizeof got), STORE_ERR_VALIDATION);
    if (!strstr(got, "...' at 'tableName'")) fail_msg("%s", got);
    assert_null(strstr(got, "\xc3'")); /* no half character before the quote */
}

static void a_cut_list_still_closes(void **state)
{
    (void)state;
    char request[8192], got[STORE_ERROR_MESSAGE_MAX];
    int n = snprintf(request, sizeof request, "{\"TableName\": \"abc\", \"AttributeDefinitions\": [], \"KeySchema\": [");
    for (int i = 0; i < 40; i++)
        n += snprintf(request + n, sizeof request - (size_t)n, "%s{\"AttributeName\": \"a\", \"KeyType\": \"HASH\"}", i ? "," : "");
    snprintf(request + n, sizeof request - (size_t)n, "]}");
    assert_int_equal(check("CreateTable", request, got, sizeof got), STORE_ERR_VALIDATION);
    if (!strstr(got, "...]' at 'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2"))
        fail_msg("%s", got);
}

static void an_empty_name_breaks_the_name_pattern(void **state)
{
    (void)state;
    assert_check("GetItem", "{\"TableName\": \"\", \"Key\": {}}", STORE_ERR_VALIDATION,
                 "2 validation errors detected: Value '' at 'tableName' failed to satisfy constraint: Member must satisfy "
                 "regular expression pattern: [a-zA-Z0-9_.-]+; Value '' at 'tableName' failed to satisfy constraint: "
                 "Member must have length greater than or equal to 3");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_is_sorted_and_every_operation_is_found),
        cmocka_unit_test(every_shape_fits_the_checks_member_slots),
        cmocka_unit_test(wrong_json_types_get_awss_texts),
        cmocka_unit_test(valid_text_is_accepted_and_booleans_are_read),
        cmocka_unit_test(violations_are_listed_with_awss_paths),
        cmocka_unit_test(deep_and_long_paths_are_named_as_aws_names_them),
        cmocka_unit_test(at_most_ten_violations_are_listed),
        cmocka_unit_test(a_long_value_is_quoted_cut_at_a_character),
        cmocka_unit_test(a_cut_list_still_closes),
        cmocka_unit_test(an_empty_name_breaks_the_name_pattern),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
