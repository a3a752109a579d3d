#include "telexpose/ex_tls.h"
long tls_cert_need(const uint8_t *data, size_t len) { (void)data; (void)len; return -1; }
int tls_cert_parse(const uint8_t *data, size_t len, const struct obs_sink *sink) { (void)data; (void)len; (void)sink; return 0; }
