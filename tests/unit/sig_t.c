/* sig_t.c - unit tests of the signature engine (src/sig_load.c, src/sig_match.c).
 *
 * Pack files live in tests/data/sig/ ($srcdir-relative, so VPATH builds and
 * distcheck find them): good/ loads and passes its own check, bad/ holds one
 * broken file per loader error, dup/ two packs sharing a rule id.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "telexpose/sig.h"

static char datadir[512];

static const char *
path(const char *rel)
{
    static char buf[4][600];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof(buf[k]), "%s/%s", datadir, rel);
    return buf[k];
}

/* Load text as pack "t" (file t.sig). */
static struct sig_db *
load(const char *text, char *err, size_t errlen)
{
    struct sig_db *db = NULL;
    if (sig_db_load_buffer("t.sig", text, strlen(text), &db, err, errlen) != 0)
        return NULL;
    return db;
}

/* One rule of field/match, with throwaway example/nomatch lines so it loads. */
static struct sig_db *
one_rule(const char *field, const char *match, const char *extra)
{
    char text[2048], err[512];
    snprintf(text, sizeof(text),
             "pack t\nvendor Test\nrule r\n  field %s\n  match %s\n  confidence 0.5\n"
             "  source \"unit test\"\n  example \"unused\"\n  nomatch \"unused\"\n%s",
             field, match, extra ? extra : "");
    struct sig_db *db = load(text, err, sizeof(err));
    if (db == NULL)
        printf("# load failed: %s\n", err);
    return db;
}

static int
hits(const struct sig_db *db, const char *field, const char *value)
{
    return (int)sig_match(db, sig_field_from_name(field), value, NULL, 0);
}

/* Rules of one kind: which values match and which do not. */
static void
kind_case(const char *field, const char *match, const char *const *yes, const char *const *no)
{
    struct sig_db *db = one_rule(field, match, NULL);
    ok(db != NULL, "load: match %s", match);
    for (size_t i = 0; yes[i] != NULL; i++)
        is_int(hits(db, field, yes[i]), 1, "%s: \"%s\" matches", match, yes[i]);
    for (size_t i = 0; no[i] != NULL; i++)
        is_int(hits(db, field, no[i]), 0, "%s: \"%s\" does not match", match, no[i]);
    sig_db_free(db);
}

static void
test_fields(void)
{
    is_int(sig_field_from_name("dhcp.vendor_class"), SIG_FIELD_DHCP_VENDOR_CLASS, "field by name");
    is_int(sig_field_from_name("ip.asn"), SIG_FIELD_IP_ASN, "last field by name");
    is_int(sig_field_from_name("dhcp.vendorclass"), SIG_FIELD_INVALID, "unknown field");
    is_int(sig_field_from_name(NULL), SIG_FIELD_INVALID, "NULL field name");
    is_str(sig_field_name(SIG_FIELD_LLDP_CHASSIS_ID), "lldp.chassis_id", "first field name");
    is_str(sig_field_name(SIG_FIELD_TLS_SNI), "tls.sni", "tls.sni name");
    ok(sig_field_name(SIG_FIELD_COUNT) == NULL, "out-of-range field has no name");
    int roundtrip = 1;
    for (int f = 0; f < SIG_FIELD_COUNT; f++)
        roundtrip &= (int)sig_field_from_name(sig_field_name((enum sig_field)f)) == f;
    ok(roundtrip, "every field name maps back to its field");
}

static void
test_kinds(void)
{
    const char *F = "http.server";
    kind_case(F, "exact \"HG8245H\"", (const char *const[]){"HG8245H", NULL},
              (const char *const[]){"hg8245h", "HG8245H5", "HG8245", "", NULL});
    kind_case(F, "iexact \"HG8245H\"", (const char *const[]){"HG8245H", "hg8245h", NULL},
              (const char *const[]){"HG8245H ", "HG824", NULL});
    kind_case(F, "prefix \"HUAWEI:\"", (const char *const[]){"HUAWEI:", "HUAWEI:android", NULL},
              (const char *const[]){"huawei:android", "HUAWEI", " HUAWEI:x", NULL});
    kind_case(F, "iprefix \"HUAWEI:\"", (const char *const[]){"huawei:x", "HuaWei:", NULL},
              (const char *const[]){"huawei", "xhuawei:", NULL});
    kind_case(F, "suffix \".huawei\"", (const char *const[]){"a.huawei", ".huawei", NULL},
              (const char *const[]){"a.HUAWEI", "huawei", "a.huawei.", NULL});
    kind_case(F, "isuffix \".huawei\"", (const char *const[]){"a.HUAWEI", ".Huawei", NULL},
              (const char *const[]){"huawei", NULL});
    kind_case(F, "contains \"ZXHN\"", (const char *const[]){"ZTE ZXHN F660", "ZXHN", NULL},
              (const char *const[]){"zxhn", "ZXH N", NULL});
    kind_case(F, "icontains \"ZXHN\"", (const char *const[]){"zte zxhn f660", "xZxHnx", NULL},
              (const char *const[]){"ZXH", "", NULL});
    kind_case(F, "number 3902", (const char *const[]){"3902", NULL},
              (const char *const[]){"39020", "390", "3902 ", "-3902", "", "x", NULL});
    kind_case(F, "number 100-200", (const char *const[]){"100", "150", "200", NULL},
              (const char *const[]){"99", "201", "18446744073709551616", NULL});
    kind_case("snmp.sysobjectid", "oid 1.3.6.1.4.1.2011",
              (const char *const[]){"1.3.6.1.4.1.2011", "1.3.6.1.4.1.2011.2.23",
                                    ".1.3.6.1.4.1.2011.5", NULL},
              (const char *const[]){"1.3.6.1.4.1.20110", "1.3.6.1.4.1.201", "1.3.6.1.4.1",
                                    "1.3.6.1.4.1.2011.", "1.3.6.1.4.1.2011.x",
                                    "1.3.6.1.4.1.2011..1", NULL});
    kind_case("tls.sni", "cidr 10.0.0.0/8",
              (const char *const[]){"10.0.0.1", "10.255.255.255", "::ffff:10.1.2.3", NULL},
              (const char *const[]){"11.0.0.1", "9.255.255.255", "10.0.0", "fe80::1",
                                    "not an ip", NULL});
    kind_case("tls.sni", "cidr 192.168.1.128/25",
              (const char *const[]){"192.168.1.128", "192.168.1.255", NULL},
              (const char *const[]){"192.168.1.127", NULL});
    kind_case("tls.sni", "cidr 2001:db8::/32",
              (const char *const[]){"2001:db8::1", "2001:DB8:ffff::", NULL},
              (const char *const[]){"2001:db9::1", "10.0.0.1", "2001:db8", NULL});
    kind_case("tls.sni", "cidr 192.0.2.7", (const char *const[]){"192.0.2.7", NULL},
              (const char *const[]){"192.0.2.8", NULL});
    kind_case("dns.query", "domain huawei.com",
              (const char *const[]){"huawei.com", "www.huawei.com", "A.B.HUAWEI.COM",
                                    "huawei.com.", NULL},
              (const char *const[]){"nothuawei.com", "huawei.com.cn", "huawei.co", "com",
                                    "huawei.com..", NULL});
    kind_case("dns.query", "domain Huawei.COM.", (const char *const[]){"x.huawei.com", NULL},
              (const char *const[]){"huaweixcom", NULL});
    kind_case(F, "regex \"(?i)^zte\"", (const char *const[]){"ZTE web", "zte", NULL},
              (const char *const[]){"a zte", NULL});
    kind_case(F, "regex ^Huawei\\d+$", (const char *const[]){"Huawei123", NULL},
              (const char *const[]){"Huawei", "Huawei12a", NULL});
    /* Invalid UTF-8 in a value must not break regex matching. */
    kind_case(F, "regex \"ZTE\"", (const char *const[]){"\xff\xfeZTE", "ZTE\xc3", NULL},
              (const char *const[]){"\xff\xfe", NULL});
}

static void
test_captures(void)
{
    struct sig_hit h[4];
    struct sig_db *db = one_rule("http.server", "regex \"^HG/(\\\\w+) V(\\\\S+)\"",
                                 "  model \"HG$1\"\n  version $2\n  vendor Honor\n");
    ok(db != NULL, "regex rule with templates loads");
    is_int(sig_match(db, SIG_FIELD_HTTP_SERVER, "HG/8245H V300R013", h, 4), 1, "regex hit");
    is_str(h[0].model, "HG8245H", "model from $1 with literal text");
    is_str(h[0].version, "300R013", "version from $2");
    is_str(h[0].vendor, "Honor", "per-rule vendor override");
    is_str(h[0].rule_id, "r", "hit rule id");
    is_str(h[0].pack_id, "t", "hit pack id");
    ok(h[0].confidence == 0.5, "hit confidence");
    is_int(sig_match(db, SIG_FIELD_HTTP_TITLE, "HG/8245H V300R013", h, 4), 0,
           "other field's rules are not looked at");
    is_int(sig_match(db, SIG_FIELD_COUNT, "x", h, 4), 0, "invalid field gives no hit");
    sig_db_free(db);

    /* A long capture is cut to the hit's buffer without splitting UTF-8. */
    db = one_rule("http.server", "regex \"^(.+)$\"", "  model $1\n");
    char big[300] = "";
    for (int i = 0; i < 40; i++)
        strcat(big, "\xc3\xa9");
    is_int(sig_match(db, SIG_FIELD_HTTP_SERVER, big, h, 4), 1, "long UTF-8 capture matches");
    is_int(strlen(h[0].model), 31 * 2, "cut inside a character backs off to its start");
    memmove(big + 1, big, strlen(big) + 1);
    big[0] = 'a';
    is_int(sig_match(db, SIG_FIELD_HTTP_SERVER, big, h, 4), 1, "'a' + UTF-8 value matches");
    is_int(strlen(h[0].model), 1 + 31 * 2, "a cut on a character boundary keeps 63 bytes");
    memset(big, 'a', 100);
    big[100] = '\0';
    sig_match(db, SIG_FIELD_HTTP_SERVER, big, h, 4);
    is_int(strlen(h[0].model), SIG_HIT_TEXT - 1, "ASCII fills the buffer");
    sig_db_free(db);

    db = one_rule("http.server", "regex \"^a(x)?b(c)\"", "  model \"[$1][$2]$$\"\n");
    is_int(sig_match(db, SIG_FIELD_HTTP_SERVER, "abc", h, 4), 1, "optional group hit");
    is_str(h[0].model, "[][c]$", "unset group expands empty, $$ is a dollar");
    sig_db_free(db);

    db = one_rule("dhcp.vendor_class", "prefix \"MSFT\"", "  model \"Windows\"\n");
    sig_match(db, SIG_FIELD_DHCP_VENDOR_CLASS, "MSFT 5.0", h, 4);
    is_str(h[0].model, "Windows", "literal model on a non-regex rule");
    is_str(h[0].version, "", "no version template gives empty version");
    is_str(h[0].vendor, "Test", "pack vendor by default");
    sig_db_free(db);

    db = one_rule("dhcp.vendor_class", "prefix \"X\"", "  model \"none\"\n");
    sig_match(db, SIG_FIELD_DHCP_VENDOR_CLASS, "X", h, 4);
    is_str(h[0].model, "none", "quoted \"none\" is a literal model");
    sig_db_free(db);
}

static void
test_many_hits(void)
{
    char err[512];
    const char *text =
        "pack t\nvendor Test\n"
        "rule a\n field dhcp.vendor_class\n match prefix HW\n confidence 0.3\n source s\n"
        " example HW1\n nomatch x\n"
        "rule b\n field dhcp.vendor_class\n match exact HW1\n confidence 0.9\n source s\n"
        " example HW1\n nomatch HW\n"
        "rule c\n field dhcp.vendor_class\n match iexact hw1\n confidence 0.8\n source s\n"
        " example HW1\n nomatch HW\n"
        "rule d\n field dhcp.vendor_class\n match exact HW2\n confidence 0.8\n source s\n"
        " example HW2\n nomatch HW\n"
        "rule e\n field dhcp.vendor_class\n match exact HW1\n confidence 0.7\n source s\n"
        " example HW1\n nomatch HW\n";
    struct sig_db *db = load(text, err, sizeof(err));
    ok(db != NULL, "five rules on one field load (%s)", err);
    struct sig_hit h[8];
    size_t n = sig_match(db, SIG_FIELD_DHCP_VENDOR_CLASS, "HW1", h, 8);
    is_int(n, 4, "four rules match HW1");
    is_str(h[0].rule_id, "b", "exact hits first, load order");
    is_str(h[1].rule_id, "e", "second exact hit");
    is_str(h[2].rule_id, "c", "then iexact");
    is_str(h[3].rule_id, "a", "then the others");
    is_int(sig_match(db, SIG_FIELD_DHCP_VENDOR_CLASS, "HW1", h, 2), 4,
           "count is total even when max_hits is smaller");
    is_str(h[1].rule_id, "e", "only max_hits written");
    is_int(sig_match(db, SIG_FIELD_DHCP_VENDOR_CLASS, "HW3", h, 8), 1, "prefix only");
    is_int(sig_match(db, SIG_FIELD_DHCP_VENDOR_CLASS, "hw2", h, 8), 0, "exact is case-sensitive");
    is_int(sig_db_rule_count(db), 5, "rule count");
    sig_db_free(db);
}

static int
read_whole(const char *p, char **out, size_t *len)
{
    FILE *f = fopen(p, "rb");
    if (f == NULL)
        return -1;
    static char buf[65536];
    *len = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    *out = buf;
    return 0;
}

/* A broken pack gives exactly "FILE:LINE: ..." with want in the message. */
static void
bad_case(const char *name, int line, const char *want)
{
    char rel[128], err[2048], prefix[700];
    char *text;
    size_t len;
    snprintf(rel, sizeof(rel), "bad/%s", name);
    const char *p = path(rel);
    if (read_whole(p, &text, &len) != 0) {
        ok(0, "%s: cannot read", p);
        return;
    }
    struct sig_db *db = (struct sig_db *)1;
    int rc = sig_db_load_buffer(p, text, len, &db, err, sizeof(err));
    is_int(rc, -1, "%s is refused", name);
    ok(db == NULL, "%s: nothing returned", name);
    snprintf(prefix, sizeof(prefix), "%s:%d: ", p, line);
    ok(strncmp(err, prefix, strlen(prefix)) == 0 && strstr(err, want) != NULL,
       "%s: error at line %d says '%s' (got: %s)", name, line, want, err);
}

static void
test_load_errors(void)
{
    bad_case("unknown-field.sig", 5, "unknown field 'dhcp.vendorclass' (use one of: "
                                     "lldp.chassis_id");
    bad_case("unknown-kind.sig", 6, "unknown match kind 'glob'");
    bad_case("bad-regex.sig", 6, "bad regex at offset");
    bad_case("confidence.sig", 7, "confidence 1.5 is out of range");
    bad_case("no-example.sig", 11, "rule r1: no 'example' line");
    bad_case("no-nomatch.sig", 4, "rule r1: no 'nomatch' line");
    bad_case("no-source.sig", 4, "rule r1: no 'source' line");
    bad_case("stem.sig", 2, "pack 'huawei' does not match the file name");
    bad_case("unterminated.sig", 6, "unterminated string");
    bad_case("stray.sig", 4, "attribute 'field' before any rule");
    bad_case("bad-escape.sig", 6, "unknown escape \\d");
    bad_case("bad-template.sig", 4, "uses $2 but the regex has 1 capture group");
    bad_case("bad-cidr.sig", 6, "host bits set (did you mean 10.0.0.0/8?)");
    bad_case("bad-oid.sig", 6, "bad OID");
    bad_case("late-header.sig", 11, "header line 'vendor' after the first rule");

    /* Smaller cases written inline. */
    char err[1024];
    struct sig_db *db;
    db = load("pack t\nvendor V\nrule r\n  field x.y\n", err, sizeof(err));
    ok(db == NULL && strncmp(err, "t.sig:4: unknown field", 22) == 0, "inline: %s", err);
    db = load("pack t\nvendor V\nrule r\n  confidence 0\n", err, sizeof(err));
    ok(db == NULL && strstr(err, "t.sig:4: confidence 0 is out of range"), "zero: %s", err);
    db = load("pack t\nvendor V\nrule r\n  confidence nan\n", err, sizeof(err));
    ok(db == NULL && strstr(err, "t.sig:4: confidence 'nan' is not a number"), "nan: %s", err);
    db = load("pack t\nvendor V\nrule R_1\n", err, sizeof(err));
    ok(db == NULL && strstr(err, "t.sig:3: bad rule id 'R_1'"), "bad id: %s", err);
    db = load("vendor V\n", err, sizeof(err));
    ok(db == NULL && strstr(err, "t.sig:1: 'vendor' before the 'pack' line"), "no pack: %s",
       err);
    db = load("pack t\n", err, sizeof(err));
    ok(db == NULL && strstr(err, "no 'vendor' line"), "no vendor: %s", err);
    db = load("pack t\nvendor V\nrule r\n  match regex \"a\"\n  match regex \"b\"\n", err,
              sizeof(err));
    ok(db == NULL && strstr(err, "t.sig:5: second 'match' line"), "two matches: %s", err);
    db = load("pack t\nvendor V\nrule r\n  match number 9-1\n", err, sizeof(err));
    ok(db == NULL && strstr(err, "t.sig:4: number range 9-1 is empty"), "range: %s", err);
    db = load("pack t\nvendor V\nrule r\n  example a b\n", err, sizeof(err));
    ok(db == NULL && strstr(err, "t.sig:4: unexpected 'b'"), "example option: %s", err);
    db = load("pack t\nvendor V\nrule r\n  match prefix ab\"c\"\n", err, sizeof(err));
    ok(db == NULL && strstr(err, "t.sig:4: stray quote"), "stray quote: %s", err);
    db = load("pack t\nvendor V\nrule r\n  match exact \"a\\x0\"\n", err, sizeof(err));
    ok(db == NULL && strstr(err, "t.sig:4: bad escape"), "bad hex: %s", err);
    db = load("pack t\nvendor V\nfield tls.sni\n", err, sizeof(err));
    ok(db == NULL && strstr(err, "t.sig:3: attribute 'field' must be indented"), "unindented: %s",
       err);
    db = load("pack t\nvendor V\nrule r\n  match exact \"\"\n", err, sizeof(err));
    ok(db == NULL && strstr(err, "t.sig:4: empty pattern"), "empty pattern: %s", err);
    db = load("pack t\nvendor V\nrule a\n  field tls.sni\n  match exact x\n  confidence 1\n"
              "  source s\n  example x\n  nomatch y\nrule a\n  field tls.sni\n  match exact x\n"
              "  confidence 1\n  source s\n  example x\n  nomatch y\n", err, sizeof(err));
    ok(db == NULL && strstr(err, "t.sig:10: rule id 'a' already used at t.sig:3"),
       "duplicate in one pack: %s", err);
    static const char nul[] = "pack t\nvendor V\n\0";
    ok(sig_db_load_buffer("t.sig", nul, sizeof(nul) - 1, &db, err, sizeof(err)) == -1 &&
           strstr(err, "t.sig:3: NUL byte"), "NUL byte: %s", err);

    /* Loads: comments, CRLF, '#' inside a word, escapes. */
    db = load("pack t # comment\r\nvendor \"V \\\"x\\\"\"\r\n# whole line\r\nrule r\r\n"
              "\tfield http.server\r\n\tmatch exact C#\r\n\tconfidence 1\r\n"
              "\tsource \"a\\tb\\x41\"\r\n\texample C#  # trailing\r\n\tnomatch C\r\n",
              err, sizeof(err));
    ok(db != NULL, "CRLF, tabs and comments load (%s)", err);
    is_int(sig_match(db, SIG_FIELD_HTTP_SERVER, "C#", NULL, 0), 1, "'#' inside a word is text");
    is_str(sig_db_pack_vendor(db, 0), "V \"x\"", "escaped quotes in a string");
    ok(sig_db_check(db, NULL, err, sizeof(err)) == 0, "inline pack checks");
    sig_db_free(db);
}

static void
test_dir(void)
{
    char err[2048];
    struct sig_db *db = NULL;
    int rc = sig_db_load_dir(path("good"), NULL, 0, NULL, 0, &db, err, sizeof(err));
    is_int(rc, 0, "good/ loads (%s)", err);
    is_int(sig_db_pack_count(db), 2, "default-off pack skipped");
    is_str(sig_db_pack_id(db, 0), "huawei", "packs in name order (honor skipped)");
    is_str(sig_db_pack_id(db, 1), "zte", "second pack");
    is_str(sig_db_pack_title(db, 0), "Huawei Technologies and Huawei Device", "title");
    ok(sig_db_pack_default_on(db, 0), "default on");
    is_int(sig_db_pack_rule_count(db, 0), 4, "huawei rules");
    ok(sig_db_pack_id(db, 9) == NULL, "out-of-range pack");
    ok(strstr(sig_db_pack_file(db, 0), "good/huawei.sig") != NULL, "pack file");

    struct sig_hit h[4];
    is_int(sig_match(db, SIG_FIELD_SNMP_SYSOBJECTID, "1.3.6.1.4.1.2011.2.23.287", h, 4), 1,
           "Huawei OID");
    is_str(h[0].vendor, "Huawei", "Huawei vendor");
    is_int(sig_match(db, SIG_FIELD_SNMP_SYSOBJECTID, "1.3.6.1.4.1.3902.3", h, 4), 1, "ZTE OID");
    is_str(h[0].vendor, "ZTE", "ZTE vendor");
    is_int(sig_match(db, SIG_FIELD_SNMP_SYSOBJECTID, "1.3.6.1.4.1.20110", h, 4), 0,
           "20110 is not 2011");
    is_int(sig_match(db, SIG_FIELD_HTTP_WWW_AUTHENTICATE, "Basic realm=\"HuaweiHomeGateway\"", h,
                     4), 1, "realm regex");
    is_str(h[0].model, "HuaweiHomeGateway", "realm capture");
    is_int(sig_match(db, SIG_FIELD_DHCP_VENDOR_CLASS, "HUAWEI:android:ELE", h, 4), 1,
           "DHCP prefix");
    is_int(sig_match(db, SIG_FIELD_DNS_QUERY, "update.hihonor.com", h, 4), 0,
           "off pack's rules absent");

    struct sig_check_report rep;
    char line[256];
    rc = sig_db_check(db, &rep, err, sizeof(err));
    is_int(rc, 0, "good packs pass their own examples (%s)", err);
    is_int(rep.n_packs, 2, "report packs");
    is_int(rep.packs[0].rules, 4, "report rules");
    is_int(rep.packs[0].examples, 6, "report examples");
    is_int(rep.packs[0].nomatches, 8, "report near-misses");
    is_int(rep.failures, 0, "no failures");
    is_str(sig_pack_report_format(&rep.packs[0], line, sizeof(line)),
           "huawei: 4 rules, 6 examples, 8 near-misses, ok", "report line");
    is_int(rep.rules, 6, "total rules");
    sig_check_report_free(&rep);
    sig_db_free(db);

    const char *en[] = {"honor"};
    rc = sig_db_load_dir(path("good"), en, 1, NULL, 0, &db, err, sizeof(err));
    is_int(rc, 0, "enable honor");
    is_int(sig_db_pack_count(db), 3, "three packs with honor");
    is_int(sig_match(db, SIG_FIELD_DNS_QUERY, "update.hihonor.com", h, 4), 1, "honor rule");
    is_int(sig_match(db, SIG_FIELD_DNS_QUERY, "nothihonor.com", h, 4), 0, "domain boundary");
    ok(sig_db_check(db, NULL, err, sizeof(err)) == 0, "three packs check");
    sig_db_free(db);

    const char *dis[] = {"huawei"};
    rc = sig_db_load_dir(path("good"), en, 1, dis, 1, &db, err, sizeof(err));
    is_int(rc, 0, "enable honor, disable huawei");
    is_int(sig_db_pack_count(db), 2, "two packs");
    is_str(sig_db_pack_id(db, 0), "honor", "honor first");
    is_int(sig_match(db, SIG_FIELD_SNMP_SYSOBJECTID, "1.3.6.1.4.1.2011", h, 4), 0,
           "disabled pack absent");
    sig_db_free(db);

    const char *unk[] = {"nosuch"};
    db = (struct sig_db *)1;
    rc = sig_db_load_dir(path("good"), unk, 1, NULL, 0, &db, err, sizeof(err));
    ok(rc == -1 && db == NULL, "unknown enable name refused");
    ok(strstr(err, "no pack named 'nosuch' to enable (packs there: honor, huawei, zte)") != NULL,
       "unknown enable message: %s", err);
    rc = sig_db_load_dir(path("good"), NULL, 0, unk, 1, &db, err, sizeof(err));
    ok(rc == -1 && strstr(err, "to disable"), "unknown disable name: %s", err);
    rc = sig_db_load_dir(path("good"), en, 1, en, 1, &db, err, sizeof(err));
    ok(rc == -1 && strstr(err, "both enabled and disabled"), "both: %s", err);

    char want[700];
    rc = sig_db_load_dir(path("dup"), NULL, 0, NULL, 0, &db, err, sizeof(err));
    snprintf(want, sizeof(want), "%s:11: rule id 'same-id' already used at %s:4", path("dup/b.sig"),
             path("dup/a.sig"));
    ok(rc == -1 && strncmp(err, want, strlen(want)) == 0, "duplicate across packs: %s", err);

    rc = sig_db_load_dir(path("bad"), NULL, 0, NULL, 0, &db, err, sizeof(err));
    ok(rc == -1 && strstr(err, "bad/bad-cidr.sig:6: ") != NULL, "first bad file in name order: %s",
       err);
    rc = sig_db_load_dir(path("nonexistent"), NULL, 0, NULL, 0, &db, err, sizeof(err));
    ok(rc == -1 && strstr(err, "cannot open the signature directory"), "missing dir: %s", err);
}

/* A rule whose example/nomatch lines (from line 8 on) are all in extra. */
static struct sig_db *
check_rule(const char *match, const char *extra)
{
    char text[2048], err[512];
    snprintf(text, sizeof(text),
             "pack t\nvendor Test\nrule r\n  field http.server\n  match %s\n"
             "  confidence 0.5\n  source s\n%s", match, extra);
    struct sig_db *db = load(text, err, sizeof(err));
    if (db == NULL)
        printf("# load failed: %s\n", err);
    return db;
}

static void
test_check_fail(void)
{
    char err[1024], want[700];
    struct sig_db *db = NULL;
    struct sig_check_report rep;
    int rc = sig_db_load_dir(path("failcheck"), NULL, 0, NULL, 0, &db, err, sizeof(err));
    is_int(rc, 0, "failcheck/ loads (%s)", err);
    rc = sig_db_check(db, &rep, err, sizeof(err));
    is_int(rc, -1, "check fails");
    snprintf(want, sizeof(want), "%s:10: rule r1: example \"HW:android\" did not match",
             path("failcheck/failcheck.sig"));
    is_str(err, want, "first failure named");
    is_int(rep.failures, 2, "example and nomatch both fail");
    char line[256];
    is_str(sig_pack_report_format(&rep.packs[0], line, sizeof(line)),
           "failcheck: 1 rule, 2 examples, 2 near-misses, 2 failed", "failing report line");
    sig_check_report_free(&rep);
    sig_db_free(db);

    db = check_rule("regex \"^HG(\\\\d+)\"",
                    "  model \"HG$1\"\n  nomatch x\n  example HG8245 model=HG8246\n");
    rc = sig_db_check(db, NULL, err, sizeof(err));
    ok(rc == -1 && strstr(err, "t.sig:10: rule r: example \"HG8245\" gave model \"HG8245\", "
                               "expected \"HG8246\""), "wrong model: %s", err);
    sig_db_free(db);
    db = check_rule("regex \"^HG(\\\\d+)\"", "  nomatch x\n  example HG1 version=\"1 2\"\n");
    rc = sig_db_check(db, NULL, err, sizeof(err));
    ok(rc == -1 && strstr(err, "gave version \"\", expected \"1 2\""), "quoted option: %s", err);
    sig_db_free(db);
    db = check_rule("prefix \"x\"", "  example x\n  nomatch \"x\\x01\"\n");
    rc = sig_db_check(db, NULL, err, sizeof(err));
    ok(rc == -1 && strstr(err, "t.sig:9: rule r: nomatch \"x\\x01\" matched"), "nomatch: %s",
       err);
    sig_db_free(db);
    sig_db_free(NULL);
    ok(sig_db_check(NULL, NULL, err, sizeof(err)) == 0, "check of NULL db");
}

/* "counts-as": carried by every hit of the pack and by the pack accessor;
 * NULL when absent. */
static void
test_counts_as(void)
{
    char err[512];
    const char *rule = "rule honor-x\n  field dhcp.vendor_class\n  match prefix \"HONOR:\"\n"
                       "  vendor Honor\n  confidence 0.3\n  source \"unit test\"\n"
                       "  example \"HONOR:android\"\n  nomatch \"HUAWEI:android\"\n";
    char text[1024];
    snprintf(text, sizeof(text), "pack t\nvendor Honor\ncounts-as Huawei\n%s", rule);
    struct sig_db *db = load(text, err, sizeof(err));
    ok(db != NULL, "counts-as loads (%s)", db ? "" : err);
    struct sig_hit h[2];
    memset(h, 0, sizeof(h));
    is_int((int)sig_match(db, SIG_FIELD_DHCP_VENDOR_CLASS, "HONOR:android", h, 2), 1,
           "counts-as pack hit");
    is_str(h[0].vendor, "Honor", "hit keeps its own vendor");
    is_str(h[0].counts_as, "Huawei", "hit carries counts-as");
    is_str(sig_db_pack_counts_as(db, 0), "Huawei", "pack counts-as");
    ok(sig_db_pack_counts_as(db, 1) == NULL, "out-of-range pack: no counts-as");
    ok(sig_db_pack_counts_as(NULL, 0) == NULL, "NULL db: no counts-as");
    sig_db_free(db);

    snprintf(text, sizeof(text), "pack t\nvendor Honor\n%s", rule);
    db = load(text, err, sizeof(err));
    memset(h, 0x55, sizeof(h));
    is_int((int)sig_match(db, SIG_FIELD_DHCP_VENDOR_CLASS, "HONOR:x", h, 2), 1, "plain hit");
    ok(h[0].counts_as == NULL, "no counts-as line: hit counts_as NULL");
    ok(sig_db_pack_counts_as(db, 0) == NULL, "no counts-as line: pack NULL");
    sig_db_free(db);

    static const struct {
        const char *head;
        const char *want;
    } bad[] = {
        {"pack t\nvendor Honor\ncounts-as Huawei\ncounts-as ZTE\n",
         "t.sig:4: second 'counts-as' line (keep one)"},
        {"pack t\ncounts-as Honor\nvendor Honor\n",
         "t.sig:2: counts-as Honor names the pack's own vendor (drop the line)"},
        {"pack t\nvendor Honor\ncounts-as\n", "t.sig:3: 'counts-as' takes 1 value, got 0"},
        {"pack t\nvendor Honor\ncounts-as \"\"\n", "t.sig:3: empty 'counts-as'"},
        {"counts-as Huawei\n", "t.sig:1: 'counts-as' before the 'pack' line"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(text, sizeof(text), "%s%s", bad[i].head, rule);
        db = load(text, err, sizeof(err));
        ok(db == NULL && strncmp(err, bad[i].want, strlen(bad[i].want)) == 0,
           "counts-as error %zu: %s", i, err);
        sig_db_free(db);
    }
    snprintf(text, sizeof(text), "pack t\nvendor Honor\n%scounts-as Huawei\n", rule);
    db = load(text, err, sizeof(err));
    ok(db == NULL && strstr(err, "t.sig:11: header line 'counts-as' after the first rule"),
       "counts-as after a rule: %s", err);
    sig_db_free(db);
}

/* Rule r<n> (tls.subject "v<n>") with an optional role line. */
static void
role_rule(char *buf, size_t len, int n, const char *role)
{
    snprintf(buf, len, "rule r%d\n  field tls.subject\n  match exact v%d\n  confidence 0.5\n"
             "%s%s%s  source \"unit test\"\n  example v%d\n  nomatch w%d\n", n, n,
             role ? "  role " : "", role ? role : "", role ? "\n" : "", n, n);
}

static const char *
role_of(const struct sig_db *db, const char *value)
{
    struct sig_hit h;
    memset(&h, 0x55, sizeof(h));
    if (sig_match(db, SIG_FIELD_TLS_SUBJECT, value, &h, 1) != 1)
        return "(no hit)";
    return h.role != NULL ? h.role : "(null)";
}

static void
test_roles(void)
{
    char err[512], text[2048], r1[256], r2[256], r3[256];
    role_rule(r1, sizeof(r1), 1, NULL);
    role_rule(r2, sizeof(r2), 2, "server");
    role_rule(r3, sizeof(r3), 3, "camera");
    /* The pack's role is the default; a rule's own overrides it. */
    snprintf(text, sizeof(text), "pack t\nvendor V\nrole camera\n%s%s", r1, r2);
    struct sig_db *db = load(text, err, sizeof(err));
    ok(db != NULL && sig_db_check(db, NULL, err, sizeof(err)) == 0,
       "pack and rule roles load and check (%s)", db ? "" : err);
    is_str(role_of(db, "v1"), "camera", "rule without a role: the pack's");
    is_str(role_of(db, "v2"), "server", "rule's own role overrides the pack's");
    is_str(sig_db_pack_role(db, 0), "camera", "pack role");
    ok(sig_db_pack_role(db, 1) == NULL && sig_db_pack_role(NULL, 0) == NULL,
       "out-of-range pack, NULL db: no role");
    sig_db_free(db);
    /* No pack role: only rules that say one have one. */
    snprintf(text, sizeof(text), "pack t\nvendor V\n%s%s%s", r1, r2, r3);
    db = load(text, err, sizeof(err));
    ok(db != NULL && sig_db_pack_role(db, 0) == NULL, "no pack role: NULL (%s)",
       db ? "" : err);
    is_str(role_of(db, "v1"), "(null)", "no role anywhere: NULL");
    is_str(role_of(db, "v2"), "server", "rule role server");
    is_str(role_of(db, "v3"), "camera", "rule role camera");
    sig_db_free(db);

    static const char *const words[] = {"router", "switch", "cpe", "phone", "camera",
                                        "radio", "server", "host"};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        role_rule(r1, sizeof(r1), 1, words[i]);
        snprintf(text, sizeof(text), "pack t\nvendor V\nrole %s\n%s", words[i], r1);
        db = load(text, err, sizeof(err));
        ok(db != NULL && strcmp(role_of(db, "v1"), words[i]) == 0 &&
               strcmp(sig_db_pack_role(db, 0), words[i]) == 0,
           "role %s loads and is reported", words[i]);
        sig_db_free(db);
    }

    /* Errors, each with FILE:LINE; an unknown word lists the allowed ones. */
    static const char *const bad[][2] = {
        {"pack t\nvendor V\nrole ont\n", "t.sig:3: unknown role 'ont' "},
        {"pack t\nvendor V\nrule r\n  field tls.subject\n  role Router\n",
         "t.sig:5: unknown role 'Router' "},
        {"pack t\nvendor V\nrule r\n  role \"\"\n", "t.sig:4: unknown role '' "},
        {"pack t\nvendor V\nrole cpe\nrole cpe\n", "t.sig:4: second 'role' line (keep one)"},
        {"pack t\nvendor V\nrule r\n  role cpe\n  field tls.subject\n  role router\n",
         "t.sig:6: second 'role' line (keep one)"},
        {"pack t\nvendor V\nrule r\n  role\n", "t.sig:4: 'role' takes 1 value, got 0"},
        {"pack t\nvendor V\nrole cpe phone\n", "t.sig:3: 'role' takes 1 value, got 2"},
        {"role cpe\npack t\n", "t.sig:1: 'role' before the 'pack' line"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        db = load(bad[i][0], err, sizeof(err));
        ok(db == NULL && strncmp(err, bad[i][1], strlen(bad[i][1])) == 0 &&
               (strstr(bad[i][1], "unknown") == NULL ||
                strstr(err, "(use one of: router, switch, cpe, phone, camera, radio, server, "
                            "host)") != NULL),
           "role error %zu: %s", i, err);
        sig_db_free(db);
    }
    role_rule(r1, sizeof(r1), 1, NULL);
    snprintf(text, sizeof(text), "pack t\nvendor V\n%srole cpe\n", r1);
    db = load(text, err, sizeof(err));
    ok(db == NULL && strstr(err, "t.sig:10: header line 'role' after the first rule"),
       "unindented role after a rule: %s", err);
    sig_db_free(db);
}

/* Organisations of the real registry table against the real packs: every
 * organisation any mac.org rule matches must be in this list, with this
 * vendor, and each listed one must match. This is what catches a rule that
 * would claim Aztech for ZTE or New H3C for Huawei (H3C is labelled H3C). */
static const struct {
    const char *org;
    const char *vendor;
} org_vendors[] = {
    {"HUAWEI TECHNOLOGIES CO.,LTD", "Huawei"},
    {"Huawei Device Co., Ltd.", "Huawei"},
    {"Huawei Technologies Co., Ltd.", "Huawei"},
    {"Huawei Symantec Technologies Co.,Ltd.", "Huawei"},
    {"zte corporation", "ZTE"},
    {"ZHONGXING TELECOM LTD.", "ZTE"},
    {"SHANGHAI ZTE TECHNOLOGIES CO.,LTD", "ZTE"},
    {"Nubia Technology Co.,Ltd.", "ZTE"},
    {"Hangzhou Hikvision Digital Technology Co.,Ltd.", "Hikvision"},
    {"Prama Hikvision India Private Limited", "Hikvision"},
    {"Hangzhou Ezviz Software Co.,Ltd.", "Hikvision"},
    {"Hangzhou Hikrobot Technology Co., Ltd.", "Hikvision"},
    {"Zhejiang Dahua Technology Co., Ltd.", "Dahua"},
    {"Hytera Communications Co .,ltd", "Hytera"},
    {"Hytera Communications Corporation Limited", "Hytera"},
    {"Honor Device Co., Ltd.", "Honor"},
    {"New H3C Technologies Co., Ltd", "H3C"},
    {"Hangzhou H3C Technologies Co., Limited", "H3C"},
    {"New H3C Intelligence Terminal Co., Ltd.", "H3C"},
};

/* The role of the pack named id, NULL when none. */
static const char *
pack_role_of(const struct sig_db *db, const char *id)
{
    for (size_t i = 0; i < sig_db_pack_count(db); i++)
        if (strcmp(sig_db_pack_id(db, i), id) == 0)
            return sig_db_pack_role(db, i);
    return NULL;
}

/* Roles of the real packs: what the hits of a value say, all agreeing. */
static void
real_roles(const struct sig_db *db)
{
    static const char *const cases[][3] = { /* field, value, role ("": none) */
        {"snmp.sysdescr", "VRP (R) software, Version 5.170 (S5720 V200R011C10)", "switch"},
        {"lldp.system_description", "VRP (R) Software, Version 5.70 (AR1200 V200R003)", "router"},
        {"snmp.sysdescr", "VRP (R) software, Version 5.160 (USG6300 V500R001C30)", ""},
        {"dhcp.vendor_class", "HUAWEI:android:ELE", "phone"},
        {"cwmp.serial_number", "48575443E6F52C0C", "cpe"},
        {"tls.subject", "C=CN, O=Huawei, OU=Huawei Network Product Line, CN=OSS Certificate",
         "server"},
        {"tls.issuer", "C=CN, O=Huawei, CN=Huawei Equipment CA", ""},
        {"snmp.sysobjectid", "1.3.6.1.4.1.3902.1082.1001.9999", "switch"},
        {"snmp.sysdescr", "ZXR10 M6000-S Software, Version V5.00.10", "router"},
        {"snmp.sysdescr", "H3C Comware Platform Software, Software Version 5.20 H3C S5500-28C-EI",
         "switch"},
        {"http.server", "DNVRS-Webs", "camera"},
        {"snmp.sysobjectid", "1.3.6.1.4.1.40297.1.2", "radio"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct sig_hit h[8];
        size_t n = sig_match(db, sig_field_from_name(cases[i][0]), cases[i][1], h, 8);
        const char *got = "";
        bool agree = n > 0 && n <= 8;
        for (size_t k = 0; agree && k < n; k++) {
            agree = h[k].role == NULL || !*got || strcmp(got, h[k].role) == 0;
            got = h[k].role != NULL ? h[k].role : got;
        }
        ok(agree && strcmp(got, cases[i][2]) == 0, "%s \"%s\": %zu hits, role '%s'",
           cases[i][0], cases[i][1], n, got);
    }
    /* Only the vendors of one kind of device have a pack role. */
    const char *cam = pack_role_of(db, "hikvision"), *dh = pack_role_of(db, "dahua"),
               *hy = pack_role_of(db, "hytera");
    ok(cam && strcmp(cam, "camera") == 0 && dh && strcmp(dh, "camera") == 0 && hy &&
           strcmp(hy, "radio") == 0 && !pack_role_of(db, "huawei") && !pack_role_of(db, "zte") &&
           !pack_role_of(db, "h3c") && !pack_role_of(db, "honor"),
       "pack roles: hikvision, dahua camera; hytera radio; the others none");
}

static void
test_real_packs(const char *srcdir)
{
    char dir[600], err[1024];
    snprintf(dir, sizeof(dir), "%s/signatures", srcdir);
    const char *enable[] = {"honor"};
    struct sig_db *db = NULL;
    int rc = sig_db_load_dir(dir, enable, 1, NULL, 0, &db, err, sizeof(err));
    is_int(rc, 0, "real packs load (%s)", rc ? err : dir);
    if (db == NULL)
        return;
    is_int(sig_db_check(db, NULL, err, sizeof(err)), 0, "real packs pass the self-check (%s)",
           err);

    /* The traps of fingerprints.md section 6, by name. */
    static const char *const traps[] = {
        "Aztech Electronics Pte Ltd", "Aztech Associates Inc.", "Naztec, Inc.",
        "ZTEC Instruments, Inc.", "Wuxi Zhongxing Optoelectronics Technology Co.,Ltd.",
        "SHENZHEN HONOR ELECTRONIC CO.,LTD", "Shanghai Dahua Scale Factory",
        "Lorex Technology Inc.", "xFusion Digital Technologies Co., Limited",
        "Emerson Network Power Co.,Ltd", "Zhuhai Raysharp Technology Co.,Ltd",
    };
    for (size_t i = 0; i < sizeof(traps) / sizeof(traps[0]); i++)
        is_int((int)sig_match(db, SIG_FIELD_MAC_ORG, traps[i], NULL, 0), 0,
               "trap '%s' matches no pack", traps[i]);
    struct sig_hit h[4];
    is_int((int)sig_match(db, SIG_FIELD_MAC_ORG, "Honor Device Co., Ltd.", h, 4), 1,
           "Honor Device: one hit");
    is_str(h[0].vendor, "Honor", "Honor Device is Honor, not Huawei");
    ok(h[0].counts_as == NULL, "honor pack ships without counts-as");
    /* H3C (the former Huawei-3Com) has its own pack: its organisations are
     * H3C and are never counted as Huawei. */
    static const char *const h3c[] = {
        "New H3C Technologies Co., Ltd", "Hangzhou H3C Technologies Co., Limited",
        "New H3C Intelligence Terminal Co., Ltd.",
    };
    for (size_t i = 0; i < sizeof(h3c) / sizeof(h3c[0]); i++) {
        size_t n = sig_match(db, SIG_FIELD_MAC_ORG, h3c[i], h, 4);
        ok(n == 1 && strcmp(h[0].vendor, "H3C") == 0 && h[0].counts_as == NULL,
           "'%s' is H3C only, never Huawei (%zu hits)", h3c[i], n);
    }

    /* Every organisation of the registry table. */
    char p[700];
    snprintf(p, sizeof(p), "%s/signatures/ieee-oui.txt", srcdir);
    FILE *f = fopen(p, "r");
    ok(f != NULL, "registry table readable (%s)", p);
    size_t seen[sizeof(org_vendors) / sizeof(org_vendors[0])] = {0};
    size_t lines = 0, strays = 0, leaks = 0;
    char line[512];
    while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
        char *tab = strchr(line, '\t');
        if (line[0] == '#' || tab == NULL)
            continue;
        lines++;
        tab[1 + strcspn(tab + 1, "\r\n")] = '\0';
        const char *org = tab + 1;
        size_t n = sig_match(db, SIG_FIELD_MAC_ORG, org, h, 4);
        for (size_t k = 0; k < n && k < 4; k++) {
            size_t j = 0;
            while (j < sizeof(org_vendors) / sizeof(org_vendors[0]) &&
                   strcmp(org_vendors[j].org, org) != 0)
                j++;
            if (j == sizeof(org_vendors) / sizeof(org_vendors[0]) ||
                strcmp(org_vendors[j].vendor, h[k].vendor) != 0) {
                if (strays++ < 5)
                    printf("# '%s' claimed by rule %s (%s)\n", org, h[k].rule_id, h[k].vendor);
            } else {
                seen[j]++;
            }
            /* An OUI says nothing of the kind of device: a mac.org hit has
             * a role only as its pack's default, in a one-kind pack. */
            const char *pr = pack_role_of(db, h[k].pack_id);
            if (h[k].role != NULL && (pr == NULL || strcmp(pr, h[k].role) != 0) &&
                leaks++ < 5)
                printf("# '%s': rule %s says role %s\n", org, h[k].rule_id, h[k].role);
        }
    }
    if (f != NULL)
        fclose(f);
    ok(lines > 40000, "registry lines read (%zu)", lines);
    is_int((int)strays, 0, "no organisation claimed by a pack outside the expected list");
    is_int((int)leaks, 0, "no MAC registry rule has a role of its own");
    real_roles(db);
    for (size_t j = 0; j < sizeof(org_vendors) / sizeof(org_vendors[0]); j++)
        ok(seen[j] > 0, "'%s' (%zu assignments) matches %s", org_vendors[j].org, seen[j],
           org_vendors[j].vendor);
    sig_db_free(db);

    /* Honor is reported by default, as itself; disabling its pack silences it. */
    rc = sig_db_load_dir(dir, NULL, 0, NULL, 0, &db, err, sizeof(err));
    struct sig_hit hh[2];
    ok(sig_match(db, SIG_FIELD_MAC_ORG, "Honor Device Co., Ltd.", hh, 2) == 1 &&
           strcmp(hh[0].vendor, "Honor") == 0 && hh[0].counts_as == NULL,
       "honor pack on by default, vendor Honor, not counted as Huawei");
    sig_db_free(db);
    static const char *const off[] = { "honor" };
    rc = sig_db_load_dir(dir, NULL, 0, off, 1, &db, err, sizeof(err));
    is_int((int)sig_match(db, SIG_FIELD_MAC_ORG, "Honor Device Co., Ltd.", NULL, 0), 0,
           "honor pack can be disabled");
    ok(sig_db_pack_rule_count(db, 0) > 0, "first pack has rules");
    sig_db_free(db);
}

int
main(void)
{
    /* make check exports srcdir; run by hand from a build directory next
     * to the sources, ".." is the source tree. */
    const char *srcdir = getenv("srcdir");
    if (srcdir == NULL) {
        FILE *f = fopen("tests/data/sig/good/huawei.sig", "r");
        srcdir = f != NULL ? "." : "..";
        if (f != NULL)
            fclose(f);
    }
    snprintf(datadir, sizeof(datadir), "%s/tests/data/sig", srcdir);
    test_fields();
    test_kinds();
    test_captures();
    test_many_hits();
    test_load_errors();
    test_dir();
    test_check_fail();
    test_counts_as();
    test_roles();
    test_real_packs(srcdir);
    return done_testing();
}
