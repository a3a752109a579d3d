/* ex_xml.c - the tolerant XML scanner of the TR-069 and UPnP readers.
 *
 * Reference: XML 1.0 (tags, comments, CDATA, character references).
 *
 * One copy for both readers, so a fix to the scanner (a bound, a quoting
 * rule) reaches every document it reads; the contract is in ex_xml.h.
 * Offsets are clamped and bytes read through xml_at(), never indexed.
 */
#include "ex_xml.h"

#include <string.h>

/* One tag: its name without prefix, and where it starts and ends in x. */
struct xml_tag {
    struct xml_span local;
    bool close;   /* </name> */
    bool empty;   /* <name/> */
    size_t begin; /* offset of '<' */
    size_t end;   /* offset one past '>' */
};

/* ------------------------------------------------------------ characters */

static int
lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static bool
is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
}

static bool
has_prefix(struct xml_span s, const char *lit)
{
    size_t n = strlen(lit);

    if (s.n < n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (xml_at(s, i) != (unsigned char)lit[i])
            return false;
    return true;
}

/* Offset of lit in s, or XML_NOT_FOUND. */
static size_t
find_lit(struct xml_span s, const char *lit)
{
    size_t n = strlen(lit);

    if (n == 0 || s.n < n)
        return XML_NOT_FOUND;
    for (size_t i = 0; i <= s.n - n; i++)
        if (has_prefix(xml_from(s, i), lit))
            return i;
    return XML_NOT_FOUND;
}

static bool
ieq(struct xml_span a, struct xml_span b)
{
    if (a.n != b.n)
        return false;
    for (size_t i = 0; i < a.n; i++)
        if (lower(xml_at(a, i)) != lower(xml_at(b, i)))
            return false;
    return true;
}

bool
xml_ieq_lit(struct xml_span a, const char *lit)
{
    struct xml_span b = { (const uint8_t *)lit, strlen(lit) };

    return ieq(a, b);
}

/* ------------------------------------------------------------ XML scanner */

static bool
is_name_char(int c)
{
    return c > ' ' && c != '/' && c != '>' && c != '<' && c != '=' && c != '"' && c != '\'';
}

/* Length of the markup that is not an element at the start of s (comment,
 * CDATA section, processing instruction, declaration), 0 when s starts an
 * element, XML_NOT_FOUND when that markup is not closed. */
static size_t
skip_other(struct xml_span s)
{
    static const struct {
        const char *open, *close;
    } kinds[] = {
        { "<!--", "-->" }, { "<![CDATA[", "]]>" }, { "<?", "?>" }, { "<!", ">" },
    };

    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        size_t o = strlen(kinds[k].open), e;

        if (!has_prefix(s, kinds[k].open))
            continue;
        e = find_lit(xml_from(s, o), kinds[k].close);
        return e == XML_NOT_FOUND ? XML_NOT_FOUND : o + e + strlen(kinds[k].close);
    }
    return 0;
}

/* The next element tag at or after *pos, moving *pos past it. False when
 * x holds no further complete tag. A '>' inside a quoted attribute value
 * does not end the tag. */
static bool
next_tag(struct xml_span x, size_t *pos, struct xml_tag *t)
{
    size_t i = *pos;

    while (i < x.n) {
        struct xml_span s = xml_from(x, i);
        const uint8_t *lt = memchr(s.p, '<', s.n);
        size_t ns, ne, j, other;
        int q = 0;

        if (lt == NULL)
            break;
        i += (size_t)(lt - s.p);
        s = xml_from(x, i);
        other = skip_other(s);
        if (other == XML_NOT_FOUND)
            break;
        if (other > 0) {
            i += other;
            continue;
        }
        ns = xml_at(s, 1) == '/' ? 2 : 1;
        for (ne = ns; is_name_char(xml_at(s, ne)); ne++)
            ;
        if (ne == ns) {
            i++; /* a stray '<' in text */
            continue;
        }
        for (j = ne;; j++) {
            int c = xml_at(s, j);

            if (c == -1) {
                *pos = x.n;
                return false;
            }
            if (q != 0) {
                if (c == q)
                    q = 0;
            } else if (c == '"' || c == '\'') {
                q = c;
            } else if (c == '>') {
                break;
            }
        }
        t->local = xml_sub(s, ns, ne - ns);
        for (size_t k = t->local.n; k > 0; k--) {
            if (xml_at(t->local, k - 1) == ':') {
                t->local = xml_from(t->local, k);
                break;
            }
        }
        t->close = ns == 2;
        t->empty = !t->close && xml_at(s, j - 1) == '/';
        t->begin = i;
        t->end = i + j + 1;
        if (t->local.n == 0) {
            i = t->end; /* "<p:>" names nothing */
            continue;
        }
        *pos = t->end;
        return true;
    }
    *pos = x.n;
    return false;
}

/* The end tag closing an element named local whose start tag ended at pos;
 * same-named elements inside are counted. False when x ends first. */
static bool
find_end(struct xml_span x, size_t pos, struct xml_span local, size_t *cbegin, size_t *cend)
{
    struct xml_tag t;
    size_t depth = 0;

    while (next_tag(x, &pos, &t)) {
        if (!ieq(t.local, local))
            continue;
        if (t.close) {
            if (depth == 0) {
                *cbegin = t.begin;
                *cend = t.end;
                return true;
            }
            depth--;
        } else if (!t.empty) {
            depth++;
        }
    }
    return false;
}

/* The content of the first element named name anywhere in x; when its end
 * tag is missing the content runs to the end of x. */
bool
xml_find_elem(struct xml_span x, const char *name, struct xml_span *content)
{
    struct xml_tag t;
    size_t pos = 0, cb, ce;

    while (next_tag(x, &pos, &t)) {
        if (t.close || !xml_ieq_lit(t.local, name))
            continue;
        if (t.empty)
            *content = xml_sub(x, t.end, 0);
        else if (find_end(x, t.end, t.local, &cb, &ce))
            *content = xml_sub(x, t.end, cb - t.end);
        else
            *content = xml_from(x, t.end);
        return true;
    }
    return false;
}

/* The next child element of the content x from *pos: its name and content.
 * Stops at a child whose end tag is missing. */
bool
xml_next_child(struct xml_span x, size_t *pos, struct xml_span *local, struct xml_span *content)
{
    struct xml_tag t;
    size_t cb, ce;

    while (next_tag(x, pos, &t)) {
        if (t.close)
            continue;
        *local = t.local;
        if (t.empty) {
            *content = xml_sub(x, t.end, 0);
            return true;
        }
        if (!find_end(x, t.end, t.local, &cb, &ce)) {
            *pos = x.n;
            return false;
        }
        *content = xml_sub(x, t.end, cb - t.end);
        *pos = ce;
        return true;
    }
    return false;
}

/* ------------------------------------------------------------- text value */

void
xml_put_byte(char *out, size_t cap, size_t *o, int c)
{
    if (*o < cap)
        out[(*o)++] = (char)c;
}

void
xml_put_utf8(char *out, size_t cap, size_t *o, uint32_t cp)
{
    if (cp < 0x80) {
        xml_put_byte(out, cap, o, (int)cp);
    } else if (cp < 0x800) {
        xml_put_byte(out, cap, o, (int)(0xc0 | (cp >> 6)));
        xml_put_byte(out, cap, o, (int)(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
        xml_put_byte(out, cap, o, (int)(0xe0 | (cp >> 12)));
        xml_put_byte(out, cap, o, (int)(0x80 | ((cp >> 6) & 0x3f)));
        xml_put_byte(out, cap, o, (int)(0x80 | (cp & 0x3f)));
    } else {
        xml_put_byte(out, cap, o, (int)(0xf0 | (cp >> 18)));
        xml_put_byte(out, cap, o, (int)(0x80 | ((cp >> 12) & 0x3f)));
        xml_put_byte(out, cap, o, (int)(0x80 | ((cp >> 6) & 0x3f)));
        xml_put_byte(out, cap, o, (int)(0x80 | (cp & 0x3f)));
    }
}

bool
xml_entity(struct xml_span s, bool with_nbsp, uint32_t *cp, size_t *len)
{
    static const struct {
        const char *name;
        uint32_t cp;
    } named[] = {
        { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' }, { "&apos;", '\'' },
        { "&nbsp;", ' ' }, /* HTML only: the last entry */
    };
    size_t n_named = sizeof(named) / sizeof(named[0]) - (with_nbsp ? 0 : 1);
    size_t i = 2, base = 10;
    uint32_t v = 0;

    for (size_t k = 0; k < n_named; k++) {
        if (has_prefix(s, named[k].name)) {
            *cp = named[k].cp;
            *len = strlen(named[k].name);
            return true;
        }
    }
    if (!has_prefix(s, "&#"))
        return false;
    if (xml_at(s, 2) == 'x' || xml_at(s, 2) == 'X') {
        base = 16;
        i = 3;
    }
    for (size_t start = i;; i++) {
        int c = lower(xml_at(s, i)), d;

        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (base == 16 && c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c == ';' && i > start)
            break;
        else
            return false;
        v = v * (uint32_t)base + (uint32_t)d;
        if (v > 0x10ffff)
            return false;
    }
    if (v == 0 || (v >= 0xd800 && v <= 0xdfff))
        return false;
    *cp = v;
    *len = i + 1;
    return true;
}

/* Text being cleaned: white space runs become one space, none at either end. */
struct text {
    char *buf;
    size_t cap, n;
    bool gap;
};

static void
text_gap(struct text *t)
{
    if (t->gap)
        xml_put_byte(t->buf, t->cap, &t->n, ' ');
    t->gap = false;
}

static void
text_byte(struct text *t, int c)
{
    if (is_space(c)) {
        t->gap = t->n > 0;
        return;
    }
    text_gap(t);
    xml_put_byte(t->buf, t->cap, &t->n, c);
}

static void
text_cp(struct text *t, uint32_t cp)
{
    if (cp < 0x80) {
        text_byte(t, (int)cp);
        return;
    }
    text_gap(t);
    xml_put_utf8(t->buf, t->cap, &t->n, cp);
}

/* The text of an element's content: references decoded, CDATA taken as
 * is, other markup dropped. Returns the bytes written to out. */
size_t
xml_text(struct xml_span s, char *out, size_t cap)
{
    struct text t = { out, cap, 0, false };
    size_t i = 0;

    while (i < s.n) {
        struct xml_span rest = xml_from(s, i);
        int c = xml_at(s, i);
        uint32_t cp;
        size_t n;

        if (c == '<' && has_prefix(rest, "<![CDATA[")) {
            n = find_lit(xml_from(rest, 9), "]]>");
            if (n == XML_NOT_FOUND)
                break;
            for (size_t k = 0; k < n; k++)
                text_byte(&t, xml_at(rest, 9 + k));
            i += 9 + n + 3;
        } else if (c == '<') {
            n = skip_other(rest);
            if (n == 0) {
                const uint8_t *gt = memchr(rest.p, '>', rest.n);

                n = gt == NULL ? XML_NOT_FOUND : (size_t)(gt - rest.p) + 1;
            }
            if (n == XML_NOT_FOUND)
                break;
            i += n;
        } else if (c == '&' && xml_entity(rest, false, &cp, &n)) {
            text_cp(&t, cp);
            i += n;
        } else {
            text_byte(&t, c);
            i++;
        }
    }
    return t.n;
}

/* Emit the text of s as field f; 1 when something was emitted. */
int
xml_emit_text(const struct obs_sink *sink, enum sig_field f, struct xml_span s)
{
    char buf[OBS_VALUE_MAX];
    size_t n = xml_text(s, buf, sizeof(buf));

    if (n == 0)
        return 0;
    obs_emit(sink, f, buf, n);
    return 1;
}

/* ---------------------------------------------------------- child fields */

int
xml_read_fields(struct xml_span parent, const struct xml_field *fields, size_t n,
                const struct obs_sink *sink)
{
    struct xml_span local, content;
    size_t pos = 0;
    uint32_t done = 0; /* bit k: fields[k] already emitted */
    int emitted = 0;

    if (n > 32)
        n = 32;
    while (xml_next_child(parent, &pos, &local, &content)) {
        for (size_t k = 0; k < n; k++) {
            if ((done & (UINT32_C(1) << k)) == 0 && xml_ieq_lit(local, fields[k].name)) {
                int e = xml_emit_text(sink, fields[k].field, content);

                if (e > 0)
                    done |= UINT32_C(1) << k;
                emitted += e;
                break;
            }
        }
    }
    return emitted;
}
