/* ex_xml.h - the tolerant XML scanner ex_cwmp.c and ex_upnp.c share.
 *
 * Reference: XML 1.0 (tags, comments, CDATA, character references).
 *
 * Not a DOM and not a validator: it walks tags left to right over bytes a
 * device sent, matches element names without their namespace prefix
 * (cwmp:, soap-env:, u:, or none) in any case, and reads text in place.
 * Nothing is allocated; every byte is read through xml_at(), so any span,
 * offset or length handed in is safe (out-of-range reads give -1). Every
 * step moves forward, so the work is linear in the input for one scan.
 */
#ifndef TELEXPOSE_EX_XML_H
#define TELEXPOSE_EX_XML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "telexpose/obs.h"
#include "telexpose/sig.h"

#define XML_NOT_FOUND SIZE_MAX /* no such offset */

/* Bytes [p, p+n) of the document; p may be NULL when n is 0. */
struct xml_span {
    const uint8_t *p;
    size_t n;
};

/* A child element name and the field its text becomes (see xml_read_fields). */
struct xml_field {
    const char *name;
    enum sig_field field;
};

/* Inline: the readers (and ex_http.c) call these for every byte. */

/* s[i] as 0..255, or -1 when i is past the end: the only byte access. */
static inline int
xml_at(struct xml_span s, size_t i)
{
    return i < s.n ? s.p[i] : -1;
}

/* s[off..off+n), clamped to s (never longer than what is left). */
static inline struct xml_span
xml_sub(struct xml_span s, size_t off, size_t n)
{
    struct xml_span r = { s.p, 0 };

    if (off > s.n)
        off = s.n;
    if (n > s.n - off)
        n = s.n - off;
    if (s.p != NULL)
        r.p = s.p + off;
    r.n = n;
    return r;
}

/* s from off to its end, clamped to s. */
static inline struct xml_span
xml_from(struct xml_span s, size_t off)
{
    return xml_sub(s, off, SIZE_MAX);
}

/* Does a equal the NUL-terminated lit, ASCII case ignored? */
bool xml_ieq_lit(struct xml_span a, const char *lit);

/* The content of the first element named name (no prefix, any case)
 * anywhere in x; when its end tag is missing the content runs to the end
 * of x, so a container cut short is read as far as it goes. False when no
 * such start tag is complete. */
bool xml_find_elem(struct xml_span x, const char *name, struct xml_span *content);

/* The next direct child element of the content x from *pos: its name
 * without prefix and its content; *pos moves past the child, so its own
 * children are never visited. Stops (false, *pos at the end) at a child
 * whose end tag is missing: a cut value could match the wrong signature. */
bool xml_next_child(struct xml_span x, size_t *pos, struct xml_span *local,
                    struct xml_span *content);

/* The text of an element's content into out[0..cap): references decoded
 * (the five named ones, &#NN; and &#xHH;, a bad one kept as text), CDATA
 * taken as is, other markup dropped, white space runs folded to one space
 * and trimmed. Stops at markup that is not closed. Returns the bytes
 * written, at most cap; not NUL-terminated. */
size_t xml_text(struct xml_span s, char *out, size_t cap);

/* Emit the text of s (at most OBS_VALUE_MAX bytes) as field f. Returns 1
 * when something was emitted, 0 when the text is empty. */
int xml_emit_text(const struct obs_sink *sink, enum sig_field f, struct xml_span s);

/* Emit the text of the direct children of parent named in fields[0..n)
 * (n <= 32); the first non-empty value of each field wins. Returns the
 * number of observations emitted. */
int xml_read_fields(struct xml_span parent, const struct xml_field *fields, size_t n,
                    const struct obs_sink *sink);

/* The character reference at the start of s: the five XML entities (and,
 * with_nbsp, HTML's &nbsp; as a space) and &#NN; / &#xHH;. False when it is
 * none of them, or names NUL, a surrogate or no character: the '&' then
 * stays as text. */
bool xml_entity(struct xml_span s, bool with_nbsp, uint32_t *cp, size_t *len);

/* Append byte c / code point cp (as UTF-8) to out[0..cap) at *o; bytes past
 * cap are dropped, so a cut can split a character (callers repair). */
void xml_put_byte(char *out, size_t cap, size_t *o, int c);
void xml_put_utf8(char *out, size_t cap, size_t *o, uint32_t cp);

#endif
