/* sig_load.c - reading signature packs (docs/signatures.md) into a struct sig_db.
 *
 * Reference: PCRE2 pcre2api(3) (pcre2_compile, PCRE2_MATCH_INVALID_UTF,
 * pcre2_jit_compile), inet_pton(3). Loading is all or nothing: packs and
 * rules are gathered in a builder and become a db only when every file
 * parsed and every cross-pack check passed; on any error the builder is
 * freed whole.
 */
#include "sig_int.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "telexpose/xalloc.h"

#define MAX_TOKENS 8               /* no line needs more; more is a quoting mistake */
#define MAX_FILE_BYTES (16u << 20) /* a pack is hand-written text */

static const char *const kind_names[SIG_K_COUNT] = {
    "exact",   "prefix",   "suffix", "contains", "iexact", "iprefix", "isuffix",
    "icontains", "regex",  "number", "oid",      "cidr",   "domain",
};

struct builder {
    struct sig_pack *packs;
    size_t n_packs;
    struct sig_rule *rules;
    size_t n_rules;
    size_t cap_rules;       /* grown by doubling: big packs load in linear time */
};

/* State while one file is read. */
struct parser {
    struct builder *b;
    const char *file;       /* label for messages */
    const char *stem;       /* file name without directory and ".sig" */
    size_t stem_len;
    unsigned line;
    size_t pack;            /* index of this file's pack in b->packs */
    bool have_pack, have_vendor, have_title, have_default;
    struct sig_rule *rule;  /* rule being read, NULL before the first */
    char *err;
    size_t errlen;
};

struct token {
    char *s;
    bool quoted;            /* written as "..." (so "none" is a literal) */
};

static int
fail(struct parser *ps, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(struct parser *ps, unsigned line, const char *fmt, ...)
{
    int n = snprintf(ps->err, ps->errlen, "%s:%u: ", ps->file, line);
    if (n >= 0 && (size_t)n < ps->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static void
free_examples(struct sig_example *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].value);
        free(v[i].model);
        free(v[i].version);
    }
    free(v);
}

static void
free_rule(struct sig_rule *r)
{
    free(r->id);
    free(r->pattern);
    pcre2_code_free(r->re);
    free(r->model);
    free(r->version);
    free(r->vendor);
    free(r->source);
    free_examples(r->examples, r->n_examples);
    free_examples(r->nomatches, r->n_nomatches);
}

static void
free_pack(struct sig_pack *p)
{
    free(p->id);
    free(p->file);
    free(p->vendor);
    free(p->title);
}

static void
builder_free(struct builder *b)
{
    for (size_t i = 0; i < b->n_rules; i++)
        free_rule(&b->rules[i]);
    for (size_t i = 0; i < b->n_packs; i++)
        free_pack(&b->packs[i]);
    free(b->rules);
    free(b->packs);
    b->rules = NULL;
    b->packs = NULL;
    b->n_rules = b->n_packs = b->cap_rules = 0;
}

void
sig_db_free(struct sig_db *db)
{
    if (db == NULL)
        return;
    struct builder b = {db->packs, db->n_packs, db->rules, db->n_rules, db->n_rules};
    builder_free(&b);
    for (size_t f = 0; f < SIG_FIELD_COUNT; f++) {
        free(db->idx[f].exact);
        free(db->idx[f].iexact);
        free(db->idx[f].other);
    }
    pcre2_match_context_free(db->mctx);
    free(db);
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
read_quoted(struct parser *ps, const char **pp, const char *end, char **o)
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
                return fail(ps, ps->line, "bad escape: \\x needs two hex digits (e.g. \\x41)");
            if (hi == 0 && lo == 0)
                return fail(ps, ps->line,
                            "\\x00 is not allowed (observations are C strings without NUL)");
            *w++ = (char)(hi * 16 + lo);
            p += 4;
        } else {
            return fail(ps, ps->line,
                        "unknown escape \\%c in a quoted string (only \\\" \\\\ \\t \\xHH; "
                        "for a regex \\%c write \\\\%c, or leave the pattern unquoted)",
                        c >= 0x20 && c < 0x7f ? c : '?', c >= 0x20 && c < 0x7f ? c : '?',
                        c >= 0x20 && c < 0x7f ? c : '?');
        }
    }
    if (p >= end)
        return fail(ps, ps->line, "unterminated string (add the closing \")");
    *pp = p + 1;
    *o = w;
    return 0;
}

static bool
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

/* Split line[0..len) into tokens written into scratch (sized 2 * len + 2).
 * A "#" at the start of a token starts a comment, so "C#" stays a word. */
static int
tokenize(struct parser *ps, const char *line, size_t len, char *scratch, struct token *tok,
         size_t *ntok)
{
    const char *p = line, *end = line + len;
    char *w = scratch;
    size_t n = 0;
    for (;;) {
        while (p < end && is_space(*p))
            p++;
        if (p >= end || *p == '#')
            break;
        if (n == MAX_TOKENS)
            return fail(ps, ps->line, "too many words on one line (quote text with spaces: "
                                      "\"...\")");
        tok[n].s = w;
        tok[n].quoted = *p == '"';
        if (*p == '"') {
            if (read_quoted(ps, &p, end, &w) < 0)
                return -1;
            if (p < end && !is_space(*p) && *p != '#')
                return fail(ps, ps->line, "text right after a closing quote (put a space "
                                          "between words)");
        } else {
            while (p < end && !is_space(*p)) {
                if (*p == '"') {
                    /* key="text with spaces" is how example options are
                     * quoted; a quote anywhere else is a mistake. */
                    if (w == tok[n].s || w[-1] != '=')
                        return fail(ps, ps->line, "stray quote inside a word (quote the whole "
                                                  "value: \"...\")");
                    if (read_quoted(ps, &p, end, &w) < 0)
                        return -1;
                    if (p < end && !is_space(*p))
                        return fail(ps, ps->line, "text right after a closing quote (put a "
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

static bool
valid_id(const char *s, bool allow_underscore)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
        return false;
    for (s++; *s != '\0'; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '.' ||
              *s == '-' || (allow_underscore && *s == '_')))
            return false;
    return true;
}

static int
want_args(struct parser *ps, const struct token *t, size_t n, size_t want, const char *usage)
{
    if (n - 1 == want)
        return 0;
    return fail(ps, ps->line, "'%s' takes %zu value%s, got %zu (write: %s; quote text with "
                              "spaces)", t[0].s, want, want == 1 ? "" : "s", n - 1, usage);
}

static int
set_once(struct parser *ps, char **slot, const char *what, const char *value)
{
    if (*slot != NULL)
        return fail(ps, ps->line, "second '%s' line (keep one)", what);
    if (value[0] == '\0')
        return fail(ps, ps->line, "empty '%s' (give a value)", what);
    *slot = xstrdup(value);
    return 0;
}

/* Every field name, for the unknown-field message. */
static void
field_list(char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < SIG_FIELD_COUNT; i++) {
        int w = snprintf(buf + n, len - n, "%s%s", i ? ", " : "", sig_field_name(i));
        if (w < 0 || (size_t)w >= len - n)
            return;
        n += (size_t)w;
    }
}

static int
compile_number(struct parser *ps, struct sig_rule *r)
{
    const char *s = r->pattern;
    uint64_t v[2] = {0, 0};
    int k = 0;
    bool digit = false;
    for (; *s != '\0'; s++) {
        if (*s >= '0' && *s <= '9') {
            unsigned d = (unsigned)(*s - '0');
            if (v[k] > (UINT64_MAX - d) / 10)
                return fail(ps, ps->line, "number %s is too large", r->pattern);
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
        return fail(ps, ps->line, "bad number \"%s\" (write N or N-M with decimal digits, "
                                  "e.g. 2011 or 0-1023)", r->pattern);
    r->num_lo = v[0];
    r->num_hi = k == 1 ? v[1] : v[0];
    if (r->num_lo > r->num_hi)
        return fail(ps, ps->line, "number range %s is empty (write the smaller bound first)",
                    r->pattern);
    return 0;
}

static int
compile_oid(struct parser *ps, struct sig_rule *r)
{
    const char *s = r->pattern[0] == '.' ? r->pattern + 1 : r->pattern;
    const char *c = s;
    for (;;) {
        const char *start = c;
        while (*c >= '0' && *c <= '9')
            c++;
        if (c == start || (c - start > 1 && *start == '0') || (*c != '.' && *c != '\0'))
            return fail(ps, ps->line, "bad OID \"%s\" (write dotted decimal numbers without "
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
compile_cidr(struct parser *ps, struct sig_rule *r)
{
    char addr[64];
    const char *slash = strchr(r->pattern, '/');
    size_t alen = slash ? (size_t)(slash - r->pattern) : r->patlen;
    if (alen >= sizeof(addr))
        return fail(ps, ps->line, "bad CIDR \"%s\" (write e.g. 10.0.0.0/8 or 2001:db8::/32)",
                    r->pattern);
    memcpy(addr, r->pattern, alen);
    addr[alen] = '\0';
    if (inet_pton(AF_INET, addr, r->net) == 1)
        r->net_len = 4;
    else if (inet_pton(AF_INET6, addr, r->net) == 1)
        r->net_len = 16;
    else
        return fail(ps, ps->line, "bad CIDR \"%s\" (write e.g. 10.0.0.0/8 or 2001:db8::/32)",
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
            return fail(ps, ps->line, "bad prefix length in \"%s\" (0 to %u)", r->pattern,
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
            return fail(ps, ps->line, "CIDR \"%s\" has host bits set (did you mean %s/%u?)",
                        r->pattern, fixed, r->prefix);
        }
    }
    return 0;
}

static int
compile_domain(struct parser *ps, struct sig_rule *r)
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
            return fail(ps, ps->line, "bad domain \"%s\" (write a DNS name such as huawei.com)",
                        r->pattern);
        if (c != '.')
            label_start = false;
    }
    if (n == 0 || label_start)
        return fail(ps, ps->line, "bad domain \"%s\" (write a DNS name such as huawei.com)",
                    r->pattern);
    r->patlen = n;
    return 0;
}

static int
compile_regex(struct parser *ps, struct sig_rule *r)
{
    int ec;
    PCRE2_SIZE off;
    /* MATCH_INVALID_UTF: packet text is not always valid UTF-8, and such a
     * value must simply not match instead of making pcre2_match fail. */
    r->re = pcre2_compile((PCRE2_SPTR)r->pattern, r->patlen, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
                          &ec, &off, NULL);
    if (r->re == NULL) {
        PCRE2_UCHAR msg[256];
        if (pcre2_get_error_message(ec, msg, sizeof(msg)) < 0)
            snprintf((char *)msg, sizeof(msg), "error %d", ec);
        return fail(ps, ps->line, "bad regex at offset %zu: %s (PCRE2 syntax; inside quotes "
                                  "a regex backslash is written \\\\)", (size_t)off,
                    (const char *)msg);
    }
    pcre2_pattern_info(r->re, PCRE2_INFO_CAPTURECOUNT, &r->groups);
    /* JIT is a speed-up only: without it (or on failure) the interpreter
     * gives the same results. */
    (void)pcre2_jit_compile(r->re, PCRE2_JIT_COMPLETE);
    return 0;
}

static int
parse_match(struct parser *ps, struct sig_rule *r, const struct token *t, size_t n)
{
    if (r->pattern != NULL)
        return fail(ps, ps->line, "second 'match' line (a rule has one match)");
    if (n < 2 || n > 3)
        return want_args(ps, t, n, 2, "match KIND PATTERN");
    int kind = -1;
    for (int k = 0; k < SIG_K_COUNT; k++)
        if (strcmp(t[1].s, kind_names[k]) == 0)
            kind = k;
    if (kind < 0)
        return fail(ps, ps->line, "unknown match kind '%s' (use exact, prefix, suffix, "
                                  "contains, iexact, iprefix, isuffix, icontains, regex, "
                                  "number, oid, cidr or domain)", t[1].s);
    if (n != 3)
        return want_args(ps, t, n, 2, "match KIND PATTERN");
    r->kind = (enum sig_kind)kind;
    r->pattern = xstrdup(t[2].s);
    r->patlen = strlen(r->pattern);
    if (r->patlen == 0)
        return fail(ps, ps->line, "empty pattern (it would match everything; give some text)");
    switch (r->kind) {
    case SIG_K_REGEX:
        return compile_regex(ps, r);
    case SIG_K_NUMBER:
        return compile_number(ps, r);
    case SIG_K_OID:
        return compile_oid(ps, r);
    case SIG_K_CIDR:
        return compile_cidr(ps, r);
    case SIG_K_DOMAIN:
        return compile_domain(ps, r);
    default:
        return 0;
    }
}

static int
parse_example(struct parser *ps, struct sig_rule *r, const struct token *t, size_t n, bool ok)
{
    if (n < 2)
        return want_args(ps, t, n, 1, ok ? "example \"VALUE\" [model=M] [version=V]"
                                         : "nomatch \"VALUE\"");
    if (!ok && n != 2)
        return want_args(ps, t, n, 1, "nomatch \"VALUE\"");
    struct sig_example **v = ok ? &r->examples : &r->nomatches;
    size_t *nv = ok ? &r->n_examples : &r->n_nomatches;
    *v = xreallocarray(*v, *nv + 1, sizeof(**v));
    struct sig_example *ex = &(*v)[(*nv)++];
    memset(ex, 0, sizeof(*ex));
    ex->value = xstrdup(t[1].s);
    ex->line = ps->line;
    for (size_t i = 2; i < n; i++) {
        char **slot = NULL;
        const char *val = NULL;
        if (!t[i].quoted && strncmp(t[i].s, "model=", 6) == 0) {
            slot = &ex->model;
            val = t[i].s + 6;
        } else if (!t[i].quoted && strncmp(t[i].s, "version=", 8) == 0) {
            slot = &ex->version;
            val = t[i].s + 8;
        }
        if (slot == NULL)
            return fail(ps, ps->line, "unexpected '%s' after the example value (only model=... "
                                      "and version=...)", t[i].s);
        if (*slot != NULL)
            return fail(ps, ps->line, "'%.8s' given twice", t[i].s);
        *slot = xstrdup(val);
    }
    return 0;
}

/* A rule is complete: check what the format requires of it. */
static int
finish_rule(struct parser *ps)
{
    struct sig_rule *r = ps->rule;
    if (r == NULL)
        return 0;
    ps->rule = NULL;
    if (r->field == SIG_FIELD_INVALID)
        return fail(ps, r->line, "rule %s: no 'field' line (add e.g. 'field dhcp.vendor_class')",
                    r->id);
    if (r->pattern == NULL)
        return fail(ps, r->line, "rule %s: no 'match' line (add e.g. 'match prefix \"TEXT\"')",
                    r->id);
    if (r->confidence == 0)
        return fail(ps, r->line, "rule %s: no 'confidence' line (add e.g. 'confidence 0.8')",
                    r->id);
    if (r->source == NULL)
        return fail(ps, r->line, "rule %s: no 'source' line (say where the pattern comes from)",
                    r->id);
    if (r->n_examples == 0)
        return fail(ps, r->line, "rule %s: no 'example' line (add a value that must match)",
                    r->id);
    if (r->n_nomatches == 0)
        return fail(ps, r->line, "rule %s: no 'nomatch' line (add a near-miss that must not "
                                 "match)", r->id);
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
                return fail(ps, r->line, "rule %s: %s template \"%s\": '$' must be followed by "
                                         "1-9 (write $$ for a dollar sign)", r->id,
                            k ? "version" : "model", tpl[k]);
            unsigned g = (unsigned)(s[1] - '0');
            if (r->kind != SIG_K_REGEX || g > r->groups)
                return fail(ps, r->line, "rule %s: %s template uses $%u but the %s has %u "
                                         "capture group%s", r->id, k ? "version" : "model", g,
                            r->kind == SIG_K_REGEX ? "regex" : "match (not a regex)",
                            r->kind == SIG_K_REGEX ? (unsigned)r->groups : 0u,
                            r->kind == SIG_K_REGEX && r->groups == 1 ? "" : "s");
            s++;
        }
    }
    return 0;
}

static int
start_rule(struct parser *ps, const struct token *t, size_t n)
{
    if (want_args(ps, t, n, 1, "rule ID") < 0)
        return -1;
    if (!valid_id(t[1].s, false))
        return fail(ps, ps->line, "bad rule id '%s' (lowercase letters, digits, '.' and '-', "
                                  "starting with a letter or digit)", t[1].s);
    if (!ps->have_pack)
        return fail(ps, ps->line, "rule before the 'pack' line (start the file with 'pack %.*s')",
                    (int)ps->stem_len, ps->stem);
    if (!ps->have_vendor)
        return fail(ps, ps->line, "rule before the pack's 'vendor' line (add 'vendor NAME' to "
                                  "the header)");
    struct builder *b = ps->b;
    if (b->n_rules == b->cap_rules) {
        b->cap_rules = b->cap_rules ? 2 * b->cap_rules : 64;
        b->rules = xreallocarray(b->rules, b->cap_rules, sizeof(*b->rules));
    }
    struct sig_rule *r = &b->rules[b->n_rules++];
    memset(r, 0, sizeof(*r));
    r->id = xstrdup(t[1].s);
    r->line = ps->line;
    r->pack = ps->pack;
    r->field = SIG_FIELD_INVALID;
    b->packs[ps->pack].n_rules++;
    ps->rule = r;
    return 0;
}

static int
header_line(struct parser *ps, const struct token *t, size_t n)
{
    struct sig_pack *pk = &ps->b->packs[ps->pack];
    const char *kw = t[0].s;
    if (strcmp(kw, "pack") == 0) {
        if (want_args(ps, t, n, 1, "pack ID") < 0)
            return -1;
        if (ps->have_pack)
            return fail(ps, ps->line, "second 'pack' line (a file holds one pack)");
        if (strlen(t[1].s) != ps->stem_len || memcmp(t[1].s, ps->stem, ps->stem_len) != 0)
            return fail(ps, ps->line, "pack '%s' does not match the file name (name the file "
                                      "%s.sig, or write 'pack %.*s')", t[1].s, t[1].s,
                        (int)ps->stem_len, ps->stem);
        if (!valid_id(t[1].s, true))
            return fail(ps, ps->line, "bad pack id '%s' (lowercase letters, digits, '.', '-' "
                                      "and '_')", t[1].s);
        ps->have_pack = true;
        pk->id = xstrdup(t[1].s);
        return 0;
    }
    if (!ps->have_pack)
        return fail(ps, ps->line, "'%s' before the 'pack' line (start the file with "
                                  "'pack %.*s')", kw, (int)ps->stem_len, ps->stem);
    if (strcmp(kw, "vendor") == 0) {
        if (want_args(ps, t, n, 1, "vendor NAME") < 0)
            return -1;
        ps->have_vendor = true;
        return set_once(ps, &pk->vendor, "vendor", t[1].s);
    }
    if (strcmp(kw, "title") == 0) {
        if (want_args(ps, t, n, 1, "title \"TEXT\"") < 0)
            return -1;
        if (ps->have_title)
            return fail(ps, ps->line, "second 'title' line (keep one)");
        ps->have_title = true;
        free(pk->title);
        pk->title = xstrdup(t[1].s);
        return 0;
    }
    /* default */
    if (want_args(ps, t, n, 1, "default on|off") < 0)
        return -1;
    if (ps->have_default)
        return fail(ps, ps->line, "second 'default' line (keep one)");
    if (strcmp(t[1].s, "on") != 0 && strcmp(t[1].s, "off") != 0)
        return fail(ps, ps->line, "default must be 'on' or 'off', not '%s'", t[1].s);
    ps->have_default = true;
    pk->default_on = strcmp(t[1].s, "on") == 0;
    return 0;
}

static int
attr_line(struct parser *ps, const struct token *t, size_t n)
{
    struct sig_rule *r = ps->rule;
    const char *kw = t[0].s;
    if (strcmp(kw, "field") == 0) {
        if (want_args(ps, t, n, 1, "field NAME") < 0)
            return -1;
        if (r->field != SIG_FIELD_INVALID)
            return fail(ps, ps->line, "second 'field' line (a rule looks at one field)");
        r->field = sig_field_from_name(t[1].s);
        if (r->field == SIG_FIELD_INVALID) {
            char list[1024];
            field_list(list, sizeof(list));
            return fail(ps, ps->line, "unknown field '%s' (use one of: %s)", t[1].s, list);
        }
        return 0;
    }
    if (strcmp(kw, "match") == 0)
        return parse_match(ps, r, t, n);
    if (strcmp(kw, "confidence") == 0) {
        if (want_args(ps, t, n, 1, "confidence 0.8") < 0)
            return -1;
        if (r->confidence != 0)
            return fail(ps, ps->line, "second 'confidence' line (keep one)");
        char *end;
        errno = 0;
        double c = strtod(t[1].s, &end);
        if (end == t[1].s || *end != '\0' || errno != 0 || !isfinite(c))
            return fail(ps, ps->line, "confidence '%s' is not a number (write e.g. 0.8)",
                        t[1].s);
        if (!(c > 0 && c <= 1))
            return fail(ps, ps->line, "confidence %s is out of range (use a number above 0 "
                                      "and at most 1)", t[1].s);
        r->confidence = c;
        return 0;
    }
    if (strcmp(kw, "model") == 0 || strcmp(kw, "version") == 0) {
        bool model = kw[0] == 'm';
        if (want_args(ps, t, n, 1, model ? "model TEMPLATE|none" : "version TEMPLATE|none") < 0)
            return -1;
        char **slot = model ? &r->model : &r->version;
        if (*slot != NULL)
            return fail(ps, ps->line, "second '%s' line (keep one)", kw);
        if (!t[1].quoted && strcmp(t[1].s, "none") == 0)
            return 0;
        return set_once(ps, slot, kw, t[1].s);
    }
    if (strcmp(kw, "vendor") == 0) {
        if (want_args(ps, t, n, 1, "vendor NAME") < 0)
            return -1;
        return set_once(ps, &r->vendor, "vendor", t[1].s);
    }
    if (strcmp(kw, "source") == 0) {
        if (want_args(ps, t, n, 1, "source \"WHERE IT COMES FROM\"") < 0)
            return -1;
        return set_once(ps, &r->source, "source", t[1].s);
    }
    if (strcmp(kw, "example") == 0)
        return parse_example(ps, r, t, n, true);
    if (strcmp(kw, "nomatch") == 0)
        return parse_example(ps, r, t, n, false);
    return fail(ps, ps->line, "unknown rule attribute '%s' (use field, match, confidence, "
                              "model, version, vendor, source, example or nomatch)", kw);
}

static bool
is_header_kw(const char *s)
{
    return strcmp(s, "pack") == 0 || strcmp(s, "vendor") == 0 || strcmp(s, "title") == 0 ||
           strcmp(s, "default") == 0;
}

static bool
is_attr_kw(const char *s)
{
    static const char *const kws[] = {"field",  "match",  "confidence", "model",  "version",
                                      "source", "example", "nomatch"};
    for (size_t i = 0; i < sizeof(kws) / sizeof(kws[0]); i++)
        if (strcmp(s, kws[i]) == 0)
            return true;
    return false;
}

static int
parse_line(struct parser *ps, const char *line, size_t len, char *scratch)
{
    struct token t[MAX_TOKENS];
    size_t n = 0;
    if (tokenize(ps, line, len, scratch, t, &n) < 0)
        return -1;
    if (n == 0)
        return 0;
    bool indented = is_space(line[0]);
    const char *kw = t[0].quoted ? "" : t[0].s;
    /* Indentation does not matter for 'rule': it always starts a rule. */
    if (strcmp(kw, "rule") == 0) {
        if (finish_rule(ps) < 0)
            return -1;
        return start_rule(ps, t, n);
    }
    if (indented) {
        if (ps->rule == NULL)
            return fail(ps, ps->line, "attribute '%s' before any rule (start a rule with "
                                      "'rule ID')", t[0].s);
        return attr_line(ps, t, n);
    }
    if (is_header_kw(kw)) {
        if (ps->b->packs[ps->pack].n_rules > 0)
            return fail(ps, ps->line, "header line '%s' after the first rule (indent it to "
                                      "make it an attribute of the rule above, or move it to "
                                      "the top)", kw);
        return header_line(ps, t, n);
    }
    if (is_attr_kw(kw))
        return fail(ps, ps->line, "attribute '%s' must be indented under a 'rule' line", kw);
    return fail(ps, ps->line, "unknown keyword '%s' (header: pack, vendor, title, default; "
                              "then 'rule ID' with indented attributes)", t[0].s);
}

/* Parse one pack file's text into b. */
static int
parse_pack(struct builder *b, const char *file, const char *text, size_t len, char *errbuf,
           size_t errlen)
{
    struct parser ps;
    memset(&ps, 0, sizeof(ps));
    ps.b = b;
    ps.file = file;
    ps.err = errbuf;
    ps.errlen = errlen;
    const char *base = strrchr(file, '/');
    ps.stem = base ? base + 1 : file;
    ps.stem_len = strlen(ps.stem);
    if (ps.stem_len > 4 && strcmp(ps.stem + ps.stem_len - 4, ".sig") == 0)
        ps.stem_len -= 4;

    b->packs = xreallocarray(b->packs, b->n_packs + 1, sizeof(*b->packs));
    ps.pack = b->n_packs++;
    struct sig_pack *pk = &b->packs[ps.pack];
    memset(pk, 0, sizeof(*pk));
    pk->file = xstrdup(file);
    pk->title = xstrdup("");
    pk->default_on = true;
    pk->first_rule = b->n_rules;

    if (memchr(text, '\0', len) != NULL) {
        const char *z = memchr(text, '\0', len);
        unsigned line = 1;
        for (const char *p = text; p < z; p++)
            line += *p == '\n';
        return fail(&ps, line, "NUL byte in the file (a pack is plain text)");
    }
    int rc = 0;
    size_t pos = 0;
    char *scratch = NULL;
    size_t scap = 0;
    while (rc == 0 && pos < len) {
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - line) : len - pos;
        pos += ll + (nl ? 1 : 0);
        ps.line++;
        size_t content = ll;
        if (content > 0 && line[content - 1] == '\r')
            content--;
        if (2 * content + 2 > scap) {
            scap = 2 * content + 2;
            free(scratch);
            scratch = xmalloc(scap);
        }
        rc = parse_line(&ps, line, content, scratch);
    }
    free(scratch);
    if (rc < 0)
        return -1;
    if (finish_rule(&ps) < 0)
        return -1;
    if (!ps.have_pack)
        return fail(&ps, ps.line > 0 ? ps.line : 1, "no 'pack' line (start the file with "
                                                    "'pack %.*s')", (int)ps.stem_len, ps.stem);
    if (!ps.have_vendor)
        return fail(&ps, ps.line, "no 'vendor' line in the header (add 'vendor NAME')");
    return 0;
}

static int
cmp_rule_ptr(const void *a, const void *b)
{
    const struct sig_rule *x = *(const struct sig_rule *const *)a;
    const struct sig_rule *y = *(const struct sig_rule *const *)b;
    int c = strcmp(x->id, y->id);
    return c != 0 ? c : (x < y ? -1 : x > y);
}

/* Rule ids are unique over all of b; the error names the later copy. */
static int
check_unique(const struct builder *b, char *errbuf, size_t errlen)
{
    if (b->n_rules < 2)
        return 0;
    const struct sig_rule **v = xreallocarray(NULL, b->n_rules, sizeof(*v));
    for (size_t i = 0; i < b->n_rules; i++)
        v[i] = &b->rules[i];
    qsort(v, b->n_rules, sizeof(*v), cmp_rule_ptr);
    const struct sig_rule *first = NULL, *dup = NULL;
    for (size_t i = 1; i < b->n_rules; i++) {
        if (strcmp(v[i]->id, v[i - 1]->id) != 0)
            continue;
        /* v[i - 1] is the earliest of its group only when it starts one. */
        size_t s = i - 1;
        while (s > 0 && strcmp(v[s - 1]->id, v[i]->id) == 0)
            s--;
        if (dup == NULL || v[i] < dup) {
            dup = v[i];
            first = v[s];
        }
    }
    free(v);
    if (dup == NULL)
        return 0;
    snprintf(errbuf, errlen, "%s:%u: rule id '%s' already used at %s:%u (rule ids are unique "
             "across all packs; rename one)", b->packs[dup->pack].file, dup->line, dup->id,
             b->packs[first->pack].file, first->line);
    return -1;
}

/* Turn the builder into a db holding only the packs with keep[i]. */
static struct sig_db *
build_db(struct builder *b, const bool *keep)
{
    struct sig_db *db = xcalloc(1, sizeof(*db));
    size_t np = 0, nr = 0;
    for (size_t i = 0; i < b->n_packs; i++)
        if (keep == NULL || keep[i]) {
            np++;
            nr += b->packs[i].n_rules;
        }
    db->packs = xcalloc(np ? np : 1, sizeof(*db->packs));
    db->rules = xcalloc(nr ? nr : 1, sizeof(*db->rules));
    for (size_t i = 0; i < b->n_packs; i++) {
        struct sig_pack *p = &b->packs[i];
        if (keep != NULL && !keep[i]) {
            for (size_t k = 0; k < p->n_rules; k++)
                free_rule(&b->rules[p->first_rule + k]);
            free_pack(p);
            continue;
        }
        size_t to = db->n_packs++;
        db->packs[to] = *p;
        db->packs[to].first_rule = db->n_rules;
        for (size_t k = 0; k < p->n_rules; k++) {
            db->rules[db->n_rules] = b->rules[p->first_rule + k];
            db->rules[db->n_rules].pack = to;
            db->n_rules++;
        }
    }
    free(b->packs);
    free(b->rules);
    b->packs = NULL;
    b->rules = NULL;
    b->n_packs = b->n_rules = b->cap_rules = 0;
    sig_db_index(db);
    return db;
}

int
sig_db_load_buffer(const char *name, const char *text, size_t len, struct sig_db **out,
                   char *errbuf, size_t errlen)
{
    struct builder b = {NULL, 0, NULL, 0, 0};
    *out = NULL;
    if (errlen > 0)
        errbuf[0] = '\0';
    if (parse_pack(&b, name, text, len, errbuf, errlen) < 0 ||
        check_unique(&b, errbuf, errlen) < 0) {
        builder_free(&b);
        return -1;
    }
    *out = build_db(&b, NULL);
    return 0;
}

static int
cmp_str_ptr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Whole file into a heap buffer (owned by the caller). */
static char *
read_file(const char *path, size_t *len, char *errbuf, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(errbuf, errlen, "%s: cannot read: %s", path, strerror(errno));
        return NULL;
    }
    size_t n = 0, cap = 4096;
    char *buf = xmalloc(cap);
    for (;;) {
        if (n == cap) {
            cap *= 2;
            buf = xreallocarray(buf, cap, 1);
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0 || n > MAX_FILE_BYTES)
            break;
    }
    int bad = ferror(f);
    int e = errno;
    fclose(f);
    if (bad || n > MAX_FILE_BYTES) {
        if (bad)
            snprintf(errbuf, errlen, "%s: cannot read: %s", path, strerror(e));
        else
            snprintf(errbuf, errlen, "%s: larger than %u bytes (a pack is hand-written text; "
                     "split it)", path, MAX_FILE_BYTES);
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* Index of the pack named id in b, or -1. */
static long
find_pack(const struct builder *b, const char *id)
{
    for (size_t i = 0; i < b->n_packs; i++)
        if (strcmp(b->packs[i].id, id) == 0)
            return (long)i;
    return -1;
}

static void
pack_list(const struct builder *b, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < b->n_packs; i++) {
        int w = snprintf(buf + n, len - n, "%s%s", i ? ", " : "", b->packs[i].id);
        if (w < 0 || (size_t)w >= len - n)
            return;
        n += (size_t)w;
    }
    if (b->n_packs == 0)
        snprintf(buf, len, "none");
}

int
sig_db_load_dir(const char *dir, const char *const *enable, size_t n_enable,
                const char *const *disable, size_t n_disable, struct sig_db **out,
                char *errbuf, size_t errlen)
{
    struct builder b = {NULL, 0, NULL, 0, 0};
    char **names = NULL;
    size_t n_names = 0;
    bool *keep = NULL;
    int rc = -1;
    *out = NULL;
    if (errlen > 0)
        errbuf[0] = '\0';

    DIR *d = opendir(dir);
    if (d == NULL) {
        snprintf(errbuf, errlen, "%s: cannot open the signature directory: %s", dir,
                 strerror(errno));
        return -1;
    }
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        if (l <= 4 || de->d_name[0] == '.' || strcmp(de->d_name + l - 4, ".sig") != 0)
            continue;
        names = xreallocarray(names, n_names + 1, sizeof(*names));
        names[n_names++] = xstrdup(de->d_name);
    }
    closedir(d);
    /* Name order, so load order (and hit order) is the same on every run. */
    qsort(names, n_names, sizeof(*names), cmp_str_ptr);

    for (size_t i = 0; i < n_names; i++) {
        size_t plen = strlen(dir) + 1 + strlen(names[i]) + 1;
        char *path = xmalloc(plen);
        snprintf(path, plen, "%s/%s", dir, names[i]);
        size_t len;
        char *text = read_file(path, &len, errbuf, errlen);
        int prc = text == NULL ? -1 : parse_pack(&b, path, text, len, errbuf, errlen);
        free(text);
        free(path);
        if (prc < 0)
            goto out;
    }
    if (check_unique(&b, errbuf, errlen) < 0)
        goto out;

    keep = xcalloc(b.n_packs ? b.n_packs : 1, sizeof(*keep));
    for (size_t i = 0; i < b.n_packs; i++)
        keep[i] = b.packs[i].default_on;
    for (int pass = 0; pass < 2; pass++) {
        const char *const *v = pass == 0 ? enable : disable;
        size_t nv = pass == 0 ? n_enable : n_disable;
        for (size_t i = 0; i < nv; i++) {
            long p = find_pack(&b, v[i]);
            if (p < 0) {
                char list[512];
                pack_list(&b, list, sizeof(list));
                snprintf(errbuf, errlen, "%s: no pack named '%s' to %s (packs there: %s)", dir,
                         v[i], pass == 0 ? "enable" : "disable", list);
                goto out;
            }
            if (pass == 1) {
                for (size_t k = 0; k < n_enable; k++)
                    if (strcmp(enable[k], v[i]) == 0) {
                        snprintf(errbuf, errlen, "%s: pack '%s' is both enabled and disabled "
                                 "(drop one of the two)", dir, v[i]);
                        goto out;
                    }
            }
            keep[p] = pass == 0;
        }
    }
    *out = build_db(&b, keep);
    rc = 0;
out:
    builder_free(&b);
    free(keep);
    for (size_t i = 0; i < n_names; i++)
        free(names[i]);
    free(names);
    return rc;
}
