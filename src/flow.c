/* flow.c - what a flow record is, apart from the table that holds it: the
 * names of its states and end reasons, the default configuration, its
 * metadata's copies, and its endpoints in initiator order (see flow.h). */
#include "telexpose/flow.h"

#include <stdlib.h>
#include <string.h>

#include "telexpose/xalloc.h"

static const char *const end_reason_names[FLOW_END_COUNT] = {
    [FLOW_END_TIMEOUT] = "timeout",
    [FLOW_END_ACTIVE] = "active_timeout",
    [FLOW_END_EVICTED] = "eviction",
    [FLOW_END_EOF] = "end_of_input",
};

static const char *const tclass_names[FLOW_TC_COUNT] = {
    [FLOW_TC_TCP_NEW] = "tcp_new",       [FLOW_TC_TCP_EST] = "tcp_established",
    [FLOW_TC_TCP_CLOSED] = "tcp_closed", [FLOW_TC_UDP] = "udp",
    [FLOW_TC_ICMP] = "icmp",             [FLOW_TC_OTHER] = "other",
};

const char *
flow_end_reason_name(enum flow_end_reason r)
{
    return (unsigned)r < FLOW_END_COUNT ? end_reason_names[r] : "unknown";
}

const char *
flow_tclass_name(enum flow_tclass c)
{
    return (unsigned)c < FLOW_TC_COUNT ? tclass_names[c] : NULL;
}

const char *
flow_tcp_state_name(enum flow_tcp_state s)
{
    switch (s) {
    case FLOW_TCP_NEW:
        return "new";
    case FLOW_TCP_ESTABLISHED:
        return "established";
    case FLOW_TCP_CLOSED:
        return "closed";
    case FLOW_TCP_NONE:
        break;
    }
    return NULL;
}

void
flow_config_defaults(struct flow_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->memcap = FLOW_DEFAULT_MEMCAP;
    cfg->timeout[FLOW_TC_TCP_NEW] = FLOW_TIMEOUT_TCP_NEW;
    cfg->timeout[FLOW_TC_TCP_EST] = FLOW_TIMEOUT_TCP_EST;
    cfg->timeout[FLOW_TC_TCP_CLOSED] = FLOW_TIMEOUT_TCP_CLOSED;
    cfg->timeout[FLOW_TC_UDP] = FLOW_TIMEOUT_UDP;
    cfg->timeout[FLOW_TC_ICMP] = FLOW_TIMEOUT_ICMP;
    cfg->timeout[FLOW_TC_OTHER] = FLOW_TIMEOUT_OTHER;
    cfg->active_timeout = FLOW_ACTIVE_TIMEOUT;
}

/* The string fields of m, for the helpers below. */
#define META_STRS(m)                                                                           \
    {                                                                                          \
        &(m)->host, &(m)->http_url, &(m)->http_ua, &(m)->tls_issuer, &(m)->tls_subject,        \
            &(m)->ja3c, &(m)->ja3s, &(m)->ssh_client, &(m)->ssh_server, &(m)->hassh_client,    \
            &(m)->hassh_server, &(m)->dhcp_class, &(m)->dhcp_fp                                \
    }
#define META_NSTRS 13

void
flow_meta_free(struct flow_meta *m)
{
    if (m == NULL)
        return;
    char **strs[META_NSTRS] = META_STRS(m);
    for (size_t i = 0; i < META_NSTRS; i++)
        free(*strs[i]);
    free(m->ex_buf);
    free(m);
}

struct flow_meta *
flow_meta_dup(const struct flow_meta *m)
{
    if (m == NULL)
        return NULL;
    struct flow_meta *c = xmalloc(sizeof(*c));
    *c = *m;
    c->ex_buf = NULL; /* reassembly state stays with the live flow */
    char **strs[META_NSTRS] = META_STRS(c);
    for (size_t i = 0; i < META_NSTRS; i++)
        if (*strs[i] != NULL)
            *strs[i] = xstrdup(*strs[i]);
    return c;
}

const uint8_t *
flow_src_addr(const struct flow *f)
{
    return f->init_is_lo ? f->key.lo_addr : f->key.hi_addr;
}

const uint8_t *
flow_dst_addr(const struct flow *f)
{
    return f->init_is_lo ? f->key.hi_addr : f->key.lo_addr;
}

uint16_t
flow_src_port(const struct flow *f)
{
    return f->init_is_lo ? f->key.lo_port : f->key.hi_port;
}

uint16_t
flow_dst_port(const struct flow *f)
{
    return f->init_is_lo ? f->key.hi_port : f->key.lo_port;
}
