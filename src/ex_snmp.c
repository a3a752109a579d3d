/* ex_snmp.c - device identity from SNMP v1/v2c responses and traps, and
 * the vendor from SNMPv3 engine ids.
 *
 * References: ITU-T X.690 sections 8.1 (TLV, definite lengths), 8.19
 * (OBJECT IDENTIFIER); RFC 1157 section 4 (v1 message, Trap-PDU); RFC 3416
 * section 3 (PDUs, context tags 0-8); RFC 3412 section 6 (v3 message);
 * RFC 3414 section 2.4 (UsmSecurityParameters); RFC 3411 section 5
 * (SnmpEngineID: 0x80000000 | enterprise number in the first 4 bytes).
 *
 * Only definite lengths up to 4 length bytes and single-byte tags are
 * understood: SNMP never needs more. Every length is checked against its
 * container before use, so a message whose outer SEQUENCE runs past the
 * datagram is refused before anything is emitted; inner inconsistencies
 * found later return -1 with what was emitted before left in place.
 * Requests (Get, GetNext, Set, GetBulk) name objects but carry no agent
 * values, so only Response, Trap, Inform and SNMPv2-Trap varbinds are read.
 * Encrypted or not, the v3 scoped PDU is not read: the engine id in the
 * security parameters is what identifies the agent.
 */
#include "telexpose/ex_snmp.h"

#include <stdio.h>
#include <string.h>

#include "telexpose/rd.h"

#define BER_INTEGER 0x02
#define BER_OCTET_STRING 0x04
#define BER_OID 0x06
#define BER_SEQUENCE 0x30
#define BER_CONTEXT_CONS 0xa0 /* class context, constructed: the PDU tags */

#define PDU_GET_RESPONSE 2
#define PDU_TRAP_V1 4
#define PDU_INFORM 6
#define PDU_TRAP_V2 7
#define PDU_MAX 8 /* report */

#define SNMP_V1 0
#define SNMP_V2C 1
#define SNMP_V3 3
#define USM_MODEL 3

#define OID_ARCS_MAX 128
#define OID_TEXT_MAX (OID_ARCS_MAX * 11) /* "4294967295." per arc */
#define ENGINE_ID_ENTERPRISE_MIN 5       /* 4 enterprise bytes + format byte */

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

/* ------------------------------------------------------------------ BER */

/* Read one TLV header and hand its contents as *val; r moves past the
 * whole element. False on a multi-byte tag, an indefinite or over-long
 * length form, or contents running past r's window. */
static bool
ber_next(struct rd *r, uint8_t *tag, struct rd *val)
{
    uint8_t t = rd_u8(r);
    uint8_t l = rd_u8(r);
    size_t len = l;

    if (r->err || (t & 0x1f) == 0x1f)
        return false;
    if (l & 0x80) {
        unsigned n = l & 0x7f;

        if (n == 0 || n > 4)
            return false;
        len = 0;
        for (unsigned i = 0; i < n; i++)
            len = (len << 8) | rd_u8(r);
        if (r->err)
            return false;
    }
    if (!rd_has(r, len))
        return false;
    *tag = t;
    *val = *r;
    rd_limit(val, len);
    rd_skip(r, len);
    return true;
}

/* ber_next() that also requires the tag to be want. */
static bool
ber_expect(struct rd *r, uint8_t want, struct rd *val)
{
    uint8_t tag;

    return ber_next(r, &tag, val) && tag == want;
}

static bool
ber_skip(struct rd *r)
{
    uint8_t tag;
    struct rd val;

    return ber_next(r, &tag, &val);
}

/* A non-negative INTEGER of at most 4 content bytes (versions, models). */
static bool
ber_small_uint(struct rd *r, uint32_t *out)
{
    struct rd v;
    size_t n;
    uint32_t x = 0;

    if (!ber_expect(r, BER_INTEGER, &v))
        return false;
    n = rd_left(&v);
    if (n == 0 || n > 4 || (rd_peek_u8(&v, 0) & 0x80))
        return false;
    while (rd_left(&v) > 0)
        x = (x << 8) | rd_u8(&v);
    *out = x;
    return true;
}

/* OID contents into arcs[0..*narcs). The first sub-identifier carries two
 * arcs (X*40+Y, X = 2 taking everything from 80 up). False on an empty
 * OID, a sub-identifier cut short or above 32 bits, or more than
 * OID_ARCS_MAX arcs. Leading 0x80 padding (not DER) is tolerated. */
static bool
oid_decode(struct rd v, uint32_t *arcs, size_t *narcs)
{
    size_t n = 0;

    if (rd_left(&v) == 0)
        return false;
    while (rd_left(&v) > 0) {
        uint32_t sub = 0;
        uint8_t b;

        do {
            b = rd_u8(&v);
            if (v.err || sub > (UINT32_MAX >> 7))
                return false;
            sub = (sub << 7) | (b & 0x7f);
        } while (b & 0x80);
        if (n == 0) {
            uint32_t x = sub < 40 ? 0 : sub < 80 ? 1 : 2;

            arcs[n++] = x;
            arcs[n++] = sub - x * 40;
        } else {
            if (n >= OID_ARCS_MAX)
                return false;
            arcs[n++] = sub;
        }
    }
    *narcs = n;
    return true;
}

/* Dotted text of an OID ("1.3.6.1.4.1.2011"), no leading dot. */
static size_t
oid_format(const uint32_t *arcs, size_t narcs, char *buf, size_t size)
{
    size_t off = 0;

    for (size_t i = 0; i < narcs; i++) {
        int k = snprintf(buf + off, size - off, i ? ".%u" : "%u", (unsigned)arcs[i]);

        if (k < 0 || (size_t)k >= size - off)
            return 0;
        off += (size_t)k;
    }
    return off;
}

/* --------------------------------------------------------------- varbinds */

static const uint32_t OID_SYSDESCR[] = {1, 3, 6, 1, 2, 1, 1, 1, 0};
static const uint32_t OID_SYSOBJECTID[] = {1, 3, 6, 1, 2, 1, 1, 2, 0};
static const uint32_t OID_SYSNAME[] = {1, 3, 6, 1, 2, 1, 1, 5, 0};

#define SYS_OID_ARCS (sizeof(OID_SYSDESCR) / sizeof(OID_SYSDESCR[0]))

/* The system-group objects we keep, with the value type each must have;
 * anything else (NULL, noSuchObject, endOfMibView) is skipped. */
static const struct sys_object {
    const uint32_t *oid;
    uint8_t type;
    enum sig_field field;
} sys_objects[] = {
    {OID_SYSDESCR, BER_OCTET_STRING, SIG_FIELD_SNMP_SYSDESCR},
    {OID_SYSOBJECTID, BER_OID, SIG_FIELD_SNMP_SYSOBJECTID},
    {OID_SYSNAME, BER_OCTET_STRING, SIG_FIELD_SNMP_SYSNAME},
};

static const struct sys_object *
sys_object_find(const uint32_t *arcs, size_t narcs)
{
    if (narcs != SYS_OID_ARCS)
        return NULL;
    for (size_t i = 0; i < sizeof(sys_objects) / sizeof(sys_objects[0]); i++)
        if (memcmp(arcs, sys_objects[i].oid, sizeof(OID_SYSDESCR)) == 0)
            return &sys_objects[i];
    return NULL;
}

/* VarBindList: SEQUENCE OF SEQUENCE { name OID, value ANY }. */
static bool
walk_varbinds(struct rd list, struct emitter *e)
{
    uint32_t arcs[OID_ARCS_MAX];
    char text[OID_TEXT_MAX];

    while (rd_left(&list) > 0) {
        struct rd vb, name, val;
        uint8_t vtag;
        size_t narcs, n;
        const struct sys_object *so;

        if (!ber_expect(&list, BER_SEQUENCE, &vb) || !ber_expect(&vb, BER_OID, &name) ||
            !ber_next(&vb, &vtag, &val) || !oid_decode(name, arcs, &narcs))
            return false;
        so = sys_object_find(arcs, narcs);
        if (so == NULL || vtag != so->type)
            continue;
        if (so->type == BER_OCTET_STRING) {
            emit(e, so->field, val.p, rd_left(&val));
            continue;
        }
        if (!oid_decode(val, arcs, &narcs))
            return false;
        n = oid_format(arcs, narcs, text, sizeof(text));
        emit(e, so->field, text, n);
    }
    return true;
}

/* The PDU after the v1/v2c community. pdu_type has been checked. */
static bool
parse_pdu(struct rd pdu, int pdu_type, struct emitter *e)
{
    struct rd list;
    int fields = pdu_type == PDU_TRAP_V1 ? 5 : 3;

    /* Trap-PDU: enterprise, agent-addr, generic-trap, specific-trap,
     * time-stamp; the others: request-id, error-status, error-index. */
    for (int i = 0; i < fields; i++)
        if (!ber_skip(&pdu))
            return false;
    if (!ber_expect(&pdu, BER_SEQUENCE, &list))
        return false;
    return walk_varbinds(list, e);
}

static int
parse_community(struct rd *msg, struct snmp_info *info, struct emitter *e)
{
    struct rd community, pdu;
    uint8_t tag;
    int type;

    if (!ber_expect(msg, BER_OCTET_STRING, &community))
        return -1;
    info->has_community = true;
    if (!ber_next(msg, &tag, &pdu) || (tag & 0xe0) != BER_CONTEXT_CONS ||
        (tag & 0x1f) > PDU_MAX)
        return -1;
    type = tag & 0x1f;
    info->pdu_type = type;
    if (type != PDU_GET_RESPONSE && type != PDU_TRAP_V1 && type != PDU_INFORM &&
        type != PDU_TRAP_V2)
        return e->emitted;
    if (!parse_pdu(pdu, type, e))
        return -1;
    return e->emitted;
}

/* msgGlobalData, msgSecurityParameters (a USM SEQUENCE wrapped in an
 * OCTET STRING), then msgData: a plaintext ScopedPDU names the PDU type. */
static int
parse_v3(struct rd *msg, struct snmp_info *info, struct emitter *e)
{
    struct rd global, secparams, usm, engine, data, pdu;
    uint32_t model;
    uint8_t tag;
    size_t n;

    if (!ber_expect(msg, BER_SEQUENCE, &global) || !ber_skip(&global) || !ber_skip(&global) ||
        !ber_skip(&global) || !ber_small_uint(&global, &model) ||
        !ber_expect(msg, BER_OCTET_STRING, &secparams))
        return -1;
    if (model != USM_MODEL)
        return 0;
    if (!ber_expect(&secparams, BER_SEQUENCE, &usm) ||
        !ber_expect(&usm, BER_OCTET_STRING, &engine))
        return -1;
    n = rd_left(&engine);
    if (n >= ENGINE_ID_ENTERPRISE_MIN && (rd_peek_u8(&engine, 0) & 0x80)) {
        char buf[16];
        int k = snprintf(buf, sizeof(buf), "%u", (unsigned)(rd_be32(&engine) & 0x7fffffffu));

        emit(e, SIG_FIELD_SNMP_ENGINE_ENTERPRISE, buf, (size_t)k);
    }
    if (!ber_next(msg, &tag, &data))
        return -1;
    if (tag == BER_SEQUENCE && ber_skip(&data) && ber_skip(&data) && ber_next(&data, &tag, &pdu) &&
        (tag & 0xe0) == BER_CONTEXT_CONS && (tag & 0x1f) <= PDU_MAX)
        info->pdu_type = tag & 0x1f;
    return e->emitted;
}

int
snmp_parse(const uint8_t *msg, size_t len, struct snmp_info *info, const struct obs_sink *sink)
{
    struct snmp_info dummy;
    struct emitter e = {sink, 0};
    struct rd r, seq;
    uint32_t version;

    if (info == NULL)
        info = &dummy;
    info->version = -1;
    info->pdu_type = -1;
    info->has_community = false;
    if (msg == NULL)
        return -1;
    r = rd_init(msg, len);
    if (!ber_expect(&r, BER_SEQUENCE, &seq) || !ber_small_uint(&seq, &version))
        return -1;
    switch (version) {
    case SNMP_V1:
    case SNMP_V2C:
        info->version = (int)version;
        return parse_community(&seq, info, &e);
    case SNMP_V3:
        info->version = (int)version;
        return parse_v3(&seq, info, &e);
    default:
        return 0; /* v2u/v2* drafts: well-formed, nothing we read */
    }
}
