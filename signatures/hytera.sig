# hytera.sig - Hytera Communications (professional mobile radio).
#
# Facts: /work/shared/reference/fingerprints.md section 5: only the MAC
# registry and the enterprise numbers. Gaps: no banner, HTTP, DNS or DMR-IP
# fingerprints in the sources. On by default; turn off with
# --disable-pack hytera.
# Role: radio for every rule, the MAC registry ones included: Hytera makes
# professional radio equipment (terminals, repeaters, base stations).
pack hytera
vendor Hytera
title "Hytera Communications"
default on
role radio

rule hytera-oui
  field mac.org
  match exact "Hytera Communications Co .,ltd"
  confidence 0.95
  source "IEEE registry oui.csv 2022-08-27 (6469BC; the space before the dot is the registry's)"
  example "Hytera Communications Co .,ltd"
  nomatch "HYTEC ELECTRONICS LTD."
  nomatch "Hytec Inter Co., Ltd."

rule hytera-oui-corporation
  field mac.org
  match exact "Hytera Communications Corporation Limited"
  confidence 0.95
  source "IEEE registry oui.csv 2022-08-27 (9C066E)"
  example "Hytera Communications Corporation Limited"
  nomatch "Phytec Messtechnik GmbH"

rule hytera-snmp-oid
  field snmp.sysobjectid
  match oid 1.3.6.1.4.1.40297
  confidence 0.9
  source "IANA PEN 40297 Hytera Communications Co.,Ltd."
  example "1.3.6.1.4.1.40297.1.2"
  nomatch "1.3.6.1.4.1.402970.1"

rule hytera-snmp-oid-broadband
  field snmp.sysobjectid
  match oid 1.3.6.1.4.1.46055
  confidence 0.7
  source "IANA PEN 46055 Hytera Broadband Products"
  example "1.3.6.1.4.1.46055.1"
  nomatch "1.3.6.1.4.1.4605.1"

rule hytera-snmp-oid-austria
  field snmp.sysobjectid
  match oid 1.3.6.1.4.1.58597
  confidence 0.7
  source "IANA PEN 58597 Hytera Austria GmbH"
  example "1.3.6.1.4.1.58597.1"
  nomatch "1.3.6.1.4.1.5859.7"

rule hytera-snmp-engine
  field snmp.engine_enterprise
  match number 40297
  confidence 0.9
  source "RFC 3411 engine id 80009D69 = PEN 40297 (derived)"
  example "40297"
  nomatch "46056"

rule hytera-snmp-engine-other
  field snmp.engine_enterprise
  match number 46055
  confidence 0.7
  source "IANA PEN 46055 Hytera Broadband Products"
  example "46055"
  nomatch "40298"

rule hytera-snmp-engine-austria
  field snmp.engine_enterprise
  match number 58597
  confidence 0.7
  source "IANA PEN 58597 Hytera Austria GmbH"
  example "58597"
  nomatch "58598"
