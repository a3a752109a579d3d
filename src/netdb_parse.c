/* netdb_parse.c - read the vendor-network packs (signatures/networks/NAME.net)
 * for telexpose-netdb.
 *
 * Reference: docs/networks.md (the .net format); the contract is in
 * netdb_int.h.
 *
 * The packs are hand-edited text and treated as untrusted: every value is
 * checked, nothing is truncated silently, and an error names FILE:LINE and
 * what to do about it.
 */
#include "netdb_int.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "telexpose/geoip.h"
#include "telexpose/prefix.h"
#include "telexpose/text.h"
#include "telexpose/textfile.h"
#include "telexpose/xalloc.h"

#define MAX_FILE_BYTES (16u << 20) /* a pack is a few thousand prefixes */
#define MAX_TOKENS 8               /* words on one line; asn lines have 6 */

static const char *const CATEGORIES[] = {
    "vendor-cloud",     /* the vendor's public cloud: device and app back-ends */
    "vendor-corporate", /* the vendor's own offices and enterprise network */
    "covered-vendor",   /* a vendor on the FCC Covered List */
    "covered-carrier",  /* a carrier on the Covered List / with its 214 authority revoked */
    "carrier-backbone", /* a covered carrier's parent's domestic backbone */
    NULL,
};

struct token {
    const char *s;
    bool quoted;
};

/* State while one file is read. */
struct parser {
    struct netdb *db;
    const char *file;
    unsigned line;
    struct netdb_pack *pack; /* NULL before the 'pack' line */
    bool in_body;            /* an asn line was seen: the header is closed */
    size_t first_asn;        /* this file's asns are db->asns[first_asn..] */
    char *err;
    size_t errlen;
};

static int
fail(struct parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
fail(struct parser *ps, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    textfile_vfail(ps->err, ps->errlen, ps->file, ps->line, fmt, ap);
    va_end(ap);
    return -1;
}

/* ------------------------------------------------------------------------
 * Words */

#define is_space(c) ((c) == ' ' || (c) == '\t')

/* Split line[0..len) into words in scratch (len + MAX_TOKENS bytes). '#'
 * at the start of a word begins a comment; "..." quotes, with \" and \\ the
 * only escapes. */
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
            return fail(ps, "too many words on one line (quote text with spaces: \"...\")");
        tok[n].s = w;
        tok[n].quoted = *p == '"';
        if (*p == '"') {
            p++;
            for (;;) {
                if (p >= end)
                    return fail(ps, "unterminated quote (close it with \")");
                if (*p == '"')
                    break;
                if (*p == '\\') {
                    if (p + 1 >= end || (p[1] != '"' && p[1] != '\\'))
                        return fail(ps, "unknown escape inside quotes (only \\\" and \\\\)");
                    p++;
                }
                *w++ = *p++;
            }
            p++;
            if (p < end && !is_space(*p))
                return fail(ps, "text right after a closing quote (put a space between words)");
        } else {
            while (p < end && !is_space(*p)) {
                if (*p == '"')
                    return fail(ps, "stray quote inside a word (quote the whole value)");
                *w++ = *p++;
            }
        }
        *w++ = '\0';
        n++;
    }
    *ntok = n;
    return 0;
}

/* A free-text value: non-empty, at most max bytes, valid UTF-8, no control
 * characters (it ends up in JSON events and reports). */
static int
check_text(struct parser *ps, const char *what, const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0)
        return fail(ps, "empty %s (give a value)", what);
    if (n > max)
        return fail(ps, "%s is %zu bytes long, at most %zu fit (shorten it)", what, n, max);
    if (!text_utf8_valid(s))
        return fail(ps, "%s is not valid UTF-8 (save the file as UTF-8)", what);
    for (const unsigned char *c = (const unsigned char *)s; *c != '\0'; c++)
        if (*c < 0x20 || *c == 0x7f)
            return fail(ps, "%s holds a control character (remove it)", what);
    return 0;
}

/* Lowercase letters, digits, '.', '-', starting with a letter or digit. */
static bool
valid_id(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > max || !((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
        return false;
    for (; *s != '\0'; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '.' || *s == '-'))
            return false;
    return true;
}

bool
netdb_parse_uint(const char *s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    if (*s == '\0' || (s[0] == '0' && s[1] != '\0'))
        return false;
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9')
            return false;
        unsigned d = (unsigned)(*s - '0');
        if (v > (max - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

/* YYYY-MM-DD, a real calendar day from 1970 on, as seconds. */
static bool
parse_date(const char *s, int64_t *epoch)
{
    int v[3] = {0, 0, 0}, f = 0;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7)
            f += s[i] == '-' ? 1 : 9;
        else if (s[i] >= '0' && s[i] <= '9' && f < 3)
            v[f] = v[f] * 10 + (s[i] - '0');
        else
            return false;
    }
    /* timegm() normalises 2026-02-30 to March: a changed day was not real. */
    struct tm tm = {.tm_year = v[0] - 1900, .tm_mon = v[1] - 1, .tm_mday = v[2]};
    time_t t = timegm(&tm);
    if (f != 2 || s[10] != '\0' || v[0] < 1970 || tm.tm_mon != v[1] - 1 || tm.tm_mday != v[2])
        return false;
    *epoch = (int64_t)t;
    return true;
}

/* ------------------------------------------------------------------------
 * Networks */

/* ADDRESS/LENGTH with the host bits zero, into p (IPv6 form). */
static int
parse_cidr(struct parser *ps, const char *s, struct netdb_prefix *p)
{
    static const uint8_t mapped[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    static const uint8_t six4[16] = {0x20, 0x02};
    static const uint8_t zero[16];
    const char *slash = strchr(s, '/');
    if (slash == NULL)
        return fail(ps, "'%s' is not a network (write ADDRESS/LENGTH, e.g. 192.0.2.0/24)", s);
    size_t alen = (size_t)(slash - s);
    char addr[INET6_ADDRSTRLEN];
    bool v6 = memchr(s, ':', alen) != NULL;
    uint8_t bytes[16];
    if (alen == 0 || alen >= sizeof(addr))
        return fail(ps, "'%s' is not a network (write ADDRESS/LENGTH, e.g. 192.0.2.0/24)", s);
    memcpy(addr, s, alen);
    addr[alen] = '\0';
    if (inet_pton(v6 ? AF_INET6 : AF_INET, addr, bytes) != 1)
        return fail(ps, "'%s' is not an IPv%d address (write e.g. %s)", addr, v6 ? 6 : 4,
                    v6 ? "2001:db8::/32" : "192.0.2.0/24");
    uint64_t len;
    unsigned max = v6 ? 128 : 32;
    if (!netdb_parse_uint(slash + 1, max, &len))
        return fail(ps, "'%s': prefix length must be a number from 1 to %u", s, max);
    if (len == 0)
        return fail(ps, "'%s' covers every address (list the announced prefixes)", s);
    memset(p, 0, sizeof(*p));
    p->v4 = !v6;
    if (v6) {
        memcpy(p->a, bytes, 16);
        p->plen = (unsigned)len;
    } else {
        memcpy(p->a + 12, bytes, 4);
        p->plen = (unsigned)len + 96;
    }
    uint8_t net[16];
    memset(net, 0, sizeof(net));
    memcpy(net, p->a, p->plen / 8);
    if (p->plen % 8)
        net[p->plen / 8] = (uint8_t)(p->a[p->plen / 8] & (0xFF00u >> (p->plen % 8)));
    if (memcmp(net, p->a, 16) != 0) {
        char text[INET6_ADDRSTRLEN];
        inet_ntop(v6 ? AF_INET6 : AF_INET, v6 ? net : net + 12, text, sizeof(text));
        return fail(ps, "'%s' has host bits set (the network is %s/%u)", s, text, (unsigned)len);
    }
    /* These IPv6 ranges are the IPv4 tree or lead to it (docs/networks.md). */
    if (v6) {
        unsigned m96 = p->plen < 96 ? p->plen : 96, m16 = p->plen < 16 ? p->plen : 16;
        if (prefix_equal(p->a, zero, m96) || prefix_equal(p->a, mapped, m96) ||
            prefix_equal(p->a, six4, m16))
            return fail(ps, "'%s' overlaps ::/96, ::ffff:0:0/96 or 2002::/16, which stand for "
                        "IPv4 (write IPv4 networks in dotted form)", s);
    }
    return 0;
}

/* ------------------------------------------------------------------------
 * Lines */

static int
set_text(struct parser *ps, char **slot, const struct token *t, size_t n, size_t max)
{
    if (n != 2)
        return fail(ps, "'%s' takes one value, got %zu (quote text with spaces)", t[0].s, n - 1);
    if (*slot != NULL)
        return fail(ps, "second '%s' line (keep one)", t[0].s);
    if (check_text(ps, t[0].s, t[1].s, max) < 0)
        return -1;
    *slot = xstrdup(t[1].s);
    return 0;
}

/* The header is complete when the first asn line comes (or the file ends). */
static int
check_header(struct parser *ps)
{
    const struct netdb_pack *pk = ps->pack;
    const char *missing = pk->title == NULL      ? "title \"TEXT\""
                          : !pk->have_default    ? "default on|off"
                          : !pk->have_date       ? "date YYYY-MM-DD"
                          : pk->n_sources == 0   ? "source \"TEXT\""
                          : pk->licence == NULL  ? "licence \"TEXT\""
                                                 : NULL;
    if (missing != NULL)
        return fail(ps, "pack '%s' has no '%s' line (the header needs it before the first asn)",
                    pk->id, missing);
    return 0;
}

static int
parse_pack_line(struct parser *ps, const struct token *t, size_t n)
{
    struct netdb *db = ps->db;
    if (ps->pack != NULL)
        return fail(ps, "second 'pack' line (one pack per file)");
    if (n != 2)
        return fail(ps, "'pack' takes one id, got %zu words", n - 1);
    if (!valid_id(t[1].s, GEOIP_PACK_MAX - 1))
        return fail(ps, "pack id '%s' is not lowercase letters, digits, '.' and '-' (at most %d)",
                    t[1].s, GEOIP_PACK_MAX - 1);
    for (size_t i = 0; i < db->n_packs; i++)
        if (strcmp(db->packs[i].id, t[1].s) == 0)
            return fail(ps, "pack id '%s' is already used by %s (pack ids are unique)", t[1].s,
                        db->packs[i].file);
    if (db->n_packs >= GEOIP_NET_PACKS_MAX)
        return fail(ps, "more than %d packs (readers list at most that many)",
                    GEOIP_NET_PACKS_MAX);
    db->packs = xreallocarray(db->packs, db->n_packs + 1, sizeof(*db->packs));
    struct netdb_pack *pk = &db->packs[db->n_packs++];
    memset(pk, 0, sizeof(*pk));
    pk->id = xstrdup(t[1].s);
    pk->file = ps->file;
    ps->pack = pk;
    return 0;
}

static int
parse_header_line(struct parser *ps, const struct token *t, size_t n)
{
    struct netdb_pack *pk = ps->pack;
    const char *kw = t[0].s;
    if (ps->in_body)
        return fail(ps, "'%s' after the first asn line (the header comes first)", kw);
    if (strcmp(kw, "vendor") == 0)
        return set_text(ps, &pk->vendor, t, n, GEOIP_VENDOR_MAX - 1);
    if (strcmp(kw, "title") == 0)
        return set_text(ps, &pk->title, t, n, 200);
    if (strcmp(kw, "licence") == 0 || strcmp(kw, "license") == 0)
        return set_text(ps, &pk->licence, t, n, 1000);
    if (strcmp(kw, "source") == 0) {
        char *s = NULL;
        if (set_text(ps, &s, t, n, 1000) < 0)
            return -1;
        free(s); /* documentation for the reader of the file only */
        pk->n_sources++;
        return 0;
    }
    bool date = strcmp(kw, "date") == 0;
    if (date ? pk->have_date : pk->have_default)
        return fail(ps, "second '%s' line (keep one)", kw);
    if (date && (n != 2 || !parse_date(t[1].s, &pk->epoch)))
        return fail(ps, "'date' takes a day YYYY-MM-DD from 1970 on");
    if (!date && (n != 2 || t[1].quoted || (strcmp(t[1].s, "on") && strcmp(t[1].s, "off"))))
        return fail(ps, "'default' takes on or off");
    if (!date)
        pk->default_on = strcmp(t[1].s, "on") == 0;
    *(date ? &pk->have_date : &pk->have_default) = true;
    return 0;
}

static long
find_asn(const struct netdb *db, size_t from, uint32_t asn)
{
    for (size_t i = from; i < db->n_asns; i++)
        if (db->asns[i].asn == asn)
            return (long)i;
    return -1;
}

/* asn N CATEGORY ORG [vendor NAME] */
static int
parse_asn_line(struct parser *ps, const struct token *t, size_t n)
{
    struct netdb *db = ps->db;
    if (!ps->in_body && check_header(ps) < 0)
        return -1;
    ps->in_body = true;
    if (!(n == 4 || (n == 6 && strcmp(t[4].s, "vendor") == 0 && !t[4].quoted)))
        return fail(ps, "write: asn NUMBER CATEGORY \"ORGANISATION\" [vendor \"NAME\"]");
    uint64_t v;
    if (t[1].quoted || !netdb_parse_uint(t[1].s, UINT32_MAX, &v) || v == 0)
        return fail(ps, "'%s' is not an AS number (1 to 4294967295, no leading zeros)", t[1].s);
    long dup = find_asn(db, 0, (uint32_t)v);
    if (dup >= 0)
        return fail(ps, "AS%s is already declared at %s:%u (an ASN belongs to one pack)",
                    t[1].s, db->asns[dup].file, db->asns[dup].line);
    size_t c = 0;
    while (CATEGORIES[c] != NULL && strcmp(CATEGORIES[c], t[2].s) != 0)
        c++;
    if (CATEGORIES[c] == NULL || t[2].quoted)
        return fail(ps, "unknown category '%s' (use vendor-cloud, vendor-corporate, "
                    "covered-vendor, covered-carrier or carrier-backbone)", t[2].s);
    if (check_text(ps, "organisation", t[3].s, GEOIP_ORG_MAX - 1) < 0)
        return -1;
    if (n == 6 && check_text(ps, "vendor", t[5].s, GEOIP_VENDOR_MAX - 1) < 0)
        return -1;
    if (n == 4 && ps->pack->vendor == NULL)
        return fail(ps, "AS%s has no vendor (add 'vendor \"NAME\"' to the line or to the "
                    "pack header)", t[1].s);
    db->asns = xreallocarray(db->asns, db->n_asns + 1, sizeof(*db->asns));
    struct netdb_asn *as = &db->asns[db->n_asns++];
    memset(as, 0, sizeof(*as));
    as->asn = (uint32_t)v;
    as->category = xstrdup(CATEGORIES[c]);
    as->org = xstrdup(t[3].s);
    as->vendor = n == 6 ? xstrdup(t[5].s) : NULL;
    as->pack = (size_t)(ps->pack - db->packs);
    as->file = ps->file;
    as->line = ps->line;
    return 0;
}

/* N CIDR */
static int
parse_prefix_line(struct parser *ps, const struct token *t, size_t n)
{
    struct netdb *db = ps->db;
    uint64_t v;
    if (!netdb_parse_uint(t[0].s, UINT32_MAX, &v))
        return fail(ps, "'%s' is not an AS number", t[0].s);
    long a = find_asn(db, ps->first_asn, (uint32_t)v);
    if (a < 0)
        return fail(ps, "AS%s is not declared in this file (add 'asn %s CATEGORY \"ORG\"' "
                    "above)", t[0].s, t[0].s);
    if (n != 2 || t[1].quoted)
        return fail(ps, "write: ASN ADDRESS/LENGTH (one network a line)");
    struct netdb_prefix p;
    if (parse_cidr(ps, t[1].s, &p) < 0)
        return -1;
    p.asn = (size_t)a;
    p.seq = db->n_pfx;
    p.file = ps->file;
    p.line = ps->line;
    if (db->n_pfx == db->cap_pfx) {
        db->cap_pfx = db->cap_pfx ? db->cap_pfx * 2 : 1024;
        db->pfx = xreallocarray(db->pfx, db->cap_pfx, sizeof(*db->pfx));
    }
    db->pfx[db->n_pfx++] = p;
    db->asns[a].n_prefixes++;
    ps->pack->n_prefixes++;
    return 0;
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
    const char *kw = t[0].s;
    if (t[0].quoted)
        return fail(ps, "a line starts with a keyword or an AS number, not quoted text");
    bool number = kw[0] >= '0' && kw[0] <= '9';
    static const char *const header[] = {"vendor", "title", "default", "date",
                                         "source", "licence", "license", NULL};
    size_t h = 0;
    while (header[h] != NULL && strcmp(header[h], kw) != 0)
        h++;
    if (strcmp(kw, "pack") != 0 && strcmp(kw, "asn") != 0 && header[h] == NULL && !number)
        return fail(ps, "unknown keyword '%s' (expected pack, vendor, title, default, date, "
                    "source, licence, asn, or 'ASN ADDRESS/LENGTH')", kw);
    if (ps->pack == NULL && strcmp(kw, "pack") != 0)
        return fail(ps, "'%s' before the pack header (a .net file starts with 'pack ID')", kw);
    if (strcmp(kw, "pack") == 0)
        return parse_pack_line(ps, t, n);
    if (header[h] != NULL)
        return parse_header_line(ps, t, n);
    if (strcmp(kw, "asn") == 0)
        return parse_asn_line(ps, t, n);
    if (!ps->in_body)
        return fail(ps, "network before any asn line (declare 'asn %s CATEGORY \"ORG\"' "
                    "first)", kw);
    return parse_prefix_line(ps, t, n);
}

int
netdb_parse_file(struct netdb *db, const char *path, char *err, size_t errlen)
{
    size_t len;
    char *text = textfile_read(path, MAX_FILE_BYTES, "a pack is a list of prefixes; split it",
                               &len, err, errlen);
    if (text == NULL)
        return -1;
    struct parser ps = {.db = db, .file = path, .first_asn = db->n_asns, .err = err,
                        .errlen = errlen};
    char *scratch = xmalloc(len + MAX_TOKENS + 1);
    int rc = 0;
    size_t at = 0;
    while (at < len && rc == 0) {
        ps.line++;
        const char *nl = memchr(text + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - text) : len;
        size_t ll = end - at;
        if (ll > 0 && text[at + ll - 1] == '\r')
            ll--;
        if (memchr(text + at, '\0', ll) != NULL)
            rc = fail(&ps, "NUL byte in the line (a pack is text)");
        else
            rc = parse_line(&ps, text + at, ll, scratch);
        at = end + 1;
    }
    if (rc == 0) {
        ps.line = ps.line ? ps.line : 1;
        if (ps.pack == NULL)
            rc = fail(&ps, "no 'pack' line (a .net file starts with 'pack ID'; see "
                      "docs/networks.md)");
        else if (!ps.in_body)
            rc = check_header(&ps) < 0 ? -1
                                       : fail(&ps, "pack '%s' has no asn lines", ps.pack->id);
    }
    for (size_t i = ps.first_asn; rc == 0 && i < db->n_asns; i++)
        if (db->asns[i].n_prefixes == 0) {
            ps.line = db->asns[i].line;
            rc = fail(&ps, "AS%u has no networks (add '%u ADDRESS/LENGTH' lines or remove it)",
                      db->asns[i].asn, db->asns[i].asn);
        }
    free(scratch);
    free(text);
    return rc;
}

void
netdb_free(struct netdb *db)
{
    if (db == NULL)
        return;
    for (size_t i = 0; i < db->n_packs; i++) {
        struct netdb_pack *p = &db->packs[i];
        free(p->id);
        free(p->vendor);
        free(p->title);
        free(p->licence);
    }
    for (size_t i = 0; i < db->n_asns; i++) {
        free(db->asns[i].category);
        free(db->asns[i].org);
        free(db->asns[i].vendor);
    }
    free(db->packs);
    free(db->asns);
    free(db->pfx);
    memset(db, 0, sizeof(*db));
}
