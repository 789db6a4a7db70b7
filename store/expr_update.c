/* store/expr_update.c — UpdateExpression: parsing its SET, REMOVE, ADD and
 * DELETE sections and applying them to an item.
 *
 * Values are immutable, so an action rebuilds the maps and lists on the way
 * from the item down to the path it writes and shares everything else. As
 * in DynamoDB, every operand of SET is read from the item as it was before
 * the update, and list elements named by REMOVE are the ones at those
 * positions before any of them is removed. */
#include "store/decimal.h"
#include "store/expr_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum action_kind { ACT_SET, ACT_REMOVE, ACT_ADD, ACT_DELETE } action_kind;

static const char *const section_names[] = {"SET", "REMOVE", "ADD", "DELETE"};

typedef struct update_action {
    action_kind kind;
    expr_path path;
    expr_node *value;       /* SET: the value; ADD/DELETE: the operand; REMOVE: NULL */
} update_action;

struct store_update {
    update_action *actions;
    size_t count;
    store_value **names;    /* distinct top-level names written */
    size_t nnames;
};

void store_update_free(store_update *u)
{
    if (!u) return;
    for (size_t i = 0; i < u->count; i++) {
        expr_path_clear(&u->actions[i].path);
        expr_node_free(u->actions[i].value);
    }
    free(u->actions);
    free(u->names); /* borrowed from the paths */
    free(u);
}

size_t store_update_paths(const store_update *u, const store_value ***names)
{
    *names = (const store_value **)u->names;
    return u->nnames;
}

store_projection *store_update_projection(const store_update *u)
{
    expr_path *paths = malloc((u->count ? u->count : 1) * sizeof *paths);
    if (!paths) return NULL;
    for (size_t i = 0; i < u->count; i++) paths[i] = u->actions[i].path;
    store_projection *p = expr_projection_of(paths, u->count);
    free(paths);
    return p;
}

void store_update_each_path(const store_update *u, store_path_visit *visit, void *arg)
{
    for (size_t i = 0; i < u->count; i++) {
        const update_action *a = &u->actions[i];
        visit(arg, a->path.steps[0].name, a->path.count > 1);
        if (a->value) expr_node_each_path(a->value, visit, arg);
    }
}

/* ---------------------------------------------------------------- parsing */

static update_action *new_action(expr_parser *p, store_update *u, size_t *cap, action_kind kind)
{
    if (u->count == *cap) {
        size_t n = *cap ? *cap * 2 : 4;
        update_action *grown = realloc(u->actions, n * sizeof *grown);
        if (!grown) { expr_out_of_memory(p); return NULL; }
        u->actions = grown;
        *cap = n;
    }
    update_action *a = &u->actions[u->count];
    memset(a, 0, sizeof *a);
    a->kind = kind;
    return a;
}

/* DynamoDB names the type of a refused ADD or DELETE operand in words. */
static const char *type_words(store_type t)
{
    switch (t) {
    case STORE_S: return "STRING";
    case STORE_N: return "NUMBER";
    case STORE_B: return "BINARY";
    case STORE_NULL: return "NULL";
    case STORE_BOOL: return "BOOLEAN";
    case STORE_L: return "LIST";
    case STORE_M: return "MAP";
    default: return NULL; /* sets are what ADD and DELETE take */
    }
}

static void check_add_delete_operand(expr_parser *p, action_kind kind, const store_value *v)
{
    const char *words = type_words((store_type)v->type);
    if (!words || (kind == ACT_ADD && v->type == STORE_N)) return;
    expr_fault_set(p, FAULT_OPERAND_TYPE,
                   "Incorrect operand type for operator or function; operator: %s, operand type: %s",
                   section_names[kind], words);
}

/* One action of a section: "path = value", "path", or "path :value". */
static bool parse_action(expr_parser *p, update_action *a)
{
    if (!expr_parse_path(p, &a->path)) return false;
    if (a->kind == ACT_REMOVE) return true;
    if (a->kind == ACT_SET) {
        if (!expr_accept(p, TOK_EQ)) return expr_syntax_error(p);
        a->value = expr_parse_set_value(p);
        return a->value != NULL;
    }
    if (expr_peek(p)->kind != TOK_VALUE) return expr_syntax_error(p);
    a->value = calloc(1, sizeof *a->value);
    if (!a->value) return expr_out_of_memory(p);
    a->value->kind = EXPR_VALUE;
    a->value->value = expr_resolve_value(p, expr_peek(p));
    expr_accept(p, TOK_VALUE);
    if (a->value->value) check_add_delete_operand(p, a->kind, a->value->value);
    else a->value->value = store_value_null(); /* stands in; the fault fails the parse */
    return true;
}

static int section_at(const expr_parser *p)
{
    for (int k = ACT_SET; k <= ACT_DELETE; k++)
        if (expr_at_keyword(p, section_names[k])) return k;
    return -1;
}

static bool parse_section(expr_parser *p, store_update *u, size_t *cap, bool seen[4])
{
    int kind = section_at(p);
    if (kind < 0) return expr_syntax_error(p);
    if (seen[kind])
        expr_fault_set(p, FAULT_SECTION, "The \"%s\" section can only be used once in an update expression;",
                       section_names[kind]);
    seen[kind] = true;
    expr_accept(p, TOK_IDENT);
    do {
        update_action *a = new_action(p, u, cap, (action_kind)kind);
        if (!a) return false;
        u->count++; /* counted now so a half-parsed action is freed with the rest */
        if (!parse_action(p, a)) return false;
    } while (expr_accept(p, TOK_COMMA));
    return true;
}

static bool collect_names(store_update *u)
{
    u->names = malloc((u->count ? u->count : 1) * sizeof *u->names);
    if (!u->names) return false;
    for (size_t i = 0; i < u->count; i++) {
        store_value *name = u->actions[i].path.steps[0].name;
        bool seen = false;
        for (size_t j = 0; j < u->nnames && !seen; j++) seen = store_value_equal(u->names[j], name);
        if (!seen) u->names[u->nnames++] = name;
    }
    return true;
}

static void check_update_paths(expr_parser *p, const store_update *u)
{
    expr_path *paths = malloc((u->count ? u->count : 1) * sizeof *paths);
    if (!paths) { expr_out_of_memory(p); return; }
    for (size_t i = 0; i < u->count; i++) paths[i] = u->actions[i].path;
    expr_check_paths(p, paths, u->count);
    free(paths);
}

store_update *store_update_parse(const char *text, store_expr_env *env, store_error *err)
{
    expr_parser ps;
    if (!expr_parser_init(&ps, "UpdateExpression", GRAMMAR_UPDATE, text, env, err)) return NULL;
    store_update *u = calloc(1, sizeof *u);
    bool ok = u != NULL || expr_out_of_memory(&ps);
    size_t cap = 0;
    bool seen[4] = {false, false, false, false};
    do {
        ok = ok && parse_section(&ps, u, &cap, seen);
    } while (ok && expr_peek(&ps)->kind != TOK_EOF);
    if (ok) check_update_paths(&ps, u);
    ok = ok && expr_parser_finish(&ps);
    if (ok && !collect_names(u)) ok = store_fail(err, STORE_ERR_INTERNAL, "out of memory");
    expr_parser_done(&ps);
    if (!ok) { store_update_free(u); return NULL; }
    return u;
}

/* ---------------------------------------------------------------- SET operands */

static bool wrong_type(store_error *err)
{
    return store_fail(err, STORE_ERR_VALIDATION, "An operand in the update expression has an incorrect data type");
}

static bool invalid_path(store_error *err)
{
    return store_fail(err, STORE_ERR_VALIDATION, "The document path provided in the update expression is invalid for update");
}

static store_value *set_value(const expr_node *n, const store_value *item, store_error *err);

static store_value *list_append(const expr_node *n, const store_value *item, store_error *err)
{
    store_value *a = set_value(n->args[0], item, err);
    store_value *b = a ? set_value(n->args[1], item, err) : NULL;
    store_value *joined = NULL;
    if (b && (a->type != STORE_L || b->type != STORE_L)) {
        wrong_type(err);
    } else if (b) {
        size_t count = (size_t)a->len + b->len;
        store_value **elems = malloc((count ? count : 1) * sizeof *elems);
        if (!elems) { store_fail(err, STORE_ERR_INTERNAL, "out of memory"); goto done; }
        for (uint32_t i = 0; i < a->len; i++) elems[i] = store_retain(store_elems(a)[i]);
        for (uint32_t i = 0; i < b->len; i++) elems[a->len + i] = store_retain(store_elems(b)[i]);
        joined = store_value_list(elems, count);
        free(elems);
    }
done:
    store_release(a);
    store_release(b);
    return joined;
}

static store_value *arithmetic(const expr_node *n, const store_value *item, store_error *err)
{
    store_value *a = set_value(n->args[0], item, err);
    store_value *b = a ? set_value(n->args[1], item, err) : NULL;
    store_value *sum = NULL;
    if (b && (a->type != STORE_N || b->type != STORE_N)) wrong_type(err);
    else if (b) sum = store_decimal_sum(a, b, n->kind == EXPR_MINUS, err);
    store_release(a);
    store_release(b);
    return sum;
}

/* The value of a SET operand against the item as it was (a new reference). */
static store_value *set_value(const expr_node *n, const store_value *item, store_error *err)
{
    if (n->kind == EXPR_VALUE) return store_retain(n->value);
    if (n->kind == EXPR_PLUS || n->kind == EXPR_MINUS) return arithmetic(n, item, err);
    if (n->kind == EXPR_FUNC && n->op == FN_LIST_APPEND) return list_append(n, item, err);
    if (n->kind == EXPR_FUNC && n->op == FN_IF_NOT_EXISTS) {
        const store_value *v = item ? expr_path_get(item, &n->args[0]->path) : NULL;
        return v ? store_retain((store_value *)v) : set_value(n->args[1], item, err);
    }
    const store_value *v = item ? expr_path_get(item, &n->path) : NULL;
    if (!v) store_fail(err, STORE_ERR_VALIDATION, "The provided expression refers to an attribute that does not exist in the item");
    return store_retain((store_value *)v);
}

/* ---------------------------------------------------------------- ADD and DELETE */

/* The members of two sets of one type, each once; or of a without b. */
static store_value *set_combine(const store_value *a, const store_value *b, bool remove, store_error *err)
{
    store_value **elems = malloc(((size_t)a->len + b->len + 1) * sizeof *elems);
    if (!elems) { store_fail(err, STORE_ERR_INTERNAL, "out of memory"); return NULL; }
    size_t n = 0;
    for (uint32_t i = 0; i < a->len; i++) {
        store_value *m = store_elems(a)[i];
        bool in_b = false;
        for (uint32_t j = 0; remove && j < b->len && !in_b; j++) in_b = store_scalar_compare(m, store_elems(b)[j]) == 0;
        if (!in_b) elems[n++] = store_retain(m);
    }
    for (uint32_t j = 0; !remove && j < b->len; j++) {
        bool in_a = false;
        for (uint32_t i = 0; i < a->len && !in_a; i++) in_a = store_scalar_compare(store_elems(a)[i], store_elems(b)[j]) == 0;
        if (!in_a) elems[n++] = store_retain(store_elems(b)[j]);
    }
    bool duplicate;
    store_value *set = n ? store_value_set((store_type)a->type, elems, n, &duplicate) : NULL;
    free(elems);
    if (n && !set) store_fail(err, STORE_ERR_INTERNAL, "out of memory");
    return set;
}

typedef enum leaf_result { LEAF_ERROR = -1, LEAF_KEEP, LEAF_SET, LEAF_REMOVE } leaf_result;

static leaf_result add_to(const store_value *old, const store_value *v, store_value **out, store_error *err)
{
    if (!old) { *out = store_retain((store_value *)v); return LEAF_SET; }
    if (old->type != v->type || (v->type != STORE_N && !store_type_is_set((store_type)v->type))) {
        wrong_type(err);
        return LEAF_ERROR;
    }
    *out = v->type == STORE_N ? store_decimal_sum(old, v, false, err) : set_combine(old, v, false, err);
    return *out ? LEAF_SET : LEAF_ERROR;
}

static leaf_result delete_from(const store_value *old, const store_value *v, store_value **out, store_error *err)
{
    if (!old) return LEAF_KEEP;
    if (old->type != v->type) {
        wrong_type(err);
        return LEAF_ERROR;
    }
    *out = set_combine(old, v, true, err);
    if (err->status != STORE_OK) return LEAF_ERROR;
    return *out ? LEAF_SET : LEAF_REMOVE; /* a set left empty goes away */
}

/* ---------------------------------------------------------------- rewriting paths */

typedef struct leaf_op {
    action_kind kind;
    const store_value *value;   /* SET: the new value; ADD/DELETE: the operand */
    store_error *err;
} leaf_op;

static leaf_result leaf_apply(const leaf_op *op, const store_value *old, store_value **out)
{
    *out = NULL;
    switch (op->kind) {
    case ACT_SET: *out = store_retain((store_value *)op->value); return LEAF_SET;
    case ACT_REMOVE: return old ? LEAF_REMOVE : LEAF_KEEP;
    case ACT_ADD: return add_to(old, op->value, out, op->err);
    default: return delete_from(old, op->value, out, op->err);
    }
}

/* A copy of map m with name set to v (or taken out when v is NULL). */
static store_value *map_with(const store_value *m, store_value *name, store_value *v)
{
    store_entry *e = malloc(((size_t)m->len + 1) * sizeof *e);
    if (!e) { store_release(v); return NULL; }
    size_t n = 0;
    for (uint32_t i = 0; i < m->len; i++) {
        const store_entry *x = &store_entries(m)[i];
        if (store_value_equal(x->name, name)) continue;
        e[n].name = store_retain(x->name);
        e[n++].value = store_retain(x->value);
    }
    if (v) { e[n].name = store_retain(name); e[n++].value = v; }
    store_value *out = store_value_map(e, n);
    free(e);
    return out;
}

/* A copy of list l with element i replaced by v, appended when i is past
 * the end, or taken out when v is NULL. */
static store_value *list_with(const store_value *l, uint32_t i, store_value *v)
{
    store_value **e = malloc(((size_t)l->len + 1) * sizeof *e);
    if (!e) { store_release(v); return NULL; }
    size_t n = 0;
    for (uint32_t j = 0; j < l->len; j++) {
        if (j == i) { if (v) e[n++] = v; continue; }
        e[n++] = store_retain(store_elems(l)[j]);
    }
    if (i >= l->len && v) e[n++] = v;
    store_value *out = store_value_list(e, n);
    free(e);
    return out;
}

/* The child a step names, or NULL when the container has no such child. */
static const store_value *step_into(const store_value *c, const expr_step *s)
{
    if (s->name) return c->type == STORE_M ? store_map_get(c, store_bytes(s->name), s->name->len) : NULL;
    return c->type == STORE_L && s->index < c->len ? store_elems(c)[s->index] : NULL;
}

static bool step_fits(const store_value *c, const expr_step *s)
{
    return c->type == (s->name ? STORE_M : STORE_L);
}

/* Replaces the child at step s of c by v (NULL: removes it). */
static store_value *replace_child(const store_value *c, const expr_step *s, store_value *v)
{
    return s->name ? map_with(c, s->name, v) : list_with(c, s->index, v);
}

/* Rewrites the value at path[depth..] inside c. Returns -1 on error, 0 when
 * nothing changed, 1 with *out the new c. */
static int rewrite(const store_value *c, const expr_path *p, uint32_t depth, const leaf_op *op, store_value **out)
{
    const expr_step *s = &p->steps[depth];
    *out = NULL;
    if (!step_fits(c, s)) { invalid_path(op->err); return -1; }
    const store_value *child = step_into(c, s);
    store_value *fresh = NULL;
    if (depth + 1 < p->count) {
        if (!child) { invalid_path(op->err); return -1; }
        int r = rewrite(child, p, depth + 1, op, &fresh);
        if (r <= 0) return r;
    } else {
        leaf_result r = leaf_apply(op, child, &fresh);
        if (r == LEAF_ERROR) return -1;
        if (r == LEAF_KEEP) return 0;
    }
    *out = replace_child(c, s, fresh);
    if (!*out) { store_fail(op->err, STORE_ERR_INTERNAL, "out of memory"); return -1; }
    return 1;
}

/* Applies one action to *item in place (the reference is replaced). */
static bool apply_action(store_value **item, const expr_path *path, const leaf_op *op)
{
    store_value *fresh;
    int r = rewrite(*item, path, 0, op, &fresh);
    if (r < 0) return false;
    if (r > 0) { store_release(*item); *item = fresh; }
    return true;
}

/* ---------------------------------------------------------------- applying */

static int compare_paths(const expr_path *a, const expr_path *b)
{
    uint32_t n = a->count < b->count ? a->count : b->count;
    for (uint32_t i = 0; i < n; i++) {
        const expr_step *x = &a->steps[i], *y = &b->steps[i];
        int c = x->name && y->name ? store_scalar_compare(x->name, y->name)
              : !x->name && !y->name ? (x->index > y->index) - (x->index < y->index)
              : x->name ? 1 : -1;
        if (c) return c;
    }
    return (a->count > b->count) - (a->count < b->count);
}

static int later_path_first(const void *a, const void *b)
{
    return compare_paths(&(*(const update_action *const *)b)->path, &(*(const update_action *const *)a)->path);
}

/* REMOVE last, from the highest list position down, so each one names the
 * element that was at its position before the update. */
static bool apply_removes(const store_update *u, store_value **item, store_error *err)
{
    const update_action **removes = malloc((u->count ? u->count : 1) * sizeof *removes);
    if (!removes) return store_fail(err, STORE_ERR_INTERNAL, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < u->count; i++)
        if (u->actions[i].kind == ACT_REMOVE) removes[n++] = &u->actions[i];
    qsort(removes, n, sizeof *removes, later_path_first);
    leaf_op op = {ACT_REMOVE, NULL, err};
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++) ok = apply_action(item, &removes[i]->path, &op);
    free(removes);
    return ok;
}

/* Every SET value is read before anything is written. */
static bool evaluate_sets(const store_update *u, const store_value *item, store_value **values, store_error *err)
{
    for (size_t i = 0; i < u->count; i++) {
        if (u->actions[i].kind != ACT_SET) continue;
        values[i] = set_value(u->actions[i].value, item, err);
        if (!values[i]) return false;
    }
    return true;
}

static bool apply_writes(const store_update *u, store_value **work, store_value **values, store_error *err)
{
    for (size_t i = 0; i < u->count; i++) {
        const update_action *a = &u->actions[i];
        if (a->kind == ACT_REMOVE) continue;
        leaf_op op = {a->kind, a->kind == ACT_SET ? values[i] : a->value->value, err};
        if (!apply_action(work, &a->path, &op)) return false;
    }
    return true;
}

store_value *store_update_apply(const store_update *u, const store_value *item, store_error *err)
{
    store_value **values = calloc(u->count + 1, sizeof *values);
    store_entry none[1];
    store_value *work = item ? store_retain((store_value *)item) : store_value_map(none, 0);
    bool ok = values && work;
    if (!ok) store_fail(err, STORE_ERR_INTERNAL, "out of memory");
    ok = ok && evaluate_sets(u, item, values, err) && apply_writes(u, &work, values, err);
    /* DynamoDB ignores REMOVE on an item that does not exist yet, even of a nested path. */
    ok = ok && (!item || apply_removes(u, &work, err));
    for (size_t i = 0; values && i < u->count; i++) store_release(values[i]);
    free(values);
    if (!ok) { store_release(work); return NULL; }
    return work;
}
