/* pkt_writer.h - building test packets byte by byte, for the unit tests of
 * the decoders and extractors. Writes past the buffer abort: a test that
 * overflows its own packet is a broken test, not a finding.
 *
 * Define PKT_WRITER_MAX before including to change the buffer size.
 */
#ifndef TELEXPOSE_PKT_WRITER_H
#define TELEXPOSE_PKT_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifndef PKT_WRITER_MAX
#define PKT_WRITER_MAX 4096
#endif

struct pkt {
    uint8_t b[PKT_WRITER_MAX];
    size_t n;
    size_t cut[64]; /* offsets marked with mark(): where an option/TLV ends */
    int ncut;
};

static inline void
put8(struct pkt *p, unsigned v)
{
    if (p->n >= sizeof(p->b))
        abort();
    p->b[p->n++] = (uint8_t)v;
}

static inline void
put16(struct pkt *p, unsigned v)
{
    put8(p, v >> 8);
    put8(p, v & 0xff);
}

static inline void
put24(struct pkt *p, size_t v)
{
    put8(p, (unsigned)(v >> 16) & 0xff);
    put16(p, (unsigned)v & 0xffff);
}

static inline void
put32(struct pkt *p, uint32_t v)
{
    put16(p, v >> 16);
    put16(p, v & 0xffff);
}

static inline void
putn(struct pkt *p, const void *d, size_t n)
{
    if (n > sizeof(p->b) - p->n)
        abort();
    if (n)
        memcpy(p->b + p->n, d, n);
    p->n += n;
}

/* Remember the current length as a boundary (for truncation tests). */
static inline void
mark(struct pkt *p)
{
    if (p->ncut >= (int)(sizeof(p->cut) / sizeof(p->cut[0])))
        abort();
    p->cut[p->ncut++] = p->n;
}

static inline bool
is_cut(const struct pkt *p, size_t off)
{
    for (int i = 0; i < p->ncut; i++)
        if (p->cut[i] == off)
            return true;
    return false;
}

#endif /* TELEXPOSE_PKT_WRITER_H */
