/* sig_compile.c - the words of a pack line and what they compile to.
 *
 * Reference: PCRE2 pcre2api(3) (pcre2_compile, PCRE2_MATCH_INVALID_UTF,
 * pcre2_jit_compile), inet_pton(3). Nothing here knows about files or line
 * numbers: each function reports "what is wrong (what to do)" into msg and
 * sig_load.c puts the FILE:LINE in front, so the rules for quoting,
 * patterns, confidences and templates live in one place.
 */
#include "sig_int.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

static const char *const kind_names[SIG_K_COUNT] = {
    "exact",   "prefix",   "suffix", "contains", "iexact", "iprefix", "isuffix",
    "icontains", "regex",  "number", "oid",      "cidr",   "domain",
};

static int
msgf(char *msg, size_t msglen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int
msgf(char *msg, size_t msglen, const char *fmt, ...)
{
    if (msglen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, msglen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static int
hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* A quoted string starting at *pp (on the opening quote) appended to *o.
 * Leaves *pp after the closing quote. */
static int
read_quoted(const char **pp, const char *end, char **o, char *msg, size_t msglen)
{
    const char *p = *pp + 1;
    char *w = *o;
    while (p < end && *p != '"') {
        if (*p != '\\') {
            *w++ = *p++;
            continue;
        }
        if (p + 1 >= end)
            break;
        char c = p[1];
        if (c == '"' || c == '\\') {
            *w++ = c;
            p += 2;
        } else if (c == 't') {
            *w++ = '\t';
            p += 2;
        } else if (c == 'x') {
            int hi = p + 2 < end ? hexval(p[2]) : -1;
            int lo = p + 3 < end ? hexval(p[3]) : -1;
            if (hi < 0 || lo < 0)
                return msgf(msg, msglen, "bad escape: \\x needs two hex digits (e.g. \\x41)");
            if (hi == 0 && lo == 0)
                return msgf(msg, msglen,
                            "\\x00 is not allowed (observations are C strings without NUL)");
            *w++ = (char)(hi * 16 + lo);
            p += 4;
        } else {
            return msgf(msg, msglen,
                        "unknown escape \\%c in a quoted string (only \\\" \\\\ \\t \\xHH; "
                        "for a regex \\%c write \\\\%c, or leave the pattern unquoted)",
                        c >= 0x20 && c < 0x7f ? c : '?', c >= 0x20 && c < 0x7f ? c : '?',
                        c >= 0x20 && c < 0x7f ? c : '?');
        }
    }
    if (p >= end)
        return msgf(msg, msglen, "unterminated string (add the closing \")");
    *pp = p + 1;
    *o = w;
    return 0;
}

bool
sig_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

/* Split line[0..len) into tokens written into scratch (sized 2 * len + 2).
 * A "#" at the start of a token starts a comment, so "C#" stays a word. */
int
sig_tokenize(const char *line, size_t len, char *scratch, struct sig_token *tok, size_t *ntok,
             char *msg, size_t msglen)
{
    const char *p = line, *end = line + len;
    char *w = scratch;
    size_t n = 0;
    for (;;) {
        while (p < end && sig_is_space(*p))
            p++;
        if (p >= end || *p == '#')
            break;
        if (n == SIG_MAX_TOKENS)
            return msgf(msg, msglen, "too many words on one line (quote text with spaces: "
                                      "\"...\")");
        tok[n].s = w;
        tok[n].quoted = *p == '"';
        if (*p == '"') {
            if (read_quoted(&p, end, &w, msg, msglen) < 0)
                return -1;
            if (p < end && !sig_is_space(*p) && *p != '#')
                return msgf(msg, msglen, "text right after a closing quote (put a space "
                                          "between words)");
        } else {
            while (p < end && !sig_is_space(*p)) {
                if (*p == '"') {
                    /* key="text with spaces" is how example options are
                     * quoted; a quote anywhere else is a mistake. */
                    if (w == tok[n].s || w[-1] != '=')
                        return msgf(msg, msglen, "stray quote inside a word (quote the whole "
                                                  "value: \"...\")");
                    if (read_quoted(&p, end, &w, msg, msglen) < 0)
                        return -1;
                    if (p < end && !sig_is_space(*p))
                        return msgf(msg, msglen, "text right after a closing quote (put a "
                                                  "space between words)");
                    break;
                }
                *w++ = *p++;
            }
        }
        *w++ = '\0';
        n++;
    }
    *ntok = n;
    return 0;
}

static int
compile_number(struct sig_rule *r, char *msg, size_t msglen)
{
    const char *s = r->pattern;
    uint64_t v[2] = {0, 0};
    int k = 0;
    bool digit = false;
    for (; *s != '\0'; s++) {
        if (*s >= '0' && *s <= '9') {
            unsigned d = (unsigned)(*s - '0');
            if (v[k] > (UINT64_MAX - d) / 10)
                return msgf(msg, msglen, "number %s is too large", r->pattern);
            v[k] = v[k] * 10 + d;
            digit = true;
        } else if (*s == '-' && k == 0 && digit) {
            k = 1;
            digit = false;
        } else {
            digit = false;
            break;
        }
    }
    if (*s != '\0' || !digit)
        return msgf(msg, msglen, "bad number \"%s\" (write N or N-M with decimal digits, "
                                  "e.g. 2011 or 0-1023)", r->pattern);
    r->num_lo = v[0];
    r->num_hi = k == 1 ? v[1] : v[0];
    if (r->num_lo > r->num_hi)
        return msgf(msg, msglen, "number range %s is empty (write the smaller bound first)",
                    r->pattern);
    return 0;
}

static int
compile_oid(struct sig_rule *r, char *msg, size_t msglen)
{
    const char *s = r->pattern[0] == '.' ? r->pattern + 1 : r->pattern;
    const char *c = s;
    for (;;) {
        const char *start = c;
        while (*c >= '0' && *c <= '9')
            c++;
        if (c == start || (c - start > 1 && *start == '0') || (*c != '.' && *c != '\0'))
            return msgf(msg, msglen, "bad OID \"%s\" (write dotted decimal numbers without "
                                      "leading zeros, e.g. 1.3.6.1.4.1.2011)", r->pattern);
        if (*c == '\0')
            break;
        c++;
    }
    /* Stored without a leading dot; values are compared the same way. */
    memmove(r->pattern, s, strlen(s) + 1);
    r->patlen = strlen(r->pattern);
    return 0;
}

static int
compile_cidr(struct sig_rule *r, char *msg, size_t msglen)
{
    char addr[64];
    const char *slash = strchr(r->pattern, '/');
    size_t alen = slash ? (size_t)(slash - r->pattern) : r->patlen;
    if (alen >= sizeof(addr))
        return msgf(msg, msglen, "bad CIDR \"%s\" (write e.g. 10.0.0.0/8 or 2001:db8::/32)",
                    r->pattern);
    memcpy(addr, r->pattern, alen);
    addr[alen] = '\0';
    if (inet_pton(AF_INET, addr, r->net) == 1)
        r->net_len = 4;
    else if (inet_pton(AF_INET6, addr, r->net) == 1)
        r->net_len = 16;
    else
        return msgf(msg, msglen, "bad CIDR \"%s\" (write e.g. 10.0.0.0/8 or 2001:db8::/32)",
                    r->pattern);
    unsigned maxp = r->net_len * 8;
    r->prefix = maxp;
    if (slash != NULL) {
        uint64_t p;
        const char *q = slash + 1;
        bool ok = *q != '\0' && strlen(q) <= 3;
        p = 0;
        for (; ok && *q != '\0'; q++) {
            if (*q < '0' || *q > '9')
                ok = false;
            else
                p = p * 10 + (uint64_t)(*q - '0');
        }
        if (!ok || p > maxp)
            return msgf(msg, msglen, "bad prefix length in \"%s\" (0 to %u)", r->pattern,
                        maxp);
        r->prefix = (unsigned)p;
    }
    for (unsigned bit = r->prefix; bit < maxp; bit++) {
        if (r->net[bit / 8] & (0x80 >> (bit % 8))) {
            uint8_t net[16];
            char fixed[INET6_ADDRSTRLEN];
            memcpy(net, r->net, sizeof(net));
            for (unsigned b2 = r->prefix; b2 < maxp; b2++)
                net[b2 / 8] &= (uint8_t)~(0x80 >> (b2 % 8));
            inet_ntop(r->net_len == 4 ? AF_INET : AF_INET6, net, fixed, sizeof(fixed));
            return msgf(msg, msglen, "CIDR \"%s\" has host bits set (did you mean %s/%u?)",
                        r->pattern, fixed, r->prefix);
        }
    }
    return 0;
}

static int
compile_domain(struct sig_rule *r, char *msg, size_t msglen)
{
    char *s = r->pattern;
    size_t n = strlen(s);
    if (n > 0 && s[n - 1] == '.')
        s[--n] = '\0';
    bool label_start = true;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            s[i] = (char)(c + 32);
        else if (c == '.' && !label_start)
            label_start = true;
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')
            ;
        else
            return msgf(msg, msglen, "bad domain \"%s\" (write a DNS name such as huawei.com)",
                        r->pattern);
        if (c != '.')
            label_start = false;
    }
    if (n == 0 || label_start)
        return msgf(msg, msglen, "bad domain \"%s\" (write a DNS name such as huawei.com)",
                    r->pattern);
    r->patlen = n;
    return 0;
}

static int
compile_regex(struct sig_rule *r, char *msg, size_t msglen)
{
    int ec;
    PCRE2_SIZE off;
    /* MATCH_INVALID_UTF: packet text is not always valid UTF-8, and such a
     * value must simply not match instead of making pcre2_match fail. */
    r->re = pcre2_compile((PCRE2_SPTR)r->pattern, r->patlen, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
                          &ec, &off, NULL);
    if (r->re == NULL) {
        PCRE2_UCHAR why[256];
        if (pcre2_get_error_message(ec, why, sizeof(why)) < 0)
            snprintf((char *)why, sizeof(why), "error %d", ec);
        return msgf(msg, msglen, "bad regex at offset %zu: %s (PCRE2 syntax; inside quotes "
                                 "a regex backslash is written \\\\)", (size_t)off,
                    (const char *)why);
    }
    pcre2_pattern_info(r->re, PCRE2_INFO_CAPTURECOUNT, &r->groups);
    /* JIT is a speed-up only: without it (or on failure) the interpreter
     * gives the same results. */
    (void)pcre2_jit_compile(r->re, PCRE2_JIT_COMPLETE);
    return 0;
}

int
sig_kind_from_name(const char *name)
{
    for (int k = 0; k < SIG_K_COUNT; k++)
        if (strcmp(name, kind_names[k]) == 0)
            return k;
    return -1;
}

int
sig_compile_pattern(struct sig_rule *r, char *msg, size_t msglen)
{
    switch (r->kind) {
    case SIG_K_REGEX:
        return compile_regex(r, msg, msglen);
    case SIG_K_NUMBER:
        return compile_number(r, msg, msglen);
    case SIG_K_OID:
        return compile_oid(r, msg, msglen);
    case SIG_K_CIDR:
        return compile_cidr(r, msg, msglen);
    case SIG_K_DOMAIN:
        return compile_domain(r, msg, msglen);
    default:
        return 0;
    }
}

int
sig_parse_confidence(const char *s, double *out, char *msg, size_t msglen)
{
    char *end;
    errno = 0;
    double c = strtod(s, &end);
    if (end == s || *end != '\0' || errno != 0 || !isfinite(c))
        return msgf(msg, msglen, "confidence '%s' is not a number (write e.g. 0.8)", s);
    if (!(c > 0 && c <= 1))
        return msgf(msg, msglen, "confidence %s is out of range (use a number above 0 and at "
                                 "most 1)", s);
    *out = c;
    return 0;
}

/* The roles a rule may name; the device stage knows the same words
 * (asset_role_name), so a new one needs a place there too. */
static const char *const role_names[] = {
    "router", "switch", "cpe", "phone", "camera", "radio", "server", "host",
};

int
sig_parse_role(const char *s, const char **out, char *msg, size_t msglen)
{
    for (size_t i = 0; i < sizeof(role_names) / sizeof(role_names[0]); i++)
        if (strcmp(s, role_names[i]) == 0) {
            *out = role_names[i];
            return 0;
        }
    return msgf(msg, msglen, "unknown role '%s' (use one of: router, switch, cpe, phone, "
                             "camera, radio, server, host)", s);
}

int
sig_check_templates(const struct sig_rule *r, char *msg, size_t msglen)
{
    const char *tpl[2] = {r->model, r->version};
    for (int k = 0; k < 2; k++) {
        for (const char *s = tpl[k]; s != NULL && *s != '\0'; s++) {
            if (*s != '$')
                continue;
            if (s[1] == '$') {
                s++;
                continue;
            }
            if (s[1] < '1' || s[1] > '9')
                return msgf(msg, msglen, "rule %s: %s template \"%s\": '$' must be followed by "
                                         "1-9 (write $$ for a dollar sign)", r->id,
                            k ? "version" : "model", tpl[k]);
            unsigned g = (unsigned)(s[1] - '0');
            if (r->kind != SIG_K_REGEX || g > r->groups)
                return msgf(msg, msglen, "rule %s: %s template uses $%u but the %s has %u "
                                         "capture group%s", r->id, k ? "version" : "model", g,
                            r->kind == SIG_K_REGEX ? "regex" : "match (not a regex)",
                            r->kind == SIG_K_REGEX ? (unsigned)r->groups : 0u,
                            r->kind == SIG_K_REGEX && r->groups == 1 ? "" : "s");
            s++;
        }
    }
    return 0;
}
