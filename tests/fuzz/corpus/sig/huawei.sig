# A small real-looking pack: the shapes of rule the real packs use.
pack fuzz
vendor Huawei
title "Huawei Technologies and Huawei Device"
default on

rule huawei-dhcp-vendor-class
  field dhcp.vendor_class
  match prefix "HUAWEI:android:"
  confidence 0.8
  model none
  source "RECOG dhcp_vendor_class.xml; EMUI DhcpPacket.getVendorId()"
  example "HUAWEI:android:ELE"
  example "HUAWEI:android:JKM"
  nomatch "MSFT 5.0"
  nomatch "android-dhcp-10"
  nomatch "huawei:android:ELE"    # the prefix is case-sensitive

rule huawei-snmp-enterprise
  field snmp.sysobjectid
  match oid 1.3.6.1.4.1.2011
  confidence 0.95
  source "IANA Private Enterprise Numbers: 2011 = Huawei Technologies Co., Ltd."
  example "1.3.6.1.4.1.2011.2.23.287"
  example ".1.3.6.1.4.1.2011"
  nomatch "1.3.6.1.4.1.20110.1"
  nomatch "1.3.6.1.4.1.3902.1"

rule huawei-http-realm-homegateway
  field http.www_authenticate
  match regex "realm=\"(HuaweiHomeGateway)\""
  confidence 0.9
  model $1
  source "RECOG http_wwwauth.xml"
  example "Basic realm=\"HuaweiHomeGateway\"" model=HuaweiHomeGateway
  nomatch "Basic realm=\"HomeGateway\""
  nomatch "Digest realm=\"huaweihomegateway\""

rule huawei-ont-server
  field http.server
  match regex "^HuaweiHomeGateway/([A-Z0-9]+) V([0-9R]+)$"
  confidence 0.85
  model "HG$1"
  version "V$2"
  source "Observed HG8245H banners"
  example "HuaweiHomeGateway/8245H V300R013" model=HG8245H version=V300R013
  nomatch "HuaweiHomeGateway"
