/* ex_eui64_t.c - unit tests for eui64_to_mac() (ex_eui64.h).
 *
 * Reference: RFC 4291 appendix A. Addresses are written in text and parsed
 * with inet_pton, so each case reads as the address a capture would show.
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "telexpose/ex_eui64.h"

/* The MAC recovered from addr as "aa:bb:cc:dd:ee:ff", or "-" for false.
 * A false return must leave mac untouched. */
static const char *
mac_of(const char *addr)
{
    static char buf[32];
    uint8_t a[16], mac[6];
    uint8_t *copy;
    bool ret;

    if (inet_pton(AF_INET6, addr, a) != 1)
        abort();
    copy = malloc(16); /* exact size: ASan sees any read past the address */
    if (copy == NULL)
        abort();
    memcpy(copy, a, 16);
    memset(mac, 0xaa, sizeof(mac));
    ret = eui64_to_mac(copy, mac);
    free(copy);
    if (!ret) {
        static const uint8_t untouched[6] = { 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa };
        return memcmp(mac, untouched, 6) == 0 ? "-" : "(mac written on false)";
    }
    snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
             mac[4], mac[5]);
    return buf;
}

static void
test_eui64(void)
{
    /* link-local of a Huawei interface (OUI 00:e0:fc) */
    is_str(mac_of("fe80::2e0:fcff:fe12:3456"), "00:e0:fc:12:34:56", "link-local Huawei");
    /* global, SLAAC from a ZTE MAC (OUI 00:19:c6) */
    is_str(mac_of("2001:db8:1:2:219:c6ff:fe01:203"), "00:19:c6:01:02:03", "global ZTE");
    /* unique local */
    is_str(mac_of("fd12:3456:789a:1:2e0:fcff:fe00:1"), "00:e0:fc:00:00:01", "ULA");
    /* upper-case hex, full form */
    is_str(mac_of("2001:0DB8:0000:0000:4E1F:CCFF:FE8E:1A02"), "4c:1f:cc:8e:1a:02",
           "OUI with other bits set (4c)");
    /* every byte of the MAC distinct: order of the six bytes */
    is_str(mac_of("fe80::a11:22ff:fe33:4455"), "08:11:22:33:44:55", "byte order");
}

static void
test_near_misses(void)
{
    /* RFC 8981 privacy address: random id, no ff:fe */
    is_str(mac_of("2001:db8::d5e3:7953:13eb:22e8"), "-", "privacy address");
    /* random id that has ff:fe but the u bit clear (id 0x00 -> MAC 0x02,
     * locally administered) */
    is_str(mac_of("2001:db8::1:2ff:fe03:405"), "-", "u bit 0: local MAC");
    /* id built from a locally administered MAC 02:.. (u bit 0 in the id) */
    is_str(mac_of("fe80::11:22ff:fe33:4455"), "-", "locally administered MAC");
    /* group bit: MAC 01:00:5e.. would be multicast */
    is_str(mac_of("fe80::300:5eff:fe00:1"), "-", "multicast MAC");
    /* fffe one byte off */
    is_str(mac_of("fe80::2e0:fc12:fffe:3456"), "-", "fffe at bytes 12,13");
    is_str(mac_of("fe80::2e0:fffe:1234:5678"), "-", "fffe at bytes 10,11");
    /* ff:ff instead of ff:fe (EUI-48 as EUI-64 mapping, not for IPv6) */
    is_str(mac_of("fe80::2e0:fcff:ff12:3456"), "-", "ff:ff not ff:fe");
    /* multicast address whose low half looks like EUI-64 */
    is_str(mac_of("ff02::2e0:fcff:fe12:3456"), "-", "multicast address");
    is_str(mac_of("ff3e:30:2001:db8:2e0:fcff:fe12:3456"), "-", "multicast ff3e::");
    is_str(mac_of("::"), "-", "unspecified");
    is_str(mac_of("::1"), "-", "loopback");
    /* ::ffff:254.255.255.x puts ff:fe at bytes 11,12 */
    is_str(mac_of("::ffff:254.2.3.4"), "-", "IPv4-mapped");
    is_str(mac_of("::ffff:192.0.2.1"), "-", "IPv4-mapped plain");
    is_str(mac_of("::192.0.2.1"), "-", "IPv4-compatible");
    /* an interface id whose high 80 bits happen to be 0 but isn't ::/96 */
    is_str(mac_of("::1:2e0:fcff:fe12:3456"), "00:e0:fc:12:34:56", "::1:x is not IPv4-embedded");

    {
        uint8_t mac[6];
        ok(!eui64_to_mac(NULL, mac), "NULL address");
    }
}

int
main(void)
{
    test_eui64();
    test_near_misses();
    return done_testing();
}
