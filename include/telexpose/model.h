/* model.h - the model stage: signature hits become evidence, evidence and
 * flows become devices, services and findings, and flow records go out
 * labelled with their endpoints' vendors and networks.
 *
 * One instance per run, used by one thread at a time: the packet thread
 * (one worker) or the model thread fed by the workers' queues.
 */
#ifndef TELEXPOSE_MODEL_H
#define TELEXPOSE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "telexpose/decode.h"
#include "telexpose/flow.h"

struct out;
struct dpi;
struct sig_db;
struct geoip;
struct asset;
struct asset_config;
struct asset_view;
struct exposure_set;
struct evidence_store;
struct ev_subject;

struct model_config {
    const struct sig_db *sigs;          /* NULL: no evidence, devices or findings */
    struct geoip *geo;                  /* NULL: no GeoIP / vendor networks */
    const struct asset_config *assets;  /* NULL: defaults */
};

struct model;

/* Records and events go to out (not owned; must outlive m). */
struct model *model_new(const struct model_config *cfg, struct out *out);
void model_free(struct model *m);

/* The nDPI module whose protocol names label services (read only; may be
 * NULL). Its tables are read, never written, so another thread may be
 * classifying with it meanwhile. */
void model_set_dpi(struct model *m, const struct dpi *d);

/* The stores (NULL without signatures), for an extract stage on the same
 * thread. */
struct evidence_store *model_evidence(struct model *m);
struct asset *model_asset(const struct model *m);

/* An observation, a binding, Ethernet frames counted, as extract makes them. */
void model_observe(struct model *m, const struct ev_subject *subj, int field, const char *value,
                   size_t len, uint64_t flow_id, uint64_t ts_us);
void model_bind(struct model *m, const uint8_t mac[6], const struct decode_addr *ip, int src,
                uint64_t ts_us);
void model_add_frames(struct model *m, uint64_t ethernet_frames);

/* A flow record: label it, feed the asset model, write it. meta (may be
 * NULL) is owned by m from now on; f is read during the call only. */
void model_flow(struct model *m, const struct flow *f, struct flow_meta *meta,
                enum flow_end_reason reason);

/* Settle the picture now (devices, services, findings; exposure events for
 * findings not written before), stamped ts_us. NULL without signatures.
 * Valid until the next call or model_free. */
const struct asset_view *model_review(struct model *m, uint64_t ts_us);

/* End of run: review, then each reported device's final event. */
void model_finish(struct model *m, uint64_t ts_us);

const struct asset_view *model_view(const struct model *m);
const struct exposure_set *model_exposures(const struct model *m);

#endif /* TELEXPOSE_MODEL_H */
