/* fragcache.c - placeholder: the IP fragment cache moves here from flowtable.c. */
#include "fragcache.h"
