"""threads.py - --threads N gives the results of one thread.

Every bundled capture is read with --threads 1, 2 and 3: the flow records
(as 5-tuples with their counters, application and end reason), the
evidence, the devices with their verdicts and the exposure findings must be
the same; only flow ids and the order of events may differ. The stats
event's totals agree and its per-worker counters add up. A capture made of
many files and tunnels (the dispatcher hashes the inner flow) is included.
"""
import glob
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lib  # noqa: E402

SKIP_SAME = {"corrupt_header.pcap", "bad_linktype.pcap"}  # rejected inputs: checked below


def flow_key(e):
    f = e["flow"]
    return tuple(str(x) for x in (e.get("src_ip"), e.get("src_port"), e.get("dest_ip"), e.get("dest_port"),
            e.get("proto"), e.get("app_proto"), f.get("pkts_toserver"), f.get("pkts_toclient"),
            f.get("bytes_toserver"), f.get("bytes_toclient"), f.get("reason"), f.get("start"),
            f.get("end"), json.dumps(e.get("vendor"), sort_keys=True)))


def summary(events, report):
    fl = sorted(flow_key(e) for e in events if e.get("event_type") == "flow")
    ev = sorted((e["evidence"]["device"], e["evidence"]["rule"], e["evidence"]["value"])
                for e in events if e.get("event_type") == "evidence")
    devs = sorted((d["id"], d["vendor"], round(d["confidence"], 6), d.get("role"),
                   d.get("model"), tuple(d.get("ips", [])), len(d.get("evidence", [])))
                  for d in report.get("devices", []))
    cands = sorted(d["id"] for d in report.get("candidates", []))
    expo = sorted((x["id"], x["severity"], x["kind"]) for x in report.get("exposures", []))
    finals = sorted(e["device"]["id"] for e in events
                    if e.get("event_type") == "device" and e["device"].get("change") == "final")
    return {"flows": fl, "evidence": ev, "devices": devs, "candidates": cands,
            "exposures": expo, "final_device_events": finals}


def run_threads(files, n, tmp):
    rep = os.path.join(tmp, "r%d.json" % n)
    label = "%s --threads %d" % (" ".join(os.path.basename(f) for f in files), n)
    rc, events, err = lib.run(files, ["-q", "--threads", str(n), "--report", rep], label)
    report = {}
    if rc == 0 and os.path.exists(rep):
        with open(rep) as fh:
            report = json.load(fh)
    return rc, events, report, err


def compare(files, tmp, threads=(2, 3)):
    name = " ".join(os.path.basename(f) for f in files)
    rc1, ev1, rep1, err1 = run_threads(files, 1, tmp)
    if not lib.ok(rc1 in (0, 1) and ev1, "%s: --threads 1 runs" % name, err1):
        return
    base = summary(ev1, rep1)
    st1 = lib.stats(ev1)
    for n in threads:
        rc, ev, rep, err = run_threads(files, n, tmp)
        lib.ok(rc == rc1, "%s: --threads %d runs, exit %s like one thread" % (name, n, rc1), err)
        got = summary(ev, rep)
        diff = [k for k in base if base[k] != got[k]]
        lib.ok(not diff, "%s: --threads %d = --threads 1 (%d flows, %d evidence, %d devices, "
               "%d findings)" % (name, n, len(base["flows"]), len(base["evidence"]),
                                 len(base["devices"]), len(base["exposures"])),
               "\n".join("%s:\n only 1: %r\n only %d: %r" % (
                   k, [x for x in base[k] if x not in got[k]][:5], n,
                   [x for x in got[k] if x not in base[k]][:5]) for k in diff))
        st = lib.stats(ev)
        w = st.get("workers", [])
        same = (st.get("capture", {}).get("packets") == st1.get("capture", {}).get("packets") and
                st.get("flow", {}).get("created") == st1.get("flow", {}).get("created") and
                st.get("decoder") == st1.get("decoder"))
        adds = (len(w) == n and sum(x["packets"] for x in w) == st["capture"]["packets"] and
                sum(x["flows"] for x in w) == st["flow"]["created"])
        lib.ok(same and adds, "%s: --threads %d stats: same totals, %d workers adding up"
               % (name, n, n), json.dumps({"1": st1.get("capture"), str(n): st.get("capture"),
                                          "workers": w}))


def main():
    caps = []
    for sub in ("crafted", "agreement", "vendor", "exposure", "shared"):
        caps += sorted(glob.glob(lib.path("tests", "pcap", sub, "*.pcap*")))
    with tempfile.TemporaryDirectory() as tmp:
        for c in caps:
            if os.path.basename(c) in SKIP_SAME:
                continue
            compare([c], tmp, threads=(2,) if "shared" not in c else (2, 3))
        # Many files as one timeline.
        many = [lib.path("tests", "pcap", "crafted", x) for x in
                ("gre_ip.pcap", "vxlan.pcap", "gtpu.pcap", "ipip.pcap", "ipv4_frag.pcap",
                 "frag_icmp.pcap", "split_part1.pcap", "split_part2.pcap")]
        compare(many, tmp, threads=(2, 4))
        # Errors are the same errors.
        for bad in ("corrupt_header.pcap", "bad_linktype.pcap"):
            f = lib.path("tests", "pcap", "crafted", bad)
            rc1, _, _, e1 = run_threads([f], 1, tmp)
            rc2, _, _, e2 = run_threads([f], 2, tmp)
            lib.ok(rc1 == rc2 == 1 and e1 == e2, "%s: the same error with 2 threads" % bad,
                   "%s\n%s" % (e1, e2))
    return lib.done()


if __name__ == "__main__":
    sys.exit(main())
