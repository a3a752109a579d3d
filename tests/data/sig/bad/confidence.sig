pack confidence
vendor Test

rule r1
  field dhcp.vendor_class
  match prefix "X"
  confidence 1.5
