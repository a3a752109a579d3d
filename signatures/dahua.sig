# dahua.sig - Dahua (Zhejiang Dahua Technology) cameras and recorders.
#
# Facts: /work/shared/reference/fingerprints.md section 4. On by default;
# turn off with --disable-pack dahua. "Shanghai Dahua Scale Factory"
# is another company, and Lorex (sold by Dahua in 2023) is left out.
# Gaps: no curated Dahua domain list; DHDiscover (239.255.255.251:37810) and
# TCP 37777 have no observation field yet.
# Role: camera for every rule, the MAC registry ones included: Dahua makes
# video-surveillance equipment (cameras, NVRs, DVRs; docs/signatures.md).
pack dahua
vendor Dahua
title "Zhejiang Dahua Technology"
default on
role camera

rule dahua-oui
  field mac.org
  match exact "Zhejiang Dahua Technology Co., Ltd."
  confidence 0.95
  source "IEEE registry oui.csv 2022-08-27 (24 MA-L)"
  example "Zhejiang Dahua Technology Co., Ltd."
  nomatch "Shanghai Dahua Scale Factory"
  nomatch "Lorex Technology Inc."
  nomatch "Zhejiang Uniview Technologies Co., Ltd."

# The spelling of the newer 30DDAA and F8CE07 assignments (Wireshark manuf,
# newer than the 2022 registry export), for when ieee-data catches up.
rule dahua-oui-technologyco
  field mac.org
  match exact "Zhejiang Dahua Technologyco.,Ltd"
  confidence 0.95
  source "Wireshark manuf (Debian wireshark 4.0.17): 30:DD:AA, F8:CE:07"
  example "Zhejiang Dahua Technologyco.,Ltd"
  nomatch "Shanghai Dahua Scale Factory"

rule dahua-snmp-oid
  field snmp.sysobjectid
  match oid 1.3.6.1.4.1.37496
  confidence 0.9
  source "IANA PEN 37496 ZHEJIANG DAHUA TECHNOLOGY CO.,LTD"
  example "1.3.6.1.4.1.37496.1.1"
  nomatch "1.3.6.1.4.1.374960.1"
  nomatch "1.3.6.1.4.1.39165.1.1.0"

rule dahua-snmp-engine
  field snmp.engine_enterprise
  match number 37496
  confidence 0.9
  source "RFC 3411 engine id 80009278 = PEN 37496 (derived)"
  example "37496"
  nomatch "39165"

# The RTSP Server header; HTTP-like, so it arrives as http.server.
rule dahua-rtsp-server
  field http.server
  match exact "Dahua Rtsp Server"
  confidence 0.85
  source "RECOG rtsp_servers.xml; NMAP L11363, L12147"
  example "Dahua Rtsp Server"
  nomatch "Hikvision-Webs"
  nomatch "Rtsp Server"

rule dahua-http-server
  field http.server
  match exact "DahuaHttp"
  confidence 0.3
  source "third-party scanner tables only (Server: DahuaHttp)"
  example "DahuaHttp"
  nomatch "Dahua"

# Generic on its own (NMAP L12147 pairs it with Dahua Rtsp Server).
rule dahua-realm-device
  field http.www_authenticate
  match exact "Basic realm=\"device\""
  confidence 0.2
  source "NMAP L12147 (with Dahua Rtsp Server)"
  example "Basic realm=\"device\""
  nomatch "Basic realm=\"Hikvision\""
