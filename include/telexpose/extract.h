/* extract.h - the observation stage: decides which extractor reads a flow,
 * binds each observation to its subject and hands it to the evidence store.
 *
 * Payload parsing of a flow stops once its extractor has what it needs (a
 * few messages), so established bulk flows cost one byte test per packet.
 */
#ifndef TELEXPOSE_EXTRACT_H
#define TELEXPOSE_EXTRACT_H

#include <stddef.h>
#include <stdint.h>

#include "telexpose/decode.h"
#include "telexpose/flow.h"

struct asset;
struct dpi;
struct evidence_store;
struct oui_db;
struct extract;

/* oui (NULL: no MAC organisations), dpi (NULL: no nDPI metadata) and ev are
 * not owned and must outlive x. */
struct extract *extract_new(const struct oui_db *oui, const struct dpi *dpi,
                            struct evidence_store *ev);
void extract_free(struct extract *x);

/* Hand IP-to-MAC bindings (ARP, neighbour discovery, DHCP leases, EUI-64)
 * to a (not owned; NULL: none). */
void extract_set_asset(struct extract *x, struct asset *a);

/* Where observations and bindings go instead of the evidence store and the
 * asset model: a worker thread queues them for the thread that owns those.
 * The strings and structs passed are valid during the call only. */
struct ev_subject;
enum asset_bind_source;
struct extract_downstream {
    void (*observe)(void *user, const struct ev_subject *subj, int field, const char *value,
                    size_t len, uint64_t flow_id, uint64_t ts_us);
    void (*bind)(void *user, const uint8_t mac[6], const struct decode_addr *ip, int src,
                 uint64_t ts_us);
    void *user;
};

/* Route x's output through d (copied) from now on. */
void extract_set_downstream(struct extract *x, const struct extract_downstream *d);

/* What the extract stage learnt about a flow's management traffic
 * (struct flow.ex_facts), for the exposure findings. */
enum extract_fact {
    EXF_SNMP_COMMUNITY = 1 << 0, /* an SNMP v1/v2c message with a community string */
    EXF_HTTP_BASIC_AUTH = 1 << 1, /* a request with Authorization: Basic */
    EXF_CWMP = 1 << 2,            /* a TR-069 (CWMP) message over plain HTTP */
    EXF_TELNET = 1 << 3,          /* Telnet bytes from the server (a session, not a probe) */
    EXF_HTTP_AUTH_ASKED = 1 << 4, /* a response asking for credentials (401) */
    EXF_FTP = 1 << 5,             /* an FTP server greeting in cleartext */
};

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
