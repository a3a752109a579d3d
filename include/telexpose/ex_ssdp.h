/* ex_ssdp.h - SSDP (UPnP Device Architecture 2.0 section 1) over UDP 1900.
 */
#ifndef TELEXPOSE_EX_SSDP_H
#define TELEXPOSE_EX_SSDP_H

#include <stddef.h>
#include <stdint.h>

#include "telexpose/obs.h"

/* Parse a NOTIFY or an HTTP/1.1 200 search response. Emits ssdp.server
 * (SERVER) and ssdp.usn (USN). M-SEARCH requests carry no device identity
 * and emit nothing. If location is not NULL and the message has a LOCATION
 * header, up to loclen-1 bytes of it are copied there (NUL-terminated;
 * "" when absent). Returns observations emitted, or -1 when it is not SSDP. */
int ssdp_parse(const uint8_t *msg, size_t len, char *location, size_t loclen,
               const struct obs_sink *sink);

#endif /* TELEXPOSE_EX_SSDP_H */
