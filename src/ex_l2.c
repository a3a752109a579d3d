/* ex_l2.c - layer-2 discovery frames: LLDP and Huawei HGMP/NDP.
 *
 * References: IEEE 802.1AB-2016 clause 8 (LLDPDU and basic TLVs), RFC 3232 /
 * IANA "Address Family Numbers" (management and network addresses),
 * IEEE 802.1Q-2018 table 8-1 (the 01-80-C2-00-00-0x reserved block).
 *
 * An LLDPDU is a run of TLVs (7-bit type, 9-bit length) closed by an End TLV;
 * Ethernet padding may follow the End. A TLV whose length runs past the PDU
 * makes the whole PDU malformed. A known TLV with a length outside the range
 * the standard allows, or a bad inner structure (management address string
 * longer than the TLV, unknown subtype), is skipped: the neighbouring TLVs
 * are still worth reading.
 */
#include "telexpose/ex_l2.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "telexpose/rd.h"

#define LLDP_TLV_END 0
#define LLDP_TLV_TYPES 128 /* 7-bit type */

#define CHASSIS_MAC 4      /* chassis id subtype: MAC address */
#define CHASSIS_NETADDR 5  /* chassis id subtype: network address */
#define CHASSIS_LOCAL 7    /* highest defined chassis id subtype */

#define IANA_AF_IPV4 1
#define IANA_AF_IPV6 2

#define HGMP_MIN_LEN 4 /* version/type and a length: less is not an HGMP frame */

/* Parse state shared by the TLV handlers. */
struct lldp_ctx {
    struct lldp_info *info;     /* may be NULL */
    const struct obs_sink *sink;
    int emitted;                /* observations handed to the sink */
};

typedef void (*lldp_tlv_fn)(struct lldp_ctx *c, enum sig_field field, struct rd v);

struct lldp_tlv {
    lldp_tlv_fn handler;    /* NULL: TLV not looked at */
    enum sig_field field;
    uint16_t min_len;       /* clause 8.5: a length outside [min, max] skips the TLV */
    uint16_t max_len;
};

static void
emit(struct lldp_ctx *c, enum sig_field field, const void *value, size_t len)
{
    if (len == 0)
        return;
    obs_emit(c->sink, field, value, len);
    c->emitted++;
}

/* Emit the rest of v as text, without the trailing NULs some agents send
 * (C strings copied whole into the TLV). */
static void
emit_text(struct lldp_ctx *c, enum sig_field field, struct rd v)
{
    const uint8_t *s = v.p;
    size_t n = rd_left(&v);

    while (n > 0 && rd_peek_u8(&v, n - 1) == 0)
        n--;
    emit(c, field, s, n);
}

/* Format a 4- or 16-byte address held in a as text; false for other lengths. */
static bool
addr_text(const uint8_t *a, size_t alen, char *buf, size_t bufsz)
{
    if (alen == 4)
        return inet_ntop(AF_INET, a, buf, (socklen_t)bufsz) != NULL;
    if (alen == 16)
        return inet_ntop(AF_INET6, a, buf, (socklen_t)bufsz) != NULL;
    return false;
}

/* An IANA address family byte and the address after it (the whole of v).
 * Fills a (family 4/6) and its text; false for any other family or length. */
static bool
read_netaddr(struct rd *v, struct decode_addr *a, char *buf, size_t bufsz)
{
    uint8_t af = rd_u8(v);
    size_t alen = rd_left(v);

    memset(a, 0, sizeof(*a));
    if (v->err || !((af == IANA_AF_IPV4 && alen == 4) || (af == IANA_AF_IPV6 && alen == 16)))
        return false;
    a->family = af == IANA_AF_IPV4 ? 4 : 6;
    rd_copy(v, a->a, alen);
    return !v->err && addr_text(a->a, alen, buf, bufsz);
}

/* Chassis ID (clause 8.5.2): subtype byte, then the id. */
static void
tlv_chassis(struct lldp_ctx *c, enum sig_field field, struct rd v)
{
    uint8_t subtype = rd_u8(&v);
    uint8_t mac[6];
    char buf[INET6_ADDRSTRLEN];
    struct decode_addr a;
    int n;

    if (v.err || subtype == 0 || subtype > CHASSIS_LOCAL)
        return;
    switch (subtype) {
    case CHASSIS_MAC:
        if (rd_left(&v) != sizeof(mac) || !rd_copy(&v, mac, sizeof(mac)))
            return;
        n = snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2],
                     mac[3], mac[4], mac[5]);
        if (c->info != NULL && !c->info->has_chassis_mac) {
            c->info->has_chassis_mac = true;
            memcpy(c->info->chassis_mac, mac, sizeof(mac));
        }
        emit(c, field, buf, (size_t)n);
        break;
    case CHASSIS_NETADDR:
        if (read_netaddr(&v, &a, buf, sizeof(buf)))
            emit(c, field, buf, strlen(buf));
        break;
    default:
        /* chassis component, interface alias/name, port component, local:
         * administrator-assigned strings */
        emit_text(c, field, v);
        break;
    }
}

/* Plain string TLVs: port description, system name, system description. */
static void
tlv_text(struct lldp_ctx *c, enum sig_field field, struct rd v)
{
    emit_text(c, field, v);
}

/* Management Address (clause 8.5.9): address string length (1 + address
 * length), subtype, address, then interface and OID fields we do not need. */
static void
tlv_mgmt(struct lldp_ctx *c, enum sig_field field, struct rd v)
{
    uint8_t slen = rd_u8(&v);
    char buf[INET6_ADDRSTRLEN];
    struct decode_addr a;

    if (v.err || !rd_limit(&v, slen) || !read_netaddr(&v, &a, buf, sizeof(buf)))
        return;
    if (c->info != NULL && c->info->mgmt.family == 0)
        c->info->mgmt = a;
    emit(c, field, buf, strlen(buf));
}

static const struct lldp_tlv lldp_tlvs[LLDP_TLV_TYPES] = {
    [1] = { tlv_chassis, SIG_FIELD_LLDP_CHASSIS_ID, 2, 256 },
    [4] = { tlv_text, SIG_FIELD_LLDP_PORT_DESCRIPTION, 0, 255 },
    [5] = { tlv_text, SIG_FIELD_LLDP_SYSTEM_NAME, 0, 255 },
    [6] = { tlv_text, SIG_FIELD_LLDP_SYSTEM_DESCRIPTION, 0, 255 },
    [8] = { tlv_mgmt, SIG_FIELD_LLDP_MANAGEMENT_ADDRESS, 9, 167 },
};

int
lldp_parse(const uint8_t *pdu, size_t len, struct lldp_info *info, const struct obs_sink *sink)
{
    struct lldp_ctx c = { info, sink, 0 };
    struct rd r;

    if (info != NULL)
        memset(info, 0, sizeof(*info));
    if (pdu == NULL)
        return -1;
    r = rd_init(pdu, len);
    /* A PDU cut exactly at a TLV boundary (no End TLV) still counts as read;
     * a stray byte after the last TLV does not. */
    while (rd_left(&r) > 0) {
        uint16_t hdr = rd_be16(&r);
        unsigned type = hdr >> 9;
        size_t tlen = hdr & 0x1ffu;
        const struct lldp_tlv *t = &lldp_tlvs[type];
        struct rd v = r;

        if (r.err)
            return -1;
        if (type == LLDP_TLV_END)
            break;
        if (!rd_limit(&v, tlen) || !rd_skip(&r, tlen))
            return -1;
        if (t->handler != NULL && tlen >= t->min_len && tlen <= t->max_len)
            t->handler(&c, t->field, v);
    }
    return c.emitted;
}

bool
hgmp_is_frame(uint16_t ethertype, const uint8_t dst_mac[6])
{
    static const uint8_t hgmp_dst[6] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x0a };

    return ethertype == EX_ETHERTYPE_HGMP && dst_mac != NULL &&
           memcmp(dst_mac, hgmp_dst, sizeof(hgmp_dst)) == 0;
}

int
hgmp_parse(const uint8_t *payload, size_t len, const struct obs_sink *sink)
{
    static const char proto[] = "hgmp";

    /* Only the frame's presence matters: its EtherType and destination are
     * Huawei's alone. The body (cluster/NDP state) carries nothing we use. */
    if (payload == NULL || len < HGMP_MIN_LEN)
        return -1;
    obs_emit(sink, SIG_FIELD_ETH_PROTOCOL, proto, sizeof(proto) - 1);
    return 1;
}
