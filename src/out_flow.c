/* out_flow.c - one flow record as a flow event (the rest of the writer is in
 * out_json.c; what both share is in out_int.h).
 *
 * Envelope and keys: Suricata EVE flow events (https://docs.suricata.io/en/
 * latest/output/eve/eve-json-format.html#event-type-flow), plus "ndpi",
 * "vendor" and "tunnel" objects of ours. Runs on the writer thread: it reads
 * only the record, never the live flow table or nDPI.
 */
#include <arpa/inet.h>
#include <string.h>

#include "telexpose/communityid.h"
#include "telexpose/decode.h"

#include "out_int.h"

static char *
hex8(uint8_t v, char *buf)
{
    buf[0] = out_hexdig[v >> 4];
    buf[1] = out_hexdig[v & 15];
    buf[2] = '\0';
    return buf;
}

static void
add_str(cJSON *obj, const char *key, const char *val)
{
    if (val != NULL && val[0] != '\0')
        out_put(obj, key, cJSON_CreateString(val));
}

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
    add_str(out_put_obj(parent, name), "hash", low);
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

/* Per-record text that cJSON references instead of copying; lives in
 * out_write_flow's frame until the line is printed. */
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
    cJSON *t = out_put_obj(root, "tcp");
    uint8_t all = f->tcp_flags[0] | f->tcp_flags[1];
    out_put_ref(t, "tcp_flags", hex8(all, tx->flags[0]));
    out_put_ref(t, "tcp_flags_ts", hex8(f->tcp_flags[0], tx->flags[1]));
    out_put_ref(t, "tcp_flags_tc", hex8(f->tcp_flags[1], tx->flags[2]));
    static const struct {
        uint8_t bit;
        const char *name;
    } bits[] = { { 0x02, "syn" }, { 0x01, "fin" }, { 0x04, "rst" },
                 { 0x08, "psh" }, { 0x10, "ack" }, { 0x20, "urg" } };
    for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
        if (all & bits[i].bit)
            out_put(t, bits[i].name, cJSON_CreateTrue());
    out_put_ref(t, "state", flow_tcp_state_name((enum flow_tcp_state)f->tcp_state));
}

static void
add_app_meta(cJSON *root, const struct flow *f, const char *app)
{
    const struct flow_meta *m = f->meta;
    if (m == NULL)
        return;
    bool tls = strcmp(app, "tls") == 0 || strcmp(app, "quic") == 0;
    if (tls || m->tls_issuer || m->ja3c || m->ja3s) {
        cJSON *t = out_put_obj(root, "tls");
        out_put_ref(t, "sni", tls ? m->host : NULL);
        out_put_ref(t, "subject", m->tls_subject);
        out_put_ref(t, "issuerdn", m->tls_issuer);
        if (m->tls_version != 0) {
            char v[5] = { out_hexdig[m->tls_version >> 12],
                          out_hexdig[(m->tls_version >> 8) & 15],
                          out_hexdig[(m->tls_version >> 4) & 15],
                          out_hexdig[m->tls_version & 15], 0 };
            add_str(t, "version_raw", v);
        }
        if (m->ja3c)
            add_hash(t, "ja3", m->ja3c);
        if (m->ja3s)
            add_hash(t, "ja3s", m->ja3s);
        /* Fields without a value are omitted, and so is an object without fields. */
        if (t->child == NULL)
            cJSON_DeleteItemFromObjectCaseSensitive(root, "tls");
    }
    if (m->http_url || m->http_ua || strcmp(app, "http") == 0) {
        cJSON *h = out_put_obj(root, "http");
        out_put_ref(h, "hostname", m->host);
        out_put_ref(h, "url", m->http_url);
        out_put_ref(h, "http_user_agent", m->http_ua);
        if (h->child == NULL)
            cJSON_DeleteItemFromObjectCaseSensitive(root, "http");
    }
    if ((strcmp(app, "dns") == 0 || strcmp(app, "mdns") == 0 || strcmp(app, "llmnr") == 0) &&
        m->host)
        out_put_ref(out_put_obj(root, "dns"), "rrname", m->host);
    if (m->ssh_client || m->ssh_server) {
        cJSON *s = out_put_obj(root, "ssh");
        if (m->ssh_client || m->hassh_client) {
            cJSON *c = out_put_obj(s, "client");
            out_put_ref(c, "software_version", m->ssh_client);
            if (m->hassh_client)
                add_hash(c, "hassh", m->hassh_client);
        }
        if (m->ssh_server || m->hassh_server) {
            cJSON *c = out_put_obj(s, "server");
            out_put_ref(c, "software_version", m->ssh_server);
            if (m->hassh_server)
                add_hash(c, "hassh", m->hassh_server);
        }
    }
    if (m->dhcp_class || m->dhcp_fp) {
        cJSON *d = out_put_obj(root, "dhcp");
        out_put_ref(d, "vendor_class_identifier", m->dhcp_class);
        out_put_ref(d, "fingerprint", m->dhcp_fp);
        out_put_ref(d, "hostname", m->host);
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
    cJSON *n = out_put_obj(root, "ndpi");
    out_put_ref(n, "protocol", r->proto);
    out_put_ref(n, "master_protocol", r->master);
    out_put_ref(n, "app_protocol", r->app);
    out_put_ref(n, "category", r->category);
    if (f->meta)
        out_put_ref(n, "hostname", f->meta->host);
    if (r->nrisks > 0) {
        cJSON *arr = cJSON_CreateArray();
        out_put(n, "risks", arr);
        for (unsigned i = 0; i < r->nrisks; i++)
            cJSON_AddItemToArray(arr, cJSON_CreateStringReference(r->risks[i]));
    }
    out_add_u64(n, "packets_inspected", f->dpi_pkts);
}

static void
add_tunnel(cJSON *root, const struct flow_meta *m)
{
    cJSON *tn = out_put_obj(root, "tunnel");
    out_put_ref(tn, "type", decode_tunnel_name((enum decode_tunnel)m->tunnel));
    char b[64];
    add_str(tn, "src_ip", decode_addr_str(&m->outer_src, b, sizeof(b)));
    add_str(tn, "dest_ip", decode_addr_str(&m->outer_dst, b, sizeof(b)));
    if (m->tunnel_id)
        out_add_u64(tn, "id", m->tunnel_id);
}

void
out_write_flow(struct out *o, const struct out_rec *r)
{
    const struct flow *f = &r->f;
    enum flow_end_reason reason = r->reason;
    struct flow_text tx;
    cJSON *root = cJSON_CreateObject();
    out_put_ref(root, "timestamp", out_format_ts(f->rec_start_us, tx.start, sizeof(tx.start)));
    out_add_u64(root, "flow_id", f->flow_id);
    out_put_ref(root, "event_type", "flow");
    uint8_t v = f->key.ip_version;
    bool ports = decode_proto_has_ports(f->key.proto);
    out_put_ref(root, "src_ip", out_addr_str(flow_src_addr(f), v, tx.src, sizeof(tx.src)));
    if (ports)
        out_add_u64(root, "src_port", flow_src_port(f));
    out_put_ref(root, "dest_ip", out_addr_str(flow_dst_addr(f), v, tx.dst, sizeof(tx.dst)));
    if (ports)
        out_add_u64(root, "dest_port", flow_dst_port(f));
    out_put_ref(root, "proto", proto_name(f->key.proto, tx.proto));
    bool icmp = decode_proto_is_icmp(f->key.proto);
    if (icmp) {
        out_add_u64(root, "icmp_type", f->icmp_type);
        out_add_u64(root, "icmp_code", f->icmp_code);
    }
    if (f->key.vlan[0] || f->key.vlan[1]) {
        cJSON *vl = cJSON_CreateArray();
        out_put(root, "vlan", vl);
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
    out_put_ref(root, "community_id", communityid_v1(&t, 0, true, tx.cid));

    if (f->has_mac[0] || f->has_mac[1]) {
        cJSON *e = out_put_obj(root, "ether");
        if (f->has_mac[0])
            out_put_ref(e, "src_mac", out_mac_str(f->mac[0], tx.mac[0]));
        if (f->has_mac[1])
            out_put_ref(e, "dest_mac", out_mac_str(f->mac[1], tx.mac[1]));
    }

    const struct out_endpoints *vv = &r->vendors;
    if (vv->src_mac || vv->dest_mac || vv->src_ip || vv->dest_ip) {
        cJSON *ve = out_put_obj(root, "vendor");
        out_put_ref(ve, "src_mac", vv->src_mac);
        out_put_ref(ve, "dest_mac", vv->dest_mac);
        out_put_ref(ve, "src_ip", vv->src_ip);
        out_put_ref(ve, "dest_ip", vv->dest_ip);
    }
    if (vv->has_geo[0] || vv->has_geo[1]) {
        cJSON *geo = out_put_obj(root, "geo");
        static const char *const side[2] = { "src", "dest" };
        for (int i = 0; i < 2; i++) {
            if (!vv->has_geo[i])
                continue;
            const struct geoip_info *gi = &vv->geo[i];
            cJSON *g = out_put_obj(geo, side[i]);
            if (gi->asn != 0)
                out_add_u64(g, "asn", gi->asn);
            out_put_ref(g, "as_org", gi->org);
            out_put_ref(g, "country", gi->country);
            if (gi->has_vnet) {
                cJSON *n = out_put_obj(g, "network");
                out_put_ref(n, "vendor", gi->vnet_vendor);
                out_put_ref(n, "pack", gi->vnet_pack);
                out_put_ref(n, "category", gi->vnet_category);
                if (gi->vnet_asn != 0)
                    out_add_u64(n, "asn", gi->vnet_asn);
                out_put_ref(n, "org", gi->vnet_org);
            }
        }
    }

    tx.app[0] = '\0';
    bool inspected = r->inspected;
    if (inspected) {
        app_proto(r, tx.app, sizeof(tx.app));
        out_put_ref(root, "app_proto", strcmp(tx.app, "unknown") == 0 ? "failed" : tx.app);
    }
    if (f->meta != NULL && f->meta->tunnel != DECODE_TUNNEL_NONE)
        add_tunnel(root, f->meta);

    cJSON *fl = out_put_obj(root, "flow");
    out_add_u64(fl, "pkts_toserver", f->pkts[0]);
    out_add_u64(fl, "pkts_toclient", f->pkts[1]);
    out_add_u64(fl, "bytes_toserver", f->bytes[0]);
    out_add_u64(fl, "bytes_toclient", f->bytes[1]);
    out_put_ref(fl, "start", tx.start);
    out_put_ref(fl, "end", out_format_ts(f->last_us, tx.end, sizeof(tx.end)));
    out_add_u64(fl, "age", (f->last_us - f->rec_start_us) / 1000000);
    const char *state;
    if (f->key.proto == 6)
        state = flow_tcp_state_name((enum flow_tcp_state)f->tcp_state);
    else
        state = (f->pkts[0] && f->pkts[1]) ? "established" : "new";
    out_put_ref(fl, "state", state);
    out_put_ref(fl, "reason", flow_end_reason_name(reason));
    if (f->records || reason == FLOW_END_ACTIVE)
        out_add_u64(fl, "record", (uint64_t)f->records + 1);
    if (f->key.proto == 6)
        add_tcp(root, f, &tx);
    if (inspected) {
        add_ndpi(root, r);
        add_app_meta(root, f, tx.app);
    }
    out_emit(o, root);
}
