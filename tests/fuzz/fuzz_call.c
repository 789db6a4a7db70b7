/* tests/fuzz/fuzz_call.c — the whole API entry point, dynemu_call: the first
 * byte picks the operation, the rest is its request body. Every answer is a
 * JSON object (an error one with its __type, never a 5xx), and a refused
 * write changes nothing (checked by dump). */
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/requests.h"


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;
    dynemu_db *db = fuzz_seeded_db();
    const char *op = fuzz_operations[data[0] % FUZZ_N_OPERATIONS];
    char *body = fuzz_text(data + 1, size - 1);
    char *before = fuzz_dump(db);
    char *answer;
    size_t len;
    int status = dynemu_call(db, op, body, strlen(body), &answer, &len);
    fuzz_check_answer(status, answer, body);
    if (status != 200) {
        char *after = fuzz_dump(db);
        if (strcmp(before, after) != 0) fuzz_broken("a refused request changed the database", body);
        free(after);
    }
    dynemu_free(answer);
    free(before);
    free(body);
    if (dynemu_reset(db) != 0) fuzz_broken("reset failed", NULL);
    return 0;
}
