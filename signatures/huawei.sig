# huawei.sig - Huawei Technologies and Huawei Device equipment.
#
# Facts: /work/shared/reference/fingerprints.md (section 1 and the traps of
# section 6); the source line of each rule names where its pattern comes from.
# Confidence follows docs/signatures.md: 0.9+ for identifiers only Huawei
# assigns, 0.6-0.8 for distinctive strings, 0.3-0.5 for hints.
#
# Left out on purpose:
# - Huawei Cloud (huaweicloud.com, myhuaweicloud.com, hwclouds-dns.com and
#   the cloud ASNs 55990, 136907): they show that someone uses Huawei's cloud,
#   not that Huawei hardware is on the network, so they would turn every
#   cloud tenant into a "Huawei device". They belong in a separate exposure
#   report, not in a device pack.
# - Honor (honor.sig): independent of Huawei since November 2020.
# - HUAWEI-3COM / H3C, HiSilicon DVRs, xFusion, Emerson "Huawei Base": not
#   Huawei equipment; they appear below as near-misses.
#
# Roles (docs/signatures.md, Roles): Huawei makes every kind of device, so
# the pack has no role; a rule says one only when its own evidence names the
# kind (home-gateway realms and TR-069: cpe; handset User-Agents and DHCP:
# phone; S/CE vs AR/NE series in a VRP description: switch vs router). The
# MAC registry, enterprise-number, generic banner, certificate-authority and
# domain rules have none.
pack huawei
vendor Huawei
title "Huawei Technologies and Huawei Device"
default on

# --- MAC registry (mac.org is the IEEE organisation name, exact) ----------

rule huawei-oui-technologies
  field mac.org
  match exact "HUAWEI TECHNOLOGIES CO.,LTD"
  confidence 0.95
  source "IEEE registry oui.csv 2022-08-27 (966 MA-L)"
  example "HUAWEI TECHNOLOGIES CO.,LTD"
  nomatch "New H3C Technologies Co., Ltd"
  nomatch "Hangzhou H3C Technologies Co., Limited"
  nomatch "DONGGUAN HUARONG COMMUNICATION TECHNOLOGIES CO.,LTD."
  nomatch "Emerson Network Power Co.,Ltd"
  nomatch "xFusion Digital Technologies Co., Limited"

rule huawei-oui-device
  field mac.org
  match exact "Huawei Device Co., Ltd."
  confidence 0.95
  source "IEEE registry oui.csv 2022-08-27 (430 MA-L)"
  example "Huawei Device Co., Ltd."
  nomatch "Honor Device Co., Ltd."
  nomatch "SHENZHEN HONOR ELECTRONIC CO.,LTD"

rule huawei-oui-technologies-64f81c
  field mac.org
  match exact "Huawei Technologies Co., Ltd."
  confidence 0.95
  source "IEEE registry oui.csv 2022-08-27 (1 MA-L: 64F81C)"
  example "Huawei Technologies Co., Ltd."
  nomatch "Zhuhai Raysharp Technology Co.,Ltd"
  nomatch "Zhuhai TOP Intelligence Electric Co., Ltd."

rule huawei-oui-symantec
  field mac.org
  match exact "Huawei Symantec Technologies Co.,Ltd."
  confidence 0.7
  source "IEEE registry oui.csv 2022-08-27 (0022A1; joint venture 2008-2012, Huawei-owned since)"
  example "Huawei Symantec Technologies Co.,Ltd."
  nomatch "xFusion Digital Technologies Co., Limited"

# --- layer 2 ---------------------------------------------------------------

# H3C and 3Com Comware devices share the HGMP heritage and send the same
# frames, so on its own this says "Huawei or H3C lineage".
rule huawei-l2-hgmp
  field eth.protocol
  match exact "hgmp"
  confidence 0.4
  source "Huawei 'display l2protocol-tunnel group-mac': hgmp ethernetii 0x88a7 0180-c200-000a; S5700 cluster-multimac default (fingerprints.md 1.3)"
  example "hgmp"
  nomatch "lldp"
  nomatch "HGMP"

rule huawei-lldp-sysname-default
  field lldp.system_name
  match exact "HUAWEI"
  confidence 0.3
  source "factory default sysname, prompt <HUAWEI> in Huawei NetEngine command references"
  example "HUAWEI"
  nomatch "H3C"
  nomatch "HUAWEI-3COM"

rule huawei-lldp-vrp-version
  field lldp.system_description
  match regex "VRP[^V]*Version ([0-9.]+) \\(([^\\s]+) (V[0-9]{3}R[0-9]{3}(?:C[0-9]{2})?(?:SPC[0-9]+|SPH[0-9]+|CP[0-9]+|HP[0-9]+)?)\\)"
  confidence 0.85
  model "$2"
  version "$3"
  source "RECOG snmp_sysdescr.xml VRP regex; LLDP System Description carries sysDescr (IEEE 802.1AB)"
  example "Huawei Versatile Routing Platform Software VRP (R) software, Version 8.120 (CE6870EI V200R001C00SPC700) Copyright (C) 2012-2016 Huawei Technologies Co., Ltd. HUAWEI CE6870-48S6CQ-EI" model=CE6870EI version=V200R001C00SPC700
  example "VRP (R) software, Version 5.170 (S5720 V200R011C10SPC600)" model=S5720 version=V200R011C10SPC600
  nomatch "Huawei-3Com Versatile Routing Platform Software (VRP), Software Version 3.10, Release 0030"
  nomatch "H3C Comware Platform Software, Software Version 7.1.064, Release 0821P25"

rule huawei-lldp-vrp
  field lldp.system_description
  match regex "VRP \\(R\\) [Ss]oftware|VRP Software Version|Software Version VRP|(?<!3Com |3COM )Versatile Routing Platform Software"
  confidence 0.8
  source "LNMS vrp.yaml detection strings; LLDP System Description carries sysDescr (IEEE 802.1AB)"
  example "Huawei Versatile Routing Platform Software"
  example "VRP (R) Software, Version 5.70 (AR1200 V200R003C01)"
  nomatch "HUAWEI-3COM Versatile Routing Platform Software"
  nomatch "H3C Comware Platform Software, Software Version 5.20"

# The VRP rules above say Huawei; these two also say what kind of device,
# from the product series in the description's "(MODEL VERSION)": S and
# CE (CloudEngine) are switches; AR, NE, ME60, CX600 and ATN are routers.
# Other series (USG/Eudemon firewalls, AC/AP wireless) get no role.
rule huawei-lldp-vrp-switch
  field lldp.system_description
  match regex "VRP[^V]*Version [0-9.]+ \\((?:S[0-9]{4,5}|CE[0-9]{4,5})[A-Z0-9-]* V[0-9]{3}R"
  confidence 0.8
  role switch
  source "RECOG snmp_sysdescr.xml VRP regex; Huawei series naming: S campus switches (S5700 cluster reference, fingerprints.md 1.3), CloudEngine CE data-center switches (CE16808, fingerprints.md 1.2)"
  example "VRP (R) software, Version 5.170 (S5720 V200R011C10SPC600)"
  example "Huawei Versatile Routing Platform Software VRP (R) software, Version 8.120 (CE6870EI V200R001C00SPC700) Copyright (C) 2012-2016 Huawei Technologies Co., Ltd."
  nomatch "VRP (R) Software, Version 5.70 (AR1200 V200R003C01)"
  nomatch "VRP (R) software, Version 5.160 (USG6300 V500R001C30SPC100)"
  nomatch "H3C Comware Platform Software, Software Version 5.20 Release 2208 H3C S5500-28C-EI"

rule huawei-lldp-vrp-router
  field lldp.system_description
  match regex "VRP[^V]*Version [0-9.]+ \\((?:AR[0-9]{3,4}|NE[0-9]{2,4}|ME60|CX600|ATN[0-9]{3})[A-Z0-9-]* V[0-9]{3}R"
  confidence 0.8
  role router
  source "RECOG snmp_sysdescr.xml VRP regex; Huawei series naming: AR access routers, NetEngine NE routers, ME60 BRAS, CX600 metro and ATN access routers"
  example "VRP (R) Software, Version 5.70 (AR1200 V200R003C01)"
  example "VRP (R) software, Version 8.180 (NE40E V800R011C00SPC200)"
  nomatch "VRP (R) software, Version 5.170 (S5720 V200R011C10SPC600)"
  nomatch "VRP (R) software, Version 5.160 (USG6300 V500R001C30SPC100)"

# --- SNMP ------------------------------------------------------------------

rule huawei-snmp-sysobjectid
  field snmp.sysobjectid
  match oid 1.3.6.1.4.1.2011
  confidence 0.95
  source "IANA PEN 2011 HUAWEI Technology Co.,Ltd; observed .1.3.6.1.4.1.2011.2.239.59 on a CE16808"
  example ".1.3.6.1.4.1.2011.2.239.59"
  example "1.3.6.1.4.1.2011.2.23.96"
  nomatch "1.3.6.1.4.1.20110.1"
  nomatch "1.3.6.1.4.1.25506.1.1"

rule huawei-snmp-sysobjectid-symantec
  field snmp.sysobjectid
  match oid 1.3.6.1.4.1.34774
  confidence 0.7
  source "IANA PEN 34774 Huawei Symantec Technologies Co.,Ltd (Huawei-owned since 2012)"
  example "1.3.6.1.4.1.34774.4.1"
  nomatch "1.3.6.1.4.1.58132.1"

rule huawei-snmp-engine
  field snmp.engine_enterprise
  match number 2011
  confidence 0.95
  source "RFC 3411 engine id 800007DB = PEN 2011; NMAP L15119 'Huawei SNMP service'"
  example "2011"
  nomatch "25506"
  nomatch "20110"

rule huawei-snmp-engine-symantec
  field snmp.engine_enterprise
  match number 34774
  confidence 0.7
  source "IANA PEN 34774 Huawei Symantec Technologies Co.,Ltd"
  example "34774"
  nomatch "58132"

rule huawei-snmp-vrp-version
  field snmp.sysdescr
  match regex "VRP[^V]*Version ([0-9.]+) \\(([^\\s]+) (V[0-9]{3}R[0-9]{3}(?:C[0-9]{2})?(?:SPC[0-9]+|SPH[0-9]+|CP[0-9]+|HP[0-9]+)?)\\)"
  confidence 0.95
  model "$2"
  version "$3"
  source "RECOG snmp_sysdescr.xml (HUAWEI VRP)"
  example "VRP (R) software, Version 8.120 (CE6870EI V200R001C00SPC700) Copyright (C) 2012-2016 Huawei Technologies Co., Ltd." model=CE6870EI version=V200R001C00SPC700
  example "Huawei Versatile Routing Platform Software\x0d\x0aVRP (R) software, Version 5.130 (S5700 V200R003C00SPC300)\x0d\x0aCopyright (C) 2000-2013 HUAWEI TECH CO., LTD" model=S5700 version=V200R003C00SPC300
  nomatch "Huawei-3Com Versatile Routing Platform Software (VRP), Software Version 3.10, Release 0030"
  nomatch "VRP (R) software, Version 8.120"

rule huawei-snmp-vrp
  field snmp.sysdescr
  match regex "VRP \\(R\\) [Ss]oftware|VRP Software Version|Software Version VRP|(?<!3Com |3COM )Versatile Routing Platform Software"
  confidence 0.9
  source "RECOG snmp_sysdescr.xml 'Huawei Versatile Routing Platform Software'; LNMS vrp.yaml detection strings"
  example "Huawei Versatile Routing Platform Software"
  example "Quidway S3900 Software Version VRP 3.10"
  nomatch "HUAWEI-3COM Versatile Routing Platform Software"
  nomatch "Huawei-3Com Versatile Routing Platform Software (VRP), Software Version 3.10, Release 0030"
  nomatch "H3C Comware Platform Software, Software Version 5.20"

# Kind of device from the series, as for LLDP above.
rule huawei-snmp-vrp-switch
  field snmp.sysdescr
  match regex "VRP[^V]*Version [0-9.]+ \\((?:S[0-9]{4,5}|CE[0-9]{4,5})[A-Z0-9-]* V[0-9]{3}R"
  confidence 0.9
  role switch
  source "RECOG snmp_sysdescr.xml VRP regex and examples (S5700, CE6870EI); Huawei series naming: S campus switches, CloudEngine CE data-center switches"
  example "Huawei Versatile Routing Platform Software\x0d\x0aVRP (R) software, Version 5.130 (S5700 V200R003C00SPC300)\x0d\x0aCopyright (C) 2000-2013 HUAWEI TECH CO., LTD"
  example "VRP (R) software, Version 8.120 (CE6870EI V200R001C00SPC700) Copyright (C) 2012-2016 Huawei Technologies Co., Ltd."
  example "VRP (R) software, Version 8.180 (CE16808 V200R019C10SPC800)"
  nomatch "VRP (R) Software, Version 5.70 (AR1200 V200R003C01)"
  nomatch "Quidway S3900 Software Version VRP 3.10"
  nomatch "Huawei-3Com Versatile Routing Platform Software (VRP), Software Version 3.10, Release 0030"

rule huawei-snmp-vrp-router
  field snmp.sysdescr
  match regex "VRP[^V]*Version [0-9.]+ \\((?:AR[0-9]{3,4}|NE[0-9]{2,4}|ME60|CX600|ATN[0-9]{3})[A-Z0-9-]* V[0-9]{3}R"
  confidence 0.9
  role router
  source "RECOG snmp_sysdescr.xml VRP regex; Huawei series naming: AR access routers, NetEngine NE routers, ME60 BRAS, CX600 metro and ATN access routers"
  example "Huawei Versatile Routing Platform Software\x0d\x0aVRP (R) software, Version 5.160 (AR2200 V200R009C00SPC500)\x0d\x0aCopyright (C) 2011-2018 HUAWEI TECH CO., LTD"
  example "VRP (R) software, Version 8.180 (NE40E V800R011C00SPC200)"
  example "VRP (R) software, Version 8.180 (ME60 V800R010C10SPC500)"
  nomatch "VRP (R) software, Version 8.120 (CE6870EI V200R001C00SPC700)"
  nomatch "VRP (R) software, Version 5.160 (AC6605 V200R007C10SPC300)"

rule huawei-snmp-copyright
  field snmp.sysdescr
  match regex "Copyright \\(C\\) [0-9-]+ (?:Huawei Technologies Co\\., Ltd|HUAWEI TECH CO\\., LTD)"
  confidence 0.7
  source "RECOG snmp_sysdescr.xml examples (copyright tail)"
  example "Copyright (C) 2000-2013 HUAWEI TECH CO., LTD"
  example "S5735-L48T4X-A1 Copyright (C) 2012-2021 Huawei Technologies Co., Ltd"
  nomatch "Copyright (c) 2004-2013 Hangzhou H3C Tech. Co., Ltd. All rights reserved."

rule huawei-snmp-mas
  field snmp.sysdescr
  match regex "^MAS 1\\.0 \\(Intel X86\\) Copyright.*Huawei Technologies Co\\., Ltd"
  confidence 0.7
  role server
  model MAS
  source "RECOG snmp_sysdescr.xml (Huawei MAS)"
  example "MAS 1.0 (Intel X86) Copyright (C) 2009 Huawei Technologies Co., Ltd on Linux" model=MAS
  nomatch "MAS 1.0 (Intel X86) Copyright (C) 2009 Example Corp"

# --- DHCP ------------------------------------------------------------------

rule huawei-dhcp-vendor-class
  field dhcp.vendor_class
  match regex "^HUAWEI:android:([A-Za-z0-9_-]+)"
  confidence 0.9
  role phone
  model "$1"
  source "RECOG dhcp_vendor_class.xml ^HUAWEI:android:; EMUI DhcpPacket.getVendorId() = HUAWEI:android: + ro.product.board; leases ALP, ELE"
  example "HUAWEI:android:ELE" model=ELE
  example "HUAWEI:android:ALP" model=ALP
  nomatch "HONOR:android:JSN"
  nomatch "huawei:android:ELE"
  nomatch "android-dhcp-10"

rule huawei-dhcp-hostname
  field dhcp.hostname
  match regex "^HUAWEI[_-]([A-Za-z0-9_]+?)(?:-[0-9a-f]{6,})?$"
  confidence 0.6
  role phone
  model "$1"
  source "DHCP lease sample HUAWEI_P30-9e8b07efe8a355 / HUAWEI:android:ELE (fingerprints.md 1.4)"
  example "HUAWEI_P30-9e8b07efe8a355" model=P30
  example "HUAWEI_Mate_20_Pro-1a2b3c4d" model=Mate_20_Pro
  nomatch "HONOR_8X-9e8b07efe8a355"
  nomatch "HUAWEI"
  nomatch "Huaweis-iPhone"

rule huawei-dhcpv6-enterprise
  field dhcpv6.enterprise
  match number 2011
  confidence 0.3
  source "derived: RFC 8415 option 16/17 enterprise-number = PEN 2011; no capture seen"
  example "2011"
  nomatch "25506"

# --- TR-069 / CWMP ---------------------------------------------------------

rule huawei-cwmp-manufacturer
  field cwmp.manufacturer
  match exact "Huawei Technologies Co., Ltd"
  confidence 0.9
  role cpe
  source "ONT default HW_CWMP_MANUFACTURER (PururinCollective/Hacking_Huawei_HG8240H5_ONT issue 17)"
  example "Huawei Technologies Co., Ltd"
  nomatch "Hangzhou H3C Technologies Co., Ltd"

rule huawei-cwmp-manufacturer-short
  field cwmp.manufacturer
  match regex "(?i)^huawei(?:$|[ ,.])"
  confidence 0.7
  role cpe
  source "ACS test fixtures <Manufacturer>Huawei (fingerprints.md 1.5)"
  example "Huawei"
  example "HUAWEI"
  example "Huawei Technologies Co., Ltd."
  nomatch "Huawei-3Com"
  nomatch "HuaweiFans"

rule huawei-cwmp-oui
  field cwmp.oui
  match iexact "00259E"
  confidence 0.9
  role cpe
  source "real GenieACS device ids 00259E-HG8245H-48575443...; 00259E = HUAWEI TECHNOLOGIES CO.,LTD in IEEE"
  example "00259E"
  example "00259e"
  nomatch "001141"
  nomatch "44F436"

rule huawei-cwmp-oui-00e0fc
  field cwmp.oui
  match iexact "00E0FC"
  confidence 0.7
  role cpe
  source "ACS fixtures; 00E0FC = HUAWEI TECHNOLOGIES CO.,LTD in IEEE"
  example "00E0FC"
  nomatch "001141"

rule huawei-cwmp-product-class
  field cwmp.product_class
  match regex "^(HG8[0-9]{3}[A-Z0-9]*|EG8[0-9]{3}[A-Z0-9]*|HGU)$"
  confidence 0.6
  role cpe
  model "$1"
  source "GenieACS ids HG8245H/HG8245 (real), HG8145V5, HGU (issue 17); EG8xxx assumed from naming"
  example "HG8245H" model=HG8245H
  example "HG8145V5" model=HG8145V5
  example "HGU" model=HGU
  nomatch "F670L"
  nomatch "ZXHN F660"

rule huawei-cwmp-serial-hex
  field cwmp.serial_number
  match prefix "48575443"
  confidence 0.9
  role cpe
  source "hex of GPON vendor id HWTC; real GenieACS ids 00259E-HG8245H-48575443E6F52C0C"
  example "48575443E6F52C0C"
  nomatch "5A544547C1234567"
  nomatch "48575444E6F52C0C"

rule huawei-cwmp-serial
  field cwmp.serial_number
  match prefix "HWTC"
  confidence 0.9
  role cpe
  source "GPON_SN HWTC50F845B1, PON_VENDOR_ID HWTC (Hacking_Huawei_HG8240H5_ONT issue 17)"
  example "HWTC50F845B1"
  nomatch "ZTEGCFLN794B3A1"
  nomatch "HWTX50F845B1"

# --- HTTP ------------------------------------------------------------------

rule huawei-http-atp-igd
  field http.server
  match regex "(?i)Linux UPnP/[0-9]\\.[0-9] Huawei-ATP-IGD$"
  confidence 0.9
  role cpe
  source "RECOG http_servers.xml"
  example "Linux UPnP/1.0 Huawei-ATP-IGD"
  nomatch "Linux UPnP/1.0 Avm-IGD"

rule huawei-http-bmc
  field http.server
  match exact "Huawei-BMC"
  confidence 0.9
  role server
  model iBMC
  source "NMAP L10707"
  example "Huawei-BMC" model=iBMC
  nomatch "HP-iLO-Server/1.30"

rule huawei-http-ipwebs
  field http.server
  match prefix "IPWEBS/"
  confidence 0.3
  role cpe
  source "NMAP L9653 (Huawei broadband router)"
  example "IPWEBS/1.4.0"
  nomatch "GoAhead-Webs"

rule huawei-http-ma-server
  field http.server
  match regex "^MA[A-Za-z0-9_]+ Server [A-Za-z0-9._-]+$"
  confidence 0.3
  role switch
  source "NMAP L9104 (Huawei MA5600 family web server)"
  example "MA5600 Server 1.0"
  nomatch "Microsoft-IIS/10.0"
  nomatch "MA5600 Server"

rule huawei-http-sdk-upnp
  field http.server
  match contains "HUAWEI SDK for UPnP devices"
  confidence 0.9
  source "NMAP L11621"
  example "1.0 HUAWEI, UPnP, HUAWEI SDK for UPnP devices/1.0"
  nomatch "Portable SDK for UPnP devices/1.6.19"

rule huawei-http-realm-homegateway
  field http.www_authenticate
  match contains "realm=\"HuaweiHomeGateway\""
  confidence 0.9
  role cpe
  source "RECOG http_wwwauth.xml; NMAP L9943-9944 (TR-069 connection-request port)"
  example "Digest realm=\"HuaweiHomeGateway\", nonce=\"abc\", qop=\"auth\""
  example "Basic realm=\"HuaweiHomeGateway\""
  nomatch "Basic realm=\"cpe@zte.com\""

rule huawei-http-realm-echolife
  field http.www_authenticate
  match regex "realm=\"EchoLife [^\"]*\""
  confidence 0.9
  role cpe
  source "RECOG http_wwwauth.xml (EchoLife Home Gateway, EchoLife Portal de Inicio)"
  example "Basic realm=\"EchoLife Home Gateway\""
  example "Basic realm=\"EchoLife Portal de Inicio\""
  nomatch "Basic realm=\"Home Gateway\""

rule huawei-http-realm-smartax
  field http.www_authenticate
  match regex "realm=\"(?:(?:Huawei )?SmartAX )?(MT[0-9]+[^\"]*)\""
  confidence 0.6
  role cpe
  model "$1"
  source "RECOG http_wwwauth.xml; NMAP L8747, L11591, L11601"
  example "Basic realm=\"SmartAX MT882\"" model=MT882
  example "Basic realm=\"MT880\"" model=MT880
  nomatch "Basic realm=\"MikroTik\""

rule huawei-http-title-xdsl
  field http.title
  match exact "Huawei xDSL"
  confidence 0.6
  role cpe
  source "NMAP L11594"
  example "Huawei xDSL"
  nomatch "HiSilicon Embedded Web Server"

rule huawei-http-ua-build
  field http.user_agent
  match regex "Build/(?i:huawei)([A-Z0-9-]+)"
  confidence 0.9
  role phone
  model "$1"
  source "public UA samples (ANE-LX1 Build/HUAWEIANE-L21, NXT-AL10 Build/HUAWEINXT-AL10)"
  example "Mozilla/5.0 (Linux; Android 9; ANE-LX1 Build/HUAWEIANE-L21) AppleWebKit/537.36" model=ANE-L21
  example "Dalvik/2.1.0 (Linux; U; Android 9; ANE-LX1 Build/HUAWEIANE-L21)" model=ANE-L21
  nomatch "Mozilla/5.0 (Linux; Android 10; JSN-L21 Build/HONORJSN-L21)"
  nomatch "Mozilla/5.0 (Linux; Android 11; SM-G991B Build/RP1A.200720.012)"

rule huawei-http-ua-browser
  field http.user_agent
  match regex "HuaweiBrowser/([0-9.]+)"
  confidence 0.85
  role phone
  source "public UA samples (... HuaweiBrowser/15.0.4.312 HMSCore/6.14.0.32)"
  example "Mozilla/5.0 (Linux; Android 10; HarmonyOS) AppleWebKit/537.36 HuaweiBrowser/15.0.4.312 Mobile Safari/537.36"
  nomatch "Mozilla/5.0 (Linux; Android 12) HONORBrowser/1.2.3"

rule huawei-http-ua-hmscore
  field http.user_agent
  match regex "HMSCore[ /][0-9.]+"
  confidence 0.6
  role phone
  source "public UA samples (HMSCore/6.14.0.32, HMSCore 6.x)"
  example "com.huawei.hwid HMSCore/6.14.0.32"
  example "HMSCore 6.11.0.302"
  nomatch "HMS-Client/1.0"

rule huawei-http-ua-harmony
  field http.user_agent
  match regex "(?i)\\bHUAWEI [A-Z0-9-]+|HarmonyOS"
  confidence 0.5
  role phone
  source "public UA samples; OpenHarmony is left out: other OEMs ship it"
  example "Mozilla/5.0 (Linux; Android 10; HUAWEI P30) AppleWebKit/537.36"
  example "Mozilla/5.0 (Phone; OpenHarmony 4.0; HarmonyOS 4.0) ArkWeb/4.1.6.1"
  nomatch "Mozilla/5.0 (Phone; OpenHarmony 4.0) ArkWeb/4.1.6.1"

# --- SSH, Telnet, FTP ------------------------------------------------------

rule huawei-ssh-banner
  field ssh.banner
  match regex "^SSH-[0-9.]+-HUAWEI(?:-[0-9.]+|[-_]VRP-?V?[0-9.]+|-UMG[0-9]+)"
  confidence 0.9
  source "RECOG ssh_banners.xml (HUAWEI-1.5, HUAWEI-VRP-3.10, HUAWEI_VRPV8.0, HUAWEI-UMG8900); NMAP L3641, L3642, L3644"
  example "SSH-2.0-HUAWEI-1.5"
  example "SSH-1.99-HUAWEI-VRP-3.10"
  example "SSH-2.0-HUAWEI_VRPV8.0"
  example "SSH-2.0-HUAWEI-UMG8900"
  nomatch "SSH-2.0-Comware-7.1.064"
  nomatch "SSH-2.0-HUAWEI"

rule huawei-ssh-vrp
  field ssh.banner
  match regex "^SSH-[0-9.]+-VRP-[0-9.]+"
  confidence 0.6
  source "NMAP L3645"
  example "SSH-2.0-VRP-3.3"
  nomatch "SSH-2.0-OpenSSH_7.4"

rule huawei-ssh-dopra
  field ssh.banner
  match regex "^SSH-[0-9.]+-DOPRA-"
  confidence 0.6
  source "NMAP L3708 (Dopra Linux, cpe huawei:dopra_linux)"
  example "SSH-2.0-DOPRA-1.5"
  nomatch "SSH-2.0-dropbear_2019.78"

rule huawei-telnet-stelnet
  field telnet.banner
  match contains "Warning: Telnet is not a secure protocol, and it is recommended to use Stelnet."
  confidence 0.9
  source "RECOG telnet_banners.xml; NMAP L4809-4810"
  example "\x0d\x0aWarning: Telnet is not a secure protocol, and it is recommended to use Stelnet.\x0d\x0a\x0d\x0aLogin authentication\x0d\x0a\x0d\x0aUsername:"
  nomatch "Warning: Telnet is not a secure protocol."

rule huawei-telnet-home-gateway
  field telnet.banner
  match regex "Welcome Visiting Huawei +Home Gateway\\r?\\n\\r?Copyright by Huawei Technologies Co\\., Ltd\\."
  confidence 0.9
  role cpe
  source "RECOG telnet_banners.xml; NMAP L4630, L4752"
  example "Welcome Visiting Huawei Home Gateway\x0d\x0aCopyright by Huawei Technologies Co., Ltd.\x0d\x0aLogin:"
  nomatch "Welcome Visiting Home Gateway\x0d\x0aLogin:"

rule huawei-telnet-atp
  field telnet.banner
  match contains "-----Welcome to ATP Cli------"
  confidence 0.9
  role cpe
  source "NMAP L4612, L4874"
  example "-----Welcome to ATP Cli------\x0d\x0aLogin:"
  nomatch "Welcome to the world of CLI !"

rule huawei-telnet-copyright
  field telnet.banner
  match regex "Copyright ?\\(c\\) ?[0-9]{4}-[0-9]{4} (?:Huawei Technologies Co\\., Ltd|HUAWEI TECH CO\\. LTD)"
  confidence 0.85
  source "NMAP L4122, L4306-4308, L4434, L4578, L4681"
  example "Copyright(c) 1998-2015 Huawei Technologies Co., Ltd. All rights reserved."
  example "Copyright (c) 2000-2008 HUAWEI TECH CO. LTD"
  nomatch "Copyright (c) 2004-2013 Hangzhou H3C Tech. Co., Ltd."

rule huawei-telnet-access
  field telnet.banner
  match regex "Huawei (SmartAX [A-Za-z0-9_]+)\\r\\nLogin: |Huawei (MA[A-Za-z0-9_]+) Multi-service Access Module|Huawei (HONET UA5000)"
  confidence 0.9
  model "$1$2$3"
  source "NMAP L4525, L4681, L4122"
  example "Huawei SmartAX MT882\x0d\x0aLogin: " model="SmartAX MT882"
  example "Welcome To Use Huawei MA5600 Multi-service Access Module" model=MA5600
  example "Huawei HONET UA5000" model="HONET UA5000"
  nomatch "Welcome to ZXAN product C300 of ZTE Corporation"

rule huawei-telnet-ugw
  field telnet.banner
  match prefix "+++    UGW-HUAWEI"
  confidence 0.9
  model UGW
  source "NMAP L4926 (textui, Huawei UGW)"
  example "+++    UGW-HUAWEI        2015-01-01 00:00:00" model=UGW
  nomatch "+++    UGW"

rule huawei-ftp-queue-full
  field ftp.banner
  match exact "120 The user queue is full, please try again later."
  confidence 0.3
  source "NMAP L1180"
  example "120 The user queue is full, please try again later."
  nomatch "120 Service ready in 5 minutes."
  nomatch "220 HES_CPE FTP server ready"

# --- SIP -------------------------------------------------------------------

rule huawei-sip-ua-plain
  field sip.user_agent
  match regex "(?i)^Huawei$"
  confidence 0.6
  source "RECOG sip_user_agents.xml"
  example "Huawei"
  example "HUAWEI"
  nomatch "Huawei-3Com"

rule huawei-sip-ua-homegateway
  field sip.user_agent
  match regex "(?i)^Huawei-HomeGateway/(V[0-9][A-Z0-9]*)"
  confidence 0.9
  role cpe
  version "$1"
  source "RECOG sip_user_agents.xml"
  example "Huawei-HomeGateway/V100R001" version=V100R001
  nomatch "HomeGateway/V100R001"

rule huawei-sip-ua-echolife
  field sip.user_agent
  match regex "(?i)^Huawei-EchoLife (HG[^/ ]*)/(V[0-9][A-Z0-9]*)"
  confidence 0.9
  role cpe
  model "$1"
  version "$2"
  source "RECOG sip_user_agents.xml (HUAWEI-EchoLife HG8121H/V3R018C00S110)"
  example "HUAWEI-EchoLife HG8121H/V3R018C00S110" model=HG8121H version=V3R018C00S110
  nomatch "EchoLife HG8121H/V3R018C00S110"

rule huawei-sip-ua-softx
  field sip.user_agent
  match regex "(?i)^Huawei (SoftX[0-9]+) (V[0-9][A-Z0-9]*)"
  confidence 0.9
  role server
  model "$1"
  version "$2"
  source "RECOG sip_user_agents.xml"
  example "Huawei SoftX3000 V300R010" model=SoftX3000 version=V300R010
  nomatch "SoftX3000 V300R010"

rule huawei-sip-server-softx
  field sip.server
  match regex "(?i)^Huawei (SoftX[0-9]+) (V[0-9][A-Z0-9]*)"
  confidence 0.9
  role server
  model "$1"
  version "$2"
  source "RECOG sip_banners.xml"
  example "Huawei SoftX3000 V300R006" model=SoftX3000 version=V300R006
  nomatch "Asterisk PBX 16.2.1"

rule huawei-sip-server
  field sip.server
  match regex "(?i)^SIP/1\\.0 \\(Huawei\\)$"
  confidence 0.6
  source "RECOG sip_banners.xml"
  example "SIP/1.0 (Huawei)"
  nomatch "SIP/2.0 (Huawei-3Com)"

# --- SSDP and UPnP ---------------------------------------------------------

rule huawei-ssdp-sdk
  field ssdp.server
  match contains "HUAWEI SDK for UPnP devices"
  confidence 0.9
  source "NMAP L11621"
  example "1.0 HUAWEI, UPnP, HUAWEI SDK for UPnP devices/1.0"
  nomatch "Linux/3.10 UPnP/1.0 Portable SDK for UPnP devices/1.6.19"

rule huawei-ssdp-icos
  field ssdp.server
  match regex "UPnP/[0-9.]+ HUAWEI_iCOS/"
  confidence 0.9
  source "NMAP L11648"
  example "Linux/2.6 UPnP/1.0 HUAWEI_iCOS/iCOS V1R1C00"
  nomatch "Linux/2.6 UPnP/1.0 miniupnpd/1.0"

rule huawei-ssdp-atp-igd
  field ssdp.server
  match contains "Huawei-ATP-IGD"
  confidence 0.9
  role cpe
  source "RECOG http_servers.xml (same SERVER string over SSDP)"
  example "Linux UPnP/1.0 Huawei-ATP-IGD"
  nomatch "Linux UPnP/1.0 Avm-IGD"

rule huawei-upnp-manufacturer
  field upnp.manufacturer
  match regex "^Huawei Technologies Co\\., Ltd\\.?$"
  confidence 0.85
  source "HG531 UPnP description (fingerprints.md 1.6)"
  example "Huawei Technologies Co., Ltd."
  example "Huawei Technologies Co., Ltd"
  nomatch "Hangzhou H3C Technologies Co., Limited"
  nomatch "HiSilicon Technologies Co., Ltd."

rule huawei-upnp-model-description
  field upnp.model_description
  match exact "Huawei Home Gateway"
  confidence 0.85
  role cpe
  source "HG531 UPnP description (fingerprints.md 1.6)"
  example "Huawei Home Gateway"
  nomatch "ZTE Broadband Home Gateway"

rule huawei-upnp-manufacturer-url
  field upnp.manufacturer_url
  match regex "^https?://(?:www\\.)?huawei\\.com(?:/|$)"
  confidence 0.6
  source "HG531 UPnP description manufacturerURL http://www.huawei.com"
  example "http://www.huawei.com"
  example "https://www.huawei.com/"
  nomatch "http://www.huaweicloud.com"
  nomatch "http://www.h3c.com"

rule huawei-upnp-model-name
  field upnp.model_name
  match regex "^(?:EchoLife )?(HG[0-9]{3,4}[A-Z0-9]*)$"
  confidence 0.5
  role cpe
  model "$1"
  source "Huawei HG product naming (HG531 description; HG8245H CWMP ProductClass; EchoLife realms in RECOG)"
  example "HG531" model=HG531
  example "EchoLife HG8245H" model=HG8245H
  nomatch "F670LV9.0"

# --- TLS -------------------------------------------------------------------

rule huawei-tls-issuer-ca
  field tls.issuer
  match regex "(?:^|[,/] ?)CN=Huawei (?:Equipment CA|IT Product CA|Computing RSA-PSS Equipment CA 1|Enterprise Network Product CA|RSA Equipment Root CA 2|DataCom RSA Equipment CA 2|Fixed Network Product CA|Wireless Network Product CA)(?:$|[,/])"
  confidence 0.9
  source "Huawei IAK docs and public code (fingerprints.md 1.9); Huawei Wireless Network Product CA seen in the ftp-start-tls.pcap capture"
  example "C=CN, O=Huawei, OU=Wireless Network Product Line, CN=Huawei Wireless Network Product CA"
  example "/C=CN/O=Huawei/CN=Huawei Equipment CA"
  example "CN=Huawei IT Product CA, O=Huawei, C=CN"
  nomatch "C=CN, O=Huawei Cloud, CN=Huawei Cloud CA"
  nomatch "CN=Huawei Equipment CA Fake, O=Example"

rule huawei-tls-issuer-org
  field tls.issuer
  match regex "(?:^|[,/] ?)O=Huawei(?:$|[,/])"
  confidence 0.6
  source "issuer O=Huawei of the Huawei device CAs (fingerprints.md 1.9; ftp-start-tls.pcap)"
  example "C=CN, O=Huawei, OU=Wireless Network Product Line, CN=Huawei Wireless Network Product CA"
  example "/C=CN/O=Huawei/CN=Huawei Equipment CA"
  nomatch "C=CN, O=Huawei Cloud, CN=Huawei Cloud CA"
  nomatch "C=CN, O=HuaweiFans, CN=HuaweiFans Root"

rule huawei-tls-subject-ont
  field tls.subject
  match regex "(?i)(?:^|[,/] ?)CN=ont\\.huawei\\.com(?:$|[,/])"
  confidence 0.9
  role cpe
  source "ONT web certificate CN ont.huawei.com (fingerprints.md 1.9)"
  example "C=CN, O=Huawei, CN=ont.huawei.com"
  example "CN=ONT.huawei.com"
  nomatch "CN=ont.huawei.com.example.net"
  nomatch "CN=ont.huaweicloud.com"
  nomatch "CN=OSS.huawei.com"

# The OSS (network management) side of Huawei equipment links: a server.
rule huawei-tls-subject-oss
  field tls.subject
  match regex "(?:^|[,/] ?)(?:CN=(?i:oss\\.huawei\\.com)|O=Huawei[,/].*[,/] ?CN=OSS Certificate)(?:$|[,/])"
  confidence 0.85
  role server
  source "CN=OSS.huawei.com (was in huawei-tls-subject-ont); ftp-start-tls.pcap: the FTP server's certificate C=CN, O=Huawei, OU=Huawei Network Product Line, CN=OSS Certificate"
  example "CN=OSS.huawei.com"
  example "C=CN, O=Huawei, OU=Huawei Network Product Line, CN=OSS Certificate"
  example "/C=CN/O=Huawei/OU=Huawei Network Product Line/CN=OSS Certificate"
  nomatch "C=CN, O=Example, OU=Network Product Line, CN=OSS Certificate"
  nomatch "CN=oss.huawei.com.example.net"
  nomatch "C=CN, O=Huawei, CN=ont.huawei.com"

rule huawei-tls-subject-product-line
  field tls.subject
  match regex "(?:^|[,/] ?)OU=Huawei [A-Za-z ]*Product Line(?:$|[,/])"
  confidence 0.85
  source "ftp-start-tls.pcap: subject C=CN, O=Huawei, OU=Huawei Network Product Line, CN=OSS Certificate"
  example "C=CN, O=Huawei, OU=Huawei Network Product Line, CN=OSS Certificate"
  nomatch "C=CN, O=Example, OU=Network Product Line, CN=OSS Certificate"

# --- names the device looks up or talks to ---------------------------------
# One rule per field. Device and telemetry domains are hints (0.5); the
# corporate and store domains are visited by anyone (0.3).

rule huawei-dns-device
  field dns.query
  match regex "(?i)(?:^|\\.)(?:hicloud\\.com|dbankcloud\\.(?:com|cn|ru)|dbankcdn\\.(?:com|cn)|dbankedge\\.(?:cn|net)|dbank\\.com)\\.?$"
  confidence 0.5
  source "NDPI ndpi_content_match.c.inc (hicloud.com, dbankcloud, dbankcdn, connectivitycheck.platform.hicloud.com); V2FLY data/huawei"
  example "connectivitycheck.platform.hicloud.com"
  example "metrics.data.hicloud.com."
  example "DBANKCLOUD.CN"
  nomatch "nothicloud.com"
  nomatch "myhuaweicloud.com"

rule huawei-dns-corporate
  field dns.query
  match regex "(?i)(?:^|\\.)(?:huawei\\.com(?:\\.cn)?|huawei\\.cn|huaweistatic\\.com|vmall\\.com|vmallres\\.com|agconnect\\.link|harmonyos\\.com|cloud\\.huawei\\.eu)\\.?$"
  confidence 0.3
  source "V2FLY data/huawei, data/huawei-dev; NDPI (huawei.com, cloud.huawei.com)"
  example "consumer.huawei.com"
  example "www.vmall.com"
  nomatch "huaweicloud.com"
  nomatch "hihonor.com"

rule huawei-sni-device
  field tls.sni
  match regex "(?i)(?:^|\\.)(?:hicloud\\.com|dbankcloud\\.(?:com|cn|ru)|dbankcdn\\.(?:com|cn)|dbankedge\\.(?:cn|net)|dbank\\.com)\\.?$"
  confidence 0.5
  source "NDPI ndpi_content_match.c.inc; V2FLY data/huawei"
  example "connectivitycheck.platform.hicloud.com"
  example "logservice.dbankcloud.com"
  nomatch "nothicloud.com"
  nomatch "console.huaweicloud.com"

rule huawei-sni-corporate
  field tls.sni
  match regex "(?i)(?:^|\\.)(?:huawei\\.com(?:\\.cn)?|huawei\\.cn|huaweistatic\\.com|vmall\\.com|vmallres\\.com|agconnect\\.link|harmonyos\\.com|cloud\\.huawei\\.eu)\\.?$"
  confidence 0.3
  source "V2FLY data/huawei, data/huawei-dev; NDPI"
  example "cloud.huawei.com"
  nomatch "myhuaweicloud.com"

rule huawei-host-device
  field http.host
  match regex "(?i)(?:^|\\.)(?:hicloud\\.com|dbankcloud\\.(?:com|cn|ru)|dbankcdn\\.(?:com|cn)|dbankedge\\.(?:cn|net)|dbank\\.com)\\.?(?::[0-9]+)?$"
  confidence 0.5
  source "NDPI ndpi_content_match.c.inc; V2FLY data/huawei"
  example "connectivitycheck.platform.hicloud.com"
  example "query.hicloud.com:8080"
  nomatch "hicloud.com.example.org"

rule huawei-host-corporate
  field http.host
  match regex "(?i)(?:^|\\.)(?:huawei\\.com(?:\\.cn)?|huawei\\.cn|huaweistatic\\.com|vmall\\.com|vmallres\\.com|agconnect\\.link|harmonyos\\.com|cloud\\.huawei\\.eu)\\.?(?::[0-9]+)?$"
  confidence 0.3
  source "V2FLY data/huawei, data/huawei-dev; NDPI"
  example "www.huawei.com"
  nomatch "www.huaweicloud.com"
