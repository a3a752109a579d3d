/* ex_bind_t.c - unit tests for the ARP and neighbour discovery parsers
 * (ex_bind.h).
 *
 * References: RFC 826, RFC 5227, RFC 4861. Messages are built field by
 * field (each call's comment gives the readable content); every parse runs
 * on an exact-size heap copy so AddressSanitizer catches a read past the
 * message. One test goes through decode_packet() to pin down what a decoded
 * ICMPv6 packet's payload holds.
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
#include "telexpose/decode.h"
#include "telexpose/ex_bind.h"

static const uint8_t MAC_A[6] = { 0x00, 0xe0, 0xfc, 0x12, 0x34, 0x56 };
static const uint8_t MAC_B[6] = { 0x3c, 0x22, 0xfb, 0xaa, 0xbb, 0xcc };
static const uint8_t ZERO[16];

static int
arp(const uint8_t *b, size_t n, struct arp_info *out)
{
    uint8_t *copy = dup_bytes(b, n);
    int ret = arp_parse(copy, n, out);

    free(copy);
    return ret;
}

static int
nd(const uint8_t *b, size_t n, struct nd_info *out)
{
    uint8_t *copy = dup_bytes(b, n);
    int ret = nd_parse(copy, n, out);

    free(copy);
    return ret;
}

static bool
arp_zero(const struct arp_info *a)
{
    struct arp_info z;

    memset(&z, 0, sizeof(z));
    return memcmp(a, &z, sizeof(z)) == 0;
}

static bool
nd_zero(const struct nd_info *a)
{
    struct nd_info z;

    memset(&z, 0, sizeof(z));
    return memcmp(a, &z, sizeof(z)) == 0;
}

static void
put_ip4(struct pkt *p, const char *s)
{
    uint8_t a[4];

    if (inet_pton(AF_INET, s, a) != 1)
        abort();
    putn(p, a, 4);
}

static void
put_ip6(struct pkt *p, const char *s)
{
    uint8_t a[16];

    if (inet_pton(AF_INET6, s, a) != 1)
        abort();
    putn(p, a, 16);
}

static bool
ip6_is(const uint8_t a[16], const char *s)
{
    uint8_t want[16];

    return inet_pton(AF_INET6, s, want) == 1 && memcmp(a, want, 16) == 0;
}

/* ------------------------------------------------------------------ ARP */

static void
arp_msg(struct pkt *p, unsigned htype, unsigned ptype, unsigned hlen, unsigned plen, unsigned op,
        const uint8_t *sha, const char *spa, const uint8_t *tha, const char *tpa)
{
    memset(p, 0, sizeof(*p));
    put16(p, htype);
    put16(p, ptype);
    put8(p, hlen);
    put8(p, plen);
    put16(p, op);
    putn(p, sha, 6);
    put_ip4(p, spa);
    putn(p, tha, 6);
    put_ip4(p, tpa);
}

static void
test_arp_request_reply(void)
{
    struct pkt p;
    struct arp_info a;

    /* who-has 192.168.1.1 tell 192.168.1.20, padded to Ethernet's minimum */
    arp_msg(&p, 1, 0x0800, 6, 4, 1, MAC_A, "192.168.1.20", ZERO, "192.168.1.1");
    p.n += 18;
    is_int(arp(p.b, p.n, &a), 0, "arp request: parsed (padding ignored)");
    ok(a.op == ARP_OP_REQUEST, "arp request: op 1");
    ok(memcmp(a.sender_mac, MAC_A, 6) == 0, "arp request: sender MAC");
    ok(memcmp(a.sender_ip, "\xc0\xa8\x01\x14", 4) == 0, "arp request: sender IP");
    ok(memcmp(a.target_mac, ZERO, 6) == 0, "arp request: target MAC zero");
    ok(memcmp(a.target_ip, "\xc0\xa8\x01\x01", 4) == 0, "arp request: target IP");
    ok(!a.probe && !a.gratuitous, "arp request: neither probe nor gratuitous");

    /* 192.168.1.1 is-at MAC_B, to 192.168.1.20 at MAC_A */
    arp_msg(&p, 1, 0x0800, 6, 4, 2, MAC_B, "192.168.1.1", MAC_A, "192.168.1.20");
    is_int(arp(p.b, p.n, &a), 0, "arp reply: parsed at exactly 28 bytes");
    ok(a.op == ARP_OP_REPLY && memcmp(a.sender_mac, MAC_B, 6) == 0 &&
       memcmp(a.sender_ip, "\xc0\xa8\x01\x01", 4) == 0, "arp reply: op 2, sender MAC and IP");
    ok(memcmp(a.target_mac, MAC_A, 6) == 0 && memcmp(a.target_ip, "\xc0\xa8\x01\x14", 4) == 0,
       "arp reply: target is the asker");

    /* an op we do not bind on is still reported as it is */
    arp_msg(&p, 1, 0x0800, 6, 4, 9, MAC_B, "10.0.0.1", MAC_A, "10.0.0.2");
    ok(arp(p.b, p.n, &a) == 0 && a.op == 9, "arp: InARP reply op 9 reported as is");
}

static void
test_arp_probe_announce(void)
{
    struct pkt p;
    struct arp_info a;

    /* RFC 5227 probe: who-has 10.1.2.3 tell 0.0.0.0 */
    arp_msg(&p, 1, 0x0800, 6, 4, 1, MAC_A, "0.0.0.0", ZERO, "10.1.2.3");
    is_int(arp(p.b, p.n, &a), 0, "arp probe: parsed");
    ok(a.probe && !a.gratuitous, "arp probe: probe, not gratuitous");
    ok(memcmp(a.target_ip, "\x0a\x01\x02\x03", 4) == 0, "arp probe: the address checked");

    /* announcement: who-has 10.1.2.3 tell 10.1.2.3 */
    arp_msg(&p, 1, 0x0800, 6, 4, 1, MAC_A, "10.1.2.3", ZERO, "10.1.2.3");
    ok(arp(p.b, p.n, &a) == 0 && a.gratuitous && !a.probe, "arp announcement: gratuitous");

    /* gratuitous reply, target MAC broadcast */
    static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    arp_msg(&p, 1, 0x0800, 6, 4, 2, MAC_B, "10.1.2.4", bcast, "10.1.2.4");
    ok(arp(p.b, p.n, &a) == 0 && a.gratuitous && a.op == 2, "arp gratuitous reply: gratuitous");

    /* the degenerate 0.0.0.0 = 0.0.0.0 is a probe only */
    arp_msg(&p, 1, 0x0800, 6, 4, 1, MAC_A, "0.0.0.0", ZERO, "0.0.0.0");
    ok(arp(p.b, p.n, &a) == 0 && a.probe && !a.gratuitous, "arp 0.0.0.0 both sides: probe only");
}

static void
test_arp_malformed(void)
{
    struct pkt p;
    struct arp_info a;
    bool all = true;

    arp_msg(&p, 1, 0x0800, 6, 4, 2, MAC_B, "192.168.1.1", MAC_A, "192.168.1.20");
    for (size_t k = 0; k < 28; k++) {
        memset(&a, 0xa5, sizeof(a));
        all = all && arp(p.b, k, &a) == -1 && arp_zero(&a);
    }
    ok(all, "arp cut at every length below 28: -1, info zeroed");
    memset(&a, 0xa5, sizeof(a));
    ok(arp_parse(NULL, 28, &a) == -1 && arp_zero(&a), "arp: NULL buffer is -1");

    static const struct {
        unsigned htype, ptype, hlen, plen;
        const char *what;
    } bad[] = {
        { 6, 0x0800, 6, 4, "hardware type IEEE 802" },
        { 1, 0x86dd, 6, 4, "protocol type IPv6" },
        { 1, 0x0800, 8, 4, "hardware length 8" },
        { 1, 0x0800, 6, 16, "protocol length 16" },
        { 0x0100, 0x0008, 6, 4, "byte-swapped types" },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        arp_msg(&p, bad[i].htype, bad[i].ptype, bad[i].hlen, bad[i].plen, 1, MAC_A, "10.0.0.1",
                ZERO, "10.0.0.2");
        p.n += 24; /* room for longer addresses: still refused */
        memset(&a, 0xa5, sizeof(a));
        ok(arp(p.b, p.n, &a) == -1 && arp_zero(&a), "arp %s: refused", bad[i].what);
    }
}

/* --------------------------------------------------- neighbour discovery */

/* ICMPv6 header: type, code, checksum, the 4 message-specific bytes. */
static void
icmp6(struct pkt *p, unsigned type, unsigned code, uint32_t word)
{
    memset(p, 0, sizeof(*p));
    put8(p, type);
    put8(p, code);
    put16(p, 0xbeef); /* checksum: not checked */
    put32(p, word);
}

static void
opt_ll(struct pkt *p, unsigned type, const uint8_t mac[6])
{
    put8(p, type);
    put8(p, 1);
    putn(p, mac, 6);
    mark(p);
}

/* NS for 2001:db8::1 from a host with a Source Link-Layer option */
static void
build_ns(struct pkt *p)
{
    icmp6(p, 135, 0, 0);
    put_ip6(p, "2001:db8::1");
    mark(p);
    opt_ll(p, 1, MAC_A);
}

/* solicited, override NA from a router for fe80::1 with its Target LL */
static void
build_na(struct pkt *p, unsigned flags)
{
    icmp6(p, 136, 0, (uint32_t)flags << 24);
    put_ip6(p, "fe80::1");
    mark(p);
    opt_ll(p, 2, MAC_B);
}

/* RA: hop limit 64, lifetime 1800, a Prefix Information option, an MTU
 * option, then the Source LL option */
static void
build_ra(struct pkt *p)
{
    icmp6(p, 134, 0, 0x40000708);
    put32(p, 0), put32(p, 0); /* reachable time, retrans timer */
    mark(p);
    put8(p, 3), put8(p, 4);   /* prefix information, 32 bytes */
    put8(p, 64), put8(p, 0xc0);
    put32(p, 86400), put32(p, 14400), put32(p, 0);
    put_ip6(p, "2001:db8:1::");
    mark(p);
    put8(p, 5), put8(p, 1);   /* MTU 1500 */
    put16(p, 0), put32(p, 1500);
    mark(p);
    opt_ll(p, 1, MAC_B);
}

static void
test_nd_messages(void)
{
    struct pkt p;
    struct nd_info n;

    build_ns(&p);
    is_int(nd(p.b, p.n, &n), 0, "ns: parsed");
    ok(n.type == 135 && n.has_target && ip6_is(n.target, "2001:db8::1"), "ns: type, target");
    ok(n.has_source_ll && memcmp(n.source_ll, MAC_A, 6) == 0 && !n.has_target_ll,
       "ns: source LL option, no target LL");
    ok(!n.router && !n.solicited && !n.override, "ns: no NA flags");

    /* DAD: from ::, no option */
    icmp6(&p, 135, 0, 0);
    put_ip6(&p, "fe80::21e:fcff:fe12:3456");
    ok(nd(p.b, p.n, &n) == 0 && n.has_target && !n.has_source_ll, "ns (dad): target, no option");

    build_na(&p, 0xe0);
    is_int(nd(p.b, p.n, &n), 0, "na: parsed");
    ok(n.type == 136 && ip6_is(n.target, "fe80::1"), "na: type, target");
    ok(n.has_target_ll && memcmp(n.target_ll, MAC_B, 6) == 0 && !n.has_source_ll,
       "na: target LL option");
    ok(n.router && n.solicited && n.override, "na: R S O all set");
    build_na(&p, 0x40);
    ok(nd(p.b, p.n, &n) == 0 && !n.router && n.solicited && !n.override, "na: S only");
    build_na(&p, 0x20);
    ok(nd(p.b, p.n, &n) == 0 && !n.router && !n.solicited && n.override, "na: O only");
    build_na(&p, 0x80);
    ok(nd(p.b, p.n, &n) == 0 && n.router && !n.solicited && !n.override, "na: R only");
    build_na(&p, 0x1f);
    ok(nd(p.b, p.n, &n) == 0 && !n.router && !n.solicited && !n.override,
       "na: reserved bits are no flags");

    build_ra(&p);
    is_int(nd(p.b, p.n, &n), 0, "ra: parsed");
    ok(n.type == 134 && !n.has_target, "ra: type, no target");
    ok(n.has_source_ll && memcmp(n.source_ll, MAC_B, 6) == 0,
       "ra: source LL found after prefix and MTU options");
    ok(!n.router && !n.override, "ra: its flags are not NA flags");

    icmp6(&p, 133, 0, 0);
    opt_ll(&p, 1, MAC_A);
    ok(nd(p.b, p.n, &n) == 0 && n.type == 133 && n.has_source_ll &&
       memcmp(n.source_ll, MAC_A, 6) == 0 && !n.has_target, "rs: source LL option");
    icmp6(&p, 133, 0, 0);
    ok(nd(p.b, p.n, &n) == 0 && n.type == 133 && !n.has_source_ll, "rs: bare, 8 bytes");
}

static void
test_nd_options(void)
{
    struct pkt p;
    struct nd_info n;

    /* two Source LL options: the first counts */
    build_ns(&p);
    opt_ll(&p, 1, MAC_B);
    ok(nd(p.b, p.n, &n) == 0 && memcmp(n.source_ll, MAC_A, 6) == 0, "options: first source LL wins");

    /* a 16-byte link-layer address (another link type) is skipped */
    icmp6(&p, 136, 0, 0x20000000);
    put_ip6(&p, "2001:db8::5");
    put8(&p, 2), put8(&p, 2);
    p.n += 14;
    ok(nd(p.b, p.n, &n) == 0 && !n.has_target_ll, "options: length-2 target LL skipped");
    opt_ll(&p, 2, MAC_A);
    ok(nd(p.b, p.n, &n) == 0 && n.has_target_ll && memcmp(n.target_ll, MAC_A, 6) == 0,
       "options: an Ethernet one after it is taken");

    /* unknown options are walked over */
    icmp6(&p, 135, 0, 0);
    put_ip6(&p, "2001:db8::1");
    put8(&p, 14), put8(&p, 1), p.n += 6; /* nonce */
    put8(&p, 200), put8(&p, 2), p.n += 14;
    opt_ll(&p, 1, MAC_B);
    ok(nd(p.b, p.n, &n) == 0 && n.has_source_ll && memcmp(n.source_ll, MAC_B, 6) == 0,
       "options: unknown ones skipped by their length");

    /* zero length: malformed (RFC 4861 4.6), even after a good option */
    build_ns(&p);
    put8(&p, 1), put8(&p, 0), p.n += 6;
    memset(&n, 0xa5, sizeof(n));
    ok(nd(p.b, p.n, &n) == -1 && nd_zero(&n), "options: length 0 is malformed, info zeroed");

    /* length running past the message */
    build_ns(&p);
    put8(&p, 1), put8(&p, 2), p.n += 6;
    ok(nd(p.b, p.n, &n) == -1 && nd_zero(&n), "options: length past the end is malformed");

    /* a lone trailing byte */
    build_ns(&p);
    put8(&p, 1);
    ok(nd(p.b, p.n, &n) == -1, "options: one trailing byte is malformed");
}

static void
test_nd_refused(void)
{
    struct pkt p;
    struct nd_info n;

    build_na(&p, 0x60);
    p.b[1] = 1;
    ok(nd(p.b, p.n, &n) == -1 && nd_zero(&n), "refused: code 1");
    static const unsigned types[] = { 128, 129, 132, 137, 1, 255 };
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        build_na(&p, 0x60);
        p.b[0] = (uint8_t)types[i];
        p.n += 16; /* a redirect's destination */
        ok(nd(p.b, p.n, &n) == -1 && nd_zero(&n), "refused: type %u", types[i]);
    }
    icmp6(&p, 136, 0, 0x20000000);
    put_ip6(&p, "ff02::1");
    ok(nd(p.b, p.n, &n) == -1 && nd_zero(&n), "refused: NA for a multicast target");
    icmp6(&p, 135, 0, 0);
    put_ip6(&p, "ff02::1:ff00:1");
    ok(nd(p.b, p.n, &n) == -1, "refused: NS for a multicast target");
    ok(nd_parse(NULL, 24, &n) == -1 && nd_zero(&n), "refused: NULL buffer");
}

/* Every prefix of a message: below the fixed part or inside an option it is
 * malformed with nothing filled; at an option boundary it parses, with only
 * what the whole message has. */
static void
truncations(const char *what, void (*build)(struct pkt *))
{
    struct pkt p;
    struct nd_info full, n;
    bool right = true;

    build(&p);
    if (nd(p.b, p.n, &full) != 0)
        abort();
    for (size_t k = 0; k < p.n; k++) {
        int ret;

        memset(&n, 0xa5, sizeof(n));
        ret = nd(p.b, k, &n);
        if (!is_cut(&p, k)) {
            right = right && ret == -1 && nd_zero(&n);
            continue;
        }
        right = right && ret == 0 && n.type == full.type && n.has_target == full.has_target &&
                (!n.has_source_ll || memcmp(n.source_ll, full.source_ll, 6) == 0) &&
                (!n.has_target_ll || memcmp(n.target_ll, full.target_ll, 6) == 0) &&
                !(n.has_source_ll && n.has_target_ll);
    }
    ok(right, "%s cut at every length: -1 and zeroed, or a subset at an option boundary", what);
}

static void
build_na_ros(struct pkt *p)
{
    build_na(p, 0xe0);
}

/* ------------------------------------------------------ through decode */

/* Ethernet + IPv6 (hop limit 255) + the ICMPv6 NA of build_na. */
static void
test_nd_decoded(void)
{
    struct pkt m, f;
    struct decoded_pkt d;
    struct nd_info n;

    build_na(&m, 0x60);
    memset(&f, 0, sizeof(f));
    static const uint8_t all_nodes[6] = { 0x33, 0x33, 0, 0, 0, 1 };
    putn(&f, all_nodes, 6);
    putn(&f, MAC_B, 6);
    put16(&f, 0x86dd);
    put32(&f, 0x60000000);
    put16(&f, (unsigned)m.n), put8(&f, 58), put8(&f, 255);
    put_ip6(&f, "fe80::1");
    put_ip6(&f, "ff02::1");
    putn(&f, m.b, m.n);
    uint8_t *copy = dup_bytes(f.b, f.n);
    enum decode_reason r = decode_packet(DECODE_DLT_EN10MB, copy, (uint32_t)f.n, (uint32_t)f.n, &d);
    ok(r == DECODE_OK && d.proto == 58 && d.has_l4 && d.icmp_type == 136 && d.ttl == 255,
       "decoded: an ICMPv6 NA with hop limit 255");
    ok(d.payload == copy + 14 + 40 + 8 && d.payload_len == m.n - 8,
       "decoded: payload starts after the 8-byte ICMPv6 header");
    ok(nd_parse(d.payload - 8, d.payload_len + 8, &n) == 0 && n.type == 136 && n.solicited &&
       n.override && memcmp(n.target_ll, MAC_B, 6) == 0,
       "decoded: payload - 8 is the message nd_parse reads, flags included");
    free(copy);
}

int
main(void)
{
    test_arp_request_reply();
    test_arp_probe_announce();
    test_arp_malformed();
    test_nd_messages();
    test_nd_options();
    test_nd_refused();
    truncations("ns", build_ns);
    truncations("na", build_na_ros);
    truncations("ra", build_ra);
    test_nd_decoded();
    return done_testing();
}
