/* tests/fuzz/fuzz_assoc.c — the association layer through its decoder
 * (POST /_dynemu/associations/call, /associations, /destroy): the first byte
 * picks the route, the rest is the body. Every answer is a JSON object, a
 * refused call changes nothing, and after any call or destroy the links
 * stay two-sided (GET /_dynemu/associations/check is ok). */
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/requests.h"


static void check_links(dynemu_db *db, const char *body)
{
    char *answer;
    size_t len;
    int status = dynemu_control(db, "GET", "/_dynemu/associations/check", NULL, 0, &answer, &len);
    cJSON *doc = cJSON_Parse(answer);
    if (status != 200 || !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "ok")))
        fuzz_broken("an association call left links one-sided", body);
    cJSON_Delete(doc);
    dynemu_free(answer);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;
    dynemu_db *db = fuzz_seeded_db();
    size_t route = data[0] % FUZZ_N_ASSOC_ROUTES;
    char *body = fuzz_text(data + 1, size - 1);
    char *before = fuzz_dump(db), *answer;
    size_t len;
    int status = dynemu_control(db, "POST", fuzz_assoc_routes[route], body, strlen(body), &answer, &len);
    fuzz_check_answer(status == 404 ? 400 : status, answer, body); /* 404: RecordNotFound, as find answers */
    if (status != 200) {
        char *after = fuzz_dump(db);
        if (strcmp(before, after) != 0) fuzz_broken("a refused association call changed the database", body);
        free(after);
    } else if (route != FUZZ_N_ASSOC_ROUTES - 1) {
        check_links(db, body); /* a new declaration may name links the data never had */
    }
    dynemu_free(answer);
    free(before);
    free(body);
    if (dynemu_reset(db) != 0) fuzz_broken("reset failed", NULL);
    return 0;
}
