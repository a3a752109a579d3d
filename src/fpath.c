/* fpath.c - decode -> flow table -> nDPI -> extract for one thread's frames. */
#include "fpath.h"

#include <stdlib.h>
#include <string.h>

#include "telexpose/xalloc.h"

struct fpath {
    struct fpath_config cfg;
    struct flow_table *ft;
    struct dpi *dpi;          /* NULL with nDPI off */
    bool own_dpi;
    struct extract *ex;       /* NULL without signatures */
    struct run_stats rs;
};

/* Flow records leave the table here: conclude nDPI and extraction, then
 * hand the record on. */
static void
on_record(void *user, struct flow *f, enum flow_end_reason reason)
{
    struct fpath *fp = user;
    bool dpi_was_done = f->dpi_status == DPI_DONE;
    if (fp->dpi != NULL && reason != FLOW_END_ACTIVE)
        dpi_finish(fp->dpi, fp->ft, f);
    /* A flow nDPI gave up on at its end has its metadata looked at now;
     * the others were when detection finished. */
    if (fp->ex != NULL && !dpi_was_done && f->dpi_status == DPI_DONE)
        extract_dpi_done(fp->ex, f, f->meta, f->last_us);
    /* A final record takes the metadata along; a periodic one a copy. */
    struct flow_meta *m =
        reason == FLOW_END_ACTIVE ? flow_meta_dup(f->meta) : flowtable_meta_detach(fp->ft, f);
    /* Evidence first, so the record can name its endpoints' vendors. */
    if (fp->ex != NULL)
        extract_flow_end(fp->ex, f, m, f->last_us);
    fp->cfg.record(fp->cfg.record_user, f, m, reason);
}

struct fpath *
fpath_new(const struct fpath_config *cfg, char *errbuf, size_t errlen)
{
    const struct pipeline_config *pc = cfg->pc;
    struct fpath *fp = xcalloc(1, sizeof(*fp));
    fp->cfg = *cfg;
    struct flow_config fc = pc->flow;
    fc.memcap = cfg->memcap;
    fp->ft = flowtable_new(&fc, on_record, fp, errbuf, errlen);
    if (fp->ft == NULL)
        goto fail;
    flowtable_set_id_space(fp->ft, cfg->index, cfg->count);
    if (pc->dpi_enabled && pc->shared_dpi != NULL) {
        fp->dpi = pc->shared_dpi;
    } else if (pc->dpi_enabled) {
        fp->dpi = dpi_new(errbuf, errlen);
        if (fp->dpi == NULL)
            goto fail;
        fp->own_dpi = true;
    }
    if (fp->dpi != NULL)
        flowtable_set_external_mem(fp->ft, dpi_mem_counter(fp->dpi));
    if (pc->sigs != NULL) {
        fp->ex = extract_new(pc->oui, fp->dpi, cfg->ev);
        if (cfg->down != NULL)
            extract_set_downstream(fp->ex, cfg->down);
        else
            extract_set_asset(fp->ex, cfg->asset);
    }
    return fp;
fail:
    fpath_free(fp);
    return NULL;
}

void
fpath_free(struct fpath *fp)
{
    if (fp == NULL)
        return;
    flowtable_free(fp->ft);
    extract_free(fp->ex);
    if (fp->own_dpi)
        dpi_free(fp->dpi);
    free(fp);
}

static void
note_tunnel(struct fpath *fp, struct flow *f, const struct decoded_pkt *d)
{
    fp->rs.tunneled++;
    if (f->meta != NULL && f->meta->tunnel != DECODE_TUNNEL_NONE)
        return;
    struct flow_meta *m = flowtable_meta(fp->ft, f);
    m->tunnel = (uint8_t)d->tunnel;
    m->tunnel_id = d->tunnel_id;
    m->outer_src = d->outer_src;
    m->outer_dst = d->outer_dst;
}

void
fpath_tick(struct fpath *fp, uint64_t now_us)
{
    flowtable_expire(fp->ft, now_us);
}

void
fpath_packet(struct fpath *fp, int dlt, const uint8_t *data, uint32_t caplen, uint32_t wirelen,
             uint64_t ts_us)
{
    struct run_stats *rs = &fp->rs;
    if (rs->packets == 0 || ts_us < rs->first_us)
        rs->first_us = ts_us;
    if (ts_us > rs->last_us)
        rs->last_us = ts_us;
    rs->packets++;
    rs->bytes += wirelen;

    flowtable_expire(fp->ft, ts_us);

    struct decoded_pkt d;
    enum decode_reason r = decode_packet(dlt, data, caplen, wirelen, &d);
    rs->ethernet_frames += d.has_mac;
    if (r == DECODE_NOT_IP) {
        rs->non_ip++;
        if (fp->ex != NULL)
            extract_frame(fp->ex, &d, ts_us);
        return;
    }
    if (r != DECODE_OK) {
        rs->decode_errors++;
        rs->by_reason[r]++;
        if (fp->ex != NULL)
            extract_frame(fp->ex, &d, ts_us);
        return;
    }
    rs->ip_packets++;
    if (d.is_fragment && !flowtable_frag_ports(fp->ft, &d, ts_us) && d.frag_offset != 0) {
        rs->frag_orphans++;
        if (fp->ex != NULL)
            extract_frame(fp->ex, &d, ts_us);
        return;
    }
    int dir;
    struct flow *f = flowtable_get(fp->ft, &d, ts_us, &dir);
    flowtable_update(fp->ft, f, &d, dir, wirelen, ts_us);
    if (d.tunnel != DECODE_TUNNEL_NONE)
        note_tunnel(fp, f, &d);
    if (fp->ex != NULL)
        extract_packet(fp->ex, fp->ft, f, &d, dir, ts_us);
    if (fp->dpi != NULL && f->dpi_status != DPI_DONE) {
        if (f->dpi_status == DPI_NONE && dpi_will_allocate(f, &d))
            flowtable_reserve(fp->ft, dpi_state_size(), f);
        dpi_process(fp->dpi, fp->ft, f, &d, ts_us);
        if (fp->ex != NULL && f->dpi_status == DPI_DONE)
            extract_dpi_done(fp->ex, f, f->meta, ts_us);
        flowtable_enforce_memcap(fp->ft, f);
    }
}

void
fpath_flush(struct fpath *fp)
{
    flowtable_flush(fp->ft, FLOW_END_EOF);
}

struct dpi *
fpath_dpi(const struct fpath *fp)
{
    return fp->dpi;
}

void
fpath_stat(const struct fpath *fp, struct fpath_stat *out)
{
    memset(out, 0, sizeof(*out));
    out->rs = fp->rs;
    out->fs = *flowtable_stats(fp->ft);
    if (fp->dpi != NULL) {
        out->ds = *dpi_get_stats(fp->dpi);
        out->has_dpi = true;
    }
}
