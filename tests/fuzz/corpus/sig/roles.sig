pack fuzz
vendor Fuzz
role camera
rule a
  field http.server
  match exact "DNVRS-Webs"
  confidence 0.9
  role server
  source s
  example "DNVRS-Webs"
  nomatch "GoAhead-Webs"
rule b
  field snmp.sysdescr
  match regex "\\((S[0-9]{4}) V"
  confidence 0.5
  model "$1"
  source s
  example "(S5720 V200)" model=S5720
  nomatch "(AR1200 V200)"
