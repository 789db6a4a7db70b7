/* emulator/control.h — the control API of CONTRACT.md, under /_dynemu/:
 * reset, fixtures (load and dump), snapshots, the clock, and the association
 * layer's JSON entry points. HTTP-free: the server and linked C tests
 * (dynemu_control) both come through emu_control. */
#ifndef EMU_CONTROL_H
#define EMU_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emulator/database.h"

#define EMU_CONTROL_PREFIX "/_dynemu/"
/* The longest control path with its query ("?since=..."). */
#define EMU_CONTROL_PATH_MAX 1024

/* True for a path the control API answers (it starts with the prefix). */
bool emu_control_path(const char *path);

/* Runs one control request on d. Returns the HTTP status; *answer is a
 * malloc'd JSON body: the answer, or {"__type": ..., "message": ...} with a
 * 4xx status, in which case nothing changed. */
int emu_control(emu_database *d, const char *method, const char *path, const char *body, size_t len,
                char **answer, size_t *answer_len);

/* RFC 3339 ⇄ milliseconds since the epoch ("2026-01-01T00:00:00Z"; a
 * fraction and a numeric offset are read; ".123" is written only when the
 * milliseconds are not zero). */
bool emu_parse_rfc3339(const char *text, int64_t *epoch_ms);
void emu_format_rfc3339(int64_t epoch_ms, char out[40]);

#endif
