/* ex_dhcp_t.c - unit tests for the DHCPv4 and DHCPv6 extractors (ex_dhcp.h).
 *
 * References: RFC 2131/2132, RFC 8415. Messages are built field by field
 * with the writers below (each call's comment gives the readable content);
 * every parse runs on an exact-size heap copy so AddressSanitizer catches a
 * read past the message. Two real messages come from Zeek's test traces.
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ex_test_sink.h"
#include "pkt_writer.h"
#include "tap.h"
#include "telexpose/ex_dhcp.h"

/* Parse an exact-size copy of buf[0..len) as DHCPv4 (v6 false) or DHCPv6. */
static int
parse(bool v6, const uint8_t *buf, size_t len, void *info, struct rec *r)
{
    struct obs_sink sink = rec_sink(r);
    uint8_t *copy = dup_bytes(buf, len);
    int ret = v6 ? dhcp6_parse(copy, len, info, &sink) : dhcp4_parse(copy, len, info, &sink);

    free(copy);
    return ret;
}

/* ---------------------------------------------------------- msg writer */

/* BOOTP header (op, htype, hlen, chaddr, ciaddr/yiaddr) and magic cookie. */
static void
v4_header(struct pkt *p, unsigned op, unsigned htype, const uint8_t *chaddr, size_t hlen,
          const char *yiaddr)
{
    uint8_t ya[4] = { 0 };

    memset(p, 0, sizeof(*p));
    put8(p, op);
    put8(p, htype);
    put8(p, (unsigned)hlen);
    put8(p, 0);                         /* hops */
    put32(p, 0x3903f326);               /* xid */
    put16(p, 0), put16(p, 0x8000);      /* secs, broadcast flag */
    put32(p, 0);                        /* ciaddr */
    if (yiaddr != NULL && inet_pton(AF_INET, yiaddr, ya) != 1)
        abort();
    putn(p, ya, 4);                     /* yiaddr */
    put32(p, 0), put32(p, 0);           /* siaddr, giaddr */
    putn(p, chaddr, hlen);
    p->n += 16 - hlen + 64 + 128;       /* chaddr padding, sname, file */
    put32(p, 0x63825363);               /* magic */
    mark(p);
}

static void
opt4(struct pkt *p, unsigned code, const void *d, size_t len)
{
    put8(p, code);
    put8(p, (unsigned)len);
    putn(p, d, len);
    mark(p);
}

static void
opt4_str(struct pkt *p, unsigned code, const char *s)
{
    opt4(p, code, s, strlen(s));
}

static void
opt4_byte(struct pkt *p, unsigned code, unsigned v)
{
    uint8_t b = (uint8_t)v;

    opt4(p, code, &b, 1);
}

/* ---------------------------------------------------------------- DHCPv4 */

static const uint8_t RAND_MAC[6] = { 0x5a, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const uint8_t PARAMS[12] = { 1, 3, 6, 15, 26, 28, 51, 58, 59, 43, 114, 108 };

/* DISCOVER of a Huawei Android phone with a randomised (locally
 * administered) MAC, as Android 10+ sends it. */
static void
build_android(struct pkt *p)
{
    static const uint8_t cid[7] = { 0x01, 0x5a, 0x11, 0x22, 0x33, 0x44, 0x55 };
    static const uint8_t maxsz[2] = { 0x05, 0xdc };

    v4_header(p, 1, 1, RAND_MAC, 6, NULL);
    opt4_byte(p, 53, 1);                        /* DISCOVER */
    opt4(p, 61, cid, sizeof(cid));              /* client id: type 1 + MAC */
    opt4(p, 57, maxsz, sizeof(maxsz));          /* max message size 1500 */
    opt4_str(p, 60, "HUAWEI:android:JKM");      /* vendor class */
    opt4_str(p, 12, "HUAWEI_Y9_2019-5e1f");     /* hostname */
    opt4(p, 55, PARAMS, sizeof(PARAMS));        /* parameter request list */
    put8(p, 255);                               /* end */
    mark(p);
    p->n += 20;                                 /* pad to a minimum BOOTP size */
}

static void
test_android_discover(void)
{
    struct pkt p;
    struct dhcp4_info info;
    struct rec r;

    build_android(&p);
    is_int(parse(false, p.b, p.n, &info, &r), 4, "android: four observations");
    ok(rec_is(&r, 0, SIG_FIELD_DHCP_CLIENT_ID, "01:5a:11:22:33:44:55"), "android: client id hex");
    ok(rec_is(&r, 1, SIG_FIELD_DHCP_VENDOR_CLASS, "HUAWEI:android:JKM"), "android: vendor class");
    ok(rec_is(&r, 2, SIG_FIELD_DHCP_HOSTNAME, "HUAWEI_Y9_2019-5e1f"), "android: hostname");
    ok(rec_is(&r, 3, SIG_FIELD_DHCP_PARAM_LIST, "1,3,6,15,26,28,51,58,59,43,114,108"),
       "android: param list decimal");
    is_int(info.op, 1, "android: op");
    is_int(info.msg_type, 1, "android: DISCOVER");
    ok(info.has_chaddr && memcmp(info.chaddr, RAND_MAC, 6) == 0, "android: local chaddr kept");
}

/* Cut the DISCOVER at every length: below the cookie it is not DHCP, on an
 * option boundary the options before count, elsewhere it is malformed. */
static void
test_v4_truncation(void)
{
    struct pkt p;
    struct rec full, r;
    struct dhcp4_info info;
    int bad = 0, prefix_bad = 0;

    build_android(&p);
    parse(false, p.b, p.n, NULL, &full);
    for (size_t k = 0; k < p.n; k++) {
        int ret = parse(false, p.b, k, &info, &r);
        int want = k < 240 ? -1 : is_cut(&p, k) || k > p.n - 20 ? r.n : -1;

        if (ret != want)
            bad++;
        if (k < 240 && (r.n != 0 || info.has_chaddr))
            bad++;
        for (int i = 0; i < r.n; i++)
            if (!rec_is(&full, i, r.field[i], r.value[i]))
                prefix_bad++;
    }
    is_int(bad, 0, "v4 truncation: -1 below 240 bytes and mid-option");
    is_int(prefix_bad, 0, "v4 truncation: emissions are a prefix");
    is_int(parse(false, p.b, 240, &info, &r), 0, "v4: bare header with cookie");
    ok(info.has_chaddr && info.msg_type == 0, "v4: bare header fills info");
}

static void
test_v4_options(void)
{
    static const uint8_t mac[6] = { 0x00, 0xe0, 0xfc, 0x01, 0x02, 0x03 };
    static const uint8_t bin43[6] = { 0x01, 0x04, 0xc0, 0xa8, 0x01, 0x01 };
    static const uint8_t req[4] = { 192, 168, 3, 9 };
    struct pkt p;
    struct dhcp4_info info;
    struct rec r;

    /* REQUEST of a Huawei ONT: pad options, hostname with a trailing NUL,
     * printable and binary option 43, requested address, no end option */
    v4_header(&p, 1, 1, mac, 6, NULL);
    opt4_byte(&p, 53, 3);
    put8(&p, 0), put8(&p, 0);                   /* pads */
    opt4(&p, 12, "HG8245H\0", 8);
    opt4_str(&p, 43, "HUAWEI HG8245H V3R017");
    opt4(&p, 43, bin43, sizeof(bin43));         /* binary: not emitted */
    opt4(&p, 50, req, 4);
    opt4(&p, 60, "", 0);                        /* empty vendor class */
    is_int(parse(false, p.b, p.n, &info, &r), 2, "request: two observations");
    ok(rec_is(&r, 0, SIG_FIELD_DHCP_HOSTNAME, "HG8245H"), "request: hostname NUL stripped");
    ok(rec_is(&r, 1, SIG_FIELD_DHCP_VENDOR_INFO, "HUAWEI HG8245H V3R017"), "request: printable 43");
    ok(info.msg_type == 3 && memcmp(info.requested, req, 4) == 0, "request: type, option 50");

    /* OFFER from a server: vendor options describe the server, not emitted */
    v4_header(&p, 2, 1, mac, 6, "192.168.3.9");
    opt4_byte(&p, 53, 2);
    opt4_str(&p, 60, "HUAWEI AR1220");
    opt4_str(&p, 43, "printable");
    opt4_str(&p, 12, "server");
    put8(&p, 255);
    is_int(parse(false, p.b, p.n, &info, &r), 0, "offer: nothing emitted");
    ok(info.op == 2 && info.msg_type == 2 && info.yiaddr[0] == 192 && info.yiaddr[3] == 9,
       "offer: info filled");

    /* htype 6 (IEEE 802): no chaddr */
    v4_header(&p, 1, 6, mac, 6, NULL);
    opt4_str(&p, 60, "MSFT 5.0");
    is_int(parse(false, p.b, p.n, &info, &r), 1, "htype 6: options still read");
    ok(!info.has_chaddr, "htype 6: no chaddr");

    /* hlen 16 (e.g. InfiniBand-style): no chaddr */
    {
        uint8_t long_hw[16] = { 0 };
        v4_header(&p, 1, 1, long_hw, 16, NULL);
        is_int(parse(false, p.b, p.n, &info, &r), 0, "hlen 16: parses");
        ok(!info.has_chaddr, "hlen 16: no chaddr");
    }

    /* option length past the message: what came before stands */
    v4_header(&p, 1, 1, mac, 6, NULL);
    opt4_str(&p, 60, "udhcp 1.30.1");
    put8(&p, 12), put8(&p, 40);
    putn(&p, "ONT", 3);
    is_int(parse(false, p.b, p.n, &info, &r), -1, "overrun: malformed");
    ok(r.n == 1 && rec_is(&r, 0, SIG_FIELD_DHCP_VENDOR_CLASS, "udhcp 1.30.1"), "overrun: first stands");

    /* option code as the last byte: no length */
    v4_header(&p, 1, 1, mac, 6, NULL);
    put8(&p, 60);
    is_int(parse(false, p.b, p.n, &info, &r), -1, "code without length: malformed");

    /* bad magic and bad op */
    build_android(&p);
    p.b[236] = 0x64;
    is_int(parse(false, p.b, p.n, &info, &r), -1, "bad magic: not DHCP");
    ok(r.n == 0 && !info.has_chaddr && info.op == 0, "bad magic: nothing emitted, info zero");
    build_android(&p);
    p.b[0] = 3;
    is_int(parse(false, p.b, p.n, &info, &r), -1, "op 3: not DHCP");

    /* every byte of a 255-long param list and client id */
    {
        uint8_t all[255];
        for (int i = 0; i < 255; i++)
            all[i] = (uint8_t)(i + 1);
        v4_header(&p, 1, 1, mac, 6, NULL);
        opt4(&p, 55, all, 255);
        opt4(&p, 61, all, 255);
        is_int(parse(false, p.b, p.n, &info, &r), 2, "long options");
        ok(r.n == 2 && strncmp(r.value[0], "1,2,3,", 6) == 0 &&
               strlen(r.value[0]) == OBS_VALUE_MAX, "param list of 255 codes (cut by sink)");
        ok(r.n == 2 && strncmp(r.value[1], "01:02:03:", 9) == 0, "client id of 255 bytes");
    }
    is_int(dhcp4_parse(NULL, 300, &info, NULL), -1, "v4 NULL message");
}

/* Frames 1 (DISCOVER) and 2 (OFFER) of Zeek's testing/btest/Traces/dhcp/
 * dhcp.pcap (copied to /work/shared/pcaps/mixed/dhcp.pcap): UDP payloads. */
static const uint8_t zeek_discover[] = {
    0x01, 0x01, 0x06, 0x00, 0x00, 0x00, 0x07, 0xc0, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x90, 0xb1, 0x1c, 0x99, 0x49, 0x29, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x63, 0x82, 0x53, 0x63,
    0x35, 0x01, 0x01, 0x32, 0x04, 0xc0, 0xa8, 0xd3, 0xc2, 0x0c, 0x0d, 0x62,
    0x74, 0x65, 0x73, 0x74, 0x2e, 0x69, 0x73, 0x2e, 0x63, 0x6f, 0x6f, 0x6c,
    0xff,
};

/* The OFFER carries vendor class "ArubaAP" and option 43 "172.18.6.37". */
static const uint8_t zeek_offer[] = {
    0x02, 0x01, 0x06, 0x00, 0x00, 0x00, 0x07, 0xc0, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x80, 0x02, 0x06, 0x61, 0xac, 0x13, 0xe6, 0x07,
    0x00, 0x00, 0x00, 0x00, 0x90, 0xb1, 0x1c, 0x99, 0x49, 0x29, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x63, 0x82, 0x53, 0x63,
    0x35, 0x01, 0x02, 0x36, 0x04, 0x80, 0x02, 0x06, 0x98, 0x33, 0x04, 0x00,
    0x00, 0x03, 0x84, 0x01, 0x04, 0xff, 0xff, 0xff, 0x00, 0x03, 0x04, 0x80,
    0x02, 0x06, 0x01, 0x06, 0x08, 0x80, 0x02, 0x01, 0x0b, 0x80, 0x02, 0x01,
    0x0a, 0x04, 0x08, 0x80, 0x02, 0x01, 0x14, 0x80, 0x02, 0x01, 0x15, 0x43,
    0x0d, 0x6e, 0x65, 0x74, 0x77, 0x6f, 0x72, 0x6b, 0x2d, 0x63, 0x6f, 0x6e,
    0x66, 0x67, 0x1c, 0x04, 0x80, 0x02, 0x06, 0xff, 0x2a, 0x0c, 0x80, 0x02,
    0x01, 0x14, 0x80, 0x02, 0x01, 0x15, 0x80, 0x02, 0x01, 0x16, 0x2b, 0x0b,
    0x31, 0x37, 0x32, 0x2e, 0x31, 0x38, 0x2e, 0x36, 0x2e, 0x33, 0x37, 0x3c,
    0x07, 0x41, 0x72, 0x75, 0x62, 0x61, 0x41, 0x50, 0x2c, 0x08, 0x80, 0x02,
    0x68, 0x1d, 0x80, 0x02, 0x68, 0x1e, 0x2e, 0x01, 0x02, 0x0f, 0x07, 0x63,
    0x6d, 0x75, 0x2e, 0x65, 0x64, 0x75, 0xff,
};

static void
test_v4_real(void)
{
    static const uint8_t mac[6] = { 0x90, 0xb1, 0x1c, 0x99, 0x49, 0x29 };
    static const uint8_t req[4] = { 192, 168, 211, 194 };
    static const uint8_t offered[4] = { 128, 2, 6, 97 };
    struct dhcp4_info info;
    struct rec r;

    is_int(parse(false, zeek_discover, sizeof(zeek_discover), &info, &r), 1, "zeek discover");
    ok(rec_is(&r, 0, SIG_FIELD_DHCP_HOSTNAME, "btest.is.cool"), "zeek discover: hostname");
    ok(info.msg_type == 1 && info.has_chaddr && memcmp(info.chaddr, mac, 6) == 0 &&
           memcmp(info.requested, req, 4) == 0, "zeek discover: info");
    is_int(parse(false, zeek_offer, sizeof(zeek_offer), &info, &r), 0, "zeek offer: no emission");
    ok(info.op == 2 && info.msg_type == 2 && memcmp(info.yiaddr, offered, 4) == 0,
       "zeek offer: info");
    ok(memcmp(info.server_id, "\x80\x02\x06\x98", 4) == 0 &&
       memcmp(info.giaddr, "\0\0\0\0", 4) == 0, "zeek offer: server id 128.2.6.152, not relayed");
    parse(false, zeek_discover, sizeof(zeek_discover), &info, &r);
    ok(memcmp(info.server_id, "\0\0\0\0", 4) == 0, "zeek discover: no server id");
}

/* What binding needs from a server's ACK: the lease, the client, the
 * server's own address and whether a relay carried it. */
static void
test_v4_ack(void)
{
    static const uint8_t mac[6] = { 0x00, 0xe0, 0xfc, 0x01, 0x02, 0x03 };
    static const uint8_t sid[4] = { 10, 0, 0, 1 };
    static const uint8_t lease[4] = { 10, 0, 5, 77 };
    struct pkt p;
    struct dhcp4_info info;
    struct rec r;

    v4_header(&p, 2, 1, mac, 6, "10.0.5.77");
    p.b[24] = 10, p.b[25] = 0, p.b[26] = 5, p.b[27] = 1; /* giaddr 10.0.5.1 */
    opt4_byte(&p, 53, 5);                       /* ACK */
    opt4(&p, 54, sid, 4);                       /* server identifier */
    opt4_str(&p, 60, "HUAWEI AR1220");          /* a server's: not emitted */
    put8(&p, 255);
    is_int(parse(false, p.b, p.n, &info, &r), 0, "ack: nothing emitted");
    ok(info.op == 2 && info.msg_type == 5, "ack: op 2, type 5");
    ok(info.has_chaddr && memcmp(info.chaddr, mac, 6) == 0 && memcmp(info.yiaddr, lease, 4) == 0,
       "ack: chaddr and yiaddr");
    ok(memcmp(info.server_id, sid, 4) == 0, "ack: option 54");
    ok(memcmp(info.giaddr, "\x0a\x00\x05\x01", 4) == 0, "ack: giaddr of the relay");
    ok(memcmp(info.requested, "\0\0\0\0", 4) == 0, "ack: no option 50");

    /* option 54 of a wrong length is not an address; a later cut stands */
    v4_header(&p, 2, 1, mac, 6, "10.0.5.77");
    opt4_byte(&p, 53, 5);
    opt4(&p, 54, sid, 3);
    put8(&p, 255);
    ok(parse(false, p.b, p.n, &info, &r) == 0 && memcmp(info.server_id, "\0\0\0\0", 4) == 0,
       "ack: a 3-byte option 54 is ignored");
    v4_header(&p, 2, 1, mac, 6, "10.0.5.77");
    opt4_byte(&p, 53, 5);
    opt4(&p, 54, sid, 4);
    put8(&p, 12), put8(&p, 40);                 /* runs past the end */
    ok(parse(false, p.b, p.n, &info, &r) == -1 && info.msg_type == 5 &&
       memcmp(info.server_id, sid, 4) == 0 && memcmp(info.yiaddr, lease, 4) == 0,
       "ack: options before a framing fault are kept");
}

/* ---------------------------------------------------------------- DHCPv6 */

static void
v6_header(struct pkt *p, unsigned type)
{
    memset(p, 0, sizeof(*p));
    put8(p, type);
    put8(p, 0x12), put16(p, 0x3456);            /* xid */
    mark(p);
}

static void
opt6(struct pkt *p, unsigned code, const void *d, size_t len)
{
    put16(p, code);
    put16(p, (unsigned)len);
    putn(p, d, len);
    mark(p);
}

/* Vendor Class: enterprise, then each string as (len16, data). */
static void
opt6_vclass(struct pkt *p, uint32_t ent, const char *const *items, int n)
{
    struct pkt v;

    memset(&v, 0, sizeof(v));
    put32(&v, ent);
    for (int i = 0; i < n; i++) {
        put16(&v, (unsigned)strlen(items[i]));
        putn(&v, items[i], strlen(items[i]));
    }
    opt6(p, 16, v.b, v.n);
}

static const uint8_t HW6_MAC[6] = { 0x00, 0xe0, 0xfc, 0x11, 0x22, 0x33 };

/* Solicit of a Huawei CPE: DUID-LLT, elapsed time, ORO, vendor class 2011. */
static void
build_solicit_2011(struct pkt *p, unsigned type)
{
    static const uint8_t duid[14] = { 0x00, 0x01, 0x00, 0x01, 0x2a, 0x3b, 0x4c, 0x5d,
                                      0x00, 0xe0, 0xfc, 0x11, 0x22, 0x33 };
    static const uint8_t oro[4] = { 0x00, 0x17, 0x00, 0x18 }; /* DNS servers, domains */
    static const uint8_t elapsed[2] = { 0, 0 };
    static const char *const items[] = { "HuaweiHG8245H" };

    v6_header(p, type);
    opt6(p, 1, duid, sizeof(duid));                      /* client id: DUID-LLT */
    opt6(p, 8, elapsed, sizeof(elapsed));
    opt6(p, 6, oro, sizeof(oro));
    opt6_vclass(p, 2011, items, 1);
}

static void
test_v6_solicit(void)
{
    struct pkt p;
    struct dhcp6_info info;
    struct rec r;

    build_solicit_2011(&p, 1);
    is_int(parse(true, p.b, p.n, &info, &r), 2, "solicit 2011: two observations");
    ok(rec_is(&r, 0, SIG_FIELD_DHCPV6_ENTERPRISE, "2011"), "solicit 2011: enterprise");
    ok(rec_is(&r, 1, SIG_FIELD_DHCPV6_VENDOR_CLASS, "HuaweiHG8245H"), "solicit 2011: class data");
    ok(info.msg_type == 1 && info.has_duid_mac && memcmp(info.duid_mac, HW6_MAC, 6) == 0,
       "solicit 2011: DUID-LLT MAC");

    /* ZTE (3902): DUID-LL, two vendor-class strings, vendor opts 17 */
    {
        static const uint8_t duid_ll[10] = { 0x00, 0x03, 0x00, 0x01, 0x00, 0x19, 0xc6,
                                             0xaa, 0xbb, 0xcc };
        static const uint8_t vopts[10] = { 0x00, 0x00, 0x0f, 0x3e, 0x00, 0x01, 0x00, 0x02,
                                           'F',  '6' };
        static const char *const items[] = { "ZTE", "F660" };
        static const uint8_t mac[6] = { 0x00, 0x19, 0xc6, 0xaa, 0xbb, 0xcc };

        v6_header(&p, 11); /* Information-request */
        opt6(&p, 1, duid_ll, sizeof(duid_ll));
        opt6_vclass(&p, 3902, items, 2);
        opt6(&p, 17, vopts, sizeof(vopts));
        is_int(parse(true, p.b, p.n, &info, &r), 4, "solicit 3902: four observations");
        ok(rec_is(&r, 0, SIG_FIELD_DHCPV6_ENTERPRISE, "3902"), "3902: enterprise");
        ok(rec_is(&r, 1, SIG_FIELD_DHCPV6_VENDOR_CLASS, "ZTE"), "3902: first class");
        ok(rec_is(&r, 2, SIG_FIELD_DHCPV6_VENDOR_CLASS, "F660"), "3902: second class");
        ok(rec_is(&r, 3, SIG_FIELD_DHCPV6_ENTERPRISE, "3902"), "3902: option 17 enterprise");
        ok(info.msg_type == 11 && info.has_duid_mac && memcmp(info.duid_mac, mac, 6) == 0,
           "3902: DUID-LL MAC");
    }

    /* the same options in an Advertise and a Reply: the server's */
    build_solicit_2011(&p, 2);
    is_int(parse(true, p.b, p.n, &info, &r), 0, "advertise: nothing emitted");
    ok(info.msg_type == 2 && !info.has_duid_mac, "advertise: type, no client MAC");
    build_solicit_2011(&p, 7);
    is_int(parse(true, p.b, p.n, &info, &r), 0, "reply: nothing emitted");
}

static void
test_v6_duid(void)
{
    static const uint8_t en[12] = { 0x00, 0x02, 0x00, 0x00, 0x07, 0xdb, 1, 2, 3, 4, 5, 6 };
    static const uint8_t ll_hw6[10] = { 0x00, 0x03, 0x00, 0x06, 0, 0xe0, 0xfc, 1, 2, 3 };
    static const uint8_t ll_8[12] = { 0x00, 0x03, 0x00, 0x01, 0, 0xe0, 0xfc, 1, 2, 3, 4, 5 };
    static const uint8_t llt_short[9] = { 0x00, 0x01, 0x00, 0x01, 0, 0, 0, 0, 0 };
    const uint8_t *cases[] = { en, ll_hw6, ll_8, llt_short };
    size_t lens[] = { sizeof(en), sizeof(ll_hw6), sizeof(ll_8), sizeof(llt_short) };
    const char *names[] = { "DUID-EN", "DUID-LL hwtype 6", "DUID-LL 8-byte address",
                            "DUID-LLT truncated" };
    struct pkt p;
    struct dhcp6_info info;
    struct rec r;

    for (int i = 0; i < 4; i++) {
        v6_header(&p, 1);
        opt6(&p, 1, cases[i], lens[i]);
        is_int(parse(true, p.b, p.n, &info, &r), 0, "%s: parses", names[i]);
        ok(!info.has_duid_mac, "%s: no MAC", names[i]);
    }
}

/* Relay-forw headers (hop count, link and peer address) around msg. */
static void
wrap_relay(struct pkt *p, unsigned type, const struct pkt *msg)
{
    static const uint8_t iface[4] = { 'g', '0', '/', '1' };
    uint8_t link[16] = { 0x20, 0x01, 0x0d, 0xb8 }, peer[16] = { 0xfe, 0x80 };

    memset(p, 0, sizeof(*p));
    put8(p, type);
    put8(p, 0);
    putn(p, link, 16);
    putn(p, peer, 16);
    mark(p);
    opt6(p, 18, iface, sizeof(iface));                 /* interface-id */
    opt6(p, 9, msg->b, msg->n);                        /* relay message */
}

static void
test_v6_relay(void)
{
    struct pkt inner, outer, tmp;
    struct dhcp6_info info;
    struct rec r;
    int bad = 0;

    build_solicit_2011(&inner, 1);
    wrap_relay(&outer, 12, &inner);
    is_int(parse(true, outer.b, outer.n, &info, &r), 2, "relay-forw: inner solicit read");
    ok(rec_is(&r, 0, SIG_FIELD_DHCPV6_ENTERPRISE, "2011") &&
           rec_is(&r, 1, SIG_FIELD_DHCPV6_VENDOR_CLASS, "HuaweiHG8245H"), "relay-forw: values");
    ok(info.msg_type == 1 && info.has_duid_mac, "relay-forw: inner type and DUID");

    build_solicit_2011(&inner, 2);
    wrap_relay(&outer, 13, &inner);
    is_int(parse(true, outer.b, outer.n, &info, &r), 0, "relay-repl of advertise: nothing");

    /* four relays deep is unwrapped, five is refused */
    build_solicit_2011(&inner, 1);
    for (int i = 0; i < 4; i++) {
        wrap_relay(&tmp, 12, &inner);
        inner = tmp;
    }
    is_int(parse(true, inner.b, inner.n, &info, &r), 2, "relay depth 4: read");
    wrap_relay(&tmp, 12, &inner);
    is_int(parse(true, tmp.b, tmp.n, &info, &r), -1, "relay depth 5: refused");

    /* truncated relay header or inner message */
    build_solicit_2011(&inner, 1);
    wrap_relay(&outer, 12, &inner);
    for (size_t k = 0; k < outer.n; k++)
        if (parse(true, outer.b, k, &info, &r) != (is_cut(&outer, k) ? 0 : -1) || r.n != 0)
            bad++;
    is_int(bad, 0, "relay truncated at every length: -1 except between outer options");
    /* a relay message option holding a cut message */
    wrap_relay(&tmp, 12, &inner);
    tmp.b[tmp.n - inner.n - 1] = 3; /* relay message length 3: xid cut */
    tmp.n = tmp.n - inner.n + 3;
    is_int(parse(true, tmp.b, tmp.n, &info, &r), -1, "relay with a 3-byte inner message");
    /* relay without a relay message */
    memset(&tmp, 0, sizeof(tmp));
    wrap_relay(&outer, 12, &tmp);
    outer.n -= 4; /* drop the empty option 9 */
    is_int(parse(true, outer.b, outer.n, &info, &r), 0, "relay without option 9");
}

static void
test_v6_malformed(void)
{
    struct pkt p, full_p;
    struct dhcp6_info info;
    struct rec full, r;
    int bad = 0, prefix_bad = 0;

    build_solicit_2011(&full_p, 1);
    parse(true, full_p.b, full_p.n, NULL, &full);
    for (size_t k = 0; k < full_p.n; k++) {
        int ret = parse(true, full_p.b, k, &info, &r);

        if (ret != (is_cut(&full_p, k) ? r.n : -1))
            bad++;
        for (int i = 0; i < r.n; i++)
            if (!rec_is(&full, i, r.field[i], r.value[i]))
                prefix_bad++;
    }
    is_int(bad, 0, "v6 truncation: -1 unless cut between options");
    is_int(prefix_bad, 0, "v6 truncation: emissions are a prefix");

    /* a vendor-class item running past its option: earlier items stand,
     * the next option is still read */
    {
        static const uint8_t vc[13] = { 0, 0, 0x07, 0xdb, 0, 3, 'A', 'B', 'C', 0, 9, 'X', 'Y' };
        static const uint8_t vo[4] = { 0, 0, 0x0f, 0x3e };
        static const uint8_t vc_short[3] = { 0, 0, 0x07 };

        v6_header(&p, 1);
        opt6(&p, 16, vc, sizeof(vc));
        opt6(&p, 16, vc_short, sizeof(vc_short));   /* no room for an enterprise */
        opt6(&p, 17, vo, sizeof(vo));
        opt6(&p, 17, vo, 3);
        is_int(parse(true, p.b, p.n, &info, &r), 3, "item overrun: option ends, parse goes on");
        ok(rec_is(&r, 0, SIG_FIELD_DHCPV6_ENTERPRISE, "2011") &&
               rec_is(&r, 1, SIG_FIELD_DHCPV6_VENDOR_CLASS, "ABC") &&
               rec_is(&r, 2, SIG_FIELD_DHCPV6_ENTERPRISE, "3902"), "item overrun: values");
    }

    /* option length past the message after a good option */
    build_solicit_2011(&p, 1);
    put16(&p, 16), put16(&p, 100), put32(&p, 3902);
    is_int(parse(true, p.b, p.n, &info, &r), -1, "v6 overrun: malformed");
    is_int(r.n, 2, "v6 overrun: earlier emissions stand");

    build_solicit_2011(&p, 1);
    p.b[0] = 0;
    is_int(parse(true, p.b, p.n, &info, &r), -1, "message type 0");
    is_int(parse(true, p.b, 0, &info, &r), -1, "empty message");
    build_solicit_2011(&p, 1);
    put8(&p, 0);
    is_int(parse(true, p.b, p.n, &info, &r), -1, "stray byte after options");
    is_int(dhcp6_parse(NULL, 10, &info, NULL), -1, "v6 NULL message");
    build_solicit_2011(&p, 1);
    is_int(dhcp6_parse(p.b, p.n, NULL, NULL), 2, "v6 NULL info and sink");
}

int
main(void)
{
    test_android_discover();
    test_v4_truncation();
    test_v4_options();
    test_v4_real();
    test_v4_ack();
    test_v6_solicit();
    test_v6_duid();
    test_v6_relay();
    test_v6_malformed();
    return done_testing();
}
