/* geoip.h - ASN, organisation and country of IP addresses from MaxMind-format
 * databases (the libmaxminddb adapter: the only file that includes it).
 *
 * Reference: MaxMind DB spec (https://maxmind.github.io/MaxMind-DB/); record
 * layouts of GeoLite2-ASN (autonomous_system_number,
 * autonomous_system_organization) and GeoLite2-Country / DB-IP lite
 * (country.iso_code). Lookups go through a small direct-mapped cache, so a
 * busy remote address costs a hash and a compare.
 */
#ifndef TELEXPOSE_GEOIP_H
#define TELEXPOSE_GEOIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "telexpose/decode.h"

struct geoip;

#define GEOIP_ORG_MAX 96 /* bytes of organisation kept, NUL included */

/* What is known of one address; asn 0 and empty strings when unknown. */
struct geoip_info {
    uint32_t asn;
    char org[GEOIP_ORG_MAX];
    char country[3]; /* ISO 3166-1 alpha-2, "" when unknown */
};

/* Open the databases (either path may be NULL, not both). An ASN database
 * must have records with autonomous_system_number (its metadata
 * database_type names ASN or ISP); a country database records with
 * country.iso_code. Returns NULL with errbuf "PATH: what is wrong (what to
 * do)" for a missing, unreadable, truncated, corrupt or wrong-type file.
 * Owned by the caller: geoip_close(). */
struct geoip *geoip_open(const char *asn_path, const char *country_path, char *errbuf,
                         size_t errlen);
void geoip_close(struct geoip *g);

/* Look addr up (IPv4 in an IPv6 database is handled). Returns true when any
 * field was found; *out is always filled. Never fails on corrupt data: a
 * record that cannot be decoded counts as unknown. Not thread-safe (the
 * cache). */
bool geoip_lookup(struct geoip *g, const struct decode_addr *addr, struct geoip_info *out);

/* libmaxminddb's version string. */
const char *geoip_lib_version(void);

#endif /* TELEXPOSE_GEOIP_H */
