/* emulator/ops/scan.c — Scan: the whole table in its one stable order
 * (partition key hash, then key), resumable from ExclusiveStartKey by a
 * seek; a segment of a parallel scan is a range of that hash. */
#include "emulator/ops/capacity.h"
#include "emulator/ops/legacy.h"
#include "emulator/ops/ops.h"
#include "emulator/ops/read_page.h"
#include "emulator/ops/index_read.h"

#define EMU_MAX_TOTAL_SEGMENTS 1000000

/* The hash range [lo, hi) of a segment. */
typedef struct segment_range {
    uint64_t lo, hi;
} segment_range;

static bool read_segments(emu_ctx *ctx, segment_range *seg)
{
    bool has_seg, has_total;
    long long segment, total;
    emu_violations v;
    emu_violations_init(&v);
    if (!emu_integer(ctx, ctx->req, "Segment", &has_seg, &segment) ||
        !emu_integer(ctx, ctx->req, "TotalSegments", &has_total, &total))
        return false;
    if (has_seg && segment < 0)
        emu_violation(&v, "Value '%lld' at 'segment' failed to satisfy constraint: Member must have value greater than or equal to 0", segment);
    if (has_total && total < 1)
        emu_violation(&v, "Value '%lld' at 'totalSegments' failed to satisfy constraint: Member must have value greater than or equal to 1", total);
    if (has_total && total > EMU_MAX_TOTAL_SEGMENTS)
        emu_violation(&v, "Value '%lld' at 'totalSegments' failed to satisfy constraint: Member must have value less than or equal to %d",
                      total, EMU_MAX_TOTAL_SEGMENTS);
    if (!emu_violations_done(ctx, &v)) return false;
    if (has_seg && !has_total)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "The TotalSegments parameter is required but was not present in the request when Segment parameter is present");
    if (has_total && !has_seg)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "The Segment parameter is required but was not present in the request when parameter TotalSegments is present");
    if (has_seg && segment >= total)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: %lld is not less than TotalSegments: %lld",
                          segment, total);
    if (!has_seg) segment = 0, total = 1;
    seg->lo = ((uint64_t)segment << 32) / (uint64_t)total;
    seg->hi = ((uint64_t)(segment + 1) << 32) / (uint64_t)total;
    return true;
}

/* Scan's range check is on the hash alone, which the walk reads from the item's key. */
typedef struct scan_range {
    const store_tree *tree;
    segment_range seg;
} scan_range;

static bool in_scan_range(const void *arg, const store_value *item)
{
    const scan_range *r = arg;
    store_key k = store_item_key(r->tree, item);
    return k.hash >= r->seg.lo && k.hash < r->seg.hi;
}

/* src: the table, or the index scanned. */
static bool seek_start(emu_ctx *ctx, store_cursor *c, const emu_source *src, const scan_range *r, const cJSON *esk_json)
{
    if (!esk_json) {
        store_key k = {.hash = (uint32_t)r->seg.lo, .sk_bound = -1};
        store_cursor_open(c, &src->tree, &k, STORE_SEEK_GE);
        return true;
    }
    store_value *esk = emu_source_start_key(ctx, src, esk_json);
    if (!esk) return false;
    bool ok = in_scan_range(r, esk);
    if (!ok) store_fail(&ctx->err, STORE_ERR_VALIDATION, "The provided Exclusive start key does not map to the provided segment");
    else store_cursor_open_item(c, &src->tree, esk, STORE_SEEK_GT);
    store_release(esk);
    return ok;
}

/* FilterExpression, or the legacy ScanFilter. */
static bool read_filter(emu_ctx *ctx, emu_env *env, const char *text, store_condition **filter)
{
    const cJSON *legacy;
    if (!emu_object(ctx, ctx->req, "ScanFilter", &legacy)) return false;
    if (legacy) return emu_legacy_filter(ctx, legacy, filter);
    if (!text) return true;
    *filter = store_condition_parse_as("FilterExpression", text, &env->env, &ctx->err);
    return *filter != NULL;
}

static bool run_scan(emu_ctx *ctx, store_table *t, emu_env *env, emu_read_charge *charge)
{
    const char *filter_text;
    const cJSON *esk_json;
    long long limit;
    emu_source src;
    scan_range range = {&src.tree, {0, 0}};
    if (!emu_source_open(ctx, t, &src) || !emu_object(ctx, ctx->req, "ExclusiveStartKey", &esk_json) ||
        !emu_string(ctx, ctx->req, "FilterExpression", &filter_text) || !emu_read_limit(ctx, &limit) ||
        !read_segments(ctx, &range.seg))
        return false;
    store_projection *projection = NULL;
    store_condition *filter = NULL;
    bool count_only;
    bool ok = emu_source_select(ctx, env, &src, &projection, &count_only) && read_filter(ctx, env, filter_text, &filter) &&
              emu_env_check_unused(ctx, env, projection || filter_text);
    store_cursor cursor;
    if (ok && (ok = seek_start(ctx, &cursor, &src, &range, esk_json))) {
        /* A scan of the whole table needs no range check per item. */
        bool whole = range.seg.lo == 0 && range.seg.hi == (uint64_t)1 << 32;
        emu_page page = {&cursor, whole ? NULL : in_scan_range, &range, limit, filter, projection, count_only, &t->key,
                         emu_source_index_keys(&src)};
        charge->table = src.table;
        charge->index = src.index;
        ok = emu_read_page(ctx, &page, &charge->bytes);
        store_cursor_close(&cursor);
    }
    store_condition_free(filter);
    store_projection_free(projection);
    return ok;
}

static const char *const scan_expressions[] = {"ProjectionExpression", "FilterExpression", NULL};

bool emu_op_scan(emu_ctx *ctx) { return emu_run_read(ctx, scan_expressions, run_scan); }
