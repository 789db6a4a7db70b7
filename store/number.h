/* store/number.h — DynamoDB numbers: up to 38 significant digits, magnitude
 * from 1E-130 to 9.99…E+125, kept exactly as decimal text in one canonical form
 * (no exponent, no leading or trailing zeros: "1.50" and "15E-1" are both
 * "1.5"), which is also what DynamoDB answers with. */
#ifndef STORE_NUMBER_H
#define STORE_NUMBER_H

#include <stddef.h>
#include <stdint.h>

#define STORE_NUMBER_MAX_DIGITS   38
#define STORE_NUMBER_MAX_EXP      125    /* largest power of ten of a digit */
#define STORE_NUMBER_MIN_EXP      (-130)
/* Longest canonical text: sign, "0.", 129 zeros, 38 digits. */
#define STORE_NUMBER_MAX_TEXT     176

typedef enum store_number_status {
    STORE_NUMBER_OK,
    STORE_NUMBER_INVALID,     /* not a number at all */
    STORE_NUMBER_TOO_PRECISE, /* more than 38 significant digits */
    STORE_NUMBER_OVERFLOW,
    STORE_NUMBER_UNDERFLOW,
} store_number_status;

/* Writes the canonical form of text into out (STORE_NUMBER_MAX_TEXT + 1 bytes). */
store_number_status store_number_canonical(const char *text, size_t len, char *out, size_t *out_len);
/* The message DynamoDB gives for a status, for a ValidationException. */
const char *store_number_message(store_number_status s);
/* Orders two canonical numbers. */
int store_number_compare(const char *a, size_t alen, const char *b, size_t blen);
/* A 64-bit abbreviation of a canonical number that keeps its order: a < b
 * implies abbrev(a) <= abbrev(b). Equal abbreviations say nothing (only the
 * first 16 significant digits are kept); unequal ones decide the order. */
uint64_t store_number_abbrev(const char *s, size_t len);
/* DynamoDB's storage size of a canonical number. */
size_t store_number_size(const char *text, size_t len);

#endif
