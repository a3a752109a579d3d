pack failcheck
vendor Test

rule r1
  field dhcp.vendor_class
  match prefix "HUAWEI:"
  confidence 0.5
  source "t"
  example "HUAWEI:android"
  example "HW:android"
  nomatch "MSFT"
  nomatch "HUAWEI:x"
