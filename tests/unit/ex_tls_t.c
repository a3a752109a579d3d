/* ex_tls_t.c - unit tests for tls_cert_need() and tls_cert_parse().
 *
 * Reference: include/telexpose/ex_tls.h (contract); RFC 5246 7.4, RFC 5280
 * 4.1. The real vector, tests/data/tls/ftp-start-tls-server.bin, is the
 * server's first TLS flight (ServerHello, Certificate, CertificateRequest +
 * ServerHelloDone: 3 records, 1239 bytes, starting right after the
 * "234 Proceed with negotiation." reply) of ftp-start-tls.pcap from the
 * nDPI test suite (ntop/nDPI tests/cfgs/default/pcap, LGPL-3.0): a Huawei
 * FTPS server. Its names were cross-checked with openssl x509. Crafted
 * handshakes are built with the small writers below; every call runs on an
 * exact-size heap copy so AddressSanitizer sees any read past the end.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ex_test_sink.h"
#define PKT_WRITER_MAX 80000
#include "pkt_writer.h"
#include "tap.h"
#include "telexpose/ex_tls.h"

static long
need(const uint8_t *d, size_t n)
{
    uint8_t *c = dup_bytes(d, n);
    long rc = tls_cert_need(c, n);

    free(c);
    return rc;
}

static int
parse(const uint8_t *d, size_t n, struct rec *r)
{
    struct obs_sink sink = rec_sink(r);
    uint8_t *c = dup_bytes(d, n);
    int rc = tls_cert_parse(c, n, &sink);

    free(c);
    return rc;
}

/* ------------------------------------------------------------- byte writer */

static struct pkt g_stream, g_hs, g_tmp;

/* DER TLV with the shortest length form. */
static void
tlv(struct pkt *p, unsigned tag, const void *v, size_t n)
{
    put8(p, tag);
    if (n < 0x80) {
        put8(p, (unsigned)n);
    } else if (n < 0x100) {
        put8(p, 0x81);
        put8(p, (unsigned)n);
    } else {
        put8(p, 0x82);
        put16(p, (unsigned)n);
    }
    putn(p, v, n);
}

static const uint8_t OID_C[] = {0x55, 0x04, 0x06};
static const uint8_t OID_ST[] = {0x55, 0x04, 0x08};
static const uint8_t OID_L[] = {0x55, 0x04, 0x07};
static const uint8_t OID_O[] = {0x55, 0x04, 0x0a};
static const uint8_t OID_OU[] = {0x55, 0x04, 0x0b};
static const uint8_t OID_CN[] = {0x55, 0x04, 0x03};
static const uint8_t OID_SERIAL[] = {0x55, 0x04, 0x05};
static const uint8_t OID_EMAIL[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01};

/* One AttributeTypeAndValue. */
static void
atv(struct pkt *p, const uint8_t *oid, size_t oid_len, unsigned vtag, const void *v, size_t n)
{
    struct pkt t = {.n = 0};

    tlv(&t, 0x06, oid, oid_len);
    tlv(&t, vtag, v, n);
    tlv(p, 0x30, t.b, t.n);
}

/* A single-attribute RDN, PrintableString (or vtag) value. */
static void
rdn(struct pkt *p, const uint8_t *oid, size_t oid_len, unsigned vtag, const char *v, size_t n)
{
    struct pkt s = {.n = 0};

    atv(&s, oid, oid_len, vtag, v, n);
    tlv(p, 0x31, s.b, s.n);
}

#define RDN(p, oid, s) rdn((p), (oid), sizeof(oid), 0x13, (s), strlen(s))

/* Certificate { tbs { [0] v3, serial, alg, issuer, validity, subject, spki }, alg, sig } */
static void
cert(struct pkt *p, const struct pkt *issuer, const struct pkt *subject)
{
    static const uint8_t v3[] = {0x02, 0x01, 0x02};
    static const uint8_t serial[] = {0x01, 0x23};
    static const uint8_t alg[] = {0x06, 0x03, 0x2a, 0x03, 0x04};
    static const uint8_t validity[] = {0x17, 0x01, 'Z', 0x17, 0x01, 'Z'};
    static const uint8_t bits[] = {0x00, 0xaa};
    struct pkt tbs = {.n = 0}, c = {.n = 0};

    tlv(&tbs, 0xa0, v3, sizeof(v3));
    tlv(&tbs, 0x02, serial, sizeof(serial));
    tlv(&tbs, 0x30, alg, sizeof(alg));
    tlv(&tbs, 0x30, issuer->b, issuer->n);
    tlv(&tbs, 0x30, validity, sizeof(validity));
    tlv(&tbs, 0x30, subject->b, subject->n);
    tlv(&tbs, 0x30, alg, sizeof(alg)); /* stands in for subjectPublicKeyInfo */
    tlv(&c, 0x30, tbs.b, tbs.n);
    tlv(&c, 0x30, alg, sizeof(alg));
    tlv(&c, 0x03, bits, sizeof(bits));
    tlv(p, 0x30, c.b, c.n);
}

/* Handshake message: type, 24-bit length, body. */
static void
hs_msg(struct pkt *p, unsigned type, const void *body, size_t n)
{
    put8(p, type);
    put24(p, n);
    putn(p, body, n);
}

/* ServerHello body; tls13 adds supported_versions = 0x0304. */
static void
server_hello(struct pkt *p, bool tls13)
{
    struct pkt b = {.n = 0};

    put16(&b, 0x0303);
    for (int i = 0; i < 32; i++)
        put8(&b, (unsigned)i);
    put8(&b, 0); /* session id */
    put16(&b, tls13 ? 0x1301 : 0xc02f);
    put8(&b, 0);
    if (tls13) {
        put16(&b, 6 + 6);
        put16(&b, 0x0033); /* key_share, dummy */
        put16(&b, 2);
        put16(&b, 0x001d);
        put16(&b, 0x002b);
        put16(&b, 2);
        put16(&b, 0x0304);
    }
    hs_msg(p, 2, b.b, b.n);
}

/* Certificate body from n DER certificates laid end to end in certs. */
static void
cert_msg(struct pkt *p, const struct pkt *certs, const size_t *lens, int n)
{
    struct pkt b = {.n = 0};
    size_t total = 0, off = 0;

    for (int i = 0; i < n; i++)
        total += 3 + lens[i];
    put24(&b, total);
    for (int i = 0; i < n; i++) {
        put24(&b, lens[i]);
        putn(&b, certs->b + off, lens[i]);
        off += lens[i];
    }
    hs_msg(p, 11, b.b, b.n);
}

/* Wrap handshake bytes hs in records of at most frag bytes. */
static void
records(struct pkt *p, unsigned type, const uint8_t *hs, size_t n, size_t frag)
{
    for (size_t off = 0; off < n || (n == 0 && off == 0); off += frag) {
        size_t k = n - off < frag ? n - off : frag;
        put8(p, type);
        put16(p, 0x0303);
        put16(p, (unsigned)k);
        putn(p, hs + off, k);
        if (n == 0)
            break;
    }
}

/* ------------------------------------------------------------ real stream */

static const char WANT_SUBJECT[] =
    "C=CN, O=Huawei, OU=Huawei Network Product Line, CN=OSS Certificate";
static const char WANT_ISSUER[] =
    "C=CN, O=Huawei, OU=Wireless Network Product Line, CN=Huawei Wireless Network Product CA";

#define REAL_LEN 1239
#define REAL_CERT_END 1220 /* end of the record holding the Certificate message */

static uint8_t real[REAL_LEN];

static bool
load_real(void)
{
    const char *srcdir = getenv("srcdir");
    char path[4096];
    FILE *f;
    size_t n;

    if (srcdir == NULL || *srcdir == '\0')
        srcdir = "..";
    snprintf(path, sizeof(path), "%s/tests/data/tls/ftp-start-tls-server.bin", srcdir);
    f = fopen(path, "rb");
    if (f == NULL)
        return false;
    n = fread(real, 1, sizeof(real), f);
    fclose(f);
    return n == REAL_LEN;
}

static bool
emitted_real(const struct rec *r)
{
    return r->n == 2 && r->field[0] == SIG_FIELD_TLS_SUBJECT &&
           strcmp(r->value[0], WANT_SUBJECT) == 0 && r->field[1] == SIG_FIELD_TLS_ISSUER &&
           strcmp(r->value[1], WANT_ISSUER) == 0;
}

static void
test_real(void)
{
    static struct rec r;
    int bad_need = 0, bad_parse = 0;

    if (!ok(load_real(), "real stream: tests/data/tls/ftp-start-tls-server.bin (set srcdir?)"))
        return;
    is_int(need(real, REAL_LEN), 0, "real: whole flight is enough");
    is_int(parse(real, REAL_LEN, &r), 2, "real: two names");
    ok(r.field[0] == SIG_FIELD_TLS_SUBJECT, "real: subject first");
    is_str(r.value[0], WANT_SUBJECT, "real: subject");
    ok(r.field[1] == SIG_FIELD_TLS_ISSUER, "real: issuer second");
    is_str(r.value[1], WANT_ISSUER, "real: issuer");

    /* Every segmentation: the wanted length follows the records
     * (79, 1141 + 79 = 1220); a partial header gives len + 1. */
    for (size_t k = 0; k <= REAL_LEN; k++) {
        long want;
        if (k < 5)
            want = (long)k + 1;
        else if (k < 79)
            want = 79;
        else if (k < 84)
            want = (long)k + 1;
        else if (k < REAL_CERT_END)
            want = REAL_CERT_END;
        else
            want = 0;
        if (need(real, k) != want) {
            if (bad_need++ == 0)
                printf("# need(%zu) = %ld, want %ld\n", k, need(real, k), want);
        }
        int rc = parse(real, k, &r);
        if (k < REAL_CERT_END ? (rc != 0 || r.n != 0) : (rc != 2 || !emitted_real(&r))) {
            if (bad_parse++ == 0)
                printf("# parse(%zu) = %d, %d emitted\n", k, rc, r.n);
        }
    }
    is_int(bad_need, 0, "real: need() right at every prefix length");
    is_int(bad_parse, 0, "real: parse() of every prefix: nothing before the certificate, then all");

    /* The same handshake bytes re-cut into records of every size from 1 to
     * 1200: messages span records, records span the certificate. */
    int bad_frag = 0;
    size_t hs_n = 0;
    static uint8_t hs[REAL_LEN];
    for (size_t off = 0; off + 5 <= REAL_LEN;) {
        size_t rl = ((size_t)real[off + 3] << 8) | real[off + 4];
        memcpy(hs + hs_n, real + off + 5, rl);
        hs_n += rl;
        off += 5 + rl;
    }
    for (size_t frag = 1; frag <= 1200; frag++) {
        g_stream.n = 0;
        records(&g_stream, 22, hs, hs_n, frag);
        /* the Certificate message ends at handshake byte 74 + 1136 */
        /* The message ends at handshake byte 74 + 1136, inside record
         * number recs: complete once that byte is there, before that the
         * end of its record is wanted. */
        size_t cert_end_hs = 74 + 1136, recs = (cert_end_hs + frag - 1) / frag;
        size_t done = recs * 5 + cert_end_hs;
        size_t rec_end = recs * 5 + (recs * frag < hs_n ? recs * frag : hs_n);
        if (need(g_stream.b, g_stream.n) != 0 || need(g_stream.b, done) != 0 ||
            need(g_stream.b, done - 1) != (long)rec_end ||
            parse(g_stream.b, g_stream.n, &r) != 2 || !emitted_real(&r) ||
            parse(g_stream.b, done, &r) != 2 || !emitted_real(&r) ||
            parse(g_stream.b, done - 1, &r) != 0 || r.n != 0) {
            if (bad_frag++ == 0)
                printf("# frag %zu: need(done-1)=%ld rec_end=%zu\n", frag,
                       need(g_stream.b, done - 1), rec_end);
        }
    }
    is_int(bad_frag, 0, "real: records of 1..1200 bytes: same names, complete at the right byte");

    /* The Certificate message alone cut in two records at every byte. */
    int bad_split = 0;
    for (size_t cut = 1; cut < 1136; cut++) {
        g_stream.n = 0;
        records(&g_stream, 22, hs, 74, 74);
        records(&g_stream, 22, hs + 74, cut, cut);
        records(&g_stream, 22, hs + 74 + cut, 1136 - cut, 1136 - cut);
        if (need(g_stream.b, g_stream.n) != 0 ||
            need(g_stream.b, g_stream.n - 1) != (long)g_stream.n ||
            parse(g_stream.b, g_stream.n, &r) != 2 || !emitted_real(&r))
            bad_split++;
    }
    is_int(bad_split, 0, "real: certificate message split over two records at every byte");

    /* An alert record in the middle of the certificate: no more is wanted. */
    g_stream.n = 0;
    records(&g_stream, 22, hs, 74 + 600, 74 + 600);
    put8(&g_stream, 21), put16(&g_stream, 0x0301), put16(&g_stream, 2), put16(&g_stream, 0x0228);
    is_int(need(g_stream.b, g_stream.n), 0, "real: alert inside the certificate -> 0");
    is_int(parse(g_stream.b, g_stream.n, &r), 0, "real: ... and nothing emitted");
    is_int(r.n, 0, "real: ... really nothing");
}

/* ----------------------------------------------------------- crafted cases */

/* ServerHello (TLS 1.2) + Certificate(certs) + ServerHelloDone, one record each. */
static void
flight(struct pkt *out, const struct pkt *certs, const size_t *lens, int n)
{
    g_hs.n = 0;
    server_hello(&g_hs, false);
    records(out, 22, g_hs.b, g_hs.n, 16384);
    g_hs.n = 0;
    cert_msg(&g_hs, certs, lens, n);
    records(out, 22, g_hs.b, g_hs.n, 16384);
    g_hs.n = 0;
    hs_msg(&g_hs, 14, "", 0);
    records(out, 22, g_hs.b, g_hs.n, 16384);
}

static void
test_flow(void)
{
    static struct rec r;
    struct pkt *s = &g_stream;

    /* TLS 1.3: ServerHello, then change_cipher_spec and encrypted records. */
    s->n = g_hs.n = 0;
    server_hello(&g_hs, true);
    records(s, 22, g_hs.b, g_hs.n, 16384);
    is_int(need(s->b, s->n), 0, "tls13: ServerHello alone is enough");
    put8(s, 20), put16(s, 0x0303), put16(s, 1), put8(s, 1);
    put8(s, 23), put16(s, 0x0303), put16(s, 3), put8(s, 1), put8(s, 2), put8(s, 3);
    is_int(need(s->b, s->n), 0, "tls13: with CCS and application data");
    is_int(parse(s->b, s->n, &r), 0, "tls13: no certificate");
    is_int(r.n, 0, "tls13: nothing emitted");

    /* TLS 1.2 ServerHello alone: the certificate may follow. */
    s->n = g_hs.n = 0;
    server_hello(&g_hs, false);
    records(s, 22, g_hs.b, g_hs.n, 16384);
    is_int(need(s->b, s->n), (long)s->n + 1, "tls12: ServerHello alone wants more");
    is_int(parse(s->b, s->n, &r), 0, "tls12: ServerHello alone: nothing");

    /* ... followed by an alert, CCS (resumption) or application data. */
    for (unsigned type = 20; type <= 23; type++) {
        size_t base = s->n;
        put8(s, type), put16(s, 0x0303), put16(s, 2), put16(s, 0x0228);
        is_int(need(s->b, s->n), type == 22 ? (long)s->n + 1 : 0,
               "tls12: ServerHello then record type %u", type);
        is_int(need(s->b, base + 1), type == 22 ? (long)base + 2 : 0,
               "tls12: ServerHello then 1 byte of record type %u", type);
        s->n = base;
    }
    /* ... followed by garbage: stop asking. */
    put8(s, 'x'), put8(s, 3), put8(s, 3), put16(s, 2);
    is_int(need(s->b, s->n), 0, "tls12: ServerHello then garbage record -> 0");

    /* Anonymous or PSK: ServerKeyExchange / ServerHelloDone without a certificate. */
    static const unsigned after[] = {12, 13, 14, 1, 4};
    for (size_t i = 0; i < sizeof(after) / sizeof(after[0]); i++) {
        s->n = g_hs.n = 0;
        server_hello(&g_hs, false);
        hs_msg(&g_hs, after[i], "\x01\x02", 2);
        records(s, 22, g_hs.b, g_hs.n, 16384);
        is_int(need(s->b, s->n), 0, "no certificate: message %u ends the search", after[i]);
        is_int(parse(s->b, s->n, &r), 0, "no certificate: message %u: nothing emitted", after[i]);
    }

    /* Not a handshake record at the start. */
    static const struct {
        const char *d;
        size_t n;
        const char *what;
    } bad[] = {
        {"220 FTP ready\r\n", 15, "FTP text"},
        {"\x15\x03\x03\x00\x02\x02\x28", 7, "alert first"},
        {"\x17\x03\x03\x00\x01\x00", 6, "application data first"},
        {"\x16\x04", 2, "major version 4"},
        {"\x16\x03\x04", 3, "minor version 4"},
        {"\x16\x03\x01\x48\x01", 5, "record length 18433"},
        {"\x16\x03\x01\x49", 4, "record length high byte too big"},
        {"\x16\x02\x00\x00\x04", 5, "SSLv2-ish version"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        is_int(need((const uint8_t *)bad[i].d, bad[i].n), -1, "garbage: %s -> -1", bad[i].what);
        is_int(parse((const uint8_t *)bad[i].d, bad[i].n, &r), -1, "garbage: %s: parse -1",
               bad[i].what);
    }
    is_int(need((const uint8_t *)"\x16\x03\x01\x48\x00", 5), 5 + 18432,
           "record length 18432 is allowed");
    is_int(tls_cert_need(NULL, 0), 1, "empty: one more byte");
    is_int(tls_cert_need(NULL, 10), -1, "NULL data with a length: -1");
    is_int(need((const uint8_t *)"\x16\x03\x00", 3), 4, "SSLv3 header prefix: len + 1");

    /* The cap: a Certificate message bigger than TLS_CERT_STREAM_MAX. */
    static struct pkt certs;
    struct pkt iss = {.n = 0}, sub = {.n = 0};
    RDN(&iss, OID_CN, "Big CA");
    RDN(&sub, OID_CN, "first");
    certs.n = 0;
    cert(&certs, &iss, &sub);
    size_t lens[2] = {certs.n, 40000};
    for (size_t i = 0; i < 40000; i++)
        put8(&certs, 0x30);
    g_hs.n = 0;
    server_hello(&g_hs, false);
    cert_msg(&g_hs, &certs, lens, 2);
    s->n = 0;
    records(s, 22, g_hs.b, g_hs.n, 16384);
    long w = need(s->b, 100), steps = 0;
    while (w > 0 && steps++ < 10)
        w = need(s->b, (size_t)w);
    is_int(w, 0, "cap: the wanted length never passes TLS_CERT_STREAM_MAX");
    ok(steps >= 1 && steps < 10, "cap: reached in a few steps (%ld)", steps);
    is_int(need(s->b, TLS_CERT_STREAM_MAX), 0, "cap: at TLS_CERT_STREAM_MAX bytes -> 0");
    is_int(parse(s->b, TLS_CERT_STREAM_MAX, &r), 2, "cap: certificates there in full still named");
    is_str(r.value[0], "CN=first", "cap: subject of the first");
    is_str(r.value[1], "CN=Big CA", "cap: issuer of the first");
    is_int(parse(s->b, s->n, &r), 2, "cap: input past the cap is not read");
}

/* Build issuer/subject, run one flight through parse, return the rc. */
static int
one_cert(const struct pkt *iss, const struct pkt *sub, struct rec *r)
{
    static struct pkt certs;
    size_t lens[1];

    certs.n = 0;
    cert(&certs, iss, sub);
    lens[0] = certs.n;
    g_stream.n = 0;
    flight(&g_stream, &certs, lens, 1);
    if (need(g_stream.b, g_stream.n) != 0)
        return -100;
    return parse(g_stream.b, g_stream.n, r);
}

static void
test_names(void)
{
    static struct rec r;
    struct pkt iss = {.n = 0}, sub = {.n = 0}, set = {.n = 0};

    /* Every label, certificate order, an unknown attribute skipped. */
    RDN(&sub, OID_C, "CN");
    RDN(&sub, OID_ST, "Guangdong");
    RDN(&sub, OID_L, "Shenzhen");
    RDN(&sub, OID_SERIAL, "12345");
    RDN(&sub, OID_O, "Huawei");
    RDN(&sub, OID_OU, "Enterprise");
    RDN(&sub, OID_CN, "ar.example");
    rdn(&sub, OID_EMAIL, sizeof(OID_EMAIL), 0x16, "a@b.c", 5);
    /* multi-valued RDN: both values, in order */
    atv(&set, OID_OU, sizeof(OID_OU), 0x0c, "x", 1);
    atv(&set, OID_CN, sizeof(OID_CN), 0x0c, "y", 1);
    tlv(&sub, 0x31, set.b, set.n);
    RDN(&iss, OID_CN, "CA");
    RDN(&iss, OID_C, "CN");
    is_int(one_cert(&iss, &sub, &r), 2, "labels: two names");
    is_str(r.value[0],
           "C=CN, ST=Guangdong, L=Shenzhen, O=Huawei, OU=Enterprise, CN=ar.example, "
           "emailAddress=a@b.c, OU=x, CN=y",
           "labels: subject in certificate order, serialNumber skipped");
    is_str(r.value[1], "CN=CA, C=CN", "labels: issuer in certificate order");

    /* String types: BMPString and UTF8String Chinese, T61 Latin-1. */
    iss.n = sub.n = 0;
    rdn(&sub, OID_O, sizeof(OID_O), 0x1e, "\x53\x4e\x4e\x3a\x00\x41", 6); /* 华为A */
    rdn(&sub, OID_OU, sizeof(OID_OU), 0x0c, "\xe5\x8d\x8e", 3);             /* 华 */
    rdn(&sub, OID_L, sizeof(OID_L), 0x14, "Z\xfcrich", 6);                  /* Zürich */
    rdn(&sub, OID_CN, sizeof(OID_CN), 0x1c, "\x00\x01\xf6\x00", 4);        /* U+1F600 */
    RDN(&iss, OID_CN, "CA");
    is_int(one_cert(&iss, &sub, &r), 2, "strings: two names");
    is_str(r.value[0],
           "O=\xe5\x8d\x8e\xe4\xb8\xba"
           "A, OU=\xe5\x8d\x8e, L=Z\xc3\xbcrich, CN=\xf0\x9f\x98\x80",
           "strings: BMP, UTF-8, T61 and Universal converted to UTF-8");

    /* Bad text: invalid UTF-8 replaced, a control character drops the
     * attribute (as nDPI drops non-printable values), odd BMP length. */
    sub.n = 0;
    rdn(&sub, OID_O, sizeof(OID_O), 0x0c, "a\xff" "b", 3);
    rdn(&sub, OID_OU, sizeof(OID_OU), 0x13, "bad\nline", 8);
    rdn(&sub, OID_L, sizeof(OID_L), 0x1e, "\x00\x41\x00", 3);
    rdn(&sub, OID_CN, sizeof(OID_CN), 0x04, "octets", 6); /* not a string type */
    RDN(&sub, OID_ST, "ok");
    is_int(one_cert(&iss, &sub, &r), 2, "bad text: two names");
    is_str(r.value[0], "O=a\xef\xbf\xbd" "b, L=A\xef\xbf\xbd, ST=ok",
           "bad text: U+FFFD for bad bytes; control char and OCTET STRING dropped");

    /* Empty and attribute-less names emit nothing. */
    sub.n = 0;
    RDN(&sub, OID_SERIAL, "1");
    iss.n = 0;
    is_int(one_cert(&iss, &sub, &r), 0, "empty names: nothing");
    is_int(r.n, 0, "empty names: really nothing");

    /* A long name is cut at OBS_VALUE_MAX on a character boundary. */
    static char big[700];
    for (size_t i = 0; i + 3 <= 699; i += 3)
        memcpy(big + i, "\xe5\x8d\x8e", 3);
    sub.n = 0;
    RDN(&sub, OID_C, "CN");
    rdn(&sub, OID_CN, sizeof(OID_CN), 0x0c, big, 699);
    RDN(&sub, OID_O, "after");
    iss.n = 0;
    RDN(&iss, OID_CN, "CA");
    is_int(one_cert(&iss, &sub, &r), 2, "long: two names");
    ok(!r.too_long && r.len[0] <= OBS_VALUE_MAX && r.len[0] > OBS_VALUE_MAX - 3,
       "long: cut within 3 bytes of OBS_VALUE_MAX (%zu)", r.len[0]);
    ok(strncmp(r.value[0], "C=CN, CN=\xe5\x8d\x8e", 12) == 0 && (r.len[0] - 9) % 3 == 0,
       "long: whole characters only");

    /* A chain: subject + issuer of the first, issuer of the next, at most 8. */
    static struct pkt certs;
    size_t lens[10];
    certs.n = 0;
    for (int i = 0; i < 10; i++) {
        char name[8];
        size_t before = certs.n;
        snprintf(name, sizeof(name), "ca%d", i);
        iss.n = sub.n = 0;
        RDN(&iss, OID_CN, name);
        RDN(&sub, OID_CN, i == 0 ? "leaf" : "sub");
        cert(&certs, &iss, &sub);
        lens[i] = certs.n - before;
    }
    g_stream.n = 0;
    flight(&g_stream, &certs, lens, 10);
    is_int(parse(g_stream.b, g_stream.n, &r), 9, "chain of 10: 1 subject + 8 issuers");
    is_str(r.value[0], "CN=leaf", "chain: subject first");
    is_str(r.value[1], "CN=ca0", "chain: then its issuer");
    is_str(r.value[8], "CN=ca7", "chain: eighth certificate's issuer last");
    ok(r.field[0] == SIG_FIELD_TLS_SUBJECT && r.field[1] == SIG_FIELD_TLS_ISSUER &&
           r.field[8] == SIG_FIELD_TLS_ISSUER,
       "chain: fields");
    g_stream.n = 0;
    flight(&g_stream, &certs, lens, 3);
    is_int(parse(g_stream.b, g_stream.n, &r), 4, "chain of 3: 4 names");
    is_str(r.value[3], "CN=ca2", "chain of 3: last issuer");
}

/* Replace the n bytes at the first occurrence of pat in b (same length not
 * required: the tail moves). Length fields around are not fixed up. */
static bool
patch(struct pkt *b, const void *pat, size_t pn, const void *rep, size_t rn)
{
    for (size_t i = 0; i + pn <= b->n; i++) {
        if (memcmp(b->b + i, pat, pn) == 0) {
            memmove(b->b + i + rn, b->b + i + pn, b->n - i - pn);
            memcpy(b->b + i, rep, rn);
            b->n = b->n + rn - pn;
            return true;
        }
    }
    return false;
}

/* Wrap a raw (possibly broken) DER certificate in a flight. */
static int
raw_cert(const struct pkt *c, struct rec *r)
{
    size_t lens[1] = {c->n};

    g_stream.n = 0;
    flight(&g_stream, c, lens, 1);
    return parse(g_stream.b, g_stream.n, r);
}

static void
test_der(void)
{
    static struct rec r;
    static struct pkt good;
    struct pkt iss = {.n = 0}, sub = {.n = 0};

    RDN(&iss, OID_CN, "CA");
    RDN(&sub, OID_CN, "leaf");
    good.n = 0;
    cert(&good, &iss, &sub);
    is_int(raw_cert(&good, &r), 2, "der: the base certificate parses");

    /* Long-form length that is not minimal but right: accepted. */
    g_tmp = good;
    ok(patch(&g_tmp, "\x02\x02\x01\x23", 4, "\x02\x84\x00\x00\x00\x02\x01\x23", 8),
       "der: patch serial to 0x84 form");
    /* the enclosing tbs and certificate lengths grow by 4 */
    g_tmp.b[1] += 4;
    g_tmp.b[3] += 4;
    is_int(raw_cert(&g_tmp, &r), 2, "der: 4-byte long form accepted");

    static const struct {
        const char *pat, *rep;
        size_t pn, rn;
        const char *what;
    } lies[] = {
        {"\x02\x02\x01\x23", "\x02\x84\xff\xff\xff\xff\x01\x23", 4, 8, "serial 0x84 ffffffff"},
        {"\x02\x02\x01\x23", "\x02\x85\x00\x00\x00\x00\x02", 4, 7, "5 length bytes"},
        {"\x02\x02\x01\x23", "\x02\x80\x01\x23\x00\x00", 4, 6, "indefinite length"},
        {"\x02\x02\x01\x23", "\x02\x7f\x01\x23", 4, 4, "serial longer than tbs"},
        {"\x02\x02\x01\x23", "\x1f\x02\x01\x23", 4, 4, "multi-byte tag"},
        {"\x02\x02\x01\x23", "\x04\x02\x01\x23", 4, 4, "serial not an INTEGER"},
        {"\x31\x0b\x30\x09", "\x31\x0c\x30\x09", 4, 4, "RDN SET one byte too long"},
        {"\x30\x09\x06\x03", "\x30\x0a\x06\x03", 4, 4, "attribute longer than its SET"},
        {"\x06\x03\x55\x04\x03\x13\x02", "\x06\x03\x55\x04\x03\x13\x03", 7, 7,
         "value longer than its attribute"},
        {"\x31\x0b\x30\x09", "\x30\x0b\x30\x09", 4, 4, "RDN not a SET"},
    };
    for (size_t i = 0; i < sizeof(lies) / sizeof(lies[0]); i++) {
        g_tmp = good;
        if (!ok(patch(&g_tmp, lies[i].pat, lies[i].pn, lies[i].rep, lies[i].rn),
                "der: patch %s", lies[i].what))
            continue;
        int delta = (int)lies[i].rn - (int)lies[i].pn;
        g_tmp.b[1] = (uint8_t)(g_tmp.b[1] + delta);
        g_tmp.b[3] = (uint8_t)(g_tmp.b[3] + delta);
        is_int(raw_cert(&g_tmp, &r), -1, "der: %s -> -1", lies[i].what);
    }

    /* Length forms on an issuer attribute value, with every container
     * around it right: the subject (read first) stands either way. */
    static const struct {
        const char *raw;
        size_t n;
        int rc;
        const char *what;
    } vals[] = {
        {"\x13\x02" "CA", 4, 2, "short form"},
        {"\x13\x81\x02" "CA", 5, 2, "0x81 form"},
        {"\x13\x84\x00\x00\x00\x02" "CA", 8, 2, "0x84 form, right value"},
        {"\x13\x84\xff\xff\xff\xff" "CA", 8, -1, "0x84 form, 4 GiB"},
        {"\x13\x84\x00\x00\x00\x03" "CA", 8, -1, "0x84 form, one too many"},
        {"\x13\x80" "CA\x00\x00", 6, -1, "indefinite"},
        {"\x13\x85\x00\x00\x00\x00\x02" "CA", 9, -1, "5 length bytes"},
        {"\x13\x84\x00\x00\x02", 5, -1, "length bytes cut"},
    };
    for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
        struct pkt t = {.n = 0}, s = {.n = 0};
        tlv(&t, 0x06, OID_CN, sizeof(OID_CN));
        putn(&t, vals[i].raw, vals[i].n);
        tlv(&s, 0x30, t.b, t.n);
        iss.n = 0;
        tlv(&iss, 0x31, s.b, s.n);
        is_int(one_cert(&iss, &sub, &r), vals[i].rc, "der value: %s", vals[i].what);
        ok(r.n >= 1 && strcmp(r.value[0], "CN=leaf") == 0 &&
               (vals[i].rc == -1 ? r.n == 1 : r.n == 2 && strcmp(r.value[1], "CN=CA") == 0),
           "der value: %s: emitted %d", vals[i].what, r.n);
    }

    /* Outer SEQUENCE claims more than the certificate entry holds. */
    g_tmp = good;
    g_tmp.b[1] += 1;
    is_int(raw_cert(&g_tmp, &r), -1, "der: certificate longer than its entry -> -1");
    is_int(r.n, 0, "der: ... nothing emitted");
    g_tmp = good;
    g_tmp.b[1] = 0x84;
    is_int(raw_cert(&g_tmp, &r), -1, "der: 0x84 on the outer SEQUENCE -> -1");

    /* The second certificate broken: the first one's names stand. */
    static struct pkt two;
    size_t lens[2] = {good.n, 6};
    two = good;
    putn(&two, "\x30\x84\x7f\xff\xff\xff", 6);
    g_stream.n = 0;
    flight(&g_stream, &two, lens, 2);
    is_int(parse(g_stream.b, g_stream.n, &r), -1, "der: broken second certificate -> -1");
    is_int(r.n, 2, "der: ... after the first one's two names");

    /* certificate_list framing: complete messages whose lengths lie. */
    static const struct {
        const char *body;
        size_t n;
        int rc;
        const char *what;
    } lists[] = {
        {"\x00\x00\x10\x00\x00\x01\x30", 7, -1, "list longer than the message"},
        {"\x00\x00\x04\x00\x00\x09\x30", 7, -1, "entry longer than the list"},
        {"\x00\x00\x00", 3, 0, "empty certificate_list"},
        {"\x00\x00", 2, -1, "message shorter than its length field"},
        {"\x00\x00\x00\x00", 4, -1, "a stray byte after the list"},
    };
    for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
        g_stream.n = g_hs.n = 0;
        hs_msg(&g_hs, 11, lists[i].body, lists[i].n);
        records(&g_stream, 22, g_hs.b, g_hs.n, 100);
        is_int(need(g_stream.b, g_stream.n), 0, "list: %s: message complete", lists[i].what);
        is_int(parse(g_stream.b, g_stream.n, &r), lists[i].rc, "list: %s", lists[i].what);
    }
}

int
main(void)
{
    test_real();
    test_flow();
    test_names();
    test_der();
    return done_testing();
}
