/* rd.h - bounds-checked cursor over untrusted packet bytes.
 *
 * Every read of packet bytes in telexpose goes through these helpers (the
 * discipline of tcpdump's GET_U_1 family). The error flag is sticky: a read
 * past the end returns 0 and sets err, so a parser reads a whole header and
 * tests err once. No longjmp: callers may hold allocations while parsing.
 */
#ifndef TELEXPOSE_RD_H
#define TELEXPOSE_RD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct rd {
    const uint8_t *p;   /* next byte to read */
    const uint8_t *end; /* one past the last readable byte */
    bool err;           /* sticky: set by any read past end */
};

static inline struct rd
rd_init(const uint8_t *buf, size_t len)
{
    struct rd r = { buf, buf + len, false };
    return r;
}

static inline size_t
rd_left(const struct rd *r)
{
    return r->err ? 0 : (size_t)(r->end - r->p);
}

/* True when n more bytes can be read; never sets err. */
static inline bool
rd_has(const struct rd *r, size_t n)
{
    return !r->err && (size_t)(r->end - r->p) >= n;
}

static inline bool
rd_skip(struct rd *r, size_t n)
{
    if (!rd_has(r, n)) {
        r->err = true;
        r->p = r->end;
        return false;
    }
    r->p += n;
    return true;
}

static inline uint8_t
rd_u8(struct rd *r)
{
    if (!rd_has(r, 1)) {
        r->err = true;
        return 0;
    }
    return *r->p++;
}

static inline uint16_t
rd_be16(struct rd *r)
{
    if (!rd_has(r, 2)) {
        r->err = true;
        r->p = r->end;
        return 0;
    }
    uint16_t v = (uint16_t)((r->p[0] << 8) | r->p[1]);
    r->p += 2;
    return v;
}

static inline uint16_t
rd_le16(struct rd *r)
{
    if (!rd_has(r, 2)) {
        r->err = true;
        r->p = r->end;
        return 0;
    }
    uint16_t v = (uint16_t)((r->p[1] << 8) | r->p[0]);
    r->p += 2;
    return v;
}

static inline uint32_t
rd_be24(struct rd *r)
{
    if (!rd_has(r, 3)) {
        r->err = true;
        r->p = r->end;
        return 0;
    }
    uint32_t v = ((uint32_t)r->p[0] << 16) | ((uint32_t)r->p[1] << 8) | r->p[2];
    r->p += 3;
    return v;
}

static inline uint32_t
rd_be32(struct rd *r)
{
    if (!rd_has(r, 4)) {
        r->err = true;
        r->p = r->end;
        return 0;
    }
    uint32_t v = ((uint32_t)r->p[0] << 24) | ((uint32_t)r->p[1] << 16) |
                 ((uint32_t)r->p[2] << 8) | r->p[3];
    r->p += 4;
    return v;
}

static inline uint32_t
rd_le32(struct rd *r)
{
    if (!rd_has(r, 4)) {
        r->err = true;
        r->p = r->end;
        return 0;
    }
    uint32_t v = ((uint32_t)r->p[3] << 24) | ((uint32_t)r->p[2] << 16) |
                 ((uint32_t)r->p[1] << 8) | r->p[0];
    r->p += 4;
    return v;
}

/* Copy n bytes into dst; on a short buffer dst is zeroed and err set. */
static inline bool
rd_copy(struct rd *r, void *dst, size_t n)
{
    if (!rd_has(r, n)) {
        r->err = true;
        r->p = r->end;
        memset(dst, 0, n);
        return false;
    }
    memcpy(dst, r->p, n);
    r->p += n;
    return true;
}

/* Peek one byte at offset off from the cursor without moving it. */
static inline uint8_t
rd_peek_u8(struct rd *r, size_t off)
{
    if (!rd_has(r, off + 1)) {
        r->err = true;
        return 0;
    }
    return r->p[off];
}

/* Narrow the readable window to the next n bytes (a length field said so).
 * A length that runs past the buffer sets err. */
static inline bool
rd_limit(struct rd *r, size_t n)
{
    if (!rd_has(r, n)) {
        r->err = true;
        return false;
    }
    r->end = r->p + n;
    return true;
}

#endif /* TELEXPOSE_RD_H */
