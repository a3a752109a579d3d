pack fuzz
vendor Fuzz
rule a
  role cpe
  role router
  field tls.sni
