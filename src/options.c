/* options.c - telexpose's options from the command line and the config
 * file (docs/config.md): parsing, checks, defaults, --print-config. Both
 * sources go through apply_value(), so they accept the same values and say
 * the same thing about a bad one (a file's message starts FILE:LINE). Every
 * message names the option and what a valid value looks like. */
#include "config.h"

#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "telexpose/capture.h"
#include "telexpose/dpi.h"
#include "telexpose/flow.h"
#include "telexpose/geoip.h"
#include "telexpose/out_json.h"
#include "telexpose/textfile.h"
#include "telexpose/xalloc.h"

#include "out_sink.h"
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

#define CONFIG_MAX (1u << 20) /* a config file is a few KiB */
#define SUGGEST_MAX 2         /* edits between an unknown key and a suggestion */

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

enum {
    OPTF_FLAG = 1 << 0, /* takes no argument; yes/no in a config file */
    OPTF_CLI = 1 << 1,  /* command line only, not a config key */
};

/* Where an option lives in struct options, for the generic setters and
 * --print-config. */
enum opt_type {
    T_NONE = 0, /* command line only */
    T_STR,      /* const char * */
    T_LIST,     /* const char ** at off, its size_t count at off_n */
    T_BOOL,     /* bool */
    T_NBOOL,    /* bool, the option's negation (--no-dpi: dpi_enabled) */
    T_INT,      /* int */
    T_U32,      /* uint32_t or unsigned */
    T_SIZE,     /* size_t, printed with a K/M/G suffix */
    T_TIMEOUT,  /* the flow timeouts, one "CLASS=SEC" setting per class */
};

struct opt_def {
    const char *name;   /* the long option and the config key */
    int has_arg;        /* getopt's no_argument, required_argument, ... */
    int id;             /* getopt's val: the short option or an OPT_ value */
    unsigned flags;     /* OPTF_ bits */
    enum opt_type type;
    size_t off, off_n;  /* offsetof the field (and the list's count) */
};

_Static_assert(sizeof(unsigned) == sizeof(uint32_t), "--threads is read as a T_U32");

#define F(field) offsetof(struct options, field)
#define ARG required_argument

/* Every option, in --help order, which --print-config follows too. */
static const struct opt_def opt_defs[] = {
    { "read", ARG, 'r', 0, T_LIST, F(inputs), F(n_inputs) },
    { "interface", ARG, 'i', 0, T_LIST, F(ifaces), F(n_ifaces) },
    { "filter", ARG, 'f', 0, T_STR, F(bpf), 0 },
    { "snaplen", ARG, OPT_SNAPLEN, 0, T_INT, F(snaplen), 0 },
    { "buffer-size", ARG, OPT_BUFFER, 0, T_SIZE, F(buffer), 0 },
    { "no-promisc", no_argument, OPT_NO_PROMISC, OPTF_FLAG, T_BOOL, F(no_promisc), 0 },
    { "user", ARG, 'Z', 0, T_STR, F(user), 0 },
    { "chroot", ARG, OPT_CHROOT, 0, T_STR, F(chroot_dir), 0 },
    { "threads", ARG, OPT_THREADS, 0, T_U32, F(threads), 0 },
    { "write", ARG, 'w', 0, T_STR, F(out_path), 0 },
    { "output", ARG, 'o', 0, T_LIST, F(outputs), F(n_outputs) },
    { "report", ARG, OPT_REPORT, 0, T_STR, F(report_path), 0 },
    { "report-interval", ARG, OPT_REPORT_INTERVAL, 0, T_U32, F(report_interval), 0 },
    { "stats-interval", ARG, OPT_STATS_INTERVAL, 0, T_U32, F(stats_interval), 0 },
    { "quiet", no_argument, 'q', OPTF_FLAG, T_BOOL, F(quiet), 0 },
    { "no-progress", no_argument, OPT_NO_PROGRESS, OPTF_FLAG, T_BOOL, F(no_progress), 0 },
    { "flow-memcap", ARG, OPT_MEMCAP, 0, T_SIZE, F(pc.flow.memcap), 0 },
    { "timeout", ARG, OPT_TIMEOUT, 0, T_TIMEOUT, F(pc.flow.timeout), 0 },
    { "active-timeout", ARG, OPT_ACTIVE, 0, T_U32, F(pc.flow.active_timeout), 0 },
    { "no-dpi", no_argument, OPT_NO_DPI, OPTF_FLAG, T_NBOOL, F(pc.dpi_enabled), 0 },
    { "signatures", ARG, OPT_SIGDIR, 0, T_STR, F(sigdir), 0 },
    { "enable-pack", ARG, OPT_ENABLE_PACK, 0, T_LIST, F(enable), F(n_enable) },
    { "disable-pack", ARG, OPT_DISABLE_PACK, 0, T_LIST, F(disable), F(n_disable) },
    { "no-signatures", no_argument, OPT_NO_SIGS, OPTF_FLAG, T_BOOL, F(no_sigs), 0 },
    { "home-net", ARG, OPT_HOME_NET, 0, T_STR, F(home_net), 0 },
    { "asn-db", ARG, OPT_ASN_DB, 0, T_STR, F(asn_db), 0 },
    { "country-db", ARG, OPT_COUNTRY_DB, 0, T_STR, F(country_db), 0 },
    { "networks-db", ARG, OPT_NETWORKS_DB, 0, T_STR, F(networks_db), 0 },
    { "no-networks", no_argument, OPT_NO_NETWORKS, OPTF_FLAG, T_BOOL, F(no_networks), 0 },
    { "config", ARG, OPT_CONFIG, OPTF_CLI, T_NONE, 0, 0 },
    { "print-config", no_argument, OPT_PRINT_CONFIG, OPTF_CLI, T_NONE, 0, 0 },
    { "check-signatures", optional_argument, OPT_CHECK_SIGS, OPTF_CLI, T_NONE, 0, 0 },
    { "help", no_argument, 'h', OPTF_CLI, T_NONE, 0, 0 },
    { "version", no_argument, 'V', OPTF_CLI, T_NONE, 0, 0 },
};

/* The field of option d in o, as a T. */
#define FIELD(o, d, T) ((T *)(void *)((char *)(o) + (d)->off))
#define COUNT(o, d) ((size_t *)(void *)((char *)(o) + (d)->off_n))
#define CFIELD(o, d, T) ((T const *)(const void *)((const char *)(o) + (d)->off))

#define N_OPT_DEFS (sizeof(opt_defs) / sizeof(opt_defs[0]))

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

static const struct opt_def *
opt_by_id(int id)
{
    for (size_t i = 0; i < N_OPT_DEFS; i++)
        if (opt_defs[i].id == id)
            return &opt_defs[i];
    return NULL;
}

/* "telexpose: ", where ("" on the command line, "FILE:LINE: " in a config
 * file) and the message, on stderr. Returns 2, the usage-error status. */
static int __attribute__((format(printf, 2, 3)))
fail(const char *where, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "telexpose: %s", where);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return 2;
}

/* Append s to the list *v of *n strings (the array is o's, s is not). */
static void
list_push(const char ***v, size_t *n, const char *s)
{
    *v = xreallocarray((void *)*v, *n + 1, sizeof(**v));
    (*v)[(*n)++] = s;
}

/* A flag option set (on) or cleared ("no" in a config file). */
static void
apply_flag(struct options *o, const struct opt_def *d, bool on)
{
    *FIELD(o, d, bool) = d->type == T_NBOOL ? !on : on;
}

/* Option d with its argument, from the command line or a config file:
 * the one place an option's value is checked, so both agree. arg must
 * live as long as o. Returns 0, or 2 with the message printed after
 * where. */
static int
apply_value(struct options *o, const struct opt_def *d, const char *arg, const char *where)
{
    uint32_t v;
    switch (d->id) {
    case OPT_SNAPLEN:
        if (parse_u32(arg, &v) != 0 || v < SNAPLEN_MIN || v > CAPTURE_LIVE_SNAPLEN)
            return fail(where, "--snaplen '%s': expected bytes from %d to %d", arg, SNAPLEN_MIN,
                        CAPTURE_LIVE_SNAPLEN);
        o->snaplen = (int)v;
        break;
    case OPT_BUFFER:
        if (parse_size(arg, &o->buffer) != 0 || o->buffer < BUFFER_MIN ||
            o->buffer > (size_t)INT_MAX)
            return fail(where, "--buffer-size '%s': give a size from 1M to 2047M, e.g. 64M or "
                        "512M", arg);
        break;
    case OPT_MEMCAP:
        if (parse_size(arg, &o->pc.flow.memcap) != 0 || o->pc.flow.memcap < FLOW_MIN_MEMCAP)
            return fail(where, "--flow-memcap '%s': give a size of at least 1M, e.g. 256M or 2G",
                        arg);
        if (o->pc.flow.memcap > phys_memory())
            return fail(where, "--flow-memcap '%s' is more than this machine's memory (%zu MiB)",
                        arg, phys_memory() >> 20);
        break;
    case OPT_TIMEOUT:
        if (parse_timeout(arg, &o->pc.flow) != 0)
            return fail(where, "--timeout '%s': expected CLASS=SECONDS with CLASS one of "
                        "tcp_new, tcp_established, tcp_closed, udp, icmp, other and SECONDS >= 1",
                        arg);
        break;
    case OPT_ACTIVE:
        if (parse_u32(arg, &o->pc.flow.active_timeout) != 0)
            return fail(where, "--active-timeout '%s': expected seconds (0 = off)", arg);
        break;
    case OPT_HOME_NET: {
        char herr[256];
        if (asset_parse_home_net(&o->assets, arg, herr, sizeof(herr)) != 0)
            return fail(where, "%s", herr);
        o->pc.assets = &o->assets;
        o->home_net = arg;
        break;
    }
    case OPT_THREADS:
        if (parse_u32(arg, &v) != 0 || v < 1 || v > OPTIONS_THREADS_MAX)
            return fail(where, "--threads '%s': expected workers from 1 to %d (default: the "
                        "number of cores when capturing live, 1 for files)", arg,
                        OPTIONS_THREADS_MAX);
        o->threads = v;
        break;
    case OPT_STATS_INTERVAL:
    case OPT_REPORT_INTERVAL:
        if (parse_u32(arg, FIELD(o, d, uint32_t)) != 0)
            return fail(where, "--%s '%s': expected seconds (0 = only at the end)", d->name,
                        arg);
        break;
    default:
        if (d->type == T_LIST)
            list_push(FIELD(o, d, const char **), COUNT(o, d), arg);
        else
            *FIELD(o, d, const char *) = arg;
        break;
    }
    return 0;
}

/* Levenshtein distance of short strings (SIZE_MAX past 31 characters). */
static size_t
edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), row[32];
    if (la >= 32 || lb >= 32)
        return SIZE_MAX;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    return row[lb];
}

/* yes/no, true/false, on/off, 1/0 as 1 or 0; -1 for anything else. */
static int
parse_bool(const char *s)
{
    static const char *const yes[] = { "yes", "true", "on", "1" };
    static const char *const no[] = { "no", "false", "off", "0" };
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        if (strcasecmp(s, yes[i]) == 0)
            return 1;
        if (strcasecmp(s, no[i]) == 0)
            return 0;
    }
    return -1;
}

/* One "key = value" line of a config file, cut in place (the value stays
 * in o->config_text). Returns 0, or 2 with the message printed. */
static int
config_line(struct options *o, char *line, const char *where)
{
    size_t len = strlen(line);
    if (len > 0 && line[len - 1] == '\r')
        line[--len] = '\0';
    char *key = line + strspn(line, " \t");
    if (*key == '\0' || *key == '#')
        return 0;
    size_t keylen = strspn(key, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_");
    char *eq = key + keylen + strspn(key + keylen, " \t");
    if (keylen == 0 || *eq != '=')
        return fail(where, "expected 'KEY = VALUE' (e.g. 'snaplen = 1518' or 'quiet = yes'), "
                    "not '%s'", key);
    key[keylen] = '\0';
    char *val = eq + 1 + strspn(eq + 1, " \t");
    if (*val == '"') {
        /* Quoted: \" and \\ are the only escapes; a comment may follow. */
        char *r = val + 1, *w = val;
        while (*r != '"') {
            if (*r == '\0')
                return fail(where, "%s: no closing double quote", key);
            if (*r == '\\' && (r[1] == '"' || r[1] == '\\'))
                r++;
            *w++ = *r++;
        }
        *w = '\0';
        r += 1 + strspn(r + 1, " \t");
        if (*r != '\0' && *r != '#')
            return fail(where, "%s: '%s' after the closing double quote", key, r);
    } else {
        /* Unquoted: up to a '#' that starts the value or follows a blank,
         * trailing blanks cut. */
        char *e = val;
        while (*e != '\0' && !(*e == '#' && (e == val || e[-1] == ' ' || e[-1] == '\t')))
            e++;
        while (e > val && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        *e = '\0';
        if (*val == '\0')
            return fail(where, "%s: no value (write '%s = VALUE', or '#' the line out)", key,
                        key);
    }
    const struct opt_def *d = NULL, *near = NULL;
    size_t best = SUGGEST_MAX + 1;
    for (size_t i = 0; i < N_OPT_DEFS && d == NULL; i++) {
        if (strcmp(key, opt_defs[i].name) == 0)
            d = &opt_defs[i];
        else if ((opt_defs[i].flags & OPTF_CLI) == 0 &&
                 edit_distance(key, opt_defs[i].name) < best) {
            best = edit_distance(key, opt_defs[i].name);
            near = &opt_defs[i];
        }
    }
    if (d == NULL && near != NULL)
        return fail(where, "unknown option '%s' (did you mean '%s'?)", key, near->name);
    if (d == NULL)
        return fail(where, "unknown option '%s' (the keys are the long options of "
                    "telexpose --help, without the dashes)", key);
    if (d->flags & OPTF_CLI)
        return fail(where, "'%s' is for the command line only, not a config file", key);
    if (d->flags & OPTF_FLAG) {
        int b = parse_bool(val);
        if (b < 0)
            return fail(where, "--%s '%s': expected yes or no (or true/false, on/off, 1/0)",
                        key, val);
        apply_flag(o, d, b == 1);
        return 0;
    }
    return apply_value(o, d, val, where);
}

/* Read path and apply its lines in order (the last of a scalar wins; list
 * keys accumulate). Returns 0, or 2 with the message printed. */
static int
config_load(struct options *o, const char *path)
{
    char err[512];
    size_t len;
    char *text = textfile_read(path, CONFIG_MAX, "a config file is a few KiB", &len, err,
                               sizeof(err));
    if (text == NULL)
        return fail("", "--config: %s", err);
    if (memchr(text, '\0', len) != NULL) {
        free(text);
        return fail("", "--config: %s: a NUL byte: not a text file", path);
    }
    o->config_text = xreallocarray(text, len + 1, 1);
    o->config_text[len] = '\0';
    char *line = o->config_text;
    for (unsigned long lineno = 1; line != NULL; lineno++) {
        char *nl = strchr(line, '\n');
        if (nl != NULL)
            *nl = '\0';
        char where[4200];
        snprintf(where, sizeof(where), "%s:%lu: ", path, lineno);
        int rc = config_line(o, line, where);
        if (rc != 0)
            return rc;
        line = nl != NULL ? nl + 1 : NULL;
    }
    return 0;
}

/* The checks between options, once they are all known. Returns 0 or 2. */
static int
check_options(struct options *o)
{
    if (o->report_path != NULL && strcmp(o->report_path, "-") == 0 &&
        (o->out_path == NULL || strcmp(o->out_path, "-") == 0))
        return fail("", "--report - and the events would share standard output: write the "
                    "events elsewhere with -w FILE");
    if (o->report_path != NULL && o->no_sigs)
        return fail("", "--report needs the vendor engine: drop --no-signatures");
    if (o->n_inputs > 0 && o->n_ifaces > 0)
        return fail("", "-r and -i cannot be mixed: read files (-r FILE) or capture live "
                    "(-i IFACE), not both");
    if ((o->user != NULL || o->chroot_dir != NULL) && o->n_ifaces == 0)
        return fail("", "-Z and --chroot are for live capture (-i): reading files needs no "
                    "privilege");
    if (o->chroot_dir != NULL && o->user == NULL)
        return fail("", "--chroot needs -Z USER (a chrooted root can leave the chroot)");
    if (o->user != NULL) {
        char perr[256];
        if (privdrop_lookup(o->user, o->chroot_dir, &o->pd, perr, sizeof(perr)) != 0)
            return fail("", "%s", perr);
    }
    /* A bad output is a usage error, found before anything starts. */
    for (size_t i = 0; i < o->n_outputs; i++) {
        struct out_sink_spec *sp = xmalloc(sizeof(*sp));
        char serr[512];
        int prc = out_sink_parse(o->outputs[i], sp, serr, sizeof(serr));
        free(sp);
        if (prc != 0) {
            fprintf(stderr, "telexpose: %s\n", serr);
            return 2;
        }
    }
    if (o->threads == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        o->threads = o->n_ifaces == 0 || cores < 1 ? 1
                     : cores > OPTIONS_THREADS_MAX ? OPTIONS_THREADS_MAX : (unsigned)cores;
    }
    o->pc.workers = o->threads;
    o->progress = !o->quiet && !o->no_progress;
    if (o->report_interval > 0 && o->report_path == NULL)
        return fail("", "--report-interval needs --report FILE");
    if (o->n_inputs == 0 && o->n_ifaces == 0 && !o->print_config)
        return fail("", "no input: give a capture with -r FILE or an interface with -i IFACE "
                    "(see telexpose --help)");
    return 0;
}

/* The command line's options, kept in order until the config file is read. */
struct cli_opt {
    int id;
    const char *arg;    /* NULL for a flag */
};

int
options_parse(int argc, char **argv, struct options *o)
{
    struct option longopts[N_OPT_DEFS + 1];
    memset(longopts, 0, sizeof(longopts));
    for (size_t i = 0; i < N_OPT_DEFS; i++) {
        longopts[i].name = opt_defs[i].name;
        longopts[i].has_arg = opt_defs[i].has_arg;
        longopts[i].val = opt_defs[i].id;
    }
    flow_config_defaults(&o->pc.flow);
    o->pc.dpi_enabled = true;
    o->snaplen = CAPTURE_LIVE_SNAPLEN;
    o->buffer = CAPTURE_LIVE_BUFFER;
    o->stats_interval = OPTIONS_STATS_INTERVAL;
    struct cli_opt *cli = xcalloc((size_t)argc + 1, sizeof(*cli));
    size_t n_cli = 0;
    int rc = 0, c;
    while ((c = getopt_long(argc, argv, "r:i:w:o:f:Z:qhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'h':
            usage(stdout);
            rc = 1;
            goto done;
        case 'V':
            printf("telexpose %s\n  %s\n  nDPI %s\n  cJSON %s\n  libmaxminddb %s\n",
                   PACKAGE_VERSION, capture_lib_version(), dpi_lib_version(), out_lib_version(),
                   geoip_lib_version());
            rc = 1;
            goto done;
        case '?':
            fprintf(stderr, "Try 'telexpose --help'.\n");
            rc = 2;
            goto done;
        case OPT_CONFIG:
            o->config_path = optarg;
            break;
        case OPT_PRINT_CONFIG:
            o->print_config = true;
            break;
        case OPT_CHECK_SIGS:
            o->check_sigs = true;
            /* Accept "--check-signatures DIR" as well as "=DIR". */
            if (optarg != NULL)
                cli[n_cli++] = (struct cli_opt){ OPT_SIGDIR, optarg };
            else if (optind < argc && argv[optind][0] != '-')
                cli[n_cli++] = (struct cli_opt){ OPT_SIGDIR, argv[optind++] };
            break;
        default:
            cli[n_cli++] = (struct cli_opt){ c, optarg };
            break;
        }
    }
    if (optind < argc) {
        rc = fail("", "unexpected argument '%s' (input files take -r: telexpose -r %s)",
                  argv[optind], argv[optind]);
        goto done;
    }
    if (o->config_path != NULL) {
        rc = config_load(o, o->config_path);
        if (rc != 0)
            goto done;
    }
    /* The command line wins: its lists replace the file's, and its scalars
     * are applied last. */
    for (size_t i = 0; i < n_cli; i++)
        if (opt_by_id(cli[i].id)->type == T_LIST)
            *COUNT(o, opt_by_id(cli[i].id)) = 0;
    for (size_t i = 0; i < n_cli && rc == 0; i++) {
        const struct opt_def *d = opt_by_id(cli[i].id);
        if (d->flags & OPTF_FLAG)
            apply_flag(o, d, true);
        else
            rc = apply_value(o, d, cli[i].arg, "");
    }
    if (rc != 0)
        goto done;
    if (o->sigdir == NULL)
        o->sigdir = options_default_sigdir();
    if (o->check_sigs)
        goto done;
    rc = check_options(o);
    if (rc == 0 && o->print_config) {
        options_print_config(stdout, o);
        rc = 1;
    }
done:
    free(cli);
    return rc;
}

/* A value needs quotes when a reader would otherwise cut or drop part of
 * it: blanks at either end, a '#', a leading quote, or nothing at all.
 * Inner blanks are quoted too, for the eye (BPF filters). */
static bool
needs_quotes(const char *v)
{
    return *v == '\0' || *v == '"' || strpbrk(v, " \t\r\n#") != NULL;
}

static void
put(FILE *fp, const char *key, const char *v)
{
    if (v == NULL) {
        fprintf(fp, "# %s =\n", key);
    } else if (!needs_quotes(v)) {
        fprintf(fp, "%s = %s\n", key, v);
    } else {
        fprintf(fp, "%s = \"", key);
        for (const char *p = v; *p != '\0'; p++) {
            if (*p == '"' || *p == '\\')
                fputc('\\', fp);
            /* A file has no line breaks in a value; in a filter given on
             * several lines (the only place one makes sense) a blank does. */
            fputc(*p == '\n' || *p == '\r' ? ' ' : *p, fp);
        }
        fputs("\"\n", fp);
    }
}

/* A size with the largest suffix that keeps it exact (2G, 256M, 1500). */
static void
put_size(FILE *fp, const char *key, size_t v)
{
    static const char units[] = "GMK";
    for (int i = 0; i < 3; i++) {
        size_t unit = (size_t)1 << (10 * (3 - i));
        if (v != 0 && v % unit == 0) {
            fprintf(fp, "%s = %zu%c\n", key, v / unit, units[i]);
            return;
        }
    }
    fprintf(fp, "%s = %zu\n", key, v);
}

static void
put_list(FILE *fp, const char *key, const char *const *v, size_t n)
{
    if (n == 0)
        put(fp, key, NULL);
    for (size_t i = 0; i < n; i++)
        put(fp, key, v[i]);
}

void
options_print_config(FILE *fp, const struct options *o)
{
    fprintf(fp, "# telexpose %s: the effective options (telexpose --print-config).\n"
            "# \"# key =\" is an option not set. Format: docs/config.md\n", PACKAGE_VERSION);
    for (const struct opt_def *d = opt_defs; d < opt_defs + N_OPT_DEFS; d++) {
        switch (d->type) {
        case T_STR:
            put(fp, d->name, *CFIELD(o, d, const char *));
            break;
        case T_LIST:
            put_list(fp, d->name, *CFIELD(o, d, const char **),
                     *(const size_t *)(const void *)((const char *)o + d->off_n));
            break;
        case T_BOOL:
        case T_NBOOL:
            put(fp, d->name, *CFIELD(o, d, bool) != (d->type == T_NBOOL) ? "yes" : "no");
            break;
        case T_INT:
            fprintf(fp, "%s = %d\n", d->name, *CFIELD(o, d, int));
            break;
        case T_U32:
            fprintf(fp, "%s = %" PRIu32 "\n", d->name, *CFIELD(o, d, uint32_t));
            break;
        case T_SIZE:
            put_size(fp, d->name, *CFIELD(o, d, size_t));
            break;
        case T_TIMEOUT:
            for (int c = 0; c < FLOW_TC_COUNT; c++)
                fprintf(fp, "%s = %s=%" PRIu32 "\n", d->name,
                        flow_tclass_name((enum flow_tclass)c), o->pc.flow.timeout[c]);
            break;
        case T_NONE:
            break; /* command line only */
        }
    }
}

void
options_free(struct options *o)
{
    free((void *)o->inputs);
    free((void *)o->ifaces);
    free((void *)o->enable);
    free((void *)o->disable);
    free((void *)o->outputs);
    free(o->config_text);
    o->inputs = o->ifaces = o->enable = o->disable = o->outputs = NULL;
    o->n_inputs = o->n_ifaces = o->n_enable = o->n_disable = o->n_outputs = 0;
    o->config_text = NULL;
}
