/* workers.c - --threads N: dispatch, worker threads, the model thread (see
 * workers.h). Rings: capture -> worker (frames, ticks, the final flush) and
 * worker -> model (records, observations, bindings).
 */
#include "workers.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "telexpose/decode.h"
#include "telexpose/evidence.h"
#include "telexpose/model.h"
#include "telexpose/ring.h"
#include "telexpose/xalloc.h"

#include "fpath.h"

#define IN_RING (8u << 20)    /* frames queued per worker: ~50 ms at 1 Mpps of 150-byte frames */
#define OUT_RING (4u << 20)   /* records and observations queued per worker */
#define PUBLISH_EVERY 16      /* frames handed over in batches, not one by one */
#define STATS_EVERY 4096      /* frames between two publications of a worker's counters */
#define MODEL_BATCH 512       /* messages from one worker before looking at the next */
#define US_PER_SEC 1000000u

enum { IN_FRAME = 1, IN_TICK, IN_FLUSH };
enum { OUT_OBS = 1, OUT_BIND, OUT_FLOW, OUT_DONE };

struct in_msg {
    uint32_t type;
    int32_t dlt;
    uint32_t caplen, wirelen;
    uint64_t ts_us;
    /* frame bytes follow */
};

struct obs_msg {
    uint32_t type;
    int32_t field;
    uint32_t len;
    uint32_t pad;
    uint64_t flow_id, ts_us;
    struct ev_subject subj;
    /* value bytes follow */
};

struct bind_msg {
    uint32_t type;
    int32_t src;
    uint8_t mac[6];
    struct decode_addr ip;
    uint64_t ts_us;
};

struct flow_msg {
    uint32_t type;
    uint32_t reason;
    struct flow_meta *meta; /* owned by the message until the model takes it */
    struct flow f;
};

struct worker {
    pthread_t thread;
    bool started;
    struct ring_bell in_bell;
    struct ring in;            /* capture thread -> this worker */
    struct ring out;           /* this worker -> model thread */
    unsigned unpublished;      /* capture thread: frames reserved, not yet published */
    struct fpath *fp;
    pthread_mutex_t pub_mu;    /* guards pub */
    struct fpath_stat pub;
};

struct workers {
    unsigned n;
    struct worker *w;
    struct model *model;       /* not owned */
    struct ring_bell model_bell;
    pthread_t model_thread;
    bool model_started;
    pthread_mutex_t model_mu;  /* held by the model thread while it works */
    int want_model;            /* atomic: another thread waits for model_mu */
    unsigned done;             /* model thread: workers whose last message came */
    uint64_t next_tick_us;     /* capture thread: capture time of the next tick */
};

static void
block_signals(void)
{
    /* Signals belong to the capture thread, which stops and flushes. */
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
}

/* --- worker side: what a flow path produces goes into the out ring ------ */

static void
queue_observe(void *user, const struct ev_subject *subj, int field, const char *value, size_t len,
              uint64_t flow_id, uint64_t ts_us)
{
    struct worker *w = user;
    struct obs_msg *m = ring_reserve_wait(&w->out, sizeof(*m) + len);
    if (m == NULL)
        return; /* larger than a ring: cannot happen for OBS_VALUE_MAX */
    memset(m, 0, sizeof(*m));
    m->type = OUT_OBS;
    m->field = field;
    m->len = (uint32_t)len;
    m->flow_id = flow_id;
    m->ts_us = ts_us;
    m->subj = *subj;
    memcpy(m + 1, value, len);
}

static void
queue_bind(void *user, const uint8_t mac[6], const struct decode_addr *ip, int src,
           uint64_t ts_us)
{
    struct worker *w = user;
    struct bind_msg *m = ring_reserve_wait(&w->out, sizeof(*m));
    m->type = OUT_BIND;
    m->src = src;
    memcpy(m->mac, mac, 6);
    m->ip = *ip;
    m->ts_us = ts_us;
}

static void
queue_record(void *user, const struct flow *f, struct flow_meta *meta,
             enum flow_end_reason reason)
{
    struct worker *w = user;
    struct flow_msg *m = ring_reserve_wait(&w->out, sizeof(*m));
    m->type = OUT_FLOW;
    m->reason = (uint32_t)reason;
    m->meta = meta;
    m->f = *f;
    m->f.meta = NULL;
    m->f.dpi_state = NULL;
}

static void
publish_stats(struct worker *w)
{
    struct fpath_stat s;
    fpath_stat(w->fp, &s);
    pthread_mutex_lock(&w->pub_mu);
    w->pub = s;
    pthread_mutex_unlock(&w->pub_mu);
}

static bool
in_ready(void *arg)
{
    return !ring_empty(arg);
}

static void *
worker_main(void *arg)
{
    struct worker *w = arg;
    block_signals();
    unsigned since_publish = 0;
    unsigned since_stats = 0;
    for (;;) {
        size_t len;
        const struct in_msg *m = ring_peek(&w->in, &len);
        if (m == NULL) {
            /* Idle: what is queued for the model goes now, not at the next
             * batch, and a stats event asked for now sees every frame. */
            ring_publish(&w->out);
            since_publish = 0;
            if (since_stats > 0) {
                publish_stats(w);
                since_stats = 0;
            }
            ring_bell_wait(&w->in_bell, in_ready, &w->in, 100);
            continue;
        }
        uint32_t type = m->type;
        if (type == IN_FRAME)
            fpath_packet(w->fp, m->dlt, (const uint8_t *)(m + 1), m->caplen, m->wirelen,
                         m->ts_us);
        else if (type == IN_TICK)
            fpath_tick(w->fp, m->ts_us);
        else
            fpath_flush(w->fp);
        ring_release(&w->in);
        if (type != IN_FRAME) {
            publish_stats(w);
            since_stats = 0;
        }
        if (type == IN_FLUSH)
            break;
        if (++since_publish >= PUBLISH_EVERY) {
            ring_publish(&w->out);
            since_publish = 0;
        }
        if (++since_stats >= STATS_EVERY) {
            publish_stats(w);
            since_stats = 0;
        }
    }
    dpi_thread_done();
    uint32_t *done = ring_reserve_wait(&w->out, sizeof(*done));
    *done = OUT_DONE;
    ring_publish(&w->out);
    return NULL;
}

/* --- model side ---------------------------------------------------------- */

/* Apply up to max messages of worker w; returns how many. */
static size_t
drain(struct workers *ws, struct worker *w, size_t max)
{
    size_t n = 0;
    size_t len;
    const uint32_t *type;
    while (n < max && (type = ring_peek(&w->out, &len)) != NULL) {
        switch (*type) {
        case OUT_OBS: {
            const struct obs_msg *m = (const struct obs_msg *)type;
            model_observe(ws->model, &m->subj, m->field, (const char *)(m + 1), m->len,
                          m->flow_id, m->ts_us);
            break;
        }
        case OUT_BIND: {
            const struct bind_msg *m = (const struct bind_msg *)type;
            model_bind(ws->model, m->mac, &m->ip, m->src, m->ts_us);
            break;
        }
        case OUT_FLOW: {
            const struct flow_msg *m = (const struct flow_msg *)type;
            model_flow(ws->model, &m->f, m->meta, (enum flow_end_reason)m->reason);
            break;
        }
        default: /* OUT_DONE */
            ws->done++;
            break;
        }
        ring_release(&w->out);
        n++;
    }
    return n;
}

static bool
model_ready(void *arg)
{
    struct workers *ws = arg;
    if (__atomic_load_n(&ws->want_model, __ATOMIC_SEQ_CST))
        return true;
    for (unsigned i = 0; i < ws->n; i++)
        if (!ring_empty(&ws->w[i].out))
            return true;
    return false;
}

static void
pause_for_others(struct workers *ws)
{
    /* Someone waits for the model (a report, stats): let it in, and wait
     * until it is done. Rare (once per interval), so a short sleep will do. */
    pthread_mutex_unlock(&ws->model_mu);
    struct timespec nap = { 0, 200000 };
    while (__atomic_load_n(&ws->want_model, __ATOMIC_SEQ_CST))
        nanosleep(&nap, NULL);
    pthread_mutex_lock(&ws->model_mu);
}

static void *
model_main(void *arg)
{
    struct workers *ws = arg;
    block_signals();
    pthread_mutex_lock(&ws->model_mu);
    for (;;) {
        size_t did = 0;
        for (unsigned i = 0; i < ws->n; i++)
            did += drain(ws, &ws->w[i], MODEL_BATCH);
        if (__atomic_load_n(&ws->want_model, __ATOMIC_SEQ_CST)) {
            pause_for_others(ws);
            continue;
        }
        if (did > 0)
            continue;
        if (ws->done == ws->n)
            break;
        pthread_mutex_unlock(&ws->model_mu);
        ring_bell_wait(&ws->model_bell, model_ready, ws, 100);
        pthread_mutex_lock(&ws->model_mu);
    }
    pthread_mutex_unlock(&ws->model_mu);
    return NULL;
}

void
workers_lock_model(struct workers *ws)
{
    __atomic_store_n(&ws->want_model, 1, __ATOMIC_SEQ_CST);
    ring_bell_ring(&ws->model_bell);
    pthread_mutex_lock(&ws->model_mu);
}

void
workers_unlock_model(struct workers *ws)
{
    __atomic_store_n(&ws->want_model, 0, __ATOMIC_SEQ_CST);
    pthread_mutex_unlock(&ws->model_mu);
}

/* --- capture side -------------------------------------------------------- */

static uint64_t
mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}

static uint64_t
fold_addr(const struct decode_addr *a)
{
    uint64_t x, y;
    memcpy(&x, a->a, 8);
    memcpy(&y, a->a + 8, 8);
    return mix64(x ^ (y * 0x9e3779b97f4a7c15ull));
}

/* Symmetric in the two endpoints; ports left out so that an IP datagram's
 * later fragments (which carry none) follow its first. */
static uint64_t
frame_hash(const struct decoded_pkt *d, enum decode_reason r)
{
    if (r == DECODE_OK) {
        uint64_t a = fold_addr(&d->src), b = fold_addr(&d->dst);
        return mix64((a ^ b) + (a + b) * 31 + d->proto);
    }
    if (d->has_mac) {
        uint64_t a = 0, b = 0;
        memcpy(&a, d->src_mac, 6);
        if (d->has_dst_mac)
            memcpy(&b, d->dst_mac, 6);
        return mix64((a ^ b) + (a + b) * 31);
    }
    return 0;
}

static void
send_control(struct workers *ws, uint32_t type, uint64_t ts_us)
{
    for (unsigned i = 0; i < ws->n; i++) {
        struct worker *w = &ws->w[i];
        struct in_msg *m = ring_reserve_wait(&w->in, sizeof(*m));
        memset(m, 0, sizeof(*m));
        m->type = type;
        m->ts_us = ts_us;
        ring_publish(&w->in);
        w->unpublished = 0;
    }
}

void
workers_packet(struct workers *ws, int dlt, const uint8_t *data, uint32_t caplen,
               uint32_t wirelen, uint64_t ts_us)
{
    struct decoded_pkt d;
    enum decode_reason r = decode_packet(dlt, data, caplen, wirelen, &d);
    uint64_t h = frame_hash(&d, r);
    struct worker *w = &ws->w[(uint64_t)(uint32_t)(h >> 32) * ws->n >> 32];
    struct in_msg *m = ring_reserve_wait(&w->in, sizeof(*m) + caplen);
    if (m == NULL)
        return; /* a frame larger than half a ring: snaplen is far below */
    m->type = IN_FRAME;
    m->dlt = dlt;
    m->caplen = caplen;
    m->wirelen = wirelen;
    m->ts_us = ts_us;
    memcpy(m + 1, data, caplen);
    if (++w->unpublished >= PUBLISH_EVERY) {
        ring_publish(&w->in);
        w->unpublished = 0;
    }
    /* Capture time moves every worker's clock, as it does the single
     * table's: a worker without packets still expires its flows. A jump
     * back in time (a bad timestamp) must not stop the ticks. */
    if (ts_us >= ws->next_tick_us || ws->next_tick_us - ts_us > US_PER_SEC) {
        if (ws->next_tick_us != 0)
            send_control(ws, IN_TICK, ts_us);
        ws->next_tick_us = ts_us + US_PER_SEC;
    }
}

void
workers_tick(struct workers *ws, uint64_t now_us)
{
    send_control(ws, IN_TICK, now_us);
}

static void
join_all(struct workers *ws)
{
    for (unsigned i = 0; i < ws->n; i++)
        if (ws->w[i].started) {
            pthread_join(ws->w[i].thread, NULL);
            ws->w[i].started = false;
        }
    if (ws->model_started) {
        pthread_join(ws->model_thread, NULL);
        ws->model_started = false;
    }
}

void
workers_finish(struct workers *ws)
{
    if (!ws->model_started)
        return;
    send_control(ws, IN_FLUSH, 0);
    join_all(ws);
}

/* Drop what worker w queued for the model, freeing the records' metadata;
 * with until_done, wait for its last message (its thread runs). */
static void
discard_out(struct worker *w, bool until_done)
{
    for (;;) {
        size_t len;
        const uint32_t *t = ring_peek(&w->out, &len);
        if (t == NULL) {
            if (!until_done)
                return;
            struct timespec nap = { 0, 1000000 };
            nanosleep(&nap, NULL);
            continue;
        }
        uint32_t type = *t;
        if (type == OUT_FLOW)
            flow_meta_free(((const struct flow_msg *)t)->meta);
        ring_release(&w->out);
        if (type == OUT_DONE && until_done)
            return;
    }
}

struct workers *
workers_new(const struct pipeline_config *pc, struct model *m, char *errbuf, size_t errlen)
{
    struct workers *ws = xcalloc(1, sizeof(*ws));
    ws->n = pc->workers;
    ws->model = m;
    ws->w = xcalloc(ws->n, sizeof(*ws->w));
    ring_bell_init(&ws->model_bell);
    pthread_mutex_init(&ws->model_mu, NULL);
    /* nDPI modules are not shared between threads. */
    struct pipeline_config own = *pc;
    own.shared_dpi = NULL;
    for (unsigned i = 0; i < ws->n; i++) {
        struct worker *w = &ws->w[i];
        pthread_mutex_init(&w->pub_mu, NULL);
        ring_bell_init(&w->in_bell);
        ring_init(&w->in, IN_RING, &w->in_bell);
        ring_init(&w->out, OUT_RING, &ws->model_bell);
        struct extract_downstream down = { queue_observe, queue_bind, w };
        struct fpath_config fc = {
            .pc = &own, .memcap = pc->flow.memcap / ws->n, .index = i, .count = ws->n,
            .record = queue_record, .record_user = w, .down = &down,
        };
        if (fc.memcap < FLOW_MIN_MEMCAP)
            fc.memcap = FLOW_MIN_MEMCAP;
        w->fp = fpath_new(&fc, errbuf, errlen);
        if (w->fp == NULL)
            goto fail;
    }
    for (unsigned i = 0; i < ws->n; i++) {
        if (pthread_create(&ws->w[i].thread, NULL, worker_main, &ws->w[i]) != 0) {
            snprintf(errbuf, errlen, "cannot start worker thread %u of %u (try fewer --threads)",
                     i + 1, ws->n);
            goto fail;
        }
        ws->w[i].started = true;
    }
    if (pthread_create(&ws->model_thread, NULL, model_main, ws) != 0) {
        snprintf(errbuf, errlen, "cannot start the model thread (try fewer --threads)");
        goto fail;
    }
    ws->model_started = true;
    return ws;
fail:
    /* Started workers end on a flush; their records reach no model. */
    for (unsigned i = 0; i < ws->n; i++)
        if (ws->w[i].started) {
            struct in_msg *msg = ring_reserve_wait(&ws->w[i].in, sizeof(*msg));
            memset(msg, 0, sizeof(*msg));
            msg->type = IN_FLUSH;
            ring_publish(&ws->w[i].in);
        }
    for (unsigned i = 0; i < ws->n; i++)
        if (ws->w[i].started) {
            /* Drain its out ring meanwhile, so the flush cannot block. */
            struct worker *w = &ws->w[i];
            discard_out(w, true);
            pthread_join(w->thread, NULL);
            w->started = false;
        }
    workers_free(ws);
    return NULL;
}

void
workers_stat(struct workers *ws, unsigned i, struct fpath_stat *out)
{
    struct worker *w = &ws->w[i];
    pthread_mutex_lock(&w->pub_mu);
    *out = w->pub;
    pthread_mutex_unlock(&w->pub_mu);
}

const struct dpi *
workers_names(const struct workers *ws)
{
    return ws->n > 0 && ws->w[0].fp != NULL ? fpath_dpi(ws->w[0].fp) : NULL;
}

void
workers_free(struct workers *ws)
{
    if (ws == NULL)
        return;
    join_all(ws);
    for (unsigned i = 0; i < ws->n; i++) {
        struct worker *w = &ws->w[i];
        /* Records nobody took (a run that never finished). */
        if (w->out.buf != NULL)
            discard_out(w, false);
        fpath_free(w->fp);
        if (w->in.buf != NULL)
            ring_destroy(&w->in);
        if (w->out.buf != NULL)
            ring_destroy(&w->out);
        ring_bell_destroy(&w->in_bell);
        pthread_mutex_destroy(&w->pub_mu);
    }
    free(ws->w);
    ring_bell_destroy(&ws->model_bell);
    pthread_mutex_destroy(&ws->model_mu);
    free(ws);
}
