/* ring.h - a bounded single-producer single-consumer queue of variable-length
 * records, between two threads (capture -> worker, worker -> model).
 *
 * No lock on the fast path: the producer publishes with a release store of
 * its tail, the consumer with one of its head. A side that finds the ring
 * full (producer) or empty (consumer) sleeps on a bell; the other side rings
 * it only when someone sleeps there, so a busy pipeline makes no system
 * calls. One bell may serve several rings (a consumer reading many).
 */
#ifndef TELEXPOSE_RING_H
#define TELEXPOSE_RING_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where a thread sleeps until a ring it waits on changes. */
struct ring_bell {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int sleeping;          /* atomic: a thread waits (or is about to) */
};

void ring_bell_init(struct ring_bell *b);
void ring_bell_destroy(struct ring_bell *b);

/* Ring b (after publishing something its sleeper waits for). */
void ring_bell_ring(struct ring_bell *b);

/* Sleep on b until rung or timeout_ms passed, unless ready(arg) says the
 * wait is over (checked after announcing the sleep, so no ring is missed). */
void ring_bell_wait(struct ring_bell *b, bool (*ready)(void *arg), void *arg, int timeout_ms);

struct ring {
    uint8_t *buf;
    size_t cap;                /* bytes, a power of two */
    size_t head;               /* atomic: consumer position (bytes ever read) */
    size_t tail;               /* atomic: producer position (bytes ever published) */
    size_t ptail;              /* producer only: reserved, not yet published */
    size_t clen;               /* consumer only: bytes of the record peeked */
    struct ring_bell *cons_bell; /* the consumer sleeps here (not owned) */
    struct ring_bell prod_bell;  /* the producer sleeps here when full */
};

/* cap bytes (rounded up to a power of two, at least 4096); cons_bell (not
 * owned) must outlive r. The buffer is owned by r. */
void ring_init(struct ring *r, size_t cap, struct ring_bell *cons_bell);
void ring_destroy(struct ring *r);

/* Largest record ring_reserve() accepts. */
size_t ring_max_record(const struct ring *r);

/* Producer: room for a record of len bytes (<= ring_max_record), 8-aligned,
 * or NULL when the ring is full now. The record becomes visible at the
 * next ring_publish(). */
void *ring_reserve(struct ring *r, size_t len);

/* Producer: as ring_reserve, sleeping until there is room. */
void *ring_reserve_wait(struct ring *r, size_t len);

/* Producer: make the reserved records visible and wake the consumer if it
 * sleeps. Cheap enough per record; batching saves cache traffic. */
void ring_publish(struct ring *r);

/* Consumer: the oldest published record and its length, or NULL when none. */
void *ring_peek(struct ring *r, size_t *len);

/* Consumer: done with the record ring_peek returned. */
void ring_release(struct ring *r);

/* Consumer: nothing published is unread. */
bool ring_empty(const struct ring *r);

#endif /* TELEXPOSE_RING_H */
