pack no-nomatch
vendor Test

rule r1
  field dhcp.vendor_class
  match prefix "X"
  confidence 0.5
  source "test"
  example "Xa"
