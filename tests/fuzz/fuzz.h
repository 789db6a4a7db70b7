/* tests/fuzz/fuzz.h — what every fuzz target shares. Each target defines
 * LLVMFuzzerTestOneInput; clang's libFuzzer drives it in `make fuzz`, and
 * replay.c drives it over the kept corpus in `make test` (under gcc's ASan
 * and UBSan). A target aborts on a broken promise (a round trip that does
 * not come back the same, an answer that is not DynamoDB's shape), so the
 * fuzzer reports it as it reports a crash. */
#ifndef DYNEMU_FUZZ_H
#define DYNEMU_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Inputs past this are cut: every limit dynemu enforces is far below it. */
#define FUZZ_MAX_INPUT (64 * 1024)

static inline void fuzz_broken(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz: %s\n%s\n", what, detail ? detail : "");
    abort();
}

/* data[0..size) as a NUL-ended string (the APIs take C strings); free it. */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT) size = FUZZ_MAX_INPUT;
    char *s = malloc(size + 1);
    if (!s) abort();
    memcpy(s, data, size);
    s[size] = 0;
    return s;
}

#endif

#include <cjson/cJSON.h>

#include "dynemu.h"

/* The database the whole-API targets start each input from: blog's tables,
 * associations and links (fixtures/examples) and a table with a sort key,
 * both index kinds and a stream (tests/fuzz/seed.json). Reset after each input. */
static inline dynemu_db *fuzz_seeded_db(void)
{
    static dynemu_db *db;
    if (db) return db;
    const char *paths[] = {FUZZ_SEED};
    char *error = NULL;
    db = dynemu_open_fixtures(paths, 1, &error);
    if (!db) fuzz_broken("the fuzz seed does not load", error);
    return db;
}

/* The whole state as a fixture document, for "nothing changed" checks. */
static inline char *fuzz_dump(dynemu_db *db)
{
    size_t len;
    char *dump = dynemu_dump(db, &len);
    if (!dump) abort();
    return dump;
}

/* An answer must be a JSON object; an error one must name its __type. */
static inline void fuzz_check_answer(int status, const char *answer, const char *request)
{
    cJSON *doc = cJSON_Parse(answer);
    if (!cJSON_IsObject(doc)) fuzz_broken("an answer is not a JSON object", request);
    if (status >= 500) fuzz_broken("a request was answered 5xx", answer);
    if (status != 200 && !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(doc, "__type")))
        fuzz_broken("an error answer without its __type", answer);
    cJSON_Delete(doc);
}
