/* xalloc.h - allocation wrappers that abort on out-of-memory.
 *
 * The one place where running out of memory is handled: callers never test
 * for NULL. Size products are overflow-checked before allocating.
 */
#ifndef TELEXPOSE_XALLOC_H
#define TELEXPOSE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);

#endif /* TELEXPOSE_XALLOC_H */
