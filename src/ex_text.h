/* ex_text.h - header-line scanning shared by the text extractors (SIP,
 * SSDP, FTP banners): lines, trimming and literal matching over struct rd
 * spans of untrusted bytes.
 *
 * A span is a struct rd narrowed to the bytes of interest; the helpers only
 * move its p and end inward, so a span always lies inside the message it
 * was cut from and can be handed to obs_emit() as (s.p, rd_left(&s)).
 * Literals are ASCII C strings; the _ci forms want them in lower case.
 */
#ifndef TELEXPOSE_EX_TEXT_H
#define TELEXPOSE_EX_TEXT_H

#include <stdbool.h>
#include <stdint.h>

#include "telexpose/rd.h"

/* SP or HTAB: the whitespace of RFC 3261 LWS and RFC 9112 OWS. */
static inline bool
ex_text_is_ws(uint8_t c)
{
    return c == ' ' || c == '\t';
}

/* ASCII lower case; locale-free, since header names are ASCII tokens. */
static inline uint8_t
ex_text_lower(uint8_t c)
{
    return c >= 'A' && c <= 'Z' ? (uint8_t)(c - 'A' + 'a') : c;
}

/* Cut the next line off the front of r into *line, without its LF and
 * without one CR just before it (a bare LF ends a line too: real stacks
 * send it). The last line may lack its LF, since a datagram or segment
 * can stop there. False, with *line untouched, when r has nothing left. */
bool ex_text_next_line(struct rd *r, struct rd *line);

/* The same, but only a line ended by LF counts: false, with r and *line
 * untouched, while the line is still arriving (stream readers wait). */
bool ex_text_next_full_line(struct rd *r, struct rd *line);

/* Drop SP/HTAB from both ends of s. */
void ex_text_trim(struct rd *s);

/* Consume lit from the front of s when s starts with it; s is unchanged
 * otherwise. ex_text_eat is case-sensitive, ex_text_eat_ci is ASCII
 * case-insensitive. */
bool ex_text_eat(struct rd *s, const char *lit);
bool ex_text_eat_ci(struct rd *s, const char *lit);

/* True when s is exactly lit (header names: ex_text_span_is_ci). */
bool ex_text_span_is(struct rd s, const char *lit);
bool ex_text_span_is_ci(struct rd s, const char *lit);

#endif /* TELEXPOSE_EX_TEXT_H */
