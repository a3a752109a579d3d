/* geoip.c - ASN, organisation, country and vendor-network lookups over libmaxminddb.
 *
 * Reference: MaxMind DB spec (https://maxmind.github.io/MaxMind-DB/),
 * libmaxminddb API (https://maxmind.github.io/libmaxminddb/), the
 * vendor-network records of docs/networks.md. This is the only file that
 * includes maxminddb.h. Databases are user-supplied files and treated as
 * untrusted: every libmaxminddb error turns into "unknown" at lookup time
 * and into a one-line message at open time.
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
 * overwrites the slot: no eviction policy and bounded memory (about 1.4 MiB).
 * Remote addresses in real traffic repeat heavily, and an MMDB lookup walks
 * up to 128 tree nodes plus a data-section decode per field. */
#define GEOIP_CACHE_SIZE 4096 /* power of two */

/* Vendor-network records are few (one per ASN and overlap), so their
 * decoded answer is cached by data offset too: a miss of the address cache
 * costs the tree walk only. */
#define NETREC_CACHE_SIZE 256 /* power of two */
#define NET_CHAIN_MAX 16      /* "within" levels followed */
#define NET_VENDORS_MAX 8     /* distinct vendors gathered per pack */

struct geoip_cache_ent {
    bool valid;            /* slot filled */
    bool found;            /* what geoip_lookup() returned */
    uint8_t family;        /* 4 or 6 */
    uint8_t a[16];         /* the address, as in struct decode_addr */
    struct geoip_info info;
};

/* The decoded answer of one top-level network record. */
struct netrec {
    bool valid;
    bool counts;   /* some record of its chain belongs to an enabled pack */
    uint32_t offset;
    uint32_t asn;  /* of the record that counts */
    char org[GEOIP_ORG_MAX];
    char vendor[GEOIP_VENDOR_MAX];
    char pack[GEOIP_PACK_MAX];
    char category[GEOIP_CATEGORY_MAX];
};

struct net_pack {
    struct geoip_net_pack pub;
    bool forced_on;  /* named in enable[] */
    bool forced_off; /* named in disable[] */
    char vendors[NET_VENDORS_MAX][GEOIP_VENDOR_MAX];
    size_t n_vendors;
    bool more_vendors;
};

/* The vendor-network slot; on the heap so that MMDB entries pointing at db
 * stay valid, and so that a failed open leaves struct geoip untouched. */
struct netdb {
    MMDB_s db;
    struct net_pack packs[GEOIP_NET_PACKS_MAX];
    size_t n_packs;
    struct netrec rec[NETREC_CACHE_SIZE];
};

struct geoip {
    MMDB_s asn;        /* valid when has_asn */
    MMDB_s country;    /* valid when has_country */
    bool has_asn;
    bool has_country;
    struct netdb *net; /* NULL without a vendor-network database */
    struct geoip_cache_ent cache[GEOIP_CACHE_SIZE];
};

enum geoip_slot { SLOT_ASN, SLOT_COUNTRY, SLOT_NET };

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
            if (slot == SLOT_NET)
                snprintf(errbuf, errlen,
                         "%s: cannot open: %s (build it with 'make', give one with "
                         "--networks-db, or run with --no-networks)",
                         path, strerror(err ? err : ENOENT));
            else
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
            snprintf(errbuf, errlen, "%s: not a valid MaxMind DB (truncated or corrupt?): %s (%s)",
                     path, MMDB_strerror(rc),
                     slot == SLOT_NET ? "rebuild it: make signatures/vendor-networks.mmdb"
                                      : "download it again");
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
    if (slot == SLOT_NET)
        ok = strcmp(type, GEOIP_NETDB_TYPE) == 0;
    else if (slot == SLOT_ASN)
        ok = strstr(type, "ASN") != NULL || strstr(type, "ISP") != NULL;
    else
        /* Permissive: MaxMind Country/City/Enterprise and DB-IP
         * "DBIP-Country-Lite"/"ipinfo ... country" all carry
         * country.iso_code; a lookup on anything else just finds nothing. */
        ok = strstr(type, "Country") != NULL || strstr(type, "City") != NULL ||
             strstr(type, "Enterprise") != NULL || strstr(type, "country") != NULL;
    if (!ok) {
        if (slot == SLOT_NET)
            snprintf(errbuf, errlen,
                     "%s: database type '%.64s' is not a telexpose vendor-network database "
                     "(give the vendor-networks.mmdb built by telexpose-netdb, or run with "
                     "--no-networks)",
                     path, type);
        else if (slot == SLOT_ASN)
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
    if (g->net != NULL)
        MMDB_close(&g->net->db);
    free(g->net);
    g->net = NULL;
    g->has_asn = g->has_country = false;
    free(g);
}

/* Copy the n bytes at s (not NUL-terminated, maybe invalid UTF-8) into
 * dst[max] (max <= GEOIP_ORG_MAX) as valid UTF-8, never splitting a
 * sequence. */
static void
copy_text(char *dst, size_t max, const char *s, size_t n)
{
    char raw[GEOIP_ORG_MAX];
    size_t k = n < max - 1 ? n : max - 1;
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
    if (m > max - 1) {
        m = max - 1;
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
        copy_text(out->org, sizeof(out->org), d.utf8_string, d.data_size);
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

/* ------------------------------------------------------------------------
 * The vendor-network database (records: docs/networks.md) */

/* One level of a network record: the record itself or one under "within". */
struct netlevel {
    uint32_t asn;
    char org[GEOIP_ORG_MAX];
    char vendor[GEOIP_VENDOR_MAX];
    char pack[GEOIP_PACK_MAX];
    char category[GEOIP_CATEGORY_MAX];
    bool dflt;
    bool has_within;
    MMDB_entry_s within;
};

static bool
valid_pack_id(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
        return false;
    for (; *s != '\0'; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '.' || *s == '-'))
            return false;
    return true;
}

static void
get_text(MMDB_entry_s *e, const char *key, char *dst, size_t max)
{
    MMDB_entry_data_s d;
    memset(&d, 0, sizeof(d));
    dst[0] = '\0';
    if (MMDB_get_value(e, &d, key, NULL) == MMDB_SUCCESS && d.has_data &&
        d.type == MMDB_DATA_TYPE_UTF8_STRING && d.data_size > 0)
        copy_text(dst, max, d.utf8_string, d.data_size);
}

/* Decode the record at e into l; false when it is no network record (pack
 * id and default are required, the rest may be missing). */
static bool
read_level(MMDB_entry_s *e, struct netlevel *l)
{
    memset(l, 0, sizeof(*l));
    MMDB_entry_data_s d;
    memset(&d, 0, sizeof(d));
    if (MMDB_get_value(e, &d, "pack", NULL) != MMDB_SUCCESS || !d.has_data ||
        d.type != MMDB_DATA_TYPE_UTF8_STRING || d.data_size == 0 ||
        d.data_size >= GEOIP_PACK_MAX)
        return false;
    memcpy(l->pack, d.utf8_string, d.data_size);
    l->pack[d.data_size] = '\0';
    if (!valid_pack_id(l->pack))
        return false;
    memset(&d, 0, sizeof(d));
    if (MMDB_get_value(e, &d, "default", NULL) != MMDB_SUCCESS || !d.has_data ||
        d.type != MMDB_DATA_TYPE_BOOLEAN)
        return false;
    l->dflt = d.boolean;
    memset(&d, 0, sizeof(d));
    if (MMDB_get_value(e, &d, "autonomous_system_number", NULL) == MMDB_SUCCESS && d.has_data &&
        d.type == MMDB_DATA_TYPE_UINT32)
        l->asn = d.uint32;
    get_text(e, "autonomous_system_organization", l->org, sizeof(l->org));
    get_text(e, "vendor", l->vendor, sizeof(l->vendor));
    get_text(e, "category", l->category, sizeof(l->category));
    memset(&d, 0, sizeof(d));
    if (MMDB_get_value(e, &d, "within", NULL) == MMDB_SUCCESS && d.has_data &&
        d.type == MMDB_DATA_TYPE_MAP) {
        l->has_within = true;
        l->within.mmdb = e->mmdb;
        l->within.offset = d.offset;
    }
    return true;
}

static long
pack_find(const struct netdb *n, const char *id)
{
    for (size_t i = 0; i < n->n_packs; i++)
        if (strcmp(n->packs[i].pub.id, id) == 0)
            return (long)i;
    return -1;
}

/* The pack of l, registered when new (-1 when the table is full). */
static long
pack_add(struct netdb *n, const struct netlevel *l)
{
    long p = pack_find(n, l->pack);
    if (p < 0) {
        if (n->n_packs == GEOIP_NET_PACKS_MAX)
            return -1;
        p = (long)n->n_packs++;
        struct net_pack *np = &n->packs[p];
        memset(np, 0, sizeof(*np));
        memcpy(np->pub.id, l->pack, sizeof(np->pub.id));
        np->pub.default_on = l->dflt;
    }
    struct net_pack *np = &n->packs[p];
    if (l->vendor[0] == '\0')
        return p;
    for (size_t i = 0; i < np->n_vendors; i++)
        if (strcmp(np->vendors[i], l->vendor) == 0)
            return p;
    if (np->n_vendors == NET_VENDORS_MAX)
        np->more_vendors = true;
    else
        memcpy(np->vendors[np->n_vendors++], l->vendor, GEOIP_VENDOR_MAX);
    return p;
}

/* Register the packs of the record at e and its "within" chain; the pack of
 * the top record, or -1 with errbuf filled. */
static long
register_chain(struct netdb *n, MMDB_entry_s e, const char *path, char *errbuf, size_t errlen)
{
    long top = -1;
    for (int depth = 0;; depth++) {
        struct netlevel l;
        if (depth == NET_CHAIN_MAX) {
            snprintf(errbuf, errlen, "%s: network records nested deeper than %d levels "
                     "(corrupt? rebuild it with telexpose-netdb)", path, NET_CHAIN_MAX);
            return -1;
        }
        if (!read_level(&e, &l)) {
            snprintf(errbuf, errlen, "%s: a network record lacks a valid 'pack' or 'default' "
                     "(corrupt, or not built by telexpose-netdb? rebuild it)", path);
            return -1;
        }
        long p = pack_add(n, &l);
        if (p < 0) {
            snprintf(errbuf, errlen, "%s: more than %d packs (split the database)", path,
                     GEOIP_NET_PACKS_MAX);
            return -1;
        }
        if (top < 0)
            top = p;
        if (!l.has_within)
            return top;
        e = l.within;
    }
}

/* Read every node once: the packs, their network counts, and any record
 * that would not decode, found now rather than at lookup. */
static int
net_walk(struct netdb *n, const char *path, char *errbuf, size_t errlen)
{
    /* Top records recur at many leaves; remember a few by offset. A
     * collision only means decoding a record again. */
    struct {
        uint32_t offset;
        long pack; /* -1: slot empty */
    } seen[1024];
    for (size_t i = 0; i < sizeof(seen) / sizeof(seen[0]); i++)
        seen[i].pack = -1;
    uint32_t nodes = n->db.metadata.node_count;
    for (uint32_t i = 0; i < nodes; i++) {
        MMDB_search_node_s sn;
        if (MMDB_read_node(&n->db, i, &sn) != MMDB_SUCCESS ||
            sn.left_record_type == MMDB_RECORD_TYPE_INVALID ||
            sn.right_record_type == MMDB_RECORD_TYPE_INVALID) {
            snprintf(errbuf, errlen, "%s: search tree node %u is corrupt (rebuild it: make "
                     "signatures/vendor-networks.mmdb)", path, i);
            return -1;
        }
        for (int side = 0; side < 2; side++) {
            if ((side ? sn.right_record_type : sn.left_record_type) != MMDB_RECORD_TYPE_DATA)
                continue;
            MMDB_entry_s e = side ? sn.right_record_entry : sn.left_record_entry;
            size_t k = (e.offset * 2654435761u) >> 22;
            long p = seen[k].pack;
            if (p < 0 || seen[k].offset != e.offset) {
                p = register_chain(n, e, path, errbuf, errlen);
                if (p < 0)
                    return -1;
                seen[k].offset = e.offset;
                seen[k].pack = p;
            }
            n->packs[p].pub.prefixes++;
        }
    }
    return 0;
}

static int
cmp_vendor(const void *a, const void *b)
{
    return strcmp(a, b);
}

static int
cmp_pack(const void *a, const void *b)
{
    const struct net_pack *x = a, *y = b;
    return strcmp(x->pub.id, y->pub.id);
}

/* Join a pack's vendors, sorted, into pub.vendor; "..." ends a list that
 * did not fit. */
static void
join_vendors(struct net_pack *np)
{
    qsort(np->vendors, np->n_vendors, sizeof(np->vendors[0]), cmp_vendor);
    char *v = np->pub.vendor;
    size_t cap = sizeof(np->pub.vendor), len = 0;
    bool cut = np->more_vendors;
    v[0] = '\0';
    for (size_t i = 0; i < np->n_vendors; i++) {
        size_t need = strlen(np->vendors[i]) + (i ? 2 : 0);
        if (len + need >= cap - 5) { /* keep room for ", ..." */
            cut = true;
            break;
        }
        len += (size_t)snprintf(v + len, cap - len, "%s%s", i ? ", " : "", np->vendors[i]);
    }
    if (cut)
        snprintf(v + len, cap - len, "%s...", len ? ", " : "");
}

static bool
in_list(const char *id, const char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] != NULL && strcmp(v[i], id) == 0)
            return true;
    return false;
}

int
geoip_open_networks(struct geoip *g, const char *path, const char *const *enable,
                    size_t n_enable, const char *const *disable, size_t n_disable, char *errbuf,
                    size_t errlen)
{
    if (errlen > 0)
        errbuf[0] = '\0';
    if (g == NULL || path == NULL) {
        snprintf(errbuf, errlen, "geoip: no adapter or no vendor-network database path given");
        return -1;
    }
    if (g->net != NULL) {
        snprintf(errbuf, errlen, "%s: a vendor-network database is open already (give only one)",
                 path);
        return -1;
    }
    struct netdb *n = xcalloc(1, sizeof(*n));
    if (!open_db(&n->db, path, SLOT_NET, errbuf, errlen)) {
        free(n);
        return -1;
    }
    if (net_walk(n, path, errbuf, errlen) < 0) {
        MMDB_close(&n->db);
        free(n);
        return -1;
    }
    for (size_t i = 0; i < n->n_packs; i++) {
        struct net_pack *np = &n->packs[i];
        join_vendors(np);
        np->forced_on = in_list(np->pub.id, enable, n_enable);
        np->forced_off = in_list(np->pub.id, disable, n_disable);
        np->pub.enabled = np->forced_on || (np->pub.default_on && !np->forced_off);
    }
    qsort(n->packs, n->n_packs, sizeof(n->packs[0]), cmp_pack);
    g->net = n;
    /* Answers cached so far were made without this database. */
    for (size_t i = 0; i < GEOIP_CACHE_SIZE; i++)
        g->cache[i].valid = false;
    return 0;
}

size_t
geoip_network_packs(const struct geoip *g, struct geoip_net_pack *out, size_t max)
{
    if (g == NULL || g->net == NULL)
        return 0;
    for (size_t i = 0; i < g->net->n_packs && i < max; i++)
        out[i] = g->net->packs[i].pub;
    return g->net->n_packs;
}

bool
geoip_network_pack_known(const struct geoip *g, const char *id)
{
    return g != NULL && g->net != NULL && id != NULL && pack_find(g->net, id) >= 0;
}

/* Fill the vnet fields from the record at top: the first level of its chain
 * whose pack counts. False when none does or the record is unreadable. */
static bool
geoip_net_answer(struct netdb *n, const MMDB_entry_s *top, struct geoip_info *out)
{
    struct netrec *r = &n->rec[(top->offset * 2654435761u) >> 24];
    if (!r->valid || r->offset != top->offset) {
        memset(r, 0, sizeof(*r));
        r->valid = true;
        r->offset = top->offset;
        MMDB_entry_s e = *top;
        for (int depth = 0; depth < NET_CHAIN_MAX; depth++) {
            struct netlevel l;
            if (!read_level(&e, &l))
                break;
            long p = pack_find(n, l.pack);
            if (p >= 0 && (n->packs[p].forced_on || (l.dflt && !n->packs[p].forced_off))) {
                r->counts = true;
                r->asn = l.asn;
                memcpy(r->org, l.org, sizeof(r->org));
                memcpy(r->vendor, l.vendor, sizeof(r->vendor));
                memcpy(r->pack, l.pack, sizeof(r->pack));
                memcpy(r->category, l.category, sizeof(r->category));
                break;
            }
            if (!l.has_within)
                break;
            e = l.within;
        }
    }
    if (!r->counts)
        return false;
    out->has_vnet = true;
    out->vnet_asn = r->asn;
    memcpy(out->vnet_org, r->org, sizeof(out->vnet_org));
    memcpy(out->vnet_vendor, r->vendor, sizeof(out->vnet_vendor));
    memcpy(out->vnet_pack, r->pack, sizeof(out->vnet_pack));
    memcpy(out->vnet_category, r->category, sizeof(out->vnet_category));
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
    if (g->net != NULL && search(&g->net->db, sa, &res))
        found |= geoip_net_answer(g->net, &res.entry, out);

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
