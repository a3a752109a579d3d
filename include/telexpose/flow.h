/* flow.h - bounded bidirectional flow table with idle/active timeouts.
 *
 * Open addressing (linear probing, backward-shift deletion) over a slot array
 * of {hash, index}, flows in one preallocated pool (pages touched on first
 * use), and one LRU list per timeout class so expiry is O(1) per flow.
 * Memory is accounted (pool, index, per-flow metadata, and what the caller
 * reports for nDPI state) and capped: past the cap the least recently seen
 * flows are evicted and reported with FLOW_END_EVICTED.
 *
 * struct flow is visible because the classification and output stages read
 * it on the hot path. Only flowtable.c writes key, hash, lru and timing
 * fields; other stages MUST NOT touch them.
 */
#ifndef TELEXPOSE_FLOW_H
#define TELEXPOSE_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "telexpose/decode.h"

/* Default idle timeouts in seconds (overridable with --timeout CLASS=SEC). */
#define FLOW_TIMEOUT_TCP_NEW 30     /* handshake not completed */
#define FLOW_TIMEOUT_TCP_EST 600    /* established TCP */
#define FLOW_TIMEOUT_TCP_CLOSED 10  /* FIN both ways or RST seen */
#define FLOW_TIMEOUT_UDP 60
#define FLOW_TIMEOUT_ICMP 30
#define FLOW_TIMEOUT_OTHER 60
#define FLOW_ACTIVE_TIMEOUT 1800    /* a long flow emits a record this often */
#define FLOW_DEFAULT_MEMCAP (256u << 20)
#define FLOW_MIN_MEMCAP (1u << 20)

enum flow_tclass {
    FLOW_TC_TCP_NEW = 0,
    FLOW_TC_TCP_EST,
    FLOW_TC_TCP_CLOSED,
    FLOW_TC_UDP,
    FLOW_TC_ICMP,
    FLOW_TC_OTHER,
    FLOW_TC_COUNT
};

enum flow_tcp_state {
    FLOW_TCP_NONE = 0,   /* not TCP */
    FLOW_TCP_NEW,        /* only one side seen, or handshake in progress */
    FLOW_TCP_ESTABLISHED,
    FLOW_TCP_CLOSED      /* FIN both ways, or RST */
};

/* Why a flow record is written. */
enum flow_end_reason {
    FLOW_END_TIMEOUT = 0,  /* idle timeout */
    FLOW_END_ACTIVE,       /* active timeout: periodic record, the flow goes on */
    FLOW_END_EVICTED,      /* removed to stay within the memory cap */
    FLOW_END_EOF,          /* end of input (or shutdown) */
    FLOW_END_COUNT
};

/* Canonical key: the smaller (address, port) endpoint is "lo". */
struct flow_key {
    uint8_t lo_addr[16];
    uint8_t hi_addr[16];
    uint16_t lo_port;      /* TCP/UDP/SCTP port; ICMP echo id; else 0 */
    uint16_t hi_port;
    uint16_t vlan[2];      /* outer VLAN ids, 0 when absent */
    uint8_t proto;
    uint8_t ip_version;    /* 4 or 6 */
    uint8_t pad[2];        /* always zero so keys compare with memcmp */
};

/* Lazily allocated per-flow metadata. Owned by the flow until its final
 * record, which takes it along (flowtable_meta_detach). Strings are valid
 * UTF-8 heap copies (flowtable_meta_set repairs packet bytes) or NULL. */
struct flow_meta {
    uint8_t tunnel;                 /* enum decode_tunnel of the first packet */
    uint32_t tunnel_id;
    struct decode_addr outer_src;   /* outer endpoints, first packet's order */
    struct decode_addr outer_dst;
    char *host;         /* nDPI host_server_name: SNI, HTTP Host, DNS query, DHCP host */
    char *http_url;
    char *http_ua;
    char *tls_issuer;
    char *tls_subject;
    char *ja3c;
    char *ja3s;
    char *ssh_client;
    char *ssh_server;
    char *hassh_client;
    char *hassh_server;
    char *dhcp_class;
    char *dhcp_fp;
    uint16_t tls_version;
    void *ex_buf;       /* extract.c's reassembly buffer (one malloc block, owned
                         * by the meta, freed with it, never copied) */
    size_t bytes;       /* this struct, its strings and ex_buf, as counted by the table */
};

/* Direction index: 0 = initiator to responder ("toserver"), 1 = back. */
struct flow {
    struct flow_key key;
    uint32_t hash;          /* of key; symmetric by construction */
    uint32_t lru_prev;      /* pool index + 1 within the tclass list, 0 = none */
    uint32_t lru_next;
    uint64_t flow_id;       /* unique per run, < 2^51 (fits a JSON double) */
    uint64_t first_us;      /* first packet of the flow, microseconds */
    uint64_t last_us;       /* last packet */
    uint64_t rec_start_us;  /* first packet of the current record */
    uint64_t pkts[2];       /* of the current record */
    uint64_t bytes[2];      /* wire bytes of the current record */
    uint64_t dpi_risk;      /* nDPI risk bitmask */
    uint8_t mac[2][6];      /* Ethernet source MAC of each direction */
    uint8_t has_mac[2];
    uint8_t init_is_lo;     /* initiator is key.lo */
    uint8_t tcp_flags[2];   /* OR of flags seen per direction */
    uint8_t tcp_state;      /* enum flow_tcp_state */
    uint8_t tclass;         /* enum flow_tclass: which LRU list */
    uint8_t icmp_type;      /* of the first ICMP packet */
    uint8_t icmp_code;
    uint8_t dpi_status;     /* owned by dpi.c */
    uint8_t records;        /* active-timeout records already written (saturates) */
    uint8_t ex_kind;        /* owned by extract.c: which payload extractor reads f */
    uint8_t ex_state;       /* owned by extract.c */
    uint8_t ex_facts;       /* owned by extract.c: enum extract_fact bits
                             * (fills what would be padding) */
    uint16_t dpi_pkts;      /* packets given to nDPI */
    uint16_t dpi_master;    /* nDPI master protocol id */
    uint16_t dpi_app;       /* nDPI app protocol id */
    uint16_t dpi_category;
    uint8_t ex_dst_mac[6];  /* owned by extract.c: first packet's destination MAC
                             * (fills what would be padding) */
    void *dpi_state;        /* nDPI flow state, owned by dpi.c, NULL once done */
    struct flow_meta *meta; /* owned by the flow; NULL until needed */
};

struct flow_table;

/* Called for every record: reason FLOW_END_ACTIVE leaves the flow in the
 * table (its counters restart after the call); all other reasons are final
 * and the flow is freed after the call returns. */
typedef void (*flow_record_fn)(void *user, struct flow *f, enum flow_end_reason reason);

struct flow_config {
    size_t memcap;                        /* bytes; >= FLOW_MIN_MEMCAP */
    uint32_t timeout[FLOW_TC_COUNT];      /* idle timeouts, seconds */
    uint32_t active_timeout;              /* seconds, 0 = never */
};

/* Counters; all monotonic except mem_used/active. */
struct flow_stats {
    uint64_t created;
    uint64_t timed_out;
    uint64_t evicted;
    uint64_t flushed;       /* at end of input */
    uint64_t active_records;
    uint64_t active;        /* flows in the table now */
    uint64_t active_peak;
    uint64_t mem_used;      /* bytes accounted now */
    uint64_t mem_peak;
    uint64_t max_flows;     /* pool capacity derived from the memcap */
};

void flow_config_defaults(struct flow_config *cfg);

/* Create a table. Returns NULL and fills errbuf when cfg is invalid.
 * The caller owns the table; free it with flowtable_free(). */
struct flow_table *flowtable_new(const struct flow_config *cfg, flow_record_fn cb, void *user,
                                 char *errbuf, size_t errlen);

/* Flush nothing, free everything (flows' meta included). NULL is fine. */
void flowtable_free(struct flow_table *ft);

/* Find or create the flow of packet p seen at ts_us. *dir receives 0 when
 * p travels initiator->responder. Never returns NULL: at the memory cap the
 * oldest flows are evicted first (reported through the callback). */
struct flow *flowtable_get(struct flow_table *ft, const struct decoded_pkt *p, uint64_t ts_us,
                           int *dir);

/* Lookup only; NULL when absent. */
struct flow *flowtable_lookup(struct flow_table *ft, const struct decoded_pkt *p, int *dir);

/* Account packet p (wire length wirelen) on f in direction dir: counters,
 * TCP state, timeout class, active timeout. */
void flowtable_update(struct flow_table *ft, struct flow *f, const struct decoded_pkt *p,
                      int dir, uint32_t wirelen, uint64_t ts_us);

/* Expire flows idle at now_us (cheap when nothing is due). */
void flowtable_expire(struct flow_table *ft, uint64_t now_us);

/* Write and free every flow with reason (FLOW_END_EOF at end of input). */
void flowtable_flush(struct flow_table *ft, enum flow_end_reason reason);

/* Memory outside the table that belongs to its flows (nDPI state): the
 * table reads *bytes whenever it checks the cap. bytes must outlive ft. */
void flowtable_set_external_mem(struct flow_table *ft, const size_t *bytes);

/* Evict least recently seen flows (never keep) while over the memory cap. */
void flowtable_enforce_memcap(struct flow_table *ft, const struct flow *keep);

/* Make room for bytes more (e.g. nDPI state about to be allocated for keep)
 * by evicting least recently seen flows other than keep. */
void flowtable_reserve(struct flow_table *ft, size_t bytes, const struct flow *keep);

/* Allocate f->meta if absent (accounted); returns it. */
struct flow_meta *flowtable_meta(struct flow_table *ft, struct flow *f);

/* Take f->meta out of the table (no longer counted against the cap); the
 * caller owns it and releases it with flow_meta_free(). NULL when none. */
struct flow_meta *flowtable_meta_detach(struct flow_table *ft, struct flow *f);

/* Deep copy of m (not counted), NULL for NULL; free with flow_meta_free(). */
struct flow_meta *flow_meta_dup(const struct flow_meta *m);

/* Free m and its strings. NULL is fine. */
void flow_meta_free(struct flow_meta *m);

/* Replace the string *field of f->meta with a copy of value (accounted).
 * field must point into f->meta; a NULL or empty value clears it. */
void flowtable_meta_set(struct flow_table *ft, struct flow *f, char **field, const char *value);

/* Account delta bytes (may be negative) more held by f->meta (its ex_buf). */
void flowtable_meta_account(struct flow_table *ft, struct flow *f, long delta);

const struct flow_stats *flowtable_stats(const struct flow_table *ft);

/* Table number index of count sharing one run (worker threads): flow ids
 * stay unique across the tables. Call before the first flow. */
void flowtable_set_id_space(struct flow_table *ft, unsigned index, unsigned count);

/* Remember the ports of a first IPv4/IPv6 fragment so later fragments of the
 * same datagram (ports absent) can be counted against the same flow. Fills
 * p's ports and sets has_l4 when known; returns true then. */
bool flowtable_frag_ports(struct flow_table *ft, struct decoded_pkt *p, uint64_t ts_us);

const char *flow_end_reason_name(enum flow_end_reason r);
const char *flow_tcp_state_name(enum flow_tcp_state s);
const char *flow_tclass_name(enum flow_tclass c);

/* Endpoints of f in initiator order (addresses in 16-byte form). */
const uint8_t *flow_src_addr(const struct flow *f);
const uint8_t *flow_dst_addr(const struct flow *f);
uint16_t flow_src_port(const struct flow *f);
uint16_t flow_dst_port(const struct flow *f);

#endif /* TELEXPOSE_FLOW_H */
