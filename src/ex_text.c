/* ex_text.c - header-line scanning shared by the text extractors.
 *
 * Reference: RFC 9112 section 2.2 (lines end with CRLF; a recipient may
 * take a bare LF as the end of a line), RFC 3261 section 7.3.1.
 */
#include "ex_text.h"

#include <string.h>

/* Length of the line at the front of r (up to, not including, its LF) and
 * whether an LF ends it. memchr is bounded by rd_left, the bytes rd says
 * are readable, so it never looks past the span. */
static size_t
line_len(const struct rd *r, bool *has_lf)
{
    size_t left = rd_left(r);
    const uint8_t *lf = left > 0 ? memchr(r->p, '\n', left) : NULL;

    *has_lf = lf != NULL;
    return lf != NULL ? (size_t)(lf - r->p) : left;
}

/* Hand the i bytes at the front of r to *line, drop a trailing CR, and move
 * r past them and the LF when there is one. */
static void
cut_line(struct rd *r, struct rd *line, size_t i, bool has_lf)
{
    *line = *r;
    rd_limit(line, i);
    rd_skip(r, has_lf ? i + 1 : i);
    if (i > 0 && rd_peek_u8(line, i - 1) == '\r')
        line->end--;
}

bool
ex_text_next_line(struct rd *r, struct rd *line)
{
    bool has_lf;
    size_t i;

    if (rd_left(r) == 0)
        return false;
    i = line_len(r, &has_lf);
    cut_line(r, line, i, has_lf);
    return true;
}

bool
ex_text_next_full_line(struct rd *r, struct rd *line)
{
    bool has_lf;
    size_t i = line_len(r, &has_lf);

    if (!has_lf)
        return false;
    cut_line(r, line, i, true);
    return true;
}

void
ex_text_trim(struct rd *s)
{
    while (rd_left(s) > 0 && ex_text_is_ws(rd_peek_u8(s, 0)))
        rd_skip(s, 1);
    while (rd_left(s) > 0 && ex_text_is_ws(rd_peek_u8(s, rd_left(s) - 1)))
        s->end--;
}

bool
ex_text_eat(struct rd *s, const char *lit)
{
    size_t k = strlen(lit);

    if (!rd_has(s, k) || memcmp(s->p, lit, k) != 0)
        return false;
    rd_skip(s, k);
    return true;
}

bool
ex_text_eat_ci(struct rd *s, const char *lit)
{
    size_t k = strlen(lit);

    if (!rd_has(s, k))
        return false;
    for (size_t i = 0; i < k; i++)
        if (ex_text_lower(rd_peek_u8(s, i)) != (uint8_t)lit[i])
            return false;
    rd_skip(s, k);
    return true;
}

bool
ex_text_span_is(struct rd s, const char *lit)
{
    return rd_left(&s) == strlen(lit) && ex_text_eat(&s, lit);
}

bool
ex_text_span_is_ci(struct rd s, const char *lit)
{
    return rd_left(&s) == strlen(lit) && ex_text_eat_ci(&s, lit);
}
