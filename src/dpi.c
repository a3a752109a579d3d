/* dpi.c - nDPI 4.2 adapter: lazy per-flow state, early free, metadata copy.
 *
 * Reference: nDPI 4.2 ndpi_api.h; the call pattern (packet thresholds,
 * extra dissection, giveup with guess) follows ndpiReader's reader_util.c so
 * that results agree with it.
 */
#include "telexpose/dpi.h"

#include <malloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ndpi_api.h>

#include "telexpose/xalloc.h"

struct dpi {
    struct ndpi_detection_module_struct *mod;
    struct dpi_stats st;
    size_t flow_bytes; /* bytes of per-flow nDPI state alive now */
};

/* nDPI's allocator hooks are process-wide, so the byte count they keep is
 * too. Only allocations made while a flow call runs are counted (module
 * tables allocated at start-up are not flow memory); a worker sets
 * scope_bytes around its calls. One writer per thread. */
static _Thread_local long *scope_bytes;

/* nDPI allocates and frees a 2 KiB TLS reassembly buffer for nearly every
 * TLS flow, beyond glibc's tcache (1032 bytes), so each one goes through
 * malloc's bins. Freed blocks of a few sizes are kept here instead: at most
 * CACHE_CLASSES x CACHE_DEPTH blocks per thread. */
#define CACHE_MIN 1024
#define CACHE_MAX 65536
#define CACHE_CLASSES 4
#define CACHE_DEPTH 64

struct block_class {
    size_t usable; /* malloc_usable_size of the blocks kept */
    unsigned n;
    void *blk[CACHE_DEPTH];
};

static _Thread_local struct block_class block_cache[CACHE_CLASSES];

static void *
cache_take(size_t n)
{
    for (int i = 0; i < CACHE_CLASSES; i++) {
        struct block_class *c = &block_cache[i];
        /* Close sizes only, so a cached block never wastes much. */
        if (c->n > 0 && c->usable >= n && c->usable <= n + 64)
            return c->blk[--c->n];
    }
    return NULL;
}

static bool
cache_put(void *p, size_t usable)
{
    struct block_class *spare = NULL;
    for (int i = 0; i < CACHE_CLASSES; i++) {
        struct block_class *c = &block_cache[i];
        if (c->usable == usable) {
            if (c->n == CACHE_DEPTH)
                return false;
            c->blk[c->n++] = p;
            return true;
        }
        if (c->n == 0 && spare == NULL)
            spare = c;
    }
    if (spare == NULL)
        return false;
    spare->usable = usable;
    spare->blk[spare->n++] = p;
    return true;
}

static void
cache_drain(void)
{
    for (int i = 0; i < CACHE_CLASSES; i++) {
        while (block_cache[i].n > 0)
            free(block_cache[i].blk[--block_cache[i].n]);
        block_cache[i].usable = 0;
    }
}

static void *
hook_malloc(size_t n)
{
    void *p = NULL;
    if (scope_bytes != NULL && n >= CACHE_MIN && n <= CACHE_MAX)
        p = cache_take(n);
    if (p == NULL)
        p = malloc(n);
    if (p != NULL && scope_bytes != NULL)
        *scope_bytes += (long)malloc_usable_size(p);
    return p;
}

static void
hook_free(void *p)
{
    if (p == NULL)
        return;
    if (scope_bytes != NULL) {
        size_t u = malloc_usable_size(p);
        *scope_bytes -= (long)u;
        if (u >= CACHE_MIN && u <= CACHE_MAX + 64 && cache_put(p, u))
            return;
    }
    free(p);
}

struct dpi *
dpi_new(char *errbuf, size_t errlen)
{
    set_ndpi_malloc(hook_malloc);
    set_ndpi_free(hook_free);
    struct ndpi_detection_module_struct *mod = ndpi_init_detection_module(ndpi_no_prefs);
    if (mod == NULL) {
        snprintf(errbuf, errlen, "nDPI initialisation failed (ndpi_init_detection_module)");
        return NULL;
    }
    NDPI_PROTOCOL_BITMASK all;
    NDPI_BITMASK_SET_ALL(all);
    ndpi_set_protocol_detection_bitmask2(mod, &all);
    ndpi_finalize_initialization(mod);
    struct dpi *d = xcalloc(1, sizeof(*d));
    d->mod = mod;
    return d;
}

void
dpi_thread_done(void)
{
    cache_drain();
}

void
dpi_free(struct dpi *d)
{
    if (d == NULL)
        return;
    ndpi_exit_detection_module(d->mod);
    cache_drain();
    free(d);
}

const size_t *
dpi_mem_counter(const struct dpi *d)
{
    return &d->flow_bytes;
}

/* Run one nDPI call with its allocations charged to d->flow_bytes. */
#define IN_FLOW_SCOPE(d, stmt)                                                                 \
    do {                                                                                       \
        long delta_ = 0;                                                                       \
        scope_bytes = &delta_;                                                                 \
        stmt;                                                                                  \
        scope_bytes = NULL;                                                                    \
        if (delta_ < 0 && (size_t)(-delta_) > (d)->flow_bytes)                                 \
            (d)->flow_bytes = 0;                                                               \
        else                                                                                   \
            (d)->flow_bytes = (size_t)((long)(d)->flow_bytes + delta_);                        \
    } while (0)

static bool
is_tls_like(uint16_t id)
{
    return id == NDPI_PROTOCOL_TLS || id == NDPI_PROTOCOL_DTLS || id == NDPI_PROTOCOL_QUIC ||
           id == NDPI_PROTOCOL_MAIL_IMAPS || id == NDPI_PROTOCOL_MAIL_POPS ||
           id == NDPI_PROTOCOL_MAIL_SMTPS;
}

static bool
is_proto(const struct flow *f, uint16_t id)
{
    return f->dpi_master == id || f->dpi_app == id;
}

static void
meta_str(struct flow_table *ft, struct flow *f, char **field, const char *value)
{
    if (value == NULL || value[0] == '\0')
        return;
    flowtable_meta(ft, f);
    flowtable_meta_set(ft, f, field, value);
}

/* Copy what nDPI learnt into f->meta. The protos union is read only for the
 * protocol that owns it, as ndpiReader does: other members alias it. */
static void
collect(struct dpi *d, struct flow_table *ft, struct flow *f, struct ndpi_flow_struct *nf)
{
    (void)d;
    f->dpi_risk = nf->risk;
    struct flow_meta *m;
    if (nf->host_server_name[0] != '\0') {
        m = flowtable_meta(ft, f);
        meta_str(ft, f, &m->host, nf->host_server_name);
    }
    if (nf->http.url != NULL || nf->http.user_agent != NULL) {
        m = flowtable_meta(ft, f);
        meta_str(ft, f, &m->http_url, nf->http.url);
        meta_str(ft, f, &m->http_ua, nf->http.user_agent);
    }
    if (is_proto(f, NDPI_PROTOCOL_SSH)) {
        m = flowtable_meta(ft, f);
        meta_str(ft, f, &m->ssh_client, nf->protos.ssh.client_signature);
        meta_str(ft, f, &m->ssh_server, nf->protos.ssh.server_signature);
        meta_str(ft, f, &m->hassh_client, nf->protos.ssh.hassh_client);
        meta_str(ft, f, &m->hassh_server, nf->protos.ssh.hassh_server);
    } else if (is_proto(f, NDPI_PROTOCOL_DHCP)) {
        m = flowtable_meta(ft, f);
        meta_str(ft, f, &m->dhcp_class, nf->protos.dhcp.class_ident);
        meta_str(ft, f, &m->dhcp_fp, nf->protos.dhcp.fingerprint);
    } else if (is_tls_like(f->dpi_master) || is_tls_like(f->dpi_app)) {
        m = flowtable_meta(ft, f);
        meta_str(ft, f, &m->tls_issuer, nf->protos.tls_quic.issuerDN);
        meta_str(ft, f, &m->tls_subject, nf->protos.tls_quic.subjectDN);
        meta_str(ft, f, &m->ja3c, nf->protos.tls_quic.ja3_client);
        meta_str(ft, f, &m->ja3s, nf->protos.tls_quic.ja3_server);
        m->tls_version = nf->protos.tls_quic.ssl_version;
    }
}

static void
set_result(struct flow *f, ndpi_protocol r)
{
    f->dpi_master = r.master_protocol;
    f->dpi_app = r.app_protocol;
    f->dpi_category = (uint16_t)r.category;
}

/* Final step for a flow: collect metadata and free the nDPI state. */
static void
conclude(struct dpi *d, struct flow_table *ft, struct flow *f)
{
    struct ndpi_flow_struct *nf = f->dpi_state;
    collect(d, ft, f, nf);
    IN_FLOW_SCOPE(d, ndpi_flow_free(nf));
    f->dpi_state = NULL;
    f->dpi_status = DPI_DONE;
    d->st.state_live--;
    if (f->dpi_master != NDPI_PROTOCOL_UNKNOWN || f->dpi_app != NDPI_PROTOCOL_UNKNOWN)
        d->st.detected++;
}

static void
give_up(struct dpi *d, struct flow *f)
{
    uint8_t guessed = 0;
    ndpi_protocol r;
    IN_FLOW_SCOPE(d, r = ndpi_detection_giveup(d->mod, f->dpi_state, 1, &guessed));
    set_result(f, r);
    if (guessed)
        d->st.guessed++;
}

/* ndpiReader gives nDPI every packet of a flow, telexpose only those from the
 * first one with payload. Tell the new nDPI state what it missed, so that it
 * behaves as if it had seen them: how many packets came before (nDPI counts
 * them towards its 32-packet dissection cap, the 80/24 giveup here and its
 * early TCP giveup) and, for TCP, the handshake (nDPI 4.2's FTP_DATA, Citrix
 * and Lotus Notes dissectors require seen_syn/seen_syn_ack). */
static void
catch_up(struct ndpi_flow_struct *nf, const struct flow *f)
{
    uint64_t before = f->pkts[0] + f->pkts[1] - 1; /* this packet is counted */
    nf->num_processed_pkts = (uint16_t)(before > 0xffff ? 0xffff : before);
    if (f->key.proto == 6 && (f->tcp_flags[0] & 0x02) && (f->tcp_flags[1] & 0x12) == 0x12) {
        nf->l4.tcp.seen_syn = 1;
        nf->l4.tcp.seen_syn_ack = 1;
    }
}

size_t
dpi_state_size(void)
{
    return SIZEOF_FLOW_STRUCT;
}

bool
dpi_will_allocate(const struct flow *f, const struct decoded_pkt *p)
{
    /* TCP/UDP flows that never carry payload (scans, floods) never cost
     * state. Other protocols (ESP, IGMP, GRE, OSPF...) nDPI names from the
     * IP protocol at once, so their state lives for one packet. */
    if (f->dpi_status != DPI_NONE || p->l3 == NULL || p->l3_len == 0)
        return false;
    return p->payload_len > 0 || (f->key.proto != 6 && f->key.proto != 17);
}

void
dpi_process(struct dpi *d, struct flow_table *ft, struct flow *f, const struct decoded_pkt *p,
            uint64_t ts_us)
{
    if (f->dpi_status == DPI_DONE || p->l3 == NULL || p->l3_len == 0)
        return;
    if (f->dpi_status == DPI_NONE) {
        if (!dpi_will_allocate(f, p))
            return;
        void *nf = NULL;
        IN_FLOW_SCOPE(d, nf = ndpi_flow_malloc(SIZEOF_FLOW_STRUCT));
        if (nf == NULL)
            return;
        memset(nf, 0, SIZEOF_FLOW_STRUCT);
        catch_up(nf, f);
        f->dpi_state = nf;
        f->dpi_status = DPI_RUNNING;
        d->st.flows_inspected++;
        if (++d->st.state_live > d->st.state_peak)
            d->st.state_peak = d->st.state_live;
    }
    uint32_t len = p->l3_len > 0xffff ? 0xffff : p->l3_len;
    f->dpi_pkts++;
    d->st.packets++;
    ndpi_protocol r;
    IN_FLOW_SCOPE(d, r = ndpi_detection_process_packet(d->mod, f->dpi_state, p->l3,
                                                        (unsigned short)len, ts_us / 1000));
    set_result(f, r);

    /* ndpiReader's stopping rule, on all packets of the flow (f->pkts
     * restarts with each active-timeout record; nDPI's count does not). */
    uint64_t seen = ((struct ndpi_flow_struct *)f->dpi_state)->num_processed_pkts;
    /* ndpiReader never gives up on other protocols; a flood of unnamed
     * ones would then hold state for good, so they get UDP's limit. */
    unsigned limit = f->key.proto == 6 ? DPI_MAX_TCP_PKTS : DPI_MAX_UDP_PKTS;
    bool enough = seen > limit;
    if (!enough && r.app_protocol == NDPI_PROTOCOL_UNKNOWN)
        return;
    if (!enough && ndpi_extra_dissection_possible(d->mod, f->dpi_state))
        return; /* e.g. TLS: wait for the certificate */
    if (r.app_protocol == NDPI_PROTOCOL_UNKNOWN)
        give_up(d, f);
    conclude(d, ft, f);
}

void
dpi_finish(struct dpi *d, struct flow_table *ft, struct flow *f)
{
    if (f->dpi_status != DPI_RUNNING)
        return;
    /* As ndpiReader at the end: giveup keeps a known result, guesses otherwise. */
    give_up(d, f);
    conclude(d, ft, f);
}

const char *
dpi_proto_name(const struct dpi *d, uint16_t id)
{
    const char *n = ndpi_get_proto_name(d->mod, id);
    return n != NULL ? n : "Unknown";
}

const char *
dpi_category_name(const struct dpi *d, uint16_t category)
{
    const char *n = ndpi_category_get_name(d->mod, (ndpi_protocol_category_t)category);
    return n != NULL ? n : "Unspecified";
}

/* Append src to buf at *pos, truncating at len - 1. */
static void
append(char *buf, size_t len, size_t *pos, const char *src)
{
    size_t n = strlen(src);
    if (*pos + n >= len)
        n = len - 1 - *pos;
    memcpy(buf + *pos, src, n);
    *pos += n;
    buf[*pos] = '\0';
}

/* ndpi_protocol2name's format ("master.app", "master" or "app") without its
 * snprintf, which showed in profiles at one call per flow. */
char *
dpi_flow_proto_str(const struct dpi *d, const struct flow *f, char *buf, size_t len)
{
    size_t pos = 0;
    if (len == 0)
        return buf;
    buf[0] = '\0';
    if (f->dpi_master != NDPI_PROTOCOL_UNKNOWN && f->dpi_master != f->dpi_app) {
        append(buf, len, &pos, dpi_proto_name(d, f->dpi_master));
        if (f->dpi_app != NDPI_PROTOCOL_UNKNOWN) {
            append(buf, len, &pos, ".");
            append(buf, len, &pos, dpi_proto_name(d, f->dpi_app));
        }
    } else {
        append(buf, len, &pos, dpi_proto_name(d, f->dpi_app));
    }
    return buf;
}

const char *
dpi_risk_name(unsigned bit)
{
    if (bit == 0 || bit >= NDPI_MAX_RISK)
        return NULL;
    return ndpi_risk2str((ndpi_risk_enum)bit);
}

const char *
dpi_lib_version(void)
{
    return ndpi_revision();
}

const struct dpi_stats *
dpi_get_stats(const struct dpi *d)
{
    return &d->st;
}
