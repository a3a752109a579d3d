pack unknown-kind
vendor Test

rule r1
  field dhcp.vendor_class
  match glob "X*"
