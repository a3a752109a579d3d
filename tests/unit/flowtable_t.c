/* flowtable_t.c - unit tests of the flow table: keys both ways, timeouts,
 * active timeout, TCP states, eviction at the memory cap, fragments. */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "telexpose/flow.h"

#define SEC 1000000ull

struct rec {
    uint64_t flow_id;
    enum flow_end_reason reason;
    uint64_t pkts0, pkts1;
};

struct sink {
    struct rec *r;
    size_t n, cap;
    size_t reasons[FLOW_END_COUNT];
};

static void
on_rec(void *user, struct flow *f, enum flow_end_reason reason)
{
    struct sink *s = user;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->r = realloc(s->r, s->cap * sizeof(*s->r));
    }
    s->r[s->n].flow_id = f->flow_id;
    s->r[s->n].reason = reason;
    s->r[s->n].pkts0 = f->pkts[0];
    s->r[s->n].pkts1 = f->pkts[1];
    s->n++;
    s->reasons[reason]++;
}

/* A decoded IPv4 packet a:sp -> b:dp. */
static struct decoded_pkt
pkt4(uint32_t a, uint16_t sp, uint32_t b, uint16_t dp, uint8_t proto, uint8_t flags)
{
    struct decoded_pkt p;
    memset(&p, 0, sizeof(p));
    p.ip_version = 4;
    p.src.family = p.dst.family = 4;
    p.src.a[0] = (uint8_t)(a >> 24), p.src.a[1] = (uint8_t)(a >> 16);
    p.src.a[2] = (uint8_t)(a >> 8), p.src.a[3] = (uint8_t)a;
    p.dst.a[0] = (uint8_t)(b >> 24), p.dst.a[1] = (uint8_t)(b >> 16);
    p.dst.a[2] = (uint8_t)(b >> 8), p.dst.a[3] = (uint8_t)b;
    p.proto = proto;
    p.has_l4 = true;
    p.src_port = sp;
    p.dst_port = dp;
    p.tcp_flags = flags;
    return p;
}

static struct flow *
feed(struct flow_table *ft, struct decoded_pkt *p, uint64_t ts, int *dir)
{
    int d;
    flowtable_expire(ft, ts);
    struct flow *f = flowtable_get(ft, p, ts, &d);
    flowtable_update(ft, f, p, d, 100, ts);
    if (dir)
        *dir = d;
    return f;
}

static struct flow_table *
table(struct sink *s, size_t memcap)
{
    struct flow_config cfg;
    char err[256];
    flow_config_defaults(&cfg);
    if (memcap)
        cfg.memcap = memcap;
    memset(s, 0, sizeof(*s));
    return flowtable_new(&cfg, on_rec, s, err, sizeof(err));
}

static void
test_both_directions(void)
{
    struct sink s;
    struct flow_table *ft = table(&s, 0);
    struct decoded_pkt syn = pkt4(0x0a000001, 40000, 0xc0a80001, 443, 6, 0x02);
    struct decoded_pkt synack = pkt4(0xc0a80001, 443, 0x0a000001, 40000, 6, 0x12);
    struct decoded_pkt ack = pkt4(0x0a000001, 40000, 0xc0a80001, 443, 6, 0x10);
    int d1, d2, d3;
    struct flow *f1 = feed(ft, &syn, 1 * SEC, &d1);
    struct flow *f2 = feed(ft, &synack, 1 * SEC + 10, &d2);
    struct flow *f3 = feed(ft, &ack, 1 * SEC + 20, &d3);
    ok(f1 == f2 && f2 == f3, "both directions map to one flow");
    is_int(d1, 0, "SYN is initiator->responder");
    is_int(d2, 1, "SYN-ACK is responder->initiator");
    is_int(d3, 0, "ACK is initiator->responder");
    is_int(f1->pkts[0], 2, "two packets to server");
    is_int(f1->pkts[1], 1, "one packet to client");
    is_int(flow_src_port(f1), 40000, "source port is the initiator's");
    is_int(flow_dst_port(f1), 443, "destination port is the responder's");
    is_int(f1->tcp_state, FLOW_TCP_ESTABLISHED, "handshake gives established");
    int dl;
    ok(flowtable_lookup(ft, &synack, &dl) == f1 && dl == 1, "lookup from the reverse side");
    struct decoded_pkt other = pkt4(0x0a000001, 40001, 0xc0a80001, 443, 6, 0x02);
    ok(flowtable_lookup(ft, &other, NULL) == NULL, "another source port is another flow");
    struct decoded_pkt vl = syn;
    vl.vlan_count = 1;
    vl.vlan[0] = 10;
    ok(flowtable_lookup(ft, &vl, NULL) == NULL, "same 5-tuple on another VLAN is another flow");
    is_int(flowtable_stats(ft)->created, 1, "one flow created");
    flowtable_flush(ft, FLOW_END_EOF);
    is_int(s.n, 1, "flush writes one record");
    is_int(s.reasons[FLOW_END_EOF], 1, "with reason end_of_input");
    is_int(flowtable_stats(ft)->active, 0, "table empty after flush");
    flowtable_free(ft);
    free(s.r);
}

static void
test_synack_first(void)
{
    struct sink s;
    struct flow_table *ft = table(&s, 0);
    struct decoded_pkt synack = pkt4(0xc0a80001, 443, 0x0a000001, 40000, 6, 0x12);
    int d;
    struct flow *f = feed(ft, &synack, SEC, &d);
    is_int(d, 1, "a SYN-ACK seen first travels responder->initiator");
    is_int(flow_dst_port(f), 443, "so the server port is the destination");
    flowtable_free(ft);
    free(s.r);
}

static void
test_timeouts(void)
{
    struct sink s;
    struct flow_table *ft = table(&s, 0);
    struct decoded_pkt udp = pkt4(0x0a000001, 5353, 0x0a000002, 53, 17, 0);
    struct decoded_pkt tcp = pkt4(0x0a000001, 1234, 0x0a000002, 80, 6, 0x02);
    feed(ft, &udp, 10 * SEC, NULL);
    feed(ft, &tcp, 10 * SEC, NULL);
    feed(ft, &udp, (10 + FLOW_TIMEOUT_UDP - 1) * SEC, NULL);
    flowtable_expire(ft, (10 + FLOW_TIMEOUT_TCP_NEW + 1) * SEC);
    is_int(s.reasons[FLOW_END_TIMEOUT], 1, "unanswered SYN times out after tcp_new");
    flowtable_expire(ft, (10 + FLOW_TIMEOUT_UDP + FLOW_TIMEOUT_UDP - 2) * SEC);
    is_int(s.reasons[FLOW_END_TIMEOUT], 1, "UDP flow refreshed by its last packet is kept");
    flowtable_expire(ft, (10 + 2 * FLOW_TIMEOUT_UDP) * SEC);
    is_int(s.reasons[FLOW_END_TIMEOUT], 2, "UDP flow times out after its idle timeout");
    is_int(s.r[1].pkts0, 2, "its record counts both packets");
    is_int(flowtable_stats(ft)->timed_out, 2, "timed_out counter");
    flowtable_free(ft);
    free(s.r);
}

static void
test_tcp_close(void)
{
    struct sink s;
    struct flow_table *ft = table(&s, 0);
    struct decoded_pkt a = pkt4(0x0a000001, 1111, 0x0a000002, 22, 6, 0x02);
    struct decoded_pkt b = pkt4(0x0a000002, 22, 0x0a000001, 1111, 6, 0x12);
    struct decoded_pkt fa = pkt4(0x0a000001, 1111, 0x0a000002, 22, 6, 0x11);
    struct decoded_pkt fb = pkt4(0x0a000002, 22, 0x0a000001, 1111, 6, 0x11);
    feed(ft, &a, SEC, NULL);
    feed(ft, &b, SEC, NULL);
    struct flow *f = feed(ft, &fa, 2 * SEC, NULL);
    is_int(f->tcp_state, FLOW_TCP_ESTABLISHED, "one FIN keeps it established");
    feed(ft, &fb, 2 * SEC, NULL);
    is_int(f->tcp_state, FLOW_TCP_CLOSED, "FIN both ways closes");
    flowtable_expire(ft, (2 + FLOW_TIMEOUT_TCP_CLOSED + 1) * SEC);
    is_int(s.reasons[FLOW_END_TIMEOUT], 1, "closed flow leaves after tcp_closed, not tcp_est");
    struct decoded_pkt r1 = pkt4(0x0a000003, 2222, 0x0a000002, 80, 6, 0x02);
    struct decoded_pkt r2 = pkt4(0x0a000002, 80, 0x0a000003, 2222, 6, 0x14);
    feed(ft, &r1, 20 * SEC, NULL);
    f = feed(ft, &r2, 20 * SEC, NULL);
    is_int(f->tcp_state, FLOW_TCP_CLOSED, "RST closes");
    flowtable_free(ft);
    free(s.r);
}

static void
test_active_timeout(void)
{
    struct sink s;
    struct flow_table *ft = table(&s, 0);
    struct decoded_pkt u = pkt4(0x0a000001, 1000, 0x0a000002, 2000, 17, 0);
    uint64_t t = SEC;
    struct flow *f = NULL;
    uint64_t fed = 0;
    /* One packet every 30 s for a little over two active timeouts. */
    for (; t < (2 * FLOW_ACTIVE_TIMEOUT + 40) * SEC; t += 30 * SEC, fed++)
        f = feed(ft, &u, t, NULL);
    is_int(s.reasons[FLOW_END_ACTIVE], 2, "two periodic records for a long flow");
    ok(f != NULL && flowtable_lookup(ft, &u, NULL) == f, "the flow stays in the table");
    is_int(s.r[0].pkts0, FLOW_ACTIVE_TIMEOUT / 30, "first record covers one interval");
    ok(s.r[0].flow_id == s.r[1].flow_id, "records of one flow share the flow_id");
    flowtable_flush(ft, FLOW_END_EOF);
    uint64_t total = 0;
    for (size_t i = 0; i < s.n; i++)
        total += s.r[i].pkts0;
    is_int(total, fed, "every packet is in exactly one record");
    flowtable_free(ft);
    free(s.r);
}

static void
test_eviction(void)
{
    struct sink s;
    struct flow_table *ft = table(&s, FLOW_MIN_MEMCAP);
    const struct flow_stats *st = flowtable_stats(ft);
    uint64_t max = st->max_flows;
    ok(max > 100, "1 MiB holds some flows (%llu)", (unsigned long long)max);
    uint64_t n = max * 3;
    for (uint64_t i = 0; i < n; i++) {
        struct decoded_pkt p = pkt4(0x0a000000 + (uint32_t)i, 1024, 0x08080808, 53, 17, 0);
        feed(ft, &p, SEC + i, NULL);
    }
    ok(st->active <= max, "never more flows than the pool holds");
    ok(st->mem_peak <= FLOW_MIN_MEMCAP, "peak memory %llu stays within the cap",
       (unsigned long long)st->mem_peak);
    is_int(st->created, n, "every packet created its flow");
    is_int(st->evicted + st->active, n, "each flow is either evicted or still active");
    is_int(s.reasons[FLOW_END_EVICTED], st->evicted, "evictions were reported");
    /* The oldest were evicted: the newest flow is still there, the first is not. */
    struct decoded_pkt first = pkt4(0x0a000000, 1024, 0x08080808, 53, 17, 0);
    struct decoded_pkt last = pkt4(0x0a000000 + (uint32_t)(n - 1), 1024, 0x08080808, 53, 17, 0);
    ok(flowtable_lookup(ft, &first, NULL) == NULL, "oldest flow evicted");
    ok(flowtable_lookup(ft, &last, NULL) != NULL, "newest flow kept");
    /* Every active flow is still reachable after all the backward-shift deletions. */
    uint64_t found = 0;
    for (uint64_t i = 0; i < n; i++) {
        struct decoded_pkt p = pkt4(0x0a000000 + (uint32_t)i, 1024, 0x08080808, 53, 17, 0);
        if (flowtable_lookup(ft, &p, NULL) != NULL)
            found++;
    }
    is_int(found, st->active, "all active flows found by lookup");
    flowtable_flush(ft, FLOW_END_EOF);
    is_int(s.n, n, "one record per flow overall");
    flowtable_free(ft);
    free(s.r);
}

static size_t ext_mem;

static void
test_external_memory(void)
{
    struct sink s;
    struct flow_table *ft = table(&s, 4u << 20);
    flowtable_set_external_mem(ft, &ext_mem);
    struct flow *keep = NULL;
    for (uint32_t i = 0; i < 100; i++) {
        struct decoded_pkt p = pkt4(0x0a000000 + i, 1, 0x0a0000ff, 2, 17, 0);
        keep = feed(ft, &p, SEC + i, NULL);
    }
    ext_mem = 4u << 20; /* the caller's state alone fills the cap */
    flowtable_enforce_memcap(ft, keep);
    ok(flowtable_stats(ft)->evicted == 99, "external memory over the cap evicts all but keep");
    ok(flowtable_stats(ft)->active == 1, "the protected flow stays");
    ext_mem = 0;
    flowtable_free(ft);
    free(s.r);
}

static void
test_fragments(void)
{
    struct sink s;
    struct flow_table *ft = table(&s, 0);
    struct decoded_pkt first = pkt4(0x0a000001, 5000, 0x0a000002, 53, 17, 0);
    first.is_fragment = true;
    first.frag_id = 77;
    struct decoded_pkt later = first;
    later.has_l4 = false;
    later.src_port = later.dst_port = 0;
    later.frag_offset = 185;
    ok(!flowtable_frag_ports(ft, &later, 5 * SEC), "later fragment before the first: ports unknown");
    ok(flowtable_frag_ports(ft, &first, 5 * SEC), "first fragment records its ports");
    ok(flowtable_frag_ports(ft, &later, 5 * SEC), "later fragment finds them");
    is_int(later.src_port, 5000, "source port restored");
    is_int(later.dst_port, 53, "destination port restored");
    is_int(later.payload_len, 0, "later fragment has no transport payload");
    later.has_l4 = false;
    ok(!flowtable_frag_ports(ft, &later, 40 * SEC), "a fragment 35 s later is too late");
    struct decoded_pkt other = later;
    other.frag_id = 78;
    other.has_l4 = false;
    ok(!flowtable_frag_ports(ft, &other, 5 * SEC), "another datagram id does not match");
    flowtable_free(ft);
    free(s.r);
}

static void
test_meta(void)
{
    struct sink s;
    struct flow_table *ft = table(&s, 0);
    struct decoded_pkt u = pkt4(0x0a000001, 1000, 0x0a000002, 53, 17, 0);
    struct flow *f = feed(ft, &u, SEC, NULL);
    uint64_t before = flowtable_stats(ft)->mem_used;
    struct flow_meta *m = flowtable_meta(ft, f);
    flowtable_meta_set(ft, f, &m->host, "router.example");
    flowtable_meta_set(ft, f, &m->http_ua, "HW_ATP_HTTP");
    flowtable_enforce_memcap(ft, f);
    uint64_t with = flowtable_stats(ft)->mem_used;
    ok(with >= before + sizeof(struct flow_meta) + 15 + 12, "metadata is counted (%llu -> %llu)",
       (unsigned long long)before, (unsigned long long)with);
    struct flow_meta *c = flow_meta_dup(f->meta);
    ok(c != NULL && c->host != f->meta->host && strcmp(c->host, "router.example") == 0,
       "dup copies the strings");
    flowtable_meta_set(ft, f, &m->host, NULL);
    ok(f->meta->host == NULL, "a NULL value clears a field");
    struct flow_meta *d = flowtable_meta_detach(ft, f);
    flowtable_enforce_memcap(ft, f);
    ok(d != NULL && f->meta == NULL, "detach hands the metadata over");
    is_int(flowtable_stats(ft)->mem_used, before, "and the table no longer counts it");
    ok(flowtable_meta_detach(ft, f) == NULL, "detaching twice gives NULL");
    flow_meta_free(d);
    flow_meta_free(c);
    flow_meta_free(NULL);
    flowtable_free(ft);
    free(s.r);
}

static void
test_config(void)
{
    struct flow_config cfg;
    char err[256] = "";
    flow_config_defaults(&cfg);
    cfg.memcap = 1000;
    ok(flowtable_new(&cfg, on_rec, NULL, err, sizeof(err)) == NULL, "tiny memcap refused");
    ok(strstr(err, "memcap") != NULL, "error names the memcap: %s", err);
    flow_config_defaults(&cfg);
    cfg.timeout[FLOW_TC_UDP] = 0;
    ok(flowtable_new(&cfg, on_rec, NULL, err, sizeof(err)) == NULL, "zero timeout refused");
    ok(strstr(err, "udp") != NULL, "error names the class: %s", err);
    for (int c = 0; c < FLOW_TC_COUNT; c++)
        ok(flow_tclass_name((enum flow_tclass)c) != NULL, "class %d has a name", c);
    for (int r = 0; r < FLOW_END_COUNT; r++)
        ok(strcmp(flow_end_reason_name((enum flow_end_reason)r), "unknown") != 0,
           "reason %d has a name", r);
}

int
main(void)
{
    test_both_directions();
    test_synack_first();
    test_timeouts();
    test_tcp_close();
    test_active_timeout();
    test_eviction();
    test_external_memory();
    test_fragments();
    test_meta();
    test_config();
    flowtable_free(NULL);
    return done_testing();
}
