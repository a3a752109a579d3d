/* text.h - making untrusted strings safe to emit.
 *
 * Reference: RFC 3629 (UTF-8), RFC 8259 section 8.1 (JSON text is UTF-8).
 * Strings from packets (host names, URLs, banners) may hold any bytes; JSON
 * consumers such as Python's json and Elasticsearch reject invalid UTF-8, so
 * a sender could hide its own record. Everything stored for output is
 * passed through here first.
 */
#ifndef TELEXPOSE_TEXT_H
#define TELEXPOSE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* True when the NUL-terminated s is valid UTF-8 (no overlongs, no
 * surrogates, nothing above U+10FFFF). */
bool text_utf8_valid(const char *s);

/* A new string (owned by the caller, free()) equal to s where s is valid
 * UTF-8; each byte that does not start a valid sequence becomes U+FFFD. */
char *text_utf8_dup(const char *s);

#endif /* TELEXPOSE_TEXT_H */
