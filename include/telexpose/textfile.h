/* textfile.h - reading a whole data file (signature packs, the MAC
 * registry table) into memory, with one error message style.
 */
#ifndef TELEXPOSE_TEXTFILE_H
#define TELEXPOSE_TEXTFILE_H

#include <stdarg.h>
#include <stddef.h>

/* The bytes of path in a heap buffer owned by the caller (free()), *len
 * set; the buffer is not NUL-terminated. NULL with errbuf "PATH: cannot
 * read: REASON" when it cannot be read, or "PATH: larger than MAX bytes
 * (WHY)" past max bytes (why_max says what the file should be). */
char *textfile_read(const char *path, size_t max, const char *why_max, size_t *len,
                    char *errbuf, size_t errlen);

/* "NAME:LINE: " and fmt's message into errbuf[0..errlen), the one style of
 * every loader's errors. Returns -1, for "return textfile_vfail(...)". */
int textfile_vfail(char *errbuf, size_t errlen, const char *name, unsigned long line,
                   const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

#endif /* TELEXPOSE_TEXTFILE_H */
