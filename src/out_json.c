/* out_json.c - NDJSON writer: the ring, the writer thread, evidence and stats
 * events (flow events are formatted in out_flow.c; see out_int.h).
 *
 * Envelope: Suricata EVE (https://docs.suricata.io/en/latest/output/eve/
 * eve-json-format.html). A line is printed into one reusable buffer and
 * written with a single fwrite, so a line is either whole or absent.
 *
 * Flow records are formatted on a writer thread: the packet path only
 * copies the flow (and hands over its metadata) into a bounded ring, so
 * building JSON and hashing the Community ID take the other core. When the
 * ring is full the packet path waits: offline, no record is ever dropped.
 *
 * Each line goes to every output (out_sink.c): files and stdout are written
 * by this thread and block it; network outputs queue or drop, never block.
 * Between lines the thread reopens the files when SIGHUP asked for it.
 */
#include "telexpose/out_json.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "telexpose/dpi.h"
#include "telexpose/pipeline.h"
#include "telexpose/xalloc.h"

#include "out_int.h"
#include "out_sink.h"

#define OUT_BUF_INIT 8192
#define OUT_RING 4096      /* flow records queued for the writer thread */
#define OUT_BATCH 64       /* wake the writer for this many records, not each one */
#define OUT_IDLE_MS 250    /* an idle writer flushes files and sees SIGHUP this often */

/* A queued evidence event and the copies of its strings (one block). */
struct ev_rec {
    struct out_evidence e;
    char text[];                   /* device, value, model, version */
};

struct out {
    struct out_sink **sinks;       /* owned, n_sinks of them */
    size_t n_sinks;
    bool failed;       /* a record could not be printed: sticky, reported at close */
    int err;           /* errno of the first failure */
    char *line;        /* reusable print buffer */
    size_t line_cap;
    const struct dpi *dpi;
    uint64_t events;
    volatile sig_atomic_t *reopen; /* SIGHUP's flag, or NULL; set under mu */

    /* writer thread; all below under mu */
    bool threaded;                 /* false: records are written inline */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t has_work;       /* producer -> writer */
    pthread_cond_t has_room;       /* writer -> producer and drain waiters */
    struct out_rec *ring;
    size_t head;                   /* next record to write */
    size_t count;                  /* records queued */
    bool busy;                     /* the writer is formatting a batch */
    bool waiting;                  /* the writer sleeps on has_work */
    bool stopping;
};

static void write_evidence(struct out *o, const struct out_evidence *e);

/* Between lines: reopen the files when flag asks, then clear it. */
static void
reopen_if_asked(struct out *o, volatile sig_atomic_t *flag)
{
    /* Atomic: the flag is set by a handler on another thread. Cleared
     * first: a SIGHUP arriving while the files reopen asks again. */
    if (flag == NULL || __atomic_exchange_n(flag, 0, __ATOMIC_ACQ_REL) == 0)
        return;
    for (size_t i = 0; i < o->n_sinks; i++)
        out_sink_reopen(o->sinks[i]);
}

static void
flush_files(struct out *o)
{
    for (size_t i = 0; i < o->n_sinks; i++)
        out_sink_flush(o->sinks[i]);
}

static void
write_rec(struct out *o, const struct out_rec *r)
{
    if (r->tree != NULL) {
        out_emit(o, r->tree); /* frees it */
        ((struct out_rec *)r)->tree = NULL;
    } else if (r->ev != NULL)
        write_evidence(o, &r->ev->e);
    else
        out_write_flow(o, r);
}

static void *
writer_main(void *arg)
{
    struct out *o = arg;
    /* Signals go to the packet thread, which flushes and stops; here they
     * would only interrupt writes. */
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    pthread_mutex_lock(&o->mu);
    for (;;) {
        volatile sig_atomic_t *flag = o->reopen;
        if (o->count == 0 && !o->stopping) {
            /* Idle: what was written reaches the files (a live capture's
             * consumer tails them), and SIGHUP is seen within OUT_IDLE_MS. */
            pthread_mutex_unlock(&o->mu);
            flush_files(o);
            reopen_if_asked(o, flag);
            pthread_mutex_lock(&o->mu);
            if (o->count == 0 && !o->stopping) {
                struct timespec ts;
                clock_gettime(CLOCK_MONOTONIC, &ts);
                ts.tv_nsec += OUT_IDLE_MS * 1000000L;
                if (ts.tv_nsec >= 1000000000L) {
                    ts.tv_sec++;
                    ts.tv_nsec -= 1000000000L;
                }
                o->waiting = true;
                pthread_cond_timedwait(&o->has_work, &o->mu, &ts);
                o->waiting = false;
            }
            continue;
        }
        if (o->count == 0)
            break;
        size_t head = o->head, n = o->count;
        o->busy = true;
        pthread_mutex_unlock(&o->mu);
        /* Slots [head, head + n) belong to this thread until released. */
        for (size_t i = 0; i < n; i++) {
            reopen_if_asked(o, flag);
            write_rec(o, &o->ring[(head + i) % OUT_RING]);
        }
        pthread_mutex_lock(&o->mu);
        o->head = (head + n) % OUT_RING;
        o->count -= n;
        o->busy = false;
        pthread_cond_broadcast(&o->has_room);
    }
    pthread_mutex_unlock(&o->mu);
    return NULL;
}

/* Wait until every queued record is written. */
static void
out_drain(struct out *o)
{
    if (!o->threaded)
        return;
    pthread_mutex_lock(&o->mu);
    if (o->count > 0)
        pthread_cond_signal(&o->has_work);
    while (o->count > 0 || o->busy)
        pthread_cond_wait(&o->has_room, &o->mu);
    pthread_mutex_unlock(&o->mu);
}

/* A writer for sinks[0..n) (taken over). */
static struct out *
out_new(struct out_sink **sinks, size_t n)
{
    struct out *o = xcalloc(1, sizeof(*o));
    o->sinks = sinks;
    o->n_sinks = n;
    o->line_cap = OUT_BUF_INIT;
    o->line = xmalloc(o->line_cap);
    o->ring = xcalloc(OUT_RING, sizeof(struct out_rec));
    pthread_mutex_init(&o->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&o->has_work, &ca);
    pthread_condattr_destroy(&ca);
    pthread_cond_init(&o->has_room, NULL);
    /* Without a thread the records are written inline: slower, not wrong. */
    o->threaded = pthread_create(&o->thread, NULL, writer_main, o) == 0;
    return o;
}

struct out *
out_open(const char *path, char *errbuf, size_t errlen)
{
    return out_open_multi(path, NULL, 0, errbuf, errlen);
}

struct out *
out_open_multi(const char *path, const char *const *specs, size_t n_specs, char *errbuf,
               size_t errlen)
{
    /* -o alone replaces standard output; -w adds to the -o outputs. */
    bool with_path = path != NULL || n_specs == 0;
    size_t n = n_specs + (with_path ? 1 : 0);
    struct out_sink **sinks = xcalloc(n, sizeof(*sinks));
    size_t k = 0;
    int n_syslog = 0, n_stdout = with_path && (path == NULL || strcmp(path, "-") == 0);
    for (size_t i = 0; i < n_specs; i++) {
        struct out_sink_spec sp;
        if (out_sink_parse(specs[i], &sp, errbuf, errlen) != 0)
            goto fail;
        /* Every line twice on one stream is a mistake, not a wish. */
        if (sp.kind == OUT_SINK_STDOUT && n_stdout++ > 0) {
            snprintf(errbuf, errlen, "-o %s: standard output is already an output (-w -)",
                     specs[i]);
            goto fail;
        }
        /* openlog(3) is per process: one facility. */
        if (sp.kind == OUT_SINK_SYSLOG && n_syslog++ > 0) {
            snprintf(errbuf, errlen, "-o %s: only one syslog output is possible", specs[i]);
            goto fail;
        }
    }
    if (with_path && (sinks[k] = out_sink_open(path, true, errbuf, errlen)) == NULL)
        goto fail;
    k += with_path;
    for (size_t i = 0; i < n_specs; i++, k++) {
        if ((sinks[k] = out_sink_open(specs[i], false, errbuf, errlen)) == NULL)
            goto fail;
    }
    return out_new(sinks, n);
fail:
    for (size_t i = 0; i < k; i++) {
        char e2[8];
        out_sink_close(sinks[i], e2, sizeof(e2));
    }
    free(sinks);
    return NULL;
}

void
out_set_reopen_flag(struct out *o, volatile sig_atomic_t *flag)
{
    pthread_mutex_lock(&o->mu);
    o->reopen = flag;
    pthread_mutex_unlock(&o->mu);
}

size_t
out_sink_stats(struct out *o, struct out_sink_stat *st, size_t max)
{
    for (size_t i = 0; i < o->n_sinks && i < max; i++)
        out_sink_stat(o->sinks[i], &st[i]);
    return o->n_sinks;
}

int
out_close(struct out *o, char *errbuf, size_t errlen)
{
    if (o == NULL)
        return 0;
    if (o->threaded) {
        pthread_mutex_lock(&o->mu);
        o->stopping = true;
        pthread_cond_signal(&o->has_work);
        pthread_mutex_unlock(&o->mu);
        pthread_join(o->thread, NULL);
    }
    pthread_mutex_destroy(&o->mu);
    pthread_cond_destroy(&o->has_work);
    pthread_cond_destroy(&o->has_room);
    for (size_t i = 0; i < OUT_RING; i++) {
        flow_meta_free(o->ring[i].f.meta);
        free(o->ring[i].ev);
    }
    free(o->ring);
    int rc = 0;
    if (o->failed) {
        snprintf(errbuf, errlen, "writing events failed: %s", strerror(o->err));
        rc = -1;
    }
    /* The network outputs share one grace period to deliver their queues. */
    for (size_t i = 0; i < o->n_sinks; i++)
        out_sink_stop(o->sinks[i], OUT_SINK_GRACE_MS);
    for (size_t i = 0; i < o->n_sinks; i++) {
        char e[512];
        if (out_sink_close(o->sinks[i], e, sizeof(e)) != 0 && rc == 0) {
            snprintf(errbuf, errlen, "%s", e);
            rc = -1;
        }
    }
    free(o->sinks);
    free(o->line);
    free(o);
    return rc;
}

void
out_set_dpi(struct out *o, const struct dpi *d)
{
    o->dpi = d;
}

const char *
out_lib_version(void)
{
    return cJSON_Version();
}

uint64_t
out_events(struct out *o)
{
    out_drain(o);
    return o->events;
}

/* Digits of v into buf (>= 21 bytes); returns buf. printf is the single
 * largest cost of writing a record, so the hot formatters are by hand. */
static char *
fmt_u64(uint64_t v, char *buf)
{
    char tmp[20];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    for (int i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return buf;
}

char *
out_format_ts(uint64_t us, char *buf, size_t len)
{
    char tmp[32];
    time_t secs = (time_t)(us / 1000000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    /* Fixed layout: YYYY-MM-DDTHH:MM:SS.uuuuuu+0000 (31 chars). */
    int vals[6] = { tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                    tm.tm_sec };
    int y = vals[0] % 10000;
    tmp[0] = (char)('0' + y / 1000), tmp[1] = (char)('0' + y / 100 % 10);
    tmp[2] = (char)('0' + y / 10 % 10), tmp[3] = (char)('0' + y % 10);
    static const char seps[] = "--T::";
    for (int i = 1; i < 6; i++) {
        tmp[4 + (i - 1) * 3] = seps[i - 1];
        tmp[5 + (i - 1) * 3] = (char)('0' + vals[i] / 10 % 10);
        tmp[6 + (i - 1) * 3] = (char)('0' + vals[i] % 10);
    }
    tmp[19] = '.';
    unsigned frac = (unsigned)(us % 1000000);
    for (int i = 25; i >= 20; i--, frac /= 10)
        tmp[i] = (char)('0' + frac % 10);
    memcpy(tmp + 26, "+0000", 6);
    if (len == 0)
        return buf;
    size_t n = len < 32 ? len - 1 : 31;
    memcpy(buf, tmp, n);
    buf[n] = '\0';
    return buf;
}

/* Print root as one line and write it. Never writes a partial object: the
 * whole line goes to each output in one piece (one fwrite for files). */
void
out_emit(struct out *o, cJSON *root)
{
    for (;;) {
        if (cJSON_PrintPreallocated(root, o->line, (int)o->line_cap - 2, 0))
            break;
        if (o->line_cap > (64u << 20)) {
            /* A record this large is a bug; dropping it beats dying, and
             * the run is marked failed so the loss is not silent. */
            cJSON_Delete(root);
            if (!o->failed) {
                o->failed = true;
                o->err = EMSGSIZE;
            }
            return;
        }
        o->line_cap *= 2;
        o->line = xreallocarray(o->line, o->line_cap, 1);
    }
    cJSON_Delete(root);
    size_t n = strlen(o->line);
    o->line[n++] = '\n';
    for (size_t i = 0; i < o->n_sinks; i++)
        out_sink_write(o->sinks[i], o->line, n);
    o->events++;
}

void
out_add_u64(cJSON *obj, const char *key, uint64_t v)
{
    /* cJSON prints doubles with %g, which turns a 16-digit flow_id into
     * 1.95652508326097e+15; integers go out as exact decimal text. */
    char num[24];
    out_put(obj, key, cJSON_CreateRaw(fmt_u64(v, num)));
}

const char out_hexdig[] = "0123456789abcdef";

const char *
out_addr_str(const uint8_t *a, uint8_t version, char *buf, size_t len)
{
    if (version == 6)
        return inet_ntop(AF_INET6, a, buf, (socklen_t)len);
    char *p = buf;
    for (int i = 0; i < 4; i++) {
        unsigned v = a[i];
        if (v >= 100)
            *p++ = (char)('0' + v / 100);
        if (v >= 10)
            *p++ = (char)('0' + v / 10 % 10);
        *p++ = (char)('0' + v % 10);
        *p++ = i < 3 ? '.' : '\0';
    }
    return buf;
}

char *
out_mac_str(const uint8_t m[6], char *buf)
{
    for (int i = 0; i < 6; i++) {
        buf[i * 3] = out_hexdig[m[i] >> 4];
        buf[i * 3 + 1] = out_hexdig[m[i] & 15];
        buf[i * 3 + 2] = i < 5 ? ':' : '\0';
    }
    return buf;
}

static void
copy_name(char *dst, const char *src)
{
    size_t n = strlen(src);
    if (n >= OUT_NAME)
        n = OUT_NAME - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* The next free ring slot (waiting while the ring is full), with what its
 * previous record owned released. Freeing here, on the thread that
 * allocated it, avoids contending for malloc's arena lock with the writer. */
static struct out_rec *
slot_take(struct out *o, struct out_rec *local)
{
    struct out_rec *r = local;
    local->f.meta = NULL; /* used when unthreaded: nothing to release */
    local->ev = NULL;
    local->tree = NULL;
    if (o->threaded) {
        pthread_mutex_lock(&o->mu);
        while (o->count == OUT_RING) {
            pthread_cond_signal(&o->has_work);
            pthread_cond_wait(&o->has_room, &o->mu);
        }
        r = &o->ring[(o->head + o->count) % OUT_RING];
        pthread_mutex_unlock(&o->mu);
    }
    flow_meta_free(r->f.meta);
    r->f.meta = NULL;
    free(r->ev);
    r->ev = NULL;
    r->tree = NULL; /* written (and freed) by the writer */
    return r;
}

/* Hand the filled slot to the writer (or write it now when unthreaded). */
static void
slot_commit(struct out *o, struct out_rec *r)
{
    if (!o->threaded) {
        reopen_if_asked(o, o->reopen);
        write_rec(o, r);
        flow_meta_free(r->f.meta);
        r->f.meta = NULL;
        free(r->ev);
        r->ev = NULL;
        return;
    }
    pthread_mutex_lock(&o->mu);
    o->count++;
    /* Waking the writer per record costs a futex call each; a batch amortises
     * it. Drain and close wake it for the rest. */
    if (o->waiting && o->count >= OUT_BATCH)
        pthread_cond_signal(&o->has_work);
    pthread_mutex_unlock(&o->mu);
}

void
out_flow(struct out *o, const struct flow *f, struct flow_meta *meta,
         enum flow_end_reason reason, const struct out_endpoints *v)
{
    struct out_rec local;
    struct out_rec *r = slot_take(o, &local);
    r->f = *f;
    r->f.meta = meta;
    r->reason = reason;
    if (v != NULL)
        r->vendors = *v;
    else
        memset(&r->vendors, 0, sizeof(r->vendors));
    r->inspected = o->dpi != NULL && f->dpi_status != DPI_NONE;
    if (r->inspected) {
        copy_name(r->master, dpi_proto_name(o->dpi, f->dpi_master));
        copy_name(r->app, dpi_proto_name(o->dpi, f->dpi_app));
        copy_name(r->category, dpi_category_name(o->dpi, f->dpi_category));
        dpi_flow_proto_str(o->dpi, f, r->proto, sizeof(r->proto));
        r->nrisks = 0;
        for (unsigned b = 1; b < 64 && f->dpi_risk; b++) {
            const char *rn = (f->dpi_risk & (1ull << b)) ? dpi_risk_name(b) : NULL;
            if (rn != NULL)
                r->risks[r->nrisks++] = rn;
        }
    }
    slot_commit(o, r);
}

/* Copy s (NULL = "") into the block at *p; returns the copy. */
static const char *
ev_copy(char **p, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    char *d = *p;
    if (n)
        memcpy(d, s, n);
    d[n] = '\0';
    *p += n + 1;
    return d;
}

void
out_evidence(struct out *o, const struct out_evidence *ev)
{
    const char *strs[4] = { ev->device, ev->value, ev->model, ev->version };
    size_t need = 0;
    for (int i = 0; i < 4; i++)
        need += (strs[i] ? strlen(strs[i]) : 0) + 1;
    struct ev_rec *er = xmalloc(sizeof(*er) + need);
    er->e = *ev;
    char *p = er->text;
    er->e.device = ev_copy(&p, ev->device);
    er->e.value = ev_copy(&p, ev->value);
    er->e.model = ev_copy(&p, ev->model);
    er->e.version = ev_copy(&p, ev->version);

    struct out_rec local;
    struct out_rec *r = slot_take(o, &local);
    r->ev = er;
    slot_commit(o, r);
}

void
out_queue_tree(struct out *o, cJSON *root)
{
    struct out_rec local;
    struct out_rec *r = slot_take(o, &local);
    r->tree = root;
    slot_commit(o, r);
}

static void
write_evidence(struct out *o, const struct out_evidence *e)
{
    char ts[32], ip[INET6_ADDRSTRLEN], mac[18];
    cJSON *root = cJSON_CreateObject();
    out_put_ref(root, "timestamp", out_format_ts(e->ts_us, ts, sizeof(ts)));
    if (e->flow_id != 0)
        out_add_u64(root, "flow_id", e->flow_id);
    out_put_ref(root, "event_type", "evidence");
    cJSON *ev = out_put_obj(root, "evidence");
    out_put_ref(ev, "device", e->device);
    if (e->has_mac) {
        out_put_ref(ev, "mac", out_mac_str(e->mac, mac));
        out_put_ref(ev, "mac_source", e->mac_source);
    }
    if (e->ip.family != 0)
        out_put_ref(ev, "ip", out_addr_str(e->ip.a, e->ip.family, ip, sizeof(ip)));
    out_put_ref(ev, "vendor", e->vendor);
    out_put_ref(ev, "counts_as", e->counts_as);
    out_put_ref(ev, "pack", e->pack);
    out_put_ref(ev, "rule", e->rule);
    out_put_ref(ev, "field", e->field);
    out_put_ref(ev, "value", e->value);
    out_put(ev, "confidence", cJSON_CreateNumber(e->confidence));
    out_put_ref(ev, "model", e->model); /* absent when empty */
    out_put_ref(ev, "version", e->version);
    out_emit(o, root);
}
