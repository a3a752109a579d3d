/* asset_review.c - from subjects to devices: merging, verdicts, roles.
 *
 * The formula is documented in docs/report.md ("Verdicts"): evidence is
 * grouped by the source that produced it, the best hit of each source is
 * one witness, independent witnesses combine as 1 - prod(1 - c), and a
 * contradicting vendor lowers the winner's confidence.
 */
#include "asset_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "telexpose/out_json.h"
#include "telexpose/xalloc.h"

enum as_group {
    G_MAC = 0, G_LLDP, G_L2, G_DHCP, G_SNMP, G_HTTP_SERVER, G_HTTP_CLIENT, G_CWMP,
    G_UPNP, G_BANNER, G_SIP, G_TLS, G_COUNT
};

static enum as_group
field_group(enum sig_field f)
{
    switch (f) {
    case SIG_FIELD_MAC_ORG:
        return G_MAC;
    case SIG_FIELD_LLDP_CHASSIS_ID: case SIG_FIELD_LLDP_SYSTEM_NAME:
    case SIG_FIELD_LLDP_SYSTEM_DESCRIPTION: case SIG_FIELD_LLDP_PORT_DESCRIPTION:
    case SIG_FIELD_LLDP_MANAGEMENT_ADDRESS:
        return G_LLDP;
    case SIG_FIELD_ETH_PROTOCOL:
        return G_L2;
    case SIG_FIELD_DHCP_VENDOR_CLASS: case SIG_FIELD_DHCP_HOSTNAME: case SIG_FIELD_DHCP_PARAM_LIST:
    case SIG_FIELD_DHCP_CLIENT_ID: case SIG_FIELD_DHCPV6_ENTERPRISE: case SIG_FIELD_DHCP_VENDOR_INFO:
    case SIG_FIELD_DHCPV6_VENDOR_CLASS:
        return G_DHCP;
    case SIG_FIELD_SNMP_SYSDESCR: case SIG_FIELD_SNMP_SYSOBJECTID: case SIG_FIELD_SNMP_SYSNAME:
    case SIG_FIELD_SNMP_ENGINE_ENTERPRISE:
        return G_SNMP;
    case SIG_FIELD_HTTP_SERVER: case SIG_FIELD_HTTP_WWW_AUTHENTICATE: case SIG_FIELD_HTTP_TITLE:
        return G_HTTP_SERVER;
    case SIG_FIELD_HTTP_USER_AGENT:
        return G_HTTP_CLIENT;
    case SIG_FIELD_CWMP_MANUFACTURER: case SIG_FIELD_CWMP_OUI: case SIG_FIELD_CWMP_PRODUCT_CLASS:
    case SIG_FIELD_CWMP_SERIAL_NUMBER: case SIG_FIELD_CWMP_SOFTWARE_VERSION:
    case SIG_FIELD_CWMP_HARDWARE_VERSION:
        return G_CWMP;
    case SIG_FIELD_SSDP_SERVER: case SIG_FIELD_SSDP_USN: case SIG_FIELD_UPNP_MANUFACTURER:
    case SIG_FIELD_UPNP_MODEL_NAME: case SIG_FIELD_UPNP_MODEL_NUMBER:
    case SIG_FIELD_UPNP_MODEL_DESCRIPTION: case SIG_FIELD_UPNP_MANUFACTURER_URL:
        return G_UPNP;
    case SIG_FIELD_SSH_BANNER: case SIG_FIELD_TELNET_BANNER: case SIG_FIELD_FTP_BANNER:
        return G_BANNER;
    case SIG_FIELD_SIP_USER_AGENT: case SIG_FIELD_SIP_SERVER:
        return G_SIP;
    default:
        return G_TLS;
    }
}

#define AS_MAX_VENDORS 8

struct vscore {
    const char *vendor;
    double best[G_COUNT];
    double score;
};

static int
cmp_evidence(const void *x, const void *y)
{
    const struct asset_evidence *a = *(const struct asset_evidence *const *)x;
    const struct asset_evidence *b = *(const struct asset_evidence *const *)y;
    if (a->confidence != b->confidence)
        return a->confidence > b->confidence ? -1 : 1;
    int c = strcmp(a->rule, b->rule);
    return c != 0 ? c : strcmp(a->value, b->value);
}

static int
cmp_vscore(const void *x, const void *y)
{
    const struct vscore *a = x, *b = y;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    return strcmp(a->vendor, b->vendor);
}

/* Verdict of d from its evidence (d->evidence sorted here). */
static void
verdict(struct asset_device *d)
{
    struct vscore v[AS_MAX_VENDORS];
    size_t nv = 0;
    memset(v, 0, sizeof(v));
    qsort((void *)d->evidence, d->n_evidence, sizeof(*d->evidence), cmp_evidence);
    for (size_t i = 0; i < d->n_evidence; i++) {
        const struct asset_evidence *e = d->evidence[i];
        size_t k = 0;
        while (k < nv && strcmp(v[k].vendor, e->vendor) != 0)
            k++;
        if (k == nv) {
            if (nv == AS_MAX_VENDORS)
                continue;
            v[nv++].vendor = e->vendor;
        }
        enum as_group g = field_group(e->field);
        if (e->confidence > v[k].best[g])
            v[k].best[g] = e->confidence;
    }
    for (size_t k = 0; k < nv; k++) {
        double miss = 1.0;
        for (int g = 0; g < G_COUNT; g++)
            miss *= 1.0 - v[k].best[g];
        v[k].score = 1.0 - miss;
    }
    qsort(v, nv, sizeof(*v), cmp_vscore);
    d->vendor = nv ? v[0].vendor : NULL;
    double conf = nv ? v[0].score : 0;
    if (nv > 1)
        conf *= 1.0 - v[1].score / 2;
    /* Passive evidence can be forged: never certain. Rounded so the same
     * evidence prints the same number on every run. */
    if (conf > 0.999)
        conf = 0.999;
    d->confidence = (double)(long)(conf * 1000 + 0.5) / 1000;
    d->reported = d->vendor != NULL && d->confidence >= ASSET_MIN_CONFIDENCE;
    d->n_alts = 0;
    for (size_t k = 1; k < nv && d->n_alts < ASSET_MAX_ALTS; k++) {
        d->alts[d->n_alts].vendor = v[k].vendor;
        d->alts[d->n_alts].confidence = (double)(long)(v[k].score * 1000 + 0.5) / 1000;
        d->n_alts++;
    }
    d->model = d->version = d->counts_as = NULL;
    for (size_t i = 0; i < d->n_evidence && d->vendor; i++) {
        const struct asset_evidence *e = d->evidence[i];
        if (strcmp(e->vendor, d->vendor) != 0)
            continue;
        if (d->model == NULL && e->model != NULL)
            d->model = e->model;
        if (d->version == NULL && e->version != NULL)
            d->version = e->version;
        if (d->counts_as == NULL && e->counts_as != NULL && e->counts_as[0] != '\0')
            d->counts_as = e->counts_as;
    }
    d->covered = asset_vendor_is_covered(d->vendor) || asset_vendor_is_covered(d->counts_as);
}

static bool
has_group(const struct asset_device *d, enum as_group g)
{
    for (size_t i = 0; i < d->n_evidence; i++)
        if (strcmp(d->evidence[i]->vendor, d->vendor) == 0 && field_group(d->evidence[i]->field) == g)
            return true;
    return false;
}

static enum asset_role
role_from_name(const char *name)
{
    for (int r = ASSET_ROLE_ROUTER; r <= ASSET_ROLE_HOST; r++)
        if (strcmp(name, asset_role_name((enum asset_role)r)) == 0)
            return (enum asset_role)r;
    return ASSET_ROLE_UNKNOWN;
}

/* A guess, said as one: the reason names what it rests on. */
static void
guess_role(struct asset_device *d, const char *gw_why)
{
    static const struct {
        enum as_group g;
        enum asset_role role;
        const char *why;
    } by_group[] = {
        {G_CWMP, ASSET_ROLE_CPE, "speaks TR-069 (CWMP) to an ACS"},
        {G_UPNP, ASSET_ROLE_CPE, "announces itself as a UPnP device"},
        {G_LLDP, ASSET_ROLE_SWITCH, "sends LLDP like network equipment"},
        {G_L2, ASSET_ROLE_SWITCH, "sends vendor layer-2 management frames"},
        {G_SNMP, ASSET_ROLE_SWITCH, "answers SNMP with a network OS description"},
        {G_BANNER, ASSET_ROLE_SWITCH, "offers a network OS login banner"},
        {G_SIP, ASSET_ROLE_PHONE, "speaks SIP"},
        {G_HTTP_CLIENT, ASSET_ROLE_PHONE, "browses with a handset User-Agent"},
        {G_DHCP, ASSET_ROLE_HOST, "asks DHCP for an address"},
        {G_TLS, ASSET_ROLE_SERVER, "serves TLS with a vendor certificate"},
        {G_HTTP_SERVER, ASSET_ROLE_SERVER, "serves a vendor web interface"},
    };
    /* What a rule says the device is beats what behaviour suggests. */
    const struct asset_evidence *said = NULL;
    for (size_t i = 0; i < d->n_evidence && d->vendor != NULL && said == NULL; i++)
        if (d->evidence[i]->role != NULL && strcmp(d->evidence[i]->vendor, d->vendor) == 0)
            said = d->evidence[i];
    enum asset_role by_rule = said ? role_from_name(said->role) : ASSET_ROLE_UNKNOWN;
    if (gw_why != NULL) {
        d->role = by_rule == ASSET_ROLE_CPE || has_group(d, G_CWMP) || has_group(d, G_UPNP)
                      ? ASSET_ROLE_CPE
                      : ASSET_ROLE_ROUTER;
        snprintf(d->role_reason, sizeof(d->role_reason), "gateway: %s", gw_why);
        return;
    }
    if (by_rule != ASSET_ROLE_UNKNOWN) {
        d->role = by_rule;
        snprintf(d->role_reason, sizeof(d->role_reason), "rule %s", said->rule);
        return;
    }
    for (size_t i = 0; d->vendor != NULL && i < sizeof(by_group) / sizeof(*by_group); i++) {
        if (!has_group(d, by_group[i].g))
            continue;
        d->role = by_group[i].role;
        /* A SIP server is a softswitch, not a phone. */
        if (by_group[i].g == G_SIP) {
            for (size_t k = 0; k < d->n_evidence; k++)
                if (d->evidence[k]->field == SIG_FIELD_SIP_SERVER)
                    d->role = ASSET_ROLE_SERVER;
        }
        snprintf(d->role_reason, sizeof(d->role_reason), "%s", by_group[i].why);
        return;
    }
    d->role = ASSET_ROLE_UNKNOWN;
    snprintf(d->role_reason, sizeof(d->role_reason), "only the MAC registry names it");
}

static void
format_id(struct asset_device *d, bool by_mac, const uint8_t mac[6], const struct decode_addr *ip)
{
    if (by_mac) {
        snprintf(d->id, sizeof(d->id), "mac=%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2],
                 mac[3], mac[4], mac[5]);
    } else {
        char s[64];
        snprintf(d->id, sizeof(d->id), "ip=%s", decode_addr_str(ip, s, sizeof(s)));
    }
}

static void
add_ip(struct asset_device *d, const struct decode_addr *ip)
{
    if (ip->family == 0)
        return;
    for (size_t i = 0; i < d->n_ips; i++)
        if (d->ips[i].family == ip->family && memcmp(d->ips[i].a, ip->a, 16) == 0)
            return;
    if (d->n_ips < ASSET_MAX_IPS)
        d->ips[d->n_ips++] = *ip;
}

static int
cmp_addr(const void *x, const void *y)
{
    const struct decode_addr *a = x, *b = y;
    if (a->family != b->family)
        return a->family < b->family ? -1 : 1;
    return memcmp(a->a, b->a, 16);
}

/* Building a device: its subjects, gathered before evidence is flattened. */
#define AS_DEV_SUBJ 16
struct devb {
    struct asset_device d;
    struct as_subject *subj[AS_DEV_SUBJ];
    size_t n_subj;
    bool by_mac;
};

struct build {
    struct devb *b;
    size_t n, cap;
    struct u64map by_key; /* mac key or address hash -> index + 1 */
};

static struct devb *
build_get(struct build *bl, bool by_mac, const uint8_t mac[6], const struct decode_addr *ip)
{
    uint64_t k = by_mac ? u64map_mac_key(mac) : as_ip_key(ip) | 1ull << 63;
    struct u64map_slot *slot;
    u64map_add(&bl->by_key, k, &slot);
    if (slot == NULL)
        return NULL;
    if (slot->val != NULL)
        return &bl->b[(uintptr_t)slot->val - 1];
    if (bl->n == bl->cap) {
        bl->cap = bl->cap ? bl->cap * 2 : 16;
        bl->b = xreallocarray(bl->b, bl->cap, sizeof(*bl->b));
    }
    struct devb *x = &bl->b[bl->n++];
    memset(x, 0, sizeof(*x));
    x->by_mac = by_mac;
    if (by_mac) {
        x->d.has_mac = true;
        memcpy(x->d.mac, mac, 6);
        x->d.mac_source = EV_MAC_ETHERNET;
    }
    format_id(&x->d, by_mac, mac, ip);
    slot->val = (void *)(uintptr_t)bl->n;
    return x;
}

static void
build_add_subject(struct devb *x, struct as_subject *s)
{
    if (x->n_subj < AS_DEV_SUBJ)
        x->subj[x->n_subj++] = s;
}

/* Where an address subject belongs: its owner's MAC, the MAC of its EUI-64
 * interface id, or itself. */
static struct devb *
place_ip_subject(struct asset *a, struct build *bl, struct as_subject *s, bool create)
{
    uint8_t mac[6];
    enum asset_bind_source src;
    struct devb *x = NULL;
    if (asset_ip_owner(a, &s->ip, mac, &src)) {
        x = create ? build_get(bl, true, mac, NULL) : NULL;
        if (!create) {
            const struct u64map_slot *sl = u64map_find(&bl->by_key, u64map_mac_key(mac));
            x = sl ? &bl->b[(uintptr_t)sl->val - 1] : NULL;
        }
        /* Without frames of its own, the MAC is known from the binding. */
        if (x != NULL && x->d.mac_source == EV_MAC_ETHERNET && as_subject_find_mac(a, mac) == NULL &&
            as_mac_find(a, mac) == NULL) {
            if (src == ASSET_BIND_DHCP)
                x->d.mac_source = EV_MAC_DHCP;
            else if (src == ASSET_BIND_EUI64)
                x->d.mac_source = EV_MAC_EUI64;
        }
        return x;
    }
    if (s->has_mac && s->mac_source == EV_MAC_EUI64) {
        const struct u64map_slot *sl = u64map_find(&bl->by_key, u64map_mac_key(s->mac));
        x = sl ? &bl->b[(uintptr_t)sl->val - 1] : create ? build_get(bl, true, s->mac, NULL) : NULL;
        if (x != NULL && as_subject_find_mac(a, s->mac) == NULL)
            x->d.mac_source = EV_MAC_EUI64;
        return x;
    }
    if (!create) {
        const struct u64map_slot *sl = u64map_find(&bl->by_key, as_ip_key(&s->ip) | 1ull << 63);
        return sl ? &bl->b[(uintptr_t)sl->val - 1] : NULL;
    }
    return build_get(bl, false, NULL, &s->ip);
}

static int
cmp_device(const void *x, const void *y)
{
    const struct asset_device *a = x, *b = y;
    if (a->reported != b->reported)
        return a->reported ? -1 : 1;
    int c = strcmp(a->vendor ? a->vendor : "", b->vendor ? b->vendor : "");
    return c != 0 ? c : strcmp(a->id, b->id);
}

/* Fill everything but id/mac from x's subjects; evidence pointers go to
 * a->evp from *evp_at on. */
static void
finish_device(struct asset *a, struct devb *x)
{
    struct asset_device *d = &x->d;
    const struct as_subject *mac_subj = NULL;
    for (size_t i = 0; i < x->n_subj; i++) {
        struct as_subject *s = x->subj[i];
        if (s->is_mac)
            mac_subj = s;
        if (d->first_us == 0 || (s->first_us != 0 && s->first_us < d->first_us))
            d->first_us = s->first_us;
        if (s->last_us > d->last_us)
            d->last_us = s->last_us;
        for (size_t h = 0; h < s->n_hostnames && d->n_hostnames < ASSET_MAX_HOSTNAMES; h++) {
            bool dup = false;
            for (size_t k = 0; k < d->n_hostnames; k++)
                dup |= strcmp(d->hostnames[k], s->hostnames[h]) == 0;
            if (!dup)
                d->hostnames[d->n_hostnames++] = s->hostnames[h];
        }
        if (!s->is_mac)
            add_ip(d, &s->ip);
    }
    /* A MAC on the segment counts its own frames; otherwise the addresses'
     * flows since their first evidence. */
    const struct as_mac *m = d->has_mac ? as_mac_find(a, d->mac) : NULL;
    (void)mac_subj;
    if (m != NULL) {
        d->traffic = m->traffic;
        if (m->first_us != 0 && (d->first_us == 0 || m->first_us < d->first_us))
            d->first_us = m->first_us;
        if (m->last_us > d->last_us)
            d->last_us = m->last_us;
    }
    for (size_t i = 0; i < x->n_subj && m == NULL; i++) {
        const struct as_subject *s = x->subj[i];
        d->traffic.flows += s->traffic.flows;
        d->traffic.pkts_sent += s->traffic.pkts_sent;
        d->traffic.pkts_recv += s->traffic.pkts_recv;
        d->traffic.bytes_sent += s->traffic.bytes_sent;
        d->traffic.bytes_recv += s->traffic.bytes_recv;
    }
    char why[96];
    d->gateway = d->has_mac && as_mac_is_gateway(a, d->mac, why, sizeof(why));
    verdict(d);
    guess_role(d, d->gateway ? why : NULL);
}

/* Addresses bound to MAC devices (ARP, ND, DHCP, or sent from a MAC that is
 * no gateway). */
static void
collect_bound_ips(struct asset *a, struct build *bl)
{
    for (size_t i = 0; a->binds.slots != NULL && i <= a->binds.mask; i++) {
        const struct as_bind *b = a->binds.slots[i].val;
        if (a->binds.slots[i].key == 0 || b == NULL)
            continue;
        const struct u64map_slot *sl = u64map_find(&bl->by_key, u64map_mac_key(b->mac));
        if (sl == NULL)
            continue;
        uint8_t mac[6];
        if (asset_ip_owner(a, &b->ip, mac, NULL) && memcmp(mac, b->mac, 6) == 0)
            add_ip(&bl->b[(uintptr_t)sl->val - 1].d, &b->ip);
    }
}

static void
index_devices(struct asset *a)
{
    u64map_free(&a->dev_by_ip);
    u64map_free(&a->dev_by_mac);
    u64map_init(&a->dev_by_ip, 1u << 20);
    u64map_init(&a->dev_by_mac, 1u << 20);
    for (size_t i = 0; i < a->n_dev; i++) {
        struct asset_device *d = &a->dev[i];
        struct u64map_slot *slot;
        if (d->has_mac && d->mac_source != EV_MAC_EUI64) {
            u64map_add(&a->dev_by_mac, u64map_mac_key(d->mac), &slot);
            if (slot != NULL && slot->val == NULL)
                slot->val = (void *)(uintptr_t)(i + 1);
        }
        for (size_t k = 0; k < d->n_ips; k++) {
            u64map_add(&a->dev_by_ip, as_ip_key(&d->ips[k]), &slot);
            if (slot != NULL && slot->val == NULL)
                slot->val = (void *)(uintptr_t)(i + 1);
        }
    }
}

static const struct asset_device *device_of_service(const struct asset *a,
                                                    const struct asset_service *s);

/* Services by device, so a device's list costs its length, not a scan. */
static void
group_services(struct asset *a)
{
    free(a->svc_by_dev);
    free(a->svc_off);
    a->svc_off = xcalloc(a->n_dev + 2, sizeof(*a->svc_off));
    a->svc_by_dev = xcalloc(a->n_svc_view + 1, sizeof(*a->svc_by_dev));
    size_t *idx = xcalloc(a->n_svc_view + 1, sizeof(*idx));
    for (size_t i = 0; i < a->n_svc_view; i++) {
        const struct asset_device *d = device_of_service(a, &a->svc_view[i]);
        idx[i] = d ? (size_t)(d - a->dev) : a->n_dev;
        a->svc_off[idx[i] + 1]++;
    }
    for (size_t i = 1; i <= a->n_dev + 1; i++)
        a->svc_off[i] += a->svc_off[i - 1];
    size_t *fill = xcalloc(a->n_dev + 1, sizeof(*fill));
    for (size_t i = 0; i < a->n_svc_view; i++)
        a->svc_by_dev[a->svc_off[idx[i]] + fill[idx[i]]++] = &a->svc_view[i];
    free(fill);
    free(idx);
}

size_t
asset_services_of_device(const struct asset *a, const struct asset_device *d,
                         const struct asset_service **out, size_t max)
{
    if (a->svc_off == NULL || d < a->dev || d >= a->dev + a->n_dev)
        return 0;
    size_t i = (size_t)(d - a->dev);
    size_t n = a->svc_off[i + 1] - a->svc_off[i];
    for (size_t k = 0; k < n && k < max; k++)
        out[k] = a->svc_by_dev[a->svc_off[i] + k];
    return n;
}

const struct asset_view *
asset_review(struct asset *a)
{
    struct build bl;
    memset(&bl, 0, sizeof(bl));
    u64map_init(&bl.by_key, 1u << 20);
    /* Devices with evidence of their own: MAC subjects, then addresses. */
    for (size_t i = 0; a->subj_mac.slots != NULL && i <= a->subj_mac.mask; i++) {
        struct as_subject *s = (struct as_subject *)a->subj_mac.slots[i].val;
        if (a->subj_mac.slots[i].key == 0 || s == NULL || s->n_ev == 0)
            continue;
        struct devb *x = build_get(&bl, true, s->mac, NULL);
        if (x != NULL) {
            x->d.mac_source = (enum ev_mac_source)s->mac_source;
            build_add_subject(x, s);
        }
    }
    for (size_t i = 0; a->subj_ip.slots != NULL && i <= a->subj_ip.mask; i++) {
        struct as_subject *s = (struct as_subject *)a->subj_ip.slots[i].val;
        if (a->subj_ip.slots[i].key == 0 || s == NULL || s->n_ev == 0)
            continue;
        struct devb *x = place_ip_subject(a, &bl, s, true);
        if (x != NULL)
            build_add_subject(x, s);
    }
    /* Subjects with only a host name join a device that exists. */
    for (int pass = 0; pass < 2; pass++) {
        struct u64map *m = pass == 0 ? &a->subj_mac : &a->subj_ip;
        for (size_t i = 0; m->slots != NULL && i <= m->mask; i++) {
            struct as_subject *s = (struct as_subject *)m->slots[i].val;
            if (m->slots[i].key == 0 || s == NULL || s->n_ev != 0)
                continue;
            struct devb *x = NULL;
            if (s->is_mac) {
                const struct u64map_slot *sl = u64map_find(&bl.by_key, u64map_mac_key(s->mac));
                x = sl ? &bl.b[(uintptr_t)sl->val - 1] : NULL;
            } else {
                x = place_ip_subject(a, &bl, s, false);
            }
            if (x != NULL)
                build_add_subject(x, s);
        }
    }
    collect_bound_ips(a, &bl);

    /* Flatten: devices and their evidence pointers. */
    size_t nev = 0;
    for (size_t i = 0; i < bl.n; i++)
        for (size_t k = 0; k < bl.b[i].n_subj; k++)
            nev += bl.b[i].subj[k]->n_ev;
    free(a->evp);
    a->evp = xcalloc(nev + 1, sizeof(*a->evp));
    size_t at = 0;
    free(a->dev);
    a->dev = xcalloc(bl.n + 1, sizeof(*a->dev));
    a->n_dev = bl.n;
    for (size_t i = 0; i < bl.n; i++) {
        struct devb *x = &bl.b[i];
        x->d.evidence = &a->evp[at];
        for (size_t k = 0; k < x->n_subj; k++)
            for (size_t e = 0; e < x->subj[k]->n_ev; e++)
                a->evp[at++] = &x->subj[k]->ev[e];
        x->d.n_evidence = (size_t)(&a->evp[at] - x->d.evidence);
        finish_device(a, x);
        qsort(x->d.ips, x->d.n_ips, sizeof(*x->d.ips), cmp_addr);
        a->dev[i] = x->d;
    }
    qsort(a->dev, a->n_dev, sizeof(*a->dev), cmp_device);
    a->n_reported = 0;
    while (a->n_reported < a->n_dev && a->dev[a->n_reported].reported)
        a->n_reported++;
    index_devices(a);
    free(bl.b);
    u64map_free(&bl.by_key);

    as_flow_collect(a);
    group_services(a);
    a->view.devices = a->dev;
    a->view.n_devices = a->n_dev;
    a->view.n_reported = a->n_reported;
    a->view.services = a->svc_view;
    a->view.n_services = a->n_svc_view;
    a->view.contacts = a->con_view;
    a->view.n_contacts = a->n_con_view;
    a->view.ethernet_frames = a->ethernet_frames;
    a->view.local_macs = u64map_count(&a->macs);
    size_t hosts = 0;
    for (size_t i = 0; a->binds.slots != NULL && i <= a->binds.mask; i++)
        hosts += a->binds.slots[i].key != 0;
    a->view.local_hosts = hosts;
    return &a->view;
}

const struct asset_device *
asset_device_of_ip(const struct asset *a, const struct decode_addr *ip)
{
    const struct u64map_slot *s = u64map_find(&a->dev_by_ip, as_ip_key(ip));
    if (s == NULL)
        return NULL;
    const struct asset_device *d = &a->dev[(uintptr_t)s->val - 1];
    for (size_t i = 0; i < d->n_ips; i++)
        if (d->ips[i].family == ip->family && memcmp(d->ips[i].a, ip->a, 16) == 0)
            return d;
    return NULL;
}

const struct asset_device *
asset_device_of_mac(const struct asset *a, const uint8_t mac[6])
{
    const struct u64map_slot *s = u64map_find(&a->dev_by_mac, u64map_mac_key(mac));
    return s ? &a->dev[(uintptr_t)s->val - 1] : NULL;
}

const struct asset_device *
asset_device_of_service(const struct asset *a, const struct asset_service *s)
{
    return device_of_service(a, s);
}

static const struct asset_device *
device_of_service(const struct asset *a, const struct asset_service *s)
{
    const struct asset_device *d = asset_device_of_ip(a, &s->ip);
    if (d == NULL && s->has_mac) {
        d = asset_device_of_mac(a, s->mac);
        /* A gateway's MAC fronts others' services. */
        if (d != NULL && d->gateway)
            d = NULL;
    }
    return d;
}

void
as_emit_subject_verdict(struct asset *a, struct as_subject *s, uint64_t ts_us)
{
    if (a->out == NULL)
        return;
    const struct asset_evidence *evp[AS_MAX_EVIDENCE];
    struct asset_device d;
    memset(&d, 0, sizeof(d));
    for (size_t i = 0; i < s->n_ev; i++)
        evp[i] = &s->ev[i];
    d.evidence = evp;
    d.n_evidence = s->n_ev;
    verdict(&d);
    if (!d.reported)
        return;
    if (s->sent_vendor == d.vendor && s->sent_conf == d.confidence)
        return;
    const char *change = s->sent_vendor == NULL ? "new" : "verdict";
    s->sent_vendor = d.vendor;
    s->sent_conf = d.confidence;
    d.has_mac = s->has_mac;
    memcpy(d.mac, s->mac, 6);
    d.mac_source = s->has_mac ? (enum ev_mac_source)s->mac_source : EV_MAC_NONE;
    format_id(&d, s->is_mac, s->mac, &s->ip);
    if (!s->is_mac)
        add_ip(&d, &s->ip);
    d.first_us = s->first_us;
    d.last_us = s->last_us;
    const struct as_mac *m = s->is_mac ? as_mac_find(a, s->mac) : NULL;
    d.traffic = m != NULL ? m->traffic : s->traffic;
    for (size_t h = 0; h < s->n_hostnames; h++)
        d.hostnames[d.n_hostnames++] = s->hostnames[h];
    char why[96];
    d.gateway = s->is_mac && as_mac_is_gateway(a, s->mac, why, sizeof(why));
    guess_role(&d, d.gateway ? why : NULL);
    out_device(a->out, ts_us, change, &d, NULL, 0, NULL, 0);
}
