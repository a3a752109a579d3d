pack fuzz
vendor Fuzz
default off
rule a
  field tls.sni
  match cidr 2001:db8::/32
  confidence 1
  source s
  example "2001:db8::1"
  nomatch "::ffff:10.0.0.1"
rule b
  field dns.query
  match domain huawei.com.
  confidence 0.1
  source "a\tb\x41"
  example "www.HUAWEI.com."
  nomatch "nothuawei.com"
rule c
  field http.title
  match icontains "zxhn"
  confidence 0.5
  vendor ZTE
  model "lit$$"
  source s
  example "ZTE ZXHN F660" model=lit$
  nomatch "ZXH"
rule d
  field ip.asn
  match number 0-4134
  confidence 0.5
  source s
  example 4134
  nomatch 4135
rule e
  field tls.issuer
  match regex (?i)^CN=(\w+)(?:\s+(\S+))?
  model $1
  version $2
  confidence 0.5
  source s
  example "CN=x"
  nomatch "x"
