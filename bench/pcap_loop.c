/*
 * pcap_loop.c - bare libpcap read loop: the "how fast can anything read this file" baseline.
 *
 * Reads a capture with pcap_open_offline/pcap_next_ex, touches nothing but the record
 * header (it sums caplen so the loop cannot be optimised away), and prints packets, bytes,
 * elapsed seconds and packets/s. Any tool that parses packets is bounded by this number.
 *
 * Usage: pcap_loop FILE
 * Build: cc -O2 -std=c99 -o pcap_loop pcap_loop.c -lpcap
 */
/* u_char & co. in pcap.h need the default (BSD) type names besides POSIX. */
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L

#include <pcap/pcap.h>

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

int main(int argc, char **argv)
{
    char err[PCAP_ERRBUF_SIZE];
    struct pcap_pkthdr *h;
    const u_char *data;
    uint64_t packets = 0, bytes = 0;
    struct timespec t0, t1;
    int rc;

    if (argc != 2) {
        fprintf(stderr, "usage: pcap_loop FILE\n");
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pcap_t *p = pcap_open_offline(argv[1], err);
    if (!p) {
        fprintf(stderr, "pcap_loop: %s\n", err);
        return 1;
    }
    while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
        packets++;
        bytes += h->caplen;
    }
    if (rc == PCAP_ERROR) {
        fprintf(stderr, "pcap_loop: %s\n", pcap_geterr(p));
        pcap_close(p);
        return 1;
    }
    pcap_close(p);
    clock_gettime(CLOCK_MONOTONIC, &t1);

    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("packets %" PRIu64 " bytes %" PRIu64 " seconds %.3f pps %.0f\n", packets, bytes, s,
           s > 0 ? (double)packets / s : 0.0);
    return 0;
}
