/* main.c - telexpose command line: options, wiring of the stages, exit status.
 *
 * Exit status: 0 success; 1 the run failed (unreadable or corrupt input,
 * output write error) after flushing what was read; 2 usage error.
 */
#include "config.h"

#include <dirent.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "telexpose/asset.h"
#include "telexpose/capture.h"
#include "telexpose/dpi.h"
#include "telexpose/flow.h"
#include "telexpose/geoip.h"
#include "telexpose/out_json.h"
#include "telexpose/pipeline.h"
#include "telexpose/privdrop.h"
#include "telexpose/oui.h"
#include "telexpose/report.h"
#include "telexpose/sig.h"
#include "telexpose/xalloc.h"

#include "options.h"

#define ERRBUF_SIZE 512
#define OUI_FILE "ieee-oui.txt" /* the MAC registry table beside the packs */

/* Set by SIGINT/SIGTERM; the reader stops, then every flow is flushed. */
static volatile sig_atomic_t stop_requested;

/* SIGHUP: the outputs reopen their files (logrotate moved them). */
static volatile sig_atomic_t reopen_requested;

static void
on_stop_signal(int sig)
{
    (void)sig;
    __atomic_store_n(&stop_requested, 1, __ATOMIC_RELAXED);
}

static void
on_hup_signal(int sig)
{
    (void)sig;
    __atomic_store_n(&reopen_requested, 1, __ATOMIC_RELAXED);
}

/* SIGUSR1: a stats event now (live capture). */
static volatile sig_atomic_t stats_requested;

static void
on_usr1_signal(int sig)
{
    (void)sig;
    __atomic_store_n(&stats_requested, 1, __ATOMIC_RELAXED);
}

/* Ids (file stems) of the *.sig files in dir, so a check can enable the
 * packs that are off by default too. Returns how many; *ids is owned by the
 * caller (free each, then the array). */
static size_t
pack_ids(const char *dir, char ***ids)
{
    size_t n = 0;
    *ids = NULL;
    DIR *d = opendir(dir);
    if (d == NULL)
        return 0;
    const struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len <= 4 || strcmp(e->d_name + len - 4, ".sig") != 0)
            continue;
        *ids = xreallocarray(*ids, n + 1, sizeof(char *));
        (*ids)[n] = xstrdup(e->d_name);
        (*ids)[n][len - 4] = '\0';
        n++;
    }
    closedir(d);
    return n;
}

/* --check-signatures: load every pack of dir (default-off ones included),
 * run each rule's examples and near-misses, print a line per pack.
 * Returns the exit status. */
static int
check_signatures(const char *dir)
{
    char err[1024] = "";
    struct sig_db *db = NULL;
    char **ids;
    size_t n_ids = pack_ids(dir, &ids);
    int lrc = sig_db_load_dir(dir, (const char *const *)ids, n_ids, NULL, 0, &db, err,
                              sizeof(err));
    for (size_t i = 0; i < n_ids; i++)
        free(ids[i]);
    free(ids);
    if (lrc != 0) {
        fprintf(stderr, "telexpose: %s\n", err);
        return 1;
    }
    if (sig_db_pack_count(db) == 0) {
        fprintf(stderr, "telexpose: %s: no signature packs (*.sig) found\n", dir);
        sig_db_free(db);
        return 1;
    }
    struct sig_check_report rep;
    int rc = sig_db_check(db, &rep, err, sizeof(err));
    for (size_t i = 0; i < rep.n_packs; i++) {
        char line[256];
        printf("%s\n", sig_pack_report_format(&rep.packs[i], line, sizeof(line)));
    }
    if (rc != 0)
        fprintf(stderr, "telexpose: %s\n", err);
    sig_check_report_free(&rep);
    sig_db_free(db);
    return rc != 0 ? 1 : 0;
}

/* The vendor engine's data: packs of sigdir and the MAC registry table
 * (from sigdir, else the default directory). Returns 0, or -1 with err. */
static int
load_vendor_data(const struct options *o, struct sig_db **db, struct oui_db **oui, char *err,
                 size_t errlen)
{
    *db = NULL;
    *oui = NULL;
    if (sig_db_load_dir(o->sigdir, o->enable, o->n_enable, o->disable, o->n_disable, db, err,
                        errlen) != 0)
        return -1;
    if (sig_db_pack_count(*db) == 0 && o->n_disable == 0) {
        snprintf(err, errlen, "%s: no signature packs (*.sig) found (point --signatures at "
                 "the packs, or run with --no-signatures)", o->sigdir);
        sig_db_free(*db);
        *db = NULL;
        return -1;
    }
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", o->sigdir, OUI_FILE);
    if (access(path, R_OK) != 0)
        snprintf(path, sizeof(path), "%s/%s", options_default_sigdir(), OUI_FILE);
    if (oui_db_load(path, oui, err, errlen) != 0) {
        sig_db_free(*db);
        *db = NULL;
        return -1;
    }
    return 0;
}

/* GeoIP and the vendor networks. Pack ids the networks database knows are
 * taken off the --enable-pack/--disable-pack lists, which then name
 * signature packs only. Returns 0, or -1 with err. */
static int
open_geo(struct options *o, struct geoip **geo, char *err, size_t errlen)
{
    *geo = NULL;
    const char *netdb = o->networks_db;
    if (netdb == NULL && !o->no_networks && !o->no_sigs)
        netdb = options_in_build_tree() ? TX_BUILD_NETDB : TX_NETDB;
    if (o->no_networks)
        netdb = NULL;
    if (o->asn_db == NULL && o->country_db == NULL && netdb == NULL)
        return 0;
    *geo = geoip_open(o->asn_db, o->country_db, err, errlen);
    if (*geo == NULL)
        return -1;
    if (netdb == NULL)
        return 0;
    if (geoip_open_networks(*geo, netdb, o->enable, o->n_enable, o->disable, o->n_disable, err,
                            errlen) != 0)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < o->n_enable; i++)
        if (!geoip_network_pack_known(*geo, o->enable[i]))
            o->enable[n++] = o->enable[i];
    o->n_enable = n;
    n = 0;
    for (size_t i = 0; i < o->n_disable; i++)
        if (!geoip_network_pack_known(*geo, o->disable[i]))
            o->disable[n++] = o->disable[i];
    o->n_disable = n;
    return 0;
}

/* The report and the human summary, from the settled picture. Returns
 * false with err when the report could not be written. */
static bool
write_report(const struct options *o, const struct pipeline *p,
             const struct capture_live_stats *ls, bool final, char *err, size_t errlen)
{
    struct report_run run;
    memset(&run, 0, sizeof(run));
    run.inputs = o->n_ifaces > 0 ? o->ifaces : o->inputs;
    run.n_inputs = o->n_ifaces > 0 ? o->n_ifaces : o->n_inputs;
    for (size_t i = 0; ls != NULL && i < o->n_ifaces; i++) {
        if (!ls[i].known)
            continue;
        run.dropped_known = true;
        run.dropped += ls[i].dropped + ls[i].ifdropped;
    }
    run.ifaces = ls;
    run.n_ifaces = ls != NULL ? o->n_ifaces : 0;
    run.rs = pipeline_stats(p);
    run.fs = pipeline_flow_stats(p);
    run.sigs = o->pc.sigs;
    struct geoip_net_pack gp[GEOIP_NET_PACKS_MAX];
    struct report_netpack np[GEOIP_NET_PACKS_MAX];
    size_t n = o->pc.geo ? geoip_network_packs(o->pc.geo, gp, GEOIP_NET_PACKS_MAX) : 0;
    for (size_t i = 0; i < n && i < GEOIP_NET_PACKS_MAX; i++) {
        np[i].id = gp[i].id;
        np[i].vendor = gp[i].vendor;
        np[i].prefixes = gp[i].prefixes;
        np[i].enabled = gp[i].enabled;
    }
    run.netpacks = np;
    run.n_netpacks = n < GEOIP_NET_PACKS_MAX ? n : GEOIP_NET_PACKS_MAX;
    const struct asset_view *v = pipeline_view(p);
    if (final && !o->quiet)
        report_summary(stderr, &run, v, pipeline_exposures(p));
    if (o->report_path == NULL)
        return true;
    if (report_write(o->report_path, &run, pipeline_asset(p), v, pipeline_exposures(p), err,
                     errlen) != 0)
        return false;
    if (final && !o->quiet && strcmp(o->report_path, "-") != 0)
        fprintf(stderr, "  report: %s\n", o->report_path);
    return true;
}

/* What the live loop's once-a-second call needs. */
struct live_ctx {
    const struct options *o;
    struct pipeline *p;
    const struct capture_live_stats *st;
    uint64_t next_stats_us;
    uint64_t next_report_us;
};

/* Runs with the model held: the report as of now. */
static int
periodic_report(void *user, struct pipeline *p)
{
    struct live_ctx *lc = user;
    char err[ERRBUF_SIZE];
    if (lc->o->report_path != NULL && !write_report(lc->o, p, lc->st, false, err, sizeof(err))) {
        /* The next interval tries again; the final report decides the status. */
        fprintf(stderr, "telexpose: %s\n", err);
        return -1;
    }
    return 0;
}

static void
each_second(void *user, const struct capture_live_stats *st, uint64_t now_us)
{
    struct live_ctx *lc = user;
    const struct options *o = lc->o;
    pipeline_set_ifaces(lc->p, st, o->n_ifaces);
    bool stats_due = o->stats_interval > 0 && now_us >= lc->next_stats_us;
    if (stats_due || stats_requested) {
        __atomic_store_n(&stats_requested, 0, __ATOMIC_RELAXED);
        pipeline_write_stats(lc->p);
        lc->next_stats_us = now_us + (uint64_t)o->stats_interval * 1000000u;
    }
    /* Findings surface while running: each review writes the exposure
     * events of findings not written before. */
    bool review_due = (o->report_interval > 0 && now_us >= lc->next_report_us) ||
                      (o->report_interval == 0 && stats_due);
    if (review_due && pipeline_asset(lc->p) != NULL) {
        lc->st = st;
        pipeline_review(lc->p, now_us, o->report_interval > 0 ? periodic_report : NULL,
                        lc);
        if (o->report_interval > 0)
            lc->next_report_us = now_us + (uint64_t)o->report_interval * 1000000u;
    }
}

static int
drop_after_open(void *user, char *errbuf, size_t errlen)
{
    return privdrop_apply(user, errbuf, errlen);
}

int
main(int argc, char **argv)
{
    struct options o;
    memset(&o, 0, sizeof(o));
    int rc = options_parse(argc, argv, &o);
    if (rc != 0 || o.check_sigs) {
        /* o.sigdir may point into the config file's text: check first. */
        int st = rc != 0 ? (rc == 1 ? 0 : 2) : check_signatures(o.sigdir);
        options_free(&o);
        return st;
    }

    char err[ERRBUF_SIZE] = "";
    int status = 1;
    struct pipeline *p = NULL;
    struct sig_db *sigs = NULL;
    struct oui_db *oui = NULL;
    struct geoip *geo = NULL;
    struct out *out = NULL;
    struct capture_live_stats *live = NULL; /* per interface, live capture only */
    /* Before the slow start (nDPI, signatures): a SIGHUP or SIGUSR1 sent
     * by a service manager meanwhile must not kill the process. */
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sa.sa_handler = on_hup_signal;
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = on_usr1_signal;
    sigaction(SIGUSR1, &sa, NULL);
    if (open_geo(&o, &geo, err, sizeof(err)) != 0)
        goto fail;
    o.pc.geo = geo;
    if (!o.no_sigs) {
        if (load_vendor_data(&o, &sigs, &oui, err, sizeof(err)) != 0)
            goto fail;
        o.pc.sigs = sigs;
        o.pc.oui = oui;
    }
    /* A closed pipe (telexpose ... | head) is a write error with a message
     * and exit status 1, not a silent death by SIGPIPE. */
    signal(SIGPIPE, SIG_IGN);
    out_set_files_append(o.n_ifaces > 0);
    out = out_open_multi(o.out_path, o.outputs, o.n_outputs, err, sizeof(err));
    if (out == NULL)
        goto fail;
    out_set_reopen_flag(out, &reopen_requested);
    p = pipeline_new(&o.pc, out, err, sizeof(err));
    if (p == NULL)
        goto fail;
    status = 0;
    if (o.n_ifaces > 0) {
        live = xcalloc(o.n_ifaces, sizeof(*live));
        struct capture_live_opts lo = {
            .ifaces = o.ifaces, .n = o.n_ifaces, .bpf = o.bpf, .snaplen = o.snaplen,
            .buffer = o.buffer, .promisc = !o.no_promisc, .stop = &stop_requested,
        };
        struct live_ctx *lc = xcalloc(1, sizeof(*lc));
        lc->o = &o;
        lc->p = p;
        uint64_t start = capture_wall_us();
        lc->next_stats_us = start + (uint64_t)o.stats_interval * 1000000u;
        lc->next_report_us = start + (uint64_t)o.report_interval * 1000000u;
        lo.each_second = each_second;
        lo.each_second_user = lc;
        if (o.user != NULL) {
            lo.after_open = drop_after_open;
            lo.after_open_user = &o.pd;
        } else if (geteuid() == 0 && !o.quiet) {
            fprintf(stderr, "telexpose: warning: capturing as root; give -Z USER to parse "
                    "packets without root\n");
        }
        rc = capture_live_run(&lo, p, live, err, sizeof(err));
        pipeline_set_ifaces(p, live, o.n_ifaces); /* for the final stats event */
        free(lc);
        /* A live capture ends by a signal: only an error is worth a line
         * when quiet. */
        if (rc < 0 || !o.quiet)
            fprintf(stderr, "telexpose: %s%s\n", err, rc > 0 ? "; flushing flows" : "");
        status = rc > 0 ? 0 : 1;
    } else {
        struct capture_opts co = { .progress = o.progress, .bpf = o.bpf,
                                   .stop = &stop_requested };
        rc = capture_read_files(o.inputs, o.n_inputs, p, &co, err, sizeof(err));
        if (rc != 0) {
            /* A signal is an operator's choice, not a failure: what was read
             * is written and the exit status stays 0. */
            fprintf(stderr, "telexpose: %s%s\n", err, rc > 0 ? "; flushing flows" : "");
            status = rc > 0 ? 0 : 1;
        }
    }
    /* Whatever was read is flushed and written, error or not. */
    pipeline_finish(p);
    if (!o.quiet) {
        const struct run_stats *rs = pipeline_stats(p);
        const struct flow_stats *fs = pipeline_flow_stats(p);
        fprintf(stderr,
                "telexpose: %" PRIu64 " packets, %" PRIu64 " flows (%" PRIu64
                " evicted), %" PRIu64 " invalid packets, %" PRIu64 " events to %s\n",
                rs->packets, fs->created, fs->evicted, rs->decode_errors, out_events(out),
                o.out_path && strcmp(o.out_path, "-") != 0 ? o.out_path
                : o.out_path == NULL && o.n_outputs > 0 ? "the -o outputs" : "stdout");
    }
    for (size_t i = 0; live != NULL && !o.quiet && i < o.n_ifaces; i++) {
        if (live[i].known)
            fprintf(stderr, "telexpose: %s: %" PRIu64 " received, %" PRIu64
                    " dropped by the kernel, %" PRIu64 " by the interface\n", o.ifaces[i],
                    live[i].received, live[i].dropped, live[i].ifdropped);
    }
    if (pipeline_asset(p) != NULL && !write_report(&o, p, live, true, err, sizeof(err))) {
        fprintf(stderr, "telexpose: %s\n", err);
        status = 1;
    }
    goto cleanup;
fail:
    fprintf(stderr, "telexpose: %s\n", err);
cleanup:
    pipeline_free(p);
    if (out_close(out, err, sizeof(err)) != 0) {
        fprintf(stderr, "telexpose: %s\n", err);
        status = 1;
    }
    /* After the writer is gone: evidence events point into the db. */
    sig_db_free(sigs);
    oui_db_free(oui);
    geoip_close(geo);
    free(live);
    options_free(&o);
    return status;
}
