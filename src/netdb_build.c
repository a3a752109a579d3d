/* placeholder: writes an empty file */
#include <stdio.h>
int main(int argc, char **argv) { if (argc > 2) { FILE *f = fopen(argv[2], "w"); if (f) fclose(f); } return 0; }
