/* ex_ssdp.c - SERVER, USN and LOCATION of SSDP announcements and search
 * responses.
 *
 * References: UPnP Device Architecture 2.0 sections 1.2.2 (NOTIFY
 * ssdp:alive), 1.3.2 (M-SEARCH), 1.3.3 (search response); RFC 9112
 * section 5 (header field syntax; names are case-insensitive).
 *
 * Headers are read until the empty line or the end of the datagram. The
 * first instance of each header counts; values end with their line
 * (obsolete folding is not joined).
 */
#include "telexpose/ex_ssdp.h"

#include <stdbool.h>
#include <string.h>

#include "telexpose/rd.h"

/* ---------------------------------------------------------------- spans */

static bool
is_ws(uint8_t c)
{
    return c == ' ' || c == '\t';
}

static uint8_t
lower(uint8_t c)
{
    return c >= 'A' && c <= 'Z' ? (uint8_t)(c - 'A' + 'a') : c;
}

/* The next line of r (without CR LF) as *line; the last line may lack its
 * LF. False when r is empty. */
static bool
next_line(struct rd *r, struct rd *line)
{
    size_t left = rd_left(r), i = 0;

    if (left == 0)
        return false;
    while (i < left && rd_peek_u8(r, i) != '\n')
        i++;
    *line = *r;
    rd_limit(line, i);
    rd_skip(r, i < left ? i + 1 : i);
    if (i > 0 && rd_peek_u8(line, i - 1) == '\r')
        line->end--;
    return true;
}

static void
trim(struct rd *s)
{
    while (rd_left(s) > 0 && is_ws(rd_peek_u8(s, 0)))
        rd_skip(s, 1);
    while (rd_left(s) > 0 && is_ws(rd_peek_u8(s, rd_left(s) - 1)))
        s->end--;
}

/* True when s is exactly lit (case-sensitive). */
static bool
span_is(struct rd s, const char *lit)
{
    size_t k = strlen(lit);

    return rd_left(&s) == k && memcmp(s.p, lit, k) == 0;
}

/* True when s is exactly lit, ASCII case-insensitively (lit lower case). */
static bool
span_is_ci(struct rd s, const char *lit)
{
    size_t k = strlen(lit);

    if (rd_left(&s) != k)
        return false;
    for (size_t i = 0; i < k; i++)
        if (lower(rd_peek_u8(&s, i)) != (uint8_t)lit[i])
            return false;
    return true;
}

/* ----------------------------------------------------------------- SSDP */

enum ssdp_kind {
    SSDP_NOT = 0,   /* not SSDP */
    SSDP_SEARCH,    /* M-SEARCH: the asker, no device identity */
    SSDP_DEVICE,    /* NOTIFY or search response: a device speaking */
};

/* "HTTP/1.1 200 OK" (any reason phrase), "NOTIFY * HTTP/1.1",
 * "M-SEARCH * HTTP/1.1". */
static enum ssdp_kind
ssdp_start_line(struct rd line)
{
    static const char resp[] = "HTTP/1.1 200";

    trim(&line);
    if (span_is(line, "NOTIFY * HTTP/1.1"))
        return SSDP_DEVICE;
    if (span_is(line, "M-SEARCH * HTTP/1.1"))
        return SSDP_SEARCH;
    if (rd_has(&line, sizeof(resp) - 1) && memcmp(line.p, resp, sizeof(resp) - 1) == 0) {
        rd_skip(&line, sizeof(resp) - 1);
        if (rd_left(&line) == 0 || is_ws(rd_peek_u8(&line, 0)))
            return SSDP_DEVICE;
    }
    return SSDP_NOT;
}

static void
copy_location(char *location, size_t loclen, struct rd v)
{
    size_t n = rd_left(&v);

    if (n > loclen - 1)
        n = loclen - 1;
    rd_copy(&v, location, n);
    location[n] = '\0';
}

int
ssdp_parse(const uint8_t *msg, size_t len, char *location, size_t loclen,
           const struct obs_sink *sink)
{
    struct rd r, line;
    bool seen_server = false, seen_usn = false, seen_loc = false;
    int emitted = 0;

    if (location != NULL && loclen > 0)
        location[0] = '\0';
    else
        location = NULL;
    if (msg == NULL)
        return -1;
    r = rd_init(msg, len);
    if (!next_line(&r, &line))
        return -1;
    switch (ssdp_start_line(line)) {
    case SSDP_NOT:
        return -1;
    case SSDP_SEARCH:
        return 0;
    case SSDP_DEVICE:
        break;
    }
    while (next_line(&r, &line) && rd_left(&line) > 0) {
        struct rd name = line;
        size_t n = 0, left = rd_left(&line);

        while (n < left && rd_peek_u8(&line, n) != ':')
            n++;
        if (n == left || is_ws(rd_peek_u8(&line, 0)))
            continue; /* not a header line, or a folded continuation */
        rd_limit(&name, n);
        rd_skip(&line, n + 1);
        trim(&name);
        trim(&line);
        if (rd_left(&line) == 0)
            continue;
        if (!seen_server && span_is_ci(name, "server")) {
            seen_server = true;
            obs_emit(sink, SIG_FIELD_SSDP_SERVER, line.p, rd_left(&line));
            emitted++;
        } else if (!seen_usn && span_is_ci(name, "usn")) {
            seen_usn = true;
            obs_emit(sink, SIG_FIELD_SSDP_USN, line.p, rd_left(&line));
            emitted++;
        } else if (!seen_loc && span_is_ci(name, "location")) {
            seen_loc = true;
            if (location != NULL)
                copy_location(location, loclen, line);
        }
    }
    return emitted;
}
