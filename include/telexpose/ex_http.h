/* ex_http.h - HTTP/1.x messages (RFC 9112): headers that identify devices,
 * and the bodies worth reading (TR-069 Inform, UPnP description, <title>).
 */
#ifndef TELEXPOSE_EX_HTTP_H
#define TELEXPOSE_EX_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "telexpose/obs.h"

#define HTTP_HEADER_MAX 8192   /* a header block longer than this is not read */
#define HTTP_BODY_MAX 16384    /* bodies longer than this are not read */

/* True when data starts like an HTTP request ("GET ", "POST ", ...) or
 * response ("HTTP/1."). Cheap: used to pick the extractor for a flow. */
bool http_looks_like(const uint8_t *data, size_t len);

/* How many bytes of data[0..len) the first message needs before it can be
 * parsed: 0 when data already holds it (headers and, when the body is worth
 * waiting for (a POST's, or an XML response's that is not HTML) and its
 * Content-Length is at most HTTP_BODY_MAX, the body), else
 * the total size wanted (> len), or -1 when it can never be complete or is
 * not worth waiting for (not HTTP, headers over HTTP_HEADER_MAX): parse
 * what there is. Chunked bodies are read as far as they are present. */
long http_message_need(const uint8_t *data, size_t len);

struct http_info {
    bool is_request;
    bool is_post;
    int status;               /* response status, 0 for requests */
    bool basic_auth;          /* request carried Authorization: Basic */
    size_t consumed;          /* bytes of data this message took */
    bool cwmp;                /* the body is TR-069 (CWMP) SOAP: an Inform, or a
                               * request or XML response in the CWMP namespace
                               * (urn:dslforum-org:cwmp-...) */
};

/* Parse the first HTTP message of data[0..len). Requests emit
 * http.user_agent and http.host; responses emit http.server,
 * http.www_authenticate (one per header) and http.title (the <title> of an
 * HTML body present in data). Bodies that are a TR-069 Inform go to
 * cwmp_parse_inform(), UPnP device descriptions to upnp_parse_description().
 * info may be NULL. Returns observations emitted, or -1 when not HTTP. */
int http_parse(const uint8_t *data, size_t len, struct http_info *info, const struct obs_sink *sink);

/* TR-069 (CWMP, TR-069 Amendment 6 A.3.3.1) Inform body: emits
 * cwmp.manufacturer, cwmp.oui, cwmp.product_class, cwmp.serial_number from
 * DeviceId and cwmp.software_version / cwmp.hardware_version from the
 * ParameterList (...DeviceInfo.SoftwareVersion / HardwareVersion). Namespace
 * prefixes are ignored. Returns observations emitted, 0 when not an Inform. */
int cwmp_parse_inform(const uint8_t *xml, size_t len, const struct obs_sink *sink);

/* UPnP device description (UDA 2.0 section 2.3): emits upnp.manufacturer,
 * upnp.model_name, upnp.model_number, upnp.model_description and
 * upnp.manufacturer_url of the root device. Returns observations emitted,
 * 0 when not a description. */
int upnp_parse_description(const uint8_t *xml, size_t len, const struct obs_sink *sink);

#endif /* TELEXPOSE_EX_HTTP_H */
