/* usage.h - the --help text. */
#ifndef TELEXPOSE_USAGE_H
#define TELEXPOSE_USAGE_H

#include <stdio.h>

/* Print the help to fp. */
void usage(FILE *fp);

#endif /* TELEXPOSE_USAGE_H */
