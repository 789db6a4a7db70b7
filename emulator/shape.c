/* emulator/shape.c — the check of a request against its operation's shape:
 * first the JSON type of every member (SerializationException, the first one
 * met), then every constraint (one ValidationException listing up to ten, as
 * AWS does). The texts are AWS's, whose deserializer is Java: a string where
 * a number is wanted is "STRING_VALUE cannot be converted to Integer". */
#include "emulator/shape.h"
#include "emulator/ops/common.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CLASS_PREFIX "com.amazonaws.dynamodb.v20120810."
/* AWS's listing stops at ten violations. */
#define MAX_VIOLATIONS 10
#define PATH_MAX_BYTES 512

/* A member of a structure is a field; a list's member or a map's value is a
 * value: AWS words a wrong type differently in the two places. */
typedef enum place { FIELD, VALUE } place;

static const emu_shape av_shape = {.type = EMU_SHAPE_ATTRIBUTE_VALUE};
static const emu_shape av_string = {.type = EMU_SHAPE_STRING};
static const emu_shape av_blob = {.type = EMU_SHAPE_BLOB};
static const emu_shape av_boolean = {.type = EMU_SHAPE_BOOLEAN};
static const emu_shape av_blob_list = {.type = EMU_SHAPE_LIST, .item = &av_blob};
static const emu_shape av_string_list = {.type = EMU_SHAPE_LIST, .item = &av_string};
static const emu_shape av_list = {.type = EMU_SHAPE_LIST, .item = &av_shape};
static const emu_shape av_map = {.type = EMU_SHAPE_MAP, .name = CLASS_PREFIX "AttributeValue", .item = &av_shape};
/* AttributeValue's members, in the order AWS reads them. */
static const emu_member av_members[] = {
    {"S", &av_string}, {"B", &av_blob}, {"N", &av_string}, {"BOOL", &av_boolean}, {"NULL", &av_boolean},
    {"BS", &av_blob_list}, {"NS", &av_string_list}, {"SS", &av_string_list}, {"L", &av_list}, {"M", &av_map},
    {0},
};

static int by_operation(const void *key, const void *entry)
{
    return strcmp(key, ((const emu_operation_shape *)entry)->operation);
}

const emu_shape *emu_shape_of(const char *operation)
{
    size_t n = 0;
    while (emu_operation_shapes[n].operation) n++;
    const emu_operation_shape *e = bsearch(operation, emu_operation_shapes, n, sizeof *e, by_operation);
    return e ? e->input : NULL;
}

static const emu_member *members_of(const emu_shape *s)
{
    return s->type == EMU_SHAPE_ATTRIBUTE_VALUE ? av_members : s->members;
}

/* ---- JSON types ---- */

static bool is_integral(const cJSON *j) { return j->valuedouble == floor(j->valuedouble); }

static const char *number_kind(const cJSON *j) { return is_integral(j) ? "NUMBER_VALUE" : "DECIMAL_VALUE"; }

static const char *bool_kind(const cJSON *j) { return cJSON_IsTrue(j) ? "TRUE_VALUE" : "FALSE_VALUE"; }

static bool serialization(store_error *err, const char *text)
{
    return store_fail(err, STORE_ERR_SERIALIZATION, "%s", text);
}

static bool not_expected_object(store_error *err)
{
    return serialization(err, "Start of structure or map found where not expected");
}

/* A boolean sent as a string: AWS reads true/1/yes and false/0/no, in any case. */
static bool boolean_text(cJSON *j, store_error *err)
{
    static const char *const yes[] = {"true", "1", "yes"}, *const no[] = {"false", "0", "no"};
    for (int i = 0; i < 3; i++) {
        if (strcasecmp(j->valuestring, yes[i]) == 0) { j->type = cJSON_True; return true; }
        if (strcasecmp(j->valuestring, no[i]) == 0) { j->type = cJSON_False; return true; }
    }
    return serialization(err, "Unexpected token received from parser");
}

static int base64_digit(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Base64 as AWS decodes it: whole quads, and only the canonical spelling (no
 * stray characters, no bits set past the last byte). Checked without decoding. */
static bool check_base64(const char *text, store_error *err)
{
    size_t len = strlen(text);
    if (len % 4)
        return store_fail(err, STORE_ERR_SERIALIZATION,
                          "Base64 encoded length is expected a multiple of 4 bytes but found: %zu", len);
    size_t pad = len && text[len - 1] == '=' ? (len > 1 && text[len - 2] == '=' ? 2 : 1) : 0;
    int last = 0;
    for (size_t i = 0; i < len - pad; i++)
        if ((last = base64_digit((unsigned char)text[i])) < 0) goto bad;
    if ((pad == 1 && (last & 0x3)) || (pad == 2 && (last & 0xF))) goto bad;
    return true;
bad:
    return serialization(err, "Invalid last non-pad Base64 character dectected"); /* sic: AWS's spelling */
}

static bool check_scalar(cJSON *j, const emu_shape *s, store_error *err)
{
    static const char *const java[] = {[EMU_SHAPE_STRING] = "String", [EMU_SHAPE_INTEGER] = "Integer",
                                       [EMU_SHAPE_LONG] = "Long", [EMU_SHAPE_BOOLEAN] = "Boolean"};
    if (cJSON_IsObject(j)) return not_expected_object(err);
    if (cJSON_IsArray(j))
        return store_fail(err, STORE_ERR_SERIALIZATION, "Unrecognized collection type class %s",
                          s->type == EMU_SHAPE_BLOB ? "java.nio.ByteBuffer" : s->type == EMU_SHAPE_STRING ? "java.lang.String"
                          : s->type == EMU_SHAPE_INTEGER ? "java.lang.Integer" : s->type == EMU_SHAPE_LONG ? "java.lang.Long"
                          : "java.lang.Boolean");
    switch (s->type) {
    case EMU_SHAPE_STRING:
        if (cJSON_IsBool(j)) return store_fail(err, STORE_ERR_SERIALIZATION, "%s cannot be converted to String", bool_kind(j));
        if (cJSON_IsNumber(j)) return store_fail(err, STORE_ERR_SERIALIZATION, "%s cannot be converted to String", number_kind(j));
        return true;
    case EMU_SHAPE_INTEGER:
    case EMU_SHAPE_LONG:
        if (cJSON_IsBool(j))
            return store_fail(err, STORE_ERR_SERIALIZATION, "%s cannot be converted to %s", bool_kind(j), java[s->type]);
        if (cJSON_IsString(j))
            return store_fail(err, STORE_ERR_SERIALIZATION, "STRING_VALUE cannot be converted to %s", java[s->type]);
        cJSON_SetNumberValue(j, floor(j->valuedouble)); /* AWS drops a fraction */
        return true;
    case EMU_SHAPE_BOOLEAN:
        if (cJSON_IsNumber(j))
            return store_fail(err, STORE_ERR_SERIALIZATION, "%s cannot be converted to Boolean", number_kind(j));
        if (cJSON_IsString(j)) return boolean_text(j, err);
        return true;
    default:
        if (cJSON_IsBool(j) || cJSON_IsNumber(j))
            return serialization(err, "only base-64-encoded strings are convertible to bytes");
        return check_base64(j->valuestring, err);
    }
}

static const char parameterized[] =
    "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class java.lang.Class "
    "(sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and java.lang.Class are in module java.base "
    "of loader 'bootstrap')";

static bool check_type(cJSON *j, const emu_shape *s, place at, store_error *err);

/* found[i]: the first member of obj named members[i].name (the one AWS reads
 * and cJSON_GetObjectItemCaseSensitive finds), or NULL. One walk of obj's
 * members for the whole shape: looking each name up would walk them once per
 * name the shape has, and a Query's has seventeen. */
static void members_found(const cJSON *obj, const emu_member *members, cJSON **found)
{
    size_t n = 0;
    for (const emu_member *m = members; m->name; m++) found[n++] = NULL;
    for (cJSON *c = obj->child; c; c = c->next) {
        if (!c->string) continue;
        for (size_t i = 0; i < n; i++) {
            const char *name = members[i].name;
            if (name[0] == c->string[0] && strcmp(name, c->string) == 0) {
                if (!found[i]) found[i] = c;
                break;
            }
        }
    }
}

static bool check_members(cJSON *obj, const emu_member *members, store_error *err)
{
    cJSON *found[EMU_SHAPE_MEMBERS_MAX];
    members_found(obj, members, found);
    for (size_t i = 0; members[i].name; i++) {
        cJSON *j = found[i];
        if (j && !cJSON_IsNull(j) && !check_type(j, members[i].shape, FIELD, err)) return false;
    }
    return true;
}

static bool check_children(cJSON *j, const emu_shape *item, store_error *err)
{
    cJSON *c;
    cJSON_ArrayForEach(c, j)
        if (!cJSON_IsNull(c) && !check_type(c, item, VALUE, err)) return false;
    return true;
}

static bool check_list(cJSON *j, const emu_shape *s, place at, store_error *err)
{
    if (cJSON_IsObject(j)) return not_expected_object(err);
    if (!cJSON_IsArray(j)) return serialization(err, at == FIELD ? "Unexpected field type" : parameterized);
    return check_children(j, s->item, err);
}

static bool check_map(cJSON *j, const emu_shape *s, place at, store_error *err)
{
    if (cJSON_IsArray(j))
        return store_fail(err, STORE_ERR_SERIALIZATION, "Unrecognized collection type java.util.Map<java.lang.String, %s>",
                          s->name);
    if (!cJSON_IsObject(j)) return serialization(err, at == FIELD ? "Unexpected field type" : parameterized);
    return check_children(j, s->item, err);
}

static bool check_structure(cJSON *j, const emu_shape *s, place at, store_error *err)
{
    if (cJSON_IsArray(j))
        return store_fail(err, STORE_ERR_SERIALIZATION, "Unrecognized collection type class " CLASS_PREFIX "%s",
                          s->type == EMU_SHAPE_ATTRIBUTE_VALUE ? "AttributeValue" : s->name);
    if (!cJSON_IsObject(j))
        return serialization(err, at == FIELD ? "Unexpected field type" : "Unexpected value type in payload");
    return check_members(j, members_of(s), err);
}

static bool check_type(cJSON *j, const emu_shape *s, place at, store_error *err)
{
    switch (s->type) {
    case EMU_SHAPE_LIST: return check_list(j, s, at, err);
    case EMU_SHAPE_MAP: return check_map(j, s, at, err);
    case EMU_SHAPE_STRUCTURE:
    case EMU_SHAPE_ATTRIBUTE_VALUE: return check_structure(j, s, at, err);
    default: return check_scalar(j, s, err);
    }
}

/* ---- constraints ---- */

/* A value as AWS prints it in a violation: strings bare, lists as [a, b]. */
static void value_text(const cJSON *j, char *out, size_t cap)
{
    if (cap == 0) return;
    out[0] = 0;
    if (cJSON_IsString(j)) { snprintf(out, cap, "%s", j->valuestring); return; }
    if (cJSON_IsNumber(j)) {
        if (is_integral(j) && fabs(j->valuedouble) < 1e21) snprintf(out, cap, "%.0f", j->valuedouble);
        else snprintf(out, cap, "%.17g", j->valuedouble);
        return;
    }
    if (cJSON_IsBool(j)) { snprintf(out, cap, "%s", cJSON_IsTrue(j) ? "true" : "false"); return; }
    if (cJSON_IsArray(j)) {
        size_t used = (size_t)snprintf(out, cap, "[");
        const cJSON *c;
        cJSON_ArrayForEach(c, j) {
            if (used + 1 >= cap) return;
            if (c != j->child) used += (size_t)snprintf(out + used, cap - used, ", ");
            if (used + 1 >= cap) return;
            value_text(c, out + used, cap - used);
            used += strlen(out + used);
        }
        if (used + 1 < cap) snprintf(out + used, cap - used, "]");
        return;
    }
    char *printed = cJSON_PrintUnformatted(j);
    snprintf(out, cap, "%s", printed ? printed : "");
    free(printed);
}

/* AWS quotes a value whole; dynemu's messages end at STORE_ERROR_MESSAGE_MAX,
 * so a long value is cut here (at a character, marked "...") to leave room
 * for the constraint it broke and the violations after it. */
#define VALUE_QUOTE_MAX 256

typedef struct collector {
    emu_violations v;
    char value[VALUE_QUOTE_MAX + 8]; /* the cut value and its closing "...]" */
} collector;

static void quote_value(const cJSON *j, char *out)
{
    value_text(j, out, VALUE_QUOTE_MAX + 5); /* the bytes past the cut show where a character ends */
    size_t len = strlen(out);
    if (len <= VALUE_QUOTE_MAX) return;
    for (len = VALUE_QUOTE_MAX; len && ((unsigned char)out[len] & 0xC0) == 0x80;) len--; /* not inside a character */
    /* A cut list or map still closes, as the whole one AWS quotes does. */
    const char *end = cJSON_IsArray(j) ? "...]" : cJSON_IsObject(j) ? "...}" : "...";
    memcpy(out + len, end, strlen(end) + 1);
}

/* Where a value sits, as a violation names it ("transactItems.1.member.put.tableName"):
 * a chain of parts back to the request, written out only when a violation
 * quotes it, so a request that breaks nothing builds no path text. */
typedef struct member_path {
    const struct member_path *parent; /* NULL: a member of the request itself */
    const char *name;          /* a member's name, a map's key, or "member"; NULL: a list position */
    unsigned index;            /* the list position, from 1 */
    bool lower_first;          /* a structure's member: AWS lower-cases its first letter */
} member_path;

/* out (holding "parent", cut at PATH_MAX_BYTES - 1) becomes "parent.name", cut there too. */
static void path_append(char *out, const char *name, bool lower_first)
{
    size_t n = strlen(out), room = PATH_MAX_BYTES - 1;
    if (n && n < room) out[n++] = '.';
    size_t len = strlen(name);
    if (len > room - n) len = room - n;
    memcpy(out + n, name, len);
    out[n + len] = '\0';
    if (lower_first && len && out[n] >= 'A' && out[n] <= 'Z') out[n] = (char)(out[n] - 'A' + 'a');
}

static void path_text(const member_path *p, char out[PATH_MAX_BYTES])
{
    if (!p) {
        out[0] = 0;
        return;
    }
    path_text(p->parent, out);
    char digits[16];
    if (!p->name) snprintf(digits, sizeof digits, "%u", p->index);
    path_append(out, p->name ? p->name : digits, p->lower_first);
}

static void violation(collector *c, const cJSON *j, const member_path *at, const char *constraint)
{
    char where[PATH_MAX_BYTES];
    path_text(at, where);
    if (!j) {
        emu_violation(&c->v, "Value null at '%s' failed to satisfy constraint: %s", where, constraint);
        return;
    }
    quote_value(j, c->value);
    emu_violation(&c->v, "Value '%s' at '%s' failed to satisfy constraint: %s", c->value, where, constraint);
}

/* Length as Java counts it: UTF-16 code units of a string, members of a list or map. */
static int length_of(const cJSON *j)
{
    if (!cJSON_IsString(j)) return cJSON_GetArraySize(j);
    const unsigned char *p = (const unsigned char *)j->valuestring;
    size_t len = strlen(j->valuestring), i = 0;
    int n = 0;
    /* ASCII eight bytes at a time (a PartiQL statement is long and mostly ASCII). */
    for (uint64_t w; i + 8 <= len && (memcpy(&w, p + i, 8), !(w & 0x8080808080808080ull)); i += 8) n += 8;
    for (; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80) n++;
        if (p[i] >= 0xF0) n++; /* outside the BMP: a surrogate pair */
    }
    return n;
}

/* [a-zA-Z0-9_.-]+: an empty name breaks the pattern too. */
static bool name_chars(const char *s)
{
    if (!*s) return false;
    for (; *s; s++) {
        char c = *s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
              c == '-'))
            return false;
    }
    return true;
}

static bool in_enum_set(const char *value, const char *set)
{
    size_t len = strlen(value);
    for (const char *p = set + 1; *p && *p != ']';) {
        size_t n = strcspn(p, ",]");
        if (n == len && memcmp(p, value, n) == 0) return true;
        p += n;
        if (*p == ',') p += 2; /* ", " */
    }
    return false;
}

static bool breaks_limits(const char *text, int len, const emu_map_limits *l)
{
    return (l->max_len && len > l->max_len) || (l->min_len && len < l->min_len) || (l->name_pattern && text && !name_chars(text));
}

/* "[Member must have length less than or equal to 255, ...]", in AWS's order. */
static void limits_text(const emu_map_limits *l, char *out, size_t cap)
{
    size_t used = (size_t)snprintf(out, cap, "[");
    if (l->max_len) used += (size_t)snprintf(out + used, cap - used, "Member must have length less than or equal to %d", l->max_len);
    if (l->min_len)
        used += (size_t)snprintf(out + used, cap - used, "%sMember must have length greater than or equal to %d",
                                 used > 1 ? ", " : "", l->min_len);
    if (l->name_pattern)
        used += (size_t)snprintf(out + used, cap - used, "%sMember must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
                                 used > 1 ? ", " : "");
    snprintf(out + used, cap - used, "]");
}

static void check_map_limits(collector *c, const cJSON *j, const member_path *path, const emu_map_limits *l, bool keys)
{
    char constraint[512], text[400];
    limits_text(l, text, sizeof text);
    snprintf(constraint, sizeof constraint, "Map %s must satisfy constraint: %s", keys ? "keys" : "value", text);
    const cJSON *m;
    cJSON_ArrayForEach(m, j) {
        bool broken = keys ? breaks_limits(m->string, (int)strlen(m->string), l)
                           : breaks_limits(NULL, cJSON_GetArraySize(m), l);
        if (broken) violation(c, j, path, constraint);
    }
}

static void check_value(collector *c, const cJSON *j, const emu_shape *s, const member_path *path);

static void check_fields(collector *c, const cJSON *obj, const emu_member *members, const member_path *parent)
{
    cJSON *found[EMU_SHAPE_MEMBERS_MAX];
    members_found(obj, members, found);
    for (size_t i = 0; members[i].name; i++) {
        const emu_member *m = &members[i];
        const cJSON *j = found[i];
        if (cJSON_IsNull(j)) j = NULL;
        if (!j && !m->shape->not_null) continue; /* an absent optional member has nothing to check */
        member_path here = {parent, m->name, 0, true};
        check_value(c, j, m->shape, &here);
    }
}

/* Whether no value of shape s can break a constraint: an AttributeValue
 * (its own checks are the operations'), or a scalar without constraints. */
static bool unconstrained(const emu_shape *s)
{
    if (s->type == EMU_SHAPE_ATTRIBUTE_VALUE) return true;
    if (s->type == EMU_SHAPE_LIST || s->type == EMU_SHAPE_MAP || s->type == EMU_SHAPE_STRUCTURE) return false;
    return !s->not_null && !s->name_pattern && !s->min_len && !s->max_len && !s->has_min && !s->has_max &&
           !s->enum_set;
}

/* A list's members are at path.1.member, path.2.member...; a map's values at path.KEY.member. */
static void check_elements(collector *c, const cJSON *j, const emu_shape *s, const member_path *parent)
{
    if (unconstrained(s->item)) return; /* an Item's or a Key's values: nothing to visit */
    unsigned i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, j) {
        member_path at = {parent, cJSON_IsArray(j) ? NULL : e->string, ++i, false};
        member_path member = {&at, "member", 0, false};
        check_value(c, cJSON_IsNull(e) ? NULL : e, s->item, &member);
    }
}

static void check_length_and_value(collector *c, const cJSON *j, const emu_shape *s, const member_path *path)
{
    char constraint[96];
    if (s->name_pattern && cJSON_IsString(j) && !name_chars(j->valuestring) && c->v.count < MAX_VIOLATIONS)
        violation(c, j, path, "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
    int len = s->min_len || s->max_len ? length_of(j) : 0;
    if (s->min_len && len < s->min_len && c->v.count < MAX_VIOLATIONS) {
        snprintf(constraint, sizeof constraint, "Member must have length greater than or equal to %d", s->min_len);
        violation(c, j, path, constraint);
    }
    if (s->max_len && len > s->max_len && c->v.count < MAX_VIOLATIONS) {
        snprintf(constraint, sizeof constraint, "Member must have length less than or equal to %d", s->max_len);
        violation(c, j, path, constraint);
    }
    if (!cJSON_IsNumber(j)) return;
    if (s->has_min && j->valuedouble < (double)s->min && c->v.count < MAX_VIOLATIONS) {
        snprintf(constraint, sizeof constraint, "Member must have value greater than or equal to %lld", s->min);
        violation(c, j, path, constraint);
    }
    if (s->has_max && j->valuedouble > (double)s->max && c->v.count < MAX_VIOLATIONS) {
        snprintf(constraint, sizeof constraint, "Member must have value less than or equal to %lld", s->max);
        violation(c, j, path, constraint);
    }
}

static void check_value(collector *c, const cJSON *j, const emu_shape *s, const member_path *path)
{
    if (c->v.count >= MAX_VIOLATIONS) return;
    if (!j) {
        if (s->not_null) violation(c, j, path, "Member must not be null");
        return;
    }
    check_length_and_value(c, j, s, path);
    if (s->enum_set && cJSON_IsString(j) && !in_enum_set(j->valuestring, s->enum_set) && c->v.count < MAX_VIOLATIONS) {
        char constraint[512];
        snprintf(constraint, sizeof constraint, "Member must satisfy enum value set: %s", s->enum_set);
        violation(c, j, path, constraint);
    }
    if (s->keys && c->v.count < MAX_VIOLATIONS) check_map_limits(c, j, path, s->keys, true);
    if (s->values && c->v.count < MAX_VIOLATIONS) check_map_limits(c, j, path, s->values, false);
    if (s->type == EMU_SHAPE_LIST || s->type == EMU_SHAPE_MAP) check_elements(c, j, s, path);
    else if (s->type == EMU_SHAPE_STRUCTURE) check_fields(c, j, s->members, path);
}

/* CreateTable and UpdateTable: TableName present and of a fit length, before anything else. */
static bool check_table_name_first(const cJSON *req, const emu_shape *shape, store_error *err)
{
    for (const emu_member *m = shape->members; m->name; m++) {
        if (!m->shape->table_name_first) continue;
        const cJSON *j = cJSON_GetObjectItemCaseSensitive(req, m->name);
        if (!j || cJSON_IsNull(j))
            return store_fail(err, STORE_ERR_VALIDATION, "The parameter '%s' is required but was not present in the request",
                              m->name);
        int len = length_of(j);
        if (len < 3 || len > 255)
            return store_fail(err, STORE_ERR_VALIDATION, "%s must be at least 3 characters long and at most 255 characters long",
                              m->name);
    }
    return true;
}

bool emu_shape_check(const emu_shape *shape, cJSON *req, store_error *err)
{
    if (!check_members(req, shape->members, err)) return false;
    if (!check_table_name_first(req, shape, err)) return false;
    collector c;
    emu_violations_init(&c.v);
    check_fields(&c, req, shape->members, NULL);
    if (c.v.count == 0) return true;
    return store_fail(err, STORE_ERR_VALIDATION, "%d validation error%s detected: %s", c.v.count,
                      c.v.count == 1 ? "" : "s", c.v.text);
}
