/* ex_banner.h - greeting banners of line-oriented servers: Telnet
 * (RFC 854 option negotiation skipped) and FTP (RFC 959 220 reply).
 */
#ifndef TELEXPOSE_EX_BANNER_H
#define TELEXPOSE_EX_BANNER_H

#include <stddef.h>
#include <stdint.h>

#include "telexpose/obs.h"

/* Server-to-client Telnet bytes (one or more segments' worth). Strips IAC
 * sequences and control bytes other than CR/LF/TAB, and emits
 * telnet.banner: the text up to and including the first login prompt or
 * the end of data, at most OBS_VALUE_MAX bytes, with CR LF kept as "\r\n".
 * Returns 1 when emitted, 0 when there was no text, -1 when malformed. */
int telnet_banner_parse(const uint8_t *data, size_t len, const struct obs_sink *sink);

/* Server-to-client FTP bytes: emits ftp.banner, the text of the first 220
 * reply (all lines of a multi-line reply joined with "\n", code prefixes
 * removed). Returns 1 when emitted, 0 when the data holds no complete 220
 * reply, -1 when it is not FTP. */
int ftp_banner_parse(const uint8_t *data, size_t len, const struct obs_sink *sink);

#endif /* TELEXPOSE_EX_BANNER_H */
