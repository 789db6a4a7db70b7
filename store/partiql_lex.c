/* store/partiql_lex.c — turns PartiQL text into tokens, and knows PartiQL's
 * reserved words.
 *
 * Tokens keep their offsets into the text, so a syntax error can say the
 * line and column where it stands. Comments (-- to the line's end, and
 * slash-star ones) are white space. */
#include "store/partiql.h"

#include <stdlib.h>
#include <string.h>
#include <ctype.h>

static bool is_word_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_word_part(char c) { return is_word_start(c) || is_digit(c) || c == '$'; }
static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

/* Past white space and comments; len + 1 for a comment left open, whose start goes in *open. */
static size_t skip_blank(const char *s, size_t len, size_t i, size_t *open)
{
    for (;;) {
        while (i < len && is_space(s[i])) i++;
        if (i + 1 < len && s[i] == '-' && s[i + 1] == '-') {
            while (i < len && s[i] != '\n') i++;
        } else if (i + 1 < len && s[i] == '/' && s[i + 1] == '*') {
            const char *close = NULL;
            for (size_t j = i + 2; j + 1 < len; j++)
                if (s[j] == '*' && s[j + 1] == '/') { close = s + j; break; }
            if (!close) { *open = i; return len + 1; }
            i = (size_t)(close - s) + 2;
        } else {
            return i;
        }
    }
}

/* The end of a quoted token opened at i (a doubled quote stands for one), or 0 if it never closes. */
static size_t quoted_end(const char *s, size_t len, size_t i)
{
    char q = s[i];
    for (size_t j = i + 1; j < len; j++) {
        if (s[j] != q) continue;
        if (j + 1 < len && s[j + 1] == q) { j++; continue; }
        return j + 1;
    }
    return 0;
}

static size_t number_end(const char *s, size_t len, size_t i)
{
    while (i < len && is_digit(s[i])) i++;
    if (i + 1 < len && s[i] == '.' && is_digit(s[i + 1])) {
        i++;
        while (i < len && is_digit(s[i])) i++;
    }
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        if (j < len && (s[j] == '+' || s[j] == '-')) j++;
        if (j < len && is_digit(s[j])) {
            while (j < len && is_digit(s[j])) j++;
            i = j;
        }
    }
    return i;
}

/* Two-character operators first, so "<=" is not "<" then "=". */
static store_pql_tok_kind punctuation(const char *s, size_t len, size_t i, size_t *width)
{
    char c = s[i], n = i + 1 < len ? s[i + 1] : 0;
    *width = 2;
    if (c == '<' && n == '>') return PQT_NE;
    if (c == '!' && n == '=') return PQT_NE;
    if (c == '<' && n == '=') return PQT_LE;
    if (c == '>' && n == '=') return PQT_GE;
    if (c == '<' && n == '<') return PQT_LBAG;
    if (c == '>' && n == '>') return PQT_RBAG;
    *width = 1;
    static const char singles[] = "()[]{},.:*;=<>+-?";
    static const store_pql_tok_kind kinds[] = {
        PQT_LPAREN, PQT_RPAREN, PQT_LBRACKET, PQT_RBRACKET, PQT_LBRACE, PQT_RBRACE, PQT_COMMA, PQT_DOT,
        PQT_COLON, PQT_STAR, PQT_SEMICOLON, PQT_EQ, PQT_LT, PQT_GT, PQT_PLUS, PQT_MINUS, PQT_PARAM};
    const char *at = c ? strchr(singles, c) : NULL;
    return at ? kinds[at - singles] : PQT_BAD;
}

store_pql_token store_pql_next_token(const char *s, size_t len, size_t i)
{
    store_pql_token t = {PQT_END, 0, 0};
    size_t open = 0;
    i = skip_blank(s, len, i, &open);
    if (i > len) { t.kind = PQT_BAD; t.start = open; t.end = len; return t; }
    t.start = i;
    if (i == len) { t.end = i; return t; }
    char c = s[i];
    size_t end = i + 1;
    if (is_word_start(c)) {
        while (end < len && is_word_part(s[end])) end++;
        t.kind = PQT_WORD;
    } else if (c == '"' || c == '\'') {
        end = quoted_end(s, len, i);
        t.kind = !end ? PQT_BAD : c == '"' ? PQT_QUOTED : PQT_STRING;
        if (!end) end = len;
    } else if (is_digit(c) || (c == '.' && i + 1 < len && is_digit(s[i + 1]))) {
        end = number_end(s, len, c == '.' ? i + 1 : i);
        t.kind = PQT_NUMBER;
    } else {
        size_t width;
        t.kind = punctuation(s, len, i, &width);
        end = i + width;
    }
    t.end = end;
    return t;
}

/* SQL-92's reserved words and PartiQL's own, sorted for bsearch. */
static const char *const reserved[] = {
    "ABSOLUTE", "ACTION", "ADD", "ALL", "ALLOCATE", "ALTER", "AND", "ANY", "ARE", "AS", "ASC", "ASSERTION", "AT",
    "AUTHORIZATION", "AVG", "BAG", "BEGIN", "BETWEEN", "BIT", "BIT_LENGTH", "BLOB", "BOOL", "BOOLEAN", "BOTH", "BY",
    "CAN_CAST", "CAN_LOSSLESS_CAST", "CASCADE", "CASCADED", "CASE", "CAST", "CATALOG", "CHAR", "CHARACTER",
    "CHARACTER_LENGTH", "CHAR_LENGTH", "CHECK", "CLOB", "CLOSE", "COALESCE", "COLLATE", "COLLATION", "COLUMN",
    "COMMIT", "CONFLICT", "CONNECT", "CONNECTION", "CONSTRAINT", "CONSTRAINTS", "CONTINUE", "CONVERT",
    "CORRESPONDING", "COUNT", "CREATE", "CROSS", "CURRENT", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP",
    "CURRENT_USER", "CURSOR", "DATE", "DATE_ADD", "DATE_DIFF", "DAY", "DEALLOCATE", "DEC", "DECIMAL", "DECLARE",
    "DEFAULT", "DEFERRABLE", "DEFERRED", "DELETE", "DESC", "DESCRIBE", "DESCRIPTOR", "DIAGNOSTICS", "DISCONNECT",
    "DISTINCT", "DO", "DOMAIN", "DOUBLE", "DROP", "ELSE", "END", "END-EXEC", "ESCAPE", "EXCEPT", "EXCEPTION",
    "EXCLUDED", "EXEC", "EXECUTE", "EXISTS", "EXTERNAL", "EXTRACT", "FALSE", "FETCH", "FIRST", "FLOAT", "FOR",
    "FOREIGN", "FOUND", "FROM", "FULL", "GET", "GLOBAL", "GO", "GOTO", "GRANT", "GROUP", "HAVING", "HOUR",
    "IDENTITY", "IMMEDIATE", "IN", "INDEX", "INDICATOR", "INITIALLY", "INNER", "INPUT", "INSENSITIVE", "INSERT",
    "INT", "INTEGER", "INTERSECT", "INTERVAL", "INTO", "IS", "ISOLATION", "JOIN", "KEY", "LANGUAGE", "LAST",
    "LEADING", "LEFT", "LET", "LEVEL", "LIKE", "LIMIT", "LIST", "LOCAL", "LOWER", "MATCH", "MAX", "MIN", "MINUTE",
    "MISSING", "MODULE", "MONTH", "NAMES", "NATIONAL", "NATURAL", "NCHAR", "NEXT", "NO", "NOT", "NULL", "NULLIF",
    "NUMERIC", "OCTET_LENGTH", "OF", "OFFSET", "ON", "ONLY", "OPEN", "OPTION", "OR", "ORDER", "OUTER", "OUTPUT",
    "OVERLAPS", "PAD", "PARTIAL", "PIVOT", "POSITION", "PRECISION", "PREPARE", "PRESERVE", "PRIMARY", "PRIOR",
    "PRIVILEGES", "PROCEDURE", "PUBLIC", "READ", "REAL", "REFERENCES", "RELATIVE", "REMOVE", "RESTRICT", "REVOKE",
    "RIGHT", "ROLLBACK", "ROWS", "SCHEMA", "SCROLL", "SECOND", "SECTION", "SELECT", "SESSION", "SESSION_USER",
    "SET", "SEXP", "SIZE", "SMALLINT", "SOME", "SPACE", "SQL", "SQLCODE", "SQLERROR", "SQLSTATE", "STRING",
    "STRUCT", "SUBSTRING", "SUM", "SYMBOL", "SYSTEM_USER", "TABLE", "TEMPORARY", "THEN", "TIME", "TIMESTAMP",
    "TIMEZONE_HOUR", "TIMEZONE_MINUTE", "TO", "TRAILING", "TRANSACTION", "TRANSLATE", "TRANSLATION", "TRIM", "TRUE",
    "TUPLE", "UNION", "UNIQUE", "UNKNOWN", "UNPIVOT", "UPDATE", "UPPER", "USAGE", "USER", "USING", "VALUE",
    "VALUES", "VARCHAR", "VARYING", "VIEW", "WHEN", "WHENEVER", "WHERE", "WITH", "WORK", "WRITE", "YEAR", "ZONE",
};

typedef struct word_key {
    const char *s;
    size_t len;
} word_key;

static int by_word(const void *key, const void *entry)
{
    const word_key *k = key;
    const char *w = *(const char *const *)entry;
    for (size_t i = 0;; i++) {
        int a = i < k->len ? toupper((unsigned char)k->s[i]) : 0, b = (unsigned char)w[i];
        if (a != b || !a) return a - b;
    }
}

bool store_pql_is_reserved(const char *word, size_t len)
{
    word_key k = {word, len};
    return bsearch(&k, reserved, sizeof reserved / sizeof reserved[0], sizeof reserved[0], by_word) != NULL;
}
