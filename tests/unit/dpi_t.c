/* dpi_t.c - unit tests of the nDPI adapter: state allocated only with
 * payload, freed when detection completes, metadata copied, memory counted. */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "telexpose/decode.h"
#include "telexpose/dpi.h"
#include "telexpose/flow.h"

#define SEC 1000000ull

struct ctx {
    struct dpi *d;
    struct flow_table *ft;
};

static void
on_rec(void *user, struct flow *f, enum flow_end_reason reason)
{
    struct ctx *c = user;
    (void)reason;
    /* The table's contract: the callback releases nDPI state. */
    dpi_finish(c->d, c->ft, f);
}

/* Build an Ethernet/IPv4/TCP frame 10.0.0.1:40000 <-> 10.0.0.2:80. */
static size_t
tcp_frame(uint8_t *buf, int to_server, uint8_t flags, uint32_t seq, uint32_t ack,
          const char *payload)
{
    size_t plen = payload ? strlen(payload) : 0;
    size_t iplen = 20 + 20 + plen;
    uint8_t *p = buf;
    static const uint8_t mac_c[6] = { 0x00, 0x1b, 0x21, 1, 2, 3 };
    static const uint8_t mac_s[6] = { 0x00, 0xe0, 0xfc, 4, 5, 6 };
    memcpy(p, to_server ? mac_s : mac_c, 6);
    memcpy(p + 6, to_server ? mac_c : mac_s, 6);
    p[12] = 0x08, p[13] = 0x00;
    p += 14;
    memset(p, 0, 40);
    p[0] = 0x45;
    p[2] = (uint8_t)(iplen >> 8), p[3] = (uint8_t)iplen;
    p[8] = 64, p[9] = 6;
    uint8_t c[4] = { 10, 0, 0, 1 }, s[4] = { 10, 0, 0, 2 };
    memcpy(p + 12, to_server ? c : s, 4);
    memcpy(p + 16, to_server ? s : c, 4);
    uint16_t sp = to_server ? 40000 : 80, dp = to_server ? 80 : 40000;
    p[20] = (uint8_t)(sp >> 8), p[21] = (uint8_t)sp;
    p[22] = (uint8_t)(dp >> 8), p[23] = (uint8_t)dp;
    p[24] = (uint8_t)(seq >> 24), p[25] = (uint8_t)(seq >> 16);
    p[26] = (uint8_t)(seq >> 8), p[27] = (uint8_t)seq;
    p[28] = (uint8_t)(ack >> 24), p[29] = (uint8_t)(ack >> 16);
    p[30] = (uint8_t)(ack >> 8), p[31] = (uint8_t)ack;
    p[32] = 0x50, p[33] = flags;
    p[34] = 0xff, p[35] = 0xff;
    if (plen)
        memcpy(p + 40, payload, plen);
    return 14 + iplen;
}

static struct flow *
feed(struct ctx *c, const uint8_t *frame, size_t len, uint64_t ts)
{
    struct decoded_pkt p;
    if (decode_packet(DECODE_DLT_EN10MB, frame, (uint32_t)len, (uint32_t)len, &p) != DECODE_OK)
        return NULL;
    int dir;
    struct flow *f = flowtable_get(c->ft, &p, ts, &dir);
    flowtable_update(c->ft, f, &p, dir, (uint32_t)len, ts);
    dpi_process(c->d, c->ft, f, &p, ts);
    return f;
}

int
main(void)
{
    char err[256];
    struct ctx c;
    c.d = dpi_new(err, sizeof(err));
    ok(c.d != NULL, "nDPI module created");
    if (c.d == NULL)
        return done_testing();
    struct flow_config cfg;
    flow_config_defaults(&cfg);
    c.ft = flowtable_new(&cfg, on_rec, &c, err, sizeof(err));
    flowtable_set_external_mem(c.ft, dpi_mem_counter(c.d));
    const struct dpi_stats *st = dpi_get_stats(c.d);

    uint8_t fr[1600];
    size_t n = tcp_frame(fr, 1, 0x02, 1000, 0, NULL);
    struct flow *f = feed(&c, fr, n, 1 * SEC);
    ok(f != NULL, "SYN decoded into a flow");
    is_int(f->dpi_status, DPI_NONE, "no payload: no nDPI state");
    ok(f->dpi_state == NULL && st->state_live == 0, "nothing allocated for a SYN");
    is_int(*dpi_mem_counter(c.d), 0, "no flow memory counted yet");
    n = tcp_frame(fr, 0, 0x12, 5000, 1001, NULL);
    feed(&c, fr, n, 1 * SEC + 100);
    n = tcp_frame(fr, 1, 0x10, 1001, 5001, NULL);
    feed(&c, fr, n, 1 * SEC + 200);
    is_int(f->dpi_status, DPI_NONE, "handshake without payload: still no state");

    const char *req = "GET /cwmp HTTP/1.1\r\nHost: acs.example.net\r\n"
                      "User-Agent: HW_ATP_HTTP\r\nAccept: */*\r\n\r\n";
    n = tcp_frame(fr, 1, 0x18, 1001, 5001, req);
    feed(&c, fr, n, 1 * SEC + 300);
    ok(f->dpi_status == DPI_RUNNING || f->dpi_status == DPI_DONE, "payload starts nDPI");
    is_int(st->flows_inspected, 1, "one flow inspected");
    is_int(st->state_peak, 1, "one state allocated at most");
    const char *resp = "HTTP/1.1 200 OK\r\nServer: test\r\nContent-Length: 0\r\n\r\n";
    n = tcp_frame(fr, 0, 0x18, 5001, 1001 + (uint32_t)strlen(req), resp);
    feed(&c, fr, n, 1 * SEC + 400);
    dpi_finish(c.d, c.ft, f);
    is_int(f->dpi_status, DPI_DONE, "detection done");
    ok(f->dpi_state == NULL, "nDPI state freed once done");
    is_int(st->state_live, 0, "no state alive");
    is_str(dpi_proto_name(c.d, f->dpi_app ? f->dpi_app : f->dpi_master), "HTTP",
           "classified as HTTP");
    ok(f->meta != NULL && f->meta->host && strcmp(f->meta->host, "acs.example.net") == 0,
       "host copied into the flow's metadata");
    ok(f->meta != NULL && f->meta->http_ua && strcmp(f->meta->http_ua, "HW_ATP_HTTP") == 0,
       "User-Agent copied");
    ok(f->meta != NULL && f->meta->http_url && strstr(f->meta->http_url, "/cwmp") != NULL,
       "URL copied");
    ok(*dpi_mem_counter(c.d) < 4096, "per-flow nDPI memory returned (%zu bytes left)",
       *dpi_mem_counter(c.d));
    char buf[64];
    is_str(dpi_flow_proto_str(c.d, f, buf, sizeof(buf)), "HTTP", "protocol string");
    is_str(dpi_category_name(c.d, f->dpi_category), "Web", "category");
    is_str(dpi_proto_name(c.d, 65000), "Unknown", "unknown id has a name");
    ok(dpi_risk_name(0) == NULL, "risk 0 has no name");
    ok(dpi_risk_name(1) != NULL, "risk 1 has a name");
    ok(dpi_state_size() > 0, "state size known");

    /* A flow that ends while nDPI still runs is concluded by dpi_finish. */
    const char *junk = "\x01\x02\x03\x04 not a protocol";
    uint8_t fr2[200];
    n = tcp_frame(fr2, 1, 0x18, 1, 1, junk);
    fr2[14 + 20 + 1] = 0x51; /* other source port: another flow */
    struct flow *g = feed(&c, fr2, n, 2 * SEC);
    ok(g != NULL && g != f, "second flow");
    is_int(g->dpi_status, DPI_RUNNING, "undetected flow keeps its state");
    flowtable_flush(c.ft, FLOW_END_EOF);
    is_int(st->state_live, 0, "flush concluded it and freed the state");
    dpi_finish(c.d, c.ft, g); /* idempotent on a finished flow */
    ok(1, "dpi_finish twice is harmless");

    flowtable_free(c.ft);
    dpi_free(c.d);
    dpi_free(NULL);
    return done_testing();
}
