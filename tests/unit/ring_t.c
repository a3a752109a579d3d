/* ring_t.c - the SPSC record ring: order, content, wrap, full and empty,
 * and two threads pushing records through a small ring. */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "telexpose/ring.h"

#include "tap.h"

#define N_RECORDS 200000

static struct ring_bell bell;
static struct ring ring;

static size_t
len_of(uint32_t seq)
{
    return 4 + (seq * 2654435761u >> 7) % 700; /* 4..703 bytes */
}

static void
fill(uint8_t *p, size_t len, uint32_t seq)
{
    memcpy(p, &seq, 4);
    for (size_t i = 4; i < len; i++)
        p[i] = (uint8_t)(seq + i);
}

static bool
check(const uint8_t *p, size_t len, uint32_t seq)
{
    uint32_t got;
    memcpy(&got, p, 4);
    if (got != seq || len != len_of(seq))
        return false;
    for (size_t i = 4; i < len; i++)
        if (p[i] != (uint8_t)(seq + i))
            return false;
    return true;
}

static void *
producer(void *arg)
{
    (void)arg;
    for (uint32_t s = 0; s < N_RECORDS; s++) {
        size_t len = len_of(s);
        uint8_t *p = ring_reserve_wait(&ring, len);
        fill(p, len, s);
        if (s % 7 == 0)
            ring_publish(&ring);
    }
    ring_publish(&ring);
    return NULL;
}

static bool
not_empty(void *arg)
{
    return !ring_empty(arg);
}

static void
test_single_thread(void)
{
    struct ring_bell b;
    struct ring r;
    ring_bell_init(&b);
    ring_init(&r, 100, &b);
    ok(r.cap == 4096, "capacity rounds up to 4096 (got %zu)", r.cap);
    ok(ring_max_record(&r) == 2040, "largest record is half the ring less a header");
    ok(ring_reserve(&r, 2041) == NULL, "a record over the limit is refused");
    size_t len;
    ok(ring_peek(&r, &len) == NULL && ring_empty(&r), "a new ring is empty");
    uint8_t *p = ring_reserve(&r, 5);
    memcpy(p, "hello", 5);
    ok(ring_peek(&r, &len) == NULL, "a reserved record is invisible until published");
    ring_publish(&r);
    p = ring_peek(&r, &len);
    ok(p != NULL && len == 5 && memcmp(p, "hello", 5) == 0, "the published record reads back");
    ring_release(&r);
    ok(ring_empty(&r), "empty after release");
    /* Fill it: 1000-byte records take 1008; four fit in 4096 with the first one read. */
    int n = 0;
    while (ring_reserve(&r, 1000) != NULL)
        n++;
    ok(n == 4, "a full ring refuses more records (%d fitted)", n);
    ring_publish(&r);
    int got = 0;
    while (ring_peek(&r, &len) != NULL) {
        got += len == 1000;
        ring_release(&r);
    }
    ok(got == 4, "all four read back");
    /* Wrap: the write position is mid-buffer now; a record that does not fit
     * before the end goes to offset 0 behind a pad. */
    for (uint32_t s = 0; s < 50; s++) {
        size_t l = len_of(s);
        p = ring_reserve(&r, l);
        if (p == NULL)
            break;
        fill(p, l, s);
        ring_publish(&r);
        const uint8_t *q = ring_peek(&r, &len);
        if (q == NULL || !check(q, len, s))
            break;
        ring_release(&r);
        got = (int)s + 1;
    }
    ok(got == 50, "50 records of varied length through the wrap, in order (%d)", got);
    ring_destroy(&r);
    ring_bell_destroy(&b);
}

static void
test_two_threads(void)
{
    ring_bell_init(&bell);
    ring_init(&ring, 8192, &bell);
    pthread_t t;
    pthread_create(&t, NULL, producer, NULL);
    uint32_t want = 0;
    bool good = true;
    while (want < N_RECORDS && good) {
        size_t len;
        const uint8_t *p = ring_peek(&ring, &len);
        if (p == NULL) {
            ring_bell_wait(&bell, not_empty, &ring, 100);
            continue;
        }
        good = check(p, len, want);
        want++;
        ring_release(&ring);
    }
    pthread_join(t, NULL);
    ok(good && want == N_RECORDS, "%d records through an 8 KiB ring between two threads, "
       "in order and intact (stopped at %u)", N_RECORDS, want);
    ok(ring_empty(&ring), "nothing left over");
    ring_destroy(&ring);
    ring_bell_destroy(&bell);
}

int
main(void)
{
    test_single_thread();
    test_two_threads();
    return done_testing();
}
