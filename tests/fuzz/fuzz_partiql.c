/* tests/fuzz/fuzz_partiql.c — the PartiQL grammar (store/partiql_*.c) and its
 * compilation onto the operations (emulator/ops/partiql.c): the first byte
 * picks how, the rest is a statement's text.
 *
 *   even: the parser alone. A refusal carries a reason; a statement that
 *         parses counts no more ? than its text holds.
 *   odd:  ExecuteStatement on the seeded database, with as many Parameters as
 *         the text has '?'. Every answer is DynamoDB's shape (never a 5xx), a
 *         refused statement changes nothing, and a SELECT run again (from the
 *         plan kept the first time) answers byte for byte the same. */
#include "tests/fuzz/fuzz.h"

#include <strings.h>

#include "store/partiql.h"
#include "tests/fuzz/requests.h"

static void parse_only(const char *text, size_t len)
{
    store_error err = {.status = STORE_OK};
    store_pql_statement *s = store_pql_parse(text, len, &err);
    if (!s) {
        if (err.status == STORE_OK || !err.message[0]) fuzz_broken("a statement is refused without a reason", text);
        return;
    }
    size_t marks = 0;
    for (size_t i = 0; i < len; i++) marks += text[i] == '?';
    if (s->params < 0 || (size_t)s->params > marks) fuzz_broken("a statement counts more ? than it has", text);
    store_pql_free(s);
}

static int call(dynemu_db *db, const char *body, char **answer)
{
    size_t len;
    int status = dynemu_call(db, "ExecuteStatement", body, strlen(body), answer, &len);
    fuzz_check_answer(status, *answer, body);
    return status;
}

static void execute(const char *text)
{
    dynemu_db *db = fuzz_seeded_db();
    char *body = fuzz_partiql_request(text), *before = fuzz_dump(db), *answer, *again;
    int status = call(db, body, &answer);
    if (status != 200) {
        char *after = fuzz_dump(db);
        if (strcmp(before, after) != 0) fuzz_broken("a refused statement changed the database", body);
        free(after);
    } else if (strncasecmp(text + strspn(text, " \t\r\n"), "select", 6) == 0) {
        if (call(db, body, &again) != 200 || strcmp(answer, again) != 0)
            fuzz_broken("a SELECT run from its kept plan answers otherwise", body);
        dynemu_free(again);
    }
    dynemu_free(answer);
    free(before);
    free(body);
    if (dynemu_reset(db) != 0) fuzz_broken("reset failed", NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;
    char *text = fuzz_text(data + 1, size - 1);
    size_t len = strlen(text); /* the API's strings end at a NUL */
    if (data[0] % 2 == 0) parse_only(text, len);
    else execute(text);
    free(text);
    return 0;
}
