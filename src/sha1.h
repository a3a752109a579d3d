/* sha1.h - minimal SHA-1 message digest (internal).
 *
 * Reference: FIPS 180-4, Secure Hash Standard, sections 5.1.1, 6.1.
 * SHA-1 is used here only because Community ID v1 mandates it; it is not
 * meant for anything security-relevant.
 */
#ifndef TELEXPOSE_SHA1_H
#define TELEXPOSE_SHA1_H

#include <stddef.h>
#include <stdint.h>

#define SHA1_DIGEST_LEN 20
#define SHA1_BLOCK_LEN 64

/* Streaming state; callers allocate it (usually on the stack) so the
 * module needs no heap and no shared state. */
struct sha1_ctx {
    uint32_t h[5];                 /* intermediate hash value H0..H4 */
    uint64_t total;                /* message length so far, in bytes */
    uint8_t block[SHA1_BLOCK_LEN]; /* pending partial block */
    size_t used;                   /* bytes valid in block */
};

void sha1_init(struct sha1_ctx *ctx);
void sha1_update(struct sha1_ctx *ctx, const void *data, size_t len);
void sha1_final(struct sha1_ctx *ctx, uint8_t out[SHA1_DIGEST_LEN]);

#endif /* TELEXPOSE_SHA1_H */
