/* geoip_t.c - unit tests for geoip_open()/geoip_lookup() on MaxMind test databases.
 *
 * Reference: include/telexpose/geoip.h (contract); the databases under
 * tests/data/mmdb/ come from MaxMind-DB (see its README.md), and expected
 * values were checked with mmdblookup 1.7.1. Corrupt databases must open with
 * an error or look up without crashing; "Test"-typed ones are also re-typed
 * in a temp copy so their broken data really reaches the lookup path.
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
    return i->asn == 0 && i->org[0] == '\0' && i->country[0] == '\0';
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
    errbuf[0] = '\0';
    ok(geoip_open(NULL, NULL, errbuf, sizeof(errbuf)) == NULL && errbuf[0] != '\0',
       "no database: NULL with '%s'", errbuf);
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

int
main(void)
{
    test_args();
    test_asn();
    test_country();
    test_open_errors();
    test_corrupt();
    return done_testing();
}
