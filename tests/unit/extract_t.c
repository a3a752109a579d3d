/* extract_t.c - the observation stage end to end, below the pipeline:
 * frames -> decode -> flow table -> extract -> evidence events.
 *
 * A small test pack and registry (not the shipped ones, which change) pin
 * down the dispatcher's decisions: which extractor reads a flow, who the
 * subject is (MAC or IP key), what is deduplicated, and that multi-segment
 * messages are reassembled within the flow table's accounting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
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

static void
feed(struct env *e, const uint8_t *frame, size_t len, uint64_t ts)
{
    struct decoded_pkt d;
    enum decode_reason r = decode_packet(DECODE_DLT_EN10MB, frame, (uint32_t)len, (uint32_t)len, &d);
    if (r == DECODE_NOT_IP) {
        extract_frame(e->x, &d, ts);
        return;
    }
    if (r != DECODE_OK)
        return;
    int dir;
    struct flow *f = flowtable_get(e->ft, &d, ts, &dir);
    flowtable_update(e->ft, f, &d, dir, (uint32_t)len, ts);
    extract_packet(e->x, e->ft, f, &d, dir, ts);
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

int
main(void)
{
    test_macs();
    test_http_reassembly();
    test_out_of_order();
    test_telnet_and_dhcp();
    return done_testing();
}
