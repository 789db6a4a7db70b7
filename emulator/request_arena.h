/* emulator/request_arena.h — where a request's parsed JSON lives.
 *
 * cJSON allocates every node, name and string of a document with its own
 * malloc, and a small request is some twenty of them, which costs more than
 * the parse itself. With the arena installed, a request is parsed into a
 * buffer on the stack of emu_call instead, and the whole of it goes at once
 * when the call ends.
 *
 * cJSON has one pair of allocation hooks for the whole process, so installing
 * is the program's choice, made once before any thread uses cJSON: the server
 * does it in main(); a linked program may through dynemu_parse_in_place().
 * The hooks send everything else (documents parsed elsewhere, answers being
 * built, a request that outgrows its buffer) to malloc and free. Until they
 * are installed, requests are parsed with malloc as usual. */
#ifndef EMU_REQUEST_ARENA_H
#define EMU_REQUEST_ARENA_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

/* Enough for the nodes of a request of a few dozen attributes. */
#define EMU_REQUEST_ARENA_BYTES (16 * 1024)

typedef struct emu_request_arena {
    size_t used;
    struct emu_request_arena *outer;  /* the arena of an emu_call this one is nested in */
    _Alignas(max_align_t) char bytes[EMU_REQUEST_ARENA_BYTES];
} emu_request_arena;

/* Installs cJSON's hooks (once; later calls do nothing). Not thread-safe
 * against other threads using cJSON at the same moment. */
void emu_request_arena_install(void);

/* Parses text with its nodes in a (on the caller's stack); NULL when it is
 * not JSON. The document must be passed to emu_request_arena_end, and no part
 * of it may outlive that call. */
cJSON *emu_request_arena_parse(emu_request_arena *a, const char *text, size_t len);
/* While on, cJSON's allocations on this thread also come from the innermost
 * call's arena (until it is full): for JSON dynemu builds that dies before
 * its call ends (a request compiled from PartiQL). Returns the state before. */
bool emu_request_arena_scratch(bool on);
/* Deletes the document (pieces that went to malloc are freed) and retires a. */
void emu_request_arena_end(emu_request_arena *a, cJSON *doc);

#endif
