/* capture_live.c - live capture on one or more interfaces, one thread.
 *
 * Reference: pcap_create(3PCAP), pcap_activate(3PCAP), pcap_setnonblock(3PCAP),
 * pcap_get_selectable_fd(3PCAP), pcap_stats(3PCAP). On Linux libpcap uses a
 * TPACKET_V3 ring: the kernel hands over a block of frames when it is full or
 * when the read timeout retires it, which is what makes poll() wake up.
 */
#include "telexpose/capture.h"

#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pcap/pcap.h>

#include "telexpose/decode.h"
#include "telexpose/pipeline.h"
#include "telexpose/xalloc.h"

#define READ_TIMEOUT_MS 100   /* block retirement; bounds the latency of a quiet link */
#define POLL_TIMEOUT_MS 100   /* how soon a stop request is seen */
#define TICK_US 1000000u      /* wall-clock flow expiry this often */
#define DISPATCH_MAX 4096     /* frames per handle per round, so no interface starves */
#define DRAIN_ROUNDS 4        /* after a stop request */

struct live_handle {
    pcap_t *pc;
    const char *name;
    int dlt;
    struct pipeline *p;
};

uint64_t
capture_wall_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void
on_frame(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
    const struct live_handle *lh = (const struct live_handle *)user;
    uint32_t len = h->len < h->caplen ? h->caplen : h->len;
    uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec;
    pipeline_packet(lh->p, lh->dlt, data, h->caplen, len, ts);
}

/* Explain a pcap_activate failure the way an operator can act on it. */
static void
activate_error(pcap_t *pc, const char *name, int rc, char *errbuf, size_t errlen)
{
    switch (rc) {
    case PCAP_ERROR_NO_SUCH_DEVICE:
        snprintf(errbuf, errlen, "%s: no such device (list interfaces with `ip link`)", name);
        break;
    case PCAP_ERROR_PERM_DENIED:
        /* Unprivileged, libpcap fails on the socket before it looks at the
         * name; a name the kernel does not know is the more useful answer.
         * (Only here: pseudo-devices such as "any" or "nflog" have no index.) */
        if (if_nametoindex(name) == 0 && errno == ENODEV) {
            snprintf(errbuf, errlen, "%s: no such device (list interfaces with `ip link`)",
                     name);
            break;
        }
        snprintf(errbuf, errlen, "%s: permission denied: %s (run as root, or give the binary "
                 "CAP_NET_RAW: setcap cap_net_raw+ep telexpose)", name,
                 pcap_geterr(pc));
        break;
    case PCAP_ERROR_PROMISC_PERM_DENIED:
        snprintf(errbuf, errlen, "%s: no permission for promiscuous mode (run as root, or "
                 "capture without it: --no-promisc)", name);
        break;
    case PCAP_ERROR_IFACE_NOT_UP:
        snprintf(errbuf, errlen, "%s: the interface is down (bring it up: ip link set %s up)",
                 name, name);
        break;
    case PCAP_ERROR_RFMON_NOTSUP:
    case PCAP_ERROR_NOT_RFMON:
    case PCAP_ERROR:
    default: {
        const char *msg = pcap_geterr(pc);
        snprintf(errbuf, errlen, "%s: cannot capture: %s", name,
                 msg != NULL && msg[0] != '\0' ? msg : pcap_statustostr(rc));
        break;
    }
    }
}

/* Open, configure and activate one interface. Returns 0 or -1 with errbuf. */
static int
open_iface(struct live_handle *lh, const struct capture_live_opts *o, char *errbuf,
           size_t errlen)
{
    char perr[PCAP_ERRBUF_SIZE] = "";
    lh->pc = pcap_create(lh->name, perr);
    if (lh->pc == NULL) {
        snprintf(errbuf, errlen, "%s: cannot capture: %s", lh->name, perr);
        return -1;
    }
    pcap_t *pc = lh->pc;
    int buffer = o->buffer > (size_t)INT_MAX ? INT_MAX : (int)o->buffer;
    if (pcap_set_snaplen(pc, o->snaplen) != 0 || pcap_set_promisc(pc, o->promisc ? 1 : 0) != 0 ||
        pcap_set_timeout(pc, READ_TIMEOUT_MS) != 0 || pcap_set_buffer_size(pc, buffer) != 0 ||
        pcap_set_tstamp_precision(pc, PCAP_TSTAMP_PRECISION_MICRO) != 0) {
        snprintf(errbuf, errlen, "%s: cannot configure the capture: %s", lh->name,
                 pcap_geterr(pc));
        return -1;
    }
    int rc = pcap_activate(pc);
    if (rc < 0) {
        activate_error(pc, lh->name, rc, errbuf, errlen);
        return -1;
    }
    if (rc == PCAP_WARNING_PROMISC_NOTSUP)
        fprintf(stderr, "telexpose: %s: promiscuous mode is not supported; capturing only "
                "this host's traffic\n", lh->name);
    else if (rc > 0)
        fprintf(stderr, "telexpose: %s: %s\n", lh->name, pcap_geterr(pc));
    lh->dlt = pcap_datalink(pc);
    if (!decode_linktype_supported(lh->dlt)) {
        const char *dn = pcap_datalink_val_to_name(lh->dlt);
        snprintf(errbuf, errlen,
                 "%s: link type %d (%s) is not supported (supported: Ethernet, Linux SLL/SLL2, "
                 "raw IPv4/IPv6, BSD loopback; capture on an Ethernet interface or \"any\")",
                 lh->name, lh->dlt, dn ? dn : "unknown");
        return -1;
    }
    if (o->bpf != NULL) {
        struct bpf_program prog;
        if (pcap_compile(pc, &prog, o->bpf, 1, PCAP_NETMASK_UNKNOWN) != 0) {
            snprintf(errbuf, errlen, "%s: BPF filter \"%s\": %s", lh->name, o->bpf,
                     pcap_geterr(pc));
            return -1;
        }
        int frc = pcap_setfilter(pc, &prog);
        pcap_freecode(&prog);
        if (frc != 0) {
            snprintf(errbuf, errlen, "%s: cannot set BPF filter: %s", lh->name, pcap_geterr(pc));
            return -1;
        }
    }
    /* Non-blocking: poll() decides which handle to read, and a dispatch on a
     * handle with nothing ready returns at once instead of stalling others. */
    if (pcap_setnonblock(pc, 1, perr) != 0) {
        snprintf(errbuf, errlen, "%s: cannot switch to non-blocking mode: %s", lh->name, perr);
        return -1;
    }
    return 0;
}

static void
read_stats(const struct live_handle *lh, struct capture_live_stats *st)
{
    struct pcap_stat ps;
    memset(st, 0, sizeof(*st));
    st->name = lh->name;
    if (lh->pc == NULL || pcap_stats(lh->pc, &ps) != 0)
        return;
    st->received = ps.ps_recv;
    st->dropped = ps.ps_drop;
    st->ifdropped = ps.ps_ifdrop;
    st->known = true;
}

static void read_stats(const struct live_handle *lh, struct capture_live_stats *st);

/* The poll loop. Returns 1 when stopped, -1 on error. */
static int
capture_loop(struct live_handle *hs, struct pollfd *pfd, size_t n,
             const struct capture_live_opts *opts, struct capture_live_stats *st, char *errbuf,
             size_t errlen)
{
    const volatile sig_atomic_t *stop = opts->stop;
    uint64_t next_tick = capture_wall_us() + TICK_US;
    for (;;) {
        if (stop != NULL && *stop)
            return 1;
        int prc = poll(pfd, (nfds_t)n, POLL_TIMEOUT_MS);
        if (prc < 0 && errno != EINTR) {
            snprintf(errbuf, errlen, "%s: poll: %s", hs[0].name, strerror(errno));
            return -1;
        }
        for (size_t i = 0; prc > 0 && i < n; i++) {
            if (pfd[i].revents == 0)
                continue;
            /* POLLERR (the interface went away) surfaces as a dispatch
             * error with libpcap's explanation. */
            int drc = pcap_dispatch(hs[i].pc, DISPATCH_MAX, on_frame, (u_char *)&hs[i]);
            if (drc < 0 && drc != PCAP_ERROR_BREAK) {
                snprintf(errbuf, errlen, "%s: capture failed: %s (check the interface with "
                         "`ip link show %s`)", hs[i].name, pcap_geterr(hs[i].pc), hs[i].name);
                return -1;
            }
        }
        /* Flows expire on the wall clock, not only when a packet comes. */
        uint64_t now = capture_wall_us();
        if (now >= next_tick) {
            pipeline_tick(hs[0].p, now);
            next_tick = now + TICK_US;
            if (opts->each_second != NULL) {
                for (size_t i = 0; i < n; i++)
                    read_stats(&hs[i], &st[i]);
                opts->each_second(opts->each_second_user, st, now);
            }
        }
    }
}

/* Frames already captured belong to the run. A partly filled ring block
 * is handed over only when the read timeout retires it, so wait that long;
 * a few rounds at most, since a busy link never runs dry. */
static void
drain(struct live_handle *hs, struct pollfd *pfd, size_t n)
{
    for (int round = 0; round < DRAIN_ROUNDS; round++) {
        if (poll(pfd, (nfds_t)n, READ_TIMEOUT_MS * 2) <= 0)
            return;
        for (size_t i = 0; i < n; i++)
            if (pfd[i].revents != 0 &&
                pcap_dispatch(hs[i].pc, DISPATCH_MAX, on_frame, (u_char *)&hs[i]) < 0)
                return;
    }
}

int
capture_live_run(const struct capture_live_opts *opts, struct pipeline *p,
                 struct capture_live_stats *out, char *errbuf, size_t errlen)
{
    size_t n = opts->n;
    struct live_handle *hs = xcalloc(n, sizeof(*hs));
    struct pollfd *pfd = xcalloc(n, sizeof(*pfd));
    int rc = -1;
    for (size_t i = 0; i < n; i++) {
        hs[i].name = opts->ifaces[i]; /* also names the statistics of those never opened */
        hs[i].p = p;
    }
    for (size_t i = 0; i < n; i++) {
        if (open_iface(&hs[i], opts, errbuf, errlen) != 0)
            goto done;
        pfd[i].fd = pcap_get_selectable_fd(hs[i].pc);
        if (pfd[i].fd < 0) {
            snprintf(errbuf, errlen, "%s: the capture handle cannot be polled on this system",
                     hs[i].name);
            goto done;
        }
        pfd[i].events = POLLIN;
    }
    if (n == 0) {
        snprintf(errbuf, errlen, "no interface to capture on");
        goto done;
    }
    if (opts->after_open != NULL && opts->after_open(opts->after_open_user, errbuf, errlen) != 0)
        goto done;
    rc = capture_loop(hs, pfd, n, opts, out, errbuf, errlen);
    if (rc > 0) {
        drain(hs, pfd, n);
        snprintf(errbuf, errlen, "capture stopped by a signal");
    }
done:
    for (size_t i = 0; i < n; i++) {
        read_stats(&hs[i], &out[i]);
        if (hs[i].pc != NULL)
            pcap_close(hs[i].pc);
    }
    free(pfd);
    free(hs);
    return rc;
}
