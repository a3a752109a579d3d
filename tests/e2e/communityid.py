#!/usr/bin/env python3
"""communityid.py - Community ID of flow events against the spec's baseline.

Runs telexpose on the Community ID specification's pcaps
(tests/data/community-id/pcaps, BSD-3-Clause, corelight/community-id-spec)
and checks every flow event's community_id against baseline_deflt.json, the
IDs the reference implementation computed for the same packets.
TAP output.
"""
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile

srcdir = os.environ.get("srcdir", ".")
exe = os.environ.get("TELEXPOSE", "./src/telexpose")
data = os.path.join(srcdir, "tests", "data", "community-id")

n = 0
failed = 0


def ok(cond, msg, diag=None):
    global n, failed
    n += 1
    print("%s %d - %s" % ("ok" if cond else "not ok", n, msg))
    if not cond:
        failed += 1
        for line in (diag or "").splitlines():
            print("# " + line)


with open(os.path.join(data, "baseline_deflt.json")) as fh:
    baseline = json.load(fh)
# Key: (proto, saddr, daddr, sport, dport) as the reference printed them.
base = {}
for b in baseline:
    base[(b["proto"], b["saddr"], b["daddr"], b["sport"], b["dport"])] = b["communityid"]

PROTO = {"TCP": 6, "UDP": 17, "SCTP": 132, "ICMP": 1, "IPv6-ICMP": 58}

tmp = tempfile.mkdtemp(prefix="cid-")
try:
    combined = os.path.join(tmp, "combined.pcap")
    with gzip.open(os.path.join(data, "pcaps", "combined.pcap.gz")) as src, \
            open(combined, "wb") as dst:
        shutil.copyfileobj(src, dst)
    inputs = [combined] + [os.path.join(data, "pcaps", f) for f in
                           ("tcp.pcap", "udp.pcap", "sctp.pcap", "icmp.pcap", "icmp6.pcap",
                            "ipv6.pcap", "rsvp.pcap")]
    for path in inputs:
        name = os.path.basename(path)
        r = subprocess.run([exe, "-q", "-r", path], capture_output=True, text=True)
        ok(r.returncode == 0, "%s: telexpose exits 0" % name, r.stderr)
        flows = [json.loads(l) for l in r.stdout.splitlines() if '"event_type":"flow"' in l]
        ok(len(flows) > 0, "%s: flows found" % name)
        checked = 0
        for f in flows:
            proto = PROTO.get(f["proto"])
            if proto is None:
                proto = int(f["proto"])  # "046" style for port-less protocols
            if proto in (1, 58):
                keys = [k for k in base if k[0] == proto and k[1] == f["src_ip"]
                        and k[2] == f["dest_ip"] and k[3] == f["icmp_type"]]
            elif "src_port" in f:
                keys = [(proto, f["src_ip"], f["dest_ip"], f["src_port"], f["dest_port"]),
                        (proto, f["dest_ip"], f["src_ip"], f["dest_port"], f["src_port"])]
                keys = [k for k in keys if k in base]
            else:
                keys = [k for k in base if k[0] == proto and k[3] is None
                        and {k[1], k[2]} == {f["src_ip"], f["dest_ip"]}]
            if not keys:
                continue
            want = base[keys[0]]
            checked += 1
            ok(f.get("community_id") == want,
               "%s: %s %s -> %s community_id" % (name, f["proto"], f["src_ip"], f["dest_ip"]),
               "got %s\nexpected %s" % (f.get("community_id"), want))
        # Every file of the spec set but the port-less ones has baseline tuples.
        ok(checked > 0, "%s: %d flows compared with the baseline" % (name, checked))
finally:
    shutil.rmtree(tmp)

print("1..%d" % n)
sys.exit(1 if failed else 0)
