/* mmdb_write.h - writing small MaxMind DB (MMDB) files: an IPv6 search tree
 * of (prefix, record) pairs, a deduplicated data section and the metadata.
 *
 * Reference: MaxMind DB File Format Specification 2.0
 * (https://maxmind.github.io/MaxMind-DB/). Used at build time by
 * telexpose-netdb (docs/networks.md); read back with libmaxminddb.
 *
 * Records are encoded by the caller with the mmdbw_put_*() helpers into a
 * struct mmdbw_buf, then inserted under a prefix. The tree is always IPv6:
 * IPv4 prefixes live under ::/96, as in MaxMind's own databases, so
 * libmaxminddb's IPv4 lookups find them. The output depends only on the
 * inserted pairs, their order and the metadata: the same input gives the
 * same bytes. Nothing here exits; errors are returned.
 */
#ifndef TELEXPOSE_MMDB_WRITE_H
#define TELEXPOSE_MMDB_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum mmdbw_status {
    MMDBW_OK = 0,
    MMDBW_ERR_PREFIX,   /* family not 4/6, length past 32/128, or host bits set */
    MMDBW_ERR_VALUE,    /* record is not exactly one well-formed value */
    MMDBW_ERR_RESERVED, /* an IPv6 prefix overlaps an IPv4 alias network */
    MMDBW_ERR_TOO_BIG,  /* tree + data do not fit the record size */
    MMDBW_ERR_META,     /* metadata incomplete or not encodable */
    MMDBW_ERR_IO,       /* the file could not be written (errno kept) */
};

#define MMDBW_MAX_DEPTH 32        /* nesting of maps and arrays in a record */
#define MMDBW_MAX_FIELD 16843036u /* largest payload size the format encodes */

/* A growable buffer of encoded data fields. An encoding error (string not
 * valid UTF-8 or too long) is sticky in err, like struct rd's. */
struct mmdbw_buf {
    uint8_t *p;
    size_t len;
    size_t cap;
    bool err;
};

void mmdbw_buf_init(struct mmdbw_buf *b);
void mmdbw_buf_reset(struct mmdbw_buf *b); /* empty it, clear err, keep memory */
void mmdbw_buf_free(struct mmdbw_buf *b);  /* idempotent */

/* Append one field. A map of n pairs is followed by n (key string, value)
 * pairs, an array of n by n values. Strings are NUL-terminated UTF-8. */
void mmdbw_put_map(struct mmdbw_buf *b, uint32_t n_pairs);
void mmdbw_put_array(struct mmdbw_buf *b, uint32_t n_items);
void mmdbw_put_string(struct mmdbw_buf *b, const char *s);
void mmdbw_put_uint16(struct mmdbw_buf *b, uint16_t v);
void mmdbw_put_uint32(struct mmdbw_buf *b, uint32_t v);
void mmdbw_put_uint64(struct mmdbw_buf *b, uint64_t v);
void mmdbw_put_bool(struct mmdbw_buf *b, bool v);

struct mmdbw;

/* An empty writer, owned by the caller: mmdbw_free() (NULL is fine). */
struct mmdbw *mmdbw_new(void);
void mmdbw_free(struct mmdbw *w);

/* Map addr/plen to the record in rec[0..len) (copied; one encoded value,
 * e.g. a map, no pointers). family 4: addr holds 4 bytes, plen <= 32;
 * family 6: 16 bytes, plen <= 128. Host bits must be zero. Identical
 * records are stored once. Where prefixes nest, the more specific one wins
 * whatever the insertion order; for the same prefix inserted twice the last
 * insertion wins. */
enum mmdbw_status mmdbw_insert(struct mmdbw *w, int family, const uint8_t *addr, unsigned plen,
                               const uint8_t *rec, size_t len);

struct mmdbw_text {
    const char *lang; /* e.g. "en" */
    const char *text;
};

struct mmdbw_meta {
    const char *database_type;          /* required */
    const char *const *languages;       /* may be NULL when n_languages is 0 */
    size_t n_languages;
    const struct mmdbw_text *description; /* may be NULL when n_description is 0 */
    size_t n_description;
    uint64_t build_epoch;               /* seconds, not 0; fixed for reproducible files */
    unsigned record_size;               /* 0: smallest of 24/28/32 that fits; or force one */
    bool ipv4_aliases;                  /* ::ffff:0:0/96 and 2002::/16 lead to the IPv4
                                         * tree, as in MaxMind's databases */
};

/* What the last successful build produced. */
struct mmdbw_stats {
    uint32_t node_count;
    unsigned record_size;
    size_t records;    /* distinct records in the data section */
    size_t data_bytes; /* size of the data section */
    size_t file_bytes;
};

/* The database as bytes in *out (malloc'd, owned by the caller), *out_len
 * set; st (may be NULL) filled. May be called again after more inserts. */
enum mmdbw_status mmdbw_build(struct mmdbw *w, const struct mmdbw_meta *meta, uint8_t **out,
                              size_t *out_len, struct mmdbw_stats *st);

/* mmdbw_build() written to path (created or truncated; removed again when
 * writing fails). */
enum mmdbw_status mmdbw_save(struct mmdbw *w, const struct mmdbw_meta *meta, const char *path,
                             struct mmdbw_stats *st);

/* A short English description of s. */
const char *mmdbw_strerror(enum mmdbw_status s);

#endif /* TELEXPOSE_MMDB_WRITE_H */
