pack bad-cidr
vendor Test

rule r1
  field tls.sni
  match cidr 10.1.0.0/8
