/* fragcache.h - placeholder */
#ifndef TELEXPOSE_FRAGCACHE_H
#define TELEXPOSE_FRAGCACHE_H
typedef int fragcache_placeholder;
#endif
