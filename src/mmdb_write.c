/* mmdb_write.c - a small MaxMind DB writer: search tree, data section, metadata.
 *
 * Reference: MaxMind DB File Format Specification 2.0
 * (https://maxmind.github.io/MaxMind-DB/). Contract in
 * include/telexpose/mmdb_write.h.
 *
 * Inserts are only recorded; mmdbw_build() makes the tree from scratch,
 * applying the prefixes shortest first (insertion order among equals), so a
 * longer prefix always lands on top of a shorter one it nests in and the
 * same input always gives the same node numbering and bytes. Tree children
 * are tagged 32-bit words: 0 empty, DATA|record, or a node number (node 0,
 * the root, is never anybody's child).
 */
#include "telexpose/mmdb_write.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "telexpose/prefix.h"
#include "telexpose/text.h"
#include "telexpose/xalloc.h"

#define KID_EMPTY 0u
#define KID_DATA 0x80000000u /* low bits: record index */
#define MAX_NODES 0x7fffffffu
#define META_MAX (128u << 10) /* the spec's limit, marker included */
#define SEPARATOR 16           /* zero bytes between tree and data */

static const uint8_t META_MARKER[14] = {0xAB, 0xCD, 0xEF, 'M', 'a', 'x', 'M',
                                        'i',  'n',  'd',  '.', 'c', 'o', 'm'};

/* Data field types (spec "Output Data Section"). */
enum {
    T_POINTER = 1,
    T_STRING = 2,
    T_DOUBLE = 3,
    T_BYTES = 4,
    T_UINT16 = 5,
    T_UINT32 = 6,
    T_MAP = 7,
    T_INT32 = 8,
    T_UINT64 = 9,
    T_UINT128 = 10,
    T_ARRAY = 11,
    T_BOOL = 14,
    T_FLOAT = 15,
};

/* ------------------------------------------------------------------------
 * Encoding */

void
mmdbw_buf_init(struct mmdbw_buf *b)
{
    memset(b, 0, sizeof(*b));
}

void
mmdbw_buf_reset(struct mmdbw_buf *b)
{
    b->len = 0;
    b->err = false;
}

void
mmdbw_buf_free(struct mmdbw_buf *b)
{
    free(b->p);
    memset(b, 0, sizeof(*b));
}

static void
put_bytes(struct mmdbw_buf *b, const void *p, size_t n)
{
    if (n > b->cap - b->len) {
        size_t cap = b->cap ? b->cap : 64;
        while (n > cap - b->len)
            cap *= 2;
        b->p = xreallocarray(b->p, cap, 1);
        b->cap = cap;
    }
    if (n > 0)
        memcpy(b->p + b->len, p, n);
    b->len += n;
}

/* Control byte, extended type byte and size bytes of one field. */
static void
put_ctrl(struct mmdbw_buf *b, unsigned type, uint32_t size)
{
    uint8_t h[5];
    size_t n = 1;
    h[0] = (uint8_t)((type <= 7 ? type : 0) << 5);
    if (type > 7)
        h[n++] = (uint8_t)(type - 7);
    if (size > MMDBW_MAX_FIELD) {
        b->err = true;
        return;
    }
    if (size < 29) {
        h[0] |= (uint8_t)size;
    } else if (size < 285) {
        h[0] |= 29;
        h[n++] = (uint8_t)(size - 29);
    } else if (size < 65821) {
        uint32_t v = size - 285;
        h[0] |= 30;
        h[n++] = (uint8_t)(v >> 8);
        h[n++] = (uint8_t)v;
    } else {
        uint32_t v = size - 65821;
        h[0] |= 31;
        h[n++] = (uint8_t)(v >> 16);
        h[n++] = (uint8_t)(v >> 8);
        h[n++] = (uint8_t)v;
    }
    put_bytes(b, h, n);
}

/* Unsigned integers use as few bytes as the value needs (0 takes none). */
static void
put_uint(struct mmdbw_buf *b, unsigned type, uint64_t v)
{
    uint8_t be[8];
    unsigned n = 0;
    for (uint64_t x = v; x != 0; x >>= 8)
        n++;
    for (unsigned i = 0; i < n; i++)
        be[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
    put_ctrl(b, type, n);
    put_bytes(b, be, n);
}

void
mmdbw_put_map(struct mmdbw_buf *b, uint32_t n_pairs)
{
    put_ctrl(b, T_MAP, n_pairs);
}

void
mmdbw_put_array(struct mmdbw_buf *b, uint32_t n_items)
{
    put_ctrl(b, T_ARRAY, n_items);
}

void
mmdbw_put_string(struct mmdbw_buf *b, const char *s)
{
    size_t n = strlen(s);
    if (n > MMDBW_MAX_FIELD || !text_utf8_valid(s)) {
        b->err = true;
        return;
    }
    put_ctrl(b, T_STRING, (uint32_t)n);
    put_bytes(b, s, n);
}

void
mmdbw_put_uint16(struct mmdbw_buf *b, uint16_t v)
{
    put_uint(b, T_UINT16, v);
}

void
mmdbw_put_uint32(struct mmdbw_buf *b, uint32_t v)
{
    put_uint(b, T_UINT32, v);
}

void
mmdbw_put_uint64(struct mmdbw_buf *b, uint64_t v)
{
    put_uint(b, T_UINT64, v);
}

void
mmdbw_put_bool(struct mmdbw_buf *b, bool v)
{
    put_ctrl(b, T_BOOL, v ? 1 : 0);
}

/* ------------------------------------------------------------------------
 * Checking a caller's record: exactly one value, every length in bounds. */

static bool
utf8_ok(const uint8_t *s, size_t n)
{
    if (memchr(s, '\0', n) != NULL)
        return false;
    char *z = xmalloc(n + 1);
    memcpy(z, s, n);
    z[n] = '\0';
    bool good = text_utf8_valid(z);
    free(z);
    return good;
}

/* Skip the value at p[*pos]; false when it is malformed, a pointer, nested
 * deeper than MMDBW_MAX_DEPTH, or (want_key) not a string. */
static bool
check_value(const uint8_t *p, size_t len, size_t *pos, unsigned depth, bool want_key)
{
    if (*pos >= len || depth > MMDBW_MAX_DEPTH)
        return false;
    uint8_t c = p[(*pos)++];
    unsigned type = c >> 5;
    if (type == 0) {
        if (*pos >= len)
            return false;
        type = 7u + p[(*pos)++];
        if (type < T_INT32 || type == 12 || type == 13 || type > T_FLOAT)
            return false; /* deprecated container/end marker, or out of range */
    }
    if (type == T_POINTER || (want_key && type != T_STRING))
        return false;
    uint32_t size = c & 31u;
    unsigned extra = size < 29 ? 0 : size - 28;
    if (extra > len - *pos)
        return false;
    if (extra > 0) {
        uint32_t v = 0;
        for (unsigned i = 0; i < extra; i++)
            v = (v << 8) | p[(*pos)++];
        size = (extra == 1 ? 29u : extra == 2 ? 285u : 65821u) + v;
    }
    switch (type) {
    case T_MAP:
    case T_ARRAY:
        for (uint32_t i = 0; i < size; i++) {
            if (type == T_MAP && !check_value(p, len, pos, depth + 1, true))
                return false;
            if (!check_value(p, len, pos, depth + 1, false))
                return false;
        }
        return true;
    case T_BOOL:
        return size <= 1;
    case T_UINT16:
        if (size > 2)
            return false;
        break;
    case T_UINT32:
    case T_INT32:
    case T_FLOAT:
        if (size > 4 || (type == T_FLOAT && size != 4))
            return false;
        break;
    case T_UINT64:
    case T_DOUBLE:
        if (size > 8 || (type == T_DOUBLE && size != 8))
            return false;
        break;
    case T_UINT128:
        if (size > 16)
            return false;
        break;
    default: /* string, bytes */
        break;
    }
    if (size > len - *pos)
        return false;
    if (type == T_STRING && !utf8_ok(p + *pos, size))
        return false;
    *pos += size;
    return true;
}

/* ------------------------------------------------------------------------
 * The writer: recorded inserts and deduplicated records */

struct entry {
    uint8_t a[16];  /* IPv6 form; IPv4 under ::/96 */
    uint8_t plen;   /* 0..128 in the IPv6 tree */
    uint32_t rec;   /* record index */
    uint32_t seq;   /* insertion order */
};

struct mmdbw {
    struct entry *ents;
    size_t n_ents, cap_ents;
    struct mmdbw_buf blob; /* the distinct records, back to back */
    size_t *rec_off, *rec_len;
    size_t n_recs, cap_recs;
    uint32_t *slots;       /* hash of records: index + 1, 0 free */
    size_t n_slots;        /* power of two, kept at least twice n_recs */
};

struct mmdbw *
mmdbw_new(void)
{
    struct mmdbw *w = xcalloc(1, sizeof(*w));
    mmdbw_buf_init(&w->blob);
    w->n_slots = 64;
    w->slots = xcalloc(w->n_slots, sizeof(*w->slots));
    return w;
}

void
mmdbw_free(struct mmdbw *w)
{
    if (w == NULL)
        return;
    free(w->ents);
    mmdbw_buf_free(&w->blob);
    free(w->rec_off);
    free(w->rec_len);
    free(w->slots);
    free(w);
}

static uint64_t
hash_bytes(const uint8_t *p, size_t n)
{
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

static size_t
slot_find(const struct mmdbw *w, const uint8_t *rec, size_t len)
{
    size_t mask = w->n_slots - 1;
    size_t i = (size_t)hash_bytes(rec, len) & mask;
    while (w->slots[i] != 0) {
        size_t r = w->slots[i] - 1;
        if (w->rec_len[r] == len && memcmp(w->blob.p + w->rec_off[r], rec, len) == 0)
            break;
        i = (i + 1) & mask;
    }
    return i;
}

/* The index of rec, added when new. */
static uint32_t
intern(struct mmdbw *w, const uint8_t *rec, size_t len)
{
    size_t i = slot_find(w, rec, len);
    if (w->slots[i] != 0)
        return w->slots[i] - 1;
    if (w->n_recs == w->cap_recs) {
        w->cap_recs = w->cap_recs ? w->cap_recs * 2 : 16;
        w->rec_off = xreallocarray(w->rec_off, w->cap_recs, sizeof(*w->rec_off));
        w->rec_len = xreallocarray(w->rec_len, w->cap_recs, sizeof(*w->rec_len));
    }
    size_t r = w->n_recs++;
    w->rec_off[r] = w->blob.len;
    w->rec_len[r] = len;
    put_bytes(&w->blob, rec, len);
    w->slots[i] = (uint32_t)r + 1;
    if (w->n_recs * 2 > w->n_slots) {
        free(w->slots);
        w->n_slots *= 2;
        w->slots = xcalloc(w->n_slots, sizeof(*w->slots));
        for (size_t k = 0; k < w->n_recs; k++) {
            size_t j = slot_find(w, w->blob.p + w->rec_off[k], w->rec_len[k]);
            w->slots[j] = (uint32_t)k + 1;
        }
    }
    return (uint32_t)r;
}

static unsigned
bit_at(const uint8_t a[16], unsigned i)
{
    return (a[i >> 3] >> (7 - (i & 7))) & 1u;
}

enum mmdbw_status
mmdbw_insert(struct mmdbw *w, int family, const uint8_t *addr, unsigned plen,
             const uint8_t *rec, size_t len)
{
    struct entry e;
    memset(&e, 0, sizeof(e));
    if (family == 4 && plen <= 32) {
        memcpy(e.a + 12, addr, 4);
        plen += 96;
    } else if (family == 6 && plen <= 128) {
        memcpy(e.a, addr, 16);
    } else {
        return MMDBW_ERR_PREFIX;
    }
    /* Host bits: the address must equal itself cut to plen bits. */
    uint8_t cut[16];
    memset(cut, 0, sizeof(cut));
    memcpy(cut, e.a, plen / 8);
    if (plen % 8)
        cut[plen / 8] = (uint8_t)(e.a[plen / 8] & (0xFF00u >> (plen % 8)));
    if (memcmp(cut, e.a, 16) != 0)
        return MMDBW_ERR_PREFIX;
    size_t pos = 0;
    if (rec == NULL || len == 0 || !check_value(rec, len, &pos, 0, false) || pos != len)
        return MMDBW_ERR_VALUE;
    if (w->n_ents == UINT32_MAX)
        return MMDBW_ERR_TOO_BIG;
    e.plen = (uint8_t)plen;
    e.rec = intern(w, rec, len);
    e.seq = (uint32_t)w->n_ents;
    if (w->n_ents == w->cap_ents) {
        w->cap_ents = w->cap_ents ? w->cap_ents * 2 : 256;
        w->ents = xreallocarray(w->ents, w->cap_ents, sizeof(*w->ents));
    }
    w->ents[w->n_ents++] = e;
    return MMDBW_OK;
}

/* ------------------------------------------------------------------------
 * The tree */

struct tree {
    uint32_t (*kid)[2];
    size_t n, cap;
    bool full; /* MAX_NODES reached */
};

static uint32_t
tree_add(struct tree *t, uint32_t left, uint32_t right)
{
    if (t->n >= MAX_NODES) {
        t->full = true;
        return KID_EMPTY;
    }
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 1024;
        t->kid = xreallocarray(t->kid, t->cap, sizeof(*t->kid));
    }
    t->kid[t->n][0] = left;
    t->kid[t->n][1] = right;
    return (uint32_t)t->n++;
}

/* The node for the first depth bits of a, made (by splitting a record, so
 * both halves keep its answer) where missing. */
static uint32_t
tree_descend(struct tree *t, const uint8_t a[16], unsigned depth)
{
    uint32_t node = 0;
    for (unsigned d = 0; d < depth && !t->full; d++) {
        unsigned bit = bit_at(a, d);
        uint32_t k = t->kid[node][bit];
        if (k == KID_EMPTY || (k & KID_DATA)) {
            k = tree_add(t, k, k);
            t->kid[node][bit] = k;
        }
        node = k;
    }
    return node;
}

static int
cmp_entry(const void *x, const void *y)
{
    const struct entry *a = x, *b = y;
    if (a->plen != b->plen)
        return a->plen < b->plen ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static const uint8_t ALIAS_MAPPED[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
static const uint8_t ALIAS_6TO4[16] = {0x20, 0x02};

/* The tree of w's entries; false when it cannot be made (overlap with an
 * alias: *st = MMDBW_ERR_RESERVED; too many nodes: MMDBW_ERR_TOO_BIG). */
static bool
make_tree(const struct mmdbw *w, bool aliases, struct tree *t, enum mmdbw_status *st)
{
    struct entry *v = xmalloc((w->n_ents ? w->n_ents : 1) * sizeof(*v));
    if (w->n_ents > 0)
        memcpy(v, w->ents, w->n_ents * sizeof(*v));
    qsort(v, w->n_ents, sizeof(*v), cmp_entry);
    memset(t, 0, sizeof(*t));
    tree_add(t, KID_EMPTY, KID_EMPTY);
    bool good = true;
    for (size_t i = 0; i < w->n_ents && good; i++) {
        const struct entry *e = &v[i];
        if (aliases) {
            /* Two prefixes overlap when the shorter one's bits agree. */
            unsigned m96 = e->plen < 96 ? e->plen : 96, m16 = e->plen < 16 ? e->plen : 16;
            if (prefix_equal(e->a, ALIAS_MAPPED, m96) || prefix_equal(e->a, ALIAS_6TO4, m16)) {
                *st = MMDBW_ERR_RESERVED;
                good = false;
                break;
            }
        }
        uint32_t val = KID_DATA | e->rec;
        if (e->plen == 0) {
            t->kid[0][0] = t->kid[0][1] = val;
            continue;
        }
        uint32_t node = tree_descend(t, e->a, e->plen - 1u);
        /* Shortest first: what lies here is empty or a shorter (or the
         * same) prefix's record, never a subtree. */
        t->kid[node][bit_at(e->a, e->plen - 1u)] = val;
    }
    if (good && aliases) {
        static const uint8_t zero[16];
        uint32_t v4 = tree_descend(t, zero, 96);
        uint32_t p = tree_descend(t, ALIAS_MAPPED, 95);
        t->kid[p][bit_at(ALIAS_MAPPED, 95)] = v4;
        p = tree_descend(t, ALIAS_6TO4, 15);
        t->kid[p][bit_at(ALIAS_6TO4, 15)] = v4;
    }
    if (good && t->full) {
        *st = MMDBW_ERR_TOO_BIG;
        good = false;
    }
    free(v);
    if (!good) {
        free(t->kid);
        memset(t, 0, sizeof(*t));
    }
    return good;
}

/* ------------------------------------------------------------------------
 * Output */

static void
put_record(struct mmdbw_buf *b, unsigned size, uint64_t left, uint64_t right)
{
    uint8_t n[8];
    size_t k = 0;
    if (size == 24 || size == 32) {
        unsigned bytes = size / 8;
        for (unsigned i = 0; i < bytes; i++)
            n[k++] = (uint8_t)(left >> (8 * (bytes - 1 - i)));
        for (unsigned i = 0; i < bytes; i++)
            n[k++] = (uint8_t)(right >> (8 * (bytes - 1 - i)));
    } else { /* 28: the top nibbles share the middle byte, left's first */
        n[k++] = (uint8_t)(left >> 16);
        n[k++] = (uint8_t)(left >> 8);
        n[k++] = (uint8_t)left;
        n[k++] = (uint8_t)((((left >> 24) & 0x0F) << 4) | ((right >> 24) & 0x0F));
        n[k++] = (uint8_t)(right >> 16);
        n[k++] = (uint8_t)(right >> 8);
        n[k++] = (uint8_t)right;
    }
    put_bytes(b, n, k);
}

static bool
put_meta(struct mmdbw_buf *b, const struct mmdbw_meta *m, uint32_t nodes, unsigned rsize)
{
    size_t start = b->len;
    put_bytes(b, META_MARKER, sizeof(META_MARKER));
    /* languages and description are optional in the spec, but libmaxminddb
     * (1.7) refuses metadata without them: always written, maybe empty. */
    mmdbw_put_map(b, 9);
    mmdbw_put_string(b, "binary_format_major_version");
    mmdbw_put_uint16(b, 2);
    mmdbw_put_string(b, "binary_format_minor_version");
    mmdbw_put_uint16(b, 0);
    mmdbw_put_string(b, "build_epoch");
    mmdbw_put_uint64(b, m->build_epoch);
    mmdbw_put_string(b, "database_type");
    mmdbw_put_string(b, m->database_type);
    mmdbw_put_string(b, "description");
    mmdbw_put_map(b, (uint32_t)m->n_description);
    for (size_t i = 0; i < m->n_description; i++) {
        if (m->description[i].lang == NULL || m->description[i].text == NULL)
            return false;
        mmdbw_put_string(b, m->description[i].lang);
        mmdbw_put_string(b, m->description[i].text);
    }
    mmdbw_put_string(b, "ip_version");
    mmdbw_put_uint16(b, 6);
    mmdbw_put_string(b, "languages");
    mmdbw_put_array(b, (uint32_t)m->n_languages);
    for (size_t i = 0; i < m->n_languages; i++) {
        if (m->languages[i] == NULL)
            return false;
        mmdbw_put_string(b, m->languages[i]);
    }
    mmdbw_put_string(b, "node_count");
    mmdbw_put_uint32(b, nodes);
    mmdbw_put_string(b, "record_size");
    mmdbw_put_uint16(b, (uint16_t)rsize);
    return !b->err && b->len - start <= META_MAX;
}

enum mmdbw_status
mmdbw_build(struct mmdbw *w, const struct mmdbw_meta *m, uint8_t **out, size_t *out_len,
            struct mmdbw_stats *st)
{
    *out = NULL;
    *out_len = 0;
    if (m == NULL || m->database_type == NULL || m->database_type[0] == '\0' ||
        (m->record_size != 0 && m->record_size != 24 && m->record_size != 28 &&
         m->record_size != 32) ||
        m->build_epoch == 0 || /* libmaxminddb reads 0 as "missing" */
        m->n_languages > UINT32_MAX || m->n_description > UINT32_MAX ||
        (m->n_languages > 0 && m->languages == NULL) ||
        (m->n_description > 0 && m->description == NULL))
        return MMDBW_ERR_META;

    enum mmdbw_status status = MMDBW_OK;
    struct tree t;
    if (!make_tree(w, m->ipv4_aliases, &t, &status))
        return status;

    /* Only records some network still shows go to the data section, in
     * insertion order. */
    size_t *off = xmalloc((w->n_recs ? w->n_recs : 1) * sizeof(*off));
    bool *used = xcalloc(w->n_recs ? w->n_recs : 1, sizeof(*used));
    for (size_t i = 0; i < t.n; i++)
        for (int s = 0; s < 2; s++)
            if (t.kid[i][s] & KID_DATA)
                used[t.kid[i][s] & ~KID_DATA] = true;
    size_t data_len = 0, n_used = 0;
    for (size_t r = 0; r < w->n_recs; r++) {
        if (!used[r])
            continue;
        off[r] = data_len;
        data_len += w->rec_len[r];
        n_used++;
    }

    /* Every record value must stay below 2^size: the largest is a data
     * pointer, node_count + 16 + offset. */
    uint64_t nodes = t.n, top = nodes + SEPARATOR + data_len;
    unsigned rsize = m->record_size;
    if (rsize == 0)
        rsize = top < (1ull << 24) ? 24 : top < (1ull << 28) ? 28 : 32;
    struct mmdbw_buf b;
    mmdbw_buf_init(&b);
    if (top >= (1ull << rsize)) {
        status = MMDBW_ERR_TOO_BIG;
        goto cleanup;
    }
    for (size_t i = 0; i < t.n; i++) {
        uint64_t rec[2];
        for (int s = 0; s < 2; s++) {
            uint32_t k = t.kid[i][s];
            if (k == KID_EMPTY)
                rec[s] = nodes;
            else if (k & KID_DATA)
                rec[s] = nodes + SEPARATOR + off[k & ~KID_DATA];
            else
                rec[s] = k;
        }
        put_record(&b, rsize, rec[0], rec[1]);
    }
    static const uint8_t sep[SEPARATOR];
    put_bytes(&b, sep, sizeof(sep));
    for (size_t r = 0; r < w->n_recs; r++)
        if (used[r])
            put_bytes(&b, w->blob.p + w->rec_off[r], w->rec_len[r]);
    /* libmaxminddb refuses a data section under 3 bytes; nothing points at
     * this padding. */
    if (data_len < 3)
        put_bytes(&b, sep, 3 - data_len);
    if (!put_meta(&b, m, (uint32_t)nodes, rsize)) {
        status = MMDBW_ERR_META;
        goto cleanup;
    }
    if (st != NULL) {
        st->node_count = (uint32_t)nodes;
        st->record_size = rsize;
        st->records = n_used;
        st->data_bytes = data_len;
        st->file_bytes = b.len;
    }
    *out = b.p;
    *out_len = b.len;
    b.p = NULL;

cleanup:
    mmdbw_buf_free(&b);
    free(off);
    free(used);
    free(t.kid);
    return status;
}

enum mmdbw_status
mmdbw_save(struct mmdbw *w, const struct mmdbw_meta *m, const char *path, struct mmdbw_stats *st)
{
    uint8_t *buf;
    size_t len;
    enum mmdbw_status s = mmdbw_build(w, m, &buf, &len, st);
    if (s != MMDBW_OK)
        return s;
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        free(buf);
        return MMDBW_ERR_IO;
    }
    bool good = fwrite(buf, 1, len, f) == len;
    int e = errno;
    if (fclose(f) != 0 && good) {
        good = false;
        e = errno;
    }
    free(buf);
    if (!good) {
        unlink(path);
        errno = e;
        return MMDBW_ERR_IO;
    }
    return MMDBW_OK;
}

const char *
mmdbw_strerror(enum mmdbw_status s)
{
    switch (s) {
    case MMDBW_OK:
        return "success";
    case MMDBW_ERR_PREFIX:
        return "not a network: family not 4 or 6, prefix length too long, or host bits set";
    case MMDBW_ERR_VALUE:
        return "record is not one well-formed MaxMind DB value";
    case MMDBW_ERR_RESERVED:
        return "prefix overlaps ::ffff:0:0/96 or 2002::/16, which lead to the IPv4 tree";
    case MMDBW_ERR_TOO_BIG:
        return "search tree and data section too large for the record size";
    case MMDBW_ERR_META:
        return "metadata incomplete or not encodable";
    case MMDBW_ERR_IO:
        return "cannot write the file";
    }
    return "unknown error";
}
