/* store/number.c — parsing, canonical form, order and size of DynamoDB numbers. */
#include "store/number.h"

#include <stdbool.h>
#include <string.h>

/* Splits text into sign, significant digits (no leading or trailing zeros)
 * and the power of ten of the last digit. */
typedef struct decimal {
    bool negative;
    char digits[STORE_NUMBER_MAX_DIGITS + 1];
    int ndigits;
    long exp;
} decimal;

static store_number_status parse_decimal(const char *s, size_t len, decimal *d)
{
    size_t i = 0;
    memset(d, 0, sizeof *d);
    if (i < len && (s[i] == '-' || s[i] == '+')) d->negative = s[i++] == '-';
    bool seen_digit = false, seen_point = false, too_many = false;
    long frac = 0;
    int zeros_pending = 0; /* trailing zeros not yet known to be significant */
    for (; i < len; i++) {
        char c = s[i];
        if (c == '.') {
            if (seen_point) return STORE_NUMBER_INVALID;
            seen_point = true;
            continue;
        }
        if (c < '0' || c > '9') break;
        seen_digit = true;
        if (seen_point) frac++;
        if (c == '0') {
            if (d->ndigits > 0) zeros_pending++;
            continue;
        }
        if (d->ndigits + zeros_pending + 1 > STORE_NUMBER_MAX_DIGITS) { too_many = true; continue; }
        while (zeros_pending > 0) { d->digits[d->ndigits++] = '0'; zeros_pending--; }
        d->digits[d->ndigits++] = c;
    }
    if (!seen_digit) return STORE_NUMBER_INVALID;
    long exp = 0;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        bool neg = false;
        if (i < len && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
        if (i == len) return STORE_NUMBER_INVALID;
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
            if (exp < 100000) exp = exp * 10 + (s[i] - '0');
        if (neg) exp = -exp;
    }
    if (i != len) return STORE_NUMBER_INVALID;
    if (too_many) return STORE_NUMBER_TOO_PRECISE;
    d->exp = exp - frac + zeros_pending;
    if (d->ndigits == 0) { d->negative = false; return STORE_NUMBER_OK; }
    long top = d->exp + d->ndigits - 1;
    if (top > STORE_NUMBER_MAX_EXP) return STORE_NUMBER_OVERFLOW;
    if (top < STORE_NUMBER_MIN_EXP) return STORE_NUMBER_UNDERFLOW;
    return STORE_NUMBER_OK;
}

static size_t format_decimal(const decimal *d, char *out)
{
    char *p = out;
    if (d->ndigits == 0) { *p++ = '0'; *p = 0; return 1; }
    if (d->negative) *p++ = '-';
    long point = d->ndigits + d->exp; /* digits before the decimal point */
    if (d->exp >= 0) {
        memcpy(p, d->digits, d->ndigits); p += d->ndigits;
        memset(p, '0', d->exp); p += d->exp;
    } else if (point > 0) {
        memcpy(p, d->digits, point); p += point;
        *p++ = '.';
        memcpy(p, d->digits + point, d->ndigits - point); p += d->ndigits - point;
    } else {
        *p++ = '0'; *p++ = '.';
        memset(p, '0', -point); p += -point;
        memcpy(p, d->digits, d->ndigits); p += d->ndigits;
    }
    *p = 0;
    return (size_t)(p - out);
}

store_number_status store_number_canonical(const char *text, size_t len, char *out, size_t *out_len)
{
    decimal d;
    store_number_status st = parse_decimal(text, len, &d);
    if (st != STORE_NUMBER_OK) return st;
    *out_len = format_decimal(&d, out);
    return STORE_NUMBER_OK;
}

const char *store_number_message(store_number_status s)
{
    switch (s) {
    case STORE_NUMBER_TOO_PRECISE: return "Attempting to store more than 38 significant digits in a Number";
    case STORE_NUMBER_OVERFLOW: return "Number overflow. Attempting to store a number with magnitude larger than supported range";
    case STORE_NUMBER_UNDERFLOW: return "Number underflow. Attempting to store a number with magnitude smaller than supported range";
    case STORE_NUMBER_INVALID: return "The parameter cannot be converted to a numeric value";
    default: return "";
    }
}

/* Digits before the point of a canonical magnitude ("0.x" has none). */
static size_t integer_digits(const char *s, size_t len)
{
    if (len >= 2 && s[0] == '0' && s[1] == '.') return 0;
    if (len == 1 && s[0] == '0') return 0;
    const char *dot = memchr(s, '.', len);
    return dot ? (size_t)(dot - s) : len;
}

static int compare_magnitude(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t ai = integer_digits(a, alen), bi = integer_digits(b, blen);
    if (ai != bi) return ai < bi ? -1 : 1;
    /* Same number of integer digits: compare digit by digit, skipping the point. */
    size_t i = 0, j = 0;
    for (;;) {
        while (i < alen && a[i] == '.') i++;
        while (j < blen && b[j] == '.') j++;
        if (i == alen || j == blen) break;
        if (a[i] != b[j]) return a[i] < b[j] ? -1 : 1;
        i++, j++;
    }
    if (i == alen && j == blen) return 0;
    return i == alen ? -1 : 1; /* canonical: no trailing zeros, so longer is larger */
}

/* Sign, then (for a magnitude) 9 bits of the leading digit's power of ten
 * biased to 1..256, then the first 16 significant digits as an integer below
 * 10^16 < 2^54. Negatives mirror positives below zero's 2^63. */
#define ABBREV_DIGITS 16
#define ABBREV_EXP_BIAS (1 - STORE_NUMBER_MIN_EXP)

uint64_t store_number_abbrev(const char *s, size_t len)
{
    bool negative = len && s[0] == '-';
    if (negative) s++, len--;
    size_t point = integer_digits(s, len);
    int leading = (int)point - 1;   /* power of ten of the first significant digit */
    uint64_t digits = 0;
    int kept = 0;
    bool significant = false;
    for (size_t i = 0; i < len && kept < ABBREV_DIGITS; i++) {
        if (s[i] == '.') continue;
        if (!significant && s[i] == '0') {
            if (point == 0 && i >= 2) leading--;  /* "0.00x": each zero after the point */
            continue;
        }
        significant = true;
        digits = digits * 10 + (uint64_t)(s[i] - '0');
        kept++;
    }
    if (!significant) return UINT64_C(1) << 63;   /* zero */
    for (; kept < ABBREV_DIGITS; kept++) digits *= 10;
    uint64_t magnitude = ((uint64_t)(leading + ABBREV_EXP_BIAS) << 54) | digits;
    return negative ? (UINT64_C(1) << 63) - 1 - magnitude : (UINT64_C(1) << 63) | magnitude;
}

int store_number_compare(const char *a, size_t alen, const char *b, size_t blen)
{
    bool an = alen && a[0] == '-', bn = blen && b[0] == '-';
    if (an != bn) return an ? -1 : 1;
    if (an) return compare_magnitude(b + 1, blen - 1, a + 1, alen - 1);
    return compare_magnitude(a, alen, b, blen);
}

size_t store_number_size(const char *text, size_t len)
{
    if (len == 1 && text[0] == '0') return 1; /* zero has no significant digits */
    size_t digits = 0;
    for (size_t i = 0; i < len; i++) digits += text[i] >= '0' && text[i] <= '9';
    /* Leading "0." zeros are not significant. */
    size_t i = text[0] == '-';
    if (i + 1 < len && text[i] == '0' && text[i + 1] == '.') {
        digits--;
        for (i += 2; i < len && text[i] == '0'; i++) digits--;
    }
    while (digits > 1 && len > 0 && text[len - 1] == '0') { digits--; len--; }
    return 1 + (digits + 1) / 2;
}
