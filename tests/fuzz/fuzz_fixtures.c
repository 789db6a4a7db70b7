/* tests/fuzz/fuzz_fixtures.c — the fixture loader (fixtures/): any text is
 * loaded all or nothing. A refused one leaves the database as it was and
 * says why; a loaded one dumps to a document that loads, into an empty
 * database, to the same dump. */
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    dynemu_db *db = dynemu_open();
    if (!db) abort();
    char *empty = fuzz_dump(db), *error = NULL;
    if (dynemu_load(db, text, strlen(text), &error) != 0) {
        if (!error || !*error) fuzz_broken("a fixture was refused without a reason", text);
        char *after = fuzz_dump(db);
        if (strcmp(empty, after) != 0) fuzz_broken("a refused fixture was half loaded", text);
        free(after);
        dynemu_free(error);
    } else {
        char *dump = fuzz_dump(db);
        dynemu_db *again = dynemu_open();
        if (!again) abort();
        if (dynemu_load(again, dump, strlen(dump), &error) != 0) fuzz_broken("a dump does not load", error);
        char *redump = fuzz_dump(again);
        if (strcmp(dump, redump) != 0) fuzz_broken("a dump loads to another state", dump);
        free(redump);
        free(dump);
        dynemu_close(again);
    }
    free(empty);
    dynemu_close(db);
    free(text);
    return 0;
}
