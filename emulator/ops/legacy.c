/* emulator/ops/legacy.c — legacy conditions and updates, rewritten as expressions. */
#include "emulator/ops/legacy.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* In the order AWS lists them in its message (Query: AttributesToGet, QueryFilter,
 * ConditionalOperator, KeyConditions; UpdateItem: AttributeUpdates, Expected). */
static const char *const legacy_params[] = {"AttributesToGet", "AttributeUpdates", "ScanFilter", "QueryFilter",
                                            "ConditionalOperator", "Expected", "KeyConditions", NULL};
static const char *const expression_params[] = {"ProjectionExpression", "FilterExpression", "KeyConditionExpression",
                                                "UpdateExpression", "ConditionExpression", NULL};

/* "{A, B}" of the parameters of one kind present in the request. */
static int list_present(const cJSON *req, const char *const *params, char *out, size_t size)
{
    int n = 0;
    size_t off = (size_t)snprintf(out, size, "{");
    for (; *params; params++) {
        if (!emu_present(req, *params)) continue;
        /* AWS weighs KeyConditions against KeyConditionExpression only. */
        if (strcmp(*params, "KeyConditions") == 0 && !emu_present(req, "KeyConditionExpression")) continue;
        off += (size_t)snprintf(out + off, off < size ? size - off : 0, "%s%s", n++ ? ", " : "", *params);
    }
    snprintf(out + off, off < size ? size - off : 0, "}");
    return n;
}

static bool any_present(const cJSON *req, const char *const *params)
{
    for (; *params; params++)
        if (emu_present(req, *params)) return true;
    return false;
}

bool emu_legacy_check_mix(emu_ctx *ctx) { return emu_legacy_check_mix_in(ctx, ctx->req); }

bool emu_legacy_check_mix_in(emu_ctx *ctx, const cJSON *obj)
{
    /* Most requests use one kind or none: the message is only written for a mix. */
    if (!any_present(obj, legacy_params) || !any_present(obj, expression_params)) return true;
    char legacy[256], expressions[256];
    if (list_present(obj, legacy_params, legacy, sizeof legacy) &&
        list_present(obj, expression_params, expressions, sizeof expressions))
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "Can not use both expression and non-expression parameters in the same request: "
                          "Non-expression parameters: %s Expression parameters: %s", legacy, expressions);
    return true;
}

/* An expression being written, with the placeholders it defines. */
typedef struct rewrite {
    store_text text;            /* grows as needed: legacy lists have no expression's size limit */
    store_entry *names, *values;
    size_t n_names, n_values, cap_names, cap_values;
    bool failed;                /* a placeholder could not be made: out of memory */
} rewrite;

static void emit(rewrite *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emit(rewrite *w, const char *fmt, ...)
{
    char piece[64]; /* every piece is a keyword, an operator or a placeholder */
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(piece, sizeof piece, fmt, ap);
    va_end(ap);
    if (n > 0) store_text_put(&w->text, piece, (size_t)n < sizeof piece ? (size_t)n : sizeof piece - 1);
}

/* Adds a placeholder (taking name and value); a failure marks the rewrite. */
static void add_entry(rewrite *w, store_entry **list, size_t *n, size_t *cap, store_value *name, store_value *value)
{
    if (name && value && *n == *cap) {
        size_t c = *cap ? *cap * 2 : 8;
        store_entry *l = realloc(*list, c * sizeof *l);
        if (l) *list = l, *cap = c;
    }
    if (!name || !value || *n == *cap) {
        store_release(name);
        store_release(value);
        w->failed = true;
        return;
    }
    (*list)[(*n)++] = (store_entry){name, value};
}

/* Emits "#lN" standing for the attribute name. */
static void emit_name(rewrite *w, const char *attr)
{
    char ph[24];
    int n = snprintf(ph, sizeof ph, "#l%zu", w->n_names);
    add_entry(w, &w->names, &w->n_names, &w->cap_names, store_name(ph, (size_t)n),
              store_value_bytes(STORE_S, attr, strlen(attr)));
    emit(w, "%s", ph);
}

/* Emits ":lN" standing for the value (taking its reference). */
static void emit_value(rewrite *w, store_value *v)
{
    char ph[24];
    int n = snprintf(ph, sizeof ph, ":l%zu", w->n_values);
    add_entry(w, &w->values, &w->n_values, &w->cap_values, store_name(ph, (size_t)n), v);
    emit(w, "%s", ph);
}

/* The text written so far, NUL-terminated ("" when out of memory, which the parser refuses). */
static const char *rewrite_text(rewrite *w)
{
    store_text_put(&w->text, "", 0);
    if (w->text.failed) return "";
    w->text.data[w->text.len] = 0;
    return w->text.data;
}

static void rewrite_free(rewrite *w)
{
    free(w->text.data);
    for (size_t i = 0; i < w->n_names; i++) { store_release(w->names[i].name); store_release(w->names[i].value); }
    for (size_t i = 0; i < w->n_values; i++) { store_release(w->values[i].name); store_release(w->values[i].value); }
    free(w->names);
    free(w->values);
}

/* The environment of the rewritten expression; every placeholder is used by construction. */
typedef struct rewrite_env {
    store_expr_env env;
    store_value *names, *values;
} rewrite_env;

static void rewrite_env_close(rewrite_env *e)
{
    store_release(e->names);
    store_release(e->values);
    free(e->env.names_used);
    free(e->env.values_used);
}

/* Opens the environment, after checking each attribute name the legacy
 * parameters gave (a map key or list member in the request, so any length). */
static bool rewrite_env_open(emu_ctx *ctx, rewrite *w, rewrite_env *e)
{
    if (w->failed) return emu_oom(ctx);
    for (size_t i = 0; i < w->n_names; i++)
        if (!store_name_length_ok(w->names[i].value->len))
            return store_fail(&ctx->err, STORE_ERR_VALIDATION, STORE_NAME_LENGTH_MESSAGE);
    bool want_names = w->n_names, want_values = w->n_values;
    e->names = want_names ? store_value_map(w->names, w->n_names) : NULL;
    e->values = want_values ? store_value_map(w->values, w->n_values) : NULL;
    w->n_names = w->n_values = 0; /* the maps own the entries now */
    e->env = (store_expr_env){.names = e->names, .values = e->values, .names_used = calloc(w->cap_names + 1, 1),
                              .values_used = calloc(w->cap_values + 1, 1), .generated = true};
    if ((want_names && !e->names) || (want_values && !e->values) || !e->env.names_used || !e->env.values_used) {
        rewrite_env_close(e);
        return emu_oom(ctx);
    }
    return true;
}

/* ---- comparisons: {"ComparisonOperator": OP, "AttributeValueList": [...]} ---- */

typedef struct comparison {
    const char *op;
    int args;            /* -1: one or more */
    const char *form;    /* how it is written: %n the name, %0/%1 the values, %* all of them */
} comparison;

static const comparison comparisons[] = {
    {"EQ", 1, "%n = %0"}, {"NE", 1, "%n <> %0"}, {"LE", 1, "%n <= %0"}, {"LT", 1, "%n < %0"},
    {"GE", 1, "%n >= %0"}, {"GT", 1, "%n > %0"}, {"NOT_NULL", 0, "attribute_exists(%n)"},
    {"NULL", 0, "attribute_not_exists(%n)"}, {"CONTAINS", 1, "contains(%n, %0)"},
    {"NOT_CONTAINS", 1, "NOT contains(%n, %0)"}, {"BEGINS_WITH", 1, "begins_with(%n, %0)"},
    {"IN", -1, "%n IN (%*)"}, {"BETWEEN", 2, "%n BETWEEN %0 AND %1"},
};

static const comparison *find_comparison(const char *op)
{
    for (size_t i = 0; i < sizeof comparisons / sizeof comparisons[0]; i++)
        if (strcmp(comparisons[i].op, op) == 0) return &comparisons[i];
    return NULL;
}

static bool is_scalar(const store_value *v) { return v->type == STORE_S || v->type == STORE_N || v->type == STORE_B; }

/* The operand types each legacy operator accepts, checked as DynamoDB checks them. */
static bool check_operands(emu_ctx *ctx, const comparison *c, store_value **args, int n)
{
    bool ordered = strchr("LG", c->op[0]) || strcmp(c->op, "BETWEEN") == 0 || strcmp(c->op, "IN") == 0;
    bool text_only = strcmp(c->op, "BEGINS_WITH") == 0;
    bool scalar_only = ordered || text_only || strstr(c->op, "CONTAINS");
    for (int i = 0; i < n; i++) {
        bool fits = !scalar_only || (is_scalar(args[i]) && !(text_only && args[i]->type == STORE_N));
        if (!fits)
            return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                              "One or more parameter values were invalid: ComparisonOperator %s is not valid for %s "
                              "AttributeValue type", c->op, store_type_name(args[i]->type));
        if (i && args[i]->type != args[0]->type && (c->args == 2 || c->args < 0))
            return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                              "One or more parameter values were invalid: AttributeValues inside AttributeValueList must "
                              "be of same type");
    }
    if (c->args == 2 && store_scalar_compare(args[0], args[1]) > 0)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound");
    return true;
}

/* The AttributeValueList's values, each checked before their number is (as AWS does). */
static bool decode_arguments(emu_ctx *ctx, const cJSON *list, store_value **args, int cap, int *n)
{
    const cJSON *a;
    *n = 0;
    cJSON_ArrayForEach(a, list) {
        if (*n == cap) break;
        if (!(args[*n] = store_decode_value(a, &ctx->err))) {
            while (*n) store_release(args[--*n]);
            return false;
        }
        (*n)++;
    }
    return true;
}

/* Writes the comparison; the references in args are taken over. */
static void emit_form(rewrite *w, const comparison *c, const char *attr, store_value **args, int n)
{
    int used = 0;
    for (const char *f = c->form; *f; f++) {
        if (*f != '%') { emit(w, "%c", *f); continue; }
        f++;
        if (*f == 'n') emit_name(w, attr);
        else if (*f == '*') {
            for (int i = 0; i < n; i++) { if (i) emit(w, ", "); emit_value(w, args[i]); }
            used = n;
        } else {
            emit_value(w, args[*f - '0']);
            used++;
        }
    }
    while (n > used) store_release(args[--n]);
}

/* EMU_LEGACY_MAX_ARGUMENTS: more than any operator takes (IN's list is the longest read). */
#define EMU_LEGACY_MAX_ARGUMENTS 128

/* in_expected: an Expected entry, where Value is the other way to give the argument. */
static bool emit_comparison(emu_ctx *ctx, rewrite *w, const char *attr, const cJSON *spec, bool in_expected)
{
    const char *op;
    const cJSON *list;
    if (!emu_string(ctx, spec, "ComparisonOperator", &op) || !emu_array(ctx, spec, "AttributeValueList", &list))
        return false;
    const comparison *c = op ? find_comparison(op) : NULL;
    if (!c)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "1 validation error detected: Value '%s' at 'comparisonOperator' failed to satisfy constraint: "
                          "Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, "
                          "LE, BEGINS_WITH, GE, CONTAINS]", op ? op : "null");
    if (in_expected && !list && c->args != 0)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: Value or AttributeValueList must be used with "
                          "ComparisonOperator: %s for Attribute: %s", op, attr);
    store_value *args[EMU_LEGACY_MAX_ARGUMENTS];
    int n;
    if (!decode_arguments(ctx, list, args, EMU_LEGACY_MAX_ARGUMENTS, &n)) return false;
    bool ok = (c->args >= 0 && n == c->args) || (c->args < 0 && n >= 1);
    if (!ok)
        store_fail(&ctx->err, STORE_ERR_VALIDATION,
                   "One or more parameter values were invalid: Invalid number of argument(s) for the %s ComparisonOperator", op);
    else ok = check_operands(ctx, c, args, n);
    if (!ok) {
        while (n) store_release(args[--n]);
        return false;
    }
    emit_form(w, c, attr, args, n);
    return true;
}

/* One entry of Expected: the comparison form, or Value/Exists. */
static bool emit_expected(emu_ctx *ctx, rewrite *w, const char *attr, const cJSON *spec)
{
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(spec, "Value");
    bool has_op = cJSON_GetObjectItemCaseSensitive(spec, "ComparisonOperator") != NULL;
    if (has_op && cJSON_GetObjectItemCaseSensitive(spec, "Exists"))
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: Exists and ComparisonOperator cannot be used "
                          "together for Attribute: %s", attr);
    if (value && cJSON_GetObjectItemCaseSensitive(spec, "AttributeValueList"))
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: Value and AttributeValueList cannot be used "
                          "together for Attribute: %s", attr);
    if (!has_op && cJSON_GetObjectItemCaseSensitive(spec, "AttributeValueList"))
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: AttributeValueList can only be used with a "
                          "ComparisonOperator for Attribute: %s", attr);
    if (has_op) return emit_comparison(ctx, w, attr, spec, true);
    bool has_exists, exists;
    if (!emu_bool(ctx, spec, "Exists", &has_exists, &exists)) return false;
    if (!has_exists) exists = true;
    if (exists && !value)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: Value must be provided when Exists is %s for Attribute: %s",
                          has_exists ? "true" : "null", attr);
    if (!exists && value)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: %s", attr);
    if (!exists) {
        emit(w, "attribute_not_exists(");
        emit_name(w, attr);
        emit(w, ")");
        return true;
    }
    store_value *v = store_decode_value(value, &ctx->err);
    if (!v) return false;
    emit_name(w, attr);
    emit(w, " = ");
    emit_value(w, v);
    return true;
}

/* Expected / QueryFilter / ScanFilter: the clauses joined by ConditionalOperator. */
static bool rewrite_conditions(emu_ctx *ctx, const cJSON *obj, bool expected, const char *label, store_condition **out)
{
    const char *joiner;
    emu_violations v;
    emu_violations_init(&v);
    static const char *const joiners[] = {"AND", "OR", NULL};
    *out = NULL;
    if (!emu_string(ctx, ctx->req, "ConditionalOperator", &joiner)) return false;
    emu_check_enum(&v, joiner, "conditionalOperator", joiners, "[AND, OR]");
    if (!emu_violations_done(ctx, &v)) return false;
    if (cJSON_GetArraySize(obj) == 0) return true;
    rewrite w = {0};
    bool ok = true;
    const cJSON *spec;
    cJSON_ArrayForEach(spec, obj) {
        if (w.text.len) emit(&w, " %s ", joiner ? joiner : "AND");
        emit(&w, "(");
        ok = expected ? emit_expected(ctx, &w, spec->string, spec) : emit_comparison(ctx, &w, spec->string, spec, false);
        emit(&w, ")");
        if (!ok) break;
    }
    if (ok) {
        rewrite_env e;
        if ((ok = rewrite_env_open(ctx, &w, &e))) {
            *out = store_condition_parse_as(label, rewrite_text(&w), &e.env, &ctx->err);
            ok = *out != NULL;
            rewrite_env_close(&e);
        }
    }
    rewrite_free(&w);
    return ok;
}

bool emu_legacy_expected(emu_ctx *ctx, const cJSON *expected, store_condition **out)
{
    return rewrite_conditions(ctx, expected, true, "ConditionExpression", out);
}

bool emu_legacy_filter(emu_ctx *ctx, const cJSON *filter, store_condition **out)
{
    return rewrite_conditions(ctx, filter, false, "FilterExpression", out);
}

bool emu_legacy_key_conditions(emu_ctx *ctx, const cJSON *conditions, const store_key_schema *keys,
                               store_key_condition *out)
{
    rewrite w = {0};
    bool ok = true;
    const cJSON *spec;
    cJSON_ArrayForEach(spec, conditions) {
        if (w.text.len) emit(&w, " AND ");
        if (!(ok = emit_comparison(ctx, &w, spec->string, spec, false))) break;
    }
    if (ok) {
        rewrite_env e;
        if ((ok = rewrite_env_open(ctx, &w, &e))) {
            ok = store_key_condition_parse_schema(rewrite_text(&w), &e.env, keys, out, &ctx->err);
            rewrite_env_close(&e);
        }
    }
    rewrite_free(&w);
    return ok;
}
/* AttributeUpdates, clause by clause: PUT → SET; ADD of a list appends to it
 * (SET ... list_append), as the legacy API defines; DELETE without a value →
 * REMOVE; ADD → ADD; DELETE with a value → DELETE. */
typedef enum legacy_clause { CLAUSE_SET, CLAUSE_REMOVE, CLAUSE_ADD, CLAUSE_DELETE } legacy_clause;

/* An update's Action; PUT when absent or null, as AWS defaults it. */
static const char *action_of(const cJSON *spec)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(spec, "Action");
    return cJSON_IsString(a) ? a->valuestring : "PUT";
}

static legacy_clause clause_of(const cJSON *spec)
{
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(spec, "Value");
    const char *action = action_of(spec);
    if (strcmp(action, "DELETE") == 0) return value ? CLAUSE_DELETE : CLAUSE_REMOVE;
    if (strcmp(action, "ADD") == 0 && !cJSON_GetObjectItemCaseSensitive(value, "L")) return CLAUSE_ADD;
    return CLAUSE_SET;
}

static bool emit_clause(emu_ctx *ctx, rewrite *w, legacy_clause clause, const cJSON *spec)
{
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(spec, "Value");
    bool append = clause == CLAUSE_SET && cJSON_GetObjectItemCaseSensitive(value, "L") && strcmp(action_of(spec), "ADD") == 0;
    emit_name(w, spec->string);
    if (clause == CLAUSE_REMOVE) return true;
    store_value *v = store_decode_value(value, &ctx->err);
    if (!v) return false;
    if (append) {
        emit(w, " = list_append(if_not_exists(");
        emit_name(w, spec->string);
        emit(w, ", ");
        emit_value(w, store_value_list(NULL, 0));
        emit(w, "), ");
        emit_value(w, v);
        emit(w, ")");
    } else {
        emit(w, clause == CLAUSE_SET ? " = " : " ");
        emit_value(w, v);
    }
    return true;
}

static bool emit_section(emu_ctx *ctx, rewrite *w, const cJSON *updates, legacy_clause clause)
{
    static const char *const keywords[] = {"SET", "REMOVE", "ADD", "DELETE"};
    int n = 0;
    const cJSON *spec;
    cJSON_ArrayForEach(spec, updates) {
        if (clause_of(spec) != clause) continue;
        if (n++) emit(w, ", ");
        else emit(w, "%s%s ", w->text.len ? " " : "", keywords[clause]);
        if (!emit_clause(ctx, w, clause, spec)) return false;
    }
    return true;
}

/* ADD takes numbers, sets and lists; DELETE with a value takes sets: refused by the value's type. */
static bool check_update_values(emu_ctx *ctx, const cJSON *updates)
{
    const cJSON *spec;
    cJSON_ArrayForEach(spec, updates) {
        const cJSON *value = cJSON_GetObjectItemCaseSensitive(spec, "Value");
        const cJSON *action = cJSON_GetObjectItemCaseSensitive(spec, "Action");
        if (!value || !cJSON_IsString(action) || strcmp(action->valuestring, "PUT") == 0) continue;
        store_value *v = store_decode_value(value, &ctx->err);
        if (!v) return false;
        store_type t = (store_type)v->type;
        store_release(v);
        bool is_add = strcmp(action->valuestring, "ADD") == 0;
        bool fits = store_type_is_set(t) || (is_add && (t == STORE_N || t == STORE_L));
        if (!fits)
            return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                              "One or more parameter values were invalid: %s action %sis not supported for the type %s",
                              action->valuestring, is_add ? "" : "with value ", store_type_name(t));
    }
    return true;
}

bool emu_legacy_check_attribute_updates(emu_ctx *ctx, const cJSON *updates)
{
    static const char *const actions[] = {"ADD", "PUT", "DELETE", NULL};
    const cJSON *spec;
    cJSON_ArrayForEach(spec, updates) {
        const char *a;
        emu_violations v;
        emu_violations_init(&v);
        if (!emu_string(ctx, spec, "Action", &a)) return false;
        emu_check_enum(&v, a, "attributeUpdates.action", actions, "[ADD, PUT, DELETE]");
        if (!emu_violations_done(ctx, &v)) return false;
        if ((!a || strcmp(a, "DELETE") != 0) && !cJSON_GetObjectItemCaseSensitive(spec, "Value"))
            return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                              "One or more parameter values were invalid: Only DELETE action is allowed when no attribute "
                              "value is specified");
    }
    return check_update_values(ctx, updates);
}

bool emu_legacy_attribute_updates(emu_ctx *ctx, const cJSON *updates, store_update **out)
{
    *out = NULL;
    if (!emu_legacy_check_attribute_updates(ctx, updates)) return false;
    rewrite w = {0};
    bool ok = emit_section(ctx, &w, updates, CLAUSE_SET) && emit_section(ctx, &w, updates, CLAUSE_REMOVE) &&
              emit_section(ctx, &w, updates, CLAUSE_ADD) && emit_section(ctx, &w, updates, CLAUSE_DELETE);
    if (ok && w.text.len) {
        rewrite_env e;
        if ((ok = rewrite_env_open(ctx, &w, &e))) {
            *out = store_update_parse(rewrite_text(&w), &e.env, &ctx->err);
            ok = *out != NULL;
            rewrite_env_close(&e);
        }
    }
    rewrite_free(&w);
    return ok;
}
