/* extract_stream.c - TCP payload of HTTP, Telnet and FTP flows.
 *
 * Most messages fit their first segment and are parsed straight from the
 * packet. A message that needs more (a TR-069 Inform, a UPnP description,
 * a banner sent in pieces) is collected in order in one per-flow buffer,
 * accounted to the flow table's memory cap and freed when it is parsed.
 * Out-of-order data ends the collection: what arrived is parsed as is.
 *
 * The facts about cleartext management (f->ex_facts) are set on the first
 * message that shows them, before a flow's reading stops: a Telnet
 * server's first bytes, a complete FTP greeting, an HTTP message as soon as
 * it is parsed, and the first segment of an HTTP message that is held back
 * (a flow that ends before it is complete still has its facts).
 */
#include "extract_int.h"

#include <stdlib.h>
#include <string.h>

#include "telexpose/ex_banner.h"
#include "telexpose/ex_http.h"
#include "telexpose/ex_sip.h"
#include "telexpose/ex_tls.h"

#define EX_HTTP_MSGS 8      /* HTTP messages read per flow */
#define EX_BANNER_PKTS 6    /* server segments searched for a banner */
#define EX_BANNER_MAX 2048  /* banner bytes collected */
#define EX_STREAM_MAX (HTTP_HEADER_MAX + HTTP_BODY_MAX)
#define EX_STARTTLS_PKTS 24 /* server segments searched for a TLS handshake */

/* One direction's message being collected (flow_meta.ex_buf). */
struct ex_buf {
    uint32_t len;
    uint32_t cap;
    uint32_t limit;     /* cap may grow up to this */
    uint32_t next_seq;  /* TCP sequence number of data[len] */
    uint8_t dir;
    uint8_t pkts;
    uint8_t data[];
};

static void
buf_free(struct flow_table *ft, struct flow *f)
{
    struct ex_buf *b = f->meta ? f->meta->ex_buf : NULL;
    if (b == NULL)
        return;
    flowtable_meta_account(ft, f, -(long)(sizeof(*b) + b->cap));
    free(b);
    f->meta->ex_buf = NULL;
    flowtable_enforce_memcap(ft, f); /* also updates the table's memory figures */
}

static struct ex_buf *
buf_new(struct flow_table *ft, struct flow *f, int dir, uint32_t cap, uint32_t limit)
{
    /* Buffers count against the flow memory cap like nDPI state: make
     * room first by evicting other flows. */
    flowtable_reserve(ft, sizeof(struct ex_buf) + cap, f);
    struct flow_meta *m = flowtable_meta(ft, f);
    struct ex_buf *b = malloc(sizeof(*b) + cap);
    if (b == NULL)
        return NULL;
    memset(b, 0, sizeof(*b));
    b->cap = cap;
    b->limit = limit;
    b->dir = (uint8_t)dir;
    m->ex_buf = b;
    flowtable_meta_account(ft, f, (long)(sizeof(*b) + cap));
    flowtable_enforce_memcap(ft, f);
    return b;
}

/* Make room for want bytes in all (capped at b->limit); false when
 * memory is short (the caller parses what it has). */
static bool
buf_reserve(struct flow_table *ft, struct flow *f, uint32_t want)
{
    struct ex_buf *b = f->meta->ex_buf;
    if (want > b->limit)
        want = b->limit;
    if (want <= b->cap)
        return true;
    flowtable_reserve(ft, want - b->cap, f);
    struct ex_buf *nb = realloc(b, sizeof(*b) + want);
    if (nb == NULL)
        return false;
    flowtable_meta_account(ft, f, (long)(want - nb->cap));
    nb->cap = want;
    f->meta->ex_buf = nb;
    flowtable_enforce_memcap(ft, f);
    return true;
}

/* Append the in-order payload of d (growing the buffer towards b->need);
 * false on a gap. A retransmission of what we have is ignored. */
static bool
buf_append(struct flow_table *ft, struct flow *f, const struct decoded_pkt *d)
{
    struct ex_buf *b = f->meta->ex_buf;
    int32_t off = (int32_t)(d->tcp_seq - b->next_seq);
    if (off > 0)
        return false;
    uint32_t skip = (uint32_t)-off;
    if (skip >= d->payload_len)
        return true;
    uint32_t n = d->payload_len - skip;
    if (n > b->cap - b->len && buf_reserve(ft, f, b->len + n))
        b = f->meta->ex_buf;
    if (n > b->cap - b->len)
        n = b->cap - b->len;
    memcpy(b->data + b->len, d->payload + skip, n);
    b->len += n;
    b->next_seq += skip + n;
    b->pkts++;
    return true;
}

static void
subject_src(struct ev_subject *s, const struct decoded_pkt *d)
{
    ex_subject_ip(s, d->src.a, d->ip_version);
}

static void
subject_flow_side(struct ev_subject *s, const struct flow *f, int dir)
{
    ex_subject_ip(s, dir == 0 ? flow_src_addr(f) : flow_dst_addr(f), f->key.ip_version);
}

/* ---- HTTP */

static uint8_t
http_facts(const struct http_info *info)
{
    uint8_t facts = 0;
    if (info->is_request && info->basic_auth)
        facts |= EXF_HTTP_BASIC_AUTH;
    if (!info->is_request && info->status == 401)
        facts |= EXF_HTTP_AUTH_ASKED;
    if (info->cwmp)
        facts |= EXF_CWMP;
    return facts;
}

/* Parse one message; returns its facts. */
static uint8_t
http_read(struct extract *x, const struct flow *f, int dir, const uint8_t *p, size_t len,
          uint64_t ts_us)
{
    struct http_info info;
    memset(&info, 0, sizeof(info));
    ex_batch_reset(x);
    http_parse(p, len, &info, &x->sink);
    struct ev_subject s;
    subject_flow_side(&s, f, dir);
    ex_batch_flush(x, &s, f->flow_id, ts_us);
    return http_facts(&info);
}

/* The facts of a message's first segment, for when the rest never comes:
 * nothing is emitted, the message is parsed again once complete. */
static void
http_early_facts(struct flow *f, const uint8_t *p, size_t len)
{
    struct http_info info;
    http_parse(p, len, &info, NULL);
    f->ex_facts |= http_facts(&info);
}

static void
http_done_msg(struct flow *f)
{
    if (++f->ex_state >= EX_HTTP_MSGS)
        f->ex_kind = EXK_NONE;
}

/* True when the collected message can be parsed: complete, hopeless, or
 * at the size limit. */
static bool
http_ready(const struct ex_buf *b)
{
    if (b->len >= EX_STREAM_MAX)
        return true;
    long need = http_message_need(b->data, b->len);
    return need <= (long)b->len;
}

/* Most messages are whole in their first segment and have no body worth
 * waiting for (a GET, an HTML page): spotted with memchr instead of
 * parsing the headers twice. False means "ask http_message_need()". */
static bool
http_complete_here(const uint8_t *p, size_t len)
{
    if (len >= 5 && memcmp(p, "POST ", 5) == 0)
        return false;
    size_t end = 0;
    for (const uint8_t *q = p; (q = memchr(q, '\n', len - (size_t)(q - p))) != NULL; q++) {
        size_t at = (size_t)(q - p);
        if (at + 2 < len && q[1] == '\r' && q[2] == '\n') {
            end = at + 3;
            break;
        }
    }
    if (end == 0)
        return false;
    /* An XML body (a UPnP description) is waited for. */
    for (const uint8_t *q = p; (q = memchr(q, 'x', end - (size_t)(q - p))) != NULL; q++)
        if ((size_t)(q - p) + 3 <= end && q[1] == 'm' && q[2] == 'l')
            return false;
    return true;
}

static void
http_packet(struct extract *x, struct flow_table *ft, struct flow *f,
            const struct decoded_pkt *d, int dir, uint64_t ts_us)
{
    struct ex_buf *b = f->meta ? f->meta->ex_buf : NULL;
    if (b != NULL && b->dir == dir) {
        bool in_order = buf_append(ft, f, d);
        b = f->meta->ex_buf;
        if (in_order && !http_ready(b) && b->len < b->cap)
            return;
        if (in_order && !http_ready(b)) {
            long need = http_message_need(b->data, b->len);
            if (buf_reserve(ft, f, need > (long)b->len + 1 ? (uint32_t)need : b->len * 2))
                return;
        }
        f->ex_facts |= http_read(x, f, dir, b->data, b->len, ts_us);
        buf_free(ft, f);
        http_done_msg(f);
        return;
    }
    if (b != NULL) {
        /* The other side answered first: take what was collected. */
        f->ex_facts |= http_read(x, f, b->dir, b->data, b->len, ts_us);
        buf_free(ft, f);
        http_done_msg(f);
        if (f->ex_kind == EXK_NONE)
            return;
    }
    /* Data that does not start a message continues one we did not keep. */
    if (!http_looks_like(d->payload, d->payload_len))
        return;
    long need = http_complete_here(d->payload, d->payload_len)
                    ? 0
                    : http_message_need(d->payload, d->payload_len);
    if (need > (long)d->payload_len) {
        /* Incomplete headers only say "more": start at twice what we have. */
        uint32_t cap = need > (long)d->payload_len + 1 ? (uint32_t)(need > EX_STREAM_MAX ? EX_STREAM_MAX : need)
                                                        : d->payload_len * 2;
        if (cap > EX_STREAM_MAX)
            cap = EX_STREAM_MAX;
        b = buf_new(ft, f, dir, cap, EX_STREAM_MAX);
        if (b != NULL) {
            b->next_seq = d->tcp_seq;
            buf_append(ft, f, d);
            http_early_facts(f, d->payload, d->payload_len);
            return;
        }
    }
    f->ex_facts |= http_read(x, f, dir, d->payload, d->payload_len, ts_us);
    http_done_msg(f);
}

/* ---- banners */

static bool
has_prompt(const uint8_t *p, size_t len)
{
    static const char *const prompts[] = { "ogin:", "sername:", "assword:", NULL };
    for (const char *const *q = prompts; *q != NULL; q++) {
        size_t n = strlen(*q);
        for (size_t i = 0; i + n <= len; i++)
            if (memcmp(p + i, *q, n) == 0)
                return true;
    }
    return false;
}

/* Parse the collected banner; true when the flow is done with. *ftp_greeting
 * tells whether a whole FTP 220 reply was read. */
static bool
banner_read(struct extract *x, const struct flow *f, const struct ex_buf *b, bool final,
            bool *ftp_greeting, uint64_t ts_us)
{
    int rc;
    ex_batch_reset(x);
    *ftp_greeting = false;
    if (f->ex_kind == EXK_FTP) {
        rc = ftp_banner_parse(b->data, b->len, &x->sink);
        *ftp_greeting = rc == 1;
        if (rc == 0 && !final && b->pkts < EX_BANNER_PKTS && b->len < b->cap)
            return false;
    } else {
        if (!final && !has_prompt(b->data, b->len) && b->pkts < EX_BANNER_PKTS &&
            b->len < b->cap)
            return false;
        rc = telnet_banner_parse(b->data, b->len, &x->sink);
    }
    struct ev_subject s;
    subject_flow_side(&s, f, b->dir);
    ex_batch_flush(x, &s, f->flow_id, ts_us);
    (void)rc;
    return true;
}

static void
banner_packet(struct extract *x, struct flow_table *ft, struct flow *f,
              const struct decoded_pkt *d, int dir, uint64_t ts_us)
{
    uint16_t port = f->ex_kind == EXK_FTP ? 21 : 23;
    if (d->src_port != port)
        return; /* the client's side says nothing about the server */
    if (f->ex_kind == EXK_TELNET)
        f->ex_facts |= EXF_TELNET; /* the server talks: a session, not a port probe */
    struct ex_buf *b = f->meta ? f->meta->ex_buf : NULL;
    if (b == NULL) {
        b = buf_new(ft, f, dir, EX_BANNER_MAX, EX_BANNER_MAX);
        if (b == NULL) {
            f->ex_kind = EXK_NONE;
            return;
        }
        b->next_seq = d->tcp_seq;
    }
    bool in_order = buf_append(ft, f, d);
    b = f->meta->ex_buf;
    bool greeting;
    bool done = banner_read(x, f, b, !in_order, &greeting, ts_us);
    if (greeting)
        f->ex_facts |= EXF_FTP;
    if (done) {
        buf_free(ft, f);
        /* FTP may switch to TLS (AUTH TLS): its certificate names the server. */
        f->ex_kind = f->ex_kind == EXK_FTP ? EXK_STARTTLS : EXK_NONE;
        f->ex_state = 0;
    }
}

/* ---- STARTTLS: the server's certificates, which nDPI does not read once
 * it has called the flow FTP, SMTP or IMAP. */

static void
tls_read(struct extract *x, const struct flow *f, const uint8_t *p, size_t len, uint64_t ts_us)
{
    ex_batch_reset(x);
    tls_cert_parse(p, len, &x->sink);
    struct ev_subject s;
    subject_flow_side(&s, f, 1);
    ex_batch_flush(x, &s, f->flow_id, ts_us);
}

static void
starttls_packet(struct extract *x, struct flow_table *ft, struct flow *f,
                const struct decoded_pkt *d, int dir, uint64_t ts_us)
{
    if (dir != 1)
        return;
    struct ex_buf *b = f->meta ? f->meta->ex_buf : NULL;
    if (b != NULL) {
        bool in_order = buf_append(ft, f, d);
        b = f->meta->ex_buf;
        long need = tls_cert_need(b->data, b->len);
        if (in_order && need > (long)b->len && b->len < TLS_CERT_STREAM_MAX &&
            buf_reserve(ft, f, (uint32_t)need)) {
            b = f->meta->ex_buf;
            if (b->cap > b->len)
                return;
        }
        b = f->meta->ex_buf;
        tls_read(x, f, b->data, b->len, ts_us);
        buf_free(ft, f);
        f->ex_kind = EXK_NONE;
        return;
    }
    if (d->payload_len < 2 || d->payload[0] != 0x16 || d->payload[1] != 0x03) {
        if (++f->ex_state >= EX_STARTTLS_PKTS)
            f->ex_kind = EXK_NONE;
        return;
    }
    long need = tls_cert_need(d->payload, d->payload_len);
    if (need > (long)d->payload_len) {
        uint32_t cap = need > TLS_CERT_STREAM_MAX ? TLS_CERT_STREAM_MAX : (uint32_t)need;
        b = buf_new(ft, f, dir, cap, TLS_CERT_STREAM_MAX);
        if (b != NULL) {
            b->next_seq = d->tcp_seq;
            buf_append(ft, f, d);
            return;
        }
    }
    if (need >= 0)
        tls_read(x, f, d->payload, d->payload_len, ts_us);
    f->ex_kind = EXK_NONE;
}

/* ---- SSH: each side opens with "SSH-protoversion-softwareversion"
 * (RFC 4253 section 4.2). nDPI 4.2 files the first one it sees as the
 * client's, which is the server's on most connections, so the side is
 * taken from the packet here. */

#define EX_SSH_SEEN0 0x02
#define EX_SSH_SEEN1 0x04
#define EX_SSH_MAX 255 /* the RFC's limit, CR LF included */

static void
ssh_packet(struct extract *x, struct flow *f, const struct decoded_pkt *d, int dir,
           uint64_t ts_us)
{
    uint8_t bit = dir == 0 ? EX_SSH_SEEN0 : EX_SSH_SEEN1;
    if ((f->ex_state & bit) || d->payload_len < 4 || memcmp(d->payload, "SSH-", 4) != 0) {
        /* Anything but an identification string: the exchange is past them. */
        f->ex_kind = EXK_NONE;
        return;
    }
    size_t n = d->payload_len < EX_SSH_MAX ? d->payload_len : EX_SSH_MAX;
    const uint8_t *eol = memchr(d->payload, '\n', n);
    if (eol != NULL)
        n = (size_t)(eol - d->payload);
    if (n > 0 && d->payload[n - 1] == '\r')
        n--;
    struct ev_subject s;
    subject_src(&s, d);
    ex_observe(x, &s, SIG_FIELD_SSH_BANNER, (const char *)d->payload, n, f->flow_id,
                     ts_us);
    f->ex_state |= bit;
    if ((f->ex_state & (EX_SSH_SEEN0 | EX_SSH_SEEN1)) == (EX_SSH_SEEN0 | EX_SSH_SEEN1))
        f->ex_kind = EXK_NONE;
}

/* Mail, chat and directory protocols that upgrade to TLS in place. */
static bool
is_starttls_port(uint16_t port)
{
    return port == 25 || port == 587 || port == 110 || port == 143 || port == 389 ||
           port == 5222;
}

void
ex_stream_packet(struct extract *x, struct flow_table *ft, struct flow *f,
                 const struct decoded_pkt *d, int dir, uint64_t ts_us)
{
    if (f->ex_state == 0 && f->ex_kind == EXK_HTTP) {
        /* Decided at the first payload of the flow, by port, then content. */
        if (d->src_port == 23 || d->dst_port == 23)
            f->ex_kind = EXK_TELNET;
        else if (d->src_port == 21 || d->dst_port == 21)
            f->ex_kind = EXK_FTP;
        else if (d->src_port == 5060 || d->dst_port == 5060)
            f->ex_kind = EXK_SIP;
        else if (is_starttls_port(d->dst_port) || is_starttls_port(d->src_port))
            f->ex_kind = EXK_STARTTLS;
        else if (d->payload_len >= 4 && memcmp(d->payload, "SSH-", 4) == 0)
            f->ex_kind = EXK_SSH;
        else if (!http_looks_like(d->payload, d->payload_len))
            f->ex_kind = EXK_NONE;
        f->ex_state = 1;
    }
    switch ((enum ex_kind)f->ex_kind) {
    case EXK_HTTP:
        http_packet(x, ft, f, d, dir, ts_us);
        break;
    case EXK_TELNET:
    case EXK_FTP:
        banner_packet(x, ft, f, d, dir, ts_us);
        break;
    case EXK_STARTTLS:
        starttls_packet(x, ft, f, d, dir, ts_us);
        break;
    case EXK_SSH:
        ssh_packet(x, f, d, dir, ts_us);
        break;
    case EXK_SIP: {
        struct ev_subject s;
        ex_batch_reset(x);
        if (sip_parse(d->payload, d->payload_len, &x->sink) >= 0) {
            subject_src(&s, d);
            ex_batch_flush(x, &s, f->flow_id, ts_us);
        }
        if (++f->ex_state >= EX_HTTP_MSGS)
            f->ex_kind = EXK_NONE;
        break;
    }
    default:
        break;
    }
}

void
ex_stream_end(struct extract *x, const struct flow *f, void *ex_buf, uint64_t ts_us)
{
    struct ex_buf *b = ex_buf;
    if (b->len == 0)
        return;
    bool greeting;
    /* Facts found now are not kept (f is read-only): the message's first
     * segment gave them, and an FTP greeting completes in banner_packet. */
    if (f->ex_kind == EXK_HTTP) {
        http_read(x, f, b->dir, b->data, b->len, ts_us);
    } else if (f->ex_kind == EXK_TELNET || f->ex_kind == EXK_FTP) {
        banner_read(x, f, b, true, &greeting, ts_us);
    } else if (f->ex_kind == EXK_STARTTLS) {
        tls_read(x, f, b->data, b->len, ts_us);
    }
}
