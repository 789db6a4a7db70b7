/* emulator/shapes.c — the request shape of every operation, taken from
 * AWS's DynamoDB and DynamoDB Streams service models: member names, JSON
 * types and constraints. Members are listed in the order DynamoDB reports
 * their violations (recorded against AWS), members the recordings predate
 * after them in the model's order; enum sets are written as AWS lists them.
 * An operation's shape applies once it is in the operation table.
 * Kept sorted by operation name, for bsearch. */
#include "emulator/shape.h"

#define SHAPE(...) (&(const emu_shape){__VA_ARGS__})

static const emu_shape string_shape = {.type = EMU_SHAPE_STRING};
static const emu_shape boolean_shape = {.type = EMU_SHAPE_BOOLEAN};
static const emu_shape attribute_value_shape = {.type = EMU_SHAPE_ATTRIBUTE_VALUE};

static const emu_shape batch_execute_statement_input = {.type = EMU_SHAPE_STRUCTURE, .name = "BatchExecuteStatementInput", .members = (const emu_member[]){
    {"ReturnConsumedCapacity", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[INDEXES, TOTAL, NONE]")},
    {"Statements", SHAPE(.type = EMU_SHAPE_LIST, .not_null = true, .min_len = 1, .max_len = 25, .item = SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "BatchStatementRequest", .members = (const emu_member[]){
        {"ConsistentRead", &boolean_shape},
        {"Parameters", SHAPE(.type = EMU_SHAPE_LIST, .min_len = 1, .item = &attribute_value_shape)},
        {"ReturnValuesOnConditionCheckFailure", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[ALL_OLD, NONE]")},
        {"Statement", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .min_len = 1, .max_len = 8192)},
        {0}}))},
    {0}}};

static const emu_shape batch_get_item_input = {.type = EMU_SHAPE_STRUCTURE, .name = "BatchGetItemInput", .members = (const emu_member[]){
    {"ReturnConsumedCapacity", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[INDEXES, TOTAL, NONE]")},
    {"RequestItems", SHAPE(.type = EMU_SHAPE_MAP, .name = "com.amazonaws.dynamodb.v20120810.KeysAndAttributes", .not_null = true, .min_len = 1, .max_len = 100, .keys = &(const emu_map_limits){.min_len = 3, .max_len = 255, .name_pattern = true}, .item = SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "KeysAndAttributes", .members = (const emu_member[]){
        {"Keys", SHAPE(.type = EMU_SHAPE_LIST, .not_null = true, .min_len = 1, .max_len = 100, .item = SHAPE(.type = EMU_SHAPE_MAP, .name = "com.amazonaws.dynamodb.v20120810.AttributeValue", .item = &attribute_value_shape))},
        {"AttributesToGet", SHAPE(.type = EMU_SHAPE_LIST, .min_len = 1, .item = &string_shape)},
        {"ConsistentRead", &boolean_shape},
        {"ProjectionExpression", &string_shape},
        {"ExpressionAttributeNames", SHAPE(.type = EMU_SHAPE_MAP, .name = "java.lang.String", .item = &string_shape)},
        {0}}))},
    {0}}};

static const emu_shape batch_write_item_input = {.type = EMU_SHAPE_STRUCTURE, .name = "BatchWriteItemInput", .members = (const emu_member[]){
    {"ReturnConsumedCapacity", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[INDEXES, TOTAL, NONE]")},
    {"ReturnItemCollectionMetrics", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[SIZE, NONE]")},
    {"RequestItems", SHAPE(.type = EMU_SHAPE_MAP, .name = "java.util.List<com.amazonaws.dynamodb.v20120810.WriteRequest>", .not_null = true, .min_len = 1, .max_len = 25, .keys = &(const emu_map_limits){.min_len = 3, .max_len = 255, .name_pattern = true}, .values = &(const emu_map_limits){.min_len = 1, .max_len = 25}, .item = SHAPE(.type = EMU_SHAPE_LIST, .item = SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "WriteRequest", .members = (const emu_member[]){
        {"DeleteRequest", SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "DeleteRequest", .members = (const emu_member[]){
            {"Key", SHAPE(.type = EMU_SHAPE_MAP, .name = "com.amazonaws.dynamodb.v20120810.AttributeValue", .not_null = true, .item = &attribute_value_shape)},
            {0}})},
        {"PutRequest", SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "PutRequest", .members = (const emu_member[]){
            {"Item", SHAPE(.type = EMU_SHAPE_MAP, .name = "com.amazonaws.dynamodb.v20120810.AttributeValue", .not_null = true, .item = &attribute_value_shape)},
            {0}})},
        {0}})))},
    {0}}};

static const emu_shape create_table_input = {.type = EMU_SHAPE_STRUCTURE, .name = "CreateTableInput", .members = (const emu_member[]){
    {"AttributeDefinitions", SHAPE(.type = EMU_SHAPE_LIST, .not_null = true, .item = SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "AttributeDefinition", .members = (const emu_member[]){
        {"AttributeName", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .min_len = 1, .max_len = 255)},
        {"AttributeType", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .enum_set = "[B, N, S]")},
        {0}}))},
    {"TableName", SHAPE(.type = EMU_SHAPE_STRING, .table_name_first = true, .name_pattern = true, .min_len = 3, .max_len = 255)},
    {"BillingMode", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[PROVISIONED, PAY_PER_REQUEST]")},
    {"ProvisionedThroughput", SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "ProvisionedThroughput", .members = (const emu_member[]){
        {"WriteCapacityUnits", SHAPE(.type = EMU_SHAPE_LONG, .not_null = true, .has_min = true, .min = 1)},
        {"ReadCapacityUnits", SHAPE(.type = EMU_SHAPE_LONG, .not_null = true, .has_min = true, .min = 1)},
        {0}})},
    {"KeySchema", SHAPE(.type = EMU_SHAPE_LIST, .not_null = true, .min_len = 1, .max_len = 2, .item = SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "KeySchemaElement", .members = (const emu_member[]){
        {"AttributeName", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .min_len = 1, .max_len = 255)},
        {"KeyType", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .enum_set = "[HASH, RANGE]")},
        {0}}))},
    {"LocalSecondaryIndexes", SHAPE(.type = EMU_SHAPE_LIST, .item = SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "LocalSecondaryIndex", .members = (const emu_member[]){
        {"IndexName", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .name_pattern = true, .min_len = 3, .max_len = 255)},
        {"KeySchema", SHAPE(.type = EMU_SHAPE_LIST, .not_null = true, .min_len = 1, .max_len = 2, .item = SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "KeySchemaElement", .members = (const emu_member[]){
            {"AttributeName", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .min_len = 1, .max_len = 255)},
            {"KeyType", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .enum_set = "[HASH, RANGE]")},
            {0}}))},
        {"Projection", SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "Projection", .not_null = true, .members = (const emu_member[]){
            {"ProjectionType", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[ALL, INCLUDE, KEYS_ONLY]")},
            {"NonKeyAttributes", SHAPE(.type = EMU_SHAPE_LIST, .min_len = 1, .max_len = 20, .item = &string_shape)},
            {0}})},
        {0}}))},
    {"GlobalSecondaryIndexes", SHAPE(.type = EMU_SHAPE_LIST, .item = SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "GlobalSecondaryIndex", .members = (const emu_member[]){
        {"IndexName", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .name_pattern = true, .min_len = 3, .max_len = 255)},
        {"KeySchema", SHAPE(.type = EMU_SHAPE_LIST, .not_null = true, .min_len = 1, .item = SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "KeySchemaElement", .members = (const emu_member[]){
            {"AttributeName", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .min_len = 1, .max_len = 255)},
            {"KeyType", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .enum_set = "[HASH, RANGE]")},
            {0}}))},
        {"Projection", SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "Projection", .not_null = true, .members = (const emu_member[]){
            {"ProjectionType", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[ALL, INCLUDE, KEYS_ONLY]")},
            {"NonKeyAttributes", SHAPE(.type = EMU_SHAPE_LIST, .min_len = 1, .max_len = 20, .item = &string_shape)},
            {0}})},
        {"ProvisionedThroughput", SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "ProvisionedThroughput", .members = (const emu_member[]){
            {"WriteCapacityUnits", SHAPE(.type = EMU_SHAPE_LONG, .not_null = true, .has_min = true, .min = 1)},
            {"ReadCapacityUnits", SHAPE(.type = EMU_SHAPE_LONG, .not_null = true, .has_min = true, .min = 1)},
            {0}})},
        {0}}))},
    {"SSESpecification", SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "SSESpecification", .members = (const emu_member[]){
        {"Enabled", &boolean_shape},
        {"KMSMasterKeyId", &string_shape},
        {"SSEType", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[AES256, KMS]")},
        {0}})},
    {"StreamSpecification", SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "StreamSpecification", .members = (const emu_member[]){
        {"StreamEnabled", SHAPE(.type = EMU_SHAPE_BOOLEAN, .not_null = true)},
        {"StreamViewType", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY]")},
        {0}})},
    {"TableClass", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[STANDARD, STANDARD_INFREQUENT_ACCESS]")},
    {"Tags", SHAPE(.type = EMU_SHAPE_LIST, .item = SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "Tag", .members = (const emu_member[]){
        {"Key", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .min_len = 1, .max_len = 128)},
        {"Value", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .max_len = 256)},
        {0}}))},
    {0}}};

static const emu_shape delete_item_input = {.type = EMU_SHAPE_STRUCTURE, .name = "DeleteItemInput", .members = (const emu_member[]){
    {"ReturnConsumedCapacity", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[INDEXES, TOTAL, NONE]")},
    {"TableName", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .name_pattern = true, .min_len = 3, .max_len = 255)},
    {"ReturnValues", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]")},
    {"ReturnItemCollectionMetrics", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[SIZE, NONE]")},
    {"Key", SHAPE(.type = EMU_SHAPE_MAP, .name = "com.amazonaws.dynamodb.v20120810.AttributeValue", .not_null = true, .item = &attribute_value_shape)},
    {"ConditionalOperator", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[OR, AND]")},
    {"Expected", SHAPE(.type = EMU_SHAPE_MAP, .name = "com.amazonaws.dynamodb.v20120810.ExpectedAttributeValue", .item = SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "ExpectedAttributeValue", .members = (const emu_member[]){
        {"AttributeValueList", SHAPE(.type = EMU_SHAPE_LIST, .item = &attribute_value_shape)},
        {"ComparisonOperator", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]")},
        {"Exists", &boolean_shape},
        {"Value", &attribute_value_shape},
        {0}}))},
    {"ConditionExpression", &string_shape},
    {"ExpressionAttributeValues", SHAPE(.type = EMU_SHAPE_MAP, .name = "com.amazonaws.dynamodb.v20120810.AttributeValue", .item = &attribute_value_shape)},
    {"ExpressionAttributeNames", SHAPE(.type = EMU_SHAPE_MAP, .name = "java.lang.String", .item = &string_shape)},
    {0}}};

static const emu_shape delete_table_input = {.type = EMU_SHAPE_STRUCTURE, .name = "DeleteTableInput", .members = (const emu_member[]){
    {"TableName", SHAPE(.type = EMU_SHAPE_STRING, .table_name_first = true, .name_pattern = true, .min_len = 3, .max_len = 255)},
    {0}}};

static const emu_shape describe_endpoints_input = {.type = EMU_SHAPE_STRUCTURE, .name = "DescribeEndpointsRequest", .members = (const emu_member[]){{0}}};

static const emu_shape describe_limits_input = {.type = EMU_SHAPE_STRUCTURE, .name = "DescribeLimitsInput", .members = (const emu_member[]){{0}}};

static const emu_shape describe_stream_input = {.type = EMU_SHAPE_STRUCTURE, .name = "DescribeStreamInput", .members = (const emu_member[]){
    {"ExclusiveStartShardId", SHAPE(.type = EMU_SHAPE_STRING, .min_len = 28, .max_len = 65)},
    {"Limit", SHAPE(.type = EMU_SHAPE_INTEGER, .has_min = true, .min = 1)},
    {"StreamArn", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .min_len = 37, .max_len = 1024)},
    {0}}};

static const emu_shape describe_table_input = {.type = EMU_SHAPE_STRUCTURE, .name = "DescribeTableInput", .members = (const emu_member[]){
    {"TableName", SHAPE(.type = EMU_SHAPE_STRING, .table_name_first = true, .name_pattern = true, .min_len = 3, .max_len = 255)},
    {0}}};

static const emu_shape describe_time_to_live_input = {.type = EMU_SHAPE_STRUCTURE, .name = "DescribeTimeToLiveInput", .members = (const emu_member[]){
    {"TableName", SHAPE(.type = EMU_SHAPE_STRING, .table_name_first = true, .name_pattern = true, .min_len = 3, .max_len = 255)},
    {0}}};

static const emu_shape execute_statement_input = {.type = EMU_SHAPE_STRUCTURE, .name = "ExecuteStatementInput", .members = (const emu_member[]){
    {"ConsistentRead", &boolean_shape},
    {"Limit", SHAPE(.type = EMU_SHAPE_INTEGER, .has_min = true, .min = 1)},
    {"NextToken", SHAPE(.type = EMU_SHAPE_STRING, .min_len = 1, .max_len = 32768)},
    {"Parameters", SHAPE(.type = EMU_SHAPE_LIST, .min_len = 1, .item = &attribute_value_shape)},
    {"ReturnConsumedCapacity", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[INDEXES, TOTAL, NONE]")},
    {"ReturnValuesOnConditionCheckFailure", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[ALL_OLD, NONE]")},
    {"Statement", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .min_len = 1, .max_len = 8192)},
    {0}}};

static const emu_shape execute_transaction_input = {.type = EMU_SHAPE_STRUCTURE, .name = "ExecuteTransactionInput", .members = (const emu_member[]){
    {"ClientRequestToken", SHAPE(.type = EMU_SHAPE_STRING, .min_len = 1, .max_len = 36)},
    {"ReturnConsumedCapacity", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[INDEXES, TOTAL, NONE]")},
    {"TransactStatements", SHAPE(.type = EMU_SHAPE_LIST, .not_null = true, .min_len = 1, .max_len = 100, .item = SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "ParameterizedStatement", .members = (const emu_member[]){
        {"Parameters", SHAPE(.type = EMU_SHAPE_LIST, .min_len = 1, .item = &attribute_value_shape)},
        {"ReturnValuesOnConditionCheckFailure", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[ALL_OLD, NONE]")},
        {"Statement", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .min_len = 1, .max_len = 8192)},
        {0}}))},
    {0}}};

static const emu_shape get_item_input = {.type = EMU_SHAPE_STRUCTURE, .name = "GetItemInput", .members = (const emu_member[]){
    {"ReturnConsumedCapacity", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[INDEXES, TOTAL, NONE]")},
    {"AttributesToGet", SHAPE(.type = EMU_SHAPE_LIST, .min_len = 1, .item = &string_shape)},
    {"TableName", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .name_pattern = true, .min_len = 3, .max_len = 255)},
    {"Key", SHAPE(.type = EMU_SHAPE_MAP, .name = "com.amazonaws.dynamodb.v20120810.AttributeValue", .not_null = true, .item = &attribute_value_shape)},
    {"ConsistentRead", &boolean_shape},
    {"ProjectionExpression", &string_shape},
    {"ExpressionAttributeNames", SHAPE(.type = EMU_SHAPE_MAP, .name = "java.lang.String", .item = &string_shape)},
    {0}}};

static const emu_shape get_records_input = {.type = EMU_SHAPE_STRUCTURE, .name = "GetRecordsInput", .members = (const emu_member[]){
    {"Limit", SHAPE(.type = EMU_SHAPE_INTEGER, .has_min = true, .min = 1)},
    {"ShardIterator", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .min_len = 1, .max_len = 2048)},
    {0}}};

static const emu_shape get_shard_iterator_input = {.type = EMU_SHAPE_STRUCTURE, .name = "GetShardIteratorInput", .members = (const emu_member[]){
    {"SequenceNumber", SHAPE(.type = EMU_SHAPE_STRING, .min_len = 21, .max_len = 40)},
    {"ShardId", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .min_len = 28, .max_len = 65)},
    {"ShardIteratorType", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .enum_set = "[TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]")},
    {"StreamArn", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .min_len = 37, .max_len = 1024)},
    {0}}};

static const emu_shape list_streams_input = {.type = EMU_SHAPE_STRUCTURE, .name = "ListStreamsInput", .members = (const emu_member[]){
    {"ExclusiveStartStreamArn", SHAPE(.type = EMU_SHAPE_STRING, .min_len = 37, .max_len = 1024)},
    {"Limit", SHAPE(.type = EMU_SHAPE_INTEGER, .has_min = true, .min = 1)},
    {"TableName", SHAPE(.type = EMU_SHAPE_STRING, .name_pattern = true, .min_len = 3, .max_len = 255)},
    {0}}};

static const emu_shape list_tables_input = {.type = EMU_SHAPE_STRUCTURE, .name = "ListTablesInput", .members = (const emu_member[]){
    {"Limit", SHAPE(.type = EMU_SHAPE_INTEGER, .has_min = true, .min = 1, .has_max = true, .max = 100LL)},
    {"ExclusiveStartTableName", SHAPE(.type = EMU_SHAPE_STRING, .name_pattern = true, .min_len = 3, .max_len = 255)},
    {0}}};

static const emu_shape list_tags_of_resource_input = {.type = EMU_SHAPE_STRUCTURE, .name = "ListTagsOfResourceInput", .members = (const emu_member[]){
    {"ResourceArn", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .min_len = 1, .max_len = 1283)},
    {"NextToken", &string_shape},
    {0}}};

static const emu_shape put_item_input = {.type = EMU_SHAPE_STRUCTURE, .name = "PutItemInput", .members = (const emu_member[]){
    {"ReturnConsumedCapacity", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[INDEXES, TOTAL, NONE]")},
    {"TableName", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .name_pattern = true, .min_len = 3, .max_len = 255)},
    {"Item", SHAPE(.type = EMU_SHAPE_MAP, .name = "com.amazonaws.dynamodb.v20120810.AttributeValue", .not_null = true, .item = &attribute_value_shape)},
    {"ConditionalOperator", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[OR, AND]")},
    {"Expected", SHAPE(.type = EMU_SHAPE_MAP, .name = "com.amazonaws.dynamodb.v20120810.ExpectedAttributeValue", .item = SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "ExpectedAttributeValue", .members = (const emu_member[]){
        {"AttributeValueList", SHAPE(.type = EMU_SHAPE_LIST, .item = &attribute_value_shape)},
        {"ComparisonOperator", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]")},
        {"Exists", &boolean_shape},
        {"Value", &attribute_value_shape},
        {0}}))},
    {"ReturnValues", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]")},
    {"ReturnItemCollectionMetrics", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[SIZE, NONE]")},
    {"ConditionExpression", &string_shape},
    {"ExpressionAttributeValues", SHAPE(.type = EMU_SHAPE_MAP, .name = "com.amazonaws.dynamodb.v20120810.AttributeValue", .item = &attribute_value_shape)},
    {"ExpressionAttributeNames", SHAPE(.type = EMU_SHAPE_MAP, .name = "java.lang.String", .item = &string_shape)},
    {0}}};

static const emu_shape query_input = {.type = EMU_SHAPE_STRUCTURE, .name = "QueryInput", .members = (const emu_member[]){
    {"Select", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]")},
    {"IndexName", SHAPE(.type = EMU_SHAPE_STRING, .name_pattern = true, .min_len = 3, .max_len = 255)},
    {"ReturnConsumedCapacity", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[INDEXES, TOTAL, NONE]")},
    {"QueryFilter", SHAPE(.type = EMU_SHAPE_MAP, .name = "com.amazonaws.dynamodb.v20120810.Condition", .item = SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "Condition", .members = (const emu_member[]){
        {"AttributeValueList", SHAPE(.type = EMU_SHAPE_LIST, .item = &attribute_value_shape)},
        {"ComparisonOperator", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .enum_set = "[IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]")},
        {0}}))},
    {"TableName", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .name_pattern = true, .min_len = 3, .max_len = 255)},
    {"ConditionalOperator", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[OR, AND]")},
    {"AttributesToGet", SHAPE(.type = EMU_SHAPE_LIST, .min_len = 1, .item = &string_shape)},
    {"Limit", SHAPE(.type = EMU_SHAPE_INTEGER, .has_min = true, .min = 1)},
    {"KeyConditions", SHAPE(.type = EMU_SHAPE_MAP, .name = "com.amazonaws.dynamodb.v20120810.Condition", .item = SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "Condition", .members = (const emu_member[]){
        {"ComparisonOperator", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .enum_set = "[IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]")},
        {"AttributeValueList", SHAPE(.type = EMU_SHAPE_LIST, .item = &attribute_value_shape)},
        {0}}))},
    {"ExclusiveStartKey", SHAPE(.type = EMU_SHAPE_MAP, .name = "com.amazonaws.dynamodb.v20120810.AttributeValue", .item = &attribute_value_shape)},
    {"ConsistentRead", &boolean_shape},
    {"ScanIndexForward", &boolean_shape},
    {"KeyConditionExpression", &string_shape},
    {"FilterExpression", &string_shape},
    {"ProjectionExpression", &string_shape},
    {"ExpressionAttributeValues", SHAPE(.type = EMU_SHAPE_MAP, .name = "com.amazonaws.dynamodb.v20120810.AttributeValue", .item = &attribute_value_shape)},
    {"ExpressionAttributeNames", SHAPE(.type = EMU_SHAPE_MAP, .name = "java.lang.String", .item = &string_shape)},
    {0}}};

static const emu_shape scan_input = {.type = EMU_SHAPE_STRUCTURE, .name = "ScanInput", .members = (const emu_member[]){
    {"Select", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]")},
    {"IndexName", SHAPE(.type = EMU_SHAPE_STRING, .name_pattern = true, .min_len = 3, .max_len = 255)},
    {"TotalSegments", SHAPE(.type = EMU_SHAPE_INTEGER, .has_min = true, .min = 1, .has_max = true, .max = 1000000LL)},
    {"ReturnConsumedCapacity", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[INDEXES, TOTAL, NONE]")},
    {"TableName", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .name_pattern = true, .min_len = 3, .max_len = 255)},
    {"ConditionalOperator", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[OR, AND]")},
    {"ScanFilter", SHAPE(.type = EMU_SHAPE_MAP, .name = "com.amazonaws.dynamodb.v20120810.Condition", .item = SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "Condition", .members = (const emu_member[]){
        {"AttributeValueList", SHAPE(.type = EMU_SHAPE_LIST, .item = &attribute_value_shape)},
        {"ComparisonOperator", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .enum_set = "[IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]")},
        {0}}))},
    {"Segment", SHAPE(.type = EMU_SHAPE_INTEGER, .has_min = true, .min = 0, .has_max = true, .max = 999999LL)},
    {"Limit", SHAPE(.type = EMU_SHAPE_INTEGER, .has_min = true, .min = 1)},
    {"AttributesToGet", SHAPE(.type = EMU_SHAPE_LIST, .min_len = 1, .item = &string_shape)},
    {"ExclusiveStartKey", SHAPE(.type = EMU_SHAPE_MAP, .name = "com.amazonaws.dynamodb.v20120810.AttributeValue", .item = &attribute_value_shape)},
    {"FilterExpression", &string_shape},
    {"ProjectionExpression", &string_shape},
    {"ExpressionAttributeValues", SHAPE(.type = EMU_SHAPE_MAP, .name = "com.amazonaws.dynamodb.v20120810.AttributeValue", .item = &attribute_value_shape)},
    {"ExpressionAttributeNames", SHAPE(.type = EMU_SHAPE_MAP, .name = "java.lang.String", .item = &string_shape)},
    {"ConsistentRead", &boolean_shape},
    {0}}};

static const emu_shape tag_resource_input = {.type = EMU_SHAPE_STRUCTURE, .name = "TagResourceInput", .members = (const emu_member[]){
    {"ResourceArn", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .min_len = 1, .max_len = 1283)},
    {"Tags", SHAPE(.type = EMU_SHAPE_LIST, .not_null = true, .item = SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "Tag", .members = (const emu_member[]){
        {"Key", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .min_len = 1, .max_len = 128)},
        {"Value", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .max_len = 256)},
        {0}}))},
    {0}}};

static const emu_shape transact_get_items_input = {.type = EMU_SHAPE_STRUCTURE, .name = "TransactGetItemsInput", .members = (const emu_member[]){
    {"ReturnConsumedCapacity", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[INDEXES, TOTAL, NONE]")},
    {"TransactItems", SHAPE(.type = EMU_SHAPE_LIST, .not_null = true, .min_len = 1, .max_len = 100, .item = SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "TransactGetItem", .members = (const emu_member[]){
        {"Get", SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "Get", .not_null = true, .members = (const emu_member[]){
            {"ExpressionAttributeNames", SHAPE(.type = EMU_SHAPE_MAP, .name = "java.lang.String", .item = SHAPE(.type = EMU_SHAPE_STRING, .max_len = 65535))},
            {"Key", SHAPE(.type = EMU_SHAPE_MAP, .name = "com.amazonaws.dynamodb.v20120810.AttributeValue", .not_null = true, .item = &attribute_value_shape)},
            {"ProjectionExpression", &string_shape},
            {"TableName", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .name_pattern = true, .min_len = 3, .max_len = 255)},
            {0}})},
        {0}}))},
    {0}}};

static const emu_shape transact_write_items_input = {.type = EMU_SHAPE_STRUCTURE, .name = "TransactWriteItemsInput", .members = (const emu_member[]){
    {"ClientRequestToken", SHAPE(.type = EMU_SHAPE_STRING, .min_len = 1, .max_len = 36)},
    {"ReturnConsumedCapacity", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[INDEXES, TOTAL, NONE]")},
    {"ReturnItemCollectionMetrics", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[SIZE, NONE]")},
    {"TransactItems", SHAPE(.type = EMU_SHAPE_LIST, .not_null = true, .min_len = 1, .max_len = 100, .item = SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "TransactWriteItem", .members = (const emu_member[]){
        {"ConditionCheck", SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "ConditionCheck", .members = (const emu_member[]){
            {"ConditionExpression", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true)},
            {"ExpressionAttributeNames", SHAPE(.type = EMU_SHAPE_MAP, .name = "java.lang.String", .item = SHAPE(.type = EMU_SHAPE_STRING, .max_len = 65535))},
            {"ExpressionAttributeValues", SHAPE(.type = EMU_SHAPE_MAP, .name = "com.amazonaws.dynamodb.v20120810.AttributeValue", .item = &attribute_value_shape)},
            {"Key", SHAPE(.type = EMU_SHAPE_MAP, .name = "com.amazonaws.dynamodb.v20120810.AttributeValue", .not_null = true, .item = &attribute_value_shape)},
            {"ReturnValuesOnConditionCheckFailure", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[ALL_OLD, NONE]")},
            {"TableName", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .name_pattern = true, .min_len = 3, .max_len = 255)},
            {0}})},
        {"Delete", SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "Delete", .members = (const emu_member[]){
            {"ConditionExpression", &string_shape},
            {"ExpressionAttributeNames", SHAPE(.type = EMU_SHAPE_MAP, .name = "java.lang.String", .item = SHAPE(.type = EMU_SHAPE_STRING, .max_len = 65535))},
            {"ExpressionAttributeValues", SHAPE(.type = EMU_SHAPE_MAP, .name = "com.amazonaws.dynamodb.v20120810.AttributeValue", .item = &attribute_value_shape)},
            {"Key", SHAPE(.type = EMU_SHAPE_MAP, .name = "com.amazonaws.dynamodb.v20120810.AttributeValue", .not_null = true, .item = &attribute_value_shape)},
            {"ReturnValuesOnConditionCheckFailure", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[ALL_OLD, NONE]")},
            {"TableName", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .name_pattern = true, .min_len = 3, .max_len = 255)},
            {0}})},
        {"Put", SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "Put", .members = (const emu_member[]){
            {"ConditionExpression", &string_shape},
            {"ExpressionAttributeNames", SHAPE(.type = EMU_SHAPE_MAP, .name = "java.lang.String", .item = SHAPE(.type = EMU_SHAPE_STRING, .max_len = 65535))},
            {"ExpressionAttributeValues", SHAPE(.type = EMU_SHAPE_MAP, .name = "com.amazonaws.dynamodb.v20120810.AttributeValue", .item = &attribute_value_shape)},
            {"Item", SHAPE(.type = EMU_SHAPE_MAP, .name = "com.amazonaws.dynamodb.v20120810.AttributeValue", .not_null = true, .item = &attribute_value_shape)},
            {"ReturnValuesOnConditionCheckFailure", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[ALL_OLD, NONE]")},
            {"TableName", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .name_pattern = true, .min_len = 3, .max_len = 255)},
            {0}})},
        {"Update", SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "Update", .members = (const emu_member[]){
            {"ConditionExpression", &string_shape},
            {"ExpressionAttributeNames", SHAPE(.type = EMU_SHAPE_MAP, .name = "java.lang.String", .item = SHAPE(.type = EMU_SHAPE_STRING, .max_len = 65535))},
            {"ExpressionAttributeValues", SHAPE(.type = EMU_SHAPE_MAP, .name = "com.amazonaws.dynamodb.v20120810.AttributeValue", .item = &attribute_value_shape)},
            {"Key", SHAPE(.type = EMU_SHAPE_MAP, .name = "com.amazonaws.dynamodb.v20120810.AttributeValue", .not_null = true, .item = &attribute_value_shape)},
            {"ReturnValuesOnConditionCheckFailure", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[ALL_OLD, NONE]")},
            {"TableName", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .name_pattern = true, .min_len = 3, .max_len = 255)},
            {"UpdateExpression", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true)},
            {0}})},
        {0}}))},
    {0}}};

static const emu_shape untag_resource_input = {.type = EMU_SHAPE_STRUCTURE, .name = "UntagResourceInput", .members = (const emu_member[]){
    {"ResourceArn", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .min_len = 1, .max_len = 1283)},
    {"TagKeys", SHAPE(.type = EMU_SHAPE_LIST, .not_null = true, .item = &string_shape)},
    {0}}};

static const emu_shape update_item_input = {.type = EMU_SHAPE_STRUCTURE, .name = "UpdateItemInput", .members = (const emu_member[]){
    {"ReturnConsumedCapacity", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[INDEXES, TOTAL, NONE]")},
    {"TableName", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .name_pattern = true, .min_len = 3, .max_len = 255)},
    {"ReturnItemCollectionMetrics", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[SIZE, NONE]")},
    {"ReturnValues", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]")},
    {"Key", SHAPE(.type = EMU_SHAPE_MAP, .name = "com.amazonaws.dynamodb.v20120810.AttributeValue", .not_null = true, .item = &attribute_value_shape)},
    {"ConditionalOperator", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[OR, AND]")},
    {"Expected", SHAPE(.type = EMU_SHAPE_MAP, .name = "com.amazonaws.dynamodb.v20120810.ExpectedAttributeValue", .item = SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "ExpectedAttributeValue", .members = (const emu_member[]){
        {"AttributeValueList", SHAPE(.type = EMU_SHAPE_LIST, .item = &attribute_value_shape)},
        {"ComparisonOperator", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]")},
        {"Exists", &boolean_shape},
        {"Value", &attribute_value_shape},
        {0}}))},
    {"AttributeUpdates", SHAPE(.type = EMU_SHAPE_MAP, .name = "com.amazonaws.dynamodb.v20120810.AttributeValueUpdate", .item = SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "AttributeValueUpdate", .members = (const emu_member[]){
        {"Action", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[ADD, PUT, DELETE]")},
        {"Value", &attribute_value_shape},
        {0}}))},
    {"ConditionExpression", &string_shape},
    {"UpdateExpression", &string_shape},
    {"ExpressionAttributeValues", SHAPE(.type = EMU_SHAPE_MAP, .name = "com.amazonaws.dynamodb.v20120810.AttributeValue", .item = &attribute_value_shape)},
    {"ExpressionAttributeNames", SHAPE(.type = EMU_SHAPE_MAP, .name = "java.lang.String", .item = &string_shape)},
    {0}}};

static const emu_shape update_table_input = {.type = EMU_SHAPE_STRUCTURE, .name = "UpdateTableInput", .members = (const emu_member[]){
    {"TableName", SHAPE(.type = EMU_SHAPE_STRING, .table_name_first = true, .name_pattern = true, .min_len = 3, .max_len = 255)},
    {"ProvisionedThroughput", SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "ProvisionedThroughput", .members = (const emu_member[]){
        {"WriteCapacityUnits", SHAPE(.type = EMU_SHAPE_LONG, .not_null = true, .has_min = true, .min = 1)},
        {"ReadCapacityUnits", SHAPE(.type = EMU_SHAPE_LONG, .not_null = true, .has_min = true, .min = 1)},
        {0}})},
    {"BillingMode", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[PROVISIONED, PAY_PER_REQUEST]")},
    {"GlobalSecondaryIndexUpdates", SHAPE(.type = EMU_SHAPE_LIST, .item = SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "GlobalSecondaryIndexUpdate", .members = (const emu_member[]){
        {"Update", SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "UpdateGlobalSecondaryIndexAction", .members = (const emu_member[]){
            {"IndexName", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .name_pattern = true, .min_len = 3, .max_len = 255)},
            {"ProvisionedThroughput", SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "ProvisionedThroughput", .not_null = true, .members = (const emu_member[]){
                {"WriteCapacityUnits", SHAPE(.type = EMU_SHAPE_LONG, .not_null = true, .has_min = true, .min = 1)},
                {"ReadCapacityUnits", SHAPE(.type = EMU_SHAPE_LONG, .not_null = true, .has_min = true, .min = 1)},
                {0}})},
            {0}})},
        {"Create", SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "CreateGlobalSecondaryIndexAction", .members = (const emu_member[]){
            {"Projection", SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "Projection", .not_null = true, .members = (const emu_member[]){
                {"ProjectionType", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[ALL, INCLUDE, KEYS_ONLY]")},
                {"NonKeyAttributes", SHAPE(.type = EMU_SHAPE_LIST, .min_len = 1, .max_len = 20, .item = &string_shape)},
                {0}})},
            {"IndexName", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .name_pattern = true, .min_len = 3, .max_len = 255)},
            {"ProvisionedThroughput", SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "ProvisionedThroughput", .members = (const emu_member[]){
                {"WriteCapacityUnits", SHAPE(.type = EMU_SHAPE_LONG, .not_null = true, .has_min = true, .min = 1)},
                {"ReadCapacityUnits", SHAPE(.type = EMU_SHAPE_LONG, .not_null = true, .has_min = true, .min = 1)},
                {0}})},
            {"KeySchema", SHAPE(.type = EMU_SHAPE_LIST, .not_null = true, .min_len = 1, .item = SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "KeySchemaElement", .members = (const emu_member[]){
                {"AttributeName", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .min_len = 1, .max_len = 255)},
                {"KeyType", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .enum_set = "[HASH, RANGE]")},
                {0}}))},
            {0}})},
        {"Delete", SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "DeleteGlobalSecondaryIndexAction", .members = (const emu_member[]){
            {"IndexName", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .name_pattern = true, .min_len = 3, .max_len = 255)},
            {0}})},
        {0}}))},
    {"AttributeDefinitions", SHAPE(.type = EMU_SHAPE_LIST, .item = SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "AttributeDefinition", .members = (const emu_member[]){
        {"AttributeName", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .min_len = 1, .max_len = 255)},
        {"AttributeType", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .enum_set = "[S, N, B]")},
        {0}}))},
    {"ReplicaUpdates", SHAPE(.type = EMU_SHAPE_LIST, .min_len = 1, .item = SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "ReplicationGroupUpdate", .members = (const emu_member[]){
        {"Create", SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "CreateReplicationGroupMemberAction", .members = (const emu_member[]){
            {"GlobalSecondaryIndexes", SHAPE(.type = EMU_SHAPE_LIST, .min_len = 1, .item = SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "ReplicaGlobalSecondaryIndex", .members = (const emu_member[]){
                {"IndexName", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .name_pattern = true, .min_len = 3, .max_len = 255)},
                {"ProvisionedThroughputOverride", SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "ProvisionedThroughputOverride", .members = (const emu_member[]){
                    {"ReadCapacityUnits", SHAPE(.type = EMU_SHAPE_LONG, .has_min = true, .min = 1)},
                    {0}})},
                {0}}))},
            {"KMSMasterKeyId", &string_shape},
            {"ProvisionedThroughputOverride", SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "ProvisionedThroughputOverride", .members = (const emu_member[]){
                {"ReadCapacityUnits", SHAPE(.type = EMU_SHAPE_LONG, .has_min = true, .min = 1)},
                {0}})},
            {"RegionName", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true)},
            {"TableClassOverride", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[STANDARD, STANDARD_INFREQUENT_ACCESS]")},
            {0}})},
        {"Delete", SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "DeleteReplicationGroupMemberAction", .members = (const emu_member[]){
            {"RegionName", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true)},
            {0}})},
        {"Update", SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "UpdateReplicationGroupMemberAction", .members = (const emu_member[]){
            {"GlobalSecondaryIndexes", SHAPE(.type = EMU_SHAPE_LIST, .min_len = 1, .item = SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "ReplicaGlobalSecondaryIndex", .members = (const emu_member[]){
                {"IndexName", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .name_pattern = true, .min_len = 3, .max_len = 255)},
                {"ProvisionedThroughputOverride", SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "ProvisionedThroughputOverride", .members = (const emu_member[]){
                    {"ReadCapacityUnits", SHAPE(.type = EMU_SHAPE_LONG, .has_min = true, .min = 1)},
                    {0}})},
                {0}}))},
            {"KMSMasterKeyId", &string_shape},
            {"ProvisionedThroughputOverride", SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "ProvisionedThroughputOverride", .members = (const emu_member[]){
                {"ReadCapacityUnits", SHAPE(.type = EMU_SHAPE_LONG, .has_min = true, .min = 1)},
                {0}})},
            {"RegionName", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true)},
            {"TableClassOverride", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[STANDARD, STANDARD_INFREQUENT_ACCESS]")},
            {0}})},
        {0}}))},
    {"SSESpecification", SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "SSESpecification", .members = (const emu_member[]){
        {"Enabled", &boolean_shape},
        {"KMSMasterKeyId", &string_shape},
        {"SSEType", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[AES256, KMS]")},
        {0}})},
    {"StreamSpecification", SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "StreamSpecification", .members = (const emu_member[]){
        {"StreamEnabled", SHAPE(.type = EMU_SHAPE_BOOLEAN, .not_null = true)},
        {"StreamViewType", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY]")},
        {0}})},
    {"TableClass", SHAPE(.type = EMU_SHAPE_STRING, .enum_set = "[STANDARD, STANDARD_INFREQUENT_ACCESS]")},
    {0}}};

/* As recorded against AWS: TableName checked on its own first, a missing
 * specification and an empty AttributeName refused by the operation. */
static const emu_shape update_time_to_live_input = {.type = EMU_SHAPE_STRUCTURE, .name = "UpdateTimeToLiveInput", .members = (const emu_member[]){
    {"TableName", SHAPE(.type = EMU_SHAPE_STRING, .table_name_first = true, .name_pattern = true, .min_len = 3, .max_len = 255)},
    {"TimeToLiveSpecification", SHAPE(.type = EMU_SHAPE_STRUCTURE, .name = "TimeToLiveSpecification", .members = (const emu_member[]){
        {"AttributeName", SHAPE(.type = EMU_SHAPE_STRING, .not_null = true, .max_len = 255)},
        {"Enabled", SHAPE(.type = EMU_SHAPE_BOOLEAN, .not_null = true)},
        {0}})},
    {0}}};

const emu_operation_shape emu_operation_shapes[] = {
    {"BatchExecuteStatement", &batch_execute_statement_input},
    {"BatchGetItem", &batch_get_item_input},
    {"BatchWriteItem", &batch_write_item_input},
    {"CreateTable", &create_table_input},
    {"DeleteItem", &delete_item_input},
    {"DeleteTable", &delete_table_input},
    {"DescribeEndpoints", &describe_endpoints_input},
    {"DescribeLimits", &describe_limits_input},
    {"DescribeStream", &describe_stream_input},
    {"DescribeTable", &describe_table_input},
    {"DescribeTimeToLive", &describe_time_to_live_input},
    {"ExecuteStatement", &execute_statement_input},
    {"ExecuteTransaction", &execute_transaction_input},
    {"GetItem", &get_item_input},
    {"GetRecords", &get_records_input},
    {"GetShardIterator", &get_shard_iterator_input},
    {"ListStreams", &list_streams_input},
    {"ListTables", &list_tables_input},
    {"ListTagsOfResource", &list_tags_of_resource_input},
    {"PutItem", &put_item_input},
    {"Query", &query_input},
    {"Scan", &scan_input},
    {"TagResource", &tag_resource_input},
    {"TransactGetItems", &transact_get_items_input},
    {"TransactWriteItems", &transact_write_items_input},
    {"UntagResource", &untag_resource_input},
    {"UpdateItem", &update_item_input},
    {"UpdateTable", &update_table_input},
    {"UpdateTimeToLive", &update_time_to_live_input},
    {0},
};
