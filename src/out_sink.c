/* out_sink.c - the event outputs: spec parsing, files and standard output,
 * the bounded queue of the network outputs, unix sockets and syslog (redis
 * is in out_remote.c). Semantics: docs/outputs.md.
 */
#define _GNU_SOURCE
#include "out_sink.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include "telexpose/xalloc.h"

#define OUT_SINK_STDIO_BUF (1u << 20)
#define OUT_SINK_IOV 64

const char out_sink_forms[] =
    "stdout, file:PATH, unix-stream:PATH, unix-dgram:PATH, syslog[:FACILITY] "
    "(daemon, user, local0..local7; default local5), "
    "redis[:HOST[:PORT][/list/KEY|/channel/KEY]] (default 127.0.0.1:6379/list/telexpose)";

static const struct {
    const char *name;
    int facility;
} facilities[] = {
    { "daemon", LOG_DAEMON }, { "user", LOG_USER },     { "local0", LOG_LOCAL0 },
    { "local1", LOG_LOCAL1 }, { "local2", LOG_LOCAL2 }, { "local3", LOG_LOCAL3 },
    { "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 }, { "local6", LOG_LOCAL6 },
    { "local7", LOG_LOCAL7 },
};

static int
copy_field(char *dst, size_t cap, const char *src, size_t n)
{
    if (n == 0 || n >= cap)
        return -1;
    memcpy(dst, src, n);
    dst[n] = '\0';
    return 0;
}


/* Live capture appends (a restart must not erase what a shipper has not
 * read yet); reading files writes afresh. */
static bool out_files_append;

void
out_set_files_append(bool on)
{
    out_files_append = on;
}

/* "HOST[:PORT][/list/KEY|/channel/KEY]" after "redis:"; HOST may be [v6]. */
static int
parse_redis(const char *a, struct out_sink_spec *sp)
{
    const char *slash = strchr(a, '/');
    const char *end = slash ? slash : a + strlen(a);
    const char *port = NULL, *hend;
    if (a[0] == '[') {
        const char *rb = memchr(a, ']', (size_t)(end - a));
        if (rb == NULL || copy_field(sp->host, sizeof(sp->host), a + 1, (size_t)(rb - a - 1)))
            return -1;
        if (rb + 1 < end) {
            if (rb[1] != ':')
                return -1;
            port = rb + 2;
        }
    } else {
        const char *colon = memchr(a, ':', (size_t)(end - a));
        hend = colon ? colon : end;
        if (hend > a && copy_field(sp->host, sizeof(sp->host), a, (size_t)(hend - a)))
            return -1;
        if (colon != NULL)
            port = colon + 1;
    }
    if (port != NULL) {
        char *e;
        long v = strtol(port, &e, 10);
        if (e != end || port == end || v < 1 || v > 65535)
            return -1;
        sp->port = (int)v;
    }
    if (slash == NULL)
        return 0;
    const char *mode = slash + 1;
    if (strncmp(mode, "list/", 5) == 0)
        sp->channel = false;
    else if (strncmp(mode, "channel/", 8) == 0)
        sp->channel = true;
    else
        return -1;
    const char *key = strchr(mode, '/') + 1;
    return copy_field(sp->key, sizeof(sp->key), key, strlen(key));
}

int
out_sink_parse(const char *spec, struct out_sink_spec *sp, char *errbuf, size_t errlen)
{
    memset(sp, 0, sizeof(*sp));
    sp->facility = LOG_LOCAL5;
    snprintf(sp->host, sizeof(sp->host), "127.0.0.1");
    sp->port = 6379;
    snprintf(sp->key, sizeof(sp->key), "telexpose");
    const char *a;
    int rc = -1;
    const char *why = "not a known output";
    if (strcmp(spec, "stdout") == 0) {
        sp->kind = OUT_SINK_STDOUT;
        rc = 0;
    } else if (strncmp(spec, "file:", 5) == 0) {
        sp->kind = OUT_SINK_FILE;
        a = spec + 5;
        rc = copy_field(sp->path, sizeof(sp->path), a, strlen(a));
        why = "the path is empty or too long";
    } else if (strncmp(spec, "unix-stream:", 12) == 0 || strncmp(spec, "unix-dgram:", 11) == 0) {
        bool stream = spec[5] == 's';
        sp->kind = stream ? OUT_SINK_UNIX_STREAM : OUT_SINK_UNIX_DGRAM;
        a = spec + (stream ? 12 : 11);
        rc = copy_field(sp->path, sizeof(((struct sockaddr_un *)0)->sun_path), a, strlen(a));
        why = "the socket path is empty or longer than 107 bytes";
    } else if (strcmp(spec, "syslog") == 0 || strncmp(spec, "syslog:", 7) == 0) {
        sp->kind = OUT_SINK_SYSLOG;
        rc = spec[6] == '\0' ? 0 : -1;
        for (size_t i = 0; rc != 0 && i < sizeof(facilities) / sizeof(facilities[0]); i++) {
            if (strcmp(spec + 7, facilities[i].name) == 0) {
                sp->facility = facilities[i].facility;
                rc = 0;
            }
        }
        why = "unknown syslog facility";
    } else if (strcmp(spec, "redis") == 0 || strncmp(spec, "redis:", 6) == 0) {
        sp->kind = OUT_SINK_REDIS;
        rc = spec[5] == '\0' ? 0 : parse_redis(spec + 6, sp);
        why = "expected redis:HOST:PORT/list/KEY or redis:HOST:PORT/channel/KEY";
    }
    if (rc != 0)
        snprintf(errbuf, errlen, "bad output '%s': %s; valid forms: %s", spec, why,
                 out_sink_forms);
    return rc;
}

/* ---- the queue, shared by the network threads ---- */

static void
deadline_in(struct timespec *ts, int ms)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

static bool
past(const struct timespec *ts)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > ts->tv_sec || (now.tv_sec == ts->tv_sec && now.tv_nsec >= ts->tv_nsec);
}

void
out_sink_drop(struct out_sink *s, struct out_line *lines, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(lines[i].p);
    atomic_fetch_add(&s->dropped, n);
}

size_t
out_sink_pop(struct out_sink *s, struct out_line *out, size_t max, int wait_ms, bool *quit)
{
    *quit = false;
    pthread_mutex_lock(&s->mu);
    if (s->qcount == 0 && !s->stopping) {
        struct timespec ts;
        deadline_in(&ts, wait_ms);
        pthread_cond_timedwait(&s->cv, &s->mu, &ts);
    }
    if (s->stopping && (s->qcount == 0 || past(&s->deadline))) {
        *quit = true;
        pthread_mutex_unlock(&s->mu);
        return 0;
    }
    size_t n = s->qcount < max ? s->qcount : max;
    for (size_t i = 0; i < n; i++) {
        out[i] = s->q[s->qhead];
        s->qbytes -= out[i].n;
        s->qhead = (s->qhead + 1) % OUT_SINK_QLINES;
    }
    s->qcount -= n;
    pthread_mutex_unlock(&s->mu);
    return n;
}

void
out_sink_set_connected(struct out_sink *s, bool up)
{
    pthread_mutex_lock(&s->mu);
    atomic_store(&s->connected, up);
    /* Lines only wait in the queue while there is a peer to take them:
     * once it is gone they are stale, and counted. */
    size_t n = up ? 0 : s->qcount;
    for (size_t i = 0; i < n; i++) {
        free(s->q[s->qhead].p);
        s->qhead = (s->qhead + 1) % OUT_SINK_QLINES;
    }
    s->qcount -= n;
    if (!up)
        s->qbytes = 0;
    pthread_mutex_unlock(&s->mu);
    atomic_fetch_add(&s->dropped, n);
}

void
out_sink_attempted(struct out_sink *s)
{
    pthread_mutex_lock(&s->mu);
    s->attempted = true;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

bool
out_sink_connect_failed(struct out_sink *s, int *backoff_ms)
{
    atomic_fetch_add(&s->errors, 1);
    out_sink_attempted(s);
    if (out_sink_sleep(s, *backoff_ms))
        return true;
    *backoff_ms = *backoff_ms * 2 > OUT_SINK_BACKOFF_MAX_MS ? OUT_SINK_BACKOFF_MAX_MS
                                                            : *backoff_ms * 2;
    return false;
}

void
out_sink_connected(struct out_sink *s, int *backoff_ms)
{
    *backoff_ms = OUT_SINK_BACKOFF_MIN_MS;
    out_sink_set_connected(s, true);
    out_sink_attempted(s);
}

bool
out_sink_sleep(struct out_sink *s, int ms)
{
    struct timespec ts;
    deadline_in(&ts, ms);
    pthread_mutex_lock(&s->mu);
    while (!s->stopping && !past(&ts))
        pthread_cond_timedwait(&s->cv, &s->mu, &ts);
    bool stop = s->stopping;
    pthread_mutex_unlock(&s->mu);
    return stop;
}

bool
out_sink_past_deadline(struct out_sink *s)
{
    pthread_mutex_lock(&s->mu);
    bool r = s->stopping && past(&s->deadline);
    pthread_mutex_unlock(&s->mu);
    return r;
}

/* ---- unix sockets ---- */

/* Wait until fd is writable, at most 250 ms; false when the close deadline
 * has passed (the peer does not read: give up). */
static bool
wait_writable(struct out_sink *s, int fd)
{
    if (out_sink_past_deadline(s))
        return false;
    struct pollfd p = { .fd = fd, .events = POLLOUT };
    poll(&p, 1, 250);
    return true;
}

static int
unix_connect(struct out_sink *s)
{
    bool stream = s->spec.kind == OUT_SINK_UNIX_STREAM;
    int fd = socket(AF_UNIX, (stream ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK | SOCK_CLOEXEC,
                    0);
    if (fd < 0)
        return -1;
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    memcpy(sa.sun_path, s->spec.path, strlen(s->spec.path) + 1);
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
        return fd;
    /* A listener with a full backlog: wait a little, never for long. */
    if (errno == EAGAIN || errno == EINPROGRESS) {
        struct pollfd p = { .fd = fd, .events = POLLOUT };
        int soerr = 0;
        socklen_t len = sizeof(soerr);
        if (poll(&p, 1, 1000) == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == 0 &&
            soerr == 0)
            return fd;
    }
    close(fd);
    return -1;
}

/* Send b[0..n) whole on a stream. A line cut by an error is never finished
 * on another connection: the connection goes, the line is counted. */
static int
send_stream(struct out_sink *s, int fd, struct out_line *b, size_t n)
{
    size_t i = 0, off = 0; /* first line not fully sent, bytes of it sent */
    while (i < n) {
        struct iovec iov[OUT_SINK_IOV];
        size_t k = 0;
        for (size_t j = i; j < n && k < OUT_SINK_IOV; j++, k++) {
            size_t skip = j == i ? off : 0;
            iov[k].iov_base = b[j].p + skip;
            iov[k].iov_len = b[j].n - skip;
        }
        struct msghdr mh = { .msg_iov = iov, .msg_iovlen = k };
        ssize_t w = sendmsg(fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            if ((errno == EAGAIN || errno == EWOULDBLOCK) && wait_writable(s, fd))
                continue;
            out_sink_drop(s, b + i, n - i);
            return -1;
        }
        size_t left = (size_t)w;
        while (left > 0) {
            size_t rem = b[i].n - off;
            if (left < rem) {
                off += left;
                break;
            }
            left -= rem;
            free(b[i].p);
            atomic_fetch_add(&s->written, 1);
            i++;
            off = 0;
        }
    }
    return 0;
}

/* One event per datagram. */
static int
send_dgram(struct out_sink *s, int fd, struct out_line *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (;;) {
            if (send(fd, b[i].p, b[i].n, MSG_NOSIGNAL | MSG_DONTWAIT) >= 0) {
                atomic_fetch_add(&s->written, 1);
                break;
            }
            if (errno == EINTR)
                continue;
            if ((errno == EAGAIN || errno == ENOBUFS) && wait_writable(s, fd))
                continue;
            if (errno == EMSGSIZE) { /* too big for the socket: this one only */
                atomic_fetch_add(&s->dropped, 1);
                atomic_fetch_add(&s->errors, 1);
                break;
            }
            out_sink_drop(s, b + i, n - i);
            return -1;
        }
        free(b[i].p);
    }
    return 0;
}

/* An idle stream whose listener closed: noticed now, so that the counters
 * say so and nothing is queued for a peer that is gone. */
static bool
peer_gone(int fd)
{
    struct pollfd p = { .fd = fd, .events = POLLIN | POLLRDHUP };
    if (poll(&p, 1, 0) != 1)
        return false;
    char c;
    return (p.revents & (POLLHUP | POLLRDHUP | POLLERR)) != 0 ||
           recv(fd, &c, 1, MSG_DONTWAIT | MSG_PEEK) == 0;
}

static void
block_signals(void)
{
    /* Signals are the packet thread's business. */
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
}

static void *
unix_main(void *arg)
{
    struct out_sink *s = arg;
    block_signals();
    struct out_line *batch = xcalloc(OUT_SINK_BATCH, sizeof(*batch));
    int fd = -1;
    int backoff = OUT_SINK_BACKOFF_MIN_MS;
    for (;;) {
        if (fd < 0) {
            if (out_sink_sleep(s, 0))
                break;
            fd = unix_connect(s);
            if (fd < 0) {
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
        if (n == 0 && s->spec.kind == OUT_SINK_UNIX_STREAM && peer_gone(fd)) {
            out_sink_set_connected(s, false);
            close(fd);
            fd = -1;
            continue;
        }
        int rc = s->spec.kind == OUT_SINK_UNIX_STREAM ? send_stream(s, fd, batch, n)
                                                      : send_dgram(s, fd, batch, n);
        if (rc < 0) {
            atomic_fetch_add(&s->errors, 1);
            out_sink_set_connected(s, false);
            close(fd);
            fd = -1;
        }
    }
    if (fd >= 0)
        close(fd);
    out_sink_set_connected(s, false);
    free(batch);
    return NULL;
}

/* ---- syslog ---- */

static void *
syslog_main(void *arg)
{
    struct out_sink *s = arg;
    block_signals();
    struct out_line *batch = xcalloc(OUT_SINK_BATCH, sizeof(*batch));
    for (;;) {
        bool quit;
        size_t n = out_sink_pop(s, batch, OUT_SINK_BATCH, 250, &quit);
        if (quit)
            break;
        for (size_t i = 0; i < n; i++) {
            /* syslog(3) reports nothing: what /dev/log refuses is lost
             * unseen (docs/outputs.md). */
            syslog(LOG_INFO, "%.*s", (int)(batch[i].n - 1), batch[i].p);
            free(batch[i].p);
            atomic_fetch_add(&s->written, 1);
        }
    }
    free(batch);
    return NULL;
}

/* ---- open, write, close ---- */

static int
file_open(struct out_sink *s, const char *mode)
{
    FILE *fp = fopen(s->spec.path, mode);
    if (fp == NULL)
        return -1;
    char *buf = xmalloc(OUT_SINK_STDIO_BUF);
    setvbuf(fp, buf, _IOFBF, OUT_SINK_STDIO_BUF);
    if (s->fp != NULL) {
        if ((fflush(s->fp) != 0 || fclose(s->fp) != 0) && !s->failed) {
            s->failed = true;
            s->err = errno;
        }
    }
    free(s->stdio_buf);
    s->fp = fp;
    s->stdio_buf = buf;
    s->dirty = false;
    return 0;
}

static int
start_thread(struct out_sink *s, char *errbuf, size_t errlen)
{
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&s->cv, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&s->mu, NULL);
    s->q = xcalloc(OUT_SINK_QLINES, sizeof(*s->q));
    void *(*fn)(void *) = s->spec.kind == OUT_SINK_SYSLOG ? syslog_main
                        : s->spec.kind == OUT_SINK_REDIS  ? out_redis_main
                                                          : unix_main;
    if (s->spec.kind == OUT_SINK_SYSLOG) {
        openlog("telexpose", LOG_PID | LOG_NDELAY, s->spec.facility);
        atomic_store(&s->connected, true);
        s->attempted = true;
    }
    int e = pthread_create(&s->thread, NULL, fn, s);
    if (e != 0) {
        snprintf(errbuf, errlen, "output %s: cannot start its thread: %s", s->name, strerror(e));
        return -1;
    }
    s->threaded = true;
    /* A peer that is up at start gets every event, from the first. */
    struct timespec ts;
    deadline_in(&ts, OUT_SINK_CONNECT_WAIT_MS);
    pthread_mutex_lock(&s->mu);
    while (!s->attempted && !past(&ts))
        pthread_cond_timedwait(&s->cv, &s->mu, &ts);
    pthread_mutex_unlock(&s->mu);
    return 0;
}

static bool
is_network(const struct out_sink *s)
{
    return s->spec.kind != OUT_SINK_STDOUT && s->spec.kind != OUT_SINK_FILE;
}

static void
sink_free(struct out_sink *s)
{
    if (s->q != NULL) {
        pthread_mutex_destroy(&s->mu);
        pthread_cond_destroy(&s->cv);
    }
    free(s->q);
    free(s->stdio_buf);
    free(s->name);
    free(s);
}

struct out_sink *
out_sink_open(const char *spec, bool plain_path, char *errbuf, size_t errlen)
{
    struct out_sink *s = xcalloc(1, sizeof(*s));
    if (plain_path) {
        bool out = spec == NULL || strcmp(spec, "-") == 0;
        s->spec.kind = out ? OUT_SINK_STDOUT : OUT_SINK_FILE;
        if (!out && copy_field(s->spec.path, sizeof(s->spec.path), spec, strlen(spec)) != 0) {
            snprintf(errbuf, errlen, "output file name too long: %.64s...", spec);
            sink_free(s);
            return NULL;
        }
        s->name = xstrdup(out ? "stdout" : spec);
    } else {
        if (out_sink_parse(spec, &s->spec, errbuf, errlen) != 0) {
            sink_free(s);
            return NULL;
        }
        s->name = xstrdup(spec);
    }
    switch (s->spec.kind) {
    case OUT_SINK_STDOUT:
        /* stdout outlives the sink, so it keeps its own buffer. */
        s->fp = stdout;
        atomic_store(&s->connected, true);
        return s;
    case OUT_SINK_FILE:
        if (file_open(s, out_files_append ? "a" : "w") != 0) {
            snprintf(errbuf, errlen, "cannot open output file %s: %s (check the directory "
                     "exists and is writable)", s->spec.path, strerror(errno));
            sink_free(s);
            return NULL;
        }
        atomic_store(&s->connected, true);
        return s;
    default:
        if (start_thread(s, errbuf, errlen) != 0) {
            if (s->spec.kind == OUT_SINK_SYSLOG)
                closelog();
            sink_free(s);
            return NULL;
        }
        return s;
    }
}

void
out_sink_write(struct out_sink *s, const char *line, size_t n)
{
    if (!is_network(s)) {
        if (fwrite(line, 1, n, s->fp) != n) {
            atomic_fetch_add(&s->errors, 1);
            atomic_fetch_add(&s->dropped, 1);
            if (!s->failed) {
                s->failed = true;
                s->err = errno;
            }
            return;
        }
        s->dirty = true;
        atomic_fetch_add(&s->written, 1);
        return;
    }
    if (!atomic_load(&s->connected)) {
        atomic_fetch_add(&s->dropped, 1);
        return;
    }
    char *p = malloc(n);
    if (p == NULL) {
        atomic_fetch_add(&s->dropped, 1);
        return;
    }
    memcpy(p, line, n);
    pthread_mutex_lock(&s->mu);
    if (!atomic_load(&s->connected) || s->stopping || s->qcount == OUT_SINK_QLINES ||
        s->qbytes + n > OUT_SINK_QBYTES) {
        pthread_mutex_unlock(&s->mu);
        free(p);
        atomic_fetch_add(&s->dropped, 1);
        return;
    }
    s->q[(s->qhead + s->qcount) % OUT_SINK_QLINES] = (struct out_line){ p, n };
    if (s->qcount++ == 0)
        pthread_cond_signal(&s->cv);
    s->qbytes += n;
    pthread_mutex_unlock(&s->mu);
}

void
out_sink_reopen(struct out_sink *s)
{
    if (s->spec.kind != OUT_SINK_FILE)
        return;
    /* Append: a file that was not moved keeps its lines. */
    if (file_open(s, "a") != 0)
        atomic_fetch_add(&s->errors, 1);
}

void
out_sink_flush(struct out_sink *s)
{
    if (is_network(s) || !s->dirty)
        return;
    s->dirty = false;
    if (fflush(s->fp) != 0 && !s->failed) {
        atomic_fetch_add(&s->errors, 1);
        s->failed = true;
        s->err = errno;
    }
}

void
out_sink_stop(struct out_sink *s, int grace_ms)
{
    if (!s->threaded)
        return;
    pthread_mutex_lock(&s->mu);
    if (!s->stopping) {
        s->stopping = true;
        deadline_in(&s->deadline, grace_ms);
        pthread_cond_broadcast(&s->cv);
    }
    pthread_mutex_unlock(&s->mu);
}

int
out_sink_close(struct out_sink *s, char *errbuf, size_t errlen)
{
    if (s->threaded) {
        out_sink_stop(s, OUT_SINK_GRACE_MS);
        pthread_join(s->thread, NULL);
        /* What the thread could not deliver in time. */
        for (size_t i = 0; i < s->qcount; i++)
            free(s->q[(s->qhead + i) % OUT_SINK_QLINES].p);
        atomic_fetch_add(&s->dropped, s->qcount);
        if (s->spec.kind == OUT_SINK_SYSLOG)
            closelog();
    }
    if (s->fp != NULL) {
        if (fflush(s->fp) != 0 && !s->failed) {
            s->failed = true;
            s->err = errno;
        }
        if (s->spec.kind == OUT_SINK_FILE && fclose(s->fp) != 0 && !s->failed) {
            s->failed = true;
            s->err = errno;
        }
    }
    int rc = s->failed ? -1 : 0;
    if (s->failed)
        snprintf(errbuf, errlen, "writing events to %s failed: %s",
                 s->spec.kind == OUT_SINK_STDOUT ? "<stdout>" : s->spec.path, strerror(s->err));
    sink_free(s);
    return rc;
}

void
out_sink_stat(const struct out_sink *s, struct out_sink_stat *st)
{
    st->name = s->name;
    st->written = atomic_load(&s->written);
    st->dropped = atomic_load(&s->dropped);
    st->errors = atomic_load(&s->errors);
    st->connected = atomic_load(&s->connected);
}
