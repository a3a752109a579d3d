#!/usr/bin/python3
"""gen.py - write the crafted captures of tests/pcap/crafted/.

Run with Debian's interpreter, which has scapy:  /usr/bin/python3 tests/pcap/gen.py
Every capture is deterministic: fixed timestamps, addresses and payloads, so a
re-run rewrites byte-identical files. Scapy builds IP/transport headers (and
their checksums); link headers, tunnel headers and the pcap/pcapng containers
are written here with struct so each byte is under our control.
tests/e2e/pcaps.py holds the expected results; keep them in step.
"""
import logging
import os
import random
import struct
import sys

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.all import (DNS, DNSQR, DNSRR, ICMP, IP, TCP, UDP, ARP, Dot1Q,  # noqa: E402
                       Ether, ICMPv6EchoReply, ICMPv6EchoRequest, IPv6,
                       IPv6ExtHdrDestOpt, IPv6ExtHdrFragment, IPv6ExtHdrHopByHop,
                       PadN, Raw, raw)
from scapy.layers.sctp import SCTP, SCTPChunkInit, SCTPChunkInitAck  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "crafted")

T0 = 1700000000  # 2023-11-14T22:13:20Z: base time of every capture, in seconds
MAC_A = "02:00:00:00:00:0a"
MAC_B = "02:00:00:00:00:0b"

# Link types (values written in the file header).
LT_NULL, LT_EN10MB, LT_RAW, LT_LOOP, LT_SLL = 0, 1, 101, 108, 113
LT_USER0, LT_IPV4, LT_IPV6, LT_SLL2 = 147, 228, 229, 276


# ------------------------------------------------------------- containers

def us(sec, usec=0):
    """A timestamp in microseconds since the epoch, T0-relative seconds."""
    return (T0 + sec) * 1000000 + usec


def pcap_bytes(linktype, pkts, nano=False, big_endian=False, snaplen=262144):
    """Classic pcap. pkts: list of (ts, frame) with ts in us (ns when nano)."""
    e = ">" if big_endian else "<"
    magic = 0xa1b23c4d if nano else 0xa1b2c3d4
    div = 1000000000 if nano else 1000000
    out = [struct.pack(e + "IHHiIII", magic, 2, 4, 0, 0, snaplen, linktype)]
    for ts, frame in pkts:
        out.append(struct.pack(e + "IIII", ts // div, ts % div, len(frame), len(frame)))
        out.append(frame)
    return b"".join(out)


def pcapng_bytes(linktype, pkts, snaplen=262144):
    """pcapng: one section, one interface (microsecond resolution)."""
    def block(btype, body):
        body += b"\0" * (-len(body) % 4)
        n = 12 + len(body)
        return struct.pack("<II", btype, n) + body + struct.pack("<I", n)

    out = [block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)),
           block(0x00000001, struct.pack("<HHI", linktype, 0, snaplen))]
    for ts, frame in pkts:
        out.append(block(0x00000006, struct.pack("<IIIII", 0, ts >> 32, ts & 0xffffffff,
                                                  len(frame), len(frame)) + frame))
    return b"".join(out)


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as fh:
        fh.write(data)


def wpcap(name, linktype, pkts, **kw):
    write(name, pcap_bytes(linktype, pkts, **kw))


# ---------------------------------------------------------------- headers

def eth(payload, ethertype, src=MAC_A, dst=MAC_B):
    return raw(Ether(src=src, dst=dst, type=ethertype)) + payload


def udp4(src, dst, sport, dport, payload=b"", **ipkw):
    return raw(IP(src=src, dst=dst, **ipkw) / UDP(sport=sport, dport=dport) / Raw(payload))


def udp6(src, dst, sport, dport, payload=b""):
    return raw(IPv6(src=src, dst=dst) / UDP(sport=sport, dport=dport) / Raw(payload))


def tcp4(src, dst, sport, dport, flags, seq, ack=0, payload=b""):
    p = IP(src=src, dst=dst) / TCP(sport=sport, dport=dport, flags=flags, seq=seq, ack=ack,
                                   window=65535, options=[])
    if payload:
        p = p / Raw(payload)
    return raw(p)


def ip4_over(src, dst, proto, payload):
    """An outer IPv4 header around hand-made bytes."""
    return raw(IP(src=src, dst=dst, proto=proto) / Raw(payload))


def vlan_tag(vid, inner_type):
    return struct.pack(">HH", vid & 0x0fff, inner_type)


def sll(pkttype, addr, proto):
    return struct.pack(">HHH8sH", pkttype, 1, 6, bytes.fromhex(addr.replace(":", "")), proto)


def sll2(pkttype, addr, proto, ifindex=2):
    return struct.pack(">HHIHBB8s", proto, 0, ifindex, 1, pkttype, 6,
                       bytes.fromhex(addr.replace(":", "")))


def mpls(label, bottom, ttl=64):
    return struct.pack(">I", (label << 12) | (int(bottom) << 8) | ttl)


def gre(proto, key=None, seq=None):
    flags = (0x2000 if key is not None else 0) | (0x1000 if seq is not None else 0)
    h = struct.pack(">HH", flags, proto)
    if key is not None:
        h += struct.pack(">I", key)
    if seq is not None:
        h += struct.pack(">I", seq)
    return h


def erspan2(session, vlan=0, index=0):
    return struct.pack(">HHI", (1 << 12) | vlan, session & 0x3ff, index & 0xfffff)


def erspan3(session, platform=None, timestamp=0x01020304):
    # ver=2 | vlan ; cos/bso/t | session ; timestamp ; sgt ; P FT(0) HwID D Gra O
    h = struct.pack(">HHIHBB", 2 << 12, session & 0x3ff, timestamp, 0,
                    0x00, 0x01 if platform is not None else 0x00)
    return h + (platform or b"")


def vxlan(vni):
    return struct.pack(">BBHI", 0x08, 0, 0, vni << 8)


def gtpu(teid, tpdu, ext=None):
    """GTP-U v1 G-PDU; ext: (type, content) of one extension header."""
    if ext is None:
        return struct.pack(">BBHI", 0x30, 0xff, len(tpdu), teid) + tpdu
    etype, content = ext
    assert (len(content) + 2) % 4 == 0
    opt = struct.pack(">HBB", 0, 0, etype)  # sequence, N-PDU, next extension type
    exth = struct.pack(">B", (len(content) + 2) // 4) + content + b"\x00"
    body = opt + exth + tpdu
    return struct.pack(">BBHI", 0x34, 0xff, len(body), teid) + body


# ------------------------------------------------------------------ cases

def case_link_types():
    a4, b4 = "192.0.2.1", "192.0.2.2"
    # Ethernet: one UDP exchange plus two non-IP frames (ARP, 802.3 LLC/STP).
    wpcap("eth.pcap", LT_EN10MB, [
        (us(0), eth(udp4(a4, b4, 40000, 40001, b"eth-request"), 0x0800)),
        (us(0, 500), raw(Ether(src=MAC_A, dst="ff:ff:ff:ff:ff:ff") /
                         ARP(op=1, hwsrc=MAC_A, psrc=a4, pdst=b4))),
        (us(1), eth(udp4(b4, a4, 40001, 40000, b"eth-response"), 0x0800, MAC_B, MAC_A)),
        (us(2), bytes.fromhex("0180c2000000" "020000000000" "0026" "424203000000") +
         bytes(32)),
    ])

    # Linux cooked v1: a two-way flow and a one-way flow (only the sender's
    # link address is in a cooked header).
    c, s1, s2 = "198.51.100.1", "198.51.100.2", "198.51.100.3"
    wpcap("sll.pcap", LT_SLL, [
        (us(0), sll(4, "02:00:00:00:01:01", 0x0800) + udp4(c, s1, 41001, 42001, b"sll-a")),
        (us(1), sll(0, "02:00:00:00:01:02", 0x0800) + udp4(s1, c, 42001, 41001, b"sll-b")),
        (us(2), sll(4, "02:00:00:00:01:01", 0x0800) + udp4(c, s2, 3333, 4444, b"sll-c")),
    ])

    # Linux cooked v2: IPv6 both ways, IPv4 one way.
    wpcap("sll2.pcap", LT_SLL2, [
        (us(0), sll2(4, "02:00:00:00:02:01", 0x86dd) +
         udp6("2001:db8:2::1", "2001:db8:2::2", 5001, 5002, b"sll2-a")),
        (us(1), sll2(0, "02:00:00:00:02:02", 0x86dd) +
         udp6("2001:db8:2::2", "2001:db8:2::1", 5002, 5001, b"sll2-b")),
        (us(2), sll2(4, "02:00:00:00:02:01", 0x0800) + udp4("198.51.100.9", s1, 5003, 5004)),
    ])

    # LINKTYPE_RAW (101): version nibble picks IPv4 or IPv6.
    wpcap("raw.pcap", LT_RAW, [
        (us(0), udp4("192.0.2.101", "192.0.2.102", 1010, 1011, b"raw4")),
        (us(1), udp6("2001:db8:101::1", "2001:db8:101::2", 1012, 1013, b"raw6")),
    ])
    wpcap("ipv4.pcap", LT_IPV4, [
        (us(0), udp4("192.0.2.228", "192.0.2.229", 2280, 2281, b"ipv4-a")),
        (us(1), udp4("192.0.2.229", "192.0.2.228", 2281, 2280, b"ipv4-b")),
    ])
    wpcap("ipv6.pcap", LT_IPV6, [
        (us(0), udp6("2001:db8:229::1", "2001:db8:229::2", 2290, 2291, b"ipv6-a")),
        (us(1), udp6("2001:db8:229::2", "2001:db8:229::1", 2291, 2290, b"ipv6-b")),
    ])

    # BSD loopback: AF word in the writer's byte order (here also the file's).
    wpcap("null_le.pcap", LT_NULL, [
        (us(0), struct.pack("<I", 2) + udp4("127.0.0.1", "127.0.0.2", 3001, 3002, b"null4")),
        (us(1), struct.pack("<I", 30) + udp6("::1", "::2", 3003, 3004, b"null6")),  # Darwin
    ])
    wpcap("null_be.pcap", LT_NULL, [
        (us(0), struct.pack(">I", 2) + udp4("127.0.0.3", "127.0.0.4", 3005, 3006, b"null4")),
        (us(1), struct.pack(">I", 28) + udp6("::3", "::4", 3007, 3008, b"null6")),  # FreeBSD
    ], big_endian=True)
    # OpenBSD loopback: AF word in network order, AF_INET6 = 24.
    wpcap("loop.pcap", LT_LOOP, [
        (us(0), struct.pack(">I", 2) + udp4("127.0.1.1", "127.0.1.2", 3009, 3010, b"loop4")),
        (us(1), struct.pack(">I", 24) + udp6("::5", "::6", 3011, 3012, b"loop6")),
    ])

    # pcapng with microsecond timestamps.
    write("pcapng.pcapng", pcapng_bytes(LT_EN10MB, [
        (us(5, 250000), eth(udp4("192.0.2.11", "192.0.2.12", 4001, 4002, b"ng-a"), 0x0800)),
        (us(6, 750000), eth(udp4("192.0.2.12", "192.0.2.11", 4002, 4001, b"ng-b"), 0x0800,
                            MAC_B, MAC_A)),
    ]))
    # Nanosecond pcap: libpcap hands out microseconds (truncated).
    ns = lambda sec, nsec: (T0 + sec) * 1000000000 + nsec  # noqa: E731
    wpcap("nanosecond.pcap", LT_EN10MB, [
        (ns(0, 123456789), eth(udp4("192.0.2.21", "192.0.2.22", 4003, 4004, b"ns-a"), 0x0800)),
        (ns(2, 999999999), eth(udp4("192.0.2.22", "192.0.2.21", 4004, 4003, b"ns-b"), 0x0800,
                               MAC_B, MAC_A)),
    ], nano=True)


def case_l2_encaps():
    a, b = "10.1.0.1", "10.1.0.2"
    req = udp4(a, b, 6001, 6002, b"vlan-req")
    rsp = udp4(b, a, 6002, 6001, b"vlan-rsp")
    # 802.1Q: the same 5-tuple on VLANs 100 and 101 is two flows.
    wpcap("vlan.pcap", LT_EN10MB, [
        (us(0), eth(vlan_tag(100, 0x0800) + req, 0x8100)),
        (us(1), eth(vlan_tag(100, 0x0800) + rsp, 0x8100, MAC_B, MAC_A)),
        (us(2), eth(vlan_tag(101, 0x0800) + req, 0x8100)),
    ])
    wpcap("qinq_88a8.pcap", LT_EN10MB, [
        (us(0), eth(vlan_tag(200, 0x8100) + vlan_tag(300, 0x0800) + req, 0x88a8)),
        (us(1), eth(vlan_tag(200, 0x8100) + vlan_tag(300, 0x0800) + rsp, 0x88a8, MAC_B, MAC_A)),
    ])
    wpcap("qinq_9100.pcap", LT_EN10MB, [
        (us(0), eth(vlan_tag(400, 0x8100) + vlan_tag(500, 0x0800) + req, 0x9100)),
        (us(1), eth(vlan_tag(400, 0x8100) + vlan_tag(500, 0x0800) + rsp, 0x9100, MAC_B, MAC_A)),
    ])
    # MPLS: two labels, IPv4 under the bottom one.
    wpcap("mpls.pcap", LT_EN10MB, [
        (us(0), eth(mpls(1000, False) + mpls(2000, True) +
                    udp4("10.2.0.1", "10.2.0.2", 6003, 6004, b"mpls-a"), 0x8847)),
        (us(1), eth(mpls(3000, False) + mpls(2000, True) +
                    udp4("10.2.0.2", "10.2.0.1", 6004, 6003, b"mpls-b"), 0x8847, MAC_B, MAC_A)),
    ])

    # PPPoE session: IPv4 both ways (the short one padded to 60 bytes by
    # Ethernet, after the PPPoE length), plus an LCP echo (not IP).
    def pppoe(proto, payload, session=0x0042):
        ppp = struct.pack(">H", proto) + payload
        return struct.pack(">BBHH", 0x11, 0, session, len(ppp)) + ppp

    short = eth(pppoe(0x0021, udp4("10.3.0.2", "10.3.0.1", 6006, 6005, b"p")), 0x8864,
                MAC_B, MAC_A)
    short += b"\0" * (60 - len(short))
    wpcap("pppoe.pcap", LT_EN10MB, [
        (us(0), eth(pppoe(0x0021, udp4("10.3.0.1", "10.3.0.2", 6005, 6006, b"pppoe-req")),
                    0x8864)),
        (us(1), short),
        (us(2), eth(pppoe(0xc021, bytes.fromhex("0901000c") + b"\0" * 8), 0x8864)),
    ])


def case_tunnels():
    # GRE carrying IPv4, with a key.
    o1, o2 = "203.0.113.1", "203.0.113.2"
    wpcap("gre_ip.pcap", LT_EN10MB, [
        (us(0), eth(ip4_over(o1, o2, 47, gre(0x0800, key=4660) +
                             udp4("10.10.0.1", "10.10.0.2", 5000, 6000, b"gre-a")), 0x0800)),
        (us(1), eth(ip4_over(o2, o1, 47, gre(0x0800, key=4660) +
                             udp4("10.10.0.2", "10.10.0.1", 6000, 5000, b"gre-b")), 0x0800,
                    MAC_B, MAC_A)),
    ])
    # GRE transparent Ethernet bridging (0x6558): inner Ethernet, TCP handshake.
    im1, im2 = "02:00:00:00:0e:01", "02:00:00:00:0e:02"
    wpcap("gre_teb.pcap", LT_EN10MB, [
        (us(0), eth(ip4_over(o1, o2, 47, gre(0x6558) +
                             eth(tcp4("10.20.0.1", "10.20.0.2", 1234, 80, "S", 1000),
                                 0x0800, im1, im2)), 0x0800)),
        (us(1), eth(ip4_over(o2, o1, 47, gre(0x6558) +
                             eth(tcp4("10.20.0.2", "10.20.0.1", 80, 1234, "SA", 5000, 1001),
                                 0x0800, im2, im1)), 0x0800, MAC_B, MAC_A)),
    ])
    # ERSPAN type II (GRE 0x88be with a sequence number), session 77.
    s1, s2 = "203.0.113.10", "203.0.113.20"
    wpcap("erspan2.pcap", LT_EN10MB, [
        (us(0), eth(ip4_over(s1, s2, 47, gre(0x88be, seq=1) + erspan2(77, index=5) +
                             eth(udp4("10.30.0.1", "10.30.0.2", 7000, 8000, b"erspan2-a"),
                                 0x0800, im1, im2)), 0x0800)),
        (us(1), eth(ip4_over(s1, s2, 47, gre(0x88be, seq=2) + erspan2(77, index=5) +
                             eth(udp4("10.30.0.2", "10.30.0.1", 8000, 7000, b"erspan2-b"),
                                 0x0800, im2, im1)), 0x0800)),
    ])
    # ERSPAN type III (GRE 0x22eb), session 99: first without, second with
    # the 8-byte platform-specific sub-header (O flag).
    wpcap("erspan3.pcap", LT_EN10MB, [
        (us(0), eth(ip4_over(s1, s2, 47, gre(0x22eb, seq=1) + erspan3(99) +
                             eth(udp4("10.31.0.1", "10.31.0.2", 7001, 8001, b"erspan3-a"),
                                 0x0800, im1, im2)), 0x0800)),
        (us(1), eth(ip4_over(s1, s2, 47, gre(0x22eb, seq=2) +
                             erspan3(99, platform=bytes.fromhex("0800000000000001")) +
                             eth(udp4("10.31.0.2", "10.31.0.1", 8001, 7001, b"erspan3-b"),
                                 0x0800, im2, im1)), 0x0800)),
    ])
    # VXLAN, VNI 4242; each direction with its own outer source port.
    v1, v2 = "172.16.0.1", "172.16.0.2"
    wpcap("vxlan.pcap", LT_EN10MB, [
        (us(0), eth(udp4(v1, v2, 49152, 4789, vxlan(4242) +
                         eth(udp4("10.40.0.1", "10.40.0.2", 1000, 2000, b"vxlan-a"),
                             0x0800, im1, im2)), 0x0800)),
        (us(1), eth(udp4(v2, v1, 49153, 4789, vxlan(4242) +
                         eth(udp4("10.40.0.2", "10.40.0.1", 2000, 1000, b"vxlan-b"),
                             0x0800, im2, im1)), 0x0800, MAC_B, MAC_A)),
    ])
    # GTP-U: uplink with a PDU session container extension header (TEID
    # 0xabcdef), downlink without extensions (other TEID).
    g1, g2 = "10.200.0.1", "10.200.0.2"
    wpcap("gtpu.pcap", LT_EN10MB, [
        (us(0), eth(udp4(g1, g2, 2152, 2152,
                         gtpu(0xabcdef, udp4("10.50.0.1", "10.50.0.2", 3000, 4000, b"gtp-a"),
                              ext=(0x85, b"\x10\x09"))), 0x0800)),
        (us(1), eth(udp4(g2, g1, 2152, 2152,
                         gtpu(0xfedcba, udp4("10.50.0.2", "10.50.0.1", 4000, 3000, b"gtp-b"))),
                    0x0800, MAC_B, MAC_A)),
    ])
    # IPv4 in IPv4 and IPv6 in IPv4.
    wpcap("ipip.pcap", LT_EN10MB, [
        (us(0), eth(ip4_over("192.0.2.10", "192.0.2.20", 4,
                             udp4("10.60.0.1", "10.60.0.2", 5555, 6666, b"ipip")), 0x0800)),
    ])
    wpcap("sixin4.pcap", LT_EN10MB, [
        (us(0), eth(ip4_over("192.0.2.30", "192.0.2.40", 41,
                             udp6("2001:db8:6::1", "2001:db8:6::2", 1234, 5678, b"6in4")),
                    0x0800)),
    ])


def case_ip_features():
    # IPv6 extension headers: an unfragmented datagram with hop-by-hop and
    # destination options, then one datagram in two fragments (HBH + DestOpt
    # + Fragment), then the answer.
    c6, s6 = "2001:db8:e::1", "2001:db8:e::2"
    dgram = udp6(c6, s6, 7777, 8888, bytes(range(64)) * 2)[40:]  # UDP header + 128 bytes

    def v6frag(part, offset, more):
        return raw(IPv6(src=c6, dst=s6, nh=0) /
                   IPv6ExtHdrHopByHop(nh=60, options=[PadN(optdata=b"\0\0\0\0")]) /
                   IPv6ExtHdrDestOpt(nh=44, options=[PadN(optdata=b"\0\0\0\0")]) /
                   IPv6ExtHdrFragment(nh=17, offset=offset, m=int(more), id=0x1234) /
                   Raw(part))

    wpcap("ipv6_ext.pcap", LT_EN10MB, [
        (us(0), eth(raw(IPv6(src=c6, dst=s6) / IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt() /
                        UDP(sport=7777, dport=8888) / Raw(b"exthdr")), 0x86dd)),
        (us(1), eth(v6frag(dgram[:80], 0, True), 0x86dd)),
        (us(1, 100), eth(v6frag(dgram[80:], 10, False), 0x86dd)),
        (us(2), eth(udp6(s6, c6, 8888, 7777, b"answer"), 0x86dd, MAC_B, MAC_A)),
    ])

    # One UDP datagram in three IPv4 fragments (first packets of the file).
    a, b = "10.70.0.1", "10.70.0.2"
    d4 = udp4(a, b, 1500, 1600, bytes(i & 0xff for i in range(1400)))[20:]  # 1408 bytes

    def v4frag(part, off8, more):
        return raw(IP(src=a, dst=b, id=0x4242, proto=17, flags="MF" if more else 0,
                      frag=off8) / Raw(part))

    wpcap("ipv4_frag.pcap", LT_EN10MB, [
        (us(0), eth(v4frag(d4[:512], 0, True), 0x0800)),
        (us(0, 10), eth(v4frag(d4[512:1024], 64, True), 0x0800)),
        (us(0, 20), eth(v4frag(d4[1024:], 128, False), 0x0800)),
    ])
    # The same three fragments behind an unrelated packet sent 60 s earlier.
    wpcap("ipv4_frag_late.pcap", LT_EN10MB, [
        (us(0), eth(udp4("10.70.1.1", "10.70.1.2", 9000, 9001, b"earlier"), 0x0800)),
        (us(60), eth(v4frag(d4[:512], 0, True), 0x0800)),
        (us(60, 10), eth(v4frag(d4[512:1024], 64, True), 0x0800)),
        (us(60, 20), eth(v4frag(d4[1024:], 128, False), 0x0800)),
    ])
    # A 3000-byte ping in three fragments, then its unfragmented reply: one
    # ICMP flow (the later fragments keep the echo type and identifier).
    p1, p2 = "10.72.0.1", "10.72.0.2"
    icmp_d = raw(ICMP(type=8, id=0x2222, seq=1) / Raw(b"P" * 2992))  # 3000 bytes

    def icmpfrag(part, off8, more):
        return raw(IP(src=p1, dst=p2, id=0x5151, proto=1, flags="MF" if more else 0,
                      frag=off8) / Raw(part))

    wpcap("frag_icmp.pcap", LT_EN10MB, [
        (us(0), eth(icmpfrag(icmp_d[:1480], 0, True), 0x0800)),
        (us(0, 10), eth(icmpfrag(icmp_d[1480:2960], 185, True), 0x0800)),
        (us(0, 20), eth(icmpfrag(icmp_d[2960:], 370, False), 0x0800)),
        (us(0, 500), eth(raw(IP(src=p2, dst=p1) / ICMP(type=0, id=0x2222, seq=1) /
                             Raw(b"pong")), 0x0800, MAC_B, MAC_A)),
    ])
    # An ESP datagram (no ports) in three fragments: one flow of 3 packets.
    e1, e2 = "10.73.0.1", "10.73.0.2"
    esp_d = b"\x00\x00\x10\x01" + b"\x00\x00\x00\x01" + b"E" * 2992

    def espfrag(part, off8, more):
        return raw(IP(src=e1, dst=e2, id=0x5252, proto=50, flags="MF" if more else 0,
                      frag=off8) / Raw(part))

    wpcap("frag_esp.pcap", LT_EN10MB, [
        (us(0), eth(espfrag(esp_d[:1480], 0, True), 0x0800)),
        (us(0, 10), eth(espfrag(esp_d[1480:2960], 185, True), 0x0800)),
        (us(0, 20), eth(espfrag(esp_d[2960:], 370, False), 0x0800)),
    ])

    # A later fragment whose first fragment was never seen.
    wpcap("frag_orphan.pcap", LT_EN10MB, [
        (us(0), eth(udp4("10.71.0.1", "10.71.0.2", 1700, 1800, b"good"), 0x0800)),
        (us(1), eth(raw(IP(src="10.71.0.1", dst="10.71.0.2", id=0x777, proto=17, frag=64) /
                        Raw(b"x" * 100)), 0x0800)),
    ])

    wpcap("sctp.pcap", LT_EN10MB, [
        (us(0), eth(raw(IP(src="10.80.0.1", dst="10.80.0.2") /
                        SCTP(sport=5000, dport=36412, tag=0) /
                        SCTPChunkInit(init_tag=0x11111111, a_rwnd=65535, n_out_streams=2,
                                      n_in_streams=2, init_tsn=1)), 0x0800)),
        (us(1), eth(raw(IP(src="10.80.0.2", dst="10.80.0.1") /
                        SCTP(sport=36412, dport=5000, tag=0x11111111) /
                        SCTPChunkInitAck(init_tag=0x22222222, a_rwnd=65535, n_out_streams=2,
                                         n_in_streams=2, init_tsn=1)), 0x0800, MAC_B, MAC_A)),
    ])
    # ICMP echo: two exchanges with different identifiers are two flows.
    i1, i2 = "10.90.0.1", "10.90.0.2"
    wpcap("icmp.pcap", LT_EN10MB, [
        (us(0), eth(raw(IP(src=i1, dst=i2) / ICMP(type=8, id=0x1234, seq=1) / Raw(b"ping")),
                    0x0800)),
        (us(1), eth(raw(IP(src=i2, dst=i1) / ICMP(type=0, id=0x1234, seq=1) / Raw(b"ping")),
                    0x0800, MAC_B, MAC_A)),
        (us(2), eth(raw(IP(src=i1, dst=i2) / ICMP(type=8, id=0x5678, seq=1) / Raw(b"ping")),
                    0x0800)),
    ])
    j1, j2 = "2001:db8:9::1", "2001:db8:9::2"
    wpcap("icmpv6.pcap", LT_EN10MB, [
        (us(0), eth(raw(IPv6(src=j1, dst=j2) / ICMPv6EchoRequest(id=0x99, seq=1, data=b"p6")),
                    0x86dd)),
        (us(1), eth(raw(IPv6(src=j2, dst=j1) / ICMPv6EchoReply(id=0x99, seq=1, data=b"p6")),
                    0x86dd, MAC_B, MAC_A)),
    ])


def tcp_session(c, s, cport, sport, request, response, t=0):
    """Handshake, request, response, FIN both ways: 6 client + 4 server packets."""
    ci, si = 100000, 500000
    C = lambda *a, **k: eth(tcp4(c, s, cport, sport, *a, **k), 0x0800)  # noqa: E731
    S = lambda *a, **k: eth(tcp4(s, c, sport, cport, *a, **k), 0x0800, MAC_B, MAC_A)  # noqa
    cr, sr = ci + 1 + len(request), si + 1 + len(response)
    return [
        (us(t, 0), C("S", ci)),
        (us(t, 1000), S("SA", si, ci + 1)),
        (us(t, 2000), C("A", ci + 1, si + 1)),
        (us(t, 3000), C("PA", ci + 1, si + 1, payload=request)),
        (us(t, 4000), S("A", si + 1, cr)),
        (us(t, 5000), S("PA", si + 1, cr, payload=response)),
        (us(t, 6000), C("A", cr, sr)),
        (us(t, 7000), C("FA", cr, sr)),
        (us(t, 8000), S("FA", sr, cr + 1)),
        (us(t, 9000), C("A", cr + 1, sr + 1)),
    ]


HTTP_REQ = (b"GET /index.html HTTP/1.1\r\nHost: www.example.com\r\n"
            b"User-Agent: telexpose-e2e/1.0 (crafted)\r\nAccept: */*\r\n\r\n")
HTTP_RSP = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 13\r\n"
            b"Server: crafted\r\n\r\n<html></html>")


def tls_client_hello(sni):
    def ext(etype, body):
        return struct.pack(">HH", etype, len(body)) + body

    name = sni.encode()
    exts = b"".join([
        ext(0, struct.pack(">HBH", len(name) + 3, 0, len(name)) + name),
        ext(10, struct.pack(">H", 6) + struct.pack(">HHH", 0x001d, 0x0017, 0x0018)),
        ext(11, b"\x01\x00"),
        ext(13, struct.pack(">H", 8) + struct.pack(">HHHH", 0x0403, 0x0804, 0x0401, 0x0503)),
        ext(16, struct.pack(">H", 9) + b"\x08http/1.1"),
        ext(23, b""),
        ext(65281, b"\x00"),
    ])
    suites = [0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0x009e, 0x009f, 0x00ff]
    body = (struct.pack(">H", 0x0303) + bytes(range(32)) + b"\x00" +
            struct.pack(">H", 2 * len(suites)) + b"".join(struct.pack(">H", x) for x in suites) +
            b"\x01\x00" + struct.pack(">H", len(exts)) + exts)
    hs = b"\x01" + struct.pack(">I", len(body))[1:] + body
    return b"\x16\x03\x01" + struct.pack(">H", len(hs)) + hs


def case_apps():
    wpcap("http.pcap", LT_EN10MB, tcp_session("10.100.0.1", "10.100.0.2", 51000, 80,
                                              HTTP_REQ, HTTP_RSP))
    c, s = "10.110.0.1", "10.110.0.53"
    q = DNS(id=0x4242, rd=1, qd=DNSQR(qname="www.example.org", qtype="A"))
    r = DNS(id=0x4242, qr=1, rd=1, ra=1, qd=DNSQR(qname="www.example.org", qtype="A"),
            an=DNSRR(rrname="www.example.org", type="A", ttl=300, rdata="192.0.2.80"))
    wpcap("dns.pcap", LT_EN10MB, [
        (us(0), eth(raw(IP(src=c, dst=s) / UDP(sport=53000, dport=53) / q), 0x0800)),
        (us(0, 20000), eth(raw(IP(src=s, dst=c) / UDP(sport=53, dport=53000) / r), 0x0800,
                           MAC_B, MAC_A)),
    ])
    tc, ts = "10.120.0.1", "10.120.0.2"
    C = lambda *a, **k: eth(tcp4(tc, ts, 52000, 443, *a, **k), 0x0800)  # noqa: E731
    S = lambda *a, **k: eth(tcp4(ts, tc, 443, 52000, *a, **k), 0x0800, MAC_B, MAC_A)  # noqa
    hello = tls_client_hello("tls.example.net")
    wpcap("tls.pcap", LT_EN10MB, [
        (us(0), C("S", 1000)),
        (us(0, 1000), S("SA", 9000, 1001)),
        (us(0, 2000), C("A", 1001, 9001)),
        (us(0, 3000), C("PA", 1001, 9001, payload=hello)),
        (us(0, 4000), S("A", 9001, 1001 + len(hello))),
    ])


def case_utf8():
    """An HTTP request whose path and Host header are not UTF-8."""
    req = b"GET /\xff\xfe HTTP/1.1\r\nHost: ex\xe9mple.com\r\nUser-Agent: t\xc3\r\n\r\n"
    wpcap("http_utf8.pcap", LT_EN10MB, tcp_session("10.101.0.1", "10.101.0.2", 51001, 80,
                                                   req, HTTP_RSP))


def case_malformed():
    """Six malformed frames, one per reason, between good packets."""
    good_a = eth(udp4("10.9.0.1", "10.9.0.2", 41111, 42222, b"good-1"), 0x0800)
    good_b = eth(udp4("10.9.0.2", "10.9.0.1", 42222, 41111, b"good-2"), 0x0800, MAC_B, MAC_A)
    good_c = eth(tcp4("10.9.0.3", "10.9.0.4", 3333, 4444, "S", 1), 0x0800)

    ihl = bytearray(udp4("10.9.1.1", "10.9.1.2", 1, 2, b"ihl"))
    ihl[0] = 0x43                                  # IHL 3 (12 bytes) < 5
    totlen = bytearray(udp4("10.9.2.1", "10.9.2.2", 3, 4, b"totlen"))
    totlen[2:4] = struct.pack(">H", 1000)           # total length past the frame
    tcph = bytearray(tcp4("10.9.3.1", "10.9.3.2", 5, 6, "S", 1))
    tcph[20 + 12] = 0x20                           # TCP data offset 2 (8 bytes) < 5
    udpl = bytearray(udp4("10.9.4.1", "10.9.4.2", 7, 8, b"udplen"))
    udpl[24:26] = struct.pack(">H", 500)           # UDP length past the IP payload
    short_eth = bytes.fromhex("02000000000b02000000000a08")[:10]   # 10 bytes of header
    short_vlan = bytes.fromhex("02000000000b02000000000a" "8100" "0064")  # TCI, no type

    wpcap("malformed.pcap", LT_EN10MB, [
        (us(0), good_a),
        (us(1), eth(bytes(ihl), 0x0800)),
        (us(2), eth(bytes(totlen), 0x0800)),
        (us(3), good_b),
        (us(4), eth(bytes(tcph), 0x0800)),
        (us(5), eth(bytes(udpl), 0x0800)),
        (us(6), short_eth),
        (us(7), short_vlan),
        (us(8), good_c),
    ])


def case_bad_files():
    wpcap("bad_linktype.pcap", LT_USER0, [(us(0), udp4("10.0.0.1", "10.0.0.2", 1, 2, b"u0"))])
    # Three two-packet flows, then the last packet cut in the middle.
    pk = []
    for i in range(3):
        a, b = "10.8.%d.1" % i, "10.8.%d.2" % i
        pk.append((us(2 * i), eth(udp4(a, b, 7000 + i, 8000, b"trunc-req-%d" % i), 0x0800)))
        pk.append((us(2 * i + 1), eth(udp4(b, a, 8000, 7000 + i, b"trunc-rsp-%d" % i), 0x0800,
                                      MAC_B, MAC_A)))
    write("truncated.pcap", pcap_bytes(LT_EN10MB, pk)[:-10])
    rnd = random.Random(20231114)
    junk = bytes(rnd.randrange(256) for _ in range(64))
    assert junk[:4] not in (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\x4d\x3c\xb2\xa1",
                            b"\xa1\xb2\x3c\x4d", b"\x0a\x0d\x0d\x0a")
    write("corrupt_header.pcap", junk)
    write("empty.pcap", b"")


def case_timeline():
    # One TCP session over two files: handshake and request in part 1,
    # response and teardown in part 2.
    pk = tcp_session("10.130.0.1", "10.130.0.2", 53001, 8080, b"hello part one\n",
                     b"hello part two\n")
    wpcap("split_part1.pcap", LT_EN10MB, pk[:4])
    wpcap("split_part2.pcap", LT_EN10MB, pk[4:])

    # UDP idle timeout: 200 s of silence splits the flow (default udp=60 s);
    # a later unrelated packet makes the second record time out as well.
    a, b = "10.140.0.1", "10.140.0.2"
    wpcap("udp_timeout.pcap", LT_EN10MB, [
        (us(0), eth(udp4(a, b, 1000, 2000, b"first"), 0x0800)),
        (us(200), eth(udp4(a, b, 1000, 2000, b"second"), 0x0800)),
        (us(400), eth(udp4("10.140.0.3", "10.140.0.4", 3000, 4000, b"other"), 0x0800)),
    ])
    # Active timeout: one packet every 100 s for 4000 s (41 packets,
    # alternating direction); run with an idle timeout above 100 s.
    a, b = "10.150.0.1", "10.150.0.2"
    pk = []
    for k in range(41):
        if k % 2 == 0:
            pk.append((us(100 * k), eth(udp4(a, b, 5000, 6000, b"tick"), 0x0800)))
        else:
            pk.append((us(100 * k), eth(udp4(b, a, 6000, 5000, b"tock"), 0x0800, MAC_B, MAC_A)))
    wpcap("active_timeout.pcap", LT_EN10MB, pk)

    # Idle timeouts survive one packet with a far-future timestamp: 20 UDP
    # flows 100 s apart, and after the 5th a stray packet dated 2100.
    pk = []
    for k in range(20):
        pk.append((us(100 * k), eth(udp4("10.155.0.%d" % (k + 1), "10.155.1.1", 7000, 7001,
                                         b"tick"), 0x0800)))
        if k == 4:
            pk.append((4102444800 * 1000000, eth(udp4("10.155.2.1", "10.155.1.1",
                                                      7002, 7001, b"stray"), 0x0800)))
    wpcap("ts_jump.pcap", LT_EN10MB, pk)


def case_eviction():
    """20000 one-packet UDP flows in 20 s (raw IPv4, to keep the file small)."""
    pk = []
    for i in range(20000):
        src = "10.%d.%d.%d" % (160 + (i >> 16), (i >> 8) & 0xff, i & 0xff)
        pk.append((us(i // 1000, (i % 1000) * 1000), udp4(src, "10.255.0.1", 1024, 9, b"e")))
    wpcap("eviction.pcap", LT_IPV4, pk)


def main():
    os.makedirs(OUT, exist_ok=True)
    for fn in (case_link_types, case_l2_encaps, case_tunnels, case_ip_features, case_apps,
               case_utf8, case_malformed, case_bad_files, case_timeline, case_eviction):
        fn()
    print("wrote %d files to %s" % (len(os.listdir(OUT)), OUT), file=sys.stderr)


if __name__ == "__main__":
    main()
