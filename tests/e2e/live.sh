#!/bin/sh
# live.sh - live capture (-i): usage errors, a missing interface, and real
# captures replayed with tcpreplay over a veth pair in a private network
# namespace, compared with an offline run (-r) of the same file. TAP output.
# Needs root, `ip netns` and tcpreplay for the replay part; without them those
# checks are reported as SKIP with the reason.
set -u
. "${srcdir:-.}/tests/e2e/lib.sh"
py=${PYTHON3:-python3}
ns=txlive$$
pid=

cleanup() {
    [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
    ip netns del "$ns" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

skip() { # skip "description" "reason"
    n=$((n + 1))
    echo "ok $n - $1 # SKIP $2"
}

run() { # run ARGS...: sets rc, out (stdout file), err (stderr file)
    "$exe" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}

# What needs no privilege.
run -r "$s/tests/pcap/exposure/cleartext_mgmt.pcap" -i lo
check "-r and -i together are a usage error (2)" test $rc -eq 2
check "and the message says to choose" grep -q -- "-r and -i cannot be mixed" "$tmp/err"
run -i lo --snaplen 10
check "a tiny --snaplen exits 2" test $rc -eq 2
run -i lo --buffer-size 12Q
check "a bad --buffer-size exits 2" test $rc -eq 2
run --help
check "--help documents -i" grep -q -- "--interface IFACE" "$tmp/out"
check "--help documents --no-promisc" grep -q -- "--no-promisc" "$tmp/out"
run -i nosuchif0 -w "$tmp/none.ndjson"
check "a missing interface exits 1" test $rc -eq 1
check "and is named with what to do" grep -q "nosuchif0: no such device.*ip link" "$tmp/err"
check "the stats event is still written" grep -q '"event_type":"stats"' "$tmp/none.ndjson"

run -i lo -Z nosuchuser0 -w "$tmp/none.ndjson"
check "-Z with an unknown user exits 2" test $rc -eq 2
check "and names the user" grep -q -- "-Z nosuchuser0: no such user" "$tmp/err"
run -r "$s/tests/pcap/exposure/quiet_lan.pcap" -Z nobody -w "$tmp/none.ndjson"
check "-Z with files is a usage error (2)" test $rc -eq 2
run -i lo --chroot /tmp -w "$tmp/none.ndjson"
check "--chroot without -Z is a usage error (2)" test $rc -eq 2

why=
if [ "$(id -u)" -ne 0 ]; then
    why="not root (live capture and network namespaces need it)"
elif ! command -v ip >/dev/null 2>&1; then
    why="no ip command (install iproute2)"
elif ! command -v tcpreplay >/dev/null 2>&1; then
    why="no tcpreplay (install tcpreplay)"
elif ! ip netns add "$ns" 2>/dev/null; then
    why="ip netns is not available here"
fi
inns() { ip netns exec "$ns" "$@"; }
if [ -z "$why" ]; then
    # No IPv6 autoconfiguration chatter: only the replayed frames are seen.
    # A large MTU lets frames captured with offloads be replayed whole.
    if ! { inns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 &&
           inns sysctl -qw net.ipv6.conf.default.disable_ipv6=1 &&
           ip -n "$ns" link add txa type veth peer name txb &&
           ip -n "$ns" link set txa mtu 65535 up &&
           ip -n "$ns" link set txb mtu 65535 up &&
           ip -n "$ns" link add txc type veth peer name txd &&
           ip -n "$ns" link set txc mtu 65535 up &&
           ip -n "$ns" link set txd mtu 65535 up; } >"$tmp/setup" 2>&1; then
        why="cannot set up a veth pair: $(head -1 "$tmp/setup")"
    fi
fi

# started: wait (10 s at most) until telexpose's packet socket exists.
started() {
    i=0
    while [ $i -lt 100 ]; do
        kill -0 "$pid" 2>/dev/null || return 1
        [ "$(inns cat /proc/net/packet | wc -l)" -gt 1 ] && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

# Background runs call ip netns exec directly, not inns: a backgrounded
# shell function is a subshell, and $! would not be telexpose's pid.

# live NAME FILE ARGS...: capture on txa with ARGS while FILE is replayed on txb,
# then SIGTERM; sets rc and leaves $tmp/NAME.{ndjson,json,err}.
live() {
    name=$1
    file=$2
    shift 2
    ip netns exec "$ns" "$exe" -i txa -w "$tmp/$name.ndjson" --report "$tmp/$name.json" "$@" \
        2>"$tmp/$name.err" &
    pid=$!
    if started; then
        inns tcpreplay -q -t -i txb "$file" >"$tmp/$name.replay" 2>&1
        sleep 1
    fi
    kill -TERM "$pid" 2>/dev/null
    wait "$pid"
    rc=$?
    pid=
}

# same OFFLINE LIVE: devices and exposure findings agree.
same() {
    "$py" - "$1" "$2" <<'EOF'
import json, sys
def picture(path):
    r = json.load(open(path))
    devs = sorted((d["id"], d["vendor"], d.get("role"), d.get("model"), d.get("version"))
                  for d in r["devices"])
    exps = sorted((e["kind"], e["severity"]) for e in r["exposures"])
    return devs, exps
a, b = picture(sys.argv[1]), picture(sys.argv[2])
if a != b:
    sys.exit("offline %r\nlive    %r" % (a, b))
EOF
}

# The NDJSON ends with one whole stats line.
ends_with_stats() {
    "$py" - "$1" <<'EOF'
import json, sys
data = open(sys.argv[1], "rb").read()
assert data.endswith(b"\n")
last = json.loads(data.splitlines()[-1])
assert last["event_type"] == "stats"
EOF
}

coverage_dropped_number() {
    "$py" -c '
import json, sys
r = json.load(open(sys.argv[1]))
d = r["coverage"]["dropped"]
assert isinstance(d, int) and not isinstance(d, bool) and d >= 0
assert r["run"]["inputs"] == ["txa"]
' "$1"
}

for f in exposure/cleartext_mgmt.pcap exposure/http_admin_outside.pcap \
         shared/ftp-start-tls.pcap; do
    b=$(basename "$f" .pcap)
    if [ -n "$why" ]; then
        for d in "exits 0 on SIGTERM" "NDJSON ends with a whole stats line" \
                 "devices and exposures equal the offline run" \
                 "coverage.dropped is a number, inputs the interface" \
                 "capture loss is printed per interface"; do
            skip "$b live: $d" "$why"
        done
        continue
    fi
    "$exe" -r "$s/tests/pcap/$f" -w /dev/null --report "$tmp/$b.off.json" 2>/dev/null
    live "$b" "$s/tests/pcap/$f"
    check "$b live: exits 0 on SIGTERM" test $rc -eq 0
    check "$b live: NDJSON ends with a whole stats line" ends_with_stats "$tmp/$b.ndjson"
    same "$tmp/$b.off.json" "$tmp/$b.json" >"$tmp/$b.diff" 2>&1
    src=$?
    check "$b live: devices and exposures equal the offline run" test $src -eq 0
    [ $src -eq 0 ] || sed 's/^/# /' "$tmp/$b.diff" "$tmp/$b.err" "$tmp/$b.replay"
    check "$b live: coverage.dropped is a number, inputs the interface" \
        coverage_dropped_number "$tmp/$b.json"
    check "$b live: capture loss is printed per interface" \
        grep -q "^telexpose: txa: [0-9]* received, [0-9]* dropped by the kernel, [0-9]* by the interface" \
        "$tmp/$b.err"
done

# Two interfaces feed one pipeline: what each sees adds up.
if [ -n "$why" ]; then
    skip "two interfaces: exit 0" "$why"
    skip "two interfaces: both are the inputs" "$why"
    skip "two interfaces: devices and exposures equal the offline run of both files" "$why"
else
    a=$s/tests/pcap/exposure/cleartext_mgmt.pcap
    b=$s/tests/pcap/exposure/http_admin_outside.pcap
    "$exe" -r "$a" -r "$b" -w /dev/null --report "$tmp/two.off.json" 2>/dev/null
    ip netns exec "$ns" "$exe" -i txa -i txc -w "$tmp/two.ndjson" --report "$tmp/two.json" \
        2>"$tmp/two.err" &
    pid=$!
    if started; then
        inns tcpreplay -q -t -i txb "$a" >/dev/null 2>&1
        inns tcpreplay -q -t -i txd "$b" >/dev/null 2>&1
        sleep 1
    fi
    kill -TERM "$pid" 2>/dev/null
    wait "$pid"
    rc=$?
    pid=
    check "two interfaces: exit 0" test $rc -eq 0
    check "two interfaces: both are the inputs" "$py" -c '
import json, sys
assert json.load(open(sys.argv[1]))["run"]["inputs"] == ["txa", "txc"]
' "$tmp/two.json"
    same "$tmp/two.off.json" "$tmp/two.json" >"$tmp/two.diff" 2>&1
    src=$?
    check "two interfaces: devices and exposures equal the offline run of both files" \
        test $src -eq 0
    [ $src -eq 0 ] || sed 's/^/# /' "$tmp/two.diff" "$tmp/two.err"
fi

# -Z: root is given up once the interface is open; the run still sees it all.
if [ -n "$why" ] || ! id nobody >/dev/null 2>&1; then
    for d in "runs as the user after start" "exits 0 on SIGTERM" \
             "devices and exposures equal the offline run" "no root warning with -Z"; do
        skip "-Z nobody: $d" "${why:-no user nobody}"
    done
else
    f=$s/tests/pcap/exposure/cleartext_mgmt.pcap
    mkdir -p "$tmp/nobody" && chmod 1777 "$tmp/nobody" && chmod o+x "$tmp"
    "$exe" -r "$f" -w /dev/null --report "$tmp/z.off.json" 2>/dev/null
    ip netns exec "$ns" "$exe" -i txa -Z nobody -w "$tmp/nobody/z.ndjson" \
        --report "$tmp/nobody/z.json" 2>"$tmp/z.err" &
    pid=$!
    uid=
    if started; then
        uid=$(awk '/^Uid:/ { print $2 " " $3 " " $4 " " $5 }' "/proc/$pid/status")
        inns tcpreplay -q -t -i txb "$f" >/dev/null 2>&1
        sleep 1
    fi
    kill -TERM "$pid" 2>/dev/null
    wait "$pid"
    rc=$?
    pid=
    nid=$(id -u nobody)
    check "-Z nobody: runs as the user after start" test "$uid" = "$nid $nid $nid $nid"
    [ "$uid" = "$nid $nid $nid $nid" ] || echo "# Uid: $uid; stderr: $(cat "$tmp/z.err")"
    check "-Z nobody: exits 0 on SIGTERM" test $rc -eq 0
    same "$tmp/z.off.json" "$tmp/nobody/z.json" >"$tmp/z.diff" 2>&1
    check "-Z nobody: devices and exposures equal the offline run" test $? -eq 0
    check "-Z nobody: no root warning with -Z" sh -c "! grep -q 'capturing as root' '$tmp/z.err'"
    check "without -Z, running as root is warned about" grep -q "capturing as root" \
        "$tmp/cleartext_mgmt.err"
fi

# Idle flows expire on the wall clock although no packet follows them.
if [ -n "$why" ]; then
    skip "idle flows time out without further packets" "$why"
else
    timeouts="--timeout tcp_new=1 --timeout tcp_established=1 --timeout tcp_closed=1 \
--timeout udp=1 --timeout icmp=1 --timeout other=1"
    # shellcheck disable=SC2086
    ip netns exec "$ns" "$exe" -i txa -w "$tmp/idle.ndjson" $timeouts 2>"$tmp/idle.err" &
    pid=$!
    if started; then
        inns tcpreplay -q -t -i txb "$s/tests/pcap/exposure/cleartext_mgmt.pcap" >/dev/null 2>&1
        sleep 3.5
    fi
    kill -TERM "$pid" 2>/dev/null
    wait "$pid"
    pid=
    check "idle flows time out without further packets" \
        "$py" -c '
import json, sys
flows = [e for e in map(json.loads, open(sys.argv[1])) if e["event_type"] == "flow"]
assert flows and all(e["flow"]["reason"] == "timeout" for e in flows), flows
' "$tmp/idle.ndjson"
fi

echo "1..$n"
exit $fail
