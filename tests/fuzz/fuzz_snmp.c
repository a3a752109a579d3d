/* fuzz_snmp.c - libFuzzer target for snmp_parse().
 *
 * Reference: https://llvm.org/docs/LibFuzzer.html. The input is one UDP
 * payload. The sink checks every observation: OCTET STRING values must lie
 * within the input; the sysObjectID and engine enterprise texts, built by
 * the parser, must be dotted decimal / decimal. The return value must match
 * the number of observations and the info fields their documented ranges.
 * A broken invariant aborts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "telexpose/ex_snmp.h"

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
    volatile unsigned sum = 0;

    if (value == NULL || len == 0)
        abort();
    c->count++;
    switch (field) {
    case SIG_FIELD_SNMP_SYSDESCR:
    case SIG_FIELD_SNMP_SYSNAME:
        if (p < c->lo || p > c->hi || len > (size_t)(c->hi - p))
            abort();
        break;
    case SIG_FIELD_SNMP_SYSOBJECTID:
    case SIG_FIELD_SNMP_ENGINE_ENTERPRISE:
        /* Digits and single dots, neither first nor last. */
        for (size_t i = 0; i < len; i++) {
            char ch = value[i];

            if (ch == '.') {
                if (field != SIG_FIELD_SNMP_SYSOBJECTID || i == 0 || i + 1 == len ||
                    value[i - 1] == '.')
                    abort();
            } else if (ch < '0' || ch > '9') {
                abort();
            }
        }
        if (field == SIG_FIELD_SNMP_ENGINE_ENTERPRISE && len > 10)
            abort();
        break;
    default:
        abort();
    }
    for (size_t i = 0; i < len; i++)
        sum += p[i];
    (void)sum;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct check c = {data, data + size, 0};
    struct obs_sink sink = {check_emit, &c};
    struct snmp_info info;
    int rc = snmp_parse(data, size, &info, &sink);

    if (rc < -1 || (rc >= 0 && rc != c.count))
        abort();
    if (info.version != -1 && info.version != 0 && info.version != 1 && info.version != 3)
        abort();
    if (info.pdu_type < -1 || info.pdu_type > 8)
        abort();
    if (info.has_community && info.version == 3)
        abort();
    return 0;
}
