/* emulator/database.h — one isolated database as users see it: its tables
 * and items (a store_db), its association declarations, the state right
 * after start-up (the seed, for reset) and named snapshots.
 *
 * A saved state is a clone of every table — metadata plus one pointer to
 * the shared, immutable item tree — with a copy of the declarations and the
 * clock setting. Saving, resetting and restoring therefore cost O(tables),
 * not O(items).
 *
 * Every function here takes the database's lock itself: the write lock for
 * anything that changes the state, the read lock to read it. */
#ifndef EMU_DATABASE_H
#define EMU_DATABASE_H

#include <stddef.h>
#include <stdint.h>

#include "assoc/assoc.h"
#include "fixtures/fixtures.h"
#include "store/db.h"
#include "store/error.h"

/* Longest snapshot name; names use letters, digits, '_', '-' and '.'. */
#define EMU_SNAPSHOT_NAME_MAX 255

typedef struct emu_state emu_state;
typedef struct emu_snapshot emu_snapshot;

typedef struct emu_database {
    store_db *db;               /* the DynamoDB API and assoc calls work on this, under db->lock */
    assoc_registry *assoc;      /* replaced by loads, resets and restores: read it under db->lock */
    emu_state *seed;            /* the state reset returns to; never changes once marked */
    emu_snapshot *snapshots;    /* by name, under db->lock */
} emu_database;

typedef struct emu_counts {
    size_t tables, items;
} emu_counts;

/* An empty database whose seed is the empty state. */
emu_database *emu_database_new(void);
/* A new database in the seed state of tmpl (a namespace's first use). */
emu_database *emu_database_new_from_seed(const emu_database *tmpl);
void emu_database_free(emu_database *d);

/* Fixture files or folders, all or nothing; progress may be NULL. */
bool emu_database_load_paths(emu_database *d, const char *const *paths, size_t n, fixture_progress_fn progress,
                             void *progress_ctx, store_error *err);
/* A fixture document (any format) in memory, added all or nothing; name stands for the file in messages. */
bool emu_database_load_text(emu_database *d, const char *name, const char *text, size_t len, store_error *err);
/* The current state becomes the one reset returns to (done once, after start-up). */
bool emu_database_mark_seed(emu_database *d);

bool emu_database_reset(emu_database *d, store_error *err);
bool emu_database_snapshot(emu_database *d, const char *name, store_error *err);
bool emu_database_restore(emu_database *d, const char *name, store_error *err);

/* The whole state as a fixture document (fixtures/fixtures.h). */
char *emu_database_dump(emu_database *d, size_t *len);
emu_counts emu_database_counts(emu_database *d);

/* The clock behind every timestamp. */
int64_t emu_database_now_ms(emu_database *d);
void emu_database_set_clock(emu_database *d, int64_t epoch_ms);
/* The last millisecond of year 9999: the clock stays between it and the epoch. */
#define EMU_CLOCK_MAX_MS 253402300799999LL
bool emu_database_advance_clock(emu_database *d, int64_t ms);
void emu_database_real_clock(emu_database *d);

#endif
