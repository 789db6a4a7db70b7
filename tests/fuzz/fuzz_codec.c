/* tests/fuzz/fuzz_codec.c — the DynamoDB-JSON codec (store/codec.c): any
 * text either is refused or decodes to an item whose encoding decodes back
 * to the same item and encodes to the same text. */
#include "tests/fuzz/fuzz.h"

#include <cjson/cJSON.h>

#include "store/codec.h"

/* The item text holds; NULL when it is not JSON (*parsed false) or is refused. */
static store_value *decode_text(const char *text, size_t len, bool *parsed, store_error *err)
{
    cJSON *json = cJSON_ParseWithLength(text, len);
    *parsed = json != NULL;
    if (!json) return NULL;
    store_value *item = store_decode_item(json, err);
    cJSON_Delete(json);
    return item;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    store_error err = {.status = STORE_OK};
    bool parsed;
    store_value *item = decode_text(text, strlen(text), &parsed, &err);
    if (parsed && !item && (err.status == STORE_OK || !err.message[0]))
        fuzz_broken("an item is refused without a reason", text);
    if (item) {
        size_t len, again_len;
        char *encoded = store_encode_item_text(item, &len);
        if (!encoded) abort();
        store_error err2 = {.status = STORE_OK};
        store_value *again = decode_text(encoded, len, &parsed, &err2);
        if (!again) fuzz_broken("an encoded item does not decode", encoded);
        if (!store_value_equal(item, again)) fuzz_broken("an item does not survive its round trip", encoded);
        char *reencoded = store_encode_item_text(again, &again_len);
        if (!reencoded || again_len != len || memcmp(encoded, reencoded, len) != 0)
            fuzz_broken("an item encodes two ways", encoded);
        free(reencoded);
        free(encoded);
        store_release(again);
        store_release(item);
    }
    free(text);
    return 0;
}
