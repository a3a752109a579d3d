/* textfile.c - whole-file reads for the loaders. */
#include "telexpose/textfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "telexpose/xalloc.h"

char *
textfile_read(const char *path, size_t max, const char *why_max, size_t *len, char *errbuf,
              size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(errbuf, errlen, "%s: cannot read: %s", path, strerror(errno));
        return NULL;
    }
    /* Sized from fstat so a large table is read without regrowing; the loop
     * still copes with a file that changes size meanwhile. */
    struct stat st;
    size_t n = 0, cap = 4096;
    if (fstat(fileno(f), &st) == 0 && st.st_size > 0 && (size_t)st.st_size < max)
        cap = (size_t)st.st_size + 1;
    char *buf = xmalloc(cap);
    for (;;) {
        if (n == cap) {
            cap *= 2;
            buf = xreallocarray(buf, cap, 1);
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0 || n > max)
            break;
    }
    int bad = ferror(f);
    int e = errno;
    fclose(f);
    if (bad || n > max) {
        if (bad)
            snprintf(errbuf, errlen, "%s: cannot read: %s", path, strerror(e));
        else
            snprintf(errbuf, errlen, "%s: larger than %zu bytes (%s)", path, max, why_max);
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

int
textfile_vfail(char *errbuf, size_t errlen, const char *name, unsigned long line,
               const char *fmt, va_list ap)
{
    if (errlen == 0)
        return -1;
    int n = snprintf(errbuf, errlen, "%s:%lu: ", name, line);
    if (n >= 0 && (size_t)n < errlen)
        vsnprintf(errbuf + n, errlen - (size_t)n, fmt, ap);
    return -1;
}
