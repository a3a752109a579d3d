#!/bin/sh
# cli.sh - command-line behaviour: help, usage errors, exit statuses, messages.
# TAP output. Uses a real capture from tests/pcap/shared.
set -u
. "${srcdir:-.}/tests/e2e/lib.sh"
cap="$s/tests/pcap/shared/http_origin_different_than_host.pcap"

run() { # run ARGS...: sets rc, out (stdout file), err (stderr file)
    "$exe" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}

run --help
check "--help exits 0" test $rc -eq 0
check "--help documents -r" grep -q -- "--read FILE" "$tmp/out"
check "--help documents the memcap" grep -q -- "--flow-memcap" "$tmp/out"
check "--help gives examples" grep -q "Examples:" "$tmp/out"

run --version
check "--version exits 0" test $rc -eq 0
check "--version prints the name" grep -q "^telexpose " "$tmp/out"

run
check "no input is a usage error (2)" test $rc -eq 2
check "no input says to use -r" grep -q -- "-r FILE" "$tmp/err"

run "$cap"
check "a bare file argument is a usage error" test $rc -eq 2
check "and the message shows the -r form" grep -q -- "-r $cap" "$tmp/err"

run --bogus-option
check "unknown option exits 2" test $rc -eq 2

run -r "$tmp/missing.pcap"
check "missing file exits 1" test $rc -eq 1
check "missing file is named in the error" grep -q "missing.pcap" "$tmp/err"
check "the stats event is still written" grep -q '"event_type":"stats"' "$tmp/out"

run -r "$tmp"
check "a directory exits 1" test $rc -eq 1
check "a directory is explained" grep -q "is a directory" "$tmp/err"

run -r "$cap" -w "$tmp/no/such/dir/out.ndjson"
check "unwritable output exits 1" test $rc -eq 1
check "unwritable output is named" grep -q "no/such/dir/out.ndjson" "$tmp/err"

if [ -w /dev/full ]; then
    run -r "$cap" -w /dev/full
    check "a full disk exits 1" test $rc -eq 1
    check "a full disk is reported" grep -q "/dev/full" "$tmp/err"
fi

run -r "$cap" -f "this is not bpf"
check "a bad BPF filter exits 1" test $rc -eq 1
check "a bad BPF filter is quoted" grep -q "this is not bpf" "$tmp/err"

run -r "$cap" --flow-memcap 12Q
check "a bad memcap exits 2" test $rc -eq 2
run -r "$cap" --flow-memcap 100K
check "a memcap below 1M exits 2" test $rc -eq 2
run -r "$cap" --flow-memcap " -1"
check "a negative memcap exits 2" test $rc -eq 2
run -r "$cap" --flow-memcap 100000000G
check "a memcap beyond the machine's memory exits 2" test $rc -eq 2
check "and says so" grep -q "more than this machine's memory" "$tmp/err"
run -r "$cap" --flow-memcap 64MiB --flow-memcap 64MB
check "64MiB and 64MB are sizes" test $rc -eq 0
run -r "$cap" --timeout udp=0
check "a zero timeout exits 2" test $rc -eq 2
run -r "$cap" --timeout nosuch=5
check "an unknown timeout class exits 2" test $rc -eq 2
check "and the classes are listed" grep -q "tcp_established" "$tmp/err"

run -r "$cap" -w "$tmp/ev.ndjson"
check "a good run exits 0" test $rc -eq 0
check "-w writes the events to the file" grep -q '"event_type":"flow"' "$tmp/ev.ndjson"
check "stdout stays empty with -w" test ! -s "$tmp/out"
check "a summary goes to stderr" grep -q "packets" "$tmp/err"
check "every line is one JSON object" "${PYTHON3:-python3}" -c '
import json, sys
lines = open(sys.argv[1]).read().split("\n")
assert lines[-1] == "", "last line not terminated"
for l in lines[:-1]:
    assert isinstance(json.loads(l), dict)
' "$tmp/ev.ndjson"
check "the stats event is the last line" sh -c "tail -n 1 '$tmp/ev.ndjson' | grep -q '\"event_type\":\"stats\"'"

# A reader that goes away: a write error and status 1, not death by SIGPIPE.
n=$((n + 1))
if "${PYTHON3:-python3}" -c '
import subprocess, sys
p = subprocess.Popen([sys.argv[1], "-r", sys.argv[2]], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
p.stdout.read(10)
p.stdout.close()
err = p.stderr.read().decode()
rc = p.wait()
assert rc == 1, rc
assert "Broken pipe" in err, err
' "$exe" "$s/tests/pcap/crafted/eviction.pcap"; then
    echo "ok $n - a closed pipe is a write error with status 1"
else
    echo "not ok $n - a closed pipe is a write error with status 1"
    fail=1
fi

run -q -r "$cap" -w -
check "-w - writes to stdout" grep -q '"event_type":"flow"' "$tmp/out"
check "-q keeps stderr quiet" test ! -s "$tmp/err"

run -q -r "$cap" -f "udp port 53"
check "a BPF filter that matches nothing gives no flows" sh -c "! grep -q '\"event_type\":\"flow\"' '$tmp/out'"

run -q -r "$cap" -r "$cap"
check "the same file twice is one timeline (exit 0)" test $rc -eq 0
check "its flows count both copies" "${PYTHON3:-python3}" -c '
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
st = [e for e in ev if e["event_type"] == "stats"][0]["stats"]
assert st["capture"]["packets"] == 8, st["capture"]
' "$tmp/out"

run -q --no-dpi -r "$cap"
check "--no-dpi runs" test $rc -eq 0
check "--no-dpi writes no ndpi object" sh -c "! grep -q '\"ndpi\"' '$tmp/out'"

# --check-signatures over the test packs (the real packs come with issue 3).
sd="$s/tests/data/sig"
run --check-signatures "$sd/good"
check "--check-signatures DIR exits 0 on good packs" test $rc -eq 0
check "it prints one line per pack, default-off packs included" test "$(wc -l <"$tmp/out")" -eq 3
check "each line counts rules, examples and near-misses" grep -q "^huawei: 4 rules, 6 examples, 8 near-misses, ok$" "$tmp/out"
run --check-signatures="$sd/failcheck"
check "a failing example exits 1" test $rc -eq 1
check "and names file, line and rule" grep -q "failcheck.sig:10: rule r1: example" "$tmp/err"
run --check-signatures "$tmp/none"
check "a directory without packs exits 1" test $rc -eq 1

# The vendor engine's options on a run.
run -q -r "$cap"
check "by default the installed/in-tree packs give evidence" grep -q '"event_type":"evidence"' "$tmp/out"
run -q --no-signatures -r "$cap"
check "--no-signatures runs" test $rc -eq 0
check "--no-signatures writes no evidence" sh -c "! grep -q '\"evidence\"' '$tmp/out'"
run -q --disable-pack huawei -r "$cap"
check "--disable-pack huawei silences Huawei evidence" sh -c "! grep -q '\"pack\":\"huawei\"' '$tmp/out'"
run -q --disable-pack nosuchpack -r "$cap"
check "--disable-pack of an unknown pack exits 1" test $rc -eq 1
check "and names the pack" grep -q "nosuchpack" "$tmp/err"
mkdir -p "$tmp/none"
run -q --signatures "$tmp/none" -r "$cap"
check "--signatures DIR without packs exits 1" test $rc -eq 1
check "and says how to go on" grep -q -- "--no-signatures" "$tmp/err"
run -q --signatures "$sd/good" -r "$cap"
check "--signatures DIR with packs but no registry falls back to the default registry" test $rc -eq 0

# GeoIP: MaxMind's test databases (tests/data/mmdb) on two public sources.
md="$s/tests/data/mmdb"
"${PYTHON3:-python3}" - "$tmp/geo.pcap" <<'PYEOF'
import struct, sys
def pkt(src, dst):
    a = lambda s: bytes(int(x) for x in s.split("."))
    udp = struct.pack(">HHHH", 5000, 53, 13, 0) + b"hello"
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0, a(src), a(dst))
    return bytes.fromhex("020000000001020000000002") + b"\x08\x00" + ip + udp
out = [struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)]
for i, (s, d) in enumerate([("1.128.0.1", "10.0.0.1"), ("2.125.160.216", "10.0.0.2")]):
    f = pkt(s, d)
    out.append(struct.pack("<IIII", 1700000000 + i, 0, len(f), len(f)) + f)
open(sys.argv[1], "wb").write(b"".join(out))
PYEOF
run -q --asn-db "$md/GeoLite2-ASN-Test.mmdb" --country-db "$md/GeoIP2-Country-Test.mmdb" -r "$tmp/geo.pcap"
check "--asn-db/--country-db run" test $rc -eq 0
check "a public source gets its ASN and organisation" grep -q '"geo":{"src":{"asn":1221,"as_org":"Telstra Pty Ltd"}}' "$tmp/out"
check "and its country" grep -q '"geo":{"src":{"country":"GB"}}' "$tmp/out"
check "private destinations get no geo" sh -c "! grep -q '\"dest\":{\"asn' '$tmp/out'"
run -q -r "$tmp/geo.pcap"
check "without databases there is no geo" sh -c "! grep -q '\"geo\"' '$tmp/out'"
run -q --asn-db "$tmp/no-such.mmdb" -r "$tmp/geo.pcap"
check "a missing database exits 1" test $rc -eq 1
check "and names it" grep -q "no-such.mmdb" "$tmp/err"
run -q --asn-db "$md/GeoLite2-City-Test.mmdb" -r "$tmp/geo.pcap"
check "a City database is not an ASN database" test $rc -eq 1
check "and the error says so" grep -q "has no ASN records" "$tmp/err"
head -c 1000 "$md/GeoLite2-ASN-Test.mmdb" >"$tmp/trunc.mmdb"
run -q --asn-db "$tmp/trunc.mmdb" -r "$tmp/geo.pcap"
check "a truncated database exits 1" test $rc -eq 1
check "and is called invalid" grep -q "not a valid MaxMind DB" "$tmp/err"

# Report and vendor networks.
run -r "$cap" --report -
check "--report - with events on stdout is a usage error" test $rc -eq 2
check "and says to move the events" grep -q -- "-w FILE" "$tmp/err"
run -r "$cap" -w "$tmp/ev.ndjson" --report "$tmp/no/such/dir/r.json"
check "an unwritable report exits 1" test $rc -eq 1
check "an unwritable report is named" grep -q "no/such/dir/r.json" "$tmp/err"
check "the events are still written" grep -q '"event_type":"stats"' "$tmp/ev.ndjson"
run -r "$cap" -w "$tmp/ev.ndjson" --report "$tmp/r.json" --no-signatures
check "--report without the vendor engine is a usage error" test $rc -eq 2
run -r "$cap" -w "$tmp/ev.ndjson" --networks-db "$tmp/missing.mmdb"
check "a missing networks database exits 1" test $rc -eq 1
check "a missing networks database is named" grep -q "missing.mmdb" "$tmp/err"
run -r "$cap" -w "$tmp/ev.ndjson" --networks-db "$s/tests/data/mmdb/GeoIP2-Country-Test.mmdb"
check "a country database is no networks database" test $rc -eq 1
run -r "$cap" -w "$tmp/ev.ndjson" --enable-pack cn-backbones --disable-pack kaspersky-net --report "$tmp/r.json"
check "network packs take --enable-pack/--disable-pack" test $rc -eq 0
check "the report says which network packs were on" "${PYTHON3:-python3}" -c '
import json, sys
n = {p["id"]: p["enabled"] for p in json.load(open(sys.argv[1]))["run"]["networks"]}
assert n["cn-backbones"] is True and n["kaspersky-net"] is False and n["huawei-net"] is True, n
' "$tmp/r.json"
run -r "$cap" -w "$tmp/ev.ndjson" --enable-pack no-such-pack
check "an unknown pack id exits 1" test $rc -eq 1
check "an unknown pack id is named" grep -q "no-such-pack" "$tmp/err"
run -r "$cap" -w "$tmp/ev.ndjson" --no-networks --report "$tmp/r.json"
check "--no-networks runs" test $rc -eq 0
check "--no-networks: no network pack in the report" "${PYTHON3:-python3}" -c '
import json, sys
assert json.load(open(sys.argv[1]))["run"]["networks"] == []
' "$tmp/r.json"
run -r "$cap" -w "$tmp/ev.ndjson" --report "$tmp/r.json"
check "the summary on stderr names the device's vendor" grep -q "Huawei" "$tmp/err"
check "and where the report went" grep -q "report: $tmp/r.json" "$tmp/err"
run -q -r "$cap" -w "$tmp/ev.ndjson" --report "$tmp/r.json"
check "-q: nothing on stderr" test ! -s "$tmp/err"

# SIGTERM mid-run: reading stops, every flow is flushed, no partial line.
big="$s/tests/pcap/crafted/eviction.pcap"
set -- -q -w "$tmp/sig.ndjson"
i=0
while [ $i -lt 1000 ]; do set -- "$@" -r "$big"; i=$((i + 1)); done
"$exe" "$@" 2>"$tmp/sig.err" &
pid=$!
sleep 1
kill -TERM $pid 2>/dev/null
wait $pid
rc=$?
check "SIGTERM ends an offline run with status 0" test $rc -eq 0
check "SIGTERM is reported on stderr" grep -q "stopped by a signal" "$tmp/sig.err"
check "after SIGTERM: whole lines, stats last, every packet in a record" "${PYTHON3:-python3}" -c '
import json, sys
text = open(sys.argv[1]).read()
assert text.endswith("\n")
ev = [json.loads(l) for l in text.splitlines()]
assert ev[-1]["event_type"] == "stats"
st = ev[-1]["stats"]
assert 0 < st["capture"]["packets"] < 1000 * 20000, st["capture"]
pk = sum(e["flow"]["pkts_toserver"] + e["flow"]["pkts_toclient"] for e in ev if e["event_type"] == "flow")
assert pk == st["decoder"]["ip"], (pk, st["decoder"])
' "$tmp/sig.ndjson"

echo "1..$n"
exit $fail
