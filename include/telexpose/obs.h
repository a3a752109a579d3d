/* obs.h - observations: what an extractor saw, on its way to the signatures.
 *
 * Extractors (ex_*.h) are pure parsers of hostile bytes: they read through
 * rd.h and hand every interesting value to a sink as (field, bytes). They do
 * not know which device the value is about; the caller (extract.c) does, and
 * binds the subject (MAC and/or IP, flow) before calling them.
 */
#ifndef TELEXPOSE_OBS_H
#define TELEXPOSE_OBS_H

#include <stddef.h>

#include "telexpose/sig.h"

/* value[0..len) is raw packet text: any bytes, not NUL-terminated, valid
 * only during the call. The sink copies (and repairs to UTF-8) what it keeps. */
typedef void (*obs_emit_fn)(void *user, enum sig_field field, const char *value, size_t len);

struct obs_sink {
    obs_emit_fn emit;
    void *user;
};

/* Longest value handed on; longer ones are cut by the sink. */
#define OBS_VALUE_MAX 512

static inline void
obs_emit(const struct obs_sink *s, enum sig_field field, const void *value, size_t len)
{
    if (s != NULL && s->emit != NULL && value != NULL && len > 0)
        s->emit(s->user, field, (const char *)value, len);
}

#endif /* TELEXPOSE_OBS_H */
