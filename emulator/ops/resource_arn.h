/* emulator/ops/resource_arn.h — the table a ResourceArn names, for the tag
 * operations (TagResource, UntagResource, ListTagsOfResource). */
#ifndef EMU_RESOURCE_ARN_H
#define EMU_RESOURCE_ARN_H

#include "emulator/ops/common.h"

#define EMU_MAX_ARN_LEN 1283

/* Reads ResourceArn. v collects its constraint violations; *arn is NULL when absent. */
bool emu_read_resource_arn(emu_ctx *ctx, emu_violations *v, const char **arn);
/* The table the ARN names: a malformed ARN (or an index's) is a
 * ValidationException, a missing table ResourceNotFoundException with
 * not_found as its message ("%s" is the ARN). */
store_table *emu_table_by_arn(emu_ctx *ctx, const char *arn, const char *not_found);

#endif
