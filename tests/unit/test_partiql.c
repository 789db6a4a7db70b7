/* tests/unit/test_partiql.c — the PartiQL grammar (store/partiql*.c): the
 * statement trees it builds, its limits and its syntax errors with their
 * positions; then statements run in-process through dynemu_call, where they
 * must keep indexes, TTL and streams exactly as the operations they compile
 * onto do. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dynemu.h"
#include "store/partiql.h"

/* ------------------------------------------------------------ the parser */

static store_pql_statement *parse_ok(const char *text)
{
    store_error err = {0};
    store_pql_statement *s = store_pql_parse(text, strlen(text), &err);
    if (!s) fail_msg("%s: %s", text, err.message);
    return s;
}

/* The message of a statement that must not parse. */
static const char *parse_error(const char *text, store_error *err)
{
    memset(err, 0, sizeof *err);
    store_pql_statement *s = store_pql_parse(text, strlen(text), err);
    if (s) fail_msg("parsed, but should not: %s", text);
    assert_int_equal(err->status, STORE_ERR_VALIDATION);
    return err->message;
}

static void select_with_index_projection_where_and_order(void **state)
{
    (void)state;
    store_pql_statement *s = parse_ok("select a, \"b\".c[2] from \"T\".\"idx\" where pk = 'x' order by sk desc;");
    assert_int_equal(s->kind, PQL_SELECT);
    assert_string_equal(s->table, "T");
    assert_string_equal(s->index, "idx");
    assert_false(s->star);
    assert_int_equal(s->n_projection, 2);
    const store_pql_node *path = s->projection[1];
    assert_int_equal(path->n, 3);
    assert_string_equal(path->kids[0]->text, "b");
    assert_string_equal(path->kids[1]->text, "c");
    assert_int_equal(path->kids[2]->kind, PQL_INDEX);
    assert_int_equal(path->kids[2]->index, 2);
    assert_int_equal(s->where->kind, PQL_COMPARE);
    assert_int_equal(s->where->op, PQL_EQ);
    assert_true(s->descending);
    assert_string_equal(s->order_by->kids[0]->text, "sk");
    store_pql_free(s);
}

static void and_binds_tighter_than_or_and_not_applies_to_one_term(void **state)
{
    (void)state;
    store_pql_statement *s = parse_ok("SELECT * FROM t WHERE NOT a = 1 OR b = 2 AND c = 3");
    const store_pql_node *w = s->where;
    assert_int_equal(w->kind, PQL_OR);
    assert_int_equal(w->kids[0]->kind, PQL_NOT);
    assert_int_equal(w->kids[1]->kind, PQL_AND);
    store_pql_free(s);
}

static void literals_and_parameters(void **state)
{
    (void)state;
    store_pql_statement *s = parse_ok(
        "INSERT INTO t VALUE {'s': 'it''s', 'n': -1.5e3, 'l': [?, true, null], 'b': <<1, 2>>, 'm': {'x': ?}, 'f': false}");
    assert_int_equal(s->kind, PQL_INSERT);
    assert_int_equal(s->params, 2);
    const store_pql_node *v = s->value;
    assert_int_equal(v->kind, PQL_STRUCT);
    assert_int_equal(v->n, 12);
    assert_string_equal(v->kids[1]->text, "it's");
    assert_string_equal(v->kids[3]->text, "-1.5e3");
    const store_pql_node *list = v->kids[5];
    assert_int_equal(list->kind, PQL_LIST);
    assert_int_equal(list->kids[0]->kind, PQL_PARAM);
    assert_int_equal(list->kids[0]->index, 0);
    assert_int_equal(list->kids[1]->kind, PQL_TRUE);
    assert_int_equal(list->kids[2]->kind, PQL_NULL);
    assert_int_equal(v->kids[7]->kind, PQL_BAG);
    assert_int_equal(v->kids[9]->kids[1]->index, 1);
    assert_int_equal(v->kids[11]->kind, PQL_FALSE);
    store_pql_free(s);
}

static void update_actions_and_returning(void **state)
{
    (void)state;
    store_pql_statement *s = parse_ok("UPDATE t SET a = a + 1, b = list_append(b, [1]) REMOVE c SET d = set_add(d, <<'x'>>) "
                                      "WHERE pk = ? RETURNING MODIFIED OLD *");
    assert_int_equal(s->kind, PQL_UPDATE);
    assert_int_equal(s->n_actions, 4);
    assert_int_equal(s->actions[0].value->kind, PQL_ADD);
    assert_string_equal(s->actions[1].value->text, "list_append");
    assert_true(s->actions[2].remove);
    assert_string_equal(s->actions[3].value->text, "set_add");
    assert_int_equal(s->returning, PQL_RETURN_MODIFIED_OLD);
    store_pql_free(s);
    s = parse_ok("DELETE FROM t WHERE pk = 'a' RETURNING ALL OLD *");
    assert_int_equal(s->kind, PQL_DELETE);
    assert_int_equal(s->returning, PQL_RETURN_ALL_OLD);
    store_pql_free(s);
}

static void predicates_of_every_kind(void **state)
{
    (void)state;
    store_pql_statement *s = parse_ok("SELECT * FROM t WHERE a BETWEEN 1 AND 2 AND b NOT IN [1, 2] AND c IS NOT MISSING "
                                      "AND d IS NULL AND begins_with(e, 'x') AND size(f) >= 2 AND g <> 1 AND h != 2");
    const store_pql_node *w = s->where;
    size_t terms = 1;
    while (w->kind == PQL_AND) terms++, w = w->kids[0];
    assert_int_equal(terms, 8);
    assert_int_equal(w->kind, PQL_BETWEEN);
    assert_int_equal(w->n, 3);
    store_pql_free(s);
    s = parse_ok("SELECT * FROM t WHERE c IS NOT MISSING");
    assert_int_equal(s->where->kind, PQL_IS);
    assert_true(s->where->negated);
    assert_int_equal(s->where->op, PQL_IS_MISSING);
    store_pql_free(s);
    s = parse_ok("EXISTS(SELECT * FROM t WHERE pk = 'a' AND v = 1)");
    assert_int_equal(s->kind, PQL_EXISTS_CHECK);
    assert_string_equal(s->exists->select->table, "t");
    store_pql_free(s);
}

static void syntax_errors_say_where(void **state)
{
    (void)state;
    store_error err;
    static const char prefix[] = "Statement wasn't well formed, can't be processed: ";
    struct { const char *text, *message; } cases[] = {
        {"", "Expected data manipulation"},
        {"SELEC * FROM t", "Expected data manipulation"},
        {"SELECT * FROM t WHERE", "Unexpected end of statement at line 1, column 22"},
        {"SELECT *\n  FROM t\n WHERE = 1", "Unexpected token '=' at line 3, column 8"},
        {"SELECT * FROM t WHERE pad = 1", "Unexpected keyword 'pad' at line 1, column 23"},
        {"SELECT * FROM t WHERE a = 'open", "Unterminated quote or comment at line 1, column 27"},
        {"SELECT * FROM t /* open", "Unterminated quote or comment at line 1, column 17"},
        {"SELECT * FROM t WHERE a = 1 extra", "Unexpected token 'extra' at line 1, column 29"},
        {"SELECT * FROM \"\"", "Empty quoted identifier at line 1, column 15"},
        {"SELECT * FROM t WHERE a[x] = 1", "Unexpected token 'x' at line 1, column 25"},
        {"UPDATE t WHERE pk = 1", "Unexpected keyword 'WHERE' at line 1, column 10"},
        {"UPDATE t SET a = 1 RETURNING ALL *", "Unexpected token '*' at line 1, column 34"},
        {"SELECT * FROM t WHERE a = 1 # 2", "Unexpected token '#' at line 1, column 29"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *m = parse_error(cases[i].text, &err);
        if (strncmp(m, prefix, sizeof prefix - 1) != 0 || strcmp(m + sizeof prefix - 1, cases[i].message) != 0)
            fail_msg("%s: got \"%s\", want \"%s\"", cases[i].text, m, cases[i].message);
    }
}

static void limits_are_named_and_enforced(void **state)
{
    (void)state;
    store_error err;
    char deep[4 * STORE_PQL_MAX_DEPTH + 64];
    int n = snprintf(deep, sizeof deep, "SELECT * FROM t WHERE ");
    for (int i = 0; i < STORE_PQL_MAX_DEPTH + 1; i++) n += snprintf(deep + n, sizeof deep - (size_t)n, "(");
    snprintf(deep + n, sizeof deep - (size_t)n, "a = 1");
    assert_non_null(strstr(parse_error(deep, &err), "Expression nested too deeply"));
    char *long_text = malloc(STORE_PQL_MAX_LEN + 64);
    n = snprintf(long_text, STORE_PQL_MAX_LEN + 64, "SELECT * FROM t WHERE a = '");
    memset(long_text + n, 'x', STORE_PQL_MAX_LEN);
    strcpy(long_text + n + STORE_PQL_MAX_LEN, "'");
    assert_non_null(strstr(parse_error(long_text, &err), "Statement too long"));
    free(long_text);
    char path[16 * STORE_PQL_MAX_PATH + 64];
    n = snprintf(path, sizeof path, "SELECT a");
    for (int i = 0; i < STORE_PQL_MAX_PATH; i++) n += snprintf(path + n, sizeof path - (size_t)n, ".b");
    snprintf(path + n, sizeof path - (size_t)n, " FROM t");
    assert_non_null(strstr(parse_error(path, &err), "Path too long"));
}

static void reserved_words_are_case_insensitive_and_quoting_lifts_them(void **state)
{
    (void)state;
    assert_true(store_pql_is_reserved("select", 6));
    assert_true(store_pql_is_reserved("Char_Length", 11));
    assert_true(store_pql_is_reserved("ZONE", 4));
    assert_false(store_pql_is_reserved("name", 4));
    assert_false(store_pql_is_reserved("selec", 5));
    store_pql_statement *s = parse_ok("SELECT \"value\" FROM \"select\" WHERE \"pad\" = 1");
    assert_string_equal(s->table, "select");
    assert_string_equal(s->projection[0]->kids[0]->text, "value");
    store_pql_free(s);
}

/* ----------------------------------------------------- through the API */

static cJSON *call(dynemu_db *db, const char *op, const char *request, int expect_status)
{
    char *resp = NULL;
    size_t len = 0;
    int status = dynemu_call(db, op, request, strlen(request), &resp, &len);
    if (status != expect_status) fail_msg("%s %s → %d %s", op, request, status, resp);
    cJSON *body = cJSON_Parse(resp);
    dynemu_free(resp);
    assert_non_null(body);
    return body;
}

static void call_ok(dynemu_db *db, const char *op, const char *request) { cJSON_Delete(call(db, op, request, 200)); }

static int item_count(dynemu_db *db, const char *op, const char *request)
{
    cJSON *body = call(db, op, request, 200);
    int n = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(body, "Items"));
    cJSON_Delete(body);
    return n;
}

static int setup(void **state)
{
    dynemu_db *db = dynemu_open();
    call_ok(db, "CreateTable",
            "{\"TableName\":\"music\",\"BillingMode\":\"PAY_PER_REQUEST\","
            "\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}],"
            "\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"},{\"AttributeName\":\"sk\",\"AttributeType\":\"N\"},"
            "{\"AttributeName\":\"g\",\"AttributeType\":\"S\"}],"
            "\"GlobalSecondaryIndexes\":[{\"IndexName\":\"by_g\",\"KeySchema\":[{\"AttributeName\":\"g\",\"KeyType\":\"HASH\"}],"
            "\"Projection\":{\"ProjectionType\":\"KEYS_ONLY\"}}],"
            "\"StreamSpecification\":{\"StreamEnabled\":true,\"StreamViewType\":\"KEYS_ONLY\"}}");
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    dynemu_close(*state);
    return 0;
}

static void writes_keep_the_index(void **state)
{
    dynemu_db *db = *state;
    static const char by_g[] = "{\"Statement\":\"SELECT * FROM \\\"music\\\".\\\"by_g\\\" WHERE g = 'x'\"}";
    call_ok(db, "ExecuteStatement", "{\"Statement\":\"INSERT INTO music VALUE {'pk': 'a', 'sk': 1, 'g': 'x'}\"}");
    assert_int_equal(item_count(db, "ExecuteStatement", by_g), 1);
    call_ok(db, "ExecuteStatement", "{\"Statement\":\"UPDATE music SET g = 'y' WHERE pk = 'a' AND sk = 1\"}");
    assert_int_equal(item_count(db, "ExecuteStatement", by_g), 0);
    call_ok(db, "ExecuteStatement", "{\"Statement\":\"UPDATE music SET g = 'x' WHERE pk = 'a' AND sk = 1\"}");
    call_ok(db, "ExecuteStatement", "{\"Statement\":\"DELETE FROM music WHERE pk = 'a' AND sk = 1\"}");
    assert_int_equal(item_count(db, "ExecuteStatement", by_g), 0);
}

static void writes_are_stream_records_and_failures_are_none(void **state)
{
    dynemu_db *db = *state;
    call_ok(db, "ExecuteStatement", "{\"Statement\":\"INSERT INTO music VALUE {'pk': 'a', 'sk': 1}\"}");
    cJSON_Delete(call(db, "ExecuteStatement", "{\"Statement\":\"INSERT INTO music VALUE {'pk': 'a', 'sk': 1}\"}", 400));
    cJSON_Delete(call(db, "ExecuteStatement", "{\"Statement\":\"UPDATE music SET v = 1 WHERE pk = 'b' AND sk = 1\"}", 400));
    call_ok(db, "ExecuteTransaction", "{\"TransactStatements\":[{\"Statement\":\"UPDATE music SET v = 1 WHERE pk = 'a' AND sk = 1\"},"
                                      "{\"Statement\":\"INSERT INTO music VALUE {'pk': 'b', 'sk': 1}\"}]}");
    char *resp = NULL;
    size_t len = 0;
    assert_int_equal(dynemu_stream_records(db, "music", NULL, &resp, &len), 200);
    cJSON *body = cJSON_Parse(resp);
    dynemu_free(resp);
    const cJSON *records = cJSON_GetObjectItemCaseSensitive(body, "records"), *r;
    const char *expected[] = {"INSERT", "MODIFY", "INSERT"};
    int i = 0;
    cJSON_ArrayForEach(r, records) {
        assert_true(i < 3);
        assert_string_equal(cJSON_GetObjectItemCaseSensitive(r, "eventName")->valuestring, expected[i++]);
    }
    assert_int_equal(i, 3);
    cJSON_Delete(body);
}

static void ttl_expires_what_a_statement_wrote(void **state)
{
    dynemu_db *db = *state;
    dynemu_clock_set(db, 1767225600000LL); /* 2026-01-01 */
    call_ok(db, "UpdateTimeToLive", "{\"TableName\":\"music\",\"TimeToLiveSpecification\":{\"Enabled\":true,\"AttributeName\":\"exp\"}}");
    call_ok(db, "ExecuteStatement", "{\"Statement\":\"INSERT INTO music VALUE {'pk': 'a', 'sk': 1, 'exp': ?}\","
                                    "\"Parameters\":[{\"N\":\"1767225700\"}]}");
    static const char select[] = "{\"Statement\":\"SELECT * FROM music WHERE pk = 'a' AND sk = 1\"}";
    assert_int_equal(item_count(db, "ExecuteStatement", select), 1);
    assert_int_equal(dynemu_clock_advance(db, 3600 * 1000), 0);
    assert_int_equal(item_count(db, "ExecuteStatement", select), 0);
}

static void a_batch_answers_in_order_without_failing(void **state)
{
    dynemu_db *db = *state;
    cJSON *body = call(db, "BatchExecuteStatement",
                       "{\"Statements\":[{\"Statement\":\"INSERT INTO music VALUE {'pk': 'a', 'sk': 1}\"},"
                       "{\"Statement\":\"INSERT INTO music VALUE {'pk': 'a', 'sk': 1}\"},"
                       "{\"Statement\":\"DELETE FROM nothing WHERE pk = 'a'\"}]}", 200);
    const cJSON *responses = cJSON_GetObjectItemCaseSensitive(body, "Responses");
    assert_int_equal(cJSON_GetArraySize(responses), 3);
    assert_null(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(responses, 0), "Error"));
    const cJSON *e1 = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(responses, 1), "Error");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(e1, "Code")->valuestring, "DuplicateItem");
    const cJSON *e2 = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(responses, 2), "Error");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(e2, "Code")->valuestring, "ResourceNotFound");
    cJSON_Delete(body);
}

/* Statements are kept parsed by their text: a repeat answers as the first
 * did, with its own parameters, and far more statements than the cache holds
 * push each other out without changing any answer. */
static void repeated_and_many_statements_answer_alike(void **state)
{
    dynemu_db *db = *state;
    call_ok(db, "ExecuteStatement", "{\"Statement\":\"INSERT INTO music VALUE {'pk': 'a', 'sk': 1}\"}");
    for (int round = 0; round < 3; round++)
        for (int i = 0; i < 150; i++) {
            char req[256];
            snprintf(req, sizeof req, "{\"Statement\":\"SELECT * FROM music WHERE pk = ? AND sk = %d\","
                                      "\"Parameters\":[{\"S\":\"%s\"}]}", i % 75 + 1, i < 75 ? "a" : "b");
            assert_int_equal(item_count(db, "ExecuteStatement", req), i == 0 ? 1 : 0);
        }
}

/* The text of a 200 answer. */
static char *answer_text(dynemu_db *db, const char *op, const char *request)
{
    char *resp = NULL;
    size_t len = 0;
    int status = dynemu_call(db, op, request, strlen(request), &resp, &len);
    if (status != 200) fail_msg("%s %s → %d %s", op, request, status, resp);
    return resp;
}

/* A statement's first run compiles it; later runs bind their parameters into
 * the plan kept from it. Both give the same answer, byte for byte, for every
 * kind of read (the NextToken included). */
static void a_kept_plan_answers_as_the_first_compile(void **state)
{
    dynemu_db *db = *state;
    for (int i = 1; i <= 5; i++) {
        char req[256];
        snprintf(req, sizeof req, "{\"Statement\":\"INSERT INTO music VALUE {'pk': 'a', 'sk': ?, 'g': 'x', 'v': [?]}\","
                                  "\"Parameters\":[{\"N\":\"%d\"},{\"S\":\"v%d\"}]}", i, i);
        call_ok(db, "ExecuteStatement", req);
    }
    static const char *const reads[] = {
        "{\"Statement\":\"SELECT v[0], sk FROM music WHERE pk = ? AND sk = ?\",\"Parameters\":[{\"S\":\"a\"},{\"N\":\"2\"}]}",
        "{\"Statement\":\"SELECT * FROM music WHERE pk = ? AND sk > ? ORDER BY sk DESC\",\"Limit\":2,"
        "\"Parameters\":[{\"S\":\"a\"},{\"N\":\"1\"}],\"ReturnConsumedCapacity\":\"TOTAL\"}",
        "{\"Statement\":\"SELECT pk FROM music WHERE v[0] IN (?, 'v3')\",\"Parameters\":[{\"S\":\"v1\"}]}",
        "{\"Statement\":\"SELECT * FROM \\\"music\\\".\\\"by_g\\\" WHERE g = ?\",\"Parameters\":[{\"S\":\"x\"}],\"Limit\":3}",
    };
    for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++) {
        char *first = answer_text(db, "ExecuteStatement", reads[i]), *again = answer_text(db, "ExecuteStatement", reads[i]);
        assert_string_equal(first, again);
        dynemu_free(first);
        dynemu_free(again);
    }
}

/* A plan is for the key schema it was compiled against: the same text on a
 * table made again with other keys compiles anew (a GetItem becomes a Query,
 * then a Scan). */
static void a_plan_follows_its_tables_keys(void **state)
{
    dynemu_db *db = *state;
    static const char select[] = "{\"Statement\":\"SELECT * FROM ttt WHERE id = ?\",\"Parameters\":[{\"S\":\"a\"}]}";
    static const char *const schemas[] = {
        "{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}],\"AttributeDefinitions\":[{\"AttributeName\":\"id\",\"AttributeType\":\"S\"}]}",
        "{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"n\",\"KeyType\":\"RANGE\"}],"
        "\"AttributeDefinitions\":[{\"AttributeName\":\"id\",\"AttributeType\":\"S\"},{\"AttributeName\":\"n\",\"AttributeType\":\"N\"}]}",
        "{\"AttributeName\":\"other\",\"KeyType\":\"HASH\"}],\"AttributeDefinitions\":[{\"AttributeName\":\"other\",\"AttributeType\":\"S\"}]}",
    };
    static const char *const items[] = {"{\"id\":{\"S\":\"a\"}}", "{\"id\":{\"S\":\"a\"},\"n\":{\"N\":\"1\"}}",
                                        "{\"other\":{\"S\":\"o\"},\"id\":{\"S\":\"a\"}}"};
    for (int i = 0; i < 3; i++) {
        char req[512];
        snprintf(req, sizeof req, "{\"TableName\":\"ttt\",\"BillingMode\":\"PAY_PER_REQUEST\",\"KeySchema\":[%s", schemas[i]);
        call_ok(db, "CreateTable", req);
        snprintf(req, sizeof req, "{\"TableName\":\"ttt\",\"Item\":%s}", items[i]);
        call_ok(db, "PutItem", req);
        assert_int_equal(item_count(db, "ExecuteStatement", select), 1);
        assert_int_equal(item_count(db, "ExecuteStatement", select), 1);
        call_ok(db, "DeleteTable", "{\"TableName\":\"ttt\"}");
    }
    cJSON_Delete(call(db, "ExecuteStatement", select, 400)); /* no table: ResourceNotFound, plan or not */
}

/* A set built of parameters takes its type from their values, so its plan
 * is not kept: each request's own values decide. */
static void a_set_of_parameters_is_typed_by_each_request(void **state)
{
    dynemu_db *db = *state;
    static const char *const params[] = {"{\"S\":\"x\"},{\"S\":\"y\"}", "{\"N\":\"1\"},{\"N\":\"2\"}"};
    static const char *const types[] = {"SS", "NS"};
    for (int i = 0; i < 2; i++) {
        char req[256];
        snprintf(req, sizeof req, "{\"Statement\":\"INSERT INTO music VALUE {'pk': 'set', 'sk': %d, 's': <<?, ?>>}\","
                                  "\"Parameters\":[%s]}", i, params[i]);
        call_ok(db, "ExecuteStatement", req);
        snprintf(req, sizeof req, "{\"TableName\":\"music\",\"Key\":{\"pk\":{\"S\":\"set\"},\"sk\":{\"N\":\"%d\"}}}", i);
        cJSON *got = call(db, "GetItem", req, 200);
        const cJSON *set = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(got, "Item"), "s");
        assert_non_null(cJSON_GetObjectItemCaseSensitive(set, types[i]));
        cJSON_Delete(got);
    }
}

/* A retried transaction (its plans kept since the first try) is the same request. */
static void a_retried_transaction_is_the_same_request(void **state)
{
    dynemu_db *db = *state;
    static const char tx[] = "{\"ClientRequestToken\":\"retry-1\",\"TransactStatements\":["
                             "{\"Statement\":\"INSERT INTO music VALUE {'pk': ?, 'sk': 1}\",\"Parameters\":[{\"S\":\"t\"}]},"
                             "{\"Statement\":\"UPDATE music SET v = ? WHERE pk = 'a' AND sk = 1\",\"Parameters\":[{\"N\":\"5\"}]}]}";
    call_ok(db, "ExecuteStatement", "{\"Statement\":\"INSERT INTO music VALUE {'pk': 'a', 'sk': 1}\"}");
    call_ok(db, "ExecuteTransaction", tx);
    call_ok(db, "ExecuteTransaction", tx);
}

int main(void)
{
    dynemu_parse_in_place(); /* as the server does: compiled requests live in the call's arena */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(select_with_index_projection_where_and_order),
        cmocka_unit_test(and_binds_tighter_than_or_and_not_applies_to_one_term),
        cmocka_unit_test(literals_and_parameters),
        cmocka_unit_test(update_actions_and_returning),
        cmocka_unit_test(predicates_of_every_kind),
        cmocka_unit_test(syntax_errors_say_where),
        cmocka_unit_test(limits_are_named_and_enforced),
        cmocka_unit_test(reserved_words_are_case_insensitive_and_quoting_lifts_them),
        cmocka_unit_test_setup_teardown(writes_keep_the_index, setup, teardown),
        cmocka_unit_test_setup_teardown(writes_are_stream_records_and_failures_are_none, setup, teardown),
        cmocka_unit_test_setup_teardown(ttl_expires_what_a_statement_wrote, setup, teardown),
        cmocka_unit_test_setup_teardown(a_batch_answers_in_order_without_failing, setup, teardown),
        cmocka_unit_test_setup_teardown(repeated_and_many_statements_answer_alike, setup, teardown),
        cmocka_unit_test_setup_teardown(a_kept_plan_answers_as_the_first_compile, setup, teardown),
        cmocka_unit_test_setup_teardown(a_plan_follows_its_tables_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(a_set_of_parameters_is_typed_by_each_request, setup, teardown),
        cmocka_unit_test_setup_teardown(a_retried_transaction_is_the_same_request, setup, teardown),
    };
    return cmocka_run_group_tests_name("partiql", tests, NULL, NULL);
}
