/* report.h - the report document (--report FILE) and the end-of-run summary
 * on stderr. Format: docs/report.md, schema docs/schema/report.schema.json.
 */
#ifndef TELEXPOSE_REPORT_H
#define TELEXPOSE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "telexpose/asset.h"
#include "telexpose/exposure.h"
#include "telexpose/flow.h"
#include "telexpose/pipeline.h"

struct sig_db;

/* A vendor-network pack, as the report lists it. */
struct report_netpack {
    const char *id;
    const char *vendor;
    uint64_t prefixes;
    bool enabled;
};

/* What the run was. Nothing is owned. */
struct capture_live_stats;

struct report_run {
    const char *const *inputs;     /* files read (live: interfaces) */
    size_t n_inputs;
    const struct run_stats *rs;
    const struct flow_stats *fs;
    bool dropped_known;            /* capture loss is known (live) */
    uint64_t dropped;
    const struct capture_live_stats *ifaces; /* live: per interface (NULL for files) */
    size_t n_ifaces;
    const struct sig_db *sigs;     /* NULL: no signatures */
    const struct report_netpack *netpacks;
    size_t n_netpacks;
};

/* Write the report to path ("-": stdout) through path.tmp and a rename, so
 * readers never see half of it. Returns 0, or -1 with errbuf naming the
 * file and the failure. */
int report_write(const char *path, const struct report_run *run, const struct asset *a,
                 const struct asset_view *v, const struct exposure_set *x, char *errbuf,
                 size_t errlen);

/* A few lines for a human: packets and time span, devices by vendor, the
 * most severe findings. */
void report_summary(FILE *fp, const struct report_run *run, const struct asset_view *v,
                    const struct exposure_set *x);

#endif /* TELEXPOSE_REPORT_H */
