/* emulator/database.c — one isolated database: loading fixtures into it, its
 * seed state, reset, named snapshots, its clock. A saved state shares every
 * item with the live tables (store_table_clone), so saving and restoring
 * copy table metadata and pointers, never items. */
#include "emulator/database.h"

#include <stdlib.h>
#include <string.h>
#include "store/hash.h"

/* A saved state: the tables (clones, in a store_db used as a container, its
 * clock the saved clock setting) and the association declarations. */
struct emu_state {
    store_db *tables;
    assoc_registry *assoc;
};

struct emu_snapshot {
    char *name;
    emu_state *state;
    UT_hash_handle hh;
};

/* ---------------------------------------------------------------- saved states */


static void state_free(emu_state *s)
{
    if (!s) return;
    store_db_free(s->tables);
    assoc_registry_free(s->assoc);
    free(s);
}

static emu_state *state_capture(const store_db *db, const assoc_registry *assoc)
{
    emu_state *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->tables = store_db_new();
    s->assoc = assoc_registry_clone(assoc);
    if (!s->tables || !s->assoc || !store_db_clone_tables(s->tables, db)) {
        state_free(s);
        return NULL;
    }
    s->tables->clock = db->clock;
    return s;
}

/* TransactWriteItems' ClientRequestTokens belong to writes the saved state
 * never saw: a token replayed after a reset or restore must run again. Back
 * to how store_db_new leaves them. */
static void forget_transaction_tokens(store_db *db)
{
    if (db->tx_tokens_free) db->tx_tokens_free(db->tx_tokens);
    db->tx_tokens = NULL;
    db->tx_tokens_free = NULL;
}

/* Replaces db's tables, clock and *assoc by copies of s. Everything is
 * copied before anything is replaced, so out of memory changes nothing. */
static bool state_apply(const emu_state *s, store_db *db, assoc_registry **assoc)
{
    store_db *fresh = store_db_new();
    assoc_registry *declarations = assoc_registry_clone(s->assoc);
    if (!fresh || !declarations || !store_db_clone_tables(fresh, s->tables)) {
        store_db_free(fresh);
        assoc_registry_free(declarations);
        return false;
    }
    store_db_swap_contents(db, fresh);
    db->clock = s->tables->clock;
    forget_transaction_tokens(db);
    assoc_registry_free(*assoc);
    *assoc = declarations;
    store_db_free(fresh);   /* the replaced tables: frees only what no saved state shares */
    return true;
}

/* ---------------------------------------------------------------- databases */

emu_database *emu_database_new(void)
{
    emu_database *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->db = store_db_new();
    d->assoc = assoc_registry_new();
    d->seed = d->db && d->assoc ? state_capture(d->db, d->assoc) : NULL;
    if (!d->seed) {
        emu_database_free(d);
        return NULL;
    }
    return d;
}

/* tmpl's seed is read without its lock: a seed never changes once marked. */
emu_database *emu_database_new_from_seed(const emu_database *tmpl)
{
    emu_database *d = emu_database_new();
    if (!d) return NULL;
    emu_state *seed = state_capture(tmpl->seed->tables, tmpl->seed->assoc);
    if (!seed || !state_apply(seed, d->db, &d->assoc)) {
        state_free(seed);
        emu_database_free(d);
        return NULL;
    }
    state_free(d->seed);
    d->seed = seed;
    return d;
}

void emu_database_free(emu_database *d)
{
    if (!d) return;
    emu_snapshot *s, *tmp;
    HASH_ITER(hh, d->snapshots, s, tmp) {
        HASH_DEL(d->snapshots, s);
        free(s->name);
        state_free(s->state);
        free(s);
    }
    state_free(d->seed);
    assoc_registry_free(d->assoc);
    store_db_free(d->db);
    free(d);
}

/* ---------------------------------------------------------------- fixtures */

bool emu_database_load_paths(emu_database *d, const char *const *paths, size_t n, fixture_progress_fn progress,
                             void *progress_ctx, store_error *err)
{
    store_db_write_lock(d->db);
    fixture_loader *l = fixture_loader_new(d->db, d->assoc);
    bool ok = l != NULL || store_fail(err, STORE_ERR_INTERNAL, "out of memory");
    if (l) fixture_loader_progress(l, progress, progress_ctx);
    for (size_t i = 0; ok && i < n; i++) ok = fixture_load_path(l, paths[i], err);
    if (ok) fixture_loader_commit(l, d->db, &d->assoc);
    else fixture_loader_free(l);
    store_db_unlock(d->db);
    return ok;
}

bool emu_database_load_text(emu_database *d, const char *name, const char *text, size_t len, store_error *err)
{
    store_db_write_lock(d->db);
    fixture_loader *l = fixture_loader_new(d->db, d->assoc);
    bool ok = l ? fixture_load_text(l, name, text, len, err) : store_fail(err, STORE_ERR_INTERNAL, "out of memory");
    if (ok) fixture_loader_commit(l, d->db, &d->assoc);
    else fixture_loader_free(l);
    store_db_unlock(d->db);
    return ok;
}

bool emu_database_mark_seed(emu_database *d)
{
    store_db_write_lock(d->db);
    /* The seed's streams exist but are empty: loading the fixtures wrote no changes anyone saw. */
    store_streams_forget_records(d->db->streams);
    emu_state *seed = state_capture(d->db, d->assoc);
    if (seed) {
        state_free(d->seed);
        d->seed = seed;
    }
    store_db_unlock(d->db);
    return seed != NULL;
}

char *emu_database_dump(emu_database *d, size_t *len)
{
    store_db_read_lock(d->db);
    char *text = fixture_dump(d->db, d->assoc, len);
    store_db_unlock(d->db);
    return text;
}

emu_counts emu_database_counts(emu_database *d)
{
    emu_counts c = {0, 0};
    store_db_read_lock(d->db);
    for (const store_table *t = d->db->tables; t; t = t->hh.next) {
        c.tables++;
        c.items += t->items.count;
    }
    store_db_unlock(d->db);
    return c;
}

/* ---------------------------------------------------------------- reset and snapshots */

bool emu_database_reset(emu_database *d, store_error *err)
{
    store_db_write_lock(d->db);
    bool ok = state_apply(d->seed, d->db, &d->assoc);
    store_db_unlock(d->db);
    return ok || store_fail(err, STORE_ERR_INTERNAL, "out of memory");
}

static bool check_snapshot_name(const char *name, store_error *err)
{
    size_t n = strlen(name);
    if (n == 0 || n > EMU_SNAPSHOT_NAME_MAX || strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                          "0123456789_-.") != n)
        return store_fail(err, STORE_ERR_VALIDATION,
                          "Invalid snapshot name '%.300s': use 1 to %d letters, digits, '_', '-' or '.'", name,
                          EMU_SNAPSHOT_NAME_MAX);
    return true;
}

/* Saves under name, replacing a snapshot of that name. Caller holds the write lock. */
static bool save_snapshot(emu_database *d, const char *name)
{
    emu_state *state = state_capture(d->db, d->assoc);
    if (!state) return false;
    emu_snapshot *s;
    HASH_FIND_STR(d->snapshots, name, s);
    if (s) {
        state_free(s->state);
        s->state = state;
        return true;
    }
    s = calloc(1, sizeof *s);
    if (!s || !(s->name = strdup(name))) {
        free(s);
        state_free(state);
        return false;
    }
    s->state = state;
    HASH_ADD_KEYPTR(hh, d->snapshots, s->name, strlen(s->name), s);
    if (STORE_HASH_ADDED(s)) return true;
    free(s->name);
    state_free(state);
    free(s);
    return false;
}

bool emu_database_snapshot(emu_database *d, const char *name, store_error *err)
{
    if (!check_snapshot_name(name, err)) return false;
    store_db_write_lock(d->db);
    bool ok = save_snapshot(d, name);
    store_db_unlock(d->db);
    return ok || store_fail(err, STORE_ERR_INTERNAL, "out of memory");
}

bool emu_database_restore(emu_database *d, const char *name, store_error *err)
{
    if (!check_snapshot_name(name, err)) return false;
    store_db_write_lock(d->db);
    emu_snapshot *s;
    HASH_FIND_STR(d->snapshots, name, s);
    bool ok = s && state_apply(s->state, d->db, &d->assoc);
    store_db_unlock(d->db);
    if (!s) return store_fail(err, STORE_ERR_NOT_FOUND, "No snapshot named %s", name);
    return ok || store_fail(err, STORE_ERR_INTERNAL, "out of memory");
}

/* ---------------------------------------------------------------- the clock
 * A moved clock deletes what it expired at once (store/ttl.h), under the lock. */

int64_t emu_database_now_ms(emu_database *d)
{
    store_db_read_lock(d->db);
    int64_t now = store_db_now_ms(d->db);
    store_db_unlock(d->db);
    return now;
}

void emu_database_set_clock(emu_database *d, int64_t epoch_ms)
{
    store_db_write_lock(d->db);
    d->db->clock = (store_clock){.fixed = true, .fixed_ms = epoch_ms};
    store_db_expire(d->db);
    store_db_unlock(d->db);
}

/* A fixed clock moves; a real one keeps running, ahead (or behind) by ms
 * more. Refused (false) when the clock would leave years 1970 to 9999. */
bool emu_database_advance_clock(emu_database *d, int64_t ms)
{
    store_db_write_lock(d->db);
    int64_t now = store_db_now_ms(d->db);
    bool ok = ms <= EMU_CLOCK_MAX_MS - now && ms >= -now;
    if (ok && d->db->clock.fixed) d->db->clock.fixed_ms += ms;
    else if (ok) d->db->clock.offset_ms += ms;
    if (ok) store_db_expire(d->db);
    store_db_unlock(d->db);
    return ok;
}

void emu_database_real_clock(emu_database *d)
{
    store_db_write_lock(d->db);
    d->db->clock = (store_clock){.fixed = false};
    store_db_expire(d->db);
    store_db_unlock(d->db);
}
