#!/usr/bin/env python3
"""report.py - end-to-end checks of devices, exposure findings and the report (TAP).

Runs telexpose -r CAPTURE -w EVENTS --report REPORT and checks:

  - the shape of every report and event: docs/schema/report.schema.json and
    docs/schema/events.schema.json (python3-jsonschema, draft 2020-12), and
    what a schema cannot say: summary counts equal the arrays, findings most
    severe first, ids unique and of the form TXE-<kind>-<16 hex>, device
    and exposure events agree with the report, the run's counters agree
    with the stats event, ...
  - every capture of tests/pcap/shared named in tests/e2e/vendor_expected.tsv:
    "device" rows give a device of that vendor, "not_vendor ip=*" rows no
    vendor device for the remote hosts behind a vendor gateway, and
    "no_evidence" captures an empty inventory whose coverage is stated;
  - the crafted scenarios of tests/pcap/exposure (gen_exposure.py, whose
    docstrings say what each capture proves) and the EUI-64 capture of
    tests/pcap/vendor;
  - --home-net: it changes what "outside" means, and a bad item is one clear
    error; the human summary on standard error.

    make check TESTS=tests/e2e/report.py
    TELEXPOSE=/path/to/src/telexpose python3 tests/e2e/report.py   # repo root
"""
import copy
import datetime
import ipaddress
import json
import os
import re
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lib  # noqa: E402
from lib import eq, get, ok  # noqa: E402

SIGDIR = lib.path("signatures")
EXPECTED = lib.path("tests", "e2e", "vendor_expected.tsv")
X = "tests/pcap/exposure/"
SHARED = "tests/pcap/shared/"

SEVERITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
KINDS = {"covered-equipment", "management-service", "management-from-outside",
         "cleartext-management", "vendor-infrastructure"}
MAC_RE = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$")
ID_RE = re.compile(r"^TXE-(?P<tag>[a-z0-9-]+)-[0-9a-f]{16}$")
# The <kind> part of finding ids (docs/exposure.md: "TXE-<kind>-<16 hex>").
ID_TAG = {k: k for k in KINDS}
HUAWEI_CLOUD_NAME = "connectivitycheck.platform.hicloud.com"

try:
    import jsonschema
except ImportError:
    jsonschema = None


# ----------------------------------------------------------------- schemas

def load_validators():
    """(report validator, events validator), or (None, None) after a failed
    assertion."""
    if not ok(jsonschema is not None,
              "python3-jsonschema is installed (apt-get install -y python3-jsonschema)"):
        return None, None
    vals = []
    for name in ("report.schema.json", "events.schema.json"):
        p = lib.path("docs", "schema", name)
        try:
            with open(p, encoding="utf-8") as fh:
                schema = json.load(fh)
            jsonschema.Draft202012Validator.check_schema(schema)
        except Exception as e:  # noqa: BLE001 - any failure to load is the finding
            ok(False, "%s is a valid draft 2020-12 schema" % name, e)
            return None, None
        ok(True, "%s is a valid draft 2020-12 schema" % name)
        vals.append(jsonschema.Draft202012Validator(
            schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER))
    return vals[0], vals[1]


_by_type = {}


def event_errors(validator, event, limit=3):
    """Schema errors of an event, against the definition of its event_type
    (the oneOf of the whole schema says only that no branch matched)."""
    errs = schema_errors(validator, event, limit)
    name = "%s_event" % event.get("event_type")
    if errs and name in validator.schema.get("$defs", {}):
        if name not in _by_type:
            s = dict(validator.schema)
            s.pop("oneOf", None)
            s["allOf"] = [{"$ref": "#/$defs/" + name}]
            _by_type[name] = jsonschema.Draft202012Validator(
                s, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
        errs = schema_errors(_by_type[name], event, limit) or errs
    return errs


def schema_errors(validator, doc, limit=15):
    out = []
    for e in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path)):
        out.append("%s: %s" % ("/".join(str(x) for x in e.absolute_path) or "(top)",
                               e.message[:300]))
        if len(out) >= limit:
            break
    return out


def reachable_defs(defs, roots):
    """Names of the $defs reachable from roots through #/$defs/ references."""
    seen, todo = set(), list(roots)
    while todo:
        n = todo.pop()
        if n in seen or n not in defs:
            continue
        seen.add(n)
        todo += re.findall(r'"#/\$defs/([A-Za-z0-9_]+)"', json.dumps(defs[n]))
    return seen


def sample_report():
    """A small valid report made from the examples of docs/report.md."""
    t0, t1 = "2023-11-14T22:13:20.000000+0000", "2023-11-14T22:13:25.000000+0000"
    dev = {
        "id": "mac=00:e0:fc:00:00:01", "vendor": "Huawei", "counts_as": None, "covered": True,
        "confidence": 0.95, "level": "high", "mac": "00:e0:fc:00:00:01",
        "mac_source": "ethernet", "ips": ["10.20.0.1"], "model": "S5720",
        "version": "V200R011C10SPC600", "hostnames": [], "role": "switch",
        "role_reason": "VRP system description names a switch",
        "first_seen": t0, "last_seen": t1,
        "traffic": {"flows": 1, "packets_sent": 2, "packets_received": 2, "bytes_sent": 100,
                    "bytes_received": 100},
        "alternatives": [],
        "evidence": [{"rule": "huawei-oui-technologies", "pack": "huawei", "vendor": "Huawei",
                      "field": "mac.org", "value": "HUAWEI TECHNOLOGIES CO.,LTD",
                      "confidence": 0.95, "first_seen": t0, "last_seen": t1, "count": 1}],
        "services": [{"proto": "tcp", "port": 23, "name": "telnet"}],
        "exposures": ["TXE-cleartext-management-9a0c1e22d4f5b6a7"],
    }
    exp = {
        "id": "TXE-cleartext-management-9a0c1e22d4f5b6a7", "kind": "cleartext-management",
        "severity": "high", "title": "Telnet to a Huawei device",
        "device": "mac=00:e0:fc:00:00:01", "vendor": "Huawei",
        "addresses": {"mac": "00:e0:fc:00:00:01", "ips": ["10.20.0.1"]},
        "service": {"proto": "tcp", "port": 23, "name": "telnet"},
        "clients": ["10.20.0.100"], "outside_clients": [], "evidence": ["huawei-telnet-stelnet"],
        "flows": {"count": 1, "first_seen": t0, "last_seen": t1, "flow_ids": [3]},
        "first_seen": t0, "last_seen": t1,
    }
    contact = {"host": "10.9.8.7", "mac": None, "vendor": "Huawei",
               "via": ["dns", "network", "tls"], "names": [HUAWEI_CLOUD_NAME],
               "networks": [{"asn": 136907, "org": "HWCLOUDS-AS-AP",
                             "category": "vendor-cloud"}],
               "flows": 3, "bytes_out": 1200, "bytes_in": 5400,
               "first_seen": t0, "last_seen": t1}
    return {
        "report_version": 1,
        "generator": {"name": "telexpose", "version": "0.1"},
        "run": {"inputs": ["a.pcap"], "first_packet": t0, "last_packet": t1, "duration_s": 5.0,
                "packets": 10, "bytes": 1000, "ip_packets": 8, "non_ip": 2,
                "decode_failures": 0, "flows": 1, "flows_evicted": 0,
                "home_net": ["10.0.0.0/8", "fc00::/7"], "home_net_source": "default",
                "packs": [{"id": "huawei", "vendor": "Huawei", "rules": 120}],
                "networks": [{"id": "huawei", "vendor": "Huawei", "prefixes": 300}]},
        "coverage": {"packets": 10, "bytes": 1000, "dropped": None, "loss_ratio": None,
                     "first_packet": t0, "last_packet": t1, "duration_s": 5.0,
                     "ethernet_frames": 10, "local_macs": 2, "local_hosts": 2,
                     "statement": "1 vendor device seen in 10 packets over 5.0 s."},
        "summary": {"devices": 1,
                    "by_vendor": {"Huawei": {"devices": 1, "high": 1, "medium": 0, "low": 0}},
                    "exposures": 1,
                    "by_severity": {"critical": 0, "high": 1, "medium": 0, "low": 0,
                                    "info": 0},
                    "vendor_contacts": 1},
        "devices": [dev],
        "exposures": [exp],
        "vendor_contacts": [contact],
    }


def check_schemas(rv, ev):
    """The schemas accept the documented examples and refuse near-misses,
    and the definitions events.schema.json copies are the report's."""
    good = sample_report()
    eq(schema_errors(rv, good), [], "report schema: accepts a report made from report.md")
    bad = []

    def mutate(label, fn):
        doc = copy.deepcopy(good)
        fn(doc)
        bad.append((label, doc))

    mutate("uppercase MAC", lambda d: d["devices"][0].__setitem__("mac", "00:E0:FC:00:00:01"))
    mutate("unknown severity", lambda d: d["exposures"][0].__setitem__("severity", "urgent"))
    mutate("unknown kind", lambda d: d["exposures"][0].__setitem__("kind", "telnet"))
    mutate("bad exposure id", lambda d: d["exposures"][0].__setitem__("id", "cleartext-1"))
    mutate("unknown role", lambda d: d["devices"][0].__setitem__("role", "toaster"))
    mutate("confidence above 1", lambda d: d["devices"][0].__setitem__("confidence", 1.5))
    mutate("level disagrees with confidence",
           lambda d: d["devices"][0].__setitem__("level", "low"))
    mutate("reported device below 0.5", lambda d: d["devices"][0].update(
        confidence=0.3, level="low"))
    mutate("mac without mac_source", lambda d: d["devices"][0].__setitem__("mac_source", None))
    mutate("no coverage statement", lambda d: d["coverage"].pop("statement"))
    mutate("empty coverage statement", lambda d: d["coverage"].__setitem__("statement", ""))
    mutate("undocumented top-level key", lambda d: d.__setitem__("extra", 1))
    mutate("undocumented device key", lambda d: d["devices"][0].__setitem__("colour", "red"))
    mutate("time with a colon offset", lambda d: d["run"].__setitem__(
        "first_packet", "2023-11-14T22:13:20.000000+00:00"))
    mutate("bad home_net_source", lambda d: d["run"].__setitem__("home_net_source", "guess"))
    mutate("via of an unknown kind", lambda d: d["vendor_contacts"][0].__setitem__(
        "via", ["smoke"]))
    mutate("outside finding without outside clients", lambda d: d["exposures"][0].update(
        kind="management-from-outside", severity="critical"))
    mutate("management-service with outside clients", lambda d: d["exposures"][0].update(
        kind="management-service", severity="low", outside_clients=["198.51.100.7"]))
    mutate("device finding without a device", lambda d: d["exposures"][0].__setitem__(
        "device", None))
    accepted = [label for label, doc in bad if rv.is_valid(doc)]
    eq(accepted, [], "report schema: refuses %d near-misses" % len(bad))

    t = "2023-11-14T22:13:20.000000+0000"
    dev_ev = {"timestamp": t, "event_type": "device", "change": "new",
              "device": good["devices"][0]}
    exp_ev = {"timestamp": t, "event_type": "exposure", "exposure": good["exposures"][0]}
    eq(schema_errors(ev, dev_ev) + schema_errors(ev, exp_ev), [],
       "events schema: accepts device and exposure events made from report.md")
    refused = []
    for label, doc in [
            ("device event with an unknown change",
             dict(dev_ev, change="updated")),
            ("device event without the device", {"timestamp": t, "event_type": "device",
                                                 "change": "new"}),
            ("device event with a bad device", dict(dev_ev, device=dict(
                good["devices"][0], mac="AA-BB-CC-DD-EE-FF"))),
            ("exposure event with a bad severity", dict(exp_ev, exposure=dict(
                good["exposures"][0], severity="severe"))),
            ("exposure event with an extra key", dict(exp_ev, flow_id=3))]:
        if ev.is_valid(doc):
            refused.append(label)
    eq(refused, [], "events schema: refuses malformed device and exposure events")

    with open(lib.path("docs", "schema", "report.schema.json"), encoding="utf-8") as fh:
        rdefs = json.load(fh)["$defs"]
    with open(lib.path("docs", "schema", "events.schema.json"), encoding="utf-8") as fh:
        edefs = json.load(fh)["$defs"]
    names = reachable_defs(rdefs, ["device", "exposure"])
    differ = sorted(n for n in names if rdefs.get(n) != edefs.get(n))
    eq(differ, [], "events.schema.json copies the report's device and exposure "
       "definitions unchanged (%d definitions)" % len(names))


# ------------------------------------------------------------------ running

class Run:
    """One telexpose run: rc, events, report (None when absent), err, cmd."""

    def __init__(self, label):
        self.label, self.rc, self.events, self.report, self.err = label, None, [], None, ""
        self.cmd, self.tmp_left = [], []


def run_report(captures, args=(), label=None, quiet=False):
    """telexpose -r C... -w EVENTS --report REPORT ARGS. One assertion: exit
    0, NDJSON events, a JSON report."""
    if isinstance(captures, str):
        captures = [captures]
    r = Run(label or " ".join(c.rsplit("/", 1)[-1] for c in captures))
    with tempfile.TemporaryDirectory(prefix="telexpose-report-") as tmp:
        evp, rep = os.path.join(tmp, "events.ndjson"), os.path.join(tmp, "report.json")
        r.cmd = [lib.TELEXPOSE, "--signatures", SIGDIR]
        for c in captures:
            r.cmd += ["-r", lib.path(c)]
        r.cmd += ["-w", evp, "--report", rep] + list(args)
        if quiet:
            r.cmd.append("-q")
        problems = []
        try:
            p = subprocess.run(r.cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               timeout=lib.TIMEOUT)
        except (OSError, subprocess.TimeoutExpired) as e:
            ok(False, "%s: telexpose ran" % r.label, "%s\n%s" % (" ".join(r.cmd), e))
            return r
        r.rc, r.err = p.returncode, p.stderr.decode("utf-8", "replace")
        if r.rc != 0:
            problems.append("exit status %d" % r.rc)
        for path, what in ((evp, "events"), (rep, "report")):
            try:
                with open(path, "rb") as fh:
                    data = fh.read().decode("utf-8")
            except (OSError, UnicodeDecodeError) as e:
                problems.append("%s: %s" % (what, e))
                continue
            if what == "events":
                r.events, bad = lib.parse_ndjson(data)
                problems += bad
            else:
                try:
                    r.report = json.loads(data)
                except ValueError as e:
                    problems.append("report is not JSON: %s" % e)
        r.tmp_left = sorted(n for n in os.listdir(tmp) if n not in ("events.ndjson",
                                                                    "report.json"))
    if r.report is not None and not isinstance(r.report, dict):
        problems.append("report is not a JSON object")
        r.report = None
    ok(not problems, "%s: exit 0, NDJSON events (%d), a JSON report" % (r.label, len(r.events)),
       "\n".join([" ".join(r.cmd)] + problems + [r.err[-2000:]]))
    return r


# ---------------------------------------------------------------- helpers

def parse_time(s):
    return datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%f%z")


def ip_key(s):
    a = ipaddress.ip_address(s)
    return (a.version, int(a))


def by_type(events, t):
    return [e for e in events if e.get("event_type") == t]


def devices(r):
    return r.report.get("devices") or []


def exposures(r):
    return r.report.get("exposures") or []


def vendor_is(dev, vendor):
    return vendor == "*" or vendor in (dev.get("vendor"), dev.get("counts_as"))


def dev_by_mac(r, mac):
    return [d for d in devices(r) if d.get("mac") == mac]


def dev_has_ip(d, ip):
    return ip in (d.get("ips") or []) or d.get("id") == "ip=" + ip


def findings(r, kind=None, service=None, device=None):
    out = []
    for x in exposures(r):
        if kind and x.get("kind") != kind:
            continue
        if service and get(x, "service.name") != service:
            continue
        if device and x.get("device") != device:
            continue
        out.append(x)
    return out


def brief(r):
    """Devices, findings and contacts in a few lines, for diagnostics."""
    if not r.report:
        return "(no report)"
    lines = ["devices:"]
    for d in devices(r):
        lines.append("  %s %s conf %s role %s mac %s (%s) ips %s" % (
            d.get("id"), d.get("vendor"), d.get("confidence"), d.get("role"), d.get("mac"),
            d.get("mac_source"), d.get("ips")))
    lines.append("exposures:")
    for x in exposures(r):
        lines.append("  %s %s %s device %s service %s clients %s outside %s" % (
            x.get("id"), x.get("kind"), x.get("severity"), x.get("device"),
            x.get("service"), x.get("clients"), x.get("outside_clients")))
    lines.append("vendor_contacts:")
    for c in r.report.get("vendor_contacts") or []:
        lines.append("  %s" % json.dumps(c, sort_keys=True))
    return "\n".join(lines)


def no_secrets(r, label, secrets):
    """A report is filed and forwarded: the credentials a capture shows must
    not be copied into it or into the events."""
    text = json.dumps(r.report) + "\n".join(json.dumps(e) for e in r.events)
    eq([s for s in secrets if s in text], [], "%s: no credential from the capture in the "
       "report or the events" % label)


def global_endpoints(r):
    """Addresses of flow endpoints that are public (not private, shared,
    documentation, ...)."""
    out = set()
    for f in by_type(r.events, "flow"):
        for k in ("src_ip", "dest_ip"):
            try:
                if ipaddress.ip_address(f.get(k, "")).is_global:
                    out.add(f[k])
            except ValueError:
                pass
    return out


# ---------------------------------------------------------- common checks

def check_common(r, rv, ev):
    """What holds for every run: schemas, counts, order, ids, agreement
    between the events and the report."""
    rep, label = r.report, r.label
    eq(r.tmp_left, [], "%s: no temporary report file left behind" % label)
    if rv is not None:
        eq(schema_errors(rv, rep), [], "%s: the report validates against "
           "report.schema.json" % label)
        errs = []
        for i, e in enumerate(r.events, 1):
            errs += ["event %d (%s): %s" % (i, e.get("event_type"), m)
                     for m in event_errors(ev, e)]
        eq(errs[:15], [], "%s: every event validates against events.schema.json (%d)"
           % (label, len(r.events)))

    devs, exps = devices(r), exposures(r)
    contacts = rep.get("vendor_contacts") or []
    summ = rep.get("summary") or {}
    # summary = the arrays
    eq(summ.get("devices"), len(devs), "%s: summary.devices = len(devices)" % label)
    eq(summ.get("exposures"), len(exps), "%s: summary.exposures = len(exposures)" % label)
    eq(summ.get("vendor_contacts"), len(contacts),
       "%s: summary.vendor_contacts = len(vendor_contacts)" % label)
    want_vendor = {}
    for d in devs:
        v = want_vendor.setdefault(d.get("vendor"), {"devices": 0, "high": 0, "medium": 0,
                                                     "low": 0})
        v["devices"] += 1
        if d.get("level") in v:
            v[d["level"]] += 1
    eq(summ.get("by_vendor"), want_vendor, "%s: summary.by_vendor counts the devices "
       "by vendor and level" % label)
    want_sev = {s: 0 for s in SEVERITY_RANK}
    for x in exps:
        if x.get("severity") in want_sev:
            want_sev[x["severity"]] += 1
    eq(summ.get("by_severity"), want_sev, "%s: summary.by_severity counts the findings"
       % label)
    if "candidates" in summ or "candidates" in rep:
        eq(summ.get("candidates"), len(rep.get("candidates") or []),
           "%s: summary.candidates = len(candidates)" % label)

    # order and ids
    ranks = [SEVERITY_RANK.get(x.get("severity"), 9) for x in exps]
    eq(ranks, sorted(ranks), "%s: findings are sorted most severe first" % label)
    ids = [x.get("id") for x in exps]
    eq(sorted(i for i in set(ids) if ids.count(i) > 1), [], "%s: finding ids are unique"
       % label)
    badid = [(x.get("id"), x.get("kind")) for x in exps
             if not (isinstance(x.get("id"), str) and ID_RE.match(x["id"]) and
                     ID_RE.match(x["id"]).group("tag") == ID_TAG.get(x.get("kind")))]
    eq(badid, [], "%s: finding ids are TXE-<kind>-<16 hex> of their kind" % label)
    dids = [d.get("id") for d in devs]
    eq(sorted(i for i in set(dids) if dids.count(i) > 1), [], "%s: device ids are unique"
       % label)

    # values
    bad = []
    for d in devs + (rep.get("candidates") or []):
        c = d.get("confidence")
        if not (isinstance(c, (int, float)) and 0 <= c <= 1):
            bad.append("%s confidence %r" % (d.get("id"), c))
        for e in (d.get("evidence") or []) + (d.get("alternatives") or []):
            c = e.get("confidence")
            if not (isinstance(c, (int, float)) and 0 <= c <= 1):
                bad.append("%s: %s confidence %r" % (d.get("id"), e.get("rule") or
                                                     e.get("vendor"), c))
        lvl = d.get("level")
        c = d.get("confidence") or 0
        want = "high" if c >= 0.8 else "medium" if c >= 0.5 else "low"
        if lvl != want:
            bad.append("%s confidence %s but level %r" % (d.get("id"), c, lvl))
        confs = [e.get("confidence") or 0 for e in d.get("evidence") or []]
        if confs != sorted(confs, reverse=True):
            bad.append("%s evidence not most confident first: %s" % (d.get("id"), confs))
    eq(bad, [], "%s: confidences in [0,1], levels match, evidence most confident first"
       % label)
    bad = []
    macs = [d.get("mac") for d in devs] + [get(x, "addresses.mac") for x in exps] + \
        [c.get("mac") for c in contacts]
    bad += ["mac %r" % m for m in macs if m is not None and not (isinstance(m, str) and
                                                                  MAC_RE.match(m))]
    for d in devs:
        if isinstance(d.get("id"), str) and d["id"].startswith("mac=") and \
                d.get("mac") != d["id"][4:]:
            bad.append("%s has mac %r" % (d["id"], d.get("mac")))
        ips = d.get("ips") or []
        try:
            if ips != sorted(ips, key=ip_key):
                bad.append("%s ips not sorted: %s" % (d.get("id"), ips))
            if any(ipaddress.ip_address(i).compressed != i for i in ips):
                bad.append("%s ips not canonical: %s" % (d.get("id"), ips))
        except ValueError as e:
            bad.append("%s ips: %s" % (d.get("id"), e))
    eq(bad, [], "%s: MACs lowercase colon form or null; device ips sorted, canonical" % label)

    # devices <-> exposures
    idset = set(ids)
    bad = []
    for d in devs:
        for i in d.get("exposures") or []:
            if i not in idset:
                bad.append("%s lists unknown finding %s" % (d.get("id"), i))
    by_dev = {d.get("id"): d for d in devs}
    for x in exps:
        dv = x.get("device")
        if x.get("kind") == "vendor-infrastructure" and dv not in by_dev:
            # About a host that need not be a device: then it names the host
            # by its address, or nothing.
            host = get(x, "addresses.ips") or []
            if dv is not None and dv not in ["ip=%s" % h for h in host]:
                bad.append("%s names %s, neither a device nor its host %s"
                           % (x.get("id"), dv, host))
            continue
        if dv not in by_dev:
            bad.append("%s is about %s, which is not a reported device" % (x.get("id"), dv))
        elif x.get("id") not in (by_dev[dv].get("exposures") or []):
            bad.append("%s not in %s's exposures" % (x.get("id"), dv))
    eq(bad, [], "%s: devices and findings point at each other" % label)

    # the run, the coverage and the stats event agree
    run, cov = rep.get("run") or {}, rep.get("coverage") or {}
    st = lib.stats(r.events)
    pairs = [("run.packets", run.get("packets"), get(st, "capture.packets")),
             ("run.bytes", run.get("bytes"), get(st, "capture.bytes")),
             ("run.ip_packets", run.get("ip_packets"), get(st, "decoder.ip")),
             ("run.non_ip", run.get("non_ip"), get(st, "decoder.non_ip")),
             ("run.decode_failures", run.get("decode_failures"), get(st, "decoder.invalid")),
             ("run.flows", run.get("flows"), get(st, "flow.created")),
             ("run.flows_evicted", run.get("flows_evicted"), get(st, "flow.evicted")),
             ("run.first_packet", run.get("first_packet"), get(st, "capture.first_packet")),
             ("run.last_packet", run.get("last_packet"), get(st, "capture.last_packet"))]
    for k in ("packets", "bytes", "first_packet", "last_packet", "duration_s"):
        pairs.append(("coverage." + k, cov.get(k), run.get(k)))
    eq([p for p in pairs if p[1] != p[2]], [], "%s: run and coverage agree with the stats "
       "event" % label)
    ok(cov.get("dropped") is None and cov.get("loss_ratio") is None,
       "%s: coverage of a file: dropped and loss_ratio null (unknown)" % label,
       {k: cov.get(k) for k in ("dropped", "loss_ratio")})
    try:
        span = (parse_time(run["last_packet"]) - parse_time(run["first_packet"])).total_seconds()
        ok(abs(run.get("duration_s") - span) < 1e-5, "%s: duration_s = last - first packet"
           % label, "duration_s %r, span %r" % (run.get("duration_s"), span))
    except (KeyError, TypeError, ValueError) as e:
        ok(False, "%s: duration_s = last - first packet" % label, e)
    ok(isinstance(cov.get("statement"), str) and cov["statement"].strip(),
       "%s: coverage.statement is a sentence" % label, cov.get("statement"))

    # device events: one or more per reported device, the last agrees
    devev = by_type(r.events, "device")
    last = {}
    for e in devev:
        last[get(e, "device.id")] = e.get("device") or {}
    eq(sorted(i for i in dids if i not in last), [], "%s: a device event for every "
       "reported device (%d events)" % (label, len(devev)))
    eq(sorted((i, last[i].get("vendor"), by_dev[i].get("vendor")) for i in dids
              if i in last and last[i].get("vendor") != by_dev[i].get("vendor")), [],
       "%s: each device's last event names the report's vendor" % label)
    differ = [i for i in dids if i in last and last[i] != by_dev[i]]
    eq(differ, [], "%s: each device's last event is the report's device object" % label)
    finals = [get(e, "device.id") for e in devev if e.get("change") == "final"]
    eq(sorted(finals), sorted(dids), "%s: one final device event per reported device" % label)

    # exposure events: one per finding, the same objects
    xev = [e.get("exposure") or {} for e in by_type(r.events, "exposure")]
    eq(sorted(x.get("id") or "" for x in xev), sorted(i or "" for i in ids),
       "%s: exposure events and the report's findings match one to one (%d)"
       % (label, len(xev)))
    by_id = {x.get("id"): x for x in exps}
    eq([x.get("id") for x in xev if x.get("id") in by_id and
        (x.get("kind"), x.get("severity"), x.get("device")) !=
        (by_id[x["id"]].get("kind"), by_id[x["id"]].get("severity"),
         by_id[x["id"]].get("device"))], [],
       "%s: exposure events agree with the report (kind, severity, device)" % label)

    # evidence in the report is evidence that was written as events
    written = {(get(e, "evidence.rule"), get(e, "evidence.value"))
               for e in by_type(r.events, "evidence")}
    rules = {k[0] for k in written}
    bad = ["%s: %s=%r" % (d.get("id"), e.get("rule"), e.get("value"))
           for d in devs for e in d.get("evidence") or []
           if (e.get("rule"), e.get("value")) not in written]
    bad += ["%s cites %s" % (x.get("id"), rl) for x in exps for rl in x.get("evidence") or []
            if rl not in rules]
    eq(bad, [], "%s: device evidence and the rules findings cite were written as "
       "evidence events" % label)
    flow_ids = {f.get("flow_id") for f in by_type(r.events, "flow")}
    bad = []
    for x in exps:
        fl = x.get("flows") or {}
        fid = fl.get("flow_ids") or []
        if [i for i in fid if i not in flow_ids]:
            bad.append("%s: flow ids %s not in the flow events" % (x.get("id"), fid))
        if isinstance(fl.get("count"), int) and fl["count"] < len(fid):
            bad.append("%s: flows.count %s < %d ids" % (x.get("id"), fl["count"], len(fid)))
    eq(bad, [], "%s: findings name flows that were written" % label)
    eq(sorted(c.get("host") for c in contacts if c.get("host") in
              {d.get("id", "")[3:] for d in devs if d.get("id", "").startswith("ip=")}), [],
       "%s: no vendor contact is also a device known only by that address" % label)


def checked_run(captures, rv, ev, args=(), label=None, quiet=False):
    r = run_report(captures, args, label, quiet)
    if r.report is not None:
        lib.guard(r.label, check_common, r, rv, ev)
    return r


# ------------------------------------------------------- shared captures

def load_rows():
    rows = []
    with open(EXPECTED, encoding="utf-8") as fh:
        head = fh.readline().rstrip("\n").split("\t")
        for n, line in enumerate(fh, 2):
            cols = line.rstrip("\n").split("\t")
            if len(cols) == len(head):
                rows.append(dict(zip(head, cols), line=n))
    return [r for r in rows if r["capture"].startswith(SHARED)]


def check_shared_capture(cap, rows, r):
    name = cap.rsplit("/", 1)[-1]
    info = brief(r)
    devs = devices(r)
    for row in rows:
        what = "%s (line %d)" % (name, row["line"])
        exp, vendor, key = row["expect"], row["vendor"], row["key"]
        if exp == "device":
            if key.startswith("mac="):
                m = [d for d in devs if d.get("mac") == key[4:] and vendor_is(d, vendor)]
            else:
                m = [d for d in devs if dev_has_ip(d, key[3:]) and vendor_is(d, vendor)]
            ok(m, "%s: a %s device for %s (%s)" % (what, vendor, key, row["note"]), info)
            if m and row.get("model", "-") != "-":
                eq(m[0].get("model"), row["model"], "%s: %s model" % (what, key))
        elif exp == "not_vendor" and key == "ip=*":
            mine = [d for d in devs if vendor_is(d, vendor)]
            remote = global_endpoints(r)
            bad = [d.get("id") for d in mine if d.get("id", "").startswith("ip=")]
            bad += ["%s has %s" % (d.get("id"), i) for d in mine for i in d.get("ips") or []
                    if i in remote]
            eq(bad, [], "%s: remote hosts behind the %s gateway are not %s devices"
               % (what, vendor, vendor))
            keys = {x["key"][4:] for x in rows if x["expect"] == "device" and
                    x["key"].startswith("mac=") and x["vendor"] == vendor}
            eq(sorted(d.get("id") for d in mine if d.get("mac") not in keys), [],
               "%s: the only %s devices are the expected gateways" % (what, vendor))
        elif exp == "not_vendor":
            bad = [d.get("id") for d in devs if vendor_is(d, vendor) and
                   (key == "*" or d.get("id") == key or
                    (key.startswith("ip=") and dev_has_ip(d, key[3:])))]
            eq(bad, [], "%s: %s is not a %s device" % (what, key, vendor))
        elif exp == "no_evidence":
            eq([d.get("id") for d in devs], [], "%s: negative: no device" % what)
            eq([x.get("id") for x in exposures(r) if x.get("kind") != "vendor-infrastructure"],
               [], "%s: negative: no finding about a device" % what)
            cov = r.report.get("coverage") or {}
            ok(isinstance(cov.get("packets"), int) and cov["packets"] > 0 and
               isinstance(cov.get("duration_s"), (int, float)) and
               isinstance(cov.get("statement"), str) and cov["statement"].strip(),
               "%s: negative: coverage states packets, duration and a statement" % what,
               json.dumps(cov))


def shared_captures(rv, ev):
    rows = load_rows()
    ok(rows, "vendor_expected.tsv names captures under %s (%d rows)" % (SHARED, len(rows)))
    caps = []
    for row in rows:
        if row["capture"] not in caps:
            caps.append(row["capture"])
    for cap in caps:
        if not ok(os.path.isfile(lib.path(cap)), "%s: capture present" % cap):
            continue
        r = checked_run(cap, rv, ev)
        if r.report is not None:
            lib.guard(r.label, check_shared_capture, cap, [x for x in rows if
                                                           x["capture"] == cap], r)


# ------------------------------------------------------ crafted scenarios

def scenario_gateway(rv, ev):
    """a. gateway_300.pcap: one Huawei router, not 300 Huawei hosts."""
    r = checked_run(X + "gateway_300.pcap", rv, ev)
    if r.report is None:
        return
    n, info = "gateway_300", brief(r)
    devs = devices(r)
    ok([d.get("id") for d in devs] == ["mac=48:46:fb:00:00:01"], "%s: exactly one device, "
       "the gateway's MAC" % n, info)
    g = devs[0] if len(devs) == 1 else {}
    eq(g.get("vendor"), "Huawei", "%s: the gateway is Huawei" % n)
    eq(g.get("mac"), "48:46:fb:00:00:01", "%s: the gateway's mac" % n)
    eq(g.get("role"), "router", "%s: the gateway's role is router" % n)
    eq(g.get("ips"), ["192.168.1.1"], "%s: the gateway's ips are its ARP-bound LAN address"
       % n)
    ok(isinstance(g.get("role_reason"), str) and g["role_reason"].strip(),
       "%s: role_reason says why" % n, g.get("role_reason"))
    public = {"23.20.%d.%d" % (i // 200, 10 + i % 200) for i in range(300)}
    eq(sorted(d.get("id") for d in devs if set(d.get("ips") or []) & public or
              d.get("id", "")[3:] in public), [], "%s: no device has any of the 300 "
       "internet addresses" % n)
    cov = [x for x in exposures(r) if x.get("kind") == "covered-equipment"]
    eq([(x.get("device"), x.get("severity")) for x in cov],
       [("mac=48:46:fb:00:00:01", "high")], "%s: covered-equipment, high (a router)" % n)
    eq(sorted(x.get("kind") for x in exposures(r)), ["covered-equipment"],
       "%s: no other finding (the 300 web servers are not vendor services)" % n)
    eq(r.report.get("vendor_contacts"), [], "%s: no vendor contact" % n)
    c = r.report.get("coverage") or {}
    eq((c.get("packets"), c.get("ethernet_frames"), c.get("local_macs"),
        c.get("local_hosts")), (2404, 2404, 2, 2),
       "%s: coverage: 2404 frames with MACs, 2 MACs, 2 local addresses" % n)
    eq(get(r.report, "run.home_net_source"), "default", "%s: home_net_source default" % n)
    hn = get(r.report, "run.home_net") or []
    eq([c for c in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10")
        if c not in hn], [], "%s: the default home_net holds the private and shared ranges"
       % n)
    tail = "\n".join(r.err.strip().splitlines()[-12:])
    ok("Huawei" in tail, "%s: the stderr summary names the Huawei device" % n, r.err[-1500:])


def scenario_eui64(rv, ev):
    """b. eui64_zte_cpe.pcap: a ZTE CPE known only by its EUI-64 address."""
    r = checked_run("tests/pcap/vendor/eui64_zte_cpe.pcap", rv, ev)
    if r.report is None:
        return
    n, info = "eui64_zte_cpe", brief(r)
    cpe_ip = "2001:db8:1:0:21e:73ff:fe12:3456"
    m = [d for d in devices(r) if d.get("vendor") == "ZTE"]
    eq(len(m), 1, "%s: one ZTE device" % n)
    d = m[0] if m else {}
    eq(d.get("mac"), "00:1e:73:12:34:56", "%s: its mac is recovered from the EUI-64" % n)
    eq(d.get("mac_source"), "eui64", "%s: mac_source eui64" % n)
    ok(cpe_ip in (d.get("ips") or []), "%s: its IPv6 address is in ips" % n, info)
    eq([x.get("id") for x in devices(r) if x.get("mac") == "00:1b:21:aa:bb:cc" or
        x.get("id") == "mac=00:1b:21:aa:bb:cc"], [], "%s: the router is not a device" % n)
    eq([x.get("id") for x in devices(r) if dev_has_ip(x, "2001:db8:ff::10")], [],
       "%s: the server is not a device" % n)
    eq(len(devices(r)), 1, "%s: exactly one device" % n)
    eq([x.get("severity") in ("medium", "high") for x in
        findings(r, "covered-equipment", device=d.get("id"))], [True],
       "%s: one covered-equipment finding for the CPE" % n)


def scenario_cloud_client(rv, ev):
    """c. vendor_cloud_client.pcap: a host talking to Huawei, not a Huawei."""
    r = checked_run(X + "vendor_cloud_client.pcap", rv, ev)
    if r.report is None:
        return
    n, info = "vendor_cloud_client", brief(r)
    eq([d.get("id") for d in devices(r)], [], "%s: no device (the client is not Huawei)" % n)
    cs = r.report.get("vendor_contacts") or []
    eq([(c.get("host"), c.get("vendor")) for c in cs], [("10.9.9.9", "Huawei")],
       "%s: one vendor contact: 10.9.9.9 with Huawei" % n)
    c = cs[0] if len(cs) == 1 else {}
    eq(sorted({"dns", "tls", "network"} - set(c.get("via") or [])), [],
       "%s: via dns, tls and network" % n)
    ok(HUAWEI_CLOUD_NAME in (c.get("names") or []), "%s: names hold the hicloud name" % n,
       info)
    asns = sorted({x.get("asn") for x in c.get("networks") or []})
    ok(131444 in asns and 136907 in asns, "%s: networks hold AS131444 (159.138.223.0/24) and "
       "AS136907 (1.178.32.0/19)" % n, "networks: %s\nrun.networks: %s"
       % (c.get("networks"), get(r.report, "run.networks")))
    eq(c.get("mac"), "00:1b:21:44:55:66", "%s: the contact's MAC (ARP-bound)" % n)
    eq(c.get("flows"), 2, "%s: 2 flows reached Huawei (the DNS query reached the resolver)"
       % n)
    ok(isinstance(c.get("bytes_out"), int) and c["bytes_out"] > 0 and
       isinstance(c.get("bytes_in"), int) and c["bytes_in"] > 0,
       "%s: bytes both ways" % n, info)
    vi = findings(r, "vendor-infrastructure")
    eq([(x.get("severity"), x.get("vendor"), get(x, "addresses.ips")) for x in vi],
       [("low", "Huawei", ["10.9.9.9"])], "%s: one low vendor-infrastructure finding for "
       "10.9.9.9" % n)
    eq(sorted(x.get("kind") for x in exposures(r)), ["vendor-infrastructure"],
       "%s: no other finding" % n)


def scenario_cleartext(rv, ev):
    """d. cleartext_mgmt.pcap: Telnet and SNMPv2c to a Huawei switch."""
    r = checked_run(X + "cleartext_mgmt.pcap", rv, ev)
    if r.report is None:
        return
    n, info = "cleartext_mgmt", brief(r)
    dev = "mac=00:e0:fc:00:00:01"
    eq([d.get("id") for d in devices(r)], [dev], "%s: one device, the switch's MAC (its "
       "ip= evidence merged through ARP)" % n)
    d = devices(r)[0] if len(devices(r)) == 1 else {}
    eq(d.get("vendor"), "Huawei", "%s: the switch is Huawei" % n)
    eq(d.get("ips"), ["10.20.0.1"], "%s: the switch's ips" % n)
    fields = {e.get("field") for e in d.get("evidence") or []}
    eq(sorted({"mac.org", "telnet.banner", "snmp.sysdescr"} - fields), [],
       "%s: the device holds its MAC, banner and sysDescr evidence" % n)
    eq((d.get("model"), d.get("version")), ("S5720", "V200R011C10SPC600"),
       "%s: model and version from the sysDescr" % n)
    eq([x.get("id") for x in devices(r) if dev_has_ip(x, "10.20.0.100") or
        x.get("mac") == "00:1b:21:00:00:64"], [], "%s: the manager is not a device" % n)
    for svc, port, proto in (("telnet", 23, "tcp"), ("snmp", 161, "udp")):
        ct = findings(r, "cleartext-management", svc, dev)
        eq([(x.get("severity"), get(x, "service.port"), get(x, "service.proto"))
            for x in ct], [("high", port, proto)],
           "%s: cleartext-management for %s, high" % (n, svc))
        ms = findings(r, "management-service", svc, dev)
        eq([(x.get("severity"), x.get("clients"), x.get("outside_clients")) for x in ms],
           [("low", ["10.20.0.100"], [])],
           "%s: management-service %s, low, client 10.20.0.100" % (n, svc))
        ok(all((get(x, "flows.count") or 0) >= 1 for x in ct + ms),
           "%s: the %s findings count their flows" % (n, svc), info)
    cov = findings(r, "covered-equipment", device=dev)
    eq([x.get("severity") in ("medium", "high") for x in cov], [True],
       "%s: covered-equipment, medium or high" % n)
    eq(findings(r, "management-from-outside"), [], "%s: nothing reached from outside" % n)
    eq(sorted(s.get("name") for s in d.get("services") or []), ["snmp", "telnet"],
       "%s: the device's services are telnet and snmp" % n)
    eq(sorted(d.get("exposures") or []), sorted(x.get("id") for x in exposures(r)),
       "%s: the device lists its five findings" % n)
    eq(len(exposures(r)), 5, "%s: five findings" % n)
    no_secrets(r, n, ["Huawei@123", '"public"'])

    # Same capture, same ids, same report.
    r2 = run_report(X + "cleartext_mgmt.pcap", label="cleartext_mgmt (second run)")
    if r2.report is not None:
        eq([x.get("id") for x in exposures(r2)], [x.get("id") for x in exposures(r)],
           "%s: finding ids are stable across runs" % n)
        eq(r2.report, r.report, "%s: a second run writes the same report" % n)


def scenario_outside(rv, ev):
    """e. http_admin_outside.pcap: a ZTE web admin reached from the internet."""
    r = checked_run(X + "http_admin_outside.pcap", rv, ev)
    if r.report is None:
        return
    n, info = "http_admin_outside", brief(r)
    dev = "mac=24:d3:f2:00:00:01"
    eq([d.get("id") for d in devices(r)], [dev], "%s: one device, the ZTE gateway" % n)
    d = devices(r)[0] if len(devices(r)) == 1 else {}
    eq(d.get("vendor"), "ZTE", "%s: the gateway is ZTE" % n)
    ok("192.168.1.1" in (d.get("ips") or []), "%s: its ips hold 192.168.1.1" % n, info)
    eq(d.get("model"), "ZXHN H108N", "%s: model from the page title" % n)
    out = findings(r, "management-from-outside", "http", dev)
    eq([(x.get("severity"), x.get("outside_clients"), get(x, "service.port"))
        for x in out], [("critical", ["198.51.100.77"], 80)],
       "%s: management-from-outside, critical, http from 198.51.100.77" % n)
    ct = findings(r, "cleartext-management", "http", dev)
    eq([x.get("severity") for x in ct], ["high"], "%s: cleartext-management (HTTP Basic "
       "credentials), high" % n)
    eq(findings(r, "management-service", "http"), [], "%s: no management-service: the "
       "service was reached from outside" % n)
    no_secrets(r, n, ["YWRtaW46YWRtaW4=", "admin:admin"])
    eq([x.get("id") for x in devices(r) if dev_has_ip(x, "198.51.100.77") or
        x.get("mac") == "00:1b:21:99:99:99"], [], "%s: the public client and its router "
       "are not devices" % n)
    r2 = run_report(X + "http_admin_outside.pcap", label="http_admin_outside (second run)")
    if r2.report is not None:
        eq(sorted(x.get("id") for x in exposures(r2)), sorted(x.get("id") for x in
                                                              exposures(r)),
           "%s: finding ids are stable across runs" % n)

    # With the client's network declared local, nothing is "outside".
    nets = ["192.168.1.0/24", "198.51.100.0/24"]
    h = checked_run(X + "http_admin_outside.pcap", rv, ev, ["--home-net", ",".join(nets)],
                    label="http_admin_outside --home-net")
    if h.report is None:
        return
    n = "http_admin_outside --home-net"
    eq(findings(h, "management-from-outside"), [], "%s: no management-from-outside" % n)
    eq([(x.get("severity"), x.get("clients"), x.get("outside_clients"))
        for x in findings(h, "management-service", "http", dev)],
       [("low", ["198.51.100.77"], [])], "%s: management-service http, low, a local client"
       % n)
    eq([x.get("severity") for x in findings(h, "cleartext-management", "http", dev)],
       ["high"], "%s: the Basic credentials are still cleartext-management" % n)
    eq((get(h.report, "run.home_net"), get(h.report, "run.home_net_source")),
       (nets, "option"), "%s: run.home_net as given, source option" % n)


def scenario_quiet(rv, ev):
    """f. quiet_lan.pcap: nothing to report, and the report says how much
    was looked at."""
    r = checked_run(X + "quiet_lan.pcap", rv, ev)
    if r.report is None:
        return
    n = "quiet_lan"
    eq(r.report.get("devices"), [], "%s: devices []" % n)
    eq(r.report.get("exposures"), [], "%s: exposures []" % n)
    eq(r.report.get("vendor_contacts"), [], "%s: vendor_contacts []" % n)
    c = r.report.get("coverage") or {}
    eq((c.get("packets"), c.get("local_macs"), c.get("local_hosts")), (16, 3, 3),
       "%s: coverage: 16 packets, 3 MACs, 3 local addresses" % n)
    ok(isinstance(c.get("statement"), str) and "16" in c["statement"],
       "%s: the statement quotes the packets seen" % n, c.get("statement"))
    tail = "\n".join(r.err.strip().splitlines()[-12:]).lower()
    ok("no vendor device" in tail, "%s: the stderr summary says no vendor device" % n,
       r.err[-1500:])
    q = run_report(X + "quiet_lan.pcap", label="quiet_lan -q", quiet=True)
    eq(q.err, "", "%s: -q: nothing on standard error" % n)


def bad_home_net():
    cap = lib.path(X, "quiet_lan.pcap")
    for spec, item in (("300.1.1.1/8", "300.1.1.1/8"),
                       ("192.168.0.0/16,300.1.1.1/8", "300.1.1.1/8"),
                       ("10.0.0.0/33", "10.0.0.0/33"),
                       ("2001:db8::/129", "2001:db8::/129"),
                       ("10.0.0.0/8,,", None)):
        with tempfile.TemporaryDirectory(prefix="telexpose-report-") as tmp:
            rep = os.path.join(tmp, "r.json")
            cmd = [lib.TELEXPOSE, "-r", cap, "-w", os.path.join(tmp, "e"), "--report", rep,
                   "--home-net", spec]
            try:
                p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   timeout=lib.TIMEOUT)
            except (OSError, subprocess.TimeoutExpired) as e:
                ok(False, "--home-net %s: telexpose ran" % spec, e)
                continue
            err = p.stderr.decode("utf-8", "replace")
            lines = err.strip().splitlines()
            # A bad option value is a usage error (README: exit status 2), as
            # for --flow-memcap and --timeout.
            eq(p.returncode, 2, "--home-net %s: exits 2 (usage error)" % spec)
            ok(len(lines) == 1 and (item is None or item in lines[0]),
               "--home-net %s: one stderr line%s" % (spec, "" if item is None else
                                                     " naming " + item), err)
            ok(not os.path.exists(rep), "--home-net %s: no report written" % spec)


def report_to_stdout():
    cap = lib.path(X, "cleartext_mgmt.pcap")
    with tempfile.TemporaryDirectory(prefix="telexpose-report-") as tmp:
        cmd = [lib.TELEXPOSE, "-q", "-r", cap, "-w", os.path.join(tmp, "e"), "--report", "-"]
        try:
            p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               timeout=lib.TIMEOUT)
            doc = json.loads(p.stdout.decode("utf-8"))
        except (OSError, subprocess.TimeoutExpired, ValueError) as e:
            ok(False, "--report -: the report on standard output", e)
            return
        ok(p.returncode == 0 and isinstance(doc, dict) and len(doc.get("devices") or []) == 1,
           "--report -: the report on standard output", p.stderr.decode("utf-8", "replace"))


# -------------------------------------------------------------------- main

def main():
    rv, ev = load_validators()
    if rv is not None:
        lib.guard("schemas", check_schemas, rv, ev)
    for fn in (scenario_gateway, scenario_eui64, scenario_cloud_client, scenario_cleartext,
               scenario_outside, scenario_quiet):
        lib.guard(fn.__name__, fn, rv, ev)
    lib.guard("bad --home-net", bad_home_net)
    lib.guard("--report -", report_to_stdout)
    lib.guard("shared captures", shared_captures, rv, ev)
    return lib.done()


if __name__ == "__main__":
    sys.exit(main())
