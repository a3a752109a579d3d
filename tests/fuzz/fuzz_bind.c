/* fuzz_bind.c - libFuzzer target for arp_parse() and nd_parse().
 *
 * Reference: https://llvm.org/docs/LibFuzzer.html. Input byte 0 picks the
 * mode: 0 ARP packet, 1 ICMPv6 message, 2 an Ethernet frame that goes
 * through decode_packet() first and reaches the parsers the way the extract
 * stage hands it over (the ARP body, or the ICMPv6 message at d->payload - 8,
 * which must lie inside the frame). Every result is checked against the
 * input: a failure leaves the info zeroed, a success reports bytes found
 * where the format puts them, and parsing is deterministic. A broken
 * invariant aborts.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "telexpose/decode.h"
#include "telexpose/ex_bind.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
all_zero(const void *p, size_t n)
{
    const uint8_t *b = p;

    for (size_t i = 0; i < n; i++)
        if (b[i] != 0)
            return false;
    return true;
}

static void
check_arp(const uint8_t *p, size_t n)
{
    struct arp_info a, again;
    int r = arp_parse(p, n, &a);

    if (arp_parse(p, n, &again) != r || memcmp(&a, &again, sizeof(a)) != 0)
        abort();
    if (r == -1) {
        if (!all_zero(&a, sizeof(a)))
            abort();
        return;
    }
    if (r != 0 || n < 28 || p[0] != 0 || p[1] != 1 || p[2] != 8 || p[3] != 0 || p[4] != 6 ||
        p[5] != 4)
        abort();
    if (a.op != (uint16_t)(p[6] << 8 | p[7]) || memcmp(a.sender_mac, p + 8, 6) != 0 ||
        memcmp(a.sender_ip, p + 14, 4) != 0 || memcmp(a.target_mac, p + 18, 6) != 0 ||
        memcmp(a.target_ip, p + 24, 4) != 0)
        abort();
    if (a.probe != all_zero(a.sender_ip, 4) || (a.probe && a.gratuitous) ||
        a.gratuitous != (!a.probe && memcmp(a.sender_ip, a.target_ip, 4) == 0))
        abort();
}

/* True when mac is an option body of type opt somewhere in p (at an even
 * offset after the fixed part, behind a type byte and a length of 1). */
static bool
has_option(const uint8_t *p, size_t n, size_t from, uint8_t opt, const uint8_t mac[6])
{
    for (size_t i = from; i + 8 <= n; i += 8)
        if (p[i] == opt && p[i + 1] == 1 && memcmp(p + i + 2, mac, 6) == 0)
            return true;
    return false;
}

static void
check_nd(const uint8_t *p, size_t n)
{
    struct nd_info d, again;
    int r = nd_parse(p, n, &d);
    size_t fixed;

    if (nd_parse(p, n, &again) != r || memcmp(&d, &again, sizeof(d)) != 0)
        abort();
    if (r == -1) {
        if (!all_zero(&d, sizeof(d)))
            abort();
        return;
    }
    if (r != 0 || n < 8 || d.type != p[0] || d.type < 133 || d.type > 136 || p[1] != 0)
        abort();
    fixed = d.type == 133 ? 8 : d.type == 134 ? 16 : 24;
    /* Options are whole 8-byte units, so a good message is too. */
    if (n < fixed || (n - fixed) % 8 != 0)
        abort();
    if (d.has_target != (d.type >= 135) ||
        (d.has_target && (memcmp(d.target, p + 8, 16) != 0 || d.target[0] == 0xff)) ||
        (!d.has_target && !all_zero(d.target, 16)))
        abort();
    if (d.type == 136) {
        if (d.router != !!(p[4] & 0x80) || d.solicited != !!(p[4] & 0x40) ||
            d.override != !!(p[4] & 0x20))
            abort();
    } else if (d.router || d.solicited || d.override) {
        abort();
    }
    if (d.has_source_ll ? !has_option(p, n, fixed, 1, d.source_ll) : !all_zero(d.source_ll, 6))
        abort();
    if (d.has_target_ll ? !has_option(p, n, fixed, 2, d.target_ll) : !all_zero(d.target_ll, 6))
        abort();
}

static void
check_frame(const uint8_t *p, size_t n)
{
    struct decoded_pkt d;
    enum decode_reason r = decode_packet(DECODE_DLT_EN10MB, p, (uint32_t)n, (uint32_t)n, &d);

    if (r == DECODE_NOT_IP && d.ethertype == EX_ETHERTYPE_ARP) {
        check_arp(d.l2_payload, d.l2_payload_len);
    } else if (r == DECODE_OK && d.proto == 58 && d.has_l4) {
        if (d.payload < p + 8 || d.payload + d.payload_len > p + n)
            abort();
        check_nd(d.payload - 8, d.payload_len + 8);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 65535)
        return 0;
    switch (data[0] % 3) {
    case 0:
        check_arp(data + 1, size - 1);
        break;
    case 1:
        check_nd(data + 1, size - 1);
        break;
    default:
        check_frame(data + 1, size - 1);
        break;
    }
    return 0;
}
