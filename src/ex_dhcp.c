#include "telexpose/ex_dhcp.h"
int dhcp4_parse(const uint8_t *msg, size_t len, struct dhcp4_info *info, const struct obs_sink *sink) { (void)msg; (void)len; (void)info; (void)sink; return -1; }
int dhcp6_parse(const uint8_t *msg, size_t len, struct dhcp6_info *info, const struct obs_sink *sink) { (void)msg; (void)len; (void)info; (void)sink; return -1; }
