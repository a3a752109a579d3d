/* textfile.h - reading a whole data file (signature packs, the MAC
 * registry table) into memory, with one error message style.
 */
#ifndef TELEXPOSE_TEXTFILE_H
#define TELEXPOSE_TEXTFILE_H

#include <stddef.h>

/* The bytes of path in a heap buffer owned by the caller (free()), *len
 * set; the buffer is not NUL-terminated. NULL with errbuf "PATH: cannot
 * read: REASON" when it cannot be read, or "PATH: larger than MAX bytes
 * (WHY)" past max bytes (why_max says what the file should be). */
char *textfile_read(const char *path, size_t max, const char *why_max, size_t *len,
                    char *errbuf, size_t errlen);

#endif /* TELEXPOSE_TEXTFILE_H */
