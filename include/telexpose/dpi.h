/* dpi.h - per-flow application classification (the nDPI 4.2 adapter).
 *
 * The only module that includes nDPI's headers. nDPI state is allocated when
 * a flow first carries payload and freed as soon as detection completes or
 * gives up (80 TCP / 24 UDP packets, as ndpiReader does), so a classified
 * flow keeps only ids, the risk bitmask and the metadata strings in its
 * flow_meta. Not thread-safe: one struct dpi per worker.
 */
#ifndef TELEXPOSE_DPI_H
#define TELEXPOSE_DPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "telexpose/decode.h"
#include "telexpose/flow.h"

#define DPI_MAX_TCP_PKTS 80 /* packets of a TCP flow before giving up (ndpiReader's) */
#define DPI_MAX_UDP_PKTS 24 /* and of a UDP flow */

enum dpi_status {
    DPI_NONE = 0, /* no payload seen yet, no state */
    DPI_RUNNING,  /* nDPI state allocated */
    DPI_DONE      /* result final, state freed */
};

struct dpi;

struct dpi_stats {
    uint64_t flows_inspected; /* flows that got nDPI state */
    uint64_t packets;         /* packets given to nDPI */
    uint64_t detected;        /* flows done with a known protocol */
    uint64_t guessed;         /* flows classified only by giveup's guess */
    uint64_t state_live;      /* nDPI states allocated now */
    uint64_t state_peak;
};

/* Create the nDPI module with every protocol enabled. NULL + errbuf on error.
 * Owned by the caller; release with dpi_free(). */
struct dpi *dpi_new(char *errbuf, size_t errlen);
void dpi_free(struct dpi *d);

/* Bytes of nDPI per-flow state alive now; the pointer stays valid for d's
 * life (the flow table reads it to enforce its cap). */
const size_t *dpi_mem_counter(const struct dpi *d);

/* Bytes a flow's nDPI state costs when it is allocated (for reserving). */
size_t dpi_state_size(void);

/* True when dpi_process() would allocate nDPI state for f on packet p. */
bool dpi_will_allocate(const struct flow *f, const struct decoded_pkt *p);

/* Feed packet p of flow f (direction dir) to nDPI when useful. Cheap when
 * the flow is done or p carries nothing new. */
void dpi_process(struct dpi *d, struct flow_table *ft, struct flow *f,
                 const struct decoded_pkt *p, uint64_t ts_us);

/* Conclude f before its record is written: give up (with nDPI's guess) if
 * detection is still running and release its state. Idempotent. */
void dpi_finish(struct dpi *d, struct flow_table *ft, struct flow *f);

/* Names; never NULL ("Unknown" for unknown ids). */
const char *dpi_proto_name(const struct dpi *d, uint16_t id);
const char *dpi_category_name(const struct dpi *d, uint16_t category);

/* "TLS.Google"-style name of f's result into buf; returns buf. */
char *dpi_flow_proto_str(const struct dpi *d, const struct flow *f, char *buf, size_t len);

/* Name of risk bit (0..63), NULL when unused. */
const char *dpi_risk_name(unsigned bit);

/* A thread that used a dpi module is about to end: release the blocks it
 * keeps for reuse (a per-thread cache; dpi_free drains only its caller's). */
void dpi_thread_done(void);

const struct dpi_stats *dpi_get_stats(const struct dpi *d);

/* nDPI's version string ("4.2.0"). */
const char *dpi_lib_version(void);

#endif /* TELEXPOSE_DPI_H */
