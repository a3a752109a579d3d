/* ex_http.c - HTTP/1.x messages: the headers that name a device, and the
 * bodies worth reading (<title>, TR-069 Inform, UPnP description).
 *
 * References: RFC 9112 (start line, header fields, section 6.3 message body
 * length, section 7.1 chunked coding), RFC 9110 (fields), HTML Living
 * Standard (the title element holds text only: no markup inside).
 *
 * The message is read in place. Every byte goes through a checked accessor
 * (span_at) or an rd.h cursor; the only copies are the de-chunked body and
 * the cleaned title, both on the stack and bounded by HTTP_BODY_MAX and
 * OBS_VALUE_MAX. A header value is handed on only when its line is complete,
 * so a message cut short never yields a cut-short value.
 */
#include "telexpose/ex_http.h"

#include <string.h>

#include "telexpose/rd.h"

#include "ex_xml.h"

#define NOT_FOUND SIZE_MAX

/* What the head of a message said. */
struct head {
    bool complete;       /* the blank line ending the header block was seen */
    size_t len;          /* bytes of start line and header block, blank line included */
    bool is_request;
    bool is_post;
    int status;
    bool basic_auth;
    bool has_cl;         /* a valid Content-Length */
    bool bad_cl;         /* unparsable, or two that disagree */
    size_t cl;
    bool chunked;
    bool has_ct;
    bool ct_markup;      /* Content-Type names xml or html */
    bool ct_html;
    bool seen_ua, seen_host, seen_server;
};

enum body_kind {
    BODY_NONE,    /* no body (RFC 9112 6.3: 1xx/204/304, request without length) */
    BODY_LENGTH,  /* Content-Length bytes */
    BODY_CHUNKED,
    BODY_CLOSE,   /* response delimited by the connection closing */
};

/* Messages are read as ex_xml.h's spans, only through xml_at() and friends. */

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
span_prefix(struct xml_span s, const char *lit, bool icase)
{
    size_t n = strlen(lit);

    if (s.n < n)
        return false;
    for (size_t i = 0; i < n; i++) {
        int c = xml_at(s, i), l = (unsigned char)lit[i];

        if (icase ? lower(c) != lower(l) : c != l)
            return false;
    }
    return true;
}

static bool
span_ieq(struct xml_span s, const char *lit)
{
    return s.n == strlen(lit) && span_prefix(s, lit, true);
}

/* Offset of the first lit in s, or NOT_FOUND. Bodies are scanned whole,
 * so candidates are found by their first byte and only those compared. */
static size_t
span_find(struct xml_span s, const char *lit, bool icase)
{
    size_t n = strlen(lit);

    if (n == 0 || s.n < n || s.p == NULL)
        return NOT_FOUND;
    size_t last = s.n - n;
    int first = lower((unsigned char)lit[0]);
    struct xml_span rest = { (const uint8_t *)lit + 1, n - 1 };
    /* A first byte without case ("<title") can be searched for with memchr
     * in both modes. */
    int c0 = lower((unsigned char)lit[0]);
    bool exact_first = !icase || !(c0 >= 'a' && c0 <= 'z');
    for (size_t i = 0; i <= last; i++) {
        if (exact_first) {
            const uint8_t *q = memchr(s.p + i, (unsigned char)lit[0], last - i + 1);
            if (q == NULL)
                return NOT_FOUND;
            i = (size_t)(q - s.p);
        } else if (lower(xml_at(s, i)) != first) {
            continue;
        }
        struct xml_span at = xml_sub(s, i + 1, n - 1);
        size_t k = 0;
        while (k < rest.n && (icase ? lower(xml_at(at, k)) == lower(xml_at(rest, k))
                                    : xml_at(at, k) == xml_at(rest, k)))
            k++;
        if (k == rest.n)
            return i;
    }
    return NOT_FOUND;
}

static size_t
span_chr(struct xml_span s, int c)
{
    for (size_t i = 0; i < s.n; i++)
        if (xml_at(s, i) == c)
            return i;
    return NOT_FOUND;
}

/* s without leading and trailing spaces and tabs (RFC 9110 5.5 OWS). */
static struct xml_span
span_trim(struct xml_span s)
{
    while (s.n > 0 && (xml_at(s, 0) == ' ' || xml_at(s, 0) == '\t'))
        s = xml_from(s, 1);
    while (s.n > 0 && (xml_at(s, s.n - 1) == ' ' || xml_at(s, s.n - 1) == '\t'))
        s.n--;
    return s;
}

/* The next complete line of r without its LF or CRLF; false (r untouched)
 * when r holds no LF: a line cut short is never handed out. */
static bool
rd_line(struct rd *r, struct xml_span *line)
{
    size_t left = rd_left(r);
    const uint8_t *lf = left > 0 ? memchr(r->p, '\n', left) : NULL;

    if (lf == NULL)
        return false;
    line->p = r->p;
    line->n = (size_t)(lf - r->p);
    if (xml_at(*line, line->n - 1) == '\r')
        line->n--;
    rd_skip(r, (size_t)(lf - r->p) + 1);
    return true;
}

/* ------------------------------------------------------------- start line */

static const char *const methods[] = {
    "GET ", "POST ", "HEAD ", "PUT ", "OPTIONS ", "DELETE ", "PATCH ", "CONNECT ",
};

/* Does s start with a method or "HTTP/1."? With partial, a start cut
 * short ("POS") counts too: a stream's first segment may end there. */
static bool
starts_like(struct xml_span s, bool partial)
{
    static const char version[] = "HTTP/1.";

    for (size_t i = 0; i <= sizeof(methods) / sizeof(methods[0]); i++) {
        const char *tok = i < sizeof(methods) / sizeof(methods[0]) ? methods[i] : version;
        size_t n = strlen(tok);

        if (span_prefix(s, tok, false))
            return true;
        if (partial && s.n < n && memcmp(s.p != NULL ? (const void *)s.p : "", tok, s.n) == 0)
            return true;
    }
    return false;
}

bool
http_looks_like(const uint8_t *data, size_t len)
{
    struct xml_span s = { data, data != NULL ? len : 0 };

    return starts_like(s, false);
}

/* "HTTP/1.x NNN reason": the status, or 0 when it is not three digits. */
static int
parse_status(struct xml_span line)
{
    int v = 0;

    if (!span_prefix(line, "HTTP/1.", false) || xml_at(line, 8) != ' ')
        return 0;
    for (size_t i = 9; i < 12; i++) {
        int c = xml_at(line, i);

        if (c < '0' || c > '9')
            return 0;
        v = v * 10 + (c - '0');
    }
    if (xml_at(line, 12) != -1 && xml_at(line, 12) != ' ')
        return 0;
    return v;
}

/* --------------------------------------------------------------- headers */

enum hdr {
    H_HOST,
    H_USER_AGENT,
    H_AUTHORIZATION,
    H_SERVER,
    H_WWW_AUTHENTICATE,
    H_CONTENT_LENGTH,
    H_TRANSFER_ENCODING,
    H_CONTENT_TYPE,
};

static const struct {
    const char *name;
    enum hdr id;
} headers[] = {
    { "Host", H_HOST },
    { "User-Agent", H_USER_AGENT },
    { "Authorization", H_AUTHORIZATION },
    { "Server", H_SERVER },
    { "WWW-Authenticate", H_WWW_AUTHENTICATE },
    { "Content-Length", H_CONTENT_LENGTH },
    { "Transfer-Encoding", H_TRANSFER_ENCODING },
    { "Content-Type", H_CONTENT_TYPE },
};

/* Content-Length is 1*DIGIT (RFC 9110 8.6); a sign, a list or a number
 * that overflows is not a length. */
static bool
parse_length(struct xml_span v, size_t *out)
{
    size_t x = 0;

    if (v.n == 0)
        return false;
    for (size_t i = 0; i < v.n; i++) {
        int c = xml_at(v, i);

        if (c < '0' || c > '9' || x > (SIZE_MAX - 9) / 10)
            return false;
        x = x * 10 + (size_t)(c - '0');
    }
    *out = x;
    return true;
}

/* Host without its port; an IPv6 literal loses its brackets. */
static struct xml_span
host_name(struct xml_span v)
{
    size_t c;

    if (xml_at(v, 0) == '[') {
        c = span_chr(v, ']');
        return c == NOT_FOUND ? v : xml_sub(v, 1, c - 1);
    }
    c = span_chr(v, ':');
    return c == NOT_FOUND ? v : xml_sub(v, 0, c);
}

struct out {
    const struct obs_sink *sink; /* NULL: only measuring (http_message_need) */
    int emitted;
};

static void
put(struct out *o, enum sig_field f, struct xml_span v)
{
    if (o->sink == NULL || v.n == 0)
        return;
    obs_emit(o->sink, f, v.p, v.n);
    o->emitted++;
}

/* First-seen wins for fields a message carries once; every challenge of a
 * WWW-Authenticate counts, since a server offers several schemes. */
static void
on_header(struct head *h, enum hdr id, struct xml_span v, struct out *o)
{
    size_t cl;

    switch (id) {
    case H_HOST:
        if (h->is_request && !h->seen_host) {
            h->seen_host = true;
            put(o, SIG_FIELD_HTTP_HOST, host_name(v));
        }
        break;
    case H_USER_AGENT:
        if (h->is_request && !h->seen_ua) {
            h->seen_ua = true;
            put(o, SIG_FIELD_HTTP_USER_AGENT, v);
        }
        break;
    case H_AUTHORIZATION:
        if (h->is_request && span_prefix(v, "Basic", true) &&
            (v.n == 5 || is_space(xml_at(v, 5))))
            h->basic_auth = true;
        break;
    case H_SERVER:
        if (!h->is_request && !h->seen_server) {
            h->seen_server = true;
            put(o, SIG_FIELD_HTTP_SERVER, v);
        }
        break;
    case H_WWW_AUTHENTICATE:
        if (!h->is_request)
            put(o, SIG_FIELD_HTTP_WWW_AUTHENTICATE, v);
        break;
    case H_CONTENT_LENGTH:
        if (!parse_length(v, &cl) || (h->has_cl && cl != h->cl)) {
            h->bad_cl = true;
        } else {
            h->has_cl = true;
            h->cl = cl;
        }
        break;
    case H_TRANSFER_ENCODING:
        if (span_find(v, "chunked", true) != NOT_FOUND)
            h->chunked = true;
        break;
    case H_CONTENT_TYPE:
        h->has_ct = true;
        if (span_find(v, "html", true) != NOT_FOUND) {
            h->ct_html = true;
            h->ct_markup = true;
        }
        if (span_find(v, "xml", true) != NOT_FOUND)
            h->ct_markup = true;
        break;
    }
}

/* Read the start line and the header fields of data within the first
 * HTTP_HEADER_MAX bytes, handing values to o. */
static void
read_head(struct xml_span m, struct head *h, struct out *o)
{
    struct rd r = rd_init(m.p, m.n < HTTP_HEADER_MAX ? m.n : HTTP_HEADER_MAX);
    struct xml_span line;

    memset(h, 0, sizeof(*h));
    h->is_request = !span_prefix(m, "HTTP/1.", false);
    h->is_post = span_prefix(m, "POST ", false);
    if (!rd_line(&r, &line))
        return;
    if (!h->is_request)
        h->status = parse_status(line);
    while (rd_line(&r, &line)) {
        size_t colon;

        if (line.n == 0) {
            h->complete = true;
            h->len = (size_t)(r.p - m.p);
            break;
        }
        /* obs-fold continuation (RFC 9112 5.2): too rare to piece together */
        if (xml_at(line, 0) == ' ' || xml_at(line, 0) == '\t')
            continue;
        const uint8_t *cp = memchr(line.p, ':', line.n); /* line.n > 0 here */
        if (cp == NULL)
            continue;
        colon = (size_t)(cp - line.p);
        /* Most header lines are of no interest: reject them on the name's
         * length and first letter before comparing. */
        struct xml_span name = span_trim(xml_sub(line, 0, colon));
        int c0 = lower(xml_at(name, 0));
        for (size_t i = 0; i < sizeof(headers) / sizeof(headers[0]); i++) {
            if (c0 != lower((unsigned char)headers[i].name[0]))
                continue;
            if (span_ieq(name, headers[i].name)) {
                on_header(h, headers[i].id, span_trim(xml_from(line, colon + 1)), o);
                break;
            }
        }
    }
}

static enum body_kind
body_kind(const struct head *h)
{
    if (!h->is_request && (h->status / 100 == 1 || h->status == 204 || h->status == 304))
        return BODY_NONE;
    if (h->chunked)
        return BODY_CHUNKED;
    if (h->bad_cl)
        return h->is_request ? BODY_NONE : BODY_CLOSE;
    if (h->has_cl)
        return BODY_LENGTH;
    return h->is_request ? BODY_NONE : BODY_CLOSE;
}

/* A Content-Length body worth holding the message back for. */
/* HTML is not waited for: a page's <title> sits near its top, in the
 * segment with the headers, and collecting every web page's body would
 * cost the fast path. XML (UPnP descriptions) and POST bodies (TR-069
 * Informs) are. */
static bool
body_wanted(const struct head *h)
{
    if (body_kind(h) != BODY_LENGTH || h->cl > HTTP_BODY_MAX)
        return false;
    if (h->is_request)
        return h->is_post;
    return h->ct_markup && !h->ct_html;
}

long
http_message_need(const uint8_t *data, size_t len)
{
    struct xml_span m = { data, len };
    struct out o = { NULL, 0 };
    struct head h;
    size_t total;

    if (data == NULL)
        m.n = 0;
    if (!starts_like(m, false))
        return starts_like(m, true) ? (long)m.n + 1 : -1;
    read_head(m, &h, &o);
    if (!h.complete)
        return len >= HTTP_HEADER_MAX ? -1 : (long)len + 1;
    if (!body_wanted(&h))
        return 0;
    total = h.len + h.cl;
    return len >= total ? 0 : (long)total;
}

/* ------------------------------------------------------------------- body */

/* De-chunk raw (RFC 9112 7.1) into out[0..cap) as far as it is present.
 * Returns the raw bytes the body took: up to the end of the last-chunk and
 * its trailers, all of raw when it stops midway, or up to a malformed size
 * line. Data beyond cap is skipped, not copied. */
static size_t
dechunk(struct xml_span raw, uint8_t *out, size_t cap, size_t *out_n)
{
    struct rd r = rd_init(raw.p, raw.n);
    struct xml_span line;

    *out_n = 0;
    for (;;) {
        const uint8_t *start = r.p;
        size_t size = 0, digits = 0, take, copy;

        if (!rd_line(&r, &line))
            return raw.n;
        for (size_t i = 0; i < line.n; i++) {
            int c = lower(xml_at(line, i)), d;

            if (c >= '0' && c <= '9')
                d = c - '0';
            else if (c >= 'a' && c <= 'f')
                d = c - 'a' + 10;
            else
                break;
            if (size > (SIZE_MAX >> 4))
                return (size_t)(start - raw.p);
            size = (size << 4) | (size_t)d;
            digits++;
        }
        if (digits == 0)
            return (size_t)(start - raw.p);
        if (size == 0) {
            while (rd_line(&r, &line))
                if (line.n == 0)
                    return (size_t)(r.p - raw.p);
            return raw.n;
        }
        take = size < rd_left(&r) ? size : rd_left(&r);
        copy = take < cap - *out_n ? take : cap - *out_n;
        rd_copy(&r, out + *out_n, copy);
        rd_skip(&r, take - copy);
        *out_n += copy;
        if (take < size || !rd_line(&r, &line))
            return raw.n;
        if (line.n != 0)
            return (size_t)(r.p - raw.p);
    }
}

/* Title text as a person reads it: references decoded, each run of white
 * space one space, none at either end. Returns the bytes written. */
static size_t
clean_text(struct xml_span s, char *out, size_t cap)
{
    size_t o = 0, i = 0;
    bool gap = false;

    while (i < s.n) {
        int c = xml_at(s, i);
        uint32_t cp;
        size_t n;

        if (is_space(c)) {
            gap = o > 0;
            i++;
            continue;
        }
        if (gap)
            xml_put_byte(out, cap, &o, ' ');
        gap = false;
        struct xml_span rest = xml_from(s, i);
        if (c == '&' && xml_entity(rest, true, &cp, &n)) {
            if (cp == ' ')
                gap = o > 0;
            else
                xml_put_utf8(out, cap, &o, cp);
            i += n;
            continue;
        }
        xml_put_byte(out, cap, &o, c);
        i++;
    }
    return o;
}

/* The first <title>...</title> of body; nothing when the end tag is not
 * there, since a title cut short would match the wrong signature. */
static void
put_title(struct xml_span body, struct out *o)
{
    char buf[OBS_VALUE_MAX];
    struct xml_span v;
    size_t at = 0, gt, end;

    for (;;) {
        size_t t = span_find(xml_from(body, at), "<title", true);
        int c;

        if (t == NOT_FOUND)
            return;
        at += t + 6;
        c = xml_at(body, at);
        if (c == '>' || is_space(c))
            break;
        if (c == -1)
            return;
    }
    gt = span_chr(xml_from(body, at), '>');
    if (gt == NOT_FOUND || xml_at(body, at + gt - 1) == '/')
        return;
    v = xml_from(body, at + gt + 1);
    end = span_find(v, "</title", true);
    if (end == NOT_FOUND)
        return;
    v.n = clean_text(xml_sub(v, 0, end), buf, sizeof(buf));
    v.p = (const uint8_t *)buf;
    put(o, SIG_FIELD_HTTP_TITLE, v);
}

/* Hand the body to whichever reader knows it. True when it is a CWMP
 * message: an Inform, or any body in the CWMP namespace (the CPE's other
 * requests, the ACS's SOAP in responses). */
static bool
read_body(const struct head *h, struct xml_span body, struct out *o)
{
    bool cwmp = false;

    if (body.n > HTTP_BODY_MAX)
        body.n = HTTP_BODY_MAX;
    if (body.n == 0)
        return false;
    /* An Inform travels in a request (the CPE's POST), a description in a
     * response: each body is searched only for what it can hold. */
    if (!h->is_request && (h->ct_html || !h->has_ct))
        put_title(body, o);
    if (h->is_request && span_find(body, "cwmp", false) != NOT_FOUND) {
        cwmp = span_find(body, "urn:dslforum-org:cwmp-", false) != NOT_FOUND;
        if (span_find(body, "Inform", false) != NOT_FOUND) {
            cwmp = true;
            o->emitted += cwmp_parse_inform(body.p, body.n, o->sink);
        }
    }
    if (!h->is_request && !h->ct_html) {
        if (h->ct_markup && span_find(body, "urn:dslforum-org:cwmp-", false) != NOT_FOUND)
            cwmp = true;
        if (span_find(body, "<root", false) != NOT_FOUND &&
            span_find(body, "urn:schemas-upnp-org:device-1-0", false) != NOT_FOUND)
            o->emitted += upnp_parse_description(body.p, body.n, o->sink);
    }
    return cwmp;
}

int
http_parse(const uint8_t *data, size_t len, struct http_info *info, const struct obs_sink *sink)
{
    static const struct obs_sink none = { NULL, NULL };
    struct xml_span m = { data, len }, rest, body = { NULL, 0 };
    struct out o = { sink != NULL ? sink : &none, 0 };
    uint8_t chunks[HTTP_BODY_MAX];
    struct head h;
    size_t consumed;
    bool cwmp = false;

    if (info != NULL)
        memset(info, 0, sizeof(*info));
    if (!http_looks_like(data, len))
        return -1;
    read_head(m, &h, &o);
    consumed = len;
    if (h.complete) {
        rest = xml_from(m, h.len);
        switch (body_kind(&h)) {
        case BODY_NONE:
            break;
        case BODY_LENGTH:
            body = xml_sub(rest, 0, h.cl);
            break;
        case BODY_CHUNKED:
            rest.n = dechunk(rest, chunks, sizeof(chunks), &body.n);
            body.p = chunks;
            break;
        case BODY_CLOSE:
            body = rest;
            break;
        }
        consumed = h.len + (body_kind(&h) == BODY_CHUNKED ? rest.n : body.n);
        cwmp = read_body(&h, body, &o);
    }
    if (info != NULL) {
        info->is_request = h.is_request;
        info->is_post = h.is_post;
        info->status = h.status;
        info->basic_auth = h.basic_auth;
        info->cwmp = cwmp;
        info->consumed = consumed;
    }
    return o.emitted;
}
