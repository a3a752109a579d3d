/* sha1.c - minimal SHA-1 message digest.
 *
 * Reference: FIPS 180-4, Secure Hash Standard (sections 4.1.1, 4.2.1, 5.1.1,
 * 5.3.1, 6.1.2). Straightforward, portable, byte-order independent.
 */
#include "sha1.h"

#include <string.h>

static uint32_t
rotl32(uint32_t x, unsigned n)
{
    return (x << n) | (x >> (32u - n));
}

static uint32_t
load_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void
store_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* Process one 512-bit block (FIPS 180-4 6.1.2). A rolling 16-word schedule
 * is used instead of the full 80 words to keep the stack small. */
static void
sha1_compress(uint32_t h[5], const uint8_t *blk)
{
    uint32_t w[16];
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];

    for (int t = 0; t < 16; t++)
        w[t] = load_be32(blk + 4 * t);

    for (int t = 0; t < 80; t++) {
        uint32_t f, k, tmp;
        if (t >= 16) {
            uint32_t x = w[(t - 3) & 15] ^ w[(t - 8) & 15] ^ w[(t - 14) & 15] ^ w[t & 15];
            w[t & 15] = rotl32(x, 1);
        }
        if (t < 20) {
            f = (b & c) | (~b & d); /* Ch */
            k = 0x5a827999u;
        } else if (t < 40) {
            f = b ^ c ^ d; /* Parity */
            k = 0x6ed9eba1u;
        } else if (t < 60) {
            f = (b & c) | (b & d) | (c & d); /* Maj */
            k = 0x8f1bbcdcu;
        } else {
            f = b ^ c ^ d;
            k = 0xca62c1d6u;
        }
        tmp = rotl32(a, 5) + f + e + k + w[t & 15];
        e = d;
        d = c;
        c = rotl32(b, 30);
        b = a;
        a = tmp;
    }

    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
}

void
sha1_init(struct sha1_ctx *ctx)
{
    /* Initial hash value, FIPS 180-4 5.3.1. */
    ctx->h[0] = 0x67452301u;
    ctx->h[1] = 0xefcdab89u;
    ctx->h[2] = 0x98badcfeu;
    ctx->h[3] = 0x10325476u;
    ctx->h[4] = 0xc3d2e1f0u;
    ctx->total = 0;
    ctx->used = 0;
}

void
sha1_update(struct sha1_ctx *ctx, const void *data, size_t len)
{
    const uint8_t *p = data;

    ctx->total += len;

    /* Top up a pending partial block first so blocks stay contiguous. */
    if (ctx->used > 0) {
        size_t n = SHA1_BLOCK_LEN - ctx->used;
        if (n > len)
            n = len;
        memcpy(ctx->block + ctx->used, p, n);
        ctx->used += n;
        p += n;
        len -= n;
        if (ctx->used < SHA1_BLOCK_LEN)
            return;
        sha1_compress(ctx->h, ctx->block);
        ctx->used = 0;
    }

    /* Whole blocks straight from the caller's buffer: no copy needed. */
    while (len >= SHA1_BLOCK_LEN) {
        sha1_compress(ctx->h, p);
        p += SHA1_BLOCK_LEN;
        len -= SHA1_BLOCK_LEN;
    }

    if (len > 0) {
        memcpy(ctx->block, p, len);
        ctx->used = len;
    }
}

void
sha1_final(struct sha1_ctx *ctx, uint8_t out[SHA1_DIGEST_LEN])
{
    /* Padding (FIPS 180-4 5.1.1): 0x80, zeros, then the bit length as a
     * 64-bit big-endian integer, ending exactly on a block boundary. */
    uint64_t bits = ctx->total * 8u;

    ctx->block[ctx->used++] = 0x80;
    if (ctx->used > SHA1_BLOCK_LEN - 8) {
        memset(ctx->block + ctx->used, 0, SHA1_BLOCK_LEN - ctx->used);
        sha1_compress(ctx->h, ctx->block);
        ctx->used = 0;
    }
    memset(ctx->block + ctx->used, 0, SHA1_BLOCK_LEN - 8 - ctx->used);
    store_be32(ctx->block + 56, (uint32_t)(bits >> 32));
    store_be32(ctx->block + 60, (uint32_t)bits);
    sha1_compress(ctx->h, ctx->block);

    for (int i = 0; i < 5; i++)
        store_be32(out + 4 * i, ctx->h[i]);

    /* Leave no message-derived state behind in the caller's context. */
    memset(ctx, 0, sizeof(*ctx));
}
