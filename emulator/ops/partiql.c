/* emulator/ops/partiql.c — compiles a PartiQL statement tree onto an existing
 * operation's request (see partiql.h).
 *
 * Paths become #n placeholders and values :v placeholders, so any name (a
 * reserved word of the expression language included) and any value pass
 * through unchanged. The WHERE clause is split into its top-level AND terms:
 * equalities on key attributes give the Key (or a Query's key condition) and
 * the rest becomes the condition (or the filter), as DynamoDB decides; a
 * term naming only partition key values (IN, or equalities joined by OR)
 * makes a Query per value.
 *
 * A statement compiles once per mode and key schema into a plan (partiql.h)
 * whose ? are placeholders; each request binds its Parameters into the plan
 * by reference, so a repeated statement costs its binding and its operation. */
#include "emulator/ops/partiql.h"
#include "emulator/request_arena.h"
#include "store/partiql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KEY_NAME EMU_PQL_MAX_KEY_NAME
#define MAX_TERMS    256   /* top-level AND terms of one WHERE */

/* AWS's own answers, as clients report them: this one, "Expected data
 * manipulation" (partiql_parse.c), "Number of parameters in request and
 * statement don't match." and "Duplicate primary key exists in table". A
 * duplicate in a SELECT list is the ProjectionExpression's overlap error,
 * which the list compiles onto. The other messages here are the closest
 * wording known, not confirmed. */
static const char incomplete_key[] = "Where clause does not contain a mandatory equality on all key attributes";
/* AWS's wording is not documented: the limit is (see EMU_PQL_MAX_PARTITIONS). */
static const char too_many_partitions[] = "IN on the partition key takes at most 50 values";

typedef emu_pql_keys key_names;
typedef emu_pql_source source;

/* What one compilation builds: the expression text being written and the
 * names and values it refers to. */
typedef struct builder {
    emu_ctx *ctx;
    const cJSON *params;
    cJSON *names, *values;
    int n_names, n_values;
    store_text text;
    bool failed;
    bool read_params;       /* the plan holds values of this request's Parameters: it is not kept */
    cJSON *partitions;      /* a SELECT's partition key values, when it queries each */
} builder;

static bool fail(builder *b, const char *fmt, const char *arg)
{
    if (!b->failed) store_fail(&b->ctx->err, STORE_ERR_VALIDATION, fmt, arg);
    b->failed = true;
    return false;
}

/* A piece of the request could not be made: the statement is refused as out
 * of memory, never run with the piece missing. */
static bool out_of_memory(builder *b)
{
    if (!b->failed) emu_oom(b->ctx);
    b->failed = true;
    return false;
}

/* Adds v (taken; NULL when it could not be made) under name, or to the array obj. */
static bool add(builder *b, cJSON *obj, const char *name, cJSON *v)
{
    if (!v && b->failed) return false;
    return store_json_add(obj, name, v) || out_of_memory(b);
}

/* ---- values: a literal or a parameter as DynamoDB JSON ---- */

static cJSON *value_json(builder *b, const store_pql_node *n);

/* Where a request binds the ?'s value (see bind). */
static cJSON *placeholder(long index)
{
    cJSON *p = cJSON_CreateNull();
    if (p) {
        p->type = cJSON_Invalid;
        p->valueint = (int)index;
    }
    return p;
}

/* {type: v} (v taken), or NULL when out of memory. */
static cJSON *typed(const char *type, cJSON *v)
{
    cJSON *o = cJSON_CreateObject();
    if (o && store_json_add(o, type, v)) return o;
    if (!o) cJSON_Delete(v);
    cJSON_Delete(o);
    return NULL;
}

static cJSON *string_value(const char *type, const char *text) { return typed(type, cJSON_CreateString(text)); }

static cJSON *list_value(builder *b, const store_pql_node *n)
{
    cJSON *l = cJSON_CreateArray();
    if (!l) { out_of_memory(b); return NULL; }
    for (size_t i = 0; i < n->n; i++)
        if (!add(b, l, NULL, value_json(b, n->kids[i]))) { cJSON_Delete(l); return NULL; }
    return typed("L", l);
}

static cJSON *struct_value(builder *b, const store_pql_node *n)
{
    cJSON *m = cJSON_CreateObject();
    if (!m) { out_of_memory(b); return NULL; }
    for (size_t i = 0; i + 1 < n->n; i += 2) {
        const char *key = n->kids[i]->text;
        cJSON *v = cJSON_GetObjectItemCaseSensitive(m, key) ? NULL : value_json(b, n->kids[i + 1]);
        if (!v && !b->failed) fail(b, "Duplicate keys in tuple. Key: %s", key);
        if (!v || !add(b, m, key, v)) {
            cJSON_Delete(m);
            return NULL;
        }
    }
    return typed("M", m);
}

/* <<...>>: a String Set or a Number Set (a Binary Set comes as a parameter). */
static cJSON *bag_value(builder *b, const store_pql_node *n)
{
    if (!n->n) { fail(b, "%s", "Empty bags are not supported"); return NULL; }
    const char *set_type = NULL;
    cJSON *members = cJSON_CreateArray();
    for (size_t i = 0; i < n->n; i++) {
        /* The set's type depends on a ?'s value: this request's own goes in. */
        bool param = n->kids[i]->kind == PQL_PARAM;
        b->read_params |= param;
        cJSON *v = param ? cJSON_Duplicate(cJSON_GetArrayItem(b->params, (int)n->kids[i]->index), true)
                         : value_json(b, n->kids[i]);
        const cJSON *scalar = v && v->child && v->child->string ? v->child : NULL;
        const char *type = !scalar ? NULL : !strcmp(scalar->string, "S") ? "SS" : !strcmp(scalar->string, "N") ? "NS"
                           : !strcmp(scalar->string, "B") ? "BS" : NULL;
        if (!type || (set_type && strcmp(type, set_type))) {
            if (v) fail(b, "%s", "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags");
            cJSON_Delete(v);
            cJSON_Delete(members);
            return NULL;
        }
        set_type = type;
        bool added = add(b, members, NULL, cJSON_Duplicate(scalar, false));
        cJSON_Delete(v);
        if (!added) { cJSON_Delete(members); return NULL; }
    }
    return typed(set_type, members);
}

static cJSON *value_json(builder *b, const store_pql_node *n)
{
    switch (n->kind) {
    case PQL_STRING: return string_value("S", n->text);
    case PQL_NUMBER: return string_value("N", n->text);
    case PQL_TRUE: return typed("BOOL", cJSON_CreateTrue());
    case PQL_FALSE: return typed("BOOL", cJSON_CreateFalse());
    case PQL_NULL: return typed("NULL", cJSON_CreateTrue());
    case PQL_PARAM: return placeholder(n->index);
    case PQL_LIST: return list_value(b, n);
    case PQL_STRUCT: return struct_value(b, n);
    case PQL_BAG: return bag_value(b, n);
    case PQL_MISSING: fail(b, "%s", "MISSING must be compared using IS operator"); return NULL;
    default: fail(b, "Unsupported token in expression: %s", "a value is expected"); return NULL;
    }
}

static bool is_value(const store_pql_node *n)
{
    switch (n->kind) {
    case PQL_STRING: case PQL_NUMBER: case PQL_TRUE: case PQL_FALSE: case PQL_NULL: case PQL_PARAM:
    case PQL_LIST: case PQL_STRUCT: case PQL_BAG: case PQL_MISSING:
        return true;
    default:
        return false;
    }
}

/* ---- writing expression text ---- */

static void put(builder *b, const char *s) { store_text_put(&b->text, s, strlen(s)); }

/* The #n standing for name, reused when the name already has one. */
static void put_name(builder *b, const char *name)
{
    if (!b->names) b->names = cJSON_CreateObject();
    if (!b->names) { out_of_memory(b); return; }
    int i = 0;
    for (const cJSON *m = b->names->child; m; m = m->next, i++)
        if (strcmp(m->valuestring, name) == 0) { put(b, m->string); return; }
    char placeholder[16];
    snprintf(placeholder, sizeof placeholder, "#n%d", b->n_names++);
    if (!cJSON_AddStringToObject(b->names, placeholder, name)) out_of_memory(b);
    put(b, placeholder);
}

static void put_path(builder *b, const store_pql_node *path)
{
    for (size_t i = 0; i < path->n; i++) {
        const store_pql_node *step = path->kids[i];
        if (step->kind == PQL_NAME) {
            if (i) put(b, ".");
            put_name(b, step->text);
        } else {
            char buf[32];
            snprintf(buf, sizeof buf, "[%ld]", step->index);
            put(b, buf);
        }
    }
}

/* Adds v (taken) as the next :v placeholder. */
static bool put_json_value(builder *b, cJSON *v)
{
    if (!v) return b->failed ? false : out_of_memory(b);
    if (!b->values) b->values = cJSON_CreateObject();
    char placeholder[16];
    snprintf(placeholder, sizeof placeholder, ":v%d", b->n_values++);
    if (!b->values) { cJSON_Delete(v); return out_of_memory(b); }
    if (!add(b, b->values, placeholder, v)) return false;
    put(b, placeholder);
    return true;
}

static bool put_value(builder *b, const store_pql_node *n) { return put_json_value(b, value_json(b, n)); }

static bool put_operand(builder *b, const store_pql_node *n);

static bool put_call(builder *b, const store_pql_node *n)
{
    put(b, n->text);
    put(b, "(");
    for (size_t i = 0; i < n->n; i++) {
        if (i) put(b, ", ");
        if (!put_operand(b, n->kids[i])) return false;
    }
    put(b, ")");
    return true;
}

/* Functions the expression language shares with PartiQL, by where they may stand. */
static bool known(const char *name, const char *const *names)
{
    for (; *names; names++)
        if (strcmp(name, *names) == 0) return true;
    return false;
}

static const char *const condition_functions[] = {"begins_with", "contains", "attribute_type", "attribute_exists",
                                                  "attribute_not_exists", NULL};
static const char *const operand_functions[] = {"size", "list_append", "if_not_exists", NULL};

static bool put_operand(builder *b, const store_pql_node *n)
{
    if (n->kind == PQL_PATH) { put_path(b, n); return true; }
    if (is_value(n)) return put_value(b, n);
    if (n->kind == PQL_CALL) {
        if (!known(n->text, operand_functions)) return fail(b, "Unrecognized function: %s", n->text);
        return put_call(b, n);
    }
    if (n->kind == PQL_ADD || n->kind == PQL_SUBTRACT) {
        if (!put_operand(b, n->kids[0])) return false;
        put(b, n->kind == PQL_ADD ? " + " : " - ");
        return put_operand(b, n->kids[1]);
    }
    return fail(b, "Unsupported token in expression: %s", "a condition where a value is expected");
}

static const char *const comparators[] = {[PQL_EQ] = " = ", [PQL_NE] = " <> ", [PQL_LT] = " < ",
                                          [PQL_LE] = " <= ", [PQL_GT] = " > ", [PQL_GE] = " >= "};

/* attribute_type's name for each type IS may name (MISSING aside). */
static const char *const is_types[] = {[PQL_IS_NULL] = "NULL", [PQL_IS_BOOLEAN] = "BOOL", [PQL_IS_STRING] = "S",
                                       [PQL_IS_NUMBER] = "N", [PQL_IS_BLOB] = "B", [PQL_IS_LIST] = "L",
                                       [PQL_IS_STRUCT] = "M"};

static bool put_is(builder *b, const store_pql_node *n)
{
    const store_pql_node *subject = n->kids[0];
    if (subject->kind != PQL_PATH)
        return fail(b, "%s", "The left hand side argument to IS must be a Variable Reference, Literal, or Path");
    if (n->op == PQL_IS_MISSING) {
        put(b, n->negated ? "attribute_exists(" : "attribute_not_exists(");
        put_path(b, subject);
        put(b, ")");
        return true;
    }
    if (n->negated) put(b, "NOT ");
    put(b, "attribute_type(");
    put_path(b, subject);
    put(b, ", ");
    store_pql_node type = {.kind = PQL_STRING, .text = is_types[n->op]};
    bool ok = put_value(b, &type);
    put(b, ")");
    return ok;
}

static bool put_condition(builder *b, const store_pql_node *n)
{
    switch (n->kind) {
    case PQL_AND:
    case PQL_OR:
        put(b, "(");
        if (!put_condition(b, n->kids[0])) return false;
        put(b, n->kind == PQL_AND ? " AND " : " OR ");
        if (!put_condition(b, n->kids[1])) return false;
        put(b, ")");
        return true;
    case PQL_NOT:
        put(b, "(NOT ");
        if (!put_condition(b, n->kids[0])) return false;
        put(b, ")");
        return true;
    case PQL_COMPARE:
        if (!put_operand(b, n->kids[0])) return false;
        put(b, comparators[n->op]);
        return put_operand(b, n->kids[1]);
    case PQL_BETWEEN:
        if (!put_operand(b, n->kids[0])) return false;
        put(b, " BETWEEN ");
        if (!put_operand(b, n->kids[1])) return false;
        put(b, " AND ");
        return put_operand(b, n->kids[2]);
    case PQL_IN: {
        const store_pql_node *list = n->kids[1];
        if (n->kids[0]->kind != PQL_PATH || !list->n)
            return fail(b, "%s", "IN operator must have a left hand argument of type Variable Reference and right hand "
                                 "argument of type Seq with at least one member");
        put_path(b, n->kids[0]);
        put(b, " IN (");
        for (size_t i = 0; i < list->n; i++) {
            if (i) put(b, ", ");
            if (!put_operand(b, list->kids[i])) return false;
        }
        put(b, ")");
        return true;
    }
    case PQL_IS:
        return put_is(b, n);
    case PQL_CALL:
        if (!known(n->text, condition_functions)) return fail(b, "Unrecognized function: %s", n->text);
        return put_call(b, n);
    case PQL_EXISTS:
        return fail(b, "%s", "EXISTS can only be used in ExecuteTransaction write requests.");
    default:
        return fail(b, "%s", "WHERE clause must contain an expression that resolves to a boolean");
    }
}

/* The text written since mark, as a NUL-ended string the builder keeps. */
static char *take_text(builder *b, size_t mark)
{
    if (b->text.failed) { b->failed = true; store_fail(&b->ctx->err, STORE_ERR_INTERNAL, "out of memory"); return NULL; }
    size_t n = b->text.len - mark;
    char *s = malloc(n + 1);
    if (!s) { out_of_memory(b); return NULL; }
    if (n) memcpy(s, b->text.data + mark, n);
    s[n] = 0;
    return s;
}

/* Adds member = the text written since mark (an expression the builder made). */
static bool add_text_member(builder *b, cJSON *req, const char *member, size_t mark)
{
    char *text = take_text(b, mark);
    bool ok = text && cJSON_AddStringToObject(req, member, text);
    free(text);
    return ok || store_fail(&b->ctx->err, STORE_ERR_INTERNAL, "out of memory");
}

/* Adds member = the condition of terms joined by AND (prefix first, if given). */
static bool add_condition(builder *b, cJSON *req, const char *member, const char *prefix,
                          store_pql_node *const *terms, size_t n)
{
    if (!n && !prefix) return true;
    size_t mark = b->text.len;
    if (prefix) put(b, prefix);
    for (size_t i = 0; i < n; i++) {
        if (i || prefix) put(b, " AND ");
        if (!put_condition(b, terms[i])) return false;
    }
    return add_text_member(b, req, member, mark);
}

/* ---- the WHERE clause's terms ---- */

typedef struct terms {
    store_pql_node *list[MAX_TERMS];
    size_t n;
} terms;

static bool flatten(builder *b, store_pql_node *n, terms *t)
{
    if (n->kind == PQL_AND) return flatten(b, n->kids[0], t) && flatten(b, n->kids[1], t);
    if (t->n == MAX_TERMS) return fail(b, "%s", "Too many conditions in the where clause");
    t->list[t->n++] = n;
    return true;
}

static void remove_term(terms *t, size_t i)
{
    memmove(t->list + i, t->list + i + 1, (t->n - i - 1) * sizeof t->list[0]);
    t->n--;
}

/* The attribute a path names when it is a bare top-level name. */
static const char *top_name(const store_pql_node *n)
{
    return n->kind == PQL_PATH && n->n == 1 && n->kids[0]->kind == PQL_NAME ? n->kids[0]->text : NULL;
}

/* If term is `name = value` (either way round), the value. */
static const store_pql_node *equality_on(const store_pql_node *term, const char *name)
{
    if (term->kind != PQL_COMPARE || term->op != PQL_EQ) return NULL;
    for (int side = 0; side < 2; side++) {
        const char *a = top_name(term->kids[side]);
        if (a && strcmp(a, name) == 0 && is_value(term->kids[1 - side])) return term->kids[1 - side];
    }
    return NULL;
}

/* Takes the equality on name out of t; NULL if there is none. */
static const store_pql_node *take_equality(terms *t, const char *name)
{
    for (size_t i = 0; i < t->n; i++) {
        const store_pql_node *v = equality_on(t->list[i], name);
        if (v) { remove_term(t, i); return v; }
    }
    return NULL;
}

static bool mentions(const store_pql_node *n, const char *name)
{
    const char *top = n->kind == PQL_PATH ? n->kids[0]->text : NULL;
    if (top && strcmp(top, name) == 0) return true;
    for (size_t i = 0; n->kind != PQL_PATH && i < n->n; i++)
        if (mentions(n->kids[i], name)) return true;
    return false;
}

static bool terms_mention(const terms *t, const key_names *k)
{
    for (size_t i = 0; i < t->n; i++)
        if (mentions(t->list[i], k->pk) || (*k->sk && mentions(t->list[i], k->sk))) return true;
    return false;
}

/* Takes the full key of k out of t into a Key object added to req. */
static bool take_key(builder *b, terms *t, const key_names *k, cJSON *req)
{
    const store_pql_node *pk = take_equality(t, k->pk);
    const store_pql_node *sk = *k->sk ? take_equality(t, k->sk) : NULL;
    if (!pk || (*k->sk && !sk)) return fail(b, "%s", incomplete_key);
    cJSON *key = cJSON_AddObjectToObject(req, "Key");
    if (!key) return out_of_memory(b);
    return add(b, key, k->pk, value_json(b, pk)) && (!sk || add(b, key, k->sk, value_json(b, sk)));
}

/* ---- tables ---- */

/* dst = src, cut to MAX_KEY_NAME - 1 bytes (no key attribute name is longer than 255). */
static void copy_name(char dst[MAX_KEY_NAME], const char *src)
{
    size_t n = strnlen(src, MAX_KEY_NAME - 1);
    memcpy(dst, src, n);
    dst[n] = 0;
}

static void copy_keys(key_names *out, const store_key_schema *k)
{
    copy_name(out->pk, store_bytes(k->names.pk_name));
    copy_name(out->sk, k->names.sk_name ? store_bytes(k->names.sk_name) : "");
}

/* The key names of the table (and index) named, read under the read lock;
 * the table's name is checked first unless a plan shows it was already. */
static bool look_up(emu_ctx *ctx, const char *table, const char *index, bool check_name, source *src)
{
    size_t len = strlen(table);
    if (check_name && (len < STORE_MIN_TABLE_NAME || len > STORE_MAX_TABLE_NAME || strspn(table,
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != len))
        return store_fail(&ctx->err, STORE_ERR_VALIDATION, "Table name should be within the length [3, 255] and only "
                          "contain 'a-z', 'A-Z', '0-9', '-', '_', '.'.");
    store_db_read_lock(ctx->db);
    const store_table *t = emu_table(ctx, table);
    if (t) {
        copy_keys(&src->table, &t->key);
        copy_keys(&src->read, &t->key); /* the names only, not the whole buffers */
        src->index_known = false;
        for (size_t i = 0; index && i < t->n_indexes; i++) {
            if (strcmp(t->indexes[i].name, index) != 0) continue;
            copy_keys(&src->read, &t->indexes[i].key);
            src->index_known = true;
        }
    }
    store_db_unlock(ctx->db);
    return t != NULL;
}

static bool same_keys(const key_names *a, const key_names *b) { return !strcmp(a->pk, b->pk) && !strcmp(a->sk, b->sk); }

static bool same_source(const source *a, const source *b)
{
    return a->index_known == b->index_known && same_keys(&a->table, &b->table) && same_keys(&a->read, &b->read);
}

/* ---- statements ---- */

static cJSON *request(builder *b, const char *table)
{
    cJSON *req = cJSON_CreateObject();
    if (req && cJSON_AddStringToObject(req, "TableName", table)) return req;
    cJSON_Delete(req);
    out_of_memory(b);
    return NULL;
}

static bool projection(builder *b, const store_pql_statement *s, cJSON *req)
{
    if (s->star) return true;
    size_t mark = b->text.len;
    for (size_t i = 0; i < s->n_projection; i++) {
        if (i) put(b, ", ");
        put_path(b, s->projection[i]);
    }
    return add_text_member(b, req, "ProjectionExpression", mark);
}

/* The one sort key term a Query's key condition can hold. */
static bool sort_key_term(const store_pql_node *n, const char *sk)
{
    if (n->kind == PQL_COMPARE && n->op != PQL_NE) {
        const char *l = top_name(n->kids[0]), *r = top_name(n->kids[1]);
        return (l && !strcmp(l, sk) && is_value(n->kids[1])) || (r && !strcmp(r, sk) && is_value(n->kids[0]));
    }
    if (n->kind == PQL_BETWEEN)
        return top_name(n->kids[0]) && !strcmp(top_name(n->kids[0]), sk) && is_value(n->kids[1]) && is_value(n->kids[2]);
    if (n->kind == PQL_CALL && !strcmp(n->text, "begins_with") && n->n == 2)
        return top_name(n->kids[0]) && !strcmp(top_name(n->kids[0]), sk) && is_value(n->kids[1]);
    return false;
}

static bool order_by(builder *b, const store_pql_statement *s, const source *src, cJSON *req, bool query)
{
    if (!s->order_by) return true;
    if (!s->where) return fail(b, "%s", "Must have WHERE clause in the statement when using ORDER BY clause.");
    const char *name = top_name(s->order_by);
    if (!name || (strcmp(name, src->read.pk) && strcmp(name, src->read.sk)))
        return fail(b, "Variable reference %s in ORDER BY clause must be part of the primary key",
                    name ? name : s->order_by->kids[0]->text);
    if (!query)
        return fail(b, "%s", "Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.");
    return !s->descending || cJSON_AddFalseToObject(req, "ScanIndexForward") || out_of_memory(b);
}

/* A Query: the partition key's equality (pk: its value, taken), at most one
 * sort key term, the rest a filter. */
static bool query(builder *b, const store_pql_statement *s, const source *src, terms *t, cJSON *pk, cJSON *req)
{
    size_t mark = b->text.len;
    put_name(b, src->read.pk);
    put(b, " = ");
    if (!put_json_value(b, pk)) return false;
    for (size_t i = 0; *src->read.sk && i < t->n; i++) {
        if (!sort_key_term(t->list[i], src->read.sk)) continue;
        put(b, " AND ");
        if (!put_condition(b, t->list[i])) return false;
        remove_term(t, i);
        break;
    }
    return add_text_member(b, req, "KeyConditionExpression", mark) && add_condition(b, req, "FilterExpression", NULL, t->list, t->n) && order_by(b, s, src, req, true);
}

/* Whether the terms left beside a Query's key condition (its one sort key
 * term taken out) still read a key attribute, which a filter may not: such a
 * statement scans instead. */
static bool mentions_key_beside_condition(const terms *rest, const key_names *k)
{
    terms probe = *rest;
    for (size_t i = 0; *k->sk && i < probe.n; i++)
        if (sort_key_term(probe.list[i], k->sk)) { remove_term(&probe, i); break; }
    return terms_mention(&probe, k);
}

/* The values of term when it names only partitions: `pk IN (a, b)` or
 * `pk = a OR pk = b ...`, appended to values. */
static bool partition_values(builder *b, const store_pql_node *term, const char *pk, store_pql_node **values, size_t *n)
{
    const store_pql_node *list = term->kind == PQL_IN && top_name(term->kids[0]) && !strcmp(top_name(term->kids[0]), pk)
                                 ? term->kids[1] : NULL;
    if (list && !list->n) return false; /* refused as the filter it would be */
    for (size_t i = 0; list && i < list->n; i++) {
        if (!is_value(list->kids[i])) return false;
        if (*n == EMU_PQL_MAX_PARTITIONS) return fail(b, "%s", too_many_partitions);
        values[(*n)++] = list->kids[i];
    }
    if (list) return true;
    if (term->kind == PQL_OR)
        return partition_values(b, term->kids[0], pk, values, n) && partition_values(b, term->kids[1], pk, values, n);
    const store_pql_node *v = equality_on(term, pk);
    if (!v) return false;
    if (*n == EMU_PQL_MAX_PARTITIONS) return fail(b, "%s", too_many_partitions);
    values[(*n)++] = (store_pql_node *)v;
    return true;
}

/* Takes out of t the one term that names the partitions a SELECT reads. */
static bool take_partitions(builder *b, terms *t, const char *pk, store_pql_node **values, size_t *n)
{
    for (size_t i = 0; i < t->n; i++) {
        *n = 0;
        if (partition_values(b, t->list[i], pk, values, n)) {
            remove_term(t, i);
            return true;
        }
        if (b->failed) return false;
    }
    return false;
}

/* The partition key values of a Query per partition, in the statement's order. */
static bool partitions(builder *b, store_pql_node *const *values, size_t n)
{
    cJSON *list = b->partitions = cJSON_CreateArray();
    for (size_t i = 0; list && i < n; i++) {
        cJSON *v = value_json(b, values[i]);
        if (!v || !cJSON_AddItemToArray(list, v)) { cJSON_Delete(v); return false; }
    }
    return list != NULL;
}

static bool full_key_only(const store_pql_statement *s, const source *src, const terms *t)
{
    if (s->index || s->order_by) return false;
    terms copy = *t;
    return take_equality(&copy, src->table.pk) && (!*src->table.sk || take_equality(&copy, src->table.sk)) && !copy.n;
}

static bool select_statement(builder *b, const store_pql_statement *s, const source *src, emu_pql_mode mode,
                             emu_pql_compiled *c)
{
    cJSON *req = c->req = request(b, s->table);
    if (!req) return false;
    terms t = {.n = 0};
    if (s->where && !flatten(b, s->where, &t)) return false;
    if (!projection(b, s, req)) return false;
    if (mode != EMU_PQL_EXECUTE) {
        if (s->index && mode == EMU_PQL_TRANSACTION) return fail(b, "%s", "Reads on indices are not supported within transactions.");
        if (!full_key_only(s, src, &t))
            return fail(b, "%s", mode == EMU_PQL_TRANSACTION
                                     ? "Select statements within ExecuteTransaction must specify the primary key in the where clause."
                                     : incomplete_key);
    }
    if (full_key_only(s, src, &t)) {
        c->target = EMU_PQL_GET;
        return take_key(b, &t, &src->table, req);
    }
    if (s->index && !cJSON_AddStringToObject(req, "IndexName", s->index)) return out_of_memory(b);
    terms rest = t;
    const store_pql_node *pk = (!s->index || src->index_known) ? take_equality(&rest, src->read.pk) : NULL;
    if (pk && !mentions_key_beside_condition(&rest, &src->read)) {
        c->target = EMU_PQL_QUERY;
        return query(b, s, src, &rest, value_json(b, pk), req);
    }
    rest = t;
    store_pql_node *values[EMU_PQL_MAX_PARTITIONS];
    size_t n_values = 0;
    if (!pk && mode == EMU_PQL_EXECUTE && (!s->index || src->index_known) &&
        take_partitions(b, &rest, src->read.pk, values, &n_values) && !mentions_key_beside_condition(&rest, &src->read)) {
        c->target = EMU_PQL_QUERY;
        return partitions(b, values, n_values) && query(b, s, src, &rest, placeholder(EMU_PQL_PARTITION_SLOT), req);
    }
    if (b->failed) return false;
    c->target = EMU_PQL_SCAN;
    return add_condition(b, req, "FilterExpression", NULL, t.list, t.n) && order_by(b, s, src, req, false);
}

static bool insert_statement(builder *b, const store_pql_statement *s, const source *src, emu_pql_compiled *c)
{
    cJSON *req = c->req = request(b, s->table);
    if (!req) return false;
    if (s->returning != PQL_RETURN_NONE) return fail(b, "%s", "RETURNING is not supported in INSERT");
    if (s->value->kind != PQL_STRUCT)
        return fail(b, "%s", "Unsupported format in item expression. Please use struct format {...} to express item "
                             "values for insert statement.");
    cJSON *item = value_json(b, s->value);
    if (!item) return false;
    cJSON *members = cJSON_DetachItemFromObject(item, "M");
    cJSON_Delete(item);
    if (!add(b, req, "Item", members)) return false;
    c->target = EMU_PQL_PUT;
    size_t mark = b->text.len;
    put(b, "attribute_not_exists(");
    put_name(b, src->table.pk);
    put(b, ")");
    return add_text_member(b, req, "ConditionExpression", mark);
}

/* set_add(path, value) / set_delete(path, value): ADD / DELETE on the same path. */
static bool set_function(builder *b, const store_pql_action *a, const char *verb, store_text *out)
{
    const store_pql_node *call = a->value;
    if (call->n != 2) return fail(b, "SET_%s must have exactly two arguments", verb);
    const store_pql_node *first = call->kids[0];
    size_t mark = b->text.len;
    put_path(b, a->path);
    size_t target_end = b->text.len;
    if (first->kind == PQL_PATH) put_path(b, first);
    bool same = first->kind == PQL_PATH && b->text.len - target_end == target_end - mark &&
                memcmp(b->text.data + mark, b->text.data + target_end, target_end - mark) == 0;
    b->text.len = target_end;
    if (!same) return fail(b, "The first argument to SET_%s must equal the assignment value", verb);
    put(b, " ");
    if (call->kids[1]->kind == PQL_PATH || !put_value(b, call->kids[1])) {
        if (!b->failed) fail(b, "The second argument to SET_%s must be a value with type SET", verb);
        return false;
    }
    if (b->text.failed) return out_of_memory(b);
    store_text_put(out, b->text.data + mark, b->text.len - mark);
    b->text.len = mark;
    return true;
}

/* One clause of the update ("SET", "REMOVE", "ADD", "DELETE") with its actions. */
static void put_clause(store_text *all, const char *verb, store_text *actions)
{
    if (!actions->len) return;
    if (all->len) store_text_put_literal(all, " ");
    store_text_put(all, verb, strlen(verb));
    store_text_put_literal(all, " ");
    store_text_put(all, actions->data, actions->len);
}

static bool update_action(builder *b, const store_pql_action *a, store_text clauses[4])
{
    store_text *out = &clauses[a->remove ? 1 : 0];
    const store_pql_node *v = a->value;
    if (!a->remove && v->kind == PQL_CALL && (!strcmp(v->text, "set_add") || !strcmp(v->text, "set_delete"))) {
        bool add = !strcmp(v->text, "set_add");
        out = &clauses[add ? 2 : 3];
        if (out->len) store_text_put_literal(out, ", ");
        return set_function(b, a, add ? "ADD" : "DELETE", out);
    }
    if (out->len) store_text_put_literal(out, ", ");
    size_t mark = b->text.len;
    put_path(b, a->path);
    if (!a->remove) {
        put(b, " = ");
        if (!put_operand(b, v)) return false;
    }
    if (b->text.failed) return out_of_memory(b);
    store_text_put(out, b->text.data + mark, b->text.len - mark);
    b->text.len = mark;
    return true;
}

static bool update_expression(builder *b, const store_pql_statement *s, cJSON *req)
{
    store_text clauses[4] = {{0}}, all = {0};
    static const char *const verbs[4] = {"SET", "REMOVE", "ADD", "DELETE"};
    bool ok = true;
    for (size_t i = 0; ok && i < s->n_actions; i++) ok = update_action(b, &s->actions[i], clauses);
    for (int i = 0; i < 4; i++) {
        if (ok) put_clause(&all, verbs[i], &clauses[i]);
        free(clauses[i].data);
    }
    char *text = ok ? store_text_finish(&all, NULL) : NULL;
    if (!ok) free(all.data);
    bool added = text && cJSON_AddStringToObject(req, "UpdateExpression", text);
    free(text);
    return ok && (added || out_of_memory(b));
}

static const char *const return_values[] = {[PQL_RETURN_NONE] = NULL, [PQL_RETURN_ALL_OLD] = "ALL_OLD",
                                            [PQL_RETURN_MODIFIED_OLD] = "UPDATED_OLD",
                                            [PQL_RETURN_ALL_NEW] = "ALL_NEW", [PQL_RETURN_MODIFIED_NEW] = "UPDATED_NEW"};

static const char *const returning_words[] = {[PQL_RETURN_NONE] = "", [PQL_RETURN_ALL_OLD] = "ALL OLD *",
                                              [PQL_RETURN_MODIFIED_OLD] = "MODIFIED OLD *",
                                              [PQL_RETURN_ALL_NEW] = "ALL NEW *",
                                              [PQL_RETURN_MODIFIED_NEW] = "MODIFIED NEW *"};

/* UPDATE and DELETE: the full key from WHERE, the rest a condition. */
static bool keyed_write(builder *b, const store_pql_statement *s, const source *src, terms *t, cJSON *req)
{
    if (!s->where) return fail(b, "%s", incomplete_key);
    if (!flatten(b, s->where, t) || !take_key(b, t, &src->table, req)) return false;
    return s->returning == PQL_RETURN_NONE || cJSON_AddStringToObject(req, "ReturnValues", return_values[s->returning]) ||
           out_of_memory(b);
}

static char *exists_prefix(builder *b, const char *pk, bool exists)
{
    size_t mark = b->text.len;
    put(b, exists ? "attribute_exists(" : "attribute_not_exists(");
    put_name(b, pk);
    put(b, ")");
    return take_text(b, mark);
}

static bool update_statement(builder *b, const store_pql_statement *s, const source *src, emu_pql_compiled *c)
{
    cJSON *req = c->req = request(b, s->table);
    if (!req) return false;
    terms t = {.n = 0};
    c->target = EMU_PQL_UPDATE;
    if (!keyed_write(b, s, src, &t, req) || !update_expression(b, s, req)) return false;
    /* An UPDATE never creates an item: one that is missing fails its condition. */
    char *prefix = exists_prefix(b, src->table.pk, true);
    bool ok = prefix && add_condition(b, req, "ConditionExpression", prefix, t.list, t.n);
    free(prefix);
    return ok;
}

static bool delete_statement(builder *b, const store_pql_statement *s, const source *src, emu_pql_compiled *c)
{
    cJSON *req = c->req = request(b, s->table);
    if (!req) return false;
    terms t = {.n = 0};
    c->target = EMU_PQL_DELETE;
    if (s->returning != PQL_RETURN_NONE && s->returning != PQL_RETURN_ALL_OLD)
        return fail(b, "Invalid returning clause: RETURNING %s. Only RETURNING ALL OLD * is allowed in DELETE statements.",
                    returning_words[s->returning]);
    if (!keyed_write(b, s, src, &t, req) || !t.n) return !b->failed;
    /* Deleting a missing item succeeds whatever else the WHERE says. */
    size_t mark = b->text.len;
    char *prefix = exists_prefix(b, src->table.pk, false);
    if (!prefix) return false;
    b->text.len = mark;
    put(b, prefix);
    put(b, " OR (");
    free(prefix);
    for (size_t i = 0; i < t.n; i++) {
        if (i) put(b, " AND ");
        if (!put_condition(b, t.list[i])) return false;
    }
    put(b, ")");
    return add_text_member(b, req, "ConditionExpression", mark);
}

/* EXISTS(SELECT ... WHERE <full key> AND <condition>): a transaction's ConditionCheck. */
static bool exists_statement(builder *b, const store_pql_statement *inner, const source *src, emu_pql_compiled *c)
{
    cJSON *req = c->req = request(b, inner->table);
    if (!req) return false;
    terms t = {.n = 0};
    c->target = EMU_PQL_CHECK;
    if (inner->index) return fail(b, "%s", "Operations on indices are not supported in transactions");
    if (!inner->where || !flatten(b, inner->where, &t) || !take_key(b, &t, &src->table, req) || !t.n) {
        b->failed = false; /* the key's own message gives way to EXISTS's */
        b->ctx->err.status = STORE_OK;
        return fail(b, "%s", "EXISTS() must contain a single item read with additional condition");
    }
    char *prefix = exists_prefix(b, src->table.pk, true);
    bool ok = prefix && add_condition(b, req, "ConditionExpression", prefix, t.list, t.n);
    free(prefix);
    return ok;
}

static bool compile(builder *b, const store_pql_statement *s, const source *src, emu_pql_mode mode,
                    emu_pql_compiled *c)
{
    switch (s->kind) {
    case PQL_SELECT: return select_statement(b, s, src, mode, c);
    case PQL_INSERT: return insert_statement(b, s, src, c);
    case PQL_UPDATE: return update_statement(b, s, src, c);
    case PQL_DELETE: return delete_statement(b, s, src, c);
    case PQL_EXISTS_CHECK:
        if (mode != EMU_PQL_TRANSACTION)
            return fail(b, "%s", "EXISTS can only be used in ExecuteTransaction write requests.");
        return exists_statement(b, s->exists->select, src, c);
    }
    return false;
}

static const char *target_table(const store_pql_statement *s)
{
    return s->kind == PQL_EXISTS_CHECK ? s->exists->select->table : s->table;
}

/* Adds the names and values the expressions use; false when out of memory. */
static bool finish(builder *b, cJSON *req)
{
    /* Made on first use: a read by key names no expression at all. */
    bool ok = (!b->names || store_json_add(req, "ExpressionAttributeNames", b->names)) &&
              (!b->values || store_json_add(req, "ExpressionAttributeValues", b->values));
    b->names = b->values = NULL; /* added or freed */
    return ok;
}

/* Compiles s against src into a new plan (one hold, the caller's); NULL with
 * the error set. *read_params: the plan holds values of params. */
static emu_pql_plan *compile_plan(emu_ctx *ctx, const store_pql_statement *s, const source *src, emu_pql_mode mode,
                                  const cJSON *params, bool *read_params)
{
    emu_pql_compiled made = {0};
    builder b = {.ctx = ctx, .params = params, .names = NULL, .values = NULL};
    bool ok = compile(&b, s, src, mode, &made) && !b.failed;
    emu_pql_plan *plan = ok ? malloc(sizeof *plan) : NULL;
    if (plan && !finish(&b, made.req)) {
        free(plan);
        plan = NULL;
    }
    if (plan) {
        *plan = (emu_pql_plan){.target = made.target, .request = made.req, .partitions = b.partitions,
                               .returning = s->returning != PQL_RETURN_NONE, .source = *src, .refs = 1};
        copy_name(plan->table, target_table(s));
    } else {
        if (ok) emu_oom(ctx);
        cJSON_Delete(made.req);
        cJSON_Delete(b.partitions);
    }
    cJSON_Delete(b.names);
    cJSON_Delete(b.values);
    free(b.text.data);
    *read_params = b.read_params;
    return plan;
}

/* The plan of s in mode for its table as it is now: kept (held) while the
 * table's keys are those it was compiled against, else compiled (and kept,
 * unless it holds this request's values). Held for the caller. */
static emu_pql_plan *plan_of(emu_ctx *ctx, emu_pql_prepared *prepared, emu_pql_plan *kept,
                             const store_pql_statement *s, emu_pql_mode mode, const cJSON *params)
{
    const char *table = target_table(s), *index = s->kind == PQL_SELECT ? s->index : NULL;
    source src;
    if (kept) {
        bool found = look_up(ctx, table, index, false, &src);
        if (found && same_source(&kept->source, &src)) return kept;
        emu_pql_plan_drop(kept);
        if (!found) return NULL;
    } else if (!look_up(ctx, table, index, true, &src)) {
        return NULL;
    }
    bool read_params;
    emu_pql_plan *plan = compile_plan(ctx, s, &src, mode, params, &read_params);
    if (plan && !read_params) emu_pql_keep_plan(prepared, mode, plan);
    return plan;
}

/* ---- binding a request's Parameters into a plan ---- */

static bool holds_placeholder(const cJSON *n)
{
    if (n->type == cJSON_Invalid) return true;
    for (const cJSON *k = n->child; k; k = k->next)
        if (holds_placeholder(k)) return true;
    return false;
}

/* A node reading n's value where it is: nothing of n is copied or freed with it. */
static cJSON *reference(const cJSON *n)
{
    if (cJSON_IsObject(n)) return cJSON_CreateObjectReference(n->child);
    if (cJSON_IsArray(n)) return cJSON_CreateArrayReference(n->child);
    if (cJSON_IsString(n)) return cJSON_CreateStringReference(n->valuestring);
    return cJSON_Duplicate(n, false);
}

static cJSON *bind(const cJSON *n, const cJSON *params, const cJSON *partition);

/* A new container of n's kind whose members are n's, bound. Members keep
 * the plan's names (as constants: the plan outlives the request). */
static cJSON *bind_members(const cJSON *n, const cJSON *params, const cJSON *partition)
{
    cJSON *copy = cJSON_IsArray(n) ? cJSON_CreateArray() : cJSON_CreateObject();
    for (const cJSON *m = n->child; copy && m; m = m->next) {
        cJSON *v = bind(m, params, partition);
        bool added = v && (m->string ? cJSON_AddItemToObjectCS(copy, m->string, v) : cJSON_AddItemToArray(copy, v));
        if (!added) {
            cJSON_Delete(v);
            cJSON_Delete(copy);
            return NULL;
        }
    }
    return copy;
}

/* The plan's node with the values of the ? in it (and the partition key's
 * value, a template of the plan's too): only the nodes on the way to a
 * placeholder are made anew, the rest are references to the plan. */
static cJSON *bind(const cJSON *n, const cJSON *params, const cJSON *partition)
{
    if (n->type == cJSON_Invalid)
        return n->valueint == EMU_PQL_PARTITION_SLOT ? bind(partition, params, NULL)
                                                     : reference(cJSON_GetArrayItem(params, n->valueint));
    return holds_placeholder(n) ? bind_members(n, params, partition) : reference(n);
}

bool emu_pql_bind_partition(emu_ctx *ctx, emu_pql_compiled *c, const cJSON *params, int i)
{
    const cJSON *partition = c->plan->partitions ? cJSON_GetArrayItem(c->plan->partitions, i) : NULL;
    cJSON_Delete(c->req);
    /* The top level is always new: callers add members (Limit, ExclusiveStartKey) to it.
     * Its nodes live in the call's arena: the request dies with the call. */
    bool scratch = emu_request_arena_scratch(true);
    c->req = bind_members(c->plan->request, params, partition);
    emu_request_arena_scratch(scratch);
    return c->req || emu_oom(ctx);
}

bool emu_pql_compile(emu_ctx *ctx, const char *statement, const cJSON *params, emu_pql_mode mode,
                     emu_pql_compiled *c)
{
    memset(c, 0, sizeof *c);
    if (!statement)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION, "1 validation error detected: Value null at 'statement' "
                          "failed to satisfy constraint: Member must not be null");
    const store_pql_statement *s;
    emu_pql_plan *kept;
    emu_pql_prepared *prepared = emu_pql_prepare(ctx, statement, mode, &s, &kept);
    if (!prepared) return false;
    int given = params ? cJSON_GetArraySize(params) : 0;
    bool ok = given == s->params ||
              store_fail(&ctx->err, STORE_ERR_VALIDATION, "Number of parameters in request and statement don't match.");
    if (ok && mode == EMU_PQL_TRANSACTION && s->returning != PQL_RETURN_NONE)
        ok = store_fail(&ctx->err, STORE_ERR_VALIDATION, "Unsupported clause: RETURNING %s in a transaction",
                        returning_words[s->returning]);
    emu_pql_plan *plan = ok ? plan_of(ctx, prepared, kept, s, mode, params) : NULL;
    if (!ok) emu_pql_plan_drop(kept);
    emu_pql_unprepare(prepared);
    if (!plan) return false;
    c->plan = plan;
    c->target = plan->target;
    c->table = plan->table;
    c->returning = plan->returning;
    c->partitions = cJSON_GetArraySize(plan->partitions);
    if (emu_pql_bind_partition(ctx, c, params, 0)) return true;
    emu_pql_release(c);
    return false;
}

void emu_pql_release(emu_pql_compiled *c)
{
    cJSON_Delete(c->req);
    c->req = NULL;
    emu_pql_plan_drop(c->plan);
    c->plan = NULL;
}

static const char *const operations[] = {[EMU_PQL_GET] = "GetItem", [EMU_PQL_QUERY] = "Query",
                                         [EMU_PQL_SCAN] = "Scan", [EMU_PQL_PUT] = "PutItem",
                                         [EMU_PQL_UPDATE] = "UpdateItem", [EMU_PQL_DELETE] = "DeleteItem",
                                         [EMU_PQL_CHECK] = "ConditionCheck"};

const char *emu_pql_operation(emu_pql_target target) { return operations[target]; }

bool emu_pql_reads(const emu_pql_compiled *c) { return c->target <= EMU_PQL_SCAN; }

bool emu_pql_run(emu_ctx *ctx, const emu_pql_compiled *c, emu_answer *answer)
{
    return emu_pql_run_ready(ctx, c, answer, NULL, NULL);
}

bool emu_pql_run_ready(emu_ctx *ctx, const emu_pql_compiled *c, emu_answer *answer,
                       bool (*ready)(emu_ctx *inner, void *arg), void *arg)
{
    if (emu_call_compiled_ready(ctx, operations[c->target], c->req, answer, ready, arg)) return true;
    if (c->target == EMU_PQL_PUT && ctx->err.status == STORE_ERR_CONDITION) {
        ctx->err.status = STORE_OK;
        store_fail(&ctx->err, STORE_ERR_DUPLICATE_ITEM, "Duplicate primary key exists in table");
    }
    return false;
}

/* Adds the numbers of from into into, member by member (ConsumedCapacity of one table). */
static bool add_numbers(cJSON *into, const cJSON *from)
{
    bool ok = true;
    for (const cJSON *m = from->child; ok && m; m = m->next) {
        cJSON *mine = cJSON_GetObjectItemCaseSensitive(into, m->string);
        if (!mine) ok = store_json_add(into, m->string, cJSON_Duplicate(m, true));
        else if (cJSON_IsNumber(mine) && cJSON_IsNumber(m)) cJSON_SetNumberValue(mine, mine->valuedouble + m->valuedouble);
        else if (cJSON_IsObject(mine) && cJSON_IsObject(m)) ok = add_numbers(mine, m);
    }
    return ok;
}

bool emu_pql_add_capacity(cJSON *list, const cJSON *consumed)
{
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(consumed, "TableName");
    cJSON *entry;
    cJSON_ArrayForEach(entry, list) {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(entry, "TableName");
        if (cJSON_IsString(n) && cJSON_IsString(name) && strcmp(n->valuestring, name->valuestring) == 0)
            return add_numbers(entry, consumed);
    }
    return store_json_add(list, NULL, cJSON_Duplicate(consumed, true));
}
