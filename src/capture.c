/* capture.c - offline capture reading with libpcap (pcap and pcapng).
 *
 * Reference: pcap_open_offline(3PCAP), pcap_next_ex(3PCAP). Timestamps are
 * requested in microseconds, so nanosecond files are converted by libpcap.
 */
#include "telexpose/capture.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "telexpose/decode.h"
#include "telexpose/pipeline.h"
#include "telexpose/xalloc.h"

#define PROGRESS_EVERY_PKTS 65536 /* check the clock this often */
#define READ_BUFFER (1u << 20)     /* stdio buffer for capture files */

struct progress {
    bool on;
    double last;       /* seconds, monotonic */
    double start;
    uint64_t packets;  /* over all files */
};

static double
mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
progress_show(struct progress *pr, pcap_t *pc, const char *path, size_t idx, size_t n,
              off_t size, bool final)
{
    double now = mono_now();
    if (!final && now - pr->last < 1.0)
        return;
    pr->last = now;
    long pos = ftell(pcap_file(pc));
    double pct = (size > 0 && pos >= 0) ? 100.0 * (double)pos / (double)size : 0.0;
    double el = now - pr->start;
    fprintf(stderr, "\rtelexpose: file %zu/%zu %s: %5.1f%%  %llu packets  %.0f kpps   ",
            idx + 1, n, path, pct, (unsigned long long)pr->packets,
            el > 0 ? (double)pr->packets / el / 1000.0 : 0.0);
    if (final)
        fputc('\n', stderr);
}

/* Read every frame of an open handle. Returns 0 at end of file, 1 when
 * stopped by *stop, -1 on error. */
static int
read_handle(pcap_t *pc, const char *name, struct pipeline *p, struct progress *pr, size_t idx,
            size_t n, off_t size, const volatile sig_atomic_t *stop, char *errbuf,
            size_t errlen)
{
    int dlt = pcap_datalink(pc);
    if (!decode_linktype_supported(dlt)) {
        const char *dn = pcap_datalink_val_to_name(dlt);
        snprintf(errbuf, errlen,
                 "%s: link type %d (%s) is not supported (supported: Ethernet, Linux SLL/SLL2, "
                 "raw IPv4/IPv6, BSD loopback)",
                 name, dlt, dn ? dn : "unknown");
        return -1;
    }
    uint64_t pktno = 0;
    for (;;) {
        if (stop != NULL && *stop) {
            snprintf(errbuf, errlen, "%s: stopped by a signal after packet %llu", name,
                     (unsigned long long)pktno);
            return 1;
        }
        struct pcap_pkthdr *h;
        const u_char *data;
        int rc = pcap_next_ex(pc, &h, &data);
        if (rc == PCAP_ERROR_BREAK)
            break;
        if (rc != 1) {
            snprintf(errbuf, errlen,
                     "%s: packet %llu: %s (the file is truncated or corrupt; the packets before "
                     "it were processed)",
                     name, (unsigned long long)pktno + 1, pcap_geterr(pc));
            return -1;
        }
        pktno++;
        if (h->caplen > h->len) {
            /* Some writers get len wrong; trust what was captured. */
            h->len = h->caplen;
        }
        uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec;
        pipeline_packet(p, dlt, data, h->caplen, h->len, ts);
        if (pr != NULL && pr->on && (++pr->packets % PROGRESS_EVERY_PKTS) == 0)
            progress_show(pr, pc, name, idx, n, size, false);
    }
    return 0;
}

int
capture_read_files(const char *const *paths, size_t n, struct pipeline *p,
                   const struct capture_opts *opts, char *errbuf, size_t errlen)
{
    struct progress pr = { .on = opts->progress && isatty(STDERR_FILENO) };
    pr.start = pr.last = mono_now();
    char *iobuf = xmalloc(READ_BUFFER); /* each file's stdio buffer in turn */
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        char perr[PCAP_ERRBUF_SIZE] = "";
        struct stat sb;
        rc = -1;
        if (stat(paths[i], &sb) != 0) {
            snprintf(errbuf, errlen, "%s: cannot read: %s", paths[i], strerror(errno));
            goto done;
        }
        if (S_ISDIR(sb.st_mode)) {
            snprintf(errbuf, errlen, "%s: is a directory (give the capture files, e.g. %s/*.pcap)",
                     paths[i], paths[i]);
            goto done;
        }
        /* Our own FILE with a large buffer: fewer read(2) calls than
         * libpcap's default stdio buffer on multi-gigabyte files. */
        FILE *fp = fopen(paths[i], "rb");
        if (fp == NULL) {
            snprintf(errbuf, errlen, "%s: cannot read: %s", paths[i], strerror(errno));
            goto done;
        }
        setvbuf(fp, iobuf, _IOFBF, READ_BUFFER);
        pcap_t *pc = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_MICRO, perr);
        if (pc == NULL) {
            fclose(fp);
            snprintf(errbuf, errlen, "%s: not a readable pcap or pcapng file: %s", paths[i], perr);
            goto done;
        }
        if (opts->bpf != NULL) {
            struct bpf_program prog;
            if (pcap_compile(pc, &prog, opts->bpf, 1, PCAP_NETMASK_UNKNOWN) != 0) {
                snprintf(errbuf, errlen, "%s: BPF filter \"%s\": %s", paths[i], opts->bpf,
                         pcap_geterr(pc));
                pcap_close(pc);
                goto done;
            }
            int frc = pcap_setfilter(pc, &prog);
            pcap_freecode(&prog);
            if (frc != 0) {
                snprintf(errbuf, errlen, "%s: cannot set BPF filter: %s", paths[i],
                         pcap_geterr(pc));
                pcap_close(pc);
                goto done;
            }
        }
        rc = read_handle(pc, paths[i], p, &pr, i, n, sb.st_size, opts->stop, errbuf, errlen);
        if (pr.on)
            progress_show(&pr, pc, paths[i], i, n, sb.st_size, true);
        pcap_close(pc);
        if (rc != 0)
            goto done;
    }
done:
    free(iobuf);
    return rc;
}

const char *
capture_lib_version(void)
{
    return pcap_lib_version();
}

int
capture_read_stream(void *fp, const char *name, struct pipeline *p, char *errbuf, size_t errlen)
{
    char perr[PCAP_ERRBUF_SIZE] = "";
    pcap_t *pc = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_MICRO, perr);
    if (pc == NULL) {
        snprintf(errbuf, errlen, "%s: not a readable pcap or pcapng stream: %s", name, perr);
        fclose(fp);
        return -1;
    }
    int rc = read_handle(pc, name, p, NULL, 0, 1, 0, NULL, errbuf, errlen);
    pcap_close(pc);
    return rc;
}
