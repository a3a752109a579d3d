/* fuzz_http.c - libFuzzer target for http_looks_like(), http_message_need()
 * and http_parse() (with the TR-069 and UPnP body readers behind it).
 *
 * Reference: https://llvm.org/docs/LibFuzzer.html. The input is one TCP
 * stream's first bytes. Checked: parse answers -1 exactly when looks_like
 * says no; consumed stays within the data; need() is -1, 0 or a size above
 * the data and within the header and body limits; every observation is a
 * field of this extractor, non-empty and no longer than the input (values
 * are slices or decoded copies, which only shrink), read in full so ASan
 * sees a bad pointer; the return value counts them. A message need() waits
 * for is not complete one byte shorter either.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "telexpose/ex_http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct check {
    size_t size;
    int n;
    unsigned sum;
};

static void
on_emit(void *user, enum sig_field field, const char *value, size_t len)
{
    struct check *c = user;

    switch (field) {
    case SIG_FIELD_HTTP_SERVER:
    case SIG_FIELD_HTTP_WWW_AUTHENTICATE:
    case SIG_FIELD_HTTP_USER_AGENT:
    case SIG_FIELD_HTTP_TITLE:
    case SIG_FIELD_HTTP_HOST:
    case SIG_FIELD_CWMP_MANUFACTURER:
    case SIG_FIELD_CWMP_OUI:
    case SIG_FIELD_CWMP_PRODUCT_CLASS:
    case SIG_FIELD_CWMP_SERIAL_NUMBER:
    case SIG_FIELD_CWMP_SOFTWARE_VERSION:
    case SIG_FIELD_CWMP_HARDWARE_VERSION:
    case SIG_FIELD_UPNP_MANUFACTURER:
    case SIG_FIELD_UPNP_MODEL_NAME:
    case SIG_FIELD_UPNP_MODEL_NUMBER:
    case SIG_FIELD_UPNP_MODEL_DESCRIPTION:
    case SIG_FIELD_UPNP_MANUFACTURER_URL:
        break;
    default:
        abort();
    }
    if (value == NULL || len == 0 || len > c->size)
        abort();
    for (size_t i = 0; i < len; i++)
        c->sum += (uint8_t)value[i];
    c->n++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct check c = { size, 0, 0 };
    struct obs_sink sink = { on_emit, &c };
    struct http_info info;
    bool like = http_looks_like(data, size);
    long need = http_message_need(data, size);
    int rv = http_parse(data, size, &info, &sink);

    if ((rv == -1) != !like || (rv >= 0 && rv != c.n))
        abort();
    if (info.consumed > size || (like && size > 0 && info.consumed == 0))
        abort();
    if (!like && (info.consumed != 0 || info.status != 0))
        abort();
    if (info.status < 0 || info.status > 999 || (info.is_request && info.status != 0))
        abort();
    if (need < -1 || (need > 0 && (size_t)need <= size) ||
        need > (long)HTTP_HEADER_MAX + HTTP_BODY_MAX)
        abort();
    /* a prefix of an incomplete message is no more complete than it */
    if (need > 0 && size > 0 && http_message_need(data, size - 1) == 0)
        abort();
    (void)c.sum;
    return 0;
}
