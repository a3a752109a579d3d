#include "telexpose/ex_sip.h"
int sip_parse(const uint8_t *msg, size_t len, const struct obs_sink *sink) { (void)msg; (void)len; (void)sink; return -1; }
