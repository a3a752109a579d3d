/* mmdb_write_t.c - unit tests for the MMDB writer, read back with libmaxminddb.
 *
 * Reference: include/telexpose/mmdb_write.h (contract); MaxMind DB spec 2.0
 * for the exact encodings. Databases are written into a temp directory and
 * opened with MMDB_open(), so what is tested is what a real reader sees:
 * first and last addresses of nested IPv4 and IPv6 prefixes, misses,
 * deduplication, the three record sizes, metadata, and byte-identical
 * rebuilds. A random test compares every answer with a brute-force model.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <maxminddb.h>

#include "tap.h"
#include "telexpose/mmdb_write.h"

static char tmpdir[256];

static const char *
tmppath(const char *name)
{
    static char buf[4][512];
    static unsigned next;
    char *b = buf[next++ % 4];
    snprintf(b, sizeof(buf[0]), "%s/%s", tmpdir, name);
    return b;
}

/* The record {"name": name, "n": n}. */
static void
rec(struct mmdbw_buf *b, const char *name, uint32_t n)
{
    mmdbw_buf_reset(b);
    mmdbw_put_map(b, 2);
    mmdbw_put_string(b, "name");
    mmdbw_put_string(b, name);
    mmdbw_put_string(b, "n");
    mmdbw_put_uint32(b, n);
}

/* Insert "ADDR/LEN" with the record {name, n}. */
static enum mmdbw_status
ins(struct mmdbw *w, const char *cidr, const char *name, uint32_t n)
{
    char a[64];
    snprintf(a, sizeof(a), "%s", cidr);
    char *slash = strchr(a, '/');
    *slash = '\0';
    unsigned plen = (unsigned)strtoul(slash + 1, NULL, 10);
    uint8_t bytes[16];
    int family = strchr(a, ':') ? 6 : 4;
    if (inet_pton(family == 6 ? AF_INET6 : AF_INET, a, bytes) != 1)
        return MMDBW_ERR_PREFIX;
    struct mmdbw_buf b;
    mmdbw_buf_init(&b);
    rec(&b, name, n);
    enum mmdbw_status s = mmdbw_insert(w, family, bytes, plen, b.p, b.len);
    mmdbw_buf_free(&b);
    return s;
}

static const struct mmdbw_text DESC[] = {{"en", "unit test"}, {"de", "Einheitentest"}};
static const char *const LANGS[] = {"en", "de"};

static struct mmdbw_meta
meta(unsigned record_size, bool aliases)
{
    struct mmdbw_meta m = {
        .database_type = "telexpose-test",
        .languages = LANGS,
        .n_languages = 2,
        .description = DESC,
        .n_description = 2,
        .build_epoch = 1795737600,
        .record_size = record_size,
        .ipv4_aliases = aliases,
    };
    return m;
}

static bool
db_open(const char *path, MMDB_s *db)
{
    return MMDB_open(path, MMDB_MODE_MMAP, db) == MMDB_SUCCESS;
}

/* Look ip up: "" when not found, "!" on an error, else the record's name
 * (and *n, *netmask). */
static const char *
look(MMDB_s *db, const char *ip, uint32_t *n, unsigned *netmask)
{
    static char name[4][64];
    static unsigned next;
    char *out = name[next++ % 4];
    int gai = 0, err = 0;
    MMDB_lookup_result_s r = MMDB_lookup_string(db, ip, &gai, &err);
    if (gai != 0 || err != MMDB_SUCCESS)
        return "!";
    if (!r.found_entry)
        return "";
    if (netmask)
        *netmask = r.netmask;
    MMDB_entry_data_s d;
    if (MMDB_get_value(&r.entry, &d, "name", NULL) != MMDB_SUCCESS || !d.has_data ||
        d.type != MMDB_DATA_TYPE_UTF8_STRING || d.data_size >= 64)
        return "!";
    memcpy(out, d.utf8_string, d.data_size);
    out[d.data_size] = '\0';
    if (n != NULL) {
        if (MMDB_get_value(&r.entry, &d, "n", NULL) != MMDB_SUCCESS ||
            d.type != MMDB_DATA_TYPE_UINT32)
            return "!";
        *n = d.uint32;
    }
    return out;
}

static bool
bytes_are(const struct mmdbw_buf *b, const char *hex)
{
    char got[512];
    size_t k = 0;
    for (size_t i = 0; i < b->len && k + 3 < sizeof(got); i++)
        k += (size_t)snprintf(got + k, sizeof(got) - k, "%s%02x", i ? " " : "", b->p[i]);
    got[k] = '\0';
    if (strcmp(got, hex) != 0)
        printf("#   got %s\n#   expected %s\n", got, hex);
    return strcmp(got, hex) == 0;
}

static void
test_encoding(void)
{
    struct mmdbw_buf b;
    mmdbw_buf_init(&b);
    mmdbw_put_string(&b, "abc");
    ok(bytes_are(&b, "43 61 62 63") && !b.err, "utf8_string 'abc': 0x43 + bytes");
    mmdbw_buf_reset(&b);
    mmdbw_put_string(&b, "");
    ok(bytes_are(&b, "40"), "empty string: 0x40");
    mmdbw_buf_reset(&b);
    mmdbw_put_uint32(&b, 0);
    mmdbw_put_uint32(&b, 258);
    mmdbw_put_uint32(&b, 0xFFFFFFFFu);
    ok(bytes_are(&b, "c0 c2 01 02 c4 ff ff ff ff"), "uint32 0, 258, max: shortest big-endian");
    mmdbw_buf_reset(&b);
    mmdbw_put_uint16(&b, 24);
    mmdbw_put_map(&b, 3);
    mmdbw_put_array(&b, 2);
    ok(bytes_are(&b, "a1 18 e3 02 04"), "uint16 24, map of 3, array of 2 (extended type)");
    mmdbw_buf_reset(&b);
    mmdbw_put_bool(&b, true);
    mmdbw_put_bool(&b, false);
    mmdbw_put_uint64(&b, 1795737600);
    ok(bytes_are(&b, "01 07 00 07 04 02 6b 08 c8 00"),
       "booleans (size is the value) and uint64 (extended type 2)");

    /* Size encodings at the 29 / 285 / 65821 boundaries. */
    static char s[70000];
    const size_t sizes[] = {28, 29, 284, 285, 65820, 65821, 69999};
    const char *heads[] = {"5c", "5d 00", "5d ff", "5e 00 00", "5e ff ff", "5f 00 00 00",
                           "5f 00 10 52"};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        memset(s, 'x', sizes[i]);
        s[sizes[i]] = '\0';
        mmdbw_buf_reset(&b);
        mmdbw_put_string(&b, s);
        size_t hl = (strlen(heads[i]) + 1) / 3;
        struct mmdbw_buf h = {b.p, hl, hl, false};
        ok(b.len == hl + sizes[i] && bytes_are(&h, heads[i]), "string of %zu: header %s",
           sizes[i], heads[i]);
    }
    mmdbw_buf_reset(&b);
    mmdbw_put_string(&b, "bad \xff byte");
    ok(b.err, "invalid UTF-8 sets the sticky error");
    mmdbw_put_uint32(&b, 1);
    ok(b.err, "and it stays set");
    mmdbw_buf_reset(&b);
    ok(!b.err && b.len == 0, "reset clears it");
    mmdbw_buf_free(&b);
    mmdbw_buf_free(&b);
    ok(b.p == NULL, "free is idempotent");
}

static void
test_insert_errors(void)
{
    struct mmdbw *w = mmdbw_new();
    struct mmdbw_buf b;
    mmdbw_buf_init(&b);
    rec(&b, "x", 1);
    const uint8_t v4[4] = {10, 0, 0, 0}, v4h[4] = {10, 0, 0, 1};
    uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8};
    is_int(mmdbw_insert(w, 4, v4, 8, b.p, b.len), MMDBW_OK, "10.0.0.0/8 accepted");
    is_int(mmdbw_insert(w, 4, v4, 33, b.p, b.len), MMDBW_ERR_PREFIX, "IPv4 /33 refused");
    is_int(mmdbw_insert(w, 6, v6, 129, b.p, b.len), MMDBW_ERR_PREFIX, "IPv6 /129 refused");
    is_int(mmdbw_insert(w, 5, v4, 8, b.p, b.len), MMDBW_ERR_PREFIX, "family 5 refused");
    is_int(mmdbw_insert(w, 4, v4h, 24, b.p, b.len), MMDBW_ERR_PREFIX,
           "10.0.0.1/24 (host bits) refused");
    is_int(mmdbw_insert(w, 4, v4h, 32, b.p, b.len), MMDBW_OK, "10.0.0.1/32 accepted");
    v6[15] = 1;
    is_int(mmdbw_insert(w, 6, v6, 127, b.p, b.len), MMDBW_ERR_PREFIX,
           "2001:db8::1/127 (host bits) refused");
    is_int(mmdbw_insert(w, 4, v4, 8, NULL, 0), MMDBW_ERR_VALUE, "no record refused");

    /* Malformed records, each a plausible mistake. */
    const struct {
        const char *what;
        const char *bytes;
        size_t len;
    } bad[] = {
        {"map of 2 with one pair", "\xe2\x41k\xc1\x01", 5},
        {"trailing byte after the value", "\xc1\x01\x00", 3},
        {"a pointer", "\x20\x00", 2},
        {"integer key", "\xe1\xc1\x01\xc1\x01", 5},
        {"string longer than the record", "\x45" "ab", 3},
        {"uint32 of 5 bytes", "\xc5\x01\x02\x03\x04\x05", 6},
        {"deprecated end marker", "\x00\x06", 2},
        {"invalid UTF-8 string", "\x42\xc3\x28", 3},
        {"string with a NUL", "\x42" "a\0", 3},
        {"double of 4 bytes", "\x64\x00\x00\x00\x00", 5},
        {"boolean of 2", "\x02\x07", 2},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        is_int(mmdbw_insert(w, 4, v4, 8, (const uint8_t *)bad[i].bytes, bad[i].len),
               MMDBW_ERR_VALUE, "refused: %s", bad[i].what);
    /* 33 nested maps, one more than allowed. */
    uint8_t deep[200];
    size_t k = 0;
    for (int i = 0; i < 33; i++) {
        deep[k++] = 0xe1;
        deep[k++] = 0x41;
        deep[k++] = 'k';
    }
    deep[k++] = 0xc0;
    is_int(mmdbw_insert(w, 4, v4, 8, deep, k), MMDBW_ERR_VALUE, "33 nested maps refused");
    is_int(mmdbw_insert(w, 4, v4, 8, deep + 3, k - 3), MMDBW_OK, "32 nested maps accepted");
    mmdbw_buf_free(&b);
    mmdbw_free(w);
    mmdbw_free(NULL);
    ok(1, "mmdbw_free(NULL) is harmless");
}

/* The nested test set, inserted most specific first so that order cannot
 * be what makes the longer prefix win. */
static void
insert_nested(struct mmdbw *w)
{
    ins(w, "10.1.2.0/24", "C", 3);
    ins(w, "10.1.0.0/16", "B", 2);
    ins(w, "10.0.0.0/8", "A", 1);
    ins(w, "192.0.2.0/24", "D", 4);
    ins(w, "192.0.2.128/32", "host", 9);
    ins(w, "2001:db8:1::/48", "F", 6);
    ins(w, "2001:db8::/32", "E", 5);
    ins(w, "2001:db8:1:2::/64", "A", 1); /* same record as 10/8: stored once */
}

static void
test_lookups(void)
{
    struct mmdbw *w = mmdbw_new();
    insert_nested(w);
    struct mmdbw_meta m = meta(0, true);
    struct mmdbw_stats st;
    const char *path = tmppath("nested.mmdb");
    is_int(mmdbw_save(w, &m, path, &st), MMDBW_OK, "nested DB written");
    is_int(st.record_size, 24, "small DB: 24-bit records");
    is_int(st.records, 7, "7 distinct records for 8 prefixes");
    MMDB_s db;
    if (!ok(db_open(path, &db), "libmaxminddb opens it")) {
        mmdbw_free(w);
        return;
    }
    const struct {
        const char *ip, *name;
        unsigned mask; /* netmask libmaxminddb reports (IPv4 ones are +96) */
    } cases[] = {
        {"10.0.0.0", "A", 112},         {"10.255.255.255", "A", 105},
        {"10.0.255.255", "A", 112},     {"10.1.0.0", "B", 119},
        {"10.1.255.255", "B", 113},     {"10.1.2.0", "C", 120},
        {"10.1.2.255", "C", 120},       {"10.1.3.0", "B", 120},
        {"10.1.1.255", "B", 119},       {"9.255.255.255", "", 0},
        {"11.0.0.0", "", 0},            {"192.0.2.0", "D", 121},
        {"192.0.2.255", "D", 122},      {"192.0.2.128", "host", 128},
        {"192.0.2.127", "D", 121},      {"192.0.2.129", "D", 128},
        {"192.0.1.255", "", 0},         {"192.0.3.0", "", 0},
        {"2001:db8::", "E", 48},        {"2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "E", 33},
        {"2001:db8:1::", "F", 63},      {"2001:db8:1:ffff:ffff:ffff:ffff:ffff", "F", 49},
        {"2001:db8:1:2::", "A", 64},    {"2001:db8:1:2:ffff:ffff:ffff:ffff", "A", 64},
        {"2001:db8:1:3::", "F", 64},    {"2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", "", 0},
        {"2001:db9::", "", 0},          {"::1", "", 0},
        {"::ffff:10.1.2.3", "C", 120},  {"2002:a01:203::1", "C", 40},
        {"::ffff:11.0.0.1", "", 0},     {"2002:c000:0280::", "host", 48},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        unsigned mask = 0;
        const char *got = look(&db, cases[i].ip, NULL, &mask);
        if (cases[i].name[0] == '\0')
            is_str(got, "", "%s: not found", cases[i].ip);
        else
            ok(strcmp(got, cases[i].name) == 0 && mask == cases[i].mask, "%s: %s /%u (got %s /%u)",
               cases[i].ip, cases[i].name, cases[i].mask, got, mask);
    }
    uint32_t n = 0;
    look(&db, "10.1.2.3", &n, NULL);
    is_int(n, 3, "the record's uint32 reads back");

    /* Metadata as written. */
    is_str(db.metadata.database_type, "telexpose-test", "database_type");
    is_int(db.metadata.ip_version, 6, "ip_version 6");
    is_int(db.metadata.binary_format_major_version, 2, "format 2.0");
    is_int(db.metadata.build_epoch, 1795737600, "build_epoch as given");
    is_int(db.metadata.node_count, st.node_count, "node_count as reported");
    ok(db.metadata.languages.count == 2 && strcmp(db.metadata.languages.names[1], "de") == 0,
       "languages en, de");
    ok(db.metadata.description.count == 2 &&
           strcmp(db.metadata.description.descriptions[1]->language, "de") == 0 &&
           strcmp(db.metadata.description.descriptions[1]->description, "Einheitentest") == 0,
       "description de");

    /* Every node decodes; every data record is one of ours. */
    bool nodes_ok = true;
    for (uint32_t i = 0; i < db.metadata.node_count; i++) {
        MMDB_search_node_s sn;
        if (MMDB_read_node(&db, i, &sn) != MMDB_SUCCESS ||
            sn.left_record_type == MMDB_RECORD_TYPE_INVALID ||
            sn.right_record_type == MMDB_RECORD_TYPE_INVALID)
            nodes_ok = false;
    }
    ok(nodes_ok, "all %u nodes read back", db.metadata.node_count);
    MMDB_close(&db);

    /* Without aliases the mapped and 6to4 forms find nothing. */
    m = meta(0, false);
    path = tmppath("noalias.mmdb");
    is_int(mmdbw_save(w, &m, path, NULL), MMDBW_OK, "DB without aliases written");
    if (db_open(path, &db)) {
        is_str(look(&db, "::ffff:10.1.2.3", NULL, NULL), "", "no alias: ::ffff:10.1.2.3 absent");
        is_str(look(&db, "2002:a01:203::1", NULL, NULL), "", "no alias: 2002:a01:203::1 absent");
        is_str(look(&db, "10.1.2.3", NULL, NULL), "C", "no alias: 10.1.2.3 still C");
        MMDB_close(&db);
    }
    mmdbw_free(w);
}

static void
test_overlap_rules(void)
{
    struct mmdbw *w = mmdbw_new();
    ins(w, "198.51.100.0/24", "first", 1);
    ins(w, "198.51.100.0/24", "second", 2);
    ins(w, "0.0.0.0/0", "all4", 0);
    MMDB_s db;
    struct mmdbw_meta m = meta(0, true);
    const char *path = tmppath("overlap.mmdb");
    struct mmdbw_stats st;
    is_int(mmdbw_save(w, &m, path, &st), MMDBW_OK, "overlap DB written");
    is_int(st.records, 2, "a record no network shows is left out");
    if (db_open(path, &db)) {
        is_str(look(&db, "198.51.100.7", NULL, NULL), "second", "same prefix: last insert wins");
        is_str(look(&db, "8.8.8.8", NULL, NULL), "all4", "0.0.0.0/0 covers IPv4");
        is_str(look(&db, "2001:db8::1", NULL, NULL), "", "but not IPv6");
        MMDB_close(&db);
    }
    /* ::/0 covers the alias networks: refused with aliases, fine without. */
    ins(w, "::/0", "all6", 6);
    uint8_t *buf;
    size_t len;
    is_int(mmdbw_build(w, &m, &buf, &len, NULL), MMDBW_ERR_RESERVED, "::/0 with aliases refused");
    ok(buf == NULL && len == 0, "and nothing returned");
    m = meta(0, false);
    path = tmppath("all6.mmdb");
    is_int(mmdbw_save(w, &m, path, NULL), MMDBW_OK, "::/0 without aliases written");
    if (db_open(path, &db)) {
        is_str(look(&db, "2001:db8::1", NULL, NULL), "all6", "::/0 covers IPv6");
        is_str(look(&db, "8.8.8.8", NULL, NULL), "all4", "IPv4 keeps its more specific /96");
        MMDB_close(&db);
    }
    mmdbw_free(w);

    w = mmdbw_new();
    ins(w, "2002::/15", "x", 1);
    m = meta(0, true);
    is_int(mmdbw_build(w, &m, &buf, &len, NULL), MMDBW_ERR_RESERVED,
           "2002::/15 (contains 2002::/16) refused with aliases");
    mmdbw_free(w);
    w = mmdbw_new();
    ins(w, "::ffff:0:0/112", "x", 1);
    is_int(mmdbw_build(w, &m, &buf, &len, NULL), MMDBW_ERR_RESERVED,
           "::ffff:0:0/112 (inside the mapped alias) refused");
    mmdbw_free(w);
}

static void
test_empty_and_meta(void)
{
    struct mmdbw *w = mmdbw_new();
    struct mmdbw_meta m = meta(0, false);
    MMDB_s db;
    const char *path = tmppath("empty.mmdb");
    is_int(mmdbw_save(w, &m, path, NULL), MMDBW_OK, "empty DB written");
    if (ok(db_open(path, &db), "empty DB opens")) {
        is_str(look(&db, "1.2.3.4", NULL, NULL), "", "and finds nothing");
        MMDB_close(&db);
    }
    m = meta(0, true);
    path = tmppath("empty-alias.mmdb");
    is_int(mmdbw_save(w, &m, path, NULL), MMDBW_OK, "empty DB with aliases written");
    if (ok(db_open(path, &db), "and opens")) {
        is_str(look(&db, "::ffff:1.2.3.4", NULL, NULL), "", "finds nothing either");
        MMDB_close(&db);
    }
    uint8_t *buf;
    size_t len;
    m.database_type = NULL;
    is_int(mmdbw_build(w, &m, &buf, &len, NULL), MMDBW_ERR_META, "no database_type refused");
    m = meta(20, false);
    is_int(mmdbw_build(w, &m, &buf, &len, NULL), MMDBW_ERR_META, "record size 20 refused");
    m = meta(0, false);
    m.build_epoch = 0;
    is_int(mmdbw_build(w, &m, &buf, &len, NULL), MMDBW_ERR_META,
           "build_epoch 0 refused (libmaxminddb would not open it)");
    m = meta(0, false);
    m.database_type = "bad \xff";
    is_int(mmdbw_build(w, &m, &buf, &len, NULL), MMDBW_ERR_META, "invalid UTF-8 type refused");
    m = meta(0, false);
    is_int(mmdbw_save(w, &m, tmppath("no/such/dir.mmdb"), NULL), MMDBW_ERR_IO,
           "unwritable path: MMDBW_ERR_IO");
    ok(mmdbw_strerror(MMDBW_ERR_RESERVED)[0] != '\0' &&
           strcmp(mmdbw_strerror(MMDBW_ERR_IO), mmdbw_strerror(MMDBW_OK)) != 0,
       "mmdbw_strerror names each status");
    mmdbw_free(w);
}

/* Dedup: many prefixes, few records; the data section holds each once. */
static void
test_dedup(void)
{
    struct mmdbw *w = mmdbw_new();
    char cidr[32];
    for (int i = 0; i < 200; i++) {
        snprintf(cidr, sizeof(cidr), "172.16.%d.0/24", i);
        ins(w, cidr, i % 2 ? "odd" : "even", (uint32_t)(i % 2));
    }
    struct mmdbw_buf b;
    mmdbw_buf_init(&b);
    rec(&b, "odd", 1);
    size_t one = b.len;
    rec(&b, "even", 0);
    size_t other = b.len;
    mmdbw_buf_free(&b);
    struct mmdbw_meta m = meta(0, false);
    struct mmdbw_stats st;
    uint8_t *buf;
    size_t len;
    is_int(mmdbw_build(w, &m, &buf, &len, &st), MMDBW_OK, "200 prefixes built");
    ok(st.records == 2 && st.data_bytes == one + other,
       "2 records, data section %zu bytes = the two records", st.data_bytes);
    free(buf);
    mmdbw_free(w);
}

/* Record sizes: the same tree forced to 28 and 32 bits reads back the same;
 * a big data section makes 28 the automatic choice. */
static void
test_record_sizes(void)
{
    struct mmdbw *w = mmdbw_new();
    insert_nested(w);
    const unsigned sizes[] = {24, 28, 32};
    for (int i = 0; i < 3; i++) {
        struct mmdbw_meta m = meta(sizes[i], true);
        struct mmdbw_stats st;
        char name[32];
        snprintf(name, sizeof(name), "rs%u.mmdb", sizes[i]);
        const char *path = tmppath(name);
        is_int(mmdbw_save(w, &m, path, &st), MMDBW_OK, "forced %u-bit records written", sizes[i]);
        MMDB_s db;
        if (!db_open(path, &db))
            continue;
        is_int(db.metadata.record_size, sizes[i], "metadata record_size %u", sizes[i]);
        ok(strcmp(look(&db, "10.1.2.3", NULL, NULL), "C") == 0 &&
               strcmp(look(&db, "10.200.0.1", NULL, NULL), "A") == 0 &&
               strcmp(look(&db, "2001:db8:1:2::5", NULL, NULL), "A") == 0 &&
               strcmp(look(&db, "2001:db8:1:5::", NULL, NULL), "F") == 0 &&
               strcmp(look(&db, "::ffff:192.0.2.128", NULL, NULL), "host") == 0 &&
               look(&db, "11.0.0.1", NULL, NULL)[0] == '\0',
           "%u-bit records: lookups as with 24", sizes[i]);
        MMDB_close(&db);
    }
    mmdbw_free(w);

    /* Three 6 MiB records: data offsets beyond 2^24 need 28-bit records,
     * and the middle byte's nibbles carry their top bits. */
    w = mmdbw_new();
    size_t big = 6u << 20;
    char *s = malloc(big + 1);
    struct mmdbw_buf b;
    mmdbw_buf_init(&b);
    const char *nets[] = {"203.0.113.0/26", "203.0.113.64/26", "203.0.113.128/26"};
    for (int i = 0; i < 3; i++) {
        memset(s, 'a' + i, big);
        s[big] = '\0';
        mmdbw_buf_reset(&b);
        mmdbw_put_map(&b, 2);
        mmdbw_put_string(&b, "name");
        mmdbw_put_string(&b, nets[i]);
        mmdbw_put_string(&b, "pad");
        mmdbw_put_string(&b, s);
        uint8_t a[4] = {203, 0, 113, (uint8_t)(64 * i)};
        mmdbw_insert(w, 4, a, 26, b.p, b.len);
    }
    mmdbw_buf_free(&b);
    free(s);
    struct mmdbw_meta m = meta(0, false);
    struct mmdbw_stats st;
    const char *path = tmppath("big.mmdb");
    is_int(mmdbw_save(w, &m, path, &st), MMDBW_OK, "18 MiB data section written");
    is_int(st.record_size, 28, "automatic record size 28");
    MMDB_s db;
    if (db_open(path, &db)) {
        ok(strcmp(look(&db, "203.0.113.1", NULL, NULL), "203.0.113.0/26") == 0 &&
               strcmp(look(&db, "203.0.113.100", NULL, NULL), "203.0.113.64/26") == 0 &&
               strcmp(look(&db, "203.0.113.191", NULL, NULL), "203.0.113.128/26") == 0 &&
               look(&db, "203.0.113.192", NULL, NULL)[0] == '\0',
           "records past 16 MiB read back");
        MMDB_close(&db);
    }
    m = meta(24, false);
    uint8_t *buf;
    size_t len;
    is_int(mmdbw_build(w, &m, &buf, &len, NULL), MMDBW_ERR_TOO_BIG,
           "forced 24-bit records: too big");
    unlink(path);
    mmdbw_free(w);
}

static void
test_determinism(void)
{
    uint8_t *a, *b;
    size_t la, lb;
    struct mmdbw_meta m = meta(0, true);
    struct mmdbw *w1 = mmdbw_new(), *w2 = mmdbw_new();
    insert_nested(w1);
    insert_nested(w2);
    is_int(mmdbw_build(w1, &m, &a, &la, NULL), MMDBW_OK, "first build");
    is_int(mmdbw_build(w2, &m, &b, &lb, NULL), MMDBW_OK, "second build, other writer");
    ok(la == lb && memcmp(a, b, la) == 0, "byte-identical (%zu bytes)", la);
    free(b);
    is_int(mmdbw_build(w1, &m, &b, &lb, NULL), MMDBW_OK, "same writer built again");
    ok(la == lb && memcmp(a, b, la) == 0, "byte-identical again");
    free(b);
    m.build_epoch++;
    is_int(mmdbw_build(w1, &m, &b, &lb, NULL), MMDBW_OK, "built with another epoch");
    ok(la == lb && memcmp(a, b, la) != 0, "differs (the epoch is in the metadata)");
    free(a);
    free(b);
    mmdbw_free(w1);
    mmdbw_free(w2);
}

/* Random prefixes against a brute-force model: most specific wins, the
 * last insertion among equals. */
static uint32_t rng = 12345;

static uint32_t
next_rand(void)
{
    rng = rng * 1103515245u + 12345u;
    return rng >> 8;
}

struct model_net {
    uint32_t addr;
    unsigned plen;
    uint32_t n;
};

static void
test_random(void)
{
    enum { N = 400, Q = 4000 };
    static struct model_net nets[N];
    struct mmdbw *w = mmdbw_new();
    for (int i = 0; i < N; i++) {
        unsigned plen = 8 + next_rand() % 25; /* /8 .. /32 */
        /* Few first octets, so prefixes nest and collide often. */
        uint32_t addr = ((100u + next_rand() % 4) << 24) | (next_rand() & 0xFFFFFFu);
        addr &= plen == 32 ? 0xFFFFFFFFu : ~(0xFFFFFFFFu >> plen);
        nets[i].addr = addr;
        nets[i].plen = plen;
        nets[i].n = (uint32_t)i % 50; /* 50 distinct records */
        char cidr[32], name[16];
        snprintf(cidr, sizeof(cidr), "%u.%u.%u.%u/%u", addr >> 24, (addr >> 16) & 255,
                 (addr >> 8) & 255, addr & 255, plen);
        snprintf(name, sizeof(name), "r%u", nets[i].n);
        if (ins(w, cidr, name, nets[i].n) != MMDBW_OK)
            nets[i].plen = 99; /* unreachable: addr is masked */
    }
    struct mmdbw_meta m = meta(0, true);
    struct mmdbw_stats st;
    const char *path = tmppath("random.mmdb");
    is_int(mmdbw_save(w, &m, path, &st), MMDBW_OK, "400 random prefixes written");
    is_int(st.records, 50, "50 distinct records");
    MMDB_s db;
    if (!db_open(path, &db)) {
        mmdbw_free(w);
        return;
    }
    int wrong = 0;
    for (int q = 0; q < Q; q++) {
        uint32_t ip;
        if (q % 2 == 0) { /* edges of a random prefix, and just outside */
            const struct model_net *k = &nets[next_rand() % N];
            uint32_t size = k->plen == 32 ? 1 : 1u << (32 - k->plen);
            const uint32_t pick[4] = {k->addr, k->addr + size - 1, k->addr - 1, k->addr + size};
            ip = pick[(q / 2) % 4];
        } else {
            ip = ((100u + next_rand() % 5) << 24) | (next_rand() & 0xFFFFFFu);
        }
        int best = -1;
        for (int i = 0; i < N; i++) {
            uint32_t mask = nets[i].plen == 32 ? 0xFFFFFFFFu : ~(0xFFFFFFFFu >> nets[i].plen);
            if ((ip & mask) == nets[i].addr && (best < 0 || nets[i].plen >= nets[best].plen))
                best = i;
        }
        char s[20], want[16];
        snprintf(s, sizeof(s), "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255,
                 ip & 255);
        if (best < 0)
            want[0] = '\0';
        else
            snprintf(want, sizeof(want), "r%u", nets[best].n);
        const char *got = look(&db, s, NULL, NULL);
        if (strcmp(got, want) != 0 && wrong++ < 5)
            printf("#   %s: got '%s', model '%s'\n", s, got, want);
    }
    ok(wrong == 0, "%d random lookups agree with the model (%d differ)", Q, wrong);
    MMDB_close(&db);
    mmdbw_free(w);
}

int
main(void)
{
    const char *t = getenv("TMPDIR");
    snprintf(tmpdir, sizeof(tmpdir), "%s/mmdb_write_t.XXXXXX", t && *t ? t : "/tmp");
    if (mkdtemp(tmpdir) == NULL) {
        ok(0, "temp dir: %s", strerror(errno));
        return done_testing();
    }
    test_encoding();
    test_insert_errors();
    test_lookups();
    test_overlap_rules();
    test_empty_and_meta();
    test_dedup();
    test_record_sizes();
    test_determinism();
    test_random();
    /* Leave nothing behind. */
    const char *names[] = {"nested.mmdb", "noalias.mmdb", "overlap.mmdb", "all6.mmdb",
                           "empty.mmdb", "empty-alias.mmdb", "rs24.mmdb", "rs28.mmdb",
                           "rs32.mmdb", "random.mmdb"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        unlink(tmppath(names[i]));
    ok(rmdir(tmpdir) == 0, "temp dir removed (nothing else left in it)");
    return done_testing();
}
