/* text_t.c - unit tests of UTF-8 validation and repair. */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "telexpose/text.h"

static void
repaired(const char *in, const char *want, const char *what)
{
    char *got = text_utf8_dup(in);
    is_str(got, want, "%s", what);
    ok(text_utf8_valid(got), "%s: result is valid", what);
    free(got);
}

int
main(void)
{
    ok(text_utf8_valid(""), "empty string");
    ok(text_utf8_valid("router.example"), "ASCII");
    ok(text_utf8_valid("caf\xc3\xa9"), "2-byte sequence (é)");
    ok(text_utf8_valid("\xe4\xb8\xad\xe5\x85\xb4"), "3-byte sequences (中兴)");
    ok(text_utf8_valid("\xf0\x9f\x93\xa1"), "4-byte sequence (U+1F4E1)");
    ok(!text_utf8_valid("ex\xe9mple"), "Latin-1 byte");
    ok(!text_utf8_valid("\xc0\xaf"), "overlong 2-byte");
    ok(!text_utf8_valid("\xe0\x80\xaf"), "overlong 3-byte");
    ok(!text_utf8_valid("\xed\xa0\x80"), "surrogate U+D800");
    ok(!text_utf8_valid("\xf4\x90\x80\x80"), "above U+10FFFF");
    ok(!text_utf8_valid("\xc3"), "truncated at the end");
    ok(!text_utf8_valid("\xe4\xb8"), "truncated 3-byte at the end");
    ok(!text_utf8_valid("\xff"), "0xff");
    repaired("ex\xe9mple.com", "ex\xef\xbf\xbdmple.com", "Latin-1 byte replaced");
    repaired("GET /\xff\xfe", "GET /\xef\xbf\xbd\xef\xbf\xbd", "each bad byte replaced");
    repaired("caf\xc3\xa9", "caf\xc3\xa9", "valid text unchanged");
    repaired("a\xe4\xb8", "a\xef\xbf\xbd\xef\xbf\xbd", "truncated sequence replaced byte by byte");
    return done_testing();
}
