/* ex_text.h - placeholder */
#ifndef TELEXPOSE_EX_TEXT_H
#define TELEXPOSE_EX_TEXT_H
typedef int ex_text_placeholder;
#endif
