#include "telexpose/oui.h"
#include <stdio.h>
int oui_db_load(const char *path, struct oui_db **out, char *errbuf, size_t errlen)
{ (void)path; *out = NULL; snprintf(errbuf, errlen, "not built yet"); return -1; }
int oui_db_load_buffer(const char *name, const char *text, size_t len, struct oui_db **out, char *errbuf, size_t errlen)
{ (void)name; (void)text; (void)len; *out = NULL; snprintf(errbuf, errlen, "not built yet"); return -1; }
void oui_db_free(struct oui_db *db) { (void)db; }
const char *oui_lookup(const struct oui_db *db, const uint8_t mac[6], unsigned *bits) { (void)db; (void)mac; (void)bits; return NULL; }
size_t oui_db_count(const struct oui_db *db) { (void)db; return 0; }
