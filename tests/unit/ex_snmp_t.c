/* ex_snmp_t.c - unit tests for snmp_parse(): v1/v2c varbinds, v3 engine ids,
 * every length form and fault.
 *
 * Reference: include/telexpose/ex_snmp.h (contract), X.690, RFC 3416,
 * RFC 3412/3414, RFC 3411 section 5. Messages are built with the small BER
 * writer below (each call's comment gives the readable content) or taken
 * from /work/shared/pcaps/mixed/snmp.pcap; each parse runs on an exact-size
 * heap copy so AddressSanitizer catches any read past the datagram.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* OIDs of 128 arcs are checked whole, before the sink's cut. */
#define REC_VALUE_CAP 2047
#include "ex_test_sink.h"
#include "tap.h"
#include "telexpose/ex_snmp.h"

/* snmp_parse on an exact-size heap copy, recording into *r. */
static int
parse(const void *msg, size_t len, struct snmp_info *info, struct rec *r)
{
    struct obs_sink sink = rec_sink(r);
    uint8_t *copy = dup_bytes(msg, len);
    int rc = snmp_parse(copy, len, info, &sink);

    free(copy);
    return rc;
}

/* ----------------------------------------------------------- BER writer */

struct buf {
    uint8_t b[4096];
    size_t n;
};

/* Length bytes forced into long form with this many bytes (0: minimal). */
static unsigned long_form;

static struct buf
raw(const void *p, size_t n)
{
    struct buf o;

    memcpy(o.b, p, n);
    o.n = n;
    return o;
}

/* The concatenation of n bufs. */
static struct buf
cat(int n, ...)
{
    struct buf o = {.n = 0};
    va_list ap;

    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        struct buf x = va_arg(ap, struct buf);

        memcpy(o.b + o.n, x.b, x.n);
        o.n += x.n;
    }
    va_end(ap);
    return o;
}

static struct buf
tlv(uint8_t tag, struct buf c)
{
    struct buf o = {.n = 0};
    unsigned k = long_form;

    o.b[o.n++] = tag;
    if (k == 0 && c.n < 128) {
        o.b[o.n++] = (uint8_t)c.n;
    } else {
        unsigned need = c.n < 256 ? 1 : 2;

        if (k < need)
            k = need; /* the forced form cannot hold this length */
        o.b[o.n++] = (uint8_t)(0x80 | k);
        for (unsigned i = k; i-- > 0;)
            o.b[o.n++] = i < sizeof(size_t) ? (uint8_t)(c.n >> (8 * i)) : 0;
    }
    memcpy(o.b + o.n, c.b, c.n);
    o.n += c.n;
    return o;
}

static struct buf
seq(struct buf c)
{
    return tlv(0x30, c);
}

static struct buf
octets(const char *s)
{
    return tlv(0x04, raw(s, strlen(s)));
}

static struct buf
integer(uint32_t v)
{
    uint8_t b[5];
    size_t n = 0;
    int start = 3;

    while (start > 0 && ((v >> (8 * start)) & 0xff) == 0)
        start--;
    if ((v >> (8 * start)) & 0x80)
        b[n++] = 0;
    for (int i = start; i >= 0; i--)
        b[n++] = (uint8_t)(v >> (8 * i));
    return tlv(0x02, raw(b, n));
}

/* OBJECT IDENTIFIER contents of a dotted string. */
static struct buf
oid_body(const char *dotted)
{
    uint32_t arcs[200];
    size_t na = 0;
    struct buf o = {.n = 0};
    const char *s = dotted;

    while (*s) {
        arcs[na++] = (uint32_t)strtoul(s, (char **)&s, 10);
        if (*s == '.')
            s++;
    }
    for (size_t i = 1; i < na; i++) {
        uint32_t v = i == 1 ? arcs[0] * 40 + arcs[1] : arcs[i];
        uint8_t tmp[5];
        int k = 0;

        do {
            tmp[k++] = v & 0x7f;
            v >>= 7;
        } while (v);
        while (k-- > 0)
            o.b[o.n++] = (uint8_t)(tmp[k] | (k ? 0x80 : 0));
    }
    return o;
}

static struct buf
oid(const char *dotted)
{
    return tlv(0x06, oid_body(dotted));
}

static struct buf
varbind(const char *name, struct buf value)
{
    return seq(cat(2, oid(name), value));
}

/* A v1/v2c message: version, community "public", PDU with the usual
 * request-id 0x1234 / error-status 0 / error-index 0 and varbinds. */
static struct buf
msg_v12(uint32_t version, uint8_t pdu_tag, struct buf varbinds)
{
    return seq(cat(3, integer(version), octets("public"),
                   tlv(pdu_tag, cat(4, integer(0x1234), integer(0), integer(0), seq(varbinds)))));
}

/* A v3 message with msgSecurityModel model and this authoritative engine
 * id; the scoped PDU is a plaintext empty GetRequest. */
static struct buf
msg_v3(uint32_t model, const uint8_t *engine, size_t elen)
{
    struct buf usm = seq(cat(6, tlv(0x04, raw(engine, elen)), integer(0), integer(0),
                             octets(""), octets(""), octets("")));
    uint8_t flags = 0x04; /* reportable */

    return seq(cat(4, integer(3),
                   seq(cat(4, integer(0x6c9af56e), integer(65507), tlv(0x04, raw(&flags, 1)),
                           integer(model))),
                   tlv(0x04, usm),
                   seq(cat(3, octets(""), octets(""),
                           tlv(0xa0, cat(4, integer(1), integer(0), integer(0),
                                         seq(raw("", 0))))))));
}

#define SYSDESCR "1.3.6.1.2.1.1.1.0"
#define SYSOBJECTID "1.3.6.1.2.1.1.2.0"
#define SYSNAME "1.3.6.1.2.1.1.5.0"
#define SYSUPTIME "1.3.6.1.2.1.1.3.0"

static const char HUAWEI_DESCR[] =
    "Huawei Versatile Routing Platform Software\r\n"
    "VRP (R) software, Version 8.180 (CE6857EI V200R005C10SPC800)\r\n"
    "Copyright (C) 2012-2018 Huawei Technologies Co., Ltd.\r\n"
    "HUAWEI CE6857-48S6CQ-EI";

/* The Huawei switch's answer to a walk of the system group (v2c). */
static struct buf
huawei_response(void)
{
    return msg_v12(1, 0xa2,
                   cat(4, varbind(SYSDESCR, octets(HUAWEI_DESCR)),
                       varbind(SYSOBJECTID, oid("1.3.6.1.4.1.2011.2.239.59")),
                       varbind(SYSUPTIME, tlv(0x43, raw("\x01\x02\x03", 3))),
                       varbind(SYSNAME, octets("HUAWEI"))));
}

/* ------------------------------------------------- real pcap messages */

/* From /work/shared/pcaps/mixed/snmp.pcap (UDP payloads). Frame 2: v1
 * GetResponse, "public", sysLocation.0 (1.3.6.1.2.1.1.6.0) =
 * "GlobomanticsHQ". */
static const uint8_t pcap_frame2[] = {
    0x30, 0x37, 0x02, 0x01, 0x00, 0x04, 0x06, 0x70, 0x75, 0x62, 0x6c, 0x69,
    0x63, 0xa2, 0x2a, 0x02, 0x04, 0x4b, 0x78, 0x1a, 0x6e, 0x02, 0x01, 0x00,
    0x02, 0x01, 0x00, 0x30, 0x1c, 0x30, 0x1a, 0x06, 0x08, 0x2b, 0x06, 0x01,
    0x02, 0x01, 0x01, 0x06, 0x00, 0x04, 0x0e, 0x47, 0x6c, 0x6f, 0x62, 0x6f,
    0x6d, 0x61, 0x6e, 0x74, 0x69, 0x63, 0x73, 0x48, 0x51,
};

/* Frame 4: v1 GetResponse, "public", sysName.0 = "R1.lab.local". */
static const uint8_t pcap_frame4[] = {
    0x30, 0x35, 0x02, 0x01, 0x00, 0x04, 0x06, 0x70, 0x75, 0x62, 0x6c, 0x69,
    0x63, 0xa2, 0x28, 0x02, 0x04, 0x4b, 0x78, 0x1a, 0x6f, 0x02, 0x01, 0x00,
    0x02, 0x01, 0x00, 0x30, 0x1a, 0x30, 0x18, 0x06, 0x08, 0x2b, 0x06, 0x01,
    0x02, 0x01, 0x01, 0x05, 0x00, 0x04, 0x0c, 0x52, 0x31, 0x2e, 0x6c, 0x61,
    0x62, 0x2e, 0x6c, 0x6f, 0x63, 0x61, 0x6c,
};

/* Frame 17: v3 discovery GetRequest, empty engine id and user, flags
 * reportable, empty varbind list. */
static const uint8_t pcap_frame17[] = {
    0x30, 0x3e, 0x02, 0x01, 0x03, 0x30, 0x11, 0x02, 0x04, 0x6c, 0x9a, 0xf5,
    0x6e, 0x02, 0x03, 0x00, 0xff, 0xe3, 0x04, 0x01, 0x04, 0x02, 0x01, 0x03,
    0x04, 0x10, 0x30, 0x0e, 0x04, 0x00, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00,
    0x04, 0x00, 0x04, 0x00, 0x04, 0x00, 0x30, 0x14, 0x04, 0x00, 0x04, 0x00,
    0xa0, 0x0e, 0x02, 0x04, 0x75, 0x05, 0x58, 0x88, 0x02, 0x01, 0x00, 0x02,
    0x01, 0x00, 0x30, 0x00,
};

/* Frame 18: v3 Report, authoritative engine id 80 00 00 09 03 00 aa bb cc
 * 00 01 00 (RFC 3411 form, PEN 9), usmStatsUnknownEngineIDs.0 = 1. */
static const uint8_t pcap_frame18[] = {
    0x30, 0x67, 0x02, 0x01, 0x03, 0x30, 0x10, 0x02, 0x04, 0x6c, 0x9a, 0xf5,
    0x6e, 0x02, 0x02, 0x05, 0xdc, 0x04, 0x01, 0x00, 0x02, 0x01, 0x03, 0x04,
    0x1d, 0x30, 0x1b, 0x04, 0x0c, 0x80, 0x00, 0x00, 0x09, 0x03, 0x00, 0xaa,
    0xbb, 0xcc, 0x00, 0x01, 0x00, 0x02, 0x01, 0x0c, 0x02, 0x02, 0x02, 0xcd,
    0x04, 0x00, 0x04, 0x00, 0x04, 0x00, 0x30, 0x31, 0x04, 0x0c, 0x80, 0x00,
    0x00, 0x09, 0x03, 0x00, 0xaa, 0xbb, 0xcc, 0x00, 0x01, 0x00, 0x04, 0x00,
    0xa8, 0x1f, 0x02, 0x04, 0x75, 0x05, 0x58, 0x88, 0x02, 0x01, 0x00, 0x02,
    0x01, 0x00, 0x30, 0x11, 0x30, 0x0f, 0x06, 0x0a, 0x2b, 0x06, 0x01, 0x06,
    0x03, 0x0f, 0x01, 0x01, 0x04, 0x00, 0x41, 0x01, 0x01,
};

/* Frame 22: v3 noAuthNoPriv GetResponse, user "NOAUTHNOPRIV", plaintext
 * scoped PDU with sysName.0 = "R1.lab.local" (not read: contract). */
static const uint8_t pcap_frame22[] = {
    0x30, 0x7c, 0x02, 0x01, 0x03, 0x30, 0x10, 0x02, 0x04, 0x6c, 0x9a, 0xf5,
    0x6f, 0x02, 0x02, 0x05, 0xdc, 0x04, 0x01, 0x00, 0x02, 0x01, 0x03, 0x04,
    0x29, 0x30, 0x27, 0x04, 0x0c, 0x80, 0x00, 0x00, 0x09, 0x03, 0x00, 0xaa,
    0xbb, 0xcc, 0x00, 0x01, 0x00, 0x02, 0x01, 0x0c, 0x02, 0x02, 0x02, 0xcd,
    0x04, 0x0c, 0x4e, 0x4f, 0x41, 0x55, 0x54, 0x48, 0x4e, 0x4f, 0x50, 0x52,
    0x49, 0x56, 0x04, 0x00, 0x04, 0x00, 0x30, 0x3a, 0x04, 0x0c, 0x80, 0x00,
    0x00, 0x09, 0x03, 0x00, 0xaa, 0xbb, 0xcc, 0x00, 0x01, 0x00, 0x04, 0x00,
    0xa2, 0x28, 0x02, 0x04, 0x75, 0x05, 0x58, 0x89, 0x02, 0x01, 0x00, 0x02,
    0x01, 0x00, 0x30, 0x1a, 0x30, 0x18, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02,
    0x01, 0x01, 0x05, 0x00, 0x04, 0x0c, 0x52, 0x31, 0x2e, 0x6c, 0x61, 0x62,
    0x2e, 0x6c, 0x6f, 0x63, 0x61, 0x6c,
};


/* ------------------------------------------------------------------ tests */

static void
test_huawei_v2c(void)
{
    struct buf m = huawei_response();
    struct snmp_info info;
    struct rec r;
    int rc = parse(m.b, m.n, &info, &r);
    bool all_short = true;

    is_int(rc, 3, "Huawei v2c GetResponse: three observations");
    ok(rec_is(&r, 0, SIG_FIELD_SNMP_SYSDESCR, HUAWEI_DESCR), "sysDescr exact, CR LF kept");
    ok(rec_is(&r, 1, SIG_FIELD_SNMP_SYSOBJECTID, "1.3.6.1.4.1.2011.2.239.59"),
       "sysObjectID dotted, no leading dot");
    ok(rec_is(&r, 2, SIG_FIELD_SNMP_SYSNAME, "HUAWEI"), "sysName");
    is_int(info.version, 1, "version v2c");
    is_int(info.pdu_type, 2, "pdu GetResponse");
    ok(info.has_community, "community seen");

    /* The outer SEQUENCE runs past every proper prefix: refused whole. */
    for (size_t cut = 0; cut < m.n; cut++) {
        rc = parse(m.b, cut, &info, &r);
        if (rc != -1 || r.n != 0)
            all_short = false;
    }
    ok(all_short, "every truncation returns -1 and emits nothing");

    rc = snmp_parse(m.b, m.n, NULL, NULL);
    is_int(rc, 3, "NULL info and NULL sink are fine");
    is_int(snmp_parse(NULL, 10, &info, NULL), -1, "NULL message is -1");
    {
        struct buf t = cat(2, m, raw("\0\0\0", 3));

        is_int(parse(t.b, t.n, &info, &r), 3, "trailing bytes after the message are ignored");
    }
}

static void
test_long_form(void)
{
    struct snmp_info info;
    struct rec r;
    struct buf m;

    for (unsigned k = 1; k <= 4; k++) {
        long_form = k;
        m = huawei_response();
        long_form = 0;
        is_int(parse(m.b, m.n, &info, &r), 3, "every length in %u-byte long form", k);
        ok(rec_is(&r, 2, SIG_FIELD_SNMP_SYSNAME, "HUAWEI"), "  sysName still read (%u)", k);
    }
    long_form = 5;
    m = huawei_response();
    long_form = 0;
    is_int(parse(m.b, m.n, &info, &r), -1, "5-byte long form is refused");

    /* 30 80 ... 00 00: indefinite length (BER, never SNMP). */
    m = huawei_response();
    m.b[1] = 0x80;
    is_int(parse(m.b, m.n, &info, &r), -1, "indefinite length is refused");
    /* 30 84 ff ff ff ff: a 4 GB length in a small datagram. */
    {
        static const uint8_t huge[] = {0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x02, 0x01, 0x01};

        is_int(parse(huge, sizeof(huge), &info, &r), -1, "4 GB length is refused");
    }
    /* 3f 01 ..: a multi-byte tag. */
    m = huawei_response();
    m.b[0] = 0x3f;
    is_int(parse(m.b, m.n, &info, &r), -1, "multi-byte tag is refused");
}

static void
test_inner_faults(void)
{
    struct snmp_info info;
    struct rec r;
    struct buf m;
    static const uint8_t bad_vb[] = {0x30, 0x7f, 0x06, 0x01, 0x2b}; /* SEQUENCE of 127, 3 there */

    /* sysName, sysDescr, then a varbind longer than the list: -1, the
     * first two stay emitted. */
    m = msg_v12(1, 0xa2,
                cat(3, varbind(SYSNAME, octets("sw1")), varbind(SYSDESCR, octets("ZXR10 5960")),
                    raw(bad_vb, sizeof(bad_vb))));
    is_int(parse(m.b, m.n, &info, &r), -1, "varbind past its list: -1");
    is_int(r.n, 2, "  what came before stays emitted");
    ok(rec_is(&r, 1, SIG_FIELD_SNMP_SYSDESCR, "ZXR10 5960"), "  sysDescr before the fault");

    /* Community length past the message. */
    {
        static const uint8_t m2[] = {0x30, 0x08, 0x02, 0x01, 0x01, 0x04, 0x09, 'p', 'u', 'b', 'l'};

        is_int(parse(m2, sizeof(m2), &info, &r), -1, "community past the message: -1");
    }
    /* Version not an INTEGER, version negative. */
    {
        static const uint8_t m3[] = {0x30, 0x03, 0x04, 0x01, 0x01};
        static const uint8_t m4[] = {0x30, 0x03, 0x02, 0x01, 0xff};
        static const uint8_t m5[] = {0x30, 0x02, 0x02, 0x00};

        is_int(parse(m3, sizeof(m3), &info, &r), -1, "version as OCTET STRING: -1");
        is_int(parse(m4, sizeof(m4), &info, &r), -1, "negative version: -1");
        is_int(parse(m5, sizeof(m5), &info, &r), -1, "empty INTEGER: -1");
    }
    /* PDU with a universal tag, and context tag 9 (no such PDU). */
    m = seq(cat(3, integer(1), octets("public"), seq(raw("", 0))));
    is_int(parse(m.b, m.n, &info, &r), -1, "PDU that is a SEQUENCE: -1");
    m = msg_v12(1, 0xa9, varbind(SYSNAME, octets("x")));
    is_int(parse(m.b, m.n, &info, &r), -1, "context tag 9: -1");
    /* Version 2 (SNMPv2u drafts): well-formed, not read. */
    m = msg_v12(2, 0xa2, varbind(SYSNAME, octets("x")));
    is_int(parse(m.b, m.n, &info, &r), 0, "version 2: 0");
    is_int(info.version, -1, "  version unknown");
    is_int(r.n, 0, "  nothing emitted");
    /* Varbind list missing after error-index. */
    m = seq(cat(3, integer(0), octets("public"),
                tlv(0xa2, cat(3, integer(1), integer(0), integer(0)))));
    is_int(parse(m.b, m.n, &info, &r), -1, "response without varbinds: -1");
    /* A varbind whose name is not an OID. */
    m = msg_v12(1, 0xa2, seq(cat(2, octets("1.3.6"), octets("x"))));
    is_int(parse(m.b, m.n, &info, &r), -1, "varbind name not an OID: -1");
    /* A varbind with a name but no value. */
    m = msg_v12(1, 0xa2, seq(oid(SYSNAME)));
    is_int(parse(m.b, m.n, &info, &r), -1, "varbind without value: -1");
}

static void
test_pdus(void)
{
    struct snmp_info info;
    struct rec r;
    struct buf m;
    static const uint8_t agent[] = {0x0a, 0x00, 0x00, 0x01};

    /* v1 Trap from a ZTE switch: enterprise 1.3.6.1.4.1.3902, agent
     * 10.0.0.1, enterpriseSpecific(6)/1, uptime, sysName + sysObjectID. */
    m = seq(cat(3, integer(0), octets("public"),
                tlv(0xa4, cat(6, oid("1.3.6.1.4.1.3902"), tlv(0x40, raw(agent, 4)), integer(6),
                              integer(1), tlv(0x43, raw("\x10\x20", 2)),
                              seq(cat(2, varbind(SYSNAME, octets("ZXR10-core")),
                                      varbind(SYSOBJECTID, oid("1.3.6.1.4.1.3902.3.100.51"))))))));
    is_int(parse(m.b, m.n, &info, &r), 2, "v1 Trap: two observations");
    ok(rec_is(&r, 0, SIG_FIELD_SNMP_SYSNAME, "ZXR10-core"), "  sysName");
    ok(rec_is(&r, 1, SIG_FIELD_SNMP_SYSOBJECTID, "1.3.6.1.4.1.3902.3.100.51"), "  sysObjectID");
    is_int(info.version, 0, "  version v1");
    is_int(info.pdu_type, 4, "  pdu Trap");
    /* The same trap cut after timestamp: no varbind list. */
    m = seq(cat(3, integer(0), octets("public"),
                tlv(0xa4, cat(4, oid("1.3.6.1.4.1.3902"), tlv(0x40, raw(agent, 4)), integer(6),
                              integer(1)))));
    is_int(parse(m.b, m.n, &info, &r), -1, "v1 Trap missing fields: -1");

    /* SNMPv2-Trap: sysUpTime.0, snmpTrapOID.0 (coldStart), sysDescr. */
    m = msg_v12(1, 0xa7,
                cat(3, varbind(SYSUPTIME, tlv(0x43, raw("\x05", 1))),
                    varbind("1.3.6.1.6.3.1.1.4.1.0", oid("1.3.6.1.6.3.1.1.5.1")),
                    varbind(SYSDESCR, octets("ZXR10 ROS Version V4.08.23"))));
    is_int(parse(m.b, m.n, &info, &r), 1, "SNMPv2-Trap: sysDescr only");
    ok(rec_is(&r, 0, SIG_FIELD_SNMP_SYSDESCR, "ZXR10 ROS Version V4.08.23"), "  value");
    is_int(info.pdu_type, 7, "  pdu SNMPv2-Trap");

    m = msg_v12(1, 0xa6, varbind(SYSNAME, octets("olt-1")));
    is_int(parse(m.b, m.n, &info, &r), 1, "InformRequest is read");
    is_int(info.pdu_type, 6, "  pdu Inform");

    /* Requests: names only, values NULL; nothing emitted, info filled. */
    m = msg_v12(1, 0xa0, cat(2, varbind(SYSDESCR, tlv(0x05, raw("", 0))),
                             varbind(SYSNAME, tlv(0x05, raw("", 0)))));
    is_int(parse(m.b, m.n, &info, &r), 0, "GetRequest: 0");
    is_int(r.n, 0, "  nothing emitted");
    ok(info.version == 1 && info.pdu_type == 0 && info.has_community,
       "  info: v2c, get, community");
    m = msg_v12(0, 0xa1, varbind(SYSNAME, tlv(0x05, raw("", 0))));
    is_int(parse(m.b, m.n, &info, &r), 0, "GetNextRequest: 0");
    is_int(info.pdu_type, 1, "  pdu GetNext");
    /* SetRequest carries a value, but it is the manager's. */
    m = msg_v12(1, 0xa3, varbind(SYSNAME, octets("evil")));
    is_int(parse(m.b, m.n, &info, &r), 0, "SetRequest value not emitted");
    /* Report in v2c: not read. */
    m = msg_v12(1, 0xa8, varbind(SYSNAME, octets("x")));
    is_int(parse(m.b, m.n, &info, &r), 0, "v2c Report not read");
    is_int(info.pdu_type, 8, "  pdu Report");

    /* Exceptions and wrong types: skipped, not faults. */
    m = msg_v12(1, 0xa2,
                cat(4, varbind(SYSDESCR, tlv(0x80, raw("", 0))),
                    varbind(SYSOBJECTID, octets("1.3.6.1.4.1.2011")),
                    varbind(SYSNAME, octets("")),
                    varbind("1.3.6.1.2.1.1.5.0.1", octets("not sysName"))));
    is_int(parse(m.b, m.n, &info, &r), 0, "noSuchObject, wrong types, empty, longer OID: 0");
    m = msg_v12(1, 0xa2, varbind("1.3.6.1.2.1.1.5", octets("no instance")));
    is_int(parse(m.b, m.n, &info, &r), 0, "sysName without .0 is not sysName.0");
}

static void
test_oids(void)
{
    struct snmp_info info;
    struct rec r;
    struct buf m, v;
    char want[2048];
    size_t off = 0;

    /* 2.999.1: first sub-identifier 1079 (88 37) spans two bytes. */
    m = msg_v12(1, 0xa2, varbind(SYSOBJECTID, oid("2.999.1")));
    is_int(parse(m.b, m.n, &info, &r), 1, "OID under joint-iso-itu-t");
    ok(rec_is(&r, 0, SIG_FIELD_SNMP_SYSOBJECTID, "2.999.1"), "  2.999.1");
    m = msg_v12(1, 0xa2, varbind(SYSOBJECTID, oid("0.0")));
    parse(m.b, m.n, &info, &r);
    ok(rec_is(&r, 0, SIG_FIELD_SNMP_SYSOBJECTID, "0.0"), "0.0 (single zero byte)");
    m = msg_v12(1, 0xa2, varbind(SYSOBJECTID, oid("1.39")));
    parse(m.b, m.n, &info, &r);
    ok(rec_is(&r, 0, SIG_FIELD_SNMP_SYSOBJECTID, "1.39"), "1.39 (byte 79)");

    /* Largest 32-bit sub-identifier: 8f ff ff ff 7f. */
    m = msg_v12(1, 0xa2, varbind(SYSOBJECTID, oid("1.3.4294967295")));
    is_int(parse(m.b, m.n, &info, &r), 1, "sub-identifier 2^32-1 accepted");
    ok(rec_is(&r, 0, SIG_FIELD_SNMP_SYSOBJECTID, "1.3.4294967295"), "  value");
    /* 2^32: 90 80 80 80 00. The earlier sysName stays. */
    v = raw("\x2b\x90\x80\x80\x80\x00", 6);
    m = msg_v12(1, 0xa2, cat(2, varbind(SYSNAME, octets("a")), varbind(SYSOBJECTID, tlv(0x06, v))));
    is_int(parse(m.b, m.n, &info, &r), -1, "sub-identifier 2^32 refused");
    ok(r.n == 1 && rec_is(&r, 0, SIG_FIELD_SNMP_SYSNAME, "a"), "  earlier sysName stays");
    /* Padded 80 80 01 = 1: not DER, tolerated. */
    v = raw("\x2b\x80\x80\x01", 4);
    m = msg_v12(1, 0xa2, varbind(SYSOBJECTID, tlv(0x06, v)));
    parse(m.b, m.n, &info, &r);
    ok(rec_is(&r, 0, SIG_FIELD_SNMP_SYSOBJECTID, "1.3.1"), "leading 0x80 padding tolerated");
    /* Last byte with the continuation bit. */
    v = raw("\x2b\x06\x81", 3);
    m = msg_v12(1, 0xa2, varbind(SYSOBJECTID, tlv(0x06, v)));
    is_int(parse(m.b, m.n, &info, &r), -1, "sub-identifier cut short refused");
    m = msg_v12(1, 0xa2, varbind(SYSOBJECTID, tlv(0x06, raw("", 0))));
    is_int(parse(m.b, m.n, &info, &r), -1, "empty OID value refused");
    m = msg_v12(1, 0xa2, seq(cat(2, tlv(0x06, raw("", 0)), octets("x"))));
    is_int(parse(m.b, m.n, &info, &r), -1, "empty OID name refused");
    v = raw("\x2b\x06\x01\x02\x01\x01\x05\x80", 8);
    m = msg_v12(1, 0xa2, seq(cat(2, tlv(0x06, v), octets("x"))));
    is_int(parse(m.b, m.n, &info, &r), -1, "name cut short refused");

    /* 128 arcs accepted, 129 refused. */
    off = (size_t)snprintf(want, sizeof(want), "1.3");
    for (int i = 2; i < 128; i++)
        off += (size_t)snprintf(want + off, sizeof(want) - off, ".%u", 4000000000u - (unsigned)i);
    m = msg_v12(1, 0xa2, varbind(SYSOBJECTID, oid(want)));
    is_int(parse(m.b, m.n, &info, &r), 1, "128 arcs accepted");
    ok(rec_is(&r, 0, SIG_FIELD_SNMP_SYSOBJECTID, want), "  128 arcs exact (%zu chars)", off);
    snprintf(want + off, sizeof(want) - off, ".7");
    m = msg_v12(1, 0xa2, varbind(SYSOBJECTID, oid(want)));
    is_int(parse(m.b, m.n, &info, &r), -1, "129 arcs refused");
}

static void
test_v3(void)
{
    static const uint8_t huawei[] = {0x80, 0x00, 0x07, 0xdb, 0x03, 0x70,
                                     0x7b, 0xe8, 0x12, 0x34, 0x56}; /* MAC form */
    static const uint8_t zte[] = {0x80, 0x00, 0x0f, 0x3e, 0x03, 0x00, 0x19, 0xc6, 0x01, 0x02, 0x03};
    static const uint8_t old_fmt[] = {0x00, 0x00, 0x07, 0xdb, 0x01, 0x02, 0x03, 0x04,
                                      0x05, 0x06, 0x07, 0x08}; /* RFC 1910 form */
    static const uint8_t shortid[] = {0x80, 0x00, 0x07, 0xdb};
    static const uint8_t high[] = {0xff, 0xff, 0xff, 0xff, 0x04, 'x'};
    struct snmp_info info;
    struct rec r;
    struct buf m;

    m = msg_v3(3, huawei, sizeof(huawei));
    is_int(parse(m.b, m.n, &info, &r), 1, "v3 Huawei engine id");
    ok(rec_is(&r, 0, SIG_FIELD_SNMP_ENGINE_ENTERPRISE, "2011"), "  enterprise 2011");
    ok(info.version == 3 && info.pdu_type == 0 && !info.has_community,
       "  info: v3, GetRequest, no community");
    m = msg_v3(3, zte, sizeof(zte));
    parse(m.b, m.n, &info, &r);
    ok(rec_is(&r, 0, SIG_FIELD_SNMP_ENGINE_ENTERPRISE, "3902"), "v3 ZTE engine id: 3902");
    m = msg_v3(3, high, sizeof(high));
    parse(m.b, m.n, &info, &r);
    ok(rec_is(&r, 0, SIG_FIELD_SNMP_ENGINE_ENTERPRISE, "2147483647"), "high bit masked off");
    m = msg_v3(3, (const uint8_t *)"", 0);
    is_int(parse(m.b, m.n, &info, &r), 0, "discovery (empty engine id): 0");
    m = msg_v3(3, old_fmt, sizeof(old_fmt));
    is_int(parse(m.b, m.n, &info, &r), 0, "engine id without the RFC 3411 bit: 0");
    m = msg_v3(3, shortid, sizeof(shortid));
    is_int(parse(m.b, m.n, &info, &r), 0, "engine id of 4 bytes: 0");
    m = msg_v3(2, huawei, sizeof(huawei));
    is_int(parse(m.b, m.n, &info, &r), 0, "security model not USM: 0");

    /* Truncation: the outer SEQUENCE protects every prefix. */
    m = msg_v3(3, huawei, sizeof(huawei));
    {
        bool all = true;

        for (size_t cut = 0; cut < m.n; cut++)
            if (parse(m.b, cut, &info, &r) != -1 || r.n != 0)
                all = false;
        ok(all, "every v3 truncation returns -1, emits nothing");
    }
    /* Security parameters that are not a SEQUENCE. */
    {
        uint8_t flags = 0;
        struct buf bad = seq(cat(4, integer(3),
                                 seq(cat(4, integer(1), integer(1500), tlv(0x04, raw(&flags, 1)),
                                         integer(3))),
                                 octets("garbage"), seq(raw("", 0))));

        is_int(parse(bad.b, bad.n, &info, &r), -1, "USM parameters not BER: -1");
    }
    /* Header data cut short inside: msgSecurityModel missing. */
    {
        struct buf bad = seq(cat(3, integer(3), seq(cat(2, integer(1), integer(1500))),
                                 tlv(0x04, seq(octets("")))));

        is_int(parse(bad.b, bad.n, &info, &r), -1, "v3 header data short: -1");
    }
    /* Engine id fine but no msgData: emitted stays, -1. */
    {
        uint8_t flags = 0;
        struct buf bad = seq(cat(3, integer(3),
                                 seq(cat(4, integer(1), integer(1500), tlv(0x04, raw(&flags, 1)),
                                         integer(3))),
                                 tlv(0x04, seq(tlv(0x04, raw(huawei, sizeof(huawei)))))));

        is_int(parse(bad.b, bad.n, &info, &r), -1, "v3 without msgData: -1");
        ok(rec_is(&r, 0, SIG_FIELD_SNMP_ENGINE_ENTERPRISE, "2011"), "  engine enterprise stays");
    }
}

static void
test_pcap(void)
{
    struct snmp_info info;
    struct rec r;

    is_int(parse(pcap_frame2, sizeof(pcap_frame2), &info, &r), 0, "pcap frame 2: sysLocation, 0");
    ok(info.version == 0 && info.pdu_type == 2 && info.has_community,
       "  v1 GetResponse, community");
    is_int(parse(pcap_frame4, sizeof(pcap_frame4), &info, &r), 1, "pcap frame 4: one");
    ok(rec_is(&r, 0, SIG_FIELD_SNMP_SYSNAME, "R1.lab.local"), "  sysName R1.lab.local");
    is_int(parse(pcap_frame17, sizeof(pcap_frame17), &info, &r), 0, "pcap frame 17: discovery, 0");
    ok(info.version == 3 && info.pdu_type == 0, "  v3 GetRequest");
    is_int(parse(pcap_frame18, sizeof(pcap_frame18), &info, &r), 1, "pcap frame 18: report");
    ok(rec_is(&r, 0, SIG_FIELD_SNMP_ENGINE_ENTERPRISE, "9"), "  engine 80 00 00 09: enterprise 9");
    is_int(info.pdu_type, 8, "  pdu Report");
    is_int(parse(pcap_frame22, sizeof(pcap_frame22), &info, &r), 1,
           "pcap frame 22: v3 response, engine only");
    ok(rec_is(&r, 0, SIG_FIELD_SNMP_ENGINE_ENTERPRISE, "9"), "  enterprise 9");
    is_int(info.pdu_type, 2, "  pdu GetResponse");
    {
        bool all = true;

        for (size_t cut = 0; cut < sizeof(pcap_frame22); cut++)
            if (parse(pcap_frame22, cut, &info, &r) != -1)
                all = false;
        ok(all, "pcap frame 22: every truncation -1");
    }
}

int
main(void)
{
    test_huawei_v2c();
    test_long_form();
    test_inner_faults();
    test_pdus();
    test_oids();
    test_v3();
    test_pcap();
    return done_testing();
}
