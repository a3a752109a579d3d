/* evidence.c - the match stage: observations -> signature hits -> evidence.
 *
 * Deduplication is per (device key, rule, value): a device seen in a
 * million flows yields one event per distinct fact, not a million. The
 * per-run sets are bounded (u64map); past the bound an event may repeat,
 * which is better than losing one.
 */
#include "telexpose/evidence.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "telexpose/asset.h"
#include "telexpose/obs.h"
#include "telexpose/out_json.h"
#include "telexpose/text.h"
#include "telexpose/u64map.h"
#include "telexpose/xalloc.h"

#define EV_MAX_HITS 16
#define EV_MAX_SEEN (1u << 19)     /* (device, rule, value) triples remembered */
#define EV_MAX_ENDPOINTS (1u << 18) /* MACs / IPs with a vendor remembered */
#define EV_MISS_SLOTS (1u << 12)    /* direct-mapped cache of values that match nothing */
#define EV_RECENT_SLOTS (1u << 12)  /* direct-mapped cache of facts already written */
#define EV_CONTACT_SLOTS (1u << 12) /* flows whose name matched, by flow id */

/* Best evidence about one address so far. */
struct ev_vendor {
    const char *vendor;  /* lives in the db */
    double confidence;
};

struct ev_contact_slot {
    uint64_t flow_id;
    struct evidence_contact c;
};

struct evidence_store {
    const struct sig_db *db;
    struct out *out;
    struct asset *asset;     /* not owned; NULL: none */
    struct ev_contact_slot *contact; /* EV_CONTACT_SLOTS, allocated on first use */
    struct u64map seen;      /* hash of (device, rule, value) */
    struct u64map by_mac;    /* packed MAC -> struct ev_vendor * */
    struct u64map by_ip;     /* hash of the address -> struct ev_vendor * */
    uint64_t events;
    /* Most values (host names, user agents) repeat and match no rule: the
     * db is immutable, so "no hit" can be remembered and sig_match skipped. */
    uint64_t miss[EV_MISS_SLOTS];
    /* Direct-mapped front of seen: a device repeats the same fact in flow
     * after flow, and the big set's probe is a cache miss. */
    uint64_t recent[EV_RECENT_SLOTS];
};

static const char *const mac_source_names[EV_MAC_SOURCE_COUNT] = {
    NULL, "ethernet", "dhcp", "lldp", "eui64",
};

const char *
ev_mac_source_name(enum ev_mac_source m)
{
    return (unsigned)m < EV_MAC_SOURCE_COUNT ? mac_source_names[m] : NULL;
}

struct evidence_store *
evidence_new(const struct sig_db *db, struct out *out)
{
    struct evidence_store *s = xcalloc(1, sizeof(*s));
    s->db = db;
    s->out = out;
    u64map_init(&s->seen, EV_MAX_SEEN);
    u64map_init(&s->by_mac, EV_MAX_ENDPOINTS);
    u64map_init(&s->by_ip, EV_MAX_ENDPOINTS);
    return s;
}

static void
free_vals(struct u64map *m)
{
    for (size_t i = 0; m->slots != NULL && i <= m->mask; i++)
        free((void *)m->slots[i].val);
    u64map_free(m);
}

void
evidence_set_asset(struct evidence_store *s, struct asset *a)
{
    s->asset = a;
}

static bool
field_is_contact(enum sig_field f)
{
    return f == SIG_FIELD_DNS_QUERY || f == SIG_FIELD_TLS_SNI || f == SIG_FIELD_HTTP_HOST;
}

static bool
field_is_hostname(enum sig_field f)
{
    return f == SIG_FIELD_DHCP_HOSTNAME || f == SIG_FIELD_SNMP_SYSNAME ||
           f == SIG_FIELD_LLDP_SYSTEM_NAME;
}

static void
note_contact(struct evidence_store *s, uint64_t flow_id, enum sig_field field, const char *name,
             const struct sig_hit *h)
{
    if (flow_id == 0)
        return;
    if (s->contact == NULL)
        s->contact = xcalloc(EV_CONTACT_SLOTS, sizeof(*s->contact));
    struct ev_contact_slot *slot = &s->contact[flow_id & (EV_CONTACT_SLOTS - 1)];
    if (slot->flow_id == flow_id && slot->c.vendor != NULL)
        return; /* the first (most confident) hit of the flow stays */
    slot->flow_id = flow_id;
    slot->c.vendor = h->vendor;
    slot->c.rule = h->rule_id;
    slot->c.pack = h->pack_id;
    slot->c.field = field;
    snprintf(slot->c.name, sizeof(slot->c.name), "%s", name);
}

bool
evidence_flow_contact(const struct evidence_store *s, uint64_t flow_id,
                      struct evidence_contact *out)
{
    if (s == NULL || s->contact == NULL || flow_id == 0)
        return false;
    const struct ev_contact_slot *slot = &s->contact[flow_id & (EV_CONTACT_SLOTS - 1)];
    if (slot->flow_id != flow_id || slot->c.vendor == NULL)
        return false;
    *out = slot->c;
    return true;
}

void
evidence_free(struct evidence_store *s)
{
    if (s == NULL)
        return;
    free(s->contact);
    u64map_free(&s->seen);
    free_vals(&s->by_mac);
    free_vals(&s->by_ip);
    free(s);
}

static uint64_t
ip_key(const struct decode_addr *ip)
{
    return u64map_hash(ip->a, ip->family == 4 ? 4 : 16, ip->family);
}

char *
evidence_device_key(const struct ev_subject *subj, char *buf, size_t len)
{
    if (subj->key_is_mac && subj->has_mac) {
        const uint8_t *m = subj->mac;
        snprintf(buf, len, "mac=%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4],
                 m[5]);
    } else if (subj->ip.family != 0) {
        char a[64];
        snprintf(buf, len, "ip=%s", decode_addr_str(&subj->ip, a, sizeof(a)));
    } else {
        snprintf(buf, len, "unknown");
    }
    return buf;
}

/* Remember the most confident vendor seen for an address. */
static void
note_vendor(struct u64map *m, uint64_t key, const struct sig_hit *h)
{
    struct u64map_slot *slot;
    u64map_add(m, key, &slot);
    if (slot == NULL)
        return;
    struct ev_vendor *v = (struct ev_vendor *)slot->val;
    if (v == NULL) {
        v = xcalloc(1, sizeof(*v));
        slot->val = v;
    } else if (v->confidence >= h->confidence) {
        return;
    }
    v->vendor = h->vendor;
    v->confidence = h->confidence;
}

size_t
evidence_observe(struct evidence_store *s, const struct ev_subject *subj, enum sig_field field,
                 const char *value, size_t len, uint64_t flow_id, uint64_t ts_us)
{
    if (s == NULL || s->db == NULL || value == NULL || len == 0)
        return 0;
    /* A NUL inside a value ends it, as in the C strings rules see. */
    const char *nul = memchr(value, '\0', len);
    if (nul != NULL)
        len = (size_t)(nul - value);
    if (len > OBS_VALUE_MAX)
        len = OBS_VALUE_MAX;
    if (len == 0)
        return 0;
    if (s->asset != NULL && field_is_hostname(field)) {
        char name[OBS_VALUE_MAX + 1];
        memcpy(name, value, len);
        name[len] = '\0';
        char *utf = text_utf8_dup(name);
        asset_add_hostname(s->asset, subj, utf, ts_us);
        free(utf);
    }
    uint64_t vh = u64map_hash(value, len, (uint64_t)field + 1) | 1; /* 0 = empty slot */
    uint64_t *miss = &s->miss[vh & (EV_MISS_SLOTS - 1)];
    if (*miss == vh)
        return 0;
    char raw[OBS_VALUE_MAX + 1];
    memcpy(raw, value, len);
    raw[len] = '\0';
    /* Rules see the bytes as sent; the event carries them as valid UTF-8. */
    struct sig_hit hits[EV_MAX_HITS];
    size_t n = sig_match(s->db, field, raw, hits, EV_MAX_HITS);
    if (n == 0) {
        *miss = vh;
        return 0;
    }
    if (n > EV_MAX_HITS)
        n = EV_MAX_HITS;

    char device[96];
    evidence_device_key(subj, device, sizeof(device));
    size_t dlen = strlen(device);
    /* Hits are rare: the repaired copy is made whether or not it is written. */
    char *text = text_utf8_dup(raw);
    size_t written = 0;
    if (field_is_contact(field))
        note_contact(s, flow_id, field, text, &hits[0]);
    if (s->asset != NULL) {
        /* Every observation counts there (counts, last seen), not only new ones. */
        for (size_t i = 0; i < n; i++)
            asset_add_evidence(s->asset, subj, &hits[i], field, text, flow_id, ts_us);
    }
    for (size_t i = 0; i < n; i++) {
        const struct sig_hit *h = &hits[i];
        uint64_t k = u64map_hash(device, dlen, 1);
        k ^= u64map_hash(h->rule_id, strlen(h->rule_id), k);
        k ^= u64map_hash(raw, len, k + 2);
        k |= 1; /* 0 marks an empty recent[] slot */
        uint64_t *recent = &s->recent[k & (EV_RECENT_SLOTS - 1)];
        if (*recent == k)
            continue;
        *recent = k;
        if (!u64map_add(&s->seen, k, NULL))
            continue;
        /* A name a host looked up says where it goes, not what it is: the
         * flow records do not call it a vendor's (docs/report.md). */
        if (subj->has_mac && subj->key_is_mac && !field_is_contact(field))
            note_vendor(&s->by_mac, u64map_mac_key(subj->mac), h);
        if (subj->ip.family != 0 && !subj->key_is_mac && !field_is_contact(field))
            note_vendor(&s->by_ip, ip_key(&subj->ip), h);
        s->events++;
        written++;
        if (s->out == NULL)
            continue;
        struct out_evidence e;
        memset(&e, 0, sizeof(e));
        e.ts_us = ts_us;
        e.flow_id = flow_id;
        e.device = device;
        e.has_mac = subj->has_mac;
        memcpy(e.mac, subj->mac, 6);
        e.mac_source = ev_mac_source_name((enum ev_mac_source)subj->mac_source);
        e.ip = subj->ip;
        e.vendor = h->vendor;
        e.counts_as = h->counts_as;
        e.pack = h->pack_id;
        e.rule = h->rule_id;
        e.field = sig_field_name(field);
        e.value = text;
        e.confidence = h->confidence;
        e.model = h->model;
        e.version = h->version;
        out_evidence(s->out, &e);
    }
    free(text);
    return written;
}

const char *
evidence_vendor_of_mac(const struct evidence_store *s, const uint8_t mac[6])
{
    const struct u64map_slot *slot = u64map_find(&s->by_mac, u64map_mac_key(mac));
    return slot && slot->val ? ((const struct ev_vendor *)slot->val)->vendor : NULL;
}

const char *
evidence_vendor_of_ip(const struct evidence_store *s, const struct decode_addr *ip)
{
    const struct u64map_slot *slot = u64map_find(&s->by_ip, ip_key(ip));
    return slot && slot->val ? ((const struct ev_vendor *)slot->val)->vendor : NULL;
}

uint64_t
evidence_count(const struct evidence_store *s)
{
    return s->events;
}
