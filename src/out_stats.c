/* out_stats.c - the stats event: what was read, decoded, tracked and
 * written (docs/events.md "stats"). Queued behind every record already
 * queued, so it closes the stream it describes.
 */
#include "telexpose/out_json.h"

#include <string.h>
#include <time.h>

#include "telexpose/capture.h"
#include "telexpose/dpi.h"
#include "telexpose/pipeline.h"

#include "out_int.h"

void
out_stats(struct out *o, const struct run_stats *rs, const struct flow_stats *fs,
          const struct flow_config *fc, const struct dpi_stats *ds)
{
    struct out_stats_input in;
    memset(&in, 0, sizeof(in));
    in.rs = rs;
    in.fs = fs;
    in.fc = fc;
    in.ds = ds;
    in.final = true;
    out_stats_write(o, &in);
}

cJSON *
out_ifaces_json(const struct capture_live_stats *ifs, size_t n)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++) {
        const struct capture_live_stats *f = &ifs[i];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "name", f->name);
        if (f->known) {
            out_add_u64(e, "received", f->received);
            out_add_u64(e, "dropped", f->dropped);
            out_add_u64(e, "ifdropped", f->ifdropped);
        } else {
            cJSON_AddNullToObject(e, "received");
            cJSON_AddNullToObject(e, "dropped");
            cJSON_AddNullToObject(e, "ifdropped");
        }
        cJSON_AddItemToArray(arr, e);
    }
    return arr;
}

/* Per interface, and the loss over all of them as the report counts it:
 * dropped / (packets read + dropped). */
static void
put_interfaces(cJSON *cap, const struct out_stats_input *in)
{
    cJSON_AddItemToObject(cap, "interfaces", out_ifaces_json(in->ifaces, in->n_ifaces));
    uint64_t lost = 0;
    bool known = in->n_ifaces > 0;
    for (size_t i = 0; i < in->n_ifaces; i++) {
        known = known && in->ifaces[i].known;
        lost += in->ifaces[i].dropped + in->ifaces[i].ifdropped;
    }
    if (!known) {
        cJSON_AddNullToObject(cap, "dropped");
        cJSON_AddNullToObject(cap, "loss_ratio");
        return;
    }
    out_add_u64(cap, "dropped", lost);
    double tot = (double)in->rs->packets + (double)lost;
    cJSON_AddNumberToObject(cap, "loss_ratio", tot > 0 ? (double)lost / tot : 0);
}

static void
put_workers(cJSON *s, const struct out_stats_input *in)
{
    cJSON *arr = cJSON_AddArrayToObject(s, "workers");
    for (size_t i = 0; i < in->n_workers; i++) {
        const struct out_worker_stat *w = &in->workers[i];
        cJSON *e = cJSON_CreateObject();
        out_add_u64(e, "id", i);
        out_add_u64(e, "packets", w->packets);
        out_add_u64(e, "flows", w->flows);
        out_add_u64(e, "active", w->active);
        out_add_u64(e, "evicted", w->evicted);
        out_add_u64(e, "memuse", w->memuse);
        cJSON_AddItemToArray(arr, e);
    }
}

static void
put_outputs(cJSON *s, struct out *o)
{
    struct out_sink_stat st[16];
    size_t n = out_sink_stats(o, st, 16);
    cJSON *arr = cJSON_AddArrayToObject(s, "outputs");
    for (size_t i = 0; i < n && i < 16; i++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "name", st[i].name);
        out_add_u64(e, "written", st[i].written);
        out_add_u64(e, "dropped", st[i].dropped);
        out_add_u64(e, "errors", st[i].errors);
        cJSON_AddBoolToObject(e, "connected", st[i].connected);
        cJSON_AddItemToArray(arr, e);
    }
}

void
out_stats_write(struct out *o, const struct out_stats_input *in)
{
    const struct run_stats *rs = in->rs;
    const struct flow_stats *fs = in->fs;
    const struct flow_config *fc = in->fc;
    const struct dpi_stats *ds = in->ds;
    uint64_t events = out_events(o); /* waits for the queued records */
    char ts[40];
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    uint64_t now_us = (uint64_t)now.tv_sec * 1000000 + (uint64_t)now.tv_nsec / 1000;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "timestamp", out_format_ts(now_us, ts, sizeof(ts)));
    cJSON_AddStringToObject(root, "event_type", "stats");
    cJSON *s = cJSON_AddObjectToObject(root, "stats");
    cJSON *cap = cJSON_AddObjectToObject(s, "capture");
    out_add_u64(cap, "packets", rs->packets);
    out_add_u64(cap, "bytes", rs->bytes);
    if (rs->packets) {
        cJSON_AddStringToObject(cap, "first_packet", out_format_ts(rs->first_us, ts, sizeof(ts)));
        cJSON_AddStringToObject(cap, "last_packet", out_format_ts(rs->last_us, ts, sizeof(ts)));
    }
    if (in->n_ifaces > 0)
        put_interfaces(cap, in);
    cJSON *dec = cJSON_AddObjectToObject(s, "decoder");
    out_add_u64(dec, "ip", rs->ip_packets);
    out_add_u64(dec, "non_ip", rs->non_ip);
    out_add_u64(dec, "tunneled", rs->tunneled);
    out_add_u64(dec, "frag_orphans", rs->frag_orphans);
    out_add_u64(dec, "invalid", rs->decode_errors);
    cJSON *why = cJSON_AddObjectToObject(dec, "invalid_by_reason");
    for (int r = DECODE_NOT_IP + 1; r < DECODE_REASON_COUNT; r++)
        if (rs->by_reason[r])
            out_add_u64(why, decode_reason_name((enum decode_reason)r), rs->by_reason[r]);
    cJSON *fl = cJSON_AddObjectToObject(s, "flow");
    out_add_u64(fl, "created", fs->created);
    out_add_u64(fl, "timed_out", fs->timed_out);
    out_add_u64(fl, "evicted", fs->evicted);
    out_add_u64(fl, "end_of_input", fs->flushed);
    out_add_u64(fl, "active_timeout_records", fs->active_records);
    out_add_u64(fl, "active", fs->active);
    out_add_u64(fl, "active_peak", fs->active_peak);
    out_add_u64(fl, "max_flows", fs->max_flows);
    out_add_u64(fl, "memcap", fc->memcap);
    out_add_u64(fl, "memuse", fs->mem_used);
    out_add_u64(fl, "memuse_peak", fs->mem_peak);
    if (ds != NULL) {
        cJSON *d = cJSON_AddObjectToObject(s, "dpi");
        out_add_u64(d, "flows_inspected", ds->flows_inspected);
        out_add_u64(d, "packets", ds->packets);
        out_add_u64(d, "detected", ds->detected);
        out_add_u64(d, "guessed", ds->guessed);
        out_add_u64(d, "state_peak", ds->state_peak);
    }
    if (in->n_workers > 0)
        put_workers(s, in);
    put_outputs(s, o);
    out_add_u64(s, "events", events);
    cJSON_AddBoolToObject(s, "final", in->final);
    out_queue_tree(o, root);
}
