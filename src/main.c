/* main.c - telexpose command line: options, wiring of the stages, exit status.
 *
 * Exit status: 0 success; 1 the run failed (unreadable or corrupt input,
 * output write error) after flushing what was read; 2 usage error.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
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

#include "usage.h"

#define ERRBUF_SIZE 512
#define OUI_FILE "ieee-oui.txt" /* the MAC registry table beside the packs */
#define SNAPLEN_MIN 64          /* below it even the headers are cut */
#define BUFFER_MIN (1u << 20)

/* Set by SIGINT/SIGTERM; the reader stops, then every flow is flushed. */
static volatile sig_atomic_t stop_requested;

static void
on_stop_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

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
};


/* Parse "256M"-style sizes (K, M, G, optionally followed by "iB" or "B").
 * Returns 0 or -1. */
static int
parse_size(const char *s, size_t *out)
{
    char *end;
    if (s[0] < '0' || s[0] > '9')
        return -1; /* strtoull would skip blanks and accept "-1" */
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || end == s)
        return -1;
    unsigned long long mul = 1;
    switch (*end) {
    case 'k':
    case 'K':
        mul = 1ull << 10;
        end++;
        break;
    case 'm':
    case 'M':
        mul = 1ull << 20;
        end++;
        break;
    case 'g':
    case 'G':
        mul = 1ull << 30;
        end++;
        break;
    case '\0':
        break;
    default:
        return -1;
    }
    if (mul > 1 && strcmp(end, "iB") == 0)
        end += 2;
    else if (strcmp(end, "B") == 0)
        end += 1;
    if (*end != '\0' || v > SIZE_MAX / mul)
        return -1;
    *out = (size_t)(v * mul);
    return 0;
}

/* Physical memory in bytes (SIZE_MAX when unknown). */
static size_t
phys_memory(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || size <= 0 || (unsigned long)pages > SIZE_MAX / (unsigned long)size)
        return SIZE_MAX;
    return (size_t)pages * (size_t)size;
}

static int
parse_u32(const char *s, uint32_t *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || s[0] == '-' || v > UINT32_MAX)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

static int
parse_timeout(const char *arg, struct flow_config *fc)
{
    const char *eq = strchr(arg, '=');
    if (eq == NULL)
        return -1;
    for (int c = 0; c < FLOW_TC_COUNT; c++) {
        const char *name = flow_tclass_name((enum flow_tclass)c);
        if (strlen(name) == (size_t)(eq - arg) && strncmp(arg, name, (size_t)(eq - arg)) == 0) {
            uint32_t v;
            if (parse_u32(eq + 1, &v) != 0 || v == 0)
                return -1;
            fc->timeout[c] = v;
            return 0;
        }
    }
    return -1;
}

enum {
    OPT_MEMCAP = 256,
    OPT_TIMEOUT,
    OPT_ACTIVE,
    OPT_NO_DPI,
    OPT_NO_PROGRESS,
    OPT_CHECK_SIGS,
    OPT_SIGDIR,
    OPT_ENABLE_PACK,
    OPT_DISABLE_PACK,
    OPT_NO_SIGS,
    OPT_ASN_DB,
    OPT_COUNTRY_DB,
    OPT_REPORT,
    OPT_HOME_NET,
    OPT_NETWORKS_DB,
    OPT_NO_NETWORKS,
    OPT_SNAPLEN,
    OPT_BUFFER,
    OPT_NO_PROMISC,
    OPT_CHROOT
};

/* The directory this binary runs from is its build tree. */
static bool
running_from_build_tree(void)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n <= 0)
        return false;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash == NULL)
        return false;
    *slash = '\0';
    return strcmp(exe, TX_BUILD_SRC) == 0;
}

/* The packs to use when none are named: the in-tree ones when this binary
 * runs from its build tree (tests, development), else the installed ones. */
static const char *
default_sigdir(void)
{
    return running_from_build_tree() ? TX_SRC_SIGDIR : TX_SIGDIR;
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

/* Returns 0 to run, 1 when done (help/version), 2 on a usage error. */
static int
parse_args(int argc, char **argv, struct options *o)
{
    static const struct option longopts[] = {
        { "read", required_argument, NULL, 'r' },
        { "interface", required_argument, NULL, 'i' },
        { "user", required_argument, NULL, 'Z' },
        { "chroot", required_argument, NULL, OPT_CHROOT },
        { "snaplen", required_argument, NULL, OPT_SNAPLEN },
        { "buffer-size", required_argument, NULL, OPT_BUFFER },
        { "no-promisc", no_argument, NULL, OPT_NO_PROMISC },
        { "write", required_argument, NULL, 'w' },
        { "filter", required_argument, NULL, 'f' },
        { "quiet", no_argument, NULL, 'q' },
        { "flow-memcap", required_argument, NULL, OPT_MEMCAP },
        { "timeout", required_argument, NULL, OPT_TIMEOUT },
        { "active-timeout", required_argument, NULL, OPT_ACTIVE },
        { "no-dpi", no_argument, NULL, OPT_NO_DPI },
        { "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
        { "check-signatures", optional_argument, NULL, OPT_CHECK_SIGS },
        { "signatures", required_argument, NULL, OPT_SIGDIR },
        { "enable-pack", required_argument, NULL, OPT_ENABLE_PACK },
        { "disable-pack", required_argument, NULL, OPT_DISABLE_PACK },
        { "no-signatures", no_argument, NULL, OPT_NO_SIGS },
        { "asn-db", required_argument, NULL, OPT_ASN_DB },
        { "country-db", required_argument, NULL, OPT_COUNTRY_DB },
        { "report", required_argument, NULL, OPT_REPORT },
        { "home-net", required_argument, NULL, OPT_HOME_NET },
        { "networks-db", required_argument, NULL, OPT_NETWORKS_DB },
        { "no-networks", no_argument, NULL, OPT_NO_NETWORKS },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    flow_config_defaults(&o->pc.flow);
    o->pc.dpi_enabled = true;
    o->progress = true;
    o->inputs = xcalloc((size_t)argc, sizeof(char *));
    o->ifaces = xcalloc((size_t)argc, sizeof(char *));
    o->snaplen = CAPTURE_LIVE_SNAPLEN;
    o->buffer = CAPTURE_LIVE_BUFFER;
    o->enable = xcalloc((size_t)argc, sizeof(char *));
    o->disable = xcalloc((size_t)argc, sizeof(char *));
    int c;
    while ((c = getopt_long(argc, argv, "r:i:w:f:Z:qhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'r':
            o->inputs[o->n_inputs++] = optarg;
            break;
        case 'i':
            o->ifaces[o->n_ifaces++] = optarg;
            break;
        case OPT_SNAPLEN: {
            uint32_t v;
            if (parse_u32(optarg, &v) != 0 || v < SNAPLEN_MIN || v > CAPTURE_LIVE_SNAPLEN) {
                fprintf(stderr, "telexpose: --snaplen '%s': expected bytes from %d to %d\n",
                        optarg, SNAPLEN_MIN, CAPTURE_LIVE_SNAPLEN);
                return 2;
            }
            o->snaplen = (int)v;
            break;
        }
        case OPT_BUFFER:
            if (parse_size(optarg, &o->buffer) != 0 || o->buffer < BUFFER_MIN ||
                o->buffer > (size_t)INT_MAX) {
                fprintf(stderr, "telexpose: --buffer-size '%s': give a size from 1M to 2047M, "
                        "e.g. 64M or 512M\n", optarg);
                return 2;
            }
            break;
        case OPT_NO_PROMISC:
            o->no_promisc = true;
            break;
        case 'Z':
            o->user = optarg;
            break;
        case OPT_CHROOT:
            o->chroot_dir = optarg;
            break;
        case 'w':
            o->out_path = optarg;
            break;
        case 'f':
            o->bpf = optarg;
            break;
        case 'q':
            o->quiet = true;
            o->progress = false;
            break;
        case OPT_MEMCAP:
            if (parse_size(optarg, &o->pc.flow.memcap) != 0 ||
                o->pc.flow.memcap < FLOW_MIN_MEMCAP) {
                fprintf(stderr, "telexpose: --flow-memcap '%s': give a size of at least 1M, "
                        "e.g. 256M or 2G\n", optarg);
                return 2;
            }
            if (o->pc.flow.memcap > phys_memory()) {
                fprintf(stderr, "telexpose: --flow-memcap '%s' is more than this machine's "
                        "memory (%zu MiB)\n", optarg, phys_memory() >> 20);
                return 2;
            }
            break;
        case OPT_TIMEOUT:
            if (parse_timeout(optarg, &o->pc.flow) != 0) {
                fprintf(stderr, "telexpose: --timeout '%s': expected CLASS=SECONDS with CLASS "
                        "one of tcp_new, tcp_established, tcp_closed, udp, icmp, other and "
                        "SECONDS >= 1\n", optarg);
                return 2;
            }
            break;
        case OPT_ACTIVE:
            if (parse_u32(optarg, &o->pc.flow.active_timeout) != 0) {
                fprintf(stderr, "telexpose: --active-timeout '%s': expected seconds (0 = off)\n",
                        optarg);
                return 2;
            }
            break;
        case OPT_NO_DPI:
            o->pc.dpi_enabled = false;
            break;
        case OPT_NO_PROGRESS:
            o->progress = false;
            break;
        case OPT_CHECK_SIGS:
            o->check_sigs = true;
            /* Accept "--check-signatures DIR" as well as "=DIR". */
            if (optarg != NULL)
                o->sigdir = optarg;
            else if (optind < argc && argv[optind][0] != '-')
                o->sigdir = argv[optind++];
            break;
        case OPT_ENABLE_PACK:
            o->enable[o->n_enable++] = optarg;
            break;
        case OPT_DISABLE_PACK:
            o->disable[o->n_disable++] = optarg;
            break;
        case OPT_NO_SIGS:
            o->no_sigs = true;
            break;
        case OPT_ASN_DB:
            o->asn_db = optarg;
            break;
        case OPT_COUNTRY_DB:
            o->country_db = optarg;
            break;
        case OPT_SIGDIR:
            o->sigdir = optarg;
            break;
        case OPT_REPORT:
            o->report_path = optarg;
            break;
        case OPT_NETWORKS_DB:
            o->networks_db = optarg;
            break;
        case OPT_NO_NETWORKS:
            o->no_networks = true;
            break;
        case OPT_HOME_NET: {
            char herr[256];
            if (asset_parse_home_net(&o->assets, optarg, herr, sizeof(herr)) != 0) {
                fprintf(stderr, "telexpose: %s\n", herr);
                return 2;
            }
            o->pc.assets = &o->assets;
            break;
        }
        case 'h':
            usage(stdout);
            return 1;
        case 'V':
            printf("telexpose %s\n  %s\n  nDPI %s\n  cJSON %s\n  libmaxminddb %s\n",
                   PACKAGE_VERSION, capture_lib_version(), dpi_lib_version(), out_lib_version(),
                   geoip_lib_version());
            return 1;
        default:
            fprintf(stderr, "Try 'telexpose --help'.\n");
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "telexpose: unexpected argument '%s' (input files take -r: "
                "telexpose -r %s)\n", argv[optind], argv[optind]);
        return 2;
    }
    if (o->sigdir == NULL)
        o->sigdir = default_sigdir();
    if (o->check_sigs)
        return 0;
    if (o->report_path != NULL && strcmp(o->report_path, "-") == 0 &&
        (o->out_path == NULL || strcmp(o->out_path, "-") == 0)) {
        fprintf(stderr, "telexpose: --report - and the events would share standard output: "
                "write the events elsewhere with -w FILE\n");
        return 2;
    }
    if (o->report_path != NULL && o->no_sigs) {
        fprintf(stderr, "telexpose: --report needs the vendor engine: drop --no-signatures\n");
        return 2;
    }
    if (o->n_inputs > 0 && o->n_ifaces > 0) {
        fprintf(stderr, "telexpose: -r and -i cannot be mixed: read files (-r FILE) or "
                "capture live (-i IFACE), not both\n");
        return 2;
    }
    if ((o->user != NULL || o->chroot_dir != NULL) && o->n_ifaces == 0) {
        fprintf(stderr, "telexpose: -Z and --chroot are for live capture (-i): reading files "
                "needs no privilege\n");
        return 2;
    }
    if (o->chroot_dir != NULL && o->user == NULL) {
        fprintf(stderr, "telexpose: --chroot needs -Z USER (a chrooted root can leave the chroot)\n");
        return 2;
    }
    if (o->user != NULL) {
        char perr[256];
        if (privdrop_lookup(o->user, o->chroot_dir, &o->pd, perr, sizeof(perr)) != 0) {
            fprintf(stderr, "telexpose: %s\n", perr);
            return 2;
        }
    }
    if (o->n_inputs == 0 && o->n_ifaces == 0) {
        fprintf(stderr, "telexpose: no input: give a capture with -r FILE or an interface "
                "with -i IFACE (see telexpose --help)\n");
        return 2;
    }
    return 0;
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
        snprintf(path, sizeof(path), "%s/%s", default_sigdir(), OUI_FILE);
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
        netdb = running_from_build_tree() ? TX_BUILD_NETDB : TX_NETDB;
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
             const struct capture_live_stats *ls, char *err, size_t errlen)
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
    if (!o->quiet)
        report_summary(stderr, &run, v, pipeline_exposures(p));
    if (o->report_path == NULL)
        return true;
    if (report_write(o->report_path, &run, pipeline_asset(p), v, pipeline_exposures(p), err,
                     errlen) != 0)
        return false;
    if (!o->quiet && strcmp(o->report_path, "-") != 0)
        fprintf(stderr, "  report: %s\n", o->report_path);
    return true;
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
    int rc = parse_args(argc, argv, &o);
    if (rc != 0 || o.check_sigs) {
        free(o.inputs);
        free(o.ifaces);
        free(o.enable);
        free(o.disable);
        if (rc != 0)
            return rc == 1 ? 0 : 2;
        return check_signatures(o.sigdir);
    }

    char err[ERRBUF_SIZE] = "";
    int status = 1;
    struct pipeline *p = NULL;
    struct sig_db *sigs = NULL;
    struct oui_db *oui = NULL;
    struct geoip *geo = NULL;
    struct out *out = NULL;
    struct capture_live_stats *live = NULL; /* per interface, live capture only */
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
    out = out_open(o.out_path, err, sizeof(err));
    if (out == NULL)
        goto fail;
    p = pipeline_new(&o.pc, out, err, sizeof(err));
    if (p == NULL)
        goto fail;
    status = 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    if (o.n_ifaces > 0) {
        live = xcalloc(o.n_ifaces, sizeof(*live));
        struct capture_live_opts lo = {
            .ifaces = o.ifaces, .n = o.n_ifaces, .bpf = o.bpf, .snaplen = o.snaplen,
            .buffer = o.buffer, .promisc = !o.no_promisc, .stop = &stop_requested,
        };
        if (o.user != NULL) {
            lo.after_open = drop_after_open;
            lo.after_open_user = &o.pd;
        } else if (geteuid() == 0 && !o.quiet) {
            fprintf(stderr, "telexpose: warning: capturing as root; give -Z USER to parse "
                    "packets without root\n");
        }
        rc = capture_live_run(&lo, p, live, err, sizeof(err));
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
                o.out_path && strcmp(o.out_path, "-") != 0 ? o.out_path : "stdout");
    }
    for (size_t i = 0; live != NULL && !o.quiet && i < o.n_ifaces; i++) {
        if (live[i].known)
            fprintf(stderr, "telexpose: %s: %" PRIu64 " received, %" PRIu64
                    " dropped by the kernel, %" PRIu64 " by the interface\n", o.ifaces[i],
                    live[i].received, live[i].dropped, live[i].ifdropped);
    }
    if (pipeline_asset(p) != NULL && !write_report(&o, p, live, err, sizeof(err))) {
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
    free(o.inputs);
    free(o.ifaces);
    free(o.enable);
    free(o.disable);
    return status;
}
