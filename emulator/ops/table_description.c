/* emulator/ops/table_description.c — rendering a table's metadata as DynamoDB does. */
#include "emulator/ops/table_description.h"

#include "emulator/ops/streams.h"
#include "store/codec.h"

#include <stdio.h>

void emu_table_arn(const char *name, char *buf, size_t size)
{
    snprintf(buf, size, "arn:aws:dynamodb:%s:%s:table/%s", EMU_REGION, EMU_ACCOUNT_ID, name);
}

static cJSON *throughput(const store_table *t, int64_t read, int64_t write)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddNumberToObject(p, "NumberOfDecreasesToday", 0);
    cJSON_AddNumberToObject(p, "ReadCapacityUnits", t->pay_per_request ? 0 : (double)read);
    cJSON_AddNumberToObject(p, "WriteCapacityUnits", t->pay_per_request ? 0 : (double)write);
    return p;
}

static cJSON *projection(const store_index *x)
{
    static const char *const names[] = {"ALL", "KEYS_ONLY", "INCLUDE"};
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "ProjectionType", names[x->projection]);
    if (x->n_non_key) {
        cJSON *attrs = cJSON_AddArrayToObject(p, "NonKeyAttributes");
        for (size_t i = 0; i < x->n_non_key; i++)
            cJSON_AddItemToArray(attrs, cJSON_CreateString(store_bytes(x->non_key[i])));
    }
    return p;
}

static cJSON *index_description(const store_table *t, const store_index *x, const char *table_arn)
{
    cJSON *d = cJSON_CreateObject();
    char arn[600];
    snprintf(arn, sizeof arn, "%s/index/%s", table_arn, x->name);
    cJSON_AddStringToObject(d, "IndexName", x->name);
    cJSON_AddItemToObject(d, "KeySchema", store_encode_key_schema(&x->key));
    cJSON_AddItemToObject(d, "Projection", projection(x));
    if (x->global) {
        cJSON_AddStringToObject(d, "IndexStatus", "ACTIVE");
        cJSON_AddItemToObject(d, "ProvisionedThroughput", throughput(t, x->read_capacity, x->write_capacity));
    }
    cJSON_AddNumberToObject(d, "IndexSizeBytes", (double)x->size_bytes);
    cJSON_AddNumberToObject(d, "ItemCount", (double)x->entries.count);
    cJSON_AddStringToObject(d, "IndexArn", arn);
    return d;
}

static void add_indexes(cJSON *d, const store_table *t, const char *arn)
{
    cJSON *gsis = NULL, *lsis = NULL;
    for (size_t i = 0; i < t->n_indexes; i++) {
        const store_index *x = &t->indexes[i];
        cJSON **list = x->global ? &gsis : &lsis;
        if (!*list) *list = cJSON_AddArrayToObject(d, x->global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes");
        cJSON_AddItemToArray(*list, index_description(t, x, arn));
    }
}

cJSON *emu_table_description(const store_table *t, const char *status)
{
    cJSON *d = cJSON_CreateObject();
    char arn[512];
    emu_table_arn(t->name, arn, sizeof arn);
    cJSON *defs = cJSON_AddArrayToObject(d, "AttributeDefinitions");
    for (size_t i = 0; i < t->n_attrs; i++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "AttributeName", store_bytes(t->attrs[i].name));
        cJSON_AddStringToObject(e, "AttributeType", store_type_name(t->attrs[i].type));
        cJSON_AddItemToArray(defs, e);
    }
    cJSON_AddStringToObject(d, "TableName", t->name);
    cJSON_AddItemToObject(d, "KeySchema", store_encode_key_schema(&t->key));
    cJSON_AddStringToObject(d, "TableStatus", status);
    cJSON_AddNumberToObject(d, "CreationDateTime", (double)t->created_ms / 1000.0);
    cJSON_AddItemToObject(d, "ProvisionedThroughput", throughput(t, t->read_capacity, t->write_capacity));
    cJSON_AddNumberToObject(d, "TableSizeBytes", (double)t->items.bytes);
    cJSON_AddNumberToObject(d, "ItemCount", (double)t->items.count);
    cJSON_AddStringToObject(d, "TableArn", arn);
    /* A stable id derived from the name and creation time, so answers are deterministic. */
    unsigned h = 2166136261u;
    for (const char *p = t->name; *p; p++) h = (h ^ (unsigned char)*p) * 16777619u;
    char id[40];
    snprintf(id, sizeof id, "%08x-%04x-4%03x-8%03x-%012llx", h, (unsigned)(t->created_ms & 0xffff),
             (unsigned)((h >> 8) & 0xfff), (unsigned)((h >> 20) & 0xfff), (unsigned long long)t->created_ms);
    cJSON_AddStringToObject(d, "TableId", id);
    cJSON *billing = cJSON_AddObjectToObject(d, "BillingModeSummary");
    cJSON_AddStringToObject(billing, "BillingMode", t->pay_per_request ? "PAY_PER_REQUEST" : "PROVISIONED");
    if (t->pay_per_request)
        cJSON_AddNumberToObject(billing, "LastUpdateToPayPerRequestDateTime", (double)t->created_ms / 1000.0);
    add_indexes(d, t, arn);
    emu_describe_table_stream(d, t);
    cJSON_AddBoolToObject(d, "DeletionProtectionEnabled", false);
    return d;
}
