/* store/expr_internal.h — what the expression files share and nobody else
 * needs: tokens, document paths, the syntax tree and the parser's state.
 *
 * One tree serves every kind of expression. A document path is a list of
 * steps (a name or a list index); an operand is a path, a value or a
 * function call; a condition is a comparison, BETWEEN, IN, a function, or
 * AND/OR/NOT over conditions; an update action is a path and an operand. */
#ifndef STORE_EXPR_INTERNAL_H
#define STORE_EXPR_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "store/expr.h"

/* ---- tokens (expr_lex.c) ---- */
typedef enum expr_tok_kind {
    TOK_EOF, TOK_IDENT, TOK_NAME, TOK_VALUE, TOK_NUMBER,
    TOK_LPAREN, TOK_RPAREN, TOK_LBRACKET, TOK_RBRACKET, TOK_COMMA, TOK_DOT,
    TOK_EQ, TOK_NE, TOK_LT, TOK_LE, TOK_GT, TOK_GE, TOK_PLUS, TOK_MINUS,
    TOK_BAD   /* a character no token starts with */
} expr_tok_kind;

typedef struct expr_token {
    expr_tok_kind kind;
    uint32_t start, len;    /* bytes of the expression text */
} expr_token;

typedef struct expr_tokens {
    const char *text;
    expr_token *toks;       /* always ends with one TOK_EOF */
    size_t count;
} expr_tokens;

/* false only when out of memory. */
bool expr_lex(const char *text, size_t len, expr_tokens *out);
void expr_tokens_free(expr_tokens *t);
/* DynamoDB's reserved words, compared without regard to case. */
bool expr_is_reserved(const char *word, size_t len);

/* ---- document paths ---- */
typedef struct expr_step {
    store_value *name;      /* a reference; NULL for a list index */
    uint32_t index;
} expr_step;

typedef struct expr_path {
    expr_step *steps;
    uint32_t count;
} expr_path;

void expr_path_clear(expr_path *p);
bool expr_path_equal(const expr_path *a, const expr_path *b);
/* DynamoDB's rendering for messages: "[a, b, [2]]". */
void expr_path_render(const expr_path *p, char *out, size_t cap);
/* The value at a path, NULL if any step is missing or of the wrong type. */
const store_value *expr_path_get(const store_value *item, const expr_path *p);

/* ---- the syntax tree ---- */
typedef enum expr_kind {
    EXPR_PATH, EXPR_VALUE, EXPR_FUNC,          /* operands (a FUNC may be a condition) */
    EXPR_PLUS, EXPR_MINUS,                     /* update arithmetic */
    EXPR_CMP, EXPR_BETWEEN, EXPR_IN, EXPR_AND, EXPR_OR, EXPR_NOT
} expr_kind;

typedef enum expr_func {
    FN_ATTRIBUTE_EXISTS, FN_ATTRIBUTE_NOT_EXISTS, FN_ATTRIBUTE_TYPE,
    FN_BEGINS_WITH, FN_CONTAINS, FN_SIZE, FN_IF_NOT_EXISTS, FN_LIST_APPEND,
    FN_UNKNOWN
} expr_func;

typedef struct expr_node {
    expr_kind kind;
    int op;                 /* EXPR_CMP: a TOK_ comparator; EXPR_FUNC: an expr_func */
    bool parens;            /* written inside its own parentheses */
    store_value *value;     /* EXPR_VALUE: a reference */
    expr_path path;         /* EXPR_PATH */
    struct expr_node **args;
    uint32_t nargs;
} expr_node;

void expr_node_free(expr_node *n);
void expr_node_each_path(const expr_node *n, store_path_visit *visit, void *arg);
const char *expr_func_name(expr_func f);
bool expr_is_condition(const expr_node *n);

/* ---- the parser (expr_parse.c) ---- */

/* Errors found while parsing that are not syntax errors. DynamoDB reports
 * one of them, chosen by a fixed priority per kind of expression, so the
 * parser keeps the first of each category and picks at the end. */
typedef enum expr_fault {
    FAULT_PARENS, FAULT_UNKNOWN_FUNCTION, FAULT_MISUSED_FUNCTION, FAULT_RESERVED,
    FAULT_SECTION, FAULT_NAME, FAULT_VALUE, FAULT_OPERAND_COUNT, FAULT_DISTINCT,
    FAULT_OVERLAP, FAULT_CONFLICT, FAULT_OPERAND_TYPE, FAULT_FUNCTION, FAULT_NESTING,
    FAULT_CONDITION,        /* the first of NAME..FUNCTION settled by a simple condition */
    FAULT_COUNT
} expr_fault;

typedef enum expr_grammar { GRAMMAR_PROJECTION, GRAMMAR_CONDITION, GRAMMAR_UPDATE } expr_grammar;

typedef struct expr_parser {
    const char *label;          /* "ProjectionExpression", ... */
    expr_grammar grammar;
    expr_tokens toks;
    size_t pos;
    store_expr_env *env;
    store_error *err;
    bool failed;                /* a syntax error (or no memory) is in *err */
    int depth;
    int operators;              /* counted against STORE_EXPR_MAX_OPERATORS */
    bool has_fault[FAULT_COUNT];
    char fault[FAULT_COUNT][STORE_ERROR_MESSAGE_MAX];
} expr_parser;

/* Lexes text and checks its size; false with *err set. */
bool expr_parser_init(expr_parser *p, const char *label, expr_grammar g,
                      const char *text, store_expr_env *env, store_error *err);
void expr_parser_done(expr_parser *p);
/* Reports the highest-priority fault, if any; true when there was none. */
bool expr_parser_finish(expr_parser *p);
void expr_fault_set(expr_parser *p, expr_fault f, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool expr_syntax_error(expr_parser *p);
bool expr_out_of_memory(expr_parser *p);

const expr_token *expr_peek(const expr_parser *p);
bool expr_accept(expr_parser *p, expr_tok_kind k);
bool expr_at_keyword(const expr_parser *p, const char *kw);
bool expr_parse_path(expr_parser *p, expr_path *out);
/* Overlap and conflict of every pair of paths (projection and update). */
void expr_check_paths(expr_parser *p, const expr_path *paths, size_t n);
/* A condition (ConditionExpression, FilterExpression, KeyConditionExpression). */
expr_node *expr_parse_condition(expr_parser *p);
/* An operand of an update's SET: a path, a value, a function, + or -. */
expr_node *expr_parse_set_value(expr_parser *p);
/* ":v" → its value (marked used), or NULL with a fault recorded. */
store_value *expr_resolve_value(expr_parser *p, const expr_token *t);

/* ---- projections (expr_project.c) ---- */
/* A projection of copies of the given paths (which must not overlap). */
store_projection *expr_projection_of(const expr_path *paths, size_t n);

/* ---- conditions (expr_eval.c) ---- */
struct store_condition { expr_node *root; };
/* The value of an operand; *owned set when the caller must release it. */
const store_value *expr_operand_value(const expr_node *n, const store_value *item, store_value **owned);
int expr_eval(const expr_node *n, const store_value *item);

#endif
