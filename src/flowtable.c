/* flowtable.c - bounded bidirectional flow table (see flow.h for the design).
 *
 * Layout: a slot array of {hash, pool index + 1} probed linearly, so a miss
 * touches one cache line and no flow; a pool of struct flow allocated once
 * (calloc: pages are only backed when first used) with a LIFO free list so a
 * steady state reuses warm memory; one LRU list per timeout class, so the
 * head of each list is the next flow to time out in that class.
 */
#include "telexpose/flow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "telexpose/text.h"
#include "telexpose/xalloc.h"

#include "fragcache.h"

#define US_PER_SEC 1000000ull
#define EVICT_TARGET_PCT 98     /* evict down to this share of the cap */
#define FLOW_ID_MASK ((1ull << 51) - 1)
#define SLOTS_INITIAL 16384     /* the index starts small and doubles */

struct slot {
    uint32_t hash;
    uint32_t idx; /* pool index + 1; 0 = empty */
};

struct lru {
    uint32_t head; /* pool index + 1 */
    uint32_t tail;
};

struct flow_table {
    struct flow_config cfg;
    flow_record_fn cb;
    void *user;
    struct slot *slots;
    uint32_t mask;          /* slot count - 1 */
    uint32_t grow_at;       /* live flows that trigger doubling the index */
    size_t slots_max;       /* the index never grows past this many slots */
    struct flow *pool;
    uint32_t pool_size;
    uint32_t pool_used;     /* high-water mark: pool[0..pool_used) were handed out */
    uint32_t free_head;     /* free list through lru_next, index + 1 */
    struct lru lru[FLOW_TC_COUNT];
    uint64_t now_us;        /* newest packet time seen */
    uint64_t next_expire_us;
    uint64_t seq;           /* feeds flow_id: grows by seq_step per flow */
    uint64_t seq_step;
    size_t own_bytes;       /* slots + live flows + meta + frag cache */
    const size_t *ext_bytes;
    struct fragcache *frags; /* owned */
    struct flow_stats st;
};

struct flow_table *
flowtable_new(const struct flow_config *cfg, flow_record_fn cb, void *user, char *errbuf,
              size_t errlen)
{
    if (cfg->memcap < FLOW_MIN_MEMCAP) {
        snprintf(errbuf, errlen, "flow memcap %zu bytes is below the minimum of %u bytes",
                 cfg->memcap, FLOW_MIN_MEMCAP);
        return NULL;
    }
    for (int c = 0; c < FLOW_TC_COUNT; c++) {
        if (cfg->timeout[c] == 0) {
            snprintf(errbuf, errlen, "flow timeout for %s must be at least 1 second",
                     flow_tclass_name((enum flow_tclass)c));
            return NULL;
        }
    }
    struct flow_table *ft = xcalloc(1, sizeof(*ft));
    ft->cfg = *cfg;
    ft->cb = cb;
    ft->seq_step = 1;
    ft->user = user;

    /* The fragment cache never grows: its bytes come off the budget once. */
    ft->frags = fragcache_new();
    size_t frag_bytes = fragcache_bytes(ft->frags);
    size_t budget = cfg->memcap - frag_bytes;
    /* Split the budget between slots and pool: for each power-of-two slot
     * count, the pool gets the rest, capped at a 2/3 load factor; keep the
     * split that holds the most flows. */
    size_t nslots = 1024, nflows = 0;
    for (size_t ns = 1024; ns < budget / sizeof(struct slot); ns <<= 1) {
        size_t fit = (budget - ns * sizeof(struct slot)) / sizeof(struct flow);
        size_t load = ns / 3 * 2;
        size_t n = fit < load ? fit : load;
        if (n > nflows) {
            nflows = n;
            nslots = ns;
        }
    }
    if (nflows > UINT32_MAX / 4)
        nflows = UINT32_MAX / 4;
    /* The index starts small so a quiet network keeps it in cache; the
     * budget above reserved room for its largest size. */
    ft->slots_max = nslots;
    nslots = nslots < SLOTS_INITIAL ? nslots : SLOTS_INITIAL;
    ft->slots = xcalloc(nslots, sizeof(struct slot));
    ft->mask = (uint32_t)(nslots - 1);
    ft->grow_at = (uint32_t)(nslots / 3 * 2);
    ft->pool_size = (uint32_t)nflows;
    ft->pool = xcalloc(nflows, sizeof(struct flow));
    ft->own_bytes = nslots * sizeof(struct slot) + frag_bytes;
    ft->st.max_flows = nflows;
    ft->st.mem_used = ft->own_bytes;
    ft->st.mem_peak = ft->own_bytes;
    return ft;
}

struct flow_meta *
flowtable_meta_detach(struct flow_table *ft, struct flow *f)
{
    struct flow_meta *m = f->meta;
    if (m != NULL) {
        ft->own_bytes -= m->bytes;
        f->meta = NULL;
    }
    return m;
}

static void
meta_free(struct flow_table *ft, struct flow *f)
{
    flow_meta_free(flowtable_meta_detach(ft, f));
}

void
flowtable_free(struct flow_table *ft)
{
    if (ft == NULL)
        return;
    for (uint32_t i = 0; i < ft->pool_used; i++)
        meta_free(ft, &ft->pool[i]);
    free(ft->slots);
    free(ft->pool);
    fragcache_free(ft->frags);
    free(ft);
}

static inline uint64_t
rotl64(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

/* Multiply-rotate hash over the 44 key bytes; final mix from MurmurHash3's
 * fmix64. Only needs to spread well, not resist attack: probing is bounded
 * by the load factor and the pool by the memcap. */
static uint32_t
key_hash(const struct flow_key *k)
{
    uint64_t w[6] = { 0 };
    memcpy(w, k, sizeof(*k));
    uint64_t h = 0x243f6a8885a308d3ull;
    for (int i = 0; i < 6; i++) {
        h ^= rotl64(w[i] * 0x87c37b91114253d5ull, 31) * 0x4cf5ad432745937full;
        h = rotl64(h, 27) * 5 + 0x52dce729;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return (uint32_t)h;
}

static bool
is_echo(uint8_t proto, uint8_t type)
{
    if (proto == 1)
        return type == 8 || type == 0;
    return type == 128 || type == 129;
}

/* Build the canonical key of p; *src_is_lo says whether p's source is lo. */
static void
key_from_pkt(const struct decoded_pkt *p, struct flow_key *k, bool *src_is_lo)
{
    uint16_t sport = 0, dport = 0;
    memset(k, 0, sizeof(*k));
    if (p->has_l4) {
        if (decode_proto_is_icmp(p->proto)) {
            if (is_echo(p->proto, p->icmp_type))
                sport = dport = p->icmp_id;
        } else {
            sport = p->src_port;
            dport = p->dst_port;
        }
    }
    int c = memcmp(p->src.a, p->dst.a, 16);
    bool lo = c < 0 || (c == 0 && sport <= dport);
    if (lo) {
        memcpy(k->lo_addr, p->src.a, 16);
        memcpy(k->hi_addr, p->dst.a, 16);
        k->lo_port = sport;
        k->hi_port = dport;
    } else {
        memcpy(k->lo_addr, p->dst.a, 16);
        memcpy(k->hi_addr, p->src.a, 16);
        k->lo_port = dport;
        k->hi_port = sport;
    }
    for (int i = 0; i < p->vlan_count && i < 2; i++)
        k->vlan[i] = p->vlan[i];
    k->proto = p->proto;
    k->ip_version = p->ip_version;
    *src_is_lo = lo;
}

static inline struct flow *
flow_at(struct flow_table *ft, uint32_t idx1)
{
    return &ft->pool[idx1 - 1];
}

static inline uint32_t
flow_idx1(const struct flow_table *ft, const struct flow *f)
{
    return (uint32_t)(f - ft->pool) + 1;
}

static struct flow *
find(struct flow_table *ft, const struct flow_key *k, uint32_t h)
{
    uint32_t i = h & ft->mask;
    for (;;) {
        const struct slot *s = &ft->slots[i];
        if (s->idx == 0)
            return NULL;
        if (s->hash == h) {
            struct flow *f = flow_at(ft, s->idx);
            if (memcmp(&f->key, k, sizeof(*k)) == 0)
                return f;
        }
        i = (i + 1) & ft->mask;
    }
}

static void
lru_unlink(struct flow_table *ft, struct flow *f)
{
    struct lru *l = &ft->lru[f->tclass];
    if (f->lru_prev)
        flow_at(ft, f->lru_prev)->lru_next = f->lru_next;
    else
        l->head = f->lru_next;
    if (f->lru_next)
        flow_at(ft, f->lru_next)->lru_prev = f->lru_prev;
    else
        l->tail = f->lru_prev;
    f->lru_prev = f->lru_next = 0;
}

static void
lru_append(struct flow_table *ft, struct flow *f)
{
    struct lru *l = &ft->lru[f->tclass];
    uint32_t me = flow_idx1(ft, f);
    f->lru_next = 0;
    f->lru_prev = l->tail;
    if (l->tail)
        flow_at(ft, l->tail)->lru_next = me;
    else
        l->head = me;
    l->tail = me;
}

static size_t
mem_used(const struct flow_table *ft)
{
    return ft->own_bytes + (ft->ext_bytes ? *ft->ext_bytes : 0);
}

static void
note_mem(struct flow_table *ft)
{
    size_t m = mem_used(ft);
    ft->st.mem_used = m;
    if (m > ft->st.mem_peak)
        ft->st.mem_peak = m;
}

/* Remove f from the index with backward-shift deletion (no tombstones, so
 * probe lengths never degrade), from its LRU list, and free it. */
static void
flow_remove(struct flow_table *ft, struct flow *f)
{
    uint32_t me = flow_idx1(ft, f);
    uint32_t i = f->hash & ft->mask;
    while (ft->slots[i].idx != me)
        i = (i + 1) & ft->mask;
    uint32_t j = i;
    for (;;) {
        j = (j + 1) & ft->mask;
        if (ft->slots[j].idx == 0)
            break;
        uint32_t home = ft->slots[j].hash & ft->mask;
        /* Move j back into the hole at i unless its home lies in (i, j]. */
        bool in_between = (i <= j) ? (home > i && home <= j) : (home > i || home <= j);
        if (!in_between) {
            ft->slots[i] = ft->slots[j];
            i = j;
        }
    }
    ft->slots[i].idx = 0;
    ft->slots[i].hash = 0;

    lru_unlink(ft, f);
    meta_free(ft, f);
    memset(f, 0, sizeof(*f));
    f->lru_next = ft->free_head;
    ft->free_head = me;
    ft->own_bytes -= sizeof(struct flow);
    ft->st.active--;
}

static void
flow_end(struct flow_table *ft, struct flow *f, enum flow_end_reason reason)
{
    ft->cb(ft->user, f, reason);
    flow_remove(ft, f);
}

/* The least recently seen flow over all classes, skipping keep. */
static struct flow *
oldest(struct flow_table *ft, const struct flow *keep)
{
    struct flow *best = NULL;
    for (int c = 0; c < FLOW_TC_COUNT; c++) {
        uint32_t h = ft->lru[c].head;
        if (h && flow_at(ft, h) == keep)
            h = flow_at(ft, h)->lru_next;
        if (h == 0)
            continue;
        struct flow *f = flow_at(ft, h);
        if (best == NULL || f->last_us < best->last_us)
            best = f;
    }
    return best;
}

static void
evict_until(struct flow_table *ft, size_t target, bool need_slot, const struct flow *keep)
{
    for (;;) {
        bool over = mem_used(ft) > target;
        bool full = need_slot && ft->st.active >= ft->pool_size;
        if (!over && !full)
            break;
        struct flow *victim = oldest(ft, keep);
        if (victim == NULL)
            break;
        ft->st.evicted++;
        flow_end(ft, victim, FLOW_END_EVICTED);
    }
}

void
flowtable_enforce_memcap(struct flow_table *ft, const struct flow *keep)
{
    if (mem_used(ft) > ft->cfg.memcap)
        evict_until(ft, ft->cfg.memcap / 100 * EVICT_TARGET_PCT, false, keep);
    /* The peak is taken between packets: a packet's own allocations may
     * pass the cap for the moment it is processed, then eviction follows. */
    note_mem(ft);
}

void
flowtable_reserve(struct flow_table *ft, size_t bytes, const struct flow *keep)
{
    if (mem_used(ft) + bytes > ft->cfg.memcap) {
        size_t target = ft->cfg.memcap / 100 * EVICT_TARGET_PCT;
        evict_until(ft, target > bytes ? target - bytes : 0, false, keep);
    }
}

void
flowtable_set_external_mem(struct flow_table *ft, const size_t *bytes)
{
    ft->ext_bytes = bytes;
}

static enum flow_tclass
initial_tclass(uint8_t proto)
{
    switch (proto) {
    case 6:
        return FLOW_TC_TCP_NEW;
    case 17:
        return FLOW_TC_UDP;
    case 1:
    case 58:
        return FLOW_TC_ICMP;
    default:
        return FLOW_TC_OTHER;
    }
}

/* Double the index and reinsert every live flow. Amortised O(1) per flow;
 * the memory it takes was reserved in the budget at creation. */
static void
index_grow(struct flow_table *ft)
{
    size_t old_n = (size_t)ft->mask + 1;
    size_t n = old_n * 2;
    if (n > ft->slots_max) {
        ft->grow_at = UINT32_MAX;
        return;
    }
    struct slot *old = ft->slots;
    ft->slots = xcalloc(n, sizeof(struct slot));
    ft->mask = (uint32_t)(n - 1);
    for (size_t k = 0; k < old_n; k++) {
        if (old[k].idx == 0)
            continue;
        uint32_t i = old[k].hash & ft->mask;
        while (ft->slots[i].idx != 0)
            i = (i + 1) & ft->mask;
        ft->slots[i] = old[k];
    }
    free(old);
    ft->own_bytes += (n - old_n) * sizeof(struct slot);
    ft->grow_at = n >= ft->slots_max ? UINT32_MAX : (uint32_t)(n / 3 * 2);
}

static struct flow *
flow_create(struct flow_table *ft, const struct flow_key *k, uint32_t h, bool src_is_lo,
            const struct decoded_pkt *p, uint64_t ts_us)
{
    size_t need = mem_used(ft) + sizeof(struct flow);
    if (need > ft->cfg.memcap || ft->st.active >= ft->pool_size)
        evict_until(ft, ft->cfg.memcap / 100 * EVICT_TARGET_PCT, true, NULL);

    if (ft->st.active + 1 > ft->grow_at)
        index_grow(ft);
    uint32_t idx1;
    if (ft->free_head) {
        idx1 = ft->free_head;
        ft->free_head = flow_at(ft, idx1)->lru_next;
    } else {
        idx1 = ++ft->pool_used;
    }
    struct flow *f = flow_at(ft, idx1);
    memset(f, 0, sizeof(*f));
    f->key = *k;
    f->hash = h;
    ft->seq += ft->seq_step;
    /* Multiplying by an odd constant is a bijection mod 2^51: ids are unique
     * per run yet look unordered, like Suricata's. */
    f->flow_id = (ft->seq * 0x9e3779b97f4a7c15ull) & FLOW_ID_MASK;
    f->first_us = f->last_us = f->rec_start_us = ts_us;
    /* A SYN-ACK first means we missed the SYN: its destination initiated. */
    bool synack = p->proto == 6 && p->has_l4 && (p->tcp_flags & 0x12) == 0x12;
    f->init_is_lo = (uint8_t)(synack ? !src_is_lo : src_is_lo);
    f->tclass = (uint8_t)initial_tclass(k->proto);
    f->tcp_state = k->proto == 6 ? FLOW_TCP_NEW : FLOW_TCP_NONE;
    f->icmp_type = p->icmp_type;
    f->icmp_code = p->icmp_code;
    uint32_t i = h & ft->mask;
    while (ft->slots[i].idx != 0)
        i = (i + 1) & ft->mask;
    ft->slots[i].hash = h;
    ft->slots[i].idx = idx1;
    lru_append(ft, f);

    ft->own_bytes += sizeof(struct flow);
    ft->st.created++;
    ft->st.active++;
    if (ft->st.active > ft->st.active_peak)
        ft->st.active_peak = ft->st.active;
    note_mem(ft);
    return f;
}

struct flow *
flowtable_lookup(struct flow_table *ft, const struct decoded_pkt *p, int *dir)
{
    struct flow_key k;
    bool src_is_lo;
    key_from_pkt(p, &k, &src_is_lo);
    struct flow *f = find(ft, &k, key_hash(&k));
    if (f != NULL && dir != NULL)
        *dir = (src_is_lo == (bool)f->init_is_lo) ? 0 : 1;
    return f;
}

struct flow *
flowtable_get(struct flow_table *ft, const struct decoded_pkt *p, uint64_t ts_us, int *dir)
{
    struct flow_key k;
    bool src_is_lo;
    key_from_pkt(p, &k, &src_is_lo);
    uint32_t h = key_hash(&k);
    struct flow *f = find(ft, &k, h);
    if (f == NULL)
        f = flow_create(ft, &k, h, src_is_lo, p, ts_us);
    *dir = (src_is_lo == (bool)f->init_is_lo) ? 0 : 1;
    return f;
}

static void
set_tclass(struct flow_table *ft, struct flow *f, enum flow_tclass c)
{
    if (f->tclass == c)
        return;
    lru_unlink(ft, f);
    f->tclass = (uint8_t)c;
    lru_append(ft, f);
}

static void
tcp_update(struct flow *f, uint8_t flags, int dir)
{
    f->tcp_flags[dir] |= flags;
    if (f->tcp_state == FLOW_TCP_CLOSED)
        return;
    if (flags & 0x04) {
        f->tcp_state = FLOW_TCP_CLOSED;
    } else if ((f->tcp_flags[0] & 0x01) && (f->tcp_flags[1] & 0x01)) {
        f->tcp_state = FLOW_TCP_CLOSED;
    } else if (f->tcp_state == FLOW_TCP_NEW && f->pkts[0] && f->pkts[1]) {
        f->tcp_state = FLOW_TCP_ESTABLISHED;
    }
}

static enum flow_tclass
tcp_tclass(const struct flow *f)
{
    switch ((enum flow_tcp_state)f->tcp_state) {
    case FLOW_TCP_ESTABLISHED:
        return FLOW_TC_TCP_EST;
    case FLOW_TCP_CLOSED:
        return FLOW_TC_TCP_CLOSED;
    case FLOW_TCP_NEW:
    case FLOW_TCP_NONE:
        break;
    }
    return FLOW_TC_TCP_NEW;
}

void
flowtable_update(struct flow_table *ft, struct flow *f, const struct decoded_pkt *p, int dir,
                 uint32_t wirelen, uint64_t ts_us)
{
    if (ft->cfg.active_timeout &&
        ts_us >= f->rec_start_us &&
        ts_us - f->rec_start_us >= (uint64_t)ft->cfg.active_timeout * US_PER_SEC &&
        (f->pkts[0] || f->pkts[1])) {
        ft->st.active_records++;
        ft->cb(ft->user, f, FLOW_END_ACTIVE);
        f->pkts[0] = f->pkts[1] = 0;
        f->bytes[0] = f->bytes[1] = 0;
        f->rec_start_us = ts_us;
        if (f->records < UINT8_MAX)
            f->records++;
    }
    f->pkts[dir]++;
    f->bytes[dir] += wirelen;
    if (ts_us > f->last_us)
        f->last_us = ts_us;
    if (p->has_mac) {
        if (f->has_mac[dir] != 1) {
            memcpy(f->mac[dir], p->src_mac, 6);
            f->has_mac[dir] = 1;
        }
        if (f->has_mac[!dir] == 0 && p->has_dst_mac) {
            /* Provisional until that side sends: the frame's destination. */
            memcpy(f->mac[!dir], p->dst_mac, 6);
            f->has_mac[!dir] = 2;
        }
    }
    if (f->key.proto == 6 && p->has_l4) {
        tcp_update(f, p->tcp_flags, dir);
        set_tclass(ft, f, tcp_tclass(f));
    }
    /* Move to the tail: the list stays ordered by last packet time. */
    struct lru *l = &ft->lru[f->tclass];
    if (l->tail != flow_idx1(ft, f)) {
        lru_unlink(ft, f);
        lru_append(ft, f);
    }
    if (ts_us > ft->now_us)
        ft->now_us = ts_us;
}

void
flowtable_expire(struct flow_table *ft, uint64_t now_us)
{
    /* Checking at most once per second of capture time keeps this off the
     * per-packet path; timeouts are whole seconds anyway. */
    /* A jump back in time (a bad timestamp, or files given out of order)
     * must not switch expiry off until the clock catches up again. */
    if (now_us < ft->next_expire_us && ft->next_expire_us - now_us <= US_PER_SEC)
        return;
    ft->next_expire_us = now_us + US_PER_SEC;
    for (int c = 0; c < FLOW_TC_COUNT; c++) {
        uint64_t ttl = (uint64_t)ft->cfg.timeout[c] * US_PER_SEC;
        const struct flow *first_future = NULL;
        while (ft->lru[c].head) {
            struct flow *f = flow_at(ft, ft->lru[c].head);
            if (f->last_us > now_us) {
                /* Dated after now (a bad timestamp): it must not hold back
                 * the flows queued behind it, so it goes to the tail. */
                if (f == first_future)
                    break;
                if (first_future == NULL)
                    first_future = f;
                lru_unlink(ft, f);
                lru_append(ft, f);
                continue;
            }
            if (now_us - f->last_us < ttl)
                break;
            ft->st.timed_out++;
            flow_end(ft, f, FLOW_END_TIMEOUT);
        }
    }
    note_mem(ft);
}

void
flowtable_flush(struct flow_table *ft, enum flow_end_reason reason)
{
    /* Oldest first, so records come out in roughly the order flows went quiet. */
    for (;;) {
        struct flow *f = oldest(ft, NULL);
        if (f == NULL)
            break;
        if (reason == FLOW_END_EOF)
            ft->st.flushed++;
        else if (reason == FLOW_END_EVICTED)
            ft->st.evicted++;
        else if (reason == FLOW_END_TIMEOUT)
            ft->st.timed_out++;
        flow_end(ft, f, reason);
    }
    note_mem(ft);
}

struct flow_meta *
flowtable_meta(struct flow_table *ft, struct flow *f)
{
    if (f->meta == NULL) {
        f->meta = xcalloc(1, sizeof(struct flow_meta));
        f->meta->bytes = sizeof(struct flow_meta);
        ft->own_bytes += sizeof(struct flow_meta);
    }
    return f->meta;
}

void
flowtable_meta_set(struct flow_table *ft, struct flow *f, char **field, const char *value)
{
    if (*field != NULL) {
        size_t n = strlen(*field) + 1;
        ft->own_bytes -= n;
        f->meta->bytes -= n;
        free(*field);
        *field = NULL;
    }
    if (value != NULL && value[0] != '\0') {
        /* Packet text goes to JSON: it must be valid UTF-8 from here on. */
        *field = text_utf8_dup(value);
        size_t n = strlen(*field) + 1;
        ft->own_bytes += n;
        f->meta->bytes += n;
    }
}

void
flowtable_meta_account(struct flow_table *ft, struct flow *f, long delta)
{
    ft->own_bytes = (size_t)((long)ft->own_bytes + delta);
    f->meta->bytes = (size_t)((long)f->meta->bytes + delta);
}

void
flowtable_set_id_space(struct flow_table *ft, unsigned index, unsigned count)
{
    ft->seq = index;
    ft->seq_step = count ? count : 1;
}

const struct flow_stats *
flowtable_stats(const struct flow_table *ft)
{
    return &ft->st;
}

bool
flowtable_frag_ports(struct flow_table *ft, struct decoded_pkt *p, uint64_t ts_us)
{
    return fragcache_ports(ft->frags, p, ts_us);
}
