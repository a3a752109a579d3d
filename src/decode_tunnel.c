/* decode_tunnel.c - tunnels for decode.c: GRE (v0, PPTP v1), ERSPAN II/III, VXLAN, GTP-U.
 *
 * References: RFC 1701/2784/2890 (GRE), RFC 2637 (PPTP enhanced GRE),
 * draft-foschiano-erspan-03, RFC 7348 (VXLAN), 3GPP TS 29.281 (GTP-U),
 * RFC 2003/4213 (IP in IP, entered from decode.c). Design and reasons:
 * docs/internals/DECODE.md.
 */
#include <stddef.h>

#include "decode_int.h"

#define GRE_C 0x8000 /* checksum present */
#define GRE_R 0x4000 /* routing present (RFC 1701) */
#define GRE_K 0x2000 /* key present */
#define GRE_S 0x1000 /* sequence number present */
#define GRE_A 0x0080 /* acknowledgment number present (PPTP) */

/* Forget the transport of the enclosing packet when its payload turns out to
 * be a tunnel: the inner packet's transport takes its place. */
static void
clear_l4(struct decoded_pkt *o)
{
    o->has_l4 = false;
    o->src_port = 0;
    o->dst_port = 0;
    o->tcp_flags = 0;
    o->tcp_seq = 0;
    o->tcp_ack = 0;
    o->icmp_type = 0;
    o->icmp_code = 0;
    o->icmp_id = 0;
    o->payload = NULL;
    o->payload_len = 0;
}

/* Enter a tunnel whose inner frame starts at c. The outermost tunnel names
 * the type, id and outer endpoints. A well-formed inner frame that is not IP
 * (VXLAN carrying ARP, PPTP carrying LCP) leaves the enclosing IP packet as
 * the reported one, so the tunnel traffic itself is still accounted. */
enum decode_reason
decode_tunnel_enter(struct ctx *x, enum decode_tunnel type, uint32_t id, struct cur c,
                    layer_fn inner)
{
    struct decoded_pkt *o = x->out;
    struct decoded_pkt saved;
    enum decode_reason r;

    if (x->nest >= DECODE_MAX_TUNNELS)
        return DECODE_ERR_TUNNEL_DEPTH;
    x->nest++;
    saved = *o;
    if (o->tunnel_depth == 0) {
        o->tunnel = type;
        o->tunnel_id = id;
        o->outer_src = o->src;
        o->outer_dst = o->dst;
    }
    o->tunnel_depth++;
    clear_l4(o);
    r = inner(x, c);
    if (r == DECODE_NOT_IP) {
        *o = saved;
        r = DECODE_OK;
    }
    return r;
}

/* A tunnel payload that is an IP packet or else not ours (GTP T-PDU,
 * ERSPAN III frame type IP). */
static enum decode_reason
dec_tpdu(struct ctx *x, struct cur c)
{
    return decode_ip_version(x, c, DECODE_NOT_IP);
}

/* ERSPAN type II: 8-byte header with a 10-bit session id. Type I shares the
 * protocol number but has no GRE sequence number and no header at all. */
static enum decode_reason
dec_erspan2(struct ctx *x, struct cur c, bool has_seq)
{
    uint16_t session = 0;

    if (has_seq) {
        rd_skip(&c.r, 2); /* version, VLAN */
        session = rd_be16(&c.r) & 0x03ff;
        rd_skip(&c.r, 4); /* reserved, index */
        if (c.r.err)
            return DECODE_ERR_ERSPAN_SHORT;
    }
    return decode_tunnel_enter(x, DECODE_TUNNEL_ERSPAN2, session, c, decode_eth);
}

/* ERSPAN type III: 12-byte header, an 8-byte platform sub-header when O is
 * set; frame type 0 is Ethernet, anything else we read as IP. */
static enum decode_reason
dec_erspan3(struct ctx *x, struct cur c)
{
    uint16_t session;
    uint8_t b10, b11;

    rd_skip(&c.r, 2); /* version, VLAN */
    session = rd_be16(&c.r) & 0x03ff;
    rd_skip(&c.r, 6); /* timestamp, SGT */
    b10 = rd_u8(&c.r); /* P, FT(5), hardware id high bits */
    b11 = rd_u8(&c.r); /* hardware id low bits, D, Gra, O */
    if ((b11 & 0x01) && !c.r.err)
        rd_skip(&c.r, 8);
    if (c.r.err)
        return DECODE_ERR_ERSPAN_SHORT;
    return decode_tunnel_enter(x, DECODE_TUNNEL_ERSPAN3, session, c,
                  ((b10 >> 2) & 0x1f) == 0 ? decode_eth : dec_tpdu);
}

/* PPTP enhanced GRE (version 1): the key holds payload length and call id;
 * the payload is PPP. Acknowledgment-only packets carry nothing. */
static enum decode_reason
dec_pptp(struct ctx *x, struct cur c, uint16_t flags, uint16_t proto)
{
    uint16_t plen, call, pp;

    if (proto != ET_PPP || !(flags & GRE_K))
        return DECODE_OK;
    plen = rd_be16(&c.r);
    call = rd_be16(&c.r);
    if (flags & GRE_S)
        rd_skip(&c.r, 4);
    if (flags & GRE_A)
        rd_skip(&c.r, 4);
    if (c.r.err || !cur_limit(&c, plen))
        return DECODE_ERR_GRE_SHORT;
    if (plen == 0)
        return DECODE_OK;
    pp = decode_ppp_proto(&c.r);
    if (c.r.err)
        return DECODE_ERR_GRE_SHORT;
    if (pp == PPP_IPV4)
        return decode_tunnel_enter(x, DECODE_TUNNEL_GRE, call, c, decode_ipv4);
    if (pp == PPP_IPV6)
        return decode_tunnel_enter(x, DECODE_TUNNEL_GRE, call, c, decode_ipv6);
    return DECODE_OK; /* PPP control traffic: the GRE packet is the flow */
}

enum decode_reason
decode_gre(struct ctx *x, struct cur c)
{
    uint16_t flags, proto;
    uint32_t key = 0;

    flags = rd_be16(&c.r);
    proto = rd_be16(&c.r);
    if (c.r.err)
        return DECODE_ERR_GRE_SHORT;
    if ((flags & 0x7) == 1)
        return dec_pptp(x, c, flags, proto);
    if ((flags & 0x7) != 0)
        return DECODE_ERR_GRE_VERSION;
    if (flags & (GRE_C | GRE_R))
        rd_skip(&c.r, 4); /* checksum, offset */
    if (flags & GRE_K)
        key = rd_be32(&c.r);
    if (flags & GRE_S)
        rd_skip(&c.r, 4);
    /* RFC 1701 source route entries up to a null one; each is >= 4 bytes,
     * so the loop ends at the latest when the window does. */
    while ((flags & GRE_R) && !c.r.err) {
        uint16_t af = rd_be16(&c.r);
        uint8_t len;

        rd_skip(&c.r, 1); /* SRE offset */
        len = rd_u8(&c.r);
        if (af == 0 && len == 0)
            break;
        rd_skip(&c.r, len);
    }
    if (c.r.err)
        return DECODE_ERR_GRE_SHORT;
    switch (proto) {
    case ET_IPV4:
        return decode_tunnel_enter(x, DECODE_TUNNEL_GRE, key, c, decode_ipv4);
    case ET_IPV6:
        return decode_tunnel_enter(x, DECODE_TUNNEL_GRE, key, c, decode_ipv6);
    case ET_TEB:
        return decode_tunnel_enter(x, DECODE_TUNNEL_GRE, key, c, decode_eth);
    case ET_MPLS:
    case ET_MPLS_MC:
        return decode_tunnel_enter(x, DECODE_TUNNEL_GRE, key, c, decode_mpls);
    case ET_ERSPAN2:
        return dec_erspan2(x, c, (flags & GRE_S) != 0);
    case ET_ERSPAN3:
        return dec_erspan3(x, c);
    default:
        return DECODE_OK; /* keepalives, WCCP, ...: the GRE packet is the flow */
    }
}

/* VXLAN needs the I flag: without it the datagram is left as plain UDP. */
enum decode_reason
decode_vxlan(struct ctx *x, struct cur c)
{
    uint32_t vni;

    if (!rd_has(&c.r, 1) || !(rd_peek_u8(&c.r, 0) & 0x08))
        return DECODE_OK;
    rd_skip(&c.r, 4); /* flags, reserved */
    vni = rd_be24(&c.r);
    rd_skip(&c.r, 1);
    if (c.r.err)
        return DECODE_ERR_VXLAN_SHORT;
    return decode_tunnel_enter(x, DECODE_TUNNEL_VXLAN, vni, c, decode_eth);
}

/* GTP-U version 1 G-PDU. Echo, error indication and end marker messages,
 * and GTP' (PT=0), stay ordinary UDP flows. */
enum decode_reason
decode_gtp(struct ctx *x, struct cur c)
{
    uint8_t flags;
    uint16_t len;
    uint32_t teid;

    if (!rd_has(&c.r, 2))
        return DECODE_OK;
    flags = rd_peek_u8(&c.r, 0);
    if ((flags & 0xf0) != 0x30 || rd_peek_u8(&c.r, 1) != 0xff)
        return DECODE_OK;
    rd_skip(&c.r, 2);
    len = rd_be16(&c.r); /* bytes after the 8-byte mandatory header */
    teid = rd_be32(&c.r);
    if (c.r.err || !cur_limit(&c, len))
        return DECODE_ERR_GTP_SHORT;
    if (flags & 0x07) { /* E, S or PN: sequence, N-PDU, next extension type */
        uint8_t next;

        rd_skip(&c.r, 3);
        next = rd_u8(&c.r);
        /* Extension headers: length in 4-byte units including the length
         * and next-type bytes; 0 would never advance. */
        while ((flags & 0x04) && next != 0 && !c.r.err) {
            unsigned n = rd_u8(&c.r) * 4u;

            if (n == 0)
                return DECODE_ERR_GTP_SHORT;
            rd_skip(&c.r, n - 2);
            next = rd_u8(&c.r);
        }
        if (c.r.err)
            return DECODE_ERR_GTP_SHORT;
    }
    if (!rd_has(&c.r, 1))
        return DECODE_ERR_GTP_SHORT; /* a G-PDU always carries a packet */
    return decode_tunnel_enter(x, DECODE_TUNNEL_GTPU, teid, c, dec_tpdu);
}
