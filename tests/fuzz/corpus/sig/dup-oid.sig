pack fuzz
vendor V
rule r
  field snmp.sysobjectid
  match oid .1.3.6.1.4.1.2011
  confidence 1e-3
  source s
  example ".1.3.6.1.4.1.2011.1" model="a b"
  nomatch 1.3.6.1.4.1.20110
rule r
