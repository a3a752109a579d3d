# h3c.sig - New H3C Technologies (Hangzhou H3C; the Huawei-3Com joint
# venture of 2003, whose Huawei stake was sold in 2006).
#
# Why this pack exists: H3C is not Huawei and is not on the FCC Covered
# List, yet its Comware switches still send Huawei's HGMP/NDP frames, so
# without this pack an H3C switch shows nothing but a weak Huawei hint
# (huawei-l2-hgmp, eth.protocol, 0.4). Affiliates and former joint ventures
# are labelled as themselves (issue 4; fingerprints.md section 6): these
# rules give H3C evidence strong enough to win the device verdict over that
# hint, and they never say Huawei. There is deliberately no counts-as line.
#
# HPE (formerly HP) sells Comware switches made by H3C. They keep enterprise
# 25506 (sysObjectID and SNMPv3 engine id, hence the lower confidence of
# those rules) but describe themselves as "HP Comware" / "HPE Comware" with
# a Hewlett-Packard copyright, which nothing here matches.
#
# Roles: none for the pack (H3C makes switches, routers, firewalls, access
# points and servers); the rules that name an S-series model or "H3C
# Switch" say switch.
pack h3c
vendor H3C
title "New H3C Technologies (Comware; formerly Huawei-3Com)"
default on

# --- MAC registry (mac.org is the IEEE organisation name, exact) ----------

rule h3c-oui-new
  field mac.org
  match exact "New H3C Technologies Co., Ltd"
  confidence 0.95
  source "IEEE registry oui.csv 2022-08-27 (82 MA-L, e.g. 5098B8, 00BED5); fingerprints.md section 6"
  example "New H3C Technologies Co., Ltd"
  nomatch "New H3C Technologies Co., Ltd."
  nomatch "HUAWEI TECHNOLOGIES CO.,LTD"
  nomatch "Huawei Device Co., Ltd."

rule h3c-oui-hangzhou
  field mac.org
  match exact "Hangzhou H3C Technologies Co., Limited"
  confidence 0.95
  source "IEEE registry oui.csv 2022-08-27 (27 MA-L, e.g. 000FE2, 3CE5A6); fingerprints.md section 6"
  example "Hangzhou H3C Technologies Co., Limited"
  nomatch "Hangzhou Hikvision Digital Technology Co.,Ltd."
  nomatch "HUAWEI TECHNOLOGIES CO.,LTD"

rule h3c-oui-terminal
  field mac.org
  match exact "New H3C Intelligence Terminal Co., Ltd."
  confidence 0.9
  source "IEEE registry oui.csv 2022-08-27 (1 MA-L, 109F4F); fingerprints.md section 6"
  example "New H3C Intelligence Terminal Co., Ltd."
  nomatch "Honor Device Co., Ltd."
  nomatch "New H3C Technologies Co., Ltd"

# --- LLDP (the System Description TLV carries sysDescr, IEEE 802.1AB) ------

rule h3c-lldp-comware-version
  field lldp.system_description
  match regex "^(?:Hangzhou )?H3C Comware Platform Software,? Software Version ([0-9][0-9.]*),? ((?:Release|Alpha|Beta|ESS) [0-9A-Z]+)[,\\s]+H3C ([A-Za-z0-9][A-Za-z0-9-]*)"
  confidence 0.9
  model "$3"
  version "$1 $2"
  source "RECOG snmp_sysdescr.xml 'H3C Comware, generic' (S5500-28C-EI); LNMS includes/polling/os/comware.inc.php (S3100-8TP-EI); lldp_h3c_switch.pcap (tests/pcap/gen_vendor.py)"
  example "H3C Comware Platform Software, Software Version 7.1.070, Release 6616\x0d\x0aH3C S6850-56HF\x0d\x0aCopyright (c) 2004-2021 New H3C Technologies Co., Ltd. All rights reserved." model=S6850-56HF version="7.1.070 Release 6616"
  example "H3C Comware Platform Software, Software Version 5.20 Release 2208\x0d\x0aH3C S5500-28C-EI\x0d\x0aCopyright (c) 2004-2010 Hangzhou H3C Tech. Co., Ltd. All rights reserved." model=S5500-28C-EI version="5.20 Release 2208"
  example "Hangzhou H3C Comware Platform Software, Software Version 3.10, Release 2211P06\x0aH3C S3100-8TP-EI\x0aCopyright(c) 2004-2010 Hangzhou H3C Tech. Co.,Ltd. All rights reserved." model=S3100-8TP-EI version="3.10 Release 2211P06"
  nomatch "HP Comware Platform Software, Software Version 5.20 Release 2208 HP A5500-24G SI Switch with 2 Interface Slots Copyright (c) 2010-2011 Hewlett-Packard Development Company, L.P."
  nomatch "Huawei Versatile Routing Platform Software VRP (R) software, Version 8.120 (CE6870EI V200R001C00SPC700) Copyright (C) 2012-2016 Huawei Technologies Co., Ltd."

rule h3c-lldp-comware
  field lldp.system_description
  match regex "(?:^|[^A-Za-z0-9])H3C Comware (?:Platform )?[Ss]oftware"
  confidence 0.9
  source "H3C 'display lldp local-information' example 'System description : H3C Comware Platform Software' (FS:59401381198); RECOG snmp_sysdescr.xml 'H3C Comware, generic'"
  example "H3C Comware Platform Software"
  example "H3C Comware software. H3C S9512E Product Version S9500E-CMW520-R1238P08. Copyright (c) 2004-2010 Hangzhou H3C Tech. Co., Ltd. All rights reserved."
  example "Hangzhou H3C Comware Platform Software, Software Version 3.10, Release 2211P06"
  nomatch "HP Comware Platform Software, Software Version 5.20.99, Release 2101P01 HP A3600-48 v2 EI Switch"
  nomatch "HPE Comware Platform Software"
  nomatch "Huawei-3Com Versatile Routing Platform Software (VRP), Software Version 3.10, Release 0030"

rule h3c-lldp-copyright
  field lldp.system_description
  match regex "Copyright ?\\([Cc]\\) ?[0-9]{4}(?:-[0-9]{4})?,? (?:New H3C Technologies Co\\., ?Ltd|Hangzhou H3C Tech(?:nologies)?\\.? Co\\., ?Ltd)"
  confidence 0.85
  source "RECOG snmp_sysdescr.xml H3C examples; LNMS includes/polling/os/comware.inc.php; copyright line of Comware V7 descriptions (lldp_h3c_switch.pcap)"
  example "H3C S6850-56HF\x0d\x0aCopyright (c) 2004-2021 New H3C Technologies Co., Ltd. All rights reserved."
  example "Copyright(c) 2004-2010 Hangzhou H3C Tech. Co.,Ltd. All rights reserved."
  nomatch "Copyright (C) 2012-2016 Huawei Technologies Co., Ltd."
  nomatch "Copyright (c) 2010-2011 Hewlett-Packard Development Company, L.P."

# Comware runs on H3C's switches, routers (MSR, SR, CR) and firewalls
# alike; a description naming an S-series model (or "H3C Switch") is a
# switch.
rule h3c-lldp-comware-switch
  field lldp.system_description
  match regex "(?:^|[^A-Za-z0-9])H3C (?:Switch )?S[0-9]{4,5}"
  confidence 0.9
  role switch
  source "model line of Comware descriptions (RECOG snmp_sysdescr.xml S5500-28C-EI, S5120-28P-SI; LNMS comware.inc.php S3100-8TP-EI; lldp_h3c_switch.pcap S6850-56HF); H3C S-series are Ethernet switches"
  example "H3C Comware Platform Software, Software Version 7.1.070, Release 6616\x0d\x0aH3C S6850-56HF\x0d\x0aCopyright (c) 2004-2021 New H3C Technologies Co., Ltd. All rights reserved."
  example "H3C Comware software. H3C S9512E Product Version S9500E-CMW520-R1238P08."
  nomatch "H3C Comware Platform Software, Software Version 7.1.064, Release 0821P25\x0d\x0aH3C MSR3620\x0d\x0aCopyright (c) 2004-2019 New H3C Technologies Co., Ltd."
  nomatch "H3C Comware Platform Software, Software Version 7.1.064\x0d\x0aH3C SR6602-X1"
  nomatch "HP Comware Platform Software, Software Version 5.20 Release 2208 HP A5500-24G SI Switch"

# --- SNMP ------------------------------------------------------------------

# HPE's Comware switches (made by H3C) keep this enterprise: 0.85, not 0.95.
rule h3c-snmp-sysobjectid
  field snmp.sysobjectid
  match oid 1.3.6.1.4.1.25506
  confidence 0.85
  source "IANA PEN 25506 H3C (wireshark enterprises.tsv; fingerprints.md section 6); enterprises.25506.1.1588 (FS:57595432515); LNMS os_detection/comware.yaml (.1.3.6.1.4.1.25506., shared with HPE Comware)"
  example "1.3.6.1.4.1.25506.1.1588"
  example ".1.3.6.1.4.1.25506.11.1"
  nomatch "1.3.6.1.4.1.2011.2.23.96"
  nomatch "1.3.6.1.4.1.255060.1"
  nomatch "1.3.6.1.4.1.43.1.16.4.3"

rule h3c-snmp-sysobjectid-new
  field snmp.sysobjectid
  match oid 1.3.6.1.4.1.61878
  confidence 0.8
  source "IANA PEN 61878 New H3C Technologies Co., Ltd (wireshark enterprises.tsv; fingerprints.md section 6); no device seen using it yet"
  example "1.3.6.1.4.1.61878.1"
  nomatch "1.3.6.1.4.1.6187.1"
  nomatch "1.3.6.1.4.1.2011.2.239.59"

rule h3c-snmp-engine
  field snmp.engine_enterprise
  match number 25506
  confidence 0.85
  source "RFC 3411 engine id 800063A2 = PEN 25506 (fingerprints.tsv); shared with HPE Comware like the sysObjectID"
  example "25506"
  nomatch "2011"
  nomatch "255060"

rule h3c-snmp-engine-new
  field snmp.engine_enterprise
  match number 61878
  confidence 0.8
  source "IANA PEN 61878 New H3C Technologies Co., Ltd; derived (engine id 8000F1B6), no capture seen"
  example "61878"
  nomatch "2011"

rule h3c-snmp-comware-version
  field snmp.sysdescr
  match regex "^(?:Hangzhou )?H3C Comware Platform Software,? Software Version ([0-9][0-9.]*),? ((?:Release|Alpha|Beta|ESS) [0-9A-Z]+)[,\\s]+H3C ([A-Za-z0-9][A-Za-z0-9-]*)"
  confidence 0.9
  model "$3"
  version "$1 $2"
  source "RECOG snmp_sysdescr.xml 'H3C Comware, generic' (S5500-28C-EI); LNMS includes/polling/os/comware.inc.php (S3100-8TP-EI)"
  example "H3C Comware Platform Software, Software Version 5.20 Release 2208\x0d\x0aH3C S5500-28C-EI\x0d\x0aCopyright (c) 2004-2010 Hangzhou H3C Tech. Co., Ltd. All rights reserved." model=S5500-28C-EI version="5.20 Release 2208"
  example "H3C Comware Platform Software, Software Version 5.20 Release 2202P06 H3C S5120-28C-EI Copyright (c) 2004-2010 Hangzhou H3C Tech. Co., Ltd. All rights reserved." model=S5120-28C-EI version="5.20 Release 2202P06"
  example "H3C Comware Platform Software, Software Version 7.1.070, Release 6616\x0d\x0aH3C S6850-56HF\x0d\x0aCopyright (c) 2004-2021 New H3C Technologies Co., Ltd. All rights reserved." model=S6850-56HF version="7.1.070 Release 6616"
  nomatch "HP Comware Platform Software, Software Version 5.20 Release 2208 HP A5500-24G SI Switch with 2 Interface Slots Copyright (c) 2010-2011 Hewlett-Packard Development Company, L.P."
  nomatch "Quidway S3900 Software Version VRP 3.10"

rule h3c-snmp-switch-version
  field snmp.sysdescr
  match regex "^H3C Switch ([A-Za-z0-9][A-Za-z0-9-]*) Software Version ([0-9][0-9.]*), (Release [0-9A-Z]+)"
  confidence 0.9
  role switch
  model "$1"
  version "$2 $3"
  source "RECOG snmp_sysdescr.xml 'H3C Comware, switch' (S5120-28P-SI)"
  example "H3C Switch S5120-28P-SI Software Version 5.20, Release 1101P10\x0a Copyright(c) 2004-2010 Hangzhou H3C Tech. Co., Ltd. All rights reserved." model=S5120-28P-SI version="5.20 Release 1101P10"
  nomatch "HP V1910-24G Switch Software Version 5.20, Release 1511 Copyright(c) 2010-2012 HP Tech. Co., Ltd. All rights reserved."

# A switch by its model line, as for LLDP above.
rule h3c-snmp-comware-switch
  field snmp.sysdescr
  match regex "(?:^|[^A-Za-z0-9])H3C (?:Switch )?S[0-9]{4,5}"
  confidence 0.9
  role switch
  source "model line of Comware descriptions (RECOG snmp_sysdescr.xml S5500-28C-EI, S5120-28P-SI; LNMS comware.inc.php S3100-8TP-EI); H3C S-series are Ethernet switches"
  example "H3C Comware Platform Software, Software Version 5.20 Release 2208\x0d\x0aH3C S5500-28C-EI\x0d\x0aCopyright (c) 2004-2010 Hangzhou H3C Tech. Co., Ltd. All rights reserved."
  example "Hangzhou H3C Comware Platform Software, Software Version 3.10, Release 2211P06\x0aH3C S3100-8TP-EI"
  example "H3C Switch S5120-28P-SI Software Version 5.20, Release 1101P10"
  nomatch "H3C Comware Platform Software, Software Version 7.1.064, Release 0821P25\x0d\x0aH3C MSR3620"
  nomatch "HP Comware Platform Software Comware Software Version 5.20,Release 2603P08 HP A6602 Router"
  nomatch "HUAWEI-3COM WBR-204g"

rule h3c-snmp-comware
  field snmp.sysdescr
  match regex "(?:^|[^A-Za-z0-9])H3C Comware (?:Platform )?[Ss]oftware"
  confidence 0.9
  source "RECOG snmp_sysdescr.xml 'H3C Comware, generic'; LNMS includes/polling/os/comware.inc.php; 'H3C Comware software. H3C S9512E' sysDescr (FS:85228573)"
  example "H3C Comware software. H3C S9512E Product Version S9500E-CMW520-R1238P08. Copyright (c) 2004-2010 Hangzhou H3C Tech. Co., Ltd. All rights reserved."
  example "Hangzhou H3C Comware Platform Software, Software Version 3.10, Release 2211P06"
  nomatch "HP Comware Platform Software Comware Software Version 5.20,Release 2603P08 HP A6602 Router Copyright(c) 2010-2011 Hewlett-Packard Development Company, L.P."
  nomatch "HPE Comware Platform Software"

rule h3c-snmp-copyright
  field snmp.sysdescr
  match regex "Copyright ?\\([Cc]\\) ?[0-9]{4}(?:-[0-9]{4})?,? (?:New H3C Technologies Co\\., ?Ltd|Hangzhou H3C Tech(?:nologies)?\\.? Co\\., ?Ltd)"
  confidence 0.85
  source "RECOG snmp_sysdescr.xml H3C examples (copyright tail); LNMS includes/polling/os/comware.inc.php; H3C E528 sysDescr (FS:85228573)"
  example "H3C Switch E528 Software Version 5.20, Release 1103P01 Copyright(c) 2004-2010 Hangzhou H3C Tech. Co., Ltd. All rights reserved."
  example "Copyright (c) 2004-2021 New H3C Technologies Co., Ltd. All rights reserved."
  nomatch "Copyright (C) 2000-2013 HUAWEI TECH CO., LTD"
  nomatch "Copyright(c) 2010-2012 HP Tech. Co., Ltd. All rights reserved."

# The Huawei-3Com joint venture's products (2003-2007), now H3C's line:
# medium, as the description names no current company.
rule h3c-snmp-huawei-3com
  field snmp.sysdescr
  match regex "^HUAWEI-3COM "
  confidence 0.6
  source "RECOG snmp_sysdescr.xml 'HUAWEI-3COM WBR-204g'; fingerprints.tsv (^HUAWEI-3COM , Huawei-3Com JV product, now H3C)"
  example "HUAWEI-3COM WBR-204g"
  nomatch "HUAWEI TECH CO., LTD"
  nomatch "3Com SuperStack 3 Switch 4400"
