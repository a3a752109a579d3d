#!/bin/sh
# netdb.sh - the generated vendor-network database (docs/networks.md)
# round-trips through mmdblookup, rebuilds byte for byte, and the pack
# compiler refuses malformed packs with FILE:LINE messages.
# TAP output. Uses $srcdir and $builddir (make check exports both) and
# mmdblookup (Debian mmdb-bin).
set -u
. "${srcdir:-.}/tests/e2e/lib.sh"
b=${builddir:-.}
db="$b/signatures/vendor-networks.mmdb"
netdb="$b/src/telexpose-netdb"
nets="$s/signatures/networks"
# The order of Makefile.am's NETDB_INPUTS: for a prefix under two ASNs the
# one declared first answers.
set -- "$nets/huawei.net" "$nets/kaspersky.net" "$nets/covered-carriers.net" \
    "$nets/cn-backbones.net"
py=${PYTHON3:-python3}

if ! command -v mmdblookup >/dev/null 2>&1; then
    echo "not ok 1 - mmdblookup is missing: install mmdb-bin"
    echo "1..1"
    exit 1
fi

# report FILE: one TAP line per "1<TAB>text" / "0<TAB>text" line of FILE,
# and "#" lines passed through as diagnostics
report() {
    while IFS="	" read -r st desc; do
        case $st in
        "#"*) echo "$st" ;;
        *)
            n=$((n + 1))
            if [ "$st" = 1 ]; then
                echo "ok $n - $desc"
            else
                echo "not ok $n - $desc"
                fail=1
            fi
            ;;
        esac
    done <"$1"
}

check "the build generated $db" test -s "$db"

# --- every prefix, both ends, through mmdblookup ----------------------------
# The expected answers come from reading the .net files here, independently
# of telexpose-netdb: the most specific prefix answers (the first declared
# among equal ones), and "within" lists the covering networks of the other
# packs, most specific first.
cat >"$tmp/roundtrip.py" <<'EOF'
import concurrent.futures, ipaddress, os, re, shlex, subprocess, sys

db, files = sys.argv[1], sys.argv[2:]
out = []
def res(good, text):
    out.append("%d\t%s" % (1 if good else 0, text))

# --- the packs, read independently of the C parser
packs, asns, nets = {}, {}, []   # nets: (network, asn, seq)
for f in files:
    pack = vendor = None
    for line in open(f, encoding="utf-8"):
        w = shlex.split(line, comments=True)
        if not w:
            continue
        if w[0] == "pack":
            pack = w[1]
            packs[pack] = {"default": None}
        elif w[0] == "vendor":
            vendor = w[1]
        elif w[0] == "default":
            packs[pack]["default"] = w[1] == "on"
        elif w[0] == "asn":
            asns[int(w[1])] = {"pack": pack, "category": w[2], "org": w[3],
                               "vendor": w[5] if len(w) == 6 else vendor}
        elif w[0].isdigit():
            nets.append((ipaddress.ip_network(w[1]), int(w[0]), len(nets)))
res(len(nets) > 1900, "read %d networks of %d ASNs in %d packs" % (len(nets), len(asns), len(packs)))

def record(asn):
    a = asns[asn]
    return {"autonomous_system_number": asn, "autonomous_system_organization": a["org"],
            "vendor": a["vendor"], "pack": a["pack"], "category": a["category"],
            "default": packs[a["pack"]]["default"]}

# Networks by version, for the containment scans.
by_v = {4: [n for n in nets if n[0].version == 4], 6: [n for n in nets if n[0].version == 6]}
def expect(addr):
    cover = sorted((n for n in by_v[addr.version] if addr in n[0]),
                   key=lambda n: (-n[0].prefixlen, n[2]))
    if not cover:
        return None
    chain, seen = [], set()
    for n in cover:
        p = asns[n[1]]["pack"]
        if p not in seen:
            seen.add(p)
            chain.append(record(n[1]))
    top = chain[0]
    for r in chain[1:]:
        top_end = top
        while "within" in top_end:
            top_end = top_end["within"]
        top_end["within"] = r
    return top

# --- mmdblookup's output: "{", '"key": ', 'VALUE <type>', "}"
def parse(text):
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    pos = 0
    def value():
        nonlocal pos
        l = lines[pos]
        pos += 1
        if l == "{":
            m = {}
            while lines[pos] != "}":
                k = re.fullmatch(r'"(.*)":', lines[pos]).group(1)
                pos += 1
                m[k] = value()
            pos += 1
            return m
        v, t = re.fullmatch(r"(.*) <(\w+)>", l).groups()
        if t == "utf8_string":
            return v[1:-1]
        if t == "boolean":
            return v == "true"
        return int(v)
    v = value()
    if pos != len(lines):
        raise ValueError("trailing output")
    return v

def lookup(ip):
    p = subprocess.run(["mmdblookup", "--file", db, "--ip", ip], capture_output=True,
                       text=True)
    if p.returncode == 6 and "Could not find an entry" in p.stdout + p.stderr:
        return None
    if p.returncode != 0:
        return "mmdblookup exit %d: %s" % (p.returncode, p.stderr.strip())
    try:
        return parse(p.stdout)
    except Exception as e:  # report, do not crash the test
        return "unparsable output (%s): %r" % (e, p.stdout[:200])

# --- first and last address of every network; just outside a sample
inside = set()
for n, _, _ in nets:
    inside.add(n.network_address)
    inside.add(n.broadcast_address)
outside = set()
for i, (n, _, _) in enumerate(nets):
    if i % 10:
        continue
    for a in (int(n.network_address) - 1, int(n.broadcast_address) + 1):
        try:
            ip = ipaddress.ip_address(a) if n.version == 6 else ipaddress.IPv4Address(a)
        except ValueError:
            continue
        if expect(ip) is None:
            outside.add(ip)
for fixed in ("8.8.8.8", "1.1.1.1", "2001:4860:4860::8888", "::1", "10.0.0.1"):
    outside.add(ipaddress.ip_address(fixed))
res(len(outside) > 50, "%d addresses just outside the networks to check" % len(outside))

ips = sorted(inside, key=lambda a: (a.version, int(a))) + sorted(outside, key=lambda a: (a.version, int(a)))
workers = max(4, 4 * (os.cpu_count() or 1))
with concurrent.futures.ThreadPoolExecutor(workers) as ex:
    got = dict(zip(ips, ex.map(lambda a: lookup(str(a)), ips)))

bad = []
for a in sorted(inside, key=lambda a: (a.version, int(a))):
    if got[a] != expect(a):
        bad.append("%s: got %r, want %r" % (a, got[a], expect(a)))
res(not bad, "%d first/last addresses of %d networks: exact records (%d differ)" %
    (len(inside), len(nets), len(bad)))
for b in bad[:5]:
    out.append("# " + b)
miss = [a for a in outside if got[a] is not None]
res(not miss, "%d addresses outside every network: not found (%d found)" % (len(outside), len(miss)))
for a in miss[:5]:
    out.append("# %s: %r" % (a, got[a]))
# Nested and shared prefixes really occur in the data, so the rules above
# were exercised.
nested = sum(1 for a in inside if isinstance(got[a], dict) and "within" in got[a])
res(nested > 50, "%d answers carry 'within' (networks nested across packs)" % nested)
for ip, asn in (("202.111.192.0", 4809), ("202.111.223.255", 4809), ("110.41.208.0", 55990)):
    g = got.get(ipaddress.ip_address(ip))
    res(isinstance(g, dict) and g["autonomous_system_number"] == asn,
        "%s (a prefix announced by two ASNs): AS%d, declared first" % (ip, asn))
print("\n".join(out))
EOF
"$py" "$tmp/roundtrip.py" "$db" "$@" >"$tmp/rt.out" 2>"$tmp/rt.err"
rc=$?
check "the round-trip helper ran" test $rc -eq 0
sed 's/^/# /' "$tmp/rt.err"
report "$tmp/rt.out"

# --- one answer verbatim ----------------------------------------------------
cat >"$tmp/want" <<'EOF'

  {
    "autonomous_system_number": 
      131444 <uint32>
    "autonomous_system_organization": 
      "HUAWEI INTERNATIONAL PTE. LTD." <utf8_string>
    "vendor": 
      "Huawei" <utf8_string>
    "pack": 
      "huawei-net" <utf8_string>
    "category": 
      "vendor-corporate" <utf8_string>
    "default": 
      true <boolean>
  }

EOF
mmdblookup --file "$db" --ip 159.138.223.5 >"$tmp/got" 2>&1
check "mmdblookup --ip 159.138.223.5: exactly AS131444's record" cmp "$tmp/want" "$tmp/got"
mmdblookup --file "$db" --ip ::ffff:159.138.223.5 >"$tmp/got" 2>&1
check "::ffff:159.138.223.5 (IPv4-mapped) gives the same" cmp "$tmp/want" "$tmp/got"
mmdblookup --file "$db" --ip 2002:9f8a:df05::1 >"$tmp/got" 2>&1
check "2002:9f8a:df05::1 (6to4) gives the same" cmp "$tmp/want" "$tmp/got"
mmdblookup --file "$db" --ip 202.111.192.1 within pack >"$tmp/got" 2>&1
check "202.111.192.1 (AS4809 inside AS4134): cn-backbones under 'within'" \
    grep -q '"cn-backbones" <utf8_string>' "$tmp/got"

mmdblookup --verbose --file "$db" --ip 8.8.8.8 >"$tmp/meta" 2>&1
check "database_type telexpose-vendor-networks" \
    grep -q "Type: *telexpose-vendor-networks\$" "$tmp/meta"
check "languages en" grep -q "Languages: *en\$" "$tmp/meta"
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
    check "build_epoch is the packs' date, 2026-11-27" \
        grep -q "Build epoch: *1795737600 (2026-11-27 00:00:00 UTC)" "$tmp/meta"
fi
check "8.8.8.8 is not found" grep -q "Could not find an entry" "$tmp/meta"

# --- determinism ----------------------------------------------------------------
"$netdb" -o "$tmp/again.mmdb" "$@" >"$tmp/out" 2>"$tmp/err"
check "telexpose-netdb rebuilds it" test $? -eq 0
check "byte-identical to the generated file" cmp "$db" "$tmp/again.mmdb"
check "its summary counts 4 packs, 16 ASNs" grep -q ": 4 packs, 16 ASNs, " "$tmp/out"
SOURCE_DATE_EPOCH=1700000000 "$netdb" -o "$tmp/sde.mmdb" "$@" >/dev/null 2>&1
mmdblookup --verbose --file "$tmp/sde.mmdb" --ip 8.8.8.8 >"$tmp/meta" 2>&1
check "SOURCE_DATE_EPOCH sets build_epoch" grep -q "Build epoch: *1700000000 " "$tmp/meta"

# --- the packs themselves -------------------------------------------------------
for id in $(sed -n 's/^pack //p' "$@"); do
    check "network pack id $id is not a signature pack id" \
        sh -c "! grep -qx 'pack $id' '$s'/signatures/*.sig"
done
check "cn-backbones is off by default" grep -qx "default off" "$nets/cn-backbones.net"
check "cn-backbones says why" grep -q "ordinary traffic to China" "$nets/cn-backbones.net"
for f in "$@"; do
    check "$(basename "$f") names ipverse, its date and licence" \
        sh -c "grep -q '^source \"ipverse/asn-ip' '$f' && grep -qx 'date 2026-11-27' '$f' &&
               grep -q '^licence ' '$f'"
done

# --- malformed packs: FILE:LINE, non-zero exit, no output --------------------
good_header='pack test-net
vendor "Test"
title "a test pack"
default on
date 2026-01-02
source "here"
licence "none"
asn 64500 vendor-cloud "Test Org"'

# bad NAME LINE PATTERN TEXT: compile TEXT, expect failure at LINE with PATTERN
bad() {
    printf '%s\n' "$4" >"$tmp/$1.net"
    rm -f "$tmp/$1.mmdb"
    "$netdb" -o "$tmp/$1.mmdb" "$tmp/$1.net" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    check "$1: exit 1" test $rc -eq 1
    check "$1: '$tmp/$1.net:$2: ...$3...'" grep -q "^$tmp/$1.net:$2: .*$3" "$tmp/err"
    sed 's/^/# /' "$tmp/err"
    check "$1: no output file" test ! -e "$tmp/$1.mmdb"
}
bad bad-cidr 9 "is not an IPv4 address" "$good_header
64500 10.0.0/8"
bad host-bits 10 "has host bits set (the network is 10.0.0.0/8)" "$good_header
64500 192.0.2.0/24
64500 10.0.0.1/8"
bad host-bits-v6 9 "has host bits set (the network is 2001:db8::/32)" "$good_header
64500 2001:db8::1/32"
bad long-prefix 9 "prefix length must be a number from 1 to 32" "$good_header
64500 10.0.0.0/33"
bad unknown-keyword 4 "unknown keyword 'colour'" "pack test-net
vendor Test
title x
colour blue"
bad no-pack-header 1 "'vendor' before the pack header" 'vendor "Test"
asn 64500 vendor-cloud "Test Org"
64500 10.0.0.0/8'
bad no-pack-at-all 1 "no 'pack' line" '# only a comment'
bad missing-date 7 "has no 'date YYYY-MM-DD' line" 'pack test-net
vendor "Test"
title "a test pack"
default on
source "here"
licence "none"
asn 64500 vendor-cloud "Test Org"'
bad bad-date 5 "'date' takes a day YYYY-MM-DD" 'pack test-net
vendor "Test"
title "a test pack"
default on
date 2026-02-30'
bad undeclared-asn 9 "AS64501 is not declared in this file" "$good_header
64501 10.0.0.0/8"
bad unknown-category 8 "unknown category 'cloud'" 'pack test-net
vendor "Test"
title "a test pack"
default on
date 2026-01-02
source "here"
licence "none"
asn 64500 cloud "Test Org"'
bad open-quote 3 "unterminated quote" 'pack test-net
vendor "Test"
title "a test pack'
bad twice 10 "network listed twice for AS64500 (first at .*:9" "$good_header
64500 10.0.0.0/8
64500 10.0.0.0/8"
bad asn-without-networks 8 "AS64500 has no networks" "$good_header"
bad ipv4-as-ipv6 9 "stand for IPv4" "$good_header
64500 ::ffff:10.0.0.0/104"
bad header-late 10 "'title' after the first asn line" "$good_header
64500 10.0.0.0/8
title \"again\""

# Two files with the same pack id.
printf '%s\n64500 10.0.0.0/8\n' "$good_header" >"$tmp/one.net"
printf '%s\n64501 10.1.0.0/16\n' "$(printf '%s\n' "$good_header" | sed 's/64500/64501/')" \
    >"$tmp/two.net"
"$netdb" -o "$tmp/two.mmdb" "$tmp/one.net" "$tmp/two.net" >/dev/null 2>"$tmp/err"
check "same pack id in two files: exit 1" test $? -eq 1
check "and '$tmp/two.net:1: pack id 'test-net' is already used by $tmp/one.net'" \
    grep -q "^$tmp/two.net:1: pack id 'test-net' is already used by $tmp/one.net" "$tmp/err"

"$netdb" >/dev/null 2>&1
check "no arguments: usage error (2)" test $? -eq 2
"$netdb" -o "$tmp/x.mmdb" "$tmp/no-such.net" >/dev/null 2>"$tmp/err"
check "missing input: exit 1, named" sh -c "test $? -eq 1 && grep -q 'no-such.net: cannot read' '$tmp/err'"

# A small valid pack with CRLF line endings, comments and a nested prefix.
printf 'pack test-net\r\nvendor Test # a comment\r\ntitle "a \\"test\\" pack"\r\ndefault off\r\ndate 2026-01-02\r\nsource here\r\nlicence none\r\n\r\n# networks\r\nasn 64500 vendor-cloud "Test Org"\r\n64500 198.51.100.0/24\r\nasn 64501 covered-vendor "Other Org" vendor "Other"\r\n64501 198.51.100.128/25\r\n64501 2001:db8::/32\r\n' >"$tmp/ok.net"
"$netdb" -o "$tmp/ok.mmdb" "$tmp/ok.net" >/dev/null 2>"$tmp/err"
check "a CRLF pack with comments compiles" test $? -eq 0
mmdblookup --file "$tmp/ok.mmdb" --ip 198.51.100.200 autonomous_system_number >"$tmp/got" 2>&1
check "its nested /25 answers AS64501" grep -q "64501 <uint32>" "$tmp/got"
mmdblookup --file "$tmp/ok.mmdb" --ip 198.51.100.1 vendor >"$tmp/got" 2>&1
check "its /24 answers vendor Test (the pack's)" grep -q '"Test" <utf8_string>' "$tmp/got"
mmdblookup --file "$tmp/ok.mmdb" --ip 2001:db8:ffff::1 default >"$tmp/got" 2>&1
check "default off is recorded as false" grep -q 'false <boolean>' "$tmp/got"

echo "1..$n"
exit $fail
