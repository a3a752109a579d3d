/* options.h - the command line and the config file (--config FILE,
 * docs/config.md) turned into one struct options. Internal to the
 * telexpose program. */
#ifndef TELEXPOSE_OPTIONS_H
#define TELEXPOSE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "telexpose/asset.h"
#include "telexpose/pipeline.h"
#include "telexpose/privdrop.h"

/* Every string below points into argv or into config_text: both live as
 * long as the struct. The lists are owned by the struct (options_free). */
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
    bool progress;             /* derived: neither -q nor --no-progress */
    bool no_progress;          /* --no-progress */
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
    struct asset_config assets; /* --home-net, parsed */
    const char *home_net;      /* --home-net as given, for --print-config */
    unsigned threads;          /* --threads N; 0 until defaulted (live: cores, files: 1) */
    uint32_t stats_interval;   /* --stats-interval SEC (live; 0: only the final stats) */
    uint32_t report_interval;  /* --report-interval SEC (live, with --report; 0: at the end) */
    const char **outputs;      /* -o/--output SPEC ...: extra event outputs */
    size_t n_outputs;
    const char *config_path;   /* --config FILE */
    bool print_config;         /* --print-config: show the effective options and exit */
    char *config_text;         /* the config file, NUL-terminated and cut into
                                * values in place; owned */
};

#define OPTIONS_STATS_INTERVAL 60 /* --stats-interval default, seconds */
#define OPTIONS_THREADS_MAX 64


/* Fill o (zeroed by the caller) from the config file named by --config,
 * then argv: a scalar on the command line overrides the file's, and any
 * occurrence of a list option (-r, -i, -o, --enable-pack, --disable-pack)
 * replaces the file's whole list. Returns 0 to run, 1 when done (--help,
 * --version, --print-config printed to stdout), 2 on a usage error (the
 * message, with FILE:LINE for the config file, is on stderr). o owns what
 * it holds even on error: options_free() releases it. */
int options_parse(int argc, char **argv, struct options *o);

/* Release what options_parse allocated; the strings of o die with it.
 * Idempotent. */
void options_free(struct options *o);

/* Write o in the config file syntax, every option on one line (options not
 * set as "# key ="), so that the output read back with --config gives the
 * same options. */
void options_print_config(FILE *fp, const struct options *o);

/* The signature directory to use when none is named. */
const char *options_default_sigdir(void);

/* This binary runs from its build tree (tests, development). */
bool options_in_build_tree(void);

#endif /* TELEXPOSE_OPTIONS_H */
