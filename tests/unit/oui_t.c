/* oui_t.c - unit tests of the IEEE registry table (src/oui.c): loading from
 * memory, every loader error, longest-prefix lookup, local/group MACs, and
 * the real signatures/ieee-oui.txt ($srcdir, else ".." from a build dir).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap.h"
#include "telexpose/oui.h"

static struct oui_db *
load(const char *text, char *err, size_t errlen)
{
    struct oui_db *db = NULL;
    if (oui_db_load_buffer("t.txt", text, strlen(text), &db, err, errlen) != 0)
        return NULL;
    return db;
}

static const char *
look(const struct oui_db *db, uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint8_t e,
     uint8_t f, unsigned *bits)
{
    const uint8_t mac[6] = {a, b, c, d, e, f};
    return oui_lookup(db, mac, bits);
}

static void
test_lookup(void)
{
    char err[256];
    /* Deliberately unsorted and with comments, CRLF and a blank line. */
    const char *text = "# comment\n"
                       "AC64DD/24\tOuter Corp\n"
                       "\n"
                       "AC64DD5/28\tMiddle Ltd\r\n"
                       "AC64DD5A3/36\tInner GmbH\n"
                       "001122/24\tOuter Corp\n"
                       "70B3D5F2F/36\tOnly Small\n"
                       "a8bbcc/24\tlower hex";
    struct oui_db *db = load(text, err, sizeof(err));
    ok(db != NULL, "table loads (%s)", db ? "" : err);
    is_int((int)oui_db_count(db), 6, "six assignments");
    unsigned bits = 99;
    is_str(look(db, 0xac, 0x64, 0xdd, 0x12, 0x34, 0x56, &bits), "Outer Corp", "24-bit match");
    is_int((int)bits, 24, "24 bits reported");
    is_str(look(db, 0xac, 0x64, 0xdd, 0x50, 0x00, 0x01, &bits), "Middle Ltd",
           "28-bit entry inside the 24-bit one wins");
    is_int((int)bits, 28, "28 bits reported");
    is_str(look(db, 0xac, 0x64, 0xdd, 0x5f, 0xff, 0xff, &bits), "Middle Ltd", "end of the /28");
    is_str(look(db, 0xac, 0x64, 0xdd, 0x5a, 0x3f, 0xff, &bits), "Inner GmbH",
           "36-bit entry inside the 28-bit one wins");
    is_int((int)bits, 36, "36 bits reported");
    is_str(look(db, 0xac, 0x64, 0xdd, 0x5a, 0x40, 0x00, NULL), "Middle Ltd",
           "next /36 falls back to the /28 (NULL bits pointer)");
    is_str(look(db, 0xac, 0x64, 0xdd, 0x60, 0x00, 0x00, NULL), "Outer Corp",
           "outside the /28 falls back to the /24");
    is_str(look(db, 0x70, 0xb3, 0xd5, 0xf2, 0xf0, 0x00, NULL), "Only Small", "lone /36");
    ok(look(db, 0x70, 0xb3, 0xd5, 0xf3, 0x00, 0x00, &bits) == NULL, "unassigned /36 neighbour");
    is_int((int)bits, 0, "no match: bits 0");
    is_str(look(db, 0xa8, 0xbb, 0xcc, 0, 0, 0, NULL), "lower hex", "lowercase hex prefix");
    ok(look(db, 0x00, 0x11, 0x21, 0, 0, 0, NULL) == NULL, "unregistered prefix");
    ok(look(db, 0x00, 0x11, 0x22, 0, 0, 0, NULL) == look(db, 0xac, 0x64, 0xdd, 0, 0, 0, NULL),
       "repeated names are stored once");
    /* 0xAE = 0xAC | local bit; 0xAD = 0xAC | group bit: same bytes,
     * never registered. */
    ok(look(db, 0xae, 0x64, 0xdd, 0x12, 0x34, 0x56, &bits) == NULL, "local MAC: no org");
    ok(look(db, 0xad, 0x64, 0xdd, 0x12, 0x34, 0x56, NULL) == NULL, "group MAC: no org");
    const uint8_t loc[6] = {0x02, 0, 0, 0, 0, 1}, grp[6] = {0x01, 0x80, 0xc2, 0, 0, 0x0a},
                  uni[6] = {0xac, 0x64, 0xdd, 0, 0, 0};
    ok(oui_mac_is_local_or_group(loc), "0x02 bit is local");
    ok(oui_mac_is_local_or_group(grp), "0x01 bit is group");
    ok(!oui_mac_is_local_or_group(uni), "universal unicast");
    ok(oui_lookup(NULL, uni, &bits) == NULL && bits == 0, "NULL db: no org");
    is_int((int)oui_db_count(NULL), 0, "NULL db: count 0");
    oui_db_free(db);
    oui_db_free(NULL);

    db = load("# only comments\n\n", err, sizeof(err));
    ok(db != NULL && oui_db_count(db) == 0, "empty table loads");
    ok(look(db, 0xac, 0x64, 0xdd, 0, 0, 0, NULL) == NULL, "empty table: no org");
    oui_db_free(db);
}

static void
test_errors(void)
{
    static const struct {
        const char *text;
        const char *want;
    } cases[] = {
        {"DCD2FG/24\tX\n", "t.txt:1: bad hex digit 'G' in the prefix"},
        {"# c\nDC D2FC/24\tX\n", "t.txt:2: bad hex digit '?' in the prefix"},
        {"DCD2FC/20\tX\n", "t.txt:1: prefix length /20 is not 24, 28 or 36"},
        {"DCD2FC/48\tX\n", "t.txt:1: prefix length /48 is not 24, 28 or 36"},
        {"DCD2FC/2x\tX\n", "t.txt:1: bad prefix length"},
        {"DCD2FC/\tX\n", "t.txt:1: bad prefix length"},
        {"DCD2FC/0024\tX\n", "t.txt:1: bad prefix length"},
        {"DCD2FC/28\tX\n", "t.txt:1: prefix has 6 hex digits but /28 needs 7"},
        {"DCD2FC1/24\tX\n", "t.txt:1: prefix has 7 hex digits but /24 needs 6"},
        {"DCD2FC123A/36\tX\n", "t.txt:1: prefix has 10 hex digits but /36 needs 9"},
        {"DCD2FC\tX\n", "t.txt:1: no '/BITS' after the prefix"},
        {"/24\tX\n", "t.txt:1: no hex prefix at the start of the line"},
        {"DCD2FC/24 X\n", "t.txt:1: bad prefix length"},
        {"DCD2FC/24\n", "t.txt:1: no tab and organisation name after the prefix"},
        {"A/24\tX\nDCD2FC/24\t\n", "t.txt:1: prefix has 1 hex digits"},
        {"DCD2FC/24\tok\nDCD2FC/24\t\r\n", "t.txt:2: empty organisation name"},
        {"DCD2FC/24\ta\tb\n", "t.txt:1: tab inside the organisation name"},
        {"DCD2FC/24\tA\n000000/24\tB\ndcd2fc/24\tC\n",
         "t.txt:3: duplicate prefix DCD2FC/24 (already at line 1)"},
        {"AC64DD5/28\tA\n0/24\tB\n", "t.txt:2: prefix has 1 hex digits"},
        {"AC64DD5/28\tA\nAC64DD5/28\tA\nAC64DD5/28\tA\n70B3D5F2F/36\tC\n70B3D5F2F/36\tC\n",
         "t.txt:2: duplicate prefix AC64DD5/28 (already at line 1)"},
        {"70B3D5F2F/36\tC\nAC64DD5/28\tA\n70B3D5F2F/36\tC\nAC64DD5/28\tA\n",
         "t.txt:3: duplicate prefix 70B3D5F2F/36 (already at line 1)"},
    };
    char err[256];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct oui_db *db = (struct oui_db *)1;
        int rc = oui_db_load_buffer("t.txt", cases[i].text, strlen(cases[i].text), &db, err,
                                    sizeof(err));
        ok(rc == -1 && db == NULL && strncmp(err, cases[i].want, strlen(cases[i].want)) == 0,
           "error %zu: %s", i, err);
    }
    /* NUL bytes: the line is counted up to the NUL. */
    static const char nul[] = "DCD2FC/24\tA\nDCD2FD/24\tB\0C\n";
    struct oui_db *db = NULL;
    int rc = oui_db_load_buffer("t.txt", nul, sizeof(nul) - 1, &db, err, sizeof(err));
    ok(rc == -1 && db == NULL && strcmp(err, "t.txt:2: NUL byte in the file (the table is "
                                             "text)") == 0, "NUL byte: %s", err);
    /* A short errbuf is cut, not overrun. */
    char small[8];
    memset(small, 'x', sizeof(small));
    rc = oui_db_load_buffer("t.txt", "zz", 2, &db, small, 5);
    ok(rc == -1 && strcmp(small, "t.tx") == 0 && small[5] == 'x', "short errbuf: %s", small);
    rc = oui_db_load("/nonexistent/ieee-oui.txt", &db, err, sizeof(err));
    ok(rc == -1 && db == NULL && strstr(err, "/nonexistent/ieee-oui.txt: cannot read"),
       "missing file: %s", err);
}

static void
test_real_table(const char *srcdir)
{
    char p[600], err[512];
    snprintf(p, sizeof(p), "%s/signatures/ieee-oui.txt", srcdir);
    struct oui_db *db = NULL;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = oui_db_load(p, &db, err, sizeof(err));
    clock_gettime(CLOCK_MONOTONIC, &t1);
    is_int(rc, 0, "real table loads (%s)", rc ? err : p);
    printf("# %zu assignments loaded in %.1f ms\n", oui_db_count(db),
           (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
    ok(oui_db_count(db) > 40000, "tens of thousands of assignments (%zu)", oui_db_count(db));
    unsigned bits = 0;
    is_str(look(db, 0xdc, 0xd2, 0xfc, 0x01, 0x02, 0x03, &bits), "HUAWEI TECHNOLOGIES CO.,LTD",
           "DC:D2:FC is Huawei");
    is_int((int)bits, 24, "Huawei MA-L is /24");
    is_str(look(db, 0x24, 0xd3, 0xf2, 0, 0, 0, NULL), "zte corporation", "24:D3:F2 is ZTE");
    const char *az = look(db, 0x00, 0x26, 0x75, 0xaa, 0xbb, 0xcc, NULL);
    ok(az != NULL && strncmp(az, "Aztech", 6) == 0, "00:26:75 is an Aztech org (%s)",
       az ? az : "NULL");
    is_str(look(db, 0xac, 0x64, 0xdd, 0x5f, 0x00, 0x01, &bits),
           "SHANGHAI ZTE TECHNOLOGIES CO.,LTD", "AC:64:DD:5x is Shanghai ZTE (MA-M)");
    is_int((int)bits, 28, "MA-M is /28");
    const char *other = look(db, 0xac, 0x64, 0xdd, 0x40, 0, 0, NULL);
    ok(other != NULL && strcmp(other, "SHANGHAI ZTE TECHNOLOGIES CO.,LTD") != 0,
       "AC:64:DD:4x is someone else (%s)", other ? other : "NULL");
    ok(look(db, 0xde, 0xd2, 0xfc, 1, 2, 3, NULL) == NULL, "locally administered Huawei-like");
    ok(look(db, 0x00, 0x50, 0xc2, 0x7d, 0x50, 0x00, &bits) != NULL && bits == 36,
       "an IAB block resolves at /36");
    /* 0050C2 is the IEEE RA's own MA-L holding the IAB blocks: it is left
     * out of the table, so an unassigned /36 inside it names nobody. */
    ok(look(db, 0x00, 0x50, 0xc2, 0x04, 0xd0, 0x00, &bits) == NULL && bits == 0,
       "unassigned IAB block: no org (RA block not listed)");
    oui_db_free(db);
}

int
main(void)
{
    /* make check exports srcdir; by hand from a build directory next to
     * the sources, ".." is the source tree. */
    const char *srcdir = getenv("srcdir");
    test_lookup();
    test_errors();
    test_real_table(srcdir != NULL ? srcdir : "..");
    return done_testing();
}
