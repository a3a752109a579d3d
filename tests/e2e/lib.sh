# lib.sh - what the shell end-to-end tests share (sourced, not run).
# Sets exe, s (source root), tmp (removed on exit), and the TAP counters;
# check() prints one TAP line per assertion. Uses $TELEXPOSE and $srcdir
# (make check exports both).
exe=${TELEXPOSE:-./src/telexpose}
s=${srcdir:-.}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0

check() { # check "description" command...: passes when the command succeeds
    n=$((n + 1))
    d=$1
    shift
    if "$@" >/dev/null 2>&1; then
        echo "ok $n - $d"
    else
        echo "not ok $n - $d"
        fail=1
    fi
}

skip() { # skip "description" "reason": counts as a TAP test marked SKIP
    n=$((n + 1))
    echo "ok $n - $1 # SKIP $2"
}
