/* decode_t.c - unit tests for decode_packet(): every encapsulation, every length field.
 *
 * Reference: include/telexpose/decode.h (contract), docs/internals/DECODE.md.
 * Frames are built layer by layer with the small writers below (each call
 * comment gives the readable content); each decode runs on an exact-size heap
 * copy so AddressSanitizer catches any read past caplen.
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkt_writer.h"
#include "tap.h"
#include "telexpose/decode.h"

/* ------------------------------------------------------------ frame writer */

static const uint8_t MAC_A[6] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55};
static const uint8_t MAC_B[6] = {0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb};
static const uint8_t MAC_C[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x0c};
static const uint8_t MAC_D[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x0d};

/* n payload bytes 'a', 'b', ... */
static void
putpat(struct pkt *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put8(p, 'a' + (unsigned)(i % 26));
}

static void
set16(struct pkt *p, size_t off, unsigned v)
{
    p->b[off] = (uint8_t)(v >> 8);
    p->b[off + 1] = (uint8_t)v;
}

static void
putaddr(struct pkt *p, int af, const char *s)
{
    uint8_t a[16];

    if (inet_pton(af, s, a) != 1)
        abort();
    putn(p, a, af == AF_INET ? 4 : 16);
}

/* Ethernet II: dst, src, type */
static void
eth_mac(struct pkt *p, const uint8_t *dst, const uint8_t *src, unsigned type)
{
    putn(p, dst, 6);
    putn(p, src, 6);
    put16(p, type);
}

/* Ethernet II 00:11:22:33:44:55 <- 66:77:88:99:aa:bb, type */
static void
eth(struct pkt *p, unsigned type)
{
    eth_mac(p, MAC_A, MAC_B, type);
}

/* 802.1Q tag body: TCI (PCP 3 + VID), next type */
static void
tag(struct pkt *p, unsigned vid, unsigned next)
{
    put16(p, 0x6000 | vid);
    put16(p, next);
}

/* MPLS label stack entry: label, TC 0, S, TTL 64 */
static void
mpls(struct pkt *p, uint32_t label, bool bos)
{
    put32(p, label << 12 | (bos ? 0x100u : 0) | 64);
}

/* IPv4 header with optlen bytes of NOP options; total length fixed by ip4_end. */
static size_t
ip4x(struct pkt *p, const char *src, const char *dst, unsigned proto, unsigned id,
     unsigned frag, size_t optlen)
{
    size_t off = p->n;

    put8(p, 0x40 | (unsigned)((20 + optlen) / 4));
    put8(p, 0);
    put16(p, 0); /* total length, set by ip4_end */
    put16(p, id);
    put16(p, frag);
    put8(p, 64);
    put8(p, proto);
    put16(p, 0);
    putaddr(p, AF_INET, src);
    putaddr(p, AF_INET, dst);
    for (size_t i = 0; i < optlen; i++)
        put8(p, 1);
    return off;
}

static size_t
ip4(struct pkt *p, const char *src, const char *dst, unsigned proto)
{
    return ip4x(p, src, dst, proto, 0x1234, 0x4000 /* DF */, 0);
}

static void
ip4_end(struct pkt *p, size_t off)
{
    set16(p, off + 2, (unsigned)(p->n - off));
}

/* IPv6 header, hop limit 60; payload length fixed by ip6_end. */
static size_t
ip6(struct pkt *p, const char *src, const char *dst, unsigned nh)
{
    size_t off = p->n;

    put32(p, 0x60000000);
    put16(p, 0);
    put8(p, nh);
    put8(p, 60);
    putaddr(p, AF_INET6, src);
    putaddr(p, AF_INET6, dst);
    return off;
}

static void
ip6_end(struct pkt *p, size_t off)
{
    set16(p, off + 4, (unsigned)(p->n - off - 40));
}

/* IPv6 extension header of 8*(len8+1) bytes (zero filled) */
static void
ext6(struct pkt *p, unsigned nh, unsigned len8)
{
    put8(p, nh);
    put8(p, len8);
    for (unsigned i = 0; i < 8 * (len8 + 1) - 2; i++)
        put8(p, 0);
}

/* TCP header with optlen bytes of NOP options */
static void
tcpx(struct pkt *p, unsigned sport, unsigned dport, uint32_t seq, uint32_t ack, unsigned flags,
     size_t optlen)
{
    put16(p, sport);
    put16(p, dport);
    put32(p, seq);
    put32(p, ack);
    put8(p, (unsigned)((20 + optlen) / 4) << 4);
    put8(p, flags);
    put16(p, 65535);
    put32(p, 0);
    for (size_t i = 0; i < optlen; i++)
        put8(p, 1);
}

static void
tcp(struct pkt *p, unsigned sport, unsigned dport, unsigned flags)
{
    tcpx(p, sport, dport, 1000, 2000, flags, 0);
}

/* UDP header; length fixed by udp_end */
static size_t
udp(struct pkt *p, unsigned sport, unsigned dport)
{
    size_t off = p->n;

    put16(p, sport);
    put16(p, dport);
    put32(p, 0);
    return off;
}

static void
udp_end(struct pkt *p, size_t off)
{
    set16(p, off + 4, (unsigned)(p->n - off));
}

/* ICMP/ICMPv6: type, code, checksum 0, id, seq */
static void
icmp(struct pkt *p, unsigned type, unsigned code, unsigned id, unsigned seq)
{
    put8(p, type);
    put8(p, code);
    put16(p, 0);
    put16(p, id);
    put16(p, seq);
}

/* GRE v0 with the optional fields its flags announce */
static void
gre(struct pkt *p, unsigned flags, unsigned proto, uint32_t key)
{
    put16(p, flags);
    put16(p, proto);
    if (flags & 0xc000)
        put32(p, 0);
    if (flags & 0x2000)
        put32(p, key);
    if (flags & 0x1000)
        put32(p, 77);
}

/* PPPoE session header; length fixed by pppoe_end */
static size_t
pppoe(struct pkt *p, unsigned ppp_proto)
{
    size_t off = p->n;

    put8(p, 0x11);
    put8(p, 0);
    put16(p, 0x0042);
    put16(p, 0);
    put16(p, ppp_proto);
    return off;
}

static void
pppoe_end(struct pkt *p, size_t off)
{
    set16(p, off + 4, (unsigned)(p->n - off - 6));
}

/* GTP-U v1 header (flags, type, TEID); length fixed by gtp_end */
static size_t
gtp(struct pkt *p, unsigned flags, unsigned type, uint32_t teid)
{
    size_t off = p->n;

    put8(p, flags);
    put8(p, type);
    put16(p, 0);
    put32(p, teid);
    return off;
}

static void
gtp_end(struct pkt *p, size_t off)
{
    set16(p, off + 2, (unsigned)(p->n - off - 8));
}

/* Standard inner flows. */
#define V4A "192.0.2.1"
#define V4B "198.51.100.2"
#define V6A "2001:db8::1"
#define V6B "2001:db8::2"
#define OUT_A "203.0.113.1"
#define OUT_B "203.0.113.2"
#define TCP_PSHACK 0x18

/* IPv4 192.0.2.1:1234 -> 198.51.100.2:80 TCP PSH|ACK seq 1000 ack 2000, "abcde" */
static void
tcp4(struct pkt *p)
{
    size_t ip = ip4(p, V4A, V4B, 6);

    tcp(p, 1234, 80, TCP_PSHACK);
    putpat(p, 5);
    ip4_end(p, ip);
}

/* IPv6 2001:db8::1:5353 -> 2001:db8::2:53 UDP, 7 payload bytes */
static void
udp6(struct pkt *p)
{
    size_t ip = ip6(p, V6A, V6B, 17);
    size_t u = udp(p, 5353, 53);

    putpat(p, 7);
    udp_end(p, u);
    ip6_end(p, ip);
}

/* ------------------------------------------------------------ decode + check */

static uint8_t *frame; /* exact-size copy of the last decoded frame */

static enum decode_reason
decw(int dlt, const struct pkt *p, size_t caplen, size_t wirelen, struct decoded_pkt *o)
{
    free(frame);
    frame = malloc(caplen ? caplen : 1);
    if (!frame)
        abort();
    memcpy(frame, p->b, caplen);
    return decode_packet(dlt, frame, (uint32_t)caplen, (uint32_t)wirelen, o);
}

static enum decode_reason
dec(int dlt, const struct pkt *p, struct decoded_pkt *o)
{
    return decw(dlt, p, p->n, p->n, o);
}

static const char *
astr(const struct decode_addr *a)
{
    static char bufs[4][64];
    static int i;

    i = (i + 1) % 4;
    return decode_addr_str(a, bufs[i], sizeof(bufs[i]));
}

static bool
mac_is(const uint8_t *got, const uint8_t *want)
{
    return memcmp(got, want, 6) == 0;
}

static void
check_tcp4(const struct decoded_pkt *o, const char *what)
{
    is_int(o->ip_version, 4, "%s: ip_version", what);
    is_str(astr(&o->src), V4A, "%s: src", what);
    is_str(astr(&o->dst), V4B, "%s: dst", what);
    is_int(o->proto, 6, "%s: proto tcp", what);
    ok(o->has_l4, "%s: has_l4", what);
    is_int(o->src_port, 1234, "%s: sport", what);
    is_int(o->dst_port, 80, "%s: dport", what);
    is_int(o->tcp_flags, TCP_PSHACK, "%s: flags", what);
    is_int(o->payload_len, 5, "%s: payload_len", what);
    ok(o->payload && memcmp(o->payload, "abcde", 5) == 0, "%s: payload bytes", what);
}

static void
check_udp6(const struct decoded_pkt *o, const char *what)
{
    is_int(o->ip_version, 6, "%s: ip_version", what);
    is_str(astr(&o->src), V6A, "%s: src", what);
    is_str(astr(&o->dst), V6B, "%s: dst", what);
    is_int(o->proto, 17, "%s: proto udp", what);
    ok(o->has_l4, "%s: has_l4", what);
    is_int(o->src_port, 5353, "%s: sport", what);
    is_int(o->dst_port, 53, "%s: dport", what);
    is_int(o->payload_len, 7, "%s: payload_len", what);
}

/* One malformed frame: only the reason is checked. */
#define BAD(dlt, p, want, what) is_int(dec((dlt), (p), &o), (want), "%s", what)

/* ------------------------------------------------------------------- tests */

static void
test_ethernet(void)
{
    struct pkt p = {0};
    struct decoded_pkt o;

    /* Ethernet 00:11:22:33:44:55 <- 66:77:88:99:aa:bb, IPv4 TCP 1234->80 "abcde" */
    eth(&p, 0x0800);
    tcp4(&p);
    is_int(dec(DECODE_DLT_EN10MB, &p, &o), DECODE_OK, "eth/ipv4/tcp: ok");
    check_tcp4(&o, "eth/ipv4/tcp");
    ok(o.has_mac && mac_is(o.dst_mac, MAC_A) && mac_is(o.src_mac, MAC_B), "eth: macs");
    is_int(o.ethertype, 0x0800, "eth: ethertype");
    is_int(o.ttl, 64, "eth: ttl");
    is_int(o.tcp_seq, 1000, "eth: seq");
    is_int(o.tcp_ack, 2000, "eth: ack");
    is_int(o.ip_len, 45, "eth: ip_len");
    is_int(o.l3_len, 45, "eth: l3_len");
    ok(o.l3 == frame + 14, "eth: l3 points after the header");
    ok(o.l2_payload == frame + 14 && o.l2_payload_len == 45, "eth: l2_payload");
    ok(!o.is_fragment, "eth: not a fragment");
    is_int(o.frag_id, 0x1234, "eth: ipv4 id");
    is_int(o.tunnel, DECODE_TUNNEL_NONE, "eth: no tunnel");
    is_int(o.vlan_count, 0, "eth: no vlan");

    /* Same frame padded to 60 bytes: the padding is no part of the IP packet */
    p.n = 0;
    eth(&p, 0x0800);
    {
        size_t ip = ip4(&p, V4A, V4B, 17);
        size_t u = udp(&p, 5000, 6000);

        putpat(&p, 2);
        udp_end(&p, u);
        ip4_end(&p, ip);
    }
    while (p.n < 60)
        put8(&p, 0xee);
    is_int(dec(DECODE_DLT_EN10MB, &p, &o), DECODE_OK, "eth padding: ok");
    is_int(o.l3_len, 30, "eth padding: trimmed from l3_len");
    is_int(o.payload_len, 2, "eth padding: udp payload");

    /* Ethernet IPv6 UDP */
    p.n = 0;
    eth(&p, 0x86dd);
    udp6(&p);
    is_int(dec(DECODE_DLT_EN10MB, &p, &o), DECODE_OK, "eth/ipv6/udp: ok");
    check_udp6(&o, "eth/ipv6/udp");
    is_int(o.ttl, 60, "eth/ipv6: hop limit");
    is_int(o.ip_len, 40 + 15, "eth/ipv6: ip_len");

    /* ARP request (28 bytes) padded to 60 */
    p.n = 0;
    eth(&p, 0x0806);
    put16(&p, 1); put16(&p, 0x0800); put8(&p, 6); put8(&p, 4); put16(&p, 1);
    putn(&p, MAC_B, 6); putaddr(&p, AF_INET, V4A); putn(&p, MAC_A, 6); putaddr(&p, AF_INET, V4B);
    while (p.n < 60)
        put8(&p, 0);
    is_int(dec(DECODE_DLT_EN10MB, &p, &o), DECODE_NOT_IP, "arp: not_ip");
    is_int(o.ethertype, 0x0806, "arp: ethertype");
    ok(o.l2_payload == frame + 14 && o.l2_payload_len == 46, "arp: l2_payload");
    ok(o.has_mac, "arp: has_mac");

    /* LLDP */
    p.n = 0;
    eth(&p, 0x88cc);
    putpat(&p, 20);
    is_int(dec(DECODE_DLT_EN10MB, &p, &o), DECODE_NOT_IP, "lldp: not_ip");
    is_int(o.ethertype, 0x88cc, "lldp: ethertype");

    /* IEEE 802.3 length 6 + LLC (STP-ish), padded */
    p.n = 0;
    eth(&p, 6);
    put8(&p, 0x42); put8(&p, 0x42); put8(&p, 0x03); putpat(&p, 3);
    while (p.n < 60)
        put8(&p, 0);
    is_int(dec(DECODE_DLT_EN10MB, &p, &o), DECODE_NOT_IP, "802.3: not_ip");
    is_int(o.l2_payload_len, 6, "802.3: payload bounded by the length field");
    set16(&p, 12, 200);
    BAD(DECODE_DLT_EN10MB, &p, DECODE_ERR_LINK_SHORT, "802.3: length beyond frame");

    /* Truncated Ethernet header: 13 bytes */
    p.n = 13;
    BAD(DECODE_DLT_EN10MB, &p, DECODE_ERR_LINK_SHORT, "eth: 13-byte header");
    p.n = 0;
    BAD(DECODE_DLT_EN10MB, &p, DECODE_ERR_LINK_SHORT, "eth: empty frame");
}

static void
test_vlan(void)
{
    struct pkt p = {0};
    struct decoded_pkt o;
    unsigned tpids[] = {0x8100, 0x88a8, 0x9100};

    for (unsigned i = 0; i < 3; i++) {
        /* Ethernet, one tag (tpid[i]) VID 100, IPv4 TCP */
        p.n = 0;
        eth(&p, tpids[i]);
        tag(&p, 100, 0x0800);
        tcp4(&p);
        is_int(dec(DECODE_DLT_EN10MB, &p, &o), DECODE_OK, "vlan %04x: ok", tpids[i]);
        is_int(o.vlan_count, 1, "vlan %04x: one id", tpids[i]);
        is_int(o.vlan[0], 100, "vlan %04x: vid", tpids[i]);
        is_int(o.ethertype, 0x0800, "vlan %04x: inner ethertype", tpids[i]);
    }
    check_tcp4(&o, "vlan");

    /* QinQ: 0x88a8 VID 10, 0x8100 VID 20, IPv6 UDP */
    p.n = 0;
    eth(&p, 0x88a8);
    tag(&p, 10, 0x8100);
    tag(&p, 20, 0x86dd);
    udp6(&p);
    is_int(dec(DECODE_DLT_EN10MB, &p, &o), DECODE_OK, "qinq: ok");
    is_int(o.vlan_count, 2, "qinq: two ids");
    is_int(o.vlan[0], 10, "qinq: outer first");
    is_int(o.vlan[1], 20, "qinq: inner second");
    check_udp6(&o, "qinq");

    /* Three tags 1, 2, 3: the third is walked but not kept */
    p.n = 0;
    eth(&p, 0x8100);
    tag(&p, 1, 0x8100);
    tag(&p, 2, 0x8100);
    tag(&p, 3, 0x0800);
    tcp4(&p);
    is_int(dec(DECODE_DLT_EN10MB, &p, &o), DECODE_OK, "3 tags: ok");
    is_int(o.vlan_count, DECODE_MAX_VLAN, "3 tags: vlan_count capped");
    ok(o.vlan[0] == 1 && o.vlan[1] == 2, "3 tags: outermost kept");
    is_int(o.src_port, 1234, "3 tags: transport found");

    /* Eight tags is the most we walk; nine is too deep */
    for (unsigned n = 8; n <= 9; n++) {
        p.n = 0;
        eth(&p, 0x8100);
        for (unsigned i = 1; i <= n; i++)
            tag(&p, i, i == n ? 0x0800 : 0x8100);
        tcp4(&p);
        is_int(dec(DECODE_DLT_EN10MB, &p, &o), n == 8 ? DECODE_OK : DECODE_ERR_VLAN_DEPTH,
               "%u tags", n);
    }

    /* Tag cut after its TCI */
    p.n = 0;
    eth(&p, 0x8100);
    put16(&p, 100);
    BAD(DECODE_DLT_EN10MB, &p, DECODE_ERR_VLAN_SHORT, "vlan: tag truncated");
}

static void
test_mpls(void)
{
    struct pkt p = {0};
    struct decoded_pkt o;

    /* Ethernet 0x8847, labels 100, 200(S), IPv4 TCP */
    eth(&p, 0x8847);
    mpls(&p, 100, false);
    mpls(&p, 200, true);
    tcp4(&p);
    is_int(dec(DECODE_DLT_EN10MB, &p, &o), DECODE_OK, "mpls/ipv4: ok");
    is_int(o.mpls_labels, 2, "mpls/ipv4: two labels");
    is_int(o.ethertype, 0x0800, "mpls/ipv4: ethertype after the stack");
    check_tcp4(&o, "mpls/ipv4");

    /* 0x8848 (multicast), label 300(S), IPv6 UDP */
    p.n = 0;
    eth(&p, 0x8848);
    mpls(&p, 300, true);
    udp6(&p);
    is_int(dec(DECODE_DLT_EN10MB, &p, &o), DECODE_OK, "mpls/ipv6: ok");
    is_int(o.mpls_labels, 1, "mpls/ipv6: one label");
    check_udp6(&o, "mpls/ipv6");

    /* VLAN 5, label 16(S), PW control word, Ethernet 02::0d <- 02::0c, IPv4 TCP */
    p.n = 0;
    eth(&p, 0x8100);
    tag(&p, 5, 0x8847);
    mpls(&p, 16, true);
    put32(&p, 0);
    eth_mac(&p, MAC_D, MAC_C, 0x0800);
    tcp4(&p);
    is_int(dec(DECODE_DLT_EN10MB, &p, &o), DECODE_OK, "mpls/pw/eth: ok");
    ok(mac_is(o.src_mac, MAC_C) && mac_is(o.dst_mac, MAC_D), "mpls/pw/eth: inner macs");
    ok(o.vlan_count == 1 && o.vlan[0] == 5, "mpls/pw/eth: outer vlan");
    is_int(o.tunnel, DECODE_TUNNEL_NONE, "mpls/pw/eth: not a tunnel");
    check_tcp4(&o, "mpls/pw/eth");

    /* Stack without bottom-of-stack, frame ends */
    p.n = 0;
    eth(&p, 0x8847);
    mpls(&p, 100, false);
    BAD(DECODE_DLT_EN10MB, &p, DECODE_ERR_MPLS_SHORT, "mpls: stack truncated");
    p.n = 16;
    BAD(DECODE_DLT_EN10MB, &p, DECODE_ERR_MPLS_SHORT, "mpls: label cut in half");
    p.n = 0;
    eth(&p, 0x8847);
    mpls(&p, 100, true);
    BAD(DECODE_DLT_EN10MB, &p, DECODE_ERR_MPLS_SHORT, "mpls: nothing after the stack");
    /* Nine labels */
    p.n = 0;
    eth(&p, 0x8847);
    for (unsigned i = 0; i < 9; i++)
        mpls(&p, 100 + i, i == 8);
    tcp4(&p);
    BAD(DECODE_DLT_EN10MB, &p, DECODE_ERR_VLAN_DEPTH, "mpls: nine labels");
    /* Payload starting with nibble 5 */
    p.n = 0;
    eth(&p, 0x8847);
    mpls(&p, 100, true);
    put8(&p, 0x50);
    putpat(&p, 30);
    BAD(DECODE_DLT_EN10MB, &p, DECODE_ERR_MPLS_PAYLOAD, "mpls: neither IPv4 nor IPv6");
    /* Control word cut short */
    p.n = 0;
    eth(&p, 0x8847);
    mpls(&p, 100, true);
    put16(&p, 0);
    BAD(DECODE_DLT_EN10MB, &p, DECODE_ERR_MPLS_SHORT, "mpls: control word truncated");
}

static void
test_pppoe(void)
{
    struct pkt p = {0};
    struct decoded_pkt o;
    size_t s;

    /* PPPoE session 0x42, PPP 0x0021, IPv4 TCP, padded to 64 */
    eth(&p, 0x8864);
    s = pppoe(&p, 0x0021);
    tcp4(&p);
    pppoe_end(&p, s);
    while (p.n < 80)
        put8(&p, 0);
    is_int(dec(DECODE_DLT_EN10MB, &p, &o), DECODE_OK, "pppoe/ipv4: ok");
    ok(o.pppoe, "pppoe/ipv4: pppoe flag");
    is_int(o.ethertype, 0x0800, "pppoe/ipv4: ethertype");
    is_int(o.l3_len, 45, "pppoe/ipv4: l3_len");
    check_tcp4(&o, "pppoe/ipv4");

    /* PPP 0x0057 IPv6 UDP */
    p.n = 0;
    eth(&p, 0x8864);
    s = pppoe(&p, 0x0057);
    udp6(&p);
    pppoe_end(&p, s);
    is_int(dec(DECODE_DLT_EN10MB, &p, &o), DECODE_OK, "pppoe/ipv6: ok");
    check_udp6(&o, "pppoe/ipv6");

    /* PPP LCP 0xc021 */
    p.n = 0;
    eth(&p, 0x8864);
    s = pppoe(&p, 0xc021);
    putpat(&p, 10);
    pppoe_end(&p, s);
    is_int(dec(DECODE_DLT_EN10MB, &p, &o), DECODE_NOT_IP, "pppoe/lcp: not_ip");
    ok(o.pppoe && o.l2_payload_len == 10, "pppoe/lcp: l2_payload is the LCP packet");

    /* PPPoE discovery (PADI) */
    p.n = 0;
    eth(&p, 0x8863);
    put8(&p, 0x11); put8(&p, 0x09); put16(&p, 0); put16(&p, 4); put32(&p, 0x01010000);
    is_int(dec(DECODE_DLT_EN10MB, &p, &o), DECODE_NOT_IP, "pppoe discovery: not_ip");

    /* Length fields */
    p.n = 0;
    eth(&p, 0x8864);
    s = pppoe(&p, 0x0021);
    tcp4(&p);
    pppoe_end(&p, s);
    set16(&p, s + 4, 100);
    BAD(DECODE_DLT_EN10MB, &p, DECODE_ERR_PPPOE_SHORT, "pppoe: length beyond frame");
    set16(&p, s + 4, 1);
    BAD(DECODE_DLT_EN10MB, &p, DECODE_ERR_PPPOE_SHORT, "pppoe: length 1, no PPP protocol");
    set16(&p, s + 4, 30);
    BAD(DECODE_DLT_EN10MB, &p, DECODE_ERR_IPV4_TOTLEN, "pppoe: length cuts the IP packet");
    p.n = 18;
    BAD(DECODE_DLT_EN10MB, &p, DECODE_ERR_PPPOE_SHORT, "pppoe: header truncated");
}

static void
test_cooked(void)
{
    struct pkt p = {0};
    struct decoded_pkt o;
    static const uint8_t zero[6];

    /* SLL: outgoing(4), ARPHRD_ETHER, halen 6, 66:77:88:99:aa:bb + 2 pad, 0x0800; IPv4 TCP */
    put16(&p, 4); put16(&p, 1); put16(&p, 6); putn(&p, MAC_B, 6); put16(&p, 0);
    put16(&p, 0x0800);
    tcp4(&p);
    is_int(dec(DECODE_DLT_LINUX_SLL, &p, &o), DECODE_OK, "sll: ok");
    ok(o.has_mac && mac_is(o.src_mac, MAC_B), "sll: src_mac");
    ok(mac_is(o.dst_mac, zero), "sll: dst_mac zero");
    is_int(o.ethertype, 0x0800, "sll: ethertype");
    check_tcp4(&o, "sll");

    /* SLL on a tunnel device: ARPHRD_NONE (65534), halen 0: no MAC */
    p.n = 0;
    put16(&p, 0); put16(&p, 65534); put16(&p, 0); put32(&p, 0); put32(&p, 0);
    put16(&p, 0x86dd);
    udp6(&p);
    is_int(dec(DECODE_DLT_LINUX_SLL, &p, &o), DECODE_OK, "sll none: ok");
    ok(!o.has_mac, "sll none: no mac");
    check_udp6(&o, "sll none");

    /* SLL with a VLAN tag left in: protocol 0x8100, VID 7, IPv4 */
    p.n = 0;
    put16(&p, 0); put16(&p, 1); put16(&p, 6); putn(&p, MAC_B, 6); put16(&p, 0);
    put16(&p, 0x8100);
    tag(&p, 7, 0x0800);
    tcp4(&p);
    is_int(dec(DECODE_DLT_LINUX_SLL, &p, &o), DECODE_OK, "sll vlan: ok");
    ok(o.vlan_count == 1 && o.vlan[0] == 7, "sll vlan: vid");

    p.n = 15;
    BAD(DECODE_DLT_LINUX_SLL, &p, DECODE_ERR_LINK_SHORT, "sll: 15-byte header");

    /* SLL2: 0x86dd, reserved, ifindex 3, ARPHRD_ETHER, incoming, halen 6, mac; IPv6 UDP */
    p.n = 0;
    put16(&p, 0x86dd); put16(&p, 0); put32(&p, 3); put16(&p, 1); put8(&p, 0); put8(&p, 6);
    putn(&p, MAC_A, 6); put16(&p, 0);
    udp6(&p);
    is_int(dec(DECODE_DLT_LINUX_SLL2, &p, &o), DECODE_OK, "sll2: ok");
    ok(o.has_mac && mac_is(o.src_mac, MAC_A), "sll2: src_mac");
    check_udp6(&o, "sll2");

    /* SLL2 ARP */
    set16(&p, 0, 0x0806);
    is_int(dec(DECODE_DLT_LINUX_SLL2, &p, &o), DECODE_NOT_IP, "sll2 arp: not_ip");

    p.n = 19;
    BAD(DECODE_DLT_LINUX_SLL2, &p, DECODE_ERR_LINK_SHORT, "sll2: 19-byte header");
}

static void
test_raw_loop(void)
{
    struct pkt p = {0}, v4 = {0}, v6 = {0};
    struct decoded_pkt o;
    int raw[] = {DECODE_DLT_RAW, DECODE_DLT_RAW_LT};
    uint32_t af6[] = {10, 24, 28, 30};

    tcp4(&v4);
    udp6(&v6);
    for (unsigned i = 0; i < 2; i++) {
        /* Raw IPv4 TCP, raw IPv6 UDP */
        is_int(dec(raw[i], &v4, &o), DECODE_OK, "raw %d ipv4: ok", raw[i]);
        check_tcp4(&o, "raw ipv4");
        ok(o.l3 == frame && o.l2_payload == frame, "raw %d: l3 at frame start", raw[i]);
        is_int(dec(raw[i], &v6, &o), DECODE_OK, "raw %d ipv6: ok", raw[i]);
        check_udp6(&o, "raw ipv6");
    }
    is_int(dec(DECODE_DLT_IPV4, &v4, &o), DECODE_OK, "dlt ipv4: ok");
    check_tcp4(&o, "dlt ipv4");
    is_int(dec(DECODE_DLT_IPV6, &v6, &o), DECODE_OK, "dlt ipv6: ok");
    check_udp6(&o, "dlt ipv6");
    BAD(DECODE_DLT_IPV6, &v4, DECODE_ERR_IPV6_VERSION, "dlt ipv6 carrying ipv4");
    BAD(DECODE_DLT_IPV4, &v6, DECODE_ERR_IPV4_VERSION, "dlt ipv4 carrying ipv6");
    p.n = 0;
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_IPV4_SHORT, "raw: empty");
    put8(&p, 0x50);
    putpat(&p, 39);
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_IPV4_VERSION, "raw: version 5");

    /* DLT_NULL AF_INET written little-endian and big-endian */
    for (int be = 0; be < 2; be++) {
        p.n = 0;
        put32(&p, be ? 2u : 0x02000000u);
        tcp4(&p);
        is_int(dec(DECODE_DLT_NULL, &p, &o), DECODE_OK, "null af 2 %s: ok", be ? "be" : "le");
        is_int(o.src_port, 1234, "null af 2 %s: sport", be ? "be" : "le");
    }
    for (unsigned i = 0; i < 4; i++) {
        p.n = 0;
        put32(&p, af6[i] << 24); /* little-endian host */
        udp6(&p);
        is_int(dec(DECODE_DLT_NULL, &p, &o), DECODE_OK, "null af %u: ok", af6[i]);
        is_int(o.ip_version, 6, "null af %u: ipv6", af6[i]);
    }
    p.n = 0;
    put32(&p, 7u << 24);
    putpat(&p, 20);
    is_int(dec(DECODE_DLT_NULL, &p, &o), DECODE_NOT_IP, "null af 7: not_ip");
    p.n = 3;
    BAD(DECODE_DLT_NULL, &p, DECODE_ERR_LINK_SHORT, "null: 3-byte header");

    /* DLT_LOOP: network order only */
    p.n = 0;
    put32(&p, 24);
    udp6(&p);
    is_int(dec(DECODE_DLT_LOOP, &p, &o), DECODE_OK, "loop af 24: ok");
    check_udp6(&o, "loop");
    p.n = 0;
    put32(&p, 0x02000000);
    tcp4(&p);
    is_int(dec(DECODE_DLT_LOOP, &p, &o), DECODE_NOT_IP, "loop: host-order word is not AF_INET");
}

static void
test_ipv4(void)
{
    struct pkt p = {0};
    struct decoded_pkt o;
    size_t ip;

    /* IPv4 with 8 bytes of options (IHL 7), TCP */
    ip = ip4x(&p, V4A, V4B, 6, 1, 0, 8);
    tcp(&p, 1234, 80, TCP_PSHACK);
    putpat(&p, 5);
    ip4_end(&p, ip);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "ipv4 options: ok");
    check_tcp4(&o, "ipv4 options");
    is_int(o.ip_len, 53, "ipv4 options: ip_len");

    /* IHL 4, IHL 15 > total length */
    p.b[0] = 0x44;
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_IPV4_HLEN, "ipv4: IHL 4");
    p.b[0] = 0x4f;
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_IPV4_HLEN, "ipv4: IHL 15 beyond total length");
    p.b[0] = 0x47;
    /* options cut by the snaplen */
    is_int(decw(DECODE_DLT_RAW, &p, 24, p.n, &o), DECODE_ERR_IPV4_SHORT,
           "ipv4: options cut by snaplen");
    /* total length 19, and beyond the frame */
    set16(&p, 2, 19);
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_IPV4_TOTLEN, "ipv4: total length 19");
    set16(&p, 2, (unsigned)p.n + 1);
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_IPV4_TOTLEN, "ipv4: total length beyond frame");
    ip4_end(&p, 0);
    p.b[0] = 0x57;
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_IPV4_VERSION, "ipv4: version 5");
    p.n = 0;
    eth(&p, 0x0800);
    tcp4(&p);
    p.b[14] = 0x65;
    BAD(DECODE_DLT_EN10MB, &p, DECODE_ERR_IPV4_VERSION, "ipv4 ethertype, version 6");
    p.b[14] = 0x45;
    p.n = 14 + 19;
    BAD(DECODE_DLT_EN10MB, &p, DECODE_ERR_IPV4_SHORT, "ipv4: 19-byte header");

    /* Snaplen: 54 bytes captured of a 1514-byte frame (TCP header + 0 payload),
     * then 64 of 1514 (10 payload bytes) */
    p.n = 0;
    eth(&p, 0x0800);
    ip = ip4(&p, V4A, V4B, 6);
    tcp(&p, 1234, 80, TCP_PSHACK);
    putpat(&p, 1460);
    ip4_end(&p, ip);
    is_int(decw(DECODE_DLT_EN10MB, &p, 64, p.n, &o), DECODE_OK, "snaplen 64: ok");
    ok(o.has_l4, "snaplen 64: has_l4");
    is_int(o.payload_len, 10, "snaplen 64: captured payload");
    is_int(o.l3_len, 50, "snaplen 64: l3_len is the captured part");
    is_int(o.ip_len, 1500, "snaplen 64: ip_len as declared");
    is_int(decw(DECODE_DLT_EN10MB, &p, 54, p.n, &o), DECODE_OK, "snaplen 54: ok");
    is_int(o.payload_len, 0, "snaplen 54: no payload captured");
    is_int(decw(DECODE_DLT_EN10MB, &p, 44, p.n, &o), DECODE_ERR_TCP_SHORT,
           "snaplen 44: TCP header cut");
    is_int(decw(DECODE_DLT_EN10MB, &p, 64, p.n - 1, &o), DECODE_ERR_IPV4_TOTLEN,
           "snaplen: total length beyond wire length");

    /* Fragments: id 0x4242, first (MF, off 0) with UDP length of the whole
     * datagram (1008), middle (MF, off 185), last (off 370) */
    p.n = 0;
    ip = ip4x(&p, V4A, V4B, 17, 0x4242, 0x2000, 0);
    put16(&p, 4000); put16(&p, 53); put16(&p, 1008); put16(&p, 0);
    putpat(&p, 32);
    ip4_end(&p, ip);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "frag first: ok");
    ok(o.is_fragment && o.frag_offset == 0, "frag first: is_fragment, offset 0");
    is_int(o.frag_id, 0x4242, "frag first: id");
    ok(o.has_l4 && o.src_port == 4000 && o.dst_port == 53, "frag first: ports");
    is_int(o.payload_len, 32, "frag first: payload is the fragment's");
    p.n = 0;
    ip = ip4x(&p, V4A, V4B, 17, 0x4242, 0x2000 | 185, 0);
    putpat(&p, 40);
    ip4_end(&p, ip);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "frag middle: ok");
    ok(o.is_fragment && o.frag_offset == 185, "frag middle: offset");
    ok(!o.has_l4 && o.src_port == 0 && o.payload == NULL, "frag middle: no transport");
    is_int(o.proto, 17, "frag middle: proto");
    p.n = 0;
    ip = ip4x(&p, V4A, V4B, 17, 0x4242, 370, 0);
    putpat(&p, 8);
    ip4_end(&p, ip);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "frag last: ok");
    ok(o.is_fragment && o.frag_offset == 370 && !o.has_l4, "frag last: fragment, no l4");

    /* Other protocol: OSPF (89) */
    p.n = 0;
    ip = ip4(&p, V4A, "224.0.0.5", 89);
    putpat(&p, 24);
    ip4_end(&p, ip);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "ospf: ok");
    ok(!o.has_l4 && o.proto == 89, "ospf: proto 89, no l4");
}

static void
test_ipv6(void)
{
    struct pkt p = {0};
    struct decoded_pkt o;
    size_t ip, u;

    /* IPv6 hop-by-hop(8), destination options(16), routing(8) then TCP */
    ip = ip6(&p, V6A, V6B, 0);
    ext6(&p, 60, 0);
    ext6(&p, 43, 1);
    ext6(&p, 6, 0);
    tcp(&p, 1234, 80, 0x02);
    ip6_end(&p, ip);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "ipv6 ext: ok");
    is_int(o.proto, 6, "ipv6 ext: proto after ext headers");
    ok(o.has_l4 && o.src_port == 1234 && o.dst_port == 80, "ipv6 ext: ports");
    is_int(o.tcp_flags, 0x02, "ipv6 ext: SYN");
    is_int(o.payload_len, 0, "ipv6 ext: no payload");

    /* AH with length 4 (24 bytes: (4+2)*4), then UDP */
    p.n = 0;
    ip = ip6(&p, V6A, V6B, 51);
    put8(&p, 17); put8(&p, 4); put16(&p, 0); put32(&p, 0x1000); put32(&p, 1);
    put32(&p, 0); put32(&p, 0); put32(&p, 0);
    u = udp(&p, 500, 500);
    putpat(&p, 3);
    udp_end(&p, u);
    ip6_end(&p, ip);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "ipv6 ah: ok");
    ok(o.proto == 17 && o.src_port == 500 && o.payload_len == 3, "ipv6 ah: udp after AH");

    /* Mobility header (135) with next header 59 */
    p.n = 0;
    ip = ip6(&p, V6A, V6B, 135);
    ext6(&p, 59, 1);
    ip6_end(&p, ip);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "ipv6 mobility: ok");
    ok(o.proto == 59 && !o.has_l4, "ipv6 mobility: no next header");

    /* ESP stops the walk */
    p.n = 0;
    ip = ip6(&p, V6A, V6B, 50);
    putpat(&p, 40);
    ip6_end(&p, ip);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "ipv6 esp: ok");
    ok(o.proto == 50 && !o.has_l4, "ipv6 esp: proto 50, no l4");

    /* Fragment header: first fragment (M, off 0, id 0xabcdef01) with UDP */
    p.n = 0;
    ip = ip6(&p, V6A, V6B, 44);
    put8(&p, 17); put8(&p, 0); put16(&p, 1); put32(&p, 0xabcdef01);
    put16(&p, 5353); put16(&p, 53); put16(&p, 3000); put16(&p, 0);
    putpat(&p, 16);
    ip6_end(&p, ip);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "ipv6 frag first: ok");
    ok(o.is_fragment && o.frag_offset == 0 && o.frag_id == 0xabcdef01, "ipv6 frag first: fields");
    ok(o.has_l4 && o.src_port == 5353 && o.proto == 17, "ipv6 frag first: ports");
    /* later fragment: offset 100 */
    set16(&p, 42, 100 << 3);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "ipv6 frag later: ok");
    ok(o.is_fragment && o.frag_offset == 100 && !o.has_l4, "ipv6 frag later: no l4");
    is_int(o.proto, 17, "ipv6 frag later: proto");

    /* Length fields */
    p.n = 0;
    udp6(&p);
    set16(&p, 4, 16);
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_IPV6_PLEN, "ipv6: payload length beyond frame");
    set16(&p, 4, 4);
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_UDP_SHORT, "ipv6: payload length 4 cuts UDP");
    p.n = 0;
    ip = ip6(&p, V6A, V6B, 0);
    ext6(&p, 6, 0);
    tcp(&p, 1, 2, 0x10);
    ip6_end(&p, ip);
    p.b[41] = 10; /* hop-by-hop claims 88 bytes */
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_IPV6_EXTHDR, "ipv6: ext header length beyond payload");
    p.b[41] = 0;
    set16(&p, 4, 4);
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_IPV6_EXTHDR, "ipv6: payload length cuts ext header");
    p.n = 39;
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_IPV6_SHORT, "ipv6: 39-byte header");
    p.n = 0;
    eth(&p, 0x86dd);
    tcp4(&p);
    BAD(DECODE_DLT_EN10MB, &p, DECODE_ERR_IPV6_VERSION, "ipv6 ethertype, version 4");
    /* snaplen-truncated IPv6 is fine */
    p.n = 0;
    ip = ip6(&p, V6A, V6B, 6);
    tcp(&p, 1234, 80, 0x10);
    putpat(&p, 1000);
    ip6_end(&p, ip);
    is_int(decw(DECODE_DLT_RAW, &p, 100, p.n, &o), DECODE_OK, "ipv6 snaplen: ok");
    ok(o.has_l4 && o.payload_len == 40 && o.l3_len == 100 && o.ip_len == 1060,
       "ipv6 snaplen: captured lengths");
}

static void
test_transport(void)
{
    struct pkt p = {0};
    struct decoded_pkt o;
    size_t ip, u;

    /* TCP data offset 4 and 15 (beyond the 25-byte segment) */
    tcp4(&p);
    p.b[32] = 0x40;
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_TCP_HLEN, "tcp: data offset 4");
    p.b[32] = 0xf0;
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_TCP_HLEN, "tcp: data offset beyond segment");
    p.n = 39;
    set16(&p, 2, 39);
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_TCP_SHORT, "tcp: 19-byte header");

    /* TCP with 12 bytes of options, payload capped by the IP length */
    p.n = 0;
    ip = ip4(&p, V4A, V4B, 6);
    tcpx(&p, 1234, 80, 7, 8, 0x11, 12);
    putpat(&p, 4);
    ip4_end(&p, ip);
    putpat(&p, 6); /* trailer beyond the IP packet */
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "tcp options: ok");
    ok(o.payload_len == 4 && o.payload == frame + 52, "tcp options: payload after options");
    ok(o.tcp_flags == 0x11 && o.tcp_seq == 7 && o.tcp_ack == 8, "tcp options: fields");
    /* options cut by the snaplen */
    is_int(decw(DECODE_DLT_RAW, &p, 44, p.n, &o), DECODE_ERR_TCP_SHORT,
           "tcp: options cut by snaplen");

    /* UDP length 7, beyond the IP payload, shorter than the IP payload */
    p.n = 0;
    ip = ip4(&p, V4A, V4B, 17);
    u = udp(&p, 1000, 2000);
    putpat(&p, 10);
    udp_end(&p, u);
    ip4_end(&p, ip);
    set16(&p, u + 4, 7);
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_UDP_LEN, "udp: length 7");
    set16(&p, u + 4, 19);
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_UDP_LEN, "udp: length beyond IP payload");
    set16(&p, u + 4, 12);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "udp: shorter length: ok");
    is_int(o.payload_len, 4, "udp: payload capped by the UDP length");
    p.n = 27;
    set16(&p, 2, 27);
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_UDP_SHORT, "udp: 7-byte header");

    /* ICMP echo request id 0x77, ICMP unreachable (id 0), ICMPv6 echo reply */
    p.n = 0;
    ip = ip4(&p, V4A, V4B, 1);
    icmp(&p, 8, 0, 0x77, 1);
    putpat(&p, 16);
    ip4_end(&p, ip);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "icmp echo: ok");
    ok(o.has_l4 && o.icmp_type == 8 && o.icmp_code == 0, "icmp echo: type/code");
    is_int(o.icmp_id, 0x77, "icmp echo: id");
    is_int(o.payload_len, 16, "icmp echo: payload");
    p.b[20] = 0;
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "icmp echo reply: ok");
    is_int(o.icmp_id, 0x77, "icmp echo reply: id");
    p.b[20] = 3;
    p.b[21] = 1;
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "icmp unreachable: ok");
    ok(o.icmp_type == 3 && o.icmp_code == 1 && o.icmp_id == 0, "icmp unreachable: no id");
    p.n = 27;
    set16(&p, 2, 27);
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_ICMP_SHORT, "icmp: 7-byte header");
    p.n = 0;
    ip = ip6(&p, V6A, V6B, 58);
    icmp(&p, 129, 0, 0x99, 2);
    ip6_end(&p, ip);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "icmpv6 echo reply: ok");
    ok(o.icmp_type == 129 && o.icmp_id == 0x99, "icmpv6 echo reply: type, id");
    p.b[40] = 135;
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "icmpv6 ns: ok");
    ok(o.icmp_type == 135 && o.icmp_id == 0, "icmpv6 ns: no id");

    /* SCTP 2905 -> 2944 */
    p.n = 0;
    ip = ip4(&p, V4A, V4B, 132);
    put16(&p, 2905); put16(&p, 2944); put32(&p, 0x01020304); put32(&p, 0);
    putpat(&p, 16);
    ip4_end(&p, ip);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "sctp: ok");
    ok(o.has_l4 && o.src_port == 2905 && o.dst_port == 2944, "sctp: ports");
    is_int(o.payload_len, 16, "sctp: chunks as payload");
    p.n = 31;
    set16(&p, 2, 31);
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_SCTP_SHORT, "sctp: 11-byte header");
}

/* Checks shared by every tunnel whose outer packet is OUT_A -> OUT_B. */
static void
check_outer(const struct decoded_pkt *o, enum decode_tunnel t, uint32_t id, const char *what)
{
    is_int(o->tunnel, t, "%s: tunnel type", what);
    is_int(o->tunnel_depth, 1, "%s: depth 1", what);
    is_int(o->tunnel_id, id, "%s: tunnel id", what);
    is_str(astr(&o->outer_src), OUT_A, "%s: outer src", what);
    is_str(astr(&o->outer_dst), OUT_B, "%s: outer dst", what);
}

static void
test_gre(void)
{
    struct pkt p = {0};
    struct decoded_pkt o;
    size_t ip, gre_off;

    /* Eth, IPv4 203.0.113.1 -> .2 GRE (K, key 0x1234), IPv4 TCP */
    eth(&p, 0x0800);
    ip = ip4(&p, OUT_A, OUT_B, 47);
    gre_off = p.n;
    gre(&p, 0x2000, 0x0800, 0x1234);
    tcp4(&p);
    ip4_end(&p, ip);
    is_int(dec(DECODE_DLT_EN10MB, &p, &o), DECODE_OK, "gre/ipv4: ok");
    check_outer(&o, DECODE_TUNNEL_GRE, 0x1234, "gre/ipv4");
    check_tcp4(&o, "gre/ipv4");
    ok(o.l3 == frame + gre_off + 8 && o.l3_len == 45, "gre/ipv4: l3 is the inner packet");

    /* truncated key (K set, 2 bytes left), truncated base header, version 2 */
    p.n = gre_off + 6;
    set16(&p, 16, (unsigned)(p.n - 14));
    BAD(DECODE_DLT_EN10MB, &p, DECODE_ERR_GRE_SHORT, "gre: key truncated");
    p.n = gre_off + 3;
    set16(&p, 16, (unsigned)(p.n - 14));
    BAD(DECODE_DLT_EN10MB, &p, DECODE_ERR_GRE_SHORT, "gre: 3-byte header");
    p.n = 0;
    eth(&p, 0x0800);
    ip = ip4(&p, OUT_A, OUT_B, 47);
    gre(&p, 0x0002, 0x0800, 0);
    tcp4(&p);
    ip4_end(&p, ip);
    BAD(DECODE_DLT_EN10MB, &p, DECODE_ERR_GRE_VERSION, "gre: version 2");

    /* GRE with C and S (checksum, seq, no key), IPv6 inner, IPv6 outer */
    p.n = 0;
    ip = ip6(&p, "2001:db8:ff::1", "2001:db8:ff::2", 47);
    gre(&p, 0x9000, 0x86dd, 0);
    udp6(&p);
    ip6_end(&p, ip);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "gre6/ipv6: ok");
    is_str(astr(&o.outer_src), "2001:db8:ff::1", "gre6/ipv6: outer src");
    ok(o.tunnel == DECODE_TUNNEL_GRE && o.tunnel_id == 0, "gre6/ipv6: gre, no key");
    check_udp6(&o, "gre6/ipv6");

    /* RFC 1701 routing: R flag, one SRE (af 0x0800, len 8), null SRE */
    p.n = 0;
    ip = ip4(&p, OUT_A, OUT_B, 47);
    put16(&p, 0x4000); put16(&p, 0x0800); put32(&p, 0);
    put16(&p, 0x0800); put8(&p, 0); put8(&p, 8); put32(&p, 1); put32(&p, 2);
    put32(&p, 0);
    tcp4(&p);
    ip4_end(&p, ip);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "gre routing: ok");
    check_tcp4(&o, "gre routing");

    /* Transparent Ethernet bridging, outer VLAN 10, inner VLAN 20 + 30 */
    p.n = 0;
    eth(&p, 0x8100);
    tag(&p, 10, 0x0800);
    ip = ip4(&p, OUT_A, OUT_B, 47);
    gre(&p, 0x2000, 0x6558, 99);
    eth_mac(&p, MAC_D, MAC_C, 0x8100);
    tag(&p, 20, 0x8100);
    tag(&p, 30, 0x0800);
    tcp4(&p);
    ip4_end(&p, ip);
    is_int(dec(DECODE_DLT_EN10MB, &p, &o), DECODE_OK, "gre/teb: ok");
    check_outer(&o, DECODE_TUNNEL_GRE, 99, "gre/teb");
    ok(mac_is(o.src_mac, MAC_C) && mac_is(o.dst_mac, MAC_D), "gre/teb: inner macs win");
    ok(o.vlan_count == 1 && o.vlan[0] == 10, "gre/teb: outer vlan kept");
    check_tcp4(&o, "gre/teb");
    /* same without the outer tag: inner tags are recorded */
    p.n = 0;
    eth(&p, 0x0800);
    ip = ip4(&p, OUT_A, OUT_B, 47);
    gre(&p, 0, 0x6558, 0);
    eth_mac(&p, MAC_D, MAC_C, 0x8100);
    tag(&p, 20, 0x8100);
    tag(&p, 30, 0x0800);
    tcp4(&p);
    ip4_end(&p, ip);
    is_int(dec(DECODE_DLT_EN10MB, &p, &o), DECODE_OK, "gre/teb untagged outer: ok");
    ok(o.vlan_count == 2 && o.vlan[0] == 20 && o.vlan[1] == 30, "gre/teb: inner vlans");

    /* GRE MPLS: label 1000(S), IPv4 */
    p.n = 0;
    ip = ip4(&p, OUT_A, OUT_B, 47);
    gre(&p, 0, 0x8847, 0);
    mpls(&p, 1000, true);
    tcp4(&p);
    ip4_end(&p, ip);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "gre/mpls: ok");
    ok(o.tunnel == DECODE_TUNNEL_GRE && o.mpls_labels == 1, "gre/mpls: gre, one label");
    check_tcp4(&o, "gre/mpls");

    /* GRE keepalive-like unknown payload (0x0000): the GRE packet is the flow */
    p.n = 0;
    ip = ip4(&p, OUT_A, OUT_B, 47);
    gre(&p, 0, 0x0000, 0);
    putpat(&p, 8);
    ip4_end(&p, ip);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "gre unknown payload: ok");
    ok(o.tunnel == DECODE_TUNNEL_NONE && o.proto == 47, "gre unknown payload: outer flow");
    is_str(astr(&o.src), OUT_A, "gre unknown payload: outer src");
}

static void
test_erspan(void)
{
    struct pkt p = {0};
    struct decoded_pkt o;
    size_t ip, er;

    /* GRE (S, seq), ERSPAN II ver 1 VLAN 0 session 0x155 index 0, Eth, IPv4 TCP */
    ip = ip4(&p, OUT_A, OUT_B, 47);
    gre(&p, 0x1000, 0x88be, 0);
    er = p.n;
    put16(&p, 0x1000); put16(&p, 0x0155); put32(&p, 0);
    eth_mac(&p, MAC_D, MAC_C, 0x0800);
    tcp4(&p);
    ip4_end(&p, ip);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "erspan2: ok");
    check_outer(&o, DECODE_TUNNEL_ERSPAN2, 0x155, "erspan2");
    ok(mac_is(o.src_mac, MAC_C), "erspan2: inner mac");
    check_tcp4(&o, "erspan2");
    p.n = er + 6;
    ip4_end(&p, ip);
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_ERSPAN_SHORT, "erspan2: header truncated");
    p.n = er + 8 + 10;
    ip4_end(&p, ip);
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_LINK_SHORT, "erspan2: inner Ethernet truncated");

    /* ERSPAN type I: GRE without sequence number, Ethernet right after */
    p.n = 0;
    ip = ip4(&p, OUT_A, OUT_B, 47);
    gre(&p, 0, 0x88be, 0);
    eth_mac(&p, MAC_D, MAC_C, 0x0800);
    tcp4(&p);
    ip4_end(&p, ip);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "erspan1: ok");
    ok(o.tunnel == DECODE_TUNNEL_ERSPAN2 && o.tunnel_id == 0, "erspan1: reported as erspan2");
    check_tcp4(&o, "erspan1");

    /* ERSPAN III ver 2 session 0x2aa, timestamp, SGT, FT 0, O=1 + 8-byte sub-header */
    for (int with_o = 0; with_o < 2; with_o++) {
        p.n = 0;
        ip = ip4(&p, OUT_A, OUT_B, 47);
        gre(&p, 0x1000, 0x22eb, 0);
        er = p.n;
        put16(&p, 0x2000); put16(&p, 0x02aa); put32(&p, 0xdeadbeef); put16(&p, 0);
        put8(&p, 0); put8(&p, with_o ? 1 : 0);
        if (with_o)
            putpat(&p, 8);
        eth_mac(&p, MAC_D, MAC_C, 0x86dd);
        udp6(&p);
        ip4_end(&p, ip);
        is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "erspan3 O=%d: ok", with_o);
        check_outer(&o, DECODE_TUNNEL_ERSPAN3, 0x2aa, with_o ? "erspan3 O=1" : "erspan3 O=0");
        check_udp6(&o, with_o ? "erspan3 O=1" : "erspan3 O=0");
    }
    p.n = er + 12 + 4; /* sub-header announced, 4 bytes present */
    ip4_end(&p, ip);
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_ERSPAN_SHORT, "erspan3: sub-header truncated");
    p.n = er + 11;
    ip4_end(&p, ip);
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_ERSPAN_SHORT, "erspan3: 11-byte header");

    /* ERSPAN III frame type 2 (IP): no inner Ethernet */
    p.n = 0;
    ip = ip4(&p, OUT_A, OUT_B, 47);
    gre(&p, 0x1000, 0x22eb, 0);
    put16(&p, 0x2000); put16(&p, 7); put32(&p, 0); put16(&p, 0); put8(&p, 2 << 2); put8(&p, 0);
    tcp4(&p);
    ip4_end(&p, ip);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "erspan3 ft=ip: ok");
    ok(o.tunnel == DECODE_TUNNEL_ERSPAN3 && !o.has_mac, "erspan3 ft=ip: no inner Ethernet");
    check_tcp4(&o, "erspan3 ft=ip");
}

static void
test_pptp(void)
{
    struct pkt p = {0};
    struct decoded_pkt o;
    size_t ip, len_off;

    /* GRE v1 (K, S), proto 0x880b, payload length, call id 0x0c0c, seq, ff03 0021, IPv4 TCP */
    ip = ip4(&p, OUT_A, OUT_B, 47);
    put16(&p, 0x3001); put16(&p, 0x880b);
    len_off = p.n;
    put16(&p, 0); put16(&p, 0x0c0c); put32(&p, 5);
    put8(&p, 0xff); put8(&p, 0x03); put16(&p, 0x0021);
    tcp4(&p);
    set16(&p, len_off, (unsigned)(p.n - len_off - 8));
    ip4_end(&p, ip);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "pptp/ipv4: ok");
    check_outer(&o, DECODE_TUNNEL_GRE, 0x0c0c, "pptp/ipv4");
    check_tcp4(&o, "pptp/ipv4");
    set16(&p, len_off, (unsigned)(p.n - len_off - 8 + 1));
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_GRE_SHORT, "pptp: payload length beyond packet");
    set16(&p, len_off, 3);
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_GRE_SHORT, "pptp: payload length 3 cuts PPP protocol");
    set16(&p, len_off, 4 + 30);
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_IPV4_TOTLEN, "pptp: payload length cuts the inner packet");

    /* GRE v1 (K, S, A) with ack, compressed PPP protocol 0x57, IPv6 */
    p.n = 0;
    ip = ip4(&p, OUT_A, OUT_B, 47);
    put16(&p, 0x3081); put16(&p, 0x880b);
    len_off = p.n;
    put16(&p, 0); put16(&p, 0x0d0d); put32(&p, 5); put32(&p, 4);
    put8(&p, 0x57);
    udp6(&p);
    set16(&p, len_off, (unsigned)(p.n - len_off - 12));
    ip4_end(&p, ip);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "pptp/ipv6: ok");
    ok(o.tunnel == DECODE_TUNNEL_GRE && o.tunnel_id == 0x0d0d, "pptp/ipv6: call id");
    check_udp6(&o, "pptp/ipv6");

    /* PPP LCP (c021): the GRE packet itself is the flow */
    p.n = 0;
    ip = ip4(&p, OUT_A, OUT_B, 47);
    put16(&p, 0x3001); put16(&p, 0x880b); put16(&p, 8); put16(&p, 1); put32(&p, 5);
    put8(&p, 0xff); put8(&p, 0x03); put16(&p, 0xc021); putpat(&p, 4);
    ip4_end(&p, ip);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "pptp/lcp: ok");
    ok(o.tunnel == DECODE_TUNNEL_NONE && o.proto == 47, "pptp/lcp: outer GRE flow");

    /* Ack only (K, A; payload length 0) */
    p.n = 0;
    ip = ip4(&p, OUT_A, OUT_B, 47);
    put16(&p, 0x2081); put16(&p, 0x880b); put16(&p, 0); put16(&p, 1); put32(&p, 5);
    ip4_end(&p, ip);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "pptp ack only: ok");
    ok(o.tunnel == DECODE_TUNNEL_NONE, "pptp ack only: no tunnel");
    /* ... with the ack number cut */
    p.n -= 2;
    ip4_end(&p, ip);
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_GRE_SHORT, "pptp: ack truncated");
}

/* Eth, IPv4 OUT_A -> OUT_B, UDP 40000 -> dport, VXLAN flags/VNI 0x123456, inner frame */
static size_t
vxlan_frame(struct pkt *p, unsigned flags, bool arp)
{
    size_t ip, u, vx;

    p->n = 0;
    eth(p, 0x0800);
    ip = ip4(p, OUT_A, OUT_B, 17);
    u = udp(p, 40000, 4789);
    vx = p->n;
    put8(p, flags); put8(p, 0); put16(p, 0); put32(p, 0x12345600);
    if (arp) {
        eth_mac(p, MAC_D, MAC_C, 0x0806);
        putpat(p, 28);
    } else {
        eth_mac(p, MAC_D, MAC_C, 0x0800);
        tcp4(p);
    }
    udp_end(p, u);
    ip4_end(p, ip);
    return vx;
}

static void
test_vxlan(void)
{
    struct pkt p = {0};
    struct decoded_pkt o;
    size_t vx;

    vx = vxlan_frame(&p, 0x08, false);
    is_int(dec(DECODE_DLT_EN10MB, &p, &o), DECODE_OK, "vxlan: ok");
    check_outer(&o, DECODE_TUNNEL_VXLAN, 0x123456, "vxlan");
    ok(mac_is(o.src_mac, MAC_C) && mac_is(o.dst_mac, MAC_D), "vxlan: inner macs");
    check_tcp4(&o, "vxlan");

    /* No I flag: ordinary UDP */
    vxlan_frame(&p, 0x00, false);
    is_int(dec(DECODE_DLT_EN10MB, &p, &o), DECODE_OK, "vxlan no I: ok");
    ok(o.tunnel == DECODE_TUNNEL_NONE && o.dst_port == 4789, "vxlan no I: plain udp 4789");
    ok(mac_is(o.src_mac, MAC_B), "vxlan no I: outer macs");
    is_int(o.payload_len, 8 + 14 + 45, "vxlan no I: payload is the whole UDP payload");

    /* Inner ARP: the outer UDP datagram is the flow */
    vxlan_frame(&p, 0x08, true);
    is_int(dec(DECODE_DLT_EN10MB, &p, &o), DECODE_OK, "vxlan/arp: ok");
    ok(o.tunnel == DECODE_TUNNEL_NONE && o.tunnel_depth == 0, "vxlan/arp: tunnel undone");
    ok(o.has_l4 && o.src_port == 40000 && o.dst_port == 4789, "vxlan/arp: outer ports");
    is_str(astr(&o.src), OUT_A, "vxlan/arp: outer src");
    ok(mac_is(o.src_mac, MAC_B), "vxlan/arp: outer macs restored");

    /* Length fields */
    vx = vxlan_frame(&p, 0x08, false);
    p.n = vx + 5;
    set16(&p, 14 + 2, (unsigned)(p.n - 14));
    set16(&p, vx - 4, 13);
    BAD(DECODE_DLT_EN10MB, &p, DECODE_ERR_VXLAN_SHORT, "vxlan: 5-byte header");
    vx = vxlan_frame(&p, 0x08, false);
    set16(&p, vx - 4, (unsigned)(p.n - vx + 8 + 1));
    BAD(DECODE_DLT_EN10MB, &p, DECODE_ERR_UDP_LEN, "vxlan: UDP length beyond IP payload");
    p.n = vx + 8 + 13;
    set16(&p, 14 + 2, (unsigned)(p.n - 14));
    set16(&p, vx - 4, 8 + 8 + 13);
    BAD(DECODE_DLT_EN10MB, &p, DECODE_ERR_LINK_SHORT, "vxlan: inner Ethernet truncated");
}

/* IPv4 OUT_A -> OUT_B, UDP sport -> dport, GTP flags/type, TEID 0x01020304 + extra + inner */
static void
gtp_frame(struct pkt *p, unsigned sport, unsigned dport, unsigned flags, unsigned type,
          const uint8_t *extra, size_t extra_len, bool v6)
{
    size_t ip, u, g;

    p->n = 0;
    ip = ip4(p, OUT_A, OUT_B, 17);
    u = udp(p, sport, dport);
    g = gtp(p, flags, type, 0x01020304);
    putn(p, extra, extra_len);
    if (v6)
        udp6(p);
    else
        tcp4(p);
    gtp_end(p, g);
    udp_end(p, u);
    ip4_end(p, ip);
}

static void
test_gtp(void)
{
    struct pkt p = {0};
    struct decoded_pkt o;
    /* seq 0x0001, N-PDU 0, next ext 0x85 (PDU session container, len 1: 2 bytes, next 0) */
    static const uint8_t ext_ok[] = {0x00, 0x01, 0x00, 0x85, 0x01, 0x00, 0x09, 0x00};
    static const uint8_t ext_zero[] = {0x00, 0x01, 0x00, 0x85, 0x00, 0x00, 0x09, 0x00};
    static const uint8_t ext_long[] = {0x00, 0x01, 0x00, 0x85, 0x40, 0x00, 0x09, 0x00};
    static const uint8_t seq_only[] = {0x12, 0x34, 0x00, 0x00};

    /* G-PDU, no options, IPv4 TCP */
    gtp_frame(&p, 2152, 2152, 0x30, 0xff, NULL, 0, false);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "gtp: ok");
    check_outer(&o, DECODE_TUNNEL_GTPU, 0x01020304, "gtp");
    check_tcp4(&o, "gtp");
    /* S flag (sequence), IPv6 inner, only the source port is 2152 */
    gtp_frame(&p, 2152, 33333, 0x32, 0xff, seq_only, sizeof(seq_only), true);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "gtp seq: ok");
    ok(o.tunnel == DECODE_TUNNEL_GTPU, "gtp seq: tunnel");
    check_udp6(&o, "gtp seq");
    /* E flag: one extension header */
    gtp_frame(&p, 30000, 2152, 0x34, 0xff, ext_ok, sizeof(ext_ok), false);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "gtp ext: ok");
    check_tcp4(&o, "gtp ext");
    /* extension length 0, extension longer than the packet */
    gtp_frame(&p, 2152, 2152, 0x34, 0xff, ext_zero, sizeof(ext_zero), false);
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_GTP_SHORT, "gtp: extension length 0");
    gtp_frame(&p, 2152, 2152, 0x34, 0xff, ext_long, sizeof(ext_long), false);
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_GTP_SHORT, "gtp: extension beyond packet");
    /* GTP length beyond the UDP payload, 0, and 2 with S set */
    gtp_frame(&p, 2152, 2152, 0x30, 0xff, NULL, 0, false);
    set16(&p, 28 + 2, 46);
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_GTP_SHORT, "gtp: length beyond UDP payload");
    set16(&p, 28 + 2, 0);
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_GTP_SHORT, "gtp: length 0, no T-PDU");
    gtp_frame(&p, 2152, 2152, 0x32, 0xff, seq_only, sizeof(seq_only), false);
    set16(&p, 28 + 2, 2);
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_GTP_SHORT, "gtp: length 2 cuts the options");
    set16(&p, 28 + 2, 4 + 30);
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_IPV4_TOTLEN, "gtp: length cuts the inner packet");
    /* header cut at 6 bytes */
    gtp_frame(&p, 2152, 2152, 0x30, 0xff, NULL, 0, false);
    p.n = 28 + 6;
    set16(&p, 2, 34);
    set16(&p, 24, 14);
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_GTP_SHORT, "gtp: 6-byte header");

    /* Echo request (type 1), GTP' (PT=0), version 2: ordinary UDP */
    gtp_frame(&p, 2152, 2152, 0x32, 0x01, seq_only, sizeof(seq_only), false);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "gtp echo: ok");
    ok(o.tunnel == DECODE_TUNNEL_NONE && o.src_port == 2152, "gtp echo: plain udp");
    gtp_frame(&p, 2152, 2152, 0x20, 0xff, NULL, 0, false);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "gtp': ok");
    is_int(o.tunnel, DECODE_TUNNEL_NONE, "gtp': plain udp");
    gtp_frame(&p, 2152, 2152, 0x48, 0xff, NULL, 0, false);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "gtpv2 on 2152: ok");
    is_int(o.tunnel, DECODE_TUNNEL_NONE, "gtpv2 on 2152: plain udp");
}

static void
test_ipip(void)
{
    struct pkt p = {0};
    struct decoded_pkt o;
    size_t ip;

    /* 4in4 */
    ip = ip4(&p, OUT_A, OUT_B, 4);
    tcp4(&p);
    ip4_end(&p, ip);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "4in4: ok");
    check_outer(&o, DECODE_TUNNEL_IPIP, 0, "4in4");
    check_tcp4(&o, "4in4");
    is_int(o.frag_id, 0x1234, "4in4: inner ip id");
    /* 6in4 */
    p.n = 0;
    ip = ip4(&p, OUT_A, OUT_B, 41);
    udp6(&p);
    ip4_end(&p, ip);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "6in4: ok");
    check_outer(&o, DECODE_TUNNEL_IPIP, 0, "6in4");
    check_udp6(&o, "6in4");
    is_int(o.frag_id, 0, "6in4: outer ip id not carried into the IPv6 packet");
    /* 4in6 and 6in6 */
    p.n = 0;
    ip = ip6(&p, "2001:db8:ff::1", "2001:db8:ff::2", 4);
    tcp4(&p);
    ip6_end(&p, ip);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "4in6: ok");
    is_str(astr(&o.outer_dst), "2001:db8:ff::2", "4in6: outer dst");
    check_tcp4(&o, "4in6");
    p.n = 0;
    ip = ip6(&p, "2001:db8:ff::1", "2001:db8:ff::2", 41);
    udp6(&p);
    ip6_end(&p, ip);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "6in6: ok");
    ok(o.tunnel == DECODE_TUNNEL_IPIP, "6in6: ipip");
    check_udp6(&o, "6in6");
    /* inner packet cut by the outer total length */
    p.n = 0;
    ip = ip4(&p, OUT_A, OUT_B, 4);
    tcp4(&p);
    ip4_end(&p, ip);
    set16(&p, 2, 40);
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_IPV4_TOTLEN, "4in4: outer length cuts inner");
    /* fragmented outer packet: the tunnel is not entered */
    p.n = 0;
    ip = ip4x(&p, OUT_A, OUT_B, 4, 9, 0x2000, 0);
    tcp4(&p);
    ip4_end(&p, ip);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "4in4 first fragment: ok");
    ok(o.tunnel == DECODE_TUNNEL_NONE && o.proto == 4, "4in4 first fragment: outer reported");
}

static void
test_nesting(void)
{
    struct pkt p = {0};
    struct decoded_pkt o;
    size_t ip[6], u, ip2;
    char what[32];

    /* VXLAN (VNI 7) -> Eth -> IPv4 10.0.0.1 -> 10.0.0.2 GRE key 5 -> IPv4 TCP */
    eth(&p, 0x0800);
    ip[0] = ip4(&p, OUT_A, OUT_B, 17);
    u = udp(&p, 1, 4789);
    put32(&p, 0x08000000); put32(&p, 0x00000700);
    eth_mac(&p, MAC_D, MAC_C, 0x0800);
    ip2 = ip4(&p, "10.0.0.1", "10.0.0.2", 47);
    gre(&p, 0x2000, 0x0800, 5);
    tcp4(&p);
    ip4_end(&p, ip2);
    udp_end(&p, u);
    ip4_end(&p, ip[0]);
    is_int(dec(DECODE_DLT_EN10MB, &p, &o), DECODE_OK, "vxlan/gre: ok");
    is_int(o.tunnel, DECODE_TUNNEL_VXLAN, "vxlan/gre: outermost type");
    is_int(o.tunnel_depth, 2, "vxlan/gre: depth 2");
    is_int(o.tunnel_id, 7, "vxlan/gre: outermost id");
    is_str(astr(&o.outer_src), OUT_A, "vxlan/gre: outermost endpoints");
    check_tcp4(&o, "vxlan/gre");

    /* n nested IPv4-in-IPv4 tunnels */
    for (unsigned n = DECODE_MAX_TUNNELS; n <= DECODE_MAX_TUNNELS + 1; n++) {
        p.n = 0;
        for (unsigned i = 0; i < n; i++)
            ip[i] = ip4(&p, OUT_A, OUT_B, 4);
        tcp4(&p);
        for (unsigned i = n; i-- > 0;)
            ip4_end(&p, ip[i]);
        snprintf(what, sizeof(what), "%u nested ipip", n);
        if (n == DECODE_MAX_TUNNELS) {
            is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "%s: ok", what);
            is_int(o.tunnel_depth, n, "%s: depth", what);
            check_tcp4(&o, what);
        } else {
            BAD(DECODE_DLT_RAW, &p, DECODE_ERR_TUNNEL_DEPTH, what);
        }
    }
}

static void
test_edges(void)
{
    struct pkt p = {0};
    struct decoded_pkt o;
    size_t ip, u;

    /* IPv6 jumbogram: payload length 0 with hop-by-hop; the frame bounds it */
    ip = ip6(&p, V6A, V6B, 0);
    ext6(&p, 6, 0);
    tcp(&p, 1234, 80, 0x10);
    putpat(&p, 5);
    (void)ip;
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "jumbogram: ok");
    ok(o.ip_len == p.n && o.payload_len == 5, "jumbogram: lengths from the frame");

    /* IPv6 fragment header cut */
    p.n = 0;
    ip = ip6(&p, V6A, V6B, 44);
    put8(&p, 17); put8(&p, 0); put16(&p, 1);
    ip6_end(&p, ip);
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_IPV6_EXTHDR, "ipv6: fragment header truncated");

    /* IP-in-IP with nothing inside */
    p.n = 0;
    ip = ip4(&p, OUT_A, OUT_B, 4);
    ip4_end(&p, ip);
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_IPV4_SHORT, "4in4: empty inner");
    p.n = 0;
    ip = ip4(&p, OUT_A, OUT_B, 41);
    ip4_end(&p, ip);
    BAD(DECODE_DLT_RAW, &p, DECODE_ERR_IPV6_SHORT, "6in4: empty inner");

    /* Pseudowires count against the nesting budget: 5 Ethernet-over-MPLS layers */
    p.n = 0;
    eth(&p, 0x8847);
    for (unsigned i = 0; i < DECODE_MAX_TUNNELS + 1; i++) {
        mpls(&p, 16 + i, true);
        put32(&p, 0);
        eth(&p, i == DECODE_MAX_TUNNELS ? 0x0800 : 0x8847);
    }
    tcp4(&p);
    BAD(DECODE_DLT_EN10MB, &p, DECODE_ERR_TUNNEL_DEPTH, "mpls: pseudowires nested too deep");

    /* GRE v1 that is not PPTP (protocol 0x0800): the GRE packet is the flow */
    p.n = 0;
    ip = ip4(&p, OUT_A, OUT_B, 47);
    put16(&p, 0x2001); put16(&p, 0x0800); put32(&p, 0);
    tcp4(&p);
    ip4_end(&p, ip);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "gre v1 not ppp: ok");
    is_int(o.tunnel, DECODE_TUNNEL_NONE, "gre v1 not ppp: no tunnel");

    /* UDP 2152 with a 1-byte payload; VXLAN port with an empty payload */
    p.n = 0;
    ip = ip4(&p, OUT_A, OUT_B, 17);
    u = udp(&p, 2152, 2152);
    put8(&p, 0x30);
    udp_end(&p, u);
    ip4_end(&p, ip);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "udp 2152, 1 byte: ok");
    ok(o.tunnel == DECODE_TUNNEL_NONE && o.payload_len == 1, "udp 2152, 1 byte: plain udp");
    p.n = 0;
    ip = ip4(&p, OUT_A, OUT_B, 17);
    u = udp(&p, 1, 4789);
    udp_end(&p, u);
    ip4_end(&p, ip);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "udp 4789, empty: ok");
    is_int(o.tunnel, DECODE_TUNNEL_NONE, "udp 4789, empty: plain udp");

    /* GTP T-PDU that is not IP (version nibble 0): the UDP datagram is the flow */
    p.n = 0;
    ip = ip4(&p, OUT_A, OUT_B, 17);
    u = udp(&p, 2152, 2152);
    {
        size_t g = gtp(&p, 0x30, 0xff, 9);

        putpat(&p, 20);
        p.b[g + 8] = 0x01;
        gtp_end(&p, g);
    }
    udp_end(&p, u);
    ip4_end(&p, ip);
    is_int(dec(DECODE_DLT_RAW, &p, &o), DECODE_OK, "gtp non-ip pdu: ok");
    ok(o.tunnel == DECODE_TUNNEL_NONE && o.dst_port == 2152, "gtp non-ip pdu: plain udp");

    is_str(decode_reason_name(DECODE_REASON_COUNT), "unknown", "reason name: out of range");
    ok(decode_tunnel_name(DECODE_TUNNEL_COUNT) == NULL, "tunnel name: out of range");
}

static void
test_api(void)
{
    struct pkt p = {0};
    struct decoded_pkt o;
    const char *names[DECODE_REASON_COUNT];
    bool all = true, uniq = true;
    struct decode_addr a = {0};
    char buf[64];
    int dlts[] = {0, 1, 12, 101, 108, 113, 228, 229, 276};

    for (int r = 0; r < DECODE_REASON_COUNT; r++) {
        names[r] = decode_reason_name((enum decode_reason)r);
        if (!names[r] || !*names[r])
            all = false;
        for (int q = 0; names[r] && q < r; q++)
            if (names[q] && strcmp(names[q], names[r]) == 0)
                uniq = false;
    }
    ok(all, "reason names: all %d non-empty", DECODE_REASON_COUNT);
    ok(uniq, "reason names: unique");
    is_str(decode_reason_name(DECODE_OK), "ok", "reason name: ok");
    is_str(decode_reason_name(DECODE_ERR_IPV4_HLEN), "ipv4_hlen", "reason name: ipv4_hlen");
    is_str(decode_reason_name(DECODE_ERR_IPV6_PLEN), "ipv6_plen", "reason name: ipv6_plen");
    ok(decode_tunnel_name(DECODE_TUNNEL_NONE) == NULL, "tunnel name: none is NULL");
    for (int t = 1; t < DECODE_TUNNEL_COUNT; t++)
        ok(decode_tunnel_name((enum decode_tunnel)t) != NULL, "tunnel name %d", t);
    is_str(decode_tunnel_name(DECODE_TUNNEL_VXLAN), "vxlan", "tunnel name: vxlan");

    for (unsigned i = 0; i < sizeof(dlts) / sizeof(dlts[0]); i++)
        ok(decode_linktype_supported(dlts[i]), "linktype %d supported", dlts[i]);
    ok(!decode_linktype_supported(105), "linktype 105 (802.11) unsupported");
    tcp4(&p);
    memset(&o, 0xa5, sizeof(o));
    BAD(105, &p, DECODE_ERR_LINKTYPE, "802.11: linktype");
    ok(o.l3 == NULL && o.proto == 0 && !o.has_l4, "unsupported linktype: out zeroed");
    is_int(decode_packet(DECODE_DLT_RAW, NULL, 0, 0, &o), DECODE_ERR_LINK_SHORT, "NULL data");

    is_str(decode_addr_str(&a, buf, sizeof(buf)), "", "addr_str: unset");
    a.family = 4;
    a.a[0] = 10; a.a[3] = 1;
    is_str(decode_addr_str(&a, buf, sizeof(buf)), "10.0.0.1", "addr_str: v4");
    a.family = 6;
    memset(a.a, 0, 16);
    a.a[0] = 0x20; a.a[1] = 0x01; a.a[2] = 0x0d; a.a[3] = 0xb8; a.a[15] = 1;
    is_str(decode_addr_str(&a, buf, sizeof(buf)), "2001:db8::1", "addr_str: v6");
    is_str(decode_addr_str(&a, buf, 4), "", "addr_str: short buffer gives empty string");
}

int
main(void)
{
    test_ethernet();
    test_vlan();
    test_mpls();
    test_pppoe();
    test_cooked();
    test_raw_loop();
    test_ipv4();
    test_ipv6();
    test_transport();
    test_gre();
    test_erspan();
    test_pptp();
    test_vxlan();
    test_gtp();
    test_ipip();
    test_nesting();
    test_edges();
    test_api();
    free(frame);
    return done_testing();
}
