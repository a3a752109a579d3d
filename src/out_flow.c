/* out_flow.c - placeholder: flow event formatting moves here from out_json.c. */
#include "out_int.h"
