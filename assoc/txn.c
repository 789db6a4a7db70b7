/* assoc/txn.c — the staged change set behind every association operation.
 *
 * An operation reads records through its txn (staged versions first), stages
 * every new version, and only when all of it has been built and checked
 * does assoc_txn_commit write it through store_table_put / store_table_remove
 * (so secondary indexes stay in step). A refusal half-way simply frees the
 * txn: nothing was written. */
#include "assoc/internal.h"

#include <stdlib.h>
#include <string.h>

bool assoc_oom(store_error *err) { return store_fail(err, STORE_ERR_INTERNAL, "out of memory"); }

void assoc_txn_init(assoc_txn *t, assoc_registry *r, store_db *db, store_error *err)
{
    memset(t, 0, sizeof *t);
    t->registry = r;
    t->db = db;
    t->err = err;
}

static void gone_free(assoc_gone *g, size_t n)
{
    for (size_t i = 0; i < n; i++) store_release(g[i].item);
    free(g);
}

void assoc_txn_free(assoc_txn *t)
{
    assoc_change *c, *tmp;
    HASH_ITER(hh, t->changes, c, tmp) {
        HASH_DEL(t->changes, c);
        store_release(c->id);
        store_release(c->after);
        free(c);
    }
    gone_free(t->destroyed, t->n_destroyed);
    gone_free(t->deleted, t->n_deleted);
    t->destroyed = t->deleted = NULL;
    t->n_destroyed = t->n_deleted = 0;
}

/* The hash key of a record: its table's address, then its id's bytes. */
static size_t change_key(char *buf, size_t cap, const store_table *table, const store_value *id)
{
    size_t n = sizeof table + id->len;
    if (n <= cap) {
        memcpy(buf, &table, sizeof table);
        memcpy(buf + sizeof table, store_bytes(id), id->len);
    }
    return n;
}

static assoc_change *find_change(const assoc_txn *t, const store_table *table, const store_value *id)
{
    char buf[sizeof table + STORE_MAX_PARTITION_KEY];
    size_t n = change_key(buf, sizeof buf, table, id);
    if (n > sizeof buf) return NULL;   /* longer than any key a table can hold */
    assoc_change *c;
    HASH_FIND(hh, t->changes, buf, n, c);
    return c;
}

store_value *assoc_txn_get(const assoc_txn *t, store_table *table, const store_value *id)
{
    assoc_change *c = find_change(t, table, id);
    return c ? c->after : store_table_get_by_partition(table, id);
}

bool assoc_txn_removed(const assoc_txn *t, store_table *table, const store_value *id)
{
    assoc_change *c = find_change(t, table, id);
    return c && !c->after;
}

bool assoc_txn_put(assoc_txn *t, store_table *table, const store_value *id, store_value *item)
{
    assoc_change *c = find_change(t, table, id);
    if (c) {
        store_release(c->after);
        c->after = item;
        return true;
    }
    size_t n = change_key(NULL, 0, table, id);
    c = malloc(sizeof *c + n);
    if (!c) {
        store_release(item);
        return assoc_oom(t->err);
    }
    c->table = table;
    c->id = store_retain((store_value *)id);
    c->after = item;
    c->key_len = change_key(c->key, n, table, id);
    HASH_ADD(hh, t->changes, key, c->key_len, c);
    if (STORE_HASH_ADDED(c)) return true;
    store_release(c->id);
    store_release(c->after);
    free(c);
    return assoc_oom(t->err);
}

static bool note(assoc_gone **list, size_t *n, size_t *cap, store_table *table, const store_value *item,
                 store_error *err)
{
    if (*n == *cap) {
        size_t grown = *cap ? *cap * 2 : 8;
        assoc_gone *g = realloc(*list, grown * sizeof *g);
        if (!g) return assoc_oom(err);
        *list = g;
        *cap = grown;
    }
    (*list)[(*n)++] = (assoc_gone){table, store_retain((store_value *)item)};
    return true;
}

bool assoc_txn_note_destroyed(assoc_txn *t, store_table *table, const store_value *item)
{
    return note(&t->destroyed, &t->n_destroyed, &t->cap_destroyed, table, item, t->err);
}

bool assoc_txn_note_deleted(assoc_txn *t, store_table *table, const store_value *item)
{
    return note(&t->deleted, &t->n_deleted, &t->cap_deleted, table, item, t->err);
}

/* ---- commit ---- */

/* Writes one change; hands back the version it replaced (NULL if none). */
static bool write_change(assoc_change *c, store_value **before)
{
    if (c->after) {
        bool ok = store_table_put(c->table, store_retain(c->after), before);
        if (!ok) store_release(c->after);
        return ok;
    }
    /* A removal that finds its item but takes nothing failed for memory. */
    store_value *current = store_table_get_by_partition(c->table, c->id);
    *before = current ? store_table_remove(c->table, current) : NULL;
    return !current || *before;
}

/* Puts back what the first n changes replaced, newest first. Only reached
 * when memory ran out mid-commit; putting back reuses the nodes just freed. */
static void undo(assoc_change *first, store_value **before, size_t n)
{
    assoc_change *c = first;
    for (size_t i = 1; i < n; i++) c = c->hh.next;
    /* Walked back by the hash's own links: undoing must not allocate. */
    for (size_t i = n; i-- > 0; c = c->hh.prev) {
        store_value *replaced = NULL;
        if (before[i]) {
            if (!store_table_put(c->table, before[i], &replaced)) store_release(before[i]);
        } else {
            store_value *current = store_table_get_by_partition(c->table, c->id);
            if (current) replaced = store_table_remove(c->table, current);
        }
        store_release(replaced);
    }
}

static bool write_all(assoc_txn *t)
{
    size_t n = HASH_COUNT(t->changes), i = 0;
    store_value **before = calloc(n + 1, sizeof *before);
    if (!before) return false;
    uint64_t mark = store_streams_mark(t->db->streams);
    for (assoc_change *c = t->changes; c; c = c->hh.next, i++)
        if (!write_change(c, &before[i])) {
            undo(t->changes, before, i);
            /* Neither the changes nor their undoing happened for a stream's reader. */
            store_streams_rollback(t->db->streams, mark);
            free(before);
            return false;
        }
    for (i = 0; i < n; i++) store_release(before[i]);
    free(before);
    return true;
}

static bool records_of(const assoc_gone *g, size_t n, assoc_record **out, size_t *n_out)
{
    assoc_record *r = calloc(n + 1, sizeof *r);
    if (!r) return false;
    for (size_t i = 0; i < n; i++) {
        const store_value *id = assoc_item_id(g[i].table, g[i].item);
        r[i].table = strdup(g[i].table->name);
        r[i].id = strndup(store_bytes(id), id->len);
        if (!r[i].table || !r[i].id) {
            assoc_records_free(r, i + 1);
            return false;
        }
    }
    *out = r;
    *n_out = n;
    return true;
}

static void run_callbacks(const assoc_txn *t)
{
    for (size_t i = 0; i < t->n_destroyed; i++) {
        const assoc_callback *cb = assoc_callback_for(t->registry, t->destroyed[i].table->name);
        if (cb) cb->cb(t->destroyed[i].table->name, t->destroyed[i].item, cb->user);
    }
}

bool assoc_txn_commit(assoc_txn *t, assoc_result *out)
{
    assoc_result lists = {0};
    if (out && (!records_of(t->destroyed, t->n_destroyed, &lists.destroyed, &lists.n_destroyed) ||
                !records_of(t->deleted, t->n_deleted, &lists.deleted, &lists.n_deleted))) {
        assoc_result_free(&lists);
        return assoc_oom(t->err);
    }
    if (!write_all(t)) {
        assoc_result_free(&lists);
        return assoc_oom(t->err);
    }
    if (out) {
        assoc_records_free(out->destroyed, out->n_destroyed);
        assoc_records_free(out->deleted, out->n_deleted);
        out->destroyed = lists.destroyed, out->n_destroyed = lists.n_destroyed;
        out->deleted = lists.deleted, out->n_deleted = lists.n_deleted;
    }
    run_callbacks(t);
    return true;
}
