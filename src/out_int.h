/* out_int.h - placeholder */
#ifndef TELEXPOSE_OUT_INT_H
#define TELEXPOSE_OUT_INT_H
typedef int out_int_placeholder;
#endif
