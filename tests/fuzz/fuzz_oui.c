/* fuzz_oui.c - libFuzzer target: the input is the text of a registry table.
 *
 * When it loads, every line that starts like an assignment is looked up
 * again through a MAC built from its own prefix: a universal unicast MAC
 * must find an organisation at least that long, and every organisation
 * returned must be text of the input (no tab, newline or NUL). A refused
 * input must leave no db and a "fuzz.txt:LINE: " message.
 */
#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "telexpose/oui.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
hexval(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static void
check_org(const char *org, unsigned bits, const uint8_t *data, size_t size)
{
    if (org == NULL) {
        if (bits != 0)
            abort();
        return;
    }
    size_t n = strlen(org);
    if (n == 0 || (bits != 24 && bits != 28 && bits != 36))
        abort();
    if (strpbrk(org, "\t\n") != NULL || memmem(data, size, org, n) == NULL)
        abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    struct oui_db *db = (struct oui_db *)&err;
    if (oui_db_load_buffer("fuzz.txt", (const char *)data, size, &db, err, sizeof(err)) != 0) {
        if (db != NULL || strncmp(err, "fuzz.txt:", 9) != 0)
            abort();
        return 0;
    }
    size_t lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n';
    if (oui_db_count(db) > lines)
        abort();

    unsigned bits;
    /* Each line's own prefix, MAC bytes after the prefix zero. */
    for (size_t pos = 0; pos < size;) {
        const uint8_t *nl = memchr(data + pos, '\n', size - pos);
        size_t end = nl ? (size_t)(nl - data) : size;
        uint8_t mac[6] = {0};
        size_t d = 0;
        while (pos + d < end && d < 12 && hexval(data[pos + d]) >= 0) {
            mac[d / 2] |= (uint8_t)(hexval(data[pos + d]) << (d % 2 ? 0 : 4));
            d++;
        }
        if (d > 0 && pos + d < end && data[pos + d] == '/') {
            const char *org = oui_lookup(db, mac, &bits);
            check_org(org, bits, data, size);
            if (!oui_mac_is_local_or_group(mac) && (org == NULL || bits < 4 * d))
                abort();
        }
        pos = end + 1;
    }
    /* The input's first bytes as a MAC, and with the local bit forced. */
    uint8_t mac[6] = {0};
    memcpy(mac, data, size < 6 ? size : 6);
    const char *org = oui_lookup(db, mac, &bits);
    check_org(org, bits, data, size);
    mac[0] |= 0x02;
    if (oui_lookup(db, mac, &bits) != NULL || bits != 0)
        abort();
    oui_db_free(db);
    return 0;
}
