/* ex_dhcp.h - DHCPv4 (RFC 2131/2132) and DHCPv6 (RFC 8415) client identity.
 */
#ifndef TELEXPOSE_EX_DHCP_H
#define TELEXPOSE_EX_DHCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "telexpose/obs.h"

struct dhcp4_info {
    uint8_t op;               /* 1 BOOTREQUEST, 2 BOOTREPLY */
    uint8_t msg_type;         /* option 53, 0 when absent */
    bool has_chaddr;          /* htype 1, hlen 6 */
    uint8_t chaddr[6];
    uint8_t yiaddr[4];        /* "your" address: the lease an OFFER or ACK hands out */
    uint8_t ciaddr[4];
    uint8_t giaddr[4];        /* relay agent, zero when the message was not relayed */
    uint8_t requested[4];     /* option 50, zero when absent */
    uint8_t server_id[4];     /* option 54 (the server's address), zero when absent */
};

/* Parse a DHCPv4 message (the UDP payload). Emits, from client messages
 * (op 1) only: dhcp.vendor_class (60), dhcp.hostname (12), dhcp.param_list
 * (55, as "1,3,6,15"), dhcp.client_id (61: "01:aa:bb:.." hex), dhcp.vendor_info
 * (43, only when printable). info may be NULL; it is filled from every
 * message, server replies included: the header once it and the magic cookie
 * are good, the options up to a framing fault. Returns observations
 * emitted, or -1 when the message is malformed (not DHCP: bad magic). */
int dhcp4_parse(const uint8_t *msg, size_t len, struct dhcp4_info *info, const struct obs_sink *sink);

struct dhcp6_info {
    uint8_t msg_type;
    bool has_duid_mac;        /* client DUID-LLT/DUID-LL with hardware type 1 */
    uint8_t duid_mac[6];
};

/* Parse a DHCPv6 client/server message (UDP payload; relay messages are
 * unwrapped). Emits dhcpv6.enterprise (decimal) and dhcpv6.vendor_class
 * from option 16, dhcpv6.enterprise from option 17. info may be NULL.
 * Returns observations emitted, or -1 when malformed. */
int dhcp6_parse(const uint8_t *msg, size_t len, struct dhcp6_info *info, const struct obs_sink *sink);

#endif /* TELEXPOSE_EX_DHCP_H */
