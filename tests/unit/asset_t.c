/* asset_t.c - unit tests of the asset model (asset.h), the findings
 * (exposure.h) and the report (report.h).
 *
 * Reference: docs/report.md ("Verdicts"), docs/exposure.md (kinds,
 * severities, "Gateways", "Local networks").
 */
#include <arpa/inet.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>

#include "tap.h"
#include "telexpose/asset.h"
#include "telexpose/exposure.h"
#include "telexpose/extract.h"
#include "telexpose/flow.h"
#include "telexpose/report.h"

static struct decode_addr
ip(const char *s)
{
    struct decode_addr a;
    memset(&a, 0, sizeof(a));
    if (inet_pton(AF_INET, s, a.a) == 1)
        a.family = 4;
    else if (inet_pton(AF_INET6, s, a.a) == 1)
        a.family = 6;
    return a;
}

static const uint8_t MAC_HW[6] = {0x48, 0x46, 0xfb, 0x00, 0x00, 0x01};
static const uint8_t MAC_PC[6] = {0x00, 0x1b, 0x21, 0x11, 0x22, 0x33};
static const uint8_t MAC_SW[6] = {0x00, 0xe0, 0xfc, 0x00, 0x00, 0x01};

static struct sig_hit
hit(const char *rule, const char *vendor, double conf)
{
    struct sig_hit h;
    memset(&h, 0, sizeof(h));
    h.rule_id = rule;
    h.pack_id = strcmp(vendor, "Huawei") == 0 ? "huawei" : "other";
    h.vendor = vendor;
    h.confidence = conf;
    return h;
}

static struct ev_subject
subj_mac(const uint8_t mac[6])
{
    struct ev_subject s;
    memset(&s, 0, sizeof(s));
    s.key_is_mac = s.has_mac = true;
    memcpy(s.mac, mac, 6);
    s.mac_source = EV_MAC_ETHERNET;
    return s;
}

static struct ev_subject
subj_ip(const char *addr)
{
    struct ev_subject s;
    memset(&s, 0, sizeof(s));
    s.ip = ip(addr);
    return s;
}

/* A TCP (proto 6) or UDP flow from client to server:sport, answered. */
static struct flow
mkflow(const uint8_t *cmac, const char *client, const uint8_t *smac, const char *server,
       uint8_t proto, uint16_t sport, uint64_t id)
{
    struct flow f;
    memset(&f, 0, sizeof(f));
    struct decode_addr c = ip(client), s = ip(server);
    f.key.ip_version = c.family;
    memcpy(f.key.lo_addr, c.a, 16);
    memcpy(f.key.hi_addr, s.a, 16);
    f.key.lo_port = 40000;
    f.key.hi_port = sport;
    f.key.proto = proto;
    f.init_is_lo = 1;
    f.flow_id = id;
    f.first_us = f.rec_start_us = 1000000 * id;
    f.last_us = f.first_us + 500000;
    f.pkts[0] = 5;
    f.pkts[1] = 4;
    f.bytes[0] = 500;
    f.bytes[1] = 400;
    f.tcp_flags[0] = 0x1a;
    f.tcp_flags[1] = 0x12 | 0x08;
    if (cmac) {
        f.has_mac[0] = 1;
        memcpy(f.mac[0], cmac, 6);
    }
    if (smac) {
        f.has_mac[1] = 1;
        memcpy(f.mac[1], smac, 6);
    }
    return f;
}

static void
t_home_net(void)
{
    struct asset_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    char err[256];
    ok(asset_parse_home_net(&cfg, "192.168.1.7/24,2001:db8::/32,10.0.0.1", err, sizeof(err)) == 0,
       "home-net: three items parse");
    ok(cfg.n_home_net == 3 && cfg.home_net[0].bits == 24 && cfg.home_net[0].addr.a[3] == 0,
       "home-net: host bits of 192.168.1.7/24 cleared");
    ok(cfg.home_net[2].bits == 32, "home-net: a bare address is /32");
    ok(asset_parse_home_net(&cfg, "300.1.1.1/8", err, sizeof(err)) == -1 &&
           strstr(err, "300.1.1.1/8") != NULL,
       "home-net: a bad item is an error naming it (%s)", err);
    ok(asset_parse_home_net(&cfg, "10.0.0.0/33", err, sizeof(err)) == -1, "home-net: /33 refused");
    ok(asset_parse_home_net(&cfg, "10.0.0.0/8,,", err, sizeof(err)) == -1, "home-net: empty item refused");
    ok(asset_parse_home_net(&cfg, "", err, sizeof(err)) == -1, "home-net: nothing refused");

    struct asset *a = asset_new(NULL, NULL, NULL);
    struct decode_addr x;
    x = ip("10.1.2.3");
    ok(asset_addr_is_local(a, &x), "default: 10/8 is local");
    x = ip("100.64.1.20");
    ok(asset_addr_is_local(a, &x), "default: 100.64/10 is local");
    x = ip("8.8.8.8");
    ok(!asset_addr_is_local(a, &x), "default: 8.8.8.8 is not");
    x = ip("fe80::1");
    ok(asset_addr_is_local(a, &x), "default: fe80::/10 is local");
    x = ip("2001:db8::5");
    ok(!asset_addr_is_local(a, &x), "default: a global IPv6 address is not");
    asset_bind(a, MAC_PC, &x, ASSET_BIND_ND, 1);
    ok(asset_addr_is_local(a, &x), "default: a global address bound by ND is local");
    asset_free(a);

    asset_parse_home_net(&cfg, "198.51.100.0/24", err, sizeof(err));
    a = asset_new(&cfg, NULL, NULL);
    x = ip("198.51.100.77");
    ok(asset_addr_is_local(a, &x), "--home-net: inside it is local");
    x = ip("10.1.2.3");
    ok(!asset_addr_is_local(a, &x), "--home-net: private ranges are no longer implied");
    asset_free(a);
}

static void
t_bindings_and_gateways(void)
{
    struct asset *a = asset_new(NULL, NULL, NULL);
    uint8_t mac[6];
    enum asset_bind_source src;
    struct decode_addr gw = ip("192.168.1.1"), pc = ip("192.168.1.10");
    asset_bind(a, MAC_HW, &gw, ASSET_BIND_ARP, 1);
    ok(asset_ip_owner(a, &gw, mac, &src) && memcmp(mac, MAC_HW, 6) == 0 && src == ASSET_BIND_ARP,
       "ARP binds the gateway's address to its MAC");
    /* The client sends from its one address: it owns it. */
    struct flow f = mkflow(MAC_PC, "192.168.1.10", MAC_HW, "192.168.1.1", 17, 53, 1);
    asset_add_flow(a, &f, NULL, NULL);
    ok(asset_ip_owner(a, &pc, mac, &src) && memcmp(mac, MAC_PC, 6) == 0 &&
           src == ASSET_BIND_TRAFFIC,
       "a host's traffic binds its local address");
    /* The gateway's MAC brings replies from 300 internet hosts. */
    char addr[32];
    for (int i = 0; i < 300; i++) {
        snprintf(addr, sizeof(addr), "23.20.%d.%d", i / 200, i % 200 + 1);
        f = mkflow(MAC_PC, "192.168.1.10", MAC_HW, addr, 6, 443, (uint64_t)i + 2);
        asset_add_flow(a, &f, NULL, NULL);
    }
    struct decode_addr remote = ip("23.20.0.5");
    ok(!asset_ip_owner(a, &remote, NULL, NULL), "an internet address behind the gateway has no owner");
    ok(asset_ip_owner(a, &gw, mac, NULL) && memcmp(mac, MAC_HW, 6) == 0,
       "the gateway keeps its ARP-bound address");
    ok(asset_ip_owner(a, &pc, mac, NULL) && memcmp(mac, MAC_PC, 6) == 0,
       "the client keeps its address");

    /* Evidence: the gateway's OUI; nothing about the 300. */
    struct ev_subject s = subj_mac(MAC_HW);
    struct sig_hit h = hit("huawei-oui-technologies", "Huawei", 0.95);
    asset_add_evidence(a, &s, &h, SIG_FIELD_MAC_ORG, "HUAWEI TECHNOLOGIES CO.,LTD", 0, 1);
    const struct asset_view *v = asset_review(a);
    ok(v->n_reported == 1, "one device behind a Huawei gateway, not hundreds (%zu)", v->n_reported);
    const struct asset_device *d = &v->devices[0];
    ok(strcmp(d->id, "mac=48:46:fb:00:00:01") == 0, "the device is the gateway's MAC (%s)", d->id);
    ok(d->gateway && d->role == ASSET_ROLE_ROUTER, "its role is router (%s: %s)",
       asset_role_name(d->role), d->role_reason);
    ok(d->n_ips == 1 && d->ips[0].a[3] == 1, "its only address is 192.168.1.1 (%zu)", d->n_ips);
    ok(asset_device_of_ip(a, &remote) == NULL, "no device for an internet host");
    ok(d->traffic.flows == 301 && d->traffic.pkts_sent == 301 * 4,
       "traffic totals count the MAC's flows (%llu flows)", (unsigned long long)d->traffic.flows);
    asset_free(a);

    /* One unbound non-local source is enough. */
    a = asset_new(NULL, NULL, NULL);
    f = mkflow(MAC_PC, "10.0.0.2", MAC_SW, "9.9.9.9", 6, 443, 1);
    asset_add_flow(a, &f, NULL, NULL);
    struct decode_addr nine = ip("9.9.9.9");
    ok(!asset_ip_owner(a, &nine, NULL, NULL), "a non-local source is not bound");
    s = subj_mac(MAC_SW);
    asset_add_evidence(a, &s, &h, SIG_FIELD_MAC_ORG, "HUAWEI TECHNOLOGIES CO.,LTD", 0, 1);
    v = asset_review(a);
    ok(v->n_devices == 1 && v->devices[0].gateway && strstr(v->devices[0].role_reason, "9.9.9.9"),
       "a MAC sending from a non-local address is a gateway (%s)", v->devices[0].role_reason);
    asset_free(a);
}

static void
t_verdicts(void)
{
    struct asset *a = asset_new(NULL, NULL, NULL);
    /* Three independent hints of 0.3: 1 - 0.7^3. */
    struct ev_subject s = subj_ip("10.5.0.1");
    struct sig_hit h1 = hit("r-http", "Huawei", 0.3), h2 = hit("r-ssdp", "Huawei", 0.3),
                   h3 = hit("r-snmp", "Huawei", 0.3), h4 = hit("r-http2", "Huawei", 0.3);
    asset_add_evidence(a, &s, &h1, SIG_FIELD_HTTP_SERVER, "a", 1, 10);
    asset_add_evidence(a, &s, &h2, SIG_FIELD_SSDP_SERVER, "b", 2, 11);
    asset_add_evidence(a, &s, &h3, SIG_FIELD_SNMP_SYSDESCR, "c", 3, 12);
    const struct asset_view *v = asset_review(a);
    ok(v->n_devices == 1 && fabs(v->devices[0].confidence - 0.657) < 1e-9,
       "three independent 0.3 hints combine to 0.657 (%.3f)", v->devices[0].confidence);
    /* A second hit from the same source is the same witness. */
    asset_add_evidence(a, &s, &h4, SIG_FIELD_HTTP_TITLE, "d", 4, 13);
    v = asset_review(a);
    ok(fabs(v->devices[0].confidence - 0.657) < 1e-9,
       "a second HTTP hint adds nothing (%.3f)", v->devices[0].confidence);
    /* Repeats count, they do not add entries. */
    asset_add_evidence(a, &s, &h1, SIG_FIELD_HTTP_SERVER, "a", 5, 20);
    v = asset_review(a);
    const struct asset_device *d = &v->devices[0];
    bool counted = false;
    for (size_t i = 0; i < d->n_evidence; i++)
        if (strcmp(d->evidence[i]->rule, "r-http") == 0)
            counted = d->evidence[i]->count == 2 && d->evidence[i]->first_us == 10 &&
                      d->evidence[i]->last_us == 20;
    ok(d->n_evidence == 4 && counted, "a repeat raises count and last seen (%zu entries)",
       d->n_evidence);
    asset_free(a);

    /* A contradicting strong signal wins, and lowers the confidence. */
    a = asset_new(NULL, NULL, NULL);
    s = subj_mac(MAC_PC);
    struct sig_hit weak1 = hit("hw-a", "Huawei", 0.3), weak2 = hit("hw-b", "Huawei", 0.3),
                   strong = hit("honor-dhcp", "Honor", 0.9);
    asset_add_evidence(a, &s, &weak1, SIG_FIELD_HTTP_USER_AGENT, "x", 0, 1);
    asset_add_evidence(a, &s, &weak2, SIG_FIELD_TLS_ISSUER, "y", 0, 1);
    asset_add_evidence(a, &s, &strong, SIG_FIELD_DHCP_VENDOR_CLASS, "HONOR", 0, 1);
    v = asset_review(a);
    d = &v->devices[0];
    /* Honor 0.9 vs Huawei 0.51: 0.9 * (1 - 0.51 / 2) = 0.6705 */
    ok(strcmp(d->vendor, "Honor") == 0 && fabs(d->confidence - 0.671) < 1e-9,
       "Honor 0.9 beats two Huawei hints: %s %.3f", d->vendor, d->confidence);
    ok(d->n_alts == 1 && strcmp(d->alts[0].vendor, "Huawei") == 0 && fabs(d->alts[0].confidence - 0.51) < 1e-9,
       "the runner-up is listed as an alternative");
    ok(!d->covered, "Honor is labelled as itself, not covered");
    asset_free(a);

    /* Below 0.5: a candidate, not a device. Contact names: neither. */
    a = asset_new(NULL, NULL, NULL);
    s = subj_mac(MAC_SW);
    struct sig_hit hg = hit("huawei-hgmp", "Huawei", 0.4);
    asset_add_evidence(a, &s, &hg, SIG_FIELD_ETH_PROTOCOL, "hgmp", 0, 1);
    struct ev_subject c = subj_ip("10.9.9.9");
    struct sig_hit dns = hit("huawei-dns-device", "Huawei", 0.5);
    asset_add_evidence(a, &c, &dns, SIG_FIELD_DNS_QUERY, "connectivitycheck.platform.hicloud.com", 1, 1);
    v = asset_review(a);
    ok(v->n_devices == 1 && v->n_reported == 0, "a 0.4 hint is a candidate (%zu/%zu)",
       v->n_reported, v->n_devices);
    struct decode_addr nine = ip("10.9.9.9");
    ok(asset_device_of_ip(a, &nine) == NULL, "a DNS query for a vendor name makes no device");
    asset_free(a);
}

static void
t_merge(void)
{
    /* Payload evidence about an address merges into its ARP-bound MAC. */
    struct asset *a = asset_new(NULL, NULL, NULL);
    struct decode_addr sw = ip("10.20.0.1");
    asset_bind(a, MAC_SW, &sw, ASSET_BIND_ARP, 1);
    struct ev_subject m = subj_mac(MAC_SW), s = subj_ip("10.20.0.1");
    struct sig_hit oui = hit("huawei-oui-technologies", "Huawei", 0.95);
    struct sig_hit tel = hit("huawei-telnet-stelnet", "Huawei", 0.9);
    tel.model[0] = '\0';
    snprintf(tel.model, sizeof(tel.model), "S5720");
    asset_add_evidence(a, &m, &oui, SIG_FIELD_MAC_ORG, "HUAWEI TECHNOLOGIES CO.,LTD", 0, 1);
    asset_add_evidence(a, &s, &tel, SIG_FIELD_TELNET_BANNER, "Warning: Telnet", 7, 2);
    struct ev_subject hn = subj_ip("10.20.0.1");
    asset_add_hostname(a, &hn, "core-sw-1", 3);
    const struct asset_view *v = asset_review(a);
    ok(v->n_devices == 1, "MAC and address evidence make one device (%zu)", v->n_devices);
    const struct asset_device *d = &v->devices[0];
    ok(strcmp(d->id, "mac=00:e0:fc:00:00:01") == 0 && d->n_ips == 1 && d->n_evidence == 2,
       "keyed by the MAC, with the address and both facts");
    ok(fabs(d->confidence - 0.995) < 1e-9, "MAC 0.95 and banner 0.9: 0.995 (%.3f)", d->confidence);
    ok(d->model != NULL && strcmp(d->model, "S5720") == 0, "model from the evidence");
    ok(d->n_hostnames == 1 && strcmp(d->hostnames[0], "core-sw-1") == 0, "host name attached");
    ok(d->role == ASSET_ROLE_SWITCH, "a login banner of a network OS: switch (%s)",
       asset_role_name(d->role));
    asset_free(a);

    /* EUI-64: keyed by the recovered MAC. */
    a = asset_new(NULL, NULL, NULL);
    struct ev_subject e = subj_ip("2001:db8:1:0:21e:73ff:fe12:3456");
    e.has_mac = true;
    uint8_t zte[6] = {0x00, 0x1e, 0x73, 0x12, 0x34, 0x56};
    memcpy(e.mac, zte, 6);
    e.mac_source = EV_MAC_EUI64;
    struct sig_hit zh = hit("zte-oui", "ZTE", 0.95);
    asset_add_evidence(a, &e, &zh, SIG_FIELD_MAC_ORG, "zte corporation", 0, 1);
    v = asset_review(a);
    d = &v->devices[0];
    ok(v->n_reported == 1 && strcmp(d->id, "mac=00:1e:73:12:34:56") == 0 &&
           d->mac_source == EV_MAC_EUI64 && d->n_ips == 1,
       "an EUI-64 device is keyed by its MAC, with its IPv6 address (%s)", d->id);
    asset_free(a);
}

static void
t_exposures_and_report(void)
{
    struct asset *a = asset_new(NULL, NULL, NULL);
    struct decode_addr sw = ip("10.20.0.1");
    asset_bind(a, MAC_SW, &sw, ASSET_BIND_ARP, 1);
    struct ev_subject m = subj_mac(MAC_SW);
    struct sig_hit oui = hit("huawei-oui-technologies", "Huawei", 0.95);
    asset_add_evidence(a, &m, &oui, SIG_FIELD_MAC_ORG, "HUAWEI TECHNOLOGIES CO.,LTD", 0, 1);
    struct flow f = mkflow(MAC_PC, "10.20.0.100", MAC_SW, "10.20.0.1", 6, 23, 1);
    f.ex_facts = EXF_TELNET;
    struct asset_flow_facts fx = {.ex_facts = EXF_TELNET, .service = "Telnet"};
    asset_add_flow(a, &f, &fx, NULL);
    f = mkflow(MAC_PC, "10.20.0.100", MAC_SW, "10.20.0.1", 17, 161, 2);
    fx.ex_facts = EXF_SNMP_COMMUNITY;
    fx.service = "SNMP";
    asset_add_flow(a, &f, &fx, NULL);
    /* Web admin reached from a public address. */
    f = mkflow(MAC_PC, "198.51.100.77", MAC_SW, "10.20.0.1", 6, 80, 3);
    fx.ex_facts = EXF_HTTP_BASIC_AUTH;
    fx.service = "HTTP";
    asset_add_flow(a, &f, &fx, NULL);
    /* A refused connection is no service. */
    f = mkflow(MAC_PC, "10.20.0.100", MAC_SW, "10.20.0.1", 6, 22, 4);
    f.tcp_flags[1] = 0x14;
    f.pkts[1] = 1;
    asset_add_flow(a, &f, NULL, NULL);
    /* A host reaching vendor infrastructure. */
    struct asset_contact c[2];
    memset(c, 0, sizeof(c));
    c[0].vendor = "Huawei";
    c[0].via = ASSET_VIA_TLS | ASSET_VIA_NETWORK;
    c[0].name = "connectivitycheck.platform.hicloud.com";
    c[0].asn = 136907;
    c[0].category = "vendor-cloud";
    c[0].pack = "huawei";
    f = mkflow(MAC_PC, "10.20.0.100", MAC_SW, "1.178.32.10", 6, 443, 5);
    asset_add_flow(a, &f, NULL, c);

    const struct asset_view *v = asset_review(a);
    ok(v->n_services == 3, "telnet, snmp and http recorded; the refused ssh not (%zu)", v->n_services);
    ok(v->n_contacts == 1 && v->contacts[0].flows == 1 && v->contacts[0].bytes_out == 500 &&
           v->contacts[0].n_nets == 1,
       "one vendor contact with its bytes");
    struct exposure_set *x = exposure_new(NULL);
    size_t n = exposure_derive(x, a, v, 10);
    size_t nf;
    const struct exposure_finding *fs = exposure_list(x, &nf);
    int crit = 0, clear = 0, covered = 0, vendor = 0, mgmt = 0;
    for (size_t i = 0; i < nf; i++) {
        crit += strcmp(fs[i].kind, "management-from-outside") == 0 && fs[i].severity == EXPOSURE_CRITICAL;
        clear += strcmp(fs[i].kind, "cleartext-management") == 0 && fs[i].severity == EXPOSURE_HIGH;
        covered += strcmp(fs[i].kind, "covered-equipment") == 0;
        vendor += strcmp(fs[i].kind, "vendor-infrastructure") == 0 && fs[i].severity == EXPOSURE_LOW;
        mgmt += strcmp(fs[i].kind, "management-service") == 0 && fs[i].severity == EXPOSURE_LOW;
    }
    ok(n == nf && crit == 1, "cleartext HTTP admin reached from outside is critical");
    ok(clear == 3, "telnet, SNMP community and HTTP Basic are cleartext findings (%d)", clear);
    ok(covered == 1 && vendor == 1 && mgmt == 2, "covered equipment, vendor contact, 2 local services");
    bool sorted = true;
    for (size_t i = 1; i < nf; i++)
        sorted &= fs[i - 1].severity >= fs[i].severity;
    ok(sorted, "findings most severe first");
    char id0[64];
    snprintf(id0, sizeof(id0), "%s", fs[0].id);
    exposure_derive(x, a, asset_review(a), 11);
    fs = exposure_list(x, &nf);
    ok(strcmp(fs[0].id, id0) == 0 && strncmp(id0, "TXE-", 4) == 0, "ids are stable (%s)", id0);

    char path[] = "/tmp/asset_t_reportXXXXXX";
    int fd = mkstemp(path);
    close(fd);
    struct run_stats rs;
    memset(&rs, 0, sizeof(rs));
    rs.packets = 42;
    rs.first_us = 1000000;
    rs.last_us = 6000000;
    struct report_run run = {.rs = &rs};
    char err[256];
    v = asset_review(a);
    exposure_derive(x, a, v, 12);
    ok(report_write(path, &run, a, v, x, err, sizeof(err)) == 0, "report written");
    FILE *fp = fopen(path, "r");
    char buf[65536];
    size_t len = fp ? fread(buf, 1, sizeof(buf) - 1, fp) : 0;
    if (fp)
        fclose(fp);
    buf[len] = '\0';
    cJSON *root = cJSON_Parse(buf);
    ok(root != NULL, "the report is JSON");
    cJSON *devs = cJSON_GetObjectItem(root, "devices");
    cJSON *cov = cJSON_GetObjectItem(root, "coverage");
    ok(cJSON_GetArraySize(devs) == 1 &&
           strcmp(cJSON_GetObjectItem(cJSON_GetArrayItem(devs, 0), "mac")->valuestring,
                  "00:e0:fc:00:00:01") == 0,
       "report: one device with its MAC");
    ok(cJSON_GetArraySize(cJSON_GetObjectItem(root, "exposures")) == (int)nf,
       "report: every finding");
    ok(cov && cJSON_GetObjectItem(cov, "packets")->valuedouble == 42 &&
           cJSON_GetObjectItem(cov, "duration_s")->valuedouble == 5.0 &&
           cJSON_IsNull(cJSON_GetObjectItem(cov, "dropped")),
       "report: coverage of 42 packets over 5 s, loss unknown");
    cJSON_Delete(root);
    ok(report_write("/nonexistent-dir/r.json", &run, a, v, x, err, sizeof(err)) == -1 &&
           strstr(err, "/nonexistent-dir/r.json.tmp") != NULL,
       "an unwritable report is an error naming the file (%s)", err);
    unlink(path);
    exposure_free(x);
    asset_free(a);
}

int
main(void)
{
    t_home_net();
    t_bindings_and_gateways();
    t_verdicts();
    t_merge();
    t_exposures_and_report();
    return done_testing();
}
