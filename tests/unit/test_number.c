/* tests/unit/test_number.c — DynamoDB numbers (store/number.h): the canonical
 * form a client reads back, the limits and their refusals, numeric order and
 * the storage size an item is charged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "store/number.h"

/* ---------------------------------------------------------------- helpers */

/* The status of text; its canonical form goes to a heap buffer of exactly
 * STORE_NUMBER_MAX_TEXT + 1 bytes, so an overrun shows under ASan. */
static store_number_status canon(const char *text, char **out)
{
    char *buf = malloc(STORE_NUMBER_MAX_TEXT + 1);
    assert_non_null(buf);
    size_t len = (size_t)-1;
    store_number_status st = store_number_canonical(text, strlen(text), buf, &len);
    if (st == STORE_NUMBER_OK) {
        assert_true(len <= STORE_NUMBER_MAX_TEXT);
        assert_int_equal(strlen(buf), len);
    }
    if (out) *out = buf; else free(buf);
    return st;
}

static void assert_canonical(const char *text, const char *expected)
{
    char *out = NULL;
    store_number_status st = canon(text, &out);
    if (st != STORE_NUMBER_OK) { free(out); fail_msg("\"%s\": status %d, expected OK", text, st); }
    if (strcmp(out, expected) != 0) {
        print_error("\"%s\" → \"%s\", expected \"%s\"\n", text, out, expected);
        free(out);
        fail();
    }
    free(out);
}

static void assert_status(const char *text, store_number_status expected)
{
    store_number_status st = canon(text, NULL);
    if (st != expected) fail_msg("\"%s\": status %d, expected %d", text, st, expected);
}

/* A string of n copies of c followed by tail. */
static char *repeat(char c, size_t n, const char *head, const char *tail)
{
    size_t h = strlen(head), t = strlen(tail);
    char *s = malloc(h + n + t + 1);
    assert_non_null(s);
    memcpy(s, head, h);
    memset(s + h, c, n);
    memcpy(s + h + n, tail, t + 1);
    return s;
}

/* Compares two numbers given in any form, through their canonical forms. */
static int compare(const char *a, const char *b)
{
    char *ca, *cb;
    assert_int_equal(canon(a, &ca), STORE_NUMBER_OK);
    assert_int_equal(canon(b, &cb), STORE_NUMBER_OK);
    int c = store_number_compare(ca, strlen(ca), cb, strlen(cb));
    free(ca);
    free(cb);
    return c < 0 ? -1 : c > 0 ? 1 : 0;
}

static size_t size_of(const char *text)
{
    char *c;
    assert_int_equal(canon(text, &c), STORE_NUMBER_OK);
    size_t s = store_number_size(c, strlen(c));
    free(c);
    return s;
}

/* ------------------------------------------------------- canonical forms */

static void trailing_fraction_zeros_are_dropped(void **state)
{
    (void)state;
    assert_canonical("1.50", "1.5");
    assert_canonical("2.000", "2");
    assert_canonical("100.10", "100.1");
}

static void leading_zeros_are_dropped(void **state)
{
    (void)state;
    assert_canonical("0001", "1");
    assert_canonical("000.25", "0.25");
    assert_canonical("-007", "-7");
}

static void integer_zeros_are_kept(void **state)
{
    (void)state;
    assert_canonical("100", "100");
    assert_canonical("1000.5", "1000.5");
    assert_canonical("101", "101");
}

static void exponents_are_expanded(void **state)
{
    (void)state;
    assert_canonical("1E+2", "100");
    assert_canonical("1e2", "100");
    assert_canonical("15E-1", "1.5");
    assert_canonical("1.5e1", "15");
    assert_canonical("1e-3", "0.001");
    assert_canonical("-2.5E-2", "-0.025");
    assert_canonical("1e0002", "100");
    assert_canonical("123e0", "123");
}

static void negative_zero_is_zero(void **state)
{
    (void)state;
    assert_canonical("-0", "0");
    assert_canonical("-0.000", "0");
    assert_canonical("-0e5", "0");
}

static void zero_with_fraction_zeros_is_zero(void **state)
{
    (void)state;
    assert_canonical("0.000", "0");
    assert_canonical("0", "0");
    assert_canonical("000", "0");
    assert_canonical("0E+200", "0");
}

static void zero_with_huge_exponent_is_zero(void **state)
{
    (void)state;
    assert_canonical("0e999999999999", "0");
    assert_canonical("0e-999999999999", "0");
}

static void negative_numbers_keep_their_sign(void **state)
{
    (void)state;
    assert_canonical("-1", "-1");
    assert_canonical("-1.50", "-1.5");
    assert_canonical("-0.001", "-0.001");
}

static void explicit_plus_sign_is_accepted(void **state)
{
    (void)state;
    assert_canonical("+5", "5");
}

static void smallest_magnitude_is_accepted(void **state)
{
    (void)state;
    char *expected = repeat('0', 129, "0.", "1");
    assert_canonical("1e-130", expected);
    free(expected);
    expected = repeat('0', 129, "-0.", "1");
    assert_canonical("-1E-130", expected);
    free(expected);
}

static void below_smallest_magnitude_underflows(void **state)
{
    (void)state;
    assert_status("1e-131", STORE_NUMBER_UNDERFLOW);
    assert_status("-1e-131", STORE_NUMBER_UNDERFLOW);
    assert_status("0.5e-130", STORE_NUMBER_UNDERFLOW);
    assert_status("1e-999999999999", STORE_NUMBER_UNDERFLOW);
}

static void largest_magnitude_is_accepted(void **state)
{
    (void)state;
    char *expected = repeat('9', 38, "", "");
    char *full = repeat('0', 88, expected, "");
    assert_canonical("9.9999999999999999999999999999999999999E+125", full);
    free(full);
    free(expected);
    expected = repeat('0', 125, "1", "");
    assert_canonical("1E+125", expected);
    free(expected);
}

static void above_largest_magnitude_overflows(void **state)
{
    (void)state;
    assert_status("1E+126", STORE_NUMBER_OVERFLOW);
    assert_status("-1E+126", STORE_NUMBER_OVERFLOW);
    assert_status("10E+125", STORE_NUMBER_OVERFLOW);
    assert_status("1e999999999999", STORE_NUMBER_OVERFLOW);
}

static void longest_canonical_text_fits(void **state)
{
    (void)state;
    /* 38 digits at the smallest magnitude: "-0." + 129 zeros + 38 digits. */
    char *digits = repeat('7', 37, "-7.", "e-130");
    char *out;
    assert_int_equal(canon(digits, &out), STORE_NUMBER_OK);
    assert_int_equal(strlen(out), 3 + 129 + 38);
    assert_true(strncmp(out, "-0.000", 6) == 0);
    free(out);
    free(digits);
}

static void thirty_eight_significant_digits_are_accepted(void **state)
{
    (void)state;
    assert_canonical("12345678901234567890123456789012345678", "12345678901234567890123456789012345678");
    assert_canonical("0.12345678901234567890123456789012345678", "0.12345678901234567890123456789012345678");
}

static void thirty_nine_significant_digits_are_too_precise(void **state)
{
    (void)state;
    assert_status("123456789012345678901234567890123456789", STORE_NUMBER_TOO_PRECISE);
    assert_status("1.23456789012345678901234567890123456789", STORE_NUMBER_TOO_PRECISE);
    assert_status("-123456789012345678901234567890123456789", STORE_NUMBER_TOO_PRECISE);
}

static void interior_zeros_count_as_significant(void **state)
{
    (void)state;
    char *n = repeat('0', 37, "1", "1"); /* 39 significant digits */
    assert_status(n, STORE_NUMBER_TOO_PRECISE);
    free(n);
    n = repeat('0', 36, "1", "1");       /* 38 */
    assert_canonical(n, n);
    free(n);
}

static void trailing_zeros_are_not_significant(void **state)
{
    (void)state;
    char *n = repeat('0', 40, "1", "");
    assert_canonical(n, n);
    free(n);
    /* 38 significant digits followed by zeros after the point. */
    assert_canonical("1234567890123456789012345678901234567.8000", "1234567890123456789012345678901234567.8");
}

static void leading_zeros_are_not_significant(void **state)
{
    (void)state;
    char *n = repeat('0', 50, "0.", "12345678901234567890123456789012345678");
    assert_canonical(n, n);
    free(n);
}

static void malformed_text_is_invalid(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "abc", "1..2", "1e", "--1", " 1", "1 ", "1e+", "1e-", ".", "-", "+",
        "1x", "0x10", "Infinity", "NaN", "1,5", "e5", "1e5.5", "1.2.3", "1-", "1e--2",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) assert_status(bad[i], STORE_NUMBER_INVALID);
}

static void text_is_read_only_up_to_len(void **state)
{
    (void)state;
    char out[STORE_NUMBER_MAX_TEXT + 1];
    size_t len;
    assert_int_equal(store_number_canonical("12abc", 2, out, &len), STORE_NUMBER_OK);
    assert_string_equal(out, "12");
    assert_int_equal(len, 2);
}

static void messages_are_dynamodbs(void **state)
{
    (void)state;
    assert_string_equal(store_number_message(STORE_NUMBER_TOO_PRECISE),
                        "Attempting to store more than 38 significant digits in a Number");
    assert_string_equal(store_number_message(STORE_NUMBER_OVERFLOW),
                        "Number overflow. Attempting to store a number with magnitude larger than supported range");
    assert_string_equal(store_number_message(STORE_NUMBER_UNDERFLOW),
                        "Number underflow. Attempting to store a number with magnitude smaller than supported range");
    assert_true(strlen(store_number_message(STORE_NUMBER_INVALID)) > 0);
}

/* ----------------------------------------------------------------- order */

static void negatives_order_below_zero_and_positives(void **state)
{
    (void)state;
    assert_int_equal(compare("-1", "0"), -1);
    assert_int_equal(compare("0", "1"), -1);
    assert_int_equal(compare("-1", "1"), -1);
    assert_int_equal(compare("1", "-1"), 1);
    assert_int_equal(compare("-0.5", "0"), -1);
}

static void larger_negative_magnitude_orders_first(void **state)
{
    (void)state;
    assert_int_equal(compare("-10", "-9"), -1);
    assert_int_equal(compare("-9", "-10"), 1);
    assert_int_equal(compare("-0.01", "-0.001"), -1);
    assert_int_equal(compare("-1.5", "-1.25"), -1);
}

static void order_is_numeric_not_textual(void **state)
{
    (void)state;
    assert_int_equal(compare("10", "9.99"), 1);
    assert_int_equal(compare("9.99", "10"), -1);
    assert_int_equal(compare("100", "99.999"), 1);
    assert_int_equal(compare("2", "10"), -1);
}

static void decimals_order_by_value(void **state)
{
    (void)state;
    assert_int_equal(compare("0.001", "0.01"), -1);
    assert_int_equal(compare("0.01", "0.001"), 1);
    assert_int_equal(compare("0", "0.0001"), -1);
    assert_int_equal(compare("1", "1.0001"), -1);
    assert_int_equal(compare("1.9999", "2"), -1);
    assert_int_equal(compare("123.45", "123.5"), -1);
    assert_int_equal(compare("0.5", "1"), -1);
}

static void equal_values_in_different_forms_compare_equal(void **state)
{
    (void)state;
    assert_int_equal(compare("1.5", "1.50"), 0);
    assert_int_equal(compare("15E-1", "1.5"), 0);
    assert_int_equal(compare("-0", "0"), 0);
    assert_int_equal(compare("1e2", "100"), 0);
}

static void order_is_total_over_a_sorted_list(void **state)
{
    (void)state;
    static const char *const sorted[] = {
        "-1e125", "-100", "-10", "-9.99", "-9", "-1", "-0.5", "-0.01", "-0.001", "-1e-130",
        "0", "1e-130", "0.001", "0.01", "0.5", "1", "1.0001", "9", "9.99", "10", "100", "1e125",
    };
    size_t n = sizeof sorted / sizeof sorted[0];
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            int expected = i < j ? -1 : i > j ? 1 : 0;
            if (compare(sorted[i], sorted[j]) != expected)
                fail_msg("compare(%s, %s) != %d", sorted[i], sorted[j], expected);
        }
}

/* ---------------------------------------------------------- abbreviations */

static uint64_t abbrev(const char *text)
{
    char *c;
    assert_int_equal(canon(text, &c), STORE_NUMBER_OK);
    uint64_t a = store_number_abbrev(c, strlen(c));
    free(c);
    return a;
}

/* The tree decides on unequal abbreviations alone, so they must never
 * contradict the order; numbers that differ in their first 16 digits, sign
 * or magnitude must get unequal ones, or the shortcut would be worthless. */
static void abbreviations_keep_the_order_and_tell_close_numbers_apart(void **state)
{
    (void)state;
    static const char *const sorted[] = {
        "-9.9999999999999999999999999999999999999e125", "-1e125", "-100", "-10", "-9.99", "-9", "-1.000000000000001",
        "-1", "-0.5", "-0.01", "-0.001", "-1e-130", "0", "1e-130", "1.5e-130", "0.001", "0.001000000000000001",
        "0.01", "0.5", "1", "1.000000000000001", "1.0001", "9", "9.99", "10", "99", "100", "1234567890123456",
        "1234567890123457", "1e125", "9.9999999999999999999999999999999999999e125",
    };
    size_t n = sizeof sorted / sizeof sorted[0];
    for (size_t i = 0; i + 1 < n; i++) {
        uint64_t a = abbrev(sorted[i]), b = abbrev(sorted[i + 1]);
        if (!(a < b)) fail_msg("abbrev(%s) = %llx is not below abbrev(%s) = %llx", sorted[i],
                               (unsigned long long)a, sorted[i + 1], (unsigned long long)b);
    }
}

static void numbers_beyond_sixteen_digits_share_an_abbreviation(void **state)
{
    (void)state;
    /* Equal abbreviations say nothing: the comparison then reads the numbers. */
    assert_true(abbrev("1.00000000000000001") == abbrev("1"));
    assert_true(abbrev("-1.00000000000000001") == abbrev("-1"));
    assert_true(abbrev("12345678901234567") == abbrev("12345678901234568"));
    assert_true(abbrev("1e2") == abbrev("100"));
}

/* ----------------------------------------------------------------- sizes */

static void size_is_one_byte_per_two_significant_digits_plus_one(void **state)
{
    (void)state;
    assert_int_equal(size_of("1"), 2);
    assert_int_equal(size_of("12"), 2);
    assert_int_equal(size_of("123"), 3);
    assert_int_equal(size_of("1234"), 3);
    assert_int_equal(size_of("12345"), 4);
    assert_int_equal(size_of("1.23"), 3);
    assert_int_equal(size_of("12.3"), 3);
}

static void size_ignores_trailing_zeros(void **state)
{
    (void)state;
    assert_int_equal(size_of("100"), size_of("1"));
    char *n = repeat('0', 40, "1", "");
    assert_int_equal(size_of(n), 2);
    free(n);
    assert_int_equal(size_of("1.2300"), size_of("1.23"));
}

static void size_ignores_leading_zeros(void **state)
{
    (void)state;
    assert_int_equal(size_of("0.05"), 2);
    assert_int_equal(size_of("0.000123"), 3);
    assert_int_equal(size_of("1e-130"), 2);
}

static void size_of_thirty_eight_digits_is_twenty(void **state)
{
    (void)state;
    assert_int_equal(size_of("12345678901234567890123456789012345678"), 20);
}

static void size_of_zero_is_one_byte(void **state)
{
    (void)state;
    /* Zero has no significant digits: 1 + ceil(0 / 2). */
    assert_int_equal(size_of("0"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(trailing_fraction_zeros_are_dropped),
        cmocka_unit_test(abbreviations_keep_the_order_and_tell_close_numbers_apart),
        cmocka_unit_test(numbers_beyond_sixteen_digits_share_an_abbreviation),
        cmocka_unit_test(leading_zeros_are_dropped),
        cmocka_unit_test(integer_zeros_are_kept),
        cmocka_unit_test(exponents_are_expanded),
        cmocka_unit_test(negative_zero_is_zero),
        cmocka_unit_test(zero_with_fraction_zeros_is_zero),
        cmocka_unit_test(zero_with_huge_exponent_is_zero),
        cmocka_unit_test(negative_numbers_keep_their_sign),
        cmocka_unit_test(explicit_plus_sign_is_accepted),
        cmocka_unit_test(smallest_magnitude_is_accepted),
        cmocka_unit_test(below_smallest_magnitude_underflows),
        cmocka_unit_test(largest_magnitude_is_accepted),
        cmocka_unit_test(above_largest_magnitude_overflows),
        cmocka_unit_test(longest_canonical_text_fits),
        cmocka_unit_test(thirty_eight_significant_digits_are_accepted),
        cmocka_unit_test(thirty_nine_significant_digits_are_too_precise),
        cmocka_unit_test(interior_zeros_count_as_significant),
        cmocka_unit_test(trailing_zeros_are_not_significant),
        cmocka_unit_test(leading_zeros_are_not_significant),
        cmocka_unit_test(malformed_text_is_invalid),
        cmocka_unit_test(text_is_read_only_up_to_len),
        cmocka_unit_test(messages_are_dynamodbs),
        cmocka_unit_test(negatives_order_below_zero_and_positives),
        cmocka_unit_test(larger_negative_magnitude_orders_first),
        cmocka_unit_test(order_is_numeric_not_textual),
        cmocka_unit_test(decimals_order_by_value),
        cmocka_unit_test(equal_values_in_different_forms_compare_equal),
        cmocka_unit_test(order_is_total_over_a_sorted_list),
        cmocka_unit_test(size_is_one_byte_per_two_significant_digits_plus_one),
        cmocka_unit_test(size_ignores_trailing_zeros),
        cmocka_unit_test(size_ignores_leading_zeros),
        cmocka_unit_test(size_of_thirty_eight_digits_is_twenty),
        cmocka_unit_test(size_of_zero_is_one_byte),
    };
    return cmocka_run_group_tests_name("number", tests, NULL, NULL);
}
