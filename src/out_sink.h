/* out_sink.h - the event outputs behind the writer (internal; docs/outputs.md).
 *
 * The writer thread (out_json.c) formats each event into one line and hands
 * it to every sink with out_sink_write(). Files and standard output are
 * written there and then (they block: an offline read never loses a line).
 * Network sinks (unix sockets, syslog, redis) copy the line into a bounded
 * queue that their own thread delivers; a full queue or a missing
 * connection drops the line and counts it, so they never stall capture.
 */
#ifndef TELEXPOSE_OUT_SINK_H
#define TELEXPOSE_OUT_SINK_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "telexpose/out_json.h"

#define OUT_SINK_QLINES 16384          /* lines queued per network output */
#define OUT_SINK_QBYTES (16u << 20)    /* bytes queued per network output */
#define OUT_SINK_BATCH 256             /* lines a network thread takes at once */
#define OUT_SINK_GRACE_MS 2000         /* out_close: time left to deliver the queue */
#define OUT_SINK_BACKOFF_MIN_MS 100    /* reconnect delay, doubling ... */
#define OUT_SINK_BACKOFF_MAX_MS 2000   /* ... up to this */
#define OUT_SINK_CONNECT_WAIT_MS 1000  /* open waits this long for a first connection */

enum out_sink_kind {
    OUT_SINK_STDOUT,
    OUT_SINK_FILE,
    OUT_SINK_UNIX_STREAM,
    OUT_SINK_UNIX_DGRAM,
    OUT_SINK_SYSLOG,
    OUT_SINK_REDIS,
};

/* A parsed -o SPEC. */
struct out_sink_spec {
    enum out_sink_kind kind;
    char path[4096];       /* file, unix-stream, unix-dgram */
    int facility;          /* syslog: LOG_LOCAL5 unless given */
    char host[256];        /* redis */
    int port;
    bool channel;          /* redis: PUBLISH, not RPUSH */
    char key[512];
};

/* The forms out_sink_parse() accepts, for error messages. */
extern const char out_sink_forms[];

/* Parse spec into *sp. -1 and errbuf (naming spec, listing the forms) when
 * it is not one of them. */
int out_sink_parse(const char *spec, struct out_sink_spec *sp, char *errbuf, size_t errlen);

/* One queued line (network sinks): p is owned by the queue, then by the
 * thread that popped it. n counts the trailing '\n'. */
struct out_line {
    char *p;
    size_t n;
};

struct out_sink {
    struct out_sink_spec spec;
    char *name;                    /* the spec as given (owned) */
    _Atomic uint64_t written;
    _Atomic uint64_t dropped;
    _Atomic uint64_t errors;
    atomic_bool connected;

    /* file and stdout: used by the writer thread only */
    FILE *fp;                      /* stdout is not owned */
    char *stdio_buf;               /* fp's buffer (owned) */
    bool dirty;                    /* written since the last fflush */
    bool failed;                   /* a write failed: sticky, reported at close */
    int err;                       /* errno of the first failure */

    /* network: queue and flags under mu */
    bool threaded;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;             /* lines queued, stop asked, first attempt done */
    struct out_line *q;            /* OUT_SINK_QLINES slots */
    size_t qhead, qcount, qbytes;
    bool attempted;                /* the first connection attempt is over */
    bool stopping;
    struct timespec deadline;      /* CLOCK_MONOTONIC: give up delivering then */
    void *remote;                  /* the thread's connection state (out_remote.c) */
};

/* Open the output described by spec (NULL: standard output; a plain path,
 * or "-"), truncating files. The caller owns the sink: out_sink_stop() then
 * out_sink_close(). NULL + errbuf on a bad spec or an unopenable file. */
struct out_sink *out_sink_open(const char *spec, bool plain_path, char *errbuf, size_t errlen);

/* Hand line[0..n) (ending in '\n') to s. Files: written now; network: queued
 * or dropped. Called by the writer thread only. */
void out_sink_write(struct out_sink *s, const char *line, size_t n);

/* Files: reopen by path, appending (logrotate moved the file). The old
 * file stays in use when the new one cannot be opened. */
void out_sink_reopen(struct out_sink *s);

/* Files: fflush when something was written since the last flush. */
void out_sink_flush(struct out_sink *s);

/* Network: ask the thread to deliver what is queued within grace_ms, then
 * stop. Returns at once (so all sinks share the grace). */
void out_sink_stop(struct out_sink *s, int grace_ms);

/* Join, close, free. Returns 0, or -1 and errbuf (naming the file) when a
 * file write failed. */
int out_sink_close(struct out_sink *s, char *errbuf, size_t errlen);

void out_sink_stat(const struct out_sink *s, struct out_sink_stat *st);

/* For the network threads (out_sink.c, out_remote.c). */

/* Take up to max queued lines into out, waiting up to wait_ms for one.
 * Returns how many; 0 with *quit set when stopping and the queue is empty
 * or the deadline passed. */
size_t out_sink_pop(struct out_sink *s, struct out_line *out, size_t max, int wait_ms,
                    bool *quit);

/* Mark s connected or not; going down drops (and counts) what is queued. */
void out_sink_set_connected(struct out_sink *s, bool up);

/* The first connection attempt is over (out_sink_open stops waiting). */
void out_sink_attempted(struct out_sink *s);

/* A connection attempt failed: count it, then wait *backoff_ms (doubled for
 * the next time, up to OUT_SINK_BACKOFF_MAX_MS). True when stopping. */
bool out_sink_connect_failed(struct out_sink *s, int *backoff_ms);

/* A connection is up: mark it and reset *backoff_ms. */
void out_sink_connected(struct out_sink *s, int *backoff_ms);

/* Sleep ms unless asked to stop; returns true when stopping. */
bool out_sink_sleep(struct out_sink *s, int ms);

/* True once stopping and the close deadline has passed. */
bool out_sink_past_deadline(struct out_sink *s);

/* Free lines[0..n) and count them dropped. */
void out_sink_drop(struct out_sink *s, struct out_line *lines, size_t n);

/* The redis thread (out_remote.c); arg is the sink. */
void *out_redis_main(void *arg);

#endif /* TELEXPOSE_OUT_SINK_H */
