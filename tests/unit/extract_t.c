/* extract_t.c - the observation stage end to end, below the pipeline:
 * frames -> decode -> flow table -> extract -> evidence events, and the
 * IP-to-MAC bindings it hands to the asset model.
 *
 * A small test pack and registry (not the shipped ones, which change) pin
 * down the dispatcher's decisions: which extractor reads a flow, who the
 * subject is (MAC or IP key), what is deduplicated, and that multi-segment
 * messages are reassembled within the flow table's accounting. The binding
 * tests ask the real asset model who owns an address; the fact tests read
 * a flow's ex_facts while it is alive.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "telexpose/asset.h"
#include "telexpose/decode.h"
#include "telexpose/evidence.h"
#include "telexpose/extract.h"
#include "telexpose/flow.h"
#include "telexpose/oui.h"
#include "telexpose/out_json.h"
#include "telexpose/sig.h"

static const char pack[] =
    "pack t\nvendor Acme\n"
    "rule t-org\n field mac.org\n match exact \"ACME NETWORKS\"\n confidence 0.9\n"
    " source test\n example \"ACME NETWORKS\"\n nomatch \"ACME\"\n"
    "rule t-server\n field http.server\n match regex ^AcmeWeb/([0-9.]+)$\n confidence 0.8\n"
    " version $1\n"
    " source test\n example \"AcmeWeb/1.0\" version=1.0\n nomatch \"Apache\"\n"
    "rule t-cwmp\n field cwmp.manufacturer\n match exact \"Acme Ltd\"\n confidence 0.9\n"
    " source test\n example \"Acme Ltd\"\n nomatch \"Acme\"\n"
    "rule t-telnet\n field telnet.banner\n match contains \"Acme CLI\"\n confidence 0.7\n"
    " source test\n example \"Welcome to Acme CLI\\x0d\\x0aLogin:\"\n nomatch \"Welcome\"\n"
    "rule t-dhcp\n field dhcp.vendor_class\n match prefix \"ACME:\"\n confidence 0.8\n"
    " source test\n example \"ACME:phone\"\n nomatch \"MSFT 5.0\"\n"
    "rule t-ua\n field http.user_agent\n match contains \"AcmePhone\"\n confidence 0.6\n"
    " source test\n example \"Mozilla/5.0 AcmePhone\"\n nomatch \"Mozilla/5.0\"\n";

/* 00:11:22 is Acme; 00:11:22:3 a 28-bit block of someone else. */
static const char registry[] = "001122/24\tACME NETWORKS\n0011223/28\tOTHER CORP\n";

static const uint8_t MAC_ACME[6] = { 0x00, 0x11, 0x22, 0x01, 0x02, 0x03 };
static const uint8_t MAC_OTHER[6] = { 0x00, 0x11, 0x22, 0x31, 0x02, 0x03 };
static const uint8_t MAC_RAND[6] = { 0x02, 0x11, 0x22, 0x01, 0x02, 0x03 };
static const uint8_t MAC_RTR[6] = { 0x00, 0x99, 0x99, 0x00, 0x00, 0x01 };
static const uint8_t BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

struct env {
    struct sig_db *db;
    struct oui_db *oui;
    struct out *out;
    struct evidence_store *ev;
    struct extract *x;
    struct flow_table *ft;
    struct asset *a;
    char path[64];
};

static void
on_record(void *user, struct flow *f, enum flow_end_reason reason)
{
    struct env *e = user;
    (void)reason;
    struct flow_meta *m = flowtable_meta_detach(e->ft, f);
    extract_flow_end(e->x, f, m, f->last_us);
    flow_meta_free(m);
}

static void
env_open(struct env *e)
{
    char err[256];
    memset(e, 0, sizeof(*e));
    if (sig_db_load_buffer("t.sig", pack, sizeof(pack) - 1, &e->db, err, sizeof(err)) != 0)
        fprintf(stderr, "pack: %s\n", err);
    if (oui_db_load_buffer("reg", registry, sizeof(registry) - 1, &e->oui, err, sizeof(err)) != 0)
        fprintf(stderr, "registry: %s\n", err);
    snprintf(e->path, sizeof(e->path), "/tmp/extract_t.%d.ndjson", (int)getpid());
    e->out = out_open(e->path, err, sizeof(err));
    e->ev = evidence_new(e->db, e->out);
    e->x = extract_new(e->oui, NULL, e->ev);
    struct flow_config fc;
    flow_config_defaults(&fc);
    fc.memcap = 4u << 20;
    e->ft = flowtable_new(&fc, on_record, e, err, sizeof(err));
}

/* Close everything and return the events written (caller frees). */
static char *
env_close(struct env *e)
{
    char err[256];
    flowtable_flush(e->ft, FLOW_END_EOF);
    flowtable_free(e->ft);
    extract_free(e->x);
    asset_free(e->a);
    evidence_free(e->ev);
    out_close(e->out, err, sizeof(err));
    sig_db_free(e->db);
    oui_db_free(e->oui);
    FILE *fp = fopen(e->path, "rb");
    char *buf = calloc(1, 1 << 20);
    if (fp != NULL) {
        size_t n = fread(buf, 1, (1 << 20) - 1, fp);
        buf[n] = '\0';
        fclose(fp);
    }
    unlink(e->path);
    return buf;
}

static size_t
count_of(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

/* Ethernet + IPv4 + TCP/UDP frame into buf; returns its length. */
static size_t
frame4(uint8_t *buf, const uint8_t *smac, const uint8_t *dmac, uint32_t sip, uint32_t dip,
       uint8_t proto, uint16_t sport, uint16_t dport, uint32_t seq, uint8_t flags,
       const void *payload, size_t plen)
{
    size_t l4 = proto == 6 ? 20 : 8;
    memcpy(buf, dmac, 6);
    memcpy(buf + 6, smac, 6);
    buf[12] = 0x08;
    buf[13] = 0x00;
    uint8_t *ip = buf + 14;
    memset(ip, 0, 20);
    ip[0] = 0x45;
    size_t tot = 20 + l4 + plen;
    ip[2] = (uint8_t)(tot >> 8);
    ip[3] = (uint8_t)tot;
    ip[8] = 64;
    ip[9] = proto;
    for (int i = 0; i < 4; i++) {
        ip[12 + i] = (uint8_t)(sip >> (24 - 8 * i));
        ip[16 + i] = (uint8_t)(dip >> (24 - 8 * i));
    }
    uint8_t *t = ip + 20;
    memset(t, 0, l4);
    t[0] = (uint8_t)(sport >> 8);
    t[1] = (uint8_t)sport;
    t[2] = (uint8_t)(dport >> 8);
    t[3] = (uint8_t)dport;
    if (proto == 6) {
        for (int i = 0; i < 4; i++)
            t[4 + i] = (uint8_t)(seq >> (24 - 8 * i));
        t[12] = 0x50;
        t[13] = flags;
    } else {
        t[4] = (uint8_t)((8 + plen) >> 8);
        t[5] = (uint8_t)(8 + plen);
    }
    if (plen > 0)
        memcpy(t + l4, payload, plen);
    return 14 + tot;
}

/* The flow the frame went to (valid until the table is flushed), or NULL. */
static struct flow *
feed(struct env *e, const uint8_t *frame, size_t len, uint64_t ts)
{
    struct decoded_pkt d;
    enum decode_reason r = decode_packet(DECODE_DLT_EN10MB, frame, (uint32_t)len, (uint32_t)len, &d);
    if (r == DECODE_NOT_IP) {
        extract_frame(e->x, &d, ts);
        return NULL;
    }
    if (r != DECODE_OK)
        return NULL;
    int dir;
    struct flow *f = flowtable_get(e->ft, &d, ts, &dir);
    flowtable_update(e->ft, f, &d, dir, (uint32_t)len, ts);
    extract_packet(e->x, e->ft, f, &d, dir, ts);
    return f;
}

static void
test_macs(void)
{
    struct env e;
    env_open(&e);
    ok(e.db && e.oui && e.out && e.ft, "macs: environment");
    uint8_t fr[2048];
    /* ARP from Acme: a non-IP frame names its sender. */
    uint8_t arp[28] = { 0, 1, 8, 0, 6, 4, 0, 1 };
    memcpy(fr, BCAST, 6);
    memcpy(fr + 6, MAC_ACME, 6);
    fr[12] = 0x08;
    fr[13] = 0x06;
    memcpy(fr + 14, arp, sizeof(arp));
    feed(&e, fr, 42, 1000000);
    feed(&e, fr, 42, 2000000);
    ok(evidence_vendor_of_mac(e.ev, MAC_ACME) != NULL, "macs: ARP sender's OUI is evidence");
    /* TCP from a random MAC to a MAC inside the other company's 28-bit block. */
    size_t n = frame4(fr, MAC_RAND, MAC_OTHER, 0x0a000001, 0x0a000002, 6, 40000, 80, 1, 0x02,
                      NULL, 0);
    feed(&e, fr, n, 3000000);
    ok(evidence_vendor_of_mac(e.ev, MAC_RAND) == NULL, "macs: random MAC gives no evidence");
    ok(evidence_vendor_of_mac(e.ev, MAC_OTHER) == NULL,
       "macs: the longer registry block wins over the Acme /24");
    /* The destination MAC of a flow counts too. */
    n = frame4(fr, MAC_RTR, MAC_ACME, 0x0a000003, 0x0a000004, 17, 5000, 6000, 0, 0, "x", 1);
    feed(&e, fr, n, 4000000);
    uint64_t events = evidence_count(e.ev);
    char *out = env_close(&e);
    ok(events == 1, "macs: one event for Acme's MAC, seen three times (got %" PRIu64 ")", events);
    ok(count_of(out, "\"device\":\"mac=00:11:22:01:02:03\"") == 1, "macs: keyed by the MAC");
    ok(count_of(out, "\"mac_source\":\"ethernet\"") == 1, "macs: source ethernet");
    ok(strstr(out, "\"flow_id\"") == NULL, "macs: the first sighting was an ARP frame, no flow");
    free(out);
}

static void
test_http_reassembly(void)
{
    struct env e;
    env_open(&e);
    uint8_t fr[4096];
    static const char body[] =
        "<soap:Envelope><soap:Body><cwmp:Inform><DeviceId>"
        "<Manufacturer>Acme Ltd</Manufacturer><OUI>001122</OUI>"
        "<ProductClass>X1</ProductClass><SerialNumber>ACME0001</SerialNumber>"
        "</DeviceId></cwmp:Inform></soap:Body></soap:Envelope>";
    char req[1024];
    int hl = snprintf(req, sizeof(req),
                      "POST /acs HTTP/1.1\r\nHost: acs.example\r\nUser-Agent: cwmp\r\n"
                      "SOAPAction: \"\"\r\nContent-Type: text/xml\r\nContent-Length: %zu\r\n\r\n",
                      sizeof(body) - 1);
    memcpy(req + hl, body, sizeof(body) - 1);
    size_t total = (size_t)hl + sizeof(body) - 1;
    uint32_t cpe = 0x64400114, acs = 0xc6336410, seq = 1000;
    size_t n = frame4(fr, MAC_RTR, MAC_RTR, cpe, acs, 6, 50000, 7547, seq - 1, 0x02, NULL, 0);
    feed(&e, fr, n, 1000000);
    size_t cut[4] = { 0, (size_t)hl - 10, (size_t)hl + 40, total };
    uint64_t mem_mid = 0;
    for (int i = 0; i < 3; i++) {
        n = frame4(fr, MAC_RTR, MAC_RTR, cpe, acs, 6, 50000, 7547, seq + (uint32_t)cut[i], 0x18,
                   req + cut[i], cut[i + 1] - cut[i]);
        feed(&e, fr, n, 1000100 + (uint64_t)i);
        if (i == 1)
            mem_mid = flowtable_stats(e.ft)->mem_used;
        ok(evidence_count(e.ev) == (i == 2 ? 1u : 0u), "reassembly: evidence after segment %d: %s",
           i + 1, i == 2 ? "the Inform is complete" : "not yet");
    }
    /* A retransmission of the last segment changes nothing. */
    feed(&e, fr, n, 1000200);
    uint64_t mem_end = flowtable_stats(e.ft)->mem_used;
    ok(mem_mid > mem_end + 100, "reassembly: the buffer was accounted and released (%" PRIu64
       " -> %" PRIu64 ")", mem_mid, mem_end);
    ok(evidence_count(e.ev) == 1, "reassembly: a retransmission adds nothing");
    struct decode_addr a = { 4, { 0x64, 0x40, 0x01, 0x14 } };
    ok(evidence_vendor_of_ip(e.ev, &a) != NULL, "reassembly: the CPE's IP has the vendor");
    /* The response names the server. */
    static const char resp[] = "HTTP/1.1 200 OK\r\nServer: AcmeWeb/2.1\r\nContent-Length: 0\r\n\r\n";
    n = frame4(fr, MAC_RTR, MAC_RTR, acs, cpe, 6, 7547, 50000, 5000, 0x18, resp, sizeof(resp) - 1);
    feed(&e, fr, n, 1000300);
    char *out = env_close(&e);
    ok(count_of(out, "\"rule\":\"t-cwmp\"") == 1, "reassembly: one cwmp event");
    ok(strstr(out, "\"device\":\"ip=100.64.1.20\"") != NULL, "reassembly: keyed by the CPE's IP");
    ok(strstr(out, "\"device\":\"ip=198.51.100.16\"") != NULL &&
       strstr(out, "\"rule\":\"t-server\"") != NULL, "reassembly: the server's banner is its own");
    free(out);
}

static void
test_out_of_order(void)
{
    struct env e;
    env_open(&e);
    uint8_t fr[2048];
    static const char req[] = "POST /x HTTP/1.1\r\nContent-Length: 100\r\n"
                              "User-Agent: AcmePhone\r\n\r\n0123456789";
    size_t n = frame4(fr, MAC_RTR, MAC_RTR, 0x0a000001, 0x0a000002, 6, 40000, 8080, 1, 0x18, req,
                      sizeof(req) - 1);
    feed(&e, fr, n, 1000000);
    ok(evidence_count(e.ev) == 0, "gap: waiting for the body");
    n = frame4(fr, MAC_RTR, MAC_RTR, 0x0a000001, 0x0a000002, 6, 40000, 8080, 5000, 0x18, "zz", 2);
    feed(&e, fr, n, 1000001);
    ok(evidence_count(e.ev) == 1, "gap: a hole ends the wait, the headers are read");
    char *out = env_close(&e);
    ok(strstr(out, "\"rule\":\"t-ua\"") != NULL, "gap: user agent evidence");
    free(out);
}

static void
test_telnet_and_dhcp(void)
{
    struct env e;
    env_open(&e);
    uint8_t fr[2048];
    static const uint8_t neg[] = { 255, 251, 1, 255, 251, 3 };
    static const char text[] = "\r\nWelcome to Acme CLI\r\n\r\nLogin: ";
    size_t n = frame4(fr, MAC_RTR, MAC_RTR, 0x0a000009, 0x0a000001, 6, 23, 40001, 100, 0x18, neg,
                      sizeof(neg));
    feed(&e, fr, n, 1000000);
    ok(evidence_count(e.ev) == 0, "telnet: negotiation alone is no banner");
    n = frame4(fr, MAC_RTR, MAC_RTR, 0x0a000009, 0x0a000001, 6, 23, 40001, 100 + sizeof(neg),
               0x18, text, sizeof(text) - 1);
    feed(&e, fr, n, 1000001);
    ok(evidence_count(e.ev) == 1, "telnet: banner read once the prompt arrived");

    /* DHCPDISCOVER from a random MAC, option 60 "ACME:phone". */
    uint8_t dh[300];
    memset(dh, 0, sizeof(dh));
    dh[0] = 1;
    dh[1] = 1;
    dh[2] = 6;
    memcpy(dh + 28, MAC_RAND, 6);
    static const uint8_t opts[] = { 99, 130, 83, 99, 53, 1, 1, 60, 10, 'A', 'C', 'M', 'E',
                                    ':', 'p', 'h', 'o', 'n', 'e', 255 };
    memcpy(dh + 236, opts, sizeof(opts));
    n = frame4(fr, MAC_RAND, BCAST, 0, 0xffffffff, 17, 68, 67, 0, 0, dh, 236 + sizeof(opts));
    feed(&e, fr, n, 2000000);
    ok(evidence_vendor_of_mac(e.ev, MAC_RAND) != NULL,
       "dhcp: a random-MAC client is recognised by what it says");
    char *out = env_close(&e);
    ok(strstr(out, "\"device\":\"mac=02:11:22:01:02:03\"") != NULL &&
       strstr(out, "\"mac_source\":\"dhcp\"") != NULL, "dhcp: keyed by chaddr, source dhcp");
    ok(strstr(out, "\"device\":\"ip=10.0.0.9\"") != NULL, "telnet: keyed by the server's IP");
    free(out);
}

/* ---------------------------------------------------------- bindings */

static void
env_asset(struct env *e)
{
    struct asset_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    e->a = asset_new(&cfg, e->db, NULL);
    extract_set_asset(e->x, e->a);
}

/* Who owns the address text ip: its MAC into mac, or false. */
static bool
owner(const struct env *e, const char *ip, uint8_t mac[6], enum asset_bind_source *src)
{
    struct decode_addr a;
    memset(&a, 0, sizeof(a));
    a.family = strchr(ip, ':') ? 6 : 4;
    if (inet_pton(a.family == 6 ? AF_INET6 : AF_INET, ip, a.a) != 1)
        abort();
    return asset_ip_owner(e->a, &a, mac, src);
}

static bool
owned_by(const struct env *e, const char *ip, const uint8_t *want, enum asset_bind_source how)
{
    uint8_t mac[6];
    enum asset_bind_source src;
    return owner(e, ip, mac, &src) && memcmp(mac, want, 6) == 0 && src == how;
}

static size_t
frame_arp(uint8_t *buf, const uint8_t *smac, unsigned op, const uint8_t *sha, uint32_t spa,
          uint32_t tpa)
{
    memcpy(buf, BCAST, 6);
    memcpy(buf + 6, smac, 6);
    buf[12] = 0x08, buf[13] = 0x06;
    static const uint8_t head[6] = { 0, 1, 8, 0, 6, 4 };
    memcpy(buf + 14, head, 6);
    buf[20] = 0, buf[21] = (uint8_t)op;
    memcpy(buf + 22, sha, 6);
    memset(buf + 32, 0, 6);
    for (int i = 0; i < 4; i++) {
        buf[28 + i] = (uint8_t)(spa >> (24 - 8 * i));
        buf[38 + i] = (uint8_t)(tpa >> (24 - 8 * i));
    }
    memset(buf + 42, 0, 18); /* Ethernet padding */
    return 60;
}

/* Ethernet + IPv6 + ICMPv6 message msg (from its type byte). */
static size_t
frame6(uint8_t *buf, const uint8_t *smac, const uint8_t *dmac, const char *src, const char *dst,
       uint8_t hops, const uint8_t *msg, size_t mlen)
{
    memcpy(buf, dmac, 6);
    memcpy(buf + 6, smac, 6);
    buf[12] = 0x86, buf[13] = 0xdd;
    uint8_t *ip = buf + 14;
    memset(ip, 0, 40);
    ip[0] = 0x60;
    ip[4] = (uint8_t)(mlen >> 8), ip[5] = (uint8_t)mlen;
    ip[6] = 58, ip[7] = hops;
    if (inet_pton(AF_INET6, src, ip + 8) != 1 || inet_pton(AF_INET6, dst, ip + 24) != 1)
        abort();
    memcpy(ip + 40, msg, mlen);
    return 54 + mlen;
}

/* An NS/NA (target, flags byte) or RA/RS with one link-layer option
 * (opt 1 source, 2 target; 0 none) into msg; returns its length. */
static size_t
nd_msg(uint8_t *msg, uint8_t type, uint8_t flags, const char *target, uint8_t opt,
       const uint8_t *mac)
{
    size_t n = type == 134 ? 16 : 8;
    memset(msg, 0, 64);
    msg[0] = type;
    msg[4] = flags;
    if (target != NULL) {
        if (inet_pton(AF_INET6, target, msg + 8) != 1)
            abort();
        n += 16;
    }
    if (opt != 0) {
        msg[n] = opt, msg[n + 1] = 1;
        memcpy(msg + n + 2, mac, 6);
        n += 8;
    }
    return n;
}

static void
test_bind_arp(void)
{
    struct env e;
    env_open(&e);
    env_asset(&e);
    uint8_t fr[64];
    static const uint8_t MCAST[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
    feed(&e, fr, frame_arp(fr, MAC_ACME, 1, MAC_ACME, 0xc0a80114, 0xc0a80101), 1000);
    ok(owned_by(&e, "192.168.1.20", MAC_ACME, ASSET_BIND_ARP), "arp: a request binds its sender");
    ok(!owner(&e, "192.168.1.1", NULL, NULL), "arp: ... not its target");
    feed(&e, fr, frame_arp(fr, MAC_RTR, 2, MAC_RTR, 0xc0a80101, 0xc0a80114), 2000);
    ok(owned_by(&e, "192.168.1.1", MAC_RTR, ASSET_BIND_ARP), "arp: a reply binds its sender");
    feed(&e, fr, frame_arp(fr, MAC_OTHER, 1, MAC_OTHER, 0, 0xc0a8011e), 3000);
    ok(!owner(&e, "192.168.1.30", NULL, NULL), "arp: a probe binds nothing");
    feed(&e, fr, frame_arp(fr, MAC_OTHER, 1, MAC_OTHER, 0xc0a80128, 0xc0a80128), 4000);
    ok(owned_by(&e, "192.168.1.40", MAC_OTHER, ASSET_BIND_ARP), "arp: an announcement binds");
    /* the ARP body's sender counts, not the frame's source (a bridge) */
    feed(&e, fr, frame_arp(fr, MAC_RTR, 2, MAC_RAND, 0xc0a80132, 0xc0a80101), 5000);
    ok(owned_by(&e, "192.168.1.50", MAC_RAND, ASSET_BIND_ARP), "arp: the sender hardware address");
    feed(&e, fr, frame_arp(fr, MAC_RTR, 2, MCAST, 0xc0a8013c, 0xc0a80101), 6000);
    feed(&e, fr, frame_arp(fr, MAC_RTR, 2, MAC_RTR, 0xe0000001, 0xc0a80101), 6001);
    feed(&e, fr, frame_arp(fr, MAC_RTR, 3, MAC_RTR, 0xc0a8013d, 0xc0a80101), 6002);
    ok(!owner(&e, "192.168.1.60", NULL, NULL) && !owner(&e, "224.0.0.1", NULL, NULL) &&
       !owner(&e, "192.168.1.61", NULL, NULL),
       "arp: no group MAC, no multicast address, no RARP op");
    frame_arp(fr, MAC_RTR, 2, MAC_RTR, 0xc0a80146, 0xc0a80101);
    fr[19] = 16; /* protocol length 16: not IPv4 over Ethernet */
    feed(&e, fr, 60, 7000);
    feed(&e, fr, frame_arp(fr, MAC_RTR, 2, MAC_RTR, 0xc0a80147, 0xc0a80101) - 40, 7001);
    ok(!owner(&e, "192.168.1.70", NULL, NULL) && !owner(&e, "192.168.1.71", NULL, NULL),
       "arp: malformed or cut short, nothing");
    free(env_close(&e));

    /* Without a model ARP is only a MAC sighting. */
    env_open(&e);
    feed(&e, fr, frame_arp(fr, MAC_ACME, 1, MAC_ACME, 0xc0a80114, 0xc0a80101), 1000);
    ok(evidence_vendor_of_mac(e.ev, MAC_ACME) != NULL, "arp: no model, the MAC is still seen");
    free(env_close(&e));
}

static void
test_bind_nd(void)
{
    struct env e;
    env_open(&e);
    env_asset(&e);
    uint8_t fr[256], m[64];
    static const uint8_t SNMC[6] = { 0x33, 0x33, 0xff, 0x00, 0x00, 0x10 };
    size_t n;

    n = nd_msg(m, 136, 0x60, "2001:db8::10", 2, MAC_ACME);
    feed(&e, fr, frame6(fr, MAC_ACME, MAC_RTR, "2001:db8::10", "fe80::1", 255, m, n), 1000);
    ok(owned_by(&e, "2001:db8::10", MAC_ACME, ASSET_BIND_ND), "nd: NA binds target to target LL");
    /* Same pair of addresses, same flow: another target is read too. */
    n = nd_msg(m, 136, 0x20, "2001:db8::11", 2, MAC_ACME);
    feed(&e, fr, frame6(fr, MAC_ACME, MAC_RTR, "2001:db8::10", "fe80::1", 255, m, n), 1100);
    ok(owned_by(&e, "2001:db8::11", MAC_ACME, ASSET_BIND_ND), "nd: every NA of a flow is read");
    n = nd_msg(m, 136, 0x40, "2001:db8::12", 2, MAC_OTHER);
    feed(&e, fr, frame6(fr, MAC_OTHER, MAC_RTR, "2001:db8::12", "fe80::1", 255, m, n), 1200);
    ok(!owner(&e, "2001:db8::12", NULL, NULL), "nd: NA without override (proxy) binds nothing");
    n = nd_msg(m, 136, 0x60, "2001:db8::13", 2, MAC_OTHER);
    feed(&e, fr, frame6(fr, MAC_OTHER, MAC_RTR, "2001:db8::13", "fe80::1", 64, m, n), 1300);
    ok(!owner(&e, "2001:db8::13", NULL, NULL), "nd: hop limit 64 (forwarded) binds nothing");

    n = nd_msg(m, 135, 0, "2001:db8::1", 1, MAC_OTHER);
    feed(&e, fr, frame6(fr, MAC_OTHER, SNMC, "2001:db8::20", "ff02::1:ff00:1", 255, m, n), 2000);
    ok(owned_by(&e, "2001:db8::20", MAC_OTHER, ASSET_BIND_ND), "nd: NS binds source to source LL");
    ok(!owner(&e, "2001:db8::1", NULL, NULL), "nd: ... not its target");
    n = nd_msg(m, 135, 0, "2001:db8::21", 0, NULL);
    feed(&e, fr, frame6(fr, MAC_RAND, SNMC, "::", "ff02::1:ff00:21", 255, m, n), 2100);
    ok(!owner(&e, "2001:db8::21", NULL, NULL), "nd: duplicate address detection binds nothing");

    n = nd_msg(m, 134, 0, NULL, 1, MAC_RTR);
    feed(&e, fr, frame6(fr, MAC_RTR, BCAST, "fe80::1", "ff02::1", 255, m, n), 3000);
    ok(owned_by(&e, "fe80::1", MAC_RTR, ASSET_BIND_ND), "nd: RA binds the router's link-local");
    n = nd_msg(m, 133, 0, NULL, 1, MAC_ACME);
    feed(&e, fr, frame6(fr, MAC_ACME, BCAST, "fe80::abcd", "ff02::2", 255, m, n), 3100);
    ok(owned_by(&e, "fe80::abcd", MAC_ACME, ASSET_BIND_ND), "nd: RS binds its source");
    n = nd_msg(m, 136, 0x60, "2001:db8::30", 2, MAC_ACME);
    m[1] = 1; /* code 1: invalid */
    feed(&e, fr, frame6(fr, MAC_ACME, MAC_RTR, "2001:db8::30", "fe80::1", 255, m, n), 3200);
    n = nd_msg(m, 136, 0x60, "2001:db8::31", 2, MAC_ACME);
    m[n - 7] = 0; /* option length 0 */
    feed(&e, fr, frame6(fr, MAC_ACME, MAC_RTR, "2001:db8::31", "fe80::1", 255, m, n), 3300);
    ok(!owner(&e, "2001:db8::30", NULL, NULL) && !owner(&e, "2001:db8::31", NULL, NULL),
       "nd: malformed messages bind nothing");
    free(env_close(&e));
}

/* DHCP reply (op 2) of msg type t: chaddr, yiaddr, giaddr, option 54. */
static size_t
dhcp_reply(uint8_t *dh, unsigned t, const uint8_t *chaddr, uint32_t yiaddr, uint32_t giaddr,
           uint32_t server)
{
    memset(dh, 0, 300);
    dh[0] = 2, dh[1] = 1, dh[2] = 6;
    for (int i = 0; i < 4; i++) {
        dh[16 + i] = (uint8_t)(yiaddr >> (24 - 8 * i));
        dh[24 + i] = (uint8_t)(giaddr >> (24 - 8 * i));
        dh[245 + i] = (uint8_t)(server >> (24 - 8 * i));
    }
    memcpy(dh + 28, chaddr, 6);
    static const uint8_t head[9] = { 99, 130, 83, 99, 53, 1, 0, 54, 4 };
    memcpy(dh + 236, head, sizeof(head));
    dh[242] = (uint8_t)t;
    dh[249] = 255;
    return 250;
}

static void
test_bind_dhcp(void)
{
    struct env e;
    env_open(&e);
    env_asset(&e);
    uint8_t fr[512], dh[300];
    size_t n = dhcp_reply(dh, 5, MAC_ACME, 0x0a000032, 0, 0x0a000001);
    feed(&e, fr, frame4(fr, MAC_RTR, BCAST, 0x0a000001, 0xffffffff, 17, 67, 68, 0, 0, dh, n), 1000);
    ok(owned_by(&e, "10.0.0.50", MAC_ACME, ASSET_BIND_DHCP), "dhcp: ACK binds chaddr to yiaddr");
    ok(owned_by(&e, "10.0.0.1", MAC_RTR, ASSET_BIND_DHCP),
       "dhcp: a server replying itself binds option 54 to its MAC");

    /* REQUEST for 10.0.0.60: no lease yet */
    memset(dh, 0, sizeof(dh));
    dh[0] = 1, dh[1] = 1, dh[2] = 6;
    memcpy(dh + 28, MAC_OTHER, 6);
    static const uint8_t req[] = { 99, 130, 83, 99, 53, 1, 3, 50, 4, 10, 0, 0, 60, 255 };
    memcpy(dh + 236, req, sizeof(req));
    feed(&e, fr, frame4(fr, MAC_OTHER, BCAST, 0, 0xffffffff, 17, 68, 67, 0, 0, dh, 250), 2000);
    ok(!owner(&e, "10.0.0.60", NULL, NULL), "dhcp: a requested address is no binding");
    n = dhcp_reply(dh, 6, MAC_OTHER, 0x0a00003c, 0, 0x0a000001);
    feed(&e, fr, frame4(fr, MAC_RTR, BCAST, 0x0a000001, 0xffffffff, 17, 67, 68, 0, 0, dh, n), 2100);
    ok(!owner(&e, "10.0.0.60", NULL, NULL), "dhcp: nor after a NAK");
    n = dhcp_reply(dh, 2, MAC_OTHER, 0x0a00003c, 0, 0x0a000001);
    feed(&e, fr, frame4(fr, MAC_RTR, BCAST, 0x0a000001, 0xffffffff, 17, 67, 68, 0, 0, dh, n), 2200);
    ok(!owner(&e, "10.0.0.60", NULL, NULL), "dhcp: nor after an OFFER");

    /* relayed ACK: the client's lease binds, the server behind the relay not */
    n = dhcp_reply(dh, 5, MAC_OTHER, 0x0a00094d, 0x0a000901, 0x0a000002);
    feed(&e, fr, frame4(fr, MAC_RAND, BCAST, 0x0a000901, 0xffffffff, 17, 67, 68, 0, 0, dh, n), 3000);
    ok(owned_by(&e, "10.0.9.77", MAC_OTHER, ASSET_BIND_DHCP), "dhcp: relayed ACK binds the lease");
    ok(!owner(&e, "10.0.0.2", NULL, NULL) && !owner(&e, "10.0.9.1", NULL, NULL),
       "dhcp: relayed, neither server nor relay is bound");
    /* server -> relay leg (giaddr set, source = option 54): crossed routers */
    feed(&e, fr, frame4(fr, MAC_RAND, MAC_RTR, 0x0a000002, 0x0a000901, 17, 67, 67, 0, 0, dh, n), 3100);
    ok(!owner(&e, "10.0.0.2", NULL, NULL), "dhcp: nor on the server-to-relay leg");
    /* a server answering from another of its addresses */
    n = dhcp_reply(dh, 5, MAC_ACME, 0x0a000033, 0, 0x0a000003);
    feed(&e, fr, frame4(fr, MAC_RAND, BCAST, 0x0a000004, 0xffffffff, 17, 67, 68, 0, 0, dh, n), 4000);
    ok(owned_by(&e, "10.0.0.51", MAC_ACME, ASSET_BIND_DHCP) && !owner(&e, "10.0.0.3", NULL, NULL),
       "dhcp: source other than option 54 binds the lease only");
    /* inside IP-in-IP the frame's MAC is the tunnel's: the lease binds, the
     * server does not */
    n = dhcp_reply(dh, 5, MAC_OTHER, 0x0a000034, 0, 0x0a000005);
    size_t in = frame4(fr, MAC_RTR, BCAST, 0x0a000005, 0xffffffff, 17, 67, 68, 0, 0, dh, n) - 14;
    memmove(fr + 34, fr + 14, in);
    memset(fr + 14, 0, 20);
    fr[14] = 0x45, fr[16] = (uint8_t)((20 + in) >> 8), fr[17] = (uint8_t)(20 + in);
    fr[22] = 64, fr[23] = 4;
    fr[26] = 192, fr[27] = 0, fr[28] = 2, fr[29] = 1, fr[30] = 192, fr[31] = 0, fr[32] = 2, fr[33] = 2;
    feed(&e, fr, 34 + in, 5000);
    ok(owned_by(&e, "10.0.0.52", MAC_OTHER, ASSET_BIND_DHCP) && !owner(&e, "10.0.0.5", NULL, NULL),
       "dhcp: tunnelled, the lease binds, the server's MAC is unknown");
    free(env_close(&e));
}

static void
test_bind_eui64(void)
{
    struct env e;
    env_open(&e);
    env_asset(&e);
    uint8_t fr[256];
    static const uint8_t echo[8] = { 128, 0, 0, 0, 0, 7, 0, 1 };
    /* 00:11:22:01:02:03 behind the router: the interface id names it */
    feed(&e, fr, frame6(fr, MAC_RTR, MAC_RTR, "2001:db8:5::211:22ff:fe01:203", "2001:db8::99", 60,
                        echo, sizeof(echo)), 1000);
    ok(owned_by(&e, "2001:db8:5::211:22ff:fe01:203", MAC_ACME, ASSET_BIND_EUI64),
       "eui64: bound to the MAC in its interface id");
    ok(!owner(&e, "2001:db8::99", NULL, NULL), "eui64: a plain address is not");
    free(env_close(&e));
}

/* ------------------------------------------------------------- facts */

/* Feed one TCP segment from a to b (ports pa, pb) and return its flow. */
static struct flow *
tcp(struct env *e, uint32_t a, uint32_t b, uint16_t pa, uint16_t pb, uint32_t seq, const char *s,
    uint64_t ts)
{
    uint8_t fr[2048];
    size_t n = frame4(fr, MAC_RTR, MAC_RTR, a, b, 6, pa, pb, seq, 0x18, s, s ? strlen(s) : 0);
    return feed(e, fr, n, ts);
}

static void
test_facts_http(void)
{
    struct env e;
    env_open(&e);
    uint32_t c = 0x0a000001, srv = 0x0a000002;
    struct flow *f = tcp(&e, c, srv, 40000, 80, 1,
                         "GET / HTTP/1.1\r\nHost: x\r\nAuthorization: Basic YWRtaW46YWRtaW4=\r\n\r\n",
                         1000);
    ok(f->ex_facts == EXF_HTTP_BASIC_AUTH, "http: Basic credentials (facts %#x)", f->ex_facts);
    f = tcp(&e, srv, c, 80, 40000, 1, "HTTP/1.1 401 Unauthorized\r\n"
            "WWW-Authenticate: Basic realm=\"x\"\r\nContent-Length: 0\r\n\r\n", 1001);
    ok(f->ex_facts == (EXF_HTTP_BASIC_AUTH | EXF_HTTP_AUTH_ASKED), "http: then a 401");

    f = tcp(&e, c, srv, 40001, 8080, 1, "GET / HTTP/1.1\r\nAuthorization: Digest "
            "username=\"a\", realm=\"Basic\"\r\n\r\n", 2000);
    tcp(&e, srv, c, 8080, 40001, 1, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 2001);
    tcp(&e, c, srv, 40001, 8080, 60, "GET /a HTTP/1.1\r\nAuthorization: Bearer x\r\n\r\n", 2002);
    ok(f->ex_facts == 0, "http: Digest, Bearer and 200 are no facts");

    /* A held-back POST has its facts from the first segment, even if the
     * flow ends before the body is complete. */
    static const char post[] = "POST /acs HTTP/1.1\r\nAuthorization: Basic YQ==\r\n"
                               "Content-Type: text/xml\r\nContent-Length: 3000\r\n\r\n"
                               "<soap:Envelope xmlns:cwmp=\"urn:dslforum-org:cwmp-1-0\">"
                               "<soap:Body><cwmp:Inform><DeviceId>";
    f = tcp(&e, c, srv, 40002, 7547, 1, post, 3000);
    ok(evidence_count(e.ev) == 0 && f->meta != NULL && f->meta->ex_buf != NULL,
       "http: the POST is held back");
    ok(f->ex_facts == (EXF_HTTP_BASIC_AUTH | EXF_CWMP), "http: ... with its facts already");

    /* the ACS's SOAP answer in an XML response */
    static const char acs[] = "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 86\r\n\r\n"
                              "<s:Envelope xmlns:cwmp=\"urn:dslforum-org:cwmp-1-2\"><cwmp:InformResponse/>"
                              "</s:Envelope>";
    f = tcp(&e, srv, c, 7547, 40003, 1, acs, 4000);
    ok(f->ex_facts == EXF_CWMP && (f->meta == NULL || f->meta->ex_buf == NULL),
       "http: an XML response in the CWMP namespace is CWMP");
    static const char upnp[] = "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 40\r\n\r\n"
                               "<root xmlns=\"urn:schemas-upnp-org\"/>    ";
    f = tcp(&e, srv, c, 49152, 40004, 1, upnp, 5000);
    static const char page[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
                               "<p>urn:dslforum-org:cwmp-1-0 Inform</p>";
    struct flow *g = tcp(&e, srv, c, 80, 40005, 1, page, 5001);
    ok(f->ex_facts == 0 && g->ex_facts == 0, "http: UPnP XML and an HTML page are not CWMP");
    free(env_close(&e));
}

static void
test_facts_other(void)
{
    struct env e;
    env_open(&e);
    uint8_t fr[256];
    uint32_t c = 0x0a000001, srv = 0x0a000002;
    /* SNMPv2c get-request, community "public", sysDescr.0 */
    static const uint8_t v2c[] = { 0x30, 0x26, 0x02, 0x01, 0x01, 0x04, 0x06, 'p', 'u', 'b', 'l',
                                   'i', 'c', 0xa0, 0x19, 0x02, 0x01, 0x01, 0x02, 0x01, 0x00, 0x02,
                                   0x01, 0x00, 0x30, 0x0e, 0x30, 0x0c, 0x06, 0x08, 0x2b, 0x06,
                                   0x01, 0x02, 0x01, 0x01, 0x01, 0x00, 0x05, 0x00 };
    struct flow *f = feed(&e, fr, frame4(fr, MAC_RTR, MAC_ACME, c, srv, 17, 50000, 161, 0, 0, v2c,
                                          sizeof(v2c)), 1000);
    ok(f->ex_facts == EXF_SNMP_COMMUNITY, "snmp: v2c community");
    static const uint8_t v3[] = { 0x30, 0x0b, 0x02, 0x01, 0x03, 0x30, 0x06, 0x02, 0x01, 0x01,
                                  0x02, 0x01, 0x00 };
    f = feed(&e, fr, frame4(fr, MAC_RTR, MAC_ACME, c, srv, 17, 50001, 161, 0, 0, v3, sizeof(v3)),
             1100);
    ok(f->ex_facts == 0, "snmp: v3 has none");

    /* Telnet: the client alone is a probe; the server's first bytes a session */
    f = tcp(&e, c, srv, 40000, 23, 1, "\xff\xfd\x01", 2000);
    ok(f->ex_facts == 0, "telnet: client bytes only, no fact");
    f = tcp(&e, srv, c, 23, 40000, 1, "\xff\xfb\x01", 2001);
    ok(f->ex_facts == EXF_TELNET && f->ex_kind != 0, "telnet: server bytes, before any banner");

    f = tcp(&e, srv, c, 21, 40001, 1, "220-Acme FTP\r\n", 3000);
    ok(f->ex_facts == 0, "ftp: a greeting not yet complete is no fact");
    f = tcp(&e, srv, c, 21, 40001, 15, "220 ready\r\n", 3001);
    ok(f->ex_facts == EXF_FTP, "ftp: the complete 220 greeting");
    f = tcp(&e, srv, c, 21, 40002, 1, "530 go away\r\n", 3002);
    ok(f->ex_facts == 0, "ftp: no greeting, no fact");
    free(env_close(&e));
}

int
main(void)
{
    test_macs();
    test_http_reassembly();
    test_out_of_order();
    test_telnet_and_dhcp();
    test_bind_arp();
    test_bind_nd();
    test_bind_dhcp();
    test_bind_eui64();
    test_facts_http();
    test_facts_other();
    return done_testing();
}
