#include "telexpose/ex_l2.h"
int lldp_parse(const uint8_t *pdu, size_t len, struct lldp_info *info, const struct obs_sink *sink) { (void)pdu; (void)len; (void)info; (void)sink; return -1; }
bool hgmp_is_frame(uint16_t ethertype, const uint8_t dst_mac[6]) { (void)ethertype; (void)dst_mac; return false; }
int hgmp_parse(const uint8_t *payload, size_t len, const struct obs_sink *sink) { (void)payload; (void)len; (void)sink; return -1; }
