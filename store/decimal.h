/* store/decimal.h — exact decimal arithmetic on DynamoDB numbers, for the
 * "+" and "-" of an UpdateExpression and for ADD. Operands and results are
 * canonical number text (store/number.h); a result must itself be a valid
 * DynamoDB number: at most 38 significant digits, within the magnitude
 * range, or the status says why not. */
#ifndef STORE_DECIMAL_H
#define STORE_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>

#include "store/error.h"
#include "store/number.h"
#include "store/value.h"

/* a + b, or a - b when subtract; out holds STORE_NUMBER_MAX_TEXT + 1 bytes. */
store_number_status store_decimal_add(const char *a, size_t alen, const char *b, size_t blen, bool subtract,
                                      char *out, size_t *out_len);
/* The same on N values: a new N value, or NULL with DynamoDB's message in *err. */
store_value *store_decimal_sum(const store_value *a, const store_value *b, bool subtract, store_error *err);

#endif
