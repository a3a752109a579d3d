/* prefix.h - comparing address prefixes bit by bit (CIDR networks in the
 * vendor-network writer and packs, --home-net). */
#ifndef TELEXPOSE_PREFIX_H
#define TELEXPOSE_PREFIX_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* True when the first bits bits of a and b agree (both at least
 * (bits + 7) / 8 bytes long). */
static inline bool
prefix_equal(const uint8_t *a, const uint8_t *b, unsigned bits)
{
    unsigned whole = bits / 8, rest = bits % 8;
    if (memcmp(a, b, whole) != 0)
        return false;
    if (rest == 0)
        return true;
    uint8_t mask = (uint8_t)(0xFF00u >> rest);
    return (a[whole] & mask) == (b[whole] & mask);
}

#endif /* TELEXPOSE_PREFIX_H */
