/* decode.h - link, network and transport decoding of one captured frame.
 *
 * References: IEEE 802.1Q (VLAN/QinQ), RFC 3032 (MPLS), RFC 2516 (PPPoE),
 * RFC 791/8200 (IPv4/IPv6), RFC 2784/2890 (GRE), draft-foschiano-erspan
 * (ERSPAN II/III), RFC 7348 (VXLAN), 3GPP TS 29.281 (GTP-U), RFC 2003 (IPIP),
 * tcpdump.org/linktypes.html (DLT_* framings).
 *
 * decode_packet() is pure: no allocation, no global state, safe on any bytes.
 * It fills a struct decoded_pkt whose pointers point into the caller's
 * frame, so the result is valid only while that frame is.
 */
#ifndef TELEXPOSE_DECODE_H
#define TELEXPOSE_DECODE_H

#include <stdbool.h>
#include <stdint.h>

/* Link types we accept (values are libpcap DLT_/LINKTYPE_ numbers). */
#define DECODE_DLT_NULL 0        /* BSD loopback, host-order AF_ word */
#define DECODE_DLT_EN10MB 1      /* Ethernet */
#define DECODE_DLT_RAW 12        /* raw IP (OpenBSD/Linux numbering) */
#define DECODE_DLT_RAW_LT 101    /* LINKTYPE_RAW as written in files */
#define DECODE_DLT_LOOP 108      /* OpenBSD loopback, network-order AF_ word */
#define DECODE_DLT_LINUX_SLL 113 /* Linux cooked v1 */
#define DECODE_DLT_IPV4 228      /* raw IPv4 */
#define DECODE_DLT_IPV6 229      /* raw IPv6 */
#define DECODE_DLT_LINUX_SLL2 276 /* Linux cooked v2 */

#define DECODE_MAX_VLAN 2    /* VLAN ids kept (outermost first); deeper tags are skipped */
#define DECODE_MAX_TUNNELS 4 /* nested encapsulations followed before giving up */

/* Outcome of decoding one frame. DECODE_OK and DECODE_NOT_IP are not
 * failures; every other value names why a frame was malformed, and the
 * caller counts it under decode_reason_name(). */
enum decode_reason {
    DECODE_OK = 0,            /* an IP packet: l3/proto fields are valid */
    DECODE_NOT_IP,            /* well-formed frame without IP (ARP, LLDP, ...) */
    DECODE_ERR_LINKTYPE,      /* link type not supported */
    DECODE_ERR_LINK_SHORT,    /* link header truncated (Ethernet, SLL, NULL) */
    DECODE_ERR_VLAN_SHORT,    /* 802.1Q tag truncated */
    DECODE_ERR_VLAN_DEPTH,    /* more VLAN/MPLS labels than we follow */
    DECODE_ERR_MPLS_SHORT,    /* MPLS label stack truncated */
    DECODE_ERR_MPLS_PAYLOAD,  /* MPLS payload is neither IPv4 nor IPv6 */
    DECODE_ERR_PPPOE_SHORT,   /* PPPoE header truncated or length too long */
    DECODE_ERR_IPV4_SHORT,    /* IPv4 header truncated */
    DECODE_ERR_IPV4_VERSION,  /* version nibble is not 4 */
    DECODE_ERR_IPV4_HLEN,     /* IHL < 5 or beyond total length */
    DECODE_ERR_IPV4_TOTLEN,   /* total length < header or > captured+missing */
    DECODE_ERR_IPV6_SHORT,    /* IPv6 header truncated */
    DECODE_ERR_IPV6_VERSION,  /* version nibble is not 6 */
    DECODE_ERR_IPV6_EXTHDR,   /* extension header truncated or malformed */
    DECODE_ERR_TCP_SHORT,     /* TCP header truncated */
    DECODE_ERR_TCP_HLEN,      /* data offset < 5 or beyond segment */
    DECODE_ERR_UDP_SHORT,     /* UDP header truncated */
    DECODE_ERR_UDP_LEN,       /* UDP length < 8 or beyond the IP payload */
    DECODE_ERR_ICMP_SHORT,    /* ICMP/ICMPv6 header truncated */
    DECODE_ERR_SCTP_SHORT,    /* SCTP common header truncated */
    DECODE_ERR_GRE_SHORT,     /* GRE header truncated */
    DECODE_ERR_GRE_VERSION,   /* GRE version we do not decode */
    DECODE_ERR_ERSPAN_SHORT,  /* ERSPAN header truncated */
    DECODE_ERR_VXLAN_SHORT,   /* VXLAN header truncated */
    DECODE_ERR_GTP_SHORT,     /* GTP-U header truncated or bad extensions */
    DECODE_ERR_TUNNEL_DEPTH,  /* more nested tunnels than DECODE_MAX_TUNNELS */
    DECODE_ERR_IPV6_PLEN,     /* IPv6 payload length > captured+missing */
    DECODE_REASON_COUNT
};

/* Outermost tunnel the inner flow was found in. */
enum decode_tunnel {
    DECODE_TUNNEL_NONE = 0,
    DECODE_TUNNEL_GRE,
    DECODE_TUNNEL_ERSPAN2,
    DECODE_TUNNEL_ERSPAN3,
    DECODE_TUNNEL_VXLAN,
    DECODE_TUNNEL_GTPU,
    DECODE_TUNNEL_IPIP, /* IPv4/IPv6 in IPv4/IPv6 (protocols 4 and 41) */
    DECODE_TUNNEL_COUNT
};

/* An IP address; v4 addresses use the first 4 bytes, the rest is zero. */
struct decode_addr {
    uint8_t family; /* 4, 6, or 0 when unset */
    uint8_t a[16];
};

/* One decoded frame. Pointers refer into the caller's frame buffer. */
struct decoded_pkt {
    /* link layer (Ethernet or cooked) */
    bool has_mac;              /* src_mac valid */
    bool has_dst_mac;          /* dst_mac valid too (Ethernet; not cooked captures) */
    uint8_t src_mac[6];        /* innermost Ethernet source seen */
    uint8_t dst_mac[6];        /* innermost Ethernet destination seen */
    uint16_t ethertype;        /* innermost ethertype after VLAN/MPLS/PPPoE */
    uint8_t vlan_count;        /* number of entries in vlan[] */
    uint16_t vlan[DECODE_MAX_VLAN]; /* 12-bit VLAN ids, outermost first */
    uint8_t mpls_labels;       /* MPLS labels popped */
    bool pppoe;                /* a PPPoE session header was removed */
    const uint8_t *l2_payload; /* frame bytes after link headers (for non-IP) */
    uint32_t l2_payload_len;

    /* tunnel: outermost tunnel and its outer IP endpoints */
    enum decode_tunnel tunnel;
    uint8_t tunnel_depth;       /* tunnels removed */
    struct decode_addr outer_src;
    struct decode_addr outer_dst;
    uint32_t tunnel_id;         /* VXLAN VNI, GTP TEID, ERSPAN session, GRE key */

    /* innermost IP packet */
    uint8_t ip_version;        /* 4 or 6 */
    struct decode_addr src;    /* innermost IP source */
    struct decode_addr dst;    /* innermost IP destination */
    uint8_t proto;             /* transport protocol (after IPv6 ext headers) */
    uint8_t ttl;               /* TTL / hop limit */
    const uint8_t *l3;         /* innermost IP header (what nDPI wants) */
    uint32_t l3_len;           /* captured bytes from l3, capped at IP total length */
    uint32_t ip_len;           /* IP total length as declared (header included) */

    /* fragments (IPv4 and IPv6 fragment header) */
    bool is_fragment;          /* MF set or offset != 0 */
    uint16_t frag_offset;      /* in 8-byte units */
    uint32_t frag_id;          /* IPv4 id or IPv6 fragment identification */

    /* transport: valid when has_l4 */
    bool has_l4;               /* false for non-first fragments or unknown protocols */
    uint16_t src_port;         /* TCP/UDP/SCTP ports */
    uint16_t dst_port;
    uint8_t tcp_flags;         /* FIN=0x01 SYN=0x02 RST=0x04 PSH=0x08 ACK=0x10 URG=0x20 */
    uint32_t tcp_seq;
    uint32_t tcp_ack;
    uint8_t icmp_type;         /* ICMP/ICMPv6 */
    uint8_t icmp_code;
    uint16_t icmp_id;          /* echo identifier, 0 otherwise */
    const uint8_t *payload;    /* transport payload (captured part) */
    uint32_t payload_len;
};

/* Transport protocols whose flows are keyed and reported with ports. */
static inline bool
decode_proto_has_ports(uint8_t proto)
{
    return proto == 6 || proto == 17 || proto == 132; /* TCP, UDP, SCTP */
}

/* ICMP and ICMPv6: keyed by echo id, reported with type and code. */
static inline bool
decode_proto_is_icmp(uint8_t proto)
{
    return proto == 1 || proto == 58;
}

/* Decode one frame of link type dlt.
 * data/caplen: the captured bytes; wirelen: original length on the wire.
 * Returns DECODE_OK, DECODE_NOT_IP, or the first malformation found; out is
 * always fully initialised (zeroed, then filled as far as decoding went). */
enum decode_reason decode_packet(int dlt, const uint8_t *data, uint32_t caplen,
                                 uint32_t wirelen, struct decoded_pkt *out);

/* True when decode_packet() knows link type dlt. */
bool decode_linktype_supported(int dlt);

/* Stable snake_case name of a reason ("ipv4_hlen"), used as a stats key. */
const char *decode_reason_name(enum decode_reason r);

/* Stable name of a tunnel type ("vxlan"), NULL for DECODE_TUNNEL_NONE. */
const char *decode_tunnel_name(enum decode_tunnel t);

/* Format addr into buf (at least 46 bytes); returns buf. */
char *decode_addr_str(const struct decode_addr *addr, char *buf, unsigned buflen);

#endif /* TELEXPOSE_DECODE_H */
