pack unknown-field
vendor Test

rule r1
  field dhcp.vendorclass
