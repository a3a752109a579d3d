/* out_int.h - internals shared by out_json.c and out_flow.c (not installed).
 *
 * Reference: include/telexpose/out_json.h for the contract; the envelope is
 * Suricata EVE (https://docs.suricata.io/en/latest/output/eve/eve-json-format.html).
 *
 * These two files are the cJSON adapter and the only ones that include
 * cJSON.h. out_json.c owns the writer (ring, thread, line buffer, file) and
 * the evidence and stats events; out_flow.c turns one queued flow record into
 * a flow event. Nothing here allocates outside cJSON trees, and every cJSON
 * tree built for an event is freed by out_emit().
 */
#ifndef TELEXPOSE_OUT_INT_H
#define TELEXPOSE_OUT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "telexpose/flow.h"
#include "telexpose/out_json.h"

#define OUT_NAME 48 /* an nDPI name, NUL included; longer ones are cut */

struct ev_rec;

/* One queued flow record: a copy of the flow, with f.meta owned by the
 * record, and nDPI names resolved on the packet path (the writer never
 * calls into the nDPI module, which is not thread-safe). */
struct out_rec {
    struct flow f;
    enum flow_end_reason reason;
    bool inspected;                /* nDPI saw the flow: names are valid */
    char master[OUT_NAME];
    char app[OUT_NAME];
    char category[OUT_NAME];
    char proto[OUT_NAME];          /* "TLS.Google" */
    uint8_t nrisks;
    const char *risks[64];         /* nDPI's static risk names */
    struct out_endpoints vendors;
    struct ev_rec *ev;             /* non-NULL: an evidence event, not a flow (owned) */
    cJSON *tree;                   /* non-NULL: a prebuilt event (owned until written) */
};

extern const char out_hexdig[]; /* "0123456789abcdef" */

/* Keys are string literals: cJSON's *CS calls keep them without a copy. */
static inline void
out_put(cJSON *obj, const char *key, cJSON *item)
{
    cJSON_AddItemToObjectCS(obj, key, item);
}

/* A new empty object under key; returns it (owned by obj). */
static inline cJSON *
out_put_obj(cJSON *obj, const char *key)
{
    cJSON *o = cJSON_CreateObject();
    out_put(obj, key, o);
    return o;
}

/* A string that outlives the print (a literal, or a buffer of the caller's
 * frame, or flow metadata): referenced, not copied. NULL or "" adds nothing. */
static inline void
out_put_ref(cJSON *obj, const char *key, const char *val)
{
    if (val != NULL && val[0] != '\0')
        out_put(obj, key, cJSON_CreateStringReference(val));
}

/* v as an exact decimal number (cJSON's doubles would round a flow_id). */
void out_add_u64(cJSON *obj, const char *key, uint64_t v);

/* a (4 or 16 bytes by version) as text into buf (>= INET6_ADDRSTRLEN);
 * returns buf, or NULL if inet_ntop fails. */
const char *out_addr_str(const uint8_t *a, uint8_t version, char *buf, size_t len);

/* m as "aa:bb:cc:dd:ee:ff" into buf (>= 18 bytes); returns buf. */
char *out_mac_str(const uint8_t m[6], char *buf);

/* Print root as one line, write it and free root (always, even on failure:
 * a failed write is sticky in o and reported by out_close()). */
void out_emit(struct out *o, cJSON *root);

/* Queue a prebuilt event behind the records already queued; o owns root
 * from now on. Its strings must be copies (cJSON_AddStringToObject): it is
 * printed later, on the writer thread. */
void out_queue_tree(struct out *o, cJSON *root);

/* Builders shared by the device/exposure events and the report
 * (out_asset.c). Every string is copied. */
struct asset_device;
struct asset_service;
struct asset_vendor_contact;
struct exposure_finding;
cJSON *out_device_json(const struct asset_device *d, const struct asset_service *const *svcs,
                       size_t n_svcs, const struct exposure_finding *const *finds, size_t n_finds);
cJSON *out_service_json(const struct asset_service *s);
cJSON *out_exposure_json(const struct exposure_finding *f);
cJSON *out_contact_json(const struct asset_vendor_contact *c);

/* Capture interfaces' pcap_stats as a JSON array (stats events and the
 * report's coverage); null counters when unknown. */
struct capture_live_stats;
cJSON *out_ifaces_json(const struct capture_live_stats *ifs, size_t n);

/* A time (microseconds) as an ISO 8601 string, or null when 0. */
void out_put_time(cJSON *obj, const char *key, uint64_t us);

/* Format flow record r as a flow event and emit it. Called by the writer
 * thread (or inline when unthreaded); touches no nDPI state. */
void out_write_flow(struct out *o, const struct out_rec *r);

#endif
