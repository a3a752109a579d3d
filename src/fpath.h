/* fpath.h - one flow path: decode -> flow table -> nDPI -> extract, for the
 * frames of one thread (the only worker, or one of several). Finished flow
 * records, observations and bindings leave through callbacks. Internal to
 * the pipeline (pipeline.c, workers.c).
 */
#ifndef TELEXPOSE_FPATH_H
#define TELEXPOSE_FPATH_H

#include <stdint.h>

#include "telexpose/dpi.h"
#include "telexpose/extract.h"
#include "telexpose/flow.h"
#include "telexpose/pipeline.h"

struct evidence_store;
struct asset;

/* A flow record leaves: meta (may be NULL) now belongs to the callee. */
typedef void (*fpath_record_fn)(void *user, const struct flow *f, struct flow_meta *meta,
                                enum flow_end_reason reason);

struct fpath_config {
    const struct pipeline_config *pc; /* flow table, nDPI, signatures, MAC registry */
    size_t memcap;             /* this path's share of pc->flow.memcap */
    unsigned index, count;     /* path index of count: flow ids stay unique */
    fpath_record_fn record;
    void *record_user;
    /* Observations and bindings: to ev and asset (same thread; not owned)
     * when down is NULL, else through down (copied). */
    struct evidence_store *ev;
    struct asset *asset;
    const struct extract_downstream *down;
};

struct fpath;

struct fpath *fpath_new(const struct fpath_config *cfg, char *errbuf, size_t errlen);
void fpath_free(struct fpath *fp);

void fpath_packet(struct fpath *fp, int dlt, const uint8_t *data, uint32_t caplen,
                  uint32_t wirelen, uint64_t ts_us);

/* Expire flows idle at now_us (wall clock, or capture time elsewhere). */
void fpath_tick(struct fpath *fp, uint64_t now_us);

/* End of input: every flow out with reason end_of_input. */
void fpath_flush(struct fpath *fp);

/* The nDPI module (NULL with nDPI off). */
struct dpi *fpath_dpi(const struct fpath *fp);

/* A path's counters at one moment. */
struct fpath_stat {
    struct run_stats rs;
    struct flow_stats fs;
    struct dpi_stats ds;
    bool has_dpi;              /* false: nDPI off, ds is zero */
};

void fpath_stat(const struct fpath *fp, struct fpath_stat *out);

#endif /* TELEXPOSE_FPATH_H */
