/* sig.h - vendor signature packs: loading, matching observations, self-check.
 *
 * A pack is a text file NAME.sig of rules; each rule says "when observation
 * FIELD matches PATTERN, the device is VENDOR with confidence C" and carries
 * its own examples and near-misses. The format is specified for rule writers
 * in docs/signatures.md. Loading is strict: the first error stops it and
 * nothing half-loaded is returned, so a bad rule never silently disappears.
 *
 * A loaded struct sig_db is immutable: sig_match() and sig_db_check() only
 * read it, so one db may be shared by several threads.
 */
#ifndef TELEXPOSE_SIG_H
#define TELEXPOSE_SIG_H

#include <stdbool.h>
#include <stddef.h>

/* Observation names a rule can look at ("field" in a pack). Keep in step
 * with the name table in sig_match.c and the list in docs/signatures.md. */
enum sig_field {
    SIG_FIELD_LLDP_CHASSIS_ID = 0,
    SIG_FIELD_LLDP_SYSTEM_NAME,
    SIG_FIELD_LLDP_SYSTEM_DESCRIPTION,
    SIG_FIELD_LLDP_PORT_DESCRIPTION,
    SIG_FIELD_DHCP_VENDOR_CLASS,
    SIG_FIELD_DHCP_HOSTNAME,
    SIG_FIELD_DHCP_PARAM_LIST,
    SIG_FIELD_DHCP_CLIENT_ID,
    SIG_FIELD_DHCPV6_ENTERPRISE,
    SIG_FIELD_SNMP_SYSDESCR,
    SIG_FIELD_SNMP_SYSOBJECTID,
    SIG_FIELD_SNMP_SYSNAME,
    SIG_FIELD_SNMP_ENGINE_ENTERPRISE,
    SIG_FIELD_HTTP_SERVER,
    SIG_FIELD_HTTP_WWW_AUTHENTICATE,
    SIG_FIELD_HTTP_USER_AGENT,
    SIG_FIELD_HTTP_TITLE,
    SIG_FIELD_CWMP_MANUFACTURER,
    SIG_FIELD_CWMP_OUI,
    SIG_FIELD_CWMP_PRODUCT_CLASS,
    SIG_FIELD_CWMP_SERIAL_NUMBER,
    SIG_FIELD_CWMP_SOFTWARE_VERSION,
    SIG_FIELD_CWMP_HARDWARE_VERSION,
    SIG_FIELD_SSH_BANNER,
    SIG_FIELD_TELNET_BANNER,
    SIG_FIELD_FTP_BANNER,
    SIG_FIELD_SIP_USER_AGENT,
    SIG_FIELD_SIP_SERVER,
    SIG_FIELD_SSDP_SERVER,
    SIG_FIELD_SSDP_USN,
    SIG_FIELD_UPNP_MANUFACTURER,
    SIG_FIELD_UPNP_MODEL_NAME,
    SIG_FIELD_UPNP_MODEL_NUMBER,
    SIG_FIELD_TLS_SNI,
    SIG_FIELD_TLS_ISSUER,
    SIG_FIELD_TLS_SUBJECT,
    SIG_FIELD_DNS_QUERY,
    SIG_FIELD_IP_ASN,
    SIG_FIELD_MAC_ORG,              /* IEEE registry organisation of a MAC (longest prefix) */
    SIG_FIELD_ETH_PROTOCOL,         /* layer-2 protocol seen from the MAC ("hgmp") */
    SIG_FIELD_LLDP_MANAGEMENT_ADDRESS,
    SIG_FIELD_DHCP_VENDOR_INFO,     /* DHCPv4 option 43 when printable */
    SIG_FIELD_DHCPV6_VENDOR_CLASS,  /* DHCPv6 option 16 data */
    SIG_FIELD_HTTP_HOST,
    SIG_FIELD_UPNP_MODEL_DESCRIPTION,
    SIG_FIELD_UPNP_MANUFACTURER_URL,
    SIG_FIELD_COUNT,
    SIG_FIELD_INVALID = SIG_FIELD_COUNT /* what sig_field_from_name returns for no match */
};

/* Field by its name ("dhcp.vendor_class"); SIG_FIELD_INVALID when unknown. */
enum sig_field sig_field_from_name(const char *name);

/* Name of a field; NULL when f is out of range. Static storage. */
const char *sig_field_name(enum sig_field f);

#define SIG_HIT_TEXT 64 /* bytes of model/version kept in a hit, NUL included */

/* One rule that matched. The const char * members point into the db and
 * stay valid until sig_db_free(). model/version are "" when the rule has no
 * template or the template produced nothing; longer results are cut at a
 * UTF-8 character boundary. */
struct sig_hit {
    const char *rule_id;
    const char *pack_id;
    const char *vendor;     /* the rule's vendor, else its pack's */
    const char *counts_as;  /* the pack's "counts-as" vendor, NULL when none: the
                             * device stage counts the hit for this vendor too */
    const char *role;       /* the rule's "role", else its pack's; NULL when none:
                             * what kind of device the hit says it is (router,
                             * switch, cpe, phone, camera, radio, server, host) */
    double confidence;      /* 0 < confidence <= 1 */
    char model[SIG_HIT_TEXT];
    char version[SIG_HIT_TEXT];
};

struct sig_db;

/* Load every *.sig file of dir, in name order. A pack marked "default off"
 * loads only when its id is in enable[0..n_enable); a pack whose id is in
 * disable[0..n_disable) is skipped. Ids in enable/disable that name no pack,
 * or a pack in both, are errors. Rule ids must be unique over every pack of
 * dir, loaded or not.
 * Returns 0 and *out (owned by the caller: sig_db_free()), or -1 with *out
 * NULL and errbuf holding "FILE:LINE: what is wrong (what to do)" for the
 * first error. An empty directory gives an empty db. */
int sig_db_load_dir(const char *dir, const char *const *enable, size_t n_enable,
                    const char *const *disable, size_t n_disable, struct sig_db **out,
                    char *errbuf, size_t errlen);

/* Load one pack from memory: text[0..len) (need not be NUL-terminated, may
 * hold any bytes). name is its file name ("huawei.sig"): errors are labelled
 * with it and its stem must equal the pack id. The pack loads whatever its
 * "default" line says, since the caller asked for it by name.
 * Same returns and ownership as sig_db_load_dir(). */
int sig_db_load_buffer(const char *name, const char *text, size_t len, struct sig_db **out,
                       char *errbuf, size_t errlen);

/* Release a db (NULL is fine). Hits taken from it become invalid. */
void sig_db_free(struct sig_db *db);

/* Every rule of field that matches value (NUL-terminated, any bytes).
 * Returns how many rules match; hits[0..min(result, max_hits)) are filled
 * (like snprintf, a result above max_hits means some were left out).
 * Order: rules with an exact/iexact match first, then the others, each
 * group in load order (file name, then line). hits may be NULL when
 * max_hits is 0. Only field's own rules are looked at. */
size_t sig_match(const struct sig_db *db, enum sig_field field, const char *value,
                 struct sig_hit *hits, size_t max_hits);

/* Counts of one pack in a self-check. */
struct sig_pack_report {
    const char *pack_id; /* points into the db */
    size_t rules;
    size_t examples;
    size_t nomatches;    /* near-misses checked */
    size_t failures;
};

/* Filled by sig_db_check(). packs is owned by the report: release it with
 * sig_check_report_free(); the totals are sums over packs. */
struct sig_check_report {
    size_t n_packs;
    struct sig_pack_report *packs; /* in load order, n_packs of them */
    size_t rules;
    size_t examples;
    size_t nomatches;
    size_t failures;
};

/* Run every example (it must match its own rule and, where the example
 * says model=/version=, produce them) and every nomatch (it must not match
 * its rule). rep may be NULL. Returns 0 when everything passes, -1 when
 * something failed, with errbuf naming the first failure as
 * "FILE:LINE: rule ID: example \"...\" did not match". */
int sig_db_check(const struct sig_db *db, struct sig_check_report *rep, char *errbuf,
                 size_t errlen);

/* Free what sig_db_check() put in rep (not rep itself); NULL is fine. */
void sig_check_report_free(struct sig_check_report *rep);

/* "huawei: 12 rules, 30 examples, 24 near-misses, ok" (or "..., 2 failed")
 * into buf; returns buf. */
char *sig_pack_report_format(const struct sig_pack_report *pr, char *buf, size_t len);

/* Packs loaded, in load order, and what describes them. Indexes run from 0
 * to sig_db_pack_count() - 1; out-of-range gives NULL / 0. Strings point
 * into the db. */
size_t sig_db_pack_count(const struct sig_db *db);
size_t sig_db_rule_count(const struct sig_db *db);
const char *sig_db_pack_id(const struct sig_db *db, size_t i);
const char *sig_db_pack_vendor(const struct sig_db *db, size_t i);
const char *sig_db_pack_title(const struct sig_db *db, size_t i); /* "" when none */
const char *sig_db_pack_file(const struct sig_db *db, size_t i);
bool sig_db_pack_default_on(const struct sig_db *db, size_t i);
/* The pack's "counts-as" vendor; NULL when it has none (or i is out of range). */
const char *sig_db_pack_counts_as(const struct sig_db *db, size_t i);
/* The pack's "role" (the default of its rules); NULL when it has none (or i
 * is out of range). */
const char *sig_db_pack_role(const struct sig_db *db, size_t i);
size_t sig_db_pack_rule_count(const struct sig_db *db, size_t i);

#endif /* TELEXPOSE_SIG_H */
