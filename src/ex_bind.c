/* ex_bind.c - ARP and IPv6 neighbour discovery: who owns which address.
 *
 * References: RFC 826 (ARP packet), RFC 5227 section 2.1.1 (probes) and
 * 3 (announcements), RFC 4861 sections 4.1-4.4 (RS, RA, NS, NA formats),
 * 4.6 (option format), 4.6.1 (link-layer address options), 6.1.1, 6.1.2,
 * 7.1.1 and 7.1.2 (validity checks).
 *
 * Both parsers fill a plain struct and leave the binding to the caller:
 * what a message proves depends on its IP header too (hop limit, source).
 */
#include "telexpose/ex_bind.h"

#include <string.h>

#include "telexpose/rd.h"

/* ------------------------------------------------------------------ ARP */

#define ARP_HTYPE_ETHER 1
#define ARP_PTYPE_IPV4 0x0800

int
arp_parse(const uint8_t *p, size_t len, struct arp_info *out)
{
    struct rd r = rd_init(p, p != NULL ? len : 0);
    static const uint8_t zero[4];
    uint16_t htype, ptype;
    uint8_t hlen, plen;

    memset(out, 0, sizeof(*out));
    htype = rd_be16(&r);
    ptype = rd_be16(&r);
    hlen = rd_u8(&r);
    plen = rd_u8(&r);
    if (r.err || htype != ARP_HTYPE_ETHER || ptype != ARP_PTYPE_IPV4 || hlen != 6 || plen != 4)
        return -1;
    out->op = rd_be16(&r);
    rd_copy(&r, out->sender_mac, 6);
    rd_copy(&r, out->sender_ip, 4);
    rd_copy(&r, out->target_mac, 6);
    rd_copy(&r, out->target_ip, 4);
    if (r.err) {
        memset(out, 0, sizeof(*out));
        return -1;
    }
    out->probe = memcmp(out->sender_ip, zero, 4) == 0;
    out->gratuitous = !out->probe && memcmp(out->sender_ip, out->target_ip, 4) == 0;
    return 0;
}

/* --------------------------------------------------- neighbour discovery */

#define ND_OPT_SOURCE_LL 1
#define ND_OPT_TARGET_LL 2
#define ND_NA_ROUTER 0x80
#define ND_NA_SOLICITED 0x40
#define ND_NA_OVERRIDE 0x20

/* Bytes before the options of each message (ICMPv6 header included), and
 * whether a target address ends that fixed part. */
static const struct {
    uint8_t fixed;
    bool target;
} nd_msgs[] = {
    [ND_ROUTER_SOLICIT - ND_ROUTER_SOLICIT] = { 8, false },   /* reserved */
    [ND_ROUTER_ADVERT - ND_ROUTER_SOLICIT] = { 16, false },   /* + reachable, retrans timers */
    [ND_NEIGHBOR_SOLICIT - ND_ROUTER_SOLICIT] = { 24, true }, /* reserved, target */
    [ND_NEIGHBOR_ADVERT - ND_ROUTER_SOLICIT] = { 24, true },  /* flags, target */
};

/* A link-layer address option's body (6 bytes after type and length);
 * only the first of its kind counts. */
static void
take_ll(struct rd v, uint8_t optlen, bool *has, uint8_t mac[6])
{
    if (optlen != 1 || *has)
        return;
    *has = rd_copy(&v, mac, 6);
}

int
nd_parse(const uint8_t *icmp6, size_t len, struct nd_info *out)
{
    struct rd r = rd_init(icmp6, icmp6 != NULL ? len : 0);
    uint8_t type, code, flags;

    memset(out, 0, sizeof(*out));
    type = rd_u8(&r);
    code = rd_u8(&r);
    if (r.err || type < ND_ROUTER_SOLICIT || type > ND_NEIGHBOR_ADVERT || code != 0)
        return -1;
    size_t fixed = nd_msgs[type - ND_ROUTER_SOLICIT].fixed;
    if (!rd_has(&r, fixed - 2))
        goto bad;
    rd_skip(&r, 2); /* checksum */
    flags = rd_u8(&r);
    rd_skip(&r, fixed - 5 - (nd_msgs[type - ND_ROUTER_SOLICIT].target ? 16 : 0));
    out->type = type;
    if (nd_msgs[type - ND_ROUTER_SOLICIT].target) {
        rd_copy(&r, out->target, 16);
        if (out->target[0] == 0xff)
            goto bad;
        out->has_target = true;
    }
    if (type == ND_NEIGHBOR_ADVERT) {
        out->router = flags & ND_NA_ROUTER;
        out->solicited = flags & ND_NA_SOLICITED;
        out->override = flags & ND_NA_OVERRIDE;
    }
    while (rd_left(&r) > 0) {
        uint8_t opt = rd_u8(&r);
        uint8_t optlen = rd_u8(&r);
        struct rd v = r;

        /* Length is in units of 8 bytes, type and length included. */
        if (r.err || optlen == 0 || !rd_limit(&v, (size_t)optlen * 8 - 2) ||
            !rd_skip(&r, (size_t)optlen * 8 - 2))
            goto bad;
        if (opt == ND_OPT_SOURCE_LL)
            take_ll(v, optlen, &out->has_source_ll, out->source_ll);
        else if (opt == ND_OPT_TARGET_LL)
            take_ll(v, optlen, &out->has_target_ll, out->target_ll);
    }
    if (r.err)
        goto bad;
    return 0;
bad:
    memset(out, 0, sizeof(*out));
    return -1;
}
