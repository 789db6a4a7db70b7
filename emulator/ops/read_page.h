/* emulator/ops/read_page.h — the page loop Query and Scan share: walk a
 * cursor while items are in range, stop at Limit (items read) or at 1 MB of
 * items read, filter after reading (Count vs ScannedCount, as AWS counts),
 * project, and render LastEvaluatedKey. */
#ifndef EMU_READ_PAGE_H
#define EMU_READ_PAGE_H

#include "emulator/ops/common.h"

#define EMU_MAX_PAGE_BYTES (1024 * 1024)
/* The first room taken for a page's text: past it, the buffer doubles. */
#define EMU_PAGE_TEXT_ROOM (16 * 1024)

typedef struct emu_page {
    store_cursor *cursor;
    bool (*in_range)(const void *arg, const store_value *item);
    const void *range_arg;
    long long limit;                      /* 0: none */
    const store_condition *filter;        /* NULL: none */
    const store_projection *projection;   /* NULL: whole items */
    bool count_only;                      /* Select COUNT */
    const store_key_schema *table_keys;   /* LastEvaluatedKey holds these... */
    const store_key_schema *index_keys;   /* ...and these, when reading an index */
} emu_page;

/* *bytes_read: the size of the items read (filtered or not), for consumed capacity. */
bool emu_read_page(emu_ctx *ctx, const emu_page *page, size_t *bytes_read);

/* What a Query or Scan page read, for its ConsumedCapacity. */
typedef struct emu_read_charge {
    const store_table *table;
    const store_index *index;   /* NULL: the table itself */
    size_t bytes;
} emu_read_charge;

/* What Query and Scan share around their own part: the table, no mix of
 * legacy parameters and expressions, valid capacity options, the request's
 * expression environment; then run, which says what it read; then the
 * ConsumedCapacity of that, by the options read before. */
bool emu_run_read(emu_ctx *ctx, const char *const *expressions,
                  bool (*run)(emu_ctx *ctx, store_table *t, emu_env *env, emu_read_charge *charge));

/* Select and the projection of a read, checked together as AWS checks them. */
bool emu_read_select(emu_ctx *ctx, emu_env *env, bool has_index, store_projection **projection, bool *count_only);
/* Limit: absent is 0, else at least 1. */
bool emu_read_limit(emu_ctx *ctx, long long *limit);

#endif
