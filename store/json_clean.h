/* store/json_clean.h — how much of a string JSON text can carry as it is.
 *
 * A JSON string must escape '"', '\\' and bytes below 0x20; every other byte
 * (UTF-8 included) is written unchanged. Shared by the value builders, which
 * mark a string clean once when it is made, and the text writer, which then
 * copies clean strings without looking at them again. */
#ifndef STORE_JSON_CLEAN_H
#define STORE_JSON_CLEAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Whether any of 8 bytes needs escaping: below 0x20, '"' or '\\'
 * (the classic "has a byte less than / equal to" word tricks). */
static inline int store_json_word_needs_escape(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    uint64_t below_space = (w - ones * 0x20) & ~w;
    uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\');
    uint64_t is_quote = (quote - ones) & ~quote, is_backslash = (backslash - ones) & ~backslash;
    return ((below_space | is_quote | is_backslash) & highs) != 0;
}

/* The length of the prefix of p[0..n) that needs no escaping. */
static inline size_t store_json_clean_prefix(const char *p, size_t n)
{
    size_t i = 0;
#ifdef __SSE2__
    /* Sixteen bytes at a time, and the exact position of the first to escape. */
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), space = _mm_set1_epi8(0x20);
    for (; i + 16 <= n; i += 16) {
        __m128i w = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        __m128i at_least_space = _mm_cmpeq_epi8(_mm_max_epu8(w, space), w); /* unsigned w >= 0x20 */
        __m128i special = _mm_or_si128(_mm_cmpeq_epi8(w, quote), _mm_cmpeq_epi8(w, backslash));
        unsigned mask = (unsigned)_mm_movemask_epi8(special) | (~(unsigned)_mm_movemask_epi8(at_least_space) & 0xffffu);
        if (mask) return i + (size_t)__builtin_ctz(mask);
    }
#endif
    for (uint64_t w; i + 8 <= n; i += 8) {
        memcpy(&w, p + i, 8);
        if (store_json_word_needs_escape(w)) break;
    }
    for (; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c < 0x20 || c == '"' || c == '\\') break;
    }
    return i;
}

#endif
