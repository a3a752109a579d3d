/* ex_text.c - placeholder: header-line helpers shared by the text extractors. */
#include "ex_text.h"
