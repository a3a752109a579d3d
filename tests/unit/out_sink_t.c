/* out_sink_t.c - the event outputs against real unix sockets and files:
 * spec parsing, delivery over unix-dgram and unix-stream, drops counted when
 * nobody listens or the listener never reads (and the writer never blocks),
 * a listener that comes late, and the SIGHUP reopen of a moved file. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <cJSON.h>

#include "out_sink.h"
#include "tap.h"
#include "telexpose/out_json.h"

static char dir[] = "/tmp/out_sink_t.XXXXXX";

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

static int
bind_unix(const char *path, int type)
{
    int fd = socket(AF_UNIX, type, 0);
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
    unlink(path);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
        (type == SOCK_STREAM && listen(fd, 4) != 0)) {
        perror(path);
        exit(1);
    }
    return fd;
}

static void
test_parse(void)
{
    struct out_sink_spec sp;
    char err[1024];
    ok(out_sink_parse("stdout", &sp, err, sizeof(err)) == 0 && sp.kind == OUT_SINK_STDOUT,
       "stdout");
    ok(out_sink_parse("file:/var/log/t.json", &sp, err, sizeof(err)) == 0 &&
           sp.kind == OUT_SINK_FILE && strcmp(sp.path, "/var/log/t.json") == 0,
       "file:PATH");
    ok(out_sink_parse("unix-stream:/run/t.sock", &sp, err, sizeof(err)) == 0 &&
           sp.kind == OUT_SINK_UNIX_STREAM && strcmp(sp.path, "/run/t.sock") == 0,
       "unix-stream:PATH");
    ok(out_sink_parse("unix-dgram:/run/t.sock", &sp, err, sizeof(err)) == 0 &&
           sp.kind == OUT_SINK_UNIX_DGRAM,
       "unix-dgram:PATH");
    ok(out_sink_parse("syslog", &sp, err, sizeof(err)) == 0 && sp.kind == OUT_SINK_SYSLOG &&
           sp.facility == LOG_LOCAL5,
       "syslog defaults to local5");
    ok(out_sink_parse("syslog:daemon", &sp, err, sizeof(err)) == 0 && sp.facility == LOG_DAEMON,
       "syslog:daemon");
    ok(out_sink_parse("redis", &sp, err, sizeof(err)) == 0 && sp.kind == OUT_SINK_REDIS &&
           strcmp(sp.host, "127.0.0.1") == 0 && sp.port == 6379 && !sp.channel &&
           strcmp(sp.key, "telexpose") == 0,
       "redis: 127.0.0.1:6379/list/telexpose");
    ok(out_sink_parse("redis:db.example:6380/channel/eve", &sp, err, sizeof(err)) == 0 &&
           strcmp(sp.host, "db.example") == 0 && sp.port == 6380 && sp.channel &&
           strcmp(sp.key, "eve") == 0,
       "redis:HOST:PORT/channel/KEY");
    ok(out_sink_parse("redis:[::1]:7000/list/k", &sp, err, sizeof(err)) == 0 &&
           strcmp(sp.host, "::1") == 0 && sp.port == 7000 && !sp.channel,
       "redis with an IPv6 host");
    ok(out_sink_parse("redis:cache", &sp, err, sizeof(err)) == 0 &&
           strcmp(sp.host, "cache") == 0 && sp.port == 6379,
       "redis:HOST");

    char longp[200];
    memset(longp, 'a', sizeof(longp));
    memcpy(longp, "unix-dgram:", 11);
    longp[sizeof(longp) - 1] = '\0';
    const char *bad[] = { "",          "kafka:x",        "file:",           "unix-stream:",
                          longp,       "syslog:local9",  "redis:h:0/list/k", "redis:h:99999",
                          "redis:h:1/set/k", "redis:h:1/list/", "redis:h:x", "Stdout" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        err[0] = '\0';
        int rc = out_sink_parse(bad[i], &sp, err, sizeof(err));
        ok(rc != 0 && strstr(err, bad[i]) != NULL && strstr(err, "unix-dgram:PATH") != NULL,
           "bad spec '%.20s' refused, named, forms listed", bad[i]);
    }
    ok(out_open_multi(NULL, (const char *[]){ "stdout", "bogus:1" }, 2, err, sizeof(err)) == NULL &&
           strstr(err, "bogus:1") != NULL,
       "out_open_multi refuses a bad spec: %s", err);
    ok(out_open_multi(NULL, (const char *[]){ "syslog", "syslog:user" }, 2, err, sizeof(err)) ==
           NULL,
       "two syslog outputs refused: %s", err);
    ok(out_open_multi("-", (const char *[]){ "stdout" }, 1, err, sizeof(err)) == NULL,
       "-w - and -o stdout refused: %s", err);
}

static void
test_dgram(void)
{
    char path[256], err[256], line[64];
    snprintf(path, sizeof(path), "%s/d.sock", dir);
    int fd = bind_unix(path, SOCK_DGRAM);
    char spec[300];
    snprintf(spec, sizeof(spec), "unix-dgram:%s", path);
    struct out_sink *s = out_sink_open(spec, false, err, sizeof(err));
    ok(s != NULL, "unix-dgram opens: %s", s ? "" : err);
    struct out_sink_stat st;
    out_sink_stat(s, &st);
    ok(st.connected && strcmp(st.name, spec) == 0, "connected at open, named by its spec");
    for (int i = 0; i < 100; i++) {
        int n = snprintf(line, sizeof(line), "{\"i\":%d}\n", i);
        out_sink_write(s, line, (size_t)n);
    }
    /* Too big for any unix datagram: dropped, and what follows still goes. */
    size_t big = 4u << 20;
    char *huge = malloc(big);
    memset(huge, 'x', big);
    huge[big - 1] = '\n';
    out_sink_write(s, huge, big);
    free(huge);
    out_sink_write(s, "{\"i\":100}\n", 10);
    /* Read while it sends: a unix datagram queue holds only a few. */
    int got = 0, in_order = 1;
    char buf[128];
    ssize_t r;
    struct timeval tv = { 2, 0 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    while (got < 101 && (r = recv(fd, buf, sizeof(buf) - 1, 0)) > 0) {
        buf[r] = '\0';
        snprintf(line, sizeof(line), "{\"i\":%d}\n", got);
        if (strcmp(buf, line) != 0)
            in_order = 0;
        got++;
    }
    ok(out_sink_close(s, err, sizeof(err)) == 0, "close");
    ok(got == 101, "every datagram arrived (%d)", got);
    ok(in_order, "one event per datagram, in order, newline-terminated");
    close(fd);
    unlink(path);
}

/* The unix-dgram big-line counters need the sink still open: check them
 * through a second sink whose stats we read before closing. */
static void
test_dgram_too_big(void)
{
    char path[256], err[256], spec[300];
    snprintf(path, sizeof(path), "%s/d2.sock", dir);
    int fd = bind_unix(path, SOCK_DGRAM);
    snprintf(spec, sizeof(spec), "unix-dgram:%s", path);
    struct out_sink *s = out_sink_open(spec, false, err, sizeof(err));
    size_t big = 4u << 20;
    char *huge = malloc(big);
    memset(huge, 'x', big);
    huge[big - 1] = '\n';
    out_sink_write(s, huge, big);
    free(huge);
    out_sink_write(s, "{}\n", 3);
    struct out_sink_stat st;
    double t0 = now_s();
    do {
        sleep_ms(20);
        out_sink_stat(s, &st);
    } while (st.written + st.dropped < 2 && now_s() - t0 < 5);
    ok(st.dropped == 1 && st.written == 1 && st.errors == 1,
       "a datagram too big is dropped and counted (written %llu dropped %llu errors %llu)",
       (unsigned long long)st.written, (unsigned long long)st.dropped,
       (unsigned long long)st.errors);
    out_sink_close(s, err, sizeof(err));
    close(fd);
    unlink(path);
}

static void
test_stream(void)
{
    char path[256], err[256], spec[300], line[64];
    snprintf(path, sizeof(path), "%s/s.sock", dir);
    int lfd = bind_unix(path, SOCK_STREAM);
    snprintf(spec, sizeof(spec), "unix-stream:%s", path);
    struct out_sink *s = out_sink_open(spec, false, err, sizeof(err));
    ok(s != NULL, "unix-stream opens");
    for (int i = 0; i < 1000; i++) {
        int n = snprintf(line, sizeof(line), "{\"i\":%d}\n", i);
        out_sink_write(s, line, (size_t)n);
    }
    ok(out_sink_close(s, err, sizeof(err)) == 0, "close");
    int cfd = accept(lfd, NULL, NULL);
    static char buf[1 << 16];
    size_t len = 0;
    ssize_t r;
    while ((r = read(cfd, buf + len, sizeof(buf) - 1 - len)) > 0)
        len += (size_t)r;
    buf[len] = '\0';
    int good = 1, i = 0;
    for (char *p = buf; *p; i++) {
        char *nl = strchr(p, '\n');
        snprintf(line, sizeof(line), "{\"i\":%d}", i);
        size_t ll = nl ? (size_t)(nl - p) : 0;
        if (nl == NULL || strlen(line) != ll || strncmp(p, line, ll) != 0)
            good = 0;
        if (nl == NULL)
            break;
        p = nl + 1;
    }
    ok(good && i == 1000, "1000 whole lines in order over the stream (%d)", i);
    close(cfd);
    close(lfd);
    unlink(path);
}

static void
test_no_listener(void)
{
    char path[256], err[256], spec[300];
    snprintf(path, sizeof(path), "%s/none.sock", dir);
    snprintf(spec, sizeof(spec), "unix-stream:%s", path);
    double t0 = now_s();
    struct out_sink *s = out_sink_open(spec, false, err, sizeof(err));
    ok(s != NULL && now_s() - t0 < 1.5, "opens without a listener, promptly");
    for (int i = 0; i < 50; i++)
        out_sink_write(s, "{}\n", 3);
    struct out_sink_stat st;
    out_sink_stat(s, &st);
    ok(!st.connected && st.dropped == 50 && st.written == 0 && st.errors >= 1,
       "not connected: 50 dropped, a failed connect counted (errors %llu)",
       (unsigned long long)st.errors);

    /* The listener comes: the sink reconnects within the backoff. */
    int lfd = bind_unix(path, SOCK_STREAM);
    t0 = now_s();
    do {
        sleep_ms(20);
        out_sink_stat(s, &st);
    } while (!st.connected && now_s() - t0 < 5);
    ok(st.connected, "reconnects when a listener appears (%.2f s)", now_s() - t0);
    int cfd = accept(lfd, NULL, NULL);
    for (int i = 0; i < 10; i++)
        out_sink_write(s, "{\"late\":1}\n", 11);
    t0 = now_s();
    ok(out_sink_close(s, err, sizeof(err)) == 0 && now_s() - t0 < 1.0, "close is prompt");
    char buf[512];
    size_t len = 0;
    ssize_t r;
    while ((r = read(cfd, buf + len, sizeof(buf) - 1 - len)) > 0)
        len += (size_t)r;
    ok(len == 110, "the late listener got the 10 lines written after it came (%zu bytes)", len);
    close(cfd);
    close(lfd);

    /* Nobody ever listens: close does not wait for a peer. */
    unlink(path);
    s = out_sink_open(spec, false, err, sizeof(err));
    out_sink_write(s, "{}\n", 3);
    t0 = now_s();
    out_sink_close(s, err, sizeof(err));
    ok(now_s() - t0 < 0.5, "close without a listener returns at once (%.3f s)", now_s() - t0);
}

/* The listener closes the connection while nothing is sent: noticed, and
 * a new connection made; lines then go to the new one. */
static void
test_peer_closes(void)
{
    char path[256], err[256], spec[300];
    snprintf(path, sizeof(path), "%s/pc.sock", dir);
    int lfd = bind_unix(path, SOCK_STREAM);
    snprintf(spec, sizeof(spec), "unix-stream:%s", path);
    struct out_sink *s = out_sink_open(spec, false, err, sizeof(err));
    int cfd = accept(lfd, NULL, NULL);
    close(cfd);
    struct timeval tv = { 3, 0 };
    setsockopt(lfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    cfd = accept(lfd, NULL, NULL);
    ok(cfd >= 0, "a closed connection is replaced by a new one");
    struct out_sink_stat st;
    double t0 = now_s();
    do {
        sleep_ms(20);
        out_sink_stat(s, &st);
    } while (!st.connected && now_s() - t0 < 3);
    out_sink_write(s, "{\"again\":1}\n", 12);
    out_sink_close(s, err, sizeof(err));
    char buf[64] = "";
    ssize_t r = cfd >= 0 ? read(cfd, buf, sizeof(buf) - 1) : -1;
    ok(r == 12 && strncmp(buf, "{\"again\":1}\n", 12) == 0, "and gets the next line");
    if (cfd >= 0)
        close(cfd);
    close(lfd);
    unlink(path);
}

static void
test_stuck_listener(void)
{
    char path[256], err[256], spec[300];
    snprintf(path, sizeof(path), "%s/stuck.sock", dir);
    int lfd = bind_unix(path, SOCK_STREAM);
    snprintf(spec, sizeof(spec), "unix-stream:%s", path);
    struct out_sink *s = out_sink_open(spec, false, err, sizeof(err));
    int cfd = accept(lfd, NULL, NULL); /* and never read */
    size_t len = 4096, total = 8000; /* 32 MB: twice the queue's 16 MiB */
    char *line = malloc(len);
    memset(line, 'y', len);
    line[0] = '{';
    line[len - 2] = '}';
    line[len - 1] = '\n';
    double t0 = now_s(), slowest = 0;
    for (size_t i = 0; i < total; i++) {
        double t1 = now_s();
        out_sink_write(s, line, len);
        if (now_s() - t1 > slowest)
            slowest = now_s() - t1;
    }
    ok(slowest < 0.5, "32 MB to a listener that never reads: no write waited (slowest %.3f s)",
       slowest);
    struct out_sink_stat st;
    out_sink_stat(s, &st);
    ok(st.dropped > 0, "drops counted (%llu)", (unsigned long long)st.dropped);
    t0 = now_s();
    out_sink_stop(s, 300);
    do { /* what fits in the socket buffer is sent */
        sleep_ms(20);
        out_sink_stat(s, &st);
    } while (st.written == 0 && now_s() - t0 < 0.2);
    out_sink_close(s, err, sizeof(err));
    double took = now_s() - t0;
    ok(took < 2.0, "close gives up after its 300 ms grace (%.2f s)", took);
    ok(st.written > 0, "the socket buffer took some (%llu)", (unsigned long long)st.written);
    /* What arrived is whole lines, possibly followed by one cut line the
     * dropped connection ended. */
    char *buf = malloc(64u << 20);
    size_t got = 0;
    ssize_t r;
    while ((r = read(cfd, buf + got, (64u << 20) - got)) > 0)
        got += (size_t)r;
    ok(got / len <= total, "received %zu whole lines", got / len);
    free(buf);
    free(line);
    close(cfd);
    close(lfd);
    unlink(path);
}

static int
count_lines(const char *path, int *seen, int max)
{
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        return -1;
    char buf[4096];
    int n = 0;
    while (fgets(buf, sizeof(buf), fp) != NULL) {
        cJSON *j = cJSON_Parse(buf);
        const cJSON *ev = cJSON_GetObjectItem(j, "evidence");
        const cJSON *v = cJSON_GetObjectItem(ev, "value");
        int i = cJSON_IsString(v) ? atoi(v->valuestring) : -1;
        if (i >= 0 && i < max)
            seen[i]++;
        cJSON_Delete(j);
        n++;
    }
    fclose(fp);
    return n;
}

static void
emit(struct out *o, int i)
{
    char v[16];
    snprintf(v, sizeof(v), "%d", i);
    struct out_evidence e = {
        .ts_us = 1700000000000000ull, .device = "ip=192.0.2.1", .vendor = "Huawei",
        .pack = "t", .rule = "r", .field = "f", .value = v, .confidence = 0.5,
    };
    out_evidence(o, &e);
}

static void
test_reopen(void)
{
    char path[256], moved[256], moved2[256], err[256];
    snprintf(path, sizeof(path), "%s/ev.json", dir);
    snprintf(moved, sizeof(moved), "%s/ev.json.1", dir);
    snprintf(moved2, sizeof(moved2), "%s/ev.json.2", dir);
    static volatile sig_atomic_t flag;
    struct out *o = out_open_multi(path, NULL, 0, err, sizeof(err));
    ok(o != NULL, "open %s", path);
    out_set_reopen_flag(o, &flag);
    for (int i = 0; i < 100; i++)
        emit(o, i);
    out_events(o);
    rename(path, moved);
    __atomic_store_n(&flag, 1, __ATOMIC_RELEASE); /* as a SIGHUP handler would */
    /* Idle, the writer still notices within its 250 ms tick. */
    struct stat sb;
    double t0 = now_s();
    while (stat(path, &sb) != 0 && now_s() - t0 < 3)
        sleep_ms(10);
    ok(stat(path, &sb) == 0 && __atomic_load_n(&flag, __ATOMIC_ACQUIRE) == 0,
       "an idle writer reopened the file (%.2f s)", now_s() - t0);
    /* Busy: the move and the flag land while lines are being written. */
    for (int i = 100; i < 20000; i++) {
        if (i == 10000) {
            rename(path, moved2);
            __atomic_store_n(&flag, 1, __ATOMIC_RELEASE);
        }
        emit(o, i);
    }
    ok(out_close(o, err, sizeof(err)) == 0, "close");
    static int seen[20000];
    int a = count_lines(moved, seen, 20000);
    int b = count_lines(moved2, seen, 20000);
    int c = count_lines(path, seen, 20000);
    ok(a == 100, "the first file has the 100 lines before the first move (%d)", a);
    ok(b > 0 && c > 0, "lines continue in the new files (%d, %d)", b, c);
    int once = 1;
    for (int i = 0; i < 20000; i++)
        once &= seen[i] == 1;
    ok(a + b + c == 20000 && once, "together every line exactly once (%d)", a + b + c);
    unlink(path);
    unlink(moved);
    unlink(moved2);
}

static void
test_multi_stats(void)
{
    char path[256], spath[256], err[512], spec[300];
    snprintf(path, sizeof(path), "%s/m.json", dir);
    snprintf(spath, sizeof(spath), "%s/m.sock", dir);
    snprintf(spec, sizeof(spec), "unix-dgram:%s", spath);
    unlink(spath);
    struct out *o = out_open_multi(path, (const char *[]){ spec }, 1, err, sizeof(err));
    ok(o != NULL, "-w FILE plus -o unix-dgram with no listener opens");
    for (int i = 0; i < 30; i++)
        emit(o, i);
    out_events(o);
    struct out_sink_stat st[4];
    size_t n = out_sink_stats(o, st, 4);
    ok(n == 2 && strcmp(st[0].name, path) == 0 && strcmp(st[1].name, spec) == 0,
       "two outputs, named by path and spec");
    ok(st[0].written == 30 && st[0].dropped == 0, "the file got 30");
    ok(st[1].written == 0 && st[1].dropped == 30 && !st[1].connected,
       "the socket dropped 30 and is not connected");
    ok(out_close(o, err, sizeof(err)) == 0, "close");
    unlink(path);
}

int
main(void)
{
    signal(SIGPIPE, SIG_IGN);
    if (mkdtemp(dir) == NULL)
        return 1;
    test_parse();
    test_dgram();
    test_dgram_too_big();
    test_stream();
    test_no_listener();
    test_peer_closes();
    test_stuck_listener();
    test_reopen();
    test_multi_stats();
    rmdir(dir);
    return done_testing();
}
