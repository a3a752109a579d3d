/* ex_sip_t.c - unit tests for sip_parse(): requests, responses, header
 * forms, truncation and non-SIP start lines; and for the ex_text.h line
 * helpers it shares with the SSDP and FTP readers.
 *
 * Reference: include/telexpose/ex_sip.h and src/ex_text.h (contracts),
 * RFC 3261 section 7.
 * The sip_frame* messages are UDP payloads from
 * /work/shared/pcaps/vendor/sip_reqs.pcap; the vendor strings are from
 * /work/shared/reference/fingerprints.md sections 1.8 and 2.6. Each parse
 * runs on an exact-size heap copy so AddressSanitizer catches any read past
 * the message.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ex_test_sink.h"
#include "tap.h"
#include "telexpose/ex_sip.h"

#include "ex_text.h"

static int
parse(const void *msg, size_t len, struct rec *r)
{
    struct obs_sink sink = rec_sink(r);
    uint8_t *copy = dup_bytes(msg, len);
    int rc = sip_parse(copy, len, &sink);

    free(copy);
    return rc;
}

#define parse_lit(lit, r) parse((lit), sizeof(lit) - 1, (r))

/* Frame 1: INVITE with an SDP body, no User-Agent. */
static const char sip_frame1[] =
    "INVITE sip:francisco@bestel.com:55060 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 200.57.7.195;branch=z9hG4bKff9b46fb055c0521cc24024da96cd290\r\n"
    "Via: SIP/2.0/UDP 200.57.7.195:55061;branch=z9hG4bK291d90e31a47b225bd0ddff4353e9cc0\r\n"
    "From: <sip:200.57.7.195:55061;user=phone>;tag=GR52RWG346-34\r\n"
    "To: \"francisco@bestel.com\" <sip:francisco@bestel.com:55060>\r\n"
    "Call-ID: 12013223@200.57.7.195\r\n"
    "CSeq: 1 INVITE\r\n"
    "Contact: <sip:200.57.7.195:5060>\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length:   229\r\n"
    "\r\n"
    "v=0\r\n"
    "o=Clarent 120386 120387 IN IP4 200.57.7.196\r\n"
    "s=Clarent C5CM\r\n"
    "c=IN IP4 200.57.7.196\r\n"
    "t=0 0\r\n"
    "m=audio 40376 RTP/AVP 8 18 4 0\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:18 G729/8000\r\n"
    "a=rtpmap:4 G723/8000\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=SendRecv\r\n";

/* Frame 2: CANCEL, no User-Agent. */
static const char sip_frame2[] =
    "CANCEL sip:echo@iptel.org SIP/2.0\r\n"
    "CSeq: 2 CANCEL\r\n"
    "Via: SIP/2.0/UDP 178.45.73.241:5060;branch=z9hG4bKb26f2c0b-146f-e011-809a-0019cb53db77;r"
    "port\r\n"
    "From: \"sam netmon \" <sip:admind@178.45.73.241>;tag=bc86060b-146f-e011-809a-0019cb53db7"
    "7\r\n"
    "Call-ID: 2091060b-146f-e011-809a-0019cb53db77@admind-desktop\r\n"
    "To: <sip:echo@iptel.org>\r\n"
    "Content-Length: 0\r\n"
    "Max-Forwards: 70\r\n"
    "\r\n";

/* Frame 3: ACK with a long Record-Route. */
static const char sip_frame3[] =
    "ACK sip:admind@178.45.73.241 SIP/2.0\r\n"
    "Record-Route: <sip:213.192.59.75;ftag=420976BC-4DB7D064000EE90C-B692BBB0;avp=Ak8DCQBkaWF"
    "sb2dfaWQWADc5MGUtNGRhMjBiY2YtMTJjNzNhYTkTCQBkaWFsb2dfaWQWADc5MGUtNGRhMjBiY2YtMTJjNzNhYTk"
    "TBwBhY2NvdW50AwB5ZXM;lr=on>\r\n"
    "Via: SIP/2.0/UDP 213.192.59.75;branch=0\r\n"
    "Via: SIP/2.0/UDP 213.192.59.78:5080;rport=5080;branch=z9hG4bKjBiNGaOX\r\n"
    "From: <sip:echo@iptel.org>;tag=420976BC-4DB7D064000EE90C-B692BBB0\r\n"
    "To: \"sam netmon \" <sip:admind@178.45.73.241>;tag=bc86060b-146f-e011-809a-0019cb53db77\r\n"
    "Call-ID: 2091060b-146f-e011-809a-0019cb53db77@admind-desktop\r\n"
    "Max-Forwards:  9\r\n"
    "CSeq: 11 ACK\r\n"
    "P-hint: rr-enforced\r\n";

/* Frame 4: BYE from FreeSWITCH, captured cut inside Content-Length. */
static const char sip_frame4[] =
    "BYE sip:sipp@10.0.2.20:5060 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 10.0.2.15;rport;branch=z9hG4bKHUc1tjFS5809r\r\n"
    "Max-Forwards: 70\r\n"
    "From: test <sip:test@10.0.2.15:5060>;tag=j6QZcFDB22vSN\r\n"
    "To: \"speex/16000\" <sip:sipp@10.0.2.20:5060>;tag=1\r\n"
    "Call-ID: 1-4247@10.0.2.20\r\n"
    "CSeq: 99791795 BYE\r\n"
    "User-Agent: FreeSWITCH-mod_sofia/1.6.12-20-b91a0a6~64bit\r\n"
    "Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, MESSAGE, INFO, UPDATE, REGISTER, REFER, NOTIFY"
    ", PUBLISH, SUBSCRIBE\r\n"
    "Supported: timer, path, replaces\r\n"
    "Reason: Q.850;cause=16;text=\"NORMAL_CLEARING\"\r\n"
    "Content-Lengt";

static void
test_pcap(void)
{
    struct rec r;
    const char *ua = "FreeSWITCH-mod_sofia/1.6.12-20-b91a0a6~64bit";
    bool prefixes = true;

    is_int(parse_lit(sip_frame1, &r), 0, "pcap INVITE: SIP, no User-Agent");
    is_int(parse_lit(sip_frame2, &r), 0, "pcap CANCEL: 0");
    is_int(parse_lit(sip_frame3, &r), 0, "pcap ACK: 0");
    is_int(parse_lit(sip_frame4, &r), 1, "pcap BYE cut mid-header: User-Agent");
    ok(rec_is(&r, 0, SIG_FIELD_SIP_USER_AGENT, ua), "  FreeSWITCH");

    /* Each prefix: -1 while the start line is not whole, then at most the
     * User-Agent, always a prefix of the full value. */
    for (size_t cut = 0; cut < sizeof(sip_frame4) - 1; cut++) {
        int rc = parse(sip_frame4, cut, &r);

        if ((rc >= 0 && rc != r.n) || (rc < 0 && r.n != 0) || rc > 1 || (rc == -1 && cut >= 35))
            prefixes = false;
        if (rc == 1 && (r.field[0] != SIG_FIELD_SIP_USER_AGENT || r.len[0] > strlen(ua) ||
                        memcmp(r.value[0], ua, r.len[0]) != 0))
            prefixes = false;
    }
    /* The start line is complete at 35 bytes ("BYE sip:... SIP/2.0"). */
    is_int(parse(sip_frame4, 34, &r), -1, "  start line cut: -1");
    is_int(parse(sip_frame4, 35, &r), 0, "  start line whole, no CR LF: 0");
    ok(prefixes, "every truncation: -1 or a prefix of the User-Agent");
}

static void
test_headers(void)
{
    struct rec r;

    {
        static const char m[] = "SIP/2.0 200 OK\r\n"
                                "Via: SIP/2.0/UDP 10.1.1.1:5060;branch=z9hG4bK1\r\n"
                                "Server: Huawei SoftX3000 V300R006\r\n"
                                "Content-Length: 0\r\n"
                                "\r\n";

        is_int(parse_lit(m, &r), 1, "response with Server");
        ok(rec_is(&r, 0, SIG_FIELD_SIP_SERVER, "Huawei SoftX3000 V300R006"), "  value");
    }
    {
        static const char m[] = "REGISTER sip:ims.example.net SIP/2.0\n"
                                "user-agent:   HUAWEI-EchoLife HG8121H/V3R018C00S110 \t\n"
                                "SERVER :SIP/1.0 (Huawei)\n"
                                "\n";

        is_int(parse_lit(m, &r), 2, "bare LF, lower/upper case names");
        ok(rec_is(&r, 0, SIG_FIELD_SIP_USER_AGENT, "HUAWEI-EchoLife HG8121H/V3R018C00S110"),
           "  User-Agent trimmed");
        ok(rec_is(&r, 1, SIG_FIELD_SIP_SERVER, "SIP/1.0 (Huawei)"), "  space before the colon");
    }
    {
        static const char m[] = "OPTIONS sips:100@10.0.0.1 SIP/2.0\r\n"
                                "User-Agent: F660/V2.22.21P1T14S\r\n"
                                " folded continuation\r\n"
                                "X-User-Agent: not this\r\n"
                                "User-Agentx: nor this\r\n"
                                "User-Agent:\r\n"
                                "no colon here\r\n"
                                ": no name\r\n"
                                "\r\n"
                                "User-Agent: in the body\r\n";

        is_int(parse_lit(m, &r), 1, "near-miss headers, folding, body");
        ok(rec_is(&r, 0, SIG_FIELD_SIP_USER_AGENT, "F660/V2.22.21P1T14S"),
           "  first line of a folded value only");
    }
    {
        static const char m[] = "MESSAGE tel:+8613800000000 SIP/2.0\r\n"
                                "User-Agent: ZXHN H218N/V1.02.01_ERS\r\n"
                                "User-Agent: ZTE-B200\r\n";

        is_int(parse_lit(m, &r), 2, "tel: URI, two User-Agent headers");
        ok(rec_is(&r, 1, SIG_FIELD_SIP_USER_AGENT, "ZTE-B200"), "  both emitted");
    }
    is_int(sip_parse((const uint8_t *)"SIP/2.0 180 Ringing\r\nServer: x\r\n", 32, NULL), 1,
           "NULL sink: still counted");
    is_int(sip_parse(NULL, 5, NULL), -1, "NULL message: -1");
}

static void
test_not_sip(void)
{
    struct rec r;

    is_int(parse_lit("HTTP/1.1 200 OK\r\nServer: x\r\n\r\n", &r), -1, "HTTP response: -1");
    is_int(r.n, 0, "  nothing emitted");
    is_int(parse_lit("GET / HTTP/1.1\r\n", &r), -1, "HTTP request: -1");
    is_int(parse_lit("INVITE http://x SIP/2.0\r\n", &r), -1, "http URI: -1");
    is_int(parse_lit("INVITE sip:x SIP/3.0\r\n", &r), -1, "SIP/3.0: -1");
    is_int(parse_lit("INVITE sip:x SIP/2.0 extra\r\n", &r), -1, "junk after version: -1");
    is_int(parse_lit("INVITE sip:x\r\n", &r), -1, "no version: -1");
    is_int(parse_lit("INVITE  sip:x SIP/2.0\r\n", &r), -1, "two spaces: -1");
    is_int(parse_lit(" INVITE sip:x SIP/2.0\r\n", &r), -1, "leading space: -1");
    is_int(parse_lit("SIP/2.0 2x0 OK\r\n", &r), -1, "bad status: -1");
    is_int(parse_lit("SIP/2.0 2000 OK\r\n", &r), -1, "four-digit status: -1");
    is_int(parse_lit("SIP/2.0 20", &r), -1, "cut status: -1");
    is_int(parse_lit("SIP/2.0 200", &r), 0, "status without reason: 0");
    is_int(parse_lit("", &r), -1, "empty: -1");
    is_int(parse_lit("\r\n", &r), -1, "empty line: -1");
    is_int(parse_lit("\x16\x03\x01\x02\x00\x01", &r), -1, "TLS: -1");
}

/* ------------------------------------------------------------- ex_text */

static bool
span_eq(struct rd s, const char *want)
{
    return !s.err && rd_left(&s) == strlen(want) && memcmp(s.p, want, rd_left(&s)) == 0;
}

/* Split msg (an exact-size heap copy: ASan sees any read past it) into
 * lines with next (ex_text_next_line or _full_line) and join them with
 * '|'; *rest gets how many bytes were left unsplit. */
static void
split(const char *msg, size_t len, bool (*next)(struct rd *, struct rd *), char *out,
      size_t outlen, size_t *rest)
{
    uint8_t *copy = malloc(len ? len : 1);
    struct rd r, line;
    size_t o = 0;
    bool first = true;

    memcpy(copy, msg, len);
    r = rd_init(copy, len);
    out[0] = '\0';
    while (next(&r, &line)) {
        size_t n = rd_left(&line);

        if (o + n + 2 > outlen)
            break;
        if (!first)
            out[o++] = '|';
        first = false;
        memcpy(out + o, line.p, n);
        o += n;
        out[o] = '\0';
    }
    *rest = rd_left(&r);
    free(copy);
}

#define split_lit(lit, next, out, rest) \
    split((lit), sizeof(lit) - 1, (next), (out), sizeof(out), (rest))

static void
test_text_lines(void)
{
    char out[64];
    size_t rest;
    struct rd r, line;

    split_lit("a\r\nb\nc", ex_text_next_line, out, &rest);
    ok(strcmp(out, "a|b|c") == 0 && rest == 0, "CR LF, bare LF, last line without LF");
    split_lit("a\r\nb\nc", ex_text_next_full_line, out, &rest);
    ok(strcmp(out, "a|b") == 0 && rest == 1, "full lines only: the unended line is left");
    split_lit("\r\n\n\r", ex_text_next_line, out, &rest);
    ok(strcmp(out, "||") == 0 && rest == 0, "CR-only lines are empty, even unended");
    split_lit("a\rb\r\r\n", ex_text_next_line, out, &rest);
    ok(strcmp(out, "a\rb\r") == 0, "inner CR kept, one CR dropped before LF");
    split_lit("\n", ex_text_next_line, out, &rest);
    ok(strcmp(out, "") == 0 && rest == 0, "a lone LF: one empty line");
    split_lit("", ex_text_next_line, out, &rest);
    ok(strcmp(out, "") == 0 && rest == 0, "empty input: no line");
    split_lit("no end", ex_text_next_full_line, out, &rest);
    ok(strcmp(out, "") == 0 && rest == 6, "full line of unended input: none, r kept");

    /* The window, not the buffer, bounds the scan: an LF past it is not seen. */
    r = rd_init((const uint8_t *)"ab\ncd", 6);
    rd_limit(&r, 2);
    ok(ex_text_next_line(&r, &line) && span_eq(line, "ab") && rd_left(&r) == 0,
       "LF past the window: last line ends at the window");
    r = rd_init((const uint8_t *)"ab\ncd", 6);
    rd_limit(&r, 2);
    ok(!ex_text_next_full_line(&r, &line) && rd_left(&r) == 2, "  and is no full line");
    r = rd_init((const uint8_t *)"ab\n", 3);
    r.err = true;
    ok(!ex_text_next_line(&r, &line) && !ex_text_next_full_line(&r, &line),
       "errored cursor: no line");
}

static void
test_text_spans(void)
{
    static const uint8_t buf[] = " \t User-Agent \t";
    struct rd s = rd_init(buf, sizeof(buf) - 1), t;

    ex_text_trim(&s);
    ok(span_eq(s, "User-Agent"), "trim both ends, SP and HTAB");
    ok(ex_text_span_is_ci(s, "user-agent") && !ex_text_span_is(s, "user-agent") &&
           ex_text_span_is(s, "User-Agent"),
       "span_is_ci ignores case, span_is does not");
    ok(!ex_text_span_is_ci(s, "user-agen") && !ex_text_span_is_ci(s, "user-agentx"),
       "span_is_ci: prefix and extension are misses");
    t = rd_init(buf, 3);
    ex_text_trim(&t);
    ok(rd_left(&t) == 0 && !t.err && ex_text_span_is(t, ""), "trim of all-blank: empty span");

    t = s;
    ok(ex_text_eat_ci(&t, "user-") && span_eq(t, "Agent"), "eat_ci consumes the prefix");
    t = s;
    ok(!ex_text_eat(&t, "user-") && span_eq(t, "User-Agent"), "eat is case-sensitive, s kept");
    t = s;
    rd_limit(&t, 4);
    ok(!ex_text_eat_ci(&t, "user-") && !ex_text_eat(&t, "User-") && span_eq(t, "User"),
       "literal longer than the span: no match past its end");
    ok(ex_text_eat(&t, "") && span_eq(t, "User"), "empty literal always matches");
    /* '@' and '[' flank 'A'..'Z': no case-folding mistakes at the edges. */
    ok(ex_text_lower('@') == '@' && ex_text_lower('[') == '[' && ex_text_lower('A') == 'a' &&
           ex_text_lower('Z') == 'z' && ex_text_lower(0xc1) == 0xc1,
       "lower: ASCII letters only");
    ok(ex_text_is_ws(' ') && ex_text_is_ws('\t') && !ex_text_is_ws('\r') && !ex_text_is_ws(0xa0),
       "is_ws: SP and HTAB only");
}

int
main(void)
{
    test_pcap();
    test_headers();
    test_not_sip();
    test_text_lines();
    test_text_spans();
    return done_testing();
}
