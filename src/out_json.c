/* out_json.c - NDJSON events through cJSON (the only file that includes it).
 *
 * Envelope: Suricata EVE (https://docs.suricata.io/en/latest/output/eve/
 * eve-json-format.html). A line is printed into one reusable buffer and
 * written with a single fwrite, so a line is either whole or absent.
 */
#include "telexpose/out_json.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
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
};

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
    o->stdio_buf = xmalloc(OUT_STDIO_BUF);
    setvbuf(o->fp, o->stdio_buf, _IOFBF, OUT_STDIO_BUF);
    o->line_cap = OUT_BUF_INIT;
    o->line = xmalloc(o->line_cap);
    return o;
}

int
out_close(struct out *o, char *errbuf, size_t errlen)
{
    if (o == NULL)
        return 0;
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
    if (o->is_stdout)
        setvbuf(stdout, NULL, _IOLBF, 0);
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

uint64_t
out_events(const struct out *o)
{
    return o->events;
}

char *
out_format_ts(uint64_t us, char *buf, size_t len)
{
    time_t secs = (time_t)(us / 1000000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    char base[24];
    strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf, len, "%s.%06u+0000", base, (unsigned)(us % 1000000));
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
            /* A record this large is a bug; dropping it beats dying. */
            cJSON_Delete(root);
            return;
        }
        o->line_cap *= 2;
        o->line = xreallocarray(o->line, o->line_cap, 1);
    }
    cJSON_Delete(root);
    size_t n = strlen(o->line);
    o->line[n++] = '\n';
    if (fwrite(o->line, 1, n, o->fp) != n && !o->failed) {
        o->failed = true;
        o->err = errno;
    }
    o->events++;
}

static void
add_str(cJSON *obj, const char *key, const char *val)
{
    if (val != NULL && val[0] != '\0')
        cJSON_AddStringToObject(obj, key, val);
}

static void
add_u64(cJSON *obj, const char *key, uint64_t v)
{
    /* JSON numbers are doubles: exact to 2^53, which counters never reach. */
    cJSON_AddNumberToObject(obj, key, (double)v);
}

static const char *
addr_str(const uint8_t *a, uint8_t version, char *buf, size_t len)
{
    if (version == 4)
        return inet_ntop(AF_INET, a, buf, (socklen_t)len);
    return inet_ntop(AF_INET6, a, buf, (socklen_t)len);
}

static const char *
proto_name(uint8_t proto, char *buf, size_t len)
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
        snprintf(buf, len, "%03u", proto);
        return buf;
    }
}

static bool
has_ports(uint8_t proto)
{
    return proto == 6 || proto == 17 || proto == 132;
}

static void
mac_str(const uint8_t m[6], char *buf, size_t len)
{
    snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static void
add_tcp(cJSON *root, const struct flow *f)
{
    cJSON *t = cJSON_AddObjectToObject(root, "tcp");
    uint8_t all = f->tcp_flags[0] | f->tcp_flags[1];
    char hex[4];
    snprintf(hex, sizeof(hex), "%02x", all);
    cJSON_AddStringToObject(t, "tcp_flags", hex);
    snprintf(hex, sizeof(hex), "%02x", f->tcp_flags[0]);
    cJSON_AddStringToObject(t, "tcp_flags_ts", hex);
    snprintf(hex, sizeof(hex), "%02x", f->tcp_flags[1]);
    cJSON_AddStringToObject(t, "tcp_flags_tc", hex);
    static const struct {
        uint8_t bit;
        const char *name;
    } bits[] = { { 0x02, "syn" }, { 0x01, "fin" }, { 0x04, "rst" },
                 { 0x08, "psh" }, { 0x10, "ack" }, { 0x20, "urg" } };
    for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
        if (all & bits[i].bit)
            cJSON_AddTrueToObject(t, bits[i].name);
    add_str(t, "state", flow_tcp_state_name((enum flow_tcp_state)f->tcp_state));
}

static void
add_app_meta(cJSON *root, const struct flow *f, const char *app)
{
    const struct flow_meta *m = f->meta;
    if (m == NULL)
        return;
    if (strcmp(app, "tls") == 0 || m->tls_issuer || m->ja3c || m->ja3s) {
        cJSON *t = cJSON_AddObjectToObject(root, "tls");
        add_str(t, "sni", strcmp(app, "tls") == 0 || strcmp(app, "quic") == 0 ? m->host : NULL);
        add_str(t, "subject", m->tls_subject);
        add_str(t, "issuerdn", m->tls_issuer);
        if (m->tls_version != 0) {
            char v[8];
            snprintf(v, sizeof(v), "%04x", m->tls_version);
            cJSON_AddStringToObject(t, "version_raw", v);
        }
        if (m->ja3c)
            cJSON_AddStringToObject(cJSON_AddObjectToObject(t, "ja3"), "hash", m->ja3c);
        if (m->ja3s)
            cJSON_AddStringToObject(cJSON_AddObjectToObject(t, "ja3s"), "hash", m->ja3s);
    }
    if (m->http_url || m->http_ua || strcmp(app, "http") == 0) {
        cJSON *h = cJSON_AddObjectToObject(root, "http");
        add_str(h, "hostname", m->host);
        add_str(h, "url", m->http_url);
        add_str(h, "http_user_agent", m->http_ua);
    }
    if ((strcmp(app, "dns") == 0 || strcmp(app, "mdns") == 0 || strcmp(app, "llmnr") == 0) &&
        m->host) {
        cJSON *d = cJSON_AddObjectToObject(root, "dns");
        cJSON_AddStringToObject(d, "rrname", m->host);
    }
    if (m->ssh_client || m->ssh_server) {
        cJSON *s = cJSON_AddObjectToObject(root, "ssh");
        if (m->ssh_client || m->hassh_client) {
            cJSON *c = cJSON_AddObjectToObject(s, "client");
            add_str(c, "software_version", m->ssh_client);
            if (m->hassh_client)
                cJSON_AddStringToObject(cJSON_AddObjectToObject(c, "hassh"), "hash",
                                        m->hassh_client);
        }
        if (m->ssh_server || m->hassh_server) {
            cJSON *c = cJSON_AddObjectToObject(s, "server");
            add_str(c, "software_version", m->ssh_server);
            if (m->hassh_server)
                cJSON_AddStringToObject(cJSON_AddObjectToObject(c, "hassh"), "hash",
                                        m->hassh_server);
        }
    }
    if (m->dhcp_class || m->dhcp_fp) {
        cJSON *d = cJSON_AddObjectToObject(root, "dhcp");
        add_str(d, "vendor_class_identifier", m->dhcp_class);
        add_str(d, "fingerprint", m->dhcp_fp);
        add_str(d, "hostname", m->host);
    }
}

/* Lowercase nDPI name of the flow's protocol, EVE-style ("tls", "dns"). */
static void
app_proto(const struct out *o, const struct flow *f, char *buf, size_t len)
{
    uint16_t id = f->dpi_master ? f->dpi_master : f->dpi_app;
    const char *n = dpi_proto_name(o->dpi, id);
    size_t i = 0;
    for (; n[i] != '\0' && i + 1 < len; i++)
        buf[i] = (char)((n[i] >= 'A' && n[i] <= 'Z') ? n[i] + 32 : n[i]);
    buf[i] = '\0';
}

static void
add_ndpi(cJSON *root, const struct out *o, const struct flow *f)
{
    cJSON *n = cJSON_AddObjectToObject(root, "ndpi");
    char buf[64];
    cJSON_AddStringToObject(n, "protocol", dpi_flow_proto_str(o->dpi, f, buf, sizeof(buf)));
    cJSON_AddStringToObject(n, "master_protocol", dpi_proto_name(o->dpi, f->dpi_master));
    cJSON_AddStringToObject(n, "app_protocol", dpi_proto_name(o->dpi, f->dpi_app));
    cJSON_AddStringToObject(n, "category", dpi_category_name(o->dpi, f->dpi_category));
    if (f->meta && f->meta->host)
        cJSON_AddStringToObject(n, "hostname", f->meta->host);
    if (f->dpi_risk) {
        cJSON *r = cJSON_AddArrayToObject(n, "risks");
        for (unsigned b = 1; b < 64; b++) {
            if (f->dpi_risk & (1ull << b)) {
                const char *rn = dpi_risk_name(b);
                if (rn != NULL)
                    cJSON_AddItemToArray(r, cJSON_CreateString(rn));
            }
        }
    }
    add_u64(n, "packets_inspected", f->dpi_pkts);
}

void
out_flow(struct out *o, const struct flow *f, enum flow_end_reason reason)
{
    char ts[40], a[INET6_ADDRSTRLEN], pn[8], cid[COMMUNITYID_BUFLEN];
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "timestamp", out_format_ts(f->rec_start_us, ts, sizeof(ts)));
    add_u64(root, "flow_id", f->flow_id);
    cJSON_AddStringToObject(root, "event_type", "flow");
    uint8_t v = f->key.ip_version;
    cJSON_AddStringToObject(root, "src_ip", addr_str(flow_src_addr(f), v, a, sizeof(a)));
    if (has_ports(f->key.proto))
        add_u64(root, "src_port", flow_src_port(f));
    cJSON_AddStringToObject(root, "dest_ip", addr_str(flow_dst_addr(f), v, a, sizeof(a)));
    if (has_ports(f->key.proto))
        add_u64(root, "dest_port", flow_dst_port(f));
    cJSON_AddStringToObject(root, "proto", proto_name(f->key.proto, pn, sizeof(pn)));
    if (f->key.proto == 1 || f->key.proto == 58) {
        add_u64(root, "icmp_type", f->icmp_type);
        add_u64(root, "icmp_code", f->icmp_code);
    }
    if (f->key.vlan[0] || f->key.vlan[1]) {
        cJSON *vl = cJSON_AddArrayToObject(root, "vlan");
        for (int i = 0; i < 2 && f->key.vlan[i]; i++)
            cJSON_AddItemToArray(vl, cJSON_CreateNumber(f->key.vlan[i]));
    }

    struct communityid_tuple t;
    memset(&t, 0, sizeof(t));
    t.addr_len = v == 4 ? 4 : 16;
    memcpy(t.saddr, flow_src_addr(f), t.addr_len);
    memcpy(t.daddr, flow_dst_addr(f), t.addr_len);
    t.proto = f->key.proto;
    if (has_ports(f->key.proto)) {
        t.has_ports = true;
        t.sport = flow_src_port(f);
        t.dport = flow_dst_port(f);
    } else if (f->key.proto == 1 || f->key.proto == 58) {
        t.has_ports = true;
        t.sport = f->icmp_type;
        t.dport = f->icmp_code;
    }
    cJSON_AddStringToObject(root, "community_id", communityid_v1(&t, 0, true, cid));

    if (f->has_mac[0] || f->has_mac[1]) {
        cJSON *e = cJSON_AddObjectToObject(root, "ether");
        char m[18];
        if (f->has_mac[0]) {
            mac_str(f->mac[0], m, sizeof(m));
            cJSON_AddStringToObject(e, "src_mac", m);
        }
        if (f->has_mac[1]) {
            mac_str(f->mac[1], m, sizeof(m));
            cJSON_AddStringToObject(e, "dest_mac", m);
        }
    }

    char app[32] = "";
    if (o->dpi != NULL && f->dpi_status != DPI_NONE) {
        app_proto(o, f, app, sizeof(app));
        cJSON_AddStringToObject(root, "app_proto", strcmp(app, "unknown") == 0 ? "failed" : app);
    }

    const struct flow_meta *m = f->meta;
    if (m != NULL && m->tunnel != DECODE_TUNNEL_NONE) {
        cJSON *tn = cJSON_AddObjectToObject(root, "tunnel");
        add_str(tn, "type", decode_tunnel_name((enum decode_tunnel)m->tunnel));
        char b[64];
        cJSON_AddStringToObject(tn, "src_ip", decode_addr_str(&m->outer_src, b, sizeof(b)));
        cJSON_AddStringToObject(tn, "dest_ip", decode_addr_str(&m->outer_dst, b, sizeof(b)));
        if (m->tunnel_id)
            add_u64(tn, "id", m->tunnel_id);
    }

    cJSON *fl = cJSON_AddObjectToObject(root, "flow");
    add_u64(fl, "pkts_toserver", f->pkts[0]);
    add_u64(fl, "pkts_toclient", f->pkts[1]);
    add_u64(fl, "bytes_toserver", f->bytes[0]);
    add_u64(fl, "bytes_toclient", f->bytes[1]);
    cJSON_AddStringToObject(fl, "start", out_format_ts(f->rec_start_us, ts, sizeof(ts)));
    cJSON_AddStringToObject(fl, "end", out_format_ts(f->last_us, ts, sizeof(ts)));
    add_u64(fl, "age", (f->last_us - f->rec_start_us) / 1000000);
    const char *state;
    if (f->key.proto == 6)
        state = flow_tcp_state_name((enum flow_tcp_state)f->tcp_state);
    else
        state = (f->pkts[0] && f->pkts[1]) ? "established" : "new";
    cJSON_AddStringToObject(fl, "state", state);
    cJSON_AddStringToObject(fl, "reason", flow_end_reason_name(reason));
    if (f->records || reason == FLOW_END_ACTIVE)
        add_u64(fl, "record", (uint64_t)f->records + 1);
    if (f->key.proto == 6)
        add_tcp(root, f);
    if (o->dpi != NULL && f->dpi_status != DPI_NONE) {
        add_ndpi(root, o, f);
        add_app_meta(root, f, app);
    }
    emit(o, root);
}

void
out_stats(struct out *o, const struct run_stats *rs, const struct flow_stats *fs,
          const struct flow_config *fc, const struct dpi_stats *ds)
{
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
