/* store/partiql_parse.c — DynamoDB's PartiQL statements, parsed by recursive
 * descent into a store_pql_statement (partiql.h).
 *
 *   statement := select | insert | update | delete | EXISTS ( select )   [';']
 *   select    := SELECT ( '*' | path {',' path} ) FROM name ['.' name]
 *                [WHERE expr] [ORDER BY path [ASC | DESC]]
 *   insert    := INSERT INTO name VALUE value [RETURNING ...] (refused once compiled)
 *   update    := UPDATE name { SET path '=' sum {',' path '=' sum} | REMOVE path {',' path} }
 *                [WHERE expr] [RETURNING (ALL | MODIFIED) (OLD | NEW) '*']
 *   delete    := DELETE FROM name [WHERE expr] [RETURNING ALL OLD '*']
 *   expr      := conjunction {OR conjunction};  conjunction := negation {AND negation}; negation := NOT negation | predicate
 *   predicate := sum [ op sum | [NOT] BETWEEN sum AND sum | [NOT] IN list | IS [NOT] type ]
 *   sum       := primary {('+' | '-') primary}
 *   primary   := '(' expr ')' | value | path | word '(' [expr {',' expr}] ')'
 *   value     := 'string' | ['-'] number | TRUE | FALSE | NULL | MISSING | '?'
 *                | '[' [expr {',' expr}] ']' | '<<' ... '>>' | '{' 'key' ':' expr {','...} '}'
 *   path      := name { '.' name | '[' number ']' }
 *   name      := "quoted" | a word that is not reserved
 *
 * Keywords are case-insensitive; a reserved word is never a bare name. The
 * tree is allocated in one arena freed with the statement. */
#include "store/partiql.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ARENA_CHUNK 4096
#define FIRST_CHUNK 2048   /* allocated with the statement: most statements fit in it */

struct store_pql_arena {
    struct store_pql_arena *next;
    size_t used, size;
    max_align_t data[];
};

typedef struct parser {
    const char *s;
    size_t len;
    store_pql_token tok;       /* the current token */
    store_pql_statement *top;  /* owns the arena */
    int depth;
    int params;
    bool failed;               /* an error is recorded (out of memory included) */
    store_error *err;
} parser;

static const char malformed[] = "Statement wasn't well formed, can't be processed: ";

/* ---- memory ---- */

static void *arena_alloc(parser *p, size_t n)
{
    n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    store_pql_arena *a = p->top->arena;
    if (!a || a->size - a->used < n) {
        size_t size = n > ARENA_CHUNK ? n : ARENA_CHUNK;
        store_pql_arena *fresh = malloc(sizeof *fresh + size);
        if (!fresh) {
            if (!p->failed) store_fail(p->err, STORE_ERR_INTERNAL, "out of memory");
            p->failed = true;
            return NULL;
        }
        fresh->next = a, fresh->used = 0, fresh->size = size;
        p->top->arena = a = fresh;
    }
    void *out = (char *)a->data + a->used;
    a->used += n;
    memset(out, 0, n);
    return out;
}

static char *arena_text(parser *p, const char *from, size_t n)
{
    char *t = arena_alloc(p, n + 1);
    if (t) memcpy(t, from, n), t[n] = 0;
    return t;
}

/* ---- errors ---- */

static void position(const parser *p, size_t at, int *line, int *column)
{
    *line = 1, *column = 1;
    for (size_t i = 0; i < at && i < p->len; i++) {
        if (p->s[i] == '\n') (*line)++, *column = 1;
        else (*column)++;
    }
}

static bool fail_at(parser *p, size_t at, const char *what)
{
    if (p->failed) return false;
    p->failed = true;
    int line, column;
    position(p, at, &line, &column);
    store_fail(p->err, STORE_ERR_VALIDATION, "%s%s at line %d, column %d", malformed, what, line, column);
    return false;
}

/* The current token is not what the grammar allows here. */
static bool unexpected(parser *p)
{
    const store_pql_token *t = &p->tok;
    if (t->kind == PQT_END) return fail_at(p, t->start, "Unexpected end of statement");
    if (t->kind == PQT_BAD && t->end >= p->len && t->start < p->len &&
        (p->s[t->start] == '\'' || p->s[t->start] == '"' || p->s[t->start] == '/'))
        return fail_at(p, t->start, "Unterminated quote or comment");
    char what[96];
    int n = (int)(t->end - t->start > 40 ? 40 : t->end - t->start);
    bool keyword = t->kind == PQT_WORD && store_pql_is_reserved(p->s + t->start, t->end - t->start);
    snprintf(what, sizeof what, "Unexpected %s '%.*s'", keyword ? "keyword" : "token", n, p->s + t->start);
    return fail_at(p, t->start, what);
}

/* ---- tokens ---- */

static void advance(parser *p) { p->tok = store_pql_next_token(p->s, p->len, p->tok.end); }

static bool at(const parser *p, store_pql_tok_kind k) { return p->tok.kind == k; }

static bool at_word(const parser *p, const char *word)
{
    size_t n = p->tok.end - p->tok.start;
    return p->tok.kind == PQT_WORD && n == strlen(word) && strncasecmp(p->s + p->tok.start, word, n) == 0;
}

static bool accept(parser *p, store_pql_tok_kind k)
{
    if (!at(p, k)) return false;
    advance(p);
    return true;
}

static bool accept_word(parser *p, const char *word)
{
    if (!at_word(p, word)) return false;
    advance(p);
    return true;
}

static bool expect(parser *p, store_pql_tok_kind k) { return accept(p, k) || unexpected(p); }
static bool expect_word(parser *p, const char *word) { return accept_word(p, word) || unexpected(p); }

/* A quoted token's text, its doubled quotes made single. */
static char *unquote(parser *p, size_t *out_len)
{
    const char *s = p->s + p->tok.start + 1;
    size_t n = p->tok.end - p->tok.start - 2, k = 0;
    char q = s[-1];
    char *t = arena_alloc(p, n + 1);
    if (!t) return NULL;
    for (size_t i = 0; i < n; i++) {
        t[k++] = s[i];
        if (s[i] == q) i++;
    }
    t[k] = 0;
    if (out_len) *out_len = k;
    return t;
}

/* ---- nodes ---- */

static store_pql_node *node(parser *p, store_pql_kind kind, size_t pos)
{
    store_pql_node *n = arena_alloc(p, sizeof *n);
    if (n) n->kind = kind, n->pos = pos;
    return n;
}

/* A growing list of child nodes, kept in the arena (the old room is simply left there). */
static bool push(parser *p, store_pql_node *parent, store_pql_node *kid)
{
    if (!parent || !kid) return false;
    size_t n = parent->n;
    if ((n & (n - 1)) == 0) { /* 0, 1, 2, 4, ...: full */
        store_pql_node **more = arena_alloc(p, (n ? 2 * n : 1) * sizeof *more);
        if (!more) return false;
        if (n) memcpy(more, parent->kids, n * sizeof *more);
        parent->kids = more;
    }
    parent->kids[parent->n++] = kid;
    return true;
}

static store_pql_node *binary(parser *p, store_pql_kind kind, size_t pos, store_pql_node *a, store_pql_node *b)
{
    store_pql_node *n = a && b ? node(p, kind, pos) : NULL;
    return n && push(p, n, a) && push(p, n, b) ? n : NULL;
}

/* ---- names and paths ---- */

static bool is_name(const parser *p)
{
    if (at(p, PQT_QUOTED)) return true;
    return at(p, PQT_WORD) && !store_pql_is_reserved(p->s + p->tok.start, p->tok.end - p->tok.start);
}

static const char *name(parser *p, size_t *len)
{
    if (!is_name(p)) { unexpected(p); return NULL; }
    const char *out;
    if (at(p, PQT_QUOTED)) {
        out = unquote(p, len);
        if (out && !*len) { fail_at(p, p->tok.start, "Empty quoted identifier"); return NULL; }
    } else {
        *len = p->tok.end - p->tok.start;
        out = arena_text(p, p->s + p->tok.start, *len);
    }
    advance(p);
    return out;
}

static store_pql_node *name_step(parser *p)
{
    size_t pos = p->tok.start, len;
    const char *text = name(p, &len);
    store_pql_node *n = text ? node(p, PQL_NAME, pos) : NULL;
    if (n) n->text = text, n->len = len;
    return n;
}

static store_pql_node *index_step(parser *p)
{
    size_t pos = p->tok.start;
    if (!at(p, PQT_NUMBER)) { unexpected(p); return NULL; }
    const char *s = p->s + p->tok.start;
    size_t n = p->tok.end - p->tok.start;
    long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]) || v > 100000000) { fail_at(p, pos, "Invalid list index"); return NULL; }
        v = v * 10 + (s[i] - '0');
    }
    advance(p);
    store_pql_node *step = node(p, PQL_INDEX, pos);
    if (step) step->index = v;
    return step && expect(p, PQT_RBRACKET) ? step : NULL;
}

/* A path whose first step is already in first. */
static store_pql_node *path_from(parser *p, store_pql_node *first)
{
    store_pql_node *path = first ? node(p, PQL_PATH, first->pos) : NULL;
    if (!push(p, path, first)) return NULL;
    for (;;) {
        store_pql_node *step;
        if (accept(p, PQT_DOT)) step = name_step(p);
        else if (accept(p, PQT_LBRACKET)) step = index_step(p);
        else return path;
        if (!push(p, path, step)) return NULL;
        if (path->n > STORE_PQL_MAX_PATH) { fail_at(p, step->pos, "Path too long"); return NULL; }
    }
}

static store_pql_node *path(parser *p) { return path_from(p, name_step(p)); }

/* ---- expressions ---- */

static store_pql_node *expr(parser *p);
static store_pql_node *sum(parser *p);
static store_pql_statement *select_statement(parser *p, store_pql_statement *s);

static bool enter(parser *p)
{
    if (++p->depth <= STORE_PQL_MAX_DEPTH) return true;
    return fail_at(p, p->tok.start, "Expression nested too deeply");
}

/* Items up to close, separated by commas, each parsed by item; an empty list allowed. */
static store_pql_node *sequence(parser *p, store_pql_node *list, store_pql_tok_kind close,
                                store_pql_node *(*item)(parser *))
{
    if (!list) return NULL;
    if (accept(p, close)) return list;
    do {
        if (!push(p, list, item(p))) return NULL;
    } while (accept(p, PQT_COMMA));
    return expect(p, close) ? list : NULL;
}

static store_pql_node *struct_entry_key(parser *p)
{
    if (!at(p, PQT_STRING)) { unexpected(p); return NULL; }
    store_pql_node *k = node(p, PQL_STRING, p->tok.start);
    if (k && !(k->text = unquote(p, &k->len))) return NULL;
    advance(p);
    return k;
}

static store_pql_node *struct_literal(parser *p, size_t pos)
{
    store_pql_node *s = node(p, PQL_STRUCT, pos);
    if (!s) return NULL;
    if (accept(p, PQT_RBRACE)) return s;
    do {
        store_pql_node *k = struct_entry_key(p);
        if (!k || !expect(p, PQT_COLON)) return NULL;
        if (!push(p, s, k) || !push(p, s, expr(p))) return NULL;
    } while (accept(p, PQT_COMMA));
    return expect(p, PQT_RBRACE) ? s : NULL;
}

static store_pql_node *number(parser *p, bool negative)
{
    size_t pos = p->tok.start, n = p->tok.end - p->tok.start;
    store_pql_node *v = node(p, PQL_NUMBER, pos);
    char *t = v ? arena_alloc(p, n + 2) : NULL;
    if (!t) return NULL;
    t[0] = '-';
    memcpy(t + 1, p->s + pos, n);
    v->text = negative ? t : t + 1;
    v->len = n + negative;
    advance(p);
    return v;
}

static store_pql_node *keyword_value(parser *p)
{
    static const struct { const char *word; store_pql_kind kind; } words[] = {
        {"TRUE", PQL_TRUE}, {"FALSE", PQL_FALSE}, {"NULL", PQL_NULL}, {"MISSING", PQL_MISSING}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (!at_word(p, words[i].word)) continue;
        store_pql_node *v = node(p, words[i].kind, p->tok.start);
        advance(p);
        return v;
    }
    return NULL;
}

static store_pql_node *value(parser *p)
{
    size_t pos = p->tok.start;
    store_pql_node *v;
    if (at(p, PQT_STRING)) {
        if (!(v = node(p, PQL_STRING, pos)) || !(v->text = unquote(p, &v->len))) return NULL;
        advance(p);
        return v;
    }
    if (at(p, PQT_NUMBER)) return number(p, false);
    if (accept(p, PQT_MINUS)) {
        if (at(p, PQT_NUMBER)) return number(p, true);
        unexpected(p);
        return NULL;
    }
    if (accept(p, PQT_PARAM)) {
        if (p->params >= STORE_PQL_MAX_PARAMS) { fail_at(p, pos, "Too many parameters"); return NULL; }
        if ((v = node(p, PQL_PARAM, pos))) v->index = p->params++;
        return v;
    }
    if (accept(p, PQT_LBRACKET)) return sequence(p, node(p, PQL_LIST, pos), PQT_RBRACKET, expr);
    if (accept(p, PQT_LBAG)) return sequence(p, node(p, PQL_BAG, pos), PQT_RBAG, expr);
    if (accept(p, PQT_LBRACE)) return struct_literal(p, pos);
    if ((v = keyword_value(p))) return v;
    unexpected(p);
    return NULL;
}

static bool starts_value(const parser *p)
{
    return at(p, PQT_STRING) || at(p, PQT_NUMBER) || at(p, PQT_MINUS) || at(p, PQT_PARAM) || at(p, PQT_LBRACKET) ||
           at(p, PQT_LBAG) || at(p, PQT_LBRACE) || at_word(p, "TRUE") || at_word(p, "FALSE") || at_word(p, "NULL") ||
           at_word(p, "MISSING");
}

static store_pql_node *exists_call(parser *p, size_t pos)
{
    store_pql_node *n = node(p, PQL_EXISTS, pos);
    if (!n || !expect(p, PQT_LPAREN)) return NULL;
    store_pql_statement *inner = arena_alloc(p, sizeof *inner);
    if (!inner || !select_statement(p, inner)) return NULL;
    n->select = inner;
    return expect(p, PQT_RPAREN) ? n : NULL;
}

/* word '(' args ')': a function, which may bear a reserved name (size). */
static store_pql_node *call(parser *p)
{
    size_t pos = p->tok.start, n = p->tok.end - p->tok.start;
    store_pql_node *c = node(p, PQL_CALL, pos);
    if (!c || !(c->text = arena_text(p, p->s + pos, n))) return NULL;
    c->len = n;
    for (size_t i = 0; i < n; i++) ((char *)c->text)[i] = (char)tolower((unsigned char)c->text[i]);
    advance(p);
    advance(p); /* '(' */
    return sequence(p, c, PQT_RPAREN, expr);
}

static bool next_is_lparen(const parser *p)
{
    return store_pql_next_token(p->s, p->len, p->tok.end).kind == PQT_LPAREN;
}

static store_pql_node *primary(parser *p)
{
    size_t pos = p->tok.start;
    if (accept(p, PQT_LPAREN)) {
        store_pql_node *inner = expr(p);
        return inner && expect(p, PQT_RPAREN) ? inner : NULL;
    }
    if (accept_word(p, "EXISTS")) return exists_call(p, pos);
    if (starts_value(p)) return value(p);
    if (at(p, PQT_WORD) && next_is_lparen(p)) return call(p);
    return path(p);
}

static store_pql_node *sum(parser *p)
{
    if (!enter(p)) return NULL;
    store_pql_node *left = primary(p);
    while (left && (at(p, PQT_PLUS) || at(p, PQT_MINUS))) {
        size_t pos = p->tok.start;
        store_pql_kind k = at(p, PQT_PLUS) ? PQL_ADD : PQL_SUBTRACT;
        advance(p);
        left = binary(p, k, pos, left, primary(p));
    }
    p->depth--;
    return left;
}

static bool comparison(const parser *p, store_pql_op *op)
{
    switch (p->tok.kind) {
    case PQT_EQ: *op = PQL_EQ; return true;
    case PQT_NE: *op = PQL_NE; return true;
    case PQT_LT: *op = PQL_LT; return true;
    case PQT_LE: *op = PQL_LE; return true;
    case PQT_GT: *op = PQL_GT; return true;
    case PQT_GE: *op = PQL_GE; return true;
    default: return false;
    }
}

static store_pql_node *is_type(parser *p, store_pql_node *left, size_t pos)
{
    static const struct { const char *word; store_pql_type type; } types[] = {
        {"MISSING", PQL_IS_MISSING}, {"NULL", PQL_IS_NULL}, {"BOOLEAN", PQL_IS_BOOLEAN}, {"BOOL", PQL_IS_BOOLEAN},
        {"STRING", PQL_IS_STRING}, {"NUMERIC", PQL_IS_NUMBER}, {"BLOB", PQL_IS_BLOB}, {"LIST", PQL_IS_LIST},
        {"STRUCT", PQL_IS_STRUCT}, {"TUPLE", PQL_IS_STRUCT}};
    store_pql_node *n = node(p, PQL_IS, pos);
    if (!push(p, n, left)) return NULL;
    n->negated = accept_word(p, "NOT");
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        if (!accept_word(p, types[i].word)) continue;
        n->op = (int)types[i].type;
        return n;
    }
    unexpected(p);
    return NULL;
}

static store_pql_node *negate(parser *p, store_pql_node *n, size_t pos)
{
    store_pql_node *not = n ? node(p, PQL_NOT, pos) : NULL;
    return push(p, not, n) ? not : NULL;
}

static store_pql_node *predicate(parser *p)
{
    store_pql_node *left = sum(p);
    if (!left) return NULL;
    size_t pos = p->tok.start;
    store_pql_op op;
    if (comparison(p, &op)) {
        advance(p);
        store_pql_node *n = binary(p, PQL_COMPARE, pos, left, sum(p));
        if (n) n->op = (int)op;
        return n;
    }
    if (accept_word(p, "IS")) return is_type(p, left, pos);
    bool negated = accept_word(p, "NOT");
    store_pql_node *n = NULL;
    if (accept_word(p, "BETWEEN")) {
        store_pql_node *lo = sum(p);
        if (!lo || !expect_word(p, "AND")) return NULL;
        n = binary(p, PQL_BETWEEN, pos, left, lo);
        if (!push(p, n, sum(p))) return NULL;
    } else if (accept_word(p, "IN")) {
        size_t list_pos = p->tok.start;
        store_pql_tok_kind close = at(p, PQT_LPAREN) ? PQT_RPAREN : PQT_RBRACKET;
        if (!accept(p, PQT_LPAREN) && !expect(p, PQT_LBRACKET)) return NULL;
        n = binary(p, PQL_IN, pos, left, sequence(p, node(p, PQL_LIST, list_pos), close, sum));
    } else if (negated) {
        unexpected(p);
        return NULL;
    } else {
        return left;
    }
    return negated ? negate(p, n, pos) : n;
}

static store_pql_node *negation(parser *p)
{
    size_t pos = p->tok.start;
    if (!accept_word(p, "NOT")) return predicate(p);
    if (!enter(p)) return NULL;
    store_pql_node *n = negate(p, negation(p), pos);
    p->depth--;
    return n;
}

static store_pql_node *conjunction(parser *p)
{
    store_pql_node *left = negation(p);
    while (left && at_word(p, "AND")) {
        size_t pos = p->tok.start;
        advance(p);
        left = binary(p, PQL_AND, pos, left, negation(p));
    }
    return left;
}

static store_pql_node *expr(parser *p)
{
    if (!enter(p)) return NULL;
    store_pql_node *left = conjunction(p);
    while (left && at_word(p, "OR")) {
        size_t pos = p->tok.start;
        advance(p);
        left = binary(p, PQL_OR, pos, left, conjunction(p));
    }
    p->depth--;
    return left;
}

/* ---- statements ---- */

static bool where(parser *p, store_pql_statement *s)
{
    if (!accept_word(p, "WHERE")) return true;
    return (s->where = expr(p)) != NULL;
}

static bool table_name(parser *p, store_pql_statement *s)
{
    size_t len;
    return (s->table = name(p, &len)) != NULL;
}

static bool projection(parser *p, store_pql_statement *s)
{
    if (accept(p, PQT_STAR)) return s->star = true;
    store_pql_node holder = {0};
    do {
        if (!push(p, &holder, path(p))) return false;
    } while (accept(p, PQT_COMMA));
    s->projection = holder.kids;
    s->n_projection = holder.n;
    return true;
}

static bool order_by(parser *p, store_pql_statement *s)
{
    if (!accept_word(p, "ORDER")) return true;
    if (!expect_word(p, "BY") || !(s->order_by = path(p))) return false;
    if (accept_word(p, "DESC")) s->descending = true;
    else accept_word(p, "ASC");
    return true;
}

static store_pql_statement *select_statement(parser *p, store_pql_statement *s)
{
    s->kind = PQL_SELECT;
    if (!expect_word(p, "SELECT") || !projection(p, s) || !expect_word(p, "FROM") || !table_name(p, s)) return NULL;
    if (accept(p, PQT_DOT)) {
        size_t len;
        if (!(s->index = name(p, &len))) return NULL;
    }
    return where(p, s) && order_by(p, s) ? s : NULL;
}

static bool returning(parser *p, store_pql_statement *s);

static bool insert_statement(parser *p, store_pql_statement *s)
{
    s->kind = PQL_INSERT;
    return expect_word(p, "INSERT") && expect_word(p, "INTO") && table_name(p, s) && expect_word(p, "VALUE") &&
           (s->value = value(p)) != NULL && returning(p, s);
}

static bool add_action(parser *p, store_pql_statement *s, store_pql_node *target, store_pql_node *v, bool remove)
{
    if (!target || (!remove && !v)) return false;
    if ((s->n_actions & (s->n_actions - 1)) == 0) {
        store_pql_action *more = arena_alloc(p, (s->n_actions ? 2 * s->n_actions : 1) * sizeof *more);
        if (!more) return false;
        if (s->n_actions) memcpy(more, s->actions, s->n_actions * sizeof *more);
        s->actions = more;
    }
    s->actions[s->n_actions++] = (store_pql_action){remove, target, v};
    return true;
}

static bool set_clause(parser *p, store_pql_statement *s)
{
    do {
        store_pql_node *target = path(p);
        if (!target || !expect(p, PQT_EQ) || !add_action(p, s, target, sum(p), false)) return false;
    } while (accept(p, PQT_COMMA));
    return true;
}

static bool remove_clause(parser *p, store_pql_statement *s)
{
    do {
        if (!add_action(p, s, path(p), NULL, true)) return false;
    } while (accept(p, PQT_COMMA));
    return true;
}

static bool returning(parser *p, store_pql_statement *s)
{
    if (!accept_word(p, "RETURNING")) return true;
    bool all = accept_word(p, "ALL");
    if (!all && !expect_word(p, "MODIFIED")) return false;
    bool old = accept_word(p, "OLD");
    if (!old && !expect_word(p, "NEW")) return false;
    if (!expect(p, PQT_STAR)) return false;
    s->returning = all ? (old ? PQL_RETURN_ALL_OLD : PQL_RETURN_ALL_NEW)
                       : (old ? PQL_RETURN_MODIFIED_OLD : PQL_RETURN_MODIFIED_NEW);
    return true;
}

static bool update_statement(parser *p, store_pql_statement *s)
{
    s->kind = PQL_UPDATE;
    if (!expect_word(p, "UPDATE") || !table_name(p, s)) return false;
    for (;;) {
        if (accept_word(p, "SET")) { if (!set_clause(p, s)) return false; }
        else if (accept_word(p, "REMOVE")) { if (!remove_clause(p, s)) return false; }
        else break;
    }
    if (!s->n_actions) return unexpected(p);
    return where(p, s) && returning(p, s);
}

static bool delete_statement(parser *p, store_pql_statement *s)
{
    s->kind = PQL_DELETE;
    return expect_word(p, "DELETE") && expect_word(p, "FROM") && table_name(p, s) && where(p, s) && returning(p, s);
}

static bool exists_statement(parser *p, store_pql_statement *s)
{
    s->kind = PQL_EXISTS_CHECK;
    size_t pos = p->tok.start;
    advance(p);
    return (s->exists = exists_call(p, pos)) != NULL;
}

static bool statement(parser *p, store_pql_statement *s)
{
    if (at_word(p, "SELECT")) return select_statement(p, s) != NULL;
    if (at_word(p, "INSERT")) return insert_statement(p, s);
    if (at_word(p, "UPDATE")) return update_statement(p, s);
    if (at_word(p, "DELETE")) return delete_statement(p, s);
    if (at_word(p, "EXISTS")) return exists_statement(p, s);
    if (!p->failed && at(p, PQT_BAD)) return unexpected(p);
    if (!p->failed) store_fail(p->err, STORE_ERR_VALIDATION, "%sExpected data manipulation", malformed);
    p->failed = true;
    return false;
}

/* The statement and its first arena chunk (a store_pql_arena and its
 * FIRST_CHUNK bytes), in one allocation. */
typedef struct statement_block {
    store_pql_statement s;
    max_align_t first[];
} statement_block;

static store_pql_arena *first_chunk(statement_block *b) { return (store_pql_arena *)b->first; }

store_pql_statement *store_pql_parse(const char *text, size_t len, store_error *err)
{
    statement_block *block = malloc(sizeof *block + sizeof(store_pql_arena) + FIRST_CHUNK);
    if (!block) { store_fail(err, STORE_ERR_INTERNAL, "out of memory"); return NULL; }
    memset(&block->s, 0, sizeof block->s);
    *first_chunk(block) = (store_pql_arena){.next = NULL, .used = 0, .size = FIRST_CHUNK};
    store_pql_statement *s = &block->s;
    s->arena = first_chunk(block);
    parser p = {.s = text, .len = len, .top = s, .err = err};
    p.tok = store_pql_next_token(text, len, 0);
    bool ok = len <= STORE_PQL_MAX_LEN || fail_at(&p, STORE_PQL_MAX_LEN, "Statement too long");
    ok = ok && statement(&p, s);
    if (ok) accept(&p, PQT_SEMICOLON);
    if (ok && !at(&p, PQT_END)) ok = unexpected(&p);
    if (!ok) {
        store_pql_free(s);
        return NULL;
    }
    s->params = p.params;
    return s;
}

void store_pql_free(store_pql_statement *s)
{
    if (!s) return;
    statement_block *block = (statement_block *)s; /* s is the block's first member */
    for (store_pql_arena *a = s->arena, *next; a && a != first_chunk(block); a = next) {
        next = a->next;
        free(a);
    }
    free(block);
}
