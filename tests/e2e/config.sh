#!/bin/sh
# config.sh - the config file (--config FILE) and --print-config
# (docs/config.md): every option round-trips through a file, the printed
# configuration read back prints the same (a fixed point), the command line
# beats the file (scalars, lists, per-class timeouts, flags), a run from a
# file equals the same run from the command line, and bad files fail with
# FILE:LINE and exit status 2. TAP output.
set -u
. "${srcdir:-.}/tests/e2e/lib.sh"
py=${PYTHON3:-python3}
cap="$s/tests/pcap/exposure/http_admin_outside.pcap"

run() { # run ARGS...: sets rc, out (stdout file), err (stderr file)
    "$exe" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}

# every_line_in A B: every line of A that is neither blank nor a comment is
# a line of B.
every_line_in() {
    grep -v -e '^#' -e '^$' "$1" | while IFS= read -r l; do
        grep -qFx -- "$l" "$2" || { echo "missing: $l" >&2; exit 1; }
    done
}

# Every config key, in --help order. A new option must be added here, to
# docs/config.md and to docs/examples/telexpose.conf.
keys="read interface filter snaplen buffer-size no-promisc user chroot threads write
output report report-interval stats-interval quiet no-progress flow-memcap timeout
active-timeout no-dpi signatures enable-pack disable-pack no-signatures home-net asn-db
country-db networks-db no-networks"

# Two files between them set every option away from its default, written as
# --print-config writes them (an offline one, and a live one: -r and -i do
# not mix, nor --report and --no-signatures).
cat >"$tmp/files.conf" <<'EOF'
# comments and blank lines are skipped

read = /data/day1.pcap
read = "/data/day 2.pcapng"
filter = "not port 22"
snaplen = 1518
buffer-size = 128M
no-promisc = yes
threads = 3
write = "/var/log/telexpose/ev \"new\" \\x.ndjson"
output = file:/tmp/copy.ndjson
output = syslog:local3
report = /var/lib/telexpose/report.json
report-interval = 300
stats-interval = 10
quiet = yes
no-progress = yes
flow-memcap = 64M
timeout = tcp_new=11
timeout = tcp_established=1200
timeout = tcp_closed=12
timeout = udp=13
timeout = icmp=14
timeout = other=15
active-timeout = 0
no-dpi = yes
signatures = /opt/telexpose/signatures
enable-pack = cn-backbones
enable-pack = hikvision
disable-pack = kaspersky-net
home-net = 10.0.0.0/8,2001:db8::/32
asn-db = /usr/share/GeoIP/GeoLite2-ASN.mmdb
country-db = /usr/share/GeoIP/GeoLite2-Country.mmdb
networks-db = /opt/telexpose/vendor-networks.mmdb
no-networks = yes
EOF
cat >"$tmp/live.conf" <<'EOF'
interface = lo
interface = lo
user = nobody
chroot = /
no-signatures = yes
EOF

for f in files live; do
    run --config "$tmp/$f.conf" --print-config
    cp "$tmp/out" "$tmp/$f.printed"
    check "$f.conf: --print-config exits 0 without running" test $rc -eq 0
    check "$f.conf: every line of the file is in --print-config" every_line_in "$tmp/$f.conf" \
        "$tmp/$f.printed"
    run --config "$tmp/$f.printed" --print-config
    check "$f.conf: the printed configuration read back prints the same" \
        cmp "$tmp/out" "$tmp/$f.printed"
done
check "the two files set every key" "$py" -c '
import sys
keys = sys.argv[1].split()
set_ = set()
for f in sys.argv[2:]:
    for l in open(f):
        if l.strip() and not l.startswith("#"):
            set_.add(l.split("=", 1)[0].strip())
assert set_ == set(keys), sorted(set(keys) ^ set_)
' "$keys" "$tmp/files.conf" "$tmp/live.conf"

run --print-config
cp "$tmp/out" "$tmp/default.printed"
check "--print-config needs no input and exits 0" test $rc -eq 0
check "it prints every key once, set or '# key =' (timeout once per class)" "$py" -c '
import sys
keys = sys.argv[1].split()
seen = []
for l in open(sys.argv[2]):
    l = l.strip()
    if l.startswith("# ") and l.endswith(" ="):
        seen.append(l[2:-2])
    elif l and not l.startswith("#"):
        seen.append(l.split(" = ", 1)[0])
want = [k for k in keys for _ in range(6 if k == "timeout" else 1)]
assert seen == want, (seen, want)
' "$keys" "$tmp/default.printed"
check "the defaults: files get one thread, 60 s stats, 64M ring" sh -c "
grep -qx 'threads = 1' '$tmp/default.printed' &&
grep -qx 'stats-interval = 60' '$tmp/default.printed' &&
grep -qx 'buffer-size = 64M' '$tmp/default.printed' &&
grep -qx 'quiet = no' '$tmp/default.printed' &&
grep -qx '# report =' '$tmp/default.printed'"
run --config "$tmp/default.printed" --print-config
check "the defaults read back print the same" cmp "$tmp/out" "$tmp/default.printed"
run -i lo --print-config
cores=$(getconf _NPROCESSORS_ONLN)
[ "$cores" -gt 64 ] && cores=64
check "live, the defaulted threads are the cores ($cores)" grep -qx "threads = $cores" "$tmp/out"

# The command line wins.
cat >"$tmp/base.conf" <<'EOF'
snaplen = 1518
read = a.pcap
read = b.pcap
enable-pack = cn-backbones
disable-pack = hikvision
timeout = udp=30
timeout = tcp_new=5
quiet = no
EOF
run --config "$tmp/base.conf" --print-config --snaplen 2000 -r c.pcap --enable-pack x -q \
    --timeout udp=99
check "a scalar on the command line beats the file's" grep -qx "snaplen = 2000" "$tmp/out"
check "a list on the command line replaces the file's whole list" sh -c "
grep -qx 'read = c.pcap' '$tmp/out' && ! grep -q 'a.pcap' '$tmp/out' &&
grep -qx 'enable-pack = x' '$tmp/out' && ! grep -q 'cn-backbones' '$tmp/out'"
check "a list the command line does not give stays the file's" \
    grep -qx "disable-pack = hikvision" "$tmp/out"
check "a timeout on the command line replaces that class only" sh -c "
grep -qx 'timeout = udp=99' '$tmp/out' && grep -qx 'timeout = tcp_new=5' '$tmp/out'"
check "a flag on the command line beats the file's 'no'" grep -qx "quiet = yes" "$tmp/out"
run --snaplen 2000 --config "$tmp/base.conf" --print-config
check "the command line wins wherever --config stands" grep -qx "snaplen = 2000" "$tmp/out"
printf 'snaplen = 100\nsnaplen = 200\nquiet = yes\nquiet = off\n' >"$tmp/twice.conf"
run --config "$tmp/twice.conf" --print-config
check "in a file the last of a scalar wins, 'off' clears a flag" sh -c "
grep -qx 'snaplen = 200' '$tmp/out' && grep -qx 'quiet = no' '$tmp/out'"

# A run from a file equals the same run from the command line (the stats
# event's timestamp aside). Same relative names in two directories, so the
# stats event's output names agree too.
mkdir "$tmp/byfile" "$tmp/bycli"
cat >"$tmp/run.conf" <<EOF
read = $cap
write = ev.ndjson   # relative to the working directory
report = report.json
home-net = "192.168.1.0/24,198.51.100.0/24"
quiet = true
EOF
(cd "$tmp/byfile" && "$exe" --config "$tmp/run.conf" >"$tmp/out" 2>"$tmp/err")
rc=$?
check "a run from a config file exits 0 and is quiet" sh -c "test $rc -eq 0 && ! test -s '$tmp/err'"
(cd "$tmp/bycli" && "$exe" -r "$cap" -w ev.ndjson --report report.json \
    --home-net 192.168.1.0/24,198.51.100.0/24 -q)
check "it writes the events and the report of the command-line run" "$py" -c '
import json, sys
a, b = sys.argv[1], sys.argv[2]
def events(d):
    ev = [json.loads(l) for l in open(d + "/ev.ndjson")]
    for e in ev:
        if e["event_type"] == "stats":
            del e["timestamp"]
    return ev
ea, eb = events(a), events(b)
assert len(ea) > 3 and ea == eb, (len(ea), len(eb))
ra, rb = (json.load(open(d + "/report.json")) for d in (a, b))
assert ra == rb
assert ra["run"]["home_net_source"] == "option", ra["run"]
' "$tmp/byfile" "$tmp/bycli"

# A quoted filter with blanks and a trailing comment.
printf 'read = %s\nfilter = "udp port 53"   # DNS only\nquiet = yes\n' "$cap" >"$tmp/f.conf"
run --config "$tmp/f.conf"
check "a quoted filter with blanks applies (no DNS in the capture: no flow)" sh -c "
test $rc -eq 0 && grep -q '\"event_type\":\"stats\"' '$tmp/out' &&
! grep -q '\"event_type\":\"flow\"' '$tmp/out'"
printf 'read = %s\nfilter = tcp port 80\nquiet = yes\n' "$cap" >"$tmp/f.conf"
run --config "$tmp/f.conf"
check "an unquoted filter with blanks is the whole rest of the line" sh -c "
test $rc -eq 0 && grep -q '\"dest_port\":80' '$tmp/out'"
run --print-config -f "tcp
and port 80"
check "a filter given on two lines prints on one" grep -qx 'filter = "tcp and port 80"' "$tmp/out"
printf 'read = x\r\nsnaplen = 1518\r\n' >"$tmp/crlf.conf"
run --config "$tmp/crlf.conf" --print-config
check "CRLF line ends are read" grep -qx "snaplen = 1518" "$tmp/out"

# Errors: FILE:LINE, the CLI's own message, exit status 2.
bad() { # bad "description" "file content" "expected message (grep -F)"
    printf '# a comment\n\n%s\n' "$2" >"$tmp/bad.conf"
    run --config "$tmp/bad.conf" -r "$cap"
    check "$1: exit 2" test $rc -eq 2
    check "$1: message" grep -qF "telexpose: $tmp/bad.conf:3: $3" "$tmp/err"
}
bad "misspelt key" "snaplne = 1518" "unknown option 'snaplne' (did you mean 'snaplen'?)"
bad "underscore key" "buffer_size = 64M" "unknown option 'buffer_size' (did you mean 'buffer-size'?)"
bad "unknown key" "colour = blue" "unknown option 'colour'"
bad "bad number" "snaplen = x" "--snaplen 'x': expected bytes from 64"
bad "bad flag value" "quiet = maybe" "--quiet 'maybe': expected yes or no"
bad "no value" "report =" "report: no value"
bad "no '='" "snaplen 1518" "expected 'KEY = VALUE'"
bad "unterminated quote" 'filter = "not port 22' "filter: no closing double quote"
bad "text after the quote" 'filter = "not port 22" x' "filter: 'x' after the closing double quote"
bad "command-line-only key" "config = other.conf" "'config' is for the command line only"
bad "bad home-net" "home-net = 10.0.0.0/33" "--home-net:"
for o in "snaplen 7" "buffer-size 1K" "flow-memcap 12Q" "timeout udp=0" "threads 65" \
    "stats-interval -1" "active-timeout x" "home-net nonsense"; do
    k=${o%% *}
    v=${o#* }
    run -r "$cap" "--$k" "$v"
    sed 's/^telexpose: //' "$tmp/err" >"$tmp/cli.msg"
    printf '%s = %s\n' "$k" "$v" >"$tmp/one.conf"
    run --config "$tmp/one.conf" -r "$cap"
    sed "s|^telexpose: $tmp/one.conf:1: ||" "$tmp/err" >"$tmp/file.msg"
    check "--$k '$v': the file says what the command line says" sh -c "
test $rc -eq 2 && test -s '$tmp/cli.msg' && cmp '$tmp/cli.msg' '$tmp/file.msg'"
done
run --config "$tmp/no-such.conf" -r "$cap"
check "a missing file: exit 2" test $rc -eq 2
check "a missing file is named" grep -qF "$tmp/no-such.conf: cannot read" "$tmp/err"
run --config "$tmp" -r "$cap"
check "a directory is no config file (exit 2)" test $rc -eq 2
printf 'report-interval = 60\n' >"$tmp/ri.conf"
run --config "$tmp/ri.conf" --print-config
check "--print-config checks the options between them too (exit 2)" sh -c "
test $rc -eq 2 && grep -q 'needs --report' '$tmp/err'"

# The shipped example is a valid file that names every key.
ex="$s/docs/examples/telexpose.conf"
run --config "$ex" --print-config
check "docs/examples/telexpose.conf is valid" test $rc -eq 0
check "it names every key" "$py" -c '
import re, sys
text = open(sys.argv[2]).read()
missing = [k for k in sys.argv[1].split()
           if not re.search(r"^#? ?%s =" % re.escape(k), text, re.M)]
assert not missing, missing
' "$keys" "$ex"
check "docs/config.md describes every key" "$py" -c '
import sys
text = open(sys.argv[2]).read()
missing = [k for k in sys.argv[1].split() if "`%s`" % k not in text]
assert not missing, missing
' "$keys" "$s/docs/config.md"

echo "1..$n"
exit $fail
