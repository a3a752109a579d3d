/* capture.h - reading frames from pcap/pcapng files (libpcap) into a pipeline.
 *
 * Files are read one after another as one timeline. Errors name the file and
 * the packet number, and stop the run; what was read before stays counted so
 * the caller can still flush and report it.
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

/* libpcap's version string. */
const char *capture_lib_version(void);

/* Same, from an already opened stream (the pcap fuzz target uses fmemopen).
 * name labels errors. fp is always closed: the caller must not close it. */
int capture_read_stream(void *fp, const char *name, struct pipeline *p, char *errbuf,
                        size_t errlen);

#endif /* TELEXPOSE_CAPTURE_H */
