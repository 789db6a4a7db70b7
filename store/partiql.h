/* store/partiql.h — DynamoDB's PartiQL dialect as a statement tree.
 *
 * The second grammar beside the expression language (expr.h): partiql_lex.c
 * turns text into tokens, partiql_parse.c parses them by recursive descent
 * into one store_pql_statement. Nothing here runs a statement: the emulator
 * compiles a tree onto the operations that already exist (GetItem, Query,
 * Scan, PutItem, UpdateItem, DeleteItem, the transactions), so one condition
 * evaluator, one update engine and one write path serve both front ends.
 * A syntax error is a ValidationException naming the line and column. */
#ifndef STORE_PARTIQL_H
#define STORE_PARTIQL_H

#include <stdbool.h>
#include <stddef.h>

#include "store/error.h"

#define STORE_PQL_MAX_LEN       8192   /* bytes of one statement, as the request shape allows */
#define STORE_PQL_MAX_DEPTH     64     /* nesting of expressions and literals */
#define STORE_PQL_MAX_PARAMS    1000   /* ? placeholders in one statement */
#define STORE_PQL_MAX_PATH      32     /* steps of one document path */

typedef enum store_pql_kind {
    /* values */
    PQL_STRING, PQL_NUMBER, PQL_TRUE, PQL_FALSE, PQL_NULL, PQL_MISSING,
    PQL_PARAM,                 /* ?, its position in .index */
    PQL_LIST, PQL_BAG,         /* [a, b], <<a, b>>: items in kids */
    PQL_STRUCT,                /* {'k': v}: kids alternate key (PQL_STRING) and value */
    /* document paths: kids are steps, PQL_NAME (text) or PQL_INDEX (index) */
    PQL_PATH, PQL_NAME, PQL_INDEX,
    /* expressions */
    PQL_AND, PQL_OR, PQL_NOT,
    PQL_COMPARE,               /* kids[0] op kids[1] */
    PQL_BETWEEN,               /* kids[0] BETWEEN kids[1] AND kids[2] */
    PQL_IN,                    /* kids[0] IN kids[1] (a list) */
    PQL_IS,                    /* kids[0] IS [NOT] type */
    PQL_CALL,                  /* text(kids...) */
    PQL_ADD, PQL_SUBTRACT,     /* arithmetic of SET */
    PQL_EXISTS,                /* EXISTS(SELECT ...): .select */
} store_pql_kind;

typedef enum store_pql_op { PQL_EQ, PQL_NE, PQL_LT, PQL_LE, PQL_GT, PQL_GE } store_pql_op;

/* The types IS names. */
typedef enum store_pql_type {
    PQL_IS_MISSING, PQL_IS_NULL, PQL_IS_BOOLEAN, PQL_IS_STRING, PQL_IS_NUMBER, PQL_IS_BLOB,
    PQL_IS_LIST, PQL_IS_STRUCT
} store_pql_type;

typedef struct store_pql_statement store_pql_statement;

typedef struct store_pql_node {
    store_pql_kind kind;
    size_t pos;                     /* offset in the statement, for messages */
    const char *text;               /* NUL-ended: a string's value, a number, a name, a function */
    size_t len;                     /* bytes of text (a string may hold NUL-free UTF-8 only) */
    long index;                     /* PQL_INDEX, PQL_PARAM */
    int op;                         /* PQL_COMPARE: store_pql_op; PQL_IS: store_pql_type */
    bool negated;                   /* IS NOT */
    struct store_pql_node **kids;
    size_t n;
    store_pql_statement *select;    /* PQL_EXISTS */
} store_pql_node;

typedef enum store_pql_statement_kind { PQL_SELECT, PQL_INSERT, PQL_UPDATE, PQL_DELETE, PQL_EXISTS_CHECK } store_pql_statement_kind;

typedef enum store_pql_returning {
    PQL_RETURN_NONE, PQL_RETURN_ALL_OLD, PQL_RETURN_MODIFIED_OLD, PQL_RETURN_ALL_NEW, PQL_RETURN_MODIFIED_NEW
} store_pql_returning;

/* One SET or REMOVE of an UPDATE. */
typedef struct store_pql_action {
    bool remove;
    store_pql_node *path;
    store_pql_node *value;          /* SET only */
} store_pql_action;

typedef struct store_pql_arena store_pql_arena;

struct store_pql_statement {
    store_pql_statement_kind kind;
    const char *table;              /* FROM / INTO / UPDATE target */
    const char *index;              /* SELECT FROM "table"."index", else NULL */
    bool star;                      /* SELECT * */
    store_pql_node **projection;    /* SELECT a, b.c[0] (paths) */
    size_t n_projection;
    store_pql_node *where;          /* NULL: none */
    store_pql_node *order_by;       /* a path, or NULL */
    bool descending;
    store_pql_node *value;          /* INSERT ... VALUE {...} */
    store_pql_action *actions;      /* UPDATE */
    size_t n_actions;
    store_pql_returning returning;
    store_pql_node *exists;         /* PQL_EXISTS_CHECK: the EXISTS(...) node */
    int params;                     /* how many ? the statement holds */
    store_pql_arena *arena;         /* every node of the tree (the top statement's) */
};

/* Parses one statement (an optional ';' may end it). NULL with a
 * ValidationException "Statement wasn't well formed, can't be processed: ..." */
store_pql_statement *store_pql_parse(const char *text, size_t len, store_error *err);
void store_pql_free(store_pql_statement *s);

/* The PartiQL reserved words (SQL-92's and PartiQL's own): unquoted, they are
 * keywords, never names. */
bool store_pql_is_reserved(const char *word, size_t len);

/* ---- the lexer, for the parser ---- */
typedef enum store_pql_tok_kind {
    PQT_END, PQT_WORD, PQT_QUOTED, PQT_STRING, PQT_NUMBER, PQT_PARAM,
    PQT_LPAREN, PQT_RPAREN, PQT_LBRACKET, PQT_RBRACKET, PQT_LBRACE, PQT_RBRACE,
    PQT_LBAG, PQT_RBAG, PQT_COMMA, PQT_DOT, PQT_COLON, PQT_STAR, PQT_SEMICOLON,
    PQT_EQ, PQT_NE, PQT_LT, PQT_LE, PQT_GT, PQT_GE, PQT_PLUS, PQT_MINUS, PQT_BAD,
} store_pql_tok_kind;

typedef struct store_pql_token {
    store_pql_tok_kind kind;
    size_t start, end;              /* offsets in the text; a quoted token includes its quotes */
} store_pql_token;

/* The token at offset i (comments and white space skipped first). An
 * unterminated string, name or comment is PQT_BAD. */
store_pql_token store_pql_next_token(const char *text, size_t len, size_t i);

#endif
