/* extract_int.h - what extract.c and extract_stream.c share. */
#ifndef TELEXPOSE_EXTRACT_INT_H
#define TELEXPOSE_EXTRACT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "telexpose/evidence.h"
#include "telexpose/extract.h"
#include "telexpose/obs.h"
#include "telexpose/u64map.h"

/* Which extractor reads a flow (struct flow.ex_kind). */
enum ex_kind {
    EXK_UNDECIDED = 0, /* no payload seen yet */
    EXK_NONE,          /* nothing to read, or done */
    EXK_DHCP4,
    EXK_DHCP6,
    EXK_SNMP,
    EXK_SSDP,
    EXK_SIP,
    EXK_TELNET,
    EXK_FTP,
    EXK_HTTP,
    EXK_STARTTLS,      /* waiting for the server's TLS handshake after a STARTTLS */
    EXK_SSH,           /* SSH identification strings, one per side */
};

/* What nDPI's host name of a flow is, by the flow's protocol. */
enum ex_host_kind { EXH_NONE = 0, EXH_SNI, EXH_DNS, EXH_HTTP };
#define EX_PROTO_IDS 1024 /* nDPI 4.2 ids are below 400; larger ids are looked up each time */

#define EX_BATCH_MAX 48      /* observations one message may yield */
#define EX_ARENA (16 * 1024) /* bytes of their values */

/* Observations of one message, kept until its subject is known (a DHCP
 * client's MAC is read from the same message). Values are copied: parsers
 * may emit text they formatted on their own stack. */
struct ex_batch {
    size_t n;
    size_t used;
    struct {
        enum sig_field field;
        size_t off;
        size_t len;
    } item[EX_BATCH_MAX];
    char arena[EX_ARENA];
};

struct extract {
    const struct oui_db *oui;
    const struct dpi *dpi;
    struct evidence_store *ev;
    struct asset *asset;   /* IP-to-MAC bindings go here; NULL: none */
    struct extract_downstream down; /* set: observations and bindings go here instead */
    struct u64map macs;    /* MACs already looked up */
    uint64_t recent_mac[1024]; /* direct-mapped front of macs: a gateway's MAC
                               * is in every other flow */
    uint8_t host_kind[EX_PROTO_IDS]; /* nDPI protocol id -> enum ex_host_kind + 1 */
    struct u64map v6;      /* IPv6 addresses already tried as EUI-64 */
    struct ex_batch batch;
    struct obs_sink sink;  /* fills batch */
};

/* One observation to the evidence store (or the downstream queue). */
void ex_observe(struct extract *x, const struct ev_subject *subj, enum sig_field field,
                const char *value, size_t len, uint64_t flow_id, uint64_t ts_us);

/* Bindings are wanted. */
static inline bool
ex_binds(const struct extract *x)
{
    return x->asset != NULL || x->down.bind != NULL;
}

/* Start a batch; x->sink then collects into it. */
void ex_batch_reset(struct extract *x);

/* Hand the batch's observations, about subj, to the evidence store. */
void ex_batch_flush(struct extract *x, const struct ev_subject *subj, uint64_t flow_id,
                    uint64_t ts_us);

/* A subject keyed by the IP address a (16 bytes, version 4 or 6). */
void ex_subject_ip(struct ev_subject *s, const uint8_t *a, uint8_t version);

/* TCP payload of an HTTP, Telnet or FTP flow (extract_stream.c). */
void ex_stream_packet(struct extract *x, struct flow_table *ft, struct flow *f,
                      const struct decoded_pkt *d, int dir, uint64_t ts_us);

/* What is left in f's reassembly buffer at the end of the flow. f is
 * read-only here, so a flow's facts (f->ex_facts) are all set while its
 * packets are read. */
void ex_stream_end(struct extract *x, const struct flow *f, void *ex_buf, uint64_t ts_us);

#endif /* TELEXPOSE_EXTRACT_INT_H */
