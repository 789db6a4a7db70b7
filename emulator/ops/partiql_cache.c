/* emulator/ops/partiql_cache.c — parsed PartiQL statements kept per
 * database, by their text: a client sends the same statement again and
 * again with other parameters, and parsing it was the larger part of a
 * statement's own cost. A statement tree never changes once parsed, so
 * requests on other threads share it; each holds a reference while it
 * compiles, and an entry pushed out of the cache is freed by its last holder.
 * Statements that fail to parse are not kept. Beside each statement sits the
 * plan it last compiled to in each mode (partiql.h), held the same way. */
#include "emulator/ops/partiql.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define EMU_PQL_CACHE_SLOTS 64

struct emu_pql_prepared {
    char *text;
    size_t len;
    uint64_t hash;
    store_pql_statement *statement;
    emu_pql_plan *plans[EMU_PQL_MODES];   /* compiled, one per mode; NULL until first compiled */
    int refs;                       /* the cache's own hold counts as one */
};

typedef struct statement_cache {
    emu_pql_prepared *slots[EMU_PQL_CACHE_SLOTS];
    size_t next;                    /* the slot replaced next (round robin) */
} statement_cache;

/* One lock for every database's cache: it is held for a few loads and stores only. */
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

uint64_t emu_pql_hash(uint64_t h, const void *bytes, size_t n)
{
    const char *s = bytes;
    uint64_t w;
    h ^= n;
    for (; n >= 8; s += 8, n -= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 29;
    }
    w = 0;
    memcpy(&w, s, n);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 32);
}

static uint64_t text_hash(const char *s, size_t n) { return emu_pql_hash(0x9e3779b97f4a7c15ull, s, n); }

/* Drops one hold of a plan; the caller holds cache_lock. */
static void drop_plan(emu_pql_plan *p)
{
    if (p && --p->refs == 0) {
        cJSON_Delete(p->request);
        cJSON_Delete(p->partitions);
        free(p);
    }
}

static void entry_free(emu_pql_prepared *e)
{
    for (int m = 0; m < EMU_PQL_MODES; m++) drop_plan(e->plans[m]);
    store_pql_free(e->statement);
    free(e->text);
    free(e);
}

/* Drops one reference; the caller holds cache_lock. */
static void drop(emu_pql_prepared *e)
{
    if (e && --e->refs == 0) entry_free(e);
}

static void cache_free(void *p)
{
    statement_cache *c = p;
    for (size_t i = 0; i < EMU_PQL_CACHE_SLOTS; i++) drop(c->slots[i]);
    free(c);
}

/* The database's cache, made on first use; the caller holds cache_lock. */
static statement_cache *cache_of(store_db *db)
{
    if (!db->pql_cache && (db->pql_cache = calloc(1, sizeof(statement_cache)))) db->pql_cache_free = cache_free;
    return db->pql_cache;
}

static emu_pql_prepared *find(statement_cache *c, const char *text, size_t len, uint64_t hash)
{
    for (size_t i = 0; c && i < EMU_PQL_CACHE_SLOTS; i++) {
        emu_pql_prepared *e = c->slots[i];
        if (e && e->hash == hash && e->len == len && memcmp(e->text, text, len) == 0) return e;
    }
    return NULL;
}

static emu_pql_prepared *parse_new(emu_ctx *ctx, const char *text, size_t len, uint64_t hash)
{
    store_pql_statement *s = store_pql_parse(text, len, &ctx->err);
    if (!s) return NULL;
    emu_pql_prepared *e = malloc(sizeof *e);
    char *copy = e ? malloc(len + 1) : NULL;
    if (!copy) {
        free(e);
        store_pql_free(s);
        emu_oom(ctx);
        return NULL;
    }
    memcpy(copy, text, len + 1);
    *e = (emu_pql_prepared){.text = copy, .len = len, .hash = hash, .statement = s, .refs = 1};
    return e;
}

emu_pql_prepared *emu_pql_prepare(emu_ctx *ctx, const char *text, emu_pql_mode mode,
                                  const store_pql_statement **statement, emu_pql_plan **plan)
{
    size_t len = strlen(text);
    uint64_t hash = text_hash(text, len);
    *plan = NULL;
    pthread_mutex_lock(&cache_lock);
    emu_pql_prepared *e = find(cache_of(ctx->db), text, len, hash);
    bool found = e != NULL; /* decided under the lock: other threads change refs */
    if (e) {
        e->refs++;
        if ((*plan = e->plans[mode])) (*plan)->refs++;
    }
    pthread_mutex_unlock(&cache_lock);
    if (!e && !(e = parse_new(ctx, text, len, hash))) return NULL;
    *statement = e->statement;
    if (found) return e; /* already the caller's as well as the cache's */
    /* New: the cache takes its own reference, pushing out the oldest entry. */
    pthread_mutex_lock(&cache_lock);
    statement_cache *c = cache_of(ctx->db);
    if (c) {
        e->refs++;
        drop(c->slots[c->next]);
        c->slots[c->next] = e;
        c->next = (c->next + 1) % EMU_PQL_CACHE_SLOTS;
    }
    pthread_mutex_unlock(&cache_lock);
    return e;
}

void emu_pql_unprepare(emu_pql_prepared *e)
{
    pthread_mutex_lock(&cache_lock);
    drop(e);
    pthread_mutex_unlock(&cache_lock);
}

void emu_pql_keep_plan(emu_pql_prepared *p, emu_pql_mode mode, emu_pql_plan *plan)
{
    pthread_mutex_lock(&cache_lock);
    plan->refs++;
    drop_plan(p->plans[mode]);
    p->plans[mode] = plan;
    pthread_mutex_unlock(&cache_lock);
}

void emu_pql_plan_drop(emu_pql_plan *plan)
{
    if (!plan) return;
    pthread_mutex_lock(&cache_lock);
    drop_plan(plan);
    pthread_mutex_unlock(&cache_lock);
}
