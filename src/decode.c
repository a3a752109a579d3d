/* decode.c - decode one captured frame: link, VLAN/MPLS/PPPoE, IP and transport.
 *
 * References: IEEE 802.1Q, RFC 3032 (MPLS), RFC 4385 (PW control word),
 * RFC 2516 (PPPoE), RFC 1661/1662 (PPP), RFC 791, RFC 8200, RFC 4302 (AH),
 * RFC 6275 (mobility header), RFC 2675 (jumbograms), RFC 793, RFC 768,
 * RFC 792, RFC 4443, RFC 4960, RFC 2003/4213 (IP in IP),
 * tcpdump.org/linktypes.html. Tunnels live in decode_tunnel.c; design notes
 * and the meaning of every reason in docs/internals/DECODE.md.
 *
 * Every packet byte is read through rd.h; a layer gets its window by value
 * (struct cur), so narrowing it for an inner layer never affects the caller.
 */
#include "telexpose/decode.h"

#include <arpa/inet.h>
#include <string.h>

#include "decode_int.h"

#define ETH_HLEN 14
#define ETH_MAX_LEN 1500 /* type values up to this are IEEE 802.3 lengths */
#define VLAN_TAGS_MAX 8  /* tags walked in one Ethernet header */
#define MPLS_LABELS_MAX 8 /* labels popped in one stack */

#define PORT_VXLAN 4789
#define PORT_GTPU 2152

#define ARPHRD_ETHER 1

static void
set_addr(struct decode_addr *a, struct rd *r, uint8_t family)
{
    memset(a, 0, sizeof(*a));
    a->family = family;
    rd_copy(r, a->a, family == 4 ? 4 : 16);
}

static void
set_payload(struct decoded_pkt *o, const struct cur *c)
{
    o->payload = c->r.p;
    o->payload_len = cur_left(c);
}

/* IPv4 or IPv6 told apart by the version nibble; `other` for anything else. */
enum decode_reason
decode_ip_version(struct ctx *x, struct cur c, enum decode_reason other)
{
    if (!rd_has(&c.r, 1))
        return other;
    switch (rd_peek_u8(&c.r, 0) >> 4) {
    case 4:
        return decode_ipv4(x, c);
    case 6:
        return decode_ipv6(x, c);
    default:
        return other;
    }
}

/* ------------------------------------------------------------------ link */

/* PPPoE session stage: the length field bounds the PPP frame, so Ethernet
 * padding after it is dropped before IP looks at its own length. */
static enum decode_reason
dec_pppoe(struct ctx *x, struct cur c)
{
    struct decoded_pkt *o = x->out;
    uint16_t len, proto;

    rd_skip(&c.r, 4); /* version/type, code, session id */
    len = rd_be16(&c.r);
    if (c.r.err || !cur_limit(&c, len))
        return DECODE_ERR_PPPOE_SHORT;
    o->pppoe = true;
    proto = decode_ppp_proto(&c.r);
    if (c.r.err)
        return DECODE_ERR_PPPOE_SHORT;
    o->l2_payload = c.r.p;
    o->l2_payload_len = cur_left(&c);
    switch (proto) {
    case PPP_IPV4:
        o->ethertype = ET_IPV4;
        return decode_ipv4(x, c);
    case PPP_IPV6:
        o->ethertype = ET_IPV6;
        return decode_ipv6(x, c);
    default:
        return DECODE_NOT_IP; /* LCP, IPCP, CHAP, ... */
    }
}

/* VLAN tags, then dispatch on the ethertype. Only the first Ethernet layer
 * that carries tags fills vlan[]: outer tags name the segment the sensor
 * sees, a tunnelled frame's tags belong to someone else's network. */
static enum decode_reason
dec_ethertype(struct ctx *x, struct cur c, uint16_t type)
{
    struct decoded_pkt *o = x->out;
    bool keep = o->vlan_count == 0;
    unsigned tags = 0;

    while (type == ET_VLAN || type == ET_QINQ || type == ET_QINQ_OLD) {
        uint16_t tci;

        if (++tags > VLAN_TAGS_MAX)
            return DECODE_ERR_VLAN_DEPTH;
        tci = rd_be16(&c.r);
        type = rd_be16(&c.r);
        if (c.r.err)
            return DECODE_ERR_VLAN_SHORT;
        if (keep && o->vlan_count < DECODE_MAX_VLAN)
            o->vlan[o->vlan_count++] = tci & 0x0fff;
    }
    o->ethertype = type;
    o->l2_payload = c.r.p;
    o->l2_payload_len = cur_left(&c);
    switch (type) {
    case ET_IPV4:
        return decode_ipv4(x, c);
    case ET_IPV6:
        return decode_ipv6(x, c);
    case ET_MPLS:
    case ET_MPLS_MC:
        return decode_mpls(x, c);
    case ET_PPPOE_SESS:
        return dec_pppoe(x, c);
    default:
        return DECODE_NOT_IP; /* ARP, LLDP, PPPoE discovery, ... */
    }
}

/* Ethernet II or IEEE 802.3. Inner Ethernet (tunnels, pseudowires) overwrites
 * the MACs: the innermost frame's stations are the ones the flow belongs to. */
enum decode_reason
decode_eth(struct ctx *x, struct cur c)
{
    struct decoded_pkt *o = x->out;
    uint16_t type;

    if (!rd_has(&c.r, ETH_HLEN))
        return DECODE_ERR_LINK_SHORT;
    rd_copy(&c.r, o->dst_mac, 6);
    rd_copy(&c.r, o->src_mac, 6);
    type = rd_be16(&c.r);
    o->has_mac = true;
    o->has_dst_mac = true;
    if (type <= ETH_MAX_LEN) {
        /* An 802.3 length: LLC (STP, CDP, ...), never IP for us. */
        if (!cur_limit(&c, type))
            return DECODE_ERR_LINK_SHORT;
        o->ethertype = 0;
        o->l2_payload = c.r.p;
        o->l2_payload_len = cur_left(&c);
        return DECODE_NOT_IP;
    }
    return dec_ethertype(x, c, type);
}

/* MPLS label stack down to bottom-of-stack; the payload has no type field,
 * so guess from the first nibble as every router does (RFC 4385 keeps 0 for
 * the pseudowire control word, which we expect to be followed by Ethernet). */
enum decode_reason
decode_mpls(struct ctx *x, struct cur c)
{
    struct decoded_pkt *o = x->out;
    unsigned n = 0;
    uint8_t nib;

    for (;;) {
        uint32_t lse;

        if (++n > MPLS_LABELS_MAX)
            return DECODE_ERR_VLAN_DEPTH;
        lse = rd_be32(&c.r);
        if (c.r.err)
            return DECODE_ERR_MPLS_SHORT;
        o->mpls_labels++;
        if (lse & 0x100)
            break;
    }
    if (!rd_has(&c.r, 1))
        return DECODE_ERR_MPLS_SHORT;
    o->l2_payload = c.r.p;
    o->l2_payload_len = cur_left(&c);
    nib = rd_peek_u8(&c.r, 0) >> 4;
    if (nib == 0) {
        if (!rd_skip(&c.r, 4))
            return DECODE_ERR_MPLS_SHORT;
        if (x->nest >= DECODE_MAX_TUNNELS)
            return DECODE_ERR_TUNNEL_DEPTH;
        x->nest++;
        return decode_eth(x, c);
    }
    if (nib == 4)
        o->ethertype = ET_IPV4;
    else if (nib == 6)
        o->ethertype = ET_IPV6;
    return decode_ip_version(x, c, DECODE_ERR_MPLS_PAYLOAD);
}

/* Linux cooked capture v1 (16 bytes) or v2 (20 bytes). The one link address
 * is the sender's, so only src_mac can be filled. */
static enum decode_reason
dec_sll(struct ctx *x, struct cur c, bool v2)
{
    struct decoded_pkt *o = x->out;
    uint8_t addr[8];
    uint16_t hatype, halen, proto = 0;

    if (v2) {
        proto = rd_be16(&c.r);
        rd_skip(&c.r, 6); /* reserved, interface index */
        hatype = rd_be16(&c.r);
        rd_skip(&c.r, 1); /* packet type */
        halen = rd_u8(&c.r);
    } else {
        rd_skip(&c.r, 2); /* packet type */
        hatype = rd_be16(&c.r);
        halen = rd_be16(&c.r);
    }
    rd_copy(&c.r, addr, sizeof(addr));
    if (!v2)
        proto = rd_be16(&c.r);
    if (c.r.err)
        return DECODE_ERR_LINK_SHORT;
    if (hatype == ARPHRD_ETHER && halen == 6) {
        o->has_mac = true;
        memcpy(o->src_mac, addr, 6);
    }
    return dec_ethertype(x, c, proto);
}

/* BSD AF_ values that mean IPv4 or IPv6: 2, and AF_INET6 of Linux (10),
 * NetBSD/OpenBSD (24), FreeBSD (28) and Darwin (30). */
static int
af_version(uint32_t af)
{
    switch (af) {
    case 2:
        return 4;
    case 10:
    case 24:
    case 28:
    case 30:
        return 6;
    default:
        return 0;
    }
}

/* DLT_NULL (AF word in the capturing host's order, unknown to us: either
 * order is tried, the values cannot collide) and DLT_LOOP (network order). */
static enum decode_reason
dec_loopback(struct ctx *x, struct cur c, bool network_order)
{
    struct decoded_pkt *o = x->out;
    struct rd le = c.r;
    uint32_t af_be = rd_be32(&c.r);
    uint32_t af_le = rd_le32(&le);
    int v;

    if (c.r.err)
        return DECODE_ERR_LINK_SHORT;
    v = af_version(af_be);
    if (v == 0 && !network_order)
        v = af_version(af_le);
    o->l2_payload = c.r.p;
    o->l2_payload_len = cur_left(&c);
    if (v == 4)
        return decode_ipv4(x, c);
    if (v == 6)
        return decode_ipv6(x, c);
    return DECODE_NOT_IP;
}

/* -------------------------------------------------------------- transport */

static enum decode_reason
dec_tcp(struct ctx *x, struct cur c)
{
    struct decoded_pkt *o = x->out;
    uint32_t seg = wire_left(&c);
    unsigned hlen;

    if (!rd_has(&c.r, 20))
        return DECODE_ERR_TCP_SHORT;
    o->src_port = rd_be16(&c.r);
    o->dst_port = rd_be16(&c.r);
    o->tcp_seq = rd_be32(&c.r);
    o->tcp_ack = rd_be32(&c.r);
    hlen = (rd_u8(&c.r) >> 4) * 4u;
    o->tcp_flags = rd_u8(&c.r);
    rd_skip(&c.r, 6); /* window, checksum, urgent pointer */
    o->has_l4 = true;
    if (hlen < 20 || hlen > seg)
        return DECODE_ERR_TCP_HLEN;
    if (!rd_skip(&c.r, hlen - 20))
        return DECODE_ERR_TCP_SHORT; /* options cut by the snaplen */
    set_payload(o, &c);
    return DECODE_OK;
}

static enum decode_reason
dec_udp(struct ctx *x, struct cur c)
{
    struct decoded_pkt *o = x->out;
    uint32_t dgram = wire_left(&c);
    uint16_t ulen;

    if (!rd_has(&c.r, 8))
        return DECODE_ERR_UDP_SHORT;
    o->src_port = rd_be16(&c.r);
    o->dst_port = rd_be16(&c.r);
    ulen = rd_be16(&c.r);
    rd_skip(&c.r, 2); /* checksum */
    o->has_l4 = true;
    if (ulen < 8)
        return DECODE_ERR_UDP_LEN;
    if (o->is_fragment) {
        /* The length covers the whole datagram, mostly in later fragments;
         * and a tunnel inside a fragment cannot be followed. */
        set_payload(o, &c);
        return DECODE_OK;
    }
    if (ulen > dgram || !cur_limit(&c, ulen - 8u))
        return DECODE_ERR_UDP_LEN;
    set_payload(o, &c);
    if (o->dst_port == PORT_VXLAN)
        return decode_vxlan(x, c);
    if (o->src_port == PORT_GTPU || o->dst_port == PORT_GTPU)
        return decode_gtp(x, c);
    return DECODE_OK;
}

/* ICMP and ICMPv6: every message has at least the 8-byte header. */
static enum decode_reason
dec_icmp(struct ctx *x, struct cur c, uint8_t proto)
{
    struct decoded_pkt *o = x->out;
    uint16_t id;

    if (!rd_has(&c.r, 8))
        return DECODE_ERR_ICMP_SHORT;
    o->icmp_type = rd_u8(&c.r);
    o->icmp_code = rd_u8(&c.r);
    rd_skip(&c.r, 2); /* checksum */
    id = rd_be16(&c.r);
    rd_skip(&c.r, 2); /* sequence or rest of header */
    if (proto == 1 ? (o->icmp_type == 8 || o->icmp_type == 0)
                   : (o->icmp_type == 128 || o->icmp_type == 129))
        o->icmp_id = id;
    o->has_l4 = true;
    set_payload(o, &c);
    return DECODE_OK;
}

static enum decode_reason
dec_sctp(struct ctx *x, struct cur c)
{
    struct decoded_pkt *o = x->out;

    if (!rd_has(&c.r, 12))
        return DECODE_ERR_SCTP_SHORT;
    o->src_port = rd_be16(&c.r);
    o->dst_port = rd_be16(&c.r);
    rd_skip(&c.r, 8); /* verification tag, checksum */
    o->has_l4 = true;
    set_payload(o, &c);
    return DECODE_OK;
}

/* The IP payload c of protocol proto. In a first fragment the transport
 * header is read but tunnels are not entered: their inner packet is cut. */
static enum decode_reason
dec_l4(struct ctx *x, struct cur c, uint8_t proto)
{
    bool frag = x->out->is_fragment;

    switch (proto) {
    case 6:
        return dec_tcp(x, c);
    case 17:
        return dec_udp(x, c);
    case 1:
    case 58:
        return dec_icmp(x, c, proto);
    case 132:
        return dec_sctp(x, c);
    case 47:
        return frag ? DECODE_OK : decode_gre(x, c);
    case 4:
        return frag ? DECODE_OK : decode_tunnel_enter(x, DECODE_TUNNEL_IPIP, 0, c, decode_ipv4);
    case 41:
        return frag ? DECODE_OK : decode_tunnel_enter(x, DECODE_TUNNEL_IPIP, 0, c, decode_ipv6);
    default:
        return DECODE_OK; /* ESP, OSPF, ...: addresses and protocol only */
    }
}

/* --------------------------------------------------------------- network */

enum decode_reason
decode_ipv4(struct ctx *x, struct cur c)
{
    struct decoded_pkt *o = x->out;
    struct cur w = c; /* the datagram from its first byte */
    uint8_t vhl, proto;
    uint16_t tot, fo;
    unsigned hlen;

    vhl = rd_u8(&c.r);
    if (c.r.err)
        return DECODE_ERR_IPV4_SHORT;
    if (vhl >> 4 != 4)
        return DECODE_ERR_IPV4_VERSION;
    hlen = (vhl & 0x0fu) * 4u;
    if (hlen < 20)
        return DECODE_ERR_IPV4_HLEN;
    if (!rd_has(&c.r, 19))
        return DECODE_ERR_IPV4_SHORT;
    rd_skip(&c.r, 1); /* DSCP/ECN */
    tot = rd_be16(&c.r);
    o->frag_id = rd_be16(&c.r);
    fo = rd_be16(&c.r);
    o->ttl = rd_u8(&c.r);
    proto = rd_u8(&c.r);
    rd_skip(&c.r, 2); /* checksum: offload makes it unreliable, not ours to judge */
    set_addr(&o->src, &c.r, 4);
    set_addr(&o->dst, &c.r, 4);
    o->ip_version = 4;
    o->proto = proto;
    o->ip_len = tot;
    o->l3 = w.r.p;
    o->l3_len = cur_left(&w);
    o->frag_offset = fo & 0x1fff;
    o->is_fragment = (fo & 0x2000) || o->frag_offset != 0;
    if (tot < 20)
        return DECODE_ERR_IPV4_TOTLEN;
    if (hlen > tot)
        return DECODE_ERR_IPV4_HLEN;
    if (!cur_limit(&w, tot))
        return DECODE_ERR_IPV4_TOTLEN;
    o->l3_len = cur_left(&w);
    if (!rd_skip(&w.r, hlen))
        return DECODE_ERR_IPV4_SHORT; /* options cut by the snaplen */
    if (o->frag_offset != 0)
        return DECODE_OK; /* no transport header in a later fragment */
    return dec_l4(x, w, proto);
}

enum decode_reason
decode_ipv6(struct ctx *x, struct cur c)
{
    struct decoded_pkt *o = x->out;
    const uint8_t *l3 = c.r.p;
    uint16_t plen;
    uint8_t nh;

    if (!rd_has(&c.r, 1))
        return DECODE_ERR_IPV6_SHORT;
    if (rd_peek_u8(&c.r, 0) >> 4 != 6)
        return DECODE_ERR_IPV6_VERSION;
    if (!rd_has(&c.r, 40))
        return DECODE_ERR_IPV6_SHORT;
    rd_skip(&c.r, 4); /* version, traffic class, flow label */
    plen = rd_be16(&c.r);
    nh = rd_u8(&c.r);
    o->ttl = rd_u8(&c.r);
    set_addr(&o->src, &c.r, 6);
    set_addr(&o->dst, &c.r, 6);
    o->ip_version = 6;
    o->proto = nh;
    o->l3 = l3;
    o->is_fragment = false; /* an enclosing IPv4 packet may have set these */
    o->frag_offset = 0;
    o->frag_id = 0;
    if (plen == 0 && nh == 0) {
        /* Jumbogram (RFC 2675): the length is in an option; take the frame. */
        o->ip_len = 40 + wire_left(&c);
    } else {
        o->ip_len = 40u + plen;
        if (!cur_limit(&c, plen)) {
            o->l3_len = 40 + cur_left(&c);
            return DECODE_ERR_IPV6_PLEN;
        }
    }
    o->l3_len = 40 + cur_left(&c);

    for (;;) {
        uint8_t next;
        size_t len;
        uint16_t fo;

        switch (nh) {
        case 0:   /* hop-by-hop options */
        case 43:  /* routing */
        case 60:  /* destination options */
        case 135: /* mobility */
        case 51:  /* AH: length in 4-byte units minus 2, not 8-byte units minus 1 */
            next = rd_peek_u8(&c.r, 0);
            len = rd_peek_u8(&c.r, 1);
            len = nh == 51 ? (len + 2) * 4 : (len + 1) * 8;
            if (!rd_skip(&c.r, len))
                return DECODE_ERR_IPV6_EXTHDR;
            break;
        case 44: /* fragment */
            next = rd_u8(&c.r);
            rd_skip(&c.r, 1);
            fo = rd_be16(&c.r);
            o->frag_id = rd_be32(&c.r);
            if (c.r.err)
                return DECODE_ERR_IPV6_EXTHDR;
            o->frag_offset = fo >> 3;
            o->is_fragment = (fo & 1) || o->frag_offset != 0;
            if (o->frag_offset != 0) {
                o->proto = next;
                return DECODE_OK;
            }
            break;
        default: /* upper layer, ESP (50) or no next header (59) */
            o->proto = nh;
            return dec_l4(x, c, nh);
        }
        nh = next;
        o->proto = nh;
    }
}

/* ------------------------------------------------------------------- API */

enum decode_reason
decode_packet(int dlt, const uint8_t *data, uint32_t caplen, uint32_t wirelen,
              struct decoded_pkt *out)
{
    struct ctx x = { out, 0 };
    struct cur c;

    memset(out, 0, sizeof(*out));
    if (!decode_linktype_supported(dlt))
        return DECODE_ERR_LINKTYPE;
    if (data == NULL)
        return DECODE_ERR_LINK_SHORT;
    c.r = rd_init(data, caplen);
    c.miss = wirelen > caplen ? wirelen - caplen : 0;
    switch (dlt) {
    case DECODE_DLT_EN10MB:
        return decode_eth(&x, c);
    case DECODE_DLT_LINUX_SLL:
        return dec_sll(&x, c, false);
    case DECODE_DLT_LINUX_SLL2:
        return dec_sll(&x, c, true);
    case DECODE_DLT_NULL:
        return dec_loopback(&x, c, false);
    case DECODE_DLT_LOOP:
        return dec_loopback(&x, c, true);
    case DECODE_DLT_IPV4:
        out->l2_payload = data;
        out->l2_payload_len = caplen;
        return decode_ipv4(&x, c);
    case DECODE_DLT_IPV6:
        out->l2_payload = data;
        out->l2_payload_len = caplen;
        return decode_ipv6(&x, c);
    default: /* DECODE_DLT_RAW, DECODE_DLT_RAW_LT */
        out->l2_payload = data;
        out->l2_payload_len = caplen;
        if (!rd_has(&c.r, 1))
            return DECODE_ERR_IPV4_SHORT;
        return decode_ip_version(&x, c, DECODE_ERR_IPV4_VERSION);
    }
}

bool
decode_linktype_supported(int dlt)
{
    switch (dlt) {
    case DECODE_DLT_NULL:
    case DECODE_DLT_EN10MB:
    case DECODE_DLT_RAW:
    case DECODE_DLT_RAW_LT:
    case DECODE_DLT_LOOP:
    case DECODE_DLT_LINUX_SLL:
    case DECODE_DLT_IPV4:
    case DECODE_DLT_IPV6:
    case DECODE_DLT_LINUX_SLL2:
        return true;
    default:
        return false;
    }
}

const char *
decode_reason_name(enum decode_reason r)
{
    switch (r) {
    case DECODE_OK: return "ok";
    case DECODE_NOT_IP: return "not_ip";
    case DECODE_ERR_LINKTYPE: return "linktype";
    case DECODE_ERR_LINK_SHORT: return "link_short";
    case DECODE_ERR_VLAN_SHORT: return "vlan_short";
    case DECODE_ERR_VLAN_DEPTH: return "vlan_depth";
    case DECODE_ERR_MPLS_SHORT: return "mpls_short";
    case DECODE_ERR_MPLS_PAYLOAD: return "mpls_payload";
    case DECODE_ERR_PPPOE_SHORT: return "pppoe_short";
    case DECODE_ERR_IPV4_SHORT: return "ipv4_short";
    case DECODE_ERR_IPV4_VERSION: return "ipv4_version";
    case DECODE_ERR_IPV4_HLEN: return "ipv4_hlen";
    case DECODE_ERR_IPV4_TOTLEN: return "ipv4_totlen";
    case DECODE_ERR_IPV6_SHORT: return "ipv6_short";
    case DECODE_ERR_IPV6_VERSION: return "ipv6_version";
    case DECODE_ERR_IPV6_EXTHDR: return "ipv6_exthdr";
    case DECODE_ERR_TCP_SHORT: return "tcp_short";
    case DECODE_ERR_TCP_HLEN: return "tcp_hlen";
    case DECODE_ERR_UDP_SHORT: return "udp_short";
    case DECODE_ERR_UDP_LEN: return "udp_len";
    case DECODE_ERR_ICMP_SHORT: return "icmp_short";
    case DECODE_ERR_SCTP_SHORT: return "sctp_short";
    case DECODE_ERR_GRE_SHORT: return "gre_short";
    case DECODE_ERR_GRE_VERSION: return "gre_version";
    case DECODE_ERR_ERSPAN_SHORT: return "erspan_short";
    case DECODE_ERR_VXLAN_SHORT: return "vxlan_short";
    case DECODE_ERR_GTP_SHORT: return "gtp_short";
    case DECODE_ERR_TUNNEL_DEPTH: return "tunnel_depth";
    case DECODE_ERR_IPV6_PLEN: return "ipv6_plen";
    case DECODE_REASON_COUNT: break;
    }
    return "unknown";
}

const char *
decode_tunnel_name(enum decode_tunnel t)
{
    switch (t) {
    case DECODE_TUNNEL_GRE: return "gre";
    case DECODE_TUNNEL_ERSPAN2: return "erspan2";
    case DECODE_TUNNEL_ERSPAN3: return "erspan3";
    case DECODE_TUNNEL_VXLAN: return "vxlan";
    case DECODE_TUNNEL_GTPU: return "gtpu";
    case DECODE_TUNNEL_IPIP: return "ipip";
    case DECODE_TUNNEL_NONE:
    case DECODE_TUNNEL_COUNT: break;
    }
    return NULL;
}

char *
decode_addr_str(const struct decode_addr *addr, char *buf, unsigned buflen)
{
    if (buflen == 0)
        return buf;
    buf[0] = '\0';
    if ((addr->family == 4 || addr->family == 6) &&
        inet_ntop(addr->family == 4 ? AF_INET : AF_INET6, addr->a, buf,
                  (socklen_t)buflen) == NULL)
        buf[0] = '\0';
    return buf;
}
