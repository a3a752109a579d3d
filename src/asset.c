/* asset.c - devices: who is who on the segment, and what the evidence says.
 *
 * The evidence stage keys facts by MAC (layer 2) or by address (payload);
 * this file ties addresses to MACs, tells gateways from hosts, merges the
 * subjects of one device and turns their evidence into one verdict
 * (docs/report.md, "Verdicts"; docs/exposure.md, "Gateways").
 */
#include "asset_int.h"

#include <arpa/inet.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "telexpose/out_json.h"
#include "telexpose/prefix.h"
#include "telexpose/xalloc.h"

/* The FCC Covered List vendors among the packs' vendors
 * (https://www.fcc.gov/supplychain/coveredlist): equipment of these is a
 * finding by itself. Affiliates (Honor, H3C) are not on it. */
static const char *const covered_vendors[] = {"Huawei", "ZTE", "Hikvision", "Dahua", "Hytera"};

static const char *const role_names[] = {
    [ASSET_ROLE_UNKNOWN] = "unknown", [ASSET_ROLE_ROUTER] = "router",
    [ASSET_ROLE_SWITCH] = "switch",   [ASSET_ROLE_CPE] = "cpe",
    [ASSET_ROLE_PHONE] = "phone",     [ASSET_ROLE_CAMERA] = "camera",
    [ASSET_ROLE_RADIO] = "radio",     [ASSET_ROLE_SERVER] = "server",
    [ASSET_ROLE_HOST] = "host",
};

const char *
asset_role_name(enum asset_role r)
{
    return (unsigned)r <= ASSET_ROLE_HOST ? role_names[r] : "unknown";
}

bool
asset_vendor_is_covered(const char *vendor)
{
    for (size_t i = 0; vendor != NULL && i < sizeof(covered_vendors) / sizeof(*covered_vendors); i++)
        if (strcmp(vendor, covered_vendors[i]) == 0)
            return true;
    return false;
}

uint64_t
as_ip_key(const struct decode_addr *ip)
{
    return u64map_hash(ip->a, ip->family == 4 ? 4 : 16, ip->family);
}

/* --- local networks ------------------------------------------------------ */

static const struct {
    const char *cidr;
} default_nets[] = {
    {"10.0.0.0/8"}, {"172.16.0.0/12"}, {"192.168.0.0/16"}, {"100.64.0.0/10"},
    {"169.254.0.0/16"}, {"fc00::/7"}, {"fe80::/10"},
};

static int
parse_cidr(const char *s, struct asset_net *n)
{
    char buf[64];
    size_t len = strlen(s);
    if (len == 0 || len >= sizeof(buf))
        return -1;
    memcpy(buf, s, len + 1);
    char *slash = strchr(buf, '/');
    long bits = -1;
    if (slash != NULL) {
        *slash = '\0';
        char *end;
        if (slash[1] == '\0')
            return -1;
        bits = strtol(slash + 1, &end, 10);
        if (*end != '\0' || bits < 0)
            return -1;
    }
    memset(n, 0, sizeof(*n));
    if (inet_pton(AF_INET, buf, n->addr.a) == 1) {
        n->addr.family = 4;
        if (bits > 32)
            return -1;
        n->bits = (uint8_t)(bits < 0 ? 32 : bits);
    } else if (inet_pton(AF_INET6, buf, n->addr.a) == 1) {
        n->addr.family = 6;
        if (bits > 128)
            return -1;
        n->bits = (uint8_t)(bits < 0 ? 128 : bits);
    } else {
        return -1;
    }
    /* Host bits are cleared: 192.168.1.7/24 means the network. */
    size_t nbytes = n->addr.family == 4 ? 4 : 16;
    for (size_t i = 0; i < nbytes; i++) {
        int keep = (int)n->bits - (int)(i * 8);
        uint8_t mask = keep >= 8 ? 0xff : keep <= 0 ? 0 : (uint8_t)(0xff << (8 - keep));
        n->addr.a[i] &= mask;
    }
    return 0;
}

int
asset_parse_home_net(struct asset_config *cfg, const char *spec, char *errbuf, size_t errlen)
{
    cfg->n_home_net = 0;
    const char *p = spec;
    while (*p != '\0') {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char item[80];
        if (len == 0 || len >= sizeof(item)) {
            snprintf(errbuf, errlen, "--home-net: empty or overlong item at \"%.40s\" (give CIDR,CIDR,...)", p);
            return -1;
        }
        memcpy(item, p, len);
        item[len] = '\0';
        if (cfg->n_home_net == ASSET_MAX_HOME_NETS) {
            snprintf(errbuf, errlen, "--home-net: more than %d networks", ASSET_MAX_HOME_NETS);
            return -1;
        }
        if (parse_cidr(item, &cfg->home_net[cfg->n_home_net]) < 0) {
            snprintf(errbuf, errlen,
                     "--home-net: \"%s\" is not an address or CIDR (e.g. 192.168.0.0/16 or 2001:db8::/32)",
                     item);
            return -1;
        }
        cfg->n_home_net++;
        p += len;
        if (*p == ',')
            p++;
    }
    if (cfg->n_home_net == 0) {
        snprintf(errbuf, errlen, "--home-net: no network given (give CIDR,CIDR,...)");
        return -1;
    }
    return 0;
}

static bool
net_contains(const struct asset_net *n, const struct decode_addr *ip)
{
    return n->addr.family == ip->family && prefix_equal(n->addr.a, ip->a, n->bits);
}

static const struct as_bind *
find_bind(const struct asset *a, const struct decode_addr *ip)
{
    const struct u64map_slot *s = u64map_find(&a->binds, as_ip_key(ip));
    if (s == NULL || s->val == NULL)
        return NULL;
    const struct as_bind *b = s->val;
    return b->ip.family == ip->family && memcmp(b->ip.a, ip->a, 16) == 0 ? b : NULL;
}

bool
asset_addr_is_local(const struct asset *a, const struct decode_addr *ip)
{
    if (ip->family != 4 && ip->family != 6)
        return false;
    if (a->cfg.n_home_net > 0) {
        for (size_t i = 0; i < a->cfg.n_home_net; i++)
            if (net_contains(&a->cfg.home_net[i], ip))
                return true;
        return false;
    }
    const uint8_t *b = ip->a;
    if (ip->family == 4) {
        if (b[0] == 10 || (b[0] == 172 && (b[1] & 0xf0) == 16) || (b[0] == 192 && b[1] == 168) ||
            (b[0] == 100 && (b[1] & 0xc0) == 64) || (b[0] == 169 && b[1] == 254))
            return true;
    } else if ((b[0] & 0xfe) == 0xfc || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)) {
        return true;
    }
    /* Seen on the segment itself: ARP, ND, DHCP say so. An EUI-64 interface
     * id names a device, not where it is. */
    const struct as_bind *bd = find_bind(a, ip);
    return bd != NULL && bd->src != ASSET_BIND_TRAFFIC && bd->src != ASSET_BIND_EUI64;
}

size_t
asset_home_net_strings(const struct asset *a, char (*out)[64], size_t max, bool *from_option)
{
    *from_option = a->cfg.n_home_net > 0;
    size_t n = 0;
    if (!*from_option) {
        for (size_t i = 0; i < sizeof(default_nets) / sizeof(*default_nets) && n < max; i++)
            snprintf(out[n++], 64, "%s", default_nets[i].cidr);
        return n;
    }
    for (size_t i = 0; i < a->cfg.n_home_net && n < max; i++) {
        char s[INET6_ADDRSTRLEN];
        const struct asset_net *h = &a->cfg.home_net[i];
        inet_ntop(h->addr.family == 4 ? AF_INET : AF_INET6, h->addr.a, s, sizeof(s));
        snprintf(out[n++], 64, "%s/%u", s, h->bits);
    }
    return n;
}

/* --- model --------------------------------------------------------------- */

struct asset *
asset_new(const struct asset_config *cfg, const struct sig_db *db, struct out *out)
{
    struct asset *a = xcalloc(1, sizeof(*a));
    if (cfg != NULL)
        a->cfg = *cfg;
    a->db = db;
    a->out = out;
    u64map_init(&a->macs, AS_MAX_MACS);
    u64map_init(&a->binds, AS_MAX_BINDS);
    u64map_init(&a->subj_mac, AS_MAX_SUBJECTS);
    u64map_init(&a->subj_ip, AS_MAX_SUBJECTS);
    u64map_init(&a->services, AS_MAX_SERVICES);
    u64map_init(&a->contacts, AS_MAX_CONTACTS);
    u64map_init(&a->strings, 1u << 20);
    u64map_init(&a->dev_by_ip, 1u << 20);
    u64map_init(&a->dev_by_mac, 1u << 20);
    return a;
}

static void
free_vals(struct u64map *m)
{
    for (size_t i = 0; m->slots != NULL && i <= m->mask; i++)
        if (m->slots[i].key != 0)
            free((void *)m->slots[i].val);
    u64map_free(m);
}

static void
subject_free(struct as_subject *s)
{
    free(s->ev);
    for (size_t i = 0; i < s->n_hostnames; i++)
        free(s->hostnames[i]);
    free(s);
}

static void
free_subjects(struct u64map *m)
{
    for (size_t i = 0; m->slots != NULL && i <= m->mask; i++)
        if (m->slots[i].key != 0 && m->slots[i].val != NULL)
            subject_free((struct as_subject *)m->slots[i].val);
    u64map_free(m);
}

void
asset_free(struct asset *a)
{
    if (a == NULL)
        return;
    free_vals(&a->macs);
    free_vals(&a->binds);
    free_subjects(&a->subj_mac);
    free_subjects(&a->subj_ip);
    as_flow_free(a);
    free_vals(&a->strings);
    free(a->dev);
    free(a->evp);
    free(a->svc_by_dev);
    free(a->svc_off);
    u64map_free(&a->dev_by_ip);
    u64map_free(&a->dev_by_mac);
    free(a);
}

const char *
as_intern(struct asset *a, const char *s)
{
    if (s == NULL)
        return NULL;
    size_t len = strlen(s);
    uint64_t k = u64map_hash(s, len, 77);
    struct u64map_slot *slot;
    for (;;) {
        u64map_add(&a->strings, k, &slot);
        if (slot == NULL)
            return "";
        if (slot->val == NULL) {
            char *c = xmalloc(len + 1);
            memcpy(c, s, len + 1);
            slot->val = c;
            return c;
        }
        if (strcmp(slot->val, s) == 0)
            return slot->val;
        k = k * 31 + 1; /* a hash collision: probe the next key */
    }
}

void
asset_count_frame(struct asset *a, bool has_mac)
{
    if (has_mac)
        a->ethernet_frames++;
}

void
asset_count_frames(struct asset *a, uint64_t n)
{
    a->ethernet_frames += n;
}

/* --- MACs, bindings, gateways -------------------------------------------- */

static struct as_mac *
mac_entry(struct asset *a, const uint8_t mac[6], bool create)
{
    struct u64map_slot *slot;
    uint64_t k = u64map_mac_key(mac);
    if (!create) {
        slot = u64map_find(&a->macs, k);
        return slot ? (struct as_mac *)slot->val : NULL;
    }
    u64map_add(&a->macs, k, &slot);
    if (slot == NULL) {
        a->st.macs_dropped++;
        return NULL;
    }
    if (slot->val == NULL) {
        struct as_mac *m = xcalloc(1, sizeof(*m));
        memcpy(m->mac, mac, 6);
        slot->val = m;
        a->st.macs++;
    }
    return (struct as_mac *)slot->val;
}

static bool
bound_strongly_to(const struct asset *a, const struct decode_addr *ip, const uint8_t mac[6])
{
    const struct as_bind *b = find_bind(a, ip);
    return b != NULL && b->src != ASSET_BIND_TRAFFIC && memcmp(b->mac, mac, 6) == 0;
}

static void
put_bind(struct asset *a, const uint8_t mac[6], const struct decode_addr *ip,
         enum asset_bind_source src, uint64_t ts_us)
{
    struct u64map_slot *slot;
    u64map_add(&a->binds, as_ip_key(ip), &slot);
    if (slot == NULL) {
        a->st.bindings_dropped++;
        return;
    }
    struct as_bind *b = (struct as_bind *)slot->val;
    if (b == NULL) {
        b = xcalloc(1, sizeof(*b));
        slot->val = b;
        a->st.bindings++;
    } else if (src == ASSET_BIND_TRAFFIC && b->src != ASSET_BIND_TRAFFIC) {
        return; /* traffic never overrides what ARP, ND or DHCP said */
    } else if (src == ASSET_BIND_TRAFFIC && memcmp(b->mac, mac, 6) != 0) {
        return; /* the first MAC seen sending from an address keeps it */
    }
    b->ip = *ip;
    memcpy(b->mac, mac, 6);
    b->src = (uint8_t)src;
    b->last_us = ts_us;
}

void
asset_bind(struct asset *a, const uint8_t mac[6], const struct decode_addr *ip,
           enum asset_bind_source src, uint64_t ts_us)
{
    if (a == NULL || ip == NULL || (ip->family != 4 && ip->family != 6) || (mac[0] & 1))
        return;
    static const uint8_t zero[16];
    if (memcmp(ip->a, zero, ip->family == 4 ? 4 : 16) == 0)
        return;
    put_bind(a, mac, ip, src, ts_us);
}

const struct as_mac *
as_mac_find(const struct asset *a, const uint8_t mac[6])
{
    return mac_entry((struct asset *)a, mac, false);
}

struct as_mac *
as_note_source(struct asset *a, const uint8_t mac[6], const struct decode_addr *ip,
               uint64_t first_us, uint64_t last_us)
{
    if (mac[0] & 1)
        return NULL;
    uint64_t pk = u64map_mac_key(mac) * 0x9e3779b97f4a7c15ull ^ as_ip_key(ip);
    uint64_t *recent = &a->recent_pair[(pk >> 20) & 1023];
    struct as_mac *m;
    if (*recent == pk) {
        /* Seen just now: only the times move. */
        m = mac_entry(a, mac, false);
        if (m != NULL) {
            if (first_us < m->first_us)
                m->first_us = first_us;
            if (last_us > m->last_us)
                m->last_us = last_us;
        }
        return m;
    }
    *recent = pk;
    m = mac_entry(a, mac, true);
    if (m == NULL)
        return NULL;
    if (m->first_us == 0 || first_us < m->first_us)
        m->first_us = first_us;
    if (last_us > m->last_us)
        m->last_us = last_us;
    uint64_t ts_us = last_us;
    bool local = asset_addr_is_local(a, ip);
    if (ip->family == 4) {
        uint32_t v;
        memcpy(&v, ip->a, 4);
        if (v == 0)
            return m;
        bool have = false;
        for (size_t i = 0; i < m->n_v4; i++)
            have |= m->v4[i] == v;
        if (!have) {
            if (m->n_v4 < AS_MAC_ADDRS)
                m->v4[m->n_v4++] = v;
            else
                m->v4_more = true;
        }
    } else if ((ip->a[0] & 0xe0) == 0x20) {
        uint64_t p;
        memcpy(&p, ip->a, 8);
        bool have = false;
        for (size_t i = 0; i < m->n_v6; i++)
            have |= m->v6[i] == p;
        if (!have) {
            if (m->n_v6 < AS_MAC_ADDRS)
                m->v6[m->n_v6++] = p;
            else
                m->v6_more = true;
        }
    }
    if (!local && !m->nonlocal) {
        m->nonlocal = true;
        m->nonlocal_addr = *ip;
    }
    if (local)
        put_bind(a, mac, ip, ASSET_BIND_TRAFFIC, ts_us);
    return m;
}

/* Why a MAC is a gateway, into why (NULL: not one). */
static bool
mac_is_gateway(const struct asset *a, const struct as_mac *m, char *why, size_t len)
{
    if (m == NULL)
        return false;
    size_t unbound = 0, nonlocal = 0;
    for (size_t i = 0; i < m->n_v4; i++) {
        struct decode_addr ip = {.family = 4};
        memcpy(ip.a, &m->v4[i], 4);
        if (!bound_strongly_to(a, &ip, m->mac)) {
            unbound++;
            nonlocal += !asset_addr_is_local(a, &ip);
        }
    }
    bool nl = m->nonlocal && !bound_strongly_to(a, &m->nonlocal_addr, m->mac) &&
              !asset_addr_is_local(a, &m->nonlocal_addr);
    size_t total = m->n_v4 + m->n_v6;
    if (unbound >= 2 || m->v4_more) {
        if (why && (m->v4_more || m->v6_more))
            snprintf(why, len, "sends from %zu or more addresses%s", total,
                     nonlocal ? ", some not local" : "");
        else if (why)
            snprintf(why, len, "sends from %zu addresses, %zu of them not local", total, nonlocal);
        return true;
    }
    if (nl) {
        char s[INET6_ADDRSTRLEN];
        if (why)
            snprintf(why, len, "sends from %s, outside the local networks",
                     inet_ntop(m->nonlocal_addr.family == 4 ? AF_INET : AF_INET6,
                               m->nonlocal_addr.a, s, sizeof(s)));
        return true;
    }
    if (m->n_v6 >= 2 || m->v6_more) {
        if (why)
            snprintf(why, len, "sends from %u%s global IPv6 /64 prefixes", m->n_v6,
                     m->v6_more ? " or more" : "");
        return true;
    }
    return false;
}

bool
as_mac_is_gateway(const struct asset *a, const uint8_t mac[6], char *why, size_t len)
{
    return mac_is_gateway(a, mac_entry((struct asset *)a, mac, false), why, len);
}

/* The one local IPv4 address a gateway sends from, if exactly one: its own. */
static bool
gateway_own_local(const struct asset *a, const struct as_mac *m, const struct decode_addr *ip)
{
    if (ip->family != 4 || m->v4_more)
        return false;
    size_t n = 0;
    bool match = false;
    for (size_t i = 0; i < m->n_v4; i++) {
        struct decode_addr x = {.family = 4};
        memcpy(x.a, &m->v4[i], 4);
        if (asset_addr_is_local(a, &x)) {
            n++;
            match |= memcmp(x.a, ip->a, 4) == 0;
        }
    }
    return n == 1 && match;
}

bool
asset_ip_owner(const struct asset *a, const struct decode_addr *ip, uint8_t mac[6],
               enum asset_bind_source *src)
{
    const struct as_bind *b = find_bind(a, ip);
    if (b == NULL)
        return false;
    if (b->src == ASSET_BIND_TRAFFIC) {
        const struct as_mac *m = mac_entry((struct asset *)a, b->mac, false);
        if (!asset_addr_is_local(a, ip))
            return false;
        if (mac_is_gateway(a, m, NULL, 0) && !gateway_own_local(a, m, ip))
            return false;
    }
    if (mac != NULL)
        memcpy(mac, b->mac, 6);
    if (src != NULL)
        *src = (enum asset_bind_source)b->src;
    return true;
}

/* --- subjects and evidence ------------------------------------------------ */

struct as_subject *
as_subject_find_mac(const struct asset *a, const uint8_t mac[6])
{
    const struct u64map_slot *s = u64map_find(&a->subj_mac, u64map_mac_key(mac));
    return s ? (struct as_subject *)s->val : NULL;
}

struct as_subject *
as_subject_find_ip(const struct asset *a, const struct decode_addr *ip)
{
    const struct u64map_slot *s = u64map_find(&a->subj_ip, as_ip_key(ip));
    if (s == NULL || s->val == NULL)
        return NULL;
    struct as_subject *x = (struct as_subject *)s->val;
    return x->ip.family == ip->family && memcmp(x->ip.a, ip->a, 16) == 0 ? x : NULL;
}

static struct as_subject *
subject_get(struct asset *a, const struct ev_subject *subj)
{
    bool by_mac = subj->key_is_mac && subj->has_mac;
    if (!by_mac && subj->ip.family == 0)
        return NULL;
    struct u64map *m = by_mac ? &a->subj_mac : &a->subj_ip;
    uint64_t k = by_mac ? u64map_mac_key(subj->mac) : as_ip_key(&subj->ip);
    struct u64map_slot *slot;
    u64map_add(m, k, &slot);
    if (slot == NULL) {
        a->st.subjects_dropped++;
        return NULL;
    }
    struct as_subject *s = (struct as_subject *)slot->val;
    if (s == NULL) {
        s = xcalloc(1, sizeof(*s));
        s->is_mac = by_mac;
        s->ip = subj->ip;
        slot->val = s;
        a->st.subjects++;
    }
    if (subj->has_mac && !s->has_mac) {
        s->has_mac = true;
        memcpy(s->mac, subj->mac, 6);
        s->mac_source = subj->mac_source;
    }
    if (s->ip.family == 0 && subj->ip.family != 0)
        s->ip = subj->ip;
    return s;
}

/* Fields that name a place the subject talks to, not what it is. */
static bool
field_is_contact(enum sig_field f)
{
    return f == SIG_FIELD_DNS_QUERY || f == SIG_FIELD_TLS_SNI || f == SIG_FIELD_HTTP_HOST ||
           f == SIG_FIELD_IP_ASN;
}

void
asset_add_evidence(struct asset *a, const struct ev_subject *subj, const struct sig_hit *h,
                   enum sig_field field, const char *value, uint64_t flow_id, uint64_t ts_us)
{
    (void)flow_id;
    if (a == NULL || field_is_contact(field))
        return;
    struct as_subject *s = subject_get(a, subj);
    if (s == NULL)
        return;
    if (s->first_us == 0 || ts_us < s->first_us)
        s->first_us = ts_us;
    if (ts_us > s->last_us)
        s->last_us = ts_us;
    for (size_t i = 0; i < s->n_ev; i++) {
        struct asset_evidence *e = &s->ev[i];
        if (e->field == field && strcmp(e->rule, h->rule_id) == 0 && strcmp(e->value, value) == 0) {
            e->count++;
            if (ts_us > e->last_us)
                e->last_us = ts_us;
            if (ts_us < e->first_us)
                e->first_us = ts_us;
            return;
        }
    }
    if (s->n_ev == AS_MAX_EVIDENCE) {
        a->st.evidence_dropped++;
        return;
    }
    if (s->n_ev == s->cap_ev) {
        s->cap_ev = s->cap_ev ? s->cap_ev * 2 : 4;
        s->ev = xreallocarray(s->ev, s->cap_ev, sizeof(*s->ev));
    }
    struct asset_evidence *e = &s->ev[s->n_ev++];
    memset(e, 0, sizeof(*e));
    e->rule = as_intern(a, h->rule_id);
    e->pack = as_intern(a, h->pack_id);
    e->vendor = as_intern(a, h->vendor);
    e->counts_as = as_intern(a, h->counts_as);
    e->field = field;
    e->value = as_intern(a, value);
    e->model = h->model[0] ? as_intern(a, h->model) : NULL;
    e->version = h->version[0] ? as_intern(a, h->version) : NULL;
    e->role = h->role != NULL ? as_intern(a, h->role) : NULL;
    e->confidence = h->confidence;
    e->first_us = e->last_us = ts_us;
    e->count = 1;
    as_emit_subject_verdict(a, s, ts_us);
}

void
asset_add_hostname(struct asset *a, const struct ev_subject *subj, const char *name,
                   uint64_t ts_us)
{
    (void)ts_us;
    if (a == NULL || name == NULL || name[0] == '\0')
        return;
    struct as_subject *s = subject_get(a, subj);
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->n_hostnames; i++)
        if (strcmp(s->hostnames[i], name) == 0)
            return;
    if (s->n_hostnames < ASSET_MAX_HOSTNAMES)
        s->hostnames[s->n_hostnames++] = xstrdup(name);
}

void
asset_get_stats(const struct asset *a, struct asset_stats *st)
{
    *st = a->st;
}


