/* ex_eui64.h - recover a MAC from an IPv6 modified EUI-64 interface id
 * (RFC 4291 appendix A): the id is MAC[0..3) ff fe MAC[3..6) with the
 * universal/local bit (0x02 of the first byte) inverted.
 */
#ifndef TELEXPOSE_EX_EUI64_H
#define TELEXPOSE_EX_EUI64_H

#include <stdbool.h>
#include <stdint.h>

/* addr: 16 bytes of an IPv6 address. True and mac filled when its interface
 * id is a modified EUI-64 built from a universally administered unicast MAC;
 * false for everything else (ff:fe absent, multicast, a local-bit id that
 * came from a random or locally administered MAC, link-local addresses of
 * the unspecified/loopback/multicast ranges). */
bool eui64_to_mac(const uint8_t addr[16], uint8_t mac[6]);

#endif /* TELEXPOSE_EX_EUI64_H */
