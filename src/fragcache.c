/* fragcache.c - ports of first IP fragments (see fragcache.h for the contract).
 *
 * Reference: RFC 791 section 3.2 (IPv4 fragmentation), RFC 8200 section 4.5
 * (the IPv6 Fragment header).
 */
#include "fragcache.h"

#include <stdlib.h>
#include <string.h>

#include "telexpose/xalloc.h"

/* What a later fragment needs from its first one, and the datagram it came
 * from (src, dst, id, proto, version) to check it really is the same. */
struct frag_entry {
    uint8_t src[16];
    uint8_t dst[16];
    uint32_t id;
    uint8_t proto;
    uint8_t version;
    uint16_t sport;
    uint16_t dport;
    uint8_t icmp_type;
    uint8_t icmp_code;
    uint16_t icmp_id;
    uint64_t ts_us; /* 0 = empty */
};

struct fragcache {
    struct frag_entry slots[FRAGCACHE_SLOTS];
};

struct fragcache *
fragcache_new(void)
{
    return xcalloc(1, sizeof(struct fragcache));
}

void
fragcache_free(struct fragcache *fc)
{
    free(fc);
}

size_t
fragcache_bytes(const struct fragcache *fc)
{
    (void)fc;
    return sizeof(struct fragcache);
}

static inline uint64_t
rotl64(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

/* Mixes the id and both addresses: one busy host pair fragmenting many
 * datagrams must spread over the slots, not pile onto one. */
static uint32_t
frag_slot(const struct decoded_pkt *p)
{
    uint64_t h = p->frag_id * 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 16; i += 4) {
        uint32_t a, b;
        memcpy(&a, p->src.a + i, 4);
        memcpy(&b, p->dst.a + i, 4);
        h ^= (a * 0xff51afd7ed558ccdull) ^ (b * 0xc4ceb9fe1a85ec53ull);
        h = rotl64(h, 29);
    }
    return (uint32_t)(h ^ (h >> 32)) & (FRAGCACHE_SLOTS - 1);
}

bool
fragcache_ports(struct fragcache *fc, struct decoded_pkt *p, uint64_t ts_us)
{
    if (!p->is_fragment)
        return p->has_l4;
    /* Protocols keyed without ports (ESP, GRE, OSPF...) need nothing from
     * the first fragment. */
    if (!decode_proto_has_ports(p->proto) && !decode_proto_is_icmp(p->proto))
        return true;
    struct frag_entry *e = &fc->slots[frag_slot(p)];
    if (p->frag_offset == 0) {
        if (!p->has_l4)
            return false;
        memcpy(e->src, p->src.a, 16);
        memcpy(e->dst, p->dst.a, 16);
        e->id = p->frag_id;
        e->proto = p->proto;
        e->version = p->ip_version;
        e->sport = p->src_port;
        e->dport = p->dst_port;
        e->icmp_type = p->icmp_type;
        e->icmp_code = p->icmp_code;
        e->icmp_id = p->icmp_id;
        /* 0 marks an empty slot: a capture at the epoch still counts. */
        e->ts_us = ts_us ? ts_us : 1;
        return true;
    }
    if (e->ts_us == 0 || e->id != p->frag_id || e->proto != p->proto ||
        e->version != p->ip_version || memcmp(e->src, p->src.a, 16) != 0 ||
        memcmp(e->dst, p->dst.a, 16) != 0 || ts_us < e->ts_us ||
        ts_us - e->ts_us > FRAGCACHE_TTL_US)
        return false;
    p->src_port = e->sport;
    p->dst_port = e->dport;
    p->icmp_type = e->icmp_type;
    p->icmp_code = e->icmp_code;
    p->icmp_id = e->icmp_id;
    p->has_l4 = true;
    /* A later fragment's bytes are not a transport payload. */
    p->payload = NULL;
    p->payload_len = 0;
    return true;
}
