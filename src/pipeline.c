/* pipeline.c - the stages for one stream of frames: one flow path on the
 * caller's thread feeding the model directly, or --threads N workers with
 * the model on its own thread (workers.c). */
#include "telexpose/pipeline.h"

#include <stdlib.h>
#include <string.h>

#include "telexpose/asset.h"
#include "telexpose/capture.h"
#include "telexpose/model.h"
#include "telexpose/out_json.h"
#include "telexpose/xalloc.h"

#include "fpath.h"
#include "workers.h"

struct pipeline {
    struct pipeline_config cfg;
    struct out *out;          /* not owned */
    struct model *model;
    struct fpath *fp;         /* one worker: on the caller's thread */
    struct workers *ws;       /* several: on their threads */
    uint64_t frames_counted;  /* Ethernet frames already handed to the model */
    struct run_stats rs;      /* totals over the workers */
    struct flow_stats fs;
    struct dpi_stats ds;
    bool has_dpi;
    struct out_worker_stat *wstat; /* per worker, for the stats events */
    struct capture_live_stats ifs[PIPELINE_IFACES_MAX];
    size_t n_ifs;
    bool finished;
};

static void
to_model(void *user, const struct flow *f, struct flow_meta *meta, enum flow_end_reason reason)
{
    model_flow(user, f, meta, reason);
}

struct pipeline *
pipeline_new(const struct pipeline_config *cfg, struct out *out, char *errbuf, size_t errlen)
{
    struct pipeline *p = xcalloc(1, sizeof(*p));
    p->cfg = *cfg;
    if (p->cfg.workers == 0)
        p->cfg.workers = 1;
    p->out = out;
    struct model_config mc = { cfg->sigs, cfg->geo, cfg->assets };
    p->model = model_new(&mc, out);
    p->wstat = xcalloc(p->cfg.workers, sizeof(*p->wstat));
    const struct dpi *names;
    if (p->cfg.workers == 1) {
        struct fpath_config fc = {
            .pc = &p->cfg, .memcap = cfg->flow.memcap, .index = 0, .count = 1,
            .record = to_model, .record_user = p->model,
            .ev = model_evidence(p->model), .asset = model_asset(p->model),
        };
        p->fp = fpath_new(&fc, errbuf, errlen);
        if (p->fp == NULL)
            goto fail;
        names = fpath_dpi(p->fp);
    } else {
        p->ws = workers_new(&p->cfg, p->model, errbuf, errlen);
        if (p->ws == NULL)
            goto fail;
        names = workers_names(p->ws);
    }
    model_set_dpi(p->model, names);
    out_set_dpi(out, names);
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
    workers_free(p->ws);
    fpath_free(p->fp);
    model_free(p->model);
    free(p->wstat);
    free(p);
}

void
pipeline_packet(struct pipeline *p, int dlt, const uint8_t *data, uint32_t caplen,
                uint32_t wirelen, uint64_t ts_us)
{
    if (p->fp != NULL)
        fpath_packet(p->fp, dlt, data, caplen, wirelen, ts_us);
    else
        workers_packet(p->ws, dlt, data, caplen, wirelen, ts_us);
}

void
pipeline_tick(struct pipeline *p, uint64_t now_us)
{
    if (p->fp != NULL)
        fpath_tick(p->fp, now_us);
    else
        workers_tick(p->ws, now_us);
}

static void
add_run(struct run_stats *t, const struct run_stats *s)
{
    if (s->packets == 0)
        return;
    if (t->packets == 0 || s->first_us < t->first_us)
        t->first_us = s->first_us;
    if (s->last_us > t->last_us)
        t->last_us = s->last_us;
    t->packets += s->packets;
    t->bytes += s->bytes;
    t->ip_packets += s->ip_packets;
    t->non_ip += s->non_ip;
    t->decode_errors += s->decode_errors;
    for (int r = 0; r < DECODE_REASON_COUNT; r++)
        t->by_reason[r] += s->by_reason[r];
    t->frag_orphans += s->frag_orphans;
    t->tunneled += s->tunneled;
    t->ethernet_frames += s->ethernet_frames;
}

static void
add_flow(struct flow_stats *t, const struct flow_stats *s)
{
    t->created += s->created;
    t->timed_out += s->timed_out;
    t->evicted += s->evicted;
    t->flushed += s->flushed;
    t->active_records += s->active_records;
    t->active += s->active;
    t->active_peak += s->active_peak; /* peaks of different moments: an upper bound */
    t->mem_used += s->mem_used;
    t->mem_peak += s->mem_peak;
    t->max_flows += s->max_flows;
}

static void
add_dpi(struct dpi_stats *t, const struct dpi_stats *s)
{
    t->flows_inspected += s->flows_inspected;
    t->packets += s->packets;
    t->detected += s->detected;
    t->guessed += s->guessed;
    t->state_live += s->state_live;
    t->state_peak += s->state_peak;
}

/* Totals over the workers, and the model's frame count brought up to date.
 * The caller holds the model (or runs on its thread). */
static void
gather(struct pipeline *p)
{
    memset(&p->rs, 0, sizeof(p->rs));
    memset(&p->fs, 0, sizeof(p->fs));
    memset(&p->ds, 0, sizeof(p->ds));
    p->has_dpi = false;
    for (unsigned i = 0; i < p->cfg.workers; i++) {
        struct fpath_stat s;
        if (p->fp != NULL)
            fpath_stat(p->fp, &s);
        else
            workers_stat(p->ws, i, &s);
        add_run(&p->rs, &s.rs);
        add_flow(&p->fs, &s.fs);
        if (s.has_dpi) {
            add_dpi(&p->ds, &s.ds);
            p->has_dpi = true;
        }
        struct out_worker_stat *w = &p->wstat[i];
        w->packets = s.rs.packets;
        w->flows = s.fs.created;
        w->active = s.fs.active;
        w->evicted = s.fs.evicted;
        w->memuse = s.fs.mem_used;
    }
    if (p->rs.ethernet_frames > p->frames_counted) {
        model_add_frames(p->model, p->rs.ethernet_frames - p->frames_counted);
        p->frames_counted = p->rs.ethernet_frames;
    }
}

static void
hold(struct pipeline *p)
{
    if (p->ws != NULL && !p->finished)
        workers_lock_model(p->ws);
}

static void
release(struct pipeline *p)
{
    if (p->ws != NULL && !p->finished)
        workers_unlock_model(p->ws);
}

void
pipeline_set_ifaces(struct pipeline *p, const struct capture_live_stats *ifs, size_t n)
{
    if (n > PIPELINE_IFACES_MAX)
        n = PIPELINE_IFACES_MAX;
    memcpy(p->ifs, ifs, n * sizeof(*ifs));
    p->n_ifs = n;
}

static void
stats_event(struct pipeline *p, bool final)
{
    struct out_stats_input in;
    memset(&in, 0, sizeof(in));
    in.rs = &p->rs;
    in.fs = &p->fs;
    in.fc = &p->cfg.flow;
    in.ds = p->has_dpi ? &p->ds : NULL;
    in.workers = p->wstat;
    in.n_workers = p->cfg.workers;
    in.ifaces = p->ifs;
    in.n_ifaces = p->n_ifs;
    in.final = final;
    out_stats_write(p->out, &in);
}

void
pipeline_write_stats(struct pipeline *p)
{
    hold(p);
    gather(p);
    stats_event(p, false);
    release(p);
}

int
pipeline_review(struct pipeline *p, uint64_t now_us, int (*fn)(void *user, struct pipeline *p),
                void *user)
{
    hold(p);
    gather(p);
    model_review(p->model, now_us);
    int rc = fn != NULL ? fn(user, p) : 0;
    release(p);
    return rc;
}

void
pipeline_finish(struct pipeline *p)
{
    if (p->finished)
        return;
    if (p->fp != NULL)
        fpath_flush(p->fp);
    else
        workers_finish(p->ws);
    p->finished = true;
    gather(p);
    model_finish(p->model, p->rs.last_us);
    stats_event(p, true);
}

const struct run_stats *
pipeline_stats(const struct pipeline *p)
{
    return &p->rs;
}

const struct flow_stats *
pipeline_flow_stats(const struct pipeline *p)
{
    return &p->fs;
}

struct asset *
pipeline_asset(const struct pipeline *p)
{
    return model_asset(p->model);
}

const struct exposure_set *
pipeline_exposures(const struct pipeline *p)
{
    return model_exposures(p->model);
}

const struct asset_view *
pipeline_view(const struct pipeline *p)
{
    return model_view(p->model);
}
