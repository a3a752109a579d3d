/* communityid_t.c - unit tests for SHA-1 and Community ID v1.
 *
 * Reference: FIPS 180-4 / NIST example vectors for SHA-1; corelight
 * community-id-spec baseline tables and JSON (tests/data/community-id/).
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha1.h"
#include "tap.h"
#include "telexpose/communityid.h"

#define DATA_SUBDIR "/tests/data/community-id/"

/* One test vector, whatever file it came from. */
struct vector {
    char proto_name[16];
    int proto;
    char saddr[64];
    char daddr[64];
    bool has_ports;
    long sport;
    long dport;
    char want[COMMUNITYID_BUFLEN];
};

static void
to_hex(const uint8_t *in, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", in[i]);
}

static void
sha1_hex(const void *data, size_t len, char out[2 * SHA1_DIGEST_LEN + 1])
{
    struct sha1_ctx ctx;
    uint8_t d[SHA1_DIGEST_LEN];

    sha1_init(&ctx);
    sha1_update(&ctx, data, len);
    sha1_final(&ctx, d);
    to_hex(d, sizeof(d), out);
}

static void
test_sha1(void)
{
    static const char m448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    char hex[2 * SHA1_DIGEST_LEN + 1];
    struct sha1_ctx ctx;
    uint8_t d[SHA1_DIGEST_LEN];
    char chunk[1000];

    sha1_hex("abc", 3, hex);
    is_str(hex, "a9993e364706816aba3e25717850c26c9cd0d89d", "sha1: \"abc\"");
    sha1_hex(m448, strlen(m448), hex);
    is_str(hex, "84983e441c3bd26ebaae4aa1f95129e5e54670f1", "sha1: 448-bit message");
    sha1_hex("", 0, hex);
    is_str(hex, "da39a3ee5e6b4b0d3255bfef95601890afd80709", "sha1: empty message");

    /* One million 'a' in 1000-byte updates: exercises many whole blocks. */
    memset(chunk, 'a', sizeof(chunk));
    sha1_init(&ctx);
    for (int i = 0; i < 1000; i++)
        sha1_update(&ctx, chunk, sizeof(chunk));
    sha1_final(&ctx, d);
    to_hex(d, sizeof(d), hex);
    is_str(hex, "34aa973cd4c4daa4f61eeb2bdbad27316534016f", "sha1: one million 'a'");

    /* Same with odd-sized updates, so partial blocks straddle boundaries. */
    sha1_init(&ctx);
    for (size_t left = 1000000; left > 0;) {
        size_t n = left < 37 ? left : 37;
        sha1_update(&ctx, chunk, n);
        left -= n;
    }
    sha1_final(&ctx, d);
    to_hex(d, sizeof(d), hex);
    is_str(hex, "34aa973cd4c4daa4f61eeb2bdbad27316534016f",
           "sha1: one million 'a' in 37-byte pieces");

    /* 448-bit message byte by byte: the length hits the 56-byte padding edge. */
    sha1_init(&ctx);
    for (size_t i = 0; i < strlen(m448); i++)
        sha1_update(&ctx, m448 + i, 1);
    sha1_final(&ctx, d);
    to_hex(d, sizeof(d), hex);
    is_str(hex, "84983e441c3bd26ebaae4aa1f95129e5e54670f1", "sha1: 448-bit message bytewise");
}

/* Fill t from textual addresses; false if they do not parse as one family. */
static bool
make_tuple(const struct vector *v, struct communityid_tuple *t)
{
    memset(t, 0, sizeof(*t));
    if (inet_pton(AF_INET, v->saddr, t->saddr) == 1
        && inet_pton(AF_INET, v->daddr, t->daddr) == 1) {
        t->addr_len = 4;
    } else if (inet_pton(AF_INET6, v->saddr, t->saddr) == 1
               && inet_pton(AF_INET6, v->daddr, t->daddr) == 1) {
        t->addr_len = 16;
    } else {
        return false;
    }
    if (v->proto < 0 || v->proto > 255 || v->sport < 0 || v->sport > 65535 || v->dport < 0
        || v->dport > 65535)
        return false;
    t->proto = (uint8_t)v->proto;
    t->has_ports = v->has_ports;
    t->sport = (uint16_t)v->sport;
    t->dport = (uint16_t)v->dport;
    return true;
}

static void
check_vector(const struct vector *v, uint16_t seed, bool base64, const char *what)
{
    struct communityid_tuple t;
    char out[COMMUNITYID_BUFLEN];

    if (!make_tuple(v, &t)) {
        ok(0, "%s: cannot build tuple %s -> %s", what, v->saddr, v->daddr);
        return;
    }
    is_str(communityid_v1(&t, seed, base64, out), v->want, "%s: %s %s:%ld -> %s:%ld", what,
           v->proto_name, v->saddr, v->sport, v->daddr, v->dport);
}

/* Read a whole data file into a NUL-terminated heap buffer. */
static char *
slurp(const char *name)
{
    const char *srcdir = getenv("srcdir");
    char path[4096];
    FILE *f;
    char *buf;
    long len;

    if (!srcdir || !*srcdir)
        srcdir = ".";
    snprintf(path, sizeof(path), "%s%s%s", srcdir, DATA_SUBDIR, name);
    f = fopen(path, "rb");
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    buf = malloc((size_t)len + 1);
    if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
        free(buf);
        buf = NULL;
    }
    if (buf)
        buf[len] = '\0';
    fclose(f);
    return buf;
}

/* Copy a field into a fixed buffer; false if it would not fit. */
static bool
copy_field(char *dst, size_t cap, const char *src, size_t len)
{
    if (len >= cap)
        return false;
    memcpy(dst, src, len);
    dst[len] = '\0';
    return true;
}

static bool
parse_long(const char *s, long *out)
{
    char *end;

    *out = strtol(s, &end, 10);
    return end != s && *end == '\0';
}

/* One TSV line (tabs separate, no quoting) into v; variant gets column 0. */
static bool
parse_tsv_line(char *line, char *variant, size_t vcap, struct vector *v)
{
    char *col[9];
    int n = 0;
    char *p = line;

    for (;;) {
        char *tab = strchr(p, '\t');
        if (n == 9)
            return false;
        col[n++] = p;
        if (!tab)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    if (n != 9)
        return false;

    memset(v, 0, sizeof(*v));
    if (!copy_field(variant, vcap, col[0], strlen(col[0]))
        || !copy_field(v->proto_name, sizeof(v->proto_name), col[1], strlen(col[1]))
        || !copy_field(v->saddr, sizeof(v->saddr), col[3], strlen(col[3]))
        || !copy_field(v->daddr, sizeof(v->daddr), col[4], strlen(col[4]))
        || !copy_field(v->want, sizeof(v->want), col[7], strlen(col[7])))
        return false;
    long proto;
    if (!parse_long(col[2], &proto))
        return false;
    v->proto = (int)proto;
    if (strcmp(col[5], "-") == 0 && strcmp(col[6], "-") == 0) {
        v->has_ports = false;
        return true;
    }
    v->has_ports = true;
    return parse_long(col[5], &v->sport) && parse_long(col[6], &v->dport);
}

static void
test_tables(void)
{
    static const struct {
        const char *variant;
        uint16_t seed;
        bool base64;
    } variants[] = {
        {"seed0_base64", 0, true},
        {"seed1_base64", 1, true},
        {"seed0_hex", 0, false},
    };
    int count[3] = {0, 0, 0};
    char *data = slurp("tables.tsv");
    char *line, *next;
    int lineno = 0;

    if (!data) {
        ok(0, "tables.tsv: readable (set srcdir?)");
        return;
    }
    for (line = data; line && *line; line = next) {
        char variant[32];
        struct vector v;
        size_t i;

        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (lineno++ == 0 || *line == '\0')
            continue; /* header */
        if (!parse_tsv_line(line, variant, sizeof(variant), &v)) {
            ok(0, "tables.tsv line %d: parses", lineno);
            continue;
        }
        for (i = 0; i < sizeof(variants) / sizeof(variants[0]); i++)
            if (strcmp(variant, variants[i].variant) == 0)
                break;
        if (i == sizeof(variants) / sizeof(variants[0])) {
            ok(0, "tables.tsv line %d: known variant '%s'", lineno, variant);
            continue;
        }
        count[i]++;
        check_vector(&v, variants[i].seed, variants[i].base64, variants[i].variant);
    }
    free(data);
    for (size_t i = 0; i < 3; i++)
        is_int(count[i], 16, "tables.tsv: 16 rows of %s", variants[i].variant);
}

/* --- tiny JSON reader for [ {"k": num|"str"|null, ...}, ... ] --------------- */

static const char *
skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

/* Parse a string without escapes (the baselines have none); returns the
 * position after the closing quote, or NULL. */
static const char *
json_string(const char *p, const char **start, size_t *len)
{
    const char *q;

    if (*p != '"')
        return NULL;
    for (q = p + 1; *q && *q != '"'; q++)
        if (*q == '\\')
            return NULL;
    if (*q != '"')
        return NULL;
    *start = p + 1;
    *len = (size_t)(q - (p + 1));
    return q + 1;
}

/* A value is a string, an integer or null; which one is reported back. */
enum jtype { J_STR, J_NUM, J_NULL };

static const char *
json_value(const char *p, enum jtype *type, const char **s, size_t *slen, long *num)
{
    if (*p == '"') {
        *type = J_STR;
        return json_string(p, s, slen);
    }
    if (strncmp(p, "null", 4) == 0) {
        *type = J_NULL;
        return p + 4;
    }
    char *end;
    *num = strtol(p, &end, 10);
    if (end == p)
        return NULL;
    *type = J_NUM;
    return end;
}

/* Parse one object into v. Returns the position after '}', or NULL. */
static const char *
json_object(const char *p, struct vector *v)
{
    bool sport_null = false, dport_null = false;
    unsigned seen = 0;

    memset(v, 0, sizeof(*v));
    p = skip_ws(p);
    if (*p++ != '{')
        return NULL;
    for (;;) {
        const char *key, *s = NULL;
        size_t klen, slen = 0;
        long num = 0;
        enum jtype type;

        p = skip_ws(p);
        if (!(p = json_string(p, &key, &klen)))
            return NULL;
        p = skip_ws(p);
        if (*p++ != ':')
            return NULL;
        p = skip_ws(p);
        if (!(p = json_value(p, &type, &s, &slen, &num)))
            return NULL;

#define KEY_IS(k) (klen == strlen(k) && strncmp(key, k, klen) == 0)
        if (KEY_IS("proto") && type == J_NUM) {
            v->proto = (int)num;
            seen |= 1;
        } else if (KEY_IS("saddr") && type == J_STR) {
            if (!copy_field(v->saddr, sizeof(v->saddr), s, slen))
                return NULL;
            seen |= 2;
        } else if (KEY_IS("daddr") && type == J_STR) {
            if (!copy_field(v->daddr, sizeof(v->daddr), s, slen))
                return NULL;
            seen |= 4;
        } else if (KEY_IS("sport") && type != J_STR) {
            sport_null = type == J_NULL;
            v->sport = num;
            seen |= 8;
        } else if (KEY_IS("dport") && type != J_STR) {
            dport_null = type == J_NULL;
            v->dport = num;
            seen |= 16;
        } else if (KEY_IS("communityid") && type == J_STR) {
            if (!copy_field(v->want, sizeof(v->want), s, slen))
                return NULL;
            seen |= 32;
        } else {
            return NULL; /* unknown key or wrong type: the format changed */
        }
#undef KEY_IS

        p = skip_ws(p);
        if (*p == ',') {
            p++;
            continue;
        }
        if (*p != '}')
            return NULL;
        break;
    }
    /* Ports are either both present or both null (port-less protocol). */
    if (seen != 63 || sport_null != dport_null)
        return NULL;
    v->has_ports = !sport_null;
    snprintf(v->proto_name, sizeof(v->proto_name), "proto %d", v->proto);
    return p + 1;
}

static void
test_baseline(const char *file, uint16_t seed, bool base64)
{
    char *data = slurp(file);
    const char *p;
    int n = 0;

    if (!data) {
        ok(0, "%s: readable (set srcdir?)", file);
        return;
    }
    p = skip_ws(data);
    if (*p++ != '[') {
        ok(0, "%s: starts with an array", file);
        free(data);
        return;
    }
    for (;;) {
        struct vector v;

        p = skip_ws(p);
        if (*p == ']')
            break;
        if (!(p = json_object(p, &v))) {
            ok(0, "%s: object %d parses", file, n + 1);
            break;
        }
        n++;
        check_vector(&v, seed, base64, file);
        p = skip_ws(p);
        if (*p == ',')
            p++;
        else if (*p != ']') {
            ok(0, "%s: separator after object %d", file, n);
            break;
        }
    }
    free(data);
    is_int(n, 23, "%s: 23 tuples", file);
}

/* --- cases the upstream data does not cover --------------------------------- */

static void
v4_tuple(struct communityid_tuple *t, const char *s, const char *d, uint8_t proto,
         uint16_t sport, uint16_t dport)
{
    memset(t, 0, sizeof(*t));
    t->addr_len = 4;
    inet_pton(AF_INET, s, t->saddr);
    inet_pton(AF_INET, d, t->daddr);
    t->proto = proto;
    t->has_ports = true;
    t->sport = sport;
    t->dport = dport;
}

/* Hex Community ID of an explicitly laid out IPv4 hash input. */
static void
manual_hex(const struct communityid_tuple *t, const uint8_t *a, const uint8_t *b,
           uint16_t pa, uint16_t pb, char *out)
{
    uint8_t buf[16];

    buf[0] = 0;
    buf[1] = 0; /* seed 0 */
    memcpy(buf + 2, a, 4);
    memcpy(buf + 6, b, 4);
    buf[10] = t->proto;
    buf[11] = 0;
    buf[12] = (uint8_t)(pa >> 8);
    buf[13] = (uint8_t)pa;
    buf[14] = (uint8_t)(pb >> 8);
    buf[15] = (uint8_t)pb;
    out[0] = '1';
    out[1] = ':';
    sha1_hex(buf, sizeof(buf), out + 2);
}

static void
test_edges(void)
{
    struct communityid_tuple t, u;
    char got[COMMUNITYID_BUFLEN], want[COMMUNITYID_BUFLEN], other[COMMUNITYID_BUFLEN];

    /* One-way ICMP (time exceeded) from the larger address: never swapped. */
    v4_tuple(&t, "5.6.7.8", "1.2.3.4", 1, 11, 0);
    manual_hex(&t, t.saddr, t.daddr, 11, 0, want);
    is_str(communityid_v1(&t, 0, false, got), want, "icmp one-way: packet order kept");
    v4_tuple(&u, "1.2.3.4", "5.6.7.8", 1, 11, 0);
    ok(strcmp(communityid_v1(&u, 0, false, other), got) != 0,
       "icmp one-way: reversed endpoints give another ID");

    /* Two-way ICMP: the code is replaced by the counterpart type. */
    v4_tuple(&t, "5.6.7.8", "1.2.3.4", 1, 13, 99);
    manual_hex(&t, t.daddr, t.saddr, 14, 13, want);
    is_str(communityid_v1(&t, 0, false, got), want, "icmp timestamp: code ignored, swapped");

    /* ICMPv6 types are not ICMPv4 types: 128 is one-way under proto 1. */
    v4_tuple(&t, "5.6.7.8", "1.2.3.4", 1, 128, 0);
    manual_hex(&t, t.saddr, t.daddr, 128, 0, want);
    is_str(communityid_v1(&t, 0, false, got), want, "icmp type 128 is one-way for ICMPv4");

    /* Equal addresses: ports decide. */
    v4_tuple(&t, "10.0.0.1", "10.0.0.1", 6, 80, 1234);
    v4_tuple(&u, "10.0.0.1", "10.0.0.1", 6, 1234, 80);
    manual_hex(&t, t.saddr, t.saddr, 80, 1234, want);
    is_str(communityid_v1(&t, 0, false, got), want, "equal addresses: smaller port first");
    is_str(communityid_v1(&u, 0, false, got), want, "equal addresses: reverse direction");

    /* Address bytes compare unsigned: 128.0.0.1 sorts after 10.0.0.1. */
    v4_tuple(&t, "128.0.0.1", "10.0.0.1", 6, 1, 2);
    manual_hex(&t, t.daddr, t.saddr, 2, 1, want);
    is_str(communityid_v1(&t, 0, false, got), want, "addresses compare as unsigned bytes");

    /* Spec example: both directions order to 10.0.0.1, 127.0.0.1, 1234, 80. */
    v4_tuple(&t, "10.0.0.1", "127.0.0.1", 6, 1234, 80);
    v4_tuple(&u, "127.0.0.1", "10.0.0.1", 6, 80, 1234);
    manual_hex(&t, t.saddr, t.daddr, 1234, 80, want);
    is_str(communityid_v1(&u, 0, false, got), want, "spec ordering example");

    /* Output shape: "1:" + 28 base64 characters with one '=' of padding. */
    communityid_v1(&t, 0, true, got);
    is_int(strlen(got), 30, "base64 form is 30 characters");
    ok(got[29] == '=' && got[28] != '=', "base64 form ends with a single '='");
    is_int(strlen(communityid_v1(&t, 0, false, got)), 42, "hex form is 42 characters");

    /* Unsupported address length: the spec permits an empty ID. */
    t.addr_len = 6;
    is_str(communityid_v1(&t, 0, true, got), "", "bad addr_len gives empty string");
}

int
main(void)
{
    test_sha1();
    test_tables();
    test_baseline("baseline_deflt.json", 0, true);
    test_baseline("baseline_seed1.json", 1, true);
    test_baseline("baseline_nob64.json", 0, false);
    test_edges();
    return done_testing();
}
