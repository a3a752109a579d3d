/* fragcache.h - ports of first IP fragments, for the later fragments of the
 * same datagram (internal to the flow table, not installed).
 *
 * Reference: RFC 791 section 3.2 and RFC 8200 section 4.5: only the first
 * fragment carries the transport header, so without this cache every later
 * fragment of a UDP or TCP datagram would be counted on a port-less flow.
 *
 * A fixed-size, direct-mapped table keyed by (src, dst, id): no allocation
 * after fragcache_new(), so the flow table charges its size once against the
 * memcap. A collision overwrites the older entry and orphans its later
 * fragments; an entry is trusted for FRAGCACHE_TTL_US only, so a reused IP ID
 * does not inherit a stale datagram's ports.
 */
#ifndef TELEXPOSE_FRAGCACHE_H
#define TELEXPOSE_FRAGCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "telexpose/decode.h"

#define FRAGCACHE_SLOTS 4096               /* power of two */
#define FRAGCACHE_TTL_US (30 * 1000000ull) /* first fragment to the last */

struct fragcache;

/* An empty cache. The caller owns it (the flow table does) and releases it
 * with fragcache_free(). Never NULL: out of memory aborts in xcalloc. */
struct fragcache *fragcache_new(void);

/* Release fc. NULL is fine. */
void fragcache_free(struct fragcache *fc);

/* Bytes fc holds, fixed for its lifetime: for the table's memory accounting. */
size_t fragcache_bytes(const struct fragcache *fc);

/* For a first fragment: remember its ports (or ICMP type, code and id).
 * For a later one: fill them in from the entry of its datagram, set has_l4
 * and clear the payload (its bytes are not the transport payload).
 * Returns true when p can be keyed like an unfragmented packet: it is not a
 * fragment and has its transport header, or its protocol has no ports, or its
 * ports are now known. ts_us is p's capture time. */
bool fragcache_ports(struct fragcache *fc, struct decoded_pkt *p, uint64_t ts_us);

#endif
