/* asset_flow.c - what flow records tell the asset model: which MAC sends
 * from which address, traffic totals of devices, management services of
 * local hosts, and contacts with vendor infrastructure.
 *
 * Runs once per flow record on the packet thread, so the common case (a
 * flow between hosts without evidence, to no management port) is a few
 * probes of small tables.
 */
#include "asset_int.h"

#include <stdlib.h>
#include <string.h>

#include "telexpose/extract.h"
#include "telexpose/flow.h"
#include "telexpose/xalloc.h"

#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_ACK 0x10

static const struct {
    uint8_t proto;
    uint16_t port;
    const char *name;
} mgmt_ports[] = {
    {6, 23, "telnet"}, {6, 2323, "telnet"}, {6, 22, "ssh"},     {6, 80, "http"},
    {6, 8080, "http"}, {6, 8000, "http"},   {6, 8081, "http"},  {6, 443, "https"},
    {6, 8443, "https"}, {17, 161, "snmp"},  {6, 7547, "tr-069"}, {6, 21, "ftp"},
    {6, 830, "netconf"},
};

/* nDPI names of management protocols found on other ports. */
static const struct {
    const char *ndpi;
    const char *name;
} mgmt_ndpi[] = {
    {"Telnet", "telnet"}, {"SSH", "ssh"}, {"SNMP", "snmp"}, {"FTP_CONTROL", "ftp"},
};

static const char *
mgmt_service(uint8_t proto, uint16_t port, const char *ndpi)
{
    for (size_t i = 0; i < sizeof(mgmt_ports) / sizeof(*mgmt_ports); i++)
        if (mgmt_ports[i].proto == proto && mgmt_ports[i].port == port)
            return mgmt_ports[i].name;
    for (size_t i = 0; ndpi != NULL && i < sizeof(mgmt_ndpi) / sizeof(*mgmt_ndpi); i++)
        if (strcmp(ndpi, mgmt_ndpi[i].ndpi) == 0)
            return mgmt_ndpi[i].name;
    return NULL;
}

static void
endpoint_addr(const struct flow *f, int i, struct decode_addr *out)
{
    out->family = f->key.ip_version;
    memcpy(out->a, i == 0 ? flow_src_addr(f) : flow_dst_addr(f), 16);
}

static bool
same_addr(const struct decode_addr *a, const struct decode_addr *b)
{
    return a->family == b->family && memcmp(a->a, b->a, a->family == 4 ? 4 : 16) == 0;
}

static void
add_client(struct decode_addr *list, size_t *n, uint64_t *total, const struct decode_addr *c)
{
    for (size_t i = 0; i < *n; i++)
        if (same_addr(&list[i], c))
            return;
    (*total)++;
    if (*n < ASSET_MAX_CLIENTS)
        list[(*n)++] = *c;
}

static void
add_traffic(struct as_subject *s, const struct flow *f, int i, bool first_record)
{
    if (s == NULL)
        return;
    s->traffic.flows += first_record;
    s->traffic.pkts_sent += f->pkts[i];
    s->traffic.pkts_recv += f->pkts[1 - i];
    s->traffic.bytes_sent += f->bytes[i];
    s->traffic.bytes_recv += f->bytes[1 - i];
    if (f->last_us > s->last_us)
        s->last_us = f->last_us;
}

static void
note_service(struct asset *a, const struct flow *f, const struct decode_addr *host, int host_side,
             uint8_t proto, uint16_t port, const char *name, bool host_is_client, uint8_t facts,
             const struct decode_addr *peer)
{
    uint64_t k = as_ip_key(host) ^ ((uint64_t)proto << 40 | (uint64_t)port << 16 | host_is_client);
    k = u64map_hash(&k, sizeof(k), 91);
    struct u64map_slot *slot;
    u64map_add(&a->services, k, &slot);
    if (slot == NULL) {
        a->st.services_dropped++;
        return;
    }
    struct as_service_entry *e = (struct as_service_entry *)slot->val;
    if (e == NULL) {
        e = xcalloc(1, sizeof(*e));
        slot->val = e;
        e->s.ip = *host;
        e->s.proto = proto;
        e->s.port = port;
        e->s.name = name;
        e->s.host_is_client = host_is_client;
        e->s.first_us = f->first_us;
    }
    struct asset_service *s = &e->s;
    if (f->has_mac[host_side] && !s->has_mac) {
        s->has_mac = true;
        memcpy(s->mac, f->mac[host_side], 6);
    }
    s->facts |= facts;
    if (f->rec_start_us == f->first_us)
        s->flows++;
    if (f->first_us < s->first_us)
        s->first_us = f->first_us;
    if (f->last_us > s->last_us)
        s->last_us = f->last_us;
    add_client(s->clients, &s->n_clients, &s->clients_total, peer);
    if (!asset_addr_is_local(a, peer))
        add_client(s->outside, &s->n_outside, &s->outside_total, peer);
    bool have = false;
    for (size_t i = 0; i < s->n_flow_ids; i++)
        have |= s->flow_ids[i] == f->flow_id;
    if (!have && s->n_flow_ids < ASSET_MAX_FLOW_IDS)
        s->flow_ids[s->n_flow_ids++] = f->flow_id;
}

static void
add_name(const char **list, size_t *n, const char *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < *n; i++)
        if (strcmp(list[i], s) == 0)
            return;
    if (*n < ASSET_MAX_NAMES)
        list[(*n)++] = s;
}

static void
note_contact(struct asset *a, const struct flow *f, int i, const struct decode_addr *host,
             const struct asset_contact *c)
{
    uint64_t k = as_ip_key(host) ^ u64map_hash(c->vendor, strlen(c->vendor), 5);
    struct u64map_slot *slot;
    u64map_add(&a->contacts, k, &slot);
    if (slot == NULL) {
        a->st.contacts_dropped++;
        return;
    }
    struct as_contact_entry *e = (struct as_contact_entry *)slot->val;
    if (e == NULL) {
        e = xcalloc(1, sizeof(*e));
        slot->val = e;
        e->c.host = *host;
        e->c.vendor = as_intern(a, c->vendor);
        e->c.pack = as_intern(a, c->pack);
        e->c.first_us = f->first_us;
    }
    struct asset_vendor_contact *v = &e->c;
    if (f->has_mac[i] && !v->has_mac) {
        v->has_mac = true;
        memcpy(v->mac, f->mac[i], 6);
    }
    v->via |= c->via;
    if (c->name != NULL)
        add_name(v->names, &v->n_names, as_intern(a, c->name));
    if (c->rule != NULL)
        add_name(v->rules, &v->n_rules, as_intern(a, c->rule));
    if (c->via & ASSET_VIA_NETWORK) {
        bool have = false;
        for (size_t k2 = 0; k2 < v->n_nets; k2++)
            have |= v->nets[k2].asn == c->asn;
        if (!have && v->n_nets < ASSET_MAX_NETS) {
            v->nets[v->n_nets].asn = c->asn;
            v->nets[v->n_nets].org = as_intern(a, c->org);
            v->nets[v->n_nets].category = as_intern(a, c->category);
            v->n_nets++;
        }
    }
    /* A DNS query goes to the resolver: it names the vendor, it does not
     * carry traffic to it. */
    if (c->via != ASSET_VIA_DNS) {
        v->flows += f->rec_start_us == f->first_us;
        v->bytes_out += f->bytes[i];
        v->bytes_in += f->bytes[1 - i];
    }
    if (f->first_us < v->first_us)
        v->first_us = f->first_us;
    if (f->last_us > v->last_us)
        v->last_us = f->last_us;
}

static bool
responder_answered(const struct flow *f)
{
    if (f->pkts[1] == 0)
        return false;
    if (f->key.proto != 6)
        return true;
    /* A RST is a refusal, not a service; mid-stream captures have no SYN. */
    uint8_t fl = f->tcp_flags[1];
    return (fl & TCP_ACK) && !((fl & TCP_RST) && !(fl & TCP_SYN) && f->pkts[1] <= 1);
}

void
asset_add_flow(struct asset *a, const struct flow *f, const struct asset_flow_facts *facts,
               const struct asset_contact contact[2])
{
    if (a == NULL)
        return;
    struct decode_addr ep[2];
    endpoint_addr(f, 0, &ep[0]);
    endpoint_addr(f, 1, &ep[1]);
    bool first_record = f->rec_start_us == f->first_us;
    for (int i = 0; i < 2; i++) {
        /* A MAC's totals count from its first frame; an address's from its
         * first evidence (the address table would be unbounded otherwise). */
        if (f->has_mac[i] && f->pkts[i] > 0 && !(facts != NULL && facts->tunneled)) {
            struct as_mac *m = as_note_source(a, f->mac[i], &ep[i], f->first_us, f->last_us);
            if (m != NULL) {
                m->traffic.flows += first_record;
                m->traffic.pkts_sent += f->pkts[i];
                m->traffic.pkts_recv += f->pkts[1 - i];
                m->traffic.bytes_sent += f->bytes[i];
                m->traffic.bytes_recv += f->bytes[1 - i];
            }
        }
        if (a->subj_ip.n > 0)
            add_traffic(as_subject_find_ip(a, &ep[i]), f, i, first_record);
    }
    uint8_t fx = facts != NULL ? facts->ex_facts : 0;
    uint8_t proto = f->key.proto;
    if (proto == 6 || proto == 17) {
        uint16_t dport = flow_dst_port(f);
        const char *name = mgmt_service(proto, dport, facts ? facts->service : NULL);
        if (name != NULL && responder_answered(f) &&
            (asset_addr_is_local(a, &ep[1]) || as_subject_find_ip(a, &ep[1]) != NULL))
            note_service(a, f, &ep[1], 1, proto, dport, name, false, fx, &ep[0]);
        /* The CPE calls its ACS; an agent sends traps: the device is the client. */
        const char *cname = (fx & EXF_CWMP) ? "tr-069"
                            : (fx & EXF_SNMP_COMMUNITY) && dport == 162 ? "snmp-trap"
                                                                         : NULL;
        if (cname != NULL && asset_addr_is_local(a, &ep[0]))
            note_service(a, f, &ep[0], 0, proto, dport, cname, true, fx, &ep[1]);
    }
    for (int i = 0; contact != NULL && i < 2; i++)
        if (contact[i].vendor != NULL && asset_addr_is_local(a, &ep[i]))
            note_contact(a, f, i, &ep[i], &contact[i]);
}

static int
cmp_service(const void *x, const void *y)
{
    const struct asset_service *a = x, *b = y;
    int c = memcmp(a->ip.a, b->ip.a, 16);
    if (c != 0)
        return c;
    if (a->port != b->port)
        return a->port < b->port ? -1 : 1;
    return (int)a->host_is_client - (int)b->host_is_client;
}

static int
cmp_contact(const void *x, const void *y)
{
    const struct asset_vendor_contact *a = x, *b = y;
    int c = memcmp(a->host.a, b->host.a, 16);
    return c != 0 ? c : strcmp(a->vendor, b->vendor);
}

void
as_flow_collect(struct asset *a)
{
    free(a->svc_view);
    free(a->con_view);
    a->svc_view = xcalloc(u64map_count(&a->services) + 1, sizeof(*a->svc_view));
    a->n_svc_view = 0;
    for (size_t i = 0; a->services.slots != NULL && i <= a->services.mask; i++)
        if (a->services.slots[i].key != 0 && a->services.slots[i].val != NULL)
            a->svc_view[a->n_svc_view++] = ((const struct as_service_entry *)a->services.slots[i].val)->s;
    qsort(a->svc_view, a->n_svc_view, sizeof(*a->svc_view), cmp_service);
    a->con_view = xcalloc(u64map_count(&a->contacts) + 1, sizeof(*a->con_view));
    a->n_con_view = 0;
    for (size_t i = 0; a->contacts.slots != NULL && i <= a->contacts.mask; i++)
        if (a->contacts.slots[i].key != 0 && a->contacts.slots[i].val != NULL)
            a->con_view[a->n_con_view++] = ((const struct as_contact_entry *)a->contacts.slots[i].val)->c;
    qsort(a->con_view, a->n_con_view, sizeof(*a->con_view), cmp_contact);
}

void
as_flow_free(struct asset *a)
{
    for (int m = 0; m < 2; m++) {
        struct u64map *map = m == 0 ? &a->services : &a->contacts;
        for (size_t i = 0; map->slots != NULL && i <= map->mask; i++)
            if (map->slots[i].key != 0)
                free((void *)map->slots[i].val);
        u64map_free(map);
    }
    free(a->svc_view);
    free(a->con_view);
    a->svc_view = NULL;
    a->con_view = NULL;
}
