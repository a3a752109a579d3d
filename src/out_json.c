/* out_json.c - NDJSON events through cJSON (the only file that includes it).
 *
 * Envelope: Suricata EVE (https://docs.suricata.io/en/latest/output/eve/
 * eve-json-format.html). A line is printed into one reusable buffer and
 * written with a single fwrite, so a line is either whole or absent.
 *
 * Flow records are formatted on a writer thread: the packet path only
 * copies the flow (and hands over its metadata) into a bounded ring, so
 * building JSON and hashing the Community ID take the other core. When the
 * ring is full the packet path waits: offline, no record is ever dropped.
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

#include <cJSON.h>

#include "telexpose/communityid.h"
#include "telexpose/dpi.h"
#include "telexpose/pipeline.h"
#include "telexpose/xalloc.h"

#define OUT_BUF_INIT 8192
#define OUT_STDIO_BUF (1u << 20)
#define OUT_RING 4096      /* flow records queued for the writer thread */
#define OUT_BATCH 64       /* wake the writer for this many records, not each one */
#define OUT_NAME 48

/* One queued flow record: a copy of the flow, with f.meta owned by the
 * record, and nDPI names resolved on the packet path (the writer never
 * calls into the nDPI module, which is not thread-safe). */
struct out_rec {
    struct flow f;
    enum flow_end_reason reason;
    bool inspected;                /* nDPI saw the flow: names are valid */
    char master[OUT_NAME];
    char app[OUT_NAME];
    char category[OUT_NAME];
    char proto[OUT_NAME];          /* "TLS.Google" */
    uint8_t nrisks;
    const char *risks[64];         /* nDPI's static risk names */
    struct out_vendors vendors;
    struct ev_rec *ev;             /* non-NULL: an evidence event, not a flow */
};

/* A queued evidence event and the copies of its strings (one block). */
struct ev_rec {
    struct out_evidence e;
    char text[];                   /* device, value, model, version */
};

struct out {
    FILE *fp;
    bool is_stdout;
    bool failed;       /* a write failed: sticky, reported at close */
    int err;           /* errno of the first failure */
    char *path;
    char *line;        /* reusable print buffer */
    size_t line_cap;
    char *stdio_buf;
    const struct dpi *dpi;
    uint64_t events;

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

static void write_flow(struct out *o, const struct out_rec *r);
static void write_evidence(struct out *o, const struct out_evidence *e);

static void
write_rec(struct out *o, const struct out_rec *r)
{
    if (r->ev != NULL)
        write_evidence(o, &r->ev->e);
    else
        write_flow(o, r);
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
        while (o->count == 0 && !o->stopping) {
            o->waiting = true;
            pthread_cond_wait(&o->has_work, &o->mu);
            o->waiting = false;
        }
        if (o->count == 0)
            break;
        size_t head = o->head, n = o->count;
        o->busy = true;
        pthread_mutex_unlock(&o->mu);
        /* Slots [head, head + n) belong to this thread until released. */
        for (size_t i = 0; i < n; i++)
            write_rec(o, &o->ring[(head + i) % OUT_RING]);
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

struct out *
out_open(const char *path, char *errbuf, size_t errlen)
{
    struct out *o = xcalloc(1, sizeof(*o));
    if (path == NULL || strcmp(path, "-") == 0) {
        o->fp = stdout;
        o->is_stdout = true;
        o->path = xstrdup("<stdout>");
    } else {
        o->fp = fopen(path, "w");
        if (o->fp == NULL) {
            snprintf(errbuf, errlen, "cannot open output file %s: %s (check the directory "
                     "exists and is writable)", path, strerror(errno));
            free(o);
            return NULL;
        }
        o->path = xstrdup(path);
    }
    /* A big buffer for files only: stdout outlives this writer, so it keeps
     * its own (full buffering when it is not a terminal). */
    if (!o->is_stdout) {
        o->stdio_buf = xmalloc(OUT_STDIO_BUF);
        setvbuf(o->fp, o->stdio_buf, _IOFBF, OUT_STDIO_BUF);
    }
    o->line_cap = OUT_BUF_INIT;
    o->line = xmalloc(o->line_cap);
    o->ring = xcalloc(OUT_RING, sizeof(struct out_rec));
    pthread_mutex_init(&o->mu, NULL);
    pthread_cond_init(&o->has_work, NULL);
    pthread_cond_init(&o->has_room, NULL);
    /* Without a thread the records are written inline: slower, not wrong. */
    o->threaded = pthread_create(&o->thread, NULL, writer_main, o) == 0;
    return o;
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
    if (fflush(o->fp) != 0 && !o->failed) {
        o->failed = true;
        o->err = errno;
    }
    if (!o->is_stdout && fclose(o->fp) != 0 && !o->failed) {
        o->failed = true;
        o->err = errno;
    }
    int rc = 0;
    if (o->failed) {
        snprintf(errbuf, errlen, "writing events to %s failed: %s", o->path, strerror(o->err));
        rc = -1;
    }
    free(o->stdio_buf);
    free(o->line);
    free(o->path);
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
 * whole line goes out in one fwrite into the stdio buffer. */
static void
emit(struct out *o, cJSON *root)
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
    if (fwrite(o->line, 1, n, o->fp) != n) {
        if (!o->failed) {
            o->failed = true;
            o->err = errno;
        }
        return;
    }
    o->events++;
}

/* Keys are string literals: cJSON's *CS calls keep them without a copy. */
static void
put(cJSON *obj, const char *key, cJSON *item)
{
    cJSON_AddItemToObjectCS(obj, key, item);
}

static cJSON *
put_obj(cJSON *obj, const char *key)
{
    cJSON *o = cJSON_CreateObject();
    put(obj, key, o);
    return o;
}

/* A string that outlives the print (a literal, or a buffer of the caller's
 * frame, or flow metadata): referenced, not copied. */
static void
put_ref(cJSON *obj, const char *key, const char *val)
{
    if (val != NULL && val[0] != '\0')
        put(obj, key, cJSON_CreateStringReference(val));
}

static void
add_str(cJSON *obj, const char *key, const char *val)
{
    if (val != NULL && val[0] != '\0')
        put(obj, key, cJSON_CreateString(val));
}

static void
add_u64(cJSON *obj, const char *key, uint64_t v)
{
    /* cJSON prints doubles with %g, which turns a 16-digit flow_id into
     * 1.95652508326097e+15; integers go out as exact decimal text. */
    char num[24];
    put(obj, key, cJSON_CreateRaw(fmt_u64(v, num)));
}

static const char hexdig[] = "0123456789abcdef";

/* Hashes in lowercase hex, as Suricata and the JA3/HASSH references print
 * them (nDPI 4.2 prints HASSH in uppercase). */
static void
add_hash(cJSON *parent, const char *name, const char *hex)
{
    char low[65];
    size_t i = 0;
    for (; hex[i] != '\0' && i + 1 < sizeof(low); i++)
        low[i] = (char)((hex[i] >= 'A' && hex[i] <= 'F') ? hex[i] + 32 : hex[i]);
    low[i] = '\0';
    add_str(put_obj(parent, name), "hash", low);
}

static const char *
addr_str(const uint8_t *a, uint8_t version, char *buf, size_t len)
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

static const char *
proto_name(uint8_t proto, char *buf)
{
    switch (proto) {
    case 1:
        return "ICMP";
    case 2:
        return "IGMP";
    case 6:
        return "TCP";
    case 17:
        return "UDP";
    case 47:
        return "GRE";
    case 50:
        return "ESP";
    case 51:
        return "AH";
    case 58:
        return "IPv6-ICMP";
    case 89:
        return "OSPF";
    case 103:
        return "PIM";
    case 112:
        return "VRRP";
    case 132:
        return "SCTP";
    default:
        buf[0] = (char)('0' + proto / 100);
        buf[1] = (char)('0' + proto / 10 % 10);
        buf[2] = (char)('0' + proto % 10);
        buf[3] = '\0';
        return buf;
    }
}

static char *
mac_str(const uint8_t m[6], char *buf)
{
    for (int i = 0; i < 6; i++) {
        buf[i * 3] = hexdig[m[i] >> 4];
        buf[i * 3 + 1] = hexdig[m[i] & 15];
        buf[i * 3 + 2] = i < 5 ? ':' : '\0';
    }
    return buf;
}

static char *
hex8(uint8_t v, char *buf)
{
    buf[0] = hexdig[v >> 4];
    buf[1] = hexdig[v & 15];
    buf[2] = '\0';
    return buf;
}

/* Per-record text that cJSON references instead of copying; lives in
 * out_flow's frame until the line is printed. */
struct flow_text {
    char start[32], end[32];
    char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
    char proto[4];
    char cid[COMMUNITYID_BUFLEN];
    char mac[2][18];
    char flags[3][3];
    char app[OUT_NAME];
};

static void
add_tcp(cJSON *root, const struct flow *f, struct flow_text *tx)
{
    cJSON *t = put_obj(root, "tcp");
    uint8_t all = f->tcp_flags[0] | f->tcp_flags[1];
    put_ref(t, "tcp_flags", hex8(all, tx->flags[0]));
    put_ref(t, "tcp_flags_ts", hex8(f->tcp_flags[0], tx->flags[1]));
    put_ref(t, "tcp_flags_tc", hex8(f->tcp_flags[1], tx->flags[2]));
    static const struct {
        uint8_t bit;
        const char *name;
    } bits[] = { { 0x02, "syn" }, { 0x01, "fin" }, { 0x04, "rst" },
                 { 0x08, "psh" }, { 0x10, "ack" }, { 0x20, "urg" } };
    for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
        if (all & bits[i].bit)
            put(t, bits[i].name, cJSON_CreateTrue());
    put_ref(t, "state", flow_tcp_state_name((enum flow_tcp_state)f->tcp_state));
}

static void
add_app_meta(cJSON *root, const struct flow *f, const char *app)
{
    const struct flow_meta *m = f->meta;
    if (m == NULL)
        return;
    bool tls = strcmp(app, "tls") == 0 || strcmp(app, "quic") == 0;
    if (tls || m->tls_issuer || m->ja3c || m->ja3s) {
        cJSON *t = put_obj(root, "tls");
        put_ref(t, "sni", tls ? m->host : NULL);
        put_ref(t, "subject", m->tls_subject);
        put_ref(t, "issuerdn", m->tls_issuer);
        if (m->tls_version != 0) {
            char v[5] = { hexdig[m->tls_version >> 12], hexdig[(m->tls_version >> 8) & 15],
                          hexdig[(m->tls_version >> 4) & 15], hexdig[m->tls_version & 15], 0 };
            add_str(t, "version_raw", v);
        }
        if (m->ja3c)
            add_hash(t, "ja3", m->ja3c);
        if (m->ja3s)
            add_hash(t, "ja3s", m->ja3s);
    }
    if (m->http_url || m->http_ua || strcmp(app, "http") == 0) {
        cJSON *h = put_obj(root, "http");
        put_ref(h, "hostname", m->host);
        put_ref(h, "url", m->http_url);
        put_ref(h, "http_user_agent", m->http_ua);
    }
    if ((strcmp(app, "dns") == 0 || strcmp(app, "mdns") == 0 || strcmp(app, "llmnr") == 0) &&
        m->host)
        put_ref(put_obj(root, "dns"), "rrname", m->host);
    if (m->ssh_client || m->ssh_server) {
        cJSON *s = put_obj(root, "ssh");
        if (m->ssh_client || m->hassh_client) {
            cJSON *c = put_obj(s, "client");
            put_ref(c, "software_version", m->ssh_client);
            if (m->hassh_client)
                add_hash(c, "hassh", m->hassh_client);
        }
        if (m->ssh_server || m->hassh_server) {
            cJSON *c = put_obj(s, "server");
            put_ref(c, "software_version", m->ssh_server);
            if (m->hassh_server)
                add_hash(c, "hassh", m->hassh_server);
        }
    }
    if (m->dhcp_class || m->dhcp_fp) {
        cJSON *d = put_obj(root, "dhcp");
        put_ref(d, "vendor_class_identifier", m->dhcp_class);
        put_ref(d, "fingerprint", m->dhcp_fp);
        put_ref(d, "hostname", m->host);
    }
}

/* Lowercase nDPI name of the flow's protocol, EVE-style ("tls", "dns"). */
static void
app_proto(const struct out_rec *r, char *buf, size_t len)
{
    const char *n = r->f.dpi_master ? r->master : r->app;
    size_t i = 0;
    for (; n[i] != '\0' && i + 1 < len; i++)
        buf[i] = (char)((n[i] >= 'A' && n[i] <= 'Z') ? n[i] + 32 : n[i]);
    buf[i] = '\0';
}

static void
add_ndpi(cJSON *root, const struct out_rec *r)
{
    const struct flow *f = &r->f;
    cJSON *n = put_obj(root, "ndpi");
    put_ref(n, "protocol", r->proto);
    put_ref(n, "master_protocol", r->master);
    put_ref(n, "app_protocol", r->app);
    put_ref(n, "category", r->category);
    if (f->meta)
        put_ref(n, "hostname", f->meta->host);
    if (r->nrisks > 0) {
        cJSON *arr = cJSON_CreateArray();
        put(n, "risks", arr);
        for (unsigned i = 0; i < r->nrisks; i++)
            cJSON_AddItemToArray(arr, cJSON_CreateStringReference(r->risks[i]));
    }
    add_u64(n, "packets_inspected", f->dpi_pkts);
}

static void
add_tunnel(cJSON *root, const struct flow_meta *m)
{
    cJSON *tn = put_obj(root, "tunnel");
    put_ref(tn, "type", decode_tunnel_name((enum decode_tunnel)m->tunnel));
    char b[64];
    add_str(tn, "src_ip", decode_addr_str(&m->outer_src, b, sizeof(b)));
    add_str(tn, "dest_ip", decode_addr_str(&m->outer_dst, b, sizeof(b)));
    if (m->tunnel_id)
        add_u64(tn, "id", m->tunnel_id);
}

static void
write_flow(struct out *o, const struct out_rec *r)
{
    const struct flow *f = &r->f;
    enum flow_end_reason reason = r->reason;
    struct flow_text tx;
    cJSON *root = cJSON_CreateObject();
    put_ref(root, "timestamp", out_format_ts(f->rec_start_us, tx.start, sizeof(tx.start)));
    add_u64(root, "flow_id", f->flow_id);
    put_ref(root, "event_type", "flow");
    uint8_t v = f->key.ip_version;
    bool ports = decode_proto_has_ports(f->key.proto);
    put_ref(root, "src_ip", addr_str(flow_src_addr(f), v, tx.src, sizeof(tx.src)));
    if (ports)
        add_u64(root, "src_port", flow_src_port(f));
    put_ref(root, "dest_ip", addr_str(flow_dst_addr(f), v, tx.dst, sizeof(tx.dst)));
    if (ports)
        add_u64(root, "dest_port", flow_dst_port(f));
    put_ref(root, "proto", proto_name(f->key.proto, tx.proto));
    bool icmp = decode_proto_is_icmp(f->key.proto);
    if (icmp) {
        add_u64(root, "icmp_type", f->icmp_type);
        add_u64(root, "icmp_code", f->icmp_code);
    }
    if (f->key.vlan[0] || f->key.vlan[1]) {
        cJSON *vl = cJSON_CreateArray();
        put(root, "vlan", vl);
        for (int i = 0; i < 2 && f->key.vlan[i]; i++)
            cJSON_AddItemToArray(vl, cJSON_CreateNumber((double)f->key.vlan[i]));
    }

    struct communityid_tuple t;
    t.addr_len = v == 4 ? 4 : 16;
    memcpy(t.saddr, flow_src_addr(f), 16);
    memcpy(t.daddr, flow_dst_addr(f), 16);
    t.proto = f->key.proto;
    t.has_ports = ports || icmp;
    t.sport = ports ? flow_src_port(f) : f->icmp_type;
    t.dport = ports ? flow_dst_port(f) : f->icmp_code;
    put_ref(root, "community_id", communityid_v1(&t, 0, true, tx.cid));

    if (f->has_mac[0] || f->has_mac[1]) {
        cJSON *e = put_obj(root, "ether");
        if (f->has_mac[0])
            put_ref(e, "src_mac", mac_str(f->mac[0], tx.mac[0]));
        if (f->has_mac[1])
            put_ref(e, "dest_mac", mac_str(f->mac[1], tx.mac[1]));
    }

    const struct out_vendors *vv = &r->vendors;
    if (vv->src_mac || vv->dest_mac || vv->src_ip || vv->dest_ip) {
        cJSON *ve = put_obj(root, "vendor");
        put_ref(ve, "src_mac", vv->src_mac);
        put_ref(ve, "dest_mac", vv->dest_mac);
        put_ref(ve, "src_ip", vv->src_ip);
        put_ref(ve, "dest_ip", vv->dest_ip);
    }

    tx.app[0] = '\0';
    bool inspected = r->inspected;
    if (inspected) {
        app_proto(r, tx.app, sizeof(tx.app));
        put_ref(root, "app_proto", strcmp(tx.app, "unknown") == 0 ? "failed" : tx.app);
    }
    if (f->meta != NULL && f->meta->tunnel != DECODE_TUNNEL_NONE)
        add_tunnel(root, f->meta);

    cJSON *fl = put_obj(root, "flow");
    add_u64(fl, "pkts_toserver", f->pkts[0]);
    add_u64(fl, "pkts_toclient", f->pkts[1]);
    add_u64(fl, "bytes_toserver", f->bytes[0]);
    add_u64(fl, "bytes_toclient", f->bytes[1]);
    put_ref(fl, "start", tx.start);
    put_ref(fl, "end", out_format_ts(f->last_us, tx.end, sizeof(tx.end)));
    add_u64(fl, "age", (f->last_us - f->rec_start_us) / 1000000);
    const char *state;
    if (f->key.proto == 6)
        state = flow_tcp_state_name((enum flow_tcp_state)f->tcp_state);
    else
        state = (f->pkts[0] && f->pkts[1]) ? "established" : "new";
    put_ref(fl, "state", state);
    put_ref(fl, "reason", flow_end_reason_name(reason));
    if (f->records || reason == FLOW_END_ACTIVE)
        add_u64(fl, "record", (uint64_t)f->records + 1);
    if (f->key.proto == 6)
        add_tcp(root, f, &tx);
    if (inspected) {
        add_ndpi(root, r);
        add_app_meta(root, f, tx.app);
    }
    emit(o, root);
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
    return r;
}

/* Hand the filled slot to the writer (or write it now when unthreaded). */
static void
slot_commit(struct out *o, struct out_rec *r)
{
    if (!o->threaded) {
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
         enum flow_end_reason reason, const struct out_vendors *v)
{
    struct out_rec local;
    local.f.meta = NULL;
    local.ev = NULL;
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
    local.f.meta = NULL;
    local.ev = NULL;
    struct out_rec *r = slot_take(o, &local);
    r->ev = er;
    slot_commit(o, r);
}

static void
write_evidence(struct out *o, const struct out_evidence *e)
{
    char ts[32], ip[INET6_ADDRSTRLEN], mac[18];
    cJSON *root = cJSON_CreateObject();
    put_ref(root, "timestamp", out_format_ts(e->ts_us, ts, sizeof(ts)));
    if (e->flow_id != 0)
        add_u64(root, "flow_id", e->flow_id);
    put_ref(root, "event_type", "evidence");
    cJSON *ev = put_obj(root, "evidence");
    put_ref(ev, "device", e->device);
    if (e->has_mac) {
        put_ref(ev, "mac", mac_str(e->mac, mac));
        put_ref(ev, "mac_source", e->mac_source);
    }
    if (e->ip.family != 0)
        put_ref(ev, "ip", addr_str(e->ip.a, e->ip.family, ip, sizeof(ip)));
    put_ref(ev, "vendor", e->vendor);
    put_ref(ev, "counts_as", e->counts_as);
    put_ref(ev, "pack", e->pack);
    put_ref(ev, "rule", e->rule);
    put_ref(ev, "field", e->field);
    put_ref(ev, "value", e->value);
    put(ev, "confidence", cJSON_CreateNumber(e->confidence));
    if (e->model != NULL && e->model[0] != '\0')
        put_ref(ev, "model", e->model);
    if (e->version != NULL && e->version[0] != '\0')
        put_ref(ev, "version", e->version);
    emit(o, root);
}

void
out_stats(struct out *o, const struct run_stats *rs, const struct flow_stats *fs,
          const struct flow_config *fc, const struct dpi_stats *ds)
{
    /* Records first: the stats event closes the stream, and the writer is
     * idle while this thread uses the line buffer and the file. */
    out_drain(o);
    char ts[40];
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    uint64_t now_us = (uint64_t)now.tv_sec * 1000000 + (uint64_t)now.tv_nsec / 1000;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "timestamp", out_format_ts(now_us, ts, sizeof(ts)));
    cJSON_AddStringToObject(root, "event_type", "stats");
    cJSON *s = cJSON_AddObjectToObject(root, "stats");
    cJSON *cap = cJSON_AddObjectToObject(s, "capture");
    add_u64(cap, "packets", rs->packets);
    add_u64(cap, "bytes", rs->bytes);
    if (rs->packets) {
        cJSON_AddStringToObject(cap, "first_packet", out_format_ts(rs->first_us, ts, sizeof(ts)));
        cJSON_AddStringToObject(cap, "last_packet", out_format_ts(rs->last_us, ts, sizeof(ts)));
    }
    cJSON *dec = cJSON_AddObjectToObject(s, "decoder");
    add_u64(dec, "ip", rs->ip_packets);
    add_u64(dec, "non_ip", rs->non_ip);
    add_u64(dec, "tunneled", rs->tunneled);
    add_u64(dec, "frag_orphans", rs->frag_orphans);
    add_u64(dec, "invalid", rs->decode_errors);
    cJSON *why = cJSON_AddObjectToObject(dec, "invalid_by_reason");
    for (int r = DECODE_NOT_IP + 1; r < DECODE_REASON_COUNT; r++)
        if (rs->by_reason[r])
            add_u64(why, decode_reason_name((enum decode_reason)r), rs->by_reason[r]);
    cJSON *fl = cJSON_AddObjectToObject(s, "flow");
    add_u64(fl, "created", fs->created);
    add_u64(fl, "timed_out", fs->timed_out);
    add_u64(fl, "evicted", fs->evicted);
    add_u64(fl, "end_of_input", fs->flushed);
    add_u64(fl, "active_timeout_records", fs->active_records);
    add_u64(fl, "active", fs->active);
    add_u64(fl, "active_peak", fs->active_peak);
    add_u64(fl, "max_flows", fs->max_flows);
    add_u64(fl, "memcap", fc->memcap);
    add_u64(fl, "memuse", fs->mem_used);
    add_u64(fl, "memuse_peak", fs->mem_peak);
    if (ds != NULL) {
        cJSON *d = cJSON_AddObjectToObject(s, "dpi");
        add_u64(d, "flows_inspected", ds->flows_inspected);
        add_u64(d, "packets", ds->packets);
        add_u64(d, "detected", ds->detected);
        add_u64(d, "guessed", ds->guessed);
        add_u64(d, "state_peak", ds->state_peak);
    }
    add_u64(s, "events", o->events);
    emit(o, root);
}
