#include "telexpose/ex_eui64.h"
bool eui64_to_mac(const uint8_t addr[16], uint8_t mac[6]) { (void)addr; (void)mac; return false; }
