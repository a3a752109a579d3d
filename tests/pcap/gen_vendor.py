#!/usr/bin/python3
"""gen_vendor.py - write the crafted vendor captures of tests/pcap/vendor/.

Run with Debian's interpreter, which has scapy:
    /usr/bin/python3 tests/pcap/gen_vendor.py
One small capture per extractor case; each case function says in its
docstring what the capture proves. Like gen.py (whose container writer and
header helpers are reused), every byte is fixed, so a re-run rewrites
byte-identical files. tests/e2e/vendor_expected.tsv holds the expected
evidence; keep it in step.

Addresses: endpoints that are not the device under test use locally
administered MACs (02:...), which never give MAC-organisation evidence, so
each capture proves only the extractor it is about. Identity strings are
taken from real devices (banners, SOAP bodies, sysDescr texts as these
products send them); serial numbers, addresses and MAC suffixes are made up.
"""
import logging
import os
import struct
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
import gen  # noqa: E402  (side-effect free: main() only runs as a script)
from gen import LT_EN10MB, pcap_bytes, tls_client_hello, us  # noqa: E402
from scapy.all import (ARP, BOOTP, DHCP, DNS, DNSQR, DNSRR, IP, TCP, UDP,  # noqa: E402
                       Ether, ICMPv6EchoReply, ICMPv6EchoRequest, IPv6, Raw, raw)
from scapy.asn1.asn1 import ASN1_OID, ASN1_STRING  # noqa: E402
from scapy.layers.dhcp6 import (DHCP6_Solicit, DHCP6OptClientId,  # noqa: E402
                                DHCP6OptElapsedTime, DHCP6OptIA_NA, DHCP6OptOptReq,
                                DHCP6OptVendorClass, DUID_LL, VENDOR_CLASS_DATA)
from scapy.layers.snmp import (SNMP, SNMPget, SNMPresponse, SNMPvarbind)  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vendor")

# Non-vendor endpoints (locally administered: no mac.org evidence).
LA_CLIENT = "02:00:00:00:10:01"
LA_SERVER = "02:00:00:00:10:02"
LA_GW = "02:00:00:00:10:fe"


def mac_bytes(mac):
    return bytes.fromhex(mac.replace(":", ""))


def write(name, pkts):
    data = pcap_bytes(LT_EN10MB, pkts)
    assert len(data) < 20000, "%s is %d bytes" % (name, len(data))
    with open(os.path.join(OUT, name), "wb") as fh:
        fh.write(data)


def ether(src, dst, pkt):
    """An Ethernet frame around a scapy IP/IPv6 packet (or raw bytes)."""
    etype = 0x86dd if isinstance(pkt, IPv6) else 0x0800
    return gen.eth(raw(pkt), etype, src=src, dst=dst)


class Tcp:
    """One TCP connection: handshake, data segments either way, FIN both ways.

    c/s are (ip, port, mac); ipv6 picks the family. Each segment of data is
    acknowledged by the peer, as a real stack would, so sequence numbers
    line up for any reassembly."""

    def __init__(self, c, s, t, isn_c=1000, isn_s=700000):
        self.c, self.s, self.t = c, s, t
        self.seq = {0: isn_c, 1: isn_s}
        self.pkts, self.step = [], 0

    def _tick(self):
        self.step += 1
        return us(self.t, self.step * 1000)

    def _seg(self, d, flags, payload=b""):
        a, b = (self.c, self.s) if d == 0 else (self.s, self.c)
        ipcls = IPv6 if ":" in a[0] else IP
        ack = self.seq[1 - d] if "A" in flags else 0
        p = ipcls(src=a[0], dst=b[0]) / TCP(sport=a[1], dport=b[1], flags=flags,
                                             seq=self.seq[d], ack=ack, window=65535,
                                             options=[])
        if payload:
            p = p / Raw(payload)
        self.pkts.append((self._tick(), ether(a[2], b[2], p)))
        self.seq[d] += len(payload) + (1 if ("S" in flags or "F" in flags) else 0)

    def handshake(self):
        self._seg(0, "S")
        self._seg(1, "SA")
        self._seg(0, "A")
        return self

    def send(self, d, payload, ack=True):
        """d 0: client to server, 1: server to client."""
        self._seg(d, "PA", payload)
        if ack:
            self._seg(1 - d, "A")
        return self

    def close(self):
        self._seg(0, "FA")
        self._seg(1, "FA")
        self._seg(0, "A")
        return self.pkts


def udp(src, dst, sport, dport, payload, t, smac, dmac):
    ipcls = IPv6 if ":" in src else IP
    return (t, ether(smac, dmac, ipcls(src=src, dst=dst) / UDP(sport=sport, dport=dport) /
                     Raw(bytes(payload))))


# ------------------------------------------------------------------ DHCP

def dhcp4(op, mac, xid, options, ciaddr="0.0.0.0", yiaddr="0.0.0.0"):
    return BOOTP(op=op, xid=xid, flags=0x8000, ciaddr=ciaddr, yiaddr=yiaddr,
                 chaddr=mac_bytes(mac) + bytes(10)) / DHCP(options=options + ["end"])


def case_dhcp_random_mac():
    """dhcp_random_mac_huawei_phone.pcap: a Huawei P30 (EMUI) with a
    randomised, locally administered MAC asks for an address. Proves that
    option 60 "HUAWEI:android:ELE" gives evidence keyed by the chaddr
    (mac_source dhcp or ethernet) and that a random MAC gets no mac.org
    evidence (it has no organisation)."""
    phone, srv = "5a:1e:3c:9d:42:07", LA_GW
    common = [("client_id", b"\x01" + mac_bytes(phone)),
              ("max_dhcp_size", 1500),
              ("vendor_class_id", b"HUAWEI:android:ELE"),
              ("hostname", b"HUAWEI_P30-9e8b07efe8a355"),
              ("param_req_list", [1, 3, 6, 15, 26, 28, 51, 58, 59, 43, 114, 108])]
    disc = dhcp4(1, phone, 0x3903f326, [("message-type", "discover")] + common)
    req = dhcp4(1, phone, 0x3903f326, [("message-type", "request"),
                                       ("requested_addr", "192.168.3.23"),
                                       ("server_id", "192.168.3.1")] + common)
    offer = dhcp4(2, phone, 0x3903f326, [("message-type", "offer"),
                                         ("server_id", "192.168.3.1"),
                                         ("lease_time", 86400),
                                         ("subnet_mask", "255.255.255.0"),
                                         ("router", "192.168.3.1")], yiaddr="192.168.3.23")
    ack = dhcp4(2, phone, 0x3903f326, [("message-type", "ack"),
                                       ("server_id", "192.168.3.1"),
                                       ("lease_time", 86400),
                                       ("subnet_mask", "255.255.255.0"),
                                       ("router", "192.168.3.1")], yiaddr="192.168.3.23")
    bc = "ff:ff:ff:ff:ff:ff"
    write("dhcp_random_mac_huawei_phone.pcap", [
        udp("0.0.0.0", "255.255.255.255", 68, 67, disc, us(0), phone, bc),
        udp("192.168.3.1", "255.255.255.255", 67, 68, offer, us(0, 5000), srv, bc),
        udp("0.0.0.0", "255.255.255.255", 68, 67, req, us(0, 10000), phone, bc),
        udp("192.168.3.1", "255.255.255.255", 67, 68, ack, us(0, 15000), srv, bc),
    ])


def case_dhcpv6():
    """dhcpv6_huawei.pcap: a Huawei HG8245H gateway (MAC 00:25:9e:..) sends a
    DHCPv6 Solicit on its WAN with option 16 (vendor class), enterprise 2011
    (Huawei). Proves dhcpv6.enterprise evidence keyed by the client's MAC
    (from the DUID-LL)."""
    gw = "00:25:9e:5a:6b:7c"
    sol = (DHCP6_Solicit(trid=0x5a17c3) /
           DHCP6OptClientId(duid=DUID_LL(lladdr=gw)) /
           DHCP6OptElapsedTime(elapsedtime=0) /
           DHCP6OptIA_NA(iaid=1, T1=0, T2=0) /
           DHCP6OptVendorClass(enterprisenum=2011,
                               vcdata=[VENDOR_CLASS_DATA(data=b"HG8245H")]) /
           DHCP6OptOptReq(reqopts=[23, 24, 17]))
    write("dhcpv6_huawei.pcap", [
        udp("fe80::225:9eff:fe5a:6b7c", "ff02::1:2", 546, 547, raw(sol), us(0), gw,
            "33:33:00:01:00:02"),
    ])


# ------------------------------------------------------------- LLDP, HGMP

def tlv(ttype, value):
    return struct.pack(">H", (ttype << 9) | len(value)) + value


def lldpdu(mac, port, sysname, sysdesc, mgmt_ip):
    return b"".join([
        tlv(1, b"\x04" + mac_bytes(mac)),                      # chassis id: MAC
        tlv(2, b"\x05" + port.encode()),                       # port id: interface name
        tlv(3, struct.pack(">H", 120)),                        # TTL
        tlv(4, port.encode()),                                 # port description
        tlv(5, sysname.encode()),
        tlv(6, sysdesc.encode()),
        tlv(7, struct.pack(">HH", 0x0014, 0x0014)),            # bridge, router
        tlv(8, b"\x05\x01" + bytes(map(int, mgmt_ip.split("."))) +
            b"\x02" + struct.pack(">I", 1) + b"\x00"),         # IPv4, ifIndex 1, no OID
        tlv(0, b""),
    ])


def hgmp_frame(mac):
    # NDP/HGMP v2 neighbour advertisement. The extractor only looks at the
    # EtherType and destination; the body is a stand-in of the right size
    # (version, type, holdtime, checksum, the sender's MAC), not a copy of
    # a real frame.
    body = b"\x01\x01" + struct.pack(">H", 180) + b"\x00\x00" + mac_bytes(mac)
    return gen.eth(body + bytes(46 - len(body)), 0x88a7, src=mac, dst="01:80:c2:00:00:0a")


def lldp_frame(mac, pdu):
    return gen.eth(pdu, 0x88cc, src=mac, dst="01:80:c2:00:00:0e")


def case_lldp_huawei():
    """lldp_huawei_switch.pcap: a Huawei CE6857 (chassis MAC 00:e0:fc:..)
    sends LLDP with its VRP system description and a management address,
    then an HGMP/NDP frame. Proves lldp.* and mac.org evidence keyed by the
    MAC (and eth.protocol hgmp, when a rule uses it)."""
    mac = "00:e0:fc:12:34:56"
    desc = ("Huawei Versatile Routing Platform Software\r\n"
            "VRP (R) software, Version 8.180 (CE6857EI V200R005C10SPC800)\r\n"
            "Copyright (C) 2012-2018 Huawei Technologies Co., Ltd.\r\n"
            "HUAWEI CE6857-48S6CQ-EI")
    write("lldp_huawei_switch.pcap", [
        (us(0), lldp_frame(mac, lldpdu(mac, "10GE1/0/1", "HUAWEI", desc, "192.168.100.1"))),
        (us(1), hgmp_frame(mac)),
    ])


def case_lldp_h3c():
    """lldp_h3c_switch.pcap: a New H3C S6850 (OUI 50:98:b8) sends LLDP with
    its Comware description and an HGMP/NDP frame (Comware kept the
    Huawei-3Com cluster protocols). Proves an H3C switch is not reported as
    Huawei or ZTE: nothing but a weak eth.protocol hit may name Huawei."""
    mac = "50:98:b8:21:43:65"
    desc = ("H3C Comware Platform Software, Software Version 7.1.070, Release 6616\r\n"
            "H3C S6850-56HF\r\n"
            "Copyright (c) 2004-2021 New H3C Technologies Co., Ltd. All rights reserved.")
    write("lldp_h3c_switch.pcap", [
        (us(0), lldp_frame(mac, lldpdu(mac, "Ten-GigabitEthernet1/0/1", "H3C", desc,
                                       "192.168.100.2"))),
        (us(1), hgmp_frame(mac)),
    ])


# ------------------------------------------------------------- negatives

def case_aztech():
    """aztech_not_zte.pcap: an Aztech DSL modem (OUI 00:26:75, "Aztech
    Electronics Pte Ltd", whose name contains "zte") gets an address with
    udhcpc (option 60 "udhcp 1.19.4"), ARPs for its gateway and serves its
    web page titled "AZTECH DSL5001EN". Proves no evidence at all: a
    substring "zte" or a busybox DHCP client is not ZTE."""
    az, ip, gw_ip = "00:26:75:4a:5b:6c", "192.168.1.254", "192.168.1.1"
    bc = "ff:ff:ff:ff:ff:ff"
    opts = [("vendor_class_id", b"udhcp 1.19.4"), ("param_req_list", [1, 3, 6, 12, 15, 28, 42])]
    disc = dhcp4(1, az, 0x1c2d3e4f, [("message-type", "discover")] + opts)
    req = dhcp4(1, az, 0x1c2d3e4f, [("message-type", "request"), ("requested_addr", ip),
                                    ("server_id", gw_ip)] + opts)
    ack = dhcp4(2, az, 0x1c2d3e4f, [("message-type", "ack"), ("server_id", gw_ip),
                                    ("lease_time", 3600), ("subnet_mask", "255.255.255.0"),
                                    ("router", gw_ip)], yiaddr=ip)
    pk = [
        udp("0.0.0.0", "255.255.255.255", 68, 67, disc, us(0), az, bc),
        udp("0.0.0.0", "255.255.255.255", 68, 67, req, us(0, 4000), az, bc),
        udp(gw_ip, "255.255.255.255", 67, 68, ack, us(0, 8000), LA_GW, bc),
        (us(1), raw(Ether(src=az, dst=bc) / ARP(op=1, hwsrc=az, psrc=ip, pdst=gw_ip))),
        (us(1, 1000), raw(Ether(src=LA_GW, dst=az) /
                          ARP(op=2, hwsrc=LA_GW, psrc=gw_ip, hwdst=az, pdst=ip))),
    ]
    page = (b"<html><head><title>AZTECH DSL5001EN</title></head>"
            b"<body>Aztech ADSL2+ Modem Router</body></html>")
    rsp = (b"HTTP/1.1 200 OK\r\nServer: httpd\r\nContent-Type: text/html\r\n"
           b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(page)) + page
    req = (b"GET / HTTP/1.1\r\nHost: 192.168.1.254\r\nUser-Agent: Mozilla/5.0 (X11; Linux "
           b"x86_64; rv:109.0) Gecko/20100101 Firefox/115.0\r\nAccept: */*\r\n\r\n")
    pk += Tcp(("192.168.1.10", 50100, LA_CLIENT), (ip, 80, az), 2).handshake() \
        .send(0, req).send(1, rsp).close()
    write("aztech_not_zte.pcap", pk)


# ----------------------------------------------------------------- TR-069

def inform(manufacturer, oui, product_class, serial, sw, hw, event="1 BOOT"):
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\" "
            "xmlns:SOAP-ENC=\"http://schemas.xmlsoap.org/soap/encoding/\" "
            "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "
            "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
            "xmlns:cwmp=\"urn:dslforum-org:cwmp-1-0\">\n"
            "<SOAP-ENV:Header>\n<cwmp:ID SOAP-ENV:mustUnderstand=\"1\">1</cwmp:ID>\n"
            "</SOAP-ENV:Header>\n<SOAP-ENV:Body>\n<cwmp:Inform>\n"
            "<DeviceId>\n"
            "<Manufacturer>%s</Manufacturer>\n<OUI>%s</OUI>\n"
            "<ProductClass>%s</ProductClass>\n<SerialNumber>%s</SerialNumber>\n"
            "</DeviceId>\n"
            "<Event SOAP-ENC:arrayType=\"cwmp:EventStruct[1]\">\n<EventStruct>\n"
            "<EventCode>%s</EventCode>\n<CommandKey></CommandKey>\n</EventStruct>\n</Event>\n"
            "<MaxEnvelopes>1</MaxEnvelopes>\n<CurrentTime>2023-11-14T22:13:20+00:00</CurrentTime>\n"
            "<RetryCount>0</RetryCount>\n"
            "<ParameterList SOAP-ENC:arrayType=\"cwmp:ParameterValueStruct[4]\">\n"
            "<ParameterValueStruct>\n<Name>InternetGatewayDevice.DeviceSummary</Name>\n"
            "<Value xsi:type=\"xsd:string\">InternetGatewayDevice:1.4[](Baseline:1)</Value>\n"
            "</ParameterValueStruct>\n"
            "<ParameterValueStruct>\n<Name>InternetGatewayDevice.DeviceInfo.HardwareVersion</Name>\n"
            "<Value xsi:type=\"xsd:string\">%s</Value>\n</ParameterValueStruct>\n"
            "<ParameterValueStruct>\n<Name>InternetGatewayDevice.DeviceInfo.SoftwareVersion</Name>\n"
            "<Value xsi:type=\"xsd:string\">%s</Value>\n</ParameterValueStruct>\n"
            "<ParameterValueStruct>\n"
            "<Name>InternetGatewayDevice.ManagementServer.ConnectionRequestURL</Name>\n"
            "<Value xsi:type=\"xsd:string\">http://100.64.1.20:7547/</Value>\n"
            "</ParameterValueStruct>\n"
            "</ParameterList>\n</cwmp:Inform>\n</SOAP-ENV:Body>\n</SOAP-ENV:Envelope>\n"
            % (manufacturer, oui, product_class, serial, event, hw, sw)).encode()


def soap_post(body, host):
    return (b"POST /acs HTTP/1.1\r\nHost: %s\r\nContent-Type: text/xml; charset=\"utf-8\"\r\n"
            b"SOAPAction: \"\"\r\nContent-Length: %d\r\n\r\n" % (host.encode(), len(body))) + body


INFORM_RESPONSE = (b"<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/"
                   b"envelope/\" xmlns:cwmp=\"urn:dslforum-org:cwmp-1-0\"><SOAP-ENV:Header>"
                   b"<cwmp:ID SOAP-ENV:mustUnderstand=\"1\">1</cwmp:ID></SOAP-ENV:Header>"
                   b"<SOAP-ENV:Body><cwmp:InformResponse><MaxEnvelopes>1</MaxEnvelopes>"
                   b"</cwmp:InformResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>")
ACS_200 = (b"HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\n"
           b"Content-Length: %d\r\n\r\n" % len(INFORM_RESPONSE)) + INFORM_RESPONSE
ACS = "198.51.100.10"


def case_tr069():
    """tr069_inform_3seg.pcap: a Huawei HG8245H ONT (WAN 100.64.1.20) posts
    a BOOT Inform to its ACS in three TCP segments (cut inside DeviceId and
    inside the ParameterList); the ACS answers 200. Proves cwmp.* evidence
    keyed ip=100.64.1.20 after reassembly, and the flow's vendor.src_ip.

    tr069_inform_zte.pcap: a ZTE F670L posts its Inform in one segment. Its
    DeviceId OUI 001141 is the IEEE block of GoodMan Corporation: proves the
    manufacturer/product class name ZTE while cwmp.oui gives no ZTE
    evidence."""
    msg = soap_post(inform("Huawei Technologies Co., Ltd", "00259E", "HG8245H",
                           "48575443E6F52C0C", "V3R017C10S115", "10C7.A"), ACS + ":7547")
    cut1 = msg.index(b"<ProductClass>") + 5      # inside a DeviceId tag
    cut2 = msg.index(b"DeviceInfo.SoftwareVersion") + 10
    c = Tcp(("100.64.1.20", 49152, LA_CLIENT), (ACS, 7547, LA_GW), 0).handshake()
    c.send(0, msg[:cut1], ack=False).send(0, msg[cut1:cut2], ack=False).send(0, msg[cut2:])
    write("tr069_inform_3seg.pcap", c.send(1, ACS_200).close())

    msg = soap_post(inform("ZTE", "001141", "F670L", "ZTEGCFLN794B3A1", "V9.0.10P1N12",
                           "V9.0"), ACS + ":7547").replace(b"100.64.1.20", b"100.64.2.30")
    c = Tcp(("100.64.2.30", 50321, LA_CLIENT), (ACS, 7547, LA_GW), 0).handshake()
    write("tr069_inform_zte.pcap", c.send(0, msg).send(1, ACS_200).close())


# -------------------------------------------------------------------- SNMP

SYS_DESCR, SYS_OID, SYS_NAME = "1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.5.0"


def snmp_get_pair(mgr, agent, reqid, descr, oid, name, t, amac):
    get = SNMP(version=1, community="public", PDU=SNMPget(id=reqid, varbindlist=[
        SNMPvarbind(oid=ASN1_OID(o)) for o in (SYS_DESCR, SYS_OID, SYS_NAME)]))
    rsp = SNMP(version=1, community="public", PDU=SNMPresponse(id=reqid, varbindlist=[
        SNMPvarbind(oid=ASN1_OID(SYS_DESCR), value=ASN1_STRING(descr.encode())),
        SNMPvarbind(oid=ASN1_OID(SYS_OID), value=ASN1_OID(oid)),
        SNMPvarbind(oid=ASN1_OID(SYS_NAME), value=ASN1_STRING(name.encode()))]))
    return [udp(mgr, agent, 50161, 161, raw(get), us(t), LA_CLIENT, amac),
            udp(agent, mgr, 161, 50161, raw(rsp), us(t, 3000), amac, LA_CLIENT)]


def ber(tag, body):
    n = len(body)
    if n < 0x80:
        return bytes([tag, n]) + body
    return bytes([tag, 0x82]) + struct.pack(">H", n) + body


def ber_int(v):
    b = v.to_bytes((v.bit_length() + 8) // 8 or 1, "big")
    return ber(0x02, b)


def ber_oid(dotted):
    parts = [int(x) for x in dotted.split(".")]
    out = bytearray([40 * parts[0] + parts[1]])
    for p in parts[2:]:
        chunk = [p & 0x7f]
        p >>= 7
        while p:
            chunk.insert(0, 0x80 | (p & 0x7f))
            p >>= 7
        out += bytes(chunk)
    return ber(0x06, bytes(out))


def snmpv3(msgid, flags, engine, boots, time, pdu_tag, reqid, varbinds):
    """RFC 3412 message with USM parameters (RFC 3414), no auth, no priv."""
    usm = ber(0x30, ber(0x04, engine) + ber_int(boots) + ber_int(time) + ber(0x04, b"") +
              ber(0x04, b"") + ber(0x04, b""))
    vbl = ber(0x30, b"".join(ber(0x30, ber_oid(o) + v) for o, v in varbinds))
    pdu = ber(pdu_tag, ber_int(reqid) + ber_int(0) + ber_int(0) + vbl)
    scoped = ber(0x30, ber(0x04, engine) + ber(0x04, b"") + pdu)
    header = ber(0x30, ber_int(msgid) + ber_int(65507) + ber(0x04, bytes([flags])) + ber_int(3))
    return ber(0x30, ber_int(3) + header + ber(0x04, usm) + scoped)


def case_snmp():
    """snmp_huawei.pcap: a manager reads sysDescr/sysObjectID/sysName of a
    Huawei S5720 over v2c (enterprise 2011 object id, VRP description),
    then runs SNMPv3 engine discovery: the Report carries the engine id
    80 00 07 db 03 + MAC (RFC 3411 format 3, enterprise 2011). Proves
    snmp.* and snmp.engine_enterprise evidence keyed ip=10.30.0.1.

    snmp_zte.pcap: the same v2c read of a ZTE agent (enterprise 3902).
    Proves snmp.* evidence keyed ip=10.31.0.1 as ZTE. The object id lies in
    the 3902.1082 (ZXA10 access) branch while the description names a ZXR10
    switch, so the test asserts the vendor, not a model."""
    mgr, hw, hw_mac = "10.30.0.100", "10.30.0.1", LA_SERVER
    descr = ("Huawei Versatile Routing Platform Software\r\n"
             "VRP (R) software, Version 5.170 (S5720 V200R011C10SPC600)\r\n"
             "Copyright (C) 2000-2018 HUAWEI TECH CO., LTD\r\n"
             "Huawei S5720-28X-PWR-SI-AC Routing Switch")
    pk = snmp_get_pair(mgr, hw, 0x1a2b, descr, "1.3.6.1.4.1.2011.2.239.59", "core-sw-01", 0,
                       hw_mac)
    engine = bytes.fromhex("800007db03") + mac_bytes("00:e0:fc:3a:5b:01")
    probe = snmpv3(0x4d21, 0x04, b"", 0, 0, 0xa0, 0x77aa, [])
    report = snmpv3(0x4d21, 0x00, engine, 7, 1203, 0xa8, 0x77aa,
                    [("1.3.6.1.6.3.15.1.1.4.0", ber(0x41, b"\x01"))])
    pk += [udp(mgr, hw, 50162, 161, probe, us(1), LA_CLIENT, hw_mac),
           udp(hw, mgr, 161, 50162, report, us(1, 2000), hw_mac, LA_CLIENT)]
    write("snmp_huawei.pcap", pk)

    write("snmp_zte.pcap", snmp_get_pair(
        mgr, "10.31.0.1", 0x2b3c,
        "ZXR10 5960-52TM-HI, ZTE ZXR10 Software Version: V5.00.00.21, Release software",
        "1.3.6.1.4.1.3902.1082.1001.9999", "access-sw-07", 0, LA_SERVER))


# ----------------------------------------------------------------- banners

def kexinit(cookie_byte, kex, hostkey, cipher, mac):
    def nl(s):
        return struct.pack(">I", len(s)) + s.encode()

    payload = (b"\x14" + bytes([cookie_byte]) * 16 + nl(kex) + nl(hostkey) + nl(cipher) +
               nl(cipher) + nl(mac) + nl(mac) + nl("none") + nl("none") + nl("") + nl("") +
               b"\x00" + bytes(4))
    pad = 8 - (len(payload) + 5) % 8
    pad += 8 if pad < 4 else 0
    return struct.pack(">IB", len(payload) + pad + 1, pad) + payload + bytes(pad)


def case_banners():
    """banners.pcap: three servers speak first after full handshakes.
    10.20.30.1:23, a Huawei VRP device: Telnet option negotiation, then its
    Stelnet warning and "Username:" prompt (telnet.banner, Huawei).
    10.20.30.2:22: "SSH-2.0-HUAWEI-1.5" to an OpenSSH client, with KEXINITs
    so nDPI classifies the flow (ssh.banner, Huawei; the client is not).
    10.20.30.3:21: "220 FTP service ready." - what VRP's FTP server says,
    but so do many others: proves a generic banner gives no evidence."""
    cl = "10.20.30.100"
    tel = Tcp((cl, 50023, LA_CLIENT), ("10.20.30.1", 23, LA_SERVER), 0).handshake()
    tel.send(1, b"\xff\xfb\x01\xff\xfb\x03\xff\xfd\x1f\xff\xfd\x18")
    tel.send(0, b"\xff\xfd\x01\xff\xfd\x03\xff\xfb\x1f\xff\xfb\x18")
    tel.send(1, b"\r\nWarning: Telnet is not a secure protocol, and it is recommended to use "
             b"Stelnet.\r\n\r\nLogin authentication\r\n\r\n\r\nUsername:")
    pk = tel.close()

    ssh = Tcp((cl, 50022, LA_CLIENT), ("10.20.30.2", 22, LA_SERVER), 1).handshake()
    ssh.send(1, b"SSH-2.0-HUAWEI-1.5\r\n")
    ssh.send(0, b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")
    ssh.send(0, kexinit(0x11, "curve25519-sha256,ecdh-sha2-nistp256,ext-info-c",
                        "ssh-ed25519,rsa-sha2-512,rsa-sha2-256",
                        "chacha20-poly1305@openssh.com,aes128-ctr,aes256-ctr",
                        "hmac-sha2-256-etm@openssh.com,hmac-sha2-256"))
    ssh.send(1, kexinit(0x22, "ecdh-sha2-nistp256,diffie-hellman-group14-sha256",
                        "rsa-sha2-256,ssh-rsa", "aes128-ctr,aes256-ctr",
                        "hmac-sha2-256"))
    ecdh_init = b"\x1e" + struct.pack(">I", 65) + b"\x04" + bytes(range(64))
    pad = 8 - (len(ecdh_init) + 5) % 8
    pad += 8 if pad < 4 else 0
    ssh.send(0, struct.pack(">IB", len(ecdh_init) + pad + 1, pad) + ecdh_init + bytes(pad))
    pk += ssh.close()

    ftp = Tcp((cl, 50021, LA_CLIENT), ("10.20.30.3", 21, LA_SERVER), 2).handshake()
    ftp.send(1, b"220 FTP service ready.\r\n")
    ftp.send(0, b"USER anonymous\r\n")
    ftp.send(1, b"331 Password required for anonymous.\r\n")
    ftp.send(0, b"QUIT\r\n")
    ftp.send(1, b"221 Server closing.\r\n")
    pk += ftp.close()
    write("banners.pcap", pk)


# --------------------------------------------------------------------- SIP

def case_sip():
    """sip_zte.pcap: a ZTE F660 ONT (10.50.0.20) registers its VoIP line
    with a Huawei SoftX3000 softswitch (10.50.0.1), which answers 200 OK.
    Proves two devices, two vendors: sip.user_agent -> ZTE for the ONT,
    sip.server -> Huawei for the softswitch, and neither crosses over."""
    ont, ss = "10.50.0.20", "10.50.0.1"
    reg = ("REGISTER sip:ims.example.net SIP/2.0\r\n"
           "Via: SIP/2.0/UDP 10.50.0.20:5060;branch=z9hG4bK-524287-1---f3a1b2c3d4e5f607;rport\r\n"
           "Max-Forwards: 70\r\n"
           "Contact: <sip:+15550100@10.50.0.20:5060>\r\n"
           "To: <sip:+15550100@ims.example.net>\r\n"
           "From: <sip:+15550100@ims.example.net>;tag=2b6c7d8e\r\n"
           "Call-ID: 7f1e2d3c4b5a69788796a5b4c3d2e1f0@10.50.0.20\r\n"
           "CSeq: 1 REGISTER\r\n"
           "Expires: 3600\r\n"
           "Allow: INVITE, ACK, CANCEL, BYE, NOTIFY, REFER, OPTIONS, INFO, UPDATE\r\n"
           "User-Agent: F660/V2.22.21P1T14S\r\n"
           "Content-Length: 0\r\n\r\n")
    ok = ("SIP/2.0 200 OK\r\n"
          "Via: SIP/2.0/UDP 10.50.0.20:5060;branch=z9hG4bK-524287-1---f3a1b2c3d4e5f607;"
          "rport=5060;received=10.50.0.20\r\n"
          "To: <sip:+15550100@ims.example.net>;tag=as5f0e1d2c\r\n"
          "From: <sip:+15550100@ims.example.net>;tag=2b6c7d8e\r\n"
          "Call-ID: 7f1e2d3c4b5a69788796a5b4c3d2e1f0@10.50.0.20\r\n"
          "CSeq: 1 REGISTER\r\n"
          "Contact: <sip:+15550100@10.50.0.20:5060>;expires=3600\r\n"
          "Server: Huawei SoftX3000 V300R010\r\n"
          "Content-Length: 0\r\n\r\n")
    write("sip_zte.pcap", [
        udp(ont, ss, 5060, 5060, reg.encode(), us(0), LA_CLIENT, LA_SERVER),
        udp(ss, ont, 5060, 5060, ok.encode(), us(0, 30000), LA_SERVER, LA_CLIENT),
    ])


# ------------------------------------------------------------- SSDP, UPnP

def case_ssdp_upnp():
    """ssdp_upnp_huawei.pcap: a Huawei HG8245H home gateway (192.168.1.1)
    multicasts an SSDP NOTIFY (SERVER "... Huawei-ATP-IGD"), and a client
    fetches the LOCATION description; the 200 text/xml body is cut into two
    segments inside <manufacturer>. Proves ssdp.* and upnp.* evidence keyed
    ip=192.168.1.1 (the description only after reassembly)."""
    gw, cl = "192.168.1.1", "192.168.1.100"
    uuid = "uuid:3c5d1a2b-00e0-fc01-0000-48575443e6f5"
    notify = ("NOTIFY * HTTP/1.1\r\n"
              "HOST: 239.255.255.250:1900\r\n"
              "CACHE-CONTROL: max-age=1800\r\n"
              "LOCATION: http://192.168.1.1:37215/description.xml\r\n"
              "NT: upnp:rootdevice\r\n"
              "NTS: ssdp:alive\r\n"
              "SERVER: Linux UPnP/1.0 Huawei-ATP-IGD\r\n"
              "USN: %s::upnp:rootdevice\r\n\r\n" % uuid)
    desc = ("<?xml version=\"1.0\"?>\n"
            "<root xmlns=\"urn:schemas-upnp-org:device-1-0\">\n"
            "<specVersion><major>1</major><minor>0</minor></specVersion>\n"
            "<URLBase>http://192.168.1.1:37215</URLBase>\n"
            "<device>\n"
            "<deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType>\n"
            "<friendlyName>HG8245H</friendlyName>\n"
            "<manufacturer>Huawei Technologies Co., Ltd.</manufacturer>\n"
            "<manufacturerURL>http://www.huawei.com</manufacturerURL>\n"
            "<modelDescription>Huawei Home Gateway</modelDescription>\n"
            "<modelName>HG8245H</modelName>\n"
            "<modelNumber>V3R017</modelNumber>\n"
            "<serialNumber>48575443E6F52C0C</serialNumber>\n"
            "<UDN>%s</UDN>\n"
            "<deviceList>\n<device>\n"
            "<deviceType>urn:schemas-upnp-org:device:WANDevice:1</deviceType>\n"
            "<friendlyName>WANDevice</friendlyName>\n"
            "<manufacturer>Huawei Technologies Co., Ltd.</manufacturer>\n"
            "<modelName>WAN Device</modelName>\n"
            "<UDN>uuid:3c5d1a2b-00e0-fc01-0001-48575443e6f5</UDN>\n"
            "</device>\n</deviceList>\n"
            "</device>\n</root>\n" % uuid).encode()
    rsp = (b"HTTP/1.1 200 OK\r\nCONTENT-TYPE: text/xml; charset=\"utf-8\"\r\n"
           b"CONTENT-LENGTH: %d\r\nConnection: close\r\n\r\n" % len(desc)) + desc
    cut = rsp.index(b"<manufacturer>") + len(b"<manufacturer>Hua")
    req = (b"GET /description.xml HTTP/1.1\r\nHost: 192.168.1.1:37215\r\n"
           b"Connection: close\r\n\r\n")
    pk = [udp(gw, "239.255.255.250", 1900, 1900, notify.encode(), us(0), LA_GW,
              "01:00:5e:7f:ff:fa")]
    c = Tcp((cl, 50300, LA_CLIENT), (gw, 37215, LA_GW), 1).handshake().send(0, req)
    c.send(1, rsp[:cut], ack=False).send(1, rsp[cut:])
    write("ssdp_upnp_huawei.pcap", pk + c.close())


# -------------------------------------------------------------------- HTTP

def case_http_zte():
    """http_zte_router.pcap: a browser opens a ZTE ZXHN H108N's web UI:
    GET / gets 401 with Server "Mini web server 1.0 ZTE corp 2005." and
    realm "cpe@zte.com"; a second connection with credentials gets 200 and
    an HTML page titled "ZXHN H108N". Proves http.server,
    http.www_authenticate and http.title evidence keyed ip=192.168.1.1."""
    cl, rt = "192.168.1.100", "192.168.1.1"
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
    ua = b"User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:120.0) Gecko/20100101 " \
         b"Firefox/120.0\r\n"
    get = b"GET / HTTP/1.1\r\nHost: 192.168.1.1\r\n" + ua + b"Accept: text/html\r\n\r\n"
    auth = (b"GET / HTTP/1.1\r\nHost: 192.168.1.1\r\n" + ua +
            b"Authorization: Basic YWRtaW46YWRtaW4=\r\nAccept: text/html\r\n\r\n")
    pk = Tcp((cl, 50400, LA_CLIENT), (rt, 80, LA_GW), 0).handshake() \
        .send(0, get).send(1, r401).close()
    pk += Tcp((cl, 50401, LA_CLIENT), (rt, 80, LA_GW), 1).handshake() \
        .send(0, auth).send(1, r200).close()
    write("http_zte_router.pcap", pk)


# ---------------------------------------------------------------- DNS, TLS

def case_dns_tls():
    """dns_tls_hicloud.pcap: an EMUI phone (10.9.8.7) resolves
    connectivitycheck.platform.hicloud.com, Huawei's captive-portal check,
    and opens TLS to it with that SNI. Proves dns.query and tls.sni
    evidence keyed by the phone's IP (the resolver and server are not it)."""
    ph, dns, srv = "10.9.8.7", "10.9.8.1", "203.0.113.55"
    name = "connectivitycheck.platform.hicloud.com"
    q = DNS(id=0x6a1f, rd=1, qd=DNSQR(qname=name, qtype="A"))
    r = DNS(id=0x6a1f, qr=1, rd=1, ra=1, qd=DNSQR(qname=name, qtype="A"),
            an=DNSRR(rrname=name, type="A", ttl=60, rdata=srv))
    pk = [udp(ph, dns, 41000, 53, raw(q), us(0), LA_CLIENT, LA_GW),
          udp(dns, ph, 53, 41000, raw(r), us(0, 15000), LA_GW, LA_CLIENT)]
    c = Tcp((ph, 41001, LA_CLIENT), (srv, 443, LA_GW), 1).handshake()
    pk += c.send(0, tls_client_hello(name)).close()
    write("dns_tls_hicloud.pcap", pk)


# ------------------------------------------------------------------ EUI-64

def case_eui64():
    """eui64_zte_cpe.pcap: a ZTE CPE (MAC 00:1e:73:12:34:56, never seen on
    this link) reaches a server through a router whose MAC has an Intel
    OUI; its SLAAC address 2001:db8:1:0:21e:73ff:fe12:3456 carries the MAC
    as a modified EUI-64. Proves evidence ip=2001:db8:1:0:21e:73ff:fe12:3456
    with mac 00:1e:73:12:34:56, mac_source eui64, ZTE; and none for the
    router's MAC."""
    cpe, srv = "2001:db8:1:0:21e:73ff:fe12:3456", "2001:db8:ff::10"
    rtr = "00:1b:21:aa:bb:cc"
    pk = [(us(0), ether(rtr, LA_SERVER, IPv6(src=cpe, dst=srv, hlim=63) /
                        ICMPv6EchoRequest(id=0x31, seq=1, data=b"eui64-ping"))),
          (us(0, 1000), ether(LA_SERVER, rtr, IPv6(src=srv, dst=cpe) /
                              ICMPv6EchoReply(id=0x31, seq=1, data=b"eui64-ping")))]
    pk += [(us(1), ether(rtr, LA_SERVER, IPv6(src=cpe, dst=srv, hlim=63) /
                         TCP(sport=40404, dport=443, flags="S", seq=1, window=65535,
                             options=[]))),
           (us(1, 1000), ether(LA_SERVER, rtr, IPv6(src=srv, dst=cpe) /
                               TCP(sport=443, dport=40404, flags="SA", seq=9, ack=2,
                                   window=65535, options=[])))]
    write("eui64_zte_cpe.pcap", pk)


def main():
    os.makedirs(OUT, exist_ok=True)
    for fn in (case_dhcp_random_mac, case_dhcpv6, case_lldp_huawei, case_lldp_h3c,
               case_aztech, case_tr069, case_snmp, case_banners, case_sip, case_ssdp_upnp,
               case_http_zte, case_dns_tls, case_eui64):
        fn()
    print("wrote %d files to %s" % (len(os.listdir(OUT)), OUT), file=sys.stderr)


if __name__ == "__main__":
    main()
