/* emulator/ops/table_description.c — rendering a table's metadata as DynamoDB does. */
#include "emulator/ops/table_description.h"

#include "emulator/ops/streams.h"
#include "store/codec.h"

#include <stdio.h>

void emu_table_arn(const char *name, char *buf, size_t size)
{
    snprintf(buf, size, "arn:aws:dynamodb:%s:%s:table/%s", EMU_REGION, EMU_ACCOUNT_ID, name);
}

/* Each builder answers its object whole, or NULL when out of memory: an
 * answer never leaves a member out. */

static cJSON *throughput(const store_table *t, int64_t read, int64_t write)
{
    cJSON *p = cJSON_CreateObject();
    if (p && cJSON_AddNumberToObject(p, "NumberOfDecreasesToday", 0) &&
        cJSON_AddNumberToObject(p, "ReadCapacityUnits", t->pay_per_request ? 0 : (double)read) &&
        cJSON_AddNumberToObject(p, "WriteCapacityUnits", t->pay_per_request ? 0 : (double)write))
        return p;
    cJSON_Delete(p);
    return NULL;
}

static cJSON *projection(const store_index *x)
{
    static const char *const names[] = {"ALL", "KEYS_ONLY", "INCLUDE"};
    cJSON *p = cJSON_CreateObject();
    bool ok = p && cJSON_AddStringToObject(p, "ProjectionType", names[x->projection]);
    cJSON *attrs = ok && x->n_non_key ? cJSON_AddArrayToObject(p, "NonKeyAttributes") : NULL;
    ok = ok && (!x->n_non_key || attrs);
    for (size_t i = 0; ok && i < x->n_non_key; i++)
        ok = store_json_add(attrs, NULL, cJSON_CreateString(store_bytes(x->non_key[i])));
    if (ok) return p;
    cJSON_Delete(p);
    return NULL;
}

static cJSON *index_description(const store_table *t, const store_index *x, const char *table_arn)
{
    cJSON *d = cJSON_CreateObject();
    char arn[600];
    snprintf(arn, sizeof arn, "%s/index/%s", table_arn, x->name);
    bool ok = d && cJSON_AddStringToObject(d, "IndexName", x->name) &&
              store_json_add(d, "KeySchema", store_encode_key_schema(&x->key)) &&
              store_json_add(d, "Projection", projection(x));
    if (ok && x->global)
        ok = cJSON_AddStringToObject(d, "IndexStatus", "ACTIVE") &&
             store_json_add(d, "ProvisionedThroughput", throughput(t, x->read_capacity, x->write_capacity));
    ok = ok && cJSON_AddNumberToObject(d, "IndexSizeBytes", (double)x->size_bytes) &&
         cJSON_AddNumberToObject(d, "ItemCount", (double)x->entries.count) && cJSON_AddStringToObject(d, "IndexArn", arn);
    if (ok) return d;
    cJSON_Delete(d);
    return NULL;
}

static bool add_indexes(cJSON *d, const store_table *t, const char *arn)
{
    cJSON *gsis = NULL, *lsis = NULL;
    for (size_t i = 0; i < t->n_indexes; i++) {
        const store_index *x = &t->indexes[i];
        cJSON **list = x->global ? &gsis : &lsis;
        if (!*list) *list = cJSON_AddArrayToObject(d, x->global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes");
        if (!*list || !store_json_add(*list, NULL, index_description(t, x, arn))) return false;
    }
    return true;
}

static cJSON *attribute_definitions(const store_table *t)
{
    cJSON *defs = cJSON_CreateArray();
    bool ok = defs != NULL;
    for (size_t i = 0; ok && i < t->n_attrs; i++) {
        cJSON *e = cJSON_CreateObject();
        ok = e && cJSON_AddStringToObject(e, "AttributeName", store_bytes(t->attrs[i].name)) &&
             cJSON_AddStringToObject(e, "AttributeType", store_type_name(t->attrs[i].type));
        if (!ok) cJSON_Delete(e);
        ok = ok && store_json_add(defs, NULL, e);
    }
    if (ok) return defs;
    cJSON_Delete(defs);
    return NULL;
}

/* A stable id derived from the name and creation time, so answers are deterministic. */
static void table_id(const store_table *t, char id[40])
{
    unsigned h = 2166136261u;
    for (const char *p = t->name; *p; p++) h = (h ^ (unsigned char)*p) * 16777619u;
    snprintf(id, 40, "%08x-%04x-4%03x-8%03x-%012llx", h, (unsigned)(t->created_ms & 0xffff),
             (unsigned)((h >> 8) & 0xfff), (unsigned)((h >> 20) & 0xfff), (unsigned long long)t->created_ms);
}

static cJSON *billing_summary(const store_table *t)
{
    cJSON *b = cJSON_CreateObject();
    bool ok = b && cJSON_AddStringToObject(b, "BillingMode", t->pay_per_request ? "PAY_PER_REQUEST" : "PROVISIONED");
    if (ok && t->pay_per_request)
        ok = cJSON_AddNumberToObject(b, "LastUpdateToPayPerRequestDateTime", (double)t->created_ms / 1000.0) != NULL;
    if (ok) return b;
    cJSON_Delete(b);
    return NULL;
}

cJSON *emu_table_description(const store_table *t, const char *status)
{
    cJSON *d = cJSON_CreateObject();
    char arn[512], id[40];
    emu_table_arn(t->name, arn, sizeof arn);
    table_id(t, id);
    bool ok = d && store_json_add(d, "AttributeDefinitions", attribute_definitions(t)) &&
              cJSON_AddStringToObject(d, "TableName", t->name) &&
              store_json_add(d, "KeySchema", store_encode_key_schema(&t->key)) &&
              cJSON_AddStringToObject(d, "TableStatus", status) &&
              cJSON_AddNumberToObject(d, "CreationDateTime", (double)t->created_ms / 1000.0) &&
              store_json_add(d, "ProvisionedThroughput", throughput(t, t->read_capacity, t->write_capacity)) &&
              cJSON_AddNumberToObject(d, "TableSizeBytes", (double)t->items.bytes) &&
              cJSON_AddNumberToObject(d, "ItemCount", (double)t->items.count) &&
              cJSON_AddStringToObject(d, "TableArn", arn) && cJSON_AddStringToObject(d, "TableId", id) &&
              store_json_add(d, "BillingModeSummary", billing_summary(t)) && add_indexes(d, t, arn) &&
              emu_describe_table_stream(d, t) && cJSON_AddBoolToObject(d, "DeletionProtectionEnabled", false);
    if (ok) return d;
    cJSON_Delete(d);
    return NULL;
}
