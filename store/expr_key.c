/* store/expr_key.c — KeyConditionExpression: a condition of the condition
 * grammar, narrowed to what a Query can use and checked against the key
 * schema of the table or index queried.
 *
 * The shape DynamoDB accepts: "pk = :v", optionally ANDed (either order)
 * with one sort key condition: = < <= > >=, BETWEEN or begins_with. A GSI's
 * multi-attribute key takes = on every partition attribute and conditions
 * on a leading run of its sort attributes, = on all but the last. Each
 * refusal below carries DynamoDB's own message, in the order DynamoDB checks. */
#include "store/expr_internal.h"
#include "store/table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_MAX_CONDITIONS 8

/* One comparison on one attribute, written with the attribute first. */
typedef struct key_term {
    const store_value *name;
    store_key_op op;
    const store_value *values[2];
    uint32_t nvalues;
} key_term;

typedef struct key_terms {
    key_term term[KEY_MAX_CONDITIONS];
    size_t count;
} key_terms;

static bool refuse(store_error *err, const char *message)
{
    return store_fail(err, STORE_ERR_VALIDATION, "%s", message);
}

/* The operator a comparison has when its operands are swapped. */
static store_key_op key_op(int tok, bool swapped)
{
    switch (tok) {
    case TOK_EQ: return STORE_KEY_EQ;
    case TOK_LT: return swapped ? STORE_KEY_GT : STORE_KEY_LT;
    case TOK_LE: return swapped ? STORE_KEY_GE : STORE_KEY_LE;
    case TOK_GT: return swapped ? STORE_KEY_LT : STORE_KEY_GT;
    default: return swapped ? STORE_KEY_LE : STORE_KEY_GE;
    }
}

static bool check_operator(const expr_node *n, store_error *err)
{
    if (n->kind == EXPR_OR) return refuse(err, "Invalid operator used in KeyConditionExpression: OR");
    if (n->kind == EXPR_NOT) return refuse(err, "Invalid operator used in KeyConditionExpression: NOT");
    if (n->kind == EXPR_IN) return refuse(err, "Invalid operator used in KeyConditionExpression: IN");
    if (n->kind == EXPR_CMP && n->op == TOK_NE) return refuse(err, "Invalid operator used in KeyConditionExpression: <>");
    if (n->kind != EXPR_FUNC) return true;
    if (n->op == FN_SIZE) return refuse(err, "KeyConditionExpressions cannot contain nested operations");
    if (n->op != FN_BEGINS_WITH)
        return store_fail(err, STORE_ERR_VALIDATION, "Invalid operator used in KeyConditionExpression: %s",
                          expr_func_name((expr_func)n->op));
    return true;
}

static bool check_first_operand(const expr_node *n, store_error *err)
{
    if (n->args[0]->kind == EXPR_PATH) return true;
    return store_fail(err, STORE_ERR_VALIDATION,
                      "Invalid condition in KeyConditionExpression: %s operator must have the key attribute as its "
                      "first operand", n->kind == EXPR_BETWEEN ? "BETWEEN" : "begins_with");
}

/* The operands of one comparison: exactly one top-level attribute, values. */
static bool read_operands(const expr_node *n, key_term *t, store_error *err)
{
    int path_at = -1;
    for (uint32_t i = 0; i < n->nargs; i++) {
        const expr_node *a = n->args[i];
        if (a->kind == EXPR_FUNC && !check_operator(a, err)) return false;
        if (a->kind != EXPR_PATH) { if (a->kind == EXPR_VALUE) t->values[t->nvalues++] = a->value; continue; }
        if (path_at >= 0)
            return refuse(err, "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
        if (a->path.count > 1 || !a->path.steps[0].name)
            return refuse(err, "KeyConditionExpressions cannot have conditions on nested attributes");
        path_at = (int)i;
        t->name = a->path.steps[0].name;
    }
    if (path_at < 0) return refuse(err, "Invalid condition in KeyConditionExpression: No key attribute specified");
    if (n->kind == EXPR_CMP) t->op = key_op(n->op, path_at != 0);
    return true;
}

/* BETWEEN's bounds: of one type and in order, both quoted as AWS quotes them. */
static bool check_between(const key_term *t, store_error *err)
{
    if (t->op != STORE_KEY_BETWEEN || t->nvalues != 2) return true;
    const store_value *lo = t->values[0], *hi = t->values[1];
    bool scalar = lo->type == STORE_S || lo->type == STORE_N || lo->type == STORE_B;
    const char *problem = lo->type != hi->type ? "same data type for lower and upper bounds"
                        : scalar && store_scalar_compare(lo, hi) > 0 ? "upper bound to be greater than or equal to lower bound"
                        : NULL;
    if (!problem) return true;
    return store_fail(err, STORE_ERR_VALIDATION,
                      "Invalid KeyConditionExpression: The BETWEEN operator requires %s; lower bound operand: "
                      "AttributeValue: {%s:%.*s}, upper bound operand: AttributeValue: {%s:%.*s}",
                      problem, store_type_name(lo->type), (int)lo->len, store_bytes(lo), store_type_name(hi->type),
                      (int)hi->len, store_bytes(hi));
}

static bool check_leaf(const expr_node *n, key_terms *terms, store_error *err)
{
    if (!check_operator(n, err)) return false;
    if ((n->kind == EXPR_BETWEEN || n->kind == EXPR_FUNC) && !check_first_operand(n, err)) return false;
    key_term t = {0};
    t.op = n->kind == EXPR_BETWEEN ? STORE_KEY_BETWEEN : STORE_KEY_BEGINS_WITH;
    if (!read_operands(n, &t, err) || !check_between(&t, err)) return false;
    for (size_t i = 0; i < terms->count; i++)
        if (store_value_equal(terms->term[i].name, t.name))
            return refuse(err, "KeyConditionExpressions must only contain one condition per key");
    if (terms->count == KEY_MAX_CONDITIONS) return refuse(err, "Conditions can be of length 1 or 2 only");
    terms->term[terms->count++] = t;
    return true;
}

/* Depth first, left to right, as DynamoDB reports the first problem. */
static bool collect(const expr_node *n, key_terms *terms, store_error *err)
{
    if (n->kind != EXPR_AND) return check_leaf(n, terms, err);
    return collect(n->args[0], terms, err) && collect(n->args[1], terms, err);
}

static const key_term *find_term(const key_terms *terms, const store_value *name)
{
    for (size_t i = 0; name && i < terms->count; i++)
        if (store_value_equal(terms->term[i].name, name)) return &terms->term[i];
    return NULL;
}

/* The term on each attribute of the key schema, in schema order (NULL: none),
 * looked up once for all the checks below. */
typedef struct key_slots {
    const key_term *at[2 * STORE_MAX_KEY_ATTRS];
} key_slots;

static key_slots place_terms(const key_terms *terms, const store_key_schema *k)
{
    key_slots slots = {{NULL}};
    for (size_t i = 0; i < store_key_count(k); i++) slots.at[i] = find_term(terms, store_key_name(k, i));
    return slots;
}

static bool check_values(const key_term *t, const store_value *name, store_type type, store_error *err)
{
    for (uint32_t i = 0; i < t->nvalues; i++) {
        const store_value *v = t->values[i];
        if (v->type != type)
            return refuse(err, "One or more parameter values were invalid: Condition parameter type does not match "
                               "schema type");
        if ((v->type == STORE_S || v->type == STORE_B) && v->len == 0)
            return store_fail(err, STORE_ERR_VALIDATION,
                              "One or more parameter values are not valid. The AttributeValue for a key attribute "
                              "cannot contain an empty string value. Key: %.*s", (int)name->len, store_bytes(name));
    }
    return true;
}

static bool missed(store_error *err, const store_value *name)
{
    return store_fail(err, STORE_ERR_VALIDATION, "Query condition missed key schema element: %.*s",
                      (int)name->len, store_bytes(name));
}

static bool check_schema(const key_terms *terms, const key_slots *slots, const store_value *pk_name,
                         store_type pk_type, const store_value *sk_name, store_type sk_type, store_error *err)
{
    if (!sk_name && terms->count > 1) return refuse(err, "Query key condition not supported");
    const key_term *pk = slots->at[0], *sk = sk_name ? slots->at[1] : NULL;
    if (!pk) return missed(err, pk_name);
    if (!check_values(pk, pk_name, pk_type, err)) return false;
    if (pk->op != STORE_KEY_EQ) return refuse(err, "Query key condition not supported");
    if (terms->count > 1 && !sk) return missed(err, sk_name);
    if (sk && !check_values(sk, sk_name, sk_type, err)) return false;
    if (terms->count > 2) return refuse(err, "Conditions can be of length 1 or 2 only");
    return true;
}

/* The attributes of k from `from` up to (not including) `to` that lack an
 * equality in terms, as DynamoDB lists them: "a, b". False when none does. */
static bool lacking_equality(const key_slots *slots, const store_key_schema *k, size_t from, size_t to, char *out,
                             size_t cap)
{
    size_t len = 0;
    out[0] = 0;
    for (size_t i = from; i < to; i++) {
        const store_value *name = store_key_name(k, i);
        const key_term *t = slots->at[i];
        if (t && t->op == STORE_KEY_EQ) continue;
        int n = snprintf(out + len, cap - len, "%s%.*s", len ? ", " : "", (int)name->len, store_bytes(name));
        if (n < 0 || (size_t)n >= cap - len) break; /* cut at the message's size */
        len += (size_t)n;
    }
    return out[0] != 0;
}

/* The values given for the key attributes of k from `from` to `to`. */
static bool check_key_values(const key_slots *slots, const store_key_schema *k, size_t from, size_t to,
                             store_error *err)
{
    for (size_t i = from; i < to; i++) {
        const key_term *t = slots->at[i];
        if (t && !check_values(t, store_key_name(k, i), store_key_type(k, i), err)) return false;
    }
    return true;
}

/* A partition key of several attributes takes = on each. A Query of such an
 * index that lacks one is refused with DynamoDB's text, of which a quoted AWS
 * answer shows the start ("HASH key attributes createdAt must have equality
 * conditions"); the rest follows its RANGE counterpart below. A partition key
 * of one attribute keeps a table's refusals. */
static bool check_partition(const key_slots *slots, const store_key_schema *k, store_error *err)
{
    size_t n_pk = store_key_partition_count(k);
    char lacking[STORE_ERROR_MESSAGE_MAX];
    if (!check_key_values(slots, k, 0, n_pk, err)) return false;
    if (n_pk > 1 && lacking_equality(slots, k, 0, n_pk, lacking, sizeof lacking))
        return store_fail(err, STORE_ERR_VALIDATION,
                          "HASH key attributes %s must have equality conditions specified in the query", lacking);
    const key_term *pk = slots->at[0];
    if (!pk) return missed(err, store_key_name(k, 0));
    if (pk->op != STORE_KEY_EQ) return refuse(err, "Query key condition not supported");
    return true;
}

/* Sort attributes are given from the first on, = on all before the last one
 * named: AWS names those that lack it and that last one. */
static bool check_sort(const key_terms *terms, const key_slots *slots, const store_key_schema *k, store_error *err)
{
    size_t n_pk = store_key_partition_count(k), last = 0, named = 0;
    for (size_t i = n_pk; i < store_key_count(k); i++)
        if (slots->at[i]) last = i, named++;
    char lacking[STORE_ERROR_MESSAGE_MAX];
    if (named && lacking_equality(slots, k, n_pk, last, lacking, sizeof lacking)) {
        const store_value *at = store_key_name(k, last);
        return store_fail(err, STORE_ERR_VALIDATION,
                          "RANGE key attributes %s must have equality conditions specified in the query because a "
                          "condition is present on key attribute %.*s",
                          lacking, (int)at->len, store_bytes(at));
    }
    if (!check_key_values(slots, k, n_pk, store_key_count(k), err)) return false;
    if (n_pk + named == terms->count) return true;
    /* A condition on an attribute outside the key. */
    if (n_pk + named < store_key_count(k)) return missed(err, store_key_name(k, n_pk + named));
    return refuse(err, "Query key condition not supported");
}

/* A multi-attribute key (a GSI's): every partition attribute with =, then
 * sort attributes from the first on without a gap, only the last of them
 * with other than =. */
static bool check_multi_schema(const key_terms *terms, const key_slots *slots, const store_key_schema *k,
                               store_error *err)
{
    return check_partition(slots, k, err) && check_sort(terms, slots, k, err);
}

static bool check_keys(const key_terms *terms, const key_slots *slots, const store_key_schema *k, store_error *err)
{
    if (store_key_partition_count(k) == 1 && store_key_count(k) <= 2)
        return check_schema(terms, slots, k->names.pk_name, k->pk_type, k->names.sk_name, k->sk_type, err);
    return check_multi_schema(terms, slots, k, err);
}

/* The checks passed: the partition values, then the sort conditions in
 * schema order, all equalities but the last. */
static void fill(store_key_condition *out, const key_slots *slots, const store_key_schema *k)
{
    size_t n_pk = store_key_partition_count(k);
    memset(out, 0, sizeof *out);
    out->pk = store_retain((store_value *)slots->at[0]->values[0]);
    for (size_t i = 1; i < n_pk; i++) out->pk_more[i - 1] = store_retain((store_value *)slots->at[i]->values[0]);
    const key_term *sorted[STORE_MAX_KEY_ATTRS];
    size_t n = 0;
    for (size_t i = n_pk; i < store_key_count(k) && slots->at[i]; i++) sorted[n++] = slots->at[i];
    if (n == 0) return;
    for (size_t j = 0; j + 1 < n; j++) out->sk_eq[out->n_sk_eq++] = store_retain((store_value *)sorted[j]->values[0]);
    const key_term *last = sorted[n - 1];
    out->sk_op = last->op;
    out->sk_lo = store_retain((store_value *)last->values[0]);
    if (last->nvalues > 1) out->sk_hi = store_retain((store_value *)last->values[1]);
}

bool store_key_condition_parse_schema(const char *text, store_expr_env *env, const store_key_schema *keys,
                                      store_key_condition *out, store_error *err)
{
    memset(out, 0, sizeof *out);
    expr_parser ps;
    if (!expr_parser_init(&ps, "KeyConditionExpression", GRAMMAR_CONDITION, text, env, err)) return false;
    expr_node *root = expr_parse_condition(&ps);
    bool ok = root && expr_parser_finish(&ps);
    expr_parser_done(&ps);
    key_terms terms = {.count = 0};
    ok = ok && collect(root, &terms, err);
    key_slots slots = ok && keys ? place_terms(&terms, keys) : (key_slots){{NULL}};
    ok = ok && (!keys || check_keys(&terms, &slots, keys, err));
    if (ok && keys) fill(out, &slots, keys);
    expr_node_free(root);
    return ok;
}

bool store_key_condition_parse(const char *text, store_expr_env *env,
                               const store_value *pk_name, store_type pk_type,
                               const store_value *sk_name, store_type sk_type,
                               store_key_condition *out, store_error *err)
{
    store_key_schema k = {.names = {.pk_name = (store_value *)pk_name, .sk_name = (store_value *)sk_name},
                          .pk_type = pk_type, .sk_type = sk_type};
    return store_key_condition_parse_schema(text, env, &k, out, err);
}

void store_key_condition_clear(store_key_condition *kc)
{
    store_release(kc->pk);
    for (size_t i = 0; i < STORE_KEY_MORE; i++) {
        store_release(kc->pk_more[i]);
        store_release(kc->sk_eq[i]);
    }
    store_release(kc->sk_lo);
    store_release(kc->sk_hi);
    memset(kc, 0, sizeof *kc);
}
