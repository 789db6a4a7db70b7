/* store/codec.c — DynamoDB JSON ⇄ store_value, with DynamoDB's validation of values. */
#include "store/codec.h"
#include "store/table.h"
#include "store/json_clean.h"
#include "store/number.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static const char *json_kind(const cJSON *j)
{
    if (cJSON_IsNumber(j)) return "NUMBER_VALUE";
    if (cJSON_IsString(j)) return "STRING_VALUE";
    if (cJSON_IsBool(j)) return "BOOLEAN_VALUE";
    if (cJSON_IsArray(j)) return "START_ARRAY";
    if (cJSON_IsObject(j)) return "START_OBJECT";
    return "VALUE_NULL";
}

static store_value *decode(const cJSON *json, int depth, store_error *err);

static store_value *decode_number(const char *text, store_error *err)
{
    char canon[STORE_NUMBER_MAX_TEXT + 1];
    size_t len;
    store_number_status st = store_number_canonical(text, strlen(text), canon, &len);
    if (st == STORE_NUMBER_INVALID && *text) {
        store_fail(err, STORE_ERR_VALIDATION, "%s: %.200s", store_number_message(st), text);
        return NULL;
    }
    if (st != STORE_NUMBER_OK) {
        store_fail(err, STORE_ERR_VALIDATION, "%s", store_number_message(st));
        return NULL;
    }
    return store_value_bytes(STORE_N, canon, len);
}

static store_value *decode_binary(const char *text, store_error *err)
{
    size_t len = strlen(text), out_len = 0;
    if (len % 4) {
        store_fail(err, STORE_ERR_SERIALIZATION,
                   "Base64 encoded length is expected a multiple of 4 bytes but found: %zu", len);
        return NULL;
    }
    unsigned char *buf = malloc(len / 4 * 3 + 1);
    if (!buf) { store_fail(err, STORE_ERR_INTERNAL, "out of memory"); return NULL; }
    if (sodium_base642bin(buf, len / 4 * 3 + 1, text, len, NULL, &out_len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0) {
        free(buf);
        store_fail(err, STORE_ERR_SERIALIZATION, "Invalid Base64 encoded value: '%.64s'", text);
        return NULL;
    }
    store_value *v = store_value_bytes(STORE_B, (const char *)buf, out_len);
    free(buf);
    return v;
}

static store_value *decode_scalar(store_type t, const cJSON *json, store_error *err)
{
    if (!cJSON_IsString(json)) {
        store_fail(err, STORE_ERR_SERIALIZATION, "%s cannot be converted to %s", json_kind(json),
                   t == STORE_B ? "Blob" : "String");
        return NULL;
    }
    if (t == STORE_N) return decode_number(json->valuestring, err);
    if (t == STORE_B) return decode_binary(json->valuestring, err);
    return store_value_bytes(STORE_S, json->valuestring, strlen(json->valuestring));
}

static const char *set_noun(store_type t)
{
    return t == STORE_SS ? "string" : t == STORE_NS ? "number" : "binary";
}

/* AWS lists the members of a string or binary set that has duplicates, as
 * given, each set kind in words of its own. */
static void fail_duplicates(store_type t, const cJSON *json, store_error *err)
{
    if (t == STORE_NS) {
        store_fail(err, STORE_ERR_VALIDATION, "Input collection contains duplicates");
        return;
    }
    char list[512] = "";
    size_t used = 0;
    const cJSON *m;
    cJSON_ArrayForEach(m, json) {
        int n = snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "",
                         cJSON_IsString(m) ? m->valuestring : "");
        if (n < 0 || (size_t)n >= sizeof list - used) break;
        used += (size_t)n;
    }
    store_fail(err, STORE_ERR_VALIDATION, "One or more parameter values were invalid: Input collection [%s]%s contains duplicates.",
               list, t == STORE_BS ? "of type BS" : "");
}

static store_value *decode_set(store_type t, const cJSON *json, store_error *err)
{
    if (!cJSON_IsArray(json)) {
        store_fail(err, STORE_ERR_SERIALIZATION, "Unexpected value type in payload: %s", json_kind(json));
        return NULL;
    }
    int n = cJSON_GetArraySize(json);
    if (n == 0 && t == STORE_BS) {
        store_fail(err, STORE_ERR_VALIDATION, "One or more parameter values were invalid: Binary sets should not be empty");
        return NULL;
    }
    if (n == 0) {
        store_fail(err, STORE_ERR_VALIDATION,
                   "One or more parameter values were invalid: An %s set  may not be empty", set_noun(t));
        return NULL;
    }
    store_value **elems = malloc(sizeof *elems * (size_t)n);
    if (!elems) { store_fail(err, STORE_ERR_INTERNAL, "out of memory"); return NULL; }
    size_t count = 0;
    const cJSON *m;
    cJSON_ArrayForEach(m, json) {
        store_value *e = decode_scalar(store_set_element_type(t), m, err);
        if (!e) break;
        elems[count++] = e;
    }
    store_value *v = NULL;
    if (count == (size_t)n) {
        bool duplicate;
        v = store_value_set(t, elems, count, &duplicate);
        if (duplicate) fail_duplicates(t, json, err);
    } else {
        for (size_t i = 0; i < count; i++) store_release(elems[i]);
    }
    free(elems);
    return v;
}

static store_value *decode_list(const cJSON *json, int depth, store_error *err)
{
    if (!cJSON_IsArray(json)) {
        store_fail(err, STORE_ERR_SERIALIZATION, "Unexpected value type in payload: %s", json_kind(json));
        return NULL;
    }
    int n = cJSON_GetArraySize(json);
    store_value **elems = malloc(sizeof *elems * (size_t)(n ? n : 1));
    if (!elems) { store_fail(err, STORE_ERR_INTERNAL, "out of memory"); return NULL; }
    size_t count = 0;
    const cJSON *m;
    cJSON_ArrayForEach(m, json) {
        store_value *e = decode(m, depth + 1, err);
        if (!e) break;
        elems[count++] = e;
    }
    store_value *v = NULL;
    if (count == (size_t)n) v = store_value_list(elems, count);
    else for (size_t i = 0; i < count; i++) store_release(elems[i]);
    free(elems);
    return v;
}

static store_value *decode_map(const cJSON *json, int depth, store_error *err)
{
    if (!cJSON_IsObject(json)) {
        store_fail(err, STORE_ERR_SERIALIZATION, "Unexpected value type in payload: %s", json_kind(json));
        return NULL;
    }
    int n = cJSON_GetArraySize(json);
    store_entry *entries = malloc(sizeof *entries * (size_t)(n ? n : 1));
    if (!entries) { store_fail(err, STORE_ERR_INTERNAL, "out of memory"); return NULL; }
    size_t count = 0;
    const cJSON *m;
    cJSON_ArrayForEach(m, json) {
        size_t name_len = strlen(m->string);
        if (!store_name_length_ok(name_len)) {
            store_fail(err, STORE_ERR_VALIDATION, STORE_NAME_LENGTH_MESSAGE);
            break;
        }
        store_value *v = decode(m, depth + 1, err);
        if (!v) break;
        entries[count].name = store_name(m->string, name_len);
        entries[count++].value = v;
        if (!entries[count - 1].name) {
            store_fail(err, STORE_ERR_INTERNAL, "out of memory");
            break;
        }
    }
    store_value *v = NULL;
    if (count == (size_t)n && (!n || entries[n - 1].name)) {
        if (!(v = store_value_map(entries, count))) store_fail(err, STORE_ERR_INTERNAL, "out of memory");
    } else {
        store_entries_release(entries, count);
    }
    free(entries);
    return v;
}

static store_value *decode_member(store_type t, const cJSON *m, int depth, store_error *err)
{
    switch (t) {
    case STORE_S: case STORE_N: case STORE_B: return decode_scalar(t, m, err);
    case STORE_SS: case STORE_NS: case STORE_BS: return decode_set(t, m, err);
    case STORE_L: return decode_list(m, depth, err);
    case STORE_M: return decode_map(m, depth, err);
    case STORE_BOOL:
        if (!cJSON_IsBool(m)) {
            store_fail(err, STORE_ERR_SERIALIZATION, "%s cannot be converted to Boolean", json_kind(m));
            return NULL;
        }
        return store_value_bool(cJSON_IsTrue(m));
    case STORE_NULL:
        if (!cJSON_IsTrue(m)) {
            store_fail(err, STORE_ERR_VALIDATION,
                       "One or more parameter values were invalid: Null attribute value types must have the value of true");
            return NULL;
        }
        return store_value_null();
    }
    return NULL;
}

/* Several type members: AWS reports a bad value among them (in the order
 * given) before it counts them. */
static void fail_several_types(const cJSON *json, int depth, store_error *err)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, json) {
        int t = store_type_from_name(m->string);
        if (t < 0 || cJSON_IsNull(m)) continue;
        store_value *v = decode_member((store_type)t, m, depth, err);
        if (!v) return;
        store_release(v);
    }
    store_fail(err, STORE_ERR_VALIDATION,
               "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
}

/* The one type member of an attribute value object, or NULL with the error set. */
static const cJSON *single_type_member(const cJSON *json, int depth, store_type *type, store_error *err)
{
    if (!cJSON_IsObject(json)) {
        store_fail(err, STORE_ERR_SERIALIZATION, "Unexpected value type in payload: %s", json_kind(json));
        return NULL;
    }
    const cJSON *found = NULL, *m;
    int count = 0;
    cJSON_ArrayForEach(m, json) {
        int t = store_type_from_name(m->string);
        if (t < 0) continue;
        if (cJSON_IsNull(m)) continue; /* an explicit null counts as unset, as in the SDKs */
        found = m;
        *type = (store_type)t;
        count++;
    }
    if (count == 0)
        store_fail(err, STORE_ERR_VALIDATION,
                   "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
    else if (count > 1)
        fail_several_types(json, depth, err);
    return count == 1 ? found : NULL;
}

static store_value *decode(const cJSON *json, int depth, store_error *err)
{
    if (depth > STORE_MAX_DEPTH) {
        store_fail(err, STORE_ERR_VALIDATION, "Nesting Levels have exceeded supported limits");
        return NULL;
    }
    store_type t = STORE_NULL;
    const cJSON *m = single_type_member(json, depth, &t, err);
    return m ? decode_member(t, m, depth, err) : NULL;
}

store_value *store_decode_value(const cJSON *json, store_error *err) { return decode(json, 1, err); }

store_value *store_decode_item(const cJSON *json, store_error *err) { return decode_map(json, 0, err); }

/* The JSON string of a scalar: S and N as they are, B in base64. */
static cJSON *encode_scalar(const store_value *v)
{
    if (v->type != STORE_B) return cJSON_CreateString(store_bytes(v));
    store_text t = {0};
    store_text_put_base64(&t, (const unsigned char *)store_bytes(v), v->len);
    char *b64 = store_text_finish(&t, NULL);
    if (!b64) return NULL;
    cJSON *s = cJSON_CreateString(b64);
    free(b64);
    return s;
}

cJSON *store_encode_value(const store_value *v)
{
    cJSON *obj = cJSON_CreateObject(), *inner = NULL;
    if (!obj) return NULL;
    switch ((store_type)v->type) {
    case STORE_S: case STORE_N: case STORE_B: inner = encode_scalar(v); break;
    case STORE_SS: case STORE_NS: case STORE_BS:
        inner = cJSON_CreateArray();
        for (uint32_t i = 0; inner && i < v->len; i++) cJSON_AddItemToArray(inner, encode_scalar(store_elems(v)[i]));
        break;
    case STORE_L:
        inner = cJSON_CreateArray();
        for (uint32_t i = 0; inner && i < v->len; i++) cJSON_AddItemToArray(inner, store_encode_value(store_elems(v)[i]));
        break;
    case STORE_M: inner = store_encode_item(v); break;
    case STORE_BOOL: inner = cJSON_CreateBool(v->flag); break;
    case STORE_NULL: inner = cJSON_CreateTrue(); break;
    }
    cJSON_AddItemToObject(obj, store_type_name(v->type), inner);
    return obj;
}

cJSON *store_encode_item(const store_value *item)
{
    cJSON *obj = cJSON_CreateObject();
    for (uint32_t i = 0; obj && i < item->len; i++) {
        const store_entry *e = &store_entries(item)[i];
        cJSON_AddItemToObject(obj, store_bytes(e->name), store_encode_value(e->value));
    }
    return obj;
}

/* ---- items as JSON text ---- */

/* Grows the buffer so n more bytes (and a terminator) fit. */
static bool grow(store_text *b, size_t n)
{
    if (b->failed) return false;
    size_t cap = b->cap ? b->cap : 1024;
    while (cap < b->len + n + 1) cap *= 2;
    char *d = realloc(b->data, cap);
    if (!d) { b->failed = true; return false; }
    b->data = d;
    b->cap = cap;
    return true;
}

/* Room for n more bytes and a terminator. After a failed growth the old
 * buffer stays, so what still fits may be written: finish discards it. */
static inline bool reserve(store_text *b, size_t n)
{
    return b->len + n + 1 <= b->cap || grow(b, n);
}

static inline void append(store_text *b, const char *p, size_t n)
{
    if (!reserve(b, n)) return;
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

void store_text_put(store_text *b, const char *p, size_t n) { append(b, p, n); }
bool store_text_reserve(store_text *b, size_t n) { return reserve(b, n); }

void store_text_put_base64(store_text *b, const unsigned char *bytes, size_t n)
{
    /* A table lookup per digit: libsodium's encoder runs in constant time,
     * which secrets need and answers do not, at many times the cost. */
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t out = (n + 2) / 3 * 4;
    if (!reserve(b, out)) return;
    char *p = b->data + b->len;
    size_t i = 0;
    for (; i + 3 <= n; i += 3, p += 4) {
        uint32_t w = (uint32_t)bytes[i] << 16 | (uint32_t)bytes[i + 1] << 8 | bytes[i + 2];
        p[0] = digits[w >> 18];
        p[1] = digits[(w >> 12) & 63];
        p[2] = digits[(w >> 6) & 63];
        p[3] = digits[w & 63];
    }
    if (i < n) {
        uint32_t w = (uint32_t)bytes[i] << 16 | (i + 1 < n ? (uint32_t)bytes[i + 1] << 8 : 0);
        p[0] = digits[w >> 18];
        p[1] = digits[(w >> 12) & 63];
        p[2] = i + 1 < n ? digits[(w >> 6) & 63] : '=';
        p[3] = '=';
    }
    b->len += out;
}

void store_text_put_integer(store_text *b, long long n)
{
    char digits[24];
    int i = sizeof digits;
    unsigned long long u = n < 0 ? 0ull - (unsigned long long)n : (unsigned long long)n;
    do digits[--i] = (char)('0' + u % 10); while ((u /= 10));
    if (n < 0) digits[--i] = '-';
    append(b, digits + i, sizeof digits - (size_t)i);
}

static void put_str(store_text *b, const char *s) { append(b, s, strlen(s)); }

static void put_escape(store_text *b, unsigned char c)
{
    char esc[8];
    switch (c) {
    case '"': append(b, "\\\"", 2); break;
    case '\\': append(b, "\\\\", 2); break;
    case '\n': append(b, "\\n", 2); break;
    case '\r': append(b, "\\r", 2); break;
    case '\t': append(b, "\\t", 2); break;
    default: snprintf(esc, sizeof esc, "\\u%04x", c); append(b, esc, 6); break;
    }
}

/* A JSON string of bytes known to need no escaping: one copy. */
static void put_clean(store_text *b, const char *p, size_t n)
{
    if (!reserve(b, n + 2)) return;
    char *out = b->data + b->len;
    out[0] = '"';
    memcpy(out + 1, p, n);
    out[n + 1] = '"';
    b->len += n + 2;
}

/* A JSON string: quotes, backslashes and control characters escaped; UTF-8 as it is. */
static void put_quoted(store_text *b, const char *p, size_t n)
{
    size_t run = store_json_clean_prefix(p, n);
    if (run == n) { put_clean(b, p, n); return; }
    append(b, "\"", 1);
    for (size_t i = 0;;) { /* clean runs, each up to a byte to escape */
        append(b, p + i, run);
        i += run;
        if (i == n) break;
        put_escape(b, (unsigned char)p[i++]);
        run = store_json_clean_prefix(p + i, n - i);
    }
    append(b, "\"", 1);
}

/* An S or N value's text: numbers are digits, signs, '.' and 'E' only, and
 * strings carry whether they are clean from when they were made. */
static void put_text_value(store_text *b, const store_value *v)
{
    if (v->type == STORE_N || (v->flag & STORE_FLAG_JSON_CLEAN)) put_clean(b, store_bytes(v), v->len);
    else put_quoted(b, store_bytes(v), v->len);
}

static void put_scalar(store_text *b, const store_value *v)
{
    if (v->type != STORE_B) { put_text_value(b, v); return; }
    store_text_put_literal(b, "\"");
    store_text_put_base64(b, (const unsigned char *)store_bytes(v), v->len);
    store_text_put_literal(b, "\"");
}

static void put_map(store_text *b, const store_value *m);

/* `{"S":` and the like, whole, so that each value opens with one append. */
static const struct {
    const char *text;
    size_t len;
} value_openings[] = {
#define OPENING(t) {"{\"" t "\":", sizeof("{\"" t "\":") - 1}
    [STORE_S] = OPENING("S"), [STORE_N] = OPENING("N"), [STORE_B] = OPENING("B"),
    [STORE_SS] = OPENING("SS"), [STORE_NS] = OPENING("NS"), [STORE_BS] = OPENING("BS"),
    [STORE_M] = OPENING("M"), [STORE_L] = OPENING("L"), [STORE_BOOL] = OPENING("BOOL"),
    [STORE_NULL] = OPENING("NULL"),
#undef OPENING
};

static void put_value(store_text *b, const store_value *v)
{
    append(b, value_openings[v->type].text, value_openings[v->type].len);
    switch ((store_type)v->type) {
    case STORE_S: case STORE_N: case STORE_B: put_scalar(b, v); break;
    case STORE_SS: case STORE_NS: case STORE_BS: case STORE_L:
        append(b, "[", 1);
        for (uint32_t i = 0; i < v->len; i++) {
            if (i) append(b, ",", 1);
            if (v->type == STORE_L) put_value(b, store_elems(v)[i]);
            else put_scalar(b, store_elems(v)[i]);
        }
        append(b, "]", 1);
        break;
    case STORE_M: put_map(b, v); break;
    case STORE_BOOL: put_str(b, v->flag ? "true" : "false"); break;
    case STORE_NULL: put_str(b, "true"); break;
    }
    append(b, "}", 1);
}

/* Whether an entry is the usual attribute: a clean name and an N or clean S
 * value, written as it is stored. */
static inline bool is_plain_entry(const store_entry *e)
{
    const store_value *v = e->value;
    return (e->name->flag & STORE_FLAG_JSON_CLEAN) &&
           (v->type == STORE_N || (v->type == STORE_S && (v->flag & STORE_FLAG_JSON_CLEAN)));
}

/* `"name":{"S":"text"}` in one reservation: most of an answer's bytes. */
static void put_plain_entry(store_text *b, const store_entry *e)
{
    const store_value *name = e->name, *v = e->value;
    if (!reserve(b, name->len + v->len + 11)) return;
    char *out = b->data + b->len;
    *out++ = '"';
    memcpy(out, store_bytes(name), name->len);
    out += name->len;
    memcpy(out, v->type == STORE_S ? "\":{\"S\":\"" : "\":{\"N\":\"", 8);
    out += 8;
    memcpy(out, store_bytes(v), v->len);
    out += v->len;
    memcpy(out, "\"}", 2);
    b->len = (size_t)(out + 2 - b->data);
}

static void put_map(store_text *b, const store_value *m)
{
    append(b, "{", 1);
    for (uint32_t i = 0; i < m->len; i++) {
        const store_entry *e = &store_entries(m)[i];
        if (i) append(b, ",", 1);
        if (is_plain_entry(e)) {
            put_plain_entry(b, e);
            continue;
        }
        put_text_value(b, e->name);
        append(b, ":", 1);
        put_value(b, e->value);
    }
    append(b, "}", 1);
}

void store_text_item(store_text *t, const store_value *item) { put_map(t, item); }

char *store_text_finish(store_text *t, size_t *len)
{
    store_text_put(t, "", 0); /* room for the terminator even when empty */
    if (t->failed) { free(t->data); t->data = NULL; return NULL; }
    t->data[t->len] = 0;
    if (len) *len = t->len;
    return t->data;
}

char *store_encode_item_text(const store_value *item, size_t *len)
{
    store_text t = {0};
    store_text_item(&t, item);
    return store_text_finish(&t, len);
}

bool store_json_add(cJSON *obj, const char *name, cJSON *item)
{
    bool added = item && (name ? cJSON_AddItemToObject(obj, name, item) : cJSON_AddItemToArray(obj, item));
    if (!added) cJSON_Delete(item);
    return added;
}

cJSON *store_encode_key_schema(const store_key_schema *k)
{
    cJSON *list = cJSON_CreateArray();
    size_t n_pk = store_key_partition_count(k);
    bool ok = list != NULL;
    for (size_t i = 0; ok && i < store_key_count(k); i++) {
        cJSON *e = cJSON_CreateObject();
        ok = e && cJSON_AddStringToObject(e, "AttributeName", store_bytes(store_key_name(k, i))) &&
             cJSON_AddStringToObject(e, "KeyType", i < n_pk ? "HASH" : "RANGE") && cJSON_AddItemToArray(list, e);
        if (!ok) cJSON_Delete(e);
    }
    if (ok) return list;
    cJSON_Delete(list);
    return NULL;
}
