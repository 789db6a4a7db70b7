/* emulator/ops/capacity.h — ReturnConsumedCapacity and
 * ReturnItemCollectionMetrics, computed as DynamoDB rounds them: reads in
 * 4 KB units (eventually consistent ones at half price), writes in 1 KB
 * units, at least one unit a request; a write costs again for every index
 * whose entry it changes. */
#ifndef EMU_CAPACITY_H
#define EMU_CAPACITY_H

#include "emulator/ops/common.h"

#define EMU_READ_UNIT_BYTES  4096
#define EMU_WRITE_UNIT_BYTES 1024

typedef enum emu_capacity_mode { EMU_CAPACITY_NONE, EMU_CAPACITY_TOTAL, EMU_CAPACITY_INDEXES } emu_capacity_mode;

/* The units one table (and its indexes) consumed in a request. */
typedef struct emu_consumed {
    const store_table *table;
    double table_units;
    double *index_units;        /* one per index of the table, NULL until an index is charged */
} emu_consumed;

/* Reads ReturnConsumedCapacity (and validates it) from obj. */
bool emu_capacity_mode_read(emu_ctx *ctx, const cJSON *obj, emu_capacity_mode *mode);

double emu_read_units(size_t bytes, bool consistent);
double emu_write_units(size_t bytes);

/* Charges a write that replaced old (may be NULL) by new_item (may be NULL):
 * the table by the larger of the two, and each index an item enters, leaves
 * or changes in. factor is 2 inside a transaction. */
void emu_charge_write(emu_consumed *c, const store_value *old, const store_value *new_item, double factor);

/* Charges a read of bytes from the table, or from index when given. */
void emu_charge_read(emu_consumed *c, const store_index *index, size_t bytes, bool consistent);

/* Adds the ConsumedCapacity of a Query or Scan page of bytes, read from the
 * table or from index x (may be NULL). */
void emu_add_read_capacity(emu_ctx *ctx, emu_capacity_mode mode, bool consistent, const store_table *t,
                           const store_index *x, size_t bytes);

/* Reads ReturnConsumedCapacity and ConsistentRead of a read request in one go. */
bool emu_read_options(emu_ctx *ctx, const cJSON *obj, emu_capacity_mode *mode, bool *consistent);

/* Adds {"TableName", "CapacityUnits", ...} under name in obj, or to the array obj
 * when name is NULL; nothing for EMU_CAPACITY_NONE. Frees index_units. False
 * (nothing added) when out of memory. */
bool emu_consumed_add(cJSON *obj, const char *name, emu_capacity_mode mode, emu_consumed *c);

/* ReturnItemCollectionMetrics SIZE on a table with local secondary indexes:
 * the collection of key's partition and its size estimate. */
bool emu_item_collection_mode_read(emu_ctx *ctx, const cJSON *obj, bool *size);
/* NULL with *ok true when there is none to report; *ok false when out of memory. */
cJSON *emu_item_collection_metrics(const store_table *t, const store_value *item, bool *ok);

/* The units of each table a multi-table request (batches, transactions)
 * touched, in the order the tables were first named. */
#define EMU_MAX_TABLES_PER_REQUEST 100

typedef struct emu_consumed_list {
    emu_consumed tables[EMU_MAX_TABLES_PER_REQUEST];
    int n;
} emu_consumed_list;

emu_consumed *emu_consumed_for(emu_consumed_list *l, const store_table *t);
/* Adds "ConsumedCapacity": [...] (nothing for EMU_CAPACITY_NONE) and frees the list's index units. */
void emu_consumed_list_add(cJSON *resp, emu_capacity_mode mode, emu_consumed_list *l);

/* What a single-item write reports beside its result. */
typedef struct emu_write_report {
    emu_capacity_mode capacity;
    bool collection_metrics;
} emu_write_report;

bool emu_write_report_read(emu_ctx *ctx, emu_write_report *r);
/* Adds ConsumedCapacity and ItemCollectionMetrics for a write of old → new_item;
 * false (out of memory, in ctx's error) when they could not be made. */
bool emu_write_report_add(emu_ctx *ctx, const emu_write_report *r, const store_table *t, const store_value *old,
                          const store_value *new_item);

#endif
