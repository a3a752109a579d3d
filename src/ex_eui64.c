/* ex_eui64.c - the MAC inside an IPv6 modified EUI-64 interface id.
 *
 * References: RFC 4291 section 2.5.1 and appendix A (modified EUI-64),
 * RFC 4291 section 2.5.5 (IPv4-compatible and IPv4-mapped addresses),
 * IEEE 802-2014 clause 8.2 (I/G and U/L bits of a MAC).
 *
 * Only an id built from a universally administered unicast MAC names real
 * hardware. Privacy (RFC 8981) and stable opaque (RFC 7217) ids are random
 * 64-bit values; one that happens to hold ff:fe in the middle usually fails
 * the universal/local check below, which is the best a passive observer can
 * do.
 */
#include "telexpose/ex_eui64.h"

#include <string.h>

#include "telexpose/rd.h"

#define MAC_GROUP 0x01 /* I/G bit of the first MAC byte */
#define MAC_LOCAL 0x02 /* U/L bit; inverted in the modified EUI-64 */

/* Unspecified, loopback, IPv4-compatible (::/96) and IPv4-mapped
 * (::ffff:0:0/96): their low 64 bits are not an interface id. */
static bool
embeds_ipv4(struct rd r)
{
    uint8_t high[10];
    static const uint8_t zero[10];
    uint16_t mid;

    rd_copy(&r, high, sizeof(high));
    mid = rd_be16(&r);
    return !r.err && memcmp(high, zero, sizeof(zero)) == 0 && (mid == 0 || mid == 0xffff);
}

bool
eui64_to_mac(const uint8_t addr[16], uint8_t mac[6])
{
    struct rd r;
    uint8_t id[8];

    if (addr == NULL || mac == NULL)
        return false;
    r = rd_init(addr, 16);
    if (rd_peek_u8(&r, 0) == 0xff || embeds_ipv4(r))
        return false;
    rd_skip(&r, 8);
    if (!rd_copy(&r, id, sizeof(id)) || id[3] != 0xff || id[4] != 0xfe)
        return false;
    id[0] ^= MAC_LOCAL;
    if (id[0] & (MAC_GROUP | MAC_LOCAL))
        return false;
    mac[0] = id[0];
    mac[1] = id[1];
    mac[2] = id[2];
    mac[3] = id[5];
    mac[4] = id[6];
    mac[5] = id[7];
    return true;
}
