/* ring.c - bounded SPSC queue of variable-length records (see ring.h).
 *
 * Positions only grow; a position modulo cap is an offset. A record is an
 * 8-byte header (its length) and its bytes rounded up to 8, never split at
 * the end of the buffer: a pad header sends the reader back to offset 0.
 * Publishing and the sleep flags use sequentially consistent atomics, so a
 * side that announces its sleep and then rechecks cannot miss a publish.
 */
#include "telexpose/ring.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "telexpose/xalloc.h"

#define HDR 8u
#define PAD_MARK 0xffffffffu

static size_t
round8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

void
ring_bell_init(struct ring_bell *b)
{
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&b->mu, NULL);
    pthread_cond_init(&b->cv, &ca);
    pthread_condattr_destroy(&ca);
    b->sleeping = 0;
}

void
ring_bell_destroy(struct ring_bell *b)
{
    pthread_mutex_destroy(&b->mu);
    pthread_cond_destroy(&b->cv);
}

void
ring_bell_ring(struct ring_bell *b)
{
    if (!__atomic_load_n(&b->sleeping, __ATOMIC_SEQ_CST))
        return;
    pthread_mutex_lock(&b->mu);
    pthread_cond_broadcast(&b->cv);
    pthread_mutex_unlock(&b->mu);
}

void
ring_bell_wait(struct ring_bell *b, bool (*ready)(void *arg), void *arg, int timeout_ms)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&b->mu);
    __atomic_store_n(&b->sleeping, 1, __ATOMIC_SEQ_CST);
    /* A ringer that saw sleeping == 1 needs the mutex to signal, which it
     * gets only once this thread waits: the signal cannot fall between. */
    if (!ready(arg))
        pthread_cond_timedwait(&b->cv, &b->mu, &until);
    __atomic_store_n(&b->sleeping, 0, __ATOMIC_SEQ_CST);
    pthread_mutex_unlock(&b->mu);
}

void
ring_init(struct ring *r, size_t cap, struct ring_bell *cons_bell)
{
    size_t c = 4096;
    while (c < cap)
        c <<= 1;
    memset(r, 0, sizeof(*r));
    r->buf = xmalloc(c);
    r->cap = c;
    r->cons_bell = cons_bell;
    ring_bell_init(&r->prod_bell);
}

void
ring_destroy(struct ring *r)
{
    free(r->buf);
    r->buf = NULL;
    ring_bell_destroy(&r->prod_bell);
}

size_t
ring_max_record(const struct ring *r)
{
    return r->cap / 2 - HDR;
}

void *
ring_reserve(struct ring *r, size_t len)
{
    if (len > ring_max_record(r))
        return NULL;
    size_t need = HDR + round8(len);
    size_t off = r->ptail & (r->cap - 1);
    size_t contig = r->cap - off;
    size_t total = need > contig ? contig + need : need;
    size_t head = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);
    if (total > r->cap - (r->ptail - head))
        return NULL;
    if (need > contig) {
        uint32_t pad = PAD_MARK;
        memcpy(r->buf + off, &pad, sizeof(pad));
        r->ptail += contig;
        off = 0;
    }
    uint32_t l = (uint32_t)len;
    memcpy(r->buf + off, &l, sizeof(l));
    r->ptail += need;
    return r->buf + off + HDR;
}

struct room_arg {
    struct ring *r;
    size_t len;
};

static bool
has_room(void *arg)
{
    const struct room_arg *a = arg;
    size_t need = HDR + round8(a->len);
    size_t contig = a->r->cap - (a->r->ptail & (a->r->cap - 1));
    size_t total = need > contig ? contig + need : need;
    size_t head = __atomic_load_n(&a->r->head, __ATOMIC_SEQ_CST);
    return total <= a->r->cap - (a->r->ptail - head);
}

void *
ring_reserve_wait(struct ring *r, size_t len)
{
    for (;;) {
        void *p = ring_reserve(r, len);
        if (p != NULL || len > ring_max_record(r))
            return p;
        /* The consumer may be asleep on records we reserved but did not
         * publish yet: publish before sleeping. */
        ring_publish(r);
        struct room_arg a = { r, len };
        ring_bell_wait(&r->prod_bell, has_room, &a, 100);
    }
}

void
ring_publish(struct ring *r)
{
    if (__atomic_load_n(&r->tail, __ATOMIC_RELAXED) == r->ptail)
        return;
    __atomic_store_n(&r->tail, r->ptail, __ATOMIC_SEQ_CST);
    ring_bell_ring(r->cons_bell);
}

void *
ring_peek(struct ring *r, size_t *len)
{
    size_t head = r->head;
    size_t tail = __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE);
    if (head == tail)
        return NULL;
    size_t off = head & (r->cap - 1);
    uint32_t l;
    memcpy(&l, r->buf + off, sizeof(l));
    if (l == PAD_MARK) {
        head += r->cap - off;
        __atomic_store_n(&r->head, head, __ATOMIC_SEQ_CST);
        if (head == tail)
            return NULL;
        off = 0;
        memcpy(&l, r->buf, sizeof(l));
    }
    r->clen = l;
    *len = l;
    return r->buf + off + HDR;
}

void
ring_release(struct ring *r)
{
    size_t head = r->head + HDR + round8(r->clen);
    __atomic_store_n(&r->head, head, __ATOMIC_SEQ_CST);
    ring_bell_ring(&r->prod_bell);
}

bool
ring_empty(const struct ring *r)
{
    return __atomic_load_n(&r->head, __ATOMIC_RELAXED) ==
           __atomic_load_n(&r->tail, __ATOMIC_SEQ_CST);
}
