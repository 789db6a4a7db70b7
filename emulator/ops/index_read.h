/* emulator/ops/index_read.h — what a Query or a Scan walks: the table's
 * items, or one of its secondary indexes (IndexName), with the rules
 * DynamoDB applies to index reads: an unknown index, ConsistentRead on a
 * GSI, Select and projections against what the index projects (an LSI may
 * fetch any attribute from its table; a GSI may not), and an
 * ExclusiveStartKey that holds both the table's and the index's keys. */
#ifndef EMU_INDEX_READ_H
#define EMU_INDEX_READ_H

#include "emulator/ops/common.h"
#include "store/index.h"

typedef struct emu_source {
    const store_table *table;
    const store_index *index;        /* NULL: the table itself */
    store_tree tree;                 /* the order walked (an index's is a view) */
    const store_key_schema *keys;    /* that order's keys */
} emu_source;

/* Reads IndexName and ConsistentRead. */
bool emu_source_open(emu_ctx *ctx, const store_table *t, emu_source *src);
/* The index's keys for LastEvaluatedKey, NULL when reading the table. */
const store_key_schema *emu_source_index_keys(const emu_source *src);
/* Select, ProjectionExpression/AttributesToGet, checked against the index.
 * Reading an LSI without asking for more gives its projection. */
bool emu_source_select(emu_ctx *ctx, emu_env *env, const emu_source *src, store_projection **projection,
                       bool *count_only);
/* ExclusiveStartKey decoded and checked against the keys it must hold. */
store_value *emu_source_start_key(emu_ctx *ctx, const emu_source *src, const cJSON *esk_json);

#endif
