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

#include "ex_text.h"

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
    ex_text_trim(&line);
    if (ex_text_span_is(line, "NOTIFY * HTTP/1.1"))
        return SSDP_DEVICE;
    if (ex_text_span_is(line, "M-SEARCH * HTTP/1.1"))
        return SSDP_SEARCH;
    if (ex_text_eat(&line, "HTTP/1.1 200") &&
        (rd_left(&line) == 0 || ex_text_is_ws(rd_peek_u8(&line, 0))))
        return SSDP_DEVICE;
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
    if (!ex_text_next_line(&r, &line))
        return -1;
    switch (ssdp_start_line(line)) {
    case SSDP_NOT:
        return -1;
    case SSDP_SEARCH:
        return 0;
    case SSDP_DEVICE:
        break;
    }
    while (ex_text_next_line(&r, &line) && rd_left(&line) > 0) {
        struct rd name = line;
        size_t n = 0, left = rd_left(&line);

        while (n < left && rd_peek_u8(&line, n) != ':')
            n++;
        if (n == left || ex_text_is_ws(rd_peek_u8(&line, 0)))
            continue; /* not a header line, or a folded continuation */
        rd_limit(&name, n);
        rd_skip(&line, n + 1);
        ex_text_trim(&name);
        ex_text_trim(&line);
        if (rd_left(&line) == 0)
            continue;
        if (!seen_server && ex_text_span_is_ci(name, "server")) {
            seen_server = true;
            obs_emit(sink, SIG_FIELD_SSDP_SERVER, line.p, rd_left(&line));
            emitted++;
        } else if (!seen_usn && ex_text_span_is_ci(name, "usn")) {
            seen_usn = true;
            obs_emit(sink, SIG_FIELD_SSDP_USN, line.p, rd_left(&line));
            emitted++;
        } else if (!seen_loc && ex_text_span_is_ci(name, "location")) {
            seen_loc = true;
            if (location != NULL)
                copy_location(location, loclen, line);
        }
    }
    return emitted;
}
