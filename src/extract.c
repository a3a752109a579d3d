/* extract.c - placeholder until the dispatcher lands. */
#include "telexpose/extract.h"
#include "telexpose/xalloc.h"
#include <stdlib.h>
struct extract { int unused; };
struct extract *extract_new(const struct oui_db *oui, struct evidence_store *ev) { (void)oui; (void)ev; return xcalloc(1, sizeof(struct extract)); }
void extract_free(struct extract *x) { free(x); }
void extract_frame(struct extract *x, const struct decoded_pkt *d, uint64_t ts_us) { (void)x; (void)d; (void)ts_us; }
void extract_packet(struct extract *x, struct flow_table *ft, struct flow *f, const struct decoded_pkt *d, int dir, uint64_t ts_us) { (void)x; (void)ft; (void)f; (void)d; (void)dir; (void)ts_us; }
void extract_flow_end(struct extract *x, const struct flow *f, const struct flow_meta *m, uint64_t ts_us) { (void)x; (void)f; (void)m; (void)ts_us; }
