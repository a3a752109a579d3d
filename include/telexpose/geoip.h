/* geoip.h - ASN, organisation and country of IP addresses from MaxMind-format
 * databases, and the vendor networks they belong to (the libmaxminddb
 * adapter: the only file that includes it).
 *
 * Reference: MaxMind DB spec (https://maxmind.github.io/MaxMind-DB/); record
 * layouts of GeoLite2-ASN (autonomous_system_number,
 * autonomous_system_organization) and GeoLite2-Country / DB-IP lite
 * (country.iso_code); the vendor-network database built by telexpose-netdb
 * (docs/networks.md). Lookups go through a small direct-mapped cache, so a
 * busy remote address costs a hash and a compare.
 */
#ifndef TELEXPOSE_GEOIP_H
#define TELEXPOSE_GEOIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "telexpose/decode.h"

struct geoip;

#define GEOIP_ORG_MAX 96      /* bytes of organisation kept, NUL included */
#define GEOIP_VENDOR_MAX 48   /* bytes of a vendor-network vendor, NUL included */
#define GEOIP_PACK_MAX 32     /* bytes of a network pack id, NUL included */
#define GEOIP_CATEGORY_MAX 32 /* bytes of a network category, NUL included */
#define GEOIP_NET_PACKS_MAX 64 /* packs one vendor-network database may hold */

/* The metadata database_type of a vendor-network database. */
#define GEOIP_NETDB_TYPE "telexpose-vendor-networks"

/* What is known of one address; asn 0 and empty strings when unknown. The
 * vnet_* fields come from the vendor-network database only (asn/org only
 * from the ASN database): has_vnet when the address lies in a network of
 * an enabled pack, the most specific such network. */
struct geoip_info {
    uint32_t asn;
    char org[GEOIP_ORG_MAX];
    char country[3]; /* ISO 3166-1 alpha-2, "" when unknown */
    bool has_vnet;
    uint32_t vnet_asn;                      /* origin AS of the network */
    char vnet_org[GEOIP_ORG_MAX];           /* its organisation as registered */
    char vnet_vendor[GEOIP_VENDOR_MAX];     /* e.g. "Huawei", "China Telecom" */
    char vnet_pack[GEOIP_PACK_MAX];         /* e.g. "huawei-net" */
    char vnet_category[GEOIP_CATEGORY_MAX]; /* e.g. "vendor-cloud" */
};

/* One pack of the vendor-network database. */
struct geoip_net_pack {
    char id[GEOIP_PACK_MAX];
    char vendor[GEOIP_VENDOR_MAX]; /* its vendors, sorted, ", "-separated */
    size_t prefixes;   /* networks in the search tree answering with this pack (a
                        * prefix with a more specific one inside counts as the
                        * pieces left of it) */
    bool default_on;   /* its records' "default" */
    bool enabled;      /* counted by geoip_lookup() */
};

/* Open the databases (either path or both may be NULL: no path gives an
 * adapter that finds nothing until geoip_open_networks()). An ASN database
 * must have records with autonomous_system_number (its metadata
 * database_type names ASN or ISP); a country database records with
 * country.iso_code. Returns NULL with errbuf "PATH: what is wrong (what to
 * do)" for a missing, unreadable, truncated, corrupt or wrong-type file.
 * Owned by the caller: geoip_close(). */
struct geoip *geoip_open(const char *asn_path, const char *country_path, char *errbuf,
                         size_t errlen);
void geoip_close(struct geoip *g);

/* Add the vendor-network database at path (database_type GEOIP_NETDB_TYPE,
 * written by telexpose-netdb) to g. A network counts when its pack is in
 * enable[], or its record's "default" is true and its pack is not in
 * disable[] (so enable wins over disable). Ids naming no pack of the
 * database are ignored: pass the whole --enable-pack/--disable-pack lists
 * and ask geoip_network_pack_known() about each. Reads every search-tree
 * node once (a few ms for the bundled database) to list the packs and to
 * reject a corrupt file now rather than at lookup. Returns 0, or -1 with
 * errbuf "PATH: what is wrong (what to do)" and g unchanged (a second
 * networks database is refused too). Clears the lookup cache. */
int geoip_open_networks(struct geoip *g, const char *path, const char *const *enable,
                        size_t n_enable, const char *const *disable, size_t n_disable,
                        char *errbuf, size_t errlen);

/* Copy up to max packs of the networks database into out, sorted by id;
 * returns how many there are (may exceed max; 0 without the database). */
size_t geoip_network_packs(const struct geoip *g, struct geoip_net_pack *out, size_t max);

/* True when the networks database has a pack with this id. */
bool geoip_network_pack_known(const struct geoip *g, const char *id);

/* Look addr up (IPv4 in an IPv6 database is handled). Returns true when any
 * field was found (has_vnet included); *out is always filled. Never fails on corrupt data: a
 * record that cannot be decoded counts as unknown. Not thread-safe (the
 * cache). */
bool geoip_lookup(struct geoip *g, const struct decode_addr *addr, struct geoip_info *out);

/* libmaxminddb's version string. */
const char *geoip_lib_version(void);

#endif /* TELEXPOSE_GEOIP_H */
