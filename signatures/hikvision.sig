# hikvision.sig - Hikvision (Hangzhou Hikvision Digital Technology) cameras
# and recorders, with the Ezviz consumer brand and Prama Hikvision India.
#
# Facts: /work/shared/reference/fingerprints.md section 3. On by default;
# turn off with --disable-pack hikvision (see signatures/README.md).
# Not covered (no matching field yet): SADP discovery on 239.255.255.250:37020,
# the TCP 8000 SDK reply, favicon hashes.
# Role: camera for every rule, the MAC registry ones included, because
# Hikvision, Ezviz and Prama make video-surveillance equipment ("camera"
# covers the NVRs and DVRs too: docs/signatures.md, Roles). Hikrobot's
# machine-vision cameras fit; its mobile robots would not, at 0.3.
pack hikvision
vendor Hikvision
title "Hikvision, Ezviz and Prama Hikvision"
default on
role camera

rule hikvision-oui
  field mac.org
  match exact "Hangzhou Hikvision Digital Technology Co.,Ltd."
  confidence 0.95
  source "IEEE registry oui.csv 2022-08-27 (50 MA-L)"
  example "Hangzhou Hikvision Digital Technology Co.,Ltd."
  nomatch "Zhejiang Dahua Technology Co., Ltd."
  nomatch "Zhejiang Uniview Technologies Co.,Ltd."

rule hikvision-oui-prama
  field mac.org
  match exact "Prama Hikvision India Private Limited"
  confidence 0.7
  source "IEEE registry oui.csv 2022-08-27 (24B105; Hikvision's Indian affiliate)"
  example "Prama Hikvision India Private Limited"
  nomatch "Prama India Private Limited"

rule hikvision-oui-ezviz
  field mac.org
  match exact "Hangzhou Ezviz Software Co.,Ltd."
  confidence 0.7
  source "IEEE registry oui.csv 2022-08-27 (588FCF 64F2FB 78A6A0 78C1AE EC97E0; Hikvision's consumer brand)"
  example "Hangzhou Ezviz Software Co.,Ltd."
  nomatch "Hangzhou H3C Technologies Co., Limited"

rule hikvision-oui-hikrobot
  field mac.org
  match exact "Hangzhou Hikrobot Technology Co., Ltd."
  confidence 0.3
  source "IEEE registry 2022-08-27 (34BD20, MA-M B0B3536; Hikvision subsidiary)"
  example "Hangzhou Hikrobot Technology Co., Ltd."
  nomatch "Hangzhou Hikvision Digital Technology Co.,Ltd"

rule hikvision-snmp-oid
  field snmp.sysobjectid
  match oid 1.3.6.1.4.1.39165
  confidence 0.9
  source "IANA PEN 39165 Hikvision Digital Technology Co., Ltd.; LNMS hikvision-cam.yaml (.1.3.6.1.4.1.39165.1.1.0)"
  example ".1.3.6.1.4.1.39165.1.1.0"
  nomatch "1.3.6.1.4.1.391650.1"
  nomatch "1.3.6.1.4.1.37496.1"

rule hikvision-snmp-engine
  field snmp.engine_enterprise
  match number 39165
  confidence 0.9
  source "RFC 3411 engine id 800098FD = PEN 39165 (derived)"
  example "39165"
  nomatch "37496"

rule hikvision-http-webs
  field http.server
  match regex "^(?:Hikvision|DNVRS|DVRDVS)-Webs$"
  confidence 0.9
  source "RECOG http_servers.xml; NMAP L9811, L9946, L10165-10167"
  example "Hikvision-Webs"
  example "DNVRS-Webs"
  example "DVRDVS-Webs"
  nomatch "GoAhead-Webs"
  nomatch "Hikvision-Webs-Fake"

rule hikvision-http-app-webs
  field http.server
  match prefix "App-webs/"
  confidence 0.85
  source "NMAP L9679"
  example "App-webs/"
  nomatch "Apache/2.4.41"

rule hikvision-http-realm
  field http.www_authenticate
  match regex "(?i)realm=\"hikvision\""
  confidence 0.9
  source "RECOG http_wwwauth.xml; NMAP L12141 (RTSP Digest realm=\"Hikvision\")"
  example "Basic realm=\"Hikvision\""
  example "Digest realm=\"hikvision\", nonce=\"1\""
  nomatch "Basic realm=\"device\""
  nomatch "Basic realm=\"hikvision-clone\""

rule hikvision-telnet-login
  field telnet.banner
  match regex "^192\\.0\\.0\\.64 login:\\s*$"
  confidence 0.85
  source "RECOG telnet_banners.xml"
  example "192.0.0.64 login: "
  nomatch "192.0.0.65 login: "

rule hikvision-tls-subject
  field tls.subject
  match regex "(?:^|[,/] ?)CN=www\\.hikvision\\.com(?:$|[,/])"
  confidence 0.85
  source "RECOG x509_subjects.xml (CN=www.hikvision.com,OU=DVRNVR,O=HIKVISION,L=HangZhou,ST=ZheJiang,C=CN)"
  example "CN=www.hikvision.com,OU=DVRNVR,O=HIKVISION,L=HangZhou,ST=ZheJiang,C=CN"
  example "C=CN, ST=ZheJiang, L=HangZhou, O=HIKVISION, OU=DVRNVR, CN=www.hikvision.com"
  nomatch "CN=www.hikvision.com.example.net"

# Cloud and app domains are hints; the shop and IoT platform weaker.
rule hikvision-dns
  field dns.query
  match regex "(?i)(?:^|\\.)(?:hikvision\\.com|hik-cloud\\.com|ezviz\\.com|ys7\\.com)\\.?$"
  confidence 0.5
  source "V2FLY data/hikvision"
  example "open.ys7.com"
  example "api.ezviz.com"
  nomatch "nothikvision.com"

rule hikvision-dns-other
  field dns.query
  match regex "(?i)(?:^|\\.)(?:hikiot\\.com|hikmall\\.com|hik-express\\.com|eziot\\.com)\\.?$"
  confidence 0.3
  source "V2FLY data/hikvision"
  example "www.hikmall.com"
  nomatch "hikmall.com.example.org"

rule hikvision-sni
  field tls.sni
  match regex "(?i)(?:^|\\.)(?:hikvision\\.com|hik-cloud\\.com|ezviz\\.com|ys7\\.com)\\.?$"
  confidence 0.5
  source "V2FLY data/hikvision"
  example "api.hik-cloud.com"
  nomatch "ys7.community"

rule hikvision-sni-other
  field tls.sni
  match regex "(?i)(?:^|\\.)(?:hikiot\\.com|hikmall\\.com|hik-express\\.com|eziot\\.com)\\.?$"
  confidence 0.3
  source "V2FLY data/hikvision"
  example "device.eziot.com"
  nomatch "eziots.com"

rule hikvision-host
  field http.host
  match regex "(?i)(?:^|\\.)(?:hikvision\\.com|hik-cloud\\.com|ezviz\\.com|ys7\\.com|hikiot\\.com|eziot\\.com)\\.?(?::[0-9]+)?$"
  confidence 0.4
  source "V2FLY data/hikvision"
  example "www.hikvision.com"
  nomatch "hikvision.com.example.org"
