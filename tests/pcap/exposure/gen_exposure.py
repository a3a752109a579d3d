#!/usr/bin/python3
"""gen_exposure.py - write the crafted captures of tests/pcap/exposure/.

Run with Debian's interpreter, which has scapy:
    /usr/bin/python3 tests/pcap/exposure/gen_exposure.py
One capture per scenario of the device and exposure stage (docs/report.md,
docs/exposure.md); each case's docstring says what its capture proves, and
tests/e2e/report.py holds the expectations. Like gen_vendor.py (whose TCP,
UDP and Ethernet helpers are reused), every byte is fixed: a re-run
rewrites byte-identical files.

Unlike the vendor captures, the non-vendor endpoints here carry real
(universally administered) MACs of Intel (00:1b:21) and Dell (00:06:5b), as
real hosts would: their registry organisations are seen and must not make
them vendor devices.
"""
import ipaddress
import logging
import os
import struct
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
import gen_vendor  # noqa: E402  (side-effect free: main() only runs as a script)
from gen import LT_EN10MB, pcap_bytes, tls_client_hello, us  # noqa: E402
from gen_vendor import SYS_DESCR, Tcp, udp  # noqa: E402
from scapy.all import ARP, DNS, DNSQR, DNSRR, Ether, raw  # noqa: E402
from scapy.asn1.asn1 import ASN1_OID, ASN1_STRING  # noqa: E402
from scapy.layers.snmp import SNMP, SNMPget, SNMPresponse, SNMPvarbind  # noqa: E402

OUT = HERE
BC = "ff:ff:ff:ff:ff:ff"
# Vendor-network prefixes the public addresses of gateway_300.pcap must avoid
# (the source of signatures/networks/*.net); checked when present.
ASN_DIR = "/work/shared/reference/asn"


def write(name, pkts):
    ts = [t for t, _ in pkts]
    assert ts == sorted(ts), "%s: timestamps go backwards" % name
    with open(os.path.join(OUT, name), "wb") as fh:
        fh.write(pcap_bytes(LT_EN10MB, pkts))


class Session(Tcp):
    """gen_vendor.Tcp with a start time in microseconds (T0-relative), so
    that hundreds of sessions fit in a few seconds without overlapping."""

    def __init__(self, c, s, t_us, isn_c=1000, isn_s=700000):
        super().__init__(c, s, 0, isn_c, isn_s)
        self.t_us = t_us

    def _tick(self):
        self.step += 1
        return us(0, self.t_us + self.step * 1000)


def arp_pair(req_mac, req_ip, rep_mac, rep_ip, t_us):
    """An ARP request (broadcast) and its reply: binds rep_ip to rep_mac
    (and req_ip to req_mac)."""
    return [(us(0, t_us), raw(Ether(src=req_mac, dst=BC) /
                              ARP(op=1, hwsrc=req_mac, psrc=req_ip, pdst=rep_ip))),
            (us(0, t_us + 500), raw(Ether(src=rep_mac, dst=req_mac) /
                                    ARP(op=2, hwsrc=rep_mac, psrc=rep_ip, hwdst=req_mac,
                                        pdst=req_ip)))]


def dns_pair(cl, cl_mac, srv, srv_mac, name, answer, qid, sport, t_us):
    q = DNS(id=qid, rd=1, qd=DNSQR(qname=name, qtype="A"))
    r = DNS(id=qid, qr=1, rd=1, ra=1, qd=DNSQR(qname=name, qtype="A"),
            an=DNSRR(rrname=name, type="A", ttl=300, rdata=answer))
    return [udp(cl, srv, sport, 53, raw(q), us(0, t_us), cl_mac, srv_mac),
            udp(srv, cl, 53, sport, raw(r), us(0, t_us + 8000), srv_mac, cl_mac)]


def tls_server_hello():
    """ServerHello (TLS 1.2, ECDHE-RSA-AES128-GCM-SHA256) + ServerHelloDone in
    one record. No certificate: the test is about the client's contact."""
    exts = struct.pack(">HHB", 0xff01, 1, 0) + struct.pack(">HH", 23, 0)
    body = (struct.pack(">H", 0x0303) + bytes(range(32, 64)) + b"\x00" +
            struct.pack(">H", 0xc02f) + b"\x00" + struct.pack(">H", len(exts)) + exts)
    hs = b"\x02" + struct.pack(">I", len(body))[1:] + body + b"\x0e\x00\x00\x00"
    return b"\x16\x03\x03" + struct.pack(">H", len(hs)) + hs


def vendor_prefixes():
    nets = []
    if os.path.isdir(ASN_DIR):
        for n in sorted(os.listdir(ASN_DIR)):
            if n.endswith(".txt") and n[:-4].isdigit():
                with open(os.path.join(ASN_DIR, n)) as fh:
                    nets += [ipaddress.ip_network(x.strip()) for x in fh if x.strip()]
    return nets


# ------------------------------------------------------------------ cases

def case_gateway_300():
    """gateway_300.pcap: a LAN client (192.168.1.10, Intel MAC) behind a
    Huawei home gateway (MAC 48:46:fb:00:00:01, 192.168.1.1). The client
    ARPs for the gateway, resolves a name through it, then opens 300 short
    HTTP sessions to 300 distinct public addresses (23.20.0.10 -
    23.20.1.159, outside every vendor network); every frame from the
    internet side carries the gateway's MAC. Proves exactly one device: the
    gateway, Huawei, role router, ips ["192.168.1.1"]; none of the 300
    addresses inherits its vendor."""
    cl, cl_mac = "192.168.1.10", "00:1b:21:11:22:33"
    gw, gw_mac = "192.168.1.1", "48:46:fb:00:00:01"
    pk = arp_pair(cl_mac, cl, gw_mac, gw, 0)
    pk += dns_pair(cl, cl_mac, gw, gw_mac, "www.example.com", "23.20.0.10", 0x1e01, 40000,
                   100000)
    avoid = vendor_prefixes()
    for i in range(300):
        addr = "23.20.%d.%d" % (i // 200, 10 + i % 200)
        a = ipaddress.ip_address(addr)
        assert a.is_global and not any(a in n for n in avoid), addr
        req = b"GET / HTTP/1.1\r\nHost: %s\r\nUser-Agent: curl/7.88.1\r\n\r\n" % addr.encode()
        rsp = b"HTTP/1.1 204 No Content\r\nServer: nginx\r\n\r\n"
        s = Session((cl, 41000 + i, cl_mac), (addr, 80, gw_mac), 1000000 + i * 20000,
                    isn_c=1000 + i, isn_s=500000 + 7 * i)
        pk += s.handshake().send(0, req, ack=False).send(1, rsp, ack=False).close()
    write("gateway_300.pcap", pk)


def case_vendor_cloud_client():
    """vendor_cloud_client.pcap: an ordinary client (10.9.9.9, Intel MAC)
    resolves connectivitycheck.platform.hicloud.com through 10.9.9.1 (answer
    159.138.223.10, announced by Huawei's AS131444), opens TLS 1.2 to it
    with that SNI (the server answers ServerHello), then exchanges a few
    bytes with 1.178.32.10:443 (AS136907, Huawei Cloud) without any name.
    The resolver and the internet are behind one Intel router MAC. Proves a
    vendor contact, not a vendor device: no device, one vendor_contacts
    entry (10.9.9.9, Huawei, via dns+tls+network) and a low
    vendor-infrastructure finding."""
    cl, cl_mac = "10.9.9.9", "00:1b:21:44:55:66"
    rt, rt_mac = "10.9.9.1", "00:1b:21:09:09:01"
    name = "connectivitycheck.platform.hicloud.com"
    pk = arp_pair(cl_mac, cl, rt_mac, rt, 0)
    pk += dns_pair(cl, cl_mac, rt, rt_mac, name, "159.138.223.10", 0x2c01, 40100, 100000)
    s = Session((cl, 40101, cl_mac), ("159.138.223.10", 443, rt_mac), 200000)
    pk += s.handshake().send(0, tls_client_hello(name)).send(1, tls_server_hello()).close()
    s = Session((cl, 40102, cl_mac), ("1.178.32.10", 443, rt_mac), 400000, 5000, 900000)
    pk += s.handshake().send(0, bytes(range(7, 7 + 120))).send(1, bytes(range(200, 56, -1))) \
        .close()
    write("vendor_cloud_client.pcap", pk)


def case_cleartext_mgmt():
    """cleartext_mgmt.pcap: a manager (10.20.0.100, Intel MAC) ARPs for a
    Huawei switch (10.20.0.1, MAC 00:e0:fc:00:00:01), logs in over Telnet
    (VRP Stelnet warning and "Username:" prompt, user admin, password
    Huawei@123) and reads sysDescr.0 over SNMPv2c with community "public"
    (VRP description of an S5720). Proves one device keyed by the MAC, whose
    ip=10.20.0.1 evidence (banner, sysDescr) merged into it through the ARP
    binding, and the findings: cleartext-management for Telnet and for
    SNMP, management-service for both (client 10.20.0.100), covered
    equipment."""
    mgr, mgr_mac = "10.20.0.100", "00:1b:21:00:00:64"
    sw, sw_mac = "10.20.0.1", "00:e0:fc:00:00:01"
    pk = arp_pair(mgr_mac, mgr, sw_mac, sw, 0)
    t = Session((mgr, 50023, mgr_mac), (sw, 23, sw_mac), 100000).handshake()
    t.send(1, b"\xff\xfb\x01\xff\xfb\x03\xff\xfd\x1f\xff\xfd\x18")
    t.send(0, b"\xff\xfd\x01\xff\xfd\x03\xff\xfb\x1f\xff\xfb\x18")
    t.send(1, b"\r\nWarning: Telnet is not a secure protocol, and it is recommended to use "
           b"Stelnet.\r\n\r\nLogin authentication\r\n\r\n\r\nUsername:")
    t.send(0, b"admin\r\n")
    t.send(1, b"Password:")
    t.send(0, b"Huawei@123\r\n")
    t.send(1, b"\r\nInfo: The max number of VTY users is 5, and the number\r\n"
           b"      of current VTY users on line is 1.\r\n<HUAWEI>")
    t.send(0, b"quit\r\n")
    pk += t.close()
    descr = ("Huawei Versatile Routing Platform Software\r\n"
             "VRP (R) software, Version 5.170 (S5720 V200R011C10SPC600)\r\n"
             "Copyright (C) 2000-2018 HUAWEI TECH CO., LTD\r\n"
             "Huawei S5720-28X-PWR-SI-AC Routing Switch")
    get = SNMP(version=1, community="public", PDU=SNMPget(id=0x3c4d, varbindlist=[
        SNMPvarbind(oid=ASN1_OID(SYS_DESCR))]))
    rsp = SNMP(version=1, community="public", PDU=SNMPresponse(id=0x3c4d, varbindlist=[
        SNMPvarbind(oid=ASN1_OID(SYS_DESCR), value=ASN1_STRING(descr.encode()))]))
    pk += [udp(mgr, sw, 50161, 161, raw(get), us(1), mgr_mac, sw_mac),
           udp(sw, mgr, 161, 50161, raw(rsp), us(1, 3000), sw_mac, mgr_mac)]
    write("cleartext_mgmt.pcap", pk)


def case_http_admin_outside():
    """http_admin_outside.pcap: a ZTE home gateway (192.168.1.1, MAC
    24:d3:f2:00:00:01) serves its web admin on tcp/80 to a public client,
    198.51.100.77, whose frames carry an upstream router's MAC
    (00:1b:21:99:99:99). GET / gets 401 (Server "Mini web server 1.0 ZTE
    corp 2005.", realm "cpe@zte.com"); a second session sends Basic
    credentials (admin:admin) and gets 200 with title "ZXHN H108N". Proves
    the ZTE device, a critical management-from-outside finding (cleartext
    HTTP reached from outside) and a high cleartext-management one (Basic
    credentials); with --home-net covering 198.51.100.0/24, no outside
    finding."""
    gw, gw_mac = "192.168.1.1", "24:d3:f2:00:00:01"
    cl, up_mac = "198.51.100.77", "00:1b:21:99:99:99"
    body401 = b"<html><head><title>401 Unauthorized</title></head><body>401</body></html>"
    r401 = (b"HTTP/1.1 401 Unauthorized\r\nServer: Mini web server 1.0 ZTE corp 2005.\r\n"
            b"WWW-Authenticate: Basic realm=\"cpe@zte.com\"\r\nContent-Type: text/html\r\n"
            b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body401)) + body401
    page = (b"<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; "
            b"charset=utf-8\">\n<title>ZXHN H108N</title>\n</head>\n<body>\n"
            b"<div id=\"logo\"></div>\n</body>\n</html>\n")
    r200 = (b"HTTP/1.1 200 OK\r\nServer: Mini web server 1.0 ZTE corp 2005.\r\n"
            b"Content-Type: text/html\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
            % len(page)) + page
    ua = b"User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 " \
         b"Firefox/120.0\r\n"
    get = b"GET / HTTP/1.1\r\nHost: 203.0.113.200\r\n" + ua + b"Accept: text/html\r\n\r\n"
    auth = (b"GET / HTTP/1.1\r\nHost: 203.0.113.200\r\n" + ua +
            b"Authorization: Basic YWRtaW46YWRtaW4=\r\nAccept: text/html\r\n\r\n")
    pk = Session((cl, 51000, up_mac), (gw, 80, gw_mac), 0).handshake() \
        .send(0, get).send(1, r401).close()
    pk += Session((cl, 51001, up_mac), (gw, 80, gw_mac), 500000).handshake() \
        .send(0, auth).send(1, r200).close()
    write("http_admin_outside.pcap", pk)


def case_quiet_lan():
    """quiet_lan.pcap: a negative. Two hosts and a resolver with Intel and
    Dell MACs: ARP, a DNS lookup of an intranet name, and an HTTP page
    served by Apache. Proves an empty inventory (no device, no finding)
    whose coverage is still stated."""
    a, a_mac = "10.1.1.10", "00:1b:21:0a:0a:0a"
    b, b_mac = "10.1.1.20", "00:06:5b:14:14:14"
    r, r_mac = "10.1.1.1", "00:06:5b:01:01:01"
    pk = arp_pair(a_mac, a, r_mac, r, 0)
    pk += dns_pair(a, a_mac, r, r_mac, "intranet.example.org", b, 0x0a0b, 40200, 100000)
    pk += arp_pair(a_mac, a, b_mac, b, 200000)
    page = (b"<html><head><title>Intranet</title></head><body>Welcome</body></html>\n")
    rsp = (b"HTTP/1.1 200 OK\r\nServer: Apache/2.4.57 (Debian)\r\n"
           b"Content-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(page)) + page
    req = (b"GET / HTTP/1.1\r\nHost: intranet.example.org\r\nUser-Agent: Mozilla/5.0 "
           b"(X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0\r\n\r\n")
    pk += Session((a, 40201, a_mac), (b, 80, b_mac), 300000).handshake() \
        .send(0, req).send(1, rsp).close()
    write("quiet_lan.pcap", pk)


def main():
    assert gen_vendor.OUT != OUT
    for fn in (case_gateway_300, case_vendor_cloud_client, case_cleartext_mgmt,
               case_http_admin_outside, case_quiet_lan):
        fn()
    print("wrote %d captures to %s" % (len([n for n in os.listdir(OUT) if n.endswith(".pcap")]),
                                       OUT), file=sys.stderr)


if __name__ == "__main__":
    main()
