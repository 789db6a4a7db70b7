/* emulator/ops/key_schema.h — the order rules of a KeySchema list, shared by
 * CreateTable (the table, its LSIs and GSIs) and UpdateTable (a GSI created):
 * a table's or an LSI's key is HASH then an optional RANGE; a GSI's may be
 * multi-attribute, 1 to 4 HASH elements followed by up to 4 RANGE elements. */
#ifndef EMU_KEY_SCHEMA_H
#define EMU_KEY_SCHEMA_H

#include "emulator/ops/common.h"

#define EMU_MAX_KEY_ELEMENTS (2 * STORE_MAX_KEY_ATTRS)

typedef struct emu_key_names {
    const char *names[EMU_MAX_KEY_ELEMENTS];   /* HASH elements first */
    const char *types[EMU_MAX_KEY_ELEMENTS];   /* as read: checked after the names are found defined */
    int count, n_hash;
} emu_key_names;

/* Adds the next element (its members already checked for presence and
 * enum); refuses an order DynamoDB refuses. multi: a GSI's key schema. */
bool emu_key_names_add(emu_ctx *ctx, emu_key_names *k, const char *name, const char *type, bool multi);
/* A table's or an LSI's key, whose element types AWS checks after its
 * names are found defined: HASH, then an optional RANGE. */
bool emu_key_names_check_single_order(emu_ctx *ctx, const emu_key_names *k);
/* Once every element is in: an attribute named twice. */
bool emu_key_names_check_unique(emu_ctx *ctx, const emu_key_names *k);
/* "a, b, c": the names in order, as AWS's messages list them. */
void emu_key_names_list(const emu_key_names *k, char *buf, size_t size);
/* Builds the store's schema; types[i] is the defined type of names[i]. */
void emu_key_schema_build(store_key_schema *out, const emu_key_names *k, const store_type *types);

#endif
