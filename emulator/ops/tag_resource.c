/* emulator/ops/tag_resource.c — TagResource: adds tags to a table, a tag
 * already there taking its new value. DynamoDB's limits: 50 tags a table,
 * keys of 1 to 128 characters and values of up to 256, letters, digits,
 * white space and + - = . _ : / only, no key under the reserved "aws:",
 * and no key named twice in one request. */
#include "emulator/ops/common.h"
#include "emulator/ops/ops.h"
#include "emulator/ops/resource_arn.h"
#include "emulator/ops/tags.h"

#include <stdio.h>
#include <string.h>

#define EMU_MAX_TAG_KEY   128
#define EMU_MAX_TAG_VALUE 256

/* Characters, not bytes: UTF-8 continuation bytes do not count. */
static size_t utf8_length(const char *s)
{
    size_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

/* Letters (any non-ASCII character is taken for one), digits, white space and + - = . _ : / */
static bool allowed_characters(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x80 && !strchr(" \t\n\r+-=._:/", c) && !(c >= '0' && c <= '9') && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
            return false;
    }
    return true;
}

static void check_length(emu_violations *v, const char *s, int position, const char *member, size_t min, size_t max)
{
    size_t len = utf8_length(s);
    if (len < min || len > max)
        emu_violation(v, "Value '%s' at 'tags.%d.member.%s' failed to satisfy constraint: Member must have length %s than "
                         "or equal to %zu",
                      s, position, member, len < min ? "greater" : "less", len < min ? min : max);
}

static bool read_tags(emu_ctx *ctx, emu_violations *v, const cJSON *tags)
{
    int i = 0;
    const cJSON *tag;
    cJSON_ArrayForEach(tag, tags) {
        const char *key, *value;
        char path[64];
        if (!emu_string(ctx, tag, "Key", &key) || !emu_string(ctx, tag, "Value", &value)) return false;
        i++;
        snprintf(path, sizeof path, "tags.%d.member.key", i);
        emu_require(v, key, path);
        snprintf(path, sizeof path, "tags.%d.member.value", i);
        emu_require(v, value, path);
        if (key) check_length(v, key, i, "key", 1, EMU_MAX_TAG_KEY);
        if (value) check_length(v, value, i, "value", 0, EMU_MAX_TAG_VALUE);
    }
    return true;
}

static const char *key_of(const cJSON *tag) { return cJSON_GetObjectItemCaseSensitive(tag, "Key")->valuestring; }

/* One request may not name a key twice (a key already on the table is replaced). */
static bool check_unique_keys(emu_ctx *ctx, const cJSON *tags)
{
    const cJSON *tag, *prev;
    cJSON_ArrayForEach(tag, tags)
        for (prev = tags->child; prev != tag; prev = prev->next)
            if (strcmp(key_of(prev), key_of(tag)) == 0)
                return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                                  "Duplicate Tag Keys provided as input: Duplicate Tag Key found %s", key_of(tag));
    return true;
}

static bool check_tag_contents(emu_ctx *ctx, const cJSON *tags)
{
    const cJSON *tag;
    cJSON_ArrayForEach(tag, tags) {
        const char *key = key_of(tag);
        const char *value = cJSON_GetObjectItemCaseSensitive(tag, "Value")->valuestring;
        if (!allowed_characters(key) || !allowed_characters(value))
            return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                              "One or more parameter values were invalid: Tag key or value contains characters that are "
                              "not allowed: %s",
                              allowed_characters(key) ? value : key);
        if (strncmp(key, "aws:", 4) == 0)
            return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                              "One or more parameter values were invalid: Tag keys starting with 'aws:' are reserved "
                              "for system use: %s",
                              key);
    }
    return check_unique_keys(ctx, tags);
}

/* The count after tagging: keys already there are replaced, not added
 * (keys within the request are distinct: check_unique_keys). */
static size_t count_after(const store_table *t, const cJSON *tags)
{
    size_t n = t->n_tags;
    const cJSON *tag;
    cJSON_ArrayForEach(tag, tags) n += store_table_find_tag(t, key_of(tag)) == NULL;
    return n;
}

bool emu_tags_validate(emu_ctx *ctx, emu_violations *v, const cJSON *tags)
{
    emu_require(v, tags, "tags");
    if (tags && !read_tags(ctx, v, tags)) return false;
    if (!emu_violations_done(ctx, v)) return false;
    if (cJSON_GetArraySize(tags) == 0)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION, "Atleast one Tag needs to be provided as Input.");
    return check_tag_contents(ctx, tags);
}

bool emu_tags_set(emu_ctx *ctx, store_table *t, const cJSON *tags)
{
    if (count_after(t, tags) > STORE_MAX_TAGS)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: The number of tags exceeds the limit of %d",
                          STORE_MAX_TAGS);
    /* At most STORE_MAX_TAGS: the keys are distinct and the count after is within it. */
    const char *keys[STORE_MAX_TAGS], *values[STORE_MAX_TAGS];
    size_t n = 0;
    const cJSON *tag;
    cJSON_ArrayForEach(tag, tags) {
        if (n == STORE_MAX_TAGS) break; /* unreachable, by the count above; kept for the arrays' sake */
        keys[n] = key_of(tag);
        values[n++] = cJSON_GetObjectItemCaseSensitive(tag, "Value")->valuestring;
    }
    return store_table_set_tags(t, keys, values, n) || emu_oom(ctx);
}

bool emu_op_tag_resource(emu_ctx *ctx)
{
    const char *arn;
    const cJSON *tags;
    emu_violations v;
    emu_violations_init(&v);
    if (!emu_read_resource_arn(ctx, &v, &arn) || !emu_array(ctx, ctx->req, "Tags", &tags)) return false;
    if (!emu_tags_validate(ctx, &v, tags)) return false;
    store_table *t = emu_table_by_arn(ctx, arn, "Requested resource not found: ResourcArn: %s not found");
    return t && emu_tags_set(ctx, t, tags);
}
