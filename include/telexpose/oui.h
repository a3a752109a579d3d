/* oui.h - the IEEE MAC address registry (MA-L, MA-M, MA-S, IAB) for
 * longest-prefix lookup of a MAC's organisation.
 *
 * The table is a text file generated from Debian's ieee-data by
 * signatures/gen-oui.py (committed, so running needs no ieee-data).
 */
#ifndef TELEXPOSE_OUI_H
#define TELEXPOSE_OUI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct oui_db;

/* Load the registry file at path. Returns 0 and *out (owned by the caller:
 * oui_db_free()), or -1 with errbuf "FILE:LINE: what is wrong". */
int oui_db_load(const char *path, struct oui_db **out, char *errbuf, size_t errlen);

/* Same from memory (text[0..len), any bytes); name labels errors. */
int oui_db_load_buffer(const char *name, const char *text, size_t len, struct oui_db **out,
                       char *errbuf, size_t errlen);

void oui_db_free(struct oui_db *db);

/* Organisation of mac by the longest registered prefix (36, 28, then 24
 * bits), or NULL when unregistered, multicast or locally administered.
 * *bits (may be NULL) gets the prefix length. The string lives in db. */
const char *oui_lookup(const struct oui_db *db, const uint8_t mac[6], unsigned *bits);

/* True for a MAC whose first byte has the local (0x02) or group (0x01) bit. */
static inline bool
oui_mac_is_local_or_group(const uint8_t mac[6])
{
    return (mac[0] & 0x03) != 0;
}

size_t oui_db_count(const struct oui_db *db);

#endif /* TELEXPOSE_OUI_H */
