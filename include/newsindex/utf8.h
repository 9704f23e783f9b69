/*
 * utf8.h — UTF-8 validation, decoding and repair, shared by the indexer and
 * the query tool.
 *
 * "Valid" means well-formed UTF-8 as in Unicode 15 table 3-7 (RFC 3629): no
 * overlong forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF.
 * Repair replaces each maximal ill-formed subpart with one U+FFFD (the W3C /
 * Unicode "best practice"), so "\xE2\x82" becomes one U+FFFD and "\xC0\xAF"
 * two.  NUL bytes are valid UTF-8 and pass through unchanged: callers that
 * need C strings check for them separately.  Nothing here allocates except
 * ni_utf8_repair, which appends to a caller's ni_buf.
 */
#ifndef NEWSINDEX_UTF8_H
#define NEWSINDEX_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "newsindex/buf.h"
#include "newsindex/status.h"

#define NI_UTF8_REPLACEMENT 0xFFFDu

/* Length of the longest prefix of s[0..n) that is valid UTF-8 (n if all is). */
size_t ni_utf8_valid_prefix(const char *s, size_t n);

/* 1 when s[0..n) is valid UTF-8, else 0. */
int ni_utf8_is_valid(const char *s, size_t n);

/*
 * Decode the code point at s[0..n) (n >= 1).  Returns the number of bytes
 * consumed (1..4).  On an ill-formed sequence *cp is U+FFFD and the return
 * value is the length of its maximal subpart (>= 1), so that a loop calling
 * this function makes progress and replaces exactly as ni_utf8_repair does.
 */
size_t ni_utf8_decode(const char *s, size_t n, uint32_t *cp);

/*
 * Encode cp into out (which has room for 4 bytes); returns 1..4.  A surrogate
 * or a value above U+10FFFF is encoded as U+FFFD.
 */
size_t ni_utf8_encode(uint32_t cp, char *out);

/*
 * Append s[0..n) to out with every ill-formed subpart replaced by U+FFFD
 * (EF BF BD).  *replaced (may be NULL) receives the number of replacements.
 * Returns NI_OK, or NI_ENOMEM / NI_ELIMIT from the buffer (out then holds a
 * partial copy that the caller discards).
 */
ni_status ni_utf8_repair(ni_buf *out, const char *s, size_t n, size_t *replaced);

/*
 * Character boundaries for cutting text (snippets, truncation): the largest
 * k <= pos, resp. the smallest k >= pos (at most n), such that s[k] does not
 * start with a continuation byte.  On invalid input they still never move by
 * more than 3 bytes.
 */
size_t ni_utf8_floor(const char *s, size_t n, size_t pos);
size_t ni_utf8_ceil(const char *s, size_t n, size_t pos);

#endif
