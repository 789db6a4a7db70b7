/* store/expr_parse.c — the grammar shared by every kind of expression: a
 * recursive-descent parser over expr_lex.c's tokens, one function a rule.
 *
 *   condition := or
 *   or        := and ("OR" and)*
 *   and       := not ("AND" not)*
 *   not       := "NOT" not | primary
 *   primary   := "(" condition ")" suffix? | operand suffix?
 *   suffix    := comparator operand | "BETWEEN" operand "AND" operand
 *              | "IN" "(" operand ("," operand)* ")"
 *   operand   := "(" operand ")" | function | ":value" | path
 *   function  := identifier "(" operand ("," operand)* ")"
 *   path      := (identifier | "#name") ("." (identifier | "#name") | "[" digits "]")*
 *   set_value := operand (("+" | "-") operand)? | "(" set_value ")"
 *
 * Comparisons, BETWEEN, IN and functions bind tighter than NOT, NOT tighter
 * than AND, AND tighter than OR. A parenthesised condition and a
 * parenthesised operand both start with "(", so primary parses what is inside
 * and, when it turns out to be an operand, goes on to look for a comparison.
 *
 * Errors other than syntax errors are recorded as faults (see expr_fault)
 * and the parse goes on, because DynamoDB reports the fault of highest
 * priority, not the first one found. */
#include "store/expr_internal.h"
#include "store/number.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Nesting deeper than this is refused as a syntax error, which keeps the
 * recursion bounded whatever the input (4 KB allows ~2000 parentheses). It
 * lies above what 300 operators can nest (NOT NOT ..., a OR (b OR (...))),
 * so an expression of DynamoDB's shape meets the operator limit first. */
#define EXPR_MAX_DEPTH 320
/* DynamoDB's limit on the steps of one document path ("a.b[0]" has three). */
#define EXPR_MAX_PATH_DEPTH 32

/* ---------------------------------------------------------------- nodes */

void expr_path_clear(expr_path *p)
{
    for (uint32_t i = 0; i < p->count; i++) store_release(p->steps[i].name);
    free(p->steps);
    p->steps = NULL;
    p->count = 0;
}

bool expr_path_equal(const expr_path *a, const expr_path *b)
{
    if (a->count != b->count) return false;
    for (uint32_t i = 0; i < a->count; i++) {
        const expr_step *x = &a->steps[i], *y = &b->steps[i];
        if (!x->name != !y->name) return false;
        if (x->name ? !store_value_equal(x->name, y->name) : x->index != y->index) return false;
    }
    return true;
}

void expr_path_render(const expr_path *p, char *out, size_t cap)
{
    size_t off = (size_t)snprintf(out, cap, "[");
    for (uint32_t i = 0; i < p->count && off < cap; i++) {
        const expr_step *s = &p->steps[i];
        const char *sep = i ? ", " : "";
        if (s->name)
            off += (size_t)snprintf(out + off, cap - off, "%s%.*s", sep, (int)s->name->len, store_bytes(s->name));
        else
            off += (size_t)snprintf(out + off, cap - off, "%s[%u]", sep, s->index);
    }
    if (off < cap) snprintf(out + off, cap - off, "]");
}

const store_value *expr_path_get(const store_value *item, const expr_path *p)
{
    const store_value *v = item;
    for (uint32_t i = 0; v && i < p->count; i++) {
        const expr_step *s = &p->steps[i];
        if (s->name)
            v = v->type == STORE_M ? store_map_get(v, store_bytes(s->name), s->name->len) : NULL;
        else
            v = v->type == STORE_L && s->index < v->len ? store_elems(v)[s->index] : NULL;
    }
    return v;
}

void expr_node_free(expr_node *n)
{
    if (!n) return;
    for (uint32_t i = 0; i < n->nargs; i++) expr_node_free(n->args[i]);
    free(n->args);
    store_release(n->value);
    expr_path_clear(&n->path);
    free(n);
}

void expr_node_each_path(const expr_node *n, store_path_visit *visit, void *arg)
{
    if (n->kind == EXPR_PATH) visit(arg, n->path.steps[0].name, n->path.count > 1);
    for (uint32_t i = 0; i < n->nargs; i++) expr_node_each_path(n->args[i], visit, arg);
}

static const char *const func_names[] = {
    "attribute_exists", "attribute_not_exists", "attribute_type",
    "begins_with", "contains", "size", "if_not_exists", "list_append",
};

const char *expr_func_name(expr_func f) { return f < FN_UNKNOWN ? func_names[f] : "?"; }

static bool is_condition_func(int f) { return f <= FN_CONTAINS || f == FN_UNKNOWN; }

bool expr_is_condition(const expr_node *n)
{
    switch (n->kind) {
    case EXPR_CMP: case EXPR_BETWEEN: case EXPR_IN: case EXPR_AND: case EXPR_OR: case EXPR_NOT:
        return true;
    case EXPR_FUNC:
        return is_condition_func(n->op);
    default:
        return false;
    }
}

static expr_node *node_new(expr_parser *p, expr_kind kind)
{
    expr_node *n = malloc(sizeof *n); /* malloc and an initializer: calloc's clearing costs more */
    if (!n) expr_out_of_memory(p);
    else *n = (expr_node){.kind = kind};
    return n;
}

/* Takes over arg (freed on failure). */
static bool node_add_arg(expr_parser *p, expr_node *n, expr_node *arg)
{
    expr_node **grown = realloc(n->args, (n->nargs + 1) * sizeof *grown);
    if (!grown) { expr_node_free(arg); return expr_out_of_memory(p); }
    n->args = grown;
    n->args[n->nargs++] = arg;
    return true;
}

/* A new node whose first operand is first (taken over; freed on failure). */
static expr_node *node_with(expr_parser *p, expr_kind kind, expr_node *first)
{
    expr_node *n = node_new(p, kind);
    if (!n) { expr_node_free(first); return NULL; }
    if (!node_add_arg(p, n, first)) { expr_node_free(n); return NULL; }
    return n;
}

/* ---------------------------------------------------------------- parser state */

bool expr_parser_init(expr_parser *p, const char *label, expr_grammar g,
                      const char *text, store_expr_env *env, store_error *err)
{
    memset(p, 0, offsetof(expr_parser, fault));
    p->label = label;
    p->grammar = g;
    p->env = env;
    p->err = err;
    size_t len = text ? strlen(text) : 0;
    if (len == 0)
        return store_fail(err, STORE_ERR_VALIDATION, "Invalid %s: The expression can not be empty;", label);
    if (len > STORE_EXPR_MAX_LEN && !(env && env->generated))
        return store_fail(err, STORE_ERR_VALIDATION,
                          "Invalid %s: Expression size has exceeded the maximum allowed size; expression size: %zu",
                          label, len);
    if (!expr_lex(text, len, &p->toks)) return store_fail(err, STORE_ERR_INTERNAL, "out of memory");
    return true;
}

void expr_parser_done(expr_parser *p) { expr_tokens_free(&p->toks); }

void expr_fault_set(expr_parser *p, expr_fault f, const char *fmt, ...)
{
    if (p->has_fault[f]) return; /* the first of a category is the one reported */
    p->has_fault[f] = true;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->fault[f], sizeof p->fault[f], fmt, ap);
    va_end(ap);
}

/* Which fault DynamoDB reports when several are present. */
static const expr_fault projection_order[] = {FAULT_RESERVED, FAULT_NAME, FAULT_NESTING, FAULT_OVERLAP, FAULT_CONFLICT,
                                              FAULT_COUNT};
static const expr_fault condition_order[] = {
    FAULT_PARENS, FAULT_UNKNOWN_FUNCTION, FAULT_MISUSED_FUNCTION, FAULT_RESERVED, FAULT_CONDITION,
    FAULT_NAME, FAULT_NESTING, FAULT_OPERAND_COUNT, FAULT_DISTINCT, FAULT_FUNCTION, FAULT_COUNT};
static const expr_fault update_order[] = {
    FAULT_RESERVED, FAULT_UNKNOWN_FUNCTION, FAULT_SECTION, FAULT_NAME, FAULT_NESTING, FAULT_VALUE,
    FAULT_OVERLAP, FAULT_CONFLICT, FAULT_OPERAND_TYPE, FAULT_OPERAND_COUNT, FAULT_FUNCTION, FAULT_COUNT};

bool expr_parser_finish(expr_parser *p)
{
    if (p->failed) return false;
    const expr_fault *order = p->grammar == GRAMMAR_PROJECTION ? projection_order
                            : p->grammar == GRAMMAR_CONDITION ? condition_order : update_order;
    for (; *order != FAULT_COUNT; order++)
        if (p->has_fault[*order])
            return store_fail(p->err, STORE_ERR_VALIDATION, "Invalid %s: %s", p->label, p->fault[*order]);
    return true;
}

bool expr_out_of_memory(expr_parser *p)
{
    p->failed = true;
    return store_fail(p->err, STORE_ERR_INTERNAL, "out of memory");
}

/* DynamoDB quotes the offending token and the text around it ("near"):
 * from the token before it through the token after it. */
bool expr_syntax_error(expr_parser *p)
{
    if (p->failed) return false;
    p->failed = true;
    const expr_token *t = &p->toks.toks[p->pos];
    const expr_token *prev = p->pos ? t - 1 : t;
    const expr_token *next = t->kind == TOK_EOF ? t : t + 1;
    const char *text = p->toks.text;
    size_t end = next->kind == TOK_EOF ? strlen(text) : next->start + next->len;
    int near_len = (int)(end - prev->start);
    if (t->kind == TOK_EOF)
        return store_fail(p->err, STORE_ERR_VALIDATION, "Invalid %s: Syntax error; token: \"<EOF>\", near: \"%.*s\"",
                          p->label, near_len, text + prev->start);
    return store_fail(p->err, STORE_ERR_VALIDATION, "Invalid %s: Syntax error; token: \"%.*s\", near: \"%.*s\"",
                      p->label, (int)t->len, text + t->start, near_len, text + prev->start);
}

const expr_token *expr_peek(const expr_parser *p) { return &p->toks.toks[p->pos]; }

static const expr_token *peek_at(const expr_parser *p, size_t ahead)
{
    size_t i = p->pos + ahead;
    return &p->toks.toks[i < p->toks.count ? i : p->toks.count - 1];
}

static bool at(const expr_parser *p, expr_tok_kind k) { return expr_peek(p)->kind == k; }

static void advance(expr_parser *p)
{
    if (p->pos + 1 < p->toks.count) p->pos++;
}

bool expr_accept(expr_parser *p, expr_tok_kind k)
{
    if (!at(p, k)) return false;
    advance(p);
    return true;
}

static bool expect(expr_parser *p, expr_tok_kind k)
{
    return expr_accept(p, k) || expr_syntax_error(p);
}

static bool token_is_word(const expr_parser *p, const expr_token *t, const char *kw)
{
    return t->kind == TOK_IDENT && strlen(kw) == t->len && strncasecmp(p->toks.text + t->start, kw, t->len) == 0;
}

bool expr_at_keyword(const expr_parser *p, const char *kw) { return token_is_word(p, expr_peek(p), kw); }

/* Words that end or join a clause cannot name an attribute. */
static bool is_grammar_keyword(const expr_parser *p, const expr_token *t)
{
    static const char *const condition_words[] = {"AND", "OR", "NOT", "BETWEEN", "IN", NULL};
    static const char *const update_words[] = {"SET", "REMOVE", "ADD", "DELETE", NULL};
    if (t->len < 2 || t->len > 7) return false; /* the lengths of those words: most names stop here */
    const char *const *words = p->grammar == GRAMMAR_CONDITION ? condition_words
                             : p->grammar == GRAMMAR_UPDATE ? update_words : NULL;
    for (; words && *words; words++)
        if (token_is_word(p, t, *words)) return true;
    return false;
}

/* One more operator or function call. DynamoDB stops at the first past its
 * limit, so the count it reports is always the limit plus one. */
static bool count_operator(expr_parser *p)
{
    if (++p->operators <= STORE_EXPR_MAX_OPERATORS || (p->env && p->env->generated)) return true;
    p->failed = true;
    return store_fail(p->err, STORE_ERR_VALIDATION,
                      "Invalid %s: The expression contains too many operators; operator count: %d", p->label,
                      p->operators);
}

static bool enter(expr_parser *p)
{
    if (++p->depth > EXPR_MAX_DEPTH) return expr_syntax_error(p);
    return true;
}

/* ---------------------------------------------------------------- placeholders */

/* The entry of an env map by name, or -1. */
static long env_find(const store_value *map, const char *name, size_t len)
{
    return map ? store_map_index(map, name, len) : -1;
}

static store_value *resolve_name(expr_parser *p, const expr_token *t)
{
    const char *s = p->toks.text + t->start;
    long i = env_find(p->env ? p->env->names : NULL, s, t->len);
    if (i < 0) {
        expr_fault_set(p, FAULT_NAME,
                       "An expression attribute name used in the document path is not defined; attribute name: %.*s",
                       (int)t->len, s);
        return store_name(s, t->len); /* stands in; the fault fails the parse */
    }
    if (p->env->names_used) p->env->names_used[i] = true;
    const store_value *v = store_entries(p->env->names)[i].value;
    return store_name(store_bytes(v), v->len);
}

store_value *expr_resolve_value(expr_parser *p, const expr_token *t)
{
    const char *s = p->toks.text + t->start;
    long i = env_find(p->env ? p->env->values : NULL, s, t->len);
    if (i < 0) {
        expr_fault_set(p, p->grammar == GRAMMAR_UPDATE ? FAULT_VALUE : FAULT_NAME,
                       "An expression attribute value used in expression is not defined; attribute value: %.*s",
                       (int)t->len, s);
        return NULL;
    }
    if (p->env->values_used) p->env->values_used[i] = true;
    return store_retain(store_entries(p->env->values)[i].value);
}

/* ---------------------------------------------------------------- paths */

static bool path_push(expr_parser *p, expr_path *out, store_value *name, uint32_t index)
{
    expr_step *grown = realloc(out->steps, (out->count + 1) * sizeof *grown);
    if (!grown) {
        store_release(name);
        return expr_out_of_memory(p);
    }
    out->steps = grown;
    out->steps[out->count].name = name;
    out->steps[out->count++].index = index;
    return true;
}

/* One attribute name: a plain identifier (not a reserved word) or "#name". */
static bool parse_path_name(expr_parser *p, expr_path *out)
{
    const expr_token *t = expr_peek(p);
    const char *s = p->toks.text + t->start;
    store_value *name;
    if (t->kind == TOK_NAME) {
        name = resolve_name(p, t);
    } else if (t->kind == TOK_IDENT && !is_grammar_keyword(p, t)) {
        if (expr_is_reserved(s, t->len))
            expr_fault_set(p, FAULT_RESERVED, "Attribute name is a reserved keyword; reserved keyword: %.*s",
                           (int)t->len, s);
        name = store_name(s, t->len);
    } else {
        return expr_syntax_error(p);
    }
    if (!name) return expr_out_of_memory(p);
    advance(p);
    return path_push(p, out, name, 0);
}

static bool parse_path_index(expr_parser *p, expr_path *out)
{
    const expr_token *t = expr_peek(p);
    if (t->kind != TOK_NUMBER) return expr_syntax_error(p);
    unsigned long long index = 0;
    for (uint32_t i = 0; i < t->len; i++) {
        index = index * 10 + (unsigned)(p->toks.text[t->start + i] - '0');
        if (index > INT32_MAX) return expr_syntax_error(p);
    }
    advance(p);
    return expect(p, TOK_RBRACKET) && path_push(p, out, NULL, (uint32_t)index);
}

/* The ".name" and "[n]" steps after the first. */
static bool parse_path_tail(expr_parser *p, expr_path *out)
{
    bool ok = true;
    while (ok) {
        if (expr_accept(p, TOK_DOT)) ok = parse_path_name(p, out);
        else if (expr_accept(p, TOK_LBRACKET)) ok = parse_path_index(p, out);
        else break;
    }
    if (!ok) expr_path_clear(out);
    return ok;
}

bool expr_parse_path(expr_parser *p, expr_path *out)
{
    out->steps = NULL;
    out->count = 0;
    if (!parse_path_name(p, out)) {
        expr_path_clear(out);
        return false;
    }
    if (!parse_path_tail(p, out)) return false;
    if (out->count > EXPR_MAX_PATH_DEPTH)
        expr_fault_set(p, FAULT_NESTING, "The document path has too many nesting levels; nesting levels: %u", out->count);
    return true;
}

/* Two paths overlap when one is a prefix of the other, and conflict when
 * they part at a step that is a name in one and an index in the other. */
static void check_path_pair(expr_parser *p, const expr_path *a, const expr_path *b)
{
    uint32_t n = a->count < b->count ? a->count : b->count;
    for (uint32_t i = 0; i < n; i++) {
        const expr_step *x = &a->steps[i], *y = &b->steps[i];
        if (!x->name != !y->name) {
            char one[512], two[512];
            expr_path_render(a, one, sizeof one);
            expr_path_render(b, two, sizeof two);
            expr_fault_set(p, FAULT_CONFLICT,
                           "Two document paths conflict with each other; must remove or rewrite one of these paths; "
                           "path one: %s, path two: %s", one, two);
            return;
        }
        if (x->name ? !store_value_equal(x->name, y->name) : x->index != y->index) return;
    }
    char one[512], two[512];
    expr_path_render(a, one, sizeof one);
    expr_path_render(b, two, sizeof two);
    expr_fault_set(p, FAULT_OVERLAP,
                   "Two document paths overlap with each other; must remove or rewrite one of these paths; "
                   "path one: %s, path two: %s", one, two);
}

void expr_check_paths(expr_parser *p, const expr_path *paths, size_t n)
{
    for (size_t j = 1; j < n && !p->has_fault[FAULT_OVERLAP]; j++)
        for (size_t i = 0; i < j && !p->has_fault[FAULT_OVERLAP]; i++)
            check_path_pair(p, &paths[i], &paths[j]);
}

/* ---------------------------------------------------------------- operands */

static expr_node *parse_operand(expr_parser *p);

/* Parses one more operand of n; false (n untouched) on failure. */
static bool add_operand(expr_parser *p, expr_node *n)
{
    expr_node *arg = parse_operand(p);
    return arg && node_add_arg(p, n, arg);
}

static const char *type_word(store_type t) { return store_type_name(t); }

/* The type an operand is known to have before any item is seen: a value's
 * own type, N for size(); -1 when only the item can tell. */
static int known_type(const expr_node *n)
{
    if (n->kind == EXPR_VALUE) return n->value->type;
    if (n->kind == EXPR_FUNC && n->op == FN_SIZE) return STORE_N;
    if (n->kind == EXPR_FUNC && n->op == FN_LIST_APPEND) return STORE_L;
    if (n->kind == EXPR_PLUS || n->kind == EXPR_MINUS) return STORE_N;
    return -1;
}

static int func_arity(expr_parser *p, const char *name, size_t len, expr_func *out)
{
    static const struct { const char *name; expr_func f; int arity; bool update; } table[] = {
        {"attribute_exists", FN_ATTRIBUTE_EXISTS, 1, false},
        {"attribute_not_exists", FN_ATTRIBUTE_NOT_EXISTS, 1, false},
        {"attribute_type", FN_ATTRIBUTE_TYPE, 2, false},
        {"begins_with", FN_BEGINS_WITH, 2, false},
        {"contains", FN_CONTAINS, 2, false},
        {"size", FN_SIZE, 1, false},
        {"if_not_exists", FN_IF_NOT_EXISTS, 2, true},
        {"list_append", FN_LIST_APPEND, 2, true},
    };
    bool update = p->grammar == GRAMMAR_UPDATE;
    for (size_t i = 0; i < sizeof table / sizeof *table; i++)
        if (table[i].update == update && strlen(table[i].name) == len && memcmp(table[i].name, name, len) == 0) {
            *out = table[i].f;
            return table[i].arity;
        }
    *out = FN_UNKNOWN;
    return -1;
}

static void operand_type_fault(expr_parser *p, const char *fn, int type)
{
    expr_fault_set(p, FAULT_FUNCTION,
                   "Incorrect operand type for operator or function; operator or function: %s, operand type: %s",
                   fn, type_word((store_type)type));
}

static void check_distinct(expr_parser *p, const char *op, expr_node *const *args, uint32_t n)
{
    if (n != 2 || args[0]->kind != EXPR_PATH || args[1]->kind != EXPR_PATH) return;
    if (!expr_path_equal(&args[0]->path, &args[1]->path)) return;
    char path[512];
    expr_path_render(&args[0]->path, path, sizeof path);
    expr_fault_set(p, FAULT_DISTINCT,
                   "The first operand must be distinct from the remaining operands for this operator or function; "
                   "operator: %s, first operand: %s", op, path);
}

static bool valid_type_name(const store_value *v)
{
    char name[8];
    if (v->len >= sizeof name) return false;
    memcpy(name, store_bytes(v), v->len);
    name[v->len] = 0;
    return store_type_from_name(name) >= 0;
}

static void check_attribute_type(expr_parser *p, const expr_node *arg)
{
    int t = known_type(arg);
    if (t != STORE_S) {
        expr_fault_set(p, FAULT_FUNCTION,
                       "Incorrect operand type for operator or function; operator or function: attribute_type, "
                       "operand type: %s", t < 0 ? "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}" : type_word((store_type)t));
    } else if (!valid_type_name(arg->value)) {
        expr_fault_set(p, FAULT_FUNCTION,
                       "Invalid attribute type name found; type: %.*s, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}",
                       (int)arg->value->len, store_bytes(arg->value));
    }
}

/* The checks DynamoDB makes of a call once its arguments are known. */
static void check_function(expr_parser *p, const expr_node *n)
{
    const char *name = expr_func_name((expr_func)n->op);
    expr_node *const *a = n->args;
    switch (n->op) {
    case FN_ATTRIBUTE_EXISTS: case FN_ATTRIBUTE_NOT_EXISTS: case FN_IF_NOT_EXISTS:
        if (a[0]->kind != EXPR_PATH)
            expr_fault_set(p, FAULT_FUNCTION, "Operator or function requires a document path; operator or function: %s",
                           name);
        break;
    case FN_BEGINS_WITH:
        for (uint32_t i = 0; i < n->nargs; i++) {
            int t = known_type(a[i]);
            if (t >= 0 && t != STORE_S && t != STORE_B) { operand_type_fault(p, name, t); break; }
        }
        break;
    case FN_ATTRIBUTE_TYPE:
        check_attribute_type(p, a[1]);
        break;
    case FN_SIZE: {
        int t = known_type(a[0]);
        if (t == STORE_N || t == STORE_BOOL || t == STORE_NULL) operand_type_fault(p, name, t);
        break;
    }
    case FN_LIST_APPEND:
        for (uint32_t i = 0; i < n->nargs; i++) {
            int t = a[i]->kind == EXPR_VALUE ? (int)a[i]->value->type : -1;
            if (t >= 0 && t != STORE_L) { operand_type_fault(p, name, t); break; }
        }
        break;
    default:
        break;
    }
}

/* In a condition, a function's arguments are operands: only size() may be
 * nested. */
static void check_nested_functions(expr_parser *p, expr_node *const *args, uint32_t n)
{
    if (p->grammar != GRAMMAR_CONDITION) return;
    for (uint32_t i = 0; i < n; i++)
        if (args[i]->kind == EXPR_FUNC && args[i]->op != FN_SIZE && args[i]->op != FN_UNKNOWN)
            expr_fault_set(p, FAULT_MISUSED_FUNCTION,
                           "The function is not allowed to be used this way in an expression; function: %s",
                           expr_func_name((expr_func)args[i]->op));
}

static void check_call(expr_parser *p, expr_node *n, int arity, const expr_token *name_tok)
{
    const char *name = p->toks.text + name_tok->start;
    check_nested_functions(p, n->args, n->nargs);
    if (n->op == FN_UNKNOWN) {
        expr_fault_set(p, FAULT_UNKNOWN_FUNCTION, "Invalid function name; function: %.*s", (int)name_tok->len, name);
        return;
    }
    if ((uint32_t)arity != n->nargs) {
        expr_fault_set(p, p->grammar == GRAMMAR_UPDATE ? FAULT_FUNCTION : FAULT_OPERAND_COUNT,
                       "Incorrect number of operands for operator or function; operator or function: %s, "
                       "number of operands: %u", expr_func_name((expr_func)n->op), n->nargs);
        return;
    }
    check_distinct(p, expr_func_name((expr_func)n->op), n->args, n->nargs);
    check_function(p, n);
}

static expr_node *parse_call(expr_parser *p)
{
    const expr_token *name_tok = expr_peek(p);
    expr_func f;
    int arity = func_arity(p, p->toks.text + name_tok->start, name_tok->len, &f);
    advance(p); /* the name */
    advance(p); /* "(" */
    if (!count_operator(p)) return NULL;
    expr_node *n = node_new(p, EXPR_FUNC);
    if (!n) return NULL;
    n->op = f;
    bool ok = true;
    do ok = add_operand(p, n); while (ok && expr_accept(p, TOK_COMMA));
    if (!(ok && expect(p, TOK_RPAREN))) { expr_node_free(n); return NULL; }
    check_call(p, n, arity, name_tok);
    return n;
}

static expr_node *parse_value(expr_parser *p)
{
    expr_node *n = node_new(p, EXPR_VALUE);
    if (!n) return NULL;
    n->value = expr_resolve_value(p, expr_peek(p));
    advance(p);
    if (!n->value) n->value = store_value_null(); /* stands in; the fault fails the parse */
    return n;
}

static expr_node *parse_path_operand(expr_parser *p)
{
    expr_node *n = node_new(p, EXPR_PATH);
    if (n && !expr_parse_path(p, &n->path)) { free(n); return NULL; }
    return n;
}

static void check_redundant_parens(expr_parser *p, const expr_node *inner)
{
    if (inner->parens) expr_fault_set(p, FAULT_PARENS, "The expression has redundant parentheses;");
}

/* In a condition, a path in parentheses may go on: "(a.b).c[1]". */
static expr_node *continue_grouped_path(expr_parser *p, expr_node *n)
{
    if (!n || n->kind != EXPR_PATH || p->grammar != GRAMMAR_CONDITION) return n;
    if (parse_path_tail(p, &n->path)) return n;
    expr_node_free(n);
    return NULL;
}

static expr_node *parse_parenthesized_operand(expr_parser *p)
{
    advance(p); /* "(" */
    if (!enter(p)) return NULL;
    expr_node *n = parse_operand(p);
    p->depth--;
    if (n && !expect(p, TOK_RPAREN)) { expr_node_free(n); return NULL; }
    if (n) { check_redundant_parens(p, n); n->parens = true; }
    return continue_grouped_path(p, n);
}

static expr_node *parse_operand(expr_parser *p)
{
    const expr_token *t = expr_peek(p);
    if (t->kind == TOK_LPAREN) return parse_parenthesized_operand(p);
    if (t->kind == TOK_VALUE) return parse_value(p);
    if (t->kind == TOK_IDENT && peek_at(p, 1)->kind == TOK_LPAREN && !is_grammar_keyword(p, t)) {
        if (!enter(p)) return NULL;
        expr_node *n = parse_call(p);
        p->depth--;
        return n;
    }
    return parse_path_operand(p);
}

/* ---------------------------------------------------------------- conditions */

static expr_node *parse_or(expr_parser *p);

/* An operand of a comparison, BETWEEN or IN: a condition function there is misused. */
static void check_comparison_operand(expr_parser *p, const expr_node *n)
{
    if (n->kind == EXPR_FUNC && is_condition_func(n->op) && n->op != FN_UNKNOWN)
        expr_fault_set(p, FAULT_MISUSED_FUNCTION,
                       "The function is not allowed to be used this way in an expression; function: %s",
                       expr_func_name((expr_func)n->op));
}

static expr_node *make_binary(expr_parser *p, expr_kind kind, int op, expr_node *a, expr_node *b)
{
    expr_node *n = node_with(p, kind, a);
    if (!n) { expr_node_free(b); return NULL; }
    if (!node_add_arg(p, n, b)) { expr_node_free(n); return NULL; }
    n->op = op;
    return n;
}

static bool is_comparator(expr_tok_kind k)
{
    return k == TOK_EQ || k == TOK_NE || k == TOK_LT || k == TOK_LE || k == TOK_GT || k == TOK_GE;
}

static const char *comparator_text(int k)
{
    switch (k) {
    case TOK_EQ: return "=";
    case TOK_NE: return "<>";
    case TOK_LT: return "<";
    case TOK_LE: return "<=";
    case TOK_GT: return ">";
    default: return ">=";
    }
}

static expr_node *parse_comparison(expr_parser *p, expr_node *left)
{
    int op = expr_peek(p)->kind;
    advance(p);
    expr_node *right = count_operator(p) ? parse_operand(p) : NULL;
    if (!right) { expr_node_free(left); return NULL; }
    check_comparison_operand(p, left);
    check_comparison_operand(p, right);
    expr_node *n = make_binary(p, EXPR_CMP, op, left, right);
    if (n) check_distinct(p, comparator_text(op), n->args, 2);
    return n;
}

/* "AttributeValue: {N:10}", as DynamoDB shows a BETWEEN bound. */
static void render_bound(const store_value *v, char *out, size_t cap)
{
    if (v->type == STORE_S || v->type == STORE_N)
        snprintf(out, cap, "AttributeValue: {%s:%.*s}", store_type_name(v->type), (int)v->len, store_bytes(v));
    else
        snprintf(out, cap, "AttributeValue: {%s}", store_type_name(v->type));
}

static void check_between_bounds(expr_parser *p, const expr_node *lo, const expr_node *hi)
{
    if (lo->kind != EXPR_VALUE || hi->kind != EXPR_VALUE) return;
    const store_value *a = lo->value, *b = hi->value;
    bool scalar = a->type == STORE_S || a->type == STORE_N || a->type == STORE_B;
    const char *problem = a->type != b->type ? "requires same data type for lower and upper bounds"
                        : scalar && store_scalar_compare(a, b) > 0
                            ? "requires upper bound to be greater than or equal to lower bound" : NULL;
    if (!problem) return;
    char one[256], two[256];
    render_bound(a, one, sizeof one);
    render_bound(b, two, sizeof two);
    expr_fault_set(p, FAULT_FUNCTION, "The BETWEEN operator %s; lower bound operand: %s, upper bound operand: %s",
                   problem, one, two);
}

static bool expect_keyword(expr_parser *p, const char *kw)
{
    if (!expr_at_keyword(p, kw)) return expr_syntax_error(p);
    advance(p);
    return true;
}

static expr_node *parse_between(expr_parser *p, expr_node *left)
{
    advance(p); /* BETWEEN */
    if (!count_operator(p)) { expr_node_free(left); return NULL; }
    expr_node *n = node_with(p, EXPR_BETWEEN, left);
    if (!n) return NULL;
    if (!(add_operand(p, n) && expect_keyword(p, "AND") && add_operand(p, n))) { expr_node_free(n); return NULL; }
    for (int i = 0; i < 3; i++) check_comparison_operand(p, n->args[i]);
    check_between_bounds(p, n->args[1], n->args[2]);
    return n;
}

static expr_node *parse_in(expr_parser *p, expr_node *left)
{
    advance(p); /* IN */
    if (!count_operator(p)) { expr_node_free(left); return NULL; }
    expr_node *n = node_with(p, EXPR_IN, left);
    if (!n) return NULL;
    bool ok = expect(p, TOK_LPAREN);
    do ok = ok && add_operand(p, n); while (ok && expr_accept(p, TOK_COMMA));
    if (!(ok && expect(p, TOK_RPAREN))) { expr_node_free(n); return NULL; }
    for (uint32_t i = 0; i < n->nargs; i++) check_comparison_operand(p, n->args[i]);
    if (n->nargs - 1 > STORE_EXPR_MAX_IN)
        expr_fault_set(p, FAULT_FUNCTION, "The IN operator is provided with too many operands; number of operands: %u",
                       n->nargs - 1);
    return n;
}

/* What may follow an operand to make it a condition. */
static expr_node *parse_suffix(expr_parser *p, expr_node *left)
{
    if (is_comparator(expr_peek(p)->kind)) return parse_comparison(p, left);
    if (expr_at_keyword(p, "BETWEEN")) return parse_between(p, left);
    if (expr_at_keyword(p, "IN")) return parse_in(p, left);
    return left;
}

/* DynamoDB settles the fault of each simple condition as the condition
 * ends: an undefined placeholder, then a wrong number of operands, then
 * equal operands, then a wrong type. The first condition with one of these
 * decides which is reported, whatever comes after. */
static expr_node *settle_condition_faults(expr_parser *p, expr_node *n)
{
    static const expr_fault order[] = {FAULT_NAME, FAULT_OPERAND_COUNT, FAULT_DISTINCT, FAULT_FUNCTION};
    if (!n || !expr_is_condition(n) || p->has_fault[FAULT_CONDITION]) return n;
    for (size_t i = 0; i < sizeof order / sizeof *order; i++)
        if (p->has_fault[order[i]]) {
            p->has_fault[FAULT_CONDITION] = true;
            memcpy(p->fault[FAULT_CONDITION], p->fault[order[i]], sizeof p->fault[FAULT_CONDITION]);
            break;
        }
    return n;
}

static expr_node *parse_parenthesized(expr_parser *p)
{
    advance(p); /* "(" */
    if (!enter(p)) return NULL;
    expr_node *inner = parse_or(p);
    p->depth--;
    if (inner && !expect(p, TOK_RPAREN)) { expr_node_free(inner); return NULL; }
    if (!inner) return NULL;
    check_redundant_parens(p, inner);
    inner->parens = true;
    if (expr_is_condition(inner)) return inner;
    inner = continue_grouped_path(p, inner);
    return inner ? settle_condition_faults(p, parse_suffix(p, inner)) : NULL;
}

static expr_node *parse_primary(expr_parser *p)
{
    if (at(p, TOK_LPAREN)) return parse_parenthesized(p);
    expr_node *operand = parse_operand(p);
    return operand ? settle_condition_faults(p, parse_suffix(p, operand)) : NULL;
}

/* Where a condition is required: a bare operand is a syntax error at the
 * token after it, size() is a misused function. */
static bool require_condition(expr_parser *p, const expr_node *n)
{
    if (expr_is_condition(n)) return true;
    if (n->kind == EXPR_FUNC && n->op == FN_SIZE) {
        expr_fault_set(p, FAULT_MISUSED_FUNCTION,
                       "The function is not allowed to be used this way in an expression; function: size");
        return true;
    }
    return expr_syntax_error(p);
}

static expr_node *parse_not(expr_parser *p)
{
    if (!expr_at_keyword(p, "NOT")) return parse_primary(p);
    advance(p);
    if (!(count_operator(p) && enter(p))) return NULL;
    expr_node *inner = parse_not(p);
    p->depth--;
    if (!inner) return NULL;
    if (!require_condition(p, inner)) { expr_node_free(inner); return NULL; }
    return node_with(p, EXPR_NOT, inner);
}

static expr_node *parse_joined(expr_parser *p, const char *word, expr_kind kind, expr_node *(*operand)(expr_parser *))
{
    expr_node *left = operand(p);
    while (left && expr_at_keyword(p, word)) {
        if (!require_condition(p, left)) { expr_node_free(left); return NULL; }
        advance(p);
        expr_node *right = count_operator(p) ? operand(p) : NULL;
        if (right && !require_condition(p, right)) { expr_node_free(right); right = NULL; }
        if (!right) { expr_node_free(left); return NULL; }
        left = make_binary(p, kind, 0, left, right);
    }
    return left;
}

static expr_node *parse_and(expr_parser *p) { return parse_joined(p, "AND", EXPR_AND, parse_not); }
static expr_node *parse_or(expr_parser *p) { return parse_joined(p, "OR", EXPR_OR, parse_and); }

expr_node *expr_parse_condition(expr_parser *p)
{
    expr_node *n = parse_or(p);
    if (n && !(require_condition(p, n) && (at(p, TOK_EOF) || expr_syntax_error(p)))) {
        expr_node_free(n);
        return NULL;
    }
    return n;
}

/* ---------------------------------------------------------------- update values */

static void check_arithmetic(expr_parser *p, const expr_node *n)
{
    const char *op = n->kind == EXPR_PLUS ? "+" : "-";
    for (uint32_t i = 0; i < 2; i++) {
        int t = n->args[i]->kind == EXPR_VALUE ? (int)n->args[i]->value->type : -1;
        if (t >= 0 && t != STORE_N) { operand_type_fault(p, op, t); return; }
    }
}

static expr_node *parse_arithmetic(expr_parser *p, expr_node *left)
{
    expr_kind kind = at(p, TOK_PLUS) ? EXPR_PLUS : at(p, TOK_MINUS) ? EXPR_MINUS : EXPR_PATH;
    if (kind == EXPR_PATH) return left;
    advance(p);
    expr_node *right = count_operator(p) ? parse_operand(p) : NULL;
    if (!right) { expr_node_free(left); return NULL; }
    expr_node *n = make_binary(p, kind, 0, left, right);
    if (n) check_arithmetic(p, n);
    return n;
}

expr_node *expr_parse_set_value(expr_parser *p)
{
    if (!at(p, TOK_LPAREN)) {
        expr_node *left = parse_operand(p);
        return left ? parse_arithmetic(p, left) : NULL;
    }
    advance(p); /* "(" */
    if (!enter(p)) return NULL;
    expr_node *inner = expr_parse_set_value(p);
    p->depth--;
    if (inner && !expect(p, TOK_RPAREN)) { expr_node_free(inner); return NULL; }
    if (!inner) return NULL;
    inner->parens = true;
    return inner->kind == EXPR_PLUS || inner->kind == EXPR_MINUS ? inner : parse_arithmetic(p, inner);
}
