/* fuzz_xml.c - libFuzzer target for cwmp_parse_inform() and
 * upnp_parse_description().
 *
 * Reference: https://llvm.org/docs/LibFuzzer.html. Input byte 0 picks the
 * reader (even: TR-069 Inform, odd: UPnP description); the rest is the XML.
 * Checked: only the reader's own fields come out, each non-empty and no
 * longer than the document (decoding only shrinks text), read in full so
 * ASan sees a bad pointer; at most one value per field; the return value
 * counts them.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "telexpose/ex_http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct check {
    bool upnp;
    size_t size;
    int n;
    uint64_t seen; /* bit per field */
    unsigned sum;
};

static void
on_emit(void *user, enum sig_field field, const char *value, size_t len)
{
    struct check *c = user;
    bool cwmp_field = field >= SIG_FIELD_CWMP_MANUFACTURER &&
                      field <= SIG_FIELD_CWMP_HARDWARE_VERSION;
    bool upnp_field = field == SIG_FIELD_UPNP_MANUFACTURER || field == SIG_FIELD_UPNP_MODEL_NAME ||
                      field == SIG_FIELD_UPNP_MODEL_NUMBER ||
                      field == SIG_FIELD_UPNP_MODEL_DESCRIPTION ||
                      field == SIG_FIELD_UPNP_MANUFACTURER_URL;
    uint64_t bit = (uint64_t)1 << ((unsigned)field % 64);

    if (c->upnp ? !upnp_field : !cwmp_field)
        abort();
    if (value == NULL || len == 0 || len > c->size || (c->seen & bit) != 0)
        abort();
    c->seen |= bit;
    for (size_t i = 0; i < len; i++)
        c->sum += (uint8_t)value[i];
    c->n++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct check c = { false, 0, 0, 0, 0 };
    struct obs_sink sink = { on_emit, &c };
    int rv;

    if (size < 1)
        return 0;
    c.upnp = (data[0] & 1) != 0;
    c.size = size - 1;
    if (c.upnp)
        rv = upnp_parse_description(data + 1, size - 1, &sink);
    else
        rv = cwmp_parse_inform(data + 1, size - 1, &sink);
    if (rv != c.n)
        abort();
    (void)c.sum;
    return 0;
}
