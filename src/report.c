/* report.c - the report document and the end-of-run summary (docs/report.md).
 *
 * The report is the settled picture: what was read, what was found, and the
 * coverage an absence claim rests on. It goes to a temporary file renamed
 * into place, so a reader (or a periodic rewrite in live mode) never sees
 * half a document.
 */
#include "out_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "telexpose/report.h"
#include "telexpose/sig.h"
#include "telexpose/xalloc.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0"
#endif

#define REPORT_MAX_SVCS 64
#define REPORT_MAX_FINDS 64

static double
duration_s(const struct run_stats *rs)
{
    if (rs->packets == 0 || rs->last_us < rs->first_us)
        return 0;
    return (double)(rs->last_us - rs->first_us) / 1e6;
}

static cJSON *
run_json(const struct report_run *run, const struct asset *a)
{
    const struct run_stats *rs = run->rs;
    cJSON *o = cJSON_CreateObject();
    cJSON *in = cJSON_AddArrayToObject(o, "inputs");
    for (size_t i = 0; i < run->n_inputs; i++)
        cJSON_AddItemToArray(in, cJSON_CreateString(run->inputs[i]));
    out_put_time(o, "first_packet", rs->packets ? rs->first_us : 0);
    out_put_time(o, "last_packet", rs->packets ? rs->last_us : 0);
    cJSON_AddNumberToObject(o, "duration_s", duration_s(rs));
    out_add_u64(o, "packets", rs->packets);
    out_add_u64(o, "bytes", rs->bytes);
    out_add_u64(o, "ip_packets", rs->ip_packets);
    out_add_u64(o, "non_ip", rs->non_ip);
    out_add_u64(o, "decode_failures", rs->decode_errors);
    out_add_u64(o, "flows", run->fs ? run->fs->created : 0);
    out_add_u64(o, "flows_evicted", run->fs ? run->fs->evicted : 0);
    char nets[ASSET_MAX_HOME_NETS][64];
    bool from_option;
    size_t n = asset_home_net_strings(a, nets, ASSET_MAX_HOME_NETS, &from_option);
    cJSON *hn = cJSON_AddArrayToObject(o, "home_net");
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(hn, cJSON_CreateString(nets[i]));
    cJSON_AddStringToObject(o, "home_net_source", from_option ? "option" : "default");
    cJSON *packs = cJSON_AddArrayToObject(o, "packs");
    for (size_t i = 0; run->sigs != NULL && i < sig_db_pack_count(run->sigs); i++) {
        cJSON *p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "id", sig_db_pack_id(run->sigs, i));
        cJSON_AddStringToObject(p, "vendor", sig_db_pack_vendor(run->sigs, i));
        out_add_u64(p, "rules", sig_db_pack_rule_count(run->sigs, i));
        cJSON_AddItemToArray(packs, p);
    }
    cJSON *np = cJSON_AddArrayToObject(o, "networks");
    for (size_t i = 0; i < run->n_netpacks; i++) {
        const struct report_netpack *p = &run->netpacks[i];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "id", p->id);
        cJSON_AddStringToObject(x, "vendor", p->vendor);
        out_add_u64(x, "prefixes", p->prefixes);
        cJSON_AddBoolToObject(x, "enabled", p->enabled);
        cJSON_AddItemToArray(np, x);
    }
    return o;
}

/* The sentence a human can quote about what was (not) found. */
static void
coverage_statement(char *buf, size_t len, const struct report_run *run, const struct asset_view *v)
{
    const struct run_stats *rs = run->rs;
    char span[128] = "";
    if (rs->packets > 0) {
        char t0[40], t1[40];
        snprintf(span, sizeof(span), " over %.1f s from %s to %s", duration_s(rs),
                 out_format_ts(rs->first_us, t0, sizeof(t0)), out_format_ts(rs->last_us, t1, sizeof(t1)));
    }
    char drop[48];
    if (run->dropped_known)
        snprintf(drop, sizeof(drop), "%llu dropped", (unsigned long long)run->dropped);
    else
        snprintf(drop, sizeof(drop), "capture loss unknown");
    const char *what = v->n_reported == 0 ? "No vendor device seen" : "Vendor devices seen";
    snprintf(buf, len, "%s in %llu packet%s (%s)%s; %llu MAC%s and %llu local address%s were visible%s.",
             what, (unsigned long long)rs->packets, rs->packets == 1 ? "" : "s", drop, span,
             (unsigned long long)v->local_macs, v->local_macs == 1 ? "" : "s",
             (unsigned long long)v->local_hosts, v->local_hosts == 1 ? "" : "es",
             v->ethernet_frames == 0 && rs->packets > 0
                 ? "; no Ethernet headers, so MAC registry, LLDP and ARP evidence could not be seen"
                 : "");
}

static cJSON *
coverage_json(const struct report_run *run, const struct asset_view *v)
{
    const struct run_stats *rs = run->rs;
    cJSON *o = cJSON_CreateObject();
    out_add_u64(o, "packets", rs->packets);
    out_add_u64(o, "bytes", rs->bytes);
    if (run->dropped_known) {
        out_add_u64(o, "dropped", run->dropped);
        double tot = (double)rs->packets + (double)run->dropped;
        cJSON_AddNumberToObject(o, "loss_ratio", tot > 0 ? (double)run->dropped / tot : 0);
    } else {
        cJSON_AddNullToObject(o, "dropped");
        cJSON_AddNullToObject(o, "loss_ratio");
    }
    if (run->n_ifaces > 0) /* the figures of the stats events' capture.interfaces */
        cJSON_AddItemToObject(o, "interfaces", out_ifaces_json(run->ifaces, run->n_ifaces));
    out_put_time(o, "first_packet", rs->packets ? rs->first_us : 0);
    out_put_time(o, "last_packet", rs->packets ? rs->last_us : 0);
    cJSON_AddNumberToObject(o, "duration_s", duration_s(rs));
    out_add_u64(o, "ethernet_frames", v->ethernet_frames);
    out_add_u64(o, "local_macs", v->local_macs);
    out_add_u64(o, "local_hosts", v->local_hosts);
    char st[512];
    coverage_statement(st, sizeof(st), run, v);
    cJSON_AddStringToObject(o, "statement", st);
    return o;
}

static cJSON *
summary_json(const struct asset_view *v, const struct exposure_set *x)
{
    cJSON *o = cJSON_CreateObject();
    out_add_u64(o, "devices", v->n_reported);
    cJSON *bv = cJSON_AddObjectToObject(o, "by_vendor");
    for (size_t i = 0; i < v->n_reported; i++) {
        const struct asset_device *d = &v->devices[i];
        cJSON *e = cJSON_GetObjectItemCaseSensitive(bv, d->vendor);
        if (e == NULL) {
            e = cJSON_AddObjectToObject(bv, d->vendor);
            cJSON_AddNumberToObject(e, "devices", 0);
            cJSON_AddNumberToObject(e, "high", 0);
            cJSON_AddNumberToObject(e, "medium", 0);
            cJSON_AddNumberToObject(e, "low", 0);
        }
        double c3 = (double)(long)(d->confidence * 1000 + 0.5) / 1000;
        const char *lvl = c3 >= 0.8 ? "high" : c3 >= 0.5 ? "medium" : "low";
        cJSON *c = cJSON_GetObjectItemCaseSensitive(e, "devices");
        cJSON_SetNumberValue(c, c->valuedouble + 1);
        c = cJSON_GetObjectItemCaseSensitive(e, lvl);
        cJSON_SetNumberValue(c, c->valuedouble + 1);
    }
    out_add_u64(o, "candidates", v->n_devices - v->n_reported);
    size_t nf;
    const struct exposure_finding *f = exposure_list(x, &nf);
    out_add_u64(o, "exposures", nf);
    uint64_t by[EXPOSURE_SEVERITY_COUNT] = {0};
    for (size_t i = 0; i < nf; i++)
        by[f[i].severity]++;
    cJSON *bs = cJSON_AddObjectToObject(o, "by_severity");
    for (int s = EXPOSURE_SEVERITY_COUNT - 1; s >= 0; s--)
        out_add_u64(bs, exposure_severity_name((enum exposure_severity)s), by[s]);
    out_add_u64(o, "vendor_contacts", v->n_contacts);
    return o;
}

/* A device with its services and findings. */
static cJSON *
device_json(const struct asset *a, const struct asset_view *v, const struct exposure_set *x,
            const struct asset_device *d)
{
    (void)v;
    const struct asset_service *svcs[REPORT_MAX_SVCS];
    size_t ns = asset_services_of_device(a, d, svcs, REPORT_MAX_SVCS);
    if (ns > REPORT_MAX_SVCS)
        ns = REPORT_MAX_SVCS;
    const struct exposure_finding *fs[REPORT_MAX_FINDS];
    size_t nf = exposure_of_device(x, d, fs, REPORT_MAX_FINDS);
    if (nf > REPORT_MAX_FINDS)
        nf = REPORT_MAX_FINDS;
    return out_device_json(d, svcs, ns, fs, nf);
}

static cJSON *
report_json(const struct report_run *run, const struct asset *a, const struct asset_view *v,
            const struct exposure_set *x)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "report_version", 1);
    cJSON *g = cJSON_AddObjectToObject(root, "generator");
    cJSON_AddStringToObject(g, "name", "telexpose");
    cJSON_AddStringToObject(g, "version", PACKAGE_VERSION);
    cJSON_AddItemToObject(root, "run", run_json(run, a));
    cJSON_AddItemToObject(root, "coverage", coverage_json(run, v));
    cJSON_AddItemToObject(root, "summary", summary_json(v, x));
    cJSON *devs = cJSON_AddArrayToObject(root, "devices");
    cJSON *cands = cJSON_AddArrayToObject(root, "candidates");
    for (size_t i = 0; i < v->n_devices; i++)
        cJSON_AddItemToArray(i < v->n_reported ? devs : cands, device_json(a, v, x, &v->devices[i]));
    cJSON *ex = cJSON_AddArrayToObject(root, "exposures");
    size_t nf;
    const struct exposure_finding *f = exposure_list(x, &nf);
    for (size_t i = 0; i < nf; i++)
        cJSON_AddItemToArray(ex, out_exposure_json(&f[i]));
    cJSON *vc = cJSON_AddArrayToObject(root, "vendor_contacts");
    for (size_t i = 0; i < v->n_contacts; i++)
        cJSON_AddItemToArray(vc, out_contact_json(&v->contacts[i]));
    return root;
}

int
report_write(const char *path, const struct report_run *run, const struct asset *a,
             const struct asset_view *v, const struct exposure_set *x, char *errbuf,
             size_t errlen)
{
    cJSON *root = report_json(run, a, v, x);
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (text == NULL) {
        snprintf(errbuf, errlen, "%s: out of memory formatting the report", path);
        return -1;
    }
    size_t n = strlen(text);
    int rc = 0;
    if (strcmp(path, "-") == 0) {
        if (fwrite(text, 1, n, stdout) != n || fputc('\n', stdout) == EOF || fflush(stdout) != 0) {
            snprintf(errbuf, errlen, "-: cannot write the report to standard output: %s",
                     strerror(errno));
            rc = -1;
        }
        free(text);
        return rc;
    }
    size_t plen = strlen(path) + 5;
    char *tmp = xmalloc(plen);
    snprintf(tmp, plen, "%s.tmp", path);
    FILE *fp = fopen(tmp, "w");
    if (fp == NULL) {
        snprintf(errbuf, errlen, "%s: cannot create the report: %s (check the directory exists and is writable)",
                 tmp, strerror(errno));
        rc = -1;
    } else {
        bool ok = fwrite(text, 1, n, fp) == n && fputc('\n', fp) != EOF;
        ok = fflush(fp) == 0 && ok;
        ok = fclose(fp) == 0 && ok;
        if (!ok) {
            snprintf(errbuf, errlen, "%s: cannot write the report: %s", tmp, strerror(errno));
            unlink(tmp);
            rc = -1;
        } else if (rename(tmp, path) != 0) {
            snprintf(errbuf, errlen, "%s: cannot rename %s into place: %s", path, tmp,
                     strerror(errno));
            unlink(tmp);
            rc = -1;
        }
    }
    free(tmp);
    free(text);
    return rc;
}

void
report_summary(FILE *fp, const struct report_run *run, const struct asset_view *v,
               const struct exposure_set *x)
{
    if (v->n_reported == 0) {
        char st[512];
        coverage_statement(st, sizeof(st), run, v);
        fprintf(fp, "  no vendor device: %s\n", st);
    } else {
        fprintf(fp, "  %zu vendor device%s:", v->n_reported, v->n_reported == 1 ? "" : "s");
        /* devices are sorted by vendor: count runs */
        for (size_t i = 0; i < v->n_reported;) {
            size_t j = i;
            while (j < v->n_reported && strcmp(v->devices[j].vendor, v->devices[i].vendor) == 0)
                j++;
            fprintf(fp, "%s %s %zu", i ? "," : "", v->devices[i].vendor, j - i);
            i = j;
        }
        fputc('\n', fp);
        for (size_t i = 0; i < v->n_reported && i < 10; i++) {
            const struct asset_device *d = &v->devices[i];
            fprintf(fp, "    %-28s %-8s %.2f %-7s%s%s\n", d->id, d->vendor, d->confidence,
                    asset_role_name(d->role), d->model ? " model " : "", d->model ? d->model : "");
        }
        if (v->n_reported > 10)
            fprintf(fp, "    ... %zu more in the report\n", v->n_reported - 10);
    }
    size_t nf;
    const struct exposure_finding *f = exposure_list(x, &nf);
    if (nf > 0) {
        fprintf(fp, "  %zu exposure%s, most severe first:\n", nf, nf == 1 ? "" : "s");
        for (size_t i = 0; i < nf && i < 5; i++)
            fprintf(fp, "    %-8s %s\n", exposure_severity_name(f[i].severity), f[i].title);
        if (nf > 5)
            fprintf(fp, "    ... %zu more in the report\n", nf - 5);
    }
}
