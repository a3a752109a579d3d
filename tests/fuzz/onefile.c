/* onefile.c - replay fuzz inputs through LLVMFuzzerTestOneInput without libFuzzer.
 *
 * Reference: the libFuzzer entry point contract (https://llvm.org/docs/LibFuzzer.html);
 * linked with each target so `make check` runs the seed corpora under the
 * normal (or sanitizer) build. Each argument is a file or a directory; a
 * directory's files are replayed, and those of its subdirectories one level
 * down. Each input is copied into an exact-size heap buffer so a sanitizer
 * sees reads past its end.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned long replayed;
static int failed;

static void
replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0, n;

    if (!f) {
        perror(path);
        failed = 1;
        return;
    }
    for (;;) {
        if (len == cap) {
            uint8_t *nb;

            cap = cap ? cap * 2 : 4096;
            nb = realloc(buf, cap);
            if (!nb) {
                perror("realloc");
                exit(1);
            }
            buf = nb;
        }
        n = fread(buf + len, 1, cap - len, f);
        if (n == 0)
            break;
        len += n;
    }
    if (ferror(f)) {
        perror(path);
        failed = 1;
    } else {
        uint8_t *exact = malloc(len ? len : 1);

        if (!exact) {
            perror("malloc");
            exit(1);
        }
        if (len)
            memcpy(exact, buf, len);
        LLVMFuzzerTestOneInput(exact, len);
        free(exact);
        replayed++;
    }
    free(buf);
    fclose(f);
}

static void
replay_path(const char *path, int depth)
{
    struct stat st;
    DIR *d;
    struct dirent *e;

    if (stat(path, &st) != 0) {
        perror(path);
        failed = 1;
        return;
    }
    if (!S_ISDIR(st.st_mode)) {
        replay_file(path);
        return;
    }
    if (depth > 1)
        return;
    d = opendir(path);
    if (!d) {
        perror(path);
        failed = 1;
        return;
    }
    while ((e = readdir(d)) != NULL) {
        char sub[4096];

        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name) >= sizeof(sub))
            continue;
        replay_path(sub, depth + 1);
    }
    closedir(d);
}

int
main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        replay_path(argv[i], 0);
    printf("replayed %lu inputs\n", replayed);
    return failed;
}
