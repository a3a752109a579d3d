/* out_remote.c - the redis output: events RPUSHed to a list or PUBLISHed on
 * a channel, as Suricata's redis output does, so that many sensors feed one
 * pipeline. Its own thread, blocking hiredis calls bounded by timeouts,
 * commands pipelined a batch at a time. Semantics: docs/outputs.md.
 */
#include "out_sink.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/time.h>

#include <hiredis/hiredis.h>

#include "telexpose/xalloc.h"

#define OUT_REDIS_TIMEOUT_MS 1000 /* connect, and each reply */

static redisContext *
redis_connect(const struct out_sink *s)
{
    struct timeval tv = { OUT_REDIS_TIMEOUT_MS / 1000, (OUT_REDIS_TIMEOUT_MS % 1000) * 1000 };
    redisContext *c = redisConnectWithTimeout(s->spec.host, s->spec.port, tv);
    if (c == NULL)
        return NULL;
    /* A stalled server must not hold the thread (and out_close) forever. */
    if (c->err != 0 || redisSetTimeout(c, tv) != REDIS_OK) {
        redisFree(c);
        return NULL;
    }
    return c;
}

/* Pipeline b[0..n) and read the replies. -1 when the connection failed:
 * the lines without a reply are counted dropped (some may have arrived;
 * redis does not say which). */
static int
redis_send(struct out_sink *s, redisContext *c, struct out_line *b, size_t n)
{
    const char *fmt = s->spec.channel ? "PUBLISH %s %b" : "RPUSH %s %b";
    for (size_t i = 0; i < n; i++)
        redisAppendCommand(c, fmt, s->spec.key, b[i].p, b[i].n - 1); /* without '\n' */
    size_t i = 0;
    for (; i < n; i++) {
        redisReply *r = NULL;
        if (redisGetReply(c, (void **)&r) != REDIS_OK || r == NULL)
            break;
        if (r->type == REDIS_REPLY_ERROR) { /* WRONGTYPE, OOM...: this line only */
            atomic_fetch_add(&s->errors, 1);
            atomic_fetch_add(&s->dropped, 1);
        } else {
            atomic_fetch_add(&s->written, 1);
        }
        freeReplyObject(r);
        free(b[i].p);
    }
    if (i == n)
        return 0;
    out_sink_drop(s, b + i, n - i);
    return -1;
}

void *
out_redis_main(void *arg)
{
    struct out_sink *s = arg;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    struct out_line *batch = xcalloc(OUT_SINK_BATCH, sizeof(*batch));
    redisContext *c = NULL;
    int backoff = OUT_SINK_BACKOFF_MIN_MS;
    for (;;) {
        if (c == NULL) {
            if (out_sink_sleep(s, 0))
                break;
            c = redis_connect(s);
            if (c == NULL) {
                if (out_sink_connect_failed(s, &backoff))
                    break;
                continue;
            }
            out_sink_connected(s, &backoff);
        }
        bool quit;
        size_t n = out_sink_pop(s, batch, OUT_SINK_BATCH, 250, &quit);
        if (quit)
            break;
        if (n > 0 && redis_send(s, c, batch, n) != 0) {
            atomic_fetch_add(&s->errors, 1);
            out_sink_set_connected(s, false);
            redisFree(c);
            c = NULL;
        }
    }
    if (c != NULL)
        redisFree(c);
    out_sink_set_connected(s, false);
    free(batch);
    return NULL;
}
