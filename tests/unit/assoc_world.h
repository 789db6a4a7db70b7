/* tests/unit/assoc_world.h — what the association unit tests share: a
 * database with a registry beside it, JSON written with ' for ", tables
 * and items made through dynemu_call as a user's test makes them, calls
 * and declarations that must succeed or be refused (and then change
 * nothing), the stored state compared whole, and a destroy callback's log.
 * Include after cmocka.h, assoc/assoc.h and dynemu.h. */
#ifndef TESTS_UNIT_ASSOC_WORLD_H
#define TESTS_UNIT_ASSOC_WORLD_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assoc/assoc.h"
#include "dynemu.h"
#include "store/codec.h"

/* ---------------------------------------------------------------- helpers */

typedef struct world {
    dynemu_db *db;
    store_db *store;
    assoc_registry *r;
    store_error err;
} world;

static inline int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    w->db = dynemu_open();
    w->store = dynemu_store(w->db);
    w->r = assoc_registry_new();
    *state = w;
    return 0;
}

static inline int teardown(void **state)
{
    world *w = *state;
    assoc_registry_free(w->r);
    dynemu_close(w->db);
    free(w);
    return 0;
}

/* Test JSON is written with ' for " to stay readable. */
static inline char *dq(const char *text)
{
    char *s = strdup(text);
    for (char *p = s; *p; p++)
        if (*p == '\'') *p = '"';
    return s;
}

static inline cJSON *J(const char *text)
{
    char *s = dq(text);
    cJSON *j = cJSON_Parse(s);
    if (!j) fail_msg("bad test JSON: %s", s);
    free(s);
    return j;
}

static inline char *api(world *w, const char *op, const char *request, int want_status)
{
    char *req = dq(request), *resp = NULL;
    size_t len;
    int status = dynemu_call(w->db, op, req, strlen(req), &resp, &len);
    if (status != want_status) fail_msg("%s answered %d: %s", op, status, resp);
    free(req);
    return resp;
}

static inline void api_ok(world *w, const char *op, const char *request) { dynemu_free(api(w, op, request, 200)); }

static inline void make_table(world *w, const char *name)
{
    char buf[512];
    snprintf(buf, sizeof buf,
             "{'TableName':'%s','KeySchema':[{'AttributeName':'id','KeyType':'HASH'}],"
             "'AttributeDefinitions':[{'AttributeName':'id','AttributeType':'S'}],'BillingMode':'PAY_PER_REQUEST'}",
             name);
    api_ok(w, "CreateTable", buf);
}

static inline void put(world *w, const char *table, const char *item)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "{'TableName':'%s','Item':%s}", table, item);
    api_ok(w, "PutItem", buf);
}

static inline void record(world *w, const char *table, const char *id)
{
    char buf[256];
    snprintf(buf, sizeof buf, "{'id':{'S':'%s'}}", id);
    put(w, table, buf);
}

static inline void assert_json(const cJSON *got, const char *expected)
{
    cJSON *want = J(expected);
    if (!cJSON_Compare(got, want, true)) {
        char *g = cJSON_PrintUnformatted(got), *e = cJSON_PrintUnformatted(want);
        fail_msg("got      %s\nexpected %s", g ? g : "NULL", e);
    }
    cJSON_Delete(want);
}

/* The links check's whole report, as assoc_check_json answers it. */
static inline void assert_check_report(world *w, const char *expected)
{
    cJSON *report = assoc_check_json(w->r, w->store);
    assert_json(report, expected);
    cJSON_Delete(report);
}

/* The i-th declaration as GET /_dynemu/associations lists it, defaults filled in. */
static inline void assert_declaration(world *w, int i, const char *expected)
{
    cJSON *decls = assoc_declarations_json(w->r);
    assert_json(cJSON_GetArrayItem(cJSON_GetObjectItem(decls, "declarations"), i), expected);
    cJSON_Delete(decls);
}

/* The stored item, read back with GetItem; "null" when there is none. */
static inline void assert_item(world *w, const char *table, const char *id, const char *expected)
{
    char buf[512];
    snprintf(buf, sizeof buf, "{'TableName':'%s','Key':{'id':{'S':'%s'}},'ConsistentRead':true}", table, id);
    char *resp = api(w, "GetItem", buf, 200);
    cJSON *j = cJSON_Parse(resp);
    cJSON *item = cJSON_GetObjectItem(j, "Item");
    cJSON *none = cJSON_CreateNull();
    assert_json(item ? item : none, expected);
    cJSON_Delete(none);
    cJSON_Delete(j);
    dynemu_free(resp);
}

static inline void declare(world *w, const char *json)
{
    cJSON *j = J(json);
    store_error err = {0};
    if (!assoc_declare_json(w->r, w->store, j, &err)) fail_msg("declaration refused: %s", err.message);
    cJSON_Delete(j);
}

static inline void refuse_declaration(world *w, const char *json, const char *fragment)
{
    cJSON *j = J(json);
    store_error err = {0};
    size_t before = assoc_count(w->r);
    assert_false(assoc_declare_json(w->r, w->store, j, &err));
    assert_int_equal(err.status, STORE_ERR_VALIDATION);
    if (!strstr(err.message, fragment)) fail_msg("message \"%s\" lacks \"%s\"", err.message, fragment);
    assert_int_equal(assoc_count(w->r), before);
    cJSON_Delete(j);
}

static inline cJSON *call(world *w, const char *json)
{
    cJSON *j = J(json);
    store_error err = {0};
    cJSON *answer = assoc_call_json(w->r, w->store, j, &err);
    if (!answer) fail_msg("%s refused: %s", json, err.message);
    cJSON_Delete(j);
    return answer;
}

static inline void expect(world *w, const char *json, const char *answer)
{
    cJSON *got = call(w, json);
    assert_json(got, answer);
    cJSON_Delete(got);
}

/* Every table's items, in the store's order: equal dumps, equal states. */
static inline char *dump(world *w)
{
    cJSON *all = cJSON_CreateObject();
    for (store_table *t = w->store->tables; t; t = t->hh.next) {
        cJSON *items = cJSON_AddArrayToObject(all, t->name);
        store_key start = {.hash = 0, .pk = NULL, .sk = NULL, .sk_bound = -1};
        store_cursor c;
        store_cursor_open(&c, &t->items, &start, STORE_SEEK_GE);
        for (store_value *item; (item = store_cursor_next(&c));) cJSON_AddItemToArray(items, store_encode_item(item));
        store_cursor_close(&c);
    }
    char *s = cJSON_PrintUnformatted(all);
    cJSON_Delete(all);
    return s;
}

/* A refusal's error and message, and the state still the one dumped before (freed here). */
static inline void assert_refused(world *w, char *before, const store_error *err, store_status status,
                                  const char *fragment)
{
    assert_int_equal(err->status, status);
    if (!strstr(err->message, fragment)) fail_msg("message \"%s\" lacks \"%s\"", err->message, fragment);
    char *after = dump(w);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

/* A refused operation: its error, its message, and nothing changed. */
static inline void refuse(world *w, const char *json, store_status status, const char *fragment)
{
    char *before = dump(w);
    cJSON *j = J(json);
    store_error err = {0};
    cJSON *answer = assoc_call_json(w->r, w->store, j, &err);
    if (answer) fail_msg("%s was not refused", json);
    assert_refused(w, before, &err, status, fragment);
    cJSON_Delete(j);
}

static inline cJSON *destroy_json(world *w, const char *json, store_error *err)
{
    cJSON *j = J(json);
    cJSON *answer = assoc_destroy_json(w->r, w->store, j, err);
    cJSON_Delete(j);
    return answer;
}

static inline void expect_destroy(world *w, const char *json, const char *answer)
{
    store_error err = {0};
    cJSON *got = destroy_json(w, json, &err);
    if (!got) fail_msg("destroy refused: %s", err.message);
    assert_json(got, answer);
    cJSON_Delete(got);
}

static inline void refuse_destroy(world *w, const char *json, store_status status, const char *fragment)
{
    char *before = dump(w);
    store_error err = {0};
    cJSON *got = destroy_json(w, json, &err);
    assert_null(got);
    assert_refused(w, before, &err, status, fragment);
}

/* The destroy callback's log: "table:id " for each record, in order. */
typedef struct destroy_log {
    char text[1024];
    int count;
} destroy_log;

static inline void log_destroy(const char *table, const store_value *item, void *user)
{
    destroy_log *log = user;
    const store_value *id = store_map_get(item, "id", 2);
    size_t used = strlen(log->text);
    snprintf(log->text + used, sizeof log->text - used, "%s:%s ", table, store_bytes(id));
    log->count++;
}

#endif
