#!/bin/sh
# outputs.sh - the event outputs end to end (docs/outputs.md): a real
# redis-server on loopback (list and channel), a unix socket whose listener
# comes in the middle of a run, SIGHUP after logrotate moved the -w file, and
# syslog through a /dev/log of our own in a private mount namespace. Runs
# that must last are fed through a FIFO, paused half way. TAP output.
# Needs redis-server and redis-cli (else those checks SKIP); syslog needs
# root and unshare (else SKIP).
set -u
. "${srcdir:-.}/tests/e2e/lib.sh"
py=${PYTHON3:-python3}
cap="$s/tests/pcap/exposure/gateway_300.pcap"
half=100000 # bytes of $cap written before the pause: 2 events come out of them
rpid=
tpid=
lpid=
fpids=

cleanup() {
    for p in $rpid $tpid $lpid $fpids; do
        kill -KILL "$p" 2>/dev/null
    done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

wait_for() { # wait_for SECONDS command...: poll until the command succeeds
    w=$(($1 * 10))
    shift
    while [ $w -gt 0 ]; do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.1
        w=$((w - 1))
    done
    return 1
}

lines_at_least() { # lines_at_least N FILE
    [ -f "$2" ] && [ "$(wc -l <"$2")" -ge "$1" ]
}

# feed FIFO GATE: write $cap into FIFO, pausing after $half bytes until the
# file GATE exists (at most 30 s). In the background; its pid joins $fpids
# (a feeder whose reader never came would wait in open() for ever).
feed() {
    (
        head -c $half "$cap"
        w=300
        while [ ! -e "$2" ] && [ $w -gt 0 ]; do sleep 0.1; w=$((w - 1)); done
        tail -c +$((half + 1)) "$cap"
    ) >"$1" &
    fpids="$fpids $!"
}

# The reference: one uninterrupted run, the stats event aside.
"$exe" -q -r "$cap" -w "$tmp/ref.json"
check "reference run" test -s "$tmp/ref.json"
grep -v '"event_type":"stats"' "$tmp/ref.json" | sort >"$tmp/ref.sorted"
nref=$(wc -l <"$tmp/ref.json")

"$exe" -q -r "$cap" -o bogus:1 >/dev/null 2>"$tmp/err"
rc=$?
check "a bad -o exits non-zero" test $rc -ne 0
check "and names the spec and the valid forms" grep -q "bogus:1.*unix-stream:PATH" "$tmp/err"

# ---- redis ----
if command -v redis-server >/dev/null && command -v redis-cli >/dev/null; then
    port=$($py -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
        --dir "$tmp" >"$tmp/redis.log" 2>&1 &
    rpid=$!
    rc_() { redis-cli -p "$port" "$@"; }
    wait_for 5 rc_ ping
    check "redis-server is up on port $port" rc_ ping

    "$exe" -q -r "$cap" -w "$tmp/r.json" -o "redis:127.0.0.1:$port/list/tx"
    rc=$?
    check "list: exit 0" test $rc -eq 0
    check "list: LLEN equals the file's line count ($nref)" test "$(rc_ llen tx)" -eq "$(wc -l <"$tmp/r.json")"
    rc_ lrange tx 0 -1 >"$tmp/r.list"
    check "list: LRANGE is the file, line for line" cmp "$tmp/r.json" "$tmp/r.list"

    # Channel: a subscriber first.
    redis-cli -p "$port" subscribe txc >"$tmp/sub.out" &
    lpid=$!
    wait_for 5 sh -c "redis-cli -p $port pubsub numsub txc | tail -1 | grep -qx 1"
    "$exe" -q -r "$cap" -w "$tmp/c.json" -o "redis:127.0.0.1:$port/channel/txc"
    rc=$?
    check "channel: exit 0" test $rc -eq 0
    # redis-cli prints each message as three lines: message, channel, payload.
    msgs() { grep -c '^message$' "$tmp/sub.out"; }
    nc_=$(wc -l <"$tmp/c.json")
    wait_for 5 sh -c "[ \$(grep -c '^message\$' $tmp/sub.out) -ge $nc_ ]"
    kill "$lpid" 2>/dev/null
    wait "$lpid" 2>/dev/null
    lpid=
    awk 'p == 2 { print; p = 0; next } p == 1 { p = 2; next } /^message$/ { p = 1 }' \
        "$tmp/sub.out" >"$tmp/sub.json"
    check "channel: the subscriber got every event ($(msgs) of $nc_)" cmp "$tmp/c.json" "$tmp/sub.json"

    # A redis that is not there: the run goes on, the file is complete.
    "$exe" -q -r "$cap" -w "$tmp/d.json" -o "redis:127.0.0.1:1/list/tx" 2>"$tmp/err"
    rc=$?
    check "redis down: exit 0" test $rc -eq 0
    check "redis down: the file is complete" test "$(wc -l <"$tmp/d.json")" -eq "$nref"
    kill "$rpid"
    wait "$rpid" 2>/dev/null
    rpid=

    # Down at start, up in the middle of one run: telexpose connects when it
    # comes, and what came before was dropped, not queued.
    rm -f "$tmp/fifo" "$tmp/gate" && mkfifo "$tmp/fifo"
    feed "$tmp/fifo" "$tmp/gate"
    "$exe" -q -r "$tmp/fifo" -w "$tmp/l.json" -o "redis:127.0.0.1:$port/list/late" &
    tpid=$!
    wait_for 10 lines_at_least 2 "$tmp/l.json"
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
        --dir "$tmp" >"$tmp/redis.log" 2>&1 &
    rpid=$!
    # Two clients: redis-cli and telexpose, reconnected within its backoff.
    wait_for 10 sh -c "[ \$(redis-cli -p $port client list | wc -l) -ge 2 ]"
    touch "$tmp/gate"
    wait "$tpid"
    rc=$?
    tpid=
    check "redis late: exit 0, the file complete" test $rc -eq 0 -a "$(wc -l <"$tmp/l.json")" -eq "$nref"
    rc_ lrange late 0 -1 >"$tmp/l.list"
    check "redis late: the events after the connection arrived, the first ones did not" \
        $py -c '
import sys
got = open(sys.argv[1]).read().splitlines()
ref = open(sys.argv[2]).read().splitlines()
assert 0 < len(got) <= len(ref) - 2, (len(got), len(ref))
assert got == ref[len(ref) - len(got):], "not a suffix"
' "$tmp/l.list" "$tmp/l.json"
    kill "$rpid"
    wait "$rpid" 2>/dev/null
    rpid=
else
    skip "redis list, channel and down" "redis-server or redis-cli not installed"
fi

# ---- unix-stream: no listener, then a listener, in one run ----
sock="$tmp/ev.sock"
rm -f "$tmp/fifo" "$tmp/gate" && mkfifo "$tmp/fifo"
feed "$tmp/fifo" "$tmp/gate"
"$exe" -q -r "$tmp/fifo" -w "$tmp/u.json" -o "unix-stream:$sock" &
tpid=$!
# The first events are out (the writer flushes when idle) with nobody listening.
wait_for 10 lines_at_least 2 "$tmp/u.json"
check "first events written while nobody listens" lines_at_least 2 "$tmp/u.json"
$py - "$sock" "$tmp/u.got" "$tmp/gate" <<'EOF' &
import os, socket, sys
path, out, gate = sys.argv[1:4]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path)
s.listen(1)
s.settimeout(30)
c, _ = s.accept()
open(gate, "w").close()   # connected: let the rest of the capture through
data = b""
while True:
    b = c.recv(65536)
    if not b:
        break
    data += b
open(out, "wb").write(data)
EOF
lpid=$!
wait "$tpid"
rc=$?
tpid=
wait "$lpid"
lpid=
check "unix: exit 0" test $rc -eq 0
check "unix: the -w file is complete ($nref lines)" test "$(wc -l <"$tmp/u.json")" -eq "$nref"
check "unix: the listener got whole JSON lines, a suffix of the file, the first events missing" \
    $py - "$tmp/u.got" "$tmp/u.json" <<'EOF'
import json, sys
got = open(sys.argv[1], "rb").read().decode()
ref = open(sys.argv[2]).read().splitlines()
assert got.endswith("\n"), "the last line is cut"
lines = got.splitlines()
for l in lines:
    json.loads(l)
assert 0 < len(lines) <= len(ref) - 2, (len(lines), len(ref))
# everything after the connection, in order; the stats event differs only
# in nothing (same run), so compare exactly
assert lines == ref[len(ref) - len(lines):], "not a suffix"
EOF
stats=$(grep '"event_type":"stats"' "$tmp/u.json")
if printf '%s' "$stats" | grep -q '"outputs"'; then
    check "unix: the stats event counts the drops" $py -c '
import json, sys
st = json.loads(sys.argv[1])["stats"]["outputs"]
u = [o for o in st if o["name"].startswith("unix-stream:")][0]
assert u["dropped"] >= 2 and u["written"] >= 1, u
' "$stats"
else
    skip "unix: the stats event counts the drops" "the stats event has no outputs counters yet"
fi

# ---- SIGHUP after logrotate moved the file ----
rm -f "$tmp/fifo" "$tmp/gate" && mkfifo "$tmp/fifo"
feed "$tmp/fifo" "$tmp/gate"
"$exe" -q -r "$tmp/fifo" -w "$tmp/h.json" &
tpid=$!
wait_for 10 lines_at_least 2 "$tmp/h.json"
mv "$tmp/h.json" "$tmp/h.json.1"
kill -HUP "$tpid"
wait_for 5 test -e "$tmp/h.json"
check "SIGHUP: a new file is opened" test -e "$tmp/h.json"
touch "$tmp/gate"
wait "$tpid"
rc=$?
tpid=
check "SIGHUP: exit 0" test $rc -eq 0
check "SIGHUP: the moved file kept the first events" lines_at_least 2 "$tmp/h.json.1"
check "SIGHUP: events continue in the new file" lines_at_least 1 "$tmp/h.json"
cat "$tmp/h.json.1" "$tmp/h.json" >"$tmp/h.all"
grep -v '"event_type":"stats"' "$tmp/h.all" | sort >"$tmp/h.sorted"
check "SIGHUP: old + new = an uninterrupted run, none lost or doubled" \
    sh -c 'test -s "$1" && cmp "$1" "$2"' sh "$tmp/ref.sorted" "$tmp/h.sorted"
check "SIGHUP: one stats event" test "$(grep -c '"event_type":"stats"' "$tmp/h.all")" -eq 1
check "SIGHUP: every line is JSON, $nref of them" $py -c '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == int(sys.argv[2]), len(lines)
for l in lines:
    json.loads(l)
' "$tmp/h.all" "$nref"

# ---- syslog, into a /dev/log of our own ----
if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null && unshare -m true 2>/dev/null; then
    mkdir "$tmp/dev"
    $py - "$tmp/dev/log" "$tmp/s.got" "$nref" <<'EOF' &
import socket, sys
path, out, want = sys.argv[1], sys.argv[2], int(sys.argv[3])
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
s.settimeout(10)
msgs = []
try:
    while len(msgs) < want:
        msgs.append(s.recv(1 << 20))
except socket.timeout:
    pass
open(out, "wb").write(b"\n".join(msgs) + b"\n")
EOF
    lpid=$!
    wait_for 5 test -S "$tmp/dev/log"
    # /dev is replaced in the namespace only: our socket as /dev/log, and
    # /dev/null for the shell.
    touch "$tmp/dev/null"
    unshare -m sh -c 'mount --make-rprivate / && mount --bind /dev/null "$1/dev/null" &&
        mount --bind "$1/dev" /dev && exec "$2" -q -r "$3" -w "$1/s.json" -o syslog:local3' \
        sh "$tmp" "$exe" "$cap" 2>"$tmp/err"
    rc=$?
    wait "$lpid"
    lpid=
    check "syslog: exit 0" test $rc -eq 0
    check "syslog: every event arrived, one message each, local3.info, as JSON" \
        $py - "$tmp/s.got" "$tmp/s.json" <<'EOF'
import json, re, sys
got = open(sys.argv[1], "rb").read().decode().splitlines()
ref = open(sys.argv[2]).read().splitlines()
assert len(got) == len(ref), (len(got), len(ref))
for g, r in zip(got, ref):
    m = re.match(r"<(\d+)>.*?telexpose\[\d+\]: (.*)$", g)
    assert m, g[:80]
    assert int(m.group(1)) == 19 * 8 + 6, m.group(1)
    assert m.group(2) == r
    json.loads(m.group(2))
EOF
else
    skip "syslog into a private /dev/log" "needs root and unshare -m (a private mount namespace)"
fi

# Live capture appends to its files (a service restart keeps what a shipper
# has not read); reading files writes them afresh.
printf 'old line\n' >"$tmp/ap.json"
"$exe" -q -r "$cap" -w "$tmp/ap.json" 2>/dev/null
check "reading files: -w starts the file afresh" sh -c "! grep -q '^old line' '$tmp/ap.json'"
if [ "$(id -u)" -eq 0 ]; then
    printf 'old line\n' >"$tmp/ap.json"
    "$exe" -q -i lo -w "$tmp/ap.json" 2>"$tmp/ap.err" &
    apid=$!
    sleep 2
    kill -TERM $apid
    wait $apid
    check "live: -w appends to what is there" sh -c "head -1 '$tmp/ap.json' | grep -q '^old line' && tail -1 '$tmp/ap.json' | grep -q '\"final\":true'"
else
    skip "live: -w appends to what is there" "needs root to capture on lo"
fi

echo "1..$n"
exit $fail
