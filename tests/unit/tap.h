/* tap.h - minimal TAP producer for the C unit tests (Automake's tap-driver).
 *
 * ok(cond, fmt, ...) prints "ok N - msg" or "not ok N - msg"; done_testing()
 * prints the plan and returns the exit status. Single header on purpose: each
 * test program is one translation unit.
 */
#ifndef TELEXPOSE_TAP_H
#define TELEXPOSE_TAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n;
static int tap_failed;

static inline int tap_ok(int cond, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static inline int
tap_ok(int cond, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    tap_n++;
    printf("%s %d - ", cond ? "ok" : "not ok", tap_n);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    if (!cond) {
        tap_failed++;
        printf("#   Failed at %s line %d\n", file, line);
    }
    fflush(stdout);
    return cond;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define is_int(got, want, ...)                                                              \
    do {                                                                                    \
        long long g_ = (long long)(got), w_ = (long long)(want);                           \
        if (!tap_ok(g_ == w_, __FILE__, __LINE__, __VA_ARGS__))                            \
            printf("#   got: %lld\n#   expected: %lld\n", g_, w_);                         \
    } while (0)

#define is_str(got, want, ...)                                                              \
    do {                                                                                    \
        const char *g_ = (got), *w_ = (want);                                              \
        int c_ = (g_ && w_) ? strcmp(g_, w_) == 0 : g_ == w_;                               \
        if (!tap_ok(c_, __FILE__, __LINE__, __VA_ARGS__))                                  \
            printf("#   got: '%s'\n#   expected: '%s'\n", g_ ? g_ : "(null)",                \
                   w_ ? w_ : "(null)");                                                    \
    } while (0)

static inline int
done_testing(void)
{
    printf("1..%d\n", tap_n);
    return tap_failed ? 1 : 0;
}

#endif /* TELEXPOSE_TAP_H */
