/* store/db.c — the tables of one database, its clock and its lock. */
#include "store/db.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

store_db *store_db_new(void)
{
    store_db *db = calloc(1, sizeof *db);
    if (!db) return NULL;
    if (!(db->streams = store_streams_new())) {
        free(db);
        return NULL;
    }
    pthread_rwlock_init(&db->lock, NULL);
    return db;
}

void store_db_free(store_db *db)
{
    if (!db) return;
    store_table *t, *tmp;
    HASH_ITER(hh, db->tables, t, tmp) {
        HASH_DEL(db->tables, t);
        store_table_free(t);
    }
    store_streams_free(db->streams);
    if (db->tx_tokens_free) db->tx_tokens_free(db->tx_tokens);
    if (db->pql_cache_free) db->pql_cache_free(db->pql_cache);
    pthread_rwlock_destroy(&db->lock);
    free(db);
}

store_table *store_db_table(const store_db *db, const char *name)
{
    store_table *t;
    HASH_FIND_STR(db->tables, name, t);
    return t;
}

static int by_name(store_table *a, store_table *b) { return strcmp(a->name, b->name); }

bool store_db_add_table(store_db *db, store_table *t)
{
    t->db = db; /* its clock decides TTL expiry */
    HASH_ADD_KEYPTR_INORDER(hh, db->tables, t->name, strlen(t->name), t, by_name);
    return STORE_HASH_ADDED(t);
}

/* src is in name order and uthash keeps insertion order, so appending keeps
 * dst sorted with no search per table. */
bool store_db_clone_tables(store_db *dst, const store_db *src)
{
    store_streams *streams = store_streams_clone(src->streams);
    if (!streams) return false;
    store_streams_free(dst->streams);
    dst->streams = streams;
    for (const store_table *t = src->tables; t; t = t->hh.next) {
        store_table *copy = store_table_clone(t);
        if (!copy) return false;
        copy->db = dst;
        copy->stream = t->stream ? streams->list[t->stream->slot] : NULL;
        HASH_ADD_KEYPTR(hh, dst->tables, copy->name, strlen(copy->name), copy);
        if (!STORE_HASH_ADDED(copy)) {
            store_table_free(copy);
            return false;
        }
    }
    return true;
}

void store_db_swap_contents(store_db *a, store_db *b)
{
    store_table *tables = a->tables;
    a->tables = b->tables;
    b->tables = tables;
    store_streams *streams = a->streams;
    a->streams = b->streams;
    b->streams = streams;
    for (store_table *t = a->tables; t; t = t->hh.next) t->db = a;
    for (store_table *t = b->tables; t; t = t->hh.next) t->db = b;
}

void store_db_remove_table(store_db *db, store_table *t) { HASH_DEL(db->tables, t); }

size_t store_db_table_count(const store_db *db) { return HASH_COUNT(db->tables); }

int64_t store_db_now_ms(const store_db *db)
{
    if (db->clock.fixed) return db->clock.fixed_ms;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + db->clock.offset_ms;
}
