/* fuzz_ssdp.c - libFuzzer target for ssdp_parse().
 *
 * Reference: https://llvm.org/docs/LibFuzzer.html. Input byte 0 gives the
 * location buffer size handed in (0..255, 0 meaning NULL); the rest is the
 * datagram. Every value must lie within the input, be non-empty and hold no
 * LF; SERVER and USN at most once each; the location must be NUL-terminated
 * inside the buffer; the return value must count the observations. A
 * broken invariant aborts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "telexpose/ex_ssdp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct check {
    const uint8_t *lo, *hi;
    int count, server, usn;
};

static void
check_emit(void *user, enum sig_field field, const char *value, size_t len)
{
    struct check *c = user;
    const uint8_t *p = (const uint8_t *)value;

    if (value == NULL || len == 0 || p < c->lo || p > c->hi || len > (size_t)(c->hi - p))
        abort();
    if (field == SIG_FIELD_SSDP_SERVER)
        c->server++;
    else if (field == SIG_FIELD_SSDP_USN)
        c->usn++;
    else
        abort();
    if (memchr(p, '\n', len) != NULL)
        abort();
    c->count++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct check c;
    struct obs_sink sink = {check_emit, &c};
    char loc[256];
    size_t loclen;
    int rc;

    if (size < 1)
        return 0;
    loclen = data[0];
    c = (struct check){data + 1, data + size, 0, 0, 0};
    memset(loc, 0x55, sizeof(loc));
    rc = ssdp_parse(data + 1, size - 1, loclen ? loc : NULL, loclen, &sink);
    if (rc < -1 || (rc == -1 && c.count != 0) || (rc >= 0 && rc != c.count))
        abort();
    if (c.server > 1 || c.usn > 1)
        abort();
    if (loclen > 0 && memchr(loc, '\0', loclen) == NULL)
        abort();
    if (loclen > 0 && loclen < sizeof(loc) && loc[loclen] != 0x55)
        abort();
    return 0;
}
