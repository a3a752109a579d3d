/* extract.c - the observation stage: which extractor reads what, and about
 * whom. Extractors only parse; this file binds each observation to its
 * subject (device key) and passes it to the evidence store.
 *
 * Cost on the fast path: MACs and IPv6 interface ids are looked at on the
 * first packet of each direction of a flow, not per packet; a flow's
 * extractor is chosen once, at its first payload, and flows with nothing to
 * read are marked EXK_NONE so later packets cost one byte test.
 *
 * IP-to-MAC bindings (asset.h) come from the messages that name an
 * address's owner: ARP senders, neighbour discovery link-layer options
 * (ex_bind.h says which), DHCP ACKs and servers, and EUI-64 interface ids.
 * Only unicast MACs and addresses a host can hold are bound.
 */
#include "extract_int.h"

#include <stdlib.h>
#include <string.h>

#include "telexpose/asset.h"
#include "telexpose/dpi.h"
#include "telexpose/ex_bind.h"
#include "telexpose/ex_dhcp.h"
#include "telexpose/ex_eui64.h"
#include "telexpose/ex_l2.h"
#include "telexpose/ex_sip.h"
#include "telexpose/ex_snmp.h"
#include "telexpose/ex_ssdp.h"
#include "telexpose/oui.h"
#include "telexpose/xalloc.h"

#define EX_MAX_MACS (1u << 18)   /* distinct MACs looked up per run */
#define EX_MAX_V6 (1u << 18)     /* distinct IPv6 addresses tried */
#define EX_UDP_MSGS 32           /* SNMP/SIP messages read per flow */

static void
batch_emit(void *user, enum sig_field field, const char *value, size_t len)
{
    struct ex_batch *b = user;
    if (b->n == EX_BATCH_MAX)
        return;
    if (len > OBS_VALUE_MAX)
        len = OBS_VALUE_MAX;
    if (len > EX_ARENA - b->used)
        return;
    memcpy(b->arena + b->used, value, len);
    b->item[b->n].field = field;
    b->item[b->n].off = b->used;
    b->item[b->n].len = len;
    b->n++;
    b->used += len;
}

void
ex_batch_reset(struct extract *x)
{
    x->batch.n = 0;
    x->batch.used = 0;
}

void
ex_batch_flush(struct extract *x, const struct ev_subject *subj, uint64_t flow_id,
               uint64_t ts_us)
{
    struct ex_batch *b = &x->batch;
    for (size_t i = 0; i < b->n; i++)
        ex_observe(x, subj, b->item[i].field, b->arena + b->item[i].off,
                         b->item[i].len, flow_id, ts_us);
    ex_batch_reset(x);
}

void
ex_subject_ip(struct ev_subject *s, const uint8_t *a, uint8_t version)
{
    memset(s, 0, sizeof(*s));
    s->ip.family = version;
    memcpy(s->ip.a, a, version == 4 ? 4 : 16);
}

struct extract *
extract_new(const struct oui_db *oui, const struct dpi *dpi, struct evidence_store *ev)
{
    struct extract *x = xcalloc(1, sizeof(*x));
    x->oui = oui;
    x->dpi = dpi;
    x->ev = ev;
    u64map_init(&x->macs, EX_MAX_MACS);
    u64map_init(&x->v6, EX_MAX_V6);
    x->sink.emit = batch_emit;
    x->sink.user = &x->batch;
    return x;
}

void
extract_set_downstream(struct extract *x, const struct extract_downstream *d)
{
    x->down = *d;
}

void
ex_observe(struct extract *x, const struct ev_subject *subj, enum sig_field field,
           const char *value, size_t len, uint64_t flow_id, uint64_t ts_us)
{
    if (x->down.observe != NULL)
        x->down.observe(x->down.user, subj, (int)field, value, len, flow_id, ts_us);
    else
        evidence_observe(x->ev, subj, field, value, len, flow_id, ts_us);
}

void
extract_set_asset(struct extract *x, struct asset *a)
{
    x->asset = a;
}

void
extract_free(struct extract *x)
{
    if (x == NULL)
        return;
    u64map_free(&x->macs);
    u64map_free(&x->v6);
    free(x);
}

/* The registry organisation of a MAC, once per MAC per run. Random
 * (locally administered) and group addresses carry no vendor. */
static void
observe_mac(struct extract *x, const uint8_t mac[6], uint64_t flow_id, uint64_t ts_us)
{
    if (x->oui == NULL || oui_mac_is_local_or_group(mac))
        return;
    uint64_t k = u64map_mac_key(mac);
    uint64_t *recent = &x->recent_mac[((uint32_t)mac[4] << 8 ^ mac[5] ^ (uint32_t)mac[3] << 4) & 1023];
    if (*recent == k)
        return;
    *recent = k;
    if (!u64map_add(&x->macs, k, NULL))
        return;
    const char *org = oui_lookup(x->oui, mac, NULL);
    if (org == NULL)
        return;
    struct ev_subject s;
    memset(&s, 0, sizeof(s));
    s.key_is_mac = true;
    s.has_mac = true;
    memcpy(s.mac, mac, 6);
    s.mac_source = EV_MAC_ETHERNET;
    ex_observe(x, &s, SIG_FIELD_MAC_ORG, org, strlen(org), flow_id, ts_us);
}

/* ------------------------------------------------------------- bindings */

static bool
mac_bindable(const uint8_t mac[6])
{
    static const uint8_t zero[6];
    return !(mac[0] & 1) && memcmp(mac, zero, 6) != 0;
}

/* An address one host holds: not 0/8, loopback, multicast or broadcast. */
static bool
ip4_bindable(const uint8_t a[4])
{
    return a[0] != 0 && a[0] != 127 && a[0] < 224;
}

/* Not unspecified, loopback or multicast. */
static bool
ip6_bindable(const uint8_t a[16])
{
    static const uint8_t zero[15];
    return a[0] != 0xff && !(memcmp(a, zero, 15) == 0 && (a[15] == 0 || a[15] == 1));
}

static void
bind_ip(struct extract *x, const uint8_t mac[6], const uint8_t *ip, uint8_t version,
        enum asset_bind_source src, uint64_t ts_us)
{
    if (!mac_bindable(mac) || !(version == 4 ? ip4_bindable(ip) : ip6_bindable(ip)))
        return;
    struct decode_addr a;
    memset(&a, 0, sizeof(a));
    a.family = version;
    memcpy(a.a, ip, version == 4 ? 4 : 16);
    if (x->down.bind != NULL)
        x->down.bind(x->down.user, mac, &a, (int)src, ts_us);
    else
        asset_bind(x->asset, mac, &a, src, ts_us);
}

/* The sender of a request or a reply; a probe (from 0.0.0.0) binds nothing.
 * A proxy-ARP reply binds the router's MAC: the asset model tells gateways
 * by the number of addresses their MAC fronts. */
static void
read_arp(struct extract *x, const struct decoded_pkt *d, uint64_t ts_us)
{
    struct arp_info a;
    if (arp_parse(d->l2_payload, d->l2_payload_len, &a) < 0 || a.probe ||
        (a.op != ARP_OP_REQUEST && a.op != ARP_OP_REPLY))
        return;
    bind_ip(x, a.sender_mac, a.sender_ip, 4, ASSET_BIND_ARP, ts_us);
}

/* Neighbour discovery, by the rules of ex_bind.h. A hop limit other than
 * 255 means a router forwarded the packet: its sender is not on-link. */
static void
read_nd(struct extract *x, const struct decoded_pkt *d, uint64_t ts_us)
{
    struct nd_info nd;
    /* decode_packet() put the payload after the 8-byte ICMPv6 header it
     * read, which nd_parse() wants too (ex_bind.h). */
    if (d->ip_version != 6 || d->ttl != 255 ||
        nd_parse(d->payload - 8, d->payload_len + 8, &nd) < 0)
        return;
    if (nd.type == ND_NEIGHBOR_ADVERT) {
        if (nd.has_target_ll && nd.override)
            bind_ip(x, nd.target_ll, nd.target, 6, ASSET_BIND_ND, ts_us);
    } else if (nd.has_source_ll) {
        bind_ip(x, nd.source_ll, d->src.a, 6, ASSET_BIND_ND, ts_us);
    }
}

static bool
ip4_is_zero(const uint8_t a[4])
{
    return a[0] == 0 && a[1] == 0 && a[2] == 0 && a[3] == 0;
}

/* True when d's source MAC is the sender of its innermost IP packet: no
 * tunnel, or one that carries Ethernet (GRE may or may not: not trusted). */
static bool
mac_is_inner(const struct decoded_pkt *d)
{
    return d->has_mac && (d->tunnel == DECODE_TUNNEL_NONE || d->tunnel == DECODE_TUNNEL_VXLAN ||
                          d->tunnel == DECODE_TUNNEL_ERSPAN2 || d->tunnel == DECODE_TUNNEL_ERSPAN3);
}

/* A server's ACK leases yiaddr (ciaddr in the ACK to an INFORM) to chaddr;
 * what a client asks for is no lease until then. A reply names its server
 * (option 54), whose MAC is the frame's source only when the server sent it
 * itself: a relayed reply (giaddr set) comes from the relay, or crossed
 * routers on its way to it. */
static void
bind_dhcp4(struct extract *x, const struct dhcp4_info *in, const struct decoded_pkt *d,
           uint64_t ts_us)
{
    if (in->op != 2)
        return;
    if (in->msg_type == 5 && in->has_chaddr)
        bind_ip(x, in->chaddr, ip4_is_zero(in->yiaddr) ? in->ciaddr : in->yiaddr, 4,
                ASSET_BIND_DHCP, ts_us);
    if (!ip4_is_zero(in->server_id) && ip4_is_zero(in->giaddr) && mac_is_inner(d) &&
        d->ip_version == 4 && memcmp(d->src.a, in->server_id, 4) == 0)
        bind_ip(x, d->src_mac, in->server_id, 4, ASSET_BIND_DHCP, ts_us);
}

/* ------------------------------------------------------------ endpoints */

/* An IPv6 address whose interface id embeds a MAC names that MAC's maker,
 * even when the frame's MAC is a router's, and is bound to that MAC. */
static void
observe_v6(struct extract *x, const uint8_t addr[16], uint64_t flow_id, uint64_t ts_us)
{
    if ((x->oui == NULL && !ex_binds(x)) ||
        !u64map_add(&x->v6, u64map_hash(addr, 16, 6), NULL))
        return;
    uint8_t mac[6];
    if (!eui64_to_mac(addr, mac))
        return;
    if (ex_binds(x))
        bind_ip(x, mac, addr, 6, ASSET_BIND_EUI64, ts_us);
    if (x->oui == NULL)
        return;
    const char *org = oui_lookup(x->oui, mac, NULL);
    if (org == NULL)
        return;
    struct ev_subject s;
    ex_subject_ip(&s, addr, 6);
    s.has_mac = true;
    memcpy(s.mac, mac, 6);
    s.mac_source = EV_MAC_EUI64;
    ex_observe(x, &s, SIG_FIELD_MAC_ORG, org, strlen(org), flow_id, ts_us);
}

void
extract_frame(struct extract *x, const struct decoded_pkt *d, uint64_t ts_us)
{
    if (!d->has_mac)
        return;
    observe_mac(x, d->src_mac, 0, ts_us);
    if (d->has_dst_mac)
        observe_mac(x, d->dst_mac, 0, ts_us);
    struct ev_subject s;
    memset(&s, 0, sizeof(s));
    s.key_is_mac = true;
    s.has_mac = true;
    memcpy(s.mac, d->src_mac, 6);
    s.mac_source = EV_MAC_ETHERNET;
    ex_batch_reset(x);
    if (d->ethertype == EX_ETHERTYPE_LLDP) {
        struct lldp_info li;
        memset(&li, 0, sizeof(li));
        lldp_parse(d->l2_payload, d->l2_payload_len, &li, &x->sink);
        /* The chassis MAC names the device better than the port's MAC. */
        if (li.has_chassis_mac && !oui_mac_is_local_or_group(li.chassis_mac)) {
            memcpy(s.mac, li.chassis_mac, 6);
            s.mac_source = EV_MAC_LLDP;
            observe_mac(x, li.chassis_mac, 0, ts_us);
        }
        if (li.mgmt.family != 0)
            s.ip = li.mgmt;
    } else if (d->has_dst_mac && hgmp_is_frame(d->ethertype, d->dst_mac)) {
        hgmp_parse(d->l2_payload, d->l2_payload_len, &x->sink);
    } else if (d->ethertype == EX_ETHERTYPE_ARP && ex_binds(x)) {
        read_arp(x, d, ts_us);
    }
    ex_batch_flush(x, &s, 0, ts_us);
}

/* MACs and EUI-64 ids of a flow's endpoints, on the first packet of each
 * direction. The destination counts too: some devices only receive. */
static void
observe_endpoints(struct extract *x, struct flow *f, const struct decoded_pkt *d, int dir,
                  uint64_t ts_us)
{
    if (d->has_mac) {
        /* A reply comes from the first packet's destination and goes to its
         * source: both were looked at then. */
        if (dir == 0 || memcmp(d->src_mac, f->ex_dst_mac, 6) != 0)
            observe_mac(x, d->src_mac, f->flow_id, ts_us);
        if (d->has_dst_mac && (dir == 0 || memcmp(d->dst_mac, f->mac[0], 6) != 0))
            observe_mac(x, d->dst_mac, f->flow_id, ts_us);
        if (dir == 0 && d->has_dst_mac)
            memcpy(f->ex_dst_mac, d->dst_mac, 6);
    }
    if (dir == 0 && d->ip_version == 6) { /* a reply carries the same two */
        observe_v6(x, d->src.a, f->flow_id, ts_us);
        observe_v6(x, d->dst.a, f->flow_id, ts_us);
    }
}

static bool
has_port(const struct decoded_pkt *d, uint16_t port)
{
    return d->src_port == port || d->dst_port == port;
}

static enum ex_kind
pick_kind(const struct decoded_pkt *d)
{
    if (d->proto == 17) {
        if (has_port(d, 67) || has_port(d, 68))
            return EXK_DHCP4;
        if (has_port(d, 546) || has_port(d, 547))
            return EXK_DHCP6;
        if (has_port(d, 161) || has_port(d, 162))
            return EXK_SNMP;
        if (has_port(d, 1900))
            return EXK_SSDP;
        if (has_port(d, 5060))
            return EXK_SIP;
        return EXK_NONE;
    }
    if (d->proto == 6)
        return EXK_HTTP; /* refined by extract_stream.c from ports and content */
    return EXK_NONE;
}

static void
ip_subject(struct ev_subject *s, const struct decoded_pkt *d, bool src)
{
    ex_subject_ip(s, src ? d->src.a : d->dst.a, d->ip_version);
}

static void
read_dhcp4(struct extract *x, const struct flow *f, const struct decoded_pkt *d, uint64_t ts_us)
{
    struct dhcp4_info info;
    memset(&info, 0, sizeof(info));
    int rc = dhcp4_parse(d->payload, d->payload_len, &info, &x->sink);
    if (rc >= 0 && ex_binds(x))
        bind_dhcp4(x, &info, d, ts_us);
    if (rc < 0 && x->batch.n == 0)
        return;
    struct ev_subject s;
    memset(&s, 0, sizeof(s));
    if (info.op == 1 && info.has_chaddr && !(info.chaddr[0] & 1)) {
        /* The client's own MAC, random or not: option 60 still names it. */
        s.key_is_mac = true;
        s.has_mac = true;
        memcpy(s.mac, info.chaddr, 6);
        s.mac_source = EV_MAC_DHCP;
        static const uint8_t zero[4];
        const uint8_t *ip = memcmp(info.requested, zero, 4) ? info.requested
                            : memcmp(info.ciaddr, zero, 4) ? info.ciaddr
                                                           : NULL;
        if (ip != NULL) {
            s.ip.family = 4;
            memcpy(s.ip.a, ip, 4);
        }
    } else {
        ip_subject(&s, d, true);
    }
    ex_batch_flush(x, &s, f->flow_id, ts_us);
}

static void
read_dhcp6(struct extract *x, const struct flow *f, const struct decoded_pkt *d, uint64_t ts_us)
{
    struct dhcp6_info info;
    memset(&info, 0, sizeof(info));
    if (dhcp6_parse(d->payload, d->payload_len, &info, &x->sink) < 0 && x->batch.n == 0)
        return;
    /* A relayed message's source is the relay agent: without the client's
     * MAC in its DUID there is nobody to tie the options to. */
    bool relayed = d->payload_len > 0 && (d->payload[0] == 12 || d->payload[0] == 13);
    if (relayed && !info.has_duid_mac) {
        ex_batch_reset(x);
        return;
    }
    struct ev_subject s;
    ip_subject(&s, d, true);
    if (relayed)
        memset(&s.ip, 0, sizeof(s.ip));
    if (info.has_duid_mac && !(info.duid_mac[0] & 1)) {
        s.key_is_mac = true;
        s.has_mac = true;
        memcpy(s.mac, info.duid_mac, 6);
        s.mac_source = EV_MAC_DHCP;
    }
    ex_batch_flush(x, &s, f->flow_id, ts_us);
}

/* The authoritative engine of SNMPv3 is the agent: the receiver of a
 * request to port 161, otherwise the sender. */
static void
read_snmp(struct extract *x, struct flow *f, const struct decoded_pkt *d, uint64_t ts_us)
{
    struct snmp_info info;
    memset(&info, 0, sizeof(info));
    snmp_parse(d->payload, d->payload_len, &info, &x->sink);
    if (info.has_community)
        f->ex_facts |= EXF_SNMP_COMMUNITY;
    struct ev_subject s;
    ip_subject(&s, d, !(d->dst_port == 161 && d->src_port != 161));
    ex_batch_flush(x, &s, f->flow_id, ts_us);
}

static void
read_udp(struct extract *x, struct flow *f, const struct decoded_pkt *d, uint64_t ts_us)
{
    struct ev_subject s;
    switch ((enum ex_kind)f->ex_kind) {
    case EXK_DHCP4:
        /* Every client of a segment shares one 0.0.0.0:68 flow: read them all. */
        read_dhcp4(x, f, d, ts_us);
        return;
    case EXK_DHCP6:
        read_dhcp6(x, f, d, ts_us);
        return;
    case EXK_SNMP:
        read_snmp(x, f, d, ts_us);
        break;
    case EXK_SSDP:
        ssdp_parse(d->payload, d->payload_len, NULL, 0, &x->sink);
        ip_subject(&s, d, true);
        ex_batch_flush(x, &s, f->flow_id, ts_us);
        return;
    case EXK_SIP:
        sip_parse(d->payload, d->payload_len, &x->sink);
        ip_subject(&s, d, true);
        ex_batch_flush(x, &s, f->flow_id, ts_us);
        break;
    default:
        return;
    }
    if (++f->ex_state >= EX_UDP_MSGS)
        f->ex_kind = EXK_NONE;
}

void
extract_packet(struct extract *x, struct flow_table *ft, struct flow *f,
               const struct decoded_pkt *d, int dir, uint64_t ts_us)
{
    if (f->pkts[dir] == 1)
        observe_endpoints(x, f, d, dir, ts_us);
    /* Every ND message is read, not only a flow's first: one pair of
     * addresses exchanges many, and an NA may name another target. */
    if (d->proto == 58 && ex_binds(x) && d->has_l4 && d->icmp_type >= ND_ROUTER_SOLICIT &&
        d->icmp_type <= ND_NEIGHBOR_ADVERT)
        read_nd(x, d, ts_us);
    if (f->ex_kind == EXK_NONE || d->payload_len == 0 || !d->has_l4)
        return;
    if (f->ex_kind == EXK_UNDECIDED)
        f->ex_kind = (uint8_t)pick_kind(d);
    ex_batch_reset(x);
    if (d->proto == 6)
        ex_stream_packet(x, ft, f, d, dir, ts_us);
    else
        read_udp(x, f, d, ts_us);
}

/* Which host name an nDPI protocol id carries, by its name; remembered per
 * id so a flow's end costs two table reads, not string compares. */
static enum ex_host_kind
id_host_kind(struct extract *x, uint16_t id)
{
    if (id == 0 || x->dpi == NULL)
        return EXH_NONE;
    if (id < EX_PROTO_IDS && x->host_kind[id] != 0)
        return (enum ex_host_kind)(x->host_kind[id] - 1);
    const char *n = dpi_proto_name(x->dpi, id);
    enum ex_host_kind k = EXH_NONE;
    if (strcasecmp(n, "TLS") == 0 || strcasecmp(n, "QUIC") == 0 || strcasecmp(n, "DTLS") == 0)
        k = EXH_SNI;
    else if (strcasecmp(n, "DNS") == 0)
        k = EXH_DNS;
    else if (strcasecmp(n, "HTTP") == 0)
        k = EXH_HTTP;
    if (id < EX_PROTO_IDS)
        x->host_kind[id] = (uint8_t)(k + 1);
    return k;
}

static enum ex_host_kind
flow_host_kind(struct extract *x, const struct flow *f)
{
    if (f->dpi_status == DPI_NONE)
        return EXH_NONE;
    enum ex_host_kind k = id_host_kind(x, f->dpi_master);
    return k != EXH_NONE ? k : id_host_kind(x, f->dpi_app);
}

static void
observe_str(struct extract *x, const struct ev_subject *s, enum sig_field field, const char *v,
            const struct flow *f, uint64_t ts_us)
{
    if (v != NULL && v[0] != '\0')
        ex_observe(x, s, field, v, strlen(v), f->flow_id, ts_us);
}

void
extract_dpi_done(struct extract *x, const struct flow *f, const struct flow_meta *m,
                 uint64_t ts_us)
{
    if (m == NULL)
        return;
    struct ev_subject client, server;
    ex_subject_ip(&client, flow_src_addr(f), f->key.ip_version);
    ex_subject_ip(&server, flow_dst_addr(f), f->key.ip_version);
    if (m->host != NULL) {
        static const enum sig_field by_kind[] = {
            [EXH_SNI] = SIG_FIELD_TLS_SNI,
            [EXH_DNS] = SIG_FIELD_DNS_QUERY,
            [EXH_HTTP] = SIG_FIELD_HTTP_HOST,
        };
        enum ex_host_kind k = flow_host_kind(x, f);
        if (k != EXH_NONE)
            observe_str(x, &client, by_kind[k], m->host, f, ts_us);
    }
    observe_str(x, &server, SIG_FIELD_TLS_ISSUER, m->tls_issuer, f, ts_us);
    observe_str(x, &server, SIG_FIELD_TLS_SUBJECT, m->tls_subject, f, ts_us);
    observe_str(x, &client, SIG_FIELD_HTTP_USER_AGENT, m->http_ua, f, ts_us);
    /* SSH banners are read from the packets (extract_stream.c): nDPI's
     * client/server labels follow the order of arrival, not the roles. */
}

void
extract_flow_end(struct extract *x, const struct flow *f, const struct flow_meta *m,
                 uint64_t ts_us)
{
    if (m != NULL && m->ex_buf != NULL)
        ex_stream_end(x, f, m->ex_buf, ts_us);
}
