/* ex_bind.h - messages that tie an IP address to a MAC: ARP (RFC 826,
 * RFC 5227 probes and announcements) and IPv6 neighbour discovery
 * (RFC 4861 sections 4.1-4.4 and 4.6.1).
 *
 * The parsers only read; what binds is the caller's decision, stated here
 * per message so every caller binds the same way.
 */
#ifndef TELEXPOSE_EX_BIND_H
#define TELEXPOSE_EX_BIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EX_ETHERTYPE_ARP 0x0806

#define ARP_OP_REQUEST 1
#define ARP_OP_REPLY 2

/* An Ethernet/IPv4 ARP packet. What binds: sender_mac owns sender_ip when op
 * is a request or a reply and the packet is no probe. A probe (RFC 5227
 * 2.1.1: sender IP 0.0.0.0, a host checking that an address is free) binds
 * nothing. A gratuitous ARP or announcement (sender IP = target IP) binds
 * its sender like any other. The target fields never bind: a request's are
 * a question, a reply's name the asker, already bound by its request. */
struct arp_info {
    uint16_t op;            /* 1 request, 2 reply; others are filled too */
    uint8_t sender_mac[6];
    uint8_t sender_ip[4];
    uint8_t target_mac[6];  /* zero in most requests */
    uint8_t target_ip[4];
    bool probe;             /* sender_ip is 0.0.0.0 */
    bool gratuitous;        /* sender_ip = target_ip, and not a probe */
};

/* Parse the ARP packet p[0..len) (the bytes after the EtherType; Ethernet
 * padding after the 28 bytes is ignored). Accepts only hardware type 1
 * (Ethernet), protocol type 0x0800, hardware length 6, protocol length 4.
 * Returns 0 with out filled, or -1 (out zeroed) when it is short or of
 * another kind. */
int arp_parse(const uint8_t *p, size_t len, struct arp_info *out);

#define ND_ROUTER_SOLICIT 133
#define ND_ROUTER_ADVERT 134
#define ND_NEIGHBOR_SOLICIT 135
#define ND_NEIGHBOR_ADVERT 136

/* A neighbour discovery message. What binds (the caller checks that the
 * packet's hop limit is 255, which RFC 4861 requires so that only on-link
 * senders are believed, and that the MAC is a unicast one):
 *   NA: target owns target_ll, when has_target_ll and override is set (an NA
 *       with O clear is a proxy's or an anycast answer, RFC 4861 7.2.4/7.2.8);
 *   NS, RS, RA: the IPv6 source address owns source_ll, when has_source_ll
 *       and the source is not the unspecified address (a duplicate address
 *       detection NS comes from :: and, like an ARP probe, binds nothing).
 * Each link-layer option is read from whatever message carries it; the
 * caller takes only the ones above. */
struct nd_info {
    uint8_t type;           /* 133..136 */
    bool has_target;        /* NS, NA */
    uint8_t target[16];
    bool has_source_ll;     /* Source Link-Layer Address option (type 1) */
    uint8_t source_ll[6];
    bool has_target_ll;     /* Target Link-Layer Address option (type 2) */
    uint8_t target_ll[6];
    bool router;            /* NA flags (RFC 4861 4.4): R */
    bool solicited;         /* S */
    bool override;          /* O */
};

/* Parse the ICMPv6 message icmp6[0..len), starting at its type byte.
 * decode_packet() stops its d->payload after the 8-byte ICMPv6 header
 * (type, code, checksum and the 4 message-specific bytes that hold an NA's
 * flags and an RA's hop limit, flags and lifetime), so a caller holding a
 * decoded ICMPv6 packet passes d->payload - 8 and d->payload_len + 8.
 * Only types 133-136 with code 0 are read; the target of an NS or NA must
 * not be multicast (RFC 4861 7.1). Options are walked to the end: a zero
 * length or one running past the message makes it malformed. A link-layer
 * option whose length is not 1 (8 bytes, an Ethernet address) belongs to
 * another link type and is skipped; the first of each kind is kept.
 * Returns 0 with out filled, or -1 (out zeroed) when malformed, short or
 * not one of these messages. */
int nd_parse(const uint8_t *icmp6, size_t len, struct nd_info *out);

#endif /* TELEXPOSE_EX_BIND_H */
