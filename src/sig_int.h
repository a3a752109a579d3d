/* sig_int.h - what sig_load.c builds and sig_match.c reads.
 *
 * Internal to the signature engine; nothing outside src/sig_*.c includes it.
 * Every pointer below is owned by the struct sig_db that holds it and is
 * released by sig_db_free().
 */
#ifndef TELEXPOSE_SIG_INT_H
#define TELEXPOSE_SIG_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pcre2.h>

#include "telexpose/sig.h"

enum sig_kind {
    SIG_K_EXACT = 0,
    SIG_K_PREFIX,
    SIG_K_SUFFIX,
    SIG_K_CONTAINS,
    SIG_K_IEXACT,
    SIG_K_IPREFIX,
    SIG_K_ISUFFIX,
    SIG_K_ICONTAINS,
    SIG_K_REGEX,
    SIG_K_NUMBER,
    SIG_K_OID,
    SIG_K_CIDR,
    SIG_K_DOMAIN,
    SIG_K_COUNT
};

/* An example or nomatch line. model/version are NULL unless the example
 * says model=/version=. */
struct sig_example {
    char *value;
    char *model;
    char *version;
    unsigned line;
};

struct sig_rule {
    char *id;
    unsigned line;          /* of its "rule" line */
    size_t pack;            /* index into sig_db.packs */
    enum sig_field field;
    enum sig_kind kind;
    char *pattern;          /* as written (domain: lowercased, no trailing dot) */
    size_t patlen;
    pcre2_code *re;         /* SIG_K_REGEX */
    uint32_t groups;        /* capture groups of re */
    uint64_t num_lo, num_hi;        /* SIG_K_NUMBER, inclusive */
    uint8_t net[16];                /* SIG_K_CIDR, network bytes */
    unsigned net_len;               /* 4 or 16 */
    unsigned prefix;                /* CIDR prefix length in bits */
    double confidence;
    char *model;            /* template or NULL */
    char *version;          /* template or NULL */
    char *vendor;           /* override or NULL */
    const char *role;       /* "role" word (static storage) or NULL */
    char *source;
    struct sig_example *examples;
    size_t n_examples;
    struct sig_example *nomatches;
    size_t n_nomatches;
};

struct sig_pack {
    char *id;
    char *file;             /* path used in messages */
    char *vendor;
    char *title;            /* "" when absent */
    char *counts_as;        /* "counts-as" vendor, NULL when absent */
    const char *role;       /* default role of its rules (static storage), or NULL */
    bool default_on;
    size_t first_rule;      /* rules [first_rule, first_rule + n_rules) of the db */
    size_t n_rules;
};

/* Rules of one field. exact[] and iexact[] hold rule indexes sorted by
 * pattern (iexact by its ASCII-lowercased pattern) then by index, so a
 * lookup is a binary search; other[] is every other rule, in load order. */
struct sig_field_index {
    size_t *exact;
    size_t n_exact;
    size_t *iexact;
    size_t n_iexact;
    size_t *other;
    size_t n_other;
    size_t n_regex;         /* regex rules among other[] */
    uint32_t max_groups;    /* most capture groups of a regex rule here */
};

struct sig_db {
    struct sig_pack *packs;
    size_t n_packs;
    struct sig_rule *rules;
    size_t n_rules;
    struct sig_field_index idx[SIG_FIELD_COUNT];
    /* Read-only once built, so sharing it between threads is safe; its
     * limits stop a pathological regex from stalling the packet path. */
    pcre2_match_context *mctx;
};

/* ASCII-only case-insensitive comparison (locale-independent on purpose:
 * observations are protocol text, not the user's language). */
int sig_ascii_casecmp(const char *a, const char *b);

/* True when rule r matches value; groups of a regex match are left in md
 * (which may be NULL for non-regex rules). */
bool sig_rule_matches(const struct sig_db *db, const struct sig_rule *r, const char *value,
                      pcre2_match_data *md);

/* Expand template tpl (literal text, $1..$9 from md, $$ for "$") into
 * out[0..len), cut at a UTF-8 boundary. */
void sig_expand(const char *tpl, const char *value, pcre2_match_data *md, char *out,
                size_t len);

/* sig_compile.c: each function returns 0, or -1 with msg holding "what is
 * wrong (what to do)" for the caller to prefix with FILE:LINE. */

#define SIG_MAX_TOKENS 8 /* no line needs more; more is a quoting mistake */

struct sig_token {
    char *s;
    bool quoted;            /* written as "..." (so "none" is a literal) */
};

/* Space or tab (or \v, \f) between words. */
bool sig_is_space(char c);

/* Split line[0..len) into at most SIG_MAX_TOKENS words, unquoted and
 * unescaped into scratch (sized 2 * len + 2); *ntok gets their count. A "#"
 * at the start of a word starts a comment, so "C#" stays a word. */
int sig_tokenize(const char *line, size_t len, char *scratch, struct sig_token *tok,
                 size_t *ntok, char *msg, size_t msglen);

/* Match kind by its pack name ("regex"), or -1. */
int sig_kind_from_name(const char *name);

/* Compile r->pattern (non-empty) for r->kind: regex code and group count,
 * number bounds, OID/domain normalised in place, CIDR network. */
int sig_compile_pattern(struct sig_rule *r, char *msg, size_t msglen);

/* A confidence: a number with 0 < C <= 1. */
int sig_parse_confidence(const char *s, double *out, char *msg, size_t msglen);

/* A role word (router, switch, cpe, phone, camera, radio, server, host):
 * *out gets the same word in static storage. */
int sig_parse_role(const char *s, const char **out, char *msg, size_t msglen);

/* r's model/version templates use only $$ and $1..$9 within its regex's
 * capture groups (the message starts "rule ID: "). */
int sig_check_templates(const struct sig_rule *r, char *msg, size_t msglen);

/* Build db->idx and db->mctx from db->rules. */
void sig_db_index(struct sig_db *db);

#endif /* TELEXPOSE_SIG_INT_H */
