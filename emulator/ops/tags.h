/* emulator/ops/tags.h — table tags as TagResource and CreateTable take them
 * (rules and limits in tag_resource.c). */
#ifndef EMU_TAGS_H
#define EMU_TAGS_H

#include "emulator/ops/common.h"

/* The Tags list: members, lengths (reported with the violations already in v),
 * characters, reserved keys. */
bool emu_tags_validate(emu_ctx *ctx, emu_violations *v, const cJSON *tags);
/* Sets them on t (a key already there takes the new value), within the 50-tag limit. */
bool emu_tags_set(emu_ctx *ctx, store_table *t, const cJSON *tags);

#endif
