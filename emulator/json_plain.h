/* emulator/json_plain.h — one pass over the JSON most request bodies are.
 *
 * A body as the SDKs write it has no escapes in its strings, numbers as JSON
 * spells them and nothing after its value. Such a text is read here in one
 * pass, each string found with memchr and copied once; cJSON's own parser
 * walks each string twice and copies it byte by byte. Anything else (an
 * escape, a byte-order mark, a number spelt otherwise, nesting deeper than
 * EMU_JSON_PLAIN_DEPTH_MAX, text after the value) is declined, and left to
 * cJSON_ParseWithLength. Where both read a text, their trees are the same
 * (tests/unit/test_json.c holds them to it): the nodes, in order, with the
 * same types, names, strings and numbers. Nodes come from cJSON_malloc, so
 * cJSON_Delete frees them as it frees its own. */
#ifndef EMU_JSON_PLAIN_H
#define EMU_JSON_PLAIN_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

/* Deeper documents are left to cJSON, whose own limit is 1,000 levels. */
#define EMU_JSON_PLAIN_DEPTH_MAX 64
/* Longest number read here: cJSON reads at most 63 characters of one. */
#define EMU_JSON_PLAIN_NUMBER_MAX 63

/* The document, or NULL with *declined true when text is not plain JSON
 * (or memory ran out) and cJSON must read it. */
cJSON *emu_json_parse_plain(const char *text, size_t len, bool *declined);

#endif
