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
enum asset_via {
    ASSET_VIA_DNS = 1 << 0,     /* a DNS query for a vendor name */
    ASSET_VIA_TLS = 1 << 1,     /* a TLS SNI */
    ASSET_VIA_HTTP = 1 << 2,    /* an HTTP Host */
    ASSET_VIA_NETWORK = 1 << 3, /* an address in a vendor network */
};

struct asset_contact {
    const char *vendor;     /* NULL: the flow reaches no vendor infrastructure */
    uint8_t via;            /* enum asset_via bits */
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
    bool tunneled;          /* the flow is inside a tunnel: its frames' MACs are
                             * the tunnel endpoints', not its addresses' */
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

/* --- the settled picture (asset_review) ----------------------------------- */

#define ASSET_MAX_IPS 16        /* addresses listed per device */
#define ASSET_MAX_HOSTNAMES 4
#define ASSET_MAX_ALTS 4

/* One evidence entry: a (rule, value) about a device. Strings live in the
 * model (or the signature db) until asset_free. */
struct asset_evidence {
    const char *rule, *pack, *vendor, *counts_as;
    enum sig_field field;
    const char *value;
    const char *model, *version; /* NULL when none */
    const char *role;            /* the rule's role (sig_hit.role), NULL when none */
    double confidence;
    uint64_t first_us, last_us, count;
};

enum asset_role {
    ASSET_ROLE_UNKNOWN = 0,
    ASSET_ROLE_ROUTER,
    ASSET_ROLE_SWITCH,
    ASSET_ROLE_CPE,
    ASSET_ROLE_PHONE,
    ASSET_ROLE_CAMERA,
    ASSET_ROLE_RADIO,
    ASSET_ROLE_SERVER,
    ASSET_ROLE_HOST,
};
const char *asset_role_name(enum asset_role r);

struct asset_traffic {
    uint64_t flows, pkts_sent, pkts_recv, bytes_sent, bytes_recv;
};

/* A device with its verdict. */
struct asset_device {
    char id[64];                 /* "mac=..." or "ip=..." */
    const char *vendor;          /* the verdict */
    const char *counts_as;
    bool covered;                /* vendor on the FCC Covered List */
    double confidence;
    bool reported;               /* confidence >= ASSET_MIN_CONFIDENCE */
    bool has_mac;
    uint8_t mac[6];
    enum ev_mac_source mac_source;
    struct decode_addr ips[ASSET_MAX_IPS];
    size_t n_ips;
    const char *model, *version;
    const char *hostnames[ASSET_MAX_HOSTNAMES];
    size_t n_hostnames;
    enum asset_role role;
    char role_reason[96];
    bool gateway;
    uint64_t first_us, last_us;
    struct asset_traffic traffic;
    struct { const char *vendor; double confidence; } alts[ASSET_MAX_ALTS];
    size_t n_alts;
    const struct asset_evidence **evidence; /* most confident first */
    size_t n_evidence;
};

#define ASSET_MIN_CONFIDENCE 0.5

/* A management service a local host offered (or, for TR-069 and SNMP traps,
 * used as a client). */
#define ASSET_MAX_CLIENTS 16
#define ASSET_MAX_FLOW_IDS 8
struct asset_service {
    struct decode_addr ip;       /* the host offering it */
    bool has_mac;
    uint8_t mac[6];
    uint8_t proto;               /* 6 or 17 */
    uint16_t port;
    const char *name;            /* "telnet", "ssh", "http", ... */
    bool host_is_client;         /* TR-069 sessions, SNMP traps: the device called out */
    uint8_t facts;               /* enum extract_fact bits seen on its flows */
    struct decode_addr clients[ASSET_MAX_CLIENTS];
    size_t n_clients;            /* listed */
    uint64_t clients_total;
    struct decode_addr outside[ASSET_MAX_CLIENTS];
    size_t n_outside;
    uint64_t outside_total;
    uint64_t flows, first_us, last_us;
    uint64_t flow_ids[ASSET_MAX_FLOW_IDS];
    size_t n_flow_ids;
};

#define ASSET_MAX_NAMES 8
#define ASSET_MAX_NETS 4
/* A local host's traffic with one vendor's infrastructure. */
struct asset_vendor_contact {
    struct decode_addr host;
    bool has_mac;
    uint8_t mac[6];
    const char *vendor;
    uint8_t via;                 /* enum asset_via bits */
    const char *names[ASSET_MAX_NAMES];
    size_t n_names;
    struct { uint32_t asn; const char *org; const char *category; } nets[ASSET_MAX_NETS];
    size_t n_nets;
    const char *rules[ASSET_MAX_NAMES];
    size_t n_rules;
    const char *pack;
    uint64_t flows, bytes_out, bytes_in, first_us, last_us;
};

/* What the model knows now. Arrays are owned by the model and valid until
 * the next asset_review or asset_free. */
struct asset_view {
    const struct asset_device *devices; /* reported first, then by vendor, id */
    size_t n_devices;                   /* all, reported or not */
    size_t n_reported;
    const struct asset_service *services;
    size_t n_services;
    const struct asset_vendor_contact *contacts;
    size_t n_contacts;
    uint64_t ethernet_frames, local_macs, local_hosts;
};

/* Settle the picture: merge subjects into devices (bindings, gateways,
 * EUI-64), compute verdicts and roles. */
const struct asset_view *asset_review(struct asset *a);

/* A frame with Ethernet addresses was read (coverage). */
void asset_count_frame(struct asset *a, bool has_mac);

/* n more Ethernet frames (a worker's count since the last call). */
void asset_count_frames(struct asset *a, uint64_t n);

/* The device an address or MAC belongs to in the last review, or NULL. */
const struct asset_device *asset_device_of_ip(const struct asset *a, const struct decode_addr *ip);
const struct asset_device *asset_device_of_mac(const struct asset *a, const uint8_t mac[6]);

/* The device that offers (or, host_is_client, uses) service s: the owner
 * of its address, else the MAC it answered from unless that MAC is a
 * gateway. NULL when none. */
const struct asset_device *asset_device_of_service(const struct asset *a,
                                                   const struct asset_service *s);

/* The services of device d (of the last review), into out[0..max); returns
 * how many there are. */
size_t asset_services_of_device(const struct asset *a, const struct asset_device *d,
                                const struct asset_service **out, size_t max);

/* --home-net as given, or the defaults, as CIDR strings into out[] (max
 * entries); returns the count. *from_option says which. */
size_t asset_home_net_strings(const struct asset *a, char (*out)[64], size_t max, bool *from_option);

#endif /* TELEXPOSE_ASSET_H */
