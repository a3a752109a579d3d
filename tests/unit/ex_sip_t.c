/* ex_sip_t.c - unit tests for sip_parse(): requests, responses, header
 * forms, truncation and non-SIP start lines.
 *
 * Reference: include/telexpose/ex_sip.h (contract), RFC 3261 section 7.
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

#include "tap.h"
#include "telexpose/ex_sip.h"

#define REC_MAX 8

struct rec {
    int n;
    enum sig_field field[REC_MAX];
    char value[REC_MAX][512];
    size_t len[REC_MAX];
};

static void
rec_emit(void *user, enum sig_field field, const char *value, size_t len)
{
    struct rec *r = user;

    if (r->n >= REC_MAX || len >= sizeof(r->value[0]))
        return;
    r->field[r->n] = field;
    memcpy(r->value[r->n], value, len);
    r->value[r->n][len] = '\0';
    r->len[r->n] = len;
    r->n++;
}

static bool
rec_is(const struct rec *r, int i, enum sig_field field, const char *want)
{
    return i < r->n && r->field[i] == field && r->len[i] == strlen(want) &&
           memcmp(r->value[i], want, r->len[i]) == 0;
}

static int
parse(const void *msg, size_t len, struct rec *r)
{
    struct obs_sink sink = {rec_emit, r};
    uint8_t *copy = malloc(len ? len : 1);
    int rc;

    memset(r, 0, sizeof(*r));
    if (len)
        memcpy(copy, msg, len);
    rc = sip_parse(copy, len, &sink);
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

int
main(void)
{
    test_pcap();
    test_headers();
    test_not_sip();
    return done_testing();
}
