/* fuzz_pcap.c - libFuzzer target: a whole pcap/pcapng file through the pipeline.
 *
 * The input is handed to libpcap with fmemopen + pcap_fopen_offline (no
 * temporary files), then every frame runs through decode, the flow table and
 * nDPI, and the records are written to /dev/null. A small memcap makes the
 * eviction path run too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "telexpose/capture.h"
#include "telexpose/dpi.h"
#include "telexpose/out_json.h"
#include "telexpose/pipeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* nDPI's module takes ~100 ms to build: one for the whole fuzzing run. */
static struct dpi *shared_dpi;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    if (size == 0)
        return 0;
    if (shared_dpi == NULL)
        shared_dpi = dpi_new(err, sizeof(err));
    FILE *fp = fmemopen((void *)(uintptr_t)data, size, "rb");
    if (fp == NULL)
        return 0;
    struct out *out = out_open("/dev/null", err, sizeof(err));
    if (out == NULL) {
        fclose(fp);
        return 0;
    }
    struct pipeline_config pc;
    flow_config_defaults(&pc.flow);
    pc.flow.memcap = FLOW_MIN_MEMCAP;
    pc.dpi_enabled = shared_dpi != NULL;
    pc.shared_dpi = shared_dpi;
    struct pipeline *p = pipeline_new(&pc, out, err, sizeof(err));
    if (p != NULL) {
        (void)capture_read_stream(fp, "fuzz", p, err, sizeof(err));
        pipeline_finish(p);
        pipeline_free(p);
    } else {
        fclose(fp);
    }
    out_close(out, err, sizeof(err));
    return 0;
}
