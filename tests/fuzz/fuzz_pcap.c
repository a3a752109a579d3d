/* fuzz_pcap.c - libFuzzer target: a whole pcap/pcapng file through the pipeline.
 *
 * The input is handed to libpcap with fmemopen + pcap_fopen_offline (no
 * temporary files), then every frame runs through decode, the flow table and
 * nDPI, and the records are written to /dev/null. A small memcap makes the
 * eviction path run too. A catch-all pack (one rule per field matching any
 * value) and a registry with a block under every unicast first byte make
 * every observation an evidence event, so the extractors, the evidence
 * store and its output run on everything the fuzzer finds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "telexpose/capture.h"
#include "telexpose/dpi.h"
#include "telexpose/out_json.h"
#include "telexpose/oui.h"
#include "telexpose/pipeline.h"
#include "telexpose/sig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* nDPI's module takes ~100 ms to build: one for the whole fuzzing run. */
static struct dpi *shared_dpi;
static struct sig_db *sigs;
static struct oui_db *oui;

static void
load_catch_all(void)
{
    static char pack[64 * 1024], reg[8 * 1024];
    char err[512];
    size_t n = (size_t)snprintf(pack, sizeof(pack), "pack any\nvendor Any\n");
    for (int f = 0; f < SIG_FIELD_COUNT; f++)
        n += (size_t)snprintf(pack + n, sizeof(pack) - n,
                              "rule any-%d\n field %s\n match regex ^(?!never$)\n"
                              " confidence 0.5\n source fuzz\n example x\n nomatch never\n",
                              f, sig_field_name((enum sig_field)f));
    if (sig_db_load_buffer("any.sig", pack, n, &sigs, err, sizeof(err)) != 0)
        abort();
    n = 0;
    for (unsigned b = 0; b < 256; b += 4)
        n += (size_t)snprintf(reg + n, sizeof(reg) - n, "%02X0000/24\tOrg %u\n", b, b);
    if (oui_db_load_buffer("reg", reg, n, &oui, err, sizeof(err)) != 0)
        abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    if (size == 0)
        return 0;
    if (shared_dpi == NULL) {
        shared_dpi = dpi_new(err, sizeof(err));
        load_catch_all();
    }
    FILE *fp = fmemopen((void *)(uintptr_t)data, size, "rb");
    if (fp == NULL)
        return 0;
    struct out *out = out_open("/dev/null", err, sizeof(err));
    if (out == NULL) {
        fclose(fp);
        return 0;
    }
    struct pipeline_config pc;
    memset(&pc, 0, sizeof(pc));
    flow_config_defaults(&pc.flow);
    pc.flow.memcap = FLOW_MIN_MEMCAP;
    pc.dpi_enabled = shared_dpi != NULL;
    pc.shared_dpi = shared_dpi;
    pc.sigs = sigs;
    pc.oui = oui;
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
