/* dynemu.h — the public umbrella API of libdynemu.a.
 *
 * One entry point serves the HTTP server and linked C tests alike: an
 * operation name (as in X-Amz-Target, e.g. "PutItem") and a request body in
 * DynamoDB JSON go in; an HTTP status and a response body come out. Each
 * database handle is isolated from every other. */
#ifndef DYNEMU_H
#define DYNEMU_H

#include <stddef.h>

typedef struct dynemu_db dynemu_db;

/* An empty database; NULL only when out of memory. */
dynemu_db *dynemu_open(void);
void dynemu_close(dynemu_db *db);

/* Runs one DynamoDB operation. Returns the HTTP status (200, or 400/500 with
 * {"__type": ..., "message": ...}); *response is NUL-terminated and must be
 * released with dynemu_free(). */
int dynemu_call(dynemu_db *db, const char *operation, const char *request,
                size_t request_len, char **response, size_t *response_len);

void dynemu_free(void *p);

/* The store behind a database, for linked tests that go below the wire API:
 * the association layer's C API (assoc/assoc.h) takes it. The caller holds
 * no lock; a single-threaded test needs none. */
struct store_db;
struct store_db *dynemu_store(dynemu_db *db);

#endif
