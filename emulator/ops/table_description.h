/* emulator/ops/table_description.h — a TableDescription as DynamoDB renders it
 * (CreateTable, DescribeTable, DeleteTable, UpdateTable answer with it). */
#ifndef EMU_TABLE_DESCRIPTION_H
#define EMU_TABLE_DESCRIPTION_H

#include <cjson/cJSON.h>

#include "store/table.h"

#define EMU_ACCOUNT_ID "000000000000"
#define EMU_REGION     "us-east-1"

/* A TableDescription, whole; NULL when out of memory. */
cJSON *emu_table_description(const store_table *t, const char *status);
/* "arn:aws:dynamodb:<region>:<account>:table/<name>" into buf. */
void emu_table_arn(const char *name, char *buf, size_t size);

#endif
