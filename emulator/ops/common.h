/* emulator/ops/common.h — what the operations share: typed access to request
 * members (SerializationException on a wrong JSON type), AWS-style constraint
 * violations ("2 validation errors detected: ...; ..."), table lookup, the
 * expression environment of a request, and rendering items back. */
#ifndef EMU_OPS_COMMON_H
#define EMU_OPS_COMMON_H

#include "emulator/api.h"
#include "store/codec.h"
#include "store/expr.h"

/* ---- typed members: absent members give NULL/false and succeed ---- */
/* Whether obj has the member, by its exact name and not JSON null (as the SDKs send "absent"). */
bool emu_present(const cJSON *obj, const char *name);
bool emu_string(emu_ctx *ctx, const cJSON *obj, const char *name, const char **out);
bool emu_object(emu_ctx *ctx, const cJSON *obj, const char *name, const cJSON **out);
bool emu_array(emu_ctx *ctx, const cJSON *obj, const char *name, const cJSON **out);
bool emu_bool(emu_ctx *ctx, const cJSON *obj, const char *name, bool *present, bool *out);
bool emu_integer(emu_ctx *ctx, const cJSON *obj, const char *name, bool *present, long long *out);
/* A projection's NonKeyAttributes: strings, none named twice. */
bool emu_check_non_key_attributes(emu_ctx *ctx, const cJSON *non_key);

/* ---- constraint violations, reported together as AWS does ---- */
typedef struct emu_violations {
    int count;
    char text[STORE_ERROR_MESSAGE_MAX];
} emu_violations;

/* Not `= {0}`: zeroing 2 KB on every request shows in the profile. */
static inline void emu_violations_init(emu_violations *v)
{
    v->count = 0;
    v->text[0] = 0;
}

void emu_violation(emu_violations *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Records "Value null at 'field' failed to satisfy constraint: Member must not be null". */
void emu_require(emu_violations *v, const void *present, const char *field);
void emu_check_table_name(emu_violations *v, const char *name, const char *field);
/* enum_set is AWS's listing, e.g. "[ALL_OLD, NONE]". */
void emu_check_enum(emu_violations *v, const char *value, const char *field, const char *const *allowed,
                    const char *enum_set);
/* False with a ValidationException if any violation was recorded. */
bool emu_violations_done(emu_ctx *ctx, emu_violations *v);

/* ---- tables ---- */
store_table *emu_table(emu_ctx *ctx, const char *name);
/* The request's TableName, present and well-formed. */
bool emu_table_name(emu_ctx *ctx, const char **name);
/* The table the request's TableName names (ResourceNotFoundException if none). */
store_table *emu_request_table(emu_ctx *ctx);

/* ---- a request's ExpressionAttributeNames / ExpressionAttributeValues ---- */
typedef struct emu_env {
    store_expr_env env;
    store_value *names;
    store_value *values;
} emu_env;

/* ProvisionedThroughput's units past AWS's bound (EMU_MAX_CAPACITY_UNITS),
 * read first; index: the GSI's name, or NULL for the table's. */
bool emu_check_capacity_bounds(emu_ctx *ctx, long long read, long long write, const char *index);
/* Names or values given with none of the operation's expressions (a list
 * ended by NULL, in AWS's order): refused before anything else is read. */
bool emu_env_check_given_with_expressions(emu_ctx *ctx, const cJSON *obj, const char *const *expressions);
/* Reads the names and values of obj (the request, or one table of a batch). */
bool emu_env_open(emu_ctx *ctx, const cJSON *obj, emu_env *e);
/* After every expression of the request is parsed: refuses names and values
 * given without any expression, and unused ones. */
bool emu_env_check_unused(emu_ctx *ctx, const emu_env *e, bool has_expressions);
void emu_env_close(emu_env *e);

/* ---- items ---- */
/* The member named (Key) decoded and checked against the table's key schema. */
store_value *emu_read_key(emu_ctx *ctx, const store_table *t, const cJSON *obj, const char *name);
/* A new item checked against its table: key attributes and size. */
bool emu_check_new_item(emu_ctx *ctx, const store_table *t, const store_value *item);
/* ReturnValues, checked against the values this operation allows (e.g. "NONE", "ALL_OLD"). */
bool emu_return_values(emu_ctx *ctx, const char *const *allowed, const char **out);
/* Decodes the member (an item or a key); NULL with the error set. */
store_value *emu_item_member(emu_ctx *ctx, const cJSON *obj, const char *name, bool required);
/* The key attributes of an item, as a new M value. */
store_value *emu_key_of(const store_key_schema *k, const store_value *item);
/* The projection a read asks for (ProjectionExpression or AttributesToGet), or NULL for all. */
bool emu_projection(emu_ctx *ctx, const cJSON *req, emu_env *env, store_projection **out);
/* Refuses the request as out of memory (InternalServerError); false. */
bool emu_oom(emu_ctx *ctx);
/* Adds item, projected if p is given, to obj under name (or to the array obj
 * when name is NULL); false (nothing added) when out of memory. */
bool emu_add_item(cJSON *obj, const char *name, const store_value *item, const store_projection *p);
/* Appends item, projected if p is given, to a JSON text. */
void emu_text_item(store_text *t, const store_value *item, const store_projection *p);

#endif
