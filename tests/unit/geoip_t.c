/* geoip_t.c - unit tests for geoip_open()/geoip_lookup() on MaxMind test databases,
 * and for the vendor-network slot (geoip_open_networks() and friends).
 *
 * Reference: include/telexpose/geoip.h (contract); the databases under
 * tests/data/mmdb/ come from MaxMind-DB (see its README.md), and expected
 * values were checked with mmdblookup 1.7.1. Corrupt databases must open with
 * an error or look up without crashing; "Test"-typed ones are also re-typed
 * in a temp copy so their broken data really reaches the lookup path.
 * Vendor-network databases are written here with mmdb_write.h (crafted
 * packs, for the enable/disable rules), and the one the build generated
 * (TX_BUILD_NETDB) is checked against signatures/networks/.
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "telexpose/geoip.h"
#include "telexpose/mmdb_write.h"
#include "telexpose/text.h"

static char errbuf[512];

/* $srcdir/tests/data/mmdb/NAME in one of four rotating static buffers, so a
 * call may take two paths. */
static const char *
dbpath(const char *name)
{
    static char buf[4][4096];
    static unsigned next;
    char *b = buf[next++ % 4];
    const char *src = getenv("srcdir");
    snprintf(b, sizeof(buf[0]), "%s/tests/data/mmdb/%s", src && *src ? src : "..", name);
    return b;
}

static struct decode_addr
addr_of(const char *s)
{
    struct decode_addr a;
    memset(&a, 0, sizeof(a));
    if (inet_pton(AF_INET, s, a.a) == 1)
        a.family = 4;
    else if (inet_pton(AF_INET6, s, a.a) == 1)
        a.family = 6;
    return a;
}

static bool
info_is_zero(const struct geoip_info *i)
{
    return i->asn == 0 && i->org[0] == '\0' && i->country[0] == '\0' && !i->has_vnet &&
           i->vnet_asn == 0 && i->vnet_org[0] == '\0' && i->vnet_vendor[0] == '\0' &&
           i->vnet_pack[0] == '\0' && i->vnet_category[0] == '\0';
}

/* What every answer must satisfy, however broken the database. */
static bool
info_is_sane(const struct geoip_info *i)
{
    if (memchr(i->org, '\0', sizeof(i->org)) == NULL || !text_utf8_valid(i->org))
        return false;
    size_t n = strlen(i->country);
    if (n != 0 && n != 2)
        return false;
    for (size_t k = 0; k < n; k++) {
        char c = i->country[k];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
            return false;
    }
    return true;
}

static bool
has(const char *hay, const char *needle)
{
    return strstr(hay, needle) != NULL;
}

/* A temp file holding len bytes of data; its name in out[64]. */
static bool
write_temp(const void *data, size_t len, char *out)
{
    snprintf(out, 64, "/tmp/geoip_t.XXXXXX");
    int fd = mkstemp(out);
    if (fd < 0)
        return false;
    bool good = write(fd, data, len) == (ssize_t)len;
    close(fd);
    return good;
}

/* Whole file into a malloc'd buffer (*len bytes), NULL on failure. */
static unsigned char *
slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    unsigned char *buf = malloc(1 << 20);
    *len = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

/* A temp copy of path whose metadata database_type "Test" is replaced by the
 * 4-byte newtype (0x44 is a utf8_string of length 4); false when absent. */
static bool
retyped_copy(const char *path, const char *newtype, char *out)
{
    size_t len;
    unsigned char *buf = slurp(path, &len);
    if (buf == NULL)
        return false;
    unsigned char *hit = NULL;
    for (size_t i = 0; i + 5 <= len; i++)
        if (memcmp(buf + i, "\x44Test", 5) == 0)
            hit = buf + i; /* last one: the metadata is at the end */
    bool good = false;
    if (hit != NULL) {
        memcpy(hit + 1, newtype, 4);
        good = write_temp(buf, len, out);
    }
    free(buf);
    return good;
}

/* Many lookups over an open database; true when every answer was sane and
 * every miss all zeros. */
static bool
sweep(struct geoip *g)
{
    bool good = true;
    char s[64];
    struct geoip_info info;
    for (int i = 0; i < 256; i++) {
        for (int f = 0; f < 6; f++) {
            switch (f) {
            case 0:
                snprintf(s, sizeof(s), "%d.0.0.0", i);
                break;
            case 1:
                snprintf(s, sizeof(s), "%d.1.1.1", i);
                break;
            case 2:
                snprintf(s, sizeof(s), "1.1.1.%d", i);
                break;
            case 3:
                snprintf(s, sizeof(s), "2.125.160.%d", i);
                break;
            case 4:
                snprintf(s, sizeof(s), "2001:%x::1", i);
                break;
            default:
                snprintf(s, sizeof(s), "::%x", i);
                break;
            }
            struct decode_addr a = addr_of(s);
            bool found = geoip_lookup(g, &a, &info);
            if (!info_is_sane(&info) || (!found && !info_is_zero(&info)))
                good = false;
        }
    }
    return good;
}

static void
test_args(void)
{
    ok(geoip_lib_version() && geoip_lib_version()[0] != '\0', "lib version '%s'",
       geoip_lib_version());
    errbuf[0] = 'x';
    struct geoip *g = geoip_open(NULL, NULL, errbuf, sizeof(errbuf));
    ok(g != NULL && errbuf[0] == '\0', "no database: an empty adapter");
    struct geoip_info info;
    struct decode_addr a = addr_of("1.128.0.0");
    memset(&info, 0x5a, sizeof(info));
    ok(!geoip_lookup(g, &a, &info) && info_is_zero(&info), "which finds nothing");
    struct geoip_net_pack p[2];
    ok(geoip_network_packs(g, p, 2) == 0 && !geoip_network_pack_known(g, "huawei-net"),
       "and has no network packs");
    geoip_close(g);
    geoip_close(NULL);
    ok(1, "geoip_close(NULL) is harmless");
}

static void
test_asn(void)
{
    struct geoip *g = geoip_open(dbpath("GeoLite2-ASN-Test.mmdb"), NULL, errbuf, sizeof(errbuf));
    ok(g != NULL, "ASN test DB opens (%s)", g ? "" : errbuf);
    if (g == NULL)
        return;
    struct geoip_info info;
    struct decode_addr a = addr_of("1.128.0.0");
    ok(geoip_lookup(g, &a, &info), "1.128.0.0 found");
    is_int(info.asn, 1221, "1.128.0.0 ASN");
    is_str(info.org, "Telstra Pty Ltd", "1.128.0.0 org");
    is_str(info.country, "", "no country without a country DB");

    /* 2001:1700::/27 -> AS6730 in source-data/GeoLite2-ASN-Test.json */
    a = addr_of("2001:1700::1");
    ok(geoip_lookup(g, &a, &info), "2001:1700::1 found");
    is_int(info.asn, 6730, "2001:1700::1 ASN");
    is_str(info.org, "Sunrise Communications AG", "2001:1700::1 org");

    const char *absent[] = {"10.0.0.1", "1.1.1.1", "::1"};
    for (size_t i = 0; i < 3; i++) {
        a = addr_of(absent[i]);
        memset(&info, 0x5a, sizeof(info));
        ok(!geoip_lookup(g, &a, &info) && info_is_zero(&info), "%s absent: false, zeros",
           absent[i]);
    }

    struct decode_addr unset;
    memset(&unset, 0, sizeof(unset));
    memset(&info, 0x5a, sizeof(info));
    ok(!geoip_lookup(g, &unset, &info) && info_is_zero(&info), "family 0: false, zeros");

    /* Cache: repeated and evicted answers equal the first one. */
    struct geoip_info first, again;
    a = addr_of("1.128.0.0");
    bool f1 = geoip_lookup(g, &a, &first);
    bool f2 = geoip_lookup(g, &a, &again);
    ok(f1 && f2 && memcmp(&first, &again, sizeof(first)) == 0, "cached answer identical");
    a = addr_of("10.0.0.1");
    ok(!geoip_lookup(g, &a, &info) && info_is_zero(&info), "cached miss still a miss");
    /* 20000 distinct addresses overwrite every cache slot several times. */
    bool sane = true;
    for (uint32_t i = 0; i < 20000; i++) {
        struct decode_addr b = {.family = 4};
        uint32_t v = htonl(0x01800000u + i * 7u);
        memcpy(b.a, &v, 4);
        geoip_lookup(g, &b, &info);
        if (!info_is_sane(&info))
            sane = false;
    }
    ok(sane, "20000 lookups all sane");
    a = addr_of("1.128.0.0");
    ok(geoip_lookup(g, &a, &again) && memcmp(&first, &again, sizeof(first)) == 0,
       "answer unchanged after cache churn");
    /* Same bytes, other family: must not hit the IPv4 entry. */
    struct decode_addr v6 = a;
    v6.family = 6;
    ok(!geoip_lookup(g, &v6, &info) && info_is_zero(&info),
       "0100:8000:: (IPv4 bytes as IPv6) is not the IPv4 answer");
    ok(sweep(g), "sweep of the ASN DB sane");
    geoip_close(g);
}

static void
test_country(void)
{
    struct geoip *g = geoip_open(NULL, dbpath("GeoIP2-Country-Test.mmdb"), errbuf, sizeof(errbuf));
    ok(g != NULL, "Country test DB opens (%s)", g ? "" : errbuf);
    if (g == NULL)
        return;
    struct geoip_info info;
    struct decode_addr a = addr_of("2.125.160.216");
    ok(geoip_lookup(g, &a, &info), "2.125.160.216 found");
    is_str(info.country, "GB", "2.125.160.216 country");
    is_int(info.asn, 0, "no ASN without an ASN DB");
    geoip_close(g);

    g = geoip_open(dbpath("GeoLite2-ASN-Test.mmdb"), dbpath("GeoLite2-City-Test.mmdb"), errbuf,
                   sizeof(errbuf));
    ok(g != NULL, "ASN + City DBs open together (%s)", g ? "" : errbuf);
    if (g == NULL)
        return;
    a = addr_of("2.125.160.216");
    ok(geoip_lookup(g, &a, &info) && strcmp(info.country, "GB") == 0 && info.asn == 0,
       "City DB as country DB: GB, no ASN");
    a = addr_of("1.128.0.0");
    ok(geoip_lookup(g, &a, &info) && info.asn == 1221, "and the ASN DB still answers");
    ok(sweep(g), "sweep of ASN + City sane");
    geoip_close(g);
}

static void
test_open_errors(void)
{
    const char *city = dbpath("GeoLite2-City-Test.mmdb");
    char citycopy[4096];
    snprintf(citycopy, sizeof(citycopy), "%s", city);
    ok(geoip_open(citycopy, NULL, errbuf, sizeof(errbuf)) == NULL && has(errbuf, citycopy) &&
           has(errbuf, "'GeoLite2-City'") && has(errbuf, "no ASN records"),
       "City DB as ASN DB: '%s'", errbuf);

    const char *asn = dbpath("GeoLite2-ASN-Test.mmdb");
    ok(geoip_open(NULL, asn, errbuf, sizeof(errbuf)) == NULL &&
           has(errbuf, "'GeoLite2-ASN'") && has(errbuf, "no country"),
       "ASN DB as country DB: '%s'", errbuf);

    const char *missing = dbpath("no-such-file.mmdb");
    char misscopy[4096];
    snprintf(misscopy, sizeof(misscopy), "%s", missing);
    ok(geoip_open(misscopy, NULL, errbuf, sizeof(errbuf)) == NULL && has(errbuf, misscopy) &&
           has(errbuf, "No such file or directory") && has(errbuf, "MaxMind-format"),
       "missing file: '%s'", errbuf);
    ok(geoip_open(asn, misscopy, errbuf, sizeof(errbuf)) == NULL && has(errbuf, misscopy),
       "good ASN DB + missing country DB: error names the missing one");

    /* The first 1000 bytes: search tree only, no metadata. */
    size_t len;
    unsigned char *buf = slurp(asn, &len);
    char tmp[64];
    ok(buf != NULL && len > 1000 && write_temp(buf, 1000, tmp), "truncated copy written");
    free(buf);
    ok(geoip_open(tmp, NULL, errbuf, sizeof(errbuf)) == NULL && has(errbuf, tmp) &&
           has(errbuf, "not a valid MaxMind DB"),
       "truncated DB: '%s'", errbuf);
    unlink(tmp);
    ok(write_temp("", 0, tmp), "empty file written");
    ok(geoip_open(tmp, NULL, errbuf, sizeof(errbuf)) == NULL && has(errbuf, tmp),
       "empty file: '%s'", errbuf);
    unlink(tmp);

    ok(geoip_open(NULL, dbpath("GeoIP2-City-Test-Invalid-Node-Count.mmdb"), errbuf,
                  sizeof(errbuf)) == NULL &&
           has(errbuf, "Invalid-Node-Count.mmdb"),
       "invalid node count: '%s'", errbuf);

    ok(geoip_open(dbpath("."), NULL, errbuf, sizeof(errbuf)) == NULL && errbuf[0] != '\0',
       "a directory: '%s'", errbuf);
}

/* Open name as-is in both slots, then re-typed so lookups reach its data. */
static void
test_corrupt_one(const char *name)
{
    const char *path = dbpath(name);
    char p[4096];
    snprintf(p, sizeof(p), "%s", path);
    for (int slot = 0; slot < 2; slot++) {
        errbuf[0] = '\0';
        struct geoip *g = slot == 0 ? geoip_open(p, NULL, errbuf, sizeof(errbuf))
                                    : geoip_open(NULL, p, errbuf, sizeof(errbuf));
        if (g == NULL) {
            ok(has(errbuf, name), "%s (%s slot) refused: '%s'", name, slot ? "country" : "ASN",
               errbuf);
        } else {
            ok(sweep(g), "%s (%s slot) opened, sweep sane", name, slot ? "country" : "ASN");
            geoip_close(g);
        }
    }
    /* Re-typed copies: "ISP_" passes the ASN check, "City" the country one. */
    const char *types[2] = {"ISP_", "City"};
    for (int slot = 0; slot < 2; slot++) {
        char tmp[64];
        if (!retyped_copy(p, types[slot], tmp))
            continue;
        errbuf[0] = '\0';
        struct geoip *g = slot == 0 ? geoip_open(tmp, NULL, errbuf, sizeof(errbuf))
                                    : geoip_open(NULL, tmp, errbuf, sizeof(errbuf));
        if (g == NULL) {
            ok(has(errbuf, tmp), "%s re-typed %s refused: '%s'", name, types[slot], errbuf);
        } else {
            ok(sweep(g), "%s re-typed %s opened, sweep sane", name, types[slot]);
            geoip_close(g);
        }
        unlink(tmp);
    }
}

static void
test_corrupt(void)
{
    test_corrupt_one("MaxMind-DB-test-broken-pointers-24.mmdb");
    const char *bad[] = {
        "bad-data/bad-unicode-in-map-key.mmdb",
        "bad-data/cyclic-data-structure.mmdb",
        "bad-data/invalid-string-length.mmdb",
        "bad-data/libmaxminddb-corrupt-search-tree.mmdb",
        "bad-data/libmaxminddb-deep-nesting.mmdb",
        "bad-data/libmaxminddb-offset-integer-overflow.mmdb",
        "bad-data/libmaxminddb-oversized-map.mmdb",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        test_corrupt_one(bad[i]);
}

/* ------------------------------------------------------------------------
 * The vendor-network slot */

/* One level of a network record; within, when set, is nested under it. */
struct level {
    uint32_t asn;
    const char *org, *vendor, *pack, *category;
    bool dflt;
    const struct level *within;
};

static void
put_level(struct mmdbw_buf *b, const struct level *l)
{
    mmdbw_put_map(b, l->within ? 7 : 6);
    mmdbw_put_string(b, "autonomous_system_number");
    mmdbw_put_uint32(b, l->asn);
    mmdbw_put_string(b, "autonomous_system_organization");
    mmdbw_put_string(b, l->org);
    mmdbw_put_string(b, "vendor");
    mmdbw_put_string(b, l->vendor);
    mmdbw_put_string(b, "pack");
    mmdbw_put_string(b, l->pack);
    mmdbw_put_string(b, "category");
    mmdbw_put_string(b, l->category);
    mmdbw_put_string(b, "default");
    mmdbw_put_bool(b, l->dflt);
    if (l->within) {
        mmdbw_put_string(b, "within");
        put_level(b, l->within);
    }
}

struct net {
    const char *cidr;
    const struct level *rec;
};

/* Write nets into a temp file (name in out[64]) with the given type. */
static bool
write_netdb(const struct net *nets, size_t n, const char *type, char *out)
{
    struct mmdbw *w = mmdbw_new();
    struct mmdbw_buf b;
    mmdbw_buf_init(&b);
    bool good = true;
    for (size_t i = 0; i < n; i++) {
        char a[64];
        snprintf(a, sizeof(a), "%s", nets[i].cidr);
        char *slash = strchr(a, '/');
        *slash = '\0';
        uint8_t bytes[16];
        int fam = strchr(a, ':') ? 6 : 4;
        inet_pton(fam == 6 ? AF_INET6 : AF_INET, a, bytes);
        mmdbw_buf_reset(&b);
        put_level(&b, nets[i].rec);
        if (mmdbw_insert(w, fam, bytes, (unsigned)atoi(slash + 1), b.p, b.len) != MMDBW_OK)
            good = false;
    }
    static const char *const langs[] = {"en"};
    struct mmdbw_meta m = {.database_type = type, .languages = langs, .n_languages = 1,
                           .build_epoch = 1795737600, .ipv4_aliases = true};
    uint8_t *buf = NULL;
    size_t len = 0;
    if (mmdbw_build(w, &m, &buf, &len, NULL) != MMDBW_OK)
        good = false;
    good = good && write_temp(buf, len, out);
    free(buf);
    mmdbw_buf_free(&b);
    mmdbw_free(w);
    return good;
}

static const struct level L_ALPHA = {64500, "Org A", "VendA", "alpha", "vendor-cloud", true, NULL};
static const struct level L_BETA = {64501, "Org B", "VendB", "beta", "carrier-backbone", false,
                                    &L_ALPHA};
static const struct level L_BETA6 = {64504, "Org E", "VendB", "beta", "carrier-backbone", false,
                                     NULL};
static const struct level L_GAMMA1 = {64502, "Org C", "VendC", "gamma", "covered-carrier", true,
                                      NULL};
static const struct level L_GAMMA2 = {64503, "Org D", "VendD", "gamma", "covered-carrier", true,
                                      NULL};
static const struct level L_EPS = {64506, "Org G", "VendG", "epsilon", "vendor-corporate", true,
                                   NULL};
static const struct level L_DELTA = {64505, "Org F", "VendF", "delta", "covered-vendor", false,
                                     &L_EPS};

static const struct net CRAFTED[] = {
    {"10.0.0.0/8", &L_ALPHA},        {"10.1.0.0/16", &L_BETA},
    {"192.0.2.0/24", &L_GAMMA1},     {"198.51.100.0/24", &L_GAMMA2},
    {"2001:db8::/32", &L_BETA6},     {"203.0.113.0/24", &L_DELTA},
};

/* The pack answering for ip ("" for none), with its ASN in *asn. */
static const char *
vnet(struct geoip *g, const char *ip, uint32_t *asn)
{
    static struct geoip_info info;
    struct decode_addr a = addr_of(ip);
    bool found = geoip_lookup(g, &a, &info);
    if (asn)
        *asn = info.vnet_asn;
    if (found != info.has_vnet || (!info.has_vnet && !info_is_zero(&info)))
        return "(inconsistent)";
    return info.has_vnet ? info.vnet_pack : "";
}

static struct geoip *
open_net(const char *path, const char *const *en, size_t nen, const char *const *dis,
         size_t ndis)
{
    struct geoip *g = geoip_open(NULL, NULL, errbuf, sizeof(errbuf));
    if (geoip_open_networks(g, path, en, nen, dis, ndis, errbuf, sizeof(errbuf)) != 0) {
        printf("# %s\n", errbuf);
        geoip_close(g);
        return NULL;
    }
    return g;
}

static void
test_net_crafted(void)
{
    char path[64];
    if (!ok(write_netdb(CRAFTED, 6, GEOIP_NETDB_TYPE, path), "crafted networks DB written"))
        return;
    struct geoip *g = open_net(path, NULL, 0, NULL, 0);
    if (!ok(g != NULL, "opens with no enable/disable lists")) {
        unlink(path);
        return;
    }
    struct geoip_net_pack p[8];
    size_t n = geoip_network_packs(g, p, 8);
    is_int(n, 5, "5 packs (epsilon only under 'within')");
    if (n == 5) {
        ok(strcmp(p[0].id, "alpha") == 0 && strcmp(p[1].id, "beta") == 0 &&
               strcmp(p[2].id, "delta") == 0 && strcmp(p[3].id, "epsilon") == 0 &&
               strcmp(p[4].id, "gamma") == 0,
           "listed by id");
        /* 10/8 minus 10.1/16 leaves 8 networks; beta has 10.1/16 and the
         * IPv6 /32. */
        ok(p[0].prefixes == 8 && p[1].prefixes == 2 && p[2].prefixes == 1 &&
               p[3].prefixes == 0 && p[4].prefixes == 2,
           "network counts 8 2 1 0 2 (%zu %zu %zu %zu %zu)", p[0].prefixes, p[1].prefixes,
           p[2].prefixes, p[3].prefixes, p[4].prefixes);
        ok(p[0].default_on && p[0].enabled && !p[1].default_on && !p[1].enabled &&
               !p[2].enabled && p[3].enabled && p[4].enabled,
           "default on/off and enabled as the records say");
        is_str(p[4].vendor, "VendC, VendD", "gamma's vendors joined");
        is_str(p[1].vendor, "VendB", "beta's one vendor");
    }
    ok(geoip_network_packs(g, p, 2) == 5 && strcmp(p[1].id, "beta") == 0,
       "max 2: count 5, two copied");
    ok(geoip_network_pack_known(g, "alpha") && geoip_network_pack_known(g, "epsilon") &&
           !geoip_network_pack_known(g, "huawei") && !geoip_network_pack_known(g, NULL),
       "pack_known: alpha, epsilon yes; huawei, NULL no");

    uint32_t asn;
    struct geoip_info info;
    struct decode_addr a = addr_of("10.200.0.1");
    ok(geoip_lookup(g, &a, &info) && info.has_vnet && info.vnet_asn == 64500 &&
           strcmp(info.vnet_org, "Org A") == 0 && strcmp(info.vnet_vendor, "VendA") == 0 &&
           strcmp(info.vnet_pack, "alpha") == 0 &&
           strcmp(info.vnet_category, "vendor-cloud") == 0 && info.asn == 0 &&
           info.org[0] == '\0',
       "10.200.0.1: every vnet field of alpha's record, asn/org untouched");
    ok(strcmp(vnet(g, "10.1.2.3", &asn), "alpha") == 0 && asn == 64500,
       "10.1.2.3: beta is off, its 'within' alpha answers");
    is_str(vnet(g, "2001:db8::1", NULL), "", "2001:db8::1: beta off, nothing under it");
    ok(strcmp(vnet(g, "203.0.113.9", &asn), "epsilon") == 0 && asn == 64506,
       "203.0.113.9: delta off, epsilon (within) on");
    is_str(vnet(g, "198.51.100.255", NULL), "gamma", "198.51.100.255: gamma");
    is_str(vnet(g, "::ffff:192.0.2.1", NULL), "gamma", "::ffff:192.0.2.1: gamma (IPv4 alias)");
    is_str(vnet(g, "8.8.8.8", NULL), "", "8.8.8.8: nothing");
    /* Cached answers: the same again, and again after churn. */
    bool same = true;
    for (int round = 0; round < 3; round++)
        for (uint32_t i = 0; i < 5000; i++) {
            struct decode_addr b = {.family = 4};
            uint32_t v = htonl(0x0A000000u + i * 3331u); /* inside 10/8 */
            memcpy(b.a, &v, 4);
            geoip_lookup(g, &b, &info);
            if (!info.has_vnet || strcmp(info.vnet_pack, "alpha") != 0 ||
                info.vnet_asn != 64500)
                same = false;
        }
    ok(same, "15000 cached lookups in 10/8 all answer alpha");

    ok(geoip_open_networks(g, path, NULL, 0, NULL, 0, errbuf, sizeof(errbuf)) < 0 &&
           has(errbuf, "already"),
       "a second networks DB is refused: '%s'", errbuf);
    is_str(vnet(g, "10.200.0.1", NULL), "alpha", "and the first still answers");
    geoip_close(g);

    const char *en_beta[] = {"beta"}, *dis_alpha[] = {"alpha"};
    g = open_net(path, en_beta, 1, NULL, 0);
    if (ok(g != NULL, "enable beta")) {
        ok(strcmp(vnet(g, "10.1.2.3", &asn), "beta") == 0 && asn == 64501,
           "10.1.2.3: beta now answers itself");
        is_str(vnet(g, "2001:db8::1", NULL), "beta", "2001:db8::1: beta");
        is_str(vnet(g, "10.2.0.0", NULL), "alpha", "10.2.0.0: still alpha");
        geoip_network_packs(g, p, 8);
        ok(p[1].enabled && !p[1].default_on, "beta listed enabled, default off");
        geoip_close(g);
    }
    g = open_net(path, NULL, 0, dis_alpha, 1);
    if (ok(g != NULL, "disable alpha")) {
        is_str(vnet(g, "10.200.0.1", NULL), "", "10.200.0.1: nothing");
        is_str(vnet(g, "10.1.2.3", NULL), "", "10.1.2.3: nothing (beta off, alpha off)");
        is_str(vnet(g, "192.0.2.1", NULL), "gamma", "192.0.2.1: gamma unaffected");
        geoip_close(g);
    }
    const char *both[] = {"beta", "zte", "huawei"};
    g = open_net(path, both, 3, en_beta, 1);
    if (ok(g != NULL, "beta enabled and disabled; unknown ids zte, huawei ignored")) {
        is_str(vnet(g, "10.1.2.3", NULL), "beta", "enable wins over disable");
        geoip_close(g);
    }
    const char *en_delta[] = {"delta"}, *dis_eps[] = {"epsilon"};
    g = open_net(path, NULL, 0, dis_eps, 1);
    if (ok(g != NULL, "disable epsilon")) {
        is_str(vnet(g, "203.0.113.9", NULL), "", "203.0.113.9: delta and epsilon off");
        geoip_close(g);
    }
    g = open_net(path, en_delta, 1, dis_eps, 1);
    if (ok(g != NULL, "enable delta, disable epsilon")) {
        ok(strcmp(vnet(g, "203.0.113.9", &asn), "delta") == 0 && asn == 64505,
           "203.0.113.9: delta");
        geoip_close(g);
    }

    /* With an ASN database: both slots answer, each into its own fields. */
    g = geoip_open(dbpath("GeoLite2-ASN-Test.mmdb"), NULL, errbuf, sizeof(errbuf));
    a = addr_of("10.200.0.1");
    ok(g != NULL && !geoip_lookup(g, &a, &info), "ASN DB alone: 10.200.0.1 unknown (cached)");
    ok(geoip_open_networks(g, path, NULL, 0, NULL, 0, errbuf, sizeof(errbuf)) == 0,
       "networks DB added to it");
    ok(geoip_lookup(g, &a, &info) && info.has_vnet && info.asn == 0,
       "10.200.0.1 now found (the cache was cleared)");
    a = addr_of("1.128.0.0");
    ok(geoip_lookup(g, &a, &info) && info.asn == 1221 && !info.has_vnet,
       "1.128.0.0: ASN DB answers, no vendor network");
    ok(sweep(g), "sweep of ASN + networks sane");
    geoip_close(g);
    unlink(path);
}

static void
test_net_errors(void)
{
    struct geoip *g = geoip_open(NULL, NULL, errbuf, sizeof(errbuf));
    const char *asn = dbpath("GeoLite2-ASN-Test.mmdb");
    char asncopy[4096];
    snprintf(asncopy, sizeof(asncopy), "%s", asn);
    ok(geoip_open_networks(g, asncopy, NULL, 0, NULL, 0, errbuf, sizeof(errbuf)) < 0 &&
           has(errbuf, asncopy) && has(errbuf, "'GeoLite2-ASN'") &&
           has(errbuf, "not a telexpose vendor-network database"),
       "ASN DB as networks DB: '%s'", errbuf);
    const char *missing = dbpath("no-such-networks.mmdb");
    ok(geoip_open_networks(g, missing, NULL, 0, NULL, 0, errbuf, sizeof(errbuf)) < 0 &&
           has(errbuf, "no-such-networks.mmdb") && has(errbuf, "No such file") &&
           has(errbuf, "--no-networks"),
       "missing: '%s'", errbuf);
    ok(geoip_open_networks(NULL, missing, NULL, 0, NULL, 0, errbuf, sizeof(errbuf)) < 0 &&
           errbuf[0] != '\0',
       "no adapter: -1 with '%s'", errbuf);
    ok(geoip_open_networks(g, NULL, NULL, 0, NULL, 0, errbuf, sizeof(errbuf)) < 0,
       "no path: -1");

    /* Right type, wrong records. */
    static const struct level nopack = {64500, "Org", "V", "", "c", true, NULL};
    static const struct level badid = {64500, "Org", "V", "Bad Pack", "c", true, NULL};
    const struct net n1[] = {{"10.0.0.0/8", &nopack}}, n2[] = {{"10.0.0.0/8", &badid}};
    char path[64];
    ok(write_netdb(n1, 1, GEOIP_NETDB_TYPE, path) &&
           geoip_open_networks(g, path, NULL, 0, NULL, 0, errbuf, sizeof(errbuf)) < 0 &&
           has(errbuf, path) && has(errbuf, "'pack'"),
       "record with an empty pack: '%s'", errbuf);
    unlink(path);
    ok(write_netdb(n2, 1, GEOIP_NETDB_TYPE, path) &&
           geoip_open_networks(g, path, NULL, 0, NULL, 0, errbuf, sizeof(errbuf)) < 0 &&
           has(errbuf, "'pack'"),
       "record with pack id 'Bad Pack': '%s'", errbuf);
    unlink(path);
    ok(write_netdb(CRAFTED, 6, "GeoLite2-ASN", path) &&
           geoip_open_networks(g, path, NULL, 0, NULL, 0, errbuf, sizeof(errbuf)) < 0 &&
           has(errbuf, "database type 'GeoLite2-ASN'"),
       "network records, type GeoLite2-ASN: refused");
    unlink(path);

    /* A truncated copy of a good one. */
    ok(write_netdb(CRAFTED, 6, GEOIP_NETDB_TYPE, path), "networks DB written");
    size_t len;
    unsigned char *buf = slurp(path, &len);
    unlink(path);
    char tmp[64];
    ok(buf != NULL && len > 200 && write_temp(buf, len / 2, tmp), "truncated copy written");
    free(buf);
    ok(geoip_open_networks(g, tmp, NULL, 0, NULL, 0, errbuf, sizeof(errbuf)) < 0 &&
           has(errbuf, tmp) && has(errbuf, "not a valid MaxMind DB") && has(errbuf, "rebuild"),
       "truncated: '%s'", errbuf);
    unlink(tmp);
    /* Every failure left the adapter without a networks DB. */
    struct geoip_net_pack p[1];
    ok(geoip_network_packs(g, p, 1) == 0, "after the failures: still no packs");
    geoip_close(g);
}

/* The database the build made from signatures/networks/. */
static void
test_net_built(void)
{
    const char *path = TX_BUILD_NETDB;
    struct geoip *g = open_net(path, NULL, 0, NULL, 0);
    if (!ok(g != NULL, "built %s opens (run make first)", path))
        return;
    struct geoip_net_pack p[8];
    size_t n = geoip_network_packs(g, p, 8);
    is_int(n, 4, "4 packs");
    if (n == 4) {
        ok(strcmp(p[0].id, "cn-backbones") == 0 && !p[0].enabled && !p[0].default_on &&
               strcmp(p[0].vendor, "China Telecom, China Unicom") == 0,
           "cn-backbones: off, China Telecom, China Unicom");
        ok(strcmp(p[1].id, "covered-carriers") == 0 && p[1].enabled &&
               strcmp(p[1].vendor, "China Mobile, China Telecom, China Unicom") == 0,
           "covered-carriers: on, '%s'", p[1].vendor);
        ok(strcmp(p[2].id, "huawei-net") == 0 && p[2].enabled &&
               strcmp(p[2].vendor, "Huawei") == 0 && p[2].prefixes >= 302,
           "huawei-net: on, Huawei, %zu networks", p[2].prefixes);
        ok(strcmp(p[3].id, "kaspersky-net") == 0 && p[3].enabled && p[3].prefixes == 19,
           "kaspersky-net: on, 19 networks (%zu)", p[3].prefixes);
    }
    struct geoip_info info;
    struct decode_addr a = addr_of("159.138.223.5");
    ok(geoip_lookup(g, &a, &info) && info.vnet_asn == 131444 &&
           strcmp(info.vnet_org, "HUAWEI INTERNATIONAL PTE. LTD.") == 0 &&
           strcmp(info.vnet_vendor, "Huawei") == 0 && strcmp(info.vnet_pack, "huawei-net") == 0 &&
           strcmp(info.vnet_category, "vendor-corporate") == 0,
       "159.138.223.5: AS131444 Huawei, huawei-net, vendor-corporate");
    uint32_t asn;
    ok(strcmp(vnet(g, "202.111.192.1", &asn), "covered-carriers") == 0 && asn == 4809,
       "202.111.192.1 (AS4809 and AS4134): AS4809");
    is_str(vnet(g, "1.80.0.1", NULL), "", "1.80.0.1 (AS4134 only): nothing by default");
    ok(strcmp(vnet(g, "1.82.0.1", &asn), "covered-carriers") == 0 && asn == 4809,
       "1.82.0.1 (AS4809 inside AS4134): AS4809");
    ok(strcmp(vnet(g, "2402:4f00::1", &asn), "covered-carriers") == 0 && asn == 58453,
       "2402:4f00::1: AS58453 China Mobile");
    is_str(vnet(g, "8.8.8.8", NULL), "", "8.8.8.8: nothing");
    geoip_close(g);

    const char *en[] = {"cn-backbones"}, *dis[] = {"covered-carriers"};
    g = open_net(path, en, 1, dis, 1);
    if (ok(g != NULL, "cn-backbones on, covered-carriers off")) {
        ok(strcmp(vnet(g, "202.111.192.1", &asn), "cn-backbones") == 0 && asn == 4134,
           "202.111.192.1: AS4134 (from 'within')");
        ok(strcmp(vnet(g, "1.82.0.1", &asn), "cn-backbones") == 0 && asn == 4134,
           "1.82.0.1: AS4134 (from 'within')");
        ok(strcmp(vnet(g, "1.80.0.1", &asn), "cn-backbones") == 0 && asn == 4134,
           "1.80.0.1: AS4134");
        is_str(vnet(g, "2402:4f00::1", NULL), "", "2402:4f00::1: nothing");
        geoip_close(g);
    }
}

int
main(void)
{
    test_args();
    test_asn();
    test_country();
    test_open_errors();
    test_corrupt();
    test_net_crafted();
    test_net_errors();
    test_net_built();
    return done_testing();
}
