/* emulator/request_arena.c — a request's JSON in one stack buffer (see the header). */
#include "emulator/request_arena.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

/* The arena of the innermost emu_call on this thread, and whether its parse is
 * running: only the parse allocates from it. */
static __thread emu_request_arena *current;
static __thread bool parsing;

static bool in_arena(const emu_request_arena *a, const void *p)
{
    uintptr_t at = (uintptr_t)p, base = (uintptr_t)a->bytes;
    return at >= base && at < base + sizeof a->bytes;
}

static void *arena_malloc(size_t n)
{
    emu_request_arena *a = current;
    size_t rounded = (n + 15) & ~(size_t)15;   /* keeps every piece max_align_t-aligned */
    if (parsing && a && rounded >= n && rounded <= sizeof a->bytes - a->used) {
        void *p = a->bytes + a->used;
        a->used += rounded;
        return p;
    }
    return malloc(n);
}

/* Arena pieces are freed with the arena. The chain is searched whole: it
 * does not rely on a nested call retiring before its outer one frees. */
static void arena_free(void *p)
{
    for (const emu_request_arena *a = current; a; a = a->outer)
        if (in_arena(a, p)) return;
    free(p);
}

static bool installed;

void emu_request_arena_install(void)
{
    if (installed) return;
    cJSON_Hooks hooks = {arena_malloc, arena_free};
    cJSON_InitHooks(&hooks);
    installed = true;
}

cJSON *emu_request_arena_parse(emu_request_arena *a, const char *text, size_t len)
{
    a->used = 0;
    a->outer = current;
    current = a;
    parsing = installed;
    cJSON *doc = cJSON_ParseWithLength(text, len);
    parsing = false;
    return doc;
}

bool emu_request_arena_scratch(bool on)
{
    bool was = parsing;
    parsing = on && installed && current;
    return was;
}

void emu_request_arena_end(emu_request_arena *a, cJSON *doc)
{
    cJSON_Delete(doc);
    current = a->outer;
}
