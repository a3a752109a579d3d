/* exposure.h - exposure findings: what the devices found cost the network.
 *
 * Derived from the asset model's settled picture (asset_review): covered
 * equipment, management services offered and reached from outside,
 * cleartext management, and local hosts that talk to vendor
 * infrastructure. Kinds, severities and ids: docs/exposure.md.
 */
#ifndef TELEXPOSE_EXPOSURE_H
#define TELEXPOSE_EXPOSURE_H

#include <stddef.h>
#include <stdint.h>

#include "telexpose/asset.h"

struct out;

enum exposure_severity {
    EXPOSURE_INFO = 0,
    EXPOSURE_LOW,
    EXPOSURE_MEDIUM,
    EXPOSURE_HIGH,
    EXPOSURE_CRITICAL,
    EXPOSURE_SEVERITY_COUNT
};

const char *exposure_severity_name(enum exposure_severity s);

/* One finding. Pointers point into the asset view it was derived from and
 * are valid as long as that view is. */
struct exposure_finding {
    char id[64];                 /* "TXE-<kind>-<16 hex>", stable across runs */
    const char *kind;            /* "covered-equipment", "management-service",
                                  * "management-from-outside", "cleartext-management",
                                  * "vendor-infrastructure" */
    enum exposure_severity severity;
    char title[160];
    const struct asset_device *device;          /* NULL for vendor-infrastructure */
    const struct asset_service *service;        /* NULL unless about a service */
    const struct asset_vendor_contact *contact; /* vendor-infrastructure only */
    const char *mechanism;       /* cleartext-management: "telnet", "snmp-community",
                                  * "http-basic-auth", "tr-069-http", "ftp"; else NULL */
    uint64_t first_us, last_us;
};

struct exposure_set;

/* Events for new findings go to out (not owned; NULL: none). */
struct exposure_set *exposure_new(struct out *out);
void exposure_free(struct exposure_set *x);

/* Replace the findings with those of v (from asset_review(a)), most severe
 * first. Writes an exposure event, stamped ts_us, for each finding whose id
 * was not written before. Returns the number of findings. */
size_t exposure_derive(struct exposure_set *x, const struct asset *a, const struct asset_view *v,
                       uint64_t ts_us);

/* The findings of the last derive (owned by x). */
const struct exposure_finding *exposure_list(const struct exposure_set *x, size_t *n);

/* Findings about device d, into out[0..max); returns how many there are. */
size_t exposure_of_device(const struct exposure_set *x, const struct asset_device *d,
                          const struct exposure_finding **out, size_t max);

#endif /* TELEXPOSE_EXPOSURE_H */
