#!/usr/bin/env python3
"""vendor.py - end-to-end checks of the vendor engine's evidence events (TAP).

Runs telexpose once per capture named in tests/e2e/vendor_expected.tsv
(crafted ones from tests/pcap/vendor, written by tests/pcap/gen_vendor.py;
real ones from tests/pcap/shared, see SOURCES.tsv) and checks each row:

  device       an evidence event with evidence.device == key and that vendor
               exists; when field is not "-", one of them has that field, and
               model / version (when not "-") are found among those events
  not_vendor   no evidence event for key with that vendor (and that field,
               when not "-")
  weak_only    every evidence event for key with that vendor has confidence
               < 0.5 and (when not "-") that field: a weak hint, never a claim
  no_evidence  no evidence event at all in the capture

key may be "*" (any device), "ip=*" or "mac=*" (any device of that kind);
vendor "*" is any vendor. A vendor matches evidence.vendor or
evidence.counts_as. Then, for every run: each evidence event has the shape
of docs/events.md, and flow events carry a "vendor" object that names only
endpoints with evidence and names every endpoint whose evidence came first.

    make check TESTS=tests/e2e/vendor.py
    TELEXPOSE=/path/to/src/telexpose python3 tests/e2e/vendor.py   # repo root
"""
import ipaddress
import os
import re
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lib  # noqa: E402
from lib import eq, flows, get, ok  # noqa: E402

EXPECTED = lib.path("tests", "e2e", "vendor_expected.tsv")
SIGDIR = lib.path("signatures")
COLUMNS = ["capture", "expect", "vendor", "key", "field", "model", "version", "note"]
EXPECTS = {"device", "not_vendor", "weak_only", "no_evidence"}
WEAK = 0.5

TS_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+0000$")
MAC_RE = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$")
EV_KEYS = {"device", "mac", "mac_source", "ip", "vendor", "counts_as", "pack", "rule", "field",
           "value", "confidence", "model", "version"}
EV_REQUIRED = {"device", "vendor", "pack", "rule", "field", "value", "confidence"}
MAC_SOURCES = {"ethernet", "dhcp", "lldp", "eui64"}
FIELDS = {
    "lldp.chassis_id", "lldp.system_name", "lldp.system_description", "lldp.port_description",
    "dhcp.vendor_class", "dhcp.hostname", "dhcp.param_list", "dhcp.client_id",
    "dhcpv6.enterprise", "snmp.sysdescr", "snmp.sysobjectid", "snmp.sysname",
    "snmp.engine_enterprise", "http.server", "http.www_authenticate", "http.user_agent",
    "http.title", "cwmp.manufacturer", "cwmp.oui", "cwmp.product_class", "cwmp.serial_number",
    "cwmp.software_version", "cwmp.hardware_version", "ssh.banner", "telnet.banner",
    "ftp.banner", "sip.user_agent", "sip.server", "ssdp.server", "ssdp.usn",
    "upnp.manufacturer", "upnp.model_name", "upnp.model_number", "tls.sni", "tls.issuer",
    "tls.subject", "dns.query", "ip.asn", "mac.org", "eth.protocol",
    "lldp.management_address", "dhcp.vendor_info", "dhcpv6.vendor_class", "http.host",
    "upnp.model_description", "upnp.manufacturer_url",
}
VENDOR_SIDES = {"src_mac", "dest_mac", "src_ip", "dest_ip"}
VALUE_MAX = 512  # characters of evidence.value (docs/events.md)

V = "tests/pcap/vendor/"
# Flow events that must carry exactly this vendor object (None: no vendor):
# (capture, fields every such flow has, vendor object).
FLOW_VENDOR = [
    (V + "tr069_inform_3seg.pcap", {"src_ip": "100.64.1.20"}, {"src_ip": "Huawei"}),
    (V + "tr069_inform_zte.pcap", {"src_ip": "100.64.2.30"}, {"src_ip": "ZTE"}),
    (V + "sip_zte.pcap", {"src_ip": "10.50.0.20"}, {"src_ip": "ZTE", "dest_ip": "Huawei"}),
    (V + "eui64_zte_cpe.pcap", {"proto": "IPv6-ICMP"}, {"src_ip": "ZTE"}),
    (V + "eui64_zte_cpe.pcap", {"proto": "TCP"}, {"src_ip": "ZTE"}),
    (V + "http_zte_router.pcap", {"src_port": 50400}, {"dest_ip": "ZTE"}),
    (V + "http_zte_router.pcap", {"src_port": 50401}, {"dest_ip": "ZTE"}),
    (V + "snmp_huawei.pcap", {"src_port": 50161}, {"dest_ip": "Huawei"}),
    (V + "snmp_zte.pcap", {"src_port": 50161}, {"dest_ip": "ZTE"}),
    (V + "banners.pcap", {"dest_port": 23}, {"dest_ip": "Huawei"}),
    (V + "banners.pcap", {"dest_port": 22}, {"dest_ip": "Huawei"}),
    (V + "banners.pcap", {"dest_port": 21}, None),
    (V + "dhcp_random_mac_huawei_phone.pcap", {"src_port": 68}, {"src_mac": "Huawei"}),
    (V + "dhcp_random_mac_huawei_phone.pcap", {"src_port": 67}, None),
    # A name a client looked up says where it goes, not what it is.
    (V + "dns_tls_hicloud.pcap", {"dest_port": 443}, None),
    (V + "dns_tls_hicloud.pcap", {"dest_port": 53}, None),
    (V + "ssdp_upnp_huawei.pcap", {"dest_port": 1900}, {"src_ip": "Huawei"}),
    (V + "ssdp_upnp_huawei.pcap", {"dest_port": 37215}, {"dest_ip": "Huawei"}),
    (V + "aztech_not_zte.pcap", {}, None),
]

# Evidence that must say how its MAC is known: (capture, key, field, mac,
# allowed mac_source values).
MAC_FACTS = [
    (V + "eui64_zte_cpe.pcap", "ip=2001:db8:1:0:21e:73ff:fe12:3456", "mac.org",
     "00:1e:73:12:34:56", {"eui64"}),
    (V + "dhcp_random_mac_huawei_phone.pcap", "mac=5a:1e:3c:9d:42:07", "dhcp.vendor_class",
     "5a:1e:3c:9d:42:07", {"dhcp", "ethernet"}),
    (V + "dhcpv6_huawei.pcap", "mac=00:25:9e:5a:6b:7c", "dhcpv6.enterprise",
     "00:25:9e:5a:6b:7c", {"dhcp", "ethernet"}),
    (V + "lldp_huawei_switch.pcap", "mac=00:e0:fc:12:34:56", "lldp.system_description",
     "00:e0:fc:12:34:56", {"lldp", "ethernet"}),
]


# ------------------------------------------------------------------ running

def run_capture(rel):
    """telexpose -r CAPTURE -w OUT once; (exit code, events) or (None, [])."""
    label = rel
    path = lib.path(rel)
    with tempfile.TemporaryDirectory(prefix="telexpose-vendor-") as tmp:
        out = os.path.join(tmp, "events.ndjson")
        cmd = [lib.TELEXPOSE, "-q", "--signatures", SIGDIR, "-r", path, "-w", out]
        try:
            p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               timeout=lib.TIMEOUT)
        except (OSError, subprocess.TimeoutExpired) as e:
            ok(False, "%s: telexpose ran" % label, "%s\n%s" % (" ".join(cmd), e))
            return None, []
        try:
            with open(out, "rb") as fh:
                data = fh.read()
        except OSError as e:
            data, missing = b"", str(e)
        else:
            missing = None
    err = p.stderr.decode("utf-8", "replace")
    problems = [missing] if missing else []
    try:
        text = data.decode("utf-8")  # strict: JSON text is UTF-8 (RFC 8259)
    except UnicodeDecodeError as e:
        text = data.decode("utf-8", "replace")
        problems.append("output is not valid UTF-8: %s" % e)
    events, bad = lib.parse_ndjson(text)
    problems += bad
    if p.returncode != 0:
        problems.append("exit status %d" % p.returncode)
    ok(not problems, "%s: exit 0, NDJSON output (%d events, %d evidence)"
       % (label, len(events), len(evidence(events))),
       "\n".join([" ".join(cmd)] + problems + [err]))
    return p.returncode, events


def evidence(events):
    return [e for e in events if e.get("event_type") == "evidence"]


# ------------------------------------------------------------------- shape

def is_num(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def canonical_ip(s):
    try:
        return ipaddress.ip_address(s).compressed == s
    except ValueError:
        return False


def eui64_mac(ip):
    """The MAC inside a modified EUI-64 interface id, or None."""
    try:
        b = ipaddress.IPv6Address(ip).packed[8:]
    except ValueError:
        return None
    if b[3:5] != b"\xff\xfe":
        return None
    m = bytes([b[0] ^ 0x02]) + b[1:3] + b[5:8]
    return ":".join("%02x" % x for x in m)


def shape_problems(e, flow_ids, first, last):
    """What is wrong with one evidence event (empty list: nothing)."""
    bad = []
    top = set(e) - {"timestamp", "event_type", "flow_id", "evidence"}
    if top:
        bad.append("unexpected top-level keys %s" % sorted(top))
    ts = e.get("timestamp")
    if not isinstance(ts, str) or not TS_RE.match(ts):
        bad.append("timestamp %r" % (ts,))
    elif first and last and not first <= ts <= last:
        bad.append("timestamp %s outside the capture [%s, %s]" % (ts, first, last))
    if "flow_id" in e:
        fid = e["flow_id"]
        if not isinstance(fid, int) or isinstance(fid, bool) or fid <= 0:
            bad.append("flow_id %r is not a positive integer" % (fid,))
        elif fid not in flow_ids:
            bad.append("flow_id %d names no flow event of the run" % fid)
    ev = e.get("evidence")
    if not isinstance(ev, dict):
        return bad + ["evidence is not an object"]
    if set(ev) - EV_KEYS:
        bad.append("unexpected keys %s" % sorted(set(ev) - EV_KEYS))
    if EV_REQUIRED - set(ev):
        bad.append("missing keys %s" % sorted(EV_REQUIRED - set(ev)))
    for k in EV_KEYS - {"confidence"}:
        if k in ev and (not isinstance(ev[k], str) or (ev[k] == "" and k != "value")):
            bad.append("%s is not a non-empty string: %r" % (k, ev[k]))
    c = ev.get("confidence")
    if not is_num(c) or not 0 < c <= 1:
        bad.append("confidence %r not in (0, 1]" % (c,))
    if ev.get("field") not in FIELDS:
        bad.append("unknown field %r" % (ev.get("field"),))
    if isinstance(ev.get("value"), str) and len(ev["value"]) > VALUE_MAX:
        bad.append("value longer than %d characters" % VALUE_MAX)
    mac, ip, dev = ev.get("mac"), ev.get("ip"), ev.get("device")
    if mac is not None:
        if not isinstance(mac, str) or not MAC_RE.match(mac):
            bad.append("mac %r is not lowercase aa:bb:cc:dd:ee:ff" % (mac,))
        if ev.get("mac_source") not in MAC_SOURCES:
            bad.append("mac_source %r" % (ev.get("mac_source"),))
    elif "mac_source" in ev:
        bad.append("mac_source without mac")
    if ip is not None and not canonical_ip(ip):
        bad.append("ip %r is not a canonical address" % (ip,))
    if not isinstance(dev, str):
        return bad
    if dev.startswith("mac="):
        if mac != dev[4:]:
            bad.append("device %s but mac %r" % (dev, mac))
    elif dev.startswith("ip="):
        if ip != dev[3:]:
            bad.append("device %s but ip %r" % (dev, ip))
    else:
        bad.append("device %r is neither mac= nor ip=" % dev)
    if ev.get("mac_source") == "eui64":
        if not dev.startswith("ip=") or eui64_mac(dev[3:]) != mac:
            bad.append("mac_source eui64 but %s does not hold mac %r" % (dev, mac))
    if (ev.get("field") == "mac.org" and isinstance(mac, str) and MAC_RE.match(mac)
            and int(mac[:2], 16) & 0x02):
        bad.append("mac.org evidence for a locally administered MAC %s" % mac)
    return bad


def check_shape(label, events):
    evs = evidence(events)
    flow_ids = {f.get("flow_id") for f in flows(events)}
    st = lib.stats(events)
    first, last = get(st, "capture.first_packet"), get(st, "capture.last_packet")
    bad = []
    for e in evs:
        p = shape_problems(e, flow_ids, first, last)
        if p:
            bad.append("%s\n  %s" % (e, "\n  ".join(p)))
    ok(not bad, "%s: every evidence event has the documented shape (%d)" % (label, len(evs)),
       "\n".join(bad[:10]))
    seen, dups = set(), []
    for e in evs:
        ev = e.get("evidence") or {}
        k = (ev.get("device"), ev.get("rule"), ev.get("value"))
        if k in seen:
            dups.append(k)
        seen.add(k)
    ok(not dups, "%s: one evidence event per device, rule and value" % label, dups[:10])


# ------------------------------------------------------------ expectations

def load_expected():
    rows, bad = [], []
    with open(EXPECTED, encoding="utf-8") as fh:
        head = fh.readline().rstrip("\n").split("\t")
        eq(head, COLUMNS, "vendor_expected.tsv: header")
        for n, line in enumerate(fh, 2):
            cols = line.rstrip("\n").split("\t")
            if len(cols) != len(COLUMNS) or cols[1] not in EXPECTS or not all(cols[:7]) or \
                    (cols[3].startswith("ip=") and cols[3] != "ip=*" and
                     not canonical_ip(cols[3][3:])):
                bad.append("line %d: %r" % (n, line))
                continue
            rows.append(dict(zip(COLUMNS, cols), line=n))
    ok(rows and not bad, "vendor_expected.tsv: %d well-formed rows" % len(rows), "\n".join(bad))
    return rows


def key_matches(pattern, device):
    if pattern == "*":
        return True
    if pattern in ("ip=*", "mac=*"):
        return isinstance(device, str) and device.startswith(pattern[:-1])
    return device == pattern


def vendor_matches(pattern, ev):
    return pattern == "*" or pattern in (ev.get("vendor"), ev.get("counts_as"))


def describe(evs):
    return "\n".join("%s %s %s=%r conf %s model %r version %r" % (
        ev.get("device"), ev.get("vendor"), ev.get("field"), ev.get("value"),
        ev.get("confidence"), ev.get("model"), ev.get("version")) for ev in evs) or "(none)"


def check_row(row, events):
    evs = [e.get("evidence") or {} for e in evidence(events)]
    cap, exp, vendor, key, field = (row["capture"].rsplit("/", 1)[-1], row["expect"],
                                    row["vendor"], row["key"], row["field"])
    what = "%s (line %d)" % (cap, row["line"])
    mine = [ev for ev in evs if key_matches(key, ev.get("device"))
            and vendor_matches(vendor, ev)]
    info = "all evidence:\n" + describe(evs)
    if exp == "no_evidence":
        ok(not evs, "%s: no evidence at all (%s)" % (what, row["note"]), info)
    elif exp == "not_vendor":
        hits = [ev for ev in mine if field == "-" or ev.get("field") == field]
        ok(not hits, "%s: %s is not %s%s" % (what, key, vendor,
                                             "" if field == "-" else " by " + field),
           "offending:\n" + describe(hits))
    elif exp == "weak_only":
        strong = [ev for ev in mine if not (is_num(ev.get("confidence")) and
                                            ev["confidence"] < WEAK)
                  or (field != "-" and ev.get("field") != field)]
        ok(not strong, "%s: %s is at most weakly %s (confidence < %s%s)"
           % (what, key, vendor, WEAK, "" if field == "-" else ", only " + field),
           "offending:\n" + describe(strong))
    else:
        ok(mine, "%s: %s is %s (%s)" % (what, key, vendor, row["note"]), info)
        if field != "-" and mine:
            mine = [ev for ev in mine if ev.get("field") == field]
            ok(mine, "%s: %s is %s by %s" % (what, key, vendor, field), info)
        for k in ("model", "version"):
            if row[k] != "-" and mine:
                ok(any(ev.get(k) == row[k] for ev in mine),
                   "%s: %s %s %s" % (what, key, k, row[k]), describe(mine))


def check_mac_facts(cap, events):
    for c, key, field, mac, sources in MAC_FACTS:
        if c != cap:
            continue
        evs = [e["evidence"] for e in evidence(events)
               if get(e, "evidence.device") == key and get(e, "evidence.field") == field]
        ok(evs and all(ev.get("mac") == mac and ev.get("mac_source") in sources for ev in evs),
           "%s: %s %s evidence has mac %s, mac_source %s"
           % (cap.rsplit("/", 1)[-1], key, field, mac, "/".join(sorted(sources))),
           describe(evs) + "\n" + "\n".join(str(e) for e in evidence(events)))


# ------------------------------------------------------------- flow vendor

def check_flow_vendor(label, events):
    """Soundness and completeness of the flows' vendor objects."""
    evs = evidence(events)
    fl = flows(events)
    by_key = {}
    for e in evs:
        ev = e.get("evidence") or {}
        names = {ev.get("vendor")}
        for k in (ev.get("device"), "mac=%s" % ev.get("mac"), "ip=%s" % ev.get("ip")):
            by_key.setdefault(k, set()).update(names)
    bad = []
    for f in fl:
        v = f.get("vendor")
        if v is None:
            continue
        if not isinstance(v, dict) or not v or set(v) - VENDOR_SIDES or \
                not all(isinstance(x, str) and x for x in v.values()):
            bad.append("malformed vendor object %r in %s" % (v, f))
            continue
        for side, name in v.items():
            addr = get(f, "ether." + side) if side.endswith("mac") else f.get(side)
            key = ("mac=%s" if side.endswith("mac") else "ip=%s") % addr
            if name not in by_key.get(key, ()):
                bad.append("flow %s: vendor.%s %r but no %s evidence for %s"
                           % (f.get("flow_id"), side, name, name, key))
    ok(not bad, "%s: flow vendor objects name only endpoints with that evidence" % label,
       "\n".join(bad[:10]))

    # Evidence read from a flow is known before that flow's last record is
    # written; a MAC's evidence is known for every later frame of it.
    last = {}
    for f in fl:
        last[f.get("flow_id")] = f
    missing = []
    contact = ("dns.query", "tls.sni", "http.host")
    for e in evs:
        dev = get(e, "evidence.device") or ""
        if get(e, "evidence.field") in contact:
            continue
        if dev.startswith("ip=") and e.get("flow_id") in last:
            f = last[e["flow_id"]]
            for side in ("src_ip", "dest_ip"):
                if f.get(side) == dev[3:] and side not in (f.get("vendor") or {}):
                    missing.append("flow %s lacks vendor.%s for %s" % (f.get("flow_id"), side,
                                                                       dev))
        elif dev.startswith("mac="):
            for f in fl:
                if (get(f, "flow.end") or "") < e.get("timestamp", ""):
                    continue
                for side in ("src_mac", "dest_mac"):
                    if get(f, "ether." + side) == dev[4:] and \
                            side not in (f.get("vendor") or {}):
                        missing.append("flow %s lacks vendor.%s for %s"
                                       % (f.get("flow_id"), side, dev))
    ok(not missing, "%s: flows whose endpoints have evidence carry the vendor object" % label,
       "\n".join(sorted(set(missing))[:10]))


def check_flow_table(cap, events):
    fl = flows(events)
    for c, want, vendor in FLOW_VENDOR:
        if c != cap:
            continue
        m = [f for f in fl if all(f.get(k) == v for k, v in want.items())]
        ok(m, "%s: a flow with %s" % (cap.rsplit("/", 1)[-1], want), "\n".join(map(str, fl)))
        for f in m:
            eq(f.get("vendor"), vendor, "%s: flow %s vendor object"
               % (cap.rsplit("/", 1)[-1], " ".join("%s=%s" % kv for kv in want.items())))


# -------------------------------------------------------------------- main

def main():
    if not os.path.isfile(EXPECTED):
        ok(False, "expectations found: " + EXPECTED)
        return lib.done()
    rows = load_expected()
    caps = []
    for r in rows:
        if r["capture"] not in caps:
            caps.append(r["capture"])
    crafted = sorted(V + n for n in os.listdir(lib.path(V)) if n.endswith(".pcap"))
    eq(sorted(set(crafted) - set(caps)), [], "every crafted vendor capture has expectations")
    for cap in caps:
        if not ok(os.path.isfile(lib.path(cap)), "%s: capture present" % cap):
            continue
        rc, events = run_capture(cap)
        if rc is None:
            continue
        label = cap.rsplit("/", 1)[-1]
        lib.guard(label, check_shape, label, events)
        for r in rows:
            if r["capture"] == cap:
                lib.guard(label, check_row, r, events)
        lib.guard(label, check_mac_facts, cap, events)
        lib.guard(label, check_flow_vendor, label, events)
        lib.guard(label, check_flow_table, cap, events)
    return lib.done()


if __name__ == "__main__":
    sys.exit(main())
