/* emulator/dynemu.c — the public umbrella API (dynemu.h) for linked tests. */
#include "dynemu.h"
#include "emulator/api.h"

#include <stdlib.h>

struct dynemu_db {
    store_db *store;
};

dynemu_db *dynemu_open(void)
{
    dynemu_db *db = calloc(1, sizeof *db);
    if (db && !(db->store = store_db_new())) { free(db); db = NULL; }
    return db;
}

void dynemu_close(dynemu_db *db)
{
    if (!db) return;
    store_db_free(db->store);
    free(db);
}

int dynemu_call(dynemu_db *db, const char *operation, const char *request, size_t request_len,
                char **response, size_t *response_len)
{
    return emu_call(db->store, operation, request, request_len, response, response_len);
}

void dynemu_free(void *p) { free(p); }

struct store_db *dynemu_store(dynemu_db *db) { return db->store; }
