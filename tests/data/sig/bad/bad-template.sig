pack bad-template
vendor Test

rule r1
  field http.server
  match regex "HG(\\d+)"
  model $2
  confidence 0.5
  source "t"
  example "HG1"
  nomatch "x"
