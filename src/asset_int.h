/* asset_int.h - what asset.c (subjects, bindings, verdicts) and
 * asset_flow.c (flows, services, vendor contacts) share. */
#ifndef TELEXPOSE_ASSET_INT_H
#define TELEXPOSE_ASSET_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "telexpose/asset.h"
#include "telexpose/u64map.h"

#define AS_MAX_MACS (1u << 16)     /* MACs tracked for gateway detection */
#define AS_MAX_BINDS (1u << 18)    /* IP -> MAC bindings */
#define AS_MAX_SUBJECTS (1u << 16) /* subjects with evidence or a host name */
#define AS_MAX_EVIDENCE 64         /* (rule, value) entries per subject */
#define AS_MAX_SERVICES (1u << 16)
#define AS_MAX_CONTACTS (1u << 16)
#define AS_MAC_ADDRS 8             /* source addresses remembered per MAC */

/* A MAC seen as the source of frames: which addresses it sent from. */
struct as_mac {
    uint8_t mac[6];
    uint8_t n_v4;                  /* distinct IPv4 sources listed in v4[] */
    uint8_t n_v6;                  /* distinct global /64s listed in v6[] */
    bool v4_more, v6_more;         /* more than fit */
    bool nonlocal;                 /* sent from an address outside the local networks */
    struct decode_addr nonlocal_addr; /* the first such (it may later be bound) */
    uint32_t v4[AS_MAC_ADDRS];
    uint64_t v6[AS_MAC_ADDRS];
    uint64_t first_us, last_us;
    struct asset_traffic traffic;  /* of flows it sent frames in */
};

/* The MAC an address was bound to. */
struct as_bind {
    struct decode_addr ip;
    uint8_t mac[6];
    uint8_t src;                   /* enum asset_bind_source */
    uint64_t last_us;
};

/* Who evidence is about: a MAC or an address, as the evidence stage keyed it. */
struct as_subject {
    bool is_mac;
    bool has_mac;
    uint8_t mac[6];
    uint8_t mac_source;            /* enum ev_mac_source */
    struct decode_addr ip;         /* the address (IP subjects), or one seen with the MAC */
    struct asset_evidence *ev;
    size_t n_ev, cap_ev;
    char *hostnames[ASSET_MAX_HOSTNAMES];
    size_t n_hostnames;
    uint64_t first_us, last_us;
    struct asset_traffic traffic;
    /* Last verdict written as a device event. */
    const char *sent_vendor;
    double sent_conf;
};

struct as_service_entry {
    struct asset_service s;
};

struct as_contact_entry {
    struct asset_vendor_contact c;
};

struct asset {
    struct asset_config cfg;
    const struct sig_db *db;
    struct out *out;
    struct u64map macs;            /* packed MAC -> struct as_mac * */
    struct u64map binds;           /* address hash -> struct as_bind * */
    struct u64map subj_mac;        /* packed MAC -> struct as_subject * */
    struct u64map subj_ip;         /* address hash -> struct as_subject * */
    struct u64map services;        /* (address, proto, port, side) hash -> entry */
    struct u64map contacts;        /* (host, vendor) hash -> entry */
    struct u64map strings;         /* interned strings (hash -> char *) */
    uint64_t recent_pair[1024];    /* (MAC, address) pairs just noted */
    struct asset_stats st;
    uint64_t ethernet_frames;

    /* The last review. */
    struct asset_device *dev;
    size_t n_dev, cap_dev;
    size_t n_reported;
    const struct asset_evidence **evp; /* evidence pointers of every device */
    size_t n_evp, cap_evp;
    struct asset_service *svc_view;
    size_t n_svc_view;
    struct asset_vendor_contact *con_view;
    size_t n_con_view;
    const struct asset_service **svc_by_dev; /* services grouped by device */
    size_t *svc_off;               /* device i's are svc_by_dev[svc_off[i]..svc_off[i+1]) */
    struct u64map dev_by_ip;       /* address hash -> index + 1 into dev */
    struct u64map dev_by_mac;
    struct asset_view view;
};

uint64_t as_ip_key(const struct decode_addr *ip);

/* A copy of s that lives as long as the model (identical strings shared). */
const char *as_intern(struct asset *a, const char *s);

/* Record frames sent by mac from ip between first_us and last_us
 * (asset_flow.c calls it per direction). Returns mac's entry, NULL when
 * the table is full or mac is a group address. */
struct as_mac *as_note_source(struct asset *a, const uint8_t mac[6], const struct decode_addr *ip,
                              uint64_t first_us, uint64_t last_us);

/* mac's entry, or NULL. */
const struct as_mac *as_mac_find(const struct asset *a, const uint8_t mac[6]);

struct as_subject *as_subject_find_mac(const struct asset *a, const uint8_t mac[6]);
struct as_subject *as_subject_find_ip(const struct asset *a, const struct decode_addr *ip);

bool asset_vendor_is_covered(const char *vendor);

/* Gateway test and its reason (asset.c). */
bool as_mac_is_gateway(const struct asset *a, const uint8_t mac[6], char *why, size_t len);

/* The subject's own verdict as a device event, when it changed (asset_review.c). */
void as_emit_subject_verdict(struct asset *a, struct as_subject *s, uint64_t ts_us);

/* Services and contacts as arrays for the review (asset_flow.c). */
void as_flow_collect(struct asset *a);
void as_flow_free(struct asset *a);

#endif /* TELEXPOSE_ASSET_INT_H */
