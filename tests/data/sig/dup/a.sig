pack a
vendor Test

rule same-id
  field dhcp.vendor_class
  match prefix "X"
  confidence 0.5
  source "test"
  example "Xa"
  nomatch "a"
