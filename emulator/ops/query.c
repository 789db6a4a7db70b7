/* emulator/ops/query.c — Query: the items of one partition, in sort key
 * order, from a seek: O(log n + k). */
#include "emulator/ops/capacity.h"
#include "emulator/ops/legacy.h"
#include "emulator/ops/ops.h"
#include "emulator/ops/read_page.h"
#include "emulator/ops/index_read.h"

#include <stdlib.h>
#include <string.h>

/* What the walk checks of each item: same partition, sort key condition. */
typedef struct query_range {
    const store_tree_keys *keys;
    const store_key_condition *kc;
    /* During the walk (else NULL): its cursor, which knows each item's
     * partition hash, and the walk's own record of the partition. */
    const store_cursor *cursor;
    struct partition_walk *walk;
} query_range;

/* Once one item of the walk is in the partition, and no other partition key
 * of the tree shares its hash, the hash alone tells the others: no partition
 * attribute is read again (each is an attribute lookup and a compare per item,
 * one per attribute of a multi-attribute key). */
typedef struct partition_walk {
    uint32_t hash;
    bool hash_unique;
    bool met;
} partition_walk;

static bool has_prefix(const store_value *v, const store_value *prefix)
{
    return v->len >= prefix->len && memcmp(store_bytes(v), store_bytes(prefix), prefix->len) == 0;
}

static bool sort_key_matches(const store_key_condition *kc, const store_value *sk)
{
    switch (kc->sk_op) {
    case STORE_KEY_NONE: return true;
    case STORE_KEY_EQ: return store_scalar_compare(sk, kc->sk_lo) == 0;
    case STORE_KEY_LT: return store_scalar_compare(sk, kc->sk_lo) < 0;
    case STORE_KEY_LE: return store_scalar_compare(sk, kc->sk_lo) <= 0;
    case STORE_KEY_GT: return store_scalar_compare(sk, kc->sk_lo) > 0;
    case STORE_KEY_GE: return store_scalar_compare(sk, kc->sk_lo) >= 0;
    case STORE_KEY_BETWEEN: return store_scalar_compare(sk, kc->sk_lo) >= 0 && store_scalar_compare(sk, kc->sk_hi) <= 0;
    case STORE_KEY_BEGINS_WITH: return has_prefix(sk, kc->sk_lo);
    }
    return false;
}

static bool attr_equals(const store_value *item, const store_value *name, const store_value *v)
{
    const store_value *a = store_map_get_name(item, name);
    return a && store_value_equal(a, v);
}

/* The j-th sort key attribute of keys. */
static const store_value *sort_name(const store_tree_keys *keys, size_t j)
{
    return j == 0 ? keys->sk_name : keys->sk_more[j - 1];
}

static bool has_partition(const query_range *r, const store_value *item)
{
    const store_key_condition *kc = r->kc;
    if (!attr_equals(item, r->keys->pk_name, kc->pk)) return false;
    for (uint8_t i = 0; i < r->keys->n_pk_more; i++)
        if (!attr_equals(item, r->keys->pk_more[i], kc->pk_more[i])) return false;
    return true;
}

static bool in_partition(const query_range *r, const store_value *item)
{
    partition_walk *w = r->cursor ? r->walk : NULL;
    if (!w) return has_partition(r, item);
    if (r->cursor->hash != w->hash) return false;
    if (w->met && w->hash_unique) return true;
    return (w->met = has_partition(r, item));
}

static bool in_range(const void *arg, const store_value *item)
{
    const query_range *r = arg;
    const store_key_condition *kc = r->kc;
    if (!in_partition(r, item)) return false;
    if (!r->keys->sk_name) return true;
    for (uint8_t j = 0; j < kc->n_sk_eq; j++)
        if (!attr_equals(item, sort_name(r->keys, j), kc->sk_eq[j])) return false;
    if (kc->sk_op == STORE_KEY_NONE) return true;
    const store_value *sk = store_map_get_name(item, sort_name(r->keys, kc->n_sk_eq));
    return sk && sort_key_matches(kc, sk);
}

/* The smallest byte string above every string that starts with prefix, or
 * NULL if there is none (a prefix of 0xff bytes only). */
static store_value *prefix_successor(const store_value *prefix)
{
    size_t n = prefix->len;
    const unsigned char *p = (const unsigned char *)store_bytes(prefix);
    while (n > 0 && p[n - 1] == 0xff) n--;
    if (n == 0) return NULL;
    char *buf = malloc(n);
    if (!buf) return NULL;
    memcpy(buf, p, n);
    buf[n - 1] = (char)(p[n - 1] + 1);
    store_value *v = store_value_bytes((store_type)prefix->type, buf, n);
    free(buf);
    return v;
}

static uint32_t partition_hash(const store_tree_keys *keys, const store_key_condition *kc)
{
    return store_key_hash_parts(kc->pk, (const store_value *const *)kc->pk_more, keys->n_pk_more);
}

/* The partition of the condition; before (forward) or after all its items. */
static store_key partition_of(const store_tree_keys *keys, const store_key_condition *kc, bool forward)
{
    store_key k = {.pk = kc->pk, .sk_bound = forward ? -1 : 1};
    for (uint8_t i = 0; i < keys->n_pk_more; i++) k.pk_more[i] = kc->pk_more[i];
    k.hash = partition_hash(keys, kc);
    return k;
}

/* The sort part of a seek: the values the leading sort attributes equal,
 * then bound if any. Without bound the key spans the run sharing them. */
static void set_sort(store_key *k, const store_key_condition *kc, const store_value *bound)
{
    const store_value *parts[STORE_MAX_KEY_ATTRS];
    size_t n = 0;
    for (uint8_t j = 0; j < kc->n_sk_eq; j++) parts[n++] = kc->sk_eq[j];
    if (bound) parts[n++] = bound;
    if (n == 0) return;
    k->sk = parts[0], k->sk_bound = 0;
    k->n_sk_more = (uint8_t)(n - 1);
    for (size_t i = 1; i < n; i++) k->sk_more[i - 1] = parts[i];
}

/* Where the walk starts: the first item in range in the walk's direction. */
static void seek_range(store_cursor *c, const store_tree *tree, const store_key_condition *kc, bool forward,
                       store_value **scratch)
{
    store_key k = partition_of(tree->keys, kc, forward);
    store_seek how = forward ? STORE_SEEK_GE : STORE_SEEK_LE;
    const store_value *bound = NULL;
    store_key_op op = kc->sk_op;
    if (forward && (op == STORE_KEY_EQ || op == STORE_KEY_GE || op == STORE_KEY_GT || op == STORE_KEY_BETWEEN ||
                    op == STORE_KEY_BEGINS_WITH)) {
        bound = kc->sk_lo;
        how = op == STORE_KEY_GT ? STORE_SEEK_GT : STORE_SEEK_GE;
    } else if (!forward && (op == STORE_KEY_EQ || op == STORE_KEY_LE || op == STORE_KEY_LT || op == STORE_KEY_BETWEEN)) {
        bound = op == STORE_KEY_BETWEEN ? kc->sk_hi : kc->sk_lo;
        how = op == STORE_KEY_LT ? STORE_SEEK_LT : STORE_SEEK_LE;
    } else if (!forward && op == STORE_KEY_BEGINS_WITH && (*scratch = prefix_successor(kc->sk_lo))) {
        bound = *scratch;
        how = STORE_SEEK_LT;
    }
    set_sort(&k, kc, bound);
    store_cursor_open(c, tree, &k, how);
}

/* ExclusiveStartKey: a key of the table (and of the index read) inside the query's range; the walk resumes after it. */
static bool seek_after(emu_ctx *ctx, store_cursor *c, const emu_source *src, const query_range *r, const cJSON *esk_json,
                       bool forward)
{
    store_value *esk = emu_source_start_key(ctx, src, esk_json);
    if (!esk) return false;
    if (!in_range(r, esk)) {
        store_release(esk);
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "The provided starting key is outside query boundaries based on provided conditions");
    }
    store_cursor_open_item(c, &src->tree, esk, forward ? STORE_SEEK_GT : STORE_SEEK_LT);
    store_release(esk);
    return true;
}

/* keys: the table's, or those of the index queried. */
static bool read_key_condition(emu_ctx *ctx, const store_key_schema *keys, emu_env *env, store_key_condition *kc)
{
    const char *expr;
    const cJSON *legacy;
    if (!emu_string(ctx, ctx->req, "KeyConditionExpression", &expr) || !emu_object(ctx, ctx->req, "KeyConditions", &legacy))
        return false;
    if (legacy) return emu_legacy_key_conditions(ctx, legacy, keys, kc);
    if (!expr)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
    return store_key_condition_parse_schema(expr, &env->env, keys, kc, &ctx->err);
}

/* The first key attribute a filter reads, if any. */
typedef struct key_use {
    const store_key_schema *keys;
    const store_value *found;
} key_use;

static void note_key_use(void *arg, const store_value *name, bool nested)
{
    key_use *u = arg;
    (void)nested;
    if (!u->found && store_key_has(u->keys, name)) u->found = name;
}

/* A Query's key attributes belong in its key condition, never in its filter. */
static bool refuse_key_filters(emu_ctx *ctx, const store_condition *filter, const store_key_schema *keys)
{
    key_use u = {keys, NULL};
    store_condition_each_path(filter, note_key_use, &u);
    if (!u.found) return true;
    return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                      "Filter Expression can only contain non-primary key attributes: Primary key attribute: %s",
                      store_bytes(u.found));
}

static bool refuse_legacy_key_filters(emu_ctx *ctx, const cJSON *query_filter, const store_key_schema *keys)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, query_filter) {
        store_value *name = store_name(m->string, strlen(m->string));
        bool is_key = store_key_has(keys, name);
        store_release(name);
        if (is_key)
            return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                              "QueryFilter can only contain non-primary key attributes: Primary key attribute: %s", m->string);
    }
    return true;
}

static bool read_filter(emu_ctx *ctx, emu_env *env, const store_key_schema *keys, store_condition **filter)
{
    const char *expr;
    const cJSON *legacy;
    *filter = NULL;
    if (!emu_string(ctx, ctx->req, "FilterExpression", &expr) || !emu_object(ctx, ctx->req, "QueryFilter", &legacy))
        return false;
    if (legacy) return refuse_legacy_key_filters(ctx, legacy, keys) && emu_legacy_filter(ctx, legacy, filter);
    if (!expr) return true;
    *filter = store_condition_parse_as("FilterExpression", expr, &env->env, &ctx->err);
    return *filter != NULL && refuse_key_filters(ctx, *filter, keys);
}

static bool run_query(emu_ctx *ctx, store_table *t, emu_env *env, emu_read_charge *charge)
{
    emu_source src;
    const cJSON *esk_json;
    bool has_forward, forward;
    long long limit;
    if (!emu_source_open(ctx, t, &src) || !emu_object(ctx, ctx->req, "ExclusiveStartKey", &esk_json) ||
        !emu_bool(ctx, ctx->req, "ScanIndexForward", &has_forward, &forward) || !emu_read_limit(ctx, &limit))
        return false;
    if (!has_forward) forward = true;
    /* AWS checks the start key against the schema before the key condition. */
    store_value *esk = esk_json ? emu_source_start_key(ctx, &src, esk_json) : NULL;
    if (esk_json && !esk) return false;
    store_release(esk);
    store_key_condition kc = {0};
    store_projection *projection = NULL;
    store_condition *filter = NULL;
    bool count_only, ok = read_key_condition(ctx, src.keys, env, &kc) &&
                          emu_source_select(ctx, env, &src, &projection, &count_only) &&
                          read_filter(ctx, env, src.keys, &filter) &&
                          emu_env_check_unused(ctx, env, true);
    if (ok) {
        query_range range = {&src.keys->names, &kc, NULL, NULL};
        store_cursor cursor;
        store_value *scratch = NULL;
        bool opened = true;
        if (esk_json) opened = seek_after(ctx, &cursor, &src, &range, esk_json, forward);
        else seek_range(&cursor, &src.tree, &kc, forward, &scratch);
        partition_walk walk = {partition_hash(src.tree.keys, &kc), false, false};
        walk.hash_unique = store_tree_hash_unique(&src.tree, walk.hash);
        range.cursor = &cursor, range.walk = &walk;
        emu_page page = {&cursor, in_range, &range, limit, filter, projection, count_only, &t->key,
                         emu_source_index_keys(&src)};
        charge->table = src.table;
        charge->index = src.index;
        ok = opened && emu_read_page(ctx, &page, &charge->bytes);
        if (opened) store_cursor_close(&cursor);
        store_release(scratch);
    }
    store_condition_free(filter);
    store_projection_free(projection);
    store_key_condition_clear(&kc);
    return ok;
}

/* In AWS's order, for the message naming those values could serve. */
static const char *const query_expressions[] = {"ProjectionExpression", "FilterExpression", "KeyConditionExpression", NULL};

bool emu_op_query(emu_ctx *ctx) { return emu_run_read(ctx, query_expressions, run_query); }
