/* asset.h - the asset model: devices, their verdicts, and who talks to whom.
 *
 * Fed by three stages: the extract stage binds IP addresses to MACs (ARP,
 * neighbour discovery, DHCP), the evidence stage adds signature hits, and
 * the pipeline hands over every flow record. From these the model keys
 * devices (by MAC on the local segment, by IP otherwise), tells gateways
 * from hosts, combines evidence into one verdict per device
 * (docs/report.md, "Verdicts") and keeps what exposure.c needs: services
 * offered by local hosts and contacts with vendor infrastructure.
 *
 * Every per-run set is bounded; what did not fit is counted (asset_stats).
 * Not thread-safe: one model per pipeline.
 */
#ifndef TELEXPOSE_ASSET_H
#define TELEXPOSE_ASSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "telexpose/decode.h"
#include "telexpose/evidence.h"
#include "telexpose/sig.h"

struct out;
struct flow;
struct flow_meta;
struct asset;

/* How an IP address was tied to a MAC. Strong sources (everything but
 * traffic) name the owner for certain; traffic only when the MAC is no
 * gateway. */
enum asset_bind_source {
    ASSET_BIND_TRAFFIC = 0, /* source address of frames sent by the MAC */
    ASSET_BIND_ARP,         /* ARP sender (RFC 826) */
    ASSET_BIND_ND,          /* IPv6 neighbour discovery link-layer option (RFC 4861) */
    ASSET_BIND_DHCP,        /* DHCP lease: chaddr + yiaddr of an ACK, or requested/ciaddr */
    ASSET_BIND_EUI64,       /* MAC recovered from the address's interface id */
    ASSET_BIND_SOURCE_COUNT
};

/* One local network, address and prefix length (CIDR). */
struct asset_net {
    struct decode_addr addr;
    uint8_t bits;
};

#define ASSET_MAX_HOME_NETS 64

/* What a flow's endpoint is to vendor infrastructure, found by the pipeline
 * (vendor domains named by the flow, vendor networks by address). */
struct asset_contact {
    const char *vendor;     /* NULL: the flow reaches no vendor infrastructure */
    const char *via;        /* "dns", "tls", "http" (a name) or "network" (an address) */
    const char *name;       /* the matched name, or NULL */
    const char *rule;       /* rule id behind the name, or NULL */
    uint32_t asn;           /* network: its ASN, 0 when unknown */
    const char *org;        /* network: AS organisation, or NULL */
    const char *category;   /* network: vendor-cloud, vendor-corporate,
                             * covered-carrier, carrier-backbone...; or NULL */
    const char *pack;       /* the signature or network pack */
};

/* Flow facts the extract stage found (struct flow.ex_facts, extract.h). */
struct asset_flow_facts {
    uint8_t ex_facts;       /* enum extract_fact bits */
    const char *service;    /* nDPI application name, or NULL */
};

struct asset_config {
    struct asset_net home_net[ASSET_MAX_HOME_NETS]; /* --home-net; n_home_net 0: default */
    size_t n_home_net;
};

/* db (not owned; NULL for none) gives pack metadata; events go to out (not
 * owned; NULL: no events). Returns NULL only on bad configuration. */
struct asset *asset_new(const struct asset_config *cfg, const struct sig_db *db, struct out *out);
void asset_free(struct asset *a);

/* Parse "CIDR[,CIDR...]" (IPv4 or IPv6, a bare address is /32 or /128)
 * into cfg. Returns 0, or -1 with errbuf naming the bad item. */
int asset_parse_home_net(struct asset_config *cfg, const char *spec, char *errbuf, size_t errlen);

/* ip is on the segment and belongs to mac (ARP, ND, DHCP, EUI-64). */
void asset_bind(struct asset *a, const uint8_t mac[6], const struct decode_addr *ip,
                enum asset_bind_source src, uint64_t ts_us);

/* One signature hit about subj (every time it is observed, not only the
 * first: counts and last-seen times come from here). value is valid UTF-8.
 * May write a device event. */
void asset_add_evidence(struct asset *a, const struct ev_subject *subj, const struct sig_hit *h,
                        enum sig_field field, const char *value, uint64_t flow_id,
                        uint64_t ts_us);

/* A name the subject goes by (DHCP host name, SNMP sysName, LLDP system
 * name), whether or not any rule matched it. */
void asset_add_hostname(struct asset *a, const struct ev_subject *subj, const char *name,
                        uint64_t ts_us);

/* A flow record (final or periodic): its endpoints' MACs and addresses, its
 * counters, the service its responder offers, and, per endpoint
 * (0 initiator, 1 responder), the vendor infrastructure the other side is. */
void asset_add_flow(struct asset *a, const struct flow *f, const struct asset_flow_facts *facts,
                    const struct asset_contact contact[2]);

/* The MAC ip is bound to, and how; false when none (or its MAC is a
 * gateway that merely forwards it). */
bool asset_ip_owner(const struct asset *a, const struct decode_addr *ip, uint8_t mac[6],
                    enum asset_bind_source *src);

/* True when addr is local: inside --home-net, or by default in the
 * private/shared/link-local ranges or seen on the segment (ARP, ND, DHCP). */
bool asset_addr_is_local(const struct asset *a, const struct decode_addr *addr);

/* Bounds hit and sizes, for the stats event and the report. */
struct asset_stats {
    uint64_t macs;              /* MACs tracked */
    uint64_t macs_dropped;      /* MACs not tracked: table full */
    uint64_t bindings;          /* IP -> MAC bindings held */
    uint64_t bindings_dropped;
    uint64_t subjects;          /* subjects with evidence */
    uint64_t subjects_dropped;
    uint64_t services_dropped;
    uint64_t contacts_dropped;
    uint64_t evidence_dropped;  /* evidence entries over a device's limit */
};
void asset_get_stats(const struct asset *a, struct asset_stats *st);

#endif /* TELEXPOSE_ASSET_H */
