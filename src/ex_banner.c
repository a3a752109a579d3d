/* ex_banner.c - greeting banners of Telnet and FTP servers.
 *
 * References: RFC 854 (Telnet: IAC commands, option negotiation), RFC 855
 * (subnegotiation SB ... IAC SE), RFC 959 section 4.2 (FTP replies,
 * multi-line "220-" ... "220 " form).
 *
 * Both parsers read server-to-client bytes from the start of the stream as
 * far as the caller has them, so a banner cut by segmentation is emitted as
 * far as it goes (Telnet) or waited for (FTP: 0 until the final line). The
 * cleaned text is built in a stack buffer of OBS_VALUE_MAX bytes: nothing
 * longer would be kept by the sink anyway.
 */
#include "telexpose/ex_banner.h"

#include <stdbool.h>
#include <string.h>

#include "ex_text.h"

/* Bounded text under construction; bytes past OBS_VALUE_MAX are dropped. */
struct text {
    char b[OBS_VALUE_MAX];
    size_t n;
};

static bool
text_full(const struct text *t)
{
    return t->n >= sizeof(t->b);
}

static void
text_put(struct text *t, uint8_t c)
{
    if (!text_full(t))
        t->b[t->n++] = (char)c;
}

/* True when t ends with lit, ASCII case-insensitively. */
static bool
text_ends_ci(const struct text *t, const char *lit)
{
    size_t k = strlen(lit);

    if (t->n < k)
        return false;
    for (size_t i = 0; i < k; i++) {
        if (ex_text_lower((uint8_t)t->b[t->n - k + i]) != (uint8_t)lit[i])
            return false;
    }
    return true;
}

/* ---------------------------------------------------------------- Telnet */

#define TN_SE 240
#define TN_SB 250
#define TN_WILL 251
#define TN_DONT 254
#define TN_IAC 255
#define TN_CMD_MIN 240 /* IAC followed by less is not Telnet */

enum tn_state {
    TN_DATA = 0, /* plain text */
    TN_CMD,      /* after IAC */
    TN_OPTION,   /* after IAC WILL/WONT/DO/DONT: one option byte */
    TN_SUB,      /* inside SB, until IAC SE */
    TN_SUB_IAC,  /* IAC inside SB */
};

/* Prompts that end a greeting; what follows is the client's turn. */
static const char *const tn_prompts[] = {"login:", "username:", "password:"};

static bool
tn_at_prompt(const struct text *t)
{
    for (size_t i = 0; i < sizeof(tn_prompts) / sizeof(tn_prompts[0]); i++)
        if (text_ends_ci(t, tn_prompts[i]))
            return true;
    return false;
}

/* Keep printable bytes (and any byte >= 0x80: banners in UTF-8 or GBK),
 * CR, LF and TAB; leading CR, LF and spaces are not kept. */
static void
tn_text(struct text *t, uint8_t c)
{
    if (c < 0x20 && c != '\r' && c != '\n' && c != '\t')
        return;
    if (c == 0x7f)
        return;
    if (t->n == 0 && (c == '\r' || c == '\n' || c == ' '))
        return;
    text_put(t, c);
}

int
telnet_banner_parse(const uint8_t *data, size_t len, const struct obs_sink *sink)
{
    struct text t;
    struct rd r;
    enum tn_state st = TN_DATA;

    if (data == NULL)
        return 0;
    t.n = 0;
    r = rd_init(data, len);
    while (rd_left(&r) > 0 && !text_full(&t)) {
        uint8_t c = rd_u8(&r);

        switch (st) {
        case TN_DATA:
            if (c == TN_IAC) {
                st = TN_CMD;
                break;
            }
            tn_text(&t, c);
            if (tn_at_prompt(&t))
                goto done;
            break;
        case TN_CMD:
            if (c < TN_CMD_MIN)
                return -1;
            /* IAC IAC is a literal 255: not text in a banner, dropped. */
            st = c == TN_SB ? TN_SUB : (c >= TN_WILL && c <= TN_DONT) ? TN_OPTION : TN_DATA;
            break;
        case TN_OPTION:
            st = TN_DATA;
            break;
        case TN_SUB:
            if (c == TN_IAC)
                st = TN_SUB_IAC;
            break;
        case TN_SUB_IAC:
            st = c == TN_SE ? TN_DATA : TN_SUB;
            break;
        }
    }
done:
    if (t.n == 0)
        return 0;
    obs_emit(sink, SIG_FIELD_TELNET_BANNER, t.b, t.n);
    return 1;
}

/* ------------------------------------------------------------------- FTP */

static bool
is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

/* Reply code of a line ("220-", "220 ", "220"), 0 when it has none; *sep
 * gets the byte after the code (0 at the end of the line). */
static unsigned
reply_code(struct rd line, uint8_t *sep)
{
    uint8_t a, b, c;

    if (!rd_has(&line, 3))
        return 0;
    a = rd_u8(&line);
    b = rd_u8(&line);
    c = rd_u8(&line);
    if (!is_digit(a) || !is_digit(b) || !is_digit(c))
        return 0;
    *sep = rd_left(&line) > 0 ? rd_u8(&line) : 0;
    if (*sep != '-' && *sep != ' ' && *sep != 0)
        return 0;
    return (unsigned)(a - '0') * 100 + (unsigned)(b - '0') * 10 + (unsigned)(c - '0');
}

/* Append line to t with its "NNN-" / "NNN " prefix removed when it has
 * the reply's code; lines after the first are preceded by "\n". */
static void
ftp_add_line(struct text *t, struct rd line, unsigned code, bool first)
{
    uint8_t sep;

    if (reply_code(line, &sep) == code)
        rd_skip(&line, rd_left(&line) > 3 ? 4 : 3);
    if (!first)
        text_put(t, '\n');
    while (rd_left(&line) > 0 && !text_full(t))
        text_put(t, rd_u8(&line));
}

/* True when the start of data could still become "220" or "120". */
static bool
ftp_code_prefix(const uint8_t *data, size_t len)
{
    struct rd r = rd_init(data, len);
    size_t n = rd_left(&r);

    for (size_t i = 0; i < n; i++) {
        uint8_t c = rd_u8(&r);

        if ((i == 0 && c != '2' && c != '1') || (i == 1 && c != '2') || (i == 2 && c != '0'))
            return false;
    }
    return true;
}

int
ftp_banner_parse(const uint8_t *data, size_t len, const struct obs_sink *sink)
{
    struct text t;
    struct rd r, line;
    uint8_t sep;
    unsigned code;

    if (data == NULL)
        return 0;
    r = rd_init(data, len);
    for (;;) {
        bool first = true;

        /* A first line still arriving is judged on its code alone. */
        if (!ex_text_next_full_line(&r, &line)) {
            if (rd_left(&r) < 3)
                return ftp_code_prefix(r.p, rd_left(&r)) ? 0 : -1;
            code = reply_code(r, &sep);
            return code == 220 || code == 120 ? 0 : -1;
        }
        code = reply_code(line, &sep);
        if (code != 220 && code != 120)
            return -1;
        t.n = 0;
        for (;;) {
            if (code == 220)
                ftp_add_line(&t, line, code, first);
            first = false;
            if (sep != '-')
                break;
            if (!ex_text_next_full_line(&r, &line))
                return 0;
            if (reply_code(line, &sep) != code)
                sep = '-'; /* a middle line without the code */
        }
        if (code == 120)
            continue; /* "ready in nnn minutes": the 220 comes later */
        if (t.n == 0)
            return 0;
        obs_emit(sink, SIG_FIELD_FTP_BANNER, t.b, t.n);
        return 1;
    }
}
