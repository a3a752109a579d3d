/* ex_l2.h - layer-2 discovery frames: LLDP (IEEE 802.1AB-2016) and Huawei's
 * HGMP/NDP cluster frames (EtherType 0x88A7 to 01:80:C2:00:00:0A).
 */
#ifndef TELEXPOSE_EX_L2_H
#define TELEXPOSE_EX_L2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "telexpose/decode.h"
#include "telexpose/obs.h"

#define EX_ETHERTYPE_LLDP 0x88CC
#define EX_ETHERTYPE_HGMP 0x88A7

/* What the caller needs besides the observations. */
struct lldp_info {
    bool has_chassis_mac;        /* chassis id subtype 4 (MAC address) */
    uint8_t chassis_mac[6];
    struct decode_addr mgmt;     /* first IPv4/IPv6 management address; family 0 if none */
};

/* Parse an LLDPDU (the bytes after the EtherType). Emits lldp.chassis_id
 * (a MAC as "aa:bb:cc:dd:ee:ff", a network address as text, otherwise the
 * bytes), lldp.system_name, lldp.system_description, lldp.port_description
 * and lldp.management_address (text form). info may be NULL.
 * Returns the number of observations emitted, or -1 when the PDU is
 * malformed (what was emitted before the fault stands). */
int lldp_parse(const uint8_t *pdu, size_t len, struct lldp_info *info, const struct obs_sink *sink);

/* True when a frame with this EtherType and destination is an HGMP frame.
 * The destination lies in the IEEE-reserved 01-80-C2-00-00-0x block, so both
 * must agree. */
bool hgmp_is_frame(uint16_t ethertype, const uint8_t dst_mac[6]);

/* Emit eth.protocol "hgmp" for an HGMP frame payload; returns 1, or -1 when
 * it is too short to be one. */
int hgmp_parse(const uint8_t *payload, size_t len, const struct obs_sink *sink);

#endif /* TELEXPOSE_EX_L2_H */
