/* privdrop.h - giving up root after the capture handles are open (-Z USER,
 * --chroot DIR), as tcpdump -Z and Suricata --user do: a parser bug in a
 * process that reads hostile packets should not run as root.
 */
#ifndef TELEXPOSE_PRIVDROP_H
#define TELEXPOSE_PRIVDROP_H

#include <stddef.h>
#include <sys/types.h>

struct privdrop {
    char user[64];
    uid_t uid;
    gid_t gid;
    const char *chroot_dir;   /* NULL: none (not owned) */
};

/* Look user up now, while /etc/passwd is reachable. Returns 0, or -1 with
 * errbuf "-Z USER: no such user ...". */
int privdrop_lookup(const char *user, const char *chroot_dir, struct privdrop *pd, char *errbuf,
                    size_t errlen);

/* chroot (when asked), then drop supplementary groups, gid and uid, and
 * check root cannot be regained. Returns 0, or -1 with errbuf saying which
 * step failed: the caller must not go on capturing as root. */
int privdrop_apply(const struct privdrop *pd, char *errbuf, size_t errlen);

#endif /* TELEXPOSE_PRIVDROP_H */
