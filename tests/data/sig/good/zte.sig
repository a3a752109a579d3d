pack zte
vendor ZTE
title "ZTE Corporation"
default on

rule zte-snmp-enterprise
  field snmp.sysobjectid
  match oid 1.3.6.1.4.1.3902
  confidence 0.95
  source "IANA Private Enterprise Numbers: 3902 = ZTE Corporation"
  example "1.3.6.1.4.1.3902.3.1"
  nomatch "1.3.6.1.4.1.39020"
  nomatch "1.3.6.1.4.1.2011.1"

rule zte-dhcpv6-enterprise
  field dhcpv6.enterprise
  match number 3902
  confidence 0.9
  source "IANA Private Enterprise Numbers"
  example "3902"
  nomatch "39020"
  nomatch "2011"
