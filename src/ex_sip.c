/* ex_sip.c - User-Agent and Server of SIP requests and responses.
 *
 * References: RFC 3261 sections 7.1 (Request-Line), 7.2 (Status-Line),
 * 7.3.1 (header field format, HCOLON, folding), 7.3.3 (compact forms:
 * neither User-Agent nor Server has one), 20.41 (User-Agent), 20.35
 * (Server).
 *
 * Headers are read until the empty line or the end of the data (a TCP
 * segment may stop mid-message). A header value ends with its line:
 * folded continuation lines are skipped rather than joined, so the value
 * handed on is always one contiguous span of the message.
 */
#include "telexpose/ex_sip.h"

#include <stdbool.h>
#include <string.h>

#include "ex_text.h"

/* ------------------------------------------------------------------ SIP */

/* RFC 3261 token characters, the alphabet of methods and header names. */
static bool
is_token(uint8_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != 0 && strchr("-.!%*_+`'~", c) != NULL);
}

static size_t
token_len(struct rd *s)
{
    size_t n = 0, left = rd_left(s);

    while (n < left && is_token(rd_peek_u8(s, n)))
        n++;
    return n;
}

/* "SIP/2.0 NNN reason" or "METHOD sip:uri SIP/2.0". */
static bool
sip_start_line(struct rd line)
{
    size_t n;

    if (ex_text_eat(&line, "SIP/2.0 ")) {
        for (int i = 0; i < 3; i++) {
            uint8_t c = rd_u8(&line);

            if (line.err || c < '0' || c > '9')
                return false;
        }
        return rd_left(&line) == 0 || ex_text_is_ws(rd_u8(&line));
    }
    n = token_len(&line);
    if (n == 0 || !rd_skip(&line, n) || !ex_text_eat(&line, " "))
        return false;
    if (!ex_text_eat_ci(&line, "sip:") && !ex_text_eat_ci(&line, "sips:") &&
        !ex_text_eat_ci(&line, "tel:"))
        return false;
    /* The URI has no spaces; the version closes the line. */
    while (rd_left(&line) > 0 && rd_peek_u8(&line, 0) != ' ')
        rd_skip(&line, 1);
    return ex_text_eat(&line, " SIP/2.0") && rd_left(&line) == 0;
}

static const struct {
    const char *name; /* lower case */
    enum sig_field field;
} sip_headers[] = {
    {"user-agent", SIG_FIELD_SIP_USER_AGENT},
    {"server", SIG_FIELD_SIP_SERVER},
};

int
sip_parse(const uint8_t *msg, size_t len, const struct obs_sink *sink)
{
    struct rd r, line;
    int emitted = 0;

    if (msg == NULL)
        return -1;
    r = rd_init(msg, len);
    if (!ex_text_next_line(&r, &line) || !sip_start_line(line))
        return -1;
    while (ex_text_next_line(&r, &line) && rd_left(&line) > 0) {
        size_t n;
        struct rd name;

        if (ex_text_is_ws(rd_peek_u8(&line, 0)))
            continue; /* folded continuation */
        n = token_len(&line);
        name = line;
        rd_limit(&name, n);
        rd_skip(&line, n);
        ex_text_trim(&line);
        if (n == 0 || !ex_text_eat(&line, ":"))
            continue;
        ex_text_trim(&line);
        for (size_t i = 0; i < sizeof(sip_headers) / sizeof(sip_headers[0]); i++) {
            if (!ex_text_span_is_ci(name, sip_headers[i].name))
                continue;
            if (rd_left(&line) > 0) {
                obs_emit(sink, sip_headers[i].field, line.p, rd_left(&line));
                emitted++;
            }
        }
    }
    return emitted;
}
