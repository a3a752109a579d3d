# honor.sig - Honor Device (Huawei's former phone brand, independent since
# November 2020).
#
# On by default, so Honor devices are reported, as vendor Honor: they are not
# Huawei equipment since the spin-off. Whether an Honor device should count
# as Huawei is a policy decision (fingerprints.md 1.1); to have the device
# stage count them as Huawei too, remove the '#' in front of the counts-as
# line below. Turn the pack off with --disable-pack honor.
# "SHENZHEN HONOR ELECTRONIC CO.,LTD" is a different company.
# Roles: the DHCP and browser rules say phone; the MAC registry (Honor also
# makes laptops) and domain rules say nothing about the kind of device.
pack honor
vendor Honor
title "Honor Device (spun off from Huawei in 2020)"
default on
# counts-as Huawei

rule honor-oui
  field mac.org
  match exact "Honor Device Co., Ltd."
  confidence 0.9
  source "IEEE registry oui.csv 2022-08-27 (22 MA-L, e.g. 047975, FC8417)"
  example "Honor Device Co., Ltd."
  nomatch "SHENZHEN HONOR ELECTRONIC CO.,LTD"
  nomatch "Huawei Device Co., Ltd."

rule honor-dhcp-vendor-class
  field dhcp.vendor_class
  match prefix "HONOR:android"
  confidence 0.4
  role phone
  source "one third-party rule table (fingerprints.md 1.4); unverified on a capture"
  example "HONOR:android:JSN"
  nomatch "HUAWEI:android:ELE"

rule honor-http-ua-browser
  field http.user_agent
  match regex "HONORBrowser/[0-9.]+"
  confidence 0.4
  role phone
  source "third-party UA rule table (fingerprints.tsv HONORBrowser)"
  example "Mozilla/5.0 (Linux; Android 12) AppleWebKit/537.36 HONORBrowser/1.2.3 Mobile"
  nomatch "Mozilla/5.0 (Linux; Android 10) HuaweiBrowser/15.0.4.312"

rule honor-dns
  field dns.query
  match regex "(?i)(?:^|\\.)(?:hihonor\\.com|hihonor\\.cn|hihonorcdn\\.com|hihonorcloud\\.com|honor\\.com|honor\\.cn)\\.?$"
  confidence 0.3
  source "V2FLY data/honor"
  example "www.hihonor.com"
  example "honor.cn"
  nomatch "dishonor.com"
  nomatch "huawei.com"

rule honor-sni
  field tls.sni
  match regex "(?i)(?:^|\\.)(?:hihonor\\.com|hihonor\\.cn|hihonorcdn\\.com|hihonorcloud\\.com|honor\\.com|honor\\.cn)\\.?$"
  confidence 0.3
  source "V2FLY data/honor"
  example "cloud.hihonorcloud.com"
  nomatch "dishonor.com"

rule honor-host
  field http.host
  match regex "(?i)(?:^|\\.)(?:hihonor\\.com|hihonor\\.cn|hihonorcdn\\.com|hihonorcloud\\.com|honor\\.com|honor\\.cn)\\.?(?::[0-9]+)?$"
  confidence 0.3
  source "V2FLY data/honor"
  example "www.hihonor.com"
  nomatch "hihonor.com.example.org"
