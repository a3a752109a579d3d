/* ex_tls.h - server certificates from a TLS 1.0-1.2 handshake (RFC 5246
 * section 7.4.2; X.509 per RFC 5280, DER per X.690), for TLS that nDPI does
 * not see: STARTTLS inside FTP, SMTP, IMAP and the like.
 */
#ifndef TELEXPOSE_EX_TLS_H
#define TELEXPOSE_EX_TLS_H

#include <stddef.h>
#include <stdint.h>

#include "telexpose/obs.h"

#define TLS_CERT_STREAM_MAX 32768 /* server bytes read in search of the certificates */

/* data: the server-to-client bytes from the first TLS record on. Returns 0
 * when data holds the whole Certificate handshake message (or shows there
 * will be none: a handshake that goes on without one, TLS 1.3), the total
 * number of bytes wanted when more are needed (> len; len + 1 when the
 * size is not known yet), or -1 when data does not start with a TLS
 * handshake record. Handshake messages may span records and records may
 * span segments. */
long tls_cert_need(const uint8_t *data, size_t len);

/* Emit, from the Certificate message in data, tls.subject and tls.issuer
 * of the server's (first) certificate and tls.issuer of each further
 * certificate of the chain (at most 8), each formatted as nDPI does:
 * "C=CN, ST=..., L=..., O=Huawei, OU=..., CN=..." in the certificate's RDN
 * order, attribute types C ST L O OU CN (others skipped; emailAddress as
 * "emailAddress="). Returns observations emitted, 0 when there is no
 * certificate, -1 when the records are malformed (what was emitted stands). */
int tls_cert_parse(const uint8_t *data, size_t len, const struct obs_sink *sink);

#endif /* TELEXPOSE_EX_TLS_H */
