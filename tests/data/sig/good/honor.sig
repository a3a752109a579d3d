# Off unless asked for: shows the enable/disable path.
pack honor
vendor Honor
default off

rule honor-domain
  field dns.query
  match domain hihonor.com
  confidence 0.5
  source "Honor Device Co. cloud services"
  example "update.hihonor.com"
  nomatch "nothihonor.com"
