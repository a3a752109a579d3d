/* ex_l2_t.c - unit tests for the LLDP and HGMP extractors (ex_l2.h).
 *
 * Reference: IEEE 802.1AB-2016 clause 8. LLDPDUs are built TLV by TLV with
 * the writers below (each call's comment gives the readable content); every
 * parse runs on an exact-size heap copy so AddressSanitizer catches a read
 * past the PDU. One real frame comes from tcpdump's test suite.
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ex_test_sink.h"
#include "pkt_writer.h"
#include "tap.h"
#include "telexpose/ex_l2.h"

/* Parse an exact-size copy of buf[0..len). */
static int
lldp(const uint8_t *buf, size_t len, struct lldp_info *info, struct rec *r)
{
    struct obs_sink sink = rec_sink(r);
    uint8_t *copy = dup_bytes(buf, len);
    int ret = lldp_parse(copy, len, info, &sink);

    free(copy);
    return ret;
}

/* ------------------------------------------------------------ PDU writer */

static void
tlv_hdr(struct pkt *p, unsigned type, size_t len)
{
    put8(p, (type << 1) | ((unsigned)len >> 8));
    put8(p, len & 0xff);
}

static void
tlv(struct pkt *p, unsigned type, const void *d, size_t len)
{
    tlv_hdr(p, type, len);
    putn(p, d, len);
    mark(p);
}

static void
tlv_str(struct pkt *p, unsigned type, const char *s)
{
    tlv(p, type, s, strlen(s));
}

/* Chassis or port id: subtype byte + value. */
static void
tlv_id(struct pkt *p, unsigned type, unsigned subtype, const void *d, size_t len)
{
    uint8_t v[300];

    v[0] = (uint8_t)subtype;
    memcpy(v + 1, d, len);
    tlv(p, type, v, len + 1);
}

static void
tlv_ttl(struct pkt *p, unsigned secs)
{
    uint8_t v[2] = { (uint8_t)(secs >> 8), (uint8_t)secs };

    tlv(p, 3, v, 2);
}

/* Management address: string length, IANA family, address, ifIndex
 * numbering (2) and number, empty OID. */
static void
tlv_mgmt(struct pkt *p, int af, const char *addr)
{
    uint8_t v[64], a[16];
    size_t alen = af == AF_INET ? 4 : 16, n = 0;

    if (inet_pton(af, addr, a) != 1)
        abort();
    v[n++] = (uint8_t)(alen + 1);
    v[n++] = af == AF_INET ? 1 : 2;
    memcpy(v + n, a, alen);
    n += alen;
    v[n++] = 2;
    v[n++] = 0, v[n++] = 0, v[n++] = 0, v[n++] = 9;
    v[n++] = 0;
    tlv(p, 8, v, n);
}

static void
tlv_end(struct pkt *p)
{
    tlv(p, 0, NULL, 0);
}

/* A PDU cut at a TLV boundary, or empty, is well-formed. */
static bool
at_boundary(const struct pkt *p, size_t off)
{
    return off == 0 || is_cut(p, off);
}

/* ------------------------------------------------------------------ tests */

static const uint8_t HW_MAC[6] = { 0x4c, 0x1f, 0xcc, 0x8e, 0x1a, 0x02 };
static const char HW_DESC[] =
    "S5720-28X-PWR-SI-AC\r\nHuawei Versatile Routing Platform Software\r\n"
    "VRP (R) software, Version 5.170 (S5720 V200R011C10SPC600)\r\n"
    "Copyright (C) 2000-2018 HUAWEI TECH Co., Ltd";

/* A Huawei S5720 as it announces itself: every mandatory TLV, the basic
 * optional ones, an IEEE 802.3 organisational TLV, End. */
static void
build_huawei(struct pkt *p)
{
    static const uint8_t caps[4] = { 0x00, 0x14, 0x00, 0x14 };           /* bridge, router */
    static const uint8_t org[9] = { 0x00, 0x12, 0x0f, 0x01, 0x03, 0x6c, 0x00, 0x00, 0x10 };

    memset(p, 0, sizeof(*p));
    tlv_id(p, 1, 4, HW_MAC, 6);                                 /* chassis MAC */
    tlv_id(p, 2, 5, "GigabitEthernet0/0/1", 20);                /* port id: ifName */
    tlv_ttl(p, 120);
    tlv_str(p, 4, "GigabitEthernet0/0/1");                      /* port description */
    tlv_str(p, 5, "HUAWEI-S5720");                              /* system name */
    tlv_str(p, 6, HW_DESC);                                     /* system description */
    tlv(p, 7, caps, sizeof(caps));                              /* capabilities */
    tlv_mgmt(p, AF_INET, "192.168.1.253");
    tlv(p, 127, org, sizeof(org));                              /* 802.3 MAC/PHY */
    tlv_end(p);
}

static void
test_huawei(void)
{
    static const uint8_t want_ip[4] = { 192, 168, 1, 253 };
    struct pkt p;
    struct lldp_info info;
    struct rec r;
    int ret;

    build_huawei(&p);
    ret = lldp(p.b, p.n, &info, &r);
    is_int(ret, 5, "huawei: five observations");
    is_int(r.n, 5, "huawei: five emitted");
    ok(rec_is(&r, 0, SIG_FIELD_LLDP_CHASSIS_ID, "4c:1f:cc:8e:1a:02"), "huawei: chassis MAC text");
    ok(rec_is(&r, 1, SIG_FIELD_LLDP_PORT_DESCRIPTION, "GigabitEthernet0/0/1"), "huawei: port desc");
    ok(rec_is(&r, 2, SIG_FIELD_LLDP_SYSTEM_NAME, "HUAWEI-S5720"), "huawei: system name");
    ok(rec_is(&r, 3, SIG_FIELD_LLDP_SYSTEM_DESCRIPTION, HW_DESC), "huawei: VRP system description");
    ok(rec_is(&r, 4, SIG_FIELD_LLDP_MANAGEMENT_ADDRESS, "192.168.1.253"), "huawei: mgmt address");
    ok(info.has_chassis_mac && memcmp(info.chassis_mac, HW_MAC, 6) == 0, "huawei: info chassis mac");
    ok(info.mgmt.family == 4 && memcmp(info.mgmt.a, want_ip, 4) == 0, "huawei: info mgmt v4");

    /* Ethernet pads short frames after the End TLV */
    memset(p.b + p.n, 0, 40);
    is_int(lldp(p.b, p.n + 40, NULL, &r), 5, "huawei: padding after End ignored, info NULL");
}

/* An H3C (Comware) switch: no End TLV (PDU cut at a TLV boundary), strings
 * with trailing NULs, an IPv6 management address before an IPv4 one. */
static void
test_h3c(void)
{
    static const uint8_t mac[6] = { 0x00, 0x0f, 0xe2, 0xaa, 0xbb, 0x01 };
    static const char desc[] =
        "H3C Comware Platform Software, Software Version 7.1.070, Release 6328P03\r\n"
        "H3C S5130S-28S-EI\r\n"
        "Copyright (c) 2004-2020 New H3C Technologies Co., Ltd. All rights reserved.";
    uint8_t want6[16];
    struct pkt p;
    struct lldp_info info;
    struct rec r;

    memset(&p, 0, sizeof(p));
    tlv_id(&p, 1, 4, mac, 6);
    tlv_id(&p, 2, 5, "GigabitEthernet1/0/1", 20);
    tlv_ttl(&p, 121);
    tlv(&p, 5, "H3C\0", 4);                                 /* "H3C" NUL-terminated */
    tlv_str(&p, 6, desc);
    tlv_mgmt(&p, AF_INET6, "2001:db8:0:1::5");
    tlv_mgmt(&p, AF_INET, "10.1.1.5");
    tlv(&p, 4, "GigabitEthernet1/0/1 Interface\0\0", 32);  /* two trailing NULs */

    is_int(lldp(p.b, p.n, &info, &r), 6, "h3c: six observations without End");
    ok(rec_is(&r, 0, SIG_FIELD_LLDP_CHASSIS_ID, "00:0f:e2:aa:bb:01"), "h3c: chassis MAC");
    ok(rec_is(&r, 1, SIG_FIELD_LLDP_SYSTEM_NAME, "H3C"), "h3c: trailing NUL stripped");
    ok(rec_is(&r, 2, SIG_FIELD_LLDP_SYSTEM_DESCRIPTION, desc), "h3c: Comware description");
    ok(rec_is(&r, 3, SIG_FIELD_LLDP_MANAGEMENT_ADDRESS, "2001:db8:0:1::5"), "h3c: v6 mgmt text");
    ok(rec_is(&r, 4, SIG_FIELD_LLDP_MANAGEMENT_ADDRESS, "10.1.1.5"), "h3c: second mgmt emitted");
    ok(rec_is(&r, 5, SIG_FIELD_LLDP_PORT_DESCRIPTION, "GigabitEthernet1/0/1 Interface"),
       "h3c: port desc NULs stripped");
    inet_pton(AF_INET6, "2001:db8:0:1::5", want6);
    ok(info.mgmt.family == 6 && memcmp(info.mgmt.a, want6, 16) == 0,
       "h3c: info keeps the first mgmt address");
    ok(info.has_chassis_mac && memcmp(info.chassis_mac, mac, 6) == 0, "h3c: info chassis mac");
}

/* One PDU with only a chassis TLV (subtype, value); the observation or NULL. */
static const char *
chassis_only(unsigned subtype, const void *d, size_t len, struct rec *r, struct lldp_info *info)
{
    struct pkt p;
    int ret;

    memset(&p, 0, sizeof(p));
    tlv_id(&p, 1, subtype, d, len);
    tlv_end(&p);
    ret = lldp(p.b, p.n, info, r);
    if (ret != r->n)
        return "(count mismatch)";
    return r->n == 1 && r->field[0] == SIG_FIELD_LLDP_CHASSIS_ID ? r->value[0] : NULL;
}

static void
test_chassis_subtypes(void)
{
    static const uint8_t na4[5] = { 1, 10, 0, 0, 1 };
    static const uint8_t na6[17] = { 2, 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
    static const uint8_t na4_short[4] = { 1, 10, 0, 0 };
    static const uint8_t na_802[7] = { 6, 0x00, 0x0f, 0xe2, 1, 2, 3 };
    static const uint8_t mac5[5] = { 0x00, 0x0f, 0xe2, 1, 2 };
    struct lldp_info info;
    struct rec r;
    struct pkt p;

    is_str(chassis_only(5, na4, sizeof(na4), &r, &info), "10.0.0.1", "chassis: netaddr v4");
    ok(!info.has_chassis_mac && info.mgmt.family == 0, "chassis: netaddr is not a MAC or mgmt");
    is_str(chassis_only(5, na6, sizeof(na6), &r, NULL), "fe80::1", "chassis: netaddr v6");
    is_str(chassis_only(5, na4_short, sizeof(na4_short), &r, NULL), NULL,
           "chassis: v4 netaddr of 3 bytes skipped");
    is_str(chassis_only(5, na_802, sizeof(na_802), &r, NULL), NULL,
           "chassis: netaddr family 6 (802) skipped");
    is_str(chassis_only(7, "sw-core-01", 10, &r, NULL), "sw-core-01", "chassis: local string");
    is_str(chassis_only(1, "chassis\0", 8, &r, NULL), "chassis", "chassis: component NUL");
    is_str(chassis_only(4, mac5, sizeof(mac5), &r, &info), NULL, "chassis: 5-byte MAC skipped");
    ok(!info.has_chassis_mac, "chassis: 5-byte MAC not in info");
    is_str(chassis_only(0, "x", 1, &r, NULL), NULL, "chassis: reserved subtype 0 skipped");
    is_str(chassis_only(8, "x", 1, &r, NULL), NULL, "chassis: reserved subtype 8 skipped");
    is_str(chassis_only(7, "", 0, &r, NULL), NULL, "chassis: length 1 (below 2) skipped");

    /* two chassis MACs (not allowed, but seen): info keeps the first */
    {
        static const uint8_t mac2[6] = { 0x00, 0xe0, 0xfc, 0x12, 0x34, 0x56 };

        memset(&p, 0, sizeof(p));
        tlv_id(&p, 1, 4, HW_MAC, 6);
        tlv_id(&p, 1, 4, mac2, 6);
        is_int(lldp(p.b, p.n, &info, &r), 2, "two chassis TLVs: both emitted");
        ok(info.has_chassis_mac && memcmp(info.chassis_mac, HW_MAC, 6) == 0,
           "two chassis TLVs: info keeps the first");
    }

    memset(&p, 0, sizeof(p));
    tlv(&p, 5, "\0\0", 2);
    is_int(lldp(p.b, p.n, NULL, &r), 0, "system name of NULs only: nothing");
}

/* Cut the Huawei PDU at every length: a cut on a TLV boundary reads the TLVs
 * before it, any other is malformed; what is emitted is always a prefix of
 * the full PDU's observations. */
static void
test_truncation(void)
{
    struct pkt p;
    struct rec full, r;
    int bad = 0, prefix_bad = 0, boundary = 0;

    build_huawei(&p);
    lldp(p.b, p.n, NULL, &full);
    for (size_t k = 0; k < p.n; k++) {
        int ret = lldp(p.b, k, NULL, &r);

        if (at_boundary(&p, k)) {
            boundary++;
            if (ret != r.n)
                bad++;
        } else if (ret != -1) {
            bad++;
        }
        for (int i = 0; i < r.n; i++)
            if (!rec_is(&full, i, r.field[i], r.value[i]))
                prefix_bad++;
    }
    is_int(bad, 0, "truncation: -1 unless cut on a TLV boundary (%d boundaries)", boundary);
    is_int(prefix_bad, 0, "truncation: emissions are a prefix of the full PDU's");
    is_int(lldp(p.b, p.n - 2, NULL, &r), 5, "truncation: End TLV missing is fine");
    is_int(lldp(p.b, 1, NULL, &r), -1, "truncation: half a TLV header");
    is_int(lldp(p.b, 0, NULL, &r), 0, "truncation: empty PDU");
}

static void
test_malformed(void)
{
    static const uint8_t mac[6] = { 0x00, 0xe0, 0xfc, 0x12, 0x34, 0x56 };
    struct pkt p;
    struct rec r;
    struct lldp_info info;
    char big[300];

    /* system name claims 20 bytes, 5 follow */
    memset(&p, 0, sizeof(p));
    tlv_id(&p, 1, 4, mac, 6);
    tlv_hdr(&p, 5, 20);
    putn(&p, "short", 5);
    is_int(lldp(p.b, p.n, &info, &r), -1, "overrun: malformed");
    ok(r.n == 1 && rec_is(&r, 0, SIG_FIELD_LLDP_CHASSIS_ID, "00:e0:fc:12:34:56"),
       "overrun: chassis emitted before the fault stands");
    ok(info.has_chassis_mac, "overrun: info filled before the fault");

    /* a stray byte after the last TLV */
    memset(&p, 0, sizeof(p));
    tlv_str(&p, 5, "sw1");
    put8(&p, 0x0a);
    is_int(lldp(p.b, p.n, NULL, &r), -1, "stray byte: malformed");

    /* End TLV then garbage: the End wins */
    memset(&p, 0, sizeof(p));
    tlv_str(&p, 5, "sw1");
    tlv_end(&p);
    put8(&p, 0x0a), put8(&p, 0xff), put8(&p, 0x01);
    is_int(lldp(p.b, p.n, NULL, &r), 1, "garbage after End ignored");

    /* 9-bit lengths: a 300-byte description is out of range (max 255) and
     * skipped, a 255-byte one is taken whole */
    memset(big, 'd', sizeof(big));
    memset(&p, 0, sizeof(p));
    tlv(&p, 6, big, 300);
    tlv(&p, 6, big, 255);
    tlv_str(&p, 5, "after");
    is_int(lldp(p.b, p.n, NULL, &r), 2, "length 300: skipped, parse goes on");
    ok(r.n == 2 && r.field[0] == SIG_FIELD_LLDP_SYSTEM_DESCRIPTION && strlen(r.value[0]) == 255,
       "length 255: whole value");
    ok(rec_is(&r, 1, SIG_FIELD_LLDP_SYSTEM_NAME, "after"), "TLV after an oversize one read");

    /* management address whose string length runs past the TLV, then one
     * with subtype 1 but a 16-byte address: both skipped */
    {
        static const uint8_t m1[12] = { 30, 1, 10, 0, 0, 1, 2, 0, 0, 0, 1, 0 };
        static const uint8_t m2[24] = { 17, 1, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0,
                                        0,  0, 0,    0,    0,    1,    2, 0, 0, 0, 1, 0 };
        static const uint8_t m3[9] = { 1, 1, 2, 0, 0, 0, 1, 0, 0 };

        memset(&p, 0, sizeof(p));
        tlv(&p, 8, m1, sizeof(m1));
        tlv(&p, 8, m2, sizeof(m2));
        tlv(&p, 8, m3, sizeof(m3)); /* string length 1: no address bytes */
        tlv_str(&p, 5, "mgmt-test");
        is_int(lldp(p.b, p.n, &info, &r), 1, "bad mgmt addresses skipped");
        ok(rec_is(&r, 0, SIG_FIELD_LLDP_SYSTEM_NAME, "mgmt-test"), "bad mgmt: next TLV read");
        is_int(info.mgmt.family, 0, "bad mgmt: info mgmt unset");
    }

    is_int(lldp_parse(NULL, 10, &info, NULL), -1, "NULL PDU");
    build_huawei(&p);
    is_int(lldp_parse(p.b, p.n, NULL, NULL), 5, "NULL sink still counts");
}

/* Frame 4 of tcpdump's tests/LLDP_and_CDP.pcap (copied to
 * /work/shared/pcaps/mixed/): Cisco C3560 "S1", the bytes after the
 * EtherType. */
static const uint8_t cisco_s1[] = {
    0x02, 0x07, 0x04, 0x00, 0x18, 0xba, 0x98, 0x68, 0x8f, 0x04, 0x07, 0x07,
    0x46, 0x61, 0x30, 0x2f, 0x31, 0x33, 0x06, 0x02, 0x00, 0x78, 0x0a, 0x0c,
    0x53, 0x31, 0x2e, 0x63, 0x69, 0x73, 0x63, 0x6f, 0x2e, 0x63, 0x6f, 0x6d,
    0x0c, 0xbe, 0x43, 0x69, 0x73, 0x63, 0x6f, 0x20, 0x49, 0x4f, 0x53, 0x20,
    0x53, 0x6f, 0x66, 0x74, 0x77, 0x61, 0x72, 0x65, 0x2c, 0x20, 0x43, 0x33,
    0x35, 0x36, 0x30, 0x20, 0x53, 0x6f, 0x66, 0x74, 0x77, 0x61, 0x72, 0x65,
    0x20, 0x28, 0x43, 0x33, 0x35, 0x36, 0x30, 0x2d, 0x41, 0x44, 0x56, 0x49,
    0x50, 0x53, 0x45, 0x52, 0x56, 0x49, 0x43, 0x45, 0x53, 0x4b, 0x39, 0x2d,
    0x4d, 0x29, 0x2c, 0x20, 0x56, 0x65, 0x72, 0x73, 0x69, 0x6f, 0x6e, 0x20,
    0x31, 0x32, 0x2e, 0x32, 0x28, 0x34, 0x34, 0x29, 0x53, 0x45, 0x2c, 0x20,
    0x52, 0x45, 0x4c, 0x45, 0x41, 0x53, 0x45, 0x20, 0x53, 0x4f, 0x46, 0x54,
    0x57, 0x41, 0x52, 0x45, 0x20, 0x28, 0x66, 0x63, 0x31, 0x29, 0x0a, 0x43,
    0x6f, 0x70, 0x79, 0x72, 0x69, 0x67, 0x68, 0x74, 0x20, 0x28, 0x63, 0x29,
    0x20, 0x31, 0x39, 0x38, 0x36, 0x2d, 0x32, 0x30, 0x30, 0x38, 0x20, 0x62,
    0x79, 0x20, 0x43, 0x69, 0x73, 0x63, 0x6f, 0x20, 0x53, 0x79, 0x73, 0x74,
    0x65, 0x6d, 0x73, 0x2c, 0x20, 0x49, 0x6e, 0x63, 0x2e, 0x0a, 0x43, 0x6f,
    0x6d, 0x70, 0x69, 0x6c, 0x65, 0x64, 0x20, 0x53, 0x61, 0x74, 0x20, 0x30,
    0x35, 0x2d, 0x4a, 0x61, 0x6e, 0x2d, 0x30, 0x38, 0x20, 0x30, 0x30, 0x3a,
    0x31, 0x35, 0x20, 0x62, 0x79, 0x20, 0x77, 0x65, 0x69, 0x6c, 0x69, 0x75,
    0x08, 0x10, 0x46, 0x61, 0x73, 0x74, 0x45, 0x74, 0x68, 0x65, 0x72, 0x6e,
    0x65, 0x74, 0x30, 0x2f, 0x31, 0x33, 0x0e, 0x04, 0x00, 0x14, 0x00, 0x04,
    0xfe, 0x06, 0x00, 0x80, 0xc2, 0x01, 0x00, 0x01, 0xfe, 0x09, 0x00, 0x12,
    0x0f, 0x01, 0x03, 0x00, 0x36, 0x00, 0x10, 0x00, 0x00,
};

static void
test_real_cisco(void)
{
    static const uint8_t mac[6] = { 0x00, 0x18, 0xba, 0x98, 0x68, 0x8f };
    struct rec r;
    struct lldp_info info;

    is_int(lldp(cisco_s1, sizeof(cisco_s1), &info, &r), 4, "cisco S1: four observations");
    ok(rec_is(&r, 0, SIG_FIELD_LLDP_CHASSIS_ID, "00:18:ba:98:68:8f"), "cisco S1: chassis");
    ok(rec_is(&r, 1, SIG_FIELD_LLDP_SYSTEM_NAME, "S1.cisco.com"), "cisco S1: system name");
    ok(r.n > 2 && r.field[2] == SIG_FIELD_LLDP_SYSTEM_DESCRIPTION &&
           strncmp(r.value[2], "Cisco IOS Software, C3560 Software", 34) == 0 &&
           strstr(r.value[2], "Compiled Sat 05-Jan-08 00:15 by weiliu") != NULL,
       "cisco S1: system description whole");
    ok(rec_is(&r, 3, SIG_FIELD_LLDP_PORT_DESCRIPTION, "FastEthernet0/13"), "cisco S1: port desc");
    ok(info.has_chassis_mac && memcmp(info.chassis_mac, mac, 6) == 0 && info.mgmt.family == 0,
       "cisco S1: info");
}

static void
test_hgmp(void)
{
    static const uint8_t dst[6] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x0a };
    static const uint8_t lldp_dst[6] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e };
    static const uint8_t body[8] = { 0x01, 0x01, 0x00, 0x08, 0, 0, 0, 0 };
    struct obs_sink sink = { rec_emit, NULL };
    struct rec r;

    ok(hgmp_is_frame(0x88a7, dst), "hgmp: EtherType and destination");
    ok(!hgmp_is_frame(0x88a7, lldp_dst), "hgmp: right type, LLDP destination");
    ok(!hgmp_is_frame(0x88cc, dst), "hgmp: right destination, LLDP type");
    ok(!hgmp_is_frame(0x88a7, NULL), "hgmp: no destination");

    memset(&r, 0, sizeof(r));
    sink.user = &r;
    is_int(hgmp_parse(body, 4, &sink), 1, "hgmp: 4 bytes parse");
    ok(r.n == 1 && rec_is(&r, 0, SIG_FIELD_ETH_PROTOCOL, "hgmp"), "hgmp: eth.protocol emitted");
    memset(&r, 0, sizeof(r));
    is_int(hgmp_parse(body, 3, &sink), -1, "hgmp: 3 bytes too short");
    is_int(hgmp_parse(NULL, 8, &sink), -1, "hgmp: NULL payload");
    is_int(r.n, 0, "hgmp: nothing emitted for short frames");
}

int
main(void)
{
    test_huawei();
    test_h3c();
    test_chassis_subtypes();
    test_truncation();
    test_malformed();
    test_real_cisco();
    test_hgmp();
    return done_testing();
}
