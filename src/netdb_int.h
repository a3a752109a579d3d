/* netdb_int.h - what telexpose-netdb's pack parser (netdb_parse.c) hands to
 * the database writer (netdb_build.c). Not installed.
 *
 * Reference: docs/networks.md (the .net format and the record layout).
 *
 * A struct netdb starts zeroed and grows one file at a time; every string in
 * it is owned by it and released by netdb_free(). The file names are
 * borrowed: the paths given to netdb_parse_file() must outlive the netdb
 * (telexpose-netdb passes argv).
 */
#ifndef TELEXPOSE_NETDB_INT_H
#define TELEXPOSE_NETDB_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One .net file. */
struct netdb_pack {
    char *id, *vendor, *title, *licence; /* vendor NULL: every asn line names one */
    size_t n_sources;    /* only counted: sources document the file */
    bool default_on, have_default, have_date;
    int64_t epoch;       /* date at 00:00 UTC */
    const char *file;    /* borrowed */
    size_t n_prefixes;
};

/* One 'asn' line; an ASN belongs to one pack over all files. */
struct netdb_asn {
    uint32_t asn;
    char *category, *org, *vendor; /* vendor NULL: the pack's */
    size_t pack;                   /* index into netdb.packs */
    const char *file;              /* borrowed */
    unsigned line;
    size_t n_prefixes;             /* at least 1 once its file parsed cleanly */
};

/* One network line, stored as IPv6 so that both families share one order. */
struct netdb_prefix {
    uint8_t a[16];      /* IPv6 form; IPv4 under ::/96 */
    unsigned plen;      /* in the IPv6 tree */
    size_t asn;         /* index into netdb.asns */
    size_t seq;         /* declaration order over all files */
    bool v4;
    const char *file;   /* borrowed */
    unsigned line;
};

/* Everything the files declared, in declaration order. Duplicate networks
 * under one ASN are not caught here: they are found once the networks are
 * sorted, when the tree is built. */
struct netdb {
    struct netdb_pack *packs;
    size_t n_packs;
    struct netdb_asn *asns;
    size_t n_asns;
    struct netdb_prefix *pfx;
    size_t n_pfx, cap_pfx;
};

/* Read the pack at path and append it to db (zeroed before the first file).
 * Returns 0, or -1 with "FILE:LINE: what is wrong (what to do)" in
 * err[0..errlen); db then holds part of the file and must still be passed to
 * netdb_free(). Exits only on out-of-memory (xalloc). */
int netdb_parse_file(struct netdb *db, const char *path, char *err, size_t errlen);

/* Release what db owns and zero it; NULL and a zeroed db are fine. */
void netdb_free(struct netdb *db);

/* A decimal number without sign or leading zero, at most max, into *out.
 * False (and *out untouched) on anything else, "" included. */
bool netdb_parse_uint(const char *s, uint64_t max, uint64_t *out);

#endif
