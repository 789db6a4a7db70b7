/* tests/fuzz/requests.h — what the first byte of a fuzz input picks: the
 * operation of fuzz_call.c, the control route of fuzz_assoc.c, the request
 * of fuzz_partiql.c's statement. One table
 * for the targets, tests/oom/oom.c and tests/fuzz/record_corpus.py (which
 * reads it from here), so a kept input means the same everywhere. */
#ifndef DYNEMU_FUZZ_REQUESTS_H
#define DYNEMU_FUZZ_REQUESTS_H

#include <cjson/cJSON.h>
#include <stdlib.h>

static const char *const fuzz_operations[] = {
    "GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan", "BatchGetItem", "BatchWriteItem",
    "TransactGetItems", "TransactWriteItems", "CreateTable", "UpdateTable", "DeleteTable", "DescribeTable",
    "ListTables", "UpdateTimeToLive", "DescribeTimeToLive", "TagResource", "UntagResource", "ListTagsOfResource",
    "DescribeLimits", "DescribeEndpoints", "ListStreams", "DescribeStream", "GetShardIterator", "GetRecords",
    "ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction",
};
#define FUZZ_N_OPERATIONS (sizeof fuzz_operations / sizeof fuzz_operations[0])

/* Calls twice as often as the rest; the last one declares (no link check after it). */
static const char *const fuzz_assoc_routes[] = {"/_dynemu/associations/call", "/_dynemu/associations/call",
                                                "/_dynemu/destroy", "/_dynemu/associations"};
#define FUZZ_N_ASSOC_ROUTES (sizeof fuzz_assoc_routes / sizeof fuzz_assoc_routes[0])

/* fuzz_partiql.c's odd inputs: ExecuteStatement of the text, with as many
 * Parameters as it has '?' (FUZZ_PARTIQL_MAX_PARAMS at most). */
#define FUZZ_PARTIQL_MAX_PARAMS 8   /* parameters offered; a statement with more is refused for its count */

/* The values the ? take in turn: one of each kind a key or a filter meets. */
static const char *const fuzz_partiql_params[FUZZ_PARTIQL_MAX_PARAMS] = {
    "{\"S\":\"a\"}", "{\"N\":\"1\"}", "{\"S\":\"alice\"}", "{\"SS\":[\"x\",\"y\"]}",
    "{\"BOOL\":true}", "{\"L\":[{\"N\":\"2\"}]}", "{\"M\":{\"k\":{\"NULL\":true}}}", "{\"B\":\"AAE=\"}",
};

/* {"Statement": text, "Parameters": [...]}, the text escaped by cJSON. */
static inline char *fuzz_partiql_request(const char *text)
{
    size_t marks = 0;
    for (const char *p = text; *p; p++) marks += *p == '?';
    cJSON *req = cJSON_CreateObject();
    cJSON_AddStringToObject(req, "Statement", text);
    if (marks) {
        cJSON *params = cJSON_AddArrayToObject(req, "Parameters");
        for (size_t i = 0; i < marks && i < FUZZ_PARTIQL_MAX_PARAMS; i++)
            cJSON_AddItemToArray(params, cJSON_Parse(fuzz_partiql_params[i]));
    }
    char *body = cJSON_PrintUnformatted(req);
    cJSON_Delete(req);
    if (!body) abort();
    return body;
}

#endif
