/* oui.c - the IEEE MAC registry table (signatures/ieee-oui.txt) and
 * longest-prefix lookup.
 *
 * File format, one assignment a line: PREFIXHEX/BITS<TAB>Organization Name,
 * BITS 24 (MA-L), 28 (MA-M) or 36 (MA-S, IAB) with exactly BITS/4 hex
 * digits; '#' lines and blank lines are comments. Each length has its own
 * array sorted by prefix, searched longest first. About 30 000 distinct
 * names serve 46 000 lines, so names are interned in one pool.
 */
#include "telexpose/oui.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "telexpose/textfile.h"
#include "telexpose/xalloc.h"

#define MAX_FILE_BYTES (64u << 20) /* the real table is about 1.5 MiB */

static const unsigned lengths[3] = {36, 28, 24}; /* lookup order: longest first */

struct entry {
    uint64_t prefix;  /* the BITS leading bits of the MAC, right-aligned */
    uint32_t name;    /* offset into pool */
    uint32_t line;    /* for duplicate messages */
};

struct table {
    struct entry *v;
    size_t n;
};

struct oui_db {
    struct table t[3]; /* indexed like lengths[] */
    char *pool;
    size_t pool_len;
    size_t count;
};

/* While loading: interned names (open addressing over pool offsets,
 * sized once from the line count so it never grows) and every entry in
 * file order, spread over db->t[] at the end. */
struct loader {
    struct { uint32_t off1, hash; } *slot; /* off1 = pool offset + 1; 0 = empty */
    size_t cap;
    struct entry *all;
    uint8_t *tix;           /* index into db->t[] of all[i] */
    size_t n;
};

static int
fail(char *errbuf, size_t errlen, const char *name, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int
fail(char *errbuf, size_t errlen, const char *name, size_t line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    textfile_vfail(errbuf, errlen, name, line, fmt, ap);
    va_end(ap);
    return -1;
}

void
oui_db_free(struct oui_db *db)
{
    if (db == NULL)
        return;
    for (int i = 0; i < 3; i++)
        free(db->t[i].v);
    free(db->pool);
    free(db);
}

static uint32_t
hash_bytes(const char *s, size_t n)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

/* Offset of name[0..len) in the pool, appended when new. The pool was
 * sized to the input, which holds every name, so it never moves. */
static uint32_t
intern(struct loader *ld, struct oui_db *db, const char *name, size_t len)
{
    uint32_t h = hash_bytes(name, len);
    size_t k = h & (ld->cap - 1);
    while (ld->slot[k].off1 != 0) {
        const char *s = db->pool + ld->slot[k].off1 - 1;
        if (ld->slot[k].hash == h && memcmp(s, name, len) == 0 && s[len] == '\0')
            return ld->slot[k].off1 - 1;
        k = (k + 1) & (ld->cap - 1);
    }
    uint32_t off = (uint32_t)db->pool_len;
    memcpy(db->pool + off, name, len);
    db->pool[off + len] = '\0';
    db->pool_len += len + 1;
    ld->slot[k].off1 = off + 1;
    ld->slot[k].hash = h;
    return off;
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

static int
cmp_entry(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    if (x->prefix != y->prefix)
        return x->prefix < y->prefix ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

/* One assignment line, s[0..len) without its newline. */
static int
parse_line(struct oui_db *db, struct loader *ld, const char *name, size_t lineno,
           const char *s, size_t len, char *errbuf, size_t errlen)
{
    size_t i = 0;
    uint64_t prefix = 0;
    while (i < len && s[i] != '/' && s[i] != '\t') {
        int h = hexval(s[i]);
        if (h < 0)
            return fail(errbuf, errlen, name, lineno, "bad hex digit '%c' in the prefix (write "
                        "e.g. DCD2FC/24)", s[i] > 0x20 && s[i] < 0x7f ? s[i] : '?');
        if (i < 9)
            prefix = prefix << 4 | (uint64_t)h;
        i++;
    }
    size_t digits = i;
    if (digits == 0)
        return fail(errbuf, errlen, name, lineno, "no hex prefix at the start of the line "
                    "(write e.g. DCD2FC/24)");
    if (i >= len || s[i] != '/')
        return fail(errbuf, errlen, name, lineno, "no '/BITS' after the prefix (write e.g. "
                    "DCD2FC/24)");
    i++;
    unsigned bits = 0;
    size_t bstart = i;
    while (i < len && s[i] >= '0' && s[i] <= '9' && i - bstart < 3)
        bits = bits * 10 + (unsigned)(s[i++] - '0');
    if (i == bstart || (i < len && s[i] != '\t'))
        return fail(errbuf, errlen, name, lineno, "bad prefix length (write /24, /28 or /36, "
                    "then a tab)");
    int t = bits == 36 ? 0 : bits == 28 ? 1 : bits == 24 ? 2 : -1;
    if (t < 0)
        return fail(errbuf, errlen, name, lineno, "prefix length /%u is not 24, 28 or 36",
                    bits);
    if (digits != bits / 4)
        return fail(errbuf, errlen, name, lineno, "prefix has %zu hex digits but /%u needs %u",
                    digits, bits, bits / 4);
    if (i >= len)
        return fail(errbuf, errlen, name, lineno, "no tab and organisation name after the "
                    "prefix");
    i++;
    if (i >= len)
        return fail(errbuf, errlen, name, lineno, "empty organisation name");
    if (memchr(s + i, '\t', len - i) != NULL)
        return fail(errbuf, errlen, name, lineno, "tab inside the organisation name (one tab "
                    "separates prefix and name)");
    struct entry *e = &ld->all[ld->n];
    e->prefix = prefix;
    e->name = intern(ld, db, s + i, len - i);
    e->line = (uint32_t)lineno;
    ld->tix[ld->n++] = (uint8_t)t;
    return 0;
}

int
oui_db_load_buffer(const char *name, const char *text, size_t len, struct oui_db **out,
                   char *errbuf, size_t errlen)
{
    *out = NULL;
    if (errlen > 0)
        errbuf[0] = '\0';
    const char *z = memchr(text, '\0', len);
    if (z != NULL) {
        size_t line = 1;
        for (const char *p = text; p < z; p++)
            line += *p == '\n';
        return fail(errbuf, errlen, name, line, "NUL byte in the file (the table is text)");
    }
    if (len > UINT32_MAX)
        return fail(errbuf, errlen, name, 1, "file too large");
    size_t lines = 1;
    for (const char *p = text, *end = text + len; (p = memchr(p, '\n', (size_t)(end - p)));
         p++)
        lines++;
    struct oui_db *db = xcalloc(1, sizeof(*db));
    db->pool = xmalloc(len + 1);
    struct loader ld = {NULL, 16, NULL, NULL, 0};
    while (ld.cap < 2 * lines)
        ld.cap *= 2;
    ld.slot = xcalloc(ld.cap, sizeof(*ld.slot));
    ld.all = xreallocarray(NULL, lines, sizeof(*ld.all));
    ld.tix = xmalloc(lines);
    size_t pos = 0, lineno = 0;
    int rc = 0;
    while (rc == 0 && pos < len) {
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - line) : len - pos;
        pos += ll + (nl ? 1 : 0);
        lineno++;
        if (ll > 0 && line[ll - 1] == '\r')
            ll--;
        if (ll == 0 || line[0] == '#')
            continue;
        rc = parse_line(db, &ld, name, lineno, line, ll, errbuf, errlen);
    }
    free(ld.slot);
    /* Spread over the three tables, keeping file order. */
    for (size_t i = 0; i < ld.n; i++)
        db->t[ld.tix[i]].n++;
    for (int t = 0; t < 3; t++) {
        db->t[t].v = xreallocarray(NULL, db->t[t].n ? db->t[t].n : 1, sizeof(struct entry));
        db->t[t].n = 0;
    }
    for (size_t i = 0; i < ld.n; i++) {
        struct table *tb = &db->t[ld.tix[i]];
        tb->v[tb->n++] = ld.all[i];
    }
    free(ld.all);
    free(ld.tix);
    db->pool = xreallocarray(db->pool, db->pool_len + 1, 1); /* comments and prefixes */
    /* Sorted by prefix then line, a repeat sits right after an earlier copy;
     * the repeat earliest in the file is reported. */
    const struct entry *dup = NULL;
    unsigned dup_bits = 0;
    uint32_t first_line = 0;
    for (int t = 0; rc == 0 && t < 3; t++) {
        struct table *tb = &db->t[t];
        /* The generated file is sorted already: skip the sort then. */
        bool sorted = true;
        for (size_t i = 1; sorted && i < tb->n; i++)
            sorted = tb->v[i - 1].prefix < tb->v[i].prefix;
        if (!sorted)
            qsort(tb->v, tb->n, sizeof(*tb->v), cmp_entry);
        for (size_t i = 1; i < tb->n; i++) {
            if (tb->v[i].prefix == tb->v[i - 1].prefix &&
                (dup == NULL || tb->v[i].line < dup->line)) {
                dup = &tb->v[i];
                dup_bits = lengths[t];
                first_line = tb->v[i - 1].line;
            }
        }
        db->count += tb->n;
    }
    if (rc == 0 && dup != NULL)
        rc = fail(errbuf, errlen, name, dup->line, "duplicate prefix %0*llX/%u (already at "
                  "line %u)", (int)(dup_bits / 4), (unsigned long long)dup->prefix, dup_bits,
                  first_line);
    if (rc != 0) {
        oui_db_free(db);
        return -1;
    }
    *out = db;
    return 0;
}

int
oui_db_load(const char *path, struct oui_db **out, char *errbuf, size_t errlen)
{
    *out = NULL;
    size_t n;
    char *buf = textfile_read(path, MAX_FILE_BYTES, "not a registry table", &n, errbuf, errlen);
    if (buf == NULL)
        return -1;
    int rc = oui_db_load_buffer(path, buf, n, out, errbuf, errlen);
    free(buf);
    return rc;
}

static const struct entry *
find(const struct table *tb, uint64_t prefix)
{
    size_t lo = 0, hi = tb->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (tb->v[mid].prefix < prefix)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < tb->n && tb->v[lo].prefix == prefix ? &tb->v[lo] : NULL;
}

const char *
oui_lookup(const struct oui_db *db, const uint8_t mac[6], unsigned *bits)
{
    if (bits != NULL)
        *bits = 0;
    /* Local addresses (random, virtual) and group addresses are not
     * assigned by the IEEE to anyone, whatever their first bytes say. */
    if (db == NULL || oui_mac_is_local_or_group(mac))
        return NULL;
    uint64_t m = 0;
    for (int i = 0; i < 6; i++)
        m = m << 8 | mac[i];
    for (int t = 0; t < 3; t++) {
        const struct entry *e = find(&db->t[t], m >> (48 - lengths[t]));
        if (e != NULL) {
            if (bits != NULL)
                *bits = lengths[t];
            return db->pool + e->name;
        }
    }
    return NULL;
}

size_t
oui_db_count(const struct oui_db *db)
{
    return db != NULL ? db->count : 0;
}
