/* store/decimal.c — exact addition and subtraction of DynamoDB numbers with
 * GMP integers: a number is an integer coefficient times a power of ten, the
 * coefficients are aligned on the smaller power and added, and number.c
 * writes (and checks) the canonical result. Nothing is ever rounded. */
#include "store/decimal.h"

#include <gmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Canonical text → coefficient and power of ten ("-1.25" → -125, -2). */
static bool split(const char *s, size_t len, mpz_t coefficient, long *exp)
{
    char digits[STORE_NUMBER_MAX_TEXT + 2];
    size_t n = 0;
    bool negative = len && s[0] == '-', after_point = false;
    *exp = 0;
    if (negative) digits[n++] = '-';
    for (size_t i = negative; i < len && n < sizeof digits - 1; i++) {
        if (s[i] == '.') { after_point = true; continue; }
        digits[n++] = s[i];
        if (after_point) (*exp)--;
    }
    digits[n] = 0;
    return mpz_set_str(coefficient, digits, 10) == 0;
}

static void scale_up(mpz_t c, long by)
{
    mpz_t ten;
    mpz_init(ten);
    mpz_ui_pow_ui(ten, 10, (unsigned long)by);
    mpz_mul(c, c, ten);
    mpz_clear(ten);
}

/* coefficient × 10^exp, checked and written canonically by number.c. */
static store_number_status format(const mpz_t c, long exp, char *out, size_t *out_len)
{
    char *digits = mpz_get_str(NULL, 10, c);
    if (!digits) return STORE_NUMBER_INVALID;
    size_t need = strlen(digits) + 32;
    char *text = malloc(need);
    store_number_status st = STORE_NUMBER_INVALID;
    if (text) {
        int len = snprintf(text, need, "%sE%ld", digits, exp);
        st = store_number_canonical(text, (size_t)len, out, out_len);
        free(text);
    }
    void (*release)(void *, size_t);
    mp_get_memory_functions(NULL, NULL, &release);
    release(digits, strlen(digits) + 1);
    return st;
}

store_number_status store_decimal_add(const char *a, size_t alen, const char *b, size_t blen, bool subtract,
                                      char *out, size_t *out_len)
{
    mpz_t x, y;
    mpz_inits(x, y, NULL);
    long ex, ey;
    store_number_status st = STORE_NUMBER_INVALID;
    if (split(a, alen, x, &ex) && split(b, blen, y, &ey)) {
        if (ex > ey) scale_up(x, ex - ey);
        if (ey > ex) scale_up(y, ey - ex);
        if (subtract) mpz_sub(x, x, y); else mpz_add(x, x, y);
        st = format(x, ex < ey ? ex : ey, out, out_len);
    }
    mpz_clears(x, y, NULL);
    return st;
}

store_value *store_decimal_sum(const store_value *a, const store_value *b, bool subtract, store_error *err)
{
    char out[STORE_NUMBER_MAX_TEXT + 1];
    size_t len;
    store_number_status st = store_decimal_add(store_bytes(a), a->len, store_bytes(b), b->len, subtract, out, &len);
    if (st != STORE_NUMBER_OK) {
        store_fail(err, STORE_ERR_VALIDATION, "%s", store_number_message(st));
        return NULL;
    }
    store_value *v = store_value_bytes(STORE_N, out, len);
    if (!v) store_fail(err, STORE_ERR_INTERNAL, "out of memory");
    return v;
}
