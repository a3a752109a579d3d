/* sig_compile.c - placeholder: the match compilers move here from sig_load.c. */
#include "sig_int.h"
