/* extract.h - the observation stage: decides which extractor reads a flow,
 * binds each observation to its subject and hands it to the evidence store.
 *
 * Payload parsing of a flow stops once its extractor has what it needs (a
 * few messages), so established bulk flows cost one byte test per packet.
 */
#ifndef TELEXPOSE_EXTRACT_H
#define TELEXPOSE_EXTRACT_H

#include <stdint.h>

#include "telexpose/decode.h"
#include "telexpose/flow.h"

struct dpi;
struct evidence_store;
struct oui_db;
struct extract;

/* oui (NULL: no MAC organisations), dpi (NULL: no nDPI metadata) and ev are
 * not owned and must outlive x. */
struct extract *extract_new(const struct oui_db *oui, const struct dpi *dpi,
                            struct evidence_store *ev);
void extract_free(struct extract *x);

/* A frame that reaches no flow (ARP, LLDP, HGMP, a malformed IP packet,
 * an orphan fragment): its MACs and, for discovery protocols, what it says. */
void extract_frame(struct extract *x, const struct decoded_pkt *d, uint64_t ts_us);

/* An IP packet of flow f in direction dir (after the table has counted it). */
void extract_packet(struct extract *x, struct flow_table *ft, struct flow *f,
                    const struct decoded_pkt *d, int dir, uint64_t ts_us);

/* nDPI has just finished with f (its metadata strings are fresh in the
 * cache): observe TLS SNI, issuer and subject, DNS query, HTTP Host and
 * User-Agent. Called once per flow, when dpi_status becomes DPI_DONE.
 * m may be NULL. */
void extract_dpi_done(struct extract *x, const struct flow *f, const struct flow_meta *m,
                      uint64_t ts_us);

/* A flow's final record is about to be written: parse what is left in its
 * reassembly buffer. m may be NULL. */
void extract_flow_end(struct extract *x, const struct flow *f, const struct flow_meta *m,
                      uint64_t ts_us);

#endif /* TELEXPOSE_EXTRACT_H */
