/* capture.h - frames from pcap/pcapng files or live interfaces (libpcap)
 * into a pipeline.
 *
 * Files are read one after another as one timeline. Errors name the file and
 * the packet number, and stop the run; what was read before stays counted so
 * the caller can still flush and report it.
 *
 * Live capture reads several interfaces in one thread: poll() over their
 * handles feeds one pipeline, and idle flows expire on the wall clock even
 * when no packet arrives.
 */
#ifndef TELEXPOSE_CAPTURE_H
#define TELEXPOSE_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pipeline;

#include <signal.h>

struct capture_opts {
    bool progress;      /* print progress to stderr (when it is a terminal) */
    const char *bpf;    /* optional BPF filter applied to every file, or NULL */
    const volatile sig_atomic_t *stop; /* reading stops when *stop != 0 (a
                                        * signal handler sets it); may be NULL */
};

/* Read each file of paths[0..n) in order into p.
 * Returns 0 when every file was read to its end, 1 when *opts->stop ended the
 * reading early (errbuf says where), -1 on the first error with errbuf
 * holding "FILE: packet N: what happened (what to do)". */
int capture_read_files(const char *const *paths, size_t n, struct pipeline *p,
                       const struct capture_opts *opts, char *errbuf, size_t errlen);

/* The wall clock in microseconds since the epoch (the clock live capture
 * stamps packets with). */
uint64_t capture_wall_us(void);

/* libpcap's version string. */
const char *capture_lib_version(void);

/* Same, from an already opened stream (the pcap fuzz target uses fmemopen).
 * name labels errors. fp is always closed: the caller must not close it. */
int capture_read_stream(void *fp, const char *name, struct pipeline *p, char *errbuf,
                        size_t errlen);

#define CAPTURE_LIVE_SNAPLEN 262144          /* --snaplen default */
#define CAPTURE_LIVE_BUFFER (64u << 20)      /* --buffer-size default (kernel ring) */

/* Capture loss of one interface, from pcap_stats(3PCAP); the stats events
 * and the report show it as it is. */
struct capture_live_stats {
    const char *name;          /* the interface (the caller's string) */
    uint64_t received;         /* ps_recv */
    uint64_t dropped;          /* ps_drop: no room in the kernel ring */
    uint64_t ifdropped;        /* ps_ifdrop: dropped by the interface/driver */
    bool known;                /* false: the statistics could not be read */
};

struct capture_live_opts {
    const char *const *ifaces; /* interface names, n of them */
    size_t n;
    const char *bpf;           /* optional BPF filter applied to each, or NULL */
    int snaplen;               /* bytes kept of each frame */
    size_t buffer;             /* kernel ring per interface, bytes */
    bool promisc;
    const volatile sig_atomic_t *stop; /* capture stops when *stop != 0; may be NULL */
    /* Called once every handle is open, before the first packet is read
     * (privilege drop); non-zero stops the run as an error, errbuf filled.
     * May be NULL. */
    int (*after_open)(void *user, char *errbuf, size_t errlen);
    void *after_open_user;
    /* Called about once a second, after the flows' wall-clock expiry, with
     * each interface's statistics so far (st[0..n)): periodic stats and
     * reports. May be NULL. */
    void (*each_second)(void *user, const struct capture_live_stats *st, uint64_t now_us);
    void *each_second_user;
};

/* Capture on every interface of opts into p until *opts->stop is set.
 * out[0..opts->n) receives each interface's statistics (also on error, for
 * the interfaces that were opened). Returns 1 when stopped by *opts->stop
 * (the normal end), -1 on an error with errbuf holding "IFACE: what happened
 * (what to do)". The caller finishes the pipeline either way. */
int capture_live_run(const struct capture_live_opts *opts, struct pipeline *p,
                     struct capture_live_stats *out, char *errbuf, size_t errlen);

#endif /* TELEXPOSE_CAPTURE_H */
