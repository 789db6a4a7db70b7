/* emulator/namespaces.h — which database a request works on. Without
 * --namespaces every client shares one database. With it, each access key
 * id + region (from the Authorization header's Credential=AKID/DATE/REGION/...)
 * gets its own, made on first use from the start-up database's seed: the same
 * fixtures, none of another namespace's writes. A request without a
 * credential uses the start-up database. */
#ifndef EMU_NAMESPACES_H
#define EMU_NAMESPACES_H

#include <stdbool.h>

#include "emulator/database.h"

typedef struct emu_namespaces emu_namespaces;

/* Takes over start (already seeded). per_credential: --namespaces. */
emu_namespaces *emu_namespaces_new(emu_database *start, bool per_credential);
void emu_namespaces_free(emu_namespaces *ns);

/* The database for a request's Authorization header (NULL when it has
 * none); NULL only when out of memory. Databases live until
 * emu_namespaces_free, so the pointer stays valid. */
emu_database *emu_namespaces_get(emu_namespaces *ns, const char *authorization);
/* How many namespaces exist (the start-up database counts as one). */
unsigned emu_namespaces_count(emu_namespaces *ns);

/* "AKID/REGION" of a SigV4 Authorization header into out; false if it has no credential. */
bool emu_namespace_key(const char *authorization, char *out, size_t size);

#endif
