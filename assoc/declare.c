/* assoc/declare.c — declaring associations: the defaults (target, foreign
 * key from the owner table's singular or the inverse_of, ids attribute,
 * a polymorphic child's <as>_id / <as>_type, a polymorphic belongs_to's
 * <name>_id / <name>_type) and every check against the
 * database's tables (they exist, are keyed by one String id, and the
 * attributes the association uses fit their defined types), a has_many and
 * its inverse_of agreeing, inverse_of naming a declaration once the other
 * table has any, the options each kind takes, and batches
 * declared whole or not at all. has_and_belongs_to_many's own defaults and
 * checks are in habtm.c, a through association's in through.c. */
#include "assoc/internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- defaults ---- */

static bool ends_with(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* English singular of a table name, as the ORMs' inflectors make it for
 * ordinary plurals: categories → category, addresses → address, boxes → box,
 * matches → match, wishes → wish, statuses → status, users → user,
 * houses → house; a word not ending in s is left as it is. */
char *assoc_singular(const char *plural)
{
    size_t n = strlen(plural), drop = 0;
    const char *add = "";
    if (ends_with(plural, n, "ies") && n > 3) drop = 3, add = "y";
    else if (ends_with(plural, n, "sses") || ends_with(plural, n, "xes") || ends_with(plural, n, "ches") ||
             ends_with(plural, n, "shes") || ends_with(plural, n, "zzes") || ends_with(plural, n, "statuses") ||
             ends_with(plural, n, "buses") || ends_with(plural, n, "aliases"))
        drop = 2;
    else if (ends_with(plural, n, "ss") || ends_with(plural, n, "us") || ends_with(plural, n, "is")) drop = 0;
    else if (ends_with(plural, n, "s") && n > 1) drop = 1;
    char *s = malloc(n - drop + strlen(add) + 1);
    if (s) {
        memcpy(s, plural, n - drop);
        strcpy(s + n - drop, add);
    }
    return s;
}

/* The plural a belongs_to's name stands for: user → users, category →
 * categories, box → boxes. */
static char *plural(const char *word)
{
    size_t n = strlen(word);
    bool consonant_y = n > 1 && word[n - 1] == 'y' && !strchr("aeiou", word[n - 2]);
    bool es = ends_with(word, n, "s") || ends_with(word, n, "x") || ends_with(word, n, "z") ||
              ends_with(word, n, "ch") || ends_with(word, n, "sh");
    char *p = malloc(n + 4);
    if (!p) return NULL;
    memcpy(p, word, n);
    strcpy(p + n - consonant_y, consonant_y ? "ies" : es ? "es" : "s");
    return p;
}

char *assoc_suffixed(const char *a, const char *suffix)
{
    size_t n = strlen(a), k = strlen(suffix);
    char *s = malloc(n + k + 1);
    if (s) {
        memcpy(s, a, n);
        memcpy(s + n, suffix, k + 1);
    }
    return s;
}

static char *default_target(const store_db *db, const assoc_declaration *d)
{
    if (d->kind != ASSOC_BELONGS_TO || store_db_table(db, d->name)) return strdup(d->name);
    return plural(d->name);
}

/* The belongs_to a has_many names as inverse_of: declared already, or
 * (defaults not yet filled in) later in the same batch. */
static const assoc_declaration *find_inverse(const assoc_registry *r, const assoc_declaration *d,
                                             const assoc_declaration *batch, size_t n)
{
    const assoc_declaration *inverse = assoc_lookup(r, d->target, d->inverse_of);
    for (size_t i = 0; i < n && !inverse; i++)
        if (batch[i].kind == ASSOC_BELONGS_TO && batch[i].table && batch[i].name &&
            strcmp(batch[i].table, d->target) == 0 && strcmp(batch[i].name, d->inverse_of) == 0)
            inverse = &batch[i];
    return inverse;
}

/* A has_many with inverse_of takes its foreign key from that belongs_to, as
 * ActiveRecord derives it; otherwise from the owner table's name. */
static char *default_foreign_key(const assoc_registry *r, const assoc_declaration *d,
                                 const assoc_declaration *batch, size_t n)
{
    if (d->kind == ASSOC_BELONGS_TO) return assoc_suffixed(d->name, "_id");
    if (d->as) return assoc_suffixed(d->as, "_id");
    const assoc_declaration *inverse = d->inverse_of ? find_inverse(r, d, batch, n) : NULL;
    if (inverse && inverse->kind == ASSOC_BELONGS_TO)
        return inverse->foreign_key ? strdup(inverse->foreign_key) : assoc_suffixed(inverse->name, "_id");
    char *one = assoc_singular(d->table);
    char *fk = one ? assoc_suffixed(one, "_id") : NULL;
    free(one);
    return fk;
}

/* A has_many's defaults; a through association takes its own (through.c). */
static bool has_many_defaults(const assoc_registry *r, const store_db *db, const assoc_declaration *batch, size_t n,
                              assoc_declaration *d)
{
    if (!d->target && !(d->target = default_target(db, d))) return false;
    if (!d->foreign_key && !(d->foreign_key = default_foreign_key(r, d, batch, n))) return false;
    if (d->as && !d->foreign_type && !(d->foreign_type = assoc_suffixed(d->as, "_type"))) return false;
    return d->ids_attribute || (d->ids_attribute = assoc_suffixed(d->name, "_ids"));
}

/* Fills in the defaults into a copy that owns every string. False when out
 * of memory, or with *err set when a through association leads nowhere. */
static bool with_defaults(const assoc_registry *r, const store_db *db, const assoc_declaration *src,
                          const assoc_declaration *batch, size_t n, assoc_declaration *d, store_error *err)
{
    if (!assoc_declaration_copy(d, src)) return assoc_oom(err);
    bool ok = true;
    if (d->kind == ASSOC_HABTM) ok = assoc_habtm_defaults(d) || assoc_oom(err);
    else if (d->kind == ASSOC_HAS_MANY && d->through) ok = assoc_through_defaults(r, d, err);
    else if (d->kind == ASSOC_HAS_MANY) ok = has_many_defaults(r, db, batch, n, d) || assoc_oom(err);
    else ok = ((d->polymorphic || d->target || (d->target = default_target(db, d))) &&
               (d->foreign_key || (d->foreign_key = default_foreign_key(r, d, batch, n))) &&
               (!d->polymorphic || d->foreign_type || (d->foreign_type = assoc_suffixed(d->name, "_type")))) ||
              assoc_oom(err);
    if (!ok) assoc_declaration_clear(d);
    return ok;
}

/* ---- checks ---- */

static bool check_table(const store_db *db, const char *name, const assoc_declaration *d, store_error *err)
{
    store_table *t = store_db_table(db, name);
    if (!t)
        return store_fail(err, STORE_ERR_VALIDATION, "Cannot declare association %s of %s: table %s does not exist",
                          d->name, d->table, name);
    if (t->key.pk_type != STORE_S)
        return store_fail(err, STORE_ERR_VALIDATION,
                          "Cannot declare association %s of %s: table %s has a partition key of type %s; "
                          "associations need a String (S) partition key, whose value is the id",
                          d->name, d->table, name, store_type_name(t->key.pk_type));
    if (t->key.names.sk_name)
        return store_fail(err, STORE_ERR_VALIDATION,
                          "Cannot declare association %s of %s: table %s has a sort key; associations need a "
                          "table keyed by its String partition key alone",
                          d->name, d->table, name);
    return true;
}

static bool is_key_name(const store_table *t, const char *attr)
{
    return strcmp(store_bytes(t->key.names.pk_name), attr) == 0;
}

/* An attribute named in a table's AttributeDefinitions (a key of the table
 * or of an index) has a declared type the association must agree with. */
static bool check_attr_type(const store_table *t, const char *attr, store_type want, const char *what,
                            store_error *err)
{
    store_value *name = store_name(attr, strlen(attr));
    int type = name ? store_table_attr_type(t, name) : -1;
    store_release(name);
    if (type < 0 || type == (int)want) return true;
    return store_fail(err, STORE_ERR_VALIDATION,
                      "Attribute %s of table %s is defined as %s but the association's %s is %s", attr, t->name,
                      store_type_name((store_type)type), what, want == STORE_SS ? "a String Set" : store_type_name(want));
}

static bool check_names(const assoc_declaration *d, store_error *err)
{
    if (!d->table || !*d->table) return store_fail(err, STORE_ERR_VALIDATION, "An association needs a table");
    if (!d->name || !*d->name) return store_fail(err, STORE_ERR_VALIDATION, "An association needs a name");
    const char *given[] = {d->target,  d->foreign_key, d->ids_attribute, d->inverse_of,   d->counter_cache,
                           d->through, d->source,      d->as,            d->foreign_type, d->primary_key,
                           d->order_by};
    for (size_t i = 0; i < sizeof given / sizeof *given; i++)
        if (given[i] && !*given[i])
            return store_fail(err, STORE_ERR_VALIDATION, "Association %s of %s: an option is an empty string",
                              d->name, d->table);
    if ((unsigned)d->dependent > ASSOC_DEPENDENT_DESTROY_ASYNC || (unsigned)d->kind > ASSOC_HABTM)
        return store_fail(err, STORE_ERR_VALIDATION, "Association %s of %s: unknown kind or dependent option", d->name,
                          d->table);
    return true;
}

static bool check_belongs_to_options(const assoc_declaration *d, store_error *err)
{
    if (d->ids_attribute || d->counter_cache || d->dependent != ASSOC_DEPENDENT_NONE)
        return store_fail(err, STORE_ERR_VALIDATION,
                          "belongs_to %s of %s: ids_attribute, dependent and counter_cache are options of the "
                          "has_many on the other side",
                          d->name, d->table);
    if (d->through || d->source || d->as || (d->foreign_type && !d->polymorphic) || d->primary_key || d->where ||
        d->order_by)
        return store_fail(err, STORE_ERR_VALIDATION,
                          "belongs_to %s of %s takes none of through, source, as, foreign_type (but when polymorphic), "
                          "primary_key, where or order: they are options of the has_many on the other side",
                          d->name, d->table);
    if (d->polymorphic && d->target)
        return store_fail(err, STORE_ERR_VALIDATION,
                          "belongs_to %s of %s is polymorphic: each record names its owner's table in its foreign "
                          "type, so it takes no target or class_name",
                          d->name, d->table);
    return true;
}

/* Which options each kind leaves to the others. */
static bool check_kind_options(const assoc_declaration *d, store_error *err)
{
    if (d->kind == ASSOC_BELONGS_TO) return check_belongs_to_options(d, err);
    if (d->polymorphic)
        return store_fail(err, STORE_ERR_VALIDATION,
                          "%s %s of %s: polymorphic is an option of belongs_to (its has_many declares as)",
                          assoc_kind_name(d->kind), d->name, d->table);
    if (d->kind == ASSOC_HABTM && (d->foreign_key || d->counter_cache || d->through || d->source || d->as ||
                                   d->foreign_type || d->primary_key))
        return store_fail(err, STORE_ERR_VALIDATION,
                          "has_and_belongs_to_many %s of %s keeps a String Set on each side: foreign_key, "
                          "counter_cache, through, source, as, foreign_type and primary_key do not apply",
                          d->name, d->table);
    if (d->kind == ASSOC_HAS_MANY && d->through &&
        (d->foreign_key || d->ids_attribute || d->counter_cache || d->as || d->primary_key || d->inverse_of))
        return store_fail(err, STORE_ERR_VALIDATION,
                          "has_many %s of %s goes through %s: its links are the join records, so foreign_key, "
                          "ids_attribute, counter_cache, as, primary_key and inverse_of do not apply",
                          d->name, d->table, d->through);
    if (d->kind == ASSOC_HAS_MANY && !d->through && d->source)
        return store_fail(err, STORE_ERR_VALIDATION, "has_many %s of %s: source needs through", d->name, d->table);
    if (!d->as && d->foreign_type)
        return store_fail(err, STORE_ERR_VALIDATION, "has_many %s of %s: foreign_type needs as (a polymorphic has_many)",
                          d->name, d->table);
    if (d->where && d->where->type != STORE_M)
        return store_fail(err, STORE_ERR_VALIDATION, "Association %s of %s: where must be a map of attributes to values",
                          d->name, d->table);
    return true;
}

static bool check_has_many_attrs(const assoc_declaration *d, const store_table *owner, const store_table *target,
                                 store_error *err)
{
    if (is_key_name(target, d->foreign_key))
        return store_fail(err, STORE_ERR_VALIDATION, "has_many %s of %s: foreign key %s is the key of table %s",
                          d->name, d->table, d->foreign_key, target->name);
    if (is_key_name(owner, d->ids_attribute))
        return store_fail(err, STORE_ERR_VALIDATION, "has_many %s of %s: ids attribute %s is the key of table %s",
                          d->name, d->table, d->ids_attribute, owner->name);
    if (owner == target && strcmp(d->ids_attribute, d->foreign_key) == 0)
        return store_fail(err, STORE_ERR_VALIDATION,
                          "has_many %s of %s: ids attribute and foreign key are both %s in one table", d->name,
                          d->table, d->foreign_key);
    if (d->counter_cache && (is_key_name(owner, d->counter_cache) || strcmp(d->counter_cache, d->ids_attribute) == 0 ||
                             (owner == target && strcmp(d->counter_cache, d->foreign_key) == 0)))
        return store_fail(err, STORE_ERR_VALIDATION,
                          "has_many %s of %s: counter cache %s names an attribute the association already uses",
                          d->name, d->table, d->counter_cache);
    if (d->as && (is_key_name(target, d->foreign_type) || strcmp(d->foreign_type, d->foreign_key) == 0))
        return store_fail(err, STORE_ERR_VALIDATION,
                          "has_many %s of %s: foreign type %s names the key of table %s or the foreign key", d->name,
                          d->table, d->foreign_type, target->name);
    return check_attr_type(target, d->foreign_key, STORE_S, "foreign key", err) &&
           check_attr_type(owner, d->ids_attribute, STORE_SS, "ids attribute", err) &&
           (!d->counter_cache || check_attr_type(owner, d->counter_cache, STORE_N, "counter cache", err)) &&
           (!d->as || check_attr_type(target, d->foreign_type, STORE_S, "foreign type", err)) &&
           (!d->primary_key || check_attr_type(owner, d->primary_key, STORE_S, "primary key", err));
}

/* A polymorphic belongs_to pairs with a has_many declared as: its name,
 * keeping the owner's table where the belongs_to reads it. */
static bool check_polymorphic_pair(const assoc_declaration *many, const assoc_declaration *one, store_error *err)
{
    if (!many->as || strcmp(many->as, one->name) != 0)
        return store_fail(err, STORE_ERR_VALIDATION,
                          "has_many %s of %s: %s of %s is a polymorphic belongs_to; the has_many pairs with it "
                          "declared with as: %s",
                          many->name, many->table, one->name, one->table, one->name);
    if (strcmp(many->foreign_type, one->foreign_type) != 0)
        return store_fail(err, STORE_ERR_VALIDATION,
                          "has_many %s of %s keeps the owner's table in %s but belongs_to %s of %s reads it from %s",
                          many->name, many->table, many->foreign_type, one->name, one->table, one->foreign_type);
    return true;
}

/* A has_many and the belongs_to it names as inverse_of must describe one link. */
static bool check_pair(const assoc_declaration *many, const assoc_declaration *one, store_error *err)
{
    if (one->kind != ASSOC_BELONGS_TO)
        return store_fail(err, STORE_ERR_VALIDATION, "has_many %s of %s: inverse_of %s of %s is not a belongs_to",
                          many->name, many->table, one->name, one->table);
    if (one->polymorphic && !check_polymorphic_pair(many, one, err)) return false;
    if (!one->polymorphic && strcmp(one->target, many->table) != 0)
        return store_fail(err, STORE_ERR_VALIDATION,
                          "has_many %s of %s: inverse_of %s of %s belongs to table %s, not %s", many->name,
                          many->table, one->name, one->table, one->target, many->table);
    if (strcmp(one->foreign_key, many->foreign_key) != 0)
        return store_fail(err, STORE_ERR_VALIDATION,
                          "has_many %s of %s uses foreign key %s but its inverse_of %s of %s uses %s", many->name,
                          many->table, many->foreign_key, one->name, one->table, one->foreign_key);
    return true;
}

/* The belongs_to a has_many pairs with: its inverse_of, or the polymorphic
 * belongs_to its as names. */
static const assoc_declaration *paired_belongs_to(const assoc_registry *r, const assoc_declaration *many)
{
    if (many->inverse_of) return assoc_lookup(r, many->target, many->inverse_of);
    const assoc_declaration *one = many->as ? assoc_lookup(r, many->target, many->as) : NULL;
    return one && one->kind == ASSOC_BELONGS_TO && one->polymorphic ? one : NULL;
}

/* Checks d against the declarations already made (and the ones of its batch). */
static bool check_inverses(const assoc_registry *r, const assoc_declaration *d, store_error *err)
{
    if (d->kind == ASSOC_HAS_MANY) {
        const assoc_declaration *one = paired_belongs_to(r, d);
        if (one && !check_pair(d, one, err)) return false;
    }
    for (size_t i = 0; d->kind == ASSOC_BELONGS_TO && i < r->n; i++) {
        const assoc_declaration *many = &r->decls[i];
        if (many->kind == ASSOC_HAS_MANY && !many->through && strcmp(many->target, d->table) == 0 &&
            (many->inverse_of ? strcmp(many->inverse_of, d->name) == 0
                              : d->polymorphic && many->as && strcmp(many->as, d->name) == 0) &&
            !check_pair(many, d, err))
            return false;
    }
    return true;
}

static bool check_belongs_to_attrs(const assoc_declaration *d, const store_table *child, store_error *err)
{
    if (is_key_name(child, d->foreign_key))
        return store_fail(err, STORE_ERR_VALIDATION, "belongs_to %s of %s: foreign key %s is the key of table %s",
                          d->name, d->table, d->foreign_key, d->table);
    if (d->polymorphic && (is_key_name(child, d->foreign_type) || strcmp(d->foreign_type, d->foreign_key) == 0))
        return store_fail(err, STORE_ERR_VALIDATION,
                          "belongs_to %s of %s: foreign type %s names the key of table %s or the foreign key", d->name,
                          d->table, d->foreign_type, d->table);
    return check_attr_type(child, d->foreign_key, STORE_S, "foreign key", err) &&
           (!d->polymorphic || check_attr_type(child, d->foreign_type, STORE_S, "foreign type", err));
}

static bool check_declaration(const assoc_registry *r, const store_db *db, const assoc_declaration *d,
                              store_error *err)
{
    if (!check_table(db, d->table, d, err) || (!d->polymorphic && !check_table(db, d->target, d, err))) return false;
    const store_table *table = store_db_table(db, d->table), *target = d->target ? store_db_table(db, d->target) : NULL;
    if (d->kind == ASSOC_HABTM) return assoc_habtm_check(r, d, table, target, err) && check_inverses(r, d, err);
    if (d->through) return check_inverses(r, d, err);
    bool attrs_ok = d->kind == ASSOC_BELONGS_TO ? check_belongs_to_attrs(d, table, err)
                                                : check_has_many_attrs(d, table, target, err);
    return attrs_ok && check_inverses(r, d, err);
}

/* inverse_of must name a declaration of the target table. While that table
 * has no declarations of its own the inverse may still come, in a later
 * call; once it has any, the inverse must be among them (or in the same
 * batch). A habtm's inverse_of names its inverse set, which need not be
 * declared, and a polymorphic belongs_to has no one target table. */
static bool check_inverse_named(const assoc_registry *r, const assoc_declaration *d, store_error *err)
{
    if (!d->inverse_of || d->kind == ASSOC_HABTM || d->through || !d->target) return true;
    const assoc_declaration *inverse = assoc_lookup(r, d->target, d->inverse_of);
    if (inverse && d->kind == ASSOC_BELONGS_TO && inverse->kind != ASSOC_HAS_MANY)
        return store_fail(err, STORE_ERR_VALIDATION, "belongs_to %s of %s: inverse_of %s of %s is a %s, not a has_many",
                          d->name, d->table, inverse->name, inverse->table, assoc_kind_name(inverse->kind));
    for (size_t i = 0; !inverse && i < r->n; i++)
        if (strcmp(r->decls[i].table, d->target) == 0)
            return store_fail(err, STORE_ERR_VALIDATION,
                              "%s %s of %s: inverse_of %s names no association of %s, which declares %s; declare the "
                              "inverse in the same batch, or leave inverse_of out",
                              assoc_kind_name(d->kind), d->name, d->table, d->inverse_of, d->target,
                              r->decls[i].name);
    return true;
}

/* ---- declaring ---- */

static bool declare_one(assoc_registry *r, const store_db *db, const assoc_declaration *src,
                        const assoc_declaration *batch, size_t n, store_error *err)
{
    if (!check_names(src, err) || !check_kind_options(src, err)) return false;
    assoc_declaration d;
    if (!with_defaults(r, db, src, batch, n, &d, err)) return false;
    if (!check_declaration(r, db, &d, err)) return assoc_declaration_clear(&d), false;
    if (!assoc_registry_put(r, &d)) return assoc_declaration_clear(&d), assoc_oom(err);
    return true;
}

bool assoc_declare(assoc_registry *r, const store_db *db, const assoc_declaration *d, store_error *err)
{
    return assoc_declare_all(r, db, d, 1, err);
}

/* Declared into a scratch copy first so a refusal leaves r as it was. */
bool assoc_declare_all(assoc_registry *r, const store_db *db, const assoc_declaration *d, size_t n,
                       store_error *err)
{
    assoc_registry *scratch = assoc_registry_clone(r);
    if (!scratch) return assoc_oom(err);
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) ok = declare_one(scratch, db, &d[i], d, n, err);
    for (size_t i = 0; i < scratch->n && ok; i++) ok = check_inverse_named(scratch, &scratch->decls[i], err);
    if (ok) {
        /* Swap contents: r keeps its address (the caller's pointer). */
        assoc_registry old = *r;
        *r = *scratch;
        *scratch = old;
    }
    assoc_registry_free(scratch);
    return ok;
}
