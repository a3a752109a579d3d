/* out_json.h - NDJSON event writer (the cJSON adapter).
 *
 * One JSON object per line, built only through cJSON; the envelope follows
 * Suricata EVE (timestamp, flow_id, event_type, src_ip, ..., community_id).
 * Event types and fields: docs/events.md, schema docs/schema/events.schema.json.
 */
#ifndef TELEXPOSE_OUT_JSON_H
#define TELEXPOSE_OUT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <signal.h>
#include <stdint.h>

#include "telexpose/flow.h"
#include "telexpose/geoip.h"

struct out;
struct dpi;
struct dpi_stats;
struct run_stats;

/* Open path for writing ("-" or NULL: stdout). NULL + errbuf on error.
 * The caller owns the writer and must out_close() it. */
struct out *out_open(const char *path, char *errbuf, size_t errlen);

/* Open the event outputs: path as out_open() (the -w file; NULL: standard
 * output, unless specs name outputs), plus each -o SPEC ("stdout",
 * "file:PATH", "unix-stream:PATH", "unix-dgram:PATH", "syslog[:FACILITY]",
 * "redis:HOST:PORT/list|channel/KEY"; docs/outputs.md). NULL + errbuf on a
 * bad spec or an output that cannot be opened. */
struct out *out_open_multi(const char *path, const char *const *specs, size_t n_specs,
                           char *errbuf, size_t errlen);

/* File outputs opened from now on append instead of truncating (live
 * capture: a restart keeps what a log shipper has not read yet). */
void out_set_files_append(bool on);

/* When *flag becomes non-zero (SIGHUP), file outputs are reopened by path
 * (logrotate moved them) and *flag is cleared. flag must outlive o. */
void out_set_reopen_flag(struct out *o, volatile sig_atomic_t *flag);

/* One output's counters, for the stats event. */
struct out_sink_stat {
    const char *name;        /* the spec, e.g. "unix-stream:/run/x.sock"; lives in o */
    uint64_t written;        /* events delivered */
    uint64_t dropped;        /* events lost: queue full, or not connected */
    uint64_t errors;         /* failed writes/connects */
    bool connected;          /* network outputs: connected now */
};

/* Counters of o's outputs into st[0..max); returns how many outputs o has. */
size_t out_sink_stats(struct out *o, struct out_sink_stat *st, size_t max);

/* Flush and close. Returns 0, or -1 with errbuf when any write failed
 * (disk full, broken pipe): the exit status must then say so. NULL is fine. */
int out_close(struct out *o, char *errbuf, size_t errlen);

/* The dpi module whose names flow events use (may be NULL: no nDPI). */
void out_set_dpi(struct out *o, const struct dpi *d);

/* What the pipeline knows of a flow's endpoints. Vendors by what matched,
 * NULL when none (the strings must outlive o: they live in the signature
 * db); geo[0] for the source, geo[1] for the destination, written when
 * has_geo[i]. */
struct out_endpoints {
    const char *src_mac;
    const char *dest_mac;
    const char *src_ip;
    const char *dest_ip;
    bool has_geo[2];
    struct geoip_info geo[2];
};

/* Write one flow record of f. meta is f's metadata, now owned by o (NULL
 * when none); f->meta itself is not read. v (copied) may be NULL. Records are
 * formatted on a writer thread; this call only waits when OUT_RING records
 * are already queued. */
void out_flow(struct out *o, const struct flow *f, struct flow_meta *meta,
              enum flow_end_reason reason, const struct out_endpoints *v);

/* One evidence event (docs/events.md). The const char * members must
 * outlive o (static strings or the signature db's); value is copied. */
struct out_evidence {
    uint64_t ts_us;
    uint64_t flow_id;          /* 0: not tied to a flow */
    const char *device;        /* "mac=..." / "ip=...", copied */
    bool has_mac;
    uint8_t mac[6];
    const char *mac_source;    /* "ethernet", "dhcp", "lldp", "eui64" */
    struct decode_addr ip;     /* family 0: none */
    const char *vendor;
    const char *counts_as;     /* NULL when the pack has none */
    const char *pack;
    const char *rule;
    const char *field;
    const char *value;         /* valid UTF-8, copied */
    double confidence;
    const char *model;         /* "" or NULL: none; copied */
    const char *version;
};

/* Queue an evidence event behind the flow records already queued. */
void out_evidence(struct out *o, const struct out_evidence *ev);

struct asset_device;
struct asset_service;
struct exposure_finding;

/* A device event (change "new", "verdict" or "final") stamped ts_us (capture
 * time). svcs and finds are the device's services and findings (may be
 * empty). Formatted now: d may change after the call. */
void out_device(struct out *o, uint64_t ts_us, const char *change, const struct asset_device *d,
                const struct asset_service *const *svcs, size_t n_svcs,
                const struct exposure_finding *const *finds, size_t n_finds);

/* An exposure event. Formatted now. */
void out_exposure(struct out *o, uint64_t ts_us, const struct exposure_finding *f);

/* Write the stats event. ds may be NULL. */
void out_stats(struct out *o, const struct run_stats *rs, const struct flow_stats *fs,
               const struct flow_config *fc, const struct dpi_stats *ds);

struct capture_live_stats;

/* One worker's share, for the stats event. */
struct out_worker_stat {
    uint64_t packets;
    uint64_t flows;            /* created */
    uint64_t active;           /* in its table now */
    uint64_t evicted;
    uint64_t memuse;           /* bytes its flow table accounts */
};

/* Everything a stats event says (docs/events.md "stats"). */
struct out_stats_input {
    const struct run_stats *rs;
    const struct flow_stats *fs;   /* totals over the workers */
    const struct flow_config *fc;
    const struct dpi_stats *ds;    /* NULL: nDPI off */
    const struct out_worker_stat *workers;
    size_t n_workers;
    const struct capture_live_stats *ifaces; /* live capture; n_ifaces 0 for files */
    size_t n_ifaces;
    bool final;                    /* the last stats event of the run */
};

/* Queue a stats event behind the records already queued. */
void out_stats_write(struct out *o, const struct out_stats_input *in);

/* cJSON's version string. */
const char *out_lib_version(void);

/* Events written so far (waits for queued records). */
uint64_t out_events(struct out *o);

/* Format microseconds since the epoch as ISO 8601 UTC with microseconds and
 * offset ("2024-05-28T09:39:37.032387+0000") into buf (>= 32 bytes). */
char *out_format_ts(uint64_t us, char *buf, size_t len);

#endif /* TELEXPOSE_OUT_JSON_H */
