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
/* Whether the operation of body only reads (ids, list, size, empty, find,
 * exists, build): its caller may then hold the database's read lock only. */
bool assoc_call_reads_only(const cJSON *body);
/* One operation ({"op": ..., "table": ..., "id": ..., "association": ..., ...}), atomically. */
cJSON *assoc_call_json(assoc_registry *r, store_db *db, const cJSON *body, store_error *err);
/* {"table": T, "id": ID} destroyed with association semantics. */
cJSON *assoc_destroy_json(assoc_registry *r, store_db *db, const cJSON *body, store_error *err);
/* {"ok": bool, "problems": [...]} */
cJSON *assoc_check_json(const assoc_registry *r, const store_db *db);

/* ---- The C API: the registry (assoc.c), declarations (declare.c), reads
 * (read.c), links (link.c), removals (remove.c), destruction (destroy.c),
 * check (check.c) ----
 * The same operations as the JSON forms, by name. Each returns false (or
 * NULL) with *err set on bad input and then has changed nothing: every
 * writing operation stages its new items (txn.c), checks everything, then
 * writes them all. A linked test reaches the store with dynemu_store(). */

/* ASSOC_HABTM: has_and_belongs_to_many, a String Set on each side. A has_many
 * with `through` is read through the join table's records. */
typedef enum assoc_kind { ASSOC_HAS_MANY, ASSOC_BELONGS_TO, ASSOC_HABTM } assoc_kind;

typedef enum assoc_dependent {
    ASSOC_DEPENDENT_NONE,                     /* children keep their foreign key */
    ASSOC_DEPENDENT_DESTROY,                  /* destroyed, cascading, callbacks run */
    ASSOC_DEPENDENT_DELETE_ALL,               /* deleted: no cascade, no callbacks */
    ASSOC_DEPENDENT_NULLIFY,                  /* unlinked, the records stay */
    ASSOC_DEPENDENT_RESTRICT_WITH_EXCEPTION,  /* DeleteRestrictionError while any child exists */
    ASSOC_DEPENDENT_RESTRICT_WITH_ERROR,      /* the same error (no model to attach it to here) */
    ASSOC_DEPENDENT_DESTROY_ASYNC,            /* as destroy: there is no background job here */
} assoc_dependent;

/* A declaration. NULL strings take the defaults: target = the name (for a
 * belongs_to, its plural when no table has the name itself); foreign_key =
 * the owner table's name in the singular + "_id" for a has_many (or its
 * inverse_of's foreign key when that belongs_to is declared), name + "_id"
 * for a belongs_to; ids_attribute = name + "_ids". ids_attribute, dependent
 * and counter_cache belong to has_many (and has_and_belongs_to_many) only.
 *
 * The second round: a habtm keeps the owner's ids on each target in
 * inverse_ids_attribute (inverse_of + "_ids"; inverse_of defaults to the
 * owner table's name, as Dynomite guesses it). `through` names a has_many of
 * the owner whose targets are the join records, `source` (default: the
 * name's singular, else the name) the association of the join table that
 * leads on; writes need that source to be a belongs_to. `as` makes a
 * polymorphic has_many: children keep <as>_id and foreign_type (<as>_type)
 * = the owner's table; its child side is a polymorphic belongs_to (no
 * target: each child names its owner's table in foreign_type, <name>_type
 * by default, and its id in <name>_id). primary_key is the owner attribute (a String) whose
 * value children store, the partition key by default. where (an M value,
 * equality on each attribute) scopes what the association reads and what
 * dependent acts on; order_by / order_desc order list. */
typedef struct assoc_declaration {
    const char *table;
    assoc_kind kind;
    const char *name;
    const char *target;
    const char *foreign_key;
    const char *ids_attribute;
    assoc_dependent dependent;
    const char *inverse_of;
    const char *counter_cache;
    const char *inverse_ids_attribute;   /* habtm only */
    const char *through, *source;
    const char *as, *foreign_type;
    const char *primary_key;
    store_value *where;                  /* NULL or M; the declaration holds a reference */
    const char *order_by;
    bool order_desc;
    bool polymorphic;                    /* belongs_to only: the owner's table is the child's foreign_type */
} assoc_declaration;

/* Declares one association (replacing one of the same table and name). */
bool assoc_declare(assoc_registry *r, const store_db *db, const assoc_declaration *d, store_error *err);
/* Declares all of them or, on the first refusal, none. */
bool assoc_declare_all(assoc_registry *r, const store_db *db, const assoc_declaration *d, size_t n,
                       store_error *err);
size_t assoc_count(const assoc_registry *r);
/* The i-th declaration in declaration order, defaults filled in; valid until
 * the registry changes. */
const assoc_declaration *assoc_declaration_at(const assoc_registry *r, size_t i);

const char *assoc_dependent_name(assoc_dependent d);       /* "none", "destroy", ... */
const char *assoc_kind_name(assoc_kind k);                 /* "has_many", "belongs_to", ... */
int assoc_dependent_from_name(const char *name);           /* -1 if unknown */

/* Runs after an operation has written everything, once for each record it
 * destroyed (destroy, destroy_all, delete or clear with dependent destroy,
 * assoc_destroy_record, and their cascades), children before their owner;
 * never for delete / delete_all. item is the record as it was; the callback
 * runs under the caller's lock and must not call back into the database. */
typedef void (*assoc_destroy_callback)(const char *table, const store_value *item, void *user);
/* One callback per table; NULL removes it. False only when out of memory. */
bool assoc_on_destroy(assoc_registry *r, const char *table, assoc_destroy_callback cb, void *user);

/* One owner's has_many: users / "bob" / posts. */
typedef struct assoc_collection {
    assoc_registry *registry;
    store_db *db;
    const char *table;         /* the owner's table */
    const char *id;            /* the owner's id */
    const char *association;   /* the name of a has_many or habtm declared on table */
} assoc_collection;

typedef struct assoc_record { char *table, *id; } assoc_record;

/* What an operation answers; release with assoc_result_free. */
typedef struct assoc_result {
    char **ids;                  /* the association's ids afterwards, sorted */
    size_t n_ids;
    store_value **items;         /* list: the children, sorted by id */
    size_t n_items;
    assoc_record *destroyed;     /* in the order destroyed, children first */
    size_t n_destroyed;
    assoc_record *deleted;
    size_t n_deleted;
} assoc_result;

void assoc_result_free(assoc_result *res);

/* Reading. find/build/create return a new reference (store_release it). */
bool assoc_ids(const assoc_collection *c, assoc_result *out, store_error *err);
/* where: NULL, or an M value of attribute → value, all equal (the
 * declaration's own where applies as well). */
bool assoc_list(const assoc_collection *c, const store_value *where, assoc_result *out, store_error *err);
bool assoc_size(const assoc_collection *c, size_t *size, store_error *err);
bool assoc_empty(const assoc_collection *c, bool *empty, store_error *err);
/* RecordNotFound unless id is in the association and its record exists. */
store_value *assoc_find(const assoc_collection *c, const char *id, store_error *err);
/* By id, or by where (id NULL), or — both NULL — whether any child exists. */
bool assoc_exists(const assoc_collection *c, const char *id, const store_value *where, bool *exists,
                  store_error *err);
/* Association querying (query.c), Dynomite's relation chain: each step a
 * map of "attr" (equality) or "attr.op" to a value, op one of lt, lte, gt,
 * gte, eq, between (an L of two), in (an L of 1 to 100), begins_with, or
 * any of them as not_<op>. Steps are ANDed; an `or` step starts a new
 * group, the groups ORed; a `not` step is negated. */
#define ASSOC_MAX_RELATION_CONDITIONS 100   /* attr → value pairs in one chain */

typedef enum assoc_step_kind { ASSOC_STEP_WHERE, ASSOC_STEP_NOT, ASSOC_STEP_OR } assoc_step_kind;
typedef struct assoc_step {
    assoc_step_kind kind;
    const store_value *conditions;   /* M */
} assoc_step;
typedef struct assoc_relation assoc_relation;
/* NULL with *err on a chain that is malformed or too long. */
assoc_relation *assoc_relation_new(const assoc_step *steps, size_t n, store_error *err);
void assoc_relation_free(assoc_relation *rel);
/* 1 or 0 (rel NULL: 1), or -1 with *err for a comparison the expression language refuses at run time. */
int assoc_relation_matches(const assoc_relation *rel, const store_value *item, store_error *err);
/* list and exists narrowed by a relation as well as a where (either may be NULL). */
bool assoc_list_relation(const assoc_collection *c, const store_value *where, const assoc_relation *rel,
                         assoc_result *out, store_error *err);
bool assoc_exists_relation(const assoc_collection *c, const char *id, const store_value *where,
                           const assoc_relation *rel, bool *exists, store_error *err);

/* A belongs_to (c->table and c->id name the child, c->association the
 * belongs_to): the record its foreign key names, in the target table or,
 * polymorphic, in the table its foreign type names, found by the has_many
 * on that side's primary_key when it declares one. *owner NULL (and true)
 * when the child names no owner or the owner is gone, as ActiveRecord's
 * nil; a new reference otherwise, *owner_table its table's name. */
bool assoc_owner_find(const assoc_collection *c, store_value **owner, const char **owner_table, store_error *err);

/* A new child with the foreign key set; not stored. */
store_value *assoc_build(const assoc_collection *c, const store_value *item, store_error *err);

/* Writing. out may be NULL. */
store_value *assoc_create(const assoc_collection *c, const store_value *item, store_error *err);
bool assoc_add(const assoc_collection *c, const char *const *ids, size_t n, assoc_result *out, store_error *err);
bool assoc_disassociate(const assoc_collection *c, const char *const *ids, size_t n, assoc_result *out,
                        store_error *err);
bool assoc_disassociate_all(const assoc_collection *c, assoc_result *out, store_error *err);
/* Children left out are removed as assoc_delete removes them (by dependent). */
bool assoc_replace(const assoc_collection *c, const char *const *ids, size_t n, assoc_result *out,
                   store_error *err);
bool assoc_delete(const assoc_collection *c, const char *const *ids, size_t n, assoc_result *out, store_error *err);
bool assoc_destroy(const assoc_collection *c, const char *const *ids, size_t n, assoc_result *out,
                   store_error *err);
bool assoc_delete_all(const assoc_collection *c, assoc_result *out, store_error *err);
bool assoc_destroy_all(const assoc_collection *c, assoc_result *out, store_error *err);
bool assoc_clear(const assoc_collection *c, assoc_result *out, store_error *err);

/* Destroys one record of any table with association semantics: its has_many
 * children by their dependent, then the record, unlinked from its owners. */
bool assoc_destroy_record(assoc_registry *r, store_db *db, const char *table, const char *id,
                          assoc_result *out, store_error *err);

/* ---- check (assoc/check.c) ---- */

typedef struct assoc_problem {
    const char *kind;            /* "dangling_id", "foreign_key_mismatch", "claimed_twice",
                                    "missing_from_set", "missing_owner", "counter_mismatch",
                                    "not_a_string_set", "one_sided" (habtm: a set names a record
                                    whose inverse set does not name it back) */
    char *table, *id;            /* the record the problem is on */
    char *association;
    char *other;                 /* the id on the other side, or NULL */
    char *message;
} assoc_problem;

/* Every link that disagrees, in declaration order; false only when out of memory. */
bool assoc_check(const assoc_registry *r, const store_db *db, assoc_problem **problems, size_t *n);
void assoc_problems_free(assoc_problem *problems, size_t n);

#endif
