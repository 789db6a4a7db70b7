/* emulator/namespaces.c — the map from access key id + region to a
 * database, guarded by its own mutex (held only to find or add an entry,
 * never while a request runs). */
#include "emulator/namespaces.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/hash.h"

/* An access key id is at most 128 characters, a region far less. */
#define KEY_MAX 256

typedef struct namespace_entry {
    char key[KEY_MAX];
    emu_database *d;
    UT_hash_handle hh;
} namespace_entry;

struct emu_namespaces {
    pthread_mutex_t mutex;
    bool per_credential;
    emu_database *start;        /* the start-up database: requests without a credential, and the seed */
    namespace_entry *entries;
    unsigned count;
};

emu_namespaces *emu_namespaces_new(emu_database *start, bool per_credential)
{
    emu_namespaces *ns = calloc(1, sizeof *ns);
    if (!ns) return NULL;
    pthread_mutex_init(&ns->mutex, NULL);
    ns->per_credential = per_credential;
    ns->start = start;
    ns->count = 1;
    return ns;
}

void emu_namespaces_free(emu_namespaces *ns)
{
    if (!ns) return;
    namespace_entry *e, *tmp;
    HASH_ITER(hh, ns->entries, e, tmp) {
        HASH_DEL(ns->entries, e);
        emu_database_free(e->d);
        free(e);
    }
    emu_database_free(ns->start);
    pthread_mutex_destroy(&ns->mutex);
    free(ns);
}

/* "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, ..." */
bool emu_namespace_key(const char *authorization, char *out, size_t size)
{
    const char *c = authorization ? strstr(authorization, "Credential=") : NULL;
    if (!c) return false;
    c += strlen("Credential=");
    size_t akid = strcspn(c, "/, ");
    if (akid == 0 || c[akid] != '/') return false;
    const char *date = c + akid + 1;
    size_t date_len = strcspn(date, "/, ");
    if (date[date_len] != '/') return false;
    const char *region = date + date_len + 1;
    size_t region_len = strcspn(region, "/, ");
    if (region_len == 0 || akid + region_len + 2 > size) return false;
    memcpy(out, c, akid);
    out[akid] = '/';
    memcpy(out + akid + 1, region, region_len);
    out[akid + 1 + region_len] = 0;
    return true;
}

static emu_database *find_or_add(emu_namespaces *ns, const char *key)
{
    namespace_entry *e;
    HASH_FIND_STR(ns->entries, key, e);
    if (e) return e->d;
    e = calloc(1, sizeof *e);
    if (!e) return NULL;
    snprintf(e->key, sizeof e->key, "%s", key);
    if (!(e->d = emu_database_new_from_seed(ns->start))) {
        free(e);
        return NULL;
    }
    HASH_ADD_STR(ns->entries, key, e);
    if (!STORE_HASH_ADDED(e)) {
        emu_database_free(e->d);
        free(e);
        return NULL;
    }
    ns->count++;
    return e->d;
}

emu_database *emu_namespaces_get(emu_namespaces *ns, const char *authorization)
{
    char key[KEY_MAX];
    if (!ns->per_credential || !emu_namespace_key(authorization, key, sizeof key)) return ns->start;
    pthread_mutex_lock(&ns->mutex);
    emu_database *d = find_or_add(ns, key);
    pthread_mutex_unlock(&ns->mutex);
    return d;
}

unsigned emu_namespaces_count(emu_namespaces *ns)
{
    pthread_mutex_lock(&ns->mutex);
    unsigned n = ns->count;
    pthread_mutex_unlock(&ns->mutex);
    return n;
}
