/* communityid.h - Community ID flow hashing, version 1.
 *
 * Reference: https://github.com/corelight/community-id-spec
 * "1:" + base64(sha1(seed(2, BE) . saddr . daddr . proto . 0 . sport . dport)),
 * endpoints ordered so the smaller (address, port) comes first; ICMP and
 * ICMPv6 map type/code to a port pair and one-way types are never swapped.
 */
#ifndef TELEXPOSE_COMMUNITYID_H
#define TELEXPOSE_COMMUNITYID_H

#include <stdbool.h>
#include <stdint.h>

#define COMMUNITYID_BUFLEN 64 /* "1:" + 28 base64 chars + NUL fits, hex (40) too */

/* One flow tuple as seen in its first packet. addr_len is 4 or 16.
 * For ICMP (1) and ICMPv6 (58) sport is the type and dport the code.
 * has_ports is false for protocols without ports (then sport/dport unused). */
struct communityid_tuple {
    uint8_t addr_len;
    uint8_t saddr[16];
    uint8_t daddr[16];
    uint8_t proto;
    bool has_ports;
    uint16_t sport;
    uint16_t dport;
};

/* Write the Community ID of t into out (COMMUNITYID_BUFLEN bytes).
 * base64=false gives the hex digest form. Returns out. */
char *communityid_v1(const struct communityid_tuple *t, uint16_t seed, bool base64, char *out);

#endif /* TELEXPOSE_COMMUNITYID_H */
