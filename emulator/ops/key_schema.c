/* emulator/ops/key_schema.c — KeySchema order, counts and duplicates, as
 * DynamoDB checks them, and the store's key schema built from it. */
#include "emulator/ops/key_schema.h"

#include <stdio.h>
#include <string.h>

static bool refuse(emu_ctx *ctx, const char *message)
{
    return store_fail(&ctx->err, STORE_ERR_VALIDATION, "%s", message);
}

/* A table or an LSI: exactly HASH, then RANGE. */
static bool add_single(emu_ctx *ctx, emu_key_names *k, const char *type)
{
    bool first = k->count == 0;
    if (strcmp(type, first ? "HASH" : "RANGE") != 0)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION, "Invalid KeySchema: The %s KeySchemaElement is not a %s key type",
                          first ? "first" : "second", first ? "HASH" : "RANGE");
    return true;
}

/* A GSI: HASH elements (at least one), then RANGE elements, at most 4 of each. */
static bool add_multi(emu_ctx *ctx, emu_key_names *k, const char *type)
{
    bool hash = strcmp(type, "HASH") == 0;
    if (k->count == 0 && !hash) return refuse(ctx, "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
    if (hash && k->n_hash < k->count)
        return refuse(ctx, "One or more parameter values were invalid: All HASH key attributes must precede RANGE key "
                           "attributes in the KeySchema");
    int n_range = k->count - k->n_hash;
    if (hash ? k->n_hash == STORE_MAX_KEY_ATTRS : n_range == STORE_MAX_KEY_ATTRS)
        return store_fail(&ctx->err, STORE_ERR_VALIDATION,
                          "One or more parameter values were invalid: The KeySchema exceeds the maximum allowed number "
                          "of %s key attributes", hash ? "HASH" : "RANGE");
    return true;
}

bool emu_key_names_check_single_order(emu_ctx *ctx, const emu_key_names *k)
{
    emu_key_names seen = {0};
    for (int i = 0; i < k->count; i++) {
        if (!add_single(ctx, &seen, k->types[i])) return false;
        seen.count++;
    }
    return true;
}

bool emu_key_names_add(emu_ctx *ctx, emu_key_names *k, const char *name, const char *type, bool multi)
{
    if (!(multi ? add_multi(ctx, k, type) : add_single(ctx, k, type))) return false;
    if (strcmp(type, "HASH") == 0) k->n_hash++;
    k->names[k->count++] = name;
    return true;
}

bool emu_key_names_check_unique(emu_ctx *ctx, const emu_key_names *k)
{
    if (k->count == 2 && k->n_hash == 1 && strcmp(k->names[0], k->names[1]) == 0)
        return refuse(ctx, "Both the Hash Key and the Range Key element in the KeySchema have the same name");
    for (int i = 0; i < k->count; i++)
        for (int j = 0; j < i; j++) {
            if (strcmp(k->names[i], k->names[j]) != 0) continue;
            bool same_kind = (i < k->n_hash) == (j < k->n_hash);
            if (same_kind)
                return store_fail(&ctx->err, STORE_ERR_VALIDATION, "Attribute Name is duplicated: %s", k->names[i]);
            return refuse(ctx, "The KeySchema contains multiple key attributes with the same name");
        }
    return true;
}

void emu_key_names_list(const emu_key_names *k, char *buf, size_t size)
{
    size_t off = 0;
    buf[0] = '\0';
    for (int i = 0; i < k->count && off < size; i++)
        off += (size_t)snprintf(buf + off, size - off, "%s%s", i ? ", " : "", k->names[i]);
}

void emu_key_schema_build(store_key_schema *out, const emu_key_names *k, const store_type *types)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < k->count; i++)
        store_key_append(out, store_name(k->names[i], strlen(k->names[i])), types[i], i < k->n_hash);
}
