/* store/expr.h — DynamoDB's expression language: parse once, evaluate in one place.
 *
 * Five kinds of expression share one grammar (see expr_parse.c): projection,
 * condition (ConditionExpression, FilterExpression), key condition and
 * update. ExpressionAttributeNames and ExpressionAttributeValues come in an
 * env; the parser marks which ones were used so an operation can refuse the
 * unused ones, as DynamoDB does, after all its expressions are parsed. */
#ifndef STORE_EXPR_H
#define STORE_EXPR_H

#include <stdbool.h>

#include "store/error.h"
#include "store/tree.h"
#include "store/value.h"

#define STORE_EXPR_MAX_LEN        4096  /* bytes of one expression */
#define STORE_EXPR_MAX_IN         100   /* operands of IN */
#define STORE_EXPR_MAX_OPERATORS  300   /* operators and function calls of one expression */

typedef struct store_expr_env {
    const store_value *names;   /* M: "#n" → S; NULL if none were given */
    const store_value *values;  /* M: ":v" → value; NULL if none were given */
    bool *names_used;           /* one flag per entry of names (may be NULL if names is NULL) */
    bool *values_used;          /* one flag per entry of values */
    bool generated;             /* text made by dynemu (legacy parameters, association queries): no size or operator limit */
} store_expr_env;

/* ---- ProjectionExpression: "a, #b.c[2], d" ---- */
typedef struct store_projection store_projection;
store_projection *store_projection_parse(const char *text, store_expr_env *env, store_error *err);
/* A new item holding only the projected paths of item (nested paths keep
 * their enclosing maps/lists as DynamoDB does). */
store_value *store_projection_apply(const store_projection *p, const store_value *item);
void store_projection_free(store_projection *p);
/* A projection of top-level attributes by name (the legacy AttributesToGet):
 * no expression text, so none of the expression's limits apply. */
store_projection *store_projection_of_names(store_value *const *names, size_t n);
/* The top-level attribute each path of the projection starts with, by index
 * (paths in the order written; a name may repeat across paths). */
size_t store_projection_count(const store_projection *p);
const store_value *store_projection_top_name(const store_projection *p, size_t i);

/* ---- ConditionExpression / FilterExpression ---- */
typedef struct store_condition store_condition;
store_condition *store_condition_parse(const char *text, store_expr_env *env, store_error *err);
/* The same grammar under another name in messages: "FilterExpression". */
store_condition *store_condition_parse_as(const char *label, const char *text, store_expr_env *env,
                                          store_error *err);
/* item may be NULL (no such item: every path is absent). Returns 1 or 0, or
 * -1 with *err set for an error only found at evaluation time. */
int store_condition_eval(const store_condition *c, const store_value *item, store_error *err);
void store_condition_free(store_condition *c);

/* Every document path an expression mentions, given by its first name and
 * whether it goes inside that attribute ("a.b", "a[0]"): Query refuses a key
 * attribute in a FilterExpression, and DynamoDB refuses "." and "[]" on key
 * attributes. Paths are visited in the order they are written. */
typedef void store_path_visit(void *arg, const store_value *name, bool nested);
void store_condition_each_path(const store_condition *c, store_path_visit *visit, void *arg);

/* ---- KeyConditionExpression ---- */
typedef enum store_key_op {
    STORE_KEY_NONE, STORE_KEY_EQ, STORE_KEY_LT, STORE_KEY_LE, STORE_KEY_GT, STORE_KEY_GE,
    STORE_KEY_BETWEEN, STORE_KEY_BEGINS_WITH
} store_key_op;

typedef struct store_key_condition {
    store_value *pk;            /* the partition key's value (a reference) */
    store_value *pk_more[STORE_KEY_MORE];   /* a multi-attribute partition key's further values */
    /* A multi-attribute sort key: the values the leading sort attributes
     * equal; sk_op applies to the sort attribute after them. */
    store_value *sk_eq[STORE_KEY_MORE];
    uint8_t n_sk_eq;
    store_key_op sk_op;
    store_value *sk_lo;         /* operand of the sort key condition (a reference) */
    store_value *sk_hi;         /* second operand of BETWEEN */
} store_key_condition;

/* pk_name/sk_name are the key attributes of the table or index queried
 * (sk_name NULL when it has none); their types are checked against the values. */
bool store_key_condition_parse(const char *text, store_expr_env *env,
                               const store_value *pk_name, store_type pk_type,
                               const store_value *sk_name, store_type sk_type,
                               store_key_condition *out, store_error *err);
/* The same against a whole key schema, multi-attribute keys included: every
 * partition attribute with =, then a leading run of the sort attributes in
 * schema order, each with = but the last, which may take any sort key condition.
 * keys NULL: the checks that need no schema only (out is left empty). */
struct store_key_schema;
bool store_key_condition_parse_schema(const char *text, store_expr_env *env, const struct store_key_schema *keys,
                                      store_key_condition *out, store_error *err);
void store_key_condition_clear(store_key_condition *kc);

/* ---- UpdateExpression ---- */
typedef struct store_update store_update;
store_update *store_update_parse(const char *text, store_expr_env *env, store_error *err);
/* The new item (item NULL: no item yet, an empty one is updated). NULL with
 * *err set when an action cannot apply (a type mismatch, a bad path...). */
store_value *store_update_apply(const store_update *u, const store_value *item, store_error *err);
/* The top-level attribute names an update writes, for UPDATED_OLD/UPDATED_NEW
 * and for refusing an update of a key attribute. */
size_t store_update_paths(const store_update *u, const store_value ***names);
/* The document paths an update writes, as a projection: applied to the old
 * item it gives ReturnValues UPDATED_OLD, to the new one UPDATED_NEW.
 * NULL when out of memory; free with store_projection_free. */
store_projection *store_update_projection(const store_update *u);
/* The paths written and the paths read (SET operands), as for conditions. */
void store_update_each_path(const store_update *u, store_path_visit *visit, void *arg);
void store_update_free(store_update *u);

#endif
