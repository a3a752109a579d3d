/* privdrop.c - setgroups/setgid/setuid after the capture handles are open. */
#include "telexpose/privdrop.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
privdrop_lookup(const char *user, const char *chroot_dir, struct privdrop *pd, char *errbuf,
                size_t errlen)
{
    memset(pd, 0, sizeof(*pd));
    errno = 0;
    const struct passwd *pw = getpwnam(user);
    if (pw == NULL) {
        snprintf(errbuf, errlen, "-Z %s: no such user (create one, e.g. useradd -r -s "
                 "/usr/sbin/nologin telexpose)", user);
        return -1;
    }
    snprintf(pd->user, sizeof(pd->user), "%s", user);
    pd->uid = pw->pw_uid;
    pd->gid = pw->pw_gid;
    pd->chroot_dir = chroot_dir;
    return 0;
}

int
privdrop_apply(const struct privdrop *pd, char *errbuf, size_t errlen)
{
    if (pd->chroot_dir != NULL && (chroot(pd->chroot_dir) != 0 || chdir("/") != 0)) {
        snprintf(errbuf, errlen, "--chroot %s: %s", pd->chroot_dir, strerror(errno));
        return -1;
    }
    /* Groups first: setgid and setgroups need the privilege setuid gives up. */
    if (setgroups(1, &pd->gid) != 0 || setgid(pd->gid) != 0 || setuid(pd->uid) != 0) {
        snprintf(errbuf, errlen, "-Z %s: cannot drop privileges: %s (run as root to use -Z)",
                 pd->user, strerror(errno));
        return -1;
    }
    if (pd->uid != 0 && setuid(0) == 0) {
        snprintf(errbuf, errlen, "-Z %s: root could be regained after dropping it", pd->user);
        return -1;
    }
    return 0;
}
