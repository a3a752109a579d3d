#!/bin/sh
# docs_examples.sh - the examples of docs/running.md and docs/siem.md against
# the real program: the ECS tables against the event schema and real events,
# the shippers' configurations against the tables, the logrotate snippet
# with a real rotation and SIGHUP, the systemd unit's options, sandbox and
# capability (CAP_NET_RAW only). TAP output. Parts that need root, a network
# namespace or a tool that is missing are reported as SKIP with the reason.
set -u
. "${srcdir:-.}/tests/e2e/lib.sh"
py=${PYTHON3:-python3}
ex="$s/docs/examples"
ns=txdocs$$
pid=

cleanup() {
    [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
    ip netns del "$ns" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# Lines "PASS desc", "FAIL desc" or "SKIP desc # reason" from a checker
# become numbered TAP lines.
tap_from() {
    while IFS= read -r line; do
        n=$((n + 1))
        case $line in
        PASS\ *) echo "ok $n - ${line#PASS }" ;;
        SKIP\ *) echo "ok $n - ${line#SKIP } # SKIP" | sed 's/ # \(.*\) # SKIP$/ # SKIP \1/' ;;
        *) echo "not ok $n - ${line#FAIL }"; fail=1 ;;
        esac
    done
}

# Events to map: the README's capture, and small ones that have what it
# lacks (DNS, TLS, two VLAN tags, periodic records, GeoIP).
ev="$tmp/events.ndjson"
: >"$ev"
for c in exposure/http_admin_outside.pcap crafted/dns.pcap crafted/tls.pcap \
         crafted/qinq_88a8.pcap crafted/active_timeout.pcap; do
    "$exe" -q -r "$s/tests/pcap/$c" -w - >>"$ev" 2>"$tmp/err" ||
        echo "telexpose failed on $c: $(head -1 "$tmp/err")" >&2
done
"$py" - "$tmp/geo.pcap" <<'PYEOF'
import struct, sys
def pkt(src, dst):
    a = lambda s: bytes(int(x) for x in s.split("."))
    udp = struct.pack(">HHHH", 5000, 53, 13, 0) + b"hello"
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0, a(src), a(dst))
    return bytes.fromhex("020000000001020000000002") + b"\x08\x00" + ip + udp
out = [struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)]
for i, (s, d) in enumerate([("1.128.0.1", "2.125.160.216"), ("2.125.160.216", "1.128.0.1")]):
    f = pkt(s, d)
    out.append(struct.pack("<IIII", 1700000000 + i, 0, len(f), len(f)) + f)
open(sys.argv[1], "wb").write(b"".join(out))
PYEOF
md="$s/tests/data/mmdb"
"$exe" -q --asn-db "$md/GeoLite2-ASN-Test.mmdb" --country-db "$md/GeoIP2-Country-Test.mmdb" \
    -r "$tmp/geo.pcap" -w - >>"$ev" 2>"$tmp/err" || echo "telexpose failed on geo.pcap" >&2

# The ECS tables of docs/siem.md: against the schema, applied to the events
# by a re-implementation of what the tables say, and against the Vector and
# Filebeat configurations. The mapped events go to $tmp/ecs.json for the
# Filebeat script's run below.
"$py" - "$s" "$ev" "$tmp/ecs.json" >"$tmp/tables.tap" 2>&1 <<'PYEOF'
import json, re, sys, tomllib
src, evfile, ecsfile = sys.argv[1:4]
out = lambda ok, d: print(("PASS " if ok else "FAIL ") + d.replace("\n", " "))

# --- the tables ---
doc = open(src + "/docs/siem.md").read()
ecs_part = doc[doc.index("\n## ECS mapping"):doc.index("\n## Queries")]
tables, section = {}, None
lines = ecs_part.splitlines()
for li, line in enumerate(lines):
    if li + 1 < len(lines) and lines[li + 1].startswith("|--"):
        continue  # a header row
    m = re.match(r"### (?:`(\w+)`|Every event|Categorization)", line)
    if m:
        section = m.group(1) or ("*" if "Every" in line else "categorization")
        continue
    if section and line.startswith("| `"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        tables.setdefault(section, []).append(cells)
rows = []  # (event type or "*", [source fields], ECS field, how)
for sec, rs in tables.items():
    if sec == "categorization":
        continue
    for cells in rs:
        fields = re.findall(r"`([^`]+)`", cells[0])
        target = re.findall(r"`([^`]+)`", cells[1])[0]
        how = re.findall(r"`([^`]+)`", cells[2])[0]
        rows.append((sec, fields, target, how))
out(set(tables) >= {"*", "flow", "evidence", "device", "exposure", "categorization"}
    and len(rows) >= 50, "docs/siem.md has ECS tables for every event and for flow, evidence, "
    "device, exposure (%d rows) and the categorization" % len(rows))
hows = {"copy", "lowercase", "mac", "first", "second", "sum", "append", "ns", "severity"}
out(all(r[3] in hows for r in rows), "every row's `how` is one the page defines: %s"
    % sorted({r[3] for r in rows} - hows))

# --- every field on the left exists in the schema ---
schema = json.load(open(src + "/docs/schema/events.schema.json"))
report = json.load(open(src + "/docs/schema/report.schema.json"))
def resolve(node, doc):
    for _ in range(20):
        if "$ref" not in node:
            break
        ref = node["$ref"]
        file, _, frag = ref.partition("#")
        if file:
            doc = report
        node = doc
        for part in frag.lstrip("/").split("/"):
            node = node[part]
    return node, doc
def paths(node, doc, prefix, acc, depth=0):
    node, doc = resolve(node, doc)
    if depth > 10:
        return
    for k in ("allOf", "anyOf", "oneOf"):
        for sub in node.get(k, []):
            paths(sub, doc, prefix, acc, depth + 1)
    for k, v in node.get("properties", {}).items():
        acc.add(prefix + k)
        paths(v, doc, prefix + k + ".", acc, depth + 1)
    # Objects that list their keys only as required (counters).
    acc.update(prefix + k for k in node.get("required", []))
    if isinstance(node.get("items"), dict):
        paths(node["items"], doc, prefix, acc, depth + 1)
known = {}
for et in ("flow", "evidence", "device", "exposure", "stats"):
    acc = set()
    paths(schema["$defs"][et + "_event"], schema, "", acc)
    known[et] = acc
for sec in ("*", "flow", "evidence", "device", "exposure"):
    ets = known if sec == "*" else [sec]
    missing = sorted({f for r in rows if r[0] == sec for f in r[1]
                      for et in ets if f not in known[et]})
    out(not missing, "every telexpose field of the %s table is in events.schema.json%s"
        % (sec if sec != "*" else "every-event", ": missing " + ", ".join(missing) if missing else ""))
# The stats fields that running.md and siem.md tell operators to watch.
named = set()
for page in ("running.md", "siem.md"):
    text = open(src + "/docs/" + page).read()
    named |= {m.replace("[]", "") for m in re.findall(r"`(?:telexpose\.)?(stats\.[\w.\[\]]+)", text)}
missing = sorted(named - known["stats"])
out(len(named) >= 8 and not missing, "the %d stats fields running.md and siem.md name are in "
    "the schema%s" % (len(named), ": missing " + ", ".join(missing) if missing else ""))
cat = {re.findall(r"`(\w+)`", c[0])[0]: c for c in tables["categorization"]}
enum = set(schema["properties"]["event_type"]["enum"])
out(set(cat) == enum, "the categorization table names exactly the schema's event types %s"
    % sorted(enum))

# --- the tables applied to real events ---
def get(ev, path):
    for p in path.split("."):
        if not isinstance(ev, dict) or p not in ev:
            return None
        ev = ev[p]
    return ev
def put(doc, path, value):
    parts = path.split(".")
    for p in parts[:-1]:
        doc = doc.setdefault(p, {})
    doc[parts[-1]] = value
def ts_ns(t):
    m = re.match(r"(.*)\.(\d{6})([+-]\d{4})$", t)
    from datetime import datetime
    whole = datetime.strptime(m.group(1) + m.group(3), "%Y-%m-%dT%H:%M:%S%z")
    return int(whole.timestamp()) * 10**9 + int(m.group(2)) * 1000
def kind(et, ev):
    c = cat[et]
    words = lambda cell: re.findall(r"`([\w-]+)`", cell)
    types = words(c[3].split(";")[0])
    if et == "flow" and get(ev, "flow.reason") == "active_timeout":
        types = words(c[3].split(";")[1])[:2]
    if et == "device" and ev.get("change") == "verdict":
        types = words(c[3].split(";")[1])[:1]
    return words(c[1])[0], words(c[2]), types
SEV = {"low": 1, "medium": 2, "high": 3, "critical": 4}
def to_ecs(ev):
    et = ev["event_type"]
    e = {"telexpose": ev}
    k, c, t = kind(et, ev)
    put(e, "event.kind", k); put(e, "event.category", c); put(e, "event.type", t)
    for sec, fields, target, how in rows:
        if sec not in ("*", et):
            continue
        vals = [get(ev, f) for f in fields]
        if all(v is None for v in vals):
            continue
        v = vals[0]
        if how == "copy":
            if target == "event.dataset":
                v = "telexpose." + v
            if target == "network.protocol" and v == "failed":
                continue
        elif how == "lowercase":
            v = v.lower()
        elif how == "mac":
            v = v.upper().replace(":", "-")
        elif how in ("first", "second"):
            i = 0 if how == "first" else 1
            if len(v) <= i:
                continue
            v = str(v[i])
        elif how == "sum":
            v = sum(x or 0 for x in vals)
        elif how == "ns":
            v = ts_ns(vals[1]) - ts_ns(vals[0])
        elif how == "severity":
            v = SEV.get(v)
        elif how == "append":
            cur = get(e, target) or []
            for x in vals:
                if x is None:
                    continue
                for y in (x if isinstance(x, list) else [x]):
                    if y not in cur:
                        cur.append(y)
            v = cur
        if v is not None and v != []:
            put(e, target, v)
    return e
events = [json.loads(l) for l in open(evfile)]
mapped = [to_ecs(ev) for ev in events]
json.dump(mapped, open(ecsfile, "w"))
used = set()
for et in ("flow", "evidence", "device", "exposure", "stats"):
    pairs = [(ev, m) for ev, m in zip(events, mapped) if ev["event_type"] == et]
    empty = set()
    for ev, m in pairs:
        for i, (sec, fields, target, how) in enumerate(rows):
            if sec not in ("*", et) or all(get(ev, f) in (None, []) for f in fields):
                continue
            if (target == "network.protocol" and get(ev, "app_proto") == "failed") or \
               (how == "second" and len(get(ev, fields[0])) < 2):
                continue
            used.add(i)
            if get(m, target) in (None, "", []):
                empty.add(target)
        for f in ("@timestamp", "event.kind", "event.dataset"):
            if get(m, f) in (None, "", []):
                empty.add(f)
    out(pairs and not empty, "%d real %s events: every ECS field whose source is present is "
        "set%s" % (len(pairs), et, ": empty " + ", ".join(sorted(empty)) if empty else ""))
unused = [rows[i][2] + " <- " + ",".join(rows[i][1]) for i in range(len(rows)) if i not in used]
out(len(unused) <= 6, "the captures exercise all but %d rows (%s)" % (len(unused), "; ".join(unused)))

# What the README's capture must give, field by field.
def first(et, pred=lambda e: True):
    return next((m for ev, m in zip(events, mapped) if ev["event_type"] == et and pred(ev)), {})
f = first("flow", lambda e: e.get("dest_port") == 80)
want = {"source.ip": "198.51.100.77", "destination.ip": "192.168.1.1", "destination.port": 80,
        "network.transport": "tcp", "network.protocol": "http", "source.mac": "00-1B-21-99-99-99",
        "network.bytes": 937, "network.packets": 10, "event.duration": 9000000,
        "event.kind": "event", "event.category": ["network"], "event.type": ["connection", "end"],
        "event.dataset": "telexpose.flow", "@timestamp": "2023-11-14T22:13:20.001000+0000"}
bad = {k: get(f, k) for k, v in want.items() if get(f, k) != v}
out(not bad, "the HTTP flow of http_admin_outside maps to the expected ECS values %s" % bad)
x = first("exposure", lambda e: e["exposure"]["severity"] == "critical")
want = {"vulnerability.severity": "critical", "event.severity": 4, "event.kind": "alert",
        "rule.name": "management-from-outside", "device.manufacturer": "ZTE",
        "destination.port": 80, "network.protocol": "http"}
bad = {k: get(x, k) for k, v in want.items() if get(x, k) != v}
out(not bad and {"192.168.1.1", "198.51.100.77"} <= set(get(x, "related.ip") or []),
    "its critical exposure maps to vulnerability.severity, event.severity 4, related.ip %s" % bad)
d = first("device", lambda e: e.get("change") == "final")
out(get(d, "device.manufacturer") == "ZTE" and get(d, "device.model.name") == "ZXHN H108N"
    and get(d, "event.kind") == "asset" and get(d, "event.action") == "final",
    "its final device maps to device.manufacturer ZTE, device.model.name, event.kind asset")

# --- Vector: the remap assigns every ECS field of the tables ---
vec = tomllib.load(open(src + "/docs/examples/vector.toml", "rb"))
srcs = vec.get("sources", {}).get("telexpose", {})
vrl = vec.get("transforms", {}).get("telexpose_ecs", {}).get("source", "")
out(srcs.get("type") == "file" and "/var/log/telexpose/eve.ndjson*" in srcs.get("include", [])
    and srcs.get("fingerprint", {}).get("strategy") == "checksum",
    "vector.toml is TOML with a file source on the rotated eve.ndjson*, fingerprinted by checksum")
def vrl_path(p):
    return ".".join('"%s"' % x if x.startswith("@") else x for x in p.split("."))
missing = sorted({r[2] for r in rows if r[2] != "related.ip" and
                  not re.search(r"^\s*\." + re.escape(vrl_path(r[2])) + r" = ", vrl, re.M)})
out(not missing and ".related.ip = " in vrl, "the Vector remap assigns every ECS field of "
    "the tables%s" % (": missing " + ", ".join(missing) if missing else ""))
missing = [v for c in cat.values() for v in re.findall(r"`([\w-]+)`", " ".join(c[1:]))
           if '"%s"' % v not in vrl]
out(not missing, "and every categorization value %s" % missing)

# --- Filebeat: its copy list is the tables' `copy` rows ---
fb = open(src + "/docs/examples/filebeat.yml").read()
fb_pairs = set()
block = None
for line in fb.splitlines():
    m = re.match(r"\s*(\w+): \[$", line)
    if m:
        block = m.group(1)
    for a, b in re.findall(r'\["([\w.]+)", "([\w.@]+)"\]', line):
        fb_pairs.add((block, a, b))
# app_proto is copied except `failed`: the script does that one by hand.
doc_pairs = {(sec, f[0], tgt) for sec, f, tgt, how in rows
             if how == "copy" and sec != "*" and len(f) == 1 and f[0] != "app_proto"}
diff = sorted(fb_pairs ^ doc_pairs)
out(not diff, "filebeat.yml's COPY pairs are the tables' plain copies%s" % (": differ " + str(diff) if diff else ""))
try:
    import yaml
    y = yaml.safe_load(fb)
    inp = y["filebeat.inputs"][0]
    out(inp["type"] == "filestream" and inp["parsers"][0]["ndjson"]["target"] == "telexpose",
        "filebeat.yml is YAML: a filestream input with the ndjson parser under telexpose")
except ImportError:
    print("SKIP filebeat.yml parses as YAML # no python3 yaml module (python3-yaml)")

# --- Fluent Bit: the parser's time format reads a real timestamp ---
fbp = open(src + "/docs/examples/fluent-bit-parsers.conf").read()
fbc = open(src + "/docs/examples/fluent-bit.conf").read()
tf = re.search(r"Time_Format\s+(\S+)", fbp).group(1)
from datetime import datetime
try:
    datetime.strptime(events[0]["timestamp"], tf.replace("%L", "%f"))
    ok = re.search(r"Time_Key\s+timestamp\b", fbp) is not None
except ValueError:
    ok = False
out(ok and re.search(r"Path\s+/var/log/telexpose/eve.ndjson$", fbc, re.M) is not None
    and re.search(r"Parser\s+telexpose$", fbc, re.M) is not None,
    "fluent-bit: tail on eve.ndjson with the telexpose parser, whose Time_Format %s reads %s"
    % (tf, events[0]["timestamp"]))
PYEOF
tap_from <"$tmp/tables.tap"

# The Filebeat script itself, run by node with Filebeat's event API (Get and
# Put of dotted keys), gives what the tables give.
if command -v node >/dev/null 2>&1; then
    "$py" - "$ex/filebeat.yml" "$tmp/fb.js" <<'PYEOF'
import re, sys
y = open(sys.argv[1]).read()
m = re.search(r"source: \|\n((?: {12}.*\n|\n)+)", y)
open(sys.argv[2], "w").write("\n".join(l[12:] for l in m.group(1).splitlines()) + r'''
var fs = require("fs");
var mapped = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
function Event(doc) { this.doc = doc; }
Event.prototype.Get = function (k) {
  var v = this.doc;
  var parts = k.split(".");
  for (var i = 0; i < parts.length; i++) {
    if (v === null || typeof v !== "object" || !(parts[i] in v)) return null;
    v = v[parts[i]];
  }
  return v;
};
Event.prototype.Put = function (k, val) {
  var parts = k.split("."), d = this.doc;
  for (var i = 0; i < parts.length - 1; i++) d = d[parts[i]] = d[parts[i]] || {};
  d[parts[parts.length - 1]] = val;
};
var bad = 0;
mapped.forEach(function (want) {
  var ev = new Event({telexpose: want.telexpose});
  ev.Put("@timestamp", want["@timestamp"]);
  process(ev);
  var got = JSON.parse(JSON.stringify(ev.doc)), w = JSON.parse(JSON.stringify(want));
  delete got.ecs; delete got.observer; delete got.event.module;
  if (JSON.stringify(sortKeys(got)) !== JSON.stringify(sortKeys(w))) {
    if (bad++ < 3) console.log(JSON.stringify(sortKeys(got)) + "\n!= " + JSON.stringify(sortKeys(w)));
  }
});
function sortKeys(o) {
  if (Array.isArray(o)) return o.map(sortKeys);
  if (o === null || typeof o !== "object") return o;
  var r = {};
  Object.keys(o).sort().forEach(function (k) { r[k] = sortKeys(o[k]); });
  return r;
}
console.log(mapped.length + " events, " + bad + " differ");
if (bad) process.exit(1);
''')
PYEOF
    # process() is Filebeat's entry point and clashes with node's global.
    sed -i 's/\bprocess(ev)/fbProcess(ev)/; s/^function process(event)/function fbProcess(event)/' "$tmp/fb.js"
    node "$tmp/fb.js" "$tmp/ecs.json" >"$tmp/fb.out" 2>&1
    check "filebeat.yml's script maps every real event as the tables do ($(tail -1 "$tmp/fb.out"))" \
        test $? -eq 0
else
    skip "filebeat.yml's script maps every real event as the tables do" "no node to run it"
fi

# --- The systemd unit ---
unit="$ex/telexpose.service"
# ExecStart with its continuation lines, the binary replaced by the built one.
execstart=$(sed -n '/^ExecStart=/,/[^\\]$/p' "$unit" | sed 's/^ExecStart=//; s/\\$//' |
            tr '\n' ' ' | sed "s#^ */usr/local/bin/telexpose#$exe#")
check "the unit's ExecStart runs /usr/local/bin/telexpose (make install's path)" \
    grep -q '^ExecStart=/usr/local/bin/telexpose ' "$unit"
# shellcheck disable=SC2086
$execstart --print-config >"$tmp/pc" 2>"$tmp/pc.err"
rc=$?
check "ExecStart --print-config is accepted (exit 0)" test $rc -eq 0
check "and shows its interface, outputs and intervals" sh -c "
    grep -qx 'interface = eth1' '$tmp/pc' &&
    grep -qx 'write = /var/log/telexpose/eve.ndjson' '$tmp/pc' &&
    grep -qx 'report = /var/lib/telexpose/report.json' '$tmp/pc' &&
    grep -qx 'report-interval = 300' '$tmp/pc' && grep -qx 'stats-interval = 60' '$tmp/pc'"
# The unit's other ExecStart= reads the example config: it must write
# only where the sandbox lets it (LogsDirectory, StateDirectory).
"$exe" --config "$ex/telexpose.conf" --print-config >"$tmp/pc2" 2>"$tmp/pc.err"
rc=$?
paths=$(sed -n 's/^\(write\|report\|output\) = //p' "$tmp/pc2" | tr '\n' ' ')
outside=$(sed -n 's/^\(write\|report\) = //p' "$tmp/pc2" | grep -v '^/var/log/telexpose/\|^/var/lib/telexpose/')
check "docs/examples/telexpose.conf writes only inside the unit's writable directories ($paths)" \
    sh -c "test $rc -eq 0 && test -n '$paths' && test -z '$outside'"
check "ExecReload sends SIGHUP to the main process" grep -q '^ExecReload=/bin/kill -HUP \$MAINPID$' "$unit"
check "the unit keeps only CAP_NET_RAW" sh -c "
    grep -q '^AmbientCapabilities=CAP_NET_RAW$' '$unit' &&
    grep -q '^CapabilityBoundingSet=CAP_NET_RAW$' '$unit' && grep -q '^User=telexpose$' '$unit'"
check "the unit has no PrivateNetwork= (it would hide the interfaces)" \
    sh -c "! grep -q '^PrivateNetwork=' '$unit'"
check "the unit writes where ExecStart writes (LogsDirectory, StateDirectory)" sh -c "
    grep -q '^LogsDirectory=telexpose$' '$unit' && grep -q '^StateDirectory=telexpose$' '$unit'"

if command -v systemd-analyze >/dev/null 2>&1; then
    sed "s#^ExecStart=/usr/local/bin/telexpose#ExecStart=$exe#" "$unit" >"$tmp/telexpose.service"
    systemd-analyze verify "$tmp/telexpose.service" >"$tmp/verify" 2>&1
    rc=$?
    check "systemd-analyze verify accepts the unit without a warning$(head -c 200 "$tmp/verify" | tr '\n' ' ')" \
        sh -c "test $rc -eq 0 && ! test -s '$tmp/verify'"
else
    skip "systemd-analyze verify accepts the unit without a warning" "no systemd-analyze (install systemd)"
fi

# --- logrotate ---
lr="$ex/logrotate.conf"
mkdir -p "$tmp/log"
sub_lr() { # sub_lr HUPCOMMAND: the snippet on $tmp/log, the HUP replaced
    sed -e "s#/var/log/telexpose#$tmp/log#" -e "s#systemctl kill .*#$1#" "$lr" >"$tmp/lr.conf"
}
check "the snippet HUPs the service through systemd" \
    grep -q 'systemctl kill --kill-whom=main --signal=HUP telexpose.service' "$lr"
if command -v logrotate >/dev/null 2>&1; then
    sub_lr "touch $tmp/hupped"
    echo '{"event_type":"stats"}' >"$tmp/log/eve.ndjson"
    logrotate -d -s "$tmp/lr.state" "$tmp/lr.conf" >"$tmp/lr.out" 2>&1
    rc=$?
    check "logrotate -d accepts the snippet" sh -c "test $rc -eq 0 && ! grep -qi 'error' '$tmp/lr.out'"
    logrotate -f -s "$tmp/lr.state" "$tmp/lr.conf" >"$tmp/lr.out" 2>&1
    check "logrotate -f moves eve.ndjson away (nocreate: no new file) and runs the postrotate" \
        sh -c "! test -e '$tmp/log/eve.ndjson' && ls '$tmp/log'/eve.ndjson-* && test -e '$tmp/hupped'"
else
    skip "logrotate -d accepts the snippet" "no logrotate (install logrotate)"
    skip "logrotate -f moves eve.ndjson away and runs the postrotate" "no logrotate"
fi

# The rotation for real: live capture on a namespace's loopback, flows before
# and after logrotate moves the file and HUPs telexpose.
why=
if [ "$(id -u)" -ne 0 ]; then
    why="not root (live capture and network namespaces need it)"
elif ! command -v logrotate >/dev/null 2>&1; then
    why="no logrotate"
elif ! command -v ip >/dev/null 2>&1; then
    why="no ip command (install iproute2)"
elif ! ip netns add "$ns" 2>/dev/null; then
    why="ip netns is not available here"
elif ! ip -n "$ns" link set lo up 2>"$tmp/setup"; then
    why="cannot bring up lo: $(head -1 "$tmp/setup")"
fi
inns() { ip netns exec "$ns" "$@"; }
send() { # send FIRST LAST: one UDP datagram to each port of [FIRST, LAST)
    inns "$py" -c "
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for port in range($1, $2):
    s.sendto(b'telexpose docs_examples', ('127.0.0.1', port))"
}
ports() { # ports FILE: the destination ports of its UDP flow records, but 20000
    grep -o '"dest_port":2[0-9]*' "$1" 2>/dev/null | cut -d: -f2 | grep -vx 20000 |
        sort -n | tr '\n' ' '
}
until_captured() { # until_captured FILE: probe port 20000 until FILE has its flow
    i=0
    while [ $i -lt 100 ] && ! grep -q '"dest_port":20000' "$1" 2>/dev/null; do
        send 20000 20001
        sleep 0.2
        i=$((i + 1))
    done
}
if [ -z "$why" ]; then
    rm -rf "$tmp/log" && mkdir "$tmp/log"
    # Not through inns: $! must be telexpose (ip netns exec execs it).
    ip netns exec "$ns" "$exe" -i lo -w "$tmp/log/eve.ndjson" --timeout udp=1 \
        >"$tmp/live.out" 2>"$tmp/live.err" &
    pid=$!
    # The capture is ready when a probe comes out as a flow: a load that
    # slows the start cannot make the flows below go unseen.
    until_captured "$tmp/log/eve.ndjson"
    send 20001 20006
    i=0
    while [ $i -lt 100 ] && [ "$(ports "$tmp/log/eve.ndjson" | wc -w)" -lt 5 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    check "live: the flows are in eve.ndjson within 10 s of their idle timeout" \
        test "$(ports "$tmp/log/eve.ndjson")" = "20001 20002 20003 20004 20005 "
    sub_lr "kill -HUP $pid"
    logrotate -f -s "$tmp/lr2.state" "$tmp/lr.conf" >"$tmp/lr.out" 2>&1
    sleep 1
    send 20006 20011
    sleep 3
    kill -TERM "$pid"
    wait "$pid"
    rc=$?
    pid=
    old=$(ls "$tmp/log"/eve.ndjson-* 2>/dev/null | head -1)
    check "live: telexpose survives the HUP and exits 0 on SIGTERM" test $rc -eq 0
    check "the moved file has the flows from before the rotation" \
        test "$(ports "$old")" = "20001 20002 20003 20004 20005 "
    check "the new eve.ndjson has those from after it, and the final stats" sh -c "
        test '$(ports "$tmp/log/eve.ndjson")' = '20006 20007 20008 20009 20010 ' &&
        tail -1 '$tmp/log/eve.ndjson' | grep -q '\"event_type\":\"stats\"'"
    check "every line of both files is a whole JSON event" \
        "$py" -c "import json, sys; [json.loads(l) for f in sys.argv[1:] for l in open(f)]" \
        "$old" "$tmp/log/eve.ndjson"
else
    for d in "live: the flows are in eve.ndjson within 10 s of their idle timeout" \
             "live: telexpose survives the HUP and exits 0 on SIGTERM" \
             "the moved file has the flows from before the rotation" \
             "the new eve.ndjson has those from after it, and the final stats" \
             "every line of both files is a whole JSON event"; do
        skip "$d" "$why"
    done
fi

# --- CAP_NET_RAW is enough, and the sandbox holds ---
if [ -n "$why" ]; then
    skip "as nobody with only CAP_NET_RAW: captures, in promiscuous mode" "$why"
elif ! command -v setpriv >/dev/null 2>&1; then
    skip "as nobody with only CAP_NET_RAW: captures, in promiscuous mode" "no setpriv (util-linux)"
elif ! ip -n "$ns" link add txdoc0 type veth peer name txdoc1 2>"$tmp/setup" ||
     ! ip -n "$ns" link set txdoc0 up || ! ip -n "$ns" link set txdoc1 up ||
     ! ip -n "$ns" addr add 10.99.0.1/24 dev txdoc1 2>"$tmp/setup"; then
    skip "as nobody with only CAP_NET_RAW: captures, in promiscuous mode" \
        "cannot set up a veth pair: $(head -1 "$tmp/setup")"
else
    # nobody must reach its output file.
    chmod 0711 "$tmp"
    chmod 0777 "$tmp/log"
    ip netns exec "$ns" setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups \
        --inh-caps=-all,+net_raw --ambient-caps=-all,+net_raw --bounding-set=-all,+net_raw \
        --no-new-privs "$exe" -i txdoc0 -w "$tmp/log/nobody.ndjson" --timeout udp=1 \
        >"$tmp/nb.out" 2>"$tmp/nb.err" &
    pid=$!
    # Broadcasts out of the veth's other end until one is captured.
    i=0
    while [ $i -lt 100 ] && ! grep -q '"dest_port":20099' "$tmp/log/nobody.ndjson" 2>/dev/null; do
        inns "$py" -c "
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
s.sendto(b'hello', ('10.99.0.255', 20099))"
        sleep 0.2
        i=$((i + 1))
    done
    promisc=$(ip -n "$ns" -d link show txdoc0 | grep -o 'promiscuity [0-9]*')
    caps=$(grep '^CapEff' "/proc/$pid/status" | tr -d '\t')
    uids=$(grep '^Uid' "/proc/$pid/status" | tr '\t' ' ')
    kill -TERM "$pid"
    wait "$pid"
    rc=$?
    pid=
    check "as nobody with only CAP_NET_RAW ($caps; $uids; $promisc): captures, in promiscuous mode$(test $rc -eq 0 || head -1 "$tmp/nb.err")" \
        sh -c "test $rc -eq 0 && test '$promisc' = 'promiscuity 1' &&
               test '$caps' = 'CapEff:0000000000002000' &&
               grep -q '\"dest_port\":20099' '$tmp/log/nobody.ndjson'"
fi

if ! command -v strace >/dev/null 2>&1; then
    skip "every system call of a run is in the unit's SystemCallFilter=@system-service" "no strace"
    skip "and every socket family in its RestrictAddressFamilies=" "no strace"
elif ! command -v systemd-analyze >/dev/null 2>&1; then
    skip "every system call of a run is in the unit's SystemCallFilter=@system-service" "no systemd-analyze"
    skip "and every socket family in its RestrictAddressFamilies=" "no systemd-analyze"
else
    # The filter's groups expanded to system call names.
    systemd-analyze syscall-filter @system-service | sed 's/#.*//; s/ //g' | sed 1d |
    while read -r g; do
        case $g in
        @*) systemd-analyze syscall-filter "$g" | sed 's/#.*//; s/ //g' | sed 1d ;;
        ?*) echo "$g" ;;
        esac
    done | sort -u >"$tmp/allowed"
    if [ -z "$why" ]; then
        # Live, with the unit's outputs and intervals, a SIGHUP and a SIGTERM.
        strace -f -qq -o "$tmp/trace" sh -c "echo \$\$ >'$tmp/trace.pid'; exec ip netns exec $ns \
            $exe -i lo -w '$tmp/log/trace.ndjson' --report '$tmp/log/report.json' \
            --timeout udp=1" >/dev/null 2>&1 &
        tpid=$!
        # Traced, the start is slow: wait for the capture ring.
        i=0
        while [ $i -lt 200 ] && ! grep -q PACKET_RX_RING "$tmp/trace" 2>/dev/null; do
            sleep 0.1
            i=$((i + 1))
        done
        sleep 0.5
        send 20021 20024
        sleep 1.5
        kill -HUP "$(cat "$tmp/trace.pid")"
        sleep 0.5
        kill -TERM "$(cat "$tmp/trace.pid")"
        wait "$tpid"
        what="a live capture with SIGHUP and SIGTERM"
    else
        strace -f -qq -o "$tmp/trace" "$exe" -r "$s/tests/pcap/exposure/http_admin_outside.pcap" \
            -w "$tmp/trace.ndjson" --report "$tmp/report.json" >/dev/null 2>&1
        what="a run on a capture file ($why)"
    fi
    # The system calls made after ip netns exec hands over to telexpose.
    sed -n '/execve("[^"]*telexpose"/,$p' "$tmp/trace" | sed -E 's/^[0-9]+ +//; s/\(.*//' |
        grep -E '^[a-z_0-9]+$' | sort -u >"$tmp/used"
    extra=$(comm -23 "$tmp/used" "$tmp/allowed" | tr '\n' ' ')
    check "every system call of $what ($(wc -l <"$tmp/used") distinct) is in the unit's SystemCallFilter=@system-service${extra:+: not $extra}" \
        sh -c "test -s '$tmp/used' && test -z '$extra'"
    fams=$(grep -o 'socket(AF_[A-Z0-9]*' "$tmp/trace" | cut -d'(' -f2 | sort -u | tr '\n' ' ')
    allowed=$(sed -n 's/^RestrictAddressFamilies=//p' "$unit")
    miss=
    for f in $fams; do
        case " $allowed " in *" $f "*) ;; *) miss="$miss $f" ;; esac
    done
    check "and every socket family it opens ($fams) in its RestrictAddressFamilies=${miss:+: not$miss}" \
        test -z "$miss"
fi

echo "1..$n"
exit $fail
