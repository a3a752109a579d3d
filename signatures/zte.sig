# zte.sig - ZTE (Zhongxing Telecommunication Equipment) and its subsidiaries.
#
# Facts: /work/shared/reference/fingerprints.md (section 2 and the traps of
# section 6). The substring "zte" is a trap: Aztech, Naztec, ZTEC
# Instruments, AZTEQ, Shenztech... so every name rule here is exact or
# anchored, and those names are near-misses below.
#
# Gaps (no public source found): ZTE DHCP option 60 / option 12 strings,
# ZTE ASN. The CWMP OUI field is unreliable for ZTE: operator-branded ONTs
# report 001141, which the IEEE assigns to GoodMan Corporation.
#
# Roles (docs/signatures.md, Roles): no pack role, as ZTE makes every kind
# of device; ZXHN/F6xx/ZXDSL home gateways and TR-069 say cpe, the ZXA10 and
# ZXAN OLTs switch, the ZXR10 series switch or router by model. The MAC
# registry, enterprise-number and domain rules have none.
pack zte
vendor ZTE
title "ZTE Corporation"
default on

# --- MAC registry ----------------------------------------------------------

rule zte-oui
  field mac.org
  match exact "zte corporation"
  confidence 0.95
  source "IEEE registry oui.csv 2022-08-27 (298 MA-L, spelled in lower case)"
  example "zte corporation"
  nomatch "Aztech Electronics Pte Ltd"
  nomatch "Aztech Associates Inc."
  nomatch "ZTEC Instruments, Inc."
  nomatch "Naztec, Inc."
  nomatch "ANHUI WANZTEN P&T CO., LTD"
  nomatch "ZTE Corporation"

rule zte-oui-zhongxing
  field mac.org
  match exact "ZHONGXING TELECOM LTD."
  confidence 0.9
  source "IEEE registry oui.csv 2022-08-27 (00D0D0; ZTE's former legal name)"
  example "ZHONGXING TELECOM LTD."
  nomatch "Wuxi Zhongxing Optoelectronics Technology Co.,Ltd."
  nomatch "Zhongxin Intelligent Times (Shenzhen) Co., Ltd."

rule zte-oui-shanghai
  field mac.org
  match exact "SHANGHAI ZTE TECHNOLOGIES CO.,LTD"
  confidence 0.7
  source "IEEE registry mam.csv 2022-08-27 (MA-M AC64DD5)"
  example "SHANGHAI ZTE TECHNOLOGIES CO.,LTD"
  nomatch "Shenztech Ltd"
  nomatch "AZTEQ Mobile"

# Nubia is a ZTE-affiliated phone brand (V2FLY files it under data/zte);
# weak, since it is a separate company.
rule zte-oui-nubia
  field mac.org
  match exact "Nubia Technology Co.,Ltd."
  confidence 0.3
  source "IEEE registry oui.csv 2022-08-27 (DCF090); V2FLY data/zte lists nubia"
  example "Nubia Technology Co.,Ltd."
  nomatch "Kaztek Systems"

# --- SNMP and LLDP ---------------------------------------------------------

rule zte-snmp-zxa10
  field snmp.sysobjectid
  match regex "^\\.?1\\.3\\.6\\.1\\.4\\.1\\.3902\\.1082\\.1001\\.9999$"
  confidence 0.95
  role switch
  model ZXA10
  source "LNMS os_detection/zxa10.yaml (ZXA10 OLT)"
  example "1.3.6.1.4.1.3902.1082.1001.9999" model=ZXA10
  example ".1.3.6.1.4.1.3902.1082.1001.9999" model=ZXA10
  nomatch "1.3.6.1.4.1.3902.1082.1001.99990"

rule zte-snmp-sysobjectid
  field snmp.sysobjectid
  match oid 1.3.6.1.4.1.3902
  confidence 0.95
  source "IANA PEN 3902 Zhongxing Telecom Co.,ltd. (abbr. ZTE)"
  example "1.3.6.1.4.1.3902.1082.1001.9999"
  example ".1.3.6.1.4.1.3902.3"
  nomatch "1.3.6.1.4.1.39020.1"
  nomatch "1.3.6.1.4.1.29279.1"
  nomatch "1.3.6.1.4.1.8409.1"

rule zte-snmp-engine
  field snmp.engine_enterprise
  match number 3902
  confidence 0.95
  source "RFC 3411 engine id 80000F3E = PEN 3902 (derived)"
  example "3902"
  nomatch "29279"
  nomatch "8409"

rule zte-snmp-sysdescr
  field snmp.sysdescr
  match regex "\\bZXR10\\b|ZTE Ethernet Switch|ZTE 5950-36TM"
  confidence 0.9
  source "LNMS os_detection/zxr10.yaml"
  example "ZXR10 ROS Version V4.8.23 ZXR10 5928E Software"
  example "ZTE Ethernet Switch ZXR10 2928E"
  nomatch "AZTEQ Mobile Ethernet Switch"
  nomatch "Aztech DSL router"

# ZXR10 names ZTE's switches and routers alike, so the rule above gives no
# role; these two read the series. Switches: "Ethernet Switch" and the
# x9xx series (2928E, 3928, 5928E, 5950, 5960, 8900E, 9900); routers: the
# M6000 and T8000 carrier routers and the ZSR 1800/2800/3800 routers.
rule zte-snmp-sysdescr-switch
  field snmp.sysdescr
  match regex "\\bZTE (?:Ethernet Switch|5950-36TM)|\\bZXR10 [0-9]9[0-9]{2}[A-Z]?(?:-[A-Z0-9]+)?\\b"
  confidence 0.9
  role switch
  source "LNMS os_detection/zxr10.yaml strings; ZTE product descriptions: ZXR10 5950 GE Intelligent Switch, ZXR10 8900E Series Core Switch"
  example "ZXR10 ROS Version V4.8.23 ZXR10 5928E Software"
  example "ZTE Ethernet Switch ZXR10 2928E"
  example "ZXR10 5950-36TM, ZTE Corporation"
  example "ZTE 5950-36TM"
  nomatch "ZXR10 M6000-S Software, Version V5.00.10"
  nomatch "ZXR10 2800-4 Software"
  nomatch "AZTEQ Mobile Ethernet Switch"

rule zte-snmp-sysdescr-router
  field snmp.sysdescr
  match regex "\\bZXR10 (?:M6000|T8000|[1-3]800)(?:-[A-Z0-9]+)?\\b"
  confidence 0.9
  role router
  source "ZTE product descriptions: ZXR10 M6000-S Carrier-Class Router, ZXR10 ZSR V2 (1800/2800/3800) multi-service routers; T8000 (NMAP L4891 banner)"
  example "ZXR10 M6000-S Software, Version V5.00.10"
  example "ZXR10 2800-4 Software"
  example "ZTE ZXR10 T8000 Software"
  nomatch "ZXR10 ROS Version V4.8.23 ZXR10 5928E Software"
  nomatch "ZXR10 M60000"

rule zte-lldp-sysdescr
  field lldp.system_description
  match regex "\\bZXR10\\b|\\bZTE (?:Ethernet Switch|Corporation)|ZTE 5950-36TM"
  confidence 0.8
  source "inferred from sysDescr (IEEE 802.1AB); strings from LNMS zxr10.yaml"
  example "ZXR10 5950-36TM, ZTE Corporation"
  nomatch "AZTEQ Mobile Switch"
  nomatch "ZTEC Instruments"

# Kind of device from the series, as for SNMP above.
rule zte-lldp-sysdescr-switch
  field lldp.system_description
  match regex "\\bZTE (?:Ethernet Switch|5950-36TM)|\\bZXR10 [0-9]9[0-9]{2}[A-Z]?(?:-[A-Z0-9]+)?\\b"
  confidence 0.8
  role switch
  source "inferred from sysDescr (IEEE 802.1AB); series as in zte-snmp-sysdescr-switch"
  example "ZXR10 5950-36TM, ZTE Corporation"
  example "ZXR10 8905E"
  nomatch "ZXR10 M6000-S, ZTE Corporation"
  nomatch "AZTE Ethernet Switch"

rule zte-lldp-sysdescr-router
  field lldp.system_description
  match regex "\\bZXR10 (?:M6000|T8000|[1-3]800)(?:-[A-Z0-9]+)?\\b"
  confidence 0.8
  role router
  source "inferred from sysDescr (IEEE 802.1AB); series as in zte-snmp-sysdescr-router"
  example "ZXR10 M6000-S, ZTE Corporation"
  example "ZXR10 1800-2S"
  nomatch "ZXR10 5950-36TM, ZTE Corporation"

# --- DHCPv6 ----------------------------------------------------------------

rule zte-dhcpv6-enterprise
  field dhcpv6.enterprise
  match number 3902
  confidence 0.3
  source "derived: RFC 8415 option 16 enterprise-number = PEN 3902; no capture seen"
  example "3902"
  nomatch "29279"

# --- TR-069 / CWMP ---------------------------------------------------------

rule zte-cwmp-manufacturer
  field cwmp.manufacturer
  match regex "(?i)^zte(?: corporation)?$"
  confidence 0.9
  role cpe
  source "TR-069 Inform sample: Manufacturer ZTE, OUI 44F436, ProductClass F600W (fingerprints.md 2.4)"
  example "ZTE"
  example "ZTE Corporation"
  nomatch "AZTECH"
  nomatch "ZTEC Instruments"

rule zte-cwmp-oui
  field cwmp.oui
  match iexact "44F436"
  confidence 0.7
  role cpe
  source "TR-069 Inform sample (OUI 44F436); 44F436 = zte corporation in IEEE"
  example "44F436"
  example "44f436"
  nomatch "001141"
  nomatch "00259E"

rule zte-cwmp-product-class
  field cwmp.product_class
  match regex "^(F[0-9]{3}[A-Z0-9]*|ZXHN ?[A-Z][0-9]+[A-Z0-9]*)$"
  confidence 0.6
  role cpe
  model "$1"
  source "F600W, F670L, F663NV9 in public ACS code; ZXHN naming from RECOG telnet/sip"
  example "F670L" model=F670L
  example "ZXHN H108N" model="ZXHN H108N"
  nomatch "HG8245H"
  nomatch "F5"

rule zte-cwmp-serial-zteg
  field cwmp.serial_number
  match prefix "ZTEG"
  confidence 0.9
  role cpe
  source "GPON vendor id ZTEG; ACS device ids 001141-F670L-ZTEGCFLN794B3A1"
  example "ZTEGCFLN794B3A1"
  nomatch "HWTC50F845B1"
  nomatch "ZTECA0000001"

rule zte-cwmp-serial-ztee
  field cwmp.serial_number
  match prefix "ZTEE"
  confidence 0.6
  role cpe
  source "TR-069 Inform sample SerialNumber ZTEEQAWF5J00191"
  example "ZTEEQAWF5J00191"
  nomatch "ZTECA0000001"

rule zte-cwmp-serial-hex
  field cwmp.serial_number
  match prefix "5A544547"
  confidence 0.6
  role cpe
  source "derived: hex of GPON vendor id ZTEG, written like Huawei's 48575443 (HWTC)"
  example "5A544547C1234567"
  nomatch "48575443E6F52C0C"

# --- HTTP ------------------------------------------------------------------

# The version in these Server headers is the web server's, not the
# device's firmware: it is not reported as the device's version.
rule zte-http-mini-web
  field http.server
  match regex "^((?:Mini|ZTE) web server) ([0-9.]+) ZTE corp [0-9]{4}\\.$"
  confidence 0.9
  source "RECOG http_servers.xml; NMAP L9492, L9640"
  example "Mini web server 1.0 ZTE corp 2005."
  example "ZTE web server 1.0 ZTE corp 2015."
  nomatch "Mini web server 1.0"

rule zte-http-web-server
  field http.server
  match regex "^ZTE Web Server/([0-9.]+)$"
  confidence 0.9
  source "NMAP L10344"
  example "ZTE Web Server/1.0.0"
  nomatch "AZTECH Web Server/1.0.0"

rule zte-http-cpe-server
  field http.server
  match prefix "CPE-SERVER/"
  confidence 0.3
  role cpe
  source "NMAP L1527 (ZTE H220N)"
  example "CPE-SERVER/1.0 Supports only GET"
  nomatch "CPE-Server"

rule zte-http-realm-cpe
  field http.www_authenticate
  match contains "realm=\"cpe@zte.com\""
  confidence 0.9
  source "RECOG http_wwwauth.xml; NMAP L10082 (CPE and ACS)"
  example "Digest realm=\"cpe@zte.com\", nonce=\"1\""
  nomatch "Basic realm=\"cpe@aztech.com\""


rule zte-http-title-zxhn
  field http.title
  match regex "^(ZXHN [A-Z][0-9]+[A-Z0-9]*)$"
  confidence 0.6
  role cpe
  model "$1"
  source "ZXHN model names in ZTE realms and Telnet banners (RECOG: realm ZXHN H108L, banner ZXHN H108N); the login page title carries the same name (inferred)"
  example "ZXHN H108N" model="ZXHN H108N"
  example "ZXHN F670L" model="ZXHN F670L"
  nomatch "ZXHN"
  nomatch "Welcome to ZXHN H108N"
  nomatch "zxhn h108n"
rule zte-http-realm-zxhn
  field http.www_authenticate
  match regex "realm=\"(ZXHN [^\"\\s]+)\""
  confidence 0.9
  role cpe
  model "$1"
  source "RECOG http_wwwauth.xml"
  example "Basic realm=\"ZXHN H108L\"" model="ZXHN H108L"
  nomatch "Basic realm=\"ZXHN\""

rule zte-http-realm-zxv
  field http.www_authenticate
  match regex "realm=\"(ZXV[^\"\\s]* [^\"\\s]+)\""
  confidence 0.9
  model "$1"
  source "RECOG http_wwwauth.xml"
  example "Basic realm=\"ZXV10 W300\"" model="ZXV10 W300"
  nomatch "Basic realm=\"W300\""

# --- SSDP and UPnP ---------------------------------------------------------

rule zte-ssdp-miniupnpd
  field ssdp.server
  match regex "^ZTE/[0-9.]+ UPnP/[0-9.]+ miniupnpd/"
  confidence 0.9
  role cpe
  source "NMAP L6211"
  example "ZTE/1.0 UPnP/1.0 miniupnpd/1.0"
  nomatch "Linux/2.6 UPnP/1.0 miniupnpd/1.0"

rule zte-ssdp-mf
  field ssdp.server
  match regex "^(MF[0-9]+)/[0-9.]+ UPnP/[0-9.]+ miniupnpd/"
  confidence 0.6
  role cpe
  model "$1"
  source "NMAP L6232 (ZTE MF60 mobile hotspot)"
  example "MF60/1.0 UPnP/1.0 miniupnpd/1.0" model=MF60
  nomatch "MF/1.0 UPnP/1.0 miniupnpd/1.0"

rule zte-upnp-manufacturer
  field upnp.manufacturer
  match regex "^ZTE(?: Corporation)?$"
  confidence 0.85
  source "NMAP L11663; F670L description sample (fingerprints.md 2.5)"
  example "ZTE"
  nomatch "ZTEC Instruments, Inc."
  nomatch "Aztech"

rule zte-upnp-model-description
  field upnp.model_description
  match exact "ZTE Broadband Home Gateway"
  confidence 0.85
  role cpe
  source "F670L UPnP description sample (fingerprints.md 2.5)"
  example "ZTE Broadband Home Gateway"
  nomatch "Huawei Home Gateway"

rule zte-upnp-manufacturer-url
  field upnp.manufacturer_url
  match regex "^https?://www\\.zte\\.com(?:\\.cn)?(?:/|$)"
  confidence 0.6
  source "F670L UPnP description sample manufacturerURL http://www.zte.com"
  example "http://www.zte.com"
  example "http://www.zte.com.cn/"
  nomatch "http://www.aztech.com"
  nomatch "http://www.zte.com.example.org"

rule zte-upnp-model-name
  field upnp.model_name
  match regex "^(F[0-9]{3}[A-Z0-9]*?)(?:V[0-9.]+)?$"
  confidence 0.5
  role cpe
  model "$1"
  source "F670L UPnP description sample modelName F670LV9.0"
  example "F670LV9.0" model=F670L
  example "F660" model=F660
  nomatch "HG8245H"

# --- SSH, Telnet -----------------------------------------------------------

rule zte-ssh-banner
  field ssh.banner
  match regex "^SSH-[0-9.]+-ZTE_SSH\\.[0-9.]+"
  confidence 0.9
  source "NMAP L3735"
  example "SSH-2.0-ZTE_SSH.2.0"
  nomatch "SSH-2.0-OpenSSH_7.4"

rule zte-telnet-zxhn
  field telnet.banner
  match regex "ZXHN ([A-Za-z0-9_]+)(?: V([0-9.]+))?[\\r\\n]*Login:"
  confidence 0.9
  role cpe
  model "ZXHN $1"
  version "$2"
  source "RECOG telnet_banners.xml"
  example "ZXHN H108N\x0d\x0aLogin:" model="ZXHN H108N"
  example "ZXHN H298A V1.1\x0d\x0aLogin:" model="ZXHN H298A" version=1.1
  nomatch "ZXHN H108N"

rule zte-telnet-f6
  field telnet.banner
  match regex "^(F6[0-9]+[A-Za-z0-9_]?)\\r\\n\\rLogin:"
  confidence 0.9
  role cpe
  model "$1"
  source "RECOG telnet_banners.xml; NMAP L4725"
  example "F668\x0d\x0a\x0dLogin:" model=F668
  nomatch "F668 Login:"

rule zte-telnet-zxan
  field telnet.banner
  match regex "Welcome to ZXAN product ([A-Za-z0-9_]+) of ZTE Corporation"
  confidence 0.9
  role switch
  model "$1"
  source "NMAP L4837"
  example "Welcome to ZXAN product C300 of ZTE Corporation" model=C300
  nomatch "Welcome to ZXAN product"

rule zte-telnet-routing-switch
  field telnet.banner
  match regex "Welcome to ([A-Za-z0-9_]+) Carrier-Class High-end Routing Switch of ZTE Corporation"
  confidence 0.9
  role router
  model "$1"
  source "NMAP L4891"
  example "Welcome to T8000 Carrier-Class High-end Routing Switch of ZTE Corporation" model=T8000
  nomatch "Welcome to T8000 Carrier-Class High-end Routing Switch"

rule zte-telnet-release
  field telnet.banner
  match regex "ZTE (?:Inc\\.|Corporation), Software Release"
  confidence 0.9
  source "NMAP L4252-4255, L4774"
  example "ZTE Inc., Software Release ZXDSL 831CII V2.0"
  nomatch "AZTE Inc., Software"

rule zte-telnet-cli
  field telnet.banner
  match contains "Welcome to the world of CLI !"
  confidence 0.3
  source "NMAP L4814"
  example "Welcome to the world of CLI !\x0d\x0aLogin:"
  nomatch "-----Welcome to ATP Cli------"

# --- SIP -------------------------------------------------------------------

rule zte-sip-ua-f6
  field sip.user_agent
  match regex "^(F[0-9]{3})/VT?([0-9][0-9.A-Z]+)$"
  confidence 0.6
  role cpe
  model "$1"
  version "V$2"
  source "RECOG sip_banners.xml (F660/V2.22.21P1T14S, F668/VT...)"
  example "F660/V2.22.21P1T14S" model=F660 version=V2.22.21P1T14S
  example "F620/V1.0.3" model=F620
  nomatch "F660"
  nomatch "Fritz!OS/7.29"

rule zte-sip-ua-zxdsl
  field sip.user_agent
  match regex "^(ZXDSL [^/]+)/V?[0-9]"
  confidence 0.9
  role cpe
  model "$1"
  source "RECOG sip_banners.xml"
  example "ZXDSL 931VII/V2.0.00.OTET06" model="ZXDSL 931VII"
  nomatch "ZXDSL"

rule zte-sip-ua-zxhn
  field sip.user_agent
  match regex "^(?:ZXHN )?(H[0-9]{3}N)/V?[0-9]"
  confidence 0.9
  role cpe
  model "ZXHN $1"
  source "RECOG sip_banners.xml"
  example "ZXHN H218N/V1.02.01_ERS" model="ZXHN H218N"
  nomatch "H218/V1.02"

rule zte-sip-ua-prefix
  field sip.user_agent
  match prefix "ZTE-"
  confidence 0.3
  source "SIP test fixture User-Agent: ZTE-B200 (fingerprints.md 2.6)"
  example "ZTE-B200"
  nomatch "AZTE-B200"

rule zte-sip-server-f6
  field sip.server
  match regex "^(F[0-9]{3})/VT?([0-9][0-9.A-Z]+)$"
  confidence 0.6
  role cpe
  model "$1"
  version "V$2"
  source "RECOG sip_banners.xml"
  example "F660/V2.22.21P1T14S" model=F660
  nomatch "Asterisk PBX 16.2.1"

rule zte-sip-server-zxdsl
  field sip.server
  match regex "^(ZXDSL [^/]+)/V?[0-9]"
  confidence 0.9
  role cpe
  model "$1"
  source "RECOG sip_banners.xml"
  example "ZXDSL 931VII/V2.0.00.OTET06" model="ZXDSL 931VII"
  nomatch "ZXDSL"

rule zte-sip-server-zxhn
  field sip.server
  match regex "^(?:ZXHN )?(H[0-9]{3}N)/V?[0-9]"
  confidence 0.9
  role cpe
  model "ZXHN $1"
  source "RECOG sip_banners.xml"
  example "ZXHN H218N/V1.02.01_ERS" model="ZXHN H218N"
  nomatch "H218/V1.02"

# --- names the device looks up or talks to ---------------------------------
# Device and update hosts are hints (0.5); the shop and the affiliate
# brands (nubia, redmagic) weaker still.

rule zte-dns-device
  field dns.query
  match regex "(?i)(?:^|\\.)(?:zte\\.com\\.cn|ztedevices\\.com|ztems\\.com)\\.?$"
  confidence 0.5
  source "V2FLY data/zte; zxapp.ztems.com and cloud.ztedevices.com app/FOTA update hosts in public code"
  example "zxapp.ztems.com"
  example "cloud.ztedevices.com"
  example "www.zte.com.cn."
  nomatch "aztech.com"
  nomatch "notztems.com"

rule zte-dns-brands
  field dns.query
  match regex "(?i)(?:^|\\.)(?:ztemall\\.com|nubia\\.com|nubia\\.cn|redmagic\\.com)\\.?$"
  confidence 0.3
  source "V2FLY data/zte"
  example "www.ztemall.com"
  example "global.redmagic.com"
  nomatch "aztemall.com"

rule zte-sni-device
  field tls.sni
  match regex "(?i)(?:^|\\.)(?:zte\\.com\\.cn|ztedevices\\.com|ztems\\.com)\\.?$"
  confidence 0.5
  source "V2FLY data/zte; ZTE app/FOTA update hosts"
  example "dlapp.ztems.com"
  nomatch "aztech.com"

rule zte-sni-brands
  field tls.sni
  match regex "(?i)(?:^|\\.)(?:ztemall\\.com|nubia\\.com|nubia\\.cn|redmagic\\.com)\\.?$"
  confidence 0.3
  source "V2FLY data/zte"
  example "www.nubia.com"
  nomatch "nubian.com"

rule zte-host-device
  field http.host
  match regex "(?i)(?:^|\\.)(?:zte\\.com\\.cn|ztedevices\\.com|ztems\\.com)\\.?(?::[0-9]+)?$"
  confidence 0.5
  source "V2FLY data/zte; cloud.ztedevices.com:10003/zteappupgrade/multiupdate, zxapp.ztems.com/AppUpgradeServer"
  example "cloud.ztedevices.com:10003"
  example "zxapp.ztems.com"
  nomatch "ztems.com.example.org"

rule zte-host-brands
  field http.host
  match regex "(?i)(?:^|\\.)(?:ztemall\\.com|nubia\\.com|nubia\\.cn|redmagic\\.com)\\.?(?::[0-9]+)?$"
  confidence 0.3
  source "V2FLY data/zte"
  example "www.nubia.cn"
  nomatch "aztemall.com"
