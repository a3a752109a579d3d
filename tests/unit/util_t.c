/* util_t.c - unit tests of the small shared pieces: u64map.h (bounded
 * maps), textfile.h (whole-file reads, FILE:LINE errors), prefix.h,
 * privdrop.h (-Z). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pwd.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "telexpose/prefix.h"
#include "telexpose/privdrop.h"
#include "telexpose/textfile.h"
#include "telexpose/u64map.h"

static void
t_u64map(void)
{
    struct u64map m;
    u64map_init(&m, 1000);
    ok(u64map_find(&m, 5) == NULL && u64map_count(&m) == 0, "an empty map finds nothing");
    struct u64map_slot *s;
    ok(u64map_add(&m, 0, &s) && s != NULL, "key 0 is a key like any other");
    ok(!u64map_add(&m, 0, NULL) && u64map_find(&m, 0) == s, "adding it again finds the same slot");
    s->val = "zero";
    size_t added = 0;
    for (uint64_t k = 1; k <= 2000; k++)
        added += u64map_add(&m, k * 0x100000001b3ull, NULL);
    ok(u64map_count(&m) == 1000, "the map stops at its bound (%zu)", u64map_count(&m));
    ok(added == 2000, "a refused key reads as new, not as seen (%zu)", added);
    ok(u64map_find(&m, 0) != NULL && strcmp(u64map_find(&m, 0)->val, "zero") == 0,
       "values survive growth");
    bool all = true;
    for (uint64_t k = 1; k <= 999; k++)
        all &= u64map_find(&m, k * 0x100000001b3ull) != NULL;
    ok(all, "every key within the bound is found after growth");
    u64map_free(&m);
    ok(u64map_find(&m, 0) == NULL, "a freed map finds nothing");

    const uint8_t a[6] = {0, 0, 0, 0, 0, 0}, b[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    ok(u64map_mac_key(a) != 0 && u64map_mac_key(a) != u64map_mac_key(b),
       "MAC keys are never 0 and tell MACs apart");
    ok(u64map_hash("abc", 3, 1) != u64map_hash("abc", 3, 2) &&
           u64map_hash("abc", 3, 1) == u64map_hash("abc", 3, 1),
       "hashes are deterministic and seeded");
}

static int
vfail(char *buf, size_t len, const char *name, unsigned long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = textfile_vfail(buf, len, name, line, fmt, ap);
    va_end(ap);
    return rc;
}

static void
t_textfile(void)
{
    char err[128];
    ok(vfail(err, sizeof(err), "x.sig", 12, "bad %s", "thing") == -1 &&
           strcmp(err, "x.sig:12: bad thing") == 0,
       "FILE:LINE: message (%s)", err);
    char small[8];
    vfail(small, sizeof(small), "long-name.sig", 1, "whatever");
    ok(strlen(small) == 7 && strncmp(small, "long-na", 7) == 0, "a short buffer is cut, terminated");
    ok(vfail(err, 0, "x", 1, "y") == -1, "a zero-length buffer is left alone");

    char path[] = "/tmp/util_t_XXXXXX";
    int fd = mkstemp(path);
    ok(fd >= 0 && write(fd, "hello\n", 6) == 6, "a temporary file");
    close(fd);
    size_t len = 0;
    char *p = textfile_read(path, 100, "test", &len, err, sizeof(err));
    ok(p != NULL && len == 6 && memcmp(p, "hello\n", 6) == 0, "the whole file is read");
    free(p);
    p = textfile_read(path, 3, "files here are tiny", &len, err, sizeof(err));
    ok(p == NULL && strstr(err, path) && strstr(err, "files here are tiny"),
       "past max: an error naming the file and why (%s)", err);
    unlink(path);
    p = textfile_read(path, 100, "test", &len, err, sizeof(err));
    ok(p == NULL && strstr(err, path) && strstr(err, "cannot read"),
       "a missing file is named (%s)", err);
}

static void
t_prefix(void)
{
    const uint8_t a[4] = {192, 168, 1, 7}, b[4] = {192, 168, 1, 200}, c[4] = {192, 168, 3, 1};
    ok(prefix_equal(a, b, 24) && !prefix_equal(a, b, 25), "/24 agrees, /25 does not");
    ok(prefix_equal(a, c, 22) && !prefix_equal(a, c, 23), "/22 agrees, /23 does not");
    ok(prefix_equal(a, c, 0), "/0 agrees with everything");
    ok(prefix_equal(a, a, 32) && !prefix_equal(a, b, 32), "/32 is the address");
}

static void
t_privdrop(void)
{
    struct privdrop pd;
    char err[256];
    ok(privdrop_lookup("root", NULL, &pd, err, sizeof(err)) == 0 && pd.uid == 0 && pd.gid == 0,
       "root is found, uid 0");
    ok(privdrop_lookup("nosuchuser0", NULL, &pd, err, sizeof(err)) == -1 &&
           strstr(err, "-Z nosuchuser0: no such user") != NULL,
       "an unknown user is named (%s)", err);
    const struct passwd *pwe = getpwnam("nobody");
    if (pwe == NULL || privdrop_lookup("nobody", NULL, &pd, err, sizeof(err)) != 0) {
        ok(1, "# SKIP no user nobody");
        return;
    }
    uid_t want_uid = pwe->pw_uid;
    gid_t want_gid = pwe->pw_gid;
    /* Applied in a child: the drop cannot be undone, which is the point. */
    bool root = geteuid() == 0;
    pid_t child = fork();
    if (child == 0) {
        int rc = privdrop_apply(&pd, err, sizeof(err));
        if (!root)
            _exit(rc == -1 && strstr(err, "cannot drop privileges") ? 0 : 1);
        if (rc != 0)
            fprintf(stderr, "# %s\n", err);
        _exit(rc == 0 && getuid() == want_uid && geteuid() == want_uid &&
                      getgid() == want_gid && setuid(0) != 0
                  ? 0
                  : 1);
    }
    int st = 0;
    waitpid(child, &st, 0);
    if (!(WIFEXITED(st) && WEXITSTATUS(st) == 0))
        printf("# child status %d\n", st);
    ok(child > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
       root ? "as root: the process becomes nobody and cannot regain root"
                      : "not root: the drop fails with a message");
}

int
main(void)
{
    t_u64map();
    t_textfile();
    t_prefix();
    t_privdrop();
    return done_testing();
}
