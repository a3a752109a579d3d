/* ex_test_sink.h - what the extractor unit tests share: a recording
 * observation sink and exact-size heap copies of the input (so
 * AddressSanitizer catches a read past the end). A test that defines
 * EX_TEST_HTTP before including it also gets the HTTP parse helpers and the
 * cut-at-every-length check of an HTTP message. Included by one test program
 * each; everything is static inline so a test that uses part of it builds
 * without warnings.
 */
#ifndef TELEXPOSE_EX_TEST_SINK_H
#define TELEXPOSE_EX_TEST_SINK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "telexpose/obs.h"

/* ------------------------------------------------------- recording sink */

#define REC_MAX 64

/* Longest value kept. Like the real sink it cuts at OBS_VALUE_MAX; a test
 * that checks what the parser formats before that cut may raise it. */
#ifndef REC_VALUE_CAP
#define REC_VALUE_CAP OBS_VALUE_MAX
#endif

struct rec {
    int n;
    enum sig_field field[REC_MAX];
    char value[REC_MAX][REC_VALUE_CAP + 1];
    size_t len[REC_MAX]; /* as kept, after the cut */
    bool too_long;       /* some value was longer than OBS_VALUE_MAX */
};

static inline void
rec_emit(void *user, enum sig_field field, const char *value, size_t len)
{
    struct rec *r = user;

    if (len > OBS_VALUE_MAX)
        r->too_long = true;
    if (r->n >= REC_MAX)
        return;
    if (len > REC_VALUE_CAP)
        len = REC_VALUE_CAP;
    r->field[r->n] = field;
    memcpy(r->value[r->n], value, len);
    r->value[r->n][len] = '\0';
    r->len[r->n] = len;
    r->n++;
}

/* An empty recording and the sink that fills it. */
static inline struct obs_sink
rec_sink(struct rec *r)
{
    memset(r, 0, sizeof(*r));
    return (struct obs_sink){ rec_emit, r };
}

/* True when observation i is field = want, byte for byte. */
static inline bool
rec_is(const struct rec *r, int i, enum sig_field field, const char *want)
{
    return i >= 0 && i < r->n && r->field[i] == field && r->len[i] == strlen(want) &&
           memcmp(r->value[i], want, r->len[i]) == 0;
}

static inline int
rec_count(const struct rec *r, enum sig_field f)
{
    int c = 0;

    for (int i = 0; i < r->n; i++)
        c += r->field[i] == f;
    return c;
}

/* The value of the k-th observation of f, or NULL. */
static inline const char *
rec_get(const struct rec *r, enum sig_field f, int k)
{
    for (int i = 0; i < r->n; i++)
        if (r->field[i] == f && k-- == 0)
            return r->value[i];
    return NULL;
}

/* True when every observation of sub is also in full. */
static inline bool
rec_subset(const struct rec *sub, const struct rec *full)
{
    for (int i = 0; i < sub->n; i++) {
        bool found = false;

        for (int j = 0; j < full->n && !found; j++)
            found = sub->field[i] == full->field[j] && strcmp(sub->value[i], full->value[j]) == 0;
        if (!found)
            return false;
    }
    return true;
}

/* ---------------------------------------------------------- input copy */

/* An exact-size heap copy of d[0..n): free() it after the parse. */
static inline uint8_t *
dup_bytes(const void *d, size_t n)
{
    uint8_t *p = malloc(n ? n : 1);

    if (p == NULL)
        abort();
    if (n)
        memcpy(p, d, n);
    return p;
}

/* -------------------------------------------------------- HTTP helpers */

#ifdef EX_TEST_HTTP

#include "telexpose/ex_http.h"

static inline int
parse(const void *d, size_t n, struct http_info *info, struct rec *r)
{
    struct obs_sink s = rec_sink(r);
    uint8_t *p = dup_bytes(d, n);
    int rv = http_parse(p, n, info, &s);
    free(p);
    return rv;
}

static inline long
need(const void *d, size_t n)
{
    uint8_t *p = dup_bytes(d, n);
    long rv = http_message_need(p, n);

    free(p);
    return rv;
}

static inline int
parse_xml(int (*fn)(const uint8_t *, size_t, const struct obs_sink *), const char *x, size_t n,
          struct rec *r)
{
    struct obs_sink s = rec_sink(r);
    uint8_t *p = dup_bytes(x, n);
    int rv = fn(p, n, &s);
    free(p);
    return rv;
}

/* head (ending in CRLF) + Content-Length: strlen(body) + blank line + body */
static inline size_t
with_body(char *out, size_t cap, const char *head, const char *body)
{
    int n = snprintf(out, cap, "%sContent-Length: %zu\r\n\r\n%s", head, strlen(body), body);

    if (n < 0 || (size_t)n >= cap)
        abort();
    return (size_t)n;
}

/* Every prefix of msg parses without a fault, never hands on a value the
 * whole message does not have, and need() stays sane. */
static inline void
test_truncation(const char *what, const char *msg, size_t n)
{
    struct rec full, r;
    struct http_info info;
    bool subset = true, consumed = true, sane = true, grows = true;
    int prev = 0;

    parse(msg, n, &info, &full);
    for (size_t k = 0; k <= n; k++) {
        long w = need(msg, k);
        int rv = parse(msg, k, &info, &r);

        subset = subset && rec_subset(&r, &full);
        consumed = consumed && (rv < 0 || info.consumed <= k);
        sane = sane && (w == -1 || w == 0 || (w > (long)k && w <= (long)n + 1));
        grows = grows && (rv < 0 || rv >= prev);
        if (rv > 0)
            prev = rv;
    }
    ok(subset, "%s cut at every length: only values of the whole message", what);
    ok(consumed, "%s cut at every length: consumed within the data", what);
    ok(sane, "%s cut at every length: need is -1, 0 or more than there is", what);
    ok(grows, "%s cut at every length: observations do not vanish", what);
}

#endif /* EX_TEST_HTTP */

#endif /* TELEXPOSE_EX_TEST_SINK_H */
