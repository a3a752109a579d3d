pack no-example
vendor Test

rule r0
  field dhcp.vendor_class
  match prefix "X"
  confidence 0.5
  source "test"
  example "Xa"
  nomatch "a"
rule r1
  field dhcp.vendor_class
  match prefix "X"
  confidence 0.5
  source "test"
  nomatch "a"
