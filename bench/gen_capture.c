/*
 * gen_capture.c - deterministic generator of a realistic benchmark capture for telexpose.
 *
 * Writes a pcap (DLT_EN10MB, microsecond timestamps) of synthetic IPv4 traffic:
 *   - default mix: N flows (default 1,000,000, ~7 packets each) whose start times are
 *     spread uniformly over --span seconds (default 300), each lasting < 2 s:
 *       ~40% TLS/443 (handshake, well-formed ClientHello with SNI, ServerHello, data, FIN)
 *       ~20% HTTP/80 (handshake, GET with Host/User-Agent, 200 OK with body, FIN)
 *       ~30% DNS/53  (one A/AAAA query, one response)
 *       ~10% other   (UDP or TCP between high ports, random payload)
 *   - --syn-flood: N packets (default 5,000,000), each a TCP SYN from a distinct source
 *     IP/port to one target, spread over ~10 s.
 *
 * Determinism: every random choice comes from splitmix64 seeded from --seed; each flow has
 * its own PRNG state so its content does not depend on how flows interleave. No wall-clock
 * time, locale or rand() is used, so the same arguments give a byte-identical file.
 *
 * Memory: flows are started lazily in start-time order and their packets are produced one
 * at a time from a min-heap keyed by the flow's next packet time, so only the flows that
 * are active at a given moment (a few thousand) are held in RAM, never the whole capture.
 *
 * Build: cc -O2 -std=c99 -o gen_capture gen_capture.c -lpcap
 */
/* u_char & co. in pcap.h need the default (BSD) type names besides POSIX. */
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L

#include <pcap/pcap.h>

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Capture epoch: 2023-11-14 22:13:20 UTC; fixed so output never depends on the clock. */
#define BASE_EPOCH 1700000000u

#define ETH_LEN 14
#define IP_LEN 20
#define TCP_LEN 20
#define UDP_LEN 8
#define MSS 1460
#define MAX_FRAME (ETH_LEN + IP_LEN + TCP_LEN + MSS)
#define MAX_STEPS 20

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PSH 0x08
#define TH_ACK 0x10

/* ------------------------------------------------------------------------------------ */
/* PRNG                                                                                  */

static uint64_t sm64(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Stateless hash, for properties that must be a pure function of an id (MAC of an IP). */
static uint64_t mix64(uint64_t x)
{
    uint64_t s = x;
    return sm64(&s);
}

/* Uniform in [lo, hi]; modulo bias is irrelevant for traffic synthesis. */
static uint32_t rnd(uint64_t *s, uint32_t lo, uint32_t hi)
{
    return lo + (uint32_t)(sm64(s) % ((uint64_t)hi - lo + 1));
}

static void fill_random(uint8_t *p, size_t n, uint64_t *s)
{
    while (n >= 8) {
        uint64_t v = sm64(s);
        memcpy(p, &v, 8);
        p += 8;
        n -= 8;
    }
    if (n) {
        uint64_t v = sm64(s);
        memcpy(p, &v, n);
    }
}

/* ------------------------------------------------------------------------------------ */
/* Byte writers (network order)                                                          */

static uint8_t *put8(uint8_t *p, unsigned v) { *p = (uint8_t)v; return p + 1; }
static uint8_t *put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
    return p + 2;
}
static uint8_t *put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
    return p + 4;
}
static uint8_t *putmem(uint8_t *p, const void *src, size_t n)
{
    memcpy(p, src, n);
    return p + n;
}
static void set16(uint8_t *p, size_t v) { put16(p, (unsigned)v); }
static void set24(uint8_t *p, size_t v)
{
    p[0] = (uint8_t)(v >> 16);
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)v;
}

/* Internet checksum, accumulated big-endian so it can be stored with put16. */
static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
    while (n > 1) {
        sum += (uint32_t)p[0] << 8 | p[1];
        p += 2;
        n -= 2;
    }
    if (n)
        sum += (uint32_t)p[0] << 8;
    return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* ------------------------------------------------------------------------------------ */
/* Static vocabulary                                                                     */

/* Real-looking names first; the rest of the ~200 are synthesised in init_hosts(). */
static const char *const real_hosts[] = {
    "www.google.com", "www.youtube.com", "i.ytimg.com", "www.facebook.com",
    "graph.facebook.com", "static.xx.fbcdn.net", "www.instagram.com", "api.twitter.com",
    "www.amazon.com", "images-na.ssl-images-amazon.com", "www.netflix.com",
    "en.wikipedia.org", "upload.wikimedia.org", "github.com", "api.github.com",
    "www.microsoft.com", "login.microsoftonline.com", "outlook.office365.com",
    "www.apple.com", "itunes.apple.com", "www.linkedin.com", "www.reddit.com",
    "www.bing.com", "www.yahoo.com", "www.baidu.com", "www.taobao.com", "www.qq.com",
    "weibo.com", "www.tiktok.com", "web.whatsapp.com", "open.spotify.com",
    "www.dropbox.com", "cdnjs.cloudflare.com", "stackoverflow.com", "www.bbc.co.uk",
    "edition.cnn.com", "www.nytimes.com", "www.ebay.com", "www.paypal.com", "zoom.us",
    "www.twitch.tv", "discord.com", "consumer.huawei.com", "www.zte.com.cn",
    "update.example-vendor.net", "ocsp.digicert.com", "fonts.gstatic.com",
    "ajax.googleapis.com", "connect.facebook.net", "www.googletagmanager.com",
};
#define N_REAL_HOSTS (sizeof real_hosts / sizeof real_hosts[0])
#define N_HOSTS 200
static char host_buf[N_HOSTS][48];
static const char *hosts[N_HOSTS];

static void init_hosts(void)
{
    static const char *const fmt[] = {
        "www.example-%u.com", "cdn%u.example-net.net", "api.service-%u.io",
        "img%u.static-content.org", "shop-%u.example.co.uk", "m.portal-%u.info",
    };
    for (size_t i = 0; i < N_HOSTS; i++) {
        if (i < N_REAL_HOSTS)
            hosts[i] = real_hosts[i];
        else {
            unsigned n = (unsigned)(i - N_REAL_HOSTS);
            snprintf(host_buf[i], sizeof host_buf[i], fmt[n % 6], n * 7 + 1);
            hosts[i] = host_buf[i];
        }
    }
}

static const char *const user_agents[] = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/119.0.0.0 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/119.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/119.0.6045.66 Mobile Safari/537.36",
    "curl/7.88.1",
    "Wget/1.21.3",
    "okhttp/4.11.0",
    "Microsoft-CryptoAPI/10.0",
};
#define N_UA (sizeof user_agents / sizeof user_agents[0])

static const char *const ctypes[] = {
    "text/html; charset=UTF-8", "application/json", "image/png", "image/jpeg",
    "application/javascript", "text/css",
};

/* Public-looking /16 server prefixes (first two octets), picked from hosting/ISP space that
 * nDPI 4.2 has no IP-owner list for, so a flow is classified by its SNI/Host, not its IP. */
static const uint16_t srv_prefix[] = {
    0x5102, 0x52a5, 0x55d6, 0x5776, 0x59a3, 0x5bc6, 0x5e82, 0x5f8e, 0x6d46, 0x8677,
    0x88f3, 0x904c, 0x9750, 0xb009, 0xb23e, 0xb95d, 0xc146, 0xc3c9, 0xd4e3, 0xd9a0,
};
#define N_SRV_PREFIX (sizeof srv_prefix / sizeof srv_prefix[0])

static const uint32_t resolvers[] = {
    0x08080808, 0x08080404, 0x01010101, 0x01000001, 0x09090909, 0xd043dede,
};

/* Client OUIs: Huawei and ZTE are what telexpose looks for; the rest are not. */
static const uint8_t oui_huawei[][3] = {{0x00, 0xe0, 0xfc}, {0x28, 0x6e, 0xd4},
                                        {0xdc, 0xd2, 0xfc}};
static const uint8_t oui_zte[][3] = {{0x00, 0x19, 0xc6}, {0x24, 0xd3, 0xf2}};
static const uint8_t oui_other[][3] = {
    {0x00, 0x1b, 0x21}, {0xa4, 0xbf, 0x01}, {0x18, 0x66, 0xda}, {0x00, 0xe0, 0x4c},
    {0xf0, 0x18, 0x98}, {0x3c, 0xd9, 0x2b},
};
static const uint8_t gw_mac[6] = {0x00, 0x1a, 0xa1, 0x42, 0x10, 0x01};   /* Cisco router */

#define N_CLIENTS 60000u

/* Global copy of --seed, so DNS answers can name the same server addresses flows use. */
static uint64_t g_seed;

/* ------------------------------------------------------------------------------------ */
/* Flows                                                                                 */

enum ftype { F_TLS, F_HTTP, F_DNS, F_UDP, F_TCP, F_NTYPES };
static const char *const ftype_name[F_NTYPES] = {"tls", "http", "dns", "udp-other",
                                                 "tcp-other"};

enum kind {
    K_SYN, K_SYNACK, K_ACK, K_FIN, K_RST,
    K_TLS_CH, K_TLS_SH, K_TLS_CDATA, K_TLS_SDATA,
    K_HTTP_REQ, K_HTTP_RESP,
    K_DNS_Q, K_DNS_R,
    K_DATA,
};

struct step {
    uint32_t at;        /* microseconds after flow start */
    uint8_t kind;
    uint8_t dir;        /* 0 client->server, 1 server->client */
};

struct flow {
    struct flow *next_free;
    uint64_t rng;
    uint64_t start;     /* microseconds since BASE_EPOCH */
    uint64_t sid_seed;  /* TLS session id, regenerated identically by both hellos */
    uint32_t cip, sip;
    uint32_t seq[2];    /* next sequence number per direction */
    uint16_t cport, sport;
    uint16_t ipid[2];
    uint16_t win[2];
    uint8_t ttl[2];
    uint8_t cmac[6];
    uint8_t type, nsteps, cur;
    uint8_t tlsver;     /* 0 Chrome-like 1.3, 1 Firefox-like 1.3, 2 legacy 1.2 */
    uint8_t qtype_aaaa, edns, nxdomain, nans;
    uint16_t host, dns_id;
    uint32_t resp_off, resp_len, body_len;   /* HTTP response stream */
    uint64_t body_seed;
    uint16_t hdr_len;
    char hdr[400];
    struct step steps[MAX_STEPS];
};

struct hent {
    uint64_t ts, seq;
    struct flow *f;
};

struct gen {
    uint64_t seed;
    uint64_t nflows;
    uint64_t span_us;
    pcap_dumper_t *dump;
    uint8_t buf[MAX_FRAME + 64];
    /* heap of active flows keyed by next packet time */
    struct hent *heap;
    size_t hlen, hcap;
    uint64_t hseq;
    struct flow *free_list;
    size_t active, peak_active;
    /* statistics */
    uint64_t packets, bytes, last_ts, first_ts;
    uint64_t per_type[F_NTYPES], pkts_type[F_NTYPES];
    uint64_t size_hist[4];
};

static void die(const char *msg)
{
    fprintf(stderr, "gen_capture: %s\n", msg);
    exit(1);
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p)
        die("out of memory");
    return p;
}

static int hless(const struct hent *a, const struct hent *b)
{
    return a->ts < b->ts || (a->ts == b->ts && a->seq < b->seq);
}

static void heap_push(struct gen *g, uint64_t ts, struct flow *f)
{
    if (g->hlen == g->hcap) {
        g->hcap = g->hcap ? g->hcap * 2 : 4096;
        g->heap = xrealloc(g->heap, g->hcap * sizeof *g->heap);
    }
    size_t i = g->hlen++;
    struct hent e = {ts, g->hseq++, f};
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!hless(&e, &g->heap[p]))
            break;
        g->heap[i] = g->heap[p];
        i = p;
    }
    g->heap[i] = e;
}

static struct hent heap_pop(struct gen *g)
{
    struct hent top = g->heap[0];
    struct hent last = g->heap[--g->hlen];
    size_t i = 0, n = g->hlen;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && hless(&g->heap[c + 1], &g->heap[c]))
            c++;
        if (!hless(&g->heap[c], &last))
            break;
        g->heap[i] = g->heap[c];
        i = c;
    }
    if (n)
        g->heap[i] = last;
    return top;
}

/* Flow structs are recycled through a free list: the pool never exceeds peak concurrency. */
static struct flow *flow_alloc(struct gen *g)
{
    if (!g->free_list) {
        size_t n = 1024;
        struct flow *blk = calloc(n, sizeof *blk);
        if (!blk)
            die("out of memory");
        for (size_t i = 0; i < n; i++) {
            blk[i].next_free = g->free_list;
            g->free_list = &blk[i];
        }
    }
    struct flow *f = g->free_list;
    g->free_list = f->next_free;
    if (++g->active > g->peak_active)
        g->peak_active = g->active;
    return f;
}

static void flow_free(struct gen *g, struct flow *f)
{
    f->next_free = g->free_list;
    g->free_list = f;
    g->active--;
}

static void add_step(struct flow *f, uint32_t at, enum kind k, int dir)
{
    if (f->nsteps >= MAX_STEPS)
        die("internal: too many steps in a flow");
    f->steps[f->nsteps].at = at;
    f->steps[f->nsteps].kind = (uint8_t)k;
    f->steps[f->nsteps].dir = (uint8_t)dir;
    f->nsteps++;
}

/* Server address of a hostname: one of 1-4 addresses, a pure function of (seed, host). */
static uint32_t host_ip(uint64_t seed, unsigned host, unsigned variant)
{
    uint64_t h = mix64(seed ^ (0x5151ull << 32) ^ host);
    unsigned nv = 1 + (unsigned)(h & 3);
    uint64_t hv = mix64(h + variant % nv);
    uint32_t low = (uint32_t)(hv & 0xffff);
    if ((low & 0xff) == 0 || (low & 0xff) == 255)
        low ^= 0x01;
    return (uint32_t)srv_prefix[(h >> 8) % N_SRV_PREFIX] << 16 | low;
}

static void client_addr(struct gen *g, struct flow *f)
{
    uint32_t id = rnd(&f->rng, 0, N_CLIENTS - 1);
    uint64_t h = mix64(g->seed ^ 0xc11e47ull ^ (uint64_t)id << 20);
    uint32_t low = (uint32_t)(h & 0xffffff);
    if ((low & 0xff) == 0 || (low & 0xff) == 255)
        low ^= 0x01;
    f->cip = 0x0a000000u | low;
    /* MAC and TTL are functions of the client, not of the flow, as on a real network. */
    uint64_t m = mix64(f->cip ^ g->seed);
    unsigned pct = (unsigned)(m % 100);
    const uint8_t *oui;
    if (pct < 3)
        oui = oui_huawei[(m >> 8) % 3];
    else if (pct < 5)
        oui = oui_zte[(m >> 8) % 2];
    else
        oui = oui_other[(m >> 8) % (sizeof oui_other / 3)];
    memcpy(f->cmac, oui, 3);
    f->cmac[3] = (uint8_t)(m >> 24);
    f->cmac[4] = (uint8_t)(m >> 32);
    f->cmac[5] = (uint8_t)(m >> 40);
    f->ttl[0] = (m >> 48) & 1 ? 128 : 64;
}

/* Popularity skew: the minimum of two uniform draws favours low indices (real names). */
static unsigned pick_host(uint64_t *r)
{
    unsigned a = rnd(r, 0, N_HOSTS - 1), b = rnd(r, 0, N_HOSTS - 1);
    return a < b ? a : b;
}

static void plan_tcp_open(struct flow *f, uint32_t *t, uint32_t rtt)
{
    add_step(f, *t, K_SYN, 0);
    *t += rtt;
    add_step(f, *t, K_SYNACK, 1);
    *t += rnd(&f->rng, 20, 200);
    add_step(f, *t, K_ACK, 0);
}

static void plan_tcp_close(struct flow *f, uint32_t *t, uint32_t rtt)
{
    /* Idle (keep-alive) before the client closes; bounds keep every flow under 2 s. */
    *t += rnd(&f->rng, 1000, 1500000);
    add_step(f, *t, K_FIN, 0);
    *t += rtt;
    add_step(f, *t, K_FIN, 1);
    *t += rnd(&f->rng, 20, 200);
    add_step(f, *t, K_ACK, 0);
}

static size_t build_http_hdr(struct flow *f, char *out, size_t cap);

static void flow_init(struct gen *g, struct flow *f, uint64_t idx, uint64_t start)
{
    struct flow *keep_next = f->next_free;
    memset(f, 0, offsetof(struct flow, hdr));
    f->next_free = keep_next;
    f->rng = mix64(g->seed * 0x2545f4914f6cdd1dull ^ idx);
    f->start = start;
    client_addr(g, f);
    f->cport = (uint16_t)rnd(&f->rng, 32768, 60999);
    f->seq[0] = (uint32_t)sm64(&f->rng);
    f->seq[1] = (uint32_t)sm64(&f->rng);
    f->ipid[0] = (uint16_t)sm64(&f->rng);
    f->ipid[1] = (uint16_t)sm64(&f->rng);
    f->win[0] = (uint16_t)rnd(&f->rng, 502, 2058);
    f->win[1] = (uint16_t)rnd(&f->rng, 235, 501);
    f->ttl[1] = (uint8_t)rnd(&f->rng, 44, 60);

    unsigned r = rnd(&f->rng, 0, 999);
    f->type = r < 400 ? F_TLS : r < 600 ? F_HTTP : r < 900 ? F_DNS : r < 960 ? F_UDP : F_TCP;
    uint32_t rtt = rnd(&f->rng, 1000, 80000), t = 0;

    switch (f->type) {
    case F_TLS: {
        f->host = (uint16_t)pick_host(&f->rng);
        f->sip = host_ip(g->seed, f->host, rnd(&f->rng, 0, 3));
        f->sport = 443;
        f->tlsver = (uint8_t)rnd(&f->rng, 0, 99) < 55 ? 0 : rnd(&f->rng, 0, 1) ? 1 : 2;
        f->sid_seed = sm64(&f->rng);
        plan_tcp_open(f, &t, rtt);
        t += rnd(&f->rng, 50, 2000);
        add_step(f, t, K_TLS_CH, 0);
        t += rtt + rnd(&f->rng, 0, 5000);
        add_step(f, t, K_TLS_SH, 1);
        t += rnd(&f->rng, 100, 5000);
        add_step(f, t, K_TLS_CDATA, 0);
        unsigned m = rnd(&f->rng, 0, 2);
        for (unsigned i = 0; i < m; i++) {
            t += i == 0 ? rtt + rnd(&f->rng, 0, 20000) : rnd(&f->rng, 10, 500);
            add_step(f, t, K_TLS_SDATA, 1);
        }
        plan_tcp_close(f, &t, rtt);
        break;
    }
    case F_HTTP: {
        f->host = (uint16_t)pick_host(&f->rng);
        f->sip = host_ip(g->seed, f->host, rnd(&f->rng, 0, 3));
        f->sport = 80;
        /* Mostly small objects, a tail of larger ones: 1-6 response segments. */
        unsigned r2 = rnd(&f->rng, 0, 99);
        f->body_len = r2 < 60 ? rnd(&f->rng, 0, 1100) : r2 < 90 ? rnd(&f->rng, 1100, 4000)
                                                               : rnd(&f->rng, 4000, 8000);
        f->body_seed = sm64(&f->rng);
        f->hdr_len = (uint16_t)build_http_hdr(f, f->hdr, sizeof f->hdr);
        f->resp_len = f->hdr_len + f->body_len;
        plan_tcp_open(f, &t, rtt);
        t += rnd(&f->rng, 50, 2000);
        add_step(f, t, K_HTTP_REQ, 0);
        t += rtt + rnd(&f->rng, 0, 30000);
        unsigned nseg = (f->resp_len + MSS - 1) / MSS;
        for (unsigned i = 0; i < nseg; i++) {
            if (i)
                t += rnd(&f->rng, 10, 300);
            add_step(f, t, K_HTTP_RESP, 1);
        }
        t += rnd(&f->rng, 20, 200);
        add_step(f, t, K_ACK, 0);
        plan_tcp_close(f, &t, rtt);
        break;
    }
    case F_DNS:
        f->host = (uint16_t)pick_host(&f->rng);
        f->sip = resolvers[rnd(&f->rng, 0, sizeof resolvers / 4 - 1)];
        f->sport = 53;
        f->dns_id = (uint16_t)sm64(&f->rng);
        f->qtype_aaaa = rnd(&f->rng, 0, 99) < 30;
        f->edns = rnd(&f->rng, 0, 1);
        f->nxdomain = rnd(&f->rng, 0, 99) < 3;
        f->nans = f->nxdomain ? 0 : (uint8_t)rnd(&f->rng, 1, 3);
        add_step(f, 0, K_DNS_Q, 0);
        /* Cached answers come back in a few ms, recursive ones take longer. */
        add_step(f, rnd(&f->rng, 0, 1) ? rnd(&f->rng, 500, 5000) : rtt + rnd(&f->rng, 0, 60000),
                 K_DNS_R, 1);
        break;
    case F_UDP: {
        f->sip = host_ip(g->seed, 1000 + rnd(&f->rng, 0, 5000), 0);
        f->sport = (uint16_t)rnd(&f->rng, 10000, 65000);
        unsigned n = rnd(&f->rng, 2, 6);
        for (unsigned i = 0; i < n; i++) {
            if (i)
                t += rnd(&f->rng, 1000, 300000);
            add_step(f, t, K_DATA, i & 1);
        }
        break;
    }
    case F_TCP:
        f->sip = host_ip(g->seed, 1000 + rnd(&f->rng, 0, 5000), 0);
        f->sport = (uint16_t)rnd(&f->rng, 10000, 65000);
        plan_tcp_open(f, &t, rtt);
        t += rnd(&f->rng, 50, 2000);
        add_step(f, t, K_DATA, 0);
        t += rtt;
        add_step(f, t, K_DATA, 1);
        t += rnd(&f->rng, 1000, 500000);
        add_step(f, t, K_RST, 0);
        break;
    }
    g->per_type[f->type]++;
}

/* ------------------------------------------------------------------------------------ */
/* Payload builders                                                                      */

static void session_id(const struct flow *f, uint8_t out[32])
{
    uint64_t s = f->sid_seed;
    fill_random(out, 32, &s);
}

static unsigned grease(uint64_t *r)
{
    unsigned x = rnd(r, 0, 15);
    return x << 12 | 0xa00 | x << 4 | 0xa;
}

static uint8_t *put_u16_list(uint8_t *p, const uint16_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p = put16(p, v[i]);
    return p;
}

/* Well-formed ClientHello in one TLS record; three client "personalities" for JA3 variety. */
static size_t build_client_hello(uint8_t *buf, struct flow *f)
{
    static const uint16_t cs_chrome[] = {0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c,
                                         0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c,
                                         0x009d, 0x002f, 0x0035};
    static const uint16_t cs_firefox[] = {0x1301, 0x1303, 0x1302, 0xc02b, 0xc02f, 0xcca9,
                                          0xcca8, 0xc02c, 0xc030, 0xc00a, 0xc009, 0xc013,
                                          0xc014, 0x009c, 0x009d, 0x002f, 0x0035};
    static const uint16_t cs_legacy[] = {0xc02f, 0xc030, 0xc02b, 0xc02c, 0x009e, 0x009f,
                                         0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035,
                                         0x000a};
    static const uint16_t sa_chrome[] = {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501,
                                         0x0806, 0x0601};
    static const uint16_t sa_firefox[] = {0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806,
                                          0x0401, 0x0501, 0x0601, 0x0203, 0x0201};
    const char *sni = hosts[f->host];
    size_t snilen = strlen(sni);
    int v = f->tlsver;
    unsigned gr = grease(&f->rng);
    uint8_t sid[32], *p = buf, *rec, *hs, *ext, *x;

    p = put8(p, 0x16);
    p = put16(p, 0x0301);           /* record version of a ClientHello is usually 1.0 */
    rec = p;
    p += 2;
    hs = p;
    p = put8(p, 0x01);
    p += 3;
    p = put16(p, 0x0303);
    fill_random(p, 32, &f->rng);
    p += 32;
    session_id(f, sid);
    p = put8(p, 32);                /* 1.3 middlebox-compat id, or 1.2 resumption id */
    p = putmem(p, sid, 32);

    if (v == 0) {
        p = put16(p, 2 * (1 + sizeof cs_chrome / 2));
        p = put16(p, gr);
        p = put_u16_list(p, cs_chrome, sizeof cs_chrome / 2);
    } else if (v == 1) {
        p = put16(p, sizeof cs_firefox);
        p = put_u16_list(p, cs_firefox, sizeof cs_firefox / 2);
    } else {
        p = put16(p, sizeof cs_legacy);
        p = put_u16_list(p, cs_legacy, sizeof cs_legacy / 2);
    }
    p = put8(p, 1);
    p = put8(p, 0);                 /* compression: null only */

    ext = p;
    p += 2;
    if (v == 0) {
        p = put16(p, gr);
        p = put16(p, 0);
    }
    /* server_name */
    p = put16(p, 0x0000);
    p = put16(p, snilen + 5);
    p = put16(p, snilen + 3);
    p = put8(p, 0);
    p = put16(p, snilen);
    p = putmem(p, sni, snilen);
    /* extended_master_secret, renegotiation_info */
    p = put16(p, 0x0017);
    p = put16(p, 0);
    p = put16(p, 0xff01);
    p = put16(p, 1);
    p = put8(p, 0);
    /* supported_groups */
    p = put16(p, 0x000a);
    if (v == 0) {
        p = put16(p, 10);
        p = put16(p, 8);
        p = put16(p, gr);
        p = put16(p, 0x001d);
        p = put16(p, 0x0017);
        p = put16(p, 0x0018);
    } else {
        static const uint16_t gr_ff[] = {0x001d, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101};
        size_t n = v == 1 ? 6 : 4;
        p = put16(p, 2 * n + 2);
        p = put16(p, 2 * n);
        p = put_u16_list(p, gr_ff, n);
    }
    /* ec_point_formats: uncompressed */
    p = put16(p, 0x000b);
    p = put16(p, 2);
    p = put8(p, 1);
    p = put8(p, 0);
    /* session_ticket (empty) */
    p = put16(p, 0x0023);
    p = put16(p, 0);
    /* ALPN: h2, http/1.1 (legacy clients: http/1.1 only) */
    p = put16(p, 0x0010);
    if (v == 2) {
        p = put16(p, 11);
        p = put16(p, 9);
        p = put8(p, 8);
        p = putmem(p, "http/1.1", 8);
    } else {
        p = put16(p, 14);
        p = put16(p, 12);
        p = put8(p, 2);
        p = putmem(p, "h2", 2);
        p = put8(p, 8);
        p = putmem(p, "http/1.1", 8);
    }
    /* status_request (OCSP) */
    p = put16(p, 0x0005);
    p = put16(p, 5);
    p = put8(p, 1);
    p = put16(p, 0);
    p = put16(p, 0);
    /* signature_algorithms */
    p = put16(p, 0x000d);
    if (v == 1) {
        p = put16(p, sizeof sa_firefox + 2);
        p = put16(p, sizeof sa_firefox);
        p = put_u16_list(p, sa_firefox, sizeof sa_firefox / 2);
    } else {
        p = put16(p, sizeof sa_chrome + 2);
        p = put16(p, sizeof sa_chrome);
        p = put_u16_list(p, sa_chrome, sizeof sa_chrome / 2);
    }
    if (v != 2) {
        /* key_share: x25519 (+ secp256r1 for Firefox) */
        p = put16(p, 0x0033);
        x = p;
        p += 4;
        p = put16(p, 0x001d);
        p = put16(p, 32);
        fill_random(p, 32, &f->rng);
        p += 32;
        if (v == 1) {
            p = put16(p, 0x0017);
            p = put16(p, 65);
            p = put8(p, 0x04);
            fill_random(p, 64, &f->rng);
            p += 64;
        }
        set16(x, p - x - 2);
        set16(x + 2, p - x - 4);
        /* psk_key_exchange_modes: psk_dhe_ke */
        p = put16(p, 0x002d);
        p = put16(p, 2);
        p = put8(p, 1);
        p = put8(p, 1);
        /* supported_versions: (GREASE,) 1.3, 1.2 */
        p = put16(p, 0x002b);
        if (v == 0) {
            p = put16(p, 7);
            p = put8(p, 6);
            p = put16(p, grease(&f->rng));
        } else {
            p = put16(p, 5);
            p = put8(p, 4);
        }
        p = put16(p, 0x0304);
        p = put16(p, 0x0303);
    }
    if (v == 0) {
        /* compress_certificate brotli, trailing GREASE, then BoringSSL-style padding */
        p = put16(p, 0x001b);
        p = put16(p, 3);
        p = put8(p, 2);
        p = put16(p, 0x0002);
        p = put16(p, grease(&f->rng));
        p = put16(p, 1);
        p = put8(p, 0);
        size_t cur = (size_t)(p - hs);
        if (cur > 0xff && cur < 0x200) {
            size_t pad = 0x200 - cur >= 5 ? 0x200 - cur - 4 : 1;
            p = put16(p, 0x0015);
            p = put16(p, pad);
            memset(p, 0, pad);
            p += pad;
        }
    } else if (v == 1) {
        p = put16(p, 0x001c);       /* record_size_limit */
        p = put16(p, 2);
        p = put16(p, 0x4001);
    }
    set16(ext, p - ext - 2);
    set24(hs + 1, p - hs - 4);
    set16(rec, p - rec - 2);
    return (size_t)(p - buf);
}

/* ServerHello + ChangeCipherSpec + encrypted records up to `target` bytes. For 1.2 this is
 * an abbreviated (resumed) handshake, so there is no certificate for a DPI to choke on. */
static size_t build_server_hello(uint8_t *buf, struct flow *f, size_t target)
{
    uint8_t sid[32], *p = buf, *rec, *hs, *ext;
    int tls13 = f->tlsver != 2;

    p = put8(p, 0x16);
    p = put16(p, 0x0303);
    rec = p;
    p += 2;
    hs = p;
    p = put8(p, 0x02);
    p += 3;
    p = put16(p, 0x0303);
    fill_random(p, 32, &f->rng);
    p += 32;
    session_id(f, sid);
    p = put8(p, 32);
    p = putmem(p, sid, 32);
    p = put16(p, tls13 ? 0x1301 + rnd(&f->rng, 0, 2) : 0xc02f + rnd(&f->rng, 0, 1));
    p = put8(p, 0);
    ext = p;
    p += 2;
    if (tls13) {
        p = put16(p, 0x002b);
        p = put16(p, 2);
        p = put16(p, 0x0304);
        p = put16(p, 0x0033);
        p = put16(p, 36);
        p = put16(p, 0x001d);
        p = put16(p, 32);
        fill_random(p, 32, &f->rng);
        p += 32;
    } else {
        p = put16(p, 0xff01);
        p = put16(p, 1);
        p = put8(p, 0);
        p = put16(p, 0x0017);
        p = put16(p, 0);
        p = put16(p, 0x000b);
        p = put16(p, 2);
        p = put8(p, 1);
        p = put8(p, 0);
    }
    set16(ext, p - ext - 2);
    set24(hs + 1, p - hs - 4);
    set16(rec, p - rec - 2);
    p = put8(p, 0x14);
    p = put16(p, 0x0303);
    p = put16(p, 1);
    p = put8(p, 1);
    size_t used = (size_t)(p - buf);
    size_t body = target > used + 5 + 32 ? target - used - 5 : 32;
    p = put8(p, 0x17);
    p = put16(p, 0x0303);
    p = put16(p, body);
    fill_random(p, body, &f->rng);
    return used + 5 + body;
}

/* Client's reply after the ServerHello: CCS (1.3 compat) + encrypted Finished/request. */
static size_t build_client_data(uint8_t *buf, struct flow *f)
{
    uint8_t *p = buf;
    size_t n;
    if (f->tlsver != 2) {
        p = put8(p, 0x14);
        p = put16(p, 0x0303);
        p = put16(p, 1);
        p = put8(p, 1);
        p = put8(p, 0x17);
        p = put16(p, 0x0303);
        p = put16(p, 53);
        fill_random(p, 53, &f->rng);
        p += 53;
    }
    n = rnd(&f->rng, 60, 500);
    p = put8(p, 0x17);
    p = put16(p, 0x0303);
    p = put16(p, n);
    fill_random(p, n, &f->rng);
    return (size_t)(p - buf) + n;
}

/* One application-data record filling a segment: mostly full-MSS, some smaller. */
static size_t build_server_data(uint8_t *buf, struct flow *f)
{
    size_t n = rnd(&f->rng, 0, 99) < 75 ? MSS : rnd(&f->rng, 100, MSS);
    buf[0] = 0x17;
    set16(buf + 1, 0x0303);
    set16(buf + 3, n - 5);
    fill_random(buf + 5, n - 5, &f->rng);
    return n;
}

static size_t build_http_req(uint8_t *buf, struct flow *f)
{
    static const char *const paths[] = {
        "/", "/index.html", "/images/logo-%u.png", "/api/v1/items?id=%u",
        "/static/js/app.%u.js", "/css/site-%u.css", "/news/article-%u.html",
        "/download/file%u.bin",
    };
    char path[64];
    const char *fmt = paths[rnd(&f->rng, 0, 7)];
    snprintf(path, sizeof path, fmt, rnd(&f->rng, 1, 99999));
    int n = snprintf((char *)buf, MSS + 1,
                     "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\n"
                     "Accept: */*\r\nAccept-Language: en-US,en;q=0.9\r\n"
                     "Accept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n%s\r\n",
                     path, hosts[f->host], user_agents[rnd(&f->rng, 0, N_UA - 1)],
                     rnd(&f->rng, 0, 2) ? "" : "Cookie: session=0123456789abcdef0123456789"
                     "abcdef; _ga=GA1.2.1234567890.1699999999\r\n");
    return (size_t)n;
}

/* Response header is built once at flow creation, because its length decides how many
 * segments the response needs and so shapes the flow's packet plan. */
static size_t build_http_hdr(struct flow *f, char *out, size_t cap)
{
    char date[64];
    time_t t = (time_t)(BASE_EPOCH + f->start / 1000000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    int nf = rnd(&f->rng, 0, 99) < 4;
    int n = snprintf(out, cap,
                     "HTTP/1.1 %s\r\nDate: %s\r\nServer: %s\r\nContent-Type: %s\r\n"
                     "Content-Length: %" PRIu32 "\r\nConnection: keep-alive\r\n"
                     "Cache-Control: max-age=%u\r\n\r\n",
                     nf ? "404 Not Found" : "200 OK", date,
                     rnd(&f->rng, 0, 1) ? "nginx/1.22.1" : "Apache/2.4.57 (Debian)",
                     ctypes[rnd(&f->rng, 0, 5)], f->body_len, rnd(&f->rng, 0, 86400));
    return (size_t)n;
}

/* Bytes [off, off+n) of the HTTP response; body is text or pseudo-random by offset, so any
 * slice can be produced without keeping the body in memory. */
static void http_resp_slice(const struct flow *f, uint8_t *out, size_t off, size_t n)
{
    static const char lorem[] = "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, "
                                "sed do eiusmod tempor incididunt ut labore.</p>\n";
    int text = f->body_seed & 1;
    for (size_t i = 0; i < n; i++, off++) {
        if (off < f->hdr_len)
            out[i] = (uint8_t)f->hdr[off];
        else if (text)
            out[i] = (uint8_t)lorem[(off - f->hdr_len) % (sizeof lorem - 1)];
        else
            out[i] = (uint8_t)(mix64(f->body_seed + (off >> 3)) >> ((off & 7) * 8));
    }
}

static uint8_t *put_qname(uint8_t *p, const char *name)
{
    while (*name) {
        const char *dot = strchr(name, '.');
        size_t n = dot ? (size_t)(dot - name) : strlen(name);
        p = put8(p, n);
        p = putmem(p, name, n);
        name += n + (dot != NULL);
    }
    return put8(p, 0);
}

static size_t build_dns(uint8_t *buf, struct flow *f, int resp)
{
    uint8_t *p = buf;
    unsigned qt = f->qtype_aaaa ? 28 : 1;
    p = put16(p, f->dns_id);
    p = put16(p, resp ? (f->nxdomain ? 0x8183 : 0x8180) : 0x0100);
    p = put16(p, 1);
    p = put16(p, resp ? f->nans : 0);
    p = put16(p, 0);
    p = put16(p, f->edns);
    p = put_qname(p, hosts[f->host]);
    p = put16(p, qt);
    p = put16(p, 1);
    for (unsigned i = 0; resp && i < f->nans; i++) {
        p = put16(p, 0xc00c);       /* compressed pointer to the question name */
        p = put16(p, qt);
        p = put16(p, 1);
        p = put32(p, rnd(&f->rng, 30, 3600));
        if (qt == 1) {
            p = put16(p, 4);
            p = put32(p, host_ip(g_seed, f->host, i));
        } else {
            p = put16(p, 16);
            p = put32(p, 0x26064700);
            fill_random(p, 12, &f->rng);
            p += 12;
        }
    }
    if (f->edns) {
        p = put8(p, 0);             /* OPT pseudo-RR, 1232-byte UDP payload */
        p = put16(p, 41);
        p = put16(p, 1232);
        p = put32(p, 0);
        p = put16(p, 0);
    }
    return (size_t)(p - buf);
}

/* IMIX-ish random payload size for the "other" flows. */
static size_t other_size(uint64_t *r)
{
    unsigned x = rnd(r, 0, 99);
    return x < 50 ? rnd(r, 16, 100) : x < 80 ? rnd(r, 100, 600) : rnd(r, 600, 1400);
}

/* ------------------------------------------------------------------------------------ */
/* Frame assembly and output                                                             */

static void write_pkt(struct gen *g, uint64_t ts, const uint8_t *frame, size_t len)
{
    struct pcap_pkthdr h;
    if (ts < g->last_ts)
        die("internal: timestamps went backwards");
    if (g->packets == 0)
        g->first_ts = ts;
    g->last_ts = ts;
    h.ts.tv_sec = (time_t)(BASE_EPOCH + ts / 1000000);
    h.ts.tv_usec = (suseconds_t)(ts % 1000000);
    h.caplen = h.len = (bpf_u_int32)len;
    pcap_dump((u_char *)g->dump, &h, frame);
    g->packets++;
    g->bytes += len;
    g->size_hist[len < 128 ? 0 : len < 512 ? 1 : len < 1024 ? 2 : 3]++;
}

/* Fill Ethernet + IPv4 + TCP/UDP headers in front of a payload already at its offset. */
static size_t finish_frame(uint8_t *b, const uint8_t smac[6], const uint8_t dmac[6],
                           uint32_t src, uint32_t dst, uint16_t ipid, uint8_t ttl,
                           int proto, size_t l4len)
{
    uint8_t *ip = b + ETH_LEN, *l4 = ip + IP_LEN;
    memcpy(b, dmac, 6);
    memcpy(b + 6, smac, 6);
    put16(b + 12, 0x0800);
    put8(ip, 0x45);
    put8(ip + 1, 0);
    put16(ip + 2, IP_LEN + l4len);
    put16(ip + 4, ipid);
    put16(ip + 6, 0x4000);          /* DF */
    put8(ip + 8, ttl);
    put8(ip + 9, proto);
    put16(ip + 10, 0);
    put32(ip + 12, src);
    put32(ip + 16, dst);
    put16(ip + 10, csum_fold(csum_add(0, ip, IP_LEN)));

    uint32_t sum = csum_add(0, ip + 12, 8) + (uint32_t)proto + (uint32_t)l4len;
    if (proto == 17) {
        put16(l4 + 4, l4len);
        put16(l4 + 6, 0);
        uint16_t c = csum_fold(csum_add(sum, l4, l4len));
        put16(l4 + 6, c ? c : 0xffff);
    } else {
        put16(l4 + 16, 0);
        put16(l4 + 16, csum_fold(csum_add(sum, l4, l4len)));
    }
    return ETH_LEN + IP_LEN + l4len;
}

static void emit_step(struct gen *g, struct flow *f, const struct step *s, uint64_t ts)
{
    uint8_t *b = g->buf;
    int d = s->dir, tcp = f->type != F_DNS && f->type != F_UDP;
    uint8_t *l4 = b + ETH_LEN + IP_LEN;
    uint8_t *pl = l4 + (tcp ? TCP_LEN : UDP_LEN);
    size_t plen = 0, optlen = 0;
    unsigned flags = TH_ACK;

    switch ((enum kind)s->kind) {
    case K_SYN:
    case K_SYNACK:
        flags = s->kind == K_SYN ? TH_SYN : TH_SYN | TH_ACK;
        /* MSS, NOP, WS=7, NOP, NOP, SACK-permitted */
        {
            static const uint8_t opts[12] = {2, 4, 0x05, 0xb4, 1, 3, 3, 7, 1, 1, 4, 2};
            memcpy(pl, opts, sizeof opts);
            optlen = sizeof opts;
        }
        break;
    case K_ACK:
        break;
    case K_FIN:
        flags = TH_FIN | TH_ACK;
        break;
    case K_RST:
        flags = TH_RST | TH_ACK;
        break;
    case K_TLS_CH:
        plen = build_client_hello(pl, f);
        flags |= TH_PSH;
        break;
    case K_TLS_SH:
        plen = build_server_hello(pl, f, rnd(&f->rng, 300, 1400));
        flags |= TH_PSH;
        break;
    case K_TLS_CDATA:
        plen = build_client_data(pl, f);
        flags |= TH_PSH;
        break;
    case K_TLS_SDATA:
        plen = build_server_data(pl, f);
        flags |= TH_PSH;
        break;
    case K_HTTP_REQ:
        plen = build_http_req(pl, f);
        flags |= TH_PSH;
        break;
    case K_HTTP_RESP:
        plen = f->resp_len - f->resp_off;
        if (plen > MSS)
            plen = MSS;
        http_resp_slice(f, pl, f->resp_off, plen);
        f->resp_off += (uint32_t)plen;
        if (f->resp_off == f->resp_len)
            flags |= TH_PSH;
        break;
    case K_DNS_Q:
    case K_DNS_R:
        plen = build_dns(pl, f, s->kind == K_DNS_R);
        break;
    case K_DATA:
        plen = other_size(&f->rng);
        fill_random(pl, plen, &f->rng);
        if (tcp)
            flags |= TH_PSH;
        break;
    }

    uint16_t sport = d ? f->sport : f->cport, dport = d ? f->cport : f->sport;
    size_t l4len;
    if (tcp) {
        int syn = (flags & TH_SYN) != 0;
        put16(l4, sport);
        put16(l4 + 2, dport);
        put32(l4 + 4, f->seq[d]);
        /* The very first SYN acknowledges nothing; everything after acks the peer. */
        put32(l4 + 8, (flags & TH_ACK) ? f->seq[!d] : 0);
        put8(l4 + 12, (uint8_t)(((TCP_LEN + optlen) / 4) << 4));
        put8(l4 + 13, flags);
        put16(l4 + 14, syn ? (d ? 65160 : 64240) : f->win[d]);
        put16(l4 + 18, 0);
        l4len = TCP_LEN + optlen + plen;
        f->seq[d] += (uint32_t)plen + syn + ((flags & TH_FIN) != 0);
    } else {
        put16(l4, sport);
        put16(l4 + 2, dport);
        l4len = UDP_LEN + plen;
    }
    size_t len = d ? finish_frame(b, gw_mac, f->cmac, f->sip, f->cip, f->ipid[1]++,
                                  f->ttl[1], tcp ? 6 : 17, l4len)
                   : finish_frame(b, f->cmac, gw_mac, f->cip, f->sip, f->ipid[0]++,
                                  f->ttl[0], tcp ? 6 : 17, l4len);
    g->pkts_type[f->type]++;
    write_pkt(g, ts, b, len);
}

static void run_mix(struct gen *g)
{
    uint64_t next = 0, step = g->span_us / g->nflows, srng = g->seed ^ 0x57a27ull;
    uint64_t next_start = 0;
    if (step == 0)
        step = 1;
    if (g->nflows)
        next_start = rnd(&srng, 0, (uint32_t)(step - 1));
    while (next < g->nflows || g->hlen) {
        /* Start flows whose start time has come before emitting anything later, so the
         * output stays in timestamp order; start times are one per bucket, hence sorted. */
        if (next < g->nflows && (g->hlen == 0 || next_start <= g->heap[0].ts)) {
            struct flow *f = flow_alloc(g);
            flow_init(g, f, next, next_start);
            heap_push(g, next_start + f->steps[0].at, f);
            next++;
            next_start = next * step + rnd(&srng, 0, (uint32_t)(step - 1));
            continue;
        }
        struct hent e = heap_pop(g);
        struct flow *f = e.f;
        emit_step(g, f, &f->steps[f->cur], e.ts);
        if (++f->cur < f->nsteps)
            heap_push(g, f->start + f->steps[f->cur].at, f);
        else
            flow_free(g, f);
    }
}

/* 48-bit bijection (odd multiplies and xor-shifts are each invertible mod 2^48). */
static uint64_t perm48(uint64_t x, uint64_t key)
{
    const uint64_t m = (1ull << 48) - 1;
    x = (x ^ key) & m;
    x = (x * 0x9e3779b97f4bull) & m;
    x ^= x >> 24;
    x = (x * 0xbf58476d1ce5ull) & m;
    x ^= x >> 21;
    x = (x * 0x94d049bb1331ull) & m;
    x ^= x >> 24;
    return x ^ (key >> 16 & m);
}

static int flood_src_ok(uint64_t v, uint32_t target)
{
    uint32_t ip = (uint32_t)(v >> 16), port = (uint32_t)(v & 0xffff);
    unsigned o1 = ip >> 24;
    return port >= 1024 && o1 != 0 && o1 != 10 && o1 != 127 && o1 < 224 && ip != target;
}

static void run_flood(struct gen *g)
{
    const uint32_t target = 0x0a0a0a0a;            /* 10.10.10.10:443 */
    static const uint8_t tmac[6] = {0x00, 0x1b, 0x21, 0x0a, 0x0a, 0x0a};
    static const uint16_t wins[] = {1024, 5840, 29200, 64240, 65535};
    uint64_t r = g->seed ^ 0xf100dull, key = mix64(g->seed ^ 0x6b6579ull);
    uint64_t step = 10000000 / (g->nflows ? g->nflows : 1);
    uint8_t *b = g->buf, *l4 = b + ETH_LEN + IP_LEN;

    if (step == 0)
        step = 1;
    for (uint64_t i = 0; i < g->nflows; i++) {
        /* Start from a distinct valid (ip, port) and cycle-walk the permutation until the
         * result is valid again: a bijection on the valid set, so sources never repeat. */
        uint64_t v = (uint64_t)(0x01000000u + (uint32_t)(i / 64512)) << 16 | (1024 + i % 64512);
        do
            v = perm48(v, key);
        while (!flood_src_ok(v, target));
        uint32_t src = (uint32_t)(v >> 16);
        put16(l4, (unsigned)(v & 0xffff));
        put16(l4 + 2, 443);
        put32(l4 + 4, (uint32_t)sm64(&r));
        put32(l4 + 8, 0);
        put8(l4 + 12, (TCP_LEN + 4) / 4 << 4);
        put8(l4 + 13, TH_SYN);
        put16(l4 + 14, wins[rnd(&r, 0, 4)]);
        put16(l4 + 18, 0);
        put8(l4 + 20, 2);
        put8(l4 + 21, 4);
        put16(l4 + 22, 1460);
        size_t len = finish_frame(b, gw_mac, tmac, src, target, (uint16_t)sm64(&r),
                                  (uint8_t)rnd(&r, 40, 250), 6, TCP_LEN + 4);
        write_pkt(g, i * step + rnd(&r, 0, (uint32_t)(step - 1)), b, len);
    }
    g->per_type[F_TCP] = g->nflows;
    g->pkts_type[F_TCP] = g->nflows;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: gen_capture [--flows N] [--seed S] [--span SECONDS] [--syn-flood] -o FILE\n"
            "  --flows N     flows to generate (default 1000000; with --syn-flood: SYN\n"
            "                packets, default 5000000)\n"
            "  --seed S      PRNG seed (default 1); same arguments => identical file\n"
            "  --span SEC    spread of flow start times (default 300; flood: fixed ~10 s)\n"
            "  --syn-flood   one TCP SYN per packet from distinct sources to one target\n"
            "  -o FILE       output pcap ('-' for stdout)\n");
    exit(2);
}

static uint64_t parse_u64(const char *s)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || end == s || *s == '-')
        usage();
    return (uint64_t)v;
}

int main(int argc, char **argv)
{
    static struct gen g;
    const char *out = NULL;
    int flood = 0, have_flows = 0;
    uint64_t span_s = 300;

    g.seed = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--syn-flood"))
            flood = 1;
        else if (i + 1 < argc && !strcmp(a, "--flows")) {
            g.nflows = parse_u64(argv[++i]);
            have_flows = 1;
        } else if (i + 1 < argc && !strcmp(a, "--seed"))
            g.seed = parse_u64(argv[++i]);
        else if (i + 1 < argc && !strcmp(a, "--span"))
            span_s = parse_u64(argv[++i]);
        else if (i + 1 < argc && !strcmp(a, "-o"))
            out = argv[++i];
        else
            usage();
    }
    if (!out || span_s == 0)
        usage();
    if (!have_flows)
        g.nflows = flood ? 5000000 : 1000000;
    g.span_us = span_s * 1000000;
    g_seed = g.seed;
    init_hosts();

    FILE *fp = strcmp(out, "-") ? fopen(out, "wb") : stdout;
    if (!fp) {
        perror(out);
        return 1;
    }
    /* A large stdio buffer: the file is GBs and default 4 KiB writes cost syscalls. */
    setvbuf(fp, NULL, _IOFBF, 1 << 20);
    pcap_t *pd = pcap_open_dead(DLT_EN10MB, 65535);
    if (!pd || !(g.dump = pcap_dump_fopen(pd, fp)))
        die("cannot open pcap dumper");

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (flood)
        run_flood(&g);
    else
        run_mix(&g);
    pcap_dump_flush(g.dump);
    if (ferror(fp))
        die("write error");
    pcap_dump_close(g.dump);
    pcap_close(pd);
    clock_gettime(CLOCK_MONOTONIC, &t1);

    double el = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    double span = (double)(g.last_ts - g.first_ts) / 1e6;
    fprintf(stderr, "gen_capture: %s, seed %" PRIu64 "\n", flood ? "syn-flood" : "mix",
            g.seed);
    fprintf(stderr, "  flows    %" PRIu64 " (", g.nflows);
    const char *sep = "";
    for (int t = 0; t < F_NTYPES; t++)
        if (g.per_type[t]) {
            fprintf(stderr, "%s%s %" PRIu64 "/%" PRIu64 " pkts", sep,
                    flood ? "syn" : ftype_name[t], g.per_type[t], g.pkts_type[t]);
            sep = ", ";
        }
    fprintf(stderr, ")\n");
    fprintf(stderr, "  packets  %" PRIu64 " (%.2f per flow)\n", g.packets,
            g.nflows ? (double)g.packets / (double)g.nflows : 0.0);
    fprintf(stderr, "  sizes    <128B %" PRIu64 ", 128-511 %" PRIu64 ", 512-1023 %" PRIu64
            ", >=1024 %" PRIu64 "\n", g.size_hist[0], g.size_hist[1], g.size_hist[2],
            g.size_hist[3]);
    fprintf(stderr, "  bytes    %" PRIu64 " frame bytes, %" PRIu64 " file bytes (avg %.0f B)\n",
            g.bytes, 24 + 16 * g.packets + g.bytes,
            g.packets ? (double)g.bytes / (double)g.packets : 0.0);
    fprintf(stderr, "  time     %.3f s span", span);
    if (!flood)
        fprintf(stderr, ", peak %zu concurrently active flows", g.peak_active);
    fprintf(stderr, "\n  took     %.2f s\n", el);
    return 0;
}
