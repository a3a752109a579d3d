/* ex_xml.c - placeholder: the XML scanner shared by ex_cwmp.c and ex_upnp.c moves here. */
#include "ex_xml.h"
