/* pipeline.h - one packet's way through the stages: decode -> flow table ->
 * nDPI -> records out. Owns one instance of each stage; main (and the pcap
 * fuzz target) feed it frames and finish it at end of input.
 */
#ifndef TELEXPOSE_PIPELINE_H
#define TELEXPOSE_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "telexpose/decode.h"
#include "telexpose/flow.h"

struct out;

/* Whole-run counters written in the stats event. */
struct run_stats {
    uint64_t packets;          /* frames read */
    uint64_t bytes;            /* wire bytes of those frames */
    uint64_t ip_packets;       /* decoded to an IP packet */
    uint64_t non_ip;           /* well-formed frames without IP (ARP, LLDP...) */
    uint64_t decode_errors;    /* sum of by_reason[] */
    uint64_t by_reason[DECODE_REASON_COUNT];
    uint64_t frag_orphans;     /* later IP fragments whose first fragment was not seen */
    uint64_t tunneled;         /* packets whose flow was inside a tunnel */
    uint64_t ethernet_frames;  /* frames with Ethernet addresses (coverage) */
    uint64_t first_us;         /* capture time of the first and last frame */
    uint64_t last_us;
};

struct asset;
struct asset_config;
struct asset_view;
struct exposure_set;
struct dpi;
struct sig_db;
struct oui_db;
struct geoip;

struct pipeline_config {
    struct flow_config flow;
    bool dpi_enabled;          /* false: flows only, no nDPI (--no-dpi) */
    struct dpi *shared_dpi;    /* use this nDPI module (not owned) instead of
                                * creating one; NULL: the pipeline owns its own */
    const struct sig_db *sigs; /* vendor signatures (not owned); NULL: no
                                * observations, no evidence */
    const struct oui_db *oui;  /* MAC registry (not owned); may be NULL */
    struct geoip *geo;         /* ASN/country databases (not owned, used by this
                                * pipeline only: its cache is not locked); NULL: none */
    const struct asset_config *assets; /* --home-net and such (copied); NULL: defaults */
    unsigned workers;          /* worker threads (--threads); 0 or 1: the packets
                                * are processed on the caller's thread */
};

struct pipeline;

/* Build the stages. Records go to out (not owned; must outlive p).
 * NULL + errbuf on error. */
struct pipeline *pipeline_new(const struct pipeline_config *cfg, struct out *out, char *errbuf,
                              size_t errlen);

/* Process one frame of link type dlt captured at ts_us. Never fails: a
 * malformed frame is counted under its reason. With workers, the frame is
 * copied to its worker (this waits only while that worker's queue is full). */
void pipeline_packet(struct pipeline *p, int dlt, const uint8_t *data, uint32_t caplen,
                     uint32_t wirelen, uint64_t ts_us);

/* The wall clock is now now_us (live capture, about once a second): expire
 * the flows idle for longer than their timeout even when no packet came. */
void pipeline_tick(struct pipeline *p, uint64_t now_us);

struct capture_live_stats;

/* The interfaces' capture loss now (copied, names must outlive p; at most
 * PIPELINE_IFACES_MAX). The next stats event carries it, the final one
 * included. */
#define PIPELINE_IFACES_MAX 64
void pipeline_set_ifaces(struct pipeline *p, const struct capture_live_stats *ifs, size_t n);

/* Write a stats event now (periodic, or SIGUSR1): the figures as the
 * workers last published them (each second). */
void pipeline_write_stats(struct pipeline *p);

/* Settle devices and findings as of now_us (exposure events for findings
 * not written before) and call fn(user, p) while the model is held; fn may
 * read pipeline_view/asset/exposures/stats. Returns fn's value (0 when fn
 * is NULL: the review alone). */
int pipeline_review(struct pipeline *p, uint64_t now_us, int (*fn)(void *user, struct pipeline *p),
                    void *user);

/* End of input: write every flow (reason end_of_input), settle devices and
 * findings (their final events), and write the final stats event. */
void pipeline_finish(struct pipeline *p);

/* The asset model and findings (NULL without signatures); after
 * pipeline_finish or in pipeline_review's fn, pipeline_view is the settled
 * picture. */
struct asset *pipeline_asset(const struct pipeline *p);
const struct exposure_set *pipeline_exposures(const struct pipeline *p);
const struct asset_view *pipeline_view(const struct pipeline *p);

/* Totals over the workers: exact after pipeline_finish, else as last
 * published. */
const struct run_stats *pipeline_stats(const struct pipeline *p);
const struct flow_stats *pipeline_flow_stats(const struct pipeline *p);

/* Free everything. NULL is fine. */
void pipeline_free(struct pipeline *p);

#endif /* TELEXPOSE_PIPELINE_H */
