/* assoc/internal.h — what the assoc/ files share and nobody else sees: the
 * registry's layout, the staged change set (assoc_txn) every operation
 * builds before it writes anything, the item and String Set edits the
 * change set is made of, and the resolution of a collection to its tables
 * and owner record. */
#ifndef ASSOC_INTERNAL_H
#define ASSOC_INTERNAL_H

#include "store/hash.h"

#include "assoc/assoc.h"

/* ---- the registry (assoc.c; declare.c fills in and checks declarations) ---- */

typedef struct assoc_callback {
    char *table;
    assoc_destroy_callback cb;
    void *user;
} assoc_callback;

struct assoc_registry {
    assoc_declaration *decls;    /* every string owned, defaults filled in */
    size_t n, cap;
    assoc_callback *callbacks;
    size_t n_callbacks;
};

const assoc_declaration *assoc_lookup(const assoc_registry *r, const char *table, const char *name);
/* A copy owning its strings (NULL where src has none); false when out of
 * memory, and then dst holds nothing. */
bool assoc_declaration_copy(assoc_declaration *dst, const assoc_declaration *src);
void assoc_declaration_clear(assoc_declaration *d);
/* Takes over d's strings (a complete declaration), replacing a namesake in
 * place; false only when out of memory (d then still owns them). */
bool assoc_registry_put(assoc_registry *r, assoc_declaration *d);
const assoc_callback *assoc_callback_for(const assoc_registry *r, const char *table);
/* A table associations can use: it exists and its key is one String
 * partition key (the id). NULL otherwise. */
store_table *assoc_usable_table(const store_db *db, const char *name);

/* ---- names (declare.c) ---- */

/* English singular of a table name (users → user, categories → category). */
char *assoc_singular(const char *plural);
/* a + suffix, malloc'd; NULL when out of memory. */
char *assoc_suffixed(const char *a, const char *suffix);

/* ---- has_and_belongs_to_many (habtm.c) ---- */

/* target = name, ids_attribute = name + "_ids", inverse_of = the owner
 * table's name, inverse_ids_attribute = inverse_of + "_ids". False only
 * when out of memory. */
bool assoc_habtm_defaults(assoc_declaration *d);
/* The sets' attributes against the tables, and agreement with the habtm on
 * the other side when that one is declared. */
bool assoc_habtm_check(const assoc_registry *r, const assoc_declaration *d, const store_table *owner,
                       const store_table *target, store_error *err);

/* ---- belongs_to (belongs_to.c) ---- */

/* The has_many of owner_table whose children are belongs_to's records, linked
 * by the same foreign key (and, polymorphic, declared with as: its name); NULL if none. */
const assoc_declaration *assoc_has_many_for(const assoc_registry *r, const assoc_declaration *belongs_to,
                                            const char *owner_table);

/* ---- through (through.c) ---- */

/* Finds the through has_many and the source association, and fills in
 * source and target from them; refuses (with *err) what leads nowhere. */
bool assoc_through_defaults(const assoc_registry *r, assoc_declaration *d, store_error *err);

/* ---- scopes (scope.c): where, order, and a polymorphic owner's type ---- */

/* Whether every attribute of where (an M value, or NULL) is in item with an equal value. */
bool assoc_where_matches(const store_value *item, const store_value *where);
/* Whether a child in d's set is one d reads: it matches d's where and, for a
 * polymorphic has_many, its foreign type names d's table. */
bool assoc_visible(const assoc_declaration *d, const store_value *child);
/* Whether a polymorphic child's type names d's table (always, for any other d). */
bool assoc_of_owner_type(const assoc_declaration *d, const store_value *child);
/* Whether d reads less than its whole set. */
bool assoc_scoped(const assoc_declaration *d);
/* What d's counter cache holds for set: its size, or under a where the
 * children that exist and match it (child looks each one up). */
typedef const store_value *assoc_child_lookup(const void *ctx, const store_value *id);
size_t assoc_counted(const assoc_declaration *d, const store_value *set, assoc_child_lookup *child, const void *ctx);
/* Orders items by d's order (by id when it has none, or on ties). */
void assoc_order_items(const assoc_declaration *d, const store_table *target, store_value **items, size_t n);
/* item with d's where attributes (what a built child gets from the scope). NULL when out of memory. */
store_value *assoc_with_scope(const assoc_declaration *d, store_value *item);

/* ---- values and items (items.c) ---- */

store_value *assoc_string(const char *s);
/* The id (an S value) of a record: its partition key. */
const store_value *assoc_item_id(const store_table *t, const store_value *item);
/* A copy of item with attribute name set to value (taken over), or removed
 * when value is NULL. NULL only when out of memory. */
store_value *assoc_item_with(const store_value *item, const char *name, store_value *value);
/* The attribute of an item as an S value, NULL if absent or of another type. */
const store_value *assoc_string_attr(const store_value *item, const char *name);
bool assoc_set_contains(const store_value *set, const store_value *id);
/* Whether a sorted array of S values holds id. O(log n). */
bool assoc_sorted_contains(store_value *const *sorted, size_t n, const store_value *id);
/* set ∪ add ∖ remove into *out (NULL when empty: an empty set is never
 * stored). set may be NULL. False only when out of memory. */
bool assoc_set_edit(const store_value *set, store_value *const *add, size_t n_add,
                    store_value *const *remove, size_t n_remove, store_value **out);
/* ids as malloc'd C strings, for a result. */
bool assoc_result_set_ids(assoc_result *out, const store_value *set);
void assoc_records_free(assoc_record *records, size_t n);

/* ---- the staged change set (txn.c) ---- */

typedef struct assoc_change {
    UT_hash_handle hh;
    store_table *table;
    store_value *id;            /* S */
    store_value *after;         /* NULL: the record is gone */
    size_t key_len;
    char key[];                 /* the table pointer, then the id's bytes */
} assoc_change;

/* A record the operation destroyed or deleted, as it was. */
typedef struct assoc_gone {
    store_table *table;
    store_value *item;
} assoc_gone;

/* How deep `dependent: destroy` may cascade (a chain of records each owning
 * the next): each level is a stack frame, so deeper chains are refused. */
#define ASSOC_MAX_CASCADE_DEPTH 10000

typedef struct assoc_txn {
    assoc_registry *registry;
    store_db *db;
    unsigned cascade_depth;     /* assoc_destroy_in frames now open */
    assoc_change *changes;      /* in the order first staged */
    assoc_gone *destroyed, *deleted;
    size_t n_destroyed, n_deleted, cap_destroyed, cap_deleted;
    store_error *err;
} assoc_txn;

void assoc_txn_init(assoc_txn *t, assoc_registry *r, store_db *db, store_error *err);
void assoc_txn_free(assoc_txn *t);
/* The record as the operation sees it: staged, else stored. Borrowed. */
store_value *assoc_txn_get(const assoc_txn *t, store_table *table, const store_value *id);
/* Whether the operation has removed the record. */
bool assoc_txn_removed(const assoc_txn *t, store_table *table, const store_value *id);
/* Stages a new version of a record (item taken over; NULL removes it). */
bool assoc_txn_put(assoc_txn *t, store_table *table, const store_value *id, store_value *item);
bool assoc_txn_note_destroyed(assoc_txn *t, store_table *table, const store_value *item);
bool assoc_txn_note_deleted(assoc_txn *t, store_table *table, const store_value *item);
/* Writes every staged change (all or, when out of memory, none), fills out's
 * destroyed / deleted, then runs the destroy callbacks. */
bool assoc_txn_commit(assoc_txn *t, assoc_result *out);
/* Out of memory: the one failure after which an operation has no better message. */
bool assoc_oom(store_error *err);

/* ---- a resolved collection (resolve.c) ---- */

typedef struct assoc_owner {
    const assoc_declaration *decl;
    store_table *owner_table, *target_table;
    store_value *id;            /* the owner's id, an S value (owned) */
    const store_value *item;    /* the owner as the txn sees it (borrowed) */
    const store_value *set;     /* its ids attribute, NULL when empty */
    const store_value *key;     /* what children store: the id, or the primary_key attribute (NULL if absent) */
    store_value *through_set;   /* a through association: the ids its join records lead to (owned) */
} assoc_owner;

/* Checks the collection (table, has_many, owner record) and reads it
 * through txn. */
bool assoc_resolve(const assoc_collection *c, const assoc_txn *txn, assoc_owner *o, store_error *err);
void assoc_owner_release(assoc_owner *o);
/* The owner id of declaration d (any has_many or habtm), read through txn:
 * what assoc_resolve makes of a collection, for a declaration reached
 * from another (a through association's join has_many). */
bool assoc_owner_of(const assoc_declaration *d, store_db *db, const assoc_txn *txn, const store_value *id,
                    assoc_owner *o, store_error *err);
/* The owner a child's foreign key value names through d: by id, or by
 * d's primary_key attribute (a scan of the owner table). Borrowed, or NULL. */
const store_value *assoc_owner_by_key(const assoc_txn *t, const assoc_declaration *d, store_table *owner_table,
                                      const store_value *key);
/* What children of owner store through d: its id or its primary_key attribute. */
const store_value *assoc_owner_key(const assoc_declaration *d, const store_value *id, const store_value *owner);
/* The ids d reads of the owner: its set, less the children its scope leaves
 * out (those that do not exist, when it has a scope). A new reference or NULL. */
bool assoc_visible_ids(const assoc_txn *t, const assoc_owner *o, store_value **out, store_error *err);
/* out's ids: the ones d reads of the owner (after a write: what it holds now). */
bool assoc_result_visible_ids(assoc_result *out, const assoc_txn *t, const assoc_owner *o);
/* Re-reads o->item and o->set after staged writes. */
void assoc_owner_refresh(assoc_owner *o, const assoc_txn *txn);
/* The owner's ids attribute as a set, NULL if absent; false (with *err) when
 * it holds something other than a String Set. */
bool assoc_owner_set(const assoc_declaration *d, const store_value *owner, const store_value **set,
                     store_error *err);
/* Stages the owner with a new set (NULL: none) and its counter cache. */
bool assoc_stage_owner_set(assoc_txn *t, const assoc_declaration *d, store_table *owner_table,
                           const store_value *owner, store_value *set);
/* ids (C strings) as S values, sorted and deduplicated; each must name a
 * record of table unless missing_ok. */
bool assoc_ids_in(store_table *table, const char *const *ids, size_t n, bool missing_ok, const assoc_txn *txn,
                  store_value ***out, size_t *n_out, store_error *err);
void assoc_ids_release(store_value **ids, size_t n);
/* Each must be in the owner's set: an id outside the association is refused. */
bool assoc_ids_members(const assoc_owner *o, store_value *const *ids, size_t n, store_error *err);

/* ---- links (link.c), removals (remove.c), destruction (destroy.c) ---- */

/* Links each child (which must exist) to o's owner: adds them to its set,
 * sets their foreign keys, takes them out of a previous owner's set. */
bool assoc_link_children(assoc_txn *t, assoc_owner *o, store_value *const *ids, size_t n);

/* An operation on existing children by id (add, replace): resolves the owner,
 * checks the ids, runs body in one txn, commits, answers the owner's ids. */
typedef bool (*assoc_ids_body)(assoc_txn *t, assoc_owner *o, store_value *const *ids, size_t n);
bool assoc_with_existing_ids(const assoc_collection *c, const char *const *ids, size_t n, assoc_ids_body body,
                             assoc_result *out, store_error *err);
/* Takes a child out of the set of the owner its foreign key names through d,
 * if that owner still stands and holds it. */
bool assoc_unlink_from_owner(assoc_txn *t, const assoc_declaration *d, const store_value *child_id,
                             const store_value *child);
/* Clears a child's foreign key (and a polymorphic child's type) if it names
 * the owner whose key is owner_key; for a habtm, takes the owner's id out of
 * the child's inverse set. */
bool assoc_clear_foreign_key(assoc_txn *t, const assoc_declaration *d, store_table *child_table,
                             const store_value *child_id, const store_value *owner_key);
/* Puts id into (add) or takes it out of the String Set attr of one record,
 * if that record stands; staged, with the item size checked. */
bool assoc_record_set_edit(assoc_txn *t, store_table *table, const store_value *record_id, const char *attr,
                           const store_value *id, bool add);

/* habtm links (habtm.c): both sets at once. */
bool assoc_habtm_link(assoc_txn *t, assoc_owner *o, store_value *const *ids, size_t n);
/* A habtm record going away: out of every set of d that names it, on either side. */
bool assoc_habtm_forget(assoc_txn *t, const assoc_declaration *d, store_table *table, const store_value *id,
                        const store_value *item);

/* through writes (through.c): join records made and removed. */
bool assoc_through_link(assoc_txn *t, assoc_owner *o, store_value *const *ids, size_t n);
/* Reads the ids a through association's join records lead to into o->through_set. */
bool assoc_through_read(const assoc_txn *t, assoc_owner *o, store_error *err);

typedef enum assoc_removal { ASSOC_UNLINK, ASSOC_DELETE, ASSOC_DESTROY } assoc_removal;
/* How `delete`, `clear` and `replace` remove children under a dependent option. */
assoc_removal assoc_removal_for(assoc_dependent d);
/* Takes ids out of o's set, then unlinks, deletes or destroys each child. */
bool assoc_remove_children(assoc_txn *t, assoc_owner *o, store_value *const *ids, size_t n, assoc_removal how);
/* A through association's removal: the join records leading to ids go (how
 * says how; ASSOC_UNLINK unlinks the join records from the owner). */
bool assoc_through_remove(assoc_txn *t, assoc_owner *o, store_value *const *ids, size_t n, assoc_removal how);

/* Destroy: the record's has_many children by their dependent option (refused
 * while a restrict_* association has children), then the record itself,
 * unlinked from its owners; callbacks will run. Delete: the record alone,
 * unlinked from its owners. Both skip a record already gone. */
bool assoc_destroy_in(assoc_txn *t, store_table *table, const store_value *id);
bool assoc_delete_in(assoc_txn *t, store_table *table, const store_value *id);

#endif
