/* emulator/json_plain.c — the one-pass reading of plain JSON (see the header). */
#include "emulator/json_plain.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

typedef struct reader {
    const char *p, *end;
    int depth;
} reader;

static bool blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
static bool digit(const reader *r) { return r->p < r->end && *r->p >= '0' && *r->p <= '9'; }

static void skip_blanks(reader *r)
{
    while (r->p < r->end && blank(*r->p)) r->p++;
}

/* The next byte is c (blanks skipped before it), taken. */
static bool take(reader *r, char c)
{
    skip_blanks(r);
    if (r->p == r->end || *r->p != c) return false;
    r->p++;
    return true;
}

static cJSON *new_node(void)
{
    cJSON *n = cJSON_malloc(sizeof *n);
    if (n) memset(n, 0, sizeof *n);
    return n;
}

/* At '"': the string up to the next '"', copied, if it holds no escape. */
static char *plain_string(reader *r)
{
    const char *start = r->p + 1, *close = memchr(start, '"', (size_t)(r->end - start));
    if (!close || memchr(start, '\\', (size_t)(close - start))) return NULL;
    size_t n = (size_t)(close - start);
    char *s = cJSON_malloc(n + 1);
    if (!s) return NULL;
    memcpy(s, start, n);
    s[n] = 0;
    r->p = close + 1;
    return s;
}

static void skip_digits(reader *r)
{
    while (digit(r)) r->p++;
}

/* The bytes cJSON takes into a number; it reads them up to the first other one. */
static bool number_byte(char c) { return (c >= '0' && c <= '9') || c == '+' || c == '-' || c == 'e' || c == 'E' || c == '.'; }

/* A number as JSON spells it, read by strtod as cJSON reads it, saturating valueint as cJSON does. */
static bool plain_number(reader *r, cJSON *node)
{
    const char *start = r->p;
    if (r->p < r->end && *r->p == '-') r->p++;
    if (!digit(r)) return false;
    if (*r->p == '0') r->p++;
    else skip_digits(r);
    if (r->p < r->end && *r->p == '.') {
        r->p++;
        if (!digit(r)) return false;
        skip_digits(r);
    }
    if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
        r->p++;
        if (r->p < r->end && (*r->p == '+' || *r->p == '-')) r->p++;
        if (!digit(r)) return false;
        skip_digits(r);
    }
    size_t n = (size_t)(r->p - start);
    /* cJSON would read more of it (a leading zero's digits, a second sign) or stop short. */
    if (n > EMU_JSON_PLAIN_NUMBER_MAX || (r->p < r->end && number_byte(*r->p))) return false;
    char text[EMU_JSON_PLAIN_NUMBER_MAX + 1], *after;
    memcpy(text, start, n);
    text[n] = 0;
    double d = strtod(text, &after);
    if (after != text + n) return false;
    node->type = cJSON_Number;
    node->valuedouble = d;
    node->valueint = d >= INT_MAX ? INT_MAX : d <= (double)INT_MIN ? INT_MIN : (int)d;
    return true;
}

static bool literal(reader *r, const char *word, size_t n)
{
    if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0) return false;
    r->p += n;
    return true;
}

static bool plain_value(reader *r, cJSON *node);

/* The members (or elements) after '{' (or '['), each linked as cJSON links
 * them: in order, the first's prev naming the last. */
static bool plain_children(reader *r, cJSON *parent, bool named, char close)
{
    skip_blanks(r);
    if (r->p < r->end && *r->p == close) {
        r->p++;
        return true;
    }
    cJSON *last = NULL;
    do {
        cJSON *child = new_node();
        if (!child) return false;
        if (last) {
            last->next = child;
            child->prev = last;
        } else {
            parent->child = child;
        }
        last = child;
        parent->child->prev = last;
        if (named) {
            skip_blanks(r);
            if (r->p == r->end || *r->p != '"' || !(child->string = plain_string(r)) || !take(r, ':')) return false;
        }
        skip_blanks(r);
        if (!plain_value(r, child)) return false;
    } while (take(r, ','));
    return take(r, close);
}

static bool plain_value(reader *r, cJSON *node)
{
    if (r->p == r->end) return false;
    switch (*r->p) {
    case '"':
        node->type = cJSON_String;
        return (node->valuestring = plain_string(r)) != NULL;
    case '{':
    case '[': {
        bool object = *r->p == '{';
        node->type = object ? cJSON_Object : cJSON_Array;
        if (++r->depth > EMU_JSON_PLAIN_DEPTH_MAX) return false;
        r->p++;
        bool ok = plain_children(r, node, object, object ? '}' : ']');
        r->depth--;
        return ok;
    }
    case 't':
        node->type = cJSON_True;
        node->valueint = 1;
        return literal(r, "true", 4);
    case 'f':
        node->type = cJSON_False;
        return literal(r, "false", 5);
    case 'n':
        node->type = cJSON_NULL;
        return literal(r, "null", 4);
    default:
        return plain_number(r, node);
    }
}

cJSON *emu_json_parse_plain(const char *text, size_t len, bool *declined)
{
    *declined = true;
    reader r = {text, text + len, 0};
    skip_blanks(&r);
    if (r.p == r.end) return NULL; /* cJSON's answer to nothing */
    cJSON *root = new_node();
    if (!root) return NULL;
    bool ok = plain_value(&r, root);
    skip_blanks(&r);
    if (!ok || r.p != r.end) {
        cJSON_Delete(root); /* what was linked so far */
        return NULL;
    }
    *declined = false;
    return root;
}
