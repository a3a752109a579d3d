/* options.c - telexpose's options: parsing, checks, defaults. Every message
 * names the option and what a valid value looks like. */
#include "config.h"

#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "telexpose/capture.h"
#include "telexpose/dpi.h"
#include "telexpose/flow.h"
#include "telexpose/geoip.h"
#include "telexpose/out_json.h"
#include "telexpose/xalloc.h"

#include "usage.h"

#define SNAPLEN_MIN 64          /* below it even the headers are cut */
#define BUFFER_MIN (1u << 20)

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
    OPT_CHROOT,
    OPT_THREADS,
    OPT_STATS_INTERVAL,
    OPT_REPORT_INTERVAL,
    OPT_CONFIG,
    OPT_PRINT_CONFIG
};

/* The directory this binary runs from is its build tree. */
bool
options_in_build_tree(void)
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
const char *
options_default_sigdir(void)
{
    return options_in_build_tree() ? TX_SRC_SIGDIR : TX_SIGDIR;
}

int
options_parse(int argc, char **argv, struct options *o)
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
        { "threads", required_argument, NULL, OPT_THREADS },
        { "stats-interval", required_argument, NULL, OPT_STATS_INTERVAL },
        { "report-interval", required_argument, NULL, OPT_REPORT_INTERVAL },
        { "output", required_argument, NULL, 'o' },
        { "config", required_argument, NULL, OPT_CONFIG },
        { "print-config", no_argument, NULL, OPT_PRINT_CONFIG },
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
    o->outputs = xcalloc((size_t)argc, sizeof(char *));
    o->stats_interval = OPTIONS_STATS_INTERVAL;
    int c;
    while ((c = getopt_long(argc, argv, "r:i:w:o:f:Z:qhV", longopts, NULL)) != -1) {
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
        case OPT_THREADS: {
            uint32_t v;
            if (parse_u32(optarg, &v) != 0 || v < 1 || v > OPTIONS_THREADS_MAX) {
                fprintf(stderr, "telexpose: --threads '%s': expected workers from 1 to %d "
                        "(default: the number of cores when capturing live, 1 for files)\n",
                        optarg, OPTIONS_THREADS_MAX);
                return 2;
            }
            o->threads = v;
            break;
        }
        case OPT_STATS_INTERVAL:
        case OPT_REPORT_INTERVAL:
            if (parse_u32(optarg, c == OPT_STATS_INTERVAL ? &o->stats_interval
                                                          : &o->report_interval) != 0) {
                fprintf(stderr, "telexpose: --%s '%s': expected seconds (0 = only at the end)\n",
                        c == OPT_STATS_INTERVAL ? "stats-interval" : "report-interval", optarg);
                return 2;
            }
            break;
        case 'o':
            o->outputs[o->n_outputs++] = optarg;
            break;
        case OPT_CONFIG:
            o->config_path = optarg;
            break;
        case OPT_PRINT_CONFIG:
            o->print_config = true;
            break;
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
        o->sigdir = options_default_sigdir();
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
    if (o->threads == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        o->threads = o->n_ifaces == 0 || cores < 1 ? 1
                     : cores > OPTIONS_THREADS_MAX ? OPTIONS_THREADS_MAX : (unsigned)cores;
    }
    o->pc.workers = o->threads;
    if (o->report_interval > 0 && o->report_path == NULL) {
        fprintf(stderr, "telexpose: --report-interval needs --report FILE\n");
        return 2;
    }
    if (o->n_inputs == 0 && o->n_ifaces == 0) {
        fprintf(stderr, "telexpose: no input: give a capture with -r FILE or an interface "
                "with -i IFACE (see telexpose --help)\n");
        return 2;
    }
    return 0;
}


void
options_free(struct options *o)
{
    free(o->inputs);
    free(o->ifaces);
    free(o->enable);
    free(o->disable);
    free(o->outputs);
}
