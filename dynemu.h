/* dynemu.h — the public umbrella API of libdynemu.a.
 *
 * One entry point serves the HTTP server and linked C tests alike: an
 * operation name (as in X-Amz-Target, e.g. "PutItem") and a request body in
 * DynamoDB JSON go in; an HTTP status and a response body come out. Each
 * database handle is isolated from every other. */
#ifndef DYNEMU_H
#define DYNEMU_H

#include <stddef.h>
#include <stdint.h>

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

/* Optional speed-up, which the dynemu server uses: requests are parsed into a
 * buffer on the stack instead of some twenty mallocs each. It installs
 * cJSON's allocation hooks for the whole process (they fall back to malloc
 * and free for everything else), so call it once, before other threads use
 * cJSON, and only if the program installs no cJSON hooks of its own. */
void dynemu_parse_in_place(void);

/* The store behind a database, for linked tests that go below the wire API:
 * the association layer's C API (assoc/assoc.h) takes it. The caller holds
 * no lock; a single-threaded test needs none. */
struct store_db;
struct store_db *dynemu_store(dynemu_db *db);

/* ---- Test state: fixtures, reset, snapshots, the clock (CONTRACT.md) ---- */

/* A database seeded from fixture files or folders (any of CONTRACT.md's
 * formats; folders in name order), loaded all or nothing. NULL on a bad
 * fixture, with *error (when error is not NULL) set to a message naming the
 * file and the JSON path, released with dynemu_free(). */
dynemu_db *dynemu_open_fixtures(const char *const *paths, size_t n_paths, char **error);

/* Adds a fixture document (any format) to the current state, all or nothing.
 * 0, or -1 with *error set as above. */
int dynemu_load(dynemu_db *db, const char *fixture, size_t len, char **error);
/* The whole state as a fixture document; NUL-terminated, release with dynemu_free(). */
char *dynemu_dump(dynemu_db *db, size_t *len);

/* Back to the state right after dynemu_open / dynemu_open_fixtures (the
 * clock setting included). Costs pointer copies, not item copies. 0 or -1. */
int dynemu_reset(dynemu_db *db);
/* Saves the current state as name (letters, digits, '_', '-', '.'), or
 * brings it back. 0, or -1 for a bad or unknown name. */
int dynemu_snapshot(dynemu_db *db, const char *name);
int dynemu_restore(dynemu_db *db, const char *name);

/* The clock behind every timestamp, in milliseconds since the epoch. */
int64_t dynemu_clock_now(dynemu_db *db);
void dynemu_clock_set(dynemu_db *db, int64_t epoch_ms);
/* 0, or -1 (and no change) if the clock would leave years 1970 to 9999. */
int dynemu_clock_advance(dynemu_db *db, int64_t ms);
void dynemu_clock_real(dynemu_db *db);

/* Any control API request as over HTTP, e.g. ("POST", "/_dynemu/associations/call", body).
 * Returns the HTTP status; *response as for dynemu_call. */
int dynemu_control(dynemu_db *db, const char *method, const char *path, const char *body, size_t body_len,
                   char **response, size_t *response_len);

/* ---- DynamoDB Streams ---- */

/* The records a table's streams hold (since the last reset or load of the
 * seed), as {"records": [<GetRecords record>, ...]} in commit order; with
 * since_sequence (NULL for all), only those after that SequenceNumber.
 * A test asserts "this call wrote exactly these changes" with no shard
 * iterators. Returns the HTTP status, as dynemu_control (400
 * ResourceNotFoundException if the table never had a stream). */
int dynemu_stream_records(dynemu_db *db, const char *table, const char *since_sequence, char **response,
                          size_t *response_len);

#endif
