/* workers.h - --threads N: N flow paths on worker threads and the model on
 * a thread of its own. Internal to the pipeline (pipeline.c).
 *
 * The caller's thread dispatches each frame by a symmetric hash of its
 * innermost IP pair (both directions, tunnels' inner flows and an IP
 * datagram's fragments land in the same worker) into that worker's ring.
 * Workers own their flow table, nDPI module and extract state; what they
 * produce (records, observations, bindings) is queued to the model thread,
 * which alone touches the evidence store, the asset model and the writer.
 * Nothing on the packet path takes a lock.
 */
#ifndef TELEXPOSE_WORKERS_H
#define TELEXPOSE_WORKERS_H

#include <stddef.h>
#include <stdint.h>

#include "telexpose/dpi.h"
#include "telexpose/flow.h"
#include "telexpose/pipeline.h"

struct model;
struct workers;

/* Start pc->workers workers and the model thread feeding m (not owned).
 * NULL + errbuf on error (nothing left running). */
struct workers *workers_new(const struct pipeline_config *pc, struct model *m, char *errbuf,
                            size_t errlen);

/* A frame: copied into its worker's ring (waits while the ring is full). */
void workers_packet(struct workers *ws, int dlt, const uint8_t *data, uint32_t caplen,
                    uint32_t wirelen, uint64_t ts_us);

/* Every worker expires its idle flows at now_us. */
void workers_tick(struct workers *ws, uint64_t now_us);

/* End of input: workers flush every flow, the model thread writes them,
 * and every thread is joined. The model is the caller's afterwards. */
void workers_finish(struct workers *ws);

/* Hold / release the model: the model thread pauses between messages (the
 * workers go on, their queues absorb). For a periodic report or stats. */
void workers_lock_model(struct workers *ws);
void workers_unlock_model(struct workers *ws);

struct fpath_stat;

/* Worker i's figures as it last published them (every 4096 frames, when it
 * goes idle, at each tick and at the end). */
void workers_stat(struct workers *ws, unsigned i, struct fpath_stat *out);

/* The first worker's nDPI module, for protocol names (NULL: nDPI off). */
const struct dpi *workers_names(const struct workers *ws);

void workers_free(struct workers *ws);

#endif /* TELEXPOSE_WORKERS_H */
