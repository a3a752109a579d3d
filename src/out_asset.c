/* out_asset.c - devices, services, findings and vendor contacts as JSON,
 * for the device and exposure events and the report (docs/report.md). One
 * builder per object, so the event and the report say the same thing. */
#include "out_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "telexpose/asset.h"
#include "telexpose/exposure.h"

void
out_put_time(cJSON *obj, const char *key, uint64_t us)
{
    char ts[40];
    if (us == 0)
        cJSON_AddNullToObject(obj, key);
    else
        cJSON_AddStringToObject(obj, key, out_format_ts(us, ts, sizeof(ts)));
}

static void
put_str_or_null(cJSON *obj, const char *key, const char *s)
{
    if (s == NULL || s[0] == '\0')
        cJSON_AddNullToObject(obj, key);
    else
        cJSON_AddStringToObject(obj, key, s);
}

static void
put_addr(cJSON *arr, const struct decode_addr *a)
{
    char s[64];
    cJSON_AddItemToArray(arr, cJSON_CreateString(decode_addr_str(a, s, sizeof(s))));
}

static void
put_mac(cJSON *obj, const char *key, bool has, const uint8_t mac[6])
{
    char m[18];
    if (has)
        cJSON_AddStringToObject(obj, key, out_mac_str(mac, m));
    else
        cJSON_AddNullToObject(obj, key);
}

/* A flow id as an exact integer (a double would print 1.95652508326097e+15). */
static cJSON *
u64_item(uint64_t v)
{
    char num[24];
    snprintf(num, sizeof(num), "%" PRIu64, v);
    return cJSON_CreateRaw(num);
}

static double
round3(double x)
{
    return (double)(long)(x * 1000 + 0.5) / 1000;
}

static const char *
level_of(double c)
{
    return c >= 0.8 ? "high" : c >= 0.5 ? "medium" : "low";
}

static const char *
proto_name(uint8_t p)
{
    return p == 6 ? "tcp" : p == 17 ? "udp" : "ip";
}

cJSON *
out_service_json(const struct asset_service *s)
{
    cJSON *o = cJSON_CreateObject();
    char ip[64];
    cJSON_AddStringToObject(o, "ip", decode_addr_str(&s->ip, ip, sizeof(ip)));
    cJSON_AddStringToObject(o, "proto", proto_name(s->proto));
    cJSON_AddNumberToObject(o, "port", s->port);
    cJSON_AddStringToObject(o, "name", s->name);
    cJSON_AddStringToObject(o, "side", s->host_is_client ? "client" : "server");
    cJSON *c = cJSON_AddArrayToObject(o, "clients");
    for (size_t i = 0; i < s->n_clients; i++)
        put_addr(c, &s->clients[i]);
    out_add_u64(o, "clients_total", s->clients_total);
    cJSON *x = cJSON_AddArrayToObject(o, "outside_clients");
    for (size_t i = 0; i < s->n_outside; i++)
        put_addr(x, &s->outside[i]);
    out_add_u64(o, "flows", s->flows);
    out_put_time(o, "first_seen", s->first_us);
    out_put_time(o, "last_seen", s->last_us);
    return o;
}

cJSON *
out_device_json(const struct asset_device *d, const struct asset_service *const *svcs,
                size_t n_svcs, const struct exposure_finding *const *finds, size_t n_finds)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", d->id);
    put_str_or_null(o, "vendor", d->vendor);
    put_str_or_null(o, "counts_as", d->counts_as);
    cJSON_AddBoolToObject(o, "covered", d->covered);
    cJSON_AddNumberToObject(o, "confidence", round3(d->confidence));
    cJSON_AddStringToObject(o, "level", level_of(round3(d->confidence)));
    put_mac(o, "mac", d->has_mac, d->mac);
    put_str_or_null(o, "mac_source", d->has_mac ? ev_mac_source_name(d->mac_source) : NULL);
    cJSON *ips = cJSON_AddArrayToObject(o, "ips");
    for (size_t i = 0; i < d->n_ips; i++)
        put_addr(ips, &d->ips[i]);
    put_str_or_null(o, "model", d->model);
    put_str_or_null(o, "version", d->version);
    cJSON *hn = cJSON_AddArrayToObject(o, "hostnames");
    for (size_t i = 0; i < d->n_hostnames; i++)
        cJSON_AddItemToArray(hn, cJSON_CreateString(d->hostnames[i]));
    cJSON_AddStringToObject(o, "role", asset_role_name(d->role));
    cJSON_AddStringToObject(o, "role_reason", d->role_reason);
    out_put_time(o, "first_seen", d->first_us);
    out_put_time(o, "last_seen", d->last_us);
    cJSON *t = cJSON_AddObjectToObject(o, "traffic");
    out_add_u64(t, "flows", d->traffic.flows);
    out_add_u64(t, "packets_sent", d->traffic.pkts_sent);
    out_add_u64(t, "packets_received", d->traffic.pkts_recv);
    out_add_u64(t, "bytes_sent", d->traffic.bytes_sent);
    out_add_u64(t, "bytes_received", d->traffic.bytes_recv);
    cJSON *alts = cJSON_AddArrayToObject(o, "alternatives");
    for (size_t i = 0; i < d->n_alts; i++) {
        cJSON *a = cJSON_CreateObject();
        cJSON_AddStringToObject(a, "vendor", d->alts[i].vendor);
        cJSON_AddNumberToObject(a, "confidence", round3(d->alts[i].confidence));
        cJSON_AddItemToArray(alts, a);
    }
    cJSON *ev = cJSON_AddArrayToObject(o, "evidence");
    for (size_t i = 0; i < d->n_evidence; i++) {
        const struct asset_evidence *e = d->evidence[i];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "rule", e->rule);
        cJSON_AddStringToObject(x, "pack", e->pack);
        cJSON_AddStringToObject(x, "vendor", e->vendor);
        cJSON_AddStringToObject(x, "field", sig_field_name(e->field));
        cJSON_AddStringToObject(x, "value", e->value);
        cJSON_AddNumberToObject(x, "confidence", round3(e->confidence));
        if (e->model != NULL)
            cJSON_AddStringToObject(x, "model", e->model);
        if (e->version != NULL)
            cJSON_AddStringToObject(x, "version", e->version);
        out_put_time(x, "first_seen", e->first_us);
        out_put_time(x, "last_seen", e->last_us);
        out_add_u64(x, "count", e->count);
        cJSON_AddItemToArray(ev, x);
    }
    cJSON *sv = cJSON_AddArrayToObject(o, "services");
    for (size_t i = 0; i < n_svcs; i++)
        cJSON_AddItemToArray(sv, out_service_json(svcs[i]));
    cJSON *fx = cJSON_AddArrayToObject(o, "exposures");
    for (size_t i = 0; i < n_finds; i++)
        cJSON_AddItemToArray(fx, cJSON_CreateString(finds[i]->id));
    return o;
}

cJSON *
out_exposure_json(const struct exposure_finding *f)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", f->id);
    cJSON_AddStringToObject(o, "kind", f->kind);
    cJSON_AddStringToObject(o, "severity", exposure_severity_name(f->severity));
    cJSON_AddStringToObject(o, "title", f->title);
    cJSON *addr = cJSON_CreateObject();
    cJSON *ips;
    if (f->device != NULL) {
        const struct asset_device *d = f->device;
        cJSON_AddStringToObject(o, "device", d->id);
        put_str_or_null(o, "vendor", d->vendor);
        put_mac(addr, "mac", d->has_mac, d->mac);
        ips = cJSON_AddArrayToObject(addr, "ips");
        for (size_t i = 0; i < d->n_ips; i++)
            put_addr(ips, &d->ips[i]);
        if (d->n_ips == 0 && f->service != NULL)
            put_addr(ips, &f->service->ip);
    } else {
        const struct asset_vendor_contact *c = f->contact;
        /* A host talking to a vendor is not a device: no device to name. */
        cJSON_AddNullToObject(o, "device");
        put_str_or_null(o, "vendor", c ? c->vendor : NULL);
        put_mac(addr, "mac", c && c->has_mac, c ? c->mac : NULL);
        ips = cJSON_AddArrayToObject(addr, "ips");
        if (c != NULL)
            put_addr(ips, &c->host);
    }
    cJSON_AddItemToObject(o, "addresses", addr);
    if (f->mechanism != NULL)
        cJSON_AddStringToObject(o, "mechanism", f->mechanism);
    cJSON *evid = cJSON_AddArrayToObject(o, "evidence");
    if (f->device != NULL) {
        /* The rules behind the verdict: the winning vendor's. */
        for (size_t i = 0; i < f->device->n_evidence; i++) {
            if (f->device->vendor == NULL ||
                strcmp(f->device->evidence[i]->vendor, f->device->vendor) != 0)
                continue;
            const char *r = f->device->evidence[i]->rule;
            bool dup = false;
            for (cJSON *x = evid->child; x != NULL && !dup; x = x->next)
                dup = strcmp(x->valuestring, r) == 0;
            if (!dup)
                cJSON_AddItemToArray(evid, cJSON_CreateString(r));
        }
    } else if (f->contact != NULL) {
        for (size_t i = 0; i < f->contact->n_rules; i++)
            cJSON_AddItemToArray(evid, cJSON_CreateString(f->contact->rules[i]));
    }
    /* The same keys for every kind, so a SIEM can index them without
     * knowing the kind: null and empty where they do not apply. */
    const struct asset_service *s = f->service;
    if (s != NULL) {
        cJSON *sv = cJSON_AddObjectToObject(o, "service");
        cJSON_AddStringToObject(sv, "proto", proto_name(s->proto));
        cJSON_AddNumberToObject(sv, "port", s->port);
        cJSON_AddStringToObject(sv, "name", s->name);
        cJSON_AddStringToObject(sv, "side", s->host_is_client ? "client" : "server");
    } else {
        cJSON_AddNullToObject(o, "service");
    }
    cJSON *cl = cJSON_AddArrayToObject(o, "clients");
    cJSON *oc = cJSON_AddArrayToObject(o, "outside_clients");
    for (size_t i = 0; s != NULL && i < s->n_clients; i++)
        put_addr(cl, &s->clients[i]);
    for (size_t i = 0; s != NULL && i < s->n_outside; i++)
        put_addr(oc, &s->outside[i]);
    cJSON *fl = cJSON_AddObjectToObject(o, "flows");
    uint64_t count = s ? s->flows : f->contact ? f->contact->flows
                                   : f->device ? f->device->traffic.flows : 0;
    out_add_u64(fl, "count", count);
    out_put_time(fl, "first_seen", f->first_us);
    out_put_time(fl, "last_seen", f->last_us);
    cJSON *ids = cJSON_AddArrayToObject(fl, "flow_ids");
    for (size_t i = 0; s != NULL && i < s->n_flow_ids; i++)
        cJSON_AddItemToArray(ids, u64_item(s->flow_ids[i]));
    out_put_time(o, "first_seen", f->first_us);
    out_put_time(o, "last_seen", f->last_us);
    return o;
}

cJSON *
out_contact_json(const struct asset_vendor_contact *c)
{
    static const struct {
        uint8_t bit;
        const char *name;
    } vias[] = {
        {ASSET_VIA_DNS, "dns"}, {ASSET_VIA_HTTP, "http"}, {ASSET_VIA_NETWORK, "network"},
        {ASSET_VIA_TLS, "tls"},
    };
    cJSON *o = cJSON_CreateObject();
    char h[64];
    cJSON_AddStringToObject(o, "host", decode_addr_str(&c->host, h, sizeof(h)));
    put_mac(o, "mac", c->has_mac, c->mac);
    cJSON_AddStringToObject(o, "vendor", c->vendor);
    cJSON *via = cJSON_AddArrayToObject(o, "via");
    for (size_t i = 0; i < sizeof(vias) / sizeof(*vias); i++)
        if (c->via & vias[i].bit)
            cJSON_AddItemToArray(via, cJSON_CreateString(vias[i].name));
    cJSON *names = cJSON_AddArrayToObject(o, "names");
    for (size_t i = 0; i < c->n_names; i++)
        cJSON_AddItemToArray(names, cJSON_CreateString(c->names[i]));
    cJSON *nets = cJSON_AddArrayToObject(o, "networks");
    for (size_t i = 0; i < c->n_nets; i++) {
        cJSON *n = cJSON_CreateObject();
        cJSON_AddNumberToObject(n, "asn", c->nets[i].asn);
        put_str_or_null(n, "org", c->nets[i].org);
        put_str_or_null(n, "category", c->nets[i].category);
        cJSON_AddItemToArray(nets, n);
    }
    out_add_u64(o, "flows", c->flows);
    out_add_u64(o, "bytes_out", c->bytes_out);
    out_add_u64(o, "bytes_in", c->bytes_in);
    out_put_time(o, "first_seen", c->first_us);
    out_put_time(o, "last_seen", c->last_us);
    return o;
}

static cJSON *
envelope(uint64_t ts_us, const char *type)
{
    char ts[40];
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "timestamp", out_format_ts(ts_us, ts, sizeof(ts)));
    cJSON_AddStringToObject(root, "event_type", type);
    return root;
}

void
out_device(struct out *o, uint64_t ts_us, const char *change, const struct asset_device *d,
           const struct asset_service *const *svcs, size_t n_svcs,
           const struct exposure_finding *const *finds, size_t n_finds)
{
    if (o == NULL)
        return;
    cJSON *root = envelope(ts_us, "device");
    cJSON_AddStringToObject(root, "change", change);
    cJSON_AddItemToObject(root, "device", out_device_json(d, svcs, n_svcs, finds, n_finds));
    out_queue_tree(o, root);
}

void
out_exposure(struct out *o, uint64_t ts_us, const struct exposure_finding *f)
{
    if (o == NULL)
        return;
    cJSON *root = envelope(ts_us, "exposure");
    cJSON_AddItemToObject(root, "exposure", out_exposure_json(f));
    out_queue_tree(o, root);
}
