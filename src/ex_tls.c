/* ex_tls.c - server certificate names from a TLS 1.0-1.2 handshake seen in
 * the clear after STARTTLS (FTP AUTH TLS, SMTP, IMAP ...), where nDPI has
 * stopped looking.
 *
 * References: RFC 5246 sections 6.2.1 (record layer: type, version,
 * length <= 2^14 + 2048), 7.4 (handshake messages, 24-bit lengths), 7.4.2
 * (Certificate); RFC 8446 section 4.2.1 (supported_versions: a TLS 1.3
 * ServerHello, after which the certificate is encrypted); RFC 5280 section
 * 4.1 (TBSCertificate, Name); ITU-T X.690 section 8.1 (DER TLV).
 *
 * The handshake bytes of the leading run of handshake records are copied
 * into one bounded stack buffer (at most TLS_CERT_STREAM_MAX bytes of input
 * are looked at), so messages split over records and records split over
 * segments read as one stream, with no allocation. The DER walk follows the
 * fixed path Certificate -> tbsCertificate -> Name -> RDN -> attribute, so
 * nesting is bounded by construction; only single-byte tags and definite
 * lengths of at most 4 length bytes are accepted, and every element is
 * checked against its container.
 *
 * Names are formatted as nDPI 4.2 formats issuerDN/subjectDN: "LABEL=value"
 * joined by ", " in certificate order, attributes C ST L O OU CN (plus
 * emailAddress), others skipped, and an attribute whose value holds a
 * control character dropped whole (nDPI drops non-printable values). Unlike
 * nDPI, values are not cut at 63 bytes and non-ASCII text is kept (BMPString
 * and UniversalString converted, T61String read as Latin-1).
 */
#include "telexpose/ex_tls.h"

#include <stdbool.h>
#include <string.h>

#include "telexpose/rd.h"

#define TLS_REC_HANDSHAKE 22
#define TLS_REC_HDR 5
#define TLS_REC_MAX (16384 + 2048) /* TLSCiphertext.length bound, RFC 5246 6.2.3 */

#define HS_HELLO_REQUEST 0
#define HS_CLIENT_HELLO 1
#define HS_SERVER_HELLO 2
#define HS_CERTIFICATE 11
#define HS_SUPPLEMENTAL_DATA 23 /* RFC 4680: may precede Certificate */
#define HS_HDR 4

#define EXT_SUPPORTED_VERSIONS 0x002b
#define TLS13_VERSION 0x0304

#define CERTS_MAX 8

#define DER_INTEGER 0x02
#define DER_OID 0x06
#define DER_UTF8 0x0c
#define DER_NUMERIC 0x12
#define DER_PRINTABLE 0x13
#define DER_T61 0x14
#define DER_IA5 0x16
#define DER_VISIBLE 0x1a
#define DER_UNIVERSAL 0x1c
#define DER_BMP 0x1e
#define DER_SEQUENCE 0x30
#define DER_SET 0x31
#define DER_VERSION 0xa0 /* [0] EXPLICIT, constructed */

#define CP_BAD 0xfffdu /* U+FFFD stands in for an undecodable character */

/* Why the run of handshake records ended. */
enum run_end {
    RUN_SHORT, /* data ends inside a record or its header: more may come */
    RUN_OTHER, /* another content type, a bad header past the first, or the cap */
    RUN_BAD,   /* data does not start with a handshake record */
};

/* What the handshake messages gathered so far say. */
enum hs_state {
    HS_MORE, /* no decision yet */
    HS_CERT, /* the Certificate message is complete */
    HS_NONE, /* the handshake went on, or will go on, without a readable one */
};

/* Handshake bytes of the leading run of handshake records. */
struct hs_run {
    uint8_t buf[TLS_CERT_STREAM_MAX];
    size_t n;    /* bytes in buf */
    size_t want; /* RUN_SHORT: input length that would finish the record seen */
};

/* One formatted Distinguished Name, at most OBS_VALUE_MAX bytes of UTF-8. */
struct dn {
    char b[OBS_VALUE_MAX];
    size_t n;
    bool full; /* a character did not fit: nothing more is added */
};

struct attr_label {
    uint8_t oid[9];
    uint8_t oid_len;
    const char *label;
};

static const struct attr_label attr_labels[] = {
    {.oid = {0x55, 0x04, 0x06}, .oid_len = 3, .label = "C"},
    {.oid = {0x55, 0x04, 0x08}, .oid_len = 3, .label = "ST"},
    {.oid = {0x55, 0x04, 0x07}, .oid_len = 3, .label = "L"},
    {.oid = {0x55, 0x04, 0x0a}, .oid_len = 3, .label = "O"},
    {.oid = {0x55, 0x04, 0x0b}, .oid_len = 3, .label = "OU"},
    {.oid = {0x55, 0x04, 0x03}, .oid_len = 3, .label = "CN"},
    {.oid = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01},
     .oid_len = 9,
     .label = "emailAddress"},
};

/* ------------------------------------------------------------ record layer */

/* True when the n (< 5) header bytes at r could start a handshake record. */
static bool
rec_prefix_ok(struct rd *r, size_t n)
{
    if (n >= 1 && rd_peek_u8(r, 0) != TLS_REC_HANDSHAKE)
        return false;
    if (n >= 2 && rd_peek_u8(r, 1) != 3)
        return false;
    if (n >= 3 && rd_peek_u8(r, 2) > 3)
        return false;
    if (n >= 4 && ((size_t)rd_peek_u8(r, 3) << 8) > TLS_REC_MAX)
        return false;
    return true;
}

/* Copy the payloads of the handshake records at the start of data (the
 * part of a record that is there, when data ends inside it) into run. */
static enum run_end
run_gather(const uint8_t *data, size_t len, struct hs_run *run)
{
    size_t look = len < TLS_CERT_STREAM_MAX ? len : TLS_CERT_STREAM_MAX;
    struct rd r = rd_init(data, look);
    size_t off = 0;

    run->n = 0;
    run->want = 0;
    if (data == NULL && len > 0)
        return RUN_BAD;
    for (;;) {
        size_t left = rd_left(&r);
        if (left < TLS_REC_HDR) {
            if (!rec_prefix_ok(&r, left))
                return off == 0 ? RUN_BAD : RUN_OTHER;
            run->want = len + 1; /* a header's worth would do, but the contract says len + 1 */
            return RUN_SHORT;
        }
        uint8_t type = rd_u8(&r);
        uint8_t major = rd_u8(&r);
        uint8_t minor = rd_u8(&r);
        size_t rlen = rd_be16(&r);
        if (type != TLS_REC_HANDSHAKE || major != 3 || minor > 3 || rlen > TLS_REC_MAX)
            return off == 0 ? RUN_BAD : RUN_OTHER;
        size_t avail = rd_left(&r) < rlen ? rd_left(&r) : rlen;
        /* run->n + avail <= look <= sizeof run->buf: records only shrink the input */
        rd_copy(&r, run->buf + run->n, avail);
        run->n += avail;
        off += TLS_REC_HDR + rlen;
        if (avail < rlen) {
            run->want = off;
            return RUN_SHORT;
        }
    }
}

/* ---------------------------------------------------------- handshake layer */

/* True when the ServerHello body m selects TLS 1.3 (or one of its drafts,
 * 0x7fxx) through supported_versions. */
static bool
hello_is_tls13(struct rd m)
{
    rd_skip(&m, 2 + 32);      /* legacy_version, random */
    rd_skip(&m, rd_u8(&m));   /* session id */
    rd_skip(&m, 2 + 1);       /* cipher suite, compression method */
    if (!rd_has(&m, 2))
        return false; /* no extensions: TLS 1.2 or older */
    if (!rd_limit(&m, rd_be16(&m)))
        return false;
    while (rd_has(&m, 4)) {
        uint16_t type = rd_be16(&m);
        uint16_t elen = rd_be16(&m);
        struct rd e = m;
        if (!rd_limit(&e, elen) || !rd_skip(&m, elen))
            return false;
        if (type == EXT_SUPPORTED_VERSIONS && elen == 2) {
            uint16_t v = rd_be16(&e);
            return v == TLS13_VERSION || (v >> 8) == 0x7f;
        }
    }
    return false;
}

/* Walk the handshake messages in hs[0..n). On HS_CERT, *cert is the whole
 * Certificate body; on HS_MORE with a Certificate message begun, *cert is
 * its part that is there and *partial is set. */
static enum hs_state
hs_scan(const uint8_t *hs, size_t n, struct rd *cert, bool *partial)
{
    struct rd r = rd_init(hs, n);

    *partial = false;
    while (rd_has(&r, HS_HDR)) {
        uint8_t type = rd_u8(&r);
        size_t mlen = rd_be24(&r);
        struct rd m = r;
        if (!rd_has(&r, mlen)) {
            if (type == HS_CERTIFICATE) {
                *cert = m;
                *partial = true;
            }
            return HS_MORE;
        }
        rd_limit(&m, mlen);
        rd_skip(&r, mlen);
        switch (type) {
        case HS_HELLO_REQUEST:
        case HS_SUPPLEMENTAL_DATA:
            break;
        case HS_SERVER_HELLO:
            if (hello_is_tls13(m))
                return HS_NONE;
            break;
        case HS_CERTIFICATE:
            *cert = m;
            return HS_CERT;
        default:
            /* ServerKeyExchange, CertificateRequest, ServerHelloDone come
             * after the certificate; a ClientHello means the wrong
             * direction; anything else is not a server flight. */
            return HS_NONE;
        }
    }
    return HS_MORE;
}

long
tls_cert_need(const uint8_t *data, size_t len)
{
    struct hs_run run;
    struct rd cert;
    bool partial;

    enum run_end end = run_gather(data, len, &run);
    if (end == RUN_BAD)
        return -1;
    if (hs_scan(run.buf, run.n, &cert, &partial) != HS_MORE)
        return 0;
    if (end != RUN_SHORT || run.want > TLS_CERT_STREAM_MAX)
        return 0;
    return (long)run.want;
}

/* ---------------------------------------------------------------- DER walk */

/* Read one TLV from r: its tag and a reader limited to its value. False on
 * a multi-byte tag, an indefinite or over-long length, or a value that runs
 * past r; r is then left in error. */
static bool
der_next(struct rd *r, uint8_t *tag, struct rd *val)
{
    *tag = rd_u8(r);
    uint8_t l = rd_u8(r);
    size_t len = l;

    if (r->err || (*tag & 0x1f) == 0x1f || l == 0x80 || l > 0x84) {
        r->err = true;
        return false;
    }
    if (l & 0x80) {
        len = 0;
        for (unsigned i = 0; i < (l & 0x7fu); i++)
            len = (len << 8) | rd_u8(r);
    }
    *val = *r;
    if (!rd_limit(val, len) || !rd_skip(r, len)) {
        r->err = true;
        return false;
    }
    return true;
}

/* der_next() that also wants a given tag. */
static bool
der_expect(struct rd *r, uint8_t want, struct rd *val)
{
    uint8_t tag;

    if (!der_next(r, &tag, val))
        return false;
    if (tag != want) {
        r->err = true;
        return false;
    }
    return true;
}

/* ------------------------------------------------------------- DN writer */

/* Append code point cp as UTF-8, whole or not at all. */
static void
dn_putc(struct dn *d, uint32_t cp)
{
    char u[4];
    size_t k;

    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        cp = CP_BAD;
    if (cp < 0x80) {
        u[0] = (char)cp;
        k = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xc0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3f));
        k = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xe0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[2] = (char)(0x80 | (cp & 0x3f));
        k = 3;
    } else {
        u[0] = (char)(0xf0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[3] = (char)(0x80 | (cp & 0x3f));
        k = 4;
    }
    if (d->full || sizeof(d->b) - d->n < k) {
        d->full = true;
        return;
    }
    memcpy(d->b + d->n, u, k);
    d->n += k;
}

static void
dn_puts(struct dn *d, const char *s)
{
    for (; *s != '\0'; s++)
        dn_putc(d, (uint8_t)*s);
}

/* Next code point of a UTF-8 string; a malformed sequence gives CP_BAD and
 * consumes its first byte only. */
static uint32_t
utf8_next(struct rd *v)
{
    uint8_t b = rd_u8(v);
    unsigned more;
    uint32_t cp, min;

    if (b < 0x80)
        return b;
    if (b >= 0xc2 && b <= 0xdf) {
        more = 1, cp = b & 0x1fu, min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
        more = 2, cp = b & 0x0fu, min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
        more = 3, cp = b & 0x07u, min = 0x10000;
    } else {
        return CP_BAD;
    }
    for (unsigned i = 0; i < more; i++) {
        if (!rd_has(v, i + 1) || (rd_peek_u8(v, i) & 0xc0) != 0x80)
            return CP_BAD;
        cp = (cp << 6) | (rd_peek_u8(v, i) & 0x3fu);
    }
    rd_skip(v, more);
    return cp < min ? CP_BAD : cp;
}

/* Append one attribute value of string type tag. False when the value
 * holds a control character (the caller drops the attribute) or the type
 * is not a string. */
static bool
dn_put_value(struct dn *d, uint8_t tag, struct rd v)
{
    while (rd_left(&v) > 0) {
        uint32_t cp;
        switch (tag) {
        case DER_UTF8:
        case DER_NUMERIC:
        case DER_PRINTABLE:
        case DER_IA5:
        case DER_VISIBLE:
            /* many certificates carry UTF-8 in the ASCII types too */
            cp = utf8_next(&v);
            break;
        case DER_T61:
            cp = rd_u8(&v); /* in practice Latin-1 */
            break;
        case DER_BMP:
            /* UCS-2; a lone odd byte at the end is a broken character */
            if (rd_has(&v, 2)) {
                cp = rd_be16(&v);
            } else {
                rd_skip(&v, rd_left(&v));
                cp = CP_BAD;
            }
            break;
        case DER_UNIVERSAL:
            if (rd_has(&v, 4)) {
                cp = rd_be32(&v);
            } else {
                rd_skip(&v, rd_left(&v));
                cp = CP_BAD;
            }
            break;
        default:
            return false;
        }
        if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
            return false;
        dn_putc(d, cp);
    }
    return true;
}

/* Label of attribute type oid, or NULL for one nDPI does not show. */
static const char *
attr_label(struct rd oid)
{
    uint8_t b[sizeof(attr_labels[0].oid)];
    size_t n = rd_left(&oid);

    if (n > sizeof(b) || !rd_copy(&oid, b, n))
        return NULL;
    for (size_t i = 0; i < sizeof(attr_labels) / sizeof(attr_labels[0]); i++)
        if (attr_labels[i].oid_len == n && memcmp(attr_labels[i].oid, b, n) == 0)
            return attr_labels[i].label;
    return NULL;
}

/* Format Name (the SEQUENCE OF RelativeDistinguishedName body) into d.
 * False when its DER is malformed. */
static bool
dn_format(struct dn *d, struct rd name)
{
    struct rd set, atv, oid, val;
    uint8_t tag;

    d->n = 0;
    d->full = false;
    while (rd_left(&name) > 0) {
        if (!der_expect(&name, DER_SET, &set))
            return false;
        while (rd_left(&set) > 0) {
            if (!der_expect(&set, DER_SEQUENCE, &atv) || !der_expect(&atv, DER_OID, &oid) ||
                !der_next(&atv, &tag, &val))
                return false;
            const char *label = attr_label(oid);
            if (label == NULL || d->full)
                continue;
            size_t mark = d->n;
            if (d->n > 0)
                dn_puts(d, ", ");
            dn_puts(d, label);
            dn_putc(d, '=');
            if (d->full) {
                d->n = mark; /* no dangling label: cut before it */
            } else if (!dn_put_value(d, tag, val)) {
                d->n = mark;
                d->full = false; /* what did not fit is gone again */
            }
        }
    }
    return true;
}

/* ------------------------------------------------------------ certificates */

struct emitter {
    const struct obs_sink *sink;
    int emitted;
};

static void
emit_dn(struct emitter *e, enum sig_field field, const struct dn *d)
{
    if (d->n == 0)
        return;
    obs_emit(e->sink, field, d->b, d->n);
    e->emitted++;
}

/* Emit the names of one DER certificate: subject and issuer of the
 * first (index 0), the issuer of the others. False when malformed. */
static bool
cert_names(struct rd cert, unsigned index, struct emitter *e)
{
    struct rd c, tbs, skip, issuer, subject;
    struct dn d;

    if (!der_expect(&cert, DER_SEQUENCE, &c) || !der_expect(&c, DER_SEQUENCE, &tbs))
        return false;
    if (rd_has(&tbs, 1) && rd_peek_u8(&tbs, 0) == DER_VERSION &&
        !der_expect(&tbs, DER_VERSION, &skip))
        return false;
    if (!der_expect(&tbs, DER_INTEGER, &skip) ||     /* serialNumber */
        !der_expect(&tbs, DER_SEQUENCE, &skip) ||    /* signature */
        !der_expect(&tbs, DER_SEQUENCE, &issuer) ||  /* issuer */
        !der_expect(&tbs, DER_SEQUENCE, &skip) ||    /* validity */
        !der_expect(&tbs, DER_SEQUENCE, &subject))   /* subject */
        return false;
    if (index == 0) {
        if (!dn_format(&d, subject))
            return false;
        emit_dn(e, SIG_FIELD_TLS_SUBJECT, &d);
    }
    if (!dn_format(&d, issuer))
        return false;
    emit_dn(e, SIG_FIELD_TLS_ISSUER, &d);
    return true;
}

int
tls_cert_parse(const uint8_t *data, size_t len, const struct obs_sink *sink)
{
    struct hs_run run;
    struct emitter e = {sink, 0};
    struct rd cert, list;
    bool partial;

    if (run_gather(data, len, &run) == RUN_BAD)
        return -1;
    enum hs_state st = hs_scan(run.buf, run.n, &cert, &partial);
    if (st == HS_NONE || (st == HS_MORE && !partial))
        return 0;
    /* A Certificate message cut by the cap or the capture still yields the
     * certificates that are there in full. */
    size_t list_len = rd_be24(&cert);
    list = cert;
    if (!rd_limit(&list, list_len)) {
        if (!partial)
            return -1;
        list = cert;
        list.err = false;
    } else if (!partial && rd_left(&cert) != list_len) {
        return -1; /* trailing bytes after certificate_list */
    }
    for (unsigned i = 0; i < CERTS_MAX && rd_has(&list, 3); i++) {
        size_t clen = rd_be24(&list);
        struct rd one = list;
        if (!rd_limit(&one, clen))
            return partial ? e.emitted : -1;
        rd_skip(&list, clen);
        if (!cert_names(one, i, &e))
            return -1;
    }
    if (!partial && rd_left(&list) > 0 && rd_left(&list) < 3)
        return -1; /* a stray byte or two after the last certificate */
    return e.emitted;
}
