/* store/codec.h — the DynamoDB-JSON codec: {"S": "bob"} ⇄ store_value.
 *
 * Decoding validates everything DynamoDB checks of a single value: exactly
 * one type, numbers, base64, non-empty sets without duplicates, nesting
 * depth. Encoding writes the canonical form (numbers normalised, sets in
 * their stored order). */
#ifndef STORE_CODEC_H
#define STORE_CODEC_H

#include <cjson/cJSON.h>

#include "store/error.h"
#include "store/value.h"

/* An attribute value; NULL with *err set on bad input. */
store_value *store_decode_value(const cJSON *json, store_error *err);
/* An object of attribute name → value, as an M value (an item, a key). */
store_value *store_decode_item(const cJSON *json, store_error *err);

cJSON *store_encode_value(const store_value *v);
cJSON *store_encode_item(const store_value *item);

struct store_key_schema;
/* A KeySchema list as DynamoDB writes it: HASH elements, then RANGE elements. */
/* Adds item (taken over, NULL allowed) to obj under name, or to the array obj
 * when name is NULL; false when it is NULL or cannot be added, and then it is
 * freed (cJSON's own add keeps an item it could not add). Answers are built
 * with it so that they are whole or refused, never missing a member. */
bool store_json_add(cJSON *obj, const char *name, cJSON *item);
/* KeySchema as the API writes it; NULL when out of memory. */
cJSON *store_encode_key_schema(const struct store_key_schema *k);
/* The same JSON as text, written straight into one buffer (no tree of
 * nodes): the form every answer carrying items uses. malloc'd; NULL when
 * out of memory. */
char *store_encode_item_text(const store_value *item, size_t *len);

/* A growing JSON text, for answers that carry many items in one buffer. */
typedef struct store_text {
    char *data;
    size_t len, cap;
    bool failed;          /* out of memory: every later append is dropped */
} store_text;

void store_text_put(store_text *t, const char *bytes, size_t n);
/* A string literal, its length counted by the compiler. */
#define store_text_put_literal(t, literal) store_text_put((t), "" literal, sizeof(literal) - 1)
/* n bytes in base64 (standard alphabet, padded), as B values and tokens are written. */
void store_text_put_base64(store_text *t, const unsigned char *bytes, size_t n);
/* A JSON integer. */
void store_text_put_integer(store_text *t, long long n);
/* Makes room for n more bytes now (false, and failed set, when out of memory),
 * for a writer that knows roughly how much is coming. */
bool store_text_reserve(store_text *t, size_t n);
void store_text_item(store_text *t, const store_value *item);
/* NUL-terminates and hands over the buffer (NULL if an append failed). */
char *store_text_finish(store_text *t, size_t *len);

#endif
