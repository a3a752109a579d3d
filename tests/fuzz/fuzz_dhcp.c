/* fuzz_dhcp.c - libFuzzer target for dhcp4_parse() and dhcp6_parse().
 *
 * Reference: https://llvm.org/docs/LibFuzzer.html. Input byte 0 picks the
 * parser (even: DHCPv4, odd: DHCPv6); the rest is the UDP payload. Every
 * observation is checked: a field that version may emit, raw values lying
 * inside the message (and without a trailing NUL), formatted values in their
 * exact alphabet, nothing from server messages, and a return value equal to
 * the number of observations. A broken invariant aborts.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "telexpose/ex_dhcp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct check {
    const uint8_t *lo, *hi; /* the message */
    bool v6;
    int n;
};

static bool
only(const char *v, size_t len, const char *set)
{
    for (size_t i = 0; i < len; i++)
        if (v[i] == '\0' || strchr(set, v[i]) == NULL)
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
    if (len == 0)
        abort();
    switch (field) {
    case SIG_FIELD_DHCP_VENDOR_CLASS:
    case SIG_FIELD_DHCP_HOSTNAME:
        if (c->v6 || !inside || len > 255 || v[len - 1] == 0)
            abort();
        break;
    case SIG_FIELD_DHCP_VENDOR_INFO:
        if (c->v6 || !inside || len > 255)
            abort();
        for (size_t i = 0; i < len; i++)
            if (v[i] < 0x20 || v[i] > 0x7e)
                abort();
        break;
    case SIG_FIELD_DHCP_PARAM_LIST:
        /* 1..255 codes of 1-3 digits, commas between */
        if (c->v6 || inside || len > 255 * 4 - 1 || !only(value, len, "0123456789,") ||
            value[0] == ',' || value[len - 1] == ',')
            abort();
        break;
    case SIG_FIELD_DHCP_CLIENT_ID:
        if (c->v6 || inside || len % 3 != 2 || len > 255 * 3 - 1 ||
            !only(value, len, "0123456789abcdef:"))
            abort();
        for (size_t i = 2; i < len; i += 3)
            if (value[i] != ':')
                abort();
        break;
    case SIG_FIELD_DHCPV6_ENTERPRISE:
        if (!c->v6 || inside || len > 10 || !only(value, len, "0123456789") ||
            (len > 1 && value[0] == '0'))
            abort();
        break;
    case SIG_FIELD_DHCPV6_VENDOR_CLASS:
        if (!c->v6 || !inside || len > 65535 || v[len - 1] == 0)
            abort();
        break;
    default:
        abort();
    }
}

static bool
v6_client(uint8_t t)
{
    return t == 1 || t == 3 || t == 4 || t == 5 || t == 6 || t == 8 || t == 9 || t == 11;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct check c;
    struct obs_sink sink = { check_emit, &c };
    int r;

    if (size < 1)
        return 0;
    memset(&c, 0, sizeof(c));
    c.lo = data + 1;
    c.hi = data + size;
    c.v6 = data[0] & 1;
    if (!c.v6) {
        struct dhcp4_info info;

        r = dhcp4_parse(c.lo, size - 1, &info, &sink);
        if (r < -1 || (r >= 0 && r != c.n))
            abort();
        if (c.n > 0 && info.op != 1)
            abort();
        if (r >= 0 && info.op != 1 && info.op != 2)
            abort();
        if (dhcp4_parse(c.lo, size - 1, NULL, NULL) != r)
            abort();
    } else {
        struct dhcp6_info info;

        r = dhcp6_parse(c.lo, size - 1, &info, &sink);
        if (r < -1 || (r >= 0 && r != c.n))
            abort();
        if ((c.n > 0 || info.has_duid_mac) && !v6_client(info.msg_type))
            abort();
        if (dhcp6_parse(c.lo, size - 1, NULL, NULL) != r)
            abort();
    }
    return 0;
}
