/* netdb_build.c - telexpose-netdb: compile the vendor-network packs
 * (signatures/networks/NAME.net) into a MaxMind-format database.
 *
 * Reference: docs/networks.md (the .net format and the record layout);
 * MaxMind DB spec 2.0 through include/telexpose/mmdb_write.h. The packs are
 * read by netdb_parse.c (netdb_int.h).
 *
 * Usage: telexpose-netdb -o OUT FILE... Exit status 0, 1 when an input is
 * wrong ("FILE:LINE: what is wrong (what to do)" on stderr, OUT untouched),
 * 2 on a usage error.
 *
 * Overlapping networks: the search tree answers with the most specific
 * prefix; its record carries, under "within", the next covering network of
 * every other pack (most specific first), so a reader that has the first
 * pack turned off can still answer with the covering one. For the same
 * prefix under two ASNs the one declared first (files in command-line
 * order) is the answer and the others go under "within".
 */
#include "netdb_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "telexpose/geoip.h"
#include "telexpose/mmdb_write.h"
#include "telexpose/prefix.h"
#include "telexpose/xalloc.h"

#define ERRLEN 1024

/* ------------------------------------------------------------------------
 * Records and the tree */

/* The record of chain[0], the covering networks chain[1..n) nested under
 * "within". Keys in a fixed order: the same input gives the same bytes. */
static void
put_record(struct mmdbw_buf *b, const struct netdb *db, const size_t *chain, size_t n)
{
    const struct netdb_asn *as = &db->asns[chain[0]];
    const struct netdb_pack *pk = &db->packs[as->pack];
    mmdbw_put_map(b, n > 1 ? 7 : 6);
    mmdbw_put_string(b, "autonomous_system_number");
    mmdbw_put_uint32(b, as->asn);
    mmdbw_put_string(b, "autonomous_system_organization");
    mmdbw_put_string(b, as->org);
    mmdbw_put_string(b, "vendor");
    mmdbw_put_string(b, as->vendor != NULL ? as->vendor : pk->vendor);
    mmdbw_put_string(b, "pack");
    mmdbw_put_string(b, pk->id);
    mmdbw_put_string(b, "category");
    mmdbw_put_string(b, as->category);
    mmdbw_put_string(b, "default");
    mmdbw_put_bool(b, pk->default_on);
    if (n > 1) {
        mmdbw_put_string(b, "within");
        put_record(b, db, chain + 1, n - 1);
    }
}

static int
cmp_prefix(const void *x, const void *y)
{
    const struct netdb_prefix *a = x, *b = y;
    int c = memcmp(a->a, b->a, 16);
    if (c != 0)
        return c;
    if (a->plen != b->plen)
        return a->plen < b->plen ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static bool
contains(const struct netdb_prefix *outer, const struct netdb_prefix *inner)
{
    return outer->plen <= inner->plen && prefix_equal(outer->a, inner->a, outer->plen);
}

/* Append pfx's asn to chain unless its pack is there already. */
static void
chain_add(const struct netdb *db, size_t *chain, size_t *n, const struct netdb_prefix *p)
{
    for (size_t i = 0; i < *n; i++)
        if (db->asns[chain[i]].pack == db->asns[p->asn].pack)
            return;
    chain[(*n)++] = p->asn;
}

/* Insert every network into w. Sorted, parents come before children; the
 * stack holds the networks containing the current one, most specific on top. */
static int
insert_all(struct netdb *db, struct mmdbw *w, char *err, size_t errlen)
{
    /* Sorted by address, then length, then declaration order: a group of
     * equal prefixes starts with the one declared first. */
    size_t n = db->n_pfx;
    struct netdb_prefix *v = xmalloc((n ? n : 1) * sizeof(*v));
    memcpy(v, db->pfx, n * sizeof(*v));
    qsort(v, n, sizeof(*v), cmp_prefix);

    const struct netdb_prefix **stack = xmalloc((n ? n : 1) * sizeof(*stack));
    size_t *chain = xmalloc((db->n_packs + 1) * sizeof(*chain));
    size_t sp = 0;
    struct mmdbw_buf b;
    mmdbw_buf_init(&b);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0;) {
        size_t j = i + 1;
        while (j < n && v[j].plen == v[i].plen && memcmp(v[j].a, v[i].a, 16) == 0)
            j++;
        for (size_t k = i + 1; k < j && rc == 0; k++)
            for (size_t m = i; m < k && rc == 0; m++)
                if (v[k].asn == v[m].asn) {
                    snprintf(err, errlen, "%s:%u: network listed twice for AS%u (first at "
                             "%s:%u; remove one)", v[k].file, v[k].line,
                             db->asns[v[k].asn].asn, v[m].file, v[m].line);
                    rc = -1;
                }
        while (sp > 0 && !contains(stack[sp - 1], &v[i]))
            sp--;
        size_t nc = 0;
        chain[nc++] = v[i].asn;
        for (size_t k = i + 1; k < j; k++)
            chain_add(db, chain, &nc, &v[k]);
        for (size_t k = sp; k-- > 0;)
            chain_add(db, chain, &nc, stack[k]);
        mmdbw_buf_reset(&b);
        put_record(&b, db, chain, nc);
        enum mmdbw_status s =
            b.err ? MMDBW_ERR_VALUE
                  : mmdbw_insert(w, v[i].v4 ? 4 : 6, v[i].v4 ? v[i].a + 12 : v[i].a,
                                 v[i].v4 ? v[i].plen - 96 : v[i].plen, b.p, b.len);
        if (rc == 0 && s != MMDBW_OK) {
            snprintf(err, errlen, "%s:%u: cannot store the network: %s", v[i].file, v[i].line,
                     mmdbw_strerror(s));
            rc = -1;
        }
        /* The first declared goes on top: it is what children fall back to
         * first, like the lookup answer itself. */
        for (size_t k = j; k-- > i;)
            stack[sp++] = &v[k];
        i = j;
    }
    mmdbw_buf_free(&b);
    free(chain);
    free(stack);
    free(v);
    return rc;
}

/* ------------------------------------------------------------------------
 * Main */

static void
usage(FILE *f)
{
    fprintf(f, "usage: telexpose-netdb -o OUT.mmdb FILE.net...\n"
               "Compile vendor-network packs into a MaxMind-format database "
               "(docs/networks.md).\n"
               "build_epoch is the newest pack 'date', or $SOURCE_DATE_EPOCH when set.\n");
}

/* The build time: $SOURCE_DATE_EPOCH (reproducible builds) or the newest
 * pack date, so rebuilding the same packs gives the same bytes. */
static int
build_epoch(const struct netdb *db, uint64_t *epoch, char *err, size_t errlen)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde != NULL && sde[0] != '\0') {
        if (!netdb_parse_uint(sde, UINT64_MAX, epoch)) {
            snprintf(err, errlen, "SOURCE_DATE_EPOCH='%.40s' is not a number of seconds "
                     "(unset it or give e.g. 1764201600)", sde);
            return -1;
        }
        return 0;
    }
    int64_t newest = 0;
    for (size_t i = 0; i < db->n_packs; i++)
        if (db->packs[i].epoch > newest)
            newest = db->packs[i].epoch;
    *epoch = (uint64_t)newest;
    return 0;
}

/* Write db (already inserted into w) to out and print a summary. */
static int
write_db(const struct netdb *db, struct mmdbw *w, const char *out, char *err, size_t errlen)
{
    uint64_t epoch;
    if (build_epoch(db, &epoch, err, errlen) < 0)
        return -1;
    char desc[512];
    size_t dl = (size_t)snprintf(desc, sizeof(desc), "telexpose vendor networks (packs:");
    for (size_t i = 0; i < db->n_packs && dl < sizeof(desc); i++)
        dl += (size_t)snprintf(desc + dl, sizeof(desc) - dl, "%s %s", i ? "," : "",
                               db->packs[i].id);
    if (dl < sizeof(desc))
        snprintf(desc + dl, sizeof(desc) - dl, "); BGP origin prefixes, see docs/networks.md");
    static const char *const langs[] = {"en"};
    const struct mmdbw_text description[] = {{"en", desc}};
    const struct mmdbw_meta meta = {.database_type = GEOIP_NETDB_TYPE, .languages = langs,
                                     .n_languages = 1, .description = description,
                                     .n_description = 1, .build_epoch = epoch,
                                     .ipv4_aliases = true};
    struct mmdbw_stats st;
    errno = 0;
    enum mmdbw_status s = mmdbw_save(w, &meta, out, &st);
    if (s != MMDBW_OK) {
        snprintf(err, errlen, "%s: %s%s%s", out, mmdbw_strerror(s), s == MMDBW_ERR_IO ? ": " : "",
                 s != MMDBW_ERR_IO ? "" : errno ? strerror(errno) : "I/O error");
        return -1;
    }
    printf("telexpose-netdb: %s: %zu packs, %zu ASNs, %zu networks (", out, db->n_packs,
           db->n_asns, db->n_pfx);
    for (size_t i = 0; i < db->n_packs; i++)
        printf("%s%s %zu", i ? ", " : "", db->packs[i].id, db->packs[i].n_prefixes);
    printf("); %u nodes, %u-bit records, %zu records, %zu bytes\n", st.node_count,
           st.record_size, st.records, st.file_bytes);
    return 0;
}

int
main(int argc, char **argv)
{
    const char *out = NULL;
    int c;
    while ((c = getopt(argc, argv, "o:h")) != -1) {
        if (c != 'o') {
            usage(c == 'h' ? stdout : stderr);
            return c == 'h' ? 0 : 2;
        }
        out = optarg;
    }
    if (out == NULL || optind >= argc) {
        usage(stderr);
        return 2;
    }

    struct netdb db;
    memset(&db, 0, sizeof(db));
    struct mmdbw *w = mmdbw_new();
    char err[ERRLEN];
    int rc = 1;
    for (int i = optind; i < argc; i++)
        if (netdb_parse_file(&db, argv[i], err, sizeof(err)) < 0)
            goto cleanup;
    if (insert_all(&db, w, err, sizeof(err)) < 0 || write_db(&db, w, out, err, sizeof(err)) < 0)
        goto cleanup;
    rc = 0;

cleanup:
    if (rc != 0)
        fprintf(stderr, "%s\n", err);
    mmdbw_free(w);
    netdb_free(&db);
    return rc;
}
