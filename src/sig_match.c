/* sig_match.c - matching observations against loaded rules, and the self-check.
 *
 * Reference: PCRE2 pcre2api(3) (pcre2_match, match limits), RFC 4291 section
 * 2.5.5.2 (IPv4-mapped IPv6 addresses). The db is never written here, so
 * every function is safe to call from several threads on one db.
 */
#include "sig_int.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "telexpose/xalloc.h"

/* Indexed by enum sig_field; the order must follow sig.h. */
static const char *const field_names[SIG_FIELD_COUNT] = {
    "lldp.chassis_id",      "lldp.system_name",       "lldp.system_description",
    "lldp.port_description", "dhcp.vendor_class",     "dhcp.hostname",
    "dhcp.param_list",      "dhcp.client_id",         "dhcpv6.enterprise",
    "snmp.sysdescr",        "snmp.sysobjectid",       "snmp.sysname",
    "snmp.engine_enterprise", "http.server",          "http.www_authenticate",
    "http.user_agent",      "http.title",             "cwmp.manufacturer",
    "cwmp.oui",             "cwmp.product_class",     "cwmp.serial_number",
    "cwmp.software_version", "cwmp.hardware_version", "ssh.banner",
    "telnet.banner",        "ftp.banner",             "sip.user_agent",
    "sip.server",           "ssdp.server",            "ssdp.usn",
    "upnp.manufacturer",    "upnp.model_name",        "upnp.model_number",
    "tls.sni",              "tls.issuer",             "tls.subject",
    "dns.query",            "ip.asn",                 "mac.org",
    "eth.protocol",         "lldp.management_address", "dhcp.vendor_info",
    "dhcpv6.vendor_class",  "http.host",              "upnp.model_description",
    "upnp.manufacturer_url",
};

enum sig_field
sig_field_from_name(const char *name)
{
    if (name == NULL)
        return SIG_FIELD_INVALID;
    for (size_t i = 0; i < SIG_FIELD_COUNT; i++)
        if (strcmp(field_names[i], name) == 0)
            return (enum sig_field)i;
    return SIG_FIELD_INVALID;
}

const char *
sig_field_name(enum sig_field f)
{
    if ((unsigned)f >= SIG_FIELD_COUNT)
        return NULL;
    return field_names[f];
}

static inline unsigned char
lc(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

int
sig_ascii_casecmp(const char *a, const char *b)
{
    const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
    while (*p != '\0' && lc(*p) == lc(*q)) {
        p++;
        q++;
    }
    return (int)lc(*p) - (int)lc(*q);
}

static bool
ncase_eq(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (lc((unsigned char)a[i]) != lc((unsigned char)b[i]))
            return false;
    return true;
}

static bool
icontains(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
    if (nlen > hlen)
        return false;
    for (size_t i = 0; i + nlen <= hlen; i++)
        if (ncase_eq(hay + i, needle, nlen))
            return true;
    return false;
}

/* A decimal integer made of digits only (no sign, no spaces), within
 * uint64_t; false otherwise. */
static bool
parse_u64(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    if (*s == '\0')
        return false;
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9')
            return false;
        unsigned d = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

/* value is a dotted OID (an optional leading dot, as net-snmp prints) and
 * pattern (stored without the dot) is a prefix of it component-wise. */
static bool
oid_matches(const char *value, const char *pattern, size_t patlen)
{
    if (*value == '.')
        value++;
    /* Only digits and single dots: "1.3.6.1.4.1.2011.x" is not an OID. */
    bool need_digit = true;
    for (const char *p = value; *p != '\0'; p++) {
        if (*p >= '0' && *p <= '9')
            need_digit = false;
        else if (*p == '.' && !need_digit)
            need_digit = true;
        else
            return false;
    }
    if (need_digit)
        return false;
    return strncmp(value, pattern, patlen) == 0 &&
           (value[patlen] == '\0' || value[patlen] == '.');
}

static bool
cidr_matches(const struct sig_rule *r, const char *value)
{
    uint8_t a[16];
    const uint8_t *addr = a;
    unsigned alen;
    if (inet_pton(AF_INET, value, a) == 1) {
        alen = 4;
    } else if (inet_pton(AF_INET6, value, a) == 1) {
        alen = 16;
        static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        /* ::ffff:a.b.c.d is how dual-stack sockets show IPv4 peers. */
        if (r->net_len == 4 && memcmp(a, mapped, sizeof(mapped)) == 0) {
            addr = a + 12;
            alen = 4;
        }
    } else {
        return false;
    }
    if (alen != r->net_len)
        return false;
    unsigned full = r->prefix / 8, rest = r->prefix % 8;
    if (memcmp(addr, r->net, full) != 0)
        return false;
    if (rest == 0)
        return true;
    uint8_t mask = (uint8_t)(0xff << (8 - rest));
    return (addr[full] & mask) == (r->net[full] & mask);
}

static bool
domain_matches(const char *value, const char *pattern, size_t patlen)
{
    size_t vlen = strlen(value);
    if (vlen > 0 && value[vlen - 1] == '.')
        vlen--;
    if (vlen == patlen)
        return ncase_eq(value, pattern, patlen);
    if (vlen > patlen && value[vlen - patlen - 1] == '.')
        return ncase_eq(value + vlen - patlen, pattern, patlen);
    return false;
}

bool
sig_rule_matches(const struct sig_db *db, const struct sig_rule *r, const char *value,
                 pcre2_match_data *md)
{
    size_t vlen;
    switch (r->kind) {
    case SIG_K_EXACT:
        return strcmp(value, r->pattern) == 0;
    case SIG_K_IEXACT:
        return sig_ascii_casecmp(value, r->pattern) == 0;
    case SIG_K_PREFIX:
        return strncmp(value, r->pattern, r->patlen) == 0;
    case SIG_K_IPREFIX:
        return strlen(value) >= r->patlen && ncase_eq(value, r->pattern, r->patlen);
    case SIG_K_SUFFIX:
        vlen = strlen(value);
        return vlen >= r->patlen && memcmp(value + vlen - r->patlen, r->pattern, r->patlen) == 0;
    case SIG_K_ISUFFIX:
        vlen = strlen(value);
        return vlen >= r->patlen && ncase_eq(value + vlen - r->patlen, r->pattern, r->patlen);
    case SIG_K_CONTAINS:
        return strstr(value, r->pattern) != NULL;
    case SIG_K_ICONTAINS:
        return icontains(value, strlen(value), r->pattern, r->patlen);
    case SIG_K_REGEX:
        if (md == NULL)
            return false;
        /* Negative returns are "no match" and errors such as the match
         * limit: either way the rule does not fire. */
        return pcre2_match(r->re, (PCRE2_SPTR)value, strlen(value), 0, 0, md, db->mctx) > 0;
    case SIG_K_NUMBER: {
        uint64_t v;
        return parse_u64(value, &v) && v >= r->num_lo && v <= r->num_hi;
    }
    case SIG_K_OID:
        return oid_matches(value, r->pattern, r->patlen);
    case SIG_K_CIDR:
        return cidr_matches(r, value);
    case SIG_K_DOMAIN:
        return domain_matches(value, r->pattern, r->patlen);
    case SIG_K_COUNT:
        break;
    }
    return false;
}

/* Bounded output that never ends inside a UTF-8 sequence. */
struct outbuf {
    char *p;
    size_t len; /* capacity, NUL included */
    size_t n;
    bool full;
};

static void
out_bytes(struct outbuf *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n && !o->full; i++) {
        if (o->n + 1 >= o->len) {
            o->full = true;
            /* The byte that did not fit continues a sequence: drop the
             * partial character already written. */
            if (((unsigned char)s[i] & 0xc0) == 0x80) {
                while (o->n > 0 && ((unsigned char)o->p[o->n - 1] & 0xc0) == 0x80)
                    o->n--;
                if (o->n > 0 && (unsigned char)o->p[o->n - 1] >= 0xc0)
                    o->n--;
            }
            break;
        }
        o->p[o->n++] = s[i];
    }
}

void
sig_expand(const char *tpl, const char *value, pcre2_match_data *md, char *out, size_t len)
{
    if (len == 0)
        return;
    struct outbuf o = {out, len, 0, false};
    if (tpl != NULL) {
        for (const char *t = tpl; *t != '\0' && !o.full; t++) {
            if (t[0] == '$' && t[1] == '$') {
                out_bytes(&o, "$", 1);
                t++;
            } else if (t[0] == '$' && t[1] >= '1' && t[1] <= '9') {
                uint32_t g = (uint32_t)(t[1] - '0');
                t++;
                if (md == NULL || g >= pcre2_get_ovector_count(md))
                    continue;
                PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
                if (ov[2 * g] == PCRE2_UNSET || ov[2 * g + 1] < ov[2 * g])
                    continue; /* group did not take part, or \K oddities */
                out_bytes(&o, value + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
            } else {
                out_bytes(&o, t, 1);
            }
        }
    }
    out[o.n] = '\0';
}

static int
cmp_exact(const void *a, const void *b)
{
    const struct sig_rule *x = *(const struct sig_rule *const *)a;
    const struct sig_rule *y = *(const struct sig_rule *const *)b;
    int c = strcmp(x->pattern, y->pattern);
    /* Rules sit in one array in load order, so address order is load order. */
    return c != 0 ? c : (x < y ? -1 : x > y);
}

static int
cmp_iexact(const void *a, const void *b)
{
    const struct sig_rule *x = *(const struct sig_rule *const *)a;
    const struct sig_rule *y = *(const struct sig_rule *const *)b;
    int c = sig_ascii_casecmp(x->pattern, y->pattern);
    return c != 0 ? c : (x < y ? -1 : x > y);
}

/* Sort rule indexes v[0..n) with cmp over rule pointers (qsort has no
 * context argument, so go through pointers and back). */
static void
sort_idx(const struct sig_db *db, size_t *v, size_t n, int (*cmp)(const void *, const void *))
{
    if (n < 2)
        return;
    const struct sig_rule **p = xreallocarray(NULL, n, sizeof(*p));
    for (size_t i = 0; i < n; i++)
        p[i] = &db->rules[v[i]];
    qsort(p, n, sizeof(*p), cmp);
    for (size_t i = 0; i < n; i++)
        v[i] = (size_t)(p[i] - db->rules);
    free(p);
}

void
sig_db_index(struct sig_db *db)
{
    /* Count first, then fill: one allocation per list. */
    for (size_t i = 0; i < db->n_rules; i++) {
        const struct sig_rule *r = &db->rules[i];
        struct sig_field_index *fi = &db->idx[r->field];
        if (r->kind == SIG_K_EXACT) {
            fi->n_exact++;
        } else if (r->kind == SIG_K_IEXACT) {
            fi->n_iexact++;
        } else {
            fi->n_other++;
            if (r->kind == SIG_K_REGEX) {
                fi->n_regex++;
                if (r->groups > fi->max_groups)
                    fi->max_groups = r->groups;
            }
        }
    }
    for (size_t f = 0; f < SIG_FIELD_COUNT; f++) {
        struct sig_field_index *fi = &db->idx[f];
        fi->exact = fi->n_exact ? xreallocarray(NULL, fi->n_exact, sizeof(size_t)) : NULL;
        fi->iexact = fi->n_iexact ? xreallocarray(NULL, fi->n_iexact, sizeof(size_t)) : NULL;
        fi->other = fi->n_other ? xreallocarray(NULL, fi->n_other, sizeof(size_t)) : NULL;
        fi->n_exact = fi->n_iexact = fi->n_other = 0;
    }
    for (size_t i = 0; i < db->n_rules; i++) {
        const struct sig_rule *r = &db->rules[i];
        struct sig_field_index *fi = &db->idx[r->field];
        if (r->kind == SIG_K_EXACT)
            fi->exact[fi->n_exact++] = i;
        else if (r->kind == SIG_K_IEXACT)
            fi->iexact[fi->n_iexact++] = i;
        else
            fi->other[fi->n_other++] = i;
    }
    for (size_t f = 0; f < SIG_FIELD_COUNT; f++) {
        sort_idx(db, db->idx[f].exact, db->idx[f].n_exact, cmp_exact);
        sort_idx(db, db->idx[f].iexact, db->idx[f].n_iexact, cmp_iexact);
    }
    db->mctx = pcre2_match_context_create(NULL);
    if (db->mctx == NULL) {
        fputs("telexpose: out of memory\n", stderr);
        abort();
    }
    /* Observations are short; a rule needing more than this is broken or
     * being attacked by the value, and counts as not matching. */
    pcre2_set_match_limit(db->mctx, 100000);
    pcre2_set_depth_limit(db->mctx, 1000);
    pcre2_set_heap_limit(db->mctx, 1024); /* KiB */
}

static void
fill_hit(const struct sig_db *db, const struct sig_rule *r, const char *value,
         pcre2_match_data *md, struct sig_hit *h)
{
    h->rule_id = r->id;
    h->pack_id = db->packs[r->pack].id;
    h->vendor = r->vendor != NULL ? r->vendor : db->packs[r->pack].vendor;
    h->counts_as = db->packs[r->pack].counts_as;
    h->role = r->role != NULL ? r->role : db->packs[r->pack].role;
    h->confidence = r->confidence;
    pcre2_match_data *m = r->kind == SIG_K_REGEX ? md : NULL;
    sig_expand(r->model, value, m, h->model, sizeof(h->model));
    sig_expand(r->version, value, m, h->version, sizeof(h->version));
}

/* First position in v[0..n) whose pattern is not below value. */
static size_t
lower_bound(const struct sig_db *db, const size_t *v, size_t n, const char *value, bool icase)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *p = db->rules[v[mid]].pattern;
        int c = icase ? sig_ascii_casecmp(p, value) : strcmp(p, value);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

size_t
sig_match(const struct sig_db *db, enum sig_field field, const char *value,
          struct sig_hit *hits, size_t max_hits)
{
    if (db == NULL || value == NULL || (unsigned)field >= SIG_FIELD_COUNT)
        return 0;
    if (hits == NULL)
        max_hits = 0;
    const struct sig_field_index *fi = &db->idx[field];
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++) {
        bool icase = pass == 1;
        const size_t *v = icase ? fi->iexact : fi->exact;
        size_t nv = icase ? fi->n_iexact : fi->n_exact;
        for (size_t i = lower_bound(db, v, nv, value, icase); i < nv; i++) {
            const struct sig_rule *r = &db->rules[v[i]];
            if (!sig_rule_matches(db, r, value, NULL))
                break;
            if (n < max_hits)
                fill_hit(db, r, value, NULL, &hits[n]);
            n++;
        }
    }
    if (fi->n_other == 0)
        return n;
    pcre2_match_data *md = NULL;
    if (fi->n_regex > 0) {
        md = pcre2_match_data_create(fi->max_groups + 1, NULL);
        if (md == NULL) {
            fputs("telexpose: out of memory\n", stderr);
            abort();
        }
    }
    for (size_t i = 0; i < fi->n_other; i++) {
        const struct sig_rule *r = &db->rules[fi->other[i]];
        if (!sig_rule_matches(db, r, value, md))
            continue;
        if (n < max_hits)
            fill_hit(db, r, value, md, &hits[n]);
        n++;
    }
    pcre2_match_data_free(md);
    return n;
}

/* value as a C-style quoted string for messages: printable ASCII kept,
 * the rest as \xHH, cut with "..." past about 80 bytes. */
static const char *
quote(const char *value, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = '\0';
    for (const unsigned char *p = (const unsigned char *)value; *p != '\0'; p++) {
        char tmp[8];
        if (*p == '"' || *p == '\\')
            snprintf(tmp, sizeof(tmp), "\\%c", *p);
        else if (*p >= 0x20 && *p < 0x7f)
            snprintf(tmp, sizeof(tmp), "%c", *p);
        else
            snprintf(tmp, sizeof(tmp), "\\x%02x", *p);
        size_t t = strlen(tmp);
        if (n + t + 4 >= len || n >= 80) {
            memcpy(buf + n, "...", 4);
            return buf;
        }
        memcpy(buf + n, tmp, t + 1);
        n += t;
    }
    return buf;
}

int
sig_db_check(const struct sig_db *db, struct sig_check_report *rep, char *errbuf,
             size_t errlen)
{
    struct sig_check_report local;
    struct sig_check_report *R = rep != NULL ? rep : &local;
    memset(R, 0, sizeof(*R));
    if (errlen > 0)
        errbuf[0] = '\0';
    if (db == NULL)
        return 0;
    R->n_packs = db->n_packs;
    R->packs = xcalloc(db->n_packs ? db->n_packs : 1, sizeof(*R->packs));
    for (size_t i = 0; i < db->n_packs; i++)
        R->packs[i].pack_id = db->packs[i].id;

    for (size_t i = 0; i < db->n_rules; i++) {
        const struct sig_rule *r = &db->rules[i];
        const struct sig_pack *pk = &db->packs[r->pack];
        struct sig_pack_report *pr = &R->packs[r->pack];
        pcre2_match_data *md = NULL;
        if (r->kind == SIG_K_REGEX) {
            md = pcre2_match_data_create(r->groups + 1, NULL);
            if (md == NULL) {
                fputs("telexpose: out of memory\n", stderr);
                abort();
            }
        }
        pr->rules++;
        for (size_t e = 0; e < r->n_examples; e++) {
            const struct sig_example *ex = &r->examples[e];
            char q[128], got[SIG_HIT_TEXT], why[256] = "";
            pr->examples++;
            if (!sig_rule_matches(db, r, ex->value, md)) {
                snprintf(why, sizeof(why), "did not match");
            } else {
                for (int k = 0; k < 2 && why[0] == '\0'; k++) {
                    const char *want = k == 0 ? ex->model : ex->version;
                    if (want == NULL)
                        continue;
                    sig_expand(k == 0 ? r->model : r->version, ex->value, md, got,
                               sizeof(got));
                    if (strcmp(got, want) != 0) {
                        char qg[128], qw[128];
                        snprintf(why, sizeof(why), "gave %s \"%s\", expected \"%s\"",
                                 k == 0 ? "model" : "version", quote(got, qg, sizeof(qg)),
                                 quote(want, qw, sizeof(qw)));
                    }
                }
            }
            if (why[0] != '\0') {
                if (R->failures == 0)
                    snprintf(errbuf, errlen, "%s:%u: rule %s: example \"%s\" %s", pk->file,
                             ex->line, r->id, quote(ex->value, q, sizeof(q)), why);
                pr->failures++;
                R->failures++;
            }
        }
        for (size_t e = 0; e < r->n_nomatches; e++) {
            const struct sig_example *ex = &r->nomatches[e];
            char q[128];
            pr->nomatches++;
            if (sig_rule_matches(db, r, ex->value, md)) {
                if (R->failures == 0)
                    snprintf(errbuf, errlen, "%s:%u: rule %s: nomatch \"%s\" matched",
                             pk->file, ex->line, r->id, quote(ex->value, q, sizeof(q)));
                pr->failures++;
                R->failures++;
            }
        }
        pcre2_match_data_free(md);
    }
    for (size_t i = 0; i < db->n_packs; i++) {
        R->rules += R->packs[i].rules;
        R->examples += R->packs[i].examples;
        R->nomatches += R->packs[i].nomatches;
    }
    int rc = R->failures == 0 ? 0 : -1;
    if (R == &local)
        sig_check_report_free(&local);
    return rc;
}

void
sig_check_report_free(struct sig_check_report *rep)
{
    if (rep == NULL)
        return;
    free(rep->packs);
    rep->packs = NULL;
    rep->n_packs = 0;
}

char *
sig_pack_report_format(const struct sig_pack_report *pr, char *buf, size_t len)
{
    char tail[48];
    if (pr->failures == 0)
        snprintf(tail, sizeof(tail), "ok");
    else
        snprintf(tail, sizeof(tail), "%zu failed", pr->failures);
    snprintf(buf, len, "%s: %zu rule%s, %zu example%s, %zu near-miss%s, %s", pr->pack_id,
             pr->rules, pr->rules == 1 ? "" : "s", pr->examples, pr->examples == 1 ? "" : "s",
             pr->nomatches, pr->nomatches == 1 ? "" : "es", tail);
    return buf;
}

size_t
sig_db_pack_count(const struct sig_db *db)
{
    return db != NULL ? db->n_packs : 0;
}

size_t
sig_db_rule_count(const struct sig_db *db)
{
    return db != NULL ? db->n_rules : 0;
}

static const struct sig_pack *
pack_at(const struct sig_db *db, size_t i)
{
    return (db != NULL && i < db->n_packs) ? &db->packs[i] : NULL;
}

const char *
sig_db_pack_id(const struct sig_db *db, size_t i)
{
    const struct sig_pack *p = pack_at(db, i);
    return p != NULL ? p->id : NULL;
}

const char *
sig_db_pack_vendor(const struct sig_db *db, size_t i)
{
    const struct sig_pack *p = pack_at(db, i);
    return p != NULL ? p->vendor : NULL;
}

const char *
sig_db_pack_title(const struct sig_db *db, size_t i)
{
    const struct sig_pack *p = pack_at(db, i);
    return p != NULL ? p->title : NULL;
}

const char *
sig_db_pack_file(const struct sig_db *db, size_t i)
{
    const struct sig_pack *p = pack_at(db, i);
    return p != NULL ? p->file : NULL;
}

const char *
sig_db_pack_counts_as(const struct sig_db *db, size_t i)
{
    const struct sig_pack *p = pack_at(db, i);
    return p != NULL ? p->counts_as : NULL;
}

const char *
sig_db_pack_role(const struct sig_db *db, size_t i)
{
    const struct sig_pack *p = pack_at(db, i);
    return p != NULL ? p->role : NULL;
}

bool
sig_db_pack_default_on(const struct sig_db *db, size_t i)
{
    const struct sig_pack *p = pack_at(db, i);
    return p != NULL && p->default_on;
}

size_t
sig_db_pack_rule_count(const struct sig_db *db, size_t i)
{
    const struct sig_pack *p = pack_at(db, i);
    return p != NULL ? p->n_rules : 0;
}
