/* fuzz_banner.c - libFuzzer target for telnet_banner_parse() and
 * ftp_banner_parse().
 *
 * Reference: https://llvm.org/docs/LibFuzzer.html. Input byte 0 picks the
 * parser (even: Telnet, odd: FTP); the rest is the server's bytes. Banners
 * are built in the parser's own buffer, so the sink checks the length
 * (1..OBS_VALUE_MAX), the field, and for Telnet that no dropped control
 * byte survived and no leading CR/LF/space was kept. Exactly one
 * observation must come with 1 and none otherwise. A broken invariant
 * aborts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "telexpose/ex_banner.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct check {
    enum sig_field want;
    int count;
};

static void
check_emit(void *user, enum sig_field field, const char *value, size_t len)
{
    struct check *c = user;
    volatile unsigned sum = 0;

    if (value == NULL || len == 0 || len > OBS_VALUE_MAX || field != c->want)
        abort();
    c->count++;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)value[i];

        if (field == SIG_FIELD_TELNET_BANNER) {
            if ((ch < 0x20 && ch != '\r' && ch != '\n' && ch != '\t') || ch == 0x7f ||
                ch == 0xff)
                abort();
            if (i == 0 && (ch == '\r' || ch == '\n' || ch == ' '))
                abort();
        }
        sum += ch;
    }
    (void)sum;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct check c = {SIG_FIELD_TELNET_BANNER, 0};
    struct obs_sink sink = {check_emit, &c};
    int rc;

    if (size < 1)
        return 0;
    if (data[0] & 1) {
        c.want = SIG_FIELD_FTP_BANNER;
        rc = ftp_banner_parse(data + 1, size - 1, &sink);
    } else {
        rc = telnet_banner_parse(data + 1, size - 1, &sink);
    }
    if (rc < -1 || rc > 1 || c.count != (rc == 1))
        abort();
    return 0;
}
