/* emulator/ops/partiql.h — PartiQL statements compiled onto the operations
 * that already exist. A statement tree (store/partiql.h) becomes the request
 * of GetItem, Query, Scan, PutItem, UpdateItem or DeleteItem (or an action of
 * a transaction), with its conditions and updates written in the expression
 * language and its names and values as ExpressionAttributeNames/Values; that
 * request then runs through the operation's own handler. So conditions,
 * updates, indexes, streams, TTL and capacity are the operations' own. */
#ifndef EMU_PARTIQL_H
#define EMU_PARTIQL_H

#include "emulator/ops/common.h"
#include "store/partiql.h"

/* Which operation asks: a single statement may scan or query; a batch or a
 * transaction reads one item by its full key. */
typedef enum emu_pql_mode { EMU_PQL_EXECUTE, EMU_PQL_BATCH, EMU_PQL_TRANSACTION, EMU_PQL_MODES } emu_pql_mode;

typedef enum emu_pql_target {
    EMU_PQL_GET, EMU_PQL_QUERY, EMU_PQL_SCAN, EMU_PQL_PUT, EMU_PQL_UPDATE, EMU_PQL_DELETE, EMU_PQL_CHECK
} emu_pql_target;

#define EMU_PQL_MAX_KEY_NAME 256   /* a key attribute's name and its NUL */
/* Partition key values of one SELECT's `pk IN (...)` or `pk = a OR pk = b`
 * ("at max 50 hash attribute values": DynamoDB's page of PartiQL operators). */
#define EMU_PQL_MAX_PARTITIONS 50

/* The key attributes a statement compiles against: its table's, and the
 * index's when it reads one (else the table's again). */
typedef struct emu_pql_keys {
    char pk[EMU_PQL_MAX_KEY_NAME], sk[EMU_PQL_MAX_KEY_NAME];   /* sk "" when there is none */
} emu_pql_keys;

typedef struct emu_pql_source {
    emu_pql_keys table, read;
    bool index_known;
} emu_pql_source;

/* A statement compiled against a key schema: the operation's request with
 * each ? a placeholder. Made once per statement, mode and key schema and
 * kept beside the parsed statement (partiql_cache.c); a request binds its
 * Parameters into it by reference, so a repeated statement is compiled once.
 * Never changed once made; shared by reference count. */
typedef struct emu_pql_plan {
    emu_pql_target target;
    cJSON *request;             /* the template; a placeholder is a cJSON_Invalid node, valueint the ?
                                 * (EMU_PQL_PARTITION_SLOT: the partition key's value, below) */
    cJSON *partitions;          /* a Query per partition key value (templates, in order), or NULL */
    char table[256];            /* the table it names, for BatchExecuteStatement's answers */
    bool returning;             /* UPDATE/DELETE ... RETURNING: Attributes become Items */
    emu_pql_source source;      /* the key schema it was compiled against */
    int refs;
} emu_pql_plan;

typedef struct emu_pql_compiled {
    emu_pql_target target;
    cJSON *req;                 /* the operation's request (a transaction action's body) */
    const char *table;          /* the plan's */
    bool returning;
    emu_pql_plan *plan;         /* held until emu_pql_release: req refers into it */
    int partitions;             /* 0, or a Query per partition key value: req is the first's */
} emu_pql_compiled;

#define EMU_PQL_PARTITION_SLOT (-1)

/* Makes c->req the plan's request with params bound (for partition key value
 * i, 0 <= i < c->partitions, when it queries each); emu_pql_compile binds the
 * first. False when out of memory. */
bool emu_pql_bind_partition(emu_ctx *ctx, emu_pql_compiled *c, const cJSON *params, int i);

/* Adds one ConsumedCapacity into a list of them, one per table: the numbers of
 * the same table's entry summed member by member. */
bool emu_pql_add_capacity(cJSON *list, const cJSON *consumed); /* false: out of memory */

/* Deletes c->req and lets go of its plan. */
void emu_pql_release(emu_pql_compiled *c);

/* A parsed statement from the database's cache (partiql_cache.c), held
 * until emu_pql_unprepare, and the plan kept for it in mode, held too (NULL:
 * none yet). NULL with the syntax error set. */
typedef struct emu_pql_prepared emu_pql_prepared;
emu_pql_prepared *emu_pql_prepare(emu_ctx *ctx, const char *text, emu_pql_mode mode,
                                  const store_pql_statement **statement, emu_pql_plan **plan);
void emu_pql_unprepare(emu_pql_prepared *p);

/* A fast 64-bit hash of n bytes, continuing from h: eight bytes a step (a
 * multiply and a shift each), for what is hashed on every request (a
 * statement's text, a NextToken's digest). Not for secrets. */
uint64_t emu_pql_hash(uint64_t h, const void *bytes, size_t n);

/* emu_pql_keep_plan makes plan the one kept for p in mode (the cache takes
 * its own hold, letting go of the one before); emu_pql_plan_drop lets go of
 * a hold, freeing the plan with the last. */
void emu_pql_keep_plan(emu_pql_prepared *p, emu_pql_mode mode, emu_pql_plan *plan);
void emu_pql_plan_drop(emu_pql_plan *plan);

/* The operation a target runs as ("GetItem", ...). */
const char *emu_pql_operation(emu_pql_target target);
/* Whether a compiled statement reads. */
bool emu_pql_reads(const emu_pql_compiled *c);

/* Parses statement and compiles it against its table (looked up under the
 * read lock, which must not be held), or takes the plan kept for it, and
 * binds params (a JSON array of AttributeValues, or NULL) into the plan's
 * request. False with the error set; on true emu_pql_release(c). */
bool emu_pql_compile(emu_ctx *ctx, const char *statement, const cJSON *params, emu_pql_mode mode,
                     emu_pql_compiled *c);

/* Runs a compiled request through its operation (its shape check, its lock,
 * its handler); on true *answer is the operation's answer. An INSERT's failed
 * condition becomes DuplicateItemException. */
bool emu_pql_run(emu_ctx *ctx, const emu_pql_compiled *c, emu_answer *answer);
/* The same, with ready called where a write is ready to commit (see emu_call_compiled_ready). */
bool emu_pql_run_ready(emu_ctx *ctx, const emu_pql_compiled *c, emu_answer *answer,
                       bool (*ready)(emu_ctx *inner, void *arg), void *arg);

#endif
