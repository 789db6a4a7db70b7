/* store/db.h — a database: its tables, its clock and its lock.
 *
 * One reader-writer lock per database: reads run in parallel, every write
 * (a transaction included) holds it exclusively and so is atomic. The lock is
 * taken by the caller of an operation (emulator/api.c), never inside store/. */
#ifndef STORE_DB_H
#define STORE_DB_H

#include <pthread.h>
#include <stdint.h>

#include "store/stream.h"
#include "store/table.h"

typedef struct store_clock {
    bool fixed;                 /* false: real time (plus offset) */
    int64_t fixed_ms;           /* the time while fixed */
    int64_t offset_ms;          /* added to real time while not fixed */
} store_clock;

typedef struct store_db {
    pthread_rwlock_t lock;
    store_table *tables;        /* by name; kept sorted by name (ListTables) */
    store_clock clock;
    store_streams *streams;     /* every stream of the database's tables, deleted ones' too */
    /* Opaque to store/: the ClientRequestTokens of TransactWriteItems
     * (emulator/ops/transaction.c), freed with the database by tx_tokens_free. */
    void *tx_tokens;
    void (*tx_tokens_free)(void *tx_tokens);
    /* Opaque to store/ as well: parsed PartiQL statements by their text
     * (emulator/ops/partiql_cache.c), freed with the database. */
    void *pql_cache;
    void (*pql_cache_free)(void *pql_cache);
} store_db;

store_db *store_db_new(void);
void store_db_free(store_db *db);

store_table *store_db_table(const store_db *db, const char *name);
/* Adds a table (taking it over), keeping name order. */
/* false (and t not added) when out of memory. */
bool store_db_add_table(store_db *db, store_table *t);
/* Clones every table and stream of src into the empty dst (a snapshot:
 * items and stream records shared). False when out of memory. */
bool store_db_clone_tables(store_db *dst, const store_db *src);
/* Exchanges the tables and streams of a and b (a staged load or a saved
 * state taking effect); each table then follows its new database's clock. */
void store_db_swap_contents(store_db *a, store_db *b);
/* Takes a table out; the caller frees it. */
void store_db_remove_table(store_db *db, store_table *t);
size_t store_db_table_count(const store_db *db);

/* Milliseconds since the epoch by this database's clock. */
int64_t store_db_now_ms(const store_db *db);

/* Deletes the items whose TTL has passed, in every table (store/ttl.c);
 * returns how many. Needs the write lock. */
size_t store_db_expire(store_db *db);

static inline void store_db_read_lock(store_db *db) { pthread_rwlock_rdlock(&db->lock); }
/* A write first deletes expired items and drops aged-out stream records:
 * now, nothing holds a pointer into the tables or the streams. */
static inline void store_db_write_lock(store_db *db)
{
    pthread_rwlock_wrlock(&db->lock);
    store_db_expire(db);
    store_streams_trim(db->streams, store_db_now_ms(db));
}
static inline void store_db_unlock(store_db *db) { pthread_rwlock_unlock(&db->lock); }

#endif
