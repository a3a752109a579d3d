/* geoip.c - ASN, organisation and country lookups over libmaxminddb.
 *
 * Reference: MaxMind DB spec (https://maxmind.github.io/MaxMind-DB/),
 * libmaxminddb API (https://maxmind.github.io/libmaxminddb/). This is the
 * only file that includes maxminddb.h. Databases are user-supplied files and
 * treated as untrusted: every libmaxminddb error turns into "unknown" at
 * lookup time and into a one-line message at open time.
 */
#include "telexpose/geoip.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <maxminddb.h>

#include "telexpose/text.h"
#include "telexpose/xalloc.h"

/* Direct-mapped, so a hit costs one hash and one compare and a miss simply
 * overwrites the slot: no eviction policy and bounded memory (about 0.5 MiB).
 * Remote addresses in real traffic repeat heavily, and an MMDB lookup walks
 * up to 128 tree nodes plus a data-section decode per field. */
#define GEOIP_CACHE_SIZE 4096 /* power of two */

struct geoip_cache_ent {
    bool valid;            /* slot filled */
    bool found;            /* what geoip_lookup() returned */
    uint8_t family;        /* 4 or 6 */
    uint8_t a[16];         /* the address, as in struct decode_addr */
    struct geoip_info info;
};

struct geoip {
    MMDB_s asn;        /* valid when has_asn */
    MMDB_s country;    /* valid when has_country */
    bool has_asn;
    bool has_country;
    struct geoip_cache_ent cache[GEOIP_CACHE_SIZE];
};

enum geoip_slot { SLOT_ASN, SLOT_COUNTRY };

/* Open path into db, check its type suits slot; false with errbuf filled. */
static bool
open_db(MMDB_s *db, const char *path, enum geoip_slot slot, char *errbuf, size_t errlen)
{
    errno = 0;
    int rc = MMDB_open(path, MMDB_MODE_MMAP, db);
    int err = errno;
    if (rc != MMDB_SUCCESS) {
        switch (rc) {
        case MMDB_FILE_OPEN_ERROR:
            snprintf(errbuf, errlen,
                     "%s: cannot open: %s (give a MaxMind-format database, e.g. %s)", path,
                     strerror(err ? err : ENOENT),
                     slot == SLOT_ASN ? "GeoLite2-ASN.mmdb" : "GeoLite2-Country.mmdb");
            break;
        case MMDB_IO_ERROR:
            snprintf(errbuf, errlen, "%s: cannot read: %s (give a regular, non-empty MaxMind DB file)",
                     path, err ? strerror(err) : "I/O error");
            break;
        case MMDB_OUT_OF_MEMORY_ERROR:
            snprintf(errbuf, errlen, "%s: out of memory while opening the database", path);
            break;
        case MMDB_INVALID_METADATA_ERROR:
        case MMDB_UNKNOWN_DATABASE_FORMAT_ERROR:
        case MMDB_CORRUPT_SEARCH_TREE_ERROR:
        case MMDB_INVALID_DATA_ERROR:
        case MMDB_INVALID_NODE_NUMBER_ERROR:
            snprintf(errbuf, errlen,
                     "%s: not a valid MaxMind DB (truncated or corrupt?): %s (download it again)",
                     path, MMDB_strerror(rc));
            break;
        default:
            snprintf(errbuf, errlen, "%s: cannot use the database: %s", path,
                     MMDB_strerror(rc));
            break;
        }
        return false;
    }

    const char *type = db->metadata.database_type;
    if (type == NULL)
        type = "";
    bool ok;
    if (slot == SLOT_ASN)
        ok = strstr(type, "ASN") != NULL || strstr(type, "ISP") != NULL;
    else
        /* Permissive: MaxMind Country/City/Enterprise and DB-IP
         * "DBIP-Country-Lite"/"ipinfo ... country" all carry
         * country.iso_code; a lookup on anything else just finds nothing. */
        ok = strstr(type, "Country") != NULL || strstr(type, "City") != NULL ||
             strstr(type, "Enterprise") != NULL || strstr(type, "country") != NULL;
    if (!ok) {
        if (slot == SLOT_ASN)
            snprintf(errbuf, errlen,
                     "%s: database type '%.64s' has no ASN records (use --asn-db with an ASN "
                     "database, e.g. GeoLite2-ASN.mmdb)",
                     path, type);
        else
            snprintf(errbuf, errlen,
                     "%s: database type '%.64s' has no country records (use --country-db with "
                     "a Country or City database, e.g. GeoLite2-Country.mmdb)",
                     path, type);
        MMDB_close(db);
        return false;
    }
    return true;
}

struct geoip *
geoip_open(const char *asn_path, const char *country_path, char *errbuf, size_t errlen)
{
    if (errlen > 0)
        errbuf[0] = '\0';
    if (asn_path == NULL && country_path == NULL) {
        snprintf(errbuf, errlen, "geoip: no database given (give an ASN and/or a country "
                                 "database)");
        return NULL;
    }
    struct geoip *g = xcalloc(1, sizeof(*g));
    if (asn_path != NULL) {
        if (!open_db(&g->asn, asn_path, SLOT_ASN, errbuf, errlen))
            goto fail;
        g->has_asn = true;
    }
    if (country_path != NULL) {
        if (!open_db(&g->country, country_path, SLOT_COUNTRY, errbuf, errlen))
            goto fail;
        g->has_country = true;
    }
    return g;

fail:
    geoip_close(g);
    return NULL;
}

void
geoip_close(struct geoip *g)
{
    if (g == NULL)
        return;
    if (g->has_asn)
        MMDB_close(&g->asn);
    if (g->has_country)
        MMDB_close(&g->country);
    g->has_asn = g->has_country = false;
    free(g);
}

/* Copy the n bytes at s (not NUL-terminated, maybe invalid UTF-8) into
 * dst[GEOIP_ORG_MAX] as valid UTF-8, never splitting a sequence. */
static void
copy_org(char *dst, const char *s, size_t n)
{
    char raw[GEOIP_ORG_MAX];
    size_t k = n < GEOIP_ORG_MAX - 1 ? n : GEOIP_ORG_MAX - 1;
    memcpy(raw, s, k);
    raw[k] = '\0';
    /* Cut before a sequence the limit split (continuation bytes 10xxxxxx). */
    if (k < n) {
        size_t c = k;
        while (c > 0 && ((unsigned char)s[c] & 0xC0) == 0x80)
            c--;
        if (((unsigned char)s[c] & 0xC0) == 0x80 || c + 3 < k)
            c = k; /* no lead byte within reach: invalid anyway, see below */
        raw[c] = '\0';
    }
    if (text_utf8_valid(raw)) {
        memcpy(dst, raw, strlen(raw) + 1);
        return;
    }
    /* Replacements may grow the string; cut it again at a boundary. */
    char *fixed = text_utf8_dup(raw);
    size_t m = strlen(fixed);
    if (m > GEOIP_ORG_MAX - 1) {
        m = GEOIP_ORG_MAX - 1;
        while (m > 0 && ((unsigned char)fixed[m] & 0xC0) == 0x80)
            m--;
    }
    memcpy(dst, fixed, m);
    dst[m] = '\0';
    free(fixed);
}

/* One MMDB search; false (nothing to read) on any error or miss. */
static bool
search(MMDB_s *db, const struct sockaddr *sa, MMDB_lookup_result_s *res)
{
    int rc = MMDB_SUCCESS;
    *res = MMDB_lookup_sockaddr(db, sa, &rc);
    return rc == MMDB_SUCCESS && res->found_entry;
}

static bool
read_asn(MMDB_lookup_result_s *res, struct geoip_info *out)
{
    bool found = false;
    MMDB_entry_data_s d;
    memset(&d, 0, sizeof(d));
    if (MMDB_get_value(&res->entry, &d, "autonomous_system_number", NULL) == MMDB_SUCCESS &&
        d.has_data && d.type == MMDB_DATA_TYPE_UINT32 && d.uint32 != 0) {
        out->asn = d.uint32;
        found = true;
    }
    memset(&d, 0, sizeof(d));
    if (MMDB_get_value(&res->entry, &d, "autonomous_system_organization", NULL) ==
            MMDB_SUCCESS &&
        d.has_data && d.type == MMDB_DATA_TYPE_UTF8_STRING && d.data_size > 0) {
        copy_org(out->org, d.utf8_string, d.data_size);
        if (out->org[0] != '\0')
            found = true;
    }
    return found;
}

static bool
read_country(MMDB_lookup_result_s *res, struct geoip_info *out)
{
    MMDB_entry_data_s d;
    memset(&d, 0, sizeof(d));
    if (MMDB_get_value(&res->entry, &d, "country", "iso_code", NULL) != MMDB_SUCCESS ||
        !d.has_data || d.type != MMDB_DATA_TYPE_UTF8_STRING || d.data_size != 2)
        return false;
    for (int i = 0; i < 2; i++) {
        char c = d.utf8_string[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
            return false;
    }
    out->country[0] = d.utf8_string[0];
    out->country[1] = d.utf8_string[1];
    out->country[2] = '\0';
    return true;
}

/* FNV-1a over family and address. */
static unsigned
cache_slot(const struct decode_addr *addr)
{
    uint32_t h = 2166136261u;
    h = (h ^ addr->family) * 16777619u;
    for (int i = 0; i < 16; i++)
        h = (h ^ addr->a[i]) * 16777619u;
    return (unsigned)(h ^ (h >> 16)) & (GEOIP_CACHE_SIZE - 1);
}

bool
geoip_lookup(struct geoip *g, const struct decode_addr *addr, struct geoip_info *out)
{
    memset(out, 0, sizeof(*out));
    if (g == NULL || addr == NULL || (addr->family != 4 && addr->family != 6))
        return false;

    struct geoip_cache_ent *e = &g->cache[cache_slot(addr)];
    if (e->valid && e->family == addr->family && memcmp(e->a, addr->a, 16) == 0) {
        *out = e->info;
        return e->found;
    }

    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof(ss));
    if (addr->family == 4) {
        struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
        sin->sin_family = AF_INET;
        memcpy(&sin->sin_addr, addr->a, 4);
    } else {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
        sin6->sin6_family = AF_INET6;
        memcpy(&sin6->sin6_addr, addr->a, 16);
    }
    const struct sockaddr *sa = (const struct sockaddr *)&ss;

    bool found = false;
    MMDB_lookup_result_s res;
    if (g->has_asn && search(&g->asn, sa, &res))
        found |= read_asn(&res, out);
    if (g->has_country && search(&g->country, sa, &res))
        found |= read_country(&res, out);

    e->valid = true;
    e->found = found;
    e->family = addr->family;
    memcpy(e->a, addr->a, 16);
    e->info = *out;
    return found;
}

const char *
geoip_lib_version(void)
{
    return MMDB_lib_version();
}
