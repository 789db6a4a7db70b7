/* assoc/assoc.h — has_many / belongs_to associations (Rails ActiveRecord,
 * Ruby Jets' Dynomite), run locally and atomically against a store_db.
 *
 * Storage is the ORMs' own: the owner keeps its children's ids in a String
 * Set (users.posts_ids), each child keeps its owner's id in a String
 * (posts.user_id). Declarations live in a registry, one per database, which
 * snapshots and resets copy along with the items.
 *
 * Locking: every function here expects the caller to hold the database's
 * lock (write lock for anything that writes). */
#ifndef ASSOC_H
#define ASSOC_H

#include <cjson/cJSON.h>

#include "store/db.h"
#include "store/error.h"

typedef struct assoc_registry assoc_registry;

assoc_registry *assoc_registry_new(void);
/* An independent copy (for snapshots and namespaces). */
assoc_registry *assoc_registry_clone(const assoc_registry *r);
void assoc_registry_free(assoc_registry *r);

/* ---- The JSON forms (assoc/assoc_json.c), used by the control API and fixtures ----
 * Shapes are those of CONTRACT.md. Each returns NULL/false with *err set on
 * bad input and changes nothing then. */

/* A declaration, or {"declarations": [...]}: checked against db's tables. */
bool assoc_declare_json(assoc_registry *r, const store_db *db, const cJSON *body, store_error *err);
/* {"declarations": [...]}, each with its defaults filled in. */
cJSON *assoc_declarations_json(const assoc_registry *r);
/* One operation ({"op": ..., "table": ..., "id": ..., "association": ..., ...}), atomically. */
cJSON *assoc_call_json(assoc_registry *r, store_db *db, const cJSON *body, store_error *err);
/* {"table": T, "id": ID} destroyed with association semantics. */
cJSON *assoc_destroy_json(assoc_registry *r, store_db *db, const cJSON *body, store_error *err);
/* {"ok": bool, "problems": [...]} */
cJSON *assoc_check_json(const assoc_registry *r, const store_db *db);

#endif
