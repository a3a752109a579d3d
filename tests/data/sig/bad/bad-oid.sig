pack bad-oid
vendor Test

rule r1
  field snmp.sysobjectid
  match oid 1.3..6
