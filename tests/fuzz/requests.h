/* tests/fuzz/requests.h — what the first byte of a fuzz input picks: the
 * operation of fuzz_call.c, the control route of fuzz_assoc.c. One table
 * for the targets, tests/oom/oom.c and tests/fuzz/record_corpus.py (which
 * reads it from here), so a kept input means the same everywhere. */
#ifndef DYNEMU_FUZZ_REQUESTS_H
#define DYNEMU_FUZZ_REQUESTS_H

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

#endif
