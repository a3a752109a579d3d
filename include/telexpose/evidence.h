/* evidence.h - signature hits on observations, tied to a device.
 *
 * The match stage: each observation (a field value about a subject) is
 * matched against the signature db; every hit becomes one evidence event,
 * once per (device, rule, value) per run. The store also remembers which
 * MACs and IPs have evidence so flow records can name their endpoints'
 * vendor. Not thread-safe: one store per pipeline.
 */
#ifndef TELEXPOSE_EVIDENCE_H
#define TELEXPOSE_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "telexpose/decode.h"
#include "telexpose/sig.h"

struct out;
struct flow;

/* How the subject's MAC is known. */
enum ev_mac_source {
    EV_MAC_NONE = 0,
    EV_MAC_ETHERNET, /* Ethernet source/destination address of a frame */
    EV_MAC_DHCP,     /* DHCP chaddr / DHCPv6 DUID */
    EV_MAC_LLDP,     /* LLDP chassis id */
    EV_MAC_EUI64,    /* recovered from an IPv6 interface id */
    EV_MAC_SOURCE_COUNT
};

/* Who an observation is about. The device key is the MAC when key_is_mac,
 * else the IP: layer-2 facts (OUI, LLDP, DHCP client) are about the MAC;
 * facts read from IP payloads are about the IP, since the frame's MAC may
 * be a router's. */
struct ev_subject {
    bool key_is_mac;
    bool has_mac;
    uint8_t mac[6];
    uint8_t mac_source;      /* enum ev_mac_source */
    struct decode_addr ip;   /* family 0 when unknown */
};

struct evidence_store;

/* db (not owned) must outlive the store; events go to out (not owned;
 * NULL: count only, as the unit tests and fuzzers do). */
struct evidence_store *evidence_new(const struct sig_db *db, struct out *out);
void evidence_free(struct evidence_store *s);

/* Match field=value[0..len) (raw bytes; cut at OBS_VALUE_MAX and repaired
 * to UTF-8 here) about subj, seen at ts_us in flow_id (0: none). Returns the
 * number of new evidence events written. */
size_t evidence_observe(struct evidence_store *s, const struct ev_subject *subj,
                        enum sig_field field, const char *value, size_t len, uint64_t flow_id,
                        uint64_t ts_us);

struct asset;

/* Hand every hit (repeats too) and every host name to a (not owned; NULL:
 * none), which builds devices from them. */
void evidence_set_asset(struct evidence_store *s, struct asset *a);

/* What a flow's name (DNS query, TLS SNI, HTTP Host) said about the vendor
 * infrastructure it reaches, when a rule matched it: remembered per flow
 * from the match until the flow's record (a small cache: a flow whose
 * entry was overwritten by 4096 later ones reads as no contact). */
struct evidence_contact {
    const char *vendor;     /* NULL: none; strings live in the db */
    const char *rule;
    const char *pack;
    enum sig_field field;
    char name[128];
};
bool evidence_flow_contact(const struct evidence_store *s, uint64_t flow_id,
                           struct evidence_contact *out);

/* Vendor with the most confident evidence about mac / ip, NULL when none.
 * The string lives in the db. */
const char *evidence_vendor_of_mac(const struct evidence_store *s, const uint8_t mac[6]);
const char *evidence_vendor_of_ip(const struct evidence_store *s, const struct decode_addr *ip);

/* Evidence events written so far. */
uint64_t evidence_count(const struct evidence_store *s);

/* "mac=aa:bb:cc:dd:ee:ff" or "ip=10.0.0.1" into buf (>= 64 bytes). */
char *evidence_device_key(const struct ev_subject *subj, char *buf, size_t len);

const char *ev_mac_source_name(enum ev_mac_source m);

#endif /* TELEXPOSE_EVIDENCE_H */
