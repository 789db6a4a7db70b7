/* emulator/ops/legacy.h — the parameters older clients and ORMs still send
 * (Expected, AttributeUpdates, KeyConditions, QueryFilter, ScanFilter,
 * ConditionalOperator), rewritten as expressions over generated placeholders
 * and handed to the one expression evaluator. (AttributesToGet is read with
 * the projection in common.c.) */
#ifndef EMU_LEGACY_H
#define EMU_LEGACY_H

#include "emulator/ops/common.h"

/* Refuses a request that mixes legacy parameters with expressions, as AWS does. */
bool emu_legacy_check_mix(emu_ctx *ctx);
/* The same, of one part of a request (a table of a BatchGetItem). */
bool emu_legacy_check_mix_in(emu_ctx *ctx, const cJSON *obj);
bool emu_legacy_expected(emu_ctx *ctx, const cJSON *expected, store_condition **out);
/* QueryFilter / ScanFilter (with the request's ConditionalOperator). */
bool emu_legacy_filter(emu_ctx *ctx, const cJSON *filter, store_condition **out);
bool emu_legacy_key_conditions(emu_ctx *ctx, const cJSON *conditions, const store_key_schema *keys,
                               store_key_condition *out);
bool emu_legacy_attribute_updates(emu_ctx *ctx, const cJSON *updates, store_update **out);
/* Its actions and values alone, as AWS checks them before Expected. */
bool emu_legacy_check_attribute_updates(emu_ctx *ctx, const cJSON *updates);

#endif
