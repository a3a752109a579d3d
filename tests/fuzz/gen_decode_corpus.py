#!/usr/bin/env python3
"""gen_decode_corpus.py - write the seed corpus for tests/fuzz/fuzz_decode.c.

Reference: tests/fuzz/fuzz_decode.c for the input format: byte 0 = link
type index (low nibble, into the target's dlts[] table) | snaplen slack
(high nibble, x64 bytes on the wire that were not captured); the rest is
the frame. One valid frame per encapsulation decode.c knows, plus
truncated and length-corrupted variants.

Usage: gen_decode_corpus.py [OUTDIR]   (default: corpus/decode next to this file)
"""
import os
import struct
import sys

# Index into dlts[] of fuzz_decode.c.
EN10MB, SLL, SLL2, RAW, RAW_LT, DLT_IPV4, DLT_IPV6, NULL, LOOP = range(9)

MAC_A = bytes.fromhex("001122334455")
MAC_B = bytes.fromhex("66778899aabb")


def v4(s):
    return bytes(int(x) for x in s.split("."))


def v6(last):
    return bytes.fromhex("20010db8" + "00" * 11) + bytes([last])


def eth(etype, dst=MAC_A, src=MAC_B):
    return dst + src + struct.pack("!H", etype)


def ipv4(proto, payload, src="192.0.2.1", dst="198.51.100.2", frag=0x4000, opts=b""):
    ihl = (20 + len(opts)) // 4
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, 20 + len(opts) + len(payload), 0x1234,
                      frag, 64, proto, 0, v4(src), v4(dst))
    return hdr + opts + payload


def ipv6(nh, payload, src=1, dst=2):
    return struct.pack("!IHBB16s16s", 0x60000000, len(payload), nh, 64, v6(src), v6(dst)) + payload


def tcp(sport=1234, dport=80, flags=0x18, data=b"hello", opts=b""):
    off = (20 + len(opts)) // 4
    return struct.pack("!HHIIBBHHH", sport, dport, 1000, 2000, off << 4, flags, 65535, 0,
                       0) + opts + data


def udp(sport, dport, data):
    return struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data


def icmp(t, code, ident=7, data=b"ping"):
    return struct.pack("!BBHHH", t, code, 0, ident, 1) + data


def gre(proto, payload, flags=0, key=None):
    h = struct.pack("!HH", flags, proto)
    if flags & 0x8000:
        h += b"\0\0\0\0"
    if flags & 0x2000:
        h += struct.pack("!I", key or 0)
    if flags & 0x1000:
        h += struct.pack("!I", 1)
    return h + payload


def mpls(label, bos):
    return struct.pack("!I", label << 12 | (0x100 if bos else 0) | 64)


def tcp4():
    return ipv4(6, tcp())


def udp6():
    return ipv6(17, udp(5353, 53, b"query"))


def gtp(flags, mtype, payload, extra=b""):
    return struct.pack("!BBHI", flags, mtype, len(extra) + len(payload), 0x01020304) + extra + \
        payload


def frames():
    """Yield (name, link index, slack nibble, frame bytes)."""
    out = "203.0.113.1"
    out2 = "203.0.113.2"
    yield "eth_ipv4_tcp", EN10MB, 0, eth(0x0800) + tcp4()
    padded = eth(0x0800) + ipv4(17, udp(1, 2, b"x"))
    yield "eth_ipv4_tcp_padded", EN10MB, 0, padded.ljust(60, b"\0")
    yield "eth_ipv4_options", EN10MB, 0, eth(0x0800) + ipv4(6, tcp(opts=b"\x01" * 12),
                                                           opts=b"\x01" * 8)
    yield "eth_ipv6_udp", EN10MB, 0, eth(0x86dd) + udp6()
    yield "eth_arp", EN10MB, 0, (eth(0x0806) + bytes(28)).ljust(60, b"\0")
    yield "eth_8023_llc", EN10MB, 0, (eth(6) + b"\x42\x42\x03abc").ljust(60, b"\0")
    yield "eth_vlan", EN10MB, 0, eth(0x8100) + struct.pack("!HH", 100, 0x0800) + tcp4()
    yield "eth_qinq", EN10MB, 0, eth(0x88a8) + struct.pack("!HHHH", 10, 0x8100, 20, 0x86dd) + \
        udp6()
    yield "eth_9100_x3", EN10MB, 0, eth(0x9100) + struct.pack("!HHHHHH", 1, 0x8100, 2, 0x8100, 3,
                                                               0x0800) + tcp4()
    yield "eth_mpls_ipv4", EN10MB, 0, eth(0x8847) + mpls(100, False) + mpls(200, True) + tcp4()
    yield "eth_mpls_ipv6", EN10MB, 0, eth(0x8848) + mpls(300, True) + udp6()
    yield "eth_mpls_pw_eth", EN10MB, 0, eth(0x8847) + mpls(16, True) + bytes(4) + eth(0x0800) + \
        tcp4()
    ppp4 = struct.pack("!H", 0x0021) + tcp4()
    yield "eth_pppoe_ipv4", EN10MB, 0, eth(0x8864) + struct.pack("!BBHH", 0x11, 0, 0x42,
                                                                 len(ppp4)) + ppp4
    ppp6 = struct.pack("!H", 0x0057) + udp6()
    yield "eth_pppoe_ipv6", EN10MB, 0, eth(0x8864) + struct.pack("!BBHH", 0x11, 0, 0x42,
                                                                 len(ppp6)) + ppp6
    yield "eth_pppoe_discovery", EN10MB, 0, eth(0x8863) + bytes.fromhex("11090000000401010000")
    sll_eth = struct.pack("!HHH", 0, 1, 6) + MAC_B + b"\0\0"
    yield "sll_ipv4", SLL, 0, sll_eth + struct.pack("!H", 0x0800) + tcp4()
    yield "sll_none_ipv6", SLL, 0, struct.pack("!HHH", 0, 65534, 0) + bytes(8) + \
        struct.pack("!H", 0x86dd) + udp6()
    yield "sll2_ipv6", SLL2, 0, struct.pack("!HHIHBB", 0x86dd, 0, 3, 1, 0, 6) + MAC_A + b"\0\0" + \
        udp6()
    yield "raw_ipv4", RAW, 0, tcp4()
    yield "rawlt_ipv6", RAW_LT, 0, udp6()
    yield "dlt_ipv4_icmp", DLT_IPV4, 0, ipv4(1, icmp(8, 0))
    yield "dlt_ipv6_icmp6", DLT_IPV6, 0, ipv6(58, icmp(128, 0))
    yield "null_le_ipv4", NULL, 0, struct.pack("<I", 2) + tcp4()
    yield "null_be_ipv6", NULL, 0, struct.pack("!I", 30) + udp6()
    yield "loop_ipv4", LOOP, 0, struct.pack("!I", 2) + tcp4()
    yield "ipv4_sctp", RAW, 0, ipv4(132, struct.pack("!HHII", 2905, 2944, 1, 0) + b"chunk")
    yield "ipv4_frag_first", RAW, 0, ipv4(17, struct.pack("!HHHH", 4000, 53, 1008, 0) + bytes(16),
                                          frag=0x2000)
    yield "ipv4_frag_later", RAW, 0, ipv4(17, bytes(24), frag=185)
    ext = bytes([60, 0]) + bytes(6) + bytes([43, 1]) + bytes(14) + bytes([51, 0]) + bytes(6)
    ah = bytes([6, 4]) + bytes(22)
    yield "ipv6_ext_chain", RAW, 0, ipv6(0, ext + ah + tcp(flags=2, data=b""))
    yield "ipv6_frag", RAW, 0, ipv6(44, bytes([17, 0, 0, 1]) + struct.pack("!I", 0xabcdef01) +
                                    struct.pack("!HHHH", 5353, 53, 3000, 0) + bytes(8))
    yield "ipv6_mobility", RAW, 0, ipv6(135, bytes([59, 1]) + bytes(14))
    yield "gre_ipv4_key", RAW, 0, ipv4(47, gre(0x0800, tcp4(), 0x2000, 0x1234), out, out2)
    yield "gre_csum_seq_ipv6", RAW, 0, ipv6(47, gre(0x86dd, udp6(), 0x9000), 9, 10)
    yield "gre_routing", RAW, 0, ipv4(47, struct.pack("!HHI", 0x4000, 0x0800, 0) +
                                      struct.pack("!HBB", 0x0800, 0, 8) + bytes(8) + bytes(4) +
                                      tcp4(), out, out2)
    yield "gre_teb", EN10MB, 0, eth(0x0800) + ipv4(47, gre(0x6558, eth(0x8100) +
                                                            struct.pack("!HH", 20, 0x0800) +
                                                            tcp4()), out, out2)
    yield "gre_mpls", RAW, 0, ipv4(47, gre(0x8847, mpls(1000, True) + tcp4()), out, out2)
    yield "gre_erspan1", RAW, 0, ipv4(47, gre(0x88be, eth(0x0800) + tcp4()), out, out2)
    yield "gre_erspan2", RAW, 0, ipv4(47, gre(0x88be, struct.pack("!HHI", 0x1000, 0x155, 0) +
                                              eth(0x0800) + tcp4(), 0x1000), out, out2)
    e3 = struct.pack("!HHIHBB", 0x2000, 0x2aa, 0, 0, 0, 1) + bytes(8)
    yield "gre_erspan3_o", RAW, 0, ipv4(47, gre(0x22eb, e3 + eth(0x86dd) + udp6(), 0x1000), out,
                                        out2)
    e3ip = struct.pack("!HHIHBB", 0x2000, 7, 0, 0, 2 << 2, 0)
    yield "gre_erspan3_ip", RAW, 0, ipv4(47, gre(0x22eb, e3ip + tcp4(), 0x1000), out, out2)
    ppp = b"\xff\x03\x00\x21" + tcp4()
    yield "pptp_ipv4", RAW, 0, ipv4(47, struct.pack("!HHHHI", 0x3001, 0x880b, len(ppp), 0x0c0c, 5) +
                                    ppp, out, out2)
    ppp = b"\x57" + udp6()
    yield "pptp_ack_ipv6", RAW, 0, ipv4(47, struct.pack("!HHHHII", 0x3081, 0x880b, len(ppp), 7, 5,
                                                        4) + ppp, out, out2)
    vx = struct.pack("!II", 0x08000000, 0x12345600) + eth(0x0800, MAC_B, MAC_A) + tcp4()
    yield "vxlan", EN10MB, 0, eth(0x0800) + ipv4(17, udp(40000, 4789, vx), out, out2)
    vxarp = struct.pack("!II", 0x08000000, 0x100) + eth(0x0806) + bytes(28)
    yield "vxlan_arp", EN10MB, 0, eth(0x0800) + ipv4(17, udp(40000, 4789, vxarp), out, out2)
    yield "gtpu", RAW, 0, ipv4(17, udp(2152, 2152, gtp(0x30, 0xff, tcp4())), out, out2)
    yield "gtpu_seq_ipv6", RAW, 0, ipv4(17, udp(2152, 3000, gtp(0x32, 0xff, udp6(),
                                                                b"\x12\x34\0\0")), out, out2)
    yield "gtpu_ext", RAW, 0, ipv4(17, udp(3000, 2152, gtp(0x34, 0xff, tcp4(),
                                                           bytes.fromhex("0001008501000900"))),
                                   out, out2)
    yield "gtpu_echo", RAW, 0, ipv4(17, udp(2152, 2152, gtp(0x32, 0x01, b"", b"\0\1\0\0")), out,
                                    out2)
    yield "ipip_4in4", RAW, 0, ipv4(4, tcp4(), out, out2)
    yield "ipip_6in4", RAW, 0, ipv4(41, udp6(), out, out2)
    yield "ipip_4in6", RAW, 0, ipv6(4, tcp4(), 9, 10)
    nested = tcp4()
    for _ in range(5):
        nested = ipv4(4, nested, out, out2)
    yield "ipip_x5", RAW, 0, nested
    nest2 = ipv4(47, gre(0x0800, tcp4(), 0x2000, 5), "10.0.0.1", "10.0.0.2")
    vxg = struct.pack("!II", 0x08000000, 0x700) + eth(0x0800) + nest2
    yield "vxlan_gre", EN10MB, 0, eth(0x0800) + ipv4(17, udp(1, 4789, vxg), out, out2)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "corpus", "decode")
    os.makedirs(outdir, exist_ok=True)
    count = 0

    def write(name, link, slack, frame):
        nonlocal count
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(bytes([link | slack << 4]) + frame)
        count += 1

    for name, link, slack, frame in frames():
        write(name, link, slack, frame)
        # Variants of a few frames: snaplen-cut (no error expected past the
        # headers), cut without slack (truncation errors), a corrupted length.
        if name in ("eth_ipv4_tcp", "eth_pppoe_ipv4", "gre_erspan3_o", "vxlan", "gtpu_ext",
                    "ipv6_ext_chain", "pptp_ipv4", "eth_mpls_pw_eth", "eth_qinq"):
            write(name + "_snap", link, 2, frame[:len(frame) - 3])
            write(name + "_cut", link, 0, frame[:len(frame) * 2 // 3])
    write("eth_short", EN10MB, 0, eth(0x0800)[:13])
    write("empty_raw", RAW, 0, b"")
    write("ipv4_bad_ihl", RAW, 0, b"\x44" + tcp4()[1:])
    write("ipv4_totlen_long", RAW, 0, tcp4()[:2] + b"\x05\xdc" + tcp4()[4:])
    write("ipv6_plen_long", RAW, 0, udp6()[:4] + b"\x04\x00" + udp6()[6:])
    write("tcp_doff_15", RAW, 0, ipv4(6, tcp()[:12] + b"\xf0" + tcp()[13:]))
    write("udp_len_7", RAW, 0, ipv4(17, struct.pack("!HHHH", 1, 2, 7, 0) + b"abc"))
    write("gre_v2", RAW, 0, ipv4(47, struct.pack("!HH", 2, 0x0800) + tcp4()))
    ext0 = bytes.fromhex("0001008500000900")
    write("gtpu_ext_len0", RAW, 0, ipv4(17, udp(2152, 2152, gtp(0x34, 0xff, tcp4(), ext0))))
    write("vlan_x9", EN10MB, 0, eth(0x8100) + struct.pack("!HH", 1, 0x8100) * 8 +
          struct.pack("!HH", 1, 0x0800) + tcp4())
    print("wrote %d files to %s" % (count, outdir))


if __name__ == "__main__":
    main()
