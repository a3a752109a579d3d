#include <stdio.h>
int main(void) { printf("1..1\nnot ok 1 - not written yet\n"); return 1; }
