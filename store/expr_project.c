/* store/expr_project.c — ProjectionExpression: parsing a list of document
 * paths and cutting an item down to them.
 *
 * The paths are merged into a tree (a step a level), so applying a
 * projection walks the item once whatever the number of paths. Nested paths
 * keep their enclosing maps and lists, and list elements keep their order
 * but not their positions: "l[2], l[0]" of [a, b, c] gives [a, c], as
 * DynamoDB answers. */
#include "store/expr_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct proj_node {
    expr_step step;             /* the step leading here; name borrowed from a path */
    bool leaf;                  /* the whole value here is projected */
    struct proj_node *kids;
    size_t nkids;
} proj_node;

struct store_projection {
    expr_path *paths;
    size_t count;
    proj_node root;
};

static void tree_free(proj_node *n)
{
    for (size_t i = 0; i < n->nkids; i++) tree_free(&n->kids[i]);
    free(n->kids);
}

void store_projection_free(store_projection *p)
{
    if (!p) return;
    tree_free(&p->root);
    for (size_t i = 0; i < p->count; i++) expr_path_clear(&p->paths[i]);
    free(p->paths);
    free(p);
}

static bool same_step(const expr_step *a, const expr_step *b)
{
    if (!a->name != !b->name) return false;
    return a->name ? store_value_equal(a->name, b->name) : a->index == b->index;
}

static proj_node *child(proj_node *n, const expr_step *s)
{
    for (size_t i = 0; i < n->nkids; i++)
        if (same_step(&n->kids[i].step, s)) return &n->kids[i];
    proj_node *grown = realloc(n->kids, (n->nkids + 1) * sizeof *grown);
    if (!grown) return NULL;
    n->kids = grown;
    proj_node *k = &n->kids[n->nkids++];
    memset(k, 0, sizeof *k);
    k->step = *s;
    return k;
}

static int by_index(const void *a, const void *b)
{
    uint32_t x = ((const proj_node *)a)->step.index, y = ((const proj_node *)b)->step.index;
    return (x > y) - (x < y);
}

/* Index children in ascending order, so a list keeps its elements' order. */
static void sort_tree(proj_node *n)
{
    if (n->nkids && !n->kids[0].step.name) qsort(n->kids, n->nkids, sizeof *n->kids, by_index);
    for (size_t i = 0; i < n->nkids; i++) sort_tree(&n->kids[i]);
}

static bool build_tree(store_projection *p)
{
    for (size_t i = 0; i < p->count; i++) {
        proj_node *n = &p->root;
        for (uint32_t s = 0; n && s < p->paths[i].count; s++) n = child(n, &p->paths[i].steps[s]);
        if (!n) return false;
        n->leaf = true;
    }
    sort_tree(&p->root);
    return true;
}

static bool add_path(expr_parser *ps, store_projection *p, size_t *cap)
{
    if (p->count == *cap) {
        size_t n = *cap ? *cap * 2 : 4;
        expr_path *grown = realloc(p->paths, n * sizeof *grown);
        if (!grown) return expr_out_of_memory(ps);
        p->paths = grown;
        *cap = n;
    }
    if (!expr_parse_path(ps, &p->paths[p->count])) return false;
    p->count++;
    return true;
}

static bool parse_paths(expr_parser *ps, store_projection *p)
{
    size_t cap = 0;
    do {
        if (!add_path(ps, p, &cap)) return false;
    } while (expr_accept(ps, TOK_COMMA));
    return expr_peek(ps)->kind == TOK_EOF || expr_syntax_error(ps);
}

store_projection *store_projection_parse(const char *text, store_expr_env *env, store_error *err)
{
    expr_parser ps;
    if (!expr_parser_init(&ps, "ProjectionExpression", GRAMMAR_PROJECTION, text, env, err)) return NULL;
    store_projection *p = calloc(1, sizeof *p);
    bool ok = p != NULL ? parse_paths(&ps, p) : expr_out_of_memory(&ps);
    if (ok) expr_check_paths(&ps, p->paths, p->count);
    ok = ok && expr_parser_finish(&ps);
    if (ok && !build_tree(p)) ok = store_fail(err, STORE_ERR_INTERNAL, "out of memory");
    expr_parser_done(&ps);
    if (!ok) { store_projection_free(p); return NULL; }
    return p;
}

static bool copy_path(expr_path *to, const expr_path *from)
{
    to->count = 0;
    to->steps = malloc((from->count ? from->count : 1) * sizeof *to->steps);
    if (!to->steps) return false;
    for (uint32_t i = 0; i < from->count; i++) {
        to->steps[i] = from->steps[i];
        store_retain(to->steps[i].name);
    }
    to->count = from->count;
    return true;
}

store_projection *expr_projection_of(const expr_path *paths, size_t n)
{
    store_projection *p = calloc(1, sizeof *p);
    if (p) p->paths = calloc(n ? n : 1, sizeof *p->paths);
    bool ok = p && p->paths;
    for (size_t i = 0; ok && i < n; i++, p->count++) ok = copy_path(&p->paths[i], &paths[i]);
    if (ok && build_tree(p)) return p;
    store_projection_free(p);
    return NULL;
}

size_t store_projection_count(const store_projection *p) { return p->count; }

const store_value *store_projection_top_name(const store_projection *p, size_t i) { return p->paths[i].steps[0].name; }

store_projection *store_projection_of_names(store_value *const *names, size_t n)
{
    expr_step *steps = calloc(n ? n : 1, sizeof *steps);
    expr_path *paths = calloc(n ? n : 1, sizeof *paths);
    store_projection *p = NULL;
    if (steps && paths) {
        for (size_t i = 0; i < n; i++) {
            steps[i] = (expr_step){names[i], 0};
            paths[i] = (expr_path){&steps[i], 1};
        }
        p = expr_projection_of(paths, n); /* copies the paths, retaining the names */
    }
    free(steps);
    free(paths);
    return p;
}

/* *oom is set when a part that was kept could not be made: NULL then does
 * not mean "nothing projected". */
static store_value *project(const proj_node *n, const store_value *v, bool *oom);

static store_value *project_map(const proj_node *n, const store_value *m, bool *oom)
{
    store_entry entries[n->nkids ? n->nkids : 1];
    size_t count = 0;
    for (size_t i = 0; i < n->nkids; i++) {
        const expr_step *s = &n->kids[i].step;
        const store_value *v = s->name ? store_map_get(m, store_bytes(s->name), s->name->len) : NULL;
        store_value *kept = v ? project(&n->kids[i], v, oom) : NULL;
        if (!kept) continue;
        entries[count].name = store_retain(s->name);
        entries[count++].value = kept;
    }
    store_value *made = count ? store_value_map(entries, count) : NULL;
    if (count && !made) *oom = true;
    return made;
}

static store_value *project_list(const proj_node *n, const store_value *l, bool *oom)
{
    store_value *elems[n->nkids ? n->nkids : 1];
    size_t count = 0;
    for (size_t i = 0; i < n->nkids; i++) {
        const expr_step *s = &n->kids[i].step;
        store_value *kept = !s->name && s->index < l->len ? project(&n->kids[i], store_elems(l)[s->index], oom) : NULL;
        if (kept) elems[count++] = kept;
    }
    store_value *made = count ? store_value_list(elems, count) : NULL;
    if (count && !made) *oom = true;
    return made;
}

/* The projected part of v, NULL when nothing of it is projected (or *oom). */
static store_value *project(const proj_node *n, const store_value *v, bool *oom)
{
    if (n->leaf) return store_retain((store_value *)v);
    if (v->type == STORE_M) return project_map(n, v, oom);
    if (v->type == STORE_L) return project_list(n, v, oom);
    return NULL;
}

store_value *store_projection_apply(const store_projection *p, const store_value *item)
{
    bool oom = false;
    store_value *kept = item ? project(&p->root, item, &oom) : NULL;
    store_entry none[1];
    if (oom) {
        store_release(kept);
        return NULL;
    }
    return kept ? kept : store_value_map(none, 0);
}
