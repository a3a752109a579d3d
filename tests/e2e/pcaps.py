#!/usr/bin/env python3
"""pcaps.py - end-to-end checks of telexpose on captures (TAP).

Crafted captures (tests/pcap/crafted, written by tests/pcap/gen.py): each
case asserts the user-visible fields it exists for. Real captures
(tests/pcap/shared, see SOURCES.tsv): the expected values were read with
tshark, not from telexpose. Last, invariants that hold for every run:
every packet is accounted for, every flow ends in exactly one final record.

    make check TESTS=tests/e2e/pcaps.py
    TELEXPOSE=/path/to/src/telexpose python3 tests/e2e/pcaps.py   # repo root
"""
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lib  # noqa: E402
from lib import eq, find, flows, get, ok, pkts, stats  # noqa: E402

CRAFTED = lib.path("tests", "pcap", "crafted")
SHARED = lib.path("tests", "pcap", "shared")
# Files that must make telexpose fail; everything else in crafted/ must not.
ERROR_FILES = {"bad_linktype.pcap", "corrupt_header.pcap", "empty.pcap", "truncated.pcap"}

T = "2023-11-14T22:13:%02d.%06d+0000"  # gen.py's T0 is 22:13:20
MAC_A, MAC_B = "02:00:00:00:00:0a", "02:00:00:00:00:0b"
IN_A, IN_B = "02:00:00:00:0e:01", "02:00:00:00:0e:02"  # inner MACs of tunnels

ALL_FLOW_IDS = []  # (label, flow_id) of every flow event seen


def crafted(name):
    return os.path.join(CRAFTED, name)


def shared(name):
    return os.path.join(SHARED, name)


def run(files, args=(), label=None):
    rc, ev, err = lib.run(files, ["-q"] + list(args), label)
    ALL_FLOW_IDS.extend((label or files[0], f.get("flow_id")) for f in flows(ev))
    return rc, ev, err


def run_ok(name, args=()):
    """Run one crafted capture that must succeed: (flow events, stats)."""
    label = name + ("" if not args else " " + " ".join(args))
    rc, ev, err = run([crafted(name)], args, label)
    eq(rc, 0, "%s: exit status 0" % label)
    if err:
        lib.diag("stderr: " + err)
    return flows(ev), stats(ev)


def one(fl, label, **want):
    """Exactly one flow event matching want; returns it ({} otherwise)."""
    m = find(fl, **want)
    ok(len(m) == 1, "%s: one flow %s" % (label, " ".join("%s=%s" % kv for kv in want.items())),
       "matching: %d\nflows:\n%s" % (len(m), "\n".join(map(str, fl))))
    return m[0] if len(m) == 1 else {}


def tuple_is(f, label, src, sport, dst, dport, proto):
    got = (f.get("src_ip"), f.get("src_port"), f.get("dest_ip"), f.get("dest_port"),
           f.get("proto"))
    eq(got, (src, sport, dst, dport, proto), "%s: 5-tuple and direction" % label)


def counts_are(f, label, toserver, toclient):
    eq((get(f, "flow.pkts_toserver"), get(f, "flow.pkts_toclient")), (toserver, toclient),
       "%s: pkts_toserver/pkts_toclient" % label)


def tunnel_is(f, label, ttype, src, dst, tid):
    want = {"type": ttype, "src_ip": src, "dest_ip": dst}
    if tid is not None:
        want["id"] = tid
    eq(f.get("tunnel"), want, "%s: tunnel object" % label)


def decoder_clean(st, label, ip):
    eq((get(st, "decoder.ip"), get(st, "decoder.invalid"), get(st, "decoder.frag_orphans")),
       (ip, 0, 0), "%s: decoder ip/invalid/frag_orphans" % label)


# ------------------------------------------------------------ link types

def t_eth():
    fl, st = run_ok("eth.pcap")
    eq(len(fl), 1, "eth: one flow (ARP and STP make none)")
    f = one(fl, "eth", src_ip="192.0.2.1")
    tuple_is(f, "eth", "192.0.2.1", 40000, "192.0.2.2", 40001, "UDP")
    counts_are(f, "eth", 1, 1)
    eq((get(f, "flow.bytes_toserver"), get(f, "flow.bytes_toclient")), (53, 54),
       "eth: bytes are frame lengths")
    eq(f.get("ether"), {"src_mac": MAC_A, "dest_mac": MAC_B}, "eth: ether MACs")
    eq((f.get("timestamp"), get(f, "flow.start"), get(f, "flow.end"), get(f, "flow.age")),
       (T % (20, 0), T % (20, 0), T % (21, 0), 1), "eth: timestamp, start, end, age")
    eq((get(f, "flow.state"), get(f, "flow.reason")), ("established", "end_of_input"),
       "eth: state and reason")
    eq((get(st, "capture.packets"), get(st, "capture.bytes"), get(st, "decoder.ip"),
        get(st, "decoder.non_ip")), (4, 201, 2, 2), "eth: capture packets/bytes, ip, non_ip")
    eq((get(st, "capture.first_packet"), get(st, "capture.last_packet")),
       (T % (20, 0), T % (22, 0)), "eth: first/last packet times")


def t_sll():
    fl, st = run_ok("sll.pcap")
    eq(len(fl), 2, "sll: two flows")
    f = one(fl, "sll", src_port=41001)
    tuple_is(f, "sll", "198.51.100.1", 41001, "198.51.100.2", 42001, "UDP")
    counts_are(f, "sll", 1, 1)
    eq(f.get("ether"), {"src_mac": "02:00:00:00:01:01", "dest_mac": "02:00:00:00:01:02"},
       "sll: MACs from each side's cooked header")
    g = one(fl, "sll", src_port=3333)
    eq(get(g, "ether.src_mac"), "02:00:00:00:01:01", "sll one-way: src_mac")
    ok(get(g, "ether.dest_mac") != "00:00:00:00:00:00",
       "sll one-way: no made-up dest_mac (a cooked header has no destination)",
       "ether: %r" % g.get("ether"))


def t_sll2():
    fl, st = run_ok("sll2.pcap")
    eq(len(fl), 2, "sll2: two flows")
    f = one(fl, "sll2", src_ip="2001:db8:2::1")
    tuple_is(f, "sll2", "2001:db8:2::1", 5001, "2001:db8:2::2", 5002, "UDP")
    counts_are(f, "sll2", 1, 1)
    eq(f.get("ether"), {"src_mac": "02:00:00:00:02:01", "dest_mac": "02:00:00:00:02:02"},
       "sll2: MACs")
    g = one(fl, "sll2", src_ip="198.51.100.9")
    tuple_is(g, "sll2 ipv4", "198.51.100.9", 5003, "198.51.100.2", 5004, "UDP")


def two_families(name, v4, v6):
    fl, st = run_ok(name)
    eq(sorted((f.get("src_ip"), f.get("src_port"), f.get("dest_ip"), f.get("dest_port"))
              for f in fl), sorted([v4, v6]), "%s: an IPv4 and an IPv6 flow" % name)
    decoder_clean(st, name, 2)
    eq(get(st, "decoder.non_ip"), 0, "%s: non_ip 0" % name)
    return fl


def t_raw_and_loopback():
    fl = two_families("raw.pcap", ("192.0.2.101", 1010, "192.0.2.102", 1011),
                      ("2001:db8:101::1", 1012, "2001:db8:101::2", 1013))
    ok(all("ether" not in f for f in fl), "raw.pcap: no ether object without a link header")
    two_families("null_le.pcap", ("127.0.0.1", 3001, "127.0.0.2", 3002),
                 ("::1", 3003, "::2", 3004))
    two_families("null_be.pcap", ("127.0.0.3", 3005, "127.0.0.4", 3006),
                 ("::3", 3007, "::4", 3008))
    two_families("loop.pcap", ("127.0.1.1", 3009, "127.0.1.2", 3010),
                 ("::5", 3011, "::6", 3012))
    for name, a, b, pa, pb in (("ipv4.pcap", "192.0.2.228", "192.0.2.229", 2280, 2281),
                               ("ipv6.pcap", "2001:db8:229::1", "2001:db8:229::2", 2290, 2291)):
        fl, st = run_ok(name)
        eq(len(fl), 1, "%s: one flow" % name)
        f = one(fl, name, src_ip=a)
        tuple_is(f, name, a, pa, b, pb, "UDP")
        counts_are(f, name, 1, 1)


def t_pcapng_and_nano():
    fl, st = run_ok("pcapng.pcapng")
    f = one(fl, "pcapng", src_ip="192.0.2.11")
    counts_are(f, "pcapng", 1, 1)
    eq((get(f, "flow.start"), get(f, "flow.end")), (T % (25, 250000), T % (26, 750000)),
       "pcapng: start/end from EPB timestamps")
    fl, st = run_ok("nanosecond.pcap")
    f = one(fl, "nanosecond", src_ip="192.0.2.21")
    counts_are(f, "nanosecond", 1, 1)
    eq((get(f, "flow.start"), get(f, "flow.end")), (T % (20, 123456), T % (22, 999999)),
       "nanosecond: start/end truncated to microseconds")


# -------------------------------------------------------- encapsulations

def t_vlan():
    fl, st = run_ok("vlan.pcap")
    eq(len(fl), 2, "vlan: same 5-tuple on two VLANs is two flows")
    f = one(fl, "vlan", vlan=[100])
    tuple_is(f, "vlan 100", "10.1.0.1", 6001, "10.1.0.2", 6002, "UDP")
    counts_are(f, "vlan 100", 1, 1)
    counts_are(one(fl, "vlan", vlan=[101]), "vlan 101", 1, 0)
    for name, ids in (("qinq_88a8.pcap", [200, 300]), ("qinq_9100.pcap", [400, 500])):
        fl, st = run_ok(name)
        eq([f.get("vlan") for f in fl], [ids], "%s: one flow, vlan outer then inner" % name)
        if fl:
            counts_are(fl[0], name, 1, 1)
            tuple_is(fl[0], name, "10.1.0.1", 6001, "10.1.0.2", 6002, "UDP")


def t_mpls_pppoe():
    fl, st = run_ok("mpls.pcap")
    eq(len(fl), 1, "mpls: one flow")
    f = one(fl, "mpls", src_ip="10.2.0.1")
    tuple_is(f, "mpls", "10.2.0.1", 6003, "10.2.0.2", 6004, "UDP")
    counts_are(f, "mpls", 1, 1)
    ok("tunnel" not in f and "vlan" not in f, "mpls: no tunnel or vlan object", f)
    decoder_clean(st, "mpls", 2)

    fl, st = run_ok("pppoe.pcap")
    eq(len(fl), 1, "pppoe: one flow")
    f = one(fl, "pppoe", src_ip="10.3.0.1")
    tuple_is(f, "pppoe", "10.3.0.1", 6005, "10.3.0.2", 6006, "UDP")
    counts_are(f, "pppoe", 1, 1)
    eq(get(f, "flow.bytes_toclient"), 60, "pppoe: padded frame counted at its wire length")
    eq((get(st, "decoder.ip"), get(st, "decoder.non_ip"), get(st, "decoder.invalid")),
       (2, 1, 0), "pppoe: LCP is non-IP, padding is not an error")


def t_tunnels():
    cases = [
        # file, inner tuple, tunnel (type, outer src, outer dst, id), ether
        ("gre_ip.pcap", ("10.10.0.1", 5000, "10.10.0.2", 6000, "UDP"),
         ("gre", "203.0.113.1", "203.0.113.2", 4660), {"src_mac": MAC_A, "dest_mac": MAC_B}),
        ("gre_teb.pcap", ("10.20.0.1", 1234, "10.20.0.2", 80, "TCP"),
         ("gre", "203.0.113.1", "203.0.113.2", None), {"src_mac": IN_A, "dest_mac": IN_B}),
        ("erspan2.pcap", ("10.30.0.1", 7000, "10.30.0.2", 8000, "UDP"),
         ("erspan2", "203.0.113.10", "203.0.113.20", 77), {"src_mac": IN_A, "dest_mac": IN_B}),
        ("erspan3.pcap", ("10.31.0.1", 7001, "10.31.0.2", 8001, "UDP"),
         ("erspan3", "203.0.113.10", "203.0.113.20", 99), {"src_mac": IN_A, "dest_mac": IN_B}),
        ("vxlan.pcap", ("10.40.0.1", 1000, "10.40.0.2", 2000, "UDP"),
         ("vxlan", "172.16.0.1", "172.16.0.2", 4242), {"src_mac": IN_A, "dest_mac": IN_B}),
        ("gtpu.pcap", ("10.50.0.1", 3000, "10.50.0.2", 4000, "UDP"),
         ("gtpu", "10.200.0.1", "10.200.0.2", 0xabcdef), {"src_mac": MAC_A, "dest_mac": MAC_B}),
    ]
    for name, tup, tun, ether in cases:
        fl, st = run_ok(name)
        if name == "gre_teb.pcap" and fl:
            eq((get(fl[0], "tcp.tcp_flags_ts"), get(fl[0], "tcp.tcp_flags_tc")), ("02", "12"),
               "gre_teb: inner TCP flags per direction")
        eq(len(fl), 1, "%s: one flow (both directions, both outer headers)" % name)
        f = fl[0] if fl else {}
        tuple_is(f, name, *tup)
        tunnel_is(f, name, *tun)
        counts_are(f, name, 1, 1)
        eq(f.get("ether"), ether, "%s: ether MACs (innermost Ethernet)" % name)
        decoder_clean(st, name, 2)
        eq(get(st, "decoder.tunneled"), 2, "%s: stats.decoder.tunneled" % name)

    for name, tup, tun in (
            ("ipip.pcap", ("10.60.0.1", 5555, "10.60.0.2", 6666, "UDP"),
             ("ipip", "192.0.2.10", "192.0.2.20", None)),
            ("sixin4.pcap", ("2001:db8:6::1", 1234, "2001:db8:6::2", 5678, "UDP"),
             ("ipip", "192.0.2.30", "192.0.2.40", None))):
        fl, st = run_ok(name)
        eq(len(fl), 1, "%s: one flow" % name)
        f = fl[0] if fl else {}
        tuple_is(f, name, *tup)
        tunnel_is(f, name, *tun)
        counts_are(f, name, 1, 0)
        eq(get(st, "decoder.tunneled"), 1, "%s: stats.decoder.tunneled" % name)


# ----------------------------------------------------------- IP features

def t_fragments():
    fl, st = run_ok("ipv6_ext.pcap")
    eq(len(fl), 1, "ipv6_ext: one flow")
    f = one(fl, "ipv6_ext", src_ip="2001:db8:e::1")
    tuple_is(f, "ipv6_ext", "2001:db8:e::1", 7777, "2001:db8:e::2", 8888, "UDP")
    counts_are(f, "ipv6_ext", 3, 1)
    decoder_clean(st, "ipv6_ext", 4)

    for name, ip, first in (("ipv4_frag.pcap", 3, "first packets of the file"),
                            ("ipv4_frag_late.pcap", 4, "60 s after the previous packet")):
        fl, st = run_ok(name)
        f = one(fl, name, src_ip="10.70.0.1")
        tuple_is(f, name, "10.70.0.1", 1500, "10.70.0.2", 1600, "UDP")
        eq(get(f, "flow.pkts_toserver"), 3,
           "%s: all 3 fragments counted in the flow (%s)" % (name, first))
        eq(get(f, "flow.bytes_toserver"), 546 + 546 + 418, "%s: bytes of the 3 fragments" % name)
        eq(get(st, "decoder.frag_orphans"), 0, "%s: no orphan fragments" % name)
        eq(get(st, "decoder.ip"), ip, "%s: decoder.ip" % name)

    fl, st = run_ok("frag_orphan.pcap")
    eq(len(fl), 1, "frag_orphan: one flow (the orphan makes none)")
    eq((get(st, "decoder.ip"), get(st, "decoder.frag_orphans")), (2, 1),
       "frag_orphan: counted as IP and as orphan")


def t_fragments_portless_icmp():
    fl, st = run_ok("frag_icmp.pcap")
    eq(len(fl), 1, "frag_icmp: the fragmented ping and its reply are one flow")
    f = one(fl, "frag_icmp", src_ip="10.72.0.1")
    eq((f.get("proto"), f.get("icmp_type")), ("ICMP", 8), "frag_icmp: echo request")
    counts_are(f, "frag_icmp", 3, 1)
    eq(get(st, "decoder.frag_orphans"), 0, "frag_icmp: no orphans")

    fl, st = run_ok("frag_esp.pcap")
    eq(len(fl), 1, "frag_esp: one flow")
    f = one(fl, "frag_esp", src_ip="10.73.0.1")
    eq(f.get("proto"), "ESP", "frag_esp: proto ESP")
    counts_are(f, "frag_esp", 3, 0)
    eq(get(st, "decoder.frag_orphans"), 0, "frag_esp: later fragments of a port-less "
       "protocol are not orphans")


def t_utf8():
    # lib.run already fails the run when a byte of the output is not UTF-8.
    fl, st = run_ok("http_utf8.pcap")
    f = one(fl, "http_utf8", src_ip="10.101.0.1")
    eq(get(f, "http.hostname"), "ex\ufffdmple.com",
       "http_utf8: a Latin-1 byte in Host becomes U+FFFD")
    eq(get(f, "http.http_user_agent"), "t\ufffd",
       "http_utf8: a truncated sequence in User-Agent becomes U+FFFD")
    ok("\ufffd\ufffd" in (get(f, "http.url") or ""), "http_utf8: bad bytes in the URL replaced",
       f.get("http"))


def t_ts_jump():
    fl, st = run_ok("ts_jump.pcap")
    reasons = [get(f, "flow.reason") for f in fl]
    eq(reasons.count("timeout"), 19,
       "ts_jump: one packet dated 2100 does not stop idle timeouts of the others")
    ok(get(st, "flow.active_peak") <= 3, "ts_jump: flows do not pile up (active_peak %s)"
       % get(st, "flow.active_peak"))


def t_sctp_icmp():
    fl, st = run_ok("sctp.pcap")
    eq(len(fl), 1, "sctp: one flow")
    f = one(fl, "sctp", src_ip="10.80.0.1")
    tuple_is(f, "sctp", "10.80.0.1", 5000, "10.80.0.2", 36412, "SCTP")
    counts_are(f, "sctp", 1, 1)

    fl, st = run_ok("icmp.pcap")
    eq(len(fl), 2, "icmp: echo identifiers 0x1234 and 0x5678 are two flows")
    f = one(fl, "icmp", flow__pkts_toclient=1)
    eq((f.get("src_ip"), f.get("dest_ip"), f.get("proto"), f.get("icmp_type"),
        f.get("icmp_code")), ("10.90.0.1", "10.90.0.2", "ICMP", 8, 0),
       "icmp: addresses, proto, type 8 code 0")
    counts_are(f, "icmp", 1, 1)
    ok("src_port" not in f and "dest_port" not in f, "icmp: no ports", f)

    fl, st = run_ok("icmpv6.pcap")
    eq(len(fl), 1, "icmpv6: one flow")
    f = fl[0] if fl else {}
    eq((f.get("src_ip"), f.get("dest_ip"), f.get("proto"), f.get("icmp_type"),
        f.get("icmp_code")), ("2001:db8:9::1", "2001:db8:9::2", "IPv6-ICMP", 128, 0),
       "icmpv6: addresses, proto, type 128 code 0")
    counts_are(f, "icmpv6", 1, 1)


# ------------------------------------------------------------------ apps

def t_apps():
    fl, st = run_ok("http.pcap")
    eq(len(fl), 1, "http: one flow")
    f = fl[0] if fl else {}
    tuple_is(f, "http", "10.100.0.1", 51000, "10.100.0.2", 80, "TCP")
    counts_are(f, "http", 6, 4)
    eq(f.get("app_proto"), "http", "http: app_proto")
    eq(get(f, "http.hostname"), "www.example.com", "http: http.hostname")
    eq(get(f, "http.http_user_agent"), "telexpose-e2e/1.0 (crafted)", "http: http_user_agent")
    ok("/index.html" in str(get(f, "http.url")), "http: http.url has the path",
       get(f, "http.url"))
    eq((get(f, "tcp.tcp_flags_ts"), get(f, "tcp.tcp_flags_tc"), get(f, "tcp.state"),
        get(f, "flow.state")), ("1b", "1b", "closed", "closed"),
       "http: TCP flags per direction and closed state after FIN both ways")

    fl, st = run_ok("dns.pcap")
    f = one(fl, "dns", src_ip="10.110.0.1")
    tuple_is(f, "dns", "10.110.0.1", 53000, "10.110.0.53", 53, "UDP")
    counts_are(f, "dns", 1, 1)
    eq(f.get("app_proto"), "dns", "dns: app_proto")
    eq(get(f, "dns.rrname"), "www.example.org", "dns: dns.rrname")

    fl, st = run_ok("tls.pcap")
    f = one(fl, "tls", src_ip="10.120.0.1")
    tuple_is(f, "tls", "10.120.0.1", 52000, "10.120.0.2", 443, "TCP")
    eq(f.get("app_proto"), "tls", "tls: app_proto")
    eq(get(f, "tls.sni"), "tls.example.net", "tls: tls.sni")


def t_malformed():
    fl, st = run_ok("malformed.pcap")
    eq(get(st, "decoder.invalid_by_reason"),
       {"ipv4_hlen": 1, "ipv4_totlen": 1, "tcp_hlen": 1, "udp_len": 1, "link_short": 1,
        "vlan_short": 1}, "malformed: one count per reason")
    eq((get(st, "capture.packets"), get(st, "decoder.ip"), get(st, "decoder.invalid")),
       (9, 3, 6), "malformed: packets, ip, invalid")
    eq(len(fl), 2, "malformed: only the good packets make flows")
    f = one(fl, "malformed", src_ip="10.9.0.1")
    tuple_is(f, "malformed good udp", "10.9.0.1", 41111, "10.9.0.2", 42222, "UDP")
    counts_are(f, "malformed good udp", 1, 1)
    g = one(fl, "malformed", src_ip="10.9.0.3")
    tuple_is(g, "malformed good tcp", "10.9.0.3", 3333, "10.9.0.4", 4444, "TCP")


# -------------------------------------------------------- failing inputs

def t_bad_inputs():
    for name, words in (("bad_linktype.pcap", ["147"]),
                        ("corrupt_header.pcap", []),
                        ("empty.pcap", []),
                        ("does-not-exist.pcap", [])):
        p = crafted(name)
        rc, ev, err = run([p], label=name)
        eq(rc, 1, "%s: exit status 1" % name)
        ok(name in err and all(w in err for w in words),
           "%s: stderr names the file%s" % (name, " and " + ", ".join(words) if words else ""),
           err)
        eq(len(flows(ev)), 0, "%s: no flow events" % name)

    rc, ev, err = run([crafted("truncated.pcap")], label="truncated.pcap")
    eq(rc, 1, "truncated: exit status 1")
    ok("truncated.pcap" in err and "packet 6" in err,
       "truncated: stderr names the file and packet 6", err)
    fl, st = flows(ev), stats(ev)
    eq(len(fl), 3, "truncated: the 3 flows read before the cut are written")
    eq(sum(pkts(f) for f in fl), 5, "truncated: they hold the 5 complete packets")
    ok(ev and ev[-1].get("event_type") == "stats", "truncated: stats event written last")
    eq(get(st, "capture.packets"), 5, "truncated: stats.capture.packets")

    # A failing second input: the first one's flows are still written.
    rc, ev, err = run([crafted("eth.pcap"), crafted("does-not-exist.pcap")],
                      label="eth.pcap + missing")
    eq(rc, 1, "eth + missing: exit status 1")
    ok("does-not-exist.pcap" in err, "eth + missing: stderr names the missing file", err)
    eq([pkts(f) for f in flows(ev)], [2], "eth + missing: flow of the first file written")


# -------------------------------------------------------- time and memory

def t_two_files():
    rc, ev, err = run([crafted("split_part1.pcap"), crafted("split_part2.pcap")],
                      label="split_part1 + split_part2")
    eq(rc, 0, "split: exit status 0")
    fl, st = flows(ev), stats(ev)
    eq(len(fl), 1, "split: one flow over both files")
    f = fl[0] if fl else {}
    tuple_is(f, "split", "10.130.0.1", 53001, "10.130.0.2", 8080, "TCP")
    counts_are(f, "split", 6, 4)
    eq((get(f, "flow.start"), get(f, "flow.end"), get(f, "flow.state")),
       (T % (20, 0), T % (20, 9000), "closed"), "split: start in part 1, end in part 2, closed")
    eq((get(st, "capture.packets"), get(st, "flow.created")), (10, 1),
       "split: 10 packets, 1 flow created")


def t_timeouts():
    fl, st = run_ok("udp_timeout.pcap")
    recs = find(fl, src_ip="10.140.0.1")
    eq([get(f, "flow.reason") for f in recs], ["timeout", "timeout"],
       "udp_timeout: two records, both reason timeout (udp=60 s, gap 200 s)")
    eq([pkts(f) for f in recs], [1, 1], "udp_timeout: one packet each")
    eq(len({f.get("flow_id") for f in recs}), 2, "udp_timeout: two different flow_ids")
    eq(get(st, "flow.timed_out"), 2, "udp_timeout: stats.flow.timed_out")

    fl, st = run_ok("udp_timeout.pcap", ["--timeout", "udp=300"])
    recs = find(fl, src_ip="10.140.0.1")
    eq([(pkts(f), get(f, "flow.reason")) for f in recs], [(2, "end_of_input")],
       "udp_timeout --timeout udp=300: one record with both packets")

    fl, st = run_ok("active_timeout.pcap", ["--timeout", "udp=300"])
    recs = find(fl, src_ip="10.150.0.1")
    eq([get(f, "flow.reason") for f in recs], ["active_timeout", "active_timeout", "end_of_input"],
       "active_timeout: a record every 1800 s, then the final one")
    eq(len({f.get("flow_id") for f in recs}), 1, "active_timeout: records share one flow_id")
    eq([get(f, "flow.record") for f in recs], [1, 2, 3], "active_timeout: record numbers")
    eq(sum(pkts(f) for f in recs), 41, "active_timeout: records sum to all 41 packets")
    eq([get(f, "flow.start") for f in recs],
       ["2023-11-14T22:13:20.000000+0000", "2023-11-14T22:43:20.000000+0000",
        "2023-11-14T23:13:20.000000+0000"], "active_timeout: each record starts where the last ended")
    eq(get(st, "flow.active_timeout_records"), 2, "active_timeout: stats counter")

    fl, st = run_ok("active_timeout.pcap", ["--timeout", "udp=300", "--active-timeout", "0"])
    eq([(pkts(f), get(f, "flow.reason"), get(f, "flow.record")) for f in fl],
       [(41, "end_of_input", None)], "active_timeout off: one record, no record number")


def t_eviction():
    for extra in ([], ["--no-dpi"]):
        args = ["--flow-memcap", "1M"] + extra
        label = "eviction " + " ".join(args)
        fl, st = run_ok("eviction.pcap", args)
        ev_n = get(st, "flow.evicted", 0)
        ok(ev_n > 0, "%s: stats.flow.evicted > 0" % label, ev_n)
        eq(len(find(fl, flow__reason="eviction")), ev_n,
           "%s: one flow event with reason eviction per evicted flow" % label)
        ok(get(st, "flow.memuse_peak", 0) <= get(st, "flow.memcap", -1),
           "%s: memuse_peak <= memcap" % label,
           "memuse_peak %s memcap %s" % (get(st, "flow.memuse_peak"), get(st, "flow.memcap")))
        eq(get(st, "flow.memcap"), 1 << 20, "%s: memcap reported" % label)
        eq((sum(pkts(f) for f in fl), get(st, "decoder.ip"), get(st, "flow.created")),
           (20000, 20000, 20000), "%s: every packet counted in a flow record" % label)


# ----------------------------------------------------- real captures

def t_shared():
    # Values below were read with tshark -T fields, not from telexpose.
    rc, ev, err = run([shared("http_origin_different_than_host.pcap")],
                      label="shared/http_origin_different_than_host")
    eq(rc, 0, "http_origin: exit 0")
    fl, st = flows(ev), stats(ev)
    eq(len(fl), 1, "http_origin: one flow")
    f = fl[0] if fl else {}
    tuple_is(f, "http_origin", "10.140.206.74", 34536, "18.135.206.102", 80, "TCP")
    eq(f.get("vlan"), [3394, 113], "http_origin: vlan ids (vlan.id)")
    tunnel_is(f, "http_origin", "gtpu", "10.134.25.5", "10.132.15.176", 0x07e029a2)
    counts_are(f, "http_origin", 2, 2)
    ok("JKM-LX1" in str(get(f, "http.http_user_agent")), "http_origin: user agent has JKM-LX1",
       f.get("http"))
    eq(get(f, "http.hostname"), "csb.performgroup.io", "http_origin: http.hostname (http.host)")
    eq(get(f, "ether.src_mac"), "00:01:00:00:00:02", "http_origin: ether.src_mac (eth.src)")
    eq((get(st, "capture.packets"), get(st, "decoder.tunneled")), (4, 4),
       "http_origin: 4 packets, all tunnelled")

    rc, ev, err = run([shared("4in4tunnel.pcap")], label="shared/4in4tunnel")
    eq(rc, 0, "4in4tunnel: exit 0")
    fl = flows(ev)
    # 5 packets of one 5-tuple, hours apart: > udp timeout, so 5 records.
    eq([(f.get("src_ip"), f.get("src_port"), f.get("dest_ip"), f.get("dest_port"), pkts(f))
        for f in fl], [("10.10.100.25", 62367, "10.10.101.2", 17000, 1)] * 5,
       "4in4tunnel: 5 one-packet records of the inner 5-tuple")
    eq([get(f, "flow.reason") for f in fl], ["timeout"] * 4 + ["end_of_input"],
       "4in4tunnel: reasons")
    eq({str(f.get("tunnel")) for f in fl},
       {str({"type": "ipip", "src_ip": "69.67.35.146", "dest_ip": "41.202.46.110"})},
       "4in4tunnel: ipip with the outer addresses")
    eq({str(f.get("vlan")) for f in fl}, {str([1624, 505])}, "4in4tunnel: vlan ids")

    rc, ev, err = run([shared("gre.pcapng")], label="shared/gre.pcapng")
    eq(rc, 0, "gre.pcapng: exit 0")
    fl = flows(ev)
    eq(len(fl), 1, "gre.pcapng: one flow")
    f = fl[0] if fl else {}
    tuple_is(f, "gre.pcapng", "192.168.10.210", 5060, "192.168.103.40", 5060, "UDP")
    tunnel_is(f, "gre.pcapng", "gre", "109.105.228.253", "10.177.98.84", 38992)
    eq(f.get("vlan"), [142], "gre.pcapng: vlan id")
    eq(f.get("app_proto"), "sip", "gre.pcapng: SIP inside PPTP GRE")

    rc, ev, err = run([shared("ip4_bad_fragment.pcap")], label="shared/ip4_bad_fragment")
    eq(rc, 0, "ip4_bad_fragment: exit 0")
    st = stats(ev)
    eq(len(flows(ev)), 0, "ip4_bad_fragment: no flow")
    eq(get(st, "decoder.invalid_by_reason"), {"ipv4_totlen": 1},
       "ip4_bad_fragment: total length 3841 > 42 bytes is ipv4_totlen")

    rc, ev, err = run([shared("ftp-start-tls.pcap")], label="shared/ftp-start-tls")
    eq(rc, 0, "ftp-start-tls: exit 0")
    fl, st = flows(ev), stats(ev)
    eq(len(fl), 1, "ftp-start-tls: one TCP conversation")
    f = fl[0] if fl else {}
    tuple_is(f, "ftp-start-tls", "10.238.26.36", 62092, "10.220.50.76", 21, "TCP")
    eq((get(f, "flow.pkts_toserver"), get(f, "flow.pkts_toclient"),
        get(f, "flow.bytes_toserver"), get(f, "flow.bytes_toclient")), (16, 35, 1744, 5766),
       "ftp-start-tls: frames and bytes per direction (conv,tcp)")
    ok(str(f.get("app_proto")).startswith("ftp"), "ftp-start-tls: app_proto is FTP",
       f.get("app_proto"))
    eq(get(f, "ether.src_mac"), "dc:d2:fc:fb:03:a1", "ftp-start-tls: ether.src_mac")

    rc, ev, err = run([shared("LLDP_and_CDP.pcap")], label="shared/LLDP_and_CDP")
    eq(rc, 0, "LLDP_and_CDP: exit 0")
    st = stats(ev)
    eq(len(flows(ev)), 0, "LLDP_and_CDP: no flow")
    eq((get(st, "capture.packets"), get(st, "decoder.non_ip"), get(st, "decoder.ip"),
        get(st, "decoder.invalid")), (12, 12, 0, 0), "LLDP_and_CDP: 12 packets, all non-IP")

    listed = set()
    with open(shared("SOURCES.tsv")) as fh:
        head = fh.readline().rstrip("\n").split("\t")
        eq(head, ["file", "source", "license"], "SOURCES.tsv: header")
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) == 3 and all(cols):
                listed.add(cols[0])
    files = {n for n in os.listdir(SHARED) if n.endswith((".pcap", ".pcapng"))}
    eq(sorted(files - listed), [], "SOURCES.tsv: every shared capture has a source and licence")


# --------------------------------------------------------- invariants

def invariants(label, ev):
    fl, st = flows(ev), stats(ev)
    dec, flo = st.get("decoder", {}), st.get("flow", {})
    s = [e for e in ev if e.get("event_type") == "stats"]
    bad = []
    if len(s) != 1 or ev[-1].get("event_type") != "stats":
        bad.append("exactly one stats event, last: %d" % len(s))
    if sum(pkts(f) for f in fl) + dec.get("frag_orphans", 0) != dec.get("ip"):
        bad.append("sum(pkts) %d + frag_orphans %s != ip %s"
                   % (sum(pkts(f) for f in fl), dec.get("frag_orphans"), dec.get("ip")))
    if get(st, "capture.packets") != (dec.get("ip", 0) + dec.get("non_ip", 0) +
                                      dec.get("invalid", 0)):
        bad.append("packets %s != ip + non_ip + invalid %s" % (get(st, "capture.packets"), dec))
    if sum(dec.get("invalid_by_reason", {}).values()) != dec.get("invalid"):
        bad.append("invalid_by_reason does not sum to invalid")
    if len(fl) != flo.get("created", 0) + flo.get("active_timeout_records", 0):
        bad.append("flow events %d != created + active_timeout_records %s" % (len(fl), flo))
    if flo.get("created") != (flo.get("timed_out", 0) + flo.get("evicted", 0) +
                              flo.get("end_of_input", 0)) or flo.get("active") != 0:
        bad.append("created != timed_out + evicted + end_of_input, or active != 0: %s" % flo)
    kinds = ("evidence", "device", "exposure")
    nev = sum(1 for e in ev if e.get("event_type") in kinds)
    if st.get("events") != len(fl) + nev or st.get("events") != len(ev) - 1:
        bad.append("stats.events %s != flow events %d + evidence/device/exposure events %d"
                   " (%d events before it)" % (st.get("events"), len(fl), nev, len(ev) - 1))
    ok(not bad, "%s: packet and flow accounting invariants" % label, "\n".join(bad))


def t_invariants():
    names = sorted(n for n in os.listdir(CRAFTED) if n.endswith((".pcap", ".pcapng")))
    ok(len(names) >= 40, "crafted captures present (%d)" % len(names), CRAFTED)
    for n in names:
        if n in ERROR_FILES:
            continue
        rc, ev, err = run([crafted(n)], label="invariants " + n)
        if rc != 0:
            eq(rc, 0, "invariants %s: exit status 0" % n)
            lib.diag(err)
        invariants(n, ev)
    rc, ev, err = run([crafted("truncated.pcap")], label="invariants truncated.pcap")
    invariants("truncated.pcap (what was read)", ev)
    for n in sorted(os.listdir(SHARED)):
        if n.endswith((".pcap", ".pcapng")):
            rc, ev, err = run([shared(n)], label="invariants shared/" + n)
            invariants("shared/" + n, ev)
    nonint = [(label, fid) for label, fid in ALL_FLOW_IDS if not isinstance(fid, int)]
    ok(ALL_FLOW_IDS and not nonint,
       "flow_id is a JSON integer in all %d flow events" % len(ALL_FLOW_IDS),
       "%d are not, e.g. %s" % (len(nonint), nonint[:5]))


def main():
    if not os.path.isdir(CRAFTED):
        ok(False, "crafted captures found in " + CRAFTED)
        return lib.done()
    for t in (t_eth, t_sll, t_sll2, t_raw_and_loopback, t_pcapng_and_nano, t_vlan,
              t_mpls_pppoe, t_tunnels, t_fragments, t_fragments_portless_icmp, t_utf8,
              t_ts_jump, t_sctp_icmp, t_apps, t_malformed,
              t_bad_inputs, t_two_files, t_timeouts, t_eviction, t_shared, t_invariants):
        lib.guard(t.__name__, t)
    return lib.done()


if __name__ == "__main__":
    sys.exit(main())
