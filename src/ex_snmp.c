#include "telexpose/ex_snmp.h"
int snmp_parse(const uint8_t *msg, size_t len, struct snmp_info *info, const struct obs_sink *sink) { (void)msg; (void)len; (void)info; (void)sink; return -1; }
