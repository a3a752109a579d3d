#include "telexpose/ex_banner.h"
int telnet_banner_parse(const uint8_t *data, size_t len, const struct obs_sink *sink) { (void)data; (void)len; (void)sink; return -1; }
int ftp_banner_parse(const uint8_t *data, size_t len, const struct obs_sink *sink) { (void)data; (void)len; (void)sink; return -1; }
