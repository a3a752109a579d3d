/* pipeline.c - decode -> flow table -> nDPI -> records, for one stream of frames. */
#include "telexpose/pipeline.h"

#include <stdlib.h>
#include <string.h>

#include "telexpose/asset.h"
#include "telexpose/dpi.h"
#include "telexpose/evidence.h"
#include "telexpose/exposure.h"
#include "telexpose/extract.h"
#include "telexpose/geoip.h"
#include "telexpose/out_json.h"
#include "telexpose/xalloc.h"

struct pipeline {
    struct pipeline_config cfg;
    struct flow_table *ft;
    struct dpi *dpi;          /* NULL with dpi_enabled false */
    bool own_dpi;             /* dpi was created here and is freed here */
    struct out *out;          /* not owned */
    struct evidence_store *ev; /* NULL without signatures */
    struct extract *ex;        /* NULL without signatures */
    struct asset *asset;       /* NULL without signatures */
    struct exposure_set *expo; /* NULL without signatures */
    const struct asset_view *view; /* after finish */
    struct run_stats rs;
    bool finished;
};

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
feed_assets(struct pipeline *p, const struct flow *f, const struct flow_meta *m,
            const struct out_endpoints *v)
{
    struct asset_contact c[2];
    memset(c, 0, sizeof(c));
    struct evidence_contact ec;
    if (evidence_flow_contact(p->ev, f->flow_id, &ec)) {
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
    facts.tunneled = m != NULL && m->tunnel != DECODE_TUNNEL_NONE;
    if (p->dpi != NULL && f->dpi_status != DPI_NONE)
        facts.service = dpi_proto_name(p->dpi, f->dpi_app ? f->dpi_app : f->dpi_master);
    asset_add_flow(p->asset, f, &facts, c);
}

/* Flow records leave the table here: conclude nDPI, then write. */
static void
on_record(void *user, struct flow *f, enum flow_end_reason reason)
{
    struct pipeline *p = user;
    bool dpi_was_done = f->dpi_status == DPI_DONE;
    if (p->dpi != NULL && reason != FLOW_END_ACTIVE)
        dpi_finish(p->dpi, p->ft, f);
    /* A flow nDPI gave up on at its end has its metadata looked at now;
     * the others were when detection finished. */
    if (p->ex != NULL && !dpi_was_done && f->dpi_status == DPI_DONE)
        extract_dpi_done(p->ex, f, f->meta, f->last_us);
    /* A final record takes the metadata along; a periodic one a copy. */
    struct flow_meta *m =
        reason == FLOW_END_ACTIVE ? flow_meta_dup(f->meta) : flowtable_meta_detach(p->ft, f);
    if (p->ex == NULL && p->cfg.geo == NULL) {
        out_flow(p->out, f, m, reason, NULL);
        return;
    }
    struct out_endpoints v;
    memset(&v, 0, sizeof(v));
    if (p->ex != NULL) {
        /* Evidence first, so the flow record can name its endpoints' vendors. */
        extract_flow_end(p->ex, f, m, f->last_us);
        if (f->has_mac[0])
            v.src_mac = evidence_vendor_of_mac(p->ev, f->mac[0]);
        if (f->has_mac[1])
            v.dest_mac = evidence_vendor_of_mac(p->ev, f->mac[1]);
    }
    struct decode_addr a[2];
    a[0].family = a[1].family = f->key.ip_version;
    memcpy(a[0].a, flow_src_addr(f), 16);
    memcpy(a[1].a, flow_dst_addr(f), 16);
    if (p->ex != NULL) {
        v.src_ip = evidence_vendor_of_ip(p->ev, &a[0]);
        v.dest_ip = evidence_vendor_of_ip(p->ev, &a[1]);
    }
    for (int i = 0; i < 2 && p->cfg.geo != NULL; i++)
        if (addr_is_public(&a[i]))
            v.has_geo[i] = geoip_lookup(p->cfg.geo, &a[i], &v.geo[i]);
    if (p->asset != NULL)
        feed_assets(p, f, m, &v);
    out_flow(p->out, f, m, reason, &v);
}

struct pipeline *
pipeline_new(const struct pipeline_config *cfg, struct out *out, char *errbuf, size_t errlen)
{
    struct pipeline *p = xcalloc(1, sizeof(*p));
    p->cfg = *cfg;
    p->out = out;
    p->ft = flowtable_new(&cfg->flow, on_record, p, errbuf, errlen);
    if (p->ft == NULL)
        goto fail;
    if (cfg->dpi_enabled && cfg->shared_dpi != NULL) {
        p->dpi = cfg->shared_dpi;
        flowtable_set_external_mem(p->ft, dpi_mem_counter(p->dpi));
    } else if (cfg->dpi_enabled) {
        p->dpi = dpi_new(errbuf, errlen);
        if (p->dpi == NULL)
            goto fail;
        p->own_dpi = true;
        flowtable_set_external_mem(p->ft, dpi_mem_counter(p->dpi));
    }
    out_set_dpi(out, p->dpi);
    if (cfg->sigs != NULL) {
        p->ev = evidence_new(cfg->sigs, out);
        p->ex = extract_new(cfg->oui, p->dpi, p->ev);
        p->asset = asset_new(cfg->assets, cfg->sigs, out);
        p->expo = exposure_new(out);
        evidence_set_asset(p->ev, p->asset);
        extract_set_asset(p->ex, p->asset);
    }
    return p;
fail:
    pipeline_free(p);
    return NULL;
}

void
pipeline_free(struct pipeline *p)
{
    if (p == NULL)
        return;
    flowtable_free(p->ft);
    extract_free(p->ex);
    evidence_free(p->ev);
    exposure_free(p->expo);
    asset_free(p->asset);
    if (p->own_dpi)
        dpi_free(p->dpi);
    free(p);
}

static void
note_tunnel(struct pipeline *p, struct flow *f, const struct decoded_pkt *d)
{
    p->rs.tunneled++;
    if (f->meta != NULL && f->meta->tunnel != DECODE_TUNNEL_NONE)
        return;
    struct flow_meta *m = flowtable_meta(p->ft, f);
    m->tunnel = (uint8_t)d->tunnel;
    m->tunnel_id = d->tunnel_id;
    m->outer_src = d->outer_src;
    m->outer_dst = d->outer_dst;
}

void
pipeline_tick(struct pipeline *p, uint64_t now_us)
{
    flowtable_expire(p->ft, now_us);
}

void
pipeline_packet(struct pipeline *p, int dlt, const uint8_t *data, uint32_t caplen,
                uint32_t wirelen, uint64_t ts_us)
{
    struct run_stats *rs = &p->rs;
    if (rs->packets == 0 || ts_us < rs->first_us)
        rs->first_us = ts_us;
    if (ts_us > rs->last_us)
        rs->last_us = ts_us;
    rs->packets++;
    rs->bytes += wirelen;

    flowtable_expire(p->ft, ts_us);

    struct decoded_pkt d;
    enum decode_reason r = decode_packet(dlt, data, caplen, wirelen, &d);
    if (p->asset != NULL)
        asset_count_frame(p->asset, d.has_mac);
    if (r == DECODE_NOT_IP) {
        rs->non_ip++;
        if (p->ex != NULL)
            extract_frame(p->ex, &d, ts_us);
        return;
    }
    if (r != DECODE_OK) {
        rs->decode_errors++;
        rs->by_reason[r]++;
        if (p->ex != NULL)
            extract_frame(p->ex, &d, ts_us);
        return;
    }
    rs->ip_packets++;
    if (d.is_fragment && !flowtable_frag_ports(p->ft, &d, ts_us) && d.frag_offset != 0) {
        rs->frag_orphans++;
        if (p->ex != NULL)
            extract_frame(p->ex, &d, ts_us);
        return;
    }
    int dir;
    struct flow *f = flowtable_get(p->ft, &d, ts_us, &dir);
    flowtable_update(p->ft, f, &d, dir, wirelen, ts_us);
    if (d.tunnel != DECODE_TUNNEL_NONE)
        note_tunnel(p, f, &d);
    if (p->ex != NULL)
        extract_packet(p->ex, p->ft, f, &d, dir, ts_us);
    if (p->dpi != NULL && f->dpi_status != DPI_DONE) {
        if (f->dpi_status == DPI_NONE && dpi_will_allocate(f, &d))
            flowtable_reserve(p->ft, dpi_state_size(), f);
        dpi_process(p->dpi, p->ft, f, &d, ts_us);
        if (p->ex != NULL && f->dpi_status == DPI_DONE)
            extract_dpi_done(p->ex, f, f->meta, ts_us);
        flowtable_enforce_memcap(p->ft, f);
    }
}

/* The settled picture: findings, then each device's final event with its
 * services and findings. */
static void
settle_assets(struct pipeline *p)
{
    p->view = asset_review(p->asset);
    uint64_t ts = p->rs.last_us;
    exposure_derive(p->expo, p->asset, p->view, ts);
    for (size_t i = 0; i < p->view->n_reported; i++) {
        const struct asset_device *d = &p->view->devices[i];
        const struct asset_service *svcs[64];
        size_t ns = asset_services_of_device(p->asset, d, svcs, 64);
        const struct exposure_finding *fs[64];
        size_t nf = exposure_of_device(p->expo, d, fs, 64);
        out_device(p->out, ts, "final", d, svcs, ns < 64 ? ns : 64, fs, nf < 64 ? nf : 64);
    }
}

void
pipeline_finish(struct pipeline *p)
{
    if (p->finished)
        return;
    p->finished = true;
    flowtable_flush(p->ft, FLOW_END_EOF);
    if (p->asset != NULL)
        settle_assets(p);
    out_stats(p->out, &p->rs, flowtable_stats(p->ft), &p->cfg.flow,
              p->dpi ? dpi_get_stats(p->dpi) : NULL);
}

const struct run_stats *
pipeline_stats(const struct pipeline *p)
{
    return &p->rs;
}

const struct flow_stats *
pipeline_flow_stats(const struct pipeline *p)
{
    return flowtable_stats(p->ft);
}

struct asset *
pipeline_asset(const struct pipeline *p)
{
    return p->asset;
}

const struct exposure_set *
pipeline_exposures(const struct pipeline *p)
{
    return p->expo;
}

const struct asset_view *
pipeline_view(const struct pipeline *p)
{
    return p->view;
}
