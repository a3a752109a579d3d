/* options.h - the command line (and, later, the config file) turned into
 * one struct options. Internal to the telexpose program. */
#ifndef TELEXPOSE_OPTIONS_H
#define TELEXPOSE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "telexpose/asset.h"
#include "telexpose/pipeline.h"
#include "telexpose/privdrop.h"

struct options {
    const char **inputs;
    size_t n_inputs;
    const char **ifaces;       /* -i IFACE ...: live capture */
    size_t n_ifaces;
    int snaplen;               /* --snaplen */
    size_t buffer;             /* --buffer-size */
    bool no_promisc;           /* --no-promisc */
    const char *user;          /* -Z USER */
    const char *chroot_dir;    /* --chroot DIR */
    struct privdrop pd;
    const char *out_path;
    const char *bpf;
    struct pipeline_config pc;
    bool progress;
    bool quiet;
    bool check_sigs;           /* --check-signatures: check packs and exit */
    bool no_sigs;              /* --no-signatures: flows only, no vendor engine */
    const char *sigdir;        /* --signatures DIR, or the default */
    const char **enable;       /* --enable-pack ID ... */
    size_t n_enable;
    const char **disable;      /* --disable-pack ID ... */
    size_t n_disable;
    const char *asn_db;        /* --asn-db FILE */
    const char *country_db;    /* --country-db FILE */
    const char *report_path;   /* --report FILE */
    const char *networks_db;   /* --networks-db FILE, or the default */
    bool no_networks;          /* --no-networks */
    struct asset_config assets; /* --home-net */
    unsigned threads;          /* --threads N; 0 until defaulted (live: cores, files: 1) */
    uint32_t stats_interval;   /* --stats-interval SEC (live; 0: only the final stats) */
    uint32_t report_interval;  /* --report-interval SEC (live, with --report; 0: at the end) */
    const char **outputs;      /* -o/--output SPEC ...: extra event outputs */
    size_t n_outputs;
    const char *config_path;   /* --config FILE */
    bool print_config;         /* --print-config: show the effective options and exit */
};

#define OPTIONS_STATS_INTERVAL 60 /* --stats-interval default, seconds */
#define OPTIONS_THREADS_MAX 64


/* Fill o from argv. Returns 0 to run, 1 when done (help/version), 2 on a
 * usage error (the message is printed). The lists in o are owned by o:
 * options_free() releases them. */
int options_parse(int argc, char **argv, struct options *o);
void options_free(struct options *o);

/* The signature directory to use when none is named. */
const char *options_default_sigdir(void);

/* This binary runs from its build tree (tests, development). */
bool options_in_build_tree(void);

#endif /* TELEXPOSE_OPTIONS_H */
