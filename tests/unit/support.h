/* tests/unit/support.h — what several unit tests build their input with.
 * Include after cmocka.h. */
#ifndef TESTS_UNIT_SUPPORT_H
#define TESTS_UNIT_SUPPORT_H

#include <cjson/cJSON.h>

#include "store/codec.h"

/* An item from its DynamoDB JSON; the test fails on bad JSON. */
static inline store_value *item_of(const char *json)
{
    cJSON *j = cJSON_Parse(json);
    assert_non_null(j);
    store_error err = {0};
    store_value *v = store_decode_item(j, &err);
    cJSON_Delete(j);
    if (!v) fail_msg("bad test item %s: %s", json, err.message);
    return v;
}

#endif
