/* exposure.c - findings from devices, services and vendor contacts
 * (docs/exposure.md). Recomputed from the settled picture at each review;
 * the ids make an event stream of them idempotent. */
#include "telexpose/exposure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "telexpose/extract.h"
#include "telexpose/out_json.h"
#include "telexpose/u64map.h"
#include "telexpose/xalloc.h"

static const char *const severity_names[EXPOSURE_SEVERITY_COUNT] = {
    "info", "low", "medium", "high", "critical",
};

const char *
exposure_severity_name(enum exposure_severity s)
{
    return (unsigned)s < EXPOSURE_SEVERITY_COUNT ? severity_names[s] : "info";
}

struct exposure_set {
    struct out *out;
    struct exposure_finding *f;
    size_t n, cap;
    const struct exposure_finding **by_dev; /* findings about devices, by device */
    size_t n_by_dev;
    struct u64map written; /* ids already written as events */
};

struct exposure_set *
exposure_new(struct out *out)
{
    struct exposure_set *x = xcalloc(1, sizeof(*x));
    x->out = out;
    u64map_init(&x->written, 1u << 20);
    return x;
}

void
exposure_free(struct exposure_set *x)
{
    if (x == NULL)
        return;
    free(x->f);
    free(x->by_dev);
    u64map_free(&x->written);
    free(x);
}

static struct exposure_finding *
add(struct exposure_set *x, const char *kind, enum exposure_severity sev, const char *subject,
    const char *detail)
{
    if (x->n == x->cap) {
        x->cap = x->cap ? x->cap * 2 : 16;
        x->f = xreallocarray(x->f, x->cap, sizeof(*x->f));
    }
    struct exposure_finding *f = &x->f[x->n++];
    memset(f, 0, sizeof(*f));
    f->kind = kind;
    f->severity = sev;
    char key[256];
    int len = snprintf(key, sizeof(key), "%s|%s|%s", kind, subject, detail ? detail : "");
    uint64_t h = u64map_hash(key, (size_t)len < sizeof(key) ? (size_t)len : sizeof(key) - 1, 0);
    snprintf(f->id, sizeof(f->id), "TXE-%s-%016llx", kind, (unsigned long long)h);
    return f;
}

static bool
name_is_cleartext(const char *name)
{
    static const char *const clear[] = {"telnet", "http", "snmp", "ftp", "tr-069", "snmp-trap"};
    for (size_t i = 0; i < sizeof(clear) / sizeof(*clear); i++)
        if (strcmp(name, clear[i]) == 0)
            return true;
    return false;
}

static const char *
svc_proto(const struct asset_service *s)
{
    return s->proto == 6 ? "tcp" : s->proto == 17 ? "udp" : "ip";
}

static void
service_findings(struct exposure_set *x, const struct asset_device *d, const struct asset_service *s)
{
    char detail[64], ip[64];
    snprintf(detail, sizeof(detail), "%s/%u%s", svc_proto(s), s->port,
             s->host_is_client ? "/client" : "");
    decode_addr_str(&s->ip, ip, sizeof(ip));
    struct exposure_finding *f;
    if (!s->host_is_client) {
        if (s->n_outside > 0) {
            bool clear = name_is_cleartext(s->name);
            f = add(x, "management-from-outside", clear ? EXPOSURE_CRITICAL : EXPOSURE_HIGH, d->id,
                    detail);
            snprintf(f->title, sizeof(f->title), "%s of a %s device (%s) reached from outside",
                     s->name, d->vendor, ip);
        } else {
            f = add(x, "management-service", EXPOSURE_LOW, d->id, detail);
            snprintf(f->title, sizeof(f->title), "%s offered by a %s device (%s)", s->name,
                     d->vendor, ip);
        }
        f->device = d;
        f->service = s;
        f->first_us = s->first_us;
        f->last_us = s->last_us;
    }
    static const struct {
        uint8_t fact;
        const char *svc;  /* or NULL: any */
        const char *mechanism;
        const char *what;
        enum exposure_severity sev;
    } clear[] = {
        {0, "telnet", "telnet", "Telnet session", EXPOSURE_HIGH},
        {EXF_SNMP_COMMUNITY, NULL, "snmp-community", "SNMP community string", EXPOSURE_HIGH},
        {EXF_HTTP_BASIC_AUTH, NULL, "http-basic-auth", "HTTP Basic credentials", EXPOSURE_HIGH},
        {EXF_CWMP, NULL, "tr-069-http", "TR-069 over plain HTTP", EXPOSURE_HIGH},
        {0, "ftp", "ftp", "FTP session", EXPOSURE_MEDIUM},
    };
    for (size_t i = 0; i < sizeof(clear) / sizeof(*clear); i++) {
        bool hit = clear[i].fact ? (s->facts & clear[i].fact) != 0
                                 : strcmp(s->name, clear[i].svc) == 0;
        if (!hit)
            continue;
        char key[96];
        snprintf(key, sizeof(key), "%s|%s", clear[i].mechanism, detail);
        f = add(x, "cleartext-management", clear[i].sev, d->id, key);
        snprintf(f->title, sizeof(f->title), "%s with a %s device (%s)", clear[i].what, d->vendor,
                 ip);
        f->device = d;
        f->service = s;
        f->mechanism = clear[i].mechanism;
        f->first_us = s->first_us;
        f->last_us = s->last_us;
    }
}

static int
cmp_finding(const void *p, const void *q)
{
    const struct exposure_finding *a = p, *b = q;
    if (a->severity != b->severity)
        return a->severity > b->severity ? -1 : 1;
    int c = strcmp(a->kind, b->kind);
    return c != 0 ? c : strcmp(a->id, b->id);
}

/* By device, then in list order (most severe first). */
static int
cmp_by_device(const void *p, const void *q)
{
    const struct exposure_finding *a = *(const struct exposure_finding *const *)p;
    const struct exposure_finding *b = *(const struct exposure_finding *const *)q;
    if (a->device != b->device)
        return (uintptr_t)a->device < (uintptr_t)b->device ? -1 : 1;
    return a < b ? -1 : a > b;
}

size_t
exposure_derive(struct exposure_set *x, const struct asset *a, const struct asset_view *v,
                uint64_t ts_us)
{
    x->n = 0;
    for (size_t i = 0; i < v->n_reported; i++) {
        const struct asset_device *d = &v->devices[i];
        if (!d->covered)
            continue;
        bool infra = d->role == ASSET_ROLE_ROUTER || d->role == ASSET_ROLE_SWITCH ||
                     d->role == ASSET_ROLE_CPE;
        struct exposure_finding *f =
            add(x, "covered-equipment", infra ? EXPOSURE_HIGH : EXPOSURE_MEDIUM, d->id, NULL);
        snprintf(f->title, sizeof(f->title), "%s %s on the network (%s)", d->vendor,
                 d->role == ASSET_ROLE_UNKNOWN ? "device" : asset_role_name(d->role), d->id);
        f->device = d;
        f->first_us = d->first_us;
        f->last_us = d->last_us;
    }
    for (size_t i = 0; i < v->n_services; i++) {
        const struct asset_service *s = &v->services[i];
        const struct asset_device *d = asset_device_of_service(a, s);
        if (d != NULL && d->reported)
            service_findings(x, d, s);
    }
    for (size_t i = 0; i < v->n_contacts; i++) {
        const struct asset_vendor_contact *c = &v->contacts[i];
        enum exposure_severity sev = EXPOSURE_LOW;
        for (size_t k = 0; k < c->n_nets; k++)
            if (c->nets[k].category != NULL && (strcmp(c->nets[k].category, "covered-carrier") == 0 ||
                                                strcmp(c->nets[k].category, "covered-vendor") == 0))
                sev = EXPOSURE_MEDIUM;
        char host[64];
        decode_addr_str(&c->host, host, sizeof(host));
        struct exposure_finding *f = add(x, "vendor-infrastructure", sev, host, c->vendor);
        snprintf(f->title, sizeof(f->title), "%s talks to %s infrastructure", host, c->vendor);
        f->contact = c;
        f->first_us = c->first_us;
        f->last_us = c->last_us;
    }
    if (x->n > 1)
        qsort(x->f, x->n, sizeof(*x->f), cmp_finding);
    free(x->by_dev);
    x->by_dev = xcalloc(x->n + 1, sizeof(*x->by_dev));
    x->n_by_dev = 0;
    for (size_t i = 0; i < x->n; i++)
        if (x->f[i].device != NULL)
            x->by_dev[x->n_by_dev++] = &x->f[i];
    if (x->n_by_dev > 1)
        qsort(x->by_dev, x->n_by_dev, sizeof(*x->by_dev), cmp_by_device);
    for (size_t i = 0; x->out != NULL && i < x->n; i++) {
        uint64_t k = u64map_hash(x->f[i].id, strlen(x->f[i].id), 3);
        if (u64map_add(&x->written, k, NULL))
            out_exposure(x->out, ts_us, &x->f[i]);
    }
    return x->n;
}

const struct exposure_finding *
exposure_list(const struct exposure_set *x, size_t *n)
{
    *n = x->n;
    return x->f;
}

size_t
exposure_of_device(const struct exposure_set *x, const struct asset_device *d,
                   const struct exposure_finding **out, size_t max)
{
    /* Lower bound of d in by_dev. */
    size_t lo = 0, hi = x->n_by_dev;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((uintptr_t)x->by_dev[mid]->device < (uintptr_t)d)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t n = 0;
    for (size_t i = lo; i < x->n_by_dev && x->by_dev[i]->device == d; i++) {
        if (n < max)
            out[n] = x->by_dev[i];
        n++;
    }
    return n;
}
