pack fuzz
vendor V
rule r
  field http.server
  match regex "(a+)+$"
  confidence 0.5
  source s
  example "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"
  nomatch "c"
