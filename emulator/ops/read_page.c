/* emulator/ops/read_page.c — one page of a Query or a Scan. */
#include "emulator/ops/read_page.h"
#include "emulator/ops/capacity.h"
#include "emulator/ops/legacy.h"

#include <string.h>

/* The key a page stopped at: the table's key, and for an index the index's
 * key attributes as well (AWS answers both). */
static store_value *last_key(const emu_page *page, const store_value *item)
{
    store_value *key = emu_key_of(page->table_keys, item);
    if (!page->index_keys) return key;
    store_value *index_key = emu_key_of(page->index_keys, item);
    store_entry e[2 + 2 * STORE_MAX_KEY_ATTRS];
    size_t n = 0;
    for (uint32_t i = 0; i < key->len; i++) e[n++] = (store_entry){store_retain(store_entries(key)[i].name), store_retain(store_entries(key)[i].value)};
    for (uint32_t i = 0; i < index_key->len; i++) e[n++] = (store_entry){store_retain(store_entries(index_key)[i].name), store_retain(store_entries(index_key)[i].value)};
    store_release(key);
    store_release(index_key);
    return store_value_map(e, n);
}

/* The page is the opening of the answer, written as JSON text straight into
 * the buffer the answer is finished in (emu_ctx.head): Items, Count,
 * ScannedCount and LastEvaluatedKey. A cJSON tree would cost more than the
 * rest of the request: counts through printf and sscanf, keys node by node. */
bool emu_read_page(emu_ctx *ctx, const emu_page *page, size_t *bytes_read)
{
    store_text *out = &ctx->head;
    store_text_reserve(out, page->count_only ? 256 : EMU_PAGE_TEXT_ROOM); /* Limit 25 fits at once */
    if (page->count_only) store_text_put_literal(out, "{");
    else store_text_put_literal(out, "{\"Items\":[");
    long long count = 0, scanned = 0;
    size_t bytes = 0;
    const store_value *item, *last = NULL;
    bool more = false;
    while ((item = store_cursor_next(page->cursor))) {
        if (page->in_range && !page->in_range(page->range_arg, item)) break;
        if ((page->limit && scanned == page->limit) || bytes >= EMU_MAX_PAGE_BYTES) { more = true; break; }
        scanned++;
        bytes += store_item_size(item);
        last = item;
        if (page->filter) {
            int match = store_condition_eval(page->filter, item, &ctx->err);
            if (match < 0) return false; /* emu_call frees the head */
            if (!match) continue;
        }
        count++;
        if (page->count_only) continue;
        if (count > 1) store_text_put_literal(out, ",");
        emu_text_item(out, item, page->projection);
    }
    if (!page->count_only) {
        store_text_put_literal(out, "]");
        ctx->page_items_end = out->len;
        ctx->page_count = count;
        store_text_put_literal(out, ",");
    }
    store_text_put_literal(out, "\"Count\":");
    store_text_put_integer(out, count);
    store_text_put_literal(out, ",\"ScannedCount\":");
    store_text_put_integer(out, scanned);
    /* AWS answers LastEvaluatedKey whenever it stopped at a limit, even if nothing follows. */
    if (last && (more || (page->limit && scanned == page->limit))) {
        store_value *key = last_key(page, last);
        store_text_put_literal(out, ",\"LastEvaluatedKey\":");
        store_text_item(out, key);
        ctx->page_last_key = key;
    }
    if (out->failed) return store_fail(&ctx->err, STORE_ERR_INTERNAL, "out of memory");
    *bytes_read = bytes;
    return true;
}

static const char *const selects[] = {"ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES", "COUNT", NULL};

bool emu_read_select(emu_ctx *ctx, emu_env *env, bool has_index, store_projection **projection, bool *count_only)
{
    const char *select;
    emu_violations v;
    emu_violations_init(&v);
    *projection = NULL;
    *count_only = false;
    if (!emu_string(ctx, ctx->req, "Select", &select)) return false;
    emu_check_enum(&v, select, "select", selects,
                   "[SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]");
    if (!emu_violations_done(ctx, &v) || !emu_projection(ctx, ctx->req, env, projection)) return false;
    bool legacy = emu_present(ctx->req, "AttributesToGet");
    const char *what = legacy ? "AttributesToGet" : "ProjectionExpression";
    if (select && *projection && strcmp(select, "SPECIFIC_ATTRIBUTES") != 0) {
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          strcmp(select, "COUNT") == 0 ? "Cannot specify the %s when choosing to get only the Count"
                                                       : "Cannot specify the %s when choosing to get ALL_ATTRIBUTES", what);
    }
    if (select && strcmp(select, "SPECIFIC_ATTRIBUTES") == 0 && !*projection)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "SPECIFIC_ATTRIBUTES requires either ProjectionExpression or AttributesToGet");
    if (select && strcmp(select, "ALL_PROJECTED_ATTRIBUTES") == 0 && !has_index)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
    *count_only = select && strcmp(select, "COUNT") == 0;
    return true;
}

bool emu_read_limit(emu_ctx *ctx, long long *limit)
{
    bool present;
    emu_violations v;
    emu_violations_init(&v);
    if (!emu_integer(ctx, ctx->req, "Limit", &present, limit)) return false;
    if (present && *limit < 1)
        emu_violation(&v, "Value '%lld' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
                      *limit);
    return emu_violations_done(ctx, &v);
}

bool emu_run_read(emu_ctx *ctx, bool (*run)(emu_ctx *ctx, store_table *t, emu_env *env, emu_read_charge *charge))
{
    store_table *t = emu_request_table(ctx);
    emu_capacity_mode capacity; /* validated here, used once the page is read */
    bool consistent;
    if (!t || !emu_legacy_check_mix(ctx) || !emu_read_options(ctx, ctx->req, &capacity, &consistent)) return false;
    emu_env env;
    if (!emu_env_open(ctx, ctx->req, &env)) return false;
    emu_read_charge charge = {t, NULL, 0};
    bool ok = run(ctx, t, &env, &charge);
    emu_env_close(&env);
    if (ok) emu_add_read_capacity(ctx, capacity, consistent, charge.table, charge.index, charge.bytes);
    return ok;
}
