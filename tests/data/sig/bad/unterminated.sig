pack unterminated
vendor Test

rule r1
  field dhcp.vendor_class
  match prefix "X
