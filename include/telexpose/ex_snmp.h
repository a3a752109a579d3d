/* ex_snmp.h - SNMP v1/v2c/v3 messages (RFC 3416, RFC 3412, BER per X.690).
 */
#ifndef TELEXPOSE_EX_SNMP_H
#define TELEXPOSE_EX_SNMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "telexpose/obs.h"

struct snmp_info {
    int version;          /* 0 = v1, 1 = v2c, 3 = v3; -1 unknown */
    int pdu_type;         /* context tag number (0 get .. 8 report), -1 unknown */
    bool has_community;   /* v1/v2c community string present (cleartext) */
};

/* Parse one SNMP message (UDP payload). From v1/v2c Response, Trap,
 * SNMPv2-Trap and Inform PDUs it emits the varbinds sysDescr.0
 * (snmp.sysdescr), sysObjectID.0 (snmp.sysobjectid, dotted), sysName.0
 * (snmp.sysname), and for traps the v1 enterprise / snmpTrapOID.0 is not
 * used. From v3 it emits snmp.engine_enterprise (decimal) when the
 * authoritative engine id has the RFC 3411 enterprise format. info may be
 * NULL. Returns observations emitted, or -1 when malformed. */
int snmp_parse(const uint8_t *msg, size_t len, struct snmp_info *info, const struct obs_sink *sink);

#endif /* TELEXPOSE_EX_SNMP_H */
