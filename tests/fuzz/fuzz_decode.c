/* fuzz_decode.c - libFuzzer target for decode_packet().
 *
 * Reference: https://llvm.org/docs/LibFuzzer.html. Input byte 0 picks the
 * link type (low nibble, modulo the supported set) and how many bytes the
 * "wire" had beyond the capture (high nibble * 64, to exercise snaplen
 * truncation); the rest is the frame. Every pointer decode_packet() returns
 * is checked to lie inside the frame and read in full, so ASan flags any bad
 * one; a broken invariant aborts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "telexpose/decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int dlts[] = {
    DECODE_DLT_EN10MB, DECODE_DLT_LINUX_SLL, DECODE_DLT_LINUX_SLL2,
    DECODE_DLT_RAW,    DECODE_DLT_RAW_LT,    DECODE_DLT_IPV4,
    DECODE_DLT_IPV6,   DECODE_DLT_NULL,      DECODE_DLT_LOOP,
};

/* Sum the n bytes at p, aborting unless they lie within [lo, hi). */
static unsigned
touch(const uint8_t *p, uint32_t n, const uint8_t *lo, const uint8_t *hi)
{
    unsigned sum = 0;

    if (p == NULL) {
        if (n != 0)
            abort();
        return 0;
    }
    if (p < lo || p > hi || n > (size_t)(hi - p))
        abort();
    for (uint32_t i = 0; i < n; i++)
        sum += p[i];
    return sum;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct decoded_pkt o;
    enum decode_reason r;
    const uint8_t *frame, *end;
    uint32_t caplen, wirelen;
    volatile unsigned sink;

    if (size < 1 || size - 1 > UINT32_MAX - 1024)
        return 0;
    frame = data + 1;
    caplen = (uint32_t)(size - 1);
    end = frame + caplen;
    wirelen = caplen + (uint32_t)(data[0] >> 4) * 64u;
    r = decode_packet(dlts[(data[0] & 0x0f) % (sizeof(dlts) / sizeof(dlts[0]))], frame, caplen,
                      wirelen, &o);
    if ((unsigned)r >= DECODE_REASON_COUNT || decode_reason_name(r) == NULL)
        abort();
    sink = touch(o.l2_payload, o.l2_payload_len, frame, end);
    sink += touch(o.l3, o.l3_len, frame, end);
    sink += touch(o.payload, o.payload_len, frame, end);
    if (r == DECODE_OK) {
        if (o.l3 == NULL || (o.ip_version != 4 && o.ip_version != 6))
            abort();
        if (o.payload != NULL && (o.payload < o.l3 || o.payload + o.payload_len > o.l3 + o.l3_len))
            abort();
        if ((o.tunnel == DECODE_TUNNEL_NONE) != (o.tunnel_depth == 0) ||
            o.tunnel_depth > DECODE_MAX_TUNNELS || o.vlan_count > DECODE_MAX_VLAN)
            abort();
        if (o.has_l4 && o.is_fragment && o.frag_offset != 0)
            abort();
    }
    (void)sink;
    return 0;
}
