/* emulator/ops/read_page.c — one page of a Query or a Scan. */
#include "emulator/ops/read_page.h"
#include "emulator/ops/capacity.h"
#include "emulator/ops/legacy.h"

#include <stdio.h>
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
        if (!key) return emu_oom(ctx);
        store_text_put_literal(out, ",\"LastEvaluatedKey\":");
        store_text_item(out, key);
        ctx->page_last_key = key;
    }
    if (out->failed) return emu_oom(ctx);
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

/* A legacy filter or key conditions, read only to be refused early; read again against the table. */
static bool check_legacy_conditions(emu_ctx *ctx, const cJSON *conditions)
{
    store_condition *c = NULL;
    bool ok = !conditions || emu_legacy_filter(ctx, conditions, &c);
    store_condition_free(c);
    return ok;
}

/* AWS words a bad start key value with "The provided starting key is
 * invalid: " before some of the codec's messages only (as recorded). */
static bool start_key_prefixed(const char *message)
{
    static const char *const prefixed[] = {"Supplied AttributeValue", "One or more parameter values were invalid: Null attribute",
                                           "One or more parameter values were invalid: An string set",
                                           "One or more parameter values were invalid: Binary sets", NULL};
    for (const char *const *p = prefixed; *p; p++)
        if (strncmp(message, *p, strlen(*p)) == 0) return true;
    return false;
}

static bool check_start_key_values(emu_ctx *ctx)
{
    const cJSON *esk = cJSON_GetObjectItemCaseSensitive(ctx->req, "ExclusiveStartKey");
    if (!esk || cJSON_IsNull(esk)) return true;
    store_value *v = store_decode_item(esk, &ctx->err);
    store_release(v);
    if (v) return true;
    if (ctx->err.status != STORE_ERR_VALIDATION || !start_key_prefixed(ctx->err.message)) return false;
    char message[STORE_ERROR_MESSAGE_MAX];
    snprintf(message, sizeof message, "%s", ctx->err.message);
    ctx->err.status = STORE_OK; /* the codec's error, reworded */
    return store_fail(&ctx->err, STORE_ERR_VALIDATION, "The provided starting key is invalid: %.*s",
                      (int)(sizeof message - 64), message);
}

/* EMU_MAX_KEY_CONDITIONS: one per attribute of the longest key, a GSI's
 * multi-attribute one. Older recordings against AWS refuse a third condition
 * before the table is looked up; multi-attribute keys, newer, take up to eight,
 * so beyond two the key schema decides (emu_legacy_key_conditions). */
#define EMU_MAX_KEY_CONDITIONS (2 * STORE_MAX_KEY_ATTRS)

static bool check_attributes_to_get(emu_ctx *ctx)
{
    store_projection *p = NULL;
    bool ok = !emu_present(ctx->req, "AttributesToGet") || emu_projection(ctx, ctx->req, NULL, &p);
    store_projection_free(p);
    return ok;
}

/* What AWS refuses of a Query or Scan before it looks its table up, in its
 * order: the legacy filter and AttributesToGet (a Scan's AttributesToGet
 * first), the start key's values, the legacy key conditions and their number. */
static bool check_request_alone(emu_ctx *ctx)
{
    const cJSON *filter = cJSON_GetObjectItemCaseSensitive(ctx->req, "QueryFilter");
    bool scan = !filter && (filter = cJSON_GetObjectItemCaseSensitive(ctx->req, "ScanFilter"));
    const cJSON *key_conditions = cJSON_GetObjectItemCaseSensitive(ctx->req, "KeyConditions");
    bool ok = scan ? check_attributes_to_get(ctx) && check_legacy_conditions(ctx, filter)
                   : check_legacy_conditions(ctx, filter) && check_attributes_to_get(ctx);
    if (!ok || !check_start_key_values(ctx) || !check_legacy_conditions(ctx, key_conditions)) return false;
    int n = key_conditions ? cJSON_GetArraySize(key_conditions) : 1;
    if (n < 1 || n > EMU_MAX_KEY_CONDITIONS)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION, "Conditions can be of length 1 or 2 only");
    return true;
}

/* The request's expressions, parsed as AWS parses them before it looks the
 * table up: each one's grammar, then the key condition's form. Run only when
 * the table is missing (its error would hide theirs); a table's requests are
 * parsed once, against its key schema. */
static bool check_expressions_alone(emu_ctx *ctx, emu_env *env)
{
    const char *key_text, *filter_text, *projection_text;
    if (!emu_string(ctx, ctx->req, "KeyConditionExpression", &key_text) ||
        !emu_string(ctx, ctx->req, "FilterExpression", &filter_text) ||
        !emu_string(ctx, ctx->req, "ProjectionExpression", &projection_text))
        return false;
    store_condition *c = key_text ? store_condition_parse_as("KeyConditionExpression", key_text, &env->env, &ctx->err) : NULL;
    bool ok = !key_text || c;
    store_condition_free(c);
    c = ok && filter_text ? store_condition_parse_as("FilterExpression", filter_text, &env->env, &ctx->err) : NULL;
    ok = ok && (!filter_text || c);
    store_condition_free(c);
    store_projection *p = ok && projection_text ? store_projection_parse(projection_text, &env->env, &ctx->err) : NULL;
    ok = ok && (!projection_text || p);
    store_projection_free(p);
    store_key_condition kc;
    ok = ok && (!key_text || store_key_condition_parse_schema(key_text, &env->env, NULL, &kc, &ctx->err));
    return ok;
}

bool emu_run_read(emu_ctx *ctx, const char *const *expressions,
                  bool (*run)(emu_ctx *ctx, store_table *t, emu_env *env, emu_read_charge *charge))
{
    /* The request's own mix of parameters is refused before its table is looked up, as AWS does. */
    const char *name;
    if (!emu_table_name(ctx, &name) || !emu_legacy_check_mix(ctx) ||
        !emu_env_check_given_with_expressions(ctx, ctx->req, expressions) || !check_request_alone(ctx))
        return false;
    emu_env env;
    if (!emu_env_open(ctx, ctx->req, &env)) return false;
    store_table *t = emu_table(ctx, name);
    if (!t) {
        store_error not_found = ctx->err;
        ctx->err.status = STORE_OK;
        if (check_expressions_alone(ctx, &env)) ctx->err = not_found;
    }
    emu_capacity_mode capacity; /* validated here, used once the page is read */
    bool consistent;
    if (!t || !emu_read_options(ctx, ctx->req, &capacity, &consistent)) {
        emu_env_close(&env);
        return false;
    }
    emu_read_charge charge = {t, NULL, 0};
    bool ok = run(ctx, t, &env, &charge);
    emu_env_close(&env);
    if (ok) emu_add_read_capacity(ctx, capacity, consistent, charge.table, charge.index, charge.bytes);
    return ok;
}
