/* text.c - UTF-8 validation and repair of untrusted strings (RFC 3629). */
#include "telexpose/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "telexpose/xalloc.h"

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when the bytes there
 * do not start one. The ranges are RFC 3629's table, which excludes
 * overlong forms and surrogates. */
static size_t
seq_len(const unsigned char *s)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        return (s[1] >= 0x80 && s[1] <= 0xbf) ? 2 : 0;
    unsigned char lo = 0x80, hi = 0xbf;
    if (c >= 0xe0 && c <= 0xef) {
        if (c == 0xe0)
            lo = 0xa0;
        else if (c == 0xed)
            hi = 0x9f;
        return (s[1] >= lo && s[1] <= hi && s[2] >= 0x80 && s[2] <= 0xbf) ? 3 : 0;
    }
    if (c >= 0xf0 && c <= 0xf4) {
        if (c == 0xf0)
            lo = 0x90;
        else if (c == 0xf4)
            hi = 0x8f;
        return (s[1] >= lo && s[1] <= hi && s[2] >= 0x80 && s[2] <= 0xbf && s[3] >= 0x80 &&
                s[3] <= 0xbf)
                   ? 4
                   : 0;
    }
    return 0;
}

bool
text_utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p != '\0') {
        /* A NUL inside a sequence fails the range checks before any read
         * past it, so this never runs off the string. */
        size_t n = seq_len(p);
        if (n == 0)
            return false;
        p += n;
    }
    return true;
}

char *
text_utf8_dup(const char *s)
{
    if (text_utf8_valid(s))
        return xstrdup(s);
    size_t len = strlen(s);
    /* Each bad byte grows to three (EF BF BD). */
    char *out = xreallocarray(NULL, len + 1, 3);
    const unsigned char *p = (const unsigned char *)s;
    char *o = out;
    while (*p != '\0') {
        size_t n = seq_len(p);
        if (n == 0) {
            memcpy(o, "\xef\xbf\xbd", 3);
            o += 3;
            p++;
        } else {
            memcpy(o, p, n);
            o += n;
            p += n;
        }
    }
    *o = '\0';
    return out;
}
