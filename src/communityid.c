/* communityid.c - Community ID flow hashing, version 1.
 *
 * Reference: https://github.com/corelight/community-id-spec (README, baseline/)
 * and the ICMP/ICMPv6 type mapping it defers to (Zeek ICMP analyzer, mirrored
 * by pycommunityid communityid/icmp.py and icmp6.py).
 */
#include "telexpose/communityid.h"

#include <string.h>

#include "sha1.h"

#define PROTO_ICMP 1
#define PROTO_ICMPV6 58

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* seed(2) + 2 * addr(16) + proto(1) + pad(1) + 2 * port(2) */
#define HASH_INPUT_MAX 40

/* Request/response type pairs for which Zeek (and so Community ID) maps the
 * ICMP code slot to the counterpart type, making both directions one flow.
 * Every other type has no reply to pair with: it is one-way, keeps its code
 * in the "destination port" slot and is never swapped, so its ID follows the
 * packet's own direction. */
static const uint8_t icmp4_pairs[][2] = {
    {8, 0},   /* echo request / echo reply */
    {13, 14}, /* timestamp / timestamp reply */
    {15, 16}, /* information request / reply */
    {10, 9},  /* router solicitation / router advertisement */
    {17, 18}, /* address mask request / reply */
};

static const uint8_t icmp6_pairs[][2] = {
    {128, 129}, /* echo request / echo reply */
    {130, 131}, /* MLD listener query / MLDv1 report (MLDv2 report 143: one-way) */
    {133, 134}, /* ND router solicitation / advertisement */
    {135, 136}, /* ND neighbor solicitation / advertisement */
    {139, 140}, /* node information query / reply ("who are you") */
    {144, 145}, /* home agent address discovery request / reply */
};

/* Returns true and sets *counter when type belongs to a two-way pair. */
static bool
icmp_counterpart(const uint8_t (*pairs)[2], size_t npairs, uint16_t type, uint16_t *counter)
{
    for (size_t i = 0; i < npairs; i++) {
        if (type == pairs[i][0]) {
            *counter = pairs[i][1];
            return true;
        }
        if (type == pairs[i][1]) {
            *counter = pairs[i][0];
            return true;
        }
    }
    return false;
}

static size_t
put_be16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
    return 2;
}

/* RFC 4648 section 4 base64 with '=' padding; out needs 4*ceil(n/3)+1. */
static void
base64_encode(const uint8_t *in, size_t n, char *out)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i = 0;

    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        *out++ = alphabet[(v >> 18) & 63];
        *out++ = alphabet[(v >> 12) & 63];
        *out++ = alphabet[(v >> 6) & 63];
        *out++ = alphabet[v & 63];
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)in[i] << 16;
        *out++ = alphabet[(v >> 18) & 63];
        *out++ = alphabet[(v >> 12) & 63];
        *out++ = '=';
        *out++ = '=';
    } else if (n - i == 2) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
        *out++ = alphabet[(v >> 18) & 63];
        *out++ = alphabet[(v >> 12) & 63];
        *out++ = alphabet[(v >> 6) & 63];
        *out++ = '=';
    }
    *out = '\0';
}

static void
hex_encode(const uint8_t *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        *out++ = digits[in[i] >> 4];
        *out++ = digits[in[i] & 15];
    }
    *out = '\0';
}

char *
communityid_v1(const struct communityid_tuple *t, uint16_t seed, bool base64, char *out)
{
    uint8_t buf[HASH_INPUT_MAX];
    uint8_t digest[SHA1_DIGEST_LEN];
    struct sha1_ctx ctx;
    const uint8_t *a = t->saddr, *b = t->daddr;
    uint16_t pa = t->sport, pb = t->dport;
    bool one_way = false;
    size_t n = 0;

    /* The spec allows an empty string for tuples it does not cover; an
     * address family other than v4/v6 is such a tuple. */
    if (t->addr_len != 4 && t->addr_len != 16) {
        out[0] = '\0';
        return out;
    }

    if (t->has_ports && (t->proto == PROTO_ICMP || t->proto == PROTO_ICMPV6)) {
        uint16_t counter;
        bool two_way = t->proto == PROTO_ICMP
                           ? icmp_counterpart(icmp4_pairs, ARRAY_LEN(icmp4_pairs), t->sport,
                                              &counter)
                           : icmp_counterpart(icmp6_pairs, ARRAY_LEN(icmp6_pairs), t->sport,
                                              &counter);
        if (two_way)
            pb = counter;
        else
            one_way = true; /* (type, code) kept as-is */
    }

    /* Smaller (address, port) first: address bytes compared as unsigned
     * big-endian, ports only break ties. One-way ICMP keeps packet order. */
    if (!one_way) {
        int c = memcmp(a, b, t->addr_len);
        if (c > 0 || (c == 0 && t->has_ports && pa > pb)) {
            const uint8_t *ta = a;
            uint16_t tp = pa;
            a = b;
            b = ta;
            pa = pb;
            pb = tp;
        }
    }

    n += put_be16(buf + n, seed);
    memcpy(buf + n, a, t->addr_len);
    n += t->addr_len;
    memcpy(buf + n, b, t->addr_len);
    n += t->addr_len;
    buf[n++] = t->proto;
    buf[n++] = 0; /* padding keeps the input 32-bit aligned */
    if (t->has_ports) {
        n += put_be16(buf + n, pa);
        n += put_be16(buf + n, pb);
    }

    sha1_init(&ctx);
    sha1_update(&ctx, buf, n);
    sha1_final(&ctx, digest);

    out[0] = '1';
    out[1] = ':';
    if (base64)
        base64_encode(digest, sizeof(digest), out + 2);
    else
        hex_encode(digest, sizeof(digest), out + 2);
    return out;
}
