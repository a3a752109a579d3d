/* ex_banner_t.c - unit tests for telnet_banner_parse() and ftp_banner_parse().
 *
 * Reference: include/telexpose/ex_banner.h (contract), RFC 854/855, RFC 959
 * section 4.2; banner texts from /work/shared/reference/fingerprints.md
 * sections 1.7 and 2.6 and /work/shared/pcaps/vendor/ftp-start-tls.pcap.
 * Each parse runs on an exact-size heap copy so AddressSanitizer catches
 * any read past the data.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ex_test_sink.h"
#include "tap.h"
#include "telexpose/ex_banner.h"

enum proto { TELNET, FTP };

static int
parse(enum proto p, const void *data, size_t len, struct rec *r)
{
    struct obs_sink sink = rec_sink(r);
    uint8_t *copy = dup_bytes(data, len);
    int rc = p == TELNET ? telnet_banner_parse(copy, len, &sink)
                         : ftp_banner_parse(copy, len, &sink);

    free(copy);
    return rc;
}

/* A string literal without its NUL. */
#define parse_lit(p, lit, r) parse((p), (lit), sizeof(lit) - 1, (r))

/* True when exactly one observation field = want was made. */
static bool
got(const struct rec *r, enum sig_field field, const char *want)
{
    return r->n == 1 && rec_is(r, 0, field, want);
}

/* --------------------------------------------------------------- Telnet */

/* Huawei VRP: IAC WILL ECHO, IAC WILL SGA, IAC DO TTYPE, IAC DO NAWS, then
 * the RECOG text; the prompt ends the banner, the rest is not read. */
static const char huawei_telnet[] =
    "\xff\xfb\x01\xff\xfb\x03\xff\xfd\x18\xff\xfd\x1f"
    "\r\n\r\n"
    "Warning: Telnet is not a secure protocol, and it is recommended to use Stelnet.\r\n\r\n"
    "Login authentication\r\n\r\n\r\n"
    "Username:"
    " \xff\xfb\x01 after the prompt";
static const char huawei_banner[] =
    "Warning: Telnet is not a secure protocol, and it is recommended to use Stelnet.\r\n\r\n"
    "Login authentication\r\n\r\n\r\n"
    "Username:";

static void
test_telnet(void)
{
    struct rec r;
    char big[2000];
    bool prefixes = true;

    is_int(parse(TELNET, huawei_telnet, sizeof(huawei_telnet) - 1, &r), 1, "Huawei VRP banner");
    ok(got(&r, SIG_FIELD_TELNET_BANNER, huawei_banner), "  negotiation stripped, up to Username:");

    /* Every prefix yields a prefix of the banner (or nothing). */
    for (size_t cut = 0; cut < sizeof(huawei_telnet) - 1; cut++) {
        int rc = parse(TELNET, huawei_telnet, cut, &r);

        if (rc == 1 && (r.n != 1 || r.len[0] > strlen(huawei_banner) ||
                        memcmp(r.value[0], huawei_banner, r.len[0]) != 0))
            prefixes = false;
        if (rc == 0 && r.n != 0)
            prefixes = false;
        if (rc == -1)
            prefixes = false;
    }
    ok(prefixes, "every truncation emits a prefix of the banner");

    /* ZTE F668 (RECOG): the lone CR is kept. */
    is_int(parse_lit(TELNET, "F668\r\n\rLogin: ", &r), 1, "ZTE F668");
    ok(got(&r, SIG_FIELD_TELNET_BANNER, "F668\r\n\rLogin:"), "  stops at Login:");
    parse_lit(TELNET, "ZXHN H108N\r\nlogin:x", &r);
    ok(got(&r, SIG_FIELD_TELNET_BANNER, "ZXHN H108N\r\nlogin:"), "lower-case login:");
    parse_lit(TELNET, "\r\n\r\nPassword:", &r);
    ok(got(&r, SIG_FIELD_TELNET_BANNER, "Password:"), "Password: prompt, leading CR LF trimmed");

    /* No prompt: the whole text. */
    {
        static const char hg[] = "\r\n Welcome Visiting Huawei Home Gateway\r\n"
                                 "Copyright by Huawei Technologies Co., Ltd.\r\n";

        parse(TELNET, hg, sizeof(hg) - 1, &r);
        ok(got(&r, SIG_FIELD_TELNET_BANNER,
               "Welcome Visiting Huawei Home Gateway\r\nCopyright by Huawei Technologies Co., "
               "Ltd.\r\n"),
           "no prompt: to the end, leading CR LF and space trimmed");
    }
    /* Subnegotiation (with an escaped IAC inside) and IAC IAC dropped. */
    {
        static const char sb[] = "\xff\xfa\x18\x01\xff\xff\x41\xff\xf0"
                                 "AB\xff\xff"
                                 "C\xff\xf1"
                                 "D";

        is_int(parse(TELNET, sb, sizeof(sb) - 1, &r), 1, "SB ... IAC SE, IAC IAC, IAC NOP");
        ok(got(&r, SIG_FIELD_TELNET_BANNER, "ABCD"), "  only the text remains");
    }
    /* Control bytes other than CR LF TAB, and NULs, dropped; high bytes kept. */
    {
        static const char ctl[] = "\x1b[2JA\x00" "B\x07\tC\x7f\xe5\x8d\x8e";

        parse(TELNET, ctl, sizeof(ctl) - 1, &r);
        ok(got(&r, SIG_FIELD_TELNET_BANNER, "[2JAB\tC\xe5\x8d\x8e"), "control bytes dropped");
    }
    /* Negotiation only, or cut inside a command. */
    is_int(parse_lit(TELNET, "\xff\xfd\x18\xff\xfd", &r), 0, "negotiation only: 0");
    is_int(r.n, 0, "  nothing emitted");
    is_int(parse_lit(TELNET, "\xff\xfa\x18 text inside SB", &r), 0, "open SB swallows: 0");
    is_int(parse_lit(TELNET, "", &r), 0, "empty: 0");
    is_int(parse_lit(TELNET, "\r\n \r\n", &r), 0, "only blank: 0");
    is_int(telnet_banner_parse(NULL, 4, NULL), 0, "NULL data: 0");
    /* IAC followed by a byte below 240 is no Telnet command. */
    is_int(parse_lit(TELNET, "abc\xff" "A", &r), -1, "IAC + 'A': -1");
    is_int(r.n, 0, "  nothing emitted");

    /* Longer than OBS_VALUE_MAX: cut there. */
    memset(big, 'x', sizeof(big));
    is_int(parse(TELNET, big, sizeof(big), &r), 1, "long text");
    is_int(r.len[0], OBS_VALUE_MAX, "  cut at OBS_VALUE_MAX");
    /* A prompt beyond OBS_VALUE_MAX is never reached. */
    memcpy(big + 1000, "Login:", 6);
    parse(TELNET, big, sizeof(big), &r);
    is_int(r.len[0], OBS_VALUE_MAX, "  prompt past the cap");
}

/* ------------------------------------------------------------------ FTP */

/* /work/shared/pcaps/vendor/ftp-start-tls.pcap frame 5. */
static const char ftp_real[] =
    "220 \"Authorized users only. All activity may be monitored and reported\"\r\n";

static const char ftp_multi[] = "220-Welcome to the Huawei FTP server\r\n"
                                "220-Unauthorized access prohibited\r\n"
                                "   indented middle line\r\n"
                                "220 Ready\r\n"
                                "331 not part of it\r\n";

static void
test_ftp(void)
{
    struct rec r;
    char big[1200];
    bool waits = true;
    size_t full;

    is_int(parse(FTP, ftp_real, sizeof(ftp_real) - 1, &r), 1, "real 220 from a pcap");
    ok(got(&r, SIG_FIELD_FTP_BANNER,
           "\"Authorized users only. All activity may be monitored and reported\""),
       "  code removed, CR LF removed");

    is_int(parse(FTP, ftp_multi, sizeof(ftp_multi) - 1, &r), 1, "multi-line 220");
    ok(got(&r, SIG_FIELD_FTP_BANNER,
           "Welcome to the Huawei FTP server\nUnauthorized access prohibited\n"
           "   indented middle line\nReady"),
       "  lines joined with \\n, prefixes removed");

    /* Until the final "220 " line is there: 0, nothing emitted. */
    full = strlen(ftp_multi) - strlen("331 not part of it\r\n");
    for (size_t cut = 0; cut < full; cut++)
        if (parse(FTP, ftp_multi, cut, &r) != 0 || r.n != 0)
            waits = false;
    ok(waits, "every truncation before the final line: 0");
    is_int(parse(FTP, ftp_multi, full, &r), 1, "complete at the final CR LF");

    parse_lit(FTP, "220 FTP server ready\n", &r);
    ok(got(&r, SIG_FIELD_FTP_BANNER, "FTP server ready"), "bare LF");
    is_int(parse_lit(FTP, "220 Hel", &r), 0, "incomplete single line: 0");
    is_int(parse_lit(FTP, "220\r\n", &r), 0, "220 without text: 0");
    is_int(parse_lit(FTP, "120 The user queue is full, please try again later.\r\n", &r), 0,
           "120 (Huawei queue full): 0");
    is_int(parse_lit(FTP, "120 wait\r\n220 ok\r\n", &r), 1, "120 then 220");
    ok(got(&r, SIG_FIELD_FTP_BANNER, "ok"), "  the 220 text");
    is_int(parse_lit(FTP, "120 wait\r\n22", &r), 0, "120 then part of a code: 0");
    is_int(parse_lit(FTP, "120 wait\r\n421 bye\r\n", &r), -1, "120 then 421: -1");
    is_int(parse_lit(FTP, "22", &r), 0, "\"22\": 0");
    is_int(parse_lit(FTP, "", &r), 0, "empty: 0");
    is_int(parse_lit(FTP, "2x", &r), -1, "\"2x\": -1");
    is_int(parse_lit(FTP, "530 Login incorrect.\r\n", &r), -1, "530: -1");
    is_int(parse_lit(FTP, "SSH-2.0-HUAWEI-1.5\r\n", &r), -1, "SSH: -1");
    is_int(parse_lit(FTP, "220x\r\n", &r), -1, "220x: -1");
    is_int(parse_lit(FTP, "2200 hi\r\n", &r), -1, "four digits: -1");
    is_int(ftp_banner_parse(NULL, 3, NULL), 0, "NULL data: 0");
    is_int(parse_lit(FTP, "220-a\r\n220-b\r\n", &r), 0, "multi-line without end: 0");
    parse_lit(FTP, "220-a\r\n230 b\r\n220 c\r\n", &r);
    ok(got(&r, SIG_FIELD_FTP_BANNER, "a\n230 b\nc"), "another code inside is a middle line");

    /* Longer than OBS_VALUE_MAX: cut there. */
    memcpy(big, "220 ", 4);
    memset(big + 4, 'y', sizeof(big) - 6);
    memcpy(big + sizeof(big) - 2, "\r\n", 2);
    is_int(parse(FTP, big, sizeof(big), &r), 1, "long reply");
    is_int(r.len[0], OBS_VALUE_MAX, "  cut at OBS_VALUE_MAX");
}

int
main(void)
{
    test_telnet();
    test_ftp();
    return done_testing();
}
