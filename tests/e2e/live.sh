#!/bin/sh
# live.sh - live capture (-i): usage errors, a missing interface, and real
# captures replayed with tcpreplay over veth pairs in a private network
# namespace: the results equal an offline run (-r) of the same file (the
# project's captures and ../shared/pcaps), --threads 2 equals --threads 1,
# SIGTERM while traffic flows loses no flow and leaves whole files, a replay
# at top speed into a small ring shows its kernel drops in the stats events,
# the report and on stderr, and SIGUSR1, --stats-interval and
# --report-interval write stats and the report while the capture runs.
# TAP output. Needs root, `ip netns` and tcpreplay for the replay part;
# without them those checks are reported as SKIP with the reason.
set -u
. "${srcdir:-.}/tests/e2e/lib.sh"
py=${PYTHON3:-python3}
ns=txlive$$
pid=
rpid=

cleanup() {
    [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
    [ -n "$rpid" ] && kill -KILL "$rpid" 2>/dev/null
    ip netns del "$ns" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

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

# started [N]: wait (20 s at most) until telexpose has mapped the capture ring
# of its N interfaces (default 1). The packet socket exists before that, but
# what reaches it before its ring is set up is never read.
started() {
    i=0
    while [ $i -lt 200 ]; do
        kill -0 "$pid" 2>/dev/null || return 1
        [ "$(grep -c 'socket:\[' "/proc/$pid/maps" 2>/dev/null)" -ge "${1:-1}" ] && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

# running: telexpose ($pid) is alive, not a zombie waiting to be reaped.
running() {
    [ -r "/proc/$pid/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$pid/status"
}

# finish SIGNAL: send it to telexpose and reap it (60 s at most, then
# SIGKILL); sets rc. The watchdog holds no test output open.
finish() {
    kill -"$1" "$pid" 2>/dev/null
    (sleep 60; kill -KILL "$pid") >/dev/null 2>&1 </dev/null &
    wd=$!
    wait "$pid"
    rc=$?
    kill "$wd" 2>/dev/null
    pid=
}

# poll SECONDS COMMAND...: true once COMMAND succeeds, tried every 0.2 s.
poll() {
    left=$(($1 * 5))
    shift
    while [ $left -gt 0 ]; do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.2
        left=$((left - 1))
    done
    return 1
}

rx() { inns cat /sys/class/net/txa/statistics/rx_packets; }
rx_over() { [ "$(rx)" -ge "$1" ]; }
nstats_at_least() { [ "$(pyc nstats "$1")" -ge "$2" ]; }

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

# pyc NAME ARGS...: check NAME on what a run left; fails (exit 1, the reason
# on stderr) when it does not hold.
pyc() {
    "$py" - "$@" <<'EOF'
import functools, json, math, os, sys

def events(path):
    """Every line of an NDJSON file, each a whole JSON object."""
    data = open(path, "rb").read()
    assert data.endswith(b"\n"), "%s does not end with a newline" % path
    out = []
    for i, line in enumerate(data.split(b"\n")[:-1], 1):
        try:
            out.append(json.loads(line))
        except ValueError as e:
            sys.exit("%s:%d: not JSON (%s): %r" % (path, i, e, line[:120]))
    return out

def stats(evs):
    return [e["stats"] for e in evs if e["event_type"] == "stats"]

def records(evs):
    """Flow records that end a flow (not the periodic ones of long flows)."""
    return [e for e in evs if e["event_type"] == "flow"
            and e["flow"]["reason"] != "active_timeout"]

def picture(path):
    r = json.load(open(path))
    devs = sorted((d["id"], d["vendor"], d.get("role"), d.get("model"), d.get("version"))
                  for d in r["devices"])
    exps = sorted((e["kind"], e["severity"]) for e in r["exposures"])
    return devs, exps

@functools.lru_cache(maxsize=None)
def validator(name):
    try:
        import jsonschema
    except ImportError:
        sys.exit("python3-jsonschema is needed (apt-get install -y python3-jsonschema)")
    schema = json.load(open(os.path.join(os.environ["SCHEMAS"], name)))
    v = jsonschema.Draft202012Validator
    return v(schema, format_checker=v.FORMAT_CHECKER)

def valid(name, doc, what):
    errs = sorted(validator(name).iter_errors(doc), key=lambda e: list(e.path))
    if errs:
        e = errs[0]
        sys.exit("%s: %s at %s" % (what, e.message[:300], "/".join(map(str, e.path))))

def final_of(path):
    s = stats(events(path))
    assert s and s[-1].get("final") is True, "the last stats event is not final"
    return s[-1]

def close(a, b):
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)

cmd, args = sys.argv[1], sys.argv[2:]
if cmd == "same":  # OFFLINE_REPORT LIVE_REPORT
    a, b = picture(args[0]), picture(args[1])
    if a != b:
        sys.exit("offline %r\nlive    %r" % (a, b))
elif cmd == "nonempty":  # REPORT: there is something to compare
    assert picture(args[0])[0], "no device in %s" % args[0]
elif cmd == "expected":  # TSV CAPTURE REPORT: its rows of expected.tsv hold
    rows = [l.rstrip("\n").split("\t") for l in open(args[0]) if l.startswith(args[1] + "\t")]
    assert rows, "%s is not in %s" % (args[1], args[0])
    devs = {d["id"]: d["vendor"] for d in json.load(open(args[2]))["devices"]}
    for r in rows:
        if r[1] == "device":
            assert devs.get(r[3]) == r[2], "%s: no %s device %s in %r" % (args[1], r[2], r[3], devs)
        elif r[1] == "no_device":
            assert not devs, "%s: devices %r" % (args[1], devs)
elif cmd == "nflows":  # NDJSON: prints the flow records
    print(len(records(events(args[0]))))
elif cmd == "workers":  # NDJSON N [busy]: the final stats event has N workers
    st = final_of(args[0])
    w = st["workers"]
    assert len(w) == int(args[1]), "workers %r" % w
    assert sorted(x["id"] for x in w) == list(range(len(w))), "worker ids %r" % w
    if args[2:] == ["busy"]:
        assert all(x["packets"] > 0 and x["flows"] > 0 for x in w), "an idle worker: %r" % w
    assert sum(x["flows"] for x in w) == st["flow"]["created"], "%r vs %r" % (w, st["flow"])
elif cmd == "whole":  # NDJSON: whole lines, one final stats event, last
    evs = events(args[0])
    assert evs and evs[-1]["event_type"] == "stats", "the last event is not stats"
    finals = [s.get("final") for s in stats(evs)]
    assert finals[-1] is True and finals.count(True) == 1, "final flags %r" % finals
elif cmd == "every_flow":  # NDJSON: a record for every flow, every packet in one
    evs = events(args[0])
    st = final_of(args[0])
    recs = records(evs)
    assert len(recs) == st["flow"]["created"], \
        "%d flow records, %d flows created" % (len(recs), st["flow"]["created"])
    assert st["flow"]["active"] == 0, "flows left active: %r" % st["flow"]
    pk = sum(e["flow"]["pkts_toserver"] + e["flow"]["pkts_toclient"]
             for e in evs if e["event_type"] == "flow")
    assert pk + st["decoder"]["frag_orphans"] == st["decoder"]["ip"], \
        "flow records hold %d packets, the decoder saw %d IP packets" % (pk, st["decoder"]["ip"])
    assert len(recs) > 1000, "only %d flows: the traffic did not flow" % len(recs)
elif cmd == "schemas":  # REPORT NDJSON: both valid, and they agree
    r = json.load(open(args[0]))
    valid("report.schema.json", r, args[0])
    evs = events(args[1])
    # Every event but the flow records, which schema.py covers: the last
    # ones, written while stopping, are enough here (and fast).
    for i, e in enumerate(evs, 1):
        if e["event_type"] != "flow" or i > len(evs) - 300:
            valid("events.schema.json", e, "%s:%d" % (args[1], i))
    st = final_of(args[1])
    assert r["coverage"]["packets"] == st["capture"]["packets"], \
        "%r vs %r" % (r["coverage"], st["capture"])
    assert r["run"]["flows"] == st["flow"]["created"], "%r vs %r" % (r["run"]["flows"], st["flow"])
elif cmd == "drops":  # NDJSON REPORT STDERR SENT IFACE: kernel drops, the same everywhere
    st = final_of(args[0])
    cap, sent, iface = st["capture"], int(args[3]), args[4]
    ifs = cap["interfaces"]
    assert [i["name"] for i in ifs] == [iface], "interfaces %r" % ifs
    i = ifs[0]
    assert i["dropped"] > 0, "no kernel drop counted: %r" % i
    assert i["received"] == cap["packets"] + i["dropped"], \
        "received %d != %d read + %d dropped" % (i["received"], cap["packets"], i["dropped"])
    assert i["received"] <= sent, "received %d of %d sent" % (i["received"], sent)
    lost = i["dropped"] + i["ifdropped"]
    assert close(cap["loss_ratio"], lost / (cap["packets"] + lost)), "loss_ratio %r" % cap
    assert cap["dropped"] == lost, "capture.dropped %r, interfaces %d" % (cap["dropped"], lost)
    cov = json.load(open(args[1]))["coverage"]
    assert cov["dropped"] == lost, "report dropped %r, stats %d" % (cov["dropped"], lost)
    assert cov["interfaces"] == ifs, "report %r, stats %r" % (cov["interfaces"], ifs)
    assert close(cov["loss_ratio"], cap["loss_ratio"]), "report %r, stats %r" % (cov, cap)
    want = "telexpose: %s: %d received, %d dropped by the kernel, %d by the interface" % (
        iface, i["received"], i["dropped"], i["ifdropped"])
    assert want in open(args[2]).read(), "stderr lacks %r" % want
elif cmd == "periodic":  # NDJSON MIN: MIN+ stats events before the final one
    s = stats(events(args[0]))
    early = s[:-1]
    assert len(early) >= int(args[1]), "%d stats events before the final one" % len(early)
    assert all(x.get("final") is False for x in early), [x.get("final") for x in s]
    assert s[-1].get("final") is True, "the last stats event is not final"
    for a, b in zip(s, s[1:]):
        assert b["capture"]["packets"] >= a["capture"]["packets"], "packets went back"
        assert b["events"] > a["events"], "events counter did not grow"
        ra = [x["received"] for x in a["capture"]["interfaces"]]
        rb = [x["received"] for x in b["capture"]["interfaces"]]
        assert len(ra) == len(rb) and all(y >= x for x, y in zip(ra, rb)), (ra, rb)
elif cmd == "nstats":  # NDJSON: prints the stats events in the file so far
    print(sum(1 for l in open(args[0], "rb") if b'"event_type":"stats"' in l))
elif cmd == "report_seen":  # REPORT PACKETS: a valid report that saw them all
    r = json.load(open(args[0]))
    valid("report.schema.json", r, args[0])
    assert r["coverage"]["packets"] >= int(args[1]), r["coverage"]
else:
    sys.exit("pyc: unknown check " + cmd)
EOF
}
SCHEMAS=$s/docs/schema
export SCHEMAS

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
    pyc same "$tmp/$b.off.json" "$tmp/$b.json" >"$tmp/$b.diff" 2>&1
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
    if started 2; then
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
    pyc same "$tmp/two.off.json" "$tmp/two.json" >"$tmp/two.diff" 2>&1
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
    nid=$(id -u nobody)
    # The packet socket is open before the drop: wait for the drop itself.
    uids() { awk '/^Uid:/ { print $2 " " $3 " " $4 " " $5 }' "/proc/$pid/status"; }
    uid_nobody() { [ "$(uids)" = "$nid $nid $nid $nid" ]; }
    if started; then
        poll 10 uid_nobody
        uid=$(uids)
        inns tcpreplay -q -t -i txb "$f" >/dev/null 2>&1
        sleep 1
    fi
    kill -TERM "$pid" 2>/dev/null
    wait "$pid"
    rc=$?
    pid=
    check "-Z nobody: runs as the user after start" test "$uid" = "$nid $nid $nid $nid"
    [ "$uid" = "$nid $nid $nid $nid" ] || echo "# Uid: $uid; stderr: $(cat "$tmp/z.err")"
    check "-Z nobody: exits 0 on SIGTERM" test $rc -eq 0
    pyc same "$tmp/z.off.json" "$tmp/nobody/z.json" >"$tmp/z.diff" 2>&1
    check "-Z nobody: devices and exposures equal the offline run" test $? -eq 0
    check "-Z nobody: no root warning with -Z" sh -c "! grep -q 'capturing as root' '$tmp/z.err'"
    check "without -Z, running as root is warned about" grep -q "capturing as root" \
        "$tmp/cleartext_mgmt.err"
fi

# A long flow writes periodic records while it lasts (--active-timeout):
# 41 packets 100 s apart, replayed 1000 times faster (4 s).
if [ -n "$why" ]; then
    skip "--active-timeout: periodic records of a long flow while capturing" "$why"
else
    ip netns exec "$ns" "$exe" -i txa -w "$tmp/act.ndjson" --active-timeout 1 \
        --timeout udp=600 2>"$tmp/act.err" &
    pid=$!
    if started; then
        inns tcpreplay -q -x 1000 -i txb "$s/tests/pcap/crafted/active_timeout.pcap" \
            >/dev/null 2>&1
        sleep 0.5
    fi
    finish TERM
    check "--active-timeout 1: a 4 s flow writes periodic records while capturing, then its last" \
        "$py" -c '
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
fl = [e for e in ev if e["event_type"] == "flow" and e["src_port"] in (5000, 6000)]
periodic = [e for e in fl if e["flow"]["reason"] == "active_timeout"]
assert len(periodic) >= 2, [e["flow"]["reason"] for e in fl]
assert fl[-1]["flow"]["reason"] == "end_of_input", fl[-1]["flow"]
pk = sum(e["flow"]["pkts_toserver"] + e["flow"]["pkts_toclient"] for e in fl)
assert pk == 41, pk
assert ev[-1]["stats"]["flow"]["active_timeout_records"] == len(periodic)
' "$tmp/act.ndjson"
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


flows=$s/tests/pcap/live/flows.pcap
shared=$s/../shared/pcaps

# Replays: each equals the offline run of its file. The captures of
# ../shared/pcaps must also show the devices their expected.tsv lists.
for c in vendor/ja3_lots_of_cipher_suites_2_anon.pcap \
         vendor/http_origin_different_than_host.pcap vendor/idpcontent.pcap \
         vendor/sip_reqs.pcap vendor/reasm_segv_anon.pcapng \
         vendor/ip4_bad_fragment.pcap mixed/LLDP_and_CDP.pcap \
         own:exposure/gateway_300.pcap own:vendor/banners.pcap \
         own:vendor/tr069_inform_3seg.pcap own:live/flows.pcap; do
    copy=
    case $c in
        own:*) f=$s/tests/pcap/${c#own:} own=1 ;;
        *) f=$shared/$c own= ;;
    esac
    # Without ../shared, the copy under tests/pcap/shared is replayed; only
    # expected.tsv is missing then.
    if [ -z "$own" ] && [ ! -f "$f" ] && [ -f "$s/tests/pcap/shared/$(basename "$c")" ]; then
        f=$s/tests/pcap/shared/$(basename "$c")
        copy=1
    fi
    b=$(basename "$f")
    b=r_${b%.*}
    w=$why
    [ -z "$w" ] && [ ! -f "$f" ] && w="no $f (../shared/pcaps beside the checkout)"
    if [ -n "$w" ]; then
        skip "$b: exits 0 on SIGTERM" "$w"
        skip "$b: devices and exposures equal the offline run" "$w"
        if [ -n "$own" ]; then
            skip "$b: the offline run finds a device" "$w"
        else
            skip "$b: the devices of expected.tsv are found" "$w"
        fi
        continue
    fi
    "$exe" -r "$f" -w /dev/null --report "$tmp/$b.off.json" 2>/dev/null
    live "$b" "$f"
    check "$b: exits 0 on SIGTERM" test $rc -eq 0
    pyc same "$tmp/$b.off.json" "$tmp/$b.json" >"$tmp/$b.diff" 2>&1
    src=$?
    check "$b: devices and exposures equal the offline run" test $src -eq 0
    [ $src -eq 0 ] || sed 's/^/# /' "$tmp/$b.diff" "$tmp/$b.err" "$tmp/$b.replay"
    if [ -n "$own" ]; then
        check "$b: the offline run finds a device" pyc nonempty "$tmp/$b.off.json"
    elif [ -n "$copy" ]; then
        skip "$b: the devices of expected.tsv are found" "no ../shared/pcaps/expected.tsv"
    else
        pyc expected "$shared/expected.tsv" "$c" "$tmp/$b.json" >"$tmp/$b.diff" 2>&1
        src=$?
        check "$b: the devices of expected.tsv are found" test $src -eq 0
        [ $src -eq 0 ] || sed 's/^/# /' "$tmp/$b.diff"
    fi
done

# --threads 2 equals --threads 1: the same devices, findings and flow
# records (a flow whose two directions went to two workers would be two
# records), and both workers had flows. gateway_300's router is a gateway
# only once the 300 addresses it fronts, spread over both workers, are
# merged; the GTP capture's flow is hashed on its inner addresses.
for f in "$flows" "$s/tests/pcap/exposure/gateway_300.pcap" \
         "$s/tests/pcap/shared/ja3_lots_of_cipher_suites_2_anon.pcap"; do
    b=$(basename "$f" .pcap)
    if [ -n "$why" ]; then
        for d in "both exit 0" "devices and exposures are equal" \
                 "as many flow records" "the final stats event lists 2 workers"; do
            skip "$b --threads 2 vs 1: $d" "$why"
        done
        continue
    fi
    live "t1_$b" "$f" --threads 1
    rc1=$rc
    live "t2_$b" "$f" --threads 2
    check "$b --threads 2 vs 1: both exit 0" test "$rc1 $rc" = "0 0"
    pyc same "$tmp/t1_$b.json" "$tmp/t2_$b.json" >"$tmp/t_$b.diff" 2>&1
    src=$?
    check "$b --threads 2 vs 1: devices and exposures are equal" test $src -eq 0
    [ $src -eq 0 ] || sed 's/^/# /' "$tmp/t_$b.diff" "$tmp/t2_$b.err"
    n1=$(pyc nflows "$tmp/t1_$b.ndjson" 2>&1)
    n2=$(pyc nflows "$tmp/t2_$b.ndjson" 2>&1)
    check "$b --threads 2 vs 1: as many flow records" test "$n1" = "$n2"
    [ "$n1" = "$n2" ] || echo "# flow records: --threads 1 $n1, --threads 2 $n2"
    # The GTP capture is one flow: a worker may idle there.
    busy=busy
    [ "$b" = ja3_lots_of_cipher_suites_2_anon ] && busy=
    pyc workers "$tmp/t2_$b.ndjson" 2 $busy >"$tmp/t_$b.diff" 2>&1
    src=$?
    check "$b --threads 2 vs 1: the final stats event lists 2 workers${busy:+, both busy}" \
        test $src -eq 0
    [ $src -eq 0 ] || sed 's/^/# /' "$tmp/t_$b.diff"
done

# SIGTERM while traffic flows: tcpreplay loops flows.pcap with new addresses
# each time (--unique-ip: 300 new flows every 90 ms) and is still sending
# when telexpose is told to stop.
if [ -n "$why" ]; then
    for d in "traffic was flowing at SIGTERM" "exit 0" \
             "every NDJSON line is whole JSON, the final stats event last" \
             "every flow has its record, every packet is in one" \
             "report and events are valid and agree"; do
        skip "SIGTERM mid-replay: $d" "$why"
    done
else
    ip netns exec "$ns" "$exe" -i txa -w "$tmp/term.ndjson" --report "$tmp/term.json" \
        2>"$tmp/term.err" &
    pid=$!
    flowing=1
    if started; then
        base=$(rx)
        ip netns exec "$ns" tcpreplay -q --loop 0 --unique-ip --pps 20000 -i txb "$flows" \
            >"$tmp/term.replay" 2>&1 &
        rpid=$!
        # 2 s of traffic at least; tcpreplay must still be sending.
        poll 30 rx_over $((base + 40000)) && kill -0 "$rpid" 2>/dev/null && flowing=0
    fi
    finish TERM
    if [ -n "$rpid" ]; then
        kill -INT "$rpid" 2>/dev/null
        wait "$rpid"
        rpid=
    fi
    check "SIGTERM mid-replay: traffic was flowing at SIGTERM" test $flowing -eq 0
    check "SIGTERM mid-replay: exit 0" test $rc -eq 0
    [ $rc -eq 0 ] || sed 's/^/# /' "$tmp/term.err"
    for c in "whole:every NDJSON line is whole JSON, the final stats event last" \
             "every_flow:every flow has its record, every packet is in one" \
             "schemas:report and events are valid and agree"; do
        case ${c%%:*} in
            schemas) pyc schemas "$tmp/term.json" "$tmp/term.ndjson" ;;
            *) pyc "${c%%:*}" "$tmp/term.ndjson" ;;
        esac >"$tmp/term.diff" 2>&1
        src=$?
        check "SIGTERM mid-replay: ${c#*:}" test $src -eq 0
        [ $src -eq 0 ] || sed 's/^/# /' "$tmp/term.diff"
    done
fi

# Top speed into a 1 MiB ring: 270 000 frames (flows.pcap 150 times, new
# addresses each time). telexpose is paused (SIGSTOP) for the first 0.3 s
# of the replay, so that the ring overflows on any machine; then it reads
# on while tcpreplay goes on at full speed. The kernel's drops must be in
# the stats event, the report and on stderr, all the same number.
if [ -n "$why" ]; then
    skip "top speed: exit 0" "$why"
    skip "top speed: kernel drops in the final stats event, the report and on stderr" "$why"
else
    ip netns exec "$ns" "$exe" -i txa --buffer-size 1M -w "$tmp/fast.ndjson" \
        --report "$tmp/fast.json" 2>"$tmp/fast.err" &
    pid=$!
    if started; then
        kill -STOP "$pid"
        ip netns exec "$ns" tcpreplay -t --loop 150 --unique-ip -i txb "$flows" \
            >"$tmp/fast.replay" 2>&1 &
        rpid=$!
        sleep 0.3
        kill -CONT "$pid"
        wait "$rpid"
        rpid=
        sleep 1
    fi
    kill -CONT "$pid" 2>/dev/null
    finish TERM
    sent=$(sed -n 's/^Actual: \([0-9]*\) packets.*/\1/p' "$tmp/fast.replay")
    check "top speed: exit 0" test $rc -eq 0
    pyc drops "$tmp/fast.ndjson" "$tmp/fast.json" "$tmp/fast.err" "${sent:-0}" txa \
        >"$tmp/fast.diff" 2>&1
    src=$?
    check "top speed: kernel drops in the final stats event, the report and on stderr" \
        test $src -eq 0
    [ $src -eq 0 ] || sed 's/^/# /' "$tmp/fast.diff" "$tmp/fast.err" "$tmp/fast.replay"
fi

# SIGUSR1: a stats event now (the interval is the default minute), not final.
if [ -n "$why" ]; then
    skip "SIGUSR1: a stats event is written while running" "$why"
    skip "SIGUSR1: exit 0" "$why"
    skip "SIGUSR1: it is not final, the last one is" "$why"
else
    ip netns exec "$ns" "$exe" -i txa -w "$tmp/usr1.ndjson" 2>"$tmp/usr1.err" &
    pid=$!
    got=1
    if started; then
        inns tcpreplay -q -t -i txb "$flows" >/dev/null 2>&1
        kill -USR1 "$pid"
        poll 10 nstats_at_least "$tmp/usr1.ndjson" 1 && running && got=0
    fi
    finish TERM
    check "SIGUSR1: a stats event is written while running" test $got -eq 0
    check "SIGUSR1: exit 0" test $rc -eq 0
    check "SIGUSR1: it is not final, the last one is" pyc periodic "$tmp/usr1.ndjson" 1
fi

# --stats-interval 1 and --report-interval 1: while the capture runs, stats
# events come every second and the report on disk is whole and up to date.
if [ -n "$why" ]; then
    for d in "the report on disk is valid and counts the replay while running" \
             "2 stats events are written while running" "exit 0" \
             "stats events before the final one, counters growing" \
             "no temporary report is left" "the final report is valid"; do
        skip "intervals: $d" "$why"
    done
else
    ip netns exec "$ns" "$exe" -i txa -w "$tmp/iv.ndjson" --report "$tmp/iv.json" \
        --stats-interval 1 --report-interval 1 2>"$tmp/iv.err" &
    pid=$!
    rep=1
    st=1
    if started; then
        inns tcpreplay -q -t -i txb "$flows" >/dev/null 2>&1
        poll 10 pyc report_seen "$tmp/iv.json" 1800 && running && rep=0
        poll 10 nstats_at_least "$tmp/iv.ndjson" 2 && running && st=0
    fi
    finish TERM
    check "intervals: the report on disk is valid and counts the replay while running" \
        test $rep -eq 0
    check "intervals: 2 stats events are written while running" test $st -eq 0
    check "intervals: exit 0" test $rc -eq 0
    pyc periodic "$tmp/iv.ndjson" 2 >"$tmp/iv.diff" 2>&1
    src=$?
    check "intervals: stats events before the final one, counters growing" test $src -eq 0
    [ $src -eq 0 ] || sed 's/^/# /' "$tmp/iv.diff"
    check "intervals: no temporary report is left" test ! -e "$tmp/iv.json.tmp"
    check "intervals: the final report is valid" pyc report_seen "$tmp/iv.json" 1800
fi

echo "1..$n"
exit $fail
