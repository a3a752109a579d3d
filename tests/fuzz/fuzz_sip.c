/* fuzz_sip.c - libFuzzer target for sip_parse().
 *
 * Reference: https://llvm.org/docs/LibFuzzer.html. The input is one SIP
 * message. Every value must lie within the input, be non-empty, start and
 * end with no space or tab, and hold no LF (values end with their line);
 * the return value must count the observations. A broken invariant aborts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "telexpose/ex_sip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct check {
    const uint8_t *lo, *hi;
    int count;
};

static void
check_emit(void *user, enum sig_field field, const char *value, size_t len)
{
    struct check *c = user;
    const uint8_t *p = (const uint8_t *)value;

    if (value == NULL || len == 0 || p < c->lo || p > c->hi || len > (size_t)(c->hi - p))
        abort();
    if (field != SIG_FIELD_SIP_USER_AGENT && field != SIG_FIELD_SIP_SERVER)
        abort();
    if (p[0] == ' ' || p[0] == '\t' || p[len - 1] == ' ' || p[len - 1] == '\t')
        abort();
    for (size_t i = 0; i < len; i++)
        if (p[i] == '\n')
            abort();
    c->count++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct check c = {data, data + size, 0};
    struct obs_sink sink = {check_emit, &c};
    int rc = sip_parse(data, size, &sink);

    if (rc < -1 || (rc == -1 && c.count != 0) || (rc >= 0 && rc != c.count))
        abort();
    return 0;
}
