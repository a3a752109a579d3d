pack bad-escape
vendor Test

rule r1
  field http.server
  match regex "HG(\d+)"
