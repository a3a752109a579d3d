#!/usr/bin/python3
"""gen_live.py - write tests/pcap/live/flows.pcap, the traffic of the live tests.

Run with Debian's interpreter, which has scapy:
    /usr/bin/python3 tests/pcap/live/gen_live.py
tests/e2e/live.sh replays it with tcpreplay: once to compare a live run
with an offline one (and --threads 2 with --threads 1), and in a loop
(--unique-ip, so that every loop makes new flows) to keep traffic flowing
while telexpose is stopped, and at top speed to make the kernel drop.

300 flows of small frames (54-120 bytes), about 6 packets per flow:
240 TCP sessions (handshake, one request, FIN both ways: 7 packets) and
60 UDP request/response pairs, started 3 ms apart over 0.9 s. 40 local
clients (10.1.0.1-40) talk through one gateway (a Cisco MAC) to servers in
198.51.100.0/24. Clients 1-3 have Huawei MACs and 4-5 ZTE MACs, so the run
finds five vendor devices; since each client has many flows, which spread
over the workers, the devices are only right when the workers' evidence is
merged. Every byte is fixed: a re-run rewrites an identical file.
"""
import logging
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from gen import LT_EN10MB, pcap_bytes, us  # noqa: E402
from gen_vendor import Tcp, udp  # noqa: E402

GW_MAC = "00:00:0c:07:ac:01"  # Cisco
N_CLIENTS = 40
N_FLOWS = 300


def client(i):
    """(ip, mac) of client i (1-based)."""
    if i <= 3:
        oui = "00:e0:fc"  # Huawei
    elif i <= 5:
        oui = "00:19:c6"  # ZTE
    else:
        oui = "00:1b:21"  # Intel
    return "10.1.0.%d" % i, "%s:10:00:%02x" % (oui, i)


class Session(Tcp):
    """gen_vendor.Tcp starting at a microsecond offset, so that hundreds of
    sessions fit in one second."""

    def __init__(self, c, s, t_us):
        super().__init__(c, s, 0, 1000 + t_us, 700000 + t_us)
        self.t_us = t_us

    def _tick(self):
        self.step += 1
        return us(0, self.t_us + self.step * 1000)


def payload(n, k):
    """n deterministic bytes, different for each k."""
    return bytes((k * 131 + j * 7) & 0xff for j in range(n))


def flows():
    pkts = []
    for k in range(N_FLOWS):
        ip, mac = client(k % N_CLIENTS + 1)
        t_us = k * 3000
        sport = 20000 + k
        if k % 5 == 4:
            srv = "198.51.100.53"
            pkts.append(udp(ip, srv, sport, 5353 + k % 7, payload(24 + k % 40, k),
                            us(0, t_us), mac, GW_MAC))
            pkts.append(udp(srv, ip, 5353 + k % 7, sport, payload(40 + k % 30, k + 1),
                            us(0, t_us + 800), GW_MAC, mac))
            continue
        srv = "198.51.100.%d" % (10 + k % 20)
        req = ("GET /item/%d HTTP/1.1\r\nHost: shop-%d.example\r\n\r\n" % (k, k % 20)).encode()
        pkts += (Session((ip, sport, mac), (srv, 80, GW_MAC), t_us)
                 .handshake().send(0, req, ack=False).close())
    pkts.sort(key=lambda p: p[0])  # stable: a flow's own order is kept
    return pkts


def main():
    pkts = flows()
    with open(os.path.join(HERE, "flows.pcap"), "wb") as fh:
        fh.write(pcap_bytes(LT_EN10MB, pkts))
    sizes = [len(f) for _, f in pkts]
    print("flows.pcap: %d packets, %d flows, frames %d-%d bytes"
          % (len(pkts), N_FLOWS, min(sizes), max(sizes)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
