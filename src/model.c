/* model.c - evidence, devices, findings and labelled flow records (see model.h). */
#include "telexpose/model.h"

#include <stdlib.h>
#include <string.h>

#include "telexpose/asset.h"
#include "telexpose/dpi.h"
#include "telexpose/evidence.h"
#include "telexpose/exposure.h"
#include "telexpose/geoip.h"
#include "telexpose/out_json.h"
#include "telexpose/xalloc.h"

#define MAX_LISTED 64 /* services and findings written in a device's final event */

struct model {
    struct model_config cfg;
    struct out *out;               /* not owned */
    const struct dpi *dpi;         /* names only; not owned */
    struct evidence_store *ev;     /* NULL without signatures */
    struct asset *asset;           /* NULL without signatures */
    struct exposure_set *expo;     /* NULL without signatures */
    const struct asset_view *view; /* after a review */
};

struct model *
model_new(const struct model_config *cfg, struct out *out)
{
    struct model *m = xcalloc(1, sizeof(*m));
    m->cfg = *cfg;
    m->out = out;
    if (cfg->sigs != NULL) {
        m->ev = evidence_new(cfg->sigs, out);
        m->asset = asset_new(cfg->assets, cfg->sigs, out);
        m->expo = exposure_new(out);
        evidence_set_asset(m->ev, m->asset);
    }
    return m;
}

void
model_free(struct model *m)
{
    if (m == NULL)
        return;
    evidence_free(m->ev);
    exposure_free(m->expo);
    asset_free(m->asset);
    free(m);
}

void
model_set_dpi(struct model *m, const struct dpi *d)
{
    m->dpi = d;
}

struct evidence_store *
model_evidence(struct model *m)
{
    return m->ev;
}

struct asset *
model_asset(const struct model *m)
{
    return m->asset;
}

void
model_observe(struct model *m, const struct ev_subject *subj, int field, const char *value,
              size_t len, uint64_t flow_id, uint64_t ts_us)
{
    if (m->ev != NULL)
        evidence_observe(m->ev, subj, (enum sig_field)field, value, len, flow_id, ts_us);
}

void
model_bind(struct model *m, const uint8_t mac[6], const struct decode_addr *ip, int src,
           uint64_t ts_us)
{
    if (m->asset != NULL)
        asset_bind(m->asset, mac, ip, (enum asset_bind_source)src, ts_us);
}

void
model_add_frames(struct model *m, uint64_t ethernet_frames)
{
    if (m->asset != NULL)
        asset_count_frames(m->asset, ethernet_frames);
}

/* Addresses worth a GeoIP lookup: not private, shared, loopback, link-local,
 * multicast or reserved (RFC 6890), where a database has nothing to say. */
static bool
addr_is_public(const struct decode_addr *d)
{
    const uint8_t *a = d->a;
    if (d->family == 4)
        return !(a[0] == 0 || a[0] == 10 || a[0] == 127 || a[0] >= 224 ||
                 (a[0] == 100 && (a[1] & 0xc0) == 64) || (a[0] == 169 && a[1] == 254) ||
                 (a[0] == 172 && (a[1] & 0xf0) == 16) || (a[0] == 192 && a[1] == 168));
    /* IPv6: global unicast 2000::/3 only. */
    return (a[0] & 0xe0) == 0x20;
}

static uint8_t
via_of_field(enum sig_field f)
{
    return f == SIG_FIELD_DNS_QUERY ? ASSET_VIA_DNS
           : f == SIG_FIELD_TLS_SNI ? ASSET_VIA_TLS
                                    : ASSET_VIA_HTTP;
}

/* The asset model's view of a flow: its endpoints, its service, and the
 * vendor infrastructure it reaches. */
static void
feed_assets(struct model *m, const struct flow *f, const struct flow_meta *meta,
            const struct out_endpoints *v)
{
    struct asset_contact c[2];
    memset(c, 0, sizeof(c));
    struct evidence_contact ec;
    if (evidence_flow_contact(m->ev, f->flow_id, &ec)) {
        c[0].vendor = ec.vendor;
        c[0].via = via_of_field(ec.field);
        c[0].name = ec.name;
        c[0].rule = ec.rule;
        c[0].pack = ec.pack;
    }
    /* An endpoint in a vendor network: the other side reaches it. */
    for (int i = 0; i < 2; i++) {
        const struct geoip_info *g = &v->geo[1 - i];
        if (!v->has_geo[1 - i] || !g->has_vnet)
            continue;
        if (c[i].vendor != NULL && strcmp(c[i].vendor, g->vnet_vendor) != 0)
            continue; /* the name said another vendor: keep one contact per flow */
        if (c[i].vendor == NULL) {
            c[i].vendor = g->vnet_vendor;
            c[i].pack = g->vnet_pack;
        }
        c[i].via |= ASSET_VIA_NETWORK;
        c[i].asn = g->vnet_asn;
        c[i].org = g->vnet_org;
        c[i].category = g->vnet_category;
    }
    struct asset_flow_facts facts;
    facts.ex_facts = f->ex_facts;
    facts.service = NULL;
    facts.tunneled = meta != NULL && meta->tunnel != DECODE_TUNNEL_NONE;
    if (m->dpi != NULL && f->dpi_status != DPI_NONE)
        facts.service = dpi_proto_name(m->dpi, f->dpi_app ? f->dpi_app : f->dpi_master);
    asset_add_flow(m->asset, f, &facts, c);
}

void
model_flow(struct model *m, const struct flow *f, struct flow_meta *meta,
           enum flow_end_reason reason)
{
    if (m->ev == NULL && m->cfg.geo == NULL) {
        out_flow(m->out, f, meta, reason, NULL);
        return;
    }
    struct out_endpoints v;
    memset(&v, 0, sizeof(v));
    if (m->ev != NULL) {
        if (f->has_mac[0])
            v.src_mac = evidence_vendor_of_mac(m->ev, f->mac[0]);
        if (f->has_mac[1])
            v.dest_mac = evidence_vendor_of_mac(m->ev, f->mac[1]);
    }
    struct decode_addr a[2];
    a[0].family = a[1].family = f->key.ip_version;
    memcpy(a[0].a, flow_src_addr(f), 16);
    memcpy(a[1].a, flow_dst_addr(f), 16);
    if (m->ev != NULL) {
        v.src_ip = evidence_vendor_of_ip(m->ev, &a[0]);
        v.dest_ip = evidence_vendor_of_ip(m->ev, &a[1]);
    }
    for (int i = 0; i < 2 && m->cfg.geo != NULL; i++)
        if (addr_is_public(&a[i]))
            v.has_geo[i] = geoip_lookup(m->cfg.geo, &a[i], &v.geo[i]);
    if (m->asset != NULL)
        feed_assets(m, f, meta, &v);
    out_flow(m->out, f, meta, reason, &v);
}

const struct asset_view *
model_review(struct model *m, uint64_t ts_us)
{
    if (m->asset == NULL)
        return NULL;
    m->view = asset_review(m->asset);
    exposure_derive(m->expo, m->asset, m->view, ts_us);
    return m->view;
}

void
model_finish(struct model *m, uint64_t ts_us)
{
    if (model_review(m, ts_us) == NULL)
        return;
    for (size_t i = 0; i < m->view->n_reported; i++) {
        const struct asset_device *d = &m->view->devices[i];
        const struct asset_service *svcs[MAX_LISTED];
        size_t ns = asset_services_of_device(m->asset, d, svcs, MAX_LISTED);
        const struct exposure_finding *fs[MAX_LISTED];
        size_t nf = exposure_of_device(m->expo, d, fs, MAX_LISTED);
        out_device(m->out, ts_us, "final", d, svcs, ns < MAX_LISTED ? ns : MAX_LISTED, fs,
                   nf < MAX_LISTED ? nf : MAX_LISTED);
    }
}

const struct asset_view *
model_view(const struct model *m)
{
    return m->view;
}

const struct exposure_set *
model_exposures(const struct model *m)
{
    return m->expo;
}
