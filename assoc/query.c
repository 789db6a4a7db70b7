/* assoc/query.c — association querying as Dynomite documents it: besides
 * the association's own `where` (equality, filtered in memory), the query
 * interface of `user.posts.relation.where(title: "post 1").and.not(category:
 * "ruby").or("updated_at.gt": ...)`. A chain of steps (where / and, not,
 * or), each a map of "attr" (equality) or "attr.op" (lt, lte, gt, gte, eq,
 * between, in, begins_with, each also as not_<op>) to values, becomes one
 * condition of the expression language (store/expr.h), evaluated on each
 * child the way a FilterExpression is: the groups of a chain are ANDed, an
 * `or` step starts a new group of them, as Dynomite joins them. The text is
 * written with NOT > AND > OR precedence and a parenthesis only where one
 * is needed, since the language refuses redundant ones. */
#include "assoc/internal.h"
#include "store/expr.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct assoc_relation {
    store_condition *condition;
    store_value *names, *values;   /* M values the condition refers to */
};

/* The expression text, grown as the chain is read. */
typedef struct text {
    char *s;
    size_t len, cap;
    bool oom;
} text;

static void append(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void append(text *t, const char *fmt, ...)
{
    va_list ap;
    for (int tries = 0; !t->oom && tries < 2; tries++) {
        va_start(ap, fmt);
        int n = vsnprintf(t->s ? t->s + t->len : NULL, t->s ? t->cap - t->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) { t->oom = true; return; }
        if (t->s && t->len + (size_t)n < t->cap) { t->len += (size_t)n; return; }
        size_t cap = (t->cap + (size_t)n + 1) * 2;
        char *grown = realloc(t->s, cap);
        if (!grown) { t->oom = true; return; }
        t->s = grown;
        t->cap = cap;
    }
}

/* The names (#nK) and values (:vK) the text refers to. */
typedef struct bindings {
    store_entry *names, *values;
    size_t n_names, n_values, cap_names, cap_values;
    bool oom;
} bindings;

static int bind(store_entry **list, size_t *n, size_t *cap, bool *oom, const char *prefix, store_value *value)
{
    if (*n == *cap) {
        size_t grown = *cap ? *cap * 2 : 8;
        store_entry *e = realloc(*list, grown * sizeof *e);
        if (!e) { *oom = true; store_release(value); return -1; }
        *list = e;
        *cap = grown;
    }
    char key[32];
    int len = snprintf(key, sizeof key, "%s%zu", prefix, *n);
    (*list)[*n] = (store_entry){store_name(key, (size_t)len), value};
    return (int)(*n)++;
}

static int bind_name(bindings *b, const char *attr, size_t len)
{
    return bind(&b->names, &b->n_names, &b->cap_names, &b->oom, "#n", store_value_bytes(STORE_S, attr, len));
}

static int bind_value(bindings *b, const store_value *v)
{
    return bind(&b->values, &b->n_values, &b->cap_values, &b->oom, ":v", store_retain((store_value *)v));
}

static const char *const comparisons[][2] = {
    {"eq", "="}, {"lt", "<"}, {"lte", "<="}, {"gt", ">"}, {"gte", ">="},
};

/* One "attr.op": value, as text. The suffix after the last '.' is an
 * operator only when it is one of Dynomite's; otherwise the whole key is the
 * attribute's name, compared for equality. */
static bool comparison(text *t, bindings *b, const char *key, const store_value *v, store_error *err)
{
    const char *dot = strrchr(key, '.'), *op = dot ? dot + 1 : "";
    bool negated = strncmp(op, "not_", 4) == 0;
    const char *bare = negated ? op + 4 : op;
    static const char *const functions[] = {"between", "in", "begins_with"};
    const char *symbol = NULL;
    for (size_t i = 0; i < sizeof comparisons / sizeof *comparisons && !symbol; i++)
        if (strcmp(bare, comparisons[i][0]) == 0) symbol = comparisons[i][1];
    bool function = false;
    for (size_t i = 0; i < sizeof functions / sizeof *functions && !function; i++) function = strcmp(bare, functions[i]) == 0;
    size_t attr_len = symbol || function ? (size_t)(dot - key) : strlen(key);
    if (!symbol && !function) symbol = "=", negated = false;
    if (attr_len == 0)
        return store_fail(err, STORE_ERR_VALIDATION, "relation: %s names no attribute before its operator", key);
    int n = bind_name(b, key, attr_len);
    append(t, "%s", negated ? "NOT " : "");
    if (symbol) append(t, "#n%d %s :v%d", n, symbol, bind_value(b, v));
    else if (strcmp(bare, "begins_with") == 0) append(t, "begins_with(#n%d, :v%d)", n, bind_value(b, v));
    else {
        bool between = strcmp(bare, "between") == 0;
        if (v->type != STORE_L || (between ? v->len != 2 : (v->len == 0 || v->len > STORE_EXPR_MAX_IN)))
            return store_fail(err, STORE_ERR_VALIDATION,
                              between ? "relation: %s takes a list (L) of two values"
                                      : "relation: %s takes a list (L) of 1 to 100 values",
                              key);
        append(t, between ? "#n%d BETWEEN " : "#n%d IN (", n);
        for (size_t i = 0; i < v->len; i++)
            append(t, "%s:v%d", i == 0 ? "" : between ? " AND " : ", ", bind_value(b, store_elems(v)[i]));
        if (!between) append(t, ")");
    }
    return true;
}

static bool group(text *t, bindings *b, const assoc_step *step, size_t *total, store_error *err)
{
    const store_value *m = step->conditions;
    if (!m || m->type != STORE_M || m->len == 0)
        return store_fail(err, STORE_ERR_VALIDATION, "relation: each step is a non-empty map of attributes to values");
    if ((*total += m->len) > ASSOC_MAX_RELATION_CONDITIONS)
        return store_fail(err, STORE_ERR_VALIDATION, "relation: more than %d conditions", ASSOC_MAX_RELATION_CONDITIONS);
    bool negated = step->kind == ASSOC_STEP_NOT, bracketed = negated && m->len > 1;
    append(t, "%s%s", negated ? "NOT " : "", bracketed ? "(" : "");
    for (size_t i = 0; i < m->len; i++) {
        if (i) append(t, " AND ");
        const store_entry *e = &store_entries(m)[i];
        if (!comparison(t, b, store_bytes(e->name), e->value, err)) return false;
    }
    append(t, "%s", bracketed ? ")" : "");
    return true;
}

static bool chain_text(text *t, bindings *b, const assoc_step *steps, size_t n, store_error *err)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        if (i) append(t, steps[i].kind == ASSOC_STEP_OR ? " OR " : " AND ");
        if ((unsigned)steps[i].kind > ASSOC_STEP_OR)
            return store_fail(err, STORE_ERR_VALIDATION, "relation: unknown step");
        if (!group(t, b, &steps[i], &total, err)) return false;
    }
    return true;
}

static store_value *map_of(store_entry *e, size_t n)
{
    store_entry none[1];
    return store_value_map(n ? e : none, n);
}

void assoc_relation_free(assoc_relation *rel)
{
    if (!rel) return;
    store_condition_free(rel->condition);
    store_release(rel->names);
    store_release(rel->values);
    free(rel);
}

assoc_relation *assoc_relation_new(const assoc_step *steps, size_t n, store_error *err)
{
    if (n == 0) return store_fail(err, STORE_ERR_VALIDATION, "relation: a chain needs at least one step"), NULL;
    text t = {0};
    bindings b = {0};
    assoc_relation *rel = calloc(1, sizeof *rel);
    bool ok = rel && chain_text(&t, &b, steps, n, err);
    if (rel && (t.oom || b.oom)) ok = assoc_oom(err);
    if (rel) {
        rel->names = map_of(b.names, b.n_names);
        rel->values = map_of(b.values, b.n_values);
        ok = ok && rel->names && rel->values;
    } else {
        store_entries_release(b.names, b.n_names);
        store_entries_release(b.values, b.n_values);
    }
    free(b.names);
    free(b.values);
    bool *used = ok ? calloc(b.n_names + b.n_values + 1, sizeof *used) : NULL;
    store_expr_env env = {rel ? rel->names : NULL, rel ? rel->values : NULL, used, used ? used + b.n_names : NULL, true};
    if (used) ok = (rel->condition = store_condition_parse_as("relation", t.s, &env, err)) != NULL;
    else if (ok) ok = assoc_oom(err);
    free(used);
    free(t.s);
    if (!ok) assoc_relation_free(rel), rel = NULL;
    if (!rel && err->status == 0) assoc_oom(err);
    return rel;
}

int assoc_relation_matches(const assoc_relation *rel, const store_value *item, store_error *err)
{
    return rel ? store_condition_eval(rel->condition, item, err) : 1;
}
