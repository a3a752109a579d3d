/* ex_dhcp.c - client identity from DHCPv4 and DHCPv6 messages.
 *
 * References: RFC 2131 section 2 (BOOTP/DHCP header), RFC 2132 (options 12,
 * 43, 50, 53, 55, 60, 61), RFC 8415 sections 8-9 (DHCPv6 client/server and
 * relay messages), 11 (DUIDs), 21.2 (Client Identifier), 21.10 (Relay
 * Message), 21.16-17 (Vendor Class, Vendor-specific Information).
 *
 * Only messages a client sends are emitted: server messages (DHCPv4 op 2,
 * DHCPv6 Advertise/Reply) carry the server's vendor options, and would tie
 * them to the wrong device. Framing faults (bad magic, an option running
 * past the message) return -1; a well-framed option with a bad inner layout
 * is skipped. Option overload (52) and long-option concatenation (RFC 3396)
 * are ignored: the identity options fit in one instance in practice.
 */
#include "telexpose/ex_dhcp.h"

#include <stdio.h>
#include <string.h>

#include "telexpose/rd.h"

/* ------------------------------------------------------------ common */

struct emitter {
    const struct obs_sink *sink;
    int emitted;
};

static void
emit(struct emitter *e, enum sig_field field, const void *value, size_t len)
{
    if (len == 0)
        return;
    obs_emit(e->sink, field, value, len);
    e->emitted++;
}

/* Emit the rest of v, without trailing NULs (C strings sent whole). */
static void
emit_text(struct emitter *e, enum sig_field field, struct rd v)
{
    const uint8_t *s = v.p;
    size_t n = rd_left(&v);

    while (n > 0 && rd_peek_u8(&v, n - 1) == 0)
        n--;
    emit(e, field, s, n);
}

static void
emit_decimal(struct emitter *e, enum sig_field field, uint32_t v)
{
    char buf[16];
    int n = snprintf(buf, sizeof(buf), "%u", (unsigned)v);

    emit(e, field, buf, (size_t)n);
}

/* --------------------------------------------------------------- DHCPv4 */

#define DHCP4_FIXED_LEN 236 /* op .. file, before the magic cookie */
#define DHCP4_SNAME_FILE (64 + 128)
#define DHCP4_MAGIC 0x63825363u /* 99.130.83.99 */
#define BOOTREQUEST 1
#define BOOTREPLY 2
#define HTYPE_ETHER 1

#define OPT4_PAD 0
#define OPT4_HOSTNAME 12
#define OPT4_VENDOR_INFO 43
#define OPT4_REQUESTED_IP 50
#define OPT4_MSG_TYPE 53
#define OPT4_SERVER_ID 54
#define OPT4_PARAM_LIST 55
#define OPT4_VENDOR_CLASS 60
#define OPT4_CLIENT_ID 61
#define OPT4_END 255

/* Option 55 as "1,3,6,15": the order is the client's fingerprint. At most
 * 255 codes of "255," each. */
static void
emit_param_list(struct emitter *e, struct rd v)
{
    char buf[255 * 4 + 1];
    size_t n = 0;

    while (rd_left(&v) > 0) {
        int w = snprintf(buf + n, sizeof(buf) - n, "%s%u", n ? "," : "", (unsigned)rd_u8(&v));
        if (w < 0 || (size_t)w >= sizeof(buf) - n)
            break;
        n += (size_t)w;
    }
    emit(e, SIG_FIELD_DHCP_PARAM_LIST, buf, n);
}

/* Option 61 as lowercase colon hex: binary (type byte + hardware address
 * or a DUID) with no text form of its own. */
static void
emit_hex(struct emitter *e, enum sig_field field, struct rd v)
{
    static const char hex[] = "0123456789abcdef";
    char buf[255 * 3];
    size_t n = 0;

    while (rd_left(&v) > 0 && n + 3 <= sizeof(buf)) {
        uint8_t b = rd_u8(&v);
        if (n)
            buf[n++] = ':';
        buf[n++] = hex[b >> 4];
        buf[n++] = hex[b & 0x0f];
    }
    emit(e, field, buf, n);
}

/* Option 43 is binary TLVs for most vendors; only a printable one (some
 * CPE and phones put a plain string there) is worth matching. */
static void
emit_printable(struct emitter *e, enum sig_field field, struct rd v)
{
    struct rd scan = v;

    while (rd_left(&scan) > 0) {
        uint8_t b = rd_u8(&scan);
        if (b < 0x20 || b > 0x7e)
            return;
    }
    emit(e, field, v.p, rd_left(&v));
}

int
dhcp4_parse(const uint8_t *msg, size_t len, struct dhcp4_info *info, const struct obs_sink *sink)
{
    struct emitter e = { sink, 0 };
    struct dhcp4_info in;
    struct rd r;
    uint8_t htype, hlen;

    memset(&in, 0, sizeof(in));
    if (info != NULL)
        *info = in;
    if (msg == NULL)
        return -1;
    r = rd_init(msg, len);
    in.op = rd_u8(&r);
    htype = rd_u8(&r);
    hlen = rd_u8(&r);
    rd_skip(&r, 1 + 4 + 2 + 2); /* hops, xid, secs, flags */
    rd_copy(&r, in.ciaddr, 4);
    rd_copy(&r, in.yiaddr, 4);
    rd_skip(&r, 4); /* siaddr */
    rd_copy(&r, in.giaddr, 4);
    if (htype == HTYPE_ETHER && hlen == 6 && rd_copy(&r, in.chaddr, 6)) {
        in.has_chaddr = true;
        rd_skip(&r, 10);
    } else {
        rd_skip(&r, 16);
    }
    rd_skip(&r, DHCP4_SNAME_FILE);
    if (r.err || rd_be32(&r) != DHCP4_MAGIC || r.err ||
        (in.op != BOOTREQUEST && in.op != BOOTREPLY)) {
        return -1;
    }
    if (info != NULL)
        *info = in;

    while (rd_left(&r) > 0) {
        uint8_t code = rd_u8(&r);
        uint8_t olen;
        struct rd v;

        if (code == OPT4_PAD)
            continue;
        if (code == OPT4_END)
            break;
        olen = rd_u8(&r);
        v = r;
        if (r.err || !rd_limit(&v, olen) || !rd_skip(&r, olen))
            return -1;
        switch (code) {
        case OPT4_MSG_TYPE:
            if (olen == 1 && info != NULL)
                info->msg_type = rd_u8(&v);
            break;
        case OPT4_REQUESTED_IP:
            if (olen == 4 && info != NULL)
                rd_copy(&v, info->requested, 4);
            break;
        case OPT4_SERVER_ID:
            if (olen == 4 && info != NULL)
                rd_copy(&v, info->server_id, 4);
            break;
        default:
            break;
        }
        if (in.op != BOOTREQUEST)
            continue;
        switch (code) {
        case OPT4_HOSTNAME:
            emit_text(&e, SIG_FIELD_DHCP_HOSTNAME, v);
            break;
        case OPT4_VENDOR_CLASS:
            emit_text(&e, SIG_FIELD_DHCP_VENDOR_CLASS, v);
            break;
        case OPT4_PARAM_LIST:
            emit_param_list(&e, v);
            break;
        case OPT4_CLIENT_ID:
            emit_hex(&e, SIG_FIELD_DHCP_CLIENT_ID, v);
            break;
        case OPT4_VENDOR_INFO:
            emit_printable(&e, SIG_FIELD_DHCP_VENDOR_INFO, v);
            break;
        default:
            break;
        }
    }
    return e.emitted;
}

/* --------------------------------------------------------------- DHCPv6 */

#define DHCP6_RELAY_FORW 12
#define DHCP6_RELAY_REPL 13
#define DHCP6_RELAY_DEPTH 4 /* nested relay headers unwrapped; RFC allows 8 hops */
#define DHCP6_ADDR_LEN 16

#define OPT6_CLIENTID 1
#define OPT6_RELAY_MSG 9
#define OPT6_VENDOR_CLASS 16
#define OPT6_VENDOR_OPTS 17

#define DUID_LLT 1
#define DUID_LL 3
#define HWTYPE_ETHER 1

/* RFC 8415 section 7.3: the messages a client sends. */
static bool
dhcp6_from_client(uint8_t type)
{
    switch (type) {
    case 1:  /* Solicit */
    case 3:  /* Request */
    case 4:  /* Confirm */
    case 5:  /* Renew */
    case 6:  /* Rebind */
    case 8:  /* Release */
    case 9:  /* Decline */
    case 11: /* Information-request */
        return true;
    default:
        return false;
    }
}

/* Client Identifier holding a DUID-LLT or DUID-LL of an Ethernet address. */
static void
dhcp6_duid(struct rd v, struct dhcp6_info *info)
{
    uint16_t type = rd_be16(&v);
    uint16_t hw = rd_be16(&v);
    uint8_t mac[6];

    if (type == DUID_LLT)
        rd_skip(&v, 4); /* time */
    else if (type != DUID_LL)
        return;
    if (v.err || hw != HWTYPE_ETHER || rd_left(&v) != sizeof(mac) || !rd_copy(&v, mac, 6))
        return;
    if (info != NULL) {
        info->has_duid_mac = true;
        memcpy(info->duid_mac, mac, sizeof(mac));
    }
}

/* Vendor Class: enterprise number, then vendor-class-data items (len16, data).
 * An item running past the option ends the walk; what was emitted stands. */
static void
dhcp6_vendor_class(struct emitter *e, struct rd v)
{
    uint32_t ent = rd_be32(&v);

    if (v.err)
        return;
    emit_decimal(e, SIG_FIELD_DHCPV6_ENTERPRISE, ent);
    while (rd_left(&v) > 0) {
        uint16_t ilen = rd_be16(&v);
        struct rd item = v;

        if (v.err || !rd_limit(&item, ilen) || !rd_skip(&v, ilen))
            return;
        emit_text(e, SIG_FIELD_DHCPV6_VENDOR_CLASS, item);
    }
}

static int dhcp6_message(struct rd r, unsigned depth, struct dhcp6_info *info, struct emitter *e);

/* The options of one message. A relay's Relay Message option holds the next
 * message inward. */
static int
dhcp6_options(struct rd r, uint8_t type, unsigned depth, struct dhcp6_info *info,
              struct emitter *e)
{
    bool relay = type == DHCP6_RELAY_FORW || type == DHCP6_RELAY_REPL;
    bool client = dhcp6_from_client(type);
    bool inner_done = false;

    while (rd_left(&r) > 0) {
        uint16_t code = rd_be16(&r);
        uint16_t olen = rd_be16(&r);
        struct rd v = r;

        if (r.err || !rd_limit(&v, olen) || !rd_skip(&r, olen))
            return -1;
        if (relay) {
            if (code == OPT6_RELAY_MSG && !inner_done) {
                inner_done = true;
                if (dhcp6_message(v, depth + 1, info, e) < 0)
                    return -1;
            }
            continue;
        }
        if (!client)
            continue;
        switch (code) {
        case OPT6_CLIENTID:
            dhcp6_duid(v, info);
            break;
        case OPT6_VENDOR_CLASS:
            dhcp6_vendor_class(e, v);
            break;
        case OPT6_VENDOR_OPTS:
            if (olen >= 4)
                emit_decimal(e, SIG_FIELD_DHCPV6_ENTERPRISE, rd_be32(&v));
            break;
        default:
            break;
        }
    }
    return 0;
}

/* One message, relay or not; depth counts the relay headers around it. */
static int
dhcp6_message(struct rd r, unsigned depth, struct dhcp6_info *info, struct emitter *e)
{
    uint8_t type = rd_u8(&r);

    if (type == 0 || depth > DHCP6_RELAY_DEPTH)
        return -1;
    if (type == DHCP6_RELAY_FORW || type == DHCP6_RELAY_REPL)
        rd_skip(&r, 1 + 2 * DHCP6_ADDR_LEN); /* hop-count, link and peer address */
    else
        rd_skip(&r, 3); /* transaction id */
    if (r.err)
        return -1;
    /* The innermost message names the type: a relayed Solicit is a Solicit. */
    if (info != NULL)
        info->msg_type = type;
    return dhcp6_options(r, type, depth, info, e);
}

int
dhcp6_parse(const uint8_t *msg, size_t len, struct dhcp6_info *info, const struct obs_sink *sink)
{
    struct emitter e = { sink, 0 };

    if (info != NULL)
        memset(info, 0, sizeof(*info));
    if (msg == NULL)
        return -1;
    if (dhcp6_message(rd_init(msg, len), 0, info, &e) < 0)
        return -1;
    return e.emitted;
}
