/* fuzz_eui64.c - libFuzzer target for eui64_to_mac().
 *
 * Reference: https://llvm.org/docs/LibFuzzer.html, RFC 4291 appendix A. The
 * first 16 input bytes are the address. The result is checked against an
 * independent statement of the rule: true exactly when the address is not
 * multicast or IPv4-embedded, bytes 11-12 are ff fe, and the flipped first
 * byte names a universal unicast MAC; then the MAC is the id minus ff fe
 * with the bit flipped. On false the output must be untouched.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "telexpose/ex_eui64.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t zero[10];
    uint8_t addr[16], mac[6], sentinel[6];
    bool v4embed, want, got;

    if (size < 16)
        return 0;
    memcpy(addr, data, 16);
    memset(sentinel, 0x5a ^ (size & 0xff), sizeof(sentinel));
    memcpy(mac, sentinel, sizeof(mac));
    got = eui64_to_mac(addr, mac);

    v4embed = memcmp(addr, zero, 10) == 0 &&
              ((addr[10] == 0 && addr[11] == 0) || (addr[10] == 0xff && addr[11] == 0xff));
    want = addr[0] != 0xff && !v4embed && addr[11] == 0xff && addr[12] == 0xfe &&
           ((addr[8] ^ 0x02) & 0x03) == 0;
    if (got != want)
        abort();
    if (!got) {
        if (memcmp(mac, sentinel, sizeof(mac)) != 0)
            abort();
        return 0;
    }
    if (mac[0] != (addr[8] ^ 0x02) || mac[1] != addr[9] || mac[2] != addr[10] ||
        mac[3] != addr[13] || mac[4] != addr[14] || mac[5] != addr[15])
        abort();
    if (mac[0] & 0x03)
        abort();
    return 0;
}
