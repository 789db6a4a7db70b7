/* emulator/dynemu.c — the public umbrella API (dynemu.h) for linked tests:
 * a handle is one emu_database, so linked tests get the same fixtures,
 * reset, snapshots and clock as the server's control API. */
#include "dynemu.h"
#include "emulator/api.h"
#include "emulator/control.h"
#include "emulator/database.h"
#include "emulator/request_arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct dynemu_db {
    emu_database *d;
};

void dynemu_parse_in_place(void) { emu_request_arena_install(); }

dynemu_db *dynemu_open(void)
{
    dynemu_db *db = calloc(1, sizeof *db);
    if (db && !(db->d = emu_database_new())) { free(db); db = NULL; }
    return db;
}

void dynemu_close(dynemu_db *db)
{
    if (!db) return;
    emu_database_free(db->d);
    free(db);
}

int dynemu_call(dynemu_db *db, const char *operation, const char *request, size_t request_len,
                char **response, size_t *response_len)
{
    return emu_call(db->d->db, operation, request, request_len, response, response_len);
}

void dynemu_free(void *p) { free(p); }

struct store_db *dynemu_store(dynemu_db *db) { return db->d->db; }

static void set_error(char **error, const store_error *err)
{
    if (error) *error = strdup(err->message);
}

dynemu_db *dynemu_open_fixtures(const char *const *paths, size_t n_paths, char **error)
{
    if (error) *error = NULL;
    dynemu_db *db = dynemu_open();
    store_error err = {0};
    if (!db) store_fail(&err, STORE_ERR_INTERNAL, "out of memory");
    else if (!emu_database_load_paths(db->d, paths, n_paths, NULL, NULL, &err) || !emu_database_mark_seed(db->d))
        store_fail(&err, STORE_ERR_INTERNAL, "out of memory");
    if (err.status == STORE_OK) return db;
    set_error(error, &err);
    dynemu_close(db);
    return NULL;
}

int dynemu_load(dynemu_db *db, const char *fixture, size_t len, char **error)
{
    store_error err = {0};
    if (error) *error = NULL;
    if (emu_database_load_text(db->d, "fixture", fixture, len, &err)) return 0;
    set_error(error, &err);
    return -1;
}

char *dynemu_dump(dynemu_db *db, size_t *len) { return emu_database_dump(db->d, len); }

int dynemu_reset(dynemu_db *db)
{
    store_error err = {0};
    return emu_database_reset(db->d, &err) ? 0 : -1;
}

int dynemu_snapshot(dynemu_db *db, const char *name)
{
    store_error err = {0};
    return emu_database_snapshot(db->d, name, &err) ? 0 : -1;
}

int dynemu_restore(dynemu_db *db, const char *name)
{
    store_error err = {0};
    return emu_database_restore(db->d, name, &err) ? 0 : -1;
}

int64_t dynemu_clock_now(dynemu_db *db) { return emu_database_now_ms(db->d); }
void dynemu_clock_set(dynemu_db *db, int64_t epoch_ms) { emu_database_set_clock(db->d, epoch_ms); }
int dynemu_clock_advance(dynemu_db *db, int64_t ms) { return emu_database_advance_clock(db->d, ms) ? 0 : -1; }
void dynemu_clock_real(dynemu_db *db) { emu_database_real_clock(db->d); }

int dynemu_control(dynemu_db *db, const char *method, const char *path, const char *body, size_t body_len,
                   char **response, size_t *response_len)
{
    return emu_control(db->d, method, path, body ? body : "", body_len, response, response_len);
}

int dynemu_stream_records(dynemu_db *db, const char *table, const char *since_sequence, char **response,
                          size_t *response_len)
{
    char path[EMU_CONTROL_PATH_MAX];
    int n = snprintf(path, sizeof path, EMU_CONTROL_PREFIX "streams/%s/records%s%s", table,
                     since_sequence ? "?since=" : "", since_sequence ? since_sequence : "");
    if (n < 0 || (size_t)n >= sizeof path) {
        *response = emu_error_body(STORE_ERR_VALIDATION, "table name too long", NULL, response_len);
        return 400;
    }
    return emu_control(db->d, "GET", path, "", 0, response, response_len);
}
