/* out_stats.c - the stats event: what was read, decoded, tracked and
 * written (docs/events.md "stats"). Queued behind every record already
 * queued, so it closes the stream it describes.
 */
#include "telexpose/out_json.h"

#include <time.h>

#include "telexpose/dpi.h"
#include "telexpose/pipeline.h"

#include "out_int.h"

void
out_stats(struct out *o, const struct run_stats *rs, const struct flow_stats *fs,
          const struct flow_config *fc, const struct dpi_stats *ds)
{
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
    out_add_u64(s, "events", events);
    out_queue_tree(o, root);
}
