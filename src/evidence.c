/* evidence.c - placeholder until the match stage lands. */
#include "telexpose/evidence.h"
