/* store/expr_eval.c — ConditionExpression and FilterExpression: parsing one
 * and deciding it against an item. Every condition is evaluated here.
 *
 * As in DynamoDB, comparing values of different types is not an error: the
 * comparison is simply false. An absent attribute makes every comparison
 * false except "<>", and size() of a type without a size is absent. */
#include "store/expr_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

store_condition *store_condition_parse_as(const char *label, const char *text, store_expr_env *env,
                                          store_error *err)
{
    expr_parser ps;
    if (!expr_parser_init(&ps, label, GRAMMAR_CONDITION, text, env, err)) return NULL;
    expr_node *root = expr_parse_condition(&ps);
    bool ok = root && expr_parser_finish(&ps);
    expr_parser_done(&ps);
    store_condition *c = ok ? malloc(sizeof *c) : NULL;
    if (ok && !c) store_fail(err, STORE_ERR_INTERNAL, "out of memory");
    if (!c) { expr_node_free(root); return NULL; }
    c->root = root;
    return c;
}

store_condition *store_condition_parse(const char *text, store_expr_env *env, store_error *err)
{
    return store_condition_parse_as("ConditionExpression", text, env, err);
}

void store_condition_free(store_condition *c)
{
    if (!c) return;
    expr_node_free(c->root);
    free(c);
}

void store_condition_each_path(const store_condition *c, store_path_visit *visit, void *arg)
{
    expr_node_each_path(c->root, visit, arg);
}

int store_condition_eval(const store_condition *c, const store_value *item, store_error *err)
{
    (void)err; /* no condition DynamoDB accepts fails once it sees the item */
    return expr_eval(c->root, item);
}

/* ---------------------------------------------------------------- operands */

/* size(): bytes of S and B, members of sets and lists, entries of maps. */
static store_value *size_of(const store_value *v)
{
    if (v->type == STORE_N || v->type == STORE_BOOL || v->type == STORE_NULL) return NULL;
    char text[16];
    int len = snprintf(text, sizeof text, "%u", v->len);
    return store_value_bytes(STORE_N, text, (size_t)len);
}

const store_value *expr_operand_value(const expr_node *n, const store_value *item, store_value **owned)
{
    *owned = NULL;
    switch (n->kind) {
    case EXPR_PATH:
        return item ? expr_path_get(item, &n->path) : NULL;
    case EXPR_VALUE:
        return n->value;
    case EXPR_FUNC:
        if (n->op == FN_SIZE) {
            store_value *inner_owned;
            const store_value *v = expr_operand_value(n->args[0], item, &inner_owned);
            *owned = v ? size_of(v) : NULL;
            store_release(inner_owned);
            return *owned;
        }
        return NULL;
    default:
        return NULL;
    }
}

/* ---------------------------------------------------------------- comparisons */

static bool is_scalar(const store_value *v)
{
    return v->type == STORE_S || v->type == STORE_N || v->type == STORE_B;
}

static bool ordered(const store_value *a, const store_value *b)
{
    return a && b && a->type == b->type && is_scalar(a);
}

static int compare(int op, const store_value *a, const store_value *b)
{
    switch (op) {
    case TOK_EQ: return a && b && store_value_equal(a, b);
    case TOK_NE: return !(a && b && store_value_equal(a, b));
    default: break;
    }
    if (!ordered(a, b)) return 0;
    int c = store_scalar_compare(a, b);
    switch (op) {
    case TOK_LT: return c < 0;
    case TOK_LE: return c <= 0;
    case TOK_GT: return c > 0;
    default: return c >= 0;
    }
}

static bool starts_with(const store_value *a, const store_value *prefix)
{
    return a->len >= prefix->len && memcmp(store_bytes(a), store_bytes(prefix), prefix->len) == 0;
}

static bool has_substring(const store_value *a, const store_value *needle)
{
    if (needle->len == 0) return true;
    return memmem(store_bytes(a), a->len, store_bytes(needle), needle->len) != NULL;
}

static bool list_has(const store_value *l, const store_value *v)
{
    for (uint32_t i = 0; i < l->len; i++)
        if (store_value_equal(store_elems(l)[i], v)) return true;
    return false;
}

/* contains(): a substring of S or B, a member of a set, an element of a list. */
static bool contains(const store_value *a, const store_value *b)
{
    if (!a || !b) return false;
    if ((a->type == STORE_S || a->type == STORE_B) && b->type == a->type) return has_substring(a, b);
    if (store_type_is_set(a->type)) return b->type == store_set_element_type(a->type) && list_has(a, b);
    if (a->type == STORE_L) return list_has(a, b);
    return false;
}

static bool type_is(const store_value *v, const store_value *name)
{
    const char *t = store_type_name((store_type)v->type);
    return name->type == STORE_S && strlen(t) == name->len && memcmp(t, store_bytes(name), name->len) == 0;
}

/* ---------------------------------------------------------------- conditions */

typedef struct operands {
    const store_value *v[3];
    store_value *owned[3];
    uint32_t n;
} operands;

static void operands_load(operands *o, const expr_node *n, const store_value *item, uint32_t count)
{
    o->n = count;
    for (uint32_t i = 0; i < count; i++) o->v[i] = expr_operand_value(n->args[i], item, &o->owned[i]);
}

static void operands_release(operands *o)
{
    for (uint32_t i = 0; i < o->n; i++) store_release(o->owned[i]);
}

static int eval_function(const expr_node *n, const store_value *item)
{
    operands o = {0};
    operands_load(&o, n, item, n->nargs < 2 ? n->nargs : 2);
    const store_value *a = o.v[0], *b = o.n > 1 ? o.v[1] : NULL;
    int r = 0;
    switch (n->op) {
    case FN_ATTRIBUTE_EXISTS: r = a != NULL; break;
    case FN_ATTRIBUTE_NOT_EXISTS: r = a == NULL; break;
    case FN_ATTRIBUTE_TYPE: r = a && b && type_is(a, b); break;
    case FN_BEGINS_WITH:
        r = a && b && a->type == b->type && (a->type == STORE_S || a->type == STORE_B) && starts_with(a, b);
        break;
    case FN_CONTAINS: r = contains(a, b); break;
    default: break;
    }
    operands_release(&o);
    return r;
}

static int eval_between(const expr_node *n, const store_value *item)
{
    operands o = {0};
    operands_load(&o, n, item, 3);
    int r = ordered(o.v[0], o.v[1]) && ordered(o.v[0], o.v[2]) &&
            store_scalar_compare(o.v[1], o.v[0]) <= 0 && store_scalar_compare(o.v[0], o.v[2]) <= 0;
    operands_release(&o);
    return r;
}

static int eval_in(const expr_node *n, const store_value *item)
{
    store_value *owned;
    const store_value *a = expr_operand_value(n->args[0], item, &owned);
    int r = 0;
    for (uint32_t i = 1; a && !r && i < n->nargs; i++) {
        store_value *candidate_owned;
        const store_value *candidate = expr_operand_value(n->args[i], item, &candidate_owned);
        r = candidate && store_value_equal(a, candidate);
        store_release(candidate_owned);
    }
    store_release(owned);
    return r;
}

static int eval_compare(const expr_node *n, const store_value *item)
{
    operands o = {0};
    operands_load(&o, n, item, 2);
    int r = compare(n->op, o.v[0], o.v[1]);
    operands_release(&o);
    return r;
}

int expr_eval(const expr_node *n, const store_value *item)
{
    switch (n->kind) {
    case EXPR_AND: return expr_eval(n->args[0], item) && expr_eval(n->args[1], item);
    case EXPR_OR: return expr_eval(n->args[0], item) || expr_eval(n->args[1], item);
    case EXPR_NOT: return !expr_eval(n->args[0], item);
    case EXPR_CMP: return eval_compare(n, item);
    case EXPR_BETWEEN: return eval_between(n, item);
    case EXPR_IN: return eval_in(n, item);
    case EXPR_FUNC: return eval_function(n, item);
    default: return 0;
    }
}
