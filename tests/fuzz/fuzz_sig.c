/* fuzz_sig.c - libFuzzer target: the input is the text of a signature pack.
 *
 * The text is loaded as "fuzz.sig" (so the seeds say "pack fuzz"); when it
 * loads, the self-check runs every example and nomatch through the matcher,
 * and every field is matched against a few fixed values and against the
 * input's own first line, so templates and captures run on odd text too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "telexpose/sig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    struct sig_db *db = NULL;
    if (sig_db_load_buffer("fuzz.sig", (const char *)data, size, &db, err, sizeof(err)) != 0)
        return 0;
    struct sig_check_report rep;
    (void)sig_db_check(db, &rep, err, sizeof(err));
    char line[128];
    for (size_t i = 0; i < rep.n_packs; i++)
        (void)sig_pack_report_format(&rep.packs[i], line, sizeof(line));
    sig_check_report_free(&rep);

    /* The first line, NUL-terminated, as an observation value. */
    size_t n = 0;
    while (n < size && n < 256 && data[n] != '\n' && data[n] != '\0')
        n++;
    char own[257];
    memcpy(own, data, n);
    own[n] = '\0';
    const char *values[] = {own, "", "HUAWEI:android:ELE", "1.3.6.1.4.1.2011.2", "10.1.2.3",
                            "2001:db8::1", "www.huawei.com.", "3902", "\xff\xfe"};
    struct sig_hit hits[4];
    for (int f = 0; f < SIG_FIELD_COUNT; f++)
        for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++)
            (void)sig_match(db, (enum sig_field)f, values[v], hits, 4);
    for (size_t i = 0; i < sig_db_pack_count(db); i++)
        (void)sig_db_pack_id(db, i);
    sig_db_free(db);
    return 0;
}
