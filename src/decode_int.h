/* decode_int.h - internals shared by decode.c and decode_tunnel.c (not installed).
 *
 * Reference: include/telexpose/decode.h for the contract, docs/internals/DECODE.md
 * for the design. Each layer decoder takes its window by value and returns
 * the first reason it finds, writing what it decoded into ctx->out.
 */
#ifndef TELEXPOSE_DECODE_INT_H
#define TELEXPOSE_DECODE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "telexpose/decode.h"
#include "telexpose/rd.h"

#define ET_IPV4 0x0800
#define ET_IPV6 0x86dd
#define ET_VLAN 0x8100
#define ET_QINQ 0x88a8
#define ET_QINQ_OLD 0x9100
#define ET_MPLS 0x8847
#define ET_MPLS_MC 0x8848
#define ET_PPPOE_SESS 0x8864
#define ET_TEB 0x6558 /* transparent Ethernet bridging */
#define ET_ERSPAN2 0x88be
#define ET_ERSPAN3 0x22eb
#define ET_PPP 0x880b /* PPTP enhanced GRE payload */

#define PPP_IPV4 0x0021
#define PPP_IPV6 0x0057

/* A window over the frame, plus how many bytes past its end were on the wire
 * but cut off by the snaplen: a length field may point there and still be
 * right, so it is only wrong beyond end + miss. */
struct cur {
    struct rd r;
    uint32_t miss;
};

struct ctx {
    struct decoded_pkt *out;
    unsigned nest; /* tunnels and pseudowires entered: bounds the recursion */
};

typedef enum decode_reason (*layer_fn)(struct ctx *x, struct cur c);

static inline uint32_t
cur_left(const struct cur *c)
{
    return (uint32_t)rd_left(&c->r);
}

/* Bytes the wire held from the cursor on (captured or not). */
static inline uint32_t
wire_left(const struct cur *c)
{
    return cur_left(c) + c->miss;
}

/* Narrow c to the next n wire bytes; false when n exceeds what the wire held.
 * Bytes beyond n (Ethernet padding, trailers) drop out of the window. */
static inline bool
cur_limit(struct cur *c, uint32_t n)
{
    uint32_t left = cur_left(c);

    if (n <= left) {
        rd_limit(&c->r, n);
        c->miss = 0;
        return true;
    }
    if (n - left > c->miss)
        return false;
    c->miss = n - left;
    return true;
}

/* PPP protocol field, after an optional 0xff03 address/control (RFC 1662)
 * and possibly compressed to one byte (RFC 1661 PFC: the first byte is odd). */
static inline uint16_t
decode_ppp_proto(struct rd *r)
{
    uint8_t b;

    if (rd_has(r, 2) && rd_peek_u8(r, 0) == 0xff && rd_peek_u8(r, 1) == 0x03)
        rd_skip(r, 2);
    b = rd_u8(r);
    if (b & 1)
        return b;
    return (uint16_t)(b << 8 | rd_u8(r));
}

/* decode.c */
enum decode_reason decode_eth(struct ctx *x, struct cur c);
enum decode_reason decode_mpls(struct ctx *x, struct cur c);
enum decode_reason decode_ipv4(struct ctx *x, struct cur c);
enum decode_reason decode_ipv6(struct ctx *x, struct cur c);
enum decode_reason decode_ip_version(struct ctx *x, struct cur c, enum decode_reason other);

/* decode_tunnel.c */
enum decode_reason decode_tunnel_enter(struct ctx *x, enum decode_tunnel type, uint32_t id,
                                       struct cur c, layer_fn inner);
enum decode_reason decode_gre(struct ctx *x, struct cur c);
enum decode_reason decode_vxlan(struct ctx *x, struct cur c);
enum decode_reason decode_gtp(struct ctx *x, struct cur c);

#endif /* TELEXPOSE_DECODE_INT_H */
