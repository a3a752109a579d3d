/* fuzz_l2.c - libFuzzer target for lldp_parse(), hgmp_is_frame() and hgmp_parse().
 *
 * Reference: https://llvm.org/docs/LibFuzzer.html. Input byte 0 picks the
 * parser (even: LLDP, odd: HGMP); the rest is the PDU. Every observation is
 * checked: a field LLDP may emit, a value that is either packet bytes inside
 * the PDU (and without a trailing NUL) or a formatted MAC/address, and a
 * return value equal to the number of observations. A broken invariant
 * aborts.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "telexpose/ex_l2.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct check {
    const uint8_t *lo, *hi;   /* the PDU */
    int n;                    /* observations seen */
    bool saw_mac;             /* a chassis id formatted as a MAC */
    char mac[18];
};

/* True when v[0..len) consists of bytes from set only. */
static bool
only(const char *v, size_t len, const char *set)
{
    for (size_t i = 0; i < len; i++)
        if (v[i] == '\0' || strchr(set, v[i]) == NULL)
            return false;
    return true;
}

/* "aa:bb:cc:dd:ee:ff"; an IPv6 text never has this shape (six groups
 * need a "::"). */
static bool
is_mac_text(const char *v, size_t len)
{
    if (len != 17)
        return false;
    for (size_t i = 0; i < len; i++)
        if (i % 3 == 2 ? v[i] != ':' : !only(v + i, 1, "0123456789abcdef"))
            return false;
    return true;
}

static void
check_emit(void *user, enum sig_field field, const char *value, size_t len)
{
    struct check *c = user;
    const uint8_t *v = (const uint8_t *)value;
    bool inside = v >= c->lo && v <= c->hi && len <= (size_t)(c->hi - v);

    c->n++;
    if (len == 0 || len > 511)
        abort();
    switch (field) {
    case SIG_FIELD_LLDP_SYSTEM_NAME:
    case SIG_FIELD_LLDP_SYSTEM_DESCRIPTION:
    case SIG_FIELD_LLDP_PORT_DESCRIPTION:
        if (!inside || v[len - 1] == 0)
            abort();
        break;
    case SIG_FIELD_LLDP_CHASSIS_ID:
        if (inside) {
            if (v[len - 1] == 0)
                abort();
        } else if (is_mac_text(value, len)) {
            if (!c->saw_mac)
                memcpy(c->mac, value, 17);
            c->saw_mac = true;
        } else if (len > 45 || !only(value, len, "0123456789abcdef:.")) {
            abort();
        }
        break;
    case SIG_FIELD_LLDP_MANAGEMENT_ADDRESS:
        if (inside || len > 45 || !only(value, len, "0123456789abcdef:."))
            abort();
        break;
    default:
        abort();
    }
}

/* HGMP emits one fixed value. */
static void
hgmp_emit(void *user, enum sig_field field, const char *value, size_t len)
{
    int *n = user;

    if (field != SIG_FIELD_ETH_PROTOCOL || len != 4 || memcmp(value, "hgmp", 4) != 0)
        abort();
    (*n)++;
}

static int
fuzz_hgmp(const uint8_t *p, size_t len)
{
    static const uint8_t dst[6] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x0a };
    int n = 0;
    struct obs_sink sink = { hgmp_emit, &n };
    int r;

    /* the HGMP frame test on the first 8 bytes: EtherType, destination */
    if (len >= 8) {
        uint16_t et = (uint16_t)(p[0] << 8 | p[1]);
        bool want = et == EX_ETHERTYPE_HGMP && memcmp(p + 2, dst, 6) == 0;
        if (hgmp_is_frame(et, p + 2) != want)
            abort();
    }
    r = hgmp_parse(p, len, &sink);
    if (r != (len >= 4 ? 1 : -1) || n != (r > 0 ? 1 : 0))
        abort();
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p;
    size_t len;
    struct lldp_info info;
    struct check c;
    struct obs_sink sink = { check_emit, &c };
    int r;

    if (size < 1)
        return 0;
    p = data + 1;
    len = size - 1;
    if (data[0] & 1)
        return fuzz_hgmp(p, len);

    memset(&c, 0, sizeof(c));
    c.lo = p;
    c.hi = p + len;
    r = lldp_parse(p, len, &info, &sink);
    if (r < -1 || (r >= 0 && r != c.n))
        abort();
    if (info.mgmt.family != 0 && info.mgmt.family != 4 && info.mgmt.family != 6)
        abort();
    if (info.mgmt.family == 4) {
        static const uint8_t zero[12];
        if (memcmp(info.mgmt.a + 4, zero, sizeof(zero)) != 0)
            abort();
    }
    /* a chassis MAC in info was emitted as text: the first one seen */
    if (info.has_chassis_mac) {
        static const char hex[] = "0123456789abcdef";
        if (!c.saw_mac)
            abort();
        for (int i = 0; i < 6; i++)
            if (c.mac[3 * i] != hex[info.chassis_mac[i] >> 4] ||
                c.mac[3 * i + 1] != hex[info.chassis_mac[i] & 15])
                abort();
    }
    /* the same PDU without info or sink gives the same answer */
    if (lldp_parse(p, len, NULL, NULL) != r)
        abort();
    return 0;
}
