/* out_json_t.c - unit tests of the NDJSON writer: timestamp format, the flow
 * envelope (EVE field names, Community ID, MACs, VLANs), the stats event,
 * and that a failed write is reported at close. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "tap.h"
#include "telexpose/out_json.h"
#include "telexpose/pipeline.h"

static char *
slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return NULL;
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

static const char *
jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double
jnum(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static void
test_ts(void)
{
    char b[40];
    is_str(out_format_ts(0, b, sizeof(b)), "1970-01-01T00:00:00.000000+0000", "epoch");
    is_str(out_format_ts(1716889177032387ull, b, sizeof(b)), "2024-05-28T09:39:37.032387+0000",
           "microseconds kept, UTC offset");
}

static void
test_flow_event(const char *path)
{
    char err[256];
    struct out *o = out_open(path, err, sizeof(err));
    ok(o != NULL, "open %s", path);
    struct flow f;
    memset(&f, 0, sizeof(f));
    /* 1.2.3.4:1122 -> 5.6.7.8:3344 TCP, the Community ID spec's own example. */
    uint8_t a[4] = { 1, 2, 3, 4 }, b[4] = { 5, 6, 7, 8 };
    memcpy(f.key.lo_addr, a, 4);
    memcpy(f.key.hi_addr, b, 4);
    f.key.lo_port = 1122;
    f.key.hi_port = 3344;
    f.key.proto = 6;
    f.key.ip_version = 4;
    f.key.vlan[0] = 100;
    f.init_is_lo = 1;
    f.flow_id = 12345;
    f.first_us = f.rec_start_us = 1716889177000000ull;
    f.last_us = 1716889179500000ull;
    f.pkts[0] = 3;
    f.pkts[1] = 2;
    f.bytes[0] = 300;
    f.bytes[1] = 2000;
    f.tcp_flags[0] = 0x1b;
    f.tcp_flags[1] = 0x12;
    f.tcp_state = FLOW_TCP_CLOSED;
    uint8_t m0[6] = { 0x00, 0xe0, 0xfc, 0x01, 0x02, 0x03 }, m1[6] = { 0x24, 0xd3, 0xf2, 9, 8, 7 };
    memcpy(f.mac[0], m0, 6);
    memcpy(f.mac[1], m1, 6);
    f.has_mac[0] = f.has_mac[1] = 1;
    out_flow(o, &f, NULL, FLOW_END_TIMEOUT, NULL);
    ok(out_close(o, err, sizeof(err)) == 0, "close succeeds");

    char *text = slurp(path);
    ok(text != NULL && strchr(text, '\n') == text + strlen(text) - 1, "exactly one line");
    cJSON *j = cJSON_Parse(text);
    ok(j != NULL, "the line is JSON");
    is_str(jstr(j, "event_type"), "flow", "event_type");
    is_str(jstr(j, "timestamp"), "2024-05-28T09:39:37.000000+0000", "timestamp is the start");
    is_int((long long)jnum(j, "flow_id"), 12345, "flow_id");
    is_str(jstr(j, "src_ip"), "1.2.3.4", "src_ip");
    is_int((long long)jnum(j, "src_port"), 1122, "src_port");
    is_str(jstr(j, "dest_ip"), "5.6.7.8", "dest_ip");
    is_int((long long)jnum(j, "dest_port"), 3344, "dest_port");
    is_str(jstr(j, "proto"), "TCP", "proto");
    is_str(jstr(j, "community_id"), "1:wCb3OG7yAFWelaUydu0D+125CLM=", "community_id (spec vector)");
    const cJSON *vl = cJSON_GetObjectItem(j, "vlan");
    ok(cJSON_IsArray(vl) && cJSON_GetArraySize(vl) == 1 &&
       cJSON_GetArrayItem(vl, 0)->valueint == 100, "vlan [100]");
    const cJSON *e = cJSON_GetObjectItem(j, "ether");
    is_str(jstr(e, "src_mac"), "00:e0:fc:01:02:03", "ether.src_mac");
    is_str(jstr(e, "dest_mac"), "24:d3:f2:09:08:07", "ether.dest_mac");
    const cJSON *fl = cJSON_GetObjectItem(j, "flow");
    is_int((long long)jnum(fl, "pkts_toserver"), 3, "pkts_toserver");
    is_int((long long)jnum(fl, "pkts_toclient"), 2, "pkts_toclient");
    is_int((long long)jnum(fl, "bytes_toserver"), 300, "bytes_toserver");
    is_int((long long)jnum(fl, "bytes_toclient"), 2000, "bytes_toclient");
    is_str(jstr(fl, "end"), "2024-05-28T09:39:39.500000+0000", "flow.end");
    is_int((long long)jnum(fl, "age"), 2, "flow.age in seconds");
    is_str(jstr(fl, "state"), "closed", "flow.state");
    is_str(jstr(fl, "reason"), "timeout", "flow.reason");
    const cJSON *t = cJSON_GetObjectItem(j, "tcp");
    is_str(jstr(t, "tcp_flags"), "1b", "tcp.tcp_flags");
    is_str(jstr(t, "tcp_flags_tc"), "12", "tcp.tcp_flags_tc");
    ok(cJSON_IsTrue(cJSON_GetObjectItem(t, "syn")), "tcp.syn");
    ok(cJSON_GetObjectItem(t, "rst") == NULL, "no tcp.rst");
    ok(cJSON_GetObjectItem(j, "app_proto") == NULL, "no app_proto without nDPI");
    cJSON_Delete(j);
}

static void
test_stats_event(const char *path)
{
    char err[256];
    struct out *o = out_open(path, err, sizeof(err));
    struct run_stats rs;
    struct flow_stats fs;
    struct flow_config fc;
    memset(&rs, 0, sizeof(rs));
    memset(&fs, 0, sizeof(fs));
    flow_config_defaults(&fc);
    rs.packets = 10;
    rs.bytes = 1000;
    rs.decode_errors = 2;
    rs.by_reason[DECODE_ERR_IPV4_HLEN] = 2;
    fs.created = 4;
    fs.evicted = 1;
    fs.mem_peak = 4096;
    out_stats(o, &rs, &fs, &fc, NULL);
    out_close(o, err, sizeof(err));
    cJSON *j = cJSON_Parse(slurp(path));
    is_str(jstr(j, "event_type"), "stats", "stats event_type");
    const cJSON *s = cJSON_GetObjectItem(j, "stats");
    is_int((long long)jnum(cJSON_GetObjectItem(s, "capture"), "packets"), 10, "packets");
    const cJSON *d = cJSON_GetObjectItem(s, "decoder");
    is_int((long long)jnum(d, "invalid"), 2, "invalid total");
    is_int((long long)jnum(cJSON_GetObjectItem(d, "invalid_by_reason"),
                           decode_reason_name(DECODE_ERR_IPV4_HLEN)), 2, "by reason name");
    const cJSON *f = cJSON_GetObjectItem(s, "flow");
    is_int((long long)jnum(f, "evicted"), 1, "flow.evicted");
    is_int((long long)jnum(f, "memuse_peak"), 4096, "flow.memuse_peak");
    is_int((long long)jnum(f, "memcap"), FLOW_DEFAULT_MEMCAP, "flow.memcap");
    cJSON_Delete(j);
}

static void
test_write_failure(void)
{
    char err[256] = "";
    struct out *o = out_open("/dev/full", err, sizeof(err));
    ok(o != NULL, "open /dev/full");
    struct run_stats rs;
    struct flow_stats fs;
    struct flow_config fc;
    memset(&rs, 0, sizeof(rs));
    memset(&fs, 0, sizeof(fs));
    flow_config_defaults(&fc);
    out_stats(o, &rs, &fs, &fc, NULL);
    ok(out_close(o, err, sizeof(err)) != 0, "a full disk is an error at close");
    ok(strstr(err, "/dev/full") != NULL, "the error names the file: %s", err);
    ok(out_open("/nonexistent-dir/x.ndjson", err, sizeof(err)) == NULL, "missing dir refused");
    ok(strstr(err, "/nonexistent-dir/x.ndjson") != NULL, "and named: %s", err);
}

int
main(void)
{
    char path[] = "/tmp/out_json_t.XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 1;
    test_ts();
    test_flow_event(path);
    test_stats_event(path);
    test_write_failure();
    remove(path);
    return done_testing();
}
