#include "telexpose/ex_ssdp.h"
int ssdp_parse(const uint8_t *msg, size_t len, char *location, size_t loclen, const struct obs_sink *sink) { (void)msg; (void)len; (void)location; (void)loclen; (void)sink; return -1; }
