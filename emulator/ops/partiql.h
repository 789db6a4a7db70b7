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
typedef enum emu_pql_mode { EMU_PQL_EXECUTE, EMU_PQL_BATCH, EMU_PQL_TRANSACTION } emu_pql_mode;

typedef enum emu_pql_target {
    EMU_PQL_GET, EMU_PQL_QUERY, EMU_PQL_SCAN, EMU_PQL_PUT, EMU_PQL_UPDATE, EMU_PQL_DELETE, EMU_PQL_CHECK
} emu_pql_target;

typedef struct emu_pql_compiled {
    emu_pql_target target;
    cJSON *req;                 /* the operation's request (a transaction action's body) */
    char table[256];            /* the table it names, for BatchExecuteStatement's answers */
    bool returning;             /* UPDATE/DELETE ... RETURNING: Attributes become Items */
} emu_pql_compiled;

/* A parsed statement from the database's cache (partiql_cache.c), held
 * until emu_pql_unprepare. NULL with the syntax error set. */
typedef struct emu_pql_prepared emu_pql_prepared;
emu_pql_prepared *emu_pql_prepare(emu_ctx *ctx, const char *text, const store_pql_statement **statement);
void emu_pql_unprepare(emu_pql_prepared *p);

/* The operation a target runs as ("GetItem", ...). */
const char *emu_pql_operation(emu_pql_target target);
/* Whether a compiled statement reads. */
bool emu_pql_reads(const emu_pql_compiled *c);

/* Parses statement, binds params (a JSON array of AttributeValues, or NULL)
 * and compiles it against its table (looked up under the read lock, which
 * must not be held). False with the error set; on true free c->req. */
bool emu_pql_compile(emu_ctx *ctx, const char *statement, const cJSON *params, emu_pql_mode mode,
                     emu_pql_compiled *c);

/* Runs a compiled request through its operation (its shape check, its lock,
 * its handler); on true *answer is the operation's answer. An INSERT's failed
 * condition becomes DuplicateItemException. */
bool emu_pql_run(emu_ctx *ctx, const emu_pql_compiled *c, emu_answer *answer);

#endif
