/* emulator/ops/delete_table.c — DeleteTable: gone at once, answered as
 * DELETING; its stream is disabled and stays readable for the retention
 * period, as on AWS. */
#include "emulator/ops/common.h"
#include "emulator/ops/ops.h"
#include "emulator/ops/streams.h"
#include "emulator/ops/table_description.h"

bool emu_op_delete_table(emu_ctx *ctx)
{
    const char *name;
    if (!emu_table_name(ctx, &name)) return false;
    store_table *t = store_db_table(ctx->db, name);
    if (!t) return store_fail(&ctx->err, STORE_ERR_NOT_FOUND, "Requested resource not found: Table: %s not found", name);
    /* Answered before the table goes: an answer that cannot be made keeps it. */
    if (!store_json_add(ctx->resp, "TableDescription", emu_table_description(t, "DELETING")) || !emu_answer_ready(ctx))
        return emu_oom(ctx);
    if (t->stream && t->stream->enabled) store_stream_disable(t->stream, store_db_now_ms(ctx->db));
    store_db_remove_table(ctx->db, t);
    store_table_free(t);
    return true;
}
