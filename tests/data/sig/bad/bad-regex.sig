pack bad-regex
vendor Test

rule r1
  field http.server
  match regex "HG(8245"
