/* fuzz_tls.c - libFuzzer target for tls_cert_need() and tls_cert_parse().
 *
 * Reference: https://llvm.org/docs/LibFuzzer.html; include/telexpose/ex_tls.h.
 * The input is the server byte stream. need() must answer 0, -1 or a
 * length past the input within TLS_CERT_STREAM_MAX; parse() must agree
 * with it on -1, emit only tls.subject (first, once) and tls.issuer values
 * of at most OBS_VALUE_MAX bytes of valid UTF-8, at most 1 + 8 of them, and
 * count what it emitted. need() is also asked about every prefix that it
 * named as the next wanted length, as a stream reader would, and refuses
 * a prefix exactly when it refuses the whole. A broken
 * invariant aborts.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "telexpose/ex_tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct check {
    int n;
    int subjects;
};

/* True when s[0..n) is well-formed UTF-8 (the parser builds it itself). */
static bool
utf8_ok(const uint8_t *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        uint8_t b = s[i];
        size_t k = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3
                                                         : b >= 0xf0 && b <= 0xf4 ? 4
                                                                                  : 0;
        if (k == 0 || k > n - i)
            return false;
        for (size_t j = 1; j < k; j++)
            if ((s[i + j] & 0xc0) != 0x80)
                return false;
        i += k;
    }
    return true;
}

static void
check_emit(void *user, enum sig_field field, const char *value, size_t len)
{
    struct check *c = user;
    volatile unsigned sum = 0;

    if (len == 0 || len > OBS_VALUE_MAX || !utf8_ok((const uint8_t *)value, len))
        abort();
    for (size_t i = 0; i < len; i++)
        sum += (uint8_t)value[i];
    if (field == SIG_FIELD_TLS_SUBJECT) {
        if (c->n != 0 || c->subjects++ != 0)
            abort(); /* the subject comes first and once */
    } else if (field != SIG_FIELD_TLS_ISSUER) {
        abort();
    }
    c->n++;
    (void)sum;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct check c = {0, 0};
    struct obs_sink sink = {check_emit, &c};

    long need = tls_cert_need(data, size);
    if (need != 0 && need != -1 && (need <= (long)size || need > TLS_CERT_STREAM_MAX))
        abort();
    int rc = tls_cert_parse(data, size, &sink);
    if (need == -1 && (rc != -1 || c.n != 0))
        abort(); /* a refused start is refused by both, before any emission */
    if (rc < -1 || rc > 9 || c.n > 9 || (rc >= 0 && rc != c.n))
        abort();

    /* Walk the stream as the integrator would: each answer names a longer
     * prefix, and the walk ends within TLS_CERT_STREAM_MAX. */
    size_t at = size < 64 ? size : 64; /* >= 5 or all: the first header is decided */
    for (int steps = 0; steps < 64; steps++) {
        long w = tls_cert_need(data, at);
        if ((w == -1) != (need == -1))
            abort(); /* a prefix of a good start is never refused, a bad one is */
        if (w <= 0)
            break;
        if ((size_t)w <= at || w > TLS_CERT_STREAM_MAX)
            abort();
        if ((size_t)w > size)
            break;
        at = (size_t)w;
    }
    return 0;
}
