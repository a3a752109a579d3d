/* ex_sip.h - SIP (RFC 3261) request/response headers.
 */
#ifndef TELEXPOSE_EX_SIP_H
#define TELEXPOSE_EX_SIP_H

#include <stddef.h>
#include <stdint.h>

#include "telexpose/obs.h"

/* Parse one SIP message (UDP payload or the start of a TCP stream). Emits
 * sip.user_agent (User-Agent) and sip.server (Server); compact and
 * case-insensitive header names are understood. Returns observations
 * emitted, or -1 when the start line is not SIP. */
int sip_parse(const uint8_t *msg, size_t len, const struct obs_sink *sink);

#endif /* TELEXPOSE_EX_SIP_H */
