/* sig_load.c - reading signature packs (docs/signatures.md) into a struct sig_db.
 *
 * sig_compile.c turns words, patterns, confidences and templates into
 * values; this file is the pack structure (header, rules, examples), the
 * files and the directory. Loading is all or nothing: packs and rules are
 * gathered in a builder and become a db only when every file parsed and
 * every cross-pack check passed; on any error the builder is freed whole.
 */
#include "sig_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "telexpose/textfile.h"
#include "telexpose/xalloc.h"

#define MAX_FILE_BYTES (16u << 20) /* a pack is hand-written text */

struct builder {
    struct sig_pack *packs;
    size_t n_packs;
    struct sig_rule *rules;
    size_t n_rules;
    size_t cap_rules;       /* grown by doubling: big packs load in linear time */
};

/* State while one file is read. */
struct parser {
    struct builder *b;
    const char *file;       /* label for messages */
    const char *stem;       /* file name without directory and ".sig" */
    size_t stem_len;
    unsigned line;
    size_t pack;            /* index of this file's pack in b->packs */
    bool have_pack, have_vendor, have_title, have_default;
    unsigned counts_as_line;
    struct sig_rule *rule;  /* rule being read, NULL before the first */
    char *err;
    size_t errlen;
};

static int
fail(struct parser *ps, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(struct parser *ps, unsigned line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    textfile_vfail(ps->err, ps->errlen, ps->file, line, fmt, ap);
    va_end(ap);
    return -1;
}

static void
free_examples(struct sig_example *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].value);
        free(v[i].model);
        free(v[i].version);
    }
    free(v);
}

static void
free_rule(struct sig_rule *r)
{
    free(r->id);
    free(r->pattern);
    pcre2_code_free(r->re);
    free(r->model);
    free(r->version);
    free(r->vendor);
    free(r->source);
    free_examples(r->examples, r->n_examples);
    free_examples(r->nomatches, r->n_nomatches);
}

static void
free_pack(struct sig_pack *p)
{
    free(p->id);
    free(p->file);
    free(p->vendor);
    free(p->title);
    free(p->counts_as);
}

static void
builder_free(struct builder *b)
{
    for (size_t i = 0; i < b->n_rules; i++)
        free_rule(&b->rules[i]);
    for (size_t i = 0; i < b->n_packs; i++)
        free_pack(&b->packs[i]);
    free(b->rules);
    free(b->packs);
    b->rules = NULL;
    b->packs = NULL;
    b->n_rules = b->n_packs = b->cap_rules = 0;
}

void
sig_db_free(struct sig_db *db)
{
    if (db == NULL)
        return;
    struct builder b = {db->packs, db->n_packs, db->rules, db->n_rules, db->n_rules};
    builder_free(&b);
    for (size_t f = 0; f < SIG_FIELD_COUNT; f++) {
        free(db->idx[f].exact);
        free(db->idx[f].iexact);
        free(db->idx[f].other);
    }
    pcre2_match_context_free(db->mctx);
    free(db);
}


static bool
valid_id(const char *s, bool allow_underscore)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
        return false;
    for (s++; *s != '\0'; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '.' ||
              *s == '-' || (allow_underscore && *s == '_')))
            return false;
    return true;
}

static int
want_args(struct parser *ps, const struct sig_token *t, size_t n, size_t want, const char *usage)
{
    if (n - 1 == want)
        return 0;
    return fail(ps, ps->line, "'%s' takes %zu value%s, got %zu (write: %s; quote text with "
                              "spaces)", t[0].s, want, want == 1 ? "" : "s", n - 1, usage);
}

static int
set_once(struct parser *ps, char **slot, const char *what, const char *value)
{
    if (*slot != NULL)
        return fail(ps, ps->line, "second '%s' line (keep one)", what);
    if (value[0] == '\0')
        return fail(ps, ps->line, "empty '%s' (give a value)", what);
    *slot = xstrdup(value);
    return 0;
}

/* "role WORD", in a header (the pack's default) or a rule (its own). */
static int
parse_role(struct parser *ps, const char **slot, const struct sig_token *t, size_t n)
{
    if (want_args(ps, t, n, 1, "role router|switch|cpe|phone|camera|radio|server|host") < 0)
        return -1;
    if (*slot != NULL)
        return fail(ps, ps->line, "second 'role' line (keep one)");
    char msg[256];
    if (sig_parse_role(t[1].s, slot, msg, sizeof(msg)) < 0)
        return fail(ps, ps->line, "%s", msg);
    return 0;
}

/* Every field name, for the unknown-field message. */
static void
field_list(char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < SIG_FIELD_COUNT; i++) {
        int w = snprintf(buf + n, len - n, "%s%s", i ? ", " : "", sig_field_name(i));
        if (w < 0 || (size_t)w >= len - n)
            return;
        n += (size_t)w;
    }
}

static int
parse_match(struct parser *ps, struct sig_rule *r, const struct sig_token *t, size_t n)
{
    if (r->pattern != NULL)
        return fail(ps, ps->line, "second 'match' line (a rule has one match)");
    if (n < 2 || n > 3)
        return want_args(ps, t, n, 2, "match KIND PATTERN");
    int kind = sig_kind_from_name(t[1].s);
    if (kind < 0)
        return fail(ps, ps->line, "unknown match kind '%s' (use exact, prefix, suffix, "
                                  "contains, iexact, iprefix, isuffix, icontains, regex, "
                                  "number, oid, cidr or domain)", t[1].s);
    if (n != 3)
        return want_args(ps, t, n, 2, "match KIND PATTERN");
    r->kind = (enum sig_kind)kind;
    r->pattern = xstrdup(t[2].s);
    r->patlen = strlen(r->pattern);
    if (r->patlen == 0)
        return fail(ps, ps->line, "empty pattern (it would match everything; give some text)");
    char msg[512];
    if (sig_compile_pattern(r, msg, sizeof(msg)) < 0)
        return fail(ps, ps->line, "%s", msg);
    return 0;
}

static int
parse_example(struct parser *ps, struct sig_rule *r, const struct sig_token *t, size_t n, bool ok)
{
    if (n < 2)
        return want_args(ps, t, n, 1, ok ? "example \"VALUE\" [model=M] [version=V]"
                                         : "nomatch \"VALUE\"");
    if (!ok && n != 2)
        return want_args(ps, t, n, 1, "nomatch \"VALUE\"");
    struct sig_example **v = ok ? &r->examples : &r->nomatches;
    size_t *nv = ok ? &r->n_examples : &r->n_nomatches;
    *v = xreallocarray(*v, *nv + 1, sizeof(**v));
    struct sig_example *ex = &(*v)[(*nv)++];
    memset(ex, 0, sizeof(*ex));
    ex->value = xstrdup(t[1].s);
    ex->line = ps->line;
    for (size_t i = 2; i < n; i++) {
        char **slot = NULL;
        const char *val = NULL;
        if (!t[i].quoted && strncmp(t[i].s, "model=", 6) == 0) {
            slot = &ex->model;
            val = t[i].s + 6;
        } else if (!t[i].quoted && strncmp(t[i].s, "version=", 8) == 0) {
            slot = &ex->version;
            val = t[i].s + 8;
        }
        if (slot == NULL)
            return fail(ps, ps->line, "unexpected '%s' after the example value (only model=... "
                                      "and version=...)", t[i].s);
        if (*slot != NULL)
            return fail(ps, ps->line, "'%.8s' given twice", t[i].s);
        *slot = xstrdup(val);
    }
    return 0;
}

/* A rule is complete: check what the format requires of it. */
static int
finish_rule(struct parser *ps)
{
    struct sig_rule *r = ps->rule;
    if (r == NULL)
        return 0;
    ps->rule = NULL;
    if (r->field == SIG_FIELD_INVALID)
        return fail(ps, r->line, "rule %s: no 'field' line (add e.g. 'field dhcp.vendor_class')",
                    r->id);
    if (r->pattern == NULL)
        return fail(ps, r->line, "rule %s: no 'match' line (add e.g. 'match prefix \"TEXT\"')",
                    r->id);
    if (r->confidence == 0)
        return fail(ps, r->line, "rule %s: no 'confidence' line (add e.g. 'confidence 0.8')",
                    r->id);
    if (r->source == NULL)
        return fail(ps, r->line, "rule %s: no 'source' line (say where the pattern comes from)",
                    r->id);
    if (r->n_examples == 0)
        return fail(ps, r->line, "rule %s: no 'example' line (add a value that must match)",
                    r->id);
    if (r->n_nomatches == 0)
        return fail(ps, r->line, "rule %s: no 'nomatch' line (add a near-miss that must not "
                                 "match)", r->id);
    char msg[512];
    if (sig_check_templates(r, msg, sizeof(msg)) < 0)
        return fail(ps, r->line, "%s", msg);
    return 0;
}

static int
start_rule(struct parser *ps, const struct sig_token *t, size_t n)
{
    if (want_args(ps, t, n, 1, "rule ID") < 0)
        return -1;
    if (!valid_id(t[1].s, false))
        return fail(ps, ps->line, "bad rule id '%s' (lowercase letters, digits, '.' and '-', "
                                  "starting with a letter or digit)", t[1].s);
    if (!ps->have_pack)
        return fail(ps, ps->line, "rule before the 'pack' line (start the file with 'pack %.*s')",
                    (int)ps->stem_len, ps->stem);
    if (!ps->have_vendor)
        return fail(ps, ps->line, "rule before the pack's 'vendor' line (add 'vendor NAME' to "
                                  "the header)");
    struct builder *b = ps->b;
    if (b->n_rules == b->cap_rules) {
        b->cap_rules = b->cap_rules ? 2 * b->cap_rules : 64;
        b->rules = xreallocarray(b->rules, b->cap_rules, sizeof(*b->rules));
    }
    struct sig_rule *r = &b->rules[b->n_rules++];
    memset(r, 0, sizeof(*r));
    r->id = xstrdup(t[1].s);
    r->line = ps->line;
    r->pack = ps->pack;
    r->field = SIG_FIELD_INVALID;
    b->packs[ps->pack].n_rules++;
    ps->rule = r;
    return 0;
}

static int
header_line(struct parser *ps, const struct sig_token *t, size_t n)
{
    struct sig_pack *pk = &ps->b->packs[ps->pack];
    const char *kw = t[0].s;
    if (strcmp(kw, "pack") == 0) {
        if (want_args(ps, t, n, 1, "pack ID") < 0)
            return -1;
        if (ps->have_pack)
            return fail(ps, ps->line, "second 'pack' line (a file holds one pack)");
        if (strlen(t[1].s) != ps->stem_len || memcmp(t[1].s, ps->stem, ps->stem_len) != 0)
            return fail(ps, ps->line, "pack '%s' does not match the file name (name the file "
                                      "%s.sig, or write 'pack %.*s')", t[1].s, t[1].s,
                        (int)ps->stem_len, ps->stem);
        if (!valid_id(t[1].s, true))
            return fail(ps, ps->line, "bad pack id '%s' (lowercase letters, digits, '.', '-' "
                                      "and '_')", t[1].s);
        ps->have_pack = true;
        pk->id = xstrdup(t[1].s);
        return 0;
    }
    if (!ps->have_pack)
        return fail(ps, ps->line, "'%s' before the 'pack' line (start the file with "
                                  "'pack %.*s')", kw, (int)ps->stem_len, ps->stem);
    if (strcmp(kw, "vendor") == 0) {
        if (want_args(ps, t, n, 1, "vendor NAME") < 0)
            return -1;
        ps->have_vendor = true;
        return set_once(ps, &pk->vendor, "vendor", t[1].s);
    }
    if (strcmp(kw, "title") == 0) {
        if (want_args(ps, t, n, 1, "title \"TEXT\"") < 0)
            return -1;
        if (ps->have_title)
            return fail(ps, ps->line, "second 'title' line (keep one)");
        ps->have_title = true;
        free(pk->title);
        pk->title = xstrdup(t[1].s);
        return 0;
    }
    if (strcmp(kw, "counts-as") == 0) {
        if (want_args(ps, t, n, 1, "counts-as VENDOR") < 0)
            return -1;
        ps->counts_as_line = ps->line;
        return set_once(ps, &pk->counts_as, "counts-as", t[1].s);
    }
    if (strcmp(kw, "role") == 0)
        return parse_role(ps, &pk->role, t, n);
    /* default */
    if (want_args(ps, t, n, 1, "default on|off") < 0)
        return -1;
    if (ps->have_default)
        return fail(ps, ps->line, "second 'default' line (keep one)");
    if (strcmp(t[1].s, "on") != 0 && strcmp(t[1].s, "off") != 0)
        return fail(ps, ps->line, "default must be 'on' or 'off', not '%s'", t[1].s);
    ps->have_default = true;
    pk->default_on = strcmp(t[1].s, "on") == 0;
    return 0;
}

static int
attr_line(struct parser *ps, const struct sig_token *t, size_t n)
{
    struct sig_rule *r = ps->rule;
    const char *kw = t[0].s;
    if (strcmp(kw, "field") == 0) {
        if (want_args(ps, t, n, 1, "field NAME") < 0)
            return -1;
        if (r->field != SIG_FIELD_INVALID)
            return fail(ps, ps->line, "second 'field' line (a rule looks at one field)");
        r->field = sig_field_from_name(t[1].s);
        if (r->field == SIG_FIELD_INVALID) {
            char list[1024];
            field_list(list, sizeof(list));
            return fail(ps, ps->line, "unknown field '%s' (use one of: %s)", t[1].s, list);
        }
        return 0;
    }
    if (strcmp(kw, "match") == 0)
        return parse_match(ps, r, t, n);
    if (strcmp(kw, "confidence") == 0) {
        if (want_args(ps, t, n, 1, "confidence 0.8") < 0)
            return -1;
        if (r->confidence != 0)
            return fail(ps, ps->line, "second 'confidence' line (keep one)");
        char msg[256];
        if (sig_parse_confidence(t[1].s, &r->confidence, msg, sizeof(msg)) < 0)
            return fail(ps, ps->line, "%s", msg);
        return 0;
    }
    if (strcmp(kw, "model") == 0 || strcmp(kw, "version") == 0) {
        bool model = kw[0] == 'm';
        if (want_args(ps, t, n, 1, model ? "model TEMPLATE|none" : "version TEMPLATE|none") < 0)
            return -1;
        char **slot = model ? &r->model : &r->version;
        if (*slot != NULL)
            return fail(ps, ps->line, "second '%s' line (keep one)", kw);
        if (!t[1].quoted && strcmp(t[1].s, "none") == 0)
            return 0;
        return set_once(ps, slot, kw, t[1].s);
    }
    if (strcmp(kw, "vendor") == 0) {
        if (want_args(ps, t, n, 1, "vendor NAME") < 0)
            return -1;
        return set_once(ps, &r->vendor, "vendor", t[1].s);
    }
    if (strcmp(kw, "role") == 0)
        return parse_role(ps, &r->role, t, n);
    if (strcmp(kw, "source") == 0) {
        if (want_args(ps, t, n, 1, "source \"WHERE IT COMES FROM\"") < 0)
            return -1;
        return set_once(ps, &r->source, "source", t[1].s);
    }
    if (strcmp(kw, "example") == 0)
        return parse_example(ps, r, t, n, true);
    if (strcmp(kw, "nomatch") == 0)
        return parse_example(ps, r, t, n, false);
    return fail(ps, ps->line, "unknown rule attribute '%s' (use field, match, confidence, "
                              "model, version, vendor, role, source, example or nomatch)", kw);
}

static bool
is_header_kw(const char *s)
{
    return strcmp(s, "pack") == 0 || strcmp(s, "vendor") == 0 || strcmp(s, "title") == 0 ||
           strcmp(s, "default") == 0 || strcmp(s, "counts-as") == 0 ||
           strcmp(s, "role") == 0;
}

static bool
is_attr_kw(const char *s)
{
    static const char *const kws[] = {"field",  "match",  "confidence", "model",  "version",
                                      "source", "example", "nomatch"};
    for (size_t i = 0; i < sizeof(kws) / sizeof(kws[0]); i++)
        if (strcmp(s, kws[i]) == 0)
            return true;
    return false;
}

static int
parse_line(struct parser *ps, const char *line, size_t len, char *scratch)
{
    struct sig_token t[SIG_MAX_TOKENS];
    size_t n = 0;
    char msg[256];
    if (sig_tokenize(line, len, scratch, t, &n, msg, sizeof(msg)) < 0)
        return fail(ps, ps->line, "%s", msg);
    if (n == 0)
        return 0;
    bool indented = sig_is_space(line[0]);
    const char *kw = t[0].quoted ? "" : t[0].s;
    /* Indentation does not matter for 'rule': it always starts a rule. */
    if (strcmp(kw, "rule") == 0) {
        if (finish_rule(ps) < 0)
            return -1;
        return start_rule(ps, t, n);
    }
    if (indented) {
        if (ps->rule == NULL)
            return fail(ps, ps->line, "attribute '%s' before any rule (start a rule with "
                                      "'rule ID')", t[0].s);
        return attr_line(ps, t, n);
    }
    if (is_header_kw(kw)) {
        if (ps->b->packs[ps->pack].n_rules > 0)
            return fail(ps, ps->line, "header line '%s' after the first rule (indent it to "
                                      "make it an attribute of the rule above, or move it to "
                                      "the top)", kw);
        return header_line(ps, t, n);
    }
    if (is_attr_kw(kw))
        return fail(ps, ps->line, "attribute '%s' must be indented under a 'rule' line", kw);
    return fail(ps, ps->line, "unknown keyword '%s' (header: pack, vendor, title, default, "
                              "counts-as, role; then 'rule ID' with indented attributes)", t[0].s);
}

/* Parse one pack file's text into b. */
static int
parse_pack(struct builder *b, const char *file, const char *text, size_t len, char *errbuf,
           size_t errlen)
{
    struct parser ps;
    memset(&ps, 0, sizeof(ps));
    ps.b = b;
    ps.file = file;
    ps.err = errbuf;
    ps.errlen = errlen;
    const char *base = strrchr(file, '/');
    ps.stem = base ? base + 1 : file;
    ps.stem_len = strlen(ps.stem);
    if (ps.stem_len > 4 && strcmp(ps.stem + ps.stem_len - 4, ".sig") == 0)
        ps.stem_len -= 4;

    b->packs = xreallocarray(b->packs, b->n_packs + 1, sizeof(*b->packs));
    ps.pack = b->n_packs++;
    struct sig_pack *pk = &b->packs[ps.pack];
    memset(pk, 0, sizeof(*pk));
    pk->file = xstrdup(file);
    pk->title = xstrdup("");
    pk->default_on = true;
    pk->first_rule = b->n_rules;

    if (memchr(text, '\0', len) != NULL) {
        const char *z = memchr(text, '\0', len);
        unsigned line = 1;
        for (const char *p = text; p < z; p++)
            line += *p == '\n';
        return fail(&ps, line, "NUL byte in the file (a pack is plain text)");
    }
    int rc = 0;
    size_t pos = 0;
    char *scratch = NULL;
    size_t scap = 0;
    while (rc == 0 && pos < len) {
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - line) : len - pos;
        pos += ll + (nl ? 1 : 0);
        ps.line++;
        size_t content = ll;
        if (content > 0 && line[content - 1] == '\r')
            content--;
        if (2 * content + 2 > scap) {
            scap = 2 * content + 2;
            free(scratch);
            scratch = xmalloc(scap);
        }
        rc = parse_line(&ps, line, content, scratch);
    }
    free(scratch);
    if (rc < 0)
        return -1;
    if (finish_rule(&ps) < 0)
        return -1;
    if (!ps.have_pack)
        return fail(&ps, ps.line > 0 ? ps.line : 1, "no 'pack' line (start the file with "
                                                    "'pack %.*s')", (int)ps.stem_len, ps.stem);
    if (!ps.have_vendor)
        return fail(&ps, ps.line, "no 'vendor' line in the header (add 'vendor NAME')");
    if (pk->counts_as != NULL && strcmp(pk->counts_as, pk->vendor) == 0)
        return fail(&ps, ps.counts_as_line, "counts-as %s names the pack's own vendor (drop "
                                            "the line)", pk->counts_as);
    return 0;
}

static int
cmp_rule_ptr(const void *a, const void *b)
{
    const struct sig_rule *x = *(const struct sig_rule *const *)a;
    const struct sig_rule *y = *(const struct sig_rule *const *)b;
    int c = strcmp(x->id, y->id);
    return c != 0 ? c : (x < y ? -1 : x > y);
}

/* Rule ids are unique over all of b; the error names the later copy. */
static int
check_unique(const struct builder *b, char *errbuf, size_t errlen)
{
    if (b->n_rules < 2)
        return 0;
    const struct sig_rule **v = xreallocarray(NULL, b->n_rules, sizeof(*v));
    for (size_t i = 0; i < b->n_rules; i++)
        v[i] = &b->rules[i];
    qsort(v, b->n_rules, sizeof(*v), cmp_rule_ptr);
    const struct sig_rule *first = NULL, *dup = NULL;
    for (size_t i = 1; i < b->n_rules; i++) {
        if (strcmp(v[i]->id, v[i - 1]->id) != 0)
            continue;
        /* v[i - 1] is the earliest of its group only when it starts one. */
        size_t s = i - 1;
        while (s > 0 && strcmp(v[s - 1]->id, v[i]->id) == 0)
            s--;
        if (dup == NULL || v[i] < dup) {
            dup = v[i];
            first = v[s];
        }
    }
    free(v);
    if (dup == NULL)
        return 0;
    snprintf(errbuf, errlen, "%s:%u: rule id '%s' already used at %s:%u (rule ids are unique "
             "across all packs; rename one)", b->packs[dup->pack].file, dup->line, dup->id,
             b->packs[first->pack].file, first->line);
    return -1;
}

/* Turn the builder into a db holding only the packs with keep[i]. */
static struct sig_db *
build_db(struct builder *b, const bool *keep)
{
    struct sig_db *db = xcalloc(1, sizeof(*db));
    size_t np = 0, nr = 0;
    for (size_t i = 0; i < b->n_packs; i++)
        if (keep == NULL || keep[i]) {
            np++;
            nr += b->packs[i].n_rules;
        }
    db->packs = xcalloc(np ? np : 1, sizeof(*db->packs));
    db->rules = xcalloc(nr ? nr : 1, sizeof(*db->rules));
    for (size_t i = 0; i < b->n_packs; i++) {
        struct sig_pack *p = &b->packs[i];
        if (keep != NULL && !keep[i]) {
            for (size_t k = 0; k < p->n_rules; k++)
                free_rule(&b->rules[p->first_rule + k]);
            free_pack(p);
            continue;
        }
        size_t to = db->n_packs++;
        db->packs[to] = *p;
        db->packs[to].first_rule = db->n_rules;
        for (size_t k = 0; k < p->n_rules; k++) {
            db->rules[db->n_rules] = b->rules[p->first_rule + k];
            db->rules[db->n_rules].pack = to;
            db->n_rules++;
        }
    }
    free(b->packs);
    free(b->rules);
    b->packs = NULL;
    b->rules = NULL;
    b->n_packs = b->n_rules = b->cap_rules = 0;
    sig_db_index(db);
    return db;
}

int
sig_db_load_buffer(const char *name, const char *text, size_t len, struct sig_db **out,
                   char *errbuf, size_t errlen)
{
    struct builder b = {NULL, 0, NULL, 0, 0};
    *out = NULL;
    if (errlen > 0)
        errbuf[0] = '\0';
    if (parse_pack(&b, name, text, len, errbuf, errlen) < 0 ||
        check_unique(&b, errbuf, errlen) < 0) {
        builder_free(&b);
        return -1;
    }
    *out = build_db(&b, NULL);
    return 0;
}

static int
cmp_str_ptr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Index of the pack named id in b, or -1. */
static long
find_pack(const struct builder *b, const char *id)
{
    for (size_t i = 0; i < b->n_packs; i++)
        if (strcmp(b->packs[i].id, id) == 0)
            return (long)i;
    return -1;
}

static void
pack_list(const struct builder *b, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < b->n_packs; i++) {
        int w = snprintf(buf + n, len - n, "%s%s", i ? ", " : "", b->packs[i].id);
        if (w < 0 || (size_t)w >= len - n)
            return;
        n += (size_t)w;
    }
    if (b->n_packs == 0)
        snprintf(buf, len, "none");
}

int
sig_db_load_dir(const char *dir, const char *const *enable, size_t n_enable,
                const char *const *disable, size_t n_disable, struct sig_db **out,
                char *errbuf, size_t errlen)
{
    struct builder b = {NULL, 0, NULL, 0, 0};
    char **names = NULL;
    size_t n_names = 0;
    bool *keep = NULL;
    int rc = -1;
    *out = NULL;
    if (errlen > 0)
        errbuf[0] = '\0';

    DIR *d = opendir(dir);
    if (d == NULL) {
        snprintf(errbuf, errlen, "%s: cannot open the signature directory: %s", dir,
                 strerror(errno));
        return -1;
    }
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        if (l <= 4 || de->d_name[0] == '.' || strcmp(de->d_name + l - 4, ".sig") != 0)
            continue;
        names = xreallocarray(names, n_names + 1, sizeof(*names));
        names[n_names++] = xstrdup(de->d_name);
    }
    closedir(d);
    /* Name order, so load order (and hit order) is the same on every run. */
    if (n_names > 1) /* qsort's base must not be NULL, even for 0 items */
        qsort(names, n_names, sizeof(*names), cmp_str_ptr);

    for (size_t i = 0; i < n_names; i++) {
        size_t plen = strlen(dir) + 1 + strlen(names[i]) + 1;
        char *path = xmalloc(plen);
        snprintf(path, plen, "%s/%s", dir, names[i]);
        size_t len;
        char *text = textfile_read(path, MAX_FILE_BYTES, "a pack is hand-written text; split it",
                                   &len, errbuf, errlen);
        int prc = text == NULL ? -1 : parse_pack(&b, path, text, len, errbuf, errlen);
        free(text);
        free(path);
        if (prc < 0)
            goto out;
    }
    if (check_unique(&b, errbuf, errlen) < 0)
        goto out;

    keep = xcalloc(b.n_packs ? b.n_packs : 1, sizeof(*keep));
    for (size_t i = 0; i < b.n_packs; i++)
        keep[i] = b.packs[i].default_on;
    for (int pass = 0; pass < 2; pass++) {
        const char *const *v = pass == 0 ? enable : disable;
        size_t nv = pass == 0 ? n_enable : n_disable;
        for (size_t i = 0; i < nv; i++) {
            long p = find_pack(&b, v[i]);
            if (p < 0) {
                char list[512];
                pack_list(&b, list, sizeof(list));
                snprintf(errbuf, errlen, "%s: no pack named '%s' to %s (packs there: %s)", dir,
                         v[i], pass == 0 ? "enable" : "disable", list);
                goto out;
            }
            if (pass == 1) {
                for (size_t k = 0; k < n_enable; k++)
                    if (strcmp(enable[k], v[i]) == 0) {
                        snprintf(errbuf, errlen, "%s: pack '%s' is both enabled and disabled "
                                 "(drop one of the two)", dir, v[i]);
                        goto out;
                    }
            }
            keep[p] = pass == 0;
        }
    }
    *out = build_db(&b, keep);
    rc = 0;
out:
    builder_free(&b);
    free(keep);
    for (size_t i = 0; i < n_names; i++)
        free(names[i]);
    free(names);
    return rc;
}
