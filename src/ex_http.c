#include "telexpose/ex_http.h"
bool http_looks_like(const uint8_t *data, size_t len) { (void)data; (void)len; return false; }
long http_message_need(const uint8_t *data, size_t len) { (void)data; (void)len; return -1; }
int http_parse(const uint8_t *data, size_t len, struct http_info *info, const struct obs_sink *sink) { (void)data; (void)len; (void)info; (void)sink; return -1; }
