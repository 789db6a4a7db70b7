/* emulator/ops/ops.h — one handler per DynamoDB operation, one file each
 * (emulator/ops/<operation>.c), its validation beside it. */
#ifndef EMU_OPS_H
#define EMU_OPS_H

#include "emulator/api.h"

bool emu_op_create_table(emu_ctx *ctx);
bool emu_op_describe_table(emu_ctx *ctx);
bool emu_op_list_tables(emu_ctx *ctx);
bool emu_op_delete_table(emu_ctx *ctx);
bool emu_op_put_item(emu_ctx *ctx);
bool emu_op_get_item(emu_ctx *ctx);
bool emu_op_delete_item(emu_ctx *ctx);
bool emu_op_batch_write_item(emu_ctx *ctx);
bool emu_op_batch_get_item(emu_ctx *ctx);
bool emu_op_query(emu_ctx *ctx);
bool emu_op_scan(emu_ctx *ctx);
bool emu_op_update_item(emu_ctx *ctx);
bool emu_op_update_table(emu_ctx *ctx);
bool emu_op_update_time_to_live(emu_ctx *ctx);
bool emu_op_describe_time_to_live(emu_ctx *ctx);
bool emu_op_tag_resource(emu_ctx *ctx);
bool emu_op_untag_resource(emu_ctx *ctx);
bool emu_op_list_tags_of_resource(emu_ctx *ctx);
bool emu_op_describe_limits(emu_ctx *ctx);
bool emu_op_describe_endpoints(emu_ctx *ctx);
bool emu_op_transact_write_items(emu_ctx *ctx);
bool emu_op_transact_get_items(emu_ctx *ctx);
/* PartiQL (emulator/ops/partiql.c compiles statements onto the operations above). */
bool emu_op_execute_statement(emu_ctx *ctx);
bool emu_op_batch_execute_statement(emu_ctx *ctx);
bool emu_op_execute_transaction(emu_ctx *ctx);

/* DynamoDB Streams (X-Amz-Target DynamoDBStreams_20120810.<Operation>). */
bool emu_op_list_streams(emu_ctx *ctx);
bool emu_op_describe_stream(emu_ctx *ctx);
bool emu_op_get_shard_iterator(emu_ctx *ctx);
bool emu_op_get_records(emu_ctx *ctx);

#endif
